//! Issue 10, "close the gate": raw HTML outside the allow-list and
//! `javascript:` / `data:` URLs hold a fully signed article with reason
//! `raw-html` (never silently stripped), and the content rules read what
//! the reader sees — YAML escapes, entities, comments, empty tags,
//! emphasis, zero-width characters and text-like assets do not dodge them.

use crate::common;

use common::TestSite;

const ID: &str = "11010519491231002X";
const ID_MASKED: &str = "1101**********002X";

/// The lines printed under a held article.
fn held_block<'a>(stdout: &'a str, file: &str) -> &'a str {
    let start = stdout
        .find(&format!("  {file}《"))
        .unwrap_or_else(|| panic!("{file} not held:\n{stdout}"));
    let rest = &stdout[start..];
    let end = rest[3..].find("\n  content/").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

/// The file line of the first line containing `needle`.
fn line_of(s: &TestSite, rel: &str, needle: &str) -> usize {
    let text = String::from_utf8(s.source(rel)).expect("utf-8");
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {rel}"))
        + 1
}

fn site() -> TestSite {
    let s = TestSite::new();
    s.article(
        "news/ok.md",
        "正常文章",
        "2026-11-10",
        "",
        "会议要求保守国家秘密，做好保密工作。",
    );
    s
}

#[test]
fn forbidden_raw_html_and_urls_hold_while_a_sibling_publishes() {
    let s = site();
    // (name, body, the line to report, what the reason names)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "script",
            "通知正文。\n\n<script>alert(1)</script>",
            "<script>",
            "<script> 元素",
        ),
        (
            "iframe",
            "通知正文。\n\n<iframe src=\"/news/ok/\"></iframe>",
            "<iframe",
            "<iframe> 元素",
        ),
        (
            "form",
            "通知正文。\n\n<form action=\"/search/\"><input name=\"q\"></form>",
            "<form",
            "<form> 元素",
        ),
        (
            "refresh",
            "通知正文。\n\n<meta http-equiv=\"refresh\" content=\"0;url=/news/\">",
            "<meta",
            "<meta> 元素",
        ),
        (
            "js-anchor",
            "通知正文。\n\n<p><a href=\"javascript:alert(1)\">点此</a></p>",
            "javascript:",
            "<a> 的 href 属性使用 javascript: 地址",
        ),
        (
            "js-markdown",
            "通知正文。\n\n请[点此](javascript:alert(1))办理。",
            "javascript:",
            "Markdown 链接使用 javascript: 地址",
        ),
        (
            "data-image",
            "通知正文。\n\n![图](data:image/png;base64,iVBORw0KGgo=)",
            "data:",
            "Markdown 图片使用 data: 地址",
        ),
        (
            "onclick",
            "通知正文。\n\n<p onclick=\"alert(1)\">点此</p>",
            "onclick",
            "<p> 的事件属性 onclick",
        ),
        (
            "style-url",
            "通知正文。\n\n<div style=\"background: url(/x.png)\">文字</div>",
            "url(",
            "<div> 的 style 属性含「url(」",
        ),
    ];
    for (name, body, _, _) in cases {
        s.article(&format!("news/{name}.md"), "通知", "2026-11-11", "", body);
    }
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "one article never stops the build\n{}", r.all());
    assert!(s.exists("news/ok/index.html"), "the sibling publishes");
    for (name, _, needle, what) in cases {
        let file = format!("content/news/{name}.md");
        let line = line_of(&s, &file, needle);
        let block = held_block(&r.stdout, &file);
        assert!(
            block.contains(&format!("[raw-html] 第 {line} 行：{file}:{line}:"))
                && block.contains(what),
            "{name}: want line {line} and «{what}»\n{block}"
        );
        assert!(!s.exists(&format!("news/{name}/index.html")), "{name} held");
    }
}

#[test]
fn allowed_markup_publishes_unchanged() {
    let s = site();
    let table = "<table class=\"data\" border=\"1\">\n<caption>2026年预算</caption>\n\
<thead><tr><th scope=\"col\" style=\"text-align:center\">项目</th><th scope=\"col\">金额（万元）</th></tr></thead>\n\
<tbody><tr><td rowspan=\"2\" align=\"center\">教育</td><td colspan=\"1\">120</td></tr>\n\
<tr><td>80</td></tr></tbody>\n</table>";
    let rest = "<p class=\"note\"><span class=\"red\" title=\"说明\">注</span>：单位<sup>1</sup>。<br></p>\n\n\
<figure><figcaption>图1 会场</figcaption></figure>\n\n\
<details><summary>附件清单</summary><ol><li><abbr title=\"国务院\">国</abbr></li></ol></details>";
    let body = format!("{table}\n\n{rest}");
    s.article("news/table.md", "预算公开", "2026-11-11", "", &body);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("raw-html"), "{}", r.stdout);
    let page = s.read("news/table/index.html");
    for piece in table.lines().chain([
        "<span class=\"red\" title=\"说明\">注</span>",
        "<figure><figcaption>图1 会场</figcaption></figure>",
        "<abbr title=\"国务院\">国</abbr>",
    ]) {
        assert!(page.contains(piece), "{piece}\n{page}");
    }
}

