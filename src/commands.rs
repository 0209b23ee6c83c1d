//! Resolving the command line into a [`Context`], and the commands themselves:
//! thin glue between the CLI, the domain modules and `output`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;

use crate::audit;
use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::db::{self, Create};
use crate::exit::{Exit, Failure};
use crate::webhook::relay::erasures;

mod broadcasts;
mod doctor;
mod members;
mod receive;
mod report;
mod request;
mod retention;
mod screen;
mod send;

/// The most message text read from a file or standard input. Meta caps a
/// template parameter at 1,024 characters, so 1 MiB is ample, and a stream
/// that never ends (`/dev/zero`, a runaway pipe) stops here.
const MAX_MESSAGE_BYTES: u64 = 1024 * 1024;

/// Reads the text of a message from a file (`Some`) or standard input:
/// only a regular file, at most [`MAX_MESSAGE_BYTES`], then decoded by
/// [`message_text`]. Bad input is a usage error (exit 2).
pub(crate) fn read_message_input(file: Option<&Path>) -> Result<String> {
    use std::io::Read;
    let limit = "a message is at most 1 MiB";
    let (source, input): (String, Box<dyn Read>) = match file {
        None => ("standard input".into(), Box::new(std::io::stdin().lock())),
        Some(path) => {
            let source = format!("message file {}", crate::platform::display(path));
            let refuse = |why: &dyn std::fmt::Display| -> anyhow::Error {
                Failure::new(Exit::Usage, format!("cannot read the {source}: {why}"))
                    .help("give --file a text file saved from an editor")
                    .into()
            };
            let f = crate::platform::open_regular(path).map_err(|e| refuse(&e))?;
            // A regular file says its size: refuse it without reading it.
            let len = f.metadata().map_err(|e| refuse(&e))?.len();
            if len > MAX_MESSAGE_BYTES {
                return Err(refuse(&format!("it is {len} bytes; {limit}")));
            }
            (source, Box::new(f))
        }
    };
    let mut bytes = Vec::new();
    input
        .take(MAX_MESSAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::Error::new(e).context(format!("cannot read the {source}")))?;
    if bytes.len() as u64 > MAX_MESSAGE_BYTES {
        return Err(
            Failure::new(Exit::Usage, format!("the {source} is over 1 MiB; {limit}"))
                .help("WhatsApp shows at most 1,024 characters of a broadcast: shorten it")
                .into(),
        );
    }
    message_text(bytes, &source)
}

/// Reads a message typed into a file or piped in. Windows tools add a byte
/// order mark (Notepad's "UTF-8 with BOM"), which must not be sent; text
/// in another encoding is refused with how to save it, never guessed at.
pub(crate) fn message_text(bytes: Vec<u8>, source: &str) -> Result<String> {
    let how = "save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8)";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(crate::exit::error_with_help(
            format!("{source} is UTF-16 text (Notepad's \"Unicode\"), not UTF-8"),
            how,
        ));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        crate::exit::error_with_help(
            format!(
                "{source} is not UTF-8 text (byte {} is not valid UTF-8)",
                e.utf8_error().valid_up_to() + 1
            ),
            how,
        )
    })
}

/// Says on stderr why the database's place may corrupt it, and what to do.
fn warn_location(warning: &str) {
    crate::log_line!("mot: warning: {warning}");
    crate::log_line!("help: {}", crate::platform::LOCATION_HELP);
}

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
        let today = jiff::ZonedDateTime::now().date();
        if let Some(warning) = db::location::location_warning_due(&conn, &config.db_path, today) {
            warn_location(&warning);
        }
        Ok(Context {
            config,
            conn,
            user: crate::platform::os_user(),
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
            .with_prompt(crate::output::escape(&format!(
                "{}{}?",
                what[..1].to_uppercase(),
                &what[1..]
            )))
            .default(false)
            .interact()?;
        if ok {
            Ok(())
        } else {
            Err(Failure::declined().into())
        }
    }

    /// Runs `f` with this process's connection to the database closed, then
    /// reopens it: for work that reads the file's bytes itself. Closing any
    /// descriptor of the file while SQLite holds it would drop SQLite's locks,
    /// and another program could then delete the WAL under us.
    pub fn without_db<T>(&mut self, f: impl FnOnce(&Config) -> T) -> Result<T> {
        let conn = std::mem::replace(&mut self.conn, db::nothing()?);
        conn.close().map_err(|(_, e)| e)?;
        let result = f(&self.config);
        self.conn = db::open(&self.config.db_path, Create::No)?;
        Ok(result)
    }

    /// Tells the relay, when one is configured, every erasure it is owed, and
    /// says on stderr whether it confirmed them.
    pub fn tell_relay(&self) -> Result<Option<erasures::Told>> {
        let Some(url) = self.config.relay.url.as_deref() else {
            return Ok(None);
        };
        let told = match &self.config.relay.token {
            Some(token) => erasures::tell(&self.conn, url, token)?,
            None => erasures::Told {
                owed: erasures::owed(&self.conn)?.len(),
                failure: Some("there is no relay token: set MOT_RELAY_TOKEN".to_string()),
                ..erasures::Told::default()
            },
        };
        match &told.failure {
            None => crate::log_line!(
                "relay: confirmed the erasure ({} stored event(s) deleted there)",
                told.events_erased
            ),
            Some(why) => crate::log_line!(
                "relay: not confirmed ({why}); the erasure is owed and sent again at the next `mot status pull`"
            ),
        }
        Ok(Some(told))
    }

    pub fn audit(&self, command: &str, outcome: &str, detail: serde_json::Value) -> Result<()> {
        audit::record(
            &self.conn,
            crate::clock::now(),
            &self.user,
            command,
            outcome,
            detail,
        )
    }
}

