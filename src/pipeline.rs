//! One build: load → judge → render → output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use chrono::{DateTime, FixedOffset};

use crate::config::{self, Site};
use crate::content::{self, Content, Tree, WorkTree};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate::Reviews;
use crate::publish::{self, Decision};
use crate::render::external::Leave;
use crate::render::markdown::{self, Targets};
use crate::render::model::{excerpt, Entry, Model};
use crate::render::pages;
use crate::render::templates::Engine;
use crate::render::{feeds, OutFile};
use crate::rules::Rules;
use crate::{clock, reviews, secrets};
use crate::{output, theme};

/// What `sanshen build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    /// Fail (writing nothing) when any article is held.
    pub strict: bool,
    /// `--trust-root`, if given.
    pub trust_root: Option<String>,
}

/// An article that was not published, and why.
#[derive(Debug, Clone)]
pub struct Held {
    pub file: String,
    pub title: String,
    pub decision: Decision,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub files: usize,
    pub pages: usize,
    pub published: usize,
    pub columns: usize,
    pub held: Vec<Held>,
    pub warnings: Vec<Diagnostic>,
    pub seconds: f64,
    pub timings: Timings,
}

/// The site loaded and judged, before rendering: what `build`, `status`
/// and the review forms share.
pub struct Judged {
    pub site: Site,
    pub content: Content,
    pub reviews: Reviews,
    /// The content rules of `reviews/rules.yaml` and `reviews/words.yaml`.
    pub rules: Rules,
    pub decisions: Vec<Decision>,
    pub now: DateTime<FixedOffset>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Seconds spent in each phase of a build, in order.
#[derive(Debug, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, f64)>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            phases: Vec::new(),
            last: Instant::now(),
        }
    }
}

impl Timings {
    /// Close the current phase under `name`.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

impl Judged {
    /// Articles that are not published, with their decisions.
    pub fn held(&self) -> Vec<Held> {
        self.content
            .articles
            .iter()
            .zip(&self.decisions)
            .filter(|(_, d)| !d.publish)
            .map(|(a, d)| Held {
                file: a.file.clone(),
                // Personal data is never printed in full, not even in a title.
                title: crate::rules::pii::mask_all(&a.title),
                decision: d.clone(),
            })
            .collect()
    }
}

/// Load the site, check governance and judge every article. Nothing is
/// written.
pub fn judge_site(tree: &dyn Tree, trust_root: Option<&str>) -> Result<Judged, Diagnostics> {
    let site = load_site(tree)?;
    let mut warnings = Vec::new();
    secrets::scan(
        tree,
        &["content", reviews::DIR, "themes", "static"],
        &[config::FILE],
    )?;
    let files = reviews::read_files(tree)?;
    let (root, from) = reviews::trust_root(trust_root, &site)?;
    if from == reviews::RootSource::SiteYaml {
        warnings.push(
            Diagnostic::new(config::FILE, reviews::PINNED_IN_REPO_WARNING)
                .help("正式构建：sanshen build --trust-root ed25519:…（公钥由网站主管单位保管）"),
        );
    }
    let reviews = reviews::load(&files, &root)?;
    let rules = Rules::parse(&files).map_err(reviews::diagnostic)?;
    let now = clock::now(site.offset)?;
    let mut timings = Timings::default();
    let content = content::load(tree)?;
    timings.mark("读取内容（load）");
    let decisions = publish::judge_all(&site, &content, &reviews, &rules, now);
    timings.mark("审核判定（judge）");
    warnings.extend(content.warnings.iter().cloned());
    warnings.extend(decisions.iter().flat_map(|d| d.warnings.iter().cloned()));
    Ok(Judged {
        site,
        content,
        reviews,
        rules,
        decisions,
        now,
        warnings,
        timings,
    })
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// Input errors.
    Invalid(Diagnostics),
    /// `--strict` and some articles were held.
    Held(Vec<Held>),
}

/// Read and validate `site.yaml` from a tree.
pub fn load_site(tree: &dyn Tree) -> Result<Site, Diagnostic> {
    let raw = tree.read(config::FILE).map_err(|e| {
        Diagnostic::new(config::FILE, format!("找不到或无法读取站点配置：{e}"))
            .help("在站点根目录下创建 site.yaml，或用 --root 指定站点目录。")
    })?;
    let text = String::from_utf8(raw).map_err(|_| {
        Diagnostic::new(config::FILE, "site.yaml 不是 UTF-8 编码").help("将文件另存为 UTF-8。")
    })?;
    config::parse(&text)
}

/// Run a build of the site at `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    let started = Instant::now();
    let tree = WorkTree::new(&opts.root);
    let invalid = |d: Diagnostic| Failure::Invalid(d.into());
    output::check_target(&opts.root, &opts.out).map_err(invalid)?;
    let judged = judge_site(&tree, opts.trust_root.as_deref()).map_err(Failure::Invalid)?;
    let held = judged.held();
    let Judged {
        site,
        content,
        decisions,
        warnings: judge_warnings,
        mut timings,
        ..
    } = judged;
    if opts.strict && !held.is_empty() {
        return Err(Failure::Held(held));
    }
    let theme = theme::load(&tree, &site.config.theme).map_err(invalid)?;
    let engine = Engine::new(&theme).map_err(Failure::Invalid)?;
    let (files, stats, warnings) = render_site(&tree, &site, &content, &decisions, &theme, &engine)
        .map_err(Failure::Invalid)?;
    timings.mark("渲染（render）");
    output::write_site(&opts.out, &files).map_err(invalid)?;
    timings.mark("写入并替换输出目录（write）");
    let mut all_warnings = judge_warnings;
    all_warnings.extend(warnings);
    Ok(Report {
        files: files.len(),
        pages: stats.pages,
        published: stats.published,
        columns: content.columns.len(),
        held,
        warnings: all_warnings,
        seconds: started.elapsed().as_secs_f64(),
        timings,
    })
}

