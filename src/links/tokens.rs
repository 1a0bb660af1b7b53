//! The start tags, end tags and style sheets of an HTML text, with their
//! byte ranges, read by a WHATWG tokenizer (`html5gum`) — never by
//! pattern matching. Attribute values come with character references
//! decoded, as a browser reads them; `<style>`, `<script>` and the other
//! raw-text elements are read as text, not as tags — outside SVG only, as
//! the browser's tree builder does, and never `<noscript>`, whose content
//! is markup for a reader without JavaScript.

use std::ops::Range;

use html5gum::{DefaultEmitter, State, Token, Tokenizer};

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

/// The tokenizer state after start tag `name` outside SVG (HTML §13.2.6.4.7).
fn text_state(name: &str) -> Option<State> {
    match name {
        "textarea" | "title" => Some(State::RcData),
        "plaintext" => Some(State::PlainText),
        "script" => Some(State::ScriptData),
        "style" | "iframe" | "xmp" | "noembed" | "noframes" => Some(State::RawText),
        _ => None,
    }
}

/// Every tag and style sheet of `html`.
pub fn items(html: &str) -> Vec<Item> {
    let mut tokenizer = Tokenizer::new_with_emitter(html, DefaultEmitter::<usize>::new_with_span());
    let mut out = Vec::new();
    let mut svg_depth = 0usize;
    // Where the text of an HTML `<style>` starts; inside an SVG `<style>`.
    let mut style_at: Option<usize> = None;
    let mut svg_style = false;
    while let Some(Ok(token)) = tokenizer.next() {
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
                if svg_depth == 0 && !tag.self_closing {
                    if let Some(state) = text_state(&name) {
                        tokenizer.set_state(state);
                    }
                    if name == "style" {
                        style_at = Some(tag.span.end);
                    }
                } else if name == "style" && !tag.self_closing {
                    svg_style = true;
                }
                if name == "svg" && !tag.self_closing {
                    svg_depth += 1;
                }
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
                if name == "style" {
                    // Raw text: the source between the tags, exactly.
                    if let Some(start) = style_at.take() {
                        let end = tag.span.start.max(start);
                        out.push(Item::Style {
                            css: html.get(start..end).unwrap_or_default().to_string(),
                            span: start..end,
                        });
                    }
                    svg_style = false;
                }
                out.push(Item::End {
                    name,
                    span: tag.span.start..tag.span.end,
                });
            }
            Token::String(s) if svg_style => out.push(Item::Style {
                css: text(&s.value),
                span: s.span.start..s.span.end,
            }),
            _ => {}
        }
    }
    if let Some(start) = style_at {
        // A style sheet left open runs to the end.
        out.push(Item::Style {
            css: html[start.min(html.len())..].to_string(),
            span: start.min(html.len())..html.len(),
        });
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
        let open = items("<style>b{background:url(y.png)}");
        assert!(matches!(&open[1], Item::Style { css, .. } if css.contains("url(y.png)")));
    }
}
