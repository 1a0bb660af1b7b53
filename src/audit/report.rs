//! The audit as a Chinese text report (one table per item), as a
//! self-contained printable HTML page, and as JSON.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::checks::Item;
use crate::printable::{self as html, esc};

/// The report's heading facts.
pub struct Head<'a> {
    pub site: &'a str,
    /// `2026-11-21 12:00`
    pub now: &'a str,
}

const BASIS: &str =
    "依据《政府网站与政务新媒体检查指标》：单项否决项任一不合格，网站即判定为不合格。";
const MANUAL: &str = "严重错别字、内容准确性等需人工校对，本报告不作自动判断。";

fn kind(item: &Item) -> &'static str {
    if item.veto {
        "单项否决"
    } else {
        "提醒"
    }
}

fn number(i: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(i)
        .copied()
        .unwrap_or("十+")
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// A text table: a mark column, then the item's columns.
fn table(item: &Item) -> String {
    let mut widths: Vec<usize> = item.header.iter().map(|(_, h)| width(h)).collect();
    for r in &item.rows {
        for (w, c) in widths.iter_mut().zip(&r.cells) {
            *w = (*w).max(width(c));
        }
    }
    let line = |mark: &str, cells: Vec<&str>| {
        let parts: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        format!("    {mark}  {}\n", parts.join("  ").trim_end())
    };
    let mut out = line("  ", item.header.iter().map(|(_, h)| *h).collect());
    for r in &item.rows {
        let mark = if r.ok { "✓ " } else { "✗ " };
        out.push_str(&line(mark, r.cells.iter().map(String::as_str).collect()));
    }
    out
}

/// The whole text report.
pub fn text(head: &Head, items: &[Item]) -> String {
    let mut out = format!(
        "网站体检（audit）：{}\n检查时间：{}（判定时间；可用 --now 固定）\n{BASIS}\n",
        head.site, head.now
    );
    for (i, item) in items.iter().enumerate() {
        let mark = if item.ok { "✓" } else { "✗" };
        out.push_str(&format!(
            "\n{mark} {}、{}〔{}〕：{}\n",
            number(i),
            item.title,
            kind(item),
            item.summary
        ));
        if !item.rows.is_empty() {
            out.push_str(&table(item));
        }
    }
    out.push_str(&format!("\n说明：{MANUAL}\n"));
    out.push_str(&conclusion(items));
    out
}

fn failed(items: &[Item], veto: bool) -> Vec<&str> {
    items
        .iter()
        .filter(|i| i.veto == veto && !i.ok)
        .map(|i| i.title)
        .collect()
}

/// The closing lines: vetoes, warnings, verdict.
fn conclusion(items: &[Item]) -> String {
    let vetoes = failed(items, true);
    let warnings = failed(items, false);
    let mut out = String::from("\n总结：\n");
    if vetoes.is_empty() {
        out.push_str("  ✓ 单项否决项全部合格\n");
    } else {
        out.push_str(&format!(
            "  ✗ 单项否决 {} 项：{}\n",
            vetoes.len(),
            vetoes.join("、")
        ));
    }
    if !warnings.is_empty() {
        out.push_str(&format!(
            "  ! 提醒 {} 项：{}\n",
            warnings.len(),
            warnings.join("、")
        ));
    }
    out.push_str(if vetoes.is_empty() {
        "结论：合格\n"
    } else {
        "结论：不合格——请先整改单项否决项\n"
    });
    out
}

/// The self-contained printable HTML report.
pub fn html_page(head: &Head, items: &[Item]) -> String {
    let vetoes = failed(items, true);
    let mut body = format!(
        "<h1>网站体检报告</h1>\n<p class=\"meta\">{}　检查时间：{}</p>\n<p class=\"note\">{}</p>\n",
        esc(head.site),
        esc(head.now),
        esc(BASIS)
    );
    body.push_str("<h2>总览</h2>\n<table>\n<tr><th>项目</th><th>类别</th><th>结果</th></tr>\n");
    for item in items {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(item.title),
            kind(item),
            html::mark(item.ok, &item.summary)
        ));
    }
    body.push_str("</table>\n");
    let verdict = if vetoes.is_empty() {
        "结论：合格".to_string()
    } else {
        format!("结论：不合格（单项否决：{}）", vetoes.join("、"))
    };
    body.push_str(&format!(
        "<p>{}</p>\n",
        html::mark(vetoes.is_empty(), &verdict)
    ));
    for (i, item) in items.iter().enumerate() {
        body.push_str(&format!(
            "<h2>{}、{}〔{}〕</h2>\n<p>{}</p>\n",
            number(i),
            esc(item.title),
            kind(item),
            html::mark(item.ok, &item.summary)
        ));
        if item.rows.is_empty() {
            continue;
        }
        body.push_str("<table class=\"small\">\n<tr><th>结果</th>");
        for (_, h) in item.header {
            body.push_str(&format!("<th>{}</th>", esc(h)));
        }
        body.push_str("</tr>\n");
        for r in &item.rows {
            body.push_str(&format!("<tr><td>{}</td>", html::mark(r.ok, "")));
            for c in &r.cells {
                body.push_str(&format!("<td>{}</td>", esc(c)));
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table>\n");
    }
    body.push_str(&format!("<p class=\"note\">说明：{}</p>\n", esc(MANUAL)));
    html::page(&format!("网站体检报告 - {}", head.site), &body, false)
}

/// The machine-readable report (`--json`); fields in alphabetical order,
/// as the output has always been.
#[derive(Debug, Serialize)]
pub struct Json<'a> {
    /// Where freshness dates came from, in words.
    pub dates_from: String,
    pub items: Vec<ItemJson<'a>>,
    pub now: String,
    pub passed: bool,
    pub site: &'a str,
    pub vetoes: Vec<&'a str>,
}

/// One audit item in the JSON report.
#[derive(Debug, Serialize)]
pub struct ItemJson<'a> {
    pub count: usize,
    pub id: &'a str,
    pub ok: bool,
    /// `ok` and one key per column of the item's table.
    pub rows: Vec<BTreeMap<&'a str, Value>>,
    pub summary: &'a str,
    pub title: &'a str,
    pub veto: bool,
}

/// The machine-readable report.
pub fn json<'a>(
    head: &Head<'a>,
    now_rfc3339: &str,
    dates_from: String,
    items: &'a [Item],
) -> Json<'a> {
    let list = items
        .iter()
        .map(|item| ItemJson {
            count: item.count,
            id: item.id,
            ok: item.ok,
            rows: item
                .rows
                .iter()
                .map(|r| {
                    let mut m = BTreeMap::new();
                    m.insert("ok", Value::Bool(r.ok));
                    for ((key, _), c) in item.header.iter().zip(&r.cells) {
                        m.insert(*key, Value::String(c.clone()));
                    }
                    m
                })
                .collect(),
            summary: &item.summary,
            title: item.title,
            veto: item.veto,
        })
        .collect();
    let vetoes: Vec<&str> = items
        .iter()
        .filter(|i| i.veto && !i.ok)
        .map(|i| i.id)
        .collect();
    Json {
        dates_from,
        items: list,
        now: now_rfc3339.to_string(),
        passed: vetoes.is_empty(),
        site: head.site,
        vetoes,
    }
}
