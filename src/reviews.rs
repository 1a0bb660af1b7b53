//! Reading `reviews/` for the gate: the files, the trust root, the
//! governance check over the site's frame (spec §7), then the parsed
//! keyring, policy and sources.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::config::Site;
use crate::content::Tree;
use crate::diag::Diagnostic;
use crate::gate::{self, GateError, Reviews};

pub const DIR: &str = "reviews";

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

/// The warning printed when the root is pinned inside the repository.
pub const PINNED_IN_REPO_WARNING: &str = "信任根取自 site.yaml 的 trust_root：放在仓库里的信任根，对能向仓库推送的人没有任何防护作用。正式发布请在 CI 中用 --trust-root 或 SANSHEN_TRUST_ROOT 提供。";

/// The site's frame (spec §7), site path → `"sha256:…"` of the raw bytes:
/// every file under `reviews/` except governance.yaml and roots.yaml (the
/// signatures, not the signed), `site.yaml`, every
/// `content/**/_index.md`, every file under `themes/<theme>/` when that
/// folder exists (else the built-in theme, covered by the binary), and
/// every file under `static/`.
pub fn frame(tree: &dyn Tree, theme: &str) -> Result<BTreeMap<String, String>, Diagnostic> {
    let clean = !theme.is_empty() && !theme.contains(['/', '\\']) && theme != "." && theme != "..";
    if !clean {
        return Err(Diagnostic::new(
            crate::config::FILE,
            format!("site.yaml 的 theme `{theme}` 不是有效的主题名"),
        )
        .help("theme 写 themes/ 下一个文件夹的名字，例如 theme: default。"));
    }
    let theme_dir = format!("themes/{theme}");
    let list = |dir: &str| {
        tree.list(dir)
            .map_err(|e| Diagnostic::new(dir, format!("无法读取 {dir}/ 目录：{e}")))
    };
    let mut paths: Vec<String> = list(DIR)?
        .into_iter()
        .filter(|p| p != gate::governance::FILE && p != gate::roots::FILE)
        .collect();
    paths.push(crate::config::FILE.to_string());
    paths.extend(
        list(crate::content::CONTENT_DIR)?
            .into_iter()
            .filter(|p| p.rsplit('/').next() == Some("_index.md")),
    );
    if tree.is_dir(&theme_dir) {
        paths.extend(list(&theme_dir)?);
    }
    paths.extend(list("static")?);
    let mut out = BTreeMap::new();
    for path in paths {
        if !gate::governance::clean_site_path(&path) {
            return Err(Diagnostic::new(
                &path,
                "文件名含空格、控制字符或无效的路径段，不能列入根密钥的签署范围",
            )
            .help(
                "把文件改名（不含空格和特殊字符）后，再由根密钥持有人重新签署 governance.yaml。",
            ));
        }
        let bytes = tree
            .read(&path)
            .map_err(|e| Diagnostic::new(&path, format!("无法读取文件：{e}")))?;
        out.insert(path, crate::document::digest_of(&bytes));
    }
    Ok(out)
}

/// Verify governance v2 over the whole frame of the site (the first thing
/// a build does after reading site.yaml), then parse `reviews/` (`files`).
pub fn load(
    tree: &dyn Tree,
    site: &Site,
    files: &BTreeMap<String, Vec<u8>>,
    root: &str,
    now: &DateTime<FixedOffset>,
) -> Result<(Reviews, gate::VerifiedGovernance), Diagnostic> {
    let governance = verify_frame(tree, site, files, root, now)?;
    Ok((Reviews::parse(files).map_err(diagnostic)?, governance))
}

/// The root set that verifies governance under the pin `root`
/// (`ed25519:…` or `roots:sha256:…`, walking `reviews/roots.yaml` forward
/// from the pinned version).
pub fn root_set(
    files: &BTreeMap<String, Vec<u8>>,
    root: &str,
) -> Result<gate::RootSet, Diagnostic> {
    let pin = gate::parse_pin(root).map_err(|m| {
        Diagnostic::new("--trust-root", format!("信任根无效：{m}"))
            .help("信任根应为根公钥 ed25519:… 或根密钥组指纹 roots:sha256:…，由网站主管单位保管。")
    })?;
    gate::trusted_set(&pin, files.get("roots.yaml").map(Vec::as_slice)).map_err(diagnostic)
}

/// Verify `reviews/governance.yaml` (in `files`) over the frame of the
/// site, against the pinned root (key or root set) and the judging clock.
/// The result names the governance for the publication log: its serial,
/// the digest of its signed message and the root-set version.
pub fn verify_frame(
    tree: &dyn Tree,
    site: &Site,
    files: &BTreeMap<String, Vec<u8>>,
    root: &str,
    now: &DateTime<FixedOffset>,
) -> Result<gate::VerifiedGovernance, Diagnostic> {
    let Some(gov) = files.get("governance.yaml") else {
        return Err(Diagnostic::new(
            gate::governance::FILE,
            "缺少 reviews/governance.yaml（根密钥对网站框架的签名）",
        )
        .help(format!(
            "由持有根密钥的负责人运行 {} 生成。",
            gate::governance::SIGN_COMMAND
        )));
    };
    let set = root_set(files, root)?;
    let frame = frame(tree, &site.config.theme)?;
    gate::verify_governance(gov, &frame, &set, now).map_err(diagnostic)
}
