//! Free-form message bodies (`text` and `interactive`): allowed only inside a
//! person's 24-hour customer-service window, without a template. The shapes
//! are Meta's (`tests/data/whatsapp_message_schemas.json` holds the published
//! schemas they are tested against).

use serde_json::{Value, json};

use crate::phone::E164;

/// One reply button: the id echoed back when tapped, and its title (at most 20 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub title: String,
}

/// A text message.
pub fn text(to: &E164, body: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.digits(),
        "type": "text",
        "text": { "preview_url": false, "body": body },
    })
}

/// A question with reply buttons (1 to 3).
pub fn buttons(to: &E164, body: &str, choices: &[Choice]) -> Value {
    let buttons: Vec<Value> = choices
        .iter()
        .map(|c| json!({ "type": "reply", "reply": { "id": c.id, "title": c.title } }))
        .collect();
    interactive(
        to,
        json!({
            "type": "button",
            "body": { "text": body },
            "action": { "buttons": buttons },
        }),
    )
}

/// A question answered by choosing one row of a list (at most 10 rows);
/// `button` opens the list (at most 20 characters), `section` titles it.
pub fn list(to: &E164, body: &str, button: &str, section: &str, rows: &[Choice]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|c| json!({ "id": c.id, "title": c.title }))
        .collect();
    interactive(
        to,
        json!({
            "type": "list",
            "body": { "text": body },
            "action": {
                "button": button,
                "sections": [{ "title": section, "rows": rows }],
            },
        }),
    )
}

fn interactive(to: &E164, interactive: Value) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.digits(),
        "type": "interactive",
        "interactive": interactive,
    })
}

#[cfg(test)]
mod tests;
