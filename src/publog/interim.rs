//! INTERIM storage (replaced by the tlog store when it lands): records as
//! `records/<index>.json`, nothing else. Keeps the lead's integration
//! testable while the storage format is written.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, SecondsFormat};
use ed25519_dalek::SigningKey;

use super::facts::sha256_digest;
use super::record::{Record, ReleaseFacts, FORMAT};
use crate::diag::Diagnostic;

/// Where a log is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A log folder.
    Dir(PathBuf),
    /// A site's base URL; the log is at `<base>/.well-known/sanshen/`.
    Url(String),
}

/// `--log DIR|URL`: a URL, a deploy folder (its `log/`), or a log folder.
pub fn source_of(text: &str) -> Source {
    let t = text.trim();
    if t.starts_with("http://") || t.starts_with("https://") {
        return Source::Url(t.trim_end_matches('/').to_string());
    }
    let p = PathBuf::from(t);
    let sub = p.join(super::DIR);
    if sub.is_dir() { sub } else { p }.pipe(Source::Dir)
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for PathBuf {}

/// The records of the log, or `None` when there is no log yet.
pub fn read(
    source: &Source,
    _key: Option<&ed25519_dalek::VerifyingKey>,
) -> Result<Option<Vec<Record>>, Diagnostic> {
    let Source::Dir(dir) = source else {
        return Err(Diagnostic::new("--log", "interim: URL not supported yet"));
    };
    let records = dir.join("records");
    if !records.is_dir() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for i in 0.. {
        let p = records.join(format!("{i}.json"));
        let Ok(bytes) = fs::read(&p) else { break };
        let r: Record = serde_json::from_slice(&bytes)
            .map_err(|e| Diagnostic::new(p.display().to_string(), e.to_string()))?;
        out.push(r);
    }
    Ok(Some(out))
}

/// Append one release.
#[allow(clippy::too_many_arguments)]
pub fn append(
    dir: &Path,
    _key: &SigningKey,
    _origin: &str,
    now: DateTime<FixedOffset>,
    action: &str,
    release: &str,
    manifest: &[u8],
    facts: ReleaseFacts,
) -> Result<Record, Diagnostic> {
    let records = dir.join("records");
    fs::create_dir_all(&records)
        .map_err(|e| Diagnostic::new(dir.display().to_string(), e.to_string()))?;
    let mut index = 0u64;
    let mut previous = None;
    while let Ok(b) = fs::read(records.join(format!("{index}.json"))) {
        previous = Some(sha256_digest(&b));
        index += 1;
    }
    let r = Record {
        format: FORMAT.into(),
        index,
        previous,
        first_seen: now.to_rfc3339_opts(SecondsFormat::Secs, false),
        action: action.into(),
        release: release.into(),
        manifest: sha256_digest(manifest),
        facts,
    };
    let mut bytes = serde_json::to_vec_pretty(&r).unwrap_or_default();
    bytes.push(b'\n');
    crate::ops::files::write_atomic(&records.join(format!("{index}.json")), &bytes)
        .map_err(|e| Diagnostic::new(dir.display().to_string(), e.to_string()))?;
    Ok(r)
}
