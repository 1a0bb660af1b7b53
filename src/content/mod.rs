//! The site's content: columns (栏目) and articles, read from a [`Tree`].

pub mod column_type;
pub mod frontmatter;
mod load;
mod origin;
pub mod schedule;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::diag::Diagnostic;
use crate::document::Document;
use crate::gate::Reason;
pub use crate::tree::{Tree, WorkTree};
pub use frontmatter::{Disclosure, Source};
pub use load::load;
pub use schedule::Moment;

/// Folder of the articles, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// Column ids that would collide with pages the build writes itself.
pub const RESERVED_COLUMNS: &[&str] = &["assets", "leave", "search", "sitemap", "page"];

/// Article slugs (lower case) that would collide with files or pages the
/// build writes itself: such an article is held with reason `slug`.
pub const RESERVED_SLUGS: &[&str] = &[
    "index.html",
    "feed.xml",
    "sitemap.xml",
    "404.html",
    "robots.txt",
    "assets",
    "leave",
    "search",
    "sitemap",
    "page",
];

/// A column (栏目): a folder under `content/` with an `_index.md`. Columns
/// nest: `content/a/b/_index.md` is a sub-column of `a`.
#[derive(Debug, Clone)]
pub struct Column {
    /// Folder path relative to `content/`, also the URL path: `news`,
    /// `disclosure/zhengce`.
    pub id: String,
    /// The parent column's id; `None` for a top-level column.
    pub parent: Option<String>,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// 栏目类型, e.g. 动态, 通知公告, 政策文件.
    pub kind: Option<String>,
    pub order: i64,
    /// Days within which the column must be updated, if set.
    pub update_days: Option<u32>,
    /// Markdown after the `_index.md` front matter (column introduction).
    pub intro: String,
    /// Display path of `_index.md`.
    pub file: String,
}

impl Column {
    /// Whether `column` (an article's column id) is this column or one
    /// below it, by whole path segments.
    pub fn holds(&self, column: &str) -> bool {
        crate::gate::keyring::within(column, &self.id)
    }

    /// Nesting depth: 0 for a top-level column.
    pub fn depth(&self) -> usize {
        self.id.matches('/').count()
    }
}

/// An article: one Markdown file in a column.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to `content/`, `/`-separated: `news/a.md` (the path
    /// signed by reviewers).
    pub path: String,
    /// Display path: `content/news/a.md`.
    pub file: String,
    /// Column id: the article's folder (`news`, `a/b`), a column with an
    /// `_index.md` (else the article is held at load).
    pub column: String,
    /// URL path below the base path, with a trailing slash: `news/a/`.
    pub rel_url: String,
    pub title: String,
    pub class: Option<String>,
    pub date: NaiveDateTime,
    pub date_has_time: bool,
    pub author: Option<String>,
    pub department: Option<String>,
    pub summary: Option<String>,
    pub source: Option<Source>,
    pub draft: bool,
    pub weight: i64,
    pub disclosure: Option<Disclosure>,
    /// `publish_at` (定时发布): not published before this moment.
    pub publish_at: Option<Moment>,
    /// `expires_at` (到期下线): not published from this moment on.
    pub expires_at: Option<Moment>,
    /// `backdated` (补录): why an old document keeps its original `date`.
    pub backdated: Option<String>,
    /// 关键词 of the front matter (`keywords`).
    pub keywords: Vec<String>,
    /// `featured: true`: a candidate for the home page's 图片新闻.
    pub featured: bool,
    /// 更新时间: when the current version was approved (owned by
    /// [`crate::dates`], set after judging), in the site's offset; `None`
    /// while not approved.
    pub updated: Option<DateTime<FixedOffset>>,
    /// 创建记录: the first commit that added the file.
    pub created: Option<Created>,
    /// Whether the site's git history was read: then an article without
    /// [`Article::created`] is not committed yet (the date rule counts its
    /// first commit as the judging clock); else back-dating is not judged.
    pub history: bool,
    /// The split file (body, gate block, digest).
    pub doc: Document,
    /// Reasons found while loading (`unreadable`, `slug`): the article is
    /// held for them and never rendered, not even in the preview.
    pub load_reasons: Vec<Reason>,
    /// Whether the file was read and split; `false` for a placeholder
    /// ([`Article::held_at_load`]) whose fields are empty.
    pub readable: bool,
}

