//! The WhatsApp Cloud API client: template sends, and Graph errors parsed into
//! a class that says what to do next.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{Secret, Whatsapp};
use crate::db::text_enum::text_enum;
use crate::phone::E164;
use crate::webhook::event::{StatusError, StatusEvent, StatusKind};

pub mod lookup;

text_enum! {
    /// What a Graph error means for the broadcast (see the WhatsApp doc's table).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ErrorClass {
        /// Throughput or call-rate limit: slow the whole run down, then retry.
        Throttled = "throttled",
        /// Too many messages to one member too fast: delay that member, then retry.
        PairLimit = "pair_limit",
        /// Maintenance, server error, unknown: retry with backoff, then fail the row.
        Transient = "transient",
        /// Account blocked, spam limit, payment: pause the broadcast.
        Account = "account",
        /// Token or permission problem: pause the broadcast.
        Token = "token",
        /// Template missing, paused or wrong: pause the broadcast.
        Template = "template",
        /// The member cannot receive it (not on WhatsApp, bad number…): fail the row.
        Member = "member",
        /// The member has stopped marketing messages: fail the row, treat as opt-out.
        OptedOut = "opted_out",
        /// Meta chose not to deliver (not the member's fault): fail the row.
        Platform = "platform",
        /// A request Meta says is malformed: our bug or bad data; fail the row.
        Invalid = "invalid",
    }
}

impl ErrorClass {
    /// Classifies a Graph error code, with the HTTP status for codes it does not know.
    pub fn of(code: i64, http_status: u16) -> ErrorClass {
        match code {
            130429 | 4 | 80007 => ErrorClass::Throttled,
            131056 => ErrorClass::PairLimit,
            131057 | 131016 | 131000 | 1 | 2 => ErrorClass::Transient,
            131048 | 368 | 131031 | 131042 => ErrorClass::Account,
            190 | 0 | 3 | 10 | 200..=299 => ErrorClass::Token,
            132000..=132999 => ErrorClass::Template,
            131026 | 131009 | 131021 | 131030 => ErrorClass::Member,
            131050 => ErrorClass::OptedOut,
            131049 | 131047 => ErrorClass::Platform,
            100 | 131008 | 131051 => ErrorClass::Invalid,
            _ if http_status == 429 => ErrorClass::Throttled,
            _ if http_status == 401 => ErrorClass::Token,
            _ => ErrorClass::Transient,
        }
    }

    /// Whether this error stops the whole broadcast until someone fixes it.
    pub fn pauses(self) -> bool {
        matches!(
            self,
            ErrorClass::Account | ErrorClass::Token | ErrorClass::Template
        )
    }

    /// What to tell the operator for a pausing error. `token_source` names
    /// where the token was set (see [`crate::config::Secret::source`]).
    pub fn pause_help(self, token_source: &str) -> String {
        match self {
            ErrorClass::Token => {
                let source = if token_source.is_empty() {
                    "MOT_WHATSAPP_TOKEN or [whatsapp] token_file"
                } else {
                    token_source
                };
                format!("check the access token (set in {source}) and its permissions")
            }
            ErrorClass::Template => {
                "check [broadcast] template, language and body_params match an approved template"
                    .to_string()
            }
            _ => "check the WhatsApp Business account's status and quality in Meta's Business Manager"
                .to_string(),
        }
    }
}

/// An error answered by the Graph API, body kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub http_status: u16,
    pub code: i64,
    pub message: String,
    pub details: Option<String>,
    pub class: ErrorClass,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (code {}, HTTP {})",
            self.message, self.code, self.http_status
        )?;
        if let Some(d) = &self.details {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    error_data: Option<Value>,
}

impl GraphError {
    /// Parses an error answer; a body that is not a Graph error still gives a
    /// class from the HTTP status, and keeps (the start of) the body.
    pub fn parse(http_status: u16, body: &str) -> GraphError {
        match serde_json::from_str::<ErrorEnvelope>(body) {
            Ok(ErrorEnvelope { error }) => {
                let code = error.code.unwrap_or(-1);
                GraphError {
                    http_status,
                    code,
                    message: error.message,
                    details: error
                        .error_data
                        .as_ref()
                        .and_then(|d| d.get("details"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    class: ErrorClass::of(code, http_status),
                }
            }
            Err(_) => GraphError {
                http_status,
                code: -1,
                message: format!(
                    "HTTP {http_status}: {}",
                    body.chars().take(200).collect::<String>()
                ),
                details: None,
                class: if http_status == 429 {
                    ErrorClass::Throttled
                } else if http_status == 401 {
                    ErrorClass::Token
                } else if http_status >= 500 {
                    ErrorClass::Transient
                } else {
                    ErrorClass::Invalid
                },
            },
        }
    }
}

/// What became of one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted by WhatsApp (not yet delivered): the id every status refers to.
    Accepted { wamid: String },
    /// WhatsApp answered with an error: it was not sent.
    Rejected(GraphError),
    /// The request never left (connection refused): safe to retry.
    NotSent(String),
    /// The request may have been sent but no answer came (timeout, reset):
    /// never re-sent automatically.
    Unknown(String),
}

/// A template message, ready to send to anyone.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub language: String,
    pub params: Vec<String>,
    /// The template's buttons that take a parameter, in the template's
    /// button order (empty for templates without them).
    pub buttons: Vec<Button>,
}

