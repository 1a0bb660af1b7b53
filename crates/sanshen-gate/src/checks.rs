//! Checking one approval (spec §3) or a withdrawal (spec §4) against the
//! keyring, with a Chinese explanation of the outcome.

use chrono::{DateTime, FixedOffset, TimeDelta};

use super::gateblock::{RawApproval, RawWithdrawal};
use super::keyring::{Keyring, Reviewer};
use super::messages::{approval_message, withdrawal_message};
use super::verdict::{ApprovalCheck, ApprovalStatus, WithdrawalCheck, WithdrawalStatus};
use super::verified::Verifier;
use super::yaml::parse_time;

/// How far after the build's clock a `signed_at` may lie.
pub const CLOCK_TOLERANCE_MINUTES: i64 = 5;

fn in_future(t: &DateTime<FixedOffset>, now: &DateTime<FixedOffset>) -> bool {
    *t > *now + TimeDelta::minutes(CLOCK_TOLERANCE_MINUTES)
}

fn validity(r: &Reviewer) -> String {
    match &r.valid_until {
        Some(u) => format!("{} 至 {}", r.valid_from.to_rfc3339(), u.to_rfc3339()),
        None => format!("{} 起", r.valid_from.to_rfc3339()),
    }
}

/// Check one approval of the article at `path` (relative to content/),
/// whose current digest is `digest`.
pub fn check_approval(
    keyring: &Keyring,
    verifier: &Verifier,
    path: &str,
    section: &str,
    digest: &str,
    a: &RawApproval,
    now: &DateTime<FixedOffset>,
) -> ApprovalCheck {
    let reviewer = a.reviewer.clone().unwrap_or_default();
    let r = keyring.get(&reviewer);
    let mut c = ApprovalCheck {
        reviewer: reviewer.clone(),
        reviewer_name: r.map(|r| r.name.clone()),
        reviewer_title: r.map(|r| r.title.clone()),
        reviewer_role: r.map(|r| r.role.clone()),
        level: a.level.clone().unwrap_or_default(),
        level_number: a.level_number(),
        signed_at: a.signed_at.clone().unwrap_or_default(),
        digest: a.digest.clone().unwrap_or_default(),
        status: ApprovalStatus::Counts,
        detail: String::new(),
        fingerprint: r.map(|r| r.fingerprint()),
        line: a.line,
    };
    let name = c.display_name().to_string();
    let missing: Vec<&str> = [
        ("reviewer", &a.reviewer),
        ("level", &a.level),
        ("signed_at", &a.signed_at),
        ("digest", &a.digest),
        ("signature", &a.signature),
    ]
    .iter()
    .filter(|(_, v)| v.is_none())
    .map(|(k, _)| *k)
    .collect();
    let (status, detail) = if !missing.is_empty() {
        (
            ApprovalStatus::Malformed,
            format!(
                "第 {} 行的审核记录缺少 {}（unreadable）",
                a.line,
                missing.join("、")
            ),
        )
    } else if let Some(r) = r {
        judge_known(verifier, r, path, section, digest, a, &c, now)
    } else {
        (
            ApprovalStatus::UnknownReviewer,
            format!("审核人 `{reviewer}` 不在审核人名单（reviews/reviewers.yaml）中（unknown-reviewer）"),
        )
    };
    c.status = status;
    c.detail = if status == ApprovalStatus::Counts {
        format!("{name}的第{}级审核有效", c.level)
    } else {
        detail.replace("{name}", &name)
    };
    c
}

