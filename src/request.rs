//! Requests for information: a broadcast of kind `request` with options and
//! a closing time, the reminders that chase it, and the linking of members'
//! replies to it (payload → quoted context → the member's only open request).

pub mod answer;
mod by_hand;
pub mod replies;

pub use by_hand::assign;

use anyhow::{Context as _, Result};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::broadcast::{BroadcastId, Recipient};
use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::event::{Content, InboundMessage};
use crate::members::MemberId;
use crate::output::Row;
use crate::phone::E164;
use crate::whatsapp::Button;

/// What is recorded about a request besides its broadcast.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub question: &'a str,
    pub options: &'a [String],
    /// For each quick-reply button of the template, in order, the option it
    /// selects; `None` when the template has no buttons.
    pub buttons: Option<Vec<u32>>,
    pub survey_url: Option<&'a str>,
    /// The end of the survey link, sent as the template's URL button parameter.
    pub survey_button: Option<&'a str>,
    pub closes_at: Timestamp,
}

/// Writes the request's row, inside the transaction that creates its broadcast.
pub fn insert(tx: &Transaction, id: BroadcastId, r: &NewRequest) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO requests (broadcast_id, question, options, buttons, survey_url,
                               survey_button, closes_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id.0,
        r.question,
        serde_json::to_string(r.options)?,
        r.buttons.as_ref().map(serde_json::to_string).transpose()?,
        r.survey_url,
        r.survey_button,
        ts(r.closes_at),
    ])?;
    Ok(())
}

/// SQL: when request `$r` (a `requests` row) stops taking on-time answers:
/// the earlier of its closing time and an early close. The one rule for
/// whether a request is open: [`Request::is_open`], linking a reply, a
/// reply's lateness and retention's "closed before the cutoff" all read it.
macro_rules! ends_at {
    ($r:literal) => {
        concat!(
            "min(coalesce(",
            $r,
            ".closed_at, ",
            $r,
            ".closes_at), ",
            $r,
            ".closes_at)"
        )
    };
}
pub(crate) use ends_at;

/// A stored request.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: BroadcastId,
    pub question: String,
    pub options: Vec<String>,
    #[serde(skip)]
    pub buttons: Option<Vec<u32>>,
    pub survey_url: Option<String>,
    #[serde(skip)]
    pub survey_button: Option<String>,
    pub closes_at: String,
    /// When it was closed early with `mot requests close`.
    pub closed_at: Option<String>,
    pub is_test: bool,
    pub created_at: String,
    /// See [`Request::ends_at`].
    #[serde(skip)]
    ends_at: String,
}

impl Request {
    /// When answers stop counting as on time ([`ends_at!`]).
    pub fn ends_at(&self) -> &str {
        &self.ends_at
    }

    pub fn is_open(&self, now: Timestamp) -> bool {
        ts(now).as_str() < self.ends_at()
    }
}

const SELECT: &str = concat!(
    "SELECT r.broadcast_id, r.question, r.options, r.buttons, r.survey_url,
        r.closes_at, r.closed_at, b.is_test, b.created_at, r.survey_button, ",
    ends_at!("r"),
    " FROM requests r JOIN broadcasts b ON b.id = r.broadcast_id"
);

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(Request, String, Option<String>)> {
    Ok((
        Request {
            id: BroadcastId(r.get(0)?),
            question: r.get(1)?,
            options: Vec::new(),
            buttons: None,
            survey_url: r.get(4)?,
            survey_button: r.get(9)?,
            closes_at: r.get(5)?,
            closed_at: r.get(6)?,
            is_test: r.get(7)?,
            created_at: r.get(8)?,
            ends_at: r.get(10)?,
        },
        r.get(2)?,
        r.get(3)?,
    ))
}

fn decode((mut req, options, buttons): (Request, String, Option<String>)) -> Result<Request> {
    req.options = serde_json::from_str(&options).context("bad request options in the database")?;
    req.buttons = buttons
        .map(|b| serde_json::from_str(&b))
        .transpose()
        .context("bad request buttons in the database")?;
    Ok(req)
}

