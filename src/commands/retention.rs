//! `mot purge`, `mot audit` and `mot backup`: applying the retention
//! policy, reading the trail of who did what, and copying the file.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Context;
use crate::audit;
use crate::cli::{AuditArgs, PurgeArgs};
use crate::exit::Exit;
use crate::output::{self, Format};
use crate::retention::{self, erasure};
use crate::webhook::relay::erasures;

pub fn purge(ctx: &mut Context, args: PurgeArgs, out: &mut dyn Write) -> Result<Exit> {
    let policy = ctx.config.retention.clone();
    let now = crate::clock::now();
    // A sign-up never approved may have written through the relay, which
    // keeps what it received: it is owed the erasure, as `members remove` owes it.
    let relay = ctx.config.relay.url.is_some();
    let mut report = retention::purge(
        &mut ctx.conn,
        &policy,
        now,
        args.dry_run,
        &ctx.user,
        &mut |tx, phone| {
            if relay {
                erasures::owe(tx, phone, now)?;
            }
            Ok(())
        },
    )?;
    // Also what an interrupted run or an unreachable relay left owed.
    if relay && !args.dry_run && !erasures::owed(&ctx.conn)?.is_empty() {
        ctx.tell_relay()?;
    }
    if !args.dry_run {
        let rebuild = if args.vacuum {
            erasure::Rebuild::Asked
        } else {
            erasure::Rebuild::Unasked
        };
        report.file = Some(erasure::settle(&ctx.conn, policy.vacuum_share, rebuild)?);
    }
    match args.format {
        Format::Json => output::summary(out, Format::Json, &report)?,
        format => output::rows(out, format, &report.kinds)?,
    }
    let total = report.total();
    match &report.file {
        None => crate::log_line!("dry run: {total} record(s) would be purged; nothing was changed"),
        Some(file) => {
            let vacuum = if file.vacuumed {
                "; file rebuilt (VACUUM)"
            } else {
                ""
            };
            crate::log_line!("purged {total} record(s){vacuum}");
            if file.rebuild_deferred {
                let mib = |pages: i64| pages * file.page_size / (1024 * 1024);
                crate::log_line!(
                    "mot: note: {} MiB of the file's {} MiB is free, but the file is too large \
                     to rebuild unasked (that holds the database for seconds); run \
                     `mot purge --vacuum` when `webhook serve` is stopped or idle",
                    mib(file.free_pages),
                    mib(file.pages)
                );
            }
            if !file.wal_cleared {
                crate::log_line!(
                    "mot: warning: another program is reading the database, so its WAL still \
                     holds old pages; run `mot purge` again when it is idle"
                );
            }
        }
    }
    Ok(Exit::Success)
}

pub fn audit(ctx: &mut Context, args: AuditArgs, out: &mut dyn Write) -> Result<Exit> {
    let since = args.since;
    let filter = audit::Filter {
        since,
        command: args.command,
    };
    output::rows(out, args.format, &audit::list(&ctx.conn, &filter)?)?;
    Ok(Exit::Success)
}

pub fn backup(ctx: &Context, file: &Path, out: &mut dyn Write) -> Result<Exit> {
    let copied = crate::db::backup::backup(&ctx.conn, file)?;
    ctx.audit("backup", "ok", serde_json::to_value(&copied)?)?;
    writeln!(
        out,
        "backed up to {}: {} pages, {:.1} MB, checked (quick_check ok)",
        crate::platform::display(file),
        copied.pages,
        copied.bytes as f64 / 1e6
    )?;
    crate::log_line!(
        "it is owner-only and holds members' numbers: keep it as safe as the database"
    );
    Ok(Exit::Success)
}
