//! What the judge returns: publish or hold, the reasons,
//! each requirement and who met it, and every approval with its status —
//! everything `sanshen status` and the 三级审核表 print.

use super::reason::Code;
use super::GateError;

/// The status of one approval (spec §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalStatus {
    /// Counts towards the requirements.
    Counts,
    /// Signed over an earlier version of the article.
    Stale,
    /// The signature does not verify under the reviewer's key.
    BadSignature,
    /// The reviewer is not in the keyring.
    UnknownReviewer,
    /// `level` above the reviewer's keyring level.
    OverLevel,
    /// The article's section is outside the reviewer's `sections`.
    OutOfScope,
    /// The reviewer's key is revoked.
    KeyRevoked,
    /// `signed_at` outside `valid_from ≤ t < valid_until`.
    KeyNotValid,
    /// `signed_at` more than 5 minutes after the build's clock.
    Future,
    /// A key is missing or a value cannot be read.
    Malformed,
}

impl ApprovalStatus {
    /// The spec's reason code; `None` for [`ApprovalStatus::Counts`].
    pub fn code(self) -> Option<Code> {
        Some(match self {
            ApprovalStatus::Counts => return None,
            ApprovalStatus::Stale => Code::Stale,
            ApprovalStatus::BadSignature => Code::BadSignature,
            ApprovalStatus::UnknownReviewer => Code::UnknownReviewer,
            ApprovalStatus::OverLevel => Code::Level,
            ApprovalStatus::OutOfScope => Code::Scope,
            ApprovalStatus::KeyRevoked => Code::KeyRevoked,
            ApprovalStatus::KeyNotValid => Code::KeyNotValid,
            ApprovalStatus::Future => Code::Future,
            ApprovalStatus::Malformed => Code::Unreadable,
        })
    }

    /// The spec's reason word; `None` for [`ApprovalStatus::Counts`].
    pub fn word(self) -> Option<&'static str> {
        self.code().map(Code::word)
    }

    /// A short Chinese label for tables.
    pub fn label(self) -> &'static str {
        match self {
            ApprovalStatus::Counts => "有效",
            ApprovalStatus::Stale => "已过期（文章已修改）",
            ApprovalStatus::BadSignature => "签名无效",
            ApprovalStatus::UnknownReviewer => "未知审核人",
            ApprovalStatus::OverLevel => "越级",
            ApprovalStatus::OutOfScope => "超出栏目范围",
            ApprovalStatus::KeyRevoked => "密钥已吊销",
            ApprovalStatus::KeyNotValid => "密钥不在有效期",
            ApprovalStatus::Future => "签署时间在未来",
            ApprovalStatus::Malformed => "格式错误",
        }
    }

    /// Which non-counting approval becomes the main reason: lower first.
    pub(crate) fn rank(self) -> u8 {
        match self {
            ApprovalStatus::BadSignature => 0,
            ApprovalStatus::UnknownReviewer => 1,
            ApprovalStatus::KeyRevoked => 2,
            ApprovalStatus::KeyNotValid => 3,
            ApprovalStatus::Future => 4,
            ApprovalStatus::Stale => 5,
            ApprovalStatus::OverLevel => 6,
            ApprovalStatus::OutOfScope => 7,
            ApprovalStatus::Malformed => 8,
            ApprovalStatus::Counts => 9,
        }
    }
}

/// One approval found in the gate block, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalCheck {
    /// Reviewer id as written.
    pub reviewer: String,
    /// From the keyring, when the reviewer is known.
    pub reviewer_name: Option<String>,
    /// The reviewer's post, when in the keyring.
    pub reviewer_title: Option<String>,
    /// The reviewer's role, when in the keyring.
    pub reviewer_role: Option<String>,
    /// Level as written, and as a number when it is 1–4.
    pub level: String,
    /// `level` as a number, when it is one.
    pub level_number: Option<u8>,
    /// `signed_at`, as written.
    pub signed_at: String,
    /// The digest the reviewer signed.
    pub digest: String,
    /// Whether and why the approval counts.
    pub status: ApprovalStatus,
    /// A Chinese sentence explaining the status.
    pub detail: String,
    /// Fingerprint of the reviewer's key, when known.
    pub fingerprint: Option<String>,
    /// 1-based line of the item in the article file.
    pub line: usize,
}

