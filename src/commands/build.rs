//! `sanshen build`: run the build (`ops::build`), print warnings, held
//! articles and a summary.

use std::path::Path;

use crate::commands::progress;
use crate::gate::Code;
use crate::ops::build::{self, BuildError, Built};
use crate::ops::keys::Passphrase;
use crate::ops::Error;
use crate::pipeline::{BuildOptions, Held};

/// Run a build and report it; `sign_manifest` is the deploy key
/// (`--sign-manifest`), loaded before anything is built.
pub fn run(
    opts: &BuildOptions,
    quiet: bool,
    timings: bool,
    sign_manifest: Option<&Path>,
    passphrase: &Passphrase,
    log: Option<&str>,
) -> Result<(), Error> {
    let mut opts = opts.clone();
    if let Some(log) = log {
        opts.log = Some(crate::ops::logged::view(log)?);
    }
    let opts = &opts;
    let bar = progress::Bar::for_build();
    let result = build::build(
        opts,
        sign_manifest,
        passphrase,
        bar.as_ref().map(|b| b as _),
    );
    if let Some(b) = &bar {
        b.finish();
    }
    let Built { report, manifest } = match result {
        Ok(b) => b,
        Err(BuildError::Key(d)) => return Err(d.into()),
        Err(BuildError::Invalid(ds)) => {
            let n = ds.0.len();
            return Err(Error::then(
                ds,
                format!("构建失败：发现 {n} 个问题，未写出任何文件（原有输出目录保持不变）。"),
            ));
        }
        Err(BuildError::Held(held)) => {
            println!(
                "发现篡改或损坏迹象（bad-signature / unreadable）{} 篇：",
                held.len()
            );
            held.iter().for_each(print_one);
            return Err(Error::Text(format!(
                "构建失败（--strict）：{} 篇文章有签名无法验证或无法读取的记录，未写出任何文件。请核查这些文件的提交记录；待审、草稿、撤稿与定时文章不会使 --strict 失败。\n",
                held.len()
            )));
        }
    };
    if let Some(old) = &report.cleaned.restored {
        eprintln!(
            "上次构建在替换输出目录时中断，已先把旧的网站 {} 放回 {}",
            old.display(),
            opts.out.display()
        );
    }
    if !report.cleaned.removed.is_empty() {
        let shown: Vec<String> = report
            .cleaned
            .removed
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!("已清理上次中断构建留下的临时目录 {}", shown.join("、"));
    }
    if !quiet {
        report.warnings.iter().for_each(crate::diag::eprint_warning);
    }
    print_held(&report.held);
    if timings {
        let t = &report.timings;
        for (i, (name, secs)) in t.phases.iter().enumerate() {
            match t.peaks.get(i).copied().flatten() {
                Some(mib) => println!("  {secs:>7.3} 秒  {name}（内存峰值 {mib} MiB）"),
                None => println!("  {secs:>7.3} 秒  {name}"),
            }
        }
    }
    let m = manifest?;
    let signed = match &m.signed_by {
        Some(f) => format!("，已用部署密钥签名（{f}）"),
        None => "，未签名".to_string(),
    };
    println!(
        "文件清单：{}（{} 个文件{signed}）",
        m.path.display(),
        m.files
    );
    if let Some(c) = &report.commit {
        println!("构建来源：git 提交 {c}（只读已提交的内容）");
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
    Ok(())
}

/// Print held articles: possible tampering (a signature that does not
/// verify) apart from articles that are merely pending.
pub fn print_held(held: &[Held]) {
    let forged = |h: &&Held| {
        h.decision
            .signs_of_tampering()
            .contains(&Code::BadSignature)
    };
    let (held, window): (Vec<&Held>, Vec<&Held>) =
        held.iter().partition(|h| h.decision.held_for_review());
    let (bad, plain): (Vec<&Held>, Vec<&Held>) = held.into_iter().partition(forged);
    if !plain.is_empty() {
        let broken = plain.iter().filter(|h| h.decision.tampered()).count();
        if broken == 0 {
            println!(
                "暂缓发布（held）{} 篇（待审、草稿、撤稿等，不影响 --strict）：",
                plain.len()
            );
        } else {
            println!(
                "暂缓发布（held）{} 篇（其中 {broken} 篇无法读取（unreadable），请按提示修改；--strict 视为失败）：",
                plain.len()
            );
        }
        plain.iter().for_each(|h| print_one(h));
    }
    if !bad.is_empty() {
        println!(
            "⚠ 签名无法验证、可能被篡改（bad-signature）{} 篇，请核查提交记录：",
            bad.len()
        );
        bad.iter().for_each(|h| print_one(h));
    }
    if !window.is_empty() {
        println!(
            "定时发布或已到期下线（scheduled / expired）{} 篇，本次不发布：",
            window.len()
        );
        window.iter().for_each(|h| print_one(h));
    }
}

fn print_one(h: &Held) {
    let safe = crate::diag::safe;
    println!("  {}《{}》", safe(&h.file), safe(&h.title));
    for r in &h.decision.reasons {
        match r.line {
            Some(l) => println!("    [{}] 第 {l} 行：{}", r.word, safe(&r.message)),
            None => println!("    [{}] {}", r.word, safe(&r.message)),
        }
    }
}
