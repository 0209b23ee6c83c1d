//! The delivery ledger: every write to a broadcast's deliveries. Rows are
//! created (one `queued` per recipient, with the broadcast, in one
//! transaction), claimed, recorded with what WhatsApp answered, moved and
//! re-queued here and nowhere else.

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::*;

/// A broadcast about to be created.
#[derive(Debug)]
pub struct NewBroadcast<'a> {
    pub kind: Kind,
    pub body: &'a str,
    pub template: &'a Template,
    pub audience: &'a Audience,
    pub created_by: &'a str,
    pub created_at: Timestamp,
    pub not_after: Timestamp,
    /// How long a message the messaging limit holds back may wait once it
    /// may be sent; `None`: `not_after` binds every message.
    pub held_expiry: Option<SignedDuration>,
}

/// An earlier broadcast of the same text to the same audience since `since`.
/// "The same text" means the same template parameters: what members would
/// read, whatever white space the text was typed with.
pub fn find_duplicate(
    conn: &Connection,
    params: &[String],
    audience: &Audience,
    since: Timestamp,
) -> Result<Option<(BroadcastId, String)>> {
    if matches!(audience, Audience::Test { .. }) {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, audience FROM broadcasts
         WHERE params = ?1 AND is_test = 0 AND created_at >= ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![serde_json::to_string(params)?, ts(since)], |r| {
        Ok((
            BroadcastId(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let key = audience.key();
    for row in rows {
        let (id, at, stored) = row?;
        if serde_json::from_str::<Audience>(&stored).is_ok_and(|a| a.key() == key) {
            return Ok(Some((id, at)));
        }
    }
    Ok(None)
}

/// Writes the broadcast and one `queued` delivery per recipient in one
/// transaction (after this returns, nothing about who should get it can be
/// lost), with `also` run in the same transaction once the id is known: what another module records about the broadcast (a request's
/// options) is then written with it or not at all.
pub fn create_with(
    conn: &mut Connection,
    b: &NewBroadcast,
    recipients: &[Recipient],
    also: &dyn Fn(&rusqlite::Transaction, BroadcastId) -> Result<()>,
) -> Result<BroadcastId> {
    let tx = conn.transaction()?;
    let now = ts(b.created_at);
    tx.execute(
        "INSERT INTO broadcasts (kind, body, template, language, params, audience, is_test,
                                 created_by, created_at, not_after, state, held_expiry_secs)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'sending', ?11)",
        params![
            b.kind.as_str(),
            b.body,
            b.template.name,
            b.template.language,
            serde_json::to_string(&b.template.params)?,
            serde_json::to_string(b.audience)?,
            matches!(b.audience, Audience::Test { .. }),
            b.created_by,
            now,
            ts(b.not_after),
            b.held_expiry.map(|d| d.as_secs()),
        ],
    )?;
    let id = BroadcastId(tx.last_insert_rowid());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO deliveries (broadcast_id, member_id, phone, state, updated_at)
             VALUES (?1, ?2, ?3, 'queued', ?4)",
        )?;
        for r in recipients {
            insert.execute(params![
                id.0,
                r.member_id.map(|m| m.0),
                r.phone.as_str(),
                now
            ])?;
        }
    }
    also(&tx, id)?;
    tx.commit()?;
    Ok(id)
}

/// A delivery waiting to be sent.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: DeliveryId,
    pub phone: E164,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    /// Its own deadline, if the messaging limit held it (else the broadcast's).
    pub not_after: Option<Timestamp>,
}

/// The deliveries still `queued`, in id order. Rows whose member was erased
/// meanwhile have no number left: they are failed as `removed` here.
pub fn pending(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<Vec<Pending>> {
    conn.prepare_cached(
        "UPDATE deliveries SET state = 'failed', error_class = 'removed',
                error_message = 'member removed before sending', updated_at = ?2
         WHERE broadcast_id = ?1 AND state = 'queued' AND phone IS NULL",
    )?
    .execute(params![id.0, ts(now)])?;
    // A member's number may have changed since the broadcast was written:
    // send to the number they have now.
    conn.prepare_cached(
        "UPDATE deliveries SET phone = (SELECT phone FROM members WHERE id = member_id)
         WHERE broadcast_id = ?1 AND state = 'queued' AND member_id IS NOT NULL",
    )?
    .execute([id.0])?;
    // Rows the messaging limit holds back wait for a resume, not for this run.
    let mut stmt = conn.prepare_cached(
        "SELECT id, phone, attempts, next_attempt_at, not_after FROM deliveries
         WHERE broadcast_id = ?1 AND state = 'queued'
           AND NOT (coalesce(error_class, '') = 'messaging_limit' AND next_attempt_at > ?2)
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![id.0, ts(now)], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let time = |t: Option<String>, what: &str| -> Result<Option<Timestamp>> {
        t.map(|t| t.parse())
            .transpose()
            .with_context(|| format!("bad {what} in the database"))
    };
    let mut out = Vec::new();
    for row in rows {
        let (id, phone, attempts, next, not_after) = row?;
        out.push(Pending {
            id: DeliveryId(id),
            phone: E164::from_stored(phone),
            attempts,
            next_attempt_at: time(next, "next_attempt_at")?,
            not_after: time(not_after, "a delivery's not_after")?,
        });
    }
    Ok(out)
}

/// Moves every delivery of `id` in state `from` to `to`; returns how many.
pub fn move_all(
    conn: &Connection,
    id: BroadcastId,
    from: DeliveryState,
    to: DeliveryState,
    now: Timestamp,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE deliveries SET state = ?3, next_attempt_at = NULL, updated_at = ?4
             WHERE broadcast_id = ?1 AND state = ?2",
        )?
        .execute(params![id.0, from.as_str(), to.as_str(), ts(now)])?)
}