impl ApprovalCheck {
    /// The name to show: the keyring name, else the id.
    pub fn display_name(&self) -> &str {
        self.reviewer_name.as_deref().unwrap_or(&self.reviewer)
    }
}

/// Status of a withdrawal (撤稿). Whatever it is, the article is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithdrawalStatus {
    /// Signed by a valid key.
    Valid,
    /// The signature does not verify (forgery or tampering).
    BadSignature,
    /// The reviewer is not in the keyring.
    UnknownReviewer,
    /// The reviewer's key is revoked.
    KeyRevoked,
    /// Signed outside the key's validity period.
    KeyNotValid,
    /// Signed later than the clock allows.
    Future,
    /// A field is missing or malformed.
    Malformed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A withdrawal (撤稿) as the judge checked it.
pub struct WithdrawalCheck {
    /// Reviewer id, as written.
    pub reviewer: String,
    /// Reviewer name, when in the keyring.
    pub reviewer_name: Option<String>,
    /// `at`, as written.
    pub at: String,
    /// `reason`, as written.
    pub reason: String,
    /// Whether the signature verifies under the named reviewer's key.
    pub signature_ok: bool,
    /// Whether the signature is valid.
    pub status: WithdrawalStatus,
    /// Details for reports, in Chinese.
    pub detail: String,
    /// Fingerprint of the signing key, when known.
    pub fingerprint: Option<String>,
    /// 1-based line of the block in the article file.
    pub line: usize,
}

/// One requirement of the article (a review level or a role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReqKind {
    /// An approval at this review level.
    Level(u8),
    /// An approval by a reviewer of this role.
    Role(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// One requirement of an article's class and links, and who met it.
pub struct Requirement {
    /// A level or a role.
    pub kind: ReqKind,
    /// Chinese label, e.g. 「第2级审核（网站分管领导）」.
    pub label: String,
    /// Added because the body links to a non-government host.
    pub from_external_links: bool,
    /// Met by a counting approval.
    pub met: bool,
    /// The reviewer assigned to this requirement, when met.
    pub met_by: Option<String>,
    /// The name of the reviewer who met it.
    pub met_by_name: Option<String>,
    /// Index into [`Verdict::approvals`] of the approval used.
    pub approval: Option<usize>,
    /// Every reviewer id whose counting approvals could meet it.
    pub candidates: Vec<String>,
}

/// Why an article is held. `word` is one of the spec's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The spec's reason word (`pending`, `stale`, …).
    pub word: Code,
    /// What is wrong, in Chinese.
    pub message: String,
    /// 1-based line in the article file, when one is to blame.
    pub line: Option<usize>,
}

/// The gate's decision on one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Published: approved and nothing holds it.
    pub publish: bool,
    /// Empty iff `publish`; the main reason first.
    pub reasons: Vec<Reason>,
    /// Every requirement and who met it.
    pub requirements: Vec<Requirement>,
    /// Every approval of the gate block with its status.
    pub approvals: Vec<ApprovalCheck>,
    /// The withdrawal, if any.
    pub withdrawal: Option<WithdrawalCheck>,
    /// The article's current digest.
    pub digest: String,
    /// The class, when it is A, B or C.
    pub class: Option<String>,
    /// Linked hosts that are neither the site nor government.
    pub external_hosts: Vec<String>,
    /// Whether the policy asks for distinct reviewers.
    pub distinct_reviewers: bool,
    /// Set when the gate block could not be read.
    pub gate_error: Option<GateError>,
}

impl Verdict {
    /// The first (main) reason, if held.
    pub fn main_reason(&self) -> Option<&Reason> {
        self.reasons.first()
    }
}

/// 「第n级审核（…）」
pub fn level_label(n: u8) -> String {
    let who = match n {
        1 => "责任编辑",
        2 => "网站分管领导",
        3 => "区委区政府分管领导",
        _ => "主要领导",
    };
    format!("第{n}级审核（{who}）")
}

/// 「主要领导（principal）审核」
pub fn role_label(role: &str) -> String {
    let who = match role {
        "editor" => "责任编辑",
        "leader" => "网站分管领导",
        "official" => "区委区政府分管领导",
        "principal" => "主要领导",
        "security" => "分管网站安全工作的负责同志",
        other => return format!("{other}角色审核"),
    };
    format!("{who}（{role}）审核")
}
