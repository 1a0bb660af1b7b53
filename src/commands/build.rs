//! `sanshen build`: run the pipeline, print warnings, held articles and a
//! summary.

use std::path::Path;

use ed25519_dalek::SigningKey;

use crate::commands::{common, progress};
use crate::diag::Diagnostic;
use crate::gate;
use crate::ops::manifest::{self, Manifest};
use crate::ops::Error;
use crate::pipeline::{self, BuildOptions, Failure, Held};

/// Run a build and report it; `sign_manifest` is the deploy key
/// (`--sign-manifest`), loaded before anything is built.
pub fn run(
    opts: &BuildOptions,
    quiet: bool,
    timings: bool,
    sign_manifest: Option<&Path>,
) -> Result<(), Error> {
    let key = match sign_manifest.map(|p| common::load_key(&opts.root, p)) {
        Some(Err(d)) => return Err(common::fail(d)),
        Some(Ok(k)) => Some(k),
        None => None,
    };
    let bar = progress::Bar::for_build();
    let result = match &bar {
        Some(b) => pipeline::build_with(opts, b),
        None => pipeline::build(opts),
    };
    if let Some(b) = &bar {
        b.finish();
    }
    match result {
        Ok(mut report) => {
            if !quiet {
                report.warnings.iter().for_each(crate::diag::eprint_warning);
            }
            print_held(&report.held);
            if timings {
                for (name, secs) in &report.timings.phases {
                    println!("  {secs:>7.3} 秒  {name}");
                }
            }
            if let Err(d) = write_manifest(&opts.out, &mut report.manifest, key.as_ref()) {
                return Err(common::fail(d));
            }
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
        Err(Failure::Invalid(ds)) => {
            crate::diag::eprint(&ds, crate::diag::Kind::Error);
            eprintln!(
                "构建失败：发现 {} 个问题，未写出任何文件（原有输出目录保持不变）。",
                ds.0.len()
            );
            Err(Error::Unsuccessful(String::new()))
        }
        Err(Failure::Held(held)) => {
            print_held(&held);
            eprintln!(
                "构建失败（--strict）：{} 篇文章被暂缓发布，未写出任何文件。",
                held.iter().filter(|h| h.decision.held_for_review()).count()
            );
            Err(Error::Unsuccessful(String::new()))
        }
    }
}

/// Sign (when a key is given) and write `<out>.manifest.json` beside the
/// output, atomically, after the output was swapped in.
fn write_manifest(
    out: &Path,
    m: &mut Manifest,
    key: Option<&SigningKey>,
) -> Result<(), Diagnostic> {
    let path = manifest::path_for(out);
    if let Some(k) = key {
        m.sign(k);
    }
    common::write_atomic(&path, &m.to_json()).map_err(|e| {
        Diagnostic::new(path.display().to_string(), format!("无法写入文件清单：{e}")).help(
            "网站已构建，但清单未更新，部署会因清单与文件不符而拒绝；检查目录权限后重新构建。",
        )
    })?;
    let signed = match key {
        Some(k) => format!(
            "，已用部署密钥签名（{}）",
            gate::fingerprint(&k.verifying_key())
        ),
        None => "，未签名".to_string(),
    };
    println!(
        "文件清单：{}（{} 个文件{signed}）",
        path.display(),
        m.files.len()
    );
    Ok(())
}

/// Print held articles: possible tampering (a signature that does not
/// verify) apart from articles that are merely pending.
pub fn print_held(held: &[Held]) {
    let tampered = |h: &&Held| h.decision.reasons.iter().any(|r| r.word == "bad-signature");
    let (held, window): (Vec<&Held>, Vec<&Held>) =
        held.iter().partition(|h| h.decision.held_for_review());
    let (bad, plain): (Vec<&Held>, Vec<&Held>) = held.into_iter().partition(tampered);
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
    if !window.is_empty() {
        println!(
            "定时发布或已到期下线（scheduled / expired）{} 篇，本次不发布（不影响 --strict）：",
            window.len()
        );
        window.iter().for_each(|h| print_one(h));
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
