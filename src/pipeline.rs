//! One build: load → judge → render → output.

use std::path::PathBuf;
use std::time::Instant;

pub use crate::timings::Timings;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::config::{self, Site};
use crate::content::{self, Content, Created, Tree};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate::{Reviews, Verifier};
use crate::git::History;
use crate::progress::{Progress, Silent};
use crate::publish::{self, Decision};
pub use crate::render::preview::Render;
use crate::render::preview::RenderMode;
use crate::render::templates::Engine;
use crate::rules::Rules;
use crate::source::{Dates, Source};
use crate::trust::Trust;
use crate::{clock, reviews, secrets};
use crate::{output, theme};

/// What `sanshen build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    /// Fail (writing nothing) on signs of tampering or breakage: a
    /// signature that does not verify, an unreadable article, a trust root
    /// taken from the repository. Articles merely held are listed.
    pub strict: bool,
    /// `--trust-root`, if given.
    pub trust_root: Option<String>,
    /// `--now` (RFC 3339): the judging clock; `None`: the system clock.
    pub now: Option<String>,
    /// `--rev REV`: build from this git revision instead of the work tree.
    pub rev: Option<String>,
    /// `--log DIR|URL`, read: judge against this publication log too;
    /// articles it forbids are held, a governance it forbids stops the
    /// build.
    pub log: Option<crate::publog::LogView>,
    /// The build cache directory (`.sanshen.cache` beside the output;
    /// `None`: `--no-cache`): passed signature checks are remembered there
    /// and unchanged output files are linked from the previous output.
    pub cache: Option<PathBuf>,
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
    /// Full id of the commit built (`--rev`); `None` for the work tree.
    pub commit: Option<String>,
    /// Every output file's path, size and SHA-256 (unsigned): `build`
    /// signs it when asked and writes it beside the output.
    pub manifest: crate::manifest::Manifest,
    /// Leftovers of a killed earlier build, cleaned up before this one.
    pub cleaned: output::Cleaned,
    /// What the publication log records of this build: `build` writes it
    /// beside the output and signs its digest in the manifest.
    pub release: crate::publog::record::ReleaseFacts,
}

/// The site loaded and judged, before rendering: what `build`, `status`
/// and the review forms share.
pub struct Judged {
    pub site: Site,
    pub content: Content,
    pub reviews: Reviews,
    /// The governance the frame verified under, as the publication log
    /// records it.
    pub governance: crate::publog::record::GovernanceRef,
    /// The content rules of `reviews/rules.yaml` and `reviews/words.yaml`.
    pub rules: Rules,
    pub decisions: Vec<Decision>,
    /// The judging clock (`--now`, else the system clock).
    pub now: DateTime<FixedOffset>,
    /// Where the trust root came from.
    pub trust: Trust,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// Full id of the commit read (`--rev`); `None` for the work tree.
    pub commit: Option<String>,
    /// Whether the articles' first commits were read from history.
    pub dates: Dates,
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

    /// Articles showing signs of tampering or breakage
    /// ([`Decision::tampered`]), published or not: what fails `--strict`.
    pub fn tampered(&self) -> Vec<Held> {
        self.content
            .articles
            .iter()
            .zip(&self.decisions)
            .filter(|(_, d)| d.tampered())
            .map(|(a, d)| Held {
                file: a.file.clone(),
                title: crate::rules::pii::mask_all(&a.title),
                decision: d.clone(),
            })
            .collect()
    }
}

/// The content rules over the frame — `site.yaml` and every column's
/// `_index.md`, shown on every page of the site or of a column: a holding
/// finding there refuses the build, naming the file and line.
fn check_frame_rules(tree: &dyn Tree, content: &Content, rules: &Rules) -> Result<(), Diagnostics> {
    let mut files = vec![config::FILE.to_string()];
    files.extend(
        content
            .columns
            .iter()
            .map(|c| format!("content/{}/_index.md", c.id)),
    );
    let mut found = Diagnostics::default();
    for file in files {
        let Ok(bytes) = tree.read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for f in crate::rules::check_frame(rules, &text) {
            found.push(f.diagnostic(&file).help(format!(
                "{}（{file} 出现在网站的每个页面或栏目页上，命中内容规则时整个构建停止）",
                f.help
            )));
        }
    }
    if found.0.is_empty() {
        Ok(())
    } else {
        Err(found)
    }
}

/// Load the site, check governance and judge every article at `now`
/// (`--now`; `None`: the system clock). Nothing is written. A trust root
/// taken from `site.yaml` is recorded in [`Judged::trust`]; `build` and
/// `serve` warn about it.
pub fn judge_site(
    tree: &dyn Tree,
    trust_root: Option<&str>,
    now: Option<&str>,
) -> Result<Judged, Diagnostics> {
    judge_site_with(tree, trust_root, now, Verifier::default())
}

