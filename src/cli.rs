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
