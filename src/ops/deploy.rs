//! `deploy`: copy a build output into a new release of the deploy folder
//! and switch `current` to it atomically. The copy is written under a
//! hidden `.…partial` name and renamed only when complete, so a deploy
//! killed midway leaves the old release serving.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rayon::prelude::*;
use walkdir::WalkDir;

use super::releases::{self, MANIFEST, RELEASES, SITE};
use super::{logged, store, verify};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gate;
use crate::manifest::{self, sha256_hex, Entry, Manifest};

/// What `sanshen deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The build output.
    pub from: PathBuf,
    /// Its manifest; default `<from>.manifest.json`.
    pub manifest: Option<PathBuf>,
    /// The deploy folder.
    pub to: PathBuf,
    /// Releases kept (the current one always is).
    pub keep: usize,
    /// Require a manifest signed by this key.
    pub deploy_key: Option<VerifyingKey>,
    /// The deploy key that signs the publication log's checkpoint.
    pub log_key: SigningKey,
    /// The deploy's clock (`--now`, for rehearsals); `None`: the system
    /// clock. Never earlier than the log's last entry.
    pub now: Option<DateTime<FixedOffset>>,
}

/// What a deploy did.
#[derive(Debug, Clone)]
pub struct Deployed {
    pub id: String,
    pub previous: Option<String>,
    pub manifest: Manifest,
    /// The release already existed with the same files and was reused.
    pub reused: bool,
    pub pruned: Vec<String>,
    /// Leftovers of killed deploys that were removed.
    pub cleaned: Vec<String>,
    /// The publication log's new entry.
    pub record: crate::publog::record::Record,
}

/// `--deploy-key`, parsed.
pub fn parse_deploy_key(text: Option<&str>) -> Result<Option<VerifyingKey>, Diagnostic> {
    text.map(|t| {
        gate::parse_public_key(t.trim()).map_err(|m| {
            Diagnostic::new("--deploy-key", m).help(
                "写部署密钥的公钥，例如 --deploy-key ed25519:…（sanshen keygen 生成密钥时打印）。",
            )
        })
    })
    .transpose()
}

/// `<UTC build time>-<short commit, or content hash>`.
pub fn release_id(m: &Manifest) -> String {
    let time = chrono::DateTime::parse_from_rfc3339(&m.built_at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        })
        .unwrap_or_else(|_| "00000000T000000Z".into());
    let short: String = m
        .commit
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let short = if short.is_empty() {
        m.content_id()
    } else {
        short
    };
    format!("{time}-{short}")
}

fn same_files(a: &Manifest, b: &Manifest) -> bool {
    a.files == b.files && a.commit == b.commit && a.built_at == b.built_at
}

/// A free id, or an existing release with the same, intact files.
fn choose_id(root: &Path, m: &Manifest) -> (String, bool) {
    let base = release_id(m);
    for n in 1.. {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !releases::release_dir(root, &id).exists() {
            return (id, false);
        }
        let intact = manifest::load(&releases::manifest_path(root, &id))
            .is_ok_and(|(old, _)| same_files(&old, m))
            && verify::check_dir(&releases::site_dir(root, &id), m).is_ok_and(|f| f.clean());
        if intact {
            return (id, true);
        }
    }
    (base, false)
}

/// Files in `from` that the manifest does not list.
fn extra_files(from: &Path, m: &Manifest) -> Vec<String> {
    let listed: HashSet<&str> = m.files.iter().map(|e| e.path.as_str()).collect();
    let mut out: Vec<String> = WalkDir::new(from)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel: Vec<String> = e
                .path()
                .strip_prefix(from)
                .ok()?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            (!listed.contains(rel.as_str())).then_some(rel)
        })
        .collect();
    out.sort();
    out
}

/// Copy one file into the release and the backup store, checking it
/// against the manifest.
fn copy_one(from: &Path, site: &Path, objects: &Path, e: &Entry) -> Result<(), Diagnostic> {
    let src = from.join(&e.path);
    let shown = src.display().to_string();
    let bytes = fs::read(&src)
        .map_err(|err| Diagnostic::new(&shown, format!("无法读取构建输出中的文件：{err}")))?;
    if sha256_hex(&bytes) != e.sha256 {
        return Err(Diagnostic::new(
            &shown,
            "构建输出中的文件与清单不符：构建之后被改动过",
        ));
    }
    fs::write(site.join(&e.path), &bytes)
        .map_err(|err| Diagnostic::new(&shown, format!("无法写入新版本：{err}")))?;
    store::put(objects, &e.sha256, &bytes)
        .map_err(|err| Diagnostic::new(&shown, format!("无法写入备份库：{err}")))
}