pub fn get(conn: &Connection, id: BroadcastId) -> Result<Option<Request>> {
    conn.prepare_cached(&format!("{SELECT} WHERE r.broadcast_id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .map(decode)
        .transpose()
}

/// Like [`get`], but a missing request is an error that says what to do.
pub fn must_get(conn: &Connection, id: BroadcastId) -> Result<Request> {
    get(conn, id)?.ok_or_else(|| {
        crate::exit::error_with_help(format!("no request {id}"), "see `mot requests list`")
    })
}

/// The request a broadcast asks: itself, or the request a reminder chases.
pub fn of_broadcast(conn: &Connection, id: BroadcastId) -> Result<Option<BroadcastId>> {
    Ok(conn
        .prepare_cached(
            "SELECT broadcast_id FROM requests WHERE broadcast_id = ?1
             UNION ALL SELECT request_id FROM request_reminders WHERE broadcast_id = ?1",
        )?
        .query_row([id.0], |r| r.get(0))
        .optional()?
        .map(BroadcastId))
}

/// The button parameters the sender attaches to broadcast `id`: a payload
/// per quick-reply button naming the request and the option (so a tap is
/// unambiguous), then the survey link's end for a URL button. Empty for
/// notices and for requests whose template has no such buttons.
pub fn buttons(conn: &Connection, id: BroadcastId) -> Result<Vec<Button>> {
    let Some(request) = of_broadcast(conn, id)? else {
        return Ok(Vec::new());
    };
    let req = must_get(conn, request)?;
    Ok(template_buttons(
        &request.to_string(),
        req.buttons.as_deref().unwrap_or_default(),
        req.survey_button.as_deref(),
    ))
}

/// The button parameters for request `id`, quick replies first (as a
/// template lists them), then the URL button.
pub fn template_buttons(id: &str, options: &[u32], survey: Option<&str>) -> Vec<Button> {
    options
        .iter()
        .map(|option| Button::QuickReply(answer::payload(id, *option)))
        .chain(survey.map(|s| Button::Url(s.to_string())))
        .collect()
}

/// Ends a request early: later answers are kept but marked late.
/// Returns false when it had already ended.
pub fn close(conn: &Connection, id: BroadcastId, by: &str, now: Timestamp) -> Result<bool> {
    let req = must_get(conn, id)?;
    if !req.is_open(now) {
        return Ok(false);
    }
    conn.prepare_cached(
        "UPDATE requests SET closed_at = ?2, closed_by = ?3 WHERE broadcast_id = ?1",
    )?
    .execute(params![id.0, ts(now), by])?;
    Ok(true)
}

/// One row of `mot requests list`.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub request: Request,
    pub open: bool,
    pub recipients: i64,
    pub answered: i64,
    pub reminders: i64,
}

impl Row for Listed {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "created_at",
        "closes_at",
        "open",
        "recipients",
        "answered",
        "reminders",
        "question",
    ];

    fn cells(&self) -> Vec<String> {
        let test = if self.request.is_test { " (test)" } else { "" };
        vec![
            format!("{}{test}", self.request.id),
            self.request.created_at.clone(),
            self.request.ends_at().to_string(),
            if self.open { "open" } else { "closed" }.to_string(),
            self.recipients.to_string(),
            self.answered.to_string(),
            self.reminders.to_string(),
            self.request.question.chars().take(50).collect(),
        ]
    }
}

/// Every request, newest first, with how many have answered.
pub fn list(conn: &Connection, now: Timestamp) -> Result<Vec<Listed>> {
    let requests = conn
        .prepare_cached(&format!("{SELECT} ORDER BY r.broadcast_id DESC"))?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(requests.len());
    for row in requests {
        let request = decode(row)?;
        let id = request.id.0;
        let count = |sql: &str| -> Result<i64> {
            Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
        };
        out.push(Listed {
            open: request.is_open(now),
            recipients: crate::broadcast::summary(conn, request.id)?.recipients,
            answered: count("SELECT count(*) FROM request_answers WHERE request_id = ?1")?,
            reminders: count("SELECT count(*) FROM request_reminders WHERE request_id = ?1")?,
            request,
        });
    }
    Ok(out)
}

text_enum! {
    /// How a reply was tied to its request. (A message that could answer
    /// several is stored against each as `ambiguous`, never as a `Link`.)
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum How {
        /// A quick-reply tap whose payload names the request and option.
        Button = "button",
        /// A message quoting one of our request (or reminder) messages.
        Context = "context",
        /// A plain message from a member with exactly one open request, or
        /// with none open and exactly one closed within its late window (then
        /// marked late): as long again as it was to stay open (`closes_at` −
        /// sent), counted from when it closed. (Migration 8's CHECK knows
        /// this word only, so a late link shares it.)
        OnlyOpen = "only_open",
    }
}