/// Runs one command, writing its data to `out`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<Exit> {
    crate::output::set_csv_bom(cli.bom);
    crate::output::set_utc(cli.utc);
    let command = match cli.command {
        Command::Init { .. } => return init(cli.config.as_deref(), cli.db.as_deref(), out),
        // Drafting needs no database; the config, when there is one, says
        // which contact details are the team's own (`[screen] allow`).
        Command::Screen(args) => {
            let file = cli
                .config
                .clone()
                .unwrap_or_else(config::default_config_path);
            let allow = match file.exists() {
                true => {
                    Config::load(Some(&file), cli.db.as_deref(), &config::process_env)?.screen_allow
                }
                false => crate::screen::Allow::default(),
            };
            return screen::run(args, &allow, out);
        }
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
            crate::cli::man::render(out)?;
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
    let db_path = config.db_path.clone();
    let mut ctx = Context::new(config)?;
    let result = match command {
        Command::Init { .. }
        | Command::Screen(_)
        | Command::Doctor { .. }
        | Command::Completions { .. }
        | Command::Man => {
            unreachable!("handled above")
        }
        Command::Templates(cmd) => doctor::templates(&mut ctx, cmd, out),
        Command::Members(cmd) => members::run(&mut ctx, cmd, out),
        Command::Send(args) => send::send(&mut ctx, args, out),
        Command::Broadcasts(cmd) => broadcasts::broadcasts(&mut ctx, cmd, out),
        Command::Request(args) => request::request(&mut ctx, args, out),
        Command::Replies(args) => request::replies(&mut ctx, args, out),
        Command::Requests(cmd) => request::requests(&mut ctx, cmd, out),
        Command::Status(cmd) => receive::status(&mut ctx, cmd, out),
        Command::Webhook(cmd) => receive::webhook(&mut ctx, cmd),
        Command::Inbox(args) => receive::inbox(&mut ctx, args, out),
        Command::Report(cmd) => report::run(&mut ctx, cmd, out),
        Command::Purge(args) => retention::purge(&mut ctx, args, out),
        Command::Audit(args) => retention::audit(&mut ctx, args, out),
        Command::Backup { file } => retention::backup(&ctx, &file, out),
    };
    result.map_err(|e| storage_failure(e, &db_path))
}

/// What a new user does after `mot init`, leaving out what is already set.
fn next_steps(config: &Config) -> String {
    let mut steps = Vec::new();
    if config.whatsapp.token.is_none() {
        steps.push(
            "set the access token: environment variable MOT_WHATSAPP_TOKEN, or \
             [whatsapp] token_file naming a file only you can read"
                .to_string(),
        );
    }
    if config.whatsapp.phone_number_id.is_none() {
        steps.push("in the config file, set [whatsapp] phone_number_id".to_string());
    }
    if config.broadcast.template.is_none() {
        steps.push(
            "in the config file, set [broadcast] template to your approved template's name"
                .to_string(),
        );
    }
    steps.push("add members: `mot members add`, or `mot members import members.csv`".to_string());
    steps.push("check the set-up before the first real send: `mot doctor`".to_string());
    steps.push(
        "try a broadcast without sending anything: `mot send \"Test notice\" --dry-run`"
            .to_string(),
    );
    let mut text = String::from("next steps:");
    for (n, step) in steps.iter().enumerate() {
        text.push_str(&format!("\n  {}. {step}", n + 1));
    }
    text
}

