//! Checking the published site against the build's manifest (网页防篡改,
//! R17): a deployed tree (`dir`) and/or the live site over HTTP (`url`),
//! reporting modified, missing and unexpected files; optionally restoring
//! the released bytes and checking again. Progress arrives as [`Event`]s,
//! in order, so that a front end can show each step as it happens.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use super::treecheck::{check_dir, Finding, Findings, Unexpected};

use super::deploy::parse_deploy_key;
use super::restore::{self, Done, Source};
use super::{fetch, releases, Error};
use crate::diag::Diagnostic;
use crate::gate;
use crate::manifest::{self, Manifest};

/// What to check, and whether to restore.
#[derive(Debug, Clone, Default)]
pub struct VerifyRequest {
    /// The manifest; default: that of the release `dir` belongs to.
    pub manifest: Option<PathBuf>,
    /// The served folder (e.g. `/srv/www/site/current`).
    pub dir: Option<PathBuf>,
    /// The site's address.
    pub url: Option<String>,
    /// `ed25519:…`: the manifest must be signed by this deploy key.
    pub deploy_key: Option<String>,
    /// Put the released bytes back into `dir`.
    pub restore: bool,
    /// Where to restore from; default: the deployment's backup store.
    pub from: Option<PathBuf>,
    pub http: fetch::Options,
}

/// The manifest's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureState {
    /// Signed by this key, not checked (no deploy key given).
    Unchecked { key: String },
    /// Not signed.
    Unsigned,
    /// Signed by the deploy key (its fingerprint).
    Valid { fingerprint: String },
}

/// One step of a check, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// The manifest used.
    Manifest {
        shown: &'a str,
        manifest: &'a Manifest,
    },
    Signature(SignatureState),
    /// What a check found; `over_http` cannot see unexpected files.
    Findings {
        title: String,
        findings: &'a Findings,
        over_http: bool,
    },
    /// Paths right in the folder but different over HTTP: a cache, proxy
    /// or server problem that restoring files cannot fix.
    OnlyOverHttp(Vec<&'a str>),
    Restored {
        source: &'a Source,
        done: &'a Done,
    },
    /// The check after restoring found everything as released.
    RecheckClean,
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything as released.
    Clean,
    /// Differences, not (or not all) restored.
    Differed,
    /// Differences, all restored and checked again.
    Restored,
    /// The folder is as released but the site serves something else.
    ServedDiffers,
}

/// Check (and with `restore`, repair) the site; `on` sees every step.
pub fn verify(req: &VerifyRequest, on: &mut dyn FnMut(Event)) -> Result<Outcome, Error> {
    if req.dir.is_none() && req.url.is_none() {
        return Err(Error::refused(
            "无法检查",
            "没有指定检查对象",
            "用 --dir 指定服务器上的网站目录，或用 --url 指定网站网址（可同时使用）。",
        ));
    }
    if req.restore && req.dir.is_none() {
        return Err(Error::refused(
            "无法恢复",
            "--restore 需要 --dir：恢复是把文件写回服务器上提供服务的目录",
            "加上 --dir /srv/www/site/current（网站服务器的根目录）。",
        ));
    }
    let path = manifest_file(req)?;
    let shown = path.display().to_string();
    let (m, _) = manifest::load(&path)?;
    on(Event::Manifest {
        shown: &shown,
        manifest: &m,
    });
    let state = check_signature(&m, req.deploy_key.as_deref(), &shown)
        .map_err(|d| Error::then(d, "检查中止：清单不可信，未做任何比对或恢复。"))?;
    on(Event::Signature(state));
    let source = match (req.restore, &req.dir) {
        (true, Some(dir)) => Some(restore::find_source(req.from.as_deref(), dir)?),
        _ => None,
    };
    let base = req.url.as_deref().map(fetch::base_url).transpose()?;
    let mut clean = true;
    let mut over_http = None;
    if let Some(base) = &base {
        let f = fetch::check_url(base, &m, None, &req.http);
        on(Event::Findings {
            title: format!("网站 {base}（通过网址）"),
            findings: &f,
            over_http: true,
        });
        clean &= f.clean();
        over_http = Some(f);
    }
    let Some(dir) = &req.dir else {
        return Ok(if clean {
            Outcome::Clean
        } else {
            Outcome::Differed
        });
    };
    let found = check_dir(dir, &m)?;
    on(Event::Findings {
        title: format!("服务器目录 {}", dir.display()),
        findings: &found,
        over_http: false,
    });
    clean &= found.clean();
    if let Some(f) = &over_http {
        let on_disk: HashSet<String> = differing(&found).into_iter().collect();
        let only_http: Vec<&str> = f
            .modified
            .iter()
            .chain(&f.missing)
            .map(|x| x.path.as_str())
            .filter(|p| !on_disk.contains(*p))
            .collect();
        if !only_http.is_empty() {
            on(Event::OnlyOverHttp(only_http));
        }
    }
    if req.restore && found.clean() && !clean {
        return Ok(Outcome::ServedDiffers);
    }
    let Some(src) = source.filter(|_| !found.clean()) else {
        return Ok(if clean {
            Outcome::Clean
        } else {
            Outcome::Differed
        });
    };
    let done = restore::restore(dir, &m, &found, &src)?;
    on(Event::Restored {
        source: &src,
        done: &done,
    });
    recheck(dir, &m, base.as_deref(), over_http.as_ref(), &req.http, on)
}

