//! Dead links (链接不可用) are caught before anyone signs (issue 13): the
//! build holds an article with a dead internal link in any form — a site
//! path, a full URL on the site's own host, a relative `.md`, a missing
//! image, a link to an article that is not published — with file, line
//! and the fix; `status`, `sign` and the review desk say so for articles
//! not yet approved.

use crate::common;
use crate::review_desk::Desk;
use crate::serve::Server;

use common::*;

/// The lines of `out` from the one about `file` up to the next article.
fn about(out: &str, file: &str) -> String {
    let start = out
        .find(&format!("{file}《"))
        .unwrap_or_else(|| panic!("{file} not listed:\n{out}"));
    let mut lines = out[start..].lines();
    let mut text = lines.next().unwrap_or_default().to_string();
    for l in lines.take_while(|l| l.starts_with("    ")) {
        text.push('\n');
        text.push_str(l);
    }
    text
}

/// A site with one published article, `news/ok.md` (`/news/ok/`).
fn site() -> TestSite {
    let s = TestSite::new();
    s.article("news/ok.md", "正常文章", "2026-11-01", "", "正文。");
    s
}

/// The body line of an article written by `TestSite::article`: front
/// matter (7 lines), gate block (6 lines), a blank line, then the body.
const BODY: usize = 15;