/// Expires the queued deliveries of `id` whose deadline (their own, or the
/// broadcast's) has come by `now`: a late notice is worse than none.
/// Times are stored to the second, so a deadline in `now`'s second counts
/// as come (the sender asks only once `now` is past it). Returns how many.
pub fn expire_due(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE deliveries SET state = 'expired', next_attempt_at = NULL, updated_at = ?2
             WHERE broadcast_id = ?1 AND state = 'queued'
               AND coalesce(not_after, (SELECT not_after FROM broadcasts WHERE id = ?1)) <= ?2",
        )?
        .execute(params![id.0, ts(now)])?)
}

/// Failed deliveries whose error class makes another try sensible.
const RETRYABLE: &str = "broadcast_id = ?1 AND state = 'failed'
    AND error_class IN ('transient', 'throttled', 'pair_limit', 'platform')
    AND phone IS NOT NULL
    -- never a message WhatsApp accepted and reported failed later:
    -- a late 'delivered' for it may still come
    AND wamid IS NULL AND sent_at IS NULL";

/// How many failed deliveries [`requeue_retryable`] would re-queue.
pub fn count_retryable(conn: &Connection, id: BroadcastId) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM deliveries WHERE {RETRYABLE}"
        ))?
        .query_row([id.0], |r| r.get(0))?)
}

/// Re-queues failed deliveries whose error class makes another try sensible.
pub fn requeue_retryable(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<usize> {
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE deliveries SET state = 'queued', attempts = 0, next_attempt_at = NULL,
                    error_code = NULL, error_class = NULL, error_message = NULL, updated_at = ?2
             WHERE {RETRYABLE}"
        ))?
        .execute(params![id.0, ts(now)])?)
}

/// Marks deliveries `sending`: committed before their requests go out.
/// A row whose member has meanwhile opted out, lapsed or been removed is not
/// claimed but failed, so nobody is messaged after leaving. Returns the ids
/// claimed, which are the only ones that may be sent.
pub fn claim(conn: &Connection, ids: &[DeliveryId], now: Timestamp) -> Result<Vec<DeliveryId>> {
    let mut claim = conn.prepare_cached(
        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?2
         WHERE id = ?1 AND state = 'queued' AND phone IS NOT NULL
           AND (member_id IS NULL
                OR (SELECT status FROM members WHERE id = member_id) = 'active'
                OR (SELECT is_test FROM broadcasts WHERE id = broadcast_id) = 1)",
    )?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        if claim.execute(params![id.0, ts(now)])? == 1 {
            claimed.push(*id);
        } else {
            conn.prepare_cached(
                "UPDATE deliveries SET state = 'failed', error_class = 'not_active', error_code = NULL,
                        next_attempt_at = NULL,
                        error_message = 'the member opted out, lapsed or was removed before sending',
                        updated_at = ?2
                 WHERE id = ?1 AND state = 'queued'",
            )?
            .execute(params![id.0, ts(now)])?;
        }
    }
    Ok(claimed)
}

/// Where a send left one delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Disposition {
    Sent {
        wamid: String,
    },
    /// Back in the queue, to be tried again at `at`. Only temporary errors
    /// use up one of the row's tries (`counts`); throttling, pair limits and
    /// pauses are nobody's fault and do not.
    Retry {
        at: Timestamp,
        code: Option<i64>,
        class: &'static str,
        message: String,
        counts: bool,
    },
    /// Still queued when the broadcast's `not_after` passed: never sent late.
    Expired,
    Failed {
        code: Option<i64>,
        class: &'static str,
        message: String,
    },
    Unknown {
        message: String,
    },
}

