//! One preview build: load (through the cache), judge, and render every
//! article — held ones with their banner — into memory. Nothing is
//! written to disk.

use std::collections::HashMap;
use std::time::Instant;

use super::memo::Memo;
use super::tree::CachedTree;
use crate::diag::{Diagnostic, Diagnostics};
use crate::pipeline::{self, Render};
use crate::progress::Silent;
use crate::render::preview::RenderMode;
use crate::theme;

/// A rendered preview, served from memory.
pub struct Built {
    /// Output path (`news/a/index.html`) → bytes.
    pub files: HashMap<String, Vec<u8>>,
    /// The site's path prefix, `/` or e.g. `/portal/`.
    pub base_path: String,
    /// The trust root was taken from `site.yaml`.
    pub repository_trust: bool,
    pub articles: usize,
    pub held: usize,
    /// Warnings a real build would print.
    pub warnings: usize,
    /// The first held article's page, for the start message.
    pub first_held: Option<String>,
    pub seconds: f64,
}

/// Build the preview of the site in `tree`.
pub fn build(
    tree: &CachedTree,
    trust_root: Option<&str>,
    now: Option<&str>,
    memo: &Memo,
) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let judged = pipeline::judge_site_with(tree, trust_root, now, memo.verifier())?;
    let site = &judged.site;
    let theme = theme::load(tree, &site.config.theme).map_err(Diagnostics::from)?;
    let engine = memo.engine(&theme)?;
    let how = Render {
        mode: RenderMode::Preview,
        progress: &Silent,
        texts: crate::render::texts::Texts::Held,
    };
    let (files, stats, warnings) = pipeline::render_site(
        tree,
        site,
        &judged.content,
        &judged.decisions,
        &theme,
        &engine,
        None,
        &how,
    )?;
    let held: Vec<&crate::content::Article> = judged
        .content
        .articles
        .iter()
        .zip(&judged.decisions)
        .filter(|(_, d)| !d.publish)
        .map(|(a, _)| a)
        .collect();
    Ok(Built {
        files: files.into_iter().map(|f| (f.path, f.bytes)).collect(),
        base_path: site.base_path.clone(),
        repository_trust: judged.trust == crate::trust::Trust::Repository,
        articles: stats.published,
        held: held.len(),
        warnings: warnings.len() + judged.warnings.len(),
        first_held: held.first().map(|a| site.url(&a.rel_url)),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The base path of the site, read from `site.yaml` if it parses; `/`
/// otherwise (for the error page of a site that does not build).
pub fn base_path(tree: &CachedTree) -> String {
    pipeline::load_site(tree)
        .map(|s| s.base_path)
        .unwrap_or_else(|_: Diagnostic| "/".to_string())
}
