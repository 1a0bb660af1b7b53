//! `home:` of `site.yaml`: the home page blocks a district portal needs
//! beyond its columns (国办发〔2017〕47号, 19号 互动回应): 图片新闻, the
//! office's 互动交流 and 政务服务 entrances and its 政务新媒体 accounts.
//! Part of the frame (root-signed with `site.yaml`); checked here so a
//! wrong entry stops the build with its line and the fix.

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::gate::yaml;

/// One named link: 区长信箱, 12345 热线, 依申请公开, 网上办事大厅 ….
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entrance {
    /// What readers see, e.g. 区长信箱.
    pub name: String,
    /// A full address (`https://…`) or a path on this site (`/disclosure/`).
    pub url: String,
    /// One short line under the name, e.g. 工作日 24 小时内答复.
    #[serde(default)]
    pub note: Option<String>,
}

/// One 政务新媒体 account: its name, platform and QR code image.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMedia {
    /// Account name, e.g. 示例区发布.
    pub name: String,
    /// Platform, e.g. 微信公众号, 微博, 抖音.
    pub platform: String,
    /// The QR code image: a path under `static/`, e.g. `/new-media/weixin.svg`.
    pub qr: String,
}

/// `home:` — every block is optional; without `home:` the home page shows
/// 图片新闻 (when featured articles exist), 要闻, 通知公告 and the columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    /// How many `featured: true` articles with an image 图片新闻 shows
    /// (0 hides the block).
    #[serde(default = "default_focus")]
    pub focus: usize,
    /// 互动交流: 区长信箱, 12345 热线, 在线咨询, 征集调查 ….
    #[serde(default)]
    pub interaction: Vec<Entrance>,
    /// 政务服务: 网上办事大厅, 依申请公开, 办事指南 ….
    #[serde(default)]
    pub services: Vec<Entrance>,
    /// 政务新媒体 accounts with their QR codes.
    #[serde(default)]
    pub new_media: Vec<NewMedia>,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            focus: default_focus(),
            interaction: Vec::new(),
            services: Vec::new(),
            new_media: Vec::new(),
        }
    }
}

fn default_focus() -> usize {
    4
}

/// Image types a QR code or label image may have.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// Why `path` is not the site path of an image under `static/`, if it is not.
pub fn static_image_problem(path: &str) -> Option<String> {
    let Some(rel) = path.strip_prefix('/') else {
        return Some("应以 / 开头，写成 static/ 下的路径，例如 /new-media/weixin.png".into());
    };
    if rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || rel.contains(['\\', '?', '#'])
    {
        return Some("路径不能为空、不能含 //、.. 、\\ 、? 或 #".into());
    }
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if !rel.contains('.') || !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Some(format!("应为图片文件（{}）", IMAGE_EXTENSIONS.join("、")));
    }
    None
}

/// Whether `url` is a full web address or a path on this site.
pub fn link_ok(url: &str) -> bool {
    let u = url.trim();
    if u.starts_with('/') {
        return !u.starts_with("//") && !u.contains(char::is_whitespace);
    }
    url::Url::parse(u)
        .ok()
        .is_some_and(|p| matches!(p.scheme(), "http" | "https") && p.host_str().is_some())
}

/// Check `home:` against the text of `site.yaml`.
pub fn check(home: &Home, text: &str) -> Result<(), Diagnostic> {
    let at = |path: &[&str], message: String, help: &str| {
        let d = Diagnostic::new(super::FILE, message).help(help);
        match yaml::key_line(text, path).or_else(|| yaml::key_line(text, &path[..2])) {
            Some(l) => d.at_line(l).with_source(text),
            None => d,
        }
    };
    for (key, what, list) in [
        ("interaction", "互动交流", &home.interaction),
        ("services", "政务服务", &home.services),
    ] {
        for (i, e) in list.iter().enumerate() {
            if e.name.trim().is_empty() {
                return Err(at(
                    &["home", key],
                    format!("home.{key}（{what}）第 {} 项的 name 为空", i + 1),
                    "写上读者看到的名称，例如 name: 区长信箱",
                ));
            }
            if !link_ok(&e.url) {
                return Err(at(
                    &["home", key],
                    format!("home.{key}（{what}）中“{}”的网址无效：{}", e.name, e.url),
                    "写成完整网址（https://…）或本站路径（以 / 开头，例如 /disclosure/）",
                ));
            }
        }
    }
    for (i, m) in home.new_media.iter().enumerate() {
        if m.name.trim().is_empty() || m.platform.trim().is_empty() {
            return Err(at(
                &["home", "new_media"],
                format!(
                    "home.new_media（政务新媒体）第 {} 项缺少 name 或 platform",
                    i + 1
                ),
                "例如 - {name: 示例区发布, platform: 微信公众号, qr: /new-media/weixin.svg}",
            ));
        }
        if let Some(why) = static_image_problem(&m.qr) {
            return Err(at(
                &["home", "new_media"],
                format!("home.new_media 中“{}”的二维码 qr 无效：{}（{why}）", m.name, m.qr),
                "把二维码图片放在 static/ 下（如 static/new-media/weixin.png），写成 qr: /new-media/weixin.png",
            ));
        }
    }
    Ok(())
}

/// A `static/` image named in `site.yaml` that the build did not find:
/// the frame is incomplete, so the build stops.
pub fn missing_static(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        super::FILE,
        format!("site.yaml 的 {key} 指向的图片不存在：static{path}"),
    )
    .help(format!(
        "把图片放到 static{path}（网站框架文件，需用根密钥重新签署），或改正 {key} 中的路径。"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_images() {
        assert_eq!(static_image_problem("/new-media/weixin.png"), None);
        assert_eq!(static_image_problem("/qr.SVG"), None);
        assert!(static_image_problem("new-media/weixin.png").is_some());
        assert!(static_image_problem("/../x.png").is_some());
        assert!(static_image_problem("//cdn.example.com/x.png").is_some());
        assert!(static_image_problem("/x.exe").is_some());
        assert!(static_image_problem("/x").is_some());
    }

    #[test]
    fn links() {
        assert!(link_ok("https://www.shiliqu.gov.cn/mail/"));
        assert!(link_ok("/disclosure/"));
        assert!(!link_ok("//evil.example.com/"));
        assert!(!link_ok("javascript:alert(1)"));
        assert!(!link_ok("www.example.com"));
    }
}
