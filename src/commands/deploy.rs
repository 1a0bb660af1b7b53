//! `sanshen deploy --to DIR [--from public] [--keep N]`: a new release of
//! the build output under `DIR/releases/`, then `DIR/current` switched to
//! it atomically (R17, R18).

use std::path::PathBuf;

use crate::ops::deploy::{self, Options};
use crate::ops::Error;

/// Arguments of `sanshen deploy`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 部署目录：网站服务器的根目录设为其中的 current（例如 /srv/www/site → /srv/www/site/current）
    #[arg(long, value_name = "目录")]
    pub to: PathBuf,
    /// 构建输出目录
    #[arg(long, default_value = "public", value_name = "目录")]
    pub from: PathBuf,
    /// 文件清单，默认为构建输出目录旁的 <输出目录>.manifest.json
    #[arg(long, value_name = "文件")]
    pub manifest: Option<PathBuf>,
    /// 保留最近多少个版本（当前版本总会保留）
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..), value_name = "个数")]
    pub keep: u32,
    /// 部署公钥 ed25519:…：只部署由它签名的清单
    #[arg(long, value_name = "公钥")]
    pub deploy_key: Option<String>,
    /// 部署私钥（PEM，在站点目录之外）：签署发布日志的检查点（checkpoint）
    #[arg(long, value_name = "私钥文件")]
    pub log_key: PathBuf,
    #[command(flatten)]
    pub passphrase: crate::commands::common::PassphraseArgs,
    /// 部署时间（RFC 3339，演练用）：写入发布日志的“首次出现”时间；默认系统时间，不得早于日志中上一条记录
    #[arg(long, value_name = "时间")]
    pub now: Option<String>,
}

/// Run `sanshen deploy`.
pub fn run(args: &Args) -> Result<(), Error> {
    let deploy_key = deploy::parse_deploy_key(args.deploy_key.as_deref())?;
    let opts = Options {
        from: args.from.clone(),
        manifest: args.manifest.clone(),
        to: args.to.clone(),
        keep: args.keep as usize,
        deploy_key,
        log_key: crate::ops::keys::load_secret_key(
            std::path::Path::new("."),
            &args.log_key,
            &args.passphrase.source(),
        )?,
        now: args
            .now
            .as_deref()
            .map(crate::clock::parse_now)
            .transpose()?,
    };
    let done = match deploy::deploy(&opts) {
        Ok(d) => d,
        Err(ds) => {
            return Err(Error::then(
                ds,
                "部署失败：网站仍在提供原来的版本，未做任何切换。",
            ));
        }
    };
    for c in &done.cleaned {
        println!("已清理上次中断的部署留下的 releases/{c}");
    }
    let m = &done.manifest;
    let commit = m.commit.as_deref().unwrap_or("无（未记录提交）");
    let current = args.to.join("current");
    if done.previous.as_deref() == Some(done.id.as_str()) {
        println!(
            "版本 {} 已是当前版本，未做切换（{} 个文件，提交 {commit}）",
            done.id,
            m.files.len()
        );
    } else {
        let how = if done.reused {
            "（沿用已有的同一版本）"
        } else {
            ""
        };
        println!(
            "已部署版本 {}{how}：{} 个文件，{:.1} MB，提交 {commit}，构建于 {}",
            done.id,
            m.files.len(),
            m.total_size() as f64 / 1_048_576.0,
            m.built_at
        );
        println!(
            "  {} → releases/{}/site（已原子切换）",
            current.display(),
            done.id
        );
        if let Some(p) = &done.previous {
            println!(
                "  上一版本：{p}；如需切回：sanshen rollback --to {}",
                args.to.display()
            );
        }
    }
    if !done.pruned.is_empty() {
        println!(
            "已清理旧版本 {} 个（保留最近 {} 个）：{}",
            done.pruned.len(),
            args.keep,
            done.pruned.join("、")
        );
    }
    println!(
        "发布日志：第 {} 条记录已写入 {}（网站上 /{}/）",
        done.record.index,
        args.to.join(crate::publog::DIR).display(),
        crate::publog::PUBLISHED
    );
    println!(
        "检查线上是否被篡改：sanshen verify --dir {}",
        current.display()
    );
    Ok(())
}
