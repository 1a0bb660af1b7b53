//! 签发 / 退回 / 撤稿 / 撤回签署 from the desk: the sign confirmation page, then the
//! operations (`ops::sign`, `ops::returns`, `ops::withdraw`) with the key
//! loaded at the start, and a git commit of the file written.

use std::collections::HashMap;
use std::path::PathBuf;

use super::http::encode;
use super::page::{csrf_field, esc, message, page, Frame};
use super::view::View;
use super::Desk;
use crate::content::CONTENT_DIR;
use crate::describe::class_label;
use crate::gate::{level_label, role_label, Code};
use crate::ops::returns::{self, ReturnRequest};
use crate::ops::sign::{self, SignRequest};
use crate::ops::unsign::{self, UnsignRequest};
use crate::ops::withdraw::{self, WithdrawRequest};
use crate::ops::Error;

/// The sign confirmation: title, class, level and role, again.
pub fn confirm_sign(desk: &Desk, v: &View, i: usize) -> String {
    let (a, d) = v.article(i);
    let back = format!("/_review/article?a={}", encode(&a.path));
    let level = match v.can_sign(i) {
        Ok(l) => l,
        Err(r) => return message(&v.frame(), "不能签发", &[r.message, r.help], Some(&back)),
    };
    let me = v.me();
    let body = format!(
        "<h1>确认签发</h1><div class=\"box\"><dl>\
<dt>标题</dt><dd>{}</dd><dt>信息类别</dt><dd>{}</dd>\
<dt>审核级别</dt><dd>{}</dd><dt>签署人及角色</dt><dd>{}（{}），{}</dd>\
<dt>摘要（digest）</dt><dd><code>{}</code></dd></dl></div>\
<p>签发表示您已审阅这一版文章（含引用的图片和附件）。文章再有任何改动，本签署即失效。</p>\
<form method=\"post\" action=\"/_review/sign\">{}\
<input type=\"hidden\" name=\"a\" value=\"{}\"><input type=\"hidden\" name=\"digest\" value=\"{}\">\
<button type=\"submit\" class=\"primary\">确认签发</button> <a href=\"{back}\">取消</a></form>",
        esc(&a.title),
        esc(&class_label(a.class.as_deref())),
        level_label(level),
        esc(&me.name),
        esc(&me.title),
        esc(&role_label(&me.role)),
        esc(&d.verdict.digest),
        csrf_field(&desk.csrf),
        esc(&a.path),
        esc(&d.verdict.digest),
    );
    page(&v.frame(), "确认签发", &body)
}

/// The article file for a content path.
fn file_of(desk: &Desk, rel: &str) -> PathBuf {
    desk.site.root.join(CONTENT_DIR).join(rel)
}

/// Commit the file; the line to show.
fn commit(desk: &Desk, v: &View, file: &str, msg: &str) -> String {
    let me = v.me();
    let email = format!("{}@localhost", me.id);
    match crate::git::commit::commit_file(&desk.site.root, file, msg, &me.name, &email) {
        Ok(Some(id)) => format!(
            "已提交到 git（{}）：{msg}。推送（git push）请照常进行。",
            crate::git::short(&id)
        ),
        Ok(None) => "站点不在 git 仓库中：文件已写入，未提交。".to_string(),
        Err(d) => format!("文件已写入，但 git 提交失败：{}", d.message),
    }
}

/// The lines of an operation's error, in Chinese.
fn error_lines(e: Error) -> Vec<String> {
    match e {
        Error::Refused {
            what,
            message,
            help,
        } => vec![format!("{what}：{message}"), help],
        other => other.to_string().lines().map(str::to_string).collect(),
    }
}

fn done(frame: &Frame, title: &str, lines: Vec<String>, rel: &str) -> String {
    let back = format!("/_review/article?a={}", encode(rel));
    message(frame, title, &lines, Some(&back))
}