/// The commit that first added an article (创建记录).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Commit time, in the site's offset.
    pub at: DateTime<FixedOffset>,
    /// Full commit id.
    pub commit: String,
    /// Author name of the commit.
    pub author: String,
}

impl Article {
    /// A placeholder for an article that could not be loaded: only its
    /// path is known, and the reason it is held.
    pub fn held_at_load(rel: &str, reason: Reason) -> Article {
        let doc = Document::empty();
        Article {
            rel_url: String::new(),
            load_reasons: vec![reason],
            readable: false,
            ..Article::bare(rel, doc)
        }
    }

    /// An article at content path `rel` with only its file and defaults
    /// (title: the file name; URL: `<rel without .md>/`): for tools and
    /// tests that build one article without loading a site.
    pub fn bare(rel: &str, doc: Document) -> Article {
        let stem = rel.rsplit('/').next().unwrap_or(rel);
        Article {
            path: rel.to_string(),
            file: format!("{CONTENT_DIR}/{rel}"),
            column: rel
                .rsplit_once('/')
                .map(|(c, _)| c.to_string())
                .unwrap_or_default(),
            rel_url: format!("{}/", rel.strip_suffix(".md").unwrap_or(rel)),
            title: stem.to_string(),
            class: None,
            date: NaiveDateTime::default(),
            date_has_time: false,
            author: None,
            department: None,
            summary: None,
            source: None,
            draft: false,
            weight: 0,
            disclosure: None,
            publish_at: None,
            expires_at: None,
            backdated: None,
            keywords: Vec::new(),
            featured: false,
            updated: None,
            created: None,
            history: false,
            doc,
            load_reasons: Vec::new(),
            readable: true,
        }
    }

    /// Directory of the article relative to `content/`: `news` for
    /// `news/a.md`.
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }
}

/// Normalise `dir/rel` to a path under `content/` (owned by the link model).
pub use crate::links::markdown::resolve;

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The column tree in pre-order: each column before its sub-columns,
    /// siblings by `order`, then folder name.
    pub columns: Vec<Column>,
    /// Sorted by path.
    pub articles: Vec<Article>,
    /// Non-Markdown files under `content/`, relative to `content/`.
    pub assets: BTreeSet<String>,
    /// The size in bytes of each asset (shown next to links to
    /// attachments: `（PDF，1.2 MB）`).
    pub sizes: BTreeMap<String, u64>,
    /// Non-Markdown files the build refuses to read — over
    /// `limits.file_mb`, or symbolic links — with why (Chinese): an
    /// article that uses one is held with reason `asset`.
    pub unusable: BTreeMap<String, String>,
    /// Problems that do not stop the build (unknown keys, …).
    pub warnings: Vec<Diagnostic>,
}

impl Content {
    /// Drop each document's text but its front matter once the verdicts
    /// are in, keeping the digest it was judged by: a build reads every
    /// body again when it renders it and checks it against that digest
    /// (`render::texts`), so the texts of all articles are not held
    /// through the render.
    pub fn release_judged_text(&mut self) {
        for a in &mut self.articles {
            a.doc.release_text();
        }
    }

    pub fn column(&self, id: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// Columns with at least one article of `shown` (one flag per
    /// article) in them or below them: the columns that are published.
    /// An empty column (空白栏目) is neither written nor linked.
    pub fn live_columns(&self, shown: &[bool]) -> BTreeSet<&str> {
        let ids: BTreeSet<&str> = self.columns.iter().map(|c| c.id.as_str()).collect();
        let mut live = BTreeSet::new();
        for (a, _) in self.articles.iter().zip(shown).filter(|(_, s)| **s) {
            let mut dir = a.column.as_str();
            loop {
                if let Some(&id) = ids.get(dir) {
                    live.insert(id);
                }
                match dir.rsplit_once('/') {
                    Some((up, _)) => dir = up,
                    None => break,
                }
            }
        }
        live
    }
}
