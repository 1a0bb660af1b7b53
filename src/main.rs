//! The `sanshen` command line: argument parsing and dispatch only; each
//! command lives in `sanshen::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
        #[arg(long, default_value = ".", value_name = "目录")]
        root: PathBuf,
        /// 输出目录，默认为站点根目录下的 public/
        #[arg(long, value_name = "目录")]
        out: Option<PathBuf>,
        /// 发现篡改或损坏迹象（签名无效、文件无法读取、信任根取自仓库）时整体失败，不写出任何文件；待审、草稿、撤稿、定时等只列出
        #[arg(long)]
        strict: bool,
        /// 信任根公钥 ed25519:…（也可用环境变量 SANSHEN_TRUST_ROOT；给出但为空或无效时报错）
        #[arg(long, value_name = "公钥")]
        trust_root: Option<String>,
        /// 判定时间（RFC 3339，例如 2026-11-21T12:00:00+08:00）：按此时间判断定时发布与到期；默认系统时间（SOURCE_DATE_EPOCH 只决定写入输出的时间）
        #[arg(long, value_name = "时间")]
        now: Option<String>,
        /// 从 git 版本构建（提交号、分支或标签，CI 中用 HEAD）：只读已提交的内容，不读工作目录
        #[arg(long, value_name = "版本")]
        rev: Option<String>,
        /// 不显示警告
        #[arg(long, short)]
        quiet: bool,
        /// 显示各阶段用时
        #[arg(long)]
        timings: bool,
        /// 用部署私钥（PKCS#8 PEM，须在站点目录之外）签名文件清单
        #[arg(long, value_name = "私钥文件")]
        sign_manifest: Option<PathBuf>,
        /// 部署私钥的口令文件（第一行为口令，权限 600）；不给时若私钥有口令则在终端询问
        #[arg(long, value_name = "文件")]
        passphrase_file: Option<PathBuf>,
        /// 对照发布日志判定（部署目录、日志目录或网站网址）：撤稿不可撤销、不得重放旧版本、审核人名单不得回退；违反的文章暂缓发布
        #[arg(long, value_name = "目录或网址")]
        log: Option<String>,
        /// 不用构建缓存（输出目录旁的 .sanshen.cache/：已验证的签名、未变的输出文件），全部重新验证和写出；结果与用缓存时相同
        #[arg(long)]
        no_cache: bool,
    },
    /// 编辑预览（serve）：在本机浏览全站（含未发布文章及原因），修改后自动刷新；不写 public/
    Serve(commands::serve::Args),
    /// 新建网站仓库（init）：站点配置、栏目、审核名单模板、根密钥仪式说明、固定工具版本的 CI 文件
    Init(commands::init::Args),
    /// 新建文章（new）：sanshen new 栏目/标题 --class A|B|C，生成 front matter 与网址名
    New(commands::new::Args),
    /// 生成审核人或根密钥（keygen）：私钥写入文件，打印公钥与名单条目
    Keygen(commands::keygen::Args),
    /// 签署审核（sign）：确认后把本人的签名审核写入文章
    Sign(commands::sign::Args),
    /// 审核状态（status）：每篇文章的审核要求、签署与结论；有暂缓发布时退出码为 1
    Status(commands::status::Args),
    /// 撤回签署（unsign）：删除本人在文章上的签名审核（只删本人密钥签署的记录）
    Unsign(commands::unsign::Args),
    /// 撤稿（withdraw）：签名撤下文章，下次构建时从网站移除
    Withdraw(commands::withdraw::Args),
    /// 审核台（review）：在本机浏览器中查看待审文章、修改对比，签发、退回、撤稿
    Review(commands::review::Args),
    /// 根密钥签名（governance）：签署或验证 reviews/governance.yaml
    Governance {
        #[command(subcommand)]
        action: commands::governance::Action,
    },
    /// 根密钥组（root）：多位持有人共管的根密钥（例如 3 人中 2 人签署），创建、更换、签署、指纹与验证
    Root {
        #[command(subcommand)]
        action: commands::root::Action,
    },
    /// 三级审核表（form）：一篇文章的可打印审核表（HTML）
    Form(commands::form::Args),
    /// 信息发布登记表（register）：全站已发布与已撤稿文章（CSV 与 HTML）
    Register(commands::register::Args),
    /// 链接检查（links）：列出已发布文章的全部链接，检查站内链接；--external 同时检查站外链接；有失效链接时退出码为 1
    Links(commands::links::Args),
    /// 网站体检（audit）：空白栏目、栏目与首页更新、失效链接等检查指标；有单项否决项时退出码为 1
    Audit(commands::audit::Args),
    /// 防篡改检查（verify）：按文件清单核对服务器目录或网站网址；--restore 恢复；有差异时退出码为 1
    Verify(commands::verify::Args),
    /// 部署（deploy）：把构建输出复制为新版本，原子切换 current
    Deploy(commands::deploy::Args),
    /// 发布前检查（check-release）：对照发布日志检查构建输出，与 deploy 的检查相同，不部署
    CheckRelease(commands::check_release::Args),
    /// 回滚（rollback）：把 current 切回前一个（或指定的）版本
    Rollback(commands::rollback::Args),
    /// 已部署版本（releases）：列出保留的版本及其提交
    Releases(commands::releases::Args),
    /// 发布日志（log）：log verify 验证发布日志与网站文件
    Log {
        #[command(subcommand)]
        action: commands::log::Action,
    },
    /// 输出命令参考（Markdown，即用户手册的 docs/reference/commands.md）
    #[command(hide = true, name = "reference-md")]
    ReferenceMd,
}

