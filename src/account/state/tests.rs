//! Meta's template and account states, each decided by the table in
//! `state.rs`, on an in-memory database.

use jiff::Timestamp;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::*;
use crate::db::open_in_memory;
use crate::event::Source;

const T: i64 = 1_700_010_000;

/// Our number and business account, as the fixtures name them.
fn ours() -> crate::event::Ours {
    crate::event::Ours::new(Some("1234567890"), Some("0000000000000001"))
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap()
}

/// One change of `field`, stamped `time` by Meta, received at `received`.
fn deliver(conn: &Connection, field: &str, time: i64, value: Value, received: i64) {
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0000000000000001", "time": time,
                   "changes": [{"field": field, "value": value}]}]
    });
    crate::webhook::apply_payload(
        conn,
        body.to_string().as_bytes(),
        &ours(),
        Source::Webhook,
        at(received),
    )
    .unwrap();
}

fn template(conn: &Connection, event: Option<&str>, time: i64) {
    let mut value = json!({
        "message_template_id": 1000000000000001_i64,
        "message_template_name": "mot_notice",
        "message_template_language": "en_GB",
        "reason": "NONE"
    });
    if let Some(e) = event {
        value["event"] = e.into();
    }
    deliver(conn, "message_template_status_update", time, value, T + 100);
}

fn status(conn: &Connection) -> TemplateStatus {
    template_status(conn, "mot_notice", "en_GB")
        .unwrap()
        .unwrap()
}

#[test]
fn each_template_event_blocks_or_warns_as_metas_documentation_says() {
    for (event, blocks, warns) in [
        ("APPROVED", false, false),
        ("REINSTATED", false, false),
        ("UNARCHIVED", false, false),
        ("PENDING", true, false),
        ("REJECTED", true, false),
        ("IN_APPEAL", true, false),
        ("PAUSED", true, false),
        ("DISABLED", true, false),
        ("ARCHIVED", true, false),
        ("PENDING_DELETION", true, false),
        ("DELETED", true, false),
        ("FLAGGED", false, true),
        ("LOCKED", false, true),
        ("LIMIT_EXCEEDED", false, true),
        ("SOMETHING_NEW", false, true),
    ] {
        let conn = open_in_memory();
        template(&conn, Some(event), T);
        let s = status(&conn);
        assert_eq!(s.blocks(), blocks, "{event}");
        assert_eq!(!s.warnings.is_empty(), warns, "{event}: {:?}", s.warnings);
        assert_eq!(
            check_can_send(&conn, "mot_notice", "en_GB", false, at(T + 200)).is_err(),
            blocks,
            "{event}"
        );
    }
}

#[test]
fn neither_a_warning_nor_an_event_without_a_name_lifts_a_block() {
    let conn = open_in_memory();
    template(&conn, Some("PAUSED"), T);
    template(&conn, None, T + 10);
    template(&conn, Some("FLAGGED"), T + 20);
    template(&conn, Some("SOMETHING_NEW"), T + 30);
    let s = status(&conn);
    assert_eq!(s.event, "PAUSED", "not UNKNOWN");
    assert!(s.blocks());
    assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("SOMETHING_NEW"), "{:?}", s.warnings);
    template(&conn, Some("REINSTATED"), T + 40);
    assert!(!status(&conn).blocks());
}

#[test]
fn a_time_from_the_future_is_bounded_by_when_mot_received_it() {
    let conn = open_in_memory();
    // Stamped 2100, received now: it happened no later than now.
    deliver(
        &conn,
        "message_template_status_update",
        4_102_444_800,
        json!({"event": "PAUSED", "message_template_name": "mot_notice",
               "message_template_language": "en_GB"}),
        T,
    );
    deliver(
        &conn,
        "message_template_status_update",
        T + 60,
        json!({"event": "REINSTATED", "message_template_name": "mot_notice",
               "message_template_language": "en_GB"}),
        T + 60,
    );
    assert_eq!(status(&conn).event, "REINSTATED");
    assert!(check_can_send(&conn, "mot_notice", "en_GB", false, at(T + 120)).is_ok());
}

