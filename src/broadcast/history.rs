//! Reading the ledger back for the lapsed rule and the summary report:
//! per-broadcast facts, each member's rows newest first, and totals.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;

use super::{BroadcastId, DeliveryState};
use crate::db::ts;
use crate::members::MemberId;

/// What the lapsed rule needs to know about one broadcast.
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastFacts {
    pub id: BroadcastId,
    /// When it was created (the ledger's time order).
    pub at: String,
    pub is_test: bool,
    /// Ledger rows, whoever they were for (erased members still count).
    pub recipients: i64,
    /// (error code, rows failed with it).
    pub failures: Vec<(i64, i64)>,
}

/// One delivery, as the lapsed rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    pub broadcast_id: BroadcastId,
    pub state: DeliveryState,
    pub error_code: Option<i64>,
    pub sent_at: Option<String>,
}

/// Every broadcast with its recipient count and failures by code.
pub fn broadcast_facts(conn: &Connection) -> Result<Vec<BroadcastFacts>> {
    let mut broadcasts: Vec<BroadcastFacts> = conn
        .prepare_cached("SELECT id, created_at, is_test FROM broadcasts ORDER BY id")?
        .query_map([], |r| {
            Ok(BroadcastFacts {
                id: BroadcastId(r.get(0)?),
                at: r.get(1)?,
                is_test: r.get(2)?,
                recipients: 0,
                failures: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Counted by `summary`, the one owner of a broadcast's counts (purged
    // rows included), one broadcast at a time.
    for b in &mut broadcasts {
        let totals = super::summary::totals(conn, b.id)?;
        b.recipients = totals.recipients();
        b.failures = totals.failed_by_code();
    }
    Ok(broadcasts)
}

/// Feeds one member's ledger rows to `each`, newest broadcast first, until it returns false.
pub fn walk(
    conn: &Connection,
    member: MemberId,
    each: &mut dyn FnMut(&LedgerRow) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT broadcast_id, state, error_code, sent_at FROM deliveries
         WHERE member_id = ?1 ORDER BY broadcast_id DESC",
    )?;
    let mut rows = stmt.query([member.0])?;
    while let Some(r) = rows.next()? {
        let row = LedgerRow {
            broadcast_id: BroadcastId(r.get(0)?),
            state: r.get(1)?,
            error_code: r.get(2)?,
            sent_at: r.get(3)?,
        };
        if !each(&row) {
            break;
        }
    }
    Ok(())
}

/// When each member last wrote to the team (their latest inbound message).
pub fn last_messages(conn: &Connection) -> Result<HashMap<MemberId, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member_id, max(at) FROM inbound WHERE member_id IS NOT NULL GROUP BY member_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((MemberId(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One broadcast's outcome in the summary report.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub broadcast_id: BroadcastId,
    pub at: String,
    pub recipients: i64,
    /// Delivered or read.
    pub delivered: i64,
    pub read: i64,
    pub failed: i64,
    /// Delivered (or read) ÷ recipients, and read ÷ recipients; 0 with no recipients.
    pub delivered_rate: f64,
    pub read_rate: f64,
    /// Failed rows by error class (`member`, `throttled`, `not_active`…).
    pub failed_by_class: BTreeMap<String, i64>,
}

/// Every broadcast (test sends left out) created at or after `since`, oldest first.
pub fn outcomes_since(conn: &Connection, since: Timestamp) -> Result<Vec<Outcome>> {
    let ids: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, created_at FROM broadcasts
             WHERE created_at >= ?1 AND is_test = 0 ORDER BY id",
        )?
        .query_map([ts(since)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    // Counted by the one owner of a broadcast's counts, which also knows the
    // totals of rows `mot purge` removed.
    for (id, at) in ids {
        let s = super::summary(conn, BroadcastId(id))?;
        let rate = |n: i64| {
            if s.recipients > 0 {
                n as f64 / s.recipients as f64
            } else {
                0.0
            }
        };
        out.push(Outcome {
            broadcast_id: BroadcastId(id),
            at,
            recipients: s.recipients,
            delivered: s.delivered,
            read: s.read,
            failed: s.counts.get(&DeliveryState::Failed).copied().unwrap_or(0),
            delivered_rate: rate(s.delivered),
            read_rate: rate(s.read),
            failed_by_class: s.failed_by_class.clone(),
        });
    }
    Ok(out)
}
