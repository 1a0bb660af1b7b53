//! YAML, in one place. Every YAML text the build reads (`site.yaml`,
//! `reviews/*.yaml`, front matter, gate blocks) is parsed here, and every
//! YAML problem is reported from here: in Chinese, at the real line, with the
//! fix. The YAML library (`serde_yaml`, deprecated upstream) is used nowhere
//! else, so it can be swapped by changing this file only.
//!
//! Pure: no file system, environment or clock.
//!
//! * [`from_str`] / [`from_str_at`] — a typed value; [`value`] /
//!   [`value_at`] — an untyped [`Value`]. Both refuse a key written twice in
//!   any mapping, even where the typed reading would let it through.
//! * [`YamlError`] — what is wrong (a [`Kind`]), the file line, a Chinese
//!   message and the fix; [`YamlError::into_gate`] for the gate's errors.
//! * [`keys`] — where each block-mapping key is written (line, column,
//!   parent path), for messages about a key the parser accepted.
//! * [`Text`], [`UniqueMap`], [`opt_text`] — scalars as written, mappings
//!   kept in order; [`yaml_quote`] — writing a scalar back.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset};
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};

use super::GateError;

/// An untyped YAML value (the library's own type, re-exported so callers
/// never name the library).
pub use serde_yaml::Value;

// ---------------------------------------------------------------------------
// Parsing.

/// Parse a whole file into `T`. Lines in errors count from 1.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_str_at(text, 1)
}

/// Parse `text`, whose first line is line `first_line` of its file (front
/// matter starts on line 2), into `T`. Errors name file lines.
pub fn from_str_at<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlError> {
    // The untyped reading first: it reports syntax errors where they are
    // (a typed reading may stop earlier at a type error they caused) and
    // refuses duplicate keys in every mapping, including those a typed
    // reading collects into a map.
    value_at(text, first_line)?;
    serde_yaml::from_str(text).map_err(|e| translate(text, first_line, &e))
}

/// Parse a whole file into a [`Value`].
pub fn value(text: &str) -> Result<Value, YamlError> {
    value_at(text, 1)
}

/// Parse `text` (starting on line `first_line` of its file) into a
/// [`Value`].
pub fn value_at(text: &str, first_line: usize) -> Result<Value, YamlError> {
    serde_yaml::from_str(text).map_err(|e| translate(text, first_line, &e))
}

/// A YAML scalar as the text written; `None` for mappings, lists and null.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Errors.

/// What kind of YAML problem it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `title：通知` — a Chinese colon where the key separator belongs.
    ChineseColon,
    /// A tab in the indentation.
    Tab,
    /// A key written twice in one mapping, at these two file lines.
    DuplicateKey {
        /// The key.
        key: String,
        /// Its first line.
        first: usize,
        /// The line that repeats it.
        second: usize,
    },
    /// A key the file does not use, with the key probably meant.
    UnknownKey {
        /// The key as written.
        key: String,
        /// The known key it is closest to.
        suggestion: Option<String>,
    },
    /// A required key that is absent.
    MissingKey {
        /// The missing key.
        key: String,
    },
    /// A value of the wrong kind (a list where a text belongs, …).
    WrongType {
        /// The key whose value has the wrong kind.
        key: String,
    },
    /// Keys of one level not aligned, or a line indented too far.
    Indentation,
    /// `title: 通知: 关于…` — an unquoted value containing `: `.
    ColonInValue,
    /// A line that should be `键: 值` without any colon.
    MissingColon,
    /// A quote opened and never closed.
    UnclosedQuote,
    /// A `[` or `{` opened and never closed.
    UnclosedBracket,
    /// An unknown backslash escape in double quotes.
    BadEscape,
    /// A value starting with a character YAML reserves (`@`, `` ` ``, …).
    ReservedStart,
    /// The text is not a `键: 值` mapping at all.
    NotMapping,
    /// Nested too deeply, or anything else.
    Other,
}

/// A YAML problem: where (file line), what (Chinese) and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What kind of problem.
    pub kind: Kind,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters) on that line, when known.
    pub column: Option<usize>,
    /// What is wrong, in Chinese; names the key (and both lines of a
    /// duplicate). Never the library's English or Rust type names.
    pub message: String,
    /// How to fix it, in Chinese.
    pub fix: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第 {} 行：{}（{}）", self.line, self.message, self.fix)
    }
}

impl std::error::Error for YamlError {}

