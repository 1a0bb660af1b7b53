//! Reading the signed front matter of articles and columns into typed
//! fields, with errors that name the line.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::gate::yaml::{scalar_text, Value};

use super::origin::Origin;
use super::schedule::{self, Moment};

/// A repost's origin (`source:`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    pub url: String,
}

/// 政府信息公开 metadata (`disclosure:`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// 索引号
    #[serde(default)]
    pub index_no: Option<String>,
    /// 信息分类
    #[serde(default)]
    pub category: Option<String>,
    /// 发布机构
    #[serde(default)]
    pub publisher: Option<String>,
    /// 文号
    #[serde(default)]
    pub doc_no: Option<String>,
    /// 成文日期
    #[serde(default)]
    pub written_date: Option<String>,
    /// 发布日期
    #[serde(default)]
    pub publish_date: Option<String>,
    /// 主题分类
    #[serde(default)]
    pub topic: Option<String>,
    /// 关键词
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawArticle {
    title: Option<String>,
    class: Option<Value>,
    date: Option<Value>,
    author: Option<String>,
    department: Option<String>,
    summary: Option<String>,
    source: Option<Source>,
    draft: Option<bool>,
    weight: Option<i64>,
    slug: Option<String>,
    disclosure: Option<Disclosure>,
    publish_at: Option<Value>,
    expires_at: Option<Value>,
    backdated: Option<String>,
    keywords: Option<Vec<String>>,
    featured: Option<bool>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

/// An article's front matter, validated.
#[derive(Debug, Clone)]
pub struct ArticleFront {
    pub title: String,
    /// The `class` value as written (the gate decides whether it is valid).
    pub class: Option<String>,
    pub date: NaiveDateTime,
    /// Whether `date` carried a time of day.
    pub date_has_time: bool,
    pub author: Option<String>,
    pub department: Option<String>,
    pub summary: Option<String>,
    pub source: Option<Source>,
    pub draft: bool,
    pub weight: i64,
    pub slug: Option<String>,
    pub disclosure: Option<Disclosure>,
    pub publish_at: Option<Moment>,
    pub expires_at: Option<Moment>,
    /// `backdated`: why an old document is published with its original
    /// `date` (补录); the publication log's back-dating check spares it.
    pub backdated: Option<String>,
    /// 关键词 (`keywords`): the page's Keywords meta tag.
    pub keywords: Vec<String>,
    /// `featured: true`: shown in the home page's 图片新闻 block when the
    /// body has an image.
    pub featured: bool,
}

/// A column's `_index.md` front matter.
#[derive(Debug, Default, Deserialize)]
pub struct ColumnFront {
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub update_period: Option<String>,
    /// Accepted as a synonym of `order` (Hugo/Zola habit).
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(flatten)]
    other: BTreeMap<String, Value>,
}

const ARTICLE_KEYS: &[&str] = &[
    "title",
    "class",
    "date",
    "author",
    "department",
    "summary",
    "source",
    "draft",
    "weight",
    "slug",
    "disclosure",
    "pii_exemption",
    "publish_at",
    "expires_at",
    "backdated",
    "keywords",
    "featured",
];

const COLUMN_KEYS: &[&str] = &[
    "title",
    "description",
    "keywords",
    "type",
    "order",
    "update_period",
    "weight",
];

/// Parse a front matter date: `2026-11-20`, `2026-11-20 09:30[:00]` or
/// RFC 3339 (its offset is dropped: dates are shown as written).
pub fn parse_date(text: &str) -> Option<(NaiveDateTime, bool)> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|dt| (dt, false));
    }
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some((dt, true));
        }
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|dt| (dt.naive_local(), true))
}

/// Read an article's front matter. Returns the fields and warnings
/// (unknown keys), or the first error.
pub fn article(origin: &Origin) -> Result<(ArticleFront, Vec<Diagnostic>), Diagnostic> {
    let raw: RawArticle = origin.parse()?;
    origin.refuse_gate_keys(&raw.other)?;
    let warnings = origin.unknown_keys(&raw.other, ARTICLE_KEYS);
    let title = match raw.title.map(|t| t.trim().to_string()) {
        Some(t) if !t.is_empty() => t,
        _ => {
            return Err(origin.missing(
                &raw.other,
                "title",
                "缺少标题 title",
                "在 front matter 中加入一行：title: 文章标题",
            ))
        }
    };
    let date_text = match (&raw.date, raw.date.as_ref().and_then(scalar_text)) {
        (_, Some(d)) => d,
        (None | Some(Value::Null), None) => return Err(origin.missing(
            &raw.other,
            "date",
            "缺少发布日期 date",
            "在 front matter 中加入一行：date: \"2026-11-20\"（可带时间：\"2026-11-20 09:30\"）",
        )),
        (Some(_), None) => {
            return Err(origin
                .at_key(
                    "date",
                    "发布日期 date 必须是一个日期，不能是列表或键值对".into(),
                )
                .help("写成 date: \"2026-11-20\" 或 date: \"2026-11-20 09:30\""))
        }
    };
    let (date, date_has_time) = parse_date(&date_text).ok_or_else(|| {
        origin
            .at_key("date", format!("无法识别的日期：{date_text}"))
            .help("日期写成 \"2026-11-20\" 或 \"2026-11-20 09:30\"（年-月-日，用英文双引号）")
    })?;
    let publish_at = schedule::read(origin, "publish_at", raw.publish_at.as_ref())?;
    let expires_at = schedule::read(origin, "expires_at", raw.expires_at.as_ref())?;
    let non_empty = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    Ok((
        ArticleFront {
            title,
            class: raw.class.as_ref().and_then(scalar_text),
            date,
            date_has_time,
            author: non_empty(raw.author),
            department: non_empty(raw.department),
            summary: non_empty(raw.summary),
            source: raw.source,
            draft: raw.draft.unwrap_or(false),
            weight: raw.weight.unwrap_or(0),
            slug: non_empty(raw.slug),
            disclosure: raw.disclosure,
            publish_at,
            expires_at,
            backdated: non_empty(raw.backdated),
            keywords: raw
                .keywords
                .unwrap_or_default()
                .into_iter()
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            featured: raw.featured.unwrap_or(false),
        },
        warnings,
    ))
}

