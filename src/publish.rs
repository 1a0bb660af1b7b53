//! The judge step between loading and rendering: for each article, the
//! gate's verdict (signatures, class, withdrawal, sources), to which the
//! content rules add their own reasons.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Site;
use crate::content::{Article, Content};
use crate::gate::{self, ArticleFacts, Reason, Reviews, Verdict};

/// The decision on one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub publish: bool,
    /// Empty iff `publish`; the main reason first.
    pub reasons: Vec<Reason>,
    /// The gate's full verdict (approvals, requirements), for reports.
    pub verdict: Verdict,
}

/// Judge one article.
pub fn judge(site: &Site, reviews: &Reviews, a: &Article, now: DateTime<FixedOffset>) -> Decision {
    let facts = ArticleFacts {
        path: &a.path,
        doc: &a.doc,
        class: a.class.as_deref(),
        draft: a.draft,
        source_url: a.source.as_ref().map(|s| s.url.as_str()),
    };
    let verdict = gate::judge(reviews, &facts, &site.host, now);
    Decision {
        publish: verdict.publish,
        reasons: verdict.reasons.clone(),
        verdict,
    }
}

/// Judge every article of `content`, in order, in parallel.
pub fn judge_all(
    site: &Site,
    content: &Content,
    reviews: &Reviews,
    now: DateTime<FixedOffset>,
) -> Vec<Decision> {
    content
        .articles
        .par_iter()
        .map(|a| judge(site, reviews, a, now))
        .collect()
}
