//! Appending one record to a log: verify what is there under the deploy
//! key, assign the index and `previous`, then write the manifest, the
//! record, the entry bundle, the tiles and, last, the signed checkpoint
//! (the commit point: files beyond the checkpoint's size are leftovers of
//! a killed append and are overwritten).

use ed25519_dalek::SigningKey;

use super::leaf::{digest, leaf_bytes, leaf_text};
use super::merkle::{leaf_hash, root};
use super::note::{valid_name, Checkpoint};
use super::record::{Record, ReleaseFacts, FORMAT};
use super::store::{manifest_path, record_path, WritableStore, CHECKPOINT, KEY};
use super::tiles::{bundles_for, encode_bundle, tiles_for, WIDTH};
use super::verify::{parse_time, verify, MAX_ENTRIES};
use crate::diag::Diagnostic;
use crate::gate;

/// What one release adds to the log; the log assigns the rest.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// `deploy` or `rollback`.
    pub action: String,
    /// The release id.
    pub release: String,
    /// The release's manifest file, byte for byte: its digest goes into
    /// the record, the bytes into `manifests/<hex>.json`.
    pub manifest: Vec<u8>,
    /// What was published, `first_seen` filled in by the caller.
    pub facts: ReleaseFacts,
}

/// What an append wrote.
#[derive(Debug, Clone)]
pub struct Appended {
    pub record: Record,
    pub checkpoint: Checkpoint,
    /// The signed checkpoint as written.
    pub note: String,
}

/// Serialized as written: pretty JSON and a newline.
pub fn record_bytes(r: &Record) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(r).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Append `entry` to the log in `store`, signed by `key` under `origin`, at
/// the deploy clock `now` (RFC 3339). Refuses a log that does not verify
/// under `key`, a different origin, and a clock earlier than the last
/// record's.
pub fn append(
    store: &dyn WritableStore,
    entry: NewEntry,
    key: &SigningKey,
    origin: &str,
    now: &str,
) -> Result<Appended, Diagnostic> {
    let shown = store.show(CHECKPOINT);
    if !valid_name(origin) {
        return Err(Diagnostic::new(
            &shown,
            format!("日志来源标识 {origin:?} 无效：不能为空，不能含空格或 +"),
        )
        .help("来源标识取自 site.yaml 的 base_url，例如 www.shiliqu.gov.cn/sanshen-log。"));
    }
    let now_t = parse_time(now)
        .ok_or_else(|| Diagnostic::new(&shown, format!("部署时间 {now} 不是 RFC 3339 时间")))?;
    let old = verify(store, &key.verifying_key()).map_err(|d| {
        let msg = format!("现有的发布日志未通过验证，不能追加：{}", d.message);
        let help = "不要在被篡改或不一致的日志上继续部署。若 --log-key 与签署日志的部署密钥不同，请改用原来的部署密钥；若日志确被改动，请保全现场、按应急预案报告。";
        Diagnostic::new(d.file, msg).help(help)
    })?;
    let (mut leaves, mut digests, last) = match old {
        Some(log) => {
            if log.checkpoint.origin != origin {
                return Err(Diagnostic::new(
                    &shown,
                    format!(
                        "日志的来源标识是 {}，本次部署的是 {origin}：不是同一个网站的日志",
                        log.checkpoint.origin
                    ),
                )
                .help("检查 --to 是否为本网站的部署目录、site.yaml 的 base_url 是否被改动。"));
            }
            (log.leaves, log.digests, log.records.last().cloned())
        }
        None => (Vec::new(), Vec::new(), None),
    };
    if let Some(last) = &last {
        if parse_time(&last.first_seen).is_some_and(|t| now_t < t) {
            return Err(Diagnostic::new(
                &shown,
                format!(
                    "部署时钟倒退：本次时间 {now} 早于日志最后一条（第 {} 条）的 {}",
                    last.index, last.first_seen
                ),
            )
            .help("校准部署机器的系统时钟（例如启用 NTP）后再部署。"));
        }
    }
    let index = leaves.len() as u64;
    if index >= MAX_ENTRIES {
        return Err(Diagnostic::new(
            &shown,
            format!("日志已有 {index} 条，达到上限"),
        ));
    }
    let manifest = digest(&entry.manifest);
    let record = Record {
        format: FORMAT.to_string(),
        index,
        previous: digests.last().cloned(),
        first_seen: now.to_string(),
        action: entry.action,
        release: entry.release,
        manifest: manifest.clone(),
        facts: entry.facts,
    };
    let bytes = record_bytes(&record);
    let leaf = leaf_bytes(index, &bytes);
    leaves.push(leaf_hash(&leaf));
    digests.push(digest(&bytes));
    let size = index + 1;
    store.write(&manifest_path(&manifest), &entry.manifest)?;
    store.write(&record_path(index), &bytes)?;
    let bundle = bundles_for(size)
        .pop()
        .ok_or_else(|| Diagnostic::new(&shown, "内部错误：没有条目文件"))?;
    let first = bundle.index * WIDTH;
    let entries: Vec<Vec<u8>> = (first..size)
        .map(|i| leaf_text(i, &digests[i as usize]))
        .collect();
    let encoded = encode_bundle(&entries).map_err(|m| Diagnostic::new(&shown, m))?;
    store.write(&bundle.bundle_path(), &encoded)?;
    let before: std::collections::HashSet<String> =
        tiles_for(index).iter().map(|t| t.path()).collect();
    for t in tiles_for(size) {
        if before.contains(&t.path()) {
            continue;
        }
        let b = t
            .bytes(&leaves)
            .ok_or_else(|| Diagnostic::new(&shown, "内部错误：瓦片超出日志范围"))?;
        store.write(&t.path(), &b)?;
    }
    let public = gate::format_public_key(&key.verifying_key());
    store.write(KEY, format!("{public}\n").as_bytes())?;
    let checkpoint = Checkpoint {
        origin: origin.to_string(),
        size,
        root: root(&leaves),
    };
    let note = checkpoint.sign(key);
    store.write(CHECKPOINT, note.as_bytes())?;
    Ok(Appended {
        record,
        checkpoint,
        note,
    })
}
