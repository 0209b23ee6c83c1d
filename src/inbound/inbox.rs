//! The inbox: stored inbound messages as `mot inbox` lists them.

use std::fmt;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use jiff::Timestamp;

use crate::broadcast::BroadcastId;
use crate::db::ts;
use crate::members::MemberId;
use crate::output::Row;

/// One row of `mot inbox`.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub at: String,
    pub phone: Option<String>,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Option<String>,
    pub broadcast_id: Option<i64>,
    pub action: String,
    /// `patient_data_removed` when the screen removed the text (which then
    /// names what was found); `likely_opt_out` when it reads like a request
    /// to leave and the member is still on the list (see [`unhandled_opt_outs`]).
    pub flagged: Option<String>,
}

impl Row for Message {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "at",
        "from",
        "member_id",
        "member_name",
        "type",
        "action",
        "broadcast",
        "flagged",
        "text",
    ];
    const DROP_FIRST: &'static [&'static str] = &["member_id", "type", "broadcast", "action"];
    const WHOLE: &'static [&'static str] = &["member_name", "at"];
    const PHONES: &'static [&'static str] = &["from"];

    fn cells(&self) -> Vec<String> {
        let opt = |v: &Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        vec![
            self.id.to_string(),
            self.at.clone(),
            self.phone.clone().unwrap_or_default(),
            // Separate columns: a spreadsheet sorts and filters by either.
            opt(&self.member_id),
            self.member_name.clone().unwrap_or_default(),
            self.kind.clone(),
            self.action.clone(),
            opt(&self.broadcast_id),
            self.flagged.clone().unwrap_or_default(),
            self.text.clone().unwrap_or_default(),
        ]
    }

    /// A table shows a long text's start (a 900,000-character message was
    /// 46,558 lines of terminal); CSV and JSON keep the whole.
    fn table_cells(&self) -> Vec<String> {
        let mut cells = self.cells();
        if let Some(text) = cells
            .last_mut()
            .filter(|t| t.chars().count() > TABLE_TEXT_CHARS)
        {
            *text = crate::output::cut(text, TABLE_TEXT_CHARS);
        }
        crate::output::for_people::<Self>(cells)
    }
}

/// Characters of a message's text the inbox table shows: a screenful is
/// enough to read; `--format json` or `csv` gives the whole.
const TABLE_TEXT_CHARS: usize = 500;

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.at, self.kind)
    }
}

/// What `mot inbox` lists.
#[derive(Debug, Default)]
pub struct Filter {
    pub since: Option<Timestamp>,
    pub member: Option<MemberId>,
    pub unlinked: bool,
}

/// Inbound messages, oldest first.
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.at, i.phone, i.member_id, m.name, i.type, i.text, i.broadcast_id, i.action,
                coalesce(i.flagged, CASE WHEN i.opt_out = 'likely' AND m.status != 'opted_out'
                                         THEN 'likely_opt_out' END)
         FROM inbound i LEFT JOIN members m ON m.id = i.member_id
         WHERE (?1 IS NULL OR i.at >= ?1)
           AND (?2 IS NULL OR i.member_id = ?2)
           AND (?3 = 0 OR i.broadcast_id IS NULL)
         ORDER BY i.at, i.id",
    )?;
    let rows = stmt.query_map(
        params![
            filter.since.map(ts),
            filter.member.map(|m| m.0),
            filter.unlinked
        ],
        |r| {
            Ok(Message {
                id: r.get(0)?,
                at: r.get(1)?,
                phone: r.get(2)?,
                member_id: r.get(3)?,
                member_name: r.get(4)?,
                kind: r.get(5)?,
                text: r.get(6)?,
                broadcast_id: r.get(7)?,
                action: r.get(8)?,
                flagged: r.get(9)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A message that reads like a request to leave, from a member still on
/// the list: the team opts them out (`mot members opt-out MEMBER`) or keeps
/// them ([`dismiss`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyOptOut {
    pub message: i64,
    pub member: MemberId,
}

/// Every message flagged `likely_opt_out` that nobody has acted on yet,
/// oldest first: `mot inbox` names them, `mot doctor` counts them.
pub fn unhandled_opt_outs(conn: &Connection) -> Result<Vec<LikelyOptOut>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.member_id FROM inbound i JOIN members m ON m.id = i.member_id
         WHERE i.opt_out = 'likely' AND m.status != 'opted_out'
         ORDER BY i.at, i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(LikelyOptOut {
            message: r.get(0)?,
            member: MemberId(r.get(1)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What [`dismiss`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Dismissal {
    /// The flag is gone; the member stays.
    Kept(MemberId),
    /// The message exists but is not flagged as a likely opt-out.
    NotFlagged,
    /// No message has that id.
    NoSuchMessage,
}

/// The team read message `id` and keeps its member: the flag goes.
pub fn dismiss(conn: &Connection, id: i64) -> Result<Dismissal> {
    let kept = conn
        .prepare_cached(
            "UPDATE inbound SET opt_out = 'dismissed' WHERE id = ?1 AND opt_out = 'likely'
             RETURNING member_id",
        )?
        .query_row([id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten();
    if let Some(member) = kept {
        return Ok(Dismissal::Kept(MemberId(member)));
    }
    let exists = conn
        .prepare_cached("SELECT 1 FROM inbound WHERE id = ?1")?
        .exists([id])?;
    Ok(if exists {
        Dismissal::NotFlagged
    } else {
        Dismissal::NoSuchMessage
    })
}

/// The team filed message `id` by hand as an answer to request `request`
/// (`mot replies --assign`): like a message linking ties to a request, it
/// becomes a reply to it and leaves `mot inbox --unlinked`. A message that
/// already names a broadcast keeps it.
pub fn filed_as_reply(conn: &Connection, id: i64, request: BroadcastId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE inbound SET broadcast_id = ?2,
                            action = CASE action WHEN 'message' THEN 'reply' ELSE action END
         WHERE id = ?1 AND broadcast_id IS NULL",
    )?
    .execute(params![id, request.0])?;
    Ok(())
}

#[cfg(test)]
mod table_tests {
    use super::Message;
    use crate::output::Row;

    #[test]
    fn a_long_message_is_cut_in_a_table_and_whole_elsewhere() {
        let message = |text: String| Message {
            id: 1,
            at: "2026-12-03T09:00:00Z".into(),
            phone: None,
            member_id: None,
            member_name: None,
            kind: "text".into(),
            text: Some(text),
            broadcast_id: None,
            action: "stored".into(),
            flagged: None,
        };
        let long = message("word ".repeat(200_000));
        let shown = long.table_cells().pop().unwrap();
        assert_eq!(shown.chars().count(), super::TABLE_TEXT_CHARS);
        assert!(shown.ends_with('…'));
        assert_eq!(long.cells().pop().unwrap().len(), 1_000_000);
        // A short message keeps its lines.
        let short = message("Open 9-5\nClosed Sunday".into());
        assert_eq!(
            short.table_cells().pop().unwrap(),
            "Open 9-5\nClosed Sunday"
        );
    }
}
