//! Inbound WhatsApp messages: sign-ups, opt-outs and opt-ins, replies to
//! broadcasts, changed numbers. Each message is applied once, by its id.

mod amend;
mod classify;
mod inbox;
mod opt_out_words;

use classify::Decision;
pub use classify::sender;
pub use inbox::{Dismissal, Filter, dismiss, filed_as_reply, list, unhandled_opt_outs};

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit;
use crate::broadcast::BroadcastId;
use crate::config::OptOutPhrases;
use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::event::{Content, InboundMessage};
use crate::members::{self, Consent, Details, MemberId, MemberStatus, OptOutVia};
use crate::phone::E164;
use crate::request;
use crate::screen::{self, Severity};
use crate::signup::{self, Conversation, Kind};

/// The flag on a message whose text the screen removed.
const PATIENT_DATA_REMOVED: &str = "patient_data_removed";
/// `inbound.opt_out` of a message that reads like a request to leave.
const LIKELY_OPT_OUT: &str = "likely";

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
        /// A message from someone in the sign-up conversation: an answer, or
        /// an attempt at one.
        SignupStep = "signup_step",
    }
}

/// Applies one inbound message as before the sign-up conversation (no
/// conversation, no channel replies): what the older unit tests expect.
#[cfg(test)]
pub fn apply(
    conn: &Connection,
    m: &InboundMessage,
    now: Timestamp,
) -> Result<(Action, Option<MemberId>)> {
    apply_with(conn, m, &Conversation::off(), now)
}

