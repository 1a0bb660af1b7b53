//! The publication log on disk and on the web: the folder store (writes
//! through the crate's one atomic write) and the web-site store (the log
//! published at `<base>/.well-known/sanshen/`), and the two calls the
//! deploy and the checks make: [`append`] and [`read`].

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};

use super::fetch;
use super::files::write_atomic;
use crate::diag::Diagnostic;
use crate::gate;
use crate::publog::store::{Store, WritableStore, KEY, WELL_KNOWN};
use crate::publog::{self, Appended, NewEntry, VerifiedLog};

/// The log folder inside a deploy folder.
pub const LOG_DIR: &str = crate::publog::DIR;

/// A log folder.
#[derive(Debug, Clone)]
pub struct DirStore {
    pub root: PathBuf,
}

impl Store for DirStore {
    fn read(&self, rel: &str, limit: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        let path = self.root.join(rel);
        let shown = self.show(rel);
        let file = match fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Diagnostic::new(&shown, format!("无法读取：{e}"))),
        };
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Diagnostic::new(&shown, format!("无法读取：{e}")))?;
        if bytes.len() as u64 > limit {
            return Err(Diagnostic::new(
                &shown,
                format!("文件过大（超过 {limit} 字节），不是 sanshen 写的日志文件"),
            ));
        }
        Ok(Some(bytes))
    }

    fn show(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }
}

impl WritableStore for DirStore {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.root.join(rel);
        let done = match path.parent() {
            Some(dir) => fs::create_dir_all(dir),
            None => Ok(()),
        };
        done.and_then(|()| write_atomic(&path, bytes)).map_err(|e| {
            Diagnostic::new(self.show(rel), format!("无法写入发布日志：{e}"))
                .help("检查磁盘空间和部署目录的写权限；检查点最后写入，中断的追加不会生效。")
        })
    }
}

/// The log published on a web site.
#[derive(Debug, Clone)]
pub struct UrlStore {
    /// `<base>/.well-known/sanshen`, no trailing slash.
    pub base: String,
    pub http: fetch::Options,
}

impl Store for UrlStore {
    fn read(&self, rel: &str, limit: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        fetch::get_bytes(&self.show(rel), limit, &self.http).map_err(|m| {
            Diagnostic::new(self.show(rel), format!("无法下载发布日志文件：{m}"))
                .help("检查网址与网络；发布日志应在 <网站>/.well-known/sanshen/ 下。")
        })
    }

    fn show(&self, rel: &str) -> String {
        fetch::url_of(&self.base, rel)
    }
}

/// Where a log is read from: `--log DIR|URL`, `--dir`, `--url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSource {
    /// A deploy folder (its `log/`) or a log folder itself.
    Dir(PathBuf),
    /// A site's base URL (the log at `<base>/.well-known/sanshen/`).
    Url(String),
}

impl LogSource {
    /// `http://…` or `https://…` is a site, anything else a folder.
    pub fn parse(text: &str) -> LogSource {
        let t = text.trim();
        if t.starts_with("http://") || t.starts_with("https://") {
            LogSource::Url(t.to_string())
        } else {
            LogSource::Dir(PathBuf::from(t))
        }
    }

    /// The store to read it from.
    pub fn store(&self, http: &fetch::Options) -> Result<Box<dyn Store>, Diagnostic> {
        Ok(match self {
            LogSource::Dir(d) => Box::new(DirStore { root: log_dir(d) }),
            LogSource::Url(u) => Box::new(UrlStore {
                base: format!("{}/{WELL_KNOWN}", fetch::base_url(u)?),
                http: http.clone(),
            }),
        })
    }
}

/// `dir/log` when `dir` is a deploy folder (it has `log/` or
/// `releases/`), else `dir` itself.
pub fn log_dir(dir: &Path) -> PathBuf {
    let inner = dir.join(LOG_DIR);
    if inner.is_dir() || dir.join(super::releases::RELEASES).is_dir() {
        inner
    } else {
        dir.to_path_buf()
    }
}

/// Append one release to the log folder `log_dir` (created when missing),
/// signed with the deploy key: see [`publog::append`].
pub fn append(
    log_dir: &Path,
    entry: NewEntry,
    key: &SigningKey,
    origin: &str,
    now: &str,
) -> Result<Appended, Diagnostic> {
    let store = DirStore {
        root: log_dir.to_path_buf(),
    };
    publog::append(&store, entry, key, origin, now)
}

/// Read and verify a log. With `key`, the checkpoint must be signed by it
/// (a pinned deploy key); without, by the key the log names in its `key`
/// file, which only detects corruption, not a rewrite by whoever can write
/// the log. `Ok(None)`: no log yet.
pub fn read(
    source: &LogSource,
    key: Option<&VerifyingKey>,
    http: &fetch::Options,
) -> Result<Option<VerifiedLog>, Diagnostic> {
    let store = source.store(http)?;
    let named;
    let key = match key {
        Some(k) => k,
        None => match store.read(KEY, 1024)? {
            None => return Ok(None),
            Some(b) => {
                let text = String::from_utf8_lossy(&b);
                named = gate::parse_public_key(text.trim())
                    .map_err(|m| Diagnostic::new(store.show(KEY), m))?;
                &named
            }
        },
    };
    publog::verify(store.as_ref(), key)
}
