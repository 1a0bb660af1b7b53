//! A root set: the keys that may sign governance, and how many of them
//! must (spec §7a). A single pinned `ed25519:` key is the set {1 of [it]};
//! a `roots:sha256:…` pin names a version of `reviews/roots.yaml`.
//!
//! Counting is by distinct key of the set: a key signing twice counts
//! once, a signature by a key outside the set never counts.

use super::keys::{format_public_key, parse_public_key, verify};

/// The prefix of a root-set fingerprint pin.
pub const PIN_PREFIX: &str = "roots:sha256:";

/// One holder's signature: `{key: ed25519:…, value: base64}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySignature {
    /// The signer's public key, canonical `ed25519:…`.
    pub key: String,
    /// Standard base64 of the Ed25519 signature.
    pub value: String,
}

/// The keys that verify governance, and the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootSet {
    /// The version in `reviews/roots.yaml`; `None` for a single pinned key.
    pub version: Option<u64>,
    /// How many distinct keys must sign (1 ≤ threshold ≤ keys).
    pub threshold: usize,
    /// Canonical `ed25519:…`, sorted bytewise, distinct.
    pub keys: Vec<String>,
}

/// A trust-root pin as given (`--trust-root` / `SANSHEN_TRUST_ROOT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    /// `ed25519:…`: one root key (canonical form).
    Key(String),
    /// `roots:sha256:<64 hex>`: a version of `reviews/roots.yaml`.
    Roots(String),
}

/// Parse a pin; the error is a Chinese sentence for the user.
pub fn parse_pin(text: &str) -> Result<Pin, String> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix(PIN_PREFIX) {
        let ok = hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !ok {
            return Err(format!(
                "根密钥组指纹应为 `{PIN_PREFIX}` 加 64 位小写十六进制（得到的是 `{t}`）"
            ));
        }
        return Ok(Pin::Roots(t.to_string()));
    }
    if t.starts_with("roots:") {
        return Err(format!(
            "根密钥组指纹应以 `{PIN_PREFIX}` 开头（得到的是 `{t}`）"
        ));
    }
    parse_public_key(t).map(|k| Pin::Key(format_public_key(&k)))
}

impl RootSet {
    /// The set {1 of [key]} of a single pinned root key.
    pub fn single(key: &str) -> Result<RootSet, String> {
        let k = parse_public_key(key.trim())?;
        Ok(RootSet {
            version: None,
            threshold: 1,
            keys: vec![format_public_key(&k)],
        })
    }

    /// Whether `key` (`ed25519:…`) is one of the set's keys.
    pub fn contains(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// The distinct keys of the set that verify `message` under one of
    /// `signatures` (`(key, value)`; a signature without a key is tried
    /// under every key of the set), in the set's order.
    pub fn signers<'a>(
        &self,
        message: &[u8],
        signatures: impl IntoIterator<Item = (Option<&'a str>, &'a str)>,
    ) -> Vec<String> {
        let signatures: Vec<(Option<&str>, &str)> = signatures.into_iter().collect();
        self.keys
            .iter()
            .filter(|k| {
                let Ok(public) = parse_public_key(k) else {
                    return false;
                };
                signatures.iter().any(|(key, value)| {
                    key.is_none_or(|key| key == k.as_str()) && verify(&public, message, value)
                })
            })
            .cloned()
            .collect()
    }

    /// How many distinct keys of the set verify `message` ([`Self::signers`]).
    pub fn count<'a>(
        &self,
        message: &[u8],
        signatures: impl IntoIterator<Item = (Option<&'a str>, &'a str)>,
    ) -> usize {
        self.signers(message, signatures).len()
    }

    /// `第 N 版根密钥组（k/n）` or `信任根公钥` for a single key.
    pub fn describe(&self) -> String {
        match self.version {
            Some(v) => format!("第 {v} 版根密钥组（{} 位持有人）", self.keys.len()),
            None => format!("信任根公钥 {}", self.keys.join("")),
        }
    }
}

