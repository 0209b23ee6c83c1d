//! `mot man`: one manual page for the whole command line. clap_mangen makes
//! its head from the declaration; the rest is written here: every command
//! (clap_mangen would name `mot-members(1)` and others, pages that do not
//! exist), the exit status, the environment and the files.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Cli;
use crate::config;
use crate::exit::Exit;

/// Writes the page as roff.
pub fn render(out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;

    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    roff.text([roman(
        "Each command's options: mot COMMAND --help (for example mot members import --help).",
    )]);
    commands(&mut roff, &cmd, "mot");

    roff.control("SH", ["EXIT STATUS"]);
    for exit in Exit::ALL {
        roff.control("TP", []);
        roff.text([bold(exit.code().to_string())]);
        roff.text([roman(exit.meaning())]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "An empty variable counts as unset. Secrets are read only from the environment or from owner-only files named in the config.",
    )]);
    for (name, what) in config::ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }

    roff.control("SH", ["FILES"]);
    files(&mut roff);
    roff.to_writer(out)
}

/// Every command under `cmd`, with its one-line help, depth first.
fn commands(roff: &mut Roff, cmd: &clap::Command, path: &str) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let path = format!("{path} {}", sub.get_name());
        roff.control("TP", []);
        roff.text([bold(path.as_str())]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
        commands(roff, sub, &path);
    }
}

fn files(roff: &mut Roff) {
    let entry = |roff: &mut Roff, name: &str, what: &str| {
        roff.control("TP", []);
        roff.text([italic(name)]);
        roff.text([roman(what)]);
    };
    entry(
        roff,
        "config.toml",
        "The config file (--config, MOT_CONFIG): %APPDATA%\\mot\\config.toml on Windows, ~/.config/mot/config.toml on Linux, ~/Library/Application Support/mot/config.toml on macOS. mot init writes one with every key described.",
    );
    entry(
        roff,
        "mot.db",
        "The database (--db, MOT_DB, [database] path): %LOCALAPPDATA%\\mot\\mot.db on Windows, ~/.local/share/mot/mot.db on Linux, ~/Library/Application Support/mot/mot.db on macOS. One SQLite file, owner-only, with its -wal and -shm beside it while in use.",
    );
    entry(
        roff,
        "DATABASE.send-lock",
        "Beside the database, held while a broadcast sends, so one sender runs per database; its note (DATABASE.send-lock.note) says who holds it.",
    );
}
