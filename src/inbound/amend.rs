//! A member's delete-for-everyone (`revoke`) and edit of a message they sent
//! earlier: mot keeps what the member now says, not what they took back.
//! The original message stays on file (it still counts), and only its
//! sender can change it.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Action, screened};
use crate::db::ts;
use crate::event::{Content, InboundMessage};
use crate::members::MemberId;
use crate::phone::E164;
use crate::request;

/// Applies a revoke or an edit and records it (without text of its own).
/// `None` for an edit of a message that is not on file from this sender:
/// the caller then reads the edit as the message it now is, so nothing the
/// member said is lost.
pub(super) fn apply(
    conn: &Connection,
    m: &InboundMessage,
    (phone, member): (Option<&E164>, Option<MemberId>),
    at: Timestamp,
    now: Timestamp,
) -> Result<Option<Action>> {
    let (original_id, edited) = match &m.content {
        Content::Revoke { original_id } => (original_id, None),
        Content::Edit {
            original_id,
            message,
        } => (original_id, Some(message.as_ref())),
        _ => return Ok(None),
    };
    let original: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM inbound WHERE wa_message_id = ?1
               AND CASE WHEN ?2 IS NOT NULL THEN phone = ?2 ELSE user_id = ?3 END",
        )?
        .query_row(
            params![original_id, phone.map(E164::as_str), m.user_id],
            |r| r.get(0),
        )
        .optional()?;
    let action = match (original, edited) {
        (Some(id), None) => {
            conn.prepare_cached("UPDATE inbound SET text = NULL WHERE id = ?1")?
                .execute([id])?;
            Action::Revoke
        }
        // Nothing on file to remove (never received, or already erased).
        (None, None) => Action::Revoke,
        (None, Some(_)) => return Ok(None),
        (Some(id), Some(edited)) => {
            // Only what can be text (a message, a caption) is replaced.
            if let Some(typed) = edited.text() {
                let (text, flagged) = screened(Some(typed));
                conn.prepare_cached("UPDATE inbound SET text = ?2, flagged = ?3 WHERE id = ?1")?
                    .execute(params![id, text, flagged])?;
                request::follow_edit(conn, id, text.as_deref(), flagged.is_some())?;
            }
            Action::Edit
        }
    };
    // The original's id is kept as the row's context, so an original that
    // arrives after its revoke (delivery is unordered) is kept without text.
    conn.prepare_cached(
        "INSERT INTO inbound (wa_message_id, member_id, phone, user_id, type, context_wamid,
                              action, at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        m.id,
        member.map(|x| x.0),
        phone.map(E164::as_str),
        m.user_id,
        m.content.kind(),
        original_id,
        action.as_str(),
        ts(at),
        ts(now),
    ])?;
    Ok(Some(action))
}

/// Whether the sender already deleted message `m` for everyone (its revoke
/// arrived first): then none of its text is kept.
pub(super) fn revoked_before(
    conn: &Connection,
    m: &InboundMessage,
    phone: Option<&E164>,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM inbound WHERE type = 'revoke' AND context_wamid = ?1
               AND CASE WHEN ?2 IS NOT NULL THEN phone = ?2 ELSE user_id = ?3 END",
        )?
        .query_row(
            params![m.id, phone.map(E164::as_str), m.user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
