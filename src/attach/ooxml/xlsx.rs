//! The workbook part of [`super`]: every sheet (hidden and very hidden
//! ones too) with hidden rows and columns named, shared strings, and cell
//! comments with their authors.

use super::*;

/// A sheet of the workbook.
struct Sheet {
    name: String,
    /// `（隐藏）`, `（深度隐藏）` or empty.
    state: &'static str,
    path: String,
}

pub(super) fn xlsx(zip: &mut Archive, out: &mut Extracted) -> Result<(), String> {
    let rels = relationships(zip, "xl/_rels/workbook.xml.rels", "xl")?;
    let Some(xml) = zip.read("xl/workbook.xml")? else {
        return Err("不是有效的 Excel 文件（缺少 xl/workbook.xml）".into());
    };
    let mut sheets = Vec::new();
    walk("xl/workbook.xml", &xml, |ev| {
        if let Ev::Open(e) = ev {
            if local(e) == b"sheet" {
                let name = attr(e, b"name").unwrap_or_default();
                let state = match attr(e, b"state").as_deref() {
                    Some("hidden") => "（隐藏）",
                    Some("veryHidden") => "（深度隐藏）",
                    _ => "",
                };
                if let Some((path, _)) = attr(e, b"id").and_then(|id| rels.get(&id)) {
                    sheets.push(Sheet {
                        name,
                        state,
                        path: path.clone(),
                    });
                }
            }
        }
    })?;
    // Worksheets the workbook does not list are read too.
    for path in zip.matching(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml")) {
        if !sheets.iter().any(|s| s.path == path) && !path["xl/worksheets/".len()..].contains('/') {
            sheets.push(Sheet {
                name: path.clone(),
                state: "（未列入工作簿）",
                path,
            });
        }
    }
    let shared = shared_strings(zip)?;
    for sheet in &sheets {
        let Some(xml) = zip.read(&sheet.path)? else {
            continue;
        };
        cells(&sheet.path, &xml, sheet, &shared, out)?;
        let (dir, file) = sheet.path.rsplit_once('/').unwrap_or(("", &sheet.path));
        let sheet_rels = relationships(zip, &format!("{dir}/_rels/{file}.rels"), dir)?;
        for (path, kind) in sheet_rels.values() {
            if kind.ends_with("/comments") {
                if let Some(xml) = zip.read(path)? {
                    comments(path, &xml, sheet, out)?;
                }
            }
        }
    }
    Ok(())
}

/// The shared string table: cells of type `s` index it.
fn shared_strings(zip: &mut Archive) -> Result<Vec<String>, String> {
    let name = "xl/sharedStrings.xml";
    let mut out = Vec::new();
    let Some(xml) = zip.read(name)? else {
        return Ok(out);
    };
    let (mut cur, mut in_t, mut in_phonetic) = (String::new(), false, false);
    walk(name, &xml, |ev| match ev {
        Ev::Open(e) => match local(e) {
            b"si" => cur.clear(),
            b"t" => in_t = true,
            b"rPh" => in_phonetic = true,
            _ => {}
        },
        Ev::Close(b"si") => out.push(std::mem::take(&mut cur)),
        Ev::Close(b"t") => in_t = false,
        Ev::Close(b"rPh") => in_phonetic = false,
        Ev::Text(t) if in_t && !in_phonetic => cur.push_str(t),
        _ => {}
    })?;
    Ok(out)
}

/// Column number of a cell reference (`C12` → 3).
pub(super) fn column_of(r: &str) -> u32 {
    r.chars()
        .take_while(char::is_ascii_alphabetic)
        .fold(0, |n, c| {
            n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
        })
}

