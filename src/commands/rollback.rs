//! `sanshen rollback --to DIR [--release ID]`: switch `DIR/current` back
//! to the previous release (or the one named), atomically, after checking
//! that release's files against its manifest.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::commands::common;
use crate::ops::{releases, verify};

/// Arguments of `sanshen rollback`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 部署目录（sanshen deploy --to 的目录）
    #[arg(long)]
    pub to: PathBuf,
    /// 切换到的版本（sanshen releases 列出的版本号）；默认为当前版本的前一个
    #[arg(long)]
    pub release: Option<String>,
}

/// Run `sanshen rollback`.
pub fn run(args: &Args) -> ExitCode {
    let root = &args.to;
    let shown = root.display().to_string();
    let _lock = match releases::lock(root) {
        Ok(l) => l,
        Err(d) => return common::fail(d),
    };
    let (all, _) = releases::list(root);
    if all.is_empty() {
        return common::refuse(
            "无法回滚",
            &format!("{shown} 下没有已部署的版本"),
            "检查 --to 是否为 sanshen deploy --to 使用的目录。",
        );
    }
    let current = match releases::current(root) {
        Ok(c) => c,
        Err(d) => return common::fail(d),
    };
    let target = match (&args.release, &current) {
        (Some(id), _) => match all.iter().find(|r| &r.id == id) {
            Some(r) => r,
            None => {
                let ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
                return common::refuse(
                    "无法回滚",
                    &format!("没有版本 {id}"),
                    &format!(
                        "可用的版本：{}（sanshen releases --to {shown}）",
                        ids.join("、")
                    ),
                );
            }
        },
        (None, Some(cur)) => match all
            .iter()
            .position(|r| &r.id == cur)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| all.get(i))
        {
            Some(r) => r,
            None => {
                return common::refuse(
                    "无法回滚",
                    &format!("当前版本 {cur} 之前没有更早部署的版本"),
                    &format!("用 --release 指定版本；sanshen releases --to {shown} 列出全部版本。"),
                )
            }
        },
        (None, None) => {
            return common::refuse(
                "无法回滚",
                "current 未指向任何版本，不知道“前一个”是哪个",
                &format!("用 --release 指定版本；sanshen releases --to {shown} 列出全部版本。"),
            )
        }
    };
    if current.as_deref() == Some(target.id.as_str()) {
        println!("版本 {} 已是当前版本，未做切换。", target.id);
        return ExitCode::SUCCESS;
    }
    let site = releases::site_dir(root, &target.id);
    match verify::check_dir(&site, &target.manifest) {
        Ok(f) if f.clean() => {}
        Ok(f) => {
            let n = f.modified.len() + f.missing.len() + f.unexpected.len() + f.unchecked.len();
            return common::refuse(
                "拒绝回滚",
                &format!(
                    "版本 {} 的文件与它的清单不符（{n} 处差异），不能切换上线",
                    target.id
                ),
                &format!(
                    "先恢复该版本：sanshen verify --manifest {} --dir {} --restore --from {shown}",
                    releases::manifest_path(root, &target.id).display(),
                    site.display()
                ),
            );
        }
        Err(d) => return common::fail(d),
    }
    if let Err(e) = releases::switch(root, &target.id) {
        return common::refuse(
            "回滚失败",
            &format!("无法切换 {shown}/current：{e}"),
            "检查部署目录的写权限；网站仍在提供原来的版本。",
        );
    }
    let from = current.as_deref().unwrap_or("（无）");
    let commit = target.manifest.commit.as_deref().unwrap_or("（无）");
    println!(
        "已回滚：current 从 {from} 切换到 {}（提交 {commit}，构建于 {}，{} 个文件）",
        target.id,
        target.manifest.built_at,
        target.manifest.files.len()
    );
    println!("已核对该版本的全部文件与清单一致。");
    if let Some(from) = &current {
        println!("撤销回滚：sanshen rollback --to {shown} --release {from}");
    }
    ExitCode::SUCCESS
}