/// Says which file a storage failure is about and what to do, for the
/// failures a pharmacist can fix: a read-only file, a full disk, a lock.
fn storage_failure(err: anyhow::Error, db: &Path) -> anyhow::Error {
    use rusqlite::ErrorCode;
    if err.chain().any(|e| e.is::<Failure>()) {
        return err;
    }
    let code = err.chain().find_map(|e| {
        e.downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code)
    });
    let db = crate::platform::display(db);
    let (exit, what, help) = match code {
        Some(ErrorCode::ReadOnly) => (
            Exit::Error,
            format!("database {db} is read-only, so nothing more could be recorded"),
            "check that your account owns the file and its folder, and that the disk is not read-only",
        ),
        Some(ErrorCode::DiskFull) => (
            Exit::Error,
            format!("the disk holding database {db} is full, so nothing more could be recorded"),
            "free some space, then run the command again (an interrupted send continues with `mot broadcasts resume`)",
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            Exit::Locked,
            format!("database {db} is locked by another program"),
            "wait for the other mot (or program) to finish, then try again",
        ),
        Some(ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => (
            Exit::Error,
            format!("cannot read or write database {db}"),
            "check the disk and that the file is still there",
        ),
        _ => return err,
    };
    anyhow::Error::new(Failure::new(exit, format!("{what}: {err:#}")).help(help))
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
                    "# path = \"<the default above>\"",
                    &format!("path = {}", toml::Value::from(db.display().to_string())),
                    1,
                )
            }
            None => config::EXAMPLE.to_string(),
        };
        crate::platform::write_private_file(&file, text.as_bytes())?;
        true
    };
    // The example config names terms.txt beside it: the team edits the example.
    let terms = file.with_file_name("terms.txt");
    if !terms.exists() {
        crate::platform::write_private_file(&terms, config::TERMS_EXAMPLE.as_bytes())?;
    }
    let config = Config::load(Some(&file), db_flag, &config::process_env)?;
    let db_created = !config.db_path.exists();
    let conn = db::open(&config.db_path, Create::IfMissing)?;
    let today = jiff::ZonedDateTime::now().date();
    if let Some(warning) = db::location::location_warning_due(&conn, &config.db_path, today) {
        warn_location(&warning);
    }
    let detail =
        serde_json::json!({ "config_created": config_created, "database_created": db_created });
    audit::record(
        &conn,
        crate::clock::now(),
        &crate::platform::os_user(),
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
    crate::log_line!("{}", next_steps(&config));
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> anyhow::Error {
        anyhow::Error::new(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
        .context("cannot record the delivery")
    }

    #[test]
    fn storage_failures_name_the_file_and_what_to_do() {
        let db = Path::new("/data/mot.db");
        for (code, said, exit) in [
            (rusqlite::ffi::SQLITE_READONLY, "is read-only", Exit::Error),
            (rusqlite::ffi::SQLITE_FULL, "is full", Exit::Error),
            (rusqlite::ffi::SQLITE_BUSY, "is locked", Exit::Locked),
            (
                rusqlite::ffi::SQLITE_IOERR,
                "cannot read or write",
                Exit::Error,
            ),
        ] {
            let err = storage_failure(sqlite(code), db);
            let failure = err.downcast_ref::<Failure>().unwrap();
            assert!(
                failure.message.contains("/data/mot.db"),
                "{}",
                failure.message
            );
            assert!(failure.message.contains(said), "{}", failure.message);
            assert!(failure.help.is_some());
            assert_eq!(failure.exit, exit);
        }
        // Anything else, and failures that already say what to do, pass unchanged.
        let other = storage_failure(sqlite(rusqlite::ffi::SQLITE_CONSTRAINT), db);
        assert!(other.downcast_ref::<Failure>().is_none());
        let said = storage_failure(Failure::new(Exit::Usage, "x").into(), db);
        assert_eq!(said.downcast_ref::<Failure>().unwrap().exit, Exit::Usage);
    }

    #[test]
    fn a_notepad_bom_is_not_sent() {
        let text = message_text(b"\xEF\xBB\xBFShortage of X".to_vec(), "f").unwrap();
        assert_eq!(text, "Shortage of X");
        assert_eq!(message_text(b"plain".to_vec(), "f").unwrap(), "plain");
    }

    #[test]
    fn text_that_is_not_utf8_says_how_to_save_it() {
        for bytes in [b"caf\xE9".to_vec(), b"\xFF\xFEh\0i\0".to_vec()] {
            let err = message_text(bytes, "message file m.txt").unwrap_err();
            let failure = err.downcast_ref::<Failure>().unwrap();
            assert!(
                err.to_string().starts_with("message file m.txt is"),
                "{err}"
            );
            assert!(failure.help.as_deref().unwrap().contains("UTF-8"));
        }
    }
}
