//! No dead ends in level assignment: the default level `sanshen sign`
//! picks keeps the article completable by the rest of the keyring.

use crate::common;

use common::TestSite;
use proptest::prelude::*;

const B: &str = "content/news/b.md";
const C: &str = "content/news/c.md";

fn site() -> TestSite {
    let s = TestSite::new();
    s.article_signed(
        "news/b.md",
        "B",
        "B类文章",
        "2026-11-11",
        "",
        "重要信息正文。",
        &[],
    );
    s.article_signed(
        "news/c.md",
        "C",
        "C类文章",
        "2026-11-12",
        "",
        "特级信息正文。",
        &[],
    );
    s
}

fn gate_of(s: &TestSite, rel: &str) -> String {
    String::from_utf8(s.source(rel)).unwrap()
}

#[test]
fn the_leader_signing_first_completes_with_the_editor() {
    let s = site();
    let leader = s.key_file("leader");
    let editor = s.key_file("editor");
    let r = s.run(&["sign", B, "--key", &leader, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(gate_of(&s, B).contains("- reviewer: \"leader\"\n  level: \"2\"\n"));
    // What is left names the others, never the leader who just signed.
    assert!(r.stdout.contains("尚缺：第1级审核"), "{}", r.stdout);
    assert!(r.stdout.contains("王编辑"), "{}", r.stdout);
    let tail = r.stdout.split("已签署").nth(1).unwrap_or_default();
    assert!(
        !tail.contains("李领导 签署") && !tail.contains("李领导、"),
        "{tail}"
    );
    let r = s.run(&["sign", B, "--key", &editor, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("下次构建时将发布"), "{}", r.stdout);
    assert_eq!(s.build(&[]).code, 0);
    assert!(s.exists("news/b/index.html"));
}

#[test]
fn a_c_article_with_the_principal_role() {
    let s = site();
    // The principal first: takes the principal role at their own level.
    let r = s.run(&["sign", C, "--key", &s.key_file("principal"), "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(gate_of(&s, C).contains("- reviewer: \"principal\"\n  level: \"4\"\n"));
    // The official next: level 3, which only they (and the principal) can do.
    let r = s.run(&["sign", C, "--key", &s.key_file("official"), "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(gate_of(&s, C).contains("- reviewer: \"official\"\n  level: \"3\"\n"));
    for who in ["leader", "editor"] {
        let r = s.run(&["sign", C, "--key", &s.key_file(who), "--yes"]);
        assert_eq!(r.code, 0, "{}", r.all());
    }
    assert_eq!(s.build(&[]).code, 0);
    assert!(s.exists("news/c/index.html"));
}

#[test]
fn an_impossible_choice_is_refused_with_the_options_named() {
    // Only the leader may review the section: nobody is left for the other level.
    let s = TestSite::new();
    s.column("misc", "其他");
    let mut ring = String::from("reviewers:\n");
    for (id, name, role, level, seed) in common::REVIEWERS {
        let public = sanshen::gate::format_public_key(&common::key(*seed).verifying_key());
        let sections = if *id == "leader" {
            "[misc, news]"
        } else {
            "[news]"
        };
        ring.push_str(&format!(
            "- id: {id}\n  name: {name}\n  title: 测试{name}\n  role: {role}\n  level: {level}\n  sections: {sections}\n  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: false\n"
        ));
    }
    s.write("reviews/reviewers.yaml", &ring);
    s.sign_governance();
    s.article_signed("misc/b.md", "B", "B类文章", "2026-11-11", "", "正文。", &[]);
    let before = s.source("content/misc/b.md");
    let leader = s.key_file("leader");
    let r = s.run(&["sign", "content/misc/b.md", "--key", &leader, "--yes"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(
        r.all().contains("--level 1") && r.all().contains("--level 2"),
        "{}",
        r.all()
    );
    assert_eq!(s.source("content/misc/b.md"), before, "nothing written");
    // Naming the level signs it.
    let r = s.run(&[
        "sign",
        "content/misc/b.md",
        "--key",
        &leader,
        "--level",
        "2",
        "--yes",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn sign_shows_the_text_and_escapes_control_characters() {
    let s = TestSite::new();
    let body = "第一段正文。\u{1b}[2J\u{1b}[31m伪造提示\u{7}\n\n确认签署？[y/N] y\u{202e}反转\n\n![图](pic.png)\n\n[外链](https://example.com/x)";
    s.write_bytes("content/news/pic.png", b"\x89PNG fake");
    s.article_signed("news/a.md", "A", "A类文章", "2026-11-10", "", body, &[]);
    let r = s.run(&[
        "sign",
        "content/news/a.md",
        "--key",
        &s.key_file("editor"),
        "--yes",
    ]);
    assert!(r.stdout.contains("第一段正文。"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "ANSI escape printed raw");
    assert!(!r.stdout.contains('\u{7}') && !r.stdout.contains('\u{202e}'));
    assert!(r.stdout.contains("\\x1b[2J"), "{}", r.stdout);
    assert!(r.stdout.contains("\\u{202e}"), "{}", r.stdout);
    assert!(r.stdout.contains("content/news/pic.png"), "{}", r.stdout);
    assert!(r.stdout.contains("9 字节"), "{}", r.stdout);
    let sha = sanshen::document::sha256_hex(b"\x89PNG fake");
    assert!(r.stdout.contains(&sha), "{}", r.stdout);
    assert!(r.stdout.contains("example.com"), "{}", r.stdout);
    assert!(
        r.stdout.contains("将签署：A 一般信息，第1级审核"),
        "{}",
        r.stdout
    );
}

/// A random keyring (level, role index, in scope, revoked) and policy.
fn reviews_yaml(people: &[(u8, u8, bool, bool)], levels: &[u8], roles: &[u8]) -> (String, String) {
    const ROLES: [&str; 3] = ["editor", "leader", "principal"];
    let mut ring = String::from("reviewers:\n");
    for (i, (level, role, scope, revoked)) in people.iter().enumerate() {
        let public = sanshen::gate::format_public_key(&common::key(10 + i as u8).verifying_key());
        let sections = if *scope { "" } else { "  sections: [other]\n" };
        ring.push_str(&format!(
            "- id: p{i}\n  name: 人{i}\n  title: 职\n  role: {}\n  level: {level}\n{sections}  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: {revoked}\n",
            ROLES[*role as usize % 3]
        ));
    }
    let lv: Vec<String> = levels.iter().map(u8::to_string).collect();
    let rl: Vec<&str> = roles.iter().map(|r| ROLES[*r as usize % 3]).collect();
    let policy = format!(
        "classes:\n  A: {{ levels: [1] }}\n  B: {{ levels: [{}], roles: [{}] }}\n  C: {{ levels: [1] }}\n",
        lv.join(", "),
        rl.join(", ")
    );
    (ring, policy)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn the_default_level_never_makes_a_completable_article_uncompletable(
        people in proptest::collection::vec((1u8..=4, 0u8..3, proptest::bool::weighted(0.85), proptest::bool::weighted(0.1)), 1..6),
        levels in proptest::collection::btree_set(1u8..=4, 1..4),
        roles in proptest::collection::btree_set(0u8..3, 0..2),
        signed in proptest::collection::vec((0usize..6, 1u8..=4), 0..3),
        signer in 0usize..6,
    ) {
        use sanshen::gate::{self, ArticleFacts, AssetFacts, Board, Reviews};
        let levels: Vec<u8> = levels.into_iter().collect();
        let roles: Vec<u8> = roles.into_iter().collect();
        let (ring, policy) = reviews_yaml(&people, &levels, &roles);
        let mut files = std::collections::BTreeMap::new();
        files.insert("reviewers.yaml".to_string(), ring.into_bytes());
        files.insert("policy.yaml".to_string(), policy.into_bytes());
        let reviews = Reviews::parse(&files).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339(common::NOW_RFC3339).unwrap();
        let path = "news/x.md";
        let mut raw = b"---\ntitle: t\nclass: B\n---\nx\n".to_vec();
        for (who, level) in signed {
            let who = who % people.len();
            let digest = sanshen::document::parse(&raw).unwrap().digest();
            let id = format!("p{who}");
            let sig = gate::sign_approval(&common::key(10 + who as u8), path, &digest, level, &id, common::SIGNED_AT);
            raw = gate::add_approval("f", &raw, &id, level, common::SIGNED_AT, &digest, &sig).unwrap();
        }
        let judge = |raw: &[u8]| {
            let doc = sanshen::document::parse(raw).unwrap();
            let art = ArticleFacts { path, doc: &doc, class: Some("B"), draft: false, source_url: None, hosts: &[], assets: &AssetFacts::NONE };
            let v = gate::judge(&reviews, &art, "www.ceshi.gov.cn", now);
            let id = format!("p{}", signer % people.len());
            let chosen = gate::choose_level(&reviews, &art, &v, &id, None, now);
            (v, chosen)
        };
        let (v, chosen) = judge(&raw);
        let before = Board::new(&reviews, &v, "news", &now).remaining();
        if let (Some(_), Ok(level)) = (before, chosen) {
            let who = signer % people.len();
            let id = format!("p{who}");
            let digest = v.digest.clone();
            let sig = gate::sign_approval(&common::key(10 + who as u8), path, &digest, level, &id, common::NOW_RFC3339);
            let after = gate::add_approval("f", &raw, &id, level, common::NOW_RFC3339, &digest, &sig).unwrap();
            let (v2, _) = judge(&after);
            let board = Board::new(&reviews, &v2, "news", &now).without_future(&id);
            prop_assert!(board.remaining().is_some(), "level {level} by {id} left {v2:?}");
            prop_assert!(v2.requirements.iter().filter(|q| q.met).count() >= v.requirements.iter().filter(|q| q.met).count());
        }
    }
}
