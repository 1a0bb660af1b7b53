//! The release manifest (R17): every output file's path, size and SHA-256,
//! the commit and the build time, optionally signed with a deploy key.
//! Written beside the output directory (`public.manifest.json` next to
//! `public/`), never inside it.
//!
//! The signature covers [`Manifest::signed_bytes`]: the line
//! `sanshen-manifest-v1`, then `commit: `, `built_at: `, `site: `, (when
//! recorded) `theme: `, (when present) `trust: `, `now: ` and `release: `, and `files: N`
//! lines, then one line `<sha256> <size> <path>` per file in path order;
//! strings are written as JSON strings (quoted, escaped), a missing commit
//! as `null`; every line ends in `\n`.

use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::gate;
use crate::render::OutFile;

/// The `format` of this version.
pub const FORMAT: &str = "sanshen-manifest-v1";

/// One released file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `/`-separated, relative to the output root.
    pub path: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
}

impl Entry {
    /// The entry of one output file.
    pub fn of(f: &OutFile) -> Entry {
        Entry {
            path: f.path.clone(),
            size: f.bytes.len() as u64,
            sha256: sha256_hex(&f.bytes),
        }
    }
}

/// The deploy key's signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// `ed25519:<base64>` public key.
    pub key: String,
    /// Standard base64 of the 64-byte signature.
    pub value: String,
}

/// The manifest of one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub commit: Option<String>,
    /// RFC 3339, the build clock.
    pub built_at: String,
    /// The site's `base_url`.
    pub site: String,
    /// The theme rendered: `themes/<name>` (on disk, signed by the root
    /// key with the frame) or `built-in <version>` (inside the binary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Where the trust root came from: `pinned` (`--trust-root` or
    /// `SANSHEN_TRUST_ROOT`) or `repository` (`site.yaml`; such an output
    /// is not deployed). Absent in manifests of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
    /// RFC 3339, the judging clock used (`--now` or the system clock), so
    /// that a third party can rebuild the same bytes with `--now`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// `"sha256:" + hex` of the release facts written beside the output
    /// (`<out>.release.json`): what the publication log records. Absent
    /// in manifests of older versions (which `deploy` refuses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Sorted by path, no duplicates.
    pub files: Vec<Entry>,
    pub signature: Option<Signature>,
}

