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
    assert_eq!(index["version"], 2);
    assert_eq!(index["docs"], 3);
    // The root is small: no titles, no per-document data.
    assert!(s.read("search/index.json").len() < 512, "{index}");
    assert!(index.get("titles").is_none(), "{index}");
    let titles: Vec<String> = (0..3)
        .map(|id| doc(&s, id)[0].as_str().unwrap().to_string())
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

/// The record `[title, url, date, column, text]` of document `id`, read
/// the way search.js reads it.
fn doc(s: &TestSite, id: u64) -> Value {
    let per = json(s, "search/index.json")["per_doc"]
        .as_u64()
        .expect("per_doc");
    json(s, &format!("search/d/{}.json", id / per))[(id % per) as usize].clone()
}

/// One token's list as search.js decodes it: document → (tf, in title).
fn list(s: &TestSite, shards: u64, t: &str) -> Vec<(u64, u64, bool)> {
    let shard = json(
        s,
        &format!("search/p/{}.json", u64::from(fnv1a(t)) % shards),
    );
    let mut id = 0;
    let mut out = Vec::new();
    for v in shard[t].as_array().into_iter().flatten() {
        let v = v.as_u64().expect("int");
        id += v / 16;
        assert!((1..=7).contains(&(v % 8)), "tf of {t}");
        out.push((id, v % 8, v % 16 >= 8));
    }
    out
}

/// Query the written index the way search.js does; document numbers of
/// the articles with every token, and the requests it took to find them.
fn lookup(s: &TestSite, q: &str) -> (BTreeSet<u64>, usize) {
    let index = json(s, "search/index.json");
    let shards = index["shards"].as_u64().expect("shards");
    let mut result: Option<BTreeSet<u64>> = None;
    let mut fetched = BTreeSet::new();
    for t in tokenize(q) {
        fetched.insert(u64::from(fnv1a(&t)) % shards);
        let docs = list(s, shards, &t)
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        result = Some(match result {
            Some(r) => r.intersection(&docs).copied().collect(),
            None => docs,
        });
    }
    (result.unwrap_or_default(), 1 + fetched.len())
}

fn query(s: &TestSite, q: &str) -> BTreeSet<u64> {
    lookup(s, q).0
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
    // Document shards: title, url, date, column, text.
    let d = doc(&s, 1);
    assert_eq!(d[0], "示例区召开2026年第四季度安全生产工作会议");
    assert_eq!(d[1], "/news/2026-11-18-huiyi/");
    assert_eq!(d[2], "2026-11-18");
    let columns = json(&s, "search/index.json")["columns"].clone();
    assert_eq!(columns[d[3].as_u64().unwrap() as usize], "政务动态");
    assert!(d[4]
        .as_str()
        .unwrap()
        .starts_with("会议部署今冬明春安全生产工作"));
    // The title bit: 安全 is in the title of 1, only in the body of 2.
    let shards = json(&s, "search/index.json")["shards"].as_u64().unwrap();
    let l = list(&s, shards, "安全");
    assert_eq!(
        l.iter().map(|&(id, _, t)| (id, t)).collect::<Vec<_>>(),
        [(1, true), (2, false)]
    );
    assert_eq!(
        l[0].1, 2,
        "安全 once in the title of 1 and once in its body"
    );
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
    let shard = json(&s, "search/d/0.json");
    assert!(
        shard[0][1].as_str().unwrap().starts_with("/portal/"),
        "{shard}"
    );
}

/// Phrases the generated corpus is made of (and the queries are cut from).
const PHRASES: &[&str] = &[
    "安全生产",
    "乡村振兴",
    "优化营商环境",
    "数字政府建设",
    "生态环境保护",
    "就业创业",
    "基本医疗保险",
    "义务教育",
    "城市更新",
    "防汛抗旱",
    "科技成果转化",
    "粮食安全",
    "老旧小区改造",
    "养老服务",
    "政务公开",
    "减税降费",
    "食品药品安全",
    "河湖长制",
    "高标准农田",
    "招商引资",
    "5G网络",
    "2026年",
    "第四季度",
    "GDP增长",
    "会议强调",
    "切实做好",
    "统筹推进",
    "压实责任",
    "群众满意",
    "全省各地",
];

