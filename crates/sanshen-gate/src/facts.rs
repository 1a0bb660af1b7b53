//! The inputs of the judge: the parsed `reviews/` folder and one
//! article's signed facts.

use std::collections::BTreeMap;

use crate::document::{normalise, Document};

use super::assets::AssetFacts;
use super::keyring::{self, Keyring};
use super::policy::{self, Policy};
use super::sources::Sources;
use super::verified::Verifier;
use super::GateError;

/// The parsed `reviews/` folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviews {
    /// `reviews/reviewers.yaml`.
    pub keyring: Keyring,
    /// `reviews/policy.yaml`.
    pub policy: Policy,
    /// `reviews/sources.yaml` (empty when absent).
    pub sources: Sources,
    /// How approval and withdrawal signatures are verified
    /// (`verify_strict`, possibly consulting a store of passed checks).
    pub verifier: Verifier,
}

fn text_of(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Result<Option<String>, GateError> {
    let Some(bytes) = files.get(name) else {
        return Ok(None);
    };
    normalise(bytes).map(Some).map_err(|e| {
        GateError::new(
            format!("reviews/{name}"),
            Some(e.line()),
            "文件不是 UTF-8 编码（not UTF-8）",
            e.help(),
        )
    })
}

impl Reviews {
    /// Parse `reviewers.yaml`, `policy.yaml` and (optional, else an empty
    /// whitelist) `sources.yaml`, keyed by their names under `reviews/`.
    pub fn parse(files: &BTreeMap<String, Vec<u8>>) -> Result<Reviews, GateError> {
        let need = |name: &str, file: &str| -> Result<String, GateError> {
            text_of(files, name)?.ok_or_else(|| {
                GateError::new(
                    file,
                    None,
                    format!("缺少 {file}"),
                    "每个站点都需要审核人名单 reviewers.yaml 和审核政策 policy.yaml（见 spec/approvals.md §5–6）。",
                )
            })
        };
        let keyring = Keyring::parse(&need("reviewers.yaml", keyring::FILE)?)?;
        let policy = Policy::parse(&need("policy.yaml", policy::FILE)?)?;
        let sources = match text_of(files, "sources.yaml")? {
            Some(t) => Sources::parse(&t)?,
            None => Sources::default(),
        };
        Ok(Reviews {
            keyring,
            policy,
            sources,
            verifier: Verifier::default(),
        })
    }
}

/// What the gate needs to know about one article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleFacts<'a> {
    /// Relative to `content/`, `/`-separated, e.g. `news/a-ok.md`.
    pub path: &'a str,
    /// The split article file.
    pub doc: &'a Document,
    /// Raw `class` of the signed front matter.
    pub class: Option<&'a str>,
    /// `draft: true` in the signed front matter.
    pub draft: bool,
    /// `source.url` of the signed front matter, if any.
    pub source_url: Option<&'a str>,
    /// Every host the article's published HTML refers to (links and
    /// embedded resources), from the caller's link model. The gate decides
    /// which of them are external (neither the site's host nor a
    /// government host).
    pub hosts: &'a [String],
    /// The local files the article references and the state of each
    /// listed or referenced file (spec §2), from the caller.
    pub assets: &'a AssetFacts,
}

/// The section (栏目) of an article: its folder, every path component but
/// the last (`a/b` for `a/b/x.md`); columns nest, so this is the innermost
/// column. A reviewer's scope covers it by path-segment prefix
/// ([`crate::Reviewer::covers`]).
pub fn section_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("")
}
