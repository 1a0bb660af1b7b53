//! Reading `reviews/` for the gate: the files, the trust root, the
//! governance check, then the parsed keyring, policy and sources.

use std::collections::BTreeMap;

use crate::config::Site;
use crate::content::Tree;
use crate::diag::Diagnostic;
use crate::gate::{self, GateError, Reviews};

pub const DIR: &str = "reviews";
pub const TRUST_ROOT_ENV: &str = "SANSHEN_TRUST_ROOT";

/// A gate error as a diagnostic.
pub fn diagnostic(e: GateError) -> Diagnostic {
    let mut d = Diagnostic::new(e.file, e.message).help(e.help);
    d.line = e.line;
    d
}

/// Every file under `reviews/`, by name relative to it.
pub fn read_files(tree: &dyn Tree) -> Result<BTreeMap<String, Vec<u8>>, Diagnostic> {
    let list = tree
        .list(DIR)
        .map_err(|e| Diagnostic::new(DIR, format!("无法读取 reviews/ 目录：{e}")))?;
    let mut files = BTreeMap::new();
    for path in list {
        let bytes = tree
            .read(&path)
            .map_err(|e| Diagnostic::new(&path, format!("无法读取文件：{e}")))?;
        files.insert(path[DIR.len() + 1..].to_string(), bytes);
    }
    Ok(files)
}

/// Where the trust root came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootSource {
    Flag,
    Env,
    SiteYaml,
}

/// The pinned root key: `--trust-root`, else `SANSHEN_TRUST_ROOT`, else
/// `site.yaml`'s `trust_root`.
pub fn trust_root(flag: Option<&str>, site: &Site) -> Result<(String, RootSource), Diagnostic> {
    if let Some(r) = flag.filter(|r| !r.trim().is_empty()) {
        return Ok((r.trim().to_string(), RootSource::Flag));
    }
    if let Ok(r) = std::env::var(TRUST_ROOT_ENV) {
        if !r.trim().is_empty() {
            return Ok((r.trim().to_string(), RootSource::Env));
        }
    }
    if let Some(r) = site
        .config
        .trust_root
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        return Ok((r.trim().to_string(), RootSource::SiteYaml));
    }
    Err(Diagnostic::new(
        "--trust-root",
        "未指定信任根公钥（trust root），无法验证审核人名单与审核政策",
    )
    .help("构建时加 --trust-root ed25519:…，或设置环境变量 SANSHEN_TRUST_ROOT；公钥由网站主管单位保管。"))
}

/// The warning printed when the root is pinned inside the repository.
pub const PINNED_IN_REPO_WARNING: &str = "信任根取自 site.yaml 的 trust_root：放在仓库里的信任根，对能向仓库推送的人没有任何防护作用。正式发布请在 CI 中用 --trust-root 或 SANSHEN_TRUST_ROOT 提供。";

/// Verify the governance signature over `files`, then parse them.
pub fn load(files: &BTreeMap<String, Vec<u8>>, root: &str) -> Result<Reviews, Diagnostic> {
    if !files.contains_key("governance.yaml") {
        return Err(Diagnostic::new(
            "reviews/governance.yaml",
            "缺少 reviews/governance.yaml（根密钥对审核人名单与审核政策的签名）",
        )
        .help("由持有根密钥的负责人运行 sanshen governance sign --key ROOT.pem 生成。"));
    }
    gate::verify_governance(files, root).map_err(diagnostic)?;
    Reviews::parse(files).map_err(diagnostic)
}
