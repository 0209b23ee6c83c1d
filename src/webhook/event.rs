//! Parsing WhatsApp webhook payloads into typed events: delivery statuses and inbound messages.
//!
//! Meta retries a webhook for days until we answer it, so one odd item must
//! not sink the rest of its payload: anything we cannot read becomes
//! [`Event::Unrecognised`] for the caller to log, and only a body with no
//! envelope at all is an error. The payload is walked as a
//! [`serde_json::Value`] rather than derived structs for the same reason — a
//! field of an unexpected type costs one item, not the batch.
//!
//! Unrecognised reasons name where the item sat and its wamid, never phone
//! numbers or message text, so they are safe to log.

pub mod json;

use std::fmt;

use serde_json::{Map, Value};

use crate::event::{Ours, Whose};

/// One thing a webhook told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Status(StatusEvent),
    Message(InboundMessage),
    /// An item in a `messages` change that we could not read.
    Unrecognised {
        reason: String,
    },
    /// An item Meta documents that changes nothing mot keeps (a `deleted`
    /// status): read, and not reported as unreadable.
    Noted {
        what: &'static str,
    },
    /// A `messages` change for another number on the same Meta app: counted,
    /// never read (nothing of it is logged either).
    NotOurs,
}

/// Statuses Meta documents that say nothing about delivery.
const NOTED_STATUSES: [&str; 1] = ["deleted"];

crate::db::text_enum::text_enum! {
    /// Where a message we sent has got to.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum StatusKind {
        Sent = "sent",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
    }
}

impl StatusKind {
    /// Accepts any case: webhooks say `delivered`, `message_history` says `DELIVERED`.
    /// Other statuses (`deleted`, `warning`, …) are not deliveries and give `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(s))
    }
}

/// A `value.statuses[]` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    /// The wamid Meta gave us when we sent the message.
    pub wamid: String,
    pub status: StatusKind,
    /// Unix seconds.
    pub timestamp: i64,
    pub recipient_id: Option<String>,
    /// `biz_opaque_callback_data`, echoed back from the send.
    pub callback: Option<String>,
    /// The first of `errors[]`; Meta sends one in practice.
    pub error: Option<StatusError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    pub code: i64,
    pub title: String,
    pub message: Option<String>,
    /// `error_data.details`.
    pub details: Option<String>,
}

/// A `value.messages[]` item, joined with its sender's `value.contacts[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    /// The message's wamid; deduplicate on it, since delivery is at least once.
    pub id: String,
    /// The sender's number as digits; absent for users who hide it behind a username.
    pub from: Option<String>,
    /// The business-scoped user id, when Meta sends one.
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    /// Unix seconds; `None` when Meta sent none or a placeholder (the
    /// message is then dated when mot received it).
    pub timestamp: Option<i64>,
    /// The wamid of our message that this replies to.
    pub context_id: Option<String>,
    pub content: Content,
}

/// What an inbound message carried. Media is recorded by its type and the
/// caption the person wrote (screened like any text): mot never downloads
/// members' attachments, and keeps no file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text {
        body: String,
    },
    /// A template quick-reply button.
    Button {
        payload: Option<String>,
        text: Option<String>,
    },
    /// An interactive `button_reply` or `list_reply`.
    Interactive {
        reply_id: Option<String>,
        title: Option<String>,
    },
    /// `emoji` is absent when the member removed a reaction.
    Reaction {
        message_id: Option<String>,
        emoji: Option<String>,
    },
    ChangedNumber {
        new_wa_id: Option<String>,
        body: Option<String>,
    },
    System {
        body: Option<String>,
    },
    /// The member deleted an earlier message of theirs for everyone.
    Revoke {
        original_id: String,
    },
    /// The member edited an earlier message of theirs; `message` is what it
    /// says now.
    Edit {
        original_id: String,
        message: Box<Content>,
    },
    /// image, audio, video, document, sticker, location, contacts.
    Media {
        kind: String,
        /// What the person wrote under an image, video or document.
        caption: Option<String>,
    },
    /// `unsupported` and types this parser does not know.
    Other {
        kind: String,
    },
}

const MEDIA_KINDS: [&str; 7] = [
    "image", "audio", "video", "document", "sticker", "location", "contacts",
];

/// Media a person makes and sends themselves (a sticker is picked from a
/// set, a location or contact card is someone's place or details).
const WRITTEN_MEDIA: [&str; 4] = ["image", "audio", "video", "document"];

/// Interactive answers a person chose from our message. Others (a
/// `call_permission_reply`, kinds Meta adds) are not replies to it.
const REPLY_KINDS: [&str; 3] = ["button_reply", "list_reply", "nfm_reply"];

