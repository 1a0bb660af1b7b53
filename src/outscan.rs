//! The last look before anything is written: every output file is scanned
//! for private keys (PEM in UTF-8 and UTF-16, base64 and DER PKCS#8 of an
//! Ed25519 key) and for personal numbers that no published article was
//! allowed to publish. A hit refuses the whole build and names the file:
//! such bytes can only come from a template, the frame or a bug, and must
//! never reach the web server (a template once printed the CI's deploy key).

use std::collections::BTreeSet;

use memchr::memmem;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::OutFile;
use crate::rules::pii;

/// Byte patterns that mean "a private key is in here".
fn key_markers() -> Vec<(&'static str, Vec<u8>)> {
    let utf16 = |s: &str, big: bool| -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    vec![
        ("PEM 私钥", b"PRIVATE KEY-----".to_vec()),
        ("PEM 私钥（UTF-16）", utf16("PRIVATE KEY-----", false)),
        ("PEM 私钥（UTF-16）", utf16("PRIVATE KEY-----", true)),
        // PKCS#8 v1 and v2 (with the public key) of an Ed25519 key, base64.
        ("PKCS#8 私钥（base64）", b"MC4CAQAwBQYDK2VwBCIEI".to_vec()),
        ("PKCS#8 私钥（base64）", b"MFECAQEwBQYDK2VwBCIEI".to_vec()),
        ("PKCS#8 私钥（base64）", b"MFMCAQEwBQYDK2VwBCIEI".to_vec()),
        // The same, as raw DER.
        (
            "PKCS#8 私钥（DER）",
            vec![
                0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
                0x04, 0x20,
            ],
        ),
        (
            "PKCS#8 私钥（DER）",
            vec![
                0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
                0x04, 0x20,
            ],
        ),
        (
            "PKCS#8 私钥（DER）",
            vec![
                0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
                0x04, 0x20,
            ],
        ),
    ]
}

/// Files whose text the personal-number check reads.
fn is_text(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("");
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "html" | "htm" | "xml" | "json" | "txt" | "js" | "css" | "svg" | "csv"
    )
}

/// Digits of a personal number, for comparison with the allowed ones.
fn digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' | 'X' | 'x' => Some(c.to_ascii_uppercase()),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect()
}

/// The personal numbers that published articles may show: those in the
/// text of articles that declare an allowed `pii_exemption` (惩戒公示 …).
pub fn allowed_numbers<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    texts
        .into_iter()
        .flat_map(|t| {
            pii::find(t)
                .into_iter()
                .map(|h| digits(&t[h.range]))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Scan the files about to be written. `allowed`: numbers exempted
/// articles may publish ([`allowed_numbers`]).
pub fn scan(files: &[OutFile], allowed: &BTreeSet<String>) -> Result<(), Diagnostics> {
    let scanner = Scanner::new(allowed);
    let mut found = Diagnostics::default();
    for f in files {
        scanner.file(f).into_iter().for_each(|d| found.push(d));
    }
    if found.0.is_empty() {
        Ok(())
    } else {
        Err(found)
    }
}

/// The scan of one file at a time, for files checked as they are
/// rendered (before each is written).
pub struct Scanner<'a> {
    markers: Vec<(&'static str, Vec<u8>)>,
    allowed: &'a BTreeSet<String>,
}

impl<'a> Scanner<'a> {
    pub fn new(allowed: &'a BTreeSet<String>) -> Scanner<'a> {
        Scanner {
            markers: key_markers(),
            allowed,
        }
    }

    /// What is wrong with `f` (nothing: an empty list).
    pub fn file(&self, f: &OutFile) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (what, m) in &self.markers {
            if memmem::find(&f.bytes, m).is_some() {
                found.push(
                    Diagnostic::new(
                        &f.path,
                        format!("生成的文件中有{what}：私钥绝不能出现在网站上，构建已停止，未写出任何文件"),
                    )
                    .help("检查模板与网站框架（site.yaml、主题、static/）是否引用了环境变量或私钥文件；该私钥应视为已泄露，请吊销并更换。"),
                );
                break;
            }
        }
        if !is_text(&f.path) {
            return found;
        }
        let text = String::from_utf8_lossy(&f.bytes);
        let hits: Vec<pii::Hit> = pii::find(&text)
            .into_iter()
            .filter(|h| !self.allowed.contains(&digits(&text[h.range.clone()])))
            .collect();
        if let Some(h) = hits.first() {
            found.push(
                Diagnostic::new(
                    &f.path,
                    format!(
                        "生成的文件中有未打码的{}（{}）共 {} 处：没有任何已发布文章允许公开它，构建已停止，未写出任何文件",
                        h.kind.label(),
                        h.masked,
                        hits.len()
                    ),
                )
                .help("检查模板、site.yaml 与 static/ 中的文字；依法公开的惩戒公示等须写在文章中并声明 pii_exemption。"),
            );
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &[u8]) -> OutFile {
        OutFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn keys_in_any_encoding_are_found() {
        let none = BTreeSet::new();
        let pem =
            b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        assert!(scan(&[file("index.html", pem)], &none).is_err());
        let utf16: Vec<u8> = "x PRIVATE KEY----- y"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(scan(&[file("a.bin", &utf16)], &none).is_err());
        assert!(scan(&[file("a.js", b"var k='MC4CAQAwBQYDK2VwBCIEIGx';")], &none).is_err());
        let der = [
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20, 1, 2, 3,
        ];
        assert!(scan(&[file("a.png", &der)], &none).is_err());
        assert!(scan(&[file("index.html", b"<p>public key only</p>")], &none).is_ok());
    }

    #[test]
    fn personal_numbers_need_an_exempted_article() {
        let page = "<p>身份证 11010519491231002X，电话 13912345678</p>".as_bytes();
        let e = scan(&[file("news/a/index.html", page)], &BTreeSet::new()).unwrap_err();
        let msg = format!("{:?}", e.0);
        assert!(msg.contains("news/a/index.html"), "{msg}");
        assert!(!msg.contains("11010519491231002X"), "masked: {msg}");
        let allowed = allowed_numbers(["惩戒公示：11010519491231002X，13912345678"]);
        assert!(scan(&[file("news/a/index.html", page)], &allowed).is_ok());
        // Binary files are not read as text.
        assert!(scan(&[file("a.png", page)], &BTreeSet::new()).is_ok());
    }
}
