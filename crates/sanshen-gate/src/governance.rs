//! Governance v2 (spec §7): the site's root key, pinned outside the
//! repository, signs the whole **frame** — every file the build reads that
//! is not an article or an article's asset (`reviews/`, `site.yaml`, the
//! columns' `_index.md`, the on-disk theme, `static/`). Any doubt stops the
//! whole build.
//!
//! Pure: the caller enumerates the frame and passes each file's digest
//! (`"sha256:" + hex`), and passes the judging clock.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::keys::{format_public_key, parse_public_key};
use super::messages::governance_message;
use super::rootset::{pairs, KeySignature, RootSet};
use super::yaml::{self, find_key_line, key_line, parse_time, Value};
use super::GateError;

/// Where the governance file lives in a site.
pub const FILE: &str = "reviews/governance.yaml";

/// The one command that writes (or migrates to) a v2 governance.
pub const SIGN_COMMAND: &str = "sanshen governance sign --key <root.pem>";

/// The keys of a v2 governance.yaml.
const KEYS: [&str; 7] = [
    "version",
    "serial",
    "signed_at",
    "expires",
    "files",
    "signature",
    "signatures",
];

const HELP: &str = "网站框架（reviews/ 下的名单与政策、site.yaml、栏目的 _index.md、主题 themes/、static/）每次修改后，都须由持有根密钥的负责人核对，再运行 sanshen governance sign --key <root.pem> 重新签署 reviews/governance.yaml。若不是授权的修改，请恢复原文件。";

/// A parsed v2 governance.yaml (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Governance {
    /// Positive; every re-signing increases it.
    pub serial: u64,
    /// `signed_at`, as written (part of the signed message).
    pub signed_at: String,
    /// `expires`, as written, if any.
    pub expires: Option<String>,
    /// `(site path, "sha256:…")`, sorted bytewise by path.
    pub files: Vec<(String, String)>,
    /// The root keys' signatures over [`Governance::message`].
    pub seal: Seal,
}

/// How governance is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// `signature: base64`: one root key (the v2 form of a single root).
    Single(String),
    /// `signatures: [{key, value}]`: several holders of a root set (§7a).
    Cosigned(Vec<KeySignature>),
}

impl Seal {
    /// `(key, value)` pairs for counting; the single form names no key.
    pub fn pairs(&self) -> Vec<(Option<&str>, &str)> {
        match self {
            Seal::Single(v) => vec![(None, v.as_str())],
            Seal::Cosigned(list) => pairs(list).collect(),
        }
    }
}

impl Governance {
    /// The exact bytes the root keys sign (never the signatures).
    pub fn message(&self) -> String {
        governance_message(
            self.serial,
            &self.signed_at,
            self.expires.as_deref(),
            self.files.iter().map(|(p, d)| (p.as_str(), d.as_str())),
        )
    }

    /// `"sha256:" + hex(SHA-256(message))`: names this governance
    /// independently of who signed it (the publication log records it).
    pub fn digest(&self) -> String {
        let hash = Sha256::digest(self.message().as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }
}

/// A governance that verified, and under what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedGovernance {
    /// The governance file's contents.
    pub governance: Governance,
    /// [`Governance::digest`].
    pub digest: String,
    /// The root-set version that verified it; `None` for a single pinned key.
    pub root_version: Option<u64>,
    /// Distinct root keys whose signature verified.
    pub signers: Vec<String>,
    /// How many were needed.
    pub threshold: usize,
}

impl VerifiedGovernance {
    /// `serial` of the governance.
    pub fn serial(&self) -> u64 {
        self.governance.serial
    }
}

fn err(line: Option<usize>, message: impl Into<String>) -> GateError {
    GateError::new(FILE, line, message, HELP)
}

/// A clean site path: relative, `/`-separated, no empty, `.` or `..`
/// segment, no backslash, whitespace or control character (the signed
/// message separates path and digest with a space).
pub fn clean_site_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

