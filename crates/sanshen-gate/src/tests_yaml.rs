//! The YAML layer's messages: the Chinese text and the exact file line of
//! each kind of mistake.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

/// Shaped like an article's front matter: optional fields, unknown keys
/// collected.
#[derive(Debug, Default, Deserialize)]
#[allow(dead_code)]
struct Front {
    title: Option<String>,
    class: Option<Value>,
    date: Option<Value>,
    draft: Option<bool>,
    weight: Option<i64>,
    keywords: Option<Vec<String>>,
    source: Option<Src>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Src {
    name: String,
    url: String,
}

/// Shaped like `site.yaml`: required fields, unknown keys refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Site {
    name: String,
    base_url: String,
    #[serde(default)]
    per_page: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Gate {
    approvals: Option<Vec<Item>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Item {
    reviewer: Option<Text>,
    level: Option<Text>,
}

/// Front matter starts on line 2 of the article file.
fn front(yaml: &str) -> YamlError {
    from_str_at::<Front>(yaml, 2).unwrap_err()
}

fn site(yaml: &str) -> YamlError {
    from_str::<Site>(yaml).unwrap_err()
}

/// Nothing of the library's English or of Rust's type names.
fn no_leak(e: &YamlError) {
    for word in [
        "invalid",
        "struct",
        "Front",
        "Site",
        "map",
        "sequence",
        "expected",
        "found",
        "field",
        "unknown",
        "missing",
        "duplicate",
        "line",
        "column",
        "i64",
        "usize",
    ] {
        assert!(
            !e.message.contains(word) && !e.fix.contains(word),
            "`{word}` leaked: {e:?}"
        );
    }
}

const COLON: &str = "这里用了中文冒号「：」，改为英文冒号「:」";
const TAB: &str = "缩进不能用 Tab，请改用空格";

#[test]
fn chinese_colon_names_its_line() {
    // In the middle, last, first and only line of the front matter.
    for (yaml, line) in [
        ("title: 通知\nclass：A\ndate: \"2026-11-20\"\n", 3),
        ("title: 通知\nclass：A\n", 3),
        ("title：通知\nclass: A\n", 2),
        ("title：通知\n", 2),
        (
            "title: 通知\nsource:\n  name: 新华网\n  url：https://www.news.cn/\n",
            5,
        ),
    ] {
        let e = front(yaml);
        assert_eq!(e.kind, Kind::ChineseColon, "{yaml}: {e:?}");
        assert_eq!(e.message, COLON);
        assert_eq!(e.line, line, "{yaml}: {e:?}");
        no_leak(&e);
    }
    assert!(front("title: 通知\nclass：A\n").fix.contains("class: "));
}

#[test]
fn chinese_colon_inside_a_value_is_fine() {
    let f: Front = from_str("title: 通知：关于放假\n").unwrap();
    assert_eq!(f.title.as_deref(), Some("通知：关于放假"));
}

#[test]
fn tab_in_indentation() {
    for (yaml, line) in [
        ("title: a\nsource:\n\tname: x\n\turl: y\n", 3),
        ("title: a\nsource:\n  name: x\n\t url: y\n", 4),
        ("title: a\n\tclass: A\n", 2),
    ] {
        let e = from_str::<Front>(yaml).unwrap_err();
        assert_eq!(e.kind, Kind::Tab, "{yaml}: {e:?}");
        assert_eq!(e.message, TAB);
        assert_eq!(e.line, line, "{yaml}: {e:?}");
        no_leak(&e);
    }
}

#[test]
fn duplicate_key_names_both_lines() {
    // Line 3 and line 9 of the text (not the mapping's first line).
    let yaml = "# 通知\nclass: A\ntitle: 甲\ndate: \"2026-11-20\"\nauthor: 王芳\nsource:\n  name: 新华网\n  url: https://www.news.cn/\ntitle: 乙\n";
    let e = from_str::<Front>(yaml).unwrap_err();
    assert_eq!(e.message, "键 title 重复：第 3 行和第 9 行");
    assert_eq!(e.line, 9);
    assert_eq!(
        e.kind,
        Kind::DuplicateKey {
            key: "title".into(),
            first: 3,
            second: 9
        }
    );
    no_leak(&e);
    // In front matter the lines are the article file's.
    let e = from_str_at::<Front>(yaml, 2).unwrap_err();
    assert_eq!(e.message, "键 title 重复：第 4 行和第 10 行");
    assert_eq!(e.line, 10);
}

#[test]
fn duplicate_keys_everywhere() {
    // A key the typed reading would collect silently.
    let e = front("title: a\ntags: x\nclass: A\ntags: y\n");
    assert_eq!(
        (e.message.as_str(), e.line),
        ("键 tags 重复：第 3 行和第 5 行", 5)
    );
    // Nested: the nested mapping's lines, not the outer `name` key.
    let e = front("name: 甲\nsource:\n  name: a\n  url: b\n  name: c\n");
    assert_eq!(
        (e.message.as_str(), e.line),
        ("键 name 重复：第 4 行和第 6 行", 6)
    );
    // In the second item of a list, not the first.
    let src = "approvals:\n- reviewer: a\n  level: 1\n- reviewer: b\n  level: 2\n  reviewer: c\n";
    let e = from_str_at::<Gate>(src, 7).unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line),
        ("键 reviewer 重复：第 10 行和第 12 行", 12)
    );
    // Untyped reading too.
    let e = value("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line),
        ("键 a 重复：第 1 行和第 3 行", 3)
    );
}

