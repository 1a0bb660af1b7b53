//! The text a reader sees, for the content rules (issue 10): HTML
//! character references decoded, tags and comments removed (so Markdown
//! emphasis and empty elements cannot split a word), `alt` and `title`
//! attribute values included, zero-width and other invisible format
//! characters removed, NFKC-normalised — with a map from every decoded
//! byte back to where it is written, so findings keep their article line.

use html5gum::{DefaultEmitter, State, Token, Tokenizer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::links::BodyHtml;

/// Decoded text and where each of its bytes is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Source byte offset of each byte of `text`, plus one for its end.
    map: Vec<usize>,
}

impl Decoded {
    /// The source offset of decoded byte `offset`.
    pub fn source(&self, offset: usize) -> usize {
        self.map
            .get(offset.min(self.map.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    }

    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.map.extend(std::iter::repeat_n(at, c.len_utf8()));
    }

    fn finish(mut self, end: usize) -> Decoded {
        self.map.push(end);
        self
    }
}

/// Characters a reader does not see and that can split a word: zero-width
/// spaces and joiners, direction marks, word joiner and invisible
/// operators, the byte order mark, the soft hyphen, and every other
/// format character (general category Cf) of the ranges below.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Invisible characters removed and NFKC applied, character cluster by
/// cluster (a base character with its combining marks), each output
/// character mapped to where its cluster is written.
fn normalize_into(out: &mut Decoded, chars: &[(char, usize)]) {
    let mut i = 0;
    let mut cluster = String::new();
    while i < chars.len() {
        let (c, at) = chars[i];
        i += 1;
        if is_invisible(c) {
            continue;
        }
        cluster.clear();
        cluster.push(c);
        while let Some(&(m, _)) = chars.get(i) {
            if is_invisible(m) {
                i += 1;
            } else if is_combining_mark(m) {
                cluster.push(m);
                i += 1;
            } else {
                break;
            }
        }
        for n in cluster.nfkc() {
            if !is_invisible(n) {
                out.push(n, at);
            }
        }
    }
}

/// `text` without invisible characters, NFKC-normalised: what the rules
/// compare. Idempotent.
pub fn normalize(text: &str) -> String {
    plain(text).text
}

/// A plain text (a YAML value, a `.txt` or `.csv` file) as the rules
/// read it, mapped exactly to its bytes.
pub fn plain(text: &str) -> Decoded {
    let chars: Vec<(char, usize)> = text.char_indices().map(|(i, c)| (c, i)).collect();
    let mut out = Decoded::default();
    normalize_into(&mut out, &chars);
    out.finish(text.len())
}

/// A piece of visible text of an HTML document and the HTML offset it
/// comes from (a text run, or an `alt` / `title` value).
struct Piece {
    text: String,
    at: usize,
}

/// Elements a browser shows apart from their neighbours (a line or a
/// cell): their tags separate words, so that two table cells `139` and
/// `12345678` are not read as one number. Inline tags (`<span>`, `<b>`,
/// `<a>`…) and comments separate nothing.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "option",
    "textarea",
    "title",
];

/// Text runs (character references decoded, comments and tags removed)
/// and `alt` / `title` values of `html`, in order. The text of
/// `<script>`, `<style>` and the other raw-text elements is not shown to
/// a reader and is left out; `<title>` and `<textarea>` text is kept.
fn pieces(html: &str) -> Vec<Piece> {
    let mut tokenizer = Tokenizer::new_with_emitter(html, DefaultEmitter::<usize>::new_with_span());
    let mut out = Vec::new();
    let mut svg = 0usize;
    let mut hidden = false;
    while let Some(Ok(token)) = tokenizer.next() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                // A tag ends a word only where the browser shows a break;
                // none is inserted, so `机<span></span>密` stays one word.
                let mut attrs: Vec<(usize, String)> = tag
                    .attributes
                    .iter()
                    .filter(|(k, _)| matches!(&k[..], b"alt" | b"title" | b"aria-label"))
                    .map(|(_, v)| (v.span.start, String::from_utf8_lossy(&v.value).into_owned()))
                    .collect();
                attrs.sort();
                for (at, value) in attrs {
                    out.push(Piece {
                        text: format!("\n{value}\n"),
                        at,
                    });
                }
                if BLOCK.contains(&name.as_str()) {
                    out.push(Piece {
                        text: "\n".into(),
                        at: tag.span.start,
                    });
                }
                if name == "svg" && !tag.self_closing {
                    svg += 1;
                }
                if svg == 0 && !tag.self_closing {
                    match name.as_str() {
                        "textarea" | "title" => tokenizer.set_state(State::RcData),
                        "plaintext" => tokenizer.set_state(State::PlainText),
                        "script" => {
                            tokenizer.set_state(State::ScriptData);
                            hidden = true;
                        }
                        "style" | "iframe" | "xmp" | "noembed" | "noframes" => {
                            tokenizer.set_state(State::RawText);
                            hidden = true;
                        }
                        _ => {}
                    }
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                if BLOCK.contains(&name.as_str()) {
                    out.push(Piece {
                        text: "\n".into(),
                        at: tag.span.start,
                    });
                }
                if name == "svg" {
                    svg = svg.saturating_sub(1);
                }
                hidden = false;
            }
            Token::String(s) if !hidden => out.push(Piece {
                text: String::from_utf8_lossy(&s.value).into_owned(),
                at: s.span.start,
            }),
            _ => {}
        }
    }
    out
}

/// How far ahead of its rough place a decoded character is looked for in
/// the source.
const WINDOW: usize = 96;