#[test]
fn dodges_of_the_content_rules_are_decoded() {
    let s = site();
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (name, extra front matter, body, needle for the line, reason)
        (
            "yaml-escape",
            "summary: \"\\u673A\\u5BC6\\u2605\"\n",
            "正文。",
            "summary:",
            "[secrecy]",
        ),
        (
            "entity",
            "",
            "本件机&#23494;★1年，请妥善保管。",
            "本件",
            "[secrecy]",
        ),
        (
            "comment",
            "",
            "本件机<!-- -->密★，请妥善保管。",
            "本件",
            "[secrecy]",
        ),
        (
            "empty-tag",
            "",
            "本件机<span></span>密★，请妥善保管。",
            "本件",
            "[secrecy]",
        ),
        (
            "emphasis",
            "",
            "本件机**密**★，请妥善保管。",
            "本件",
            "[secrecy]",
        ),
        (
            "zero-width-id",
            "",
            "第一段。\n\n申请人身份证号：110105\u{200B}19491231002X。",
            "申请人",
            "[personal-data]",
        ),
        (
            "svg-mark",
            "",
            "第一段。\n\n![示意图](images/mark.svg)",
            "![示意图]",
            "[secrecy]",
        ),
        (
            "svg-id",
            "",
            "第一段。\n\n<img src=\"images/id.svg\" alt=\"名单\">",
            "<img",
            "[personal-data]",
        ),
    ];
    s.write(
        "content/news/images/mark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"20\">\n<text x=\"0\" y=\"15\">机密★1年</text>\n</svg>\n",
    );
    s.write(
        "content/news/images/id.svg",
        &format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>张某 {ID}</text></svg>\n"),
    );
    for (name, extra, body, _, _) in cases {
        s.article(
            &format!("news/{name}.md"),
            "通知",
            "2026-11-11",
            extra,
            body,
        );
    }
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/ok/index.html"), "the sibling publishes");
    for (name, _, _, needle, word) in cases {
        let file = format!("content/news/{name}.md");
        let line = line_of(&s, &file, needle);
        let block = held_block(&r.stdout, &file);
        assert!(
            block.contains(&format!("{word} 第 {line} 行：{file}:{line}:")),
            "{name}: want {word} at line {line}\n{block}"
        );
        assert!(!s.exists(&format!("news/{name}/index.html")), "{name} held");
    }
    let svg = held_block(&r.stdout, "content/news/svg-mark.md");
    assert!(
        svg.contains("content/news/images/mark.svg 第 2 行") && svg.contains("机密★1年"),
        "{svg}"
    );
    let id = held_block(&r.stdout, "content/news/zero-width-id.md");
    assert!(id.contains(ID_MASKED), "masked\n{id}");
    assert!(
        held_block(&r.stdout, "content/news/svg-id.md").contains(ID_MASKED),
        "{}",
        r.stdout
    );
    for full in [ID, "110105\u{200B}19491231002X"] {
        assert!(!r.all().contains(full), "printed in full\n{}", r.all());
    }
}

#[test]
fn a_mark_in_a_column_index_or_site_yaml_refuses_the_build() {
    let s = site();
    s.write(
        "content/news/_index.md",
        "---\ntitle: 政务动态\ndescription: \"\\u673A\\u5BC6\\u2605\"\n---\n",
    );
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("content/news/_index.md:3"), "{}", r.all());
    assert!(r.all().contains("机密★"), "{}", r.all());
    assert!(!s.exists("news/ok/index.html"), "nothing is written");

    let s = site();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 15\ndescription: 联系人手机 139\u{200B}12345678\n",
    );
    let r = s.build(&[]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.all().contains("site.yaml:4"), "{}", r.all());
    assert!(r.all().contains("139****5678"), "{}", r.all());
    assert!(!r.all().contains("12345678"), "masked\n{}", r.all());
}
