//! The receiver's one writer: owns the database connection, stores each
//! batch of events durably before any is acknowledged, applies them, and
//! prunes what the relay's laptop read long ago.

use std::time::{Duration, Instant};

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};

use super::{ApplyReport, apply_payload_with};
use crate::db::ts;
use crate::event::Ours;
use crate::event::Source;
use crate::inbound::Action;
use crate::phone::E164;
use crate::retention::erasure;
use crate::signup::{Conversation, outbox};
use crate::status;

/// Work for the writer, answered on `done`.
pub(super) enum Job {
    Store {
        body: Vec<u8>,
        done: oneshot::Sender<Result<i64, String>>,
    },
    Ack {
        upto: i64,
        done: oneshot::Sender<Result<usize, String>>,
    },
    /// The laptop erased this person: delete every stored event from or naming them.
    Erase {
        phone: E164,
        done: oneshot::Sender<Result<usize, String>>,
    },
    /// How a message of the sign-up conversation (or a channel reply) ended.
    Sent { id: i64, outcome: outbox::Outcome },
}

/// What the reply task sends: a configured reply, or a queued member message.
pub(super) enum Reply {
    Configured(E164, Action),
    Member(outbox::Outgoing),
}

/// Owns the database connection: stores, applies and acknowledges. No
/// database error stops it: a store that fails is answered 503 (the sender
/// retries), applying and pruning are tried again on the next batch.
pub(super) struct Writer {
    pub(super) conn: Connection,
    /// A relay stores and forwards; the laptop that pulls applies. The
    /// server builds no member data of its own and sends no replies.
    pub(super) relay: bool,
    /// Our number and business account: nothing else is stored or applied.
    pub(super) ours: Ours,
    pub(super) keep_acked: Duration,
    pub(super) replies: mpsc::UnboundedSender<Reply>,
    /// The sign-up conversation and channel replies.
    pub(super) conv: Conversation,
    /// Whether a client is there to send the queued member messages.
    pub(super) sends: bool,
    /// Since when applying (or pruning) has been failing, and how often.
    pub(super) trouble: Option<(Instant, u64)>,
}

impl Writer {
    pub(super) fn run(mut self, mut rx: mpsc::Receiver<Job>) {
        // Messages claimed by a run that stopped before it could send them.
        if !self.relay
            && let Err(e) = outbox::release_claims(&self.conn)
        {
            crate::log_line!("webhook: cannot release unsent member messages yet ({e:#})");
        }
        // Events stored but not applied when the last run stopped.
        self.settle();
        while let Some(job) = rx.blocking_recv() {
            let mut jobs = vec![job];
            while jobs.len() < 256
                && let Ok(more) = rx.try_recv()
            {
                jobs.push(more);
            }
            self.handle(jobs);
        }
        self.settle();
    }

