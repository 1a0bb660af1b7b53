//! Site search (站内搜索, R21): the index under `search/` holds published
//! articles only, is deterministic, uses the documented tokenisation (the
//! cases shared with search.js), and can be queried as search.js does.

use crate::common;

use std::collections::BTreeSet;
use std::fs;

use common::TestSite;
use sanshen::search::tokenize::{fnv1a, tokenize};
use serde_json::Value;

const HELD_TITLE: &str = "尚未审核的防汛物资调拨方案";

fn site() -> TestSite {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    s.article(
        "news/2026-11-18-huiyi.md",
        "示例区召开2026年第四季度安全生产工作会议",
        "2026-11-18",
        "",
        "会议部署今冬明春安全生产工作，要求压实责任。关键词 publishedword。",
    );
    s.article(
        "news/2026-11-10-zhaopin.md",
        "就业援助月专场招聘会举办",
        "2026-11-10",
        "",
        "招聘会提供岗位一千余个，现场也宣传了**安全生产**知识。",
    );
    s.article(
        "notices/2026-11-19-tingshui.md",
        "新华路临时停水通知",
        "2026-11-19",
        "",
        "因管网维修，11月20日新华路停水。",
    );
    // Held: no approvals.
    s.article_signed(
        "news/2026-11-20-held.md",
        "A",
        HELD_TITLE,
        "2026-11-20",
        "",
        "方案涉及 heldsecretword 与物资调拨安排。",
        &[],
    );
    s
}

/// Every file under `public/search/` as text, by path.
fn search_files(s: &TestSite) -> Vec<(String, String)> {
    common::snapshot(&s.out().join("search"))
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8(b).expect("UTF-8")))
        .collect()
}

