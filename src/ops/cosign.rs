//! Co-signing governance with a root set (spec §7a): the holders of
//! `reviews/roots.yaml`'s latest version sign `reviews/governance.yaml`
//! one after another; it is valid once the threshold is reached. A holder
//! signing a governance that already covers the current frame adds a
//! signature (same serial); a changed frame starts a new serial and the
//! old signatures are dropped.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::SigningKey;

use super::Error;
use crate::diag::Diagnostic;
use crate::gate::{self, Governance, RootSet, Seal};
use crate::reviews;

/// How far the signatures of a co-signed governance are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The root-set version whose keys count.
    pub root_version: u64,
    /// Distinct valid signatures now, and how many are needed.
    pub have: usize,
    pub need: usize,
    /// The signature was added to the governance already there (same serial).
    pub added: bool,
    /// Valid signatures of the replaced serial that were dropped.
    pub dropped: usize,
}

/// What is being signed: the current frame and the signing clock.
pub struct Frame<'a> {
    /// Site path → `"sha256:…"`.
    pub files: &'a BTreeMap<String, String>,
    pub signed_at: &'a str,
    /// `--expires`, if given.
    pub expires: Option<&'a str>,
    /// The serial of the governance on disk (0: none or v1).
    pub previous: u64,
    pub now: &'a DateTime<FixedOffset>,
}

/// The root set whose keys sign governance: with a `roots:sha256:` pin,
/// the latest version reached from it; else the latest version reached
/// from version 1 (the build checks the pin).
pub fn signing_set(roots_yaml: &[u8], pin: Option<&str>) -> Result<RootSet, Error> {
    let unverified = |e: gate::GateError| {
        Error::then(
            reviews::diagnostic(e),
            "未签署：reviews/roots.yaml 的根密钥组验证失败，先补齐根密钥组的签名（sanshen root sign）。",
        )
    };
    if let Some(pin @ gate::Pin::Roots(_)) = pin.and_then(|p| gate::parse_pin(p).ok()) {
        return gate::trusted_set(&pin, Some(roots_yaml)).map_err(unverified);
    }
    let roots = gate::read_roots(roots_yaml).map_err(unverified)?;
    Ok(roots.walk(1).map_err(unverified)?.set())
}

/// The governance after `key` signs the frame `f`, given the governance
/// on disk (`old`), and the progress towards the threshold of `set`.
pub fn cosign(
    set: &RootSet,
    key: &SigningKey,
    old: Option<&[u8]>,
    f: Frame<'_>,
) -> Result<(Governance, Progress), Error> {
    let public = gate::format_public_key(&key.verifying_key());
    let version = set.version.unwrap_or(0);
    if !set.contains(&public) {
        return Err(Error::then(
            Diagnostic::new(
                gate::roots::FILE,
                format!("这把密钥（{public}）不在第 {version} 版根密钥组中，它的签名不计入"),
            )
            .help("请用根密钥组持有人本人的私钥签署；要更换持有人，先更换根密钥组（sanshen root rotate，由原持有人签署）。"),
            "未签署。",
        ));
    }
    let current = old
        .and_then(|b| gate::read_governance(b).ok())
        .filter(|g| covers(g, &f));
    let (mut gov, added, dropped) = match current {
        Some(mut g) => {
            let signers = set.signers(g.message().as_bytes(), g.seal.pairs());
            if signers.contains(&public) {
                return Err(Error::then(
                    Diagnostic::new(
                        gate::governance::FILE,
                        format!(
                            "这把密钥（{public}）已经签署过第 {} 次签署的 governance.yaml，不能重复签署",
                            g.serial
                        ),
                    )
                    .help(format!(
                        "已有 {}/{} 个签名：请其他根密钥持有人用各自的私钥签署。",
                        signers.len(),
                        set.threshold
                    )),
                    "未签署。",
                ));
            }
            g.seal = Seal::Cosigned(valid_only(&g, set));
            (g, true, 0)
        }
        None => {
            let dropped = old
                .and_then(|b| gate::read_governance(b).ok())
                .map_or(0, |g| set.count(g.message().as_bytes(), g.seal.pairs()));
            let g = gate::unsigned_governance(f.files, f.previous + 1, f.signed_at, f.expires);
            (g, false, dropped)
        }
    };
    gate::add_signature(&mut gov, key);
    let have = set.count(gov.message().as_bytes(), gov.seal.pairs());
    Ok((
        gov,
        Progress {
            root_version: version,
            have,
            need: set.threshold,
            added,
            dropped,
        },
    ))
}

/// Whether `g` already signs the frame `f` (same files, expiry as asked,
/// not expired), so that a holder adds to it instead of starting anew.
fn covers(g: &Governance, f: &Frame<'_>) -> bool {
    let same_files = g.files.len() == f.files.len()
        && g.files
            .iter()
            .all(|(p, d)| f.files.get(p).is_some_and(|x| x == d));
    let expiry_kept = f.expires.is_none_or(|e| g.expires.as_deref() == Some(e));
    let live = g
        .expires
        .as_deref()
        .and_then(gate::yaml::parse_time)
        .is_none_or(|e| e > *f.now);
    g.serial == f.previous && same_files && expiry_kept && live
}

/// The signatures of `g` by keys of `set` that verify, each key once (a
/// single `signature:` becomes a keyed entry).
fn valid_only(g: &Governance, set: &RootSet) -> Vec<gate::KeySignature> {
    let message = g.message();
    let mut out: Vec<gate::KeySignature> = Vec::new();
    for (key, value) in g.seal.pairs() {
        for signer in set.signers(message.as_bytes(), [(key, value)]) {
            if !out.iter().any(|s| s.key == signer) {
                out.push(gate::KeySignature {
                    key: signer,
                    value: value.to_string(),
                });
            }
        }
    }
    out
}