#[test]
fn wrong_types_in_plain_words() {
    for (yaml, line, message) in [
        (
            "title: [甲, 乙]\n",
            2,
            "title 应为一段文字，这里写的是一个列表",
        ),
        (
            "title:\n  a: 1\n",
            3,
            "title 应为一段文字，这里写的是一组「键: 值」",
        ),
        (
            "title: a\ndraft: 是\n",
            3,
            "draft 应为 true 或 false，这里写的是文字「是」",
        ),
        (
            "title: a\nweight: 第一\n",
            3,
            "weight 应为整数，这里写的是文字「第一」",
        ),
        (
            "title: a\nsource: 新华网\n",
            3,
            "source 应为一组「键: 值」，这里写的是文字「新华网」",
        ),
        (
            "title: a\nkeywords:\n  - 通知\n  - {x: 1}\n",
            5,
            "keywords 第 2 项应为一段文字，这里写的是一组「键: 值」",
        ),
        (
            "title: a\nkeywords: 通知\n",
            3,
            "keywords 应为一个列表，这里写的是文字「通知」",
        ),
    ] {
        let e = front(yaml);
        assert!(matches!(e.kind, Kind::WrongType { .. }), "{yaml}: {e:?}");
        assert_eq!((e.message.as_str(), e.line), (message, line), "{yaml}");
        no_leak(&e);
    }
    let e = site("name: x\nbase_url: y\nper_page: -1\n");
    assert_eq!(
        (e.message.as_str(), e.line),
        ("per_page 应为不小于 0 的整数，这里写的是数字 -1", 3)
    );
    let e = site("甲乙丙\n");
    assert_eq!(e.kind, Kind::NotMapping);
    no_leak(&e);
}

#[test]
fn unknown_key_with_a_hint() {
    let e = site("name: x\nbase_url: y\nper_pgae: 3\n");
    assert_eq!(e.message, "不认识的键 per_pgae，是否想写 per_page？");
    assert_eq!(e.line, 3);
    assert_eq!(
        e.kind,
        Kind::UnknownKey {
            key: "per_pgae".into(),
            suggestion: Some("per_page".into())
        }
    );
    no_leak(&e);
    // The typo also leaves a required key missing: the hint survives.
    let e = site("nmae: x\nbase_url: y\n");
    assert_eq!(
        (e.message.as_str(), e.line),
        ("不认识的键 nmae，是否想写 name？", 1)
    );
    // Nested.
    let e = front("title: a\nsource:\n  nmae: a\n  url: b\n");
    assert_eq!(
        (e.message.as_str(), e.line),
        ("不认识的键 source 中的 nmae，是否想写 name？", 4)
    );
    // No likely key: the keys that may be used.
    let e = site("name: x\nbase_url: y\ncolour: red\n");
    assert_eq!(e.message, "不认识的键 colour");
    assert!(e.fix.contains("name、base_url、per_page"), "{e:?}");
}

