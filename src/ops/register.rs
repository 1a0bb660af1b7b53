//! The 信息发布登记表 of the site — every published or withdrawn article
//! with class, dates, signers and withdrawal — written as CSV (UTF-8 with
//! BOM, RFC 4180) and printable HTML.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::DateTime;

use super::files::write_atomic;
use super::site::{self, SiteOpts};
use crate::content::{Article, Content};
use crate::describe as show;
use crate::diag::Diagnostic;
use crate::ops::Error;
use crate::printable::{esc, page};
use crate::publish::Decision;

const HEADER: [&str; 15] = [
    "序号",
    "标题",
    "栏目",
    "文件",
    "信息类别",
    "文章日期",
    "作者",
    "发布机构",
    "状态",
    "审核签署",
    "审核完成时间",
    "撤稿人",
    "撤稿时间",
    "撤稿理由",
    "内容摘要值",
];

/// One row: the CSV cells in [`HEADER`] order, and the HTML cells (already
/// escaped) in [`HTML_HEADER`] order.
struct Row {
    cells: Vec<String>,
    html: Vec<String>,
}

const HTML_HEADER: [&str; 11] = [
    "序号",
    "标题",
    "栏目",
    "类别",
    "文章日期",
    "作者 / 发布机构",
    "状态",
    "审核签署",
    "审核完成",
    "撤稿",
    "摘要值",
];

/// `2026-11-20 10:00` from an RFC 3339 time (as written when unreadable).
fn short_time(t: &str) -> String {
    match DateTime::parse_from_rfc3339(t) {
        Ok(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => t.to_string(),
    }
}

fn row_of(n: usize, content: &Content, a: &Article, d: &Decision) -> Row {
    let v = &d.verdict;
    let mut signers = Vec::new();
    let mut signers_html = Vec::new();
    let mut done: Option<DateTime<chrono::FixedOffset>> = None;
    for q in v.requirements.iter().filter(|q| q.met) {
        if let Some(ap) = q.approval.and_then(|i| v.approvals.get(i)) {
            let title = ap
                .reviewer_title
                .as_deref()
                .map(|t| format!("（{t}）"))
                .unwrap_or_default();
            signers.push(format!(
                "{}：{}{title} {}",
                q.label,
                ap.display_name(),
                ap.signed_at
            ));
            let short = q.label.split('（').next().unwrap_or(&q.label);
            signers_html.push(format!(
                "{}：{} <span class=\"muted\">{}</span>",
                esc(short),
                esc(ap.display_name()),
                esc(&short_time(&ap.signed_at))
            ));
            if let Ok(t) = DateTime::parse_from_rfc3339(&ap.signed_at) {
                done = Some(done.map_or(t, |d| d.max(t)));
            }
        }
    }
    let all_met = !v.requirements.is_empty() && v.requirements.iter().all(|q| q.met);
    let done = done.filter(|_| all_met).map(|t| site::timestamp(&t));
    let (status, who, at, reason) = match &v.withdrawal {
        Some(w) => (
            if w.signature_ok {
                "已撤稿".to_string()
            } else {
                "已撤稿（撤稿签名无法验证）".to_string()
            },
            w.reviewer_name
                .clone()
                .unwrap_or_else(|| w.reviewer.clone()),
            w.at.clone(),
            w.reason.clone(),
        ),
        None => (
            "已发布".to_string(),
            String::new(),
            String::new(),
            String::new(),
        ),
    };
    let date = a.date.format("%Y-%m-%d").to_string();
    let author = a.author.clone().unwrap_or_default();
    let department = a.department.clone().unwrap_or_default();
    let column = content
        .column(&a.column)
        .map(|c| c.title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| a.column.clone());
    let withdrawal_html = if who.is_empty() {
        String::new()
    } else {
        format!(
            "{} <span class=\"muted\">{}</span><br>{}",
            esc(&who),
            esc(&short_time(&at)),
            esc(&reason)
        )
    };
    let html = vec![
        n.to_string(),
        esc(&a.title),
        esc(&column),
        esc(a.class.as_deref().unwrap_or("")),
        esc(&date),
        format!("{}<br>{}", esc(&author), esc(&department)),
        esc(&status),
        signers_html.join("<br>"),
        esc(&done.as_deref().map(short_time).unwrap_or_default()),
        withdrawal_html,
        format!(
            "<span class=\"mono\" title=\"{}\">{}…</span>",
            esc(&v.digest),
            esc(v.digest.get(..19).unwrap_or(&v.digest))
        ),
    ];
    let cells = vec![
        n.to_string(),
        a.title.clone(),
        show::column_label(content, a),
        a.file.clone(),
        show::class_label(a.class.as_deref()),
        date,
        author,
        department,
        status,
        signers.join("；"),
        done.unwrap_or_default(),
        who,
        at,
        reason,
        v.digest.clone(),
    ];
    // A record, not a publication: personal numbers are masked in every
    // cell, whatever the article may lawfully show.
    let mask = |c: String| crate::rules::pii::mask_all(&c);
    Row {
        cells: cells.into_iter().map(mask).collect(),
        html: html.into_iter().map(mask).collect(),
    }
}

/// A CSV cell a spreadsheet will not read as a formula: one starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`.
fn neutral(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// RFC 4180: every field quoted, `"` doubled, CRLF line ends; UTF-8 BOM.
fn csv(rows: &[Row]) -> String {
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let quoted: Vec<String> = cells
            .map(|c| format!("\"{}\"", neutral(c).replace('"', "\"\"")))
            .collect();
        format!("{}\r\n", quoted.join(","))
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&mut HEADER.iter().copied()));
    for r in rows {
        out.push_str(&line(&mut r.cells.iter().map(String::as_str)));
    }
    out
}

