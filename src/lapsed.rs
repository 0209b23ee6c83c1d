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

/// Decides one member, fed their ledger rows newest first.
///
/// A member is gone when their latest run of counted misses (no delivery or
/// read in between) covers at least `rule.broadcasts` broadcasts *and* spans
/// at least `rule.min_days` days from the first miss to the last: three
/// failures in one morning are a bad morning, not a lost member. Once the run
/// qualifies, the walk goes on only to learn whether anything was ever
/// delivered to them: someone never reached at all is told apart (a number
/// whose WhatsApp is not set up yet), and is never pruned unless asked.
pub struct Judge<'a> {
    rule: &'a LapsedRule,
    now: Timestamp,
    /// Broadcast id → (created at, counts for nobody).
    broadcasts: &'a HashMap<BroadcastId, (String, bool)>,
    /// The run of misses, newest first.
    evidence: Vec<Evidence>,
    /// A delivery or read broke the run before it qualified.
    broken: bool,
    /// A delivery or read older than a qualifying run.
    reached_before: bool,
}

/// What the rule says of one member it finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The broadcasts that missed them, newest first.
    pub evidence: Vec<Evidence>,
    /// Nothing was ever delivered to them and they never wrote to the team.
    pub never_reached: bool,
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
            broken: false,
            reached_before: false,
        }
    }

    /// Takes the next older row; returns whether more rows could change the answer.
    pub fn push(&mut self, row: &LedgerRow) -> bool {
        let qualified = self.qualifies();
        match self.bearing(row) {
            Bearing::Reached if qualified => {
                self.reached_before = true;
                false
            }
            Bearing::Reached => {
                self.broken = true;
                false
            }
            Bearing::Missed(e) => {
                if !qualified {
                    self.evidence.push(e);
                }
                true
            }
            Bearing::Ignored => true,
        }
    }

    /// Whether the run so far is long enough, in broadcasts and in days.
    fn qualifies(&self) -> bool {
        if self.evidence.len() < self.rule.broadcasts {
            return false;
        }
        let (Some(newest), Some(oldest)) = (self.evidence.first(), self.evidence.last()) else {
            return false;
        };
        let (Ok(newest), Ok(oldest)) = (newest.at.parse::<Timestamp>(), oldest.at.parse()) else {
            return false;
        };
        newest.duration_since(oldest) >= SignedDuration::from_hours(24 * self.rule.min_days)
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

    /// The verdict, if the member is gone. `last_message_at` is when the
    /// member last wrote to the team: a message at or after the first counted
    /// miss clears them, and any message at all means they were reached once.
    pub fn finish(self, last_message_at: Option<&str>) -> Option<Verdict> {
        if self.broken || !self.qualifies() {
            return None;
        }
        let since = &self.evidence.last()?.at;
        if last_message_at.is_some_and(|m| m >= since.as_str()) {
            return None;
        }
        Some(Verdict {
            never_reached: !self.reached_before && last_message_at.is_none(),
            evidence: self.evidence,
        })
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
    /// Nothing was ever delivered to them: listed apart, pruned only with
    /// `--include-never-reached`.
    pub never_reached: bool,
    /// The broadcasts that missed them, newest first.
    pub evidence: Vec<Evidence>,
}

/// Everything the rule found at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub rule: LapsedRule,
    /// Members reached once who no longer are.
    pub lapsed: Vec<Lapsed>,
    /// Members the rule finds who were never reached at all.
    pub never_reached: Vec<Lapsed>,
    pub outages: Vec<Outage>,
}

impl Report {
    /// Every member the rule found: the lapsed, then the never reached.
    pub fn all(&self) -> Vec<Lapsed> {
        self.lapsed
            .iter()
            .chain(&self.never_reached)
            .cloned()
            .collect()
    }
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
    let (mut lapsed, mut never_reached) = (Vec::new(), Vec::new());
    for m in members::list(conn, &filter)? {
        let mut judge = Judge::new(rule, now, &broadcasts);
        history::walk(conn, m.id, &mut |row| judge.push(row))?;
        let last = last_messages.get(&m.id).map(String::as_str);
        if let Some(v) = judge.finish(last) {
            let found = Lapsed {
                member_id: m.id,
                since: v.evidence.last().map(|e| e.at.clone()).unwrap_or_default(),
                name: m.name,
                phone: m.phone.to_string(),
                role: m.role,
                location: m.location,
                status: m.status,
                never_reached: v.never_reached,
                evidence: v.evidence,
            };
            if v.never_reached {
                never_reached.push(found);
            } else {
                lapsed.push(found);
            }
        }
    }
    Ok(Report {
        rule: *rule,
        lapsed,
        never_reached,
        outages,
    })
}
