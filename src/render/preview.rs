//! The preview (`sanshen serve`): what a real build does not render.
//! Held articles are rendered too, each page carrying the reasons why it is
//! held, so that an editor sees exactly what is missing; nothing of this
//! ever reaches `public/`.

use super::model::{Entry, PreviewReason};
use crate::content::Article;
use crate::diag::{Diagnostic, Diagnostics};
use crate::progress::Progress;
use crate::publish::Decision;

/// Which articles a render includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderMode {
    /// A real build: published articles only.
    #[default]
    Publish,
    /// The editors' preview: every article; held ones marked 「未发布」.
    Preview,
}

impl RenderMode {
    /// Whether an article with decision `d` is rendered.
    pub fn shows(self, d: &Decision) -> bool {
        d.publish || (self == RenderMode::Preview && !d.hidden)
    }
}

/// How to render: which articles, and where to report progress.
pub struct Render<'a> {
    pub mode: RenderMode,
    pub progress: &'a dyn Progress,
    /// Where the articles' bodies are read.
    pub texts: super::texts::Texts<'a>,
}

/// A held article's reasons for the banner: the gate's and the content
/// rules', main reason first.
pub fn reasons(d: &Decision) -> Vec<PreviewReason> {
    let returned = d.returned.as_ref().map(|r| PreviewReason {
        word: "returned".to_string(),
        message: format!("退回意见（{}，{}）：{}", r.reviewer_name, r.at, r.comment),
    });
    d.reasons
        .iter()
        .map(|r| {
            // The banner shows the word beside the message already.
            let tail = format!("（{}）", r.word);
            let message = r.message.strip_suffix(&tail).unwrap_or(&r.message);
            PreviewReason {
                word: r.word.to_string(),
                message: match r.line {
                    Some(l) if !message.contains(&format!(":{l}")) => {
                        format!("{message}（第 {l} 行）")
                    }
                    _ => message.to_string(),
                },
            }
        })
        .chain(returned)
        .collect()
}

/// Errors that would stop a real build if the held article were
/// published (a broken link, an image that is missing…): in the preview
/// they join the banner's reasons instead of stopping the preview.
pub fn build_errors(ds: &Diagnostics) -> Vec<PreviewReason> {
    ds.0.iter()
        .map(|d| PreviewReason {
            word: "build-error".to_string(),
            message: match &d.help {
                Some(h) => format!("{} {}。修改方法：{h}", d.location(), d.message),
                None => format!("{} {}", d.location(), d.message),
            },
        })
        .collect()
}

/// The body shown for a held article whose body could not be rendered.
pub const BROKEN_BODY: &str =
    "<p class=\"preview-broken\">正文暂时无法显示：发布时会出错，原因见页首的红色提示。</p>";

/// The preview entry of a held article whose body does not render: its
/// reasons `held` plus the errors `ds`, and [`BROKEN_BODY`].
pub fn broken<'a>(
    a: &'a Article,
    url: String,
    mut held: Vec<PreviewReason>,
    ds: Vec<Diagnostic>,
) -> Entry<'a> {
    held.extend(build_errors(&Diagnostics(ds)));
    Entry {
        article: a,
        url,
        html: BROKEN_BODY.to_string(),
        summary: a.summary.clone().unwrap_or_default(),
        assets: Vec::new(),
        external: Vec::new(),
        image: None,
        held: Some(held),
    }
}
