//! The root key's signature over `reviews/` (spec §7): signing
//! `reviews/governance.yaml`, and verifying it against the trust root.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::FixedOffset;

use super::files::write_atomic;
use super::site::{self, SiteOpts};
use super::Error;
use crate::clock;
use crate::content::WorkTree;
use crate::diag::Diagnostic;
use crate::gate::{self, Reviewer, Reviews};
use crate::pipeline;
use crate::reviews;
use crate::trust::{self, Trust};

/// `reviews/governance.yaml` signed.
#[derive(Debug, Clone)]
pub struct Signed {
    pub signed_at: String,
    /// Each file covered, with its digest.
    pub files: Vec<(String, String)>,
    /// The root public key that signed (`ed25519:…`).
    pub public: String,
    /// The trust root the site is configured with, when it is another key.
    pub other_trust_root: Option<String>,
}

/// `reviews/governance.yaml` verified.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The trust root (`ed25519:…`).
    pub root: String,
    /// The trust root came from `site.yaml`, inside the repository.
    pub pinned_in_repo: bool,
    pub signed_at: String,
    pub files: Vec<(String, String)>,
    pub reviewers: Vec<Reviewer>,
}

/// Sign `reviews/` of the site with the root key at `key_path`.
pub fn sign(site: &SiteOpts, key_path: &Path) -> Result<Signed, Error> {
    let key = site::load_key(&site.root, key_path)?;
    let tree = WorkTree::new(&site.root);
    let files = reviews::read_files(&tree)?;
    let parsed = Reviews::parse(&files)
        .map(|_| ())
        .and_then(|()| crate::rules::Rules::parse(&files).map(|_| ()));
    if let Err(e) = parsed {
        return Err(Error::Text(format!(
            "{}\n未签署：reviews/ 中的文件有错误，改正后再签署。\n",
            reviews::diagnostic(e)
        )));
    }
    let loaded = pipeline::load_site(&tree).ok();
    let offset = loaded
        .as_ref()
        .map(|s| s.offset)
        .or_else(|| FixedOffset::east_opt(8 * 3600));
    let Some(now) = offset.and_then(|o| clock::now(o).ok()) else {
        return Err(Diagnostic::new("SOURCE_DATE_EPOCH", "无法取得当前时间").into());
    };
    let signed_at = site::timestamp(&now);
    let text = gate::sign_governance(&files, &signed_at, &key);
    let path = site.root.join(gate::governance::FILE);
    write_atomic(&path, text.as_bytes())
        .map_err(|e| Diagnostic::new(gate::governance::FILE, format!("无法写入：{e}")))?;
    let public = gate::format_public_key(&key.verifying_key());
    let again = reviews::read_files(&tree).unwrap_or_default();
    let other_trust_root = loaded
        .as_ref()
        .and_then(|s| trust::resolve(site.trust_root.as_deref(), s).ok())
        .map(|(root, _)| root)
        .filter(|root| *root != public);
    Ok(Signed {
        signed_at,
        files: covered(&again),
        public,
        other_trust_root,
    })
}

/// The files a governance covers, with their digests.
fn covered(files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    gate::read_governance(files)
        .map(|g| g.files.into_iter().collect())
        .unwrap_or_default()
}

/// Verify `reviews/governance.yaml` of the site against its trust root.
pub fn verify(site: &SiteOpts) -> Result<Verified, Error> {
    let tree = WorkTree::new(&site.root);
    let loaded = pipeline::load_site(&tree)?;
    let files = reviews::read_files(&tree)?;
    let (root, from) = trust::resolve(site.trust_root.as_deref(), &loaded)?;
    let pinned_in_repo = from == Trust::Repository;
    let parsed = reviews::load(&files, &root).map_err(|d| {
        let warning = if pinned_in_repo {
            format!("警告：{}\n", reviews::PINNED_IN_REPO_WARNING)
        } else {
            String::new()
        };
        Error::Text(format!(
            "{warning}{d}\n验证失败：构建将拒绝这个站点，不会写出任何文件。\n"
        ))
    })?;
    let gov = gate::read_governance(&files).ok();
    Ok(Verified {
        root,
        pinned_in_repo,
        signed_at: gov
            .as_ref()
            .map(|g| g.signed_at.clone())
            .unwrap_or_default(),
        files: covered(&files),
        reviewers: parsed.keyring.reviewers,
    })
}
