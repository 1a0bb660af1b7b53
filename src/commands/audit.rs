//! `sanshen audit [--out FILE.html] [--json]`: the site audit (`crate::audit`)
//! printed. Exit status 1 on any veto.

use std::path::PathBuf;

use crate::audit;
use crate::commands::common::{RevArgs, SiteArgs};
use crate::ops::Error;

/// Arguments of `sanshen audit`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 另外写出可打印的 HTML 体检报告到此文件（例如 audit.html）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 输出 JSON（供脚本与 CI 使用）
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub rev: RevArgs,
}

/// Run `sanshen audit`.
pub fn run(args: &Args) -> Result<(), Error> {
    let a = audit::audit(
        &args.site.opts(),
        args.rev.rev.as_deref(),
        args.out.as_deref(),
    )?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&a.json()).unwrap_or_default()
        );
    } else {
        print!("{}", a.text());
        println!("日期来源：{}", a.dates_from);
        if let Some(out) = &args.out {
            println!("已写出 HTML 体检报告：{}", out.display());
        }
    }
    if a.passed() {
        Ok(())
    } else {
        Err(Error::Unsuccessful(String::new()))
    }
}
