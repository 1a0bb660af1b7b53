//! The leave-site notice (R11): every article link to a host other than
//! the site's own goes through a static notice `/leave/<xx>.html#l-<hash>`
//! (without JavaScript) or a dialog (`assets/leave.js`, with JavaScript),
//! and carries a visible external mark with hidden screen-reader text.
//!
//! The notices are grouped: page `leave/<xx>.html` (`xx` the first two hex
//! digits of the target's SHA-256, so at most 256 pages) holds one notice
//! section per distinct target, and CSS `:target` shows only the one the
//! link's fragment names — no JavaScript needed, and the page frame is
//! written 256 times at most instead of once per target.
//!
//! Which links leave is the link model's answer ([`crate::links`]): a URL
//! parsed as a browser parses it, on another host. Markdown links
//! (inline, reference, autolinks) are rewritten as they are rendered; then
//! every link of the rendered HTML that the reader follows — `<a href>`,
//! `<area href>`, SVG `<a href>` / `<a xlink:href>` — is rewritten alike.
//! `mailto:`/`tel:` and links on the site are not. The visible mark goes
//! before an HTML `</a>`; an `<area>` has no content and an SVG `<a>` no
//! room for HTML, so they carry the notice without the mark.

use sha2::{Digest, Sha256};

use super::templates::escape;
use crate::config::Site;
use crate::links::extract::tag_places;
use crate::links::tokens::{items, Item, StartTag};
use crate::links::{browser_clean, classify, Base};

/// After an external link's text: the visible mark and the hidden text.
pub const MARK: &str = "<span class=\"ext-mark\" aria-hidden=\"true\">↗</span><span class=\"visually-hidden\">（外部链接）</span>";

/// The first 64 bits of SHA-256(target).
fn target_bits(target: &str) -> u64 {
    let hash = Sha256::digest(target.as_bytes());
    u64::from_be_bytes(hash[..8].try_into().unwrap_or_default())
}

/// `leave/<first 2 hex of SHA-256(target)>.html`, relative to the site
/// root: the notice page holding `target`'s section, the same for every
/// build.
pub fn leave_rel(target: &str) -> String {
    format!("leave/{:02x}.html", target_bits(target) >> 56)
}

/// `l-<first 64 bits of SHA-256(target) in base32>`: the id of `target`'s
/// notice section on its page. Base32 (`a`–`z`, `2`–`7`, 13 characters)
/// rather than hex: a hex id can be all decimal digits and then read as a
/// bank card number by the output scan; 13 characters of `2`–`7` cannot
/// (a card has 16–19 digits, a mobile number starts with 1).
pub fn leave_id(target: &str) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bits = target_bits(target);
    let mut id = String::from("l-");
    for _ in 0..13 {
        id.push(char::from(ALPHABET[(bits >> 59) as usize]));
        bits <<= 5;
    }
    id
}

/// The target a notice names: the URL as written, less what a browser
/// strips (surrounding space and control characters, tabs and newlines).
pub fn target_of(raw: &str) -> String {
    browser_clean(raw).trim().to_string()
}

/// Which links leave the site, and where their notice pages are.
#[derive(Debug, Clone)]
pub struct Leave {
    /// The site's home page and own host, for the link model.
    base: Option<Base>,
    /// Site path prefix, `/` or `/portal/`.
    base_path: String,
}

impl Leave {
    pub fn new(site: &Site) -> Leave {
        Leave {
            base: Base::new(&site.config.base_url, &site.base_path),
            base_path: site.base_path.clone(),
        }
    }

    /// Whether `dest` goes to a host other than the site's own, as a
    /// browser reads it. Government hosts count too.
    pub fn is_external(&self, dest: &str) -> bool {
        self.base
            .as_ref()
            .is_some_and(|b| classify(dest, b).external_host().is_some())
    }

