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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateblock::RawReturn;
    use crate::keys::format_public_key;
    use crate::messages::sign_return;
    use ed25519_dalek::SigningKey;

    fn keyring(key: &SigningKey) -> Keyring {
        Keyring::parse(&format!(
            "reviewers:\n- id: leader\n  name: 李领导\n  title: t\n  role: leader\n  level: 2\n  key: \"{}\"\n  valid_from: \"2026-01-01T00:00:00+08:00\"\n  revoked: false\n",
            format_public_key(&key.verifying_key())
        ))
        .unwrap()
    }

    fn item(key: &SigningKey, digest: &str, comment: &str) -> RawReturn {
        RawReturn {
            reviewer: Some("leader".into()),
            at: Some("T".into()),
            digest: Some(digest.into()),
            comment: Some(comment.into()),
            signature: Some(sign_return(
                key,
                "news/a.md",
                digest,
                "leader",
                "T",
                comment,
            )),
            line: 1,
        }
    }

    #[test]
    fn the_latest_verified_return_for_the_digest() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let ring = keyring(&key);
        let gate = Gate {
            returns: vec![
                item(&key, "sha256:1", "旧意见"),
                item(&key, "sha256:1", "新意见"),
                item(&other, "sha256:1", "伪造的意见"),
                item(&key, "sha256:0", "上一版的意见"),
            ],
            ..Gate::default()
        };
        let note = latest_return(&gate, &ring, "news/a.md", "sha256:1").unwrap();
        assert_eq!(note.comment, "新意见");
        assert_eq!(note.reviewer_name, "李领导");
        assert!(latest_return(&gate, &ring, "news/b.md", "sha256:1").is_none());
        assert!(latest_return(&gate, &ring, "news/a.md", "sha256:2").is_none());
    }
}
