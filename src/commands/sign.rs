//! `sanshen sign ARTICLE --key FILE [--level N] [--yes]`: show the article
//! and its review state, ask for confirmation, and append a signed approval
//! to the gate block — every other byte of the file stays as it was.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::commands::common::{self, SiteArgs};
use crate::commands::show;
use crate::diag::Diagnostic;
use crate::document;
use crate::gate::{self, level_label};
use crate::publish;
use crate::reviews;

/// Arguments of `sanshen sign`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要签署的文章（content/ 下的 .md 文件）
    pub article: PathBuf,
    /// 审核人的私钥文件（PKCS#8 PEM，须在站点目录之外）
    #[arg(long)]
    pub key: PathBuf,
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
pub fn run(args: &Args) -> ExitCode {
    let root = &args.site.root;
    let common::Signing {
        rel,
        key,
        judged,
        idx,
    } = match common::signing(
        &args.site,
        &args.article,
        &args.key,
        "不能签署（文件名或目录以 . 开头，或不在栏目中）",
    ) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let reviewer = match common::reviewer_of(&judged, &key) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let article = &judged.content.articles[idx];
    let decision = &judged.decisions[idx];
    let input = crate::publish::GateInput::of(&judged.site, article);
    let facts = input.facts(article);
    if let Some(e) = &input.error {
        eprintln!("拒绝签署：文章的 front matter 无法读取");
        return common::fail(reviews::diagnostic(e.clone()));
    }
    if let Some(e) = &decision.verdict.gate_error {
        eprintln!("拒绝签署：文章的审核区无法读取");
        return common::fail(reviews::diagnostic(e.clone()));
    }
    let level = match gate::choose_level(
        &judged.reviews,
        &facts,
        &decision.verdict,
        &reviewer.id,
        args.level,
        judged.now,
    ) {
        Ok(l) => l,
        Err(r) => return common::refuse("拒绝签署", &r.message, &r.help),
    };
    print!("{}", show::describe(&judged.content, article, decision));
    println!();
    println!(
        "签署人：{}，将签署{}",
        common::who(reviewer),
        level_label(level)
    );
    println!("签署表示您已审阅上面摘要所对应的这一版文章（路径 {rel}），文章再有任何改动，本签署即失效。");
    if !args.yes {
        match common::confirm("确认签署？") {
            Ok(true) => {}
            Ok(false) => {
                println!("已取消，文章未改动。");
                return ExitCode::FAILURE;
            }
            Err(m) => return common::refuse("未签署", &m, ""),
        }
    }
    let path = root.join(&article.file);
    let raw = match fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return common::fail(Diagnostic::new(&article.file, format!("无法读取文件：{e}")))
        }
    };
    let digest = decision.verdict.digest.clone();
    if document::parse(&raw).map(|d| d.digest()).ok().as_deref() != Some(digest.as_str()) {
        return common::refuse(
            "拒绝签署",
            "文章在显示之后被修改了，签署的不是您看到的版本",
            "请重新运行 sanshen sign。",
        );
    }
    let signed_at = common::timestamp(&judged.now);
    let signature = gate::sign_approval(&key, &rel, &digest, level, &reviewer.id, &signed_at);
    let new = match gate::add_approval(
        &article.file,
        &raw,
        &reviewer.id,
        level,
        &signed_at,
        &digest,
        &signature,
    ) {
        Ok(b) => b,
        Err(e) => return common::fail(reviews::diagnostic(e)),
    };
    if let Err(e) = common::write_atomic(&path, &new) {
        return common::fail(Diagnostic::new(&article.file, format!("无法写入文件：{e}")));
    }
    println!(
        "已签署：{}的{}（{signed_at}）已写入 {}",
        reviewer.name,
        level_label(level),
        article.file
    );
    report_after(&judged, idx, &new);
    ExitCode::SUCCESS
}

/// Judge the article again with the new gate block and say what is left.
fn report_after(judged: &crate::pipeline::Judged, idx: usize, new: &[u8]) {
    let mut article = judged.content.articles[idx].clone();
    let Ok(doc) = document::parse(new) else {
        return;
    };
    article.doc = doc;
    let d = publish::judge(
        &judged.site,
        &judged.reviews,
        &judged.rules,
        &article,
        judged.now,
    );
    if d.publish {
        println!("审核要求已全部满足：下次构建时将发布。");
    } else {
        let missing = show::missing(&d.verdict);
        if missing.is_empty() {
            println!("仍暂缓发布：");
        } else {
            println!("仍暂缓发布，尚缺：{}", missing.join("、"));
        }
        for r in d.reasons.iter().filter(|r| r.word != "pending") {
            println!("  - {}", r.message);
        }
    }
}
