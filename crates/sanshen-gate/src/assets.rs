//! The article's assets (spec §2): the `assets:` list of the gate block,
//! checked against the files the rendered HTML references, and the v2
//! digest over the listed files (spec §3). Pure: the caller reads the files
//! and passes their state and SHA-256.

use std::collections::BTreeMap;

use crate::document::{digest_with_assets, Document};

use super::gateblock::RawAssets;
use super::reason::Code;
use super::verdict::Reason;

/// The state of one file under `content/`, as the caller found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetFile {
    /// A regular file; the lowercase hex SHA-256 of its bytes.
    Regular(String),
    /// No such file.
    Missing,
    /// A symbolic link (never published).
    Symlink,
    /// A folder, a Markdown file or anything else that is not an asset.
    NotAsset,
}

/// What the caller knows about an article's local files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssetFacts {
    /// The content paths of the site files the article's rendered HTML
    /// references, from the caller's link model: sorted, unique.
    pub referenced: Vec<String>,
    /// The state of every listed and every referenced path. A listed path
    /// absent here is [`AssetFile::Missing`].
    pub files: BTreeMap<String, AssetFile>,
}

impl AssetFacts {
    /// No local files (an article without images or attachments).
    pub const NONE: AssetFacts = AssetFacts {
        referenced: Vec::new(),
        files: BTreeMap::new(),
    };
}

