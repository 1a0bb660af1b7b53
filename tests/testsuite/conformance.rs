//! Conformance: the v1 vectors site (copied unchanged into
//! tests/fixtures/vectors) is refused as it is (v1 governance), and once its
//! governance is migrated to v2 with the vectors' root key (spec v2 §7) it
//! builds to exactly the expected verdicts; the governance cases refuse to
//! build.

use crate::common;

use std::fs;
use std::path::Path;

use common::sanshen;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vectors");

fn expected() -> serde_json::Value {
    let text = fs::read_to_string(Path::new(VECTORS).join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A temp site: the vectors' content/ and reviews/ plus a site.yaml, with
/// the governance migrated to v2 by `sanshen governance sign` and the
/// vectors' root key.
fn site() -> tempfile::TempDir {
    let dir = v1_site();
    let root = expected()["trust_root"].as_str().unwrap().to_string();
    let key = Path::new(&crate::common::fixture_key(&format!(
        "{VECTORS}/keys/root.pem"
    )))
    .to_path_buf();
    let r = sanshen(
        dir.path(),
        &[
            "governance",
            "sign",
            "--key",
            &key.to_string_lossy(),
            "--root",
            ".",
            "--trust-root",
            &root,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let gov = fs::read_to_string(dir.path().join("reviews/governance.yaml")).unwrap();
    assert!(gov.starts_with("version: 2\nserial: 1\n"), "{gov}");
    dir
}

/// A temp site: the vectors' content/ and reviews/ (v1 governance, as
/// copied) plus a site.yaml.
fn v1_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["content", "reviews"] {
        let from = Path::new(VECTORS).join(sub);
        for e in walkdir::WalkDir::new(&from)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = e.path().strip_prefix(&from).unwrap();
            let to = dir.path().join(sub).join(rel);
            if e.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(e.path(), &to).unwrap();
            }
        }
    }
    fs::write(
        dir.path().join("site.yaml"),
        "name: 一致性测试站\nbase_url: https://www.vectors.gov.cn\n",
    )
    .unwrap();
    dir
}

fn build(dir: &Path, root: &str) -> common::Run {
    let exp = expected();
    let epoch = exp["SOURCE_DATE_EPOCH"].to_string();
    // The vectors' clock is their SOURCE_DATE_EPOCH; the judging clock is
    // --now (spec §10).
    let secs: i64 = epoch.trim_matches('"').parse().expect("epoch");
    let now = chrono::DateTime::from_timestamp(secs, 0)
        .expect("epoch")
        .to_rfc3339();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args([
            "build",
            "--root",
            ".",
            "--out",
            "public",
            "--trust-root",
            root,
            "--now",
            &now,
        ])
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env_remove("SANSHEN_TRUST_ROOT")
        .output()
        .unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The first `[word]` printed under a held article's line.
fn main_reason(stdout: &str, file: &str) -> Option<String> {
    let mut lines = stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(file));
    lines.next()?;
    let next = lines.next()?.trim_start();
    let word = next.strip_prefix('[')?.split(']').next()?;
    Some(word.to_string())
}

#[test]
fn publishes_exactly_the_expected_articles() {
    let dir = site();
    let exp = expected();
    let r = build(dir.path(), exp["trust_root"].as_str().unwrap());
    assert_eq!(r.code, 0, "{}", r.all());
    let articles = exp["articles"].as_object().unwrap();
    assert_eq!(articles.len(), 31);
    let sitemap = fs::read_to_string(dir.path().join("public/sitemap.xml")).unwrap();
    for (path, want) in articles {
        let page = dir
            .path()
            .join("public")
            .join(path.trim_end_matches(".md"))
            .join("index.html");
        let url = format!("/{}/<", path.trim_end_matches(".md"));
        let file = format!("content/{path}");
        match want["verdict"].as_str().unwrap() {
            "publish" => {
                assert!(page.exists(), "{path} should be published\n{}", r.stdout);
                assert!(sitemap.contains(&url), "{path} in sitemap.xml");
                assert!(
                    !r.stdout.contains(&file),
                    "{path} must not be listed as held"
                );
            }
            "hold" => {
                assert!(!page.exists(), "{path} must be held");
                assert!(!sitemap.contains(&url), "{path} not in sitemap.xml");
                let reason = want["reason"].as_str().unwrap();
                assert_eq!(
                    main_reason(&r.stdout, &file).as_deref(),
                    Some(reason),
                    "{path}\n{}",
                    r.stdout
                );
            }
            v => panic!("unknown verdict {v}"),
        }
    }
    // Forgery is shown apart, as possible tampering.
    let tamper = r.stdout.find("可能被篡改").expect("tampering section");
    assert!(r.stdout[tamper..].contains("content/news/a-forged.md"));
    assert!(r.stdout[tamper..].contains("content/news/a-moved.md"));
}

#[test]
fn v1_governance_is_refused_with_the_migration_command() {
    let dir = v1_site();
    let exp = expected();
    let r = build(dir.path(), exp["trust_root"].as_str().unwrap());
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("reviews/governance.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("v1"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("sanshen governance sign --key <root.pem>"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn changed_reviews_file_refuses_and_writes_nothing() {
    let exp = expected();
    for name in ["reviewers.yaml", "policy.yaml", "sources.yaml"] {
        let dir = site();
        let p = dir.path().join("reviews").join(name);
        let mut bytes = fs::read(&p).unwrap();
        bytes.push(b'\n');
        fs::write(&p, bytes).unwrap();
        let r = build(dir.path(), exp["trust_root"].as_str().unwrap());
        assert_eq!(r.code, 1, "{name}: {}", r.all());
        assert!(
            r.stderr.contains(&format!("reviews/{name}")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("被修改"), "{}", r.stderr);
        assert!(!dir.path().join("public").exists(), "nothing written");
    }
}

#[test]
fn other_trust_root_refuses_and_writes_nothing() {
    let dir = site();
    let other = sanshen::gate::format_public_key(&common::root_key().verifying_key());
    let r = build(dir.path(), &other);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("governance.yaml"), "{}", r.stderr);
    assert!(!dir.path().join("public").exists());
}

#[test]
fn missing_trust_root_refuses() {
    let dir = site();
    let r = sanshen(dir.path(), &["build", "--root", "."]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("信任根"), "{}", r.stderr);
    assert!(!dir.path().join("public").exists());
}
