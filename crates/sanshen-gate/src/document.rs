//! Splitting an article file into signed front matter, gate block and body
//! (spec/approvals.md §1–2). Pure: bytes in, parts out.

use sha2::{Digest, Sha256};
use thiserror::Error;

/// Why a file could not be split. `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocError {
    #[error("文件不是 UTF-8 编码（not UTF-8），第 {line} 行起无法读取")]
    /// The file is not UTF-8.
    NotUtf8 {
        /// 1-based line of the first byte that is not UTF-8.
        line: usize,
    },
    #[error("文件第一行必须是 `---`（front matter 的开始）")]
    /// The first line is not `---`.
    NoFrontMatter {
        /// Always 1.
        line: usize,
    },
    #[error("front matter 没有结束行 `---`")]
    /// No closing `---` line.
    Unclosed {
        /// 1-based line of the opening `---`.
        line: usize,
    },
}

impl DocError {
    /// The 1-based line the error is about.
    pub fn line(&self) -> usize {
        match self {
            DocError::NotUtf8 { line }
            | DocError::NoFrontMatter { line }
            | DocError::Unclosed { line } => *line,
        }
    }

    /// How the user fixes it, in Chinese.
    pub fn help(&self) -> &'static str {
        match self {
            DocError::NotUtf8 { .. } => {
                "用文本编辑器将文件另存为 UTF-8 编码（不要用 GBK/GB2312）。"
            }
            DocError::NoFrontMatter { .. } => {
                "在文件开头加入 front matter，例如：\n---\ntitle: 文章标题\nclass: A\ndate: \"2026-11-20\"\n---"
            }
            DocError::Unclosed { .. } => "在 front matter 的最后一行之后加上单独一行 `---`。",
        }
    }
}

/// The gate block: the lines from the first column-0 `assets:`,
/// `approvals:`, `returns:` or `withdrawn:` line to the closing `---`
/// (exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateBlock {
    /// The normalised text (BOM dropped, CRLF → LF).
    pub text: String,
    /// 1-based line of the block's first line.
    pub line: usize,
}

/// A normalised article file, split. The text is held once: `signed_bytes`
/// of the spec (the normalised file without its gate lines), of which the
/// front matter and the body are ranges; the gate block is apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `signed_bytes`; after [`Document::release_text`], only the front
    /// matter.
    text: String,
    /// The front matter's range in `text`, without the `---` lines.
    front_matter: std::ops::Range<usize>,
    /// Where the body starts in `text` (it runs to the end).
    body_at: usize,
    /// `text` no longer holds `signed_bytes` ([`Document::release_text`]).
    released: bool,
    /// The digest of `signed_bytes`, taken when the text was released.
    released_digest: Option<String>,
    /// 1-based line of the first front matter line (always 2).
    pub front_matter_line: usize,
    /// The gate block, when the front matter has one.
    pub gate: Option<GateBlock>,
    /// 1-based line of the body's first line.
    pub body_line: usize,
}

impl Document {
    /// A document with nothing in it (a file that could not be read).
    pub fn empty() -> Document {
        Document {
            text: String::new(),
            front_matter: 0..0,
            body_at: 0,
            released: false,
            released_digest: None,
            front_matter_line: 2,
            gate: None,
            body_line: 1,
        }
    }

