//! `sanshen status` on a terminal: one aligned row per article, the
//! verdict in colour (green 发布, red 暂缓, yellow 定时/下线/撤稿/草稿),
//! the reasons of held articles below their row. Piped output keeps the
//! plain, detailed text that scripts and tests read.

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

use crate::content::Article;
use crate::gate::Code;
use crate::publish::Decision;

/// Longest title shown, in display columns.
const TITLE_WIDTH: usize = 36;

/// The verdict word and its colour.
fn verdict(d: &Decision) -> (&'static str, AnsiColor) {
    if d.publish {
        return ("发布", AnsiColor::Green);
    }
    if d.scheduled() {
        return ("定时", AnsiColor::Yellow);
    }
    if d.expired() {
        return ("下线", AnsiColor::Yellow);
    }
    match d.reasons.first().map(|r| r.word) {
        Some(Code::Withdrawn) => ("撤稿", AnsiColor::Yellow),
        Some(Code::Draft) => ("草稿", AnsiColor::Yellow),
        Some(Code::Scheduled) => ("定时", AnsiColor::Cyan),
        Some(Code::Expired) => ("到期", AnsiColor::Yellow),
        _ => ("暂缓", AnsiColor::Red),
    }
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if (out.as_str().width() + c.to_string().width()) >= width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn paint(text: &str, style: Style, colour: bool) -> String {
    if colour {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// The table, with colours when `colour`.
pub(crate) fn render(rows: &[(&Article, &Decision)], colour: bool) -> String {
    let path_width = rows
        .iter()
        .map(|(a, _)| a.path.width())
        .max()
        .unwrap_or(0)
        .max("文章".width());
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = paint(
        &format!(
            "{}  {}  {}  {}  {}  标题",
            pad("结论", 4),
            pad("类别", 4),
            pad("审核", 5),
            pad("日期", 10),
            pad("文章", path_width)
        ),
        bold,
        colour,
    );
    out.push('\n');
    for (a, d) in rows {
        let (word, c) = verdict(d);
        let reqs = &d.verdict.requirements;
        let met = reqs.iter().filter(|q| q.met).count();
        let checks = if reqs.is_empty() {
            "—".to_string()
        } else {
            format!("{met}/{}", reqs.len())
        };
        out.push_str(&format!(
            "{}  {}  {}  {}  {}  {}\n",
            paint(
                &pad(word, 4),
                Style::new().fg_color(Some(c.into())).bold(),
                colour
            ),
            pad(a.class.as_deref().unwrap_or("—"), 4),
            pad(&checks, 5),
            pad(&a.date.format("%Y-%m-%d").to_string(), 10),
            pad(&a.path, path_width),
            cut(&crate::rules::pii::mask_all(&a.title), TITLE_WIDTH)
        ));
        for r in &d.reasons {
            out.push_str(&paint(&format!("      └ {}", r.message), dim, colour));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_cuts_by_display_width() {
        assert_eq!(pad("发布", 6), "发布  ");
        assert_eq!(pad("ab", 1), "ab");
        assert_eq!(cut("一二三四五", 6), "一二…");
        assert_eq!(cut("一二", 6), "一二");
        assert_eq!(paint("x", Style::new().bold(), false), "x");
        assert!(paint("x", Style::new().bold(), true).contains('\u{1b}'));
    }
}
