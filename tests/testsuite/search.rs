//! Site search (站内搜索, R21): the index under `search/` holds published
//! articles only, is deterministic, uses the documented tokenisation (the
//! cases shared with search.js), and finds what it should when queried by
//! the site's own search.js, run under node (`tests/fixtures/search/lookup.mjs`).

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

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
    assert_eq!(index["version"], 3);
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

/// One token's list as search.js decodes it: (document, in title).
fn list(s: &TestSite, shards: u64, t: &str) -> Vec<(u64, bool)> {
    let shard = json(
        s,
        &format!("search/p/{}.json", u64::from(fnv1a(t)) % shards),
    );
    let mut id = 0;
    let mut out = Vec::new();
    for v in shard["t"][t].as_array().into_iter().flatten() {
        let v = v.as_u64().expect("int");
        id += v / 2;
        out.push((id, v % 2 == 1));
    }
    out
}

/// What search.js found for one query (see lookup.mjs).
struct Found {
    /// Requests to show the first 10 results, and their gzip bytes.
    requests: usize,
    gz: u64,
    /// The tokens search.js looked up.
    tokens: BTreeSet<String>,
    /// URLs of the first 10 results, in order, and of all results.
    first: Vec<String>,
    urls: BTreeSet<String>,
    /// The files fetched for the first 10 results, in order.
    files: Vec<String>,
}

/// Run the built site's own `assets/search.js` under node on `queries`.
fn search_js(s: &TestSite, queries: &[&str]) -> Vec<Found> {
    let script = common::repo().join("tests/fixtures/search/lookup.mjs");
    let arg = serde_json::to_string(queries).expect("json");
    let out = Command::new("node")
        .arg(&script)
        .arg(s.out())
        .arg(&arg)
        .output()
        .unwrap_or_else(|e| panic!("需要 node 运行 search.js（apt-get install nodejs）：{e}"));
    assert!(
        out.status.success(),
        "lookup.mjs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("lookup.mjs JSON");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|u| u.as_str().expect("string").to_string())
            .collect()
    };
    v["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| Found {
            requests: q["requests"].as_u64().expect("requests") as usize,
            gz: q["gz"].as_u64().expect("gz"),
            tokens: strings(&q["tokens"]).into_iter().collect(),
            first: strings(&q["first"]),
            urls: strings(&q["urls"]).into_iter().collect(),
            files: strings(&q["files"]),
        })
        .collect()
}

fn urls(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|u| u.to_string()).collect()
}

