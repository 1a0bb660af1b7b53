//! `reviews/roots.yaml`, the chain of threshold root sets (spec §7a):
//! creating version 1, appending the next version, a holder's signature
//! on the latest version, fingerprints, and verifying the chain.

use std::path::Path;

use super::files::write_atomic;
use super::site::SiteOpts;
use super::Error;
use crate::diag::Diagnostic;
use crate::gate::{self, KeySignature, RootVersion, Roots};
use crate::reviews;

/// A holder's signature added to the latest version.
#[derive(Debug, Clone)]
pub struct RootSigned {
    pub version: u64,
    /// `(have, need)` by the previous version's keys (none for version 1).
    pub old: Option<(usize, usize)>,
    /// `(have, need)` by the version's own keys.
    pub own: (usize, usize),
}

/// One version in `root verify`.
#[derive(Debug, Clone)]
pub struct VersionReport {
    pub version: RootVersion,
    pub fingerprint: String,
    pub old: Option<(usize, usize)>,
    pub own: (usize, usize),
    /// Before the pinned version: never used.
    pub ignored: bool,
}

/// `sanshen root verify`.
#[derive(Debug, Clone)]
pub struct ChainReport {
    /// The version the pin names (1 without a `roots:` pin).
    pub pinned: u64,
    /// Whether the pin is a `roots:sha256:` fingerprint from outside the repository.
    pub fingerprint_pin: bool,
    pub versions: Vec<VersionReport>,
    /// The latest version when the chain verifies, else the error.
    pub outcome: Result<u64, String>,
}

fn path(root: &Path) -> std::path::PathBuf {
    root.join(gate::roots::FILE)
}

fn read(root: &Path) -> Result<Option<Roots>, Error> {
    let p = path(root);
    match std::fs::read(&p) {
        Ok(bytes) => gate::read_roots(&bytes)
            .map(Some)
            .map_err(|e| reviews::diagnostic(e).into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(gate::roots::FILE, format!("无法读取：{e}")).into()),
    }
}

fn write(root: &Path, roots: &Roots) -> Result<(), Error> {
    write_atomic(&path(root), gate::render_roots(roots).as_bytes())
        .map_err(|e| Diagnostic::new(gate::roots::FILE, format!("无法写入：{e}")).into())
}

fn new_version(n: u64, threshold: usize, keys: &[String]) -> Result<RootVersion, Error> {
    RootVersion::new(n, threshold, keys).map_err(|m| {
        Diagnostic::new("--key", m)
            .help("每位持有人一个 --key ed25519:…（sanshen keygen 打印的公钥），--threshold 不大于密钥数。")
            .into()
    })
}

/// `sanshen root init`: write version 1 (unsigned: the pin fixes it).
pub fn init(root: &Path, threshold: usize, keys: &[String]) -> Result<RootVersion, Error> {
    if read(root)?.is_some() {
        return Err(
            Diagnostic::new(gate::roots::FILE, "reviews/roots.yaml 已存在，不能重新创建")
                .help("要更换根密钥组，用 sanshen root rotate（由现任持有人签署）。")
                .into(),
        );
    }
    let v1 = new_version(1, threshold, keys)?;
    write(
        root,
        &Roots {
            versions: vec![v1.clone()],
        },
    )?;
    Ok(v1)
}

fn missing() -> Error {
    Diagnostic::new(gate::roots::FILE, "没有 reviews/roots.yaml")
        .help("先用 sanshen root init --threshold K --key ed25519:… 创建第 1 版。")
        .into()
}

/// `sanshen root rotate`: append the next version (unsigned).
pub fn rotate(root: &Path, threshold: usize, keys: &[String]) -> Result<RootVersion, Error> {
    let mut roots = read(root)?.ok_or_else(missing)?;
    roots.walk(1).map_err(|e| {
        Error::then(
            reviews::diagnostic(e),
            "未更换：当前最新一版尚未获足够签署，先补齐签名（sanshen root sign）。",
        )
    })?;
    let next = new_version(roots.latest().version + 1, threshold, keys)?;
    roots.versions.push(next.clone());
    write(root, &roots)?;
    Ok(next)
}

