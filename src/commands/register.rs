//! `sanshen register [--out DIR]`: the 信息发布登记表 of the site as CSV
//! and printable HTML (`ops::register`).

use std::path::PathBuf;

use crate::commands::common::SiteArgs;
use crate::ops::{register, Error};

/// Arguments of `sanshen register`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 输出目录：写出 register.csv 与 register.html（默认当前目录）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub out: PathBuf,
    /// 依据发布日志生成（部署目录、日志目录或网站网址）：列出实际上线的文章与时间，包括源文件中被删除的撤稿
    #[arg(long, value_name = "目录或网址")]
    pub log: Option<String>,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen register`.
pub fn run(args: &Args) -> Result<(), Error> {
    let r = match &args.log {
        Some(log) => {
            let now = args
                .site
                .now
                .as_deref()
                .map(crate::clock::parse_now)
                .transpose()?;
            let now = now.unwrap_or_else(|| chrono::Local::now().fixed_offset());
            register::register_log(log, &args.out, &now.format("%Y-%m-%d %H:%M").to_string())?
        }
        None => register::register(&args.site.opts(), &args.out)?,
    };
    println!(
        "信息发布登记表：已发布 {} 篇，已撤稿 {} 篇 → {}、{}",
        r.published,
        r.withdrawn,
        r.csv.display(),
        r.html.display()
    );
    Ok(())
}
