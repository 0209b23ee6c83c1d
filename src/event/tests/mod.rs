//! The walk over webhook bodies: every fixture, every oddity, and the
//! decision whose a change is.

use super::*;

use proptest::prelude::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/webhooks/", $name, ".json"))
    };
}

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
fn text_message_is_joined_with_its_contact() {
    let m = message(fixture!("text_message"));
    assert_eq!(
        m,
        InboundMessage {
            id: "wamid.TESTTEXT0001".into(),
            from: Some("447700900001".into()),
            user_id: None,
            profile_name: Some("Asha Patel".into()),
            timestamp: Some(1_700_000_100),
            context_id: None,
            content: Content::Text {
                body: "Thanks, is the new inhaler guidance out yet?".into()
            },
        }
    );
    assert_eq!(m.content.kind(), "text");
}

#[test]
fn text_stop() {
    let m = message(fixture!("text_stop"));
    assert_eq!(m.content.text(), Some("STOP"));
    assert_eq!(m.profile_name.as_deref(), Some("Ben Okafor"));
}

#[test]
fn reply_names_our_message() {
    let m = message(fixture!("reply_with_context"));
    assert_eq!(m.context_id.as_deref(), Some("wamid.TESTOURS0001"));
    assert_eq!(m.content.kind(), "text");
}

#[test]
fn button_quick_reply() {
    let m = message(fixture!("button_quick_reply"));
    assert_eq!(
        m.content,
        Content::Button {
            payload: Some("mot:unsubscribe".into()),
            text: Some("Stop updates".into())
        }
    );
    assert_eq!(m.content.kind(), "button");
    assert_eq!(m.content.text(), Some("Stop updates"));
    assert_eq!(m.context_id.as_deref(), Some("wamid.TESTOURS0002"));
}

#[test]
fn button_text_falls_back_to_payload() {
    let c = Content::Button {
        payload: Some("p".into()),
        text: None,
    };
    assert_eq!(c.text(), Some("p"));
}

#[test]
fn interactive_button_reply() {
    let m = message(fixture!("interactive_button_reply"));
    assert_eq!(
        m.content,
        Content::Interactive {
            reply_id: Some("mot:confirm".into()),
            title: Some("Yes, keep me on".into())
        }
    );
    assert_eq!(m.content.text(), Some("Yes, keep me on"));
}

#[test]
fn interactive_list_reply() {
    let json = envelope(serde_json::json!({
        "messages": [{
            "from": "447700900004", "id": "wamid.TESTLIST0001", "timestamp": "1700000000",
            "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": "row-2", "title": "Weekly", "description": "Once a week"}}
        }]
    }));
    assert_eq!(
        message(&json).content,
        Content::Interactive {
            reply_id: Some("row-2".into()),
            title: Some("Weekly".into())
        }
    );
}

