//! `sanshen log verify` on a deploy folder built here (releases, manifests,
//! `current`) whose log is written with the library's `append`: a clean
//! log passes; a removed, reordered or edited entry, an edited tile, a
//! forged checkpoint, a rewritten history and a tampered live file fail,
//! naming the file; over HTTP too.

use crate::common;

use std::fs;
use std::path::Path;

use common::{key, sanshen};
use ed25519_dalek::SigningKey;
use sanshen::gate;
use sanshen::manifest::{sha256_hex, Entry, Manifest};
use sanshen::ops::logstore::{self, LogSource};
use sanshen::publog::record::{
    GovernanceRef, LoggedApproval, LoggedArticle, LoggedWithdrawal, ReleaseFacts, FACTS_FORMAT,
};
use sanshen::publog::NewEntry;

const ORIGIN: &str = "www.ceshi.gov.cn/sanshen-log";

fn deploy_key() -> SigningKey {
    key(77)
}

fn public() -> String {
    gate::format_public_key(&deploy_key().verifying_key())
}

/// An article approved at level 1 by reviewer key 1.
fn article(path: &str, title: &str, date: &str, backdated: Option<&str>) -> LoggedArticle {
    let digest = format!("sha256:{}", sha256_hex(path.as_bytes()));
    let at = "2026-11-20T10:00:00+08:00";
    let signature = gate::sign_approval(&key(1), path, &digest, 1, "zhang.san", at);
    LoggedArticle {
        path: path.into(),
        url: format!("/{}/", path.trim_end_matches(".md")),
        title: title.into(),
        digest,
        date: Some(date.into()),
        backdated: backdated.map(str::to_string),
        class: "A".into(),
        approvals: vec![LoggedApproval {
            reviewer: "zhang.san".into(),
            key: gate::format_public_key(&key(1).verifying_key()),
            level: 1,
            signed_at: at.into(),
            signature,
            valid_until: None,
            first_seen: Some("2026-11-21T12:00:00+08:00".into()),
        }],
    }
}

fn facts(articles: Vec<LoggedArticle>, withdrawals: Vec<LoggedWithdrawal>) -> ReleaseFacts {
    ReleaseFacts {
        format: FACTS_FORMAT.into(),
        commit: Some("abc".into()),
        judged_at: "2026-11-21T12:00:00+08:00".into(),
        governance: GovernanceRef {
            serial: 1,
            digest: "sha256:00".into(),
            root_version: None,
        },
        articles,
        pending: vec![],
        withdrawals,
    }
}