impl YamlError {
    fn new(kind: Kind, line: usize, message: impl Into<String>, fix: impl Into<String>) -> Self {
        YamlError {
            kind,
            line,
            column: None,
            message: message.into(),
            fix: fix.into(),
        }
    }

    fn col(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    /// As a gate error of `file`; `help` (what the file should look like)
    /// follows the specific fix.
    pub fn into_gate(self, file: &str, help: &str) -> GateError {
        let help = if help.is_empty() {
            self.fix
        } else {
            format!("{}\n{help}", self.fix)
        };
        GateError::new(file, Some(self.line), self.message, help)
    }
}

const QUOTE_FIX: &str =
    "含有冒号、# 或以符号开头的值，请用英文双引号括起来，例如 title: \"通知：……\"。";

/// Turn the library's error into a [`YamlError`] at file lines.
fn translate(text: &str, first_line: usize, err: &serde_yaml::Error) -> YamlError {
    let raw = err.to_string();
    let (line, column) = err
        .location()
        .map(|l| (l.line(), Some(l.column())))
        .unwrap_or((1, None));
    // `<problem> at line L column C, while <context> at line L2 column C2`
    let (head, context) = match raw.split_once(", while ") {
        Some((h, c)) => (h, Some(c)),
        None => (raw.as_str(), None),
    };
    let head = strip_location(head);
    let context_line = context.and_then(location_in);
    let (path, msg) = split_path(head);
    let lines: Vec<&str> = text.lines().collect();
    let file_line = |l: usize| l + first_line - 1;
    let at = |kind: Kind, l: usize, m: String, fix: &str| {
        YamlError::new(kind, file_line(l.max(1)), m, fix)
    };

    let de_error = is_de_message(msg);
    let root_type = de_error && path.is_empty() && msg.starts_with("invalid type");
    // A Chinese colon is the likeliest cause of any syntax error, and of a
    // whole text read as one string.
    if !de_error || root_type {
        let near: Vec<usize> = if root_type {
            (1..=lines.len()).collect()
        } else {
            [context_line, Some(line), line.checked_sub(1)]
                .into_iter()
                .flatten()
                .collect()
        };
        if let Some(l) = near.into_iter().find(|&l| {
            chinese_colon_key(lines.get(l.wrapping_sub(1)).copied().unwrap_or("")).is_some()
        }) {
            let key = chinese_colon_key(lines[l - 1]).unwrap_or_default();
            let colon = lines[l - 1].chars().position(|c| c == '：').map(|c| c + 1);
            return at(
                Kind::ChineseColon,
                l,
                "这里用了中文冒号「：」，改为英文冒号「:」".into(),
                &format!("写成 {key}: …（英文冒号，后面加一个空格）"),
            )
            .col(colon);
        }
    }
    if !de_error {
        return syntax(msg, line, column, context.unwrap_or(""), &lines, first_line);
    }

    let key = path_key(path);
    let in_path = |s: &str| {
        if path.is_empty() {
            s.to_string()
        } else {
            cat(&cat(&path_words(path), "中的"), s)
        }
    };
    if let Some(k) = between(msg, "duplicate field `", "`")
        .or_else(|| between(msg, "duplicate entry with key \"", "\""))
    {
        return duplicate(text, first_line, k, line, column);
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let k = rest.split('`').next().unwrap_or_default();
        let known = expected_names(rest);
        // `{name:新华网}`: a colon without its space makes one long key.
        if let Some((before, _)) = k
            .split_once(':')
            .filter(|(b, _)| known.iter().any(|n| n == b))
        {
            return at(
                Kind::ColonInValue,
                line,
                cat(&in_path(before), "后面的英文冒号「:」要加一个空格"),
                &format!("写成 {before}: 值。"),
            )
            .col(column);
        }
        let suggestion = suggest(k, &known).map(str::to_string);
        let (m, fix) = match &suggestion {
            Some(s) => (
                format!("不认识的键 {}，是否想写 {s}？", in_path(k)),
                format!("把 {k} 改为 {s}。"),
            ),
            None if known.is_empty() => (
                format!("不认识的键 {}", in_path(k)),
                "删去这一行。".to_string(),
            ),
            None => (
                format!("不认识的键 {}", in_path(k)),
                format!("这里可用的键：{}。", known.join("、")),
            ),
        };
        return at(
            Kind::UnknownKey {
                key: k.to_string(),
                suggestion,
            },
            line,
            m,
            &fix,
        )
        .col(column);
    }
    if let Some(k) = between(msg, "missing field `", "`") {
        let m = if path.is_empty() {
            format!("缺少必填项 {k}")
        } else {
            format!("{} {k}", cat(&path_words(path), "缺少必填项"))
        };
        return at(
            Kind::MissingKey { key: k.to_string() },
            line,
            m,
            &format!("加入一行 {k}: …（与同一层的其他键对齐）。"),
        );
    }
    if root_type {
        return at(
            Kind::NotMapping,
            line,
            "内容必须是「键: 值」的形式，每行一项".into(),
            "例如 title: 标题（键后面是英文冒号和一个空格）。",
        );
    }
    if let Some(rest) = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
    {
        let (found, expected) = match rest.rfind(", expected ") {
            Some(i) => (&rest[..i], &rest[i + ", expected ".len()..]),
            None => (rest, ""),
        };
        let (want, mut fix) = expected_words(expected);
        if want == "一个列表" && found.starts_with("string \"-") {
            fix = "列表的每一项单独一行，以「- 」开头：短横线后面要加一个空格。";
        }
        let m = cat(
            &format!("{}，这里写的是", cat(&cat(&key_words(path), "应为"), &want)),
            &found_words(found),
        );
        return at(Kind::WrongType { key }, line, m, fix).col(column);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let v = rest.split('`').next().unwrap_or_default();
        let known = expected_names(rest);
        return at(
            Kind::WrongType { key: key.clone() },
            line,
            format!("{} {v} 不可用", cat(&key_words(path), "的值")),
            &format!("可用的值：{}。", known.join("、")),
        )
        .col(column);
    }
    if msg.starts_with("invalid length") {
        return at(
            Kind::WrongType { key: key.clone() },
            line,
            cat(&key_words(path), "的项数不对"),
            "对照说明检查这一项。",
        );
    }
    // Messages of our own deserializers are already Chinese.
    if msg.chars().any(is_cjk) {
        return at(
            Kind::WrongType { key: key.clone() },
            line,
            cat(&key_words(path), msg),
            QUOTE_FIX,
        )
        .col(column);
    }
    at(
        Kind::Other,
        line,
        "YAML 格式错误，无法读取这一行".into(),
        "检查这一行的缩进、冒号和引号。",
    )
    .col(column)
}

/// A syntax error of the YAML scanner or parser.
fn syntax(
    msg: &str,
    line: usize,
    column: Option<usize>,
    context: &str,
    lines: &[&str],
    first_line: usize,
) -> YamlError {
    // The library leaves out the position of the text's very start.
    let context_line = location_in(context).or((!context.is_empty()).then_some(1));
    let file_line = |l: usize| l.max(1) + first_line - 1;
    let text_at = |l: usize| lines.get(l.wrapping_sub(1)).copied().unwrap_or("");
    let char_at =
        |l: usize, c: Option<usize>| c.and_then(|c| text_at(l).chars().nth(c.saturating_sub(1)));
    let tab_indented = |l: usize| {
        text_at(l)
            .chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    };
    let err = |kind: Kind, l: usize, m: &str, fix: &str| YamlError::new(kind, file_line(l), m, fix);
    if msg.contains("tab character")
        || tab_indented(line)
        || (msg.contains("cannot start any token") && char_at(line, column) == Some('\t'))
    {
        return err(
            Kind::Tab,
            line,
            "缩进不能用 Tab，请改用空格",
            "把这一行开头的 Tab 换成空格：同一层的键对齐，下一层多缩进两个空格。",
        );
    }
    // `… while scanning a quoted scalar at line L` names the opening quote;
    // a quote left open that a later line's quote closes shows as an error
    // on that later line.
    let unclosed = if msg.contains("end of stream") && context.contains("quoted scalar") {
        context_line.map(|l| (l, if text_at(l).contains('"') { '"' } else { '\'' }))
    } else {
        unclosed_quote_before(lines, line)
    };
    if let Some((l, q)) = unclosed {
        return err(
            Kind::UnclosedQuote,
            l,
            &format!("引号没有配对：这一行的「{q}」没有结束引号"),
            &format!("在值的末尾补上「{q}」；值里本身要用引号时，改用中文引号「“”」。"),
        );
    }
    if msg.contains("expected ',' or ']'") || msg.contains("expected ',' or '}'") {
        let (open, close) = if msg.contains(']') {
            ("[", "]")
        } else {
            ("{", "}")
        };
        let l = context_line.unwrap_or(line);
        return err(
            Kind::UnclosedBracket,
            l,
            &format!("「{open}」没有配对的「{close}」"),
            &format!("在列表末尾补上「{close}」；如果值本来就以「{open}」开头而不是列表，请用英文双引号把整个值括起来。"),
        );
    }
    if msg.contains("unknown escape") {
        return err(
            Kind::BadEscape,
            line,
            "英文双引号里的反斜杠「\\」后面的字符无法识别",
            "反斜杠要写成两个「\\\\」，或把双引号改为单引号。",
        )
        .col(column);
    }
    if msg.contains("mapping values are not allowed") {
        // `key: a: b` — a `: ` inside an unquoted value; otherwise a key
        // indented under a line that has a value.
        let t = text_at(line);
        let before: String = t
            .chars()
            .take(column.unwrap_or(1).saturating_sub(1))
            .collect();
        if before.trim_start().trim_start_matches("- ").contains(": ") {
            return err(
                Kind::ColonInValue,
                line,
                "值里含有英文冒号加空格「: 」，会被当成下一层的键",
                QUOTE_FIX,
            );
        }
        return err(
            Kind::Indentation,
            line,
            "缩进不对：这一行比上一行缩进得多，但上一行已经写了值",
            "同一层的键要用相同数量的空格缩进；只有上一行以冒号结尾（没有值）时，下一行才多缩进两个空格。",
        );
    }
    if msg.contains("did not find expected key")
        || msg.contains("did not find expected '-'")
        || msg.contains("block sequence entries are not allowed")
        || msg.contains("did not find expected node content")
    {
        return err(
            Kind::Indentation,
            line,
            "缩进不对：这一行与同一层的其他行没有对齐",
            "同一层的键（或「- 」列表项）要用相同数量的空格缩进，下一层比上一层多缩进两个空格。",
        );
    }
    if msg.contains("could not find expected ':'") {
        let l = context_line.unwrap_or(line);
        let t = text_at(l);
        let glued = t.find(':').filter(|&i| {
            let key = t[..i].trim().trim_start_matches("- ");
            !t[i + 1..].starts_with([' ', '\t', '/'])
                && !key.is_empty()
                && !key.contains(char::is_whitespace)
        });
        if let Some(i) = glued {
            let key = t[..i].trim().trim_start_matches("- ");
            return err(
                Kind::ColonInValue,
                l,
                "英文冒号「:」后面要加一个空格",
                &format!("写成 {key}: 值。"),
            );
        }
        return err(
            Kind::MissingColon,
            l,
            "这一行缺少英文冒号「:」",
            "写成「键: 值」，例如 title: 标题；如果这是上一行值的延续，请把整个值写在一行并用英文双引号括起来。",
        );
    }
    // A character YAML reserves at the start of a key or value: `@` and
    // `` ` `` (reserved), `|` `>` (block text), `*` `&` (references), `!`
    // (tags), `%` (directives), `?` (complex keys).
    let special = ["block scalar", "alias", "anchor", "directive", "tag"];
    if msg.contains("cannot start any token")
        || msg.contains("unknown anchor")
        || msg.contains("mapping keys are not allowed")
        || special.iter().any(|w| context.contains(w))
    {
        let (l, c) = match (context_line, column_in(context)) {
            (Some(l), Some(c)) if special.iter().any(|w| context.contains(w)) => (l, Some(c)),
            _ => (line, column),
        };
        let ch = char_at(l, c).unwrap_or('@');
        let at_start =
            c.is_some_and(|c| text_at(l).chars().take(c - 1).all(|x| x == ' ' || x == '-'));
        let m = if at_start {
            format!("这一行不能以「{ch}」开头")
        } else {
            format!("值不能以「{ch}」开头")
        };
        return err(Kind::ReservedStart, l, &m, QUOTE_FIX).col(c);
    }
    let many = msg.contains("more than one document");
    if let Some((l, q)) = odd_quote_line(lines).filter(|_| many) {
        return err(
            Kind::UnclosedQuote,
            l,
            &format!("引号没有配对：这一行的「{q}」没有结束引号"),
            &format!("在值的末尾补上「{q}」；值里本身要用引号时，改用中文引号「“”」。"),
        );
    }
    if many {
        let marker = lines
            .iter()
            .position(|l| l.starts_with("---") || l.starts_with("..."));
        if let Some(i) = marker {
            return err(
                Kind::Other,
                i + 1,
                "这里只能有一段 YAML，却出现了第二段",
                "删去这一行（`---` 或 `...`）。",
            );
        }
        // Without a marker: a first key indented, the next ones not.
        let first = lines
            .iter()
            .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map_or(1, |i| i + 1);
        return err(
            Kind::Indentation,
            first,
            "缩进不对：这一行与同一层的其他行没有对齐",
            "最外层的键从第一列写起，前面不留空格。",
        );
    }
    if msg.contains("found unexpected ':'") {
        return err(
            Kind::ColonInValue,
            line,
            "英文冒号「:」后面要加一个空格",
            "写成「键: 值」；值里本身含冒号时，用英文双引号把值括起来。",
        )
        .col(column);
    }
    if msg.contains("control characters") || msg.contains("invalid Unicode") {
        return err(
            Kind::Other,
            line,
            "这一行含有不可见的控制字符",
            "删去这一行里从别处复制来的不可见字符（可整行重新输入）。",
        );
    }
    if msg.contains("recursion limit") || msg.contains("repetition limit") {
        return err(
            Kind::Other,
            line,
            "层次嵌套过深或重复引用过多",
            "减少缩进层次，不要使用 & 和 * 引用。",
        );
    }
    err(
        Kind::Other,
        line,
        "YAML 格式错误，无法读取这一行",
        "检查这一行的缩进、冒号和引号；含冒号或 # 的值请用英文双引号括起来。",
    )
    .col(column)
}

/// The first line with an odd number of `"` (not escaped), as a guess at
/// an unclosed quote when the library cannot say where.
fn odd_quote_line(lines: &[&str]) -> Option<(usize, char)> {
    lines.iter().enumerate().find_map(|(i, l)| {
        let t = l.trim_start();
        if t.starts_with('#') {
            return None;
        }
        let mut n = 0;
        let mut escaped = false;
        for c in t.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => n += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        (n % 2 == 1).then_some((i + 1, '"'))
    })
}

/// A quoted value opened on an earlier line and still open at `line`, or
/// closed exactly there: its line and quote.
fn unclosed_quote_before(lines: &[&str], line: usize) -> Option<(usize, char)> {
    let mut open: Option<(usize, char)> = None;
    for (i, l) in lines.iter().enumerate().take(line) {
        let n = i + 1;
        if let Some((start, q)) = open {
            if closes_quote(l, q).is_some() {
                if n == line {
                    return Some((start, q));
                }
                open = None;
            }
            continue;
        }
        let mut t = l.trim_start();
        while let Some(rest) = t.strip_prefix("- ") {
            t = rest.trim_start();
        }
        if let Some((_, _, value)) = split_key(t) {
            let v = value.trim_start();
            if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if closes_quote(&v[1..], q).is_none() {
                    open = Some((n, q));
                }
            }
        }
    }
    open.filter(|(start, _)| *start < line)
}

