//! `mot webhook serve`: checks each POST's signature before parsing it,
//! stores the raw event durably, answers at once, then applies it. One
//! writer thread owns the SQLite connection; HTTP handlers never touch it.
//! While the database cannot be written (another program holds it), POSTs
//! are answered 503, which Meta retries, and the writer keeps trying: a
//! lock, however long, never stops the receiver.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

pub use super::listener::Limits;

/// Where to listen, as people write it: a bare port (`8081`, `:8081`) means
/// this computer only (`127.0.0.1:8081`); anything else is taken as given.
pub fn listen_address(text: &str) -> String {
    let text = text.trim();
    let port = text.strip_prefix(':').unwrap_or(text);
    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
        format!("127.0.0.1:{port}")
    } else {
        text.to_string()
    }
}
use super::event;
use super::listener::{self, Committed};
use super::verify;
use super::writer::{Job, Reply, Writer};
use crate::config::{Inbound, Secret};
use crate::db::{self, Create};
use crate::inbound::Action;
use crate::signup::outbox::Outcome;
use crate::whatsapp::Client;

/// The largest webhook body accepted; Meta's are a few kilobytes.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Bodies up to this size are read at once; Meta's are a few kilobytes.
const SMALL_BODY: u64 = 64 * 1024;
/// Larger bodies (or of unknown size) read at the same time at most, so
/// unsigned megabyte bodies cannot fill the memory before their signature
/// is checked: with the connection cap, at most 8 MiB plus 128 small ones.
const LARGE_BODIES: usize = 8;
/// How many stored events one relay fetch returns at most.
const RELAY_PAGE: i64 = 500;

/// What the receiver needs besides the database.
pub struct Options {
    pub listen: String,
    pub app_secret: Secret,
    pub verify_token: Secret,
    /// Serve `/events` to a laptop; keep events until it acknowledges them.
    pub relay_token: Option<Secret>,
    pub keep_acked: Duration,
    /// Our number and business account: only their events are stored.
    pub ours: crate::event::Ours,
    pub replies: Inbound,
    /// The sign-up conversation and channel replies.
    pub conv: crate::signup::Conversation,
    /// For automatic replies; none when no reply is configured.
    pub client: Option<Client>,
    pub limits: Limits,
}

#[derive(Clone)]
struct App {
    app_secret: Arc<Secret>,
    verify_token: Arc<Secret>,
    relay_token: Option<Arc<Secret>>,
    /// This database's random identity, for the laptop's cursor.
    identity: Arc<str>,
    jobs: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
    body_timeout: Duration,
    large_bodies: Arc<tokio::sync::Semaphore>,
    log: Arc<Logs>,
}

/// Log lines that a flood could repeat thousands of times: each is written
/// once, then counted, and the count is written every [`TALLY_EVERY`].
#[derive(Default)]
struct Logs {
    bad_signature: Tally,
    not_stored: Tally,
}

const TALLY_EVERY: Duration = Duration::from_secs(10);

#[derive(Default)]
struct Tally(Mutex<TallyState>);

#[derive(Default)]
struct TallyState {
    /// Occurrences since the last line.
    unlogged: u64,
    last_line: Option<Instant>,
    latest: String,
}

impl Tally {
    /// Logs `what` now if nothing like it was logged lately, else counts it.
    fn hit(&self, what: &str, detail: impl std::fmt::Display) {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        match s.last_line {
            Some(at) if now.duration_since(at) < TALLY_EVERY => {
                s.unlogged += 1;
                s.latest = detail.to_string();
            }
            _ => {
                if s.unlogged > 0 {
                    crate::log_line!(
                        "webhook: {what}: {} more since the last line (latest: {})",
                        s.unlogged,
                        s.latest
                    );
                }
                crate::log_line!("webhook: {what}: {detail}");
                s.unlogged = 0;
                s.last_line = Some(now);
            }
        }
    }

    /// Writes the count of what was not logged yet, if any.
    fn flush(&self, what: &str) {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if s.unlogged > 0 {
            crate::log_line!(
                "webhook: {what}: {} more in the last {} s (latest: {})",
                s.unlogged,
                TALLY_EVERY.as_secs(),
                s.latest
            );
            s.unlogged = 0;
            s.last_line = Some(Instant::now());
        }
    }
}

const BAD_SIGNATURE: &str = "refused POST(s) with a bad signature";
const NOT_STORED: &str = "could not store event(s) (answered 503; Meta retries)";

