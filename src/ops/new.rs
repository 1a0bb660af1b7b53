//! A new article (新建文章) in a known column, with its front matter filled
//! in and a stable ASCII file name (网址名): the date and a short number
//! derived from the title (`2026-12-02-3fa9c1`), or the date and a name the
//! editor chose (`--slug hanchao-fangfan`). Never overwrites.
//!
//! Not pinyin by default: no library reads heteronyms reliably (银行 →
//! `yinxing`, 区 → `ou`), and an address, once published, is permanent;
//! the editor, who knows the reading, may give one. See
//! docs/notes-messages.md.

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::content::{Tree, WorkTree, CONTENT_DIR};
use crate::diag::Diagnostic;
use crate::ops::Error;
use crate::{clock, document, pipeline};

/// Longest name an editor may give with `--slug`, in characters.
const MAX_SLUG: usize = 60;

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
    let v = crate::gate::yaml::value(doc.front_matter()).ok()?;
    Some(v.get("title")?.as_str()?.trim().to_string())
}

/// `date-number`: the date and the first six hex digits of the title's
/// SHA-256 — ASCII, the same for the same title and date, and two editors
/// on two branches do not both take `…-1` for different articles.
pub fn slug(date: NaiveDate, title: &str) -> String {
    let digest = Sha256::digest(title.trim().as_bytes());
    let number: String = digest[..3].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{number}", date.format("%Y-%m-%d"))
}

/// `date-name` for a name the editor gave, or why it cannot be a web
/// address.
pub fn chosen_slug(date: NaiveDate, name: &str) -> Result<String, Diagnostic> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_SLUG
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !ok {
        return Err(Diagnostic::new(
            "--slug",
            format!(
                "网址名「{name}」不可用：只能用小写字母、数字和单个连字符，最长 {MAX_SLUG} 个字符"
            ),
        )
        .help("例如 --slug hanchao-fangfan（寒潮防范）；不写 --slug 时网址名为 日期-编号。"));
    }
    Ok(format!("{}-{name}", date.format("%Y-%m-%d")))
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
    /// The name the editor chose for the address (`--slug`), after the date.
    pub slug: Option<&'a str>,
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
    let base = match args.slug {
        Some(name) => match chosen_slug(date, name.trim()) {
            Ok(s) => s,
            Err(d) => return refuse(d),
        },
        None => slug(date, title),
    };
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
    fn slugs_are_the_date_and_a_number_from_the_title() {
        let s = slug(day(), "关于做好寒潮防范");
        assert_eq!(s, slug(day(), " 关于做好寒潮防范 "));
        assert_ne!(s, slug(day(), "关于做好寒潮防范工作"));
        assert!(s.starts_with("2026-11-21-") && s.len() == 17, "{s}");
        // Heteronyms are never read: no reading, no misreading.
        for title in ["银行", "重庆", "行长", "长江", "重要", "音乐", "快乐"] {
            let s = slug(day(), title);
            assert!(s[11..].chars().all(|c| c.is_ascii_hexdigit()), "{s}");
        }
    }

    #[test]
    fn a_chosen_name_is_checked() {
        assert_eq!(
            chosen_slug(day(), "hanchao-fangfan").unwrap(),
            "2026-11-21-hanchao-fangfan"
        );
        for bad in [
            "", "寒潮", "Hanchao", "han chao", "-a", "a-", "a--b", "a/b", "a.b",
        ] {
            let e = chosen_slug(day(), bad).unwrap_err();
            assert!(e.message.contains("不可用"), "{bad}: {}", e.message);
        }
        assert!(chosen_slug(day(), &"a".repeat(MAX_SLUG + 1)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn every_title_gives_an_ascii_address(title in "\\PC{0,80}") {
            let s = slug(day(), &title);
            proptest::prop_assert_eq!(s.len(), 17);
            proptest::prop_assert!(s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-'), "{}", s);
            proptest::prop_assert_eq!(s.clone(), slug(day(), &title));
        }
    }
}
