//! `sanshen verify`: compare a deployed tree (`--dir`) or the live site
//! (`--url`) with the build's manifest and report modified, missing and
//! unexpected files; `--restore` puts the released bytes back (R17).
//! Exit status 1 whenever anything differed, even when restored, so that
//! a cron job alerts the people on duty.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::commands::{common, deploy::parse_deploy_key};
use crate::diag::Diagnostic;
use crate::gate;
use crate::ops::manifest::{self, Manifest};
use crate::ops::restore::{self, Done, Source};
use crate::ops::verify::{self, Findings};
use crate::ops::Error;
use crate::ops::{fetch, releases};

/// Arguments of `sanshen verify`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 文件清单（构建时写在输出目录旁的 <输出目录>.manifest.json）；--dir 是 sanshen deploy 部署的目录时可省略
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// 要检查的网站目录（服务器上正在提供服务的目录，例如 /srv/www/site/current）
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// 要检查的网站网址（逐个下载清单中的文件核对）
    #[arg(long)]
    pub url: Option<String>,
    /// 部署公钥 ed25519:…：清单必须由它签名
    #[arg(long)]
    pub deploy_key: Option<String>,
    /// 恢复：改回被篡改的文件、补回缺失的文件、删除多余的文件（需要 --dir）
    #[arg(long)]
    pub restore: bool,
    /// 恢复来源：部署目录或构建输出目录；默认为 --dir 所属部署目录的备份库
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// 通过网址检查时的并发数
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// 通过网址检查时每个请求的超时（秒）
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

fn manifest_file(args: &Args) -> Result<PathBuf, Diagnostic> {
    if let Some(m) = &args.manifest {
        return Ok(m.clone());
    }
    if let Some((root, id)) = args.dir.as_deref().and_then(releases::locate) {
        return Ok(releases::manifest_path(&root, &id));
    }
    Err(Diagnostic::new("--manifest", "没有给出文件清单")
        .help("用 --manifest 指定构建时生成的清单（例如 public.manifest.json）；--dir 为 sanshen deploy 部署的 current 目录时可省略。"))
}

/// Check the signature as asked; print what is known about it.
fn check_signature(m: &Manifest, key: Option<&str>, shown: &str) -> Result<(), Diagnostic> {
    let Some(key) = parse_deploy_key(key)? else {
        match &m.signature {
            Some(s) => println!("清单签名：已签名（{}），但未用 --deploy-key 验证", s.key),
            None => println!(
                "清单签名：未签名（建议构建时用 --sign-manifest 签名，检查时用 --deploy-key 验证）"
            ),
        }
        return Ok(());
    };
    m.check_signature(&key).map_err(|msg| {
        Diagnostic::new(shown, msg)
            .help("不要使用这份清单：从构建服务器取回原始清单，或重新构建并签名后再检查。")
    })?;
    println!("清单签名：有效（部署密钥 {}）", gate::fingerprint(&key));
    Ok(())
}

fn print_findings(title: &str, f: &Findings, over_http: bool) {
    let mut counts = vec![
        format!("被篡改 {} 个", f.modified.len()),
        format!("缺失 {} 个", f.missing.len()),
    ];
    if !over_http {
        counts.push(format!("多余 {} 个", f.unexpected.len()));
    }
    if !f.unchecked.is_empty() {
        counts.push(format!("无法检查 {} 个", f.unchecked.len()));
    }
    let mark = if f.clean() { "✓" } else { "✗" };
    println!(
        "{mark} {title}：核对 {} 个文件，{}",
        f.checked,
        counts.join("、")
    );
    for x in &f.modified {
        println!("    被篡改    {}  {}", x.path, x.detail);
    }
    for x in &f.missing {
        println!("    缺失      {}  {}", x.path, x.detail);
    }
    for x in &f.unexpected {
        println!("    多余      {}  {}", x.path, x.detail);
    }
    for x in &f.unchecked {
        println!("    无法检查  {}  {}", x.path, x.detail);
    }
    if over_http {
        println!("    （通过网址无法发现被植入的新文件；请同时用 --dir 检查服务器上的网站目录）");
    }
}

fn print_done(src: &Source, d: &Done) {
    println!(
        "恢复（来源：{}）：已恢复 {} 个被篡改文件、补回 {} 个缺失文件、删除 {} 个多余文件",
        src.describe(),
        d.restored.len(),
        d.added.len(),
        d.removed.len()
    );
    d.restored.iter().for_each(|p| println!("    已恢复  {p}"));
    d.added.iter().for_each(|p| println!("    已补回  {p}"));
    d.removed.iter().for_each(|p| println!("    已删除  {p}"));
    for f in &d.failed {
        println!("    未能处理  {}  {}", f.path, f.detail);
    }
}

/// Paths that differ over HTTP.
fn differing(f: &Findings) -> Vec<String> {
    f.modified
        .iter()
        .chain(&f.missing)
        .chain(&f.unchecked)
        .map(|x| x.path.clone())
        .collect()
}