/// A parameter for one of a template's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Button {
    /// A quick-reply button's payload, echoed back when it is tapped.
    QuickReply(String),
    /// The end of a URL button's link (the template's `{{1}}`).
    Url(String),
}

/// The WhatsApp Cloud API, at a configurable base URL (the test seam).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    messages_url: String,
    history_url: String,
    token: Secret,
}

impl Client {
    /// Where the token this client sends was set, for advice about it.
    pub fn token_source(&self) -> &str {
        self.token.source()
    }

    pub fn new(w: &Whatsapp, timeout: Duration) -> Result<Client> {
        let (Some(phone_number_id), Some(token)) = (w.phone_number_id.as_deref(), w.token.clone())
        else {
            return Err(crate::exit::missing(crate::exit::Exit::Error, &w.missing())
                .expect("something is missing"));
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("mot/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .context("cannot set up the HTTPS client")?;
        let number_url = format!("{}/{}/{phone_number_id}", w.api_base, w.api_version);
        Ok(Client {
            http,
            messages_url: format!("{number_url}/messages"),
            history_url: format!("{number_url}/message_history"),
            token,
        })
    }

    /// The exact JSON body sent for one recipient.
    pub fn template_body(to: &E164, t: &Template, callback: &str) -> Value {
        let params: Vec<Value> = t
            .params
            .iter()
            .map(|p| json!({ "type": "text", "text": p }))
            .collect();
        let mut components = vec![json!({ "type": "body", "parameters": params })];
        for (i, button) in t.buttons.iter().enumerate() {
            let (sub_type, parameter) = match button {
                Button::QuickReply(payload) => (
                    "quick_reply",
                    json!({ "type": "payload", "payload": payload }),
                ),
                Button::Url(suffix) => ("url", json!({ "type": "text", "text": suffix })),
            };
            components.push(json!({
                "type": "button",
                "sub_type": sub_type,
                "index": i.to_string(),
                "parameters": [parameter],
            }));
        }
        json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.digits(),
            "type": "template",
            "biz_opaque_callback_data": callback,
            "template": {
                "name": t.name,
                "language": { "code": t.language },
                "components": components,
            },
        })
    }

    pub async fn send_template(&self, to: &E164, t: &Template, callback: &str) -> SendOutcome {
        self.send(&Self::template_body(to, t, callback)).await
    }

