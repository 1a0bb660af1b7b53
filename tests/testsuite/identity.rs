//! 网站标识 and page metadata (R13, R20): the identity block of site.yaml in
//! every footer, the standard meta tags, refusal of the government label
//! on a non-government domain and of malformed 网站标识码 / 备案号 / 索引号.

use crate::common;

use common::TestSite;

const IDENTITY: &str = "\
identity:
  sponsor: 测试区人民政府办公室
  organizer: 测试区数据资源管理局
  contact:
    phone: 0551-60000000
    email: web@ceshi.gov.cn
    address: 测试区政务大道 1 号
  site_code: 3401990001
  icp: 皖ICP备00000000号-1
  police: 皖公网安备 34019902000001号
  label_url: \"https://bszs.conac.cn/sitename?method=show&id=ABC\"
  error_report_url: \"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}\"
";

fn site_with(base_url: &str, identity: &str) -> TestSite {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        &format!(
            "name: 测试区人民政府\nbase_url: {base_url}\ndescription: 测试区门户\nkeywords: [测试区, 政务]\n{identity}"
        ),
    );
    s.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\ndescription: 全区政务动态\nkeywords: [动态, 会议]\ntype: 政务动态\n---\n",
    );
    s.article(
        "news/2026-huiyi.md",
        "区政府召开常务会议",
        "2026-11-20 09:30",
        "",
        "会议研究了有关事项。\n",
    );
    s.article(
        "news/2026-zhuanzai.md",
        "转载的文章",
        "2026-11-18",
        "source: {name: 中国政府网, url: \"https://www.gov.cn/zhengce/1.htm\"}\n",
        "转载正文。\n",
    );
    s
}

fn meta(name: &str, value: &str) -> String {
    format!("<meta name=\"{name}\" content=\"{value}\">")
}

#[test]
fn footer_shows_every_identity_item_with_its_link() {
    let s = site_with("https://www.ceshi.gov.cn", IDENTITY);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    for page in [
        "index.html",
        "news/index.html",
        "news/2026-huiyi/index.html",
        "404.html",
        "sitemap/index.html",
    ] {
        let html = s.read(page);
        for want in [
            "主办单位：测试区人民政府办公室",
            "承办单位：测试区数据资源管理局",
            "联系电话：<a href=\"tel:0551-60000000\">0551-60000000</a>",
            "电子邮箱：<a href=\"mailto:web@ceshi.gov.cn\">web@ceshi.gov.cn</a>",
            "地址：测试区政务大道 1 号",
            "网站标识码：3401990001",
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener noreferrer\">皖ICP备00000000号-1</a>",
            "<a class=\"police-record\" href=\"https://beian.mps.gov.cn/#/query/webSearch?code=34019902000001\" rel=\"noopener noreferrer\"><img src=\"/assets/police-badge.svg\" width=\"18\" height=\"20\" alt=\"\">皖公网安备 34019902000001号</a>",
            "<a class=\"gov-label\" href=\"https://bszs.conac.cn/sitename?method=show&amp;id=ABC\"",
            "<img src=\"/assets/gov-label.svg\"",
            "alt=\"党政机关网站标识\"",
            ">我为政府网站找错</a>",
            "<a href=\"/sitemap/\">网站地图</a>",
        ] {
            assert!(html.contains(want), "{page}: {want}");
        }
    }
    let article = s.read("news/2026-huiyi/index.html");
    assert!(
        article.contains("href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3401990001&amp;url=https%3A%2F%2Fwww.ceshi.gov.cn%2Fnews%2F2026-huiyi%2F\""),
        "{article}"
    );
    let svg = s.read("assets/gov-label.svg");
    assert!(svg.contains("党政") && svg.contains("机关") && svg.contains("#c8161d"));
}