fn html(site: &str, rows: &[Row], generated: &str, published: usize, withdrawn: usize) -> String {
    let mut body = format!(
        "<h1>信息发布登记表</h1>\n<p class=\"meta\">{}网站　已发布 {published} 篇，已撤稿 {withdrawn} 篇　生成时间：{}</p>\n",
        esc(site),
        esc(generated)
    );
    body.push_str("<table class=\"small register\">\n<thead><tr>");
    for h in HTML_HEADER {
        body.push_str(&format!("<th>{}</th>", esc(h)));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        body.push_str("<tr>");
        for c in &r.html {
            body.push_str(&format!("<td>{c}</td>"));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n<p class=\"note\">本表由 sanshen 根据文章中的签名审核记录与撤稿记录生成；“审核完成”为满足全部审核要求的最后一次签署时间；完整的文件路径、签署时间与摘要值见同时生成的 register.csv。</p>\n");
    page("信息发布登记表", &body, true)
}

/// The register written.
#[derive(Debug, Clone)]
pub struct Register {
    pub published: usize,
    pub withdrawn: usize,
    pub csv: PathBuf,
    pub html: PathBuf,
}

/// Write `register.csv` and `register.html` into `out` (never into a
/// folder the build reads).
pub fn register(site: &SiteOpts, out: &Path) -> Result<Register, Error> {
    if let Some(part) = site::inside_site(&site.root, out) {
        return Err(Error::from(
            Diagnostic::new(
                out.display().to_string(),
                format!("登记表不能写进站点的 {part}：构建会读取那里的文件"),
            )
            .help("写到站点目录之外，或站点根目录下的其他目录。"),
        ));
    }
    let judged = site::judge(site)?;
    let mut chosen: Vec<(&Article, &Decision)> = judged
        .content
        .articles
        .iter()
        .zip(&judged.decisions)
        .filter(|(_, d)| d.publish || d.verdict.withdrawal.is_some())
        .collect();
    chosen.sort_by(|x, y| (x.0.date, &x.0.path).cmp(&(y.0.date, &y.0.path)));
    let rows: Vec<Row> = chosen
        .iter()
        .enumerate()
        .map(|(i, (a, d))| row_of(i + 1, &judged.content, a, d))
        .collect();
    let withdrawn = chosen.iter().filter(|(_, d)| !d.publish).count();
    let published = chosen.len() - withdrawn;
    let generated = site::timestamp(&judged.now);
    let csv_path = out.join("register.csv");
    let html_path = out.join("register.html");
    let page = html(
        &judged.site.config.name,
        &rows,
        &generated,
        published,
        withdrawn,
    );
    let written = fs::create_dir_all(out)
        .and_then(|_| write_atomic(&csv_path, csv(&rows).as_bytes()))
        .and_then(|_| write_atomic(&html_path, page.as_bytes()));
    if let Err(e) = written {
        return Err(Error::from(Diagnostic::new(
            out.display().to_string(),
            format!("无法写出登记表：{e}"),
        )));
    }
    Ok(Register {
        published,
        withdrawn,
        csv: csv_path,
        html: html_path,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        for c in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(super::neutral(c), format!("'{c}"));
        }
        assert_eq!(super::neutral("通知"), "通知");
        assert_eq!(super::neutral(""), "");
    }
}
