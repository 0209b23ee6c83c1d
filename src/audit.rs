//! The append-only audit log: who ran which mutating command, when, with what
//! outcome. Ids and counts only, never personal data.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde_json::Value;

use crate::db::ts;

/// The operating-system user running mot, for the audit log and consent
/// evidence. Cron, systemd and Task Scheduler may set none of the usual
/// variables, so the account of the process's own user id comes next.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(|| whoami::account().ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Records one command. `detail` holds ids and counts (a JSON object).
pub fn record(
    conn: &Connection,
    now: Timestamp,
    user: &str,
    command: &str,
    outcome: &str,
    detail: Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, os_user, command, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![ts(now), user, command, outcome, detail.to_string()])?;
    Ok(())
}
