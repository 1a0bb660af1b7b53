//! `sanshen rollback --to DIR [--release ID]`: switch `DIR/current` back
//! to the previous release (or the one named), by `ops::rollback`.

use std::path::PathBuf;

use crate::ops::rollback::{self, RolledBack};
use crate::ops::Error;

/// Arguments of `sanshen rollback`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 部署目录（sanshen deploy --to 的目录）
    #[arg(long, value_name = "目录")]
    pub to: PathBuf,
    /// 切换到的版本（sanshen releases 列出的版本号）；默认为当前版本的前一个
    #[arg(long, value_name = "版本")]
    pub release: Option<String>,
    /// 部署私钥（PEM，在站点目录之外）：回滚也写入发布日志并签署检查点
    #[arg(long, value_name = "私钥文件")]
    pub log_key: PathBuf,
    #[command(flatten)]
    pub passphrase: crate::commands::common::PassphraseArgs,
    /// 回滚时间（RFC 3339，演练用）；默认系统时间
    #[arg(long, value_name = "时间")]
    pub now: Option<String>,
}

/// Run `sanshen rollback`.
pub fn run(args: &Args) -> Result<(), Error> {
    let key = crate::ops::keys::load_secret_key(
        std::path::Path::new("."),
        &args.log_key,
        &args.passphrase.source(),
    )?;
    let now = args
        .now
        .as_deref()
        .map(crate::clock::parse_now)
        .transpose()?;
    match rollback::rollback(&args.to, args.release.as_deref(), &key, now)? {
        RolledBack::AlreadyCurrent { id } => println!("版本 {id} 已是当前版本，未做切换。"),
        RolledBack::Switched {
            from,
            to,
            commit,
            built_at,
            files,
        } => {
            println!(
                "已回滚：current 从 {} 切换到 {to}（提交 {}，构建于 {built_at}，{files} 个文件）",
                from.as_deref().unwrap_or("（无）"),
                commit.as_deref().unwrap_or("（无）"),
            );
            println!("已核对该版本的全部文件与清单一致，并对照发布日志判定通过、写入日志。");
            if let Some(from) = &from {
                println!(
                    "撤销回滚：sanshen rollback --to {} --release {from}",
                    args.to.display()
                );
            }
        }
    }
    Ok(())
}
