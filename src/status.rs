//! Delivery statuses: recording each event append-only and moving the
//! delivery forward only, whatever order and however often events arrive.
//! One path for the webhook, the relay and `mot status pull`.

use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::broadcast::DeliveryState;
use crate::config::Secret;
use crate::db::ts;
use crate::members;
use crate::webhook::ApplyReport;
use crate::webhook::event::{StatusEvent, StatusKind};
use crate::whatsapp::ErrorClass;

mod pull;
pub use pull::{PullReport, SUSTAINED_FAILURES, pull};

/// Where an event came from, for the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Pull,
    Webhook,
    Relay,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Pull => "pull",
            Source::Webhook => "webhook",
            Source::Relay => "relay",
        }
    }
}

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
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    let found = match by_wamid {
        Some(found) => Some(found),
        None => match e.callback.as_deref().and_then(parse_callback) {
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
    found
        .map(|(id, state)| Ok((id, DeliveryState::from_db(&state)?)))
        .transpose()
}

/// `mot:b=12:d=345` → (12, 345).
pub fn parse_callback(s: &str) -> Option<(i64, i64)> {
    let rest = s.strip_prefix("mot:b=")?;
    let (b, d) = rest.split_once(":d=")?;
    Some((b.parse().ok()?, d.parse().ok()?))
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
    let Some((id, current)) = find_delivery(conn, e)? else {
        return Ok(Applied::NotOurs);
    };
    let next = state_of(e.status);
    let (Some(have), Some(want)) = (rank(current), rank(next)) else {
        return Ok(Applied::Recorded);
    };
    if want <= have {
        // Still learn the message id of a row whose send outcome was unknown.
        conn.prepare_cached("UPDATE deliveries SET wamid = coalesce(wamid, ?2) WHERE id = ?1")?
            .execute(params![id, e.wamid])?;
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
    conn.prepare_cached(
        "UPDATE deliveries SET state = ?2, wamid = coalesce(wamid, ?3), error_code = ?4,
                error_class = ?5, error_message = ?6, sent_at = coalesce(sent_at, ?7), updated_at = ?8
         WHERE id = ?1",
    )?
    .execute(params![id, next.as_str(), e.wamid, code, class, message, ts(at), ts(now)])?;
    if let (Some(err), DeliveryState::Failed) = (&e.error, next) {
        let class = ErrorClass::of(err.code, 0);
        if class.pauses() {
            let reason = format!(
                "WhatsApp reported a failed message: {} (code {}); {}",
                crate::account::printable(&err.title, 200),
                err.code,
                class.pause_help()
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
            members::set_status(
                conn,
                members::MemberId(member),
                members::MemberStatus::OptedOut,
                now,
            )?;
        }
    }
    Ok(Applied::Moved(next))
}

/// Fetches the events a remote `mot webhook serve` stored, applies them, and
/// acknowledges them, so a laptop gets statuses and messages by pulling.
pub fn pull_relay(conn: &mut Connection, url: &str, token: &Secret) -> Result<ApplyReport> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = reqwest::Client::builder()
        .user_agent(concat!("mot/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut report = ApplyReport::default();
    loop {
        let cursor: i64 = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'relay_cursor'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let page: serde_json::Value = runtime
            .block_on(async {
                let response = http
                    .get(format!("{url}/events"))
                    .bearer_auth(token.expose())
                    .query(&[("after", cursor)])
                    .send()
                    .await?
                    .error_for_status()?;
                response.json().await
            })
            .with_context(|| format!("cannot fetch events from the relay at {url}"))?;
        let events = page["events"].as_array().cloned().unwrap_or_default();
        let Some(last) = events.last().and_then(|e| e["id"].as_i64()) else {
            return Ok(report);
        };
        let now = Timestamp::now();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for e in &events {
            let body = serde_json::to_vec(&e["body"])?;
            report.add(crate::webhook::apply_payload(
                &tx,
                &body,
                Source::Relay,
                now,
            )?);
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('relay_cursor', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [last.to_string()],
        )?;
        tx.commit()?;
        runtime
            .block_on(async {
                http.post(format!("{url}/events/ack"))
                    .bearer_auth(token.expose())
                    .json(&serde_json::json!({ "upto": last }))
                    .send()
                    .await?
                    .error_for_status()
            })
            .with_context(|| format!("cannot acknowledge events to the relay at {url}"))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::webhook::event::StatusError;
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
        assert_eq!(parse_callback("mot:b=12:d=345"), Some((12, 345)));
        assert_eq!(parse_callback("mot:b=x:d=1"), None);
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
