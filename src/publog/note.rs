//! C2SP signed notes with Ed25519 signatures, and the tlog-checkpoint
//! they carry.
//!
//! A note is its text (ending in a newline), a blank line, then signature
//! lines `— <key name> <base64(key ID || signature)>`. The key ID is the
//! first four bytes of `SHA-256(key name || 0x0A || 0x01 || public key)`;
//! the signature is Ed25519 over the text, final newline included.
//! A checkpoint's text is the origin, the tree size (decimal) and the root
//! hash (base64), one per line.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::merkle::Hash;

/// The signature type byte of Ed25519 in signed notes.
const ED25519: u8 = 0x01;

/// A note longer than this is refused.
pub const MAX_NOTE_BYTES: u64 = 64 * 1024;

/// The most signature lines read.
const MAX_SIGNATURES: usize = 64;

/// The key ID of an Ed25519 key named `name`.
pub fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ED25519]);
    h.update(key.as_bytes());
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// A key name (and checkpoint origin) as the formats allow it: not empty,
/// no white space, no `+`, no control character.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

/// `text` (ending in a newline) signed by `key` under `name`.
pub fn sign_note(text: &str, name: &str, key: &SigningKey) -> String {
    let sig = key.sign(text.as_bytes());
    let mut blob = key_id(name, &key.verifying_key()).to_vec();
    blob.extend_from_slice(&sig.to_bytes());
    format!("{text}\n\u{2014} {name} {}\n", STANDARD.encode(blob))
}

/// Why a note did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// Not a well-formed signed note or checkpoint (a Chinese sentence).
    Malformed(String),
    /// No signature line of the pinned key (by name and key ID); the names
    /// of the keys that did sign.
    UnknownKey(Vec<String>),
    /// The pinned key's signature does not verify.
    BadSignature,
}

impl NoteError {
    /// In Chinese, for the user.
    pub fn message(&self) -> String {
        match self {
            NoteError::Malformed(m) => format!("检查点格式错误：{m}"),
            NoteError::UnknownKey(names) if names.is_empty() => "检查点没有签名".to_string(),
            NoteError::UnknownKey(names) => format!(
                "检查点不是由给定的部署公钥签名（未知密钥，签名者：{}）",
                names.join("、")
            ),
            NoteError::BadSignature => {
                "检查点签名无效：检查点在签名之后被改动过，或签名是伪造的".to_string()
            }
        }
    }
}

/// Split a note into its text (final newline included) and signature
/// lines, checking the encoding rules.
fn split(bytes: &[u8]) -> Result<(&str, Vec<&str>), NoteError> {
    let bad = |m: &str| NoteError::Malformed(m.to_string());
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(bad("文件过大"));
    }
    let all = std::str::from_utf8(bytes).map_err(|_| bad("不是有效的 UTF-8"))?;
    if all.chars().any(|c| c.is_control() && c != '\n') {
        return Err(bad("含有控制字符"));
    }
    let cut = all
        .rfind("\n\n")
        .ok_or_else(|| bad("没有分隔正文与签名的空行"))?;
    let text = &all[..=cut];
    let sigs = &all[cut + 2..];
    let lines: Vec<&str> = sigs
        .strip_suffix('\n')
        .ok_or_else(|| bad("签名行没有以换行结束"))?
        .split('\n')
        .collect();
    if lines.len() > MAX_SIGNATURES {
        return Err(bad("签名行过多"));
    }
    Ok((text, lines))
}

/// Open a note signed by `key` under `name`: its text, once the key's
/// signature has verified. Signatures of other keys are ignored.
pub fn open_note<'a>(
    bytes: &'a [u8],
    name: &str,
    key: &VerifyingKey,
) -> Result<&'a str, NoteError> {
    let (text, lines) = split(bytes)?;
    let want = key_id(name, key);
    let mut signers = Vec::new();
    for line in lines {
        let parts = line
            .strip_prefix("\u{2014} ")
            .and_then(|l| l.split_once(' '))
            .filter(|(n, b)| valid_name(n) && !b.contains(' '));
        let Some((who, b64)) = parts else {
            return Err(NoteError::Malformed(format!("签名行格式错误：{line}")));
        };
        let blob = STANDARD
            .decode(b64)
            .map_err(|_| NoteError::Malformed(format!("签名不是有效的 base64：{who}")))?;
        if blob.len() < 4 {
            return Err(NoteError::Malformed(format!("签名过短：{who}")));
        }
        if who != name || blob[..4] != want {
            signers.push(who.to_string());
            continue;
        }
        let sig: [u8; 64] = blob[4..].try_into().map_err(|_| NoteError::BadSignature)?;
        return match key.verify_strict(text.as_bytes(), &Signature::from_bytes(&sig)) {
            Ok(()) => Ok(text),
            Err(_) => Err(NoteError::BadSignature),
        };
    }
    Err(NoteError::UnknownKey(signers))
}

/// A tree head: the log's origin, size and root hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    /// The note text: `<origin>\n<size>\n<base64 root>\n`.
    pub fn text(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        )
    }

    /// The signed note, the key name being the origin.
    pub fn sign(&self, key: &SigningKey) -> String {
        sign_note(&self.text(), &self.origin, key)
    }

    /// The root hash in base64.
    pub fn root_base64(&self) -> String {
        STANDARD.encode(self.root)
    }
}

/// Parse a checkpoint's text (extension lines are allowed and ignored).
pub fn parse_checkpoint(text: &str) -> Result<Checkpoint, NoteError> {
    let bad = |m: &str| NoteError::Malformed(m.to_string());
    let mut lines = text.strip_suffix('\n').unwrap_or(text).split('\n');
    let origin = lines
        .next()
        .filter(|o| valid_name(o))
        .ok_or_else(|| bad("第一行（来源标识）为空或含空格"))?;
    let size_line = lines.next().ok_or_else(|| bad("缺少树的大小"))?;
    let size: u64 = size_line
        .parse()
        .ok()
        .filter(|n: &u64| n.to_string() == size_line)
        .ok_or_else(|| bad("树的大小不是十进制整数"))?;
    let root: Hash = lines
        .next()
        .and_then(|l| STANDARD.decode(l).ok())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("根哈希不是 32 字节的 base64"))?;
    if lines.any(str::is_empty) {
        return Err(bad("有空的扩展行"));
    }
    Ok(Checkpoint {
        origin: origin.to_string(),
        size,
        root,
    })
}

/// Open a checkpoint signed by `key`, whose key name is its origin.
pub fn open_checkpoint(bytes: &[u8], key: &VerifyingKey) -> Result<Checkpoint, NoteError> {
    let (text, _) = split(bytes)?;
    let origin = parse_checkpoint(text)?.origin;
    let text = open_note(bytes, &origin, key)?;
    parse_checkpoint(text)
}
