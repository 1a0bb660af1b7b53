//! The desk's HTML: the page frame, a little CSS, escaping. Plain HTML
//! forms, no script: the desk works without JavaScript.

use crate::render::templates::escape;

/// Escape user text for HTML (titles, names, comments, paths).
pub fn esc(text: &str) -> String {
    escape(text)
}

const CSS: &str = "
body{margin:0;font:16px/1.7 'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;color:#1a1a1a;background:#f4f5f7}
header{background:#8b0000;color:#fff;padding:.6em 1.2em;display:flex;flex-wrap:wrap;gap:1.5em;align-items:center}
header a{color:#fff}header .brand{font-weight:bold;font-size:1.15em;margin:0}header p{margin:0}
.skip{position:absolute;left:-999px}.skip:focus{left:1em;top:1em;background:#fff;color:#000;padding:.3em}
main{padding:1em 1.2em;max-width:1400px}
h1{font-size:1.4em;margin:.3em 0 .6em}h2{font-size:1.15em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ccd;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#e9ebf0}
a{color:#0645ad}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f90;outline-offset:1px}
.can{background:#fff8e1}.note{color:#555}.warn{color:#a40000}.ok{color:#0a6b2b}
.btn,button{font:inherit;padding:.35em 1em;border:1px solid #444;border-radius:4px;background:#fff;cursor:pointer}
.primary{background:#8b0000;color:#fff;border-color:#8b0000}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);gap:1em}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
iframe{width:100%;height:78vh;border:1px solid #ccd;background:#fff}
aside{background:#fff;border:1px solid #ccd;padding:.4em 1em 1em;overflow-wrap:anywhere}
aside dl{margin:0}aside dt{font-weight:bold;margin-top:.6em}aside dd{margin:0 0 0 1em}
.box{background:#fff;border:1px solid #ccd;padding:.6em 1em;margin:.6em 0}
.returned{border-left:6px solid #c60;background:#fff4e5}
.diff{white-space:pre-wrap;background:#fff;border:1px solid #ccd;padding:1em;line-height:2}
.diff del{background:#ffd7d5;color:#8b0000;text-decoration:line-through}
.diff ins{background:#d4f7d9;color:#064;text-decoration:underline}
textarea{width:100%;max-width:40em;font:inherit}
code{word-break:break-all}
form.inline{display:inline}
.filters{background:#fff;border:1px solid #ccd;padding:.5em 1em;margin-bottom:1em}
";

/// What the frame shows about the desk's user.
pub struct Frame {
    pub site_name: String,
    /// 「孙浩（区政府办公室副主任、网站分管领导）」.
    pub reviewer: String,
}

/// A whole page: `title` (text) and `body` (HTML).
pub fn page(frame: &Frame, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t} · 审核台</title><style>{CSS}</style></head><body>\
<a class=\"skip\" href=\"#main\">跳到主要内容</a>\
<header><p class=\"brand\">审核台 · {site}</p><p>审核人：{who}</p>\
<nav aria-label=\"审核台\"><a href=\"/_review/\">我的待审</a></nav></header>\
<main id=\"main\">{body}</main></body></html>\n",
        t = esc(title),
        site = esc(&frame.site_name),
        who = esc(&frame.reviewer),
    )
}

/// A hidden field with the form's CSRF token.
pub fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(token)
    )
}

/// A plain page with a message (errors, refusals, results).
pub fn message(frame: &Frame, title: &str, lines: &[String], back: Option<&str>) -> String {
    let mut body = format!("<h1>{}</h1>", esc(title));
    for l in lines {
        body.push_str(&format!("<p>{}</p>", esc(l)));
    }
    if let Some(href) = back {
        body.push_str(&format!("<p><a href=\"{}\">返回</a></p>", esc(href)));
    }
    body.push_str("<p><a href=\"/_review/\">回到我的待审</a></p>");
    page(frame, title, &body)
}
