//! The site's identity as templates see it (R13): `site.identity` for the
//! footer (主办/承办单位, 联系方式, 网站标识码, 备案号, 党政机关网站标识,
//! 我为政府网站找错) and the per-page fields of the standard `<head>` meta
//! tags (ColumnName … ArticleTitle, PubDate, ContentSource).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::model::Model;
use crate::config::identity::{police_code, ICP_URL, POLICE_URL};
use crate::config::Site;

/// 联系方式.
#[derive(Serialize)]
pub struct ContactView<'a> {
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
}

/// `site.identity`: `None` (null) when `site.yaml` has no `identity:`.
#[derive(Serialize)]
pub struct IdentityView<'a> {
    /// 主办单位
    pub sponsor: Option<&'a str>,
    /// 承办单位
    pub organizer: Option<&'a str>,
    pub contact: Option<ContactView<'a>>,
    /// 网站标识码
    pub site_code: Option<&'a str>,
    /// ICP备案号 and where to look it up.
    pub icp: Option<&'a str>,
    pub icp_url: &'static str,
    /// 公安机关备案号 and its record page.
    pub police: Option<&'a str>,
    pub police_url: Option<String>,
    /// Where the 党政机关网站标识 links to (only on government domains).
    pub label_url: Option<&'a str>,
    /// The label image: the one issued (`label_image`) or the theme's.
    pub label_image: String,
    /// The label script issued by 中央编办, which draws label and link.
    pub label_script: Option<&'a str>,
    /// The 公安机关备案 badge image.
    pub police_badge: String,
    /// Whether the footer shows the 适老化及无障碍 mark.
    pub accessibility_mark: bool,

    /// Whether pages carry a 我为政府网站找错 link (`page.error_report_url`).
    pub error_report: bool,
}

/// The identity block of `site.yaml` for templates.
pub fn site_identity(site: &Site) -> Option<IdentityView<'_>> {
    let id = site.config.identity.as_ref()?;
    Some(IdentityView {
        sponsor: id.sponsor.as_deref(),
        organizer: id.organizer.as_deref(),
        contact: id.contact.as_ref().map(|c| ContactView {
            phone: c.phone.as_deref(),
            email: c.email.as_deref(),
            address: c.address.as_deref(),
        }),
        site_code: id.site_code.as_deref(),
        icp: id.icp.as_deref(),
        icp_url: ICP_URL,
        police: id.police.as_deref(),
        police_url: id
            .police
            .as_deref()
            .and_then(|p| police_code(p).ok())
            .map(|code| format!("{POLICE_URL}{code}")),
        label_url: id.label_url.as_deref(),
        label_image: site.url(id.label_image.as_deref().unwrap_or("assets/gov-label.svg")),
        label_script: id.label_script.as_deref(),
        police_badge: site.url(
            id.police_badge
                .as_deref()
                .unwrap_or("assets/police-badge.svg"),
        ),
        accessibility_mark: id.accessibility_mark,

        error_report: id.error_report_url.is_some(),
    })
}

/// The 网站声明 a site gets without `identity.statement`.
pub fn default_statement(site: &Site) -> String {
    let name = &site.config.name;
    let sponsor = site
        .config
        .identity
        .as_ref()
        .and_then(|i| i.sponsor.as_deref())
        .unwrap_or(name);
    format!(
        "## 版权声明\n\n{name}门户网站所载文字、图片、音视频等信息，版权归{sponsor}及原作者所有。转载本网站原创信息，请注明来源“{name}门户网站”，不得歪曲、篡改原意。\n\n\
         ## 免责声明\n\n本网站转载的信息均注明来源，转载不代表本网站赞同其观点。本网站提供的外部链接仅为方便查阅，外部网站的内容由其开办单位负责；点击外部链接时本网站会提示您即将离开本站。\n\n\
         ## 隐私保护\n\n本网站为静态网站，不设用户注册，不使用跟踪分析脚本，不收集访问者的个人信息。长辈版、字号和朗读等设置只保存在您自己的浏览器中。\n\n\
         ## 无障碍与适老化服务\n\n本网站按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668—2019）和工业和信息化部互联网网站适老化通用设计规范建设：全部功能可用键盘操作，图片配有文字说明；页面顶部的“长辈版”提供大字号、单栏大行距版面、高对比度、大鼠标指针和语音朗读，设置在各页面间保持。\n\n\
         ## 联系我们\n\n如发现本网站信息有误或无法正常访问，请通过页面底部的联系方式或“我为政府网站找错”告诉我们。"
    )
}

