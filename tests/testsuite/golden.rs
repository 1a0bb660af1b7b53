//! Snapshot tests (insta): rendered pages of the example site and the
//! messages users read. The snapshots live in `tests/testsuite/snapshots/`
//! and are committed; review a change with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test testsuite -- golden::` and `git
//! diff`). Under `CI` a mismatch fails instead of writing a new snapshot.
//!
//! Determinism: every build runs with `SOURCE_DATE_EPOCH` = [`common::NOW`]
//! (the clock of all test builds), the example site is copied out of the
//! repository so that update times come from front matter rather than from
//! this repository's commit history, and temp paths and durations are
//! replaced by placeholders.

use std::fs;
use std::path::Path;

use crate::common;

use common::{sanshen, TestSite};

/// A copy of the example site (site.yaml, content, reviews, themes) in a
/// temp dir outside any git repository.
fn example_copy() -> tempfile::TempDir {
    let repo = common::repo();
    let tmp = tempfile::tempdir().expect("temp dir");
    for top in ["site.yaml", "content", "reviews", "themes", "static"] {
        let from = repo.join(top);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk");
            let rel = entry.path().strip_prefix(&repo).unwrap();
            let to = tmp.path().join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::create_dir_all(to.parent().unwrap()).unwrap();
                fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    tmp
}

/// Build the example-site copy into `<copy>/public`; the run's stdout with
/// the temp dir and the duration replaced.
fn build_example(site: &Path) -> String {
    let root = site.to_string_lossy().into_owned();
    let out = site.join("public").to_string_lossy().into_owned();
    let r = sanshen(site, &["build", "--root", &root, "--out", &out]);
    assert_eq!(r.code, 0, "示例站点构建失败：\n{}", r.all());
    redact(&r.stdout, site)
}

/// Temp paths → `[SITE]`, durations → `[秒]`.
fn redact(text: &str, site: &Path) -> String {
    let text = text.replace(&*site.to_string_lossy(), "[SITE]");
    let secs = regex::Regex::new(r"用时 [0-9.]+ ?(秒|毫秒|s|ms)").unwrap();
    secs.replace_all(&text, "用时 [秒]").into_owned()
}

/// The `<main>…</main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.rfind("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn example_site_pages_and_build_report() {
    let site = example_copy();
    let report = build_example(site.path());
    insta::assert_snapshot!("example_build_report", report);
    let public = site.path().join("public");
    let read = |rel: &str| fs::read_to_string(public.join(rel)).expect(rel);
    let home = read("index.html");
    insta::assert_snapshot!("example_home_main", main_of(&home));
    let article = read("news/2026-11-18-anquan-shengchan-huiyi/index.html");
    insta::assert_snapshot!("example_article_main", main_of(&article));
}

#[test]
fn held_article_report() {
    let s = TestSite::new();
    s.article("news/ok.md", "已审核文章", "2026-11-10", "", "正文。");
    s.article_signed(
        "news/pending.md",
        "B",
        "待审重要信息",
        "2026-11-12",
        "",
        "正文。",
        &[("editor", 1)],
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    insta::assert_snapshot!(redact(&r.stdout, s.path()));
}

#[test]
fn yaml_error_message() {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s.write(
        "content/news/bad.md",
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nauthor: [王芳\n---\n正文\n",
    );
    // One broken article is held with its YAML message; the rest publishes.
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/ok/index.html"), "{}", r.all());
    let held: String = r
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("暂缓发布"))
        .take_while(|l| !l.starts_with("文件清单"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(redact(&held, s.path()));
}

#[test]
fn bad_site_yaml_message() {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "name: 测试\nbase_url: https://www.ceshi.gov.cn\nper_pgae: 3\n",
    );
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    insta::assert_snapshot!(redact(&r.stderr, s.path()));
}
