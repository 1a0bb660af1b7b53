//! The internal check: relative links against the content, site paths
//! against the files a build writes — the renderer's own output (home,
//! columns and their pages, articles, site map, search page and index,
//! feeds, leave-site notices, theme and static files, used assets), never a
//! list kept by hand.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::inventory::{Link, LinkKind};
use crate::config::Site;
use crate::content::{Content, Tree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::progress::Silent;
use crate::publish::Decision;
use crate::render::markdown::resolve;
use crate::render::preview::{Render, RenderMode};
use crate::render::site::render_site;
use crate::render::templates::Engine;
use crate::render::OutFile;
use crate::theme;

/// Every site path (`/news/a/`, `/assets/style.css`) a build writes,
/// percent-decoded.
#[derive(Debug, Clone, Default)]
pub struct SiteUrls {
    paths: BTreeSet<String>,
}

impl SiteUrls {
    /// The site paths of the files a render wrote (`news/a/index.html` is
    /// also `/news/a/`).
    pub fn of_files(site: &crate::config::Site, files: &[OutFile]) -> SiteUrls {
        let mut paths = BTreeSet::new();
        for f in files {
            paths.insert(site.url(&f.path));
            if let Some(dir) = f.path.strip_suffix("index.html") {
                paths.insert(site.url(dir));
            }
        }
        SiteUrls { paths }
    }

    /// The URLs a build of `content` with `decisions` writes, rendered in
    /// memory. A published article whose body cannot be rendered (a
    /// broken link, which the check reports) is left out of the render
    /// and its page counted as written.
    pub fn render(
        tree: &dyn Tree,
        site: &Site,
        content: &Content,
        decisions: &[Decision],
        commit: Option<&str>,
    ) -> Result<SiteUrls, Diagnostic> {
        let theme = theme::load(tree, &site.config.theme)?;
        let engine = Engine::new(&theme).map_err(first)?;
        let how = Render {
            mode: RenderMode::Publish,
            progress: &Silent,
            texts: crate::render::texts::Texts::Held,
        };
        let render = |decisions: &[Decision]| {
            render_site(
                tree, site, content, decisions, &theme, &engine, commit, &how,
            )
        };
        match render(decisions) {
            Ok((files, _, _)) => Ok(SiteUrls::of_files(site, &files)),
            Err(errors) => {
                let broken: BTreeSet<&str> = errors.0.iter().map(|d| d.file.as_str()).collect();
                let mut decisions = decisions.to_vec();
                let mut pages = Vec::new();
                for (a, d) in content.articles.iter().zip(decisions.iter_mut()) {
                    if d.publish && broken.contains(a.file.as_str()) {
                        d.publish = false;
                        pages.push(site.url(&a.rel_url));
                    }
                }
                if pages.is_empty() {
                    return Err(first(errors));
                }
                let (files, _, _) = render(&decisions).map_err(first)?;
                let mut urls = SiteUrls::of_files(site, &files);
                urls.paths.extend(pages);
                Ok(urls)
            }
        }
    }

    /// Whether a site path (as written: encoded, with query or fragment,
    /// `index.html` or no trailing slash) is produced by the build.
    pub fn contains(&self, path: &str) -> bool {
        forms(path).iter().any(|p| self.paths.contains(p))
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// The forms under which a site path (as written: encoded, with query or
/// fragment, `index.html` or no trailing slash) can be written by a
/// build: `/news/a`, `/news/a/`, and for `…/index.html` its folder.
fn forms(path: &str) -> Vec<String> {
    let p = path.split(['#', '?']).next().unwrap_or("");
    let p = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
    let Some(norm) = resolve("", &p) else {
        return Vec::new();
    };
    let mut out = vec![format!("/{norm}"), format!("/{norm}/").replace("//", "/")];
    if let Some(d) = norm.strip_suffix("index.html") {
        out.push(format!("/{d}").replace("//", "/"));
    }
    out
}

/// The first of a render's diagnostics.
fn first(ds: crate::diag::Diagnostics) -> Diagnostic {
    ds.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::new("site.yaml", "渲染失败"))
}

/// A dead internal link, or one to an unpublished article.
#[derive(Debug, Clone, Serialize)]
pub struct DeadLink {
    #[serde(flatten)]
    pub link: Link,
    /// What the link was resolved to (`content/news/x.md`, `/news/x/`).
    pub target: String,
    pub reason: String,
    /// How to fix it (Chinese).
    pub help: String,
}

/// What the internal check found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InternalReport {
    /// Internal links looked at.
    pub checked: usize,
    pub dead: Vec<DeadLink>,
    /// Links to articles that exist but are not published: dead on the
    /// public site too, so the build holds the articles that have them.
    pub unpublished: Vec<DeadLink>,
}

/// What is published, by site path: the one answer to "does this internal
/// target exist" for the build's hold, `links` and `audit`.
pub struct Published<'a> {
    pub site: &'a Site,
    pub content: &'a Content,
    pub decisions: &'a [Decision],
    /// Every form of each article's URL → its index.
    articles: BTreeMap<String, usize>,
    /// Each article's path (relative to `content/`) → its index.
    paths: HashMap<&'a str, usize>,
    /// Site paths of the files the published articles bring → those
    /// articles (none for a `static/` file).
    assets: BTreeMap<String, Vec<usize>>,
}

