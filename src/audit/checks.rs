//! The audit items (R15, R12, R19): what a 政府网站检查 would flag, from
//! the judged site. Pure: no I/O, no printing.

use chrono::NaiveDate;

use crate::content::{Article, Column};
use crate::diag::line_of_offset;
use crate::gate::Code;
use crate::linkcheck::InternalReport;
use crate::links::images::images;
use crate::links::to_html;
use crate::pipeline::Judged;

/// The home page must show something newer than this (days).
pub const HOME_DAYS: i64 = 14;
/// Default period of 动态/要闻/新闻 columns (days).
pub const NEWS_DAYS: u32 = 14;
/// Default period of every other column (days).
pub const OTHER_DAYS: u32 = 180;
/// Pending articles older than this (days) are listed.
pub const PENDING_DAYS: i64 = 7;

/// One row of an item's table.
#[derive(Debug, Clone)]
pub struct Row {
    pub ok: bool,
    pub cells: Vec<String>,
}

/// One audit item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable key for JSON: `blank-columns`, …
    pub id: &'static str,
    pub title: &'static str,
    /// 单项否决 when it fails; otherwise a warning.
    pub veto: bool,
    pub ok: bool,
    /// Problems found.
    pub count: usize,
    pub summary: String,
    /// (JSON key, Chinese heading) of the table's columns.
    pub header: &'static [(&'static str, &'static str)],
    pub rows: Vec<Row>,
}

/// The date an inspector reads freshness by: the article's publication
/// date (owned by [`crate::dates`]), never a commit or approval time.
pub fn freshness_date(a: &Article) -> NaiveDate {
    crate::dates::published_day(a)
}

/// Since when a pending article waits: its first commit when known, else
/// its publication date.
fn waiting_since(a: &Article) -> NaiveDate {
    a.created
        .as_ref()
        .map_or_else(|| freshness_date(a), |c| c.at.date_naive())
}

/// A column's update period in days, and whether `update_period` set it.
pub fn update_period(c: &Column) -> (u32, bool) {
    if let Some(d) = c.update_days {
        return (d, true);
    }
    let news = |s: &str| ["动态", "要闻", "新闻"].iter().any(|w| s.contains(w));
    if c.kind.as_deref().is_some_and(news) || news(&c.title) {
        (NEWS_DAYS, false)
    } else {
        (OTHER_DAYS, false)
    }
}

fn published<'a>(j: &'a Judged) -> impl Iterator<Item = &'a Article> + 'a {
    j.content
        .articles
        .iter()
        .zip(&j.decisions)
        .filter(|(_, d)| d.publish)
        .map(|(a, _)| a)
}

fn column_name(c: &Column) -> String {
    format!("{}（{}）", c.title, c.id)
}

fn blank_columns(j: &Judged) -> Item {
    let rows: Vec<Row> = j
        .content
        .columns
        .iter()
        .map(|c| {
            // A column counts what is published in it or its sub-columns;
            // an empty one is not published at all (not even in the
            // navigation), so its `_index.md` is named to fill or remove.
            let n = published(j).filter(|a| c.holds(&a.column)).count();
            Row {
                ok: n > 0,
                cells: vec![column_name(c), n.to_string(), c.file.clone()],
            }
        })
        .collect();
    let bad = rows.iter().filter(|r| !r.ok).count();
    Item {
        id: "blank-columns",
        title: "空白栏目",
        veto: true,
        ok: bad == 0,
        count: bad,
        summary: if bad == 0 {
            format!("{} 个栏目都有已发布文章", rows.len())
        } else {
            format!("{bad} 个栏目没有任何已发布文章（这些栏目不发布、不进导航；请补充文章，或删除栏目的 _index.md 并重新签署 governance）")
        },
        header: &[
            ("column", "栏目"),
            ("published", "已发布文章"),
            ("file", "栏目文件"),
        ],
        rows,
    }
}

fn column_updates(j: &Judged, today: NaiveDate) -> Item {
    let rows: Vec<Row> = j
        .content
        .columns
        .iter()
        .map(|c| {
            let (days, declared) = update_period(c);
            let period = if declared {
                format!("{days} 天")
            } else {
                format!("{days} 天（默认）")
            };
            let newest = published(j)
                .filter(|a| c.holds(&a.column))
                .map(freshness_date)
                .max();
            let (ok, last, age, verdict) = match newest {
                Some(d) => {
                    let age = (today - d).num_days();
                    let ok = age <= i64::from(days);
                    let verdict = if ok {
                        "按期更新".to_string()
                    } else {
                        format!("超期 {} 天", age - i64::from(days))
                    };
                    (ok, d.to_string(), format!("{age} 天"), verdict)
                }
                None => (false, "—".into(), "—".into(), "从未更新（空白栏目）".into()),
            };
            let kind = c.kind.clone().unwrap_or_else(|| "—".into());
            Row {
                ok,
                cells: vec![column_name(c), kind, period, last, age, verdict],
            }
        })
        .collect();
    let bad = rows.iter().filter(|r| !r.ok).count();
    Item {
        id: "column-updates",
        title: "栏目更新",
        veto: true,
        ok: bad == 0,
        count: bad,
        summary: if bad == 0 {
            "所有栏目都在更新周期内".into()
        } else {
            format!("{bad} 个栏目超过更新周期未更新")
        },
        header: &[
            ("column", "栏目"),
            ("type", "类型"),
            ("period", "更新周期"),
            ("newest", "最新文章日期"),
            ("age", "距今"),
            ("result", "结论"),
        ],
        rows,
    }
}

