//! The command reference of the user guide (`docs/reference/commands.md`),
//! generated from the clap tree so that it cannot drift from the program:
//! every visible command and subcommand with its description, usage line
//! and a table of its arguments. `sanshen reference-md` (hidden) prints it;
//! a test (`book::command_reference_is_current`) fails when the committed
//! file differs and rewrites it with `UPDATE_EXAMPLES=1`.

use std::fmt::Write as _;

use clap::{Arg, ArgAction, Command};

/// The whole reference page for the (localized) top-level command.
pub fn markdown(cmd: &Command) -> String {
    let mut out = String::from(
        "# 命令参考\n\n\
         <!-- 本页由程序生成（sanshen reference-md），不要手工修改；修改命令的说明后运行 \
         UPDATE_EXAMPLES=1 cargo test --test testsuite -- book:: 重新生成。 -->\n\n\
         本页由程序根据命令行定义自动生成，与 `sanshen 命令 --help` 显示的内容相同。\
         各命令在工作中怎样使用，见按角色的各章。\n\n\
         读取站点的命令都接受 `--root 站点目录`（默认当前目录）。退出码：0 成功；1 拒绝、暂缓或失败；2 参数用法错误。\n\n",
    );
    let top: Vec<&Command> = visible(cmd).collect();
    out.push_str("| 命令 | 作用 |\n|---|---|\n");
    for sub in &top {
        let _ = writeln!(
            out,
            "| [`sanshen {}`](#sanshen-{}) | {} |",
            sub.get_name(),
            sub.get_name(),
            cell(&about(sub))
        );
    }
    out.push('\n');
    for sub in top {
        section(&mut out, &["sanshen", sub.get_name()], sub);
    }
    out
}

/// Subcommands a user sees (`--help` lists them).
fn visible(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands().filter(|c| !c.is_hide_set())
}

fn about(cmd: &Command) -> String {
    cmd.get_about().map(|s| s.to_string()).unwrap_or_default()
}

fn section(out: &mut String, path: &[&str], cmd: &Command) {
    let name = path.join(" ");
    let _ = writeln!(out, "## {name}\n");
    let long = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    if !long.is_empty() {
        let _ = writeln!(out, "{long}\n");
    }
    let subs: Vec<&Command> = visible(cmd).collect();
    if subs.is_empty() {
        let _ = writeln!(out, "```text\n{}\n```\n", usage(&name, cmd));
        let args: Vec<&Arg> = cmd.get_arguments().filter(|a| shown(a)).collect();
        if !args.is_empty() {
            out.push_str("| 参数 | 说明 |\n|---|---|\n");
            for a in args {
                let _ = writeln!(out, "| `{}` | {} |", spec(a), cell(&help(a)));
            }
            out.push('\n');
        }
    } else {
        out.push_str("| 子命令 | 作用 |\n|---|---|\n");
        for sub in &subs {
            let _ = writeln!(
                out,
                "| [`{name} {}`](#{}) | {} |",
                sub.get_name(),
                anchor(&format!("{name} {}", sub.get_name())),
                cell(&about(sub))
            );
        }
        out.push('\n');
        for sub in subs {
            let mut p = path.to_vec();
            p.push(sub.get_name());
            section(out, &p, sub);
        }
    }
}

/// mdBook's heading id: lower case, spaces to `-`, other punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Arguments worth a row: not the help and version flags every command has.
fn shown(a: &Arg) -> bool {
    !a.is_hide_set() && !matches!(a.get_action(), ArgAction::Help | ArgAction::Version)
}

fn value_name(a: &Arg) -> String {
    a.get_value_names()
        .and_then(|v| v.first())
        .map(|s| s.to_string())
        .unwrap_or_else(|| a.get_id().as_str().to_uppercase())
}

fn takes_value(a: &Arg) -> bool {
    matches!(a.get_action(), ArgAction::Set | ArgAction::Append)
}

fn spec(a: &Arg) -> String {
    let mut s = String::new();
    if a.is_positional() {
        let v = value_name(a);
        s = if a.is_required_set() {
            format!("<{v}>")
        } else {
            format!("[{v}]")
        };
        if matches!(a.get_action(), ArgAction::Append) {
            s.push('…');
        }
        return s;
    }
    if let Some(c) = a.get_short() {
        let _ = write!(s, "-{c}");
    }
    if let Some(l) = a.get_long() {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let _ = write!(s, "--{l}");
    }
    if takes_value(a) {
        let _ = write!(s, " <{}>", value_name(a));
    }
    s
}

fn help(a: &Arg) -> String {
    let mut h = a
        .get_long_help()
        .or(a.get_help())
        .map(|s| s.to_string())
        .unwrap_or_default();
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| format!("`{}`", p.get_name()))
        .collect();
    if takes_value(a) && !possible.is_empty() {
        let _ = write!(h, "（可选：{}）", possible.join("、"));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| format!("`{}`", v.to_string_lossy()))
        .collect();
    if takes_value(a) && !defaults.is_empty() {
        let _ = write!(h, "（默认：{}）", defaults.join("、"));
    }
    if a.is_required_set() && !a.is_positional() {
        h.push_str("（必填）");
    }
    h
}

/// The usage line: required options spelled out, the rest as `[选项]`.
fn usage(name: &str, cmd: &Command) -> String {
    let mut u = name.to_string();
    let args: Vec<&Arg> = cmd.get_arguments().filter(|a| shown(a)).collect();
    for a in args
        .iter()
        .filter(|a| !a.is_positional() && a.is_required_set())
    {
        let _ = write!(u, " {}", spec(a));
    }
    if args
        .iter()
        .any(|a| !a.is_positional() && !a.is_required_set())
    {
        u.push_str(" [选项]");
    }
    for a in args.iter().filter(|a| a.is_positional()) {
        let _ = write!(u, " {}", spec(a));
    }
    u
}

/// Text safe in one Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_spell_options_defaults_and_required() {
        let cmd = Command::new("sanshen").subcommand(
            Command::new("sign")
                .about("签署审核")
                .arg(Arg::new("article").required(true).value_name("文章"))
                .arg(
                    Arg::new("key")
                        .long("key")
                        .required(true)
                        .value_name("KEY")
                        .help("私钥"),
                )
                .arg(
                    Arg::new("root")
                        .long("root")
                        .default_value(".")
                        .help("站点 | 目录"),
                )
                .arg(Arg::new("yes").long("yes").action(ArgAction::SetTrue)),
        );
        let md = markdown(&cmd);
        assert!(
            md.contains("| [`sanshen sign`](#sanshen-sign) | 签署审核 |"),
            "{md}"
        );
        assert!(
            md.contains("sanshen sign --key <KEY> [选项] <文章>"),
            "{md}"
        );
        assert!(md.contains("| `--key <KEY>` | 私钥（必填） |"), "{md}");
        assert!(
            md.contains("| `--root <ROOT>` | 站点 \\| 目录（默认：`.`） |"),
            "{md}"
        );
        assert!(md.contains("| `--yes` |  |"), "{md}");
    }

    #[test]
    fn anchors_follow_mdbook() {
        assert_eq!(anchor("sanshen governance sign"), "sanshen-governance-sign");
        assert_eq!(anchor("sanshen check-release"), "sanshen-check-release");
    }
}
