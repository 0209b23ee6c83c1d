//! Account events: what Meta says about our templates, number and account in
//! webhook fields other than delivery statuses and inbound messages
//! (`message_template_status_update`, `phone_number_quality_update`,
//! `account_update`, `user_preferences`, `value.errors`, …). Each is kept
//! append-only and deduplicated; of a field mot does not know only the name,
//! the time and a count are kept (its payload can hold numbers, names,
//! message text and places); changes for another number or business
//! account are counted, never kept; and [`state`] reads them back to refuse
//! a send that Meta would refuse.
//!
//! The same path serves the receiver and the relay: both go through
//! `webhook::apply_payload`, which calls [`apply_payload`].

pub mod limit;
pub mod state;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::db::ts;
use crate::event::{Ours, Whose};
use crate::members;
use crate::status::Source;

/// The webhook fields mot reads (besides `messages`, handled elsewhere).
pub const KNOWN_FIELDS: [&str; 7] = [
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
    "phone_number_quality_update",
    "account_update",
    "account_alerts",
    "user_preferences",
];

/// The pseudo-field under which `value.errors[]` items are stored.
pub const ERRORS_FIELD: &str = "errors";

/// One account event, parsed from a webhook change.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountEvent {
    pub field: String,
    /// `value.event`, a quality score, a preference or an error code: the
    /// one word that says what happened.
    pub event: Option<String>,
    pub known: bool,
    /// `entry[].id`: the WhatsApp Business Account.
    pub business_account: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    /// For `user_preferences`: the member's WhatsApp id (never stored).
    pub wa_id: Option<String>,
    /// Unix seconds: `entry[].time`, else the item's `timestamp`.
    pub time: Option<i64>,
    /// The change's value (or the one list item), as Meta sent it; `Null`
    /// for a field mot does not know, whose payload is never read.
    pub value: Value,
}

/// Whether mot reads a webhook field (`messages`, or one of [`KNOWN_FIELDS`]):
/// of any other only the name is kept.
pub fn is_read(field: &str) -> bool {
    field == "messages" || KNOWN_FIELDS.contains(&field)
}

/// The account events in a webhook body, and how many changes were for
/// another number or business account (not read).
#[derive(Debug, Default)]
pub struct Parsed {
    pub events: Vec<AccountEvent>,
    pub not_ours: usize,
}

/// Reads every account event of ours in a webhook body. A body that is not a
/// webhook gives none: `webhook::event::parse` already reports that.
pub fn parse(body: &[u8], ours: &Ours) -> Parsed {
    let mut parsed = Parsed::default();
    let Ok(root) = serde_json::from_slice::<Value>(body) else {
        return parsed;
    };
    let out = &mut parsed.events;
    let entries = root.get("entry").and_then(Value::as_array);
    for entry in entries.into_iter().flatten() {
        let business_account = id_field(entry, "id");
        let entry_time = entry.get("time").and_then(integer);
        let changes = entry.get("changes").and_then(Value::as_array);
        for change in changes.into_iter().flatten() {
            let Some(field) = change.get("field").and_then(Value::as_str) else {
                continue;
            };
            // A field mot does not read may have lost its value to the
            // receiver's scrub: its name is what is kept.
            let value = change.get("value").unwrap_or(&Value::Null);
            let read = is_read(field);
            if read && value.is_null() {
                continue;
            }
            if ours.change(entry, field, value) != Whose::Ours {
                // `messages` changes are counted by `webhook::event::parse`.
                parsed.not_ours += usize::from(field != "messages");
                continue;
            }
            let base = |field: &str, value: &Value, known: bool| AccountEvent {
                field: field.to_owned(),
                event: None,
                known,
                business_account: business_account.clone(),
                template_name: None,
                template_language: None,
                wa_id: None,
                time: entry_time.or_else(|| value.get("timestamp").and_then(integer)),
                value: value.clone(),
            };
            if !read {
                let mut e = base(field, &Value::Null, false);
                e.time = entry_time;
                out.push(e);
                continue;
            }
            // Errors and preferences sit in lists inside the value: one event each.
            let list = |key: &str| value.get(key).and_then(Value::as_array);
            // Errors Meta puts inside a message item are the same kind of
            // report as `value.errors` and are kept the same way.
            let item_errors = list("messages")
                .into_iter()
                .flatten()
                .filter_map(|m| m.get("errors").and_then(Value::as_array))
                .flatten();
            for error in list("errors").into_iter().flatten().chain(item_errors) {
                let mut e = base(ERRORS_FIELD, error, true);
                e.event = error.get("code").and_then(integer).map(|c| c.to_string());
                out.push(e);
            }
            for pref in list("user_preferences").into_iter().flatten() {
                let mut e = base("user_preferences", pref, true);
                e.event = string_field(pref, "value").map(|v| v.to_ascii_lowercase());
                e.wa_id = id_field(pref, "wa_id");
                e.time = pref.get("timestamp").and_then(integer).or(entry_time);
                out.push(e);
            }
            if field == "messages" || field == "user_preferences" {
                continue;
            }
            let mut e = base(field, value, true);
            e.event = match field {
                "message_template_quality_update" => string_field(value, "new_quality_score"),
                "template_category_update" => string_field(value, "new_category"),
                "account_alerts" => value
                    .get("alert_info")
                    .and_then(|a| string_field(a, "alert_type")),
                _ => string_field(value, "event"),
            };
            e.template_name = string_field(value, "message_template_name");
            e.template_language = string_field(value, "message_template_language");
            out.push(e);
        }
    }
    parsed
}

