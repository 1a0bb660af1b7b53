//! `sanshen withdraw ARTICLE --key FILE --reason TEXT`: the signed
//! withdrawal (撤稿, spec §4), by `ops::withdraw`.

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::commands::show;
use crate::ops::withdraw::{self, WithdrawError, WithdrawRequest};
use crate::ops::Error;

/// Arguments of `sanshen withdraw`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要撤下的文章（content/ 下的 .md 文件）
    #[arg(value_name = "文章")]
    pub article: PathBuf,
    /// 撤稿人的私钥文件（PKCS#8 PEM，可有口令，须在站点目录之外、权限 600），或 ssh-agent（用 ssh-agent 中的 Ed25519 密钥签署；有多把时写 ssh-agent:SHA256:…）
    #[arg(long, value_name = "私钥")]
    pub key: String,
    #[command(flatten)]
    pub passphrase: common::PassphraseArgs,
    /// 撤稿理由（记入信息发布登记表）
    #[arg(long, value_name = "理由")]
    pub reason: String,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen withdraw`.
pub fn run(args: &Args) -> Result<(), Error> {
    let site = args.site.opts();
    let signer =
        crate::ops::signing::load_signer(&site.root, &args.key, &args.passphrase.source())?;
    let w = withdraw::withdraw(&WithdrawRequest {
        site: &site,
        article: &args.article,
        key: &*signer,
        reason: &args.reason,
    })?;
    if let Some(why) = &w.replaced_invalid {
        eprintln!(
            "注意：原有撤稿记录无效（{}），将以新的签名撤稿记录替换。",
            crate::diag::safe(why)
        );
    }
    let safe = crate::diag::safe;
    println!(
        "已撤稿：{} 《{}》\n  撤稿人：{}\n  时间：{}\n  理由：{}",
        safe(&w.file),
        safe(&w.title),
        safe(&common::who(&w.reviewer)),
        w.at,
        safe(&w.reason)
    );
    println!("下次构建时，该文章将从网站的文章页、栏目列表、首页、订阅（feed）和网站地图中移除；撤稿记录保留在文章文件中，并列入信息发布登记表。");
    Ok(())
}

impl From<WithdrawError> for Error {
    fn from(e: WithdrawError) -> Self {
        use crate::diag::Diagnostic;
        match e {
            WithdrawError::BadReason => Error::refused(
                "拒绝撤稿",
                "撤稿理由不能为空，且只能写一行",
                "例如 --reason \"信息有误，撤销发布\"。",
            ),
            WithdrawError::Signing(e) => e.into(),
            WithdrawError::KeyNotValid { name } => Error::refused(
                "拒绝撤稿",
                format!("{name}的密钥已吊销或不在有效期内（valid_from / valid_until），不能撤稿"),
                "请由其他持有有效密钥的审核人撤稿，或请管理员更新审核人名单。",
            ),
            WithdrawError::GateUnreadable(d) => Error::after("拒绝撤稿：文章的审核区无法读取", d),
            WithdrawError::AlreadyWithdrawn(w) => Error::refused(
                "无需撤稿",
                format!("文章已撤稿：{}", show::withdrawal_line(&w)),
                "",
            ),
            WithdrawError::Read { file, source } => {
                Diagnostic::new(&file, format!("无法读取文件：{source}")).into()
            }
            WithdrawError::Gate(d) => d.into(),
            WithdrawError::Write { file, source } => {
                Diagnostic::new(&file, format!("无法写入文件：{source}")).into()
            }
        }
    }
}