impl Logs {
    fn flush(&self) {
        self.bad_signature.flush(BAD_SIGNATURE);
        self.not_stored.flush(NOT_STORED);
    }
}

/// Runs the receiver until SIGINT or SIGTERM. `ready` is told the bound address.
pub fn serve(db_path: &Path, opts: Options, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let runtime = crate::net::runtime_with_workers(2)?;
    let writer_conn = db::open(db_path, Create::No)?;
    // An acknowledged event must survive a power cut: Meta will not resend it.
    writer_conn.pragma_update(None, "synchronous", "FULL")?;
    let reader = db::open(db_path, Create::No)?;
    let identity = db::settings::instance_id(&reader)?;
    let (jobs, rx) = mpsc::channel::<Job>(1024);
    let (reply_tx, reply_rx) = mpsc::unbounded_channel::<Reply>();

    let relay = opts.relay_token.is_some();
    let writer = Writer {
        conn: writer_conn,
        relay,
        ours: opts.ours.clone(),
        keep_acked: opts.keep_acked,
        replies: reply_tx,
        conv: opts.conv,
        sends: opts.client.is_some(),
        trouble: None,
    };
    // The writer outlives any database error (it answers 503 and tries
    // again); only a bug (a panic) ends it, and then serving stops so a
    // service manager restarts us rather than answer 503 forever.
    let (writer_failed, writer_failure) = oneshot::channel::<()>();
    let writer_thread = std::thread::Builder::new()
        .name("mot-writer".into())
        .spawn(move || {
            let failed = writer_failed;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| writer.run(rx)));
            if result.is_err() {
                crate::log_line!("webhook: the database writer stopped unexpectedly");
                let _ = failed.send(());
            }
        })
        .context("cannot start the writer thread")?;

    let sent = jobs.clone();
    let app = App {
        app_secret: Arc::new(opts.app_secret),
        verify_token: Arc::new(opts.verify_token),
        relay_token: opts.relay_token.map(Arc::new),
        identity: identity.into(),
        jobs,
        reader: Arc::new(Mutex::new(reader)),
        body_timeout: opts.limits.body_timeout,
        large_bodies: Arc::new(tokio::sync::Semaphore::new(LARGE_BODIES)),
        log: Arc::new(Logs::default()),
    };
    let logs = app.log.clone();
    let router = Router::new()
        .route("/", get(handshake).post(receive))
        .route("/webhook", get(handshake).post(receive))
        .route("/events", get(relay_events))
        .route("/events/ack", post(relay_ack))
        .route("/events/erase", post(relay_erase))
        .with_state(app);
    let limits = opts.limits;

    let result = runtime.block_on(async move {
        // Before saying we are ready: a SIGTERM from then on is a graceful stop.
        let signal = shutdown_signal()?;
        let shutdown = async move {
            tokio::select! {
                _ = signal => {}
                Ok(()) = writer_failure => {}
            }
        };
        let listener = tokio::net::TcpListener::bind(&opts.listen)
            .await
            .with_context(|| format!("cannot listen on {}", opts.listen))?;
        ready(listener.local_addr()?);
        if let Some(client) = opts.client {
            tokio::spawn(send_replies(client, opts.replies, reply_rx, sent));
        }
        let flusher = logs.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(TALLY_EVERY);
            loop {
                every.tick().await;
                flusher.flush();
            }
        });
        listener::serve(listener, router, limits, shutdown).await;
        logs.flush();
        anyhow::Ok(())
    });
    // The router (and every job sender) is gone: the writer drains what was
    // acknowledged, applies it, and stops.
    drop(runtime);
    let writer_ok = writer_thread.join().is_ok();
    if !writer_ok {
        anyhow::bail!("the writer thread panicked");
    }
    // Only a server that ran has events to speak of: a failed start (the port
    // in use) shows its own error and nothing else.
    result?;
    crate::log_line!("webhook: stopped; every acknowledged event is stored");
    Ok(())
}

/// Installs the interruption handlers (Ctrl-C and SIGTERM; on Windows also
/// Ctrl-Break and closing the console) now, not when first polled (until
/// then an interruption would kill the process mid-write), and returns a
/// future that completes on the first of them.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    let mut interrupts =
        crate::platform::Interrupts::install().context("cannot handle interruptions")?;
    let stop = async move { interrupts.recv().await };
    Ok(async move {
        stop.await;
        crate::log_line!("webhook: shutting down");
    })
}