/// `(Some(key), value)` pairs of a list of key signatures, for counting.
pub fn pairs(signatures: &[KeySignature]) -> impl Iterator<Item = (Option<&str>, &str)> {
    signatures
        .iter()
        .map(|s| (Some(s.key.as_str()), s.value.as_str()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::messages::sign_message;
    use ed25519_dalek::SigningKey;

    /// A test key from a fixed seed.
    pub(crate) fn sk(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    /// `ed25519:…` of [`sk`].
    pub(crate) fn pk(seed: u8) -> String {
        format_public_key(&sk(seed).verifying_key())
    }

    fn set(seeds: &[u8], threshold: usize) -> RootSet {
        let mut keys: Vec<String> = seeds.iter().map(|s| pk(*s)).collect();
        keys.sort();
        RootSet {
            version: Some(1),
            threshold,
            keys,
        }
    }

    fn sig(seed: u8, msg: &str) -> KeySignature {
        KeySignature {
            key: pk(seed),
            value: sign_message(&sk(seed), msg),
        }
    }

    #[test]
    fn counts_distinct_keys_of_the_set_only() {
        let s = set(&[1, 2, 3], 2);
        let m = "m";
        // Duplicates count once.
        let dup = [sig(1, m), sig(1, m), sig(1, m)];
        assert_eq!(s.count(m.as_bytes(), pairs(&dup)), 1);
        // A foreign key never counts, even with a valid signature.
        let foreign = [sig(9, m), sig(2, m)];
        assert_eq!(s.count(m.as_bytes(), pairs(&foreign)), 1);
        // A signature over another message, or attributed to another key,
        // does not count.
        let wrong = [
            sig(1, "other"),
            KeySignature {
                key: pk(3),
                value: sig(2, m).value,
            },
        ];
        assert_eq!(s.count(m.as_bytes(), pairs(&wrong)), 0);
        let good = [sig(3, m), sig(1, m), sig(2, m)];
        assert_eq!(s.count(m.as_bytes(), pairs(&good)), 3);
        // A keyless signature is tried under every key.
        let v = sign_message(&sk(2), m);
        assert_eq!(s.count(m.as_bytes(), [(None, v.as_str())]), 1);
    }

    #[test]
    fn pins_parse() {
        assert_eq!(parse_pin(&pk(1)).unwrap(), Pin::Key(pk(1)));
        let fp = format!("{PIN_PREFIX}{}", "a".repeat(64));
        assert_eq!(parse_pin(&format!(" {fp} ")).unwrap(), Pin::Roots(fp));
        for bad in [
            format!("{PIN_PREFIX}{}", "A".repeat(64)),
            format!("{PIN_PREFIX}abc"),
            "roots:sha1:00".to_string(),
            "ed25519:AAAA".to_string(),
            String::new(),
        ] {
            assert!(parse_pin(&bad).is_err(), "{bad}");
        }
        let single = RootSet::single(&pk(4)).unwrap();
        assert_eq!((single.version, single.threshold), (None, 1));
    }

    /// Property: over every subset of signers (with repeats and foreign
    /// keys mixed in), the count is the number of distinct set members.
    #[test]
    fn count_is_distinct_members_for_every_subset() {
        let s = set(&[11, 12, 13, 14], 3);
        let m = "governance";
        for mask in 0u32..(1 << 6) {
            let mut sigs = Vec::new();
            let mut members = std::collections::BTreeSet::new();
            for (bit, seed) in [11u8, 12, 13, 14, 50, 51].iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    sigs.push(sig(*seed, m));
                    sigs.push(sig(*seed, m));
                    if *seed < 50 {
                        members.insert(*seed);
                    }
                }
            }
            assert_eq!(
                s.count(m.as_bytes(), pairs(&sigs)),
                members.len(),
                "{mask:b}"
            );
        }
    }
}