/// A reply tied to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub request: BroadcastId,
    pub option: Option<u32>,
    pub how: How,
    pub late: bool,
}

/// What linking found for one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linked {
    None,
    One(Link),
    /// A plain message from a member with several open requests: left
    /// unlinked, but counted against each so `mot replies` can say so.
    Ambiguous(Vec<BroadcastId>),
}

/// A message as linking sees it: after the STOP/START check and the screen.
pub struct Reply<'a> {
    pub message: &'a InboundMessage,
    pub member: Option<MemberId>,
    /// The broadcast whose message it quotes, if any.
    pub quoted: Option<BroadcastId>,
    /// What the member typed or tapped, as stored.
    pub text: Option<&'a str>,
    /// The screen removed the text: an answer, but not a readable one.
    pub removed: bool,
    pub at: Timestamp,
}

/// Ties a reply to a request: a payload names it; else a quoted request
/// or reminder; else the member's only open request; else, late, the only
/// one that closed within its late window ([`How::OnlyOpen`]). Only typed text and
/// taps can be answers (not reactions, media or system messages); the
/// caller never passes STOP or START.
pub fn link(conn: &Connection, reply: &Reply) -> Result<Linked> {
    let tapped = match &reply.message.content {
        Content::Button { payload, .. } => payload.as_deref(),
        Content::Interactive { reply_id, .. } => reply_id.as_deref(),
        Content::Text { .. } => None,
        _ => return Ok(Linked::None),
    };
    let found = |id: BroadcastId, option: Option<u32>, how: How| -> Result<Linked> {
        let Some(req) = get(conn, id)? else {
            return Ok(Linked::None);
        };
        // Only the request's recipients answer it: a pending member or a
        // stranger tapping a forwarded button (or quoting someone else's
        // copy) is an inbox message, never a line in the tally.
        if !is_recipient(conn, id, reply.member)? {
            return Ok(Linked::None);
        }
        let option = match option {
            Some(n) if (1..=req.options.len() as u32).contains(&n) => Some(n),
            _ if reply.removed => None,
            _ => reply.text.and_then(|t| answer::select(t, &req.options)),
        };
        Ok(Linked::One(Link {
            request: id,
            option,
            how,
            late: ts(reply.at).as_str() >= req.ends_at(),
        }))
    };
    if let Some((id, option)) = tapped.and_then(answer::parse_payload) {
        let linked = found(BroadcastId(id), Some(option), How::Button)?;
        if linked != Linked::None {
            return Ok(linked);
        }
    }
    if let Some(quoted) = reply.quoted {
        if let Some(request) = of_broadcast(conn, quoted)? {
            return found(request, None, How::Context);
        }
        // A reply quoting a notice answers that notice, not a request.
        return Ok(Linked::None);
    }
    let Some(member) = reply.member else {
        return Ok(Linked::None);
    };
    // A plain message answers the member's only open request; with none
    // open, the only one closed within its late window (marked late).
    let (open, late) = windows_for(conn, member, reply.at)?;
    match (open.as_slice(), late.as_slice()) {
        ([only], _) => found(*only, None, How::OnlyOpen),
        ([], []) => Ok(Linked::None),
        ([], [only]) => found(*only, None, How::OnlyOpen),
        ([], _) => Ok(Linked::Ambiguous(late)),
        _ => Ok(Linked::Ambiguous(open)),
    }
}

