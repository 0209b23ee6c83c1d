//! The messaging limit: how many different members the number may reach
//! outside a conversation window per rolling 24 hours (250, 2,000, 10,000,
//! 100,000 or unlimited, as Meta last reported). A broadcast larger than what
//! is left sends the first part and holds the rest `queued` until the window
//! rolls, rather than letting Meta fail them.

use std::collections::HashMap;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::state;
use crate::broadcast::{self, BroadcastId, DeliveryId, ledger};
use crate::db::ts;
use crate::output::shown_time;

/// The `error_class` of a delivery held back by the messaging limit.
pub const HELD: &str = "messaging_limit";

/// The rolling window Meta counts members over.
const WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// How long a held message may still be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Until this time, as every message of the broadcast (a deadline the
    /// operator gave: urgent by nature).
    Fixed(Timestamp),
    /// For this long once it may be sent (a notice that may wait).
    AfterHold(SignedDuration),
}

impl Expiry {
    /// A stored broadcast's rule.
    pub fn of(b: &broadcast::Broadcast) -> Result<Expiry> {
        Ok(match b.held_expiry {
            Some(d) => Expiry::AfterHold(d),
            None => Expiry::Fixed(b.not_after()?),
        })
    }

    /// The deadline of a message that may first be sent at `at`.
    fn deadline(self, at: Timestamp) -> Timestamp {
        match self {
            Expiry::Fixed(t) => t,
            Expiry::AfterHold(d) => at + d,
        }
    }
}

/// What the limit means for one audience.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Split {
    pub tier: String,
    pub limit: u64,
    /// Different members reached in the last 24 hours.
    pub reached_24h: usize,
    /// Recipients sent to now (members already reached cost nothing more).
    pub send_now: usize,
    /// Recipients held back, the first of them until `resume_at`.
    pub held: usize,
    /// When the first held message may be sent (a slot of the 24-hour
    /// window frees).
    pub resume_at: String,
    /// When the last held message may be sent.
    pub all_by: String,
    /// How long held messages may wait, in words.
    pub expiry: String,
    /// Held messages that may not be sent before their deadline: they will
    /// expire, never sent.
    pub will_expire: usize,
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "messaging limit {} ({} members a day, {} reached in the last 24 h): {} now, {} held until {}",
            self.tier,
            self.limit,
            self.reached_24h,
            self.send_now,
            self.held,
            shown_time(&self.resume_at)
        )?;
        if self.all_by != self.resume_at {
            write!(f, " (the last of them from {})", shown_time(&self.all_by))?;
        }
        write!(f, "; {}", self.expiry)?;
        if self.will_expire > 0 {
            write!(
                f,
                "; {} of them cannot go before then and will never be sent",
                self.will_expire
            )?;
        }
        Ok(())
    }
}

