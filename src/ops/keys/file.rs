//! A secret key file: refused inside the site or when group or others can
//! read it (as ssh refuses: `perms`), then read as plain or encrypted
//! PKCS#8 PEM.

use std::fs;
use std::path::Path;

use ed25519_dalek::SigningKey;

use super::encrypted;
use super::passphrase::Passphrase;
use super::perms::check_private;
use crate::diag::Diagnostic;
use crate::gate;
use crate::ops::site;

/// Read the secret key at `path` (`--key`, `--log-key`, `--sign-manifest`):
/// never one where the build at `root` reads, never one readable by group
/// or others (Unix), decrypted with `passphrase` when it is
/// `-----BEGIN ENCRYPTED PRIVATE KEY-----`.
pub fn load_secret_key(
    root: &Path,
    path: &Path,
    passphrase: &Passphrase,
) -> Result<SigningKey, Diagnostic> {
    let shown = path.display().to_string();
    if let Some(part) = site::inside_site(root, path) {
        return Err(Diagnostic::new(
            &shown,
            format!("私钥文件位于站点的 {part} 中：私钥绝不能放进网站仓库，已拒绝使用"),
        )
        .help("把私钥移到站点目录之外（例如 ~/.sanshen/），文件权限设为 600；如已提交到 git，应视为已泄露，请管理员吊销（revoked: true）并换发新密钥。"));
    }
    let text = fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(&shown, format!("无法读取私钥文件：{e}")).help(
            "用 --key 指定 sanshen keygen 生成的私钥文件（PKCS#8 PEM），或用 --key ssh-agent。",
        )
    })?;
    check_private(path, "私钥文件")?;
    if text.contains(encrypted::BEGIN) {
        let pass = passphrase.get(&shown)?;
        return encrypted::decrypt(&text, pass.as_bytes()).map_err(|m| {
            Diagnostic::new(&shown, m)
                .help("口令区分大小写；忘记口令时无法恢复，请管理员吊销这把密钥并用 sanshen keygen 换发新密钥。")
        });
    }
    gate::parse_secret_key(&text).map_err(|m| {
        Diagnostic::new(&shown, m)
            .help("私钥应为 sanshen keygen 或 openssl genpkey -algorithm ed25519 生成的 PEM 文件。")
    })
}
