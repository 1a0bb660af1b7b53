//! The publication log as a gate (issue 11): attacks a pusher without any
//! key could try against a deployed site — a governance rolled back, a
//! withdrawal erased, an old version replayed, a back-dated approval by a
//! departed reviewer — each refused by `deploy` with the rule and the
//! article named and the live release unchanged; the same checks before
//! deploying (`build --log`, `check-release`); the register from the log.

use crate::common;

use std::fs;

use common::{sanshen, snapshot, TestSite};

const ARTICLE: &str = "news/2026-11-18-huiyi.md";
const OTHER: &str = "news/2026-11-18-qita.md";

fn site() -> TestSite {
    let s = TestSite::new();
    s.article(
        ARTICLE,
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产工作。\n",
    );
    s.article(
        OTHER,
        "区政府召开常务会议",
        "2026-11-18",
        "",
        "会议研究了有关事项。\n",
    );
    s
}

fn build(s: &TestSite, extra: &[&str]) {
    let r = s.build(extra);
    assert_eq!(r.code, 0, "{}", r.all());
}

fn deploy(s: &TestSite, now: &str) -> common::Run {
    sanshen(s.path(), &["deploy", "--to", "www", "--now", now])
}

fn deployed(s: &TestSite, now: &str) {
    let r = deploy(s, now);
    assert_eq!(r.code, 0, "{}", r.all());
}

/// What the site serves, without the published log.
fn live(s: &TestSite) -> Vec<(String, Vec<u8>)> {
    common::served(&s.path().join("www/current/"))
}

fn page_of(path: &str) -> String {
    format!("{}/index.html", path.trim_end_matches(".md"))
}

/// Deploy refused: exit 1, the rule's word and name and the file in the
/// message, nothing switched.
fn refused(s: &TestSite, now: &str, word: &str, name: &str, file: &str) -> String {
    let before = live(s);
    let current = fs::read_link(s.path().join("www/current")).unwrap();
    let r = deploy(s, now);
    assert_eq!(r.code, 1, "{}", r.all());
    for want in [word, name, file, "部署失败"] {
        assert!(r.stderr.contains(want), "missing {want:?}:\n{}", r.all());
    }
    assert_eq!(live(s), before, "the live release changed");
    assert_eq!(
        fs::read_link(s.path().join("www/current")).unwrap(),
        current
    );
    r.stderr
}

fn remove_withdrawn_block(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line == "withdrawn:\n" {
            skipping = true;
            continue;
        }
        if skipping && line.starts_with("  ") {
            continue;
        }
        skipping = false;
        out.push_str(line);
    }
    out
}