/// Applies one inbound message. Returns what it did and, for a sign-up or an
/// opt-out, the member it concerned (so the caller can send a configured reply).
/// The sign-up conversation and the channel replies are queued in `signup::outbox`.
pub fn apply_with(
    conn: &Connection,
    m: &InboundMessage,
    conv: &Conversation,
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
    let member_id = member.as_ref().map(|x| x.id);
    if let Some(action) = amended(conn, m, (phone.as_ref(), member_id), at, now)? {
        return Ok((action, member_id));
    }
    if let Some(now_says) = edited_to(m) {
        // An edit of a message mot never saw is read as the message it now is.
        return apply_with(conn, &now_says, conv, now);
    }
    let (replied_to, broadcast_id) = replied_to(conn, m)?;

    let phrases = conv.replies.opt_out_phrases;
    let (mut action, refused) = act(conn, m, &mut member, (broadcast_id.is_some(), phrases), now)?;
    if let Some(mm) = &member {
        action = conversation_before(conn, m, mm.id, action, conv, now)?;
    }

    if let Some(mm) = &member {
        reactivate_if_lapsed(conn, mm.id, action, now)?;
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
    let opt_out = likely_opt_out(m, member.as_ref(), action);
    let (action, broadcast_id, linked) = link_to_request(
        conn,
        m,
        (action, broadcast_id),
        member_id,
        (text.as_deref(), flagged.is_some()),
        at,
    )?;
    let stored = Stored {
        member_id,
        phone: phone.as_ref(),
        text: text.as_deref(),
        replied_to: replied_to.map(String::as_str),
        broadcast_id,
        action,
        flagged,
        opt_out,
        at,
    };
    store(conn, m, &stored, &linked, now)?;
    audit_action(conn, action, member_id, refused.as_deref(), now)?;
    if let Some(id) = member_id {
        let linked = !matches!(linked, request::Linked::None);
        conversation_after(conn, m, id, (action, linked), &stored, conv, now)?;
    }
    Ok((action, member_id))
}

/// What the sign-up conversation makes of a message before it is stored: a
/// first message starts it, STOP ends it, and anything else from someone in
/// it is a step of it.
fn conversation_before(
    conn: &Connection,
    m: &InboundMessage,
    member: MemberId,
    action: Action,
    conv: &Conversation,
    now: Timestamp,
) -> Result<Action> {
    Ok(match action {
        Action::Signup if conv.signup.guided => {
            signup::start(conn, member, m, conv, now)?;
            action
        }
        Action::OptOut => {
            signup::stop(conn, member, now)?;
            action
        }
        // START after a STOP in the middle of signing up: ask what is missing.
        Action::OptIn if conv.signup.guided => {
            signup::resume(conn, member, now)?;
            action
        }
        // A reply that quotes one of our broadcasts stays a reply.
        Action::Message if !classify::says_start(m) && signup::is_open(conn, member)? => {
            Action::SignupStep
        }
        _ => action,
    })
}

/// After the message is stored: a sign-up step is read as an answer, and
/// the channel replies are queued (each at most once a day per member, only
/// to members, only while they may be written to).
fn conversation_after(
    conn: &Connection,
    m: &InboundMessage,
    member: MemberId,
    (action, linked): (Action, bool),
    stored: &Stored,
    conv: &Conversation,
    now: Timestamp,
) -> Result<()> {
    let removed = stored.flagged.is_some();
    if action == Action::SignupStep {
        signup::answer(conn, member, m, (stored.text, removed), conv, now)?;
    }
    let Some(status) = members::get(conn, member)?.map(|x| x.status) else {
        return Ok(());
    };
    if status == MemberStatus::OptedOut || action == Action::OptOut {
        return Ok(());
    }
    if removed && conv.replies.patient_data_reply.is_some() {
        signup::outbox::enqueue_daily(conn, member, Kind::PatientDataReply, now)?;
    } else if matches!(action, Action::Message | Action::Reply)
        && !linked
        && status == MemberStatus::Active
        && m.content.is_written()
        && !classify::says_start(m)
        && conv.replies.general_reply.is_some()
    {
        signup::outbox::enqueue_daily(conn, member, Kind::GeneralReply, now)?;
    }
    Ok(())
}

/// An edit or a deletion of a message mot has, applied by [`amend`]; a
/// member who edits a message to STOP wants to leave, as if they had sent it
/// so. `None` when the message amends nothing mot has.
fn amended(
    conn: &Connection,
    m: &InboundMessage,
    (phone, member): (Option<&E164>, Option<MemberId>),
    at: Timestamp,
    now: Timestamp,
) -> Result<Option<Action>> {
    let Some(action) = amend::apply(conn, m, (phone, member), at, now)? else {
        return Ok(None);
    };
    if action == Action::Edit && edited_to(m).is_some_and(|now_says| classify::says_stop(&now_says))
    {
        members::opt_out(conn, member, OptOutVia::Edit, now)?;
        return Ok(Some(Action::OptOut));
    }
    Ok(Some(action))
}

/// An edit read as the message it now is (the edit's id and sender, the new
/// content); `None` for anything but an edit.
fn edited_to(m: &InboundMessage) -> Option<InboundMessage> {
    let Content::Edit { message, .. } = &m.content else {
        return None;
    };
    Some(InboundMessage {
        content: (**message).clone(),
        ..m.clone()
    })
}

/// The message of ours a message names, and its broadcast: a reply names it
/// in its context, a reaction directly.
fn replied_to<'m>(
    conn: &Connection,
    m: &'m InboundMessage,
) -> Result<(Option<&'m String>, Option<i64>)> {
    let replied_to = match &m.content {
        Content::Reaction { message_id, .. } => message_id.as_ref().or(m.context_id.as_ref()),
        _ => m.context_id.as_ref(),
    };
    let broadcast_id = match replied_to {
        Some(wamid) => conn
            .prepare_cached("SELECT broadcast_id FROM deliveries WHERE wamid = ?1")?
            .query_row([wamid], |r| r.get(0))
            .optional()?,
        None => None,
    };
    Ok((replied_to, broadcast_id))
}

/// A lapsed member who writes to the team is evidently reachable again.
fn reactivate_if_lapsed(
    conn: &Connection,
    member: MemberId,
    action: Action,
    now: Timestamp,
) -> Result<()> {
    if matches!(action, Action::Reply | Action::Message | Action::OptIn)
        && members::get(conn, member)?.is_some_and(|x| x.status == MemberStatus::Lapsed)
    {
        members::set_status(conn, member, MemberStatus::Active, now)?;
        let detail = serde_json::json!({ "member_id": member, "from": "lapsed" });
        audit::record(conn, now, "whatsapp", "inbound reactivate", "ok", detail)?;
    }
    Ok(())
}

