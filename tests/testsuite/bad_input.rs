//! Every kind of bad input: a clear message naming file and line. A broken
//! frame (site.yaml, templates) stops the build: exit code 1, nothing
//! written. A broken article is only held (reason `unreadable` or `slug`):
//! every other article still publishes.

use crate::common;

use common::TestSite;

/// Build, expect failure with nothing written, return stderr.
fn fails(s: &TestSite) -> String {
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "expected failure:\n{}", r.all());
    assert!(!s.out().exists(), "nothing may be written");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("未写出任何文件"), "{}", r.stderr);
    r.stderr
}

/// Build, expect success with the good article published and `file`
/// held; return the held entry of `file` as printed (its reasons).
fn held(s: &TestSite, file: &str) -> String {
    let r = s.build(&[]);
    assert_eq!(
        r.code,
        0,
        "a broken article must not stop the build:\n{}",
        r.all()
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        s.exists("news/ok/index.html"),
        "the other article publishes"
    );
    let start = r
        .stdout
        .find(&format!("  {file}《"))
        .unwrap_or_else(|| panic!("{file} not in the held list:\n{}", r.stdout));
    let rest = &r.stdout[start + 2..];
    let end = rest
        .find("\n  content/")
        .or_else(|| rest.find("\n定时"))
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

fn with_ok_article() -> TestSite {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s
}

#[test]
fn invalid_yaml_names_file_and_line() {
    let s = with_ok_article();
    s.write(
        "content/news/bad.md",
        "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\nauthor: [王芳\n---\n正文\n",
    );
    let e = held(&s, "content/news/bad.md");
    assert!(e.contains("[unreadable] 第 5 行"), "{e}");
    assert!(e.contains("front matter 格式错误"), "{e}");
    assert!(e.contains("修改方法"), "{e}");
}

#[test]
fn missing_title() {
    let s = with_ok_article();
    s.write(
        "content/news/t.md",
        "---\nclass: A\ndate: \"2026-11-01\"\n---\n正文\n",
    );
    let e = held(&s, "content/news/t.md");
    assert!(e.contains("第 1 行"), "{e}");
    assert!(e.contains("缺少标题 title"), "{e}");
}

#[test]
fn missing_and_malformed_date() {
    let s = with_ok_article();
    s.write(
        "content/news/d.md",
        "---\ntitle: 无日期\nclass: A\n---\n正文\n",
    );
    let e = held(&s, "content/news/d.md");
    assert!(
        e.contains("第 1 行") && e.contains("缺少发布日期 date"),
        "{e}"
    );
    s.write(
        "content/news/d.md",
        "---\ntitle: 错日期\nclass: A\ndate: 2026年11月1日\n---\n正文\n",
    );
    let e = held(&s, "content/news/d.md");
    assert!(e.contains("第 4 行") && e.contains("无法识别的日期"), "{e}");
}

#[test]
fn not_utf8() {
    let s = with_ok_article();
    // "标题" in GBK.
    s.write_bytes(
        "content/news/gbk.md",
        b"---\ntitle: \xb1\xea\xcc\xe2\nclass: A\ndate: \"2026-11-01\"\n---\n",
    );
    let e = held(&s, "content/news/gbk.md");
    assert!(e.contains("[unreadable] 第 2 行"), "{e}");
    assert!(e.contains("UTF-8"), "{e}");
}

#[test]
fn duplicate_urls() {
    let s = with_ok_article();
    s.article("news/a.md", "甲", "2026-11-01", "slug: same\n", "正文");
    s.article("news/b.md", "乙", "2026-11-01", "slug: same\n", "正文");
    // Same date: the later path is the newer one and is held.
    let e = held(&s, "content/news/b.md");
    assert!(e.contains("[slug] 第 7 行"), "{e}");
    assert!(e.contains("网址相同") && e.contains("/news/same/"), "{e}");
    assert!(e.contains("content/news/a.md"), "{e}");
    assert!(s.read("news/same/index.html").contains("甲"));
}

#[test]
fn article_outside_any_column() {
    let s = with_ok_article();
    s.article("loose.md", "散落的文章", "2026-11-01", "", "正文");
    let e = held(&s, "content/loose.md");
    assert!(
        e.contains("[unreadable]") && e.contains("不在任何栏目中"),
        "{e}"
    );

    let s = with_ok_article();
    s.article("misc/x.md", "无栏目文章", "2026-11-01", "", "正文");
    let e = held(&s, "content/misc/x.md");
    assert!(
        e.contains("[unreadable]") && e.contains("缺少 _index.md"),
        "{e}"
    );
    assert!(!s.exists("misc"), "a held article is never rendered");
}

#[test]
fn unknown_template_variable() {
    let s = with_ok_article();
    let theme = common::repo().join("themes/default");
    for entry in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(common::repo()).unwrap();
            s.write_bytes(
                &rel.to_string_lossy(),
                &std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    let path = s.path().join("themes/default/templates/article.html");
    let t = std::fs::read_to_string(&path).unwrap();
    let line = t.lines().position(|l| l.contains("article.title")).unwrap() + 1;
    std::fs::write(&path, t.replacen("article.title", "article.titel", 1)).unwrap();
    s.sign_governance();
    let e = fails(&s);
    assert!(e.contains("不存在的变量 `article.titel`"), "{e}");
    assert!(
        e.contains(&format!("themes/default/templates/article.html:{line}")),
        "{e}"
    );
}

#[test]
fn link_to_missing_article_names_line() {
    let s = with_ok_article();
    s.article(
        "news/l.md",
        "链接",
        "2026-11-01",
        "",
        "第一段。\n\n见[不存在](../news/nope.md)。",
    );
    // A dead link holds the one article (链接不可用), never the build.
    let e = held(&s, "content/news/l.md");
    // Front matter (6 lines), gate block (6 lines), `---`, a blank line,
    // then the body: the link is on line 17.
    assert!(e.contains("[dead-link] 第 17 行"), "{e}");
    assert!(e.contains("链接的文章不存在：content/news/nope.md"), "{e}");
    assert!(!s.exists("news/l/index.html"));
}

#[test]
fn missing_image_names_line() {
    let s = with_ok_article();
    s.article(
        "news/i.md",
        "图片",
        "2026-11-01",
        "",
        "![示意图](images/none.png)",
    );
    let e = held(&s, "content/news/i.md");
    assert!(
        e.contains("第 15 行") && e.contains("链接的图片不存在"),
        "{e}"
    );
    assert!(!s.exists("news/i/index.html"));
}

#[test]
fn bad_site_yaml() {
    let s = with_ok_article();
    s.write(
        "site.yaml",
        "name: 测试\nbase_url: https://www.ceshi.gov.cn\nper_pgae: 3\n",
    );
    let e = fails(&s);
    assert!(e.contains("site.yaml:3"), "{e}");
    s.write("site.yaml", "name: 测试\n");
    let e = fails(&s);
    assert!(e.contains("base_url"), "{e}");
}

#[test]
fn no_front_matter() {
    let s = with_ok_article();
    s.write("content/news/plain.md", "# 标题\n正文\n");
    let e = held(&s, "content/news/plain.md");
    assert!(e.contains("第 1 行") && e.contains("---"), "{e}");
}

#[test]
fn every_broken_article_is_held() {
    let s = with_ok_article();
    s.write(
        "content/news/t1.md",
        "---\nclass: A\ndate: \"2026-11-01\"\n---\n",
    );
    s.write("content/news/t2.md", "---\ntitle: x\nclass: A\n---\n");
    held(&s, "content/news/t1.md");
    held(&s, "content/news/t2.md");
}

#[test]
fn a_dead_link_holds_only_its_article() {
    let s = with_ok_article();
    s.article("news/a.md", "甲", "2026-11-02", "", "见[不存在](nope.md)。");
    s.article("news/b.md", "乙", "2026-11-03", "", "见[甲](a.md)。");
    s.article("news/c.md", "丙", "2026-11-04", "", "见[正常文章](ok.md)。");
    let a = held(&s, "content/news/a.md");
    assert!(a.contains("[dead-link]"), "{a}");
    // b links to a, which is now held: on the public site that link is
    // dead too, so b is held with it (issue 13); c publishes.
    assert!(s.exists("news/c/index.html"));
    assert!(!s.exists("news/a/index.html"));
    assert!(!s.exists("news/b/index.html"));
    let b = held(&s, "content/news/b.md");
    assert!(
        b.contains("[dead-link]") && b.contains("content/news/a.md"),
        "{b}"
    );
}
