//! Delivery statuses: recording each event append-only and moving the
//! delivery forward only, whatever order and however often events arrive.
//! One path for the webhook, the relay and `mot status pull`.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::broadcast::{DeliveryId, DeliveryState, ledger};
use crate::db::ts;
use crate::event::{Source, StatusEvent, StatusKind};
use crate::graph_error::ErrorClass;
use crate::members;

pub mod pull;

/// How far along a delivery is. A status only ever raises it: `read` implies
/// delivered, a `failed` report is beaten by any later `delivered` or `read`
/// for the same message, and `sent` never undoes a failure. Taking the
/// maximum is what makes the result independent of arrival order.
fn rank(state: DeliveryState) -> Option<u8> {
    match state {
        DeliveryState::Sending | DeliveryState::Unknown => Some(0),
        DeliveryState::Sent => Some(1),
        DeliveryState::Failed => Some(2),
        DeliveryState::Delivered => Some(3),
        DeliveryState::Read => Some(4),
        // Never sent: no status can be about them.
        DeliveryState::Queued | DeliveryState::Expired => None,
    }
}

fn state_of(kind: StatusKind) -> DeliveryState {
    match kind {
        StatusKind::Sent => DeliveryState::Sent,
        StatusKind::Delivered => DeliveryState::Delivered,
        StatusKind::Read => DeliveryState::Read,
        StatusKind::Failed => DeliveryState::Failed,
    }
}

/// What applying one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Seen before (same message, same status): nothing changed.
    Duplicate,
    /// Recorded; the message is not one of our deliveries.
    NotOurs,
    /// Recorded; the delivery was already as far along or further.
    Recorded,
    /// Recorded, and the delivery moved to this state.
    Moved(DeliveryState),
}

/// Finds the delivery a status is about: by message id, or, for a row whose
/// send outcome was unknown, by the callback data mot sent (`mot:b=B:d=D`).
fn find_delivery(conn: &Connection, e: &StatusEvent) -> Result<Option<(i64, DeliveryState)>> {
    let by_wamid = conn
        .prepare_cached("SELECT id, state FROM deliveries WHERE wamid = ?1")?
        .query_row([&e.wamid], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, DeliveryState>(1)?))
        })
        .optional()?;
    let found = match by_wamid {
        Some(found) => Some(found),
        None => match e.callback.as_deref().and_then(ledger::parse_callback) {
            Some((broadcast, delivery)) => conn
                .prepare_cached(
                    "SELECT id, state FROM deliveries
                     WHERE id = ?1 AND broadcast_id = ?2 AND wamid IS NULL",
                )?
                .query_row([delivery, broadcast], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            None => None,
        },
    };
    Ok(found)
}

/// Records one status event and moves its delivery forward if it is news.
pub fn apply(
    conn: &Connection,
    e: &StatusEvent,
    source: Source,
    now: Timestamp,
) -> Result<Applied> {
    let at = Timestamp::from_second(e.timestamp).unwrap_or(now);
    let inserted = conn
        .prepare_cached(
            "INSERT INTO status_events (wamid, status, at, error_code, error_title, source, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (wamid, status) DO NOTHING",
        )?
        .execute(params![
            e.wamid,
            e.status.as_str(),
            ts(at),
            e.error.as_ref().map(|x| x.code),
            e.error.as_ref().map(|x| x.title.as_str()),
            source.as_str(),
            ts(now),
        ])?;
    if inserted == 0 {
        return Ok(Applied::Duplicate);
    }
    let event_id = conn.last_insert_rowid();
    let Some((id, current)) = find_delivery(conn, e)? else {
        // A message of the sign-up conversation or a channel reply that
        // failed after Meta accepted it (131047: the window had closed).
        let code = e.error.as_ref().map(|x| x.code);
        if e.status == StatusKind::Failed
            && crate::signup::outbox::failed_later(conn, &e.wamid, code, now)?
        {
            return Ok(Applied::Recorded);
        }
        // Perhaps ours, sent but not yet recorded: kept waiting for its
        // wamid (see `apply_waiting`), not written off.
        return Ok(Applied::NotOurs);
    };
    conn.prepare_cached("UPDATE status_events SET delivery_id = ?2 WHERE id = ?1")?
        .execute(params![event_id, id])?;
    move_delivery(conn, id, current, e, at, now)
}