    fn handle(&mut self, jobs: Vec<Job>) {
        let now = crate::clock::now();
        // Group commit: every body in this batch is durable before any is acknowledged.
        let mut acks = Vec::new();
        let mut erasures = Vec::new();
        let mut sent = Vec::new();
        let result = (|| -> Result<Vec<i64>> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ids = Vec::new();
            let mut not_ours = 0;
            for job in &jobs {
                if let Job::Store { body, .. } = job {
                    // Patient data a member sent is never written down, not
                    // even raw, and nothing of another number's or account's.
                    let scrubbed = super::scrub(body, &self.ours);
                    not_ours += scrubbed.not_ours;
                    tx.prepare_cached(
                        "INSERT INTO webhook_events (body, received_at) VALUES (?1, ?2)",
                    )?
                    .execute(params![scrubbed.body, ts(now)])?;
                    ids.push(tx.last_insert_rowid());
                }
            }
            tx.commit()?;
            if not_ours > 0 {
                crate::log_line!(
                    "webhook: ignored {not_ours} change(s) for another number or business account (counted, not stored)"
                );
            }
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
                    let _ = done.send(answer);
                }
                Job::Ack { upto, done } => acks.push((upto, done)),
                Job::Erase { phone, done } => erasures.push((phone, done)),
                Job::Sent { id, outcome } => sent.push((id, outcome)),
            }
        }
        for (id, outcome) in sent {
            if let Err(e) = outbox::record(&self.conn, id, &outcome, now) {
                crate::log_line!("webhook: cannot record a member message's outcome ({e:#})");
            }
        }
        for (phone, done) in erasures {
            let _ = done.send(self.erase(&phone).map_err(|e| format!("{e:#}")));
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
        // Stored events are applied even when this batch failed to store:
        // an earlier batch may have been stored while applying was locked out.
        self.settle();
    }

    /// Applies what is pending and prunes what the laptop read long ago;
    /// a failure is logged once (then counted) and tried again next time.
    fn settle(&mut self) {
        let now = crate::clock::now();
        let result = self
            .apply_pending()
            .and_then(|()| self.send_owed(now))
            .and_then(|()| self.prune(now));
        match (result, self.trouble) {
            (Ok(()), None) => {}
            (Ok(()), Some((since, failures))) => {
                crate::log_line!(
                    "webhook: the database is writable again after {:.0} s ({failures} failed attempt(s)); pending events applied",
                    since.elapsed().as_secs_f64()
                );
                self.trouble = None;
            }
            (Err(e), None) => {
                crate::log_line!(
                    "webhook: cannot apply events yet ({e:#}); answering 503 to what cannot be stored and trying again"
                );
                self.trouble = Some((Instant::now(), 1));
            }
            (Err(_), Some((since, failures))) => self.trouble = Some((since, failures + 1)),
        }
    }

    /// Applies every stored event not yet applied, in order (not on a relay).
    fn apply_pending(&mut self) -> Result<()> {
        if self.relay {
            return Ok(());
        }
        let now = crate::clock::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pending: Vec<(i64, Vec<u8>)> = tx
            .prepare_cached(
                "SELECT id, body FROM webhook_events WHERE applied_at IS NULL ORDER BY id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if pending.is_empty() {
            return Ok(());
        }
        let mut report = ApplyReport::default();
        for (id, body) in &pending {
            report.add(apply_payload_with(
                &tx,
                body,
                &self.ours,
                Source::Webhook,
                &self.conv,
                now,
            )?);
            // Applied, and no relay wants it: keep no copy of the message.
            tx.prepare_cached("DELETE FROM webhook_events WHERE id = ?1")?
                .execute([id])?;
        }
        // Statuses that arrived before their send was recorded.
        report.statuses_moved += status::apply_waiting(&tx, None, now)?;
        tx.commit()?;
        crate::log_line!(
            "webhook: applied {} event(s): {} status(es) ({} moved a delivery), {} message(s), {} sign-up(s), {} opt-out(s), {} duplicate(s), {} skipped, {} for another number or business account",
            pending.len(),
            report.statuses,
            report.statuses_moved,
            report.messages,
            report.signups,
            report.opt_outs,
            report.duplicates,
            report.unrecognised,
            report.not_ours()
        );
        for (phone, action) in report.replies {
            let _ = self.replies.send(Reply::Configured(phone, action));
        }
        Ok(())
    }

    /// Hands every queued member message that may go now to the reply task.
    fn send_owed(&mut self, now: Timestamp) -> Result<()> {
        if self.relay || !self.sends {
            return Ok(());
        }
        for o in outbox::claim(&self.conn, &self.conv, now)? {
            let _ = self.replies.send(Reply::Member(o));
        }
        Ok(())
    }

    /// Removes every stored event from or naming `phone` (in any writing, as
    /// the erasure scan finds it), acknowledged or not: one still waiting
    /// would bring the person back at the laptop's next pull. From a payload
    /// the laptop has not fetched yet only their items go: other people's
    /// statuses and STOPs in it are still owed to the laptop. Then copies
    /// the WAL over, so the removed pages do not linger there.
    fn erase(&mut self, phone: &E164) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Vec<(i64, Vec<u8>, bool)> = tx
            .prepare_cached(
                "SELECT id, body, acked_at IS NOT NULL OR applied_at IS NOT NULL FROM webhook_events",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut n = 0;
        for (id, body, done) in stored {
            if !erasure::names_number(&body, phone) {
                continue;
            }
            match super::scrub::without_number(&body, phone).filter(|_| !done) {
                Some(kept) => tx
                    .prepare_cached("UPDATE webhook_events SET body = ?2 WHERE id = ?1")?
                    .execute(rusqlite::params![id, kept])?,
                None => tx
                    .prepare_cached("DELETE FROM webhook_events WHERE id = ?1")?
                    .execute([id])?,
            };
            n += 1;
        }
        tx.commit()?;
        crate::db::checkpoint(&self.conn)?;
        // A count only: the log names no one.
        crate::log_line!("webhook: erased {n} stored event(s) at the laptop's request");
        Ok(n)
    }

    /// Forgets events the laptop acknowledged long enough ago.
    fn prune(&mut self, now: Timestamp) -> Result<()> {
        if !self.relay {
            return Ok(());
        }
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
