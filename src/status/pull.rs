//! `mot status pull`: asking WhatsApp's message history about every
//! delivery that is not final, paced and concurrent, stopping early when
//! asking more cannot help.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;

use super::{Applied, apply};
use crate::broadcast::DeliveryState;
use crate::db::ts;
use crate::event::Source;
use crate::event::StatusEvent;
use crate::graph_error::ErrorClass;
use crate::pace::{Pacer, Throttle, backoff};
use crate::whatsapp::{Client, HistoryError};

/// What `mot status pull` did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PullReport {
    /// Deliveries asked about.
    pub checked: usize,
    /// Status events newly recorded.
    pub new_events: usize,
    /// Deliveries that moved, by the state they moved to.
    pub moved: BTreeMap<DeliveryState, usize>,
    /// Lookups that failed (they are asked again next time).
    pub failed_lookups: usize,
    /// The first few failure reasons.
    pub failures: Vec<String>,
    /// Why the pull stopped early (a token or permission error, or a
    /// sustained run of failures), if it did.
    pub stopped: Option<String>,
    /// Whether the stop was a pause-class error (token, account, template).
    #[serde(skip)]
    pub stopped_by_pause_class: bool,
    /// Deliveries not asked about because the pull stopped early.
    pub not_asked: usize,
}

impl fmt::Display for PullReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let moved: Vec<String> = self.moved.iter().map(|(s, n)| format!("{n} {s}")).collect();
        writeln!(
            f,
            "status pull: asked about {} deliveries; {} new event(s); moved: {}",
            self.checked,
            self.new_events,
            if moved.is_empty() {
                "none".to_string()
            } else {
                moved.join(", ")
            }
        )?;
        if self.failed_lookups > 0 {
            writeln!(
                f,
                "  {} lookup(s) failed (asked again next time):",
                self.failed_lookups
            )?;
            for reason in &self.failures {
                writeln!(f, "    {reason}")?;
            }
        }
        if let Some(why) = &self.stopped {
            writeln!(
                f,
                "  stopped early, {} deliveries not asked about: {why}",
                self.not_asked
            )?;
        }
        Ok(())
    }
}

