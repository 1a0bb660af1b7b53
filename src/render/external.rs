//! The leave-site notice (R11): every article link to a host other than
//! the site's own goes through a static notice page `/leave/<hash>.html`
//! (without JavaScript) or a dialog (`assets/leave.js`, with JavaScript),
//! and carries a visible external mark with hidden screen-reader text.
//!
//! Markdown links (inline, reference, autolinks) and `<a href>` tags in raw
//! HTML are rewritten alike; `mailto:`/`tel:` and relative links are not.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::model::Model;
use super::templates::escape;
use crate::config::Site;
use crate::gate::hosts::{normalize_host, url_host};
use crate::linkhosts::decode_entities;

/// After an external link's text: the visible mark and the hidden text.
pub const MARK: &str = "<span class=\"ext-mark\" aria-hidden=\"true\">↗</span><span class=\"visually-hidden\">（外部链接）</span>";

/// `leave/<first 16 hex of SHA-256(target)>.html`, relative to the site
/// root: one page per distinct target, the same for every build.
pub fn leave_rel(target: &str) -> String {
    let hash = Sha256::digest(target.as_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("leave/{hex}.html")
}

/// Which links leave the site, and where their notice pages are.
#[derive(Debug, Clone)]
pub struct Leave {
    /// The site's own host, normalised (IDNA-decoded, lowercase).
    own_host: String,
    /// Site path prefix, `/` or `/portal/`.
    base_path: String,
}

impl Leave {
    pub fn new(site: &Site) -> Leave {
        Leave {
            own_host: normalize_host(&site.host),
            base_path: site.base_path.clone(),
        }
    }

    /// Whether `dest` is an `http(s)` or protocol-relative link to a host
    /// other than the site's own. Government hosts count too.
    pub fn is_external(&self, dest: &str) -> bool {
        url_host(dest).is_some_and(|h| h != self.own_host)
    }

    /// Site path of the notice page for `target`.
    pub fn url(&self, target: &str) -> String {
        format!("{}{}", self.base_path, leave_rel(target))
    }

    /// The opening `<a>` of an external link.
    pub fn open_tag(&self, target: &str, title: &str) -> String {
        let mut tag = format!(
            "<a href=\"{}\" data-href=\"{}\" class=\"external\" rel=\"noopener noreferrer\"",
            escape(&self.url(target)),
            escape(target)
        );
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        tag.push('>');
        tag
    }

    /// Raw HTML with its external `<a href>` tags rewritten like Markdown
    /// links. `open` says whether an external `<a>` is open, across the
    /// inline HTML events of a paragraph, so that the mark goes before its
    /// `</a>`. Targets are pushed to `found`. Comments are left alone.
    pub fn rewrite_html(&self, html: &str, open: &mut bool, found: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(html.len() + 128);
        let mut copied = 0;
        let mut j = 0;
        while let Some(k) = html[j..].find('<') {
            let at = j + k;
            let rest = &html[at..];
            if rest.starts_with("<!--") {
                j = rest.find("-->").map_or(html.len(), |e| at + e + 3);
                continue;
            }
            if is_tag(rest, "</a") {
                if *open {
                    out.push_str(&html[copied..at]);
                    out.push_str(MARK);
                    copied = at;
                    *open = false;
                }
                j = at + 3;
                continue;
            }
            if is_tag(rest, "<a") {
                if let Some(len) = tag_end(rest) {
                    if let Some(tag) = self.rewrite_tag(&rest[..len], found) {
                        out.push_str(&html[copied..at]);
                        out.push_str(&tag);
                        copied = at + len;
                        *open = true;
                    }
                    j = at + len;
                    continue;
                }
            }
            j = at + 1;
        }
        out.push_str(&html[copied..]);
        out
    }

    /// One `<a …>` tag rewritten, or `None` when it does not leave the site.
    fn rewrite_tag(&self, tag: &str, found: &mut Vec<String>) -> Option<String> {
        let attrs = attributes(&tag[2..tag.len() - 1]);
        let href = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("href"))
            .and_then(|(_, v)| v.as_deref())?;
        let target = decode_entities(href).trim().to_string();
        if !self.is_external(&target) {
            return None;
        }
        let mut class = String::new();
        let mut rest = String::new();
        for (name, value) in &attrs {
            let lower = name.to_ascii_lowercase();
            match (lower.as_str(), value) {
                ("href" | "rel" | "data-href", _) => {}
                ("class", Some(v)) => class = format!("{} ", decode_entities(v).trim()),
                (_, Some(v)) => {
                    rest.push_str(&format!(" {name}=\"{}\"", escape(&decode_entities(v))))
                }
                (_, None) => rest.push_str(&format!(" {name}")),
            }
        }
        let tag = format!(
            "<a href=\"{}\" data-href=\"{}\" class=\"{}external\" rel=\"noopener noreferrer\"{rest}>",
            escape(&self.url(&target)),
            escape(&target),
            escape(class.trim_start()),
        );
        found.push(target);
        Some(tag)
    }
}

