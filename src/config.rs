//! `site.yaml`: the site's name, address and presentation settings.

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::gate::yaml;

pub mod home;
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
    /// Root public key pinned in the repository (weak: see the user guide, 网站管理员).
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
    /// Home page blocks (图片新闻, 互动交流, 政务服务, 政务新媒体).
    #[serde(default)]
    pub home: home::Home,
    /// Size limits of input files, checked before a file is read.
    #[serde(default)]
    pub limits: Limits,
    /// `dates:` — how honest publication dates are judged.
    #[serde(default)]
    pub dates: DatesConfig,
}

/// `dates:` — the date rule (spec §9a).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DatesConfig {
    /// Days an article's `date` may precede its first commit before it is
    /// held as back-dated (unless it gives `backdated:`).
    #[serde(default = "default_backdate_tolerance_days")]
    pub backdate_tolerance_days: u32,
}

impl Default for DatesConfig {
    fn default() -> Self {
        DatesConfig {
            backdate_tolerance_days: default_backdate_tolerance_days(),
        }
    }
}

fn default_backdate_tolerance_days() -> u32 {
    crate::gate::DEFAULT_BACKDATE_TOLERANCE_DAYS
}

/// `limits:` — the largest input files a build reads, in megabytes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// An article (`.md`) larger than this is held `unreadable`.
    #[serde(default = "default_markdown_mb")]
    pub markdown_mb: u64,
    /// Any other file larger than this: the article using it is held; a
    /// frame or `static/` file stops the build.
    #[serde(default = "default_file_mb")]
    pub file_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            markdown_mb: default_markdown_mb(),
            file_mb: default_file_mb(),
        }
    }
}

impl Limits {
    /// The limit in bytes of a Markdown file.
    pub fn markdown_bytes(&self) -> u64 {
        self.markdown_mb.saturating_mul(1024 * 1024)
    }

    /// The limit in bytes of any other file.
    pub fn file_bytes(&self) -> u64 {
        self.file_mb.saturating_mul(1024 * 1024)
    }
}

fn default_markdown_mb() -> u64 {
    10
}
fn default_file_mb() -> u64 {
    50
}

/// Whether `name` can name a folder under `themes/`: `[a-z0-9_-]+`.
pub fn valid_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
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
    /// Line of `notices_column:` in `site.yaml`, for its error.
    pub notices_line: Option<usize>,
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
            "{}\n字段名见用户手册「参考 → site.yaml」。",
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
    if !valid_theme_name(&config.theme) {
        let mut d = at("theme");
        d.message = format!(
            "theme 只能写 themes/ 下的主题目录名（小写字母、数字、- 和 _）：{}",
            config.theme
        );
        return Err(d.help("例如 theme: default；不能写路径（如 ../x 或 /x）"));
    }
    for (key, mb) in [
        ("markdown_mb", config.limits.markdown_mb),
        ("file_mb", config.limits.file_mb),
    ] {
        if mb == 0 {
            let mut d = Diagnostic::new(FILE, "");
            if let Some(l) = yaml::key_line(text, &["limits", key]) {
                d = d.at_line(l).with_source(text);
            }
            d.message = format!("limits.{key} 必须大于 0");
            return Err(d.help("例如 limits: {markdown_mb: 10, file_mb: 50}"));
        }
    }
    let notices_line = yaml::key_line(text, &["notices_column"]);
    let index_no_pattern =
        identity::check(config.identity.as_ref(), &config.disclosure, &host, text)?;
    home::check(&config.home, text)?;
    let base = config.base_url.trim_end_matches('/').to_string();
    Ok(Site {
        config,
        host,
        base,
        base_path,
        offset,
        index_no_pattern,
        notices_line,
    })
}

/// `notices_column` must name a column of the site (a folder under
/// `content/` with an `_index.md`).
pub fn check_notices_column(site: &Site, columns: &[&str]) -> Result<(), Diagnostic> {
    let Some(id) = site.config.notices_column.as_deref() else {
        return Ok(());
    };
    if columns.contains(&id) {
        return Ok(());
    }
    let mut d = Diagnostic::new(
        FILE,
        format!("notices_column 写的栏目 `{id}` 不存在（content/{id}/_index.md 不存在）"),
    )
    .help(format!(
        "改成已有的栏目目录名（{}），或删除这一行。",
        if columns.is_empty() {
            "站点还没有栏目".to_string()
        } else {
            columns.join("、")
        }
    ));
    if let Some(l) = site.notices_line {
        d = d.at_line(l);
        d.snippet = Some(format!("notices_column: {id}"));
    }
    Err(d)
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
