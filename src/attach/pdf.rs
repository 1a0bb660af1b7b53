//! The text of a PDF, page by page, and the document information that
//! names a person (`/Author`), read with lopdf under size limits.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Document, LoadOptions, Object};

use super::{Extracted, Identity, Limits, Part};

/// Read a PDF's pages. A damaged file, an encrypted one, or one over the
/// limits is an error (the article is held), never a panic: the parser
/// runs under `catch_unwind` as a last guard.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Extracted, String> {
    match catch_unwind(AssertUnwindSafe(|| read_inner(bytes, limits))) {
        Ok(r) => r,
        Err(_) => Err("PDF 文件结构损坏，无法读取其中的文字".to_string()),
    }
}

fn read_inner(bytes: &[u8], limits: &Limits) -> Result<Extracted, String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 文件（文件开头没有 %PDF- 标记），无法检查其中的文字".into());
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.entry),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("PDF 文件无法读取（{e}），无法检查其中的文字"))?;
    if doc.is_encrypted() {
        return Err("PDF 文件已加密，无法检查其中的文字；请提供未加密的版本".into());
    }
    let pages = doc.get_pages();
    if pages.len() > limits.pages {
        return Err(format!(
            "PDF 有 {} 页，超过附件检查的上限 {} 页",
            pages.len(),
            limits.pages
        ));
    }
    let mut out = Extracted::default();
    let mut total = 0usize;
    for &n in pages.keys() {
        let text = doc
            .extract_text_with_limit(&[n], limits.entry)
            .map_err(|e| format!("PDF 第 {n} 页的文字无法读取（{e}）"))?;
        total += text.len();
        if total > limits.text {
            return Err(format!("PDF 第 {n} 页起文字过多，超过附件检查的上限"));
        }
        if !text.trim().is_empty() {
            out.parts.push(Part {
                place: format!("第 {n} 页"),
                text,
            });
        }
    }
    info(&doc, &mut out);
    Ok(out)
}

/// The document information dictionary: every text value is read by the
/// rules; `/Author` names a person.
fn info(doc: &Document, out: &mut Extracted) {
    let Ok(Object::Reference(id)) = doc.trailer.get(b"Info") else {
        return;
    };
    let Ok(dict) = doc.get_dictionary(*id) else {
        return;
    };
    for (key, label) in [
        (&b"Author"[..], "作者（Author）"),
        (b"Title", "标题（Title）"),
        (b"Subject", "主题（Subject）"),
        (b"Keywords", "关键词（Keywords）"),
        (b"Creator", "创建程序（Creator）"),
    ] {
        let Some(value) = dict
            .get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        if key == b"Author" {
            out.identities.push(Identity {
                field: label.to_string(),
                value: value.clone(),
            });
        }
        out.parts.push(Part {
            place: format!("文档属性 {label}"),
            text: value,
        });
    }
}
