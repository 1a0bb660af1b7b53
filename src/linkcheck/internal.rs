//! The internal check: relative links against the content, site paths
//! against the files a build writes — the renderer's own output (home,
//! columns and their pages, articles, site map, search page and index,
//! feeds, leave-site notices, theme and static files, used assets), never a
//! list kept by hand.

use std::collections::BTreeSet;

use serde::Serialize;

use super::inventory::{Link, LinkKind};
use crate::content::{Content, Tree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::pipeline::{render_site, Judged};
use crate::progress::Silent;
use crate::render::markdown::resolve;
use crate::render::preview::{Render, RenderMode};
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

    /// The URLs of the judged site: what a build of it writes, rendered in
    /// memory. A published article whose body cannot be rendered (a
    /// broken link, which the check reports) is left out of the render
    /// and its page counted as written.
    pub fn new(j: &Judged, tree: &dyn Tree) -> Result<SiteUrls, Diagnostic> {
        let site = &j.site;
        let theme = theme::load(tree, &site.config.theme)?;
        let engine = Engine::new(&theme).map_err(first)?;
        let how = Render {
            mode: RenderMode::Publish,
            progress: &Silent,
        };
        let render = |decisions: &[crate::publish::Decision]| {
            render_site(
                tree,
                site,
                &j.content,
                decisions,
                &theme,
                &engine,
                j.commit.as_deref(),
                &how,
            )
        };
        match render(&j.decisions) {
            Ok((files, _, _)) => Ok(SiteUrls::of_files(site, &files)),
            Err(errors) => {
                let broken: BTreeSet<&str> = errors.0.iter().map(|d| d.file.as_str()).collect();
                let mut decisions = j.decisions.clone();
                let mut pages = Vec::new();
                for (a, d) in j.content.articles.iter().zip(decisions.iter_mut()) {
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
        let p = path.split(['#', '?']).next().unwrap_or("");
        let p = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
        let Some(norm) = resolve("", &p) else {
            return false;
        };
        let dir = format!("/{norm}/").replace("//", "/");
        let file = format!("/{norm}");
        if self.paths.contains(&file) || self.paths.contains(&dir) {
            return true;
        }
        norm.strip_suffix("index.html")
            .is_some_and(|d| self.paths.contains(&format!("/{d}").replace("//", "/")))
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
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
}

/// What the internal check found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InternalReport {
    /// Internal links looked at.
    pub checked: usize,
    pub dead: Vec<DeadLink>,
    /// Links to articles that exist but are not published: the build shows
    /// their text without a link.
    pub unpublished: Vec<DeadLink>,
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
fn page_target(l: &Link, j: &Judged) -> Option<String> {
    let article = j.content.articles.iter().find(|a| a.path == l.path)?;
    let page = j.site.url(&article.rel_url);
    let p = l.dest.split(['#', '?']).next().unwrap_or("");
    let joined = resolve(&page, p)?;
    let slash = p.ends_with('/') || p.ends_with("..") || p == ".";
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

fn check_article(l: &Link, content: &Content, j: &Judged) -> Result<(), (String, String, bool)> {
    let Some(target) = content_target(l) else {
        return Err((l.dest.clone(), "链接超出了 content/ 目录".into(), true));
    };
    let shown = format!("{CONTENT_DIR}/{target}");
    if let Some(col) = target.strip_suffix("/_index.md") {
        if content.column(col).is_some() {
            return Ok(());
        }
    }
    match content.articles.iter().position(|a| a.path == target) {
        Some(i) if j.decisions.get(i).is_some_and(|d| d.publish) => Ok(()),
        Some(_) => Err((shown, "链接的文章尚未发布".into(), false)),
        None => Err((shown, "链接的文章不存在".into(), true)),
    }
}

/// Check every internal link of `links` against the content and `urls`.
pub fn check_internal(j: &Judged, urls: &SiteUrls, links: &[Link]) -> InternalReport {
    let mut report = InternalReport::default();
    for l in links.iter().filter(|l| l.kind.is_internal()) {
        report.checked += 1;
        let result = match l.kind {
            LinkKind::Article => check_article(l, &j.content, j),
            LinkKind::Asset => match content_target(l) {
                Some(t) if j.content.assets.contains(&t) => Ok(()),
                Some(t) => Err((
                    format!("{CONTENT_DIR}/{t}"),
                    "链接的文件不存在".into(),
                    true,
                )),
                None => Err((l.dest.clone(), "链接超出了 content/ 目录".into(), true)),
            },
            LinkKind::Page => match page_target(l, j) {
                Some(t) if urls.contains(&t) => Ok(()),
                Some(t) => Err((t, "站内没有这个页面".into(), true)),
                None => Err((l.dest.clone(), "链接超出了网站根目录".into(), true)),
            },
            _ => {
                let t = site_path(&l.dest);
                if urls.contains(&t) {
                    Ok(())
                } else {
                    Err((t, "站内没有这个页面或文件".into(), true))
                }
            }
        };
        if let Err((target, reason, dead)) = result {
            let d = DeadLink {
                link: l.clone(),
                target,
                reason,
            };
            if dead {
                report.dead.push(d);
            } else {
                report.unpublished.push(d);
            }
        }
    }
    report
}

/// The links of the published articles and the internal check over them:
/// what `sanshen links` and `sanshen audit` share.
pub fn check_site(j: &Judged, tree: &dyn Tree) -> Result<(Vec<Link>, InternalReport), Diagnostic> {
    let links = super::inventory::published_links(j);
    let urls = SiteUrls::new(j, tree)?;
    let report = check_internal(j, &urls, &links);
    Ok((links, report))
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
