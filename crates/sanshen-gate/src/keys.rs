//! Ed25519 keys (spec §8): public keys written `ed25519:<standard base64 of
//! the 32 raw bytes>` or in OpenSSH form (`ssh-ed25519 AAAA… comment`),
//! secret keys as PKCS#8 PEM. Verification is always `verify_strict`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const PREFIX: &str = "ed25519:";
/// The OpenSSH key type of an Ed25519 public key.
const SSH_TYPE: &str = "ssh-ed25519";

/// Parse a keyring `key:` (spec §6, §8): `ed25519:<b64>` or the OpenSSH
/// form `ssh-ed25519 <b64> [comment]` (a line of `~/.ssh/id_ed25519.pub`).
/// Both name the same Ed25519 key; only the keyring takes the second.
pub fn parse_keyring_key(text: &str) -> Result<VerifyingKey, String> {
    match text.strip_prefix(SSH_TYPE) {
        Some(rest) => parse_openssh(rest),
        None => parse_public_key(text).map_err(|e| {
            if text.starts_with(PREFIX) {
                e
            } else {
                format!("公钥必须写成 `ed25519:…` 或 `ssh-ed25519 AAAA…`（得到的是 `{text}`）")
            }
        }),
    }
}

/// Parse `ed25519:<b64>`; the error is a Chinese sentence for the user.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let b64 = text.strip_prefix(PREFIX).ok_or_else(|| {
        format!("公钥必须以 `ed25519:` 开头，后接 32 字节公钥的 base64（得到的是 `{text}`）")
    })?;
    let bytes = STANDARD
        .decode(b64)
        .map_err(|e| format!("公钥不是有效的标准 base64（{e}）"))?;
    key_from_bytes(&bytes)
}

/// The part after `ssh-ed25519`: a space, the base64 of the key blob
/// (string `ssh-ed25519`, string of the 32 key bytes, RFC 8709), then
/// optionally a space and a comment.
fn parse_openssh(rest: &str) -> Result<VerifyingKey, String> {
    let b64 = rest
        .strip_prefix(' ')
        .and_then(|r| r.split(' ').next())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            "OpenSSH 公钥应为 `ssh-ed25519 AAAA… 备注` 一行（如 ~/.ssh/id_ed25519.pub 的内容）"
                .to_string()
        })?;
    let blob = STANDARD
        .decode(b64)
        .map_err(|e| format!("OpenSSH 公钥不是有效的标准 base64（{e}）"))?;
    let key = blob
        .strip_prefix(&ssh_string(SSH_TYPE.as_bytes())[..])
        .and_then(|r| r.strip_prefix(&[0, 0, 0, 32][..]))
        .ok_or_else(|| {
            "OpenSSH 公钥的内容不是 ssh-ed25519 密钥（key blob 类型或长度不符）".to_string()
        })?;
    key_from_bytes(key)
}

/// An SSH wire-format string: a big-endian u32 length, then the bytes.
fn ssh_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

/// The OpenSSH key blob of `key` (what ssh-agent lists and signs with).
pub fn openssh_key_blob(key: &VerifyingKey) -> Vec<u8> {
    let mut out = ssh_string(SSH_TYPE.as_bytes());
    out.extend(ssh_string(key.as_bytes()));
    out
}

/// `ssh-ed25519 AAAA…` (no comment).
pub fn format_openssh_public_key(key: &VerifyingKey) -> String {
    format!("{SSH_TYPE} {}", STANDARD.encode(openssh_key_blob(key)))
}

/// The fingerprint `ssh-add -l` and `ssh-keygen -l` print:
/// `SHA256:` + unpadded base64 of SHA-256 of the key blob.
pub fn openssh_fingerprint(key: &VerifyingKey) -> String {
    let hash = Sha256::digest(openssh_key_blob(key));
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(hash)
    )
}

/// The 32 raw bytes of a public key, checked (a valid, not weak point).
fn key_from_bytes(bytes: &[u8]) -> Result<VerifyingKey, String> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| {
        format!(
            "公钥长度错误：应为 32 字节，实际为 {} 字节（wrong key length）",
            bytes.len()
        )
    })?;
    let key = VerifyingKey::from_bytes(&arr)
        .map_err(|_| "公钥不是有效的 Ed25519 曲线点（invalid key）".to_string())?;
    if key.is_weak() {
        return Err("公钥是弱密钥（small-order point），不能使用".to_string());
    }
    Ok(key)
}

