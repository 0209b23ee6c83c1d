//! The sender: works through a broadcast's queued deliveries at a steady
//! pace, claiming each row in the ledger before its request goes out, and
//! recording what became of it. One sender per database, by a lock file.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use jiff::Timestamp;
use rusqlite::{Connection, TransactionBehavior};

use crate::broadcast::{
    self, Broadcast, BroadcastId, DeliveryId, DeliveryState, Disposition, Pending, State,
};
use crate::graph_error::ErrorClass;
use crate::members;
use crate::pace::{Pacer, Throttle, backoff};
use crate::phone::E164;
use crate::platform::Interrupts;
use crate::whatsapp::{Client, SendOutcome, Template};

mod lock;

pub use lock::SendLock;

/// How fast and how hard to send.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rate_per_second: f64,
    pub concurrency: usize,
    pub max_attempts: u32,
    /// Where the access token was set, named when a token error pauses a send.
    pub token_source: String,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Nothing is left queued.
    Finished,
    /// Stopped by an account, token or template error; resumable.
    Paused(String),
}

/// A row the sender holds in memory, with when it may next be tried.
#[derive(Debug)]
struct Row {
    pending: Pending,
    due: Instant,
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.pending.id) == (other.due, other.pending.id)
    }
}
impl Eq for Row {}
impl PartialOrd for Row {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Row {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.pending.id).cmp(&(other.due, other.pending.id))
    }
}

/// Sends every queued delivery of `b`. The caller holds the [`SendLock`].
///
/// One thread owns the database and decides; the network requests run on a
/// small tokio runtime and report back through a channel. Each turn of the
/// loop settles the answers that came back, stops early if it must, claims
/// what the pace allows, and sleeps until something can happen.
pub fn run(
    conn: &mut Connection,
    client: &Client,
    b: &Broadcast,
    settings: &Settings,
    progress: &ProgressBar,
) -> Result<Ending> {
    b.refuse_if_text_removed()?;
    // Every claim must survive a power cut, or a re-run could send twice.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A receiver may be writing to the same file: wait for it rather than
    // abandon requests in flight.
    conn.busy_timeout(Duration::from_secs(30))?;
    let runtime = crate::net::runtime_with_workers(2)?;
    let interrupted = on_interrupt(&runtime)?;
    broadcast::set_state(conn, b.id, State::Sending, None, crate::clock::now())?;
    let mut run = Run::new(conn, b, settings)?;
    let mut template = b.template();
    // A request's quick-reply buttons carry payloads naming it and the
    // option; a URL button, the end of its survey link.
    template.buttons = crate::request::buttons(conn, b.id)?;
    let (tx, rx) = mpsc::channel::<(Pending, SendOutcome)>();
    let mut answers: Vec<(Pending, SendOutcome)> = Vec::new();

    loop {
        answers.extend(rx.try_iter());
        if !answers.is_empty() {
            run.settle(conn, answers.drain(..), progress)?;
        }
        run.stop_if_due(conn, interrupted.load(Ordering::SeqCst))?;
        if run.done() {
            break;
        }
        for p in run.claim(conn, progress)? {
            let (tx, client, template) = (tx.clone(), client.clone(), template.clone());
            let callback = super::ledger::callback(b.id, p.id);
            runtime.spawn(async move {
                let outcome = client.send_template(&p.phone, &template, &callback).await;
                let _ = tx.send((p, outcome));
            });
        }
        let timeout = run.next_wake().saturating_duration_since(Instant::now());
        if let Ok(answer) = rx.recv_timeout(timeout) {
            answers.push(answer);
        }
    }

    runtime.shutdown_background();
    let ending = match run.pausing {
        Some(reason) => {
            broadcast::set_state(
                conn,
                b.id,
                State::Paused,
                Some(&reason),
                crate::clock::now(),
            )?;
            Ending::Paused(reason)
        }
        None => {
            broadcast::set_state(conn, b.id, State::Finished, None, crate::clock::now())?;
            Ending::Finished
        }
    };
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(ending)
}

