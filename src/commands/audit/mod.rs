//! `sanshen audit [--out FILE.html] [--json]`: what an inspection of the
//! site would flag (R15, R12, R19) — 空白栏目, columns and the home page not
//! updated in time, dead internal links (单项否决), pending articles left
//! waiting and images without alt text (提醒). "Now" is the build clock, so
//! CI can pin it with `SOURCE_DATE_EPOCH`. Exit status 1 on any veto.

pub mod checks;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::commands::common::{self, RevArgs, SiteArgs};
use crate::diag::Diagnostic;
use crate::linkcheck;
use crate::source::Dates;

/// Arguments of `sanshen audit`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 另外写出可打印的 HTML 体检报告到此文件（例如 audit.html）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 输出 JSON（供脚本与 CI 使用）
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub rev: RevArgs,
}

/// Run `sanshen audit`.
pub fn run(args: &Args) -> ExitCode {
    let (source, judged) = match common::judge_source(&args.site, args.rev.rev.as_deref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let (_, links) = match linkcheck::check_site(&judged, source.tree()) {
        Ok(r) => r,
        Err(d) => return common::fail(d),
    };
    let items = checks::run_checks(&judged, &links);
    let now = judged.now.format("%Y-%m-%d %H:%M").to_string();
    let head = report::Head {
        site: &judged.site.config.name,
        now: &now,
    };
    if let Some(out) = &args.out {
        let page = report::html_page(&head, &items);
        if let Err(e) = common::write_atomic(out, page.as_bytes()) {
            let shown = out.display().to_string();
            return common::fail(
                Diagnostic::new(&shown, format!("无法写出体检报告：{e}"))
                    .help("检查目录是否存在、是否有写入权限，或用 --out 指定其他位置。"),
            );
        }
    }
    if args.json {
        let mut v = report::json(&head, &common::timestamp(&judged.now), &items);
        if let Some(o) = v.as_object_mut() {
            o.insert("dates_from".into(), dates_from(&judged.dates).into());
        }
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", report::text(&head, &items));
        println!("更新日期来源：{}", dates_from(&judged.dates));
        if let Some(out) = &args.out {
            println!("已写出 HTML 体检报告：{}", out.display());
        }
    }
    if items.iter().any(|i| i.veto && !i.ok) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Where freshness dates came from, in words.
fn dates_from(dates: &Dates) -> String {
    match dates {
        Dates::History { head } => format!("git 提交记录（截至提交 {}）", crate::git::short(head)),
        Dates::FrontMatter { why } => format!("文章 front matter 的 date（{why}）"),
    }
}
