//! Conformance: the vectors of spec/approvals.md, copied unchanged to
//! tests/fixtures/vectors.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use sanshen_gate::document;
use sanshen_gate::*;

const VEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/vectors");
pub const SITE: &str = "www.example.gov.cn";

pub fn reviews_files() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(format!("{VEC}/reviews")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        files.insert(name, std::fs::read(e.path()).unwrap());
    }
    files
}

fn expected() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{VEC}/expected.json")).unwrap()).unwrap()
}

pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00+08:00").unwrap()
}

pub fn judge_raw(reviews: &Reviews, path: &str, raw: &[u8], at: DateTime<FixedOffset>) -> Verdict {
    let doc = document::parse(raw).unwrap();
    let facts = read_facts(&format!("content/{path}"), &doc).unwrap();
    let art = ArticleFacts {
        path,
        doc: &doc,
        class: facts.class.as_deref(),
        draft: facts.draft,
        source_url: facts.source_url.as_deref(),
        hosts: &crate::hosts_of(doc.body()),
        assets: &AssetFacts::NONE,
    };
    judge(reviews, &art, SITE, at)
}

fn articles() -> Vec<String> {
    let mut out = Vec::new();
    for section in std::fs::read_dir(format!("{VEC}/content")).unwrap() {
        let section = section.unwrap();
        for f in std::fs::read_dir(section.path()).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".md") && !name.starts_with('_') {
                out.push(format!("{}/{name}", section.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn clock_matches_source_date_epoch() {
    let exp = expected();
    let epoch = exp["SOURCE_DATE_EPOCH"].as_i64().unwrap();
    assert_eq!(now().timestamp(), epoch);
    assert_eq!(
        DateTime::parse_from_rfc3339(exp["now"].as_str().unwrap()).unwrap(),
        now()
    );
}

#[test]
fn every_vector_article_gets_its_verdict_and_main_reason() {
    let exp = expected();
    let reviews = Reviews::parse(&reviews_files()).unwrap();
    let listed = exp["articles"].as_object().unwrap();
    let found = articles();
    assert_eq!(
        found.len(),
        listed.len(),
        "every article is listed in expected.json"
    );
    let mut failures = Vec::new();
    for path in &found {
        let want = &listed[path.as_str()];
        let raw = std::fs::read(Path::new(VEC).join("content").join(path)).unwrap();
        let v = judge_raw(&reviews, path, &raw, now());
        let verdict = if v.publish { "publish" } else { "hold" };
        let reason = v.main_reason().map(|r| r.word.word());
        if verdict != want["verdict"] || reason != want["reason"].as_str() {
            failures.push(format!("{path}: got {verdict} {reason:?} {:#?}", v.reasons));
        }
        assert_eq!(v.publish, v.reasons.is_empty(), "{path}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vector_details_are_complete() {
    let reviews = Reviews::parse(&reviews_files()).unwrap();
    let read = |p: &str| std::fs::read(format!("{VEC}/content/{p}")).unwrap();
    // c-ok: four requirements, four different people, the principal role
    // met by zhao.liu's level-3 approval.
    let v = judge_raw(&reviews, "news/c-ok.md", &read("news/c-ok.md"), now());
    assert!(v.publish);
    assert_eq!(v.requirements.len(), 4);
    let role = v
        .requirements
        .iter()
        .find(|q| q.kind == ReqKind::Role("principal".into()))
        .unwrap();
    assert_eq!(role.met_by.as_deref(), Some("zhao.liu"));
    assert_eq!(role.met_by_name.as_deref(), Some("赵六"));
    assert!(v
        .approvals
        .iter()
        .all(|a| a.status == ApprovalStatus::Counts && a.fingerprint.is_some()));
    // a-gate-order: unreadable names line 12 (the `tags:` line).
    let v = judge_raw(
        &reviews,
        "news/a-gate-order.md",
        &read("news/a-gate-order.md"),
        now(),
    );
    assert_eq!(v.reasons[0].line, Some(12));
    assert!(v.gate_error.is_some());
    // a-withdrawn-badsig: withdrawn, signature reported bad.
    let v = judge_raw(
        &reviews,
        "news/a-withdrawn-badsig.md",
        &read("news/a-withdrawn-badsig.md"),
        now(),
    );
    let w = v.withdrawal.as_ref().unwrap();
    assert!(!w.signature_ok);
    assert_eq!(w.status, WithdrawalStatus::BadSignature);
    assert!(v.reasons[0].message.contains("bad-signature"));
    let v = judge_raw(
        &reviews,
        "news/a-withdrawn.md",
        &read("news/a-withdrawn.md"),
        now(),
    );
    let w = v.withdrawal.as_ref().unwrap();
    assert!(w.signature_ok && w.status == WithdrawalStatus::Valid);
    assert_eq!(w.reason, "信息有误，撤销发布");
    // a-ext-other: the security requirement comes from the link.
    let v = judge_raw(
        &reviews,
        "news/a-ext-other.md",
        &read("news/a-ext-other.md"),
        now(),
    );
    assert_eq!(v.external_hosts, vec!["www.example.com".to_string()]);
    assert!(v
        .requirements
        .iter()
        .any(|q| q.from_external_links && !q.met));
    // b-same-person: li.si cannot fill both levels.
    let v = judge_raw(
        &reviews,
        "news/b-same-person.md",
        &read("news/b-same-person.md"),
        now(),
    );
    assert!(v
        .approvals
        .iter()
        .all(|a| a.status == ApprovalStatus::Counts));
    assert!(v.reasons[0].message.contains("李四"), "{:?}", v.reasons);
    // b-overlevel: level first, then the missing level 2.
    let v = judge_raw(
        &reviews,
        "news/b-overlevel.md",
        &read("news/b-overlevel.md"),
        now(),
    );
    let words: Vec<&str> = v.reasons.iter().map(|r| r.word.word()).collect();
    assert_eq!(words, vec!["level", "pending"]);
    assert_eq!(v.reasons[0].line, Some(12));
}

#[test]
fn governance_verifies_with_the_trust_root() {
    let root = expected()["trust_root"].as_str().unwrap().to_string();
    let files = reviews_files();
    verify_governance_v1(&files, &root).unwrap();
}

#[test]
fn governance_fails_with_another_root() {
    let files = reviews_files();
    let other = format_public_key(&crate::test_key().verifying_key());
    let e = verify_governance_v1(&files, &other).unwrap_err();
    assert_eq!(e.file, "reviews/governance.yaml");
    assert!(verify_governance_v1(&files, "ed25519:AAAA").is_err());
}

#[test]
fn governance_names_the_changed_file() {
    let root = expected()["trust_root"].as_str().unwrap().to_string();
    for name in READ_FILES {
        for pos in [0usize, 17, 100] {
            let mut files = reviews_files();
            // The vectors have no rules.yaml / words.yaml.
            let Some(bytes) = files.get_mut(name) else {
                continue;
            };
            let i = pos.min(bytes.len() - 1);
            bytes[i] ^= 0x01;
            let e = verify_governance_v1(&files, &root).unwrap_err();
            assert_eq!(e.file, format!("reviews/{name}"), "{e}");
            assert!(e.message.contains(name), "{e}");
        }
    }
}

#[test]
fn governance_missing_extra_and_absent_files() {
    let root = expected()["trust_root"].as_str().unwrap().to_string();
    let mut files = reviews_files();
    files.remove("governance.yaml");
    assert_eq!(
        verify_governance_v1(&files, &root).unwrap_err().file,
        "reviews/governance.yaml"
    );
    let mut files = reviews_files();
    files.remove("sources.yaml");
    assert_eq!(
        verify_governance_v1(&files, &root).unwrap_err().file,
        "reviews/sources.yaml"
    );
    // A read file present but not listed: sign without sources.yaml, then add it.
    let root_key =
        parse_secret_key(&std::fs::read_to_string(format!("{VEC}/keys/root.pem")).unwrap())
            .unwrap();
    let mut files = reviews_files();
    let sources = files.remove("sources.yaml").unwrap();
    let gov = sign_governance_v1(&files, "2026-11-01T09:00:00+08:00", &root_key);
    files.insert("governance.yaml".into(), gov.into_bytes());
    verify_governance_v1(&files, &root).unwrap();
    files.insert("sources.yaml".into(), sources);
    let e = verify_governance_v1(&files, &root).unwrap_err();
    assert_eq!(e.file, "reviews/sources.yaml");
    // Files the build does not read may sit beside them unsigned.
    let mut files = reviews_files();
    files.insert("README.md".into(), b"notes".to_vec());
    verify_governance_v1(&files, &root).unwrap();
}

#[test]
fn sign_governance_reproduces_the_vector_file() {
    let root_key =
        parse_secret_key(&std::fs::read_to_string(format!("{VEC}/keys/root.pem")).unwrap())
            .unwrap();
    let files = reviews_files();
    let text = sign_governance_v1(&files, "2026-11-01T09:00:00+08:00", &root_key);
    assert_eq!(text.as_bytes(), files["governance.yaml"].as_slice());
    assert_eq!(
        format_public_key(&root_key.verifying_key()),
        expected()["trust_root"].as_str().unwrap()
    );
}
