//! The inverted index in memory: term → packed list of documents, built in
//! document order. Han terms stay numbers ([`tokenize::han`]) until the end,
//! so counting millions of them allocates no strings.
//!
//! Built in parallel: each chunk of documents fills its own [`Postings`] per
//! hash bucket ([`Buckets`]); the chunks' lists of one bucket are then joined
//! in document order ([`Postings::append`]) independently of every other
//! bucket, so no single thread merges the whole index.

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

/// Bit of a packed entry: the term occurs in the title.
pub const TITLE: u32 = 1;
/// Multiplier of the delta in a packed entry: `delta * STEP + TITLE?`.
pub const STEP: u32 = 2;

/// Whether a term of one document occurs in its title.
#[derive(Default, Clone, Copy)]
struct Count {
    title: bool,
}

/// The distinct terms of one document.
#[derive(Default)]
pub struct DocTerms {
    han: FxMap<u64, Count>,
    words: FxMap<String, Count>,
}

impl DocTerms {
    /// The terms of a document's title and body text.
    pub fn of(title: &str, body: &str) -> DocTerms {
        let mut d = DocTerms::default();
        for (text, in_title) in [(title, true), (body, false)] {
            tokenize::index_terms(text, |t| {
                let c = match t {
                    Term::Han(k) => d.han.entry(k).or_default(),
                    Term::Word(w) => {
                        if !d.words.contains_key(w) {
                            d.words.insert(w.to_string(), Count::default());
                        }
                        d.words.get_mut(w).expect("inserted")
                    }
                };
                c.title |= in_title;
            });
        }
        d
    }
}

/// One term's list: one past the last document added, and the packed
/// entries `delta * 2 + 1 if in the title`, each as an unsigned LEB128
/// varint: most deltas of a common term are small, so an entry mostly
/// takes one byte instead of four (the index is the largest thing the
/// build holds while it renders).
#[derive(Default)]
struct List {
    next: u32,
    packed: Vec<u8>,
}

fn pack(delta: u32, c: Count) -> u32 {
    let title = if c.title { TITLE } else { 0 };
    delta.saturating_mul(STEP).saturating_add(title)
}

/// Append `v` as an unsigned LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7F) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The varint at the start of `bytes` and its length in bytes.
fn get_varint(bytes: &[u8]) -> (u32, usize) {
    let mut v = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        v |= u32::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, bytes.len().min(5))
}

/// Every varint of `bytes`, in order.
fn unpack(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (v, n) = get_varint(&bytes[at..]);
        out.push(v);
        at += n;
    }
    out
}

impl List {
    fn push(&mut self, doc: u32, c: Count) {
        // The first delta is the document number itself.
        let delta = if self.packed.is_empty() {
            doc
        } else {
            doc.saturating_sub(self.next.saturating_sub(1))
        };
        put_varint(&mut self.packed, pack(delta, c));
        self.next = doc.saturating_add(1);
    }

    /// `other`, whose documents all come after this list's, joined on.
    fn append(&mut self, other: List) {
        if self.packed.is_empty() {
            *self = other;
            return;
        }
        if other.packed.is_empty() {
            return;
        }
        // Other's first entry holds its document number: make it a delta.
        let (first, n) = get_varint(&other.packed);
        let doc = first / STEP;
        let delta = doc.saturating_sub(self.next.saturating_sub(1));
        put_varint(&mut self.packed, delta.saturating_mul(STEP) + first % STEP);
        self.packed.extend_from_slice(&other.packed[n..]);
        self.next = other.next;
    }
}

/// Term → list, for documents added in increasing order.
#[derive(Default)]
pub struct Postings {
    han: FxMap<u64, List>,
    words: FxMap<String, List>,
}

