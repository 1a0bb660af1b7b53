//! Dates from history: for every file under the site's `content/`, the
//! commit that first added it (创建记录) and the last commit that changed
//! it (更新时间), found in ONE walk of history.
//!
//! Each commit is compared with its first parent only (a merge's other
//! parents are walked as commits of their own), and only the `content/`
//! subtree, skipping every folder whose tree id did not change: a commit
//! costs what it touched, not the size of the site. Times are committer
//! times (when the change entered the repository). A rename is a delete
//! plus an add; a file whose mode alone changed counts as unchanged.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Sort, Tree, TreeEntry};

use crate::diag::Diagnostic;

/// One commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Committer time, seconds since the Unix epoch.
    pub time: i64,
    /// Full commit id.
    pub commit: String,
    /// Author name of the commit.
    pub author: String,
}

/// A file's creation record and last change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub created: Stamp,
    pub updated: Stamp,
}

/// What the walk keeps per path before names are resolved.
#[derive(Clone, Copy)]
struct Seen {
    created: Option<(i64, Oid)>,
    updated: (i64, Oid),
}

/// Walk history from `start` and date every file under `dir` (a folder
/// path in the repository, e.g. `content` or `site/content`). Keys are
/// paths relative to `dir`, `/`-separated.
pub fn walk(
    repo: &Repository,
    start: Oid,
    dir: &str,
) -> Result<BTreeMap<String, History>, Diagnostic> {
    walk_inner(repo, start, dir).map_err(|e| {
        Diagnostic::new(".git", format!("读取提交历史失败：{}", e.message()))
            .help("仓库可能不完整或已损坏：运行 git fsck 检查；浅克隆请先 git fetch --unshallow。")
    })
}

fn walk_inner(
    repo: &Repository,
    start: Oid,
    dir: &str,
) -> Result<BTreeMap<String, History>, git2::Error> {
    // Objects are read by id from the local repository; re-hashing every
    // tree read costs a third of the walk. Article bytes are checked
    // against their signed digests anyway.
    let _fast = NoHashCheck::new();
    let mut revwalk = repo.revwalk()?;
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    revwalk.push(start)?;
    let dir = Path::new(dir);
    // Commit id → id of its `dir` subtree (None: no such folder).
    let mut subtrees: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut subtree_of = |commit: Oid| -> Result<Option<Oid>, git2::Error> {
        if let Some(s) = subtrees.get(&commit) {
            return Ok(*s);
        }
        let tree = repo.find_commit(commit)?.tree()?;
        let sub = match tree.get_path(dir) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Some(e.id()),
            _ => None,
        };
        subtrees.insert(commit, sub);
        Ok(sub)
    };
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut trees = Trees {
        repo,
        last: HashMap::new(),
        this: HashMap::new(),
    };
    for oid in revwalk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let new = subtree_of(oid)?;
        let old = match commit.parent_id(0) {
            Ok(p) => subtree_of(p)?,
            Err(_) => None,
        };
        if new == old {
            continue;
        }
        let time = commit.time().seconds();
        let mut record = |path: String, added: bool| {
            let entry = seen.entry(path).or_insert(Seen {
                created: None,
                updated: (time, oid),
            });
            // The walk runs newest first; among equal times the first seen
            // is the descendant (the later change).
            if time > entry.updated.0 {
                entry.updated = (time, oid);
            }
            // The oldest add wins; among equal times the last seen is the
            // ancestor.
            if added && entry.created.is_none_or(|(t, _)| time <= t) {
                entry.created = Some((time, oid));
            }
        };
        if let Some(new) = new {
            trees.next_commit();
            diff_trees(&mut trees, old, new, "", &mut record)?;
        }
    }
    let mut authors: HashMap<Oid, String> = HashMap::new();
    let mut stamp = |(time, id): (i64, Oid)| -> Result<Stamp, git2::Error> {
        let author = match authors.get(&id) {
            Some(a) => a.clone(),
            None => {
                let c = repo.find_commit(id)?;
                let a = String::from_utf8_lossy(c.author().name_bytes()).into_owned();
                authors.insert(id, a.clone());
                a
            }
        };
        Ok(Stamp {
            time,
            commit: id.to_string(),
            author,
        })
    };
    let mut out = BTreeMap::new();
    for (path, s) in seen {
        // A file only ever modified (its add lies beyond a graft) counts
        // its oldest change as its creation.
        let created = stamp(s.created.unwrap_or(s.updated))?;
        let updated = stamp(s.updated)?;
        out.insert(path, History { created, updated });
    }
    Ok(out)
}

/// Turns libgit2's hash check of objects read off for its lifetime.
struct NoHashCheck;

impl NoHashCheck {
    fn new() -> NoHashCheck {
        git2::opts::strict_hash_verification(false);
        NoHashCheck
    }
}

impl Drop for NoHashCheck {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(true);
    }
}

/// The trees read for the last commit and for this one. Walking newest
/// first, a commit's old trees are the next commit's new trees: keeping
/// them saves reading (and undeltifying) each changed folder twice.
struct Trees<'r> {
    repo: &'r Repository,
    last: HashMap<Oid, Tree<'r>>,
    this: HashMap<Oid, Tree<'r>>,
}

