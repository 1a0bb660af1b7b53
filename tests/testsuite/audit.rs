//! `sanshen audit` end to end on purpose-made sites and on the example
//! site, all at the pinned build clock 2026-11-21 12:00 +08:00.

use crate::common;

use common::TestSite;

fn json(r: &common::Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", r.all()))
}

fn item(v: &serde_json::Value, id: &str) -> serde_json::Value {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
        .clone()
}

#[test]
fn fresh_site_passes_with_every_item_ticked() {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    s.article("news/a.md", "新闻", "2026-11-18", "", "正文。");
    s.article(
        "notices/n.md",
        "通知",
        "2026-06-01",
        "",
        "正文见[新闻](../news/a.md)。",
    );
    let r = s.run(&["audit"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = &r.stdout;
    assert!(!out.contains('✗'), "{out}");
    for title in ["空白栏目", "栏目更新", "首页更新", "站内链接可用"] {
        assert!(out.contains(&format!("{title}〔单项否决〕")), "{out}");
    }
    assert!(
        out.contains("✓ 一、空白栏目〔单项否决〕：2 个栏目都有已发布文章"),
        "{out}"
    );
    // 动态-like column: 14 days by default; others 180.
    assert!(out.contains("14 天（默认）"), "{out}");
    assert!(out.contains("180 天（默认）"), "{out}");
    assert!(out.contains("结论：合格"), "{out}");
    let v = json(&s.run(&["audit", "--json"]));
    assert_eq!(v["passed"], true);
    assert_eq!(v["now"], "2026-11-21T12:00:00+08:00");
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["ok"] == true));
}

#[test]
fn empty_column_is_a_veto() {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    s.article("news/a.md", "新闻", "2026-11-18", "", "正文。");
    let r = s.run(&["audit"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(
        out.contains("✗ 一、空白栏目〔单项否决〕：1 个栏目没有任何已发布文章"),
        "{out}"
    );
    assert!(out.contains("✗   通知公告（notices）"), "{out}");
    assert!(out.contains("✗ 单项否决"), "{out}");
    assert!(out.contains("结论：不合格"), "{out}");
    let v = json(&s.run(&["audit", "--json"]));
    assert_eq!(v["passed"], false);
    assert!(v["vetoes"]
        .as_array()
        .unwrap()
        .contains(&"blank-columns".into()));
    let blank = item(&v, "blank-columns");
    assert_eq!(blank["count"], 1);
    let bad: Vec<_> = blank["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ok"] == false)
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["column"], "通知公告（notices）");
}

#[test]
fn stale_news_column_and_home_page_are_vetoes() {
    let s = TestSite::new();
    // 20 days before the clock: over the 14-day period of a 动态 column.
    s.article("news/old.md", "旧新闻", "2026-11-01", "", "正文。");
    let r = s.run(&["audit"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let out = &r.stdout;
    assert!(
        out.contains("✗ 二、栏目更新〔单项否决〕：1 个栏目超过更新周期未更新"),
        "{out}"
    );
    assert!(out.contains("2026-11-01"), "{out}");
    assert!(out.contains("超期 6 天"), "{out}");
    assert!(
        out.contains("✗ 三、首页更新〔单项否决〕：首页已 20 天未更新"),
        "{out}"
    );
    let v = json(&s.run(&["audit", "--json"]));
    let vetoes = v["vetoes"].as_array().unwrap();
    assert!(vetoes.contains(&"column-updates".into()), "{v}");
    assert!(vetoes.contains(&"home-update".into()), "{v}");

    // A declared update_period wins over the default.
    s.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\ntype: 政务动态\nupdate_period: 1m\n---\n",
    );
    let v = json(&s.run(&["audit", "--json"]));
    assert_eq!(item(&v, "column-updates")["ok"], true, "{v}");
    assert_eq!(item(&v, "home-update")["ok"], false);
}

#[test]
fn old_pending_articles_and_missing_alt_text_are_warnings() {
    let s = TestSite::new();
    s.article("news/b.md", "无图新闻", "2026-11-18", "", "正文。");
    s.article(
        "news/a.md",
        "新闻",
        "2026-11-18",
        "",
        "正文。\n\n![](images/a.png)",
    );
    s.write_bytes("content/news/images/a.png", b"\x89PNG");
    // Only level 1 of a B article, dated 11 days before the clock.
    s.article_signed(
        "news/wait.md",
        "B",
        "等待审核",
        "2026-11-10",
        "",
        "正文。\n\n<img src=\"images/a.png\">",
        &[("editor", 1)],
    );
    // Pending but recent: not listed.
    s.article_signed(
        "news/new.md",
        "B",
        "新稿",
        "2026-11-19",
        "",
        "正文。",
        &[("editor", 1)],
    );
    let r = s.run(&["audit"]);
    assert_eq!(r.code, 0, "warnings only: exit 0\n{}", r.all());
    let out = &r.stdout;
    assert!(
        out.contains("✗ 五、待审文章积压〔提醒〕：1 篇文章超过 7 天仍未审完"),
        "{out}"
    );
    assert!(out.contains("content/news/wait.md"), "{out}");
    assert!(out.contains("11 天"), "{out}");
    assert!(!out.contains("content/news/new.md"), "{out}");
    assert!(out.contains("2 张图片缺少替代文字"), "{out}");
    assert!(out.contains("content/news/a.md:"), "{out}");
    assert!(out.contains("! 提醒 2 项"), "{out}");
    assert!(out.contains("结论：合格"), "{out}");
}

#[test]
fn html_report_is_written_with_out() {
    let s = TestSite::new();
    s.column("notices", "通知<公告>");
    s.article("news/a.md", "新闻", "2026-11-18", "", "正文。");
    let r = s.run(&["audit", "--out", "report/audit.html"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("无法写出体检报告"),
        "no folder yet: {}",
        r.all()
    );
    std::fs::create_dir_all(s.path().join("report")).unwrap();
    let r = s.run(&["audit", "--out", "report/audit.html"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("已写出 HTML 体检报告：report/audit.html"),
        "{}",
        r.stdout
    );
    let html = String::from_utf8(s.source("report/audit.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<style>"), "inline CSS");
    assert!(!html.contains("<link"), "self-contained");
    assert!(html.contains("网站体检报告"));
    assert!(html.contains("通知&lt;公告&gt;（notices）"), "escaped");
    assert!(html.contains("结论：不合格（单项否决：空白栏目"), "{html}");
    // Without --out nothing is written.
    std::fs::remove_file(s.path().join("report/audit.html")).unwrap();
    s.run(&["audit"]);
    assert!(!s.path().join("report/audit.html").exists());
    assert!(!s.path().join("audit.html").exists());
}

#[test]
fn example_site_passes_at_the_pinned_clock() {
    let repo = common::repo();
    let root = repo.to_string_lossy().into_owned();
    let r = common::sanshen(&repo, &["audit", "--root", &root]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("结论：合格"), "{}", r.stdout);
    // The repository trust root is build's and serve's to mention, not
    // every editor command's.
    assert!(
        !r.stderr.contains("仓库内信任根"),
        "no trust-root warning: {}",
        r.stderr
    );
}
