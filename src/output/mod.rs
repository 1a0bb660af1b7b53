//! Writing the site: every file goes to a temporary directory beside the
//! output, which then replaces the output whole. A failed build leaves the
//! previous output untouched.
//!
//! The replacement is one atomic exchange of the two directories on Linux
//! (`renameat2(RENAME_EXCHANGE)`): at no instant is there no complete site
//! at the output path. Where the system or the file system cannot exchange
//! (other systems; `EINVAL`/`ENOSYS`/`EOPNOTSUPP`), it falls back to two
//! renames (output → old, new → output), with a short window without an
//! output directory. Temporary directories and manifest temp files left by
//! a killed build are removed at the start of the next build
//! ([`clean_leftovers`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::render::OutFile;

mod checked;
mod staging;

pub use checked::Checked;
pub use staging::Staging;

/// The output folder's name (`public`) and the folder it is in.
fn name_and_parent(out: &Path) -> (String, PathBuf) {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (name, parent)
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let (name, parent) = name_and_parent(out);
    parent.join(format!(".{name}.sanshen-{tag}-{}", std::process::id()))
}

/// The process id a leftover's name ends with, when `file` is a leftover
/// of a build of `name`: the new and old trees
/// (`.public.sanshen-new-<pid>`, `.public.sanshen-old-<pid>`) and the
/// manifest's temporary file (`.public.manifest.json.sanshen-tmp-<pid>-<n>`,
/// see `ops::files::write_atomic`).
fn leftover_pid(name: &str, file: &str) -> Option<u32> {
    let tree = |tag: &str| file.strip_prefix(&format!(".{name}.sanshen-{tag}-"));
    if let Some(pid) = tree("new").or_else(|| tree("old")) {
        return pid.parse().ok();
    }
    let rest = file.strip_prefix(&format!(".{name}.manifest.json.sanshen-tmp-"))?;
    let (pid, n) = rest.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Whether process `pid` may still be running (and writing its leftover).
/// Known on Linux through `/proc`; elsewhere every leftover is stale. This
/// process's own are never touched here (`write_site` replaces them).
fn may_be_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// What [`clean_leftovers`] did.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// Leftovers removed.
    pub removed: Vec<PathBuf>,
    /// The previous output put back at `out` from the old tree of a build
    /// killed between its two renames (fallback without exchange).
    pub restored: Option<PathBuf>,
}