#[test]
fn meta_tags_on_home_column_and_article() {
    let s = site_with("https://www.ceshi.gov.cn", IDENTITY);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let site = [
        meta("SiteName", "测试区人民政府"),
        meta("SiteDomain", "www.ceshi.gov.cn"),
        meta("SiteIDCode", "3401990001"),
    ];
    let home = s.read("index.html");
    let column = s.read("news/index.html");
    let article = s.read("news/2026-huiyi/index.html");
    let repost = s.read("news/2026-zhuanzai/index.html");
    for (name, html) in [("home", &home), ("column", &column), ("article", &article)] {
        for m in &site {
            assert!(html.contains(m), "{name}: {m}");
        }
    }
    for m in [
        meta("ColumnName", "首页"),
        meta("ColumnDescription", "测试区门户"),
        meta("ColumnKeywords", "测试区,政务"),
        meta("ColumnType", "首页"),
    ] {
        assert!(home.contains(&m), "home: {m}");
    }
    assert!(!home.contains("ArticleTitle"));
    for html in [&column, &article] {
        for m in [
            meta("ColumnName", "政务动态"),
            meta("ColumnDescription", "全区政务动态"),
            meta("ColumnKeywords", "动态,会议"),
            meta("ColumnType", "政务动态"),
        ] {
            assert!(html.contains(&m), "{m}");
        }
    }
    assert!(!column.contains("ArticleTitle"));
    for m in [
        meta("ArticleTitle", "区政府召开常务会议"),
        meta("PubDate", "2026-11-20 09:30"),
        meta("ContentSource", "区政府办公室"),
    ] {
        assert!(article.contains(&m), "article: {m}");
    }
    assert!(
        repost.contains(&meta("ContentSource", "中国政府网")),
        "repost source"
    );
    // A date without a time of day: no invented 00:00.
    assert!(repost.contains(&meta("PubDate", "2026-11-18")));
}

#[test]
fn site_without_identity_has_no_identity_block() {
    let s = TestSite::new();
    s.article("news/2026-a.md", "普通文章", "2026-11-18", "", "正文。\n");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = s.read("news/2026-a/index.html");
    assert!(html.contains(&meta("SiteName", "测试区人民政府")));
    assert!(!html.contains("SiteIDCode"));
    assert!(!html.contains("footer-identity"));
    assert!(!html.contains("gov-label.svg"));
    assert!(html.contains("主办：测试区人民政府办公室"));
}