fn cells(
    part: &str,
    xml: &[u8],
    sheet: &Sheet,
    shared: &[String],
    out: &mut Extracted,
) -> Result<(), String> {
    #[derive(Default)]
    struct Cell {
        r: String,
        t: String,
        value: String,
        row_hidden: bool,
        in_value: bool,
    }
    let mut hidden_cols: Vec<(u32, u32)> = Vec::new();
    let mut c = Cell::default();
    let mut header = None::<String>;
    let mut parts = Vec::new();
    let where_ = |sheet: &Sheet| format!("工作表「{}」{}", sheet.name, sheet.state);
    walk(part, xml, |ev| match ev {
        Ev::Open(e) => match local(e) {
            b"col" => {
                let hidden = matches!(attr(e, b"hidden").as_deref(), Some("1" | "true"));
                let n = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<u32>().ok());
                if let (true, Some(min), Some(max)) = (hidden, n(b"min"), n(b"max")) {
                    hidden_cols.push((min, max));
                }
            }
            b"row" => c.row_hidden = matches!(attr(e, b"hidden").as_deref(), Some("1" | "true")),
            b"c" => {
                c.r = attr(e, b"r").unwrap_or_default();
                c.t = attr(e, b"t").unwrap_or_default();
                c.value.clear();
            }
            b"v" | b"t" => c.in_value = true,
            b"oddHeader" | b"evenHeader" | b"firstHeader" | b"oddFooter" | b"evenFooter"
            | b"firstFooter" => header = Some(String::new()),
            _ => {}
        },
        Ev::Close(name) => match name {
            b"v" | b"t" => c.in_value = false,
            b"c" => {
                let value = std::mem::take(&mut c.value);
                let text = if c.t == "s" {
                    value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| shared.get(i).cloned())
                        .unwrap_or_default()
                } else {
                    value
                };
                if !text.trim().is_empty() {
                    let col = column_of(&c.r);
                    let mut hidden = Vec::new();
                    if c.row_hidden {
                        hidden.push("隐藏行");
                    }
                    if hidden_cols.iter().any(|(a, b)| (*a..=*b).contains(&col)) {
                        hidden.push("隐藏列");
                    }
                    let note = if hidden.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", hidden.join("、"))
                    };
                    parts.push(Part {
                        place: format!("{}单元格 {}{note}", where_(sheet), c.r),
                        text,
                    });
                }
            }
            b"row" => c.row_hidden = false,
            b"oddHeader" | b"evenHeader" | b"firstHeader" | b"oddFooter" | b"evenFooter"
            | b"firstFooter" => {
                if let Some(text) = header.take().filter(|t| !t.trim().is_empty()) {
                    parts.push(Part {
                        place: format!("{}页眉页脚", where_(sheet)),
                        text,
                    });
                }
            }
            _ => {}
        },
        Ev::Text(t) => {
            if let Some(h) = header.as_mut() {
                h.push_str(t);
            } else if c.in_value {
                c.value.push_str(t);
            }
        }
    })?;
    out.parts.append(&mut parts);
    Ok(())
}

fn comments(part: &str, xml: &[u8], sheet: &Sheet, out: &mut Extracted) -> Result<(), String> {
    let (mut authors, mut cur_author, mut in_author) = (Vec::new(), String::new(), false);
    let (mut r, mut text, mut in_t, mut in_comment) = (String::new(), String::new(), false, false);
    let mut parts = Vec::new();
    walk(part, xml, |ev| match ev {
        Ev::Open(e) => match local(e) {
            b"author" => in_author = true,
            b"comment" => {
                in_comment = true;
                r = attr(e, b"ref").unwrap_or_default();
                text.clear();
            }
            b"t" => in_t = true,
            _ => {}
        },
        Ev::Close(b"author") => {
            in_author = false;
            authors.push(std::mem::take(&mut cur_author));
        }
        Ev::Close(b"t") => in_t = false,
        Ev::Close(b"comment") => {
            in_comment = false;
            if !text.trim().is_empty() {
                parts.push(Part {
                    place: format!("工作表「{}」{}单元格 {r} 的批注", sheet.name, sheet.state),
                    text: std::mem::take(&mut text),
                });
            }
        }
        Ev::Text(t) if in_author => cur_author.push_str(t),
        Ev::Text(t) if in_comment && in_t => text.push_str(t),
        _ => {}
    })?;
    out.parts.append(&mut parts);
    for a in authors {
        identity(out, "批注作者", a);
    }
    Ok(())
}
