//! The internal check: relative links against the content, site paths
//! against the set of URLs the build would produce (home, columns and their
//! pages, articles, site map, feeds, theme and static files, used assets).

use std::collections::BTreeSet;

use serde::Serialize;

use super::inventory::{Link, LinkKind};
use crate::content::{Content, Tree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::pipeline::Judged;
use crate::render::markdown::resolve;
use crate::theme;

/// Every site path (`/news/a/`, `/assets/style.css`) a build would write,
/// percent-decoded.
#[derive(Debug, Clone, Default)]
pub struct SiteUrls {
    paths: BTreeSet<String>,
}

impl SiteUrls {
    /// The URLs of the judged site; `links` (the published articles' links)
    /// tell which content files the build copies.
    pub fn new(j: &Judged, tree: &dyn Tree, links: &[Link]) -> Result<SiteUrls, Diagnostic> {
        let site = &j.site;
        let mut paths = BTreeSet::new();
        for rel in [
            "",
            "sitemap/",
            "sitemap.xml",
            "feed.xml",
            "robots.txt",
            "404.html",
        ] {
            paths.insert(site.url(rel));
        }
        let published: Vec<_> = j
            .content
            .articles
            .iter()
            .zip(&j.decisions)
            .filter(|(_, d)| d.publish)
            .map(|(a, _)| a)
            .collect();
        for c in &j.content.columns {
            paths.insert(site.url(&format!("{}/", c.id)));
            paths.insert(site.url(&format!("{}/feed.xml", c.id)));
            let count = published.iter().filter(|a| a.column == c.id).count();
            let pages = count.div_ceil(site.config.per_page.max(1)).max(1);
            for n in 2..=pages {
                paths.insert(site.url(&format!("{}/page/{n}/", c.id)));
            }
        }
        for a in &published {
            paths.insert(site.url(&a.rel_url));
        }
        let theme = theme::load(tree, &site.config.theme)?;
        for (p, _) in &theme.assets {
            paths.insert(site.url(&format!("assets/{p}")));
        }
        let statics = tree
            .list("static")
            .map_err(|e| Diagnostic::new("static", format!("无法读取 static/ 目录：{e}")))?;
        for p in statics {
            paths.insert(site.url(p.strip_prefix("static/").unwrap_or(&p)));
        }
        for l in links.iter().filter(|l| l.kind == LinkKind::Asset) {
            if let Some(target) = content_target(l) {
                if j.content.assets.contains(&target) {
                    paths.insert(site.url(&target));
                }
            }
        }
        Ok(SiteUrls { paths })
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
    let urls = SiteUrls::new(j, tree, &links)?;
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
