//! Account events from Meta's documented shapes (tests/fixtures/webhooks/account).

use super::state::{check_can_send, messaging_tier, restriction, template_status};
use super::*;
use crate::db::open_in_memory;
use crate::event::{ERRORS_FIELD, Event, Ours};
use crate::exit::Failure;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            "../../tests/fixtures/webhooks/account/",
            $name,
            ".json"
        ))
    };
}

fn now() -> Timestamp {
    Timestamp::from_second(1_700_010_000).unwrap()
}

/// The fixtures' number and business account.
fn ours() -> Ours {
    Ours::new(Some("1234567890"), Some("0000000000000001"))
}

/// The account events of a body, and how many changes were someone else's.
#[derive(Default)]
struct Parsed {
    events: Vec<AccountEvent>,
    not_ours: usize,
}

fn parse(body: &[u8], ours: &Ours) -> Parsed {
    let mut parsed = Parsed::default();
    for e in crate::event::parse(body, ours).unwrap_or_default() {
        match e {
            Event::Account(a) => parsed.events.push(a),
            Event::NotOursAccount => parsed.not_ours += 1,
            _ => {}
        }
    }
    parsed
}

/// A body applied the way the receiver applies it; its account part.
fn apply_payload(
    conn: &Connection,
    body: &[u8],
    ours: &Ours,
    source: Source,
    now: Timestamp,
) -> Result<AccountReport> {
    crate::webhook::apply_payload(conn, body, ours, source, now).map(|r| r.account)
}

