//! Resolving the command line into a [`Context`], and the commands themselves:
//! thin glue between the CLI, the domain modules and `output`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::audit;
use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::db::{self, Create};
use crate::exit::{Exit, Failure};

mod doctor;
mod members;
mod receive;
mod screen;
mod send;

/// What every command runs with: configuration, the open database, who is
/// running it, and whether there is a person at a terminal to ask.
pub struct Context {
    pub config: Config,
    pub conn: Connection,
    pub user: String,
    pub interactive: bool,
}

impl Context {
    fn new(config: Config) -> Result<Context> {
        let conn = db::open(&config.db_path, Create::No)?;
        Ok(Context {
            config,
            conn,
            user: audit::os_user(),
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        })
    }

    /// Asks before a change that affects people; `what` reads "remove member 3…". Without a terminal only
    /// `--yes` may confirm: cron must never hang on a prompt.
    pub fn confirm(&self, what: &str, yes: bool) -> Result<()> {
        if yes {
            return Ok(());
        }
        if !self.interactive {
            return Err(Failure::needs_yes(what).into());
        }
        let ok = dialoguer::Confirm::new()
            .with_prompt(format!("{}{}?", what[..1].to_uppercase(), &what[1..]))
            .default(false)
            .interact()?;
        if ok {
            Ok(())
        } else {
            Err(Failure::new(Exit::Error, "cancelled; nothing was changed").into())
        }
    }

    pub fn audit(&self, command: &str, outcome: &str, detail: serde_json::Value) -> Result<()> {
        audit::record(
            &self.conn,
            Timestamp::now(),
            &self.user,
            command,
            outcome,
            detail,
        )
    }
}

/// Runs one command, writing its data to `out`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<Exit> {
    let command = match cli.command {
        Command::Init => return init(cli.config.as_deref(), cli.db.as_deref(), out),
        // Drafting needs no configuration or database.
        Command::Screen(args) => return screen::run(args, out),
        // Generated from the command line itself: no config or database needed.
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Written whole to a buffer first: clap_complete panics on a
            // closed pipe, where mot's own writes end quietly.
            let mut script = Vec::new();
            let shell: clap_complete::Shell = shell.into();
            clap_complete::generate(shell, &mut Cli::command(), "mot", &mut script);
            out.write_all(&script)?;
            return Ok(Exit::Success);
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(out)?;
            return Ok(Exit::Success);
        }
        // The doctor reports a config that does not load rather than stopping at it.
        Command::Doctor { format } => {
            return doctor::run(cli.config.as_deref(), cli.db.as_deref(), format, out);
        }
        command => command,
    };
    let config = Config::load(
        cli.config.as_deref(),
        cli.db.as_deref(),
        &config::process_env,
    )?;
    let mut ctx = Context::new(config)?;
    match command {
        Command::Init
        | Command::Screen(_)
        | Command::Doctor { .. }
        | Command::Completions { .. }
        | Command::Man => {
            unreachable!("handled above")
        }
        Command::Templates(cmd) => doctor::templates(&mut ctx, cmd, out),
        Command::Members(cmd) => members::run(&mut ctx, cmd, out),
        Command::Send(args) => send::send(&mut ctx, args, out),
        Command::Broadcasts(cmd) => send::broadcasts(&mut ctx, cmd, out),
        Command::Status(cmd) => receive::status(&mut ctx, cmd, out),
        Command::Webhook(cmd) => receive::webhook(&mut ctx, cmd),
        Command::Inbox(args) => receive::inbox(&mut ctx, args, out),
        Command::Report(cmd) => receive::report(&mut ctx, cmd, out),
    }
}

fn init(config_flag: Option<&Path>, db_flag: Option<&Path>, out: &mut dyn Write) -> Result<Exit> {
    let file = config_flag.map_or_else(config::default_config_path, Path::to_path_buf);
    let config_created = if file.exists() {
        false
    } else {
        let text = match db_flag {
            // Remember an explicit database so later commands find it.
            Some(db) => {
                let db = std::path::absolute(db)?;
                config::EXAMPLE.replacen(
                    "# path = \"mot.db\"",
                    &format!("path = {}", toml::Value::from(db.display().to_string())),
                    1,
                )
            }
            None => config::EXAMPLE.to_string(),
        };
        config::write_private_file(&file, text.as_bytes())?;
        true
    };
    let config = Config::load(Some(&file), db_flag, &config::process_env)?;
    let db_created = !config.db_path.exists();
    let conn = db::open(&config.db_path, Create::IfMissing)?;
    let detail =
        serde_json::json!({ "config_created": config_created, "database_created": db_created });
    audit::record(
        &conn,
        Timestamp::now(),
        &audit::os_user(),
        "init",
        "ok",
        detail,
    )?;
    let said = |created| {
        if created {
            "created"
        } else {
            "already there, left as it was"
        }
    };
    writeln!(
        out,
        "config:   {} ({})",
        config.file.display(),
        said(config_created)
    )?;
    writeln!(
        out,
        "database: {} ({})",
        config.db_path.display(),
        said(db_created)
    )?;
    Ok(Exit::Success)
}
