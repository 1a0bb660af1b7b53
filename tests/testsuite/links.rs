//! `sanshen links`: dead internal links without the network, and the HTTP
//! check of external links against a tiny local server.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::TestSite;

/// Requests the test server saw: (method, path, arrival).
type Log = Arc<Mutex<Vec<(String, String, Instant)>>>;

/// A server on 127.0.0.1: `/ok` 200, `/gone` 404, `/moved` 301 → `/ok`,
/// `/slow` 200 after 3.5 s, `/flaky` 503 once then 200.
fn serve() -> (u16, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let log: Log = Arc::default();
    let seen = log.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = seen.clone();
            thread::spawn(move || answer(stream, &log));
        }
    });
    (port, log)
}

fn answer(mut stream: TcpStream, log: &Log) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let earlier = {
        let mut l = log.lock().unwrap();
        let n = l.iter().filter(|(_, p, _)| *p == path).count();
        l.push((method.clone(), path.clone(), Instant::now()));
        n
    };
    let (status, extra) = match path.as_str() {
        "/ok" => ("200 OK", String::new()),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        "/slow" => {
            thread::sleep(Duration::from_millis(3500));
            ("200 OK", String::new())
        }
        "/flaky" if earlier == 0 => ("503 Service Unavailable", String::new()),
        "/flaky" => ("200 OK", String::new()),
        _ => ("404 Not Found", String::new()),
    };
    let body = if method == "GET" { "ok" } else { "" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n{extra}\r\n{body}"
    );
}

