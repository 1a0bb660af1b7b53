//! Rendering a whole judged site in memory: article bodies, the page model,
//! pages, feeds, search index and static files, checked for collisions.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Site;
use crate::content::{self, Content, Tree};
use crate::diag::{Diagnostic, Diagnostics};
use crate::publish::Decision;
use crate::render::external::Leave;
use crate::render::markdown::{self, Targets};
use crate::render::model::{excerpt, Entry, Model};
use crate::render::pages;
use crate::render::preview::{self, Render, RenderMode};
use crate::render::sink::{Collect, Sink};
use crate::render::templates::Engine;
use crate::render::{feeds, OutFile};
use crate::theme;

/// What a render produced besides its files.
pub struct Stats {
    pub pages: usize,
    /// Articles rendered (in the preview, held ones included).
    pub published: usize,
    /// Columns published: those with an article in them or below them.
    pub columns: usize,
}

/// Render every output file in memory, sorted by path.
#[allow(clippy::too_many_arguments)]
pub fn render_site(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    decisions: &[Decision],
    theme: &theme::Theme,
    engine: &Engine,
    commit: Option<&str>,
    how: &Render,
) -> Result<(Vec<OutFile>, Stats, Vec<Diagnostic>), Diagnostics> {
    let sink = Collect::default();
    let (stats, warnings) = render_site_into(
        tree, site, content, decisions, theme, engine, commit, how, &sink,
    )?;
    Ok((sink.into_files(), stats, warnings))
}