/// [`judge_site`] with signatures checked by `verifier` (the preview's,
/// which remembers in memory what passed in this process).
pub fn judge_site_with(
    tree: &dyn Tree,
    trust_root: Option<&str>,
    now: Option<&str>,
    verifier: Verifier,
) -> Result<Judged, Diagnostics> {
    judge_dated(tree, trust_root, now, None, Timings::default(), verifier)
}

/// [`judge_site`], with the articles' first commits from `history` when it
/// was read (the date rule judges back-dating against them), approval and
/// withdrawal signatures checked by `verifier` (e.g. one consulting the
/// build cache).
fn judge_dated(
    tree: &dyn Tree,
    trust_root: Option<&str>,
    now: Option<&str>,
    history: Option<&BTreeMap<String, History>>,
    mut timings: Timings,
    verifier: Verifier,
) -> Result<Judged, Diagnostics> {
    let site = load_site(tree)?;
    let mut warnings = Vec::new();
    let now = clock::judging(now, site.offset)?;
    let limits = site.config.limits;
    crate::inputs::check_frame(tree, &limits)?;
    secrets::scan(tree, &crate::layout::SITE_DIRS, &[config::FILE], &limits)?;
    let files = reviews::read_files(tree)?;
    let (root, trust) = crate::trust::resolve(trust_root, &site)?;
    // Governance v2 (spec §7): the root key signs the whole frame; nothing
    // else is read before it verifies.
    let (mut reviews, governance) = reviews::load(tree, &site, &files, &root, &now)?;
    reviews.verifier = verifier;
    let governance = crate::publog::facts::governance_ref(&governance);
    let rules = Rules::parse(&files).map_err(reviews::diagnostic)?;
    let mut content = content::load(tree, &limits)?;
    if let Some(history) = history {
        apply(&mut content, history, site.offset);
    }
    let columns: Vec<&str> = content.columns.iter().map(|c| c.id.as_str()).collect();
    config::check_notices_column(&site, &columns)?;
    check_frame_rules(tree, &content, &rules)?;
    timings.mark("读取内容（load）");
    let mut decisions = publish::judge_all(tree, &site, &content, &reviews, &rules, now);
    crate::linkcheck::hold_dead_links(tree, &site, &content, &mut decisions);
    crate::dates::set_updated(
        &mut content,
        decisions.iter().map(|d| &d.verdict),
        site.offset,
    );
    timings.mark("审核判定（judge）");
    warnings.extend(content.warnings.iter().cloned());
    warnings.extend(decisions.iter().flat_map(|d| d.warnings.iter().cloned()));
    Ok(Judged {
        site,
        content,
        reviews,
        governance,
        rules,
        decisions,
        now,
        trust,
        warnings,
        timings,
        commit: None,
        dates: Dates::FrontMatter {
            why: "未读取提交历史".into(),
        },
    })
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// Input errors.
    Invalid(Diagnostics),
    /// `--strict` and some articles show signs of tampering or breakage.
    Held(Vec<Held>),
}

/// Read and validate `site.yaml` from a tree.
pub fn load_site(tree: &dyn Tree) -> Result<Site, Diagnostic> {
    crate::inputs::check_site_yaml(tree)?;
    let raw = tree.read(config::FILE).map_err(|e| {
        Diagnostic::new(config::FILE, format!("找不到或无法读取站点配置：{e}"))
            .help("在站点根目录下创建 site.yaml，或用 --root 指定站点目录。")
    })?;
    let text = String::from_utf8(raw).map_err(|_| {
        Diagnostic::new(config::FILE, "site.yaml 不是 UTF-8 编码").help("将文件另存为 UTF-8。")
    })?;
    config::parse(&text)
}

/// Load and judge the site read from `source` ([`judge_site`]), then
/// record the commit and date the articles from history.
pub fn judge_source(
    source: &Source,
    trust_root: Option<&str>,
    now: Option<&str>,
) -> Result<Judged, Diagnostics> {
    judge_source_with(source, trust_root, now, Verifier::default())
}

