//! Inbound message payloads as Meta POSTs them to a webhook: a person's text,
//! or their answer to reply buttons or a list. Used by `post_webhook` and the
//! integration tests (unsigned: sign the body with the app secret to post it).
#![allow(dead_code)] // each user (tests, post_webhook, benches) takes what it needs

use serde_json::{Value, json};

/// The phone number id and business account of the fixtures and the mock.
const PHONE_NUMBER_ID: &str = "1234567890";
const BUSINESS_ACCOUNT_ID: &str = "0000000000000001";

/// One inbound message, built up and turned into a payload by [`Message::payload`].
#[derive(Debug, Clone)]
pub struct Message {
    /// The sender's digits (`447700900123`).
    pub from: String,
    /// The WhatsApp profile name sent in `contacts[]`.
    pub name: Option<String>,
    pub id: String,
    /// Unix seconds.
    pub timestamp: u64,
    /// The wamid of our message this answers (`context.id`).
    pub quote: Option<String>,
    /// The message's own part: `{"type": "text", "text": {...}}` and so on.
    pub content: Value,
}

impl Message {
    fn new(from: &str, content: Value) -> Message {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        Message {
            from: from.trim_start_matches('+').to_string(),
            name: None,
            id: format!("wamid.IN{:016X}", fastrand::u64(..)),
            timestamp: now,
            quote: None,
            content,
        }
    }

    /// A typed text.
    pub fn text(from: &str, body: &str) -> Message {
        Message::new(from, json!({"type": "text", "text": {"body": body}}))
    }

    /// A tapped reply button (`title` is what the button said).
    pub fn button_reply(from: &str, id: &str, title: &str) -> Message {
        Message::new(
            from,
            json!({"type": "interactive", "interactive": {
                "type": "button_reply", "button_reply": {"id": id, "title": title}}}),
        )
    }

    /// A row chosen from a list (`title` is what the row said).
    pub fn list_reply(from: &str, id: &str, title: &str) -> Message {
        Message::new(
            from,
            json!({"type": "interactive", "interactive": {
                "type": "list_reply", "list_reply": {"id": id, "title": title}}}),
        )
    }

    pub fn named(mut self, name: &str) -> Message {
        self.name = Some(name.to_string());
        self
    }

    pub fn quoting(mut self, wamid: &str) -> Message {
        self.quote = Some(wamid.to_string());
        self
    }

    /// Sent `seconds` ago by the person's clock (Meta's timestamp).
    pub fn ago(mut self, seconds: u64) -> Message {
        self.timestamp = self.timestamp.saturating_sub(seconds);
        self
    }

    /// The whole webhook payload.
    pub fn payload(&self) -> Value {
        let mut message = json!({
            "from": self.from,
            "id": self.id,
            "timestamp": self.timestamp.to_string(),
        });
        if let (Some(m), Some(c)) = (message.as_object_mut(), self.content.as_object()) {
            m.extend(c.clone());
        }
        if let Some(quote) = &self.quote {
            message["context"] = json!({"from": "447700900999", "id": quote});
        }
        let mut contact = json!({"wa_id": self.from});
        if let Some(name) = &self.name {
            contact["profile"] = json!({"name": name});
        }
        json!({
            "object": "whatsapp_business_account",
            "entry": [{
                "id": BUSINESS_ACCOUNT_ID,
                "changes": [{
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": "447700900999", "phone_number_id": PHONE_NUMBER_ID},
                        "contacts": [contact],
                        "messages": [message],
                    },
                }],
            }],
        })
    }
}
