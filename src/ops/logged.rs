//! The publication log at a deploy folder, as `deploy`, `rollback` and
//! `check-release` use it: read and judge a release against it, then
//! append the release and publish the log with the site.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::{SigningKey, VerifyingKey};
use walkdir::WalkDir;

use super::logstore::{self, LogSource};
use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::{self, Manifest};
use crate::publog::policy::{self, Checked};
use crate::publog::record::{Record, ReleaseFacts, FACTS_FORMAT};
use crate::publog::state::LogState;
use crate::publog::{self, leaf::digest as sha256_digest, NewEntry};

/// The release facts file of a release folder.
pub const FACTS: &str = "release.json";

/// The log folder of a deploy folder.
pub fn log_dir(root: &Path) -> PathBuf {
    root.join(publog::DIR)
}

/// Read the release facts at `path` and check them against the manifest's
/// signed `release` digest.
pub fn load_facts(path: &Path, m: &Manifest) -> Result<(ReleaseFacts, Vec<u8>), Diagnostic> {
    let shown = path.display().to_string();
    let rebuild = "用本版本的 sanshen 重新构建（sanshen build 在输出目录旁写出 <输出目录>.release.json），再部署。";
    let Some(want) = &m.release else {
        return Err(Diagnostic::new(
            &shown,
            "清单中没有发布记录的摘要（release）：这次构建来自旧版本的 sanshen，无法写入发布日志，不能部署",
        )
        .help(rebuild));
    };
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::new(&shown, format!("无法读取发布记录：{e}")).help(rebuild))?;
    if &sha256_digest(&bytes) != want {
        return Err(
            Diagnostic::new(&shown, "发布记录与清单中的摘要不符：构建之后被改动过").help(rebuild),
        );
    }
    let facts: ReleaseFacts = serde_json::from_slice(&bytes)
        .map_err(|e| Diagnostic::new(&shown, format!("发布记录无法读取：{e}")).help(rebuild))?;
    if facts.format != FACTS_FORMAT {
        return Err(Diagnostic::new(
            &shown,
            format!(
                "发布记录格式为 {}，本程序只支持 {FACTS_FORMAT}",
                facts.format
            ),
        )
        .help(rebuild));
    }
    Ok((facts, bytes))
}

/// The facts beside a build output's manifest.
pub fn facts_beside(from: &Path) -> PathBuf {
    manifest::facts_path_for(from)
}

/// The records of the log at `source`, verified under `key` (else under
/// the key the log names: that detects corruption only); `None` when
/// there is no log there yet.
pub fn records(
    source: &LogSource,
    key: Option<&VerifyingKey>,
) -> Result<Option<Vec<Record>>, Diagnostic> {
    Ok(logstore::read(source, key, &super::fetch::Options::default())?.map(|v| v.records))
}

/// The state of the log at `source` (empty when there is none yet).
pub fn state(
    source: &LogSource,
    key: Option<&VerifyingKey>,
) -> Result<(LogState, Vec<Record>), Diagnostics> {
    let records = self::records(source, key)?.unwrap_or_default();
    let state = LogState::of(&records)
        .map_err(|e| Diagnostics::from(Diagnostic::new(publog::DIR, e.to_string())))?;
    Ok((state, records))
}

/// Judge `facts` against `state` at `now`; the violations as diagnostics.
pub fn judge(
    state: &LogState,
    facts: &ReleaseFacts,
    now: DateTime<FixedOffset>,
) -> Result<Checked, Diagnostics> {
    let checked = policy::check(state, facts, now);
    if checked.violations.is_empty() {
        return Ok(checked);
    }
    let mut ds = Diagnostics::default();
    checked
        .violations
        .iter()
        .for_each(|v| ds.push(v.diagnostic()));
    Err(ds)
}

/// What one append records.
pub struct Entry<'a> {
    pub root: &'a Path,
    pub key: &'a SigningKey,
    pub now: DateTime<FixedOffset>,
    /// `deploy` or `rollback`.
    pub action: &'a str,
    pub release: &'a str,
    pub manifest: &'a Manifest,
    pub manifest_raw: &'a [u8],
    pub facts: ReleaseFacts,
}

/// Append the release to the log, then publish the log inside the
/// release (`site/.well-known/sanshen/`). The log is written before
/// `current` switches: what goes online is always logged first.
pub fn append(e: Entry) -> Result<Record, Diagnostic> {
    let appended = logstore::append(
        &log_dir(e.root),
        NewEntry {
            action: e.action.to_string(),
            release: e.release.to_string(),
            manifest: e.manifest_raw.to_vec(),
            facts: e.facts,
        },
        e.key,
        &publog::origin_for(&e.manifest.site),
        &e.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    )?;
    publish(e.root, e.release)?;
    Ok(appended.record)
}

/// Copy the log into the release's `site/.well-known/sanshen/`.
pub fn publish(root: &Path, release: &str) -> Result<(), Diagnostic> {
    let from = log_dir(root);
    let to = super::releases::site_dir(root, release).join(publog::PUBLISHED);
    let fail = |e: std::io::Error| {
        Diagnostic::new(
            to.display().to_string(),
            format!("无法在网站中发布日志：{e}"),
        )
        .help("检查部署目录的写权限后重新部署；发布日志本身已写好。")
    };
    let _ = fs::remove_dir_all(&to);
    for entry in WalkDir::new(&from).min_depth(1) {
        let entry = entry.map_err(|e| fail(e.into()))?;
        let Ok(rel) = entry.path().strip_prefix(&from) else {
            continue;
        };
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(fail)?;
        } else if entry.file_type().is_file() {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(fail)?;
            }
            fs::copy(entry.path(), &target).map_err(fail)?;
        }
    }
    Ok(())
}

/// `check-release`: judge a build output against a log, deploying nothing.
pub fn check_release(
    from: &Path,
    manifest_file: Option<&Path>,
    log: &str,
    now: Option<DateTime<FixedOffset>>,
) -> Result<(ReleaseFacts, Checked), Diagnostics> {
    let manifest_file = manifest_file.map_or_else(|| manifest::path_for(from), Path::to_path_buf);
    let (m, _) = manifest::load(&manifest_file)?;
    let (facts, _) = load_facts(&facts_beside(from), &m)?;
    let (state, _) = self::state(&LogSource::parse(log), None)?;
    let now = now.unwrap_or_else(|| clock(&m));
    let checked = judge(&state, &facts, now)?;
    Ok((facts, checked))
}

/// `build --log DIR|URL`: the log read for the build (verified under the
/// key it names; `deploy` verifies under its own key).
pub fn view(log: &str) -> Result<publog::LogView, Diagnostic> {
    Ok(publog::LogView {
        shown: log.to_string(),
        records: records(&LogSource::parse(log), None)?,
    })
}

/// The system clock, in the offset of the site's build clock (`built_at`
/// of the manifest, e.g. `+08:00`), so that the log's times read as the
/// office reads them.
pub fn clock(m: &Manifest) -> DateTime<FixedOffset> {
    let now = chrono::Utc::now();
    match DateTime::parse_from_rfc3339(&m.built_at) {
        Ok(t) => now.with_timezone(t.offset()),
        Err(_) => now.fixed_offset(),
    }
}