    /// Site path of the notice for `target`: its page and section.
    pub fn url(&self, target: &str) -> String {
        format!(
            "{}{}#{}",
            self.base_path,
            leave_rel(target),
            leave_id(target)
        )
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

    /// The rendered HTML of a body with every followed link to another
    /// host rewritten: `<a>`, `<area>` and SVG `<a>`. Targets are pushed
    /// to `found` in order. Comments, scripts and text are left alone.
    pub fn rewrite_html(&self, html: &str, found: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(html.len() + 128);
        let mut copied = 0;
        let mut open = false;
        for item in items(html) {
            match item {
                Item::End { name, span } if name == "a" && open => {
                    out.push_str(&html[copied..span.start]);
                    out.push_str(MARK);
                    copied = span.start;
                    open = false;
                }
                Item::Start(tag) => {
                    let Some(target) = self.leaving(&tag) else {
                        continue;
                    };
                    out.push_str(&html[copied..tag.span.start]);
                    out.push_str(&self.rewrite_tag(html, &tag, &target));
                    copied = tag.span.end;
                    open = tag.name == "a" && !tag.svg;
                    found.push(target);
                }
                _ => {}
            }
        }
        out.push_str(&html[copied..]);
        out
    }

    /// The target of a tag the reader follows to another host; `href`
    /// before `xlink:href`, as browsers do.
    fn leaving(&self, tag: &StartTag) -> Option<String> {
        let base = self.base.as_ref()?;
        let mut places = tag_places(tag);
        places.retain(|p| p.is_anchor());
        places.sort_by_key(|p| p.attr != "href");
        let first = places.first()?;
        classify(&first.value, base)
            .external_host()
            .map(|_| target_of(&first.value))
    }

    /// One start tag sent through the notice: `href` to the notice page,
    /// the target in `data-href`, class `external`, the other attributes
    /// kept in order.
    fn rewrite_tag(&self, html: &str, tag: &StartTag, target: &str) -> String {
        let mut class = String::new();
        let mut rest = String::new();
        for a in &tag.attrs {
            match a.name.as_str() {
                "href" | "xlink:href" | "rel" | "data-href" => {}
                "class" => class = format!("{} ", a.value.trim()),
                name if !html[a.span.clone()].contains('=') => {
                    rest.push_str(&format!(" {name}"));
                }
                name => rest.push_str(&format!(" {name}=\"{}\"", escape(&a.value))),
            }
        }
        let close = if html[tag.span.clone()].ends_with("/>") {
            "/>"
        } else {
            ">"
        };
        format!(
            "<{} href=\"{}\" data-href=\"{}\" class=\"{}external\" rel=\"noopener noreferrer\"{rest}{close}",
            tag.name,
            escape(&self.url(target)),
            escape(target),
            escape(class.trim_start()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leave() -> Leave {
        let site =
            crate::config::parse("name: x\nbase_url: https://www.shiliqu.gov.cn\n").expect("site");
        Leave::new(&site)
    }

    #[test]
    fn page_is_two_hex_and_section_base32_of_sha256() {
        // Page from the first byte, id from the first 64 bits, 5 at a time.
        let bits = target_bits("https://www.gov.cn/");
        let rel = leave_rel("https://www.gov.cn/");
        assert_eq!(rel, format!("leave/{:02x}.html", bits >> 56));
        let id = leave_id("https://www.gov.cn/");
        assert_eq!(id.len(), 2 + 13);
        assert!(id[2..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)));
        let first = b"abcdefghijklmnopqrstuvwxyz234567"[(bits >> 59) as usize];
        assert_eq!(id.as_bytes()[2], first);
        assert_ne!(id, leave_id("https://www.gov.cn"));
        assert_eq!(leave().url("https://www.gov.cn/"), format!("/{rel}#{id}"));
    }

    #[test]
    fn which_links_leave() {
        let l = leave();
        assert!(l.is_external("https://www.gov.cn/"));
        assert!(l.is_external("//cdn.example.com/x"));
        assert!(l.is_external("https://shiliqu.gov.cn/"));
        assert!(l.is_external("/\t/evil.example.com"));
        assert!(!l.is_external("https://WWW.SHILIQU.GOV.CN/news/"));
        assert!(!l.is_external("mailto:a@b.cn"));
        assert!(!l.is_external("tel:12345"));
        assert!(!l.is_external("/news/"));
        assert!(!l.is_external("#top"));
    }

    #[test]
    fn raw_html_links_are_rewritten() {
        let l = leave();
        let mut found = Vec::new();
        let html = "<p><!-- <a href=\"https://x.cn/\"> --><A class=big HREF = 'https&#58;//e.example.com/?a=1&amp;b=2' target=_blank download>e</a> \
<a href=\"/news/\">内</a> <a href=\"mailto:x@y.cn\">信</a></p>";
        let out = l.rewrite_html(html, &mut found);
        assert_eq!(found, vec!["https://e.example.com/?a=1&b=2"]);
        let page = leave().url("https://e.example.com/?a=1&b=2");
        assert!(out.contains(&format!(
            "<a href=\"{page}\" data-href=\"https://e.example.com/?a=1&amp;b=2\" class=\"big external\" rel=\"noopener noreferrer\" target=\"_blank\" download>e<span class=\"ext-mark\""
        )), "{out}");
        assert!(
            out.contains("（外部链接）</span></a> <a href=\"/news/\">内</a>"),
            "{out}"
        );
        assert!(out.contains("<!-- <a href=\"https://x.cn/\"> -->"), "{out}");
    }

    #[test]
    fn areas_and_svg_links_are_rewritten() {
        let l = leave();
        let mut found = Vec::new();
        let html = "<map name=m><area shape=rect coords=\"0,0,9,9\" href=\"https://a.example.com/\" alt=\"甲\"></map>\n\
<svg><a xlink:href=\"https://s.example.com/\"><text>乙</text></a></svg>\n\
<a href=\"/\t/evil.example.com\">丙</a><img src=\"https://i.example.com/x.png\">";
        let out = l.rewrite_html(html, &mut found);
        assert_eq!(
            found,
            vec![
                "https://a.example.com/",
                "https://s.example.com/",
                "//evil.example.com"
            ]
        );
        let area = l.url("https://a.example.com/");
        assert!(out.contains(&format!("<area href=\"{area}\" data-href=\"https://a.example.com/\" class=\"external\" rel=\"noopener noreferrer\" shape=\"rect\" coords=\"0,0,9,9\" alt=\"甲\">")), "{out}");
        let svg = l.url("https://s.example.com/");
        assert!(out.contains(&format!("<svg><a href=\"{svg}\" data-href=\"https://s.example.com/\" class=\"external\" rel=\"noopener noreferrer\"><text>乙</text></a></svg>")), "{out}");
        assert!(out.contains("丙<span class=\"ext-mark\""), "{out}");
        assert!(
            out.contains("<img src=\"https://i.example.com/x.png\">"),
            "{out}"
        );
        assert!(!out.contains("xlink:href"), "{out}");
    }
}
