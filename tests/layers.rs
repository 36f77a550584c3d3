//! Dependencies point one way: the top-level modules of `src/` form no
//! cycle, and each uses only modules of its own layer or of the layers that
//! `docs/architecture.md` lists before it.
//!
//! The graph is read from the source text: every `crate::x`, `zopa::x` and
//! `super::x` that reaches a top-level module `x` (including the items of a
//! `use crate::{..}` group), with comments and string literals left out.
//! The crate roots (`lib.rs`, `main.rs`) only declare modules; `main.rs`
//! also names modules by their bare names, which count as uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below `src/`: `src/jobs/run.rs` is
/// `["jobs", "run"]`, `src/chart/mod.rs` is `["chart"]`, a crate root is
/// `[]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("a file under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The text with comments, string and character literals blanked out, so
/// that only code is searched for paths.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let skipped = match (b[i], b.get(i + 1).copied()) {
            ('/', Some('/')) => Some(line_comment_end(&b, i)),
            ('/', Some('*')) => Some(block_comment_end(&b, i)),
            ('r', Some('"' | '#')) if !ident_before(&b, i) => raw_string_end(&b, i),
            ('"', _) => Some(string_end(&b, i)),
            ('\'', _) => char_literal_end(&b, i),
            _ => None,
        };
        match skipped {
            Some(end) => {
                out.push(' ');
                i = end;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    out
}

fn line_comment_end(b: &[char], mut i: usize) -> usize {
    while i < b.len() && b[i] != '\n' {
        i += 1;
    }
    i
}

/// Block comments nest in Rust.
fn block_comment_end(b: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == '/' && b.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// `r"..."` or `r#"..."#`; `None` when the `r` starts no raw string.
fn raw_string_end(b: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut hashes = 0;
    while b.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < b.len() {
        if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(j)
}

fn string_end(b: &[char], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != '"' {
        if b[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

/// A character literal (`'a'`, `'\n'`, `'\u{1b}'`); `None` for a lifetime
/// (`'a`).
fn char_literal_end(b: &[char], i: usize) -> Option<usize> {
    let close = if b.get(i + 1) == Some(&'\\') {
        (i + 2..b.len().min(i + 12)).find(|&j| b[j] == '\'')
    } else if b.get(i + 2) == Some(&'\'') {
        Some(i + 2)
    } else {
        None
    };
    close.map(|j| j + 1)
}

fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in the code, as its segments: `crate::a::b` and the members
/// of groups, `use crate::{a, b::{c, d}}` giving `crate::a`, `crate::b::c`
/// and `crate::b::d`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let b: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident(b[i]) && (i == 0 || !(is_ident(b[i - 1]) || b[i - 1] == ':')) {
            let (found, end) = path_at(&b, i, Vec::new());
            out.extend(found);
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The path (or group of paths) starting at `i`, after the segments in
/// `prefix`; returns them and where they end.
fn path_at(b: &[char], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut segments = prefix;
    loop {
        let start = i;
        while i < b.len() && is_ident(b[i]) {
            i += 1;
        }
        segments.push(b[start..i].iter().collect());
        if b.get(i) == Some(&':') && b.get(i + 1) == Some(&':') {
            i += 2;
            while b.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            if b.get(i) == Some(&'{') {
                return group(b, i + 1, segments);
            }
            if !b.get(i).is_some_and(|&c| is_ident(c)) {
                return (vec![segments], i);
            }
        } else {
            return (vec![segments], i);
        }
    }
}

/// The members of a `{..}` group opened just before `i`.
fn group(b: &[char], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == '}' {
            return (out, i + 1);
        }
        if is_ident(c) {
            let (found, end) = path_at(b, i, prefix.clone());
            out.extend(found);
            i = end;
        } else {
            i += 1;
        }
    }
    (out, i)
}

/// The top-level module a path reaches from the file at `module`, if any.
fn target(module: &[String], path: &[String], known: &BTreeSet<String>) -> Option<String> {
    let first = path.first()?;
    let resolved: Vec<String> = match first.as_str() {
        "crate" | "zopa" => path[1..].to_vec(),
        "super" => {
            let mut at = module.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                at.pop()?;
                rest = &rest[1..];
            }
            at.extend(rest.iter().cloned());
            at
        }
        // At a crate root, a module is named by its bare name.
        _ if module.is_empty() && path.len() > 1 => path.to_vec(),
        _ => return None,
    };
    let top = resolved.first()?;
    known.contains(top).then(|| top.clone())
}

/// The graph of top-level modules; `main` stands for `src/main.rs`.
fn graph() -> Graph {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let top = |f: &Path| -> Option<String> {
        let m = module_path(f);
        match m.first() {
            Some(t) => Some(t.clone()),
            None if f.ends_with("main.rs") => Some("main".into()),
            None => None,
        }
    };
    let known: BTreeSet<String> = files.iter().filter_map(|f| top(f)).collect();
    let mut g = Graph::new();
    for f in &files {
        let Some(from) = top(f) else { continue };
        let text = std::fs::read_to_string(f).expect("a readable source file");
        let module = module_path(f);
        let uses = g.entry(from.clone()).or_default();
        for p in paths(&code_only(&text)) {
            if let Some(to) = target(&module, &p, &known)
                && to != from
            {
                uses.insert(to);
            }
        }
    }
    g
}

/// A cycle in the graph, as the modules along it, if there is one.
fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &Graph,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, g, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// The layers of `docs/architecture.md`'s table, in order: each row's name
/// and the top-level modules its second column names (`src/x.rs`,
/// `src/x/`).
fn layers() -> Vec<(String, Vec<String>)> {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    let text = std::fs::read_to_string(doc).expect("docs/architecture.md is readable");
    let table = text
        .split("## Layers")
        .nth(1)
        .expect("a Layers section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let mut out = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, modules) = (cells[1], cells[2]);
        if name == "layer" {
            continue;
        }
        let mut found = Vec::new();
        for piece in modules.split('`').skip(1).step_by(2) {
            let Some(rest) = piece.strip_prefix("src/") else {
                continue;
            };
            let top = rest
                .split('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".rs");
            if !top.is_empty() && !found.iter().any(|f| f == top) {
                found.push(top.to_string());
            }
        }
        out.push((name.to_string(), found));
    }
    out
}

#[test]
fn the_reader_finds_uses_in_every_form_and_none_in_comments_or_strings() {
    let known: BTreeSet<String> = ["a", "b", "c", "d", "e", "f"].map(String::from).into();
    let code = code_only(
        "use crate::{a::X, b::{self, Y}};\n// crate::c::Z\nlet s = \"zopa::d::W\";\nlet t = r#\"crate::d\"#;\nzopa::e::go(); let c = 'x'; fn f<'a>() {}\nsuper::f::g();",
    );
    let module = vec!["m".to_string()];
    let found: BTreeSet<String> = paths(&code)
        .iter()
        .filter_map(|p| target(&module, p, &known))
        .collect();
    let want: BTreeSet<String> = ["a", "b", "e", "f"].map(String::from).into();
    assert_eq!(found, want);
}

#[test]
fn the_reader_finds_a_cycle_and_names_it() {
    let mut g = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into()).or_default().insert(b.into());
    };
    edge(&mut g, "cli", "jobs");
    edge(&mut g, "jobs", "emit");
    assert_eq!(cycle(&g), None);
    edge(&mut g, "emit", "cli");
    let c = cycle(&g).expect("a cycle");
    assert_eq!(c.first(), c.last());
    assert_eq!(c.len(), 4, "{c:?}");
}

#[test]
fn no_top_level_module_of_src_is_in_a_cycle() {
    let g = graph();
    assert!(g.len() > 10, "too few modules found: {g:?}");
    if let Some(c) = cycle(&g) {
        panic!("an import cycle: {}", c.join(" -> "));
    }
}

#[test]
fn every_module_uses_only_its_own_layer_and_the_layers_before_it() {
    let g = graph();
    let layers = layers();
    assert!(
        layers.len() >= 6,
        "the layer table was not found: {layers:?}"
    );
    let mut at: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (name, modules)) in layers.iter().enumerate() {
        for m in modules {
            if let Some(before) = at.insert(m, i) {
                panic!("`{m}` is in two layers: {} and {name}", layers[before].0);
            }
        }
    }
    for m in g.keys() {
        assert!(
            at.contains_key(m.as_str()),
            "`src/{m}` is in no layer of docs/architecture.md"
        );
    }
    let mut wrong = Vec::new();
    for (from, uses) in &g {
        for to in uses {
            let (a, b) = (at[from.as_str()], at[to.as_str()]);
            if b > a {
                wrong.push(format!(
                    "{from} ({}) uses {to} ({}), a later layer",
                    layers[a].0, layers[b].0
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_flag_parser_knows_no_job_and_no_job_knows_the_flag_parser() {
    let g = graph();
    let uses = |a: &str, b: &str| g.get(a).is_some_and(|u| u.contains(b));
    for (a, b) in [
        ("cli", "jobs"),
        ("cli", "serve"),
        ("jobs", "cli"),
        ("serve", "cli"),
        ("serve", "jobs"),
    ] {
        assert!(
            !uses(a, b),
            "`{a}` uses `{b}`: the program (app.rs) joins them"
        );
    }
    assert!(uses("app", "cli") && uses("app", "jobs") && uses("app", "serve"));
}
