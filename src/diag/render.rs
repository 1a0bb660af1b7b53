//! Rendering a [`Diagnostic`] the way a good compiler does: the message,
//! `--> file:line:column`, the offending line with the offending text
//! underlined, and 「修改方法：…」 — through `annotate-snippets` (the
//! renderer of rustc's messages), with Chinese level names.
//!
//! Plain text (ASCII frame, no colours) for files, pipes and CI, which the
//! tests read; colours and a Unicode frame on a terminal (unless
//! `NO_COLOR` is set).

use std::io::{IsTerminal, Write};
use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{Diagnostic, Diagnostics};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 错误：the build (or command) stops.
    Error,
    /// 警告：reported, nothing stops.
    Warning,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Error => "错误",
            Kind::Warning => "警告",
        }
    }
}

/// Where the text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ASCII frame, no colours: stable text for files, pipes and tests.
    Plain,
    /// Unicode frame, with or without colours: for a terminal.
    Terminal { colour: bool },
}

impl Style {
    /// The style for standard error: a terminal gets the Unicode frame, and
    /// colours unless `NO_COLOR` is set (https://no-color.org/).
    pub fn stderr() -> Style {
        if std::io::stderr().is_terminal() {
            Style::Terminal {
                colour: colour_wanted(),
            }
        } else {
            Style::Plain
        }
    }
}

/// Colours are wanted on a terminal unless `NO_COLOR` is set to anything
/// non-empty, or `TERM=dumb`.
pub fn colour_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_color && !dumb
}

/// Byte range in `line` of the offending text: `len` characters from
/// `column` when both are known; from `column` to the end of the word (a
/// run without spaces or sentence punctuation) when only the column is;
/// the whole line without its indentation when neither is.
pub fn span(line: &str, column: Option<usize>, len: Option<usize>) -> Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(b, _)| b)
    };
    let end_trimmed = line.trim_end().len();
    match column {
        Some(col) => {
            let start = byte_at(col.saturating_sub(1)).min(end_trimmed);
            let end = match len {
                Some(n) => {
                    let from_start = line[start..]
                        .char_indices()
                        .nth(n.max(1))
                        .map_or(line.len(), |(b, _)| start + b);
                    from_start.max(start)
                }
                None => line[start..]
                    .char_indices()
                    .find(|&(i, c)| i > 0 && ends_word(c))
                    .map_or(end_trimmed, |(b, _)| start + b),
            };
            start..end.max(start)
        }
        None => {
            let start = line.len() - line.trim_start().len();
            start.min(end_trimmed)..end_trimmed
        }
    }
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || "，。、；：！？）」』》,;!?)]}\"'".contains(c)
}

/// Lines are never cut to a terminal width: the offending text must show.
const WIDTH: usize = 10_000;

/// The diagnostic as text, without a final newline.
pub fn render(d: &Diagnostic, kind: Kind, style: Style) -> String {
    // The one place a diagnostic becomes text: personal numbers masked,
    // control characters escaped, whatever the message quotes.
    let d = &Diagnostic {
        file: super::safe(&d.file),
        message: super::safe(&d.message),
        help: d.help.as_deref().map(super::safe),
        snippet: d.snippet.as_deref().map(super::safe),
        ..d.clone()
    };
    let level = match kind {
        Kind::Error => Level::ERROR,
        Kind::Warning => Level::WARNING,
    }
    .with_name(Some(kind.name()));
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    match (d.line, d.snippet.as_deref()) {
        (Some(line), Some(text)) => {
            let text = text.trim_end_matches(['\r', '\n']);
            group = group.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(span(text, d.column, d.len))),
            );
        }
        _ if !d.file.is_empty() => {
            let mut origin = Origin::path(d.file.as_str());
            if let Some(l) = d.line {
                origin = origin.line(l);
                if let Some(c) = d.column {
                    origin = origin.char_column(c);
                }
            }
            group = group.element(origin);
        }
        _ => {}
    }
    let mut report = vec![group];
    if let Some(help) = d.help.as_deref() {
        report.push(Group::with_title(
            Level::HELP.with_name(Some(HELP)).secondary_title(help),
        ));
    }
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Terminal { colour: true } => Renderer::styled().decor_style(DecorStyle::Unicode),
        Style::Terminal { colour: false } => Renderer::plain().decor_style(DecorStyle::Unicode),
    }
    .term_width(WIDTH);
    let text = renderer.render(&report);
    fullwidth_colons(&text, &[kind.name(), HELP])
}

