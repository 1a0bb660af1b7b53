//! What the rules read of a body: images with their alternative text and
//! every URL with where it is written — both from the link model over the
//! rendered HTML ([`crate::links`]) — and the byte ranges of URLs (never
//! personal data).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

pub use crate::links::images::Image;
use crate::links::{Analysis, Origin, Target};

/// The renderer's Markdown options, so that the rules see the body as it
/// is published.
use crate::links::markdown_options as options;

/// What [`scan`] found.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    pub images: Vec<Image>,
    /// Every URL of the body (destination, byte offset): Markdown links
    /// and images, and every URL-bearing place of raw HTML. A URL to
    /// another host is given as `//host/`, the host as a browser reads it.
    pub links: Vec<(String, usize)>,
    /// Byte ranges of link targets and URL attributes.
    pub urls: Vec<Range<usize>>,
}

/// One pass over a Markdown body.
pub fn scan(body: &str) -> Scanned {
    scan_analysed(&Analysis::of(body))
}

/// [`scan`] of a body already read by the link model.
pub fn scan_analysed(analysis: &Analysis) -> Scanned {
    let body = analysis.body;
    let rendered = &analysis.rendered;
    let mut out = Scanned {
        images: analysis.images(),
        ..Scanned::default()
    };
    let parser = Parser::new_ext(body, options());
    for (_, def) in parser.reference_definitions().iter() {
        let span = def.span.clone();
        if let Some(i) = body.get(span.clone()).and_then(|s| s.find("]:")) {
            out.urls.push(span.start + i + 2..span.end);
        }
        // Written, though published only where it is used.
        out.links.push((def.dest.to_string(), span.start));
    }
    for (event, range) in parser.into_offset_iter() {
        if let Event::Start(Tag::Image { .. } | Tag::Link { .. }) = event {
            link_target(body, &range, &mut out);
        }
    }
    for l in analysis.neutral_links() {
        let (at, origin) = rendered.source(l.offset);
        if *origin == Origin::Html {
            out.urls
                .push(rendered.body_offset(l.span.start)..rendered.body_offset(l.span.end));
        }
        let url = match (&l.target, &l.written) {
            (Target::External { host }, _) => format!("//{host}/"),
            (_, Some(w)) => w.clone(),
            (_, None) => continue,
        };
        out.links.push((url, at));
    }
    out
}

/// The target of an inline link or image, `](…)` at the end of its source.
fn link_target(body: &str, range: &Range<usize>, out: &mut Scanned) {
    let Some(src) = body.get(range.clone()) else {
        return;
    };
    if src.ends_with(')') {
        if let Some(i) = src.rfind("](") {
            out.urls.push(range.start + i + 2..range.end);
        }
    }
}

/// Whether `c` ends a URL written in running text.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || "<>\"'()[]{}|\\^`".contains(c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ff65}').contains(&c)
        || "，。；：！？、“”‘’《》（）".contains(c)
}

/// Byte ranges of `scheme://…` URLs in running text.
pub fn url_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(text.as_bytes(), b"://") {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || "+-.".contains(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let rest = &text[at + 3..];
        let end = rest.find(ends_url).map_or(text.len(), |i| at + 3 + i);
        if start < at {
            out.push(start..end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_with_and_without_alt() {
        let body = "![](a.png) ![图](b.png)\n\n<img src=\"c.png\">\n\n文字 <img alt=\"\" src='d.png'> 与 <IMG SRC=e.png ALT=\"说明\">\n";
        let s = scan(body);
        let got: Vec<(&str, Option<&str>, bool)> = s
            .images
            .iter()
            .map(|i| (i.src.as_str(), i.alt.as_deref(), i.html))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.png", Some(""), false),
                ("b.png", Some("图"), false),
                ("c.png", None, true),
                ("d.png", Some(""), true),
                ("e.png", Some("说明"), true),
            ]
        );
        assert_eq!(&body[s.images[2].offset..s.images[2].offset + 4], "<img");
    }

    #[test]
    fn multi_line_html_img_is_one_tag() {
        let body = "<div>\n<img src=\"a.png\"\n     alt=\"说明\">\n</div>\n";
        let s = scan(body);
        assert_eq!(s.images.len(), 1);
        assert_eq!(s.images[0].alt.as_deref(), Some("说明"));
    }

    #[test]
    fn url_ranges_cover_targets() {
        let body = "见[附件](files/13800138000.pdf)与<a href=\"/x/6222021234567890123\">链接</a>。\n\n[r]: /doc/110101199003071234\n";
        let s = scan(body);
        for needle in ["13800138000", "6222021234567890123", "110101199003071234"] {
            let at = body.find(needle).unwrap();
            assert!(
                s.urls.iter().any(|u| u.start <= at && at < u.end),
                "{needle} not in {:?}",
                s.urls
            );
        }
        assert!(s.links.iter().any(|(d, _)| d == "/doc/110101199003071234"));
        let obfuscated = scan("<a href=\"/\t/shop.example.cn/a\">x</a>");
        assert_eq!(
            obfuscated.links,
            vec![("//shop.example.cn/".to_string(), 3)]
        );
    }

    #[test]
    fn urls_in_text_stop_at_chinese_punctuation() {
        let t = "详见https://www.gov.cn/a/13800138000.html，或 http://x.cn";
        let spans = url_spans(t);
        assert_eq!(
            &t[spans[0].clone()],
            "https://www.gov.cn/a/13800138000.html"
        );
        assert_eq!(&t[spans[1].clone()], "http://x.cn");
    }
}