/// Meta's subscription check: echo the challenge if the verify token matches.
async fn handshake(State(app): State<App>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mode = q.get("hub.mode").map(String::as_str);
    let token = q.get("hub.verify_token").map(String::as_str).unwrap_or("");
    match (mode, q.get("hub.challenge")) {
        (Some("subscribe"), Some(challenge)) if same(token, app.verify_token.expose()) => {
            (StatusCode::OK, challenge.clone()).into_response()
        }
        _ => (StatusCode::FORBIDDEN, "verification failed").into_response(),
    }
}

/// Compares secrets in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Reads a request's body: refused before reading if it declares more than
/// [`BODY_LIMIT`], cut off if it sends more, and given [`Limits::body_timeout`]
/// to arrive. The error is the answer to give.
async fn read_body(app: &App, req: Request) -> Result<(HeaderMap, Bytes), Response> {
    let timeout = app.body_timeout;
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response());
    }
    let started = Instant::now();
    let _permit = if declared.is_none_or(|n| n > SMALL_BODY) {
        match tokio::time::timeout(timeout, app.large_bodies.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => return Err(unavailable("busy; try again")),
        }
    } else {
        None
    };
    let left = timeout.saturating_sub(started.elapsed());
    match tokio::time::timeout(left, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => Ok((parts.headers, bytes)),
        Ok(Err(_)) => Err((StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response()),
        Err(_) => Err((StatusCode::REQUEST_TIMEOUT, "body too slow").into_response()),
    }
}

async fn receive(State(app): State<App>, req: Request) -> Response {
    let committed = req.extensions().get::<Committed>().cloned();
    let (headers, body) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if let Err(e) = verify::verify(app.app_secret.expose().as_bytes(), &body, header) {
        app.log.bad_signature.hit(BAD_SIGNATURE, e);
        let code = match e {
            verify::SignatureError::Missing => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        return (code, "bad signature").into_response();
    }
    // Read now as applying will read it: a body acknowledged with 200 must
    // never be found unreadable later (Meta would not send it again).
    let body = match event::check(&body) {
        Ok(readable) => readable.into_owned(),
        Err(e) => {
            crate::log_line!(
                "webhook: refused a signed POST of {} bytes: {e}",
                body.len()
            );
            return (StatusCode::BAD_REQUEST, "not a readable webhook").into_response();
        }
    };
    // Signed and whole: being stored, so not to be cut to make room.
    if let Some(c) = &committed {
        c.set();
    }
    let (done, stored) = oneshot::channel();
    if app.jobs.send(Job::Store { body, done }).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match stored.await {
        Ok(Ok(_id)) => (StatusCode::OK, "EVENT_RECEIVED").into_response(),
        Ok(Err(e)) => {
            app.log.not_stored.hit(NOT_STORED, e);
            unavailable("not stored; try again")
        }
        Err(_) => unavailable("not stored; try again"),
    }
}

/// 503: Meta retries a webhook answered so, for days.
fn unavailable(why: &'static str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        why,
    )
        .into_response()
}

fn relay_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(token) = &app.relay_token else {
        return false;
    };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, token)| token.trim());
    same(given, token.expose())
}

/// The laptop's side of the relay: stored events after a cursor.
async fn relay_events(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !relay_allowed(&app, &headers) {
        return (StatusCode::UNAUTHORIZED, "relay token required").into_response();
    }
    // A cursor that is not a non-negative integer is the laptop's bug or an
    // attack: never quietly "from the start".
    let after: i64 = match q.get("after").map(|a| a.parse::<u64>()) {
        None => 0,
        Some(Ok(n)) if i64::try_from(n).is_ok() => n as i64,
        Some(_) => {
            return (
                StatusCode::BAD_REQUEST,
                "after must be a non-negative integer",
            )
                .into_response();
        }
    };
    let reader = app.reader.clone();
    let identity = app.identity.clone();
    let page = tokio::task::spawn_blocking(move || -> Result<Value> {
        let conn = reader
            .lock()
            .map_err(|_| anyhow::anyhow!("reader poisoned"))?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, received_at, body FROM webhook_events WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, RELAY_PAGE], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (id, at, body) = row?;
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            events.push(json!({ "id": id, "received_at": at, "body": body }));
        }
        // The highest id ever given out: a laptop whose cursor is past it
        // is reading a relay restored from an older copy.
        let last_id: i64 = conn
            .prepare_cached("SELECT seq FROM sqlite_sequence WHERE name = 'webhook_events'")?
            .query_row([], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        Ok(json!({ "relay": &*identity, "last_id": last_id, "events": events }))
    })
    .await;
    match page {
        Ok(Ok(v)) => axum::Json(v).into_response(),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "cannot read events").into_response(),
    }
}

