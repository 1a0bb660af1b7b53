//! Writing the site: every file goes to a temporary directory beside the
//! output, which then replaces the output whole. A failed build leaves the
//! previous output untouched.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::render::OutFile;

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{name}.sanshen-{tag}-{}", std::process::id()))
}

fn write_tree(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    fs::create_dir_all(dir)?;
    for d in dirs {
        fs::create_dir_all(dir.join(d))?;
    }
    files
        .par_iter()
        .try_for_each(|f| fs::write(dir.join(&f.path), &f.bytes))
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
    let fail = |what: &str, e: io::Error| {
        Diagnostic::new(out.display().to_string(), format!("{what}：{e}"))
            .help("检查磁盘空间和目录权限；原有输出目录未被改动。")
    };
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| fail("无法创建输出目录的上级目录", e))?;
    }
    let tmp = sibling(out, "new");
    if tmp.exists() {
        let _ = fs::remove_dir_all(&tmp);
    }
    if let Err(e) = write_tree(&tmp, files) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(fail("写入临时目录失败", e));
    }
    if out.exists() {
        let old = sibling(out, "old");
        if old.exists() {
            let _ = fs::remove_dir_all(&old);
        }
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            fail("无法替换旧的输出目录", e)
        })?;
        if let Err(e) = fs::rename(&tmp, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&tmp);
            return Err(fail("无法换入新的输出目录", e));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(&tmp, out).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            fail("无法换入新的输出目录", e)
        })?;
    }
    Ok(())
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
    fn refuses_site_root_as_output() {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("site.yaml"), "").unwrap();
        assert!(check_target(t.path(), t.path()).is_err());
        assert!(check_target(t.path(), &t.path().join("public")).is_ok());
    }
}
