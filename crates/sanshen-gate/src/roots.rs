//! `reviews/roots.yaml` (spec §7a): the chain of root-set versions. Each
//! version names its keys and threshold; version n+1 is valid when at
//! least threshold(n) keys of version n AND threshold(n+1) of its own keys
//! sign its message (TUF). The pin (`roots:sha256:…`) names one version;
//! the chain is walked forward from it, and versions before it are never
//! used.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::keys::{format_public_key, parse_public_key};
use super::messages::roots_message;
use super::rootset::{pairs, KeySignature, Pin, RootSet, PIN_PREFIX};
use super::yaml::{self, find_key_line, yaml_quote, Text};
use super::GateError;

/// Where the root sets live in a site.
pub const FILE: &str = "reviews/roots.yaml";

const HELP: &str = "reviews/roots.yaml 的格式：versions: 下每一版写 version（从 1 起连续）、threshold（至少几把密钥签署）、keys（根公钥 ed25519:… 列表）和 signatures（- key: ed25519:… / value: 签名）。用 sanshen root init / rotate / sign 生成，不要手工改动。";

/// One version of the root set, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootVersion {
    /// 1, 2, … in file order.
    pub version: u64,
    /// 1 ≤ threshold ≤ number of keys.
    pub threshold: usize,
    /// Canonical `ed25519:…`, sorted bytewise, distinct.
    pub keys: Vec<String>,
    /// The holders' signatures over [`Self::message`], as written.
    pub signatures: Vec<KeySignature>,
    /// The line of its `version:` key.
    pub line: usize,
}

impl RootVersion {
    /// A new unsigned version; keys are canonicalised and sorted.
    pub fn new(version: u64, threshold: usize, keys: &[String]) -> Result<RootVersion, String> {
        let mut canon = Vec::with_capacity(keys.len());
        for k in keys {
            let c = format_public_key(&parse_public_key(k.trim())?);
            if canon.contains(&c) {
                return Err(format!("根公钥 {c} 重复：每位持有人只能列一次"));
            }
            canon.push(c);
        }
        canon.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        if threshold < 1 || threshold > canon.len() {
            return Err(format!(
                "threshold 应在 1 到密钥数 {} 之间，这里是 {threshold}",
                canon.len()
            ));
        }
        Ok(RootVersion {
            version,
            threshold,
            keys: canon,
            signatures: Vec::new(),
            line: 0,
        })
    }

    /// The exact bytes each holder signs (signatures excluded).
    pub fn message(&self) -> String {
        roots_message(
            self.version,
            self.threshold,
            self.keys.iter().map(String::as_str),
        )
    }