/// One inbound row as it is written.
struct Stored<'a> {
    member_id: Option<MemberId>,
    phone: Option<&'a E164>,
    text: Option<&'a str>,
    replied_to: Option<&'a str>,
    broadcast_id: Option<i64>,
    action: Action,
    flagged: Option<&'static str>,
    /// `likely` when the message reads like a request to leave that did not
    /// opt the member out: the team decides.
    opt_out: Option<&'static str>,
    at: Timestamp,
}

/// Writes the message's row, and its link to a request it answers.
fn store(
    conn: &Connection,
    m: &InboundMessage,
    r: &Stored,
    linked: &request::Linked,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO inbound (wa_message_id, member_id, phone, user_id, type, text, context_wamid,
                              broadcast_id, action, at, received_at, flagged, opt_out)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        m.id,
        r.member_id.map(|x| x.0),
        r.phone.map(E164::as_str),
        m.user_id,
        m.content.kind(),
        r.text,
        r.replied_to,
        r.broadcast_id,
        r.action.as_str(),
        ts(r.at),
        ts(now),
        r.flagged,
        r.opt_out,
    ])?;
    request::record(conn, conn.last_insert_rowid(), r.member_id, linked)?;
    Ok(())
}

/// Audits what changed a member: an opt-in, a number change (or its
/// refusal, with the reason) or a sign-up.
fn audit_action(
    conn: &Connection,
    action: Action,
    member_id: Option<MemberId>,
    refused: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    if let Some(why) = refused {
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
    Ok(())
}

/// Carries out what [`classify::classify`] decided: the opt-out, number
/// change, opt-in or sign-up. Returns the action, and why a number change
/// was refused (for the inbox and the audit log); a sign-up fills `member`.
fn act(
    conn: &Connection,
    m: &InboundMessage,
    member: &mut Option<members::Member>,
    (answers_broadcast, phrases): (bool, OptOutPhrases),
    now: Timestamp,
) -> Result<(Action, Option<String>)> {
    let id = member.as_ref().map(|x| x.id);
    let status = member.as_ref().map(|x| x.status);
    let decision = classify::classify(m, status, answers_broadcast, phrases);
    Ok(match decision {
        Decision::OptOut(via) => {
            members::opt_out(conn, id, via, now)?;
            (Action::OptOut, None)
        }
        Decision::ChangeNumber(new_wa_id) => {
            match change_number(conn, id, new_wa_id.as_deref(), now)? {
                Ok(()) => (Action::NumberChange, None),
                Err(why) => (Action::NumberChangeRefused, Some(why)),
            }
        }
        Decision::OptIn => {
            if let Some(id) = id {
                members::rejoin(conn, id, now)?;
            }
            (Action::OptIn, None)
        }
        Decision::Reply => (Action::Reply, None),
        Decision::Message => (Action::Message, None),
        Decision::Signup { phone } => {
            // The first message a person wrote is the consent to keep the four
            // details, given when mot received it (a payload's clock can be anything).
            let name = m
                .profile_name
                .as_deref()
                .and_then(|n| members::clean_field("name", n).ok())
                .unwrap_or_else(|| "(WhatsApp user)".to_string());
            let details = Details {
                name,
                phone,
                role: String::new(),
                location: String::new(),
            };
            let consent = Consent {
                at: now,
                source: format!("whatsapp:{}", m.id),
                by: "whatsapp".to_string(),
            };
            let id = members::insert(conn, &details, MemberStatus::Pending, &consent)?;
            *member = members::get(conn, id)?;
            (Action::Signup, None)
        }
    })
}

/// A member's message that reads like a request to leave but did not opt
/// them out (`[inbound] opt_out_phrases = "flag"`, or only a likely one) is
/// marked for the team: `mot inbox` shows it, `mot doctor` counts it.
fn likely_opt_out(
    m: &InboundMessage,
    member: Option<&members::Member>,
    action: Action,
) -> Option<&'static str> {
    let member = member?;
    let stays = member.status != MemberStatus::OptedOut
        && matches!(action, Action::Message | Action::Reply | Action::SignupStep);
    (stays && classify::asks_to_leave(m).is_some()).then_some(LIKELY_OPT_OUT)
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
    if !matches!(action, Action::Reply | Action::Message) || classify::says_start(m) {
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

#[cfg(test)]
mod tests;