/// `n` generated articles over two columns: (title, paragraphs).
fn generated(n: usize) -> (TestSite, Vec<(String, Vec<String>)>) {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    // A deterministic choice of phrases: a 64-bit LCG.
    let mut state = 7u64;
    let mut pick = |k: usize| -> String {
        let mut words = Vec::with_capacity(k);
        for _ in 0..k {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            words.push(PHRASES[(state >> 33) as usize % PHRASES.len()]);
        }
        words.join("，")
    };
    let mut docs = Vec::new();
    for i in 0..n {
        let title = format!("关于{}的通知（第{i}号）", pick(2));
        let paras: Vec<String> = (0..3).map(|_| format!("{}。", pick(4))).collect();
        let column = if i % 3 == 0 { "notices" } else { "news" };
        let date = format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        s.article(
            &format!("{column}/g{i}.md"),
            &title,
            &date,
            "",
            &paras.join("\n\n"),
        );
        docs.push((title, paras));
    }
    (s, docs)
}

/// Recall over a generated corpus: for every query, the index finds every
/// article whose title or a paragraph contains the query text, and exactly
/// the articles that have every query token.
#[test]
fn recall_over_a_generated_corpus() {
    let (s, docs) = generated(120);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let index = json(&s, "search/index.json");
    let n = index["docs"].as_u64().unwrap();
    assert_eq!(n, docs.len() as u64);
    // Document number → title, to compare with the generated texts.
    let title_of: Vec<String> = (0..n)
        .map(|id| doc(&s, id)[0].as_str().unwrap().to_string())
        .collect();
    let fold = |t: &str| {
        t.chars()
            .map(sanshen::search::tokenize::fold)
            .collect::<String>()
    };
    let mut queries: Vec<String> = PHRASES.iter().map(|p| p.to_string()).collect();
    queries.extend(
        [
            "安全",
            "振兴",
            "税",
            "生产 会议",
            "5g",
            "ＧＤＰ",
            "第四季",
            "2026",
            "通知 第7号",
            "养老服务 粮食安全",
            "无此词语",
        ]
        .map(String::from),
    );
    let mut total = 0;
    for q in &queries {
        let (found, requests) = lookup(&s, q);
        let want_tokens: BTreeSet<String> = tokenize(q).into_iter().collect();
        let mut containing = BTreeSet::new();
        let mut with_tokens = BTreeSet::new();
        for (id, title) in title_of.iter().enumerate() {
            let (_, paras) = docs
                .iter()
                .find(|(t, _)| t == title)
                .expect("generated title");
            let texts: Vec<String> = std::iter::once(title)
                .chain(paras)
                .map(|t| fold(t))
                .collect();
            if fold(q)
                .split_whitespace()
                .all(|p| texts.iter().any(|t| t.contains(p)))
            {
                containing.insert(id as u64);
            }
            let mut terms = BTreeSet::new();
            for t in &texts {
                sanshen::search::tokenize::index_terms(t, |term| {
                    terms.insert(match term {
                        sanshen::search::tokenize::Term::Han(k) => {
                            sanshen::search::tokenize::han_text(k)
                        }
                        sanshen::search::tokenize::Term::Word(w) => w.to_string(),
                    });
                });
            }
            if !want_tokens.is_empty() && want_tokens.is_subset(&terms) {
                with_tokens.insert(id as u64);
            }
        }
        assert!(
            containing.is_subset(&found),
            "{q}: missed {:?}",
            containing.difference(&found).collect::<Vec<_>>()
        );
        assert_eq!(found, with_tokens, "{q}");
        assert!(requests <= 1 + want_tokens.len(), "{q}");
        total += containing.len();
    }
    assert!(total > 500, "the queries hit the corpus: {total}");
    // Titles carry the title bit: every title phrase query ranks its
    // title hits first in search.js; here, the bit is set exactly for them.
    let shards = index["shards"].as_u64().unwrap();
    for (id, in_title) in list(&s, shards, "振兴")
        .into_iter()
        .map(|(id, _, t)| (id, t))
    {
        assert_eq!(in_title, title_of[id as usize].contains("振兴"), "{id}");
    }
}