struct Stats {
    pages: usize,
    published: usize,
}

/// Render every output file in memory.
fn render_site(
    tree: &dyn Tree,
    site: &Site,
    content: &Content,
    decisions: &[Decision],
    theme: &theme::Theme,
    engine: &Engine,
) -> Result<(Vec<OutFile>, Stats, Vec<Diagnostic>), Diagnostics> {
    let articles: BTreeMap<String, Option<String>> = content
        .articles
        .iter()
        .zip(decisions)
        .map(|(a, d)| (a.path.clone(), d.publish.then(|| site.url(&a.rel_url))))
        .collect();
    let columns: BTreeMap<String, String> = content
        .columns
        .iter()
        .map(|c| (c.id.clone(), site.url(&format!("{}/", c.id))))
        .collect();
    let leave = Leave::new(site);
    let targets = Targets {
        articles: &articles,
        columns: &columns,
        assets: &content.assets,
        base_path: &site.base_path,
        leave: &leave,
    };
    let rendered: Vec<_> = content
        .articles
        .par_iter()
        .zip(decisions)
        .filter(|(_, d)| d.publish)
        .map(|(a, _)| (a, markdown::render(a, &targets)))
        .collect();
    let mut errors = Diagnostics::default();
    let mut warnings = Vec::new();
    let mut entries = Vec::with_capacity(rendered.len());
    for (a, r) in rendered {
        if let Some(d) = check_index_no(site, a) {
            errors.push(d);
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
                    html: r.html,
                    summary,
                    assets: r.assets,
                    external: r.external,
                });
            }
            Err(ds) => ds.into_iter().for_each(|d| errors.push(d)),
        }
    }
    if !errors.is_empty() {
        return Err(errors.sorted());
    }
    let model = Model::new(site, content, entries);
    let mut files = pages::render_all(&model, engine)?;
    let stats = Stats {
        pages: files.len(),
        published: model.entries.len(),
    };
    files.extend(feeds::render(&model));
    files.extend(static_files(tree, &model, theme)?);
    check_collisions(&files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, stats, warnings))
}

/// Theme assets under `assets/`, the site's `static/` at the root, and the
/// content files (images, attachments) that published articles use.
fn static_files(
    tree: &dyn Tree,
    model: &Model,
    theme: &theme::Theme,
) -> Result<Vec<OutFile>, Diagnostics> {
    let mut out: Vec<OutFile> = theme
        .assets
        .iter()
        .map(|(p, b)| OutFile {
            path: format!("assets/{p}"),
            bytes: b.clone(),
        })
        .collect();
    let mut wanted: Vec<String> = tree.list("static").map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            "static",
            format!("无法读取 static/ 目录：{e}"),
        ))
    })?;
    let used: BTreeSet<&String> = model.entries.iter().flat_map(|e| &e.assets).collect();
    wanted.extend(
        used.into_iter()
            .map(|p| format!("{}/{p}", content::CONTENT_DIR)),
    );
    for path in wanted {
        let bytes = tree
            .read(&path)
            .map_err(|e| Diagnostics::from(Diagnostic::new(&path, format!("无法读取文件：{e}"))))?;
        let rel = path
            .strip_prefix("static/")
            .or_else(|| path.strip_prefix("content/"))
            .unwrap_or(&path)
            .to_string();
        out.push(OutFile { path: rel, bytes });
    }
    Ok(out)
}

/// A published article's 索引号 that does not match the site's
/// `disclosure.index_no_pattern` (R20): a data-entry error.
fn check_index_no(site: &Site, a: &content::Article) -> Option<Diagnostic> {
    let re = site.index_no_pattern.as_ref()?;
    let no = a.disclosure.as_ref()?.index_no.as_deref()?;
    if re.is_match(no) {
        return None;
    }
    let fm = &a.doc.front_matter;
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

fn check_collisions(files: &[OutFile]) -> Result<(), Diagnostics> {
    let mut seen = BTreeSet::new();
    let mut errors = Diagnostics::default();
    for f in files {
        if !seen.insert(f.path.as_str()) {
            errors.push(
                Diagnostic::new(&f.path, format!("两个来源会写出同一个文件：{}", f.path))
                    .help("检查 static/ 与 content/ 中是否有与生成页面同名的文件，改名其中之一。"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
