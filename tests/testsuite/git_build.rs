//! `--rev`: building from the git object database, dates from history,
//! and the refusals (no repository, shallow clone, unknown revision).

use crate::common;

use std::fs;
use std::path::Path;

use common::{sanshen, snapshot, TestSite};

fn git(dir: &Path, args: &[&str], date: &str) -> String {
    common::git_at(dir, args, date)
}

/// Commit everything in the site at `date`; returns the commit id.
pub(crate) fn commit_all(dir: &Path, date: &str) -> String {
    if !dir.join(".git").exists() {
        git(dir, &["init", "-q"], date);
    }
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", "更新"], date);
    git(dir, &["rev-parse", "HEAD"], date)
}

/// `build --rev REV --out OUT` of the site at `root`.
fn build_rev(root: &Path, rev: &str, out: &Path) -> common::Run {
    let root_s = root.to_string_lossy().into_owned();
    let out_s = out.to_string_lossy().into_owned();
    let tr = common::trust_root();
    sanshen(
        root,
        &[
            "build",
            "--root",
            &root_s,
            "--out",
            &out_s,
            "--trust-root",
            &tr,
            "--rev",
            rev,
        ],
    )
}

const D1: &str = "2026-11-01T09:00:00+08:00";
const D2: &str = "2026-11-05T10:00:00+08:00";
const D3: &str = "2026-11-15T16:30:00+08:00";

#[test]
fn uncommitted_edits_are_never_published() {
    let s = TestSite::new();
    s.article("news/a.md", "已提交的文章", "2026-11-10", "", "原文。");
    let head = commit_all(s.path(), D1);
    // Edited after the commit (and properly approved again), plus a new
    // approved article: both only in the work tree.
    s.article(
        "news/a.md",
        "已提交的文章",
        "2026-11-10",
        "",
        "未提交的修改。",
    );
    // Dated within the tolerance of the clock (its first commit is to come).
    s.article("news/b.md", "未提交的新文章", "2026-11-20", "", "正文。");

    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let page = s.read("news/a/index.html");
    assert!(
        page.contains("原文。") && !page.contains("未提交的修改"),
        "{page}"
    );
    assert!(
        !s.exists("news/b/index.html"),
        "uncommitted article published"
    );
    assert!(!s.read("sitemap.xml").contains("news/b/"));
    let comment = format!("<!-- sanshen build: commit {head} -->");
    assert!(s.read("index.html").contains(&comment), "head comment");
    assert!(page.contains(&comment));
    assert!(
        r.stdout.contains(&format!("构建来源：git 提交 {head}")),
        "{}",
        r.stdout
    );

    // The same commit gives the same bytes.
    let first = snapshot(&s.out());
    let r = s.build(&["--rev", &head]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(first, snapshot(&s.out()), "deterministic from one commit");

    // Without --rev: the work tree, as before, and no commit comment.
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.read("news/a/index.html").contains("未提交的修改。"));
    assert!(s.exists("news/b/index.html"));
    assert!(!s.read("index.html").contains("sanshen build: commit"));
    assert!(!r.stdout.contains("构建来源"));
}

#[test]
fn older_revision_and_site_in_a_subdirectory() {
    let repo = tempfile::tempdir().expect("temp dir");
    let s = TestSite::new();
    s.article("news/a.md", "第一篇", "2026-11-01", "", "正文一。");
    let site = repo.path().join("gov/site");
    copy_dir(s.path(), &site);
    fs::write(repo.path().join("README.md"), "仓库说明\n").unwrap();
    let first = commit_all(repo.path(), D1);
    s.article("news/b.md", "第二篇", "2026-11-05", "", "正文二。");
    copy_dir(s.path(), &site);
    commit_all(repo.path(), D2);

    let out = repo.path().join("out");
    let r = build_rev(&site, "HEAD~1", &out);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(out.join("news/a/index.html").exists());
    assert!(!out.join("news/b/index.html").exists(), "added later");
    assert!(r.stdout.contains(&first), "{}", r.stdout);
    let r = build_rev(&site, "main", &out);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(out.join("news/b/index.html").exists());
}

