//! `identity:` and `disclosure:` of `site.yaml` (R13, R20): who runs the
//! site (主办/承办单位, 联系方式), its registrations (网站标识码, ICP 备案号,
//! 公安机关备案号), the 党政机关网站标识 and the 我为政府网站找错 link; and
//! the 索引号 pattern. Checked here so that a wrong value stops the build
//! with the line and the fix.

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::gate::host_matches;
use crate::gate::yaml::{self, opt_text};

/// Domains a 党政机关网站 must use (中网办发文〔2014〕1号 二).
pub const GOVERNMENT_DOMAINS: &[&str] = &["*.gov.cn", "*.政务.cn", "*.政务"];

/// Province abbreviations that start an ICP or 公安 record number.
const PROVINCES: &str = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕秦甘陇青宁新";

/// Where readers look up an ICP record.
pub const ICP_URL: &str = "https://beian.miit.gov.cn/";
/// Where readers look up a 公安机关 record; the 14 digits are appended.
pub const POLICE_URL: &str = "https://beian.mps.gov.cn/#/query/webSearch?code=";

/// 联系方式.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// 联系电话, e.g. `0551-12345678`.
    #[serde(default, deserialize_with = "opt_text")]
    pub phone: Option<String>,
    /// 电子邮箱.
    #[serde(default)]
    pub email: Option<String>,
    /// 通信地址.
    #[serde(default)]
    pub address: Option<String>,
}

/// `identity:` — the site's identity shown in every page footer and in the
/// `<head>` meta tags. Every field is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// 主办单位, e.g. 示例区人民政府办公室.
    #[serde(default)]
    pub sponsor: Option<String>,
    /// 承办单位, e.g. 示例区数据资源管理局.
    #[serde(default)]
    pub organizer: Option<String>,
    /// 联系方式.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// 网站标识码: 6-digit 行政区划代码 + 4 digits, or `bm` + 8 digits.
    #[serde(default, deserialize_with = "opt_text")]
    pub site_code: Option<String>,
    /// ICP备案号, e.g. `皖ICP备12345678号-1`; linked to beian.miit.gov.cn.
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. `皖公网安备 34010402000123号`.
    #[serde(default)]
    pub police: Option<String>,
    /// 党政机关网站标识: the page the red label links to (开办单位 page at
    /// bszs.conac.cn). Only allowed on a government domain.
    #[serde(default)]
    pub label_url: Option<String>,
    /// The label image issued to the site, a path under `static/`
    /// (e.g. `/conac/label.png`); default: the theme's drawing.
    #[serde(default)]
    pub label_image: Option<String>,
    /// The label script issued by 中央编办 (`https://dcs.conac.cn/js/…`):
    /// replaces the image and its link.
    #[serde(default)]
    pub label_script: Option<String>,
    /// The 公安机关备案 badge image, a path under `static/`; default: the
    /// theme's small emblem.
    #[serde(default)]
    pub police_badge: Option<String>,
    /// Whether the footer shows the 适老化及无障碍 mark (default yes).
    #[serde(default = "yes")]
    pub accessibility_mark: bool,
    /// 网站声明 text (paragraphs separated by blank lines, `## ` starts a
    /// heading); default: a standard statement naming the site.
    #[serde(default)]
    pub statement: Option<String>,
    /// 我为政府网站找错: address with `{site_code}` and `{url}` placeholders;
    /// without placeholders `?site_code=…&url=…` is appended.
    #[serde(default)]
    pub error_report_url: Option<String>,
}

fn yes() -> bool {
    true
}

/// Hosts the 党政机关网站标识 script may come from (中央编办 开办单位 service).
const LABEL_SCRIPT_HOSTS: &[&str] = &["conac.cn", "*.conac.cn"];

/// `disclosure:` — settings for 政府信息公开 metadata.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    /// Regular expression every published article's `disclosure.index_no`
    /// (索引号) must match.
    #[serde(default)]
    pub index_no_pattern: Option<String>,
}

/// Whether `host` ends in .gov.cn, .政务.cn or .政务 (Unicode or punycode).
pub fn is_government_host(host: &str) -> bool {
    GOVERNMENT_DOMAINS.iter().any(|p| host_matches(host, p))
}

/// Why a 网站标识码 is malformed, if it is.
pub fn site_code_problem(code: &str) -> Option<String> {
    let n = code.chars().count();
    if let Some(rest) = code.strip_prefix("bm") {
        if rest.len() != 8 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!(
                "部门网站的标识码应为 bm 加 8 位数字，这里 bm 之后是“{rest}”"
            ));
        }
        return None;
    }
    if n != 10 {
        return Some(format!("应为 10 位，这里是 {n} 位"));
    }
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some("除部门网站的 bm 开头外，只能由数字组成".into());
    }
    None
}

