//! The column tree (栏目树): nested columns at any depth with breadcrumbs,
//! navigation, lists and feeds; keyring scope on a sub-column; an empty
//! column (空白栏目) neither published nor in the navigation; the HTML
//! site map as a tree.

use crate::common;

use common::*;

/// 政府信息公开 → 政策文件 → 规范性文件, one article in the deepest, one in
/// 政务动态.
fn three_deep() -> TestSite {
    let s = TestSite::new();
    s.column("gov", "政府信息公开");
    s.column("gov/zc", "政策文件");
    s.column("gov/zc/gf", "规范性文件");
    s.article("news/a.md", "新闻一则", "2026-11-18", "", "正文。");
    s.article(
        "gov/zc/gf/2026-1.md",
        "关于印发示例区临时救助办法的通知",
        "2026-11-10",
        "",
        "正文。",
    );
    s
}

/// The text between `from` and the next `to` in `html`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn three_deep_columns_render_with_breadcrumbs_nav_and_lists() {
    let s = three_deep();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("4 个栏目"), "{}", r.stdout);

    // The article: breadcrumbs 首页 › 政府信息公开 › 政策文件 › 规范性文件 › 正文.
    let page = s.read("gov/zc/gf/2026-1/index.html");
    let crumbs = between(&page, "class=\"breadcrumbs\"", "</nav>");
    let expected = [
        "<a href=\"/\">首页</a>",
        "<a href=\"/gov/\">政府信息公开</a>",
        "<a href=\"/gov/zc/\">政策文件</a>",
        "<a href=\"/gov/zc/gf/\">规范性文件</a>",
        "正文",
    ];
    let mut at = 0;
    for e in expected {
        let i = crumbs[at..]
            .find(e)
            .unwrap_or_else(|| panic!("{e} missing or out of order in {crumbs}"));
        at += i + e.len();
    }
    assert!(page.contains("<meta name=\"ColumnName\" content=\"规范性文件\">"));

    // Main navigation: top-level columns only, the current branch marked.
    let nav = between(&page, "class=\"site-nav\"", "</nav>");
    assert!(
        nav.contains("<a href=\"/gov/\" aria-current=\"true\">政府信息公开</a>"),
        "{nav}"
    );
    assert!(!nav.contains("/gov/zc/"), "{nav}");

    // The deepest column lists the article; its sidebar opens the branch.
    let col = s.read("gov/zc/gf/index.html");
    assert!(col.contains("关于印发示例区临时救助办法的通知"), "{col}");
    let side = between(&col, "class=\"layout-aside\"", "</aside>");
    assert!(
        side.contains("href=\"/gov/zc/gf/\" class=\"is-current\" aria-current=\"page\""),
        "{side}"
    );
    assert!(
        side.contains("href=\"/gov/zc/\" class=\"is-branch\""),
        "{side}"
    );
    // The parent shows its sub-column with the newest items, not an
    // empty-column notice.
    let gov = s.read("gov/index.html");
    assert!(gov.contains("<a href=\"/gov/zc/\">政策文件</a>"), "{gov}");
    assert!(gov.contains("关于印发示例区临时救助办法的通知"), "{gov}");
    assert!(!gov.contains("本栏目暂无信息"), "{gov}");
    // Another column's page does not open 政府信息公开's branch.
    let news = s.read("news/index.html");
    let side = between(&news, "class=\"layout-aside\"", "</aside>");
    assert!(!side.contains("/gov/zc/"), "{side}");

    // Feeds: a column's feed carries its branch; sitemap.xml lists all.
    assert!(s.read("gov/feed.xml").contains("/gov/zc/gf/2026-1/"));
    assert!(s.read("gov/zc/gf/feed.xml").contains("/gov/zc/gf/2026-1/"));
    assert!(!s.read("news/feed.xml").contains("/gov/"));
    let xml = s.read("sitemap.xml");
    assert!(xml.contains("<urlset"), "{xml}");
    for u in ["/gov/", "/gov/zc/", "/gov/zc/gf/", "/gov/zc/gf/2026-1/"] {
        assert!(
            xml.contains(&format!("<loc>https://www.ceshi.gov.cn{u}</loc>")),
            "{u}: {xml}"
        );
    }
}

