//! Inbound WhatsApp messages: sign-ups, opt-outs and opt-ins, replies to
//! broadcasts, changed numbers. Each message is applied once, by its id.

mod amend;

use std::fmt;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit;
use crate::broadcast::BroadcastId;
use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::event::{Content, InboundMessage};
use crate::members::{self, Consent, Details, MemberId, MemberStatus, OptOutVia};
use crate::output::Row;
use crate::phone::E164;
use crate::request;
use crate::screen::{self, Severity};

/// The flag on a message whose text the screen removed.
const PATIENT_DATA_REMOVED: &str = "patient_data_removed";

/// Whole-message words that opt a member out at once.
const STOP_WORDS: [&str; 3] = ["STOP", "UNSUBSCRIBE", "LEAVE"];
/// Whole-message words that bring an opted-out member back.
const START_WORDS: [&str; 2] = ["START", "JOIN"];

text_enum! {
    /// What a message did.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Action {
        /// Seen before: nothing changed.
        Duplicate = "duplicate",
        /// A new number: a pending member was created.
        Signup = "signup",
        OptOut = "opt_out",
        OptIn = "opt_in",
        /// A reply to one of our broadcasts.
        Reply = "reply",
        NumberChange = "number_change",
        /// A changed number that was not applied (invalid, or already a member's).
        NumberChangeRefused = "number_change_refused",
        /// Anything else, kept against the member (or the number) only.
        Message = "message",
        /// The member deleted an earlier message for everyone: its text is gone.
        Revoke = "revoke",
        /// The member edited an earlier message: its text is the new one.
        Edit = "edit",
    }
}

/// The sender as an E.164 number, if the message carries one mot would
/// take from a person ([`crate::phone::from_wa_id`]), never one that merely
/// looks like digits.
pub fn sender(m: &InboundMessage) -> Option<E164> {
    crate::phone::from_wa_id(m.from.as_deref()?).ok()
}

/// The number a message from a stranger signs up, if it is consent: a
/// message the person wrote, from a number `members add` would take. Anything
/// else stays an inbound item with no member.
fn signup_number(m: &InboundMessage) -> Option<E164> {
    if !m.content.is_written() {
        return None;
    }
    sender(m)
}

fn keyword(m: &InboundMessage, words: &[&str]) -> bool {
    let is_word = |text: &str| {
        let word = text.trim().trim_end_matches(['.', '!']);
        words.iter().any(|w| w.eq_ignore_ascii_case(word))
    };
    match &m.content {
        Content::Text { body } => is_word(body),
        Content::Button { text, payload } => {
            text.as_deref().is_some_and(is_word) || payload.as_deref().is_some_and(is_word)
        }
        _ => false,
    }
}

/// A tapped quick-reply button that asks to stop: Meta's own "Stop promotions"
/// and any button labelled "Stop …" are as clear as the word STOP.
fn stop_button(m: &InboundMessage) -> bool {
    let Content::Button { text, payload } = &m.content else {
        return false;
    };
    let starts_stop = |t: &str| {
        let t = t.trim().to_ascii_lowercase();
        t == "stop" || t.starts_with("stop ")
    };
    text.as_deref().is_some_and(starts_stop) || payload.as_deref() == Some("mot:unsubscribe")
}

