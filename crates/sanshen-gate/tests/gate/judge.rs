//! Unit tests of `judge` on small sites signed with generated keys.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;

use crate::vectors::{judge_raw, now};
use sanshen_gate::document;
use sanshen_gate::write::{add_approval, set_withdrawal};
use sanshen_gate::*;

pub struct Site {
    pub keys: BTreeMap<&'static str, SigningKey>,
    pub reviews: Reviews,
}

// id, role, level, extra keyring lines
const PEOPLE: [(&str, &str, u8, &str); 7] = [
    ("ed", "editor", 1, "  sections: [news]\n"),
    ("ld", "leader", 2, ""),
    ("of", "official", 3, ""),
    ("pr", "principal", 4, ""),
    ("sec", "security", 2, ""),
    (
        "old",
        "editor",
        1,
        "  valid_until: \"2026-06-01T00:00:00+08:00\"\n",
    ),
    ("rv", "editor", 1, ""),
];

const POLICY: &str = "classes:\n  A: { levels: [1] }\n  B: { levels: [1, 2] }\n  C: { levels: [1, 2, 3], roles: [principal] }\n\
distinct_reviewers: true\ngovernment_hosts: [\"*.gov.cn\", \"*.政务.cn\", \"*.政务\"]\nexternal_links_role: security\n";

fn site_with(policy: &str) -> Site {
    let mut keys = BTreeMap::new();
    let mut ring = String::from("reviewers:\n");
    for (id, role, level, extra) in PEOPLE {
        let k = crate::test_key();
        ring.push_str(&format!(
            "- id: {id}\n  name: 人员{id}\n  title: 职务\n  role: {role}\n  level: {level}\n  key: \"{}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: {}\n{extra}",
            format_public_key(&k.verifying_key()),
            id == "rv"
        ));
        keys.insert(id, k);
    }
    let mut files = BTreeMap::new();
    files.insert("reviewers.yaml".to_string(), ring.into_bytes());
    files.insert("policy.yaml".to_string(), policy.as_bytes().to_vec());
    files.insert(
        "sources.yaml".to_string(),
        b"sources:\n- name: \xe4\xb8\xad\xe5\x9b\xbd\xe6\x94\xbf\xe5\xba\x9c\xe7\xbd\x91\n  hosts: [\"www.gov.cn\"]\n".to_vec(),
    );
    Site {
        keys,
        reviews: Reviews::parse(&files).unwrap(),
    }
}

pub fn site() -> Site {
    site_with(POLICY)
}

pub const AT: &str = "2026-11-20T15:04:05+08:00";

pub fn article(class: &str, extra: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: 标题\nclass: {class}\n{extra}---\n{body}").into_bytes()
}

impl Site {
    /// Sign `raw` (at `path`) by `who` at `level`, time `at`.
    pub fn sign(&self, path: &str, raw: &[u8], who: &str, level: u8, at: &str) -> Vec<u8> {
        let digest = document::parse(raw).unwrap().digest();
        let sig = sign_approval(&self.keys[who], path, &digest, level, who, at);
        add_approval("f", raw, who, level, at, &digest, &sig).unwrap()
    }
    pub fn judge(&self, path: &str, raw: &[u8]) -> Verdict {
        judge_raw(&self.reviews, path, raw, now())
    }
    fn word(&self, path: &str, raw: &[u8]) -> Option<&'static str> {
        self.judge(path, raw).main_reason().map(|r| r.word.word())
    }
}

pub const P: &str = "news/x.md";

#[test]
fn signing_round_trip_counts() {
    let s = site();
    let raw = s.sign(P, &article("A", "", "正文\n"), "ed", 1, AT);
    let v = s.judge(P, &raw);
    assert!(v.publish, "{:?}", v.reasons);
    assert_eq!(v.approvals[0].status, ApprovalStatus::Counts);
    assert_eq!(v.approvals[0].reviewer_name.as_deref(), Some("人员ed"));
    assert_eq!(v.requirements[0].met_by.as_deref(), Some("ed"));
    assert_eq!(v.requirements[0].approval, Some(0));
}

