//! `sanshen log verify (--dir DIR | --url BASE) --key ed25519:…`: the
//! publication log checked by `ops::logverify`, each step printed. Exit
//! status 1 when the log or the live site fails; possible back-dating is
//! reported but does not fail the check.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::ops::logverify::{self, Report, Request};
use crate::ops::{fetch, Error};
use crate::publog::backdate::Backdated;

/// `sanshen log …`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Action {
    /// 验证发布日志：哈希链、签名检查点、审核签名，并核对网站文件与最新条目的清单；列出可能倒填日期的文章
    Verify(VerifyArgs),
}

/// Arguments of `sanshen log verify`.
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// 部署目录（sanshen deploy --to 的目录，日志在其中的 log/）
    #[arg(long, value_name = "目录")]
    pub dir: Option<PathBuf>,
    /// 网站网址（日志在 <网址>/.well-known/sanshen/）
    #[arg(long, value_name = "网址")]
    pub url: Option<String>,
    /// 部署公钥 ed25519:…（签署日志检查点的密钥）
    #[arg(long, value_name = "公钥")]
    pub key: String,
    /// 发稿日期早于首次发布超过多少天时提示可能倒填日期
    #[arg(long, default_value_t = 7, value_name = "天数")]
    pub tolerance_days: u32,
    /// 上次检查时保存的检查点文件：核对日志只追加、历史未被改写
    #[arg(long, value_name = "文件")]
    pub previous: Option<PathBuf>,
    /// 通过网址检查时每个请求的超时（秒）
    #[arg(long, default_value_t = 10, value_name = "秒数")]
    pub timeout: u64,
}

/// Run `sanshen log …`.
pub fn run(action: &Action) -> Result<(), Error> {
    match action {
        Action::Verify(args) => verify(args),
    }
}

fn verify(args: &VerifyArgs) -> Result<(), Error> {
    let req = Request {
        dir: args.dir.clone(),
        url: args.url.clone(),
        key: args.key.clone(),
        tolerance_days: i64::from(args.tolerance_days),
        previous: args.previous.clone(),
        http: fetch::Options {
            timeout: Duration::from_secs(args.timeout.max(1)),
            deadline: Some(Instant::now() + Duration::from_secs(600)),
            ..fetch::Options::default()
        },
    };
    let r = logverify::verify(&req).map_err(|e| match e {
        Error::Diagnostics { diagnostics, .. } => Error::then(
            diagnostics,
            "结论：发布日志验证失败。日志只能由 sanshen deploy 追加；请保全现场，按应急预案报告。",
        ),
        other => other,
    })?;
    print(&r, args.tolerance_days);
    if r.live.clean() {
        println!("结论：发布日志完整，网站文件与最新条目一致。");
        Ok(())
    } else {
        Err(Error::Unsuccessful(
            "结论：网站文件与发布日志最新条目的清单不一致：网站可能被篡改。恢复：sanshen verify --restore，或 sanshen rollback。".into(),
        ))
    }
}

fn print(r: &Report, tolerance: u32) {
    let cp = &r.checkpoint;
    println!(
        "✓ 发布日志 {}：{} 条，检查点签名有效（部署密钥 {}），根哈希 {}",
        cp.origin,
        cp.size,
        r.fingerprint,
        cp.root_base64()
    );
    println!(
        "✓ 哈希链、默克尔树瓦片与每条记录一致；{} 个审核签名、{} 个撤稿签名有效",
        r.approvals, r.withdrawals
    );
    if let Some(size) = r.previous {
        println!("✓ 与旧检查点（{size} 条）一致：日志只追加，历史未被改写");
    }
    let l = &r.latest;
    println!(
        "最新条目 #{}：版本 {}（{}，首次发布于 {}），{} 篇文章、{} 条撤稿",
        l.index,
        l.release,
        l.action,
        l.first_seen,
        l.facts.articles.len(),
        l.facts.withdrawals.len()
    );
    let f = &r.live;
    let mark = if f.clean() { "✓" } else { "✗" };
    let mut counts = vec![
        format!("被篡改 {} 个", f.modified.len()),
        format!("缺失 {} 个", f.missing.len()),
    ];
    if !r.over_http {
        counts.push(format!("多余 {} 个", f.unexpected.len()));
    }
    counts.push(format!("无法检查 {} 个", f.unchecked.len()));
    println!(
        "{mark} 网站文件（{}）：核对 {} 个文件，{}",
        r.live_title,
        f.checked,
        counts.join("、")
    );
    for (word, list) in [
        ("被篡改", &f.modified),
        ("缺失", &f.missing),
        ("无法检查", &f.unchecked),
    ] {
        list.iter()
            .for_each(|x| println!("    {word}  {}  {}", x.path, x.detail));
    }
    f.unexpected
        .iter()
        .for_each(|x| println!("    多余  {}  {}", x.path, x.detail));
    if !r.backdated.is_empty() {
        println!(
            "注意：{} 篇文章的发稿日期比首次发布早 {tolerance} 天以上，可能倒填日期（伪造发稿日期），请核实：",
            r.backdated.len()
        );
        r.backdated.iter().for_each(line);
    }
    if !r.imported.is_empty() {
        println!("补录（有签名的 backdated 说明）{} 篇：", r.imported.len());
        r.imported.iter().for_each(line);
    }
}

fn line(b: &Backdated) {
    println!(
        "    #{} {} 「{}」 日期 {}，首次发布 {}（早 {} 天）{}",
        b.index,
        b.path,
        b.title,
        b.date,
        b.first_seen,
        b.days,
        b.reason
            .as_deref()
            .map(|r| format!("，说明：{r}"))
            .unwrap_or_default()
    );
}