#[test]
fn label_on_a_non_government_domain_is_refused() {
    let s = site_with("https://www.ceshi-example.com", IDENTITY);
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let all = r.all();
    assert!(
        all.contains("非党政机关网站不得使用党政机关网站标识"),
        "{all}"
    );
    // site.yaml: name, base_url, description, keywords, then `identity:` on line 5.
    let line = 5 + IDENTITY
        .lines()
        .position(|l| l.trim_start().starts_with("label_url:"))
        .unwrap();
    assert!(
        all.contains(&format!("site.yaml:{line}")),
        "line {line}: {all}"
    );
    assert!(all.contains("修改方法"), "{all}");
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn non_government_site_may_show_other_identity_items() {
    let no_label: String = IDENTITY
        .lines()
        .filter(|l| !l.contains("label_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = site_with("https://www.ceshi-example.com", &no_label);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let home = s.read("index.html");
    assert!(home.contains("网站标识码：3401990001"));
    assert!(!home.contains("gov-label"), "no label without label_url");
}

#[test]
fn government_domains_in_punycode_and_unicode_are_accepted() {
    for base in [
        "https://www.xn--fiq06l2rdsvs.xn--zfr164b/",
        "https://www.中文域名.政务/",
        "https://www.示例.政务.cn",
        "https://WWW.CESHI.GOV.CN/portal/",
    ] {
        let s = site_with(base, IDENTITY);
        let r = s.build(&[]);
        assert_eq!(r.code, 0, "{base}: {}", r.all());
        let home = s.read("index.html");
        assert!(home.contains("gov-label.svg"), "{base}");
    }
}

/// Build with one identity line replaced and return (exit code, output).
fn with_line(key: &str, line: &str) -> (i32, String, usize) {
    let identity: String = IDENTITY
        .lines()
        .map(|l| {
            if l.trim_start().starts_with(&format!("{key}:")) {
                format!("  {line}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let n = 5 + IDENTITY
        .lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .unwrap();
    let s = site_with("https://www.ceshi.gov.cn", &identity);
    let r = s.build(&[]);
    assert!(!s.out().exists(), "nothing written");
    (r.code, r.all(), n)
}

#[test]
fn malformed_site_code_is_refused_with_its_line() {
    for (value, why) in [
        ("site_code: 340199001", "应为 10 位，这里是 9 位"),
        ("site_code: \"34019900A1\"", "只能由数字组成"),
        ("site_code: bm1234567", "bm 加 8 位数字"),
    ] {
        let (code, all, line) = with_line("site_code", value);
        assert_eq!(code, 1, "{all}");
        assert!(all.contains("网站标识码格式错误"), "{all}");
        assert!(all.contains(why), "{why}: {all}");
        assert!(all.contains(&format!("site.yaml:{line}")), "{line}: {all}");
    }
}

#[test]
fn malformed_icp_is_refused_with_its_line() {
    for (value, why) in [
        ("icp: ICP备00000000号", "省份简称"),
        ("icp: 皖ICP备0000号", "6 到 10 位数字"),
        ("icp: 皖ICP备00000000", "“号”结尾"),
    ] {
        let (code, all, line) = with_line("icp", value);
        assert_eq!(code, 1, "{all}");
        assert!(all.contains("ICP 备案号格式错误"), "{all}");
        assert!(all.contains(why), "{why}: {all}");
        assert!(all.contains(&format!("site.yaml:{line}")), "{line}: {all}");
    }
}

#[test]
fn malformed_police_number_is_refused_with_its_line() {
    for (value, why) in [
        (
            "police: 皖公网安备 3401990200001号",
            "14 位数字，这里是 13 位",
        ),
        ("police: 皖网安备 34019902000001号", "公网安备"),
        ("police: 皖公网安备 34019902000001", "“号”结尾"),
    ] {
        let (code, all, line) = with_line("police", value);
        assert_eq!(code, 1, "{all}");
        assert!(all.contains("公安机关备案号格式错误"), "{all}");
        assert!(all.contains(why), "{why}: {all}");
        assert!(all.contains(&format!("site.yaml:{line}")), "{line}: {all}");
    }
}

#[test]
fn index_numbers_must_match_the_site_pattern() {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\ndisclosure:\n  index_no_pattern: \"^[0-9A-Z]{18}/\\\\d{4}-\\\\d{5}$\"\n",
    );
    let good = "disclosure:\n  index_no: \"11340199MB1528455E/2026-00018\"\n  category: 通知\n";
    s.article(
        "news/2026-good.md",
        "索引号正确",
        "2026-11-18",
        good,
        "正文。\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s
        .read("news/2026-good/index.html")
        .contains("<span class=\"code-token\">11340199MB1528455E/<wbr>2026-00018</span>"));

    let bad = "disclosure:\n  category: 通知\n  index_no: \"11340199MB1528455E-2026-18\"\n";
    s.article(
        "news/2026-bad.md",
        "索引号错误",
        "2026-11-19",
        bad,
        "正文。\n",
    );
    std::fs::remove_dir_all(s.out()).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let all = r.all();
    assert!(
        all.contains("索引号格式不符合本站规则：11340199MB1528455E-2026-18"),
        "{all}"
    );
    // Lines: ---, title, class, date, author, department, disclosure, category, index_no.
    assert!(all.contains("content/news/2026-bad.md:9"), "{all}");
    assert!(all.contains("修改方法"), "{all}");
    assert!(!s.out().exists(), "nothing written");
}

#[test]
fn bad_index_pattern_is_refused() {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\ndisclosure:\n  index_no_pattern: \"^[0-9\"\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.all().contains("index_no_pattern 不是有效的正则表达式"),
        "{}",
        r.all()
    );
    assert!(r.all().contains("site.yaml:4"), "{}", r.all());
}
