//! Walking `content/` into columns, articles and assets.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::frontmatter;
use super::origin::Origin;
use super::{Article, Column, Content, Tree, CONTENT_DIR, RESERVED_COLUMNS, RESERVED_SLUGS};
use crate::config::Limits;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document;
use crate::gate::Code;
use crate::gate::Reason;
use crate::inputs;

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
            (Some("_index.md"), 0) => Kind::Ignored,
            (Some("_index.md"), _) => Kind::ColumnIndex(rel.to_string()),
            _ => Kind::Article(rel.to_string()),
        }
    } else {
        Kind::Asset(rel.to_string())
    }
}

fn display(rel: &str) -> String {
    format!("{CONTENT_DIR}/{rel}")
}

/// Why a file under `content/` was not loaded.
enum Problem {
    /// The build stops: a broken frame file, or a private key.
    Stop(Diagnostic),
    /// The article is held with this reason word (`unreadable`, `slug`).
    Hold(Code, Diagnostic),
}

/// An article's problem holds it as `unreadable`; a secret key stops the
/// build.
impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Problem {
        Problem::Hold(Code::Unreadable, d)
    }
}

fn read_doc(tree: &dyn Tree, rel: &str, limits: &Limits) -> Result<Loaded, Problem> {
    let file = display(rel);
    // The size first: a huge file is never read into memory.
    if let Ok(n) = tree.size(&file) {
        if n > limits.markdown_bytes() {
            return Err(inputs::too_large(&file, n, limits.markdown_mb, "markdown_mb").into());
        }
    }
    let raw = tree.read(&file).map_err(|e| {
        Diagnostic::new(&file, format!("无法读取文件：{e}"))
            .help("检查文件是否存在、是否有读取权限。")
    })?;
    if let Some(line) = crate::secrets::find(&raw) {
        return Err(Problem::Stop(crate::secrets::found(&file, line)));
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
            yaml: self.doc.front_matter(),
            first_line: self.doc.front_matter_line,
        }
    }
}

/// Why the folder of column `id` cannot be a column, if it cannot: a
/// top-level name the build writes itself, or a sub-column named `page`
/// (the column's own list pages are `page/2/`, …).
fn reserved_column(id: &str) -> Option<String> {
    let (name, nested) = match id.rsplit_once('/') {
        Some((_, name)) => (name, true),
        None => (id, false),
    };
    let clash = if nested {
        name == "page"
    } else {
        RESERVED_COLUMNS.contains(&name)
    };
    clash.then(|| {
        if nested {
            "page（上级栏目的分页地址）".to_string()
        } else {
            RESERVED_COLUMNS.join("、")
        }
    })
}

