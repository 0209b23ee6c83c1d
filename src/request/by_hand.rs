//! `mot replies ID --assign MESSAGE OPTION`: the team files a message as a
//! member's answer to a request by hand ("we've got loads" is option 1).
//! A filed answer is the member's answer (migration 18's `request_answers`).

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Request, is_recipient, of_broadcast};
use crate::broadcast::BroadcastId;
use crate::db::ts;
use crate::exit::error_with_help;
use crate::members::MemberId;

/// What was filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub member: MemberId,
    pub option: u32,
    pub late: bool,
    /// The member's answer before, when filing changed it.
    pub replaced: Option<Previous>,
}

/// A member's answer that a filing by hand replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub message: i64,
    pub option: Option<u32>,
    /// How it was linked: a `How` word, or `hand`.
    pub how: String,
    /// What the member wrote; `None` when the screen removed it or it is gone.
    pub text: Option<String>,
    pub removed: bool,
}

impl Previous {
    /// The answer as `mot replies` shows it, and where it came from:
    /// `2 Out of stock (from message 36)`.
    pub fn describe(&self, req: &Request) -> String {
        let answer = match self.option {
            Some(n) => format!(
                "{n} {}",
                req.options.get(n as usize - 1).map_or("", String::as_str)
            ),
            None if self.removed => super::replies::REMOVED.to_string(),
            None => format!("{:?}", self.text.as_deref().unwrap_or_default()),
        };
        let hand = if self.how == "hand" { ", by hand" } else { "" };
        format!("{answer} (from message {}{hand})", self.message)
    }
}

/// The inbound message being filed, as `assign` checks it.
struct Message {
    member: Option<i64>,
    at: String,
    /// The broadcast it quotes (or that linking tied it to).
    broadcast: Option<i64>,
}

/// Files inbound message `message` as option `option` of request `req`,
/// by `by`. Refuses an option the request does not have, a message that
/// does not exist, one not from a recipient of the request, one received
/// before the request was sent, and one already tied to another request.
/// Replacing the member's answer is allowed (the team corrects), and
/// returned so the caller can say so.
pub fn assign(
    conn: &Connection,
    req: &Request,
    (message, option): (i64, u32),
    by: &str,
    now: Timestamp,
) -> Result<Assigned> {
    check_option(req, option)?;
    let found: Option<Message> = conn
        .prepare_cached("SELECT member_id, at, broadcast_id FROM inbound WHERE id = ?1")?
        .query_row([message], |r| {
            Ok(Message {
                member: r.get(0)?,
                at: r.get(1)?,
                broadcast: r.get(2)?,
            })
        })
        .optional()?;
    let Some(found) = found else {
        return Err(error_with_help(
            format!("no message {message}"),
            "message ids are the first column of `mot inbox`",
        ));
    };
    let member = found.member.map(MemberId);
    let Some(member) = member.filter(|m| is_recipient(conn, req.id, Some(*m)).unwrap_or(false))
    else {
        return Err(error_with_help(
            format!(
                "message {message} is not from a recipient of request {}",
                req.id
            ),
            format!(
                "only the members request {} went to can answer it; see `mot inbox --member`",
                req.id
            ),
        ));
    };
    if found.at < req.created_at {
        return Err(error_with_help(
            format!(
                "message {message} was received at {}, before request {} was sent at {}: \
                 it cannot answer it",
                found.at, req.id, req.created_at
            ),
            format!(
                "file a message member {member} sent since then; see `mot inbox --member {member} --since {}`",
                req.created_at
            ),
        ));
    }
    if let Some(other) = other_request(conn, req.id, message, found.broadcast)? {
        return Err(error_with_help(
            format!(
                "message {message} already belongs to request {other}, not request {}",
                req.id
            ),
            format!(
                "a message answers one request only; see `mot replies {other} --all`, \
                 or file another message from member {member}"
            ),
        ));
    }
    let before = previous(conn, req.id, member)?;
    let late = found.at.as_str() >= req.ends_at();
    conn.prepare_cached(
        "INSERT INTO request_replies (inbound_id, request_id, member_id, option, how, late,
                                      assigned_by, assigned_at)
         VALUES (?1, ?2, ?3, ?4, 'hand', ?5, ?6, ?7)
         ON CONFLICT (inbound_id, request_id) DO UPDATE
             SET option = excluded.option, how = 'hand', assigned_by = excluded.assigned_by,
                 assigned_at = excluded.assigned_at",
    )?
    .execute(params![
        message,
        req.id.0,
        member.0,
        option,
        late,
        by,
        ts(now)
    ])?;
    let unchanged =
        |p: &Previous| p.message == message && p.option == Some(option) && p.how == "hand";
    Ok(Assigned {
        member,
        option,
        late,
        replaced: before.filter(|p| !unchanged(p)),
    })
}

/// Refuses an option request `req` does not have.
fn check_option(req: &Request, option: u32) -> Result<()> {
    let count = req.options.len() as u32;
    if (1..=count).contains(&option) {
        return Ok(());
    }
    let why = if count == 0 {
        format!(
            "request {} has no options: its answers are free text",
            req.id
        )
    } else {
        format!("request {} has options 1 to {count}, not {option}", req.id)
    };
    Err(error_with_help(
        why,
        format!("see `mot replies {}`", req.id),
    ))
}

/// The request other than `request` that message `message` is already tied
/// to: linked to it (a message that could answer several, stored as
/// `ambiguous`, is tied to none), or quoting its message or a reminder.
fn other_request(
    conn: &Connection,
    request: BroadcastId,
    message: i64,
    quoted: Option<i64>,
) -> Result<Option<BroadcastId>> {
    let linked: Option<i64> = conn
        .prepare_cached(
            "SELECT request_id FROM request_replies
             WHERE inbound_id = ?1 AND request_id != ?2 AND how != 'ambiguous'
             ORDER BY request_id LIMIT 1",
        )?
        .query_row(params![message, request.0], |r| r.get(0))
        .optional()?;
    if let Some(other) = linked {
        return Ok(Some(BroadcastId(other)));
    }
    let quoted = match quoted {
        Some(b) => of_broadcast(conn, BroadcastId(b))?,
        None => None,
    };
    Ok(quoted.filter(|q| *q != request))
}

/// Member `member`'s answer to request `request` now, if any.
fn previous(conn: &Connection, request: BroadcastId, member: MemberId) -> Result<Option<Previous>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.inbound_id, a.option, a.how, i.text, i.flagged IS NOT NULL
             FROM request_answers a JOIN inbound i ON i.id = a.inbound_id
             WHERE a.request_id = ?1 AND a.member_id = ?2",
        )?
        .query_row(params![request.0, member.0], |r| {
            Ok(Previous {
                message: r.get(0)?,
                option: r.get(1)?,
                how: r.get(2)?,
                text: r.get(3)?,
                removed: r.get(4)?,
            })
        })
        .optional()?)
}
