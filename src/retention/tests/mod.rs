//! The retention policy against a clock passed in: each kind just inside and
//! just outside its period, aggregates, "never", and re-runs.

use std::collections::BTreeMap;

use jiff::SignedDuration;

use super::*;
use crate::broadcast::REMOVED_TEXT;
use crate::broadcast::{self, BroadcastId};
use crate::config::Period;
use crate::db::open_in_memory;
use rusqlite::params;

mod config;
mod erasure;

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

/// Adds one record of `kind` dated `at`; returns how many records purge
/// counts for it.
fn insert(conn: &Connection, kind: &str, at: Timestamp, n: u32) -> i64 {
    let at = ts(at);
    let phone = format!("+447700900{n:03}");
    match kind {
        "pending_signups" => insert_pending_signup(conn, &phone, &at),
        "flagged_inbound" | "inbound" => {
            let flagged = (kind == "flagged_inbound").then_some("patient_data_removed");
            conn.execute(
                "INSERT INTO inbound (wa_message_id, phone, user_id, type, text, action, at,
                     received_at, flagged)
                 VALUES (?1, ?2, ?3, 'text', 'hello there', 'reply', ?4, ?4, ?5)",
                params![format!("wamid.{kind}{n}"), phone, &phone[1..], at, flagged],
            )
            .unwrap();
            1
        }
        "signup_messages" => {
            insert_pending_signup(conn, &phone, &at);
            conn.execute(
                "UPDATE members SET status = 'active' WHERE phone = ?1",
                [&phone],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO member_messages (member_id, kind, created_at, outcome, wamid, done_at)
                 SELECT id, 'ask_role', ?2, 'sent', ?3, ?2 FROM members WHERE phone = ?1",
                params![phone, at, format!("wamid.m{n}")],
            )
            .unwrap();
            1
        }
        "broadcast_text" => {
            insert_broadcast(conn, &at);
            1
        }
        "deliveries" => {
            let b = insert_broadcast(conn, &at);
            insert_deliveries(conn, b, &phone, &at)
        }
        "status_events" => {
            conn.execute(
                "INSERT INTO status_events (wamid, status, at, source, received_at)
                 VALUES (?1, 'delivered', ?2, 'webhook', ?2)",
                params![format!("wamid.s{n}"), at],
            )
            .unwrap();
            1
        }
        "webhook_events" => {
            conn.execute(
                "INSERT INTO webhook_events (body, received_at, applied_at) VALUES ('{}', ?1, ?1)",
                [&at],
            )
            .unwrap();
            1
        }
        "account_events" => insert_account_event(conn, &at, n),
        "audit" => {
            crate::audit::record(
                conn,
                at.parse().unwrap(),
                "tester",
                "members add",
                "ok",
                serde_json::json!({}),
            )
            .unwrap();
            1
        }
        other => panic!("no test data for kind {other}: add it here"),
    }
}

/// Adds a member who signed up on WhatsApp and is not yet approved.
fn insert_pending_signup(conn: &Connection, phone: &str, at: &str) -> i64 {
    conn.execute(
        "INSERT INTO members (name, phone, role, location, status, consent_at,
             consent_source, consent_by, created_at, updated_at)
         VALUES ('Pending Person', ?1, '', '', 'pending', ?2, 'whatsapp', 'webhook', ?2, ?2)",
        params![phone, at],
    )
    .unwrap();
    1
}

/// Adds a finished notice created at `at`; returns its row id.
fn insert_broadcast(conn: &Connection, at: &str) -> i64 {
    conn.execute(
        "INSERT INTO broadcasts (kind, body, template, language, params, audience,
             created_by, created_at, not_after, state)
         VALUES ('notice', 'Shortage of X', 't', 'en_GB', '[\"Shortage of X\"]', '{}',
             'tester', ?1, ?1, 'finished')",
        [at],
    )
    .unwrap();
    conn.last_insert_rowid()
}

