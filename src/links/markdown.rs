//! The site's one set of Markdown options, and a Markdown body rendered
//! to HTML with a map back to the body, so that a URL found in the HTML
//! is reported at the line of the article where it is written.

use std::cell::Cell;
use std::fmt;

use pulldown_cmark::{html, Event, Options, Parser, Tag};

/// The Markdown the site publishes: tables, footnotes, strikethrough and
/// heading attributes. Every reader of an article body uses these.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What produced a piece of the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Raw HTML of the body, copied verbatim.
    Html,
    /// A Markdown link or image, with its destination as written.
    Link(String),
    /// Markup the renderer made (paragraphs, footnote references…).
    Markdown,
}

/// A body as HTML, with where each piece came from.
#[derive(Debug, Clone, Default)]
pub struct BodyHtml {
    pub html: String,
    /// `(HTML offset, body offset, origin)` at the start of each event's
    /// output, in order.
    marks: Vec<(usize, usize, Origin)>,
}

impl BodyHtml {
    /// The body offset an HTML offset came from — exact inside raw HTML,
    /// the start of the Markdown construct otherwise — and what made it.
    pub fn source(&self, html_offset: usize) -> (usize, &Origin) {
        let i = self.marks.partition_point(|m| m.0 <= html_offset);
        match i.checked_sub(1).map(|i| &self.marks[i]) {
            Some((h, b, o @ Origin::Html)) => (b + (html_offset - h), o),
            Some((_, b, o)) => (*b, o),
            None => (0, &Origin::Markdown),
        }
    }

    /// The body offset an HTML offset came from.
    pub fn body_offset(&self, html_offset: usize) -> usize {
        self.source(html_offset).0
    }
}

struct Counting<'a> {
    out: String,
    len: &'a Cell<usize>,
}

impl fmt::Write for Counting<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.push_str(s);
        self.len.set(self.out.len());
        Ok(())
    }
}

/// Render `body` with [`options`] as the renderer does before it rewrites
/// links (the rewriting keeps every URL's meaning, or sends it through the
/// leave-site notice).
pub fn to_html(body: &str) -> BodyHtml {
    let len = Cell::new(0);
    let marks = std::cell::RefCell::new(Vec::new());
    let events = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(event, range)| {
            let origin = match &event {
                Event::Html(_) | Event::InlineHtml(_) => Origin::Html,
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    Origin::Link(dest_url.to_string())
                }
                _ => Origin::Markdown,
            };
            marks.borrow_mut().push((len.get(), range.start, origin));
            event
        });
    let mut w = Counting {
        out: String::with_capacity(body.len() * 3 / 2),
        len: &len,
    };
    // Writing to a String cannot fail.
    let _ = html::write_html_fmt(&mut w, events);
    BodyHtml {
        html: w.out,
        marks: marks.into_inner(),
    }
}

/// Normalise `dir/rel` (with `.` and `..`) to a path under `content/`.
pub fn resolve(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Whether a Markdown link destination leaves the relative-path world
/// (absolute path, fragment or scheme): the renderer leaves it as written.
pub fn is_absolute(dest: &str) -> bool {
    dest.starts_with('/')
        || dest.starts_with('#')
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_offsets_map_back_to_the_body() {
        let body =
            "第一段 [链接](https://a.cn/)\n\n<div>\n<a href=\"https://b.cn/\">b</a>\n</div>\n";
        let r = to_html(body);
        let a = r.html.find("https://a.cn/").expect("a");
        assert_eq!(r.body_offset(a), body.find("[链接]").expect("link"));
        let b = r.html.find("href=\"https://b.cn/").expect("b");
        assert_eq!(
            r.body_offset(b),
            body.find("href=\"https://b.cn/").expect("b")
        );
    }
}
