//! `sanshen build` on purpose-made sites: pages, links, pagination, feeds,
//! sitemap, determinism, atomic replacement.

use crate::common;

use common::{snapshot, TestSite};

fn two_column_site() -> TestSite {
    let s = TestSite::new();
    s.column("policy", "政策文件");
    // Written before the articles, so that their approvals list the image
    // (spec §2).
    s.write(
        "content/news/images/duibi.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    s.write("content/news/images/unused.svg", "<svg/>");
    s.article(
        "policy/2026-gaizao.md",
        "关于印发老旧小区改造实施方案的通知",
        "2026-10-28",
        "",
        "## 一、总体要求\n\n详见[政策解读](../news/2026-jiedu.md#主要内容)。\n\n| 年度 | 户数 |\n|---|---|\n| 2026 | 1200 |\n\n脚注示例[^1]。\n\n[^1]: 数据来源：区住建局。\n\n报名截止~~11月25日~~调整为11月30日。\n",
    );
    s.article(
        "news/2026-jiedu.md",
        "老旧小区改造实施方案政策解读",
        "2026-10-30 09:30",
        "summary: 解读摘要文字\n",
        "## 主要内容\n\n[原文](../policy/2026-gaizao.md)\n\n![改造前后对比示意图](images/duibi.svg)\n\n[中国政府网](https://www.gov.cn/)\n",
    );
    s
}

#[test]
fn renders_pages_with_links_rewritten() {
    let s = two_column_site();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("构建完成"), "{}", r.stdout);
    let policy = s.read("policy/2026-gaizao/index.html");
    assert!(
        policy.contains("<title>关于印发老旧小区改造实施方案的通知"),
        "{policy}"
    );
    assert!(
        policy.contains("href=\"/news/2026-jiedu/#%E4%B8%BB"),
        "{policy}"
    );
    assert!(policy.contains("<table>"), "table");
    assert!(policy.contains("<del>11月25日</del>"), "strikethrough");
    assert!(policy.contains("footnote-definition"), "footnote");
    assert!(
        policy.contains("id=\"一-总体要求\""),
        "heading anchor: {policy}"
    );
    let news = s.read("news/2026-jiedu/index.html");
    assert!(news.contains("href=\"/policy/2026-gaizao/\""), "{news}");
    assert!(news.contains("src=\"/news/images/duibi.svg\""), "{news}");
    assert!(news.contains("alt=\"改造前后对比示意图\""), "{news}");
    assert!(news.contains("2026-10-30 09:30"), "date with time: {news}");
    assert!(s.exists("news/images/duibi.svg"));
    assert!(
        !s.exists("news/images/unused.svg"),
        "unused assets are not copied"
    );
    for f in [
        "index.html",
        "404.html",
        "sitemap/index.html",
        "robots.txt",
        "assets/style.css",
    ] {
        assert!(s.exists(f), "{f} missing");
    }
    let home = s.read("index.html");
    assert!(home.contains("lang=\"zh-CN\""));
    assert!(home.contains("/policy/2026-gaizao/") && home.contains("/news/2026-jiedu/"));
}

