//! Every URL-bearing place of an HTML text: `href` (a, area, link, base;
//! any SVG element, `xlink:href` too), `src`, each `srcset` candidate,
//! `action`, `formaction`, `poster`, `data` (object), `background`,
//! `ping`, `<meta http-equiv=refresh>`, and CSS `url()` in `style`
//! attributes and `<style>` elements.

use std::ops::Range;

use serde::Serialize;

use super::tokens::{items, Item, StartTag};
use super::{css, srcset};

/// What following the URL does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The reader goes there: `<a href>`, `<area href>`, SVG `<a>`, a
    /// form's action, a refresh.
    Navigation,
    /// The browser fetches it into the page: images, frames, scripts,
    /// objects, style sheets, CSS.
    Resource,
}

/// One URL-bearing place, before classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Lowercase element name (`style` for a style sheet's text).
    pub element: String,
    /// Inside `<svg>`.
    pub svg: bool,
    /// Attribute name (`href`, `xlink:href`, `srcset`, `style`, `content`);
    /// empty for the text of `<style>`.
    pub attr: String,
    /// The URL as the browser reads it (character references decoded).
    pub value: String,
    /// Byte offset of the attribute (of the `url(` for a style sheet).
    pub offset: usize,
    /// Byte range of the attribute, `name="value"` (of the text for a
    /// style sheet).
    pub span: Range<usize>,
    /// Byte range of the start tag (of the text for a style sheet).
    pub tag: Range<usize>,
    pub role: Role,
}

impl Place {
    /// A link the reader follows away from the page: `<a>`, `<area>` and
    /// SVG `<a>` (what the leave-site notice rewrites).
    pub fn is_anchor(&self) -> bool {
        is_anchor(&self.element, self.svg, &self.attr, self.role)
    }
}

/// Whether attribute `attr` of `element` is a link the reader follows.
pub fn is_anchor(element: &str, svg: bool, attr: &str, role: Role) -> bool {
    role == Role::Navigation
        && matches!(attr, "href" | "xlink:href")
        && (element == "a" || (element == "area" && !svg))
}

/// The role of URL attribute `attr` on `tag`, or `None` when the
/// attribute does not hold a URL there.
fn role_of(tag: &StartTag, attr: &str) -> Option<Role> {
    let e = tag.name.as_str();
    let nav_if = |yes: bool| {
        Some(if yes {
            Role::Navigation
        } else {
            Role::Resource
        })
    };
    match attr {
        "href" | "xlink:href" if tag.svg => nav_if(e == "a"),
        "href" => match e {
            "a" | "area" => Some(Role::Navigation),
            "link" | "base" => Some(Role::Resource),
            _ => None,
        },
        "src" | "poster" | "background" | "ping" => Some(Role::Resource),
        "data" if e == "object" => Some(Role::Resource),
        "action" if e == "form" => Some(Role::Navigation),
        "formaction" => Some(Role::Navigation),
        _ => None,
    }
}

/// The URL of a refresh's `content` (`5; url=…`), per HTML §4.2.5.3.
pub fn refresh_url(content: &str) -> Option<&str> {
    let s = content.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let s = s.strip_prefix([';', ',']).unwrap_or(s);
    let mut s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    if s.len() >= 3 && s[..3].eq_ignore_ascii_case("url") {
        let after = s[3..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(v) = after.strip_prefix('=') {
            s = v.trim_start_matches(|c: char| c.is_ascii_whitespace());
        }
    }
    let s = match s.chars().next() {
        Some(q @ ('"' | '\'')) => s[1..].split(q).next().unwrap_or(""),
        _ => s,
    };
    (!s.is_empty()).then_some(s)
}

/// Every URL-bearing place of `html`, in source order.
pub fn places(html: &str) -> Vec<Place> {
    places_of(&items(html))
}

/// [`places`] of an HTML text already read by [`items`].
pub fn places_of(items: &[Item]) -> Vec<Place> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Start(tag) => of_tag(tag, &mut out),
            Item::Style { css: text, span } => {
                for (at, url) in css::urls(text) {
                    out.push(Place {
                        element: "style".into(),
                        svg: false,
                        attr: String::new(),
                        value: url,
                        offset: span.start + at,
                        span: span.clone(),
                        tag: span.clone(),
                        role: Role::Resource,
                    });
                }
            }
            Item::End { .. } => {}
        }
    }
    out
}