/// Render every output file, handing each to `sink` as soon as it is
/// made. What must hold for the whole output (no two sources write one
/// path; the frame's named images exist) is checked as files pass and
/// reported at the end: the caller must then discard what `sink` took.
#[allow(clippy::too_many_arguments)]
pub fn render_site_into(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    decisions: &[Decision],
    theme: &theme::Theme,
    engine: &Engine,
    commit: Option<&str>,
    how: &Render,
    sink: &dyn Sink,
) -> Result<(Stats, Vec<Diagnostic>), Diagnostics> {
    let articles: BTreeMap<String, Option<String>> = content
        .articles
        .iter()
        .zip(decisions)
        .map(|(a, d)| {
            (
                a.path.clone(),
                how.mode.shows(d).then(|| site.url(&a.rel_url)),
            )
        })
        .collect();
    let shown: Vec<bool> = decisions.iter().map(|d| how.mode.shows(d)).collect();
    let live = content.live_columns(&shown);
    let columns: BTreeMap<String, Option<String>> = content
        .columns
        .iter()
        .map(|c| {
            let url = live
                .contains(c.id.as_str())
                .then(|| site.url(&format!("{}/", c.id)));
            (c.id.clone(), url)
        })
        .collect();
    let mut warnings: Vec<Diagnostic> = content
        .columns
        .iter()
        .filter(|c| !live.contains(c.id.as_str()))
        .map(|c| {
            Diagnostic::new(&c.file, format!("栏目「{}」（content/{}/）没有可发布的文章，本次不发布该栏目，也不放入导航和网站地图（空白栏目）", c.title, c.id))
                .help("在栏目中发布文章后重新构建；不再使用的栏目请删除 _index.md 并重新签署 governance。")
        })
        .collect();
    let leave = Leave::new(site);
    let targets = Targets::of(site, content, &articles, &columns, &leave);
    let shown = content.articles.iter().zip(decisions);
    how.progress
        .items(shown.filter(|(_, d)| how.mode.shows(d)).count());
    let rendered: Vec<_> = content
        .articles
        .par_iter()
        .zip(decisions)
        .filter(|(_, d)| how.mode.shows(d))
        .map(|(a, d)| {
            // Only what the model needs is kept: the page renders the
            // body again (`pages::Body`), so the HTML of every article is
            // never held at once.
            let r = how
                .texts
                .body(a)
                .map_err(|d| vec![d])
                .and_then(|body| markdown::render_text(a, &body, &targets))
                .map(|mut r| {
                    r.html = String::new();
                    r
                });
            how.progress.advance();
            (a, (!d.publish).then(|| preview::reasons(d)), r)
        })
        .collect();
    let mut errors = Diagnostics::default();
    let mut entries = Vec::with_capacity(rendered.len());
    for (a, mut held, r) in rendered {
        if let Some(d) = check_index_no(site, a) {
            match held.as_mut() {
                Some(h) => h.extend(preview::build_errors(&d.into())),
                None => errors.push(d),
            }
        }
        match r {
            Ok(r) => {
                warnings.extend(r.warnings);
                let summary = a
                    .summary
                    .clone()
                    .unwrap_or_else(|| excerpt(&r.first_paragraph, 120));
                entries.push(Entry {
                    article: a,
                    url: site.url(&a.rel_url),
                    // Rendered again with its page (`pages::Body`): the
                    // bodies of all articles are not kept at once.
                    html: String::new(),
                    summary,
                    assets: r.assets,
                    external: r.external,
                    image: r.first_image,
                    held,
                });
            }
            Err(ds) => match held {
                // In the preview, a held article's errors go to its banner.
                Some(h) => entries.push(preview::broken(a, site.url(&a.rel_url), h, ds)),
                None => ds.into_iter().for_each(|d| errors.push(d)),
            },
        }
    }
    if !errors.is_empty() {
        return Err(errors.sorted());
    }
    let mut model = Model::new(site, content, entries);
    model.preview = how.mode == RenderMode::Preview;
    model.commit = commit.unwrap_or_default().to_string();
    let paths = Paths::new(sink);
    let body = |a: &content::Article| -> Result<String, Diagnostic> {
        let text = how.texts.body(a)?;
        markdown::render_text(a, &text, &targets)
            .map(|r| r.html)
            .map_err(|ds| {
                ds.into_iter()
                    .next()
                    .unwrap_or_else(|| Diagnostic::new(&a.file, "正文无法生成网页"))
            })
    };
    let pages = pages::render_all(&model, engine, &body, &paths)?;
    let stats = Stats {
        pages,
        published: model.entries.len(),
        columns: model.columns.len(),
    };
    feeds::render(&model).into_iter().for_each(|f| paths.put(f));
    super::search::render(&model, how.texts, &paths)?;
    // Spec §2: a real build publishes only the files that published
    // articles list, with the bytes that were judged; the preview shows
    // what its articles use.
    let listed: BTreeMap<String, String> = content
        .articles
        .iter()
        .zip(decisions)
        .flat_map(|(a, d)| d.published_assets(a))
        .collect();
    let used = match how.mode {
        RenderMode::Preview => model
            .entries
            .iter()
            .flat_map(|e| &e.assets)
            .map(|p| (p.clone(), None))
            .collect(),
        RenderMode::Publish => listed.into_iter().map(|(p, h)| (p, Some(h))).collect(),
    };
    static_files(tree, &used, theme, &paths)?;
    paths.finish(site)?;
    Ok((stats, warnings))
}

/// Theme assets under `assets/`, the site's `static/` at the root, and the
/// content files (images, attachments) of `used`: content path → the
/// SHA-256 judged, when the bytes must still be those (a real build).
fn static_files(
    tree: &dyn Tree,
    used: &BTreeMap<String, Option<String>>,
    theme: &theme::Theme,
    sink: &dyn Sink,
) -> Result<(), Diagnostics> {
    for (p, b) in &theme.assets {
        sink.put(OutFile {
            path: format!("assets/{p}"),
            bytes: b.clone(),
        });
    }
    let mut wanted: Vec<String> = tree.list("static").map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            "static",
            format!("无法读取 static/ 目录：{e}"),
        ))
    })?;
    wanted.extend(used.keys().map(|p| format!("{}/{p}", content::CONTENT_DIR)));
    wanted.par_iter().try_for_each(|path| {
        let path = path.as_str();
        let bytes = tree
            .read(path)
            .map_err(|e| Diagnostics::from(Diagnostic::new(path, format!("无法读取文件：{e}"))))?;
        let judged = path
            .strip_prefix("content/")
            .and_then(|p| used.get(p))
            .and_then(Option::as_deref);
        if let Some(hex) = judged {
            if crate::document::sha256_hex(&bytes) != hex {
                // Replaced while the site was being built: nothing is
                // written (possible tampering).
                return Err(Diagnostics::from(
                    Diagnostic::new(path, "文件在构建过程中被替换，与审核判定时的内容不一致")
                        .help("可能有人正在修改网站文件；确认无误后重新构建。"),
                ));
            }
        }
        let rel = path
            .strip_prefix("static/")
            .or_else(|| path.strip_prefix("content/"))
            .unwrap_or(path)
            .to_string();
        sink.put(OutFile { path: rel, bytes });
        Ok(())
    })
}

