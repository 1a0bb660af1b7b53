//! `sanshen links [--external]`: every link of the published articles;
//! dead internal links with file:line; with `--external`, every `http(s)`
//! link checked over HTTP and reported as 失效 / 重定向 / 缓慢. Exit status
//! 1 when any link is dead (R12).

use std::time::Duration;

use crate::commands::common::SiteArgs;
use crate::linkcheck::{self, DeadLink, InternalReport, Link, LinkKind, Outcome};
use crate::ops::links::{self, External};
use crate::ops::Error;

/// Arguments of `sanshen links`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 同时通过 HTTP 检查站外链接（建议每周一次）
    #[arg(long)]
    pub external: bool,
    /// 输出 JSON（供脚本与 CI 使用）
    #[arg(long)]
    pub json: bool,
    /// 同时检查的线程数
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), value_name = "个数")]
    pub concurrency: u16,
    /// 每个请求的超时（秒）
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300), value_name = "秒数")]
    pub timeout: u64,
    /// 超时或 5xx 时的重试次数
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=10), value_name = "次数")]
    pub retries: u32,
    /// 同一主机两次请求之间至少间隔的毫秒数
    #[arg(long, default_value_t = 500, value_name = "毫秒")]
    pub per_host_delay: u64,
}

/// Run `sanshen links`.
pub fn run(args: &Args) -> Result<(), Error> {
    let opts = linkcheck::Options {
        concurrency: usize::from(args.concurrency),
        timeout: Duration::from_secs(args.timeout),
        retries: args.retries,
        per_host_delay: Duration::from_millis(args.per_host_delay),
        ..linkcheck::Options::default()
    };
    let r = links::links(&args.site.opts(), args.external.then_some(&opts))?;
    let failed = r.failed();
    if args.json {
        let v = serde_json::to_value(r.json()).unwrap_or_default();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print_inventory(r.published, &r.links);
        print_internal(&r.internal);
        match &r.external {
            Some(e) => print_external(e, r.seconds),
            None => println!("\n站外链接：未检查（加 --external 通过网络检查；建议每周一次）。"),
        }
        if failed {
            println!("\n结论：✗ 有失效链接，请按上面的位置逐条修改。");
        } else {
            println!("\n结论：✓ 未发现失效链接。");
        }
    }
    if failed {
        Err(Error::Unsuccessful(String::new()))
    } else {
        Ok(())
    }
}

fn print_inventory(published: usize, links: &[Link]) {
    let count = |f: &dyn Fn(LinkKind) -> bool| links.iter().filter(|l| f(l.kind)).count();
    println!(
        "链接清单：已发布文章 {published} 篇，链接 {} 个（站内 {} 个，站外 {} 个，其他 {} 个）",
        links.len(),
        count(&|k| k.is_internal()),
        count(&|k| k == LinkKind::External),
        count(&|k| k == LinkKind::Other),
    );
    let mut file = "";
    for l in links {
        if l.file != file {
            file = &l.file;
            println!("  {file}");
        }
        let what = if l.source {
            "来源网址"
        } else if l.image {
            "图片"
        } else {
            l.kind.label()
        };
        println!("    第 {} 行　{what}　{}", l.line, l.dest);
    }
}

fn print_dead(d: &DeadLink, mark: &str) {
    let target = if d.target == d.link.dest {
        String::new()
    } else {
        format!("（{}）", d.target)
    };
    println!(
        "  {mark} {}　{}　—— {}{target}",
        d.link.location(),
        d.link.dest,
        d.reason
    );
}

fn print_internal(r: &InternalReport) {
    if r.dead.is_empty() {
        println!("\n站内链接：检查 {} 个，✓ 全部有效", r.checked);
    } else {
        println!(
            "\n站内链接：检查 {} 个，✗ 失效 {} 个：",
            r.checked,
            r.dead.len()
        );
        r.dead.iter().for_each(|d| print_dead(d, "✗"));
        println!("  修改方法：改正路径（链接其他文章写相对路径 ../栏目/文件名.md，站内页面写 /栏目/ 形式），或删除该链接。");
    }
    if !r.unpublished.is_empty() {
        println!(
            "站内链接指向本次不发布的文章 {} 个（构建时暂缓发布含这些链接的文章）：",
            r.unpublished.len()
        );
        r.unpublished.iter().for_each(|d| print_dead(d, "!"));
    }
}

fn print_group(title: &str, note: &str, items: &[&External], line: &dyn Fn(&Outcome) -> String) {
    if items.is_empty() {
        return;
    }
    println!("{title}（{} 个{note}）：", items.len());
    for x in items {
        println!("  {}", line(&x.outcome));
        println!("     使用处：{}", x.used_by.join("、"));
    }
}

fn print_external(list: &[External], seconds: f64) {
    let pick = |f: fn(&External) -> bool| list.iter().filter(|x| f(x)).collect::<Vec<_>>();
    let (dead, moved, slow) = (
        pick(External::dead),
        pick(External::redirected),
        pick(External::slow),
    );
    println!(
        "\n站外链接：不同网址 {} 个，用时 {seconds:.1} 秒：正常 {} 个，失效 {} 个，重定向 {} 个，缓慢 {} 个",
        list.len(),
        list.len() - dead.len(),
        dead.len(),
        moved.len(),
        slow.len()
    );
    print_group("失效", "", &dead, &|o| {
        format!(
            "✗ {}　—— {}",
            o.url,
            o.error.as_deref().unwrap_or("无法访问")
        )
    });
    print_group("重定向", "", &moved, &|o| {
        let codes: Vec<String> = o.redirects.iter().map(|h| h.code.to_string()).collect();
        format!(
            "→ {}　最终地址：{}（{}，共 {} 次跳转）",
            o.url,
            o.final_url,
            codes.join("→"),
            o.redirects.len()
        )
    });
    if !moved.is_empty() {
        println!("  建议：把重定向的链接改为最终地址。");
    }
    print_group("缓慢", "，响应超过 3 秒", &slow, &|o| {
        format!("… {}　响应 {:.1} 秒", o.url, o.seconds)
    });
}
