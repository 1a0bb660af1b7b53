//! Where a site is read from — the work tree, or one git commit with
//! `--rev` — and the dates from history that come with it: each article's
//! 创建记录 (first commit that added it), which the date rule judges
//! back-dating against, found in one walk of history. (更新时间 is the
//! approval time, [`crate::dates`], never a commit time.)

use std::collections::BTreeMap;
use std::path::Path;

use git2::Oid;

use crate::content::{Tree, WorkTree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::git::{self, GitTree, History, Located};

/// Whether the articles' first commits were read from history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dates {
    /// The history up to this commit (full id).
    History { head: String },
    /// No history: only the front matter `date`, and why.
    FrontMatter { why: String },
}

enum Files {
    Work(WorkTree),
    Git(GitTree),
}

/// The walk of history that dates the articles.
enum Walk {
    /// In the [`GitTree`]'s repository, from its commit (`--rev`).
    Tree,
    /// A work-tree build inside a repository: from `HEAD`.
    Head { at: Located, head: Oid },
    /// No history to walk, and why.
    None { why: String },
}

/// The site's files, and how to date them.
pub struct Source {
    files: Files,
    walk: Walk,
    /// Warnings about reading the source.
    notes: Vec<Diagnostic>,
}

impl Source {
    /// The site at `root`: the work tree, or with `rev` the site as it is
    /// in that commit of the repository holding `root`. Refuses a
    /// directory in no repository, a shallow clone and an unknown `rev`.
    pub fn open(root: &Path, rev: Option<&str>) -> Result<Source, Diagnostic> {
        let Some(rev) = rev else {
            return Ok(Source {
                files: Files::Work(WorkTree::new(root)),
                walk: head_walk(root),
                notes: Vec::new(),
            });
        };
        let at = git::discover(root)?.ok_or_else(|| git::not_a_repo(root))?;
        if at.repo.is_shallow() {
            return Err(git::shallow(root));
        }
        // Symbolic links in the commit are refused by the build
        // (`crate::inputs`), as in the work tree.
        let tree = GitTree::open(at, rev)?;
        Ok(Source {
            files: Files::Git(tree),
            walk: Walk::Tree,
            notes: Vec::new(),
        })
    }

    /// The files to read.
    pub fn tree(&self) -> &dyn Tree {
        match &self.files {
            Files::Work(t) => t,
            Files::Git(t) => t,
        }
    }

    /// Full id of the commit read, when reading a git revision.
    pub fn commit(&self) -> Option<&str> {
        match &self.files {
            Files::Work(_) => None,
            Files::Git(t) => Some(t.commit()),
        }
    }

    /// Warnings about reading the source.
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }

    /// Walk history once for the articles' dates: per content path, the
    /// last and first commits, and the head commit; or why there is none.
    /// An error reading the commit being built is an error of its own.
    #[allow(clippy::type_complexity)]
    pub fn history(
        &self,
    ) -> Result<Result<(BTreeMap<String, History>, String), String>, Diagnostic> {
        Ok(match (&self.walk, &self.files) {
            (Walk::Tree, Files::Git(t)) => Ok(t.history(CONTENT_DIR)?),
            (Walk::Head { at, head }, _) => {
                git::history::walk(&at.repo, *head, &at.repo_path(CONTENT_DIR))
                    .map(|h| (h, head.to_string()))
                    .map_err(|d| d.message)
            }
            (Walk::None { why }, _) => Err(why.clone()),
            (Walk::Tree, Files::Work(_)) => Err("未读取提交历史".to_string()),
        })
    }
}

/// How a work-tree build dates its articles: from `HEAD` of the
/// repository holding `root`, when there is a usable one.
fn head_walk(root: &Path) -> Walk {
    let none = |why: &str| Walk::None {
        why: why.to_string(),
    };
    let at = match git::discover(root) {
        Ok(Some(at)) => at,
        Ok(None) => return none("站点不在 git 仓库中"),
        Err(d) => return Walk::None { why: d.message },
    };
    if at.repo.is_shallow() {
        return none("仓库是浅克隆（shallow clone），没有完整的提交历史");
    }
    let head = match at.repo.head().and_then(|h| h.peel_to_commit()) {
        Ok(c) => c.id(),
        Err(_) => return none("git 仓库还没有任何提交"),
    };
    Walk::Head { at, head }
}
