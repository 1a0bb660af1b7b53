//! Markdown to HTML: tables, footnotes, strikethrough, heading anchors, and
//! links rewritten (article `.md` paths to URLs, relative assets to site
//! paths), each missing target reported with its file and line; links that
//! leave the site go through the leave-site notice ([`super::external`]).

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{html, CowStr, Event, Parser, Tag, TagEnd};

use super::external::{Leave, MARK};
use crate::content::Article;
use crate::diag::{line_of_offset, Diagnostic};

/// What a relative link may point at.
pub struct Targets<'a> {
    /// Article path (relative to `content/`) → its URL, or `None` when the
    /// article exists but is not published.
    pub articles: &'a BTreeMap<String, Option<String>>,
    /// Column id → column URL, or `None` when the column is not published
    /// (no published article in it or below it, 空白栏目).
    pub columns: &'a BTreeMap<String, Option<String>>,
    /// Files under `content/` that are not Markdown.
    pub assets: &'a BTreeSet<String>,
    /// Their sizes in bytes (for the note after a link to an attachment).
    pub sizes: &'a BTreeMap<String, u64>,
    /// Site path prefix, `/` or `/portal/`.
    pub base_path: &'a str,
    /// Which links leave the site (R11).
    pub leave: &'a Leave,
}

impl<'a> Targets<'a> {
    /// The targets of `content` on `site`, with the article and column
    /// URLs a caller decided (published, or shown in a preview).
    pub fn of(
        site: &'a crate::config::Site,
        content: &'a crate::content::Content,
        articles: &'a BTreeMap<String, Option<String>>,
        columns: &'a BTreeMap<String, Option<String>>,
        leave: &'a Leave,
    ) -> Targets<'a> {
        Targets {
            articles,
            columns,
            assets: &content.assets,
            sizes: &content.sizes,
            base_path: &site.base_path,
            leave,
        }
    }
}

/// An article body as HTML, with what it used.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Assets (relative to `content/`) the body refers to.
    pub assets: Vec<String>,
    /// Plain text of the first paragraph, for summaries.
    pub first_paragraph: String,
    /// The first image of the body (site path or address as rendered):
    /// the page's `Image` meta tag and its 图片新闻 picture.
    pub first_image: Option<String>,
    /// Non-fatal problems (links to unpublished articles).
    pub warnings: Vec<Diagnostic>,
    /// Targets of the links that leave the site, in order of appearance.
    pub external: Vec<String>,
}

pub use crate::links::markdown::{is_absolute, resolve};

/// Heading anchor: keeps letters (CJK included) and digits, lowercases ASCII,
/// turns everything else into single hyphens.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

struct Linker<'a> {
    article: &'a Article,
    /// The article's Markdown body.
    body: &'a str,
    targets: &'a Targets<'a>,
    errors: Vec<Diagnostic>,
    rendered: Rendered,
    /// The note of the last link rewritten to an attachment.
    attachment: Option<String>,
}

