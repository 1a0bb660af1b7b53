//! Threshold roots (spec §7a): a root set of 3 holders (办公室主任,
//! 网信办, 信息中心) of whom 2 must sign governance; rotation signed by the
//! old threshold; the pin `roots:sha256:…` names a version and the build
//! walks forward from it. Real sites in temp dirs, the real binary.

use crate::common;

use std::fs;

use common::{Run, TestSite};
use sanshen::gate;

/// Holder seeds: 1–3 the first root set, 4–5 new holders after rotation,
/// 9 a stranger.
const A: u8 = 101;
const B: u8 = 102;
const C: u8 = 103;
const D: u8 = 104;
const E: u8 = 105;
const STRANGER: u8 = 109;

fn public(seed: u8) -> String {
    gate::format_public_key(&common::key(seed).verifying_key())
}

/// Write holder `seed`'s secret key outside the folders the build reads.
fn pem(s: &TestSite, seed: u8) -> String {
    let rel = format!("keys/holder-{seed}.pem");
    s.write_unsigned(
        &rel,
        gate::secret_key_pem(&common::key(seed)).unwrap().as_bytes(),
    );
    rel
}

fn cli(s: &TestSite, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--root", "."]);
    common::sanshen(s.path(), &all)
}

/// `sanshen … --root . --trust-root PIN`.
fn pinned(s: &TestSite, pin: &str, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--root", ".", "--trust-root", pin]);
    common::sanshen(s.path(), &all)
}

fn build(s: &TestSite, pin: &str) -> Run {
    fs::remove_dir_all(s.out()).ok();
    pinned(s, pin, &["build", "--out", "public"])
}

fn fingerprint(s: &TestSite, version: &str) -> String {
    let r = cli(s, &["root", "fingerprint", "--version", version]);
    assert_eq!(r.code, 0, "{}", r.all());
    r.stdout.trim().to_string()
}

fn gov_sign(s: &TestSite, pin: &str, seed: u8) -> Run {
    let key = pem(s, seed);
    pinned(
        s,
        pin,
        &[
            "governance",
            "sign",
            "--key",
            &key,
            "--now",
            common::NOW_RFC3339,
        ],
    )
}

/// `serial` of the site's governance.
fn serial(s: &TestSite) -> u64 {
    let text = s.source("reviews/governance.yaml");
    gate::read_governance(&text).unwrap().serial
}

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}", r.all());
    r
}

fn refused(r: Run, words: &[&str]) -> Run {
    assert_eq!(r.code, 1, "{}", r.all());
    for w in words {
        assert!(r.all().contains(w), "missing {w:?} in:\n{}", r.all());
    }
    r
}

/// A site with one article and the root set v1 = 2 of {A, B, C};
/// governance still signed by the single test root. Returns the pin of
/// version 1.
fn site_with_set() -> (TestSite, String) {
    let s = TestSite::new();
    s.article("news/a.md", "通知", "2026-11-10", "", "正文。");
    let (a, b, c) = (public(A), public(B), public(C));
    let r = ok(cli(
        &s,
        &[
            "root",
            "init",
            "--threshold",
            "2",
            "--key",
            &a,
            "--key",
            &b,
            "--key",
            &c,
        ],
    ));
    let v1 = fingerprint(&s, "1");
    assert!(r.stdout.contains(&v1), "{}", r.stdout);
    assert!(v1.starts_with("roots:sha256:"), "{v1}");
    (s, v1)
}

/// [`site_with_set`] with governance co-signed by A and B.
fn two_of_three() -> (TestSite, String) {
    let (s, v1) = site_with_set();
    ok(gov_sign(&s, &v1, A));
    ok(gov_sign(&s, &v1, B));
    (s, v1)
}