/// `ed25519:` + standard base64 of the 32 raw bytes.
pub fn format_public_key(key: &VerifyingKey) -> String {
    format!("{PREFIX}{}", STANDARD.encode(key.as_bytes()))
}

/// A short fingerprint for forms: the first 16 hex digits of SHA-256 of the
/// 32 key bytes, in groups of four (`ab12 cd34 ef56 7890`).
pub fn fingerprint(key: &VerifyingKey) -> String {
    let hash = Sha256::digest(key.as_bytes());
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let groups: Vec<&str> = (0..4).map(|i| &hex[i * 4..i * 4 + 4]).collect();
    groups.join(" ")
}

/// Read an unencrypted PKCS#8 PEM secret key (`-----BEGIN PRIVATE KEY-----`):
/// v1 as `openssl genpkey -algorithm ed25519` writes it, or v2 with the
/// public key attached (then it must match).
pub fn parse_secret_key(pem: &str) -> Result<SigningKey, String> {
    if !pem.contains("-----BEGIN PRIVATE KEY-----") {
        return Err(
            "私钥文件格式不对：应为 PKCS#8 PEM（以 `-----BEGIN PRIVATE KEY-----` 开头）"
                .to_string(),
        );
    }
    SigningKey::from_pkcs8_pem(pem.trim())
        .map_err(|e| format!("无法读取 Ed25519 私钥（PKCS#8 PEM）：{e}"))
}

/// The PKCS#8 v1 PEM text of a secret key (PrivateKeyInfo, no public key
/// attached: the form `openssl genpkey -algorithm ed25519` writes and
/// OpenSSL 3 reads), LF line endings.
pub fn secret_key_pem(key: &SigningKey) -> Result<String, String> {
    secret_key_v1(key)
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map(|z| z.to_string())
        .map_err(|e| format!("无法写出私钥：{e}"))
}

/// The PKCS#8 v1 DER of a secret key (to be encrypted by the caller).
pub fn secret_key_der(key: &SigningKey) -> Result<Vec<u8>, String> {
    secret_key_v1(key)
        .to_pkcs8_der()
        .map(|d| d.as_bytes().to_vec())
        .map_err(|e| format!("无法写出私钥：{e}"))
}

/// Read a PKCS#8 DER secret key (v1 or v2), e.g. a decrypted one.
pub fn parse_secret_key_der(der: &[u8]) -> Result<SigningKey, String> {
    SigningKey::from_pkcs8_der(der).map_err(|e| format!("无法读取 Ed25519 私钥（PKCS#8）：{e}"))
}

fn secret_key_v1(key: &SigningKey) -> KeypairBytes {
    KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    }
}

/// A fresh key from the caller's cryptographic random source (the gate
/// does no I/O, so it cannot open the operating system's itself).
pub fn generate_key<R: rand_core::CryptoRngCore + ?Sized>(rng: &mut R) -> SigningKey {
    SigningKey::generate(rng)
}

/// Standard padded base64 of a signature.
pub fn encode_signature(sig: &Signature) -> String {
    STANDARD.encode(sig.to_bytes())
}

/// Decode a standard base64 signature of exactly 64 bytes.
pub fn decode_signature(text: &str) -> Option<Signature> {
    let bytes = STANDARD.decode(text).ok()?;
    let arr: [u8; 64] = bytes.as_slice().try_into().ok()?;
    Some(Signature::from_bytes(&arr))
}

