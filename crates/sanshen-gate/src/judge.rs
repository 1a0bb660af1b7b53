//! The heart of the gate: publish or hold one article, with reasons.

use chrono::{DateTime, FixedOffset};

use crate::document::Document;

use super::assets::{article_digest, asset_reasons};
use super::bipartite::assign;
use super::checks::{check_approval, check_withdrawal};
use super::facts::{section_of, ArticleFacts, Reviews};
use super::gateblock::{parse_document_gate, Gate};
use super::hosts::{host_matches, normalize_host, url_host};
use super::policy::Policy;
use super::reason::Code;
use super::verdict::{
    level_label, role_label, ApprovalCheck, ApprovalStatus, Reason, ReqKind, Requirement, Verdict,
};
use super::yaml::find_key_line;
use super::GateError;

fn fm_line(doc: &Document, key: &str) -> Option<usize> {
    super::yaml::key_line(doc.front_matter(), &[key])
        .or_else(|| find_key_line(doc.front_matter(), key, 1, 1))
        .map(|l| doc.front_matter_line + l - 1)
}

/// Judge one article at the build's clock `now`. Never fails: an article
/// that cannot be read is held with `unreadable`. The hosts the article's
/// links and embedded resources reach are given by the caller
/// ([`ArticleFacts::hosts`], from its link model over the rendered HTML).
pub fn judge(
    reviews: &Reviews,
    art: &ArticleFacts,
    site_host: &str,
    now: DateTime<FixedOffset>,
) -> Verdict {
    let gate = parse_document_gate(&gate_file(art.path), art.doc);
    judge_parsed(reviews, art, &gate, site_host, now)
}

/// How the gate names an article (`path` relative to `content/`) in the
/// errors of its gate block: `content/news/a.md`.
pub fn gate_file(path: &str) -> String {
    format!("content/{path}")
}

/// [`judge`] with the article's gate block already parsed
/// (`parse_document_gate(&gate_file(art.path), art.doc)`), for a caller
/// that reads the block for other needs too.
pub fn judge_parsed(
    reviews: &Reviews,
    art: &ArticleFacts,
    parsed: &Result<Gate, GateError>,
    site_host: &str,
    now: DateTime<FixedOffset>,
) -> Verdict {
    let doc = art.doc;
    let section = section_of(art.path);
    let empty = Gate::default();
    let (gate, gate_error) = match parsed {
        Ok(g) => (g, None),
        Err(e) => (&empty, Some(e.clone())),
    };
    let list = gate
        .assets
        .as_ref()
        .map(|a| a.paths.as_slice())
        .unwrap_or(&[]);
    // Without the listed files' bytes there is no digest to match: every
    // approval is stale and the `asset` reason says why.
    let digest = article_digest(doc, list, art.assets).unwrap_or_default();
    let kr = &reviews.keyring;
    let approvals: Vec<ApprovalCheck> = gate
        .approvals
        .iter()
        .map(|a| check_approval(kr, &reviews.verifier, art.path, section, &digest, a, &now))
        .collect();
    let withdrawal = gate
        .withdrawn
        .as_ref()
        .map(|w| check_withdrawal(kr, &reviews.verifier, art.path, w, &now));

    let class = art
        .class
        .filter(|c| reviews.policy.class(c).is_some())
        .map(str::to_string);
    let site = if site_host.contains("://") {
        url_host(site_host).unwrap_or_default()
    } else {
        normalize_host(site_host.split(':').next().unwrap_or(""))
    };
    let gov = &reviews.policy.government_hosts;
    let mut external_hosts: Vec<String> = art
        .hosts
        .iter()
        .map(|h| normalize_host(h))
        .filter(|h| !h.is_empty() && *h != site && !gov.iter().any(|p| host_matches(h, p)))
        .collect();
    external_hosts.sort();
    external_hosts.dedup();
    let mut requirements = requirements_of(
        &reviews.policy,
        class.as_deref(),
        !external_hosts.is_empty(),
    );
    fill(
        &mut requirements,
        &approvals,
        reviews.policy.distinct_reviewers,
    );
    let approved = class.is_some() && requirements.iter().all(|q| q.met);

    let mut reasons = Vec::new();
    if let Some(e) = &gate_error {
        reasons.push(Reason {
            word: Code::Unreadable,
            message: format!("审核区无法读取：{}", e.message),
            line: e.line,
        });
    }
    if let Some(w) = &withdrawal {
        let who = w.reviewer_name.as_deref().unwrap_or(&w.reviewer);
        let mut message = format!(
            "已撤稿（withdrawn）：{who}于 {} 撤下，理由：{}",
            w.at, w.reason
        );
        if !w.signature_ok {
            message.push_str("。注意：撤稿签名无法验证（bad-signature），仍按撤稿处理");
        }
        reasons.push(Reason {
            word: Code::Withdrawn,
            message,
            line: Some(w.line),
        });
    }
    if art.draft {
        reasons.push(Reason {
            word: Code::Draft,
            message: "草稿（draft: true），不发布".to_string(),
            line: fm_line(doc, "draft"),
        });
    }
    if class.is_none() {
        let got = art
            .class
            .map(|c| format!("，现为「{c}」"))
            .unwrap_or_default();
        reasons.push(Reason {
            word: Code::NoClass,
            message: format!("缺少有效的信息类别 class（应为 A 一般信息、B 重要信息或 C 特级信息{got}）（no-class）"),
            line: fm_line(doc, "class"),
        });
    }
    if let Some(url) = art.source_url {
        if reviews.sources.find(url).is_none() {
            let host = url_host(url).filter(|h| !h.is_empty());
            let message = match host {
                Some(h) => {
                    format!("转载来源 {h} 不在转载白名单（reviews/sources.yaml）中（source）")
                }
                None => "转载文章须在 source.url 写明原文的 http(s) 链接（source）".to_string(),
            };
            reasons.push(Reason {
                word: Code::Source,
                message,
                line: fm_line(doc, "source"),
            });
        }
    }
    if gate_error.is_none() {
        reasons.extend(asset_reasons(gate.assets.as_ref(), art.assets));
    }
    if !approved && gate_error.is_none() {
        let mut bad: Vec<&ApprovalCheck> = approvals
            .iter()
            .filter(|a| a.status != ApprovalStatus::Counts)
            .collect();
        bad.sort_by_key(|a| a.status.rank());
        for a in bad {
            reasons.push(Reason {
                word: a.status.code().unwrap_or(Code::Pending),
                message: a.detail.clone(),
                line: Some(a.line),
            });
        }
    }
    if !approved && class.is_some() && gate_error.is_none() {
        for q in requirements.iter().filter(|q| !q.met) {
            reasons.push(pending(q, &approvals, &external_hosts));
        }
    }
    Verdict {
        publish: reasons.is_empty(),
        reasons,
        requirements,
        approvals,
        withdrawal,
        digest,
        class,
        external_hosts,
        distinct_reviewers: reviews.policy.distinct_reviewers,
        gate_error,
    }
}