#[test]
fn another_numbers_change_is_counted_and_not_read() {
    let mut v: serde_json::Value = serde_json::from_str(fixture!("text_stop")).unwrap();
    v["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] =
        serde_json::json!("9876543210");
    assert_eq!(events(&v.to_string()), [Event::NotOurs]);
}

#[test]
fn only_what_a_person_wrote_or_chose_is_written() {
    let call_answer = envelope(serde_json::json!({
        "messages": [{
            "from": "447700900004", "id": "wamid.TESTCALLPERM", "timestamp": "1700000000",
            "type": "interactive",
            "interactive": {"type": "call_permission_reply",
                            "call_permission_reply": {"response": "accept"}}
        }]
    }));
    let call = message(&call_answer).content;
    assert_eq!(call.kind(), "interactive");
    assert!(!call.is_written());
    for (name, written) in [
        ("text_message", true),
        ("button_quick_reply", true),
        ("interactive_button_reply", true),
        ("image", true),
        ("reaction", false),
        ("unsupported", false),
        ("system_changed_number", false),
    ] {
        let json = FIXTURES.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(message(json).content.is_written(), written, "{name}");
    }
    let sticker = Content::Media {
        kind: "sticker".into(),
        caption: None,
    };
    assert!(!sticker.is_written());
}

#[test]
fn reaction() {
    let m = message(fixture!("reaction"));
    assert_eq!(
        m.content,
        Content::Reaction {
            message_id: Some("wamid.TESTOURS0001".into()),
            emoji: Some("\u{1F44D}".into())
        }
    );
    assert_eq!(m.content.text(), None);
}

#[test]
fn an_image_is_its_type_and_the_caption_its_sender_wrote() {
    let m = message(fixture!("image"));
    assert_eq!(
        m.content,
        Content::Media {
            kind: "image".into(),
            caption: Some("Photo of the shelf label".into()),
        }
    );
    assert_eq!(m.content.kind(), "image");
    assert_eq!(m.content.text(), Some("Photo of the shelf label"));
}

#[test]
fn unsupported() {
    let m = message(fixture!("unsupported"));
    assert_eq!(
        m.content,
        Content::Other {
            kind: "unsupported".into()
        }
    );
    assert_eq!(m.id, "wamid.TESTUNSUPPORTED0001");
}

#[test]
fn revoke_and_edit_name_the_message_they_change() {
    let m = message(fixture!("amend/revoke"));
    assert_eq!(
        m.content,
        Content::Revoke {
            original_id: "wamid.TESTTEXT0001".into()
        }
    );
    assert_eq!((m.content.kind(), m.content.text()), ("revoke", None));
    let m = message(fixture!("amend/edit"));
    assert_eq!(
        m.content,
        Content::Edit {
            original_id: "wamid.TESTTEXT0001".into(),
            message: Box::new(Content::Text {
                body: "Sorry, I meant: has the new inhaler guidance been sent?".into()
            }),
        }
    );
    assert_eq!(m.content.kind(), "edit");
    for odd in [
        serde_json::json!({"type": "revoke", "revoke": {}}),
        serde_json::json!({"type": "edit", "edit": {"original_message_id": "wamid.X"}}),
        serde_json::json!({"type": "edit", "edit": {"original_message_id": "wamid.X",
            "message": {"type": "edit", "edit": {"original_message_id": "wamid.Y", "message": {}}}}}),
    ] {
        let mut item = odd;
        item["id"] = "wamid.TESTODDEDIT".into();
        item["timestamp"] = "1700000000".into();
        let json = envelope(serde_json::json!({ "messages": [item] }));
        assert!(matches!(only(&json), Event::Unrecognised { .. }), "{json}");
    }
}

#[test]
fn system_changed_number() {
    let m = message(fixture!("system_changed_number"));
    assert_eq!(m.from.as_deref(), Some("447700900006"));
    assert_eq!(m.profile_name, None);
    assert_eq!(
        m.content,
        Content::ChangedNumber {
            new_wa_id: Some("447700900007".into()),
            body: Some("User A changed from 447700900006 to 447700900007".into()),
        }
    );
    assert_eq!(m.content.kind(), "system");
}

#[test]
fn changed_number_accepts_new_wa_id_and_the_old_type_name() {
    let json = envelope(serde_json::json!({
        "messages": [{
            "from": "447700900006", "id": "wamid.TESTSYSTEM0002", "timestamp": "1700000000",
            "type": "system",
            "system": {"type": "customer_changed_number", "new_wa_id": "+447700900008"}
        }]
    }));
    assert_eq!(
        message(&json).content,
        Content::ChangedNumber {
            new_wa_id: Some("447700900008".into()),
            body: None
        }
    );
}

#[test]
fn other_system_messages() {
    let json = envelope(serde_json::json!({
        "messages": [{
            "from": "447700900006", "id": "wamid.TESTSYSTEM0003", "timestamp": "1700000000",
            "type": "system",
            "system": {"type": "user_identity_changed", "body": "security code changed", "identity": "x"}
        }]
    }));
    assert_eq!(
        message(&json).content,
        Content::System {
            body: Some("security code changed".into())
        }
    );
}

#[test]
fn username_user_without_from() {
    let m = message(fixture!("username_user"));
    assert_eq!(m.from, None);
    assert_eq!(m.user_id.as_deref(), Some("GB.0123456789ABCDEF"));
    assert_eq!(m.profile_name.as_deref(), Some("Elena Rossi"));
    assert_eq!(m.content.text(), Some("Hello, please add me to the list"));
}

#[test]
fn user_id_falls_back_to_the_contact() {
    let json = envelope(serde_json::json!({
        "contacts": [
            {"profile": {"name": "Someone Else"}, "wa_id": "447700900020", "user_id": "GB.OTHER"},
            {"profile": {"name": "Asha Patel"}, "wa_id": "447700900001", "user_id": "GB.ASHA"}
        ],
        "messages": [{"from": "447700900001", "id": "wamid.TESTUID0001", "timestamp": "1700000000", "type": "text", "text": {"body": "hi"}}]
    }));
    let m = message(&json);
    assert_eq!(m.user_id.as_deref(), Some("GB.ASHA"));
    assert_eq!(m.profile_name.as_deref(), Some("Asha Patel"));
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

#[test]
fn odd_items_become_unrecognised_without_losing_their_neighbours() {
    let json = envelope(serde_json::json!({
        "contacts": "not a list",
        "statuses": [
            {"status": "sent", "timestamp": "1"},
            {"id": "wamid.TESTODD0001", "timestamp": "1"},
            {"id": "wamid.TESTODD0002", "status": "warning", "timestamp": "1"},
            {"id": "wamid.TESTODD0003", "status": "read", "timestamp": "1", "recipient_id": "+447700900001",
             "errors": [{"title": "no code"}], "unknown_future_field": {"a": [1, 2]}},
            42
        ],
        "messages": [
            {"from": "447700900001", "timestamp": "1", "type": "text", "text": {"body": "no id"}},
            {"id": "wamid.TESTODD0004", "timestamp": "1", "type": "text"},
            {"id": "wamid.TESTODD0005", "timestamp": "1", "type": "order", "order": {}},
            {"id": "wamid.TESTODD0006", "timestamp": "1"},
            {"id": "wamid.TESTODD0007", "timestamp": "1", "from": "+447700900001", "type": "text", "text": {"body": "ok"}}
        ]
    }));
    let events = events(&json);
    assert_eq!(events.len(), 10, "{events:#?}");
    let reasons: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Unrecognised { reason } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "entry 0 change 0 status 0: no id",
            "entry 0 change 0 status 1 (wamid.TESTODD0001): no status",
            "entry 0 change 0 status 2 (wamid.TESTODD0002): unknown status \"warning\"",
            "entry 0 change 0 status 4: not an object",
            "entry 0 change 0 message 0: no id",
            "entry 0 change 0 message 1 (wamid.TESTODD0004): text message without a body",
        ]
    );
    let Event::Status(read) = &events[3] else {
        panic!("{:?}", events[3])
    };
    assert_eq!(read.recipient_id.as_deref(), Some("447700900001"));
    assert_eq!(read.error, None);
    let Event::Message(order) = &events[7] else {
        panic!("{:?}", events[7])
    };
    assert_eq!(
        order.content,
        Content::Other {
            kind: "order".into()
        }
    );
    let Event::Message(untyped) = &events[8] else {
        panic!("{:?}", events[8])
    };
    assert_eq!(
        untyped.content,
        Content::Other {
            kind: "unknown".into()
        }
    );
    let Event::Message(plus) = &events[9] else {
        panic!("{:?}", events[9])
    };
    assert_eq!(plus.from.as_deref(), Some("447700900001"));
}