#[test]
fn a_site_path_dead_link_holds_the_article_and_status_says_so_before_signing() {
    let s = site();
    s.article(
        "news/a.md",
        "站内路径",
        "2026-11-02",
        "",
        "第一段。\n\n详见[会议通知](/news/2026-huiyi/)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("news/ok/index.html"));
    assert!(!s.exists("news/a/index.html"), "{}", r.all());
    let a = about(&r.stdout, "content/news/a.md");
    assert!(a.contains("[dead-link]"), "{a}");
    assert!(a.contains(&format!("第 {} 行", BODY + 2)), "{a}");
    assert!(a.contains("“/news/2026-huiyi/”"), "{a}");
    assert!(
        a.contains("站内没有这个页面") && a.contains("修改方法"),
        "{a}"
    );
    // `--strict` holds it too (and does not fail: it is no tampering).
    let strict = s.build(&["--strict"]);
    assert!(!s.exists("news/a/index.html"), "{}", strict.all());

    // Before anyone signs: `status` says what the build would refuse.
    s.write(
        "content/news/p.md",
        &TestSite::article_text(
            "A",
            "待审稿件",
            "2026-11-03",
            "",
            "见[不存在的页面](/news/nosuch/)。",
        ),
    );
    let st = s.run(&["status", "content/news/p.md"]);
    assert_eq!(st.code, 1, "{}", st.all());
    assert!(st.stdout.contains("/news/nosuch/"), "{}", st.stdout);
    assert!(st.stdout.contains("站内没有这个页面"), "{}", st.stdout);
    assert!(!st.stdout.contains("审核要求已全部满足"), "{}", st.stdout);
}

#[test]
fn a_full_url_on_the_sites_own_host_is_checked_like_a_site_path() {
    let s = site();
    s.article(
        "news/dead.md",
        "本站网址失效",
        "2026-11-02",
        "",
        "见 <https://www.ceshi.gov.cn/news/nosuch/>。",
    );
    s.article(
        "news/live.md",
        "本站网址有效",
        "2026-11-03",
        "",
        "见[正常文章](http://www.ceshi.gov.cn/news/ok/)与[首页](https://www.ceshi.gov.cn/)。",
    );
    // Without `www.` it is another host (base_url names www): not a dead
    // link of this site.
    s.article(
        "news/other.md",
        "另一主机",
        "2026-11-04",
        "",
        "见[主管部门](https://ceshi.gov.cn/news/nosuch/)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!s.exists("news/dead/index.html"));
    let dead = about(&r.stdout, "content/news/dead.md");
    assert!(
        dead.contains("[dead-link]")
            && dead.contains(&format!("第 {BODY} 行"))
            && dead.contains("https://www.ceshi.gov.cn/news/nosuch/"),
        "{dead}"
    );
    assert!(s.exists("news/live/index.html"), "{}", r.all());
    assert!(s.exists("news/other/index.html"), "{}", r.all());
}

#[test]
fn a_link_to_an_article_not_published_holds_the_linker_to_a_fixpoint() {
    let s = site();
    // p: exists but nobody signed it.
    s.write(
        "content/news/p.md",
        &TestSite::article_text("A", "待审稿件", "2026-11-02", "", "正文。"),
    );
    s.article(
        "news/a.md",
        "引用待审",
        "2026-11-03",
        "",
        "见[待审稿件](p.md)。",
    );
    s.article(
        "news/b.md",
        "以站内路径引用待审",
        "2026-11-03",
        "",
        "见[待审稿件](/news/p/)。",
    );
    // c links a, which is held because of p: c is held too.
    s.article("news/c.md", "间接引用", "2026-11-04", "", "见[甲](a.md)。");
    // d and e link each other and are both approved: both publish.
    s.article("news/d.md", "丁", "2026-11-05", "", "见[戊](e.md)。");
    s.article("news/e.md", "戊", "2026-11-05", "", "见[丁](/news/d/)。");
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    for held in ["a", "b", "c"] {
        assert!(!s.exists(&format!("news/{held}/index.html")), "{held}");
        let why = about(&r.stdout, &format!("content/news/{held}.md"));
        assert!(
            why.contains("[dead-link]") && why.contains("本次不发布"),
            "{why}"
        );
    }
    let a = about(&r.stdout, "content/news/a.md");
    assert!(
        a.contains("content/news/p.md") && a.contains("pending"),
        "{a}"
    );
    assert!(s.exists("news/d/index.html") && s.exists("news/e/index.html"));
    assert!(s.read("news/d/index.html").contains("href=\"/news/e/\""));
}

#[test]
fn a_hold_reaches_every_linker_down_a_chain_in_any_link_form() {
    // Each round re-checks only the articles that link to one held in
    // the round before: the hold must still walk the whole chain.
    let s = site();
    s.write(
        "content/news/d.md",
        &TestSite::article_text("A", "待审", "2026-11-02", "", "正文。"),
    );
    s.article("news/c.md", "丙", "2026-11-03", "", "见[丁](d.md)。");
    s.article(
        "news/b.md",
        "乙",
        "2026-11-03",
        "",
        "见[丙](https://www.ceshi.gov.cn/news/c/)。",
    );
    s.article("news/a.md", "甲", "2026-11-03", "", "见[乙](/news/b/)。");
    s.article(
        "news/x.md",
        "无关",
        "2026-11-03",
        "",
        "见[正常](/news/ok/)。",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    for (held, target, why) in [
        ("c", "content/news/d.md", "pending"),
        ("b", "/news/c/", "dead-link"),
        ("a", "/news/b/", "dead-link"),
    ] {
        assert!(!s.exists(&format!("news/{held}/index.html")), "{held}");
        let text = about(&r.stdout, &format!("content/news/{held}.md"));
        assert!(
            text.contains("[dead-link]")
                && text.contains(target)
                && text.contains(&format!("本次不发布（原因：{why}"))
                && text.contains(&format!("第 {BODY} 行")),
            "{text}"
        );
    }
    assert!(s.exists("news/x/index.html") && s.exists("news/ok/index.html"));
}

#[test]
fn a_missing_image_holds_the_article_in_every_form() {
    let s = site();
    s.article(
        "news/i.md",
        "图片",
        "2026-11-02",
        "",
        "![现场](/news/images/none.png)\n\n<img src=\"https://www.ceshi.gov.cn/images/x.jpg\" alt=\"图\">",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!s.exists("news/i/index.html"));
    let i = about(&r.stdout, "content/news/i.md");
    assert!(i.contains(&format!("第 {BODY} 行")), "{i}");
    assert!(i.contains(&format!("第 {} 行", BODY + 2)), "{i}");
    assert!(i.contains("站内没有这个图片"), "{i}");
}

#[test]
fn sign_and_the_review_desk_show_the_dead_link_before_signing() {
    let s = site();
    s.write(
        "content/news/p.md",
        &TestSite::article_text(
            "A",
            "待审稿件",
            "2026-11-03",
            "",
            "见[不存在的页面](/news/nosuch/)。",
        ),
    );
    git_at(s.path(), &["init", "-q"], "2026-11-20T09:00:00+08:00");
    git_at(s.path(), &["add", "-A"], "2026-11-20T09:00:00+08:00");
    git_at(
        s.path(),
        &["commit", "-q", "-m", "初稿"],
        "2026-11-20T09:00:00+08:00",
    );
    {
        let mut desk = Desk::start(&s, "editor");
        let page = desk.get("/_review/article?a=news/p.md");
        assert!(page.contains("/news/nosuch/"), "{page}");
        assert!(page.contains("站内没有这个页面"), "{page}");
        // Signed at the desk anyway: it says what still blocks it.
        desk.read_csrf("news/p.md");
        let confirm = desk.get("/_review/sign?a=news/p.md");
        let i = confirm.find("name=\"digest\" value=\"").expect("digest") + 21;
        let digest = confirm[i..i + confirm[i..].find('"').unwrap()].to_string();
        let done = desk.post("/_review/sign", &[("a", "news/p.md"), ("digest", &digest)]);
        assert!(done.contains("已签发"), "{done}");
        assert!(!done.contains("审核要求已全部满足"), "{done}");
        assert!(
            done.contains("仍暂缓发布：") && done.contains("/news/nosuch/"),
            "{done}"
        );
        git_at(
            s.path(),
            &["reset", "-q", "--hard", "HEAD~1"],
            "2026-11-20T09:00:00+08:00",
        );
    }
    let key = s.key_file("editor");
    let r = s.run(&["sign", "content/news/p.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // The review view printed before signing lists it…
    let before = r.stdout.split("已签署").next().unwrap_or("");
    assert!(before.contains("站内没有这个页面"), "{}", r.stdout);
    // …and the signer is not told it will publish.
    assert!(!r.stdout.contains("审核要求已全部满足"), "{}", r.stdout);
    assert!(r.stdout.contains("/news/nosuch/"), "{}", r.stdout);
}

#[test]
fn the_preview_banner_names_the_dead_link() {
    let s = site();
    s.article(
        "news/a.md",
        "站内路径",
        "2026-11-02",
        "",
        "详见[会议通知](/news/2026-huiyi/)。",
    );
    let server = Server::start(&s);
    let (code, page) = server.get("/news/a/");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("dead-link"), "{page}");
    assert!(page.contains("/news/2026-huiyi/"), "{page}");
    assert!(page.contains("站内没有这个页面"), "{page}");
}

#[test]
fn the_typo_hint_survives_a_missing_title() {
    let s = site();
    s.write(
        "content/news/t.md",
        "---\ntitel: 关于开展冬季供暖检查的通知\nclass: A\ndate: \"2026-11-20\"\n---\n\n正文。\n",
    );
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let t = about(&r.stdout, "content/news/t.md");
    assert!(t.contains("是否想写 title"), "{t}");
    assert!(t.contains("第 2 行"), "{t}");
    let st = s.run(&["status", "content/news/t.md"]);
    assert!(st.all().contains("是否想写 title"), "{}", st.all());
}

mod fixpoint {
    //! The published set is the largest set of publishable articles in
    //! which no article links outside the set, whatever the link form.

    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use crate::common::{signers, trust_root, TestSite, NOW_RFC3339};

    /// How article `i` links article `j`.
    fn form(kind: u8, j: usize) -> String {
        match kind % 3 {
            0 => format!("a{j}.md"),
            1 => format!("/news/a{j}/"),
            _ => format!("https://www.ceshi.gov.cn/news/a{j}/"),
        }
    }

    /// The largest subset of `approved` closed under `links`, by brute
    /// force over every subset (the union of closed sets is closed).
    fn largest(approved: &[bool], links: &[Vec<(usize, u8)>]) -> BTreeSet<usize> {
        let n = approved.len();
        let mut best = BTreeSet::new();
        for mask in 0u32..(1 << n) {
            let set: BTreeSet<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            let closed = set
                .iter()
                .all(|&i| approved[i] && links[i].iter().all(|(j, _)| *j < n && set.contains(j)));
            if closed && set.len() > best.len() {
                best = set;
            }
        }
        best
    }

    fn cases() -> ProptestConfig {
        ProptestConfig {
            cases: std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(12),
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(cases())]

        #[test]
        fn the_build_publishes_the_largest_closed_set(
            approved in proptest::collection::vec(any::<bool>(), 1..6),
            // Targets up to 6: index n and beyond name no article.
            raw in proptest::collection::vec(
                proptest::collection::vec((0usize..7, any::<u8>()), 0..3), 6),
        ) {
            let n = approved.len();
            let links: Vec<Vec<(usize, u8)>> = raw[..n].to_vec();
            let s = TestSite::new();
            for i in 0..n {
                let body: String = links[i]
                    .iter()
                    .map(|(j, k)| format!("见[第{j}篇]({})。\n\n", form(*k, *j)))
                    .collect();
                let body = format!("正文。\n\n{body}");
                let who = if approved[i] { signers("A") } else { Vec::new() };
                s.article_signed(
                    &format!("news/a{i}.md"), "A", &format!("第{i}篇"),
                    "2026-11-02", "", &body, &who,
                );
            }
            let tree = sanshen::content::WorkTree::new(s.path());
            let root = trust_root();
            let j = sanshen::pipeline::judge_site(&tree, Some(&root), Some(NOW_RFC3339))
                .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let published: BTreeSet<usize> = j
                .content
                .articles
                .iter()
                .zip(&j.decisions)
                .filter(|(_, d)| d.publish)
                .map(|(a, _)| a.path["news/a".len()..a.path.len() - 3].parse().unwrap())
                .collect();
            prop_assert_eq!(&published, &largest(&approved, &links));
            // Every approved article left out says why: a dead link.
            for (a, d) in j.content.articles.iter().zip(&j.decisions) {
                let i: usize = a.path["news/a".len()..a.path.len() - 3].parse().unwrap();
                if approved[i] && !d.publish {
                    prop_assert!(
                        d.reasons.iter().any(|r| r.word.to_string() == "dead-link"),
                        "{:?}", d.reasons
                    );
                }
            }
        }
    }
}