/// Write release `id` with `files` into the deploy folder, point
/// `current` at it, and append it to the log.
fn release(root: &Path, id: &str, files: &[(&str, &str)], facts: ReleaseFacts, now: &str) {
    let site = root.join("releases").join(id).join("site");
    let mut entries = Vec::new();
    for (p, body) in files {
        let f = site.join(p);
        fs::create_dir_all(f.parent().unwrap()).unwrap();
        fs::write(&f, body).unwrap();
        entries.push(Entry {
            path: p.to_string(),
            size: body.len() as u64,
            sha256: sha256_hex(body.as_bytes()),
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let m = Manifest {
        format: "sanshen-manifest-v1".into(),
        commit: Some("abc".into()),
        built_at: now.into(),
        site: "https://www.ceshi.gov.cn".into(),
        theme: None,
        trust: Some("pinned".into()),
        now: None,
        release: None,
        files: entries,
        signature: None,
    };
    let bytes = m.to_json();
    fs::write(root.join("releases").join(id).join("manifest.json"), &bytes).unwrap();
    let link = root.join("current");
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink(format!("releases/{id}/site"), &link).unwrap();
    let entry = NewEntry {
        action: "deploy".into(),
        release: id.into(),
        manifest: bytes,
        facts,
    };
    logstore::append(&root.join("log"), entry, &deploy_key(), ORIGIN, now).unwrap();
}

/// A deploy folder with three releases logged.
fn deployed() -> tempfile::TempDir {
    deployed_with("通知一")
}

/// The same, the first article titled `first`.
fn deployed_with(first: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let a = article("news/a.md", first, "2026-11-20", None);
    release(
        root,
        "r1",
        &[("index.html", "首页一"), ("news/a/index.html", "通知一")],
        facts(vec![a.clone()], vec![]),
        "2026-11-21T12:00:00+08:00",
    );
    let b = article("news/b.md", "旧文件", "2020-01-01", None);
    let c = article(
        "news/c.md",
        "补录文件",
        "2019-05-01",
        Some("补录 2019 年文件"),
    );
    let w = LoggedWithdrawal {
        path: "news/a.md".into(),
        title: "通知一".into(),
        reviewer: "zhang.san".into(),
        key: gate::format_public_key(&key(1).verifying_key()),
        at: "2026-11-22T08:00:00+08:00".into(),
        reason: "信息有误".into(),
        signature: gate::sign_withdrawal(
            &key(1),
            "news/a.md",
            "zhang.san",
            "2026-11-22T08:00:00+08:00",
            "信息有误",
        ),
        first_seen: Some("2026-11-22T09:00:00+08:00".into()),
        in_source: true,
    };
    release(
        root,
        "r2",
        &[("index.html", "首页二"), ("news/b/index.html", "旧文件")],
        facts(vec![b.clone()], vec![w.clone()]),
        "2026-11-22T09:00:00+08:00",
    );
    release(
        root,
        "r3",
        &[
            ("index.html", "首页三"),
            ("news/b/index.html", "旧文件"),
            ("news/c/index.html", "补录文件"),
        ],
        facts(vec![b, c], vec![w]),
        "2026-11-23T09:00:00+08:00",
    );
    // The log copy deploy publishes inside the site is not a tampered file.
    let wk = root.join("releases/r3/site/.well-known/sanshen");
    fs::create_dir_all(&wk).unwrap();
    fs::copy(root.join("log/checkpoint"), wk.join("checkpoint")).unwrap();
    t
}

fn verify(root: &Path, extra: &[&str]) -> common::Run {
    let dir = root.display().to_string();
    let key = public();
    let mut args = vec!["log", "verify", "--dir", &dir, "--key", &key];
    args.extend_from_slice(extra);
    sanshen(root, &args)
}

#[test]
fn a_clean_log_verifies_and_reports_backdating() {
    let t = deployed();
    let r = verify(t.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("3 条，检查点签名有效"), "{}", r.stdout);
    assert!(
        r.stdout.contains("4 个审核签名、2 个撤稿签名有效"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("可能倒填日期"), "{}", r.stdout);
    assert!(r.stdout.contains("#1 news/b.md"), "{}", r.stdout);
    assert!(r.stdout.contains("补录"), "{}", r.stdout);
    assert!(r.stdout.contains("#2 news/c.md"), "{}", r.stdout);
    assert!(!r.stdout.contains("news/a.md 「"), "{}", r.stdout);
    let read = logstore::read(
        &LogSource::Dir(t.path().to_path_buf()),
        None,
        &Default::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(read.records.len(), 3);
    assert_eq!(
        read.records[2].previous.as_deref(),
        Some(read.digests[1].as_str())
    );
}

fn fails(root: &Path, extra: &[&str], words: &[&str]) {
    let r = verify(root, extra);
    assert_eq!(r.code, 1, "{}", r.all());
    for w in words {
        assert!(r.all().contains(w), "missing {w:?} in {}", r.all());
    }
}

#[test]
fn a_removed_entry_is_detected() {
    let t = deployed();
    let log = t.path().join("log");
    // Drop entry 1 from the bundle and renumber nothing: position 1 now holds entry 2.
    let b = fs::read(log.join("tile/entries/000.p/3")).unwrap();
    let entries = sanshen::publog::tiles::decode_bundle(&b, 3).unwrap();
    let cut = sanshen::publog::tiles::encode_bundle(&[&entries[0], &entries[2]]).unwrap();
    fs::write(log.join("tile/entries/000.p/3"), cut).unwrap();
    fails(t.path(), &[], &["tile/entries/000.p/3", "条目被删除或增加"]);
}

#[test]
fn reordered_entries_are_detected() {
    let t = deployed();
    let log = t.path().join("log");
    let b = fs::read(log.join("tile/entries/000.p/3")).unwrap();
    let e = sanshen::publog::tiles::decode_bundle(&b, 3).unwrap();
    let swapped = sanshen::publog::tiles::encode_bundle(&[&e[0], &e[2], &e[1]]).unwrap();
    fs::write(log.join("tile/entries/000.p/3"), swapped).unwrap();
    fails(t.path(), &[], &["位置 1 上是第 2 条", "调换"]);
}

#[test]
fn an_edited_record_is_detected() {
    let t = deployed();
    let p = t.path().join("log/records/1.json");
    let text = fs::read_to_string(&p).unwrap().replace("旧文件", "新文件");
    fs::write(&p, text).unwrap();
    fails(
        t.path(),
        &[],
        &["records/1.json", "第 1 条日志记录被改动过"],
    );
}

#[test]
fn an_edited_tile_is_detected() {
    let t = deployed();
    let p = t.path().join("log/tile/0/000.p/3");
    let mut b = fs::read(&p).unwrap();
    b[40] ^= 1;
    fs::write(&p, b).unwrap();
    fails(t.path(), &[], &["tile/0/000.p/3", "瓦片与日志条目不符"]);
}

#[test]
fn a_forged_or_foreign_checkpoint_is_refused() {
    let t = deployed();
    let p = t.path().join("log/checkpoint");
    let good = fs::read_to_string(&p).unwrap();
    fs::write(&p, good.replacen("\n3\n", "\n2\n", 1)).unwrap();
    fails(t.path(), &[], &["checkpoint", "检查点签名无效"]);
    // A whole new log signed by another key: unknown key.
    let other = key(78);
    let cp = sanshen::publog::note::parse_checkpoint(good.split("\n\n").next().unwrap()).unwrap();
    fs::write(&p, cp.sign(&other)).unwrap();
    fails(t.path(), &[], &["未知密钥"]);
}

#[test]
fn a_rewritten_history_fails_against_a_saved_checkpoint() {
    let t = deployed();
    let saved = t.path().join("saved-checkpoint");
    fs::copy(t.path().join("log/checkpoint"), &saved).unwrap();
    let s = saved.display().to_string();
    let r = verify(t.path(), &["--previous", &s]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("与旧检查点（3 条）一致"), "{}", r.stdout);
    // The same releases logged again with the first record changed: the
    // new log verifies on its own, but not against the saved checkpoint.
    let other = deployed_with("通知一（改）");
    fs::remove_dir_all(t.path().join("log")).unwrap();
    fs::rename(other.path().join("log"), t.path().join("log")).unwrap();
    assert_eq!(verify(t.path(), &[]).code, 0);
    fails(
        t.path(),
        &["--previous", &s],
        &["saved-checkpoint", "历史被改写"],
    );
}

#[test]
fn a_tampered_live_file_fails() {
    let t = deployed();
    fs::write(t.path().join("releases/r3/site/news/c/index.html"), "篡改").unwrap();
    fs::write(t.path().join("releases/r3/site/evil.html"), "x").unwrap();
    let r = verify(t.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("被篡改  news/c/index.html"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("多余  evil.html"), "{}", r.stdout);
    assert!(!r.stdout.contains(".well-known"), "{}", r.stdout);
}

#[test]
fn append_refuses_a_backwards_clock_a_foreign_key_and_a_broken_log() {
    let t = deployed();
    let log = t.path().join("log");
    let entry = || NewEntry {
        action: "deploy".into(),
        release: "r4".into(),
        manifest: b"{}".to_vec(),
        facts: facts(vec![], vec![]),
    };
    let e = logstore::append(
        &log,
        entry(),
        &deploy_key(),
        ORIGIN,
        "2026-11-22T00:00:00+08:00",
    )
    .unwrap_err();
    assert!(e.message.contains("时钟倒退"), "{e:?}");
    let e =
        logstore::append(&log, entry(), &key(78), ORIGIN, "2026-11-24T00:00:00+08:00").unwrap_err();
    assert!(
        e.message.contains("未知密钥") && e.file.ends_with("checkpoint"),
        "{e:?}"
    );
    fs::write(log.join("records/0.json"), "{}").unwrap();
    let e = logstore::append(
        &log,
        entry(),
        &deploy_key(),
        ORIGIN,
        "2026-11-24T00:00:00+08:00",
    )
    .unwrap_err();
    assert!(
        e.message.contains("未通过验证") && e.file.ends_with("records/0.json"),
        "{e:?}"
    );
}

#[test]
fn log_verify_over_http() {
    let t = deployed();
    // Publish the log inside the served site, as deploy does.
    let wk = t.path().join("releases/r3/site/.well-known/sanshen");
    fs::remove_dir_all(&wk).unwrap();
    crate::assets_v2::copy_dir(&t.path().join("log"), &wk);
    let base = crate::ops_http::serve(t.path().join("current"));
    let key = public();
    let r = sanshen(t.path(), &["log", "verify", "--url", &base, "--key", &key]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("核对 3 个文件"), "{}", r.stdout);
    fs::write(t.path().join("releases/r3/site/index.html"), "篡改").unwrap();
    let r = sanshen(t.path(), &["log", "verify", "--url", &base, "--key", &key]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("被篡改  index.html"), "{}", r.stdout);
    fs::write(wk.join("records/2.json"), "{}").unwrap();
    let r = sanshen(t.path(), &["log", "verify", "--url", &base, "--key", &key]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.all().contains("/.well-known/sanshen/records/2.json"),
        "{}",
        r.all()
    );
}

#[test]
fn appends_across_a_full_tile_keep_the_tree_valid() {
    let t = tempfile::tempdir().unwrap();
    let log = t.path().join("log");
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-21T12:00:00+08:00").unwrap();
    for i in 0..260i64 {
        let now = (start + chrono::Duration::minutes(i)).to_rfc3339();
        let entry = NewEntry {
            action: "deploy".into(),
            release: format!("r{i}"),
            manifest: format!("{{\"n\": {i}}}").into_bytes(),
            facts: facts(vec![], vec![]),
        };
        logstore::append(&log, entry, &deploy_key(), ORIGIN, &now).unwrap();
    }
    for f in [
        "tile/0/000",
        "tile/0/001.p/4",
        "tile/1/000.p/1",
        "tile/entries/000",
    ] {
        assert!(log.join(f).is_file(), "{f}");
    }
    // Partial tiles of earlier sizes stay, as the spec allows.
    assert!(log.join("tile/0/000.p/255").is_file());
    let read = logstore::read(
        &LogSource::Dir(log.clone()),
        Some(&deploy_key().verifying_key()),
        &Default::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(read.checkpoint.size, 260);
    assert_eq!(read.records[259].release, "r259");
}
