//! The root key's signature over the site's frame (spec §7, governance
//! v2): signing `reviews/governance.yaml`, and verifying it against the
//! trust root.

use std::path::Path;

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
    pub serial: u64,
    /// The serial of the governance replaced (0: none, or v1).
    pub previous: u64,
    pub signed_at: String,
    pub expires: Option<String>,
    /// Each frame file covered, by site path, with its digest.
    pub files: Vec<(String, String)>,
    /// The root public key that signed (`ed25519:…`).
    pub public: String,
    /// With a root set (`reviews/roots.yaml`): how far the signatures are.
    pub cosigned: Option<super::cosign::Progress>,
}

/// `reviews/governance.yaml` verified.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The trust root (`ed25519:…`).
    pub root: String,
    /// The trust root came from `site.yaml`, inside the repository.
    pub pinned_in_repo: bool,
    pub serial: u64,
    pub signed_at: String,
    pub expires: Option<String>,
    /// Each frame file, by site path, with its digest.
    pub files: Vec<(String, String)>,
    pub reviewers: Vec<Reviewer>,
    /// The root-set version that verified it (`None`: a single root key).
    pub root_version: Option<u64>,
    /// Distinct root keys whose signature verified, and how many were needed.
    pub signers: usize,
    pub threshold: usize,
}

fn refused(d: impl std::fmt::Display, why: &str) -> Error {
    Error::Text(format!("{d}\n未签署：{why}\n"))
}

/// Sign the frame of the site with the root key at `key_path`; `expires`
/// (RFC 3339), if given, is written into the new governance.
pub fn sign(
    site: &SiteOpts,
    key_path: &Path,
    passphrase: &super::keys::Passphrase,
    expires: Option<&str>,
) -> Result<Signed, Error> {
    let key = super::keys::load_secret_key(&site.root, key_path, passphrase)?;
    let tree = WorkTree::new(&site.root);
    let loaded =
        pipeline::load_site(&tree).map_err(|d| refused(d, "site.yaml 有错误，改正后再签署。"))?;
    let files = reviews::read_files(&tree)?;
    let parsed = Reviews::parse(&files)
        .map(|_| ())
        .and_then(|()| crate::rules::Rules::parse(&files).map(|_| ()));
    if let Err(e) = parsed {
        return Err(refused(
            reviews::diagnostic(e),
            "reviews/ 中的文件有错误，改正后再签署。",
        ));
    }
    let public = gate::format_public_key(&key.verifying_key());
    let pinned = trust::resolve(site.trust_root.as_deref(), &loaded).ok();
    let roots_yaml = files.get("roots.yaml").map(Vec::as_slice);
    let set = match roots_yaml {
        Some(bytes) => Some(super::cosign::signing_set(
            bytes,
            pinned.as_ref().map(|p| p.0.as_str()),
        )?),
        None => None,
    };
    if let (None, Some((root, from))) = (&set, pinned) {
        if root != public {
            let whence = match from {
                Trust::Pinned => "--trust-root / SANSHEN_TRUST_ROOT",
                Trust::Repository => "site.yaml 的 trust_root",
            };
            return Err(refused(
                Diagnostic::new(
                    key_path.display().to_string(),
                    format!("这把密钥（{public}）不是信任根：当前信任根（{whence}）是 {root}，用它签署的 governance.yaml 构建时无法验证"),
                )
                .help("请用网站主管单位保管的根私钥签署。若确实要更换根密钥，先在 CI（--trust-root / SANSHEN_TRUST_ROOT）和 site.yaml 中换成新的根公钥，再用 --trust-root <新公钥> 签署。"),
                "密钥不是信任根。",
            ));
        }
    }
    let now = match site.now.as_deref() {
        Some(_) => clock::judging(site.now.as_deref(), loaded.offset)?,
        None => clock::now(loaded.offset)?,
    };
    if let Some(e) = expires {
        let when = gate::yaml::parse_time(e).ok_or_else(|| {
            Diagnostic::new(
                "--expires",
                format!("--expires 不是带时区的 RFC 3339 时间：{e}"),
            )
            .help("写成 --expires 2027-06-01T00:00:00+08:00。")
        })?;
        if when <= now {
            return Err(Diagnostic::new(
                "--expires",
                format!("--expires {e} 不晚于当前时间，签署后立即过期"),
            )
            .help("写一个将来的时间，或不写 --expires（不设到期）。")
            .into());
        }
    }
    let previous = gate::previous_serial(files.get("governance.yaml").map(Vec::as_slice))
        .map_err(|e| {
            refused(
                reviews::diagnostic(e),
                "读不出原 governance.yaml 的 serial（签署序号）；改正它，或确认无误后删除该文件再签署（serial 将从 1 开始）。",
            )
        })?;
    let frame = reviews::frame(&tree, &loaded.config.theme)?;
    let signed_at = site::timestamp(&now);
    let path = site.root.join(gate::governance::FILE);
    if let Some(set) = set {
        let old = files.get("governance.yaml").map(Vec::as_slice);
        let (gov, progress) = super::cosign::cosign(
            &set,
            &key,
            old,
            super::cosign::Frame {
                files: &frame,
                signed_at: &signed_at,
                expires,
                previous,
                now: &now,
            },
        )?;
        write_atomic(&path, gate::render_governance(&gov).as_bytes())
            .map_err(|e| Diagnostic::new(gate::governance::FILE, format!("无法写入：{e}")))?;
        return Ok(Signed {
            serial: gov.serial,
            previous,
            signed_at: gov.signed_at,
            expires: gov.expires,
            files: gov.files,
            public,
            cosigned: Some(progress),
        });
    }
    let serial = previous + 1;
    let text = gate::sign_governance(&frame, serial, &signed_at, expires, &key);
    write_atomic(&path, text.as_bytes())
        .map_err(|e| Diagnostic::new(gate::governance::FILE, format!("无法写入：{e}")))?;
    Ok(Signed {
        serial,
        previous,
        signed_at,
        expires: expires.map(str::to_string),
        files: frame.into_iter().collect(),
        public,
        cosigned: None,
    })
}

