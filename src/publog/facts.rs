//! What a build publishes, as the publication log records it
//! ([`ReleaseFacts`]): taken from the gate's verdicts, never re-judged.

use super::record::{
    GovernanceRef, LoggedApproval, LoggedArticle, LoggedWithdrawal, ReleaseFacts, FACTS_FORMAT,
};
use crate::content::Article;
use crate::gate::{self, ApprovalStatus, Reviews, WithdrawalStatus};
use crate::publish::Decision;

/// The log's reference to a verified governance: its serial, the
/// SHA-256 of its signed message and the root-set version.
pub fn governance_ref(g: &gate::VerifiedGovernance) -> GovernanceRef {
    GovernanceRef {
        serial: g.serial(),
        digest: g.digest.clone(),
        root_version: g.root_version,
    }
}

/// Everything the site's judged articles put in a release record.
pub struct Inputs<'a> {
    pub articles: &'a [Article],
    pub decisions: &'a [Decision],
    pub reviews: &'a Reviews,
    pub governance: &'a GovernanceRef,
    pub commit: Option<&'a str>,
    /// The judging clock, RFC 3339.
    pub judged_at: String,
    /// The site's base path (`/` or `/sub/`), for page URLs.
    pub base_path: &'a str,
}

/// The release facts of a judged site.
pub fn release_facts(i: &Inputs) -> ReleaseFacts {
    let mut articles = Vec::new();
    let mut pending = Vec::new();
    let mut withdrawals = Vec::new();
    for (a, d) in i.articles.iter().zip(i.decisions) {
        if !a.readable {
            continue;
        }
        if let Some(w) = withdrawal(i.reviews, a, d) {
            withdrawals.push(w);
        }
        let logged = logged_article(i, a, d);
        if d.publish {
            articles.push(logged);
        } else if !logged.approvals.is_empty() {
            pending.push(logged);
        }
    }
    for list in [&mut articles, &mut pending] {
        list.sort_by(|a, b| a.path.cmp(&b.path));
    }
    withdrawals.sort_by(|a, b| a.path.cmp(&b.path));
    ReleaseFacts {
        format: FACTS_FORMAT.to_string(),
        commit: i.commit.map(str::to_string),
        judged_at: i.judged_at.clone(),
        governance: i.governance.clone(),
        articles,
        pending,
        withdrawals,
    }
}

fn logged_article(i: &Inputs, a: &Article, d: &Decision) -> LoggedArticle {
    let v = &d.verdict;
    // Every approval that counts on the current digest: the log's rules
    // (a withdrawal, a replay, a departed signer) look at all of them.
    let raw = gate::parse_document_gate(&a.file, &a.doc)
        .map(|g| g.approvals)
        .unwrap_or_default();
    let approvals = v
        .approvals
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == ApprovalStatus::Counts)
        .filter_map(|(n, c)| {
            let r = i.reviews.keyring.get(&c.reviewer)?;
            let signature = raw.get(n)?.signature.clone()?;
            Some(LoggedApproval {
                reviewer: c.reviewer.clone(),
                key: r.key_text.clone(),
                level: c.level_number?,
                signed_at: c.signed_at.clone(),
                signature,
                valid_until: r.valid_until.map(|t| t.to_rfc3339()),
                first_seen: None,
            })
        })
        .collect();
    LoggedArticle {
        path: a.path.clone(),
        url: format!("{}{}", i.base_path, a.rel_url),
        title: a.title.clone(),
        digest: v.digest.clone(),
        date: Some(a.date.format("%Y-%m-%dT%H:%M:%S").to_string()),
        backdated: a.backdated.clone(),
        class: a.class.clone().unwrap_or_default(),
        approvals,
    }
}

fn withdrawal(reviews: &Reviews, a: &Article, d: &Decision) -> Option<LoggedWithdrawal> {
    let w = d.verdict.withdrawal.as_ref()?;
    if w.status != WithdrawalStatus::Valid {
        return None;
    }
    let raw = gate::parse_document_gate(&a.file, &a.doc).ok()?.withdrawn?;
    Some(LoggedWithdrawal {
        path: a.path.clone(),
        title: a.title.clone(),
        reviewer: w.reviewer.clone(),
        key: reviews.keyring.get(&w.reviewer)?.key_text.clone(),
        at: w.at.clone(),
        reason: w.reason.clone(),
        signature: raw.signature?,
        first_seen: None,
        in_source: true,
    })
}