    /// The signed front matter (YAML), without the `---` lines.
    pub fn front_matter(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    /// The Markdown body after the closing `---`.
    pub fn body(&self) -> &str {
        &self.text[self.body_at..]
    }

    /// `signed_bytes` of the spec: the normalised file without gate lines.
    /// Empty once [`Document::release_text`] has been called.
    pub fn signed(&self) -> &str {
        if self.released {
            ""
        } else {
            &self.text
        }
    }

    /// `"sha256:" + hex(SHA-256(signed_bytes))`.
    pub fn digest(&self) -> String {
        digest_of(self.signed().as_bytes())
    }

    /// Keep only the front matter: for a build that has judged every
    /// article and reads each body again when it renders it, checked
    /// against the digest taken before (`src/render/texts.rs`).
    /// [`Document::signed`] and [`Document::body`] are empty afterwards.
    pub fn release_text(&mut self) {
        if self.released {
            return;
        }
        self.released_digest = Some(self.digest());
        let fm = self.front_matter().to_string();
        self.front_matter = 0..fm.len();
        self.body_at = fm.len();
        self.text = fm;
        self.released = true;
    }

    /// The digest of `signed_bytes` taken by [`Document::release_text`]
    /// (`None` while the text is held).
    pub fn released_digest(&self) -> Option<&str> {
        self.released_digest.as_deref()
    }

    /// The body, owned, without copying it.
    pub fn into_body(mut self) -> String {
        self.text.split_off(self.body_at)
    }
}

/// `"sha256:" + lowercase hex SHA-256` of the bytes.
pub fn digest_of(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Drop a leading BOM and turn every CRLF into LF.
pub fn normalise(raw: &[u8]) -> Result<String, DocError> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let text = std::str::from_utf8(raw).map_err(|e| {
        let line = raw[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        DocError::NotUtf8 { line }
    })?;
    Ok(if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

fn is_gate_start(line: &str) -> bool {
    ["assets:", "approvals:", "returns:", "withdrawn:"]
        .iter()
        .any(|k| line.starts_with(k))
}

/// The v2 digest (spec §3) of `signed_bytes` and the article's `assets`
/// list: each entry is a content path and the lowercase hex SHA-256 of the
/// file's bytes, in the order of the list. With an empty list it is the v1
/// digest, `"sha256:" + hex(SHA-256(signed_bytes))`.
pub fn digest_with_assets(signed: &[u8], assets: &[(&str, &str)]) -> String {
    if assets.is_empty() {
        return digest_of(signed);
    }
    let mut bytes = Vec::with_capacity(signed.len() + 20 + assets.len() * 100);
    bytes.extend_from_slice(signed);
    bytes.push(0);
    bytes.extend_from_slice(b"sanshen-assets-v2\n");
    for (path, hex) in assets {
        bytes.extend_from_slice(path.as_bytes());
        bytes.push(b' ');
        bytes.extend_from_slice(hex.as_bytes());
        bytes.push(b'\n');
    }
    digest_of(&bytes)
}

/// Lowercase hex SHA-256 of the bytes (what the caller passes for each
/// listed file).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in hash {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Split raw file bytes into a [`Document`].
pub fn parse(raw: &[u8]) -> Result<Document, DocError> {
    let text = normalise(raw)?;
    // Lines with their terminators, so that offsets stay exact.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let bare = |l: &str| l.strip_suffix('\n').unwrap_or(l).to_string();
    if lines.first().map(|l| bare(l)) != Some("---".to_string()) {
        return Err(DocError::NoFrontMatter { line: 1 });
    }
    let close = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| bare(l) == "---")
        .map(|(i, _)| i)
        .ok_or(DocError::Unclosed {
            line: lines.len().max(1),
        })?;
    let gate_start = (1..close).find(|&i| is_gate_start(lines[i]));
    let fm_end = gate_start.unwrap_or(close);
    let gate = gate_start.map(|g| GateBlock {
        text: lines[g..close].concat(),
        line: g + 1,
    });
    let mut signed = String::with_capacity(text.len());
    signed.push_str(lines[0]);
    let fm_start = signed.len();
    lines[1..fm_end].iter().for_each(|l| signed.push_str(l));
    let fm_stop = signed.len();
    signed.push_str(lines[close]);
    let body_at = signed.len();
    lines[close + 1..].iter().for_each(|l| signed.push_str(l));
    Ok(Document {
        text: signed,
        front_matter: fm_start..fm_stop,
        body_at,
        released: false,
        released_digest: None,
        front_matter_line: 2,
        gate,
        body_line: close + 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_gate_block_and_body() {
        let raw = "---\ntitle: 标题\nclass: A\napprovals:\n- reviewer: a\n---\n正文\n";
        let d = parse(raw.as_bytes()).unwrap();
        assert_eq!(d.front_matter(), "title: 标题\nclass: A\n");
        let g = d.gate.clone().unwrap();
        assert_eq!(g.line, 4);
        assert_eq!(g.text, "approvals:\n- reviewer: a\n");
        assert_eq!(d.body(), "正文\n");
        assert_eq!(d.body_line, 7);
        assert_eq!(d.signed(), "---\ntitle: 标题\nclass: A\n---\n正文\n");
    }

    #[test]
    fn release_keeps_the_front_matter_only() {
        let raw = "---\ntitle: 标题\napprovals:\n- reviewer: a\n---\n正文\n";
        let mut d = parse(raw.as_bytes()).unwrap();
        assert_eq!(parse(raw.as_bytes()).unwrap().into_body(), "正文\n");
        let digest = d.digest();
        assert_eq!(d.released_digest(), None);
        d.release_text();
        assert_eq!(d.released_digest(), Some(digest.as_str()));
        assert_eq!(d.front_matter(), "title: 标题\n");
        assert_eq!(d.body(), "");
        assert_eq!(d.signed(), "");
        assert_ne!(
            d.digest(),
            digest,
            "nothing can verify against a released text"
        );
        d.release_text();
        assert_eq!(d.front_matter(), "title: 标题\n");
    }

    #[test]
    fn crlf_and_bom_normalised_before_digest() {
        let a = parse(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        let b = parse(b"---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(a.digest(), b.digest());
        assert!(a.digest().starts_with("sha256:"));
        assert_eq!(a.digest().len(), 7 + 64);
    }

    #[test]
    fn returns_line_starts_the_gate_block() {
        let d = parse(b"---\ntitle: t\nreturns:\n- reviewer: \"a\"\n---\nb\n").unwrap();
        assert_eq!(d.gate.as_ref().unwrap().line, 3);
        assert_eq!(d.signed(), "---\ntitle: t\n---\nb\n");
    }

    #[test]
    fn assets_line_starts_the_gate_block() {
        let d =
            parse(b"---\ntitle: t\nassets:\n- \"news/a.png\"\napprovals: []\n---\nb\n").unwrap();
        assert_eq!(d.gate.as_ref().unwrap().line, 3);
        assert_eq!(d.signed(), "---\ntitle: t\n---\nb\n");
    }

    #[test]
    fn digest_with_assets_follows_the_spec_formula() {
        let signed = b"---\ntitle: t\n---\nb\n";
        assert_eq!(digest_with_assets(signed, &[]), digest_of(signed));
        let h = sha256_hex(b"img");
        let mut want = signed.to_vec();
        want.extend_from_slice(b"\0sanshen-assets-v2\nnews/a.png ");
        want.extend_from_slice(h.as_bytes());
        want.push(b'\n');
        assert_eq!(
            digest_with_assets(signed, &[("news/a.png", &h)]),
            digest_of(&want)
        );
        assert_ne!(
            digest_with_assets(signed, &[("news/a.png", &h)]),
            digest_of(signed)
        );
    }

    #[test]
    fn indented_approvals_is_not_a_gate_block() {
        let d = parse(b"---\nextra:\n  approvals: 1\n---\n").unwrap();
        assert!(d.gate.is_none());
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse(b"title: x\n").unwrap_err().line(), 1);
        assert!(matches!(
            parse(b"---\ntitle: x\n").unwrap_err(),
            DocError::Unclosed { .. }
        ));
        let e = parse(b"---\ntitle: x\n---\nok\n\xff\xfe\n").unwrap_err();
        assert_eq!(e, DocError::NotUtf8 { line: 5 });
    }
}