impl<'a> Published<'a> {
    pub fn new(site: &'a Site, content: &'a Content, decisions: &'a [Decision]) -> Self {
        let mut articles = BTreeMap::new();
        let mut paths = HashMap::new();
        let mut assets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (a, d)) in content.articles.iter().zip(decisions).enumerate() {
            for f in forms(&site.url(&a.rel_url)) {
                articles.entry(f).or_insert(i);
            }
            paths.entry(a.path.as_str()).or_insert(i);
            for (p, _) in d.published_assets(a) {
                assets.entry(site.url(&p)).or_default().push(i);
            }
        }
        Published {
            site,
            content,
            decisions,
            articles,
            paths,
            assets,
        }
    }

    /// Count the site's `static/` files (every one is published at the
    /// site's root) as link targets, so that a link to one does not need
    /// a render of the whole site to be judged.
    pub fn with_static(mut self, tree: &dyn Tree) -> Self {
        if let Ok(files) = tree.list("static") {
            for f in files {
                if let Some(rel) = f.strip_prefix("static/") {
                    self.assets.entry(self.site.url(rel)).or_default();
                }
            }
        }
        self
    }

    /// The article whose page is at `path`.
    fn article_at(&self, path: &str) -> Option<usize> {
        forms(path)
            .iter()
            .find_map(|f| self.articles.get(f).copied())
    }

    /// Whether checking `l` needs the URLs of a render: a site path that
    /// is neither an article's page nor a published article's file.
    pub fn needs_render(&self, l: &Link) -> bool {
        let t = match l.kind {
            LinkKind::Page => match page_target(l, self) {
                Some(t) => t,
                None => return false,
            },
            LinkKind::SitePath => site_path(&l.dest),
            _ => return false,
        };
        self.article_at(&t).is_none() && !forms(&t).iter().any(|f| self.assets.contains_key(f))
    }

    /// The articles whose decision the check of `l` reads: the article it
    /// links to, or those that bring the file it links to. Holding any
    /// other article cannot change what the check says of `l`.
    pub fn depends_on(&self, l: &Link) -> Vec<usize> {
        let t = match l.kind {
            LinkKind::Article => {
                return content_target(l)
                    .and_then(|t| self.paths.get(t.as_str()).copied())
                    .into_iter()
                    .collect();
            }
            LinkKind::Page => match page_target(l, self) {
                Some(t) => t,
                None => return Vec::new(),
            },
            LinkKind::SitePath => site_path(&l.dest),
            _ => return Vec::new(),
        };
        let mut out: Vec<usize> = self.article_at(&t).into_iter().collect();
        for f in forms(&t) {
            out.extend(self.assets.get(&f).into_iter().flatten());
        }
        out
    }

    /// Why the article `i` is not published: its reason words.
    fn held_why(&self, i: usize) -> String {
        let mut words: Vec<String> = self.decisions[i]
            .reasons
            .iter()
            .map(|r| r.word.to_string())
            .collect();
        words.dedup();
        if words.is_empty() {
            "链接的文章本次不发布".into()
        } else {
            format!("链接的文章本次不发布（原因：{}）", words.join("、"))
        }
    }
}

