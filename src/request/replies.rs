//! `mot replies`: every recipient's answer to a request in one place, the
//! tally by option, who has not answered, and every message behind it.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;
use serde::Serialize;

use super::Request;
use crate::broadcast::{BroadcastId, DeliveryState};
use crate::output::Row;

/// What a reply says when the screen removed its text.
pub const REMOVED: &str = "removed: patient data";

/// The request, as the report's heading.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub id: BroadcastId,
    pub question: String,
    pub options: Vec<String>,
    pub closes_at: String,
    pub open: bool,
}

/// A member's answer: their latest on-time reply, or if they only replied
/// late, their latest late one (the database's `request_answers`).
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Null for the answer of a member since erased: it still counts, but
    /// says nothing of who gave it.
    pub member_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub location: Option<String>,
    /// The option number, or null for a free-text (or removed) answer.
    pub option: Option<u32>,
    /// The option's text, what the member wrote, or "removed: patient data".
    pub answer: String,
    pub at: String,
    pub late: bool,
    /// The screen removed the text.
    pub removed: bool,
    /// How many messages the member sent about this request.
    pub messages: usize,
    /// The team filed this answer by hand (`mot replies ID --assign`).
    pub by_hand: bool,
}

/// One line of the tally; `option` is null for free-text answers.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub option: Option<u32>,
    pub text: String,
    pub count: usize,
    /// Of all who answered, rounded to one decimal.
    pub percent: f64,
}

/// A recipient with no answer, and how far the request got to them.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub member_id: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub location: Option<String>,
    pub delivery: DeliveryState,
}

/// One message linked to the request (for `--all`).
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Null for a message of a member since erased.
    pub member_id: Option<i64>,
    pub name: Option<String>,
    pub at: String,
    pub how: String,
    pub option: Option<u32>,
    pub text: String,
    pub late: bool,
    /// Whether this message is the member's answer in the tally.
    pub counted: bool,
}

/// The whole report. `answers` and `not_yet` add up to `recipients`.
#[derive(Debug, Clone, Serialize)]
pub struct Replies {
    pub request: Heading,
    /// Everyone the request went to, erased members and rows `mot purge`
    /// replaced by totals included.
    pub recipients: usize,
    pub answers: Vec<Answer>,
    pub tally: Vec<Tally>,
    /// Recipients without an answer, named or not (an erased member, or
    /// one whose delivery row `mot purge` replaced by a total).
    pub not_yet: usize,
    /// Member ids of the recipients still on file who have not answered.
    pub missing: Vec<i64>,
    pub missing_recipients: Vec<Missing>,
    /// Messages that might answer this request but came from members with
    /// another request open, without quoting either: left in the inbox.
    pub ambiguous: i64,
    /// Plain messages from recipients since the request was sent that are
    /// linked to nothing (`mot inbox --unlinked` lists them): answers that
    /// came too late, or to something else.
    pub unlinked_since_sent: i64,
    pub messages: Vec<Message>,
}

struct Person {
    name: Option<String>,
    phone: Option<String>,
    role: Option<String>,
    location: Option<String>,
}

struct Linked {
    member_id: Option<i64>,
    person: Person,
    option: Option<u32>,
    how: String,
    late: bool,
    text: Option<String>,
    removed: bool,
    at: String,
    counted: bool,
}

/// Builds the report for request `req`.
pub fn report(conn: &Connection, req: &Request, now: Timestamp) -> Result<Replies> {
    let id = req.id;
    let linked = linked(conn, id)?;
    let answers = answers(req, &linked);
    let messages = linked
        .iter()
        .map(|l| Message {
            member_id: l.member_id,
            name: l.person.name.clone(),
            at: l.at.clone(),
            how: l.how.clone(),
            option: l.option,
            text: if l.removed {
                REMOVED.to_string()
            } else {
                l.text.clone().unwrap_or_default()
            },
            late: l.late,
            counted: l.counted,
        })
        .collect();
    let answered: HashSet<i64> = answers.iter().filter_map(|a| a.member_id).collect();
    let missing_recipients = missing(conn, id, &answered)?;
    let recipients = crate::broadcast::summary(conn, id)?.recipients as usize;
    let ambiguous: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM request_replies WHERE request_id = ?1 AND how = 'ambiguous'
               AND NOT EXISTS (SELECT 1 FROM request_replies o
                               WHERE o.inbound_id = request_replies.inbound_id
                                 AND o.how != 'ambiguous')",
        )?
        .query_row([id.0], |r| r.get(0))?;
    let unlinked_since_sent: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM inbound i
             WHERE i.broadcast_id IS NULL AND i.action = 'message'
               AND i.at >= (SELECT created_at FROM broadcasts WHERE id = ?1)
               AND i.member_id IN (SELECT member_id FROM deliveries WHERE broadcast_id = ?1)",
        )?
        .query_row([id.0], |r| r.get(0))?;

    Ok(Replies {
        request: Heading {
            id,
            question: req.question.clone(),
            options: req.options.clone(),
            closes_at: req.ends_at().to_string(),
            open: req.is_open(now),
        },
        recipients,
        tally: tally(req, &answers),
        not_yet: recipients.saturating_sub(answers.len()),
        missing: missing_recipients.iter().map(|m| m.member_id).collect(),
        missing_recipients,
        answers,
        ambiguous,
        unlinked_since_sent,
        messages,
    })
}