impl Content {
    /// The webhook `type` this content came from.
    pub fn kind(&self) -> &str {
        match self {
            Content::Text { .. } => "text",
            Content::Button { .. } => "button",
            Content::Interactive { .. } => "interactive",
            Content::Reaction { .. } => "reaction",
            Content::ChangedNumber { .. } | Content::System { .. } => "system",
            Content::Revoke { .. } => "revoke",
            Content::Edit { .. } => "edit",
            Content::Media { kind, .. } | Content::Other { kind } => kind,
        }
    }

    /// Whether a person wrote or chose this message: text, media they made
    /// (with or without a caption), a button or list reply. Only such a
    /// message is consent to sign up; reactions, stickers, system notices,
    /// `unsupported` items and call-permission answers are not.
    pub fn is_written(&self) -> bool {
        match self {
            Content::Text { .. } | Content::Button { .. } | Content::Interactive { .. } => true,
            Content::Media { kind, .. } => WRITTEN_MEDIA.contains(&kind.as_str()),
            _ => false,
        }
    }

    /// What the member typed or tapped, for keyword matching (STOP) and display.
    pub fn text(&self) -> Option<&str> {
        match self {
            Content::Text { body } => Some(body),
            Content::Button { payload, text } => text.as_deref().or(payload.as_deref()),
            Content::Interactive { title, .. } => title.as_deref(),
            Content::Media { caption, .. } => caption.as_deref(),
            _ => None,
        }
    }
}

/// A body with no webhook envelope to read.
#[derive(Debug)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// Checks a body the way [`parse`] reads it, before it is acknowledged: an
/// error means it can never be applied (answer 400). Returns the bytes to
/// store: the body, with any lone surrogate escape repaired.
pub fn check(body: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, ParseError> {
    let repaired = json::repair(body);
    let root = json::read(&repaired)?;
    entries(&root)?;
    Ok(repaired)
}

/// The envelope's `entry` list.
fn entries(root: &Value) -> Result<&Vec<Value>, ParseError> {
    root.as_object()
        .ok_or_else(|| ParseError("webhook body is not a json object".into()))?
        .get("entry")
        .ok_or_else(|| ParseError("webhook body has no entry list".into()))?
        .as_array()
        .ok_or_else(|| ParseError("webhook body has an entry field that is not a list".into()))
}

/// Parses a webhook body (already signature-checked) into events, in payload
/// order; a `messages` change for a number that is not ours is one [`Event::NotOurs`].
pub fn parse(body: &[u8], ours: &Ours) -> Result<Vec<Event>, ParseError> {
    let root = json::read(body)?;
    let entries = entries(&root)?;

    let mut events = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        let Some(changes) = entry.get("changes") else {
            unrecognised(&mut events, format!("entry {e}: no changes"));
            continue;
        };
        let Some(changes) = changes.as_array() else {
            unrecognised(&mut events, format!("entry {e}: changes is not a list"));
            continue;
        };
        for (c, change) in changes.iter().enumerate() {
            let at = format!("entry {e} change {c}");
            match change.get("field").and_then(Value::as_str) {
                Some("messages") => {}
                // Other subscriptions (account_update, templates, …) are not ours to read.
                Some(_) => continue,
                None => {
                    unrecognised(&mut events, format!("{at}: no field name"));
                    continue;
                }
            }
            let value = change.get("value").unwrap_or(&Value::Null);
            match value.as_object() {
                Some(_) if ours.change(entry, "messages", value) != Whose::Ours => {
                    events.push(Event::NotOurs);
                }
                Some(value) => parse_value(value, &at, &mut events),
                None => unrecognised(&mut events, format!("{at}: value is not an object")),
            }
        }
    }
    Ok(events)
}

fn unrecognised(events: &mut Vec<Event>, reason: String) {
    events.push(Event::Unrecognised { reason });
}

/// One `messages` change: statuses first, then messages, each in order.
fn parse_value(value: &Map<String, Value>, at: &str, events: &mut Vec<Event>) {
    if let Some(statuses) = value.get("statuses") {
        match statuses.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let noted = item.get("status").and_then(Value::as_str).and_then(|s| {
                        NOTED_STATUSES
                            .into_iter()
                            .find(|n| n.eq_ignore_ascii_case(s))
                    });
                    events.push(match noted {
                        Some(what) => Event::Noted { what },
                        None => parse_status(item)
                            .map(Event::Status)
                            .unwrap_or_else(|why| unrecognised_item(at, "status", i, item, why)),
                    });
                }
            }
            None => unrecognised(events, format!("{at}: statuses is not a list")),
        }
    }

    if let Some(messages) = value.get("messages") {
        let contacts: &[Value] = match value.get("contacts") {
            Some(Value::Array(contacts)) => contacts,
            // Contacts only enrich a message; their absence or oddness costs the name, not the message.
            _ => &[],
        };
        match messages.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    events.push(
                        parse_message(item, contacts)
                            .map(Event::Message)
                            .unwrap_or_else(|why| unrecognised_item(at, "message", i, item, why)),
                    );
                }
            }
            None => unrecognised(events, format!("{at}: messages is not a list")),
        }
    }
}