fn json(s: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&s.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn index_holds_published_articles_only() {
    let s = site();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let index = json(&s, "search/index.json");
    assert_eq!(index["version"], 1);
    assert_eq!(index["docs"], 3);
    let titles: Vec<&str> = index["titles"]
        .as_array()
        .expect("titles")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // Newest first.
    assert_eq!(
        titles,
        [
            "新华路临时停水通知",
            "示例区召开2026年第四季度安全生产工作会议",
            "就业援助月专场招聘会举办"
        ]
    );
    let files = search_files(&s);
    assert!(files.iter().any(|(p, _)| p == "index.html"), "search page");
    for (path, text) in &files {
        for secret in [HELD_TITLE, "heldsecretword", "物资调拨"] {
            assert!(!text.contains(secret), "search/{path} contains {secret}");
        }
    }
    let postings = files
        .iter()
        .filter(|(p, _)| p.starts_with("p/"))
        .map(|(_, t)| t.as_str())
        .collect::<String>();
    assert!(postings.contains("\"publishedword\""), "{postings}");
}

/// Query the written index the way search.js does; document numbers of
/// the articles with every token.
fn query(s: &TestSite, q: &str) -> BTreeSet<u64> {
    let index = json(s, "search/index.json");
    let shards = index["shards"].as_u64().expect("shards");
    let mut result: Option<BTreeSet<u64>> = None;
    for t in tokenize(q) {
        let shard = json(
            s,
            &format!("search/p/{}.json", u64::from(fnv1a(&t)) % shards),
        );
        let mut docs = BTreeSet::new();
        let mut id = 0;
        for v in shard[&t].as_array().into_iter().flatten() {
            let v = v.as_u64().expect("int");
            id += v / 8;
            assert!((1..=7).contains(&(v % 8)), "tf of {t}");
            docs.insert(id);
        }
        result = Some(match result {
            Some(r) => r.intersection(&docs).copied().collect(),
            None => docs,
        });
    }
    result.unwrap_or_default()
}

#[test]
fn queries_find_the_right_documents() {
    let s = site();
    assert_eq!(s.build(&[]).code, 0);
    // 0 停水通知, 1 安全生产会议, 2 招聘会.
    assert_eq!(query(&s, "安全生产"), BTreeSet::from([1, 2]));
    assert_eq!(query(&s, "安全生产 会议"), BTreeSet::from([1]));
    assert_eq!(query(&s, "2026年"), BTreeSet::from([1]));
    assert_eq!(query(&s, "ＰＵＢＬＩＳＨＥＤＷＯＲＤ"), BTreeSet::from([1]));
    assert_eq!(query(&s, "停水"), BTreeSet::from([0]));
    // A single character matches inside longer words too.
    assert_eq!(query(&s, "停"), BTreeSet::from([0]));
    assert_eq!(query(&s, "聘"), BTreeSet::from([2]));
    assert!(query(&s, "物资调拨").is_empty());
    // Text shards: url, date, column, text.
    let per = json(&s, "search/index.json")["per_text"].as_u64().unwrap();
    let shard = json(&s, &format!("search/t/{}.json", 1 / per));
    let doc = &shard[(1 % per) as usize];
    assert_eq!(doc[0], "/news/2026-11-18-huiyi/");
    assert_eq!(doc[1], "2026-11-18");
    let columns = json(&s, "search/index.json")["columns"].clone();
    assert_eq!(columns[doc[2].as_u64().unwrap() as usize], "政务动态");
    assert!(doc[3]
        .as_str()
        .unwrap()
        .starts_with("会议部署今冬明春安全生产工作"));
}

#[test]
fn tokenizer_matches_the_cases_shared_with_search_js() {
    let text = fs::read_to_string(common::repo().join("tests/fixtures/search/tokenize.json"))
        .expect("fixture");
    let cases: Value = serde_json::from_str(&text).expect("json");
    for case in cases["tokenize"].as_array().expect("cases") {
        let input = case[0].as_str().unwrap();
        let want: Vec<&str> = case[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(tokenize(input), want, "{input}");
    }
    for case in cases["fnv1a"].as_array().expect("cases") {
        let input = case[0].as_str().unwrap();
        assert_eq!(
            u64::from(fnv1a(input)),
            case[1].as_u64().unwrap(),
            "{input}"
        );
    }
}

#[test]
fn index_bytes_are_deterministic() {
    let s = site();
    assert_eq!(s.build(&[]).code, 0);
    let first = common::snapshot(&s.out().join("search"));
    assert_eq!(s.build(&[]).code, 0);
    let second = common::snapshot(&s.out().join("search"));
    assert!(first.len() > 3);
    assert!(first == second, "search files differ between builds");
}

#[test]
fn search_page_and_header_form() {
    let s = site();
    s.write(
        "site.yaml",
        "name: 测试区人民政府\nbase_url: https://www.ceshi.gov.cn/portal\nper_page: 15\n",
    );
    assert_eq!(s.build(&[]).code, 0);
    let page = s.read("search/index.html");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<h1>站内搜索</h1>"), "{page}");
    assert!(
        page.contains("role=\"status\" aria-live=\"polite\""),
        "{page}"
    );
    assert!(page.contains("<noscript>"), "{page}");
    assert!(
        page.contains("站内搜索需要浏览器启用 JavaScript。您也可以通过<a href=\"/portal/sitemap/\">网站地图</a>"),
        "{page}"
    );
    assert!(
        page.contains("src=\"/portal/assets/search.js\" defer"),
        "{page}"
    );
    assert!(
        page.contains("data-search-root=\"/portal/search/\""),
        "{page}"
    );
    // Every page: the header search form and the hidden 长辈版 toggle.
    for rel in [
        "index.html",
        "news/index.html",
        "news/2026-11-18-huiyi/index.html",
    ] {
        let html = s.read(rel);
        assert!(
            html.contains("<form class=\"site-search\" action=\"/portal/search/\" method=\"get\" role=\"search\""),
            "{rel}"
        );
        assert!(
            html.contains("aria-pressed=\"false\" hidden>长辈版</button>"),
            "{rel}"
        );
        assert!(
            html.contains("localStorage.getItem(\"sanshen-elder\")"),
            "{rel}"
        );
        assert!(html.contains("/portal/assets/elder.js"), "{rel}");
    }
    let shard = json(&s, "search/t/0.json");
    assert!(
        shard[0][0].as_str().unwrap().starts_with("/portal/"),
        "{shard}"
    );
}
