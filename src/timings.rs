//! Seconds spent in each phase of a build (`sanshen build --timings`).

use std::time::Instant;

/// Seconds spent in each phase of a build, in order, and the process's
/// peak memory at the end of each (where the system says: Linux).
#[derive(Debug, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, f64)>,
    /// Peak resident memory in MiB when each phase ended.
    pub peaks: Vec<Option<u64>>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            phases: Vec::new(),
            peaks: Vec::new(),
            last: Instant::now(),
        }
    }
}

/// The process's peak resident memory so far, in MiB (`VmHWM`).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

impl Timings {
    /// Close the current phase under `name`.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, (now - self.last).as_secs_f64()));
        self.peaks.push(peak_mib());
        self.last = now;
    }
}
