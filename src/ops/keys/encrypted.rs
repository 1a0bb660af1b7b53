//! PKCS#8 secret keys encrypted with a passphrase (RFC 5958
//! EncryptedPrivateKeyInfo, PBES2), as OpenSSL reads and writes them:
//! written with scrypt (N = 2^14, r = 8, p = 1 — OpenSSL's own `-scrypt`
//! parameters, within its 32 MiB limit) and AES-256-CBC; read with scrypt
//! or PBKDF2-HMAC-SHA1/SHA-256 and AES-128/192/256-CBC (what
//! `openssl genpkey -aes-256-cbc` and `openssl pkcs8 -topk8` write).

use ed25519_dalek::SigningKey;
use pkcs8::der::pem::LineEnding;
use pkcs8::pkcs5::{pbes2, scrypt};
use pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo, SecretDocument};
use rand_core::CryptoRngCore;

use crate::gate;

/// The first line of an encrypted key file.
pub const BEGIN: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
const LABEL: &str = "ENCRYPTED PRIVATE KEY";
/// scrypt cost: log2(N) = 14, r = 8, p = 1 (16 MiB, OpenSSL accepts up to 32).
const SCRYPT_LOG_N: u8 = 14;

/// Decrypt an `ENCRYPTED PRIVATE KEY` PEM with `passphrase`; the error is a
/// Chinese sentence.
pub fn decrypt(pem: &str, passphrase: &[u8]) -> Result<SigningKey, String> {
    let (label, doc) = SecretDocument::from_pem(pem.trim())
        .map_err(|e| format!("加密私钥文件格式不对（PEM）：{e}"))?;
    if label != LABEL {
        return Err(format!(
            "私钥文件格式不对：应为 `{BEGIN}`，得到的是 `{label}`"
        ));
    }
    let info = EncryptedPrivateKeyInfo::try_from(doc.as_bytes())
        .map_err(|e| format!("加密私钥文件格式不对（PKCS#8）：{e}"))?;
    let plain = info
        .decrypt(passphrase)
        .map_err(|_| "口令不对，无法解密私钥（或文件已损坏）".to_string())?;
    gate::parse_secret_key_der(plain.as_bytes())
}

/// `key` as an `ENCRYPTED PRIVATE KEY` PEM (PKCS#8 v1 inside, LF endings).
pub fn encrypt<R: CryptoRngCore>(
    key: &SigningKey,
    passphrase: &[u8],
    rng: &mut R,
) -> Result<String, String> {
    let der = zeroize::Zeroizing::new(gate::secret_key_der(key)?);
    let info =
        PrivateKeyInfo::try_from(der.as_slice()).map_err(|e| format!("无法写出私钥：{e}"))?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    let cost = scrypt::Params::new(SCRYPT_LOG_N, 8, 1, 32)
        .map_err(|e| format!("无法加密私钥（scrypt 参数）：{e}"))?;
    let params = pbes2::Parameters::scrypt_aes256cbc(cost, &salt, &iv)
        .map_err(|e| format!("无法加密私钥：{e}"))?;
    let doc = info
        .encrypt_with_params(params, passphrase)
        .map_err(|e| format!("无法加密私钥：{e}"))?;
    doc.to_pem(LABEL, LineEnding::LF)
        .map(|z| z.to_string())
        .map_err(|e| format!("无法写出私钥：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_keys_round_trip_and_refuse_a_wrong_passphrase() {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        let pem = encrypt(&key, b"correct horse", &mut rand_core::OsRng).unwrap();
        assert!(pem.starts_with(BEGIN), "{pem}");
        let back = decrypt(&pem, b"correct horse").unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
        let e = decrypt(&pem, b"wrong").unwrap_err();
        assert!(e.contains("口令不对"), "{e}");
        let plain = gate::secret_key_pem(&key).unwrap();
        assert!(decrypt(&plain, b"x").unwrap_err().contains("PRIVATE KEY"));
    }
}
