//! Putting the released bytes back (网页被篡改后从备份恢复): modified and
//! missing files are rewritten from a trusted source, unexpected files
//! removed. Every byte written is first checked against the manifest's
//! SHA-256; writes are atomic (temporary file, then rename).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::treecheck::{Finding, Findings};
use super::{files, releases, store};
use crate::diag::Diagnostic;
use crate::manifest::{sha256_hex, Entry, Manifest};

/// Where the released bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The backup store `objects/` of a deploy folder.
    Store(PathBuf),
    /// A tree with the released files (a build output or a release).
    Tree(PathBuf),
}

impl Source {
    /// For the report.
    pub fn describe(&self) -> String {
        match self {
            Source::Store(p) => format!("部署目录的备份库 {}", p.display()),
            Source::Tree(p) => format!("目录 {}", p.display()),
        }
    }

    /// The bytes of `e`, only if they match the manifest.
    fn fetch(&self, e: &Entry) -> Result<Vec<u8>, String> {
        match self {
            Source::Store(objects) => store::get(objects, &e.sha256),
            Source::Tree(dir) => {
                let p = dir.join(&e.path);
                let bytes =
                    fs::read(&p).map_err(|err| format!("恢复来源中没有这个文件（{err}）"))?;
                if sha256_hex(&bytes) == e.sha256 {
                    Ok(bytes)
                } else {
                    Err(format!("恢复来源中的 {} 与清单不符，拒绝使用", p.display()))
                }
            }
        }
    }
}

/// The source for `--from`, or by default the backup store of the deploy
/// folder that `dir` (the served tree) belongs to.
pub fn find_source(from: Option<&Path>, dir: &Path) -> Result<Source, Diagnostic> {
    if let Some(from) = from {
        let shown = from.display().to_string();
        let abs = fs::canonicalize(from).map_err(|e| {
            Diagnostic::new(&shown, format!("无法打开恢复来源：{e}")).help(
                "--from 写部署目录（sanshen deploy --to 的目录）或构建输出目录（例如 public）。",
            )
        })?;
        if abs.join(store::DIR).is_dir() && abs.join(releases::RELEASES).is_dir() {
            return Ok(Source::Store(abs.join(store::DIR)));
        }
        if abs.is_dir() {
            return Ok(Source::Tree(abs));
        }
        return Err(
            Diagnostic::new(&shown, "恢复来源不是目录").help("--from 写部署目录或构建输出目录。")
        );
    }
    match releases::locate(dir) {
        Some((root, _)) if root.join(store::DIR).is_dir() => Ok(Source::Store(root.join(store::DIR))),
        _ => Err(Diagnostic::new(
            dir.display().to_string(),
            "找不到恢复来源：这个目录不是 sanshen deploy 部署的版本，没有备份库",
        )
        .help("用 --from 指定存有发布版本的目录：部署目录（例如 /srv/www/site）或构建输出目录（例如 public）。")),
    }
}

/// What restoring did.
#[derive(Debug, Clone, Default)]
pub struct Done {
    /// Modified files rewritten.
    pub restored: Vec<String>,
    /// Missing files put back.
    pub added: Vec<String>,
    /// Unexpected files removed.
    pub removed: Vec<String>,
    /// What could not be done, and why.
    pub failed: Vec<Finding>,
}

/// Fix the tree at `dir` as `found` (a check of that tree) says.
pub fn restore(
    dir: &Path,
    m: &Manifest,
    found: &Findings,
    src: &Source,
) -> Result<Done, Diagnostic> {
    let root = match &found.root {
        Some(r) => r.clone(),
        None => fs::canonicalize(dir).map_err(|e| {
            Diagnostic::new(dir.display().to_string(), format!("无法打开网站目录：{e}"))
        })?,
    };
    let mut done = Done::default();
    let fail = |path: &str, why: String| Finding {
        path: path.to_string(),
        detail: why,
    };
    for u in &found.unexpected {
        if !u.file.starts_with(&root) {
            continue;
        }
        match fs::remove_file(&u.file) {
            Ok(()) => {
                files::remove_empty_parents(&root, &u.file);
                done.removed.push(u.path.clone());
            }
            Err(e) => done.failed.push(fail(&u.path, format!("无法删除：{e}"))),
        }
    }
    let by_path: HashMap<&str, &Entry> = m.files.iter().map(|e| (e.path.as_str(), e)).collect();
    let todo = found
        .modified
        .iter()
        .map(|f| (f, true))
        .chain(found.missing.iter().map(|f| (f, false)));
    for (f, modified) in todo {
        let Some(entry) = by_path.get(f.path.as_str()) else {
            continue;
        };
        let bytes = match src.fetch(entry) {
            Ok(b) => b,
            Err(why) => {
                done.failed.push(fail(&f.path, why));
                continue;
            }
        };
        let target = root.join(&entry.path);
        let written =
            files::clear_way(&root, &target).and_then(|()| files::write_atomic(&target, &bytes));
        match written {
            Ok(()) if modified => done.restored.push(f.path.clone()),
            Ok(()) => done.added.push(f.path.clone()),
            Err(e) => done.failed.push(fail(&f.path, format!("无法写入：{e}"))),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::verify::check_dir;
    use crate::render::OutFile;

    #[test]
    fn restores_from_a_tree_and_refuses_wrong_bytes() {
        let t = tempfile::tempdir().unwrap();
        let (live, good) = (t.path().join("live"), t.path().join("good"));
        let files = vec![
            OutFile {
                path: "index.html".into(),
                bytes: b"home".to_vec(),
            },
            OutFile {
                path: "a/b.html".into(),
                bytes: b"b".to_vec(),
            },
        ];
        for d in [&live, &good] {
            for f in &files {
                fs::create_dir_all(d.join(&f.path).parent().unwrap()).unwrap();
                fs::write(d.join(&f.path), &f.bytes).unwrap();
            }
        }
        let m = Manifest::of_files(&files, None, "2026-11-21T12:00:00+08:00".into(), "x".into());
        fs::write(live.join("index.html"), "hacked").unwrap();
        fs::remove_file(live.join("a/b.html")).unwrap();
        fs::create_dir_all(live.join("evil")).unwrap();
        fs::write(live.join("evil/x.php"), "x").unwrap();
        let found = check_dir(&live, &m).unwrap();
        let src = find_source(Some(&good), &live).unwrap();
        let done = restore(&live, &m, &found, &src).unwrap();
        assert_eq!(done.restored, ["index.html"]);
        assert_eq!(done.added, ["a/b.html"]);
        assert_eq!(done.removed, ["evil/x.php"]);
        assert!(done.failed.is_empty());
        assert!(!live.join("evil").exists());
        assert!(check_dir(&live, &m).unwrap().clean());

        fs::write(live.join("index.html"), "hacked").unwrap();
        fs::write(good.join("index.html"), "also hacked").unwrap();
        let found = check_dir(&live, &m).unwrap();
        let done = restore(&live, &m, &found, &src).unwrap();
        assert!(done.restored.is_empty());
        assert!(done.failed[0].detail.contains("拒绝使用"));
        assert_eq!(fs::read(live.join("index.html")).unwrap(), b"hacked");
    }
}
