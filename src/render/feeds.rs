//! Machine-readable files: Atom feeds (site and per column), `sitemap.xml`
//! and `robots.txt`. Dates come from the articles ([`crate::dates`]: the
//! publication date and the 更新时间), so output is deterministic.

use chrono::NaiveDate;

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

/// Most URLs in one sitemap file (the sitemaps.org limit); beyond it,
/// `sitemap.xml` is an index of `sitemap-1.xml`, `sitemap-2.xml`, ….
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Every published page's absolute URL with its last change: home, site
/// map, published columns, articles newest first.
fn sitemap_urls(model: &Model) -> Vec<(String, Option<NaiveDate>)> {
    let site = model.site;
    // The day each page last changed ([`dates::last_changed`]).
    let date = |i: usize| {
        dates::last_changed(model.entries[i].article, site.offset).map(|t| t.date_naive())
    };
    let mut out = Vec::with_capacity(model.entries.len() + model.columns.len() + 2);
    let mut url = |path: &str, last: Option<NaiveDate>| out.push((site.absolute(path), last));
    url(&site.url(""), model.newest.iter().filter_map(|&i| date(i)).max());
    url(&site.url("sitemap/"), None);
    for c in &model.columns {
        url(&c.url, c.branch.iter().filter_map(|&i| date(i)).max());
    }
    for &i in &model.newest {
        url(&model.entries[i].url, date(i));
    }
    out
}

fn urlset(urls: &[(String, Option<NaiveDate>)]) -> String {
    let mut x = String::with_capacity(256 + urls.len() * 160);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, last) in urls {
        x.push_str(&format!("  <url><loc>{}</loc>", esc(loc)));
        if let Some(d) = last {
            x.push_str(&format!("<lastmod>{}</lastmod>", d.format("%Y-%m-%d")));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// `sitemap.xml`: one `urlset` of `urls`, or, beyond `limit` URLs, a
/// sitemap index of parts `sitemap-<n>.xml` of at most `limit` URLs each.
/// `absolute` makes a site path absolute.
fn sitemap_files(
    urls: &[(String, Option<NaiveDate>)],
    limit: usize,
    absolute: &dyn Fn(&str) -> String,
) -> Vec<OutFile> {
    if urls.len() <= limit {
        return vec![OutFile {
            path: "sitemap.xml".into(),
            bytes: urlset(urls).into_bytes(),
        }];
    }
    let mut out = Vec::new();
    let mut index = String::new();
    index.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, part) in urls.chunks(limit.max(1)).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!("  <sitemap><loc>{}</loc>", esc(&absolute(&path))));
        if let Some(d) = part.iter().filter_map(|(_, d)| *d).max() {
            index.push_str(&format!("<lastmod>{}</lastmod>", d.format("%Y-%m-%d")));
        }
        index.push_str("</sitemap>\n");
        out.push(OutFile {
            path,
            bytes: urlset(part).into_bytes(),
        });
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    out
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
        // A column's feed carries its whole branch: who subscribes to
        // 政府信息公开 wants what is new in 政策文件 too.
        let newest: Vec<usize> = model
            .newest
            .iter()
            .copied()
            .filter(|&i| c.column.holds(&model.entries[i].article.column))
            .collect();
        out.push(OutFile {
            path: format!("{}/feed.xml", c.column.id),
            bytes: atom(model, &title, &self_path, &c.url, &newest).into_bytes(),
        });
    }
    let absolute = |p: &str| site.absolute(&site.url(p));
    out.extend(sitemap_files(
        &sitemap_urls(model),
        SITEMAP_MAX_URLS,
        &absolute,
    ));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<(String, Option<NaiveDate>)> {
        (0..n)
            .map(|k| {
                let day =
                    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(k as u64);
                (format!("https://a.gov.cn/news/{k}/"), Some(day))
            })
            .collect()
    }

    fn text(f: &OutFile) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn up_to_the_limit_one_urlset() {
        let files = sitemap_files(&urls(3), 3, &|p| format!("https://a.gov.cn/{p}"));
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        assert!(text(&files[0]).contains("<urlset"));
        assert_eq!(text(&files[0]).matches("<url>").count(), 3);
    }

    #[test]
    fn beyond_the_limit_an_index_of_parts() {
        let files = sitemap_files(&urls(7), 3, &|p| format!("https://a.gov.cn/{p}"));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let counts: Vec<usize> = files[..3]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .collect();
        assert_eq!(counts, [3, 3, 1]);
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(index.contains(
            "<sitemap><loc>https://a.gov.cn/sitemap-3.xml</loc><lastmod>2026-01-07</lastmod></sitemap>"
        ));
        assert_eq!(index.matches("<sitemap>").count(), 3);
    }
}
