//! The review state of every article, or of those under some paths
//! (审核状态): the judged site, the selection, and its machine-readable
//! form (`sanshen status --json`).

use std::borrow::Cow;
use std::path::PathBuf;

use serde::Serialize;

use super::site::{self, SiteOpts};
use super::Error;
use crate::content::{Article, Content};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate::Code;
use crate::gate::{ApprovalCheck, ApprovalStatus, ReqKind, Requirement, WithdrawalCheck};
use crate::pipeline::Judged;
use crate::publish::Decision;

/// The judged site and the articles asked about.
pub struct Status {
    pub judged: Judged,
    /// Indices of the selected articles, in site order.
    pub selected: Vec<usize>,
}

/// One selected article and its decision.
pub type Row<'a> = (&'a Article, &'a Decision);

impl Status {
    pub fn rows(&self) -> Vec<Row<'_>> {
        self.selected
            .iter()
            .map(|&i| (&self.judged.content.articles[i], &self.judged.decisions[i]))
            .collect()
    }

    /// How many are held for review (not merely by their publication
    /// window): the exit status is 1 when any is.
    pub fn held(&self) -> usize {
        self.rows()
            .iter()
            .filter(|(_, d)| d.held_for_review())
            .count()
    }

    /// The selection as JSON values.
    pub fn json(&self) -> Vec<ArticleJson<'_>> {
        self.rows()
            .into_iter()
            .map(|(a, d)| ArticleJson::new(&self.judged.content, a, d))
            .collect()
    }
}

/// Judge the site (work tree, or git revision `rev`) and select the
/// articles at or under `paths` (all when empty).
pub fn status(site: &SiteOpts, rev: Option<&str>, paths: &[PathBuf]) -> Result<Status, Error> {
    let mut prefixes = Vec::new();
    let mut errors = Diagnostics::default();
    for p in paths {
        let shown = p.display().to_string();
        if !p.exists() {
            errors.push(
                Diagnostic::new(&shown, "找不到该文件或目录")
                    .help("写出 content/ 下文章或栏目目录的路径。"),
            );
            continue;
        }
        match site::content_relative(&site.root, p, &shown) {
            Ok(r) => prefixes.push(r),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (_, judged) = site::judge_source(site, rev)?;
    let selected = judged
        .content
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            prefixes.is_empty()
                || prefixes
                    .iter()
                    .any(|p| p.is_empty() || a.path == *p || a.path.starts_with(&format!("{p}/")))
        })
        .map(|(i, _)| i)
        .collect();
    Ok(Status { judged, selected })
}

// The JSON types below list their fields in alphabetical order: the output
// has always had its keys sorted.

/// User text with personal numbers masked: no report carries a full ID or
/// mobile number (JSON escapes control characters itself).
fn masked(text: &str) -> Cow<'_, str> {
    let m = crate::rules::pii::mask_all(text);
    if m == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(m)
    }
}

/// One article in `sanshen status --json`.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    pub approvals: Vec<ApprovalJson<'a>>,
    pub class: &'a Option<String>,
    pub column: &'a str,
    pub column_title: Option<&'a str>,
    pub created: Option<CreatedJson<'a>>,
    /// `YYYY-MM-DD`
    pub date: String,
    pub digest: &'a str,
    pub expires_at: Option<String>,
    pub external_hosts: &'a [String],
    pub file: &'a str,
    pub path: &'a str,
    pub publish: bool,
    pub reasons: Vec<ReasonJson<'a>>,
    pub requirements: Vec<RequirementJson<'a>>,
    /// The latest return (退回意见) for this version; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned: Option<ReturnJson<'a>>,
    pub scheduled_at: Option<String>,
    pub title: Cow<'a, str>,
    pub updated: Option<String>,
    /// `publish`, `scheduled`, `expired` or `held`.
    pub verdict: &'static str,
    pub withdrawal: Option<WithdrawalJson<'a>>,
}

/// Where an article came from in git history.
#[derive(Debug, Serialize)]
pub struct CreatedJson<'a> {
    pub at: String,
    pub author: &'a str,
    pub commit: &'a str,
}

/// Why an article is held.
#[derive(Debug, Serialize)]
pub struct ReasonJson<'a> {
    pub line: Option<usize>,
    pub message: Cow<'a, str>,
    pub word: Code,
}

/// One requirement: `level` or `role` according to `kind`.
#[derive(Debug, Serialize)]
pub struct RequirementJson<'a> {
    pub approval: Option<usize>,
    pub from_external_links: bool,
    /// `level` or `role`.
    pub kind: &'static str,
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    pub met: bool,
    pub met_by: &'a Option<String>,
    pub met_by_name: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'a str>,
}

/// One approval in the gate block, checked.
#[derive(Debug, Serialize)]
pub struct ApprovalJson<'a> {
    pub counts: bool,
    pub detail: Cow<'a, str>,
    pub digest: &'a str,
    pub fingerprint: &'a Option<String>,
    pub label: &'static str,
    pub level: &'a str,
    pub line: usize,
    pub name: &'a Option<String>,
    pub reviewer: &'a str,
    pub role: &'a Option<String>,
    pub signed_at: &'a str,
    /// `counts`, or why it does not.
    pub status: &'static str,
    pub title: &'a Option<String>,
}

/// The latest verified return for the current version.
#[derive(Debug, Serialize)]
pub struct ReturnJson<'a> {
    pub at: &'a str,
    pub comment: Cow<'a, str>,
    pub line: usize,
    pub name: &'a str,
    pub reviewer: &'a str,
}

