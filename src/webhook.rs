//! Receiving WhatsApp webhooks: signatures, the receiver itself, the relay,
//! and applying a stored payload: the one place where a payload's events
//! (read by [`crate::event`]) become status, inbound and account changes
//! (`status`, `inbound` and `account` never call back).

pub mod listener;
pub mod relay;
pub mod scrub;
pub mod server;
pub mod verify;
mod writer;

pub use scrub::scrub;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;

use crate::event::{self, Event, Ours, Source};
use crate::inbound::{self, Action};
use crate::phone::E164;
use crate::signup::Conversation;
use crate::status::{self, Applied};

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
    /// `messages` changes for another number on the same Meta app: counted, never applied.
    pub not_ours: usize,
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
        self.not_ours += other.not_ours;
        self.account.add(&other.account);
        self.replies.extend(other.replies);
    }
}

/// How many skipped items of one payload are logged with their reason.
const LOGGED_REASONS: usize = 3;

/// [`apply_payload_with`] without the sign-up conversation or channel replies.
pub fn apply_payload(
    conn: &Connection,
    body: &[u8],
    ours: &Ours,
    source: Source,
    now: Timestamp,
) -> Result<ApplyReport> {
    apply_payload_with(conn, body, ours, source, &Conversation::off(), now)
}

/// Applies one raw webhook payload: statuses move deliveries forward,
/// messages become sign-ups, opt-outs and replies (and the conversation's
/// messages are queued, see `signup::outbox`). Idempotent. Only what is
/// `ours` is applied, even from a body stored before the receiver filtered.
pub fn apply_payload_with(
    conn: &Connection,
    body: &[u8],
    ours: &Ours,
    source: Source,
    conv: &Conversation,
    now: Timestamp,
) -> Result<ApplyReport> {
    let mut report = ApplyReport::default();
    // Bodies stored before the receiver repaired them, or relayed, are read
    // the same lenient way by both readers below.
    let body = &*event::json::repair(body);
    let events = match event::parse(body, ours) {
        Ok(events) => events,
        Err(e) => {
            crate::log_line!("webhook: a stored payload is not a webhook ({e}); skipped");
            report.unrecognised += 1;
            return Ok(report);
        }
    };
    // Reasons for skipped items: a few are logged, the rest counted, so a
    // payload of 100,000 odd entries is one summary, not 100,000 lines.
    let mut skipped = Vec::new();
    // Account reports first, as before the one walk: a marketing-preference
    // stop in a body is applied before that body's messages (a START or a
    // first message from the same number then decides the outcome).
    let (account, events): (Vec<Event>, Vec<Event>) = events
        .into_iter()
        .partition(|e| matches!(e, Event::Account(_) | Event::NotOursAccount));
    for e in account.into_iter().chain(events) {
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
                let (action, _member) = inbound::apply_with(conn, &m, conv, now)?;
                match action {
                    Action::Duplicate => report.duplicates += 1,
                    Action::Signup => report.signups += 1,
                    Action::OptOut => report.opt_outs += 1,
                    _ => {}
                }
                if action != Action::Duplicate {
                    report.messages += 1;
                }
                // The conversation's terms take the place of the welcome reply.
                let welcome = action == Action::Signup && !conv.signup.guided;
                if let (Some(phone), true) =
                    (inbound::sender(&m), welcome || action == Action::OptOut)
                {
                    report.replies.push((phone, action));
                }
            }
            Event::Account(a) => crate::account::apply(conn, &a, source, now, &mut report.account)?,
            Event::Noted { .. } => report.statuses += 1,
            Event::NotOurs => report.not_ours += 1,
            Event::NotOursAccount => report.account.not_ours += 1,
            Event::Unrecognised { reason } => {
                if skipped.len() < LOGGED_REASONS {
                    skipped.push(reason);
                }
                report.unrecognised += 1;
            }
        }
    }
    // A marketing-preference stop is an opt-out like a STOP, and counted so.
    report.opt_outs += report.account.opt_outs;
    for reason in &skipped {
        crate::log_line!("webhook: skipped an item: {reason}");
    }
    if report.unrecognised > skipped.len() {
        crate::log_line!(
            "webhook: skipped {} more item(s) of the same payload (not logged one by one)",
            report.unrecognised - skipped.len()
        );
    }
    Ok(report)
}

impl ApplyReport {
    /// Changes for another number or business account, of both kinds.
    pub fn not_ours(&self) -> usize {
        self.not_ours + self.account.not_ours
    }
}
