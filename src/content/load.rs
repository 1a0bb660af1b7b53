//! Walking `content/` into columns, articles and assets.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::frontmatter;
use super::origin::Origin;
use super::{Article, Column, Content, Tree, CONTENT_DIR, RESERVED_COLUMNS};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document;

enum Kind {
    ColumnIndex(String),
    Article(String),
    Asset(String),
    Ignored,
}

fn classify(rel: &str) -> Kind {
    if rel.split('/').any(|p| p.starts_with('.')) {
        return Kind::Ignored;
    }
    let depth = rel.matches('/').count();
    if rel.ends_with(".md") {
        match (rel.rsplit('/').next(), depth) {
            (Some("_index.md"), 1) => Kind::ColumnIndex(rel.to_string()),
            (Some("_index.md"), _) => Kind::Ignored,
            _ => Kind::Article(rel.to_string()),
        }
    } else {
        Kind::Asset(rel.to_string())
    }
}

fn display(rel: &str) -> String {
    format!("{CONTENT_DIR}/{rel}")
}

fn read_doc(tree: &dyn Tree, rel: &str) -> Result<Loaded, Diagnostic> {
    let file = display(rel);
    let raw = tree.read(&file).map_err(|e| {
        Diagnostic::new(&file, format!("无法读取文件：{e}"))
            .help("检查文件是否存在、是否有读取权限。")
    })?;
    if let Some(line) = crate::secrets::find(&raw) {
        return Err(crate::secrets::found(&file, line));
    }
    let doc = document::parse(&raw).map_err(|e| {
        let d = Diagnostic::new(&file, e.to_string())
            .at_line(e.line())
            .help(e.help());
        match document::normalise(&raw) {
            Ok(text) => d.with_source(&text),
            Err(_) => d,
        }
    })?;
    let text = document::normalise(&raw).unwrap_or_default();
    Ok(Loaded { file, doc, text })
}

/// A file read and split, with what error messages need.
struct Loaded {
    file: String,
    doc: document::Document,
    text: String,
}

impl Loaded {
    fn origin(&self) -> Origin<'_> {
        Origin {
            file: &self.file,
            source: &self.text,
            yaml: &self.doc.front_matter,
            first_line: self.doc.front_matter_line,
        }
    }
}

fn load_column(tree: &dyn Tree, rel: &str) -> Result<(Column, Vec<Diagnostic>), Diagnostic> {
    let loaded = read_doc(tree, rel)?;
    let origin = loaded.origin();
    let file = loaded.file.clone();
    let (front, warnings) = frontmatter::column(&origin)?;
    let id = rel.split('/').next().unwrap_or_default().to_string();
    if RESERVED_COLUMNS.contains(&id.as_str()) {
        return Err(
            Diagnostic::new(&file, format!("栏目目录名 `{id}` 与系统生成的页面冲突")).help(
                format!(
                    "把目录 content/{id}/ 改成别的名字（保留名：{}）",
                    RESERVED_COLUMNS.join("、")
                ),
            ),
        );
    }
    let update_days = match &front.update_period {
        None => None,
        Some(p) => Some(frontmatter::period_days(p).ok_or_else(|| {
            origin
                .at_key("update_period", format!("无法识别的更新周期：{p}"))
                .help("写成天数、周数或月数，例如 update_period: 14d、2w、6m")
        })?),
    };
    let column = Column {
        id,
        title: front.title.unwrap_or_default().trim().to_string(),
        description: front.description.unwrap_or_default(),
        keywords: front.keywords,
        kind: front.kind,
        order: front.order.or(front.weight).unwrap_or(i64::MAX),
        update_days,
        intro: loaded.doc.body.clone(),
        file,
    };
    Ok((column, warnings))
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug != "page"
        && !slug.starts_with('.')
        && !slug.chars().any(|c| {
            c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>')
        })
}