/// Whether `rest` starts with tag `name` (case-insensitive) followed by
/// whitespace, `>` or `/`.
fn is_tag(rest: &str, name: &str) -> bool {
    let b = rest.as_bytes();
    b.len() > name.len()
        && b[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && (b[name.len()].is_ascii_whitespace() || matches!(b[name.len()], b'>' | b'/'))
}

/// Length of the tag at the start of `rest` up to and including its `>`,
/// quotes respected; `None` when it does not end here.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &c) in rest.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// Attributes of a tag's inside: name and raw (undecoded) value.
fn attributes(inner: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut s = inner;
    loop {
        s = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return out;
        }
        let end = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..end].to_string();
        s = s[end..].trim_start();
        let Some(after) = s.strip_prefix('=') else {
            out.push((name, None));
            continue;
        };
        let after = after.trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(e) => (&after[1..1 + e], &after[e + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let e = after
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(after.len());
                (&after[..e], &after[e..])
            }
        };
        if !name.is_empty() {
            out.push((name, Some(value.to_string())));
        }
        s = next;
    }
}

/// Every distinct external target of the published site: article links
/// and repost sources. Sorted, so the notice pages come out in order.
pub fn targets(model: &Model) -> BTreeSet<String> {
    let leave = Leave::new(model.site);
    let mut out = BTreeSet::new();
    for e in &model.entries {
        out.extend(e.external.iter().cloned());
        if let Some(s) = &e.article.source {
            if leave.is_external(&s.url) {
                out.insert(s.url.trim().to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leave() -> Leave {
        Leave {
            own_host: "www.shiliqu.gov.cn".into(),
            base_path: "/".into(),
        }
    }

    #[test]
    fn hash_is_sixteen_hex_of_sha256() {
        let rel = leave_rel("https://www.gov.cn/");
        assert_eq!(rel.len(), "leave/.html".len() + 16);
        assert_eq!(rel, leave_rel("https://www.gov.cn/"));
        assert_ne!(rel, leave_rel("https://www.gov.cn"));
    }

    #[test]
    fn which_links_leave() {
        let l = leave();
        assert!(l.is_external("https://www.gov.cn/"));
        assert!(l.is_external("//cdn.example.com/x"));
        assert!(l.is_external("https://shiliqu.gov.cn/"));
        assert!(!l.is_external("https://WWW.SHILIQU.GOV.CN/news/"));
        assert!(!l.is_external("mailto:a@b.cn"));
        assert!(!l.is_external("tel:12345"));
        assert!(!l.is_external("/news/"));
        assert!(!l.is_external("#top"));
    }

    #[test]
    fn raw_html_links_are_rewritten() {
        let l = leave();
        let mut open = false;
        let mut found = Vec::new();
        let html = "<p><!-- <a href=\"https://x.cn/\"> --><A class=big HREF = 'https&#58;//e.example.com/?a=1&amp;b=2' target=_blank download>e</a> \
<a href=\"/news/\">内</a> <a href=\"mailto:x@y.cn\">信</a></p>";
        let out = l.rewrite_html(html, &mut open, &mut found);
        assert_eq!(found, vec!["https://e.example.com/?a=1&b=2"]);
        let page = leave_rel("https://e.example.com/?a=1&b=2");
        assert!(out.contains(&format!(
            "<a href=\"/{page}\" data-href=\"https://e.example.com/?a=1&amp;b=2\" class=\"big external\" rel=\"noopener noreferrer\" target=\"_blank\" download>e<span class=\"ext-mark\""
        )), "{out}");
        assert!(
            out.contains("（外部链接）</span></a> <a href=\"/news/\">内</a>"),
            "{out}"
        );
        assert!(out.contains("<!-- <a href=\"https://x.cn/\"> -->"), "{out}");
        assert!(!open);
    }

    #[test]
    fn inline_html_keeps_state_until_close() {
        let l = leave();
        let mut open = false;
        let mut found = Vec::new();
        let a = l.rewrite_html("<a href=https://a.example.com>", &mut open, &mut found);
        assert!(
            open && a.contains("data-href=\"https://a.example.com\""),
            "{a}"
        );
        let b = l.rewrite_html("</a>", &mut open, &mut found);
        assert_eq!(b, MARK.to_string() + "</a>");
        assert!(!open);
        let c = l.rewrite_html("<abbr title=x>", &mut open, &mut found);
        assert_eq!(c, "<abbr title=x>");
    }
}
