//! `mot webhook serve`: checks each POST's signature before reading it,
//! stores the raw event durably, answers at once, then applies it. One
//! writer thread owns the SQLite connection; HTTP handlers never touch it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use rusqlite::{Connection, TransactionBehavior, params};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use super::{ApplyReport, apply_payload, verify};
use crate::config::{Inbound, Secret};
use crate::db::{self, Create, ts};
use crate::inbound::Action;
use crate::phone::E164;
use crate::status::Source;
use crate::whatsapp::Client;

/// The largest webhook body accepted; Meta's are a few kilobytes.
pub const BODY_LIMIT: usize = 1024 * 1024;
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
    pub replies: Inbound,
    /// For automatic replies; none when no reply is configured.
    pub client: Option<Client>,
}

enum Job {
    Store {
        body: Vec<u8>,
        done: oneshot::Sender<Result<i64, String>>,
    },
    Ack {
        upto: i64,
        done: oneshot::Sender<Result<usize, String>>,
    },
}

#[derive(Clone)]
struct App {
    app_secret: Arc<Secret>,
    verify_token: Arc<Secret>,
    relay_token: Option<Arc<Secret>>,
    jobs: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
}

/// Runs the receiver until SIGINT or SIGTERM. `ready` is told the bound address.
pub fn serve(db_path: &Path, opts: Options, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    let writer_conn = db::open(db_path, Create::No)?;
    // An acknowledged event must survive a power cut: Meta will not resend it.
    writer_conn.pragma_update(None, "synchronous", "FULL")?;
    let reader = db::open(db_path, Create::No)?;
    let (jobs, rx) = mpsc::channel::<Job>(1024);
    let (reply_tx, reply_rx) = mpsc::unbounded_channel::<(E164, Action)>();

    let relay = opts.relay_token.is_some();
    let writer = Writer {
        conn: writer_conn,
        relay,
        keep_acked: opts.keep_acked,
        replies: reply_tx,
    };
    // If the writer fails, nothing more can be stored: stop serving (and exit
    // non-zero) so a service manager restarts us, rather than answer 503 forever.
    let (writer_failed, writer_failure) = oneshot::channel::<()>();
    let writer_thread = std::thread::Builder::new()
        .name("mot-writer".into())
        .spawn(move || {
            let result = writer.run(rx);
            if let Err(e) = &result {
                crate::log_line!("webhook: the database writer stopped: {e:#}");
                let _ = writer_failed.send(());
            }
            result
        })
        .context("cannot start the writer thread")?;

    let app = App {
        app_secret: Arc::new(opts.app_secret),
        verify_token: Arc::new(opts.verify_token),
        relay_token: opts.relay_token.map(Arc::new),
        jobs,
        reader: Arc::new(Mutex::new(reader)),
    };
    let router = Router::new()
        .route("/", get(handshake).post(receive))
        .route("/webhook", get(handshake).post(receive))
        .route("/events", get(relay_events))
        .route("/events/ack", post(relay_ack))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app);

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
            tokio::spawn(send_replies(client, opts.replies, reply_rx));
        }
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the webhook server failed")
    });
    // The router (and every job sender) is gone: the writer drains what was
    // acknowledged, applies it, and stops.
    drop(runtime);
    writer_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
    crate::log_line!("webhook: stopped; every acknowledged event is stored");
    result
}

/// Installs the SIGINT and SIGTERM handlers now, not when first polled (until
/// then either signal would kill the process mid-write), and returns a future
/// that completes on the first of them.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let stop = {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
        async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
    };
    #[cfg(not(unix))]
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
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

async fn receive(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if let Err(e) = verify::verify(app.app_secret.expose().as_bytes(), &body, header) {
        crate::log_line!("webhook: refused a POST: {e}");
        let code = match e {
            verify::SignatureError::Missing => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        return (code, "bad signature").into_response();
    }
    if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
        crate::log_line!(
            "webhook: refused a signed POST of {} bytes: not JSON",
            body.len()
        );
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    }
    let (done, stored) = oneshot::channel();
    if app
        .jobs
        .send(Job::Store {
            body: body.to_vec(),
            done,
        })
        .await
        .is_err()
    {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match stored.await {
        Ok(Ok(_id)) => (StatusCode::OK, "EVENT_RECEIVED").into_response(),
        Ok(Err(e)) => {
            crate::log_line!("webhook: could not store an event: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "not stored").into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "not stored").into_response(),
    }
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
    let after: i64 = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let reader = app.reader.clone();
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
        Ok(json!({ "events": events }))
    })
    .await;
    match page {
        Ok(Ok(v)) => axum::Json(v).into_response(),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "cannot read events").into_response(),
    }
}