    /// `roots:sha256:` + hex(SHA-256([`Self::message`])): the pin.
    pub fn fingerprint(&self) -> String {
        let hash = Sha256::digest(self.message().as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        format!("{PIN_PREFIX}{hex}")
    }

    /// This version as the root set that verifies governance.
    pub fn set(&self) -> RootSet {
        RootSet {
            version: Some(self.version),
            threshold: self.threshold,
            keys: self.keys.clone(),
        }
    }

    /// Distinct keys of `set` whose signature on this version verifies.
    pub fn count_by(&self, set: &RootSet) -> usize {
        set.count(self.message().as_bytes(), pairs(&self.signatures))
    }
}

/// The whole chain, in version order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    /// Versions 1, 2, …
    pub versions: Vec<RootVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoots {
    versions: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    version: Text,
    threshold: Text,
    keys: Vec<Text>,
    #[serde(default)]
    signatures: Vec<RawSignature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    key: Text,
    value: Text,
}

fn err(line: Option<usize>, message: impl Into<String>) -> GateError {
    GateError::new(FILE, line, message, HELP)
}

fn positive(text: &str) -> Option<u64> {
    let ok = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    ok.then(|| text.parse().ok()).flatten()
}

/// Read and check `reviews/roots.yaml` (its shape only: signatures are
/// checked by [`Roots::walk`]).
pub fn read_roots(bytes: &[u8]) -> Result<Roots, GateError> {
    let src = std::str::from_utf8(bytes).map_err(|_| err(None, "roots.yaml 不是 UTF-8 编码"))?;
    let raw: RawRoots = yaml::from_str(src).map_err(|e| e.into_gate(FILE, HELP))?;
    if raw.versions.is_empty() {
        return Err(err(None, "roots.yaml 的 versions 为空：至少要有第 1 版"));
    }
    let mut versions = Vec::with_capacity(raw.versions.len());
    for (i, r) in raw.versions.into_iter().enumerate() {
        let line = find_key_line(src, "version", 1, i + 1).unwrap_or(1);
        let at = |key: &str| find_key_line(src, key, line, 1).or(Some(line));
        let want = i as u64 + 1;
        match positive(&r.version.0) {
            Some(v) if v == want => {}
            _ => {
                return Err(err(
                    Some(line),
                    format!(
                        "第 {} 项的 version 应为 {want}（从 1 起连续编号），这里是 {}",
                        i + 1,
                        r.version.0
                    ),
                ))
            }
        }
        let Some(threshold) = positive(&r.threshold.0).and_then(|t| usize::try_from(t).ok()) else {
            return Err(err(
                at("threshold"),
                format!(
                    "第 {want} 版的 threshold 应为正整数，这里是 {}",
                    r.threshold.0
                ),
            ));
        };
        let keys: Vec<String> = r.keys.into_iter().map(|k| k.0).collect();
        let mut v = RootVersion::new(want, threshold, &keys)
            .map_err(|m| err(at("keys"), format!("第 {want} 版：{m}")))?;
        v.line = line;
        for s in r.signatures {
            let sline = find_text_line_from(src, &s.key.0, line).or(Some(line));
            let key = parse_public_key(s.key.0.trim())
                .map(|k| format_public_key(&k))
                .map_err(|m| err(sline, format!("第 {want} 版的签名 key 无效：{m}")))?;
            v.signatures.push(KeySignature {
                key,
                value: s.value.0,
            });
        }
        versions.push(v);
    }
    Ok(Roots { versions })
}

/// The first line at or after `from` containing `needle`.
fn find_text_line_from(src: &str, needle: &str, from: usize) -> Option<usize> {
    src.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
}

/// The text of a roots.yaml holding `roots`.
pub fn render_roots(roots: &Roots) -> String {
    let mut out = String::from("versions:\n");
    for v in &roots.versions {
        out.push_str(&format!(
            "- version: {}\n  threshold: {}\n  keys:\n",
            v.version, v.threshold
        ));
        for k in &v.keys {
            out.push_str(&format!("  - {}\n", yaml_quote(k)));
        }
        if v.signatures.is_empty() {
            out.push_str("  signatures: []\n");
        } else {
            out.push_str("  signatures:\n");
            for s in &v.signatures {
                out.push_str(&format!(
                    "  - key: {}\n    value: {}\n",
                    yaml_quote(&s.key),
                    yaml_quote(&s.value)
                ));
            }
        }
    }
    out
}

impl Roots {
    /// The last version.
    pub fn latest(&self) -> &RootVersion {
        // `read_roots` refuses an empty list; `Roots` built in code always
        // has at least one version.
        &self.versions[self.versions.len() - 1]
    }

    /// The version whose fingerprint is `pin`.
    pub fn by_fingerprint(&self, pin: &str) -> Option<&RootVersion> {
        self.versions.iter().find(|v| v.fingerprint() == pin)
    }

    /// What version `next` has of the signatures it needs:
    /// `(by the previous version's keys, by its own keys)`.
    pub fn counts(&self, next: &RootVersion) -> Option<(usize, usize)> {
        let prev = self
            .versions
            .iter()
            .find(|v| v.version + 1 == next.version)?;
        Some((next.count_by(&prev.set()), next.count_by(&next.set())))
    }

