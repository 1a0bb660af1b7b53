//! What `sign` and `withdraw` start from: the article's content path, the
//! signer's key (never one inside the site), the judged site, the article
//! and the signer's keyring entry.

use std::path::Path;

use ed25519_dalek::SigningKey;

use super::site::{self, SiteOpts};
use super::Error;
use crate::content::Article;
use crate::diag::Diagnostics;
use crate::gate::{self, Reviewer};
use crate::pipeline::Judged;
use crate::publish::Decision;

/// The signer, the article and the judged site.
pub struct Signing {
    /// The article's path relative to `content/`.
    pub rel: String,
    pub key: SigningKey,
    pub judged: Judged,
    /// The article's index in `judged.content.articles`.
    pub idx: usize,
    /// The signer's index in the keyring.
    reviewer: usize,
}

impl Signing {
    pub fn article(&self) -> &Article {
        &self.judged.content.articles[self.idx]
    }

    pub fn decision(&self) -> &Decision {
        &self.judged.decisions[self.idx]
    }

    pub fn reviewer(&self) -> &Reviewer {
        &self.judged.reviews.keyring.reviewers[self.reviewer]
    }
}

/// Why there is nobody or nothing to sign.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The article path, the key or the site is wrong.
    #[error("{0}")]
    Site(Diagnostics),
    /// The key is not in `reviews/reviewers.yaml`.
    #[error("unknown key {public}")]
    UnknownKey { public: String },
}

impl From<SigningError> for Error {
    fn from(e: SigningError) -> Self {
        match e {
            SigningError::Site(ds) => ds.into(),
            SigningError::UnknownKey { public } => Error::refused(
                "已拒绝",
                format!("此密钥（公钥 {public}）不在审核人名单 reviews/reviewers.yaml 中（unknown key）"),
                "请把公钥交给管理员加入审核人名单，并由根密钥重新签署 governance.yaml。",
            ),
        }
    }
}

/// Resolve the article, load the key (refusing one inside the site), judge
/// the site, find the article and the signer; `unread` ends the message
/// for a file the build does not read.
pub fn prepare(
    site: &SiteOpts,
    article: &Path,
    key: &Path,
    unread: &str,
) -> Result<Signing, SigningError> {
    let key = site::load_key(&site.root, key).map_err(|d| SigningError::Site(d.into()))?;
    prepare_loaded(site, article, key, unread)
}

/// [`prepare`] with a key already loaded (the review desk loads it once).
pub fn prepare_loaded(
    site: &SiteOpts,
    article: &Path,
    key: SigningKey,
    unread: &str,
) -> Result<Signing, SigningError> {
    let rel = site::article_path(&site.root, article).map_err(|d| SigningError::Site(d.into()))?;
    let (judged, idx) = site::judge_article(site, &rel, unread).map_err(SigningError::Site)?;
    let public = key.verifying_key();
    let reviewer = judged
        .reviews
        .keyring
        .reviewers
        .iter()
        .position(|r| r.key == public)
        .ok_or_else(|| SigningError::UnknownKey {
            public: gate::format_public_key(&public),
        })?;
    Ok(Signing {
        rel,
        key,
        judged,
        idx,
        reviewer,
    })
}
