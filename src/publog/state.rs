//! The publication log read back: after its last entry, what was
//! published at each path, which withdrawals are in force, when each
//! signature was first seen, and the governance in force. What the
//! checks of the next release compare against ([`super::policy`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};

use super::record::{GovernanceRef, LoggedWithdrawal, Record};

/// Where and when the log first recorded something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Index of the entry.
    pub index: u64,
    /// That entry's `first_seen`.
    pub at: DateTime<FixedOffset>,
}

/// The latest published version of one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub digest: String,
    pub title: String,
    /// The entry that first published this digest at this path.
    pub since: Seen,
}

/// A withdrawal in force after the last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub withdrawal: LoggedWithdrawal,
    /// When the log first recorded it.
    pub since: Seen,
}

/// The state after the last entry of a log.
#[derive(Debug, Clone, Default)]
pub struct LogState {
    /// Number of entries: the index of the next one.
    pub size: u64,
    /// The last entry's index and time.
    pub last: Option<Seen>,
    /// The governance of the last entry.
    pub governance: Option<GovernanceRef>,
    /// Every governance serial logged, with its digest and first entry.
    pub serials: BTreeMap<u64, (String, Seen)>,
    /// The highest root-set version logged.
    pub root_version: Option<u64>,
    /// Signatures (approvals and withdrawals), by their base64 text.
    pub seen: HashMap<String, Seen>,
    /// Withdrawals in force after the last entry, by path.
    pub withdrawn: BTreeMap<String, InForce>,
    /// The latest published version of every path ever published.
    pub published: BTreeMap<String, Published>,
    /// The entry that first published each path (for back-dating checks
    /// and the register).
    pub first_published: BTreeMap<String, Seen>,
}

/// A record whose time cannot be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("发布日志第 {index} 条记录的时间无法识别：{text}")]
pub struct BadTime {
    pub index: u64,
    pub text: String,
}

/// RFC 3339, or `None` (the log's one time reader).
pub use super::verify::parse_time as time;

impl LogState {
    /// Replay `records` (in index order, already verified) into a state.
    pub fn of(records: &[Record]) -> Result<LogState, BadTime> {
        let mut s = LogState::default();
        for r in records {
            s.apply(r)?;
        }
        Ok(s)
    }

    /// Add one entry.
    pub fn apply(&mut self, r: &Record) -> Result<(), BadTime> {
        let at = time(&r.first_seen).ok_or_else(|| BadTime {
            index: r.index,
            text: r.first_seen.clone(),
        })?;
        let here = Seen { index: r.index, at };
        let f = &r.facts;
        self.serials
            .entry(f.governance.serial)
            .or_insert_with(|| (f.governance.digest.clone(), here));
        self.governance = Some(f.governance.clone());
        if let Some(v) = f.governance.root_version {
            self.root_version = Some(self.root_version.map_or(v, |old| old.max(v)));
        }
        for a in f.articles.iter().chain(&f.pending) {
            for ap in &a.approvals {
                self.seen.entry(ap.signature.clone()).or_insert(here);
            }
        }
        for a in &f.articles {
            self.first_published.entry(a.path.clone()).or_insert(here);
            let changed = self
                .published
                .get(&a.path)
                .is_none_or(|p| p.digest != a.digest);
            if changed {
                self.published.insert(
                    a.path.clone(),
                    Published {
                        digest: a.digest.clone(),
                        title: a.title.clone(),
                        since: here,
                    },
                );
            }
        }
        self.withdrawn.clear();
        for w in &f.withdrawals {
            let since = *self.seen.entry(w.signature.clone()).or_insert(here);
            self.withdrawn.insert(
                w.path.clone(),
                InForce {
                    withdrawal: w.clone(),
                    since,
                },
            );
        }
        self.size = r.index + 1;
        self.last = Some(here);
        Ok(())
    }
}
