//! Checking many URLs on a bounded number of worker threads that share one
//! per-host rate limit.

use super::http::Checker;
pub use super::http::{Hop, Options, Outcome, Status};
use super::ratelimit::HostLimit;

/// Check every URL of `urls`; the outcomes come back in the same order.
pub fn check_external(urls: &[String], opts: &Options) -> Vec<Outcome> {
    if urls.is_empty() {
        return Vec::new();
    }
    let limit = HostLimit::new(opts.per_host_delay);
    let checker = Checker::new(&limit, opts);
    let results = crate::workers::map(urls, opts.concurrency, |url| checker.check(url));
    results
        .into_iter()
        .zip(urls)
        .map(|(r, url)| {
            r.unwrap_or_else(|| Outcome {
                url: url.clone(),
                status: Status::Dead,
                code: None,
                final_url: url.clone(),
                redirects: Vec::new(),
                seconds: 0.0,
                requests: 0,
                error: Some("检查时内部出错，未能完成".into()),
                slow: false,
            })
        })
        .collect()
}