    /// Walk forward from the version numbered `from` to the latest; each
    /// step must be signed by the old threshold and the new one. Returns
    /// the latest version.
    pub fn walk(&self, from: u64) -> Result<&RootVersion, GateError> {
        let start = self
            .versions
            .iter()
            .position(|v| v.version == from)
            .ok_or_else(|| err(None, format!("roots.yaml 中没有第 {from} 版")))?;
        let mut prev = &self.versions[start];
        for next in &self.versions[start + 1..] {
            let old = next.count_by(&prev.set());
            let own = next.count_by(&next.set());
            if old < prev.threshold || own < next.threshold {
                return Err(GateError::new(
                    FILE,
                    Some(next.line),
                    format!(
                        "第 {} 版根密钥组未获足够签署：第 {} 版（上一版）的密钥有效签名 {old} 个，需要 {} 个；第 {} 版（本版）的密钥有效签名 {own} 个，需要 {} 个。根密钥组可能被未经授权地更换，整个构建停止",
                        next.version, prev.version, prev.threshold, next.version, next.threshold
                    ),
                    format!(
                        "由第 {} 版的根密钥持有人（至少 {} 人）和第 {} 版的持有人（至少 {} 人）依次运行 sanshen root sign --key <本人私钥.pem>；若不是授权的更换，请恢复 reviews/roots.yaml。",
                        prev.version, prev.threshold, next.version, next.threshold
                    ),
                ));
            }
            prev = next;
        }
        Ok(prev)
    }
}

/// The root set that verifies governance under `pin`: the pinned key
/// itself, or the latest version of `roots_yaml` reached by walking
/// forward from the pinned version.
pub fn trusted_set(pin: &Pin, roots_yaml: Option<&[u8]>) -> Result<RootSet, GateError> {
    let fp = match pin {
        Pin::Key(k) => {
            return RootSet::single(k).map_err(|m| GateError::new("--trust-root", None, m, HELP))
        }
        Pin::Roots(fp) => fp,
    };
    let Some(bytes) = roots_yaml else {
        return Err(GateError::new(
            FILE,
            None,
            format!("信任根是根密钥组指纹 {fp}，但站点中没有 reviews/roots.yaml"),
            "恢复 reviews/roots.yaml（用 sanshen root init 创建），或把信任根换成根公钥 ed25519:…。",
        ));
    };
    let roots = read_roots(bytes)?;
    let Some(pinned) = roots.by_fingerprint(fp) else {
        return Err(GateError::new(
            FILE,
            None,
            format!("reviews/roots.yaml 中没有指纹为 {fp} 的版本：信任根（--trust-root / SANSHEN_TRUST_ROOT）指向的根密钥组不在仓库中，可能被删改"),
            "运行 sanshen root fingerprint --version N 核对各版指纹；恢复被删改的 reviews/roots.yaml，或由主管单位更新信任根。",
        ));
    };
    Ok(roots.walk(pinned.version)?.set())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::sign_message;
    use crate::rootset::tests::{pk, sk};

    fn version(n: u64, t: usize, seeds: &[u8]) -> RootVersion {
        let keys: Vec<String> = seeds.iter().map(|s| pk(*s)).collect();
        RootVersion::new(n, t, &keys).unwrap()
    }

    fn sign(v: &mut RootVersion, seeds: &[u8]) {
        for s in seeds {
            let value = sign_message(&sk(*s), &v.message());
            v.signatures.push(KeySignature { key: pk(*s), value });
        }
    }

    fn chain(v2_signers: &[u8]) -> Roots {
        let v1 = version(1, 2, &[1, 2, 3]);
        let mut v2 = version(2, 2, &[2, 4, 5]);
        sign(&mut v2, v2_signers);
        Roots {
            versions: vec![v1, v2],
        }
    }

    #[test]
    fn message_and_fingerprint_are_canonical() {
        let a = RootVersion::new(1, 2, &[pk(1), pk(2)]).unwrap();
        let b = RootVersion::new(1, 2, &[pk(2), format!(" {} ", pk(1))]).unwrap();
        assert_eq!(a.message(), b.message());
        assert!(a.message().starts_with("sanshen-roots-v1\n1\n2\ned25519:"));
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert!(a.fingerprint().starts_with(PIN_PREFIX));
        assert_eq!(a.fingerprint().len(), PIN_PREFIX.len() + 64);
        assert_ne!(a.fingerprint(), version(1, 1, &[1, 2]).fingerprint());
        assert!(RootVersion::new(1, 3, &[pk(1), pk(2)]).is_err());
        assert!(RootVersion::new(1, 0, &[pk(1)]).is_err());
        assert!(RootVersion::new(1, 1, &[pk(1), pk(1)]).is_err());
    }

    #[test]
    fn rotation_needs_old_and_new_thresholds() {
        // Old 2 (keys 1, 2) + new 2 (keys 2, 4): key 2 is in both sets.
        let ok = chain(&[1, 2, 4]);
        assert_eq!(ok.walk(1).unwrap().version, 2);
        // The new keys alone: refused, naming the counts.
        let e = chain(&[2, 4, 5]).walk(1).unwrap_err();
        assert!(e.message.contains("第 2 版根密钥组未获足够签署"), "{e}");
        assert!(e.message.contains("有效签名 1 个，需要 2 个"), "{e}");
        // The old keys alone: refused.
        let e = chain(&[1, 3]).walk(1).unwrap_err();
        assert!(e.message.contains("本版）的密钥有效签名 0 个"), "{e}");
        // Duplicated signatures of one old key count once.
        assert!(chain(&[1, 1, 4, 5]).walk(1).is_err());
        // Pinned at v2, v1 is never consulted.
        let bad = chain(&[4, 5]);
        assert_eq!(bad.walk(2).unwrap().version, 2);
    }

    #[test]
    fn trusted_set_walks_from_the_pin() {
        let roots = chain(&[1, 3, 4, 5]);
        let text = render_roots(&roots);
        let back = read_roots(text.as_bytes()).unwrap();
        assert_eq!(back.versions.len(), 2);
        assert_eq!(back.latest().signatures.len(), 4);
        assert_eq!(
            back.versions[0].fingerprint(),
            roots.versions[0].fingerprint()
        );
        let pin = Pin::Roots(roots.versions[0].fingerprint());
        let set = trusted_set(&pin, Some(text.as_bytes())).unwrap();
        assert_eq!((set.version, set.threshold), (Some(2), 2));
        let unknown = Pin::Roots(format!("{PIN_PREFIX}{}", "0".repeat(64)));
        let e = trusted_set(&unknown, Some(text.as_bytes())).unwrap_err();
        assert!(e.message.contains("没有指纹为"), "{e}");
        assert!(trusted_set(&pin, None).is_err());
        let single = trusted_set(&Pin::Key(pk(7)), None).unwrap();
        assert_eq!(single.version, None);
    }

    #[test]
    fn bad_files_name_the_line() {
        let good = render_roots(&chain(&[1, 2]));
        read_roots(good.as_bytes()).unwrap();
        for (bad, line, word) in [
            (
                good.replacen("version: 2", "version: 3", 1),
                9,
                "version 应为 2",
            ),
            (
                good.replacen("threshold: 2", "threshold: 0", 1),
                3,
                "threshold",
            ),
            (
                good.replacen("threshold: 2", "threshold: 4", 1),
                4,
                "threshold",
            ),
            (good.replacen("keys:", "kyes:", 1), 4, "kyes"),
            (good.replacen(&pk(2), &pk(1), 1), 4, "重复"),
            ("versions: []\n".to_string(), 0, "至少"),
        ] {
            let e = read_roots(bad.as_bytes()).unwrap_err();
            assert!(e.message.contains(word), "{bad}\n{e}");
            if line > 0 {
                assert_eq!(e.line, Some(line), "{bad}\n{e}");
            }
        }
    }
}
