//! Raw HTML in an article (issue 10): only an allow-list suited to
//! government articles is published; anything else holds the article with
//! reason `raw-html`, naming the element or attribute and its line — never
//! silently stripped, so that the reviewers see exactly what is published.
//! So does every `javascript:`, `vbscript:`, `data:` (or other forbidden
//! scheme) URL, in raw HTML or in a Markdown link or image.
//!
//! `style` attributes are allowed (tables copied from documents use
//! `style="text-align:center"`) unless they load or run something or can
//! cover the site's own page: `url(`, `expression(`, `@import`,
//! `behavior`, `-moz-binding`, `javascript:`, `position`, or a CSS escape
//! (`\`), which could hide any of these.

use crate::gate::Code;
use crate::links::tokens::{Item, StartTag};
use crate::links::{Analysis, Origin, Target};

use super::{Finding, Region, Severity};

/// Attributes allowed on every allowed element.
const GLOBAL: &[&str] = &["id", "title", "class", "style", "lang", "dir"];

/// Table attributes, including the presentational ones of tables copied
/// from office documents.
const TABLE: &[&str] = &[
    "colspan",
    "rowspan",
    "scope",
    "headers",
    "align",
    "valign",
    "width",
    "height",
    "border",
    "cellpadding",
    "cellspacing",
    "span",
    "class",
];

/// Allowed elements and their own attributes (besides [`GLOBAL`]).
fn allowed(element: &str) -> Option<&'static [&'static str]> {
    Some(match element {
        "table" | "thead" | "tbody" | "tfoot" | "tr" | "th" | "td" | "caption" | "colgroup"
        | "col" => TABLE,
        "span" | "div" | "p" => &["class", "align"],
        "br" | "hr" | "sup" | "sub" | "strong" | "em" | "b" | "i" | "u" | "s" | "small"
        | "figure" | "figcaption" | "dl" | "dt" | "dd" | "h2" | "h3" | "h4" | "h5" | "h6"
        | "blockquote" | "pre" | "code" | "abbr" | "details" | "summary" => &[],
        "ol" => &["start", "type", "reversed"],
        "ul" => &["type"],
        "li" => &["value"],
        // An image on another host counts like a link to it (the security
        // review, from the link model); image maps are common for maps.
        "img" => &["src", "alt", "width", "height", "usemap", "align", "border"],
        "a" => &["href", "name", "target", "rel"],
        "map" => &["name"],
        "area" => &["shape", "coords", "href", "alt", "target", "rel"],
        _ => return None,
    })
}

/// What is wrong with a `style` value, if anything.
pub fn bad_style(value: &str) -> Option<&'static str> {
    let lower: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if lower.contains('\\') {
        return Some("\\");
    }
    [
        "url(",
        "expression(",
        "@import",
        "behavior",
        "-moz-binding",
        "javascript:",
        "position",
        "/*",
    ]
    .into_iter()
    .find(|bad| lower.contains(bad))
}

const HELP: &str = "正文只允许表格、段落、图片、链接、列表、标题等常用 HTML 标签（见用户手册「信息员」一章的「正文中的 HTML」）；请删除或改用 Markdown 写法后重新送审。网站不会悄悄删掉它们：审核人看到的就是将发布的内容";

/// Findings for the raw HTML of a body: elements and attributes outside
/// the allow-list, and forbidden URLs anywhere.
pub fn check(analysis: &Analysis, body: &Region, out: &mut Vec<Finding>) {
    let rendered = &analysis.rendered;
    let mut held = |offset: usize, what: String| {
        out.push(body.finding(
            offset,
            Code::RawHtml,
            Severity::Hold,
            format!("正文含不允许的 HTML：{what}（raw-html）"),
            HELP,
        ));
    };
    for item in &analysis.items {
        let Item::Start(tag) = item else { continue };
        let (at, origin) = rendered.source(tag.span.start);
        if *origin != Origin::Html {
            // Markdown makes its own markup, but a heading's attribute
            // block (`# 标题 {#id .class key=value}`) writes any attribute.
            if matches!(tag.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                for a in tag
                    .attrs
                    .iter()
                    .filter(|a| !matches!(a.name.as_str(), "id" | "class"))
                {
                    held(
                        at,
                        format!("Markdown 标题的 {} 属性（只能写 {{#id .class}}）", a.name),
                    );
                }
            }
            continue;
        }
        for (attr_at, what) in tag_problems(tag) {
            let offset = if attr_at == tag.span.start {
                at
            } else {
                rendered.body_offset(attr_at)
            };
            held(offset, what);
        }
    }
    for l in analysis.neutral_links() {
        if let Target::Forbidden { scheme } = &l.target {
            let (at, origin) = rendered.source(l.offset);
            let what = match origin {
                Origin::Html => format!("<{}> 的 {} 属性使用 {scheme}: 地址", l.element, l.attr),
                _ if l.element == "img" => format!("Markdown 图片使用 {scheme}: 地址"),
                _ => format!("Markdown 链接使用 {scheme}: 地址"),
            };
            held(at, what);
        }
    }
}