/// The one place where a command's outcome becomes the exit status: 0 on
/// success; on failure the error is printed and the status is 1.
fn exit(result: Result<(), sanshen::ops::Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            commands::common::report(&e);
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes
    // away (`sanshen status | head`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any other
    // thread exists has no preconditions.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // No message, report or snippet prints a full personal number.
    sanshen::diag::set_masker(sanshen::rules::pii::mask_all);
    let cmd = commands::usage::localize(Cli::command());
    let cli = match cmd
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            match commands::usage::message(&e) {
                Some(text) => eprint!("{text}"),
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    exit(match cli.command {
        Command::Build {
            root,
            out,
            strict,
            trust_root,
            now,
            rev,
            quiet,
            timings,
            sign_manifest,
            passphrase_file,
            log,
            no_cache,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let cache = (!no_cache).then(|| sanshen::cache::dir_for(&out));
            let opts = BuildOptions {
                cache,
                root,
                out,
                strict,
                trust_root,
                now,
                rev,
                log: None,
            };
            commands::build::run(
                &opts,
                quiet,
                timings,
                sign_manifest.as_deref(),
                &sanshen::ops::keys::Passphrase::from_arg(passphrase_file.as_deref()),
                log.as_deref(),
            )
        }
        Command::Serve(args) => commands::serve::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::New(args) => commands::new::run(&args),
        Command::Keygen(args) => commands::keygen::run(&args),
        Command::Sign(args) => commands::sign::run(&args),
        Command::Status(args) => commands::status::run(&args),
        Command::Unsign(args) => commands::unsign::run(&args),
        Command::Withdraw(args) => commands::withdraw::run(&args),
        Command::Review(args) => commands::review::run(&args),
        Command::Governance { action } => commands::governance::run(&action),
        Command::Root { action } => commands::root::run(&action),
        Command::Form(args) => commands::form::run(&args),
        Command::Register(args) => commands::register::run(&args),
        Command::Links(args) => commands::links::run(&args),
        Command::Audit(args) => commands::audit::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Deploy(args) => commands::deploy::run(&args),
        Command::CheckRelease(args) => commands::check_release::run(&args),
        Command::Rollback(args) => commands::rollback::run(&args),
        Command::Releases(args) => commands::releases::run(&args),
        Command::Log { action } => commands::log::run(&action),
        Command::ReferenceMd => {
            print!(
                "{}",
                commands::reference::markdown(&commands::usage::localize(Cli::command()))
            );
            Ok(())
        }
    })
}
