//! Verifying a whole log: the checkpoint under the pinned key, the entry
//! bundles and tiles against it, every record against its leaf, the
//! index and `previous` chain, the clock, and every approval and
//! withdrawal signature a record carries.

use ed25519_dalek::VerifyingKey;

use super::leaf::{digest, parse_leaf};
use super::merkle::{leaf_hash, root, Hash};
use super::note::{self, Checkpoint, NoteError, MAX_NOTE_BYTES};
use super::record::{Record, FACTS_FORMAT, FORMAT};
use super::store::{record_path, Store, CHECKPOINT};
use super::tiles::{bundles_for, decode_bundle, tiles_for, Tile, WIDTH};
use crate::diag::Diagnostic;
use crate::gate;

/// The most entries a log may have before it is refused as absurd.
pub const MAX_ENTRIES: u64 = 100_000;
/// The largest record file read.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;
/// The largest entry bundle read (our leaves are far below 256 bytes).
const MAX_BUNDLE_BYTES: u64 = WIDTH * (2 + 256);

/// A log that verified.
#[derive(Debug, Clone)]
pub struct VerifiedLog {
    pub checkpoint: Checkpoint,
    /// The records, index 0 first.
    pub records: Vec<Record>,
    /// Their leaf hashes.
    pub leaves: Vec<Hash>,
    /// `sha256:` digest of each record file.
    pub digests: Vec<String>,
    /// Approval and withdrawal signatures checked.
    pub approvals: usize,
    pub withdrawals: usize,
}

const FIX: &str = "发布日志只能由 sanshen deploy 追加，不能手工修改。日志被篡改时请保全现场（服务器日志与部署目录），按应急预案报告；以部署目录之外保存的检查点（--previous）核对历史。";

/// The help for a checkpoint that did not open.
pub fn note_help(e: &NoteError) -> &'static str {
    match e {
        NoteError::UnknownKey(_) => "用 --key 给出签署日志的部署公钥（sanshen keygen 生成部署密钥时打印的 ed25519:…）；公钥正确时，说明检查点被换成了别人签名的版本。",
        _ => FIX,
    }
}

/// Read and verify the log in `store` under `key`. `Ok(None)`: there is no
/// checkpoint (an empty log, never appended to).
pub fn verify(store: &dyn Store, key: &VerifyingKey) -> Result<Option<VerifiedLog>, Diagnostic> {
    let Some(bytes) = store.read(CHECKPOINT, MAX_NOTE_BYTES)? else {
        return Ok(None);
    };
    let shown = store.show(CHECKPOINT);
    let cp = note::open_checkpoint(&bytes, key)
        .map_err(|e| Diagnostic::new(&shown, e.message()).help(note_help(&e)))?;
    if cp.size > MAX_ENTRIES {
        return Err(Diagnostic::new(
            &shown,
            format!("检查点声称日志有 {} 条，超过上限 {MAX_ENTRIES}", cp.size),
        )
        .help(FIX));
    }
    let (leaves, digests) = read_leaves(store, cp.size)?;
    if root(&leaves) != cp.root {
        return Err(Diagnostic::new(
            &shown,
            "日志条目与检查点的根哈希不符：有条目被删除、调换或改动",
        )
        .help(FIX));
    }
    check_tiles(store, &leaves)?;
    let mut log = VerifiedLog {
        checkpoint: cp,
        records: Vec::new(),
        leaves,
        digests,
        approvals: 0,
        withdrawals: 0,
    };
    for i in 0..log.checkpoint.size {
        let r = read_record(store, i, &log.digests[i as usize], log.records.last())?;
        let want = i.checked_sub(1).map(|p| log.digests[p as usize].clone());
        if r.previous != want {
            return Err(Diagnostic::new(
                store.show(&record_path(i)),
                format!("第 {i} 条日志记录的 previous 与前一条记录的哈希不符：哈希链断开"),
            )
            .help(FIX));
        }
        let (a, w) = check_signatures(&r, &store.show(&record_path(i)))?;
        log.approvals += a;
        log.withdrawals += w;
        log.records.push(r);
    }
    Ok(Some(log))
}

/// The leaf hashes and record digests of the first `size` entries.
fn read_leaves(store: &dyn Store, size: u64) -> Result<(Vec<Hash>, Vec<String>), Diagnostic> {
    let (mut leaves, mut digests) = (Vec::new(), Vec::new());
    for t in bundles_for(size) {
        let rel = t.bundle_path();
        let shown = store.show(&rel);
        let bytes = store.read(&rel, MAX_BUNDLE_BYTES)?.ok_or_else(|| {
            Diagnostic::new(&shown, "缺少日志条目文件（检查点要求它存在）").help(FIX)
        })?;
        let entries = decode_bundle(&bytes, t.width)
            .map_err(|m| Diagnostic::new(&shown, format!("日志条目文件损坏：{m}")).help(FIX))?;
        for entry in entries {
            let at = leaves.len() as u64;
            let Some((index, d)) = parse_leaf(&entry) else {
                return Err(Diagnostic::new(
                    &shown,
                    format!("第 {at} 条日志条目格式错误（不是 sanshen-log-entry-v1）"),
                )
                .help(FIX));
            };
            if index != at {
                return Err(Diagnostic::new(
                    &shown,
                    format!("位置 {at} 上是第 {index} 条日志条目：条目被删除或调换了顺序"),
                )
                .help(FIX));
            }
            leaves.push(leaf_hash(&entry));
            digests.push(d);
        }
    }
    Ok((leaves, digests))
}

