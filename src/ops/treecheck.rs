//! Comparing a deployed tree with its manifest: which files were modified,
//! which are missing, which should not be there.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::Diagnostic;
use crate::manifest::{sha256_hex, Entry, Manifest};

/// One difference, with what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    /// In Chinese: what differs.
    pub detail: String,
}

/// A file in the tree that the manifest does not list.
#[derive(Debug, Clone)]
pub struct Unexpected {
    pub path: String,
    /// Where it is (the real name, even when not UTF-8).
    pub file: PathBuf,
    pub detail: String,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// The directory checked, resolved (`current` followed) when the check
    /// began: a restore writes there even if `current` moves meanwhile.
    pub root: Option<PathBuf>,
    /// Files of the manifest that were checked.
    pub checked: usize,
    pub modified: Vec<Finding>,
    pub missing: Vec<Finding>,
    pub unexpected: Vec<Unexpected>,
    /// Files that could not be checked (read errors, HTTP errors).
    pub unchecked: Vec<Finding>,
}

impl Findings {
    /// Nothing differs and everything was checked.
    pub fn clean(&self) -> bool {
        self.modified.is_empty()
            && self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.unchecked.is_empty()
    }

    fn sort(&mut self) {
        self.modified.sort_by(|a, b| a.path.cmp(&b.path));
        self.missing.sort_by(|a, b| a.path.cmp(&b.path));
        self.unexpected.sort_by(|a, b| a.path.cmp(&b.path));
        self.unchecked.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File(u64),
    Dir,
    Symlink,
    Other,
}

/// Every entry under `root`, without following symbolic links.
fn walk(root: &Path) -> Result<HashMap<String, (Kind, PathBuf)>, Diagnostic> {
    let mut out = HashMap::new();
    for entry in WalkDir::new(root).min_depth(1).follow_links(false) {
        let entry = entry.map_err(|e| {
            Diagnostic::new(root.display().to_string(), format!("无法遍历目录：{e}"))
                .help("检查目录是否存在、当前用户是否有读取权限。")
        })?;
        let rel: Vec<String> = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let ft = entry.file_type();
        let kind = if ft.is_symlink() {
            Kind::Symlink
        } else if ft.is_dir() {
            Kind::Dir
        } else if ft.is_file() {
            Kind::File(entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX))
        } else {
            Kind::Other
        };
        out.insert(rel.join("/"), (kind, entry.into_path()));
    }
    Ok(out)
}

fn link_target(p: &Path) -> String {
    fs::read_link(p)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into())
}

enum Outcome {
    Same,
    Modified(String),
    Missing(String),
    Unchecked(String),
}

fn check_one(e: &Entry, seen: Option<&(Kind, PathBuf)>) -> Outcome {
    match seen {
        None => Outcome::Missing("文件不存在".into()),
        Some((Kind::Dir, _)) => Outcome::Modified("被替换为目录".into()),
        Some((Kind::Symlink, p)) => {
            Outcome::Modified(format!("被替换为符号链接（→ {}）", link_target(p)))
        }
        Some((Kind::Other, _)) => Outcome::Modified("不是普通文件".into()),
        Some((Kind::File(size), _)) if *size != e.size => {
            Outcome::Modified(format!("大小不同：应为 {} 字节，实际 {size} 字节", e.size))
        }
        Some((Kind::File(_), p)) => match fs::read(p) {
            Ok(bytes) => {
                let got = sha256_hex(&bytes);
                if got == e.sha256 {
                    Outcome::Same
                } else {
                    Outcome::Modified(format!("内容不同（SHA-256 为 {}…）", &got[..12]))
                }
            }
            Err(err) => Outcome::Unchecked(format!("无法读取：{err}")),
        },
    }
}