fn manifest_file(req: &VerifyRequest) -> Result<PathBuf, Diagnostic> {
    if let Some(m) = &req.manifest {
        return Ok(m.clone());
    }
    if let Some((root, id)) = req.dir.as_deref().and_then(releases::locate) {
        return Ok(releases::manifest_path(&root, &id));
    }
    Err(Diagnostic::new("--manifest", "没有给出文件清单")
        .help("用 --manifest 指定构建时生成的清单（例如 public.manifest.json）；--dir 为 sanshen deploy 部署的 current 目录时可省略。"))
}

/// Check the signature when a deploy key is given.
fn check_signature(
    m: &Manifest,
    key: Option<&str>,
    shown: &str,
) -> Result<SignatureState, Diagnostic> {
    let Some(key) = parse_deploy_key(key)? else {
        return Ok(match &m.signature {
            Some(s) => SignatureState::Unchecked { key: s.key.clone() },
            None => SignatureState::Unsigned,
        });
    };
    m.check_signature(&key).map_err(|msg| {
        Diagnostic::new(shown, msg)
            .help("不要使用这份清单：从构建服务器取回原始清单，或重新构建并签名后再检查。")
    })?;
    Ok(SignatureState::Valid {
        fingerprint: gate::fingerprint(&key),
    })
}

/// Paths that differ over HTTP.
fn differing(f: &Findings) -> Vec<String> {
    f.modified
        .iter()
        .chain(&f.missing)
        .chain(&f.unchecked)
        .map(|x| x.path.clone())
        .collect()
}

