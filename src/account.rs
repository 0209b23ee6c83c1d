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
//! Reading them out of a webhook body is [`crate::event`]'s; the receiver,
//! the relay and `status pull` all go through `webhook::apply_payload`,
//! which calls [`apply`] for each.

pub mod limit;
pub mod state;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::db::ts;
use crate::event::{AccountEvent, Source};
use crate::members;
use crate::output::printable;

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

/// Stores one account event and acts on it if it concerns a member (a
/// marketing-preference stop opts the member out), counting into `report`.
/// Idempotent: a redelivered event changes nothing.
pub fn apply(
    conn: &Connection,
    e: &AccountEvent,
    source: Source,
    now: Timestamp,
    report: &mut AccountReport,
) -> Result<()> {
    if !e.known {
        report.unknown_fields += 1;
        if count_unread(conn, e, source, now)? {
            report.stored += 1;
            crate::log_line!(
                "webhook: counted a field mot does not read (its content is not kept): {}",
                printable(&e.field, 60)
            );
        }
        return Ok(());
    }
    let member = match e.wa_id.as_deref() {
        Some(wa_id) => member_for_wa_id(conn, wa_id)?,
        None => None,
    };
    if !store(conn, e, member, source, now)? {
        report.duplicates += 1;
        return Ok(());
    }
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
    Ok(())
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

/// A stored event's detail, parsed back (an object; empty if unreadable).
pub fn detail_object(detail: &str) -> Map<String, Value> {
    match serde_json::from_str(detail) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests;
