//! The WhatsApp Cloud API client: template sends, and Graph errors parsed into
//! a class that says what to do next.

use std::fmt;
use std::time::Duration;

use anyhow::Result;
use serde_json::{Value, json};

use crate::config::{Secret, Whatsapp};
use crate::event::{StatusError, StatusEvent, StatusKind};
use crate::graph_error::GraphError;
use crate::phone::E164;

pub mod free_form;
pub mod lookup;

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
        let http = crate::net::client(timeout)?;
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
        self.send(&free_form::text(to, text)).await
    }

    /// A free-form body built by [`free_form`]: only inside the member's
    /// 24-hour window (outside it Meta answers 131047).
    pub async fn send_free_form(&self, body: &Value) -> SendOutcome {
        self.send(body).await
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
