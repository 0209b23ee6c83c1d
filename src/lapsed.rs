//! The lapsed rule: which members have stopped receiving messages, decided
//! from the delivery ledger and a clock passed in, with the evidence for each.
//!
//! `report lapsed`, `members prune` and `report summary` all call [`find`],
//! so what is pruned is exactly what was reported. The rule itself
//! ([`Judge`], [`outages`]) is pure: it sees ledger rows, never the database.

use std::collections::HashMap;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;
use serde::Serialize;

use crate::broadcast::history::{self, BroadcastFacts, LedgerRow};
use crate::broadcast::{BroadcastId, DeliveryState};
use crate::config::LapsedRule;
use crate::graph_error::{ErrorClass, meaning};
use crate::members::{self, MemberId, MemberStatus};

#[cfg(test)]
mod tests;

/// One broadcast that missed a member, as shown in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub broadcast_id: BroadcastId,
    /// When the broadcast was created.
    pub at: String,
    pub state: DeliveryState,
    pub error_code: Option<i64>,
    /// `member` for a failure; `None` for a message sent but never delivered.
    pub error_class: Option<&'static str>,
    pub meaning: String,
}

/// A broadcast excluded for everyone because too many of its recipients
/// failed with the same code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outage {
    pub broadcast_id: BroadcastId,
    pub at: String,
    pub recipients: i64,
    pub error_code: i64,
    pub failed: i64,
    pub why: String,
}

/// Broadcasts where more than `rule.outage_share` of the recipients failed
/// with one error code. Test sends are left out: they never count anyway.
pub fn outages(rule: &LapsedRule, facts: &[BroadcastFacts]) -> Vec<Outage> {
    let mut found = Vec::new();
    for b in facts.iter().filter(|b| !b.is_test && b.recipients > 0) {
        let Some(&(code, failed)) = b.failures.iter().max_by_key(|(code, n)| (*n, -code)) else {
            continue;
        };
        if failed as f64 > rule.outage_share * b.recipients as f64 {
            found.push(Outage {
                broadcast_id: b.id,
                at: b.at.clone(),
                recipients: b.recipients,
                error_code: code,
                failed,
                why: format!(
                    "{failed} of {} recipients ({:.0}%) failed with {code} ({}): more than the \
                     outage share of {:.0}%, so a platform problem, not a member problem",
                    b.recipients,
                    100.0 * failed as f64 / b.recipients as f64,
                    meaning(code),
                    100.0 * rule.outage_share
                ),
            });
        }
    }
    found
}

/// How one ledger row bears on the rule.
enum Bearing {
    /// The member was reached: nothing older matters.
    Reached,
    /// A counted miss.
    Missed(Evidence),
    /// Says nothing about the member (test, outage, throttling, not yet known…).
    Ignored,
}

/// Decides one member, fed their ledger rows newest first. Feeding stops as
/// soon as the answer is known, so a member reached last time costs one row.
pub struct Judge<'a> {
    rule: &'a LapsedRule,
    now: Timestamp,
    /// Broadcast id → (created at, counts for nobody).
    broadcasts: &'a HashMap<BroadcastId, (String, bool)>,
    evidence: Vec<Evidence>,
    reached: bool,
}

