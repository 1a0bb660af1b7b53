//! Taking back one's own approval (撤回签署): remove from the gate block
//! the approvals that name the signer and whose signature verifies under
//! the signer's key — never anyone else's. Every other byte of the file
//! outside the gate block stays as it was.

use std::fs;
use std::io;
use std::path::Path;

use super::signing::{self, SigningError};
use super::site::SiteOpts;
use crate::diag::Diagnostic;
use crate::document;
use crate::gate::{self, Reviewer};
use crate::publish::{self, Decision};
use crate::reviews;

/// Whose approval to remove from which article.
#[derive(Clone)]
pub struct UnsignRequest<'a> {
    pub site: &'a SiteOpts,
    /// The article file (relative to the current directory, or absolute).
    pub article: &'a Path,
    /// The signer (key file or ssh-agent): proves whose approvals these are.
    pub key: &'a dyn signing::Signer,
    /// Only the approvals at this level; `None`: all of the signer's.
    pub level: Option<u8>,
}

/// One approval removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// `level`, as written.
    pub level: String,
    /// `signed_at`, as written.
    pub signed_at: String,
    /// Whether it was for the article's current version.
    pub current: bool,
}

/// What was removed.
#[derive(Debug, Clone)]
pub struct Unsigned {
    /// The article file, relative to the site root.
    pub file: String,
    pub title: String,
    pub reviewer: Reviewer,
    pub removed: Vec<Removed>,
    /// The article judged again without them.
    pub after: Option<Decision>,
}

/// Why nothing was removed.
#[derive(Debug, thiserror::Error)]
pub enum UnsignError {
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The article's gate block cannot be read.
    #[error("gate block unreadable: {0}")]
    GateUnreadable(Diagnostic),
    /// The signer has no approval (at that level) in the article.
    #[error("{name} has no approval to remove")]
    NothingToRemove { name: String, level: Option<u8> },
    #[error("cannot read {file}: {source}")]
    Read { file: String, source: io::Error },
    /// The gate block could not be rewritten.
    #[error("{0}")]
    Gate(Diagnostic),
    #[error("cannot write {file}: {source}")]
    Write { file: String, source: io::Error },
}

/// Remove the signer's own approvals from the article.
pub fn unsign(req: &UnsignRequest) -> Result<Unsigned, UnsignError> {
    let s = signing::prepare(
        req.site,
        req.article,
        req.key,
        "没有可撤回的签署（文件名或目录以 . 开头，或不在栏目中）",
    )?;
    let article = s.article();
    let reviewer = s.reviewer().clone();
    if let Some(e) = &s.decision().verdict.gate_error {
        return Err(UnsignError::GateUnreadable(reviews::diagnostic(e.clone())));
    }
    let path = req.site.root.join(&article.file);
    let raw = fs::read(&path).map_err(|source| UnsignError::Read {
        file: article.file.clone(),
        source,
    })?;
    let public = req.key.public();
    let level = req.level.map(|l| l.to_string());
    let (new, gone) = gate::remove_approvals(&article.file, &raw, |a| {
        gate::signed_by(&s.rel, a, &reviewer.id, &public) && (level.is_none() || a.level == level)
    })
    .map_err(|e| UnsignError::Gate(reviews::diagnostic(e)))?;
    if gone.is_empty() {
        return Err(UnsignError::NothingToRemove {
            name: reviewer.name.clone(),
            level: req.level,
        });
    }
    super::files::write_atomic(&path, &new).map_err(|source| UnsignError::Write {
        file: article.file.clone(),
        source,
    })?;
    let digest = &s.decision().verdict.digest;
    let removed = gone
        .into_iter()
        .map(|a| Removed {
            current: a.digest.as_ref() == Some(digest),
            level: a.level.unwrap_or_default(),
            signed_at: a.signed_at.unwrap_or_default(),
        })
        .collect();
    let mut again = article.clone();
    let after = document::parse(&new).ok().map(|doc| {
        again.doc = doc;
        let j = &s.judged;
        let assets = s.decision().assets.clone();
        publish::judge(&j.site, &j.reviews, &j.rules, &again, assets, j.now)
    });
    Ok(Unsigned {
        file: article.file.clone(),
        title: article.title.clone(),
        reviewer,
        removed,
        after,
    })
}
