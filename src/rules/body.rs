//! The one Markdown pass the rules share: images with their alternative
//! text, link targets, and the byte ranges of URLs (never personal data).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The renderer's Markdown options, so that the rules see the body as it
/// is published.
use crate::links::markdown_options as options;

/// An image of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Byte offset in the body.
    pub offset: usize,
    /// `src` / destination as written.
    pub src: String,
    /// The alternative text; `None` for an `<img>` without `alt`.
    pub alt: Option<String>,
    /// Raw HTML `<img>` rather than Markdown `![…](…)`.
    pub html: bool,
}

/// What [`scan`] found.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    pub images: Vec<Image>,
    /// Link and image targets (destination, byte offset), `href`/`src` of
    /// raw HTML included.
    pub links: Vec<(String, usize)>,
    /// Byte ranges of link targets and URL attribute values.
    pub urls: Vec<Range<usize>>,
}

/// One pass over a Markdown body.
pub fn scan(body: &str) -> Scanned {
    let mut out = Scanned::default();
    let parser = Parser::new_ext(body, options());
    for (_, def) in parser.reference_definitions().iter() {
        let span = def.span.clone();
        if let Some(i) = body.get(span.clone()).and_then(|s| s.find("]:")) {
            out.urls.push(span.start + i + 2..span.end);
        }
        out.links.push((def.dest.to_string(), span.start));
    }
    // (offset, src, alt so far) of the Markdown image being read.
    let mut image: Option<(usize, String, String)> = None;
    // Source range of the run of raw HTML being read.
    let mut html: Option<Range<usize>> = None;
    for (event, range) in parser.into_offset_iter() {
        let is_html = matches!(event, Event::Html(_) | Event::InlineHtml(_));
        if !is_html {
            if let Some(run) = html.take() {
                read_html(body, run, &mut out);
            }
        }
        match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                html = Some(match html.take() {
                    Some(run) if range.start <= run.end + 1 => run.start..range.end.max(run.end),
                    Some(run) => {
                        read_html(body, run, &mut out);
                        range
                    }
                    None => range,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                link_target(body, &range, &mut out);
                out.links.push((dest_url.to_string(), range.start));
                image = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_target(body, &range, &mut out);
                out.links.push((dest_url.to_string(), range.start));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = image.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((offset, src, alt)) = image.take() {
                    out.images.push(Image {
                        offset,
                        src,
                        alt: Some(alt),
                        html: false,
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(run) = html.take() {
        read_html(body, run, &mut out);
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

/// Attributes whose values are URLs.
const URL_ATTRS: &[&str] = &["href", "src", "srcset", "poster", "action", "data"];

/// Images, links and URL values in raw HTML at `run` of the body.
fn read_html(body: &str, run: Range<usize>, out: &mut Scanned) {
    let Some(html) = body.get(run.clone()) else {
        return;
    };
    for tag in tags(html) {
        let attrs = attributes(html, tag.clone());
        for (name, value) in &attrs {
            if URL_ATTRS.contains(&name.as_str()) {
                out.urls
                    .push(run.start + value.start..run.start + value.end);
                if name == "href" || name == "src" {
                    out.links
                        .push((html[value.clone()].to_string(), run.start + value.start));
                }
            }
        }
        let name_end = html[tag.start + 1..tag.end]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(tag.end, |i| tag.start + 1 + i);
        if html[tag.start + 1..name_end].eq_ignore_ascii_case("img") {
            let get = |n: &str| {
                attrs
                    .iter()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| html[v.clone()].to_string())
            };
            out.images.push(Image {
                offset: run.start + tag.start,
                src: get("src").unwrap_or_default(),
                alt: get("alt"),
                html: true,
            });
        }
    }
}

/// Byte ranges of the start tags in `html` (`<name …>`), comments skipped.
fn tags(html: &str) -> Vec<Range<usize>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(b.len(), |e| start + e + 3);
            continue;
        }
        if !b.get(start + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i = start + 1;
            continue;
        }
        let mut j = start + 1;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(b.len());
        out.push(start..end);
        i = end;
    }
    out
}

/// Attributes of the tag at `tag`: lowercased name and the byte range of
/// the value (quotes excluded; empty for a bare attribute).
pub fn attributes(html: &str, tag: Range<usize>) -> Vec<(String, Range<usize>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = tag.start + 1;
    while i < tag.end && !b[i].is_ascii_whitespace() && b[i] != b'>' {
        i += 1;
    }
    loop {
        while i < tag.end && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= tag.end || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < tag.end && !b"=> \t\n\r/".contains(&b[i]) {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < tag.end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= tag.end || b[i] != b'=' {
            out.push((name, i..i));
            continue;
        }
        i += 1;
        while i < tag.end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = html[start..tag.end]
                    .find(q as char)
                    .map_or(tag.end, |e| start + e);
                i = (end + 1).min(tag.end);
                start..end
            }
            _ => {
                let start = i;
                while i < tag.end && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        out.push((name, value));
    }
    out
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
