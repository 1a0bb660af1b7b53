//! Attachments: the PDF and Office files an article links to. Their kind
//! and size are shown next to the link (`（PDF，1.2 MB）`), and their text —
//! hidden parts included — is read for the content rules ([`read`]).
//!
//! * [`ooxml`] — `.docx`, `.xlsx`, `.pptx`: a zip of XML parts, read with
//!   limits on the archive, on each entry and on the text.
//! * [`pdf`] — the text of each page of a PDF.
//!
//! Legacy binary formats (`.doc`, `.xls`, `.ppt`, WPS `.wps`/`.et`/`.dps`)
//! are not read: their text sits in binary records (with fast-save
//! fragments and deleted text that no string scan finds reliably), so an
//! article linking one is held and the editor asked to save it as
//! `.docx`/`.xlsx`/`.pptx` or PDF — never published unscanned.

pub mod ooxml;
pub mod pdf;

/// What kind of attachment a file is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Word,
    Excel,
    PowerPoint,
    /// `.doc`, `.xls`, `.ppt`, `.wps`, `.et`, `.dps`: shown, never read.
    Legacy(&'static str),
}

impl Kind {
    /// The kind of the file at `path`, or `None` when it is no attachment.
    pub fn of(path: &str) -> Option<Kind> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Kind::Pdf,
            "docx" => Kind::Word,
            "xlsx" => Kind::Excel,
            "pptx" => Kind::PowerPoint,
            "doc" => Kind::Legacy("Word"),
            "xls" => Kind::Legacy("Excel"),
            "ppt" => Kind::Legacy("PowerPoint"),
            "wps" => Kind::Legacy("WPS 文字"),
            "et" => Kind::Legacy("WPS 表格"),
            "dps" => Kind::Legacy("WPS 演示"),
            _ => return None,
        })
    }

    /// The name readers know: PDF, Word, Excel, PowerPoint.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Word => "Word",
            Kind::Excel => "Excel",
            Kind::PowerPoint => "PowerPoint",
            Kind::Legacy(name) => name,
        }
    }
}

/// A file size as readers write it: `35 KB`, `1.2 MB` (1024-based, one
/// decimal below 10 units).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v < 10.0 && unit > 0 {
        format!("{v:.1} {}", UNITS[unit])
    } else {
        format!("{} {}", v.round() as u64, UNITS[unit])
    }
}

/// The note shown after a link to an attachment: `（PDF，1.2 MB）`.
pub fn label(path: &str, size: Option<u64>) -> Option<String> {
    let kind = Kind::of(path)?;
    Some(match size {
        Some(n) => format!("（{}，{}）", kind.name(), human_size(n)),
        None => format!("（{}）", kind.name()),
    })
}

/// One piece of an attachment's text and where it is, in Chinese:
/// `第 2 页`, `工作表「名单」（隐藏）单元格 C3`, `修订删除的文字（正文第 4 段）`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub place: String,
    pub text: String,
}

/// A document property that names a person, a company or a computer
/// (author, last modified by, company, manager).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `作者（dc:creator）`
    pub field: String,
    pub value: String,
}

/// What an attachment holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub parts: Vec<Part>,
    pub identities: Vec<Identity>,
}

/// Limits on reading one attachment: what a bomb or a damaged file may
/// cost before it is refused.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest attachment read at all.
    pub file: usize,
    /// Most entries of a zip archive.
    pub entries: usize,
    /// Largest decompressed size of one archive entry or PDF stream.
    pub entry: usize,
    /// Largest decompressed size of all entries read.
    pub total: usize,
    /// Most text kept (what the rules then read).
    pub text: usize,
    /// Most PDF pages read.
    pub pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file: 64 << 20,
            entries: 10_000,
            entry: 64 << 20,
            total: 256 << 20,
            text: 32 << 20,
            pages: 5_000,
        }
    }
}

/// Read an attachment's text. `Ok(None)` when the file is no attachment;
/// `Err` (Chinese, the reason an article is held) when it cannot be read
/// within the limits or is of a legacy format.
pub fn read(path: &str, bytes: &[u8], limits: &Limits) -> Result<Option<Extracted>, String> {
    let Some(kind) = Kind::of(path) else {
        return Ok(None);
    };
    if bytes.len() > limits.file {
        return Err(format!(
            "文件有 {}，超过附件检查的上限 {}，无法检查其中是否含个人信息或涉密标志",
            human_size(bytes.len() as u64),
            human_size(limits.file as u64)
        ));
    }
    let out = match kind {
        Kind::Pdf => pdf::read(bytes, limits),
        Kind::Word => ooxml::read(bytes, ooxml::Format::Docx, limits),
        Kind::Excel => ooxml::read(bytes, ooxml::Format::Xlsx, limits),
        Kind::PowerPoint => ooxml::read(bytes, ooxml::Format::Pptx, limits),
        Kind::Legacy(name) => {
            let new = match name {
                "Excel" | "WPS 表格" => ".xlsx",
                "PowerPoint" | "WPS 演示" => ".pptx",
                _ => ".docx",
            };
            return Err(format!(
                "是旧版 {name} 二进制格式，无法可靠检查其中的文字（含隐藏内容和修订痕迹）。请另存为 {new} 或 PDF 后替换附件并重新送审"
            ));
        }
    }?;
    let total: usize = out.parts.iter().map(|p| p.text.len()).sum();
    if total > limits.text {
        return Err(format!(
            "文字内容超过附件检查的上限 {}，无法检查完整",
            human_size(limits.text as u64)
        ));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(human_size(35 * 1024), "35 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
        assert_eq!(human_size(800), "800 B");
        assert_eq!(human_size(15 << 20), "15 MB");
        assert_eq!(
            label("a/通知.PDF", Some(1_258_291)).as_deref(),
            Some("（PDF，1.2 MB）")
        );
        assert_eq!(
            label("x.docx", Some(35 * 1024)).as_deref(),
            Some("（Word，35 KB）")
        );
        assert_eq!(label("x.xls", None).as_deref(), Some("（Excel）"));
        assert_eq!(label("x.png", Some(1)), None);
    }

    #[test]
    fn a_minimal_pdf_without_pages_reads() {
        let mini = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
        assert_eq!(
            read("a.pdf", mini, &Limits::default()),
            Ok(Some(Extracted::default()))
        );
    }

    #[test]
    fn legacy_formats_are_refused_with_the_fix() {
        let e = read("a.xls", b"\xd0\xcf\x11\xe0", &Limits::default()).unwrap_err();
        assert!(e.contains("另存为 .xlsx"), "{e}");
        assert_eq!(read("a.png", b"", &Limits::default()), Ok(None));
    }
}