/// How long a status for an unknown message waits for its wamid to become
/// known: a send is recorded seconds after Meta accepts it, and a row whose
/// outcome was unknown is settled within the status window.
const WAITING_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(14 * 24);

/// Applies recorded statuses whose message was not known when they arrived
/// but is now (its send has since been recorded). `wamid` narrows it to one
/// message, as the sender does on recording a send; `None` looks at all.
/// Returns how many moved a delivery.
pub fn apply_waiting(conn: &Connection, wamid: Option<&str>, now: Timestamp) -> Result<usize> {
    let since = ts(now - WAITING_WINDOW);
    // Two statements, so each can use its index: (wamid, status) for one
    // message, the partial index of waiting statuses for all.
    let sql = match wamid {
        Some(_) => {
            "SELECT e.id, d.id, e.wamid, e.status, e.at, e.error_code, e.error_title
             FROM status_events e JOIN deliveries d ON d.wamid = e.wamid
             WHERE e.wamid = ?2 AND e.delivery_id IS NULL AND e.received_at >= ?1
             ORDER BY e.at, e.id"
        }
        None => {
            "SELECT e.id, d.id, e.wamid, e.status, e.at, e.error_code, e.error_title
             FROM status_events e JOIN deliveries d ON d.wamid = e.wamid
             WHERE e.delivery_id IS NULL AND e.received_at >= ?1 AND ?2 IS NULL
             ORDER BY e.at, e.id"
        }
    };
    // (status event id, delivery id, the event as recorded)
    let waiting: Vec<(i64, i64, Option<StatusEvent>)> = conn
        .prepare_cached(sql)?
        .query_map(params![since, wamid], |r| {
            let at: String = r.get(4)?;
            let code: Option<i64> = r.get(5)?;
            let title: Option<String> = r.get(6)?;
            let event = StatusKind::parse(&r.get::<_, String>(3)?).map(|status| StatusEvent {
                wamid: r.get(2).unwrap_or_default(),
                status,
                timestamp: at.parse::<Timestamp>().unwrap_or(now).as_second(),
                recipient_id: None,
                callback: None,
                error: code.map(|code| crate::event::StatusError {
                    code,
                    title: title.unwrap_or_default(),
                    message: None,
                    details: None,
                }),
            });
            Ok((r.get(0)?, r.get(1)?, event))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut moved = 0;
    for (event_id, delivery, e) in waiting {
        let Some(e) = e else { continue };
        let at = Timestamp::from_second(e.timestamp).unwrap_or(now);
        let current: DeliveryState = conn
            .prepare_cached("SELECT state FROM deliveries WHERE id = ?1")?
            .query_row([delivery], |r| r.get(0))?;
        if let Applied::Moved(_) = move_delivery(conn, delivery, current, &e, at, now)? {
            moved += 1;
        }
        conn.prepare_cached("UPDATE status_events SET delivery_id = ?2 WHERE id = ?1")?
            .execute(params![event_id, delivery])?;
    }
    Ok(moved)
}

/// Moves delivery `id` (now at `current`) forward for event `e`, if it is news.
fn move_delivery(
    conn: &Connection,
    id: i64,
    current: DeliveryState,
    e: &StatusEvent,
    at: Timestamp,
    now: Timestamp,
) -> Result<Applied> {
    let next = state_of(e.status);
    let (Some(have), Some(want)) = (rank(current), rank(next)) else {
        return Ok(Applied::Recorded);
    };
    if want <= have {
        // Still learn the message id of a row whose send outcome was unknown.
        ledger::learn_wamid(conn, DeliveryId(id), &e.wamid)?;
        return Ok(Applied::Recorded);
    }
    let (code, class, message) = match (&e.error, next) {
        (Some(err), DeliveryState::Failed) => (
            Some(err.code),
            Some(ErrorClass::of(err.code, 0).as_str()),
            Some(match &err.details {
                Some(d) => format!("{} (code {}): {d}", err.title, err.code),
                None => format!("{} (code {})", err.title, err.code),
            }),
        ),
        (None, DeliveryState::Failed) => (
            None,
            Some("unknown"),
            Some("reported failed, without a reason".to_string()),
        ),
        _ => (None, None, None),
    };
    let reported = ledger::Reported {
        state: next,
        wamid: &e.wamid,
        error_code: code,
        error_class: class,
        error_message: message.as_deref(),
        at,
    };
    ledger::report_status(conn, DeliveryId(id), &reported, now)?;
    if let (Some(err), DeliveryState::Failed) = (&e.error, next) {
        let class = ErrorClass::of(err.code, 0);
        if class.pauses() {
            let reason = format!(
                "WhatsApp reported a failed message: {} (code {}); {}",
                crate::output::printable(&err.title, 200),
                err.code,
                class.pause_help("")
            );
            crate::broadcast::pause_for_late_failure(
                conn,
                crate::broadcast::DeliveryId(id),
                &reason,
                now,
            )?;
        }
    }
    if class == Some(ErrorClass::OptedOut.as_str()) {
        // The member stopped marketing messages (131050, usually reported
        // late): an opt-out here too, so nobody keeps messaging them.
        let member: Option<i64> = conn
            .prepare_cached("SELECT member_id FROM deliveries WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        if let Some(member) = member {
            members::opt_out(
                conn,
                Some(members::MemberId(member)),
                members::OptOutVia::Refused131050,
                now,
            )?;
        }
    }
    Ok(Applied::Moved(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::event::StatusError;
    use proptest::prelude::*;

    /// Two deliveries with known wamids and one unknown row, in a fresh database.
    fn setup() -> Connection {
        let conn = open_in_memory();
        conn.execute_batch(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience, created_by,
                                     created_at, not_after, state)
             VALUES (1, 'notice', 'x', 't', 'en_GB', '[]', '{}', 'me', '2026-01-01T00:00:00Z',
                     '2026-01-02T00:00:00Z', 'finished');
             INSERT INTO deliveries (id, broadcast_id, phone, state, wamid, updated_at) VALUES
                 (1, 1, '+447700900001', 'sent', 'wamid.A', 'x'),
                 (2, 1, '+447700900002', 'sent', 'wamid.B', 'x'),
                 (3, 1, '+447700900003', 'unknown', NULL, 'x');",
        )
        .unwrap();
        conn
    }

    fn event(wamid: &str, status: StatusKind, t: i64) -> StatusEvent {
        StatusEvent {
            wamid: wamid.to_string(),
            status,
            timestamp: 1_800_000_000 + t,
            recipient_id: None,
            callback: None,
            error: (status == StatusKind::Failed).then(|| StatusError {
                code: 131026,
                title: "Message undeliverable".into(),
                message: None,
                details: None,
            }),
        }
    }

    fn states(conn: &Connection) -> Vec<(String, Option<i64>)> {
        conn.prepare("SELECT state, error_code FROM deliveries ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn forward_only_and_idempotent() {
        let conn = setup();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        let read = event("wamid.A", StatusKind::Read, 3);
        assert_eq!(
            apply(&conn, &read, Source::Webhook, now).unwrap(),
            Applied::Moved(DeliveryState::Read)
        );
        assert_eq!(
            apply(&conn, &read, Source::Pull, now).unwrap(),
            Applied::Duplicate
        );
        let late = event("wamid.A", StatusKind::Delivered, 2);
        assert_eq!(
            apply(&conn, &late, Source::Webhook, now).unwrap(),
            Applied::Recorded
        );

        let failed = event("wamid.B", StatusKind::Failed, 1);
        assert_eq!(
            apply(&conn, &failed, Source::Webhook, now).unwrap(),
            Applied::Moved(DeliveryState::Failed)
        );
        let sent = event("wamid.B", StatusKind::Sent, 0);
        assert_eq!(
            apply(&conn, &sent, Source::Webhook, now).unwrap(),
            Applied::Recorded
        );
        assert_eq!(states(&conn)[1], ("failed".to_string(), Some(131026)));
        let delivered = event("wamid.B", StatusKind::Delivered, 5);
        assert_eq!(
            apply(&conn, &delivered, Source::Webhook, now).unwrap(),
            Applied::Moved(DeliveryState::Delivered)
        );
        assert_eq!(
            states(&conn)[1],
            ("delivered".to_string(), None),
            "delivery beats failure"
        );

        let other = event("wamid.ELSEWHERE", StatusKind::Read, 0);
        assert_eq!(
            apply(&conn, &other, Source::Webhook, now).unwrap(),
            Applied::NotOurs
        );
    }

    #[test]
    fn an_unknown_row_is_resolved_by_its_callback_data() {
        let conn = setup();
        let mut e = event("wamid.C", StatusKind::Delivered, 0);
        e.callback = Some("mot:b=1:d=3".into());
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        assert_eq!(
            apply(&conn, &e, Source::Webhook, now).unwrap(),
            Applied::Moved(DeliveryState::Delivered)
        );
        let wamid: String = conn
            .query_row("SELECT wamid FROM deliveries WHERE id = 3", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(wamid, "wamid.C");
        assert_eq!(ledger::parse_callback("mot:b=12:d=345"), Some((12, 345)));
        assert_eq!(ledger::parse_callback("mot:b=x:d=1"), None);
        let written = ledger::callback(crate::broadcast::BroadcastId(12), DeliveryId(345));
        assert_eq!(ledger::parse_callback(&written), Some((12, 345)));
    }

    #[test]
    fn a_status_before_its_send_is_recorded_is_applied_once_the_wamid_is_known() {
        let conn = setup();
        conn.execute_batch(
            "INSERT INTO deliveries (id, broadcast_id, phone, state, wamid, updated_at) VALUES
                 (4, 1, '+447700900004', 'sending', NULL, 'x'),
                 (5, 1, '+447700900005', 'sending', NULL, 'x');",
        )
        .unwrap();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        // Meta's webhook beats the sender's record of the send.
        let early = event("wamid.D", StatusKind::Delivered, 1);
        assert_eq!(
            apply(&conn, &early, Source::Webhook, now).unwrap(),
            Applied::NotOurs
        );
        assert_eq!(
            apply(&conn, &early, Source::Pull, now).unwrap(),
            Applied::Duplicate,
            "later copies are duplicates: only the stored one can be applied"
        );
        // The sender records the send, and applies what waited for it.
        let sent = crate::broadcast::Disposition::Sent {
            wamid: "wamid.D".into(),
        };
        assert!(
            crate::broadcast::record(&conn, crate::broadcast::DeliveryId(4), &sent, now).unwrap()
        );
        assert_eq!(apply_waiting(&conn, Some("wamid.D"), now).unwrap(), 1);
        assert_eq!(states(&conn)[3].0, "delivered");

        // On any apply pass too (a wamid learnt another way).
        let read = event("wamid.E", StatusKind::Read, 1);
        apply(&conn, &read, Source::Webhook, now).unwrap();
        conn.execute(
            "UPDATE deliveries SET wamid = 'wamid.E', state = 'sent' WHERE id = 5",
            [],
        )
        .unwrap();
        assert_eq!(apply_waiting(&conn, None, now).unwrap(), 1);
        assert_eq!(states(&conn)[4].0, "read");
        assert_eq!(apply_waiting(&conn, None, now).unwrap(), 0, "applied once");
    }

    proptest! {
        /// Any order, any repetition of the same events: the same final states.
        #[test]
        fn arrival_order_and_duplicates_do_not_matter(
            order in Just((0..8usize).collect::<Vec<_>>()).prop_shuffle(),
            repeats in proptest::collection::vec(0..8usize, 0..8),
        ) {
            let events = [
                event("wamid.A", StatusKind::Sent, 0),
                event("wamid.A", StatusKind::Delivered, 1),
                event("wamid.A", StatusKind::Read, 2),
                event("wamid.B", StatusKind::Sent, 0),
                event("wamid.B", StatusKind::Failed, 1),
                event("wamid.B", StatusKind::Delivered, 2),
                event("wamid.B", StatusKind::Read, 3),
                StatusEvent { callback: Some("mot:b=1:d=3".into()), ..event("wamid.C", StatusKind::Failed, 1) },
            ];
            let now = Timestamp::from_second(1_800_000_100).unwrap();
            let reference = setup();
            for e in &events {
                apply(&reference, e, Source::Webhook, now).unwrap();
            }
            let shuffled = setup();
            for i in order.iter().chain(repeats.iter()) {
                apply(&shuffled, &events[*i], Source::Webhook, now).unwrap();
            }
            let got = states(&shuffled);
            prop_assert_eq!(&states(&reference), &got);
            prop_assert_eq!(got[0].0.as_str(), "read");
            prop_assert_eq!(got[1].0.as_str(), "read");
            prop_assert_eq!(&got[2], &("failed".to_string(), Some(131026)));
        }
    }
}
