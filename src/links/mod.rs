//! The one link and resource model (issue 9): every URL of an article's
//! HTML — Markdown rendered, raw HTML included — with its element,
//! attribute and line, parsed the way a browser parses it and classified.
//! The gate's external-host requirement, the leave-site notice, the
//! content rules, `sanshen links` and `sanshen audit` all read URLs here.
//!
//! * [`tokens`] — the HTML tokenizer walk (tags with byte ranges).
//! * [`extract`] — the URL-bearing places of HTML; [`srcset`], [`css`] —
//!   the URLs inside a `srcset` and inside CSS.
//! * [`classify`] — WHATWG parsing against the page and the site's host.
//! * [`markdown`] — the site's Markdown options; a body as HTML, mapped
//!   back to its lines.
//! * [`analysis`] — one body rendered and tokenized once, for every
//!   reader of its links during a build.

pub mod analysis;
pub mod classify;
pub mod css;
pub mod extract;
pub mod images;
pub mod markdown;
pub mod srcset;
pub mod tokens;

use std::ops::Range;

use serde::Serialize;

pub use analysis::Analysis;
pub use classify::{browser_clean, classify, Base, Target};
pub use extract::Role;
pub use markdown::{options as markdown_options, to_html, BodyHtml, Origin};

/// One URL of an article, where it is and where it points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Lowercase element name; `style` for a style sheet's text.
    pub element: String,
    /// Inside `<svg>`.
    pub svg: bool,
    /// Attribute name; empty for a style sheet's text.
    pub attr: String,
    /// The URL as the browser reads it (character references decoded).
    pub value: String,
    /// The URL as the author wrote it: a Markdown destination, or the
    /// attribute value; `None` for markup the renderer made (footnote
    /// references).
    pub written: Option<String>,
    /// 1-based line: in the HTML for [`of_html`], in the body for
    /// [`of_markdown`].
    pub line: usize,
    /// Byte offset in the HTML of the attribute (or CSS `url(`).
    #[serde(skip)]
    pub offset: usize,
    /// Byte range in the HTML of the attribute (`name="value"`).
    #[serde(skip)]
    pub span: Range<usize>,
    /// Byte range in the HTML of the start tag.
    #[serde(skip)]
    pub tag: Range<usize>,
    pub role: Role,
    pub target: Target,
}

impl Link {
    /// A link the reader follows away from the page: `<a>`, `<area>` and
    /// SVG `<a>` (what the leave-site notice rewrites).
    pub fn is_anchor(&self) -> bool {
        extract::is_anchor(&self.element, self.svg, &self.attr, self.role)
    }
}

/// 1-based line of each byte offset, by a table of line starts.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines(starts)
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// Every URL of `html`, classified as read on `base`'s page; lines are
/// lines of `html`.
pub fn of_html(html: &str, base: &Base) -> Vec<Link> {
    of_places(html, &extract::places(html), base)
}

/// [`of_html`] for the URL-bearing places of `html` already found.
fn of_places(html: &str, places: &[extract::Place], base: &Base) -> Vec<Link> {
    let lines = Lines::new(html);
    places
        .iter()
        .map(|p| Link {
            line: lines.line(p.offset),
            target: classify(&p.value, base),
            written: Some(p.value.clone()),
            element: p.element.clone(),
            svg: p.svg,
            attr: p.attr.clone(),
            value: p.value.clone(),
            offset: p.offset,
            span: p.span.clone(),
            tag: p.tag.clone(),
            role: p.role,
        })
        .collect()
}

/// Every URL of a Markdown body, rendered with the site's options; lines
/// are lines of the body.
pub fn of_markdown(body: &str, base: &Base) -> Vec<Link> {
    of_rendered(body, &to_html(body), base)
}

/// [`of_markdown`] for a body already rendered by [`to_html`].
pub fn of_rendered(body: &str, rendered: &BodyHtml, base: &Base) -> Vec<Link> {
    to_body(body, rendered, of_html(&rendered.html, base), base)
}

