//! The trust root: the public root key that governance must verify under
//! (`ed25519:…`), or the fingerprint of a version of the root set in
//! `reviews/roots.yaml` (`roots:sha256:…`, threshold roots, spec §7a).
//!
//! It is pinned outside the repository — `--trust-root`, else the
//! environment variable `SANSHEN_TRUST_ROOT` — so that a pusher cannot
//! re-root the site's governance. A value that is given but empty or
//! malformed (what CI passes for a secret it cannot read) is an error that
//! names where it came from, never a fallback. Only when neither is given
//! does `site.yaml`'s `trust_root` serve, so that the example site builds
//! with no flags; such a build is marked `repository` in the manifest,
//! fails `build --strict` and cannot be deployed.

use crate::config::Site;
use crate::diag::Diagnostic;
use crate::gate;

pub const ENV: &str = "SANSHEN_TRUST_ROOT";

/// Where the trust root came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// `--trust-root` or `SANSHEN_TRUST_ROOT`: outside the repository.
    Pinned,
    /// `site.yaml`: inside the repository, no protection against a pusher.
    Repository,
}

impl Trust {
    /// The manifest's word: `pinned` or `repository`.
    pub fn word(self) -> &'static str {
        match self {
            Trust::Pinned => "pinned",
            Trust::Repository => "repository",
        }
    }
}

/// The word [`Trust::Repository`] writes into the manifest.
pub const REPOSITORY: &str = "repository";

/// The one-time warning of a build whose trust root is in the repository.
pub fn repository_warning() -> Diagnostic {
    Diagnostic::new(
        crate::config::FILE,
        "信任根取自 site.yaml 的 trust_root（仓库内信任根）：能向仓库推送的人可以换掉它，本次输出只能预览，--strict 失败，deploy 拒绝部署",
    )
    .help("正式构建：sanshen build --trust-root ed25519:…，或在 CI 中设置 SANSHEN_TRUST_ROOT（公钥由网站主管单位保管）。")
}

/// The trust root: `flag` (`--trust-root`), else `SANSHEN_TRUST_ROOT`,
/// else `site.yaml`.
pub fn resolve(flag: Option<&str>, site: &Site) -> Result<(String, Trust), Diagnostic> {
    let env = std::env::var_os(ENV).map(|v| v.to_string_lossy().into_owned());
    resolve_from(flag, env.as_deref(), site.config.trust_root.as_deref())
}

/// [`resolve`] over given values (`env`: the variable's value when set).
pub fn resolve_from(
    flag: Option<&str>,
    env: Option<&str>,
    site_yaml: Option<&str>,
) -> Result<(String, Trust), Diagnostic> {
    if let Some(v) = flag {
        return checked(v, "--trust-root", "命令行参数 --trust-root").map(|r| (r, Trust::Pinned));
    }
    if let Some(v) = env {
        return checked(v, ENV, &format!("环境变量 {ENV}")).map(|r| (r, Trust::Pinned));
    }
    if let Some(v) = site_yaml.filter(|v| !v.trim().is_empty()) {
        return checked(v, crate::config::FILE, "site.yaml 的 trust_root")
            .map(|r| (r, Trust::Repository));
    }
    Err(Diagnostic::new(
        "--trust-root",
        "未指定信任根公钥（trust root），无法验证审核人名单与审核政策",
    )
    .help(format!(
        "构建时加 --trust-root ed25519:…，或设置环境变量 {ENV}；公钥由网站主管单位保管。"
    )))
}

/// `value` as a public key, or an error naming `from`.
fn checked(value: &str, file: &str, from: &str) -> Result<String, Diagnostic> {
    let v = value.trim();
    let fix = format!(
        "{from} 应为根密钥的公钥 ed25519:…，或根密钥组的指纹 roots:sha256:…（由网站主管单位保管）。在 CI 中为空，通常是密钥变量（secret）在这次运行中不可用（例如来自分支或外部贡献的合并请求）：请修正配置，不要去掉它。"
    );
    if v.is_empty() {
        return Err(Diagnostic::new(
            file,
            format!("{from} 已给出但为空：拒绝构建（不会改用 site.yaml 中的信任根）"),
        )
        .help(fix));
    }
    gate::parse_pin(v).map_err(|m| {
        Diagnostic::new(
            file,
            format!("{from} 的值不是有效的公钥或根密钥组指纹（{m}）：拒绝构建（不会改用 site.yaml 中的信任根）"),
        )
        .help(fix.clone())
    })?;
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        let k = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        gate::format_public_key(&k.verifying_key())
    }

    #[test]
    fn flag_then_env_then_site_yaml() {
        let k = key();
        assert_eq!(
            resolve_from(Some(&k), Some("x"), None).unwrap(),
            (k.clone(), Trust::Pinned)
        );
        assert_eq!(
            resolve_from(None, Some(&k), Some("y")).unwrap(),
            (k.clone(), Trust::Pinned)
        );
        assert_eq!(
            resolve_from(None, None, Some(&k)).unwrap(),
            (k.clone(), Trust::Repository)
        );
        assert!(resolve_from(None, None, None).is_err());
    }

    #[test]
    fn given_but_empty_or_malformed_never_falls_back() {
        let k = key();
        let e = resolve_from(None, Some(""), Some(&k)).unwrap_err();
        assert_eq!(e.file, ENV);
        assert!(e.message.contains("为空"), "{}", e.message);
        let e = resolve_from(Some("  "), None, Some(&k)).unwrap_err();
        assert_eq!(e.file, "--trust-root");
        let e = resolve_from(None, Some("ed25519:nope"), Some(&k)).unwrap_err();
        assert_eq!(e.file, ENV);
        assert!(e.message.contains("不是有效的公钥"), "{}", e.message);
        let pin = format!("roots:sha256:{}", "ab".repeat(32));
        assert_eq!(
            resolve_from(Some(&pin), None, None).unwrap(),
            (pin, Trust::Pinned)
        );
        assert!(resolve_from(Some("roots:sha256:AB"), None, None).is_err());
    }
}