#[test]
fn every_reason_word() {
    let s = site();
    let a = article("A", "", "正文\n");
    let signed = s.sign(P, &a, "ed", 1, AT);
    // unreadable
    let raw = String::from_utf8(signed.clone())
        .unwrap()
        .replace("---\n正文", "note: x\n---\n正文");
    assert_eq!(s.word(P, raw.as_bytes()), Some("unreadable"));
    // draft
    let d = s.sign(P, &article("A", "draft: true\n", "正文\n"), "ed", 1, AT);
    assert_eq!(s.word(P, &d), Some("draft"));
    // withdrawn
    let sig = sign_withdrawal(&s.keys["ld"], P, "ld", AT, "有误");
    let w = set_withdrawal("f", &signed, "ld", AT, "有误", &sig).unwrap();
    assert_eq!(s.word(P, &w), Some("withdrawn"));
    // no-class
    assert_eq!(
        s.word(P, &s.sign(P, &article("D", "", "x\n"), "ed", 1, AT)),
        Some("no-class")
    );
    assert_eq!(s.word(P, b"---\ntitle: t\n---\n"), Some("no-class"));
    // pending
    assert_eq!(s.word(P, &a), Some("pending"));
    // stale: edit the body after signing
    let stale = String::from_utf8(signed.clone())
        .unwrap()
        .replace("正文", "正文。");
    assert_eq!(s.word(P, stale.as_bytes()), Some("stale"));
    // bad-signature: moved to another section path
    assert_eq!(s.word("news/y.md", &signed), Some("bad-signature"));
    // unknown-reviewer
    let u = String::from_utf8(signed.clone())
        .unwrap()
        .replace("\"ed\"", "\"nobody\"");
    assert_eq!(s.word(P, u.as_bytes()), Some("unknown-reviewer"));
    // level: an editor attesting level 2 of a B article
    let b = article("B", "", "x\n");
    let b = s.sign(P, &s.sign(P, &b, "ed", 2, AT), "ld", 2, AT);
    assert_eq!(s.word(P, &b), Some("level"));
    // scope: ed covers news only
    let q = "policy/x.md";
    assert_eq!(s.word(q, &s.sign(q, &a, "ed", 1, AT)), Some("scope"));
    // key-revoked
    assert_eq!(s.word(P, &s.sign(P, &a, "rv", 1, AT)), Some("key-revoked"));
    // key-not-valid: old's key ended 2026-06-01
    assert_eq!(
        s.word(P, &s.sign(P, &a, "old", 1, AT)),
        Some("key-not-valid")
    );
    // future
    let f = s.sign(P, &a, "ed", 1, "2026-11-21T12:05:01+08:00");
    assert_eq!(s.word(P, &f), Some("future"));
    // source
    let r = article(
        "A",
        "source:\n  name: 某网\n  url: https://mp.example.net/a\n",
        "x\n",
    );
    assert_eq!(s.word(P, &s.sign(P, &r, "ed", 1, AT)), Some("source"));
    let r = article(
        "A",
        "source:\n  name: 中国政府网\n  url: https://www.gov.cn/a\n",
        "x\n",
    );
    assert_eq!(s.word(P, &s.sign(P, &r, "ed", 1, AT)), None);
}

#[test]
fn withdrawal_with_bad_signature_is_still_withdrawn() {
    let s = site();
    let signed = s.sign(P, &article("A", "", "x\n"), "ed", 1, AT);
    let sig = sign_withdrawal(&s.keys["ld"], "other/path.md", "ld", AT, "有误");
    let w = set_withdrawal("f", &signed, "ld", AT, "有误", &sig).unwrap();
    let v = s.judge(P, &w);
    assert!(!v.publish);
    assert_eq!(v.reasons[0].word.word(), "withdrawn");
    let wc = v.withdrawal.unwrap();
    assert!(!wc.signature_ok);
    assert_eq!(wc.status, WithdrawalStatus::BadSignature);
    // Even with garbage and missing fields.
    let w = String::from_utf8(signed)
        .unwrap()
        .replace("---\nx", "withdrawn:\n  reviewer: who\n---\nx");
    let v = s.judge(P, w.as_bytes());
    assert_eq!(v.reasons[0].word.word(), "withdrawn");
    assert_eq!(v.withdrawal.unwrap().status, WithdrawalStatus::Malformed);
}

#[test]
fn malformed_signatures_never_panic() {
    let s = site();
    let signed = String::from_utf8(s.sign(P, &article("A", "", "x\n"), "ed", 1, AT)).unwrap();
    let sig_start = signed.find("signature: \"").unwrap() + 12;
    let sig_end = sig_start + signed[sig_start..].find('"').unwrap();
    for bad in ["", "!!!", "AAAA", "QUJD", &"A".repeat(200), "===="] {
        let raw = format!("{}{bad}{}", &signed[..sig_start], &signed[sig_end..]);
        let v = s.judge(P, raw.as_bytes());
        assert_eq!(v.approvals[0].status, ApprovalStatus::BadSignature, "{bad}");
        assert_eq!(v.reasons[0].word.word(), "bad-signature");
    }
    // Missing signature / bad level / bad time: malformed, reported as unreadable with the line.
    let raw = signed.replace(&signed[sig_start - 14..sig_end + 2], "");
    let v = s.judge(P, raw.as_bytes());
    assert_eq!(v.approvals[0].status, ApprovalStatus::Malformed);
    assert_eq!(v.reasons[0].word.word(), "unreadable");
    assert_eq!(v.reasons[0].line, Some(5));
    let v = s.judge(
        P,
        signed.replace("level: \"1\"", "level: \"01\"").as_bytes(),
    );
    assert_eq!(v.approvals[0].status, ApprovalStatus::Malformed);
    let v = s.judge(P, signed.replace(AT, "yesterday").as_bytes());
    assert_eq!(v.approvals[0].status, ApprovalStatus::Malformed);
}

