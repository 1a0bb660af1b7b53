//! Tests of what a signer may add (`choose_level`) and of robustness.

use chrono::{DateTime, FixedOffset, TimeDelta};

use crate::judge::{article, site, AT, P};
use crate::vectors::now;
use sanshen_gate::document;
use sanshen_gate::*;

#[test]
fn choose_level_defaults_to_the_lowest_useful_level() {
    let s = site();
    let at: DateTime<FixedOffset> = now();
    let b = article("B", "", "x\n");
    let one = s.sign(P, &b, "ed", 1, AT);
    let doc = document::parse(&one).unwrap();
    let art = ArticleFacts {
        path: P,
        doc: &doc,
        class: Some("B"),
        draft: false,
        source_url: None,
        hosts: &[],
        assets: &AssetFacts::NONE,
    };
    let v = judge(&s.reviews, &art, "www.example.gov.cn", at);
    assert_eq!(useful_levels(&s.reviews, &v, "ld"), vec![2]);
    assert_eq!(choose_level(&s.reviews, &art, &v, "ld", None, at), Ok(2));
    assert!(choose_level(&s.reviews, &art, &v, "ld", Some(1), at).is_err());
    assert!(choose_level(&s.reviews, &art, &v, "ed", None, at).is_err());
    assert!(choose_level(&s.reviews, &art, &v, "ed", Some(2), at).is_err());
    assert!(choose_level(&s.reviews, &art, &v, "rv", None, at).is_err());
    assert!(choose_level(&s.reviews, &art, &v, "nobody", None, at).is_err());
    assert!(choose_level(&s.reviews, &art, &v, "old", None, at).is_err());
    // A C article: the principal signs level 1 first if that is missing.
    let c = article("C", "", "x\n");
    let doc = document::parse(&c).unwrap();
    let art = ArticleFacts {
        path: P,
        doc: &doc,
        class: Some("C"),
        draft: false,
        source_url: None,
        hosts: &[],
        assets: &AssetFacts::NONE,
    };
    let v = judge(&s.reviews, &art, "www.example.gov.cn", at);
    assert_eq!(useful_levels(&s.reviews, &v, "pr"), vec![1, 2, 3, 4]);
    assert_eq!(choose_level(&s.reviews, &art, &v, "pr", None, at), Ok(1));
    // Only the principal role is missing: the principal signs at their own level.
    let c3 = s.sign(
        P,
        &s.sign(P, &s.sign(P, &c, "ed", 1, AT), "ld", 2, AT),
        "of",
        3,
        AT,
    );
    let doc3 = document::parse(&c3).unwrap();
    let art3 = ArticleFacts { doc: &doc3, ..art };
    let v3 = judge(&s.reviews, &art3, "www.example.gov.cn", at);
    assert_eq!(choose_level(&s.reviews, &art3, &v3, "pr", None, at), Ok(4));
    assert!(choose_level(&s.reviews, &art3, &v3, "ld", None, at).is_err());
    // Out of scope and drafts are refused.
    let art2 = ArticleFacts {
        path: "policy/x.md",
        ..art
    };
    assert!(choose_level(&s.reviews, &art2, &v, "ed", None, at).is_err());
    let art3 = ArticleFacts { draft: true, ..art };
    assert!(choose_level(&s.reviews, &art3, &v, "pr", None, at).is_err());
    // Approved already: nothing to add.
    let two = s.sign(P, &one, "ld", 2, AT);
    let doc = document::parse(&two).unwrap();
    let art = ArticleFacts {
        path: P,
        doc: &doc,
        class: Some("B"),
        draft: false,
        source_url: None,
        hosts: &[],
        assets: &AssetFacts::NONE,
    };
    let v = judge(&s.reviews, &art, "www.example.gov.cn", at);
    assert!(v.publish);
    assert!(choose_level(&s.reviews, &art, &v, "of", None, at).is_err());
}

#[test]
fn no_input_panics() {
    let s = site();
    let base = String::from_utf8(s.sign(
        P,
        &article("C", "source:\n  url: x\n", "[a](https://a.cn)\n"),
        "pr",
        4,
        AT,
    ))
    .unwrap();
    let bytes = base.as_bytes();
    for cut in 0..bytes.len() {
        let mut raw = bytes[..cut].to_vec();
        raw.extend_from_slice(b"\n---\n");
        if let Ok(doc) = document::parse(&raw) {
            let art = ArticleFacts {
                path: P,
                doc: &doc,
                class: Some("C"),
                draft: false,
                source_url: Some("::"),
                hosts: &[],
                assets: &AssetFacts::NONE,
            };
            let v = judge(&s.reviews, &art, "", now() + TimeDelta::days(1));
            assert!(!v.publish);
        }
    }
}