async fn relay_ack(State(app): State<App>, req: Request) -> Response {
    if !relay_allowed(&app, req.headers()) {
        return (StatusCode::UNAUTHORIZED, "relay token required").into_response();
    }
    let (_, body) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let Some(v) = serde_json::from_slice::<Value>(&body).ok() else {
        return (StatusCode::BAD_REQUEST, "expected {\"upto\": ID}").into_response();
    };
    let Some(upto) = v["upto"].as_i64() else {
        return (StatusCode::BAD_REQUEST, "expected {\"upto\": ID}").into_response();
    };
    // An acknowledgement meant for another relay (this one was rebuilt
    // since the laptop read it) must not mark this one's events read.
    if let Some(relay) = v.get("relay").and_then(Value::as_str)
        && relay != &*app.identity
    {
        return (StatusCode::CONFLICT, "acknowledgement for another relay").into_response();
    }
    let (done, acked) = oneshot::channel();
    if app.jobs.send(Job::Ack { upto, done }).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match acked.await {
        Ok(Ok(n)) => axum::Json(json!({ "acknowledged": n })).into_response(),
        // The database is busy: the laptop acknowledges again next time.
        _ => unavailable("not acknowledged; try again"),
    }
}

/// The laptop erased a person: `{"phone": "+447700900123"}` deletes every
/// stored event from or naming that number; the answer is how many.
async fn relay_erase(State(app): State<App>, req: Request) -> Response {
    if !relay_allowed(&app, req.headers()) {
        return (StatusCode::UNAUTHORIZED, "relay token required").into_response();
    }
    let (_, body) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let phone = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["phone"].as_str().map(str::to_string))
        .and_then(|p| crate::phone::parse(&p, phonenumber::country::Id::GB).ok());
    let Some(phone) = phone else {
        return (StatusCode::BAD_REQUEST, "expected {\"phone\": \"+44…\"}").into_response();
    };
    let (done, erased) = oneshot::channel();
    if app.jobs.send(Job::Erase { phone, done }).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match erased.await {
        Ok(Ok(n)) => axum::Json(json!({ "erased": n, "relay": &*app.identity })).into_response(),
        // The laptop keeps the erasure owed and asks again.
        _ => unavailable("not erased; try again"),
    }
}

/// Sends the configured automatic replies and the queued member messages,
/// one at a time; a member message's outcome goes back to the writer.
async fn send_replies(
    client: Client,
    replies: Inbound,
    mut rx: mpsc::UnboundedReceiver<Reply>,
    sent: mpsc::Sender<Job>,
) {
    while let Some(reply) = rx.recv().await {
        let (phone, action) = match reply {
            Reply::Configured(phone, action) => (phone, action),
            Reply::Member(o) => {
                let outcome = Outcome::of(client.send_free_form(&o.body).await);
                if let Outcome::Failed(why) = &outcome {
                    // The outcome names no number: logs carry no personal data.
                    crate::log_line!("webhook: a {} message was not sent: {why}", o.kind.as_str());
                }
                let _ = sent.send(Job::Sent { id: o.id, outcome }).await;
                continue;
            }
        };
        let text = match action {
            Action::Signup => replies.welcome_reply.as_deref(),
            Action::OptOut => replies.stop_reply.as_deref(),
            _ => None,
        };
        let Some(text) = text else { continue };
        let outcome = client.send_text(&phone, text).await;
        if !matches!(outcome, crate::whatsapp::SendOutcome::Accepted { .. }) {
            // The outcome names no number: logs carry no personal data.
            let why = match outcome {
                crate::whatsapp::SendOutcome::Rejected(e) => e.to_string(),
                crate::whatsapp::SendOutcome::NotSent(e)
                | crate::whatsapp::SendOutcome::Unknown(e) => e,
                crate::whatsapp::SendOutcome::Accepted { .. } => unreachable!(),
            };
            crate::log_line!(
                "webhook: an automatic {} reply was not sent: {why}",
                action_name(action)
            );
        }
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Signup => "welcome",
        _ => "stop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_port_listens_on_this_computer_only() {
        assert_eq!(listen_address("8081"), "127.0.0.1:8081");
        assert_eq!(listen_address(":8081"), "127.0.0.1:8081");
        assert_eq!(listen_address("0.0.0.0:8081"), "0.0.0.0:8081");
        assert_eq!(listen_address("[::1]:8081"), "[::1]:8081");
    }
}