/// Ctrl-C or SIGTERM (cron's kill), or on Windows Ctrl-C, Ctrl-Break or
/// closing the console, stops the claiming of new rows; requests in flight
/// finish and are recorded, so fewer rows end up `unknown`. The handlers are
/// installed now, not when a task first runs: from here on an interruption
/// can no longer kill the process between a claim and its record.
fn on_interrupt(runtime: &tokio::runtime::Runtime) -> Result<Arc<AtomicBool>> {
    let _context = runtime.enter();
    let mut interrupts = Interrupts::install().context("cannot handle interruptions")?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    runtime.spawn(async move {
        interrupts.recv().await;
        flag.store(true, Ordering::SeqCst);
    });
    Ok(interrupted)
}

/// The sender's state between turns: what is ready, what waits for a retry
/// time, the pace, and why it is stopping, if it is.
struct Run<'a> {
    broadcast: BroadcastId,
    settings: &'a Settings,
    not_after: Timestamp,
    ready: VecDeque<Pending>,
    waiting: BinaryHeap<Reverse<Row>>,
    pacer: Pacer,
    throttle: Throttle,
    in_flight: usize,
    pausing: Option<String>,
    /// The earliest deadline among the rows this run holds, if any.
    next_deadline: Option<Timestamp>,
}

