//! The published site as template data: columns with their articles in
//! display order, and the serialisable records templates see.

use serde::Serialize;

use super::external::Leave;
use crate::config::Site;
use crate::content::{Article, Column, Content, Disclosure};

/// A published article with its rendered body.
pub struct Entry<'a> {
    pub article: &'a Article,
    /// Site path, e.g. `/news/a/`.
    pub url: String,
    pub html: String,
    /// `summary` of the front matter, else the start of the first paragraph.
    pub summary: String,
    /// Content assets the body uses.
    pub assets: Vec<String>,
    /// Targets of the body's links that leave the site.
    pub external: Vec<String>,
    /// The body's first image (site path or address), if any.
    pub image: Option<String>,
    /// In the preview only: the article is held, for these reasons.
    pub held: Option<Vec<PreviewReason>>,
}

/// Why a held article is not published, as the preview banner shows it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct PreviewReason {
    /// The gate's word: `pending`, `stale`, `secrecy`, …
    pub word: String,
    /// The reason in Chinese.
    pub message: String,
}

/// `page.preview` in templates: null in a real build; in the preview
/// (`sanshen serve`) whether this page is a held article's, and why.
#[derive(Serialize, Clone, Debug, Default)]
pub struct PreviewView {
    pub held: bool,
    pub reasons: Vec<PreviewReason>,
}

/// A published column (one with a published article in it or below it)
/// with the indices (into `Model::entries`) of its articles, pinned first,
/// then newest first.
pub struct ColumnModel<'a> {
    pub column: &'a Column,
    pub url: String,
    /// The column's own articles (its list pages, prev/next).
    pub entries: Vec<usize>,
    /// The articles of the whole branch — the column's and its
    /// sub-columns' (counts, feeds, the newest items of a block).
    pub branch: Vec<usize>,
    /// Indices (into `Model::columns`) of its published sub-columns.
    pub children: Vec<usize>,
    /// Index of the parent column; `None` at the top level.
    pub parent: Option<usize>,
}

/// Everything the pages are made from.
pub struct Model<'a> {
    pub site: &'a Site,
    pub content: &'a Content,
    pub entries: Vec<Entry<'a>>,
    /// Published columns in tree pre-order (empty columns are left out).
    pub columns: Vec<ColumnModel<'a>>,
    /// Indices of all entries, newest first.
    pub newest: Vec<usize>,
    /// For each entry, its position in its column's list.
    pub position: Vec<usize>,
    /// Rendered for the preview (`sanshen serve`): held articles included.
    pub preview: bool,
    /// Full id of the commit built (`--rev`), or "" for the work tree:
    /// `site.commit` in templates.
    pub commit: String,
}

/// A list item as templates see it.
#[derive(Serialize, Clone)]
pub struct Item<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// `2026-11-20`
    pub date: String,
    /// RFC 3339 with the site's offset.
    pub datetime: String,
    pub summary: &'a str,
    pub column: &'a str,
    pub column_url: &'a str,
    pub pinned: bool,
    /// Held (未发布): only ever true in the preview.
    pub held: bool,
}

/// A repost's origin (来源) as templates see it.
#[derive(Serialize)]
pub struct SourceView<'a> {
    pub name: &'a str,
    /// The original address.
    pub url: &'a str,
    /// Where the link points: the leave-site notice when `url` leaves the
    /// site, else `url`.
    pub href: String,
    /// Whether `url` leaves the site (then the link gets `class="external"`
    /// and `data-href`).
    pub external: bool,
}

/// The article page's record.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: String,
    /// `2026-11-20 09:30` when a time was given, else the date.
    pub date_time: String,
    pub datetime: String,
    pub author: Option<&'a str>,
    pub department: Option<&'a str>,
    pub summary: &'a str,
    pub class: Option<&'a str>,
    pub source: Option<SourceView<'a>>,
    pub disclosure: Option<&'a Disclosure>,
    pub content: &'a str,
    /// 更新时间 (when the current version was approved, [`crate::dates`]),
    /// `2026-11-20 15:30`; null while not approved.
    pub updated: Option<String>,
    /// RFC 3339 of `updated`.
    pub updated_datetime: Option<String>,
    /// Whether to show 「更新时间」: the file changed after it was added,
    /// later than the publication date as shown.
    pub show_updated: bool,
}

/// Whether the article page shows 「更新时间」: the current version was
/// approved later than the publication date as shown (by minute with a
/// time of day, by day without).
fn show_updated(a: &Article) -> bool {
    let Some(updated) = a.updated else {
        return false;
    };
    let u = updated.naive_local();
    if a.date_has_time {
        u.format("%Y-%m-%d %H:%M").to_string() > a.date.format("%Y-%m-%d %H:%M").to_string()
    } else {
        u.date() > a.date.date()
    }
}

/// First `n` characters of `text`, with an ellipsis when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let t = text.trim();
    let mut out: String = t.chars().take(n).collect();
    if t.chars().count() > n {
        out.push('…');
    }
    out
}