/// Verify `reviews/governance.yaml` of the site against its trust root,
/// over the whole frame.
pub fn verify(site: &SiteOpts) -> Result<Verified, Error> {
    let tree = WorkTree::new(&site.root);
    let loaded = pipeline::load_site(&tree)?;
    let files = reviews::read_files(&tree)?;
    let (root, from) = trust::resolve(site.trust_root.as_deref(), &loaded)?;
    let pinned_in_repo = from == Trust::Repository;
    let now = match site.now.as_deref() {
        Some(_) => clock::judging(site.now.as_deref(), loaded.offset)?,
        None => clock::now(loaded.offset)?,
    };
    let failed = |d: Diagnostic| {
        let warning = if pinned_in_repo {
            format!("警告：{}\n", reviews::PINNED_IN_REPO_WARNING)
        } else {
            String::new()
        };
        Error::Text(format!(
            "{warning}{d}\n验证失败：构建将拒绝这个站点，不会写出任何文件。\n"
        ))
    };
    let gov = reviews::verify_frame(&tree, &loaded, &files, &root, &now).map_err(failed)?;
    let parsed = Reviews::parse(&files)
        .map_err(reviews::diagnostic)
        .map_err(failed)?;
    Ok(Verified {
        root,
        pinned_in_repo,
        root_version: gov.root_version,
        signers: gov.signers.len(),
        threshold: gov.threshold,
        serial: gov.governance.serial,
        signed_at: gov.governance.signed_at,
        expires: gov.governance.expires,
        files: gov.governance.files,
        reviewers: parsed.keyring.reviewers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::keys::Passphrase;
    use crate::ops::testsite::TestSite;

    #[test]
    fn sign_counts_up_and_verify_lists_the_frame() {
        let s = TestSite::new();
        let v = verify(&s.opts()).unwrap();
        assert_eq!(v.serial, 1);
        assert!(v.files.iter().any(|(p, _)| p == "content/news/_index.md"));
        let key = s.root_key_file();
        s.write("static/robots-extra.txt", "x\n");
        assert!(verify(&s.opts()).is_err());
        let signed = sign(
            &s.opts(),
            &key,
            &Passphrase::Terminal,
            Some("2027-06-01T00:00:00+08:00"),
        )
        .unwrap();
        assert_eq!((signed.previous, signed.serial), (1, 2));
        let v = verify(&s.opts()).unwrap();
        assert_eq!(v.serial, 2);
        assert_eq!(v.expires.as_deref(), Some("2027-06-01T00:00:00+08:00"));
        assert!(v.files.iter().any(|(p, _)| p == "static/robots-extra.txt"));
        // Not the trust root: refused, nothing written.
        let before = s.read(gate::governance::FILE);
        let other = s.key_file("editor");
        let e = sign(&s.opts(), &other, &Passphrase::Terminal, None).unwrap_err();
        assert!(e.to_string().contains("不是信任根"), "{e}");
        // An expiry in the past is refused.
        let e = sign(
            &s.opts(),
            &key,
            &Passphrase::Terminal,
            Some("2020-01-01T00:00:00+08:00"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("--expires"), "{e}");
        assert_eq!(s.read(gate::governance::FILE), before);
    }
}
