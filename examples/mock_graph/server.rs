//! Local mock of the WhatsApp Cloud API (Meta Graph API): options, state and HTTP handlers.
//!
//! Included as a plain module by the `mock_graph` example, benches and the integration tests
//! (`#[path = "../../examples/mock_graph/server.rs"] mod mock;` in `tests/testsuite/main.rs`),
//! so it uses only axum, tokio, serde_json, fastrand and std, and nothing from the `mot`
//! library.
//!
//! Endpoints (loopback only):
//! - `POST /{version}/{phone_number_id}/messages`: template sends. Checks, in this order:
//!   bearer token (HTTP 401, code 190) → phone number id in the path (400, code 100) →
//!   `server_error_every` (500, code 1) → rate limit (400, code 130429) → body shape
//!   (400, code 100 / 131008 / 132000) → per-recipient `fail` (400, or 401 for 190) →
//!   recorded as accepted → `hang` (never answered) → 200.
//!   Every decision is taken when the request arrives (so the rate limit measures arrival
//!   times); `latency` is then slept before sending whatever answer was decided, errors
//!   included.
//! - `GET /{version}/{phone_number_id}/message_history`: delivery events of accepted
//!   messages, per recipient [`Outcome`]; by `message_id`, or paged with `limit`/`after`.
//! - `GET /{version}/{phone_number_id}?fields=…` and
//!   `GET /{version}/{business_account_id}/message_templates`: the number and its
//!   templates, as [`account::AccountOptions`] describes them (see `account.rs`).
//! - `GET /_mock/received`, `GET /_mock/stats`: unauthenticated views for manual trials.
//!
//! Rate limit: a token bucket holding at most `burst = max(1, rate / 10)` tokens (a tenth
//! of a second's worth, never less than one), full at start, refilled continuously at `rate`
//! tokens per second. Each messages POST that reaches the rate-limit step takes one token;
//! with less than one token left it is answered 130429 and takes none. So a client that
//! never sends two requests less than `1 / rate` seconds apart is never throttled, and a
//! burst of more than `burst` simultaneous requests is.
//!
//! Phone numbers in examples and tests are Ofcom drama numbers (447700900000–447700900999).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

#[path = "account.rs"]
pub mod account;
#[path = "free_form.rs"]
pub mod free_form;
#[path = "inbound.rs"]
pub mod inbound;

/// Bearer token the mock expects unless told otherwise.
pub const DEFAULT_TOKEN: &str = "test-token";
/// Phone number id the mock expects in the path unless told otherwise.
pub const DEFAULT_PHONE_NUMBER_ID: &str = "1234567890";
/// Graph error code of a throttled send.
pub const RATE_LIMIT_CODE: u32 = 130429;

/// Longest `biz_opaque_callback_data` Meta accepts, in characters.
const MAX_CALLBACK_CHARS: usize = 512;
/// Longest total text of the body parameters, in characters.
const MAX_PARAMS_CHARS: usize = 1024;
/// `fbtrace_id` of every error body.
const TRACE_ID: &str = "MOCKTRACE";
/// Default and largest page size of `message_history`.
const HISTORY_DEFAULT_LIMIT: usize = 25;
const HISTORY_MAX_LIMIT: usize = 100;

/// How the mock behaves. Keys of `fail`, `hang` and `history` are recipient digits; a
/// leading '+' is ignored.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct Options {
    /// Expected bearer token; anything else gets HTTP 401, code 190.
    pub token: String,
    /// Expected id in the path; anything else gets HTTP 400, code 100.
    pub phone_number_id: String,
    /// Slept before every messages POST answer (errors included).
    pub latency: Duration,
    /// Messages per second; see the module docs for the token bucket.
    pub rate_limit: Option<f64>,
    /// Recipient digits → Graph error code answered instead of accepting.
    pub fail: HashMap<String, u32>,
    /// Every Nth messages POST that passed the token and path checks gets HTTP 500, code 1.
    pub server_error_every: Option<u64>,
    /// Recipient digits whose sends are accepted and recorded but never answered.
    pub hang: HashSet<String>,
    /// If set, the number of body parameters must equal this (else code 132000).
    pub template_params: Option<usize>,
    /// Delivery outcome of accepted messages in `message_history`.
    pub history_default: Outcome,
    /// Per-recipient delivery outcome, overriding `history_default`.
    pub history: HashMap<String, Outcome>,
    /// Append every accepted send to this file as one JSON line.
    pub record: Option<PathBuf>,
    /// The number's quality and tier, and the business account's templates.
    pub account: account::AccountOptions,
    /// Refuse free-form messages (text, interactive) to anyone who has not
    /// written in the last 24 hours, with code 131047 (see `free_form.rs`).
    pub enforce_window: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: DEFAULT_TOKEN.to_string(),
            phone_number_id: DEFAULT_PHONE_NUMBER_ID.to_string(),
            latency: Duration::ZERO,
            rate_limit: None,
            fail: HashMap::new(),
            server_error_every: None,
            hang: HashSet::new(),
            template_params: None,
            history_default: Outcome::Delivered,
            history: HashMap::new(),
            record: None,
            account: account::AccountOptions::default(),
            enforce_window: false,
        }
    }
}

/// What `message_history` reports for an accepted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(dead_code)]
pub enum Outcome {
    /// No history entry at all.
    None,
    /// SENT.
    Sent,
    /// SENT, DELIVERED.
    #[default]
    Delivered,
    /// SENT, DELIVERED, READ.
    Read,
    /// FAILED with this error code.
    Failed(u32),
}

impl FromStr for Outcome {
    type Err = String;