impl<'r> Trees<'r> {
    fn get(&mut self, id: Oid) -> Result<Tree<'r>, git2::Error> {
        let tree = match self.this.get(&id).or_else(|| self.last.get(&id)) {
            Some(t) => t.clone(),
            None => self.repo.find_tree(id)?,
        };
        self.this.insert(id, tree.clone());
        Ok(tree)
    }

    fn next_commit(&mut self) {
        self.last = std::mem::take(&mut self.this);
    }
}

/// Report every file of tree `new` that is not in tree `old` (added) or
/// differs from it (changed), as `prefix` + its path. Subtrees with equal
/// ids are skipped without being read: that is what keeps one commit's
/// cost to the folders it touched. Deletions are not reported.
fn diff_trees(
    trees: &mut Trees,
    old: Option<Oid>,
    new: Oid,
    prefix: &str,
    record: &mut dyn FnMut(String, bool),
) -> Result<(), git2::Error> {
    if old == Some(new) {
        return Ok(());
    }
    let new_tree = trees.get(new)?;
    let old_tree = old.map(|o| trees.get(o)).transpose()?;
    // Both trees list their entries in git's order (names compared as
    // bytes, a folder's name with a trailing `/`): one merge pass.
    let mut before = old_tree.iter().flat_map(|t| t.iter()).peekable();
    for e in new_tree.iter() {
        let mut was = None;
        while let Some(o) = before.peek() {
            match git_order(o, &e) {
                Ordering::Less => {
                    before.next();
                }
                Ordering::Equal => {
                    was = before.next().map(|o| (o.id(), o.kind()));
                    break;
                }
                Ordering::Greater => break,
            }
        }
        let Ok(name) = std::str::from_utf8(e.name_bytes()) else {
            continue;
        };
        match (e.kind(), was) {
            (_, Some((id, _))) if id == e.id() => {}
            (Some(ObjectType::Tree), _) => {
                let old_sub = was.filter(|w| w.1 == Some(ObjectType::Tree)).map(|w| w.0);
                diff_trees(trees, old_sub, e.id(), &format!("{prefix}{name}/"), record)?;
            }
            (Some(ObjectType::Blob), Some((_, Some(ObjectType::Blob)))) => {
                record(format!("{prefix}{name}"), false)
            }
            (Some(ObjectType::Blob), _) => record(format!("{prefix}{name}"), true),
            _ => {}
        }
    }
    Ok(())
}

/// How two tree entries compare in git's order: names as bytes, a
/// folder's name with a trailing `/`.
fn git_order(a: &TreeEntry, b: &TreeEntry) -> Ordering {
    let slash = |e: &TreeEntry| -> &'static [u8] {
        if e.kind() == Some(ObjectType::Tree) {
            b"/"
        } else {
            b""
        }
    };
    let key_a = a.name_bytes().iter().chain(slash(a));
    key_a.cmp(b.name_bytes().iter().chain(slash(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Signature, Time};

    fn commit(repo: &Repository, files: &[(&str, &str)], time: i64, who: &str) -> Oid {
        let root = repo.workdir().unwrap().to_path_buf();
        for (p, text) in files {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = Signature::new(who, "x@example.gov.cn", &Time::new(time, 480)).unwrap();
        let parents: Vec<_> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<_> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "m", &tree, &refs)
            .unwrap()
    }

    #[test]
    fn created_and_updated_in_one_walk() {
        let t = tempfile::tempdir().unwrap();
        let repo = Repository::init(t.path()).unwrap();
        let c1 = commit(&repo, &[("site/content/news/a.md", "1")], 1_000, "甲");
        let c2 = commit(
            &repo,
            &[
                ("site/content/news/a.md", "2"),
                ("site/content/news/b.md", "1"),
            ],
            2_000,
            "乙",
        );
        // Outside content/: changes nothing.
        commit(&repo, &[("site/site.yaml", "x")], 3_000, "丙");
        let c4 = commit(&repo, &[("site/content/news/b.md", "2")], 4_000, "丁");
        let h = walk(&repo, c4, "site/content").unwrap();
        assert_eq!(h.len(), 2);
        let a = &h["news/a.md"];
        assert_eq!(
            (a.created.time, a.created.commit.clone()),
            (1_000, c1.to_string())
        );
        assert_eq!(a.created.author, "甲");
        assert_eq!(
            (a.updated.time, a.updated.commit.clone()),
            (2_000, c2.to_string())
        );
        let b = &h["news/b.md"];
        assert_eq!((b.created.time, b.updated.time), (2_000, 4_000));
        assert_eq!(b.updated.author, "丁");
        // From an older commit, later changes are not seen.
        let h = walk(&repo, c2, "site/content").unwrap();
        assert_eq!(h["news/b.md"].updated.time, 2_000);
        // No such folder: nothing dated.
        assert!(walk(&repo, c4, "nowhere").unwrap().is_empty());
    }
}
