//! Retention: how long each kind of record is kept (`[retention]`), and
//! `mot purge`, which applies that policy kind by kind in short batches and
//! then makes sure what it removed is gone from the file and its WAL
//! ([`erasure`]).
//!
//! Every kind is one entry in [`KINDS`]: its config key and the SQL that
//! counts and removes what is due. The setting itself (its default and
//! shortest period) is the config's, in [`crate::config::RETENTION_KEYS`], in
//! the same order (a test holds the two lists together). Adding a table to
//! the policy is adding an entry to each; `purge`, `--dry-run`, the config
//! check and the audit row follow from the lists.

pub mod erasure;

use std::fmt;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::broadcast::removed_text;
use crate::config::RetentionPolicy;
use crate::db::ts;
use crate::output::Row;
use crate::phone::E164;

/// One kind of record the policy covers. In every statement `?1` is the
/// cutoff: records from before it are due; in `purge`, `?2` is the most
/// records one batch may take.
#[derive(Debug)]
pub struct Kind {
    /// The `[retention]` key, also the kind's name in reports and the audit.
    pub key: &'static str,
    /// Counts the records due.
    pub due: &'static str,
    /// The date of the oldest record that stays (NULL when none).
    pub oldest_kept: &'static str,
    /// Removes one batch of what is due, in order, inside one transaction;
    /// the last statement's count of changed rows is the batch's size. Each
    /// statement that names the batch selects it with the same words, so
    /// inside the transaction they name the same rows.
    pub purge: &'static [&'static str],
    /// The kind erases people: its last statement returns the number of
    /// each one it deletes (`RETURNING phone`), so that the caller can tell
    /// whoever else holds their details (the relay), and those rows are
    /// the batch's size.
    pub erases: bool,
}

/// A broadcast that is history: its sending finished with nothing queued or
/// mid-send (a paused or running send is not, whatever its age: its rows and
/// its text are what a resume sends), and, for a request or a reminder of
/// one, the request closed before the cutoff (its recipients are who may
/// still answer it).
macro_rules! finished {
    () => {
        concat!(
            "state = 'finished'
         AND NOT EXISTS (SELECT 1 FROM deliveries q WHERE q.broadcast_id = broadcasts.id
                         AND q.state IN ('queued', 'sending'))
         AND NOT EXISTS (SELECT 1 FROM requests r
                         WHERE r.broadcast_id IN (broadcasts.id, (SELECT rr.request_id
                               FROM request_reminders rr WHERE rr.broadcast_id = broadcasts.id))
                           AND ",
            crate::request::ends_at!("r"),
            " >= ?1)"
        )
    };
}

/// Broadcasts older than the cutoff and [`finished!`].
macro_rules! old_broadcasts {
    () => {
        concat!(
            "SELECT id FROM broadcasts WHERE created_at < ?1 AND ",
            finished!()
        )
    };
}

/// Broadcasts whose text is due.
macro_rules! text_due {
    () => {
        concat!(
            "created_at < ?1 AND body <> '",
            removed_text!(),
            "' AND ",
            finished!()
        )
    };
}

/// Inbound rows already stripped (by the `inbound` kind or an erasure) have
/// a BLOB marker in place of the message id (which is itself derived from
/// the sender's number); real ids are TEXT, so the two never meet.
macro_rules! inbound_due {
    () => {
        "flagged IS NULL AND at < ?1 AND typeof(wa_message_id) = 'text'"
    };
}

/// Inbound rows whose text the screen removed, not yet purged (a purged
/// answer keeps its row, stripped, with a BLOB marker for its id).
macro_rules! flagged_due {
    () => {
        "flagged IS NOT NULL AND at < ?1 AND typeof(wa_message_id) = 'text'"
    };
}

/// SQL: what is removed of an inbound row that must still count: the text
/// and everything that points at a person. The type, action, broadcast and
/// time stay, and so does the row's link to a request it answers.
macro_rules! strip_inbound {
    () => {
        "UPDATE inbound SET text = NULL, phone = NULL, user_id = NULL, member_id = NULL,
                context_wamid = NULL, wa_message_id = CAST('purged:' || id AS BLOB)"
    };
}

/// Account events received before the cutoff that no longer say anything
/// in force: counts of fields mot does not read, errors and marketing
/// preferences (already acted on), and any report superseded by a newer one
/// of the same field, event and template. The newest report of each stays
/// however old: it is still the template's, number's or account's state.
macro_rules! account_events_due {
    () => {
        "a.received_at < ?1 AND (a.known = 0 OR a.field IN ('errors', 'user_preferences')
           OR EXISTS (SELECT 1 FROM account_events n
                      WHERE n.field = a.field AND n.event IS a.event
                        AND n.business_account IS a.business_account
                        AND n.template_name IS a.template_name
                        AND n.template_language IS a.template_language
                        AND (n.at > a.at OR (n.at = a.at AND n.id > a.id))
                        -- a messaging limit is read from the newest report carrying one
                        AND (a.field <> 'phone_number_quality_update'
                             OR coalesce(json_extract(n.detail, '$.current_limit'),
                                 json_extract(n.detail, '$.max_daily_conversations_per_business'))
                                 IS NOT NULL)))"
    };
}