/// Read a column's `_index.md` front matter.
pub fn column(origin: &Origin) -> Result<(ColumnFront, Vec<Diagnostic>), Diagnostic> {
    let raw: ColumnFront = origin.parse()?;
    let warnings = origin.unknown_keys(&raw.other, COLUMN_KEYS);
    if raw.title.as_deref().map(str::trim).unwrap_or("").is_empty() {
        return Err(origin.missing(
            &raw.other,
            "title",
            "栏目缺少名称 title",
            "在 _index.md 的 front matter 中加入一行：title: 栏目名称",
        ));
    }
    Ok((raw, warnings))
}

/// Parse an update period such as `14d`, `2w`, `6m`, `1y` into days.
pub fn period_days(text: &str) -> Option<u32> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = num.parse().ok()?;
    let per = match unit.trim() {
        "d" | "天" => 1,
        "w" | "周" => 7,
        "m" | "月" | "个月" => 30,
        "y" | "年" => 365,
        _ => return None,
    };
    (n > 0).then_some(n * per)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin<'a>(yaml: &'a str, source: &'a str) -> Origin<'a> {
        Origin {
            file: "content/news/a.md",
            source,
            yaml,
            first_line: 2,
        }
    }

    #[test]
    fn reads_fields_and_warns_on_unknown() {
        let y = "title: 标题\nclass: A\ndate: 2026-11-20\ntitel: x\n";
        let (a, w) = article(&origin(y, y)).unwrap();
        assert_eq!(a.title, "标题");
        assert_eq!(a.class.as_deref(), Some("A"));
        assert!(!a.date_has_time);
        assert_eq!(w.len(), 1);
        assert!(w[0].help.as_deref().unwrap().contains("title"));
    }

    #[test]
    fn missing_title_and_bad_date_name_lines() {
        let y = "class: A\ndate: \"2026-11-20\"\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert!(e.message.contains("title"));
        let y = "title: t\ndate: {a: 1}\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert!(e.message.contains("必须是一个日期"), "{}", e.message);
        let y = "title: t\ndate: 2026/11/20\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let y = "title: a\ntitle: b\ndate: \"2026-11-20\"\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(
            e.message,
            "front matter 格式错误：键 title 重复：第 2 行和第 3 行"
        );
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn a_typo_of_a_missing_key_keeps_its_hint() {
        let y = "class: A\ntitel: 通知\ndate: \"2026-11-20\"\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(e.message, "缺少标题 title：这一行的 titel 是否想写 title？");
        assert_eq!(e.line, Some(3));
        let y = "title: 通知\ndaet: \"2026-11-20\"\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(
            e.message,
            "缺少发布日期 date：这一行的 daet 是否想写 date？"
        );
        assert_eq!(e.line, Some(3));
        let y = "titel: 栏目\n";
        let e = column(&origin(y, y)).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("是否想写 title"), "{}", e.message);
    }

    #[test]
    fn quoted_gate_keys_are_errors_at_their_line() {
        let y = "title: a\ndate: \"2026-11-20\"\n\"approvals\": []\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.message.contains("`approvals` 只能作为审核区"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_errors_are_at_file_lines() {
        let y = "title: a\nclass：A\ndate: \"2026-11-20\"\n";
        let e = article(&origin(y, y)).unwrap_err();
        assert_eq!(
            e.message,
            "front matter 格式错误：这里用了中文冒号「：」，改为英文冒号「:」"
        );
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn dates_and_periods() {
        assert!(parse_date("2026-11-20 09:30").unwrap().1);
        assert!(parse_date("2026-11-20T09:30:00+08:00").is_some());
        assert!(parse_date("20 Nov").is_none());
        assert_eq!(period_days("2w"), Some(14));
        assert_eq!(period_days("6m"), Some(180));
        assert_eq!(period_days("x"), None);
    }
}
