//! Honest dates: 更新时间 is the approval time, never a commit time; the
//! date rule holds back-dated and future dates unless declared; audit
//! freshness reads publication dates; sitemap, feeds and `PubDate` agree
//! with the page.

use crate::common::{TestSite, SIGNED_AT};
use crate::git_build::commit_all;

/// The reasons printed for `file` in a build's held list.
fn held(out: &str, file: &str) -> bool {
    out.lines().any(|l| l.contains(file) && l.contains('《'))
}

#[test]
fn updated_is_the_approval_time_not_the_commit_time() {
    let s = TestSite::new();
    // Approved at SIGNED_AT (2026-11-20 10:00), committed the next day.
    s.article("news/a.md", "按日期发布", "2026-11-18", "", "正文。");
    s.article("news/b.md", "带时间发布", "2026-11-20 09:30", "", "正文。");
    commit_all(s.path(), "2026-11-21T09:00:00+08:00");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.all().contains("[date]"), "{}", r.all());

    let page = s.read("news/a/index.html");
    assert!(
        page.contains(
            "更新时间：<time datetime=\"2026-11-20T10:00:00+08:00\">2026-11-20 10:00</time>"
        ),
        "{page}"
    );
    assert!(!page.contains("2026-11-21"), "a commit time: {page}");
    // PubDate: the date only, as written, never an invented 00:00.
    assert!(
        page.contains("name=\"PubDate\" content=\"2026-11-18\""),
        "{page}"
    );
    let b = s.read("news/b/index.html");
    assert!(
        b.contains("name=\"PubDate\" content=\"2026-11-20 09:30\""),
        "{b}"
    );

    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("news/a/</loc><lastmod>2026-11-20</lastmod>"),
        "{sitemap}"
    );
    let feed = s.read("news/feed.xml");
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains("news/a/"))
        .expect("entry of news/a");
    assert!(
        entry.contains("<published>2026-11-18T00:00:00+08:00</published>"),
        "{entry}"
    );
    assert!(
        entry.contains(&format!("<updated>{SIGNED_AT}</updated>")),
        "{entry}"
    );
    assert!(
        feed.contains(&format!("  <updated>{SIGNED_AT}</updated>\n  <author>")),
        "{feed}"
    );

    let r = s.run(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let a = v
        .as_array()
        .and_then(|l| l.iter().find(|x| x["path"] == "news/a.md"))
        .expect("news/a.md");
    assert_eq!(a["updated"], SIGNED_AT);
    assert_eq!(a["created"]["at"], "2026-11-21T09:00:00+08:00");
}

