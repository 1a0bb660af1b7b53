//! The start tags, end tags and style sheets of an HTML text, with their
//! byte ranges, read by a WHATWG tokenizer (`html5gum`) — never by
//! pattern matching. Attribute values come with character references
//! decoded, as a browser reads them; `<style>`, `<script>` and the other
//! raw-text elements are read as text, not as tags.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lowercase name, e.g. `href`, `xlink:href`.
    pub name: String,
    /// The value, character references decoded; empty for a bare name.
    pub value: String,
    /// Byte range of the whole attribute (`name="value"`) in the text.
    pub span: Range<usize>,
}

/// A start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// Lowercase element name.
    pub name: String,
    /// Attributes in source order.
    pub attrs: Vec<Attr>,
    /// Byte range of the tag, `<` to `>`.
    pub span: Range<usize>,
    /// Inside an `<svg>` element (or the `<svg>` itself).
    pub svg: bool,
}

impl StartTag {
    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// What the tokenizer saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Start(StartTag),
    /// An end tag: lowercase name and byte range.
    End {
        name: String,
        span: Range<usize>,
    },
    /// The text of a `<style>` element and its byte range.
    Style {
        css: String,
        span: Range<usize>,
    },
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every tag and style sheet of `html`.
pub fn items(html: &str) -> Vec<Item> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut out = Vec::new();
    let mut svg_depth = 0usize;
    let mut in_style = false;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = text(&tag.name);
                let mut attrs: Vec<Attr> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| Attr {
                        name: text(k),
                        value: text(&v.value),
                        span: v.span.start..v.span.end.min(tag.span.end),
                    })
                    .collect();
                attrs.sort_by_key(|a| a.span.start);
                if name == "svg" && !tag.self_closing {
                    svg_depth += 1;
                }
                in_style = name == "style" && !tag.self_closing;
                out.push(Item::Start(StartTag {
                    svg: svg_depth > 0 || name == "svg",
                    name,
                    attrs,
                    span: tag.span.start..tag.span.end,
                }));
            }
            Token::EndTag(tag) => {
                let name = text(&tag.name);
                if name == "svg" {
                    svg_depth = svg_depth.saturating_sub(1);
                }
                in_style = false;
                out.push(Item::End {
                    name,
                    span: tag.span.start..tag.span.end,
                });
            }
            Token::String(s) if in_style => out.push(Item::Style {
                css: text(&s.value),
                span: s.span.start..s.span.end,
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_decoded_values() {
        let html = "<p>x</p>\n<A class=big HREF = 'https&#58;//e.cn/?a=1&amp;b=2'>e</a><svg><a xlink:href=\"//s.cn\"/></svg><img src=i.png>";
        let got = items(html);
        let Item::Start(a) = &got[2] else {
            panic!("{got:?}")
        };
        assert_eq!(a.name, "a");
        assert_eq!(
            &html[a.span.clone()],
            "<A class=big HREF = 'https&#58;//e.cn/?a=1&amp;b=2'>"
        );
        assert_eq!(a.get("href"), Some("https://e.cn/?a=1&b=2"));
        assert_eq!(a.attrs[0].name, "class");
        assert_eq!(
            &html[a.attrs[1].span.clone()],
            "HREF = 'https&#58;//e.cn/?a=1&amp;b=2'"
        );
        assert!(!a.svg);
        let Item::Start(s) = &got[5] else {
            panic!("{got:?}")
        };
        assert!(s.svg && s.name == "a" && s.get("xlink:href") == Some("//s.cn"));
        let Item::Start(img) = got.last().expect("img") else {
            panic!("{got:?}")
        };
        assert!(!img.svg);
    }

    #[test]
    fn style_text_is_not_tags() {
        let html = "<style>a{background:url(x.png)} </style><p>";
        let got = items(html);
        assert!(
            matches!(&got[1], Item::Style { css, span } if css.contains("url(x.png)") && &html[span.clone()] == css.as_str())
        );
        assert!(matches!(&got[3], Item::Start(t) if t.name == "p"));
    }
}
