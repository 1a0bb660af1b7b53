//! The site's files for the preview: read from disk once, then kept in
//! memory until the watcher reports them changed, so that a rebuild reads
//! only the files that changed.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;

use crate::content::{Tree, WorkTree};

/// A [`WorkTree`] whose file contents and listings are cached.
pub struct CachedTree {
    disk: WorkTree,
    files: RwLock<HashMap<String, Vec<u8>>>,
    lists: RwLock<HashMap<String, Vec<String>>>,
    reads: AtomicUsize,
}

impl CachedTree {
    pub fn new(root: &Path) -> CachedTree {
        CachedTree {
            disk: WorkTree::new(root),
            files: RwLock::new(HashMap::new()),
            lists: RwLock::new(HashMap::new()),
            reads: AtomicUsize::new(0),
        }
    }

    /// Forget `paths` (relative, `/`-separated; a folder forgets what is
    /// under it) and every listing, so that the next build reads them
    /// again. Listings only walk folders, they read no file.
    pub fn invalidate(&self, paths: &[String]) {
        if let Ok(mut files) = self.files.write() {
            for p in paths {
                let under = format!("{p}/");
                files.retain(|k, _| k != p && !k.starts_with(&under));
            }
        }
        if let Ok(mut lists) = self.lists.write() {
            lists.clear();
        }
    }

    /// How many files were read from disk since the last call.
    pub fn take_reads(&self) -> usize {
        self.reads.swap(0, Ordering::Relaxed)
    }
}

impl Tree for CachedTree {
    fn list(&self, dir: &str) -> io::Result<Vec<String>> {
        if let Some(l) = self.lists.read().ok().and_then(|m| m.get(dir).cloned()) {
            return Ok(l);
        }
        let l = self.disk.list(dir)?;
        if let Ok(mut m) = self.lists.write() {
            m.insert(dir.to_string(), l.clone());
        }
        Ok(l)
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        if let Some(b) = self.files.read().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(b);
        }
        let b = self.disk.read(path)?;
        self.reads.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = self.files.write() {
            m.insert(path.to_string(), b.clone());
        }
        Ok(b)
    }

    fn is_file(&self, path: &str) -> bool {
        self.disk.is_file(path)
    }

    fn links(&self, path: &str) -> io::Result<Vec<String>> {
        self.disk.links(path)
    }

    fn size(&self, path: &str) -> io::Result<u64> {
        match self
            .files
            .read()
            .ok()
            .and_then(|m| m.get(path).map(Vec::len))
        {
            Some(n) => Ok(n as u64),
            None => self.disk.size(path),
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        self.disk.is_dir(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_file_once_until_invalidated() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("content/news")).unwrap();
        std::fs::write(t.path().join("content/news/a.md"), "a").unwrap();
        let tree = CachedTree::new(t.path());
        assert_eq!(tree.read("content/news/a.md").unwrap(), b"a");
        assert_eq!(tree.read("content/news/a.md").unwrap(), b"a");
        assert_eq!(tree.take_reads(), 1);
        std::fs::write(t.path().join("content/news/a.md"), "b").unwrap();
        assert_eq!(tree.read("content/news/a.md").unwrap(), b"a");
        tree.invalidate(&["content/news".to_string()]);
        assert_eq!(tree.read("content/news/a.md").unwrap(), b"b");
        assert_eq!(tree.take_reads(), 1);
        assert_eq!(tree.list("content").unwrap(), vec!["content/news/a.md"]);
    }
}
