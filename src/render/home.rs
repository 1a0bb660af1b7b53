//! The home page's blocks: 图片新闻, 要闻 (its lead story never a notice),
//! 通知公告, 政务服务 and 互动交流 entrances, 专题专栏, the columns and
//! 政务新媒体 — with no article shown twice.

use std::collections::BTreeSet;

use serde::Serialize;
use tera::Context;

use super::external::Leave;
use super::model::{Item, Model};
use crate::config::home::Entrance;
use crate::content::column_type::TOPICS;

/// How many stories the 要闻 block lists (the lead story included).
const HEADLINES: usize = 8;

/// A 图片新闻 story: the list item and its picture.
#[derive(Serialize)]
struct FocusItem<'a> {
    #[serde(flatten)]
    item: Item<'a>,
    image: &'a str,
}

/// A named link of 政务服务 or 互动交流.
#[derive(Serialize)]
pub struct LinkView<'a> {
    name: &'a str,
    note: &'a str,
    /// Where the link points: the leave-site notice for another host.
    href: String,
    /// The address as configured.
    url: &'a str,
    external: bool,
}

#[derive(Serialize)]
struct NewMediaView<'a> {
    name: &'a str,
    platform: &'a str,
    qr: String,
}

#[derive(Serialize)]
struct TopicView<'a> {
    title: &'a str,
    url: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    items: Vec<Item<'a>>,
}

/// The links of `home.interaction` / `home.services` as templates see them.
fn links<'a>(model: &Model, list: &'a [Entrance]) -> Vec<LinkView<'a>> {
    let leave = Leave::new(model.site);
    list.iter()
        .map(|e| {
            let url = e.url.trim();
            let external = leave.is_external(url);
            LinkView {
                name: e.name.trim(),
                note: e.note.as_deref().unwrap_or("").trim(),
                href: if external {
                    leave.url(url)
                } else {
                    model.site.url(url)
                },
                url,
                external,
            }
        })
        .collect()
}

/// The template variables of `index.html`.
pub fn context(model: &Model) -> Context {
    let m = model;
    let cfg = &m.site.config;
    let notices_id = cfg.notices_column.as_deref();
    // A notice is an article of the notices column's branch.
    let is_notice = |i: usize| {
        notices_id.is_some_and(|id| {
            let col = m.entries[i].article.column.as_str();
            col == id || col.strip_prefix(id).is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut shown: BTreeSet<usize> = BTreeSet::new();
    let focus_ids: Vec<usize> = m
        .newest
        .iter()
        .copied()
        .filter(|&i| {
            let e = &m.entries[i];
            e.article.featured && e.image.is_some() && !is_notice(i)
        })
        .take(cfg.home.focus)
        .collect();
    let focus: Vec<FocusItem> = focus_ids
        .iter()
        .map(|&i| FocusItem {
            item: m.item(i),
            image: m.entries[i].image.as_deref().unwrap_or_default(),
        })
        .collect();
    shown.extend(&focus_ids);
    let latest_ids: Vec<usize> = m
        .newest
        .iter()
        .copied()
        .filter(|&i| !is_notice(i) && !shown.contains(&i))
        .take(HEADLINES)
        .collect();
    shown.extend(&latest_ids);
    let latest: Vec<Item> = latest_ids.iter().map(|&i| m.item(i)).collect();
    let notices: Vec<Item> = notices_id
        .and_then(|id| m.columns.iter().find(|c| c.column.id == id))
        .map(|c| {
            c.branch
                .iter()
                .take(cfg.home_per_column)
                .map(|&i| m.item(i))
                .collect()
        })
        .unwrap_or_default();
    let notices_url = notices_id
        .and_then(|id| m.columns.iter().find(|c| c.column.id == id))
        .map(|c| c.url.as_str())
        .unwrap_or("");
    let is_topic = |kind: &Option<String>| kind.as_deref() == Some(TOPICS);
    let topics: Vec<TopicView> = m
        .columns
        .iter()
        .filter(|c| is_topic(&c.column.kind))
        .map(|c| TopicView {
            title: &c.column.title,
            url: &c.url,
            description: &c.column.description,
        })
        .collect();
    // Each remaining top-level column (with its branch) with what the
    // blocks above did not show; a column all of whose stories are above
    // is left out.
    let sections: Vec<SectionView> = m
        .columns
        .iter()
        .filter(|c| c.parent.is_none())
        .filter(|c| Some(c.column.id.as_str()) != notices_id && !is_topic(&c.column.kind))
        .filter_map(|c| {
            let items: Vec<Item> = c
                .branch
                .iter()
                .filter(|i| !shown.contains(*i))
                .take(cfg.home_per_column)
                .map(|&i| m.item(i))
                .collect();
            (items.is_empty() == c.branch.is_empty()).then(|| SectionView {
                id: &c.column.id,
                title: &c.column.title,
                url: &c.url,
                items,
            })
        })
        .collect();
    let new_media: Vec<NewMediaView> = cfg
        .home
        .new_media
        .iter()
        .map(|n| NewMediaView {
            name: n.name.trim(),
            platform: n.platform.trim(),
            qr: m.site.url(&n.qr),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("focus", &focus);
    ctx.insert("latest", &latest);
    ctx.insert("notices", &notices);
    ctx.insert("notices_url", notices_url);
    ctx.insert("services", &links(m, &cfg.home.services));
    ctx.insert("interaction", &links(m, &cfg.home.interaction));
    ctx.insert("topics", &topics);
    ctx.insert("sections", &sections);
    ctx.insert("new_media", &new_media);
    ctx
}
