//! The walk over webhook bodies: every fixture, statuses, batches, account
//! fields and timestamps. Message items are tested in `messages`, odd and
//! malformed bodies in `malformed`.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/webhooks/",
            $name,
            ".json"
        ))
    };
}

mod malformed;
mod messages;

const FIXTURES: [(&str, &str); 16] = [
    ("status_sent", fixture!("status_sent")),
    ("status_delivered", fixture!("status_delivered")),
    ("status_read", fixture!("status_read")),
    ("status_failed_131026", fixture!("status_failed_131026")),
    ("text_message", fixture!("text_message")),
    ("text_stop", fixture!("text_stop")),
    ("reply_with_context", fixture!("reply_with_context")),
    ("button_quick_reply", fixture!("button_quick_reply")),
    (
        "interactive_button_reply",
        fixture!("interactive_button_reply"),
    ),
    ("reaction", fixture!("reaction")),
    ("image", fixture!("image")),
    ("unsupported", fixture!("unsupported")),
    ("system_changed_number", fixture!("system_changed_number")),
    ("username_user", fixture!("username_user")),
    ("batch_mixed", fixture!("batch_mixed")),
    ("non_messages_field", fixture!("non_messages_field")),
];

/// The fixtures' number and business account.
fn ours() -> Ours {
    Ours::new(Some("1234567890"), Some("0000000000000001"))
}

fn events(json: &str) -> Vec<Event> {
    parse(json.as_bytes(), &ours()).expect("payload parses")
}

/// The one status or message item of a body (its account reports, such as
/// an error inside a message, are the account tests' to check).
fn only(json: &str) -> Event {
    let mut events = events(json);
    events.retain(|e| !matches!(e, Event::Account(_)));
    assert_eq!(events.len(), 1, "{events:#?}");
    events.remove(0)
}

fn status(json: &str) -> StatusEvent {
    match only(json) {
        Event::Status(s) => s,
        other => panic!("expected a status, got {other:?}"),
    }
}

fn message(json: &str) -> InboundMessage {
    match only(json) {
        Event::Message(m) => m,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Wraps one `messages` change value in the envelope.
fn envelope(mut value: serde_json::Value) -> String {
    value["metadata"] = serde_json::json!({"phone_number_id": "1234567890"});
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0000000000000001", "changes": [{"field": "messages", "value": value}]}]
    })
    .to_string()
}

#[test]
fn every_fixture_parses_without_unrecognised_items() {
    for (name, json) in FIXTURES {
        let events = parse(json.as_bytes(), &ours()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for event in &events {
            assert!(
                !matches!(event, Event::Unrecognised { .. }),
                "{name}: {event:?}"
            );
        }
    }
}

#[test]
fn status_sent() {
    let s = status(fixture!("status_sent"));
    assert_eq!(
        s,
        StatusEvent {
            wamid: "wamid.TESTSENT0001".into(),
            status: StatusKind::Sent,
            timestamp: 1_700_000_000,
            recipient_id: Some("447700900001".into()),
            callback: Some("mot:b=1:d=1".into()),
            error: None,
        }
    );
}

#[test]
fn status_delivered() {
    let s = status(fixture!("status_delivered"));
    assert_eq!(s.status, StatusKind::Delivered);
    assert_eq!(s.wamid, "wamid.TESTSENT0001");
    assert_eq!(s.timestamp, 1_700_000_005);
}

#[test]
fn status_read() {
    let s = status(fixture!("status_read"));
    assert_eq!(s.status, StatusKind::Read);
    assert_eq!(s.callback.as_deref(), Some("mot:b=1:d=1"));
}

#[test]
fn status_failed_carries_its_first_error() {
    let s = status(fixture!("status_failed_131026"));
    assert_eq!(s.status, StatusKind::Failed);
    assert_eq!(s.recipient_id.as_deref(), Some("447700900002"));
    assert_eq!(
        s.error,
        Some(StatusError {
            code: 131_026,
            title: "Message undeliverable".into(),
            message: Some("Message undeliverable".into()),
            details: Some("Message Undeliverable.".into()),
        })
    );
}

#[test]
fn batch_mixed_yields_every_item_in_order() {
    let events = events(fixture!("batch_mixed"));
    let summary: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::Status(s) => format!("{} {}", s.wamid, s.status),
            Event::Message(m) => format!("{} {}", m.id, m.content.kind()),
            Event::Unrecognised { reason } => format!("? {reason}"),
            Event::Noted { what } => format!("noted {what}"),
            Event::NotOurs => "not ours".to_string(),
            Event::Account(a) => format!("account {}", a.field),
            Event::NotOursAccount => "not ours (account)".to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "wamid.TESTBATCH0001 delivered",
            "wamid.TESTBATCH0002 read",
            "wamid.TESTBATCH0003 text",
            "wamid.TESTBATCH0004 text",
            "account account_update",
            "wamid.TESTBATCH0005 failed",
            "wamid.TESTBATCH0001 sent",
            "wamid.TESTBATCH0006 button",
        ]
    );
    // With two contacts in one change, each message finds its own sender.
    let names: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Message(m) => m.profile_name.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["Farah Khan", "George Lewis", "Hannah Wright"]);
    let Event::Status(failed) = &events[5] else {
        panic!("{:?}", events[5])
    };
    assert_eq!(failed.error.as_ref().map(|e| e.code), Some(131_049));
}

