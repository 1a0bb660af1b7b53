//! Usage errors and help pages are Chinese (issue 13): a mistyped command
//! or flag names the suggestion, a missing argument names it, every help
//! page (walked from `sanshen --help` through every subcommand) is free of
//! clap's English; the exit status of a usage error is 2.

use crate::common;

use common::sanshen_raw;

fn run(args: &[&str]) -> common::Run {
    sanshen_raw(std::env::temp_dir().as_path(), args)
}

#[test]
fn usage_errors_are_chinese_with_the_suggestion() {
    let r = run(&["biuld"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("没有子命令「biuld」"), "{}", r.all());
    assert!(r.stderr.contains("是不是想写「build」"), "{}", r.all());
    assert!(!r.stderr.contains("unrecognized"), "{}", r.all());

    let r = run(&["build", "--strictt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("不认识的参数「--strictt」"),
        "{}",
        r.all()
    );
    assert!(r.stderr.contains("「--strict」"), "{}", r.all());

    let r = run(&["sign"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("缺少必需的参数") && r.stderr.contains("--key"),
        "{}",
        r.all()
    );

    let r = run(&["build", "--now"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("参数 --now <时间> 缺少值"), "{}", r.all());

    let r = run(&["deploy", "--to", "x", "--log-key", "k", "--keep", "0"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("参数 --keep <个数> 的值「0」无效"),
        "{}",
        r.all()
    );
}

#[test]
fn help_pages_have_chinese_headings() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for want in ["用法：sanshen <命令>", "命令:", "显示帮助", "显示版本"] {
        assert!(r.stdout.contains(want), "missing {want}:\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("Print help"), "{}", r.stdout);
    let r = run(&["deploy", "--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("选项:") && r.stdout.contains("显示帮助"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Options:"), "{}", r.stdout);
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("sanshen "), "{}", r.stdout);
}

/// clap's English: headings, placeholders, notes and error words.
const CLAP_WORDS: &[&str] = &[
    "Usage",
    "Options",
    "OPTIONS",
    "Commands",
    "COMMAND",
    "Arguments",
    "ARGS",
    "default:",
    "possible values",
    "Print help",
    "Print version",
    "aliases",
    "For more information",
    "error:",
    "tip:",
    "unrecognized",
    "unexpected",
    "invalid value",
    "required",
    "isn't",
    "cannot be used",
    "found",
];

/// The English clap would write into `text`, if any: one of
/// [`CLAP_WORDS`] or a placeholder such as `<ROOT>` or `[PATHS]`.
fn english(text: &str) -> Option<String> {
    if let Some(w) = CLAP_WORDS.iter().find(|w| text.contains(*w)) {
        return Some(w.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).find_map(|w| {
        (matches!(w[0], '<' | '[') && w[1].is_ascii_uppercase())
            .then(|| format!("{}{}", w[0], w[1]))
    })
}

/// The subcommands listed under 命令 on a help page.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("命令"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn every_help_page_is_chinese() {
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    let mut pages = 0;
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.all());
        let shown = format!("sanshen {}", args.join(" "));
        let usage = format!("用法：sanshen {}", path.join(" "));
        assert!(
            r.stdout.contains(usage.trim_end()),
            "{shown}:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("-h, --help  ") && r.stdout.contains("显示帮助"));
        if let Some(w) = english(&r.stdout) {
            panic!("{shown} shows clap's English {w:?}:\n{}", r.stdout);
        }
        pages += 1;
        for sub in subcommands(&r.stdout) {
            let mut next = path.clone();
            next.push(sub);
            todo.push(next);
        }
    }
    // The top page, every command and the subcommands of governance,
    // root and log.
    assert!(pages > 25, "walked only {pages} help pages");

    // Defaults and choices are written in Chinese into the help text.
    let r = run(&["new", "--help"]);
    assert!(
        r.stdout.contains("（默认：A；可选：A、B、C）"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("用法：sanshen new [选项] <栏目/标题>"),
        "{}",
        r.stdout
    );
    let r = run(&["sign", "--help"]);
    assert!(
        r.stdout
            .contains("用法：sanshen sign [选项] --key <私钥> <文章>"),
        "{}",
        r.stdout
    );
}

#[test]
fn common_usage_errors_have_no_english() {
    let cases: &[(&[&str], &str)] = &[
        (&["biuld"], "是不是想写「build」"),
        (&["statsu"], "是不是想写「status」"),
        (&["build", "--strictt"], "是不是想写「--strict」"),
        (&["sign"], "缺少必需的参数：--key <私钥>、<文章>"),
        (&["sign", "a.md", "b.md"], "不认识的参数「b.md」"),
        (
            &["new", "news/标题", "--class", "D"],
            "（可用的值：A、B、C）",
        ),
        (
            &["links", "--timeout", "abc"],
            "参数 --timeout <秒数> 的值「abc」无效",
        ),
        (&["status", "--json=1"], "参数 --json 不需要这么多值"),
        (
            &[
                "keygen",
                "--out",
                "k.pem",
                "--passphrase-file",
                "p",
                "--no-passphrase",
            ],
            "不能与 --no-passphrase 同时使用",
        ),
        (&["root"], "用法：sanshen root <命令>"),
        (&[], "用法：sanshen <命令>"),
    ];
    for (args, want) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(
            r.stderr.contains(want),
            "{args:?}: want {want}:\n{}",
            r.stderr
        );
        if let Some(w) = english(&r.stderr) {
            panic!("{args:?} says clap's English {w:?}:\n{}", r.stderr);
        }
    }
}

/// Words of the warning that the trust root is `site.yaml`'s
/// (`trust::repository_warning`).
const TRUST_WARNING: &str = "仓库内信任根";

/// A site whose only trust root is the one in `site.yaml`.
fn repository_trust_site() -> common::TestSite {
    let s = common::TestSite::new();
    s.article("news/ok.md", "已发布的动态", "2026-11-10", "", "正文。");
    let yaml = std::fs::read_to_string(s.path().join("site.yaml")).unwrap();
    s.write(
        "site.yaml",
        &format!("{yaml}trust_root: \"{}\"\n", common::trust_root()),
    );
    s
}

#[test]
fn editor_commands_do_not_mention_the_repository_trust_root() {
    let s = repository_trust_site();
    let key = s.key_file("editor");
    let r = common::sanshen(s.path(), &["new", "news/关于召开安全生产会议的通知"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let rel = r
        .stdout
        .split("已新建文章：")
        .nth(1)
        .and_then(|l| l.lines().next())
        .expect("new names the file")
        .to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["status"],
        vec!["sign", &rel, "--key", &key, "--yes"],
        vec!["status", &rel],
        vec!["unsign", &rel, "--key", &key],
        vec!["links"],
        vec!["form", "content/news/ok.md"],
        vec!["register", "--out", "register"],
        vec!["audit"],
    ];
    for args in runs {
        let r = common::sanshen(s.path(), &args);
        assert!(
            !r.all().contains(TRUST_WARNING) && !r.all().contains("--trust-root"),
            "{args:?} mentions the trust root:\n{}",
            r.all()
        );
        // The command itself worked (status: 1 while an article is held).
        assert!(r.code == 0 || args[0] == "status", "{args:?}: {}", r.all());
    }
    // The judgement is unchanged: the repository root still verifies
    // governance (the signature counted), and build says it once.
    let r = common::sanshen(s.path(), &["build", "--root", ".", "--out", "public"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(r.stderr.matches(TRUST_WARNING).count(), 1, "{}", r.stderr);
}

#[test]
fn serve_mentions_the_repository_trust_root_once_not_on_every_rebuild() {
    use crate::serve::{wait_for, Server};

    let s = repository_trust_site();
    let server = Server::start_with(&s, &[]);
    s.article(
        "news/ok.md",
        "已发布的动态",
        "2026-11-10",
        "",
        "改过的正文。",
    );
    wait_for("the rebuild", || {
        server.out().contains("预览已更新").then_some(())
    });
    let err = server.err();
    assert_eq!(err.matches(TRUST_WARNING).count(), 1, "{err}");
}
