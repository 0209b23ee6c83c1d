//! The retention policy against a clock passed in: each kind just inside and
//! just outside its period, aggregates, "never", and re-runs.

use super::*;
use crate::broadcast::{self, BroadcastId};
use crate::db::open_in_memory;
use rusqlite::params;

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

/// Adds one record of `kind` dated `at`; returns how many records purge
/// counts for it.
fn insert(conn: &Connection, kind: &str, at: Timestamp, n: u32) -> i64 {
    let at = ts(at);
    let phone = format!("+447700900{n:03}");
    match kind {
        "pending_signups" => {
            conn.execute(
                "INSERT INTO members (name, phone, role, location, status, consent_at,
                     consent_source, consent_by, created_at, updated_at)
                 VALUES ('Pending Person', ?1, '', '', 'pending', ?2, 'whatsapp', 'webhook', ?2, ?2)",
                params![phone, at],
            )
            .unwrap();
            1
        }
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
        "broadcast_text" | "deliveries" => {
            conn.execute(
                "INSERT INTO broadcasts (kind, body, template, language, params, audience,
                     created_by, created_at, not_after, state)
                 VALUES ('notice', 'Shortage of X', 't', 'en_GB', '[\"Shortage of X\"]', '{}',
                     'tester', ?1, ?1, 'finished')",
                [&at],
            )
            .unwrap();
            let b = conn.last_insert_rowid();
            if kind == "broadcast_text" {
                return 1;
            }
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
        "account_events" => {
            // A count of a field mot does not read: nothing in force.
            conn.execute(
                "INSERT INTO account_events (field, known, detail, at, source, received_at, digest)
                 VALUES ('calls', 0, '{\"count\":1}', ?1, 'webhook', ?1, ?2)",
                params![at, format!("d{n}")],
            )
            .unwrap();
            1
        }
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

/// Records of `kind` still whole (what a purge far in the future would take).
fn live(conn: &Connection, kind: &str) -> i64 {
    let k = KINDS.iter().find(|k| k.key == kind).unwrap();
    conn.query_row(k.due, ["9999-12-31T00:00:00Z"], |r| r.get(0))
        .unwrap()
}

fn run(conn: &mut Connection, policy: &Policy, dry_run: bool) -> PurgeReport {
    purge(conn, policy, now(), dry_run, "tester").unwrap()
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
    let policy = Policy::default();
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
    let policy = Policy {
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
    run(&mut conn, &Policy::default(), false);
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
    run(&mut conn, &Policy::default(), false);
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
    run(&mut conn, &Policy::default(), false);
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
    let report = run(&mut conn, &Policy::default(), false);
    assert_eq!(records(&report, "webhook_events"), 1);
    let left: String = conn
        .query_row("SELECT body FROM webhook_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, "unapplied");
}

#[test]
fn old_inbound_keeps_its_count_but_not_its_text_or_sender() {
    let mut conn = open_in_memory();
    insert(&conn, "inbound", "2020-01-01T00:00:00Z".parse().unwrap(), 7);
    run(&mut conn, &Policy::default(), false);
    let row: (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT text, phone, user_id, wa_message_id, action FROM inbound",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(row.0, None);
    assert_eq!(row.1, None);
    assert_eq!(row.2, None);
    assert!(row.3.starts_with("purged:"), "{}", row.3);
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
    let report = run(&mut conn, &Policy::default(), false);
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
    run(&mut conn, &Policy::default(), true);
    run(&mut conn, &Policy::default(), false);
    let entries = crate::audit::list(&conn, &crate::audit::Filter::default()).unwrap();
    assert_eq!(entries.len(), 1, "a dry run is not audited");
    assert_eq!(entries[0].command, "purge");
    assert_eq!(entries[0].detail["status_events"], 1);
    assert_eq!(entries[0].detail["audit"], 0);
}

#[test]
fn the_config_section_is_checked_key_by_key() {
    let table = |text: &str| -> BTreeMap<String, toml::Value> { toml::from_str(text).unwrap() };
    let p = Policy::from_table(&table(
        "inbound = \"12h\"\naudit = \"never\"\nflagged_inbound = 0\nvacuum_share = 0.5",
    ))
    .unwrap();
    assert_eq!(
        p.period("inbound"),
        Period::After(SignedDuration::from_hours(12))
    );
    assert_eq!(p.period("audit"), Period::Never);
    assert_eq!(
        p.period("flagged_inbound"),
        Period::After(SignedDuration::ZERO)
    );
    assert_eq!(
        p.period("deliveries"),
        Period::After(SignedDuration::from_hours(365 * 24))
    );
    assert_eq!(p.vacuum_share, 0.5);
    for (text, said) in [
        ("inbnd = \"1d\"", "unknown key"),
        ("inbound = \"soon\"", "[retention] inbound"),
        ("inbound = 90", "in quotes"),
        ("vacuum_share = 2.0", "not from 0 to 1"),
    ] {
        let err = Policy::from_table(&table(text)).unwrap_err();
        assert!(err.contains(said), "{text}: {err}");
    }
    for kind in KINDS {
        let period = Period::parse(kind.default).unwrap();
        assert_eq!(Period::parse(&period.to_string()).unwrap(), period);
    }
}

/// The example config names every kind, with the default the code uses.
#[test]
fn the_example_config_documents_every_kind_and_its_default() {
    let section = crate::config::EXAMPLE
        .split("[retention]")
        .nth(1)
        .expect("a [retention] section");
    let uncommented: String = section
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            l.split_once(" = ")
                .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let table: BTreeMap<String, toml::Value> = toml::from_str(&uncommented).unwrap();
    for kind in KINDS {
        assert!(table.contains_key(kind.key), "{} missing", kind.key);
    }
    assert_eq!(Policy::from_table(&table).unwrap(), Policy::default());
}
