//! The build cache: a disposable directory (`.sanshen.cache/` beside the
//! output) that only saves time. Deleting it, or `build --no-cache`, gives
//! the same site, more slowly.
//!
//! It holds the signature checks that passed (`verified-v1`): for each
//! (public key, message, signature) triple whose `verify_strict` passed,
//! an HMAC-SHA-256 of the triple under a secret key that is *not* in the
//! cache directory ([`secret`]). A hit is a triple whose HMAC is listed;
//! anything else is verified in full. Someone who can write the cache but
//! not read the secret cannot name a triple that did not pass, so the
//! cache can make a build faster but never make a bad signature count
//! (docs/reference/build-cache.md). Only passing checks are stored: a failed check
//! is always recomputed.
//!
//! File format: the line `sanshen-verified-v1 <version>\n`, then records of
//! 40 bytes: the 32-byte HMAC and the first 8 bytes of its SHA-256. A record
//! whose check does not match (corruption, truncation) is dropped; a file
//! of another format or sanshen version is ignored whole.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use ed25519_dalek::{Signature, VerifyingKey};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::gate::Verified;

/// The cache directory's name, beside the output directory (no
/// `sanshen-` in it: that marks a killed build's leftovers).
pub const DIR: &str = ".sanshen.cache";
/// The file of passed signature checks inside it.
pub const SIGNATURES: &str = "verified-v1";
/// `SANSHEN_CACHE_KEY`: the secret as 64 hex digits (CI: a secret given
/// only to the publishing job).
pub const KEY_ENV: &str = "SANSHEN_CACHE_KEY";
const RECORD: usize = 40;

/// The first line of the signature file: format and sanshen version.
pub fn header() -> String {
    format!("sanshen-verified-v1 {}\n", env!("CARGO_PKG_VERSION"))
}

/// The cache directory of a build writing to `out`: `.sanshen.cache`
/// in the folder that holds the output.
pub fn dir_for(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(DIR),
        _ => PathBuf::from(DIR),
    }
}

/// Where the secret key lives when `SANSHEN_CACHE_KEY` is not set: the
/// user's state directory, never the cache or the site.
fn key_file() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|s| !s.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state"))
        })?;
    Some(state.join("sanshen/cache.key"))
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret that keys the cache: `SANSHEN_CACHE_KEY`, else the user's
/// key file (created with mode 600 on first use). `None`: no usable
/// secret, so no signature cache.
pub fn secret() -> Option<[u8; 32]> {
    if let Some(v) = std::env::var_os(KEY_ENV) {
        return v.to_str().and_then(parse_hex);
    }
    let file = key_file()?;
    if let Some(k) = fs::read_to_string(&file).ok().and_then(|t| parse_hex(&t)) {
        return Some(k);
    }
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    fs::create_dir_all(file.parent()?).ok()?;
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    write_private(&tmp, hex(&key).as_bytes()).ok()?;
    // Two first builds at once: the first key written wins, both use it.
    let linked = fs::hard_link(&tmp, &file);
    let _ = fs::remove_file(&tmp);
    linked.ok();
    fs::read_to_string(&file).ok().and_then(|t| parse_hex(&t))
}

/// Write a new file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(bytes)
}

fn check_of(id: &[u8; 32]) -> [u8; 8] {
    let d = Sha256::digest(id);
    let mut c = [0u8; 8];
    c.copy_from_slice(&d[..8]);
    c
}

/// The HMAC naming the triple under `secret` (the sanshen version is
/// part of it, so another version's entries never match).
fn id_of(secret: &[u8; 32], key: &VerifyingKey, message: &[u8], sig: &Signature) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(header().as_bytes());
    mac.update(key.as_bytes());
    mac.update(&sig.to_bytes());
    mac.update(&(message.len() as u64).to_be_bytes());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The file record of a triple under `secret` (for tests that play an
/// attacker or a corrupted disk).
pub fn record(secret: &[u8; 32], key: &VerifyingKey, message: &[u8], sig: &Signature) -> Vec<u8> {
    record_of(&id_of(secret, key, message, sig))
}

/// A record for `id`: the id and its check.
pub fn record_of(id: &[u8; 32]) -> Vec<u8> {
    let mut r = id.to_vec();
    r.extend_from_slice(&check_of(id));
    r
}

/// The signature checks that passed, read from and saved to the cache.
pub struct SignatureCache {
    file: PathBuf,
    secret: [u8; 32],
    known: HashSet<[u8; 32]>,
    /// Entries of this build (hits and new passes): what is saved.
    used: Mutex<HashSet<[u8; 32]>>,
    /// Records dropped on reading (corrupted or truncated).
    pub dropped: usize,
    hits: AtomicUsize,
}

impl SignatureCache {
    /// Open the cache in `dir` with `secret`. Never fails: an unreadable,
    /// corrupted or foreign file counts as an empty cache.
    pub fn open(dir: &Path, secret: [u8; 32]) -> SignatureCache {
        let file = dir.join(SIGNATURES);
        let mut known = HashSet::new();
        let mut dropped = 0;
        if let Ok(bytes) = fs::read(&file) {
            if let Some(body) = bytes.strip_prefix(header().as_bytes()) {
                for r in body.chunks(RECORD) {
                    let id: Option<[u8; 32]> = r.get(..32).and_then(|s| s.try_into().ok());
                    match id {
                        Some(id) if r.len() == RECORD && r[32..] == check_of(&id) => {
                            known.insert(id);
                        }
                        _ => dropped += 1,
                    }
                }
            }
        }
        SignatureCache {
            file,
            secret,
            known,
            used: Mutex::default(),
            dropped,
            hits: AtomicUsize::new(0),
        }
    }

    fn id(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) -> [u8; 32] {
        id_of(&self.secret, key, message, sig)
    }

    /// Checks answered from the cache in this build.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Save the entries this build used (so the file does not grow with
    /// signatures long gone), atomically. Unchanged: nothing is written.
    pub fn save(&self) -> io::Result<()> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if *used == self.known && self.dropped == 0 {
            return Ok(());
        }
        let mut ids: Vec<&[u8; 32]> = used.iter().collect();
        ids.sort();
        let mut bytes = header().into_bytes();
        bytes.reserve(ids.len() * RECORD);
        for id in ids {
            bytes.extend_from_slice(&record_of(id));
        }
        let dir = self.file.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{SIGNATURES}.tmp-{}", std::process::id()));
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        drop(f);
        fs::rename(&tmp, &self.file).inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })
    }
}