/// The manifest's `theme` for theme `name` of a site read from `tree`:
/// `themes/<name>` when that folder exists, else the built-in theme of
/// this binary.
pub fn theme_label(tree: &dyn crate::content::Tree, name: &str) -> String {
    let dir = format!("themes/{name}");
    if tree.is_dir(&dir) {
        dir
    } else {
        format!("built-in {}", env!("CARGO_PKG_VERSION"))
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<out>.manifest.json` beside the output directory.
pub fn path_for(out: &Path) -> PathBuf {
    beside(out, "manifest.json")
}

/// `<out>.release.json` beside the output directory: the release facts
/// (what the publication log records).
pub fn facts_path_for(out: &Path) -> PathBuf {
    beside(out, "release.json")
}

fn beside(out: &Path, ext: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out.parent().unwrap_or(Path::new(""));
    parent.join(format!("{name}.{ext}"))
}

/// A path that stays inside the tree: relative, `/`-separated, no empty,
/// `.` or `..` segment, no backslash or control character.
pub fn safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.chars().any(|c| c == '\\' || c.is_control())
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

impl Manifest {
    /// The manifest of `files` (hashed in parallel), unsigned.
    pub fn of_files(
        files: &[OutFile],
        commit: Option<String>,
        built_at: String,
        site: String,
    ) -> Manifest {
        let entries: Vec<Entry> = files.par_iter().map(Entry::of).collect();
        Manifest::of_entries(entries, commit, built_at, site)
    }

    /// The manifest of the files `entries` describe, in any order;
    /// unsigned.
    pub fn of_entries(
        mut entries: Vec<Entry>,
        commit: Option<String>,
        built_at: String,
        site: String,
    ) -> Manifest {
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest {
            format: FORMAT.to_string(),
            commit,
            built_at,
            site,
            theme: None,
            trust: None,
            now: None,
            release: None,
            files: entries,
            signature: None,
        }
    }

    /// The bytes the signature covers (see the module documentation).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let commit = self.commit.as_deref().map_or("null".to_string(), json);
        let mut out = format!(
            "{FORMAT}\ncommit: {commit}\nbuilt_at: {}\nsite: {}\n",
            json(&self.built_at),
            json(&self.site),
        );
        if let Some(theme) = &self.theme {
            out.push_str(&format!("theme: {}\n", json(theme)));
        }
        if let Some(t) = &self.trust {
            out.push_str(&format!("trust: {}\n", json(t)));
        }
        if let Some(n) = &self.now {
            out.push_str(&format!("now: {}\n", json(n)));
        }
        if let Some(r) = &self.release {
            out.push_str(&format!("release: {}\n", json(r)));
        }
        out.push_str(&format!("files: {}\n", self.files.len()));
        for f in &self.files {
            out.push_str(&format!("{} {} {}\n", f.sha256, f.size, json(&f.path)));
        }
        out.into_bytes()
    }

    /// The first 8 hex digits of the SHA-256 of the signed bytes: names a
    /// release when there is no commit.
    pub fn content_id(&self) -> String {
        sha256_hex(&self.signed_bytes())[..8].to_string()
    }

    /// Sign with the deploy key.
    pub fn sign(&mut self, key: &SigningKey) {
        let sig = key.sign(&self.signed_bytes());
        self.signature = Some(Signature {
            key: gate::format_public_key(&key.verifying_key()),
            value: gate::keys::encode_signature(&sig),
        });
    }

    /// Check the signature against the expected deploy key; the error is
    /// a Chinese sentence.
    pub fn check_signature(&self, expected: &VerifyingKey) -> Result<(), String> {
        let want = gate::format_public_key(expected);
        let Some(sig) = &self.signature else {
            return Err(format!(
                "清单没有签名，但要求用部署密钥 {want} 验证：清单可能被替换为未签名的版本"
            ));
        };
        if sig.key != want {
            return Err(format!(
                "清单由另一把密钥签名（{}），不是 --deploy-key 给出的 {want}",
                sig.key
            ));
        }
        if gate::keys::verify(expected, &self.signed_bytes(), &sig.value) {
            Ok(())
        } else {
            Err("清单签名无效：清单内容在签名之后被改动过，或签名已损坏".to_string())
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Total bytes of all files.
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Parse and validate a manifest; `shown` names it in messages.
pub fn parse(bytes: &[u8], shown: &str) -> Result<Manifest, Diagnostic> {
    let fix = "清单由 sanshen build 生成（输出目录旁的 <输出目录>.manifest.json），请勿手工修改；重新构建即可得到正确的清单。";
    let m: Manifest = serde_json::from_slice(bytes).map_err(|e| {
        Diagnostic::new(shown, format!("无法读取清单（不是有效的清单 JSON）：{e}")).help(fix)
    })?;
    let bad = |msg: String| Diagnostic::new(shown, msg).help(fix);
    if m.format != FORMAT {
        return Err(bad(format!(
            "清单格式为 {}，本程序只支持 {FORMAT}",
            m.format
        )));
    }
    if let Some(t) = m
        .trust
        .as_deref()
        .filter(|t| !["pinned", "repository"].contains(t))
    {
        return Err(bad(format!(
            "清单的 trust 只能是 pinned 或 repository，现为 {t:?}"
        )));
    }
    if chrono::DateTime::parse_from_rfc3339(&m.built_at).is_err() {
        return Err(bad(format!("清单的构建时间无效：{}", m.built_at)));
    }
    for (i, f) in m.files.iter().enumerate() {
        if !safe_path(&f.path) {
            return Err(bad(format!(
                "清单中的路径不安全（绝对路径、含 .. 或控制字符）：{:?}",
                f.path
            )));
        }
        let hex = f.sha256.len() == 64
            && f.sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex {
            return Err(bad(format!("清单中 {} 的 SHA-256 无效", f.path)));
        }
        if i > 0 && m.files[i - 1].path >= f.path {
            return Err(bad(format!("清单中的文件未按路径排序或重复：{}", f.path)));
        }
    }
    if let Some(sig) = &m.signature {
        gate::parse_public_key(&sig.key).map_err(|e| bad(format!("清单签名的公钥无效：{e}")))?;
    }
    Ok(m)
}

/// Read and parse a manifest file; also returns its exact bytes.
pub fn load(path: &Path) -> Result<(Manifest, Vec<u8>), Diagnostic> {
    let shown = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::new(&shown, format!("无法读取清单文件：{e}"))
            .help("清单由 sanshen build 写在输出目录旁（例如 public.manifest.json）；部署后在 <部署目录>/releases/<版本>/manifest.json。")
    })?;
    let m = parse(&bytes, &shown)?;
    Ok((m, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let files = vec![
            OutFile {
                path: "news/index.html".into(),
                bytes: b"<p>news</p>".to_vec(),
            },
            OutFile {
                path: "index.html".into(),
                bytes: b"<p>home</p>".to_vec(),
            },
        ];
        Manifest::of_files(
            &files,
            Some("abc123".into()),
            "2026-11-21T12:00:00+08:00".into(),
            "https://www.ceshi.gov.cn".into(),
        )
    }

    #[test]
    fn sorted_hashed_and_round_trips() {
        let m = sample();
        assert_eq!(m.files[0].path, "index.html");
        assert_eq!(m.files[0].size, 11);
        assert_eq!(m.files[0].sha256, sha256_hex(b"<p>home</p>"));
        let back = parse(&m.to_json(), "m").unwrap();
        assert_eq!(back, m);
        assert_eq!(
            path_for(Path::new("x/public")),
            Path::new("x/public.manifest.json")
        );
    }

    #[test]
    fn canonical_bytes_are_specified() {
        let m = sample();
        let text = String::from_utf8(m.signed_bytes()).unwrap();
        let first = format!("{} 11 \"index.html\"\n", sha256_hex(b"<p>home</p>"));
        assert!(text.starts_with(&format!(
            "sanshen-manifest-v1\ncommit: \"abc123\"\nbuilt_at: \"2026-11-21T12:00:00+08:00\"\nsite: \"https://www.ceshi.gov.cn\"\nfiles: 2\n{first}"
        )));
    }

    #[test]
    fn trust_and_now_are_signed_when_present() {
        let mut m = sample();
        m.trust = Some("pinned".into());
        m.now = Some("2026-11-21T12:00:00+08:00".into());
        let text = String::from_utf8(m.signed_bytes()).unwrap();
        assert!(text.contains(
            "site: \"https://www.ceshi.gov.cn\"\ntrust: \"pinned\"\nnow: \"2026-11-21T12:00:00+08:00\"\nfiles: 2\n"
        ));
        let key = SigningKey::from_bytes(&[7; 32]);
        m.sign(&key);
        m.trust = Some("repository".into());
        assert!(m.check_signature(&key.verifying_key()).is_err());
        assert_eq!(parse(&m.to_json(), "m").unwrap(), m);
        m.trust = Some("other".into());
        assert!(parse(&m.to_json(), "m").is_err());
    }

    #[test]
    fn theme_is_recorded_and_signed() {
        let mut m = sample();
        let plain = m.signed_bytes();
        m.theme = Some("built-in 0.1.0".into());
        let text = String::from_utf8(m.signed_bytes()).unwrap();
        assert!(
            text.contains(
                "site: \"https://www.ceshi.gov.cn\"\ntheme: \"built-in 0.1.0\"\nfiles: 2\n"
            ),
            "{text}"
        );
        assert_ne!(plain, m.signed_bytes());
        assert_eq!(parse(&m.to_json(), "m").unwrap(), m);
        let key = SigningKey::from_bytes(&[7; 32]);
        m.sign(&key);
        m.theme = Some("themes/evil".into());
        assert!(m.check_signature(&key.verifying_key()).is_err());
    }

    #[test]
    fn signatures_check_key_and_content() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let mut m = sample();
        assert!(m.check_signature(&key.verifying_key()).is_err());
        m.sign(&key);
        assert!(m.check_signature(&key.verifying_key()).is_ok());
        let e = m.check_signature(&other.verifying_key()).unwrap_err();
        assert!(e.contains("另一把密钥"), "{e}");
        m.files[0].size += 1;
        let e = m.check_signature(&key.verifying_key()).unwrap_err();
        assert!(e.contains("签名无效"), "{e}");
    }

    #[test]
    fn unsafe_or_unsorted_manifests_are_refused() {
        for p in ["../etc/passwd", "/abs", "a//b", "a/./b", "a\\b", "", "a\nb"] {
            assert!(!safe_path(p), "{p:?}");
        }
        let mut m = sample();
        m.files[1].path = "../x".into();
        assert!(parse(&m.to_json(), "m").is_err());
        let mut m = sample();
        m.files.swap(0, 1);
        assert!(parse(&m.to_json(), "m").is_err());
        let mut m = sample();
        m.format = "other".into();
        assert!(parse(&m.to_json(), "m").is_err());
        assert!(parse(b"{", "m").is_err());
    }
}
