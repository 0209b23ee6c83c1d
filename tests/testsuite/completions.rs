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