fn valid_digest(d: &str) -> bool {
    d.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn v1_error() -> GateError {
    GateError::new(
        FILE,
        None,
        "reviews/governance.yaml 是旧格式（v1，没有 version，只签署了 reviews/ 下的名单与政策）。新版要求 v2：根密钥须签署整个网站框架（site.yaml、栏目 _index.md、主题、static/、reviews/），否则不能构建",
        format!("由持有根密钥的负责人核对网站框架后运行：{SIGN_COMMAND}（写出 v2，serial 为 1）。"),
    )
}

fn top_line(src: &str, key: &str) -> Option<usize> {
    key_line(src, &[key])
}

fn text_of(src: &str, map: &Value, key: &str) -> Result<Option<String>, GateError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err(
            top_line(src, key),
            format!("{key} 应为带引号的文字，例如 {key}: \"2026-12-01T09:00:00+08:00\""),
        )),
    }
}

fn time_of(src: &str, map: &Value, key: &str) -> Result<Option<String>, GateError> {
    let Some(t) = text_of(src, map, key)? else {
        return Ok(None);
    };
    if parse_time(&t).is_none() {
        return Err(err(
            top_line(src, key),
            format!(
                "{key} 不是带时区的 RFC 3339 时间：{t}（应写成 \"2026-12-01T09:00:00+08:00\"）"
            ),
        ));
    }
    Ok(Some(t))
}

/// The text of governance.yaml as a YAML mapping, and whether it is v2.
fn mapping(bytes: &[u8]) -> Result<(&str, Value), GateError> {
    let src =
        std::str::from_utf8(bytes).map_err(|_| err(None, "governance.yaml 不是 UTF-8 编码"))?;
    let value = yaml::value(src).map_err(|e| e.into_gate(FILE, HELP))?;
    match value {
        m @ Value::Mapping(_) => Ok((src, m)),
        _ => Err(err(
            None,
            "governance.yaml 应为键值对（version、serial、signed_at、files、signature）",
        )),
    }
}

fn serial_of(src: &str, map: &Value) -> Result<u64, GateError> {
    match map.get("serial") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s >= 1) => Ok(n.as_u64().unwrap_or(1)),
        None => Err(err(None, "governance.yaml 缺少 serial（签署序号，正整数）")),
        Some(v) => Err(err(
            top_line(src, "serial"),
            format!(
                "serial 必须是正整数（不加引号，例如 serial: 3），这里是：{}",
                yaml::scalar_text(v).unwrap_or_else(|| "（不是单个值）".into())
            ),
        )),
    }
}

/// Read a governance.yaml. A file without `version` is v1 and is refused
/// with the migration command.
pub fn read_governance(bytes: &[u8]) -> Result<Governance, GateError> {
    let (src, map) = mapping(bytes)?;
    match map.get("version") {
        None => return Err(v1_error()),
        Some(Value::Number(n)) if n.as_u64() == Some(2) => {}
        Some(v) => {
            return Err(err(
                top_line(src, "version"),
                format!(
                    "version 必须是整数 2，这里是：{}",
                    yaml::scalar_text(v).unwrap_or_else(|| "（不是单个值）".into())
                ),
            ))
        }
    }
    for (k, _) in map.as_mapping().into_iter().flatten() {
        let key = yaml::scalar_text(k).unwrap_or_default();
        if !KEYS.contains(&key.as_str()) {
            let hint = yaml::suggest(&key, &KEYS)
                .map(|s| format!("（是不是 {s}？）"))
                .unwrap_or_default();
            return Err(err(
                top_line(src, &key),
                format!(
                    "governance.yaml 中有未知的键 `{key}`{hint}；只允许 {}",
                    KEYS.join("、")
                ),
            ));
        }
    }
    let serial = serial_of(src, &map)?;
    let signed_at = time_of(src, &map, "signed_at")?
        .ok_or_else(|| err(None, "governance.yaml 缺少 signed_at（签署时间）"))?;
    let expires = time_of(src, &map, "expires")?;
    let seal = seal_of(src, &map)?;
    let entries = match map.get("files") {
        Some(Value::Mapping(m)) => m,
        None => {
            return Err(err(
                None,
                "governance.yaml 缺少 files（网站框架文件及其摘要）",
            ))
        }
        Some(_) => {
            return Err(err(
                top_line(src, "files"),
                "files 应为“站点路径: 摘要”的键值对，例如 site.yaml: \"sha256:…\"",
            ))
        }
    };
    let files_line = top_line(src, "files").unwrap_or(1);
    let mut files = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let path = match k {
            Value::String(s) => s.clone(),
            other => yaml::scalar_text(other).unwrap_or_default(),
        };
        // Looked up only for an error: once per entry would be quadratic
        // in the number of frame files.
        let line = || find_key_line(src, &path, files_line, 1);
        if !clean_site_path(&path) || path == FILE || path == super::roots::FILE {
            return Err(err(
                line(),
                format!("files 中的路径 `{path}` 不是有效的站点路径（相对站点根目录、用 / 分隔、不含 . 或 .. 段、空格和控制字符，且不能是 governance.yaml 或 roots.yaml）"),
            ));
        }
        let digest = match v {
            Value::String(d) if valid_digest(d) => d.clone(),
            other => {
                return Err(err(
                    line(),
                    format!(
                        "{path} 的摘要无效：{}（应为 \"sha256:\" 加 64 位小写十六进制）",
                        yaml::scalar_text(other).unwrap_or_default()
                    ),
                ))
            }
        };
        files.push((path, digest));
    }
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(Governance {
        serial,
        signed_at,
        expires,
        files,
        seal,
    })
}

