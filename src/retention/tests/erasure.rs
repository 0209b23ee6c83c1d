//! Erasure and purge together: what erasing a member takes with them, and
//! the markers erased and purged rows keep.

use super::*;

/// Erasing a member deletes every account event naming them: linked to
/// them, or with their number in the detail in any writing (a `wa_id`,
/// `+44 (0)7700 900 456`, `07700-900-456`); another number's stays.
#[test]
fn erasing_a_member_deletes_every_account_event_naming_them() {
    let conn = open_in_memory();
    insert(&conn, "pending_signups", now(), 456);
    let id: i64 = conn
        .query_row("SELECT id FROM members", [], |r| r.get(0))
        .unwrap();
    let details = [
        (Some(id), r#"{"event":"stop"}"#),
        (None, r#"{"wa_id":"447700900456"}"#),
        (None, r#"{"note":"call +44 (0)7700 900 456"}"#),
        (None, r#"{"note":"call 07700-900-456"}"#),
        (None, "{\"note\":\"call 07700\u{a0}900.456\"}"),
        (None, r#"{"note":"call 07700 900 457"}"#),
    ];
    for (i, (member, detail)) in details.into_iter().enumerate() {
        conn.execute(
            "INSERT INTO account_events (field, known, member_id, detail, at, source,
                 received_at, digest)
             VALUES ('calls', 0, ?1, ?2, ?3, 'webhook', ?3, ?4)",
            params![member, detail, ts(now()), format!("d{i}")],
        )
        .unwrap();
    }
    conn.execute("DELETE FROM members WHERE id = ?1", [id])
        .unwrap();
    let left: Vec<String> = conn
        .prepare("SELECT detail FROM account_events")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(left, [r#"{"note":"call 07700 900 457"}"#]);
}

/// Erased and purged rows keep no message id that a real one could equal:
/// a real id `erased:1` neither blocks row 1's erasure nor is taken for it.
#[test]
fn a_real_message_id_never_equals_an_erasure_marker() {
    let mut conn = open_in_memory();
    insert(&conn, "pending_signups", now(), 456);
    for (wa, phone, at) in [
        ("wamid.a", "+447700900456", now()),
        ("erased:1", "+447700900998", now()),
        ("purged:4", "+447700900997", now()),
        (
            "wamid.b",
            "+447700900996",
            "2020-01-01T00:00:00Z".parse().unwrap(),
        ),
    ] {
        conn.execute(
            "INSERT INTO inbound (wa_message_id, phone, user_id, type, text, action, at, received_at)
             VALUES (?1, ?2, ?3, 'text', 'hello', 'reply', ?4, ?4)",
            params![wa, phone, &phone[1..], ts(at)],
        )
        .unwrap();
    }
    conn.execute("DELETE FROM members", []).unwrap();
    run(&mut conn, &RetentionPolicy::default(), false);
    let real = |wa: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM inbound WHERE wa_message_id = ?1 AND text = 'hello'",
            [wa],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!((real("erased:1"), real("purged:4")), (1, 1));
    // A message arriving now with an id shaped like row 1's or row 4's
    // marker is new, not a duplicate of the erased or purged row.
    let taken = |wa: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM inbound WHERE wa_message_id = ?1",
            [wa],
            |r| r.get(0),
        )
        .unwrap()
    };
    conn.execute(
        "UPDATE inbound SET wa_message_id = 'wamid.c' WHERE wa_message_id = 'erased:1'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE inbound SET wa_message_id = 'wamid.d' WHERE wa_message_id = 'purged:4'",
        [],
    )
    .unwrap();
    assert_eq!((taken("erased:1"), taken("purged:4")), (0, 0));
}
