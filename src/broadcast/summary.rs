//! How a broadcast stands: the one place that counts its deliveries,
//! including the totals kept for rows that `mot purge` removed.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use super::*;

/// How a broadcast stands: its deliveries counted by state, and failures by reason.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: BroadcastId,
    pub kind: Kind,
    pub state: State,
    pub is_test: bool,
    pub created_at: String,
    pub created_by: String,
    pub not_after: String,
    pub pause_reason: Option<String>,
    pub recipients: i64,
    pub counts: BTreeMap<DeliveryState, i64>,
    /// Sent, delivered or read: WhatsApp took the message, whether or not a
    /// delivery report has come back yet (the table's column of that name).
    pub accepted_by_whatsapp: i64,
    /// Delivered or read.
    pub delivered: i64,
    pub read: i64,
    pub failed_by_reason: BTreeMap<String, i64>,
    /// The start of the text, for lists, ending "…" when cut.
    pub preview: String,
    /// The whole text, and the template parameters it was sent as.
    pub text: String,
    pub parameters: Vec<String>,
    /// Failed rows by (error code, count), for their meaning in the summary.
    #[serde(skip)]
    failures: Vec<(Option<i64>, String, i64)>,
    /// Failed rows by error class (`unknown` where none was recorded).
    #[serde(skip)]
    pub failed_by_class: BTreeMap<String, i64>,
}

/// Characters of a broadcast's text a list shows.
const PREVIEW_CHARS: usize = 40;

/// The start of `body` on one line, with "…" when there is more.
fn preview(body: &str) -> String {
    crate::output::cut(body, PREVIEW_CHARS)
}

/// A broadcast's deliveries counted: rows by state, and failed rows by
/// (error class, error code). Rows `mot purge` deleted live on as totals
/// (`delivery_totals`) and are counted with the rest: every count of a
/// broadcast's deliveries goes through here.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub by_state: BTreeMap<DeliveryState, i64>,
    /// (error class or `?`, error code, rows).
    pub failed: Vec<(String, Option<i64>, i64)>,
}

impl Totals {
    /// Every row, in any state: the broadcast's recipients.
    pub fn recipients(&self) -> i64 {
        self.by_state.values().sum()
    }

    /// Failed rows by error code (rows failed without one left out).
    pub fn failed_by_code(&self) -> Vec<(i64, i64)> {
        let mut by_code: BTreeMap<i64, i64> = BTreeMap::new();
        for (_, code, n) in &self.failed {
            if let Some(code) = code {
                *by_code.entry(*code).or_default() += n;
            }
        }
        by_code.into_iter().collect()
    }
}

/// Counts broadcast `id`'s deliveries, purged ones included.
pub fn totals(conn: &Connection, id: BroadcastId) -> Result<Totals> {
    let mut by_state: BTreeMap<DeliveryState, i64> =
        DeliveryState::ALL.iter().map(|s| (*s, 0)).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT state, sum(n) FROM (
             SELECT state, count(*) AS n FROM deliveries WHERE broadcast_id = ?1 GROUP BY state
             UNION ALL
             SELECT state, n FROM delivery_totals WHERE broadcast_id = ?1
         ) GROUP BY state",
    )?;
    for row in stmt.query_map([id.0], |r| {
        Ok((r.get::<_, DeliveryState>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (state, n) = row?;
        by_state.insert(state, n);
    }
    let failed = conn
        .prepare_cached(
            "SELECT coalesce(error_class, '?'), error_code, sum(n) FROM (
                 SELECT error_class, error_code, count(*) AS n FROM deliveries
                 WHERE broadcast_id = ?1 AND state = 'failed' GROUP BY 1, 2
                 UNION ALL
                 SELECT error_class, error_code, n FROM delivery_totals
                 WHERE broadcast_id = ?1 AND state = 'failed'
             ) GROUP BY 1, 2",
        )?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Totals { by_state, failed })
}