/// `verify_strict` of `sig_b64` over `message`; false on any malformed input.
pub fn verify(key: &VerifyingKey, message: &[u8], sig_b64: &str) -> bool {
    match decode_signature(sig_b64) {
        Some(sig) => key.verify_strict(message, &sig).is_ok(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::Signer;

    #[test]
    fn public_keys_parse_and_format() {
        let s = "ed25519:ey0+cUW/cZQeCLmtGv2wa1pU3zKxMOkruNA9Xt/zC3M=";
        let k = parse_public_key(s).unwrap();
        assert_eq!(format_public_key(&k), s);
        let fp = fingerprint(&k);
        assert_eq!(fp.len(), 19);
        assert_eq!(fp.split(' ').count(), 4);
    }

    #[test]
    fn bad_public_keys_are_clear_errors() {
        let e = parse_public_key("ed25519:AAAA").unwrap_err();
        assert!(e.contains("32 字节") && e.contains("3 字节"), "{e}");
        assert!(parse_public_key("ey0+cUW/cZQeCLmtGv2wa1pU3zKxMOkruNA9Xt/zC3M=").is_err());
        assert!(parse_public_key("ed25519:!!!").is_err());
        // The identity point is a weak key.
        let mut id = [0u8; 32];
        id[0] = 1;
        assert!(parse_public_key(&format!("ed25519:{}", STANDARD.encode(id))).is_err());
    }

    #[test]
    fn vector_pem_matches_keyring_key() {
        let pem = include_str!("../../../tests/fixtures/vectors/keys/zhang.san.pem");
        let sk = parse_secret_key(pem).unwrap();
        assert_eq!(
            format_public_key(&sk.verifying_key()),
            "ed25519:ey0+cUW/cZQeCLmtGv2wa1pU3zKxMOkruNA9Xt/zC3M="
        );
    }

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let pem = secret_key_pem(&sk).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let back = parse_secret_key(&pem).unwrap();
        assert_eq!(back.to_bytes(), sk.to_bytes());
        assert!(parse_secret_key("-----BEGIN PRIVATE KEY-----\nxx\n").is_err());
        assert!(parse_secret_key("not a key").is_err());
    }

    #[test]
    fn openssh_public_keys_parse_only_in_the_keyring() {
        // A line of id_ed25519.pub; `ssh-keygen -l` prints this fingerprint.
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaO6sYL6kKEHVJC+7kB1R+D7SEq031UiHmOa8ff/ddF ou.yang@office";
        let k = parse_keyring_key(line).unwrap();
        assert_eq!(
            openssh_fingerprint(&k),
            "SHA256:zvG+HL3OkoX0iYYKGRfod8JJ9b/IqpIU4SwCOn5JB5s"
        );
        assert_eq!(
            format!("{} ou.yang@office", format_openssh_public_key(&k)),
            line
        );
        let plain = format_public_key(&k);
        assert_eq!(parse_keyring_key(&plain).unwrap(), k);
        assert!(parse_public_key(line).is_err(), "only the keyring takes it");
        // Without a comment; a wrong type or length; garbage.
        let bare = format_openssh_public_key(&k);
        assert_eq!(parse_keyring_key(&bare).unwrap(), k);
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC";
        assert!(parse_keyring_key(rsa).unwrap_err().contains("ed25519"));
        let mut blob = openssh_key_blob(&k);
        blob.push(0);
        let long = format!("ssh-ed25519 {}", STANDARD.encode(&blob));
        assert!(parse_keyring_key(&long).is_err());
        assert!(parse_keyring_key("ssh-ed25519").is_err());
        assert!(parse_keyring_key("ssh-ed25519 !!").is_err());
    }

    #[test]
    fn secret_keys_are_written_as_pkcs8_v1_and_v2_is_still_read() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let pem = secret_key_pem(&sk).unwrap();
        // v1 PrivateKeyInfo: 48 bytes, `MC4CAQAw…` (version 0), as OpenSSL writes.
        assert!(pem.contains("\nMC4CAQAw"), "{pem}");
        let v2 = sk
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .unwrap();
        assert!(v2.contains("\nMFECAQEw"), "{}", &*v2);
        assert_eq!(parse_secret_key(&v2).unwrap().to_bytes(), sk.to_bytes());
        let der = secret_key_der(&sk).unwrap();
        assert_eq!(
            parse_secret_key_der(&der).unwrap().to_bytes(),
            sk.to_bytes()
        );
    }

    #[test]
    fn verify_refuses_malformed_signatures() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let sig = encode_signature(&sk.sign(b"m"));
        assert!(verify(&sk.verifying_key(), b"m", &sig));
        assert!(!verify(&sk.verifying_key(), b"n", &sig));
        assert!(!verify(&sk.verifying_key(), b"m", "not base64!"));
        assert!(!verify(&sk.verifying_key(), b"m", "AAAA"));
        assert!(!verify(&sk.verifying_key(), b"m", ""));
    }
}
