//! The link inventory: every link of an article — Markdown links, images,
//! autolinks, `href`/`src` in raw HTML, and `source.url` — with the file
//! line where it is written, classified by where it points.

use pulldown_cmark::{Event, Parser, Tag};
use serde::Serialize;

use crate::config::Site;
use crate::content::Article;
use crate::diag::{find_line, line_of_offset};
use crate::gate::{normalize_host, url_host};
use crate::pipeline::Judged;

/// Where a link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// A relative link to an article or a column (`../policy/a.md`).
    Article,
    /// A relative link to a file under `content/` (image, attachment).
    Asset,
    /// A relative page path, left as written by the build (`../news/`).
    Page,
    /// A site-absolute path (`/news/a/`) or a full URL on the site's host.
    SitePath,
    /// An `http(s)` link to another host.
    External,
    /// `mailto:`, `tel:`, `#fragment` and other schemes: not checked.
    Other,
}

impl LinkKind {
    /// A short Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Article => "站内文章",
            LinkKind::Asset => "站内文件",
            LinkKind::Page => "站内页面（相对）",
            LinkKind::SitePath => "站内路径",
            LinkKind::External => "站外链接",
            LinkKind::Other => "其他（不检查）",
        }
    }

    /// Whether the internal check looks at it.
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            LinkKind::Article | LinkKind::Asset | LinkKind::Page | LinkKind::SitePath
        )
    }
}

/// One link, where it is written.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Display path of the article: `content/news/a.md`.
    pub file: String,
    /// Article path relative to `content/`: `news/a.md`.
    #[serde(skip)]
    pub path: String,
    /// 1-based line in the article file.
    pub line: usize,
    /// The destination as written.
    pub dest: String,
    /// An image (`![…](…)` or `<img src>`).
    pub image: bool,
    /// `source.url` of the front matter.
    pub source: bool,
    pub kind: LinkKind,
}

impl Link {
    /// `content/news/a.md:12`
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

pub use crate::links::markdown_options;

/// Classify a destination as written in an article of `site`.
pub fn classify(dest: &str, site: &Site) -> LinkKind {
    let d = dest.trim();
    if d.is_empty() || d.starts_with('#') {
        return LinkKind::Other;
    }
    if let Some(host) = url_host(d) {
        return if host == normalize_host(&site.host) {
            LinkKind::SitePath
        } else {
            LinkKind::External
        };
    }
    let scheme = d.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme {
        return LinkKind::Other;
    }
    if d.starts_with('/') {
        return LinkKind::SitePath;
    }
    let path = d.split(['#', '?']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    if path.is_empty() {
        LinkKind::Other
    } else if last.ends_with(".md") {
        LinkKind::Article
    } else if last.contains('.') {
        LinkKind::Asset
    } else {
        LinkKind::Page
    }
}

/// Every link of one article, in the order written.
pub fn article_links(a: &Article, site: &Site) -> Vec<Link> {
    let body = &a.doc.body;
    let line_at = |offset: usize| a.doc.body_line + line_of_offset(body, offset) - 1;
    let make = |dest: &str, line: usize, image: bool, source: bool| Link {
        file: a.file.clone(),
        path: a.path.clone(),
        line,
        dest: dest.to_string(),
        image,
        source,
        kind: classify(dest, site),
    };
    let mut out = Vec::new();
    if let Some(s) = &a.source {
        if !s.url.trim().is_empty() {
            out.push(make(&s.url, source_line(a), false, true));
        }
    }
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.push(make(&dest_url, line_at(range.start), false, false));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push(make(&dest_url, line_at(range.start), true, false));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, name, value) in attributes(&html, &["href", "src"]) {
                    let line = line_at(range.start + at);
                    out.push(make(&value, line, name == "src", false));
                }
            }
            _ => {}
        }
    }
    out
}

/// The file line of `source.url` (the `url:` line after `source:`).
fn source_line(a: &Article) -> usize {
    let fm = &a.doc.front_matter;
    let start = find_line(fm, "source:").unwrap_or(1);
    let rel = fm
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .find(|(_, l)| l.contains("url:"))
        .map_or(start, |(i, _)| i + 1);
    a.doc.front_matter_line + rel - 1
}

/// `(byte offset, attribute name, value)` of the given attributes in raw
/// HTML; `&amp;` is decoded.
pub fn attributes(html: &str, names: &[&str]) -> Vec<(usize, String, String)> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    for name in names {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name) {
            let at = from + i;
            from = at + name.len();
            let before_ok = at > 0 && bytes[at - 1].is_ascii_whitespace();
            let mut j = from;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if !before_ok || j >= bytes.len() || bytes[j] != b'=' {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let rest = &html[j..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push((at, name.to_string(), value.replace("&amp;", "&")));
        }
    }
    out.sort_by_key(|x| x.0);
    out
}

/// Every link of every published article, by file and line.
pub fn published_links(j: &Judged) -> Vec<Link> {
    j.content
        .articles
        .iter()
        .zip(&j.decisions)
        .filter(|(_, d)| d.publish)
        .flat_map(|(a, _)| article_links(a, &j.site))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        crate::config::parse("name: x\nbase_url: https://www.ceshi.gov.cn\n").expect("site")
    }

    #[test]
    fn classifies_destinations() {
        let s = site();
        assert_eq!(classify("../policy/a.md#x", &s), LinkKind::Article);
        assert_eq!(classify("images/a.png", &s), LinkKind::Asset);
        assert_eq!(classify("../news/", &s), LinkKind::Page);
        assert_eq!(classify("/news/none/", &s), LinkKind::SitePath);
        assert_eq!(
            classify("https://WWW.ceshi.gov.cn/news/", &s),
            LinkKind::SitePath
        );
        assert_eq!(classify("https://www.gov.cn/", &s), LinkKind::External);
        assert_eq!(classify("//cdn.example.com/x", &s), LinkKind::External);
        assert_eq!(classify("mailto:a@b.cn", &s), LinkKind::Other);
        assert_eq!(classify("#top", &s), LinkKind::Other);
    }

    #[test]
    fn raw_html_attributes() {
        let got = attributes(
            "<a href=\"/x/?a=1&amp;b=2\">x</a><img  SRC='i.png' data-src=n>",
            &["href", "src"],
        );
        let values: Vec<&str> = got.iter().map(|g| g.2.as_str()).collect();
        assert_eq!(values, vec!["/x/?a=1&b=2", "i.png"]);
    }
}
