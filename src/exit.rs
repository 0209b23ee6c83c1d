//! Exit codes, and the error that carries one (with an optional `help:` hint).

use std::fmt;

/// mot's exit codes. They are a public contract (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Success = 0,
    /// An error: nothing (more) was done.
    Error = 1,
    /// Bad usage, or confirmation needed (`--yes`) and no terminal to ask on.
    Usage = 2,
    /// Finished, but some recipients failed.
    SomeFailed = 3,
    /// Refused: the content screen found patient data.
    Screened = 4,
    /// Another mot holds the database or the send lock.
    Locked = 5,
    /// A broadcast was paused (account, token or template problem); resumable.
    Paused = 6,
}

impl Exit {
    /// Every exit code, in order.
    pub const ALL: [Exit; 7] = [
        Exit::Success,
        Exit::Error,
        Exit::Usage,
        Exit::SomeFailed,
        Exit::Screened,
        Exit::Locked,
        Exit::Paused,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }

    /// What the code means, as the README's "Exit codes" table and the
    /// manual page say it.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::Error => {
                "error (nothing, or nothing more, was done); includes an import with invalid rows"
            }
            Exit::Usage => "usage error, or confirmation needed: not on a terminal and no `--yes`",
            Exit::SomeFailed => "finished, but some recipients failed",
            Exit::Screened => "refused: the content screen found patient data",
            Exit::Locked => "another mot holds the database (or the send lock)",
            Exit::Paused => {
                "a broadcast was paused (account, token or template problem, or the rest is held by the messaging limit); resumable. Also: a send refused to start because Meta reported the template paused/disabled/rejected or the account restricted, and `status pull` stopped by a token, account or template error"
            }
        }
    }
}

/// An error with a specific exit code and an optional hint on what to do next.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub help: Option<String>,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A flag's value that cannot be used: a usage error naming the flag.
    pub fn bad_flag(flag: &str, why: impl std::fmt::Display) -> Self {
        Failure::new(Exit::Usage, format!("--{flag}: {why}"))
    }

    /// The person at the terminal answered no: nothing was done, and that is
    /// not an error (exit 0, said without "error:").
    pub fn declined() -> Self {
        Failure::new(Exit::Success, "cancelled; nothing was changed")
    }

    /// Whether this only says the person declined (see [`Failure::declined`]).
    pub fn is_declined(&self) -> bool {
        self.exit == Exit::Success
    }

    /// The error for a mutating command run without a terminal and without `--yes`.
    pub fn needs_yes(what: &str) -> Self {
        Failure::new(
            Exit::Usage,
            format!("confirmation needed to {what}, and there is no terminal to ask on"),
        )
        .help("add --yes to confirm")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// An error with exit code 1 and a hint.
/// Everything missing for a command, said at once, so that a new user fixes
/// it in one go rather than one error per run. Each item is (what is
/// missing, how to set it).
pub fn missing(exit: Exit, items: &[(&str, &str)]) -> Option<anyhow::Error> {
    match items {
        [] => None,
        [(what, how)] => Some(
            Failure::new(exit, format!("missing: {what}"))
                .help(*how)
                .into(),
        ),
        _ => {
            let what: Vec<&str> = items.iter().map(|(w, _)| *w).collect();
            let how: Vec<String> = items.iter().map(|(w, h)| format!("\n  {w}: {h}")).collect();
            Some(
                Failure::new(
                    exit,
                    format!("missing {} settings: {}", items.len(), what.join("; ")),
                )
                .help(format!("set each of them:{}", how.concat()))
                .into(),
            )
        }
    }
}

pub fn error_with_help(message: impl Into<String>, help: impl Into<String>) -> anyhow::Error {
    Failure::new(Exit::Error, message).help(help).into()
}
