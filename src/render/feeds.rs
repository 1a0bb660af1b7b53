//! Machine-readable files: Atom feeds (site and per column), `sitemap.xml`
//! and `robots.txt`. Dates come from the articles ([`crate::dates`]: the
//! publication date and the 更新时间), so output is deterministic.

use chrono::{DateTime, FixedOffset};

use super::model::Model;
use super::pages::OutFile;
use crate::dates;

use super::templates::escape as esc;

fn atom(model: &Model, title: &str, self_path: &str, page_path: &str, entries: &[usize]) -> String {
    let site = model.site;
    let limit = site.config.feed_limit;
    let shown: Vec<usize> = entries.iter().copied().take(limit).collect();
    let updated = shown
        .iter()
        .filter_map(|&i| dates::last_changed(model.entries[i].article, site.offset))
        .max()
        .map(|d| d.to_rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let mut x = String::with_capacity(1024 + shown.len() * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    x.push_str(&format!("  <title>{}</title>\n", esc(title)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&site.absolute(self_path))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&site.absolute(page_path))
    ));
    x.push_str(&format!("  <id>{}</id>\n", esc(&site.absolute(self_path))));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&site.config.name)
    ));
    for &i in &shown {
        let e = &model.entries[i];
        let url = site.absolute(&e.url);
        let when = model.datetime(e.article);
        let changed = dates::last_changed(e.article, site.offset)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| when.clone());
        x.push_str("  <entry>\n");
        // Only the preview renders held articles; mark them there.
        let mark = if e.held.is_some() {
            "【未发布】"
        } else {
            ""
        };
        x.push_str(&format!(
            "    <title>{mark}{}</title>\n",
            esc(&e.article.title)
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&url)
        ));
        x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
        x.push_str(&format!("    <published>{when}</published>\n"));
        x.push_str(&format!("    <updated>{changed}</updated>\n"));
        let who = e
            .article
            .department
            .as_deref()
            .or(e.article.author.as_deref())
            .unwrap_or(&site.config.name);
        x.push_str(&format!("    <author><name>{}</name></author>\n", esc(who)));
        x.push_str(&format!("    <summary>{}</summary>\n", esc(&e.summary)));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// `lastmod` of a page: the day it last changed ([`dates::last_changed`]).
fn lastmod(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn sitemap_xml(model: &Model) -> String {
    let site = model.site;
    let changed = |i: usize| dates::last_changed(model.entries[i].article, site.offset);
    let mut x = String::with_capacity(256 + model.entries.len() * 160);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut url = |path: &str, last: Option<DateTime<FixedOffset>>| {
        x.push_str(&format!("  <url><loc>{}</loc>", esc(&site.absolute(path))));
        if let Some(d) = last {
            x.push_str(&format!("<lastmod>{}</lastmod>", lastmod(d)));
        }
        x.push_str("</url>\n");
    };
    url(
        &site.url(""),
        model.newest.iter().filter_map(|&i| changed(i)).max(),
    );
    url(&site.url("sitemap/"), None);
    for c in &model.columns {
        url(&c.url, c.entries.iter().filter_map(|&i| changed(i)).max());
    }
    for &i in &model.newest {
        url(&model.entries[i].url, changed(i));
    }
    x.push_str("</urlset>\n");
    x
}

/// Feeds, sitemap.xml and robots.txt.
pub fn render(model: &Model) -> Vec<OutFile> {
    let site = model.site;
    let mut out = Vec::new();
    out.push(OutFile {
        path: "feed.xml".into(),
        bytes: atom(
            model,
            &site.config.name,
            &site.url("feed.xml"),
            &site.url(""),
            &model.newest,
        )
        .into_bytes(),
    });
    for c in &model.columns {
        let title = format!("{} - {}", c.column.title, site.config.name);
        let self_path = format!("{}feed.xml", c.url);
        let newest: Vec<usize> = model
            .newest
            .iter()
            .copied()
            .filter(|&i| model.entries[i].article.column == c.column.id)
            .collect();
        out.push(OutFile {
            path: format!("{}/feed.xml", c.column.id),
            bytes: atom(model, &title, &self_path, &c.url, &newest).into_bytes(),
        });
    }
    out.push(OutFile {
        path: "sitemap.xml".into(),
        bytes: sitemap_xml(model).into_bytes(),
    });
    out.push(OutFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            site.absolute(&site.url("sitemap.xml"))
        )
        .into_bytes(),
    });
    out
}