#[test]
fn odd_structure_inside_entries_is_reported() {
    let json = r#"{"entry":[
        {"id":"1"},
        {"changes":{}},
        {"changes":[{"value":{}},{"field":"messages","value":[]},{"field":"messages","value":{"metadata":{"phone_number_id":"1234567890"},"statuses":{},"messages":7}}]},
        7
    ]}"#;
    let reasons: Vec<String> = events(json)
        .into_iter()
        .map(|e| match e {
            Event::Unrecognised { reason } => reason,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "entry 0: no changes",
            "entry 1: changes is not a list",
            "entry 2 change 0: no field name",
            "entry 2 change 1: value is not an object",
            "entry 2 change 2: statuses is not a list",
            "entry 2 change 2: messages is not a list",
            "entry 3: no changes",
        ]
    );
}

#[test]
fn empty_entry_list_is_no_events() {
    let events = events(r#"{"object":"whatsapp_business_account","entry":[]}"#);
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn malformed_bodies_are_errors() {
    for body in [
        "",
        "not json",
        "{",
        "[]",
        "[{\"entry\":[]}]",
        "{}",
        "null",
        "\"entry\"",
        r#"{"entry":{}}"#,
    ] {
        let err = parse(body.as_bytes(), &ours()).expect_err(body);
        // The json detail is serde_json's wording; ours is the lowercase lead.
        assert!(
            err.to_string().starts_with("webhook body "),
            "{body}: {err}"
        );
    }
    assert!(parse(b"\xff\xfe", &ours()).is_err());
}

#[test]
fn unknown_type_in_a_reason_is_bounded() {
    let long = "x".repeat(500);
    let json = envelope(serde_json::json!({
        "statuses": [{"id": "wamid.TESTLONG0001", "status": long, "timestamp": "1"}]
    }));
    let Event::Unrecognised { reason } = only(&json) else {
        panic!()
    };
    assert!(reason.len() < 120, "{reason}");
}

/// JSON values built from the words the parser looks for, so generated
/// payloads reach deep into its paths rather than failing at the envelope.
fn webhook_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let key = prop::sample::select(vec![
        "entry",
        "changes",
        "field",
        "value",
        "statuses",
        "messages",
        "contacts",
        "id",
        "status",
        "timestamp",
        "recipient_id",
        "errors",
        "code",
        "title",
        "error_data",
        "details",
        "from",
        "from_user_id",
        "user_id",
        "wa_id",
        "profile",
        "name",
        "context",
        "type",
        "text",
        "body",
        "button",
        "payload",
        "interactive",
        "button_reply",
        "list_reply",
        "reaction",
        "message_id",
        "emoji",
        "system",
        "new_wa_id",
        "biz_opaque_callback_data",
    ]);
    let word = prop::sample::select(vec![
        "messages",
        "sent",
        "delivered",
        "READ",
        "failed",
        "text",
        "button",
        "interactive",
        "button_reply",
        "reaction",
        "system",
        "user_changed_number",
        "image",
        "unsupported",
        "1700000000",
        "+447700900001",
        "+",
        "",
        "wamid.TEST",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        word.prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(&body, &ours());
    }

    #[test]
    fn parse_never_panics_on_json_ish_text(body in r#"[\[\]{}":,0-9a-z_.+\- ]{0,256}"#) {
        let _ = parse(body.as_bytes(), &ours());
    }

    #[test]
    fn parse_never_panics_on_webhook_shaped_json(value in webhook_json(), entries in webhook_json()) {
        let _ = parse(value.to_string().as_bytes(), &ours());
        let wrapped = serde_json::json!({"entry": [entries]});
        let _ = parse(wrapped.to_string().as_bytes(), &ours());
    }
}
