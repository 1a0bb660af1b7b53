//! `sanshen status [PATHS…] [--json] [--rev REV]`: the review state of
//! every article (or of those under PATHS), from `ops::status`. Exit status
//! 1 if any is held for review, so that CI on a merge request can use it;
//! an article held only by its publication window (定时发布 / 到期下线)
//! does not count.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::commands::common::{RevArgs, SiteArgs};
use crate::commands::show;
use crate::gate::Code;
use crate::ops::status::{self, Row};
use crate::ops::Error;

/// Arguments of `sanshen status`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 只看这些文章或目录（默认：全部文章）
    #[arg(value_name = "路径")]
    pub paths: Vec<PathBuf>,
    /// 输出 JSON（供脚本与 CI 使用）
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub rev: RevArgs,
}

/// Run `sanshen status`.
pub fn run(args: &Args) -> Result<(), Error> {
    let st = status::status(&args.site.opts(), args.rev.rev.as_deref(), &args.paths)?;
    let selected = st.rows();
    let held = st.held();
    let scheduled: Vec<_> = selected.iter().filter(|(_, d)| d.scheduled()).collect();
    let expired: Vec<_> = selected.iter().filter(|(_, d)| d.expired()).collect();
    let mut text = String::new();
    if args.json {
        text = serde_json::to_string_pretty(&st.json()).unwrap_or_default();
        text.push('\n');
    } else if std::io::stdout().is_terminal() && selected.len() > 1 {
        // On a terminal: an aligned table, the verdicts in colour.
        text = super::status_table::render(&selected, crate::diag::colour_wanted());
        text.push_str(
            "逐篇详情（审核要求与签署记录）：sanshen status 文章路径；供脚本使用：--json\n",
        );
        text.push_str(&summary(&selected, held, &scheduled, &expired));
    } else {
        for (a, d) in &selected {
            text.push_str(&show::describe(&st.judged.content, a, d));
            text.push('\n');
        }
        text.push_str(&window_section(
            "定时发布（scheduled）",
            Code::Scheduled,
            &scheduled,
        ));
        text.push_str(&window_section(
            "已到期下线（expired）",
            Code::Expired,
            &expired,
        ));
        text.push_str(&summary(&selected, held, &scheduled, &expired));
        text = crate::diag::safe(&text);
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if held > 0 {
        Err(Error::Unsuccessful(String::new()))
    } else {
        Ok(())
    }
}

/// 「共 N 篇：发布 …，暂缓 …[，定时发布 …][，已到期下线 …]。」
fn summary(selected: &[Row], held: usize, scheduled: &[&Row], expired: &[&Row]) -> String {
    let mut tail = String::new();
    if !scheduled.is_empty() {
        tail.push_str(&format!("，定时发布 {} 篇", scheduled.len()));
    }
    if !expired.is_empty() {
        tail.push_str(&format!("，已到期下线 {} 篇", expired.len()));
    }
    format!(
        "共 {} 篇：发布 {} 篇，暂缓 {held} 篇{tail}。\n",
        selected.len(),
        selected.iter().filter(|(_, d)| d.publish).count()
    )
}

/// The list of articles held only by their publication window.
fn window_section(title: &str, word: Code, list: &[&Row]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut out = format!("{title} {} 篇：\n", list.len());
    for (a, d) in list {
        let why = d.reasons.iter().find(|r| r.word == word);
        let why = why.map(|r| r.message.as_str()).unwrap_or("");
        out.push_str(&format!("  {}《{}》 {why}\n", a.file, a.title));
    }
    out.push('\n');
    out
}