/// FNV-1a of a Han key's text, as [`tokenize::fnv1a`] of [`tokenize::han_text`].
pub fn han_fnv(key: u64) -> u32 {
    let mut buf = [0u8; 8];
    let mut n = 0;
    for v in [key >> 32, key & 0xFFFF_FFFF] {
        if let (Some(c), true) = (char::from_u32(v as u32), v != 0) {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
    }
    tokenize::fnv1a_bytes(&buf[..n])
}

impl Postings {
    /// Add document `doc` (larger than any added before).
    pub fn add(&mut self, doc: u32, terms: DocTerms) {
        for (k, c) in terms.han {
            self.han.entry(k).or_default().push(doc, c);
        }
        for (w, c) in terms.words {
            self.words.entry(w).or_default().push(doc, c);
        }
    }

    /// Join `other` on, whose documents all come after this one's.
    pub fn append(&mut self, other: Postings) {
        if self.han.is_empty() && self.words.is_empty() {
            *self = other;
            return;
        }
        for (k, l) in other.han {
            self.han.entry(k).or_default().append(l);
        }
        for (w, l) in other.words {
            self.words.entry(w).or_default().append(l);
        }
    }

    /// Every term as text with its packed list, in no particular order.
    pub fn into_lists(self) -> Vec<(String, Vec<u32>)> {
        let mut out: Vec<(String, Vec<u32>)> = self
            .han
            .into_iter()
            .map(|(k, l)| (tokenize::han_text(k), unpack(&l.packed)))
            .collect();
        out.extend(self.words.into_iter().map(|(w, l)| (w, unpack(&l.packed))));
        out
    }
}

/// One [`Postings`] per hash bucket: a term goes to bucket
/// `fnv1a(term) % len` (`len` a power of two).
pub struct Buckets(pub Vec<Postings>);

impl Buckets {
    pub fn new(len: usize) -> Buckets {
        Buckets((0..len).map(|_| Postings::default()).collect())
    }

    /// Add document `doc` (larger than any added before).
    pub fn add(&mut self, doc: u32, terms: DocTerms) {
        let n = self.0.len();
        for (k, c) in terms.han {
            let b = han_fnv(k) as usize % n;
            self.0[b].han.entry(k).or_default().push(doc, c);
        }
        for (w, c) in terms.words {
            let b = tokenize::fnv1a(&w) as usize % n;
            self.0[b].words.entry(w).or_default().push(doc, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(p: Postings) -> Vec<(String, Vec<u32>)> {
        let mut lists = p.into_lists();
        lists.sort();
        lists
    }

    #[test]
    fn packs_deltas_and_title_bits() {
        let mut p = Postings::default();
        p.add(0, DocTerms::of("安全", "安全 安全"));
        p.add(2, DocTerms::of("", &"安全".repeat(12)));
        p.add(4, DocTerms::of("生产", "ok"));
        p.add(5, DocTerms::of("", "安全 OK"));
        let lists = sorted(p);
        let get = |t: &str| lists.iter().find(|(k, _)| k == t).map(|(_, l)| l.clone());
        // 安全 in 0 (title), 2 and 5 (body only): deltas 0, 2, 3.
        assert_eq!(get("安全"), Some(vec![1, 2 * 2, 3 * 2]));
        assert_eq!(get("生产"), Some(vec![4 * 2 + 1]));
        assert_eq!(get("ok"), Some(vec![4 * 2, 2]));
        // Single characters of longer runs.
        assert_eq!(get("安"), Some(vec![1, 2 * 2, 3 * 2]));
    }

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX / 2, u32::MAX];
        let mut bytes = Vec::new();
        for v in values {
            put_varint(&mut bytes, v);
        }
        assert_eq!(unpack(&bytes), values);
        assert_eq!(get_varint(&[0x7F]), (127, 1));
        assert_eq!(get_varint(&[0x80, 0x01]), (128, 2));
    }

    #[test]
    fn han_hash_is_the_hash_of_the_text() {
        for (a, b) in [('安', Some('全')), ('税', None), ('𠀀', Some('〇'))] {
            let k = tokenize::han(a, b);
            assert_eq!(han_fnv(k), tokenize::fnv1a(&tokenize::han_text(k)));
        }
    }

    proptest::proptest! {
        /// Chunks of documents bucketed and joined give the lists of one
        /// index built in a single pass.
        #[test]
        fn chunked_buckets_equal_one_pass(
            docs in proptest::collection::vec(("[安全生产ab ]{0,6}", "[安全生产会议ab1 ]{0,24}"), 0..40),
            chunk in 1usize..7,
            buckets in 0u32..4,
        ) {
            let n = 1usize << buckets;
            let mut one = Postings::default();
            for (i, (t, b)) in docs.iter().enumerate() {
                one.add(i as u32, DocTerms::of(t, b));
            }
            let mut joined: Vec<Postings> = (0..n).map(|_| Postings::default()).collect();
            for (c, part) in docs.chunks(chunk).enumerate() {
                let mut bs = Buckets::new(n);
                for (j, (t, b)) in part.iter().enumerate() {
                    bs.add((c * chunk + j) as u32, DocTerms::of(t, b));
                }
                for (k, p) in bs.0.into_iter().enumerate() {
                    joined[k].append(p);
                }
            }
            let mut all = Vec::new();
            for (k, p) in joined.into_iter().enumerate() {
                for (t, l) in p.into_lists() {
                    proptest::prop_assert_eq!(tokenize::fnv1a(&t) as usize % n, k);
                    all.push((t, l));
                }
            }
            all.sort();
            proptest::prop_assert_eq!(all, sorted(one));
        }
    }
}