/// A published article's 索引号 that does not match the site's
/// `disclosure.index_no_pattern` (R20): a data-entry error.
fn check_index_no(site: &Site, a: &content::Article) -> Option<Diagnostic> {
    let re = site.index_no_pattern.as_ref()?;
    let no = a.disclosure.as_ref()?.index_no.as_deref()?;
    if re.is_match(no) {
        return None;
    }
    let fm = &a.doc.front_matter();
    let mut d = Diagnostic::new(
        &a.file,
        format!("索引号格式不符合本站规则：{no}（site.yaml 中 disclosure.index_no_pattern 为 {re}）"),
    )
    .help("按本站索引号规则改正 disclosure 中的 index_no，例如 \"11340199MB1528455E/2026-00018\"（机构代码/年份-流水号）；改正后需重新审核签名。");
    if let Some(l) = crate::diag::find_line(fm, "index_no:") {
        d = d.at_line(l + a.doc.front_matter_line - 1);
        d.snippet = fm.lines().nth(l - 1).map(str::to_string);
    }
    Some(d)
}

/// The paths a render has produced, passed on to the real sink: two
/// sources writing one path, or a frame image `site.yaml` names that no
/// file provides, refuse the output.
struct Paths<'a> {
    sink: &'a dyn Sink,
    state: Mutex<(HashSet<String>, Diagnostics)>,
}

impl Sink for Paths<'_> {
    fn put(&self, f: OutFile) {
        {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let (seen, errors) = &mut *state;
            if !seen.insert(f.path.clone()) {
                errors.push(
                    Diagnostic::new(&f.path, format!("两个来源会写出同一个文件：{}", f.path)).help(
                        "检查 static/ 与 content/ 中是否有与生成页面同名的文件，改名其中之一。",
                    ),
                );
                return;
            }
        }
        self.sink.put(f);
    }
}

impl<'a> Paths<'a> {
    fn new(sink: &'a dyn Sink) -> Paths<'a> {
        Paths {
            sink,
            state: Mutex::new(Default::default()),
        }
    }

    fn finish(self, site: &Site) -> Result<(), Diagnostics> {
        let (seen, mut errors) = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        for d in missing_frame_images(site, &seen) {
            errors.push(d);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The `static/` images `site.yaml` names (QR codes, label and badge)
/// must exist: a frame that names a missing file stops the build.
fn missing_frame_images(site: &Site, paths: &HashSet<String>) -> Vec<Diagnostic> {
    let cfg = &site.config;
    let mut named: Vec<(&str, &str)> = cfg
        .home
        .new_media
        .iter()
        .map(|n| (n.qr.as_str(), "home.new_media 的 qr"))
        .collect();
    if let Some(id) = &cfg.identity {
        named.extend(
            id.label_image
                .as_deref()
                .map(|p| (p, "identity.label_image")),
        );
        named.extend(
            id.police_badge
                .as_deref()
                .map(|p| (p, "identity.police_badge")),
        );
    }
    named
        .into_iter()
        .filter(|(path, _)| !paths.contains(path.trim_start_matches('/')))
        .map(|(path, key)| crate::config::home::missing_static(path, key))
        .collect()
}
