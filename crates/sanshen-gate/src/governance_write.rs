//! Writing `reviews/governance.yaml` (spec §7, §7a): a new governance
//! over the frame, a holder's signature added, the file's text.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;

use super::governance::{Governance, Seal};
use super::keys::format_public_key;
use super::messages::sign_message;
use super::rootset::KeySignature;
use super::yaml::yaml_quote;

/// A YAML mapping key for a site path: bare when plain, quoted otherwise.
fn yaml_key(path: &str) -> String {
    let plain = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
        && path
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if plain {
        path.to_string()
    } else {
        yaml_quote(path)
    }
}

/// The text of a new v2 governance.yaml over `frame` (site path →
/// `"sha256:…"`).
pub fn sign_governance(
    frame: &BTreeMap<String, String>,
    serial: u64,
    signed_at: &str,
    expires: Option<&str>,
    key: &SigningKey,
) -> String {
    let mut gov = unsigned_governance(frame, serial, signed_at, expires);
    gov.seal = Seal::Single(sign_message(key, &gov.message()));
    render_governance(&gov)
}

/// A governance over `frame` with no signature yet (an empty co-signed
/// list): add them with [`add_signature`].
pub fn unsigned_governance(
    frame: &BTreeMap<String, String>,
    serial: u64,
    signed_at: &str,
    expires: Option<&str>,
) -> Governance {
    let mut files: Vec<(String, String)> =
        frame.iter().map(|(p, d)| (p.clone(), d.clone())).collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Governance {
        serial,
        signed_at: signed_at.to_string(),
        expires: expires.map(str::to_string),
        files,
        seal: Seal::Cosigned(Vec::new()),
    }
}

/// Add `key`'s signature to a co-signed governance (a single `signature:`
/// becomes a list). The caller checks the key belongs to the root set and
/// has not signed yet.
pub fn add_signature(gov: &mut Governance, key: &SigningKey) {
    let value = sign_message(key, &gov.message());
    let entry = KeySignature {
        key: format_public_key(&key.verifying_key()),
        value,
    };
    match &mut gov.seal {
        Seal::Cosigned(list) => list.push(entry),
        Seal::Single(_) => gov.seal = Seal::Cosigned(vec![entry]),
    }
}

/// The text of a governance.yaml.
pub fn render_governance(gov: &Governance) -> String {
    let mut out = format!(
        "version: 2\nserial: {}\nsigned_at: {}\n",
        gov.serial,
        yaml_quote(&gov.signed_at)
    );
    if let Some(e) = &gov.expires {
        out.push_str(&format!("expires: {}\n", yaml_quote(e)));
    }
    out.push_str("files:\n");
    for (path, digest) in &gov.files {
        out.push_str(&format!("  {}: {}\n", yaml_key(path), yaml_quote(digest)));
    }
    match &gov.seal {
        Seal::Single(s) => out.push_str(&format!("signature: {}\n", yaml_quote(s))),
        Seal::Cosigned(list) if list.is_empty() => out.push_str("signatures: []\n"),
        Seal::Cosigned(list) => {
            out.push_str("signatures:\n");
            for s in list {
                out.push_str(&format!(
                    "- key: {}\n  value: {}\n",
                    yaml_quote(&s.key),
                    yaml_quote(&s.value)
                ));
            }
        }
    }
    out
}
