//! Every `mot …` command that mot's own messages and help, the README and
//! ARCHITECTURE.md name exists, with the flags they name: advice that points at a command that is not there
//! (`mot report members`) leaves a pharmacist stuck.

use std::fs;
use std::path::Path;

use clap::CommandFactory;

/// The `` `mot …` `` quotes in a text.
fn quotes(text: &str) -> Vec<String> {
    text.split("`mot ")
        .skip(1)
        .filter_map(|rest| rest.split_once('`').map(|(q, _)| q.to_string()))
        .collect()
}

/// Why a quoted command line does not fit the command line mot has, if it does not.
fn misfit(root: &clap::Command, quote: &str) -> Option<String> {
    let mut cmd = root;
    let mut path = vec!["mot".to_string()];
    for word in quote.split_whitespace() {
        // A pipe or an ellipsis ends the command line the quote names.
        if word == "|" || word == "…" {
            break;
        }
        let word = word.trim_matches(|c| c == '[' || c == ']');
        // `show|resume|retry`: each must be a subcommand; the first is followed.
        if word.contains('|') && !word.contains("\\|") && cmd.has_subcommands() {
            let mut alternatives = word.split('|');
            for alt in word.split('|') {
                if cmd.find_subcommand(alt).is_none() {
                    return Some(format!("`{}` has no subcommand {alt}", path.join(" ")));
                }
            }
            let first = alternatives.next().unwrap_or_default();
            cmd = cmd.find_subcommand(first).expect("checked above");
            path.push(first.to_string());
            continue;
        }
        if let Some(flag) = word.strip_prefix("--") {
            let flag = flag.split('=').next().unwrap_or(flag);
            let known = cmd
                .get_arguments()
                .chain(root.get_arguments())
                .any(|a| a.get_long() == Some(flag));
            if !known {
                return Some(format!("`{}` has no --{flag}", path.join(" ")));
            }
            continue;
        }
        let is_word = word.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        match cmd.find_subcommand(word) {
            Some(sub) => {
                cmd = sub;
                path.push(word.to_string());
            }
            None if is_word && cmd.has_subcommands() => {
                return Some(format!("`{}` has no subcommand {word}", path.join(" ")));
            }
            // A value: a message, an id, a placeholder, a redirection.
            None => {}
        }
    }
    None
}

pub fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_command_mot_mentions_exists() {
    let root = mot::cli::Cli::command();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("../README.md"), src.join("../ARCHITECTURE.md")];
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for quote in quotes(&text) {
            if let Some(why) = misfit(&root, &quote) {
                wrong.push(format!("{}: `mot {quote}`: {why}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_missing_command_and_a_missing_flag() {
    let root = mot::cli::Cli::command();
    assert!(misfit(&root, "report members").is_some());
    assert!(misfit(&root, "inbox --nonsense").is_some());
    assert_eq!(misfit(&root, "report summary"), None);
    assert_eq!(
        misfit(&root, "broadcasts resume {id} --resend-unknown"),
        None
    );
    assert_eq!(misfit(&root, "send \"Test notice\" --dry-run"), None);
    assert_eq!(misfit(&root, "members add [--name --phone]"), None);
    assert_eq!(misfit(&root, "broadcasts show|resume --format json"), None);
    assert!(misfit(&root, "broadcasts show|replay").is_some());
}
