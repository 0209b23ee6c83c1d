//! The command line, declared once: these doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::{Format, SummaryFormat};

/// Run an NHS Medicines Optimisation Team WhatsApp InfoService.
///
/// mot keeps its members and messages in one local SQLite file and talks to the
/// WhatsApp Cloud API. Secrets come only from the environment
/// (MOT_WHATSAPP_TOKEN, MOT_WHATSAPP_APP_SECRET, MOT_WEBHOOK_VERIFY_TOKEN) or
/// from owner-only files named in the config.
#[derive(Debug, Parser)]
#[command(name = "mot", version, propagate_version = true)]
pub struct Cli {
    /// Config file [default: %APPDATA%\mot\config.toml on Windows, ~/.config/mot/config.toml on
    /// Linux, ~/Library/Application Support/mot/config.toml on macOS]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "MOT_CONFIG",
        value_name = "PATH"
    )]
    pub config: Option<PathBuf>,

    /// Database file (overrides `[database] path`) [default: %LOCALAPPDATA%\mot\mot.db on
    /// Windows, ~/.local/share/mot/mot.db on Linux, ~/Library/Application Support/mot/mot.db on macOS]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "MOT_DB",
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// Start every CSV written (`--format csv`) with a UTF-8 byte-order mark, so Excel shows
    /// "Zoë" and "Siân" rather than "ZoÃ«" when it opens the file
    #[arg(long, global = true, help_heading = "Global options", env = "MOT_CSV_BOM",
          value_parser = clap::builder::FalseyValueParser::new())]
    pub bom: bool,

    /// Show times in tables in UTC, as stored, rather than in this computer's time zone
    /// (JSON and CSV always give UTC)
    #[arg(long, global = true, help_heading = "Global options")]
    pub utc: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the config file and the database if missing, and print where they are
    Init {
        #[command(flatten)]
        no_questions: NoQuestions,
    },
    /// Add, import, list and manage members
    #[command(subcommand)]
    Members(MembersCommand),
    /// Send a notice to every active member, or to those matching --role / --location
    ///
    /// Every broadcast is sent as the approved template ([broadcast] template);
    /// paragraphs (separated by blank lines) fill its body parameters.
    /// Every recipient is written to the ledger before the first message goes out,
    /// so an interrupted send can be resumed without sending anyone a message twice.
    Send(SendArgs),
    /// List, show, resume and retry broadcasts
    #[command(subcommand)]
    Broadcasts(BroadcastsCommand),
    /// Ask members a question and collect their answers in one place
    ///
    /// A request is a broadcast like `mot send` (same audience filters, screen,
    /// confirmation, ledger, resume and retry), sent as [request] template.
    /// Options are written into the message as numbered choices; a reply of the
    /// number or the option's words selects one. See `mot replies` and `mot requests`.
    Request(RequestArgs),
    /// Every recipient's answer to a request, and the tally by option
    Replies(RepliesArgs),
    /// List, close and chase requests for information
    #[command(subcommand)]
    Requests(RequestsCommand),
    /// Delivery status: ask WhatsApp (and the relay, if configured) what became of messages
    #[command(subcommand)]
    Status(StatusCommand),
    /// Receive WhatsApp webhooks (statuses and inbound messages) into the database
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// List inbound messages: sign-ups, replies, opt-outs
    Inbox(InboxArgs),
    /// Reports
    #[command(subcommand)]
    Report(ReportCommand),
    /// Check the set-up before a send: config, database, token, number, templates, webhooks
    ///
    /// Each check is ok, warn or fail, with one line of detail and what to do.
    /// Exits 0 when nothing fails (warnings allowed), 1 otherwise. Asks WhatsApp
    /// about the number and the templates; never prints a secret.
    Doctor {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The business account's message templates
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print a shell completion script, e.g. `mot completions bash > /etc/bash_completion.d/mot`
    Completions {
        /// The shell: bash, zsh, fish or powershell
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff), e.g. `mot man > ~/.local/share/man/man1/mot.1`
    Man,
    /// Check text for patient-identifiable data without sending it
    ///
    /// Prints each finding with the span marked; exits 4 if anything blocks, 0 otherwise.
    Screen(ScreenArgs),
    /// Delete what the retention policy ([retention]) says is no longer needed
    ///
    /// Applies every period, kind by kind in short transactions (a run that
    /// is interrupted is finished by the next), writes an audit row with the
    /// counts, then clears the WAL, so purged text cannot be recovered from
    /// the file, and rebuilds the file when more than [retention]
    /// vacuum_share of it is free and it holds at most 64 MiB (larger ones
    /// only with --vacuum). Needs no --yes: the policy is the confirmation.
    /// Running it twice in a row removes nothing the second time.
    Purge(PurgeArgs),
    /// Show the audit trail: who ran which command, when, with what outcome (newest last)
    Audit(AuditArgs),
    /// Copy the database to a new file, safely even while mot is receiving or sending
    ///
    /// Uses SQLite's online backup API, so the copy is whole and consistent
    /// while `mot webhook serve` or a send writes; copying the file itself
    /// then is not safe. FILE must not exist; it is created owner-only (it
    /// holds members' numbers) and checked. Audited.
    Backup {
        /// The new file to write (never replaced)
        file: PathBuf,
    },
}