/// The policy's kinds, in the order purge applies them: people first (their
/// erasure clears links later kinds would otherwise count), then texts, then logs.
pub const KINDS: &[Kind] = &[
    Kind {
        key: "pending_signups",
        due: "SELECT count(*) FROM members WHERE status = 'pending' AND created_at < ?1",
        oldest_kept: "SELECT min(created_at) FROM members WHERE status = 'pending' AND created_at >= ?1",
        // The members_erase trigger erases them everywhere, as `members remove`
        // does; the caller is given each number, to owe the relay its erasure.
        purge: &["DELETE FROM members WHERE id IN (SELECT id FROM members
                  WHERE status = 'pending' AND created_at < ?1 LIMIT ?2) RETURNING phone"],
        erases: true,
    },
    Kind {
        key: "flagged_inbound",
        due: concat!("SELECT count(*) FROM inbound WHERE ", flagged_due!()),
        oldest_kept: "SELECT min(at) FROM inbound
                      WHERE flagged IS NOT NULL AND at >= ?1 AND typeof(wa_message_id) = 'text'",
        // The whole row goes, unless it answers a request: then it is
        // stripped as `inbound` strips a row, so the answer still counts
        // ("answered, removed: patient data") and is never chased. The
        // batch's ids are written down first so both statements name the
        // same rows; the last statement's count is the batch's size.
        purge: &[
            "CREATE TEMP TABLE IF NOT EXISTS purge_batch (id INTEGER PRIMARY KEY)",
            "DELETE FROM temp.purge_batch",
            concat!(
                "INSERT INTO temp.purge_batch (id) SELECT id FROM inbound WHERE ",
                flagged_due!(),
                " LIMIT ?2"
            ),
            concat!(
                strip_inbound!(),
                " WHERE id IN (SELECT id FROM temp.purge_batch)
                    AND EXISTS (SELECT 1 FROM request_replies rr
                                WHERE rr.inbound_id = inbound.id AND rr.how != 'ambiguous')"
            ),
            "DELETE FROM inbound WHERE id IN (SELECT id FROM temp.purge_batch)
                AND typeof(wa_message_id) = 'text'",
            "DELETE FROM temp.purge_batch",
        ],
        erases: false,
    },
    Kind {
        key: "inbound",
        due: concat!("SELECT count(*) FROM inbound WHERE ", inbound_due!()),
        oldest_kept: "SELECT min(at) FROM inbound
                      WHERE flagged IS NULL AND at >= ?1 AND typeof(wa_message_id) = 'text'",
        // The row stays (type, action, broadcast, time) so counts of replies
        // stay right; the text and everything that points at a person goes.
        purge: &[concat!(
            strip_inbound!(),
            " WHERE id IN (SELECT id FROM inbound WHERE ",
            inbound_due!(),
            " LIMIT ?2)"
        )],
        erases: false,
    },
    Kind {
        key: "signup_messages",
        // The record of each settled message of the sign-up conversation
        // (which question, when, WhatsApp's id, what became of it; never its
        // text): a member's own conversation, kept while it can matter (the
        // once-a-day guard looks back a day). One still queued is work to do.
        due: "SELECT count(*) FROM member_messages WHERE outcome IS NOT NULL AND done_at < ?1",
        oldest_kept: "SELECT min(done_at) FROM member_messages
                      WHERE outcome IS NOT NULL AND done_at >= ?1",
        purge: &[
            "DELETE FROM member_messages WHERE id IN (SELECT id FROM member_messages
                  WHERE outcome IS NOT NULL AND done_at < ?1 LIMIT ?2)",
        ],
        erases: false,
    },
    Kind {
        key: "broadcast_text",
        due: concat!("SELECT count(*) FROM broadcasts WHERE ", text_due!()),
        oldest_kept: concat!(
            "SELECT min(created_at) FROM broadcasts WHERE created_at >= ?1 AND body <> '",
            removed_text!(),
            "'"
        ),
        // The template parameters are the text too; a test send's audience is a number.
        purge: &[concat!(
            "UPDATE broadcasts SET body = '",
            removed_text!(),
            "', params = '[]',
                    audience = CASE WHEN is_test = 1
                        THEN json_object('test', json_object('phone', 'erased'))
                        ELSE audience END
             WHERE id IN (SELECT id FROM broadcasts WHERE ",
            text_due!(),
            " LIMIT ?2)"
        )],
        erases: false,
    },
    Kind {
        key: "deliveries",
        due: concat!(
            "SELECT count(*) FROM deliveries WHERE broadcast_id IN (",
            old_broadcasts!(),
            ")"
        ),
        oldest_kept: "SELECT min(b.created_at) FROM broadcasts b WHERE b.created_at >= ?1
                      AND EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = b.id)",
        // The batch's ids are written down first, so that its totals and its
        // removal name the same rows; totals first, in the same transaction:
        // the counts never go missing.
        purge: &[
            "CREATE TEMP TABLE IF NOT EXISTS purge_batch (id INTEGER PRIMARY KEY)",
            "DELETE FROM temp.purge_batch",
            concat!(
                "INSERT INTO temp.purge_batch (id) SELECT id FROM deliveries
                 WHERE broadcast_id IN (",
                old_broadcasts!(),
                ") LIMIT ?2"
            ),
            "INSERT INTO delivery_totals (broadcast_id, state, error_class, error_code, n)
             SELECT broadcast_id, state, error_class, error_code, count(*) FROM deliveries
             WHERE id IN (SELECT id FROM temp.purge_batch) GROUP BY 1, 2, 3, 4",
            "DELETE FROM deliveries WHERE id IN (SELECT id FROM temp.purge_batch)",
        ],
        erases: false,
    },
    Kind {
        key: "status_events",
        due: "SELECT count(*) FROM status_events WHERE received_at < ?1",
        oldest_kept: "SELECT min(received_at) FROM status_events WHERE received_at >= ?1",
        purge: &[
            "DELETE FROM status_events WHERE rowid IN (SELECT rowid FROM status_events
                  WHERE received_at < ?1 LIMIT ?2)",
        ],
        erases: false,
    },
    Kind {
        key: "webhook_events",
        // Only events applied here or acknowledged by the laptop: an event
        // not yet applied is a status or message not yet recorded anywhere.
        due: "SELECT count(*) FROM webhook_events WHERE received_at < ?1
              AND (applied_at IS NOT NULL OR acked_at IS NOT NULL)",
        oldest_kept: "SELECT min(received_at) FROM webhook_events WHERE received_at >= ?1
                      OR (applied_at IS NULL AND acked_at IS NULL)",
        purge: &[
            "DELETE FROM webhook_events WHERE rowid IN (SELECT rowid FROM webhook_events
                  WHERE received_at < ?1 AND (applied_at IS NOT NULL OR acked_at IS NOT NULL)
                  LIMIT ?2)",
        ],
        erases: false,
    },
    Kind {
        key: "account_events",
        due: concat!(
            "SELECT count(*) FROM account_events a WHERE ",
            account_events_due!()
        ),
        oldest_kept: concat!(
            "SELECT min(received_at) FROM account_events a WHERE NOT (",
            account_events_due!(),
            ")"
        ),
        purge: &[concat!(
            "DELETE FROM account_events WHERE id IN (SELECT a.id FROM account_events a WHERE ",
            account_events_due!(),
            " LIMIT ?2)"
        )],
        erases: false,
    },
    Kind {
        key: "audit",
        due: "SELECT count(*) FROM audit WHERE at < ?1",
        oldest_kept: "SELECT min(at) FROM audit WHERE at >= ?1",
        purge: &[
            "DELETE FROM audit WHERE rowid IN (SELECT rowid FROM audit WHERE at < ?1 LIMIT ?2)",
        ],
        erases: false,
    },
];

