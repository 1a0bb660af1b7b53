//! The repost whitelist, `reviews/sources.yaml` (spec §9, R10).

use serde::Deserialize;

use super::hosts::{host_matches, normalize_pattern, url_host};
use super::yaml::{self, find_key_line, find_text_line, Text};
use super::GateError;

/// Where the repost whitelist lives in a site.
pub const FILE: &str = "reviews/sources.yaml";

/// One whitelisted source (稿源单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The source's name, shown as 来源.
    pub name: String,
    /// Normalised host patterns.
    pub hosts: Vec<String>,
}

/// The whitelist; empty when the file is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sources {
    /// Every whitelisted source, in file order.
    pub sources: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Text,
    hosts: Vec<Text>,
}

const HELP: &str =
    "sources.yaml 的格式见 spec/approvals.md §9：每个来源写 name 和 hosts（主机名或 `*.域名`）；\
修改后须用根密钥重新签署 governance.yaml。";

impl Sources {
    /// Parse and validate `reviews/sources.yaml`.
    pub fn parse(src: &str) -> Result<Sources, GateError> {
        let raw: RawSources = yaml::from_str(src).map_err(|e| e.into_gate(FILE, HELP))?;
        let mut sources = Vec::new();
        for (i, s) in raw.sources.into_iter().enumerate() {
            let item = find_key_line(src, "name", 1, i + 1);
            let name = s.name.0.trim().to_string();
            if name.is_empty() {
                return Err(GateError::new(FILE, item, "来源的 name 为空", HELP));
            }
            let mut hosts = Vec::new();
            for h in s.hosts {
                let n = normalize_pattern(&h.0).ok_or_else(|| {
                    GateError::new(
                        FILE,
                        find_text_line(src, &h.0, 1).or(item),
                        format!("来源「{name}」的主机 `{}` 不是主机名或 `*.域名` 形式（不要写 https://）", h.0),
                        HELP,
                    )
                })?;
                hosts.push(n);
            }
            if hosts.is_empty() {
                return Err(GateError::new(
                    FILE,
                    item,
                    format!("来源「{name}」没有列出任何主机（hosts）"),
                    HELP,
                ));
            }
            sources.push(Source { name, hosts });
        }
        Ok(Sources { sources })
    }

    /// The whitelisted source whose hosts match the host of `url`, if any.
    pub fn find(&self, url: &str) -> Option<&Source> {
        let host = url_host(url)?;
        if host.is_empty() {
            return None;
        }
        self.sources
            .iter()
            .find(|s| s.hosts.iter().any(|p| host_matches(&host, p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_sources() {
        let src = include_str!("../../../tests/fixtures/vectors/reviews/sources.yaml");
        let s = Sources::parse(src).unwrap();
        assert_eq!(s.sources.len(), 2);
        let hit = s.find("https://www.gov.cn/yaowen/2026-11/20/content_1.htm");
        assert_eq!(hit.map(|s| s.name.as_str()), Some("中国政府网"));
        assert!(s.find("https://WWW.NEWS.CN/x").is_some());
        assert!(s.find("https://mp.example.net/s/abc").is_none());
        assert!(s.find("https://gov.cn/").is_none());
        assert!(s.find("not a url").is_none());
        assert!(s.find("ftp://www.gov.cn/").is_none());
    }

    #[test]
    fn errors_name_the_line() {
        let e = Sources::parse("sources:\n- name: a\n  hosts: [\"https://x.cn\"]\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = Sources::parse("sources:\n- name: a\n  hosts: []\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = Sources::parse("sources:\n- name: a\n  name: b\n  hosts: [x.cn]\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
