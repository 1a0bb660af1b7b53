//! Returns (退回意见, spec §5a): notes from a reviewer to the editor. They
//! never change whether an article is published; `status`, the preview and
//! the review desk show the latest one whose signature verifies and whose
//! digest is the article's current one.

use super::gateblock::Gate;
use super::keyring::Keyring;
use super::keys::verify;
use super::messages::return_message;

/// A verified return for the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnNote {
    /// Reviewer id.
    pub reviewer: String,
    /// The reviewer's name from the keyring.
    pub reviewer_name: String,
    /// When, as written.
    pub at: String,
    /// The comment.
    pub comment: String,
    /// 1-based line of the item in the article file.
    pub line: usize,
}

/// The last item of `returns:` for `digest` that is complete and signed by
/// the keyring key of its reviewer (`path`: the article's content path).
pub fn latest_return(
    gate: &Gate,
    keyring: &Keyring,
    path: &str,
    digest: &str,
) -> Option<ReturnNote> {
    gate.returns.iter().rev().find_map(|r| {
        let (Some(id), Some(at), Some(d), Some(comment), Some(sig)) = (
            r.reviewer.as_deref(),
            r.at.as_deref(),
            r.digest.as_deref(),
            r.comment.as_deref(),
            r.signature.as_deref(),
        ) else {
            return None;
        };
        if d != digest || digest.is_empty() {
            return None;
        }
        let who = keyring.get(id)?;
        let msg = return_message(path, d, id, at, comment);
        verify(&who.key, msg.as_bytes(), sig).then(|| ReturnNote {
            reviewer: id.to_string(),
            reviewer_name: who.name.clone(),
            at: at.to_string(),
            comment: comment.to_string(),
            line: r.line,
        })
    })
}
