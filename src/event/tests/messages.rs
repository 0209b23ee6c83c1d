//! Message items: each type a person can send, what of it is kept, and
//! whose a change is.

use super::*;

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