/// What `encodeURIComponent` leaves alone stays; the rest is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The 我为政府网站找错 address for the page at `canonical`: `{site_code}`
/// and `{url}` filled in (percent-encoded), or appended as a query.
pub fn error_report_url(site: &Site, canonical: &str) -> String {
    let Some(id) = site.config.identity.as_ref() else {
        return String::new();
    };
    let Some(base) = id.error_report_url.as_deref() else {
        return String::new();
    };
    let code = id.site_code.as_deref().unwrap_or("");
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    if base.contains("{site_code}") || base.contains("{url}") {
        return base
            .replace("{site_code}", &enc(code))
            .replace("{url}", &enc(canonical));
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}site_code={}&url={}", enc(code), enc(canonical))
}

/// Per-page meta fields, flattened into `page`.
#[derive(Serialize, Default)]
pub struct PageIdentity {
    /// ColumnName / ColumnDescription / ColumnKeywords / ColumnType: of the
    /// page's column (首页 on the home page), empty elsewhere.
    pub column_name: String,
    pub column_description: String,
    pub column_keywords: String,
    pub column_type: String,
    /// ArticleTitle, PubDate (`YYYY-MM-DD HH:MM` when `date` gives a time,
    /// else `YYYY-MM-DD`), ContentSource: articles only.
    pub article_title: String,
    pub pub_date: String,
    pub content_source: String,
    /// Keywords: the article's own 关键词 (`keywords`, else
    /// `disclosure.keywords`), else the column's; the site's elsewhere.
    pub keywords: String,
    /// Author: the article's `author`, else its `department` (articles).
    pub author: String,
    /// Image: absolute address of the article's first image, or "".
    pub image: String,
    /// Url: the page's canonical address.
    pub page_url: String,
    /// 我为政府网站找错 for this page, or "".
    pub error_report_url: String,
}

/// The meta fields of a page of `kind` in `column` (id or "").
pub fn page_identity(model: &Model, kind: &str, column: &str, canonical: &str) -> PageIdentity {
    let site = model.site;
    let mut p = PageIdentity {
        error_report_url: error_report_url(site, canonical),
        keywords: site.config.keywords.join(","),
        page_url: canonical.to_string(),
        ..PageIdentity::default()
    };
    if kind == "home" {
        p.column_name = "首页".into();
        p.column_description = site.config.description.clone();
        p.column_keywords = site.config.keywords.join(",");
        p.column_type = "首页".into();
    } else if let Some(c) = model.columns.iter().find(|c| c.column.id == column) {
        let c = c.column;
        p.column_name = c.title.clone();
        p.column_description = c.description.clone();
        p.column_keywords = c.keywords.join(",");
        p.column_type = c.kind.clone().unwrap_or_else(|| c.title.clone());
        if !c.keywords.is_empty() {
            p.keywords = p.column_keywords.clone();
        }
    }
    p
}

/// Fill the article fields of `p` for entry `i`.
pub fn article_identity(model: &Model, i: usize, p: &mut PageIdentity) {
    let a = model.entries[i].article;
    p.article_title = a.title.clone();
    p.pub_date = crate::dates::published_shown(a);
    p.content_source = a
        .source
        .as_ref()
        .map(|s| s.name.as_str())
        .or(a.department.as_deref())
        .unwrap_or(&model.site.config.name)
        .to_string();
    let own = if a.keywords.is_empty() {
        a.disclosure
            .as_ref()
            .map(|d| &d.keywords)
            .filter(|k| !k.is_empty())
    } else {
        Some(&a.keywords)
    };
    if let Some(k) = own {
        p.keywords = k.join(",");
    } else if !p.column_keywords.is_empty() {
        p.keywords = p.column_keywords.clone();
    }
    p.author = a
        .author
        .as_deref()
        .or(a.department.as_deref())
        .unwrap_or_default()
        .to_string();
    p.image = model.entries[i]
        .image
        .as_deref()
        .map(|img| absolute_address(model.site, img))
        .unwrap_or_default();
}

/// An image address as written in the page (`/news/images/a.png` or a
/// full address) made absolute.
pub fn absolute_address(site: &Site, src: &str) -> String {
    if src.starts_with('/') && !src.starts_with("//") {
        site.absolute(src)
    } else {
        src.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_report_placeholders_and_query() {
        let yaml = "name: 示例区人民政府\nbase_url: https://www.shiliqu.gov.cn\nidentity:\n  site_code: \"3401990001\"\n  error_report_url: \"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}\"\n";
        let site = crate::config::parse(yaml).unwrap();
        assert_eq!(
            error_report_url(&site, "https://www.shiliqu.gov.cn/news/"),
            "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3401990001&url=https%3A%2F%2Fwww.shiliqu.gov.cn%2Fnews%2F"
        );
        let plain = yaml.replace("?site_code={site_code}&url={url}", "");
        let site = crate::config::parse(&plain).unwrap();
        assert!(error_report_url(&site, "https://a.gov.cn/")
            .ends_with("jiucuo.html?site_code=3401990001&url=https%3A%2F%2Fa.gov.cn%2F"));
    }
}
