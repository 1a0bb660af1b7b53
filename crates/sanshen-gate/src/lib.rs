//! The publishing gate (spec/approvals.md v1). Pure: no I/O, no rendering.
//!
//! This crate is sealed: it cannot touch the file system, the environment,
//! the network, processes or the clock. Its callers read the bytes and pass
//! in the time and any randomness; `clippy.toml` beside `Cargo.toml` lists
//! the forbidden std and chrono functions and CI runs clippy with
//! `-D warnings`. A reviewer can audit the gate by reading this folder.
//!
//! * [`document`] — splitting an article into signed bytes, gate block, body.
//!
//! * [`keys`] — Ed25519 keys: `ed25519:<b64>` public keys, PKCS#8 PEM secret keys.
//! * [`messages`] — the exact signed messages and `sign_*` helpers.
//! * [`keyring`], [`policy`], [`sources`] — `reviews/*.yaml`, validated.
//! * [`governance`] — the root keys' signatures over the site's frame (v2);
//!   [`roots`] — `reviews/roots.yaml`, the chain of threshold root sets;
//!   [`rootset`] — a root set, pins, and counting distinct signers;
//!   [`governance_write`] — writing it; [`governance_v1`] — the frozen v1
//!   signature over `reviews/`.
//! * [`assets`] — the `assets:` list, checked, and the v2 digest.
//! * [`gateblock`] — reading the gate block of an article; [`write`] — writing it;
//!   [`returns`] — the latest verified return (退回意见) for a version.
//! * [`hosts`] — host matching and the hosts an article links to.
//! * [`frontmatter`] — the facts the gate reads from the signed front matter.
//! * [`dates`] — the date rule: back-dated and future `date`s.
//! * [`judge`] — publish or hold, with reasons; [`verdict`] — what it returns;
//!   [`matching`] — distinct-reviewer assignment and what a signer may add.

#![warn(missing_docs, unreachable_pub)]
#![forbid(unsafe_code)]

pub mod assets;
pub mod bipartite;
pub mod checks;
pub mod completion;
pub mod dates;
pub mod document;
pub mod facts;
pub mod frontmatter;
pub mod gateblock;
pub mod governance;
pub mod governance_v1;
pub mod governance_write;
pub mod hosts;
pub mod judge;
pub mod keyring;
pub mod keys;
pub mod matching;
pub mod messages;
pub mod policy;
pub mod reason;
pub mod returns;
pub mod roots;
pub mod rootset;
pub mod sources;
pub mod verdict;
pub mod verified;
pub mod write;
pub mod yaml;

pub use assets::{article_digest, asset_reasons, is_content_path, AssetFacts, AssetFile};
pub use checks::CLOCK_TOLERANCE_MINUTES;
pub use completion::{Board, DefaultLevel, LevelOption};
pub use dates::{DateFacts, DEFAULT_BACKDATE_TOLERANCE_DAYS};
pub use facts::{section_of, ArticleFacts, Reviews};
pub use frontmatter::{read_facts, FrontFacts};
pub use gateblock::{
    listed_assets, parse_document_gate, parse_gate, Gate, RawApproval, RawAssets, RawReturn,
    RawWithdrawal,
};
pub use governance::{
    previous_serial, read_governance, verify_governance, Governance, Seal, VerifiedGovernance,
};
pub use governance_v1::{
    read_governance_v1, sign_governance_v1, verify_governance_v1, GovernanceV1, READ_FILES,
};
pub use governance_write::{
    add_signature, render_governance, sign_governance, unsigned_governance,
};
pub use hosts::{host_matches, normalize_host, url_host};
pub use judge::{gate_file, judge, judge_parsed};
pub use keyring::{Keyring, Reviewer};
pub use keys::{
    fingerprint, format_openssh_public_key, format_public_key, generate_key, openssh_fingerprint,
    openssh_key_blob, parse_keyring_key, parse_public_key, parse_secret_key, parse_secret_key_der,
    secret_key_der, secret_key_pem,
};
pub use matching::{choose_level, missing_lines, names_of, useful_levels, SignRefusal};
pub use messages::{
    approval_message, governance_message, governance_message_v1, return_message, roots_message,
    sign_approval, sign_return, sign_withdrawal, withdrawal_message,
};
pub use policy::{ClassPolicy, Policy};
pub use reason::Code;
pub use returns::{latest_return, ReturnNote};
pub use roots::{read_roots, render_roots, trusted_set, RootVersion, Roots};
pub use rootset::{parse_pin, KeySignature, Pin, RootSet};
pub use sources::{Source, Sources};
pub use verdict::{level_label, role_label};
pub use verdict::{
    ApprovalCheck, ApprovalStatus, Reason, ReqKind, Requirement, Verdict, WithdrawalCheck,
    WithdrawalStatus,
};
pub use verified::{Verified, Verifier};
pub use write::{
    add_approval, add_return, remove_approvals, render_gate, rewrite_gate, set_assets,
    set_withdrawal, signed_by,
};

use thiserror::Error;

/// An error in one of the gate's inputs: which file, which line, what is
/// wrong and how to fix it (Chinese first, English term after).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}: {message}\n  修改方法：{help}", location(file, *line))]
pub struct GateError {
    /// Relative file name, e.g. `reviews/reviewers.yaml`.
    pub file: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn location(file: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{file} 第 {l} 行"),
        None => file.to_string(),
    }
}

impl GateError {
    /// Build an error from its parts.
    pub fn new(
        file: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> GateError {
        GateError {
            file: file.into(),
            line,
            message: message.into(),
            help: help.into(),
        }
    }
}