#[test]
fn feeds_and_sitemaps_list_published_articles() {
    let s = two_column_site();
    s.article(
        "news/draft.md",
        "草稿文章",
        "2026-11-01",
        "draft: true\n",
        "草稿",
    );
    assert_eq!(s.build(&[]).code, 0);
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://www.ceshi.gov.cn/news/2026-jiedu/</loc>"),
        "{sitemap}"
    );
    // lastmod: the day it last changed, here its approval (SIGNED_AT).
    assert!(
        sitemap.contains("<lastmod>2026-11-20</lastmod>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("draft"), "drafts stay out: {sitemap}");
    let feed = s.read("feed.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("<title>老旧小区改造实施方案政策解读</title>"));
    assert!(
        feed.contains("<published>2026-10-30T09:30:00+08:00</published>"),
        "{feed}"
    );
    // The feed changed last when its newest article was approved.
    assert!(
        feed.contains("<updated>2026-11-20T10:00:00+08:00</updated>"),
        "{feed}"
    );
    assert!(feed.contains("<summary>解读摘要文字</summary>"));
    let col_feed = s.read("policy/feed.xml");
    assert!(col_feed.contains("关于印发老旧小区改造实施方案的通知"));
    assert!(
        !col_feed.contains("政策解读</title>"),
        "column feed holds its column only"
    );
    let map = s.read("sitemap/index.html");
    assert!(map.contains("网站地图") && map.contains("/policy/"));
    let robots = s.read("robots.txt");
    assert!(robots.contains("Sitemap: https://www.ceshi.gov.cn/sitemap.xml"));
    assert!(!s.exists("news/draft/index.html"));
}

#[test]
fn columns_paginate() {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 2\n",
    );
    for d in 1..=5 {
        s.article(
            &format!("news/n{d}.md"),
            &format!("第{d}条动态"),
            &format!("2026-11-0{d}"),
            "",
            "正文。",
        );
    }
    s.article(
        "news/top.md",
        "置顶动态",
        "2026-01-01",
        "weight: 10\n",
        "正文。",
    );
    assert_eq!(s.build(&[]).code, 0);
    let p1 = s.read("news/index.html");
    let p2 = s.read("news/page/2/index.html");
    let p3 = s.read("news/page/3/index.html");
    assert!(!s.exists("news/page/4/index.html"));
    // Pinned first, then newest first.
    let first = p1.find("置顶动态").unwrap();
    let second = p1.find("第5条动态").unwrap();
    assert!(first < second);
    assert!(!p1.contains("第4条动态"));
    assert!(p2.contains("第4条动态") && p2.contains("第3条动态"));
    assert!(p3.contains("第2条动态") && p3.contains("第1条动态"));
    assert!(p1.contains("href=\"/news/page/2/\""), "next link: {p1}");
    assert!(p2.contains("href=\"/news/\"") && p2.contains("href=\"/news/page/3/\""));
    // Previous/next article links within the column.
    let a = s.read("news/n3/index.html");
    assert!(a.contains("/news/n4/") && a.contains("/news/n2/"), "{a}");
}

#[test]
fn output_is_deterministic() {
    let s = two_column_site();
    assert_eq!(s.build(&[]).code, 0);
    let first = snapshot(&s.out());
    assert_eq!(s.build(&[]).code, 0);
    assert_eq!(first, snapshot(&s.out()));
    assert!(first.len() > 10);
}

#[test]
fn failed_build_leaves_previous_output() {
    let s = two_column_site();
    assert_eq!(s.build(&[]).code, 0);
    let before = snapshot(&s.out());
    // A broken frame file stops the build (a broken article would only be
    // held).
    s.write("content/news/_index.md", "---\ntitle: [unclosed\n---\n");
    let r = s.build(&[]);
    assert_eq!(r.code, 1);
    assert_eq!(before, snapshot(&s.out()), "public/ untouched");
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("sanshen-"))
        .collect();
    assert!(leftovers.is_empty(), "no temp dirs left");
}

#[test]
fn base_path_prefixes_urls() {
    let s = two_column_site();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn/portal/\n",
    );
    assert_eq!(s.build(&[]).code, 0);
    let news = s.read("news/2026-jiedu/index.html");
    assert!(
        news.contains("href=\"/portal/policy/2026-gaizao/\""),
        "{news}"
    );
    assert!(news.contains("src=\"/portal/news/images/duibi.svg\""));
}

#[test]
fn link_to_unpublished_article_holds_the_linker() {
    let s = two_column_site();
    s.article(
        "news/pending.md",
        "未发布",
        "2026-11-01",
        "draft: true\n",
        "草稿",
    );
    s.article(
        "news/linker.md",
        "引用",
        "2026-11-02",
        "",
        "见[未发布的文章](pending.md)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    // A link to an article the build does not publish is dead on the
    // public site (issue 13): the linker waits for it.
    assert!(r.stdout.contains("[dead-link]"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("（content/news/pending.md）无法访问：链接的文章本次不发布（原因：draft）"),
        "{}",
        r.stdout
    );
    assert!(!s.exists("news/linker/index.html"));
}