/// The duplicate `key` of the mapping that starts at `line`/`column` (the
/// library reports the mapping, not the key): both of its lines.
fn duplicate(
    text: &str,
    first_line: usize,
    key: &str,
    line: usize,
    column: Option<usize>,
) -> YamlError {
    let all = keys(text);
    // The mapping the error names: the key at its start, else the first
    // mapping at or after that line holding `key` twice.
    let start = all
        .iter()
        .find(|k| k.line == line && Some(k.column) == column)
        .map(|k| k.map);
    let twice = |map: usize| {
        let hits: Vec<&KeyAt> = all
            .iter()
            .filter(|k| k.map == map && k.key == key)
            .collect();
        (hits.len() >= 2).then(|| (hits[0].line, hits[1].line, hits[1].column))
    };
    let pair = start.and_then(twice).or_else(|| {
        all.iter()
            .filter(|k| k.key == key && k.line >= line)
            .find_map(|k| twice(k.map))
    });
    let (first, second, col) = match pair {
        Some((a, b, c)) => (a, b, Some(c)),
        None => (line, line, None),
    };
    let (first, second) = (first + first_line - 1, second + first_line - 1);
    let m = if first == second {
        format!("键 {key} 重复：第 {first} 行里写了两次")
    } else {
        format!("键 {key} 重复：第 {first} 行和第 {second} 行")
    };
    YamlError::new(
        Kind::DuplicateKey {
            key: key.to_string(),
            first,
            second,
        },
        second,
        m,
        "同一层里每个键只能写一次：删去其中一行，或把两行合并。",
    )
    .col(col)
}

