//! The module map of DESIGN.md, checked: no import cycle between the
//! modules of the main crate or of the gate crate (at every level of the
//! module tree), and commands stay thin.
//!
//! References are read from the source text: `crate::a::b` paths and
//! `super::x` paths, outside `#[cfg(test)] mod tests` blocks and comments.
//! Two sibling modules depend on each other when some file inside one
//! names the other; a module naming its own ancestor or descendant is not
//! an edge (a parent re-exports its children).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/render/search/mod.rs` → `["render", "search"]`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its unit-test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn idents_after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = Vec<String>> + 'a {
    code.match_indices(prefix).filter_map(move |(i, _)| {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let rest = &code[i + prefix.len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let parts: Vec<String> = path
            .split("::")
            .take_while(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .map(str::to_string)
            .collect();
        (!parts.is_empty()).then_some(parts)
    })
}

fn graph_of(root: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(root, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = module_of(root, file);
        let is_mod_file = file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut targets: Vec<Vec<String>> = idents_after(&code, "crate::").collect();
        let parent: Vec<String> = if is_mod_file {
            from.clone()
        } else {
            from[..from.len().saturating_sub(1)].to_vec()
        };
        for rel in idents_after(&code, "super::") {
            let base = if is_mod_file {
                parent[..parent.len().saturating_sub(1)].to_vec()
            } else {
                parent.clone()
            };
            targets.push(base.into_iter().chain(rel).collect());
        }
        for path in targets {
            // The longest prefix that is a module of this crate.
            let Some(to) = (1..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            graph
                .entry(from[..=common].join("::"))
                .or_default()
                .insert(to[..=common].join("::"));
        }
    }
    graph
}

/// Every strongly connected component with more than one module.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_import_cycles_in_the_main_crate() {
    let g = graph_of(&repo().join("src"));
    assert!(g.len() > 10, "module graph looks empty: {g:?}");
    let found = cycles(&g);
    assert!(found.is_empty(), "import cycles: {found:?}");
}

#[test]
fn no_import_cycles_in_the_gate() {
    let g = graph_of(&repo().join("crates/sanshen-gate/src"));
    assert!(g.len() > 5, "module graph looks empty: {g:?}");
    let found = cycles(&g);
    assert!(found.is_empty(), "import cycles: {found:?}");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("d".into()).or_default().insert("a".into());
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
}

#[test]
fn the_graph_reader_sees_crate_and_super_paths() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("x")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod x;\npub mod y;\n").unwrap();
    std::fs::write(src.join("x/mod.rs"), "pub mod p;\npub mod q;\n").unwrap();
    std::fs::write(src.join("x/p.rs"), "use super::q::Q;\n").unwrap();
    std::fs::write(src.join("x/q.rs"), "use crate::y::Y; // crate::x::p\n").unwrap();
    std::fs::write(src.join("y.rs"), "use crate::x::p::P;\n").unwrap();
    let g = graph_of(src);
    assert!(g["x::p"].contains("x::q"), "{g:?}");
    assert!(g["x"].contains("y") && g["y"].contains("x"), "{g:?}");
    assert_eq!(cycles(&g), vec![vec!["x", "y"]]);
}

/// Commands parse arguments, call one operation and print its report.
#[test]
fn commands_stay_thin() {
    let mut files = Vec::new();
    rust_files(&repo().join("src/commands"), &mut files);
    let mut fat = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = code_of(&text);
        let lines = code.lines().filter(|l| !l.trim().is_empty()).count();
        if lines > 200 {
            fat.push(format!("{} ({lines} lines of code)", f.display()));
        }
    }
    assert!(fat.is_empty(), "commands hold operations: {fat:?}");
}
