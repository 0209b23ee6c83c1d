//! The command line, declared once: these doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::members::MemberStatus;
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
    /// Applies every period in one transaction, writes an audit row with the
    /// counts, then clears the WAL and rebuilds the file when more than
    /// [retention] vacuum_share of it is free, so purged text cannot be
    /// recovered from it. Needs no --yes: the policy is the confirmation.
    /// Running it twice in a row removes nothing the second time.
    Purge(PurgeArgs),
    /// Show the audit trail: who ran which command, when, with what outcome (newest last)
    Audit(AuditArgs),
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
    #[command(flatten)]
    pub no_questions: NoQuestions,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries since then: a duration (7d, 12h), a date (2026-11-01) or a
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
    /// Only messages since then: a duration (24h, 7d), a date (2026-11-01) or a
    /// date and time (2026-11-01 09:30), in this computer's time zone
    #[arg(long, value_name = "WHEN", value_parser = crate::duration::since)]
    pub since: Option<jiff::Timestamp>,
    /// Only messages from this member (id or mobile number)
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
    /// Only messages not linked to a broadcast
    #[arg(long)]
    pub unlinked: bool,
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
    /// Show who would get it and the exact request; write and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Never send after this long from now, e.g. 30m, 4h [default: [broadcast] not_after, 24h]
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub not_after: Option<jiff::SignedDuration>,
    /// Send even though the same text went to the same audience recently
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Send even though the patient-data screen blocks it; the reason is audited
    #[arg(long, value_name = "REASON")]
    pub override_screen: Option<String>,
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
    Remind {
        /// The request's id (see `mot requests list`)
        id: i64,
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

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Add one member (asks for missing fields on a terminal)
    Add(AddArgs),
    /// Import members from a CSV file (`-` for standard input)
    Import(ImportArgs),
    /// List members, in id order
    List(ListArgs),
    /// Show one member, by id, mobile number or name
    ///
    /// A name matches as `--name` does (whole words, in order, ignoring
    /// case) and must pick exactly one member; otherwise the candidates are
    /// listed and mot exits 2: give the id instead.
    Show(ShowArgs),
    /// Find members whose name, mobile number, role or location matches TEXT
    ///
    /// Name, role and location match as filters do (whole words, in order,
    /// ignoring case); the number in any writing ("07700 900001",
    /// "+447700900001") or six or more of its digits.
    Find(FindArgs),
    /// Change a member's details
    Edit(EditArgs),
    /// Approve a pending member (pending → active)
    Approve(ApproveArgs),
    /// Remove a member and erase their personal data
    Remove(RemoveArgs),
    /// Bring an opted-out or lapsed member back to active
    ///
    /// An opted-out member once said STOP: bringing them back needs --reason
    /// (for example "asked by email to rejoin"), which is audited.
    Reactivate(ReactivateArgs),
    /// Opt a member out: they asked to leave by email, phone or in person
    #[command(name = "opt-out")]
    OptOut(StatusArgs),
    /// Mark a member lapsed: kept on file, never sent to
    Lapse(StatusArgs),
    /// Erase every member the lapsed rule finds (see `mot report lapsed`)
    ///
    /// Acts on exactly the members `mot report lapsed` lists at that moment.
    /// Their name, number, role and location are erased as by `members remove`;
    /// broadcast counts do not change. --keep-lapsed marks them lapsed instead.
    Prune(PruneArgs),
    /// Scan the database file and its WAL for any trace of a number (and name or phrase)
    ///
    /// Looks for the number as E.164, as digits and in national form, and for
    /// each --name / --phrase, ignoring ASCII case. Exits 0 when nothing is
    /// found, 1 when a trace remains. Prints what was found, never the values.
    VerifyErased(VerifyErasedArgs),
}

#[derive(Debug, Args)]
pub struct ReactivateArgs {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Why (required for an opted-out member; audited)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// List who would be pruned; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Mark them lapsed (kept on file, never sent to) instead of erasing them
    #[arg(long)]
    pub keep_lapsed: bool,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyErasedArgs {
    /// The mobile number to look for
    pub phone: String,
    /// Also look for this name (repeatable)
    #[arg(long = "name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Also look for this text, e.g. words from their messages (repeatable)
    #[arg(long = "phrase", value_name = "TEXT")]
    pub phrases: Vec<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Contact name
    #[arg(long)]
    pub name: Option<String>,
    /// Mobile number, e.g. "07700 900123" or "+44 7700 900123"
    #[arg(long)]
    pub phone: Option<String>,
    /// Job role, e.g. "Community pharmacist"
    #[arg(long)]
    pub role: Option<String>,
    /// Working location, e.g. "Riverside Pharmacy, Leeds"
    #[arg(long)]
    pub location: Option<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub no_questions: NoQuestions,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV file with a header row naming name, phone, role and location (and optionally
    /// status: active, pending, opted_out or lapsed); `-` reads standard input
    pub file: PathBuf,
    /// Import the valid rows and report the invalid ones, instead of importing nothing
    #[arg(long)]
    pub skip_invalid: bool,
    /// Update the details of members already on file (never their status)
    #[arg(long)]
    pub update: bool,
    /// Validate and report only; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output: table (for people) or json (for scripts); csv is refused here
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub no_questions: NoQuestions,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only members whose job role contains these words, in order (case-insensitive; repeatable)
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only members whose working location contains these words, in order (case-insensitive; repeatable)
    #[arg(long = "location", value_name = "LOCATION")]
    pub locations: Vec<String>,
    /// Only members with this status (repeatable)
    #[arg(long = "status", value_enum, value_name = "STATUS")]
    pub statuses: Vec<MemberStatus>,
    /// Only members whose name contains these words, in order (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Member id, mobile number or name (several words may be given unquoted)
    #[arg(required = true, value_name = "ID|PHONE|NAME")]
    pub member: Vec<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// What to look for (several words may be given unquoted)
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct MemberRef {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    #[command(flatten)]
    pub member: MemberRef,
    #[command(flatten)]
    pub no_questions: NoQuestions,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// New contact name
    #[arg(long)]
    pub name: Option<String>,
    /// New mobile number, e.g. "07700 900123"
    #[arg(long)]
    pub phone: Option<String>,
    /// New job role
    #[arg(long)]
    pub role: Option<String>,
    /// New working location
    #[arg(long)]
    pub location: Option<String>,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub no_questions: NoQuestions,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Afterwards, fail unless the relay (if one is configured) confirmed the
    /// erasure, then scan the database file and WAL for their number and
    /// name (as `members verify-erased`) and fail if any trace remains
    #[arg(long)]
    pub verify: bool,
}

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
