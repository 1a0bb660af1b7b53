//! One entry of the publication log (发布日志): what one release put
//! online — the governance it was judged under, every published article
//! with the approvals that counted, the approvals seen on articles not
//! (yet) published, and every withdrawal in force — plus when the deploy
//! first saw it and the hash of the previous entry.
//!
//! Records are JSON, written once by `deploy` and never rewritten; the
//! log's Merkle tree and signed checkpoint (see `docs/spec/publication-log.md`)
//! commit to their exact bytes. [`ReleaseFacts`] is the part the build
//! knows (written beside the output as `<out>.release.json`, its digest
//! signed in the manifest); `deploy` adds the rest.

use serde::{Deserialize, Serialize};

/// `format` of a record of this version.
pub const FORMAT: &str = "sanshen-release-v1";

/// `format` of a build's release facts.
pub const FACTS_FORMAT: &str = "sanshen-release-facts-v1";

/// What a build publishes, as the gate judged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFacts {
    /// [`FACTS_FORMAT`].
    pub format: String,
    /// The commit built, if any.
    pub commit: Option<String>,
    /// The judging clock of the build (RFC 3339).
    pub judged_at: String,
    /// The governance the frame verified under.
    pub governance: GovernanceRef,
    /// Published articles, sorted by path.
    pub articles: Vec<LoggedArticle>,
    /// Articles not published whose approvals verify on the current
    /// digest (pending, scheduled, held by a content rule…), sorted by
    /// path: so that an approval is first seen when it is made, not when
    /// the article is finally published.
    pub pending: Vec<LoggedArticle>,
    /// Withdrawals in the source whose signature verifies, sorted by path.
    pub withdrawals: Vec<LoggedWithdrawal>,
}

/// The governance a release was judged under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceRef {
    /// `serial` of `reviews/governance.yaml`.
    pub serial: u64,
    /// `"sha256:" + hex` of the governance's signed message (not of the
    /// file: adding a co-signature does not change it).
    pub digest: String,
    /// Version of the root set that signed it (threshold roots); `None`
    /// for a single pinned root key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_version: Option<u64>,
}

/// One article, published or pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedArticle {
    /// Content path, e.g. `news/2026-11-20-a.md` (part of every signed
    /// approval message).
    pub path: String,
    /// The page's site path, e.g. `/news/2026-11-20-a/`.
    pub url: String,
    pub title: String,
    /// The article's digest (spec §3).
    pub digest: String,
    /// `date` of the signed front matter, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `backdated` of the signed front matter: why an old document is
    /// published with its original date (补录).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backdated: Option<String>,
    /// Class A/B/C as written.
    pub class: String,
    /// Every approval that counts on the current digest (for a published
    /// article, a superset of those its requirements were met with).
    pub approvals: Vec<LoggedApproval>,
}

/// One approval, with everything needed to verify its signature offline
/// (spec §4: `sanshen-approval-v1\n<path>\n<digest>\n<level>\n<reviewer>\n<signed_at>\n`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedApproval {
    pub reviewer: String,
    /// The reviewer's public key, `ed25519:…`.
    pub key: String,
    pub level: u8,
    /// As written (self-declared by the signer).
    pub signed_at: String,
    /// Standard base64.
    pub signature: String,
    /// The key's `valid_until` in the keyring the build verified (RFC
    /// 3339), if any: an approval first seen at or after it does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// When the log first recorded this signature (RFC 3339, a deploy's
    /// clock). `None` in a build's facts; `deploy` fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
}

/// One withdrawal in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedWithdrawal {
    pub path: String,
    pub title: String,
    pub reviewer: String,
    /// The reviewer's public key, `ed25519:…`.
    pub key: String,
    /// `at`, as written.
    pub at: String,
    pub reason: String,
    /// Standard base64 (spec §5).
    pub signature: String,
    /// When the log first recorded it. `None` in a build's facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// `false` when the withdrawal is no longer in the source (someone
    /// deleted the `withdrawn:` block) and the log keeps it in force.
    #[serde(default = "yes")]
    pub in_source: bool,
}

fn yes() -> bool {
    true
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// [`FORMAT`].
    pub format: String,
    /// Position in the log, from 0.
    pub index: u64,
    /// `"sha256:" + hex` of the previous record's exact bytes; `None` for
    /// index 0.
    pub previous: Option<String>,
    /// The deploy's clock when this release was appended (RFC 3339): the
    /// time everything new in it was first seen.
    pub first_seen: String,
    /// `deploy` or `rollback`.
    pub action: String,
    /// The release id (folder under `releases/`).
    pub release: String,
    /// `"sha256:" + hex` of the release's manifest file bytes.
    pub manifest: String,
    /// What was published, approvals and withdrawals with `first_seen`
    /// filled in.
    pub facts: ReleaseFacts,
}