/// `signature:` or `signatures:` (exactly one of them).
fn seal_of(src: &str, map: &Value) -> Result<Seal, GateError> {
    let single = text_of(src, map, "signature")?;
    let list = map.get("signatures").filter(|v| !v.is_null());
    match (single, list) {
        (Some(s), None) => Ok(Seal::Single(s)),
        (None, None) => Err(err(
            None,
            "governance.yaml 缺少 signature（根密钥的签名）或 signatures（根密钥组持有人的签名列表）",
        )),
        (Some(_), Some(_)) => Err(err(
            top_line(src, "signatures"),
            "signature 与 signatures 只能写一个",
        )),
        (None, Some(v)) => cosigned(src, v).map(Seal::Cosigned),
    }
}

fn cosigned(src: &str, list: &Value) -> Result<Vec<KeySignature>, GateError> {
    let at = top_line(src, "signatures");
    let shape = || {
        err(
            at,
            "signatures 应为列表，每项写 key: \"ed25519:…\" 和 value: \"签名\"",
        )
    };
    let Value::Sequence(items) = list else {
        return Err(shape());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let line = find_key_line(src, "key", at.unwrap_or(1), i + 1).or(at);
        let Value::Mapping(m) = item else {
            return Err(shape());
        };
        let text = |k: &str| match m.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let (Some(key), Some(value), 2) = (text("key"), text("value"), m.len()) else {
            return Err(err(
                line,
                format!(
                    "signatures 的第 {} 项应恰好有 key 与 value 两个带引号的文字",
                    i + 1
                ),
            ));
        };
        let key = parse_public_key(key.trim())
            .map(|k| format_public_key(&k))
            .map_err(|e| {
                err(
                    line,
                    format!("signatures 的第 {} 项的 key 无效：{e}", i + 1),
                )
            })?;
        out.push(KeySignature { key, value });
    }
    Ok(out)
}

/// The serial of the governance a new signing replaces: 0 for none or a
/// v1 file (the new one gets 1). A v2 file whose serial cannot be read is
/// an error: re-signing must never lower the serial silently.
pub fn previous_serial(bytes: Option<&[u8]>) -> Result<u64, GateError> {
    let Some(bytes) = bytes else {
        return Ok(0);
    };
    let (src, map) = mapping(bytes)?;
    if map.get("version").is_none() {
        return Ok(0);
    }
    serial_of(src, &map)
}

