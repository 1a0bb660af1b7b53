//! The fresh tree a build writes into, beside the output, and its swap in
//! place of the output. Files arrive one at a time, from any thread, as
//! they are rendered (nothing waits for the whole site in memory); the
//! public output changes only in [`Staging::commit`]. Dropped without a
//! commit (an error anywhere, a panic), the tree is removed: the previous
//! output stays as it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{exchange, name_and_parent, sibling};
use crate::diag::Diagnostic;
use crate::render::OutFile;

pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    /// The output being replaced, when unchanged files may be hard-linked
    /// from it.
    previous: Option<PathBuf>,
    /// Folders already made in `tmp`.
    dirs: Mutex<HashSet<String>>,
    committed: bool,
}

fn fail(out: &Path, what: &str, e: io::Error) -> Diagnostic {
    Diagnostic::new(out.display().to_string(), format!("{what}：{e}"))
        .help("检查磁盘空间和目录权限；原有输出目录未被改动。")
}

impl Staging {
    /// Start a fresh tree for `out`. With `reuse`, files whose bytes are
    /// unchanged in the current output are hard-linked from it.
    pub fn begin(out: &Path, reuse: bool) -> Result<Staging, Diagnostic> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| fail(out, "无法创建输出目录的上级目录", e))?;
        }
        let tmp = sibling(out, "new");
        if tmp.exists() {
            let _ = fs::remove_dir_all(&tmp);
        }
        fs::create_dir_all(&tmp).map_err(|e| fail(out, "无法创建临时目录", e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            previous: (reuse && out.is_dir()).then(|| out.to_path_buf()),
            dirs: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Write one file into the fresh tree.
    pub fn write(&self, f: &OutFile) -> Result<(), Diagnostic> {
        self.write_io(f)
            .map_err(|e| fail(&self.out, &format!("写入临时目录失败（{}）", f.path), e))
    }

    fn write_io(&self, f: &OutFile) -> io::Result<()> {
        if let Some((dir, _)) = f.path.rsplit_once('/') {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(self.tmp.join(dir))?;
                if let Ok(mut d) = self.dirs.lock() {
                    d.insert(dir.to_string());
                }
            }
        }
        let to = self.tmp.join(&f.path);
        if let Some(prev) = &self.previous {
            let from = prev.join(&f.path);
            if same_bytes(&from, &f.bytes) && fs::hard_link(&from, &to).is_ok() {
                return Ok(());
            }
        }
        fs::write(to, &f.bytes)
    }

    /// Swap the fresh tree in place of the output: one atomic exchange
    /// where the system can, two renames otherwise.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.committed = true;
        let (out, tmp) = (self.out.clone(), self.tmp.clone());
        let result = swap(&out, &tmp);
        if result.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

fn swap(out: &Path, tmp: &Path) -> Result<(), Diagnostic> {
    if !out.exists() {
        return fs::rename(tmp, out).map_err(|e| fail(out, "无法换入新的输出目录", e));
    }
    match exchange(tmp, out) {
        Ok(true) => {
            // `tmp` now holds the previous output.
            let _ = fs::remove_dir_all(tmp);
            let _ = crate::ops::files::sync_dir(&name_and_parent(out).1);
            return Ok(());
        }
        Ok(false) => {}
        Err(e) => return Err(fail(out, "无法换入新的输出目录", e)),
    }
    let old = sibling(out, "old");
    if old.exists() {
        let _ = fs::remove_dir_all(&old);
    }
    fs::rename(out, &old).map_err(|e| fail(out, "无法替换旧的输出目录", e))?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(fail(out, "无法换入新的输出目录", e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Whether `old` holds exactly `bytes` (a regular file, not a link). The
/// bytes are compared in full, so a linked file is exactly the file a
/// clean build writes.
fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    let same_size = fs::symlink_metadata(old)
        .is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64);
    same_size && fs::read(old).is_ok_and(|b| b == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_tree_leaves_the_output_untouched() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::begin(&out, true).unwrap();
            s.write(&OutFile {
                path: "a/b/index.html".into(),
                bytes: b"new".to_vec(),
            })
            .unwrap();
            // Dropped without commit: an error later in the build.
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let names: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the fresh tree is removed");
    }

    #[test]
    fn unchanged_files_are_linked_from_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let file = |b: &str| OutFile {
            path: "x/index.html".into(),
            bytes: b.as_bytes().to_vec(),
        };
        for (body, reuse) in [("one", false), ("one", true), ("two", true)] {
            let before = fs::metadata(out.join("x/index.html")).ok().map(|m| m.ino());
            let s = Staging::begin(&out, reuse).unwrap();
            s.write(&file(body)).unwrap();
            s.commit().unwrap();
            let m = fs::metadata(out.join("x/index.html")).unwrap();
            assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), body);
            if reuse && body == "one" {
                assert_eq!(Some(m.ino()), before, "same bytes: linked");
            } else if reuse {
                assert_ne!(Some(m.ino()), before, "changed bytes: written");
            }
        }
    }
}
