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
    /// Config file [default: the platform config dir, e.g. ~/.config/mot/config.toml]
    #[arg(long, global = true, env = "MOT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Database file (overrides `[database] path`)
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
    /// Check the set-up before a send: config, database, token, number, templates, webhooks
    ///
    /// Each check is ok, warn or fail, with one line of detail and what to do.
    /// Exits 0 when nothing fails (warnings allowed), 1 otherwise. Asks WhatsApp
    /// about the number and the templates; never prints a secret.
    Doctor {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The business account's message templates
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print a shell completion script, e.g. `mot completions bash > /etc/bash_completion.d/mot`
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff), e.g. `mot man > ~/.local/share/man/man1/mot.1`
    Man,
    /// Check text for patient-identifiable data without sending it
    ///
    /// Prints each finding with the span marked; exits 4 if anything blocks, 0 otherwise.
    Screen(ScreenArgs),
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The text to check; `-` (or nothing) reads standard input
    pub text: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Fetch the business account's templates from WhatsApp and keep them
    ///
    /// Needs [whatsapp] business_account_id. A template whose category changed
    /// from UTILITY to MARKETING is flagged: it costs more, and members'
    /// per-user marketing limits apply to it.
    Sync {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
    /// Send even though Meta reported the template paused, disabled or
    /// rejected, or the account restricted (audited)
    #[arg(long)]
    pub force_template_state: bool,
    /// Send to everyone now, even beyond the number's messaging limit (Meta
    /// fails the messages over the limit)
    #[arg(long)]
    pub ignore_messaging_limit: bool,
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
        /// Continue even though Meta reported the template paused, disabled
        /// or rejected, or the account restricted (audited)
        #[arg(long)]
        force_template_state: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Re-queue and send failed rows whose error makes another try sensible
    /// (temporary errors, throttling, Meta declining to deliver)
    Retry {
        id: i64,
        /// Retry even though Meta reported the template paused, disabled or
        /// rejected, or the account restricted (audited)
        #[arg(long)]
        force_template_state: bool,
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