fn load_article(
    tree: &dyn Tree,
    rel: &str,
    columns: &BTreeMap<String, ()>,
) -> Result<(Article, Vec<Diagnostic>), Diagnostic> {
    let file = display(rel);
    let Some((column, _)) = rel.split_once('/') else {
        return Err(Diagnostic::new(&file, "文章不在任何栏目中")
            .help("把文章移到栏目目录里，例如 content/news/；每个栏目目录都要有 _index.md。"));
    };
    if !columns.contains_key(column) {
        return Err(Diagnostic::new(
            &file,
            format!("目录 content/{column}/ 不是栏目：缺少 _index.md，文章不在任何栏目中"),
        )
        .help(format!(
            "在 content/{column}/ 中新建 _index.md，内容至少为：\n---\ntitle: 栏目名称\n---"
        )));
    }
    let loaded = read_doc(tree, rel)?;
    let origin = loaded.origin();
    let (front, warnings) = frontmatter::article(&origin)?;
    let stem = rel
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_default();
    let slug = front.slug.clone().unwrap_or_else(|| stem.to_string());
    if !valid_slug(&slug) {
        return Err(origin
            .at_key("slug", format!("网址名（slug）“{slug}”不可用"))
            .help("slug 只用字母、数字和连字符，例如 slug: 2026-anquan-huiyi；不能含空格或 / ? # %，也不能是 page。"));
    }
    let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or_default();
    let article = Article {
        path: rel.to_string(),
        file,
        column: column.to_string(),
        rel_url: format!("{dir}/{slug}/"),
        title: front.title,
        class: front.class,
        date: front.date,
        date_has_time: front.date_has_time,
        author: front.author,
        department: front.department,
        summary: front.summary,
        source: front.source,
        draft: front.draft,
        weight: front.weight,
        disclosure: front.disclosure,
        publish_at: front.publish_at,
        expires_at: front.expires_at,
        updated: None,
        created: None,
        doc: loaded.doc,
    };
    Ok((article, warnings))
}

/// Read every column, article and asset under `content/`. All problems are
/// reported together.
pub fn load(tree: &dyn Tree) -> Result<Content, Diagnostics> {
    let files = tree.list(CONTENT_DIR).map_err(|e| {
        Diagnostics::from(
            Diagnostic::new(CONTENT_DIR, format!("无法读取内容目录：{e}"))
                .help("确认站点根目录（--root）下有 content/ 目录。"),
        )
    })?;
    let mut errors = Diagnostics::default();
    let mut content = Content::default();
    let (mut index_files, mut article_files) = (Vec::new(), Vec::new());
    for f in &files {
        let rel = f.strip_prefix("content/").unwrap_or(f);
        match classify(rel) {
            Kind::ColumnIndex(r) => index_files.push(r),
            Kind::Article(r) => article_files.push(r),
            Kind::Asset(r) => {
                content.assets.insert(r);
            }
            Kind::Ignored => {}
        }
    }
    for rel in &index_files {
        match load_column(tree, rel) {
            Ok((c, w)) => {
                content.columns.push(c);
                content.warnings.extend(w);
            }
            Err(d) => errors.push(d),
        }
    }
    content
        .columns
        .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    let known: BTreeMap<String, ()> = index_files
        .iter()
        .filter_map(|r| r.split('/').next())
        .map(|c| (c.to_string(), ()))
        .collect();
    let results: Vec<_> = article_files
        .par_iter()
        .map(|rel| load_article(tree, rel, &known))
        .collect();
    for r in results {
        match r {
            Ok((a, w)) => {
                content.articles.push(a);
                content.warnings.extend(w);
            }
            Err(d) => errors.push(d),
        }
    }
    check_unique_urls(&content.articles, &mut errors);
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(errors.sorted())
    }
}

fn check_unique_urls(articles: &[Article], errors: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Article> = BTreeMap::new();
    for a in articles {
        if let Some(first) = seen.insert(&a.rel_url, a) {
            errors.push(
                Diagnostic::new(
                    &a.file,
                    format!(
                        "两篇文章的网址相同：/{}（另一篇是 {}）",
                        a.rel_url, first.file
                    ),
                )
                .at_line(crate::diag::find_line(&a.doc.front_matter, "slug:").map_or(1, |l| l + 1))
                .help("修改其中一篇的文件名，或在 front matter 中写不同的 slug。"),
            );
        }
    }
}
