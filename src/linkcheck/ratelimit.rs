//! A per-host rate limit shared by all worker threads: request starts to
//! one host are spaced at least `delay` apart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// The next free start time of each host.
#[derive(Debug)]
pub struct HostLimit {
    delay: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl HostLimit {
    pub fn new(delay: Duration) -> Self {
        HostLimit {
            delay,
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Reserve the next start time for `host`.
    pub fn reserve(&self, host: &str) -> Instant {
        // A poisoned lock only means another worker panicked while holding
        // it; the map itself is still consistent.
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let slot = next.get(host).copied().filter(|t| *t > now).unwrap_or(now);
        next.insert(host.to_string(), slot + self.delay);
        slot
    }

    /// Reserve the next slot for `host` and sleep until it comes.
    pub fn wait(&self, host: &str) {
        let slot = self.reserve(host);
        let now = Instant::now();
        if slot > now {
            thread::sleep(slot - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_per_host_across_threads() {
        let limit = HostLimit::new(Duration::from_secs(60));
        let slots = Mutex::new(Vec::new());
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let t = limit.reserve("a.example.cn");
                    slots.lock().unwrap().push(t);
                });
            }
        });
        let mut t = slots.into_inner().unwrap();
        t.sort();
        for w in t.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_secs(60));
        }
        // Another host has its own slots.
        let b = limit.reserve("b.example.cn");
        assert!(b < t[1]);
    }
}