impl<'a> Run<'a> {
    fn new(conn: &Connection, b: &Broadcast, settings: &'a Settings) -> Result<Run<'a>> {
        let start = Instant::now();
        let now = crate::clock::now();
        let mut run = Run {
            broadcast: b.id,
            settings,
            not_after: b.not_after()?,
            ready: VecDeque::new(),
            waiting: BinaryHeap::new(),
            pacer: Pacer::new(settings.rate_per_second, start),
            throttle: Throttle::default(),
            in_flight: 0,
            pausing: None,
            next_deadline: None,
        };
        // Held or interrupted rows whose deadline passed meanwhile go first.
        broadcast::expire_due(conn, b.id, now)?;
        for p in broadcast::pending(conn, b.id, now)? {
            match p.next_attempt_at.filter(|t| *t > now) {
                Some(t) => run.wait_for(p, start + (t - now).unsigned_abs()),
                None => run.ready.push_back(p),
            }
        }
        run.next_deadline = run.earliest_deadline();
        Ok(run)
    }

    /// When `p` may no longer be sent: its own deadline (a message the
    /// messaging limit held), else the broadcast's.
    fn deadline(&self, p: &Pending) -> Timestamp {
        p.not_after.unwrap_or(self.not_after)
    }

    fn earliest_deadline(&self) -> Option<Timestamp> {
        let waiting = self.waiting.iter().map(|Reverse(r)| &r.pending);
        self.ready
            .iter()
            .chain(waiting)
            .map(|p| self.deadline(p))
            .min()
    }

    fn wait_for(&mut self, pending: Pending, due: Instant) {
        self.waiting.push(Reverse(Row { pending, due }));
    }

    /// Records what came back, in one transaction, and decides what next.
    fn settle(
        &mut self,
        conn: &mut Connection,
        answers: impl Iterator<Item = (Pending, SendOutcome)>,
        progress: &ProgressBar,
    ) -> Result<()> {
        let txn = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = Instant::now();
        let now_ts = crate::clock::now();
        for (p, outcome) in answers {
            self.in_flight -= 1;
            let mut throttled_until = None;
            if let SendOutcome::Rejected(e) = &outcome
                && e.class == ErrorClass::Throttled
            {
                let (until, new_episode) = self.throttle.hit(now);
                if new_episode {
                    self.pacer.slow_down();
                }
                throttled_until = Some(now_ts + until.saturating_duration_since(now));
            }
            let mut result = decide(&p, &outcome, self.settings, now_ts, throttled_until);
            if matches!(result, Disposition::Retry { .. }) && now_ts > self.deadline(&p) {
                // Its answer came after the deadline: it is not tried again.
                result = Disposition::Expired;
            }
            // A status event may already have moved the row on (the send
            // went through despite the error): then it is not retried.
            let recorded = broadcast::record(&txn, p.id, &result, now_ts)?;
            if let Disposition::Sent { wamid } = &result {
                // A status webhook can beat this record: it waited for the wamid.
                crate::status::apply_waiting(&txn, Some(wamid), now_ts)?;
            }
            match &result {
                Disposition::Retry { at, counts, .. } if recorded && self.pausing.is_none() => {
                    let due = now + (*at - now_ts).unsigned_abs();
                    let attempts = p.attempts + u32::from(*counts);
                    self.wait_for(
                        Pending {
                            attempts,
                            next_attempt_at: Some(*at),
                            ..p.clone()
                        },
                        due,
                    );
                }
                Disposition::Retry { .. } => {}
                _ => progress.inc(1),
            }
            match &outcome {
                SendOutcome::Accepted { .. } => {
                    self.throttle.success();
                    self.pacer.recover();
                }
                SendOutcome::Rejected(e) => {
                    if e.class.pauses() && self.pausing.is_none() {
                        self.pausing = Some(format!(
                            "WhatsApp refused a send: {e}; {}",
                            e.class.pause_help(&self.settings.token_source)
                        ));
                    }
                    if e.class == ErrorClass::OptedOut
                        && let Some(member) = member_for(&txn, p.id)?
                    {
                        members::opt_out(
                            &txn,
                            Some(member),
                            members::OptOutVia::Refused131050,
                            now_ts,
                        )?;
                    }
                }
                SendOutcome::NotSent(_) | SendOutcome::Unknown(_) => {}
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// Past the deadline, or interrupted, or paused: nothing more is claimed.
    fn stop_if_due(&mut self, conn: &Connection, interrupted: bool) -> Result<()> {
        let now = crate::clock::now();
        if self.next_deadline.is_some_and(|d| now > d) {
            // Late is worse than never for an urgent notice: what is still
            // queued past its deadline is never sent. Rows in flight finish
            // as they will (and any that would be retried expire as their
            // answers come).
            broadcast::expire_due(conn, self.broadcast, now)?;
            let (not_after, still) = (self.not_after, |p: &Pending, n: Timestamp| {
                p.not_after.unwrap_or(n) >= now
            });
            self.ready.retain(|p| still(p, not_after));
            self.waiting
                .retain(|Reverse(r)| still(&r.pending, not_after));
            self.next_deadline = self.earliest_deadline();
        }
        if self.pausing.is_none()
            && let (State::Paused, reason) = broadcast::stored_state(conn, self.broadcast)?
        {
            // A late failure (template, account or token) applied by a
            // receiver or a status pull while this run was sending.
            self.pausing = Some(reason.unwrap_or_else(|| "paused".to_string()));
        }
        if self.pausing.is_none() && interrupted {
            self.pausing = Some(
                "interrupted (Ctrl-C or a request to stop) before every message was sent"
                    .to_string(),
            );
        }
        if self.pausing.is_some() {
            self.ready.clear();
            self.waiting.clear();
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.ready.is_empty() && self.waiting.is_empty() && self.in_flight == 0
    }

    /// Claims as many rows as the pace and free slots allow, durably, and
    /// returns those that may be sent now.
    fn claim(&mut self, conn: &mut Connection, progress: &ProgressBar) -> Result<Vec<Pending>> {
        let now = Instant::now();
        while self.waiting.peek().is_some_and(|Reverse(r)| r.due <= now) {
            let Reverse(row) = self.waiting.pop().expect("peeked");
            self.ready.push_back(row.pending);
        }
        if self.throttle.holding(now) {
            return Ok(Vec::new());
        }
        let mut claimed = Vec::new();
        while self.in_flight + claimed.len() < self.settings.concurrency
            && !self.ready.is_empty()
            && self.pacer.try_take(now)
        {
            claimed.push(self.ready.pop_front().expect("not empty"));
        }
        if claimed.is_empty() {
            return Ok(claimed);
        }
        let txn = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<DeliveryId> = claimed.iter().map(|p| p.id).collect();
        let sendable = broadcast::claim(&txn, &ids, crate::clock::now())?;
        txn.commit()?;
        // Rows not claimed (the member left meanwhile) are settled, not sent.
        progress.inc((claimed.len() - sendable.len()) as u64);
        claimed.retain(|p| sendable.contains(&p.id));
        self.in_flight += claimed.len();
        Ok(claimed)
    }

    /// When something can next happen: an answer (at most 100 ms away), a
    /// free slot in the pace, a retry falling due, the end of a throttling hold.
    fn next_wake(&self) -> Instant {
        let now = Instant::now();
        let mut wake = now + Duration::from_millis(100);
        if !self.ready.is_empty() && self.in_flight < self.settings.concurrency {
            wake = wake.min(self.pacer.next_free());
        }
        if let Some(Reverse(r)) = self.waiting.peek() {
            wake = wake.min(r.due);
        }
        if let Some(h) = self.throttle.until.filter(|h| *h > now) {
            wake = wake.min(h);
        }
        wake
    }
}

fn member_for(conn: &Connection, id: DeliveryId) -> Result<Option<crate::members::MemberId>> {
    Ok(conn
        .prepare_cached("SELECT member_id FROM deliveries WHERE id = ?1")?
        .query_row([id.0], |r| r.get::<_, Option<i64>>(0))?
        .map(crate::members::MemberId))
}

/// What an outcome means for its row. `p.attempts` counts earlier tries that
/// count (see [`Disposition::Retry`]); the claim that led here was one more. A throttled send waits for `throttled_until`.
fn decide(
    p: &Pending,
    outcome: &SendOutcome,
    settings: &Settings,
    now: Timestamp,
    throttled_until: Option<Timestamp>,
) -> Disposition {
    let attempts = p.attempts + 1;
    let transient = |code: Option<i64>, class: &'static str, message: String| {
        if attempts < settings.max_attempts {
            Disposition::Retry {
                at: now
                    + backoff(
                        Duration::from_secs(1),
                        attempts - 1,
                        Duration::from_secs(60),
                    ),
                code,
                class,
                message,
                counts: true,
            }
        } else {
            Disposition::Failed {
                code,
                class,
                message: format!("{message} (after {attempts} tries)"),
            }
        }
    };
    match outcome {
        SendOutcome::Accepted { wamid } => Disposition::Sent {
            wamid: wamid.clone(),
        },
        SendOutcome::Unknown(message) => Disposition::Unknown {
            message: format!("no answer, it may have been sent: {message}"),
        },
        SendOutcome::NotSent(message) => {
            transient(None, ErrorClass::Transient.as_str(), message.clone())
        }
        SendOutcome::Rejected(e) => {
            let code = Some(e.code);
            let message = e.to_string();
            let class = e.class.as_str();
            match e.class {
                ErrorClass::Throttled => Disposition::Retry {
                    at: throttled_until.unwrap_or(now),
                    code,
                    class,
                    message,
                    counts: false,
                },
                // About one message per 6 s to one member is WhatsApp's pace.
                ErrorClass::PairLimit => Disposition::Retry {
                    at: now + backoff(Duration::from_secs(6), 0, Duration::from_secs(60)),
                    code,
                    class,
                    message,
                    counts: false,
                },
                ErrorClass::Transient => transient(code, class, message),
                // Not this member's doing: back in the queue for the resume.
                ErrorClass::Account | ErrorClass::Token | ErrorClass::Template => {
                    Disposition::Retry {
                        at: now,
                        code,
                        class,
                        message,
                        counts: false,
                    }
                }
                ErrorClass::Member
                | ErrorClass::OptedOut
                | ErrorClass::Platform
                | ErrorClass::Invalid => Disposition::Failed {
                    code,
                    class,
                    message,
                },
            }
        }
    }
}

/// Makes a broadcast ready to continue after a stop: rows caught mid-request
/// become `unknown` (they may have been delivered), and are re-queued only
/// when the operator asks. Returns (found in flight, re-queued unknown).
pub fn prepare_resume(
    conn: &Connection,
    id: BroadcastId,
    resend_unknown: bool,
) -> Result<(usize, usize)> {
    let now = crate::clock::now();
    let interrupted = broadcast::move_all(
        conn,
        id,
        DeliveryState::Sending,
        DeliveryState::Unknown,
        now,
    )?;
    let requeued = if resend_unknown {
        broadcast::move_all(conn, id, DeliveryState::Unknown, DeliveryState::Queued, now)?
    } else {
        0
    };
    Ok((interrupted, requeued))
}

/// The number a broadcast would go to, for `--dry-run`.
pub fn example_body(to: &E164, b: &Template) -> serde_json::Value {
    Client::template_body(to, b, "mot:b=<id>:d=<delivery>")
}
