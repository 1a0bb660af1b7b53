//! [`GitTree`]: the site's files as they are in one commit, read from the
//! git object database — never from the work tree, so an uncommitted edit
//! can never be published.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;
use std::sync::Mutex;

use git2::{ErrorCode, ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use super::{History, Located};
use crate::content::Tree;
use crate::diag::Diagnostic;

/// Git file modes of regular files (normal and executable).
const BLOB: i32 = 0o100644;
const BLOB_EXECUTABLE: i32 = 0o100755;
/// Git file mode of a symbolic link.
const LINK: i32 = 0o120000;

/// The site at one commit. Regular files only: symbolic links are left
/// out of [`Tree::list`] and reported by [`Tree::links`] (the build refuses
/// them), and submodules are skipped.
pub struct GitTree {
    repo: Mutex<Repository>,
    /// The site's folder in the repository (see [`Located::prefix`]).
    prefix: String,
    /// Full id of the commit.
    commit: String,
    /// Site-relative path → blob id.
    files: BTreeMap<String, Oid>,
    /// Every folder that holds a file, site-relative; "" for the root.
    dirs: BTreeSet<String>,
    symlinks: Vec<String>,
}

/// The error for a revision that does not exist.
pub(crate) fn rev_not_found(rev: &str, detail: &str) -> Diagnostic {
    Diagnostic::new("--rev", format!("找不到版本 {rev}（{detail}）"))
        .help("用 git log --oneline | head 查看可用的提交，写提交号、分支名或标签名，例如 --rev HEAD、--rev main、--rev a1b2c3d。")
}

impl GitTree {
    /// The site in `at` at revision `rev` (a commit id, branch, tag,
    /// `HEAD~2`, …).
    pub fn open(at: Located, rev: &str) -> Result<GitTree, Diagnostic> {
        let Located { repo, prefix } = at;
        let scan = scan(&repo, rev, &prefix)?;
        Ok(GitTree {
            repo: Mutex::new(repo),
            prefix,
            commit: scan.commit,
            files: scan.files,
            dirs: scan.dirs,
            symlinks: scan.symlinks,
        })
    }

    /// Full id of the commit read.
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// Dates of the files under the site's `dir` from the history of the
    /// commit ([`super::history::walk`]), with the commit's id.
    pub fn history(&self, dir: &str) -> Result<(BTreeMap<String, History>, String), Diagnostic> {
        let repo = self.repo.lock().map_err(|_| {
            Diagnostic::new(".git", "读取提交历史失败：仓库访问中断").help("重新运行命令。")
        })?;
        let oid = Oid::from_str(&self.commit)
            .map_err(|e| Diagnostic::new(".git", format!("读取提交历史失败：{}", e.message())))?;
        let path = if self.prefix.is_empty() {
            dir.to_string()
        } else {
            format!("{}/{dir}", self.prefix)
        };
        let history = super::history::walk(&repo, oid, &path)?;
        Ok((history, self.commit.clone()))
    }
}

/// What [`GitTree::open`] finds in the commit.
struct Scan {
    commit: String,
    files: BTreeMap<String, Oid>,
    dirs: BTreeSet<String>,
    symlinks: Vec<String>,
}

fn scan(repo: &Repository, rev: &str, prefix: &str) -> Result<Scan, Diagnostic> {
    let object = repo.revparse_single(rev).map_err(|e| {
        let detail = match e.code() {
            ErrorCode::NotFound => "仓库中没有这个提交、分支或标签".to_string(),
            ErrorCode::UnbornBranch => "仓库还没有任何提交".to_string(),
            ErrorCode::Ambiguous => "提交号太短，对应多个对象".to_string(),
            _ => e.message().to_string(),
        };
        rev_not_found(rev, &detail)
    })?;
    let commit = object.peel_to_commit().map_err(|_| {
        Diagnostic::new("--rev", format!("版本 {rev} 不是一个提交（commit）"))
            .help("写提交号、分支名或标签名，例如 --rev HEAD。")
    })?;
    let id = commit.id().to_string();
    let root = commit.tree().map_err(|e| read_failed(&id, e.message()))?;
    let site = if prefix.is_empty() {
        root
    } else {
        let entry = root
            .get_path(Path::new(prefix))
            .ok()
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .ok_or_else(|| {
                Diagnostic::new(
                    "--rev",
                    format!(
                        "版本 {rev}（{}）中没有站点目录 {prefix}/",
                        super::short(&id)
                    ),
                )
                .help("确认站点目录已提交（git add 后 git commit），或换一个包含站点的版本。")
            })?;
        repo.find_tree(entry.id())
            .map_err(|e| read_failed(&id, e.message()))?
    };
    let mut files = BTreeMap::new();
    let mut dirs = BTreeSet::from([String::new()]);
    let mut symlinks = Vec::new();
    site.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let Ok(name) = entry.name() else {
            return TreeWalkResult::Skip;
        };
        let path = format!("{dir}{name}");
        match (entry.kind(), entry.filemode()) {
            (Some(ObjectType::Tree), _) => {
                dirs.insert(path);
            }
            (Some(ObjectType::Blob), BLOB | BLOB_EXECUTABLE) => {
                files.insert(path, entry.id());
            }
            (Some(ObjectType::Blob), LINK) => symlinks.push(path),
            _ => {}
        }
        TreeWalkResult::Ok
    })
    .map_err(|e| read_failed(&id, e.message()))?;
    Ok(Scan {
        commit: id,
        files,
        dirs,
        symlinks,
    })
}