fn account(conn: &Connection, value: Value, time: i64) {
    deliver(conn, "account_update", time, value, time);
}

/// (refuses a send, doctor's problems)
fn standing(conn: &Connection, now: i64) -> (bool, Vec<String>) {
    let refused = check_can_send(conn, "mot_notice", "en_GB", false, at(now)).is_err();
    (refused, problems(conn, at(now)).unwrap())
}

#[test]
fn an_account_that_cannot_send_refuses_and_every_account_problem_fails_doctor() {
    for (event, refuses) in [
        (json!({"event": "ACCOUNT_DELETED"}), true),
        (json!({"event": "ACCOUNT_OFFBOARDED"}), true),
        (
            json!({"event": "PARTNER_REMOVED", "waba_info": {"waba_id": "0000000000000001"}}),
            false,
        ),
        (
            json!({"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}}),
            false,
        ),
        (
            json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "SCHEDULE_FOR_DISABLE", "waba_ban_date": "December 9, 2026"}}),
            false,
        ),
        (
            json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "DISABLE", "waba_ban_date": "December 9, 2026"}}),
            true,
        ),
    ] {
        let conn = open_in_memory();
        assert_eq!(standing(&conn, T), (false, vec![]));
        let name = event["event"].as_str().unwrap().to_owned();
        account(&conn, event, T);
        let (refused, problems) = standing(&conn, T + 60);
        assert_eq!(refused, refuses, "{name}");
        assert_eq!(problems.len(), 1, "{name}: {problems:?}");
        if refuses {
            let err = check_can_send(&conn, "mot_notice", "en_GB", false, at(T + 60)).unwrap_err();
            let failure = err.downcast_ref::<crate::exit::Failure>().unwrap();
            assert_eq!(failure.exit, crate::exit::Exit::Paused, "{name}");
        }
    }
}

#[test]
fn a_later_event_undoes_what_it_undoes() {
    let conn = open_in_memory();
    account(&conn, json!({"event": "ACCOUNT_OFFBOARDED"}), T);
    account(&conn, json!({"event": "PARTNER_REMOVED"}), T + 1);
    account(
        &conn,
        json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "DISABLE"}}),
        T + 2,
    );
    assert_eq!(standing(&conn, T + 10).1.len(), 3);
    account(&conn, json!({"event": "ACCOUNT_RECONNECTED"}), T + 20);
    account(&conn, json!({"event": "PARTNER_ADDED"}), T + 21);
    account(
        &conn,
        json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "REINSTATE"}}),
        T + 22,
    );
    assert_eq!(standing(&conn, T + 30), (false, vec![]));
    // A violation is shown for a while, then is history.
    account(&conn, json!({"event": "ACCOUNT_VIOLATION"}), T + 40);
    assert_eq!(standing(&conn, T + 50).1.len(), 1);
    assert_eq!(standing(&conn, T + 40 + 31 * 86_400), (false, vec![]));
}

#[test]
fn an_unlisted_tier_or_a_zero_limit_fails_closed_at_the_lowest_tier() {
    let phones: Vec<String> = (0..300).map(|i| format!("+447700900{i:03}")).collect();
    for limit in [
        json!({"current_limit": "TIER_NEW"}),
        json!({"max_daily_conversations_per_business": 0}),
    ] {
        let conn = open_in_memory();
        let mut value = json!({"display_phone_number": "447700900999", "event": "DOWNGRADE"});
        value
            .as_object_mut()
            .unwrap()
            .extend(limit.as_object().unwrap().clone());
        deliver(&conn, "phone_number_quality_update", T, value, T);
        let expiry = crate::account::limit::Expiry::AfterHold(jiff::SignedDuration::from_hours(24));
        let split = crate::account::limit::preview(&conn, &phones, at(T + 60), expiry)
            .unwrap()
            .unwrap_or_else(|| panic!("{limit}: no cap at all"));
        assert_eq!(
            (split.limit, split.send_now, split.held),
            (250, 250, 50),
            "{limit}"
        );
    }
}

