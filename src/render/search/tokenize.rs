//! The one word-splitting rule of the site search, used for the index at
//! build time and — mirrored line by line in `themes/default/static/search.js`
//! (`fold`, `isHan`, `split`/`tokenize`, `fnv1a`) — for the query in the browser.
//!
//! The rule:
//!
//! 1. Fold each character: full-width ASCII (`Ａ`–`ｚ`, `０`–`９`, U+FF01–U+FF5E)
//!    becomes ASCII, then ASCII `A`–`Z` becomes lowercase.
//! 2. A run of ASCII letters and digits is one token (`2026`, `gov`, `5g`).
//! 3. A run of Han characters (CJK ideographs, see [`is_han`]) gives its
//!    overlapping two-character pieces (`安全生产` → `安全`, `全生`, `生产`);
//!    a run of one character gives that character.
//! 4. Anything else (spaces, punctuation, other scripts) only separates runs.
//!
//! The query is split with [`tokenize`]; a document matches when it has
//! every query token. The index stores [`index_terms`]: the same tokens plus
//! every single character of the longer Han runs, so that a query such as
//! `2026年` (tokens `2026`, `年`) finds `2026年第四季度` (runs `2026` and
//! `年第四季度`), and `税` finds `减税降费`. Hence whenever the query text
//! occurs in a document, every query token is among the document's terms.

/// Full-width ASCII to ASCII, then ASCII uppercase to lowercase.
pub fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Han ideographs: CJK Unified Ideographs and Extension A, compatibility
/// ideographs, `〇`, and Extensions B and later.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// A piece of text after folding: an ASCII word or a run of Han characters.
enum Piece<'a> {
    Word(&'a str),
    Run(&'a [char]),
}

/// Calls `each` for every word and Han run of `text`, in order.
fn scan(text: &str, mut each: impl FnMut(Piece)) {
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().map(fold) {
        if c.is_ascii_alphanumeric() {
            if !run.is_empty() {
                each(Piece::Run(&run));
                run.clear();
            }
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            each(Piece::Word(&word));
            word.clear();
        }
        if is_han(c) {
            run.push(c);
        } else if !run.is_empty() {
            each(Piece::Run(&run));
            run.clear();
        }
    }
    if !word.is_empty() {
        each(Piece::Word(&word));
    }
    if !run.is_empty() {
        each(Piece::Run(&run));
    }
}

/// The tokens of `text`, in order, with repeats: what a query is split into.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    scan(text, |p| match p {
        Piece::Word(w) => out.push(w.to_string()),
        Piece::Run([c]) => out.push(c.to_string()),
        Piece::Run(run) => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
    });
    out
}

/// A term of the index: one or two Han characters packed into a number
/// (see [`han`]), or an ASCII word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    Han(u64),
    Word(&'a str),
}

/// One or two Han characters as a number: the first in the high 32 bits,
/// the second (or 0) in the low.
pub fn han(a: char, b: Option<char>) -> u64 {
    (u64::from(a) << 32) | b.map_or(0, u64::from)
}

/// The text of a number made by [`han`].
pub fn han_text(key: u64) -> String {
    let ch = |v: u64| char::from_u32(v as u32).unwrap_or('\u{FFFD}');
    let mut s = String::new();
    s.push(ch(key >> 32));
    if key & 0xFFFF_FFFF != 0 {
        s.push(ch(key & 0xFFFF_FFFF));
    }
    s
}

/// What the index records for `text`: the tokens of [`tokenize`] plus every
/// character of the Han runs of two or more characters, with repeats.
pub fn index_terms(text: &str, mut each: impl FnMut(Term)) {
    scan(text, |p| match p {
        Piece::Word(w) => each(Term::Word(w)),
        Piece::Run([c]) => each(Term::Han(han(*c, None))),
        Piece::Run(run) => {
            for w in run.windows(2) {
                each(Term::Han(han(w[0], Some(w[1]))));
            }
            for &c in run {
                each(Term::Han(han(c, None)));
            }
        }
    });
}

/// FNV-1a (32 bit) over the UTF-8 bytes of a token: which postings shard
/// holds it (`hash % shards`).
pub fn fnv1a(token: &str) -> u32 {
    fnv1a_bytes(token.as_bytes())
}

/// FNV-1a (32 bit) over `bytes`.
pub fn fnv1a_bytes(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full list of cases, shared with search.js, is in
    /// `tests/fixtures/search/tokenize.json` (checked by `tests/search.rs`
    /// and by the browser test).
    const CASES: &[(&str, &[&str])] = &[
        ("安全生产", &["安全", "全生", "生产"]),
        ("2026年", &["2026", "年"]),
        ("Ｇ２０峰会", &["g20", "峰会"]),
        ("“医保”、社保。", &["医保", "社保"]),
        ("  ，。!? ", &[]),
    ];

    #[test]
    fn splits_as_documented() {
        for (text, want) in CASES {
            assert_eq!(tokenize(text), *want, "{text}");
        }
    }

    fn terms(text: &str) -> Vec<String> {
        let mut got = Vec::new();
        index_terms(text, |t| {
            got.push(match t {
                Term::Han(k) => han_text(k),
                Term::Word(w) => w.to_string(),
            })
        });
        got
    }

    #[test]
    fn index_adds_single_characters() {
        assert_eq!(
            terms("2026年第四季度"),
            ["2026", "年第", "第四", "四季", "季度", "年", "第", "四", "季", "度"]
        );
        assert_eq!(terms("税"), ["税"]);
    }

    #[test]
    fn query_tokens_are_in_the_index_of_text_containing_the_query() {
        let doc = "示例区召开2026年第四季度安全生产工作会议，部署岁末年初安全防范。";
        let all: std::collections::BTreeSet<String> = terms(doc).into_iter().collect();
        for q in [
            "安全生产",
            "2026年",
            "第四季度",
            "会议",
            "岁末年初安全",
            "年第四",
            "季",
        ] {
            for t in tokenize(q) {
                assert!(all.contains(&t), "{q}: {t}");
            }
        }
    }

    #[test]
    fn han_numbers_round_trip() {
        assert_eq!(han_text(han('安', Some('全'))), "安全");
        assert_eq!(han_text(han('𠀀', None)), "𠀀");
    }

    #[test]
    fn fnv_matches_reference() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("安全"), fnv1a("安全"));
    }
}
