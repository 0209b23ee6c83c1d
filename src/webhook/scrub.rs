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

use serde_json::Value;

use crate::screen::{self, Severity};

/// Keys whose values Meta sets (identifiers, numbers, enums, timestamps):
/// never free text a member typed, and matching depends on them staying
/// exact, so they are not screened.
const STRUCTURAL: [&str; 22] = [
    "id",
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

/// Returns the payload to store: the original bytes when nothing was
/// removed, else the payload with every blocked field replaced. A body that
/// is not JSON is returned as it is (it is refused before this point).
pub fn scrub(body: &[u8]) -> Vec<u8> {
    let Ok(mut root) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    let mut removed = false;
    if let Some(entries) = root.get_mut("entry").and_then(Value::as_array_mut) {
        for entry in entries {
            let Some(changes) = entry.get_mut("changes").and_then(Value::as_array_mut) else {
                continue;
            };
            for change in changes {
                if let Some(value) = change.get_mut("value") {
                    drop_third_parties(value, &mut removed);
                    walk(value, None, &mut removed);
                }
            }
        }
    }
    if removed {
        serde_json::to_vec(&root).unwrap_or_else(|_| body.to_vec())
    } else {
        body.to_vec()
    }
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
    if key.is_some_and(|k| STRUCTURAL.contains(&k)) {
        return;
    }
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
