//! The exact byte strings that are signed (spec §3, §4, §7), and helpers
//! that sign them and return standard padded base64.

use ed25519_dalek::{Signer, SigningKey};

use super::keys::encode_signature;

/// `sanshen-approval-v1\n<path>\n<digest>\n<level>\n<reviewer>\n<signed_at>\n`
pub fn approval_message(
    path: &str,
    digest: &str,
    level: &str,
    reviewer: &str,
    signed_at: &str,
) -> String {
    format!("sanshen-approval-v1\n{path}\n{digest}\n{level}\n{reviewer}\n{signed_at}\n")
}

/// `sanshen-withdrawal-v1\n<path>\n<reviewer>\n<at>\n<reason>\n`
pub fn withdrawal_message(path: &str, reviewer: &str, at: &str, reason: &str) -> String {
    format!("sanshen-withdrawal-v1\n{path}\n{reviewer}\n{at}\n{reason}\n")
}

/// A return (退回意见, spec §5a):
/// `sanshen-return-v1\n<path>\n<digest>\n<reviewer>\n<at>\n<comment>\n`
pub fn return_message(path: &str, digest: &str, reviewer: &str, at: &str, comment: &str) -> String {
    format!("sanshen-return-v1\n{path}\n{digest}\n{reviewer}\n{at}\n{comment}\n")
}

/// Governance v2 (spec §7): `sanshen-governance-v2\n<serial>\n<signed_at>\n`,
/// then `<expires>\n` (an empty line when there is none), then
/// `<site path> <digest>\n` per file, paths sorted bytewise (the input
/// order does not matter). `serial` is written in decimal, without sign or
/// leading zeros.
pub fn governance_message<'a>(
    serial: u64,
    signed_at: &str,
    expires: Option<&str>,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut files: Vec<(&str, &str)> = files.into_iter().collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let expires = expires.unwrap_or("");
    let mut out = format!("sanshen-governance-v2\n{serial}\n{signed_at}\n{expires}\n");
    for (path, digest) in files {
        out.push_str(path);
        out.push(' ');
        out.push_str(digest);
        out.push('\n');
    }
    out
}

/// A root-set version (threshold roots): `sanshen-roots-v1\n<version>\n<threshold>\n`
/// then `<key>\n` per key (`ed25519:…`), keys sorted bytewise and distinct
/// (the input order does not matter). Signatures are not part of it.
pub fn roots_message<'a>(
    version: u64,
    threshold: usize,
    keys: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    keys.dedup();
    let mut out = format!("sanshen-roots-v1\n{version}\n{threshold}\n");
    for k in keys {
        out.push_str(k);
        out.push('\n');
    }
    out
}

/// Governance v1 (frozen): `sanshen-governance-v1\n<signed_at>\n` then
/// `<name> <digest>\n` per file, names sorted bytewise (the input order
/// does not matter).
pub fn governance_message_v1<'a>(
    signed_at: &str,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut files: Vec<(&str, &str)> = files.into_iter().collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = format!("sanshen-governance-v1\n{signed_at}\n");
    for (name, digest) in files {
        out.push_str(name);
        out.push(' ');
        out.push_str(digest);
        out.push('\n');
    }
    out
}

/// Sign a message; standard padded base64 of the 64-byte signature.
pub fn sign_message(key: &SigningKey, message: &str) -> String {
    encode_signature(&key.sign(message.as_bytes()))
}

/// The `signature` of an approval.
pub fn sign_approval(
    key: &SigningKey,
    path: &str,
    digest: &str,
    level: u8,
    reviewer: &str,
    signed_at: &str,
) -> String {
    let level = level.to_string();
    sign_message(
        key,
        &approval_message(path, digest, &level, reviewer, signed_at),
    )
}

/// The `signature` of a withdrawal.
pub fn sign_withdrawal(
    key: &SigningKey,
    path: &str,
    reviewer: &str,
    at: &str,
    reason: &str,
) -> String {
    sign_message(key, &withdrawal_message(path, reviewer, at, reason))
}