/// Remove what builds killed half-way left beside `out` (temporary trees,
/// the manifest's temporary file), except those of a process still running.
/// When `out` is missing and an old tree was left, it is first put back at
/// `out`, so that a site is served while this build runs. Best effort.
pub fn clean_leftovers(out: &Path) -> Cleaned {
    let (name, parent) = name_and_parent(out);
    let stale = |file: &str| leftover_pid(&name, file).is_some_and(|pid| !may_be_running(pid));
    let mut cleaned = Cleaned::default();
    let Ok(entries) = fs::read_dir(&parent) else {
        return cleaned;
    };
    let entries: Vec<fs::DirEntry> = entries
        .filter_map(Result::ok)
        .filter(|e| stale(&e.file_name().to_string_lossy()))
        .collect();
    if fs::symlink_metadata(out).is_err() {
        let old_prefix = format!(".{name}.sanshen-old-");
        let old = entries.iter().find(|e| {
            e.file_name().to_string_lossy().starts_with(&old_prefix)
                && e.file_type().is_ok_and(|t| t.is_dir())
        });
        if let Some(old) = old {
            if fs::rename(old.path(), out).is_ok() {
                cleaned.restored = Some(old.path());
            }
        }
    }
    cleaned.removed = entries
        .into_iter()
        .filter(|e| cleaned.restored.as_ref() != Some(&e.path()))
        .filter_map(|e| {
            let path = e.path();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            let gone = if is_dir {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            gone.ok().map(|()| path)
        })
        .collect();
    cleaned.removed.sort();
    cleaned
}

/// Exchange two directories atomically. `Ok(false)`: this system or file
/// system cannot, nothing was changed.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that live
    // across the call; AT_FDCWD makes them relative to the working
    // directory; the call has no other memory effects.
    #[allow(unsafe_code)]
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Refuse output locations whose replacement would destroy the site itself.
pub fn check_target(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| {
        fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|c| c.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (root, out_abs) = (abs(root), abs(out));
    let dangerous = root.starts_with(&out_abs)
        || out_abs.join("site.yaml").exists()
        || out_abs.join(".git").exists()
        || out_abs.join("content").is_dir() && out_abs.join("content") == root.join("content");
    if dangerous {
        return Err(Diagnostic::new(
            out.display().to_string(),
            "输出目录包含站点源文件，构建会整个替换输出目录，已拒绝",
        )
        .help("用 --out 指定一个单独的目录，例如 --out public"));
    }
    if out.exists() && !out.is_dir() {
        return Err(
            Diagnostic::new(out.display().to_string(), "输出路径已存在且不是目录")
                .help("删除或改名这个文件，或用 --out 指定其他目录。"),
        );
    }
    Ok(())
}

/// Write `files` into a fresh tree and swap it in place of `out`.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
    write_site_reusing(out, files, false)
}

/// [`write_site`]; with `reuse`, files whose bytes are unchanged in the
/// current output are hard-linked from it rather than written again.
pub fn write_site_reusing(out: &Path, files: &[OutFile], reuse: bool) -> Result<(), Diagnostic> {
    let staging = Staging::begin(out, reuse)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_tree() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("old/x.html"), "x").unwrap();
        let files = vec![OutFile {
            path: "a/index.html".into(),
            bytes: b"new".to_vec(),
        }];
        write_site(&out, &files).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"new");
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn exchange_swaps_two_trees_whole() {
        let t = tempfile::tempdir().unwrap();
        let (a, b) = (t.path().join("a"), t.path().join("b"));
        fs::create_dir_all(a.join("sub")).unwrap();
        fs::write(a.join("sub/x.html"), "from a").unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(b.join("y.html"), "from b").unwrap();
        let swapped = exchange(&a, &b).unwrap();
        if cfg!(target_os = "linux") && !swapped {
            eprintln!("file system cannot exchange; the fallback is used");
        }
        if swapped {
            assert_eq!(fs::read_to_string(b.join("sub/x.html")).unwrap(), "from a");
            assert_eq!(fs::read_to_string(a.join("y.html")).unwrap(), "from b");
            assert!(!a.join("sub").exists() && !b.join("y.html").exists());
        }
        // Either way a second build replaces the tree whole.
        let out = t.path().join("public");
        for body in ["one", "two"] {
            let files = vec![OutFile {
                path: "index.html".into(),
                bytes: body.as_bytes().to_vec(),
            }];
            write_site(&out, &files).unwrap();
            assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), body);
        }
        let names: Vec<_> = fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("sanshen")), "{names:?}");
    }

    #[test]
    fn recognises_and_cleans_leftovers() {
        assert_eq!(leftover_pid("public", ".public.sanshen-new-42"), Some(42));
        assert_eq!(leftover_pid("public", ".public.sanshen-old-42"), Some(42));
        assert_eq!(
            leftover_pid("public", ".public.manifest.json.sanshen-tmp-42-3"),
            Some(42)
        );
        assert_eq!(leftover_pid("public", ".other.sanshen-new-42"), None);
        assert_eq!(leftover_pid("public", ".public.sanshen-new-x"), None);
        assert_eq!(leftover_pid("public", "public.manifest.json"), None);

        // Killed between the two renames of the fallback: no output, the
        // old and new trees beside it. The old one is put back.
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let dead = 999_999_999;
        for tag in ["old", "new"] {
            let d = t.path().join(format!(".public.sanshen-{tag}-{dead}"));
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join("index.html"), tag).unwrap();
        }
        let mine = t
            .path()
            .join(format!(".public.sanshen-new-{}", std::process::id()));
        fs::create_dir_all(&mine).unwrap();
        let c = clean_leftovers(&out);
        assert!(c.restored.is_some());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(c.removed.len(), 1, "{c:?}");
        assert!(mine.exists(), "a running process's tree is kept");
    }

    #[test]
    fn refuses_site_root_as_output() {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("site.yaml"), "").unwrap();
        assert!(check_target(t.path(), t.path()).is_err());
        assert!(check_target(t.path(), &t.path().join("public")).is_ok());
    }
}