/// Records what became of a claimed delivery. Returns false when the row
/// was no longer `sending` (a status event already moved it on), in which
/// case nothing changed and the caller must not queue it again.
pub fn record(
    conn: &Connection,
    id: DeliveryId,
    result: &Disposition,
    now: Timestamp,
) -> Result<bool> {
    let now = ts(now);
    let none = || (None, None, None);
    let (state, wamid, next, (code, class, message), refund) = match result {
        Disposition::Sent { wamid } => (
            DeliveryState::Sent,
            Some(wamid.as_str()),
            None,
            none(),
            false,
        ),
        Disposition::Retry {
            at,
            code,
            class,
            message,
            counts,
        } => (
            DeliveryState::Queued,
            None,
            Some(ts(*at)),
            (*code, Some(*class), Some(message.as_str())),
            !counts,
        ),
        Disposition::Failed {
            code,
            class,
            message,
        } => (
            DeliveryState::Failed,
            None,
            None,
            (*code, Some(*class), Some(message.as_str())),
            false,
        ),
        Disposition::Unknown { message } => (
            DeliveryState::Unknown,
            None,
            None,
            (None, Some("unknown"), Some(message.as_str())),
            false,
        ),
        Disposition::Expired => (DeliveryState::Expired, None, None, none(), false),
    };
    let changed = conn
        .prepare_cached(
            "UPDATE deliveries SET state = ?2, wamid = coalesce(?3, wamid), next_attempt_at = ?4,
                    error_code = ?5, error_class = ?6, error_message = ?7,
                    sent_at = CASE WHEN ?2 = 'sent' THEN ?8 ELSE sent_at END, updated_at = ?8,
                    attempts = attempts - ?9
             WHERE id = ?1 AND state = 'sending'",
        )?
        .execute(params![
            id.0,
            state.as_str(),
            wamid,
            next,
            code,
            class,
            message,
            now,
            refund as i64
        ])?;
    Ok(changed == 1)
}

/// Learns a row's message id if it has none: a send whose outcome was
/// unknown, matched later by a status for it.
pub fn learn_wamid(conn: &Connection, id: DeliveryId, wamid: &str) -> Result<()> {
    conn.prepare_cached("UPDATE deliveries SET wamid = coalesce(wamid, ?2) WHERE id = ?1")?
        .execute(params![id.0, wamid])?;
    Ok(())
}

/// What a delivery status reported about a row (see `status::apply`, which
/// decides whether it moves the row forward).
#[derive(Debug)]
pub struct Reported<'a> {
    pub state: DeliveryState,
    pub wamid: &'a str,
    pub error_code: Option<i64>,
    pub error_class: Option<&'a str>,
    pub error_message: Option<&'a str>,
    /// When Meta says it happened; the row's `sent_at` if it had none.
    pub at: Timestamp,
}

/// Moves a row to the state a status reported.
pub fn report_status(
    conn: &Connection,
    id: DeliveryId,
    r: &Reported,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET state = ?2, wamid = coalesce(wamid, ?3), error_code = ?4,
                error_class = ?5, error_message = ?6, sent_at = coalesce(sent_at, ?7), updated_at = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        r.state.as_str(),
        r.wamid,
        r.error_code,
        r.error_class,
        r.error_message,
        ts(r.at),
        ts(now)
    ])?;
    Ok(())
}

/// Holds a queued row back until `until`, marked with `class` (the
/// messaging limit's hold), so the sender passes it by until then;
/// `not_after` is its own deadline (`None`: the broadcast's).
pub fn hold(
    conn: &Connection,
    id: DeliveryId,
    class: &str,
    until: &str,
    message: &str,
    not_after: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET error_class = ?2, next_attempt_at = ?3, error_message = ?4,
                               not_after = ?5
         WHERE id = ?1",
    )?
    .execute(params![id.0, class, until, message, not_after])?;
    Ok(())
}

/// Releases a row held with `class`; a row not held so is left alone.
pub fn release(conn: &Connection, id: DeliveryId, class: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE deliveries SET error_class = NULL, error_message = NULL, next_attempt_at = NULL
         WHERE id = ?1 AND error_class = ?2",
    )?
    .execute(params![id.0, class])?;
    Ok(())
}

/// The callback data sent with each message, which Meta returns with every
/// status for it: the broadcast and the ledger row, so a status finds its
/// row even when the send's answer (and so its wamid) was lost.
pub fn callback(broadcast: BroadcastId, delivery: DeliveryId) -> String {
    format!("mot:b={}:d={}", broadcast.0, delivery.0)
}

/// [`callback`] read back: `mot:b=12:d=345` → (12, 345).
pub fn parse_callback(s: &str) -> Option<(i64, i64)> {
    let rest = s.strip_prefix("mot:b=")?;
    let (b, d) = rest.split_once(":d=")?;
    Some((b.parse().ok()?, d.parse().ok()?))
}