/// `… at line 3 column 1` → the text before it.
fn strip_location(s: &str) -> &str {
    match s.rfind(" at line ") {
        Some(i) if s[i + 9..].starts_with(|c: char| c.is_ascii_digit()) => &s[..i],
        _ => s,
    }
}

/// The line in `… at line 3 column 1`.
/// The column in `… at line 3 column 1`.
fn column_in(s: &str) -> Option<usize> {
    let i = s.rfind(" column ")?;
    let digits: String = s[i + 8..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn location_in(s: &str) -> Option<usize> {
    let i = s.rfind(" at line ")?;
    let digits: String = s[i + 9..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

const DE_PREFIXES: &[&str] = &[
    "invalid type: ",
    "invalid value: ",
    "invalid length ",
    "unknown variant `",
    "unknown field `",
    "missing field `",
    "duplicate field `",
    "duplicate entry with key ",
];

fn is_de_message(msg: &str) -> bool {
    DE_PREFIXES.iter().any(|p| msg.starts_with(p)) || msg.chars().any(is_cjk)
}

/// `source.name: missing field …` → (`source.name`, `missing field …`).
fn split_path(head: &str) -> (&str, &str) {
    for p in DE_PREFIXES {
        if head.starts_with(p) {
            return ("", head);
        }
        if let Some(i) = head.find(&format!(": {p}")) {
            return (&head[..i], &head[i + 2..]);
        }
    }
    // Our own deserializers' messages (Chinese) after a path.
    if let Some(i) = head.find(": ") {
        let (path, rest) = (&head[..i], &head[i + 2..]);
        if rest.chars().any(is_cjk) && !path.contains(' ') {
            return (path, rest);
        }
    }
    ("", head)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The last key of a path: `keywords[1]` → `keywords`, `a.b` → `b`.
fn path_key(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last).to_string()
}

/// A path in words: `reviewers[2].sections[0]` → `reviewers 第 3 项 sections 第 1 项`.
fn path_words(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut it = part.split('[');
        out.push_str(it.next().unwrap_or_default());
        for idx in it {
            let n: usize = idx.trim_end_matches(']').parse().unwrap_or(0);
            out.push_str(&format!(" 第 {} 项", n + 1));
        }
    }
    out.trim().to_string()
}

/// `a` then `b`, with a space between them only next to Latin letters or
/// digits (`title 应为`, `第 2 项应为`).
fn cat(a: &str, b: &str) -> String {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
    if latin(a.chars().last()) || latin(b.chars().next()) {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    }
}

fn key_words(path: &str) -> String {
    if path.is_empty() {
        "这个值".to_string()
    } else {
        path_words(path)
    }
}

/// The names in `…, expected one of `a`, `b`` / `expected `a` or `b``.
fn expected_names(rest: &str) -> Vec<String> {
    let Some(i) = rest.find("expected") else {
        return Vec::new();
    };
    rest[i..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// What the library expected, in plain words, with a fix.
fn expected_words(expected: &str) -> (String, &'static str) {
    let e = expected.trim();
    let words = |w: &str| w.to_string();
    match e {
        "a string" | "a borrowed string" | "a character" | "string" => (
            words("一段文字"),
            "写成一行文字，例如 title: 标题；含冒号或 # 的文字用英文双引号括起来。",
        ),
        "a boolean" | "bool" => (words("true 或 false"), "只能写 true（是）或 false（否）。"),
        "a sequence" | "a tuple" => (
            words("一个列表"),
            "写成 [甲, 乙]，或每项一行、以「- 」开头并比上一行多缩进两个空格。",
        ),
        "a map" | "a mapping" => (
            words("一组「键: 值」"),
            "在下一行多缩进两个空格，逐行写「键: 值」。",
        ),
        "a scalar" | "a scalar value" => (
            words("单个值（文字或数字）"),
            "写成一行，例如 level: 1；不能是列表或下一层的「键: 值」。",
        ),
        "u8" | "u16" | "u32" | "u64" | "usize" | "a nonnegative integer" => (
            words("不小于 0 的整数"),
            "写成整数，例如 15（不要引号、小数点或单位）。",
        ),
        "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" | "integer" => (
            words("整数"),
            "写成整数，例如 10（不要引号、小数点或单位）。",
        ),
        "f32" | "f64" | "a float" | "a number" => (words("数字"), "写成数字，例如 1.5。"),
        _ if e.starts_with("struct ") || e.starts_with("map") => (
            words("一组「键: 值」"),
            "在下一行多缩进两个空格，逐行写「键: 值」。",
        ),
        _ if e.starts_with("enum ") || e.starts_with("variant") => {
            (words("规定的值之一"), "对照说明改为规定的值。")
        }
        _ if e.chars().any(is_cjk) => (e.to_string(), QUOTE_FIX),
        _ => (words("另一种写法"), "对照说明检查这一项的写法。"),
    }
}

/// What was found, in plain words.
fn found_words(found: &str) -> String {
    let f = found.trim();
    let quoted = |s: &str| {
        let t: String = s
            .trim_matches(|c| c == '"' || c == '`')
            .chars()
            .take(30)
            .collect();
        t
    };
    if f == "sequence" {
        "一个列表".into()
    } else if f == "map" {
        "一组「键: 值」".into()
    } else if f == "unit value" || f == "null" || f == "unit" {
        "空值（什么也没写）".into()
    } else if let Some(s) = f.strip_prefix("string ") {
        format!("文字「{}」", quoted(s))
    } else if let Some(s) = f
        .strip_prefix("integer ")
        .or_else(|| f.strip_prefix("floating point "))
    {
        format!("数字 {}", quoted(s))
    } else if let Some(s) = f.strip_prefix("boolean ") {
        quoted(s)
    } else if f.starts_with("enum") || f.starts_with("newtype") {
        "带标签的值（!…）".into()
    } else {
        "别的写法".into()
    }
}

/// `class：A` → `class`: a line whose key is separated by a Chinese colon.
fn chinese_colon_key(line: &str) -> Option<&str> {
    let mut t = line.trim_start();
    while let Some(rest) = t.strip_prefix("- ") {
        t = rest.trim_start();
    }
    let i = t.find('：')?;
    let key = t[..i].trim_end();
    let plausible = !key.is_empty()
        && !key.contains(':')
        && !key.contains(char::is_whitespace)
        && !key.starts_with(['#', '"', '\'', '[', '{', '|', '>']);
    plausible.then_some(key)
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

/// The key among `known` that `key` is probably a typo of: one edit away,
/// or the same letters in another order.
pub fn suggest<'a, S: AsRef<str>>(key: &str, known: &'a [S]) -> Option<&'a str> {
    known.iter().map(AsRef::as_ref).find(|c| similar(key, c))
}

/// Two keys that differ by one edit or by the order of their letters.
fn similar(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut sx = x.clone();
    let mut sy = y.clone();
    sx.sort_unstable();
    sy.sort_unstable();
    if sx == sy {
        return true;
    }
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
    } else {
        short[i..] == long[i + 1..]
    }
}

// ---------------------------------------------------------------------------
// Where keys are written.

/// One key of a block mapping as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAt {
    /// The key (without quotes).
    pub key: String,
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column (in characters) of the key's first character (of its
    /// opening quote when quoted).
    pub column: usize,
    /// Written in quotes (`"approvals":`).
    pub quoted: bool,
    /// Which mapping it belongs to: keys of one mapping share the number.
    pub map: usize,
    /// The keys above it (`[]` for a top-level key, `["source"]` for
    /// `source.url`); a list item adds nothing.
    pub parent: Vec<String>,
}

/// Every key of every block mapping in `text`, in order. Flow mappings
/// (`{a: 1}`), block scalars (`|`, `>`) and multi-line quoted values are
/// skipped. A scan of lines, not a parser: good for positions only.
pub fn keys(text: &str) -> Vec<KeyAt> {
    struct Frame {
        col: usize,
        map: usize,
        parent: Vec<String>,
    }
    let mut out: Vec<KeyAt> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut maps = 0;
    let mut block_scalar: Option<usize> = None;
    let mut open_quote: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.chars().take_while(|&c| c == ' ').count();
        if let Some(q) = open_quote {
            if closes_quote(line, q).is_some() {
                open_quote = None;
            }
            continue;
        }
        if let Some(ind) = block_scalar {
            if line.trim().is_empty() || indent > ind {
                continue;
            }
            block_scalar = None;
        }
        let mut rest = &line[indent..];
        let mut col = indent;
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with('\t') {
            continue;
        }
        if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
            continue;
        }
        let mut new_item = false;
        while rest == "-" || rest.starts_with("- ") {
            let after = &rest[1..];
            let spaces = after.chars().take_while(|&c| c == ' ').count();
            col += 1 + spaces;
            rest = &after[spaces..];
            new_item = true;
        }
        let Some((key, quoted, value)) = split_key(rest) else {
            continue;
        };
        while stack
            .last()
            .is_some_and(|f| f.col > col || (new_item && f.col == col))
        {
            stack.pop();
        }
        let map = match stack.last() {
            Some(f) if f.col == col => f.map,
            _ => {
                let parent = out
                    .iter()
                    .rev()
                    .find(|k| k.column - 1 < col)
                    .filter(|_| !stack.is_empty())
                    .map(|k| {
                        let mut p = k.parent.clone();
                        p.push(k.key.clone());
                        p
                    })
                    .unwrap_or_default();
                maps += 1;
                stack.push(Frame {
                    col,
                    map: maps,
                    parent,
                });
                maps
            }
        };
        let parent = stack.last().map(|f| f.parent.clone()).unwrap_or_default();
        out.push(KeyAt {
            key,
            line: i + 1,
            column: col + 1,
            quoted,
            map,
            parent,
        });
        let v = value.trim_start();
        if v.starts_with('|') || v.starts_with('>') {
            block_scalar = Some(col);
        } else if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if closes_quote(&v[1..], q).is_none() {
                open_quote = Some(q);
            }
        }
    }
    out
}

