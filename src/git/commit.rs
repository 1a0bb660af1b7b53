//! Committing one file the review desk wrote (签发, 退回, 撤稿), and
//! reading every committed version of a file (for the 修改对比). Pushing
//! stays with the user's git.

use std::collections::HashSet;
use std::path::Path;

use git2::{Oid, Repository, Signature, Sort};

use crate::diag::Diagnostic;

fn fail(root: &Path, what: &str, e: git2::Error) -> Diagnostic {
    Diagnostic::new(
        root.display().to_string(),
        format!("{what}：{}", e.message()),
    )
    .help("文件已写入，但没有提交：请在站点目录用 git status 查看，再用 git commit 手工提交。")
}

/// Commit the site file `file` (relative to the site root) with `message`.
/// The author is the one git config names, else `fallback_name`.
/// `Ok(None)`: the site is in no git repository (nothing to do).
pub fn commit_file(
    root: &Path,
    file: &str,
    message: &str,
    fallback_name: &str,
    fallback_email: &str,
) -> Result<Option<String>, Diagnostic> {
    let Some(at) = super::discover(root)? else {
        return Ok(None);
    };
    let repo = &at.repo;
    let path = at.repo_path(file);
    let bytes = std::fs::read(root.join(file))
        .map_err(|e| Diagnostic::new(file, format!("无法读取要提交的文件：{e}")))?;
    // The real index: this file updated, anything else the user staged
    // stays staged (and out of this commit).
    let mut index = repo
        .index()
        .map_err(|e| fail(root, "无法读取 git 索引", e))?;
    index
        .add_path(Path::new(&path))
        .map_err(|e| fail(root, "无法把文件加入 git 索引", e))?;
    index
        .write()
        .map_err(|e| fail(root, "无法写入 git 索引", e))?;
    let parent = match repo.head() {
        Ok(h) => Some(
            h.peel_to_commit()
                .map_err(|e| fail(root, "无法读取当前提交", e))?,
        ),
        Err(_) => None,
    };
    // The commit's tree: the parent's tree with only this file changed.
    let mut only = git2::Index::new().map_err(|e| fail(root, "无法建立 git 索引", e))?;
    if let Some(p) = &parent {
        let t = p.tree().map_err(|e| fail(root, "无法读取当前提交", e))?;
        only.read_tree(&t)
            .map_err(|e| fail(root, "无法读取当前提交", e))?;
    }
    let blob = repo
        .blob(&bytes)
        .map_err(|e| fail(root, "无法写入 git 对象", e))?;
    let entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100_644,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        id: blob,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    };
    only.add(&entry)
        .map_err(|e| fail(root, "无法把文件加入 git 索引", e))?;
    let tree_id = only
        .write_tree_to(repo)
        .map_err(|e| fail(root, "无法写入 git 树", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| fail(root, "无法读取 git 树", e))?;
    let who = match repo.signature() {
        Ok(s) => s,
        Err(_) => Signature::now(fallback_name, fallback_email)
            .map_err(|e| fail(root, "无法确定提交人", e))?,
    };
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &who, &who, message, &tree, &parents)
        .map_err(|e| fail(root, "无法提交", e))?;
    Ok(Some(id.to_string()))
}

/// Every distinct committed version of the site file `file`, newest first:
/// `(commit id, bytes)`. Empty when the site is in no repository.
pub fn file_versions(root: &Path, file: &str) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let Some(at) = super::discover(root)? else {
        return Ok(Vec::new());
    };
    let repo = &at.repo;
    let path = at.repo_path(file);
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(Vec::new());
    };
    walk(repo, head.id(), &path).map_err(|e| fail(root, "无法读取提交历史", e))
}

fn walk(repo: &Repository, start: Oid, path: &str) -> Result<Vec<(String, Vec<u8>)>, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TIME | Sort::TOPOLOGICAL)?;
    walk.push(start)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id?)?;
        let Ok(entry) = commit.tree()?.get_path(Path::new(path)) else {
            continue;
        };
        if !seen.insert(entry.id()) {
            continue;
        }
        if let Ok(blob) = repo.find_blob(entry.id()) {
            out.push((commit.id().to_string(), blob.content().to_vec()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod only_tests {
    use std::fs;

    use super::*;

    #[test]
    fn commits_only_the_file_and_leaves_other_staged_changes_staged() {
        let t = tempfile::tempdir().unwrap();
        let repo = Repository::init(t.path()).unwrap();
        let who = Signature::now("甲", "a@example.invalid").unwrap();
        fs::write(t.path().join("a.md"), "one").unwrap();
        fs::write(t.path().join("b.md"), "one").unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("a.md")).unwrap();
        index.add_path(Path::new("b.md")).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        repo.commit(Some("HEAD"), &who, &who, "init", &tree, &[])
            .unwrap();
        // The user staged a change to b.md; the desk then writes a.md.
        fs::write(t.path().join("b.md"), "staged").unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("b.md")).unwrap();
        index.write().unwrap();
        fs::write(t.path().join("a.md"), "signed").unwrap();
        let id = commit_file(t.path(), "a.md", "签发", "乙", "b@example.invalid")
            .unwrap()
            .unwrap();
        let commit = repo.find_commit(Oid::from_str(&id).unwrap()).unwrap();
        let tree = commit.tree().unwrap();
        let blob = |name: &str| {
            let e = tree.get_name(name).unwrap();
            repo.find_blob(e.id()).unwrap().content().to_vec()
        };
        assert_eq!(blob("a.md"), b"signed");
        assert_eq!(blob("b.md"), b"one", "the staged change is not committed");
        let status = repo.status_file(Path::new("b.md")).unwrap();
        assert!(status.contains(git2::Status::INDEX_MODIFIED), "{status:?}");
        let status = repo.status_file(Path::new("a.md")).unwrap();
        assert!(status.is_empty(), "{status:?}");
    }
}