/// Adds three final deliveries of broadcast `b` (delivered, read, failed);
/// returns how many.
fn insert_deliveries(conn: &Connection, b: i64, phone: &str, at: &str) -> i64 {
    for (i, (state, class)) in [
        ("delivered", None),
        ("read", None),
        ("failed", Some("member")),
    ]
    .into_iter()
    .enumerate()
    {
        conn.execute(
            "INSERT INTO deliveries (broadcast_id, phone, state, wamid, error_class,
                 error_code, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                b,
                phone,
                state,
                format!("wamid.{b}.{i}"),
                class,
                class.map(|_| 131026),
                at
            ],
        )
        .unwrap();
    }
    3
}

/// Adds an account event counting a field mot does not read: nothing in
/// force.
fn insert_account_event(conn: &Connection, at: &str, n: u32) -> i64 {
    conn.execute(
        "INSERT INTO account_events (field, known, detail, at, source, received_at, digest)
         VALUES ('calls', 0, '{\"count\":1}', ?1, 'webhook', ?1, ?2)",
        params![at, format!("d{n}")],
    )
    .unwrap();
    1
}

/// Records of `kind` still whole (what a purge far in the future would take).
fn live(conn: &Connection, kind: &str) -> i64 {
    let k = KINDS.iter().find(|k| k.key == kind).unwrap();
    conn.query_row(k.due, ["9999-12-31T00:00:00Z"], |r| r.get(0))
        .unwrap()
}

fn run(conn: &mut Connection, policy: &RetentionPolicy, dry_run: bool) -> PurgeReport {
    purge(conn, policy, now(), dry_run, "tester", &mut |_, _| Ok(())).unwrap()
}

fn records(report: &PurgeReport, kind: &str) -> i64 {
    report
        .kinds
        .iter()
        .find(|k| k.kind == kind)
        .unwrap()
        .records
}

#[test]
fn every_kind_goes_just_after_its_period_and_stays_just_before() {
    let policy = RetentionPolicy::default();
    for kind in KINDS {
        let mut conn = open_in_memory();
        let cutoff = policy.period(kind.key).cutoff(now()).unwrap();
        let second = SignedDuration::from_secs(1);
        let old = insert(&conn, kind.key, cutoff - second, 1);
        let young = insert(&conn, kind.key, cutoff, 2);
        let before = live(&conn, kind.key);

        let dry = run(&mut conn, &policy, true);
        assert_eq!(records(&dry, kind.key), old, "{} dry run", kind.key);
        assert_eq!(
            live(&conn, kind.key),
            before,
            "{} dry run changed it",
            kind.key
        );
        assert_eq!(
            dry.kinds
                .iter()
                .find(|k| k.kind == kind.key)
                .unwrap()
                .oldest_kept,
            Some(ts(cutoff)),
            "{}",
            kind.key
        );

        let report = run(&mut conn, &policy, false);
        assert_eq!(records(&report, kind.key), old, "{}", kind.key);
        // The audit kind also sees the purge's own audit row, which stays.
        let extra = i64::from(kind.key == "audit");
        assert_eq!(live(&conn, kind.key), young + extra, "{}", kind.key);

        let again = run(&mut conn, &policy, false);
        assert_eq!(again.total(), 0, "{} second run", kind.key);
    }
}

#[test]
fn never_keeps_everything() {
    let mut conn = open_in_memory();
    let long_ago: Timestamp = "2001-01-01T00:00:00Z".parse().unwrap();
    for (i, kind) in KINDS.iter().enumerate() {
        insert(&conn, kind.key, long_ago, i as u32);
    }
    let policy = RetentionPolicy {
        periods: vec![Period::Never; KINDS.len()],
        vacuum_share: 1.0,
    };
    let report = run(&mut conn, &policy, false);
    assert_eq!(report.total(), 0);
    assert!(report.kinds.iter().all(|k| k.cutoff.is_none()));
    for kind in KINDS {
        assert!(live(&conn, kind.key) > 0, "{}", kind.key);
    }
}