/// `content/`-relative target of a relative link, if it stays inside.
fn content_target(l: &Link) -> Option<String> {
    let dir = l.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let p = l.dest.split(['#', '?']).next().unwrap_or("");
    let p = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
    resolve(dir, &p)
}

/// The site path a relative page link (`../news/`) reaches from the
/// article's page.
fn page_target(l: &Link, p: &Published) -> Option<String> {
    let article = &p.content.articles[*p.paths.get(l.path.as_str())?];
    let page = p.site.url(&article.rel_url);
    let d = l.dest.split(['#', '?']).next().unwrap_or("");
    let joined = resolve(&page, d)?;
    let slash = d.ends_with('/') || d.ends_with("..") || d == ".";
    Some(if slash && !joined.is_empty() {
        format!("/{joined}/")
    } else {
        format!("/{joined}")
    })
}

/// The path of a site-absolute link or of a full URL on the site's host.
fn site_path(dest: &str) -> String {
    let d = dest.trim();
    match url::Url::parse(d) {
        Ok(u) => u.path().to_string(),
        Err(_) => d.to_string(),
    }
}

/// A dead link: target shown, why, the fix, and whether the target exists
/// but is not published.
struct Dead {
    target: String,
    reason: String,
    help: &'static str,
    unpublished: bool,
}

impl Dead {
    fn missing(target: String, reason: impl Into<String>, help: &'static str) -> Dead {
        Dead {
            target,
            reason: reason.into(),
            help,
            unpublished: false,
        }
    }
}

const HELP_ARTICLE: &str = "检查文件名和路径：链接站内文章写相对路径，例如 ../栏目/文件名.md；文章改名或移动后要同时修改链接，或删除该链接。";
const HELP_UNPUBLISHED: &str =
    "等链接的文章审核通过并发布后，本文才能发布；或先删除这个链接（删改后需重新审核签名）。";
const HELP_FILE: &str = "把图片或附件放到 content/ 下（例如文章旁的 images/ 目录）并写相对路径，或改正路径、删除该链接。";
const HELP_PAGE: &str =
    "改正网址：站内文章写相对路径（../栏目/文件名.md），栏目写 /栏目/ 形式；或删除该链接。";
const HELP_OUTSIDE: &str =
    "链接站内文章时写相对路径，例如 ../policy/2026-xxx.md；站内页面写 /栏目/ 形式。";

fn check_article(l: &Link, p: &Published) -> Result<(), Dead> {
    let Some(target) = content_target(l) else {
        return Err(Dead::missing(
            l.dest.clone(),
            "链接超出了 content/ 目录",
            HELP_OUTSIDE,
        ));
    };
    let shown = format!("{CONTENT_DIR}/{target}");
    if let Some(col) = target.strip_suffix("/_index.md") {
        if p.content.column(col).is_some() {
            return Ok(());
        }
    }
    match p.paths.get(target.as_str()).copied() {
        Some(i) if i_published(p, i, l) => Ok(()),
        Some(i) => Err(Dead {
            target: shown,
            reason: p.held_why(i),
            help: HELP_UNPUBLISHED,
            unpublished: true,
        }),
        None => Err(Dead::missing(shown, "链接的文章不存在", HELP_ARTICLE)),
    }
}

/// Article `i` is published, or is the article the link is written in.
fn i_published(p: &Published, i: usize, l: &Link) -> bool {
    p.decisions.get(i).is_some_and(|d| d.publish) || p.content.articles[i].path == l.path
}

/// A site path: an article's page (published or not), a published
/// article's file, or else one of the `urls` a build writes (`None`: not
/// known, taken as written).
fn check_path(t: String, l: &Link, p: &Published, urls: Option<&SiteUrls>) -> Result<(), Dead> {
    if let Some(i) = p.article_at(&t) {
        return if i_published(p, i, l) {
            Ok(())
        } else {
            Err(Dead {
                target: t,
                reason: p.held_why(i),
                help: HELP_UNPUBLISHED,
                unpublished: true,
            })
        };
    }
    if forms(&t).iter().any(|f| p.assets.contains_key(f)) || urls.is_none_or(|u| u.contains(&t)) {
        return Ok(());
    }
    let file = t.rsplit('/').next().is_some_and(|last| {
        last.contains('.') && !last.ends_with(".html") && !last.ends_with(".htm")
    });
    let (reason, help) = match (l.image, file) {
        (true, _) => ("站内没有这个图片", HELP_FILE),
        (false, true) => ("站内没有这个页面或文件", HELP_FILE),
        (false, false) => ("站内没有这个页面或文件", HELP_PAGE),
    };
    Err(Dead::missing(t, reason, help))
}