/// Split `皖ICP备…` / `皖公网安备…` into (province, rest after `marker`).
fn after_marker<'a>(value: &'a str, marker: &str, what: &str) -> Result<&'a str, String> {
    let mut chars = value.chars();
    let first = chars.next().unwrap_or(' ');
    if !PROVINCES.contains(first) {
        return Err(format!(
            "应以省份简称（如 皖、京、沪）开头，这里是“{first}”"
        ));
    }
    chars
        .as_str()
        .strip_prefix(marker)
        .ok_or_else(|| format!("省份简称之后应为“{marker}”，{what}"))
}

/// Why an ICP备案号 is malformed, if it is.
pub fn icp_problem(icp: &str) -> Option<String> {
    let rest = match after_marker(icp.trim(), "ICP备", "ICP 须为大写") {
        Ok(r) => r,
        Err(e) => return Some(e),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !(6..=10).contains(&digits.len()) {
        return Some(format!(
            "“ICP备”之后应为 6 到 10 位数字，这里是 {} 位",
            digits.len()
        ));
    }
    let Some(tail) = rest[digits.len()..].strip_prefix('号') else {
        return Some("数字之后应以“号”结尾".into());
    };
    match tail.strip_prefix('-') {
        None if tail.is_empty() => None,
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => None,
        _ => Some(format!("“号”之后只能是 -序号（如 -1），这里是“{tail}”")),
    }
}

/// The 14 digits of a 公安机关备案号, or why it is malformed.
pub fn police_code(police: &str) -> Result<String, String> {
    let rest = after_marker(police.trim(), "公网安备", "例如 皖公网安备")?;
    let rest = rest.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 14 {
        return Err(format!(
            "“公网安备”之后应为 14 位数字，这里是 {} 位",
            digits.len()
        ));
    }
    if &rest[digits.len()..] != "号" {
        return Err("14 位数字之后应以“号”结尾".into());
    }
    Ok(digits)
}

/// Check `identity` and `disclosure` against the text of `site.yaml`;
/// `host` is the host of `base_url`.
pub fn check(
    identity: Option<&Identity>,
    disclosure: &DisclosureConfig,
    host: &str,
    text: &str,
) -> Result<Option<regex::Regex>, Diagnostic> {
    let at = |key: &str, message: String, help: &str| {
        let d = Diagnostic::new(super::FILE, message).help(help);
        let path: &[&str] = match key {
            "index_no_pattern" => &["disclosure", key],
            "phone" | "email" | "address" => &["identity", "contact", key],
            _ => &["identity", key],
        };
        match yaml::key_line(text, path) {
            Some(l) => d.at_line(l).with_source(text),
            None => d,
        }
    };
    let web = |v: &str| {
        url::Url::parse(v)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
    };
    if let Some(id) = identity {
        let label_key = [
            ("label_url", id.label_url.is_some()),
            ("label_image", id.label_image.is_some()),
            ("label_script", id.label_script.is_some()),
        ]
        .into_iter()
        .find_map(|(k, set)| set.then_some(k));
        if let Some(key) = label_key {
            if !is_government_host(host) {
                return Err(at(
                    key,
                    format!(
                        "非党政机关网站不得使用党政机关网站标识：base_url 的域名 {host} 不以 .gov.cn、.政务.cn 或 .政务 结尾"
                    ),
                    "删除 identity 中的 label_url、label_image、label_script；党政机关网站须使用以 .gov.cn、.政务.cn 或 .政务 结尾的域名，并把 base_url 改为该域名。",
                ));
            }
        }
        if let Some(script) = &id.label_script {
            let ok = url::Url::parse(script).ok().is_some_and(|u| {
                u.scheme() == "https"
                    && u.host_str()
                        .is_some_and(|h| LABEL_SCRIPT_HOSTS.iter().any(|p| host_matches(h, p)))
            });
            if !ok {
                return Err(at(
                    "label_script",
                    format!("label_script 不是中央编办发放的标识脚本地址：{script}"),
                    "照开办单位信息页给出的代码填写脚本地址，应以 https:// 开头、域名为 conac.cn，例如 label_script: \"https://dcs.conac.cn/js/34/000/0000/00000000/CA340000000000000000.js\"；不用脚本时删除这一行。",
                ));
            }
        }
        if id.label_image.is_some() && id.label_url.is_none() && id.label_script.is_none() {
            return Err(at(
                "label_image",
                "label_image 需要与 label_url 一起使用：党政机关网站标识必须链接到本站的开办单位信息页".into(),
                "加上 label_url: \"https://bszs.conac.cn/sitename?method=show&id=…\"，或删除 label_image。",
            ));
        }
        for (key, path) in [
            ("label_image", &id.label_image),
            ("police_badge", &id.police_badge),
        ] {
            if let Some(why) = path.as_deref().and_then(super::home::static_image_problem) {
                return Err(at(
                    key,
                    format!(
                        "{key} 不是 static/ 下的图片：{}（{why}）",
                        path.as_deref().unwrap_or("")
                    ),
                    "把图片放在 static/ 下（如 static/conac/label.png），写成 /conac/label.png",
                ));
            }
        }
        if id.police_badge.is_some() && id.police.is_none() {
            return Err(at(
                "police_badge",
                "police_badge 需要与公安机关备案号 police 一起使用".into(),
                "加上 police: 皖公网安备 34010402000123号，或删除 police_badge。",
            ));
        }
        if id.statement.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(at(
                "statement",
                "网站声明 statement 为空".into(),
                "写上网站声明全文，或删除 statement 一行使用默认声明。",
            ));
        }
        if let Some(label) = &id.label_url {
            if !is_government_host(host) {
                return Err(at(
                    "label_url",
                    format!(
                        "非党政机关网站不得使用党政机关网站标识：base_url 的域名 {host} 不以 .gov.cn、.政务.cn 或 .政务 结尾"
                    ),
                    "删除 identity 中的 label_url 一行；党政机关网站须使用以 .gov.cn、.政务.cn 或 .政务 结尾的域名，并把 base_url 改为该域名。",
                ));
            }
            if !web(label) {
                return Err(at(
                    "label_url",
                    format!("label_url 不是有效的网址：{label}"),
                    "写成开办单位信息页的完整网址，例如 label_url: \"https://bszs.conac.cn/sitename?method=show&id=…\"",
                ));
            }
        }
        if let Some(code) = &id.site_code {
            if let Some(why) = site_code_problem(code) {
                return Err(at(
                    "site_code",
                    format!("网站标识码格式错误：{code}（{why}）"),
                    "网站标识码为 10 位：6 位行政区划代码加 4 位数字（如 site_code: \"3401990001\"），部门网站为 bm 加 8 位数字（如 \"bm12000001\"）。",
                ));
            }
        }
        if let Some(icp) = &id.icp {
            if let Some(why) = icp_problem(icp) {
                return Err(at(
                    "icp",
                    format!("ICP 备案号格式错误：{icp}（{why}）"),
                    "照工业和信息化部备案系统中的写法填写，例如 icp: 皖ICP备12345678号-1",
                ));
            }
        }
        if let Some(police) = &id.police {
            if let Err(why) = police_code(police) {
                return Err(at(
                    "police",
                    format!("公安机关备案号格式错误：{police}（{why}）"),
                    "照公安机关备案证明填写，例如 police: 皖公网安备 34010402000123号",
                ));
            }
        }
        if let Some(url) = &id.error_report_url {
            if !web(&url.replace(['{', '}'], "")) {
                return Err(at(
                    "error_report_url",
                    format!("error_report_url 不是有效的网址：{url}"),
                    "例如 error_report_url: \"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}\"",
                ));
            }
        }
    }
    match &disclosure.index_no_pattern {
        None => Ok(None),
        Some(p) => regex::Regex::new(p).map(Some).map_err(|e| {
            let why = e.to_string();
            let why = why.lines().last().unwrap_or("").trim();
            at(
                "index_no_pattern",
                format!("index_no_pattern 不是有效的正则表达式：{why}"),
                "例如 index_no_pattern: \"^[0-9A-Z]{18}/\\\\d{4}-\\\\d{5}$\"（YAML 双引号中的反斜杠要写两个）",
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn government_hosts_in_unicode_and_punycode() {
        assert!(is_government_host("www.shiliqu.gov.cn"));
        assert!(is_government_host("www.xn--fiq06l2rdsvs.xn--zfr164b"));
        assert!(is_government_host("www.示例.政务.cn"));
        assert!(!is_government_host("www.example.com"));
        assert!(!is_government_host("gov.cn.example.com"));
    }

    #[test]
    fn site_codes() {
        assert_eq!(site_code_problem("3401990001"), None);
        assert_eq!(site_code_problem("bm12000001"), None);
        assert!(site_code_problem("340199001").is_some());
        assert!(site_code_problem("34019900a1").is_some());
        assert!(site_code_problem("bm1200001").is_some());
    }

    #[test]
    fn icp_numbers() {
        assert_eq!(icp_problem("皖ICP备12345678号"), None);
        assert_eq!(icp_problem("皖ICP备00000000号-1"), None);
        assert!(icp_problem("ICP备12345678号").is_some());
        assert!(icp_problem("皖icp备12345678号").is_some());
        assert!(icp_problem("皖ICP备1234号").is_some());
        assert!(icp_problem("皖ICP备12345678").is_some());
        assert!(icp_problem("皖ICP备12345678号-").is_some());
    }

    #[test]
    fn police_numbers() {
        assert_eq!(
            police_code("皖公网安备 34010402000123号").as_deref(),
            Ok("34010402000123")
        );
        assert!(police_code("皖公网安备34010402000123号").is_ok());
        assert!(police_code("皖公网安备 3401040200012号").is_err());
        assert!(police_code("公网安备 34010402000123号").is_err());
        assert!(police_code("皖公网安备 34010402000123").is_err());
    }
}
