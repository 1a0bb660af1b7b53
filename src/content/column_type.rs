//! 栏目类型 (`type:` of a column's `_index.md`, the `ColumnType` meta tag):
//! one of the column kinds the 政府网站发展指引 (国办发〔2017〕47号) names
//! under its four functions — 信息发布, 解读回应, 办事服务, 互动交流 — so
//! that the tag means the same on every government site.

use crate::diag::Diagnostic;

use super::origin::Origin;

/// The kinds a column may declare, in the guideline's order; the
/// guideline's own names (文件资料, 信息公开目录, 社会关切回应) beside the
/// names district portals commonly give those columns.
pub const COLUMN_TYPES: &[&str] = &[
    "概况信息",
    "机构职能",
    "负责人信息",
    "文件资料",
    "政务动态",
    "信息公开目录",
    "社会关切回应",
    "通知公告",
    "信息公开",
    "政策文件",
    "规划计划",
    "统计信息",
    "财政资金",
    "人事信息",
    "政策解读",
    "回应关切",
    "办事服务",
    "公共服务",
    "互动交流",
    "数据发布",
    "专题专栏",
];

/// The kind whose column page lists its sub-columns.
pub const TOPICS: &str = "专题专栏";

/// The closest kind to a wrong one, e.g. 动态 → 政务动态.
fn suggestion(kind: &str) -> Option<&'static str> {
    COLUMN_TYPES
        .iter()
        .copied()
        .find(|t| t.contains(kind) || kind.contains(t))
}

/// Refuse a `type:` outside [`COLUMN_TYPES`] (frame: the build stops).
pub fn check(origin: &Origin, kind: Option<&str>) -> Result<(), Diagnostic> {
    let Some(kind) = kind.map(str::trim) else {
        return Ok(());
    };
    if COLUMN_TYPES.contains(&kind) {
        return Ok(());
    }
    let hint = match suggestion(kind) {
        Some(s) if !kind.is_empty() => format!("是否想写 type: {s}？"),
        _ => String::new(),
    };
    Err(origin
        .at_key(
            "type",
            format!("栏目类型 type 不在《政府网站发展指引》的栏目类型中：{kind}"),
        )
        .help(format!(
            "{hint}可用的栏目类型：{}。不写 type 时页面元数据 ColumnType 用栏目名称。",
            COLUMN_TYPES.join("、")
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggestion("动态"), Some("政务动态"));
        assert_eq!(suggestion("专题"), Some("专题专栏"));
        assert_eq!(suggestion("新闻"), None);
    }
}
