//! `sanshen check-release --from public --log DIR|URL`: the checks `deploy`
//! makes against the publication log, without deploying — so that CI
//! fails early, with the same message.

use std::path::PathBuf;

use crate::ops::logged;
use crate::ops::Error;

/// Arguments of `sanshen check-release`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 构建输出目录
    #[arg(long, default_value = "public", value_name = "目录")]
    pub from: PathBuf,
    /// 文件清单，默认为构建输出目录旁的 <输出目录>.manifest.json
    #[arg(long, value_name = "文件")]
    pub manifest: Option<PathBuf>,
    /// 发布日志：部署目录、日志目录或网站网址
    #[arg(long, value_name = "目录或网址")]
    pub log: String,
    /// 判定时间（RFC 3339，演练用）；默认系统时间
    #[arg(long, value_name = "时间")]
    pub now: Option<String>,
}

/// Run `sanshen check-release`.
pub fn run(args: &Args) -> Result<(), Error> {
    let now = args
        .now
        .as_deref()
        .map(crate::clock::parse_now)
        .transpose()?;
    let (facts, checked) =
        logged::check_release(&args.from, args.manifest.as_deref(), &args.log, now).map_err(
            |ds| {
                Error::then(
                    ds,
                    "发布日志不允许这次发布：部署会被拒绝。请按上面的提示处理后重新构建。",
                )
            },
        )?;
    let kept = checked
        .facts
        .withdrawals
        .iter()
        .filter(|w| !w.in_source)
        .count();
    println!(
        "对照发布日志检查通过：{} 篇文章可以发布，{} 项撤稿仍然有效{}。",
        facts.articles.len(),
        checked.facts.withdrawals.len(),
        if kept > 0 {
            format!("（其中 {kept} 项在源文件中已被删除，日志继续保留）")
        } else {
            String::new()
        }
    );
    Ok(())
}