fn check_one(l: &Link, p: &Published, urls: Option<&SiteUrls>) -> Result<(), Dead> {
    match l.kind {
        LinkKind::Article => check_article(l, p),
        LinkKind::Asset => match content_target(l) {
            Some(t) if p.content.assets.contains(&t) => Ok(()),
            Some(t) => Err(Dead::missing(
                format!("{CONTENT_DIR}/{t}"),
                if l.image {
                    "链接的图片不存在"
                } else {
                    "链接的文件不存在"
                },
                HELP_FILE,
            )),
            None => Err(Dead::missing(
                l.dest.clone(),
                "链接超出了 content/ 目录",
                HELP_OUTSIDE,
            )),
        },
        LinkKind::Page => match page_target(l, p) {
            Some(t) => check_path(t, l, p, urls),
            None => Err(Dead::missing(
                l.dest.clone(),
                "链接超出了网站根目录",
                HELP_PAGE,
            )),
        },
        _ => check_path(site_path(&l.dest), l, p, urls),
    }
}

/// Check every internal link of `links` against what is published and
/// `urls` (`None`: site paths that are neither an article's page nor a
/// published article's file are not judged).
pub fn check_links(p: &Published, urls: Option<&SiteUrls>, links: &[Link]) -> InternalReport {
    let mut report = InternalReport::default();
    for l in links.iter().filter(|l| l.kind.is_internal()) {
        report.checked += 1;
        if let Err(dead) = check_one(l, p, urls) {
            let d = DeadLink {
                link: l.clone(),
                target: dead.target,
                reason: dead.reason,
                help: dead.help.to_string(),
            };
            if dead.unpublished {
                report.unpublished.push(d);
            } else {
                report.dead.push(d);
            }
        }
    }
    report
}

/// The internal check over `links` (the published articles' for `sanshen
/// audit`, with those held for a dead link for `sanshen links`), against
/// what a build of the judged site writes.
pub fn check_site(
    p: &Published,
    commit: Option<&str>,
    tree: &dyn Tree,
    links: Vec<Link>,
) -> Result<(Vec<Link>, InternalReport), Diagnostic> {
    let urls = SiteUrls::render(tree, p.site, p.content, p.decisions, commit)?;
    let report = check_links(p, Some(&urls), &links);
    Ok((links, report))
}

/// Every link of every published article, by file and line.
pub fn published_links(p: &Published) -> Vec<Link> {
    links_where(p, |d| d.publish)
}

/// Every link of the published articles and of those the build holds for
/// a dead link (`dead-link`): what `sanshen links` lists and checks.
pub fn site_links(p: &Published) -> Vec<Link> {
    links_where(p, |d| {
        d.publish
            || d.reasons
                .iter()
                .any(|r| r.word == crate::gate::Code::DeadLink)
    })
}

fn links_where(p: &Published, pick: impl Fn(&crate::publish::Decision) -> bool) -> Vec<Link> {
    p.content
        .articles
        .iter()
        .zip(p.decisions)
        .filter(|(_, d)| pick(d))
        .flat_map(|(a, _)| super::inventory::article_links(a, p.site))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_normalised() {
        let urls = SiteUrls {
            paths: ["/", "/news/", "/news/a/", "/assets/style.css", "/新闻/"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        assert!(urls.contains("/news/a/"));
        assert!(urls.contains("/news/a"));
        assert!(urls.contains("/news/a/index.html#x"));
        assert!(urls.contains("/news/?page=2"));
        assert!(urls.contains("/"));
        assert!(urls.contains("/index.html"));
        assert!(urls.contains("/assets/style.css"));
        assert!(urls.contains("/%E6%96%B0%E9%97%BB/"));
        assert!(!urls.contains("/news/none/"));
        assert!(!urls.contains("/assets/style.css/x"));
        assert_eq!(site_path("https://www.ceshi.gov.cn/news/a/?x"), "/news/a/");
    }
}
