//! A new article (新建文章) in a known column, with its front matter filled
//! in and a stable, space-free file name (网址名): the date and the title in
//! pinyin. Never overwrites.

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use pinyin::ToPinyin;

use crate::content::{Tree, WorkTree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::ops::Error;
use crate::{clock, document, pipeline};

/// Longest pinyin part of a slug, in characters.
const MAX_PINYIN: usize = 40;

/// A column as `new` sees it: folder name and title.
struct Known {
    id: String,
    title: String,
}

/// The columns of the site, sub-columns included (`disclosure/zhengce`):
/// folders of `content/` with an `_index.md`.
fn columns(tree: &dyn Tree) -> Vec<Known> {
    let files = tree.list(CONTENT_DIR).unwrap_or_default();
    let mut out: Vec<Known> = files
        .iter()
        .filter_map(|f| {
            let id = f.strip_prefix("content/")?.strip_suffix("/_index.md")?;
            Some((id, f))
        })
        .map(|(id, f)| Known {
            id: id.to_string(),
            title: column_title(tree, f).unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn column_title(tree: &dyn Tree, file: &str) -> Option<String> {
    let raw = tree.read(file).ok()?;
    let doc = document::parse(&raw).ok()?;
    let v = crate::gate::yaml::value(&doc.front_matter).ok()?;
    Some(v.get("title")?.as_str()?.trim().to_string())
}

/// `date-pinyin`: Chinese characters by their (most common) reading, two
/// syllables to a word; letters and digits kept (lower case); everything
/// else separates words. At most [`MAX_PINYIN`] characters of pinyin,
/// whole words only. The same title and date give the same slug.
pub fn slug(date: NaiveDate, title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let mut syllables: Vec<&str> = Vec::new();
    let flush_syllables = |s: &mut Vec<&str>, words: &mut Vec<String>| {
        for pair in s.chunks(2) {
            words.push(pair.concat());
        }
        s.clear();
    };
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            flush_syllables(&mut syllables, &mut words);
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            words.push(std::mem::take(&mut ascii));
        }
        match c.to_pinyin() {
            Some(p) => syllables.push(p.plain()),
            None => flush_syllables(&mut syllables, &mut words),
        }
    }
    flush_syllables(&mut syllables, &mut words);
    if !ascii.is_empty() {
        words.push(ascii);
    }
    let mut out = date.format("%Y-%m-%d").to_string();
    let mut used = 0;
    for w in words.iter().filter(|w| !w.is_empty()) {
        let add = w.len() + usize::from(used > 0);
        if used + add > MAX_PINYIN {
            break;
        }
        used += add;
        out.push('-');
        out.push_str(w);
    }
    out
}

/// The new file's text.
fn text(title: &str, class: &str, date: NaiveDate, rel: &str) -> String {
    // A JSON string is a valid YAML double-quoted string.
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("\"{title}\""));
    format!(
        "---\ntitle: {quoted}\nclass: {class}              # 信息类别：A 一般信息、B 重要信息、C 特级信息（决定需要几级审核）\ndate: \"{}\"\nauthor:               # 作者（信息员），例如：王芳\ndepartment:           # 发布机构（来源部门），例如：区政府办公室\n# summary: \"\"          # 摘要；不写时取正文第一段前 120 字\n---\n\n在这里写正文（删去本段）。写好后请审核人签署：sanshen sign {rel}\n",
        date.format("%Y-%m-%d")
    )
}

/// What to create.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// The site root.
    pub root: &'a Path,
    /// 「栏目/标题」: the column by folder name or title, then the title.
    pub target: &'a str,
    /// `A`, `B` or `C`.
    pub class: &'a str,
    /// `YYYY-MM-DD`; default today (the build clock).
    pub date: Option<&'a str>,
}

/// The article created.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The file, relative to the site root.
    pub rel: String,
    pub title: String,
    pub column_id: String,
    pub column_title: String,
    /// Its address on the published site.
    pub url: String,
}

fn refuse<T>(d: Diagnostic) -> Result<T, Error> {
    Err(d.into())
}

