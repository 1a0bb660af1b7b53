//! The HTML pages: home, column lists (paginated), articles, the site map
//! (网站地图), 404 and the leave-site notices, each from its template.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::external::{leave_id, leave_rel};
use super::identity::{article_identity, page_identity, PageIdentity};
use super::model::{Item, Model, PreviewView};
use super::sink::Sink;
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
    url: String,
    canonical: String,
    /// Id of the column this page belongs to, or "".
    column: &'a str,
    /// Ids of that column and its ancestors, top-level first: the
    /// navigation marks these as the current branch.
    trail: Vec<&'a str>,
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

/// How many of a column's newest articles the HTML site map lists.
pub const SITEMAP_ITEMS: usize = 5;

/// A column block: the home page's and a parent column's sub-column
/// blocks (newest articles of the branch), or a node of the site map's
/// column tree (newest of the column's own articles, with sub-columns).
#[derive(Serialize)]
struct Section<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    description: &'a str,
    /// Published articles of the whole branch.
    count: usize,
    /// 0 for a top-level column.
    depth: usize,
    items: Vec<Item<'a>>,
    /// More articles than `items` shows.
    more: bool,
    children: Vec<Section<'a>>,
}

struct Pages<'m, 'a> {
    model: &'m Model<'a>,
    engine: &'m Engine,
    base: Context,
    body: &'m Body<'m>,
}

