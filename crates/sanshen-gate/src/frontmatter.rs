//! The facts the gate reads from the signed front matter (`class`, `draft`,
//! `source`), with the spec's rule that a key may not appear twice in any
//! mapping. Other modules may read the rest of the front matter themselves;
//! this is the gate's own, fail-safe reading.

use crate::document::Document;

use super::yaml::{self, Value};
use super::GateError;

pub use super::yaml::scalar_text;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
/// The signed facts the gate reads from an article's front matter.
pub struct FrontFacts {
    /// `class` as written (`None` if absent or null).
    pub class: Option<String>,
    /// `draft: true`; any value other than `false`/absent counts as draft.
    pub draft: bool,
    /// `source.name` of a repost.
    pub source_name: Option<String>,
    /// `source.url` of a repost; `Some("")` when `source` is given without
    /// a usable `url`, so the repost is held rather than let through.
    pub source_url: Option<String>,
}

const HELP: &str = "front matter 是 YAML：每个键只能出现一次，例如\n---\ntitle: 标题\nclass: A\ndate: \"2026-11-20\"\n---";

/// The gate keys (spec §1) that may only start the gate block.
pub const GATE_KEYS: [&str; 3] = ["assets", "approvals", "withdrawn"];

/// A top-level `assets`, `approvals` or `withdrawn` key inside the signed front
/// matter `src` (quoted, spaced or in flow style, since the document split
/// takes a plain column-0 one as the gate block): the key and its line in
/// `src`. Spec §1 makes this an error.
/// `has` says whether the parsed front matter has a top-level key.
pub fn hidden_gate_key(src: &str, has: impl Fn(&str) -> bool) -> Option<(&'static str, usize)> {
    let key = GATE_KEYS.into_iter().find(|k| has(k))?;
    let line = yaml::keys(src)
        .iter()
        .find(|k| k.key == key && k.parent.is_empty())
        .map(|k| k.line)
        .or_else(|| yaml::find_key_line(src, key, 1, 1))
        .unwrap_or(1);
    Some((key, line))
}

/// The message for [`hidden_gate_key`].
pub fn hidden_gate_key_message(key: &str) -> String {
    format!("`{key}` 只能作为审核区写在 front matter 末尾、从第一列开始，不能加引号或缩进")
}

/// The fix for [`hidden_gate_key`].
pub const HIDDEN_GATE_KEY_HELP: &str = "去掉这一行的引号和缩进；审核记录请用 `sanshen sign` 写入。";

/// Read `class`, `draft` and `source` from the signed front matter.
/// `file` names the article in errors (e.g. `content/news/a.md`).
pub fn read_facts(file: &str, doc: &Document) -> Result<FrontFacts, GateError> {
    let src = doc.front_matter();
    let first = doc.front_matter_line;
    let value = yaml::value_at(src, first).map_err(|e| e.into_gate(file, HELP))?;
    if let Some((key, line)) = hidden_gate_key(src, |k| value.get(k).is_some()) {
        return Err(GateError::new(
            file,
            Some(first + line - 1),
            hidden_gate_key_message(key),
            HIDDEN_GATE_KEY_HELP,
        ));
    }
    let map = match value {
        Value::Null => return Ok(FrontFacts::default()),
        Value::Mapping(m) => m,
        _ => {
            return Err(GateError::new(
                file,
                Some(first),
                "front matter 必须是「键: 值」的形式，每行一项",
                HELP,
            ))
        }
    };
    let mut facts = FrontFacts {
        class: map.get("class").and_then(scalar_text),
        draft: match map.get("draft") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(_) => true,
        },
        ..FrontFacts::default()
    };
    match map.get("source") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(s)) => {
            facts.source_name = s.get("name").and_then(scalar_text);
            facts.source_url = Some(s.get("url").and_then(scalar_text).unwrap_or_default());
        }
        Some(_) => facts.source_url = Some(String::new()),
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document;

    fn facts(src: &str) -> Result<FrontFacts, GateError> {
        read_facts(
            "content/news/x.md",
            &document::parse(src.as_bytes()).unwrap(),
        )
    }

    #[test]
    fn reads_class_draft_source() {
        let f = facts("---\nclass: B\ndraft: true\nsource:\n  name: 新华网\n  url: https://www.news.cn/a\n---\n").unwrap();
        assert_eq!(f.class.as_deref(), Some("B"));
        assert!(f.draft);
        assert_eq!(f.source_name.as_deref(), Some("新华网"));
        assert_eq!(f.source_url.as_deref(), Some("https://www.news.cn/a"));
        let f = facts("---\ntitle: x\ndraft: false\n---\n").unwrap();
        assert_eq!(f, FrontFacts::default());
        assert!(facts("---\ndraft: \"no\"\n---\n").unwrap().draft);
        assert_eq!(
            facts("---\nsource: 新华网\n---\n")
                .unwrap()
                .source_url
                .as_deref(),
            Some("")
        );
        assert_eq!(facts("---\n---\n").unwrap(), FrontFacts::default());
    }

    #[test]
    fn duplicate_keys_name_the_line() {
        let e = facts("---\ntitle: a\nclass: A\ntitle: b\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e = facts("---\nsource:\n  url: a\n  url: b\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn hidden_gate_keys_are_refused() {
        let e = facts("---\ntitle: a\n\"approvals\": []\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("`approvals` 只能作为审核区"), "{e}");
        let e = facts("---\ntitle: a\nclass: A\n'withdrawn': {}\n---\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e = facts("---\ntitle: a\napprovals : []\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        // Nested, it is an ordinary key.
        assert!(facts("---\nextra:\n  approvals: 1\n---\n").is_ok());
    }
}