#[test]
fn an_erased_withdrawal_stays_in_force() {
    let s = site();
    build(&s, &[]);
    deployed(&s, "2026-11-21T12:00:00+08:00");
    assert!(s.path().join("www/current").join(page_of(ARTICLE)).exists());

    let key = s.key_file("leader");
    let file = format!("content/{ARTICLE}");
    let r = s.run(&[
        "withdraw",
        &file,
        "--key",
        &key,
        "--reason",
        "信息有误，撤销发布",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    build(&s, &[]);
    deployed(&s, "2026-11-22T09:00:00+08:00");
    assert!(!s.path().join("www/current").join(page_of(ARTICLE)).exists());

    // A pusher without any key deletes the unsigned withdrawn block.
    let text = String::from_utf8(s.source(&file)).unwrap();
    s.write(&file, &remove_withdrawn_block(&text));
    build(&s, &[]);
    assert!(
        s.exists(&page_of(ARTICLE)),
        "without --log the build publishes it"
    );
    let err = refused(
        &s,
        "2026-11-23T09:00:00+08:00",
        "log-withdrawn",
        "撤稿不可撤销",
        &file,
    );
    assert!(err.contains("源文件中的撤稿记录已被删除"), "{err}");
    assert!(err.contains("信息有误，撤销发布"), "{err}");

    // The same check before deploying: check-release fails with the same
    // message; build --log holds just that article and the rest goes out.
    let r = sanshen(
        s.path(),
        &[
            "check-release",
            "--from",
            "public",
            "--log",
            "www",
            "--now",
            "2026-11-23T09:00:00+08:00",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("撤稿不可撤销") && r.stderr.contains(&file),
        "{}",
        r.all()
    );
    let r = s.build(&["--log", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("log-withdrawn"), "{}", r.all());
    assert!(!s.exists(&page_of(ARTICLE)));
    assert!(s.exists(&page_of(OTHER)));
    let r = sanshen(
        s.path(),
        &[
            "check-release",
            "--from",
            "public",
            "--log",
            "www",
            "--now",
            "2026-11-23T09:00:00+08:00",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("源文件中已被删除"), "{}", r.stdout);
    deployed(&s, "2026-11-23T09:00:00+08:00");

    // The register from the log keeps the erased withdrawal.
    let r = sanshen(s.path(), &["register", "--log", "www", "--out", "reg"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let csv = fs::read_to_string(s.path().join("reg/register.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(ARTICLE)).expect("row");
    assert!(row.contains("源文件中的撤稿记录已被删除"), "{row}");
    assert!(row.contains("信息有误，撤销发布"), "{row}");

    // Re-approval after the withdrawal, old approvals removed: published.
    let text = String::from_utf8(s.source(&file)).unwrap();
    let start = text.find("approvals:\n").unwrap();
    let end = text[start..].find("\n---\n").unwrap() + start + 1;
    s.write(&file, &format!("{}{}", &text[..start], &text[end..]));
    let editor = s.key_file("editor");
    let r = s.run(&[
        "sign",
        &file,
        "--key",
        &editor,
        "--yes",
        "--now",
        "2026-11-24T09:00:00+08:00",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = s.build(&["--log", "www", "--now", "2026-11-24T10:00:00+08:00"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists(&page_of(ARTICLE)), "{}", r.all());
    deployed(&s, "2026-11-24T10:00:00+08:00");
    assert!(s.path().join("www/current").join(page_of(ARTICLE)).exists());
}

#[test]
fn an_old_version_cannot_be_replayed() {
    let s = site();
    build(&s, &[]);
    deployed(&s, "2026-11-21T12:00:00+08:00");
    let file = format!("content/{ARTICLE}");
    let v1 = s.source(&file);
    // A correction, approved and published.
    s.article(
        ARTICLE,
        "全区安全生产工作会议召开",
        "2026-11-18",
        "",
        "会议部署了冬季安全生产和消防工作（更正）。\n",
    );
    build(&s, &[]);
    deployed(&s, "2026-11-22T09:00:00+08:00");
    // The correction is undone by restoring the old, validly signed file.
    s.write_bytes(&file, &v1);
    build(&s, &[]);
    let err = refused(
        &s,
        "2026-11-23T09:00:00+08:00",
        "replay",
        "不得重放旧版本",
        &file,
    );
    assert!(err.contains("已发布其后的版本"), "{err}");
    let r = s.build(&["--log", "www"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("replay"), "{}", r.all());
    assert!(!s.exists(&page_of(ARTICLE)));
}

#[test]
fn a_governance_rollback_is_refused() {
    let s = site();
    build(&s, &[]);
    let old_keyring = s.source("reviews/reviewers.yaml");
    let old_governance = s.source("reviews/governance.yaml");
    deployed(&s, "2026-11-21T12:00:00+08:00");
    // The leader's key is compromised and revoked: governance serial 2.
    let text = String::from_utf8(old_keyring.clone()).unwrap();
    let at = text.find("- id: leader").unwrap();
    let revoked = text[at..].find("revoked: false").unwrap() + at;
    let mut new = text.clone();
    new.replace_range(revoked..revoked + "revoked: false".len(), "revoked: true");
    s.write("reviews/reviewers.yaml", &new);
    s.sign_governance();
    build(&s, &[]);
    deployed(&s, "2026-11-22T09:00:00+08:00");
    // A pusher re-commits the older, validly root-signed files.
    s.write_unsigned("reviews/reviewers.yaml", &old_keyring);
    s.write_unsigned("reviews/governance.yaml", &old_governance);
    build(&s, &[]);
    refused(
        &s,
        "2026-11-23T09:00:00+08:00",
        "governance-rollback",
        "审核人名单与政策不得回退",
        "reviews/governance.yaml",
    );
    // build --log stops the whole build: the frame is tampered.
    let r = s.build(&["--log", "www"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("governance-rollback"), "{}", r.all());
}

#[test]
fn a_back_dated_approval_by_a_departed_reviewer_does_not_count() {
    let s = site();
    build(&s, &[]);
    deployed(&s, "2026-11-21T12:00:00+08:00");
    // 孙编辑 left on 2026-11-21 00:00; after that he signs, back-dated.
    s.add_reviewer(
        "sun",
        "孙编辑",
        "editor",
        1,
        31,
        "  valid_until: \"2026-11-21T00:00:00+08:00\"\n",
    );
    let rel = "news/2026-11-19-buqian.md";
    s.article_signed(
        rel,
        "A",
        "补签的通知",
        "2026-11-19",
        "",
        "通知正文。\n",
        &[],
    );
    let text = TestSite::article_text("A", "补签的通知", "2026-11-19", "", "通知正文。\n");
    let doc = sanshen::document::parse(text.as_bytes()).unwrap();
    let digest = sanshen::document::digest_with_assets(doc.signed().as_bytes(), &[]);
    let signed_at = "2026-11-20T09:00:00+08:00";
    let sig = sanshen::gate::sign_approval(&common::key(31), rel, &digest, 1, "sun", signed_at);
    let block = format!(
        "approvals:\n- reviewer: \"sun\"\n  level: \"1\"\n  signed_at: \"{signed_at}\"\n  digest: \"{digest}\"\n  signature: \"{sig}\"\n"
    );
    s.write(&format!("content/{rel}"), &common::with_gate(&text, &block));
    build(&s, &[]);
    assert!(s.exists(&page_of(rel)), "the build alone trusts signed_at");
    let err = refused(
        &s,
        "2026-11-22T09:00:00+08:00",
        "late-approval",
        "密钥失效后首次出现的签名不计",
        &format!("content/{rel}"),
    );
    assert!(err.contains("sun"), "{err}");
}

#[test]
fn the_log_is_published_and_each_deploy_appends_one_chained_entry() {
    let s = site();
    build(&s, &[]);
    deployed(&s, "2026-11-21T12:00:00+08:00");
    build(&s, &[]);
    deployed(&s, "2026-11-22T12:00:00+08:00");
    let log = s.path().join("www/log");
    let served = s.path().join("www/current/.well-known/sanshen");
    assert_eq!(
        snapshot(&log),
        snapshot(&served),
        "the site serves the whole log"
    );
    let r0: serde_json::Value =
        serde_json::from_slice(&fs::read(log.join("records/0.json")).unwrap()).unwrap();
    let r1: serde_json::Value =
        serde_json::from_slice(&fs::read(log.join("records/1.json")).unwrap()).unwrap();
    assert_eq!(r0["previous"], serde_json::Value::Null);
    let digest = format!(
        "sha256:{}",
        sanshen::manifest::sha256_hex(&fs::read(log.join("records/0.json")).unwrap())
    );
    assert_eq!(r1["previous"], serde_json::Value::String(digest));
    let articles = r1["facts"]["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 2);
    let ap = &articles[0]["approvals"][0];
    assert_eq!(
        ap["first_seen"], "2026-11-21T12:00:00+08:00",
        "first seen in entry 0"
    );
    // The release verifies clean, log copy included; the log verifies
    // under the deploy key, and not under another.
    let r = sanshen(s.path(), &["verify", "--dir", "www/current"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let key = common::deploy_public_key();
    let r = sanshen(s.path(), &["log", "verify", "--dir", "www", "--key", &key]);
    assert_eq!(r.code, 0, "{}", r.all());
    let other = sanshen::gate::format_public_key(&common::key(77).verifying_key());
    let r = sanshen(
        s.path(),
        &["log", "verify", "--dir", "www", "--key", &other],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    // A deploy whose clock went backwards is refused.
    build(&s, &[]);
    refused(
        &s,
        "2026-11-20T12:00:00+08:00",
        "clock-backwards",
        "部署时钟不得早于上一次发布",
        "log/",
    );
}

#[test]
fn the_site_cannot_fake_the_published_log() {
    let s = site();
    // static/ is root-signed frame, but `.well-known/sanshen/` belongs to
    // the log only deploy writes: the build refuses to put anything there.
    s.write("static/.well-known/sanshen/checkpoint", "fake\n");
    let r = s.build(&[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains(".well-known/sanshen/checkpoint") && r.stderr.contains("发布日志"),
        "{}",
        r.all()
    );
    assert!(!s.out().exists(), "nothing written");
}
