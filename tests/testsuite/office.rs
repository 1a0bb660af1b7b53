//! Office and PDF fixtures written in the tests: OOXML zips of hand-written
//! XML parts (with the `zip` crate), PDFs with `lopdf`.

use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A zip of `(name, text)` entries, deflated.
pub fn zip_of(entries: &[(&str, String)]) -> Vec<u8> {
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// `docProps/core.xml` naming `author` as creator and last modifier.
pub fn core_props(author: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>通知</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy></cp:coreProperties>"
    )
}

/// A Word document whose body is `body` (WordprocessingML inside
/// `<w:body>`), with `extra` parts.
pub fn docx(body: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let mut entries = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
        (
            "word/document.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>"),
        ),
    ];
    entries.extend(extra.iter().cloned());
    zip_of(&entries)
}

/// A paragraph of plain text.
pub fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// One sheet: name, state (`visible`, `hidden`, `veryHidden`), the XML
/// inside `<worksheet>` (cols, sheetData), and a comment part if any.
pub struct SheetSpec<'a> {
    pub name: &'a str,
    pub state: &'a str,
    pub xml: String,
    pub comments: Option<String>,
}

/// An Excel workbook of `sheets` (strings written inline).
pub fn xlsx(sheets: &[SheetSpec]) -> Vec<u8> {
    let r_ns = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    let main = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
    let rel_ns = "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"";
    let mut book = format!("<?xml version=\"1.0\"?><workbook {main} {r_ns}><sheets>");
    let mut rels = format!("<?xml version=\"1.0\"?><Relationships {rel_ns}>");
    let mut entries = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        book.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" state=\"{}\" r:id=\"rId{n}\"/>",
            s.name, s.state
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
        entries.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(
                "<?xml version=\"1.0\"?><worksheet {main}>{}</worksheet>",
                s.xml
            ),
        ));
        if let Some(c) = &s.comments {
            entries.push((
                format!("xl/worksheets/_rels/sheet{n}.xml.rels"),
                format!("<?xml version=\"1.0\"?><Relationships {rel_ns}><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"../comments{n}.xml\"/></Relationships>"),
            ));
            entries.push((
                format!("xl/comments{n}.xml"),
                format!("<?xml version=\"1.0\"?><comments {main}>{c}</comments>"),
            ));
        }
    }
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let mut all: Vec<(&str, String)> = vec![
        ("xl/workbook.xml", book),
        ("xl/_rels/workbook.xml.rels", rels),
    ];
    all.extend(entries.iter().map(|(n, t)| (n.as_str(), t.clone())));
    zip_of(&all)
}

/// A row of inline-string cells: `(ref, text)`.
pub fn row(r: u32, hidden: bool, cells: &[(&str, &str)]) -> String {
    let h = if hidden { " hidden=\"1\"" } else { "" };
    let mut out = format!("<row r=\"{r}\"{h}>");
    for (at, text) in cells {
        out.push_str(&format!(
            "<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"
        ));
    }
    out.push_str("</row>");
    out
}

/// A one-page PDF per entry of `pages`, each showing its text (ASCII, in
/// Courier), with `/Author` in the document information.
pub fn pdf(pages: &[&str], author: Option<&str>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Courier",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for text in pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    if let Some(a) = author {
        let info = doc.add_object(dictionary! { "Author" => Object::string_literal(a) });
        doc.trailer.set("Info", info);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