#[test]
fn a_folder_without_index_is_held_not_flattened() {
    let s = TestSite::new();
    s.article("news/a.md", "新闻一则", "2026-11-18", "", "正文。");
    s.article("news/photos/b.md", "图片新闻", "2026-11-19", "", "正文。");
    let r = s.build(&[]);
    assert!(
        r.all()
            .contains("目录 content/news/photos/ 不是子栏目：缺少 _index.md"),
        "{}",
        r.all()
    );
    assert!(
        r.all().contains("在 content/news/photos/ 中新建 _index.md"),
        "{}",
        r.all()
    );
    assert!(!s.exists("news/photos/b/index.html"));
    assert!(!s.read("news/index.html").contains("图片新闻"));
}

#[test]
fn a_sub_column_without_a_parent_column_stops_the_build() {
    let s = TestSite::new();
    s.article("news/a.md", "新闻一则", "2026-11-18", "", "正文。");
    s.column("gov/zc", "政策文件");
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(
        r.all()
            .contains("子栏目 content/gov/zc/ 的上级目录 content/gov/ 不是栏目：缺少 _index.md"),
        "{}",
        r.all()
    );
    assert!(!s.exists("index.html"));
}

#[test]
fn scope_on_a_sub_column_counts_there_and_only_by_whole_segments() {
    let s = TestSite::new();
    s.column("a", "甲栏目");
    s.column("a/b", "乙子栏目");
    s.column("a/c", "丙子栏目");
    s.column("newsletter", "简报");
    // Seed 99: the key `approvals_block` signs with for a reviewer id
    // not in `REVIEWERS`.
    s.add_reviewer(
        "ab.editor",
        "乙栏编辑",
        "editor",
        1,
        99,
        "  sections: [a/b, news]\n",
    );
    let who = [("ab.editor", 1)];
    for (rel, title) in [
        ("a/b/in-scope.md", "乙栏文章"),
        ("a/c/out-of-scope.md", "丙栏文章"),
        ("news/n.md", "新闻文章"),
        ("newsletter/l.md", "简报文章"),
    ] {
        s.article_signed(rel, "A", title, "2026-11-18", "", "正文。", &who);
    }
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("a/b/in-scope/index.html"), "{}", r.all());
    assert!(s.exists("news/n/index.html"), "{}", r.all());
    assert!(!s.exists("a/c/out-of-scope/index.html"), "{}", r.all());
    assert!(!s.exists("newsletter/l/index.html"), "{}", r.all());
    let out = r.all();
    assert!(
        out.contains("负责的栏目是「a/b、news」，不含「a/c」（scope）"),
        "{out}"
    );
    assert!(out.contains("不含「newsletter」（scope）"), "{out}");
    // `sign` refuses out of scope before anything is written.
    s.article_signed(
        "a/c/new.md",
        "A",
        "丙栏新文",
        "2026-11-19",
        "",
        "正文。",
        &[],
    );
    let r = s.run(&[
        "sign",
        "content/a/c/new.md",
        "--key",
        "keys/ab.editor.pem",
        "--yes",
    ]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("不含「a/c」"), "{}", r.all());
}

#[test]
fn empty_column_is_not_published_and_audit_lists_it() {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    s.column("gov", "政府信息公开");
    s.column("gov/zc", "政策文件");
    s.article("news/a.md", "新闻一则", "2026-11-18", "", "正文。");
    // Pending: after the gate, 政府信息公开 and 政策文件 have nothing.
    s.article_signed(
        "gov/zc/p.md",
        "A",
        "待审文件",
        "2026-11-18",
        "",
        "正文。",
        &[],
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("空白栏目"), "{}", r.all());
    assert!(r.stdout.contains("1 个栏目"), "{}", r.stdout);
    for gone in [
        "notices/index.html",
        "gov/index.html",
        "gov/zc/index.html",
        "notices/feed.xml",
    ] {
        assert!(!s.exists(gone), "{gone} published");
    }
    for page in ["index.html", "news/index.html", "sitemap/index.html"] {
        let html = s.read(page);
        for link in ["href=\"/notices/\"", "href=\"/gov/\"", "href=\"/gov/zc/\""] {
            assert!(!html.contains(link), "{page} links {link}");
        }
        for title in ["政府信息公开", "政策文件"] {
            assert!(!html.contains(title), "{page} shows {title}");
        }
    }
    assert!(!s.read("sitemap.xml").contains("/notices/"));

    let r = s.run(&["audit", "--json"]);
    assert_ne!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let blank = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "blank-columns")
        .unwrap()
        .clone();
    assert_eq!(blank["count"], 3, "{blank}");
    let text = blank.to_string();
    for f in [
        "content/notices/_index.md",
        "content/gov/_index.md",
        "content/gov/zc/_index.md",
    ] {
        assert!(text.contains(f), "{f}: {text}");
    }
    assert!(
        !text.contains("content/news/_index.md\",\"ok\":false"),
        "{text}"
    );
    let r = s.run(&["audit"]);
    assert!(
        r.stdout.contains("content/gov/zc/_index.md"),
        "{}",
        r.stdout
    );
}

