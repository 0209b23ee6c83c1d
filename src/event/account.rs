//! Template, number and account reports: webhook fields other than
//! delivery statuses and inbound messages (`message_template_status_update`,
//! `phone_number_quality_update`, `account_update`, `user_preferences`,
//! `value.errors`, …). Of a field mot does not know only the name and the
//! time are read: its payload can hold numbers, names, message text and places.

use serde_json::Value;

use super::{Event, id_field, integer, string_field};

/// The webhook fields mot reads (besides `messages`, handled elsewhere).
pub const KNOWN_FIELDS: [&str; 7] = [
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
    "phone_number_quality_update",
    "account_update",
    "account_alerts",
    "user_preferences",
];

/// The pseudo-field under which `value.errors[]` items are stored.
pub const ERRORS_FIELD: &str = "errors";

/// One account event, parsed from a webhook change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    pub field: String,
    /// `value.event`, a quality score, a preference or an error code: the
    /// one word that says what happened.
    pub event: Option<String>,
    pub known: bool,
    /// `entry[].id`: the WhatsApp Business Account.
    pub business_account: Option<String>,
    pub template_name: Option<String>,
    pub template_language: Option<String>,
    /// For `user_preferences`: the member's WhatsApp id (never stored).
    pub wa_id: Option<String>,
    /// Unix seconds: `entry[].time`, else the item's `timestamp`.
    pub time: Option<i64>,
    /// The change's value (or the one list item), as Meta sent it; `Null`
    /// for a field mot does not know, whose payload is never read.
    pub value: Value,
}

/// Whether mot reads a webhook field (`messages`, or one of [`KNOWN_FIELDS`]):
/// of any other only the name is kept.
pub fn is_read(field: &str) -> bool {
    field == "messages" || KNOWN_FIELDS.contains(&field)
}

/// The account events of one change of ours: the errors and marketing
/// preferences in its lists (one event each), then the change itself
/// (unless it is `messages` or `user_preferences`, whose items are the
/// events). A field mot does not read is one event with its name only.
pub(super) fn parse_change(entry: &Value, field: &str, value: &Value, out: &mut Vec<Event>) {
    let business_account = id_field(entry, "id");
    let entry_time = entry.get("time").and_then(integer);
    let base = |field: &str, value: &Value, known: bool| AccountEvent {
        field: field.to_owned(),
        event: None,
        known,
        business_account: business_account.clone(),
        template_name: None,
        template_language: None,
        wa_id: None,
        time: entry_time.or_else(|| value.get("timestamp").and_then(integer)),
        value: value.clone(),
    };
    if !is_read(field) {
        let mut e = base(field, &Value::Null, false);
        e.time = entry_time;
        out.push(Event::Account(e));
        return;
    }
    // Errors and preferences sit in lists inside the value: one event each.
    let list = |key: &str| value.get(key).and_then(Value::as_array);
    // Errors Meta puts inside a message item are the same kind of
    // report as `value.errors` and are kept the same way.
    let item_errors = list("messages")
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("errors").and_then(Value::as_array))
        .flatten();
    for error in list("errors").into_iter().flatten().chain(item_errors) {
        let mut e = base(ERRORS_FIELD, error, true);
        e.event = error.get("code").and_then(integer).map(|c| c.to_string());
        out.push(Event::Account(e));
    }
    for pref in list("user_preferences").into_iter().flatten() {
        let mut e = base("user_preferences", pref, true);
        e.event = string_field(pref, "value").map(|v| v.to_ascii_lowercase());
        e.wa_id = id_field(pref, "wa_id");
        e.time = pref.get("timestamp").and_then(integer).or(entry_time);
        out.push(Event::Account(e));
    }
    if field == "messages" || field == "user_preferences" {
        return;
    }
    let mut e = base(field, value, true);
    e.event = match field {
        "message_template_quality_update" => string_field(value, "new_quality_score"),
        "template_category_update" => string_field(value, "new_category"),
        "account_alerts" => value
            .get("alert_info")
            .and_then(|a| string_field(a, "alert_type")),
        _ => string_field(value, "event"),
    };
    e.template_name = string_field(value, "message_template_name");
    e.template_language = string_field(value, "message_template_language");
    out.push(Event::Account(e));
}
