//! A bounded number of worker threads for blocking network I/O (link and
//! live-site checks): rayon's pool is sized for the CPU, these are sized by
//! the user's `--concurrency`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `f` over every item on at most `workers` threads (1–64). The results come
/// back in the items' order; `None` where a worker died before finishing.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, 64).min(items.len().max(1));
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().unwrap_or_default() {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(r);
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_with_several_workers() {
        let items: Vec<u32> = (0..100).collect();
        let out = super::map(&items, 8, |x| x * 2);
        let got: Vec<u32> = out.into_iter().map(|r| r.unwrap_or(0)).collect();
        assert_eq!(got, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&Vec::<u32>::new(), 4, |x| *x).is_empty());
    }
}