#[test]
fn missing_key() {
    let e = site("base_url: y\nper_page: 3\n");
    assert_eq!((e.message.as_str(), e.line), ("缺少必填项 name", 1));
    assert_eq!(e.kind, Kind::MissingKey { key: "name".into() });
    let e = front("title: a\nsource:\n  url: b\n");
    assert_eq!((e.message.as_str(), e.line), ("source 缺少必填项 name", 4));
    no_leak(&e);
}

#[test]
fn bad_indentation() {
    for (yaml, line) in [
        ("title: a\nsource:\n  name: a\n url: b\n", 5),
        ("title: a\n  class: A\n", 3),
        ("title: a\nsource:\n  name: a\n    url: b\n", 5),
    ] {
        let e = front(yaml);
        assert_eq!(e.kind, Kind::Indentation, "{yaml}: {e:?}");
        assert!(e.message.starts_with("缩进不对"), "{e:?}");
        assert_eq!(e.line, line, "{yaml}: {e:?}");
        no_leak(&e);
    }
}

#[test]
fn unclosed_quote_names_the_opening_line() {
    let e = front("title: \"关于放假的通知\nclass: A\ndate: \"2026-11-20\n");
    assert_eq!(e.kind, Kind::UnclosedQuote);
    assert_eq!(e.line, 2, "{e:?}");
    assert_eq!(e.message, "引号没有配对：这一行的「\"」没有结束引号");
    let e = front("title: 通知\nclass: 'A\ndate: x\n");
    assert_eq!(e.kind, Kind::UnclosedQuote);
    assert_eq!(e.message, "引号没有配对：这一行的「'」没有结束引号");
    assert_eq!(e.line, 3);
    no_leak(&e);
}

