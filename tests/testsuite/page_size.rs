//! Page size: the frame every page repeats carries no template indentation,
//! no markup that only works with JavaScript (the 长辈版 tool bar, the
//! article tool row and the leave-site dialog are written by their scripts)
//! and no inline icon; a long column lists a window of page numbers rather
//! than all of them. Preformatted text in an article keeps its spaces.

use crate::common::TestSite;

/// A site whose `news` column has `n` articles, two a page.
fn site_with(n: usize) -> TestSite {
    let s = TestSite::new();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 2\n",
    );
    s.sign_governance();
    for d in 1..=n {
        s.article(
            &format!("news/n{d}.md"),
            &format!("第{d}条动态"),
            &format!("2026-10-{d:02}"),
            "",
            "正文第一段。\n\n```\nfn main() {\n    println!(\"缩进保留\");\n}\n```\n\n正文最后一段。",
        );
    }
    assert_eq!(s.build(&[]).code, 0);
    s
}

#[test]
fn pages_carry_no_template_indentation_but_code_keeps_its_own() {
    let s = site_with(3);
    for rel in [
        "index.html",
        "news/index.html",
        "news/n1/index.html",
        "sitemap/index.html",
    ] {
        let html = s.read(rel);
        let indented: Vec<&str> = html
            .lines()
            .filter(|l| l.starts_with([' ', '\t']) && !l.contains("println!"))
            .collect();
        assert!(indented.is_empty(), "{rel}: {indented:?}");
    }
    let article = s.read("news/n1/index.html");
    assert!(
        article.contains("\n    println!(\"缩进保留\");\n"),
        "code block keeps its indentation: {article}"
    );
}

#[test]
fn script_only_controls_and_icons_are_not_repeated_in_every_page() {
    let s = site_with(1);
    let article = s.read("news/n1/index.html");
    // Empty placeholders, filled by elder.js; no dialog (leave.js makes it).
    assert!(article.contains("<div class=\"elder-bar\" id=\"elder-bar\" hidden></div>"));
    assert!(article.contains("<div class=\"article-tools\" data-article-tools hidden></div>"));
    assert!(!article.contains("<dialog"), "{article}");
    assert!(!article.contains("<path"), "no inline icon drawing");
    assert!(article.contains("<use href=\"/assets/icons.svg#brand\"/>"));
    let elder = s.read("assets/elder.js");
    for want in [
        "data-pref=\"speech\"",
        "data-pref=\"contrast\"",
        "data-pref=\"cursor\"",
        "sizeButton('large', '大')",
        "sizeButton('medium', '中')",
        "sizeButton('small', '小')",
        "data-print>打印</button>",
    ] {
        assert!(elder.contains(want), "elder.js writes {want}");
    }
    let leave = s.read("assets/leave.js");
    assert!(leave.contains("meta[name=\"SiteName\"]") && leave.contains("继续访问"));
    let icons = s.read("assets/icons.svg");
    for id in ["brand", "a11y", "feed"] {
        assert!(icons.contains(&format!("<symbol id=\"{id}\"")), "{id}");
    }
}

#[test]
fn long_columns_list_a_window_of_page_numbers() {
    // 17 articles, two a page: 9 pages.
    let s = site_with(17);
    let numbers = |html: &str| -> Vec<String> {
        html.split("class=\"page-num\"")
            .skip(1)
            .map(|rest| {
                let text = &rest[rest.find('>').unwrap() + 1..];
                text[..text.find('<').unwrap()].to_string()
            })
            .collect()
    };
    let p5 = s.read("news/page/5/index.html");
    assert_eq!(numbers(&p5), ["1", "3", "4", "5", "6", "7", "9"], "{p5}");
    assert_eq!(
        p5.matches("<li class=\"page-gap\" aria-hidden=\"true\">…</li>")
            .count(),
        2
    );
    assert!(p5.contains("<span class=\"page-num\" aria-current=\"page\">5</span>"));
    assert!(p5.contains("第 4/9 页") || p5.contains("第 5/9 页"), "{p5}");
    let p1 = s.read("news/index.html");
    assert_eq!(numbers(&p1), ["1", "2", "3", "9"]);
    assert_eq!(p1.matches("page-gap").count(), 1);
    let p9 = s.read("news/page/9/index.html");
    assert_eq!(numbers(&p9), ["1", "7", "8", "9"]);
    // Every page is still reachable: each page links its neighbours.
    for n in 2..=8 {
        let html = s.read(&format!("news/page/{n}/index.html"));
        assert!(
            html.contains(&format!("href=\"/news/page/{}/\"", n + 1)),
            "page {n}"
        );
    }
}

#[test]
fn short_columns_list_every_page_without_gaps() {
    let s = site_with(9);
    let p3 = s.read("news/page/3/index.html");
    for n in 1..=5 {
        assert!(p3.contains(&format!(">{n}</")), "page {n} listed");
    }
    assert!(!p3.contains("page-gap"), "{p3}");
}
