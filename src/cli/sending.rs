//! The command line of sending: `send`, `request`, `replies`, `requests` and `broadcasts`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::{Format, SummaryFormat};

use super::NoQuestions;

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The message text; `-` reads it from standard input
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub message: Option<String>,
    /// Read the message text from this file
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Only members whose job role contains these words, in order
    /// (case-insensitive; repeatable); a value matching no member is refused
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only members whose working location contains these words, in order
    /// (case-insensitive; repeatable); a value matching no member is refused
    #[arg(long = "location", value_name = "LOCATION")]
    pub locations: Vec<String>,
    /// Send only to this number (member or not), recorded as a test
    #[arg(long, value_name = "PHONE", conflicts_with_all = ["roles", "locations"])]
    pub test: Option<String>,
    /// Show the plan: who would get it, how many now and how many the messaging limit holds
    /// back, the text as it will arrive, and any warnings; write and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: also show the template's parameters and the exact request the first
    /// recipient would be sent
    #[arg(long, short, requires = "dry_run")]
    pub verbose: bool,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Never send after this long from now, e.g. 30m, 4h, even what the messaging limit holds
    /// back (urgent) [default: [broadcast] not_after, 24h; for a held notice, from when it may go]
    #[arg(long, alias = "expires", value_name = "DURATION", value_parser = crate::duration::parse)]
    pub not_after: Option<jiff::SignedDuration>,
    /// Send even though the same text went to the same audience recently
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Send even though the patient-data screen blocks it; the reason is audited
    #[arg(long, value_name = "REASON")]
    pub override_screen: Option<String>,
    /// Send even though the screen warned (a first name with clinical
    /// words, a lone NHS-like number): --yes alone does not accept a
    /// warning (audited)
    #[arg(long)]
    pub accept_warnings: bool,
    /// Send even though Meta reported the template paused, disabled or
    /// rejected, or the account restricted (audited)
    #[arg(long)]
    pub force_template_state: bool,
    /// Send to everyone now, even beyond the number's messaging limit (Meta
    /// fails the messages over the limit)
    #[arg(long)]
    pub ignore_messaging_limit: bool,
    /// Output: table (for people) or json (for scripts); csv is refused here
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The question, audience and sending flags, exactly as for `mot send`
    #[command(flatten)]
    pub send: SendArgs,
    /// An answer members can choose (repeatable, up to 10); a reply of its
    /// number or its words selects it
    #[arg(long = "option", value_name = "TEXT")]
    pub options: Vec<String>,
    /// Answers after this long are kept but marked late, e.g. 4h, 2d [default: [request] closes_in, 48h]
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub closes_in: Option<jiff::SignedDuration>,
    /// An online form that can be used instead of replying (https://…); clicks are not tracked
    #[arg(long, value_name = "URL")]
    pub survey_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct RepliesArgs {
    /// The request's id (see `mot requests list`)
    pub id: i64,
    /// Only recipients who have not answered, with how far the request got to them
    #[arg(long, conflicts_with = "all")]
    pub missing: bool,
    /// Every message each member sent about the request, not only their answer
    #[arg(long)]
    pub all: bool,
    /// File a recipient's message (its id in `mot inbox`) as their answer OPTION, by hand
    /// (audited); it is then their answer, shown as "(by hand)"
    #[arg(long, num_args = 2, value_names = ["MESSAGE_ID", "OPTION"], conflicts_with_all = ["missing", "all"])]
    pub assign: Option<Vec<i64>>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// List requests, newest first, with how many have answered
    List {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// End a request early: later answers are kept but marked late
    Close {
        /// The request's id (see `mot requests list`)
        id: i64,
        #[command(flatten)]
        no_questions: NoQuestions,
    },
    /// Remind members who were delivered the request and have not answered
    ///
    /// Sent as [request] reminder_template (or the request's template with the
    /// question prefixed "Reminder:"), through the same ledger, as a broadcast
    /// linked to the request. Within [request] remind_interval (12h) of the last
    /// reminder it sends nothing, so a cron line run twice chases nobody twice.
    ///
    /// For a scheduled job, nobody to remind, a recent reminder and a closed
    /// request (by id or with --all-open) are normal days: exit 0, with a line on
    /// standard error. Without a terminal a reminder to send needs --yes (exit 2
    /// otherwise, before anything is sent), so a cron line is
    /// `mot requests remind --all-open --yes`.
    Remind {
        /// The request's id (see `mot requests list`)
        #[arg(required_unless_present = "all_open", conflicts_with = "all_open")]
        id: Option<i64>,
        /// Remind every open request (oldest first; test requests are left out)
        #[arg(long)]
        all_open: bool,
        /// Do not ask for confirmation (required when not on a terminal)
        #[arg(long, short)]
        yes: bool,
        /// Remind again even within [request] remind_interval (audited)
        #[arg(long)]
        again: bool,
        /// Send even though Meta reported the template paused, disabled or
        /// rejected, or the account restricted (audited)
        #[arg(long)]
        force_template_state: bool,
        /// Output: table (for people) or json (for scripts); csv is refused here
        #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
        format: SummaryFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum BroadcastsCommand {
    /// List broadcasts, newest first, with their delivery counts
    List {
        /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Show one broadcast's state and counts
    Show {
        /// The broadcast's id (see `mot broadcasts list`)
        id: i64,
        /// Output: table (for people) or json (for scripts); csv is refused here
        #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
        format: SummaryFormat,
    },
    /// Continue a paused or interrupted broadcast: send the rows still queued
    ///
    /// Rows caught mid-request by a crash become `unknown`: they may have been
    /// delivered, so they are not re-sent unless --resend-unknown is given.
    Resume {
        /// The broadcast's id (see `mot broadcasts list`)
        id: i64,
        /// Also re-send rows whose outcome is unknown (their members may get it twice)
        #[arg(long)]
        resend_unknown: bool,
        /// Do not ask for confirmation (required when not on a terminal)
        #[arg(long, short)]
        yes: bool,
        /// Continue even though Meta reported the template paused, disabled
        /// or rejected, or the account restricted (audited)
        #[arg(long)]
        force_template_state: bool,
        /// Output: table (for people) or json (for scripts); csv is refused here
        #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
        format: SummaryFormat,
    },
    /// Re-queue and send failed rows whose error makes another try sensible
    /// (temporary errors, throttling, Meta declining to deliver)
    ///
    /// Only failed rows: rows still queued (a broadcast paused or stopped by
    /// Ctrl-C) are left for `mot broadcasts resume`.
    Retry {
        /// The broadcast's id (see `mot broadcasts list`)
        id: i64,
        /// Do not ask for confirmation (required when not on a terminal)
        #[arg(long, short)]
        yes: bool,
        /// Retry even though Meta reported the template paused, disabled or
        /// rejected, or the account restricted (audited)
        #[arg(long)]
        force_template_state: bool,
        /// Output: table (for people) or json (for scripts); csv is refused here
        #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
        format: SummaryFormat,
    },
}