fn load_column(
    tree: &dyn Tree,
    rel: &str,
    limits: &Limits,
) -> Result<(Column, Vec<Diagnostic>), Diagnostic> {
    // A column index is part of the frame: any problem stops the build.
    let loaded = read_doc(tree, rel, limits).map_err(|p| match p {
        Problem::Stop(d) | Problem::Hold(_, d) => d,
    })?;
    let origin = loaded.origin();
    let file = loaded.file.clone();
    let (front, warnings) = frontmatter::column(&origin)?;
    let id = rel
        .strip_suffix("/_index.md")
        .unwrap_or_default()
        .to_string();
    if let Some(names) = reserved_column(&id) {
        return Err(
            Diagnostic::new(&file, format!("栏目目录名 `{id}` 与系统生成的页面冲突")).help(
                format!("把目录 content/{id}/ 改成别的名字（保留名：{names}）"),
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
    super::column_type::check(&origin, front.kind.as_deref())?;
    let column = Column {
        parent: id.rsplit_once('/').map(|(p, _)| p.to_string()),
        id,
        title: front.title.unwrap_or_default().trim().to_string(),
        description: front.description.unwrap_or_default(),
        keywords: front.keywords,
        kind: front.kind,
        order: front.order.or(front.weight).unwrap_or(i64::MAX),
        update_days,
        intro: loaded.doc.body().to_string(),
        file,
    };
    Ok((column, warnings))
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && !slug.chars().any(|c| {
            c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>')
        })
}

/// The column an article at `rel` belongs to: its folder, when that folder
/// has an `_index.md`. A folder without one is never merged into the
/// column above it: the article is held, naming the folder and the fix.
fn column_of(rel: &str, columns: &BTreeMap<String, ()>) -> Result<String, Diagnostic> {
    let file = display(rel);
    let Some((column, _)) = rel.rsplit_once('/') else {
        return Err(Diagnostic::new(&file, "文章不在任何栏目中")
            .help("把文章移到栏目目录里，例如 content/news/；每个栏目目录都要有 _index.md。"));
    };
    if !columns.contains_key(column) {
        let what = if column.contains('/') {
            "子栏目"
        } else {
            "栏目"
        };
        return Err(Diagnostic::new(
            &file,
            format!("目录 content/{column}/ 不是{what}：缺少 _index.md，文章不在任何栏目中"),
        )
        .help(format!(
            "在 content/{column}/ 中新建 _index.md（内容至少为：\n---\ntitle: 栏目名称\n---\n），并由网站管理员重新签署 governance；或把文章移到已有的栏目目录中。"
        )));
    }
    Ok(column.to_string())
}

/// A sub-column whose parent folder has no `_index.md` (the frame is
/// broken: the build stops), naming the missing file.
fn orphan_columns(columns: &[Column]) -> Vec<Diagnostic> {
    let ids: std::collections::BTreeSet<&str> = columns.iter().map(|c| c.id.as_str()).collect();
    columns
        .iter()
        .filter_map(|c| {
            let parent = c.parent.as_deref()?;
            (!ids.contains(parent)).then(|| {
                Diagnostic::new(
                    &c.file,
                    format!("子栏目 content/{}/ 的上级目录 content/{parent}/ 不是栏目：缺少 _index.md", c.id),
                )
                .help(format!(
                    "在 content/{parent}/ 中新建 _index.md（内容至少为：\n---\ntitle: 栏目名称\n---\n），再由网站管理员重新签署 governance。"
                ))
            })
        })
        .collect()
}

/// Sort columns into the tree's pre-order: each column before its
/// sub-columns, siblings by `order`, then folder name.
fn sort_tree(columns: &mut [Column]) {
    let order: BTreeMap<String, i64> = columns.iter().map(|c| (c.id.clone(), c.order)).collect();
    let key = |c: &Column| -> Vec<(i64, String)> {
        let mut path = String::new();
        c.id.split('/')
            .map(|seg| {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(seg);
                (
                    order.get(&path).copied().unwrap_or(i64::MAX),
                    seg.to_string(),
                )
            })
            .collect()
    };
    columns.sort_by_cached_key(key);
}

/// Load one article. An article that cannot be loaded is held (a
/// placeholder with the reason); only a private key stops the build.
fn load_article(
    tree: &dyn Tree,
    rel: &str,
    columns: &BTreeMap<String, ()>,
    limits: &Limits,
) -> Result<(Article, Vec<Diagnostic>), Diagnostic> {
    match try_article(tree, rel, columns, limits) {
        Ok(loaded) => Ok(loaded),
        Err(Problem::Stop(d)) => Err(d),
        Err(Problem::Hold(word, d)) => {
            Ok((Article::held_at_load(rel, reason(word, &d)), Vec::new()))
        }
    }
}

/// A load problem as the reason an article is held: the diagnostic's
/// message and fix, at its line.
fn reason(word: Code, d: &Diagnostic) -> Reason {
    let mut message = crate::diag::bounded(&d.message, None).0;
    if let Some(help) = &d.help {
        message.push_str("。修改方法：");
        message.push_str(help);
    }
    Reason {
        word,
        message,
        line: d.line,
    }
}

fn try_article(
    tree: &dyn Tree,
    rel: &str,
    columns: &BTreeMap<String, ()>,
    limits: &Limits,
) -> Result<(Article, Vec<Diagnostic>), Problem> {
    let column = column_of(rel, columns)?;
    let loaded = read_doc(tree, rel, limits)?;
    let origin = loaded.origin();
    let (front, warnings) = frontmatter::article(&origin)?;
    let stem = rel
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_default();
    let slug = front.slug.clone().unwrap_or_else(|| stem.to_string());
    if !valid_slug(&slug) {
        return Err(Problem::Hold(
            Code::Slug,
            origin
                .at_key("slug", format!("网址名（slug）“{slug}”不可用"))
                .help("slug 只用字母、数字和连字符，例如 slug: 2026-anquan-huiyi；不能含空格或 / ? # %。"),
        ));
    }
    let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or_default();
    let mut load_reasons = Vec::new();
    if RESERVED_SLUGS.contains(&slug.to_lowercase().as_str()) {
        let d = origin
            .at_key(
                "slug",
                format!("网址名“{slug}”与系统生成的文件或页面同名（/{dir}/{slug}）"),
            )
            .help(format!(
                "改文件名，或在 front matter 中写别的 slug（保留名：{}）。",
                RESERVED_SLUGS.join("、")
            ));
        load_reasons.push(reason(Code::Slug, &d));
    }
    let article = Article {
        path: rel.to_string(),
        file: loaded.file.clone(),
        column,
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
        backdated: front.backdated,
        keywords: front.keywords,
        featured: front.featured,
        updated: None,
        created: None,
        history: false,
        doc: loaded.doc,
        load_reasons,
        readable: true,
    };
    Ok((article, warnings))
}

/// Read every column, article and asset under `content/`. A broken column
/// (`_index.md`), a symbolic link that is not an article, or a private key
/// stops the build (all such problems are reported together); a broken
/// article is only held ([`Article::load_reasons`]).
pub fn load(tree: &dyn Tree, limits: &Limits) -> Result<Content, Diagnostics> {
    let files = tree.list(CONTENT_DIR).map_err(|e| {
        Diagnostics::from(
            Diagnostic::new(CONTENT_DIR, format!("无法读取内容目录：{e}"))
                .help("确认站点根目录（--root）下有 content/ 目录。"),
        )
    })?;
    let links = tree.links(CONTENT_DIR).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            CONTENT_DIR,
            format!("无法读取内容目录：{e}"),
        ))
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
                let size = tree.size(f);
                if size.as_ref().map_or(true, |n| *n > limits.file_bytes()) {
                    // Never read nor published: an article using it is
                    // held (`Content::unusable`).
                    let why = format!(
                        "超过大小上限 {} MB（site.yaml 中 limits.file_mb），未读取",
                        limits.file_mb
                    );
                    content.unusable.insert(r, why);
                } else {
                    if let Ok(n) = size {
                        content.sizes.insert(r.clone(), n);
                    }
                    content.assets.insert(r);
                }
            }
            Kind::Ignored => {}
        }
    }
    for rel in &index_files {
        match load_column(tree, rel, limits) {
            Ok((c, w)) => {
                content.columns.push(c);
                content.warnings.extend(w);
            }
            Err(d) => errors.push(d),
        }
    }
    sort_tree(&mut content.columns);
    orphan_columns(&content.columns)
        .into_iter()
        .for_each(|d| errors.push(d));
    let known: BTreeMap<String, ()> = index_files
        .iter()
        .filter_map(|r| r.strip_suffix("/_index.md"))
        .map(|c| (c.to_string(), ()))
        .collect();
    // A symbolic link is never followed: an article is held, so is an
    // article using a linked file (spec §2); a linked folder or column
    // index stops the build.
    for link in &links {
        let rel = link.strip_prefix("content/").unwrap_or(link);
        let folder = tree.is_dir(link);
        match classify(rel) {
            Kind::Article(r) => content.articles.push(Article::held_at_load(
                &r,
                reason(Code::Unreadable, &inputs::symlink(link)),
            )),
            Kind::Asset(r) if !folder => {
                content
                    .unusable
                    .insert(r, "是符号链接（symlink），构建不读取".to_string());
            }
            Kind::Ignored => {}
            _ => errors.push(inputs::symlink(link)),
        }
    }
    let results: Vec<_> = article_files
        .par_iter()
        .map(|rel| load_article(tree, rel, &known, limits))
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
    content.articles.sort_by(|a, b| a.path.cmp(&b.path));
    hold_clashes(&mut content.articles, &content.columns);
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(errors.sorted())
    }
}