/// A file under `.well-known/sanshen/` of a release that is byte for byte
/// the deploy folder's publication log file of the same name (`deploy`
/// publishes the log there; `sanshen log verify` checks it).
fn published_log_copy(site: &Path, path: &str, file: &Path) -> bool {
    let Some(rel) = path.strip_prefix(&format!("{}/", crate::publog::PUBLISHED)) else {
        return false;
    };
    // <deploy>/releases/<id>/site
    let Some(deploy) = site.ancestors().nth(3) else {
        return false;
    };
    let log = deploy.join(crate::publog::DIR).join(rel);
    match (fs::read(&log), fs::read(file)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Compare the tree at `dir` with `m`: every manifest file hashed (in
/// parallel), every other file reported as unexpected. Files inside a
/// directory that was replaced by a symbolic link count as missing.
pub fn check_dir(dir: &Path, m: &Manifest) -> Result<Findings, Diagnostic> {
    let shown = dir.display().to_string();
    let root = fs::canonicalize(dir).map_err(|e| {
        Diagnostic::new(&shown, format!("无法打开要检查的目录：{e}"))
            .help("用 --dir 指定网站服务器上正在提供服务的目录，例如 /srv/www/site/current。")
    })?;
    if !root.is_dir() {
        return Err(Diagnostic::new(&shown, "要检查的路径不是目录")
            .help("用 --dir 指定网站目录，例如 /srv/www/site/current。"));
    }
    let seen = walk(&root)?;
    let outcomes: Vec<(&Entry, Outcome)> = m
        .files
        .par_iter()
        .map(|e| (e, check_one(e, seen.get(&e.path))))
        .collect();
    let mut f = Findings {
        checked: m.files.len(),
        ..Findings::default()
    };
    f.root = Some(root.clone());
    for (e, o) in outcomes {
        let finding = |detail: String| Finding {
            path: e.path.clone(),
            detail,
        };
        match o {
            Outcome::Same => {}
            Outcome::Modified(d) => f.modified.push(finding(d)),
            Outcome::Missing(d) => f.missing.push(finding(d)),
            Outcome::Unchecked(d) => f.unchecked.push(finding(d)),
        }
    }
    let listed: HashSet<&str> = m.files.iter().map(|e| e.path.as_str()).collect();
    for (path, (kind, file)) in seen {
        if kind == Kind::Dir || listed.contains(path.as_str()) {
            continue;
        }
        if matches!(kind, Kind::File(_)) && published_log_copy(&root, &path, &file) {
            continue;
        }
        let detail = match kind {
            Kind::Symlink => format!("清单中没有的符号链接（→ {}）", link_target(&file)),
            Kind::File(size) => format!("清单中没有的文件（{size} 字节）"),
            _ => "清单中没有的特殊文件".to_string(),
        };
        f.unexpected.push(Unexpected { path, file, detail });
    }
    f.sort();
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutFile;

    fn site(dir: &Path) -> Manifest {
        let files: Vec<OutFile> = [("index.html", "home"), ("a/b.html", "b"), ("a/c.css", "c")]
            .iter()
            .map(|(p, b)| OutFile {
                path: p.to_string(),
                bytes: b.as_bytes().to_vec(),
            })
            .collect();
        for f in &files {
            let p = dir.join(&f.path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, &f.bytes).unwrap();
        }
        Manifest::of_files(&files, None, "2026-11-21T12:00:00+08:00".into(), "x".into())
    }

    #[test]
    fn clean_tree_is_clean() {
        let t = tempfile::tempdir().unwrap();
        let m = site(t.path());
        let f = check_dir(t.path(), &m).unwrap();
        assert!(f.clean(), "{f:?}");
        assert_eq!(f.checked, 3);
    }

    #[test]
    fn finds_modified_missing_unexpected() {
        let t = tempfile::tempdir().unwrap();
        let m = site(t.path());
        fs::write(t.path().join("index.html"), "hacked").unwrap();
        fs::write(t.path().join("a/c.css"), "C").unwrap();
        fs::remove_file(t.path().join("a/b.html")).unwrap();
        fs::write(t.path().join("shell.php"), "<?php").unwrap();
        let f = check_dir(t.path(), &m).unwrap();
        let paths = |v: &[Finding]| v.iter().map(|x| x.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&f.modified), ["a/c.css", "index.html"]);
        assert!(f.modified[0].detail.contains("内容不同"));
        assert!(f.modified[1].detail.contains("大小不同"));
        assert_eq!(paths(&f.missing), ["a/b.html"]);
        assert_eq!(f.unexpected.len(), 1);
        assert_eq!(f.unexpected[0].path, "shell.php");
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_directory_hides_nothing() {
        let t = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let m = site(t.path());
        fs::write(elsewhere.path().join("b.html"), "b").unwrap();
        fs::write(elsewhere.path().join("c.css"), "c").unwrap();
        fs::remove_dir_all(t.path().join("a")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), t.path().join("a")).unwrap();
        let f = check_dir(t.path(), &m).unwrap();
        assert_eq!(f.missing.len(), 2);
        assert_eq!(f.unexpected[0].path, "a");
        assert!(f.unexpected[0].detail.contains("符号链接"));
    }
}