/// What purge did (or, in a dry run, would do) to one kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindReport {
    pub kind: &'static str,
    /// The period, as `90d` or `never`.
    pub keep: String,
    /// Records from before this were due; absent for `never`.
    pub cutoff: Option<String>,
    /// Records removed (or that would be).
    pub records: i64,
    /// The oldest record of this kind that stays.
    pub oldest_kept: Option<String>,
}

impl Row for KindReport {
    const HEADERS: &'static [&'static str] = &["kind", "keep", "cutoff", "records", "oldest_kept"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.kind.to_string(),
            self.keep.clone(),
            self.cutoff.clone().unwrap_or_else(|| "-".into()),
            self.records.to_string(),
            self.oldest_kept.clone().unwrap_or_else(|| "-".into()),
        ]
    }
}

/// A purge, kind by kind, and whether the file was cleaned afterwards.
#[derive(Debug, Clone, Serialize)]
pub struct PurgeReport {
    pub dry_run: bool,
    pub at: String,
    pub kinds: Vec<KindReport>,
    /// The longest any one purge transaction held the write lock.
    pub longest_batch_ms: u64,
    /// After a real run: what was done to the file (checkpoint, VACUUM).
    pub file: Option<erasure::Settled>,
}

impl fmt::Display for PurgeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would purge"
        } else {
            "purged"
        };
        for k in &self.kinds {
            writeln!(f, "{}: {verb} {} (keep {})", k.kind, k.records, k.keep)?;
        }
        Ok(())
    }
}