fn requirements_of(policy: &Policy, class: Option<&str>, external: bool) -> Vec<Requirement> {
    let Some(cp) = class.and_then(|c| policy.class(c)) else {
        return Vec::new();
    };
    let new = |kind: ReqKind, label: String| Requirement {
        kind,
        label,
        from_external_links: false,
        met: false,
        met_by: None,
        met_by_name: None,
        approval: None,
        candidates: Vec::new(),
    };
    let mut reqs: Vec<Requirement> = cp
        .levels
        .iter()
        .map(|&l| new(ReqKind::Level(l), level_label(l)))
        .chain(
            cp.roles
                .iter()
                .map(|r| new(ReqKind::Role(r.clone()), role_label(r))),
        )
        .collect();
    if let (true, Some(role)) = (external, &policy.external_links_role) {
        match reqs
            .iter_mut()
            .find(|q| q.kind == ReqKind::Role(role.clone()))
        {
            Some(q) => q.from_external_links = true,
            None => {
                let mut q = new(ReqKind::Role(role.clone()), role_label(role));
                q.from_external_links = true;
                reqs.push(q);
            }
        }
    }
    reqs
}

/// Fill candidates and the distinct-reviewer assignment.
fn fill(reqs: &mut [Requirement], approvals: &[ApprovalCheck], distinct: bool) {
    let counting: Vec<(usize, &ApprovalCheck)> = approvals
        .iter()
        .enumerate()
        .filter(|(_, a)| a.status == ApprovalStatus::Counts)
        .collect();
    let mut people: Vec<&str> = Vec::new();
    for (_, a) in &counting {
        if !people.contains(&a.reviewer.as_str()) {
            people.push(&a.reviewer);
        }
    }
    // For each requirement and person: the approval that would be used.
    let usable = |q: &Requirement, person: &str| -> Option<usize> {
        counting
            .iter()
            .find(|(_, a)| {
                a.reviewer == person
                    && match &q.kind {
                        ReqKind::Level(n) => a.level_number == Some(*n),
                        ReqKind::Role(r) => a.reviewer_role.as_deref() == Some(r.as_str()),
                    }
            })
            .map(|(i, _)| *i)
    };
    let cand: Vec<Vec<usize>> = reqs
        .iter()
        .map(|q| {
            (0..people.len())
                .filter(|&p| usable(q, people[p]).is_some())
                .collect()
        })
        .collect();
    let chosen = assign(&cand, people.len(), distinct);
    for (i, q) in reqs.iter_mut().enumerate() {
        q.candidates = cand[i].iter().map(|&p| people[p].to_string()).collect();
        if let Some(p) = chosen[i] {
            let idx = usable(q, people[p]);
            q.met = true;
            q.met_by = Some(people[p].to_string());
            q.met_by_name = idx.and_then(|j| approvals[j].reviewer_name.clone());
            q.approval = idx;
        }
    }
}

fn pending(q: &Requirement, approvals: &[ApprovalCheck], external: &[String]) -> Reason {
    let name_of = |id: &str| {
        approvals
            .iter()
            .find(|a| a.reviewer == id)
            .map(|a| a.display_name().to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let mut message = if q.from_external_links {
        format!(
            "正文链接到非政府网站（{}），须经{}",
            external.join("、"),
            q.label
        )
    } else {
        format!("缺少{}", q.label)
    };
    if !q.candidates.is_empty() {
        let names: Vec<String> = q.candidates.iter().map(|c| name_of(c)).collect();
        message.push_str(&format!(
            "：{}已承担其他审核，每项审核须由不同的人完成（distinct_reviewers）",
            names.join("、")
        ));
    }
    message.push_str("（pending）");
    Reason {
        word: Code::Pending,
        message,
        line: None,
    }
}
