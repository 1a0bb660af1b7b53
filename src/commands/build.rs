//! `sanshen build`: run the pipeline, print warnings, held articles and a
//! summary.

use std::process::ExitCode;

use crate::pipeline::{self, BuildOptions, Failure, Held};

/// Run a build and report it.
pub fn run(opts: &BuildOptions, quiet: bool, timings: bool) -> ExitCode {
    match pipeline::build(opts) {
        Ok(report) => {
            if !quiet {
                for w in &report.warnings {
                    eprintln!("{}", w.to_string().replacen("错误：", "警告：", 1));
                }
            }
            print_held(&report.held);
            if timings {
                for (name, secs) in &report.timings.phases {
                    println!("  {secs:>7.3} 秒  {name}");
                }
            }
            println!(
                "构建完成：发布 {} 篇文章、{} 个栏目，生成 {} 个页面（共 {} 个文件），用时 {:.2} 秒 → {}",
                report.published,
                report.columns,
                report.pages,
                report.files,
                report.seconds,
                opts.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Invalid(ds)) => {
            eprint!("{ds}");
            eprintln!(
                "构建失败：发现 {} 个问题，未写出任何文件（原有输出目录保持不变）。",
                ds.0.len()
            );
            ExitCode::FAILURE
        }
        Err(Failure::Held(held)) => {
            print_held(&held);
            eprintln!(
                "构建失败（--strict）：{} 篇文章被暂缓发布，未写出任何文件。",
                held.len()
            );
            ExitCode::FAILURE
        }
    }
}

/// Print held articles: possible tampering (a signature that does not
/// verify) apart from articles that are merely pending.
pub fn print_held(held: &[Held]) {
    let tampered = |h: &&Held| h.decision.reasons.iter().any(|r| r.word == "bad-signature");
    let (bad, plain): (Vec<&Held>, Vec<&Held>) = held.iter().partition(tampered);
    if !plain.is_empty() {
        println!("暂缓发布（held）{} 篇：", plain.len());
        plain.iter().for_each(|h| print_one(h));
    }
    if !bad.is_empty() {
        println!(
            "⚠ 签名无法验证、可能被篡改（bad-signature）{} 篇，请核查提交记录：",
            bad.len()
        );
        bad.iter().for_each(|h| print_one(h));
    }
}

fn print_one(h: &Held) {
    println!("  {}《{}》", h.file, h.title);
    for r in &h.decision.reasons {
        match r.line {
            Some(l) => println!("    [{}] 第 {l} 行：{}", r.word, r.message),
            None => println!("    [{}] {}", r.word, r.message),
        }
    }
}
