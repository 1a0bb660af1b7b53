//! The judge step between loading and rendering: for each article, the
//! gate's verdict (signatures, class, withdrawal, sources), to which the
//! content rules add their own reasons.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Site;
use crate::content::{Article, Content};
use crate::diag::Diagnostic;
use crate::gate::{self, ArticleFacts, Reason, Reviews, Verdict};
use crate::rules::{self, Rules, Severity};

/// The decision on one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub publish: bool,
    /// Empty iff `publish`; the main reason first.
    pub reasons: Vec<Reason>,
    /// The gate's full verdict (approvals, requirements), for reports.
    pub verdict: Verdict,
    /// Content rule findings that only warn (`severity: warn`).
    pub warnings: Vec<Diagnostic>,
}

/// Judge one article: the gate's verdict, then the content rules, whose
/// holding findings follow the gate's reasons.
pub fn judge(
    site: &Site,
    reviews: &Reviews,
    rules: &Rules,
    a: &Article,
    now: DateTime<FixedOffset>,
) -> Decision {
    let facts = ArticleFacts {
        path: &a.path,
        doc: &a.doc,
        class: a.class.as_deref(),
        draft: a.draft,
        source_url: a.source.as_ref().map(|s| s.url.as_str()),
    };
    let verdict = gate::judge(reviews, &facts, &site.host, now);
    let mut reasons = verdict.reasons.clone();
    let mut warnings = Vec::new();
    for f in rules::check(rules, a) {
        match f.severity {
            Severity::Hold => reasons.push(f.reason(&a.file)),
            Severity::Warn => warnings.push(f.diagnostic(&a.file)),
        }
    }
    Decision {
        publish: verdict.publish && reasons.is_empty(),
        reasons,
        verdict,
        warnings,
    }
}

/// Judge every article of `content`, in order, in parallel.
pub fn judge_all(
    site: &Site,
    content: &Content,
    reviews: &Reviews,
    rules: &Rules,
    now: DateTime<FixedOffset>,
) -> Vec<Decision> {
    content
        .articles
        .par_iter()
        .map(|a| judge(site, reviews, rules, a, now))
        .collect()
}
