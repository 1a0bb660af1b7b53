//! Usage errors and help pages are Chinese (issue 13): a mistyped command
//! or flag names the suggestion, a missing argument names it, help
//! headings are Chinese; the exit status of a usage error is 2.

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
    assert!(r.stderr.contains("参数 --now <TIME> 缺少值"), "{}", r.all());

    let r = run(&["deploy", "--to", "x", "--log-key", "k", "--keep", "0"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("参数 --keep <KEEP> 的值「0」无效"),
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
