//! Static site search (站内搜索, R21): an index of the published articles
//! written at build time under `search/`, read by `assets/search.js` on the
//! search page. No server, no external service.
//!
//! A query's first 10 results cost at most [`QUERY_SHARDS`] postings
//! shards (search.js looks up a cover of the query's tokens — every other
//! bigram of a Han run, so `高标准农田建设` needs 4, not 6 — within at most
//! that many shards; leaving a token out only widens the match, recall
//! stays whole) plus, for results whose record is not already in those
//! shards, the document shards holding them: 1 to 5 requests for a phrase
//! at any corpus size. The exception is a query whose first page is made of
//! scattered body hits, e.g. two phrases that rarely meet (`招商引资
//! 数字经济`): no static layout can put the records of every such
//! intersection in one file without copying each record once per token, so
//! those results cost one document shard each (up to 10). Files (all JSON,
//! deterministic bytes):
//!
//! * `search/index.json` — the root, `{"version", "docs", "shards",
//!   "per_doc", "columns"}` (a few hundred bytes): document *i* is the
//!   *i*-th newest published article. The search page carries the same
//!   JSON in `data-search-index`, so search.js does not fetch it.
//! * `search/p/<k>.json` — postings shard *k* of `shards`,
//!   `{"t": {token: packed list}, "r": {document: record}}`. A token lives
//!   in shard `fnv1a(token) % shards`. Each list entry is
//!   `delta * 2 + title`: `delta` is the document number minus the
//!   previous one in the list (the first is the number itself), `title` 1
//!   when the token is in the title. `r` holds the records of the
//!   [`TOP`] newest documents with each of the shard's tokens in their title:
//!   search.js ranks title hits first, newest first, so the first page of a
//!   query is usually all there and needs no further request.
//! * `search/d/<k>.json` — documents `k * per_doc ..` as records
//!   `[title, url, date, column index or null, text]`, the text being the
//!   start of the body's plain text (for snippets); loaded only for results
//!   shown whose record the postings shards did not bring (body-only hits:
//!   newest first, so mostly shard 0), and for further pages.
//!
//! What grows with the corpus (O(N)): the lists of the common tokens (one
//! small number per document containing them — the only part of a query's
//! bytes that grows), the number of document shards and of postings shards
//! (about [`SHARD_BYTES`] each); the records in
//! `r` grow only with the title vocabulary (at most [`TOP`] per title term).
//! The index needs every document's terms at once to write each token's
//! list in one file: O(total distinct terms per document) memory.
//!
//! The split into tokens is [`tokenize`], mirrored in search.js. Built in
//! parallel: chunks of documents are tokenised into hash buckets at once,
//! then every group of buckets is joined and written at once.

pub mod postings;
pub mod text;
pub mod tokenize;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::model::Model;
use crate::render::sink::Sink;
use crate::render::texts::Texts;
use crate::render::OutFile;
use postings::{Buckets, DocTerms, Postings, STEP, TITLE};

/// Folder of the search files in the output.
pub const DIR: &str = "search";
/// Format version of `index.json`.
pub const VERSION: u32 = 3;
/// Characters of body text kept per document for snippets.
pub const TEXT_CHARS: usize = 120;
/// Documents per document shard.
pub const PER_DOC: usize = 32;
/// Records carried per title term in its postings shard: the newest
/// documents with the term in their title (at least one result page).
pub const TOP: usize = 12;
/// Postings shards search.js fetches for one query, at most.
pub const QUERY_SHARDS: usize = 4;
/// Aimed-at size of one postings shard, in bytes (between this and half of
/// it). The shard count comes from an estimate made without building the
/// index ([`estimate`]), so that the search page can carry the root.
const SHARD_BYTES: usize = 32 * 1024;
/// Estimated bytes of postings per document and of one record in `r`.
const POSTINGS_PER_DOC: usize = 1600;
const RECORD_BYTES: usize = 400;
/// Upper bound of postings shards.
const MAX_SHARDS: usize = 1 << 15;
/// Hash buckets of the parallel build (a power of two).
const BUCKETS: usize = 256;
/// Documents tokenised by one task.
const CHUNK: usize = 128;
/// Chunks tokenised at once before their lists are joined on.
const WINDOW: usize = 8;