/// Applies one inbound message. Returns what it did and, for a sign-up or an
/// opt-out, the member it concerned (so the caller can send a configured reply).
pub fn apply(
    conn: &Connection,
    m: &InboundMessage,
    now: Timestamp,
) -> Result<(Action, Option<MemberId>)> {
    let seen = conn
        .prepare_cached("SELECT 1 FROM inbound WHERE wa_message_id = ?1")?
        .query_row([&m.id], |_| Ok(()))
        .optional()?;
    if seen.is_some() {
        return Ok((Action::Duplicate, None));
    }
    // Meta's time, but never later than when mot received it.
    let at = m
        .timestamp
        .and_then(|t| Timestamp::from_second(t).ok())
        .map_or(now, |t| t.min(now));
    let phone = sender(m);
    let mut member = match &phone {
        Some(p) => members::by_phone(conn, p)?,
        None => None,
    };
    if let Some(action) = amend::apply(
        conn,
        m,
        (phone.as_ref(), member.as_ref().map(|x| x.id)),
        at,
        now,
    )? {
        // A member who edits a message to STOP wants to leave, as if they
        // had sent it so.
        if let (Action::Edit, Content::Edit { message, .. }) = (&action, &m.content) {
            let now_says = InboundMessage {
                content: (**message).clone(),
                ..m.clone()
            };
            if keyword(&now_says, &STOP_WORDS) {
                members::opt_out(conn, member.as_ref().map(|x| x.id), OptOutVia::Edit, now)?;
                return Ok((Action::OptOut, member.map(|x| x.id)));
            }
        }
        return Ok((action, member.map(|x| x.id)));
    }
    if let Content::Edit { message, .. } = &m.content {
        // An edit of a message mot never saw is read as the message it now is.
        let now_says = InboundMessage {
            content: (**message).clone(),
            ..m.clone()
        };
        return apply(conn, &now_says, now);
    }
    // A reply names our message in its context; a reaction names it directly.
    let replied_to = match &m.content {
        Content::Reaction { message_id, .. } => message_id.as_ref().or(m.context_id.as_ref()),
        _ => m.context_id.as_ref(),
    };
    let broadcast_id: Option<i64> = match replied_to {
        Some(wamid) => conn
            .prepare_cached("SELECT broadcast_id FROM deliveries WHERE wamid = ?1")?
            .query_row([wamid], |r| r.get(0))
            .optional()?,
        None => None,
    };

    // Why a change was refused, for the inbox and the audit log.
    let mut refused: Option<String> = None;
    let action = if keyword(m, &STOP_WORDS) || stop_button(m) {
        members::opt_out(conn, member.as_ref().map(|x| x.id), OptOutVia::Stop, now)?;
        Action::OptOut
    } else if let Content::ChangedNumber { new_wa_id, .. } = &m.content {
        match change_number(
            conn,
            member.as_ref().map(|x| x.id),
            new_wa_id.as_deref(),
            now,
        )? {
            Ok(()) => Action::NumberChange,
            Err(why) => {
                refused = Some(why);
                Action::NumberChangeRefused
            }
        }
    } else if let Some(mm) = &member {
        if mm.status == MemberStatus::OptedOut && keyword(m, &START_WORDS) {
            members::rejoin(conn, mm.id, now)?;
            Action::OptIn
        } else if broadcast_id.is_some() {
            Action::Reply
        } else {
            Action::Message
        }
    } else if let Some(p) = signup_number(m) {
        // The first message a person wrote is the consent to keep the four
        // details, given when mot received it (a payload's clock can be anything).
        let name = m
            .profile_name
            .as_deref()
            .and_then(|n| members::clean_field("name", n).ok())
            .unwrap_or_else(|| "(WhatsApp user)".to_string());
        let details = Details {
            name,
            phone: p,
            role: String::new(),
            location: String::new(),
        };
        let consent = Consent {
            at: now,
            source: format!("whatsapp:{}", m.id),
            by: "whatsapp".to_string(),
        };
        let id = members::insert(conn, &details, MemberStatus::Pending, &consent)?;
        member = members::get(conn, id)?;
        Action::Signup
    } else {
        Action::Message
    };

    // A lapsed member who writes to the team is evidently reachable again.
    if let Some(mm) = &member
        && matches!(action, Action::Reply | Action::Message | Action::OptIn)
        && members::get(conn, mm.id)?.is_some_and(|x| x.status == MemberStatus::Lapsed)
    {
        members::set_status(conn, mm.id, MemberStatus::Active, now)?;
        let detail = serde_json::json!({ "member_id": mm.id, "from": "lapsed" });
        audit::record(conn, now, "whatsapp", "inbound reactivate", "ok", detail)?;
    }

    // What is kept: what the person typed, tapped or captioned, or the
    // emoji of a reaction.
    let typed = match &m.content {
        Content::Reaction { emoji, .. } => emoji.as_deref(),
        content => content.text(),
    };
    let (text, flagged) = if amend::revoked_before(conn, m, phone.as_ref())? {
        (None, None)
    } else {
        screened(typed)
    };
    let text = match &refused {
        Some(why) => Some(format!("number change refused: {why}")),
        None => text,
    };
    let member_id = member.as_ref().map(|x| x.id);
    let (action, broadcast_id, linked) = link_to_request(
        conn,
        m,
        (action, broadcast_id),
        member_id,
        (text.as_deref(), flagged.is_some()),
        at,
    )?;
    conn.prepare_cached(
        "INSERT INTO inbound (wa_message_id, member_id, phone, user_id, type, text, context_wamid,
                              broadcast_id, action, at, received_at, flagged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        m.id,
        member_id.map(|x| x.0),
        phone.as_ref().map(E164::as_str),
        m.user_id,
        m.content.kind(),
        text,
        replied_to,
        broadcast_id,
        action.as_str(),
        ts(at),
        ts(now),
        flagged,
    ])?;
    request::record(conn, conn.last_insert_rowid(), member_id, &linked)?;
    if let Some(why) = &refused {
        audit::record(
            conn,
            now,
            "whatsapp",
            "inbound number_change",
            "refused",
            serde_json::json!({ "member_id": member_id, "reason": why }),
        )?;
    } else if matches!(
        action,
        Action::OptIn | Action::NumberChange | Action::Signup
    ) {
        audit::record(
            conn,
            now,
            "whatsapp",
            &format!("inbound {}", action.as_str()),
            "ok",
            serde_json::json!({ "member_id": member_id }),
        )?;
    }
    Ok((action, member_id))
}

