//! Delivery statuses and inbound messages: the items of a `messages` change.

use serde_json::{Map, Value};

use super::{Event, id_field, integer, phone_field, string_field, truncate, unrecognised};

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

/// One `messages` change: statuses first, then messages, each in order.
pub(super) fn parse_value(value: &Map<String, Value>, at: &str, events: &mut Vec<Event>) {
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