    /// Free text: only inside the member's 24-hour window (an automatic reply).
    pub async fn send_text(&self, to: &E164, text: &str) -> SendOutcome {
        let body = json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.digits(),
            "type": "text",
            "text": { "preview_url": false, "body": text },
        });
        self.send(&body).await
    }

    /// Every status event WhatsApp holds for one message we sent.
    pub async fn message_history(&self, wamid: &str) -> Result<Vec<StatusEvent>, HistoryError> {
        let mut events = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![
                ("message_id", wamid.to_string()),
                (
                    "fields",
                    "id,message_id,events{delivery_status,timestamp,error_description}".to_string(),
                ),
            ];
            if let Some(a) = &after {
                query.push(("after", a.clone()));
            }
            let response = self
                .http
                .get(&self.history_url)
                .bearer_auth(self.token.expose())
                .query(&query)
                .send()
                .await
                .map_err(|e| HistoryError::Transport(describe(&e)))?;
            let status = response.status().as_u16();
            let text = response
                .text()
                .await
                .map_err(|e| HistoryError::Transport(describe(&e)))?;
            if status != 200 {
                return Err(HistoryError::Graph(GraphError::parse(status, &text)));
            }
            let page: Value = serde_json::from_str(&text).map_err(|_| {
                HistoryError::Transport(format!(
                    "not JSON: {}",
                    text.chars().take(200).collect::<String>()
                ))
            })?;
            for entry in page["data"].as_array().into_iter().flatten() {
                let id = entry["message_id"].as_str().unwrap_or(wamid);
                for e in entry["events"]["data"].as_array().into_iter().flatten() {
                    let Some(status) = e["delivery_status"].as_str().and_then(StatusKind::parse)
                    else {
                        continue; // DELETED and anything new: nothing to move
                    };
                    let timestamp = e["timestamp"]
                        .as_i64()
                        .or_else(|| e["timestamp"].as_str().and_then(|t| t.parse().ok()))
                        .unwrap_or(0);
                    let error = (status == StatusKind::Failed).then(|| {
                        let description = e["error_description"]
                            .as_str()
                            .unwrap_or("failed")
                            .to_string();
                        StatusError {
                            code: e["error_code"]
                                .as_i64()
                                .or_else(|| code_in(&description))
                                .unwrap_or(-1),
                            title: description,
                            message: None,
                            details: None,
                        }
                    });
                    events.push(StatusEvent {
                        wamid: id.to_string(),
                        status,
                        timestamp,
                        recipient_id: None,
                        callback: None,
                        error,
                    });
                }
            }
            match (
                page.pointer("/paging/next"),
                page.pointer("/paging/cursors/after")
                    .and_then(Value::as_str),
            ) {
                (Some(_), Some(a)) => after = Some(a.to_string()),
                _ => return Ok(events),
            }
        }
    }

    async fn send(&self, body: &Value) -> SendOutcome {
        let response = self
            .http
            .post(&self.messages_url)
            .bearer_auth(self.token.expose())
            .json(body)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) if e.is_connect() => return SendOutcome::NotSent(describe(&e)),
            Err(e) => return SendOutcome::Unknown(describe(&e)),
        };
        let status = response.status().as_u16();
        let text = match response.text().await {
            Ok(t) => t,
            Err(e) => return SendOutcome::Unknown(describe(&e)),
        };
        if status == 200 {
            let wamid = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
                v.pointer("/messages/0/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            return match wamid {
                Some(wamid) => SendOutcome::Accepted { wamid },
                // Accepted, but we cannot track it: say so rather than guess.
                None => SendOutcome::Unknown(format!(
                    "HTTP 200 without a message id: {}",
                    text.chars().take(200).collect::<String>()
                )),
            };
        }
        SendOutcome::Rejected(GraphError::parse(status, &text))
    }
}

/// Why a message-history lookup failed.
#[derive(Debug, Clone)]
pub enum HistoryError {
    Graph(GraphError),
    Transport(String),
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Graph(e) => e.fmt(f),
            HistoryError::Transport(e) => f.write_str(e),
        }
    }
}

/// The code in a Graph description such as "(#131026) Message undeliverable".
fn code_in(description: &str) -> Option<i64> {
    let rest = description.strip_prefix("(#")?;
    rest[..rest.find(')')?].parse().ok()
}

/// A transport error without the URL (which is harmless, but noisy) or any header.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    let mut source = std::error::Error::source(e);
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    match last {
        Some(cause) => format!("{kind}: {cause}"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_by_code_not_status() {
        let throttled = r#"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
            "error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},"fbtrace_id":"x"}}"#;
        let e = GraphError::parse(400, throttled);
        assert_eq!(e.class, ErrorClass::Throttled);
        assert_eq!(e.code, 130429);
        assert_eq!(
            e.details.as_deref(),
            Some("Cloud API message throughput has been reached.")
        );

        let cases = [
            (131026, 400, ErrorClass::Member),
            (131056, 400, ErrorClass::PairLimit),
            (131048, 400, ErrorClass::Account),
            (190, 401, ErrorClass::Token),
            (132001, 400, ErrorClass::Template),
            (131000, 500, ErrorClass::Transient),
            (131050, 400, ErrorClass::OptedOut),
            (131049, 400, ErrorClass::Platform),
            (100, 400, ErrorClass::Invalid),
            (4, 400, ErrorClass::Throttled),
        ];
        for (code, status, class) in cases {
            assert_eq!(ErrorClass::of(code, status), class, "{code}");
        }
    }

    #[test]
    fn non_graph_bodies_fall_back_to_the_status() {
        assert_eq!(
            GraphError::parse(429, "slow down").class,
            ErrorClass::Throttled
        );
        assert_eq!(
            GraphError::parse(502, "<html>bad gateway</html>").class,
            ErrorClass::Transient
        );
        assert!(
            GraphError::parse(502, "<html>bad gateway</html>")
                .message
                .contains("bad gateway")
        );
    }
}
