//! `sanshen status [PATHS…] [--json] [--rev REV]`: the review state of
//! every article (or of those under PATHS). Exit status 1 if any is held
//! for review, so that CI on a merge request can use it; an article held
//! only by its publication window (定时发布 / 到期下线) does not count.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{json, Value};

use crate::commands::common::{self, RevArgs, SiteArgs};
use crate::commands::show;
use crate::content::{Article, Content};
use crate::diag::Diagnostics;
use crate::gate::{ApprovalCheck, ReqKind, Requirement, WithdrawalCheck};
use crate::publish::Decision;

/// Arguments of `sanshen status`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 只看这些文章或目录（默认：全部文章）
    pub paths: Vec<PathBuf>,
    /// 输出 JSON（供脚本与 CI 使用）
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub rev: RevArgs,
}

/// Run `sanshen status`.
pub fn run(args: &Args) -> ExitCode {
    let root = &args.site.root;
    let mut prefixes = Vec::new();
    let mut errors = Diagnostics::default();
    for p in &args.paths {
        let shown = p.display().to_string();
        if !p.exists() {
            errors.push(
                crate::diag::Diagnostic::new(&shown, "找不到该文件或目录")
                    .help("写出 content/ 下文章或栏目目录的路径。"),
            );
            continue;
        }
        match common::content_relative(root, p, &shown) {
            Ok(r) => prefixes.push(r),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return common::fail(errors);
    }
    let judged = match common::judge_source(&args.site, args.rev.rev.as_deref()) {
        Ok((_, j)) => j,
        Err(code) => return code,
    };
    let selected: Vec<(&Article, &Decision)> = judged
        .content
        .articles
        .iter()
        .zip(&judged.decisions)
        .filter(|(a, _)| {
            prefixes.is_empty()
                || prefixes
                    .iter()
                    .any(|p| p.is_empty() || a.path == *p || a.path.starts_with(&format!("{p}/")))
        })
        .collect();
    let held = selected.iter().filter(|(_, d)| d.held_for_review()).count();
    let scheduled: Vec<_> = selected.iter().filter(|(_, d)| d.scheduled()).collect();
    let expired: Vec<_> = selected.iter().filter(|(_, d)| d.expired()).collect();
    let mut text = String::new();
    if args.json {
        let list: Vec<Value> = selected
            .iter()
            .map(|(a, d)| article_json(&judged.content, a, d))
            .collect();
        text = serde_json::to_string_pretty(&Value::Array(list)).unwrap_or_default();
        text.push('\n');
    } else if std::io::stdout().is_terminal() && selected.len() > 1 {
        // On a terminal: an aligned table, the verdicts in colour.
        text = super::status_table::render(&selected, crate::diag::colour_wanted());
        text.push_str(
            "逐篇详情（审核要求与签署记录）：sanshen status 文章路径；供脚本使用：--json\n",
        );
        text.push_str(&summary(&selected, held, &scheduled, &expired));
    } else {
        for (a, d) in &selected {
            text.push_str(&show::describe(&judged.content, a, d));
            text.push('\n');
        }
        text.push_str(&window_section(
            "定时发布（scheduled）",
            "scheduled",
            &scheduled,
        ));
        text.push_str(&window_section(
            "已到期下线（expired）",
            "expired",
            &expired,
        ));
        text.push_str(&summary(&selected, held, &scheduled, &expired));
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if held > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

type Row<'a> = (&'a Article, &'a Decision);

/// 「共 N 篇：发布 …，暂缓 …[，定时发布 …][，已到期下线 …]。」
fn summary(selected: &[Row], held: usize, scheduled: &[&Row], expired: &[&Row]) -> String {
    let mut tail = String::new();
    if !scheduled.is_empty() {
        tail.push_str(&format!("，定时发布 {} 篇", scheduled.len()));
    }
    if !expired.is_empty() {
        tail.push_str(&format!("，已到期下线 {} 篇", expired.len()));
    }
    format!(
        "共 {} 篇：发布 {} 篇，暂缓 {held} 篇{tail}。\n",
        selected.len(),
        selected.iter().filter(|(_, d)| d.publish).count()
    )
}

/// The list of articles held only by their publication window.
fn window_section(title: &str, word: &str, list: &[&Row]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut out = format!("{title} {} 篇：\n", list.len());
    for (a, d) in list {
        let why = d.reasons.iter().find(|r| r.word == word);
        let why = why.map(|r| r.message.as_str()).unwrap_or("");
        out.push_str(&format!("  {}《{}》 {why}\n", a.file, a.title));
    }
    out.push('\n');
    out
}

fn requirement_json(q: &Requirement) -> Value {
    let (kind, value) = match &q.kind {
        ReqKind::Level(n) => ("level", json!(n)),
        ReqKind::Role(r) => ("role", json!(r)),
    };
    let mut out = json!({
        "kind": kind,
        "label": q.label,
        "met": q.met,
        "met_by": q.met_by,
        "met_by_name": q.met_by_name,
        "approval": q.approval,
        "from_external_links": q.from_external_links,
    });
    out[kind] = value;
    out
}

fn approval_json(a: &ApprovalCheck) -> Value {
    json!({
        "reviewer": a.reviewer,
        "name": a.reviewer_name,
        "title": a.reviewer_title,
        "role": a.reviewer_role,
        "level": a.level,
        "signed_at": a.signed_at,
        "digest": a.digest,
        "status": a.status.word().unwrap_or("counts"),
        "counts": a.status == crate::gate::ApprovalStatus::Counts,
        "label": a.status.label(),
        "detail": a.detail,
        "fingerprint": a.fingerprint,
        "line": a.line,
    })
}

fn withdrawal_json(w: &WithdrawalCheck) -> Value {
    json!({
        "reviewer": w.reviewer,
        "name": w.reviewer_name,
        "at": w.at,
        "reason": w.reason,
        "signature_ok": w.signature_ok,
        "detail": w.detail,
        "line": w.line,
    })
}

/// One article as JSON.
pub fn article_json(content: &Content, a: &Article, d: &Decision) -> Value {
    let v = &d.verdict;
    json!({
        "path": a.path,
        "file": a.file,
        "title": a.title,
        "class": a.class,
        "column": a.column,
        "column_title": content.column(&a.column).map(|c| c.title.clone()),
        "date": a.date.format("%Y-%m-%d").to_string(),
        "digest": v.digest,
        "publish": d.publish,
        "verdict": if d.publish {
            "publish"
        } else if d.scheduled() {
            "scheduled"
        } else if d.expired() {
            "expired"
        } else {
            "held"
        },
        "scheduled_at": d.publish_at.map(|t| t.to_rfc3339()),
        "expires_at": d.expires_at.map(|t| t.to_rfc3339()),
        "updated": a.updated.map(|t| t.to_rfc3339()),
        "created": a.created.as_ref().map(|c| json!({
            "at": c.at.to_rfc3339(),
            "commit": c.commit,
            "author": c.author,
        })),
        "reasons": d.reasons.iter().map(|r| json!({
            "word": r.word,
            "message": r.message,
            "line": r.line,
        })).collect::<Vec<_>>(),
        "requirements": v.requirements.iter().map(requirement_json).collect::<Vec<_>>(),
        "approvals": v.approvals.iter().map(approval_json).collect::<Vec<_>>(),
        "withdrawal": v.withdrawal.as_ref().map(withdrawal_json),
        "external_hosts": v.external_hosts,
    })
}