/// The problems of one raw start tag: (HTML offset, description).
fn tag_problems(tag: &StartTag) -> Vec<(usize, String)> {
    let name = &tag.name;
    let Some(own) = allowed(name).filter(|_| !tag.svg) else {
        let what = if tag.svg && name != "svg" {
            format!("<svg> 内的 <{name}> 元素")
        } else {
            format!("<{name}> 元素")
        };
        return vec![(tag.span.start, what)];
    };
    let mut out = Vec::new();
    for a in &tag.attrs {
        let attr = a.name.as_str();
        let what = if attr.starts_with("on") {
            Some(format!("<{name}> 的事件属性 {attr}（会运行脚本）"))
        } else if attr == "style" {
            bad_style(&a.value).map(|bad| format!("<{name}> 的 style 属性含「{bad}」"))
        } else if GLOBAL.contains(&attr) || own.contains(&attr) {
            None
        } else {
            Some(format!("<{name}> 的 {attr} 属性"))
        };
        if let Some(what) = what {
            out.push((a.span.start, what));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(usize, String)> {
        let region = Region::new(body, 1);
        let mut out = Vec::new();
        check(&Analysis::of(body), &region, &mut out);
        out.into_iter().map(|f| (f.line, f.message)).collect()
    }

    #[test]
    fn allowed_markup_passes() {
        let body = "<table border=\"1\" class=\"t\"><caption>表</caption><thead><tr><th scope=\"col\" style=\"text-align:center\">项目</th></tr></thead>\n<tbody><tr><td colspan=\"2\" rowspan=1 align=center>1</td></tr></tbody></table>\n\n<div class=\"note\"><span class=\"x\" id=\"a\" title=\"t\">说明</span><br><sup>1</sup></div>\n\n<figure><img src=\"images/a.png\" alt=\"图\" width=\"300\"><figcaption>图</figcaption></figure>\n\n<a href=\"/news/\" title=\"新闻\">新闻</a> <details><summary>更多</summary><p>内容</p></details>\n\n# 标题 {#top .c}\n\n[脚注][^1] ![图](a.png) [x](mailto:a@b.cn)\n\n[^1]: 注\n";
        assert!(found(body).is_empty(), "{:?}", found(body));
    }

    #[test]
    fn forbidden_constructs_hold_at_their_line() {
        for (body, line, needle) in [
            ("正文\n\n<script>alert(1)</script>\n", 3, "<script>"),
            ("<iframe src=\"/x/\"></iframe>\n", 1, "<iframe>"),
            (
                "a\n\n<form action=\"/x\"><input name=q></form>\n",
                3,
                "<form>",
            ),
            (
                "<meta http-equiv=refresh content=\"0;url=/x\">\n",
                1,
                "<meta>",
            ),
            (
                "<p>\n<a href=\"javascript:alert(1)\">x</a></p>\n",
                2,
                "javascript:",
            ),
            (
                "1\n\n[x](javascript:alert(1))\n",
                3,
                "Markdown 链接使用 javascript:",
            ),
            (
                "![](data:image/png;base64,AAAA)\n",
                1,
                "Markdown 图片使用 data:",
            ),
            ("<p onclick=\"x()\">a</p>\n", 1, "onclick"),
            ("<div style=\"background:URL(x.png)\">a</div>\n", 1, "url("),
            (
                "<div style=\"width:expression(alert(1))\">a</div>\n",
                1,
                "expression(",
            ),
            ("<svg><circle r=1 /></svg>\n", 1, "<svg>"),
            ("<p>\n<custom-el>x</custom-el></p>\n", 2, "<custom-el>"),
            ("<a href=\"/\" formaction=\"/x\">x</a>\n", 1, "formaction"),
            ("<img src=a.png srcdoc=x>\n", 1, "srcdoc"),
            ("<a href=\"VBScript:x\">x</a>\n", 1, "vbscript:"),
            (
                "正文\n\n## 标题 {#a .b onclick=alert(1)}\n",
                3,
                "标题的 onclick",
            ),
        ] {
            let got = found(body);
            assert!(
                got.iter().any(|(l, m)| *l == line && m.contains(needle)),
                "{body:?}: {got:?}"
            );
        }
    }

    #[test]
    fn style_subset() {
        assert_eq!(bad_style("text-align:center; width: 50%"), None);
        assert_eq!(bad_style("background: u\\72l(x)"), Some("\\"));
        assert_eq!(bad_style("behavior: url(x.htc)"), Some("url("));
        assert_eq!(bad_style("position:fixed;top:0"), Some("position"));
    }
}
