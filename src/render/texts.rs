//! Where a render reads an article's Markdown body. A preview or a link
//! check renders the text it judged, still in memory. A build releases
//! every text after judging (`Content::release_judged_text`) and reads
//! each body again here when a page, the model or the search index needs
//! it; the file read must have exactly the signed bytes that were judged
//! (same digest), or the build stops: a file changed between judging and
//! rendering could otherwise publish words nobody signed.

use std::borrow::Cow;

use crate::content::Article;
use crate::diag::Diagnostic;
use crate::document;
use crate::tree::Tree;

/// The source of the bodies a render reads.
#[derive(Clone, Copy)]
pub enum Texts<'a> {
    /// Each article's judged text is still in its document.
    Held,
    /// The texts were released after judging: read each again from the
    /// tree, checked against the digest it was judged by.
    Reread(&'a dyn Tree),
}

impl Texts<'_> {
    /// The Markdown body of `a`, as judged.
    pub fn body<'a>(&self, a: &'a Article) -> Result<Cow<'a, str>, Diagnostic> {
        let tree = match self {
            Texts::Held => return Ok(Cow::Borrowed(a.doc.body())),
            Texts::Reread(tree) => *tree,
        };
        let Some(judged) = a.doc.released_digest() else {
            // Not released (an article never read, or a caller that kept
            // the text): what is held is what was judged.
            return Ok(Cow::Borrowed(a.doc.body()));
        };
        let changed = || {
            Diagnostic::new(
                &a.file,
                "文章在构建过程中被修改：生成网页时读到的内容与审核判定时不同，本次构建不发布任何文件",
            )
            .help("通常是构建时有人保存了这个文件：请重新构建。若确实没有人修改，请检查构建机器与仓库是否被篡改。")
        };
        let raw = tree.read(&a.file).map_err(|_| changed())?;
        let doc = document::parse(&raw).map_err(|_| changed())?;
        if doc.digest() != judged {
            return Err(changed());
        }
        Ok(Cow::Owned(doc.into_body()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::WorkTree;

    const TEXT: &str = "---\ntitle: 标题\napprovals:\n- reviewer: a\n---\n正文。\n";

    fn article(dir: &std::path::Path, text: &str) -> Article {
        std::fs::create_dir_all(dir.join("content/news")).unwrap();
        std::fs::write(dir.join("content/news/a.md"), text).unwrap();
        let doc = document::parse(text.as_bytes()).unwrap();
        Article::bare("news/a.md", doc)
    }

    #[test]
    fn a_released_body_is_read_again_only_when_it_is_the_judged_one() {
        let dir = tempfile::tempdir().unwrap();
        let tree = WorkTree::new(dir.path());
        let mut a = article(dir.path(), TEXT);
        assert_eq!(Texts::Reread(&tree).body(&a).unwrap(), "正文。\n");
        a.doc.release_text();
        assert_eq!(a.doc.body(), "");
        assert_eq!(Texts::Reread(&tree).body(&a).unwrap(), "正文。\n");
        // The gate block is not signed: new approvals change nothing.
        let more = TEXT.replace("- reviewer: a\n", "- reviewer: a\n- reviewer: b\n");
        std::fs::write(dir.path().join("content/news/a.md"), more).unwrap();
        assert_eq!(Texts::Reread(&tree).body(&a).unwrap(), "正文。\n");
        // A changed body, or a file gone: the build stops.
        std::fs::write(
            dir.path().join("content/news/a.md"),
            TEXT.replace("正文", "改文"),
        )
        .unwrap();
        let e = Texts::Reread(&tree).body(&a).unwrap_err();
        assert!(e.to_string().contains("文章在构建过程中被修改"), "{e}");
        assert!(e.to_string().contains("content/news/a.md"), "{e}");
        std::fs::remove_file(dir.path().join("content/news/a.md")).unwrap();
        assert!(Texts::Reread(&tree).body(&a).is_err());
    }
}
