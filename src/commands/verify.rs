//! `sanshen verify`: compare a deployed tree (`--dir`) or the live site
//! (`--url`) with the build's manifest (`ops::verify`) and print each step;
//! `--restore` puts the released bytes back (R17). Exit status 1 whenever
//! anything differed, even when restored, so that a cron job alerts the
//! people on duty.

use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::ops::verify::{self, Event, Findings, Outcome, SignatureState, VerifyRequest};
use crate::ops::{fetch, Error};

/// Arguments of `sanshen verify`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 文件清单（构建时写在输出目录旁的 <输出目录>.manifest.json）；--dir 是 sanshen deploy 部署的目录时可省略
    #[arg(long, value_name = "文件")]
    pub manifest: Option<PathBuf>,
    /// 要检查的网站目录（服务器上正在提供服务的目录，例如 /srv/www/site/current）
    #[arg(long, value_name = "目录")]
    pub dir: Option<PathBuf>,
    /// 要检查的网站网址（逐个下载清单中的文件核对）
    #[arg(long, value_name = "网址")]
    pub url: Option<String>,
    /// 部署公钥 ed25519:…：清单必须由它签名
    #[arg(long, value_name = "公钥")]
    pub deploy_key: Option<String>,
    /// 恢复：改回被篡改的文件、补回缺失的文件、删除多余的文件（需要 --dir）
    #[arg(long)]
    pub restore: bool,
    /// 恢复来源：部署目录或构建输出目录；默认为 --dir 所属部署目录的备份库
    #[arg(long, value_name = "目录")]
    pub from: Option<PathBuf>,
    /// 通过网址检查时的并发数
    #[arg(long, default_value_t = 8, value_name = "个数")]
    pub concurrency: usize,
    /// 通过网址检查时每个请求的超时（秒）
    #[arg(long, default_value_t = 10, value_name = "秒数")]
    pub timeout: u64,
    /// 通过网址检查的总时限（秒）：到时不再发出请求，其余文件记为“无法检查（超过总时限）”
    #[arg(long, default_value_t = 300, value_name = "秒数")]
    pub deadline: u64,
}

/// Run `sanshen verify`.
pub fn run(args: &Args) -> Result<(), Error> {
    let req = VerifyRequest {
        manifest: args.manifest.clone(),
        dir: args.dir.clone(),
        url: args.url.clone(),
        deploy_key: args.deploy_key.clone(),
        restore: args.restore,
        from: args.from.clone(),
        http: fetch::Options {
            concurrency: args.concurrency.max(1),
            timeout: Duration::from_secs(args.timeout.max(1)),
            deadline: Some(Instant::now() + Duration::from_secs(args.deadline.max(1))),
        },
    };
    let over_deadline = Cell::new(0);
    let other_problem = Cell::new(false);
    let outcome = verify::verify(&req, &mut |e| {
        if let Event::Findings { findings: f, .. } = &e {
            let late = count_over_deadline(f);
            over_deadline.set(over_deadline.get().max(late));
            let found = !(f.modified.is_empty() && f.missing.is_empty() && f.unexpected.is_empty());
            other_problem.set(other_problem.get() || found || f.unchecked.len() > late);
        }
        print(e)
    })?;
    if over_deadline.get() > 0 {
        println!(
            "注意：超过总时限（--deadline {} 秒），{} 个文件无法检查（超过总时限）。网站响应太慢时可加大 --deadline 或 --concurrency，或在访问量低时再检查。",
            args.deadline.max(1),
            over_deadline.get()
        );
    }
    if outcome == Outcome::Differed && over_deadline.get() > 0 && !other_problem.get() {
        return Err(Error::Unsuccessful(
            "结论：检查未完成（超过总时限）。已核对的文件与清单一致，其余文件未核对，不能断定网站未被篡改。".into(),
        ));
    }
    let last = match outcome {
        Outcome::Clean => {
            println!("结论：与清单一致，未发现篡改。");
            return Ok(());
        }
        Outcome::Restored => "结论：发现篡改，已全部恢复。请按应急预案报告，保留服务器日志并排查入侵原因。",
        Outcome::Differed => "结论：发现差异，网站与发布的版本不一致。恢复：加 --restore（需要 --dir）；或 sanshen rollback 切换版本。",
        Outcome::ServedDiffers => "结论：服务器目录与清单一致，无需恢复；但网站返回的内容不同，请排查缓存、反向代理或网站服务器配置。",
    };
    Err(Error::Unsuccessful(last.into()))
}

