//! Static site search (站内搜索, R21): an index of the published articles
//! written at build time under `search/`, read by `assets/search.js` on the
//! search page. No server, no external service.
//!
//! Files (all JSON, deterministic bytes):
//!
//! * `search/index.json` — `{"version", "docs", "shards", "per_text",
//!   "columns", "titles"}`: document *i* is the *i*-th newest published
//!   article; `titles[i]` is its title (the browser ranks title hits from it).
//! * `search/p/<k>.json` — postings shard *k* of `shards`: token → packed
//!   list. A token lives in shard `fnv1a(token) % shards`. Each entry is
//!   `delta * 8 + min(tf, 7)`: `delta` is the document number minus the
//!   previous one in the list (the first is the number itself), `tf` how
//!   often the token occurs in the title and body.
//! * `search/t/<k>.json` — documents `k * per_text ..` as
//!   `[url, date, column index or null, text]`, the text being the start of the
//!   body's plain text (for snippets); loaded only for the results shown.
//!
//! The split into tokens is [`tokenize`], mirrored in search.js.

pub mod postings;
pub mod text;
pub mod tokenize;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::render::model::Model;
use crate::render::OutFile;
use postings::{DocTerms, Postings};

/// Folder of the search files in the output.
pub const DIR: &str = "search";
/// Format version of `index.json`.
pub const VERSION: u32 = 1;
/// Characters of body text kept per document for snippets.
pub const TEXT_CHARS: usize = 1000;
/// Documents per text shard.
pub const PER_TEXT: usize = 8;
/// Aimed-at size of one postings shard, in bytes.
const SHARD_BYTES: usize = 64 * 1024;
/// Upper bound of postings shards.
const MAX_SHARDS: usize = 4096;

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    per_text: usize,
    columns: Vec<&'a str>,
    titles: Vec<&'a str>,
}

/// One document's record in a text shard.
#[derive(Serialize)]
struct TextDoc<'a>(&'a str, String, Option<usize>, &'a str);

/// Shards so that one holds about [`SHARD_BYTES`]: a power of two.
fn shard_count(lists: &[(String, Vec<u32>)]) -> usize {
    let total: usize = lists.iter().map(|(t, l)| postings::json_len(t, l)).sum();
    total
        .div_ceil(SHARD_BYTES)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

fn json<T: Serialize>(path: String, value: &T) -> OutFile {
    // Serialising plain maps, vectors and strings cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    OutFile { path, bytes }
}

/// The search files for the published articles of `model`.
pub fn render(model: &Model) -> Vec<OutFile> {
    // Newest first; held articles (only ever in the preview's model) never.
    let order: Vec<usize> = model
        .newest
        .iter()
        .copied()
        .filter(|&i| model.entries[i].held.is_none())
        .collect();
    let texts: Vec<String> = order
        .par_iter()
        .map(|&i| text::plain_text(&model.entries[i].article.doc.body))
        .collect();
    let terms: Vec<DocTerms> = order
        .par_iter()
        .zip(&texts)
        .map(|(&i, body)| DocTerms::of(&[&model.entries[i].article.title, body]))
        .collect();
    let mut postings = Postings::default();
    for (doc, t) in terms.into_iter().enumerate() {
        postings.add(doc as u32, t);
    }
    let lists = postings.into_lists();
    let shards = shard_count(&lists);
    let mut split: Vec<BTreeMap<&str, &Vec<u32>>> = vec![BTreeMap::new(); shards];
    for (token, list) in &lists {
        let k = tokenize::fnv1a(token) as usize % shards;
        split[k].insert(token, list);
    }
    let column_index: HashMap<&str, usize> = model
        .columns
        .iter()
        .enumerate()
        .map(|(n, c)| (c.column.id.as_str(), n))
        .collect();
    let index = Index {
        version: VERSION,
        docs: order.len(),
        shards,
        per_text: PER_TEXT,
        columns: model
            .columns
            .iter()
            .map(|c| c.column.title.as_str())
            .collect(),
        titles: order
            .iter()
            .map(|&i| model.entries[i].article.title.as_str())
            .collect(),
    };
    let mut out = vec![json(format!("{DIR}/index.json"), &index)];
    out.extend(
        split
            .iter()
            .enumerate()
            .map(|(k, m)| json(format!("{DIR}/p/{k}.json"), m)),
    );
    for (k, chunk) in order.chunks(PER_TEXT).enumerate() {
        let docs: Vec<TextDoc> = chunk
            .iter()
            .enumerate()
            .map(|(j, &i)| {
                let e = &model.entries[i];
                let col = column_index.get(e.article.column.as_str()).copied();
                let date = e.article.date.format("%Y-%m-%d").to_string();
                TextDoc(
                    &e.url,
                    date,
                    col,
                    text::truncate(&texts[k * PER_TEXT + j], TEXT_CHARS),
                )
            })
            .collect();
        out.push(json(format!("{DIR}/t/{k}.json"), &docs));
    }
    out
}