/// [`judge_source`] with signatures checked by `verifier`.
pub fn judge_source_with(
    source: &Source,
    trust_root: Option<&str>,
    now: Option<&str>,
    verifier: Verifier,
) -> Result<Judged, Diagnostics> {
    let mut timings = Timings::default();
    let (history, dates) = match source.history()? {
        Ok((history, head)) => (Some(history), Dates::History { head }),
        Err(why) => (None, Dates::FrontMatter { why }),
    };
    timings.mark("提交历史（history）");
    let mut judged = judge_dated(
        source.tree(),
        trust_root,
        now,
        history.as_ref(),
        timings,
        verifier,
    )?;
    judged.commit = source.commit().map(str::to_string);
    judged.warnings.extend(source.notes().iter().cloned());
    if let Dates::FrontMatter { why } = &dates {
        judged.warnings.push(
            Diagnostic::new(
                content::CONTENT_DIR,
                format!("{why}：无法核对发布日期 date 与文章首次提交的时间，本次未检查倒填日期（伪造发稿日期）"),
            )
            .help("把站点放进 git 仓库并提交（完整克隆，不要浅克隆），即可核对发布日期并得到创建记录。"),
        );
    }
    judged.dates = dates;
    Ok(judged)
}

/// Seconds since the epoch, in the site's offset.
fn at(secs: i64, offset: FixedOffset) -> DateTime<FixedOffset> {
    offset
        .timestamp_opt(secs, 0)
        .single()
        .unwrap_or_else(|| DateTime::<Utc>::UNIX_EPOCH.with_timezone(&offset))
}

/// Give each article its 创建记录 (the first commit that added it), and
/// say that history was read.
fn apply(content: &mut Content, history: &BTreeMap<String, History>, offset: FixedOffset) {
    for a in &mut content.articles {
        a.history = true;
        if let Some(h) = history.get(&a.path) {
            a.created = Some(Created {
                at: at(h.created.time, offset),
                commit: h.created.commit.clone(),
                author: h.created.author.clone(),
            });
        }
    }
}

/// Run a build of the site at `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    build_with(opts, &Silent)
}

/// [`build`], reporting its phases to `progress`.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> Result<Report, Failure> {
    let started = Instant::now();
    progress.phase("读取内容与审核判定");
    let invalid = |d: Diagnostic| Failure::Invalid(d.into());
    output::check_target(&opts.root, &opts.out).map_err(invalid)?;
    let cleaned = output::clean_leftovers(&opts.out);
    let source = Source::open(&opts.root, opts.rev.as_deref()).map_err(invalid)?;
    let tree = source.tree();
    let signatures = signature_cache(opts);
    let verifier = signatures
        .clone()
        .map(|c| Verifier::with_store(c))
        .unwrap_or_default();
    let mut judged = judge_source_with(
        &source,
        opts.trust_root.as_deref(),
        opts.now.as_deref(),
        verifier,
    )
    .map_err(Failure::Invalid)?;
    if let Some(log) = &opts.log {
        judge_log(&mut judged, log).map_err(Failure::Invalid)?;
        // An article the log holds makes the links to it dead.
        let j = &mut judged;
        crate::linkcheck::hold_dead_links(tree, &j.site, &j.content, &mut j.decisions);
    }
    let release = release_facts(&judged);
    let held = judged.held();
    let tampered = judged.tampered();
    let Judged {
        site,
        mut content,
        mut decisions,
        now,
        trust,
        rules,
        warnings: mut judge_warnings,
        mut timings,
        commit,
        ..
    } = judged;
    if opts.strict && trust == Trust::Repository {
        return Err(invalid(crate::trust::repository_warning().help(
            "--strict 要求信任根在仓库之外：加 --trust-root ed25519:… 或设置环境变量 SANSHEN_TRUST_ROOT（公钥由网站主管单位保管）。",
        )));
    }
    if opts.strict && !tampered.is_empty() {
        return Err(Failure::Held(tampered));
    }
    if trust == Trust::Repository {
        judge_warnings.insert(0, crate::trust::repository_warning());
    }
    // The numbers the published articles that may show personal numbers
    // (an exemption the rules allow) carry: read before the texts go.
    let exempt = content.articles.iter().zip(&decisions).filter(|(a, d)| {
        d.publish
            && crate::rules::pii::exemption(a.doc.front_matter())
                .is_some_and(|r| rules.pii_exemptions.contains(&r))
    });
    let texts: Vec<String> = exempt
        .map(|(a, _)| format!("{}\n{}", a.doc.front_matter(), a.doc.body()))
        .collect();
    let allowed = crate::outscan::allowed_numbers(texts.iter().map(String::as_str));
    drop(texts);
    content.release_judged_text();
    // The dead-link hold is done: the links it read are not needed again.
    decisions
        .iter_mut()
        .for_each(|d| d.site_links = Default::default());
    give_back_freed_memory();
    let stamp = clock::stamp(now).map_err(invalid)?;
    let theme = theme::load(tree, &site.config.theme).map_err(invalid)?;
    let engine = Engine::new(&theme).map_err(Failure::Invalid)?;
    // Nothing reaches the output before it is scanned for private keys
    // and personal numbers no published article may show: each file is
    // checked as it is rendered, then written into a fresh tree that
    // replaces the output only when the whole site is done and clean.
    progress.phase("渲染并写入输出目录");
    let staging = output::Staging::begin(&opts.out, opts.cache.is_some()).map_err(invalid)?;
    let sink = output::Checked::new(&staging, &allowed);
    let (stats, warnings) = render_site_into(
        tree,
        &site,
        &content,
        &decisions,
        &theme,
        &engine,
        commit.as_deref(),
        &Render {
            mode: RenderMode::Publish,
            progress,
            texts: crate::render::texts::Texts::Reread(tree),
        },
        &sink,
    )
    .map_err(Failure::Invalid)?;
    let entries = sink.finish().map_err(Failure::Invalid)?;
    timings.mark("渲染并写入（render + write）");
    staging.commit().map_err(invalid)?;
    timings.mark("换入输出目录（swap）");
    if let Some(c) = &signatures {
        // Best effort: a cache that cannot be saved only costs time.
        let _ = c.save();
    }
    let files = entries.len();
    let mut manifest = crate::manifest::Manifest::of_entries(
        entries,
        commit.clone(),
        stamp.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        site.config.base_url.clone(),
    );
    manifest.trust = Some(trust.word().to_string());
    manifest.now = Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
    manifest.theme = Some(crate::manifest::theme_label(tree, &site.config.theme));
    timings.mark("文件清单（manifest）");
    let mut all_warnings = judge_warnings;
    all_warnings.extend(warnings);
    Ok(Report {
        files,
        pages: stats.pages,
        published: stats.published,
        columns: stats.columns,
        held,
        warnings: all_warnings,
        seconds: started.elapsed().as_secs_f64(),
        timings,
        manifest,
        commit,
        cleaned,
        release,
    })
}

