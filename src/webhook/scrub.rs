//! Removing what a member sent that mot must not keep, from a raw payload,
//! before it is stored anywhere (the receiver's store, the relay).
//!
//! Every string in the payload is free text unless its key is one of Meta's
//! structural fields (ids, numbers, timestamps, types): captions, file names,
//! button and list titles, order and referral text, profile names… all go
//! through the patient-data screen, and what it blocks is replaced by a
//! marker naming what was found. Shared contact cards and locations are
//! third parties' details and a place: mot records their type only, so their
//! contents are dropped whatever they say.
//!
//! Before any of that, what is not ours goes whole: a change for another
//! number or business account on the same Meta app (see [`crate::event`]),
//! and the value of a field mot does not read (`calls`, `history`,
//! `smb_message_echoes`, …: numbers, names, text and places), of which only
//! `{"field": name}` stays, to be counted.

use serde_json::{Map, Value};

use crate::event::{self, Ours, Whose};
use crate::phone::E164;
use crate::retention::erasure;
use crate::screen::{self, Severity};

/// Keys whose values Meta sets (identifiers, numbers, enums, timestamps):
/// never free text a member typed, and matching depends on them staying
/// exact, so they are not screened.
const STRUCTURAL: [&str; 23] = [
    "id",
    "original_message_id",
    "object",
    "field",
    "messaging_product",
    "display_phone_number",
    "phone_number_id",
    "wa_id",
    "from",
    "from_user_id",
    "user_id",
    "recipient_id",
    "new_wa_id",
    "message_id",
    "timestamp",
    "expiration_timestamp",
    "type",
    "status",
    "biz_opaque_callback_data",
    "mime_type",
    "sha256",
    "code",
    "category",
];

/// Message types whose whole content is someone else's details.
const DROPPED: [&str; 2] = ["contacts", "location"];

/// What [`scrub`] leaves to store.
#[derive(Debug)]
pub struct Scrubbed {
    pub body: Vec<u8>,
    /// Changes dropped whole: another number's or business account's.
    pub not_ours: usize,
}

/// Returns the payload to store: the original bytes when nothing was
/// removed, else the payload without what is not ours and with every
/// blocked field replaced. A body that is not JSON is returned as it is (it
/// is refused before this point).
pub fn scrub(body: &[u8], ours: &Ours) -> Scrubbed {
    let Ok(mut root) = serde_json::from_slice::<Value>(body) else {
        return Scrubbed {
            body: body.to_vec(),
            not_ours: 0,
        };
    };
    let mut removed = false;
    let mut not_ours = 0;
    if let Some(entries) = root.get_mut("entry").and_then(Value::as_array_mut) {
        for entry in entries {
            // The entry's own id (the business account), to judge its changes by.
            let head = Value::Object(
                entry
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| *k == "id")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Map<_, _>>(),
            );
            let Some(changes) = entry.get_mut("changes").and_then(Value::as_array_mut) else {
                continue;
            };
            changes.retain_mut(|change| {
                let Some(field) = change.get("field").and_then(Value::as_str) else {
                    // Nobody can say whose it is or what it holds: only its
                    // shape stays, for the walker to count; it is never applied.
                    *change = serde_json::json!({});
                    removed = true;
                    return true;
                };
                let value = change.get("value").unwrap_or(&Value::Null);
                if ours.change(&head, field, value) != Whose::Ours {
                    not_ours += 1;
                    removed = true;
                    return false;
                }
                if !event::is_read(field) {
                    *change = serde_json::json!({ "field": field });
                    removed = true;
                    return true;
                }
                if let Some(value) = change.get_mut("value") {
                    drop_third_parties(value, &mut removed);
                    walk(value, None, &mut removed);
                }
                true
            });
        }
    }
    let body = if removed {
        serde_json::to_vec(&root).unwrap_or_else(|_| body.to_vec())
    } else {
        body.to_vec()
    };
    Scrubbed { body, not_ours }
}