/// Check again after restoring: the directory, and the paths that had
/// differed over HTTP.
fn recheck(
    dir: &Path,
    m: &Manifest,
    base: Option<&str>,
    over_http: Option<&Findings>,
    http: &fetch::Options,
    on: &mut dyn FnMut(Event),
) -> Result<Outcome, Error> {
    let f = check_dir(dir, m)?;
    if !f.clean() {
        on(Event::Findings {
            title: "复查服务器目录".into(),
            findings: &f,
            over_http: false,
        });
    }
    let mut ok = f.clean();
    if let (Some(base), Some(before)) = (base, over_http) {
        let paths = differing(before);
        if !paths.is_empty() {
            let f = fetch::check_url(base, m, Some(&paths), http);
            if !f.clean() {
                on(Event::Findings {
                    title: "复查网站".into(),
                    findings: &f,
                    over_http: true,
                });
            }
            ok &= f.clean();
        }
    }
    if ok {
        on(Event::RecheckClean);
        Ok(Outcome::Restored)
    } else {
        Ok(Outcome::Differed)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;

    use super::*;
    use crate::render::OutFile;

    /// A build output `public/` with two files and its manifest, and a
    /// served copy `live/`.
    fn setup(t: &Path) -> (PathBuf, PathBuf) {
        let files = [
            OutFile {
                path: "index.html".into(),
                bytes: b"home".to_vec(),
            },
            OutFile {
                path: "a/b.css".into(),
                bytes: b"css".to_vec(),
            },
        ];
        let m = Manifest::of_files(&files, None, "2026-11-21T12:00:00+08:00".into(), "x".into());
        let manifest = t.join("public.manifest.json");
        fs::write(&manifest, m.to_json()).unwrap();
        for d in ["public", "live"] {
            for f in &files {
                let p = t.join(d).join(&f.path);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, &f.bytes).unwrap();
            }
        }
        (manifest, t.join("live"))
    }

    fn run(req: &VerifyRequest) -> (Result<Outcome, Error>, Vec<String>) {
        let mut seen = Vec::new();
        let r = verify(req, &mut |e| {
            seen.push(match e {
                Event::Manifest { manifest, .. } => format!("manifest {}", manifest.files.len()),
                Event::Signature(s) => format!("{s:?}"),
                Event::Findings {
                    title, findings, ..
                } => format!(
                    "{title}: {} {} {}",
                    findings.modified.len(),
                    findings.missing.len(),
                    findings.unexpected.len()
                ),
                Event::OnlyOverHttp(p) => format!("http {p:?}"),
                Event::Restored { done, .. } => format!(
                    "restored {} {} {}",
                    done.restored.len(),
                    done.added.len(),
                    done.removed.len()
                ),
                Event::RecheckClean => "recheck clean".into(),
            })
        });
        (r, seen)
    }

    #[test]
    fn finds_tampering_restores_and_checks_again() {
        let t = tempfile::tempdir().unwrap();
        let (manifest, live) = setup(t.path());
        let mut req = VerifyRequest {
            manifest: Some(manifest),
            dir: Some(live.clone()),
            ..VerifyRequest::default()
        };
        let (r, seen) = run(&req);
        assert_eq!(r.unwrap(), Outcome::Clean);
        assert_eq!(seen[..2], ["manifest 2", "Unsigned"]);

        fs::write(live.join("index.html"), "hacked").unwrap();
        fs::remove_file(live.join("a/b.css")).unwrap();
        fs::write(live.join("shell.php"), "<?php").unwrap();
        let (r, seen) = run(&req);
        assert_eq!(r.unwrap(), Outcome::Differed);
        assert!(seen[2].ends_with(": 1 1 1"), "{seen:?}");

        req.restore = true;
        req.from = Some(t.path().join("public"));
        let (r, seen) = run(&req);
        assert_eq!(r.unwrap(), Outcome::Restored);
        assert_eq!(seen[3..], ["restored 1 1 1", "recheck clean"]);
        assert_eq!(fs::read_to_string(live.join("index.html")).unwrap(), "home");
        assert!(!live.join("shell.php").exists());
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        let e = verify(&VerifyRequest::default(), &mut |_| {}).unwrap_err();
        assert!(matches!(e, Error::Refused { what, .. } if what == "无法检查"));
        let req = VerifyRequest {
            url: Some("https://www.ceshi.gov.cn".into()),
            restore: true,
            ..VerifyRequest::default()
        };
        let e = verify(&req, &mut |_| {}).unwrap_err();
        assert!(matches!(e, Error::Refused { what, .. } if what == "无法恢复"));

        let t = tempfile::tempdir().unwrap();
        let (manifest, live) = setup(t.path());
        let other = crate::gate::format_public_key(
            &ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key(),
        );
        let req = VerifyRequest {
            manifest: Some(manifest),
            dir: Some(live),
            deploy_key: Some(other),
            ..VerifyRequest::default()
        };
        let (r, seen) = run(&req);
        assert!(matches!(r, Err(Error::Diagnostics { after: Some(_), .. })));
        assert_eq!(seen, ["manifest 2"], "no check on an untrusted manifest");
    }
}
