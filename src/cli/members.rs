//! The command line of `mot members`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::members::MemberStatus;
use crate::output::{Format, SummaryFormat};

use super::NoQuestions;

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
    /// Everything held about one member, for their request to see it (UK GDPR)
    ///
    /// Details, consent evidence, the sign-up conversation, the messages
    /// received from them as stored, the deliveries to them and their
    /// statuses, their request answers, the messages sent to them
    /// automatically and the audit rows naming them; nothing about anyone
    /// else. Audited.
    #[command(name = "export-data")]
    ExportData(ExportDataArgs),
}

#[derive(Debug, Args)]
pub struct ExportDataArgs {
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required = true, value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Output: table (for people) or json (to give to the member or keep)
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,
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
    /// Also prune members never reached at all (nothing ever delivered to them)
    #[arg(long)]
    pub include_never_reached: bool,
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
    /// Which column holds a field, when its header is not one mot knows:
    /// FIELD=HEADER, e.g. --column phone="Mobile No." (repeatable; FIELD is
    /// name, phone, role, location or status)
    #[arg(long = "column", value_name = "FIELD=HEADER")]
    pub columns: Vec<String>,
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
    /// Member id, or their mobile number (its words may be given unquoted: 07700 900001)
    #[arg(required_unless_present = "all_complete", value_name = "ID|PHONE")]
    pub member: Vec<String>,
    /// Approve every pending member whose sign-up conversation gave all four details: lists them, then asks on a terminal (needs --yes without one)
    #[arg(long, conflicts_with = "member")]
    pub all_complete: bool,
    /// Output: table (for people), csv (for spreadsheets) or json (for scripts)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --all-complete: do not ask for confirmation (required when not on a terminal)
    #[arg(long, short)]
    pub yes: bool,
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
