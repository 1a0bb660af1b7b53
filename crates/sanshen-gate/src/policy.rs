//! The policy, `reviews/policy.yaml` (spec §6): what each class of article
//! requires.

use serde::Deserialize;

use super::hosts::normalize_pattern;
use super::yaml::{self, find_key_line, Text, UniqueMap};
use super::GateError;

/// Where the policy lives in a site.
pub const FILE: &str = "reviews/policy.yaml";

/// The classes of R1, in order.
pub const CLASSES: [&str; 3] = ["A", "B", "C"];

/// What one class requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPolicy {
    /// Review levels required, ascending, each 1–4.
    pub levels: Vec<u8>,
    /// Roles required (words of the keyring's `role`).
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// `reviews/policy.yaml`: what each class of information requires.
pub struct Policy {
    /// Exactly A, B and C.
    pub classes: Vec<(String, ClassPolicy)>,
    /// Every requirement met by a different person (default true).
    pub distinct_reviewers: bool,
    /// Host patterns (normalised) that count as government sites.
    pub government_hosts: Vec<String>,
    /// Role required when the body links to any other host.
    pub external_links_role: Option<String>,
}

impl Policy {
    /// The policy of class `name` (`A`, `B`, `C`), if defined.
    pub fn class(&self, name: &str) -> Option<&ClassPolicy> {
        self.classes.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    classes: UniqueMap<RawClass>,
    distinct_reviewers: Option<bool>,
    government_hosts: Option<Vec<Text>>,
    external_links_role: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    levels: Vec<Text>,
    roles: Option<Vec<Text>>,
}

const HELP: &str = "policy.yaml 的格式见 spec/approvals.md §6：classes 下只能有 A、B、C，\
每类的 levels 为 1–4 的审核级别；修改后须用根密钥重新签署 governance.yaml。";

impl Policy {
    /// Parse and validate `reviews/policy.yaml`.
    pub fn parse(src: &str) -> Result<Policy, GateError> {
        let raw: RawPolicy = yaml::from_str(src).map_err(|e| e.into_gate(FILE, HELP))?;
        let classes_line = find_key_line(src, "classes", 1, 1);
        let mut classes = Vec::new();
        for (name, c) in raw.classes.0 {
            let line = classes_line
                .and_then(|l| find_key_line(src, &name, l, 1))
                .or(classes_line);
            let err = |msg: String| GateError::new(FILE, line, msg, HELP);
            if !CLASSES.contains(&name.as_str()) {
                return Err(err(format!(
                    "未知的信息类别 `{name}`：只能是 A（一般信息）、B（重要信息）、C（特级信息）"
                )));
            }
            let mut levels = Vec::new();
            for t in &c.levels {
                let n = match t.0.as_str() {
                    "1" => 1,
                    "2" => 2,
                    "3" => 3,
                    "4" => 4,
                    other => {
                        return Err(err(format!(
                            "{name} 类的审核级别 `{other}` 无效：只能是 1–4"
                        )))
                    }
                };
                if levels.contains(&n) {
                    return Err(err(format!("{name} 类的审核级别 {n} 重复")));
                }
                levels.push(n);
            }
            if levels.is_empty() {
                return Err(err(format!(
                    "{name} 类没有任何审核级别：先审后发，每类信息至少需要第 1 级审核"
                )));
            }
            levels.sort_unstable();
            let mut roles: Vec<String> = Vec::new();
            for r in c.roles.unwrap_or_default() {
                let r = r.0.trim().to_string();
                if r.is_empty() || roles.contains(&r) {
                    return Err(err(format!("{name} 类的 roles 中有空的或重复的角色")));
                }
                roles.push(r);
            }
            classes.push((name, ClassPolicy { levels, roles }));
        }
        for want in CLASSES {
            if !classes.iter().any(|(n, _)| n == want) {
                return Err(GateError::new(
                    FILE,
                    classes_line,
                    format!("classes 缺少 {want} 类的审核要求"),
                    HELP,
                ));
            }
        }
        classes.sort_by(|a, b| a.0.cmp(&b.0));
        let mut government_hosts = Vec::new();
        for p in raw.government_hosts.unwrap_or_default() {
            match normalize_pattern(&p.0) {
                Some(n) => government_hosts.push(n),
                None => {
                    return Err(GateError::new(
                        FILE,
                        find_key_line(src, "government_hosts", 1, 1),
                        format!("government_hosts 中的 `{}` 不是主机名或 `*.域名` 形式", p.0),
                        HELP,
                    ))
                }
            }
        }
        let external_links_role = match raw.external_links_role {
            Some(t) if t.0.trim().is_empty() => {
                return Err(GateError::new(
                    FILE,
                    find_key_line(src, "external_links_role", 1, 1),
                    "external_links_role 为空",
                    HELP,
                ))
            }
            Some(t) => Some(t.0.trim().to_string()),
            None => None,
        };
        Ok(Policy {
            classes,
            distinct_reviewers: raw.distinct_reviewers.unwrap_or(true),
            government_hosts,
            external_links_role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "classes:\n  A: { levels: [1] }\n  B: { levels: [1, 2] }\n  C: { levels: [1, 2, 3], roles: [principal] }\n";

    #[test]
    fn vector_policy_parses() {
        let src = include_str!("../../../tests/fixtures/vectors/reviews/policy.yaml");
        let p = Policy::parse(src).unwrap();
        assert_eq!(p.class("B").unwrap().levels, vec![1, 2]);
        assert_eq!(p.class("C").unwrap().roles, vec!["principal".to_string()]);
        assert!(p.distinct_reviewers);
        assert_eq!(p.external_links_role.as_deref(), Some("security"));
        assert_eq!(p.government_hosts.len(), 3);
    }

    #[test]
    fn unknown_class_names_its_line() {
        let src = format!("{GOOD}  D: {{ levels: [1] }}\n");
        let e = Policy::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("`D`"));
    }

    #[test]
    fn level_outside_1_to_4_names_its_line() {
        let e = Policy::parse(&GOOD.replace("[1, 2]", "[1, 5]")).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = Policy::parse(&GOOD.replace("[1, 2]", "[0]")).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn missing_class_and_empty_levels_are_errors() {
        assert!(Policy::parse(&GOOD.replace("  B: { levels: [1, 2] }\n", "")).is_err());
        assert!(Policy::parse(&GOOD.replace("[1, 2]", "[]")).is_err());
    }

    #[test]
    fn duplicate_class_is_an_error() {
        let src = format!("{GOOD}  A: {{ levels: [1, 2] }}\n");
        let e = Policy::parse(&src).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let src = format!("{GOOD}distinct_reviewers: true\ndistinct_reviewers: false\n");
        assert_eq!(Policy::parse(&src).unwrap_err().line, Some(6));
    }

    #[test]
    fn unknown_key_is_an_error() {
        let src = format!("{GOOD}distinct: false\n");
        assert_eq!(Policy::parse(&src).unwrap_err().line, Some(5));
    }
}
