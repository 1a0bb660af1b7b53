//! `sanshen governance sign|verify` and `sanshen keygen` end to end.

use crate::common;

use std::fs;

use common::TestSite;

fn verify(s: &TestSite) -> common::Run {
    s.run(&["governance", "verify"])
}

#[test]
fn sign_then_verify_then_build() {
    let s = TestSite::new();
    s.article("news/a.md", "文章", "2026-11-10", "", "正文。");
    let root = s.key_file("root");
    // A new reviewer, added by hand: the old signature no longer covers it.
    let path = s.path().join("reviews/reviewers.yaml");
    let mut keyring = fs::read_to_string(&path).unwrap();
    keyring = keyring.replacen("level: 2\n", "level: 3\n", 1);
    fs::write(&path, &keyring).unwrap();
    let r = verify(&s);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("reviews/reviewers.yaml"), "{}", r.stderr);
    assert_eq!(s.build(&[]).code, 1);

    let r = s.run(&["governance", "sign", "--key", &root]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(&common::trust_root()), "{}", r.stdout);
    let gov = fs::read_to_string(s.path().join("reviews/governance.yaml")).unwrap();
    assert!(
        gov.contains("signed_at: \"2026-11-21T12:00:00+08:00\""),
        "{gov}"
    );
    assert!(gov.starts_with("version: 2\nserial: "), "{gov}");
    for f in [
        "reviews/policy.yaml",
        "reviews/reviewers.yaml",
        "reviews/sources.yaml",
        "site.yaml",
        "content/news/_index.md",
    ] {
        assert!(gov.contains(&format!("  {f}: \"sha256:")), "{gov}");
    }
    let r = verify(&s);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("验证通过"), "{}", r.stdout);
    assert!(r.stdout.contains("王编辑"), "{}", r.stdout);
    let b = s.build(&[]);
    assert_eq!(b.code, 0, "{}", b.all());
    assert!(s.exists("news/a/index.html"));
}

#[test]
fn tampering_is_found_and_named() {
    let s = TestSite::new();
    assert_eq!(verify(&s).code, 0);
    // Changed policy.
    let p = s.path().join("reviews/policy.yaml");
    let policy = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        policy.replace("B: { levels: [1, 2] }", "B: { levels: [1] }"),
    )
    .unwrap();
    let r = verify(&s);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("reviews/policy.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("验证失败"), "{}", r.stderr);
    fs::write(&p, policy).unwrap();
    assert_eq!(verify(&s).code, 0);
    // A wrong trust root.
    let other = sanshen::gate::format_public_key(&common::key(9).verifying_key());
    let r = sanshen_verify_with(&s, &other);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("reviews/governance.yaml"), "{}", r.stderr);
    // A forged signature by another key, over the right frame.
    let tree = sanshen::content::WorkTree::new(s.path());
    let frame = sanshen::reviews::frame(&tree, "default").unwrap();
    let forged = sanshen::gate::sign_governance(
        &frame,
        9,
        "2026-11-02T09:00:00+08:00",
        None,
        &common::key(9),
    );
    s.write("reviews/governance.yaml", &forged);
    let r = verify(&s);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("无法用信任根验证"), "{}", r.stderr);
    // Missing.
    fs::remove_file(s.path().join("reviews/governance.yaml")).unwrap();
    let r = verify(&s);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("缺少 reviews/governance.yaml"),
        "{}",
        r.stderr
    );
}

fn sanshen_verify_with(s: &TestSite, root: &str) -> common::Run {
    common::sanshen(
        s.path(),
        &["governance", "verify", "--root", ".", "--trust-root", root],
    )
}

#[test]
fn governance_sign_refuses_bad_input() {
    let s = TestSite::new();
    let root = s.key_file("root");
    let before = s.source("reviews/governance.yaml");
    // Duplicate ids: named with file and line.
    let p = s.path().join("reviews/reviewers.yaml");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, text.replacen("- id: leader", "- id: editor", 1)).unwrap();
    let r = s.run(&["governance", "sign", "--key", &root]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("reviews/reviewers.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("editor"), "{}", r.stderr);
    assert!(r.stderr.contains("未签署"), "{}", r.stderr);
    assert_eq!(s.source("reviews/governance.yaml"), before);
    fs::write(&p, text).unwrap();
    // A policy naming an unknown class.
    let p = s.path().join("reviews/policy.yaml");
    let policy = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        policy.replace("  A: { levels: [1] }", "  D: { levels: [1] }"),
    )
    .unwrap();
    let r = s.run(&["governance", "sign", "--key", &root]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("reviews/policy.yaml"), "{}", r.stderr);
    fs::write(&p, policy).unwrap();
    // A broken words list: it decides what is published, so it is checked too.
    s.write("reviews/words.yaml", "forbidden: [广告\n");
    let r = s.run(&["governance", "sign", "--key", &root]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("reviews/words.yaml"), "{}", r.stderr);
    assert_eq!(s.source("reviews/governance.yaml"), before);
    fs::remove_file(s.path().join("reviews/words.yaml")).unwrap();
    // The root key inside the site.
    s.write_unsigned("static/root.pem", common::secret_pem("root").as_bytes());
    let r = s.run(&["governance", "sign", "--key", "static/root.pem"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("私钥绝不能放进网站仓库"), "{}", r.stderr);
    assert_eq!(s.source("reviews/governance.yaml"), before);
}

#[test]
fn keygen_writes_a_private_key_once_and_never_inside_the_site() {
    let s = TestSite::new();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("zhang.san.pem");
    let f = file.to_string_lossy().into_owned();
    let r = s.run_plain(&["keygen", "--no-passphrase", "--out", &f]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pem = fs::read_to_string(&file).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let key = sanshen::gate::parse_secret_key(&pem).unwrap();
    let public = sanshen::gate::format_public_key(&key.verifying_key());
    assert!(
        r.stdout.contains(&format!("key: \"{public}\"")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("- id: zhang.san"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains("valid_from: \"2026-11-21T00:00:00+08:00\""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never overwrite.
    let r = s.run_plain(&["keygen", "--no-passphrase", "--out", &f]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("拒绝覆盖"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&file).unwrap(), pem);
    // Never inside the folders the build reads, nor as site.yaml.
    for inside in [
        "content/k.pem",
        "reviews/k.pem",
        "themes/x/k.pem",
        "static/k.pem",
        "site.yaml",
    ] {
        let r = s.run_plain(&["keygen", "--no-passphrase", "--out", inside, "--root", "."]);
        assert_eq!(r.code, 1, "{inside}: {}", r.all());
        assert!(
            r.stderr.contains("私钥绝不能放进网站仓库"),
            "{inside}: {}",
            r.stderr
        );
    }
    assert!(!s.path().join("content/k.pem").exists());
    // From elsewhere, with --root.
    let root = s.path().to_string_lossy().into_owned();
    let target = s.path().join("content/news/k.pem");
    let r = common::sanshen(
        out.path(),
        &[
            "keygen",
            "--no-passphrase",
            "--out",
            &target.to_string_lossy(),
            "--root",
            &root,
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!target.exists());
    // Outside those folders (like examples/demo-keys/) is allowed.
    let r = s.run_plain(&[
        "keygen",
        "--no-passphrase",
        "--out",
        "examples/demo-keys/li.si.pem",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
}

trait Plain {
    fn run_plain(&self, args: &[&str]) -> common::Run;
}

impl Plain for TestSite {
    /// Run without the --root/--trust-root the site helper adds.
    fn run_plain(&self, args: &[&str]) -> common::Run {
        common::sanshen(self.path(), args)
    }
}
