//! Plain-text descriptions of an article's review state, shared by `sign`,
//! `withdraw` and `status`.

use crate::content::{schedule, Article, Content};
use crate::gate::{ApprovalCheck, ApprovalStatus, Requirement, Verdict, WithdrawalCheck};
use crate::publish::Decision;

/// 「A 一般信息」, 「B 重要信息」, 「C 特级信息」.
pub fn class_label(class: Option<&str>) -> String {
    match class {
        Some("A") => "A 一般信息".to_string(),
        Some("B") => "B 重要信息".to_string(),
        Some("C") => "C 特级信息".to_string(),
        Some(other) => format!("「{other}」（无效，应为 A、B 或 C）"),
        None => "未标注（缺少 class）".to_string(),
    }
}

/// 「政务动态（news）」.
pub fn column_label(content: &Content, a: &Article) -> String {
    match content.column(&a.column) {
        Some(c) if !c.title.is_empty() => format!("{}（{}）", c.title, c.id),
        _ => a.column.clone(),
    }
}

/// Whether the approval's signature verified under the reviewer's key.
pub fn signature_verifies(a: &ApprovalCheck) -> bool {
    !matches!(
        a.status,
        ApprovalStatus::BadSignature | ApprovalStatus::UnknownReviewer | ApprovalStatus::Malformed
    )
}

/// 「第1级」, or the level as written.
pub fn level_short(a: &ApprovalCheck) -> String {
    match a.level_number {
        Some(n) => format!("第{n}级"),
        None => format!("级别「{}」", a.level),
    }
}

/// One line per requirement: `✓ 第1级审核（责任编辑）：王芳，2026-… 签署`.
pub fn requirement_line(q: &Requirement, v: &Verdict) -> String {
    let extra = if q.from_external_links {
        format!("（正文链接到非政府网站：{}）", v.external_hosts.join("、"))
    } else {
        String::new()
    };
    if q.met {
        let a = q.approval.and_then(|i| v.approvals.get(i));
        let name = q
            .met_by_name
            .clone()
            .or_else(|| q.met_by.clone())
            .unwrap_or_default();
        let when = a
            .map(|a| format!("，{} 签署", a.signed_at))
            .unwrap_or_default();
        format!("✓ {}{extra}：{name}{when}", q.label)
    } else {
        format!("✗ {}{extra}：尚缺", q.label)
    }
}

/// One line per approval: who, level, when, status.
pub fn approval_line(a: &ApprovalCheck) -> String {
    let title = a
        .reviewer_title
        .as_deref()
        .map(|t| format!("（{t}）"))
        .unwrap_or_default();
    let head = format!(
        "{} {}{title} {}",
        level_short(a),
        a.display_name(),
        a.signed_at
    );
    if a.status == ApprovalStatus::Counts {
        format!("{head} —— {}", a.status.label())
    } else {
        format!("{head} —— {}：{}", a.status.label(), a.detail)
    }
}

/// The withdrawal, in one line.
pub fn withdrawal_line(w: &WithdrawalCheck) -> String {
    let who = w.reviewer_name.as_deref().unwrap_or(&w.reviewer);
    let sig = if w.signature_ok {
        "签名有效"
    } else {
        "签名无法验证，仍按撤稿处理"
    };
    format!("{who}于 {} 撤稿，理由：{}（{sig}）", w.at, w.reason)
}

/// The verdict in words: 「发布」, 「暂缓（held）」, or for an article held
/// only by its publication window 「定时发布（scheduled）」 /
/// 「已到期下线（expired）」.
pub fn verdict_word(d: &Decision) -> &'static str {
    if d.publish {
        "发布"
    } else if d.scheduled() {
        "定时发布（scheduled）"
    } else if d.expired() {
        "已到期下线（expired）"
    } else {
        "暂缓（held）"
    }
}

/// Lines for the 更新时间, the first commit and the publication window.
fn dates(a: &Article, d: &Decision) -> String {
    let mut out = String::new();
    if let Some(u) = a.updated {
        out.push_str(&format!(
            "  更新时间：{}（当前版本审核通过）\n",
            schedule::show(&u)
        ));
    }
    if let Some(c) = &a.created {
        out.push_str(&format!(
            "  创建记录：{}，{} 提交 {}\n",
            schedule::show(&c.at),
            c.author,
            crate::git::short(&c.commit)
        ));
    }
    if let Some(t) = d.publish_at {
        out.push_str(&format!("  定时发布：{} 起\n", schedule::show(&t)));
    }
    if let Some(t) = d.expires_at {
        out.push_str(&format!("  到期下线：{} 起不再发布\n", schedule::show(&t)));
    }
    out
}

/// The labels of the requirements not yet met.
pub fn missing(v: &Verdict) -> Vec<String> {
    v.requirements
        .iter()
        .filter(|q| !q.met)
        .map(|q| q.label.clone())
        .collect()
}

/// The block `status` prints for one article (also shown by `sign`).
pub fn describe(content: &Content, a: &Article, d: &Decision) -> String {
    let v = &d.verdict;
    let mut out = format!("{} 《{}》\n", a.file, a.title);
    if !a.readable {
        // A placeholder: nothing but the reason is known.
        out.push_str("  文件无法读取（unreadable），本次不发布\n");
        out.push_str(&format!("  结论：{}\n", verdict_word(d)));
        for r in &d.reasons {
            let line = r.line.map(|l| format!("（第 {l} 行）")).unwrap_or_default();
            out.push_str(&format!("    - {}{line}\n", r.message));
        }
        return out;
    }
    out.push_str(&format!(
        "  类别：{}　栏目：{}　日期：{}\n",
        class_label(a.class.as_deref()),
        column_label(content, a),
        a.date.format("%Y-%m-%d")
    ));
    out.push_str(&dates(a, d));
    out.push_str(&format!("  摘要（digest）：{}\n", v.digest));
    if !v.requirements.is_empty() {
        out.push_str("  审核要求：\n");
        for q in &v.requirements {
            out.push_str(&format!("    {}\n", requirement_line(q, v)));
        }
    }
    if v.approvals.is_empty() {
        out.push_str("  审核记录：无\n");
    } else {
        out.push_str("  审核记录：\n");
        for ap in &v.approvals {
            out.push_str(&format!("    {}\n", approval_line(ap)));
        }
    }
    if let Some(w) = &v.withdrawal {
        out.push_str(&format!("  撤稿：{}\n", withdrawal_line(w)));
    }
    out.push_str(&format!("  结论：{}\n", verdict_word(d)));
    for r in &d.reasons {
        let line = r.line.map(|l| format!("（第 {l} 行）")).unwrap_or_default();
        out.push_str(&format!("    - {}{line}\n", r.message));
    }
    if let Some(r) = &d.returned {
        out.push_str(&format!(
            "  退回意见：{}（{}，{}）：{}\n",
            r.reviewer_name, r.reviewer, r.at, r.comment
        ));
    }
    // Titles, names and reasons are user text: shown masked and escaped.
    crate::diag::safe(&out)
}
