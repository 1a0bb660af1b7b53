//! `sanshen status` and `sanshen withdraw` end to end.

use crate::common;

use common::TestSite;

/// A published A article, a B article with only level 1, and an A article
/// edited after approval (stale).
fn site() -> TestSite {
    let s = TestSite::new();
    s.column("notices", "通知公告");
    s.article("news/ok.md", "已审文章", "2026-11-10", "", "正文。");
    s.article_signed(
        "notices/half.md",
        "B",
        "只审了一级",
        "2026-11-11",
        "",
        "正文。",
        &[("editor", 1)],
    );
    s.article("news/edited.md", "审后修改", "2026-11-12", "", "原文。");
    let p = s.path().join("content/news/edited.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("原文。", "改过的正文。")).unwrap();
    s
}

#[test]
fn status_table_and_exit_code() {
    let s = site();
    let r = s.run(&["status"]);
    assert_eq!(r.code, 1, "held articles: exit 1\n{}", r.all());
    let out = &r.stdout;
    assert!(out.contains("content/news/ok.md 《已审文章》"), "{out}");
    assert!(out.contains("类别：A 一般信息"), "{out}");
    assert!(out.contains("✓ 第1级审核（责任编辑）：王编辑"), "{out}");
    assert!(out.contains("✗ 第2级审核（网站分管领导）：尚缺"), "{out}");
    assert!(out.contains("已过期（文章已修改）"), "{out}");
    assert!(out.contains("结论：发布"), "{out}");
    assert!(out.contains("结论：暂缓（held）"), "{out}");
    assert!(out.contains("共 3 篇：发布 1 篇，暂缓 2 篇"), "{out}");

    // PATHS filter: a file, then a folder.
    let r = s.run(&["status", "content/news/ok.md"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("共 1 篇：发布 1 篇，暂缓 0 篇"),
        "{}",
        r.stdout
    );
    let r = s.run(&["status", "content/notices"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("只审了一级") && !r.stdout.contains("已审文章"));
    // A path outside content/ is a clear error.
    let r = s.run(&["status", "reviews"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("不在站点的 content/"), "{}", r.stderr);
}

#[test]
fn status_json_is_machine_readable() {
    let s = site();
    let r = s.run(&["status", "--json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let by = |p: &str| list.iter().find(|a| a["path"] == p).unwrap().clone();
    let ok = by("news/ok.md");
    assert_eq!(ok["publish"], true);
    assert_eq!(ok["verdict"], "publish");
    assert_eq!(ok["class"], "A");
    assert_eq!(ok["requirements"][0]["met_by"], "editor");
    assert_eq!(ok["requirements"][0]["level"], 1);
    assert_eq!(ok["approvals"][0]["status"], "counts");
    let half = by("notices/half.md");
    assert_eq!(half["verdict"], "held");
    assert_eq!(half["reasons"][0]["word"], "pending");
    assert_eq!(half["requirements"][1]["met"], false);
    let edited = by("news/edited.md");
    assert_eq!(edited["approvals"][0]["status"], "stale");
    assert!(edited["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["word"] == "stale"));
    let r = s.run(&["status", "--json", "content/news/ok.md"]);
    assert_eq!(r.code, 0);
}

#[test]
fn withdraw_then_build_removes_the_article_everywhere() {
    let s = TestSite::new();
    s.article("news/keep.md", "保留文章", "2026-11-10", "", "正文。");
    s.article("news/wrong.md", "有误文章", "2026-11-11", "", "正文有误。");
    assert_eq!(s.build(&[]).code, 0);
    assert!(s.exists("news/wrong/index.html"));
    assert!(s.read("feed.xml").contains("有误文章"));

    let before = s.source("content/news/wrong.md");
    let key = s.key_file("leader");
    let r = s.run(&[
        "withdraw",
        "content/news/wrong.md",
        "--key",
        &key,
        "--reason",
        "信息有误，撤销发布",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已撤稿"), "{}", r.stdout);
    let after = s.source("content/news/wrong.md");
    let (d0, d1) = (
        sanshen::document::parse(&before).unwrap().digest(),
        sanshen::document::parse(&after).unwrap().digest(),
    );
    assert_eq!(d0, d1, "the signed bytes are unchanged");
    let text = String::from_utf8(after).unwrap();
    assert!(
        text.contains("withdrawn:\n  reviewer: \"leader\"\n"),
        "{text}"
    );
    assert!(text.contains("reason: \"信息有误，撤销发布\""), "{text}");
    // The approvals stay, before the withdrawal.
    assert!(text.find("approvals:").unwrap() < text.find("withdrawn:").unwrap());

    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    assert!(b.stdout.contains("已撤稿"), "{}", b.stdout);
    assert!(!s.exists("news/wrong/index.html"));
    for f in [
        "feed.xml",
        "news/feed.xml",
        "sitemap.xml",
        "sitemap/index.html",
        "index.html",
        "news/index.html",
    ] {
        let t = s.read(f);
        assert!(!t.contains("有误文章") && !t.contains("news/wrong"), "{f}");
    }
    assert!(s.read("news/index.html").contains("保留文章"));

    // Status shows it, and a second withdrawal adds nothing.
    let r = s.run(&["status", "--json", "content/news/wrong.md"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["reasons"][0]["word"], "withdrawn");
    assert_eq!(v[0]["withdrawal"]["reason"], "信息有误，撤销发布");
    assert_eq!(v[0]["withdrawal"]["signature_ok"], true);
    let r = s.run(&[
        "withdraw",
        "content/news/wrong.md",
        "--key",
        &key,
        "--reason",
        "再撤一次",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("文章已撤稿"), "{}", r.stderr);
    // Signing a withdrawn article is refused.
    let editor = s.key_file("editor");
    let r = s.run(&["sign", "content/news/wrong.md", "--key", &editor, "--yes"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("已撤稿"), "{}", r.stderr);
}

#[test]
fn withdraw_refusals() {
    let s = TestSite::new();
    s.article("news/a.md", "文章", "2026-11-10", "", "正文。");
    let key = s.key_file("editor");
    let before = s.source("content/news/a.md");
    let r = s.run(&[
        "withdraw",
        "content/news/a.md",
        "--key",
        &key,
        "--reason",
        "  ",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("撤稿理由不能为空"), "{}", r.stderr);
    s.add_reviewer("gone", "离职编辑", "editor", 1, 12, "  revoked: true\n");
    let r = s.run(&[
        "withdraw",
        "content/news/a.md",
        "--key",
        "keys/gone.pem",
        "--reason",
        "有误",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("已吊销"), "{}", r.stderr);
    s.write(
        "keys/stranger.pem",
        &sanshen::gate::secret_key_pem(&common::key(77)).unwrap(),
    );
    let r = s.run(&[
        "withdraw",
        "content/news/a.md",
        "--key",
        "keys/stranger.pem",
        "--reason",
        "有误",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("不在审核人名单"), "{}", r.stderr);
    assert_eq!(s.source("content/news/a.md"), before);
}

#[test]
fn closed_output_pipe_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let s = TestSite::new();
    for i in 0..30 {
        s.article(&format!("news/a{i}.md"), "文章", "2026-11-10", "", "正文。");
    }
    let root = s.path().to_string_lossy().into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args([
            "status",
            "--root",
            &root,
            "--trust-root",
            &common::trust_root(),
        ])
        .env("SOURCE_DATE_EPOCH", common::NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