#[test]
fn other_syntax_errors() {
    // A quote left open at the start of the text.
    let e = front("\"title: 通知\nclass: A\ndate: \"2026-11-20\"\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::UnclosedQuote, 2), "{e:?}");
    // A list item without the space after its dash.
    let e = front("title: 通知\nkeywords:\n  -放假\n  - 通知\n");
    assert_eq!(
        e.message,
        "keywords 应为一个列表，这里写的是文字「-放假 - 通知」"
    );
    assert!(e.fix.contains("「- 」"), "{e:?}");
    let e = front("title: 通知\nauthor: [王芳\n");
    assert_eq!(
        (e.kind.clone(), e.line),
        (Kind::UnclosedBracket, 3),
        "{e:?}"
    );
    assert_eq!(e.message, "「[」没有配对的「]」");
    let e = front("title: 通知: 关于放假\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::ColonInValue, 2), "{e:?}");
    let e = front("title: @通知\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::ReservedStart, 2), "{e:?}");
    assert_eq!(e.message, "值不能以「@」开头");
    let e = front("title: \"a\\qb\"\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::BadEscape, 2), "{e:?}");
    for (yaml, line, message) in [
        ("title: 通知\nclass: |A\n", 3, "值不能以「|」开头"),
        ("title: 通知\nclass: *A\n", 3, "值不能以「*」开头"),
        ("title: 通知\n%class: A\n", 3, "这一行不能以「%」开头"),
        ("title: ? 通知\n", 2, "值不能以「?」开头"),
    ] {
        let e = front(yaml);
        assert_eq!(e.kind, Kind::ReservedStart, "{yaml}: {e:?}");
        assert_eq!((e.message.as_str(), e.line), (message, line), "{yaml}");
    }
    // The first key indented by a space.
    let e = front(" title: 通知\nclass: A\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::Indentation, 2), "{e:?}");
    // A quote opening the text, never closed.
    let e = front("\"title: 通知\nclass: A\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::UnclosedQuote, 2), "{e:?}");
    // No space after a colon in a flow mapping.
    let e = front("source: { name:新华网, url: x }\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::ColonInValue, 2), "{e:?}");
    assert_eq!(
        e.message,
        "source 中的 name 后面的英文冒号「:」要加一个空格"
    );
    let e = front("title: 通知\nclass:A\ndate: x\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::ColonInValue, 3), "{e:?}");
    assert_eq!(e.message, "英文冒号「:」后面要加一个空格");
    // A second document.
    let e = front("title: 通知\n...\nclass: A\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::Other, 3), "{e:?}");
    // A quote opening a key, never closed.
    let e = front("title: 通知\n\"class: A\ndate: x\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::UnclosedQuote, 3), "{e:?}");
    let e = front("title: 通知\n关于放假\nclass: A\n");
    assert_eq!((e.kind.clone(), e.line), (Kind::MissingColon, 3), "{e:?}");
    for e in [
        front("title: 通知\nauthor: [王芳\n"),
        front("title: 通知: 关于放假\n"),
        front("title: \"a\\qb\"\n"),
        front("title: 通知\n关于放假\nclass: A\n"),
    ] {
        no_leak(&e);
    }
}

#[test]
fn gate_errors_carry_file_line_and_both_fixes() {
    let e = from_str_at::<Gate>("approvals:\n- reviewer: a\n  levle: 1\n", 5)
        .unwrap_err()
        .into_gate("content/news/a.md", "审核记录请用 sanshen sign 写入。");
    assert_eq!(e.file, "content/news/a.md");
    assert_eq!(e.line, Some(7));
    assert_eq!(
        e.message,
        "不认识的键 approvals 第 1 项中的 levle，是否想写 level？"
    );
    assert!(e.help.contains("把 levle 改为 level") && e.help.contains("sanshen sign"));
}

#[test]
fn keys_with_positions_and_parents() {
    let src = "title: a\n\"approvals\": []\nsource:\n  name: b\n  text: |\n    x: 1\n  url: c\nlist:\n- id: a\n  k: 1\n- id: b\n";
    let k = keys(src);
    let show: Vec<(String, usize, usize, bool, String)> = k
        .iter()
        .map(|k| {
            (
                k.key.clone(),
                k.line,
                k.column,
                k.quoted,
                k.parent.join("."),
            )
        })
        .collect();
    let want: Vec<(String, usize, usize, bool, String)> = [
        ("title", 1, 1, false, ""),
        ("approvals", 2, 1, true, ""),
        ("source", 3, 1, false, ""),
        ("name", 4, 3, false, "source"),
        ("text", 5, 3, false, "source"),
        ("url", 7, 3, false, "source"),
        ("list", 8, 1, false, ""),
        ("id", 9, 3, false, "list"),
        ("k", 10, 3, false, "list"),
        ("id", 11, 3, false, "list"),
    ]
    .iter()
    .map(|(a, b, c, d, e)| (a.to_string(), *b, *c, *d, e.to_string()))
    .collect();
    assert_eq!(show, want);
    // Items are separate mappings; the top level is one.
    assert_eq!(k[7].map, k[8].map);
    assert_ne!(k[7].map, k[9].map);
    assert_eq!(k[0].map, k[6].map);
    assert_eq!(key_line(src, &["source", "url"]), Some(7));
    assert_eq!(key_line(src, &["url"]), Some(7));
}

#[test]
fn scalars_keep_the_written_text() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct S {
        a: Option<Text>,
    }
    let s: S = from_str("a: 1\n").unwrap();
    assert_eq!(s.a, Some(Text("1".into())));
    let s: S = from_str("a: \"1\"\n").unwrap();
    assert_eq!(s.a, Some(Text("1".into())));
    let s: S = from_str("a: 0x1\n").unwrap();
    assert_eq!(s.a, Some(Text("0x1".into())));
    let s: S = from_str("a: 2026-11-20T15:04:05+08:00\n").unwrap();
    assert_eq!(s.a, Some(Text("2026-11-20T15:04:05+08:00".into())));
    let e = from_str::<S>("a: [1]\n").unwrap_err();
    assert_eq!(e.message, "a 应为单个值（文字或数字），这里写的是一个列表");
}

#[test]
fn opt_text_takes_numbers() {
    #[derive(Debug, Deserialize)]
    struct S {
        #[serde(default, deserialize_with = "opt_text")]
        code: Option<String>,
    }
    let s: S = from_str("code: 3401990001\n").unwrap();
    assert_eq!(s.code.as_deref(), Some("3401990001"));
    let s: S = from_str("code:\n").unwrap();
    assert_eq!(s.code, None);
    let s: S = from_str("other: 1\n").unwrap();
    assert_eq!(s.code, None);
    let e = from_str::<S>("code: [1]\n").unwrap_err();
    assert_eq!(e.message, "code 应为一段文字，这里写的是一个列表");
}

#[test]
fn unique_map_keeps_order() {
    #[derive(Debug, Deserialize)]
    struct M {
        x: UniqueMap<Text>,
    }
    let m: M = from_str("x:\n  b: 1\n  a: 2\n").unwrap();
    assert_eq!(m.x.0[0].0, "b");
    let e = from_str_at::<M>("x:\n  k: 1\n  j: 2\n  k: 3\n", 10).unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line),
        ("键 k 重复：第 11 行和第 13 行", 13)
    );
}

#[test]
fn quoting_round_trips() {
    for s in ["信息有误，撤销\"发布\"", "a\\b\nc\t", "\u{1}\u{2028}x"] {
        let v: String = from_str(&yaml_quote(s)).unwrap();
        assert_eq!(v, s);
    }
}

#[test]
fn suggestions() {
    let known = ["title", "date", "class"];
    assert_eq!(suggest("titel", &known), Some("title"));
    assert_eq!(suggest("dat", &known), Some("date"));
    assert_eq!(suggest("colour", &known), None);
    assert_eq!(suggest("title", &known), None);
}

/// Every one-edit corruption of a front matter gives either a value or a
/// message in Chinese at a line of the text — never a panic, never the
/// library's English.
#[test]
fn corruptions_give_chinese_messages_at_real_lines() {
    let errors = sweep::<Front>("title: 关于放假的通知\nclass: A\ndate: \"2026-11-20\"\nsource:\n  name: 新华网\n  url: https://www.news.cn/\nkeywords:\n  - 通知\n  - 放假\ndraft: false\n");
    assert!(errors > 100, "{errors}");
    let errors = sweep::<Site>(
        "# 网站\nname: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn\nper_page: 15\n",
    );
    assert!(errors > 100, "{errors}");
    let errors = sweep::<Gate>(
        "approvals:\n- reviewer: zhang.san\n  level: 1\n- { reviewer: li.si, level: \"2\" }\n",
    );
    assert!(errors > 100, "{errors}");
}

/// Insert each troublesome piece at every position of `base`; check every
/// error; count them.
fn sweep<T: serde::de::DeserializeOwned>(base: &str) -> usize {
    let inserts = [
        ":",
        "：",
        "\t",
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        "- ",
        "\n  ",
        "\n",
        "#",
        "@",
        "`",
        "\\",
        "&a ",
        "*a",
        "!x ",
        "|",
        ">",
        "? ",
        "---\n",
        "...\n",
        "%",
        ",",
        " ",
        "title: x\n",
    ];
    let lines = base.lines().count() + 3;
    let mut errors = 0;
    for (i, _) in base.char_indices() {
        for ins in inserts {
            let text = format!("{}{ins}{}", &base[..i], &base[i..]);
            // The key index never panics and stays inside the text.
            let n = text.lines().count();
            assert!(keys(&text).iter().all(|k| (1..=n).contains(&k.line)));
            if let Err(e) = from_str_at::<T>(&text, 2) {
                errors += 1;
                no_leak(&e);
                assert!(
                    (2..=lines + 2).contains(&e.line),
                    "line {} out of range for {text:?}: {e:?}",
                    e.line
                );
                assert!(e
                    .message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
            }
        }
    }
    errors
}