/// Two articles at one address: the older one (earlier `date`, then
/// earlier path) keeps it, the newer one is held with reason `slug`.
/// Addresses are compared without case, as on a case-insensitive server.
/// A column's address (`a/b/`) is always the column's.
fn hold_clashes(articles: &mut [Article], columns: &[Column]) {
    let taken: BTreeMap<String, &str> = columns
        .iter()
        .map(|c| (format!("{}/", c.id).to_lowercase(), c.file.as_str()))
        .collect();
    let mut order: Vec<usize> = (0..articles.len())
        .filter(|&i| articles[i].load_reasons.is_empty())
        .collect();
    order.sort_by(|&x, &y| {
        (articles[x].date, &articles[x].path).cmp(&(articles[y].date, &articles[y].path))
    });
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for i in order {
        let url = articles[i].rel_url.to_lowercase();
        if let Some(index) = taken.get(&url) {
            let a = &articles[i];
            let line = slug_line(a);
            let message = format!(
                "与栏目 {index} 的网址相同：/{}（栏目保留网址，这篇暂不发布）。修改方法：修改这篇的文件名，或在 front matter 中写不同的 slug。",
                a.rel_url
            );
            articles[i].load_reasons.push(Reason {
                word: Code::Slug,
                message,
                line,
            });
            continue;
        }
        let Some(&first) = seen.get(&url) else {
            seen.insert(url, i);
            continue;
        };
        let (older, a) = (&articles[first], &articles[i]);
        let line = slug_line(a);
        let reason = Reason {
            word: Code::Slug,
            message: format!(
                "与 {} 的网址相同：/{}（较早的那篇保留网址，这篇暂不发布）。修改方法：修改这篇的文件名，或在 front matter 中写不同的 slug。",
                older.file, a.rel_url
            ),
            line,
        };
        articles[i].load_reasons.push(reason);
    }
}

/// The file line of an article's `slug:`, if it has one.
fn slug_line(a: &Article) -> Option<usize> {
    crate::diag::find_line(a.doc.front_matter(), "slug:").map(|l| l + a.doc.front_matter_line - 1)
}
