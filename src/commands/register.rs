//! `sanshen register [--out DIR]`: the 信息发布登记表 of the site as CSV
//! and printable HTML (`ops::register`).

use std::path::PathBuf;

use crate::commands::common::SiteArgs;
use crate::ops::{register, Error};

/// Arguments of `sanshen register`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 输出目录：写出 register.csv 与 register.html（默认当前目录）
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen register`.
pub fn run(args: &Args) -> Result<(), Error> {
    let r = register::register(&args.site.opts(), &args.out)?;
    println!(
        "信息发布登记表：已发布 {} 篇，已撤稿 {} 篇 → {}、{}",
        r.published,
        r.withdrawn,
        r.csv.display(),
        r.html.display()
    );
    Ok(())
}
