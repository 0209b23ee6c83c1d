//! The `mot` binary: parse, run, print one error line, map to an exit code.
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use mot::cli::Cli;
use mot::exit::{Exit, Failure};
use mot::output::escape_text;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return command_line_error(&err),
    };
    let mut out = Stdout {
        inner: io::stdout().lock(),
        closed: false,
    };
    let result = mot::run(cli, &mut out).and_then(|exit| {
        out.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        // Whatever wrapped the write error on its way up (a CSV writer, a
        // table, JSON), the reader went away: that is not an error.
        Err(_) if out.closed => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let failure = err.chain().find_map(|e| e.downcast_ref::<Failure>());
            if let Some(declined) = failure.filter(|f| f.is_declined()) {
                let _ = writeln!(io::stderr().lock(), "mot: {}", declined.message);
                return ExitCode::SUCCESS;
            }
            let exit = failure.map_or_else(|| exit_for(&err), |f| f.exit);
            let mut stderr = io::stderr().lock();
            // Errors quote input (a file's cell, a flag's value): escaped like all output.
            let message = format!("mot: error: {err:#}");
            let _ = writeln!(stderr, "{}", escape_text(&message));
            if let Some(help) = failure.and_then(|f| f.help.as_deref()) {
                let _ = writeln!(stderr, "help: {}", escape_text(help));
            }
            ExitCode::from(exit.code() as u8)
        }
    }
}

/// clap's own errors, said as mot's are (`mot: error: …`, exit 2), with a
/// pointer to the right command where a flag is looked for in the wrong one.
/// Help and version go out as clap writes them.
fn command_line_error(err: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::from(err.exit_code() as u8);
    }
    let invalid = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.as_str(),
        _ => "",
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let editing = args.windows(2).any(|w| w[0] == "members" && w[1] == "edit");
    let help = (editing && invalid.starts_with("--status")).then_some(
        "`members edit` changes details only; a status changes with `mot members approve`, `lapse`, `opt-out` or `reactivate`",
    );
    let text = err.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text).trim_end();
    // clap's own tip would only mislead where mot has a better one.
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| help.is_none() || !l.trim_start().starts_with("tip:"))
        .collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "mot: error: {}", escape_text(&lines.join("\n")));
    if let Some(help) = help {
        let _ = writeln!(stderr, "help: {help}");
    }
    ExitCode::from(Exit::Usage.code() as u8)
}

/// Standard output that remembers whether its reader has gone away
/// (`mot members list | head`).
struct Stdout<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Stdout<W> {
    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.closed |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// Exit codes for errors that did not say: a busy database means another mot.
fn exit_for(err: &anyhow::Error) -> Exit {
    let busy = err.chain().any(|e| {
        e.downcast_ref::<rusqlite::Error>().is_some_and(|e| {
            matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        })
    });
    if busy { Exit::Locked } else { Exit::Error }
}

/// `mot members list | head` closes our stdout early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<csv::Error>().is_some_and(|e| {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            })
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}
