//! The `sanshen` command line: argument parsing and dispatch only; each
//! command lives in `sanshen::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use sanshen::commands;
use sanshen::pipeline::BuildOptions;

#[derive(Parser)]
#[command(
    name = "sanshen",
    version,
    about = "三审：政府网站静态站点生成器（内置三级审核发布关口）"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 构建网站（build）：只发布审核通过的文章
    Build {
        /// 站点根目录（含 site.yaml 与 content/）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出目录，默认为站点根目录下的 public/
        #[arg(long)]
        out: Option<PathBuf>,
        /// 有任何文章被暂缓发布时整体失败，不写出任何文件
        #[arg(long)]
        strict: bool,
        /// 信任根公钥 ed25519:…（也可用环境变量 SANSHEN_TRUST_ROOT）
        #[arg(long)]
        trust_root: Option<String>,
        /// 不显示警告
        #[arg(long, short)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            strict,
            trust_root,
            quiet,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let opts = BuildOptions {
                root,
                out,
                strict,
                trust_root,
            };
            commands::build::run(&opts, quiet)
        }
    }
}
