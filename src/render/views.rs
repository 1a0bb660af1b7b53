//! Template records shared by every page: `site` (with its columns and
//! identity) and `column`.

use serde::Serialize;

use super::identity::{site_identity, IdentityView};
use super::model::{ColumnModel, Model};

/// A published column in the navigation, with its published sub-columns.
#[derive(Serialize)]
pub struct NavColumn<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    description: &'a str,
    feed_url: String,
    /// Published articles of the whole branch.
    count: usize,
    /// 0 for a top-level column.
    depth: usize,
    children: Vec<NavColumn<'a>>,
}

/// The navigation record of `model.columns[ci]` and its sub-columns.
fn nav_column<'a>(model: &'a Model, ci: usize) -> NavColumn<'a> {
    let c = &model.columns[ci];
    NavColumn {
        id: &c.column.id,
        title: &c.column.title,
        url: &c.url,
        description: &c.column.description,
        feed_url: format!("{}feed.xml", c.url),
        count: c.branch.len(),
        depth: c.column.depth(),
        children: c.children.iter().map(|&k| nav_column(model, k)).collect(),
    }
}

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    keywords: String,
    base_url: &'a str,
    /// Host of `base_url` (SiteDomain), e.g. `www.shiliqu.gov.cn`.
    domain: &'a str,
    lang: &'a str,
    home_url: String,
    sitemap_url: String,
    /// The search page, `/search/`; its form sends `?q=…`.
    search_url: String,
    /// 网站声明, `/statement/`.
    statement_url: String,
    feed_url: String,
    assets_url: String,
    /// The published top-level columns (the main navigation), each with
    /// its published sub-columns in `children`.
    columns: Vec<NavColumn<'a>>,
    /// `identity:` of `site.yaml`, or null.
    identity: Option<IdentityView<'a>>,
    /// Full id of the commit built (`build --rev`), or "".
    commit: &'a str,
}

pub fn site_view<'a>(model: &'a Model) -> SiteView<'a> {
    let site = model.site;
    let cfg = &site.config;
    SiteView {
        name: &cfg.name,
        short_name: cfg.short_name.as_deref().unwrap_or(&cfg.name),
        description: &cfg.description,
        keywords: cfg.keywords.join(","),
        base_url: &site.base,
        domain: &site.host,
        lang: "zh-CN",
        home_url: site.url(""),
        sitemap_url: site.url("sitemap/"),
        search_url: site.url("search/"),
        statement_url: site.url("statement/"),
        feed_url: site.url("feed.xml"),
        assets_url: site.url("assets/"),
        columns: (0..model.columns.len())
            .filter(|&ci| model.columns[ci].parent.is_none())
            .map(|ci| nav_column(model, ci))
            .collect(),
        identity: site_identity(site),
        commit: &model.commit,
    }
}

/// `column` on column and article pages.
#[derive(Serialize)]
pub struct ColumnView<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    description: &'a str,
    keywords: String,
    kind: &'a str,
    feed_url: String,
    /// Published articles of the whole branch.
    count: usize,
    /// Published articles of the column itself (its list pages).
    own_count: usize,
    /// 0 for a top-level column.
    depth: usize,
}

pub fn column_view<'a>(c: &'a ColumnModel) -> ColumnView<'a> {
    ColumnView {
        id: &c.column.id,
        title: &c.column.title,
        url: &c.url,
        description: &c.column.description,
        keywords: c.column.keywords.join(","),
        kind: c.column.kind.as_deref().unwrap_or(""),
        feed_url: format!("{}feed.xml", c.url),
        count: c.branch.len(),
        own_count: c.entries.len(),
        depth: c.column.depth(),
    }
}
