//! Where the site's files come from: the work tree today, a git revision
//! later. Paths are relative to the site root and `/`-separated.

use std::io;
use std::path::{Path, PathBuf};

/// Read-only access to the site's source files.
pub trait Tree: Sync {
    /// Every regular file under `dir` (relative, `/`-separated), sorted.
    /// A missing `dir` gives an empty list.
    fn list(&self, dir: &str) -> io::Result<Vec<String>>;
    /// The bytes of one file.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
    /// Whether `path` is a regular file.
    fn is_file(&self, path: &str) -> bool;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &str) -> bool;
    /// Symbolic links at or under `path` (relative, `/`-separated,
    /// sorted). They are never followed: [`Tree::list`] leaves them out.
    fn links(&self, path: &str) -> io::Result<Vec<String>>;
    /// The size in bytes of one file, known without reading it.
    fn size(&self, path: &str) -> io::Result<u64>;
}

/// The site's directory on disk.
pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        WorkTree { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl WorkTree {
    /// The entries under `base` (symbolic links not followed) that `keep`
    /// accepts, as sorted `/`-separated paths relative to the root.
    fn walk(
        &self,
        base: &Path,
        keep: impl Fn(&walkdir::DirEntry) -> bool,
    ) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(base).follow_links(false) {
            let entry = entry.map_err(io::Error::other)?;
            if !keep(&entry) {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&self.root)
                .map_err(io::Error::other)?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
        out.sort();
        Ok(out)
    }
}

impl Tree for WorkTree {
    fn list(&self, dir: &str) -> io::Result<Vec<String>> {
        let base = self.root.join(dir);
        if !base.is_dir() {
            return Ok(Vec::new());
        }
        self.walk(&base, |e| e.file_type().is_file())
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(path))
    }

    fn is_file(&self, path: &str) -> bool {
        self.root.join(path).is_file()
    }

    fn is_dir(&self, path: &str) -> bool {
        self.root.join(path).is_dir()
    }

    fn links(&self, path: &str) -> io::Result<Vec<String>> {
        let base = self.root.join(path);
        let meta = match std::fs::symlink_metadata(&base) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            return Ok(vec![path.trim_end_matches('/').to_string()]);
        }
        if !meta.is_dir() {
            return Ok(Vec::new());
        }
        self.walk(&base, |e| e.path_is_symlink())
    }

    fn size(&self, path: &str) -> io::Result<u64> {
        Ok(std::fs::symlink_metadata(self.root.join(path))?.len())
    }
}
