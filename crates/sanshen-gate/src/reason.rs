//! The reason words (spec §9): why an article is held. One enum for the
//! gate's words and the build's, so no module compares strings; each
//! serialises to its spec word (`bad-signature`, …).

use std::fmt;

use serde::Serialize;

/// A reason word of the spec (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file, its front matter or its gate block cannot be read.
    Unreadable,
    /// `draft: true`.
    Draft,
    /// A `withdrawn` block is present.
    Withdrawn,
    /// No valid `class`.
    NoClass,
    /// A requirement is not yet met.
    Pending,
    /// An approval is for another digest.
    Stale,
    /// A signature does not verify (tampering).
    BadSignature,
    /// The reviewer is not in the keyring.
    UnknownReviewer,
    /// Level above the reviewer's keyring level.
    Level,
    /// Section outside the reviewer's `sections`.
    Scope,
    /// The key is revoked.
    KeyRevoked,
    /// Signed outside the key's validity.
    KeyNotValid,
    /// Signed later than the clock allows.
    Future,
    /// Repost source not whitelisted.
    Source,
    /// The asset list does not match the files the article references (v2).
    Asset,
    /// Raw HTML outside the allow-list, or a forbidden URL scheme (v2).
    RawHtml,
    /// A link to a page or file the build does not publish (v2).
    DeadLink,
    /// The article's URL clashes with another article or a generated file (v2).
    Slug,
    /// `date` outside the sane range (v2).
    Date,
    /// Content rule: a secrecy marking.
    Secrecy,
    /// Content rule: unmasked personal data.
    PersonalData,
    /// Content rule: a forbidden word.
    ForbiddenWord,
    /// Content rule: a link to a forbidden host.
    ForbiddenHost,
    /// Content rule: a serious typo.
    Typo,
    /// Content rule: an image without alternative text.
    AltText,
    /// Before `publish_at` (定时发布).
    Scheduled,
    /// At or after `expires_at` (到期下线).
    Expired,
    /// The publication log shows the article withdrawn, and it carries no
    /// approval signed and first seen after the withdrawal.
    LogWithdrawn,
    /// An earlier version than the one last published, with approvals the
    /// log saw before that publication (replay).
    Replay,
    /// An approval the log first saw after its key's `valid_until`.
    LateApproval,
}

impl Code {
    /// Every code, in the order of the spec's table.
    pub const ALL: [Code; 30] = [
        Code::Unreadable,
        Code::Draft,
        Code::Withdrawn,
        Code::NoClass,
        Code::Pending,
        Code::Stale,
        Code::BadSignature,
        Code::UnknownReviewer,
        Code::Level,
        Code::Scope,
        Code::KeyRevoked,
        Code::KeyNotValid,
        Code::Future,
        Code::Source,
        Code::Asset,
        Code::RawHtml,
        Code::DeadLink,
        Code::Slug,
        Code::Date,
        Code::Secrecy,
        Code::PersonalData,
        Code::ForbiddenWord,
        Code::ForbiddenHost,
        Code::Typo,
        Code::AltText,
        Code::Scheduled,
        Code::Expired,
        Code::LogWithdrawn,
        Code::Replay,
        Code::LateApproval,
    ];

    /// The spec's word, e.g. `bad-signature`.
    pub fn word(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::Draft => "draft",
            Code::Withdrawn => "withdrawn",
            Code::NoClass => "no-class",
            Code::Pending => "pending",
            Code::Stale => "stale",
            Code::BadSignature => "bad-signature",
            Code::UnknownReviewer => "unknown-reviewer",
            Code::Level => "level",
            Code::Scope => "scope",
            Code::KeyRevoked => "key-revoked",
            Code::KeyNotValid => "key-not-valid",
            Code::Future => "future",
            Code::Source => "source",
            Code::Asset => "asset",
            Code::RawHtml => "raw-html",
            Code::DeadLink => "dead-link",
            Code::Slug => "slug",
            Code::Date => "date",
            Code::Secrecy => "secrecy",
            Code::PersonalData => "personal-data",
            Code::ForbiddenWord => "forbidden-word",
            Code::ForbiddenHost => "forbidden-host",
            Code::Typo => "typo",
            Code::AltText => "alt-text",
            Code::Scheduled => "scheduled",
            Code::Expired => "expired",
            Code::LogWithdrawn => "log-withdrawn",
            Code::Replay => "replay",
            Code::LateApproval => "late-approval",
        }
    }

    /// The code of a spec word.
    pub fn from_word(word: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.word() == word)
    }

    /// Held only by the publication window (`scheduled`, `expired`): where
    /// its editors put it, not a review problem.
    pub fn is_window(self) -> bool {
        matches!(self, Code::Scheduled | Code::Expired)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_serialise_as_the_spec_writes_them() {
        for c in Code::ALL {
            assert_eq!(Code::from_word(c.word()), Some(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.word()));
        }
        let mut words: Vec<&str> = Code::ALL.iter().map(|c| c.word()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), Code::ALL.len());
    }
}
