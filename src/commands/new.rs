//! `sanshen new COLUMN/标题 [--class A|B|C] [--date YYYY-MM-DD] [--slug
//! NAME]`: a new article in a known column (`ops::new`), where it is, and
//! what to do next.

use std::path::{Path, PathBuf};

use crate::commands::show::class_label;
use crate::ops::new::{self, NewRequest};
use crate::ops::Error;

/// Arguments of `sanshen new`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// 栏目/标题，例如 news/关于做好寒潮防范工作的通知（栏目写目录名或栏目名称）
    #[arg(value_name = "栏目/标题")]
    pub target: String,
    /// 信息类别：A 一般信息、B 重要信息、C 特级信息（决定需要几级审核）
    #[arg(long, default_value = "A", value_parser = ["A", "B", "C"], value_name = "类别")]
    pub class: String,
    /// 发布日期 YYYY-MM-DD，默认今天（构建时钟，可由 SOURCE_DATE_EPOCH 固定）
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,
    /// 网址名（日期之后的部分）：小写字母、数字和连字符，例如 hanchao-fangfan；不写时为 日期-编号（由标题算出）
    #[arg(long, value_name = "网址名")]
    pub slug: Option<String>,
    /// 站点根目录（含 site.yaml 与 content/）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
}

/// Run `sanshen new`.
pub fn run(args: &Args) -> Result<(), Error> {
    let a = new::new_article(&NewRequest {
        root: &args.root,
        target: &args.target,
        class: &args.class,
        date: args.date.as_deref(),
        slug: args.slug.as_deref(),
    })?;
    let rel = &a.rel;
    let shown = if args.root == Path::new(".") {
        rel.clone()
    } else {
        args.root.join(rel).display().to_string()
    };
    println!("已新建文章：{shown}");
    println!(
        "  标题：{}　栏目：{}（{}）　类别：{}　网址：{}",
        a.title,
        a.column_title,
        a.column_id,
        class_label(Some(&args.class)),
        a.url
    );
    if args.slug.is_none() {
        println!("  网址名由日期和标题算出的编号组成；想用好认的网址名，新建时加 --slug，例如 --slug hanchao-fangfan（审核前也可直接改文件名）");
    }
    println!("下一步：");
    println!("  1. 写正文，填写作者（author）与发布机构（department）；");
    println!("  2. sanshen serve 预览：未审核的文章也显示，页首红色横幅写明还缺哪些审核；");
    println!("  3. 请审核人逐级签署：sanshen sign {rel} --key 私钥文件；");
    println!("  4. sanshen status {rel} 查看审核进度，审核齐全后 sanshen build 发布。");
    Ok(())
}
