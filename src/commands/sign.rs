//! `sanshen sign ARTICLE --key FILE [--level N] [--yes]`: show the article
//! and its review state, ask for confirmation, and append a signed approval
//! to the gate block (`ops::sign`).

use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::commands::show;
use crate::gate::level_label;
use crate::gate::Code;
use crate::ops::sign::{self, Plan, SignRequest, Signed};
use crate::ops::Error;

/// Arguments of `sanshen sign`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要签署的文章（content/ 下的 .md 文件）
    pub article: PathBuf,
    /// 审核人的私钥文件（PKCS#8 PEM，可有口令，须在站点目录之外、权限 600），或 ssh-agent（用 ssh-agent 中的 Ed25519 密钥签署；有多把时写 ssh-agent:SHA256:…）
    #[arg(long, value_name = "KEY")]
    pub key: String,
    #[command(flatten)]
    pub passphrase: common::PassphraseArgs,
    /// 审核级别 1–4；默认为本人可签的最低一项尚缺级别
    #[arg(long)]
    pub level: Option<u8>,
    /// 不询问，直接签署（用于脚本）
    #[arg(long, short)]
    pub yes: bool,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen sign`.
pub fn run(args: &Args) -> Result<(), Error> {
    let site = args.site.opts();
    let signer =
        crate::ops::signing::load_signer(&site.root, &args.key, &args.passphrase.source())?;
    let req = SignRequest {
        site: &site,
        article: &args.article,
        key: &*signer,
        level: args.level,
    };
    let signed = sign::sign(&req, |plan| {
        show_plan(plan);
        if args.yes {
            Ok(true)
        } else {
            common::confirm("确认签署？")
        }
    })?;
    print_signed(&signed);
    Ok(())
}

/// The article, its review state and what is about to be signed.
fn show_plan(plan: &Plan) {
    let s = plan.signing;
    print!(
        "{}",
        show::describe(&s.judged.content, s.article(), s.decision())
    );
    println!();
    if !plan.assets.is_empty() {
        println!("签署范围包括正文引用的图片和附件（assets）：");
        for a in plan.assets {
            println!("  content/{a}");
        }
    }
    if plan.digest != s.decision().verdict.digest {
        println!("将签署的摘要（digest，含以上文件）：{}", plan.digest);
    }
    println!(
        "签署人：{}，将签署{}",
        crate::diag::safe(&common::who(s.reviewer())),
        level_label(plan.level)
    );
    println!(
        "签署表示您已审阅上面摘要所对应的这一版文章（路径 {}），文章再有任何改动，本签署即失效。",
        s.rel
    );
}

/// What was written and what is left.
fn print_signed(s: &Signed) {
    let safe = crate::diag::safe;
    println!(
        "已签署：{}的{}（{}）已写入 {}",
        safe(&s.reviewer_name),
        level_label(s.level),
        s.signed_at,
        safe(&s.file)
    );
    let Some(d) = &s.after else {
        return;
    };
    if d.publish {
        println!("审核要求已全部满足：下次构建时将发布。");
    } else {
        let missing = show::missing(&d.verdict);
        if missing.is_empty() {
            println!("仍暂缓发布：");
        } else {
            println!("仍暂缓发布，尚缺：{}", missing.join("、"));
        }
        for r in d.reasons.iter().filter(|r| r.word != Code::Pending) {
            println!("  - {}", safe(&r.message));
        }
    }
}
