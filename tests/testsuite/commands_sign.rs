//! `sanshen sign` end to end: the bytes written, the default level, the
//! build that follows, and every refusal.

use crate::common;

use common::TestSite;

const A: &str = "content/news/a.md";
const B: &str = "content/news/b.md";

/// A site with an unsigned A article `news/a.md` and an unsigned B article
/// `news/b.md`.
fn site() -> TestSite {
    let s = TestSite::new();
    s.article_signed("news/a.md", "A", "A类文章", "2026-11-10", "", "正文。", &[]);
    s.article_signed(
        "news/b.md",
        "B",
        "B类文章",
        "2026-11-11",
        "",
        "重要信息正文。",
        &[],
    );
    s
}

/// `before` with the lines from `approvals:` up to the closing `---` removed.
fn without_gate(text: &str) -> String {
    let mut out = String::new();
    let mut in_gate = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i > 0 && line.starts_with("approvals:") {
            in_gate = true;
        }
        if in_gate && line == "---\n" {
            in_gate = false;
        }
        if !in_gate {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn sign_adds_only_the_gate_block_and_the_build_publishes() {
    let s = site();
    let key = s.key_file("editor");
    let before = String::from_utf8(s.source(A)).unwrap();
    assert_eq!(s.build(&[]).code, 0);
    assert!(!s.exists("news/a/index.html"), "unsigned: held");

    let r = s.run(&["sign", A, "--key", &key, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("A类文章"), "{}", r.stdout);
    assert!(r.stdout.contains("A 一般信息"), "{}", r.stdout);
    assert!(r.stdout.contains("政务动态"), "{}", r.stdout);
    assert!(r.stdout.contains("✗ 第1级审核"), "{}", r.stdout);
    assert!(r.stdout.contains("已签署"), "{}", r.stdout);
    assert!(r.stdout.contains("下次构建时将发布"), "{}", r.stdout);

    let after = String::from_utf8(s.source(A)).unwrap();
    assert_ne!(after, before);
    assert_eq!(without_gate(&after), before, "only the gate block is new");
    let gate: String = after
        .lines()
        .skip_while(|l| !l.starts_with("approvals:"))
        .take_while(|l| *l != "---")
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        gate.contains("- reviewer: \"editor\"\n  level: \"1\"\n"),
        "{gate}"
    );
    // The build clock, in the site's offset, seconds precision.
    assert!(
        gate.contains("signed_at: \"2026-11-21T12:00:00+08:00\""),
        "{gate}"
    );
    let d0 = sanshen::document::parse(before.as_bytes())
        .unwrap()
        .digest();
    assert!(gate.contains(&format!("digest: \"{d0}\"")), "{gate}");

    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    assert!(s.exists("news/a/index.html"), "{}", b.all());
}

#[test]
fn b_article_needs_two_people_and_the_level_defaults() {
    let s = site();
    let editor = s.key_file("editor");
    let leader = s.key_file("leader");
    let r = s.run(&["sign", B, "--key", &editor, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("仍暂缓发布，尚缺：第2级审核"),
        "{}",
        r.stdout
    );
    s.build(&[]);
    assert!(!s.exists("news/b/index.html"), "B with one level is held");

    // The editor cannot also sign level 2, and signing again adds nothing.
    let r = s.run(&["sign", B, "--key", &editor, "--yes"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("拒绝签署"), "{}", r.stderr);

    let r = s.run(&["sign", B, "--key", &leader, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("第2级审核（网站分管领导）"),
        "{}",
        r.stdout
    );
    let text = String::from_utf8(s.source(B)).unwrap();
    assert!(
        text.contains("- reviewer: \"leader\"\n  level: \"2\"\n"),
        "{text}"
    );
    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    assert!(s.exists("news/b/index.html"), "{}", b.all());
}

/// Run `sign` and expect a refusal mentioning `want`, with the file unchanged.
fn refused(s: &TestSite, file: &str, args: &[&str], want: &str) {
    let before = s.source(file);
    let mut all = vec!["sign", file];
    all.extend_from_slice(args);
    let r = s.run(&all);
    assert_eq!(r.code, 1, "{:?}: {}", args, r.all());
    assert!(
        r.all().contains(want),
        "{:?}: want {want}: {}",
        args,
        r.all()
    );
    assert_eq!(s.source(file), before, "{:?}: file changed", args);
}

#[test]
fn refusals_name_the_reason() {
    let s = site();
    let editor = s.key_file("editor");
    // Unknown key: not in the keyring.
    s.write(
        "keys/stranger.pem",
        &sanshen::gate::secret_key_pem(&common::key(77)).unwrap(),
    );
    refused(
        &s,
        A,
        &["--key", "keys/stranger.pem", "--yes"],
        "不在审核人名单",
    );
    // Over level.
    refused(
        &s,
        B,
        &["--key", &editor, "--level", "2", "--yes"],
        "最高只能做第1级审核",
    );
    // Out of scope: an editor of another column.
    s.add_reviewer(
        "notice.editor",
        "通知编辑",
        "editor",
        1,
        11,
        "  sections: [notices]\n",
    );
    refused(
        &s,
        A,
        &["--key", "keys/notice.editor.pem", "--yes"],
        "不含「news」",
    );
    // Revoked.
    s.add_reviewer("gone", "离职编辑", "editor", 1, 12, "  revoked: true\n");
    refused(&s, A, &["--key", "keys/gone.pem", "--yes"], "已吊销");
    // Expired.
    s.add_reviewer(
        "old",
        "过期编辑",
        "editor",
        1,
        13,
        "  valid_until: \"2026-06-01T00:00:00+08:00\"\n",
    );
    refused(&s, A, &["--key", "keys/old.pem", "--yes"], "不在有效期内");
    // Adds nothing: already approved.
    assert_eq!(s.run(&["sign", A, "--key", &editor, "--yes"]).code, 0);
    refused(&s, A, &["--key", &editor, "--yes"], "不会增加任何效力");
    // Draft.
    s.article_signed(
        "news/draft.md",
        "A",
        "草稿",
        "2026-11-12",
        "draft: true\n",
        "草稿。",
        &[],
    );
    refused(
        &s,
        "content/news/draft.md",
        &["--key", &editor, "--yes"],
        "草稿",
    );
    // Level out of range.
    refused(
        &s,
        B,
        &["--key", &editor, "--level", "7", "--yes"],
        "只能是 1–4",
    );
}

#[test]
fn a_malformed_gate_block_is_named_with_file_and_line() {
    let s = site();
    let key = s.key_file("editor");
    let text = String::from_utf8(s.source(A)).unwrap();
    let bad = common::with_gate(
        &text,
        "approvals:\n- reviewer: \"editor\"\n  level: \"1\"\n  colour: \"red\"\n",
    );
    s.write(A, &bad);
    let r = s.run(&["sign", A, "--key", &key, "--yes"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("拒绝签署"), "{}", r.stderr);
    assert!(r.stderr.contains("content/news/a.md:"), "{}", r.stderr);
    assert_eq!(s.source(A), bad.as_bytes());
    let r = s.run(&["withdraw", A, "--key", &key, "--reason", "有误"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("content/news/a.md:"), "{}", r.stderr);
}

#[test]
fn no_terminal_needs_yes() {
    let s = site();
    let key = s.key_file("editor");
    let before = s.source(A);
    let r = s.run(&["sign", A, "--key", &key]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("A类文章"), "the article is shown first");
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert_eq!(s.source(A), before);
}

#[test]
fn keys_inside_the_site_and_files_outside_content_are_refused() {
    let s = site();
    s.write("reviews/editor.pem", &common::secret_pem("editor"));
    refused(
        &s,
        A,
        &["--key", "reviews/editor.pem", "--yes"],
        "私钥绝不能放进网站仓库",
    );
    std::fs::remove_file(s.path().join("reviews/editor.pem")).unwrap();
    let key = s.key_file("editor");
    s.write("notes/a.md", "---\ntitle: x\nclass: A\n---\n");
    let r = s.run(&["sign", "notes/a.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("不在站点的 content/"), "{}", r.stderr);
    let r = s.run(&["sign", "content/news/_index.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("不是一篇文章"), "{}", r.stderr);
    let r = s.run(&["sign", "content/news/nope.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("找不到文章文件"), "{}", r.stderr);
    // A bad key file is a clear error, not a panic.
    s.write(
        "keys/bad.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    refused(&s, A, &["--key", "keys/bad.pem", "--yes"], "keys/bad.pem");
}

#[test]
fn sign_accepts_absolute_paths_and_keeps_crlf_and_mode() {
    let s = site();
    let key = s.key_file("editor");
    let text = String::from_utf8(s.source(A))
        .unwrap()
        .replace('\n', "\r\n");
    s.write(A, &text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = s.path().join(A);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let abs = s.path().join(A).to_string_lossy().into_owned();
    let key_abs = s.path().join(&key).to_string_lossy().into_owned();
    let r = common::sanshen(
        &std::env::temp_dir(),
        &[
            "sign",
            &abs,
            "--key",
            &key_abs,
            "--yes",
            "--root",
            &s.path().to_string_lossy(),
            "--trust-root",
            &common::trust_root(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let after = String::from_utf8(s.source(A)).unwrap();
    assert!(after.contains("approvals:\r\n- reviewer: \"editor\"\r\n"));
    assert!(!after.replace("\r\n", "").contains('\n'), "CRLF kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.path().join(A))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    assert_eq!(s.build(&[]).code, 0);
    assert!(s.exists("news/a/index.html"));
}

#[test]
fn signing_an_article_with_a_dead_link_does_not_promise_publication() {
    let s = TestSite::new();
    s.article_signed(
        "news/d.md",
        "A",
        "死链文章",
        "2026-11-10",
        "",
        "见[不存在的文章](nope.md)。",
        &[],
    );
    let key = s.key_file("editor");
    let r = s.run(&["sign", "content/news/d.md", "--key", &key, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("已签署"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("下次构建时将发布"),
        "the build would hold it:\n{}",
        r.stdout
    );
    assert!(r.all().contains("链接的文章不存在"), "{}", r.all());
    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    assert!(!s.exists("news/d/index.html"));
    assert!(b.stdout.contains("[dead-link]"), "{}", b.stdout);
}