/// The byte index after the closing `q` in `s`, if `s` closes it.
fn closes_quote(s: &str, q: char) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().map(|p| p.1) == Some('\'') {
                chars.next();
                continue;
            }
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// `key: value` → (key, quoted, value); `None` when the line is no key.
fn split_key(rest: &str) -> Option<(String, bool, &str)> {
    let first = rest.chars().next()?;
    if first == '"' || first == '\'' {
        let end = 1 + closes_quote(&rest[1..], first)?;
        let inner = &rest[1..end - 1];
        let after = rest[end..].trim_start_matches(' ');
        let value = after.strip_prefix(':')?;
        if !(value.is_empty() || value.starts_with([' ', '\t'])) {
            return None;
        }
        let key = if first == '\'' {
            inner.replace("''", "'")
        } else {
            inner.replace("\\\"", "\"").replace("\\\\", "\\")
        };
        return Some((key, true, value));
    }
    if matches!(
        first,
        '#' | '{' | '[' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '?' | ',' | ']' | '}'
    ) {
        return None;
    }
    let mut search = 0;
    loop {
        let i = search + rest[search..].find(':')?;
        let value = &rest[i + 1..];
        if value.is_empty() || value.starts_with([' ', '\t']) {
            let key = rest[..i].trim_end();
            if key.contains(" #") {
                return None;
            }
            return Some((key.to_string(), false, value));
        }
        search = i + 1;
    }
}

