//! `sanshen releases --to DIR`: the kept releases (`ops::releases`), oldest
//! first, with build time, commit, file count and signature; the current one
//! marked.

use std::path::PathBuf;

use crate::gate;
use crate::ops::releases;
use crate::ops::Error;

/// Arguments of `sanshen releases`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 部署目录（sanshen deploy --to 的目录）
    #[arg(long, value_name = "目录")]
    pub to: PathBuf,
}

/// Run `sanshen releases`.
pub fn run(args: &Args) -> Result<(), Error> {
    let root = &args.to;
    let releases::Overview {
        releases: all,
        broken,
        current,
        current_problem,
    } = releases::overview(root)?;
    if let Some(d) = &current_problem {
        crate::diag::eprint_warning(d);
    }
    println!(
        "{} 的已部署版本（共 {} 个，按部署先后）：",
        root.display(),
        all.len()
    );
    for r in &all {
        let m = &r.manifest;
        let mark = if current.as_deref() == Some(r.id.as_str()) {
            "*"
        } else {
            " "
        };
        let commit: String = m
            .commit
            .as_deref()
            .map(|c| c.chars().take(12).collect())
            .unwrap_or_else(|| "（无）".into());
        let signed = match &m.signature {
            Some(s) => gate::parse_public_key(&s.key)
                .map(|k| format!("已签名 {}", gate::fingerprint(&k)))
                .unwrap_or_else(|_| "签名公钥无效".into()),
            None => "未签名".into(),
        };
        let now = if mark == "*" { "  ← 当前" } else { "" };
        println!(
            "{mark} {}  部署于 {}  构建于 {}  提交 {commit}  {} 个文件  {signed}{now}",
            r.id,
            if r.deployed_at.is_empty() {
                "?"
            } else {
                &r.deployed_at
            },
            m.built_at,
            m.files.len()
        );
    }
    if current.is_none() {
        println!("（current 未指向任何版本）");
    }
    for b in &broken {
        println!("! releases/{b}：缺少 manifest.json 或 site/，不是完整的版本");
    }
    Ok(())
}