#[test]
fn delivery_counts_survive_their_rows() {
    let mut conn = open_in_memory();
    insert(
        &conn,
        "deliveries",
        "2020-01-01T00:00:00Z".parse().unwrap(),
        1,
    );
    conn.execute_batch(
        "INSERT INTO deliveries (broadcast_id, state, error_class, error_code, updated_at)
         VALUES (1, 'failed', 'retry', 131000, '2020-01-01T00:00:00Z'),
                (1, 'expired', NULL, NULL, '2020-01-01T00:00:00Z')",
    )
    .unwrap();
    let before = broadcast::summary(&conn, BroadcastId(1)).unwrap();
    run(&mut conn, &RetentionPolicy::default(), false);
    let gone: i64 = conn
        .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(gone, 0);
    let after = broadcast::summary(&conn, BroadcastId(1)).unwrap();
    assert_eq!(after.counts, before.counts);
    assert_eq!(after.failed_by_reason, before.failed_by_reason);
    assert_eq!(after.recipients, 5);
    assert_eq!(
        after.failed_by_reason.len(),
        2,
        "{:?}",
        after.failed_by_reason
    );
    assert_eq!(
        broadcast::purged_deliveries(&conn, BroadcastId(1)).unwrap(),
        5
    );
    // A second purge adds no second set of totals.
    run(&mut conn, &RetentionPolicy::default(), false);
    let again = broadcast::summary(&conn, BroadcastId(1)).unwrap();
    assert_eq!(again.counts, before.counts);
}

