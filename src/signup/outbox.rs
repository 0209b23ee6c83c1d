//! The messages mot sends a member on its own, inside their 24-hour window:
//! the terms and questions of the sign-up conversation and the channel
//! replies (`member_messages`). A row names what to send, never its text; the
//! text is built from the configuration when it is sent. Nothing is sent
//! outside the window: such a row is recorded `window_closed`, as is a send
//! Meta refuses with 131047. None of these are broadcasts: they never enter
//! the delivery ledger, so they never count towards lapsing.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::{Conversation, Kind, Step};
use crate::db::ts;
use crate::members::{self, MemberId, MemberStatus};
use crate::whatsapp::free_form::{self, Choice};
use crate::whatsapp::{Client, SendOutcome};

/// How long a person's message lets the business write freely to them.
pub const WINDOW: SignedDuration = SignedDuration::from_hours(24);
/// Meta's code for a free-form message outside the window.
pub const WINDOW_CLOSED_CODE: i64 = 131047;

/// A claimed message, ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub kind: Kind,
    pub body: Value,
}

/// How a claimed message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent { wamid: String },
    WindowClosed,
    Failed(String),
}

impl Outcome {
    /// What a send's answer means here: 131047 is the window, not a failure.
    pub fn of(sent: SendOutcome) -> Outcome {
        match sent {
            SendOutcome::Accepted { wamid } => Outcome::Sent { wamid },
            SendOutcome::Rejected(e) if e.code == WINDOW_CLOSED_CODE => Outcome::WindowClosed,
            SendOutcome::Rejected(e) => Outcome::Failed(e.to_string()),
            SendOutcome::NotSent(e) | SendOutcome::Unknown(e) => Outcome::Failed(e),
        }
    }
}

/// Queues one message for a member.
pub fn enqueue(conn: &Connection, member: MemberId, kind: Kind, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO member_messages (member_id, kind, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![member.0, kind.as_str(), ts(now)])?;
    Ok(())
}

/// Queues a channel reply unless one of that kind was queued for the member
/// in the last 24 hours (whatever became of it).
pub fn enqueue_daily(
    conn: &Connection,
    member: MemberId,
    kind: Kind,
    now: Timestamp,
) -> Result<bool> {
    let recent = conn
        .prepare_cached(
            "SELECT 1 FROM member_messages WHERE member_id = ?1 AND kind = ?2 AND created_at > ?3",
        )?
        .query_row(params![member.0, kind.as_str(), ts(now - WINDOW)], |_| {
            Ok(())
        })
        .optional()?;
    if recent.is_some() {
        return Ok(false);
    }
    enqueue(conn, member, kind, now)?;
    Ok(true)
}

/// Whether the member wrote to us in the last 24 hours (by the time of
/// their latest message as stored: Meta's, never later than its arrival).
pub fn window_open(conn: &Connection, member: MemberId, now: Timestamp) -> Result<bool> {
    let last: Option<String> = conn
        .prepare_cached("SELECT max(at) FROM inbound WHERE member_id = ?1")?
        .query_row([member.0], |r| r.get(0))?;
    Ok(last.is_some_and(|at| at.as_str() > ts(now - WINDOW).as_str()))
}

/// Cancels every unsent message to a member (they stopped, or left).
pub fn cancel(conn: &Connection, member: MemberId, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE member_messages SET outcome = 'cancelled', done_at = ?2
         WHERE member_id = ?1 AND outcome IS NULL",
    )?
    .execute(params![member.0, ts(now)])?;
    Ok(())
}

/// Forgets claims a stopped sender never settled, so they are sent again
/// (at the next start, if the window is still open).
pub fn release_claims(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE member_messages SET claimed_at = NULL WHERE outcome IS NULL AND claimed_at IS NOT NULL",
        [],
    )?)
}

/// Claims every queued message that may go now and builds its body. A
/// message to someone whose window is closed is settled `window_closed`
/// and one to someone who stopped or left `cancelled`: neither is sent.
pub fn claim(conn: &Connection, conv: &Conversation, now: Timestamp) -> Result<Vec<Outgoing>> {
    let queued: Vec<(i64, MemberId, Kind)> = conn
        .prepare_cached(
            "SELECT id, member_id, kind FROM member_messages
             WHERE outcome IS NULL AND claimed_at IS NULL ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, MemberId(r.get(1)?), r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, member, kind) in queued {
        let m = members::get(conn, member)?;
        let body = match m {
            Some(m) if m.status == MemberStatus::OptedOut => None,
            Some(m) => {
                if !window_open(conn, member, now)? {
                    record(conn, id, &Outcome::WindowClosed, now)?;
                    continue;
                }
                body(kind, &m, conv)
            }
            None => None,
        };
        let Some(body) = body else {
            settle(conn, id, "cancelled", None, None, now)?;
            continue;
        };
        conn.prepare_cached("UPDATE member_messages SET claimed_at = ?2 WHERE id = ?1")?
            .execute(params![id, ts(now)])?;
        out.push(Outgoing { id, kind, body });
    }
    Ok(out)
}

