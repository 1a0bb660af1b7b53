//! What a signer is shown before signing: the text as it will be
//! published, every external host and resource, every attachment with its
//! size and SHA-256, and every content-rule finding. Plain data; the
//! caller escapes and prints it.

use std::fs;
use std::path::Path;

use super::signing::Signing;
use crate::gate::{AssetFile, Code};
use crate::links::{self, Base};

/// One attachment (image, file) signed with the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Content path.
    pub path: String,
    /// Bytes, when the file could be read.
    pub size: Option<u64>,
    /// Lowercase hex SHA-256 as judged.
    pub sha256: Option<String>,
}

/// One URL of the body on another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    pub host: String,
    /// The URL as written.
    pub url: String,
    /// Loaded by the page (image, frame, media), not a link to follow.
    pub resource: bool,
    /// A host that is neither the site's nor a government host: it adds
    /// the external-links requirement (spec §6).
    pub non_government: bool,
}

/// Everything shown before signing.
#[derive(Debug, Clone, Default)]
pub struct SignView {
    /// The Markdown body, as written.
    pub body: String,
    pub externals: Vec<External>,
    pub attachments: Vec<Attachment>,
    /// Content-rule findings and other held reasons of the body, and
    /// warnings, in Chinese.
    pub findings: Vec<String>,
}

/// The reasons that come from the body, not from the approvals.
fn from_body(c: Code) -> bool {
    matches!(
        c,
        Code::DeadLink
            | Code::RawHtml
            | Code::Secrecy
            | Code::PersonalData
            | Code::ForbiddenWord
            | Code::ForbiddenHost
            | Code::Typo
            | Code::AltText
            | Code::Source
            | Code::Slug
            | Code::Date
    )
}

/// The view of the article of `s` in the site at `root`, whose `assets`
/// list will be `list`.
pub fn view(s: &Signing, root: &Path, list: &[String]) -> SignView {
    let a = s.article();
    let d = s.decision();
    let site = &s.judged.site;
    let mut externals = Vec::new();
    let base = Base::new(&site.config.base_url, &site.url(&a.rel_url));
    for l in base
        .map(|b| links::of_markdown(a.doc.body(), &b))
        .unwrap_or_default()
    {
        if let Some(host) = l.target.external_host() {
            let e = External {
                host: host.to_string(),
                url: l.written.clone().unwrap_or_else(|| l.value.clone()),
                resource: !l.is_anchor(),
                non_government: d.verdict.external_hosts.iter().any(|h| h == host),
            };
            if !externals.contains(&e) {
                externals.push(e);
            }
        }
    }
    let root = root.join(crate::content::CONTENT_DIR);
    let attachments = list
        .iter()
        .map(|p| Attachment {
            path: p.clone(),
            size: fs::symlink_metadata(root.join(p)).ok().map(|m| m.len()),
            sha256: match d.assets.files.get(p) {
                Some(AssetFile::Regular(h)) => Some(h.clone()),
                _ => None,
            },
        })
        .collect();
    let mut findings: Vec<String> = d
        .reasons
        .iter()
        .filter(|r| from_body(r.word))
        .map(|r| match r.line {
            Some(l) => format!("第 {l} 行：{}", r.message),
            None => r.message.clone(),
        })
        .collect();
    findings.extend(d.warnings.iter().map(|w| match w.line {
        Some(l) => format!("第 {l} 行：{}", w.message),
        None => w.message.clone(),
    }));
    SignView {
        body: a.doc.body().to_string(),
        externals,
        attachments,
        findings,
    }
}
