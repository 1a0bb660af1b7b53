//! The history of every article the log ever published or withdrew: what
//! the 信息发布登记表 shows when it is made from the log (what actually went
//! online and when), including withdrawals someone later erased from the
//! source.

use std::collections::BTreeMap;

use super::record::{LoggedApproval, LoggedWithdrawal, Record};

/// One article's history in the log.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub path: String,
    pub url: String,
    pub title: String,
    pub class: String,
    pub date: Option<String>,
    pub backdated: Option<String>,
    /// `(entry index, first_seen)` of the entry that first published it.
    pub first_published: Option<(u64, String)>,
    /// `(entry index, first_seen)` of the entry that published the latest
    /// version.
    pub latest_version: Option<(u64, String)>,
    pub digest: String,
    /// The approvals of the latest published version.
    pub approvals: Vec<LoggedApproval>,
    /// Online in the last entry.
    pub online: bool,
    /// The latest withdrawal the log recorded, and the entry it was first
    /// recorded in.
    pub withdrawal: Option<(LoggedWithdrawal, u64)>,
}

/// Every article of `records`, by path.
pub fn articles(records: &[Record]) -> BTreeMap<String, Article> {
    let mut out: BTreeMap<String, Article> = BTreeMap::new();
    let last = records.last().map(|r| r.index);
    for r in records {
        for a in &r.facts.articles {
            let h = out.entry(a.path.clone()).or_default();
            let seen = (r.index, r.first_seen.clone());
            if h.first_published.is_none() {
                h.first_published = Some(seen.clone());
            }
            if h.digest != a.digest {
                h.latest_version = Some(seen);
                h.digest = a.digest.clone();
                h.approvals = a.approvals.clone();
            }
            h.path = a.path.clone();
            h.url = a.url.clone();
            h.title = a.title.clone();
            h.class = a.class.clone();
            h.date = a.date.clone();
            h.backdated = a.backdated.clone();
            h.online = Some(r.index) == last;
        }
        for w in &r.facts.withdrawals {
            let h = out.entry(w.path.clone()).or_default();
            if h.path.is_empty() {
                h.path = w.path.clone();
                h.title = w.title.clone();
            }
            let same = h
                .withdrawal
                .as_ref()
                .is_some_and(|(old, _)| old.signature == w.signature);
            if same {
                if let Some((old, _)) = h.withdrawal.as_mut() {
                    old.in_source = w.in_source;
                }
            } else {
                h.withdrawal = Some((w.clone(), r.index));
            }
        }
    }
    out
}
