//! `mot report …`: one broadcast's deliveries, lapsed members, the summary.

use std::io::Write;

use anyhow::Result;

use super::Context;
use crate::broadcast::{self, BroadcastId};
use crate::cli::ReportCommand;
use crate::exit::Exit;
use crate::lapsed::{self, Outage};
use crate::output::{self, Format};
use crate::report;

pub fn run(ctx: &mut Context, cmd: ReportCommand, out: &mut dyn Write) -> Result<Exit> {
    match cmd {
        ReportCommand::Broadcast { id, format } => {
            let rows = broadcast::deliveries(&ctx.conn, BroadcastId(id))?;
            output::rows(out, format, &rows)?;
            let purged = broadcast::purged_deliveries(&ctx.conn, BroadcastId(id))?;
            if purged > 0 {
                crate::log_line!(
                    "mot: {purged} per-member row(s) of broadcast {id} were purged ([retention] deliveries); \
                     `mot broadcasts show {id}` still counts them"
                );
            }
        }
        ReportCommand::Lapsed { format } => {
            let found = lapsed::find(&ctx.conn, &ctx.config.lapsed, crate::clock::now())?;
            show_lapsed(out, format, &found)?;
        }
        ReportCommand::Summary { days, format } => {
            let s = report::summary(&ctx.conn, &ctx.config.lapsed, days, crate::clock::now())?;
            match format {
                Format::Csv => output::csv_records(out, &["section", "name", "value"], s.lines())?,
                _ => output::summary(out, format, &s)?,
            }
        }
    }
    // A report with rows in it is not an error.
    Ok(Exit::Success)
}

/// The lapsed members on stdout, then the never reached (apart in a table;
/// after them, each row saying which, in csv and json); the outage
/// broadcasts after them in a table, or on stderr for csv and json (whose
/// stdout is one list).
pub fn show_lapsed(out: &mut dyn Write, format: Format, found: &lapsed::Report) -> Result<()> {
    let rule = &found.rule;
    if format != Format::Table {
        output::rows(out, format, &found.all())?;
    } else if found.lapsed.is_empty() {
        writeln!(
            out,
            "no member is lapsed: none had their last {} counted broadcasts, over at least {} \
             days, fail for a member reason or stay undelivered",
            rule.broadcasts, rule.min_days
        )?;
    } else {
        output::rows(out, format, &found.lapsed)?;
    }
    if format == Format::Table && !found.never_reached.is_empty() {
        writeln!(
            out,
            "\nnever reached (nothing was ever delivered to them: check the number, or that \
             they have WhatsApp; `members prune` keeps them unless --include-never-reached):"
        )?;
        output::rows(out, format, &found.never_reached)?;
    }
    if found.outages.is_empty() {
        return Ok(());
    }
    if format == Format::Table {
        writeln!(out, "\nexcluded as outages (they count for nobody):")?;
        output::rows(out, format, &found.outages)?;
    } else {
        crate::log_line!("{}", outage_note(&found.outages));
    }
    Ok(())
}

fn outage_note(outages: &[Outage]) -> String {
    let mut note = String::from("excluded as outages (they count for nobody):");
    for o in outages {
        note.push_str(&format!(
            "\n  broadcast {} ({}): {}",
            o.broadcast_id, o.at, o.why
        ));
    }
    note
}
