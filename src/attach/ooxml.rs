//! Office Open XML (`.docx`, `.xlsx`, `.pptx`): a zip of XML parts. Every
//! part a reader could reveal is read — body, headers, footers, footnotes,
//! comments, tracked changes (inserted and deleted text), every sheet
//! (hidden and very hidden ones too) with hidden rows and columns named,
//! cell comments, slides and notes, and the document properties.
//!
//! Bounded: at most [`Limits::entries`] archive entries; each entry is
//! inflated through a reader that stops past [`Limits::entry`] bytes
//! (the sizes a zip header claims are never trusted), and all entries
//! together past [`Limits::total`].

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use super::{human_size, Extracted, Identity, Limits, Part};

mod xlsx;

/// Which OOXML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Xlsx,
    Pptx,
}

/// Read the text of an OOXML file.
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Extracted, String> {
    let mut zip = Archive::open(bytes, limits)?;
    let mut out = Extracted::default();
    match format {
        Format::Docx => docx(&mut zip, &mut out)?,
        Format::Xlsx => xlsx::xlsx(&mut zip, &mut out)?,
        Format::Pptx => pptx(&mut zip, &mut out)?,
    }
    properties(&mut zip, &mut out)?;
    Ok(out)
}

/// A zip archive read under limits.
struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: Limits,
    used: usize,
}

impl<'a> Archive<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Archive<'a>, String> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("不是有效的 Office 文件（zip 结构无法读取：{e}）"))?;
        if zip.len() > limits.entries {
            return Err(format!(
                "压缩包内有 {} 个文件，超过附件检查的上限 {} 个",
                zip.len(),
                limits.entries
            ));
        }
        let names = zip
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| format!("不是有效的 Office 文件（文件名无法读取：{e}）"))?;
        Ok(Archive {
            zip,
            names,
            limits: *limits,
            used: 0,
        })
    }

    /// The entries whose name satisfies `keep`, sorted naturally
    /// (`sheet2.xml` before `sheet10.xml`).
    fn matching(&self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut v: Vec<String> = self.names.iter().filter(|n| keep(n)).cloned().collect();
        v.sort_by_key(|n| natural_key(n));
        v
    }

    /// The inflated bytes of entry `name`, `None` when it is absent.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| format!("文件内的 {name} 无法读取（{e}）"))?;
        let cap = self.limits.entry.min(self.limits.total - self.used);
        let mut buf = Vec::new();
        entry
            .take(cap as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("文件内的 {name} 无法解压（{e}）"))?;
        if buf.len() > cap {
            return Err(format!(
                "文件内的 {name} 解压后超过 {}（可能是压缩炸弹），无法检查",
                human_size(cap as u64)
            ));
        }
        self.used += buf.len();
        Ok(Some(buf))
    }
}

/// `sheet10.xml` sorts after `sheet2.xml`.
fn natural_key(name: &str) -> (String, u64) {
    let stem = name.trim_end_matches(".xml");
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (head, num) = stem.split_at(stem.len() - digits);
    (head.to_string(), num.parse().unwrap_or(0))
}