    /// `none`, `sent`, `delivered`, `read` or `failed:CODE` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "none" => Ok(Outcome::None),
            "sent" => Ok(Outcome::Sent),
            "delivered" => Ok(Outcome::Delivered),
            "read" => Ok(Outcome::Read),
            _ => match lower.strip_prefix("failed:") {
                Some(code) => code
                    .trim()
                    .parse()
                    .map(Outcome::Failed)
                    .map_err(|_| format!("bad error code in {s:?} (expected failed:CODE)")),
                None => Err(format!(
                    "unknown outcome {s:?} (expected none, sent, delivered, read or failed:CODE)"
                )),
            },
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::None => f.write_str("none"),
            Outcome::Sent => f.write_str("sent"),
            Outcome::Delivered => f.write_str("delivered"),
            Outcome::Read => f.write_str("read"),
            Outcome::Failed(code) => write!(f, "failed:{code}"),
        }
    }
}

/// One accepted send.
#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)]
pub struct Received {
    /// Recipient digits, without '+'.
    pub to: String,
    pub wamid: String,
    /// `biz_opaque_callback_data`, if sent.
    pub callback: Option<String>,
    /// The whole request body.
    pub body: Value,
    /// When it was accepted.
    pub at: SystemTime,
}

/// A running mock. The server lives on a tokio task until the runtime shuts down.
#[derive(Debug, Clone)]
pub struct Mock {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

/// A status webhook for a message the mock accepted, as Meta would POST it
/// (unsigned: sign it with the app secret before posting).
#[allow(dead_code)]
pub fn status_webhook(sent: &Received, status: &str, timestamp: u64) -> Value {
    let mut item = serde_json::json!({
        "id": sent.wamid,
        "status": status,
        "timestamp": timestamp.to_string(),
        "recipient_id": sent.to,
    });
    if let Some(callback) = &sent.callback {
        item["biz_opaque_callback_data"] = Value::String(callback.clone());
    }
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "0000000000000001",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": { "display_phone_number": "447700900999", "phone_number_id": DEFAULT_PHONE_NUMBER_ID },
                    "statuses": [item],
                },
            }],
        }],
    })
}

#[allow(dead_code)]
impl Mock {
    /// Starts the mock on 127.0.0.1 with a free port. Must be called inside a tokio runtime.
    pub async fn start(opts: Options) -> std::io::Result<Mock> {
        Mock::start_on(0, opts).await
    }

    /// Starts the mock on 127.0.0.1:`port` (0 = any free port).
    pub async fn start_on(port: u16, opts: Options) -> std::io::Result<Mock> {
        if let Some(rate) = opts.rate_limit
            && !(rate.is_finite() && rate > 0.0)
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("rate limit must be a positive number of messages per second, not {rate}"),
            ));
        }
        let record = match &opts.record {
            Some(path) => Some(OpenOptions::new().create(true).append(true).open(path)?),
            None => None,
        };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(opts, addr, record));
        let app = router(shared.clone());
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app).await {
                eprintln!("mock Graph API on {addr} stopped: {err}");
            }
        });
        Ok(Mock { addr, shared })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Accepted sends, in arrival order (hung sends included).
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().received.clone()
    }

    /// Accepted sends per recipient digits.
    pub fn count_by_recipient(&self) -> HashMap<String, usize> {
        self.shared.lock().count_by_recipient()
    }

    /// Number of answers with code 130429 (rate limit, or a `fail` entry with that code).
    pub fn throttled(&self) -> u64 {
        self.shared.lock().throttled
    }

    /// Number of messages POSTs seen, whatever their answer.
    pub fn requests(&self) -> u64 {
        self.shared.lock().requests
    }

    /// Number of `message_history` GETs seen, whatever their answer.
    pub fn history_requests(&self) -> u64 {
        self.shared.lock().history_requests
    }

    /// Makes sends to `to` fail with `code` from now on (`None`: accept them again).
    pub fn set_fail(&self, to: &str, code: Option<u32>) {
        let mut state = self.shared.lock();
        match code {
            Some(code) => state.fail.insert(digits_key(to), code),
            None => state.fail.remove(&digits_key(to)),
        };
    }

    /// `from` wrote to the business now: their 24-hour window opens.
    pub fn customer_wrote(&self, from: &str) {
        self.shared
            .lock()
            .windows
            .wrote(&digits_key(from), SystemTime::now());
    }

    /// `to`'s 24-hour window is over: free-form sends to them fail with 131047.
    pub fn close_window(&self, to: &str) {
        self.shared.lock().windows.close(&digits_key(to));
    }

    /// Sets what `message_history` reports for messages to `to`, including those already
    /// accepted.
    pub fn set_history(&self, to: &str, outcome: Outcome) {
        self.shared.lock().history.insert(digits_key(to), outcome);
    }
}

/// Configuration that never changes, plus the mutable state.
#[derive(Debug)]
struct Shared {
    token: String,
    phone_number_id: String,
    latency: Duration,
    server_error_every: Option<u64>,
    hang: HashSet<String>,
    template_params: Option<usize>,
    history_default: Outcome,
    account: account::AccountOptions,
    enforce_window: bool,
    base_url: String,
    /// Random per-instance part of wamids, so two mocks never hand out the same one.
    instance: u32,
    state: Mutex<MockState>,
}

#[derive(Debug)]
struct MockState {
    fail: HashMap<String, u32>,
    history: HashMap<String, Outcome>,
    bucket: Option<Bucket>,
    received: Vec<Received>,
    record: Option<File>,
    requests: u64,
    authorised: u64,
    throttled: u64,
    history_requests: u64,
    windows: free_form::Windows,
}

impl Shared {
    fn new(opts: Options, addr: SocketAddr, record: Option<File>) -> Shared {
        Shared {
            token: opts.token,
            phone_number_id: opts.phone_number_id,
            latency: opts.latency,
            server_error_every: opts.server_error_every.filter(|n| *n > 0),
            hang: opts.hang.iter().map(|k| digits_key(k)).collect(),
            template_params: opts.template_params,
            history_default: opts.history_default,
            account: opts.account,
            enforce_window: opts.enforce_window,
            base_url: format!("http://{addr}"),
            instance: fastrand::u32(..),
            state: Mutex::new(MockState {
                fail: keyed(opts.fail),
                history: keyed(opts.history),
                bucket: opts.rate_limit.map(Bucket::new),
                received: Vec::new(),
                record,
                requests: 0,
                authorised: 0,
                throttled: 0,
                history_requests: 0,
                windows: free_form::Windows::default(),
            }),
        }
    }

