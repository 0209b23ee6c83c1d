//! Odd, malformed and generated bodies: odd items are reported without
//! losing their neighbours, and no input makes the walk panic.

use super::*;

use proptest::prelude::*;

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
