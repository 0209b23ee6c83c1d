//! The messaging limit: how many different members the number may reach
//! outside a conversation window per rolling 24 hours (250, 2,000, 10,000,
//! 100,000 or unlimited, as Meta last reported). A broadcast larger than what
//! is left sends the first part and holds the rest `queued` until the window
//! rolls, rather than letting Meta fail them.

use std::collections::HashSet;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::state;
use crate::broadcast::{BroadcastId, DeliveryId, ledger};
use crate::db::ts;

/// The `error_class` of a delivery held back by the messaging limit.
pub const HELD: &str = "messaging_limit";

/// The rolling window Meta counts members over.
const WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// What the limit means for one audience.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Split {
    pub tier: String,
    pub limit: u64,
    /// Different members reached in the last 24 hours.
    pub reached_24h: usize,
    /// Recipients sent to now (members already reached cost nothing more).
    pub send_now: usize,
    /// Recipients held back until `resume_at`.
    pub held: usize,
    pub resume_at: String,
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "messaging limit {} ({} members a day, {} reached in the last 24 h): {} now, {} held until {}",
            self.tier, self.limit, self.reached_24h, self.send_now, self.held, self.resume_at
        )
    }
}

/// Numbers reached (accepted by Meta) in the 24 hours before `now`.
fn reached(conn: &Connection, now: Timestamp) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT phone FROM deliveries
         WHERE phone IS NOT NULL AND wamid IS NOT NULL AND sent_at >= ?1",
    )?;
    let rows = stmt.query_map([ts(now - WINDOW)], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lowest tier Meta grants: what an unreadable report counts as.
const LOWEST: u64 = 250;

/// The limit as a number, if Meta reported a finite one. A tier mot does
/// not know, or a limit of 0, fails closed: the lowest tier, with a warning
/// (sending more than the limit only gets the rest refused by Meta).
fn limit(conn: &Connection) -> Result<Option<(String, u64)>> {
    let Some((tier, _)) = state::messaging_tier(conn)? else {
        return Ok(None);
    };
    Ok(match state::tier_limit(&tier) {
        Some(None) => None,
        Some(Some(n)) if n > 0 => Some((tier, n)),
        _ => {
            crate::log_line!(
                "warning: Meta reported the messaging limit as {tier:?}, which is not a limit mot knows; counting the lowest, {LOWEST} members a day (see the number in WhatsApp Manager)"
            );
            Some((tier, LOWEST))
        }
    })
}

/// Which of `phones` (in send order) go now: true for each sent now.
fn decide(phones: &[String], reached: &HashSet<String>, limit: u64) -> Vec<bool> {
    let mut left = (limit as usize).saturating_sub(reached.len());
    phones
        .iter()
        .map(|p| {
            if reached.contains(p) {
                true
            } else if left > 0 {
                left -= 1;
                true
            } else {
                false
            }
        })
        .collect()
}

/// What the limit would do to an audience (for the dry run and the
/// confirmation); `None` when it all fits or no limit is known.
pub fn preview(conn: &Connection, phones: &[String], now: Timestamp) -> Result<Option<Split>> {
    let Some((tier, limit)) = limit(conn)? else {
        return Ok(None);
    };
    let reached = reached(conn, now)?;
    let now_or_later = decide(phones, &reached, limit);
    let held = now_or_later.iter().filter(|go| !**go).count();
    Ok((held > 0).then(|| Split {
        tier,
        limit,
        reached_24h: reached.len(),
        send_now: phones.len() - held,
        held,
        resume_at: ts(now + WINDOW),
    }))
}

/// Holds back the queued deliveries of a broadcast that the limit does not
/// allow now, and releases those it allows (a resume after the window
/// rolled). Returns the split when anything is held.
pub fn apply(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<Option<Split>> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, phone, error_class, next_attempt_at FROM deliveries
             WHERE broadcast_id = ?1 AND state = 'queued' AND phone IS NOT NULL ORDER BY id",
        )?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let release = |conn: &Connection, row: i64| ledger::release(conn, DeliveryId(row), HELD);
    let Some((tier, limit)) = limit(conn)? else {
        for (row, ..) in &rows {
            release(conn, *row)?;
        }
        return Ok(None);
    };
    let reached = reached(conn, now)?;
    let phones: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let go = decide(&phones, &reached, limit);
    let resume_at = ts(now + WINDOW);
    let mut held = 0;
    for ((row, _, class, _), go) in rows.iter().zip(&go) {
        if *go {
            release(conn, *row)?;
        } else {
            held += 1;
            // Retries waiting for their own time keep it; the hold is later.
            if class.as_deref().is_none_or(|c| c == HELD) {
                ledger::hold(
                    conn,
                    DeliveryId(*row),
                    HELD,
                    &resume_at,
                    "held back by the messaging limit",
                )?;
            }
        }
    }
    Ok((held > 0).then(|| Split {
        tier,
        limit,
        reached_24h: reached.len(),
        send_now: rows.len() - held,
        held,
        resume_at,
    }))
}

/// Deliveries of a broadcast still held back, and until when.
pub fn held(conn: &Connection, id: BroadcastId) -> Result<(usize, Option<String>)> {
    Ok(conn.query_row(
        "SELECT count(*), max(next_attempt_at) FROM deliveries
         WHERE broadcast_id = ?1 AND state = 'queued' AND error_class = ?2",
        params![id.0, HELD],
        |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_already_reached_cost_nothing() {
        let phones: Vec<String> = (0..6).map(|i| format!("+44770090000{i}")).collect();
        let reached: HashSet<String> = [phones[4].clone(), "+447700900999".to_string()].into();
        // Limit 4, two reached: two new ones go, and number 4 (reached) too.
        assert_eq!(
            decide(&phones, &reached, 4),
            [true, true, false, false, true, false]
        );
        assert_eq!(decide(&phones, &HashSet::new(), 10), [true; 6]);
        assert_eq!(decide(&phones, &HashSet::new(), 0), [false; 6]);
    }
}