async fn relay_ack(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if !relay_allowed(&app, &headers) {
        return (StatusCode::UNAUTHORIZED, "relay token required").into_response();
    }
    let Some(upto) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["upto"].as_i64())
    else {
        return (StatusCode::BAD_REQUEST, "expected {\"upto\": ID}").into_response();
    };
    let (done, acked) = oneshot::channel();
    if app.jobs.send(Job::Ack { upto, done }).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match acked.await {
        Ok(Ok(n)) => axum::Json(json!({ "acknowledged": n })).into_response(),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "not acknowledged").into_response(),
    }
}

/// Sends the configured automatic replies, one at a time.
async fn send_replies(
    client: Client,
    replies: Inbound,
    mut rx: mpsc::UnboundedReceiver<(E164, Action)>,
) {
    while let Some((phone, action)) = rx.recv().await {
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

/// Owns the database connection: stores, applies and acknowledges.
struct Writer {
    conn: Connection,
    /// A relay stores and forwards; the laptop that pulls applies. The
    /// server builds no member data of its own and sends no replies.
    relay: bool,
    keep_acked: Duration,
    replies: mpsc::UnboundedSender<(E164, Action)>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<Job>) -> Result<()> {
        // Events stored but not applied when the last run stopped.
        self.apply_pending()?;
        while let Some(job) = rx.blocking_recv() {
            let mut jobs = vec![job];
            while jobs.len() < 256
                && let Ok(more) = rx.try_recv()
            {
                jobs.push(more);
            }
            self.handle(jobs)?;
        }
        self.apply_pending()
    }

    fn handle(&mut self, jobs: Vec<Job>) -> Result<()> {
        let now = Timestamp::now();
        // Group commit: every body in this batch is durable before any is acknowledged.
        let mut stored = Vec::new();
        let mut acks = Vec::new();
        let result = (|| -> Result<Vec<i64>> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ids = Vec::new();
            for job in &jobs {
                if let Job::Store { body, .. } = job {
                    // Patient data a member sent is never written down, not even raw.
                    tx.prepare_cached(
                        "INSERT INTO webhook_events (body, received_at) VALUES (?1, ?2)",
                    )?
                    .execute(params![super::scrub(body), ts(now)])?;
                    ids.push(tx.last_insert_rowid());
                }
            }
            tx.commit()?;
            Ok(ids)
        })();
        let mut ids = match &result {
            Ok(ids) => ids.clone().into_iter(),
            Err(_) => Vec::new().into_iter(),
        };
        for job in jobs {
            match job {
                Job::Store { done, .. } => {
                    let answer = match &result {
                        Ok(_) => Ok(ids.next().expect("one id per stored body")),
                        Err(e) => Err(format!("{e:#}")),
                    };
                    if let Ok(id) = answer {
                        stored.push(id);
                    }
                    let _ = done.send(answer);
                }
                Job::Ack { upto, done } => acks.push((upto, done)),
            }
        }
        if !stored.is_empty()
            && let Err(e) = self.apply_pending()
        {
            // Stored and acknowledged already: they are applied on a later batch.
            crate::log_line!("webhook: could not apply events yet ({e:#}); will try again");
        }
        for (upto, done) in acks {
            let n = self
                .conn
                .execute(
                    "UPDATE webhook_events SET acked_at = ?2 WHERE id <= ?1 AND acked_at IS NULL",
                    params![upto, ts(now)],
                )
                .map_err(|e| e.to_string());
            let _ = done.send(n);
        }
        self.prune(now)
    }

    /// Applies every stored event not yet applied, in order (not on a relay).
    fn apply_pending(&mut self) -> Result<()> {
        if self.relay {
            return Ok(());
        }
        let now = Timestamp::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pending: Vec<(i64, Vec<u8>)> = tx
            .prepare_cached(
                "SELECT id, body FROM webhook_events WHERE applied_at IS NULL ORDER BY id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut report = ApplyReport::default();
        for (id, body) in &pending {
            report.add(apply_payload(&tx, body, Source::Webhook, now)?);
            // Applied, and no relay wants it: keep no copy of the message.
            tx.prepare_cached("DELETE FROM webhook_events WHERE id = ?1")?
                .execute([id])?;
        }
        tx.commit()?;
        if !pending.is_empty() {
            crate::log_line!(
                "webhook: applied {} event(s): {} status(es) ({} moved a delivery), {} message(s), {} sign-up(s), {} opt-out(s), {} duplicate(s), {} skipped",
                pending.len(),
                report.statuses,
                report.statuses_moved,
                report.messages,
                report.signups,
                report.opt_outs,
                report.duplicates,
                report.unrecognised
            );
        }
        for reply in report.replies {
            let _ = self.replies.send(reply);
        }
        Ok(())
    }

    /// Forgets events the laptop acknowledged long enough ago.
    fn prune(&mut self, now: Timestamp) -> Result<()> {
        let cutoff = now
            - jiff::SignedDuration::try_from(self.keep_acked).unwrap_or(jiff::SignedDuration::ZERO);
        self.conn
            .prepare_cached(
                "DELETE FROM webhook_events WHERE acked_at IS NOT NULL AND acked_at < ?1",
            )?
            .execute([ts(cutoff)])?;
        Ok(())
    }
}