    /// Locks the state; a panic elsewhere never makes the mock unusable.
    fn lock(&self) -> MutexGuard<'_, MockState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn authorised(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        match value.trim().split_once(' ') {
            Some((scheme, token)) => {
                scheme.eq_ignore_ascii_case("bearer") && token.trim() == self.token
            }
            None => false,
        }
    }

    /// Answer to a request whose token or path id is wrong, if either is.
    fn check_caller(&self, headers: &HeaderMap, id: &str, method: &str) -> Option<Response> {
        if !self.authorised(headers) {
            return Some(graph_error(
                190,
                "Invalid OAuth access token - Cannot parse access token".to_string(),
            ));
        }
        if id != self.phone_number_id {
            return Some(graph_error(
                100,
                format!(
                    "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be \
                     loaded due to missing permissions, or does not support this operation."
                ),
            ));
        }
        None
    }

    /// Decides the answer to a messages POST on arrival. Holds the lock only here.
    fn decide_send(&self, id: &str, headers: &HeaderMap, body: &[u8]) -> Decision {
        // Pure work first, outside the lock; its result is only used at its turn below.
        let parsed = parse_send(body, self.template_params);
        let mut state = self.lock();
        state.requests += 1;
        if let Some(answer) = self.check_caller(headers, id, "post") {
            return Decision::Answer(answer);
        }
        state.authorised += 1;
        if let Some(n) = self.server_error_every
            && state.authorised.is_multiple_of(n)
        {
            return Decision::Answer(graph_error(
                1,
                "Please retry your request later.".to_string(),
            ));
        }
        if let Some(bucket) = state.bucket.as_mut()
            && !bucket.take(Instant::now())
        {
            state.throttled += 1;
            return Decision::Answer(graph_error(
                RATE_LIMIT_CODE,
                "Message failed to send because there were too many messages sent from this \
                 phone number in a short period of time."
                    .to_string(),
            ));
        }
        let send = match parsed {
            Ok(send) => send,
            Err((code, details)) => return Decision::Answer(graph_error(code, details)),
        };
        if self.enforce_window
            && send.free_form
            && !state.windows.is_open(&send.digits, SystemTime::now())
        {
            return Decision::Answer(graph_error(
                free_form::WINDOW_CLOSED,
                "Message failed to send because more than 24 hours have passed since the \
                 customer last replied to this number."
                    .to_string(),
            ));
        }
        if let Some(&code) = state.fail.get(&send.digits) {
            if code == RATE_LIMIT_CODE {
                state.throttled += 1;
            }
            let details = format!("Mock failure configured for recipient {}.", send.digits);
            return Decision::Answer(graph_error(code, details));
        }
        let wamid = format!(
            "wamid.MOCK{:08X}{:08X}",
            self.instance,
            state.received.len() + 1
        );
        let received = Received {
            to: send.digits.clone(),
            wamid: wamid.clone(),
            callback: send.callback,
            body: send.body,
            at: SystemTime::now(),
        };
        if let Some(file) = state.record.as_mut() {
            let line = format!("{}\n", received_json(&received));
            if let Err(err) = file.write_all(line.as_bytes()) {
                eprintln!("mock Graph API: cannot append to the record file: {err}");
            }
        }
        state.received.push(received);
        if self.hang.contains(&send.digits) {
            return Decision::Hang;
        }
        Decision::Answer(
            Json(json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": send.input, "wa_id": send.digits}],
                "messages": [{"id": wamid}],
            }))
            .into_response(),
        )
    }

    fn history(
        &self,
        version: &str,
        id: &str,
        headers: &HeaderMap,
        query: &HashMap<String, String>,
    ) -> Response {
        let mut state = self.lock();
        state.history_requests += 1;
        if let Some(answer) = self.check_caller(headers, id, "get") {
            return answer;
        }
        let after = match query.get("after") {
            None => 0,
            Some(cursor) => match cursor.parse::<usize>() {
                Ok(after) => after,
                Err(_) => return graph_error(100, format!("Invalid cursor 'after': {cursor:?}")),
            },
        };
        let outcome_of = |to: &str| {
            state
                .history
                .get(to)
                .copied()
                .unwrap_or(self.history_default)
        };
        if let Some(message_id) = query.get("message_id") {
            let found = state
                .received
                .iter()
                .enumerate()
                .find(|(index, r)| r.wamid == *message_id && *index >= after);
            let Some((index, received)) = found else {
                return Json(json!({"data": []})).into_response();
            };
            let Some(entry) =
                history_entry(self.instance, index, received, outcome_of(&received.to))
            else {
                return Json(json!({"data": []})).into_response();
            };
            return Json(json!({
                "data": [entry],
                "paging": {"cursors": {"after": (index + 1).to_string()}},
            }))
            .into_response();
        }
        let limit = match query.get("limit") {
            None => HISTORY_DEFAULT_LIMIT,
            Some(limit) => match limit.parse::<usize>() {
                Ok(limit) => limit.clamp(1, HISTORY_MAX_LIMIT),
                Err(_) => return graph_error(100, format!("Invalid limit: {limit:?}")),
            },
        };
        let mut data = Vec::new();
        let mut resume = None;
        for (index, received) in state.received.iter().enumerate().skip(after) {
            let Some(entry) =
                history_entry(self.instance, index, received, outcome_of(&received.to))
            else {
                continue;
            };
            if data.len() == limit {
                resume = Some(index);
                break;
            }
            data.push(entry);
        }
        let mut body = json!({"data": data});
        if let Some(resume) = resume {
            let mut next = format!(
                "{}/{version}/{id}/message_history?limit={limit}&after={resume}",
                self.base_url
            );
            if let Some(fields) = query.get("fields") {
                next.push_str("&fields=");
                next.push_str(&percent_encode(fields));
            }
            body["paging"] = json!({"cursors": {"after": resume.to_string()}, "next": next});
        }
        Json(body).into_response()
    }
}

