//! The keyring, `reviews/reviewers.yaml` (spec §5).

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::VerifyingKey;
use serde::Deserialize;

use super::keys::{fingerprint, format_public_key, parse_keyring_key};
use super::yaml::{self, find_key_line, parse_time, Text};
use super::GateError;

/// Where the keyring lives in a site.
pub const FILE: &str = "reviews/reviewers.yaml";

/// One person who may attest reviews.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewer {
    /// Unique id (`[a-z0-9._-]+`).
    pub id: String,
    /// The person's name, shown on forms.
    pub name: String,
    /// The person's post (职务).
    pub title: String,
    /// The role word the policy refers to (`editor`, `leader`, …).
    pub role: String,
    /// Highest review level this person may attest (1–4).
    pub level: u8,
    /// Sections (columns, `news` or a sub-column `a/b`) this person
    /// reviews, each with everything below it; `None` = all.
    pub sections: Option<Vec<String>>,
    /// The Ed25519 public key.
    pub key: VerifyingKey,
    /// The key as `ed25519:…` (an OpenSSH `ssh-ed25519 …` entry converted).
    pub key_text: String,
    /// Approvals signed before this time do not count.
    pub valid_from: DateTime<FixedOffset>,
    /// Approvals signed at or after this time do not count.
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// The key is compromised: none of its approvals count.
    pub revoked: bool,
    /// 1-based line of this reviewer's entry in reviewers.yaml.
    pub line: usize,
}

impl Reviewer {
    /// Short key fingerprint for forms.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.key)
    }

    /// Whether `section` (an article's folder, [`crate::section_of`]) is in
    /// this reviewer's scope: it is one of `sections` or lies below one, by
    /// whole path segments (`news` covers `news/photos`, never
    /// `newsletter`).
    pub fn covers(&self, section: &str) -> bool {
        match &self.sections {
            None => true,
            Some(list) => list.iter().any(|s| within(section, s)),
        }
    }

    /// `valid_from ≤ t < valid_until` (the revoked flag is separate).
    pub fn valid_at(&self, t: &DateTime<FixedOffset>) -> bool {
        self.valid_from <= *t && self.valid_until.is_none_or(|u| *t < u)
    }
}

