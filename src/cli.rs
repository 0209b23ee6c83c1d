//! The command line, declared once: these doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::members::MemberStatus;
use crate::output::Format;

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
    #[arg(long, global = true, env = "MOT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Database file (overrides `[database] path`) [default: %LOCALAPPDATA%\mot\mot.db on
    /// Windows, ~/.local/share/mot/mot.db on Linux, ~/Library/Application Support/mot/mot.db on macOS]
    #[arg(long, global = true, env = "MOT_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the config file and the database if missing, and print where they are
    Init,
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

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Count what would be removed, per kind, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries within this long (e.g. 7d, 12h) or since this date (2026-01-31)
    #[arg(long, value_name = "DURATION|DATE")]
    pub since: Option<String>,
    /// Only this command, or the commands under it (`members` shows `members add`, …)
    #[arg(long, value_name = "NAME")]
    pub command: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The text to check; `-` (or nothing) reads standard input
    pub text: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
    },
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Only messages received within this long, e.g. 24h, 7d
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// Only messages from this member (id or mobile number)
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
    /// Only messages not linked to a broadcast
    #[arg(long)]
    pub unlinked: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Per-member delivery report for one broadcast
    Broadcast {
        id: i64,
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
    /// Only members with this job role (case-insensitive; repeatable)
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only members at this working location (case-insensitive; repeatable)
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
    #[arg(long, value_name = "DURATION")]
    pub not_after: Option<String>,
    /// Send even though the same text went to the same audience recently
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Send even though the patient-data screen blocks it; the reason is audited
    #[arg(long, value_name = "REASON")]
    pub override_screen: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum BroadcastsCommand {
    /// List broadcasts, newest first, with their delivery counts
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Show one broadcast's state and counts
    Show {
        id: i64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Continue a paused or interrupted broadcast: send the rows still queued
    ///
    /// Rows caught mid-request by a crash become `unknown`: they may have been
    /// delivered, so they are not re-sent unless --resend-unknown is given.
    Resume {
        id: i64,
        /// Also re-send rows whose outcome is unknown (their members may get it twice)
        #[arg(long)]
        resend_unknown: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Re-queue and send failed rows whose error makes another try sensible
    /// (temporary errors, throttling, Meta declining to deliver)
    Retry {
        id: i64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
    /// Show one member
    Show(MemberRef),
    /// Change a member's details
    Edit(EditArgs),
    /// Approve a pending member (pending → active)
    Approve(MemberRef),
    /// Remove a member and erase their personal data
    Remove(RemoveArgs),
    /// Scan the database file and its WAL for any trace of a number (and name or phrase)
    ///
    /// Looks for the number as E.164, as digits and in national form, and for
    /// each --name / --phrase, ignoring ASCII case. Exits 0 when nothing is
    /// found, 1 when a trace remains. Prints what was found, never the values.
    VerifyErased(VerifyErasedArgs),
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV file with a header row naming name, phone, role and location; `-` reads standard input
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only members with this job role (case-insensitive; repeatable)
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only members at this working location (case-insensitive; repeatable)
    #[arg(long = "location", value_name = "LOCATION")]
    pub locations: Vec<String>,
    /// Only members with this status (repeatable)
    #[arg(long = "status", value_enum, value_name = "STATUS")]
    pub statuses: Vec<MemberStatus>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct MemberRef {
    /// Member id, or their mobile number
    pub member: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Member id, or their mobile number
    pub member: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub role: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Member id, or their mobile number
    pub member: String,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
    /// Afterwards, scan the database file and WAL for their number and name
    /// (as `members verify-erased`) and fail if any trace remains
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
}
