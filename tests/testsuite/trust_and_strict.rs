//! Closing the gate (issue 10): the trust root is pinned outside the
//! repository and never falls back from an empty or malformed value;
//! `--strict` fails only on tampering; the judging clock is `--now`, not
//! `SOURCE_DATE_EPOCH`; and no message prints a full personal number or a
//! raw control character, nor writes a formula into the register.

use crate::common;

use std::fs;
use std::process::Command;

use common::{sanshen, sanshen_raw, signers, trust_root, Run, TestSite, NOW, NOW_RFC3339};
use sanshen::gate;

/// `sanshen build` with `SANSHEN_TRUST_ROOT` set to `env`, no `--trust-root`.
fn build_with_env(s: &TestSite, env: &str, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args([
            "build",
            "--root",
            ".",
            "--out",
            "public",
            "--now",
            NOW_RFC3339,
        ])
        .args(extra)
        .current_dir(s.path())
        .env("SOURCE_DATE_EPOCH", NOW)
        .env("SANSHEN_TRUST_ROOT", env)
        .output()
        .expect("run sanshen");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn manifest(s: &TestSite) -> serde_json::Value {
    let text = fs::read_to_string(s.path().join("public.manifest.json")).expect("manifest");
    serde_json::from_str(&text).unwrap()
}

/// A pusher re-roots governance: `site.yaml` names their own root key and
/// `reviews/` is re-signed with it, then a class-C article is "approved".
fn rerooted_site() -> TestSite {
    let s = TestSite::new();
    let attacker = common::key(201);
    let public = gate::format_public_key(&attacker.verifying_key());
    let yaml = fs::read_to_string(s.path().join("site.yaml")).unwrap();
    s.write("site.yaml", &format!("{yaml}trust_root: \"{public}\"\n"));
    s.write(
        "keys/attacker.pem",
        &gate::secret_key_pem(&attacker).unwrap(),
    );
    let r = sanshen_raw(
        s.path(),
        &[
            "governance",
            "sign",
            "--key",
            "keys/attacker.pem",
            "--root",
            ".",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    s.article_signed(
        "news/forged.md",
        "C",
        "伪造的特级信息",
        "2026-11-10",
        "",
        "正文。",
        &signers("C"),
    );
    s
}

#[test]
fn an_empty_trust_root_env_var_fails_closed_and_writes_nothing() {
    let s = rerooted_site();
    // Today's hole: with the variable empty, the repository's own root was
    // used and the forged article went out under --strict.
    let r = build_with_env(&s, "", &["--strict"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("SANSHEN_TRUST_ROOT"), "{}", r.stderr);
    assert!(r.stderr.contains("为空"), "{}", r.stderr);
    assert!(r.stderr.contains("不会改用 site.yaml"), "{}", r.stderr);
    assert!(!s.out().exists(), "nothing written");
    assert!(!s.path().join("public.manifest.json").exists());
    // Malformed: the same.
    let r = build_with_env(&s, "ed25519:not-a-key", &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("SANSHEN_TRUST_ROOT"), "{}", r.stderr);
    assert!(r.stderr.contains("不是有效的公钥"), "{}", r.stderr);
    assert!(!s.out().exists());
}

#[test]
fn an_empty_trust_root_flag_fails_closed_and_writes_nothing() {
    let s = rerooted_site();
    let r = sanshen(
        s.path(),
        &[
            "build",
            "--root",
            ".",
            "--out",
            "public",
            "--trust-root",
            "",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--trust-root"), "{}", r.stderr);
    assert!(r.stderr.contains("为空"), "{}", r.stderr);
    assert!(!s.out().exists());
    // With the real root, the re-rooted governance is refused.
    let r = sanshen(
        s.path(),
        &[
            "build",
            "--root",
            ".",
            "--out",
            "public",
            "--trust-root",
            &trust_root(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!s.out().exists());
}

#[test]
fn a_repository_trust_root_builds_marked_fails_strict_and_is_not_deployed() {
    let s = TestSite::new();
    s.article("news/ok.md", "文章", "2026-11-10", "", "正文。");
    let yaml = fs::read_to_string(s.path().join("site.yaml")).unwrap();
    s.write(
        "site.yaml",
        &format!("{yaml}trust_root: \"{}\"\n", trust_root()),
    );

    // Editor commands say nothing about it.
    let r = sanshen(s.path(), &["status", "--root", "."]);
    assert!(!r.stderr.contains("仓库内信任根"), "{}", r.stderr);

    let r = sanshen(s.path(), &["build", "--root", ".", "--out", "public"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(r.stderr.matches("仓库内信任根").count(), 1, "{}", r.stderr);
    let m = manifest(&s);
    assert_eq!(m["trust"], "repository", "{m}");

    let r = sanshen(s.path(), &["deploy", "--to", "www"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("trust: repository"), "{}", r.stderr);
    assert!(r.stderr.contains("--trust-root"), "{}", r.stderr);
    assert!(!s.path().join("www/current").exists());

    fs::remove_dir_all(s.out()).unwrap();
    let r = sanshen(
        s.path(),
        &["build", "--root", ".", "--out", "public", "--strict"],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert!(!s.out().exists());

    // Pinned: marked so, and deployed.
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stderr.contains("仓库内信任根"), "{}", r.stderr);
    assert_eq!(manifest(&s)["trust"], "pinned");
    let r = sanshen(s.path(), &["deploy", "--to", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn strict_lists_pending_draft_and_withdrawn_but_fails_on_a_forged_approval() {
    let s = TestSite::new();
    s.article("news/ok.md", "已审核", "2026-11-10", "", "正文。");
    s.article_signed(
        "news/pending.md",
        "B",
        "待审文章",
        "2026-11-11",
        "",
        "正文。",
        &[("editor", 1)],
    );
    s.article(
        "news/draft.md",
        "草稿文章",
        "2026-11-12",
        "draft: true\n",
        "正文。",
    );
    s.article("news/gone.md", "撤下的文章", "2026-11-13", "", "正文。");
    let key = s.key_file("leader");
    let r = s.run(&[
        "withdraw",
        "content/news/gone.md",
        "--key",
        &key,
        "--reason",
        "数据有误",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());

    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for (file, word) in [
        ("content/news/pending.md", "[pending]"),
        ("content/news/draft.md", "[draft]"),
        ("content/news/gone.md", "[withdrawn]"),
    ] {
        assert!(r.stdout.contains(file), "{file}: {}", r.stdout);
        assert!(r.stdout.contains(word), "{word}: {}", r.stdout);
    }
    assert!(s.exists("news/ok/index.html"));
    assert!(!s.exists("news/gone/index.html"));

    // A forged approval: the signature of a valid one, altered.
    let text = TestSite::article_text("A", "伪造审核", "2026-11-14", "", "正文。");
    let block = common::approvals_block("news/forged.md", &text, &signers("A"), &[]);
    let sig_at = block.find("signature: \"").unwrap() + "signature: \"".len();
    let mut forged = block.clone();
    let first = &block[sig_at..sig_at + 1];
    forged.replace_range(sig_at..sig_at + 1, if first == "A" { "B" } else { "A" });
    s.write("content/news/forged.md", &common::with_gate(&text, &forged));
    // Plain build publishes the rest and warns.
    let r = s.build(&[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("bad-signature"), "{}", r.stderr);
    assert!(r.stdout.contains("content/news/forged.md"), "{}", r.stdout);
    assert!(!s.exists("news/forged/index.html"));
    // --strict fails and writes nothing new.
    fs::remove_dir_all(s.out()).unwrap();
    let r = s.build(&["--strict"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("content/news/forged.md"), "{}", r.stdout);
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert!(!s.out().exists());
}

#[test]
fn now_decides_the_embargo_and_source_date_epoch_does_not() {
    let s = TestSite::new();
    s.article(
        "news/later.md",
        "定时文章",
        "2026-11-20",
        "publish_at: \"2026-11-25 09:00\"\n",
        "正文。",
    );
    let run = |now: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_sanshen"))
            .args(["build", "--root", ".", "--out", "public"])
            .args(["--trust-root", &trust_root(), "--now", now])
            .current_dir(s.path())
            // A commit dated after the embargo: only the output's timestamps.
            .env("SOURCE_DATE_EPOCH", "1798675200") // 2026-12-31
            .env_remove("SANSHEN_TRUST_ROOT")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = run(NOW_RFC3339);
    assert!(stdout.contains("[scheduled]"), "{stdout}");
    assert!(!s.exists("news/later/index.html"));
    let m = manifest(&s);
    assert_eq!(m["now"], NOW_RFC3339, "{m}");
    assert!(
        m["built_at"].as_str().unwrap().starts_with("2026-12-31"),
        "{m}"
    );
    run("2026-11-25T09:00:00+08:00");
    assert!(s.exists("news/later/index.html"));
    assert_eq!(manifest(&s)["now"], "2026-11-25T09:00:00+08:00");
    // A bad --now is an error naming the flag.
    let r = sanshen(
        s.path(),
        &[
            "status",
            "--root",
            ".",
            "--now",
            "明天",
            "--trust-root",
            &trust_root(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--now"), "{}", r.stderr);
}

const ID: &str = "11010519491231002X";
const PHONE: &str = "13812345678";

#[test]
fn messages_mask_personal_numbers_and_escape_control_characters() {
    let s = TestSite::new();
    // Title: an ID number, a mobile number and an escape sequence that
    // would hide the rest of the line on a terminal.
    let title = format!("\"联系人{ID}电话{PHONE}\\e[8m隐藏\\e[0m\"");
    s.article_signed("news/pii.md", "A", &title, "2026-11-10", "", "正文。", &[]);
    let check = |what: &str, text: &str| {
        assert!(!text.contains(ID), "{what} prints the ID number: {text}");
        assert!(!text.contains(PHONE), "{what} prints the phone: {text}");
        assert!(!text.contains('\u{1b}'), "{what} prints ESC raw: {text:?}");
    };
    let r = s.run(&["status", "content/news/pii.md"]);
    check("status", &r.all());
    assert!(r.stdout.contains("\\x1b[8m"), "{}", r.stdout);
    assert!(r.stdout.contains("138****5678"), "{}", r.stdout);
    let r = s.run(&["status"]);
    check("status (all)", &r.all());
    let r = s.run(&["status", "--json"]);
    check("status --json", &r.all());
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let shown = json[0]["title"].as_str().unwrap().to_string();
    assert!(shown.contains("138****5678"), "{shown}");

    let key = s.key_file("editor");
    let r = s.run(&["sign", "content/news/pii.md", "--key", &key]);
    check("sign", &r.all());
    assert!(r.stdout.contains("\\x1b[8m"), "{}", r.stdout);

    let r = s.run(&["form", "content/news/pii.md"]);
    check("form", &r.all());

    let r = s.build(&[]);
    check("build", &r.all());

    // The register: a withdrawn article with an ID number, and a published
    // one whose title is a spreadsheet formula.
    s.article(
        "news/gone.md",
        &format!("撤下{ID}"),
        "2026-11-11",
        "",
        "正文。",
    );
    let leader = s.key_file("leader");
    let r = s.run(&[
        "withdraw",
        "content/news/gone.md",
        "--key",
        &leader,
        "--reason",
        &format!("误登电话{PHONE}"),
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    check("withdraw", &r.all());
    s.article(
        "news/formula.md",
        "'=HYPERLINK(\"http://evil.example\",\"点我\")'",
        "2026-11-12",
        "",
        "正文。",
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("reg");
    let r = s.run(&["register", "--out", &dir.to_string_lossy()]);
    assert_eq!(r.code, 0, "{}", r.all());
    check("register", &r.all());
    let csv = fs::read_to_string(dir.join("register.csv")).unwrap();
    check("register.csv", &csv);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\""),
        "{csv}"
    );
    let html = fs::read_to_string(dir.join("register.html")).unwrap();
    check("register.html", &html);
}
