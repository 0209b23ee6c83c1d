//! `mot completions` and `mot man`: generated from the command line itself,
//! without a config or a database.

use crate::common::Mot;

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    let mot = Mot::bare();
    for (shell, marker) in [
        ("bash", "complete -F _mot"),
        ("zsh", "#compdef mot"),
        ("fish", "complete -c mot"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = mot.cmd(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        for command in ["doctor", "templates", "send", "force-template-state"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    mot.cmd(["completions", "tcsh"]).assert().code(2);
    assert!(!mot.db().exists(), "nothing was created");
}

#[test]
fn the_man_page_is_roff_and_covers_the_commands() {
    let mot = Mot::bare();
    let out = mot.cmd(["man"]).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH mot 1"), "{page}");
    assert!(page.contains("doctor"));
    assert!(page.contains("templates"));
}

/// One page, with no `mot-members(1)` or other pages that are never made;
/// every command, the exit codes (from `Exit`, as the README gives them),
/// every `MOT_*` variable the code reads, and the files.
#[test]
fn the_man_page_lists_every_command_exit_code_variable_and_file() {
    let out = Mot::bare().cmd(["man"]).output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(!page.contains("(1)"), "names another page: {page}");
    for section in [
        ".SH COMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for command in [
        "mot members import",
        "mot broadcasts resume",
        "mot requests remind",
        "mot webhook serve",
    ] {
        assert!(page.contains(command), "no {command}");
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for exit in mot::exit::Exit::ALL {
        let roff = exit.meaning().replace('-', "\\-");
        assert!(page.contains(&roff), "{exit:?} not in the page");
        let row = format!("| {} | {} |", exit.code(), exit.meaning());
        assert!(readme.contains(&row), "README's exit codes lack {row}");
    }
    let mut read = Vec::new();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut files = Vec::new();
    crate::mentions::rust_files(std::path::Path::new(src), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for part in text.split("\"MOT_").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            if part[name.len()..].starts_with('"') {
                read.push(format!("MOT_{name}"));
            }
        }
    }
    assert!(read.len() > 10);
    for name in read {
        assert!(page.contains(&name), "{name} not in ENVIRONMENT");
    }
}
