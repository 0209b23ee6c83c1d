//! Receiving WhatsApp webhooks: signatures, payloads, the receiver itself,
//! and applying a stored payload (shared with the relay in `status pull`).

pub mod event;
pub mod server;
pub mod verify;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;

use crate::inbound::{self, Action};
use crate::phone::E164;
use crate::status::{self, Applied, Source};
use event::Event;

/// What applying payloads did, for summaries and logs (counts only: no
/// personal data ever goes to a log).
#[derive(Debug, Default, Clone, Serialize)]
pub struct ApplyReport {
    pub statuses: usize,
    pub statuses_moved: usize,
    pub duplicates: usize,
    pub messages: usize,
    pub signups: usize,
    pub opt_outs: usize,
    pub unrecognised: usize,
    /// Template, number and account events (see `crate::account`).
    pub account: crate::account::AccountReport,
    /// Numbers owed an automatic reply, and what for.
    #[serde(skip)]
    pub replies: Vec<(E164, Action)>,
}

impl ApplyReport {
    pub fn add(&mut self, other: ApplyReport) {
        self.statuses += other.statuses;
        self.statuses_moved += other.statuses_moved;
        self.duplicates += other.duplicates;
        self.messages += other.messages;
        self.signups += other.signups;
        self.opt_outs += other.opt_outs;
        self.unrecognised += other.unrecognised;
        self.account.add(&other.account);
        self.replies.extend(other.replies);
    }
}

/// Where inbound messages carry text a person typed.
const TEXT_FIELDS: [&str; 9] = [
    "/text/body",
    "/button/text",
    "/button/payload",
    "/interactive/button_reply/title",
    "/interactive/list_reply/title",
    "/interactive/list_reply/description",
    "/image/caption",
    "/video/caption",
    "/document/caption",
];

/// Removes text the patient-data screen blocks from a raw payload before it
/// is stored anywhere (the receiver's store, the relay). Returns the payload
/// to store: the original bytes when nothing was removed.
pub fn scrub(body: &[u8]) -> Vec<u8> {
    let Ok(mut root) = serde_json::from_slice::<serde_json::Value>(body) else {
        return body.to_vec();
    };
    let mut removed = false;
    let entries = root.get_mut("entry").and_then(|e| e.as_array_mut());
    for entry in entries.into_iter().flatten() {
        let changes = entry.get_mut("changes").and_then(|c| c.as_array_mut());
        for change in changes.into_iter().flatten() {
            let messages = change
                .pointer_mut("/value/messages")
                .and_then(|m| m.as_array_mut());
            for message in messages.into_iter().flatten() {
                for field in TEXT_FIELDS {
                    if let Some(value) = message.pointer_mut(field)
                        && let Some(text) = value.as_str()
                    {
                        let findings = crate::screen::screen(text);
                        if crate::screen::verdict(&findings) == Some(crate::screen::Severity::Block)
                        {
                            *value = serde_json::Value::String(crate::screen::redaction_marker(
                                &findings,
                            ));
                            removed = true;
                        }
                    }
                }
            }
        }
    }
    if removed {
        serde_json::to_vec(&root).unwrap_or_else(|_| body.to_vec())
    } else {
        body.to_vec()
    }
}

/// Applies one raw webhook payload: statuses move deliveries forward,
/// messages become sign-ups, opt-outs and replies. Idempotent.
pub fn apply_payload(
    conn: &Connection,
    body: &[u8],
    source: Source,
    now: Timestamp,
) -> Result<ApplyReport> {
    let mut report = ApplyReport::default();
    let events = match event::parse(body) {
        Ok(events) => events,
        Err(e) => {
            eprintln!("webhook: a stored payload is not a webhook ({e}); skipped");
            report.unrecognised += 1;
            return Ok(report);
        }
    };
    report.account = crate::account::apply_payload(conn, body, source, now)?;
    for e in events {
        match e {
            Event::Status(s) => {
                report.statuses += 1;
                match status::apply(conn, &s, source, now)? {
                    Applied::Duplicate => report.duplicates += 1,
                    Applied::Moved(_) => report.statuses_moved += 1,
                    Applied::NotOurs | Applied::Recorded => {}
                }
            }
            Event::Message(m) => {
                let (action, _member) = inbound::apply(conn, &m, now)?;
                match action {
                    Action::Duplicate => report.duplicates += 1,
                    Action::Signup => report.signups += 1,
                    Action::OptOut => report.opt_outs += 1,
                    _ => {}
                }
                if action != Action::Duplicate {
                    report.messages += 1;
                }
                if let (Some(phone), Action::Signup | Action::OptOut) =
                    (inbound::sender(&m), action)
                {
                    report.replies.push((phone, action));
                }
            }
            Event::Unrecognised { reason } => {
                eprintln!("webhook: skipped an item: {reason}");
                report.unrecognised += 1;
            }
        }
    }
    Ok(report)
}
