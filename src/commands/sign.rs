//! `sanshen sign ARTICLE --key FILE [--level N] [--yes]`: show the article
//! and its review state, ask for confirmation, and append a signed approval
//! to the gate block (`ops::sign`).

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::commands::common::{self, SiteArgs};
use crate::commands::{pager, show};
use crate::diag::safe;
use crate::gate::level_label;
use crate::gate::Code;
use crate::ops::sign::{self, Plan, SignError, SignRequest, Signed};
use crate::ops::Error;

/// Arguments of `sanshen sign`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要签署的文章（content/ 下的 .md 文件）
    #[arg(value_name = "文章")]
    pub article: PathBuf,
    /// 审核人的私钥文件（PKCS#8 PEM，可有口令，须在站点目录之外、权限 600），或 ssh-agent（用 ssh-agent 中的 Ed25519 密钥签署；有多把时写 ssh-agent:SHA256:…）
    #[arg(long, value_name = "私钥")]
    pub key: String,
    #[command(flatten)]
    pub passphrase: common::PassphraseArgs,
    /// 审核级别 1–4；默认选一项签后其余审核人仍能完成全部审核要求的级别
    #[arg(long, value_name = "级别")]
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
    let mut level = args.level;
    loop {
        let req = SignRequest {
            site: &site,
            article: &args.article,
            key: &*signer,
            level,
        };
        let result = sign::sign(&req, |plan| {
            show_plan(plan);
            if args.yes {
                Ok(true)
            } else {
                common::confirm("确认签署？")
            }
        });
        match result {
            Ok(signed) => {
                print_signed(&signed);
                return Ok(());
            }
            Err(SignError::ChooseLevel { message, options })
                if !args.yes && io::stdin().is_terminal() =>
            {
                println!("{}", safe(&message));
                let levels: Vec<u8> = options.iter().map(|o| o.level).collect();
                match ask_level(&levels) {
                    Some(l) => level = Some(l),
                    None => return Err(SignError::Cancelled.into()),
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Ask which of `levels` to sign; `None` when the answer is not one.
fn ask_level(levels: &[u8]) -> Option<u8> {
    let list: Vec<String> = levels.iter().map(u8::to_string).collect();
    print!("请选择审核级别（{}）：", list.join("/"));
    io::stdout().flush().ok()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line).ok()?;
    let l: u8 = line.trim().parse().ok()?;
    levels.contains(&l).then_some(l)
}

/// The article, its review state and what is about to be signed. Every
/// piece of article text is escaped (control characters, ANSI escapes,
/// bidi overrides) so that an article cannot spoof the prompt.
fn show_plan(plan: &Plan) {
    let s = plan.signing;
    let v = &plan.view;
    let mut body = String::from("======== 正文（将发布的文字，Markdown）========\n");
    body.push_str(&safe(&v.body));
    if !body.ends_with('\n') {
        body.push('\n');
    }
    body.push_str("======== 正文结束 ========\n");
    pager::page(&body);
    print!(
        "{}",
        show::describe(&s.judged.content, s.article(), s.decision())
    );
    println!();
    if v.externals.is_empty() {
        println!("外部链接与资源：无");
    } else {
        println!("外部链接与资源（其他网站）：");
        for e in &v.externals {
            let kind = if e.resource {
                "页面加载的资源"
            } else {
                "链接"
            };
            let flag = if e.non_government {
                "，非政府网站"
            } else {
                ""
            };
            println!("  {}（{kind}{flag}）：{}", safe(&e.host), safe(&e.url));
        }
    }
    if v.attachments.is_empty() {
        println!("图片与附件（assets）：无");
    } else {
        println!("签署范围包括正文引用的图片和附件（assets）：");
        for a in &v.attachments {
            let size = a
                .size
                .map_or("大小未知".to_string(), |n| format!("{n} 字节"));
            let hash = a.sha256.as_deref().unwrap_or("无法读取");
            println!("  content/{}　{size}　SHA-256 {hash}", safe(&a.path));
        }
    }
    if v.findings.is_empty() {
        println!("内容检查：未发现问题");
    } else {
        println!("内容检查发现：");
        for f in &v.findings {
            println!("  - {}", safe(f));
        }
    }
    if plan.digest != s.decision().verdict.digest {
        println!("将签署的摘要（digest，含以上文件）：{}", plan.digest);
    }
    let class = show::class_label(s.decision().verdict.class.as_deref());
    println!(
        "签署人：{}（角色 {}），将签署：{class}，{}",
        safe(&common::who(s.reviewer())),
        safe(&s.reviewer().role),
        level_label(plan.level)
    );
    println!(
        "签署表示您已审阅上面摘要所对应的这一版文章（路径 {}），文章再有任何改动，本签署即失效；签错了可用 sanshen unsign 撤回。",
        safe(&s.rel)
    );
}

/// What was written and what is left.
fn print_signed(s: &Signed) {
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
        if s.missing.is_empty() {
            println!("仍暂缓发布：");
        } else {
            println!("仍暂缓发布，尚缺：{}", safe(&s.missing.join("、")));
        }
        for r in d.reasons.iter().filter(|r| r.word != Code::Pending) {
            println!("  - {}", safe(&r.message));
        }
    }
}