/// Whether content folder `path` is `scope` or lies below it, by whole
/// path segments.
pub fn within(path: &str, scope: &str) -> bool {
    path.strip_prefix(scope)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether `s` names a content folder: `/`-separated, non-empty segments,
/// none of them `.` or `..`, no `\\`.
fn valid_section(s: &str) -> bool {
    !s.contains('\\')
        && s.split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// All reviewers, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keyring {
    /// Every reviewer, in file order.
    pub reviewers: Vec<Reviewer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyring {
    reviewers: Vec<RawReviewer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReviewer {
    id: Text,
    name: Text,
    title: Text,
    role: Text,
    level: Text,
    sections: Option<Vec<Text>>,
    key: Text,
    valid_from: Text,
    valid_until: Option<Text>,
    revoked: Text,
}

const HELP: &str = "每位审核人需写明 id、name、title、role、level、key、valid_from、revoked \
（sections、valid_until 可省略），格式见 spec/approvals.md §5；修改后须用根密钥重新签署 governance.yaml。";

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

impl Keyring {
    /// Look a reviewer up by id.
    pub fn get(&self, id: &str) -> Option<&Reviewer> {
        self.reviewers.iter().find(|r| r.id == id)
    }

    /// Parse and validate `reviews/reviewers.yaml`.
    pub fn parse(src: &str) -> Result<Keyring, GateError> {
        let raw: RawKeyring = yaml::from_str(src).map_err(|e| e.into_gate(FILE, HELP))?;
        let mut out: Vec<Reviewer> = Vec::with_capacity(raw.reviewers.len());
        for (i, r) in raw.reviewers.into_iter().enumerate() {
            let item = find_key_line(src, "id", 1, i + 1);
            let at = |key: &str| item.and_then(|l| find_key_line(src, key, l, 1)).or(item);
            let err = |key: &str, msg: String| GateError::new(FILE, at(key), msg, HELP);
            let id = r.id.0;
            if !valid_id(&id) {
                return Err(err(
                    "id",
                    format!("审核人 id `{id}` 只能由小写字母、数字和 . _ - 组成"),
                ));
            }
            if let Some(first) = out.iter().find(|o| o.id == id) {
                return Err(err(
                    "id",
                    format!("审核人 id `{id}` 重复（第 {} 行已定义）", first.line),
                ));
            }
            let name = r.name.0.trim().to_string();
            if name.is_empty() {
                return Err(err(
                    "name",
                    format!("审核人 `{id}` 的 name 为空：须写本人姓名"),
                ));
            }
            let title = r.title.0.trim().to_string();
            let role = r.role.0.trim().to_string();
            if role.is_empty() {
                return Err(err("role", format!("审核人 `{id}` 的 role 为空")));
            }
            let level = match r.level.0.as_str() {
                "1" => 1,
                "2" => 2,
                "3" => 3,
                "4" => 4,
                other => {
                    return Err(err(
                        "level",
                        format!("审核人 `{id}` 的 level 必须是 1–4 的整数（得到 `{other}`）"),
                    ))
                }
            };
            let sections = match r.sections {
                None => None,
                Some(list) => {
                    let list: Vec<String> = list.into_iter().map(|t| t.0).collect();
                    if let Some(bad) = list.iter().find(|s| !valid_section(s)) {
                        return Err(err(
                            "sections",
                            format!("审核人 `{id}` 的 sections 中 `{bad}` 不是栏目名（应为 content/ 下的栏目目录，例如 news 或子栏目 disclosure/zhengce，不以 / 开头或结尾）"),
                        ));
                    }
                    Some(list)
                }
            };
            let key = parse_keyring_key(r.key.0.trim())
                .map_err(|m| err("key", format!("审核人 `{id}` 的公钥有误：{m}")))?;
            if let Some(other) = out.iter().find(|o| o.key == key) {
                return Err(err(
                    "key",
                    format!(
                        "审核人 `{id}` 与 `{}` 使用同一把公钥：每把密钥只能属于一个人",
                        other.id
                    ),
                ));
            }
            let time = |key: &str, t: &str| {
                parse_time(t).ok_or_else(|| {
                    err(
                        key,
                        format!("审核人 `{id}` 的 {key} `{t}` 不是带时区的 RFC 3339 时间，例如 \"2026-01-01T00:00:00+08:00\""),
                    )
                })
            };
            let valid_from = time("valid_from", &r.valid_from.0)?;
            let valid_until = match &r.valid_until {
                Some(t) => Some(time("valid_until", &t.0)?),
                None => None,
            };
            if valid_until.is_some_and(|u| u <= valid_from) {
                return Err(err(
                    "valid_until",
                    format!("审核人 `{id}` 的 valid_until 早于或等于 valid_from"),
                ));
            }
            let revoked = match r.revoked.0.as_str() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(err(
                        "revoked",
                        format!("审核人 `{id}` 的 revoked 必须是 true 或 false（得到 `{other}`）"),
                    ))
                }
            };
            out.push(Reviewer {
                line: item.unwrap_or(1),
                id,
                name,
                title,
                role,
                level,
                sections,
                key,
                key_text: format_public_key(&key),
                valid_from,
                valid_until,
                revoked,
            });
        }
        Ok(Keyring { reviewers: out })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "ed25519:ey0+cUW/cZQeCLmtGv2wa1pU3zKxMOkruNA9Xt/zC3M=";
    const K2: &str = "ed25519:r6x6jwqm0B3W53ruC8bZ/V85ql+KeNp+efnWTWaJ2iw=";

    fn entry(id: &str, key: &str) -> String {
        format!(
            "- id: {id}\n  name: 张三\n  title: 编辑\n  role: editor\n  level: 1\n  key: \"{key}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: false\n"
        )
    }

    #[test]
    fn vector_keyring_parses() {
        let src = include_str!("../../../tests/fixtures/vectors/reviews/reviewers.yaml");
        let k = Keyring::parse(src).unwrap();
        assert_eq!(k.reviewers.len(), 8);
        let z = k.get("zhang.san").unwrap();
        assert_eq!(z.line, 2);
        assert!(z.covers("news") && !z.covers("policy"));
        assert!(k.get("zhou.jiu").unwrap().revoked);
        assert!(k.get("sun.ba").unwrap().valid_until.is_some());
    }

    #[test]
    fn scope_is_a_path_segment_prefix() {
        let src = format!(
            "reviewers:\n{}  sections: [news, disclosure/zhengce]\n",
            entry("a", K1)
        );
        let r = Keyring::parse(&src).unwrap().reviewers.remove(0);
        assert!(r.covers("news") && r.covers("news/photos"));
        assert!(!r.covers("newsletter") && !r.covers("newsletter/x"));
        assert!(r.covers("disclosure/zhengce/guifan"));
        assert!(!r.covers("disclosure") && !r.covers("disclosure/zhengcejiedu"));
        assert_eq!(crate::section_of("a/b/x.md"), "a/b");
        assert_eq!(crate::section_of("news/x.md"), "news");
    }

    #[test]
    fn a_section_must_name_a_folder() {
        for bad in ["/news", "news/", "a//b", "a/../b", "a\\\\b", "\"\""] {
            let src = format!("reviewers:\n{}  sections: [{bad}]\n", entry("a", K1));
            let e = Keyring::parse(&src).unwrap_err();
            assert!(e.message.contains("不是栏目名"), "{bad}: {e}");
        }
    }

    #[test]
    fn duplicate_reviewer_id_names_the_second_line() {
        let src = format!("reviewers:\n{}{}", entry("a", K1), entry("a", K2));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.file, FILE);
        assert_eq!(e.line, Some(10), "{e}");
        assert!(e.message.contains("重复"), "{e}");
    }

    #[test]
    fn same_key_for_two_people_is_refused() {
        let src = format!("reviewers:\n{}{}", entry("a", K1), entry("b", K1));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(15), "{e}");
    }

    #[test]
    fn wrong_key_length_names_the_key_line() {
        let src = format!("reviewers:\n{}", entry("a", "ed25519:AAAA"));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.message.contains("32 字节"), "{e}");
    }

    #[test]
    fn bad_id_charset() {
        let src = format!("reviewers:\n{}", entry("Zhang San", K1));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn missing_required_keys_are_errors() {
        let src = format!(
            "reviewers:\n{}",
            entry("a", K1).replace("  revoked: false\n", "")
        );
        let e = Keyring::parse(&src).unwrap_err();
        assert!(e.message.contains("revoked"), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
        let src = format!(
            "reviewers:\n{}",
            entry("a", K1).replace("  title: 编辑\n", "")
        );
        assert!(Keyring::parse(&src).is_err());
    }

    #[test]
    fn duplicate_and_unknown_keys_are_errors() {
        let src = format!("reviewers:\n{}  level: 4\n", entry("a", K1));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(10), "{e}");
        let src = format!("reviewers:\n{}  revoke: true\n", entry("a", K1));
        let e = Keyring::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(10), "{e}");
        assert!(Keyring::parse("reviewers: []\nreviewers: []\n").is_err());
    }

    #[test]
    fn level_and_times_are_checked() {
        let src = format!(
            "reviewers:\n{}",
            entry("a", K1).replace("level: 1", "level: 5")
        );
        assert_eq!(Keyring::parse(&src).unwrap_err().line, Some(6));
        let src = format!(
            "reviewers:\n{}",
            entry("a", K1).replace("\"2026-01-01T00:00:00+08:00\"", "yesterday")
        );
        assert_eq!(Keyring::parse(&src).unwrap_err().line, Some(8));
        let src = format!(
            "reviewers:\n{}  valid_until: \"2025-01-01T00:00:00+08:00\"\n",
            entry("a", K1)
        );
        assert_eq!(Keyring::parse(&src).unwrap_err().line, Some(10));
    }

    proptest::proptest! {
        /// A scope covers exactly itself and the folders below it.
        #[test]
        fn within_is_segment_prefix(
            scope in "[a-z]{1,4}(/[a-z]{1,4}){0,2}",
            rest in "[a-z/]{0,8}",
        ) {
            let path = format!("{scope}{rest}");
            let expect = rest.is_empty() || rest.starts_with('/');
            proptest::prop_assert_eq!(within(&path, &scope), expect);
        }
    }
}