/// Copy the whole output into `.<id>.partial`, then rename it to `<id>`.
fn copy_release(
    root: &Path,
    from: &Path,
    id: &str,
    m: &Manifest,
    raw: &[u8],
    facts: &[u8],
) -> Result<(), Diagnostics> {
    let partial = root.join(RELEASES).join(format!(".{id}.partial"));
    let site = partial.join(SITE);
    let fail = |what: &str, e: std::io::Error| {
        Diagnostics::from(
            Diagnostic::new(partial.display().to_string(), format!("{what}：{e}"))
                .help("检查磁盘空间和部署目录的写权限；当前网站未受影响。"),
        )
    };
    let _ = fs::remove_dir_all(&partial);
    let dirs: BTreeSet<&str> = m
        .files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    fs::create_dir_all(&site).map_err(|e| fail("无法创建新版本目录", e))?;
    for d in dirs {
        fs::create_dir_all(site.join(d)).map_err(|e| fail("无法创建新版本目录", e))?;
    }
    let objects = root.join(store::DIR);
    let errors: Vec<Diagnostic> = m
        .files
        .par_iter()
        .filter_map(|e| copy_one(from, &site, &objects, e).err())
        .collect();
    if !errors.is_empty() {
        let _ = fs::remove_dir_all(&partial);
        let mut ds = Diagnostics::default();
        errors.into_iter().for_each(|d| ds.push(d));
        return Err(ds.sorted());
    }
    let seq = releases::list(root)
        .0
        .iter()
        .map(|r| r.seq)
        .max()
        .unwrap_or(0)
        + 1;
    let record = releases::DeployRecord {
        seq,
        deployed_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    };
    let record = serde_json::to_vec_pretty(&record).unwrap_or_default();
    let done = fs::write(partial.join(MANIFEST), raw)
        .and_then(|()| fs::write(partial.join(logged::FACTS), facts))
        .and_then(|()| fs::write(partial.join(releases::DEPLOYED), record))
        .and_then(|()| fs::rename(&partial, releases::release_dir(root, id)));
    done.map_err(|e| {
        let _ = fs::remove_dir_all(&partial);
        fail("无法完成新版本", e)
    })
}

/// Run a deploy.
pub fn deploy(o: &Options) -> Result<Deployed, Diagnostics> {
    let manifest_file = o
        .manifest
        .clone()
        .unwrap_or_else(|| manifest::path_for(&o.from));
    let (m, raw) = manifest::load(&manifest_file)?;
    let shown = manifest_file.display().to_string();
    if m.trust.as_deref() == Some(crate::trust::REPOSITORY) {
        return Err(Diagnostic::new(
            &shown,
            "这次构建的信任根取自仓库内的 site.yaml（trust: repository）：能向仓库推送的人就能换掉审核人名单，这样的输出不能部署",
        )
        .help("用网站主管单位保管的根公钥重新构建：sanshen build --trust-root ed25519:…（或在 CI 中设置环境变量 SANSHEN_TRUST_ROOT），再部署。")
        .into());
    }
    if let Some(key) = &o.deploy_key {
        m.check_signature(key).map_err(|msg| {
            Diagnostic::new(&shown, msg)
                .help("只部署由部署密钥签名的构建：sanshen build --sign-manifest <部署私钥>；清单被改动时请重新构建。")
        })?;
    }
    let from = fs::canonicalize(&o.from).map_err(|e| {
        Diagnostic::new(
            o.from.display().to_string(),
            format!("找不到构建输出目录：{e}"),
        )
        .help("先运行 sanshen build，或用 --from 指定输出目录。")
    })?;
    let (facts, facts_raw) = logged::load_facts(&logged::facts_beside(&o.from), &m)?;
    if let Some(f) = m.files.iter().find(|f| crate::publog::is_reserved(&f.path)) {
        return Err(Diagnostic::new(
            &shown,
            format!("清单中有 {} 这个位置留给发布日志，不能部署", f.path),
        )
        .help("从 static/ 或主题中删去这个文件后重新构建。")
        .into());
    }
    let extra = extra_files(&from, &m);
    if !extra.is_empty() {
        let mut d = Diagnostic::new(
            o.from.display().to_string(),
            format!(
                "构建输出中有 {} 个清单以外的文件，不能部署：{}",
                extra.len(),
                extra
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
        d = d.help("构建输出在构建之后被改动过；重新运行 sanshen build 再部署。");
        return Err(d.into());
    }
    let root_shown = o.to.display().to_string();
    for sub in [RELEASES, store::DIR] {
        fs::create_dir_all(o.to.join(sub)).map_err(|e| {
            Diagnostic::new(&root_shown, format!("无法创建部署目录：{e}"))
                .help("检查路径与写权限，例如 sudo install -d -o deploy /srv/www/site。")
        })?;
    }
    let root = fs::canonicalize(&o.to)
        .map_err(|e| Diagnostic::new(&root_shown, format!("无法打开部署目录：{e}")))?;
    let _lock = releases::lock(&root)?;
    let previous = releases::current(&root)?;
    let now = o.now.unwrap_or_else(|| logged::clock(&m));
    let (state, _) = logged::state(
        &super::logstore::LogSource::Dir(logged::log_dir(&root)),
        Some(&o.log_key.verifying_key()),
    )?;
    let checked = logged::judge(&state, &facts, now)?;
    let cleaned = releases::clean_stale(&root);
    let (id, reused) = choose_id(&root, &m);
    if !reused {
        copy_release(&root, &from, &id, &m, &raw, &facts_raw)?;
    }
    let record = logged::append(logged::Entry {
        root: &root,
        key: &o.log_key,
        now,
        action: "deploy",
        release: &id,
        manifest: &m,
        manifest_raw: &raw,
        facts: checked.facts,
    })?;
    if previous.as_deref() != Some(id.as_str()) {
        releases::switch(&root, &id).map_err(|e| {
            Diagnostic::new(&root_shown, format!("无法切换 current：{e}"))
                .help("新版本已完整写入 releases/，可稍后用 sanshen rollback --release 切换；当前网站未受影响。")
        })?;
    }
    let pruned = releases::prune(&root, o.keep.max(1), &id);
    Ok(Deployed {
        id,
        previous,
        manifest: m,
        reused,
        pruned,
        cleaned,
        record,
    })
}