#[test]
fn a_non_messages_field_yields_account_events_only() {
    let events = events(fixture!("non_messages_field"));
    assert!(!events.is_empty());
    assert!(
        events.iter().all(|e| matches!(e, Event::Account(_))),
        "{events:?}"
    );
}

#[test]
fn timestamp_as_string_or_number() {
    for ts in [
        serde_json::json!("1700000000"),
        serde_json::json!(1_700_000_000),
    ] {
        let json = envelope(serde_json::json!({
            "statuses": [{"id": "wamid.TESTTS0001", "status": "sent", "timestamp": ts}]
        }));
        assert_eq!(status(&json).timestamp, 1_700_000_000);
    }
}

#[test]
fn bad_timestamp_is_unrecognised() {
    for ts in [
        serde_json::json!("soon"),
        serde_json::json!(1.5),
        serde_json::json!(null),
    ] {
        let json = envelope(serde_json::json!({
            "statuses": [{"id": "wamid.TESTTS0002", "status": "sent", "timestamp": ts}]
        }));
        assert!(matches!(only(&json), Event::Unrecognised { .. }), "{ts}");
    }
}

#[test]
fn played_and_deleted_are_known_statuses() {
    let json = envelope(serde_json::json!({
        "statuses": [
            {"id": "wamid.TESTPLAYED0001", "status": "played", "timestamp": "1700000000"},
            {"id": "wamid.TESTDELETED0001", "status": "deleted", "timestamp": "1700000000"}
        ]
    }));
    let events = events(&json);
    let Event::Status(played) = &events[0] else {
        panic!("{events:?}")
    };
    // A voice message played was opened: as good as read.
    assert_eq!(played.status, StatusKind::Read);
    assert!(matches!(&events[1], Event::Noted { .. }), "{events:?}");
}

#[test]
fn a_message_with_a_placeholder_or_no_time_is_kept_without_one() {
    for ts in [
        Some(serde_json::json!("<WEBHOOK_TIMESTAMP>")),
        Some(serde_json::json!(0)),
        Some(serde_json::json!(null)),
        None,
    ] {
        let mut item = serde_json::json!({"from": "447700900001", "id": "wamid.TESTNOTIME0001",
            "type": "text", "text": {"body": "STOP"}});
        if let Some(ts) = &ts {
            item["timestamp"] = ts.clone();
        }
        let m = message(&envelope(serde_json::json!({ "messages": [item] })));
        assert_eq!(m.timestamp, None, "{ts:?}");
        assert_eq!(m.content.text(), Some("STOP"));
    }
}

#[test]
fn status_kind_parse_ignores_case() {
    assert_eq!(StatusKind::parse("DELIVERED"), Some(StatusKind::Delivered));
    assert_eq!(StatusKind::parse("Read"), Some(StatusKind::Read));
    assert_eq!(StatusKind::parse("deleted"), None);
    assert_eq!(StatusKind::parse(""), None);
    for kind in [
        StatusKind::Sent,
        StatusKind::Delivered,
        StatusKind::Read,
        StatusKind::Failed,
    ] {
        assert_eq!(StatusKind::parse(kind.as_str()), Some(kind));
    }
}