fn unrecognised_item(at: &str, what: &str, i: usize, item: &Value, why: String) -> Event {
    // The wamid lets whoever reads the log find the message in Meta's tools.
    let reason = match id_field(item, "id") {
        Some(id) => format!("{at} {what} {i} ({id}): {why}"),
        None => format!("{at} {what} {i}: {why}"),
    };
    Event::Unrecognised { reason }
}

fn parse_status(item: &Value) -> Result<StatusEvent, String> {
    if !item.is_object() {
        return Err("not an object".into());
    }
    let wamid = id_field(item, "id").ok_or("no id")?;
    let status = match item.get("status") {
        None | Some(Value::Null) => return Err("no status".into()),
        // A voice message `played` was opened: as good as read.
        Some(Value::String(s)) => StatusKind::parse(s)
            .or_else(|| s.eq_ignore_ascii_case("played").then_some(StatusKind::Read))
            .ok_or_else(|| format!("unknown status {:?}", truncate(s)))?,
        Some(_) => return Err("status is not a string".into()),
    };
    let timestamp = timestamp(item)?;
    Ok(StatusEvent {
        wamid,
        status,
        timestamp,
        recipient_id: phone_field(item, "recipient_id"),
        callback: string_field(item, "biz_opaque_callback_data"),
        error: item
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|errors| errors.first())
            .and_then(status_error),
    })
}

/// A failure's reason; `None` when it has no code, since the code is what
/// decides whether a member is unreachable.
fn status_error(error: &Value) -> Option<StatusError> {
    let code = integer(error.get("code")?)?;
    let message = string_field(error, "message");
    let title = string_field(error, "title")
        .or_else(|| message.clone())
        .unwrap_or_default();
    let details = error
        .get("error_data")
        .and_then(|data| string_field(data, "details"));
    Some(StatusError {
        code,
        title,
        message,
        details,
    })
}

fn parse_message(item: &Value, contacts: &[Value]) -> Result<InboundMessage, String> {
    if !item.is_object() {
        return Err("not an object".into());
    }
    let id = id_field(item, "id").ok_or("no id")?;
    // A message is worth more than its time: a placeholder or missing one
    // costs the time (mot's receive time stands in), not the message.
    let timestamp = timestamp(item).ok().filter(|t| *t > 0);
    let from = phone_field(item, "from");
    let from_user_id = id_field(item, "from_user_id");
    let contact = sender_contact(contacts, from.as_deref(), from_user_id.as_deref());
    let user_id = from_user_id.or_else(|| contact.and_then(|c| id_field(c, "user_id")));
    let profile_name = contact
        .and_then(|c| c.get("profile"))
        .and_then(|p| string_field(p, "name"));
    let context_id = item.get("context").and_then(|c| id_field(c, "id"));
    let content = content(item)?;
    Ok(InboundMessage {
        id,
        from,
        user_id,
        profile_name,
        timestamp,
        context_id,
        content,
    })
}

/// The contact entry describing a message's sender: by number, else by user id,
/// else the only contact (Meta sends one per sender).
fn sender_contact<'a>(
    contacts: &'a [Value],
    from: Option<&str>,
    from_user_id: Option<&str>,
) -> Option<&'a Value> {
    let by = |key: &str, want: Option<&str>, phone: bool| {
        let want = want?;
        contacts.iter().find(|c| {
            let have = if phone {
                phone_field(c, key)
            } else {
                id_field(c, key)
            };
            have.as_deref() == Some(want)
        })
    };
    by("wa_id", from, true)
        .or_else(|| by("user_id", from_user_id, false))
        .or(match contacts {
            [only] => Some(only),
            _ => None,
        })
}

