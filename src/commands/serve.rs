//! `sanshen serve`: the live preview for editors and reviewers (see
//! `crate::serve`).

use crate::commands::common::SiteArgs;
use crate::ops::Error;
use crate::serve;

/// Arguments of `sanshen serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 端口（只监听本机 127.0.0.1）；0 表示由系统选择空闲端口
    #[arg(long, default_value_t = 8000, value_name = "端口")]
    pub port: u16,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run the preview until it is ended (Ctrl+C).
pub fn run(args: &Args) -> Result<(), Error> {
    let opts = serve::Options {
        root: args.site.root.clone(),
        port: args.port,
        trust_root: args.site.trust_root.clone(),
        now: args.site.now.clone(),
    };
    serve::run(&opts).map_err(Error::from)
}
