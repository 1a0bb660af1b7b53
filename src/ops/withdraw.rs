//! The signed withdrawal (撤稿, spec §4). Any reviewer with a valid key may
//! withdraw; the next build removes the article from every page, feed and
//! site map, and the register keeps the record.

use std::fs;
use std::io;
use std::path::Path;

use ed25519_dalek::SigningKey;

use super::signing::{self, SigningError};
use super::site::{self, SiteOpts};
use crate::diag::Diagnostic;
use crate::gate::{self, Reviewer, WithdrawalCheck, WithdrawalStatus};
use crate::reviews;

/// What to withdraw, by whom and why.
#[derive(Debug, Clone)]
pub struct WithdrawRequest<'a> {
    pub site: &'a SiteOpts,
    /// The article file (relative to the current directory, or absolute).
    pub article: &'a Path,
    /// The withdrawing reviewer's secret key file (outside the site).
    pub key: &'a Path,
    /// One line: why (recorded in the register).
    pub reason: &'a str,
}

/// The withdrawal written.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    /// The article file, relative to the site root.
    pub file: String,
    pub title: String,
    pub reviewer: Reviewer,
    /// When, RFC 3339 in the site's offset.
    pub at: String,
    /// The reason, trimmed.
    pub reason: String,
    /// The invalid withdrawal record that this one replaced, if any: why
    /// it did not count.
    pub replaced_invalid: Option<String>,
}

/// Why nothing was withdrawn.
#[derive(Debug, thiserror::Error)]
pub enum WithdrawError {
    /// Empty, or more than one line.
    #[error("the reason must be one non-empty line")]
    BadReason,
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The signer's key is revoked or outside its validity.
    #[error("{name}'s key is revoked or not valid now")]
    KeyNotValid { name: String },
    /// The article's gate block cannot be read.
    #[error("gate block unreadable: {0}")]
    GateUnreadable(Diagnostic),
    /// A valid withdrawal is already there.
    #[error("already withdrawn")]
    AlreadyWithdrawn(Box<WithdrawalCheck>),
    #[error("cannot read {file}: {source}")]
    Read { file: String, source: io::Error },
    /// The gate block could not be rewritten.
    #[error("{0}")]
    Gate(Diagnostic),
    #[error("cannot write {file}: {source}")]
    Write { file: String, source: io::Error },
}

/// Withdraw the article.
pub fn withdraw(req: &WithdrawRequest) -> Result<Withdrawn, WithdrawError> {
    let key = site::load_key(&req.site.root, req.key)
        .map_err(|d| WithdrawError::Signing(SigningError::Site(d.into())))?;
    withdraw_with(req, key)
}

/// [`withdraw`] with the key already loaded (`req.key` is not read).
pub fn withdraw_with(req: &WithdrawRequest, key: SigningKey) -> Result<Withdrawn, WithdrawError> {
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().any(|c| c.is_control()) {
        return Err(WithdrawError::BadReason);
    }
    let s = signing::prepare_loaded(
        req.site,
        req.article,
        key,
        "无需撤稿（文件名或目录以 . 开头，或不在栏目中）",
    )?;
    let reviewer = s.reviewer();
    let judged = &s.judged;
    if reviewer.revoked || !reviewer.valid_at(&judged.now) {
        return Err(WithdrawError::KeyNotValid {
            name: reviewer.name.clone(),
        });
    }
    let article = s.article();
    let verdict = &s.decision().verdict;
    if let Some(e) = &verdict.gate_error {
        return Err(WithdrawError::GateUnreadable(reviews::diagnostic(
            e.clone(),
        )));
    }
    let mut replaced_invalid = None;
    if let Some(w) = &verdict.withdrawal {
        if w.status == WithdrawalStatus::Valid {
            return Err(WithdrawError::AlreadyWithdrawn(Box::new(w.clone())));
        }
        replaced_invalid = Some(w.detail.clone());
    }
    let path = req.site.root.join(&article.file);
    let raw = fs::read(&path).map_err(|source| WithdrawError::Read {
        file: article.file.clone(),
        source,
    })?;
    let at = site::timestamp(&judged.now);
    let signature = gate::sign_withdrawal(&s.key, &s.rel, &reviewer.id, &at, reason);
    let new = gate::set_withdrawal(&article.file, &raw, &reviewer.id, &at, reason, &signature)
        .map_err(|e| WithdrawError::Gate(reviews::diagnostic(e)))?;
    super::files::write_atomic(&path, &new).map_err(|source| WithdrawError::Write {
        file: article.file.clone(),
        source,
    })?;
    Ok(Withdrawn {
        file: article.file.clone(),
        title: article.title.clone(),
        reviewer: reviewer.clone(),
        at,
        reason: reason.to_string(),
        replaced_invalid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testsite::TestSite;

    #[test]
    fn withdraws_once_with_a_signed_record() {
        let s = TestSite::new();
        let a = s.article("a.md", "A", "A类文章");
        let opts = s.opts();
        let key = s.key_file("leader");
        let req = WithdrawRequest {
            site: &opts,
            article: &a,
            key: &key,
            reason: "  信息有误，撤销发布 ",
        };
        let w = withdraw(&req).unwrap();
        assert_eq!(w.reason, "信息有误，撤销发布");
        assert_eq!(
            (w.file.as_str(), w.title.as_str()),
            ("content/news/a.md", "A类文章")
        );
        assert_eq!(w.reviewer.id, "leader");
        assert_eq!(w.replaced_invalid, None);
        let text = s.read("content/news/a.md");
        assert!(text.contains("reason: \"信息有误，撤销发布\""), "{text}");
        match withdraw(&req).unwrap_err() {
            WithdrawError::AlreadyWithdrawn(w) => {
                assert_eq!(w.status, WithdrawalStatus::Valid);
                assert_eq!(w.reviewer, "leader");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refuses_a_bad_reason_and_a_revoked_key() {
        let s = TestSite::new();
        let a = s.article("a.md", "A", "A类文章");
        let before = s.read("content/news/a.md");
        let opts = s.opts();
        let key = s.key_file("editor");
        for reason in ["", "  ", "两行\n理由"] {
            let req = WithdrawRequest {
                site: &opts,
                article: &a,
                key: &key,
                reason,
            };
            assert!(matches!(withdraw(&req), Err(WithdrawError::BadReason)));
        }
        let revoked = s.key_file("official");
        let req = WithdrawRequest {
            site: &opts,
            article: &a,
            key: &revoked,
            reason: "理由",
        };
        assert!(matches!(
            withdraw(&req),
            Err(WithdrawError::KeyNotValid { name }) if name == "张副区长"
        ));
        assert_eq!(s.read("content/news/a.md"), before);
    }
}