impl MockState {
    fn count_by_recipient(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for received in &self.received {
            *counts.entry(received.to.clone()).or_insert(0) += 1;
        }
        counts
    }
}

/// What to do with a messages POST.
enum Decision {
    Answer(Response),
    Hang,
}

/// Token bucket; see the module docs.
#[derive(Debug)]
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: f64) -> Bucket {
        let burst = (rate / 10.0).max(1.0);
        Bucket {
            rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    /// Takes a token if there is one.
    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = self.last.max(now);
        // Tolerates float rounding for a client pacing at exactly `rate`.
        if self.tokens >= 1.0 - 1e-9 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Meta's limit on a free-text message body.
const MAX_TEXT_CHARS: usize = 4096;

/// A send that passed the body checks.
struct Send {
    /// `to` as sent.
    input: String,
    /// `to` without '+'.
    digits: String,
    callback: Option<String>,
    body: Value,
    /// A text or interactive message: only inside the 24-hour window.
    free_form: bool,
}

/// Checks a messages POST body like Meta does for template sends; errors are
/// `(code, details)`.
fn parse_send(raw: &[u8], template_params: Option<usize>) -> Result<Send, (u32, String)> {
    let invalid = |details: &str| (100, details.to_string());
    let body: Value = serde_json::from_slice(raw)
        .map_err(|err| (100, format!("Request body is not valid JSON: {err}")))?;
    if !body.is_object() {
        return Err(invalid("Request body must be a JSON object."));
    }
    match body.get("messaging_product") {
        None => return Err(invalid("The parameter messaging_product is required.")),
        Some(v) if v != "whatsapp" => {
            return Err(invalid("Param messaging_product must be \"whatsapp\"."));
        }
        Some(_) => {}
    }
    // Meta defaults recipient_type to "individual" when it is absent.
    if let Some(v) = body.get("recipient_type")
        && v != "individual"
    {
        return Err(invalid("Param recipient_type must be \"individual\"."));
    }
    let input = match body.get("to") {
        None | Some(Value::Null) => return Err(invalid("The parameter to is required.")),
        Some(Value::String(to)) => to.clone(),
        Some(_) => return Err(invalid("Param to must be a string.")),
    };
    let digits = input.strip_prefix('+').unwrap_or(&input).to_string();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "Param to must be a phone number: digits with an optional leading '+'.",
        ));
    }
    match body.get("type").and_then(Value::as_str) {
        None => {
            return Err(invalid(
                "The parameter type is required (the mock supports \"template\", \"text\" and \"interactive\").",
            ));
        }
        // Free text (an automatic reply inside the member's 24-hour window).
        Some("text") => {
            return match body.pointer("/text/body").and_then(Value::as_str) {
                Some(text) if !text.is_empty() && text.chars().count() <= MAX_TEXT_CHARS => {
                    Ok(Send {
                        input,
                        digits,
                        callback: None,
                        body,
                        free_form: true,
                    })
                }
                _ => Err(invalid("Param text['body'] must be 1 to 4096 characters.")),
            };
        }
        // Reply buttons or a list (inside the window too).
        Some("interactive") => {
            free_form::check_interactive(&body)?;
            return Ok(Send {
                input,
                digits,
                callback: None,
                body,
                free_form: true,
            });
        }
        Some("template") => {}
        Some(_) => {
            return Err(invalid(
                "Param type must be \"template\", \"text\" or \"interactive\" (the types the mock supports).",
            ));
        }
    }
    let callback = match body.get("biz_opaque_callback_data") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_CALLBACK_CHARS => Some(s.clone()),
        Some(Value::String(_)) => {
            return Err(invalid(
                "Param biz_opaque_callback_data must be at most 512 characters.",
            ));
        }
        Some(_) => return Err(invalid("Param biz_opaque_callback_data must be a string.")),
    };
    let Some(template) = body.get("template").filter(|t| t.is_object()) else {
        return Err(invalid("The parameter template is required."));
    };
    match template.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => {}
        _ => return Err(invalid("The parameter template['name'] is required.")),
    }
    match template.pointer("/language/code").and_then(Value::as_str) {
        Some(code) if !code.is_empty() => {}
        _ => {
            return Err(invalid(
                "The parameter template['language']['code'] is required.",
            ));
        }
    }
    let components = match template.get("components") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(components)) => components,
        Some(_) => return Err(invalid("Param template['components'] must be an array.")),
    };
    let mut count = 0;
    let mut chars = 0;
    for component in components {
        let Some(kind) = component.get("type").and_then(Value::as_str) else {
            return Err(invalid(
                "Param template['components'][i]['type'] is required.",
            ));
        };
        if !kind.eq_ignore_ascii_case("body") {
            continue;
        }
        let parameters = match component.get("parameters") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(parameters)) => parameters,
            Some(_) => return Err(invalid("Param body['parameters'] must be an array.")),
        };
        for parameter in parameters {
            if parameter.get("type").and_then(Value::as_str) != Some("text") {
                return Err(invalid(
                    "Body parameters must be {\"type\":\"text\",\"text\":...} (the only kind the mock supports).",
                ));
            }
            let Some(text) = parameter.get("text").and_then(Value::as_str) else {
                return Err(invalid(
                    "Param body['parameters'][i]['text'] must be a string.",
                ));
            };
            if text.is_empty() {
                return Err((
                    131008,
                    "Parameter of type text is missing text value".to_string(),
                ));
            }
            if text.contains(['\n', '\t']) || text.contains("     ") {
                return Err(invalid(
                    "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
                ));
            }
            count += 1;
            chars += text.chars().count();
        }
    }
    if chars > MAX_PARAMS_CHARS {
        return Err((
            100,
            format!(
                "Param text too long: body parameters total {chars} characters, more than {MAX_PARAMS_CHARS}"
            ),
        ));
    }
    if let Some(expected) = template_params
        && count != expected
    {
        return Err((
            132000,
            format!(
                "body: number of localizable_params ({count}) does not match the expected number of params ({expected})"
            ),
        ));
    }
    Ok(Send {
        input,
        digits,
        callback,
        body,
        free_form: false,
    })
}

