//! Reading the site from git: finding the repository that holds the site,
//! resolving a revision ([`GitTree`]) and dates from history
//! ([`history`]). Every failure is a [`Diagnostic`] in Chinese with the fix.

pub mod commit;
pub mod history;
mod tree;

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository};

use crate::diag::Diagnostic;
pub use history::{History, Stamp};
pub use tree::GitTree;

/// The repository that holds a site, and where the site is inside it.
pub struct Located {
    pub repo: Repository,
    /// The site root relative to the repository's work tree,
    /// `/`-separated, without a trailing slash; empty at the top.
    pub prefix: String,
}

impl Located {
    /// `path` (relative to the site root) as a path in the repository.
    pub fn repo_path(&self, path: &str) -> String {
        match (self.prefix.is_empty(), path.is_empty()) {
            (true, _) => path.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{path}", self.prefix),
        }
    }
}

/// Why there is no repository to read: `root` is in none.
pub fn not_a_repo(root: &Path) -> Diagnostic {
    let shown = root
        .canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .display()
        .to_string();
    Diagnostic::new(
        &shown,
        format!("站点目录 {shown} 不是 git 仓库（也不在任何 git 仓库中），无法用 --rev 从提交记录构建"),
    )
    .help("在站点目录运行 git init，再 git add . && git commit 提交；或去掉 --rev，直接从工作目录构建。")
}

/// The refusal for a shallow clone.
pub fn shallow(root: &Path) -> Diagnostic {
    Diagnostic::new(
        root.display().to_string(),
        "浅克隆（shallow clone）无法取得完整的提交历史：文章的更新时间与创建记录会出错，已拒绝从 --rev 构建",
    )
    .help("运行 git fetch --unshallow 取得完整历史；在 CI 中克隆完整历史：GitHub Actions 的 actions/checkout 设 fetch-depth: 0，GitLab CI 设变量 GIT_DEPTH: 0。")
}

/// Find the repository holding `root` (searching upwards, like `git`).
/// `Ok(None)`: `root` is in no repository.
pub fn discover(root: &Path) -> Result<Option<Located>, Diagnostic> {
    let repo = match Repository::discover(root) {
        Ok(r) => r,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::new(
            root.display().to_string(),
            format!("无法打开 git 仓库：{}", e.message()),
        )
        .help(
            "检查站点目录（--root）与其中的 .git 是否完整、是否有读取权限；可用 git status 核对。",
        )),
    };
    let prefix = match repo.workdir() {
        None => String::new(),
        Some(workdir) => prefix_of(root, workdir)?,
    };
    Ok(Some(Located { repo, prefix }))
}

/// `root` relative to `workdir`, `/`-separated.
fn prefix_of(root: &Path, workdir: &Path) -> Result<String, Diagnostic> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| PathBuf::from(p));
    let (root_abs, work_abs) = (canon(root), canon(workdir));
    let rel = root_abs.strip_prefix(&work_abs).map_err(|_| {
        Diagnostic::new(
            root.display().to_string(),
            format!(
                "站点目录不在 git 仓库的工作目录（{}）中",
                work_abs.display()
            ),
        )
        .help("用 --root 指定仓库中的站点目录。")
    })?;
    let mut parts = Vec::new();
    for c in rel.components() {
        let part = c.as_os_str().to_str().ok_or_else(|| {
            Diagnostic::new(
                root.display().to_string(),
                "站点目录的路径含有无法识别的字符（不是 UTF-8）",
            )
            .help("把站点放在只含字母、数字、连字符和汉字的目录中。")
        })?;
        parts.push(part.to_string());
    }
    Ok(parts.join("/"))
}

/// The first 10 characters of a commit id, for messages.
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_inside_and_outside() {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("sites/main");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(prefix_of(&site, t.path()).unwrap(), "sites/main");
        assert_eq!(prefix_of(t.path(), t.path()).unwrap(), "");
        let other = tempfile::tempdir().unwrap();
        assert!(prefix_of(other.path(), t.path()).is_err());
    }

    #[test]
    fn messages_and_discovery() {
        let t = tempfile::tempdir().unwrap();
        // A temp dir is in no repository (unless TMPDIR is inside one).
        if let Ok(Some(l)) = discover(t.path()) {
            assert!(!l.prefix.is_empty());
        }
        assert!(not_a_repo(t.path()).message.contains("不是 git 仓库"));
        assert!(shallow(t.path())
            .message
            .contains("浅克隆（shallow clone）"));
    }
}