/// Verify governance.yaml (`bytes`) against the trusted root set `roots`
/// (a single pinned key is the set {1 of [it]}), the frame (`frame`: every
/// frame file present, site path → `"sha256:…"` of its raw bytes;
/// governance.yaml and roots.yaml excluded) and the judging clock `now`.
pub fn verify_governance(
    bytes: &[u8],
    frame: &BTreeMap<String, String>,
    roots: &RootSet,
    now: &DateTime<FixedOffset>,
) -> Result<VerifiedGovernance, GateError> {
    let gov = read_governance(bytes)?;
    let signers = roots.signers(gov.message().as_bytes(), gov.seal.pairs());
    if signers.len() < roots.threshold {
        return Err(unsigned(&gov, roots, signers.len()));
    }
    if let Some(expires) = &gov.expires {
        if parse_time(expires).is_some_and(|e| e <= *now) {
            let src = std::str::from_utf8(bytes).unwrap_or_default();
            return Err(GateError::new(
                FILE,
                top_line(src, "expires"),
                format!("governance.yaml 已于 {expires} 过期（第 {} 次签署，{}）：根密钥的签署须定期更新", gov.serial, gov.signed_at),
                format!("由持有根密钥的负责人核对网站框架后重新签署：{SIGN_COMMAND} --expires <新的到期时间>（不写 --expires 则不设到期）。"),
            ));
        }
    }
    for (path, digest) in &gov.files {
        match frame.get(path) {
            None => {
                return Err(GateError::new(
                    path.as_str(),
                    None,
                    format!("governance.yaml 列出的 {path} 不存在（或不属于网站框架）"),
                    HELP,
                ))
            }
            Some(d) if d != digest => {
                return Err(GateError::new(
                    path.as_str(),
                    None,
                    format!(
                        "{path} 在根密钥签署（第 {} 次，{}）之后被修改，摘要不符",
                        gov.serial, gov.signed_at
                    ),
                    HELP,
                ))
            }
            Some(_) => {}
        }
    }
    for path in frame.keys() {
        if gov
            .files
            .binary_search_by(|(p, _)| p.as_bytes().cmp(path.as_bytes()))
            .is_err()
        {
            return Err(GateError::new(
                path.as_str(),
                None,
                format!("{path} 属于网站框架（会被构建读取或发布），但没有列入 governance.yaml 的签署范围：未经根密钥签署，不能构建"),
                HELP,
            ));
        }
    }
    Ok(VerifiedGovernance {
        digest: gov.digest(),
        governance: gov,
        root_version: roots.version,
        signers,
        threshold: roots.threshold,
    })
}

