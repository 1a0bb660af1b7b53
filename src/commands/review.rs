//! `sanshen review --key FILE [--port N] [--no-open]`: the review desk
//! (审核台) in the browser (see `crate::review`).

use crate::commands::common::{self, SiteArgs};
use crate::ops::Error;
use crate::review;

/// Arguments of `sanshen review`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 审核人的私钥文件（须在站点目录之外、权限 600），或 ssh-agent；启动时读取一次
    #[arg(long, value_name = "私钥")]
    pub key: String,
    #[command(flatten)]
    pub passphrase: common::PassphraseArgs,
    /// 端口（只监听本机 127.0.0.1）；默认由系统选择空闲端口
    #[arg(long, default_value_t = 0, value_name = "端口")]
    pub port: u16,
    /// 不自动打开浏览器（只打印地址）
    #[arg(long)]
    pub no_open: bool,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run the desk until it is ended (Ctrl+C).
pub fn run(args: &Args) -> Result<(), Error> {
    review::run(&review::Options {
        site: args.site.opts(),
        key: args.key.clone(),
        passphrase: args.passphrase.source(),
        port: args.port,
        open: !args.no_open,
    })
}