/// The withdrawal record, checked.
#[derive(Debug, Serialize)]
pub struct WithdrawalJson<'a> {
    pub at: &'a str,
    pub detail: Cow<'a, str>,
    pub line: usize,
    pub name: &'a Option<String>,
    pub reason: Cow<'a, str>,
    pub reviewer: &'a str,
    pub signature_ok: bool,
}

impl<'a> ArticleJson<'a> {
    pub fn new(content: &'a Content, a: &'a Article, d: &'a Decision) -> Self {
        let v = &d.verdict;
        ArticleJson {
            approvals: v.approvals.iter().map(ApprovalJson::new).collect(),
            class: &a.class,
            column: &a.column,
            column_title: content.column(&a.column).map(|c| c.title.as_str()),
            created: a.created.as_ref().map(|c| CreatedJson {
                at: c.at.to_rfc3339(),
                author: &c.author,
                commit: &c.commit,
            }),
            date: a.date.format("%Y-%m-%d").to_string(),
            digest: &v.digest,
            expires_at: d.expires_at.map(|t| t.to_rfc3339()),
            external_hosts: &v.external_hosts,
            file: &a.file,
            path: &a.path,
            publish: d.publish,
            reasons: d
                .reasons
                .iter()
                .map(|r| ReasonJson {
                    line: r.line,
                    message: masked(&r.message),
                    word: r.word,
                })
                .collect(),
            requirements: v.requirements.iter().map(RequirementJson::new).collect(),
            returned: d.returned.as_ref().map(|r| ReturnJson {
                at: &r.at,
                comment: masked(&r.comment),
                line: r.line,
                name: &r.reviewer_name,
                reviewer: &r.reviewer,
            }),
            scheduled_at: d.publish_at.map(|t| t.to_rfc3339()),
            title: masked(&a.title),
            updated: a.updated.map(|t| t.to_rfc3339()),
            verdict: if d.publish {
                "publish"
            } else if d.scheduled() {
                "scheduled"
            } else if d.expired() {
                "expired"
            } else {
                "held"
            },
            withdrawal: v.withdrawal.as_ref().map(WithdrawalJson::new),
        }
    }
}

impl<'a> RequirementJson<'a> {
    fn new(q: &'a Requirement) -> Self {
        let (kind, level, role) = match &q.kind {
            ReqKind::Level(n) => ("level", Some(*n), None),
            ReqKind::Role(r) => ("role", None, Some(r.as_str())),
        };
        RequirementJson {
            approval: q.approval,
            from_external_links: q.from_external_links,
            kind,
            label: &q.label,
            level,
            met: q.met,
            met_by: &q.met_by,
            met_by_name: &q.met_by_name,
            role,
        }
    }
}

impl<'a> ApprovalJson<'a> {
    fn new(a: &'a ApprovalCheck) -> Self {
        ApprovalJson {
            counts: a.status == ApprovalStatus::Counts,
            detail: masked(&a.detail),
            digest: &a.digest,
            fingerprint: &a.fingerprint,
            label: a.status.label(),
            level: &a.level,
            line: a.line,
            name: &a.reviewer_name,
            reviewer: &a.reviewer,
            role: &a.reviewer_role,
            signed_at: &a.signed_at,
            status: a.status.word().unwrap_or("counts"),
            title: &a.reviewer_title,
        }
    }
}

impl<'a> WithdrawalJson<'a> {
    fn new(w: &'a WithdrawalCheck) -> Self {
        WithdrawalJson {
            at: &w.at,
            detail: masked(&w.detail),
            line: w.line,
            name: &w.reviewer_name,
            reason: masked(&w.reason),
            reviewer: &w.reviewer,
            signature_ok: w.signature_ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::ops::sign::{self, SignRequest};
    use crate::ops::testsite::TestSite;
    use crate::ops::withdraw::{self, WithdrawRequest};

    // The hand-assembled JSON this module replaced: the output must not change.
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
            "counts": a.status == ApprovalStatus::Counts,
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
    fn article_json(content: &Content, a: &Article, d: &Decision) -> Value {
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

    #[test]
    fn json_is_what_it_always_was() {
        let s = TestSite::new();
        let a = s.article("a.md", "B", "B类文章");
        s.article("b.md", "C", "C类文章");
        let w = s.article("w.md", "A", "撤稿文章");
        let opts = s.opts();
        let editor = s.signer("editor");
        let req = SignRequest {
            site: &opts,
            article: &a,
            key: &editor,
            level: None,
        };
        sign::sign(&req, |_| Ok(true)).unwrap();
        withdraw::withdraw(&WithdrawRequest {
            site: &opts,
            article: &w,
            key: &editor,
            reason: "错误",
        })
        .unwrap();
        let st = status(&opts, None, &[]).unwrap();
        assert_eq!(st.selected.len(), 3);
        assert_eq!(st.held(), 3);
        let old: Vec<Value> = st
            .rows()
            .iter()
            .map(|(a, d)| article_json(&st.judged.content, a, d))
            .collect();
        let old = serde_json::to_string_pretty(&Value::Array(old)).unwrap();
        let new = serde_json::to_string_pretty(&st.json()).unwrap();
        assert_eq!(new, old);
        assert!(new.contains("\"withdrawal\": {"), "{new}");
        assert!(new.contains("\"kind\": \"role\""), "{new}");
    }
}
