//! `mot members approve --all-complete`: every pending member whose sign-up
//! conversation gave all four details, listed first, then approved once
//! confirmed (on a terminal, or with `--yes`), like `members prune`.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::commands::Context;
use crate::exit::{Exit, Failure};
use crate::members;
use crate::output::{self, Format};
use crate::signup;

pub fn all_complete(
    ctx: &mut Context,
    format: Format,
    yes: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let found = signup::complete_pending(&ctx.conn)?;
    if found.is_empty() {
        let nobody = "nobody to approve: no pending member has finished the sign-up conversation";
        match format {
            Format::Table => writeln!(out, "{nobody}")?,
            // Scripts still get an empty list to read.
            _ => {
                output::rows(out, format, &found)?;
                crate::log_line!("{nobody}");
            }
        }
        return Ok(Exit::Success);
    }
    // Who would be approved: on stdout for people, on stderr when stdout
    // is for a script.
    match format {
        Format::Table => {
            output::rows(out, Format::Table, &found)?;
            writeln!(out)?;
        }
        _ => output::rows(&mut std::io::stderr().lock(), Format::Table, &found)?,
    }
    ctx.confirm(
        &format!(
            "approve the {} member(s) listed: they will get every broadcast and request",
            found.len()
        ),
        yes,
    )?;
    let now = crate::clock::now();
    let tx = ctx
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Decide again under the write lock: approve exactly who was listed.
    if signup::complete_pending(&tx)? != found {
        return Err(Failure::new(
            Exit::Error,
            "the complete sign-ups changed while you were confirming; nobody was approved",
        )
        .help("run `mot members approve --all-complete` again")
        .into());
    }
    let mut approved = Vec::with_capacity(found.len());
    for c in &found {
        approved.push(members::approve(&tx, c.id, now)?);
        crate::audit::record(
            &tx,
            now,
            &ctx.user,
            "members approve",
            "ok",
            json!({ "member_id": c.id, "all_complete": true }),
        )?;
    }
    tx.commit()?;
    match format {
        Format::Table => {
            let ids: Vec<String> = approved.iter().map(|m| m.id.to_string()).collect();
            writeln!(
                out,
                "approved {} member(s): {}",
                approved.len(),
                ids.join(", ")
            )?;
        }
        _ => output::rows(out, format, &approved)?,
    }
    Ok(Exit::Success)
}
