//! Ed25519 keys (spec §8): public keys written `ed25519:<standard base64 of
//! the 32 raw bytes>`, secret keys as PKCS#8 PEM. Verification is always
//! `verify_strict`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const PREFIX: &str = "ed25519:";

/// Parse `ed25519:<b64>`; the error is a Chinese sentence for the user.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let b64 = text.strip_prefix(PREFIX).ok_or_else(|| {
        format!("公钥必须以 `ed25519:` 开头，后接 32 字节公钥的 base64（得到的是 `{text}`）")
    })?;
    let bytes = STANDARD
        .decode(b64)
        .map_err(|e| format!("公钥不是有效的标准 base64（{e}）"))?;
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
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

/// Read a PKCS#8 PEM secret key (`-----BEGIN PRIVATE KEY-----`), as written
/// by `openssl genpkey -algorithm ed25519`.
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

/// The PKCS#8 PEM text of a secret key (LF line endings).
pub fn secret_key_pem(key: &SigningKey) -> Result<String, String> {
    key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map(|z| z.to_string())
        .map_err(|e| format!("无法写出私钥：{e}"))
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
