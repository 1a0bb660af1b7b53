//! The inverted index in memory: term → packed list of documents, built in
//! document order. Han terms stay numbers ([`tokenize::han`]) until the end,
//! so counting millions of them allocates no strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokenize::{self, Term};

/// A small fast hasher for the build's own keys (not attacker-chosen in a
/// way that matters: the site's own text, hashed once per build).
#[derive(Default)]
pub struct Fx(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(SEED);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// How often each term occurs in one document.
#[derive(Default)]
pub struct DocTerms {
    han: FxMap<u64, u32>,
    words: FxMap<String, u32>,
}

impl DocTerms {
    /// The terms of all `texts` (title, body) of one document.
    pub fn of(texts: &[&str]) -> DocTerms {
        let mut d = DocTerms::default();
        for text in texts {
            tokenize::index_terms(text, |t| match t {
                Term::Han(k) => *d.han.entry(k).or_default() += 1,
                Term::Word(w) => match d.words.get_mut(w) {
                    Some(n) => *n += 1,
                    None => {
                        d.words.insert(w.to_string(), 1);
                    }
                },
            });
        }
        d
    }
}

/// One term's list: one past the last document added, and the packed
/// entries `delta * 8 + min(tf, 7)`.
#[derive(Default)]
struct List {
    next: u32,
    packed: Vec<u32>,
}

impl List {
    fn push(&mut self, doc: u32, tf: u32) {
        // The first delta is the document number itself.
        let delta = if self.packed.is_empty() {
            doc
        } else {
            doc.saturating_sub(self.next.saturating_sub(1))
        };
        self.packed
            .push(delta.saturating_mul(8).saturating_add(tf.min(7)));
        self.next = doc.saturating_add(1);
    }
}

/// Term → list, for documents added in increasing order.
#[derive(Default)]
pub struct Postings {
    han: FxMap<u64, List>,
    words: FxMap<String, List>,
}

impl Postings {
    /// Add document `doc` (larger than any added before).
    pub fn add(&mut self, doc: u32, terms: DocTerms) {
        for (k, tf) in terms.han {
            self.han.entry(k).or_default().push(doc, tf);
        }
        for (w, tf) in terms.words {
            self.words.entry(w).or_default().push(doc, tf);
        }
    }

    /// Every term as text with its packed list, in no particular order.
    pub fn into_lists(self) -> Vec<(String, Vec<u32>)> {
        let mut out: Vec<(String, Vec<u32>)> = self
            .han
            .into_iter()
            .map(|(k, l)| (tokenize::han_text(k), l.packed))
            .collect();
        out.extend(self.words.into_iter().map(|(w, l)| (w, l.packed)));
        out
    }
}

/// Number of decimal digits of `n`.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Bytes of `"term":[a,b,…],` in JSON, about.
pub fn json_len(term: &str, packed: &[u32]) -> usize {
    term.len() + 6 + packed.iter().map(|&v| digits(v) + 1).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_deltas_and_frequencies() {
        let mut p = Postings::default();
        p.add(0, DocTerms::of(&["安全 安全 安全"]));
        p.add(2, DocTerms::of(&["安全", "安全".repeat(12).as_str()]));
        p.add(4, DocTerms::of(&["生产 ok"]));
        p.add(5, DocTerms::of(&["安全 OK"]));
        let mut lists = p.into_lists();
        lists.sort();
        let get = |t: &str| lists.iter().find(|(k, _)| k == t).map(|(_, l)| l.clone());
        // 安全 in 0 (3 times), 2 (more than 7: 7), 5 (once).
        assert_eq!(get("安全"), Some(vec![3, 2 * 8 + 7, 3 * 8 + 1]));
        assert_eq!(get("生产"), Some(vec![4 * 8 + 1]));
        assert_eq!(get("ok"), Some(vec![4 * 8 + 1, 8 + 1]));
        // Single characters of longer runs.
        assert_eq!(get("安"), Some(vec![3, 2 * 8 + 7, 3 * 8 + 1]));
    }

    #[test]
    fn digit_counts() {
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(4_000_000_000), 10);
        assert_eq!(json_len("ab", &[1, 23]), 2 + 6 + 2 + 3);
    }
}