/// The `message_history` entry of an accepted message, or `None` for [`Outcome::None`].
fn history_entry(
    instance: u32,
    index: usize,
    received: &Received,
    outcome: Outcome,
) -> Option<Value> {
    let accepted = received
        .at
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let event = |status: &str, after: u64| json!({"delivery_status": status, "timestamp": accepted + after});
    let events = match outcome {
        Outcome::None => return None,
        Outcome::Sent => vec![event("SENT", 1)],
        Outcome::Delivered => vec![event("SENT", 1), event("DELIVERED", 2)],
        Outcome::Read => vec![event("SENT", 1), event("DELIVERED", 2), event("READ", 3)],
        Outcome::Failed(code) => {
            let mut failed = event("FAILED", 1);
            failed["error_description"] = json!(format!("(#{code}) {}", title(code)));
            failed["error_code"] = json!(code);
            vec![failed]
        }
    };
    Some(json!({
        "id": format!("MOCKHIST{instance:08X}{:08X}", index + 1),
        "message_id": received.wamid,
        "events": {"data": events},
    }))
}

/// Title Meta gives an error code, shown as "(#CODE) Title".
fn title(code: u32) -> &'static str {
    match code {
        1 => "An unknown error occurred",
        4 => "Application request limit reached",
        100 => "Invalid parameter",
        190 => "Invalid OAuth access token",
        368 => "Temporarily blocked for policies violations",
        2500 => "Unknown path components",
        80007 => "Rate limit issues",
        130429 => "Rate limit hit",
        131000 => "Something went wrong",
        131008 => "Required parameter is missing",
        131009 => "Parameter value is not valid",
        131016 => "Service unavailable",
        131021 => "Recipient cannot be sender",
        131026 => "Message undeliverable",
        131030 => "Recipient phone number not in allowed list",
        131047 => "Re-engagement message",
        131048 => "Spam rate limit hit",
        131056 => "(Business Account, Consumer Account) pair rate limit hit",
        132000 => "Number of parameters does not match the expected number of params",
        132001 => "Template name does not exist in the translation",
        _ => "Error",
    }
}

/// A Graph error answer: HTTP 401 for code 190, 500 for code 1, else 400.
fn graph_error(code: u32, details: String) -> Response {
    let status = match code {
        190 => StatusCode::UNAUTHORIZED,
        1 => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let message = format!("(#{code}) {}", title(code));
    let mut response = (
        status,
        Json(json!({
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "fbtrace_id": TRACE_ID,
            }
        })),
    )
        .into_response();
    if code == 190 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token\"",
            ),
        );
    }
    response
}

fn received_json(received: &Received) -> Value {
    let at = received
        .at
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    json!({
        "to": received.to,
        "wamid": received.wamid,
        "callback": received.callback,
        "at": at,
        "body": received.body,
    })
}

/// The map with its recipient keys as stored.
fn keyed<V>(map: HashMap<String, V>) -> HashMap<String, V> {
    map.into_iter().map(|(k, v)| (digits_key(&k), v)).collect()
}

/// Recipient key as stored: a leading '+' dropped.
fn digits_key(to: &str) -> String {
    let to = to.trim();
    to.strip_prefix('+').unwrap_or(to).to_string()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{version}/{phone_number_id}/messages", post(send_message))
        .route(
            "/{version}/{phone_number_id}/message_history",
            get(message_history),
        )
        .route("/{version}/{id}", get(graph_object))
        .route("/{version}/{id}/message_templates", get(message_templates))
        .route("/_mock/received", get(mock_received))
        .route("/_mock/stats", get(mock_stats))
        .route("/_mock/customer_wrote", post(mock_customer_wrote))
        .fallback(unknown_path)
        .with_state(shared)
}

async fn send_message(
    State(shared): State<Arc<Shared>>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match shared.decide_send(&id, &headers, &body) {
        Decision::Hang => std::future::pending().await,
        Decision::Answer(answer) => {
            if !shared.latency.is_zero() {
                tokio::time::sleep(shared.latency).await;
            }
            answer
        }
    }
}

