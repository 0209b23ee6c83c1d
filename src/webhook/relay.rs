//! The laptop's side of the relay: fetching the events a remote
//! `mot webhook serve` stored, applying them, acknowledging them.
//!
//! A relay's event ids only ever grow, but a relay can be rebuilt (a fresh
//! database starts again at 1). Each relay database has a random identity,
//! and the laptop keeps one cursor per identity: a relay it has not seen
//! before is read from its beginning, so no event (a STOP included) is
//! skipped because its id is below a cursor another relay left behind.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use super::{ApplyReport, apply_payload_with};
use crate::signup::Conversation;

pub mod erasures;
use crate::config::Secret;
use crate::db::settings;
use crate::event::Ours;
use crate::event::Source;
use crate::status;

/// What `mot status pull` reports: its own lookups, and the relay's events
/// when one is configured (the JSON keeps both in one object).
#[derive(Debug, Serialize)]
pub struct Pulled {
    #[serde(flatten)]
    pub lookups: status::pull::PullReport,
    pub relay: Option<ApplyReport>,
}

impl fmt::Display for Pulled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.lookups)?;
        if let Some(r) = &self.relay {
            writeln!(
                f,
                "relay: {} status(es) ({} moved a delivery), {} message(s), {} sign-up(s), {} opt-out(s), {} account event(s) ({} of fields mot does not read), {} change(s) for another number or business account ignored",
                r.statuses,
                r.statuses_moved,
                r.messages,
                r.signups,
                r.opt_outs,
                r.account.stored,
                r.account.unknown_fields,
                r.not_ours()
            )?;
        }
        Ok(())
    }
}

/// The settings key of the cursor for the relay with this identity.
fn cursor_key(relay: &str) -> String {
    format!("relay_cursor:{relay}")
}

/// One page from `GET /events`.
struct Page {
    relay: String,
    /// The highest id the relay ever gave out.
    last_id: i64,
    events: Vec<Value>,
}

fn page(v: Value) -> Result<Page> {
    let relay = v["relay"]
        .as_str()
        .filter(|r| !r.is_empty())
        .context("the relay did not say who it is (is it an older mot? upgrade it)")?
        .to_string();
    Ok(Page {
        relay,
        last_id: v["last_id"].as_i64().unwrap_or(0),
        events: v["events"].as_array().cloned().unwrap_or_default(),
    })
}

/// The runtime and HTTP client the laptop speaks to the relay with.
fn http() -> Result<(tokio::runtime::Runtime, reqwest::Client)> {
    Ok((
        crate::net::runtime()?,
        crate::net::client(Duration::from_secs(30))?,
    ))
}

/// Fetches, applies and acknowledges every event the relay at `url` holds,
/// after telling it every erasure it is owed (so an erased person's waiting
/// message cannot bring them back as a sign-up); only what is `ours` is
/// applied (an older relay may have stored the rest).
pub fn pull(
    conn: &mut Connection,
    url: &str,
    token: &Secret,
    ours: &Ours,
    conv: &Conversation,
) -> Result<ApplyReport> {
    let told = erasures::tell(conn, url, token)?;
    if let Some(why) = &told.failure {
        crate::log_line!(
            "relay: {} erasure(s) still owed ({why}); their events are not applied meanwhile",
            told.owed
        );
    }
    let owed = erasures::owed(conn)?;
    let (runtime, http) = http()?;
    let fetch = |after: i64| -> Result<Page> {
        let v: Value = runtime
            .block_on(async {
                http.get(format!("{url}/events"))
                    .bearer_auth(token.expose())
                    .query(&[("after", after)])
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await
            })
            .with_context(|| format!("cannot fetch events from the relay at {url}"))?;
        page(v)
    };
    let mut report = ApplyReport::default();
    // The relay we last spoke to is the best guess for whose cursor to send.
    let mut known = settings::get(conn, "relay_identity")?;
    loop {
        let after = cursor(conn, known.as_deref())?;
        let mut page = fetch(after)?;
        if known.as_deref() != Some(page.relay.as_str()) {
            // Another relay (or a rebuilt one) answered: ask again with its own cursor.
            known = Some(page.relay.clone());
            settings::set(conn, "relay_identity", &page.relay)?;
            page = fetch(cursor(conn, known.as_deref())?)?;
            if known.as_deref() != Some(page.relay.as_str()) {
                bail!("the relay at {url} changed identity between two requests; try again");
            }
        }
        let after = cursor(conn, Some(&page.relay))?;
        if after > page.last_id {
            // Our cursor is past anything this relay ever stored (restored
            // from an old backup?): read it again from the start. Events
            // are applied idempotently, so re-reading costs nothing.
            crate::log_line!(
                "relay: the relay's events end at {} but we had read up to {after}; reading it again from the start",
                page.last_id
            );
            settings::set(conn, &cursor_key(&page.relay), "0")?;
            continue;
        }
        let Some(last) = page.events.last().and_then(|e| e["id"].as_i64()) else {
            return Ok(report);
        };
        apply_page(conn, &page, last, (&owed, ours, conv), &mut report)?;
        runtime
            .block_on(async {
                http.post(format!("{url}/events/ack"))
                    .bearer_auth(token.expose())
                    .json(&serde_json::json!({ "upto": last, "relay": page.relay }))
                    .send()
                    .await?
                    .error_for_status()
            })
            .with_context(|| format!("cannot acknowledge events to the relay at {url}"))?;
    }
}

/// How far the laptop has read the relay with this identity (0 for none).
fn cursor(conn: &Connection, relay: Option<&str>) -> Result<i64> {
    Ok(match relay {
        Some(r) => settings::get(conn, &cursor_key(r))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        None => 0,
    })
}

/// Applies one page of events in one transaction, leaving out anyone whose
/// erasure is still `owed`, and moves the relay's cursor to `last`.
fn apply_page(
    conn: &mut Connection,
    page: &Page,
    last: i64,
    (owed, ours, conv): (&[crate::phone::E164], &Ours, &Conversation),
    report: &mut ApplyReport,
) -> Result<()> {
    let now = crate::clock::now();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    'events: for e in &page.events {
        let mut body = serde_json::to_vec(&e["body"])?;
        // Someone erased here whose erasure the relay has not confirmed:
        // their items go, everyone else's in the same payload stay.
        for phone in owed {
            match super::scrub::without_number(&body, phone) {
                Some(kept) => body = kept,
                None => continue 'events,
            }
        }
        // Scrubbed again here: an older relay may not have.
        let scrubbed = super::scrub(&body, ours);
        report.not_ours += scrubbed.not_ours;
        report.add(apply_payload_with(
            &tx,
            &scrubbed.body,
            ours,
            Source::Relay,
            conv,
            now,
        )?);
    }
    report.statuses_moved += status::apply_waiting(&tx, None, now)?;
    settings::set(&tx, &cursor_key(&page.relay), &last.to_string())?;
    tx.commit()?;
    Ok(())
}
