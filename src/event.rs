//! The webhook's vocabulary: one walk over a WhatsApp webhook body that
//! yields every item mot reads — delivery statuses, inbound messages, and
//! template, number and account reports — and decides whose each change is.
//! The receiver, the relay and `status pull` speak it; `webhook` keeps only
//! the transport, and applying an event is the job of `status`, `inbound`
//! and `account`.
//!
//! Meta retries a webhook for days until we answer it, so one odd item must
//! not sink the rest of its payload: anything we cannot read becomes
//! [`Event::Unrecognised`] for the caller to log, and only a body with no
//! envelope at all is an error. The payload is walked as a
//! [`serde_json::Value`] rather than derived structs for the same reason — a
//! field of an unexpected type costs one item, not the batch.
//!
//! Unrecognised reasons name where the item sat and its wamid, never phone
//! numbers or message text, so they are safe to log.

mod account;
pub mod json;
mod message;
mod ours;

use std::fmt;

use serde_json::Value;

pub use account::{AccountEvent, ERRORS_FIELD, KNOWN_FIELDS, is_read};
pub use message::{Content, InboundMessage, StatusError, StatusEvent, StatusKind};
pub use ours::{Ours, Whose};

crate::db::text_enum::text_enum! {
    /// Where an event came from, for the record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Source {
        Pull = "pull",
        Webhook = "webhook",
        Relay = "relay",
    }
}

/// One thing a webhook told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Status(StatusEvent),
    Message(InboundMessage),
    /// An item in a `messages` change that we could not read.
    Unrecognised {
        reason: String,
    },
    /// An item Meta documents that changes nothing mot keeps (a `deleted`
    /// status): read, and not reported as unreadable.
    Noted {
        what: &'static str,
    },
    /// A template, number or account report (see [`AccountEvent`]).
    Account(AccountEvent),
    /// A `messages` change for another number on the same Meta app: counted,
    /// never read (nothing of it is logged either).
    NotOurs,
    /// Any other change for another number or business account (or any
    /// account change while no business account id is set): counted, never read.
    NotOursAccount,
}

/// A body with no webhook envelope to read.
#[derive(Debug)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// Checks a body the way [`parse`] reads it, before it is acknowledged: an
/// error means it can never be applied (answer 400). Returns the bytes to
/// store: the body, with any lone surrogate escape repaired.
pub fn check(body: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, ParseError> {
    let repaired = json::repair(body);
    let root = json::read(&repaired)?;
    entries(&root)?;
    Ok(repaired)
}

/// The envelope's `entry` list.
fn entries(root: &Value) -> Result<&Vec<Value>, ParseError> {
    root.as_object()
        .ok_or_else(|| ParseError("webhook body is not a json object".into()))?
        .get("entry")
        .ok_or_else(|| ParseError("webhook body has no entry list".into()))?
        .as_array()
        .ok_or_else(|| ParseError("webhook body has an entry field that is not a list".into()))
}

/// Parses a webhook body (already signature-checked) into events, in payload
/// order: for each change of ours, its statuses, then its messages, then
/// its account reports. A change for another number or account is one
/// [`Event::NotOurs`] or [`Event::NotOursAccount`], never read further.
pub fn parse(body: &[u8], ours: &Ours) -> Result<Vec<Event>, ParseError> {
    let root = json::read(body)?;
    let entries = entries(&root)?;

    let mut events = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        let Some(changes) = entry.get("changes") else {
            unrecognised(&mut events, format!("entry {e}: no changes"));
            continue;
        };
        let Some(changes) = changes.as_array() else {
            unrecognised(&mut events, format!("entry {e}: changes is not a list"));
            continue;
        };
        for (c, change) in changes.iter().enumerate() {
            let at = format!("entry {e} change {c}");
            let Some(field) = change.get("field").and_then(Value::as_str) else {
                unrecognised(&mut events, format!("{at}: no field name"));
                continue;
            };
            let value = change.get("value").unwrap_or(&Value::Null);
            let whose = ours.change(entry, field, value);
            if field == "messages" {
                match value.as_object() {
                    None => unrecognised(&mut events, format!("{at}: value is not an object")),
                    Some(_) if whose != Whose::Ours => events.push(Event::NotOurs),
                    Some(map) => {
                        message::parse_value(map, &at, &mut events);
                        account::parse_change(entry, field, value, &mut events);
                    }
                }
            } else if is_read(field) && value.is_null() {
                // A field mot reads, emptied by the receiver's scrub: nothing to read.
            } else if whose != Whose::Ours {
                events.push(Event::NotOursAccount);
            } else {
                account::parse_change(entry, field, value, &mut events);
            }
        }
    }
    Ok(events)
}

fn unrecognised(events: &mut Vec<Event>, reason: String) {
    events.push(Event::Unrecognised { reason });
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string field; empty strings count as absent.
fn string_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// An identifier: usually a string, but a number is an easy mistake for a
/// mock or a future API version to make, and costs nothing to accept.
fn id_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        _ => string_field(v, key),
    }
}

/// A phone number as bare digits: Meta sends none, but a `+` from elsewhere must
/// not make the same member look like two.
fn phone_field(v: &Value, key: &str) -> Option<String> {
    let id = id_field(v, key)?;
    match id.strip_prefix('+') {
        Some("") => None,
        Some(digits) => Some(digits.to_owned()),
        None => Some(id),
    }
}

/// Bounds text from the payload that ends up in a log line.
fn truncate(s: &str) -> &str {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

#[cfg(test)]
mod tests;