/// Deliveries whose status may still change, sent within `window`.
fn open_deliveries(conn: &Connection, since: Timestamp) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT wamid FROM deliveries
         WHERE wamid IS NOT NULL AND state IN ('sent', 'delivered', 'unknown')
           AND coalesce(sent_at, updated_at) >= ?1
         ORDER BY id",
    )?;
    let rows = stmt.query_map([ts(since)], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many times one lookup is tried when WhatsApp throttles or fails.
const LOOKUP_TRIES: u32 = 4;

/// This many failed lookups in a row (after their retries) stop the pull:
/// WhatsApp or the network is down, and asking about every delivery only
/// adds to the load and the wait.
pub const SUSTAINED_FAILURES: usize = 20;

/// Why a pull stops early; the first reason wins.
#[derive(Default)]
struct Stop {
    reason: Option<(String, bool)>,
    failures_in_a_row: usize,
}

impl Stop {
    /// Counts one finished lookup, and sets the reason to stop if it was a
    /// pause-class error or the last of a sustained run of failures.
    fn note(&mut self, result: &Lookup, client: &Client) {
        match result {
            Ok(_) => self.failures_in_a_row = 0,
            Err(HistoryError::Graph(e)) if e.class.pauses() => {
                if self.reason.is_none() {
                    self.reason = Some((
                        format!(
                            "WhatsApp refused a status lookup: {e}; {}",
                            e.class.pause_help(client.token_source())
                        ),
                        true,
                    ));
                }
            }
            Err(_) => {
                self.failures_in_a_row += 1;
                if self.failures_in_a_row >= SUSTAINED_FAILURES && self.reason.is_none() {
                    self.reason = Some((
                        format!(
                            "{SUSTAINED_FAILURES} lookups in a row failed; WhatsApp or the network seems to be down"
                        ),
                        false,
                    ));
                }
            }
        }
    }
}

/// What one delivery's lookup returned.
type Lookup = Result<Vec<StatusEvent>, HistoryError>;

/// The pace shared by all lookups, with any throttling hold.
type SharedPace = Arc<tokio::sync::Mutex<(Pacer, Throttle)>>;

/// Asks WhatsApp's message history about every delivery that is not final,
/// paced and concurrent, then applies what it says. Stops at the first token,
/// permission, account or template error (as a send pauses) and after
/// [`SUSTAINED_FAILURES`] failed lookups in a row.
pub fn pull(
    conn: &mut Connection,
    client: &Client,
    cfg: &crate::config::Status,
    progress: &indicatif::ProgressBar,
) -> Result<PullReport> {
    let now = crate::clock::now();
    let wamids = open_deliveries(conn, now - cfg.window)?;
    let mut report = PullReport {
        checked: wamids.len(),
        ..PullReport::default()
    };
    progress.set_length(wamids.len() as u64);
    let runtime = crate::net::runtime_with_workers(2)?;
    let stop = Arc::new(std::sync::Mutex::new(Stop::default()));
    let results = runtime.block_on(look_up_all(&wamids, client, cfg, &stop, progress));
    runtime.shutdown_background();
    if let Some((reason, pause_class)) = stop.lock().expect("stop lock").reason.take() {
        report.stopped = Some(reason);
        report.stopped_by_pause_class = pause_class;
    }
    apply_results(conn, results, now, &mut report)?;
    Ok(report)
}

/// Looks up every delivery, at most `cfg.concurrency` at a time, and returns
/// each one's result in order (`None` for those not asked after a stop).
async fn look_up_all(
    wamids: &[String],
    client: &Client,
    cfg: &crate::config::Status,
    stop: &Arc<std::sync::Mutex<Stop>>,
    progress: &indicatif::ProgressBar,
) -> Vec<Option<Lookup>> {
    let pace = Arc::new(tokio::sync::Mutex::new((
        Pacer::new(cfg.rate_per_second, Instant::now()),
        Throttle::default(),
    )));
    let slots = Arc::new(tokio::sync::Semaphore::new(cfg.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, wamid) in wamids.iter().enumerate() {
        let permit = slots.clone().acquire_owned().await.expect("semaphore open");
        if stop.lock().expect("stop lock").reason.is_some() {
            break;
        }
        let (pace, client, wamid) = (pace.clone(), client.clone(), wamid.clone());
        let (stop, progress) = (stop.clone(), progress.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let Some(result) = look_up(&pace, &client, &wamid, &stop).await else {
                return (i, None);
            };
            stop.lock().expect("stop lock").note(&result, &client);
            progress.inc(1);
            (i, Some(result))
        });
    }
    let mut results: Vec<Option<Lookup>> = (0..wamids.len()).map(|_| None).collect();
    while let Some(done) = tasks.join_next().await {
        let (i, result) = done.expect("lookup task panicked");
        results[i] = result;
    }
    results
}

/// Looks up one delivery, trying again after throttling or a network error;
/// `None` if the pull stopped before it could ask.
async fn look_up(
    pace: &SharedPace,
    client: &Client,
    wamid: &str,
    stop: &std::sync::Mutex<Stop>,
) -> Option<Lookup> {
    let mut tries = 0;
    loop {
        tries += 1;
        if stop.lock().expect("stop lock").reason.is_some() {
            return None;
        }
        wait_turn(pace).await;
        match client.message_history(wamid).await {
            Err(HistoryError::Graph(e))
                if e.class == ErrorClass::Throttled && tries < LOOKUP_TRIES =>
            {
                let mut p = pace.lock().await;
                let (_, new_episode) = p.1.hit(Instant::now());
                if new_episode {
                    p.0.slow_down();
                }
            }
            Err(HistoryError::Transport(_)) if tries < LOOKUP_TRIES => {
                tokio::time::sleep(backoff(
                    Duration::from_millis(500),
                    tries - 1,
                    Duration::from_secs(10),
                ))
                .await;
            }
            result => return Some(result),
        }
    }
}

/// Records the looked-up status events in one transaction and counts what
/// moved, what failed and what was not asked.
fn apply_results(
    conn: &mut Connection,
    results: Vec<Option<Lookup>>,
    now: Timestamp,
    report: &mut PullReport,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for result in results {
        match result {
            None => report.not_asked += 1,
            Some(Ok(events)) => {
                for e in events {
                    match apply(&tx, &e, Source::Pull, now)? {
                        Applied::Duplicate => {}
                        Applied::Moved(state) => {
                            report.new_events += 1;
                            *report.moved.entry(state).or_default() += 1;
                        }
                        Applied::NotOurs | Applied::Recorded => report.new_events += 1,
                    }
                }
            }
            Some(Err(e)) => {
                report.failed_lookups += 1;
                if report.failures.len() < 5 {
                    report.failures.push(e.to_string());
                }
            }
        }
    }
    // Statuses that arrived before their send was recorded.
    super::apply_waiting(&tx, None, now)?;
    tx.commit()?;
    Ok(())
}

/// Waits until the pace and any throttling hold allow one more request.
async fn wait_turn(pace: &tokio::sync::Mutex<(Pacer, Throttle)>) {
    loop {
        let wait = {
            let mut p = pace.lock().await;
            let now = Instant::now();
            match p.1.until.filter(|u| *u > now) {
                Some(until) => until - now,
                None if p.0.try_take(now) => return,
                None => p.0.next_free().saturating_duration_since(now),
            }
        };
        tokio::time::sleep(wait.max(Duration::from_micros(100))).await;
    }
}