/// The URL-bearing places of one start tag.
pub fn tag_places(tag: &StartTag) -> Vec<Place> {
    let mut out = Vec::new();
    of_tag(tag, &mut out);
    out
}

fn of_tag(tag: &StartTag, out: &mut Vec<Place>) {
    let mut push = |attr: &str, value: &str, span: &Range<usize>, role: Role| {
        out.push(Place {
            element: tag.name.clone(),
            svg: tag.svg,
            attr: attr.to_string(),
            value: value.to_string(),
            offset: span.start,
            span: span.clone(),
            tag: tag.span.clone(),
            role,
        })
    };
    for a in &tag.attrs {
        let at = &a.span;
        match a.name.as_str() {
            "srcset" | "imagesrcset" => {
                for (_, url) in srcset::candidates(&a.value) {
                    push(&a.name, url, at, Role::Resource);
                }
            }
            "style" => {
                for (_, url) in css::urls(&a.value) {
                    push(&a.name, &url, at, Role::Resource);
                }
            }
            "ping" => {
                for url in a.value.split_ascii_whitespace() {
                    push(&a.name, url, at, Role::Resource);
                }
            }
            "content" if tag.name == "meta" => {
                let refresh = tag
                    .get("http-equiv")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
                if let Some(url) = refresh.then(|| refresh_url(&a.value)).flatten() {
                    push(&a.name, url, at, Role::Navigation);
                }
            }
            name => {
                if let Some(role) = role_of(tag, name) {
                    push(name, &a.value, at, role);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(html: &str) -> Vec<(String, String, String, Role)> {
        places(html)
            .into_iter()
            .map(|p| (p.element, p.attr, p.value, p.role))
            .collect()
    }

    fn p(e: &str, a: &str, v: &str, r: Role) -> (String, String, String, Role) {
        (e.into(), a.into(), v.into(), r)
    }

    #[test]
    fn every_url_bearing_place() {
        use Role::{Navigation as N, Resource as R};
        let html = r#"<a href="a">x</a><area href=b><link rel=stylesheet href=c><base href=d>
<img src="e" srcset="f 1x, g 2x"><form action=h><button formaction=i></button></form>
<video poster=j src=k></video><object data=l></object><iframe src=m></iframe>
<svg><a xlink:href="n"><image href="o"/></a></svg><a href="p" ping="q r">z</a>
<meta http-equiv="Refresh" content="0; URL='s'"><div style="background:url(t)"></div>
<style>@import "u"; b{background:url(v)}</style><span href="no" data="no">w</span>"#;
        assert_eq!(
            seen(html),
            vec![
                p("a", "href", "a", N),
                p("area", "href", "b", N),
                p("link", "href", "c", R),
                p("base", "href", "d", R),
                p("img", "src", "e", R),
                p("img", "srcset", "f", R),
                p("img", "srcset", "g", R),
                p("form", "action", "h", N),
                p("button", "formaction", "i", N),
                p("video", "poster", "j", R),
                p("video", "src", "k", R),
                p("object", "data", "l", R),
                p("iframe", "src", "m", R),
                p("a", "xlink:href", "n", N),
                p("image", "href", "o", R),
                p("a", "href", "p", N),
                p("a", "ping", "q", R),
                p("a", "ping", "r", R),
                p("meta", "content", "s", N),
                p("div", "style", "t", R),
                p("style", "", "u", R),
                p("style", "", "v", R),
            ]
        );
    }

    #[test]
    fn comments_and_script_text_hold_no_places() {
        let html = "<!-- <a href=x> --><script>var s = '<a href=y>';</script><textarea><img src=z></textarea>";
        assert!(places(html).is_empty(), "{:?}", places(html));
        // Without JavaScript, <noscript> is markup; in SVG, <style> is too.
        let html = "<noscript><a href=\"https://n.cn/\">n</a></noscript>\
<svg><style><a href=\"https://s.cn/\">s</a>b{fill:url(p.svg)}</style></svg><p>";
        let got: Vec<String> = places(html).into_iter().map(|p| p.value).collect();
        assert_eq!(got, vec!["https://n.cn/", "https://s.cn/", "p.svg"]);
    }

    #[test]
    fn refresh_content() {
        assert_eq!(refresh_url("5; url=https://x.cn/"), Some("https://x.cn/"));
        assert_eq!(refresh_url("0;URL = 'a b'"), Some("a b"));
        assert_eq!(refresh_url("3,https://y.cn"), Some("https://y.cn"));
        assert_eq!(refresh_url("10"), None);
    }
}
