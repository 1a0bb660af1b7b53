//! The plain text of an article body for the search index: the text of the
//! Markdown events, blocks separated by a space, raw HTML reduced to its
//! text, runs of white space collapsed.

use pulldown_cmark::{Event, Parser, TagEnd};

use crate::links::markdown_options as options;

/// Text outside `<…>` tags of an HTML fragment.
fn html_text(html: &str, out: &mut String) {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
}

/// Collapse white space to single spaces and trim.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Plain text of a Markdown body.
pub fn plain_text(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => raw.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => html_text(&h, &mut raw),
            Event::SoftBreak | Event::HardBreak | Event::Rule => raw.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => raw.push(' '),
            _ => {}
        }
    }
    collapse(&raw)
}

/// The first `n` characters of `text`.
pub fn truncate(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup() {
        let md = "## 一、标题\n\n正文**加粗**与[链接](a.md)。\n\n- 甲\n- 乙\n\n| 表 | 头 |\n|---|---|\n| 1 | 2 |\n\n<p class=\"x\">原始<b>HTML</b></p>\n";
        assert_eq!(
            plain_text(md),
            "一、标题 正文加粗与链接。 甲 乙 表 头 1 2 原始 HTML"
        );
    }

    #[test]
    fn truncates_by_characters() {
        assert_eq!(truncate("安全生产", 2), "安全");
        assert_eq!(truncate("安全", 5), "安全");
    }
}