/// The build's signature cache, when it has a cache directory and a
/// secret to key it with (`crate::cache`).
fn signature_cache(opts: &BuildOptions) -> Option<std::sync::Arc<crate::cache::SignatureCache>> {
    let dir = opts.cache.as_ref()?;
    let secret = crate::cache::secret()?;
    Some(std::sync::Arc::new(crate::cache::SignatureCache::open(
        dir, secret,
    )))
}

/// The release facts of a judged site (what the publication log records).
pub fn release_facts(j: &Judged) -> crate::publog::record::ReleaseFacts {
    crate::publog::facts::release_facts(&crate::publog::facts::Inputs {
        articles: &j.content.articles,
        decisions: &j.decisions,
        reviews: &j.reviews,
        governance: &j.governance,
        commit: j.commit.as_deref(),
        judged_at: j.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        base_path: &j.site.base_path,
    })
}

/// `--log`: judge the site against the publication log `log`. A frame
/// the log forbids (governance rolled back) stops the build; an article it
/// forbids is held with the rule's reason.
pub fn judge_log(j: &mut Judged, log: &crate::publog::LogView) -> Result<(), Diagnostics> {
    let Some(records) = &log.records else {
        j.warnings.push(
            Diagnostic::new(
                &log.shown,
                "发布日志尚不存在：本次不对照日志判定（首次部署时建立日志）",
            )
            .help("如网站已部署过，检查 --log 给出的部署目录或网址是否正确。"),
        );
        return Ok(());
    };
    let state = crate::publog::state::LogState::of(records)
        .map_err(|e| Diagnostics::from(Diagnostic::new(&log.shown, e.to_string())))?;
    let checked = crate::publog::policy::check(&state, &release_facts(j), j.now);
    let (frame, articles): (Vec<_>, Vec<_>) = checked
        .violations
        .into_iter()
        .filter(|v| v.rule != crate::publog::policy::Rule::ClockBackwards)
        .partition(|v| v.path.is_none());
    if !frame.is_empty() {
        let mut ds = Diagnostics::default();
        frame.iter().for_each(|v| ds.push(v.diagnostic()));
        return Err(ds);
    }
    crate::publog::policy::hold(&articles, &j.content.articles, &mut j.decisions);
    for (a, d) in j.content.articles.iter_mut().zip(&j.decisions) {
        if let Some(p) = state.published.get(&a.path) {
            if p.digest == d.verdict.digest {
                crate::dates::set_logged(a, p.since.at, j.site.offset);
            }
        }
    }
    Ok(())
}

pub use crate::render::site::{render_site, render_site_into, Stats};

/// Hand the pages freed by [`Content::release_judged_text`] back to the
/// system before rendering (glibc keeps freed small blocks in its heap
/// otherwise, and the render's own allocations would raise the peak on
/// top of them): 30k articles, peak 585 -> 534 MiB.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim only returns free memory of the allocator's own
    // arenas to the system; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}