/// Every message linked to request `id`, in time order, each marked
/// whether it is its member's answer.
fn linked(conn: &Connection, id: BroadcastId) -> Result<Vec<Linked>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rr.member_id, m.name, m.phone, m.role, m.location, rr.option, rr.how, rr.late,
                i.text, i.flagged IS NOT NULL, i.at,
                EXISTS (SELECT 1 FROM request_answers a
                        WHERE a.inbound_id = rr.inbound_id AND a.request_id = rr.request_id)
         FROM request_replies rr
         JOIN inbound i ON i.id = rr.inbound_id
         LEFT JOIN members m ON m.id = rr.member_id
         WHERE rr.request_id = ?1 AND rr.how != 'ambiguous'
         ORDER BY i.at, i.id",
    )?;
    let linked = stmt
        .query_map([id.0], |r| {
            Ok(Linked {
                member_id: r.get(0)?,
                person: Person {
                    name: r.get(1)?,
                    phone: r.get(2)?,
                    role: r.get(3)?,
                    location: r.get(4)?,
                },
                option: r.get(5)?,
                how: r.get(6)?,
                late: r.get(7)?,
                text: r.get(8)?,
                removed: r.get(9)?,
                at: r.get(10)?,
                counted: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(linked)
}

/// The answers among the linked messages, in member order (erased
/// members' last).
fn answers(req: &Request, linked: &[Linked]) -> Vec<Answer> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for l in linked {
        if let Some(member) = l.member_id {
            *counts.entry(member).or_default() += 1;
        }
    }
    let answer_text = |l: &Linked| -> String {
        if l.removed {
            REMOVED.to_string()
        } else if let Some(n) = l.option {
            req.options[n as usize - 1].clone()
        } else {
            l.text.clone().unwrap_or_default()
        }
    };
    let mut answers: Vec<Answer> = linked
        .iter()
        .filter(|l| l.counted)
        .map(|l| Answer {
            member_id: l.member_id,
            name: l.person.name.clone(),
            phone: l.person.phone.clone(),
            role: l.person.role.clone(),
            location: l.person.location.clone(),
            option: l.option,
            answer: answer_text(l),
            at: l.at.clone(),
            late: l.late,
            removed: l.removed,
            // An erased member's other messages were unlinked with them.
            messages: l.member_id.map_or(1, |m| counts[&m]),
            by_hand: l.how == "hand",
        })
        .collect();
    answers.sort_by_key(|a| (a.member_id.is_none(), a.member_id));
    answers
}

/// The tally by option, then free text, then answers the screen removed.
fn tally(req: &Request, answers: &[Answer]) -> Vec<Tally> {
    let mut tally: Vec<Tally> = req
        .options
        .iter()
        .enumerate()
        .map(|(i, text)| Tally {
            option: Some(i as u32 + 1),
            text: text.clone(),
            count: answers
                .iter()
                .filter(|a| a.option == Some(i as u32 + 1))
                .count(),
            percent: 0.0,
        })
        .collect();
    let free = answers
        .iter()
        .filter(|a| a.option.is_none() && !a.removed)
        .count();
    let removed = answers.iter().filter(|a| a.removed).count();
    tally.push(Tally {
        option: None,
        text: if req.options.is_empty() {
            "answered".to_string()
        } else {
            "other (free text)".to_string()
        },
        count: free,
        percent: 0.0,
    });
    tally.push(Tally {
        option: None,
        text: format!("answered, {REMOVED}"),
        count: removed,
        percent: 0.0,
    });
    let total = answers.len();
    for t in &mut tally {
        if total > 0 {
            t.percent = (t.count as f64 * 1000.0 / total as f64).round() / 10.0;
        }
    }
    tally
}

/// The recipients still on file who have not answered, and how far the
/// request got to each.
fn missing(conn: &Connection, id: BroadcastId, answered: &HashSet<i64>) -> Result<Vec<Missing>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.member_id, m.name, m.phone, m.role, m.location, d.state
         FROM deliveries d JOIN members m ON m.id = d.member_id
         WHERE d.broadcast_id = ?1 ORDER BY d.id",
    )?;
    let mut missing = Vec::new();
    for row in stmt.query_map([id.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Person {
                name: r.get(1)?,
                phone: r.get(2)?,
                role: r.get(3)?,
                location: r.get(4)?,
            },
            r.get::<_, DeliveryState>(5)?,
        ))
    })? {
        let (member_id, person, delivery) = row?;
        if !answered.contains(&member_id) {
            missing.push(Missing {
                member_id,
                name: person.name,
                phone: person.phone,
                role: person.role,
                location: person.location,
                delivery,
            });
        }
    }
    Ok(missing)
}