/// The `signature` of a return.
pub fn sign_return(
    key: &SigningKey,
    path: &str,
    digest: &str,
    reviewer: &str,
    at: &str,
    comment: &str,
) -> String {
    sign_message(key, &return_message(path, digest, reviewer, at, comment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{parse_public_key, parse_secret_key, verify};

    #[test]
    fn approval_message_is_byte_exact() {
        assert_eq!(
            approval_message(
                "news/a.md",
                "sha256:00",
                "1",
                "zhang.san",
                "2026-11-20T15:04:05+08:00"
            ),
            "sanshen-approval-v1\nnews/a.md\nsha256:00\n1\nzhang.san\n2026-11-20T15:04:05+08:00\n"
        );
        assert_eq!(
            withdrawal_message("news/a.md", "li.si", "T", "有误"),
            "sanshen-withdrawal-v1\nnews/a.md\nli.si\nT\n有误\n"
        );
        assert_eq!(
            return_message(
                "news/a.md",
                "sha256:00",
                "leader",
                "T",
                "第二段数字有误，请核实"
            ),
            "sanshen-return-v1\nnews/a.md\nsha256:00\nleader\nT\n第二段数字有误，请核实\n"
        );
    }

    #[test]
    fn governance_v2_message_is_byte_exact() {
        let m = governance_message(
            3,
            "2026-12-01T09:00:00+08:00",
            None,
            [("static/a.txt", "sha256:2"), ("site.yaml", "sha256:1")],
        );
        assert_eq!(
            m,
            "sanshen-governance-v2\n3\n2026-12-01T09:00:00+08:00\n\nsite.yaml sha256:1\nstatic/a.txt sha256:2\n"
        );
        let m = governance_message(1, "T", Some("E"), []);
        assert_eq!(m, "sanshen-governance-v2\n1\nT\nE\n");
    }

    #[test]
    fn governance_names_sort_bytewise() {
        let m = governance_message_v1("T", [("b.yaml", "sha256:2"), ("B.yaml", "sha256:1")]);
        assert_eq!(
            m,
            "sanshen-governance-v1\nT\nB.yaml sha256:1\nb.yaml sha256:2\n"
        );
    }

    #[test]
    fn reproduces_the_vector_signature_of_a_ok() {
        let pem = include_str!("../../../tests/fixtures/vectors/keys/zhang.san.pem");
        let sk = parse_secret_key(pem).unwrap();
        let digest = "sha256:df543bc2d71db4570f40f226b5647ddd11042edc745e2aa8f11cd83a78abad96";
        let at = "2026-11-20T15:04:05+08:00";
        let sig = sign_approval(&sk, "news/a-ok.md", digest, 1, "zhang.san", at);
        assert_eq!(sig, "7gOrImzDHqtFp3GtXk68LeQ+88YaqRyw82jzf/eHw3F2JjY7QtlUKlrErAITI8p3wUTLh9Dut6r413+Ph/TFDg==");
        let pk = parse_public_key("ed25519:ey0+cUW/cZQeCLmtGv2wa1pU3zKxMOkruNA9Xt/zC3M=").unwrap();
        let msg = approval_message("news/a-ok.md", digest, "1", "zhang.san", at);
        assert!(verify(&pk, msg.as_bytes(), &sig));
    }

    #[test]
    fn withdrawal_round_trip() {
        let pem = include_str!("../../../tests/fixtures/vectors/keys/li.si.pem");
        let sk = parse_secret_key(pem).unwrap();
        let at = "2026-11-21T08:00:00+08:00";
        let sig = sign_withdrawal(
            &sk,
            "news/a-withdrawn.md",
            "li.si",
            at,
            "信息有误，撤销发布",
        );
        assert_eq!(sig, "dgqgszW2AgixMX3DOu2MGywNwL1fZJsPUCBRyDfTiKw8X+oM/OXAUCGKhu9LsXuZTKAkBGS1mcWBeNHEQN2DAw==");
    }
}
