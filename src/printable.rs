//! Small self-contained printable HTML pages (inline CSS, A4, no external
//! resources) for the review form and the publication register.

pub use crate::render::templates::escape as esc;

const CSS: &str = r#"
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eee; color: #000;
  font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 14px; line-height: 1.6; }
.sheet { background: #fff; margin: 24px auto; padding: 18mm 16mm; max-width: 210mm; }
.sheet.wide { max-width: 297mm; }
h1 { font-size: 22px; text-align: center; letter-spacing: .1em; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
p.meta { text-align: center; margin: 0 0 14px; font-size: 12px; color: #333; }
table { width: 100%; border-collapse: collapse; margin: 0 0 8px; }
th, td { border: 1px solid #000; padding: 5px 7px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; font-weight: bold; white-space: nowrap; }
code, .mono { font-family: "Consolas", "Menlo", monospace; font-size: 12px; word-break: break-all; }
.ok { color: #064; font-weight: bold; }
.bad { color: #a00; font-weight: bold; }
.muted { color: #555; }
.hand { min-width: 6em; }
.note { font-size: 12px; color: #333; margin-top: 14px; }
.small td, .small th { font-size: 12px; padding: 3px 5px; }
.info th { width: 16%; }
.info td { width: 34%; }
.nowrap { white-space: nowrap; }
.register td:nth-child(1), .register td:nth-child(3), .register td:nth-child(4), .register td:nth-child(5),
.register td:nth-child(7) { white-space: nowrap; }
@media print {
  body { background: #fff; }
  .sheet { margin: 0; padding: 0; max-width: none; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { page-break-inside: avoid; }
}
"#;

/// A complete page: `<title>` and `body` (already HTML). `landscape`
/// prints on A4 landscape.
pub fn page(title: &str, body: &str, landscape: bool) -> String {
    let (size, class) = if landscape {
        ("A4 landscape", "sheet wide")
    } else {
        ("A4", "sheet")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}@page {{ size: {size}; margin: 15mm 12mm; }}\n</style>\n\
         </head>\n<body>\n<main class=\"{class}\">\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

/// `<tr><th>k</th><td>v</td>…</tr>` from (label, escaped-HTML value) pairs.
pub fn row(cells: &[(&str, String)]) -> String {
    let mut out = String::from("<tr>");
    for (k, v) in cells {
        out.push_str(&format!("<th>{}</th><td>{v}</td>", esc(k)));
    }
    out.push_str("</tr>\n");
    out
}

/// `✓ text` in green or `✗ text` in red.
pub fn mark(ok: bool, text: &str) -> String {
    if ok {
        format!("<span class=\"ok\">✓ {}</span>", esc(text))
    } else {
        format!("<span class=\"bad\">✗ {}</span>", esc(text))
    }
}
