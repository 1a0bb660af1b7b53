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
    /// The label image in the theme's assets.
    pub label_image: String,
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
        label_image: site.url("assets/gov-label.svg"),
        error_report: id.error_report_url.is_some(),
    })
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
    /// 我为政府网站找错 for this page, or "".
    pub error_report_url: String,
}

/// The meta fields of a page of `kind` in `column` (id or "").
pub fn page_identity(model: &Model, kind: &str, column: &str, canonical: &str) -> PageIdentity {
    let site = model.site;
    let mut p = PageIdentity {
        error_report_url: error_report_url(site, canonical),
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
