//! A new Ed25519 secret key (PKCS#8 PEM, encrypted with a passphrase unless
//! asked not to, mode 0600), never overwriting and never inside the site.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use chrono::FixedOffset;

use super::keys::{self, Passphrase};
use super::site;
use super::Error;
use crate::clock;
use crate::diag::Diagnostic;
use crate::gate;

/// A new key, written.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// `ed25519:…`
    pub public: String,
    pub fingerprint: String,
    /// `ssh-ed25519 AAAA…`: the same key in OpenSSH form.
    pub openssh: String,
    /// Written encrypted with a passphrase.
    pub encrypted: bool,
    /// The reviewer id for the keyring entry.
    pub id: String,
    /// Today in China (`YYYY-MM-DD`), for `valid_from`.
    pub today: String,
}

/// Generate a key and write it to `out` (mode 0600, never overwriting,
/// never inside the site at `root`), encrypted with a new passphrase from
/// `passphrase` (asked twice on the terminal, or read from a file), or in
/// plain PKCS#8 when `passphrase` is `None`. `id` defaults to the file name
/// (`zhang.san.pem` → `zhang.san`).
pub fn keygen(
    root: &Path,
    out: &Path,
    id: Option<&str>,
    passphrase: Option<&Passphrase>,
) -> Result<NewKey, Error> {
    let shown = out.display().to_string();
    if let Some(part) = site::inside_site(root, out) {
        return Err(Diagnostic::new(
            &shown,
            format!("不能把私钥写进站点的 {part}：私钥绝不能放进网站仓库"),
        )
        .help("写到站点目录之外，例如 --out ~/.sanshen/zhang.san.pem。")
        .into());
    }
    if out.exists() {
        return Err(exists(&shown).into());
    }
    let pass = passphrase
        .map(|p| keys::new_passphrase(p, &shown))
        .transpose()?;
    let key = gate::generate_key(&mut rand_core::OsRng);
    let pem = match &pass {
        Some(p) => keys::encrypted::encrypt(&key, p.as_bytes(), &mut rand_core::OsRng),
        None => gate::secret_key_pem(&key),
    }
    .map_err(|m| Diagnostic::new(&shown, m))?;
    let pem = zeroize::Zeroizing::new(pem);
    create_private(out, pem.as_bytes())?;
    let id = id
        .map(str::to_string)
        .or_else(|| id_from_file(out))
        .unwrap_or_else(|| "zhang.san".to_string());
    let today = FixedOffset::east_opt(8 * 3600)
        .and_then(|o| clock::now(o).ok())
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "2026-01-01".to_string());
    Ok(NewKey {
        public: gate::format_public_key(&key.verifying_key()),
        fingerprint: gate::fingerprint(&key.verifying_key()),
        openssh: gate::format_openssh_public_key(&key.verifying_key()),
        encrypted: pass.is_some(),
        id,
        today,
    })
}

fn exists(shown: &str) -> Diagnostic {
    Diagnostic::new(shown, "文件已存在，拒绝覆盖（可能是别人的私钥）")
        .help("换一个文件名；确实要替换时先自行删除旧文件，并请管理员吊销旧公钥。")
}

fn id_from_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".pem").unwrap_or(name);
    let ok = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then(|| stem.to_string())
}

/// Create `path` with mode 0600, refusing to overwrite.
fn create_private(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(&shown, format!("无法创建目录：{e}")))?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == ErrorKind::AlreadyExists {
            exists(&shown)
        } else {
            Diagnostic::new(&shown, format!("无法创建私钥文件：{e}"))
        }
    })?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Diagnostic::new(&shown, format!("无法写入私钥文件：{e}")))
}