#[test]
fn html_sitemap_is_the_column_tree_with_counts_and_newest_items() {
    let s = three_deep();
    for d in 1..=7 {
        s.article(
            &format!("news/n{d}.md"),
            &format!("动态第{d}篇"),
            &format!("2026-11-0{d}"),
            "",
            "正文。",
        );
    }
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let map = s.read("sitemap/index.html");
    let news = between(&map, "id=\"sm-news\"", "</section>");
    assert!(news.contains("共 8 篇"), "{news}");
    // The newest five, not every article.
    assert!(
        news.contains("新闻一则") && news.contains("动态第7篇"),
        "{news}"
    );
    assert!(
        news.contains("动态第4篇") && !news.contains("动态第3篇"),
        "{news}"
    );
    assert!(news.contains("查看「政务动态」全部信息"), "{news}");
    // The tree: 规范性文件 nested inside 政策文件 inside 政府信息公开.
    let gov = &map[map.find("id=\"sm-gov\"").unwrap()..];
    let zc = gov
        .find("id=\"sm-gov-zc\"")
        .expect("政策文件 in 政府信息公开");
    let gf = gov.find("id=\"sm-gov-zc-gf\"").expect("规范性文件");
    assert!(zc < gf);
    assert!(gov[..zc].contains("共 1 篇"), "{gov}");
    assert!(gov[gf..].contains("关于印发示例区临时救助办法的通知"));
    assert!(map.contains("<h4 id=\"h-sm-gov-zc-gf\">"), "{map}");
}

#[test]
fn new_offers_sub_columns_by_path_or_title() {
    let s = three_deep();
    let new = |target: &str| {
        sanshen(
            s.path(),
            &["new", target, "--date", "2026-11-21", "--root", "."],
        )
    };
    let r = new("gov/zc/gf/关于印发办法的通知");
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("content/gov/zc/gf/2026-11-21-"),
        "{}",
        r.stdout
    );
    let r = new("规范性文件/关于A/B试点的通知");
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("content/gov/zc/gf/"), "{}", r.stdout);
    let r = new("nosuch/标题");
    assert_ne!(r.code, 0);
    assert!(r.all().contains("gov/zc/gf（规范性文件）"), "{}", r.all());
}

#[test]
fn notices_column_must_name_a_column() {
    let s = three_deep();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nnotices_column: nosuch\n",
    );
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(
        r.all().contains("notices_column 写的栏目 `nosuch` 不存在"),
        "{}",
        r.all()
    );
    // A sub-column may be the notices column.
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nnotices_column: gov/zc/gf\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let home = s.read("index.html");
    let notices = between(&home, "panel-notices", "</section>");
    assert!(
        notices.contains("关于印发示例区临时救助办法的通知"),
        "{notices}"
    );
}

#[test]
fn an_article_at_a_sub_columns_address_is_held_and_links_to_empty_columns_are_text() {
    let s = TestSite::new();
    s.column("news/photos", "图片新闻");
    s.column("notices", "通知公告");
    s.article("news/photos/p.md", "图片一则", "2026-11-17", "", "正文。");
    // `news/photos.md` would be published at /news/photos/, the column's.
    s.article("news/photos.md", "同名文章", "2026-11-18", "", "正文。");
    s.article(
        "news/a.md",
        "新闻一则",
        "2026-11-18",
        "",
        "详见[通知公告](../notices/_index.md)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = r.all();
    assert!(
        out.contains("与栏目 content/news/photos/_index.md 的网址相同：/news/photos/"),
        "{out}"
    );
    assert!(s.read("news/photos/index.html").contains("图片一则"));
    assert!(!s.read("news/photos/index.html").contains("同名文章"));
    // 通知公告 is empty: not published, so the link is text with a warning.
    assert!(
        out.contains("链接的栏目暂无已发布文章、不发布：content/notices/"),
        "{out}"
    );
    let a = s.read("news/a/index.html");
    assert!(a.contains("详见通知公告。"), "{a}");
    assert!(!a.contains("href=\"/notices/\""), "{a}");
}