fn apply(conn: &Connection, body: &[u8]) -> AccountReport {
    apply_payload(conn, body, &ours(), Source::Webhook, now()).unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_field_is_parsed_with_its_event_word() {
    let cases: [(&[u8], &str, &str); 16] = [
        (
            fixture!("template_approved"),
            "message_template_status_update",
            "APPROVED",
        ),
        (
            fixture!("template_paused"),
            "message_template_status_update",
            "PAUSED",
        ),
        (
            fixture!("template_disabled"),
            "message_template_status_update",
            "DISABLED",
        ),
        (
            fixture!("template_flagged"),
            "message_template_status_update",
            "FLAGGED",
        ),
        (
            fixture!("template_rejected"),
            "message_template_status_update",
            "REJECTED",
        ),
        (
            fixture!("template_reinstated"),
            "message_template_status_update",
            "REINSTATED",
        ),
        (
            fixture!("template_quality_red"),
            "message_template_quality_update",
            "RED",
        ),
        (
            fixture!("template_category_marketing"),
            "template_category_update",
            "MARKETING",
        ),
        (
            fixture!("number_downgrade_250"),
            "phone_number_quality_update",
            "DOWNGRADE",
        ),
        (
            fixture!("account_restricted"),
            "account_update",
            "ACCOUNT_RESTRICTION",
        ),
        (
            fixture!("account_violation"),
            "account_update",
            "ACCOUNT_VIOLATION",
        ),
        (
            fixture!("account_disabled"),
            "account_update",
            "DISABLED_UPDATE",
        ),
        (
            fixture!("account_alert"),
            "account_alerts",
            "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
        ),
        (
            fixture!("user_preferences_stop"),
            "user_preferences",
            "stop",
        ),
        (fixture!("value_errors"), ERRORS_FIELD, "131000"),
        (fixture!("unknown_field"), "business_capability_update", ""),
    ];
    for (body, field, event) in cases {
        let events = parse(body, &ours()).events;
        assert_eq!(events.len(), 1, "{field} {event}");
        let e = &events[0];
        assert_eq!(e.field, field);
        assert_eq!(e.event.as_deref().unwrap_or(""), event, "{field}");
        assert_eq!(e.known, field != "business_capability_update");
        assert_eq!(e.business_account.as_deref(), Some("0000000000000001"));
        // value.errors carry no time of their own: stored at their arrival.
        assert_eq!(
            e.time.is_some(),
            field != ERRORS_FIELD,
            "{field}: time from entry or item"
        );
    }
    let paused = &parse(fixture!("template_paused"), &ours()).events[0];
    assert_eq!(paused.template_name.as_deref(), Some("mot_notice"));
    assert_eq!(paused.template_language.as_deref(), Some("en_GB"));
}

#[test]
fn statuses_and_messages_are_not_account_events() {
    let status = include_bytes!("../../tests/fixtures/webhooks/status_read.json");
    let text = include_bytes!("../../tests/fixtures/webhooks/text_message.json");
    for body in [&status[..], text, b"not json"] {
        let parsed = parse(body, &ours());
        assert!(parsed.events.is_empty());
        assert_eq!(parsed.not_ours, 0);
    }
}

#[test]
fn another_number_or_account_or_no_account_id_is_counted_not_stored() {
    let conn = open_in_memory();
    let mut other = serde_json::from_slice::<Value>(fixture!("template_paused")).unwrap();
    other["entry"][0]["id"] = serde_json::json!("0000000000000002");
    let other = serde_json::to_vec(&other).unwrap();
    let r = apply(&conn, &other);
    assert_eq!((r.stored, r.not_ours), (0, 1));
    let mut other_number =
        serde_json::from_slice::<Value>(fixture!("user_preferences_stop")).unwrap();
    other_number["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] =
        serde_json::json!("9876543210");
    let r = apply(&conn, &serde_json::to_vec(&other_number).unwrap());
    assert_eq!((r.stored, r.not_ours), (0, 1));
    // Without our business account id, no account event can be placed.
    let unset = Ours::new(Some("1234567890"), None);
    let r = apply_payload(
        &conn,
        fixture!("template_paused"),
        &unset,
        Source::Webhook,
        now(),
    )
    .unwrap();
    assert_eq!((r.stored, r.not_ours), (0, 1));
    assert_eq!(count(&conn, "SELECT count(*) FROM account_events"), 0);
}

#[test]
fn stored_once_and_unknown_fields_keep_only_name_day_and_count() {
    let conn = open_in_memory();
    let r = apply(&conn, fixture!("template_paused"));
    assert_eq!((r.stored, r.duplicates), (1, 0));
    let r = apply(&conn, fixture!("template_paused"));
    assert_eq!(
        (r.stored, r.duplicates),
        (0, 1),
        "Meta redelivers: stored once"
    );
    let r = apply(&conn, fixture!("unknown_field"));
    assert_eq!((r.stored, r.unknown_fields), (1, 1));
    let r = apply(&conn, fixture!("unknown_field"));
    assert_eq!(
        (r.stored, r.unknown_fields),
        (0, 1),
        "counted on the same row"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM account_events WHERE known = 0 AND field = 'business_capability_update'"
        ),
        1
    );
    let detail: String = conn
        .query_row(
            "SELECT detail FROM account_events WHERE known = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, r#"{"count":2}"#, "nothing of the value is kept");
}

#[test]
fn a_marketing_stop_opts_the_member_out_and_keeps_no_number() {
    let conn = open_in_memory();
    conn.execute_batch(
        "INSERT INTO members (id, name, phone, role, location, status, consent_at, consent_source,
                              consent_by, created_at, updated_at)
         VALUES (1, 'Member 1', '+447700900001', 'Pharmacist', 'Leeds', 'active', 'x', 'x', 'x', 'x', 'x');",
    )
    .unwrap();
    let r = apply(&conn, fixture!("user_preferences_stop"));
    assert_eq!((r.stored, r.opt_outs), (1, 1));
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM members WHERE status = 'opted_out'"
        ),
        1
    );
    let (member, detail): (i64, String) = conn
        .query_row("SELECT member_id, detail FROM account_events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(member, 1);
    assert!(!detail.contains("447700900001"), "{detail}");
    // A redelivery changes nothing and counts no second opt-out.
    assert_eq!(apply(&conn, fixture!("user_preferences_stop")).opt_outs, 0);
}

#[test]
fn a_stop_from_someone_not_on_file_is_stored_unlinked() {
    let conn = open_in_memory();
    let r = apply(&conn, fixture!("user_preferences_stop"));
    assert_eq!((r.stored, r.opt_outs), (1, 0));
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM account_events WHERE member_id IS NULL"
        ),
        1
    );
}