impl PurgeReport {
    pub fn total(&self) -> i64 {
        self.kinds.iter().map(|k| k.records).sum()
    }
}

/// How many records the first purge transaction of each kind takes. Later
/// batches grow or shrink so that each holds the write lock for about
/// [`BATCH_TIME`]: short enough that a receiver writing to the same file
/// never waits long (see `longest_batch_ms` in BENCHMARKS.md), long enough
/// that a big backlog is not hundreds of commits rewriting the same pages.
const BATCH: i64 = 5_000;
const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(500);
const BATCH_MAX: i64 = 200_000;

/// Applies `policy` as of `now`, kind by kind, each in batches of its own
/// transaction: an interruption leaves every batch whole (a row's totals
/// are written with its removal) and the next purge finishes the job. The
/// audit row comes last. A dry run reads in one snapshot and writes nothing.
/// `erased` is called with the number of every person a batch erases,
/// inside that batch's transaction, so that what it records (an erasure
/// owed to the relay) stands or falls with the erasure.
pub fn purge(
    conn: &mut Connection,
    policy: &RetentionPolicy,
    now: Timestamp,
    dry_run: bool,
    user: &str,
    erased: Erased<'_>,
) -> Result<PurgeReport> {
    purge_in_batches(conn, policy, now, dry_run, user, BATCH, erased)
}

