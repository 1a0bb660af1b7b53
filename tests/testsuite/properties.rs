//! Property tests (proptest) of the library's pure parts, through its public
//! API: the digest ignores the gate block, the distinct-reviewer assignment
//! agrees with a brute-force search, the search tokenizer keeps its stated
//! guarantee, and the document split never panics and round-trips.
//!
//! `PROPTEST_CASES=10000 cargo test --test testsuite -- properties::` runs
//! more cases than the defaults below.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::vec;
use proptest::prelude::*;

use sanshen::document::{self, Document};
use sanshen::gate::{self, matching::assign, ArticleFacts, Reviews};
use sanshen::search::tokenize::{han_text, index_terms, tokenize, Term};

use crate::common::{self, key, with_gate, SIGNED_AT};

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(n),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// (a) The digest does not depend on the gate block.

/// Values a YAML writer must quote or escape with care.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[a-z0-9 :#'\"\\\\\\-\\n\\t{}\\[\\],&*!|>%@`]{0,12}",
        Just(String::new()),
        Just("---".to_string()),
        Just("approvals:".to_string()),
        Just("null".to_string()),
        Just("1".to_string()),
        Just("  leading and trailing  ".to_string()),
    ]
}

/// An article without gate block: front matter lines and any body.
fn article() -> impl Strategy<Value = String> {
    (
        "\\PC{1,10}",
        prop_oneof![Just("A"), Just("B"), Just("C")],
        vec(
            prop_oneof![
                Just("tags: [通知, 公告]\n".to_string()),
                Just("summary: |\n  多行\n  摘要\n".to_string()),
                Just("draft: false\n".to_string()),
                Just("extra:\n  approvals: 1\n".to_string()),
                "[a-z]{1,6}: [a-z0-9]{0,6}\n",
            ],
            0..4,
        ),
        "(\\PC|\\n){0,60}",
        any::<bool>(),
    )
        .prop_map(|(title, class, extra, body, crlf)| {
            let text = format!(
                "---\ntitle: \"{}\"\nclass: {class}\ndate: \"2026-11-01\"\n{}---\n{body}\n",
                title.replace(['"', '\\'], ""),
                extra.concat()
            );
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

#[derive(Debug, Clone)]
enum Edit {
    Add {
        reviewer: String,
        level: u8,
        signed_at: String,
        digest: String,
        signature: String,
    },
    Withdraw {
        reviewer: String,
        at: String,
        reason: String,
        signature: String,
    },
    /// Remove the approval at this index (modulo their number).
    Remove(usize),
    ClearWithdrawal,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (tricky(), 1u8..=4, tricky(), tricky(), tricky()).prop_map(
            |(reviewer, level, signed_at, digest, signature)| Edit::Add {
                reviewer,
                level,
                signed_at,
                digest,
                signature,
            }
        ),
        1 => (tricky(), tricky(), tricky(), tricky()).prop_map(
            |(reviewer, at, reason, signature)| Edit::Withdraw {
                reviewer,
                at,
                reason,
                signature,
            }
        ),
        2 => any::<usize>().prop_map(Edit::Remove),
        1 => Just(Edit::ClearWithdrawal),
    ]
}

fn apply(raw: &[u8], e: &Edit) -> Result<Vec<u8>, gate::GateError> {
    let file = "content/news/a.md";
    match e {
        Edit::Add {
            reviewer,
            level,
            signed_at,
            digest,
            signature,
        } => gate::add_approval(file, raw, reviewer, *level, signed_at, digest, signature),
        Edit::Withdraw {
            reviewer,
            at,
            reason,
            signature,
        } => gate::set_withdrawal(file, raw, reviewer, at, reason, signature),
        Edit::Remove(i) => gate::rewrite_gate(file, raw, |g| {
            if !g.approvals.is_empty() {
                let n = g.approvals.len();
                g.approvals.remove(i % n);
            }
        }),
        Edit::ClearWithdrawal => gate::rewrite_gate(file, raw, |g| g.withdrawn = None),
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Adding and removing approvals and withdrawals (through the writers
    /// `sanshen sign` and `withdraw` use) keeps the digest, and what was
    /// written reads back.
    #[test]
    fn digest_ignores_gate_block(text in article(), edits in vec(edit(), 1..6)) {
        let digest = document::parse(text.as_bytes()).unwrap().digest();
        let mut raw = text.into_bytes();
        for e in &edits {
            raw = apply(&raw, e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
            let doc = document::parse(&raw).unwrap();
            prop_assert_eq!(doc.digest(), digest.clone());
            let g = gate::parse_document_gate("content/news/a.md", &doc).unwrap();
            if let Edit::Add { reviewer, signature, .. } = e {
                let last = g.approvals.last().unwrap();
                prop_assert_eq!(last.reviewer.as_deref(), Some(reviewer.as_str()));
                prop_assert_eq!(last.signature.as_deref(), Some(signature.as_str()));
            }
            if let Edit::Withdraw { reason, .. } = e {
                let w = g.withdrawn.as_ref().unwrap();
                prop_assert_eq!(w.reason.as_deref(), Some(reason.as_str()));
            }
        }
    }

    /// A hand-written gate block (as `common::with_gate` inserts it) does not
    /// change the digest either.
    #[test]
    fn digest_ignores_inserted_block(text in article(), n in 0usize..4, withdrawn in any::<bool>()) {
        let text = text.replace("\r\n", "\n");
        let digest = document::parse(text.as_bytes()).unwrap().digest();
        let mut block = String::new();
        if n > 0 {
            block.push_str("approvals:\n");
            for i in 0..n {
                block.push_str(&format!("- reviewer: r{i}\n  level: \"{}\"\n  signature: x\n", i % 4 + 1));
            }
        }
        if withdrawn {
            block.push_str("withdrawn:\n  reviewer: r0\n  reason: 错误\n");
        }
        let with = with_gate(&text, &block);
        prop_assert_eq!(document::parse(with.as_bytes()).unwrap().digest(), digest);
    }
}

// ---------------------------------------------------------------------------
// (b) The distinct-reviewer assignment against brute force.

/// The most requirements that can be met, trying every assignment.
fn brute_force(cand: &[Vec<usize>], used: &mut Vec<bool>, distinct: bool) -> usize {
    let Some((first, rest)) = cand.split_first() else {
        return 0;
    };
    let mut best = brute_force(rest, used, distinct); // leave it unmet
    for &p in first {
        if p >= used.len() || (distinct && used[p]) {
            continue;
        }
        let was = used[p];
        used[p] = true;
        best = best.max(1 + brute_force(rest, used, distinct));
        used[p] = was;
    }
    best
}

proptest! {
    #![proptest_config(cases(2000))]

    /// `assign` meets as many requirements as any assignment can, gives
    /// each only one of its candidates, and (distinct) no person twice.
    #[test]
    fn assignment_is_maximum(
        people in 1usize..7,
        cand in vec(vec(0usize..7, 0..5), 0..7),
        distinct in any::<bool>(),
    ) {
        let cand: Vec<Vec<usize>> = cand
            .into_iter()
            .map(|c| c.into_iter().filter(|&p| p < people).collect())
            .collect();
        let got = assign(&cand, people, distinct);
        prop_assert_eq!(got.len(), cand.len());
        let mut seen = BTreeSet::new();
        for (req, who) in got.iter().enumerate() {
            if let Some(p) = who {
                prop_assert!(cand[req].contains(p), "req {} got non-candidate {}", req, p);
                if distinct {
                    prop_assert!(seen.insert(*p), "person {} used twice", p);
                }
            }
        }
        let met = got.iter().filter(|a| a.is_some()).count();
        let best = brute_force(&cand, &mut vec![false; people], distinct);
        prop_assert_eq!(met, best);
    }
}

const ROLES: &[&str] = &["editor", "leader", "official", "principal", "security"];

/// A random small gate setup: reviewers (role, level), class A's levels and
/// roles, distinct or not, and approvals (reviewer, level ≤ theirs).
#[derive(Debug, Clone)]
struct Setup {
    reviewers: Vec<(usize, u8)>,
    levels: BTreeSet<u8>,
    roles: BTreeSet<usize>,
    distinct: bool,
    approvals: Vec<(usize, u8)>,
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        vec((0..ROLES.len(), 1u8..=4), 1..4),
        proptest::collection::btree_set(1u8..=4, 1..4),
        proptest::collection::btree_set(0..ROLES.len(), 0..3),
        any::<bool>(),
        vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..6,
        ),
    )
        .prop_map(|(reviewers, levels, roles, distinct, picks)| {
            let approvals = picks
                .into_iter()
                .map(|(r, l)| {
                    let r = r.index(reviewers.len());
                    (r, l.index(reviewers[r].1 as usize) as u8 + 1)
                })
                .collect();
            Setup {
                reviewers,
                levels,
                roles,
                distinct,
                approvals,
            }
        })
}

/// Whether some assignment of approvals to class A's requirements meets them
/// all (with distinct reviewers when the policy says so), by trying all.
fn approved_by_brute_force(s: &Setup) -> bool {
    let mut reqs: Vec<Box<dyn Fn(usize, u8) -> bool>> = Vec::new();
    for &l in &s.levels {
        reqs.push(Box::new(move |_, level| level == l));
    }
    for &role in &s.roles {
        let reviewers = s.reviewers.clone();
        reqs.push(Box::new(move |r, _| reviewers[r].0 == role));
    }
    fn go(reqs: &[Box<dyn Fn(usize, u8) -> bool>], s: &Setup, used: &mut Vec<bool>) -> bool {
        let Some((q, rest)) = reqs.split_first() else {
            return true;
        };
        s.approvals.iter().any(|&(r, l)| {
            if !q(r, l) || (s.distinct && used[r]) {
                return false;
            }
            let was = used[r];
            used[r] = true;
            let ok = go(rest, s, used);
            used[r] = was;
            ok
        })
    }
    go(&reqs, s, &mut vec![false; s.reviewers.len()])
}

fn reviews_of(s: &Setup) -> Reviews {
    let mut keyring = String::from("reviewers:\n");
    for (i, (role, level)) in s.reviewers.iter().enumerate() {
        let public = gate::format_public_key(&key(100 + i as u8).verifying_key());
        keyring.push_str(&format!(
            "- id: r{i}\n  name: 审核人{i}\n  title: 测试\n  role: {}\n  level: {level}\n  key: \"{public}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: false\n",
            ROLES[*role]
        ));
    }
    let list = |v: Vec<String>| v.join(", ");
    let policy = format!(
        "classes:\n  A: {{ levels: [{}], roles: [{}] }}\n  B: {{ levels: [1, 2] }}\n  C: {{ levels: [1, 2, 3] }}\ndistinct_reviewers: {}\ngovernment_hosts: [\"*.gov.cn\"]\n",
        list(s.levels.iter().map(u8::to_string).collect()),
        list(s.roles.iter().map(|&r| ROLES[r].to_string()).collect()),
        s.distinct
    );
    let files: BTreeMap<String, Vec<u8>> = [
        ("reviewers.yaml".to_string(), keyring.into_bytes()),
        ("policy.yaml".to_string(), policy.into_bytes()),
    ]
    .into_iter()
    .collect();
    Reviews::parse(&files).expect("reviews")
}

proptest! {
    #![proptest_config(cases(256))]

    /// The whole gate (`judge`, real signatures) approves a class-A article
    /// exactly when some assignment of its approvals meets every
    /// requirement of a random policy and keyring.
    #[test]
    fn judge_agrees_with_brute_force(s in setup()) {
        let path = "news/a.md";
        let text = "---\ntitle: 通知\nclass: A\ndate: \"2026-11-01\"\n---\n正文。\n";
        let digest = document::parse(text.as_bytes()).unwrap().digest();
        let mut block = String::new();
        if !s.approvals.is_empty() {
            block.push_str("approvals:\n");
        }
        for &(r, level) in &s.approvals {
            let id = format!("r{r}");
            let sig = gate::sign_approval(&key(100 + r as u8), path, &digest, level, &id, SIGNED_AT);
            block.push_str(&format!(
                "- reviewer: \"{id}\"\n  level: \"{level}\"\n  signed_at: \"{SIGNED_AT}\"\n  digest: \"{digest}\"\n  signature: \"{sig}\"\n"
            ));
        }
        let raw = with_gate(text, &block);
        let doc: Document = document::parse(raw.as_bytes()).unwrap();
        let reviews = reviews_of(&s);
        let art = ArticleFacts { path, doc: &doc, class: Some("A"), draft: false, source_url: None, hosts: &[], assets: &gate::AssetFacts::NONE };
        let now = chrono::DateTime::from_timestamp(common::NOW.parse().unwrap(), 0)
            .unwrap()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
        let v = gate::judge(&reviews, &art, "https://www.ceshi.gov.cn", now);
        for a in &v.approvals {
            prop_assert_eq!(a.status, gate::ApprovalStatus::Counts, "{}", a.detail);
        }
        let want = approved_by_brute_force(&s);
        prop_assert_eq!(v.requirements.iter().all(|q| q.met), want, "{:?}", v.reasons);
        prop_assert_eq!(v.publish, want, "{:?}", v.reasons);
    }
}

// ---------------------------------------------------------------------------
// (c) Search: a query that occurs in an article finds it.

/// Characters the tokenizer treats differently: ASCII and full-width
/// letters and digits, Han (BMP and Extension B), punctuation, spaces,
/// other scripts.
fn text() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            prop::char::range('a', 'e'),
            prop::char::range('A', 'E'),
            prop::char::range('0', '3'),
            prop::char::range('Ａ', 'Ｅ'),
            prop::char::range('０', '３'),
            prop::sample::select(vec!['安', '全', '生', '产', '年', '〇', '𠀀', '税']),
            prop::sample::select(vec![' ', '，', '。', '-', '“', 'é', 'α', 'ー', 'か', '\n']),
        ],
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn alnum(c: Option<char>) -> bool {
    c.map(sanshen::search::tokenize::fold)
        .is_some_and(|c| c.is_ascii_alphanumeric())
}

proptest! {
    #![proptest_config(cases(2000))]

    /// User guide (站内搜索与无障碍): “只要查询的文字在文章中原样出现，查询的每个词都在该文章的索引里”
    /// — for a query that occurs as whole words (ASCII words match whole:
    /// `gov` does not match `government`), every query token is an index
    /// term of the article.
    #[test]
    fn query_in_text_is_found(before in text(), query in text(), after in text()) {
        let mut doc = before;
        if alnum(doc.chars().last()) && alnum(query.chars().next()) {
            doc.push(' ');
        }
        doc.push_str(&query);
        if alnum(query.chars().last()) && alnum(after.chars().next()) {
            doc.push(' ');
        }
        doc.push_str(&after);
        let mut terms = BTreeSet::new();
        index_terms(&doc, |t| {
            terms.insert(match t {
                Term::Han(k) => han_text(k),
                Term::Word(w) => w.to_string(),
            });
        });
        for t in tokenize(&query) {
            prop_assert!(terms.contains(&t), "query {:?} token {:?} not in terms of {:?}", query, t, doc);
        }
    }
}

// ---------------------------------------------------------------------------
// (d) The document split.

/// Mostly file-like input: lines that matter to the split, joined by LF or
/// CRLF, perhaps after a BOM; sometimes any bytes.
fn raw_file() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just("---".to_string()),
        Just("--- ".to_string()),
        Just("approvals:".to_string()),
        Just("withdrawn:".to_string()),
        Just(" approvals: x".to_string()),
        Just("- reviewer: a".to_string()),
        Just("title: 标题".to_string()),
        Just(String::new()),
        "\\PC{0,8}",
    ];
    prop_oneof![
        3 => (
            any::<bool>(),
            vec((line, prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")]), 0..10),
        )
            .prop_map(|(bom, lines)| {
                let mut out = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
                for (l, end) in lines {
                    out.extend_from_slice(l.as_bytes());
                    out.extend_from_slice(end.as_bytes());
                }
                out
            }),
        1 => vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(cases(3000))]

    /// `parse` never panics; when it splits, the signed bytes with the gate
    /// block put back are exactly the normalised file, and the parts are
    /// where the line numbers say.
    #[test]
    fn split_round_trips(raw in raw_file()) {
        let Ok(doc) = document::parse(&raw) else {
            return Ok(());
        };
        let norm = document::normalise(&raw).unwrap();
        prop_assert!(doc.signed().starts_with("---\n"));
        let at = 4 + doc.front_matter().len();
        prop_assert_eq!(&doc.signed()[4..at], doc.front_matter());
        let mut back = doc.signed().to_string();
        if let Some(g) = &doc.gate {
            prop_assert!(g.text.starts_with("approvals:") || g.text.starts_with("withdrawn:"));
            prop_assert_eq!(norm.lines().nth(g.line - 1), g.text.lines().next());
            back.insert_str(at, &g.text);
        }
        prop_assert_eq!(&back, &norm);
        prop_assert!(norm.ends_with(&doc.body()));
        let body_start = norm.split_inclusive('\n').take(doc.body_line - 1).map(str::len).sum::<usize>();
        prop_assert_eq!(&norm[body_start..], doc.body());
        prop_assert_eq!(doc.digest(), document::digest_of(doc.signed().as_bytes()));
    }
}
