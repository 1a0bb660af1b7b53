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
    // A C article: the principal takes what only they can do, the
    // principal role, at their own level; the levels stay for the others.
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
    assert_eq!(choose_level(&s.reviews, &art, &v, "pr", None, at), Ok(4));
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

fn facts<'a>(doc: &'a document::Document, class: &'a str) -> ArticleFacts<'a> {
    ArticleFacts {
        path: P,
        doc,
        class: Some(class),
        draft: false,
        source_url: None,
        hosts: &[],
        assets: NONE,
    }
}

const NONE: &AssetFacts = &AssetFacts::NONE;

#[test]
fn the_leader_signing_first_leaves_level_1_for_the_editor() {
    let s = site();
    let at = now();
    let b = article("B", "", "x\n");
    let doc = document::parse(&b).unwrap();
    let v = judge(&s.reviews, &facts(&doc, "B"), "www.example.gov.cn", at);
    assert_eq!(
        choose_level(&s.reviews, &facts(&doc, "B"), &v, "ld", None, at),
        Ok(2)
    );
    // Only the editor and the leader: level 1 would be a dead end.
    let mut two = s.reviews.clone();
    two.keyring
        .reviewers
        .retain(|r| r.id == "ed" || r.id == "ld");
    let v = judge(&two, &facts(&doc, "B"), "www.example.gov.cn", at);
    assert_eq!(
        choose_level(&two, &facts(&doc, "B"), &v, "ld", None, at),
        Ok(2)
    );
    let section = section_of(P);
    let board = Board::new(&two, &v, section, &at);
    let ld = two.keyring.get("ld").unwrap();
    assert_eq!(board.remaining(), Some(2));
    assert_eq!(
        board.with_approval(ld, 1).without_future("ld").remaining(),
        None
    );
    assert_eq!(
        board.with_approval(ld, 2).without_future("ld").remaining(),
        Some(1)
    );
}

#[test]
fn an_old_dead_end_can_still_be_completed() {
    // The leader signed level 1 (before sign chose levels this way): the
    // editor's level 1 and then the leader's level 2 still complete it.
    let s = site();
    let at = now();
    let mut two = s.reviews.clone();
    two.keyring
        .reviewers
        .retain(|r| r.id == "ed" || r.id == "ld");
    let one = s.sign(P, &article("B", "", "x\n"), "ld", 1, AT);
    let doc = document::parse(&one).unwrap();
    let v = judge(&two, &facts(&doc, "B"), "www.example.gov.cn", at);
    assert_eq!(
        choose_level(&two, &facts(&doc, "B"), &v, "ed", None, at),
        Ok(1)
    );
    let r = choose_level(&two, &facts(&doc, "B"), &v, "ld", Some(2), at);
    assert_eq!(r, Ok(2));
    let both = s.sign(P, &one, "ed", 1, AT);
    let doc = document::parse(&both).unwrap();
    let v = judge(&two, &facts(&doc, "B"), "www.example.gov.cn", at);
    assert!(!v.publish);
    assert_eq!(
        choose_level(&two, &facts(&doc, "B"), &v, "ld", None, at),
        Ok(2)
    );
    let done = s.sign(P, &both, "ld", 2, AT);
    let doc = document::parse(&done).unwrap();
    assert!(judge(&two, &facts(&doc, "B"), "www.example.gov.cn", at).publish);
}

#[test]
fn no_completing_choice_is_refused_with_the_options() {
    // Only the leader can sign: nobody is left for the other level.
    let s = site();
    let at = now();
    let mut one = s.reviews.clone();
    one.keyring.reviewers.retain(|r| r.id == "ld");
    let b = article("B", "", "x\n");
    let doc = document::parse(&b).unwrap();
    let v = judge(&one, &facts(&doc, "B"), "www.example.gov.cn", at);
    let e = choose_level(&one, &facts(&doc, "B"), &v, "ld", None, at).unwrap_err();
    let levels: Vec<u8> = e.options.iter().map(|o| o.level).collect();
    assert_eq!(levels, vec![1, 2]);
    assert!(
        e.message.contains("--level 1") && e.message.contains("--level 2"),
        "{}",
        e.message
    );
    assert_eq!(
        choose_level(&one, &facts(&doc, "B"), &v, "ld", Some(1), at),
        Ok(1)
    );
}

#[test]
fn the_missing_help_never_names_the_signer() {
    let s = site();
    let at = now();
    let one = s.sign(P, &article("B", "", "x\n"), "ld", 1, AT);
    let doc = document::parse(&one).unwrap();
    let v = judge(&s.reviews, &facts(&doc, "B"), "www.example.gov.cn", at);
    let e = choose_level(&s.reviews, &facts(&doc, "B"), &v, "ld", Some(2), at).unwrap_err();
    assert!(!e.help.contains("人员ld"), "{}", e.help);
    assert!(e.help.contains("人员sec"), "{}", e.help);
}