impl<'a> Judge<'a> {
    pub fn new(
        rule: &'a LapsedRule,
        now: Timestamp,
        broadcasts: &'a HashMap<BroadcastId, (String, bool)>,
    ) -> Judge<'a> {
        Judge {
            rule,
            now,
            broadcasts,
            evidence: Vec::new(),
            reached: false,
        }
    }

    /// Takes the next older row; returns whether more rows could change the answer.
    pub fn push(&mut self, row: &LedgerRow) -> bool {
        match self.bearing(row) {
            Bearing::Reached => {
                self.reached = true;
                false
            }
            Bearing::Missed(e) => {
                self.evidence.push(e);
                self.evidence.len() < self.rule.broadcasts
            }
            Bearing::Ignored => true,
        }
    }

    fn bearing(&self, row: &LedgerRow) -> Bearing {
        // A delivery or read of anything, even a test or an outage broadcast,
        // after the misses shows the number works.
        if matches!(row.state, DeliveryState::Delivered | DeliveryState::Read) {
            return Bearing::Reached;
        }
        let Some((at, excluded)) = self.broadcasts.get(&row.broadcast_id) else {
            return Bearing::Ignored;
        };
        if *excluded {
            return Bearing::Ignored;
        }
        let evidence = |error_class, meaning| Evidence {
            broadcast_id: row.broadcast_id,
            at: at.clone(),
            state: row.state,
            error_code: row.error_code,
            error_class,
            meaning,
        };
        match (row.state, row.error_code) {
            (DeliveryState::Failed, Some(code))
                if ErrorClass::of(code, 400) == ErrorClass::Member =>
            {
                Bearing::Missed(evidence(Some("member"), meaning(code).to_string()))
            }
            (DeliveryState::Sent, _) => {
                let sent = row.sent_at.as_deref().unwrap_or(at);
                let Ok(sent_at) = sent.parse::<Timestamp>() else {
                    return Bearing::Ignored;
                };
                let limit = SignedDuration::from_hours(24 * self.rule.min_days);
                if self.now.duration_since(sent_at) > limit {
                    Bearing::Missed(evidence(
                        None,
                        format!(
                            "sent {sent}, not delivered after {} days",
                            self.rule.min_days
                        ),
                    ))
                } else {
                    // Too soon to say: it may yet be delivered.
                    Bearing::Ignored
                }
            }
            _ => Bearing::Ignored,
        }
    }

    /// The verdict: the evidence (newest first) if the member is lapsed.
    /// `last_message_at` is when the member last wrote to the team; a message
    /// at or after the first counted miss clears them.
    pub fn finish(self, last_message_at: Option<&str>) -> Option<Vec<Evidence>> {
        if self.reached || self.evidence.len() < self.rule.broadcasts {
            return None;
        }
        let since = &self.evidence.last()?.at;
        if last_message_at.is_some_and(|m| m >= since.as_str()) {
            return None;
        }
        Some(self.evidence)
    }
}

/// A member the rule says has lapsed, with what they are on file as.
#[derive(Debug, Clone, Serialize)]
pub struct Lapsed {
    pub member_id: MemberId,
    pub name: String,
    pub phone: String,
    pub role: String,
    pub location: String,
    /// Their stored status: active, or already marked lapsed.
    pub status: MemberStatus,
    /// When the first counted miss happened.
    pub since: String,
    /// The broadcasts that missed them, newest first.
    pub evidence: Vec<Evidence>,
}

/// Everything the rule found at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub rule: LapsedRule,
    pub lapsed: Vec<Lapsed>,
    pub outages: Vec<Outage>,
}

/// Applies the rule to every active or lapsed member. Opted-out members are
/// left alone (a STOP is stronger than any rule) and pending ones were never sent to.
pub fn find(conn: &Connection, rule: &LapsedRule, now: Timestamp) -> Result<Report> {
    let facts = history::broadcast_facts(conn)?;
    let outages = outages(rule, &facts);
    let mut broadcasts: HashMap<BroadcastId, (String, bool)> = facts
        .into_iter()
        .map(|b| (b.id, (b.at, b.is_test)))
        .collect();
    for o in &outages {
        if let Some(b) = broadcasts.get_mut(&o.broadcast_id) {
            b.1 = true;
        }
    }
    let last_messages = history::last_messages(conn)?;
    let filter = members::Filter {
        statuses: vec![MemberStatus::Active, MemberStatus::Lapsed],
        ..members::Filter::default()
    };
    let mut lapsed = Vec::new();
    for m in members::list(conn, &filter)? {
        let mut judge = Judge::new(rule, now, &broadcasts);
        history::walk(conn, m.id, &mut |row| judge.push(row))?;
        let last = last_messages.get(&m.id).map(String::as_str);
        if let Some(evidence) = judge.finish(last) {
            lapsed.push(Lapsed {
                member_id: m.id,
                since: evidence.last().map(|e| e.at.clone()).unwrap_or_default(),
                name: m.name,
                phone: m.phone.to_string(),
                role: m.role,
                location: m.location,
                status: m.status,
                evidence,
            });
        }
    }
    Ok(Report {
        rule: *rule,
        lapsed,
        outages,
    })
}
