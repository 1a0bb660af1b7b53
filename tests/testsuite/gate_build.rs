//! The gate inside `sanshen build`: held articles appear nowhere, --strict,
//! secret keys, trust-root sources, external links needing security review.

use crate::common;

use common::{sanshen, signers, TestSite};

fn site_with_pending() -> TestSite {
    let s = TestSite::new();
    s.article("news/ok.md", "已审核文章", "2026-11-10", "", "正文。");
    s.article_signed(
        "news/pending.md",
        "B",
        "待审重要信息",
        "2026-11-12",
        "",
        "![待审图片](images/p.svg)\n\n正文。",
        &[("editor", 1)],
    );
    s.write(
        "content/news/images/p.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s
}

#[test]
fn held_article_appears_nowhere() {
    let s = site_with_pending();
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("暂缓发布（held）1 篇"), "{}", r.stdout);
    assert!(r.stdout.contains("content/news/pending.md《待审重要信息》"));
    assert!(r.stdout.contains("[pending]"), "{}", r.stdout);
    assert!(!s.exists("news/pending/index.html"));
    assert!(
        !s.exists("news/images/p.svg"),
        "held article's image stays out"
    );
    for f in [
        "index.html",
        "news/index.html",
        "feed.xml",
        "news/feed.xml",
        "sitemap.xml",
        "sitemap/index.html",
    ] {
        let text = s.read(f);
        assert!(
            !text.contains("待审重要信息"),
            "{f} mentions the held title"
        );
        assert!(
            !text.contains("/news/pending/"),
            "{f} links the held article"
        );
        assert!(
            text.contains("/news/ok/"),
            "{f} lists the published one:\n{text}"
        );
    }
}

#[test]
fn strict_fails_and_writes_nothing() {
    let s = site_with_pending();
    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("content/news/pending.md"), "{}", r.stdout);
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert!(!s.out().exists());
}

#[test]
fn edit_after_approval_is_stale() {
    let s = TestSite::new();
    s.article("news/a.md", "原稿", "2026-11-10", "", "原来的正文。");
    let p = s.path().join("content/news/a.md");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("原来的正文", "改过的正文");
    std::fs::write(&p, text).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("[stale]"), "{}", r.stdout);
    assert!(!s.exists("news/a/index.html"));
}

#[test]
fn secret_key_anywhere_in_site_stops_build() {
    let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAg9OYx6rdc7B32Rr3VYOfCAKTRfW8UzQeaY6cBScgKt\n-----END PRIVATE KEY-----\n";
    for place in ["content/news/key.pem", "reviews/zhang.pem", "static/k.txt"] {
        let s = TestSite::new();
        s.article("news/ok.md", "文章", "2026-11-10", "", "正文。");
        s.write(place, pem);
        let r = s.build(&[]);
        assert_eq!(r.code, 1, "{place}: {}", r.all());
        assert!(
            r.stderr.contains(place) && r.stderr.contains("私钥"),
            "{}",
            r.stderr
        );
        assert!(!s.out().exists());
    }
    // Pasted into an article.
    let s = TestSite::new();
    s.article("news/ok.md", "文章", "2026-11-10", "", pem);
    let r = s.build(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("content/news/ok.md") && r.stderr.contains("私钥"),
        "{}",
        r.stderr
    );
}

#[test]
fn trust_root_from_env_or_site_yaml_with_warning() {
    let s = TestSite::new();
    s.article("news/ok.md", "文章", "2026-11-10", "", "正文。");
    let root = s.path().to_string_lossy().into_owned();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(["build", "--root", &root])
        .env("SOURCE_DATE_EPOCH", common::NOW)
        .env("SANSHEN_TRUST_ROOT", common::trust_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("trust_root"));

    let yaml = std::fs::read_to_string(s.path().join("site.yaml")).unwrap();
    s.write(
        "site.yaml",
        &format!("{yaml}trust_root: \"{}\"\n", common::trust_root()),
    );
    let r = sanshen(s.path(), &["build", "--root", &root]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("放在仓库里的信任根"), "{}", r.stderr);
}

#[test]
fn missing_governance_refuses() {
    let s = TestSite::new();
    s.article("news/ok.md", "文章", "2026-11-10", "", "正文。");
    std::fs::remove_file(s.path().join("reviews/governance.yaml")).unwrap();
    let r = s.build(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("reviews/governance.yaml"), "{}", r.stderr);
    assert!(!s.out().exists());
}

#[test]
fn bad_clock_is_an_error() {
    let s = TestSite::new();
    let root = s.path().to_string_lossy().into_owned();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args([
            "build",
            "--root",
            &root,
            "--trust-root",
            &common::trust_root(),
        ])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn non_government_links_need_security_review() {
    let bodies = [
        ("inline", "见[某网站](https://www.example.com/a)。"),
        (
            "reference",
            "见[某网站][x]。\n\n[x]: https://shop.example.com/",
        ),
        ("html", "<a href=\"https://www.example.com/\">某网站</a>"),
    ];
    for (name, body) in bodies {
        let s = TestSite::new();
        s.article(
            &format!("news/{name}.md"),
            "外链文章",
            "2026-11-10",
            "",
            body,
        );
        s.article(
            "news/gov.md",
            "政府外链",
            "2026-11-10",
            "",
            "见[中国政府网](https://www.gov.cn/)。",
        );
        let r = s.build(&[]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(!s.exists(&format!("news/{name}/index.html")), "{name} held");
        assert!(r.stdout.contains("[pending]"), "{}", r.stdout);
        assert!(
            s.exists("news/gov/index.html"),
            "government links need nothing more"
        );

        let mut who = signers("A");
        who.push(("security", 2));
        s.article_signed(
            &format!("news/{name}.md"),
            "A",
            "外链文章",
            "2026-11-10",
            "",
            body,
            &who,
        );
        let r = s.build(&[]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(
            s.exists(&format!("news/{name}/index.html")),
            "{name} published after security review"
        );
    }
}