/// Called by [`purge`] with each person it erases, inside the transaction
/// that erases them.
pub type Erased<'a> = &'a mut dyn FnMut(&Connection, &E164) -> Result<()>;

fn purge_in_batches(
    conn: &mut Connection,
    policy: &RetentionPolicy,
    now: Timestamp,
    dry_run: bool,
    user: &str,
    first: i64,
    erased: Erased<'_>,
) -> Result<PurgeReport> {
    let mut kinds = due(conn, policy, now)?;
    let mut longest = std::time::Duration::ZERO;
    if !dry_run {
        for (kind, report) in KINDS.iter().zip(&mut kinds) {
            let Some(cutoff) = report.cutoff.clone() else {
                continue;
            };
            report.records = 0;
            let mut batch = first;
            loop {
                let started = std::time::Instant::now();
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let changed = purge_batch(&tx, kind, &cutoff, batch, erased)
                    .with_context(|| format!("cannot purge {}", kind.key))?;
                tx.commit()?;
                let took = started.elapsed();
                longest = longest.max(took);
                report.records += changed;
                if changed < batch {
                    break;
                }
                // Aim the next batch at BATCH_TIME, never more than doubling.
                let scale = BATCH_TIME.as_secs_f64() / took.as_secs_f64().max(1e-3);
                batch = ((batch as f64 * scale.min(2.0)) as i64).clamp(first.min(500), BATCH_MAX);
            }
        }
        let counts: serde_json::Map<String, serde_json::Value> = kinds
            .iter()
            .map(|k| (k.kind.to_string(), k.records.into()))
            .collect();
        crate::audit::record(conn, now, user, "purge", "ok", counts.into())?;
    }
    Ok(PurgeReport {
        dry_run,
        at: ts(now),
        kinds,
        longest_batch_ms: longest.as_millis() as u64,
        file: None,
    })
}

/// Runs one batch of `kind`'s statements in `tx`; how many records it took.
fn purge_batch(
    tx: &Connection,
    kind: &Kind,
    cutoff: &str,
    batch: i64,
    erased: Erased<'_>,
) -> Result<i64> {
    let mut changed = 0;
    for (i, sql) in kind.purge.iter().enumerate() {
        let mut stmt = tx.prepare_cached(sql)?;
        let params: [&dyn rusqlite::ToSql; 2] = [&cutoff, &batch];
        let params = &params[..stmt.parameter_count()];
        changed = if kind.erases && i + 1 == kind.purge.len() {
            let phones = stmt
                .query_map(params, |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for phone in &phones {
                erased(tx, &E164::from_stored(phone.clone()))?;
            }
            phones.len()
        } else {
            stmt.execute(params)?
        };
    }
    Ok(changed as i64)
}

/// What is due of each kind, read in one snapshot.
fn due(conn: &mut Connection, policy: &RetentionPolicy, now: Timestamp) -> Result<Vec<KindReport>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let mut kinds = Vec::new();
    for (kind, period) in KINDS.iter().zip(&policy.periods) {
        let mut report = KindReport {
            kind: kind.key,
            keep: period.to_string(),
            cutoff: None,
            records: 0,
            oldest_kept: None,
        };
        if let Some(cutoff) = period.cutoff(now) {
            let cutoff = ts(cutoff);
            report.records = tx
                .prepare_cached(kind.due)?
                .query_row([&cutoff], |r| r.get(0))
                .with_context(|| format!("cannot count {}", kind.key))?;
            report.oldest_kept = tx
                .prepare_cached(kind.oldest_kept)?
                .query_row([&cutoff], |r| r.get(0))?;
            report.cutoff = Some(cutoff);
        }
        kinds.push(report);
    }
    // Nothing was written; ending the read is all there is to do.
    tx.rollback()?;
    Ok(kinds)
}

#[cfg(test)]
mod tests;
