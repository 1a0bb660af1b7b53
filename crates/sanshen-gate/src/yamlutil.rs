//! Small YAML helpers shared by the gate's readers: scalars read as the text
//! written, mappings that refuse duplicate keys, errors with file and line.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::GateError;

/// A scalar read as the text written (`level: 1` and `level: "1"` both give
/// `"1"`). Sequences and mappings are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A mapping kept in written order whose keys must all differ.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueMap<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UniqueMap<V>, D::Error> {
        struct MV<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MV<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some(Text(k)) = m.next_key::<Text>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format!("duplicate field `{k}`")));
                    }
                    let v = m.next_value::<V>()?;
                    out.push((k, v));
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(MV(PhantomData))
    }
}

/// Turn a serde_yaml error into a [`GateError`]. `first_line` is the file
/// line of the text's first line (1 for a whole file).
pub fn yaml_error(
    file: &str,
    src: &str,
    first_line: usize,
    err: &serde_yaml::Error,
    help: &str,
) -> GateError {
    let raw = err.to_string();
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let at = err.location().map(|l| l.line()).unwrap_or(1);
    let mut line = at;
    let cn = if let Some(k) = between(&msg, "unknown field `", "`") {
        line = find_key_line(src, k, at, 1).unwrap_or(at);
        format!("不认识的键 `{k}`（unknown field）")
    } else if let Some(k) = between(&msg, "duplicate field `", "`")
        .or_else(|| between(&msg, "duplicate entry with key \"", "\""))
    {
        line = find_key_line(src, k, at, 2).unwrap_or(at);
        format!("键 `{k}` 在同一层出现了两次（duplicate key）：读者看到的值可能与生成器使用的不同")
    } else if let Some(k) = between(&msg, "missing field `", "`") {
        format!("缺少必填项 `{k}`（missing field）")
    } else {
        format!("YAML 格式错误（{msg}）")
    };
    GateError::new(
        file,
        Some((first_line + line).saturating_sub(1).max(1)),
        cn,
        help,
    )
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

/// The 1-based line of the `nth` line at or after `from` whose content
/// (after indentation and an optional `- `) starts with `key:`, quoted or not.
pub fn find_key_line(src: &str, key: &str, from: usize, nth: usize) -> Option<usize> {
    let forms = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    let mut seen = 0;
    for (i, line) in src.lines().enumerate().skip(from.saturating_sub(1)) {
        let mut t = line.trim_start();
        while let Some(rest) = t.strip_prefix("- ") {
            t = rest.trim_start();
        }
        let hit = forms.iter().any(|f| t.starts_with(f.as_str()))
            || t.starts_with('{') && forms.iter().any(|f| t.contains(f.as_str()));
        if hit {
            seen += 1;
            if seen == nth {
                return Some(i + 1);
            }
        }
    }
    None
}

/// The 1-based line of the `nth` line containing `needle`.
pub fn find_text_line(src: &str, needle: &str, nth: usize) -> Option<usize> {
    src.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth.saturating_sub(1))
        .map(|(i, _)| i + 1)
}

/// An RFC 3339 timestamp with its offset.
pub fn parse_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// A YAML double-quoted scalar holding exactly `s`.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct S {
        a: Option<Text>,
        #[allow(dead_code)]
        b: Option<Text>,
    }

    #[test]
    fn scalars_keep_the_written_text() {
        let s: S = serde_yaml::from_str("a: 1\nb: x\n").unwrap();
        assert_eq!(s.a, Some(Text("1".into())));
        let s: S = serde_yaml::from_str("a: \"1\"\n").unwrap();
        assert_eq!(s.a, Some(Text("1".into())));
        let s: S = serde_yaml::from_str("a: 0x1\n").unwrap();
        assert_eq!(s.a, Some(Text("0x1".into())));
        let s: S = serde_yaml::from_str("a: 2026-11-20T15:04:05+08:00\n").unwrap();
        assert_eq!(s.a, Some(Text("2026-11-20T15:04:05+08:00".into())));
        assert!(serde_yaml::from_str::<S>("a: [1]\n").is_err());
    }

    #[test]
    fn duplicate_struct_keys_are_errors_with_the_line() {
        let src = "a: 1\nb: 2\na: 3\n";
        let e = serde_yaml::from_str::<S>(src).unwrap_err();
        let g = yaml_error("f.yaml", src, 1, &e, "");
        assert_eq!(g.line, Some(3), "{g}");
        assert!(g.message.contains("duplicate"));
    }

    #[test]
    fn duplicate_map_keys_are_errors_with_the_line() {
        let src = "x:\n  k: 1\n  j: 2\n  k: 3\n";
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct M {
            x: UniqueMap<Text>,
        }
        let e = serde_yaml::from_str::<M>(src).unwrap_err();
        let g = yaml_error("f.yaml", src, 10, &e, "");
        assert_eq!(g.line, Some(13), "{g}");
        // serde_yaml's own Value refuses duplicates too.
        assert!(serde_yaml::from_str::<serde_yaml::Value>(src).is_err());
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let src = "a: 1\nzz: 2\n";
        let e = serde_yaml::from_str::<S>(src).unwrap_err();
        let g = yaml_error("f.yaml", src, 1, &e, "");
        assert_eq!(g.line, Some(2));
        assert!(g.message.contains("zz"));
    }

    #[test]
    fn quoting_round_trips() {
        for s in ["信息有误，撤销\"发布\"", "a\\b\nc\t", "\u{1}\u{2028}x"] {
            let v: String = serde_yaml::from_str(&yaml_quote(s)).unwrap();
            assert_eq!(v, s);
        }
    }
}
