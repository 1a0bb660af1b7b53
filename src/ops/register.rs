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

/// The HTML 撤稿 cell: who, when and why; empty when not withdrawn.
fn withdrawal_cell(who: &str, at: &str, reason: &str) -> String {
    if who.is_empty() {
        return String::new();
    }
    format!(
        "{} <span class=\"muted\">{}</span><br>{}",
        esc(who),
        esc(&short_time(at)),
        esc(reason)
    )
}

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
        }
    }
    // 审核完成 is the article's 更新时间 (owned by `crate::dates`).
    let done = a.updated.map(|t| site::timestamp(&t));
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
    let date = crate::dates::published_shown(a);
    let author = a.author.clone().unwrap_or_default();
    let department = a.department.clone().unwrap_or_default();
    let column = content
        .column(&a.column)
        .map(|c| c.title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| a.column.clone());
    let withdrawal_html = withdrawal_cell(&who, &at, &reason);
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
    csv_with(&HEADER, rows)
}

fn csv_with(header: &[&str], rows: &[Row]) -> String {
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let quoted: Vec<String> = cells
            .map(|c| format!("\"{}\"", neutral(c).replace('"', "\"\"")))
            .collect();
        format!("{}\r\n", quoted.join(","))
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&mut header.iter().copied()));
    for r in rows {
        out.push_str(&line(&mut r.cells.iter().map(String::as_str)));
    }
    out
}

fn html(site: &str, rows: &[Row], generated: &str, published: usize, withdrawn: usize) -> String {
    let meta = format!(
        "{}网站　已发布 {published} 篇，已撤稿 {withdrawn} 篇　生成时间：{}",
        site, generated
    );
    html_with(&HTML_HEADER, &meta, rows, "本表由 sanshen 根据文章中的签名审核记录与撤稿记录生成；“审核完成”为满足全部审核要求的最后一次签署时间；完整的文件路径、签署时间与摘要值见同时生成的 register.csv。")
}

