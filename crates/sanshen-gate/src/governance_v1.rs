//! Governance v1 (frozen spec v1 §7): the root key's signature over the
//! files of `reviews/` only. The build no longer accepts it (v2 signs the
//! whole frame, see [`super::governance`]); kept as the reference for the
//! v1 conformance vectors and for the migration.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;
use serde::Deserialize;

use crate::document::digest_of;

use super::keys::{parse_public_key, verify};
use super::messages::{governance_message_v1 as governance_message, sign_message};
use super::yaml::{self, find_key_line, yaml_quote, Text, UniqueMap};
use super::GateError;

use super::governance::FILE;
const NAME: &str = "governance.yaml";

/// The files under `reviews/` that the build reads; each one present must
/// be listed in governance.yaml.
pub const READ_FILES: [&str; 5] = [
    "policy.yaml",
    "reviewers.yaml",
    "rules.yaml",
    "sources.yaml",
    "words.yaml",
];

/// A parsed governance.yaml (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovernanceV1 {
    /// `signed_at`, as written (part of the signed message).
    pub signed_at: String,
    /// `(name, "sha256:…")`, sorted bytewise by name.
    pub files: Vec<(String, String)>,
    /// Standard base64 of the root key's Ed25519 signature.
    pub signature: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    signed_at: Text,
    files: UniqueMap<Text>,
    signature: Text,
}

const HELP: &str = "reviews/ 下的审核人名单、政策、转载白名单和内容规则（rules.yaml、words.yaml）每次修改后，都须由持有根密钥的管理员重新签署 governance.yaml。";

/// Read governance.yaml from `files` (every file under reviews/, by name).
pub fn read_governance_v1(files: &BTreeMap<String, Vec<u8>>) -> Result<GovernanceV1, GateError> {
    let bytes = files.get(NAME).ok_or_else(|| {
        GateError::new(
            FILE,
            None,
            "缺少 reviews/governance.yaml：审核人名单和政策未经根密钥签署，不能构建",
            HELP,
        )
    })?;
    let src = std::str::from_utf8(bytes)
        .map_err(|_| GateError::new(FILE, None, "governance.yaml 不是 UTF-8 编码", HELP))?;
    let raw: Raw = yaml::from_str(src).map_err(|e| e.into_gate(FILE, HELP))?;
    let mut list = Vec::new();
    for (name, digest) in raw.files.0 {
        let bad_name = name.is_empty()
            || name == NAME
            || name.chars().any(|c| c.is_whitespace() || c.is_control());
        if bad_name {
            let line = find_key_line(src, &name, 1, 1);
            return Err(GateError::new(
                FILE,
                line,
                format!("files 中的文件名 `{name}` 无效"),
                HELP,
            ));
        }
        list.push((name, digest.0));
    }
    list.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(GovernanceV1 {
        signed_at: raw.signed_at.0,
        files: list,
        signature: raw.signature.0,
    })
}

/// Verify `reviews/` against the pinned root key `trust_root`
/// (`ed25519:…`). `files` holds every file under reviews/ by name.
pub fn verify_governance_v1(
    files: &BTreeMap<String, Vec<u8>>,
    trust_root: &str,
) -> Result<(), GateError> {
    let root = parse_public_key(trust_root.trim()).map_err(|m| {
        GateError::new(
            "--trust-root",
            None,
            format!("信任根公钥（--trust-root / SANSHEN_TRUST_ROOT）无效：{m}"),
            "信任根应为 `ed25519:` 加 32 字节公钥的 base64，由网站主管单位保管，不放在仓库里。",
        )
    })?;
    let gov = read_governance_v1(files)?;
    let message = governance_message(
        &gov.signed_at,
        gov.files.iter().map(|(n, d)| (n.as_str(), d.as_str())),
    );
    if !verify(&root, message.as_bytes(), &gov.signature) {
        return Err(GateError::new(
            FILE,
            None,
            "governance.yaml 的签名无法用信任根验证：reviews/ 可能被未经授权地修改，或信任根（--trust-root）不对",
            HELP,
        ));
    }
    for (name, digest) in &gov.files {
        let Some(bytes) = files.get(name) else {
            return Err(GateError::new(
                format!("reviews/{name}"),
                None,
                format!("governance.yaml 列出的 reviews/{name} 不存在"),
                HELP,
            ));
        };
        if digest_of(bytes) != *digest {
            return Err(GateError::new(
                format!("reviews/{name}"),
                None,
                format!(
                    "reviews/{name} 在根密钥签署（{}）之后被修改，摘要不符",
                    gov.signed_at
                ),
                HELP,
            ));
        }
    }
    for name in READ_FILES {
        if files.contains_key(name) && !gov.files.iter().any(|(n, _)| n == name) {
            return Err(GateError::new(
                format!("reviews/{name}"),
                None,
                format!("reviews/{name} 会被构建读取，但没有列入 governance.yaml 的签署范围"),
                HELP,
            ));
        }
    }
    Ok(())
}

/// The text of a new governance.yaml signing every file of [`READ_FILES`]
/// present in `files`, in the layout of the conformance vectors.
pub fn sign_governance_v1(
    files: &BTreeMap<String, Vec<u8>>,
    signed_at: &str,
    key: &SigningKey,
) -> String {
    let listed: Vec<(&str, String)> = READ_FILES
        .iter()
        .filter_map(|n| files.get(*n).map(|b| (*n, digest_of(b))))
        .collect();
    let message = governance_message(signed_at, listed.iter().map(|(n, d)| (*n, d.as_str())));
    let signature = sign_message(key, &message);
    let mut out = format!("signed_at: {}\nfiles:\n", yaml_quote(signed_at));
    for (name, digest) in &listed {
        out.push_str(&format!("  {name}: {}\n", yaml_quote(digest)));
    }
    out.push_str(&format!("signature: {}\n", yaml_quote(&signature)));
    out
}
