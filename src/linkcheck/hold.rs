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
use crate::config::Site;
use crate::content::{Content, Tree};
use crate::diag::Diagnostic;
use crate::gate::{Code, Reason};
use crate::link_inventory::{Link, LinkKind};
use crate::publish::Decision;
use crate::render::external::Leave;
use crate::render::markdown::{self, Targets};

/// Hold every article with a dead internal link, and give every held
/// article (not hidden) the `dead-link` reasons it would be held for.
///
/// Rounds to the fixpoint as described above; a round re-checks only the
/// articles that link to one whose decision changed in the round before
/// (a worklist over the reverse links, [`Published::depends_on`]): the
/// others would find exactly what they found.
pub fn hold_dead_links(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    decisions: &mut [Decision],
) {
    // 1. What the renderer refuses (a relative link to a missing article
    //    or file): the build could not render these at all. It depends
    //    only on what exists, never on what is published, so it is asked
    //    once, and only of articles with a relative destination.
    let refused = refused(site, content, decisions);
    let mut changed = !hold(decisions, refused.clone()).is_empty();
    let refused_lines: BTreeMap<usize, Vec<usize>> = refused
        .iter()
        .map(|(i, rs)| (*i, rs.iter().filter_map(|r| r.line).collect()))
        .collect();
    // The holds below change decisions, not links: a copy of them.
    let links: Vec<Vec<Link>> = decisions
        .iter()
        .map(|d| match d.hidden {
            true => Vec::new(),
            false => d.site_links.internal.clone(),
        })
        .collect();
    let checked = |i: usize| !links[i].is_empty();
    // What a render writes besides articles and their files (columns,
    // search, feeds, theme): rendered at most once, when a link needs it.
    let mut frame: Option<Option<SiteUrls>> = None;
    // Who links to whom: made in the first round, when the most articles
    // are published.
    let mut linkers: Option<Vec<Vec<usize>>> = None;
    let mut work: Vec<usize> = (0..links.len()).filter(|&i| checked(i)).collect();
    loop {
        // 2. Every internal link against what is now published.
        let published = Published::new(site, content, decisions).with_static(tree);
        let needs = |i: usize| links[i].iter().any(|l| published.needs_render(l));
        if frame.is_none() && (0..links.len()).any(needs) {
            frame = Some(SiteUrls::render(tree, site, content, decisions, None).ok());
            // Site paths are judged against the render from now on.
            work = (0..links.len()).filter(|&i| checked(i)).collect();
        }
        let linkers = linkers.get_or_insert_with(|| reverse_links(&published, &links));
        let urls = frame.as_ref().and_then(Option::as_ref);
        let dead: Vec<(usize, Vec<Reason>)> = work
            .par_iter()
            .filter_map(|&i| {
                let report = check_links(&published, urls, &links[i]);
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
        let held = hold(decisions, dead);
        changed |= held.iter().any(|h| h.newly_held);
        if !changed {
            return;
        }
        changed = false;
        let mut next: Vec<usize> = held
            .iter()
            .flat_map(|h| linkers[h.index].iter().copied())
            .collect();
        next.sort_unstable();
        next.dedup();
        work = next;
    }
}

/// The renderer's refusals of each article (not hidden) with a relative
/// destination, as `dead-link` reasons.
fn refused(site: &Site, content: &Content, decisions: &[Decision]) -> Vec<(usize, Vec<Reason>)> {
    // A relative link to an empty column's `_index.md` is not refused
    // here: the render publishes it as text with a warning.
    let columns: BTreeMap<String, Option<String>> = content
        .columns
        .iter()
        .map(|c| (c.id.clone(), Some(site.url(&format!("{}/", c.id)))))
        .collect();
    let leave = Leave::new(site);
    let articles: BTreeMap<String, Option<String>> = content
        .articles
        .iter()
        .zip(decisions.iter())
        .map(|(a, d)| (a.path.clone(), d.publish.then(|| site.url(&a.rel_url))))
        .collect();
    let targets = Targets::of(site, content, &articles, &columns, &leave);
    content
        .articles
        .par_iter()
        .zip(decisions.par_iter())
        .enumerate()
        .filter(|(_, (_, d))| !d.hidden && d.site_links.relative)
        .filter_map(|(i, (a, _))| markdown::render(a, &targets).err().map(|ds| (i, ds)))
        .map(|(i, ds)| (i, ds.iter().map(reason_of).collect()))
        .collect()
}

/// For each article, the articles whose links' check reads its decision.
fn reverse_links(published: &Published, links: &[Vec<Link>]) -> Vec<Vec<usize>> {
    let mut linkers = vec![Vec::new(); links.len()];
    for (i, ls) in links.iter().enumerate() {
        for target in ls.iter().flat_map(|l| published.depends_on(l)) {
            if let Some(who) = linkers.get_mut(target) {
                if who.last() != Some(&i) {
                    who.push(i);
                }
            }
        }
    }
    linkers
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

/// A decision the hold changed.
struct Held {
    index: usize,
    /// It was to be published.
    newly_held: bool,
}

/// Add each reason not yet given and hold the article; the decisions
/// changed (held now, or given a new reason).
fn hold(decisions: &mut [Decision], found: Vec<(usize, Vec<Reason>)>) -> Vec<Held> {
    let mut changed = Vec::new();
    for (i, reasons) in found {
        let d = &mut decisions[i];
        let newly_held = d.publish;
        d.publish = false;
        let mut given = false;
        for r in reasons {
            if !d.reasons.contains(&r) {
                d.reasons.push(r);
                given = true;
            }
        }
        if newly_held || given {
            changed.push(Held {
                index: i,
                newly_held,
            });
        }
    }
    changed
}
