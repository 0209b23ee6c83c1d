//! `mot replies ID --assign MESSAGE OPTION`: the team files a message as a
//! member's answer to a request by hand ("we've got loads" is option 1).
//! A filed answer is the member's answer (migration 18's `request_answers`).

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Request, is_recipient};
use crate::db::ts;
use crate::exit::error_with_help;
use crate::members::MemberId;

/// What was filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub member: MemberId,
    pub option: u32,
    pub late: bool,
}

/// Files inbound message `message` as option `option` of request `req`,
/// by `by`. Refuses an option the request does not have, a message that
/// does not exist, and one not from a recipient of the request.
pub fn assign(
    conn: &Connection,
    req: &Request,
    (message, option): (i64, u32),
    by: &str,
    now: Timestamp,
) -> Result<Assigned> {
    let count = req.options.len() as u32;
    if !(1..=count).contains(&option) {
        let why = if count == 0 {
            format!(
                "request {} has no options: its answers are free text",
                req.id
            )
        } else {
            format!("request {} has options 1 to {count}, not {option}", req.id)
        };
        return Err(error_with_help(
            why,
            format!("see `mot replies {}`", req.id),
        ));
    }
    let found: Option<(Option<i64>, String)> = conn
        .prepare_cached("SELECT member_id, at FROM inbound WHERE id = ?1")?
        .query_row([message], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((member, at)) = found else {
        return Err(error_with_help(
            format!("no message {message}"),
            "message ids are the first column of `mot inbox`",
        ));
    };
    let member = member.map(MemberId);
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
    let late = at.as_str() >= req.ends_at();
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
    Ok(Assigned {
        member,
        option,
        late,
    })
}
