//! `sanshen form ARTICLE [--out FILE]`: the 三级审核表 of one article as a
//! printable HTML page (`ops::form`), on standard output or into a file.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::common::SiteArgs;
use crate::ops::{form, Error};

/// Arguments of `sanshen form`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 文章（content/ 下的 .md 文件）
    #[arg(value_name = "文章")]
    pub article: PathBuf,
    /// 写入此 HTML 文件（默认输出到标准输出）
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen form`.
pub fn run(args: &Args) -> Result<(), Error> {
    let html = form::form(&args.site.opts(), &args.article, args.out.as_deref())?;
    match &args.out {
        // A closed pipe (`| head`) is not an error worth a panic.
        None => drop(std::io::stdout().lock().write_all(html.as_bytes())),
        Some(out) => eprintln!("已生成三级审核表：{}", out.display()),
    }
    Ok(())
}