impl Linker<'_> {
    fn locate(&self, offset: usize, message: String) -> Diagnostic {
        let body = self.body;
        let line = line_of_offset(body, offset);
        let file_line = self.article.doc.body_line + line - 1;
        let line_start = body[..offset.min(body.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let col = body[line_start..offset.min(body.len())].chars().count() + 1;
        let mut d = Diagnostic::new(&self.article.file, message)
            .at_line(file_line)
            .at_column(col);
        d.snippet = body.lines().nth(line - 1).map(str::to_string);
        d
    }

    /// The rewritten destination, or `None` to drop the link (target not
    /// published).
    fn rewrite(&mut self, dest: &str, offset: usize, is_image: bool) -> Option<String> {
        if dest.is_empty() || is_absolute(dest) {
            return Some(dest.to_string());
        }
        let (path_part, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let (path_part, _query) = path_part.split_once('?').unwrap_or((path_part, ""));
        let decoded = percent_encoding::percent_decode_str(path_part)
            .decode_utf8_lossy()
            .into_owned();
        let with_frag = |url: String| match frag {
            Some(f) => format!("{url}#{f}"),
            None => url,
        };
        let Some(target) = resolve(self.article.dir(), &decoded) else {
            self.errors.push(
                self.locate(offset, format!("链接超出了 content/ 目录：{dest}"))
                    .help("链接其他文章时写相对路径，例如 ../policy/2026-xxx.md"),
            );
            return Some(dest.to_string());
        };
        if decoded.ends_with(".md") {
            if let Some(column) = target.strip_suffix("/_index.md") {
                match self.targets.columns.get(column) {
                    Some(Some(url)) => return Some(with_frag(url.clone())),
                    Some(None) => {
                        self.rendered.warnings.push(
                            self.locate(
                                offset,
                                format!("链接的栏目暂无已发布文章、不发布：content/{column}/，本次只显示文字、不加链接"),
                            )
                            .help("栏目有文章发布后重新构建，链接会自动恢复。"),
                        );
                        return None;
                    }
                    None => {}
                }
            }
            return match self.targets.articles.get(&target) {
                Some(Some(url)) => Some(with_frag(url.clone())),
                Some(None) => {
                    self.rendered.warnings.push(
                        self.locate(
                            offset,
                            format!(
                                "链接的文章尚未发布：content/{target}，本次只显示文字、不加链接"
                            ),
                        )
                        .help("待该文章审核通过后重新构建，链接会自动恢复。"),
                    );
                    None
                }
                None => {
                    self.errors.push(
                        self.locate(offset, format!("链接的文章不存在：content/{target}"))
                            .help("检查文件名和相对路径（../栏目/文件名.md）；文章改名或移动后要同时修改链接。"),
                    );
                    Some(dest.to_string())
                }
            };
        }
        if self.targets.assets.contains(&target) {
            if !is_image {
                self.attachment =
                    crate::attach::label(&target, self.targets.sizes.get(&target).copied());
            }
            self.rendered.assets.push(target.clone());
            return Some(with_frag(format!("{}{}", self.targets.base_path, target)));
        }
        if decoded.ends_with('/') || !decoded.rsplit('/').next().unwrap_or("").contains('.') {
            // A page path such as `../news/`: left as written.
            return Some(dest.to_string());
        }
        let what = if is_image { "图片" } else { "文件" };
        self.errors.push(
            self.locate(offset, format!("链接的{what}不存在：content/{target}"))
                .help(format!(
                    "把{what}放到 content/ 下对应位置（例如文章旁的 images/ 目录），或改正路径。"
                )),
        );
        Some(dest.to_string())
    }
}

/// Render an article's body, as held in its document.
pub fn render(article: &Article, targets: &Targets) -> Result<Rendered, Vec<Diagnostic>> {
    render_text(article, article.doc.body(), targets)
}

/// Render `body`, the Markdown body of `article` (read by
/// [`super::texts::Texts`]).
pub fn render_text(
    article: &Article,
    body: &str,
    targets: &Targets,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut linker = Linker {
        article,
        body,
        targets,
        errors: Vec::new(),
        rendered: Rendered::default(),
        attachment: None,
    };
    // The note of the open link to an attachment, written before its end
    // so that it is part of the link's text (and accessible name).
    let mut notes: Vec<Option<String>> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut dropped_link = false;
    let mut heading_starts: Vec<usize> = Vec::new();
    let mut first_para: Option<String> = None;
    let mut in_para = false;
    // Inside an external Markdown link.
    let mut external_open = false;
    let mut tables = 0;
    let leave = targets.leave;
    for (event, range) in Parser::new_ext(body, crate::links::markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Link {
                ref dest_url,
                ref title,
                ..
            }) if leave.is_external(dest_url) => {
                let target = super::external::target_of(dest_url);
                let tag = leave.open_tag(&target, title);
                events.push(Event::InlineHtml(CowStr::from(tag)));
                linker.rendered.external.push(target);
                external_open = true;
            }
            Event::End(TagEnd::Link) if external_open => {
                events.push(Event::InlineHtml(CowStr::from(format!("{MARK}</a>"))));
                external_open = false;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match linker.rewrite(&dest_url, range.start, false) {
                Some(url) => {
                    notes.push(linker.attachment.take());
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }))
                }
                None => dropped_link = true,
            },
            Event::End(TagEnd::Link) if dropped_link => dropped_link = false,
            Event::End(TagEnd::Link) => {
                if let Some(note) = notes.pop().flatten() {
                    let html = format!("<span class=\"file-note\">{note}</span>");
                    events.push(Event::InlineHtml(CowStr::from(html)));
                }
                events.push(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = linker
                    .rewrite(&dest_url, range.start, true)
                    .unwrap_or_else(|| dest_url.to_string());
                linker
                    .rendered
                    .first_image
                    .get_or_insert_with(|| url.clone());
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                }));
            }
            // A wide table scrolls inside a labelled region a keyboard
            // can reach (axe `scrollable-region-focusable`).
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"表格 {tables}（可左右滑动查看）\">\n"
                ))));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_starts.push(events.len());
                events.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                in_para = first_para.is_none();
                if in_para {
                    first_para = Some(String::new());
                }
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                in_para = false;
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if in_para {
                    if let Some(p) = first_para.as_mut() {
                        p.push_str(t);
                    }
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    assign_anchors(&mut events, &heading_starts);
    if !linker.errors.is_empty() {
        return Err(linker.errors);
    }
    let mut rendered = linker.rendered;
    let mut html = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    // Raw HTML: every followed link to another host, read by the link
    // model on the rendered HTML, goes through the notice too.
    rendered.html = leave.rewrite_html(&html, &mut rendered.external);
    rendered.first_paragraph = first_para.unwrap_or_default();
    Ok(rendered)
}

/// Give every heading without an explicit `{#id}` a unique anchor.
fn assign_anchors(events: &mut [Event], starts: &[usize]) {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for &i in starts {
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            let base = match id {
                Some(explicit) => explicit.to_string(),
                None => anchor(&text),
            };
            let n = used.entry(base.clone()).or_insert(0);
            let unique = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            *id = Some(CowStr::from(unique));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("news", "../policy/a.md").as_deref(),
            Some("policy/a.md")
        );
        assert_eq!(
            resolve("news", "./images/x.svg").as_deref(),
            Some("news/images/x.svg")
        );
        assert_eq!(resolve("news", "../../x.md"), None);
    }

    #[test]
    fn anchors_keep_cjk() {
        assert_eq!(anchor("一、主要目标"), "一-主要目标");
        assert_eq!(anchor("Hello World!"), "hello-world");
        assert_eq!(anchor("！"), "section");
    }

    #[test]
    fn absolute_destinations() {
        assert!(is_absolute("https://www.gov.cn/"));
        assert!(is_absolute("mailto:a@b.cn"));
        assert!(is_absolute("/news/"));
        assert!(is_absolute("#top"));
        assert!(!is_absolute("../news/a.md"));
        assert!(!is_absolute("images/a.svg"));
    }
}
