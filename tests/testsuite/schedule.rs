//! `publish_at` (定时发布) and `expires_at` (到期下线), judged with the
//! build's clock (SOURCE_DATE_EPOCH = 2026-11-21 12:00 +08:00).

use crate::common;

use common::TestSite;

/// A published article, one scheduled for December, one whose time has
/// come (local time and RFC 3339), one expired at exactly "now" and one
/// that expires later.
fn site() -> TestSite {
    let s = TestSite::new();
    s.article("news/plain.md", "普通文章", "2026-11-20", "", "正文。");
    s.article(
        "news/later.md",
        "定时文章",
        "2026-11-20",
        "publish_at: \"2026-12-01 09:00\"\n",
        "十二月发布。",
    );
    s.article(
        "news/due.md",
        "已到时间",
        "2026-11-20",
        "publish_at: \"2026-11-21 11:59\"\n",
        "正文。",
    );
    s.article(
        "news/due-utc.md",
        "已到时间（UTC）",
        "2026-11-20",
        "publish_at: \"2026-11-21T03:00:00Z\"\n",
        "正文。",
    );
    s.article(
        "news/gone.md",
        "已到期",
        "2026-11-01",
        "expires_at: \"2026-11-21 12:00\"\n",
        "正文。",
    );
    s.article(
        "news/still.md",
        "尚未到期",
        "2026-11-01",
        "publish_at: \"2026-11-01\"\nexpires_at: \"2026-12-31T00:00:00+08:00\"\n",
        "正文。",
    );
    s
}

#[test]
fn the_window_decides_with_the_build_clock() {
    let s = site();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/plain/index.html"));
    assert!(s.exists("news/due/index.html"), "publish_at passed");
    assert!(
        s.exists("news/due-utc/index.html"),
        "publish_at (UTC) passed"
    );
    assert!(s.exists("news/still/index.html"), "inside its window");
    assert!(!s.exists("news/later/index.html"), "scheduled");
    assert!(!s.exists("news/gone/index.html"), "expired");
    for f in ["sitemap.xml", "feed.xml", "news/index.html", "index.html"] {
        let text = s.read(f);
        assert!(
            !text.contains("news/later/") && !text.contains("定时文章"),
            "{f}"
        );
        assert!(!text.contains("news/gone/"), "{f}");
    }
    let out = &r.stdout;
    assert!(
        out.contains("定时发布或已到期下线（scheduled / expired）2 篇"),
        "{out}"
    );
    assert!(
        out.contains("[scheduled] 第 7 行：定时发布：将于 2026-12-01 09:00 发布"),
        "{out}"
    );
    assert!(
        out.contains("[expired] 第 7 行：已于 2026-11-21 12:00 到期下线"),
        "{out}"
    );
    assert!(!out.contains("暂缓发布（held）"), "{out}");
}

#[test]
fn strict_is_not_failed_by_the_window() {
    let s = site();
    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 0, "scheduled/expired only: {}", r.all());
    // A scheduled article that is also unapproved is held for review.
    s.article_signed(
        "news/unsigned.md",
        "A",
        "未审定时文章",
        "2026-11-20",
        "publish_at: \"2026-12-01 09:00\"\n",
        "正文。",
        &[],
    );
    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("1 篇文章被暂缓发布"), "{}", r.stderr);
    assert!(r.stdout.contains("[pending]"), "{}", r.stdout);
}

#[test]
fn status_shows_scheduled_articles() {
    let s = site();
    let r = s.run(&["status"]);
    assert_eq!(r.code, 0, "window only: exit 0\n{}", r.all());
    let out = &r.stdout;
    assert!(out.contains("定时发布（scheduled） 1 篇："), "{out}");
    assert!(
        out.contains("content/news/later.md《定时文章》 定时发布：将于 2026-12-01 09:00 发布"),
        "{out}"
    );
    assert!(out.contains("已到期下线（expired） 1 篇："), "{out}");
    assert!(out.contains("结论：定时发布（scheduled）"), "{out}");
    assert!(out.contains("定时发布：2026-12-01 09:00 起"), "{out}");
    assert!(
        out.contains("共 6 篇：发布 4 篇，暂缓 0 篇，定时发布 1 篇，已到期下线 1 篇。"),
        "{out}"
    );

    let r = s.run(&["status", "--json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let find = |p: &str| {
        v.as_array()
            .and_then(|l| l.iter().find(|x| x["path"] == p))
            .cloned()
            .expect(p)
    };
    let later = find("news/later.md");
    assert_eq!(later["verdict"], "scheduled");
    assert_eq!(later["publish"], false);
    assert_eq!(later["scheduled_at"], "2026-12-01T09:00:00+08:00");
    assert_eq!(later["reasons"][0]["word"], "scheduled");
    let gone = find("news/gone.md");
    assert_eq!(gone["verdict"], "expired");
    assert_eq!(gone["expires_at"], "2026-11-21T12:00:00+08:00");
    assert_eq!(
        find("news/due-utc.md")["scheduled_at"],
        "2026-11-21T11:00:00+08:00"
    );
    assert_eq!(
        find("news/plain.md")["scheduled_at"],
        serde_json::Value::Null
    );
}

#[test]
fn the_window_is_signed_and_checked() {
    let s = TestSite::new();
    // Moving publish_at after approval voids the approval.
    s.article(
        "news/moved.md",
        "改了发布时间",
        "2026-11-20",
        "publish_at: \"2026-12-01 09:00\"\n",
        "正文。",
    );
    let p = s.path().join("content/news/moved.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("2026-12-01 09:00", "2026-11-01 09:00")).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("[stale]"), "{}", r.stdout);
    assert!(!s.exists("news/moved/index.html"));

    // A time that cannot be read is an error at its line.
    s.article(
        "news/bad.md",
        "时间写错",
        "2026-11-20",
        "publish_at: 下周一\n",
        "正文。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("无法识别的时间：下周一"), "{}", r.stderr);
    assert!(r.stderr.contains("content/news/bad.md:7"), "{}", r.stderr);
    std::fs::remove_file(s.path().join("content/news/bad.md")).unwrap();

    // An empty window is allowed but warned about.
    s.article(
        "news/never.md",
        "永不出现",
        "2026-11-20",
        "publish_at: \"2026-12-01\"\nexpires_at: \"2026-11-30\"\n",
        "正文。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("永远不会出现在网站上"), "{}", r.stderr);
}
