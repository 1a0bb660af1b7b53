//! The command line in Chinese: help pages with Chinese headings, usage
//! lines, value names, defaults and choices, and usage errors (`sanshen
//! biuld`, a missing `--key`, a bad value) as Chinese sentences with the
//! suggestion clap found — clap's own texts are English. Everything goes
//! through clap's own settings (help template, headings, own `--help` and
//! `--version` flags, `override_usage`, hidden defaults and choices moved
//! into the help text, `Error::kind` and its context values).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Heading of the options on a help page, and their placeholder in a usage line.
const OPTIONS: &str = "选项";
/// The subcommand's placeholder and heading.
const COMMAND: &str = "命令";

/// `cmd` and every subcommand with Chinese help pages and usage lines.
pub fn localize(cmd: Command) -> Command {
    let cmd = cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本"),
    );
    localize_sub(cmd, "")
}

/// `cmd` (run as `parent cmd`) and its subcommands.
fn localize_sub(cmd: Command, parent: &str) -> Command {
    let path = if parent.is_empty() {
        cmd.get_name().to_string()
    } else {
        format!("{parent} {}", cmd.get_name())
    };
    let cmd = one(cmd);
    let usage = usage(&cmd, &path);
    cmd.override_usage(usage)
        .mut_subcommands(|sub| localize_sub(sub, &path))
}

fn one(cmd: Command) -> Command {
    cmd.help_template(TEMPLATE)
        .subcommand_help_heading(COMMAND)
        .subcommand_value_name(COMMAND)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(chinese_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading(OPTIONS),
        )
}

/// An argument under a Chinese heading, its default value and choices in
/// Chinese at the end of its help text instead of clap's `[default: …]`
/// and `[possible values: …]`.
fn chinese_arg(a: Arg) -> Arg {
    let a = if a.is_positional() {
        a.help_heading("参数")
    } else {
        a.help_heading(OPTIONS)
    };
    if !a.get_action().takes_values() {
        return a;
    }
    let mut notes = Vec::new();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() {
        notes.push(format!("默认：{}", defaults.join("、")));
    }
    let choices: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !choices.is_empty() && !a.is_hide_possible_values_set() {
        notes.push(format!("可选：{}", choices.join("、")));
    }
    if notes.is_empty() {
        return a;
    }
    let help = a.get_help().map(ToString::to_string).unwrap_or_default();
    a.help(format!("{help}（{}）", notes.join("；")))
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The usage line of `cmd` run as `path`, as clap would write it but in
/// Chinese: `sanshen sign [选项] --key <私钥> <文章>`.
fn usage(cmd: &Command, path: &str) -> String {
    let visible = || cmd.get_arguments().filter(|a| !a.is_hide_set());
    let mut parts = vec![path.to_string()];
    if visible().any(|a| {
        !a.is_positional()
            && !a.is_required_set()
            && !matches!(a.get_action(), ArgAction::Help | ArgAction::Version)
    }) {
        parts.push(format!("[{OPTIONS}]"));
    }
    let name = |a: &Arg| {
        a.get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().to_string(), ToString::to_string)
    };
    for a in visible().filter(|a| !a.is_positional() && a.is_required_set()) {
        let flag = a.get_long().map_or_else(
            || format!("-{}", a.get_short().unwrap_or_default()),
            |l| format!("--{l}"),
        );
        parts.push(format!("{flag} <{}>", name(a)));
    }
    for a in visible().filter(|a| a.is_positional()) {
        let (open, close) = if a.is_required_set() {
            ('<', '>')
        } else {
            ('[', ']')
        };
        let more = if matches!(a.get_action(), ArgAction::Append) {
            "..."
        } else {
            ""
        };
        parts.push(format!("{open}{}{close}{more}", name(a)));
    }
    if cmd.has_subcommands() {
        parts.push(if cmd.is_subcommand_required_set() {
            format!("<{COMMAND}>")
        } else {
            format!("[{COMMAND}]")
        });
    }
    parts.join(" ")
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// A usage error as Chinese text (`None` for help and version output,
/// which clap prints itself).
pub fn message(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => format!(
            "没有子命令「{}」",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("不认识的参数「{arg}」"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if value.is_empty() => {
            format!("参数 {arg} 缺少值")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut m = format!("参数 {arg} 的值「{value}」无效");
            if let Some(valid) = context(e, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                m.push_str(&format!("（可用的值：{valid}）"));
            }
            m
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            context(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues if !value.is_empty() => {
            format!("参数 {arg} 不需要这么多值（多出了「{value}」）")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 要用等号给出值（例如 {arg}=值）"),
        ErrorKind::InvalidUtf8 => "命令行参数含有无法识别的字符（不是 UTF-8 编码）".to_string(),
        _ => "命令行有误".to_string(),
    };
    out.insert_str(0, "错误：");
    out.push('\n');
    let suggestion = context(e, ContextKind::SuggestedSubcommand)
        .or_else(|| context(e, ContextKind::SuggestedArg))
        .or_else(|| context(e, ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        out.push_str(&format!("提示：是不是想写「{s}」？\n"));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("用法：{usage}\n"));
    }
    out.push_str("运行 sanshen --help 列出全部命令，sanshen <命令> --help 查看某个命令的参数。\n");
    Some(out)
}
