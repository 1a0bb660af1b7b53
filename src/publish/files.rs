//! The local files an article uses, as the judge sees them: which files
//! of `content/` its rendered HTML references, the state of each (regular
//! file, SHA-256) for the gate's digest, the text of the text-like ones and
//! attachments for the content rules, and the files the loader refused.

use std::collections::{BTreeMap, BTreeSet};

use super::Read;
use crate::config::Site;
use crate::content::{Article, Content, CONTENT_DIR};
use crate::gate::{self, AssetFacts, AssetFile, Code, Reason};
use crate::links::{self, Link, Origin, Target};
use crate::rules;
use crate::tree::Tree;

/// An article that uses a file of `content/` the build refuses to read
/// (over `limits.file_mb`, or a symbolic link): held `asset`, naming the
/// file.
pub(super) fn unusable_asset(
    content: &Content,
    a: &Article,
    links: Option<&[Link]>,
) -> Option<Reason> {
    if content.unusable.is_empty() || !a.readable {
        return None;
    }
    links?
        .iter()
        .find_map(|l| {
            let written = l.written.as_deref()?;
            let path = written.split(['#', '?']).next().unwrap_or_default();
            if path.starts_with('/') || path.contains(':') {
                return None;
            }
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let target = crate::content::resolve(a.dir(), &decoded)?;
            let why = content.unusable.get(&target)?;
            Some(Reason {
                word: Code::Asset,
                message: format!(
                    "引用的文件 content/{target} {why}。修改方法：把符号链接换成文件本身；文件过大时压缩或拆分，或在 site.yaml 中调高 limits.file_mb。"
                ),
                line: Some(a.doc.body_line + l.line - 1),
            })
        })
}

/// The files under `content/` (content paths) that an article's rendered
/// HTML references, sorted and unique (spec §2): a Markdown link or image
/// with a relative destination resolves against the article's folder, as
/// the renderer rewrites it; every other URL (raw HTML, absolute paths,
/// the site's own host) resolves as the browser reads it on the page, and
/// counts when it names a file of `assets` (the non-Markdown files under
/// `content/`).
pub fn referenced_files(site: &Site, a: &Article, assets: &BTreeSet<String>) -> Vec<String> {
    referenced_in(site, a, assets, &Read::of(site, a))
}

/// [`referenced_files`] of an article already [`Read`].
pub(super) fn referenced_in(
    site: &Site,
    a: &Article,
    assets: &BTreeSet<String>,
    read: &Read,
) -> Vec<String> {
    let Some(base) = &read.base else {
        return Vec::new();
    };
    let rendered = &read.analysis.rendered;
    let mut out = BTreeSet::new();
    let decode = |p: &str| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    };
    for l in read.analysis.html_links(base) {
        if let (_, Origin::Link(dest)) = rendered.source(l.offset) {
            if !dest.is_empty() && !links::markdown::is_absolute(dest) {
                let path = dest.split('#').next().unwrap_or("");
                let path = path.split('?').next().unwrap_or("");
                let decoded = decode(path);
                if let Some(t) = links::markdown::resolve(a.dir(), &decoded) {
                    if assets.contains(&t) {
                        out.insert(t);
                    }
                }
                continue;
            }
        }
        if let Target::File { path } | Target::Page { path } = &l.target {
            if let Some(rel) = path.strip_prefix(site.base_path.as_str()) {
                let rel = decode(rel);
                if assets.contains(&rel) {
                    out.insert(rel);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// What the gate needs to know about an article's local files: the ones
/// it references and, for each of them and each listed one, whether it
/// is a regular file under `content/` and the SHA-256 of its bytes.
pub fn asset_facts(
    tree: &dyn Tree,
    site: &Site,
    assets: &BTreeSet<String>,
    a: &Article,
) -> AssetFacts {
    let read = Read::of(site, a);
    facts_of(
        tree,
        assets,
        &read.listed(),
        referenced_in(site, a, assets, &read),
    )
}

/// [`asset_facts`] from the `listed` and `referenced` files.
pub(super) fn facts_of(
    tree: &dyn Tree,
    assets: &BTreeSet<String>,
    listed: &[String],
    referenced: Vec<String>,
) -> AssetFacts {
    let mut files = BTreeMap::new();
    for p in listed.iter().chain(&referenced) {
        if files.contains_key(p) {
            continue;
        }
        files.insert(p.clone(), asset_state(tree, assets, p));
    }
    AssetFacts { referenced, files }
}

fn asset_state(tree: &dyn Tree, assets: &BTreeSet<String>, p: &str) -> AssetFile {
    if !gate::is_content_path(p) {
        // Never read: it could name a file outside content/.
        return AssetFile::NotAsset;
    }
    let file = format!("{CONTENT_DIR}/{p}");
    if assets.contains(p) {
        return match tree.read(&file) {
            Ok(bytes) => AssetFile::Regular(crate::document::sha256_hex(&bytes)),
            Err(_) => AssetFile::Missing,
        };
    }
    if p.ends_with(".md") || tree.is_dir(&file) || tree.is_file(&file) {
        AssetFile::NotAsset
    } else {
        AssetFile::Missing
    }
}

/// Largest text-like asset the rules read (bigger ones are read up to it).
const ASSET_LIMIT: usize = 4 << 20;

/// The text-like local files (`.svg`, `.html`, `.htm`, `.txt`, `.csv`)
/// and attachments (PDF, Word, Excel, PowerPoint) an article refers to,
/// read from the content tree: only files the loader listed as assets of
/// `content/`. An attachment that cannot be read within the limits is
/// kept with why, and holds the article.
pub fn text_assets(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    a: &Article,
) -> Vec<rules::Asset> {
    let read = Read::of(site, a);
    let referenced = referenced_in(site, a, &content.assets, &read);
    texts_of(tree, content, a, &read, &referenced)
}

/// [`text_assets`] of an article already [`Read`] that references the
/// files `referenced` ([`referenced_files`]).
pub(super) fn texts_of(
    tree: &dyn Tree,
    content: &Content,
    a: &Article,
    read: &Read,
    referenced: &[String],
) -> Vec<rules::Asset> {
    let mut found: Vec<(String, usize)> = rules::text_assets_of(&a.path, &read.analysis)
        .into_iter()
        .filter(|(p, _)| content.assets.contains(p))
        .collect();
    // Attachments reached another way (raw HTML, a site-absolute path)
    // are read too: none is published unscanned. Reported where the
    // body first names the file.
    for p in referenced.iter().cloned() {
        if crate::attach::Kind::of(&p).is_some() && !found.iter().any(|(q, _)| *q == p) {
            let name = p.rsplit('/').next().unwrap_or(&p);
            let offset = a.doc.body().find(name).unwrap_or(0);
            found.push((p, offset));
        }
    }
    found
        .into_iter()
        .filter_map(|(path, offset)| {
            let bytes = tree.read(&format!("content/{path}")).ok()?;
            if crate::attach::Kind::of(&path).is_some() {
                let read = crate::attach::read(&path, &bytes, &crate::attach::Limits::default())
                    .map(Option::unwrap_or_default);
                return Some(rules::Asset::of_attachment(path, offset, read));
            }
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(ASSET_LIMIT)]).into_owned();
            Some(rules::Asset {
                path,
                offset,
                text,
                ..rules::Asset::default()
            })
        })
        .collect()
}
