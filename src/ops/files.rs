//! Small file-system helpers: the crate's one atomic write (names unique
//! across threads, fsynced), removing emptied folders, clearing the way.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary name beside `path`, unique in this process.
fn temp_beside(path: &Path) -> PathBuf {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.sanshen-tmp-{}-{n}", std::process::id()))
}

/// Write `bytes` to `path` atomically and durably: a temporary file in the
/// same folder, written and flushed to disk, renamed over `path` (which
/// also replaces a symbolic link at `path`, not its target), then the
/// folder flushed so that the rename survives a crash. The mode of the
/// file replaced is kept. The one atomic write of the crate.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_beside(path);
    let perms = fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        if let Some(p) = perms {
            fs::set_permissions(&tmp, p)?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    sync_dir(&folder_of(path))
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Flush a folder's entries (a rename in it) to disk. Not possible on
/// every platform; there it is a no-op.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Remove the folders between `file` and `root` that are now empty.
pub fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Make every folder from `root` down to `path`'s parent a real folder:
/// a file or symbolic link standing in the way is removed first.
pub fn clear_way(root: &Path, path: &Path) -> io::Result<()> {
    let Ok(rel) = path.strip_prefix(root) else {
        return Err(io::Error::other("路径不在网站目录内"));
    };
    let mut at = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for c in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(c);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                fs::remove_file(&at)?;
                fs::create_dir(&at)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&at)?,
            Err(e) => return Err(e),
        }
    }
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.is_dir() {
            fs::remove_dir_all(path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_files_in_the_way_and_writes() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        fs::write(root.join("a"), "x").unwrap();
        fs::create_dir_all(root.join("a2/b.html")).unwrap();
        let p = root.join("a/b/c.html");
        clear_way(root, &p).unwrap();
        write_atomic(&p, b"ok").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"ok");
        let q = root.join("a2/b.html");
        clear_way(root, &q).unwrap();
        write_atomic(&q, b"ok").unwrap();
        assert!(q.is_file());
        fs::remove_file(&p).unwrap();
        remove_empty_parents(root, &p);
        assert!(!root.join("a").exists());
        assert!(root.exists());
    }
}