/// One event of an XML part, names without their prefix.
enum Ev<'e> {
    Open(&'e BytesStart<'e>),
    Close(&'e [u8]),
    Text(&'e str),
}

/// Walk the events of an XML part.
fn walk(part: &str, xml: &[u8], mut f: impl FnMut(Ev)) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let bad = |e: &dyn std::fmt::Display| format!("文件内的 {part} 不是有效的 XML（{e}）");
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => f(Ev::Open(&e)),
            Event::Empty(e) => {
                f(Ev::Open(&e));
                f(Ev::Close(e.local_name().into_inner()));
            }
            Event::End(e) => f(Ev::Close(e.local_name().into_inner())),
            Event::Text(t) => f(Ev::Text(&t.decode().map_err(|e| bad(&e))?)),
            Event::CData(t) => f(Ev::Text(&t.decode().map_err(|e| bad(&e))?)),
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    match r.decode().map_err(|e| bad(&e))?.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    }
                };
                if let Some(c) = c {
                    f(Ev::Text(c.encode_utf8(&mut [0; 4])));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn local<'e>(e: &'e BytesStart<'e>) -> &'e [u8] {
    e.local_name().into_inner()
}

/// The value of the attribute with local name `name`.
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Paragraphs (`p`) of text runs (`t`), as Word, PowerPoint and
/// DrawingML write them; deleted text (`delText` inside `del`) is its
/// own part, and who made tracked changes and comments is recorded.
fn paragraphs(part: &str, xml: &[u8], label: &str, out: &mut Extracted) -> Result<(), String> {
    #[derive(Default)]
    struct St {
        n: usize,
        text: String,
        deleted: String,
        inserted: bool,
        in_text: bool,
        del_depth: usize,
    }
    let mut st = St::default();
    let mut parts = Vec::new();
    let mut who: Vec<(String, String)> = Vec::new();
    let flush = |st: &mut St, parts: &mut Vec<Part>| {
        let (text, deleted) = (
            std::mem::take(&mut st.text),
            std::mem::take(&mut st.deleted),
        );
        if text.trim().is_empty() && deleted.trim().is_empty() {
            return;
        }
        st.n += 1;
        let n = st.n;
        if !text.trim().is_empty() {
            let note = if std::mem::take(&mut st.inserted) {
                "（含未接受的修订插入文字）"
            } else {
                ""
            };
            parts.push(Part {
                place: format!("{label}第 {n} 段{note}"),
                text,
            });
        }
        if !deleted.trim().is_empty() {
            parts.push(Part {
                place: format!("{label}第 {n} 段的修订删除文字（未接受的修订，打开文件仍可看到）"),
                text: deleted,
            });
        }
    };
    walk(part, xml, |ev| match ev {
        Ev::Open(e) => match local(e) {
            b"p" => flush(&mut st, &mut parts),
            b"t" | b"delText" => st.in_text = true,
            b"tab" | b"br" | b"cr" => st.text.push(' '),
            b"del" => {
                st.del_depth += 1;
                if let Some(a) = attr(e, b"author") {
                    who.push(("修订者".into(), a));
                }
            }
            b"ins" => {
                st.inserted = true;
                if let Some(a) = attr(e, b"author") {
                    who.push(("修订者".into(), a));
                }
            }
            b"comment" => {
                if let Some(a) = attr(e, b"author") {
                    who.push(("批注作者".into(), a));
                }
            }
            _ => {}
        },
        Ev::Close(name) => match name {
            b"p" => flush(&mut st, &mut parts),
            b"t" | b"delText" => st.in_text = false,
            b"del" => st.del_depth = st.del_depth.saturating_sub(1),
            _ => {}
        },
        Ev::Text(t) if st.in_text => {
            if st.del_depth > 0 {
                st.deleted.push_str(t);
            } else {
                st.text.push_str(t);
            }
        }
        Ev::Text(_) => {}
    })?;
    flush(&mut st, &mut parts);
    out.parts.append(&mut parts);
    for (field, value) in who {
        identity(out, &field, value);
    }
    Ok(())
}

/// Record a property naming a person, once per field and value.
fn identity(out: &mut Extracted, field: &str, value: String) {
    let value = value.trim().to_string();
    if value.is_empty()
        || out
            .identities
            .iter()
            .any(|i| i.field == field && i.value == value)
    {
        return;
    }
    out.identities.push(Identity {
        field: field.to_string(),
        value,
    });
}

fn docx(zip: &mut Archive, out: &mut Extracted) -> Result<(), String> {
    let label = |name: &str| -> Option<&'static str> {
        let file = name.strip_prefix("word/")?;
        let stem = file.strip_suffix(".xml")?;
        if stem.contains('/') {
            return None;
        }
        Some(match stem.trim_end_matches(|c: char| c.is_ascii_digit()) {
            "document" => "正文",
            "header" => "页眉",
            "footer" => "页脚",
            "footnotes" => "脚注",
            "endnotes" => "尾注",
            "comments" => "批注",
            _ => return None,
        })
    };
    let names = zip.matching(|n| label(n).is_some());
    if !names.iter().any(|n| n == "word/document.xml") {
        return Err("不是有效的 Word 文件（缺少 word/document.xml）".into());
    }
    for name in names {
        if let Some(xml) = zip.read(&name)? {
            let l = label(&name).unwrap_or("正文");
            paragraphs(&name, &xml, l, out)?;
        }
    }
    Ok(())
}