/// Every tile of the tree must be present and hold the right hashes.
fn check_tiles(store: &dyn Store, leaves: &[Hash]) -> Result<(), Diagnostic> {
    for t in tiles_for(leaves.len() as u64) {
        let rel = t.path();
        let shown = store.show(&rel);
        let want = t.bytes(leaves).unwrap_or_default();
        match store.read(&rel, WIDTH * 32)? {
            None => {
                return Err(
                    Diagnostic::new(&shown, "缺少默克尔树瓦片（检查点要求它存在）").help(FIX),
                )
            }
            Some(b) if b != want => {
                return Err(Diagnostic::new(
                    &shown,
                    format!("默克尔树瓦片与日志条目不符（{}）", span_text(&t)),
                )
                .help(FIX))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn span_text(t: &Tile) -> String {
    let span = 1u64 << (8 * u32::from(t.level));
    let first = t.index * WIDTH * span;
    format!("覆盖第 {first} 至 {} 条", first + t.width * span - 1)
}

/// Read record `i`, check it against its leaf digest and its predecessor.
fn read_record(
    store: &dyn Store,
    i: u64,
    want: &str,
    prev: Option<&Record>,
) -> Result<Record, Diagnostic> {
    let rel = record_path(i);
    let shown = store.show(&rel);
    let bad = |m: String| Diagnostic::new(&shown, m).help(FIX);
    let bytes = store
        .read(&rel, MAX_RECORD_BYTES)?
        .ok_or_else(|| bad(format!("缺少第 {i} 条日志记录")))?;
    if digest(&bytes) != want {
        return Err(bad(format!(
            "第 {i} 条日志记录被改动过：内容的哈希与日志条目中的不符"
        )));
    }
    let r: Record = serde_json::from_slice(&bytes)
        .map_err(|e| bad(format!("第 {i} 条日志记录不是有效的记录 JSON：{e}")))?;
    if r.format != FORMAT || r.facts.format != FACTS_FORMAT {
        return Err(bad(format!(
            "第 {i} 条日志记录的格式为 {}／{}，本程序只支持 {FORMAT}／{FACTS_FORMAT}",
            r.format, r.facts.format
        )));
    }
    if r.index != i {
        return Err(bad(format!("第 {i} 条日志记录写的序号是 {}", r.index)));
    }
    let first = parse_time(&r.first_seen).ok_or_else(|| {
        bad(format!(
            "第 {i} 条日志记录的首次发布时间无效：{}",
            r.first_seen
        ))
    })?;
    if let Some(p) = prev {
        if parse_time(&p.first_seen).is_some_and(|t| first < t) {
            return Err(bad(format!(
                "第 {i} 条日志记录的时间 {} 早于前一条的 {}：时间倒退",
                r.first_seen, p.first_seen
            )));
        }
    }
    Ok(r)
}

/// RFC 3339.
pub fn parse_time(t: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(t).ok()
}

/// Every approval and withdrawal signature of a record verifies under the
/// key given with it (spec §4, §5). Returns how many of each.
fn check_signatures(r: &Record, shown: &str) -> Result<(usize, usize), Diagnostic> {
    let bad =
        |m: String| Diagnostic::new(shown, format!("第 {} 条日志记录：{m}", r.index)).help(FIX);
    let mut approvals = 0;
    for a in r.facts.articles.iter().chain(&r.facts.pending) {
        for ap in &a.approvals {
            let msg = gate::approval_message(
                &a.path,
                &a.digest,
                &ap.level.to_string(),
                &ap.reviewer,
                &ap.signed_at,
            );
            let ok = gate::parse_public_key(&ap.key)
                .is_ok_and(|k| gate::keys::verify(&k, msg.as_bytes(), &ap.signature));
            if !ok {
                return Err(bad(format!(
                    "{} 的审核签名（{}，第 {} 级）无效",
                    a.path, ap.reviewer, ap.level
                )));
            }
            approvals += 1;
        }
    }
    for w in &r.facts.withdrawals {
        let msg = gate::withdrawal_message(&w.path, &w.reviewer, &w.at, &w.reason);
        let ok = gate::parse_public_key(&w.key)
            .is_ok_and(|k| gate::keys::verify(&k, msg.as_bytes(), &w.signature));
        if !ok {
            return Err(bad(format!("{} 的撤稿签名（{}）无效", w.path, w.reviewer)));
        }
    }
    Ok((approvals, r.facts.withdrawals.len()))
}

/// `--previous`: a checkpoint saved earlier must describe a prefix of this
/// log (the same root at its size), else history was rewritten.
pub fn check_previous(
    log: &VerifiedLog,
    bytes: &[u8],
    shown: &str,
    key: &VerifyingKey,
) -> Result<Checkpoint, Diagnostic> {
    let old = note::open_checkpoint(bytes, key)
        .map_err(|e| Diagnostic::new(shown, e.message()).help(note_help(&e)))?;
    let help = "日志只能追加：旧检查点与现在的日志不一致，说明日志的历史被改写（条目被删除、调换或改动）。请保全现场并报告。";
    if old.origin != log.checkpoint.origin {
        return Err(Diagnostic::new(
            shown,
            format!(
                "旧检查点属于另一个日志（{}），不是 {}",
                old.origin, log.checkpoint.origin
            ),
        ));
    }
    if old.size > log.checkpoint.size {
        return Err(Diagnostic::new(
            shown,
            format!(
                "旧检查点有 {} 条，现在的日志只有 {} 条：日志被截短",
                old.size, log.checkpoint.size
            ),
        )
        .help(help));
    }
    if root(&log.leaves[..old.size as usize]) != old.root {
        return Err(Diagnostic::new(
            shown,
            format!("现在日志的前 {} 条与旧检查点不符：历史被改写", old.size),
        )
        .help(help));
    }
    Ok(old)
}
