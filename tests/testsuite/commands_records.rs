//! `sanshen form` (三级审核表) and `sanshen register` (信息发布登记表).

use crate::common;

use std::fs;

use common::TestSite;

fn fingerprint(seed: u8) -> String {
    sanshen::gate::fingerprint(&common::key(seed).verifying_key())
}

#[test]
fn form_shows_signers_fingerprints_and_what_is_missing() {
    let s = TestSite::new();
    s.article_signed(
        "news/c.md",
        "C",
        "关于<寒潮>防范的紧急通知 & 部署",
        "2026-11-19",
        "",
        "正文。",
        &[("editor", 1), ("leader", 2), ("official", 3)],
    );
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("form.html");
    let r = s.run(&[
        "form",
        "content/news/c.md",
        "--out",
        &file.to_string_lossy(),
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("@media print") && html.contains("size: A4"));
    assert!(html.contains("三级审核表"));
    assert!(
        html.contains("关于&lt;寒潮&gt;防范的紧急通知 &amp; 部署"),
        "escaped title"
    );
    assert!(html.contains("C 特级信息"));
    assert!(html.contains("政务动态（news）"));
    assert!(
        html.contains("王芳") && html.contains("区政府办公室"),
        "author, department"
    );
    for (name, title, seed) in [
        ("王编辑", "测试王编辑", 1),
        ("李领导", "测试李领导", 2),
        ("张副区长", "测试张副区长", 3),
    ] {
        assert!(html.contains(name) && html.contains(title), "{name}");
        assert!(html.contains(&fingerprint(seed)), "{name} fingerprint");
    }
    assert_eq!(html.matches("✓ 验证通过").count(), 3, "{html}");
    assert!(html.contains(common::SIGNED_AT));
    assert!(html.contains("主要领导（principal）审核"));
    assert!(html.contains("✗ 尚未审核"), "principal missing");
    assert!(html.contains("暂缓发布"));
    let digest = sanshen::document::parse(&s.source("content/news/c.md"))
        .unwrap()
        .digest();
    assert!(html.contains(&digest));
    // Self-contained: nothing loaded from elsewhere.
    for bad in ["<link", "<script", "src=", "@import", "url("] {
        assert!(!html.contains(bad), "{bad}");
    }
    // Without --out, the page goes to stdout.
    let r = s.run(&["form", "content/news/c.md"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("<!DOCTYPE html>"));
    // Never into a folder the build reads.
    let r = s.run(&["form", "content/news/c.md", "--out", "static/form.html"]);
    assert_eq!(r.code, 1);
    assert!(!s.path().join("static/form.html").exists());
}

#[test]
fn form_reports_a_forged_signature() {
    let s = TestSite::new();
    s.article("news/a.md", "文章", "2026-11-10", "", "正文。");
    let p = s.path().join("content/news/a.md");
    let text = fs::read_to_string(&p).unwrap();
    // Another key's signature under the editor's name.
    let digest = sanshen::document::parse(text.as_bytes()).unwrap().digest();
    let forged = sanshen::gate::sign_approval(
        &common::key(50),
        "news/a.md",
        &digest,
        1,
        "editor",
        common::SIGNED_AT,
    );
    let sig_line = text.lines().find(|l| l.contains("signature:")).unwrap();
    fs::write(
        &p,
        text.replace(sig_line, &format!("  signature: \"{forged}\"")),
    )
    .unwrap();
    let r = s.run(&["form", "content/news/a.md"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("✗ 验证未通过"), "{}", r.stdout);
    assert!(r.stdout.contains("签名无效"), "{}", r.stdout);
}

#[test]
fn register_lists_published_and_withdrawn_articles() {
    let s = TestSite::new();
    s.article(
        "news/pub.md",
        "已发布的文章，含\"引号\"",
        "2026-11-10",
        "",
        "正文。",
    );
    s.article("news/gone.md", "撤下的文章", "2026-11-11", "", "正文有误。");
    s.article_signed(
        "news/held.md",
        "A",
        "未审文章",
        "2026-11-12",
        "",
        "正文。",
        &[],
    );
    let key = s.key_file("leader");
    let r = s.run(&[
        "withdraw",
        "content/news/gone.md",
        "--key",
        &key,
        "--reason",
        "数据有误，撤销发布",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("登记");
    let r = s.run(&["register", "--out", &dir.to_string_lossy()]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("已发布 1 篇，已撤稿 1 篇"),
        "{}",
        r.stdout
    );

    let csv = fs::read(dir.join("register.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "header + 2 rows: {csv}");
    assert!(
        lines[0].starts_with("\"序号\",\"标题\",\"栏目\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("\"已发布的文章，含\"\"引号\"\"\""),
        "RFC 4180 quoting: {}",
        lines[1]
    );
    assert!(lines[1].contains("\"已发布\""));
    assert!(lines[1].contains("\"2026-11-10\""));
    assert!(
        lines[1].contains("第1级审核（责任编辑）：王编辑（测试王编辑） 2026-11-20T10:00:00+08:00")
    );
    assert!(
        lines[1].contains("\"2026-11-20T10:00:00+08:00\""),
        "审核完成时间"
    );
    assert!(lines[2].contains("\"撤下的文章\"") && lines[2].contains("\"已撤稿\""));
    assert!(lines[2].contains("\"李领导\"") && lines[2].contains("\"数据有误，撤销发布\""));
    assert!(
        lines[2].contains("\"2026-11-21T12:00:00+08:00\""),
        "withdrawal time"
    );
    assert!(
        !csv.contains("未审文章"),
        "held articles are not in the register"
    );

    let html = fs::read_to_string(dir.join("register.html")).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("信息发布登记表"));
    assert!(html.contains("A4 landscape"));
    assert!(html.contains("已发布的文章，含&quot;引号&quot;"));
    assert!(html.contains("数据有误，撤销发布") && html.contains("李领导"));
    assert!(!html.contains("未审文章"));
    // Never into a folder the build reads.
    let r = s.run(&["register", "--out", "static"]);
    assert_eq!(r.code, 1);
    assert!(!s.path().join("static/register.csv").exists());
}