/// The 1-based line of the key at `path` (`["identity", "site_code"]`):
/// exactly there if written so, else the first key of that name anywhere.
pub fn key_line(text: &str, path: &[&str]) -> Option<usize> {
    KeyLines::new(text).line(path)
}

/// The lines of every key of a YAML text, read once: [`key_line`] for a
/// caller that asks for many keys of one text (each lookup is a hash
/// lookup, not a new reading of the text).
#[derive(Debug, Clone, Default)]
pub struct KeyLines {
    /// Full path (parents, then the key) → line of its first occurrence.
    exact: std::collections::HashMap<Vec<String>, usize>,
    /// Key name → line of its first occurrence anywhere.
    any: std::collections::HashMap<String, usize>,
}

impl KeyLines {
    /// Read every key of `text`.
    pub fn new(text: &str) -> KeyLines {
        let mut out = KeyLines::default();
        for k in keys(text) {
            let mut path = k.parent;
            path.push(k.key.clone());
            out.exact.entry(path).or_insert(k.line);
            out.any.entry(k.key).or_insert(k.line);
        }
        out
    }

    /// [`key_line`] of the text read.
    pub fn line(&self, path: &[&str]) -> Option<usize> {
        let last = path.last()?;
        let full: Vec<String> = path.iter().map(|p| p.to_string()).collect();
        self.exact
            .get(&full)
            .or_else(|| self.any.get(*last))
            .copied()
    }
}

/// The 1-based line of the `nth` line at or after `from` whose content
/// (after indentation and an optional `- `) starts with `key:`, quoted or
/// not: for the `nth` item of a list of mappings.
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

// ---------------------------------------------------------------------------
// Typed pieces.

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

/// For `#[serde(deserialize_with = "…")]`: an optional text that may be
/// written as a number (`site_code: 3401990001` unquoted); null is `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_option(V)
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
#[path = "tests_yaml.rs"]
mod tests;
