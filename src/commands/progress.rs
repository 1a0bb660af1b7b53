//! The build's progress bar (indicatif): drawn only when standard output is
//! a terminal, `CI` is not set, and the build is still running after one
//! second — quick builds and CI logs stay quiet.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::Progress;

/// Builds shorter than this show no bar.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar that appears after [`DELAY`].
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar for `sanshen build`, or `None` where none should be drawn.
    pub fn for_build() -> Option<Bar> {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        if ci || !std::io::stdout().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} 篇  {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        let later = bar.clone();
        // Show the bar only if the build is still running after DELAY.
        let _ = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                std::thread::sleep(DELAY);
                if !later.is_finished() {
                    later.set_draw_target(ProgressDrawTarget::stderr());
                    later.enable_steady_tick(Duration::from_millis(120));
                }
            });
        Some(Bar { bar })
    }

    /// Remove the bar (if it was drawn) before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str) {
        self.bar.set_message(name.to_string());
    }

    fn items(&self, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    fn advance(&self) {
        self.bar.inc(1);
    }
}