/// `--yes` for a command that changes data but asks nothing: accepted, so a
/// cron line that passes `--yes` out of habit still runs.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct NoQuestions {
    /// Accepted for scripts; this command asks for no confirmation
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Count what would be removed, per kind, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Then rebuild the file whatever its size, giving free space back to
    /// the disk; the database is held throughout (seconds for a large file),
    /// so best run while `webhook serve` is stopped or idle
    #[arg(long, conflicts_with = "dry_run")]
    pub vacuum: bool,
    #[command(flatten)]
    pub no_questions: NoQuestions,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries since then: a duration (7d, 12h), a date (2026-11-01 or 01/11/2026) or a
    /// date and time (2026-11-01 09:30), in this computer's time zone
    #[arg(long, value_name = "WHEN", value_parser = crate::duration::since)]
    pub since: Option<jiff::Timestamp>,
    /// Only this command, or the commands under it (`members` shows `members add`, …)
    #[arg(long, value_name = "NAME")]
    pub command: Option<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The text to check; `-` (or nothing) reads standard input
    pub text: Option<String>,
    /// Output: table (for people) or json (for scripts); csv is refused here
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
}

/// Shells `mot completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<Shell> for clap_complete::Shell {
    fn from(s: Shell) -> Self {
        match s {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the templates as last fetched by `mot templates sync`
    List {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Fetch the business account's templates from WhatsApp and keep them
    ///
    /// Needs [whatsapp] business_account_id. A template whose category changed
    /// from UTILITY to MARKETING is flagged: it costs more, and members'
    /// per-user marketing limits apply to it.
    Sync {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        no_questions: NoQuestions,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// Pull the status of every recent delivery that is not final yet
    ///
    /// Asks WhatsApp's message history about deliveries sent within
    /// [status] window (14 days) that are sent, delivered or unknown, and, if
    /// [relay] url is set, fetches the events a remote `mot webhook serve` stored.
    /// Running it twice changes nothing the second time.
    Pull {
        #[command(flatten)]
        no_questions: NoQuestions,
        /// Output: table (for people) or json (for scripts); csv is refused here
        #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
        format: SummaryFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Serve the webhook endpoint (GET verification, signed POSTs) until SIGINT/SIGTERM
    ///
    /// Needs MOT_WHATSAPP_APP_SECRET and MOT_WEBHOOK_VERIFY_TOKEN. With
    /// MOT_RELAY_TOKEN set it also serves GET /events and POST /events/ack for
    /// a laptop running `mot status pull` with [relay] url.
    Serve {
        /// Address to listen on [default: [webhook] listen, 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Open connections at most; beyond it the oldest that has not sent a
        /// whole signed request is closed to make room
        #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(u16).range(1..))]
        max_connections: u16,
        /// Time a client has to send a request's headers, and the most a
        /// connection may sit idle, e.g. 10s
        #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::duration::parse_std)]
        header_timeout: std::time::Duration,
        /// Time a client has to send a request's body, e.g. 30s
        #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = crate::duration::parse_std)]
        body_timeout: std::time::Duration,
        #[command(flatten)]
        no_questions: NoQuestions,
    },
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Only messages since then: a duration (24h, 7d), a date (2026-11-01 or 01/11/2026) or a
    /// date and time (2026-11-01 09:30), in this computer's time zone
    #[arg(long, value_name = "WHEN", value_parser = crate::duration::since)]
    pub since: Option<jiff::Timestamp>,
    /// Only messages from this member (id or mobile number)
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
    /// Only messages not linked to a broadcast
    #[arg(long)]
    pub unlinked: bool,
    /// Keep the member of a message flagged likely_opt_out: the flag goes (audited).
    /// To let them go instead: `mot members opt-out MEMBER_ID`
    #[arg(long, value_name = "MESSAGE_ID", conflicts_with_all = ["since", "member", "unlinked"])]
    pub dismiss: Option<i64>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Members the lapsed rule finds, with the broadcasts that missed them
    ///
    /// A member is lapsed when their last [lapsed] broadcasts (3) counted
    /// broadcasts failed for a member reason (131026, 131009, 131021, 131030) or
    /// were not delivered after [lapsed] min_days (14). Broadcasts where more
    /// than [lapsed] outage_share (0.5) of recipients failed with one code count
    /// for nobody; they are listed after the members (on stderr for csv/json).
    Lapsed {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Members by status, role and location; recent broadcasts; lapsed members
    Summary {
        /// Broadcasts created within this many days
        #[arg(long, value_name = "N", default_value_t = 30,
              value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Per-member delivery report for one broadcast
    Broadcast {
        /// The broadcast's id (see `mot broadcasts list`)
        id: i64,
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub mod man;
mod members;
mod sending;

pub use members::*;
pub use sending::*;

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Every command that changes data accepts `--yes`, so a cron line
    /// written by habit is never a usage error.
    #[test]
    fn every_mutating_command_accepts_yes() {
        let mutating: &[&[&str]] = &[
            &["init"],
            &["members", "add", "--name", "A"],
            &["members", "import", "x.csv"],
            &["members", "edit", "1"],
            &["members", "approve", "1"],
            &["members", "remove", "1"],
            &["members", "reactivate", "1"],
            &["members", "opt-out", "1"],
            &["members", "lapse", "1"],
            &["members", "prune"],
            &["send", "hello"],
            &["request", "hello"],
            &["requests", "close", "1"],
            &["requests", "remind", "1"],
            &["broadcasts", "resume", "1"],
            &["broadcasts", "retry", "1"],
            &["status", "pull"],
            &["webhook", "serve"],
            &["templates", "sync"],
            &["purge"],
        ];
        for args in mutating {
            let argv = std::iter::once("mot")
                .chain(args.iter().copied())
                .chain(["--yes"]);
            if let Err(e) = Cli::try_parse_from(argv) {
                panic!("{args:?} --yes: {e}");
            }
        }
    }

    /// Every command and every option says what it is for, and no help
    /// points at `config.example.toml` (an installed mot has none).
    #[test]
    fn every_command_and_option_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            let mut text = Vec::new();
            cmd.clone().write_long_help(&mut text).unwrap();
            let text = String::from_utf8(text).unwrap();
            assert!(!text.contains("config.example"), "{path}: {text}");
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if ["help", "version"].contains(&id) {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path}: <{id}>"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    if sub.get_about().is_none() {
                        missing.push(format!("{path} {}", sub.get_name()));
                    }
                    walk(sub, &path, missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no help for:\n{}", missing.join("\n"));
    }
}
