//! 修改对比: the version this reviewer approved, recovered from git
//! history by the digest their (now stale) approval signed, against the
//! current one — character by character, as Chinese has no spaces between
//! words. For an article the reviewer never signed: the whole text.

use similar::{ChangeTag, TextDiff};

use super::http::encode;
use super::page::{esc, page};
use super::view::View;
use crate::diag::Diagnostic;
use crate::document;
use crate::gate::{self, AssetFacts};

/// The signed text (front matter without the gate block, then the body)
/// of the committed version of `file` whose digest is `digest`: the v1
/// digest, or the v2 one with the article's files as they are now.
pub fn approved_version(
    root: &std::path::Path,
    file: &str,
    digest: &str,
    assets: &AssetFacts,
) -> Result<Option<(String, String)>, Diagnostic> {
    for (commit, bytes) in crate::git::commit::file_versions(root, file)? {
        let Ok(doc) = document::parse(&bytes) else {
            continue;
        };
        let v2 = gate::article_digest(&doc, &gate::listed_assets(&doc), assets);
        if doc.digest() == digest || v2.as_deref() == Some(digest) {
            return Ok(Some((commit, doc.signed().to_string())));
        }
    }
    Ok(None)
}

/// `old` → `new` by character: removed text in `<del>`, added in `<ins>`,
/// each with words a screen reader says.
pub fn render_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_chars(old, new);
    let mut out = String::new();
    for group in diff
        .iter_all_changes()
        .fold(Vec::<(ChangeTag, String)>::new(), |mut acc, c| {
            match acc.last_mut() {
                Some((tag, text)) if *tag == c.tag() => text.push_str(c.value()),
                _ => acc.push((c.tag(), c.value().to_string())),
            }
            acc
        })
    {
        let (tag, text) = group;
        match tag {
            ChangeTag::Equal => out.push_str(&esc(&text)),
            ChangeTag::Delete => out.push_str(&format!(
                "<del><span class=\"skip\">[删除：</span>{}<span class=\"skip\">]</span></del>",
                esc(&text)
            )),
            ChangeTag::Insert => out.push_str(&format!(
                "<ins><span class=\"skip\">[新增：</span>{}<span class=\"skip\">]</span></ins>",
                esc(&text)
            )),
        }
    }
    out
}

/// The diff page.
pub fn render(v: &View, i: usize) -> String {
    let (a, d) = v.article(i);
    let back = format!("/_review/article?a={}", encode(&a.path));
    let mut body = format!(
        "<h1>修改对比：{}</h1><p><a href=\"{back}\">返回文章</a></p>",
        esc(&a.title)
    );
    let current = &a.doc.signed();
    let stale = v.my_stale(i);
    let Some(digest) = stale.last() else {
        body.push_str(
            "<p>您尚未签署过这篇文章的任何版本（或您的签署仍然有效），以下是将要签署的全文：</p>",
        );
        body.push_str(&format!("<div class=\"diff\">{}</div>", esc(current)));
        return page(&v.frame(), "修改对比", &body);
    };
    match approved_version(&v.root, &a.file, digest, &d.assets) {
        Ok(Some((commit, old))) => {
            body.push_str(&format!(
                "<p>与您签署过的版本（摘要 <code>{}</code>，git 提交 <code>{}</code>）相比，当前版本的改动如下：\
<del>删除的文字</del>，<ins>新增的文字</ins>。</p>",
                esc(digest),
                esc(crate::git::short(&commit))
            ));
            if old == *current {
                body.push_str("<p>正文与 front matter 没有改动：变化在引用的图片或附件中（见文章页的“图片与附件”）。</p>");
            }
            body.push_str(&format!(
                "<div class=\"diff\">{}</div>",
                render_diff(&old, current)
            ));
        }
        Ok(None) => {
            body.push_str(&format!(
                "<p class=\"warn\">在 git 提交历史中找不到您签署过的版本（摘要 <code>{}</code>）：可能签署后没有提交。以下是当前全文：</p>",
                esc(digest)
            ));
            body.push_str(&format!("<div class=\"diff\">{}</div>", esc(current)));
        }
        Err(e) => {
            body.push_str(&format!(
                "<p class=\"warn\">无法读取提交历史：{}</p>",
                esc(&e.message)
            ));
            body.push_str(&format!("<div class=\"diff\">{}</div>", esc(current)));
        }
    }
    page(&v.frame(), "修改对比", &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn diffs_chinese_by_character() {
        let html = super::render_diff("供热期至3月15日。", "供热期至3月20日。");
        assert!(html.contains("3月"), "{html}");
        assert!(
            html.contains("<del><span class=\"skip\">[删除：</span>15"),
            "{html}"
        );
        assert!(
            html.contains("<ins><span class=\"skip\">[新增：</span>20"),
            "{html}"
        );
    }
}