/// Create the article.
pub fn new_article(args: &NewRequest) -> Result<NewArticle, Error> {
    let tree = WorkTree::new(args.root);
    let known = columns(&tree);
    // The longest known column (folder path or title) the target starts
    // with: `disclosure/zhengce/标题` is in the sub-column, and a title may
    // itself contain `/`.
    let split = known
        .iter()
        .flat_map(|k| [k.id.as_str(), k.title.as_str()])
        .filter(|c| !c.is_empty())
        .filter_map(|c| Some((c, args.target.strip_prefix(c)?.strip_prefix('/')?)))
        .max_by_key(|(c, _)| c.len())
        .or_else(|| args.target.split_once('/'));
    let Some((col, title)) = split else {
        return refuse(
            Diagnostic::new(args.target, "请写成「栏目/标题」")
                .help("例如 sanshen new news/关于做好寒潮防范工作的通知 --class B"),
        );
    };
    let (col, title) = (col.trim(), title.trim());
    if title.is_empty() || title.contains(['\n', '\r']) {
        return refuse(
            Diagnostic::new(args.target, "标题为空或含有换行")
                .help("在栏目名后的斜杠后面写一行标题，例如 news/关于做好寒潮防范工作的通知"),
        );
    }
    let Some(column) = known.iter().find(|k| k.id == col || k.title == col) else {
        let list: Vec<String> = known
            .iter()
            .map(|k| format!("{}（{}）", k.id, k.title))
            .collect();
        return refuse(
            Diagnostic::new(
                format!("{CONTENT_DIR}/{col}/"),
                format!("没有栏目「{col}」"),
            )
            .help(if list.is_empty() {
                "content/ 下还没有栏目：新建目录 content/<栏目>/ 和其中的 _index.md（至少写 title）。".to_string()
            } else {
                format!("已有栏目：{}。写成 栏目目录名/标题，例如 {}/{title}", list.join("、"), known[0].id)
            }),
        );
    };
    let site = match pipeline::load_site(&tree) {
        Ok(s) => s,
        Err(d) => return refuse(d),
    };
    let date = match args.date {
        Some(d) => match NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                return refuse(
                    Diagnostic::new("--date", format!("无法识别的日期：{d}"))
                        .help("写成 年-月-日，例如 --date 2026-11-21"),
                )
            }
        },
        None => match clock::now(site.offset) {
            Ok(now) => now.date_naive(),
            Err(d) => return refuse(d),
        },
    };
    let base = slug(date, title);
    let dir = format!("{CONTENT_DIR}/{}", column.id);
    let (rel, file) = match create(args.root, &dir, &base) {
        Ok(x) => x,
        Err(d) => return refuse(d),
    };
    let body = text(title, args.class, date, &rel);
    if let Err(e) = file.and_then(|mut f| f.write_all(body.as_bytes())) {
        return refuse(
            Diagnostic::new(&rel, format!("无法写入文件：{e}")).help("检查目录权限与磁盘空间。"),
        );
    }
    let stem = rel.rsplit('/').next().unwrap_or("").trim_end_matches(".md");
    Ok(NewArticle {
        url: site.url(&format!("{}/{stem}/", column.id)),
        rel,
        title: title.to_string(),
        column_id: column.id.clone(),
        column_title: column.title.clone(),
    })
}

/// Create `dir/base.md`, or `base-2.md`, `base-3.md`… if taken; never
/// overwrites. The path relative to the site root and the open file.
fn create(
    root: &Path,
    dir: &str,
    base: &str,
) -> Result<(String, std::io::Result<fs::File>), Diagnostic> {
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{base}.md")
        } else {
            format!("{base}-{n}.md")
        };
        let rel = format!("{dir}/{name}");
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(root.join(&rel))
        {
            Ok(f) => return Ok((rel, Ok(f))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Diagnostic::new(&rel, format!("无法新建文件：{e}"))
                    .help("检查栏目目录是否存在、是否有写入权限。"))
            }
        }
    }
    Err(Diagnostic::new(dir, "同名文章太多，无法再新建").help("换一个标题，或用 --date 指定日期。"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn slugs_are_pinyin_words() {
        assert_eq!(
            slug(day(), "关于做好寒潮防范"),
            "2026-11-21-guanyu-zuohao-hanchao-fangfan"
        );
        assert_eq!(
            slug(day(), "2027年 GDP 报告！"),
            "2026-11-21-2027-nian-gdp-baogao"
        );
        let long = slug(
            day(),
            "示例区人民政府办公室关于切实做好强寒潮天气防范应对工作的紧急通知",
        );
        assert!(long.len() <= 11 + MAX_PINYIN, "{long}");
        assert!(
            long.is_ascii() && !long.contains(' ') && !long.ends_with('-'),
            "{long}"
        );
        assert_eq!(slug(day(), "！！"), "2026-11-21");
    }
}
