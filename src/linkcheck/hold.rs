//! The build's hold on dead links (链接不可用): an article that would be
//! published with a link to a page or file of the site that the build
//! does not publish — a relative `.md` or file path, a site path
//! (`/news/x/`), a full URL on the site's own host, an image — is held
//! with reason `dead-link`, alone, never the whole build. A link to an
//! article that exists but is not published in this build (pending, held,
//! withdrawn, scheduled later) is dead on the public site too.
//!
//! Holding one article can make the links of others to it dead, so the
//! published set is computed to a fixpoint: it only shrinks, and articles
//! that link each other in a cycle all publish when all are approved.
//! Held articles are checked too, against the same published set, so
//! `status`, `sign`, `serve` and the review desk say so before anyone
//! signs.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::internal::{check_links, DeadLink, Published, SiteUrls};
use super::inventory::{article_links, Link, LinkKind};
use crate::config::Site;
use crate::content::{Content, Tree};
use crate::diag::Diagnostic;
use crate::gate::{Code, Reason};
use crate::publish::Decision;
use crate::render::external::Leave;
use crate::render::markdown::{self, Targets};

/// Hold every article with a dead internal link, and give every held
/// article (not hidden) the `dead-link` reasons it would be held for.
pub fn hold_dead_links(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    decisions: &mut [Decision],
) {
    // A relative link to an empty column's `_index.md` is not refused
    // here: the render publishes it as text with a warning.
    let columns: BTreeMap<String, Option<String>> = content
        .columns
        .iter()
        .map(|c| (c.id.clone(), Some(site.url(&format!("{}/", c.id)))))
        .collect();
    let leave = Leave::new(site);
    // The link model of every article, once: its internal links only.
    let links: Vec<Vec<Link>> = content
        .articles
        .par_iter()
        .zip(decisions.par_iter())
        .map(|(a, d)| {
            if d.hidden {
                return Vec::new();
            }
            let mut ls = article_links(a, site);
            ls.retain(|l| l.kind.is_internal() && !l.source);
            ls
        })
        .collect();
    // What a render writes besides articles and their files (columns,
    // search, feeds, theme): rendered at most once, when a link needs it.
    let mut frame: Option<Option<SiteUrls>> = None;
    loop {
        // 1. What the renderer refuses (a relative link to a missing
        //    article or file): the build could not render these at all.
        let articles: BTreeMap<String, Option<String>> = content
            .articles
            .iter()
            .zip(decisions.iter())
            .map(|(a, d)| (a.path.clone(), d.publish.then(|| site.url(&a.rel_url))))
            .collect();
        let targets = Targets {
            articles: &articles,
            columns: &columns,
            assets: &content.assets,
            sizes: &content.sizes,
            base_path: &site.base_path,
            leave: &leave,
        };
        let refused: Vec<(usize, Vec<Reason>)> = content
            .articles
            .par_iter()
            .zip(decisions.par_iter())
            .enumerate()
            .filter(|(_, (_, d))| !d.hidden)
            .filter_map(|(i, (a, _))| markdown::render(a, &targets).err().map(|ds| (i, ds)))
            .map(|(i, ds)| (i, ds.iter().map(reason_of).collect()))
            .collect();
        let mut changed = hold(decisions, refused.clone());
        // 2. Every internal link against what is now published.
        let published = Published::new(site, content, decisions).with_static(tree);
        let needs =
            |i: usize| !decisions[i].hidden && links[i].iter().any(|l| published.needs_render(l));
        if frame.is_none() && (0..links.len()).any(needs) {
            frame = Some(SiteUrls::render(tree, site, content, decisions, None).ok());
        }
        let urls = frame.as_ref().and_then(Option::as_ref);
        let refused_lines: BTreeMap<usize, Vec<usize>> = refused
            .iter()
            .map(|(i, rs)| (*i, rs.iter().filter_map(|r| r.line).collect()))
            .collect();
        let dead: Vec<(usize, Vec<Reason>)> = links
            .par_iter()
            .enumerate()
            .filter(|(i, ls)| !decisions[*i].hidden && !ls.is_empty())
            .filter_map(|(i, ls)| {
                let report = check_links(&published, urls, ls);
                let seen = refused_lines.get(&i);
                let reasons: Vec<Reason> = report
                    .dead
                    .iter()
                    .chain(&report.unpublished)
                    // The renderer already said so, on that line.
                    .filter(|d| {
                        !(matches!(d.link.kind, LinkKind::Article | LinkKind::Asset)
                            && seen.is_some_and(|s| s.contains(&d.link.line)))
                    })
                    .map(|d| Reason {
                        word: Code::DeadLink,
                        message: crate::diag::safe(&message(d)),
                        line: Some(d.link.line),
                    })
                    .collect();
                (!reasons.is_empty()).then_some((i, reasons))
            })
            .collect();
        drop(published);
        changed |= hold(decisions, dead);
        if !changed {
            return;
        }
    }
}

/// 链接“…”（target）无法访问：why。修改方法：…
fn message(d: &DeadLink) -> String {
    let target = if d.target == d.link.dest {
        String::new()
    } else {
        format!("（{}）", d.target)
    };
    format!(
        "链接“{}”{target}无法访问：{}。修改方法：{}",
        d.link.dest, d.reason, d.help
    )
}

/// A renderer's diagnostic as a `dead-link` reason with its fix.
fn reason_of(diag: &Diagnostic) -> Reason {
    let mut message = diag.message.clone();
    if let Some(help) = &diag.help {
        message.push_str("。修改方法：");
        message.push_str(help);
    }
    Reason {
        word: Code::DeadLink,
        message: crate::diag::safe(&message),
        line: diag.line,
    }
}

/// Add each reason not yet given and hold the article; whether an article
/// that was to be published is now held.
fn hold(decisions: &mut [Decision], found: Vec<(usize, Vec<Reason>)>) -> bool {
    let mut changed = false;
    for (i, reasons) in found {
        let d = &mut decisions[i];
        changed |= d.publish;
        d.publish = false;
        for r in reasons {
            if !d.reasons.contains(&r) {
                d.reasons.push(r);
            }
        }
    }
    changed
}
