//! The HTML pages: home, column lists (paginated), articles, the site map
//! (网站地图), 404 and the leave-site notices, each from its template.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::external::{leave_id, leave_rel};
use super::identity::{article_identity, page_identity, PageIdentity};
use super::model::{Item, Model, PreviewView};
use super::templates::Engine;
use super::views::{column_view, site_view};
use crate::diag::{Diagnostic, Diagnostics};

/// One file of the output, by path relative to the output root.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    /// home, column, article, sitemap, search, 404, leave
    kind: &'a str,
    title: &'a str,
    description: &'a str,
    keywords: String,
    url: String,
    canonical: String,
    /// Id of the column this page belongs to, or "".
    column: &'a str,
    /// Meta tag fields (column_name, …, pub_date) and error_report_url.
    #[serde(flatten)]
    identity: PageIdentity,
    /// Null in a real build; in the preview, whether the page is a held
    /// article's and why (the 「未发布：待审核」 banner).
    preview: Option<PreviewView>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: String,
    next: String,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct Section<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    description: &'a str,
    items: Vec<Item<'a>>,
}

struct Pages<'m, 'a> {
    model: &'m Model<'a>,
    engine: &'m Engine,
    base: Context,
}

impl<'m, 'a> Pages<'m, 'a> {
    fn new(model: &'m Model<'a>, engine: &'m Engine) -> Self {
        let mut base = Context::new();
        base.insert("site", &site_view(model));
        Pages {
            model,
            engine,
            base,
        }
    }

    fn crumbs(&self, trail: &[(&'m str, String)]) -> Vec<Crumb<'m>> {
        let mut out = vec![Crumb {
            title: "首页",
            url: self.model.site.url(""),
        }];
        out.extend(trail.iter().map(|(t, u)| Crumb {
            title: t,
            url: u.clone(),
        }));
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        template: &str,
        out: String,
        meta: PageMeta,
        crumbs: Vec<Crumb>,
        extra: Context,
    ) -> Result<OutFile, Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert("page", &meta);
        ctx.insert("breadcrumbs", &crumbs);
        ctx.extend(extra);
        let html = self.engine.render(template, &ctx)?;
        Ok(OutFile {
            path: out,
            bytes: html.into_bytes(),
        })
    }

    fn meta(
        &self,
        kind: &'m str,
        title: &'m str,
        description: &'m str,
        url: String,
        column: &'m str,
    ) -> PageMeta<'m> {
        let canonical = self.model.site.absolute(&url);
        PageMeta {
            kind,
            title,
            description,
            keywords: self.model.site.config.keywords.join(","),
            identity: page_identity(self.model, kind, column, &canonical),
            canonical,
            url,
            column,
            preview: self.model.preview.then(PreviewView::default),
        }
    }

    /// Every column with its items, all of them or the first `limit`.
    fn sections(&self, limit: Option<usize>) -> Vec<Section<'m>> {
        let m = self.model;
        m.columns
            .iter()
            .map(|c| Section {
                id: &c.column.id,
                title: &c.column.title,
                url: &c.url,
                description: &c.column.description,
                items: c
                    .entries
                    .iter()
                    .take(limit.unwrap_or(usize::MAX))
                    .map(|&i| m.item(i))
                    .collect(),
            })
            .collect()
    }

    fn home(&self) -> Result<OutFile, Diagnostic> {
        let m = self.model;
        let cfg = &m.site.config;
        let sections = self.sections(Some(cfg.home_per_column));
        let notices: Vec<Item> = cfg
            .notices_column
            .as_deref()
            .and_then(|id| m.columns.iter().find(|c| c.column.id == id))
            .map(|c| {
                c.entries
                    .iter()
                    .take(cfg.home_per_column)
                    .map(|&i| m.item(i))
                    .collect()
            })
            .unwrap_or_default();
        let latest: Vec<Item> = m.newest.iter().take(10).map(|&i| m.item(i)).collect();
        let mut extra = Context::new();
        extra.insert("sections", &sections);
        extra.insert("notices", &notices);
        extra.insert("latest", &latest);
        let meta = self.meta("home", &cfg.name, &cfg.description, m.site.url(""), "");
        self.render("index.html", "index.html".into(), meta, Vec::new(), extra)
    }

    fn column_pages(&self, ci: usize) -> Vec<Result<OutFile, Diagnostic>> {
        let m = self.model;
        let c = &m.columns[ci];
        let per = m.site.config.per_page;
        let total = c.entries.len().div_ceil(per).max(1);
        let page_url = |n: usize| {
            if n == 1 {
                c.url.clone()
            } else {
                format!("{}page/{n}/", c.url)
            }
        };
        (1..=total)
            .map(|n| {
                let items: Vec<Item> = c
                    .entries
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .map(|&i| m.item(i))
                    .collect();
                let pagination = Pagination {
                    current: n,
                    total,
                    prev: if n > 1 {
                        page_url(n - 1)
                    } else {
                        String::new()
                    },
                    next: if n < total {
                        page_url(n + 1)
                    } else {
                        String::new()
                    },
                    pages: (1..=total)
                        .map(|k| PageLink {
                            number: k,
                            url: page_url(k),
                            current: k == n,
                        })
                        .collect(),
                };
                let mut extra = Context::new();
                extra.insert("column", &column_view(c));
                extra.insert("intro", &c.column.intro.trim());
                extra.insert("items", &items);
                extra.insert("pagination", &pagination);
                let out = if n == 1 {
                    format!("{}/index.html", c.column.id)
                } else {
                    format!("{}/page/{n}/index.html", c.column.id)
                };
                let meta = self.meta(
                    "column",
                    &c.column.title,
                    &c.column.description,
                    page_url(n),
                    &c.column.id,
                );
                let crumbs = self.crumbs(&[(c.column.title.as_str(), c.url.clone())]);
                self.render("column.html", out, meta, crumbs, extra)
            })
            .collect()
    }