/// Decoded characters with a rough source offset each (a lower bound of
/// where it is written), refined: each is looked for in `source` from its
/// rough place (not before the previous one) and put where it is found;
/// one written as a character reference stays at the rough place, and
/// so does whitespace.
fn refine(source: &str, rough: Vec<(char, usize)>) -> Vec<(char, usize)> {
    let mut last = 0usize;
    rough
        .into_iter()
        .map(|(c, at)| {
            let start = floor(source, at.max(last));
            if c.is_whitespace() {
                // Separators are everywhere: looked for, they would run
                // ahead to the end of the line.
                return (c, start);
            }
            let end = floor(source, (start + WINDOW).min(source.len()));
            match source[start..end].find(c) {
                Some(i) => {
                    last = start + i + c.len_utf8();
                    (c, start + i)
                }
                None => (c, start),
            }
        })
        .collect()
}

fn floor(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The visible text of an HTML document (an `.svg` or `.html` asset),
/// mapped to its bytes.
pub fn html(source: &str) -> Decoded {
    let rough = pieces(source)
        .into_iter()
        .flat_map(|p| p.text.chars().map(move |c| (c, p.at)).collect::<Vec<_>>())
        .collect();
    let mut out = Decoded::default();
    normalize_into(&mut out, &refine(source, rough));
    out.finish(source.len())
}

/// The visible text of a Markdown body as published (`rendered` is the
/// body rendered by the link model), mapped to the body's bytes.
pub fn body(source: &str, rendered: &BodyHtml) -> Decoded {
    let rough = pieces(&rendered.html)
        .into_iter()
        .flat_map(|p| {
            let mut at = p.at;
            p.text
                .chars()
                .map(|c| {
                    let body_at = rendered.body_offset(at);
                    at += c.len_utf8();
                    (c, body_at)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = Decoded::default();
    normalize_into(&mut out, &refine(source, rough));
    out.finish(source.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::to_html;

    fn md(text: &str) -> Decoded {
        body(text, &to_html(text))
    }

    #[test]
    fn dodges_are_decoded() {
        for (body, want) in [
            ("机&#23494;★1年\n", "机密★1年"),
            ("机<!-- x -->密★\n", "机密★"),
            ("机<span></span>密★\n", "机密★"),
            ("机**密**★\n", "机密★"),
            ("身份证 110105\u{200B}19491231002X\n", "11010519491231002X"),
            ("机\u{00AD}密\u{FEFF}★\n", "机密★"),
            ("１１０１０５\n", "110105"),
            ("<img alt=\"机密★\" src=a.png>\n", "机密★"),
            ("![秘密★](a.png)\n", "秘密★"),
        ] {
            let d = md(body);
            assert!(d.text.contains(want), "{body:?} -> {:?}", d.text);
        }
    }

    #[test]
    fn positions_map_back_to_lines_and_columns() {
        let body = "第一行\n\n联系 13912345678，机&#23494;★\n";
        let d = md(body);
        let at = d.text.find("139").expect("phone");
        assert_eq!(d.source(at), body.find("139").expect("src"));
        let at = d.text.find("机密").expect("mark");
        assert_eq!(d.source(at), body.find('机').expect("src"));
        let star = d.text.find('★').expect("star");
        assert_eq!(d.source(star), body.find('★').expect("src"));
        let html = "<svg>\n<text>秘&#23494;★</text></svg>";
        let d = super::html(html);
        let at = d.text.find("秘密").expect("svg text");
        assert_eq!(d.source(at), html.find('秘').expect("src"));
    }

    #[test]
    fn script_and_style_text_is_not_read() {
        let d = md("<style>p{}</style>\n\n<script>var x=1</script>\n\n正文\n");
        assert!(!d.text.contains("var") && !d.text.contains("p{}"), "{d:?}");
        assert!(d.text.contains("正文"));
    }

    /// A small deterministic generator (no extra dependency).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    const ALPHABET: &[&str] = &[
        "机",
        "密",
        "★",
        "1",
        "年",
        "１",
        "Ａ",
        "a",
        " ",
        "\n",
        "\u{200B}",
        "\u{200D}",
        "\u{FEFF}",
        "\u{00AD}",
        "\u{2060}",
        "e\u{0301}",
        "ﬁ",
        "㍿",
        "①",
        "。",
        "，",
    ];
    const TAGS: &[&str] = &[
        "<span>",
        "</span>",
        "<!-- c -->",
        "<b class=\"x\">",
        "</b>",
        "<a href=\"/x\">",
        "</a>",
        "<img src=\"a.png\">",
        "<em>",
        "</em>",
        "<sup>",
        "</sup>",
    ];

    #[test]
    fn property_no_tags_no_invisibles_idempotent() {
        let mut rng = Lcg(0x5eed);
        for _ in 0..500 {
            let mut html = String::new();
            let mut text = String::new();
            for _ in 0..rng.next(24) {
                if rng.next(3) == 0 {
                    html.push_str(TAGS[rng.next(TAGS.len())]);
                } else {
                    let t = ALPHABET[rng.next(ALPHABET.len())];
                    html.push_str(t);
                    text.push_str(t);
                }
            }
            let d = super::html(&html);
            assert!(!d.text.contains('<') && !d.text.contains('>'), "{html:?}");
            assert!(
                !d.text.chars().any(is_invisible),
                "{html:?} -> {:?}",
                d.text
            );
            // Tags and comments removed: the text alone, normalised.
            assert_eq!(d.text, normalize(&text), "{html:?}");
            // Decoding decoded text changes nothing.
            assert_eq!(normalize(&d.text), d.text, "{html:?}");
            assert_eq!(super::html(&d.text).text, d.text, "{html:?}");
            // Every decoded byte maps inside the source, in order.
            assert_eq!(d.map.len(), d.text.len() + 1);
            assert!(d.map.iter().all(|&o| o <= html.len()));
        }
    }
}