fn content(item: &Value) -> Result<Content, String> {
    let kind = match item.get("type") {
        Some(Value::String(kind)) if !kind.is_empty() => kind.as_str(),
        None | Some(Value::Null | Value::String(_)) => "unknown",
        Some(_) => return Err("type is not a string".into()),
    };
    let body = item.get(kind);
    let field = |key: &str| body.and_then(|b| string_field(b, key));
    Ok(match kind {
        // An empty body is odd but still a message; a missing one is not.
        "text" => match body.and_then(|b| b.get("body")).and_then(Value::as_str) {
            Some(text) => Content::Text {
                body: text.to_owned(),
            },
            None => return Err("text message without a body".into()),
        },
        "button" => Content::Button {
            payload: field("payload"),
            text: field("text"),
        },
        "interactive"
            if body
                .and_then(|b| b.get("type"))
                .and_then(Value::as_str)
                .is_some_and(|t| !REPLY_KINDS.contains(&t)) =>
        {
            Content::Other {
                kind: kind.to_owned(),
            }
        }
        "interactive" => {
            let reply = body.and_then(|b| {
                // The reply sits under the key its `type` names; fall back to
                // the two kinds we send in case `type` is missing.
                let named = b.get("type").and_then(Value::as_str).and_then(|t| b.get(t));
                named
                    .or_else(|| b.get("button_reply"))
                    .or_else(|| b.get("list_reply"))
            });
            Content::Interactive {
                reply_id: reply.and_then(|r| id_field(r, "id")),
                title: reply.and_then(|r| string_field(r, "title")),
            }
        }
        "reaction" => Content::Reaction {
            message_id: body.and_then(|b| id_field(b, "message_id")),
            emoji: field("emoji"),
        },
        "system" => {
            let system_type = field("type");
            let body_text = field("body");
            match system_type.as_deref() {
                // `customer_changed_number` is the name older API versions used.
                Some("user_changed_number" | "customer_changed_number") => Content::ChangedNumber {
                    new_wa_id: body.and_then(|b| {
                        phone_field(b, "new_wa_id").or_else(|| phone_field(b, "wa_id"))
                    }),
                    body: body_text,
                },
                _ => Content::System { body: body_text },
            }
        }
        "revoke" | "edit" => {
            let original_id = body
                .and_then(|b| id_field(b, "original_message_id"))
                .ok_or_else(|| format!("{kind} without an original_message_id"))?;
            match body.and_then(|b| b.get("message")) {
                None if kind == "revoke" => Content::Revoke { original_id },
                None => return Err("edit without the edited message".into()),
                // An edit of an edit is not something Meta sends; reading one
                // would recurse as deep as a body cares to nest.
                Some(message)
                    if matches!(
                        message.get("type").and_then(Value::as_str),
                        Some("revoke" | "edit")
                    ) =>
                {
                    return Err("an edit whose message is itself an edit".into());
                }
                Some(message) => Content::Edit {
                    original_id,
                    message: Box::new(content(message)?),
                },
            }
        }
        k if MEDIA_KINDS.contains(&k) => Content::Media {
            kind: k.to_owned(),
            // Only a person's own media carries their words.
            caption: WRITTEN_MEDIA
                .contains(&k)
                .then(|| item.get(k).and_then(|m| string_field(m, "caption")))
                .flatten()
                .filter(|c| !c.trim().is_empty()),
        },
        k => Content::Other {
            kind: truncate(k).to_owned(),
        },
    })
}

/// Unix seconds: a string in webhooks, a number in `message_history` and some mocks.
fn timestamp(item: &Value) -> Result<i64, String> {
    match item.get("timestamp") {
        None | Some(Value::Null) => Err("no timestamp".into()),
        Some(v) => integer(v).ok_or_else(|| "timestamp is not a whole number".into()),
    }
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string field; empty strings count as absent.
fn string_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// An identifier: usually a string, but a number is an easy mistake for a
/// mock or a future API version to make, and costs nothing to accept.
fn id_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        _ => string_field(v, key),
    }
}

/// A phone number as bare digits: Meta sends none, but a `+` from elsewhere must
/// not make the same member look like two.
fn phone_field(v: &Value, key: &str) -> Option<String> {
    let id = id_field(v, key)?;
    match id.strip_prefix('+') {
        Some("") => None,
        Some(digits) => Some(digits.to_owned()),
        None => Some(id),
    }
}

/// Bounds text from the payload that ends up in a log line.
fn truncate(s: &str) -> &str {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/fixtures/webhooks/", $name, ".json"))
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

    fn only(json: &str) -> Event {
        let mut events = events(json);
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
            })
            .collect();
        assert_eq!(
            summary,
            [
                "wamid.TESTBATCH0001 delivered",
                "wamid.TESTBATCH0002 read",
                "wamid.TESTBATCH0003 text",
                "wamid.TESTBATCH0004 text",
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
        let Event::Status(failed) = &events[4] else {
            panic!("{:?}", events[4])
        };
        assert_eq!(failed.error.as_ref().map(|e| e.code), Some(131_049));
    }

    #[test]
    fn non_messages_field_is_ignored() {
        let events = events(fixture!("non_messages_field"));
        assert!(events.is_empty(), "{events:?}");
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
}