/// Numbers reached (accepted by Meta) in the 24 hours before `now`, each
/// with when its place in the window frees (its latest send + 24 h).
fn reached(conn: &Connection, now: Timestamp) -> Result<HashMap<String, Timestamp>> {
    let mut stmt = conn.prepare_cached(
        "SELECT phone, max(sent_at) FROM deliveries
         WHERE phone IS NOT NULL AND wamid IS NOT NULL AND sent_at >= ?1 GROUP BY phone",
    )?;
    let rows = stmt.query_map([ts(now - WINDOW)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (phone, at) = row?;
        let at = at.parse::<Timestamp>().unwrap_or(now);
        out.insert(phone, at + WINDOW);
    }
    Ok(out)
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

/// When each of `phones` (in send order) may go: `None` now, `Some(t)`
/// held until `t`. `frees` maps each number reached in the window to when
/// its place frees. A held message takes the next place to free: the k-th
/// held one the k-th earliest, a day later for each time round.
fn schedule(
    phones: &[String],
    frees: &HashMap<String, Timestamp>,
    limit: u64,
    now: Timestamp,
) -> Vec<Option<Timestamp>> {
    let mut slots: HashMap<&str, Timestamp> = frees.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let mut left = (limit as usize).saturating_sub(slots.len());
    let mut held = Vec::new();
    for (i, p) in phones.iter().enumerate() {
        if slots.contains_key(p.as_str()) {
            // Sent again now: its place is taken a day from now.
            slots.insert(p, now + WINDOW);
        } else if left > 0 {
            left -= 1;
            slots.insert(p, now + WINDOW);
        } else {
            held.push(i);
        }
    }
    let mut times: Vec<Timestamp> = slots.into_values().collect();
    times.sort();
    let mut out = vec![None; phones.len()];
    for (k, i) in held.into_iter().enumerate() {
        let at = match times.len() {
            0 => now + WINDOW * (k as i32 + 1),
            n => times[k % n] + WINDOW * ((k / n) as i32),
        };
        out[i] = Some(at.max(now));
    }
    out
}

/// Sums up a schedule as the operator is told it.
fn split(
    (tier, limit): (String, u64),
    reached_24h: usize,
    times: &[Option<Timestamp>],
    expiry: Expiry,
) -> Option<Split> {
    let held: Vec<Timestamp> = times.iter().flatten().copied().collect();
    let (first, last) = (held.iter().min()?, held.iter().max()?);
    let (text, will_expire) = match expiry {
        Expiry::Fixed(t) => (
            format!("every message expires at {} (the deadline given)", ts(t)),
            held.iter().filter(|at| **at > t).count(),
        ),
        Expiry::AfterHold(d) => (
            format!(
                "each may still be sent for {} once it may go, with `mot broadcasts resume`",
                crate::duration::words(d)
            ),
            0,
        ),
    };
    Some(Split {
        tier,
        limit,
        reached_24h,
        send_now: times.len() - held.len(),
        held: held.len(),
        resume_at: ts(*first),
        all_by: ts(*last),
        expiry: text,
        will_expire,
    })
}

/// What the limit would do to an audience (for the dry run and the
/// confirmation); `None` when it all fits or no limit is known.
pub fn preview(
    conn: &Connection,
    phones: &[String],
    now: Timestamp,
    expiry: Expiry,
) -> Result<Option<Split>> {
    let Some(limit) = limit(conn)? else {
        return Ok(None);
    };
    let frees = reached(conn, now)?;
    let times = schedule(phones, &frees, limit.1, now);
    Ok(split(limit, frees.len(), &times, expiry))
}

/// Holds back the queued deliveries of a broadcast that the limit does not
/// allow now, each until its place in the window frees and with its own
/// deadline, and releases those it allows (a resume after the window
/// rolled). Returns the split when anything is held.
pub fn apply(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<Option<Split>> {
    let rows: Vec<(i64, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, phone, error_class FROM deliveries
             WHERE broadcast_id = ?1 AND state = 'queued' AND phone IS NOT NULL ORDER BY id",
        )?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let release = |conn: &Connection, row: i64| ledger::release(conn, DeliveryId(row), HELD);
    let Some(limit) = limit(conn)? else {
        for (row, ..) in &rows {
            release(conn, *row)?;
        }
        return Ok(None);
    };
    let expiry = Expiry::of(&broadcast::must_get(conn, id)?)?;
    let frees = reached(conn, now)?;
    let phones: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let times = schedule(&phones, &frees, limit.1, now);
    for ((row, _, class), at) in rows.iter().zip(&times) {
        match at {
            None => release(conn, *row)?,
            // Retries waiting for their own time keep it; the hold is later.
            Some(at) if class.as_deref().is_none_or(|c| c == HELD) => {
                let own = match expiry {
                    Expiry::AfterHold(_) => Some(ts(expiry.deadline(*at))),
                    Expiry::Fixed(_) => None,
                };
                ledger::hold(
                    conn,
                    DeliveryId(*row),
                    HELD,
                    &ts(*at),
                    "held back by the messaging limit",
                    own.as_deref(),
                )?;
            }
            Some(_) => {}
        }
    }
    Ok(split(limit, frees.len(), &times, expiry))
}

/// A broadcast with messages the limit holds back, as `mot doctor` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub broadcast: BroadcastId,
    pub messages: usize,
    /// When the first of them may be sent.
    pub first_at: String,
    /// The earliest deadline among them.
    pub expires_at: String,
}

/// Every broadcast with messages held back by the limit, oldest first.
pub fn held_everywhere(conn: &Connection) -> Result<Vec<Held>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.broadcast_id, count(*), min(d.next_attempt_at),
                min(coalesce(d.not_after, b.not_after))
         FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
         WHERE d.state = 'queued' AND d.error_class = ?1
         GROUP BY d.broadcast_id ORDER BY d.broadcast_id",
    )?;
    let rows = stmt.query_map([HELD], |r| {
        Ok(Held {
            broadcast: BroadcastId(r.get(0)?),
            messages: r.get::<_, i64>(1)? as usize,
            first_at: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            expires_at: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

    fn at(h: i64) -> Timestamp {
        "2026-03-02T09:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_hours(h)
    }

    #[test]
    fn members_already_reached_cost_nothing() {
        let phones: Vec<String> = (0..6).map(|i| format!("+44770090000{i}")).collect();
        // Two reached: number 4 at -20 h (frees at +4 h), another at -10 h (+14 h).
        let frees: HashMap<String, Timestamp> = [
            (phones[4].clone(), at(4)),
            ("+447700900999".to_string(), at(14)),
        ]
        .into();
        // Limit 4: two new ones go, and number 4 (reached) too; the held
        // ones take the places as they free: +14 h, then +24 h (those sent now).
        let now = at(0);
        assert_eq!(
            schedule(&phones, &frees, 4, now),
            [None, None, Some(at(14)), Some(at(24)), None, Some(at(24))]
        );
        assert_eq!(schedule(&phones, &HashMap::new(), 10, now), [None; 6]);
    }

    #[test]
    fn an_audience_over_twice_the_limit_goes_over_several_days() {
        let phones: Vec<String> = (0..7).map(|i| format!("+44770090000{i}")).collect();
        let times = schedule(&phones, &HashMap::new(), 3, at(0));
        assert_eq!(
            times,
            [
                None,
                None,
                None,
                Some(at(24)),
                Some(at(24)),
                Some(at(24)),
                Some(at(48))
            ]
        );
        let s = split(
            ("TIER_3".into(), 3),
            0,
            &times,
            Expiry::AfterHold(SignedDuration::from_hours(24)),
        )
        .unwrap();
        assert_eq!((s.send_now, s.held, s.will_expire), (3, 4, 0));
        assert_eq!(
            (s.resume_at.as_str(), s.all_by.as_str()),
            ("2026-03-03T09:00:00Z", "2026-03-04T09:00:00Z")
        );
        // A deadline given for everyone: what cannot go before it is said to expire.
        let s = split(("TIER_3".into(), 3), 0, &times, Expiry::Fixed(at(30))).unwrap();
        assert_eq!(s.will_expire, 1);
        assert!(
            s.to_string().contains("1 of them cannot go before then"),
            "{s}"
        );
    }
}
