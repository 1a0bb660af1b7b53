//! Markdown → HTML with link rewriting and the leave-site notice, on any
//! article body; and the raw-HTML `<a href>` rewrite on any text.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sanshen::config::{self, Site};
use sanshen::content::Article;
use sanshen::document;
use sanshen::render::external::Leave;
use sanshen::render::markdown::{render, Targets};

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        config::parse("name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn/portal/\n")
            .expect("site.yaml")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let raw = format!("---\ntitle: 标题\nclass: A\ndate: \"2026-11-01\"\n---\n{body}");
    let Ok(doc) = document::parse(raw.as_bytes()) else {
        return;
    };
    let article = Article {
        title: "标题".into(),
        class: Some("A".into()),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
        ..Article::bare("news/a.md", doc)
    };
    let articles: BTreeMap<String, Option<String>> = [
        ("news/b.md".to_string(), Some("/portal/news/b/".to_string())),
        ("news/held.md".to_string(), None),
    ]
    .into_iter()
    .collect();
    let columns: BTreeMap<String, String> = [("news".to_string(), "/portal/news/".to_string())]
        .into_iter()
        .collect();
    let assets: BTreeSet<String> = ["news/images/a.png".to_string()].into_iter().collect();
    let leave = Leave::new(site());
    let targets = Targets {
        articles: &articles,
        columns: &columns,
        assets: &assets,
        base_path: "/portal/",
        leave: &leave,
    };
    let _ = render(&article, &targets);

    let mut open = false;
    let mut found = Vec::new();
    let _ = leave.rewrite_html(body, &mut open, &mut found);
});