/// The 1-based line of the article file containing `needle`.
fn line_of(s: &TestSite, rel: &str, needle: &str) -> usize {
    let text = String::from_utf8(s.source(rel)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// A site whose one article links to every path of the server; the article
/// is approved by the editor and, for the non-government links, security.
fn external_site(port: u16) -> TestSite {
    let s = TestSite::new();
    let base = format!("http://127.0.0.1:{port}");
    let body = format!(
        "正文。\n\n[正常]({base}/ok)\n\n[失效]({base}/gone)\n\n[迁移]({base}/moved)\n\n\
         [缓慢]({base}/slow)\n\n[偶发]({base}/flaky)\n\n再次引用[正常]({base}/ok)。"
    );
    s.article_signed(
        "news/ext.md",
        "A",
        "站外链接",
        "2026-11-18",
        "",
        &body,
        &[("editor", 1), ("security", 2)],
    );
    s
}

#[test]
fn external_links_are_checked_and_grouped() {
    let (port, log) = serve();
    let s = external_site(port);
    let r = s.run(&["links", "--external", "--timeout", "5"]);
    assert_eq!(r.code, 1, "a dead link: exit 1\n{}", r.all());
    let out = &r.stdout;
    let base = format!("http://127.0.0.1:{port}");
    let at = |needle: &str| {
        format!(
            "content/news/ext.md:{}",
            line_of(&s, "content/news/ext.md", needle)
        )
    };
    assert!(out.contains("站外链接：不同网址 5 个"), "{out}");
    assert!(
        out.contains("正常 4 个，失效 1 个，重定向 1 个，缓慢 1 个"),
        "{out}"
    );
    assert!(
        out.contains(&format!("失效（1 个）：\n  ✗ {base}/gone　—— HTTP 404")),
        "{out}"
    );
    assert!(out.contains(&format!("使用处：{}", at("/gone)"))), "{out}");
    assert!(
        out.contains(&format!(
            "→ {base}/moved　最终地址：{base}/ok（301，共 1 次跳转）"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("… {base}/slow　响应 3.")), "{out}");
    // The same URL used twice is checked once and shows both places.
    let ok_lines: Vec<usize> = String::from_utf8(s.source("content/news/ext.md"))
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("/ok)"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(ok_lines.len(), 2);
    assert!(
        !out.contains(&format!("{base}/flaky　——")),
        "flaky recovers\n{out}"
    );
    assert!(out.contains("结论：✗ 有失效链接"), "{out}");

    let log = log.lock().unwrap().clone();
    let count = |p: &str| log.iter().filter(|(_, path, _)| path == p).count();
    assert_eq!(count("/flaky"), 2, "503 retried once: {log:?}");
    assert_eq!(count("/gone"), 1, "404 is not retried");
    assert_eq!(count("/moved"), 1);
    assert_eq!(count("/ok"), 2, "once directly, once after the redirect");
    assert!(log.iter().all(|(m, _, _)| m == "HEAD"), "{log:?}");
    // One host: request starts at least the per-host delay (500 ms) apart
    // across the 8 worker threads (checked with a margin for scheduling).
    let mut times: Vec<Instant> = log.iter().map(|x| x.2).collect();
    times.sort();
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(250),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn external_report_as_json() {
    let (port, _log) = serve();
    let s = external_site(port);
    let r = s.run(&["links", "--external", "--timeout", "5", "--json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["ok"], false);
    let base = format!("http://127.0.0.1:{port}");
    let by: BTreeMap<String, serde_json::Value> = v["external"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["url"].as_str().unwrap().to_string(), x.clone()))
        .collect();
    let get = |p: &str| by[&format!("{base}{p}")].clone();
    assert_eq!(get("/gone")["status"], "dead");
    assert_eq!(get("/gone")["code"], 404);
    assert_eq!(get("/ok")["status"], "ok");
    assert_eq!(get("/ok")["used_by"].as_array().unwrap().len(), 2);
    assert_eq!(get("/moved")["redirected"], true);
    assert_eq!(get("/moved")["final_url"], format!("{base}/ok"));
    assert_eq!(get("/slow")["slow"], true);
    assert_eq!(get("/flaky")["status"], "ok");
    assert_eq!(get("/flaky")["requests"], 2);
    assert_eq!(v["internal"]["dead"].as_array().unwrap().len(), 0);
}

#[test]
fn dead_internal_links_without_network() {
    let s = TestSite::new();
    s.column("policy", "政策文件");
    s.article("policy/p.md", "政策", "2026-11-10", "", "政策正文。");
    // a.md is held for its dead link; b.md keeps 政务动态 published.
    s.article("news/b.md", "动态", "2026-11-12", "", "动态正文。");
    s.article(
        "news/a.md",
        "有坏链接",
        "2026-11-18",
        "",
        "见[政策](../policy/p.md)、[栏目](/news/)、[首页](/)、[地图](/sitemap/)。\n\n\
         另见[不存在的栏目](/news/none/)。\n\n[订阅](/news/feed.xml) [邮件](mailto:a@ceshi.gov.cn)",
    );
    let r = s.run(&["links"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let line = line_of(&s, "content/news/a.md", "/news/none/");
    let out = &r.stdout;
    assert!(out.contains("站内链接：检查 6 个，✗ 失效 1 个"), "{out}");
    assert!(
        out.contains(&format!(
            "✗ content/news/a.md:{line}　/news/none/　—— 站内没有这个页面或文件"
        )),
        "{out}"
    );
    assert!(out.contains("站外链接：未检查"), "{out}");
    assert!(
        out.contains(&format!("第 {line} 行　站内路径　/news/none/")),
        "{out}"
    );

    // Fixed: exit 0.
    s.article(
        "news/a.md",
        "好链接",
        "2026-11-18",
        "",
        "见[栏目](/news/)与[政策](../policy/p.md)。",
    );
    let r = s.run(&["links"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("✓ 全部有效"), "{}", r.stdout);
}

/// An article linking to pages that only the renderer knows: the search
/// page, the site map, a leave-site notice, a used image.
fn generated_pages_site() -> TestSite {
    let s = TestSite::new();
    s.write_bytes("content/news/images/a.png", b"\x89PNG\r\n\x1a\n");
    s.article(
        "news/a.md",
        "站内搜索",
        "2026-11-18",
        "",
        "请用[站内搜索](/search/)或[搜索“通知”](/search/?q=通知)，\
         也可看[网站地图](/sitemap/)与[图片](/news/images/a.png)。\n\n\
         ![示意图](images/a.png)\n",
    );
    s
}

#[test]
fn the_search_page_is_not_a_dead_link() {
    let s = generated_pages_site();
    let r = s.run(&["links"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = &r.stdout;
    assert!(!out.contains("站内没有这个页面"), "{out}");
    assert!(out.contains("✓ 全部有效"), "{out}");
    assert!(out.contains("站内路径　/search/"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&s.run(&["links", "--json"]).stdout).expect("json");
    assert_eq!(
        v["internal"]["dead"].as_array().map(Vec::len),
        Some(0),
        "{v}"
    );

    // A page the renderer does not write is still dead.
    s.article(
        "news/a.md",
        "站内搜索",
        "2026-11-18",
        "",
        "[搜索](/search/) [旧搜索](/search2/)\n",
    );
    let r = s.run(&["links"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("/search2/　—— 站内没有这个页面或文件"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("/search/　——"), "{}", r.stdout);
}

#[test]
fn audit_does_not_veto_a_link_to_the_search_page() {
    let s = generated_pages_site();
    let r = s.run(&["audit", "--json"]);
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", r.all()));
    let dead = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "dead-links")
        .cloned()
        .expect("dead-links item");
    assert_eq!(dead["ok"], true, "{dead}");
    assert_eq!(dead["count"], 0, "{dead}");
}

#[test]
fn tab_obfuscated_href_is_listed_as_external() {
    let s = TestSite::new();
    let mut who = common::signers("A");
    who.push(("security", 2));
    s.article_signed(
        "news/t.md",
        "A",
        "混淆链接",
        "2026-11-18",
        "",
        "见<a href=\"/\t/evil.example.com/x\">这里</a>。\n",
        &who,
    );
    let r = s.run(&["links"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("站外 1 个"),
        "a browser reads it as //evil.example.com/x\n{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("站外链接　/\t/evil.example.com/x"),
        "{}",
        r.stdout
    );
}