#[test]
fn queries_find_the_right_documents() {
    let s = site();
    assert_eq!(s.build(&[]).code, 0);
    let (stop, meeting, jobs) = (
        "/notices/2026-11-19-tingshui/",
        "/news/2026-11-18-huiyi/",
        "/news/2026-11-10-zhaopin/",
    );
    let cases: &[(&str, &[&str])] = &[
        ("安全生产", &[meeting, jobs]),
        ("安全生产 会议", &[meeting]),
        ("2026年", &[meeting]),
        ("ＰＵＢＬＩＳＨＥＤＷＯＲＤ", &[meeting]),
        ("停水", &[stop]),
        // A single character matches inside longer words too.
        ("停", &[stop]),
        ("聘", &[jobs]),
        ("物资调拨", &[]),
    ];
    let queries: Vec<&str> = cases.iter().map(|(q, _)| *q).collect();
    for ((q, want), found) in cases.iter().zip(search_js(&s, &queries)) {
        assert_eq!(found.urls, urls(want), "{q}");
        assert!(
            found.requests <= 5,
            "{q}: {} requests: {:?}",
            found.requests,
            found.files
        );
    }
    // Title hits first: 安全生产 is in the title of the meeting only.
    assert_eq!(search_js(&s, &["安全生产"])[0].first, [meeting, jobs]);
    // Document shards: title, url, date, column, text.
    let d = doc(&s, 1);
    assert_eq!(d[0], "示例区召开2026年第四季度安全生产工作会议");
    assert_eq!(d[1], meeting);
    assert_eq!(d[2], "2026-11-18");
    let columns = json(&s, "search/index.json")["columns"].clone();
    assert_eq!(columns[d[3].as_u64().unwrap() as usize], "政务动态");
    assert!(d[4]
        .as_str()
        .unwrap()
        .starts_with("会议部署今冬明春安全生产工作"));
    // The title bit: 安全 is in the title of 1, only in the body of 2; the
    // shard of 安全 carries the record of its title hit.
    let shards = json(&s, "search/index.json")["shards"].as_u64().unwrap();
    assert_eq!(list(&s, shards, "安全"), [(1, true), (2, false)]);
    let shard = json(
        &s,
        &format!("search/p/{}.json", u64::from(fnv1a("安全")) % shards),
    );
    assert_eq!(shard["r"]["1"], d, "{shard}");
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
    // The page carries the root, so a query does not fetch it.
    let attr = page
        .split("data-search-index=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("data-search-index");
    let carried: Value = serde_json::from_str(
        &attr
            .replace("&quot;", "\"")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&"),
    )
    .expect("root JSON");
    assert_eq!(carried, json(&s, "search/index.json"));
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
        // Before the tests' clock (2026-11-21): a future date is held.
        let date = format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 28);
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

/// Recall over a generated corpus, with the site's own search.js: for
/// every query, it finds every article whose title or a paragraph contains
/// the query text, and exactly the articles that have every token it looked
/// up; title hits come first; the first page takes at most 5 requests.
#[test]
fn recall_over_a_generated_corpus() {
    let (s, docs) = generated(300);
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let index = json(&s, "search/index.json");
    let n = index["docs"].as_u64().unwrap();
    assert_eq!(n, docs.len() as u64);
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
            "招商引资 数字政府建设",
            "老旧小区改造 高标准农田 城市更新",
            "无此词语",
        ]
        .map(String::from),
    );
    // Queries cut from the articles' own text: 5 to 7 characters from a
    // paragraph of every 25th article, not cutting into an ASCII word (a
    // word is one token: `g` does not find `GDP`).
    for (i, (_, paras)) in docs.iter().enumerate().step_by(25) {
        let chars: Vec<char> = paras[i % 3].chars().collect();
        let len = 5 + i % 3;
        let inside = |k: usize| {
            k > 0
                && k < chars.len()
                && chars[k - 1].is_ascii_alphanumeric()
                && chars[k].is_ascii_alphanumeric()
        };
        let at = ((i * 7)..)
            .map(|a| a % (chars.len() - len))
            .find(|&a| !inside(a) && !inside(a + len))
            .expect("a cut");
        queries.push(chars[at..at + len].iter().collect());
    }
    let qs: Vec<&str> = queries.iter().map(String::as_str).collect();
    let results = search_js(&s, &qs);
    // Each generated article's URL, folded title and texts, and terms.
    let articles: Vec<(String, String, Vec<String>, BTreeSet<String>)> = docs
        .iter()
        .enumerate()
        .map(|(i, (title, paras))| {
            let column = if i % 3 == 0 { "notices" } else { "news" };
            let texts: Vec<String> = std::iter::once(title)
                .chain(paras)
                .map(|t| fold(t))
                .collect();
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
            (format!("/{column}/g{i}/"), fold(title), texts, terms)
        })
        .collect();
    let mut total = 0;
    for (q, found) in queries.iter().zip(&results) {
        let phrases: Vec<String> = fold(q).split_whitespace().map(String::from).collect();
        let containing: BTreeSet<String> = articles
            .iter()
            .filter(|(_, _, texts, _)| {
                phrases
                    .iter()
                    .all(|p| texts.iter().any(|t| t.contains(p.as_str())))
            })
            .map(|a| a.0.clone())
            .collect();
        let with_tokens: BTreeSet<String> = articles
            .iter()
            .filter(|a| !found.tokens.is_empty() && found.tokens.is_subset(&a.3))
            .map(|a| a.0.clone())
            .collect();
        assert!(
            containing.is_subset(&found.urls),
            "{q}: missed {:?}",
            containing.difference(&found.urls).collect::<Vec<_>>()
        );
        assert_eq!(found.urls, with_tokens, "{q}");
        // The tokens looked up are query tokens, at least one per phrase.
        let all: BTreeSet<String> = tokenize(q).into_iter().collect();
        assert!(found.tokens.is_subset(&all), "{q}: {:?}", found.tokens);
        if !all.is_empty() {
            assert!(!found.tokens.is_empty(), "{q}");
        }
        // At most 5 requests for one phrase. Several phrases are ranked by
        // whether all of them are in the title; the records of such rarer
        // title hits are not carried by the postings shards, so each may
        // cost a document shard: at most 4 postings shards and one document
        // shard per result shown (docs/admin/search.md, 例外).
        let limit = if phrases.len() > 1 { 4 + 10 } else { 5 };
        assert!(
            found.requests <= limit,
            "{q}: {} requests: {:?}",
            found.requests,
            found.files
        );
        assert!(found.gz <= 100 * 1024, "{q}: {} bytes", found.gz);
        // The first page: as many results as there are (up to 10), title
        // hits of the whole query (each word or Han run of it in the
        // title; punctuation only separates) before everything else.
        assert_eq!(found.first.len(), found.urls.len().min(10), "{q}");
        let runs: Vec<&str> = phrases
            .iter()
            .flat_map(|p| {
                p.split(|c: char| {
                    !(sanshen::search::tokenize::is_han(c) || c.is_ascii_alphanumeric())
                })
            })
            .filter(|r| !r.is_empty())
            .collect();
        let title_hit = |url: &String| {
            articles
                .iter()
                .find(|a| &a.0 == url)
                .is_some_and(|a| runs.iter().all(|r| a.1.contains(r)))
        };
        let titled = found.urls.iter().filter(|u| title_hit(u)).count();
        let leading = found.first.iter().take_while(|u| title_hit(u)).count();
        assert_eq!(leading, titled.min(10), "{q}: {:?}", found.first);
        total += containing.len();
    }
    assert!(total > 1000, "the queries hit the corpus: {total}");
    // Titles carry the title bit: exactly the titles with 振兴.
    let shards = index["shards"].as_u64().unwrap();
    for (id, in_title) in list(&s, shards, "振兴") {
        let title = doc(&s, id)[0].as_str().unwrap().to_string();
        assert_eq!(in_title, title.contains("振兴"), "{id}");
    }
}
