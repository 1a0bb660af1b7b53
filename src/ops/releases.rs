//! The deploy folder (R18):
//!
//! ```text
//! DIR/current -> releases/<id>/site      the served tree (a symbolic link)
//! DIR/releases/<id>/site/                one release, exactly the build output
//! DIR/releases/<id>/manifest.json        its manifest, byte for byte
//! DIR/releases/<id>/deployed.json        deploy order and time
//! DIR/releases/.<id>.partial/            a deploy in progress (or killed)
//! DIR/objects/                           the backup store (see `store`)
//! ```
//!
//! Release ids name the build (UTC build time and commit); releases are
//! ordered by `deployed.json`'s sequence number, the order of deploys.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::store;
use crate::diag::Diagnostic;
use crate::manifest::{self, Manifest};

pub const RELEASES: &str = "releases";
pub const SITE: &str = "site";
pub const MANIFEST: &str = "manifest.json";
pub const CURRENT: &str = "current";
pub const DEPLOYED: &str = "deployed.json";
const LOCK: &str = ".sanshen-deploy.lock";

/// One kept release.
#[derive(Debug, Clone)]
pub struct Release {
    pub id: String,
    pub manifest: Manifest,
    /// The deploy order (1 for the first deploy into the folder).
    pub seq: u64,
    /// When it was deployed (RFC 3339, the deploying machine's clock).
    pub deployed_at: String,
}

/// The contents of `deployed.json`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DeployRecord {
    pub seq: u64,
    pub deployed_at: String,
}

fn record(root: &Path, id: &str) -> DeployRecord {
    fs::read(release_dir(root, id).join(DEPLOYED))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(DeployRecord {
            seq: 0,
            deployed_at: String::new(),
        })
}

pub fn release_dir(root: &Path, id: &str) -> PathBuf {
    root.join(RELEASES).join(id)
}

pub fn site_dir(root: &Path, id: &str) -> PathBuf {
    release_dir(root, id).join(SITE)
}

pub fn manifest_path(root: &Path, id: &str) -> PathBuf {
    release_dir(root, id).join(MANIFEST)
}

/// The releases under `root` in deploy order, oldest first; entries without a readable
/// manifest are returned by name as the second list.
pub fn list(root: &Path) -> (Vec<Release>, Vec<String>) {
    let (mut good, mut broken) = (Vec::new(), Vec::new());
    let Ok(entries) = fs::read_dir(root.join(RELEASES)) else {
        return (good, broken);
    };
    for e in entries.flatten() {
        let id = e.file_name().to_string_lossy().into_owned();
        if id.starts_with('.') || !e.path().is_dir() {
            continue;
        }
        match manifest::load(&manifest_path(root, &id)) {
            Ok((m, _)) if site_dir(root, &id).is_dir() => {
                let r = record(root, &id);
                good.push(Release {
                    id,
                    manifest: m,
                    seq: r.seq,
                    deployed_at: r.deployed_at,
                });
            }
            _ => broken.push(id),
        }
    }
    good.sort_by(|a, b| (a.seq, &a.id).cmp(&(b.seq, &b.id)));
    broken.sort();
    (good, broken)
}

/// The id `DIR/current` points to; `None` when there is no `current`.
pub fn current(root: &Path) -> Result<Option<String>, Diagnostic> {
    let link = root.join(CURRENT);
    let shown = link.display().to_string();
    match fs::symlink_metadata(&link) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::new(&shown, format!("无法读取：{e}"))),
        Ok(m) if !m.file_type().is_symlink() => {
            return Err(Diagnostic::new(
                &shown,
                "current 是普通目录或文件，不是 sanshen deploy 建立的符号链接，不能自动切换",
            )
            .help("先把它改名保留（例如 mv current current.old），再运行 sanshen deploy；网站服务器的根目录应指向 <部署目录>/current。"));
        }
        Ok(_) => {}
    }
    let target = fs::read_link(&link)
        .map_err(|e| Diagnostic::new(&shown, format!("无法读取符号链接：{e}")))?;
    let text = target.to_string_lossy();
    let id = text
        .strip_prefix("releases/")
        .and_then(|r| r.strip_suffix("/site"))
        .filter(|id| !id.is_empty() && !id.contains('/'));
    match id {
        Some(id) => Ok(Some(id.to_string())),
        None => Err(Diagnostic::new(
            &shown,
            format!("current 指向 {text}，不是 sanshen 的版本（releases/<版本>/site）"),
        )
        .help("用 sanshen rollback --to <部署目录> --release <版本> 重新指向一个版本。")),
    }
}

/// Point `DIR/current` at release `id` atomically: a new symbolic link
/// beside it, renamed over the old one.
pub fn switch(root: &Path, id: &str) -> io::Result<()> {
    let tmp = root.join(format!(".current.tmp-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    symlink(&format!("{RELEASES}/{id}/{SITE}"), &tmp)?;
    fs::rename(&tmp, root.join(CURRENT)).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &str, _link: &Path) -> io::Result<()> {
    Err(io::Error::other(
        "原子切换需要符号链接，目前只支持 Linux/Unix 服务器",
    ))
}

/// How long deploy and rollback wait for another holder of the lock (a
/// running deploy, or a `flock`-wrapped verify cron job).
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Hold the deploy folder's lock (an advisory `flock`, released when the
/// file is dropped or the process dies), waiting up to two minutes.
pub fn lock(root: &Path) -> Result<fs::File, Diagnostic> {
    let path = root.join(LOCK);
    let shown = root.display().to_string();
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| {
            Diagnostic::new(&shown, format!("无法在部署目录中建立锁文件：{e}"))
                .help("检查部署目录是否存在、当前用户是否有写权限。")
        })?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                thread::sleep(Duration::from_millis(200));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Diagnostic::new(
                    &shown,
                    "另一个 sanshen 进程（部署、回滚或定时核对）一直占用这个部署目录",
                )
                .help("等它完成后再运行；CI 中请让部署任务串行执行。"))
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Diagnostic::new(&shown, format!("无法锁定部署目录：{e}")))
            }
        }
    }
}

