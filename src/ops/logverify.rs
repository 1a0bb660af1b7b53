//! `sanshen log verify`: the publication log verified under the pinned
//! deploy key (and against a checkpoint saved earlier), then the live site
//! compared with the manifest of the log's latest entry, and the articles
//! whose date is much earlier than their first publication listed.

use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;

use super::logstore::LogSource;
use super::treecheck::{check_dir, Findings};
use super::{fetch, releases, Error};
use crate::diag::Diagnostic;
use crate::gate;
use crate::manifest::{self, Manifest};
use crate::publog::backdate::{backdated, Backdated};
use crate::publog::leaf::digest;
use crate::publog::note::{Checkpoint, MAX_NOTE_BYTES};
use crate::publog::record::Record;
use crate::publog::store::{manifest_path, WELL_KNOWN};
use crate::publog::verify::{check_previous, MAX_RECORD_BYTES};
use crate::publog::VerifiedLog;

/// What `sanshen log verify` was asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    /// The deploy folder.
    pub dir: Option<PathBuf>,
    /// The site's base URL.
    pub url: Option<String>,
    /// The deploy public key, `ed25519:…`.
    pub key: String,
    pub tolerance_days: i64,
    /// A checkpoint saved earlier.
    pub previous: Option<PathBuf>,
    pub http: fetch::Options,
}

/// What it found (the log itself verified, or there is no report).
#[derive(Debug, Clone)]
pub struct Report {
    pub checkpoint: Checkpoint,
    pub fingerprint: String,
    pub approvals: usize,
    pub withdrawals: usize,
    /// The size of the `--previous` checkpoint, which is a prefix.
    pub previous: Option<u64>,
    pub latest: Record,
    /// Where the live files were read: a folder or a URL.
    pub live_title: String,
    pub live: Findings,
    pub over_http: bool,
    /// Dated well before first publication, without a reason…
    pub backdated: Vec<Backdated>,
    /// …and with a signed `backdated:` reason (补录).
    pub imported: Vec<Backdated>,
}

/// Run the checks. The log failing to verify is an error naming the file;
/// live differences are in the report.
pub fn verify(req: &Request) -> Result<Report, Error> {
    let key = gate::parse_public_key(req.key.trim()).map_err(|m| {
        Diagnostic::new("--key", m)
            .help("写部署公钥，例如 --key ed25519:…（sanshen keygen 生成部署密钥时打印）。")
    })?;
    let source =
        match (&req.dir, &req.url) {
            (Some(d), None) => LogSource::Dir(d.clone()),
            (None, Some(u)) => LogSource::Url(u.clone()),
            _ => return Err(Error::refused(
                "参数错误",
                "--dir 与 --url 必须且只能给出一个",
                "检查服务器上的部署目录用 --dir /srv/www/site；从网上检查用 --url https://www.…。",
            )),
        };
    let store = source.store(&req.http)?;
    let log = crate::publog::verify(store.as_ref(), &key)?.ok_or_else(|| {
        Diagnostic::new(
            store.show(crate::publog::store::CHECKPOINT),
            "没有发布日志（找不到检查点）",
        )
        .help("发布日志由 sanshen deploy 写在部署目录的 log/ 下，并随网站发布在 /.well-known/sanshen/；检查 --dir 或 --url 是否正确。")
    })?;
    let previous = match &req.previous {
        Some(p) => Some(previous(&log, p, &key)?.size),
        None => None,
    };
    let Some(latest) = log.records.last().cloned() else {
        return Err(Diagnostic::new(store.show("checkpoint"), "发布日志是空的").into());
    };
    let (live_title, live, over_http) = match &source {
        LogSource::Dir(d) => {
            let (title, f) = live_dir(d, &latest)?;
            (title, f, false)
        }
        LogSource::Url(u) => {
            let bytes = store
                .read(&manifest_path(&latest.manifest), MAX_RECORD_BYTES)?
                .ok_or_else(|| {
                    Diagnostic::new(
                        store.show(&manifest_path(&latest.manifest)),
                        format!("缺少第 {} 条日志记录的文件清单", latest.index),
                    )
                })?;
            let m = manifest_of(
                &bytes,
                &latest,
                &store.show(&manifest_path(&latest.manifest)),
            )?;
            let base = fetch::base_url(u)?;
            (
                base.clone(),
                fetch::check_url(&base, &m, None, &req.http),
                true,
            )
        }
    };
    let (imported, backdated): (Vec<_>, Vec<_>) = backdated(&log.records, req.tolerance_days)
        .into_iter()
        .partition(|b| b.reason.is_some());
    Ok(Report {
        checkpoint: log.checkpoint.clone(),
        fingerprint: gate::fingerprint(&key),
        approvals: log.approvals,
        withdrawals: log.withdrawals,
        previous,
        latest,
        live_title,
        live,
        over_http,
        backdated,
        imported,
    })
}

fn previous(log: &VerifiedLog, path: &Path, key: &VerifyingKey) -> Result<Checkpoint, Error> {
    let shown = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::new(&shown, format!("无法读取旧检查点：{e}"))
            .help("--previous 给出上次检查时保存的 checkpoint 文件（例如 cp <部署目录>/log/checkpoint 到部署目录之外）。")
    })?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(Diagnostic::new(&shown, "文件过大，不是检查点").into());
    }
    Ok(check_previous(log, &bytes, &shown, key)?)
}

/// Parse a manifest whose digest the record names.
fn manifest_of(bytes: &[u8], r: &Record, shown: &str) -> Result<Manifest, Diagnostic> {
    if digest(bytes) != r.manifest {
        return Err(Diagnostic::new(
            shown,
            format!(
                "文件清单与第 {} 条日志记录中的哈希不符：清单被替换或改动",
                r.index
            ),
        ));
    }
    manifest::parse(bytes, shown)
}

/// `DIR/current` must be the latest entry's release, its manifest the one
/// logged, its files those of the manifest (the published log copy under
/// `.well-known/sanshen/` aside).
fn live_dir(dir: &Path, r: &Record) -> Result<(String, Findings), Diagnostic> {
    let current = releases::current(dir)?;
    let link = dir.join(releases::CURRENT).display().to_string();
    if current.as_deref() != Some(r.release.as_str()) {
        return Err(Diagnostic::new(
            &link,
            format!(
                "current 指向 {}，但发布日志最新的第 {} 条记录是版本 {}：网站上线的版本没有记入日志",
                current.as_deref().unwrap_or("（无）"),
                r.index,
                r.release
            ),
        )
        .help("只用 sanshen deploy 或 sanshen rollback 切换版本；请排查是谁改动了 current。"));
    }
    let mpath = releases::manifest_path(dir, &r.release);
    let shown = mpath.display().to_string();
    let bytes = fs::read(&mpath)
        .map_err(|e| Diagnostic::new(&shown, format!("无法读取版本的文件清单：{e}")))?;
    let m = manifest_of(&bytes, r, &shown)?;
    let site = dir.join(releases::CURRENT);
    let mut f = check_dir(&site, &m)?;
    let prefix = format!("{WELL_KNOWN}/");
    f.unexpected.retain(|u| !u.path.starts_with(&prefix));
    Ok((site.display().to_string(), f))
}
