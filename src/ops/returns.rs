//! Returning an article to its editor with a comment (退回, spec §5a): a
//! signed note appended to the gate block's `returns:` list. It never
//! changes whether the article is published.

use std::fs;
use std::io;
use std::path::Path;

use super::keys::Signer;

use super::signing::{self, SigningError};
use super::site::{self, SiteOpts};
use super::Error;
use crate::diag::Diagnostic;
use crate::gate;
use crate::reviews;

/// The longest comment accepted, in characters.
pub const MAX_COMMENT: usize = 2000;

/// What to return, by whom and why.
#[derive(Debug, Clone)]
pub struct ReturnRequest<'a> {
    pub site: &'a SiteOpts,
    /// The article file (relative to the current directory, or absolute).
    pub article: &'a Path,
    /// The comment for the editor: one line.
    pub comment: &'a str,
}

/// The return written.
#[derive(Debug, Clone)]
pub struct Returned {
    /// The article file, relative to the site root.
    pub file: String,
    pub title: String,
    pub reviewer_name: String,
    pub at: String,
    /// The version returned.
    pub digest: String,
    pub comment: String,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ReturnError {
    /// Empty, too long, or with control characters (line breaks included).
    #[error("the comment must be one non-empty line of at most {MAX_COMMENT} characters")]
    BadComment,
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// The gate block cannot be read, or the digest cannot be computed.
    #[error("{0}")]
    Gate(Diagnostic),
    #[error("cannot read {file}: {source}")]
    Read { file: String, source: io::Error },
    #[error("cannot write {file}: {source}")]
    Write { file: String, source: io::Error },
}

impl From<ReturnError> for Error {
    fn from(e: ReturnError) -> Self {
        match e {
            ReturnError::BadComment => Error::refused(
                "未退回",
                format!("退回意见不能为空，只能写一段（不换行），最多 {MAX_COMMENT} 字"),
                "例如：第二段数字有误，请核实。",
            ),
            ReturnError::Signing(e) => e.into(),
            ReturnError::Gate(d) => Error::after("未退回：文章的审核区无法读取", d),
            ReturnError::Read { file, source } => {
                Diagnostic::new(&file, format!("无法读取文件：{source}")).into()
            }
            ReturnError::Write { file, source } => {
                Diagnostic::new(&file, format!("无法写入文件：{source}")).into()
            }
        }
    }
}

/// Return the article with a comment, signed with `key`.
pub fn return_with(req: &ReturnRequest, signer: &dyn Signer) -> Result<Returned, ReturnError> {
    let comment = req.comment.trim();
    if comment.is_empty()
        || comment.chars().count() > MAX_COMMENT
        || comment.chars().any(|c| c.is_control())
    {
        return Err(ReturnError::BadComment);
    }
    let s = signing::prepare(
        req.site,
        req.article,
        signer,
        "不能退回（文件名或目录以 . 开头，或不在栏目中）",
    )?;
    let article = s.article();
    let verdict = &s.decision().verdict;
    if let Some(e) = &verdict.gate_error {
        return Err(ReturnError::Gate(reviews::diagnostic(e.clone())));
    }
    if verdict.digest.is_empty() {
        return Err(ReturnError::Gate(
            Diagnostic::new(&article.file, "文章引用的图片或附件无法读取，无法计算摘要")
                .help("检查 content/ 下的文件是否存在。"),
        ));
    }
    let reviewer = s.reviewer();
    let path = req.site.root.join(&article.file);
    let raw = fs::read(&path).map_err(|source| ReturnError::Read {
        file: article.file.clone(),
        source,
    })?;
    let at = site::timestamp(&s.judged.now);
    let digest = verdict.digest.clone();
    let message = gate::return_message(&s.rel, &digest, &reviewer.id, &at, comment);
    let signature = super::keys::sign_text(signer, &message)
        .map_err(|d| ReturnError::Signing(SigningError::Site(d.into())))?;
    let new = gate::add_return(
        &article.file,
        &raw,
        &reviewer.id,
        &at,
        &digest,
        comment,
        &signature,
    )
    .map_err(|e| ReturnError::Gate(reviews::diagnostic(e)))?;
    super::files::write_atomic(&path, &new).map_err(|source| ReturnError::Write {
        file: article.file.clone(),
        source,
    })?;
    Ok(Returned {
        file: article.file.clone(),
        title: article.title.clone(),
        reviewer_name: reviewer.name.clone(),
        at,
        digest,
        comment: comment.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testsite::TestSite;

    #[test]
    fn a_return_is_shown_for_the_version_and_does_not_publish() {
        let s = TestSite::new();
        let a = s.article("a.md", "A", "A类文章");
        let opts = s.opts();
        let path = s.path().join(s.key_file("leader"));
        let key = crate::ops::keys::load_signer(
            s.path(),
            &path.to_string_lossy(),
            &crate::ops::keys::Passphrase::Terminal,
        )
        .unwrap();
        for bad in ["", " ", "两行\n意见"] {
            let req = ReturnRequest {
                site: &opts,
                article: &a,
                comment: bad,
            };
            assert!(matches!(
                return_with(&req, &*key),
                Err(ReturnError::BadComment)
            ));
        }
        let req = ReturnRequest {
            site: &opts,
            article: &a,
            comment: "第二段数字有误，请核实",
        };
        let r = return_with(&req, &*key).unwrap();
        assert_eq!(r.comment, "第二段数字有误，请核实");
        let judged = site::judge(&opts).unwrap();
        let d = &judged.decisions[0];
        assert!(!d.publish);
        let note = d.returned.as_ref().expect("latest return");
        assert_eq!(note.comment, "第二段数字有误，请核实");
        // An edit makes it a return of an older version: not shown.
        s.write(
            "content/news/a.md",
            &s.read("content/news/a.md").replace("正文", "改过的正文"),
        );
        let judged = site::judge(&opts).unwrap();
        assert!(judged.decisions[0].returned.is_none());
    }
}