impl Verified for SignatureCache {
    fn known(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) -> bool {
        let id = self.id(key, message, sig);
        let hit = self.known.contains(&id);
        if hit {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.used
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id);
        }
        hit
    }

    fn remember(&self, key: &VerifyingKey, message: &[u8], sig: &Signature) {
        let id = self.id(key, message, sig);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::Verifier;
    use ed25519_dalek::{Signer, SigningKey};
    use std::sync::Arc;

    fn sig(sk: &SigningKey, m: &[u8]) -> String {
        crate::gate::keys::encode_signature(&sk.sign(m))
    }

    #[test]
    fn passes_are_remembered_under_the_secret_only() {
        let t = tempfile::tempdir().unwrap();
        let sk = SigningKey::from_bytes(&[3; 32]);
        let pk = sk.verifying_key();
        let good = sig(&sk, b"m");
        let c = Arc::new(SignatureCache::open(t.path(), [1; 32]));
        let v = Verifier::with_store(c.clone());
        assert!(v.verify(&pk, b"m", &good));
        assert!(!v.verify(&pk, b"other", &good));
        c.save().unwrap();
        let again = Arc::new(SignatureCache::open(t.path(), [1; 32]));
        assert_eq!(again.known.len(), 1);
        assert!(Verifier::with_store(again.clone()).verify(&pk, b"m", &good));
        assert_eq!(again.hits(), 1);
        // Another secret: nothing in the file names its triples.
        let other = Arc::new(SignatureCache::open(t.path(), [2; 32]));
        assert!(Verifier::with_store(other.clone()).verify(&pk, b"m", &good));
        assert_eq!(other.hits(), 0);
    }

    #[test]
    fn corrupted_truncated_and_foreign_files_are_not_trusted() {
        let t = tempfile::tempdir().unwrap();
        let c = SignatureCache::open(t.path(), [1; 32]);
        c.used.lock().unwrap().extend([[5u8; 32], [6u8; 32]]);
        c.save().unwrap();
        let file = t.path().join(SIGNATURES);
        let mut bytes = fs::read(&file).unwrap();
        let n = header().len();
        bytes[n + 3] ^= 1; // first record corrupted
        bytes.truncate(bytes.len() - 1); // second one truncated
        fs::write(&file, &bytes).unwrap();
        let c = SignatureCache::open(t.path(), [1; 32]);
        assert!(c.known.is_empty());
        assert_eq!(c.dropped, 2);
        let mut foreign = b"sanshen-verified-v1 0.0.0-other\n".to_vec();
        foreign.extend_from_slice(&[5u8; 32]);
        foreign.extend_from_slice(&check_of(&[5u8; 32]));
        fs::write(&file, foreign).unwrap();
        assert!(SignatureCache::open(t.path(), [1; 32]).known.is_empty());
    }

    proptest::proptest! {
        /// Whatever bytes the file holds, reading never panics, and a
        /// record is only ever taken when its check matches.
        #[test]
        fn any_file_reads_without_trusting_garbage(
            ids in proptest::collection::vec(proptest::array::uniform32(0u8..), 0..6),
            flips in proptest::collection::vec((0usize..400, 1u8..), 0..4),
            cut in 0usize..400,
            noise in proptest::collection::vec(0u8.., 0..100),
        ) {
            let t = tempfile::tempdir().unwrap();
            let mut bytes = header().into_bytes();
            for id in &ids {
                bytes.extend(record_of(id));
            }
            for (at, x) in flips {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= x;
                }
            }
            bytes.truncate(bytes.len().saturating_sub(cut % 50));
            bytes.extend(noise);
            fs::write(t.path().join(SIGNATURES), &bytes).unwrap();
            let c = SignatureCache::open(t.path(), [1; 32]);
            // Untouched files give back exactly what was written.
            if bytes == [header().into_bytes(), ids.iter().flat_map(record_of).collect()].concat() {
                proptest::prop_assert_eq!(c.known.len(), ids.iter().collect::<HashSet<_>>().len());
            }
            for id in &c.known {
                let r = record_of(id);
                proptest::prop_assert!(bytes.windows(RECORD).any(|w| w == r.as_slice()));
            }
        }
    }

    #[test]
    fn secrets_parse_as_64_hex_digits() {
        assert_eq!(parse_hex(&"ab".repeat(32)), Some([0xab; 32]));
        assert_eq!(parse_hex(&hex(&[7; 32])), Some([7; 32]));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex(&"zz".repeat(32)), None);
    }
}