/// What applying account events did, for logs and summaries (counts only).
#[derive(Debug, Default, Clone, Serialize)]
pub struct AccountReport {
    /// Newly stored.
    pub stored: usize,
    /// Seen before.
    pub duplicates: usize,
    /// Counted (name, day and count only), of fields mot does not read.
    pub unknown_fields: usize,
    /// Members opted out by a marketing-preference stop.
    pub opt_outs: usize,
    /// Changes for another number or business account (or any account
    /// change while no business account id is set): counted, not kept.
    pub not_ours: usize,
}

impl AccountReport {
    pub fn add(&mut self, other: &AccountReport) {
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.unknown_fields += other.unknown_fields;
        self.opt_outs += other.opt_outs;
        self.not_ours += other.not_ours;
    }
}

/// Stores the account events in one webhook body and acts on those that
/// concern a member. Idempotent: a redelivered body changes nothing.
pub fn apply_payload(
    conn: &Connection,
    body: &[u8],
    ours: &Ours,
    source: Source,
    now: Timestamp,
) -> Result<AccountReport> {
    let parsed = parse(body, ours);
    let mut report = AccountReport {
        not_ours: parsed.not_ours,
        ..AccountReport::default()
    };
    for e in parsed.events {
        if !e.known {
            report.unknown_fields += 1;
            if count_unread(conn, &e, source, now)? {
                report.stored += 1;
                crate::log_line!(
                    "webhook: counted a field mot does not read (its content is not kept): {}",
                    printable(&e.field, 60)
                );
            }
            continue;
        }
        let member = match e.wa_id.as_deref() {
            Some(wa_id) => member_for_wa_id(conn, wa_id)?,
            None => None,
        };
        if store(conn, &e, member, source, now)? {
            report.stored += 1;
            if e.field == "user_preferences"
                && e.event.as_deref() == Some("stop")
                && let Some(id) = member
                && members::opt_out(
                    conn,
                    Some(id),
                    members::OptOutVia::MarketingPreferences,
                    now,
                )?
                .is_some()
            {
                report.opt_outs += 1;
            }
        } else {
            report.duplicates += 1;
        }
    }
    Ok(report)
}

/// Stores one event; false if it was already stored.
fn store(
    conn: &Connection,
    e: &AccountEvent,
    member: Option<members::MemberId>,
    source: Source,
    now: Timestamp,
) -> Result<bool> {
    // The digest covers the number, so two members' stops never collide,
    // but the stored detail does not: the member link says who it was.
    let mut detail = e.value.clone();
    if let Some(obj) = detail.as_object_mut() {
        obj.remove("wa_id");
    }
    let mut hash = Sha256::new();
    for part in [
        e.field.as_str(),
        e.business_account.as_deref().unwrap_or(""),
        &e.time.map(|t| t.to_string()).unwrap_or_default(),
        e.wa_id.as_deref().unwrap_or(""),
        &e.value.to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hex::encode(hash.finalize());
    // Meta's time, but never later than when mot received it: a clock
    // error (or a forged 2100) must not outlive every later event.
    let at = e
        .time
        .and_then(|t| Timestamp::from_second(t).ok())
        .map_or(now, |t| t.min(now));
    let inserted = conn
        .prepare_cached(
            "INSERT INTO account_events (field, event, known, business_account, template_name,
                 template_language, member_id, detail, at, source, received_at, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (digest) DO NOTHING",
        )?
        .execute(params![
            e.field,
            e.event,
            e.known,
            e.business_account,
            e.template_name,
            e.template_language,
            member.map(|m| m.0),
            detail.to_string(),
            ts(at),
            source.as_str(),
            ts(now),
            digest,
        ])?;
    Ok(inserted == 1)
}

/// Of a field mot does not read, only the name, the day and a count are
/// kept: one row per field, business account and day of arrival, counting
/// the changes that came (a redelivery counts again; nothing is read from
/// them, so nothing else can tell two apart). True if the row is new.
fn count_unread(
    conn: &Connection,
    e: &AccountEvent,
    source: Source,
    now: Timestamp,
) -> Result<bool> {
    let at = e
        .time
        .and_then(|t| Timestamp::from_second(t).ok())
        .unwrap_or(now);
    let at = ts(at);
    let mut hash = Sha256::new();
    for part in [
        "unread",
        e.field.as_str(),
        e.business_account.as_deref().unwrap_or(""),
        &at[..10],
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest = hex::encode(hash.finalize());
    let counted = conn
        .prepare_cached(
            "UPDATE account_events
             SET detail = json_object('count', coalesce(json_extract(detail, '$.count'), 0) + 1),
                 received_at = ?2
             WHERE digest = ?1",
        )?
        .execute(params![digest, ts(now)])?;
    if counted > 0 {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO account_events (field, known, business_account, detail, at, source,
             received_at, digest)
         VALUES (?1, 0, ?2, json_object('count', 1), ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        e.field,
        e.business_account,
        at,
        source.as_str(),
        ts(now),
        digest
    ])?;
    Ok(true)
}

/// The member a WhatsApp id belongs to, if it is a valid number on file.
fn member_for_wa_id(conn: &Connection, wa_id: &str) -> Result<Option<members::MemberId>> {
    // Meta writes some ids with a `+`; the number's rule is `phone`'s.
    let digits = wa_id.strip_prefix('+').unwrap_or(wa_id);
    let Ok(phone) = crate::phone::from_wa_id(digits) else {
        return Ok(None);
    };
    Ok(members::by_phone(conn, &phone)?.map(|m| m.id))
}

/// Text from Meta made safe for a terminal and a table cell: control and
/// bidirectional characters replaced, and at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| {
            if c.is_control() || crate::output::is_bidi_control(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn string_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn id_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        _ => string_field(v, key),
    }
}

/// A stored event's detail, parsed back (an object; empty if unreadable).
pub fn detail_object(detail: &str) -> Map<String, Value> {
    match serde_json::from_str(detail) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests;
