//! Seconds spent in each phase of a build (`sanshen build --timings`).

use std::time::Instant;

/// Seconds spent in each phase of a build, in order.
#[derive(Debug, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, f64)>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            phases: Vec::new(),
            last: Instant::now(),
        }
    }
}

impl Timings {
    /// Close the current phase under `name`.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}