/// The root: what search.js needs before its first request. Written as
/// `search/index.json` and carried by the search page itself
/// (`data-search-index`), so a query needs no request for it.
#[derive(Serialize)]
pub struct Root<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    per_doc: usize,
    columns: Vec<&'a str>,
}

/// One document's record in a document shard.
#[derive(Serialize)]
struct DocRecord<'a>(&'a str, &'a str, String, Option<usize>, &'a str);

/// One postings shard: token → packed list, and the records of the newest
/// title hits of its tokens by document number.
#[derive(Serialize)]
struct Shard<'a> {
    t: BTreeMap<String, Vec<u32>>,
    r: BTreeMap<u32, &'a DocRecord<'a>>,
}

/// A postings shard being built: its lists, and the documents whose
/// records it carries.
type ShardParts = (BTreeMap<String, Vec<u32>>, BTreeSet<u32>);

/// The first [`TOP`] documents of a packed list with the title bit.
fn title_top(packed: &[u32], into: &mut BTreeSet<u32>) {
    let mut id = 0u32;
    let mut n = 0;
    for &v in packed {
        id = id.saturating_add(v / STEP);
        if v % STEP == TITLE {
            into.insert(id);
            n += 1;
            if n == TOP {
                return;
            }
        }
    }
}

/// Shards so that one holds about [`SHARD_BYTES`]: a power of two.
fn shard_count(bytes: usize) -> usize {
    bytes
        .div_ceil(SHARD_BYTES)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

/// The index's bytes, about, from the number of documents and the records
/// `r` will hold (the title terms, counted up to [`TOP`] documents each;
/// titles are short, so this costs little).
fn estimate(model: &Model, order: &[usize]) -> usize {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for &i in order {
        let mut seen = BTreeSet::new();
        tokenize::index_terms(&model.entries[i].article.title, |t| {
            seen.insert(match t {
                tokenize::Term::Han(k) => tokenize::han_text(k),
                tokenize::Term::Word(w) => w.to_string(),
            });
        });
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let records: usize = counts.values().map(|&c| c.min(TOP)).sum();
    order.len() * POSTINGS_PER_DOC + records * RECORD_BYTES
}

/// The published articles, newest first: document *i* is `model.entries[order[i]]`.
/// Held articles (only ever in the preview's model) never.
fn published(model: &Model) -> Vec<usize> {
    model
        .newest
        .iter()
        .copied()
        .filter(|&i| model.entries[i].held.is_none())
        .collect()
}

/// The root for the documents of `model`.
pub fn root<'a>(model: &'a Model<'a>) -> Root<'a> {
    let order = published(model);
    Root {
        version: VERSION,
        docs: order.len(),
        shards: shard_count(estimate(model, &order)),
        per_doc: PER_DOC,
        columns: model
            .columns
            .iter()
            .map(|c| c.column.title.as_str())
            .collect(),
    }
}

/// The root as the JSON text the search page carries.
pub fn root_json(model: &Model) -> String {
    serde_json::to_string(&root(model)).unwrap_or_default()
}

fn json<T: Serialize>(path: String, value: &T) -> OutFile {
    // Serialising plain maps, vectors and strings cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    OutFile { path, bytes }
}

/// The postings shards `p/<k>.json` of `buckets` (one [`Postings`] per
/// hash bucket, whole): shard `k` gets the terms of bucket `k % BUCKETS`
/// when there are more shards than buckets, else bucket `b` goes to shard
/// `b % shards`; so each group of buckets below is written by one task.
fn postings_files(buckets: Vec<Postings>, shards: usize, records: &[DocRecord], sink: &dyn Sink) {
    // A shard is fnv % shards, a bucket fnv % BUCKETS, both powers of two:
    // with `units` = the smaller, bucket b belongs to unit b % units and
    // every shard to exactly one unit.
    let units = shards.min(BUCKETS);
    let mut groups: Vec<Vec<Postings>> = (0..units).map(|_| Vec::new()).collect();
    for (b, p) in buckets.into_iter().enumerate() {
        groups[b % units].push(p);
    }
    groups.into_par_iter().for_each(|parts| {
        let mut split: BTreeMap<usize, ShardParts> = BTreeMap::new();
        for p in parts {
            for (token, list) in p.into_lists() {
                let k = tokenize::fnv1a(&token) as usize % shards;
                let (lists, top) = split.entry(k).or_default();
                title_top(&list, top);
                lists.insert(token, list);
            }
        }
        for (k, (t, top)) in split {
            let r = top
                .into_iter()
                .filter_map(|id| Some((id, records.get(id as usize)?)))
                .collect();
            sink.put(json(format!("{DIR}/p/{k}.json"), &Shard { t, r }));
        }
    });
}

/// The search files for the published articles of `model`, put into `sink`
/// as they are made.
///
/// Memory: documents are tokenised [`WINDOW`] chunks at a time and their
/// lists joined onto one [`Postings`] per bucket at once, so what is held
/// is the index itself (one small number per document and term) plus one
/// window, not every chunk's own maps.
pub fn render(model: &Model, texts: Texts, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let order = published(model);
    let mut buckets: Vec<Postings> = (0..BUCKETS).map(|_| Postings::default()).collect();
    let mut starts: Vec<String> = Vec::with_capacity(order.len());
    let window = CHUNK * WINDOW;
    for (w, part) in order.chunks(window).enumerate() {
        let chunks: Vec<(Buckets, Vec<String>)> = part
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, docs)| {
                let first = w * window + c * CHUNK;
                let mut buckets = Buckets::new(BUCKETS);
                let mut starts = Vec::with_capacity(docs.len());
                for (j, &i) in docs.iter().enumerate() {
                    let a = &model.entries[i].article;
                    let body = text::plain_text(&texts.body(a)?);
                    buckets.add((first + j) as u32, DocTerms::of(&a.title, &body));
                    starts.push(text::truncate(&body, TEXT_CHARS).to_string());
                }
                Ok((buckets, starts))
            })
            .collect::<Result<_, Diagnostic>>()
            .map_err(Diagnostics::from)?;
        // Transpose: per bucket, the window's chunks in document order.
        let mut per_bucket: Vec<Vec<Postings>> = (0..BUCKETS).map(|_| Vec::new()).collect();
        for (chunk, t) in chunks {
            for (b, p) in chunk.0.into_iter().enumerate() {
                per_bucket[b].push(p);
            }
            starts.extend(t);
        }
        buckets
            .par_iter_mut()
            .zip(per_bucket.into_par_iter())
            .for_each(|(joined, parts)| parts.into_iter().for_each(|p| joined.append(p)));
    }
    let root = root(model);
    let column_index: HashMap<&str, usize> = model
        .columns
        .iter()
        .enumerate()
        .map(|(n, c)| (c.column.id.as_str(), n))
        .collect();
    let records: Vec<DocRecord> = order
        .par_iter()
        .zip(starts.par_iter())
        .map(|(&i, text)| {
            let e = &model.entries[i];
            let col = column_index.get(e.article.column.as_str()).copied();
            let date = e.article.date.format("%Y-%m-%d").to_string();
            DocRecord(&e.article.title, &e.url, date, col, text)
        })
        .collect();
    sink.put(json(format!("{DIR}/index.json"), &root));
    postings_files(buckets, root.shards, &records, sink);
    records
        .par_chunks(PER_DOC)
        .enumerate()
        .for_each(|(k, docs)| sink.put(json(format!("{DIR}/d/{k}.json"), &docs)));
    Ok(())
}
