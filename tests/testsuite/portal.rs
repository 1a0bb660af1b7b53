//! A portal a district would put online (issue 14): the home page blocks of
//! `site.yaml` `home:`, the 47号 meta tags from the right source on every
//! page type, the identity options (label image/script, 公安 badge, 适老化
//! mark, 网站声明) and the checks that refuse a wrong frame.

use crate::common;

use common::TestSite;

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><rect width=\"40\" height=\"30\" fill=\"#c33\"/></svg>\n";

const HOME: &str = "\
home:
  focus: 2
  services:
    - {name: 依申请公开, url: /notices/, note: 申请获取政府信息}
    - {name: 网上办事大厅, url: \"https://www.ahzwfw.gov.cn/\"}
  interaction:
    - {name: 区长信箱, url: \"https://www.ceshi.gov.cn/hudong/xinxiang/\", note: 5 日内答复}
    - {name: 12345 热线, url: \"https://12345.example.org/\"}
  new_media:
    - {name: 测试区发布, platform: 微信公众号, qr: /new-media/weixin.svg}
";

fn meta(name: &str, value: &str) -> String {
    format!("<meta name=\"{name}\" content=\"{value}\">")
}

/// A site with `home:`, a notices column, two featured stories with an
/// image, plain news and a 专题专栏 column.
fn portal() -> TestSite {
    let s = TestSite::new();
    s.write_bytes("static/new-media/weixin.svg", SVG.as_bytes());
    s.write(
        "site.yaml",
        &format!(
            "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nkeywords: [测试区, 政务]\nnotices_column: notices\nhome_per_column: 6\n{HOME}"
        ),
    );
    s.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\ndescription: 全区政务动态\nkeywords: [动态, 会议]\ntype: 政务动态\n---\n",
    );
    s.write(
        "content/notices/_index.md",
        "---\ntitle: 通知公告\ntype: 通知公告\n---\n",
    );
    s.write(
        "content/zhuanti/_index.md",
        "---\ntitle: 优化营商环境专题\ndescription: 政策、举措与成效\ntype: 专题专栏\n---\n",
    );
    s.write_bytes("content/news/images/a.svg", SVG.as_bytes());
    s.write_bytes("content/news/images/b.svg", SVG.as_bytes());
    s.article(
        "news/2026-tu-a.md",
        "图片新闻甲：老旧小区改造项目集中开工",
        "2026-11-19 10:00",
        "keywords: [老旧小区, 城市更新]\nfeatured: true\n",
        "开工仪式现场。\n\n![开工现场，工人正在搭设脚手架](images/a.svg)\n",
    );
    s.article(
        "news/2026-tu-b.md",
        "图片新闻乙：秋季运动会开幕",
        "2026-11-18",
        "featured: true\n",
        "运动会开幕。\n\n![运动员入场](images/b.svg)\n",
    );
    s.article(
        "news/2026-featured-no-image.md",
        "标为图片新闻但没有图片",
        "2026-11-17",
        "featured: true\n",
        "没有图片。\n",
    );
    for d in 10..16 {
        s.article(
            &format!("news/2026-11-{d}-dongtai.md"),
            &format!("第{d}号政务动态"),
            &format!("2026-11-{d}"),
            "",
            "动态正文。\n",
        );
    }
    s.article(
        "notices/2026-tongzhi.md",
        "最新的紧急通知",
        "2026-11-20 18:00",
        "",
        "通知正文。\n",
    );
    s.article(
        "zhuanti/2026-yingshang.md",
        "营商环境专题文章",
        "2026-11-01",
        "",
        "专题正文。\n",
    );
    s
}

/// The part of `html` from the element with `id` to the end of its section.
fn block<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[test]
fn home_page_has_every_block_and_no_article_twice() {
    let s = portal();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let home = s.read("index.html");
    // 图片新闻: the two featured stories with an image, newest first, static.
    let focus = block(&home, "h-focus");
    let a = focus.find("图片新闻甲").expect("甲 in focus");
    let b = focus.find("图片新闻乙").expect("乙 in focus");
    assert!(a < b, "newest first");
    assert!(focus.contains("<img src=\"/news/images/a.svg\""), "{focus}");
    assert!(
        !focus.contains("没有图片"),
        "featured without image is left out"
    );
    assert!(!home.contains("setInterval") && !home.contains("autoplay"));
    // 要闻: the lead story is the newest non-notice story not shown above.
    let latest = block(&home, "h-latest");
    let lead = &latest[latest.find("headline-title").unwrap()..];
    assert!(
        lead.starts_with("headline-title\"><a href=\"/news/2026-featured-no-image/\""),
        "{lead}"
    );
    assert!(!latest.contains("紧急通知"), "a notice is never the 要闻");
    // 通知公告 once.
    assert_eq!(home.matches("最新的紧急通知").count(), 1);
    // No article twice anywhere on the home page.
    for title in [
        "图片新闻甲",
        "图片新闻乙",
        "标为图片新闻但没有图片",
        "第15号政务动态",
    ] {
        assert_eq!(home.matches(title).count(), 1, "{title} once");
    }
    // 政务服务 and 互动交流: local links as site paths, other hosts through
    // the leave-site notice.
    let services = block(&home, "h-services");
    assert!(
        services.contains("<a class=\"entrance\" href=\"/notices/\">"),
        "{services}"
    );
    assert!(services.contains("申请获取政府信息"));
    let interaction = block(&home, "h-interaction");
    assert!(interaction.contains("区长信箱") && interaction.contains("5 日内答复"));
    assert!(
        interaction.contains("class=\"entrance external\" href=\"/leave/")
            && interaction.contains("data-href=\"https://12345.example.org/\""),
        "{interaction}"
    );
    let leave = interaction
        .split("href=\"/leave/")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap();
    // `leave/<page>.html#<section>`: the page holds the target's section.
    let (page, section) = leave.split_once('#').unwrap();
    assert!(s.exists(&format!("leave/{page}")), "notice page written");
    let notice = s.read(&format!("leave/{page}"));
    assert!(
        notice.contains(&format!("id=\"{section}\""))
            && notice.contains("https://12345.example.org/"),
        "{notice}"
    );
    // 专题专栏 and 政务新媒体.
    let topics = block(&home, "h-topics");
    assert!(topics.contains("href=\"/zhuanti/\"") && topics.contains("政策、举措与成效"));
    let media = block(&home, "h-media");
    assert!(
        media.contains("<img src=\"/new-media/weixin.svg\""),
        "{media}"
    );
    assert!(media.contains("alt=\"测试区发布微信公众号二维码\""));
    assert!(s.exists("new-media/weixin.svg"));
    // No external CDN: scripts and styles come from this site.
    assert!(!home.contains("<script src=\"http"));
    for tag in home.split("<link ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        assert!(
            tag.contains("rel=\"canonical\"") || !tag.contains("href=\"http"),
            "{tag}"
        );
    }
}

#[test]
fn meta_tags_come_from_the_right_source() {
    let s = portal();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let article = s.read("news/2026-tu-a/index.html");
    for m in [
        meta("SiteName", "测试区人民政府"),
        meta("SiteDomain", "www.ceshi.gov.cn"),
        meta("ColumnName", "政务动态"),
        meta("ColumnType", "政务动态"),
        meta("ArticleTitle", "图片新闻甲：老旧小区改造项目集中开工"),
        meta("PubDate", "2026-11-19 10:00"),
        meta("ContentSource", "区政府办公室"),
        meta("Keywords", "老旧小区,城市更新"),
        meta("Author", "王芳"),
        meta("Description", "开工仪式现场。"),
        meta("Image", "https://www.ceshi.gov.cn/news/images/a.svg"),
        meta("Url", "https://www.ceshi.gov.cn/news/2026-tu-a/"),
    ] {
        assert!(article.contains(&m), "article: {m}");
    }
    // Without its own keywords an article takes its column's, not the site's.
    let plain = s.read("news/2026-11-10-dongtai/index.html");
    assert!(
        plain.contains(&meta("Keywords", "动态,会议")),
        "column keywords"
    );
    assert!(!plain.contains("name=\"Image\""), "no image, no Image tag");
    // Home and column pages: Keywords, Description and Url of their own.
    let home = s.read("index.html");
    assert!(home.contains(&meta("Keywords", "测试区,政务")));
    assert!(home.contains(&meta("Url", "https://www.ceshi.gov.cn/")));
    assert!(home.contains(&meta("ColumnType", "首页")));
    assert!(!home.contains("ArticleTitle"));
    let column = s.read("news/index.html");
    assert!(column.contains(&meta("Keywords", "动态,会议")));
    assert!(column.contains(&meta("Url", "https://www.ceshi.gov.cn/news/")));
    assert!(!column.contains("ArticleTitle") && !column.contains("name=\"Author\""));
    // One Keywords tag per page (not also a lowercase duplicate).
    assert_eq!(
        article.to_lowercase().matches("name=\"keywords\"").count(),
        1
    );
}

#[test]
fn wrong_column_type_stops_the_build_with_a_suggestion() {
    let s = portal();
    s.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\ntype: 动态\n---\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let all = r.all();
    assert!(
        all.contains("栏目类型 type 不在《政府网站发展指引》的栏目类型中：动态"),
        "{all}"
    );
    assert!(all.contains("content/news/_index.md:3"), "{all}");
    assert!(all.contains("是否想写 type: 政务动态"), "{all}");
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn topic_column_page_lists_its_articles_and_type() {
    let s = portal();
    assert_eq!(s.build(&[]).code, 0);
    let page = s.read("zhuanti/index.html");
    assert!(page.contains(&meta("ColumnType", "专题专栏")));
    assert!(page.contains("营商环境专题文章"));
}

/// Build `portal()` with `home:` replaced by `home` and return the output.
fn with_home(home: &str) -> (i32, String, bool) {
    let s = portal();
    s.write(
        "site.yaml",
        &format!("name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nnotices_column: notices\n{home}"),
    );
    let r = s.build(&[]);
    (r.code, r.all(), s.out().exists())
}

#[test]
fn bad_home_entries_are_refused_with_line_and_fix() {
    for (home, want, line) in [
        (
            "home:\n  interaction:\n    - {name: 区长信箱, url: \"javascript:alert(1)\"}\n",
            "home.interaction（互动交流）中“区长信箱”的网址无效：javascript:alert(1)",
            "site.yaml:5",
        ),
        (
            "home:\n  services:\n    - {name: \" \", url: /a/}\n",
            "home.services（政务服务）第 1 项的 name 为空",
            "site.yaml:5",
        ),
        (
            "home:\n  new_media:\n    - {name: 测试区发布, platform: 微博, qr: \"https://cdn.example.com/qr.png\"}\n",
            "二维码 qr 无效",
            "site.yaml:5",
        ),
        (
            "home:\n  new_media:\n    - {name: 测试区发布, platform: 微博, qr: /new-media/none.png}\n",
            "site.yaml 的 home.new_media 的 qr 指向的图片不存在：static/new-media/none.png",
            "",
        ),
        (
            "home:\n  carousel: true\n",
            "carousel",
            "site.yaml:5",
        ),
    ] {
        let (code, all, written) = with_home(home);
        assert_eq!(code, 1, "{home}: {all}");
        assert!(all.contains(want), "{want}: {all}");
        assert!(all.contains(line), "{line}: {all}");
        assert!(all.contains("修改方法"), "{all}");
        assert!(!written, "nothing written: {home}");
    }
}

fn identity_site(base: &str, identity: &str) -> TestSite {
    let s = TestSite::new();
    s.write_bytes("static/conac/label.png", b"\x89PNG\r\n\x1a\nfake");
    s.write(
        "site.yaml",
        &format!("name: 测试区人民政府\nbase_url: {base}\nidentity:\n  sponsor: 测试区人民政府办公室\n{identity}"),
    );
    s.article("news/2026-a.md", "普通文章", "2026-11-18", "", "正文。\n");
    s
}

#[test]
fn label_image_script_badge_mark_and_statement_are_configurable() {
    let s = identity_site(
        "https://www.ceshi.gov.cn",
        "  label_url: \"https://bszs.conac.cn/sitename?method=show&id=ABC\"\n  label_image: /conac/label.png\n  police: 皖公网安备 34019902000001号\n  statement: \"## 版权声明\\n\\n本站文字版权归测试区所有。\"\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = s.read("news/2026-a/index.html");
    assert!(
        html.contains(
            "<img src=\"/conac/label.png\" width=\"60\" height=\"72\" alt=\"党政机关网站标识\">"
        ),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://beian.mps.gov.cn/#/query/webSearch?code=34019902000001\"")
    );
    assert!(html.contains("<img src=\"/assets/police-badge.svg\""));
    assert!(
        html.contains("适老化及无障碍服务</a>"),
        "mark on by default"
    );
    assert!(html.contains("<a href=\"/statement/\">网站声明</a>"));
    let statement = s.read("statement/index.html");
    assert!(
        statement.contains("<h2>版权声明</h2>")
            && statement.contains("<p>本站文字版权归测试区所有。</p>"),
        "{statement}"
    );

    // The issued script replaces image and link; the mark can be turned off.
    let s = identity_site(
        "https://www.ceshi.gov.cn",
        "  label_script: \"https://dcs.conac.cn/js/34/000/0000/00000000/CA340000000000000000.js\"\n  accessibility_mark: false\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = s.read("index.html");
    assert!(html.contains("<span class=\"gov-label\" id=\"_ideConac\"></span><script src=\"https://dcs.conac.cn/js/34/000/0000/00000000/CA340000000000000000.js\"></script>"), "{html}");
    assert!(!html.contains("适老化及无障碍服务"));
    // The default statement names the site and the 长辈版 services.
    let statement = s.read("statement/index.html");
    assert!(
        statement.contains("测试区人民政府门户网站") && statement.contains("id=\"accessibility\"")
    );
}

#[test]
fn wrong_identity_combinations_are_refused() {
    for (base, identity, want) in [
        (
            "https://www.ceshi-example.com",
            "  label_script: \"https://dcs.conac.cn/js/a.js\"\n",
            "非党政机关网站不得使用党政机关网站标识",
        ),
        (
            "https://www.ceshi-example.com",
            "  label_image: /conac/label.png\n",
            "非党政机关网站不得使用党政机关网站标识",
        ),
        (
            "https://www.ceshi.gov.cn",
            "  label_script: \"https://cdn.example.com/label.js\"\n",
            "label_script 不是中央编办发放的标识脚本地址",
        ),
        (
            "https://www.ceshi.gov.cn",
            "  label_image: /conac/label.png\n",
            "label_image 需要与 label_url 一起使用",
        ),
        (
            "https://www.ceshi.gov.cn",
            "  police_badge: /beian.png\n",
            "police_badge 需要与公安机关备案号 police 一起使用",
        ),
        (
            "https://www.ceshi.gov.cn",
            "  statement: \"  \"\n",
            "网站声明 statement 为空",
        ),
    ] {
        let s = identity_site(base, identity);
        let r = s.build(&[]);
        assert_eq!(r.code, 1, "{identity}: {}", r.all());
        let all = r.all();
        assert!(all.contains(want), "{want}: {all}");
        assert!(all.contains("site.yaml:5"), "{all}");
        assert!(!s.out().exists(), "nothing written");
    }
}

#[test]
fn tables_are_labelled_keyboard_scroll_regions_and_tools_are_there() {
    let s = TestSite::new();
    s.article(
        "news/2026-biao.md",
        "带表格的文章",
        "2026-11-18",
        "",
        "| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |\n\n| 乙 | 丙 |\n|---|---|\n| 1 | 2 |\n",
    );
    assert_eq!(s.build(&[]).code, 0);
    let html = s.read("news/2026-biao/index.html");
    assert!(html.contains("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"表格 1（可左右滑动查看）\">\n<table>"), "{html}");
    assert!(html.contains("aria-label=\"表格 2（可左右滑动查看）\""));
    assert_eq!(html.matches("</table>\n</div>").count(), 2);
    // 【字体：大 中 小】【打印】: a placeholder filled and shown by elder.js
    // (its buttons: page_size::script_only_controls_and_icons_…).
    assert!(html.contains("<div class=\"article-tools\" data-article-tools hidden></div>"));
    // The search page has one search box.
    let search = s.read("search/index.html");
    assert_eq!(search.matches("type=\"search\"").count(), 1, "one box");
}
