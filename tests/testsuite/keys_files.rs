//! Key files as OpenSSL writes and reads them (spec §8): `sanshen keygen`
//! keys read by `openssl pkey`, plain and encrypted; keys from `openssl
//! genpkey`, plain and encrypted, sign and the build publishes; a key file
//! or passphrase file that others can read is refused with the fix. The
//! `openssl` command is required: these tests fail without it.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{self, TestSite};

const A: &str = "content/news/a.md";
const PASS: &str = "zhe shi kou ling 2026";

/// Run `openssl ARGS` in `dir`; panics (fails the test) when it is missing.
fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("openssl is required (apt-get install openssl): {e}"))
}

/// `sanshen keygen ARGS --root .` in the site folder.
fn keygen(s: &TestSite, args: &[&str]) -> common::Run {
    let mut all = vec!["keygen"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", "."]);
    common::sanshen(s.path(), &all)
}

/// A site with an unsigned A article.
fn site() -> TestSite {
    let s = TestSite::new();
    s.article_signed("news/a.md", "A", "A类文章", "2026-11-10", "", "正文。", &[]);
    s
}

/// `keys/pass.txt` (mode 0600) holding [`PASS`]; its path in the site.
fn pass_file(s: &TestSite) -> String {
    let rel = "keys/pass.txt";
    s.write_unsigned(rel, format!("{PASS}\n").as_bytes());
    common::private(&s.path().join(rel));
    rel.to_string()
}

/// The public key (`ed25519:…`) of an OpenSSL key file, as OpenSSL sees it.
fn openssl_public(dir: &Path, key: &str, pass: Option<&str>) -> String {
    let mut args = vec!["pkey", "-in", key, "-pubout"];
    let passin = pass.map(|p| format!("pass:{p}"));
    if let Some(p) = &passin {
        args.extend(["-passin", p]);
    }
    let out = openssl(dir, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use ed25519_dalek::pkcs8::DecodePublicKey;
    let key =
        ed25519_dalek::VerifyingKey::from_public_key_pem(&String::from_utf8_lossy(&out.stdout))
            .expect("openssl public key");
    sanshen::gate::format_public_key(&key)
}

#[test]
fn keygen_keys_are_read_by_openssl_plain_and_encrypted() {
    let s = TestSite::new();
    let pass = pass_file(&s);
    let r = keygen(&s, &["--no-passphrase", "--out", "keys/plain.pem"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let plain = fs::read_to_string(s.path().join("keys/plain.pem")).unwrap();
    assert!(plain.starts_with("-----BEGIN PRIVATE KEY-----"), "{plain}");
    let public = openssl_public(s.path(), "keys/plain.pem", None);
    assert!(r.stdout.contains(&public), "{}", r.stdout);

    let r = keygen(&s, &["--passphrase-file", &pass, "--out", "keys/enc.pem"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("有口令保护"), "{}", r.stdout);
    let enc = fs::read_to_string(s.path().join("keys/enc.pem")).unwrap();
    assert!(
        enc.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{enc}"
    );
    let out = openssl(
        s.path(),
        &[
            "pkey",
            "-in",
            "keys/enc.pem",
            "-noout",
            "-passin",
            &format!("pass:{PASS}"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = openssl_public(s.path(), "keys/enc.pem", Some(PASS));
    assert!(r.stdout.contains(&public), "{}", r.stdout);
    let wrong = openssl(
        s.path(),
        &[
            "pkey",
            "-in",
            "keys/enc.pem",
            "-noout",
            "-passin",
            "pass:wrong",
        ],
    );
    assert!(
        !wrong.status.success(),
        "a wrong passphrase must not decrypt"
    );

    // Plaintext only when asked: without a terminal and without a file, no key.
    let r = keygen(&s, &["--out", "keys/none.pem"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("--no-passphrase"), "{}", r.stderr);
    assert!(!s.path().join("keys/none.pem").exists());
    // A short passphrase is refused.
    s.write_unsigned("keys/short.txt", b"abc\n");
    common::private(&s.path().join("keys/short.txt"));
    let r = keygen(
        &s,
        &["--passphrase-file", "keys/short.txt", "--out", "keys/s.pem"],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("口令太短"), "{}", r.stderr);
}

#[test]
fn openssl_keys_sign_and_the_build_publishes() {
    for encrypted in [false, true] {
        let s = site();
        let pass = pass_file(&s);
        fs::create_dir_all(s.path().join("keys")).unwrap();
        let mut args = vec!["genpkey", "-algorithm", "ed25519", "-out", "keys/o.pem"];
        let passout = format!("pass:{PASS}");
        if encrypted {
            args.extend(["-aes-256-cbc", "-pass", &passout]);
        }
        let out = openssl(s.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        common::private(&s.path().join("keys/o.pem"));
        let public = openssl_public(s.path(), "keys/o.pem", encrypted.then_some(PASS));
        s.add_reviewer_key("ou.yang", "欧阳", "editor", 1, &public, "");
        let mut sign = vec!["sign", A, "--key", "keys/o.pem", "--yes"];
        if encrypted {
            sign.extend(["--passphrase-file", &pass]);
        }
        let r = s.run(&sign);
        assert_eq!(r.code, 0, "encrypted={encrypted}: {}", r.all());
        assert_eq!(s.build(&[]).code, 0);
        assert!(
            s.exists("news/a/index.html"),
            "encrypted={encrypted}: published"
        );
    }
}

#[test]
fn an_encrypted_key_with_a_wrong_passphrase_is_refused() {
    let s = site();
    let pass = pass_file(&s);
    let r = keygen(&s, &["--passphrase-file", &pass, "--out", "keys/enc.pem"]);
    assert_eq!(r.code, 0, "{}", r.all());
    s.write_unsigned("keys/wrong.txt", b"not the passphrase\n");
    common::private(&s.path().join("keys/wrong.txt"));
    let r = s.run(&[
        "sign",
        A,
        "--key",
        "keys/enc.pem",
        "--passphrase-file",
        "keys/wrong.txt",
        "--yes",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("口令不对"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_key_or_passphrase_file_others_can_read_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let s = site();
    let key = s.key_file("editor");
    let chmod = |rel: &str, mode: u32| {
        fs::set_permissions(s.path().join(rel), fs::Permissions::from_mode(mode)).unwrap()
    };
    chmod(&key, 0o644);
    let r = s.run(&["sign", A, "--key", &key, "--yes"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("权限是 0644"), "{}", r.stderr);
    assert!(
        r.stderr.contains("chmod 600 keys/editor.pem"),
        "{}",
        r.stderr
    );
    assert!(!String::from_utf8(s.source(A))
        .unwrap()
        .contains("approvals:\n-"));
    // Group-readable is refused too; 0600 (and 0400) sign.
    chmod(&key, 0o640);
    assert_eq!(s.run(&["sign", A, "--key", &key, "--yes"]).code, 1);
    chmod(&key, 0o400);
    let r = s.run(&["sign", A, "--key", &key, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // The passphrase file is held to the same rule.
    let pass = pass_file(&s);
    let r = keygen(&s, &["--passphrase-file", &pass, "--out", "keys/enc.pem"]);
    assert_eq!(r.code, 0, "{}", r.all());
    chmod(&pass, 0o644);
    let r = s.run(&[
        "withdraw",
        A,
        "--key",
        "keys/enc.pem",
        "--passphrase-file",
        &pass,
        "--reason",
        "测试",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("口令文件的权限是 0644"), "{}", r.stderr);
    assert!(r.stderr.contains("chmod 600 keys/pass.txt"), "{}", r.stderr);
}