/// Remove what killed deploys and prunes left behind (hidden
/// `.…partial` and `.…old` folders); returns their names.
pub fn clean_stale(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(root.join(RELEASES)) else {
        return out;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = name.starts_with('.') && (name.ends_with(".partial") || name.ends_with(".old"));
        if stale && fs::remove_dir_all(e.path()).is_ok() {
            out.push(name);
        }
    }
    out.sort();
    out
}

/// Keep the `keep` last deployed releases and the current one; remove the rest
/// and the stored files no kept release needs. Returns the removed ids.
pub fn prune(root: &Path, keep: usize, current: &str) -> Vec<String> {
    let (all, _) = list(root);
    let cut = all.len().saturating_sub(keep);
    let mut removed = Vec::new();
    let mut needed = HashSet::new();
    for (i, r) in all.iter().enumerate() {
        if i >= cut || r.id == current {
            needed.extend(r.manifest.files.iter().map(|f| f.sha256.clone()));
            continue;
        }
        let old = root.join(RELEASES).join(format!(".{}.old", r.id));
        if fs::rename(release_dir(root, &r.id), &old).is_ok() {
            let _ = fs::remove_dir_all(&old);
            removed.push(r.id.clone());
        } else {
            needed.extend(r.manifest.files.iter().map(|f| f.sha256.clone()));
        }
    }
    store::gc(&root.join(store::DIR), &needed);
    removed
}

/// The deploy folder and release id of a served tree: `DIR/current`, or
/// `DIR/releases/<id>/site` itself.
pub fn locate(dir: &Path) -> Option<(PathBuf, String)> {
    let abs = fs::canonicalize(dir).ok()?;
    if abs.file_name()? != SITE {
        return None;
    }
    let release = abs.parent()?;
    let releases = release.parent()?;
    if releases.file_name()? != RELEASES {
        return None;
    }
    let id = release.file_name()?.to_string_lossy().into_owned();
    Some((releases.parent()?.to_path_buf(), id))
}

/// The kept releases of a deployment, for listing.
#[derive(Debug)]
pub struct Overview {
    /// Oldest first.
    pub releases: Vec<Release>,
    /// Folders under `releases/` that are not complete releases.
    pub broken: Vec<String>,
    /// The release `current` points at.
    pub current: Option<String>,
    /// Why `current` could not be read, if it could not.
    pub current_problem: Option<Diagnostic>,
}

/// The releases kept under `root`; refused when there are none.
pub fn overview(root: &Path) -> Result<Overview, super::Error> {
    let (releases, broken) = list(root);
    if releases.is_empty() {
        return Err(super::Error::refused(
            "没有已部署的版本",
            format!("{} 下没有 releases/<版本>/", root.display()),
            "检查 --to 是否为 sanshen deploy --to 使用的目录；首次部署请运行 sanshen deploy --to <目录>。",
        ));
    }
    let (current, current_problem) = match current(root) {
        Ok(c) => (c, None),
        Err(d) => (None, Some(d)),
    };
    Ok(Overview {
        releases,
        broken,
        current,
        current_problem,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn fake_release(root: &Path, id: &str, seq: u64) {
        fs::create_dir_all(site_dir(root, id)).unwrap();
        let m = Manifest::of_files(&[], None, "2026-11-21T12:00:00+08:00".into(), "x".into());
        fs::write(manifest_path(root, id), m.to_json()).unwrap();
        let r = DeployRecord {
            seq,
            deployed_at: String::new(),
        };
        fs::write(
            release_dir(root, id).join(DEPLOYED),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn switch_list_prune_locate() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        assert_eq!(current(root).unwrap(), None);
        let ids = [
            "20260101T000000Z-a",
            "20260103T000000Z-c",
            "20260102T000000Z-b",
        ];
        for (seq, id) in ids.iter().enumerate() {
            fake_release(root, id, seq as u64 + 1);
        }
        fs::create_dir_all(root.join("releases/broken")).unwrap();
        switch(root, "20260101T000000Z-a").unwrap();
        assert_eq!(
            current(root).unwrap().as_deref(),
            Some("20260101T000000Z-a")
        );
        let (all, broken) = list(root);
        assert_eq!(all[1].id, "20260103T000000Z-c");
        assert_eq!(all.len(), 3);
        assert_eq!(broken, ["broken"]);
        let (r, id) = locate(&root.join(CURRENT)).unwrap();
        assert_eq!(
            (r, id.as_str()),
            (root.canonicalize().unwrap(), "20260101T000000Z-a")
        );
        let removed = prune(root, 1, "20260101T000000Z-a");
        assert_eq!(removed, ["20260103T000000Z-c"]);
        assert_eq!(list(root).0.len(), 2);
        let held = lock(root).unwrap();
        let t = thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            drop(held);
        });
        let _again = lock(root).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn current_as_plain_directory_is_refused() {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join(CURRENT)).unwrap();
        let e = current(t.path()).unwrap_err();
        assert!(e.message.contains("普通目录"));
    }
}