const HELP: &str = "修改方法";

/// `错误: ` → `错误：`: the renderer puts an ASCII colon after the level
/// name; Chinese text wants the full-width one (same display width). Only
/// the first `: ` after a name that starts a line (colour codes aside) is
/// changed.
fn fullwidth_colons(text: &str, names: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let visible = strip_ansi(line);
        let hit = names.iter().find(|n| {
            visible
                .strip_prefix(**n)
                .is_some_and(|rest| rest.starts_with(": "))
        });
        match hit.and_then(|n| line.find(n).map(|at| at + n.len())) {
            Some(after) => match line[after..].find(": ") {
                Some(c) => {
                    out.push_str(&line[..after + c]);
                    out.push('：');
                    out.push_str(&line[after + c + 2..]);
                }
                None => out.push_str(line),
            },
            None => out.push_str(line),
        }
    }
    out
}

/// `line` without ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Print diagnostics to standard error, each followed by a newline, in
/// the style standard error wants.
pub fn eprint(ds: &Diagnostics, kind: Kind) {
    let style = Style::stderr();
    let mut text = String::new();
    for (i, d) in ds.0.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&render(d, kind, style));
        text.push('\n');
    }
    // A closed standard error is nothing to panic about.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Print one warning to standard error.
pub fn eprint_warning(d: &Diagnostic) {
    eprint(&Diagnostics(vec![d.clone()]), Kind::Warning);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_column_and_length() {
        let line = "date: 2026年11月1日";
        let r = span(line, Some(7), None);
        assert_eq!(&line[r], "2026年11月1日");
        let r = span(line, Some(7), Some(5));
        assert_eq!(&line[r], "2026年");
        let r = span("  title: x  ", None, None);
        assert_eq!(r, 2..10);
        let r = span("按步就班地推进。其他", Some(1), None);
        assert_eq!(&"按步就班地推进。其他"[r], "按步就班地推进");
        assert_eq!(span("", Some(3), Some(2)), 0..0);
    }

    #[test]
    fn underlines_cjk_by_display_width() {
        let d = Diagnostic::new("content/news/d.md", "无法识别的日期：2026年11月1日")
            .at_line(4)
            .at_column(7)
            .help("日期写成 \"2026-11-20\"")
            .with_source("---\ntitle: 标题\nclass: A\ndate: 2026年11月1日\n---\n");
        let s = render(&d, Kind::Error, Style::Plain);
        assert!(s.starts_with("错误：无法识别的日期"), "{s}");
        assert!(s.contains("--> content/news/d.md:4:7"), "{s}");
        assert!(s.contains("4 | date: 2026年11月1日"), "{s}");
        // 2026年11月1日: 6 ASCII digits, 3 wide characters, 1 digit → 13 columns.
        assert!(s.contains(&format!("  |       {}", "^".repeat(13))), "{s}");
        assert!(s.contains("修改方法：日期写成"), "{s}");
    }

    #[test]
    fn file_only_and_warnings() {
        let d = Diagnostic::new("site.yaml", "找不到站点配置").help("创建 site.yaml");
        let s = render(&d, Kind::Warning, Style::Plain);
        assert!(s.starts_with("警告：找不到站点配置"), "{s}");
        assert!(s.contains("--> site.yaml"), "{s}");
        let coloured = render(&d, Kind::Error, Style::Terminal { colour: true });
        assert!(coloured.contains('\u{1b}'), "{coloured}");
        assert!(
            strip_ansi(&coloured).starts_with("错误：找不到站点配置"),
            "{coloured}"
        );
    }
}