pub fn summary(conn: &Connection, id: BroadcastId) -> Result<Summary> {
    let b = must_get(conn, id)?;
    let Totals {
        by_state: counts,
        failed,
    } = totals(conn, id)?;
    let mut failed_by_reason = BTreeMap::new();
    let mut failed_by_class = BTreeMap::new();
    let mut failures = Vec::new();
    for (class, code, n) in failed {
        let named = if class == "?" { "unknown" } else { &class };
        *failed_by_class.entry(named.to_string()).or_default() += n;
        let reason = match code {
            Some(code) => format!("{class} ({code})"),
            None => class,
        };
        failed_by_reason.insert(reason.clone(), n);
        failures.push((code, reason, n));
    }
    let count = |s: DeliveryState| counts.get(&s).copied().unwrap_or(0);
    let read = count(DeliveryState::Read);
    let delivered = count(DeliveryState::Delivered) + read;
    let accepted_by_whatsapp = count(DeliveryState::Sent) + delivered;
    Ok(Summary {
        id,
        kind: b.kind,
        state: b.state,
        is_test: b.is_test,
        preview: preview(&b.body),
        text: b.body,
        parameters: b.params,
        created_at: b.created_at,
        created_by: b.created_by,
        not_after: b.not_after,
        pause_reason: b.pause_reason,
        recipients: counts.values().sum(),
        counts,
        accepted_by_whatsapp,
        delivered,
        read,
        failed_by_reason,
        failures,
        failed_by_class,
    })
}

/// Every broadcast, newest first.
pub fn list(conn: &Connection) -> Result<Vec<Summary>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM broadcasts ORDER BY id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| summary(conn, BroadcastId(id)))
        .collect()
}

impl Summary {
    pub fn count(&self, s: DeliveryState) -> i64 {
        self.counts.get(&s).copied().unwrap_or(0)
    }

    /// Accepted by WhatsApp, whether or not a delivery report has come back yet.
    pub fn reached(&self) -> i64 {
        self.accepted_by_whatsapp
    }
}

impl Row for Summary {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "kind",
        "state",
        "created_at",
        "recipients",
        "accepted_by_whatsapp",
        "delivered",
        "read",
        "failed",
        "expired",
        "unknown",
        "queued",
        "text",
    ];

    fn cells(&self) -> Vec<String> {
        let kind = if self.is_test {
            format!("{} (test)", self.kind)
        } else {
            self.kind.to_string()
        };
        vec![
            self.id.to_string(),
            kind,
            self.state.to_string(),
            self.created_at.clone(),
            self.recipients.to_string(),
            self.accepted_by_whatsapp.to_string(),
            self.delivered.to_string(),
            self.read.to_string(),
            self.count(DeliveryState::Failed).to_string(),
            self.count(DeliveryState::Expired).to_string(),
            self.count(DeliveryState::Unknown).to_string(),
            (self.count(DeliveryState::Queued) + self.count(DeliveryState::Sending)).to_string(),
            self.text.clone(),
        ]
    }

    /// A table shows the start of the text; CSV (and JSON) the whole of it.
    fn table_cells(&self) -> Vec<String> {
        let mut cells = self.cells();
        if let Some(text) = cells.last_mut() {
            *text = self.preview.clone();
        }
        crate::output::for_people::<Self>(cells)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let test = if self.is_test { " (test)" } else { "" };
        writeln!(
            f,
            "broadcast {}{test}: {}, {} recipient(s)",
            self.id, self.state, self.recipients
        )?;
        if let Some(reason) = &self.pause_reason {
            writeln!(f, "  paused: {reason}")?;
        }
        writeln!(
            f,
            "  accepted by WhatsApp {} (delivered {}, read {}), failed {}, expired {}, unknown {}, not yet sent {}",
            self.accepted_by_whatsapp,
            self.delivered,
            self.read,
            self.count(DeliveryState::Failed),
            self.count(DeliveryState::Expired),
            self.count(DeliveryState::Unknown),
            self.count(DeliveryState::Queued) + self.count(DeliveryState::Sending),
        )?;
        for (code, reason, n) in &self.failures {
            match code {
                Some(code) => writeln!(
                    f,
                    "  failed: {n} × {reason}: {}",
                    crate::graph_error::meaning(*code)
                )?,
                None => writeln!(f, "  failed: {n} × {reason}")?,
            }
        }
        if !self.failures.is_empty() {
            writeln!(f, "  who: mot report broadcast {}", self.id)?;
        }
        Ok(())
    }
}