/// Whether `member` is one of the members broadcast `id` went to.
fn is_recipient(conn: &Connection, id: BroadcastId, member: Option<MemberId>) -> Result<bool> {
    let Some(member) = member else {
        return Ok(false);
    };
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM deliveries WHERE broadcast_id = ?1 AND member_id = ?2 LIMIT 1",
        )?
        .query_row(params![id.0, member.0], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The requests a member was sent before `at` whose answer window includes
/// it: (open at `at`, closed before `at` but within their late window).
fn windows_for(
    conn: &Connection,
    member: MemberId,
    at: Timestamp,
) -> Result<(Vec<BroadcastId>, Vec<BroadcastId>)> {
    let rows: Vec<(i64, String, String, String)> = conn
        .prepare_cached(concat!(
            "SELECT DISTINCT r.broadcast_id, ",
            ends_at!("r"),
            ", r.closes_at, b.created_at
             FROM requests r
             JOIN broadcasts b ON b.id = r.broadcast_id
             JOIN deliveries d ON d.broadcast_id = r.broadcast_id
             WHERE d.member_id = ?1
               AND d.state IN ('sent', 'delivered', 'read', 'unknown')
               AND coalesce(d.sent_at, d.updated_at) <= ?2
             ORDER BY r.broadcast_id"
        ))?
        .query_map(params![member.0, ts(at)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (mut open, mut late) = (Vec::new(), Vec::new());
    for (id, ends, closes, sent) in rows {
        let time = |t: &str| {
            t.parse::<Timestamp>()
                .context("bad request time in the database")
        };
        let (ends, closes, sent) = (time(&ends)?, time(&closes)?, time(&sent)?);
        if at < ends {
            open.push(BroadcastId(id));
        } else if at < ends + closes.duration_since(sent) {
            late.push(BroadcastId(id));
        }
    }
    Ok((open, late))
}

/// Records what [`link`] found for the stored message `inbound_id`.
pub fn record(
    conn: &Connection,
    inbound_id: i64,
    member: Option<MemberId>,
    linked: &Linked,
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO request_replies (inbound_id, request_id, member_id, option, how, late)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let member = member.map(|m| m.0);
    match linked {
        Linked::None => {}
        Linked::One(l) => {
            insert.execute(params![
                inbound_id,
                l.request.0,
                member,
                l.option,
                l.how.as_str(),
                l.late
            ])?;
        }
        Linked::Ambiguous(ids) => {
            for id in ids {
                insert.execute(params![
                    inbound_id,
                    id.0,
                    member,
                    None::<u32>,
                    "ambiguous",
                    false
                ])?;
            }
        }
    }
    Ok(())
}

/// An answer follows its message's edit: the option is read again from the
/// new text (a tapped button names its option and is never edited; an
/// answer the team filed by hand stays as they filed it).
pub fn follow_edit(
    conn: &Connection,
    inbound_id: i64,
    text: Option<&str>,
    removed: bool,
) -> Result<()> {
    let requests: Vec<i64> = conn
        .prepare_cached(
            "SELECT request_id FROM request_replies
             WHERE inbound_id = ?1 AND how NOT IN ('ambiguous', 'button', 'hand')",
        )?
        .query_map([inbound_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in requests {
        let Some(req) = get(conn, BroadcastId(id))? else {
            continue;
        };
        let option = match text {
            Some(t) if !removed => answer::select(t, &req.options),
            _ => None,
        };
        conn.prepare_cached(
            "UPDATE request_replies SET option = ?3 WHERE inbound_id = ?1 AND request_id = ?2",
        )?
        .execute(params![inbound_id, id, option])?;
    }
    Ok(())
}

/// When the last reminder for a request was created, if any.
pub fn last_reminder(conn: &Connection, id: BroadcastId) -> Result<Option<Timestamp>> {
    let at: Option<String> = conn
        .prepare_cached("SELECT max(created_at) FROM request_reminders WHERE request_id = ?1")?
        .query_row([id.0], |r| r.get(0))?;
    at.map(|t| t.parse().context("bad reminder time in the database"))
        .transpose()
}

/// Links reminder broadcast `reminder` to `request`, in the transaction
/// that creates the reminder.
pub fn insert_reminder(
    tx: &Transaction,
    reminder: BroadcastId,
    request: BroadcastId,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO request_reminders (broadcast_id, request_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![reminder.0, request.0, ts(now)])?;
    Ok(())
}

/// Who a reminder goes to: members the request was delivered to (delivered
/// or read, so "not delivered" is never chased as "did not answer"), who
/// are still active and have not answered. A reminder's own ledger keeps
/// any one reminder from reaching a member twice.
pub fn reminder_recipients(conn: &Connection, id: BroadcastId) -> Result<Vec<Recipient>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.member_id, m.phone FROM deliveries d JOIN members m ON m.id = d.member_id
         WHERE d.broadcast_id = ?1 AND d.state IN ('delivered', 'read') AND m.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM request_answers a
                           WHERE a.request_id = ?1 AND a.member_id = d.member_id)
         ORDER BY d.id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok(Recipient {
            member_id: Some(MemberId(r.get(0)?)),
            phone: E164::from_stored(r.get(1)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The audience the request was written for, as stored, so a reminder
/// records the same one.
pub fn stored_audience(conn: &Connection, id: BroadcastId) -> Result<crate::broadcast::Audience> {
    let text: String = conn
        .prepare_cached("SELECT audience FROM broadcasts WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))?;
    serde_json::from_str(&text).context("bad audience in the database")
}

#[cfg(test)]
mod tests;