/// What is kept of what a member typed. Patient data a member sent is not
/// kept: the text becomes a marker naming what was found, and the message is
/// flagged for the team. The receiver may have done this already, before
/// storing the payload.
fn screened(typed: Option<&str>) -> (Option<String>, Option<&'static str>) {
    let Some(t) = typed else {
        return (None, None);
    };
    let findings = screen::screen(t);
    if screen::verdict(&findings) == Some(Severity::Block) {
        (
            Some(screen::redaction_marker(&findings)),
            Some(PATIENT_DATA_REMOVED),
        )
    } else if t.starts_with(screen::REDACTION_PREFIX) {
        (Some(t.to_string()), Some(PATIENT_DATA_REMOVED))
    } else {
        (Some(t.to_string()), None)
    }
}

/// Ties a reply or plain message to a request for information, if it
/// answers one (STOP, START, sign-ups and number changes never do). A linked
/// message becomes a reply to the request.
fn link_to_request(
    conn: &Connection,
    m: &InboundMessage,
    (action, broadcast_id): (Action, Option<i64>),
    member: Option<MemberId>,
    (text, removed): (Option<&str>, bool),
    at: Timestamp,
) -> Result<(Action, Option<i64>, request::Linked)> {
    if !matches!(action, Action::Reply | Action::Message) || keyword(m, &START_WORDS) {
        return Ok((action, broadcast_id, request::Linked::None));
    }
    let reply = request::Reply {
        message: m,
        member,
        quoted: broadcast_id.map(BroadcastId),
        text,
        removed,
        at,
    };
    let linked = request::link(conn, &reply)?;
    Ok(match &linked {
        request::Linked::One(l) => (Action::Reply, broadcast_id.or(Some(l.request.0)), linked),
        _ => (action, broadcast_id, linked),
    })
}

/// Moves a member to the number WhatsApp says they changed to. The inner
/// error says why a change was refused (no number or member id in it: it is
/// shown in the inbox and kept in the audit log); nothing changes then.
fn change_number(
    conn: &Connection,
    member: Option<MemberId>,
    new_wa_id: Option<&str>,
    now: Timestamp,
) -> Result<Result<(), String>> {
    let Some(member) = member else {
        return Ok(Err("the old number is not a member's".into()));
    };
    let Some(new) = new_wa_id else {
        return Ok(Err("WhatsApp gave no new number".into()));
    };
    let new = match changed_number(new) {
        Ok(new) => new,
        Err(why) => return Ok(Err(why)),
    };
    if let Some(other) = members::by_phone(conn, &new)? {
        // Two members cannot share a number: leave both for the team to sort out.
        return Ok(Err(if other.id == member {
            "the new number is the member's current number".into()
        } else {
            format!("the new number is already member {}'s", other.id)
        }));
    }
    let changes = members::Changes {
        phone: Some(new),
        ..members::Changes::default()
    };
    members::edit(conn, member, &changes, now)?;
    Ok(Ok(()))
}