/// Run `sanshen verify`.
pub fn run(args: &Args) -> Result<(), Error> {
    if args.dir.is_none() && args.url.is_none() {
        return Err(common::refuse(
            "无法检查",
            "没有指定检查对象",
            "用 --dir 指定服务器上的网站目录，或用 --url 指定网站网址（可同时使用）。",
        ));
    }
    if args.restore && args.dir.is_none() {
        return Err(common::refuse(
            "无法恢复",
            "--restore 需要 --dir：恢复是把文件写回服务器上提供服务的目录",
            "加上 --dir /srv/www/site/current（网站服务器的根目录）。",
        ));
    }
    let path = manifest_file(args)?;
    let shown = path.display().to_string();
    let m = match manifest::load(&path) {
        Ok((m, _)) => m,
        Err(d) => return Err(common::fail(d)),
    };
    println!(
        "按清单 {shown} 检查：{} 个文件，构建于 {}，提交 {}",
        m.files.len(),
        m.built_at,
        m.commit.as_deref().unwrap_or("（无）")
    );
    if let Err(d) = check_signature(&m, args.deploy_key.as_deref(), &shown) {
        return Err(Error::then(d, "检查中止：清单不可信，未做任何比对或恢复。"));
    }
    let source = match (args.restore, &args.dir) {
        (true, Some(dir)) => match restore::find_source(args.from.as_deref(), dir) {
            Ok(s) => Some(s),
            Err(d) => return Err(common::fail(d)),
        },
        _ => None,
    };
    let http = fetch::Options {
        concurrency: args.concurrency.max(1),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let base = args.url.as_deref().map(fetch::base_url).transpose()?;
    let mut clean = true;
    let mut over_http = None;
    if let Some(base) = &base {
        let f = fetch::check_url(base, &m, None, &http);
        print_findings(&format!("网站 {base}（通过网址）"), &f, true);
        clean &= f.clean();
        over_http = Some(f);
    }
    let Some(dir) = &args.dir else {
        return conclude(clean, false);
    };
    let found = verify::check_dir(dir, &m)?;
    print_findings(&format!("服务器目录 {}", dir.display()), &found, false);
    clean &= found.clean();
    if let Some(f) = &over_http {
        let on_disk: HashSet<String> = differing(&found).into_iter().collect();
        let only_http: Vec<&str> = f
            .modified
            .iter()
            .chain(&f.missing)
            .map(|x| x.path.as_str())
            .filter(|p| !on_disk.contains(*p))
            .collect();
        if !only_http.is_empty() {
            println!(
                "注意：{} 个文件在服务器目录中正确，但网站返回的内容不同（{}）：可能是缓存、反向代理或网站服务器配置被改动，恢复文件无法解决，请排查服务器。",
                only_http.len(),
                only_http.join("、")
            );
        }
    }
    if args.restore && found.clean() && !clean {
        println!("结论：服务器目录与清单一致，无需恢复；但网站返回的内容不同，请排查缓存、反向代理或网站服务器配置。");
        return Err(Error::Unsuccessful(String::new()));
    }
    let Some(src) = source.filter(|_| !found.clean()) else {
        return conclude(clean, false);
    };
    let done = restore::restore(dir, &m, &found, &src)?;
    print_done(&src, &done);
    recheck(dir, &m, base.as_deref(), over_http.as_ref(), &http)
}

/// Check again after restoring: the directory, and the paths that had
/// differed over HTTP.
fn recheck(
    dir: &Path,
    m: &Manifest,
    base: Option<&str>,
    over_http: Option<&Findings>,
    http: &fetch::Options,
) -> Result<(), Error> {
    let mut ok = match verify::check_dir(dir, m) {
        Ok(f) => {
            if !f.clean() {
                print_findings("复查服务器目录", &f, false);
            }
            f.clean()
        }
        Err(d) => return Err(common::fail(d)),
    };
    if let (Some(base), Some(before)) = (base, over_http) {
        let paths = differing(before);
        if !paths.is_empty() {
            let f = fetch::check_url(base, m, Some(&paths), http);
            if !f.clean() {
                print_findings("复查网站", &f, true);
            }
            ok &= f.clean();
        }
    }
    if ok {
        println!("复查：已与清单一致。");
    }
    conclude(false, ok)
}

fn conclude(clean: bool, restored: bool) -> Result<(), Error> {
    if clean {
        println!("结论：与清单一致，未发现篡改。");
        return Ok(());
    }
    if restored {
        println!("结论：发现篡改，已全部恢复。请按应急预案报告，保留服务器日志并排查入侵原因。");
    } else {
        println!("结论：发现差异，网站与发布的版本不一致。恢复：加 --restore（需要 --dir）；或 sanshen rollback 切换版本。");
    }
    Err(Error::Unsuccessful(String::new()))
}