/// Writes how a claimed message ended; a question sent is the time it was asked.
pub fn record(conn: &Connection, id: i64, outcome: &Outcome, now: Timestamp) -> Result<()> {
    match outcome {
        Outcome::Sent { wamid } => {
            settle(conn, id, "sent", Some(wamid), None, now)?;
            let (member, kind): (i64, Kind) = conn
                .prepare_cached("SELECT member_id, kind FROM member_messages WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if kind.asks().is_some() {
                conn.prepare_cached("UPDATE signups SET asked_at = ?2 WHERE member_id = ?1")?
                    .execute(params![member, ts(now)])?;
            }
        }
        Outcome::WindowClosed => settle(conn, id, "window_closed", None, None, now)?,
        Outcome::Failed(why) => settle(conn, id, "failed", None, Some(why), now)?,
    }
    Ok(())
}

/// A message Meta accepted and later reported failed (a status webhook):
/// 131047 means the window had closed, anything else a failure. Returns
/// whether `wamid` was one of these messages.
pub fn failed_later(
    conn: &Connection,
    wamid: &str,
    code: Option<i64>,
    now: Timestamp,
) -> Result<bool> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM member_messages WHERE wamid = ?1 AND outcome = 'sent'")?
        .query_row([wamid], |r| r.get(0))
        .optional()?;
    let Some(id) = id else {
        return Ok(false);
    };
    let wamid = Some(wamid.to_string());
    match code {
        Some(WINDOW_CLOSED_CODE) => settle(conn, id, "window_closed", wamid.as_ref(), None, now)?,
        other => {
            let why = format!(
                "failed after it was accepted (code {})",
                other.unwrap_or(-1)
            );
            settle(conn, id, "failed", wamid.as_ref(), Some(&why), now)?;
        }
    }
    Ok(true)
}

fn settle(
    conn: &Connection,
    id: i64,
    outcome: &str,
    wamid: Option<&String>,
    error: Option<&String>,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE member_messages SET outcome = ?2, wamid = ?3, error = ?4, done_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, outcome, wamid, error, ts(now)])?;
    Ok(())
}

/// Claims, sends and records every queued message, one at a time (the
/// laptop's way, after `mot status pull` applied the relay's events).
/// Returns how many went and how many found the window closed.
pub fn send_all(
    conn: &Connection,
    client: &Client,
    conv: &Conversation,
    now: Timestamp,
) -> Result<(usize, usize)> {
    release_claims(conn)?;
    let outgoing = claim(conn, conv, now)?;
    if outgoing.is_empty() {
        return Ok((0, 0));
    }
    let runtime = crate::net::runtime()?;
    let (mut sent, mut closed) = (0, 0);
    for o in outgoing {
        let outcome = Outcome::of(runtime.block_on(client.send_free_form(&o.body)));
        match &outcome {
            Outcome::Sent { .. } => sent += 1,
            Outcome::WindowClosed => closed += 1,
            Outcome::Failed(why) => {
                crate::log_line!("signup: a {} message was not sent: {why}", o.kind.as_str());
            }
        }
        record(conn, o.id, &outcome, crate::clock::now())?;
    }
    Ok((sent, closed))
}

/// The body of one message, or `None` when there is nothing to send (a
/// channel reply no longer configured).
fn body(kind: Kind, m: &members::Member, conv: &Conversation) -> Option<Value> {
    let to = &m.phone;
    let s = &conv.signup;
    let choices = |what: &str, list: &[String]| -> Vec<Choice> {
        list.iter()
            .enumerate()
            .map(|(i, title)| Choice {
                id: format!("mot:{what}:{}", i + 1),
                title: title.clone(),
            })
            .chain([Choice {
                id: format!("mot:{what}:other"),
                title: "Other".to_string(),
            }])
            .collect()
    };
    Some(match kind {
        Kind::Terms => free_form::text(to, &s.terms),
        Kind::AskName => {
            let keep = if m.name.chars().count() <= 20 {
                m.name.clone()
            } else {
                "Yes, that is me".to_string()
            };
            free_form::buttons(
                to,
                &format!("Thank you. Is your name {}?", m.name),
                &[
                    Choice {
                        id: "mot:name:profile".into(),
                        title: keep,
                    },
                    Choice {
                        id: "mot:name:other".into(),
                        title: "A different name".into(),
                    },
                ],
            )
        }
        Kind::AskRole if !s.roles.is_empty() => free_form::list(
            to,
            "What is your job role?",
            "Choose your role",
            "Job roles",
            &choices("role", &s.roles),
        ),
        Kind::AskLocation if !s.localities.is_empty() => free_form::list(
            to,
            "Where do you work?",
            "Choose a location",
            "Locations",
            &choices("location", &s.localities),
        ),
        Kind::GeneralReply => free_form::text(to, conv.replies.general_reply.as_deref()?),
        Kind::PatientDataReply => free_form::text(to, conv.replies.patient_data_reply.as_deref()?),
        other => free_form::text(to, text_of(other)),
    })
}

/// The fixed texts of the conversation.
fn text_of(kind: Kind) -> &'static str {
    match kind.asks() {
        Some(Step::Name | Step::NameText) => {
            "Please type your name as you would like the team to see it."
        }
        Some(Step::Role | Step::RoleText) => {
            "Please type your job role, for example \"Community pharmacist\"."
        }
        Some(Step::Location | Step::LocationText) => {
            "Where do you work? Please type the name of your pharmacy, practice or team and its town."
        }
        _ => "Thank you: we have your details. The team will add you to the service shortly.",
    }
}