/// A `new_wa_id` as a member's number: only a mobile number mot would
/// accept from a person is stored.
fn changed_number(wa_id: &str) -> Result<E164, String> {
    crate::phone::from_wa_id(wa_id).map_err(|why| format!("the new number: {why}"))
}

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
    /// `patient_data_removed` when the screen removed the text (which then names what was found).
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
}

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
                i.flagged
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    fn text(id: &str, from: &str, body: &str) -> InboundMessage {
        InboundMessage {
            id: id.into(),
            from: Some(from.into()),
            user_id: None,
            profile_name: Some("Asha Patel".into()),
            timestamp: Some(1_800_000_000),
            context_id: None,
            content: Content::Text { body: body.into() },
        }
    }

    fn status(conn: &Connection) -> MemberStatus {
        members::by_phone(conn, &E164::from_stored("+447700900001".into()))
            .unwrap()
            .unwrap()
            .status
    }

    /// A STOP from a number no import would take is still an opt-out
    /// signal, but never a number to answer.
    #[test]
    fn a_sender_is_a_number_only_when_an_import_would_take_it() {
        assert_eq!(
            sender(&text("w1", "447700900001", "STOP")).map(|p| p.to_string()),
            Some("+447700900001".into())
        );
        for from in ["1111111111111", "441134960000", "07700900001"] {
            assert_eq!(sender(&text("w1", from, "STOP")), None, "{from}");
        }
    }

    #[test]
    fn stop_then_start_restores_what_the_stop_interrupted() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        assert_eq!(
            apply(&conn, &text("w1", "447700900001", "Hi"), now)
                .unwrap()
                .0,
            Action::Signup
        );
        assert_eq!(
            apply(&conn, &text("w2", "447700900001", "STOP"), now)
                .unwrap()
                .0,
            Action::OptOut
        );
        assert_eq!(status(&conn), MemberStatus::OptedOut);
        assert_eq!(
            apply(&conn, &text("w3", "447700900001", "start"), now)
                .unwrap()
                .0,
            Action::OptIn
        );
        assert_eq!(
            status(&conn),
            MemberStatus::Pending,
            "rejoining does not skip the team's approval"
        );

        let id = members::by_phone(&conn, &E164::from_stored("+447700900001".into()))
            .unwrap()
            .unwrap()
            .id;
        assert!(
            members::approve(&conn, id, now).is_err(),
            "no role or location yet"
        );
        let details = members::Changes {
            role: Some("Pharmacist".into()),
            location: Some("Leeds".into()),
            ..members::Changes::default()
        };
        members::edit(&conn, id, &details, now).unwrap();
        members::approve(&conn, id, now).unwrap();
        apply(&conn, &text("w4", "447700900001", "Stop!"), now).unwrap();
        apply(&conn, &text("w5", "447700900001", "JOIN"), now).unwrap();
        assert_eq!(status(&conn), MemberStatus::Active);
        assert_eq!(
            apply(&conn, &text("w5", "447700900001", "JOIN"), now)
                .unwrap()
                .0,
            Action::Duplicate
        );
    }

    #[test]
    fn a_changed_number_must_be_a_valid_unused_mobile_or_nothing_changes() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        apply(&conn, &text("w1", "447700900001", "Hi"), now).unwrap();
        apply(&conn, &text("w2", "447700900002", "Hi"), now).unwrap();
        let change = |id: &str, new: &str| {
            let mut m = text(id, "447700900001", "");
            m.content = Content::ChangedNumber {
                new_wa_id: Some(new.into()),
                body: None,
            };
            apply(&conn, &m, now).unwrap().0
        };
        let phones = || -> Vec<String> {
            conn.prepare("SELECT phone FROM members ORDER BY id")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let before = phones();
        for (i, (new, why)) in [
            ("not a number!", "not digits only"),
            ("44 7700 900003", "not digits only"),
            ("00447700900003", "no country code"),
            ("447700900002", "already member 2's"),
            ("4412", "not valid"),
        ]
        .into_iter()
        .enumerate()
        {
            let id = format!("c{i}");
            assert_eq!(change(&id, new), Action::NumberChangeRefused, "{new}");
            assert_eq!(phones(), before, "{new} changed a number");
            let (action, text): (String, String) = conn
                .query_row(
                    "SELECT action, text FROM inbound WHERE wa_message_id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(action, "number_change_refused");
            assert!(
                text.contains("refused") && text.contains(why),
                "{new}: {text}"
            );
        }
        let refused: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit WHERE outcome = 'refused'
                 AND command = 'inbound number_change' AND detail LIKE '%reason%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(refused, 5);

        assert_eq!(change("c9", "447700900009"), Action::NumberChange);
        assert_eq!(phones(), ["+447700900009", "+447700900002"]);
    }

    #[test]
    fn stop_buttons_opt_out_and_reactions_link_to_the_broadcast() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        apply(&conn, &text("w1", "447700900001", "Hi"), now).unwrap();
        conn.execute_batch(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience, created_by,
                                     created_at, not_after, state)
             VALUES (7, 'notice', 'x', 't', 'en_GB', '[]', '{}', 'me', 'x', 'x', 'finished');
             INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, updated_at)
             VALUES (7, 1, '+447700900001', 'sent', 'wamid.OURS', 'x');",
        )
        .unwrap();
        let mut reaction = text("w2", "447700900001", "");
        reaction.content = Content::Reaction {
            message_id: Some("wamid.OURS".into()),
            emoji: Some("👍".into()),
        };
        assert_eq!(apply(&conn, &reaction, now).unwrap().0, Action::Reply);
        let linked: Option<i64> = conn
            .query_row(
                "SELECT broadcast_id FROM inbound WHERE wa_message_id = 'w2'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(linked, Some(7));

        let mut button = text("w3", "447700900001", "");
        button.content = Content::Button {
            payload: Some("anything".into()),
            text: Some("Stop promotions".into()),
        };
        assert_eq!(apply(&conn, &button, now).unwrap().0, Action::OptOut);
        assert_eq!(status(&conn), MemberStatus::OptedOut);
    }

    #[test]
    fn a_lapsed_member_who_writes_is_active_again() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        apply(&conn, &text("w1", "447700900001", "Hi"), now).unwrap();
        let id = members::by_phone(&conn, &E164::from_stored("+447700900001".into()))
            .unwrap()
            .unwrap()
            .id;
        members::set_status(&conn, id, MemberStatus::Lapsed, now).unwrap();
        apply(&conn, &text("w2", "447700900001", "STOP"), now).unwrap();
        assert_eq!(
            status(&conn),
            MemberStatus::OptedOut,
            "a STOP is never undone"
        );
        apply(&conn, &text("w3", "447700900001", "START"), now).unwrap();
        assert_eq!(status(&conn), MemberStatus::Active);
        members::set_status(&conn, id, MemberStatus::Lapsed, now).unwrap();
        apply(&conn, &text("w4", "447700900001", "Still here"), now).unwrap();
        assert_eq!(status(&conn), MemberStatus::Active);
        let audited: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit WHERE command = 'inbound reactivate'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(audited, 2);
    }

    #[test]
    fn a_message_without_a_time_is_kept_at_the_receive_time_and_a_future_time_is_bounded() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        let mut m = text("w1", "447700900001", "Hi");
        m.timestamp = None;
        apply(&conn, &m, now).unwrap();
        let mut later = text("w2", "447700900001", "Hello again");
        later.timestamp = Some(4_102_444_800);
        apply(&conn, &later, now).unwrap();
        let at: Vec<String> = conn
            .prepare("SELECT at FROM inbound ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(at, [ts(now), ts(now)]);
    }
}