#[test]
fn the_newest_template_status_decides_whatever_the_arrival_order() {
    let conn = open_in_memory();
    // Reinstated (newer) arrives before the pause it lifts.
    apply(&conn, fixture!("template_reinstated"));
    apply(&conn, fixture!("template_paused"));
    let s = template_status(&conn, "mot_notice", "en_GB")
        .unwrap()
        .unwrap();
    assert_eq!(s.event, "REINSTATED");
    assert!(!s.blocks());
    assert!(
        check_can_send(&conn, "mot_notice", "en_GB", false, now())
            .unwrap()
            .is_none()
    );

    let conn = open_in_memory();
    apply(&conn, fixture!("template_approved"));
    apply(&conn, fixture!("template_paused"));
    let s = template_status(&conn, "mot_notice", "en_GB")
        .unwrap()
        .unwrap();
    assert_eq!(s.event, "PAUSED");
    assert!(s.reason.as_deref().unwrap().contains("paused for 3 hours"));
    assert!(
        template_status(&conn, "mot_notice", "cy_GB")
            .unwrap()
            .is_none(),
        "other language"
    );
    assert!(template_status(&conn, "other", "en_GB").unwrap().is_none());
    let err = check_can_send(&conn, "mot_notice", "en_GB", false, now()).unwrap_err();
    let failure = err.downcast_ref::<Failure>().unwrap();
    assert_eq!(failure.exit, crate::exit::Exit::Paused);
    assert!(failure.message.contains("PAUSED"), "{}", failure.message);
    assert!(
        failure.message.contains("FIRST_PAUSE"),
        "Meta's reason: {}",
        failure.message
    );
    let forced = check_can_send(&conn, "mot_notice", "en_GB", true, now()).unwrap();
    assert!(forced.unwrap().contains("PAUSED"));
}

#[test]
fn disabled_and_rejected_block_flagged_does_not() {
    for (body, blocks) in [
        (&fixture!("template_disabled")[..], true),
        (&fixture!("template_rejected")[..], true),
        (&fixture!("template_flagged")[..], false),
    ] {
        let conn = open_in_memory();
        apply(&conn, body);
        let s = template_status(&conn, "mot_notice", "en_GB")
            .unwrap()
            .unwrap();
        assert_eq!(s.blocks(), blocks, "{}", s.event);
        assert!(s.reason.is_some(), "{} carries Meta's reason", s.event);
    }
}

#[test]
fn a_restricted_or_disabled_account_refuses_sends() {
    let conn = open_in_memory();
    apply(&conn, fixture!("account_violation"));
    assert!(
        restriction(&conn, now()).unwrap().is_none(),
        "a violation alone does not stop sends"
    );
    apply(&conn, fixture!("account_restricted"));
    let why = restriction(&conn, now()).unwrap().unwrap();
    assert!(why.contains("RESTRICTED_BIZ_INITIATED_MESSAGING"), "{why}");
    assert!(check_can_send(&conn, "mot_notice", "en_GB", false, now()).is_err());
    // After the restriction's expiration it no longer applies.
    let later = Timestamp::from_second(4_102_444_801).unwrap();
    assert!(restriction(&conn, later).unwrap().is_none());

    let conn = open_in_memory();
    apply(&conn, fixture!("account_disabled"));
    assert!(
        restriction(&conn, now())
            .unwrap()
            .unwrap()
            .contains("disabled")
    );
}

#[test]
fn the_messaging_tier_comes_from_the_newest_report() {
    let conn = open_in_memory();
    assert!(messaging_tier(&conn).unwrap().is_none());
    apply(&conn, fixture!("number_downgrade_250"));
    assert_eq!(messaging_tier(&conn).unwrap().unwrap().0, "TIER_250");
    state::remember_tier(&conn, "TIER_10K", now()).unwrap();
    assert_eq!(
        messaging_tier(&conn).unwrap().unwrap().0,
        "TIER_10K",
        "the look-up is newer"
    );
    assert_eq!(state::tier_limit("TIER_2K"), Some(Some(2_000)));
    assert_eq!(state::tier_limit("TIER_UNLIMITED"), Some(None));
    assert_eq!(state::tier_limit("TIER_NOT_SET"), None);
}

/// A body's account reports are applied before its messages, as they always
/// were: a stranger's first message and their marketing stop in one body
/// leave a pending member (the stop found nobody yet), not an opted-out one.
#[test]
fn a_bodys_account_reports_apply_before_its_messages() {
    let conn = open_in_memory();
    let mut body = serde_json::from_slice::<Value>(fixture!("user_preferences_stop")).unwrap();
    let message = serde_json::json!({
        "field": "messages",
        "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "447700900999", "phone_number_id": "1234567890" },
            "contacts": [ { "wa_id": "447700900001", "profile": { "name": "Test Member" } } ],
            "messages": [ { "from": "447700900001", "id": "wamid.ORDER1", "timestamp": "1700002600",
                            "type": "text", "text": { "body": "Hello" } } ]
        }
    });
    body["entry"][0]["changes"]
        .as_array_mut()
        .unwrap()
        .insert(0, message);
    apply(&conn, &serde_json::to_vec(&body).unwrap());
    let status: String = conn
        .query_row("SELECT status FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "pending");
}
