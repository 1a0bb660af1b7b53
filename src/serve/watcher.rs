//! Watching the site for changes with `notify`: the folders the build
//! reads (`content/`, `reviews/`, `themes/`, `static/`) recursively and the
//! site root itself for `site.yaml` — so `public/`, `target/` and `.git/`
//! are never watched. Events are debounced: a batch is handed on after
//! 30 ms without further change (an editor's save is a burst of events
//! within a few milliseconds).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config;
use crate::diag::Diagnostic;

/// Folders of the site root that a build reads.
pub const WATCHED: [&str; 4] = crate::layout::SITE_DIRS;

/// Quiet time that ends a batch of changes.
const QUIET: Duration = Duration::from_millis(30);
/// A batch never waits longer than this (an editor saving in a loop).
const MAX_WAIT: Duration = Duration::from_secs(2);

/// The watcher and where its events arrive.
pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watching: BTreeSet<String>,
}

impl Watch {
    /// Start watching the site at `root` (canonical).
    pub fn start(root: &Path) -> Result<Watch, Diagnostic> {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })
        .map_err(|e| fail(root, e))?;
        let mut w = Watch {
            root: root.to_path_buf(),
            watcher,
            events,
            watching: BTreeSet::new(),
        };
        w.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| fail(root, e))?;
        w.watch_new_folders()?;
        Ok(w)
    }

    /// Watch those of [`WATCHED`] that exist and are not yet watched (one
    /// may be created while the preview runs).
    fn watch_new_folders(&mut self) -> Result<(), Diagnostic> {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watching.contains(dir) {
                self.watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| fail(&path, e))?;
                self.watching.insert(dir.to_string());
            }
        }
        Ok(())
    }

    /// Block until files of the site changed; their paths relative to the
    /// root, `/`-separated. `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<String>> {
        let mut batch = BTreeSet::new();
        loop {
            let first = self.events.recv().ok()?;
            self.take(first, &mut batch);
            if !batch.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        loop {
            match self.events.recv_timeout(QUIET) {
                Ok(e) => self.take(e, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if started.elapsed() > MAX_WAIT {
                break;
            }
        }
        if let Err(d) = self.watch_new_folders() {
            eprintln!("{d}");
        }
        Some(batch.into_iter().collect())
    }

    fn take(&self, event: notify::Result<notify::Event>, batch: &mut BTreeSet<String>) {
        let Ok(event) = event else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for p in event.paths {
            if let Some(rel) = relevant(&self.root, &p) {
                batch.insert(rel);
            }
        }
    }
}

fn fail(path: &Path, e: notify::Error) -> Diagnostic {
    Diagnostic::new(path.display().to_string(), format!("无法监视文件变化：{e}")).help(
        "检查目录是否存在、是否有读取权限；Linux 上文件很多时可调大 fs.inotify.max_user_watches。",
    )
}

/// `path` relative to `root` if a build reads it: `site.yaml`, or a file
/// under one of [`WATCHED`] that is not hidden (`.git`, editor swap files)
/// nor an editor's backup (`name~`).
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    let first = *parts.first()?;
    let hidden = parts
        .iter()
        .any(|p| p.starts_with('.') || p.ends_with('~') || p.ends_with(".swp"));
    let wanted = (parts.len() == 1 && first == config::FILE) || WATCHED.contains(&first);
    (wanted && !hidden).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_what_a_build_reads() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, &root.join(p));
        assert_eq!(r("site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(r("content/news/a.md").as_deref(), Some("content/news/a.md"));
        assert_eq!(r("content").as_deref(), Some("content"));
        assert_eq!(r("public/index.html"), None);
        assert_eq!(r("target/debug/x"), None);
        assert_eq!(r(".git/index"), None);
        assert_eq!(r("content/news/.a.md.swp"), None);
        assert_eq!(r("content/news/a.md~"), None);
        assert_eq!(r("content/news/.a.md.sanshen-tmp-1"), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/a")), None);
    }
}
