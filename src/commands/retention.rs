//! `mot purge` and `mot audit`: applying the retention policy, and reading
//! the trail of who did what.

use std::io::Write;

use anyhow::Result;
use jiff::Timestamp;

use super::Context;
use crate::audit;
use crate::cli::{AuditArgs, PurgeArgs};
use crate::exit::{Exit, Failure};
use crate::output::{self, Format};
use crate::retention::{self, erasure};

pub fn purge(ctx: &mut Context, args: PurgeArgs, out: &mut dyn Write) -> Result<Exit> {
    let policy = ctx.config.retention.clone();
    let mut report = retention::purge(
        &mut ctx.conn,
        &policy,
        Timestamp::now(),
        args.dry_run,
        &ctx.user,
    )?;
    if !args.dry_run {
        report.file = Some(erasure::settle(&ctx.conn, policy.vacuum_share)?);
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
    let since = args
        .since
        .as_deref()
        .map(|s| since(s, Timestamp::now()))
        .transpose()?;
    let filter = audit::Filter {
        since,
        command: args.command,
    };
    output::rows(out, args.format, &audit::list(&ctx.conn, &filter)?)?;
    Ok(Exit::Success)
}

/// `--since`: a duration back from `now` (`7d`), a date (`2026-01-31`,
/// midnight UTC) or an instant (`2026-01-31T09:00:00Z`).
fn since(text: &str, now: Timestamp) -> Result<Timestamp> {
    if let Ok(d) = crate::config::parse_duration(text) {
        return Ok(now.checked_sub(d).unwrap_or(Timestamp::MIN));
    }
    if let Ok(t) = text.trim().parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(date) = text.trim().parse::<jiff::civil::Date>() {
        return Ok(format!("{date}T00:00:00Z").parse()?);
    }
    Err(Failure::bad_flag(
        "since",
        format!("{text:?} is neither a duration (7d, 12h) nor a date (2026-01-31)"),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_dates_and_instants() {
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        assert_eq!(
            since("2d", now).unwrap(),
            "2026-03-08T12:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            since("2026-01-31", now).unwrap(),
            "2026-01-31T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            since("2026-01-31T09:30:00Z", now).unwrap(),
            "2026-01-31T09:30:00Z".parse::<Timestamp>().unwrap()
        );
        let err = since("last tuesday", now).unwrap_err();
        assert_eq!(err.downcast_ref::<Failure>().unwrap().exit, Exit::Usage);
    }
}