fn read_failed(commit: &str, message: &str) -> Diagnostic {
    Diagnostic::new(
        "--rev",
        format!("无法读取提交 {} 中的文件：{message}", super::short(commit)),
    )
    .help("仓库可能不完整或已损坏：运行 git fsck 检查；浅克隆请先 git fetch --unshallow。")
}

impl GitTree {
    /// The blob of the file at `path` in the commit.
    fn oid(&self, path: &str) -> io::Result<Oid> {
        self.files.get(path).copied().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("版本 {} 中没有这个文件", super::short(&self.commit)),
            )
        })
    }
}

impl Tree for GitTree {
    fn list(&self, dir: &str) -> io::Result<Vec<String>> {
        let dir = dir.trim_end_matches('/');
        if dir.is_empty() {
            return Ok(self.files.keys().cloned().collect());
        }
        let start = format!("{dir}/");
        Ok(self
            .files
            .range(start.clone()..)
            .take_while(|(p, _)| p.starts_with(&start))
            .map(|(p, _)| p.clone())
            .collect())
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let oid = self.oid(path)?;
        let repo = self
            .repo
            .lock()
            .map_err(|_| io::Error::other("git 仓库读取中断"))?;
        let blob = repo
            .find_blob(oid)
            .map_err(|e| io::Error::other(e.message().to_string()))?;
        Ok(blob.content().to_vec())
    }

    fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path.trim_end_matches('/'))
    }

    fn links(&self, path: &str) -> io::Result<Vec<String>> {
        let path = path.trim_end_matches('/');
        let under = format!("{path}/");
        Ok(self
            .symlinks
            .iter()
            .filter(|p| path.is_empty() || *p == path || p.starts_with(&under))
            .cloned()
            .collect())
    }

    fn size(&self, path: &str) -> io::Result<u64> {
        let oid = self.oid(path)?;
        let repo = self
            .repo
            .lock()
            .map_err(|_| io::Error::other("git 仓库读取中断"))?;
        let odb = repo
            .odb()
            .map_err(|e| io::Error::other(e.message().to_string()))?;
        let (size, _) = odb
            .read_header(oid)
            .map_err(|e| io::Error::other(e.message().to_string()))?;
        Ok(size as u64)
    }
}