#[allow(clippy::too_many_arguments)]
fn judge_known(
    verifier: &Verifier,
    r: &Reviewer,
    path: &str,
    section: &str,
    digest: &str,
    a: &RawApproval,
    c: &ApprovalCheck,
    now: &DateTime<FixedOffset>,
) -> (ApprovalStatus, String) {
    use ApprovalStatus::*;
    let Some(level) = c.level_number else {
        let msg = format!(
            "{{name}}的审核级别 `{}` 无效：只能是 1–4（unreadable）",
            c.level
        );
        return (Malformed, msg);
    };
    let Some(signed) = parse_time(&c.signed_at) else {
        let msg = format!(
            "{{name}}的签署时间 `{}` 不是带时区的 RFC 3339 时间（unreadable）",
            c.signed_at
        );
        return (Malformed, msg);
    };
    let message = approval_message(path, &c.digest, &c.level, &c.reviewer, &c.signed_at);
    let signature = a.signature.as_deref().unwrap_or_default();
    if !verifier.verify(&r.key, message.as_bytes(), signature) {
        let msg = "{name}的签名无法验证：可能被篡改，或文章在审核后被移动（bad-signature）";
        return (BadSignature, msg.to_string());
    }
    if r.revoked {
        let msg = "{name}的密钥已吊销，其全部审核无效（key-revoked）";
        return (KeyRevoked, msg.to_string());
    }
    if c.digest != digest {
        let msg = "{name}的审核已过期：文章在审核后被修改（stale）";
        return (Stale, msg.to_string());
    }
    if level > r.level {
        let msg = format!(
            "{{name}}最高只能做第{}级审核，不能签第{level}级（level）",
            r.level
        );
        return (OverLevel, msg);
    }
    if !r.covers(section) {
        let list = r.sections.as_deref().unwrap_or_default().join("、");
        let msg = format!("{{name}}负责的栏目是「{list}」，不含「{section}」（scope）");
        return (OutOfScope, msg);
    }
    if !r.valid_at(&signed) {
        let msg = format!(
            "{{name}}签署时（{}）密钥不在有效期内（{}）（key-not-valid）",
            c.signed_at,
            validity(r)
        );
        return (KeyNotValid, msg);
    }
    if in_future(&signed, now) {
        let msg = format!(
            "{{name}}的签署时间 {} 晚于构建时间 {} 超过 {CLOCK_TOLERANCE_MINUTES} 分钟（future）",
            c.signed_at,
            now.to_rfc3339()
        );
        return (Future, msg);
    }
    (Counts, String::new())
}

/// Check a withdrawal. The article is held whatever the outcome.
pub fn check_withdrawal(
    keyring: &Keyring,
    verifier: &Verifier,
    path: &str,
    w: &RawWithdrawal,
    now: &DateTime<FixedOffset>,
) -> WithdrawalCheck {
    use WithdrawalStatus::*;
    let reviewer = w.reviewer.clone().unwrap_or_default();
    let r = keyring.get(&reviewer);
    let at = w.at.clone().unwrap_or_default();
    let reason = w.reason.clone().unwrap_or_default();
    let name = r
        .map(|r| r.name.clone())
        .unwrap_or_else(|| reviewer.clone());
    let signature_ok = match (r, &w.reviewer, &w.at, &w.reason, &w.signature) {
        (Some(r), Some(_), Some(_), Some(_), Some(sig)) => {
            let m = withdrawal_message(path, &reviewer, &at, &reason);
            verifier.verify(&r.key, m.as_bytes(), sig)
        }
        _ => false,
    };
    let fields_ok =
        w.reviewer.is_some() && w.at.is_some() && w.reason.is_some() && w.signature.is_some();
    let time = parse_time(&at);
    let (status, detail) = match (r, time) {
        _ if !fields_ok => (
            Malformed,
            "撤稿记录不完整：须有 reviewer、at、reason、signature".to_string(),
        ),
        (None, _) => (
            UnknownReviewer,
            format!("撤稿人 `{reviewer}` 不在审核人名单中"),
        ),
        (Some(_), None) => (
            Malformed,
            format!("撤稿时间 `{at}` 不是带时区的 RFC 3339 时间"),
        ),
        (Some(_), Some(_)) if !signature_ok => (
            BadSignature,
            format!("{name}的撤稿签名无法验证（bad-signature）"),
        ),
        (Some(r), Some(_)) if r.revoked => {
            (KeyRevoked, format!("{name}的密钥已吊销（key-revoked）"))
        }
        (Some(r), Some(t)) if !r.valid_at(&t) => (
            KeyNotValid,
            format!("{name}撤稿时密钥不在有效期内（key-not-valid）"),
        ),
        (Some(_), Some(t)) if in_future(&t, now) => {
            (Future, format!("撤稿时间 {at} 晚于构建时间（future）"))
        }
        _ => (Valid, format!("{name}于 {at} 撤稿，签名有效")),
    };
    WithdrawalCheck {
        reviewer,
        reviewer_name: r.map(|r| r.name.clone()),
        at,
        reason,
        signature_ok,
        status,
        detail,
        fingerprint: r.map(|r| r.fingerprint()),
        line: w.line,
    }
}