    fn article(&self, i: usize) -> Result<OutFile, Diagnostic> {
        let m = self.model;
        let e = &m.entries[i];
        let col = m.column_of(i);
        let (prev, next) = match col {
            Some(c) => {
                let pos = m.position[i];
                (
                    pos.checked_sub(1).map(|p| m.item(c.entries[p])),
                    c.entries.get(pos + 1).map(|&n| m.item(n)),
                )
            }
            None => (None, None),
        };
        let mut extra = Context::new();
        extra.insert("article", &m.article_view(i));
        extra.insert("prev", &prev);
        extra.insert("next", &next);
        extra.insert("column", &col.map(column_view));
        let (ctitle, curl, cid) = col
            .map(|c| (c.column.title.as_str(), c.url.clone(), c.column.id.as_str()))
            .unwrap_or(("", String::new(), ""));
        let crumbs = self.crumbs(&[(ctitle, curl), ("正文", String::new())]);
        let mut meta = self.meta("article", &e.article.title, &e.summary, e.url.clone(), cid);
        article_identity(m, i, &mut meta.identity);
        if let (Some(p), Some(reasons)) = (meta.preview.as_mut(), e.held.as_ref()) {
            p.held = true;
            p.reasons = reasons.clone();
        }
        self.render(
            "article.html",
            format!("{}index.html", e.article.rel_url),
            meta,
            crumbs,
            extra,
        )
    }

    fn sitemap(&self) -> Result<OutFile, Diagnostic> {
        let m = self.model;
        let sections = self.sections(None);
        let mut extra = Context::new();
        extra.insert("sections", &sections);
        let meta = self.meta(
            "sitemap",
            "网站地图",
            "本站全部栏目与文章",
            m.site.url("sitemap/"),
            "",
        );
        let crumbs = self.crumbs(&[("网站地图", String::new())]);
        self.render(
            "sitemap.html",
            "sitemap/index.html".into(),
            meta,
            crumbs,
            extra,
        )
    }

    /// The search page (站内搜索, R21): results are filled in by
    /// `assets/search.js` from the files of [`super::search`].
    fn search(&self) -> Result<OutFile, Diagnostic> {
        let meta = self.meta(
            "search",
            "站内搜索",
            "搜索本站已发布的全部文章",
            self.model.site.url("search/"),
            "",
        );
        let crumbs = self.crumbs(&[("站内搜索", String::new())]);
        let out = "search/index.html".to_string();
        self.render("search.html", out, meta, crumbs, Context::new())
    }

    fn not_found(&self) -> Result<OutFile, Diagnostic> {
        let meta = self.meta(
            "404",
            "页面未找到",
            "您访问的页面不存在或已删除",
            self.model.site.url("404.html"),
            "",
        );
        let crumbs = self.crumbs(&[("页面未找到", String::new())]);
        self.render("404.html", "404.html".into(), meta, crumbs, Context::new())
    }

    /// A leave-site notice page (R11), `leave/<xx>.html`: one section
    /// `id="l-<hash>"` per target of `targets`, in order.
    fn leave(&self, rel: String, targets: &[&str]) -> Result<OutFile, Diagnostic> {
        let url = self.model.site.url(&rel);
        let meta = self.meta("leave", "即将离开本站", "访问外部网站提示", url, "");
        let crumbs = self.crumbs(&[("即将离开本站", String::new())]);
        let notices: Vec<Notice> = targets
            .iter()
            .map(|t| Notice {
                id: leave_id(t),
                target: t,
            })
            .collect();
        let mut extra = Context::new();
        extra.insert("notices", &notices);
        self.render("leave.html", rel, meta, crumbs, extra)
    }
}

/// One target's section on a leave-site notice page.
#[derive(Serialize)]
struct Notice<'a> {
    id: String,
    target: &'a str,
}

/// Render every HTML page, in parallel. Errors from every page are
/// gathered (and deduplicated by the caller).
pub fn render_all(model: &Model, engine: &Engine) -> Result<Vec<OutFile>, Diagnostics> {
    let pages = Pages::new(model, engine);
    let mut results: Vec<Result<OutFile, Diagnostic>> = vec![
        pages.home(),
        pages.sitemap(),
        pages.search(),
        pages.not_found(),
    ];
    results.extend(
        (0..model.columns.len())
            .into_par_iter()
            .flat_map_iter(|ci| pages.column_pages(ci))
            .collect::<Vec<_>>(),
    );
    results.extend(
        (0..model.entries.len())
            .into_par_iter()
            .map(|i| pages.article(i))
            .collect::<Vec<_>>(),
    );
    let targets = model.leave_targets();
    let mut by_page: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for t in &targets {
        by_page.entry(leave_rel(t)).or_default().push(t);
    }
    results.par_extend(
        by_page
            .into_par_iter()
            .map(|(rel, ts)| pages.leave(rel, &ts)),
    );
    let mut errors = Diagnostics::default();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors.sorted())
    }
}