fn home_update(j: &Judged, today: NaiveDate) -> Item {
    let newest = published(j).max_by_key(|a| (freshness_date(a), a.path.clone()));
    let (ok, rows, summary) = match newest {
        Some(a) => {
            let d = freshness_date(a);
            let age = (today - d).num_days();
            let ok = age <= HOME_DAYS;
            let row = Row {
                ok,
                cells: vec![
                    format!("《{}》", a.title),
                    a.file.clone(),
                    d.to_string(),
                    format!("{age} 天"),
                ],
            };
            let summary = if ok {
                format!("最新文章发布于 {age} 天前（不超过 {HOME_DAYS} 天）")
            } else {
                format!("首页已 {age} 天未更新（超过 {HOME_DAYS} 天）")
            };
            (ok, vec![row], summary)
        }
        None => (false, Vec::new(), "全站没有任何已发布文章".to_string()),
    };
    Item {
        id: "home-update",
        title: "首页更新",
        veto: true,
        ok,
        count: usize::from(!ok),
        summary,
        header: &[
            ("title", "最新文章"),
            ("file", "文件"),
            ("date", "日期"),
            ("age", "距今"),
        ],
        rows,
    }
}

fn dead_links(r: &InternalReport) -> Item {
    let rows: Vec<Row> = r
        .dead
        .iter()
        .map(|d| Row {
            ok: false,
            cells: vec![d.link.location(), d.link.dest.clone(), d.reason.clone()],
        })
        .collect();
    Item {
        id: "dead-links",
        title: "站内链接可用",
        veto: true,
        ok: rows.is_empty(),
        count: rows.len(),
        summary: if rows.is_empty() {
            format!("检查站内链接 {} 个，全部有效", r.checked)
        } else {
            format!("站内失效链接 {} 个（共检查 {} 个）", rows.len(), r.checked)
        },
        header: &[("at", "位置"), ("link", "链接"), ("reason", "原因")],
        rows,
    }
}

fn pending(j: &Judged, today: NaiveDate) -> Item {
    let mut rows = Vec::new();
    for (a, d) in j.content.articles.iter().zip(&j.decisions) {
        let words: Vec<Code> = d.reasons.iter().map(|r| r.word).collect();
        let waiting = words
            .iter()
            .any(|w| matches!(*w, Code::Pending | Code::Stale));
        let parked = words
            .iter()
            .any(|w| matches!(*w, Code::Draft | Code::Withdrawn));
        let age = (today - waiting_since(a)).num_days();
        if d.publish || !waiting || parked || age <= PENDING_DAYS {
            continue;
        }
        let why = if words.contains(&Code::Stale) {
            "审后修改，需重新审核（stale）"
        } else {
            "审核未完成（pending）"
        };
        rows.push(Row {
            ok: false,
            cells: vec![
                a.file.clone(),
                format!("《{}》", a.title),
                waiting_since(a).to_string(),
                format!("{age} 天"),
                why.to_string(),
            ],
        });
    }
    Item {
        id: "pending",
        title: "待审文章积压",
        veto: false,
        ok: rows.is_empty(),
        count: rows.len(),
        summary: if rows.is_empty() {
            format!("没有超过 {PENDING_DAYS} 天仍未审完的文章")
        } else {
            format!("{} 篇文章超过 {PENDING_DAYS} 天仍未审完", rows.len())
        },
        header: &[
            ("file", "文件"),
            ("title", "标题"),
            ("date", "日期"),
            ("age", "已等待"),
            ("reason", "原因"),
        ],
        rows,
    }
}

/// `(line, destination)` of every image without alt text in a body, as
/// the link model reads its rendered HTML.
pub fn images_without_alt(a: &Article) -> Vec<(usize, String)> {
    let body = &a.doc.body();
    let line_at = |offset: usize| a.doc.body_line + line_of_offset(body, offset) - 1;
    images(&to_html(body))
        .into_iter()
        .filter(|i| i.alt.as_deref().is_none_or(|t| t.trim().is_empty()))
        .map(|i| (line_at(i.offset), i.src))
        .collect()
}

fn image_alt(j: &Judged) -> Item {
    let mut rows = Vec::new();
    for (a, d) in j.content.articles.iter().zip(&j.decisions) {
        if d.reasons.iter().any(|r| r.word == Code::Withdrawn) {
            continue;
        }
        let state = if d.publish { "已发布" } else { "暂缓" };
        for (line, dest) in images_without_alt(a) {
            rows.push(Row {
                ok: false,
                cells: vec![format!("{}:{line}", a.file), dest, state.to_string()],
            });
        }
    }
    Item {
        id: "image-alt",
        title: "图片替代文字（无障碍）",
        veto: false,
        ok: rows.is_empty(),
        count: rows.len(),
        summary: if rows.is_empty() {
            "所有图片都有替代文字".into()
        } else {
            format!("{} 张图片缺少替代文字（alt）", rows.len())
        },
        header: &[("at", "位置"), ("image", "图片"), ("state", "文章状态")],
        rows,
    }
}

/// Every audit item, in report order.
pub fn run_checks(j: &Judged, links: &InternalReport) -> Vec<Item> {
    let today = j.now.date_naive();
    vec![
        blank_columns(j),
        column_updates(j, today),
        home_update(j, today),
        dead_links(links),
        pending(j, today),
        image_alt(j),
    ]
}
