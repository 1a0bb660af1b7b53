//! The site's content: columns (栏目) and articles, read from a [`Tree`].

pub mod frontmatter;
mod load;
pub mod tree;

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use crate::diag::Diagnostic;
use crate::document::Document;
pub use frontmatter::{Disclosure, Source};
pub use load::load;
pub use tree::{Tree, WorkTree};

/// Folder of the articles, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// Column ids that would collide with pages the build writes itself.
pub const RESERVED_COLUMNS: &[&str] = &["assets", "leave", "search", "sitemap", "page"];

/// A column (栏目): a folder under `content/` with an `_index.md`.
#[derive(Debug, Clone)]
pub struct Column {
    /// Folder name, also the URL path: `news`.
    pub id: String,
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

/// An article: one Markdown file in a column.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to `content/`, `/`-separated: `news/a.md` (the path
    /// signed by reviewers).
    pub path: String,
    /// Display path: `content/news/a.md`.
    pub file: String,
    /// Column id (first path component).
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
    /// The split file (body, gate block, digest).
    pub doc: Document,
}

impl Article {
    /// Directory of the article relative to `content/`: `news` for
    /// `news/a.md`.
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }
}

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Sorted by `order`, then id.
    pub columns: Vec<Column>,
    /// Sorted by path.
    pub articles: Vec<Article>,
    /// Non-Markdown files under `content/`, relative to `content/`.
    pub assets: BTreeSet<String>,
    /// Problems that do not stop the build (unknown keys, …).
    pub warnings: Vec<Diagnostic>,
}

impl Content {
    pub fn column(&self, id: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }
}