#[test]
fn dates_from_history() {
    let s = TestSite::new();
    s.article("news/a.md", "第一篇", "2026-11-01", "", "原文。");
    let c1 = commit_all(s.path(), D1);
    s.article("news/b.md", "第二篇", "2026-11-05", "", "正文。");
    commit_all(s.path(), D2);
    s.article("news/a.md", "第一篇", "2026-11-01", "", "修改后的正文。");
    let c3 = commit_all(s.path(), D3);

    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // 更新时间 is the approval of the current version, never the commit
    // of the change (D3); dates.rs tests it in full.
    let a = s.read("news/a/index.html");
    assert!(!a.contains("2026-11-15 16:30"), "{a}");

    let r = s.run(&["status", "--rev", "HEAD", "--json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let a = v
        .as_array()
        .and_then(|l| l.iter().find(|x| x["path"] == "news/a.md"))
        .expect("news/a.md");
    assert_eq!(a["updated"], common::SIGNED_AT);
    assert_eq!(a["created"]["at"], "2026-11-01T09:00:00+08:00");
    assert_eq!(a["created"]["commit"], c1.as_str());
    assert_eq!(a["created"]["author"], "王芳");
    let r = s.run(&["status", "--rev", "HEAD"]);
    assert!(
        r.stdout
            .contains("更新时间：2026-11-20 10:00（当前版本审核通过）"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("创建记录：2026-11-01 09:00，王芳 提交"),
        "{}",
        r.stdout
    );

    // Freshness is read from publication dates: the newest is 16 days old
    // (政务动态 must update every 14 days), whatever the commits say.
    let r = s.run(&["audit", "--rev", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("超期"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("（git 提交记录，截至提交 {}）", &c3[..10])),
        "{}",
        r.stdout
    );
    // Without a repository: the same verdict, and back-dating not judged,
    // said once.
    fs::remove_dir_all(s.path().join(".git")).unwrap();
    let r = s.run(&["audit"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("超期"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("日期来源：已发布文章的发布日期 date（站点不在 git 仓库中，未读取提交记录）"),
        "{}",
        r.stdout
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(
        r.stderr.matches("站点不在 git 仓库中").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn refusals_write_nothing() {
    // Not a repository.
    let s = TestSite::new();
    s.article("news/a.md", "文章", "2026-11-10", "", "正文。");
    let r = s.build(&["--rev", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("不是 git 仓库"), "{}", r.stderr);
    assert!(r.stderr.contains("git init"), "{}", r.stderr);
    assert!(!s.out().exists(), "nothing written");

    // A revision that does not exist.
    commit_all(s.path(), D1);
    s.article("news/b.md", "文章二", "2026-11-11", "", "正文。");
    commit_all(s.path(), D2);
    let r = s.build(&["--rev", "no-such-branch"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("找不到版本 no-such-branch"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("git log --oneline | head"),
        "{}",
        r.stderr
    );
    assert!(!s.out().exists(), "nothing written");
    let r = s.run(&["status", "--rev", "no-such-branch"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("找不到版本"), "{}", r.stderr);

    // A shallow clone.
    let clones = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", s.path().display());
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        D3,
    );
    let shallow = clones.path().join("shallow");
    let out = clones.path().join("out");
    let r = build_rev(&shallow, "HEAD", &out);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr
            .contains("浅克隆（shallow clone）无法取得完整的提交历史"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("git fetch --unshallow"), "{}", r.stderr);
    assert!(r.stderr.contains("fetch-depth: 0"), "{}", r.stderr);
    assert!(!out.exists(), "nothing written");
    // Without --rev a shallow clone still builds, on front matter dates.
    let root = shallow.to_string_lossy().into_owned();
    let out_s = out.to_string_lossy().into_owned();
    let tr = common::trust_root();
    let r = sanshen(
        &shallow,
        &[
            "build",
            "--root",
            &root,
            "--out",
            &out_s,
            "--trust-root",
            &tr,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("浅克隆"), "{}", r.stderr);
}

/// Copy the files of `from` into `to` (no `.git`).
fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with(".git") || !e.file_type().is_file() {
            continue;
        }
        let dest = to.join(rel);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(e.path(), dest).unwrap();
    }
}
