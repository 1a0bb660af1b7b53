//! Rolling back (回滚): switch `DIR/current` back to the previous release
//! (or the one named), atomically, after checking that release's files
//! against its manifest.

use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::SigningKey;

use super::logstore::LogSource;
use super::{logged, releases, verify, Error};
use crate::diag::{Diagnostic, Diagnostics};

/// What a rollback did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolledBack {
    /// The release asked for is already current: nothing switched.
    AlreadyCurrent { id: String },
    /// `current` now points at `to`; every file of it matched its manifest.
    Switched {
        /// The release that was current, if any.
        from: Option<String>,
        to: String,
        commit: Option<String>,
        built_at: String,
        files: usize,
    },
}

/// Why `current` was not switched (the site still serves what it served).
#[derive(Debug, thiserror::Error)]
pub enum RollbackError {
    /// Another deploy or rollback holds the lock, or `current` is broken.
    #[error("{0}")]
    Deployment(Diagnostic),
    #[error("no releases under {dir}")]
    NoReleases { dir: String },
    #[error("no release {id}")]
    NoSuchRelease {
        id: String,
        available: Vec<String>,
        dir: String,
    },
    #[error("no release before {current}")]
    NoEarlier { current: String, dir: String },
    #[error("current points at no release")]
    NoCurrent { dir: String },
    /// The target's files differ from its manifest.
    #[error("release {id} differs from its manifest in {differences} places")]
    Modified {
        id: String,
        differences: usize,
        manifest: PathBuf,
        site: PathBuf,
        dir: String,
    },
    #[error("cannot switch {dir}/current: {source}")]
    Switch { dir: String, source: io::Error },
    /// The publication log forbids it, or cannot be read or written.
    #[error("publication log: {0:?}")]
    Log(Diagnostics),
}

impl From<RollbackError> for Error {
    fn from(e: RollbackError) -> Self {
        let releases_hint = |dir: &str| {
            format!("用 --release 指定版本；sanshen releases --to {dir} 列出全部版本。")
        };
        match e {
            RollbackError::Deployment(d) => d.into(),
            RollbackError::NoReleases { dir } => Error::refused(
                "无法回滚",
                format!("{dir} 下没有已部署的版本"),
                "检查 --to 是否为 sanshen deploy --to 使用的目录。",
            ),
            RollbackError::NoSuchRelease { id, available, dir } => Error::refused(
                "无法回滚",
                format!("没有版本 {id}"),
                format!(
                    "可用的版本：{}（sanshen releases --to {dir}）",
                    available.join("、")
                ),
            ),
            RollbackError::NoEarlier { current, dir } => Error::refused(
                "无法回滚",
                format!("当前版本 {current} 之前没有更早部署的版本"),
                releases_hint(&dir),
            ),
            RollbackError::NoCurrent { dir } => Error::refused(
                "无法回滚",
                "current 未指向任何版本，不知道“前一个”是哪个",
                releases_hint(&dir),
            ),
            RollbackError::Modified {
                id,
                differences,
                manifest,
                site,
                dir,
            } => Error::refused(
                "拒绝回滚",
                format!("版本 {id} 的文件与它的清单不符（{differences} 处差异），不能切换上线"),
                format!(
                    "先恢复该版本：sanshen verify --manifest {} --dir {} --restore --from {dir}",
                    manifest.display(),
                    site.display()
                ),
            ),
            RollbackError::Log(ds) => Error::then(
                ds,
                "拒绝回滚：发布日志不允许这个版本重新上线（或日志无法读写）；网站仍在提供原来的版本。",
            ),
            RollbackError::Switch { dir, source } => Error::refused(
                "回滚失败",
                format!("无法切换 {dir}/current：{source}"),
                "检查部署目录的写权限；网站仍在提供原来的版本。",
            ),
        }
    }
}

