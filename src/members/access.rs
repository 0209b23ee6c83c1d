//! A member's own data on request (UK GDPR right of access): everything
//! held about one member, from every table that names them, and nothing
//! about anyone else.

use anyhow::{Context, Result};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde_json::{Map, Value};

use super::MemberId;

/// Each part of the export: its name, and the query that reads it (`?1` is
/// the member's id). Only rows that belong to the member are read, and only
/// columns about them or the team's own messages to them.
const PARTS: [(&str, &str); 9] = [
    ("details", "SELECT * FROM members WHERE id = ?1"),
    (
        "consent",
        "SELECT consent_at, consent_source, consent_by, s.first_message_id, s.first_message_at,
                s.terms_version
         FROM members m LEFT JOIN signups s ON s.member_id = m.id WHERE m.id = ?1",
    ),
    ("signup_conversation", "SELECT * FROM signups WHERE member_id = ?1"),
    (
        "messages_received",
        "SELECT id, wa_message_id, type, text, context_wamid, broadcast_id, action, at, received_at,
                flagged
         FROM inbound WHERE member_id = ?1 ORDER BY id",
    ),
    (
        "deliveries",
        "SELECT d.id, d.broadcast_id, b.kind, b.body AS broadcast_text, d.phone, d.state, d.wamid,
                d.attempts, d.error_code, d.error_class, d.error_message, d.sent_at, d.updated_at
         FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
         WHERE d.member_id = ?1 ORDER BY d.id",
    ),
    (
        "delivery_statuses",
        "SELECT s.wamid, s.status, s.at, s.error_code, s.error_title, s.source, s.received_at
         FROM status_events s JOIN deliveries d ON d.wamid = s.wamid
         WHERE d.member_id = ?1 ORDER BY s.id",
    ),
    (
        "request_answers",
        "SELECT rr.request_id, r.question, rr.option, rr.how, rr.late, i.text, i.at
         FROM request_replies rr JOIN requests r ON r.broadcast_id = rr.request_id
              JOIN inbound i ON i.id = rr.inbound_id
         WHERE rr.member_id = ?1 ORDER BY i.id",
    ),
    (
        "messages_sent_automatically",
        "SELECT kind, created_at, outcome, wamid, done_at FROM member_messages
         WHERE member_id = ?1 ORDER BY id",
    ),
    (
        "audit",
        "SELECT id, at, os_user, command, outcome, detail FROM audit
         WHERE json_valid(detail) AND json_extract(detail, '$.member_id') = ?1 ORDER BY id",
    ),
];

/// Everything held about member `id`, part by part (an object of arrays of rows).
pub fn export(conn: &Connection, id: MemberId) -> Result<Value> {
    let mut out = Map::new();
    for (name, sql) in PARTS {
        let mut stmt = conn
            .prepare(sql)
            .with_context(|| format!("cannot read {name}"))?;
        let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let rows = stmt
            .query_map([id.0], |r| {
                let mut row = Map::new();
                for (i, c) in columns.iter().enumerate() {
                    row.insert(c.clone(), json_of(r.get_ref(i)?));
                }
                Ok(Value::Object(row))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.insert(name.to_string(), Value::Array(rows));
    }
    Ok(Value::Object(out))
}

fn json_of(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        // Stored ids of erased messages are blobs; kept readable.
        ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned().into(),
    }
}
