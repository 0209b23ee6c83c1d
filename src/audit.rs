//! The append-only audit log: who ran which mutating command, when, with what
//! outcome. Ids and counts only, never personal data.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value;

use crate::db::ts;
use crate::output::Row;

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

/// One line of the audit trail, as `mot audit` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub command: String,
    pub outcome: String,
    /// The ids and counts recorded (a JSON object).
    pub detail: Value,
}

impl Row for Entry {
    const HEADERS: &'static [&'static str] = &["id", "at", "user", "command", "outcome", "detail"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.at.clone(),
            self.user.clone(),
            self.command.clone(),
            self.outcome.clone(),
            self.detail.to_string(),
        ]
    }
}

/// Which entries `list` returns.
#[derive(Debug, Default)]
pub struct Filter {
    /// Only entries at or after this instant.
    pub since: Option<Timestamp>,
    /// Only this command, or the commands under it (`members` takes `members add`…).
    pub command: Option<String>,
}

/// The audit trail, oldest first (so the newest is last, beside the prompt).
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Entry>> {
    let since = filter.since.map(ts);
    let command = filter.command.as_deref().map(str::trim);
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, os_user, command, outcome, detail FROM audit
         WHERE (?1 IS NULL OR at >= ?1)
           AND (?2 IS NULL OR command = ?2 OR substr(command, 1, length(?2) + 1) = ?2 || ' ')
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![since, command], |r| {
        let detail: String = r.get(5)?;
        Ok(Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            command: r.get(3)?,
            outcome: r.get(4)?,
            // Written by `record` as JSON; anything else is shown as the text it is.
            detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_filters_by_time_and_command_family() {
        let conn = crate::db::open_in_memory();
        let t = |s: i64| Timestamp::from_second(1_800_000_000 + s).unwrap();
        record(
            &conn,
            t(0),
            "ann",
            "members add",
            "ok",
            json!({"member_id": 1}),
        )
        .unwrap();
        record(&conn, t(10), "ann", "membership", "ok", json!({})).unwrap();
        record(&conn, t(20), "bob", "purge", "ok", json!({"audit": 0})).unwrap();
        let all = list(&conn, &Filter::default()).unwrap();
        assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(all[0].detail, json!({"member_id": 1}));
        let since = list(
            &conn,
            &Filter {
                since: Some(t(10)),
                command: None,
            },
        )
        .unwrap();
        assert_eq!(since.len(), 2);
        let members = list(
            &conn,
            &Filter {
                since: None,
                command: Some("members".into()),
            },
        )
        .unwrap();
        assert_eq!(members.len(), 1, "a family, not a prefix of a word");
        assert_eq!(members[0].command, "members add");
    }
}