fn pptx(zip: &mut Archive, out: &mut Extracted) -> Result<(), String> {
    let kind = |name: &str| -> Option<&'static str> {
        let rest = name.strip_prefix("ppt/")?.strip_suffix(".xml")?;
        let (dir, file) = rest.split_once('/')?;
        (!file.contains('/')).then_some(())?;
        Some(match dir {
            "slides" => "幻灯片",
            "notesSlides" => "备注",
            "comments" => "批注",
            _ => return None,
        })
    };
    let names = zip.matching(|n| kind(n).is_some());
    for name in names {
        if let Some(xml) = zip.read(&name)? {
            let label = format!("{}（{name}）", kind(&name).unwrap_or("幻灯片"));
            paragraphs(&name, &xml, &label, out)?;
        }
    }
    Ok(())
}

/// `Relationship` id → target part path, resolved against `dir`.
fn relationships(
    zip: &mut Archive,
    rels: &str,
    dir: &str,
) -> Result<BTreeMap<String, (String, String)>, String> {
    let mut map = BTreeMap::new();
    let Some(xml) = zip.read(rels)? else {
        return Ok(map);
    };
    walk(rels, &xml, |ev| {
        if let Ev::Open(e) = ev {
            if local(e) == b"Relationship" {
                if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    let kind = attr(e, b"Type").unwrap_or_default();
                    map.insert(id, (resolve(dir, &target), kind));
                }
            }
        }
    })?;
    Ok(map)
}

/// A relationship target as an archive path.
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// `docProps/core.xml`, `app.xml`, `custom.xml`: every value is read;
/// author, last modified by, company and manager name people or offices.
fn properties(zip: &mut Archive, out: &mut Extracted) -> Result<(), String> {
    const FIELDS: [(&[u8], &str, bool); 10] = [
        (b"creator", "作者（creator）", true),
        (b"lastModifiedBy", "最后修改者（lastModifiedBy）", true),
        (b"Company", "单位（Company）", true),
        (b"Manager", "经理（Manager）", true),
        (b"title", "标题（title）", false),
        (b"subject", "主题（subject）", false),
        (b"keywords", "关键词（keywords）", false),
        (b"description", "备注（description）", false),
        (b"category", "类别（category）", false),
        (b"contentStatus", "状态（contentStatus）", false),
    ];
    for name in [
        "docProps/core.xml",
        "docProps/app.xml",
        "docProps/custom.xml",
    ] {
        let Some(xml) = zip.read(name)? else {
            continue;
        };
        let mut field: Option<(String, bool)> = None;
        let mut custom: Option<String> = None;
        let mut text = String::new();
        let mut found: Vec<(String, bool, String)> = Vec::new();
        walk(name, &xml, |ev| match ev {
            Ev::Open(e) => {
                let l = local(e);
                if l == b"property" {
                    custom = attr(e, b"name");
                } else if let Some((_, label, who)) = FIELDS.iter().find(|(k, ..)| *k == l) {
                    field = Some((label.to_string(), *who));
                    text.clear();
                } else if custom.is_some() {
                    text.clear();
                }
            }
            Ev::Close(l) => {
                if let Some((label, who)) = field.take() {
                    found.push((label, who, std::mem::take(&mut text)));
                } else if l == b"property" {
                    if let Some(n) = custom.take() {
                        found.push((
                            format!("自定义属性「{n}」"),
                            false,
                            std::mem::take(&mut text),
                        ));
                    }
                }
            }
            Ev::Text(t) if field.is_some() || custom.is_some() => text.push_str(t),
            Ev::Text(_) => {}
        })?;
        for (label, who, value) in found {
            let value = value.trim().to_string();
            if value.is_empty() {
                continue;
            }
            if who {
                identity(out, &label, value.clone());
            }
            out.parts.push(Part {
                place: format!("文档属性 {label}"),
                text: value,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_columns() {
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(xlsx::column_of("C12"), 3);
        assert_eq!(xlsx::column_of("AA1"), 27);
        assert!(natural_key("xl/worksheets/sheet2.xml") < natural_key("xl/worksheets/sheet10.xml"));
    }
}
