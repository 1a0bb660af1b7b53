//! Checking many URLs on a bounded number of worker threads that share one
//! per-host rate limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

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
    let next = AtomicUsize::new(0);
    let workers = opts.concurrency.clamp(1, 64).min(urls.len());
    let mut results: Vec<Option<Outcome>> = vec![None; urls.len()];
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(url) = urls.get(i) else { break };
                        done.push((i, checker.check(url)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            for (i, outcome) in h.join().unwrap_or_default() {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(outcome);
                }
            }
        }
    });
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