#[test]
fn two_of_three_governance_needs_two_signatures() {
    let (s, v1) = site_with_set();
    let first = serial(&s);
    // The single test root's signature counts for nothing under the set.
    refused(build(&s, &v1), &["只有 0 个有效签名", "第 1 版根密钥组"]);
    // One holder: refused, saying how many more are needed.
    let r = ok(gov_sign(&s, &v1, A));
    assert!(
        r.stdout.contains("已有 1/2 个签名，还需 1 个"),
        "{}",
        r.stdout
    );
    refused(
        build(&s, &v1),
        &["只有 1 个有效签名", "至少 2 个", "还需 1 位"],
    );
    assert!(!s.exists("news/a/index.html"));
    refused(
        pinned(&s, &v1, &["governance", "verify"]),
        &["只有 1 个有效签名"],
    );
    // The same holder twice, and a stranger: refused, nothing written.
    let before = s.source("reviews/governance.yaml");
    refused(gov_sign(&s, &v1, A), &["已经签署过", "已有 1/2 个签名"]);
    refused(gov_sign(&s, &v1, STRANGER), &["不在第 1 版根密钥组中"]);
    assert_eq!(s.source("reviews/governance.yaml"), before);
    // A second holder: accepted; the serial did not move.
    let r = ok(gov_sign(&s, &v1, C));
    assert!(
        r.stdout.contains("已有 2/2 个签名，已达到门槛"),
        "{}",
        r.stdout
    );
    let gov = String::from_utf8(s.source("reviews/governance.yaml")).unwrap();
    assert_eq!(serial(&s), first, "{gov}");
    assert_eq!(gov.matches("- key: ").count(), 2, "{gov}");
    assert!(!gov.contains("roots.yaml"), "{gov}");
    ok(build(&s, &v1));
    assert!(s.exists("news/a/index.html"));
    let r = ok(pinned(&s, &v1, &["governance", "verify"]));
    assert!(r.stdout.contains("第 1 版根密钥组"), "{}", r.stdout);
    assert!(r.stdout.contains("2/2 位持有人"), "{}", r.stdout);
}

#[test]
fn a_changed_frame_starts_a_new_serial() {
    let (s, v1) = two_of_three();
    ok(build(&s, &v1));
    let first = serial(&s);
    s.write_unsigned("static/extra.txt", b"x\n");
    refused(build(&s, &v1), &["static/extra.txt"]);
    let r = ok(gov_sign(&s, &v1, C));
    assert!(r.stdout.contains("已去掉"), "{}", r.stdout);
    assert!(r.stdout.contains("已有 1/2 个签名"), "{}", r.stdout);
    assert_eq!(serial(&s), first + 1);
    refused(build(&s, &v1), &["只有 1 个有效签名"]);
    ok(gov_sign(&s, &v1, A));
    ok(build(&s, &v1));
}