/// Links of a rendered body's HTML ([`of_html`]) as [`of_rendered`]
/// gives them: lines of the body, destinations as written.
fn to_body(body: &str, rendered: &BodyHtml, mut links: Vec<Link>, base: &Base) -> Vec<Link> {
    let lines = Lines::new(body);
    for l in &mut links {
        let (at, origin) = rendered.source(l.offset);
        l.line = lines.line(at);
        l.written = match origin {
            Origin::Html => l.written.take(),
            Origin::Link(dest) => {
                // The leave-site notice reads the destination as written,
                // the browser as the renderer escaped it: either leaving
                // counts.
                if l.target.external_host().is_none() {
                    let written = classify(dest, base);
                    if written.external_host().is_some() {
                        l.target = written;
                    }
                }
                Some(dest.clone())
            }
            Origin::Markdown => None,
        };
    }
    links
}

/// The other hosts the links reach, navigational or embedded: sorted,
/// unique.
pub fn external_hosts(links: &[Link]) -> Vec<String> {
    let mut hosts: Vec<String> = links
        .iter()
        .filter_map(|l| l.target.external_host())
        .map(str::to_string)
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Base {
        Base::new("https://www.shiliqu.gov.cn/", "/news/a/").expect("base")
    }

    #[test]
    fn markdown_links_images_and_raw_html_with_body_lines() {
        let body = "行内[a](https://a.example.com/x)，引用[b][r]，自动<https://c.example.com>，\n\
图片![i](https://img.example.com/p.png)\n\n\
<map><area href=\"https://e.example.com/\"></map>\n\n\
<svg><a xlink:href=\"//f.example.com/\"><text>f</text></a></svg>\n\n\
<a href=\"/\t/evil.example.com\">g</a> [内](/news/) [邮件](mailto:x@y.cn)\n\n\
[r]: https://b.example.com/ref\n";
        let links = of_markdown(body, &base());
        assert_eq!(
            external_hosts(&links),
            vec![
                "a.example.com",
                "b.example.com",
                "c.example.com",
                "e.example.com",
                "evil.example.com",
                "f.example.com",
                "img.example.com",
            ]
        );
        let at = |host: &str| {
            links
                .iter()
                .find(|l| l.target.external_host() == Some(host))
                .expect(host)
        };
        assert_eq!(at("a.example.com").line, 1);
        assert_eq!(at("img.example.com").line, 2);
        assert_eq!(at("img.example.com").role, Role::Resource);
        assert_eq!(at("e.example.com").line, 4);
        assert!(at("e.example.com").is_anchor());
        assert_eq!(at("f.example.com").line, 6);
        assert!(at("f.example.com").is_anchor() && at("f.example.com").svg);
        assert_eq!(at("evil.example.com").line, 8);
        let inner = links.iter().find(|l| l.value == "/news/").expect("inner");
        assert_eq!(inner.written.as_deref(), Some("/news/"));
        let chinese = of_markdown("[文](../政策/甲.md)[^1]\n\n[^1]: 注\n", &base());
        assert_eq!(chinese[0].written.as_deref(), Some("../政策/甲.md"));
        assert!(chinese[0].value.contains("%E6%94%BF"), "{:?}", chinese[0]);
        assert!(chinese.iter().any(|l| l.written.is_none()), "{chinese:?}");
        assert_eq!(
            inner.target,
            Target::Page {
                path: "/news/".into()
            }
        );
    }

    #[test]
    fn an_escaped_markdown_destination_still_leaves() {
        // `&#9;` is a tab in the destination; pulldown-cmark writes `%09`.
        let links = of_markdown("[x](/&#9;/evil.example.com/)\n", &base());
        assert_eq!(external_hosts(&links), vec!["evil.example.com"]);
        assert!(links[0].value.contains("%09"), "{links:?}");
    }

    #[test]
    fn a_link_in_a_metadata_like_block_is_seen() {
        let body = "---\n[x](https://hidden.example.com/)\n---\n";
        assert_eq!(
            external_hosts(&of_markdown(body, &base())),
            vec!["hidden.example.com"]
        );
    }
}