/// The error of a governance with too few valid root signatures.
fn unsigned(gov: &Governance, roots: &RootSet, valid: usize) -> GateError {
    if roots.version.is_none() {
        return err(
            None,
            "governance.yaml 的签名无法用信任根验证：网站框架可能被未经授权地修改，或信任根（--trust-root）不对",
        );
    }
    GateError::new(
        FILE,
        None,
        format!(
            "governance.yaml（第 {} 次签署）只有 {valid} 个有效签名，{}要求至少 {} 个：网站框架的修改未获足够的根密钥持有人签署",
            gov.serial,
            roots.describe(),
            roots.threshold
        ),
        format!(
            "还需 {} 位根密钥持有人依次运行 {SIGN_COMMAND}（每人用自己的私钥，签名累加）；若不是授权的修改，请恢复原文件。",
            roots.threshold - valid
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::digest_of;
    use crate::governance_write::{
        add_signature, render_governance, sign_governance, unsigned_governance,
    };
    use crate::keys::format_public_key;
    use ed25519_dalek::SigningKey;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[42; 32])
    }

    fn root() -> RootSet {
        RootSet::single(&format_public_key(&key().verifying_key())).unwrap()
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-01T12:00:00+08:00").unwrap()
    }

    fn frame() -> BTreeMap<String, String> {
        [
            ("site.yaml", "name: x\n"),
            ("reviews/policy.yaml", "classes: {}\n"),
            ("static/文件 指南.txt", "x"),
            ("content/news/_index.md", "---\ntitle: 动态\n---\n"),
        ]
        .iter()
        .map(|(p, b)| (p.to_string(), digest_of(b.as_bytes())))
        .collect()
    }

    #[test]
    fn signs_and_verifies_round_trip() {
        let mut f = frame();
        // A path with a space is not clean: signing refuses it upstream.
        f.remove("static/文件 指南.txt");
        f.insert("static/文件指南.txt".into(), digest_of(b"x"));
        let text = sign_governance(&f, 3, "2026-12-01T09:00:00+08:00", None, &key());
        assert!(text.starts_with("version: 2\nserial: 3\nsigned_at: \"2026-12-01T09:00:00+08:00\"\nfiles:\n  content/news/_index.md: \"sha256:"), "{text}");
        assert!(
            text.contains("  \"static/文件指南.txt\": \"sha256:"),
            "{text}"
        );
        let g = verify_governance(text.as_bytes(), &f, &root(), &now()).unwrap();
        assert_eq!(g.serial(), 3);
        assert_eq!(g.governance.files.len(), 4);
        assert_eq!(g.root_version, None);
        assert_eq!(g.digest, g.governance.digest());
        assert_eq!(render_governance(&g.governance), text);
        assert_eq!(previous_serial(Some(text.as_bytes())).unwrap(), 3);
        assert_eq!(previous_serial(None).unwrap(), 0);
        assert_eq!(previous_serial(Some(b"signed_at: \"x\"\n")).unwrap(), 0);
    }

    #[test]
    fn frame_mismatches_name_the_file() {
        let f: BTreeMap<_, _> = frame()
            .into_iter()
            .filter(|(p, _)| !p.contains(' '))
            .collect();
        let text = sign_governance(&f, 1, "2026-12-01T09:00:00+08:00", None, &key());
        let mut changed = f.clone();
        changed.insert("site.yaml".into(), digest_of(b"name: y\n"));
        let e = verify_governance(text.as_bytes(), &changed, &root(), &now()).unwrap_err();
        assert_eq!(e.file, "site.yaml");
        assert!(e.message.contains("被修改"), "{e}");
        let mut extra = f.clone();
        extra.insert("static/news/fake/index.html".into(), digest_of(b"fake"));
        let e = verify_governance(text.as_bytes(), &extra, &root(), &now()).unwrap_err();
        assert_eq!(e.file, "static/news/fake/index.html");
        assert!(e.message.contains("没有列入"), "{e}");
        let mut missing = f.clone();
        missing.remove("reviews/policy.yaml");
        let e = verify_governance(text.as_bytes(), &missing, &root(), &now()).unwrap_err();
        assert_eq!(e.file, "reviews/policy.yaml");
        assert!(e.message.contains("不存在"), "{e}");
        let other = RootSet::single(&format_public_key(
            &SigningKey::from_bytes(&[7; 32]).verifying_key(),
        ))
        .unwrap();
        let e = verify_governance(text.as_bytes(), &f, &other, &now()).unwrap_err();
        assert_eq!(e.file, FILE);
        assert!(e.message.contains("无法用信任根验证"), "{e}");
        // A changed serial breaks the signature.
        let bumped = text.replace("serial: 1\n", "serial: 2\n");
        assert!(verify_governance(bumped.as_bytes(), &f, &root(), &now()).is_err());
    }

    #[test]
    fn cosigned_governance_needs_the_threshold() {
        use crate::rootset::tests::{pk, sk};
        let v = crate::roots::RootVersion::new(4, 2, &[pk(1), pk(2), pk(3)]).unwrap();
        let set = v.set();
        let f = BTreeMap::from([("site.yaml".to_string(), digest_of(b"a"))]);
        let mut gov = unsigned_governance(&f, 5, "2026-11-01T09:00:00+08:00", None);
        let check =
            |g: &Governance| verify_governance(render_governance(g).as_bytes(), &f, &set, &now());
        let e = check(&gov).unwrap_err();
        assert!(e.message.contains("只有 0 个有效签名"), "{e}");
        add_signature(&mut gov, &sk(1));
        add_signature(&mut gov, &sk(1));
        add_signature(&mut gov, &sk(9));
        let e = check(&gov).unwrap_err();
        assert!(e.message.contains("只有 1 个有效签名"), "{e}");
        assert!(e.message.contains("第 4 版根密钥组"), "{e}");
        assert!(e.help.contains("还需 1 位"), "{e}");
        add_signature(&mut gov, &sk(3));
        let text = render_governance(&gov);
        assert!(text.contains("signatures:\n- key: \"ed25519:"), "{text}");
        let back = read_governance(text.as_bytes()).unwrap();
        assert_eq!(back, gov);
        let ok = check(&gov).unwrap();
        assert_eq!(ok.root_version, Some(4));
        assert_eq!((ok.signers.len(), ok.threshold), (2, 2));
        // The digest ignores signatures; the serial is signed.
        let mut bare = gov.clone();
        bare.seal = Seal::Cosigned(Vec::new());
        assert_eq!(ok.digest, bare.digest());
        let bumped = text.replace("serial: 5\n", "serial: 6\n");
        assert!(verify_governance(bumped.as_bytes(), &f, &set, &now()).is_err());
        // Both forms at once, and malformed entries, are refused.
        let both = text.replace("signatures:\n", "signature: \"x\"\nsignatures:\n");
        assert!(read_governance(both.as_bytes()).is_err());
        let bad = text.replacen("- key: \"ed25519:", "- key: \"ed25519:x", 1);
        let e = read_governance(bad.as_bytes()).unwrap_err();
        assert!(e.message.contains("key 无效"), "{e}");
        assert_eq!(e.line, Some(7));
    }

    #[test]
    fn expiry_is_checked_against_the_clock() {
        let f = BTreeMap::from([("site.yaml".to_string(), digest_of(b"a"))]);
        let at = "2026-12-01T12:00:00+08:00";
        let text = sign_governance(&f, 2, "2026-11-01T09:00:00+08:00", Some(at), &key());
        assert!(
            text.contains("expires: \"2026-12-01T12:00:00+08:00\"\n"),
            "{text}"
        );
        let e = verify_governance(text.as_bytes(), &f, &root(), &now()).unwrap_err();
        assert!(e.message.contains("过期"), "{e}");
        assert_eq!(e.line, Some(4));
        let before = DateTime::parse_from_rfc3339("2026-12-01T11:59:59+08:00").unwrap();
        verify_governance(text.as_bytes(), &f, &root(), &before).unwrap();
    }

    #[test]
    fn v1_and_bad_fields_are_refused_with_lines() {
        let v1 = "signed_at: \"2026-11-01T09:00:00+08:00\"\nfiles:\n  policy.yaml: \"sha256:00\"\nsignature: \"x\"\n";
        let e = read_governance(v1.as_bytes()).unwrap_err();
        assert!(e.message.contains("v1"), "{e}");
        assert!(e.help.contains(SIGN_COMMAND), "{e}");
        let d = digest_of(b"a");
        let good = format!("version: 2\nserial: 1\nsigned_at: \"2026-11-01T09:00:00+08:00\"\nfiles:\n  site.yaml: \"{d}\"\nsignature: \"x\"\n");
        read_governance(good.as_bytes()).unwrap();
        for (bad, line, word) in [
            (good.replace("serial: 1", "serial: 0"), 2, "正整数"),
            (good.replace("serial: 1", "serial: -4"), 2, "正整数"),
            (good.replace("serial: 1", "serial: \"1\""), 2, "正整数"),
            (good.replace("serial: 1", "serial: 1.5"), 2, "正整数"),
            (good.replace("version: 2", "version: 3"), 1, "version"),
            (good.replace("version: 2", "version: \"2\""), 1, "version"),
            (
                good.replace("2026-11-01T09:00:00+08:00", "2026-11-01 09:00"),
                3,
                "RFC 3339",
            ),
            (good.replace("  site.yaml", "  ../site.yaml"), 5, "站点路径"),
            (
                good.replace("  site.yaml", "  reviews/governance.yaml"),
                5,
                "站点路径",
            ),
            (good.replace(&d, "sha256:abc"), 5, "摘要"),
            (good.replace("signature:", "signatrue:"), 6, "signature"),
        ] {
            let e = read_governance(bad.as_bytes()).unwrap_err();
            assert_eq!(e.line, Some(line), "{bad}\n{e}");
            assert!(e.message.contains(word), "{bad}\n{e}");
        }
        let no_serial = good.replace("serial: 1\n", "");
        assert!(read_governance(no_serial.as_bytes())
            .unwrap_err()
            .message
            .contains("serial"));
        assert!(previous_serial(Some(b"version: 2\nserial: x\n")).is_err());
    }

    #[test]
    fn clean_site_paths() {
        for p in [
            "site.yaml",
            "static/a b",
            "/x",
            "a//b",
            "a/../b",
            "./a",
            "a\\b",
            "a\nb",
            "",
        ] {
            assert_eq!(clean_site_path(p), p == "site.yaml", "{p:?}");
        }
    }
}