/// POST /_review/sign.
pub fn sign(desk: &Desk, v: &View, i: usize, form: &HashMap<String, String>) -> String {
    let a = v.article(i).0;
    let path = file_of(desk, &a.path);
    let req = SignRequest {
        site: &desk.site,
        article: &path,
        key: desk.signer(),
        level: None,
    };
    let shown = form.get("digest").cloned().unwrap_or_default();
    let result = sign::sign(&req, |plan| {
        if plan.signing.decision().verdict.digest == shown {
            Ok(true)
        } else {
            Err("文章在您确认之后被修改了：请回到文章页重新审阅".to_string())
        }
    });
    match result {
        Ok(s) => {
            let msg = format!(
                "签发：《{}》{}（{}）",
                a.title,
                level_label(s.level),
                s.reviewer_name
            );
            let mut lines = vec![format!(
                "已签发：{}，{}。",
                level_label(s.level),
                s.signed_at
            )];
            lines.push(match &s.after {
                Some(d) if d.publish => "审核要求已全部满足：下次构建时将发布。".to_string(),
                Some(d) if d.reasons.iter().any(|r| r.word != Code::Pending) => {
                    // Say what blocks it (a dead link, a rule finding), not
                    // only that others have to sign.
                    let why: Vec<&str> = d
                        .reasons
                        .iter()
                        .filter(|r| r.word != Code::Pending)
                        .map(|r| r.message.as_str())
                        .collect();
                    format!("文章仍暂缓发布：{}", why.join("；"))
                }
                _ => "文章仍暂缓发布，等待其他审核人。".to_string(),
            });
            lines.push(commit(desk, v, &s.file, &msg));
            done(&v.frame(), "已签发", lines, &a.path)
        }
        Err(e) => done(&v.frame(), "未签发", error_lines(e.into()), &a.path),
    }
}

/// POST /_review/return.
pub fn return_article(desk: &Desk, v: &View, i: usize, form: &HashMap<String, String>) -> String {
    let a = v.article(i).0;
    let path = file_of(desk, &a.path);
    let comment = form.get("comment").map(String::as_str).unwrap_or("");
    let req = ReturnRequest {
        site: &desk.site,
        article: &path,
        comment,
    };
    match returns::return_with(&req, desk.signer()) {
        Ok(r) => {
            let msg = format!(
                "退回：《{}》（{}）：{}",
                r.title, r.reviewer_name, r.comment
            );
            let lines = vec![
                format!("已退回，意见已写入文章的审核区（{}）。", r.at),
                "退回不影响发布：编辑在 sanshen status 和预览中会看到这条意见。".to_string(),
                commit(desk, v, &r.file, &msg),
            ];
            done(&v.frame(), "已退回", lines, &a.path)
        }
        Err(e) => done(&v.frame(), "未退回", error_lines(e.into()), &a.path),
    }
}

/// POST /_review/withdraw.
pub fn withdraw(desk: &Desk, v: &View, i: usize, form: &HashMap<String, String>) -> String {
    let a = v.article(i).0;
    let path = file_of(desk, &a.path);
    let reason = form.get("reason").map(String::as_str).unwrap_or("");
    let req = WithdrawRequest {
        site: &desk.site,
        article: &path,
        key: desk.signer(),
        reason,
    };
    match withdraw::withdraw(&req) {
        Ok(w) => {
            let msg = format!("撤稿：《{}》（{}）：{}", w.title, w.reviewer.name, w.reason);
            let lines = vec![
                format!(
                    "已撤稿（{}）：下次构建时，文章从网站的所有页面、订阅和网站地图中撤下。",
                    w.at
                ),
                commit(desk, v, &w.file, &msg),
            ];
            done(&v.frame(), "已撤稿", lines, &a.path)
        }
        Err(e) => done(&v.frame(), "未撤稿", error_lines(e.into()), &a.path),
    }
}

/// POST /_review/unsign: take back this reviewer's own approvals.
pub fn unsign(desk: &Desk, v: &View, i: usize) -> String {
    let a = v.article(i).0;
    let path = file_of(desk, &a.path);
    let req = UnsignRequest {
        site: &desk.site,
        article: &path,
        key: desk.signer(),
        level: None,
    };
    match unsign::unsign(&req) {
        Ok(u) => {
            let msg = format!("撤回签署：《{}》（{}）", u.title, u.reviewer.name);
            let lines = vec![
                format!("已撤回您在这篇文章上的 {} 条签署。", u.removed.len()),
                match &u.after {
                    Some(d) if d.publish => {
                        "其余审核仍满足全部要求：下次构建时照常发布。".to_string()
                    }
                    _ => "文章暂缓发布，等待重新审核。".to_string(),
                },
                commit(desk, v, &u.file, &msg),
            ];
            done(&v.frame(), "已撤回签署", lines, &a.path)
        }
        Err(e) => done(&v.frame(), "未撤回", error_lines(e.into()), &a.path),
    }
}
