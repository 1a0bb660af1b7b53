//! `sanshen withdraw ARTICLE --key FILE --reason TEXT`: the signed
//! withdrawal (撤稿, spec §4). Any reviewer with a valid key may withdraw;
//! the next build removes the article from every page, feed and site map.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::commands::common::{self, SiteArgs};
use crate::commands::show;
use crate::diag::Diagnostic;
use crate::gate::{self, WithdrawalStatus};
use crate::reviews;

/// Arguments of `sanshen withdraw`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 要撤下的文章（content/ 下的 .md 文件）
    pub article: PathBuf,
    /// 撤稿人的私钥文件（PKCS#8 PEM，须在站点目录之外）
    #[arg(long)]
    pub key: PathBuf,
    /// 撤稿理由（记入信息发布登记表）
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// Run `sanshen withdraw`.
pub fn run(args: &Args) -> ExitCode {
    let root = &args.site.root;
    let reason = args.reason.trim();
    if reason.is_empty() || reason.chars().any(|c| c.is_control()) {
        return common::refuse(
            "拒绝撤稿",
            "撤稿理由不能为空，且只能写一行",
            "例如 --reason \"信息有误，撤销发布\"。",
        );
    }
    let common::Signing {
        rel,
        key,
        judged,
        idx,
    } = match common::signing(
        &args.site,
        &args.article,
        &args.key,
        "无需撤稿（文件名或目录以 . 开头，或不在栏目中）",
    ) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let reviewer = match common::reviewer_of(&judged, &key) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if reviewer.revoked || !reviewer.valid_at(&judged.now) {
        return common::refuse(
            "拒绝撤稿",
            &format!(
                "{}的密钥已吊销或不在有效期内（valid_from / valid_until），不能撤稿",
                reviewer.name
            ),
            "请由其他持有有效密钥的审核人撤稿，或请管理员更新审核人名单。",
        );
    }
    let article = &judged.content.articles[idx];
    let verdict = &judged.decisions[idx].verdict;
    if let Some(e) = &verdict.gate_error {
        eprintln!("拒绝撤稿：文章的审核区无法读取");
        return common::fail(reviews::diagnostic(e.clone()));
    }
    if let Some(w) = &verdict.withdrawal {
        if w.status == WithdrawalStatus::Valid {
            return common::refuse(
                "无需撤稿",
                &format!("文章已撤稿：{}", show::withdrawal_line(w)),
                "",
            );
        }
        eprintln!(
            "注意：原有撤稿记录无效（{}），将以新的签名撤稿记录替换。",
            w.detail
        );
    }
    let path = root.join(&article.file);
    let raw = match fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return common::fail(Diagnostic::new(&article.file, format!("无法读取文件：{e}")))
        }
    };
    let at = common::timestamp(&judged.now);
    let signature = gate::sign_withdrawal(&key, &rel, &reviewer.id, &at, reason);
    let new = match gate::set_withdrawal(&article.file, &raw, &reviewer.id, &at, reason, &signature)
    {
        Ok(b) => b,
        Err(e) => return common::fail(reviews::diagnostic(e)),
    };
    if let Err(e) = common::write_atomic(&path, &new) {
        return common::fail(Diagnostic::new(&article.file, format!("无法写入文件：{e}")));
    }
    println!(
        "已撤稿：{} 《{}》\n  撤稿人：{}\n  时间：{at}\n  理由：{reason}",
        article.file,
        article.title,
        common::who(reviewer)
    );
    println!("下次构建时，该文章将从网站的文章页、栏目列表、首页、订阅（feed）和网站地图中移除；撤稿记录保留在文章文件中，并列入信息发布登记表。");
    ExitCode::SUCCESS
}
