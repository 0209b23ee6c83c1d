//! Broadcasts and their delivery ledger: one row per recipient, written
//! before anything is sent, moved through its states by the sender.
//!
//! By concern: [`text`] maps a message onto a template's parameters;
//! [`audience`] says who it goes to; [`ledger`] owns every write to a
//! broadcast's deliveries; [`summary`] is the one place that counts them
//! (purged totals included); [`history`] reads them back for the lapsed
//! rule and reports. This file holds the broadcast record itself.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, Result};
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::members::{self, MemberId, MemberStatus};
use crate::output::Row;
use crate::phone::E164;
use crate::whatsapp::Template;

pub mod audience;
pub mod history;
pub mod ledger;
pub mod plan;
pub mod sender;
pub mod summary;
pub mod text;

pub use audience::{Audience, Recipient, Selection, select};
pub use ledger::{
    Disposition, NewBroadcast, Pending, claim, count_retryable, create_with, expire_due,
    find_duplicate, move_all, pending, record, requeue_retryable,
};
pub use summary::{Summary, deliveries, list, purged_deliveries, summary};
pub use text::{folded_line_breaks, template_params};

/// What a broadcast's text becomes after `[retention] broadcast_text`: a
/// macro, so purge's SQL can spell it with `concat!`.
macro_rules! removed_text {
    () => {
        "[text removed: retention period over]"
    };
}
pub(crate) use removed_text;
pub const REMOVED_TEXT: &str = removed_text!();

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct BroadcastId(pub i64);

impl fmt::Display for BroadcastId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DeliveryId(pub i64);

text_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Kind {
        Notice = "notice",
        Request = "request",
    }
}

text_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum State {
        Sending = "sending",
        Paused = "paused",
        Finished = "finished",
    }
}

text_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DeliveryState {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
        Expired = "expired",
        Unknown = "unknown",
    }
}

/// A stored broadcast, with what the sender needs to continue it.
#[derive(Debug, Clone, Serialize)]
pub struct Broadcast {
    pub id: BroadcastId,
    pub kind: Kind,
    pub state: State,
    pub body: String,
    pub template: String,
    pub language: String,
    pub params: Vec<String>,
    pub is_test: bool,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub not_after: String,
    pub pause_reason: Option<String>,
    /// How long a message the messaging limit holds back may wait once it
    /// may be sent; `None`: `not_after` binds every message.
    #[serde(skip)]
    pub held_expiry: Option<SignedDuration>,
}

impl Broadcast {
    /// Refuses to send anything more of a broadcast whose text the retention
    /// policy removed: its template would go out with no words in it.
    pub fn refuse_if_text_removed(&self) -> Result<()> {
        if self.body != REMOVED_TEXT {
            return Ok(());
        }
        Err(crate::exit::Failure::new(
            crate::exit::Exit::Paused,
            format!(
                "broadcast {}'s text was removed by the retention policy, so nothing more can be sent from it",
                self.id
            ),
        )
        .help("send the notice again as a new broadcast with `mot send`")
        .into())
    }

    pub fn template(&self) -> Template {
        Template {
            name: self.template.clone(),
            language: self.language.clone(),
            params: self.params.clone(),
            buttons: Vec::new(),
        }
    }

    pub fn not_after(&self) -> Result<Timestamp> {
        self.not_after
            .parse()
            .context("bad not_after in the database")
    }
}

pub fn get(conn: &Connection, id: BroadcastId) -> Result<Option<Broadcast>> {
    let row = conn
        .prepare_cached(
            "SELECT id, kind, state, body, template, language, params, is_test, created_by,
                    created_at, started_at, finished_at, not_after, pause_reason,
                    held_expiry_secs
             FROM broadcasts WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            Ok((
                Broadcast {
                    id: BroadcastId(r.get(0)?),
                    kind: r.get(1)?,
                    state: r.get(2)?,
                    body: r.get(3)?,
                    template: r.get(4)?,
                    language: r.get(5)?,
                    params: Vec::new(),
                    is_test: r.get(7)?,
                    created_by: r.get(8)?,
                    created_at: r.get(9)?,
                    started_at: r.get(10)?,
                    finished_at: r.get(11)?,
                    not_after: r.get(12)?,
                    pause_reason: r.get(13)?,
                    held_expiry: r.get::<_, Option<i64>>(14)?.map(SignedDuration::from_secs),
                },
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    row.map(|(mut b, params)| {
        b.params = serde_json::from_str(&params).context("bad params in the database")?;
        Ok(b)
    })
    .transpose()
}

/// Like [`get`], but a missing broadcast is an error that says what to do.
pub fn must_get(conn: &Connection, id: BroadcastId) -> Result<Broadcast> {
    get(conn, id)?.ok_or_else(|| {
        crate::exit::error_with_help(format!("no broadcast {id}"), "see `mot broadcasts list`")
    })
}

pub fn set_state(
    conn: &Connection,
    id: BroadcastId,
    state: State,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let now = ts(now);
    conn.prepare_cached(
        "UPDATE broadcasts SET state = ?2, pause_reason = ?3,
                started_at = coalesce(started_at, ?4),
                finished_at = CASE WHEN ?2 = 'finished' THEN ?4 ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![id.0, state.as_str(), reason, now])?;
    Ok(())
}

/// Pauses the broadcast a delivery belongs to, for an error reported late (a
/// `failed` status with a template, account or token code), if it still has
/// something to send: the same stop a synchronous error makes. A running
/// sender sees the state and stops claiming. True if it paused anything.
pub fn pause_for_late_failure(
    conn: &Connection,
    delivery: DeliveryId,
    reason: &str,
    now: Timestamp,
) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE broadcasts SET state = 'paused', pause_reason = ?2, finished_at = NULL,
                    started_at = coalesce(started_at, ?3)
             WHERE id = (SELECT broadcast_id FROM deliveries WHERE id = ?1)
               AND (state = 'sending' OR EXISTS (
                   SELECT 1 FROM deliveries d
                   WHERE d.broadcast_id = broadcasts.id AND d.state IN ('queued', 'sending')))",
        )?
        .execute(params![delivery.0, reason, ts(now)])?;
    Ok(changed > 0)
}

/// The state and pause reason stored for a broadcast, as another process
/// (a receiver applying a late failure) may have changed it.
pub fn stored_state(conn: &Connection, id: BroadcastId) -> Result<(State, Option<String>)> {
    Ok(conn
        .prepare_cached("SELECT state, pause_reason FROM broadcasts WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?)
}