impl<'a> Model<'a> {
    pub fn new(site: &'a Site, content: &'a Content, entries: Vec<Entry<'a>>) -> Model<'a> {
        let by_display = |a: &Entry, b: &Entry| {
            (b.article.weight, b.article.date)
                .cmp(&(a.article.weight, a.article.date))
                .then_with(|| a.article.path.cmp(&b.article.path))
        };
        let sorted = |keep: &dyn Fn(&Article) -> bool| {
            let mut idx: Vec<usize> = (0..entries.len())
                .filter(|&i| keep(entries[i].article))
                .collect();
            idx.sort_by(|&x, &y| by_display(&entries[x], &entries[y]));
            idx
        };
        let mut columns: Vec<ColumnModel> = content
            .columns
            .iter()
            .map(|c| ColumnModel {
                column: c,
                url: site.url(&format!("{}/", c.id)),
                entries: sorted(&|a| a.column == c.id),
                branch: sorted(&|a| c.holds(&a.column)),
                children: Vec::new(),
                parent: None,
            })
            .filter(|c| !c.branch.is_empty())
            .collect();
        for i in 0..columns.len() {
            let parent = columns[i].column.parent.as_deref();
            columns[i].parent = parent.and_then(|p| columns.iter().position(|c| c.column.id == p));
            if let Some(p) = columns[i].parent {
                columns[p].children.push(i);
            }
        }
        let mut newest: Vec<usize> = (0..entries.len()).collect();
        newest.sort_by(|&x, &y| {
            let (a, b) = (entries[x].article, entries[y].article);
            b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
        });
        let mut position = vec![0; entries.len()];
        for c in &columns {
            for (pos, &i) in c.entries.iter().enumerate() {
                position[i] = pos;
            }
        }
        Model {
            site,
            content,
            entries,
            columns,
            newest,
            position,
            preview: false,
            commit: String::new(),
        }
    }

    /// Indices of column `ci` and its ancestors, top-level first.
    pub fn trail(&self, ci: usize) -> Vec<usize> {
        let mut out = vec![ci];
        while let Some(p) = self.columns[*out.last().unwrap_or(&ci)].parent {
            out.push(p);
        }
        out.reverse();
        out
    }

    /// Index of the column with id `id`, if published.
    pub fn column_index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.column.id == id)
    }

    pub fn column_of(&self, entry: usize) -> Option<&ColumnModel<'a>> {
        let id = &self.entries[entry].article.column;
        self.columns.iter().find(|c| &c.column.id == id)
    }

    pub fn datetime(&self, a: &Article) -> String {
        crate::dates::published_at(a, self.site.offset)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    pub fn item(&self, i: usize) -> Item<'_> {
        let e = &self.entries[i];
        let col = self.column_of(i);
        Item {
            title: &e.article.title,
            url: &e.url,
            date: e.article.date.format("%Y-%m-%d").to_string(),
            datetime: self.datetime(e.article),
            summary: &e.summary,
            column: col.map(|c| c.column.title.as_str()).unwrap_or(""),
            column_url: col.map(|c| c.url.as_str()).unwrap_or(""),
            pinned: e.article.weight > 0,
            held: e.held.is_some(),
        }
    }

    pub fn article_view(&self, i: usize) -> ArticleView<'_> {
        let e = &self.entries[i];
        let a = e.article;
        ArticleView {
            title: &a.title,
            url: &e.url,
            date: a.date.format("%Y-%m-%d").to_string(),
            date_time: crate::dates::published_shown(a),
            datetime: self.datetime(a),
            author: a.author.as_deref(),
            department: a.department.as_deref(),
            summary: &e.summary,
            class: a.class.as_deref(),
            source: a.source.as_ref().map(|s| {
                let leave = Leave::new(self.site);
                let external = leave.is_external(&s.url);
                SourceView {
                    name: &s.name,
                    url: &s.url,
                    href: if external {
                        leave.url(s.url.trim())
                    } else {
                        s.url.clone()
                    },
                    external,
                }
            }),
            disclosure: a.disclosure.as_ref(),
            content: &e.html,
            updated: a.updated.map(|u| u.format("%Y-%m-%d %H:%M").to_string()),
            updated_datetime: a.updated.map(|u| u.to_rfc3339()),
            show_updated: show_updated(a),
        }
    }
}

impl Model<'_> {
    /// Every distinct external target of the published site: article links
    /// and repost sources. Sorted, so the notice pages come out in order.
    pub fn leave_targets(&self) -> std::collections::BTreeSet<String> {
        let leave = Leave::new(self.site);
        let mut out = std::collections::BTreeSet::new();
        for e in &self.entries {
            out.extend(e.external.iter().cloned());
            if let Some(s) = &e.article.source {
                if leave.is_external(&s.url) {
                    out.insert(s.url.trim().to_string());
                }
            }
        }
        // The home page's 政务服务 and 互动交流 entrances to other hosts.
        let home = &self.site.config.home;
        for e in home.interaction.iter().chain(&home.services) {
            if leave.is_external(e.url.trim()) {
                out.insert(e.url.trim().to_string());
            }
        }
        out
    }
}
