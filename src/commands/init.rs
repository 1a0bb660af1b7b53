//! `sanshen init DIR [--site-url URL] [--name 网站名称] [--tool-url URL]`:
//! a new site repository without the tool's source (`ops::init`), with CI
//! pinned to this very binary, and what to do next.

use std::path::PathBuf;

use crate::ops::init::{self, InitRequest};
use crate::ops::Error;

/// Arguments of `sanshen init`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 新网站仓库的目录（不存在时新建；已存在时必须是空目录）
    #[arg(value_name = "目录")]
    pub dir: PathBuf,
    /// 网站正式地址，例如 https://www.example.gov.cn（写入 site.yaml 的 base_url 与 CI 文件的 SITE_URL）
    #[arg(long, value_name = "网址")]
    pub site_url: Option<String>,
    /// 网站名称，例如 某某区人民政府
    #[arg(long, value_name = "名称")]
    pub name: Option<String>,
    /// CI 下载本版本 sanshen 的地址（本单位镜像）；不写时留一个须替换的占位地址
    #[arg(long, value_name = "网址")]
    pub tool_url: Option<String>,
}

/// Run `sanshen init`.
pub fn run(args: &Args) -> Result<(), Error> {
    let c = init::init(&InitRequest {
        dir: &args.dir,
        name: args.name.as_deref(),
        site_url: args.site_url.as_deref(),
        tool_url: args.tool_url.as_deref(),
    })?;
    let v = &c.vars;
    println!(
        "已新建网站仓库：{}（{}，{}）",
        c.dir.display(),
        v.name,
        v.site_url
    );
    for f in &c.files {
        println!("  {f}");
    }
    println!("已执行 git init（分支 main），尚未提交：第一个提交应包含根密钥签署的 reviews/governance.yaml。");
    println!();
    println!(
        "CI 固定使用 sanshen {}：SANSHEN_SHA256 = {}（即正在运行的这个可执行文件）",
        v.version, v.tool_sha256
    );
    if c.tool_url_placeholder {
        println!(
            "  SANSHEN_URL 是占位地址，请在 .gitlab-ci.yml 或 .github/workflows/publish.yml 中换成"
        );
        println!("  本单位镜像中这个文件的下载地址（或重新运行 sanshen init 并加 --tool-url）。");
    } else {
        println!("  SANSHEN_URL = {}", v.tool_url);
    }
    println!();
    println!("下一步：");
    println!("  1. 按 ROOT-CEREMONY.md 在离线电脑上生成根密钥并签署：sanshen governance sign --key 根私钥；");
    println!("  2. git add -A && git commit，推送到本单位的 GitLab 或 GitHub；");
    println!("  3. 按 CI 文件开头的注释配置 SANSHEN_TRUST_ROOT 与部署密钥；");
    println!("  4. 按 reviews/reviewers.yaml 的说明添加审核人，由根密钥持有人重新签署。");
    println!("各角色的日常命令见 README.md。");
    Ok(())
}