/// Whether `p` is a content path (spec §2): no leading `/`, no `.` or `..`
/// component, no `\`, no empty component, no control character.
pub fn is_content_path(p: &str) -> bool {
    !p.is_empty()
        && !p.contains('\\')
        && !p.chars().any(char::is_control)
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// The article's digest: v1 without a list (or with an empty one), else
/// v2 over the listed files. `None` when a listed file has no bytes to
/// hash (missing, a link, not an asset, not a content path): no approval
/// can match, and the article is held with `asset`.
pub fn article_digest(doc: &Document, list: &[String], facts: &AssetFacts) -> Option<String> {
    let mut entries = Vec::with_capacity(list.len());
    for p in list {
        match facts.files.get(p) {
            Some(AssetFile::Regular(hex)) if is_content_path(p) => {
                entries.push((p.as_str(), hex.as_str()))
            }
            _ => return None,
        }
    }
    Some(digest_with_assets(doc.signed().as_bytes(), &entries))
}

const RESIGN: &str =
    "请运行 `sanshen sign` 重新签署（会自动重新计算 assets 列表），不要手工编辑 assets。";

/// The `asset` reasons (spec §2) of an article whose gate block lists
/// `raw` (or nothing); `file` is its site path for messages.
pub fn asset_reasons(raw: Option<&RawAssets>, facts: &AssetFacts) -> Vec<Reason> {
    let empty = RawAssets::default();
    let raw = raw.unwrap_or(&empty);
    let mut out = Vec::new();
    let reason = |message: String, line: Option<usize>| Reason {
        word: Code::Asset,
        message: format!("{message}（asset）。{RESIGN}"),
        line,
    };
    for (i, p) in raw.paths.iter().enumerate() {
        let line = raw.lines.get(i).copied().or(Some(raw.line));
        if !is_content_path(p) {
            out.push(reason(
                format!("assets 中的「{p}」不是 content/ 下的相对路径（不能以 / 开头，不能含 .. 或 \\）"),
                line,
            ));
            continue;
        }
        if i > 0 && raw.paths[i - 1].as_bytes() >= p.as_bytes() {
            let what = if raw.paths[i - 1] == *p {
                "重复"
            } else {
                "没有按顺序排列"
            };
            out.push(reason(format!("assets 列表{what}：content/{p}"), line));
        }
        match facts.files.get(p) {
            Some(AssetFile::Regular(_)) => {}
            Some(AssetFile::Symlink) => out.push(reason(
                format!("assets 中的文件 content/{p} 是符号链接，不能发布"),
                line,
            )),
            Some(AssetFile::NotAsset) => out.push(reason(
                format!("assets 中的 content/{p} 不是图片或附件文件"),
                line,
            )),
            Some(AssetFile::Missing) | None => {
                out.push(reason(format!("assets 中的文件 content/{p} 不存在"), line))
            }
        }
        if !facts.referenced.contains(p) {
            out.push(reason(
                format!("assets 中的文件 content/{p} 在正文中没有被引用"),
                line,
            ));
        }
    }
    for p in &facts.referenced {
        if !raw.paths.contains(p) {
            out.push(reason(
                format!("正文引用了 content/{p}，但它不在审核签署的 assets 列表中"),
                Some(raw.line).filter(|&l| l > 0),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths() {
        for ok in ["a.png", "news/images/会议.jpg", "a..b/c"] {
            assert!(is_content_path(ok), "{ok}");
        }
        for bad in [
            "", "/a", "a//b", "./a", "a/../b", "..", "a\\b", "a\nb", "a/",
        ] {
            assert!(!is_content_path(bad), "{bad:?}");
        }
    }

    fn facts(referenced: &[&str], files: &[(&str, AssetFile)]) -> AssetFacts {
        AssetFacts {
            referenced: referenced.iter().map(|s| s.to_string()).collect(),
            files: files
                .iter()
                .map(|(p, f)| (p.to_string(), f.clone()))
                .collect(),
        }
    }

    fn raw(paths: &[&str]) -> RawAssets {
        RawAssets {
            paths: paths.iter().map(|s| s.to_string()).collect(),
            lines: (0..paths.len()).map(|i| 6 + i).collect(),
            line: 5,
        }
    }

    fn words(r: Vec<Reason>) -> Vec<(String, Option<usize>)> {
        r.into_iter().map(|r| (r.message, r.line)).collect()
    }

    #[test]
    fn matching_list_has_no_reason() {
        let f = facts(
            &["a.png", "b.pdf"],
            &[
                ("a.png", AssetFile::Regular("1".into())),
                ("b.pdf", AssetFile::Regular("2".into())),
            ],
        );
        assert!(asset_reasons(Some(&raw(&["a.png", "b.pdf"])), &f).is_empty());
        assert!(asset_reasons(None, &AssetFacts::NONE).is_empty());
    }

    #[test]
    fn each_mismatch_is_a_reason_at_its_line() {
        let f = facts(&["a.png"], &[("a.png", AssetFile::Regular("1".into()))]);
        let r = words(asset_reasons(None, &f));
        assert_eq!(r.len(), 1);
        assert!(
            r[0].0.contains("content/a.png") && r[0].0.contains("sanshen sign"),
            "{r:?}"
        );
        let f = facts(
            &["a.png", "b.png"],
            &[
                ("a.png", AssetFile::Regular("1".into())),
                ("b.png", AssetFile::Symlink),
            ],
        );
        let r = words(asset_reasons(Some(&raw(&["b.png", "a.png", "../x"])), &f));
        assert!(
            r.iter()
                .any(|(m, l)| m.contains("符号链接") && *l == Some(6)),
            "{r:?}"
        );
        assert!(
            r.iter().any(|(m, l)| m.contains("顺序") && *l == Some(7)),
            "{r:?}"
        );
        assert!(
            r.iter().any(|(m, l)| m.contains("../x") && *l == Some(8)),
            "{r:?}"
        );
        let r = words(asset_reasons(Some(&raw(&["a.png", "a.png"])), &f));
        assert!(r.iter().any(|(m, _)| m.contains("重复")), "{r:?}");
        let r = words(asset_reasons(Some(&raw(&["c.png"])), &facts(&[], &[])));
        assert!(r.iter().any(|(m, _)| m.contains("不存在")), "{r:?}");
        assert!(r.iter().any(|(m, _)| m.contains("没有被引用")), "{r:?}");
    }

    #[test]
    fn digest_needs_every_listed_file() {
        let doc = crate::document::parse(b"---\ntitle: t\n---\nb\n").unwrap();
        let f = facts(&[], &[("a.png", AssetFile::Regular("ab".into()))]);
        assert_eq!(article_digest(&doc, &[], &f), Some(doc.digest()));
        let two = article_digest(&doc, &["a.png".into()], &f).unwrap();
        assert_ne!(two, doc.digest());
        assert_eq!(article_digest(&doc, &["b.png".into()], &f), None);
    }
}