impl Summary {
    /// What the team can do next with this broadcast, as commands to run:
    /// `retryable` is how many failed rows `broadcasts retry` would re-send
    /// ([`super::count_retryable`]); `held` how many queued rows the
    /// messaging limit holds back, and until when the last of them waits.
    /// Empty when nothing is left to do.
    pub fn next_steps(&self, retryable: i64, held: (usize, Option<&str>)) -> Vec<String> {
        let id = self.id;
        let (held, until) = held;
        let queued = self.count(DeliveryState::Queued) - held as i64;
        // Rows caught mid-request: a resume marks them unknown.
        let unknown = self.count(DeliveryState::Unknown) + self.count(DeliveryState::Sending);
        let mut steps = Vec::new();
        if held > 0 {
            steps.push(format!(
                "`mot broadcasts resume {id}` sends the {held} message(s) the messaging limit \
                 holds back once they may go (the last from {}); nothing sends them by itself",
                until.unwrap_or("?")
            ));
        }
        if queued <= 0 {
            // Nothing else waits to be sent.
        } else if self.state == State::Paused {
            steps.push(format!(
                "once the cause is dealt with, `mot broadcasts resume {id}` sends the {queued} \
                 message(s) not yet sent"
            ));
        } else if queued > 0 {
            steps.push(format!(
                "`mot broadcasts resume {id}` sends the {queued} message(s) not yet sent \
                 (if no send is running now)"
            ));
        }
        if unknown > 0 {
            steps.push(format!(
                "`mot broadcasts resume {id} --resend-unknown` sends the {unknown} message(s) whose \
                 outcome is unknown (mot stopped mid-request) again; those members may get it twice"
            ));
        }
        if retryable > 0 && queued == 0 {
            steps.push(format!(
                "`mot broadcasts retry {id}` re-sends the {retryable} failed message(s) worth \
                 another try"
            ));
        }
        steps
    }

    /// The exit code for a broadcast with nothing left to send now: 0 when
    /// WhatsApp accepted every message, 3 when some recipients were not
    /// reached (failed, expired or unknown). The same state always gives the
    /// same code, whether a send, a resume or a retry found it so.
    pub fn finished_exit(&self) -> crate::exit::Exit {
        if self.reached() == self.recipients {
            crate::exit::Exit::Success
        } else {
            crate::exit::Exit::SomeFailed
        }
    }

    /// The whole text and the parameters it was sent as, after the counts:
    /// what `broadcasts show` adds to the send summary.
    pub fn full_text(&self) -> String {
        let mut s = format!("text:\n{}\n", self.text);
        if !self.parameters.is_empty() {
            s.push_str("parameters sent:\n");
            for (i, p) in self.parameters.iter().enumerate() {
                s.push_str(&format!("  {}: {p}\n", i + 1));
            }
        }
        s
    }
}

/// One recipient's line in a broadcast's delivery report.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub delivery_id: i64,
    pub member_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub state: DeliveryState,
    pub sent_at: Option<String>,
    pub updated_at: String,
    pub attempts: i64,
    pub error_code: Option<i64>,
    pub error_class: Option<String>,
    pub error_message: Option<String>,
}

impl Row for DeliveryRow {
    const HEADERS: &'static [&'static str] = &[
        "member",
        "name",
        "phone",
        "state",
        "sent_at",
        "updated_at",
        "error",
    ];
    const DROP_FIRST: &'static [&'static str] = &["updated_at", "sent_at"];
    const WHOLE: &'static [&'static str] = &["name"];
    const PHONES: &'static [&'static str] = &["phone"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.member_id
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".into()),
            self.name
                .clone()
                .unwrap_or_else(|| "(removed or not a member)".into()),
            self.phone.clone().unwrap_or_default(),
            self.state.to_string(),
            self.sent_at.clone().unwrap_or_default(),
            self.updated_at.clone(),
            self.error_message.clone().unwrap_or_default(),
        ]
    }
}

/// How many of a broadcast's per-member rows `mot purge` has replaced by totals.
pub fn purged_deliveries(conn: &Connection, id: BroadcastId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(n), 0) FROM delivery_totals WHERE broadcast_id = ?1")?
        .query_row([id.0], |r| r.get(0))?)
}

/// Every delivery of a broadcast, with the member it went to, in ledger order.
pub fn deliveries(conn: &Connection, id: BroadcastId) -> Result<Vec<DeliveryRow>> {
    must_get(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.member_id, m.name, d.phone, d.state, d.sent_at, d.updated_at, d.attempts,
                d.error_code, d.error_class, d.error_message
         FROM deliveries d LEFT JOIN members m ON m.id = d.member_id
         WHERE d.broadcast_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok(DeliveryRow {
            delivery_id: r.get(0)?,
            member_id: r.get(1)?,
            name: r.get(2)?,
            phone: r.get(3)?,
            state: r.get(4)?,
            sent_at: r.get(5)?,
            updated_at: r.get(6)?,
            attempts: r.get(7)?,
            error_code: r.get(8)?,
            error_class: r.get(9)?,
            error_message: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