#[test]
fn rotation_needs_the_old_threshold() {
    let (s, v1) = two_of_three();
    let (b, d, e) = (public(B), public(D), public(E));
    let r = ok(cli(
        &s,
        &[
            "root",
            "rotate",
            "--threshold",
            "2",
            "--key",
            &b,
            "--key",
            &d,
            "--key",
            &e,
        ],
    ));
    assert!(r.stdout.contains("第 2 版"), "{}", r.stdout);
    refused(build(&s, &v1), &["第 2 版根密钥组未获足够签署"]);
    // The new keys alone: refused, naming the counts.
    let r = ok(cli(&s, &["root", "sign", "--key", &pem(&s, D)]));
    assert!(r.stdout.contains("还需"), "{}", r.stdout);
    ok(cli(&s, &["root", "sign", "--key", &pem(&s, E)]));
    refused(
        build(&s, &v1),
        &[
            "reviews/roots.yaml",
            "第 1 版（上一版）的密钥有效签名 0 个，需要 2 个",
            "本版）的密钥有效签名 2 个，需要 2 个",
        ],
    );
    refused(pinned(&s, &v1, &["root", "verify"]), &["未获足够签署"]);
    // A stranger and a repeated signer are refused.
    refused(
        cli(&s, &["root", "sign", "--key", &pem(&s, STRANGER)]),
        &["既不在第 2 版"],
    );
    refused(
        cli(&s, &["root", "sign", "--key", &pem(&s, D)]),
        &["已经签署过"],
    );
    // One old holder: still short.
    ok(cli(&s, &["root", "sign", "--key", &pem(&s, A)]));
    refused(build(&s, &v1), &["有效签名 1 个，需要 2 个"]);
    // The old threshold: the chain verifies; governance signed by the
    // old holders must now be signed by 2 of the new set.
    let r = ok(cli(&s, &["root", "sign", "--key", &pem(&s, B)]));
    assert!(r.stdout.contains("第 2 版已生效"), "{}", r.stdout);
    refused(build(&s, &v1), &["只有 1 个有效签名", "第 2 版根密钥组"]);
    refused(gov_sign(&s, &v1, A), &["不在第 2 版根密钥组中"]);
    let r = ok(gov_sign(&s, &v1, D));
    assert!(r.stdout.contains("已有 2/2 个签名"), "{}", r.stdout);
    // Pinned at v1, the build walks forward to v2; pinned at v2 too.
    ok(build(&s, &v1));
    assert!(s.exists("news/a/index.html"));
    let v2 = fingerprint(&s, "2");
    assert_ne!(v1, v2);
    ok(build(&s, &v2));
    // Deployed: the publication log records root-set version 2.
    ok(common::sanshen(
        s.path(),
        &[
            "deploy",
            "--to",
            "www",
            "--now",
            "2026-11-22T09:00:00+08:00",
        ],
    ));
    let r = ok(pinned(&s, &v1, &["root", "verify"]));
    assert!(r.stdout.contains("当前有效的是第 2 版"), "{}", r.stdout);
    let r = ok(pinned(&s, &v2, &["root", "verify"]));
    assert!(r.stdout.contains("不使用"), "{}", r.stdout);
    let r = ok(pinned(&s, &v1, &["governance", "verify"]));
    assert!(r.stdout.contains("第 2 版根密钥组"), "{}", r.stdout);

    // An unknown pin is refused.
    let unknown = format!("roots:sha256:{}", "0".repeat(64));
    refused(build(&s, &unknown), &["没有指纹为", "roots:sha256:000"]);
    // Rollback: v2 deleted, governance re-signed by the compromised v1
    // holders. Pinned at v2, refused; pinned at v1, the build accepts v1
    // again — the publication log records root_version 2 so deploy can
    // refuse the lower version.
    let text = String::from_utf8(s.source("reviews/roots.yaml")).unwrap();
    let cut = text.find("- version: 2").unwrap();
    s.write_unsigned("reviews/roots.yaml", &text.as_bytes()[..cut]);
    refused(build(&s, &v2), &["没有指纹为"]);
    ok(gov_sign(&s, &v1, A));
    ok(gov_sign(&s, &v1, C));
    let r = ok(pinned(&s, &v1, &["governance", "verify"]));
    assert!(r.stdout.contains("第 1 版根密钥组"), "{}", r.stdout);
    // The build pinned at v1 accepts it, but deploy refuses: the log has
    // version 2, and the live release stays.
    ok(build(&s, &v1));
    let live = common::snapshot(&s.path().join("www/current"));
    let r = refused(
        common::sanshen(
            s.path(),
            &[
                "deploy",
                "--to",
                "www",
                "--now",
                "2026-11-23T09:00:00+08:00",
            ],
        ),
        &["root-rollback", "根密钥组不得回退", "低于已发布的版本 2"],
    );
    assert!(r.stderr.contains("部署失败"), "{}", r.all());
    assert_eq!(common::snapshot(&s.path().join("www/current")), live);
}

#[test]
fn single_key_pins_are_unchanged() {
    let s = TestSite::new();
    s.article("news/a.md", "通知", "2026-11-10", "", "正文。");
    let root = s.key_file("root");
    let r = ok(s.run(&["governance", "sign", "--key", &root]));
    assert!(r.stdout.contains(&common::trust_root()), "{}", r.stdout);
    let gov = String::from_utf8(s.source("reviews/governance.yaml")).unwrap();
    assert!(gov.contains("\nsignature: \""), "{gov}");
    assert!(!gov.contains("signatures"), "{gov}");
    ok(s.build(&[]));
    // A malformed roots pin is refused before anything is read.
    refused(build(&s, "roots:sha256:abc"), &["64 位小写十六进制"]);
    // A fingerprint pin without roots.yaml.
    let pin = format!("roots:sha256:{}", "a".repeat(64));
    refused(build(&s, &pin), &["没有 reviews/roots.yaml"]);
    // root init refuses bad thresholds and duplicate keys.
    let a = public(A);
    refused(
        cli(&s, &["root", "init", "--threshold", "2", "--key", &a]),
        &["threshold"],
    );
    refused(
        cli(
            &s,
            &["root", "init", "--threshold", "1", "--key", &a, "--key", &a],
        ),
        &["重复"],
    );
    ok(cli(&s, &["root", "init", "--threshold", "1", "--key", &a]));
    refused(
        cli(&s, &["root", "init", "--threshold", "1", "--key", &a]),
        &["已存在"],
    );
}
