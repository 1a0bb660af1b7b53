//! `sanshen unsign ARTICLE --key FILE [--level N]`: take back one's own
//! approval (撤回签署) from the gate block (`ops::unsign`).

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::commands::show;
use crate::diag::{safe, Diagnostic};
use crate::gate::Code;
use crate::ops::unsign::{self, UnsignError, UnsignRequest};
use crate::ops::Error;

/// Arguments of `sanshen unsign`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要撤回签署的文章（content/ 下的 .md 文件）
    #[arg(value_name = "文章")]
    pub article: PathBuf,
    /// 本人的私钥文件或 ssh-agent：只撤回用这把密钥签署的审核记录
    #[arg(long, value_name = "私钥")]
    pub key: String,
    #[command(flatten)]
    pub passphrase: common::PassphraseArgs,
    /// 只撤回这一级的签署；默认撤回本人在该文章上的全部签署
    #[arg(long, value_name = "级别")]
    pub level: Option<u8>,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen unsign`.
pub fn run(args: &Args) -> Result<(), Error> {
    let site = args.site.opts();
    let signer =
        crate::ops::signing::load_signer(&site.root, &args.key, &args.passphrase.source())?;
    let u = unsign::unsign(&UnsignRequest {
        site: &site,
        article: &args.article,
        key: &*signer,
        level: args.level,
    })?;
    println!(
        "已撤回签署：{} 《{}》\n  审核人：{}",
        safe(&u.file),
        safe(&u.title),
        safe(&common::who(&u.reviewer))
    );
    for r in &u.removed {
        let which = if r.current {
            "针对当前版本"
        } else {
            "针对旧版本，已过期"
        };
        println!(
            "  已删除：第{}级审核，{} 签署（{which}）",
            safe(&r.level),
            safe(&r.signed_at)
        );
    }
    if let Some(d) = &u.after {
        if d.publish {
            println!("其余审核仍满足全部要求：下次构建时照常发布。");
        } else {
            let missing = show::missing(&d.verdict);
            if !missing.is_empty() {
                println!("现在暂缓发布，尚缺：{}", missing.join("、"));
            }
            for r in d.reasons.iter().filter(|r| r.word != Code::Pending) {
                println!("  - {}", safe(&r.message));
            }
        }
    }
    println!("如需改签其他级别：sanshen sign 文章 --key 私钥 --level N");
    Ok(())
}

impl From<UnsignError> for Error {
    fn from(e: UnsignError) -> Self {
        match e {
            UnsignError::Signing(e) => e.into(),
            UnsignError::GateUnreadable(d) => Error::after("未撤回：文章的审核区无法读取", d),
            UnsignError::NothingToRemove { name, level } => Error::refused(
                "未撤回",
                match level {
                    Some(l) => format!("这篇文章中没有{name}用这把密钥签署的第{l}级审核"),
                    None => format!("这篇文章中没有{name}用这把密钥签署的审核"),
                },
                "只能撤回本人的签署；用 sanshen status 文章 查看已有的审核记录。",
            ),
            UnsignError::Read { file, source } => {
                Diagnostic::new(&file, format!("无法读取文件：{source}")).into()
            }
            UnsignError::Gate(d) => d.into(),
            UnsignError::Write { file, source } => {
                Diagnostic::new(&file, format!("无法写入文件：{source}")).into()
            }
        }
    }
}