/// `sanshen root sign`: add the holder's signature to the latest version.
pub fn sign(
    root: &Path,
    key_path: &Path,
    passphrase: &super::keys::Passphrase,
) -> Result<RootSigned, Error> {
    let key = super::keys::load_secret_key(root, key_path, passphrase)?;
    let public = gate::format_public_key(&key.verifying_key());
    let mut roots = read(root)?.ok_or_else(missing)?;
    let n = roots.versions.len();
    let prev_set = (n >= 2).then(|| roots.versions[n - 2].set());
    let latest = &mut roots.versions[n - 1];
    let own_set = latest.set();
    let allowed =
        own_set.contains(&public) || prev_set.as_ref().is_some_and(|s| s.contains(&public));
    if !allowed {
        return Err(Diagnostic::new(
            key_path.display().to_string(),
            format!(
                "这把密钥（{public}）既不在第 {} 版根密钥组中，也不在上一版中，它的签名不计入",
                latest.version
            ),
        )
        .help("请用现任或新任根密钥持有人本人的私钥签署。")
        .into());
    }
    let message = latest.message();
    let mut both = own_set.clone();
    if let Some(p) = &prev_set {
        both.keys.extend(p.keys.iter().cloned());
    }
    let already = both.signers(message.as_bytes(), gate::rootset::pairs(&latest.signatures));
    if already.contains(&public) {
        return Err(Diagnostic::new(
            gate::roots::FILE,
            format!(
                "这把密钥（{public}）已经签署过第 {} 版，不能重复签署",
                latest.version
            ),
        )
        .help("请其他根密钥持有人用各自的私钥签署。")
        .into());
    }
    let value = gate::messages::sign_message(&key, &message);
    latest.signatures.push(KeySignature { key: public, value });
    let signed = RootSigned {
        version: latest.version,
        old: prev_set.as_ref().map(|p| (latest.count_by(p), p.threshold)),
        own: (latest.count_by(&own_set), own_set.threshold),
    };
    write(root, &roots)?;
    Ok(signed)
}

/// `sanshen root fingerprint`: version `n` (default the latest).
pub fn fingerprint(root: &Path, n: Option<u64>) -> Result<RootVersion, Error> {
    let roots = read(root)?.ok_or_else(missing)?;
    match n {
        None => Ok(roots.latest().clone()),
        Some(n) => roots
            .versions
            .iter()
            .find(|v| v.version == n)
            .cloned()
            .ok_or_else(|| {
                Diagnostic::new("--version", format!("reviews/roots.yaml 中没有第 {n} 版"))
                    .help(format!("现有第 1 至第 {} 版。", roots.latest().version))
                    .into()
            }),
    }
}

/// `sanshen root verify`: every version's signatures, walking forward
/// from the pinned version (version 1 without a `roots:` pin).
pub fn verify(site: &SiteOpts) -> Result<ChainReport, Error> {
    let roots = read(&site.root)?.ok_or_else(missing)?;
    let env = std::env::var_os(crate::trust::ENV).map(|v| v.to_string_lossy().into_owned());
    let pin = match (&site.trust_root, &env) {
        (None, None) => None,
        _ => {
            let (p, _) =
                crate::trust::resolve_from(site.trust_root.as_deref(), env.as_deref(), None)?;
            gate::parse_pin(&p).ok()
        }
    };
    let (pinned, fingerprint_pin) = match &pin {
        Some(gate::Pin::Roots(fp)) => match roots.by_fingerprint(fp) {
            Some(v) => (v.version, true),
            None => {
                return Err(Diagnostic::new(
                    gate::roots::FILE,
                    format!("reviews/roots.yaml 中没有指纹为 {fp} 的版本"),
                )
                .help("核对信任根（--trust-root / SANSHEN_TRUST_ROOT）；恢复被删改的 reviews/roots.yaml。")
                .into())
            }
        },
        _ => (1, false),
    };
    let versions = roots
        .versions
        .iter()
        .map(|v| VersionReport {
            fingerprint: v.fingerprint(),
            old: roots.counts(v).map(|(have, _)| {
                let prev = &roots.versions[(v.version - 2) as usize];
                (have, prev.threshold)
            }),
            own: (v.count_by(&v.set()), v.threshold),
            ignored: v.version < pinned,
            version: v.clone(),
        })
        .collect();
    let outcome = roots
        .walk(pinned)
        .map(|v| v.version)
        .map_err(|e| reviews::diagnostic(e).to_string());
    Ok(ChainReport {
        pinned,
        fingerprint_pin,
        versions,
        outcome,
    })
}
