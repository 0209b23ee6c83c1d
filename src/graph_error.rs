//! Graph API errors: the class that says what a send does next, and what a
//! code means in the team's words. One owner for every error code's meaning,
//! used by the sender, status updates, lapsed evidence and reports.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::db::text_enum::text_enum;

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

/// What a Graph error code means, in the team's words, for the evidence.
pub fn meaning(code: i64) -> &'static str {
    match code {
        131026 => "not on WhatsApp or unreachable (an old app, or terms not accepted)",
        131009 => "the number or another value was not valid",
        131021 => "the recipient is our own number",
        131030 => "not in the allowed list of a test number",
        131050 => "the member stopped marketing messages",
        131047 => "outside the 24-hour window",
        131049 => "Meta chose not to deliver (marketing limit)",
        _ => "see the WhatsApp error codes",
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