impl<'m, 'a> Pages<'m, 'a> {
    fn new(model: &'m Model<'a>, engine: &'m Engine, body: &'m Body<'m>) -> Self {
        let mut base = Context::new();
        base.insert("site", &site_view(model));
        Pages {
            model,
            engine,
            base,
            body,
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

    /// Breadcrumb steps for column `ci` and its ancestors, top-level first.
    fn column_trail(&self, ci: Option<usize>) -> Vec<(&'m str, String)> {
        let m = self.model;
        ci.map(|ci| m.trail(ci))
            .unwrap_or_default()
            .into_iter()
            .map(|k| (m.columns[k].column.title.as_str(), m.columns[k].url.clone()))
            .collect()
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
        let m = self.model;
        let trail = m
            .column_index(column)
            .map(|ci| {
                m.trail(ci)
                    .into_iter()
                    .map(|k| m.columns[k].column.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        PageMeta {
            kind,
            title,
            description,
            identity: page_identity(self.model, kind, column, &canonical),
            canonical,
            url,
            column,
            trail,
            preview: self.model.preview.then(PreviewView::default),
        }
    }

    /// The block of column `ci`: the newest `limit` articles of its whole
    /// branch, no sub-columns.
    fn block(&self, ci: usize, limit: usize) -> Section<'m> {
        let c = &self.model.columns[ci];
        self.section(ci, &c.branch, limit, false)
    }

    /// The site map's node of column `ci`: the newest `limit` of its own
    /// articles, and its sub-columns' nodes.
    fn tree(&self, ci: usize, limit: usize) -> Section<'m> {
        let c = &self.model.columns[ci];
        self.section(ci, &c.entries, limit, true)
    }

    fn section(&self, ci: usize, list: &[usize], limit: usize, deep: bool) -> Section<'m> {
        let m = self.model;
        let c = &m.columns[ci];
        Section {
            id: &c.column.id,
            title: &c.column.title,
            url: &c.url,
            description: &c.column.description,
            count: c.branch.len(),
            depth: c.column.depth(),
            items: list.iter().take(limit).map(|&i| m.item(i)).collect(),
            more: list.len() > limit,
            children: if deep {
                c.children.iter().map(|&k| self.tree(k, limit)).collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Indices of the published top-level columns.
    fn top_level(&self) -> impl Iterator<Item = usize> + '_ {
        let m = self.model;
        (0..m.columns.len()).filter(|&ci| m.columns[ci].parent.is_none())
    }

    fn home(&self) -> Result<OutFile, Diagnostic> {
        let m = self.model;
        let cfg = &m.site.config;
        let extra = super::home::context(m);
        let meta = self.meta("home", &cfg.name, &cfg.description, m.site.url(""), "");
        self.render("index.html", "index.html".into(), meta, Vec::new(), extra)
    }

    /// 网站声明 (`statement/`): `identity.statement` or the default text.
    fn statement(&self) -> Result<OutFile, Diagnostic> {
        let m = self.model;
        let mut extra = Context::new();
        extra.insert("blocks", &statement_blocks(m.site));
        let meta = self.meta(
            "statement",
            "网站声明",
            "本站版权、免责、隐私保护与无障碍服务说明",
            m.site.url("statement/"),
            "",
        );
        let crumbs = self.crumbs(&[("网站声明", String::new())]);
        self.render(
            "statement.html",
            "statement/index.html".into(),
            meta,
            crumbs,
            extra,
        )
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
        // A parent column shows each sub-column with its newest articles
        // (as a portal's 政府信息公开 page shows 政策文件, 规范性文件, …),
        // then its own articles, paginated.
        let subcolumns: Vec<Section> = c
            .children
            .iter()
            .map(|&k| self.block(k, m.site.config.home_per_column))
            .collect();
        let trail = self.column_trail(Some(ci));
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
                extra.insert("subcolumns", &subcolumns);
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
                let crumbs = self.crumbs(&trail);
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
        // The body is rendered again here rather than kept from the first
        // pass for every article at once (memory).
        let html = match e.html.is_empty() {
            true => (self.body)(e.article)?,
            false => e.html.clone(),
        };
        let mut view = m.article_view(i);
        view.content = &html;
        extra.insert("article", &view);
        extra.insert("prev", &prev);
        extra.insert("next", &next);
        extra.insert("column", &col.map(column_view));
        let cid = col.map(|c| c.column.id.as_str()).unwrap_or("");
        let mut trail = self.column_trail(m.column_index(cid));
        trail.push(("正文", String::new()));
        let crumbs = self.crumbs(&trail);
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
        let sections: Vec<Section> = self
            .top_level()
            .map(|ci| self.tree(ci, SITEMAP_ITEMS))
            .collect();
        let mut extra = Context::new();
        extra.insert("sections", &sections);
        extra.insert("total", &m.entries.len());
        let meta = self.meta(
            "sitemap",
            "网站地图",
            "本站栏目结构与各栏目最新信息",
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
        let mut extra = Context::new();
        extra.insert("search_index", &super::search::root_json(self.model));
        self.render("search.html", out, meta, crumbs, extra)
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

/// A paragraph or heading of the 网站声明.
#[derive(Serialize)]
struct StatementBlock {
    heading: bool,
    text: String,
}

/// The 网站声明 text: blank lines separate paragraphs, `## ` starts a heading.
fn statement_blocks(site: &crate::config::Site) -> Vec<StatementBlock> {
    let custom = site
        .config
        .identity
        .as_ref()
        .and_then(|i| i.statement.as_deref());
    let text = match custom {
        Some(t) => t.to_string(),
        None => super::identity::default_statement(site),
    };
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.strip_prefix("## ") {
            Some(h) => StatementBlock {
                heading: true,
                text: h.trim().to_string(),
            },
            None => StatementBlock {
                heading: false,
                text: p.lines().map(str::trim).collect::<Vec<_>>().join(""),
            },
        })
        .collect()
}

/// One target's section on a leave-site notice page.
#[derive(Serialize)]
struct Notice<'a> {
    id: String,
    target: &'a str,
}

/// An article's body HTML, for an entry that does not keep it; an error
/// (its text could not be read as judged) fails the page, never an empty
/// article.
pub type Body<'b> = dyn Fn(&crate::content::Article) -> Result<String, Diagnostic> + Sync + 'b;

/// Render every HTML page, in parallel, each handed to `sink` as soon as
/// it is made; the number of pages. Errors from every page are gathered
/// (and deduplicated by the caller).
pub fn render_all(
    model: &Model,
    engine: &Engine,
    body: &Body,
    sink: &dyn Sink,
) -> Result<usize, Diagnostics> {
    let pages = Pages::new(model, engine, body);
    let count = AtomicUsize::new(0);
    let errors = Mutex::new(Diagnostics::default());
    let emit = |r: Result<OutFile, Diagnostic>| match r {
        Ok(f) => {
            count.fetch_add(1, Ordering::Relaxed);
            sink.put(f);
        }
        Err(d) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(d),
    };
    for r in [
        pages.home(),
        pages.sitemap(),
        pages.search(),
        pages.not_found(),
        pages.statement(),
    ] {
        emit(r);
    }
    (0..model.columns.len())
        .into_par_iter()
        .flat_map_iter(|ci| pages.column_pages(ci))
        .for_each(emit);
    (0..model.entries.len())
        .into_par_iter()
        .map(|i| pages.article(i))
        .for_each(emit);
    let targets = model.leave_targets();
    let mut by_page: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for t in &targets {
        by_page.entry(leave_rel(t)).or_default().push(t);
    }
    by_page
        .into_par_iter()
        .map(|(rel, ts)| pages.leave(rel, &ts))
        .for_each(emit);
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if errors.is_empty() {
        Ok(count.into_inner())
    } else {
        Err(errors.sorted())
    }
}