#[test]
fn a_broadcast_keeps_its_facts_but_not_its_text() {
    let mut conn = open_in_memory();
    insert(
        &conn,
        "broadcast_text",
        "2020-01-01T00:00:00Z".parse().unwrap(),
        1,
    );
    run(&mut conn, &RetentionPolicy::default(), false);
    let b = broadcast::must_get(&conn, BroadcastId(1)).unwrap();
    assert_eq!(b.body, REMOVED_TEXT);
    assert!(b.params.is_empty());
    assert_eq!(b.created_at, "2020-01-01T00:00:00Z");
    let audience: String = conn
        .query_row("SELECT audience FROM broadcasts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audience, "{}", "the audience filter stays");
}

#[test]
fn unapplied_webhook_events_are_never_purged() {
    let mut conn = open_in_memory();
    conn.execute_batch(
        "INSERT INTO webhook_events (body, received_at) VALUES ('unapplied', '2001-01-01T00:00:00Z');
         INSERT INTO webhook_events (body, received_at, acked_at)
             VALUES ('acked', '2001-01-01T00:00:00Z', '2001-01-01T00:00:00Z');",
    )
    .unwrap();
    let report = run(&mut conn, &RetentionPolicy::default(), false);
    assert_eq!(records(&report, "webhook_events"), 1);
    let left: String = conn
        .query_row("SELECT body FROM webhook_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, "unapplied");
}

/// An active member's settled sign-up messages go after their period; one
/// still queued is work to do, whatever its age, and stays.
#[test]
fn settled_signup_messages_go_and_queued_ones_stay() {
    let mut conn = open_in_memory();
    let long_ago = "2001-01-01T00:00:00Z".parse().unwrap();
    insert(&conn, "signup_messages", long_ago, 1);
    conn.execute(
        "INSERT INTO member_messages (member_id, kind, created_at)
         SELECT id, 'thanks', '2001-01-01T00:00:00Z' FROM members",
        [],
    )
    .unwrap();
    let report = run(&mut conn, &RetentionPolicy::default(), false);
    assert_eq!(records(&report, "signup_messages"), 1);
    let left: Vec<(String, Option<String>)> = conn
        .prepare("SELECT kind, outcome FROM member_messages")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(left, [("thanks".to_string(), None)]);
    let members: i64 = conn
        .query_row(
            "SELECT count(*) FROM members WHERE status = 'active'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(members, 1, "the member stays");
}

#[test]
fn old_inbound_keeps_its_count_but_not_its_text_or_sender() {
    let mut conn = open_in_memory();
    insert(&conn, "inbound", "2020-01-01T00:00:00Z".parse().unwrap(), 7);
    run(&mut conn, &RetentionPolicy::default(), false);
    let row: (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT text, phone, user_id, typeof(wa_message_id) || ' ' || CAST(wa_message_id AS TEXT),
                    action FROM inbound",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(row.0, None);
    assert_eq!(row.1, None);
    assert_eq!(row.2, None);
    assert!(row.3.starts_with("blob purged:"), "{}", row.3);
    assert_eq!(row.4, "reply");
}

#[test]
fn a_pending_signup_is_erased_with_its_messages() {
    let mut conn = open_in_memory();
    let old: Timestamp = "2026-04-01T00:00:00Z".parse().unwrap();
    insert(&conn, "pending_signups", old, 5);
    // Their sign-up message is recent enough for `inbound` to keep.
    conn.execute(
        "INSERT INTO inbound (wa_message_id, phone, type, text, action, at, received_at)
         VALUES ('wamid.x', '+447700900005', 'text', 'Jo Bloggs, pharmacist', 'signup', ?1, ?1)",
        [ts(now())],
    )
    .unwrap();
    let report = run(&mut conn, &RetentionPolicy::default(), false);
    assert_eq!(records(&report, "pending_signups"), 1);
    let (members, text): (i64, Option<String>) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM members), (SELECT text FROM inbound)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((members, text), (0, None));
}

#[test]
fn a_real_run_is_audited_with_its_counts() {
    let mut conn = open_in_memory();
    insert(
        &conn,
        "status_events",
        "2020-01-01T00:00:00Z".parse().unwrap(),
        1,
    );
    run(&mut conn, &RetentionPolicy::default(), true);
    run(&mut conn, &RetentionPolicy::default(), false);
    let entries = crate::audit::list(&conn, &crate::audit::Filter::default()).unwrap();
    assert_eq!(entries.len(), 1, "a dry run is not audited");
    assert_eq!(entries[0].command, "purge");
    assert_eq!(entries[0].detail["status_events"], 1);
    assert_eq!(entries[0].detail["audit"], 0);
}

/// A broadcast still being sent (paused by Ctrl-C, by the messaging limit or
/// by an account problem) is not history yet: even with periods of "0" its
/// text and its queued rows stay, so a resume sends what it would have.
#[test]
fn an_unfinished_broadcast_keeps_its_text_and_its_queued_rows() {
    let mut conn = open_in_memory();
    insert(
        &conn,
        "deliveries",
        "2020-01-01T00:00:00Z".parse().unwrap(),
        1,
    );
    conn.execute_batch(
        "UPDATE broadcasts SET state = 'paused';
         INSERT INTO deliveries (broadcast_id, state, updated_at)
         VALUES (1, 'queued', '2020-01-01T00:00:00Z'), (1, 'queued', '2020-01-01T00:00:00Z');",
    )
    .unwrap();
    let mut policy = RetentionPolicy::default();
    for key in ["deliveries", "broadcast_text"] {
        let i = KINDS.iter().position(|k| k.key == key).unwrap();
        policy.periods[i] = Period::parse("0").unwrap();
    }
    let report = run(&mut conn, &policy, false);
    assert_eq!(records(&report, "deliveries"), 0);
    assert_eq!(records(&report, "broadcast_text"), 0);
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 5);
    let b = broadcast::must_get(&conn, BroadcastId(1)).unwrap();
    assert_eq!(b.body, "Shortage of X");
    assert_eq!(b.params, vec!["Shortage of X".to_string()]);

    // Marked finished with rows still queued (a crash between two steps):
    // still not history.
    conn.execute("UPDATE broadcasts SET state = 'finished'", [])
        .unwrap();
    let report = run(&mut conn, &policy, false);
    assert_eq!(records(&report, "deliveries"), 0);

    // A request is history only once it closed: until then its recipients
    // are who may answer it.
    conn.execute_batch(
        "UPDATE deliveries SET state = 'expired' WHERE state = 'queued';
         UPDATE broadcasts SET kind = 'request';
         INSERT INTO requests (broadcast_id, question, options, closes_at)
         VALUES (1, 'Stock of X?', '[]', '2999-01-01T00:00:00Z');",
    )
    .unwrap();
    let report = run(&mut conn, &policy, false);
    assert_eq!(records(&report, "deliveries"), 0);

    // Once it is finished and closed, the same policy takes both.
    conn.execute("UPDATE requests SET closed_at = '2020-01-02T00:00:00Z'", [])
        .unwrap();
    let report = run(&mut conn, &policy, false);
    assert_eq!(records(&report, "deliveries"), 5);
    assert_eq!(records(&report, "broadcast_text"), 1);
}

/// Purge works in batches so that a receiver writing to the same file never
/// waits long for the lock; whatever the batch size, every record due goes,
/// the totals count each removed row once, and the counts reported are the
/// records removed.
#[test]
fn a_purge_in_small_batches_removes_everything_due_and_counts_each_row_once() {
    let mut conn = open_in_memory();
    let old: Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
    for (k, kind) in KINDS.iter().enumerate() {
        for i in 0..7 {
            // Numbers of their own: erasing a pending sign-up erases its messages.
            insert(&conn, kind.key, old, 100 + 10 * k as u32 + i);
        }
    }
    let expected: BTreeMap<&str, i64> = KINDS.iter().map(|k| (k.key, live(&conn, k.key))).collect();
    // The first broadcast with delivery rows (the `broadcast_text` ones have none).
    let first = BroadcastId(8);
    let before = broadcast::summary(&conn, first).unwrap();
    assert_eq!(before.recipients, 3);
    let report = purge_in_batches(
        &mut conn,
        &RetentionPolicy::default(),
        now(),
        false,
        "tester",
        2,
        &mut |_, _| Ok(()),
    )
    .unwrap();
    for kind in KINDS {
        // The purge's own audit row is the one record left.
        let left = i64::from(kind.key == "audit");
        assert_eq!(live(&conn, kind.key), left, "{} left behind", kind.key);
        assert_eq!(
            records(&report, kind.key),
            expected[kind.key],
            "{}",
            kind.key
        );
    }
    let after = broadcast::summary(&conn, first).unwrap();
    assert_eq!(after.counts, before.counts);
}

/// The audit trail has a floor: a config may keep it a year or more (or for
/// ever), never less; and its ids are never reused after rows are purged.
#[test]
fn the_audit_trail_is_kept_at_least_a_year_and_its_ids_are_never_reused() {
    let table = |value: &str| -> BTreeMap<String, toml::Value> {
        [("audit".to_string(), toml::Value::String(value.to_string()))].into()
    };
    for short in ["0", "30d", "364d"] {
        let err = RetentionPolicy::from_table(&table(short)).unwrap_err();
        assert!(err.contains("shorter than the 365 days"), "{short}: {err}");
    }
    for fine in ["365d", "2192d", "never"] {
        RetentionPolicy::from_table(&table(fine)).unwrap();
    }

    let mut conn = open_in_memory();
    let old: Timestamp = "2010-01-01T00:00:00Z".parse().unwrap();
    for n in 0..3 {
        insert(&conn, "audit", old, n);
    }
    run(&mut conn, &RetentionPolicy::default(), false);
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM audit ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids, vec![4], "the purge's own row follows the purged ones");
}