fn html_with(header: &[&str], meta: &str, rows: &[Row], note: &str) -> String {
    let mut body = format!(
        "<h1>信息发布登记表</h1>\n<p class=\"meta\">{}</p>\n",
        esc(meta)
    );
    body.push_str("<table class=\"small register\">\n<thead><tr>");
    for h in header {
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
    body.push_str(&format!(
        "</tbody>\n</table>\n<p class=\"note\">{}</p>\n",
        esc(note)
    ));
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
    let page = html(
        &judged.site.config.name,
        &rows,
        &generated,
        published,
        withdrawn,
    );
    write_both(out, &csv(&rows), &page, published, withdrawn)
}

fn write_both(
    out: &Path,
    csv_text: &str,
    page: &str,
    published: usize,
    withdrawn: usize,
) -> Result<Register, Error> {
    let csv_path = out.join("register.csv");
    let html_path = out.join("register.html");
    let written = fs::create_dir_all(out)
        .and_then(|_| write_atomic(&csv_path, csv_text.as_bytes()))
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

const LOG_HEADER: [&str; 14] = [
    "序号",
    "标题",
    "文件",
    "信息类别",
    "文章日期",
    "首次发布（日志记录时间）",
    "当前版本发布（日志记录时间）",
    "状态",
    "审核签署（签署人、级别、签署时间、首次出现）",
    "撤稿人",
    "撤稿时间",
    "撤稿理由",
    "内容摘要值",
    "日志记录号",
];

const LOG_HTML_HEADER: [&str; 9] = [
    "序号",
    "标题",
    "类别",
    "文章日期",
    "首次发布",
    "状态",
    "审核签署",
    "撤稿",
    "日志记录",
];

fn log_row(n: usize, h: &crate::publog::history::Article) -> Row {
    let status = match (&h.withdrawal, h.online) {
        (Some((w, _)), false) if !w.in_source => "已撤稿（源文件中的撤稿记录已被删除，日志保留）",
        (Some(_), false) => "已撤稿",
        (_, true) => "在线",
        (None, false) => "已下线（未撤稿：到期、定时或暂缓发布）",
    };
    let signers: Vec<String> = h
        .approvals
        .iter()
        .map(|a| {
            format!(
                "{} 第{}级 {}（首次出现 {}）",
                a.reviewer,
                a.level,
                short_time(&a.signed_at),
                a.first_seen.as_deref().map(short_time).unwrap_or_default()
            )
        })
        .collect();
    let first = h
        .first_published
        .as_ref()
        .map(|(_, t)| short_time(t))
        .unwrap_or_default();
    let latest = h
        .latest_version
        .as_ref()
        .map(|(_, t)| short_time(t))
        .unwrap_or_default();
    let (who, at, reason) = h
        .withdrawal
        .as_ref()
        .map_or_else(Default::default, |(w, _)| {
            (w.reviewer.clone(), w.at.clone(), w.reason.clone())
        });
    let entries = [
        h.first_published
            .as_ref()
            .map(|(i, _)| format!("首次发布 #{i}")),
        h.latest_version
            .as_ref()
            .map(|(i, _)| format!("当前版本 #{i}")),
        h.withdrawal.as_ref().map(|(_, i)| format!("撤稿 #{i}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("；");
    let date = h
        .date
        .as_deref()
        .map(|d| d.get(..10).unwrap_or(d))
        .unwrap_or("");
    let cells = vec![
        n.to_string(),
        h.title.clone(),
        format!("content/{}", h.path),
        h.class.clone(),
        date.to_string(),
        first.clone(),
        latest,
        status.to_string(),
        signers.join("；"),
        who.clone(),
        at.clone(),
        reason.clone(),
        h.digest.clone(),
        entries.clone(),
    ];
    let withdrawal_html = withdrawal_cell(&who, &at, &reason);
    let html = vec![
        n.to_string(),
        esc(&h.title),
        esc(&h.class),
        esc(date),
        esc(&first),
        esc(status),
        signers
            .iter()
            .map(|s| esc(s))
            .collect::<Vec<_>>()
            .join("<br>"),
        withdrawal_html,
        esc(&entries),
    ];
    let mask = |c: String| crate::rules::pii::mask_all(&c);
    Row {
        cells: cells.into_iter().map(mask).collect(),
        html: html.into_iter().map(mask).collect(),
    }
}

/// The register made from the publication log at `log` (a deploy folder,
/// a log folder or the site's URL): what was actually published and when.
pub fn register_log(log: &str, out: &Path, generated: &str) -> Result<Register, Error> {
    let (_, records) = super::logged::state(&super::logstore::LogSource::parse(log), None)
        .map_err(|ds| Error::then(ds, "无法读取发布日志。"))?;
    if records.is_empty() {
        return Err(Error::from(
            Diagnostic::new(log, "发布日志中还没有任何记录")
                .help("检查 --log 给出的部署目录或网址；首次 sanshen deploy 后才有发布日志。"),
        ));
    }
    let history = crate::publog::history::articles(&records);
    let rows: Vec<Row> = history
        .values()
        .enumerate()
        .map(|(i, h)| log_row(i + 1, h))
        .collect();
    let withdrawn = history
        .values()
        .filter(|h| h.withdrawal.is_some() && !h.online)
        .count();
    let published = history.values().filter(|h| h.online).count();
    let meta = format!(
        "依据发布日志 {log}（共 {} 条记录）　在线 {published} 篇，已撤稿 {withdrawn} 篇　生成时间：{generated}",
        records.len()
    );
    let page = html_with(
        &LOG_HTML_HEADER,
        &meta,
        &rows,
        "本表依据部署时写入的发布日志生成：“首次发布”是文章第一次上线时日志记下的时间（不是文章自报的日期）；源文件中被删除的撤稿记录，日志仍然保留并在此列出。",
    );
    write_both(
        out,
        &csv_with(&LOG_HEADER, &rows),
        &page,
        published,
        withdrawn,
    )
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