#[test]
fn a_backdated_date_is_held_unless_declared() {
    let s = TestSite::new();
    s.article("news/old.md", "倒填日期", "2025-01-01", "", "正文。");
    s.article("news/ok.md", "三天以内", "2026-11-17", "", "正文。");
    commit_all(s.path(), "2026-11-20T09:00:00+08:00");
    // Not committed yet: its first commit is no earlier than the clock.
    s.article("news/new.md", "未提交", "2026-11-01", "", "正文。");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = r.all();
    assert!(held(&out, "content/news/old.md"), "{out}");
    assert!(
        out.contains("[date] 第 4 行：发布日期 date（2025-01-01）比这篇文章首次提交的时间（2026-11-20 09:00）早 688 天，超过允许的 3 天"),
        "{out}"
    );
    assert!(out.contains("伪造发稿日期"), "{out}");
    assert!(out.contains("backdated: \"补录理由\""), "{out}");
    assert!(held(&out, "content/news/new.md"), "{out}");
    assert!(!s.exists("news/old/index.html"));
    assert!(!s.exists("news/new/index.html"));
    assert!(s.exists("news/ok/index.html"));

    // `status` says so before anyone builds.
    let r = s.run(&["status", "content/news/old.md"]);
    assert!(r.stdout.contains("伪造发稿日期"), "{}", r.all());

    // Declared and signed: published with its original date.
    s.article(
        "news/old.md",
        "倒填日期",
        "2025-01-01",
        "backdated: \"从原网站迁入的历史文件\"\n",
        "正文。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!held(&r.all(), "content/news/old.md"), "{}", r.all());
    assert!(s
        .read("news/old/index.html")
        .contains("name=\"PubDate\" content=\"2025-01-01\""));
}

#[test]
fn the_tolerance_is_set_in_site_yaml() {
    let s = TestSite::new();
    s.article("news/a.md", "十天前", "2026-11-10", "", "正文。");
    commit_all(s.path(), "2026-11-20T09:00:00+08:00");
    let r = s.build(&[]);
    assert!(held(&r.all(), "content/news/a.md"), "{}", r.all());
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\ndates:\n  backdate_tolerance_days: 10\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/a/index.html"), "{}", r.all());
}

#[test]
fn a_future_date_is_held_unless_publish_at_says_so() {
    let s = TestSite::new();
    s.article("news/typo.md", "年份写错", "2027-06-01", "", "正文。");
    s.article(
        "news/planned.md",
        "定时发布",
        "2026-12-01",
        "publish_at: \"2026-12-01 09:00\"\n",
        "正文。",
    );
    s.article(
        "news/late.md",
        "日期晚于定时",
        "2026-12-05",
        "publish_at: \"2026-12-01 09:00\"\n",
        "正文。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = r.all();
    assert!(
        out.contains("[date] 第 4 行：发布日期 date（2027-06-01）晚于现在（2026-11-21 12:00）"),
        "{out}"
    );
    assert!(out.contains("publish_at"), "{out}");
    assert!(out.contains("[scheduled]"), "{out}");
    assert!(
        out.contains("发布日期 date（2026-12-05）晚于定时发布时间 publish_at（2026-12-01 09:00）"),
        "{out}"
    );
    // No history here: back-dating is not judged, and that is said once.
    assert_eq!(out.matches("本次未检查倒填日期").count(), 1, "{out}");
    for p in ["typo", "planned", "late"] {
        assert!(!s.exists(&format!("news/{p}/index.html")), "{p}");
    }

    // When publish_at has come, the planned one is published; the others
    // stay held.
    let r = s.build(&["--now", "2026-12-02T08:00:00+08:00"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/planned/index.html"));
    assert!(!s.exists("news/typo/index.html"));
    assert!(!s.exists("news/late/index.html"));
}

#[test]
fn audit_freshness_reads_publication_dates() {
    let s = TestSite::new();
    s.article("news/a.md", "较早", "2026-11-10", "", "正文。");
    commit_all(s.path(), "2026-11-10T09:00:00+08:00");
    s.article("news/b.md", "最新", "2026-11-18", "", "正文。");
    commit_all(s.path(), "2026-11-18T09:00:00+08:00");
    // A later commit (and approval) of the newest article does not make
    // the column look fresh.
    s.article("news/b.md", "最新", "2026-11-18", "", "正文（修订）。");
    commit_all(s.path(), "2026-11-30T09:00:00+08:00");
    let r = s.run(&["audit", "--now", "2026-12-04T09:00:00+08:00"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("政务动态（news）") && l.contains("2026-11-18"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains("2026-11-18"), "{line}");
    assert!(line.contains("16 天"), "{line}");
    assert!(line.contains("超期 2 天"), "{line}");
    assert!(r.stdout.contains("首页已 16 天未更新"), "{}", r.stdout);
}

#[test]
fn with_the_log_updated_never_moves_after_the_first_build() {
    let s = TestSite::new();
    s.article("news/a.md", "已发布", "2026-11-18", "", "正文。");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = crate::common::sanshen(
        s.path(),
        &[
            "deploy",
            "--to",
            "www",
            "--now",
            "2026-11-22T08:00:00+08:00",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());

    let r = s.build(&["--log", "www", "--now", "2026-11-23T09:00:00+08:00"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let page = s.read("news/a/index.html");
    // The log saw it after its approval: the page keeps the approval time
    // (the build before the deploy could not know the log's time, so the
    // page does not change on the next build).
    assert!(page.contains(&format!("datetime=\"{SIGNED_AT}\"")), "{page}");
    assert!(!page.contains("2026-11-22T08:00:00+08:00"), "{page}");
    // A new version approved since: its approval time.
    s.article("news/a.md", "已发布", "2026-11-18", "", "正文（修订）。");
    let r = s.build(&["--log", "www", "--now", "2026-11-23T09:00:00+08:00"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let page = s.read("news/a/index.html");
    assert!(
        page.contains(&format!("datetime=\"{SIGNED_AT}\"")),
        "{page}"
    );
}