async fn message_history(
    State(shared): State<Arc<Shared>>,
    Path((version, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    shared.history(&version, &id, &headers, &query)
}

/// The phone-number object (quality, messaging-limit tier…).
async fn graph_object(
    State(shared): State<Arc<Shared>>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(answer) = shared.check_caller(&headers, &id, "get") {
        return answer;
    }
    let fields = query.get("fields").map(String::as_str);
    Json(account::number_json(&shared.account, &id, fields)).into_response()
}

/// The business account's templates, by `name` if given, paged.
async fn message_templates(
    State(shared): State<Arc<Shared>>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !shared.authorised(&headers) {
        return graph_error(
            190,
            "Invalid OAuth access token - Cannot parse access token".to_string(),
        );
    }
    if id != shared.account.business_account_id {
        return graph_error(
            100,
            format!("Unsupported get request. Object with ID '{id}' does not exist"),
        );
    }
    let limit = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(25);
    let after = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let name = query.get("name").map(String::as_str);
    Json(account::templates_json(&shared.account, name, limit, after)).into_response()
}

async fn mock_received(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let state = shared.lock();
    Json(Value::Array(
        state.received.iter().map(received_json).collect(),
    ))
}

async fn mock_stats(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let state = shared.lock();
    Json(json!({
        "requests": state.requests,
        "accepted": state.received.len(),
        "throttled": state.throttled,
        "history_requests": state.history_requests,
        "by_recipient": state.count_by_recipient(),
    }))
}

/// `?from=DIGITS` wrote to the business now (post_webhook's `--mock`): their window opens.
async fn mock_customer_wrote(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match query.get("from") {
        Some(from) => {
            shared
                .lock()
                .windows
                .wrote(&digits_key(from), SystemTime::now());
            Json(json!({"window": "open", "from": digits_key(from)})).into_response()
        }
        None => graph_error(100, "The parameter from is required.".to_string()),
    }
}

async fn unknown_path(uri: Uri) -> Response {
    graph_error(2500, format!("Unknown path components: {}", uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO: &str = "447700900001";

    fn template(to: &str, params: &[&str]) -> Value {
        let parameters: Vec<Value> = params
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect();
        json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "template",
            "biz_opaque_callback_data": format!("cb-{to}"),
            "template": {
                "name": "monthly_update",
                "language": {"code": "en_GB"},
                "components": [{"type": "body", "parameters": parameters}],
            },
        })
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    async fn post_with(
        client: &reqwest::Client,
        mock: &Mock,
        token: &str,
        id: &str,
        body: &Value,
    ) -> (u16, Value) {
        let response = client
            .post(format!("{}/v23.0/{id}/messages", mock.base_url()))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    async fn send(client: &reqwest::Client, mock: &Mock, body: &Value) -> (u16, Value) {
        post_with(client, mock, DEFAULT_TOKEN, DEFAULT_PHONE_NUMBER_ID, body).await
    }

    async fn history(client: &reqwest::Client, mock: &Mock, query: &str) -> Value {
        let response = client
            .get(format!(
                "{}/v23.0/{DEFAULT_PHONE_NUMBER_ID}/message_history?{query}",
                mock.base_url()
            ))
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.json().await.unwrap()
    }

    fn code(body: &Value) -> u64 {
        body["error"]["code"]
            .as_u64()
            .unwrap_or_else(|| panic!("not an error: {body}"))
    }

    fn statuses(entry: &Value) -> Vec<&str> {
        entry["events"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["delivery_status"].as_str().unwrap())
            .collect()
    }

    #[tokio::test]
    async fn accepted_send_has_graph_shape_and_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("sent.jsonl");
        let mock = Mock::start(Options {
            record: Some(record.clone()),
            ..Options::default()
        })
        .await
        .unwrap();
        let client = client();
        let (status, body) = send(&client, &mock, &template("+447700900002", &["Ann"])).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["messaging_product"], "whatsapp");
        assert_eq!(body["contacts"][0]["input"], "+447700900002");
        assert_eq!(body["contacts"][0]["wa_id"], "447700900002");
        let wamid = body["messages"][0]["id"].as_str().unwrap();
        assert!(wamid.starts_with("wamid.MOCK"), "{wamid}");

        let (_, second) = send(&client, &mock, &template(TO, &["Bob"])).await;
        assert_ne!(second["messages"][0]["id"], wamid);

        let received = mock.received();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0].to, "447700900002");
        assert_eq!(received[0].wamid, wamid);
        assert_eq!(received[0].callback.as_deref(), Some("cb-+447700900002"));
        assert_eq!(received[0].body["template"]["name"], "monthly_update");
        assert_eq!(mock.requests(), 2);

        let lines: Vec<Value> = std::fs::read_to_string(&record)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["wamid"], wamid);
        assert_eq!(lines[1]["to"], TO);

        let listed: Value = client
            .get(format!("{}/_mock/received", mock.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert_eq!(listed[1]["callback"], format!("cb-{TO}"));
        assert!(listed[0]["at"].as_u64().unwrap() > 1_600_000_000_000);
    }

    #[tokio::test]
    async fn wrong_token_or_phone_number_id_is_refused() {
        let mock = Mock::start(Options::default()).await.unwrap();
        let client = client();
        let body = template(TO, &["Ann"]);
        let (status, error) =
            post_with(&client, &mock, "wrong", DEFAULT_PHONE_NUMBER_ID, &body).await;
        assert_eq!((status, code(&error)), (401, 190));
        assert_eq!(error["error"]["type"], "OAuthException");
        assert_eq!(
            error["error"]["message"],
            "(#190) Invalid OAuth access token"
        );
        assert_eq!(error["error"]["fbtrace_id"], TRACE_ID);

        let response = client
            .post(format!(
                "{}/v23.0/{DEFAULT_PHONE_NUMBER_ID}/messages",
                mock.base_url()
            ))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);

        let (status, error) = post_with(&client, &mock, DEFAULT_TOKEN, "999", &body).await;
        assert_eq!((status, code(&error)), (400, 100));
        assert_eq!(mock.requests(), 3);
        assert!(mock.received().is_empty());
    }

    #[tokio::test]
    async fn malformed_bodies_get_code_100() {
        let mock = Mock::start(Options::default()).await.unwrap();
        let client = client();
        let mut cases: Vec<(&str, Value)> = Vec::new();
        let mut case = |what, edit: &dyn Fn(&mut Value)| {
            let mut body = template(TO, &["Ann", "Bob"]);
            edit(&mut body);
            cases.push((what, body));
        };
        case("product", &|b| b["messaging_product"] = json!("sms"));
        case("no product", &|b| {
            b.as_object_mut().unwrap().remove("messaging_product");
        });
        case("recipient_type", &|b| b["recipient_type"] = json!("group"));
        case("no to", &|b| {
            b.as_object_mut().unwrap().remove("to");
        });
        case("to letters", &|b| b["to"] = json!("44770090000x"));
        case("to spaces", &|b| b["to"] = json!("+44 7700 900001"));
        case("type", &|b| b["type"] = json!("text"));
        case("no name", &|b| b["template"]["name"] = json!(""));
        case("no language", &|b| {
            b["template"].as_object_mut().unwrap().remove("language");
        });
        case("image param", &|b| {
            b["template"]["components"][0]["parameters"][0] = json!({"type": "image"})
        });
        case("newline", &|b| {
            b["template"]["components"][0]["parameters"][0]["text"] = json!("a\nb")
        });
        case("tab", &|b| {
            b["template"]["components"][0]["parameters"][0]["text"] = json!("a\tb")
        });
        case("5 spaces", &|b| {
            b["template"]["components"][0]["parameters"][1]["text"] = json!("a     b")
        });
        case("too long", &|b| {
            b["template"]["components"][0]["parameters"][0]["text"] = json!("x".repeat(600));
            b["template"]["components"][0]["parameters"][1]["text"] = json!("y".repeat(425));
        });
        for (what, body) in &cases {
            let (status, error) = send(&client, &mock, body).await;
            assert_eq!((status, code(&error)), (400, 100), "{what}: {error}");
            assert_eq!(
                error["error"]["message"], "(#100) Invalid parameter",
                "{what}"
            );
            assert!(
                error["error"]["error_data"]["details"]
                    .as_str()
                    .unwrap()
                    .len()
                    > 5,
                "{what}"
            );
        }
        let response = client
            .post(format!(
                "{}/v23.0/{DEFAULT_PHONE_NUMBER_ID}/messages",
                mock.base_url()
            ))
            .bearer_auth(DEFAULT_TOKEN)
            .body("not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400);

        // Just inside the limits is fine: 4 spaces, 1024 characters, no recipient_type.
        let mut body = template(TO, &["a    b", &"z".repeat(1018)]);
        body.as_object_mut().unwrap().remove("recipient_type");
        let (status, answer) = send(&client, &mock, &body).await;
        assert_eq!(status, 200, "{answer}");
        let (status, error) = send(&client, &mock, &template(TO, &["Ann", ""])).await;
        assert_eq!((status, code(&error)), (400, 131008));
        assert_eq!(mock.received().len(), 1);
    }

    #[tokio::test]
    async fn template_parameter_count_is_checked() {
        let opts = Options {
            template_params: Some(2),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let client = client();
        let (status, error) = send(&client, &mock, &template(TO, &["Ann"])).await;
        assert_eq!((status, code(&error)), (400, 132000));
        assert_eq!(
            error["error"]["message"],
            "(#132000) Number of parameters does not match the expected number of params"
        );
        assert_eq!(
            send(&client, &mock, &template(TO, &["Ann", "Bob"])).await.0,
            200
        );
    }

    #[tokio::test]
    async fn per_number_failures_and_server_errors() {
        let opts = Options {
            fail: HashMap::from([("+447700900013".to_string(), 131026)]),
            server_error_every: Some(4),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let client = client();
        let (status, error) = send(&client, &mock, &template("447700900013", &["Ann"])).await;
        assert_eq!((status, code(&error)), (400, 131026));
        assert_eq!(error["error"]["message"], "(#131026) Message undeliverable");
        assert_eq!(
            error["error"]["error_data"]["messaging_product"],
            "whatsapp"
        );

        mock.set_fail(TO, Some(131056));
        let (_, error) = send(&client, &mock, &template(TO, &["Ann"])).await;
        assert_eq!(code(&error), 131056);
        mock.set_fail(TO, None);
        assert_eq!(send(&client, &mock, &template(TO, &["Ann"])).await.0, 200);
        // Fourth authorised POST: HTTP 500, code 1, not accepted.
        let (status, error) = send(&client, &mock, &template(TO, &["Ann"])).await;
        assert_eq!((status, code(&error)), (500, 1));
        assert_eq!(error["error"]["message"], "(#1) An unknown error occurred");
        mock.set_fail("447700900013", None);
        assert_eq!(
            send(&client, &mock, &template("447700900013", &["Ann"]))
                .await
                .0,
            200
        );
        assert_eq!(mock.requests(), 5);
        assert_eq!(mock.received().len(), 2);
        assert_eq!(mock.throttled(), 0);
    }

    #[tokio::test]
    async fn paced_sends_are_not_throttled() {
        let mock = Mock::start(Options {
            rate_limit: Some(5.0),
            ..Options::default()
        })
        .await
        .unwrap();
        let client = client();
        for _ in 0..10 {
            let (status, body) = send(&client, &mock, &template(TO, &["Ann"])).await;
            assert_eq!(status, 200, "{body}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(mock.throttled(), 0);
        assert_eq!(mock.received().len(), 10);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bursts_above_the_rate_are_throttled() {
        let mock = Mock::start(Options {
            rate_limit: Some(20.0),
            ..Options::default()
        })
        .await
        .unwrap();
        let client = client();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (client, mock) = (client.clone(), mock.clone());
            let to = format!("4477009001{i:02}");
            tasks.push(tokio::spawn(async move {
                send(&client, &mock, &template(&to, &["Ann"])).await
            }));
        }
        let mut throttled = 0;
        for task in tasks {
            let (status, body) = task.await.unwrap();
            if status != 200 {
                assert_eq!((status, code(&body)), (400, 130429), "{body}");
                assert_eq!(body["error"]["message"], "(#130429) Rate limit hit");
                throttled += 1;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        let accepted = mock.received().len();
        assert_eq!(accepted + throttled, 50);
        assert_eq!(mock.throttled(), throttled as u64);
        assert_eq!(mock.requests(), 50);
        // Burst of 2, then 20/s for however long the 50 requests took.
        assert!(
            accepted as f64 <= 2.0 + 20.0 * elapsed + 1.0,
            "{accepted} in {elapsed}s"
        );
        assert!(throttled > 0);
    }

    #[tokio::test]
    async fn hung_sends_are_recorded_but_never_answered() {
        let opts = Options {
            hang: HashSet::from(["447700900014".to_string()]),
            latency: Duration::from_millis(50),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let impatient = reqwest::Client::builder()
            .timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let err = impatient
            .post(format!(
                "{}/v23.0/{DEFAULT_PHONE_NUMBER_ID}/messages",
                mock.base_url()
            ))
            .bearer_auth(DEFAULT_TOKEN)
            .json(&template("447700900014", &["Ann"]))
            .send()
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err}");
        let received = mock.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].to, "447700900014");

        let started = Instant::now();
        assert_eq!(
            send(&impatient, &mock, &template(TO, &["Ann"])).await.0,
            200
        );
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    #[tokio::test]
    async fn history_reports_each_outcome() {
        let opts = Options {
            history: HashMap::from([
                ("447700900015".to_string(), Outcome::Failed(131026)),
                ("447700900016".to_string(), Outcome::Read),
                ("447700900017".to_string(), Outcome::None),
            ]),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let client = client();
        let mut wamids = HashMap::new();
        for to in [
            "447700900001",
            "447700900015",
            "447700900016",
            "447700900017",
            "447700900018",
        ] {
            let (status, body) = send(&client, &mock, &template(to, &["Ann"])).await;
            assert_eq!(status, 200);
            wamids.insert(to, body["messages"][0]["id"].as_str().unwrap().to_string());
        }
        mock.set_history("447700900018", Outcome::Sent);
        let accepted = mock.received()[0]
            .at
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();

        let one = |to| format!("message_id={}&fields=id,message_id,events", wamids[to]);
        let delivered = history(&client, &mock, &one("447700900001")).await;
        assert_eq!(delivered["data"][0]["message_id"], wamids["447700900001"]);
        assert_eq!(statuses(&delivered["data"][0]), ["SENT", "DELIVERED"]);
        let events = &delivered["data"][0]["events"]["data"];
        assert_eq!(events[0]["timestamp"].as_u64(), Some(accepted + 1));
        assert_eq!(events[1]["timestamp"].as_u64(), Some(accepted + 2));

        let failed = history(&client, &mock, &one("447700900015")).await;
        assert_eq!(statuses(&failed["data"][0]), ["FAILED"]);
        let event = &failed["data"][0]["events"]["data"][0];
        assert_eq!(event["error_code"], 131026);
        assert_eq!(
            event["error_description"],
            "(#131026) Message undeliverable"
        );

        let read = history(&client, &mock, &one("447700900016")).await;
        assert_eq!(statuses(&read["data"][0]), ["SENT", "DELIVERED", "READ"]);
        let none = history(&client, &mock, &one("447700900017")).await;
        assert_eq!(none["data"], json!([]));
        let sent = history(&client, &mock, &one("447700900018")).await;
        assert_eq!(statuses(&sent["data"][0]), ["SENT"]);
        let unknown = history(&client, &mock, "message_id=wamid.UNKNOWN").await;
        assert_eq!(unknown["data"], json!([]));
        assert_eq!(mock.history_requests(), 6);

        let response = client
            .get(format!(
                "{}/v23.0/{DEFAULT_PHONE_NUMBER_ID}/message_history",
                mock.base_url()
            ))
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(mock.history_requests(), 7);
    }

    #[tokio::test]
    async fn history_pages_through_accepted_messages() {
        let opts = Options {
            history: HashMap::from([("447700900017".to_string(), Outcome::None)]),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let client = client();
        let mut sent = Vec::new();
        for i in 0..6 {
            let to = if i == 2 {
                "447700900017".to_string()
            } else {
                format!("44770090002{i}")
            };
            let (_, body) = send(&client, &mock, &template(&to, &["Ann"])).await;
            if i != 2 {
                sent.push(body["messages"][0]["id"].as_str().unwrap().to_string());
            }
        }
        let mut seen = Vec::new();
        let mut query = "limit=2&fields=id,message_id,events{delivery_status}".to_string();
        let mut pages = 0;
        loop {
            let page = history(&client, &mock, &query).await;
            pages += 1;
            for entry in page["data"].as_array().unwrap() {
                seen.push(entry["message_id"].as_str().unwrap().to_string());
            }
            let Some(next) = page["paging"]["next"].as_str() else {
                assert!(page.get("paging").is_none(), "{page}");
                break;
            };
            let after = page["paging"]["cursors"]["after"].as_str().unwrap();
            assert!(next.contains(&format!("after={after}")), "{next}");
            assert!(next.starts_with(&mock.base_url()), "{next}");
            query = next.split_once('?').unwrap().1.to_string();
        }
        assert_eq!(seen, sent);
        assert_eq!(pages, 3);

        let all = history(&client, &mock, "").await;
        assert_eq!(all["data"].as_array().unwrap().len(), 5);
        assert!(all.get("paging").is_none());
    }

    #[tokio::test]
    async fn counts_and_stats() {
        let opts = Options {
            fail: HashMap::from([("447700900013".to_string(), 130429)]),
            ..Options::default()
        };
        let mock = Mock::start(opts).await.unwrap();
        let client = client();
        for to in [
            "447700900001",
            "447700900002",
            "447700900001",
            "447700900013",
        ] {
            send(&client, &mock, &template(to, &["Ann"])).await;
        }
        let counts = mock.count_by_recipient();
        assert_eq!(counts.len(), 2);
        assert_eq!(counts["447700900001"], 2);
        assert_eq!(counts["447700900002"], 1);
        assert_eq!(mock.requests(), 4);
        assert_eq!(mock.throttled(), 1);
        let stats: Value = client
            .get(format!("{}/_mock/stats", mock.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(stats["requests"], 4);
        assert_eq!(stats["accepted"], 3);
        assert_eq!(stats["throttled"], 1);
        assert_eq!(stats["by_recipient"]["447700900001"], 2);
    }

    #[test]
    fn outcomes_parse_and_print() {
        for text in ["none", "sent", "delivered", "read", "failed:131026"] {
            assert_eq!(text.parse::<Outcome>().unwrap().to_string(), text);
        }
        assert_eq!(
            "FAILED:131049".parse::<Outcome>(),
            Ok(Outcome::Failed(131049))
        );
        assert!("failed".parse::<Outcome>().is_err());
        assert!("lost".parse::<Outcome>().is_err());
    }

    #[test]
    fn bucket_allows_the_rate_and_refuses_bursts() {
        let start = Instant::now();
        let mut bucket = Bucket::new(20.0);
        bucket.last = start;
        assert!(bucket.take(start));
        assert!(bucket.take(start));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(50)));
        assert!(!bucket.take(start + Duration::from_millis(60)));
        assert!(bucket.take(start + Duration::from_millis(100)));
    }
}