fn print(e: Event) {
    match e {
        Event::Manifest { shown, manifest: m } => println!(
            "按清单 {shown} 检查：{} 个文件，构建于 {}，提交 {}",
            m.files.len(),
            m.built_at,
            m.commit.as_deref().unwrap_or("（无）")
        ),
        Event::Signature(SignatureState::Unchecked { key }) => {
            println!("清单签名：已签名（{key}），但未用 --deploy-key 验证")
        }
        Event::Signature(SignatureState::Unsigned) => println!(
            "清单签名：未签名（建议构建时用 --sign-manifest 签名，检查时用 --deploy-key 验证）"
        ),
        Event::Signature(SignatureState::Valid { fingerprint }) => {
            println!("清单签名：有效（部署密钥 {fingerprint}）")
        }
        Event::Findings {
            title,
            findings,
            over_http,
        } => print_findings(&title, findings, over_http),
        Event::OnlyOverHttp(paths) => println!(
            "注意：{} 个文件在服务器目录中正确，但网站返回的内容不同（{}）：可能是缓存、反向代理或网站服务器配置被改动，恢复文件无法解决，请排查服务器。",
            paths.len(),
            paths.join("、")
        ),
        Event::Restored { source, done: d } => {
            println!(
                "恢复（来源：{}）：已恢复 {} 个被篡改文件、补回 {} 个缺失文件、删除 {} 个多余文件",
                source.describe(),
                d.restored.len(),
                d.added.len(),
                d.removed.len()
            );
            d.restored.iter().for_each(|p| println!("    已恢复  {p}"));
            d.added.iter().for_each(|p| println!("    已补回  {p}"));
            d.removed.iter().for_each(|p| println!("    已删除  {p}"));
            for f in &d.failed {
                println!("    未能处理  {}  {}", f.path, f.detail);
            }
        }
        Event::RecheckClean => println!("复查：已与清单一致。"),
    }
}

fn count_over_deadline(f: &Findings) -> usize {
    f.unchecked
        .iter()
        .filter(|x| x.detail == fetch::OVER_DEADLINE)
        .count()
}

fn print_findings(title: &str, f: &Findings, over_http: bool) {
    let mut counts = vec![
        format!("被篡改 {} 个", f.modified.len()),
        format!("缺失 {} 个", f.missing.len()),
    ];
    if !over_http {
        counts.push(format!("多余 {} 个", f.unexpected.len()));
    }
    let late = count_over_deadline(f);
    if f.unchecked.len() > late {
        counts.push(format!("无法检查 {} 个", f.unchecked.len() - late));
    }
    if late > 0 {
        counts.push(format!("无法检查（超过总时限）{late} 个"));
    }
    let mark = if f.clean() { "✓" } else { "✗" };
    println!(
        "{mark} {title}：核对 {} 个文件，{}",
        f.checked,
        counts.join("、")
    );
    let rows = [("被篡改    ", &f.modified), ("缺失      ", &f.missing)];
    for (word, list) in rows {
        for x in list {
            println!("    {word}{}  {}", x.path, x.detail);
        }
    }
    for x in &f.unexpected {
        println!("    多余      {}  {}", x.path, x.detail);
    }
    for x in f
        .unchecked
        .iter()
        .filter(|x| x.detail != fetch::OVER_DEADLINE)
    {
        println!("    无法检查  {}  {}", x.path, x.detail);
    }
    if late > 0 {
        println!(
            "    无法检查（超过总时限）{late} 个文件：到达总时限后不再发出请求，这些文件未核对"
        );
    }
    if over_http {
        println!("    （通过网址无法发现被植入的新文件；请同时用 --dir 检查服务器上的网站目录）");
    }
}
