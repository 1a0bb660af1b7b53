//! Property: every URL present in the final HTML of an article is one the
//! gate judged. The gate is given the hosts the link model reads from the
//! article ([`sanshen::publish::external_hosts`]); the page is what the
//! renderer writes (links rewritten, leave-site notices added). For random
//! bodies mixing Markdown links, raw HTML of many kinds and the
//! obfuscations browsers forgive (tabs, newlines, character references,
//! backslashes, upper case, protocol-relative URLs), every host another
//! site would be reached on from the final page is among the judged hosts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use proptest::prelude::*;

use sanshen::config::{self, Site};
use sanshen::content::Article;
use sanshen::document;
use sanshen::links::{self, Base};
use sanshen::render::external::Leave;
use sanshen::render::markdown::{render, Targets};

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        config::parse("name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn/portal/\n")
            .expect("site.yaml")
    })
}

fn article(body: &str) -> Option<Article> {
    let raw = format!("---\ntitle: 标题\nclass: A\ndate: \"2026-11-01\"\n---\n{body}");
    let doc = document::parse(raw.as_bytes()).ok()?;
    Some(Article {
        title: "标题".into(),
        class: Some("A".into()),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)?.and_hms_opt(0, 0, 0)?,
        ..Article::bare("news/a.md", doc)
    })
}

/// A host, as an author (or an attacker) might spell it.
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("evil.example.com".to_string()),
        Just("EVIL.Example.COM".to_string()),
        Just("www.gov.cn".to_string()),
        Just("www.ceshi.gov.cn".to_string()),
        Just("xn--fiq06l2rdsvs.xn--zfr164b".to_string()),
        "[a-z]{1,6}\\.(com|cn|net)",
    ]
}

/// A URL to `host`, maybe disguised.
fn url() -> impl Strategy<Value = String> {
    (host(), 0..9usize, "[a-z0-9/]{0,8}").prop_map(|(h, how, path)| match how {
        0 => format!("https://{h}/{path}"),
        1 => format!("//{h}/{path}"),
        2 => format!("HTTPS://{h}/{path}"),
        3 => format!("/\t/{h}/{path}"),
        4 => format!("https:\\\\{h}\\{path}"),
        5 => format!("ht\ntps://{h}/{path}"),
        6 => format!("https://{h}:443/{path}"),
        7 => format!("/news/{path}"),
        _ => format!("../{path}"),
    })
}

/// The same URL as an attribute value: raw, or with character references.
fn attr(u: &str, encode: bool) -> String {
    if !encode {
        return u.replace('"', "&quot;");
    }
    u.chars()
        .map(|c| match c {
            ':' => "&#58;".to_string(),
            '/' => "&#x2F;".to_string(),
            '\t' => "&Tab;".to_string(),
            '\n' => "&NewLine;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// One fragment of an article body carrying a URL.
fn fragment() -> impl Strategy<Value = String> {
    (url(), 0..14usize, any::<bool>()).prop_map(|(u, kind, enc)| {
        let a = attr(&u, enc);
        match kind {
            0 => format!("[链接]({})", u.replace(['\n', ' '], "")),
            1 => format!("<{}>", u.replace(['\t', '\n', ' ', '\\'], "")),
            2 => format!("[引用][r]\n\n[r]: {}", u.replace(['\n', ' '], "")),
            3 => format!("<a href=\"{a}\">文字</a>"),
            4 => format!("<map name=\"m\"><area href=\"{a}\" alt=\"区域\"></map>"),
            5 => format!("<img src=\"{a}\" alt=\"图\">"),
            6 => format!("![图]({})", u.replace(['\n', ' '], "")),
            7 => format!("<svg><a xlink:href=\"{a}\"><text>t</text></a></svg>"),
            8 => format!("<iframe src=\"{a}\"></iframe>"),
            9 => format!("<form action=\"{a}\"><button>提交</button></form>"),
            10 => format!("<div style=\"background:url('{a}')\">背景</div>"),
            11 => format!("<img srcset=\"{a} 1x, {a} 2x\" alt=\"图\">"),
            12 => format!("<video poster=\"{a}\"></video>"),
            _ => format!("<p><a href='{a}'>单引号</a></p>"),
        }
    })
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(512),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn every_url_in_the_final_html_was_judged(parts in proptest::collection::vec(fragment(), 1..5)) {
        let body = parts.join("\n\n");
        let Some(article) = article(&body) else {
            return Ok(());
        };
        let judged: BTreeSet<String> =
            sanshen::publish::external_hosts(site(), &article).into_iter().collect();

        let articles: BTreeMap<String, Option<String>> = BTreeMap::new();
        let columns: BTreeMap<String, Option<String>> =
            [("news".to_string(), Some("/portal/news/".to_string()))].into_iter().collect();
        let assets: BTreeSet<String> = BTreeSet::new();
        let leave = Leave::new(site());
        let targets = Targets {
            articles: &articles,
            columns: &columns,
            assets: &assets,
            sizes: &BTreeMap::new(),
            base_path: "/portal/",
            leave: &leave,
        };
        // A body the renderer refuses (a broken internal link) publishes
        // nothing, so there is nothing to check.
        let Ok(page) = render(&article, &targets) else {
            return Ok(());
        };
        let base = Base::new(&site().config.base_url, &site().url(&article.rel_url))
            .expect("base");
        for link in links::of_html(&page.html, &base) {
            if let Some(h) = link.target.external_host() {
                prop_assert!(
                    judged.contains(h),
                    "final HTML reaches {h} ({} {}=\"{}\") but the gate judged {:?}\nbody:\n{}\nhtml:\n{}",
                    link.element, link.attr, link.value, judged, body, page.html
                );
            }
        }
    }
}