#[test]
fn message_level_errors_are_kept_like_value_errors() {
    let conn = open_in_memory();
    deliver(
        &conn,
        "messages",
        T,
        json!({"metadata": {"display_phone_number": "447700900999", "phone_number_id": "1234567890"},
            "messages": [{"from": "447700900001", "id": "wamid.TESTERR0001",
            "timestamp": "1700000000", "type": "unsupported",
            "errors": [{"code": 131051, "title": "Message type unknown",
                        "error_data": {"details": "Message type is currently not supported."}}]}]}),
        T,
    );
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM account_events WHERE field = 'errors' AND event = '131051'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn a_marketing_stop_is_audited_and_counted_like_a_stop() {
    let conn = open_in_memory();
    conn.execute_batch(
        "INSERT INTO members (id, name, phone, role, location, status, consent_at, consent_source,
                              consent_by, created_at, updated_at)
         VALUES (1, 'Member 1', '+447700900001', 'Pharmacist', 'Leeds', 'active', 'x', 'x', 'x', 'x', 'x');",
    )
    .unwrap();
    let body =
        include_bytes!("../../../tests/fixtures/webhooks/account/user_preferences_stop.json");
    let report =
        crate::webhook::apply_payload(&conn, body, &ours(), Source::Webhook, at(T)).unwrap();
    assert_eq!(report.opt_outs, 1, "{report:?}");
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE command = 'inbound opt_out' AND detail LIKE '%\"member_id\":1%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

/// What `templates sync` (Meta's API) reports as of `time`.
fn synced(conn: &Connection, status: &str, time: i64) {
    let t = crate::whatsapp::lookup::RemoteTemplate {
        name: "mot_notice".into(),
        language: "en_GB".into(),
        status: status.into(),
        category: "UTILITY".into(),
        body: Some("{{1}}".into()),
        body_params: 1,
        buttons: Vec::new(),
        quality: None,
    };
    crate::templates::store(conn, &[t], at(time)).unwrap();
}

/// One answer for a template's state: the newest of what a webhook and
/// Meta's API (`templates sync`) said. A laptop without a receiver learns
/// of a pause only through the API, and a stale webhook PAUSED must not
/// outlive a later APPROVED from the API.
#[test]
fn a_template_state_is_the_newest_of_webhook_and_sync() {
    let conn = open_in_memory();
    synced(&conn, "PAUSED", T);
    assert!(status(&conn).blocks(), "the API's PAUSED alone blocks");
    assert!(check_can_send(&conn, "mot_notice", "en_GB", false, at(T + 200)).is_err());

    let conn = open_in_memory();
    template(&conn, Some("PAUSED"), T);
    synced(&conn, "APPROVED", T + 3_600);
    assert!(
        !status(&conn).blocks(),
        "a later APPROVED from the API clears a stale pause"
    );
    assert!(check_can_send(&conn, "mot_notice", "en_GB", false, at(T + 4_000)).is_ok());

    // Received at T + 100 (see `template`), after the sync at T: the pause stands.
    let conn = open_in_memory();
    synced(&conn, "APPROVED", T);
    template(&conn, Some("PAUSED"), T + 50);
    assert!(
        status(&conn).blocks(),
        "a newer webhook PAUSED beats an older sync"
    );
}

/// How fresh mot's knowledge of a template is goes by when it heard it: a
/// webhook by its arrival (a relayed one pulled now is news now), the API
/// by when it was asked.
#[test]
fn a_template_was_last_heard_of_when_the_news_arrived() {
    let conn = open_in_memory();
    let heard = |conn: &Connection| template_last_heard(conn, "mot_notice", "en_GB").unwrap();
    assert_eq!(heard(&conn), None);
    // Meta's time T, received at T + 100 (see `template`).
    template(&conn, Some("APPROVED"), T);
    assert_eq!(heard(&conn), Some(at(T + 100)));
    synced(&conn, "APPROVED", T + 200);
    assert_eq!(heard(&conn), Some(at(T + 200)));
    assert_eq!(template_last_heard(&conn, "other", "en_GB").unwrap(), None);
}
