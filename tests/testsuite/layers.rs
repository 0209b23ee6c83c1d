//! Imports point one way: every module of `src/` has a layer, and its code
//! (tests aside) may name only modules of a lower rank. The table is the one
//! in ARCHITECTURE.md; a new module needs a row here, and an import that
//! points up fails with the file and the names that do it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every module and its rank, lowest first; a module may import only
/// modules of a smaller rank. The layer names group them for people.
const LAYERS: &[(&str, &[(&str, u8)])] = &[
    (
        "L0 leaves",
        &[
            ("exit", 0),
            ("platform", 0),
            ("output", 1),
            ("clock", 0),
            ("duration", 1),
            ("phone", 0),
            ("pace", 0),
            ("net", 0),
            ("db", 2),
            ("screen", 2),
        ],
    ),
    (
        "L1 settings and vocabulary",
        &[("config", 3), ("graph_error", 3), ("event", 4)],
    ),
    (
        "L2 the outside and the record",
        &[("whatsapp", 5), ("audit", 5), ("templates", 6)],
    ),
    (
        "L3 the domain",
        &[
            ("members", 7),
            ("broadcast", 8),
            ("signup", 8),
            ("lapsed", 9),
            ("request", 9),
            ("inbound", 10),
            ("status", 11),
            ("account", 12),
            ("retention", 12),
        ],
    ),
    (
        "L4 operations",
        &[
            ("broadcast::sender", 13),
            ("broadcast::plan", 14),
            ("status::pull", 13),
            ("report", 13),
            ("webhook", 14),
            ("doctor", 14),
        ],
    ),
    ("L5 the command line", &[("cli", 15), ("commands", 16)]),
];

/// Imports allowed against the table, each with its reason; empty is the aim.
const EXCEPTIONS: &[(&str, &str)] = &[];

fn ranks() -> BTreeMap<&'static str, u8> {
    LAYERS
        .iter()
        .flat_map(|(_, modules)| modules.iter().copied())
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module path of a file under `src/` (`broadcast/ledger.rs` is
/// `broadcast::ledger`), or `None` for the crate root and test files.
fn module_path(rel: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| p == "tests")
        || matches!(parts[..], [ref one] if one == "lib" || one == "main")
    {
        return None;
    }
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some(parts)
}

/// The longest prefix of `path` that the table names.
fn unit_of(path: &[String], ranks: &BTreeMap<&str, u8>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|p| ranks.contains_key(p.as_str()))
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a piece of code names: `crate::a::b`, `crate::{a, b::c}`,
/// `crate::a::{b::x, y}`, and from `base` (the file's own module)
/// `super::x` and a child's `use x::…`.
fn named(code: &str, base: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    // The module words at the start of `s`: `a::b::C` gives `a`, `b`.
    let word = |s: &str| -> Vec<String> {
        let mut words = Vec::new();
        for segment in s.split("::") {
            let segment = segment.trim_start();
            let ident: String = segment
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if ident.is_empty() || !ident.starts_with(|c: char| c.is_ascii_lowercase()) {
                break;
            }
            let whole = ident.len() == segment.len();
            words.push(ident);
            if !whole {
                break;
            }
        }
        words
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        found.extend(paths_at(rest, &word, Vec::new()));
    }
    let parent = &base[..base.len().saturating_sub(1)];
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        rest = &rest[at + "super::".len()..];
        found.extend(paths_at(rest, &word, parent.to_vec()));
    }
    for line in code.lines() {
        let line = line.trim_start().trim_start_matches("pub ");
        if let Some(tail) = line.strip_prefix("use ")
            && !tail.starts_with("crate::")
            && !tail.starts_with("super::")
        {
            found.extend(paths_at(tail, &word, base.to_vec()));
        }
    }
    found
}

/// The paths at the start of `text` (after `crate::` or `super::`), under `prefix`.
fn paths_at(
    text: &str,
    word: &dyn Fn(&str) -> Vec<String>,
    prefix: Vec<String>,
) -> Vec<Vec<String>> {
    let head = word(text);
    let mut path = prefix;
    path.extend(head.iter().cloned());
    let consumed: usize = head.iter().map(|w| w.len() + 2).sum();
    let after = text.get(consumed..).unwrap_or("");
    if text.starts_with('{') || after.starts_with('{') {
        let group = if text.starts_with('{') { text } else { after };
        let inner = &group[1..group.find('}').unwrap_or(group.len())];
        let mut all = vec![path.clone()];
        for item in inner.split(',') {
            let mut p = path.clone();
            p.extend(word(item.trim()));
            all.push(p);
        }
        return all;
    }
    vec![path]
}

#[test]
fn imports_point_one_way() {
    let ranks = ranks();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut unplaced = Vec::new();
    let mut upward: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let Some(path) = module_path(rel) else {
            continue;
        };
        let Some(unit) = unit_of(&path, &ranks) else {
            unplaced.push(rel.display().to_string());
            continue;
        };
        let own = ranks[unit.as_str()];
        for target in named(&code(&fs::read_to_string(file).unwrap()), &path) {
            let Some(to) = unit_of(&target, &ranks) else {
                continue;
            };
            let edge = format!("{unit} -> {to}");
            if to != unit
                && ranks[to.as_str()] >= own
                && !EXCEPTIONS.iter().any(|(e, _)| *e == edge)
            {
                let files = upward.entry(edge).or_default();
                let shown = rel.display().to_string().replace('\\', "/");
                if !files.contains(&shown) {
                    files.push(shown);
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules with no layer (add them to LAYERS): {unplaced:?}"
    );
    let report: Vec<String> = upward
        .iter()
        .map(|(edge, files)| format!("{edge} (in {})", files.join(", ")))
        .collect();
    assert!(
        report.is_empty(),
        "imports that point up or sideways:\n{}",
        report.join("\n")
    );
}

/// The checker itself finds the forms of import mot uses.
#[test]
fn the_checker_sees_every_form_of_import() {
    let base: Vec<String> = vec!["broadcast".into(), "ledger".into()];
    let code = "use crate::{db, members::{self, MemberId}};\nuse crate::status::pull::run;\n\
                use super::sender::Settings;\npub use audience::Audience;\nlet x = crate::report::y();";
    let found: Vec<String> = named(code, &base).iter().map(|p| p.join("::")).collect();
    for want in [
        "db",
        "members",
        "status::pull::run",
        "broadcast::sender",
        "broadcast::ledger::audience",
        "report::y",
    ] {
        assert!(found.iter().any(|f| f == want), "{want} not in {found:?}");
    }
}