#[test]
fn a_non_counting_extra_approval_does_not_block() {
    let s = site();
    let raw = s.sign(P, &article("A", "", "x\n"), "ed", 1, AT);
    let raw = s.sign(P, &raw, "rv", 1, AT);
    let v = s.judge(P, &raw);
    assert!(v.publish);
    assert_eq!(v.approvals[1].status, ApprovalStatus::KeyRevoked);
}

#[test]
fn distinct_reviewers_are_required() {
    let s = site();
    let b = article("B", "", "x\n");
    let same = s.sign(P, &s.sign(P, &b, "ld", 1, AT), "ld", 2, AT);
    let v = s.judge(P, &same);
    assert!(!v.publish);
    assert_eq!(v.reasons[0].word.word(), "pending");
    assert!(v.reasons[0].message.contains("distinct_reviewers"));
    let two = s.sign(P, &s.sign(P, &b, "ed", 1, AT), "ld", 2, AT);
    assert!(s.judge(P, &two).publish);
    // Needs reassignment: ld signs 1 and 2, ed signs 1 → ed:1, ld:2.
    let three = s.sign(P, &same, "ed", 1, AT);
    assert!(s.judge(P, &three).publish);
    // Without the distinct rule one person may meet both levels.
    let lax = site_with(&POLICY.replace("distinct_reviewers: true", "distinct_reviewers: false"));
    let same = lax.sign(P, &lax.sign(P, &b, "ld", 1, AT), "ld", 2, AT);
    assert!(lax.judge(P, &same).publish);
}

#[test]
fn future_tolerance_is_five_minutes() {
    let s = site();
    let a = article("A", "", "x\n");
    let ok = s.sign(P, &a, "ed", 1, "2026-11-21T12:05:00+08:00");
    assert!(s.judge(P, &ok).publish);
    let ok = s.sign(P, &a, "ed", 1, "2026-11-21T04:05:00Z");
    assert!(s.judge(P, &ok).publish);
    let late = s.sign(P, &a, "ed", 1, "2026-11-21T04:05:01Z");
    assert_eq!(s.word(P, &late), Some("future"));
}

#[test]
fn valid_until_is_exclusive_and_valid_from_inclusive() {
    let s = site();
    let a = article("A", "", "x\n");
    let edge = s.sign(P, &a, "old", 1, "2026-06-01T00:00:00+08:00");
    assert_eq!(s.word(P, &edge), Some("key-not-valid"));
    let before = s.sign(P, &a, "old", 1, "2026-05-31T23:59:59+08:00");
    assert!(s.judge(P, &before).publish);
    let from = s.sign(P, &a, "old", 1, "2026-01-01T00:00:00+08:00");
    assert!(s.judge(P, &from).publish);
    let early = s.sign(P, &a, "old", 1, "2025-12-31T23:59:59+08:00");
    assert_eq!(s.word(P, &early), Some("key-not-valid"));
}

#[test]
fn external_links_and_idna_hosts() {
    let s = site();
    let gov = article(
        "A",
        "",
        "[政务](https://www.xn--fiq06l2rdsvs.xn--zfr164b/) [站内](https://www.example.gov.cn/a)\n",
    );
    assert!(s.judge(P, &s.sign(P, &gov, "ed", 1, AT)).publish);
    let ext = article("A", "", "<a href=\"//cdn.example.com/x\">x</a>\n");
    let one = s.sign(P, &ext, "ed", 1, AT);
    let v = s.judge(P, &one);
    assert_eq!(v.reasons[0].word.word(), "pending");
    assert!(v.reasons[0].message.contains("cdn.example.com"));
    assert!(s.judge(P, &s.sign(P, &one, "sec", 1, AT)).publish);
    // The site's own host (with port) is not external.
    let mut v = s.judge(
        P,
        &s.sign(
            P,
            &article("A", "", "[a](http://localhost:8080/)\n"),
            "ed",
            1,
            AT,
        ),
    );
    assert!(!v.publish);
    let doc = document::parse(&s.sign(
        P,
        &article("A", "", "[a](http://localhost:8080/)\n"),
        "ed",
        1,
        AT,
    ))
    .unwrap();
    let art = ArticleFacts {
        path: P,
        doc: &doc,
        class: Some("A"),
        draft: false,
        source_url: None,
        hosts: &crate::hosts_of(doc.body()),
        assets: &AssetFacts::NONE,
    };
    v = judge(&s.reviews, &art, "localhost:8080", now());
    assert!(v.publish, "{:?}", v.reasons);
    v = judge(&s.reviews, &art, "http://LOCALHOST:8080/", now());
    assert!(v.publish, "{:?}", v.reasons);
}
