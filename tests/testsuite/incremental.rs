//! Incremental builds (issue 15): the build cache beside the output
//! (`.sanshen.cache/`) and unchanged output files reused from the previous
//! output give exactly the site a clean build gives; a corrupted or forged
//! cache entry never makes a bad signature count.

use std::fs;
use std::path::Path;

use ed25519_dalek::Signer;
use sanshen::cache;
use sanshen::gate;

use crate::common::{self, snapshot, TestSite, SIGNED_AT};

/// The build's cache secret (`SANSHEN_CACHE_KEY`) in these tests.
const SECRET: [u8; 32] = [0x11; 32];

fn secret_hex(s: &[u8; 32]) -> String {
    s.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sanshen build` of `s` into `out` with the test secret, plus `args`.
fn build(s: &TestSite, out: &Path, args: &[&str]) -> common::Run {
    let key = secret_hex(&SECRET);
    let r = s.build_into(out, args, &[(cache::KEY_ENV, &key)]);
    assert_eq!(r.code, 0, "{}", r.all());
    r
}

fn site() -> TestSite {
    let s = TestSite::new();
    s.column("zhengce", "政策文件");
    for i in 0..6 {
        s.article(
            &format!("news/a{i}.md"),
            &format!("第{i}篇动态"),
            &format!("2026-11-0{}", i + 1),
            "",
            &format!("正文第{i}段。"),
        );
    }
    s.article_signed(
        "zhengce/n.md",
        "B",
        "一则公告",
        "2026-11-10",
        "",
        "公告正文。",
        &common::signers("B"),
    );
    s
}

fn cache_file(s: &TestSite) -> std::path::PathBuf {
    s.path().join(cache::DIR).join(cache::SIGNATURES)
}

/// Output (manifest aside, which records the output's own path) of a
/// clean `--no-cache` build into a fresh directory.
fn clean_build(s: &TestSite) -> Vec<(String, Vec<u8>)> {
    let other = tempfile::tempdir().unwrap();
    let out = other.path().join("public");
    build(s, &out, &["--no-cache"]);
    assert!(
        !other.path().join(cache::DIR).exists(),
        "--no-cache writes no cache"
    );
    snapshot(&out)
}

#[test]
fn warm_rebuilds_equal_clean_builds_before_and_after_an_edit() {
    let s = site();
    let out = s.out();
    build(&s, &out, &[]);
    let first = snapshot(&out);
    let saved = fs::read(cache_file(&s)).unwrap();
    // 6 class-A approvals, 2 class-B ones: every passed check remembered.
    assert_eq!(saved.len(), cache::header().len() + 8 * 40);
    let clean = clean_build(&s);
    assert_eq!(first, clean);

    build(&s, &out, &[]);
    assert_eq!(snapshot(&out), clean, "a warm rebuild equals a clean build");
    assert_eq!(
        fs::read(cache_file(&s)).unwrap(),
        saved,
        "nothing new to remember"
    );

    // One article edited and signed again: the page changes, the rest is
    // reused, and the whole equals a clean build of the edited site.
    s.article(
        "news/a3.md",
        "第3篇动态（更正）",
        "2026-11-03",
        "",
        "更正后的正文。",
    );
    build(&s, &out, &[]);
    let edited = snapshot(&out);
    assert_ne!(edited, clean);
    assert!(edited
        .iter()
        .any(|(_, b)| String::from_utf8_lossy(b).contains("更正后的正文")));
    assert_eq!(edited, clean_build(&s));
    // The old approval is gone from the file, the new one is in.
    assert_eq!(fs::read(cache_file(&s)).unwrap().len(), saved.len());
    assert_ne!(fs::read(cache_file(&s)).unwrap(), saved);
}

#[test]
fn corrupted_or_foreign_cache_files_are_ignored_and_rewritten() {
    let s = site();
    let out = s.out();
    build(&s, &out, &[]);
    let good = fs::read(cache_file(&s)).unwrap();
    let clean = snapshot(&out);
    let n = cache::header().len();

    let mut bad = good.clone();
    bad[n + 5] ^= 0x40; // a record flipped
    bad.truncate(bad.len() - 7); // and the last one cut short
    fs::write(cache_file(&s), &bad).unwrap();
    build(&s, &out, &[]);
    assert_eq!(snapshot(&out), clean);
    assert_eq!(fs::read(cache_file(&s)).unwrap(), good, "rebuilt whole");

    let foreign = good.clone();
    let foreign = [b"sanshen-verified-v1 0.0.1\n".as_slice(), &foreign[n..]].concat();
    fs::write(cache_file(&s), foreign).unwrap();
    build(&s, &out, &[]);
    assert_eq!(
        fs::read(cache_file(&s)).unwrap(),
        good,
        "another version's file is ignored"
    );

    fs::remove_dir_all(s.path().join(cache::DIR)).unwrap();
    build(&s, &out, &[]);
    assert_eq!(snapshot(&out), clean, "deleting the cache only costs time");
}

/// An article whose editor's approval is signed with a key that is not
/// the editor's: its one signature does not verify. Returns the triple
/// the gate checks.
fn forged_article(
    s: &TestSite,
) -> (
    ed25519_dalek::VerifyingKey,
    String,
    ed25519_dalek::Signature,
) {
    let rel = "news/forged.md";
    let text = TestSite::article_text("A", "伪造的文章", "2026-11-12", "", "未经审核的内容。");
    let block = common::approvals_block(rel, &text, &common::signers("A"), &[]);
    let digest = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("digest: \""))
        .map(|d| d.trim_end_matches('"').to_string())
        .unwrap();
    let message = gate::messages::approval_message(rel, &digest, "1", "editor", SIGNED_AT);
    let sig = common::key(77).sign(message.as_bytes());
    let good = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("signature: \""))
        .map(|v| v.trim_end_matches('"').to_string())
        .unwrap();
    let block = block.replace(&good, &gate::keys::encode_signature(&sig));
    s.write(&format!("content/{rel}"), &common::with_gate(&text, &block));
    (common::key(1).verifying_key(), message, sig)
}

fn published(out: &Path) -> bool {
    snapshot(out)
        .iter()
        .any(|(p, b)| p.ends_with(".html") && String::from_utf8_lossy(b).contains("未经审核的内容"))
}

#[test]
fn a_forged_cache_entry_does_not_publish_a_bad_signature() {
    let s = site();
    let out = s.out();
    let (pk, message, sig) = forged_article(&s);
    let r = build(&s, &out, &[]);
    assert!(r.stdout.contains("bad-signature"), "{}", r.all());
    assert!(!published(&out));

    // Someone who can write the cache but does not hold the secret adds
    // "passed" entries for the bad triple: under a guessed secret, and as
    // the plain SHA-256 of the triple. The build still verifies and holds.
    let mut file = fs::read(cache_file(&s)).unwrap();
    file.extend(cache::record(&[0x22; 32], &pk, message.as_bytes(), &sig));
    let plain: [u8; 32] = sha2::Digest::finalize(sha2::Digest::chain_update(
        <sha2::Sha256 as sha2::Digest>::new(),
        [
            pk.as_bytes().as_slice(),
            message.as_bytes(),
            &sig.to_bytes(),
        ]
        .concat(),
    ))
    .into();
    file.extend(cache::record_of(&plain));
    fs::write(cache_file(&s), &file).unwrap();
    let r = build(&s, &out, &[]);
    assert!(r.stdout.contains("bad-signature"), "{}", r.all());
    assert!(!published(&out));

    // The secret is what makes the cache safe: with it, a forged entry
    // would be honoured. This is why it never lives in the cache or the
    // site (docs/reference/build-cache.md), and shows the cache is really consulted.
    let mut file = fs::read(cache_file(&s)).unwrap();
    file.extend(cache::record(&SECRET, &pk, message.as_bytes(), &sig));
    fs::write(cache_file(&s), &file).unwrap();
    build(&s, &out, &[]);
    assert!(published(&out));
    // And --no-cache does not consult it.
    build(&s, &out, &["--no-cache"]);
    assert!(!published(&out));
}