/// The payload without any item that names `phone` in any writing (a
/// message, a status, a contact card, an error…), for a person erased whose
/// events may still wait beside other people's in one payload: only theirs
/// go. A change that names the number outside its lists goes whole; `None`
/// when nothing of the payload can be kept.
pub fn without_number(body: &[u8], phone: &E164) -> Option<Vec<u8>> {
    if !erasure::names_number(body, phone) {
        return Some(body.to_vec());
    }
    let mut root = serde_json::from_slice::<Value>(body).ok()?;
    let names =
        |v: &Value| erasure::names_number(&serde_json::to_vec(v).unwrap_or_default(), phone);
    for entry in root
        .get_mut("entry")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let Some(changes) = entry.get_mut("changes").and_then(Value::as_array_mut) else {
            continue;
        };
        changes.retain_mut(|change| {
            let mut took = false;
            if let Some(value) = change.get_mut("value").and_then(Value::as_object_mut) {
                for list in value.values_mut().filter_map(Value::as_array_mut) {
                    let before = list.len();
                    list.retain(|item| !names(item));
                    took |= list.len() < before;
                }
                // Nothing of it left but the contact cards of senders whose
                // messages went: the change goes too.
                let events_left = value
                    .iter()
                    .any(|(k, v)| k != "contacts" && v.as_array().is_some_and(|a| !a.is_empty()));
                if took && !events_left {
                    return false;
                }
            }
            !names(change)
        });
    }
    let changes_left = root["entry"].as_array().into_iter().flatten().any(|e| {
        e["changes"]
            .as_array()
            .is_some_and(|changes| !changes.is_empty())
    });
    if !changes_left {
        return None;
    }
    let kept = serde_json::to_vec(&root).ok()?;
    (!erasure::names_number(&kept, phone)).then_some(kept)
}

/// Empties shared contact cards and locations in `value.messages[]`.
fn drop_third_parties(value: &mut Value, removed: &mut bool) {
    let Some(messages) = value.get_mut("messages").and_then(Value::as_array_mut) else {
        return;
    };
    for message in messages {
        let Some(message) = message.as_object_mut() else {
            continue;
        };
        for key in DROPPED {
            if let Some(content) = message.get_mut(key) {
                let empty = match content {
                    Value::Array(_) => Value::Array(Vec::new()),
                    _ => Value::Object(Default::default()),
                };
                if *content != empty {
                    *content = empty;
                    *removed = true;
                }
            }
        }
    }
}