impl Replies {
    /// One row per recipient (and per anyone else who answered), in member
    /// order: their answer, or why there is none yet.
    pub fn rows(&self) -> Vec<Answer> {
        let mut rows = self.answers.clone();
        rows.extend(self.missing_recipients.iter().map(|m| Answer {
            member_id: Some(m.member_id),
            name: m.name.clone(),
            phone: m.phone.clone(),
            role: m.role.clone(),
            location: m.location.clone(),
            option: None,
            answer: match m.delivery {
                DeliveryState::Sent | DeliveryState::Delivered | DeliveryState::Read => {
                    "(no answer yet)".to_string()
                }
                other => format!("(not delivered: {other})"),
            },
            at: String::new(),
            late: false,
            removed: false,
            messages: 0,
            by_hand: false,
        }));
        rows.sort_by_key(|a| (a.member_id.is_none(), a.member_id));
        rows
    }
}

/// A member's detail, or a note that it is gone. Cells are escaped and
/// protected against spreadsheet formulas where they are written
/// ([`crate::output`]), like every other table and CSV.
fn opt(v: &Option<String>) -> String {
    v.as_deref()
        .map(str::to_string)
        .unwrap_or_else(|| "(removed)".into())
}

/// A member's id, or a note that the member was erased.
fn member(id: Option<i64>) -> String {
    id.map_or_else(|| "(erased)".into(), |id| id.to_string())
}

impl Row for Answer {
    const HEADERS: &'static [&'static str] = &[
        "member",
        "name",
        "role",
        "location",
        "answer",
        "answered_at",
        "late",
    ];

    fn cells(&self) -> Vec<String> {
        let answer = match self.option {
            Some(n) => format!("{n} {}", self.answer),
            None => self.answer.clone(),
        };
        let answer = if self.by_hand {
            format!("{answer} (by hand)")
        } else {
            answer
        };
        vec![
            member(self.member_id),
            opt(&self.name),
            opt(&self.role),
            opt(&self.location),
            answer,
            self.at.clone(),
            if self.late { "late" } else { "" }.to_string(),
        ]
    }
}

impl Row for Tally {
    const HEADERS: &'static [&'static str] = &["option", "text", "count", "percent"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.option.map(|n| n.to_string()).unwrap_or_default(),
            self.text.clone(),
            self.count.to_string(),
            format!("{:.1}%", self.percent),
        ]
    }
}

impl Row for Missing {
    const HEADERS: &'static [&'static str] =
        &["member", "name", "phone", "role", "location", "delivery"];
    const WHOLE: &'static [&'static str] = &["name"];
    const PHONES: &'static [&'static str] = &["phone"];

    fn cells(&self) -> Vec<String> {
        let delivery = match self.delivery {
            DeliveryState::Delivered | DeliveryState::Read => "delivered, no answer".to_string(),
            DeliveryState::Sent => "sent, not yet reported delivered".to_string(),
            other => format!("not delivered ({other})"),
        };
        vec![
            self.member_id.to_string(),
            opt(&self.name),
            // Stored only after E.164 validation: nothing to defuse.
            self.phone.clone().unwrap_or_else(|| "(removed)".into()),
            opt(&self.role),
            opt(&self.location),
            delivery,
        ]
    }
}

impl Row for Message {
    const HEADERS: &'static [&'static str] = &[
        "member",
        "name",
        "at",
        "linked_by",
        "option",
        "late",
        "counted",
        "text",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            member(self.member_id),
            opt(&self.name),
            self.at.clone(),
            self.how.clone(),
            self.option.map(|n| n.to_string()).unwrap_or_default(),
            if self.late { "late" } else { "" }.to_string(),
            if self.counted { "yes" } else { "" }.to_string(),
            self.text.clone(),
        ]
    }
}
