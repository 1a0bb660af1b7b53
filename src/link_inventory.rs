//! The link inventory: every link of an article — Markdown links, images,
//! autolinks, `href`/`src` in raw HTML, and `source.url` — with the file
//! line where it is written, classified by where it points — and the
//! [`SiteLinks`] the judge keeps for the dead-link hold. Its own module
//! (not under `linkcheck`) because judging (`publish`) reads it and
//! `linkcheck` reads the decisions.

use serde::Serialize;

use crate::config::Site;
use crate::content::Article;
use crate::diag::find_line;
use crate::links::{self, browser_clean, Base, Role, Target};

/// Where a link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// A relative link to an article or a column (`../policy/a.md`).
    Article,
    /// A relative link to a file under `content/` (image, attachment).
    Asset,
    /// A relative page path, left as written by the build (`../news/`).
    Page,
    /// A site-absolute path (`/news/a/`) or a full URL on the site's host.
    SitePath,
    /// An `http(s)` link to another host.
    External,
    /// `mailto:`, `tel:`, `#fragment` and other schemes: not checked.
    Other,
}

impl LinkKind {
    /// A short Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Article => "站内文章",
            LinkKind::Asset => "站内文件",
            LinkKind::Page => "站内页面（相对）",
            LinkKind::SitePath => "站内路径",
            LinkKind::External => "站外链接",
            LinkKind::Other => "其他（不检查）",
        }
    }

    /// Whether the internal check looks at it.
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            LinkKind::Article | LinkKind::Asset | LinkKind::Page | LinkKind::SitePath
        )
    }
}

/// One link, where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Display path of the article: `content/news/a.md`.
    pub file: String,
    /// Article path relative to `content/`: `news/a.md`.
    #[serde(skip)]
    pub path: String,
    /// 1-based line in the article file.
    pub line: usize,
    /// The destination as written.
    pub dest: String,
    /// An image (`![…](…)` or `<img src>`).
    pub image: bool,
    /// `source.url` of the front matter.
    pub source: bool,
    pub kind: LinkKind,
}

impl Link {
    /// `content/news/a.md:12`
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The page of an article on the site, for the link model.
pub fn article_base(a: &Article, site: &Site) -> Option<Base> {
    Base::new(&site.config.base_url, &site.url(&a.rel_url))
}

/// The kind of a link: where the link model says it points, and for a
/// link on the site, how it is written (relative or not).
fn kind_of(written: &str, target: &Target) -> LinkKind {
    if let Target::External { .. } = target {
        return LinkKind::External;
    }
    if !target.is_internal() {
        return LinkKind::Other;
    }
    let d = browser_clean(written);
    let scheme = d.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme || d.starts_with(['/', '\\']) {
        return LinkKind::SitePath;
    }
    let path = d.split(['#', '?']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    if path.is_empty() {
        LinkKind::Other
    } else if last.ends_with(".md") {
        LinkKind::Article
    } else if last.contains('.') {
        LinkKind::Asset
    } else {
        LinkKind::Page
    }
}

/// Classify a destination as written in an article of `site` (read on
/// the site's home page).
pub fn classify(dest: &str, site: &Site) -> LinkKind {
    match Base::new(&site.config.base_url, &site.base_path) {
        Some(base) => kind_of(dest, &links::classify(dest, &base)),
        None => LinkKind::Other,
    }
}

/// Every link of one article, in the order written: the link model over
/// its rendered HTML (Markdown links and images, raw HTML `href`, `src`,
/// `srcset`, CSS…), and `source.url`.
pub fn article_links(a: &Article, site: &Site) -> Vec<Link> {
    let Some(base) = article_base(a, site) else {
        return Vec::new();
    };
    let body = links::of_markdown(a.doc.body(), &base);
    article_links_in(a, &base, &body)
}

/// [`article_links`] with the body's links already read on the article's
/// page `base` ([`links::of_markdown`]).
pub fn article_links_in(a: &Article, base: &Base, body: &[links::Link]) -> Vec<Link> {
    let make = |dest: &str, line: usize, image: bool, source: bool, target: &Target| Link {
        file: a.file.clone(),
        path: a.path.clone(),
        line,
        dest: dest.to_string(),
        image,
        source,
        kind: kind_of(dest, target),
    };
    let mut out = Vec::new();
    if let Some(s) = &a.source {
        if !s.url.trim().is_empty() {
            let target = links::classify(&s.url, base);
            out.push(make(&s.url, source_line(a), false, true, &target));
        }
    }
    for l in body {
        // Markup the renderer made (footnote references) is not written.
        let Some(written) = &l.written else {
            continue;
        };
        let image = l.role == Role::Resource && matches!(l.element.as_str(), "img" | "image");
        let line = a.doc.body_line + l.line - 1;
        out.push(make(written, line, image, false, &l.target));
    }
    out
}

/// The file line of `source.url` (the `url:` line after `source:`).
fn source_line(a: &Article) -> usize {
    let fm = &a.doc.front_matter();
    let start = find_line(fm, "source:").unwrap_or(1);
    let rel = fm
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .find(|(_, l)| l.contains("url:"))
        .map_or(start, |(i, _)| i + 1);
    a.doc.front_matter_line + rel - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        crate::config::parse("name: x\nbase_url: https://www.ceshi.gov.cn\n").expect("site")
    }

    #[test]
    fn classifies_destinations() {
        let s = site();
        assert_eq!(classify("../policy/a.md#x", &s), LinkKind::Article);
        assert_eq!(classify("images/a.png", &s), LinkKind::Asset);
        assert_eq!(classify("../news/", &s), LinkKind::Page);
        assert_eq!(classify("/news/none/", &s), LinkKind::SitePath);
        assert_eq!(
            classify("https://WWW.ceshi.gov.cn/news/", &s),
            LinkKind::SitePath
        );
        assert_eq!(classify("https://www.gov.cn/", &s), LinkKind::External);
        assert_eq!(classify("//cdn.example.com/x", &s), LinkKind::External);
        assert_eq!(classify("mailto:a@b.cn", &s), LinkKind::Other);
        assert_eq!(classify("#top", &s), LinkKind::Other);
    }
}

/// The links of one article the dead-link hold checks, read once while
/// judging ([`crate::publish::judge_all`]) and kept with its decision, so
/// that no round of the hold renders or reads an article body again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteLinks {
    /// Its internal links ([`LinkKind::is_internal`]), `source.url` aside.
    pub internal: Vec<Link>,
    /// Some link's destination is relative (not a site path, address or
    /// fragment): only such a link can be refused by the renderer.
    pub relative: bool,
}

impl SiteLinks {
    /// The links of article `a` whose body links `body` were read on its
    /// page `base` ([`crate::links::Analysis::links`]).
    pub fn of(a: &Article, base: &Base, body: &[crate::links::Link]) -> SiteLinks {
        let mut internal = article_links_in(a, base, body);
        internal.retain(|l| l.kind.is_internal() && !l.source);
        let relative = body.iter().any(|l| {
            l.written
                .as_deref()
                .is_some_and(|w| !w.is_empty() && !crate::links::markdown::is_absolute(w))
        });
        SiteLinks { internal, relative }
    }
}