/// Screens every free-text value under `node`; `key` is the key it sits under.
fn walk(node: &mut Value, key: Option<&str>, removed: &mut bool) {
    // A structural key's own value is left exact; whatever is nested under
    // it (which Meta never sends) is screened like everything else.
    let structural = key.is_some_and(|k| STRUCTURAL.contains(&k));
    match node {
        Value::Object(map) => {
            // A blocked profile name is dropped rather than replaced: a
            // sign-up then gets the neutral placeholder name, not a marker.
            let mut drop_name = false;
            for (k, v) in map.iter_mut() {
                if k == "name"
                    && let Value::String(name) = v
                    && blocked(name)
                {
                    drop_name = true;
                    continue;
                }
                walk(v, Some(k), removed);
            }
            if drop_name {
                map.remove("name");
                *removed = true;
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, key, removed);
            }
        }
        Value::String(_) | Value::Number(_) if structural => {}
        Value::String(text) => {
            if let Some(marker) = marker_if_blocked(text) {
                *node = Value::String(marker);
                *removed = true;
            }
        }
        // A number where text belongs (an NHS number typed as digits by a
        // mock or a future API) is screened as the digits it is.
        Value::Number(n) => {
            if let Some(marker) = marker_if_blocked(&n.to_string()) {
                *node = Value::String(marker);
                *removed = true;
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

fn blocked(text: &str) -> bool {
    screen::verdict(&screen::screen(text)) == Some(Severity::Block)
}

fn marker_if_blocked(text: &str) -> Option<String> {
    // Already a marker (the relay scrubbed it; the laptop scrubs again).
    if text.starts_with(screen::REDACTION_PREFIX) {
        return None;
    }
    let findings = screen::screen(text);
    (screen::verdict(&findings) == Some(Severity::Block))
        .then(|| screen::redaction_marker(&findings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::event::Source;
    use jiff::Timestamp;
    use proptest::prelude::*;
    use rusqlite::Connection;
    use serde_json::json;

    /// The fields the property is about.
    const FREE_TEXT: [&str; 6] = ["text", "caption", "filename", "body", "name", "address"];
    /// Other keys the generator uses, Meta's structural ones among them.
    const OTHER: [&str; 10] = [
        "id", "from", "type", "messages", "contacts", "profile", "document", "wa_id", "title",
        "location",
    ];

    /// A valid NHS number in the 999 test range, written `999 123 4567`.
    fn nhs_number() -> impl Strategy<Value = String> {
        (0u32..1_000_000).prop_filter_map("no check digit", |n| {
            let digits = format!("999{n:06}");
            let sum: u32 = digits
                .bytes()
                .zip((2..=10).rev())
                .map(|(d, w)| u32::from(d - b'0') * w)
                .sum();
            let check = (11 - sum % 11) % 11;
            (check != 10).then(|| {
                let d = format!("{digits}{check}");
                format!("{} {} {}", &d[..3], &d[3..6], &d[6..])
            })
        })
    }

    /// Arbitrary JSON whose free-text fields may hold a patient's NHS number.
    /// Returns the value and every NHS number placed in it.
    fn payload() -> impl Strategy<Value = (Value, Vec<String>)> {
        let leaf = prop_oneof![
            any::<bool>().prop_map(|b| (json!(b), vec![])),
            any::<i64>().prop_map(|n| (json!(n), vec![])),
            "[a-z ]{0,12}".prop_map(|t| (json!(t), vec![])),
            Just((Value::Null, vec![])),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(|items| {
                    let found = items.iter().flat_map(|(_, f)| f.clone()).collect();
                    (
                        Value::Array(items.into_iter().map(|(v, _)| v).collect()),
                        found,
                    )
                }),
                prop::collection::vec(
                    (
                        prop::sample::select(OTHER.to_vec()),
                        inner,
                        prop::option::of((
                            prop::sample::select(FREE_TEXT.to_vec()),
                            "[A-Za-z ]{0,10}",
                            nhs_number(),
                        )),
                    ),
                    0..5,
                )
                .prop_map(|fields| {
                    let mut map = serde_json::Map::new();
                    let mut found = Vec::new();
                    for (key, (value, inner_found), patient) in fields {
                        found.extend(inner_found);
                        map.insert(key.to_string(), value);
                        if let Some((free, words, nhs)) = patient {
                            map.insert(
                                free.to_string(),
                                json!(format!("{words} NHS number {nhs} {words}")),
                            );
                            found.push(nhs);
                        }
                    }
                    (Value::Object(map), found)
                }),
            ]
        })
    }

    /// Every value in every table a payload can reach, as text.
    fn everything_stored(conn: &Connection) -> String {
        let mut all = String::new();
        for table in ["inbound", "members", "status_events", "audit", "settings"] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for i in 0..columns {
                    let cell = match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    };
                    all.push_str(&cell);
                    all.push('\n');
                }
            }
        }
        all
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Whatever a payload looks like, no NHS number in a free-text field
        /// survives scrubbing, nor reaches the database when applied.
        #[test]
        fn no_blocked_free_text_is_stored_from_any_payload(
            (value, found) in payload(),
            (message, in_message) in payload(),
        ) {
            let mut value = value;
            if let Value::Object(map) = &mut value {
                // Often a message list, so the message paths are exercised too.
                map.insert("messages".into(), json!([message]));
                map.insert("metadata".into(), json!({"phone_number_id": "1"}));
            }
            let body = serde_json::to_vec(&json!({
                "object": "whatsapp_business_account",
                "entry": [{"id": "0", "changes": [{"field": "messages", "value": value}]}]
            })).unwrap();
            let ours = Ours::new(Some("1"), Some("0"));
            let stored = scrub(&body, &ours).body;
            let conn = open_in_memory();
            let now = Timestamp::from_second(1_800_000_000).unwrap();
            super::super::apply_payload(&conn, &stored, &ours, Source::Webhook, now).unwrap();
            let stored = String::from_utf8_lossy(&stored).into_owned();
            let db = everything_stored(&conn);
            for nhs in found.iter().chain(&in_message) {
                prop_assert!(!stored.contains(nhs.as_str()), "{} kept in {}", nhs, stored);
                prop_assert!(!db.contains(nhs.as_str()), "{} stored: {}", nhs, db);
            }
        }
    }

    #[test]
    fn structural_fields_stay_exact_and_unblocked_text_is_untouched() {
        let body = serde_json::to_vec(&json!({
            "entry": [{"changes": [{"field": "messages", "value": {
                "metadata": {"phone_number_id": "1"},
                "messages": [{"id": "9991234519", "from": "447700900001", "type": "text",
                              "text": {"body": "Is the Leeds depot open on Monday?"}}]
            }}]}]
        }))
        .unwrap();
        let ours = Ours::new(Some("1"), None);
        assert_eq!(
            scrub(&body, &ours).body,
            body,
            "nothing blocked: the same bytes"
        );
    }

    #[test]
    fn what_is_not_ours_is_dropped_and_unread_fields_keep_only_their_name() {
        let ours = Ours::new(Some("1"), Some("10"));
        let number = |id: &str| json!({"phone_number_id": id});
        let body = serde_json::to_vec(&json!({"entry": [
            {"id": "10", "changes": [
                {"field": "messages", "value": {"metadata": number("2"),
                    "messages": [{"id": "w1", "from": "447700900001", "type": "text",
                                  "text": {"body": "Quince"}}]}},
                {"field": "calls", "value": {"metadata": number("1"),
                    "calls": [{"from": "447700900002", "id": "c1"}]}},
                {"field": "message_template_status_update", "value": {"event": "APPROVED"}}
            ]},
            {"id": "20", "changes": [
                {"field": "message_template_status_update", "value": {"event": "PAUSED"}}
            ]}
        ]}))
        .unwrap();
        let scrubbed = scrub(&body, &ours);
        assert_eq!(scrubbed.not_ours, 2);
        let kept: Value = serde_json::from_slice(&scrubbed.body).unwrap();
        assert_eq!(
            kept,
            json!({"entry": [
                {"id": "10", "changes": [
                    {"field": "calls"},
                    {"field": "message_template_status_update", "value": {"event": "APPROVED"}}
                ]},
                {"id": "20", "changes": []}
            ]})
        );
    }

    /// A change that names no field cannot be told ours or anyone's, nor
    /// what it holds: nothing of it is kept, whatever it carries.
    #[test]
    fn a_change_without_a_field_keeps_nothing_it_carries() {
        let ours = Ours::new(Some("1"), Some("10"));
        let body = serde_json::to_vec(&json!({"entry": [{"id": "10", "changes": [
            {"value": {"metadata": {"phone_number_id": "2"},
                "contacts": [{"profile": {"name": "Quincy Example"}}],
                "messages": [{"id": "w1", "from": "447700900123", "type": "text",
                              "text": {"body": "NHS 999 000 0018"}}]}}
        ]}]}))
        .unwrap();
        let kept = String::from_utf8(scrub(&body, &ours).body).unwrap();
        for gone in ["Quincy", "999 000 0018", "447700900123", "w1"] {
            assert!(!kept.contains(gone), "{gone} kept in {kept}");
        }
    }

    /// Erasing one member never takes another's STOP or status that came in
    /// the same payload.
    #[test]
    fn without_a_number_only_the_items_naming_it_go() {
        let erased = E164::from_stored("+447700900001".into());
        let body = serde_json::to_vec(&json!({"entry": [{"id": "10", "changes": [
            {"field": "messages", "value": {"metadata": {"phone_number_id": "1"},
                "contacts": [{"wa_id": "447700900001"}, {"wa_id": "447700900002"}],
                "messages": [
                    {"id": "w1", "from": "447700900001", "type": "text", "text": {"body": "Hi"}},
                    {"id": "w2", "from": "447700900002", "type": "text", "text": {"body": "STOP"}}
                ],
                "statuses": [{"id": "s1", "status": "read", "recipient_id": "447700900002"}]}}
        ]}]}))
        .unwrap();
        let kept = String::from_utf8(without_number(&body, &erased).unwrap()).unwrap();
        assert!(!kept.contains("900001") && !kept.contains("w1"), "{kept}");
        for stays in ["w2", "STOP", "s1", "447700900002"] {
            assert!(kept.contains(stays), "{stays} lost: {kept}");
        }
        assert_eq!(
            without_number(b"{\"note\": \"07700 900001\"}", &erased),
            None,
            "a payload naming the number outside any list goes whole"
        );
    }
}
