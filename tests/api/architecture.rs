//! The house holds: every `crate::` path in `src/` runs down the floors,
//! no two folders depend on each other in a circle, SQL stays in `store/`
//! and `db/`, and files stay small. Each failure names the offending line.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// The floors, lowest first. A unit may use its own floor and those below.
const FLOORS: &[&[&str]] = &[
    &["domain"],
    &["error", "clock", "config"],
    &["db"],
    &["store", "integrations", "auth"],
    &["service"],
    &["state"],
    &["api", "web", "jobs"],
    &["app"],
    &["cli"],
    &["lib", "main"],
];

fn floor_of(unit: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&unit))
}

struct Source {
    /// Relative to `src/`, with `/` separators.
    rel: String,
    text: String,
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| Source {
            rel: p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

/// The code of a file without its trailing unit-test module (tests are
/// not the house) and with comments blanked out.
fn code(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path a file is: `service/billing/mod.rs` is `service/billing`.
fn module_of(rel: &str) -> Vec<String> {
    let no_ext = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = no_ext.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every `crate::` path in `code`, as (line number, segments).
fn crate_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let ident = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && (bytes[*i].is_ascii_alphanumeric() || bytes[*i] == b'_') {
            *i += 1;
        }
        code[start..*i].to_string()
    };
    let line_at = |i: usize| code[..i].bytes().filter(|b| *b == b'\n').count() + 1;
    // Read `a::b::{c, d::e}` from `i`, calling `emit` with each full path.
    fn group(
        code: &str,
        i: &mut usize,
        prefix: Vec<String>,
        out: &mut Vec<Vec<String>>,
        ident: &dyn Fn(&mut usize) -> String,
    ) {
        let bytes = code.as_bytes();
        let skip_ws = |i: &mut usize| {
            while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
                *i += 1;
            }
        };
        let mut path = prefix;
        loop {
            skip_ws(i);
            if *i < bytes.len() && bytes[*i] == b'{' {
                *i += 1;
                loop {
                    skip_ws(i);
                    if *i >= bytes.len() || bytes[*i] == b'}' {
                        *i += 1;
                        break;
                    }
                    group(code, i, path.clone(), out, ident);
                    skip_ws(i);
                    if *i < bytes.len() && bytes[*i] == b',' {
                        *i += 1;
                    }
                }
                return;
            }
            let name = ident(i);
            if name.is_empty() {
                if *i < bytes.len() && bytes[*i] == b'*' {
                    *i += 1;
                }
                out.push(path);
                return;
            }
            path.push(name);
            if code[*i..].starts_with("::") {
                *i += 2;
                continue;
            }
            out.push(path);
            // `as name`, then the end of this item.
            while *i < bytes.len() && !matches!(bytes[*i], b',' | b'}' | b';' | b'\n') {
                *i += 1;
            }
            return;
        }
    }
    let mut from = 0;
    while let Some(found) = code[from..].find("crate::") {
        let at = from + found;
        let before = code[..at].chars().next_back();
        from = at + "crate::".len();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let mut i = from;
        let mut paths = Vec::new();
        group(code, &mut i, Vec::new(), &mut paths, &ident);
        for p in paths.into_iter().filter(|p| !p.is_empty()) {
            out.push((line_at(at), p));
        }
        from = i.max(from);
    }
    out
}

/// The folders of `src/` (as module paths).
fn folders(sources: &[Source]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for s in sources {
        let parts: Vec<String> = s.rel.split('/').map(str::to_string).collect();
        for n in 1..parts.len() {
            out.insert(parts[..n].to_vec());
        }
    }
    out
}

#[test]
fn every_import_runs_down_the_floors() {
    let mut problems = Vec::new();
    for s in sources() {
        let me = module_of(&s.rel);
        let Some(mine) = floor_of(&me[0]) else {
            problems.push(format!("src/{}: `{}` is on no floor", s.rel, me[0]));
            continue;
        };
        for (line, path) in crate_paths(&code(&s.text)) {
            let Some(theirs) = floor_of(&path[0]) else {
                continue;
            };
            if theirs > mine {
                problems.push(format!(
                    "src/{}:{line}: `crate::{}` goes up from {} to {}",
                    s.rel,
                    path.join("::"),
                    me[0],
                    path[0]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn no_two_folders_depend_on_each_other_in_a_circle() {
    let sources = sources();
    let folders = folders(&sources);
    // Edges between siblings: a file under folder A using a path under
    // folder B counts as A's top child under their common parent using
    // B's, with the line that did it.
    let mut edges: BTreeMap<(Vec<String>, String), BTreeMap<String, String>> = BTreeMap::new();
    for s in &sources {
        let me = module_of(&s.rel);
        for (line, path) in crate_paths(&code(&s.text)) {
            let common = me.iter().zip(&path).take_while(|(a, b)| a == b).count();
            if common >= me.len() || common >= path.len() {
                continue;
            }
            let parent = me[..common].to_vec();
            let (from, to) = (me[common].clone(), path[common].clone());
            let mut to_folder = parent.clone();
            to_folder.push(to.clone());
            let mut from_folder = parent.clone();
            from_folder.push(from.clone());
            // Only folders take part: a file is free to use its siblings.
            if !folders.contains(&to_folder) || !folders.contains(&from_folder) {
                continue;
            }
            edges
                .entry((parent, from))
                .or_default()
                .entry(to)
                .or_insert_with(|| format!("src/{}:{line}: crate::{}", s.rel, path.join("::")));
        }
    }
    let mut problems = Vec::new();
    for ((parent, from), tos) in &edges {
        for (to, why) in tos {
            // A path back from `to` to `from` under the same parent.
            let mut seen = BTreeSet::new();
            let mut stack = vec![to.clone()];
            while let Some(n) = stack.pop() {
                if &n == from {
                    problems.push(format!(
                        "{}: {from} -> {to} ({why}) and back",
                        if parent.is_empty() {
                            "src".to_string()
                        } else {
                            parent.join("/")
                        }
                    ));
                    break;
                }
                if seen.insert(n.clone())
                    && let Some(next) = edges.get(&(parent.clone(), n))
                {
                    stack.extend(next.keys().cloned());
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn sql_lives_in_store_and_db_only() {
    let markers = [
        ".prepare(",
        ".prepare_cached(",
        ".execute(",
        ".execute_batch(",
        ".query_row(",
        "SQLITE_CONSTRAINT",
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
    ];
    let mut problems = Vec::new();
    for s in sources() {
        if s.rel.starts_with("store/") || s.rel.starts_with("db/") {
            continue;
        }
        for (n, line) in code(&s.text).lines().enumerate() {
            if let Some(m) = markers.iter().find(|m| line.contains(*m)) {
                problems.push(format!(
                    "src/{}:{}: `{m}` outside store/ and db/",
                    s.rel,
                    n + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn files_are_small() {
    let sources = sources();
    let mut sizes: Vec<(usize, String)> = sources
        .iter()
        .map(|s| (code(&s.text).lines().count(), s.rel.clone()))
        .collect();
    let big: Vec<String> = sizes
        .iter()
        .filter(|(n, _)| *n > 400)
        .map(|(n, f)| format!("src/{f}: {n} lines"))
        .collect();
    assert!(big.is_empty(), "over 400 lines:\n{}", big.join("\n"));
    sizes.sort();
    let median = sizes[sizes.len() / 2].0;
    assert!(median <= 120, "the median file has {median} lines");
}

#[test]
fn the_path_reader_finds_grouped_and_nested_imports() {
    let found: Vec<String> = crate_paths(
        "use crate::{\n    a::b,\n    c::{d, e::f as g},\n    h,\n};\nfn x() { crate::i::j(); }",
    )
    .into_iter()
    .map(|(l, p)| format!("{l}:{}", p.join("::")))
    .collect();
    assert_eq!(found, ["1:a::b", "1:c::d", "1:c::e::f", "1:h", "6:i::j"]);
}