/// Switch the deployment at `root` to `release`, or to the one before the
/// current release.
pub fn rollback(
    root: &Path,
    release: Option<&str>,
    key: &SigningKey,
    now: Option<DateTime<FixedOffset>>,
) -> Result<RolledBack, RollbackError> {
    let dir = root.display().to_string();
    let _lock = releases::lock(root).map_err(RollbackError::Deployment)?;
    let (all, _) = releases::list(root);
    if all.is_empty() {
        return Err(RollbackError::NoReleases { dir });
    }
    let current = releases::current(root).map_err(RollbackError::Deployment)?;
    let target = match (release, &current) {
        (Some(id), _) => {
            all.iter()
                .find(|r| r.id == id)
                .ok_or_else(|| RollbackError::NoSuchRelease {
                    id: id.to_string(),
                    available: all.iter().map(|r| r.id.clone()).collect(),
                    dir: dir.clone(),
                })?
        }
        (None, Some(cur)) => all
            .iter()
            .position(|r| &r.id == cur)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| all.get(i))
            .ok_or_else(|| RollbackError::NoEarlier {
                current: cur.clone(),
                dir: dir.clone(),
            })?,
        (None, None) => return Err(RollbackError::NoCurrent { dir }),
    };
    if current.as_deref() == Some(target.id.as_str()) {
        return Ok(RolledBack::AlreadyCurrent {
            id: target.id.clone(),
        });
    }
    let site = releases::site_dir(root, &target.id);
    // The log copy inside an older release is outdated; it is ours to
    // rewrite, and is published afresh below.
    let _ = std::fs::remove_dir_all(site.join(crate::publog::PUBLISHED));
    let f = verify::check_dir(&site, &target.manifest).map_err(RollbackError::Deployment)?;
    if !f.clean() {
        return Err(RollbackError::Modified {
            id: target.id.clone(),
            differences: f.modified.len()
                + f.missing.len()
                + f.unexpected.len()
                + f.unchecked.len(),
            manifest: releases::manifest_path(root, &target.id),
            site,
            dir,
        });
    }
    let now = now.unwrap_or_else(|| logged::clock(&target.manifest));
    let log = |d: Diagnostic| RollbackError::Log(d.into());
    let manifest_file = releases::manifest_path(root, &target.id);
    let raw = std::fs::read(&manifest_file).map_err(|e| {
        log(Diagnostic::new(
            manifest_file.display().to_string(),
            format!("无法读取清单：{e}"),
        ))
    })?;
    let facts_file = releases::release_dir(root, &target.id).join(logged::FACTS);
    let (facts, _) = logged::load_facts(&facts_file, &target.manifest).map_err(|d| {
        log(d.help("这个版本部署于发布日志启用之前（或其发布记录已损坏），无法对照日志判定，不能回滚；请重新构建并部署。"))
    })?;
    let (state, _) = logged::state(
        &LogSource::Dir(logged::log_dir(root)),
        Some(&key.verifying_key()),
    )
    .map_err(RollbackError::Log)?;
    let checked = logged::judge(&state, &facts, now).map_err(RollbackError::Log)?;
    logged::append(logged::Entry {
        root,
        key,
        now,
        action: "rollback",
        release: &target.id,
        manifest: &target.manifest,
        manifest_raw: &raw,
        facts: checked.facts,
    })
    .map_err(log)?;
    releases::switch(root, &target.id).map_err(|source| RollbackError::Switch {
        dir: dir.clone(),
        source,
    })?;
    Ok(RolledBack::Switched {
        from: current,
        to: target.id.clone(),
        commit: target.manifest.commit.clone(),
        built_at: target.manifest.built_at.clone(),
        files: target.manifest.files.len(),
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;

    use super::*;
    use crate::manifest::Manifest;
    use crate::ops::deploy::{self, Options};
    use crate::publog::record::{GovernanceRef, ReleaseFacts, FACTS_FORMAT};
    use crate::render::OutFile;

    /// Deploy a build of one page saying `text`, built at `built_at`.
    fn deploy_page(work: &Path, to: &Path, text: &str, built_at: &str) -> String {
        let out = work.join("public");
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), text).unwrap();
        let files = [OutFile {
            path: "index.html".into(),
            bytes: text.as_bytes().to_vec(),
        }];
        let mut m = Manifest::of_files(&files, None, built_at.into(), "测试".into());
        let facts = ReleaseFacts {
            format: FACTS_FORMAT.into(),
            commit: None,
            judged_at: built_at.into(),
            governance: GovernanceRef {
                serial: 1,
                digest: "sha256:00".into(),
                root_version: None,
            },
            articles: vec![],
            pending: vec![],
            withdrawals: vec![],
        };
        let bytes = serde_json::to_vec(&facts).unwrap();
        fs::write(work.join("public.release.json"), &bytes).unwrap();
        m.release = Some(crate::publog::leaf::digest(&bytes));
        fs::write(work.join("public.manifest.json"), m.to_json()).unwrap();
        let opts = Options {
            from: out,
            manifest: None,
            to: to.to_path_buf(),
            keep: 10,
            deploy_key: None,
            log_key: key(),
            now: Some(now(built_at)),
        };
        deploy::deploy(&opts).unwrap().id
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn now(t: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(t).unwrap()
    }

    fn rollback(to: &Path, release: Option<&str>) -> Result<RolledBack, RollbackError> {
        super::rollback(to, release, &key(), Some(now("2026-11-22T12:00:00+08:00")))
    }

    #[test]
    fn rolls_back_to_the_previous_release_and_refuses_what_it_cannot() {
        let t = tempfile::tempdir().unwrap();
        let to = t.path().join("www");
        fs::create_dir_all(&to).unwrap();
        assert!(matches!(
            rollback(&to, None),
            Err(RollbackError::NoReleases { .. })
        ));
        let first = deploy_page(t.path(), &to, "one", "2026-11-20T12:00:00+08:00");
        assert!(matches!(
            rollback(&to, None),
            Err(RollbackError::NoEarlier { current, .. }) if current == first
        ));
        let second = deploy_page(t.path(), &to, "two", "2026-11-21T12:00:00+08:00");
        assert_eq!(releases::current(&to).unwrap().as_deref(), Some(&*second));

        let done = rollback(&to, None).unwrap();
        assert_eq!(
            done,
            RolledBack::Switched {
                from: Some(second.clone()),
                to: first.clone(),
                commit: None,
                built_at: "2026-11-20T12:00:00+08:00".into(),
                files: 1,
            }
        );
        assert_eq!(
            fs::read_to_string(to.join("current/index.html")).unwrap(),
            "one"
        );
        assert_eq!(
            rollback(&to, Some(&first)).unwrap(),
            RolledBack::AlreadyCurrent { id: first.clone() }
        );
        match rollback(&to, Some("nope")) {
            Err(RollbackError::NoSuchRelease { available, .. }) => {
                assert_eq!(available, [first.clone(), second.clone()])
            }
            other => panic!("{other:?}"),
        }

        // A tampered release is not switched to.
        fs::write(
            releases::site_dir(&to, &second).join("index.html"),
            "hacked",
        )
        .unwrap();
        match rollback(&to, Some(&second)) {
            Err(RollbackError::Modified {
                id, differences, ..
            }) => {
                assert_eq!((id.as_str(), differences), (second.as_str(), 1))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(releases::current(&to).unwrap().as_deref(), Some(&*first));
        let e = Error::from(rollback(&to, Some(&second)).unwrap_err());
        assert!(matches!(e, Error::Refused { what, .. } if what == "拒绝回滚"));
    }
}
