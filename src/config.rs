//! `site.yaml`: the site's name, address and presentation settings.

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::gate::yaml;

pub mod identity;

pub use identity::{Contact, DisclosureConfig, Identity};

pub const FILE: &str = "site.yaml";

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// 网站名称, e.g. 示例区人民政府.
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    /// Public address, e.g. `https://www.shiliqu.gov.cn`.
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Column whose newest articles fill the home page's notices block.
    #[serde(default)]
    pub notices_column: Option<String>,
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    #[serde(default = "default_home_per_column")]
    pub home_per_column: usize,
    /// Articles in the site and column feeds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Root public key pinned in the repository (weak: see README).
    #[serde(default)]
    pub trust_root: Option<String>,
    /// UTC offset of article dates without one, e.g. `+08:00`.
    #[serde(default = "default_utc_offset")]
    pub utc_offset: String,
    /// 网站标识 (R13): 主办/承办单位, 联系方式, 网站标识码, 备案号,
    /// 党政机关网站标识, 我为政府网站找错. None on a site without them.
    #[serde(default)]
    pub identity: Option<Identity>,
    /// 政府信息公开 settings (R20), e.g. the 索引号 pattern.
    #[serde(default)]
    pub disclosure: DisclosureConfig,
}

fn default_theme() -> String {
    "default".into()
}
fn default_per_page() -> usize {
    15
}
fn default_home_per_column() -> usize {
    6
}
fn default_feed_limit() -> usize {
    20
}
fn default_utc_offset() -> String {
    "+08:00".into()
}

/// What the rest of the build needs beyond the raw fields.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Lower-cased host of `base_url`.
    pub host: String,
    /// `base_url` without a trailing slash, e.g. `https://www.shiliqu.gov.cn`.
    pub base: String,
    /// Path prefix of every URL, `/` or e.g. `/portal/`.
    pub base_path: String,
    pub offset: chrono::FixedOffset,
    /// Compiled `disclosure.index_no_pattern`, if set.
    pub index_no_pattern: Option<regex::Regex>,
}

impl Site {
    /// Absolute URL of a site path such as `/news/a/`.
    pub fn absolute(&self, path: &str) -> String {
        let origin = match self.base.find("://") {
            Some(i) => match self.base[i + 3..].find('/') {
                Some(j) => &self.base[..i + 3 + j],
                None => &self.base[..],
            },
            None => &self.base[..],
        };
        format!("{origin}{path}")
    }

    /// Site path under the base path: `url("news/a/")` → `/news/a/`.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }
}

/// Parse `site.yaml` text.
pub fn parse(text: &str) -> Result<Site, Diagnostic> {
    let config: SiteConfig = yaml::from_str(text).map_err(|e| {
        let d = Diagnostic::from_yaml(FILE, text, "site.yaml 格式错误：", &e);
        let help = format!(
            "{}\n字段名见 README 的「site.yaml」一节。",
            d.help.as_deref().unwrap_or_default()
        );
        d.help(help)
    })?;
    let at = |key: &str| {
        let d = Diagnostic::new(FILE, "");
        match yaml::key_line(text, &[key]) {
            Some(l) => d.at_line(l).with_source(text),
            None => d,
        }
    };
    let parsed = url::Url::parse(&config.base_url).map_err(|_| {
        let mut d = at("base_url");
        d.message = format!("base_url 不是有效的网址：{}", config.base_url);
        d.help("写成完整网址，例如 base_url: https://www.shiliqu.gov.cn")
    })?;
    let host = match (parsed.scheme(), parsed.host_str()) {
        ("http" | "https", Some(h)) => h.to_lowercase(),
        _ => {
            let mut d = at("base_url");
            d.message = format!(
                "base_url 必须以 http:// 或 https:// 开头：{}",
                config.base_url
            );
            return Err(d.help("例如 base_url: https://www.shiliqu.gov.cn"));
        }
    };
    let mut base_path = parsed.path().to_string();
    if !base_path.ends_with('/') {
        base_path.push('/');
    }
    let offset = config
        .utc_offset
        .parse::<chrono::FixedOffset>()
        .map_err(|_| {
            let mut d = at("utc_offset");
            d.message = format!("utc_offset 无法识别：{}", config.utc_offset);
            d.help("写成 \"+08:00\"（北京时间）")
        })?;
    if config.per_page == 0 {
        let mut d = at("per_page");
        d.message = "per_page 必须大于 0".into();
        return Err(d.help("例如 per_page: 15"));
    }
    let index_no_pattern =
        identity::check(config.identity.as_ref(), &config.disclosure, &host, text)?;
    let base = config.base_url.trim_end_matches('/').to_string();
    Ok(Site {
        config,
        host,
        base,
        base_path,
        offset,
        index_no_pattern,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_defaults_and_host() {
        let s =
            parse("name: 示例区人民政府\nbase_url: https://WWW.Example.gov.cn/portal\n").unwrap();
        assert_eq!(s.host, "www.example.gov.cn");
        assert_eq!(s.base_path, "/portal/");
        assert_eq!(s.url("news/a/"), "/portal/news/a/");
        assert_eq!(
            s.absolute("/portal/news/"),
            "https://WWW.Example.gov.cn/portal/news/"
        );
        assert_eq!(s.config.per_page, 15);
    }

    #[test]
    fn unknown_field_names_line() {
        let e = parse("name: x\nbase_url: https://a.gov.cn\nnmae: y\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("nmae"));
    }

    #[test]
    fn bad_base_url() {
        let e = parse("name: x\nbase_url: www.a.gov.cn\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
