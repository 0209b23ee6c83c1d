//! The guided sign-up conversation: a first message from a new number is
//! answered with the service's terms and three questions, one at a time
//! (the name, by reply buttons; the job role, by a list; the working
//! location, typed or from a list). The state is stored (`signups`), so it
//! survives restarts and the relay; answers are taken in any order, an
//! unusable one gets its question once more, STOP ends it. What is sent goes
//! through [`outbox`], inside the member's 24-hour window only.

mod evidence;
pub mod outbox;

pub use evidence::Evidence;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit;
use crate::config::{Inbound, Signup};
use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::event::{Content, InboundMessage};
use crate::members::{self, MemberId, MemberStatus};
use crate::output::Row;
use crate::phone::E164;

/// What the conversation and the channel replies need to know.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    pub signup: Signup,
    pub replies: Inbound,
}

impl Conversation {
    /// No conversation and no channel replies: a first message only makes a
    /// pending member (`[signup] guided = false`).
    pub fn off() -> Conversation {
        let mut conv = Conversation::default();
        conv.signup.guided = false;
        conv
    }
}

text_enum! {
    /// The question waiting for an answer.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Step {
        /// The name, by reply buttons: the profile name or "a different name".
        Name = "name",
        /// The name, typed.
        NameText = "name_text",
        Role = "role",
        RoleText = "role_text",
        Location = "location",
        LocationText = "location_text",
        /// All four details are on file.
        Complete = "complete",
        /// The person sent STOP: nothing more is sent.
        Stopped = "stopped",
    }
}

text_enum! {
    /// What one message mot sends on its own is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Kind {
        Terms = "terms",
        AskName = "ask_name",
        AskNameText = "ask_name_text",
        AskRole = "ask_role",
        AskRoleText = "ask_role_text",
        AskLocation = "ask_location",
        AskLocationText = "ask_location_text",
        Thanks = "thanks",
        GeneralReply = "general_reply",
        PatientDataReply = "patient_data_reply",
    }
}

impl Kind {
    /// The question this message asks, if it is one.
    pub fn asks(self) -> Option<Step> {
        Some(match self {
            Kind::AskName => Step::Name,
            Kind::AskNameText => Step::NameText,
            Kind::AskRole => Step::Role,
            Kind::AskRoleText => Step::RoleText,
            Kind::AskLocation => Step::Location,
            Kind::AskLocationText => Step::LocationText,
            _ => return None,
        })
    }

    fn asking(step: Step) -> Option<Kind> {
        Some(match step {
            Step::Name => Kind::AskName,
            Step::NameText => Kind::AskNameText,
            Step::Role => Kind::AskRole,
            Step::RoleText => Kind::AskRoleText,
            Step::Location => Kind::AskLocation,
            Step::LocationText => Kind::AskLocationText,
            Step::Complete | Step::Stopped => return None,
        })
    }
}

/// One member's conversation as stored: the consent evidence and where it got to.
#[derive(Debug, Clone, Serialize)]
pub struct State {
    pub first_message_id: String,
    pub first_message_at: String,
    pub terms_version: String,
    pub step: Step,
    pub asked_at: Option<String>,
    pub repeated: bool,
    pub name_at: Option<String>,
    pub role_at: Option<String>,
    pub location_at: Option<String>,
}

impl State {
    /// The question for the first detail not yet answered (name, role,
    /// location, in that order); `None` when all are on file.
    fn first_missing(&self) -> Option<Step> {
        if self.name_at.is_none() {
            Some(Step::Name)
        } else if self.role_at.is_none() {
            Some(Step::Role)
        } else if self.location_at.is_none() {
            Some(Step::Location)
        } else {
            None
        }
    }
}

pub fn get(conn: &Connection, member: MemberId) -> Result<Option<State>> {
    Ok(conn
        .prepare_cached(
            "SELECT first_message_id, first_message_at, terms_version, step, asked_at, repeated,
                    name_at, role_at, location_at
             FROM signups WHERE member_id = ?1",
        )?
        .query_row([member.0], |r| {
            Ok(State {
                first_message_id: r.get(0)?,
                first_message_at: r.get(1)?,
                terms_version: r.get(2)?,
                step: r.get(3)?,
                asked_at: r.get(4)?,
                repeated: r.get(5)?,
                name_at: r.get(6)?,
                role_at: r.get(7)?,
                location_at: r.get(8)?,
            })
        })
        .optional()?)
}

/// Whether the member is in the middle of the conversation (a message of
/// theirs is then a sign-up step, not a general message).
pub fn is_open(conn: &Connection, member: MemberId) -> Result<bool> {
    Ok(get(conn, member)?.is_some_and(|s| !matches!(s.step, Step::Complete | Step::Stopped)))
}

/// Starts the conversation with a new pending member: the terms, then the
/// name question (typed, when WhatsApp gave no profile name).
pub fn start(
    conn: &Connection,
    member: MemberId,
    first: &InboundMessage,
    conv: &Conversation,
    now: Timestamp,
) -> Result<()> {
    // Without a usable profile name there is nothing to confirm: it is typed.
    let profile = first.profile_name.as_deref();
    let step = if profile.is_some_and(|n| members::clean_field("name", n).is_ok()) {
        Step::Name
    } else {
        Step::NameText
    };
    conn.prepare_cached(
        "INSERT INTO signups (member_id, first_message_id, first_message_at, terms_version, step,
                              updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3)",
    )?
    .execute(params![
        member.0,
        first.id,
        ts(now),
        conv.signup.terms_version,
        step.as_str()
    ])?;
    outbox::enqueue(conn, member, Kind::Terms, now)?;
    ask(conn, member, step, now)
}

/// The member sent STOP: the conversation ends and nothing queued is sent.
pub fn stop(conn: &Connection, member: MemberId, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE signups SET step = 'stopped', updated_at = ?2
         WHERE member_id = ?1 AND step != 'complete'",
    )?
    .execute(params![member.0, ts(now)])?;
    outbox::cancel(conn, member, now)
}

/// The member sent START after STOP: a conversation stopped before it was
/// complete asks again for the first detail still missing.
pub fn resume(conn: &Connection, member: MemberId, now: Timestamp) -> Result<()> {
    let Some(state) = get(conn, member)? else {
        return Ok(());
    };
    if state.step != Step::Stopped {
        return Ok(());
    }
    // STOP after the last answer cannot happen (the conversation was then
    // complete); a name asked again is typed, there being no profile to confirm.
    let next = match state.first_missing() {
        Some(Step::Name) => Step::NameText,
        Some(step) => step,
        None => return Ok(()),
    };
    set_step(conn, member, next, now)?;
    ask(conn, member, next, now)
}

/// A detail, as the member gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Detail {
    /// The profile name is right.
    KeepName,
    Name(String),
    Role(String),
    Location(String),
    /// "A different name", or "Other" in a list: the detail is typed next.
    TypeIt(Step),
    /// Nothing usable (patient data, an empty or overlong text, a stranger's id).
    Unusable,
}

/// Reads one message of a member whose conversation is open. `text` is the
/// text as stored (after the screen); `removed` says the screen took
/// patient data out of it. Returns whether the sign-up became complete.
pub fn answer(
    conn: &Connection,
    member: MemberId,
    m: &InboundMessage,
    (text, removed): (Option<&str>, bool),
    conv: &Conversation,
    now: Timestamp,
) -> Result<bool> {
    let Some(state) = get(conn, member)? else {
        return Ok(false);
    };
    let detail = match &m.content {
        Content::Interactive {
            reply_id: Some(id), ..
        } => chosen(id, text, &conv.signup),
        Content::Text { .. } if removed => Detail::Unusable,
        Content::Text { .. } => typed(state.step, text.unwrap_or("")),
        // A picture or a reaction answers nothing.
        _ => return Ok(false),
    };
    let field = |step: Step| match step {
        Step::Name | Step::NameText => "name",
        Step::Role | Step::RoleText => "role",
        _ => "location",
    };
    let mut changes = members::Changes::default();
    let answered = match detail {
        Detail::Unusable => return repeat(conn, member, &state, now).map(|()| false),
        Detail::TypeIt(step) => {
            set_step(conn, member, step, now)?;
            return ask(conn, member, step, now).map(|()| false);
        }
        Detail::KeepName => "name",
        Detail::Name(v) => {
            changes.name = Some(v);
            "name"
        }
        Detail::Role(v) => {
            changes.role = Some(v);
            "role"
        }
        Detail::Location(v) => {
            changes.location = Some(v);
            "location"
        }
    };
    members::edit(conn, member, &changes, now)?;
    conn.prepare_cached(&format!(
        "UPDATE signups SET {answered}_at = ?2, updated_at = ?2 WHERE member_id = ?1"
    ))?
    .execute(params![member.0, ts(now)])?;
    let state = get(conn, member)?.expect("the row was just updated");
    let Some(next) = state.first_missing() else {
        return complete(conn, member, conv, now).map(|()| true);
    };
    // An answer out of order leaves the waiting question waiting.
    if field(next) != field(state.step) {
        set_step(conn, member, next, now)?;
        ask(conn, member, next, now)?;
    }
    Ok(false)
}

/// A tapped button or list row: `mot:<detail>:<choice>`.
fn chosen(id: &str, title: Option<&str>, s: &Signup) -> Detail {
    let pick = |list: &[String], choice: &str| -> Option<String> {
        let n: usize = choice.parse().ok()?;
        list.get(n.checked_sub(1)?).cloned()
    };
    match id.strip_prefix("mot:").and_then(|r| r.split_once(':')) {
        Some(("name", "profile")) => Detail::KeepName,
        Some(("name", "other")) => Detail::TypeIt(Step::NameText),
        Some(("role", "other")) => Detail::TypeIt(Step::RoleText),
        Some(("location", "other")) => Detail::TypeIt(Step::LocationText),
        Some(("role", n)) => pick(&s.roles, n)
            .or_else(|| title.map(str::to_string))
            .map_or(Detail::Unusable, Detail::Role),
        Some(("location", n)) => pick(&s.localities, n)
            .or_else(|| title.map(str::to_string))
            .map_or(Detail::Unusable, Detail::Location),
        _ => Detail::Unusable,
    }
}

/// Words that say yes or no to "Is your name …?" when typed, not tapped.
const YES: [&str; 6] = ["yes", "y", "yeah", "yep", "correct", "that's me"];
const NO: [&str; 3] = ["no", "n", "nope"];

/// Typed text answers the question waiting. To the name buttons only yes or
/// no is an answer: a second greeting is not a name.
fn typed(step: Step, text: &str) -> Detail {
    let Ok(clean) = members::clean_field("answer", text) else {
        return Detail::Unusable;
    };
    let word = clean.trim_end_matches(['.', '!']).to_lowercase();
    match step {
        Step::Name if YES.contains(&word.as_str()) => Detail::KeepName,
        Step::Name if NO.contains(&word.as_str()) => Detail::TypeIt(Step::NameText),
        Step::Name => Detail::Unusable,
        Step::NameText => Detail::Name(clean),
        Step::Role | Step::RoleText => Detail::Role(clean),
        Step::Location | Step::LocationText => Detail::Location(clean),
        Step::Complete | Step::Stopped => Detail::Unusable,
    }
}

/// Moves to the next question: not yet asked (its send sets `asked_at`), not repeated.
fn set_step(conn: &Connection, member: MemberId, step: Step, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE signups SET step = ?2, repeated = 0, asked_at = NULL, updated_at = ?3
         WHERE member_id = ?1",
    )?
    .execute(params![member.0, step.as_str(), ts(now)])?;
    Ok(())
}

fn ask(conn: &Connection, member: MemberId, step: Step, now: Timestamp) -> Result<()> {
    match Kind::asking(step) {
        Some(kind) => outbox::enqueue(conn, member, kind, now),
        None => Ok(()),
    }
}

/// An unusable answer gets its question once more, then silence. A
/// question not sent yet (still on its way, or the window closed) is not
/// repeated.
fn repeat(conn: &Connection, member: MemberId, state: &State, now: Timestamp) -> Result<()> {
    if state.repeated || state.asked_at.is_none() {
        return Ok(());
    }
    conn.prepare_cached("UPDATE signups SET repeated = 1, updated_at = ?2 WHERE member_id = ?1")?
        .execute(params![member.0, ts(now)])?;
    ask(conn, member, state.step, now)
}

/// All four details are on file: thanks, and (if the team chose so) active at once.
fn complete(
    conn: &Connection,
    member: MemberId,
    conv: &Conversation,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE signups SET step = 'complete', updated_at = ?2 WHERE member_id = ?1",
    )?
    .execute(params![member.0, ts(now)])?;
    outbox::enqueue(conn, member, Kind::Thanks, now)?;
    let approved = conv.signup.auto_approve
        && members::get(conn, member)?.is_some_and(|m| m.status == MemberStatus::Pending);
    if approved {
        members::approve(conn, member, now)?;
    }
    audit::record(
        conn,
        now,
        "whatsapp",
        "signup complete",
        "ok",
        serde_json::json!({ "member_id": member, "auto_approved": approved }),
    )?;
    Ok(())
}

/// A pending member whose sign-up conversation gave all four details, as
/// `members approve --all-complete` lists them before approving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complete {
    pub id: MemberId,
    pub name: String,
    pub role: String,
    pub location: String,
    pub phone: E164,
    /// When their first message came (the conversation's start).
    pub signed_up_at: String,
}

impl Row for Complete {
    const HEADERS: &'static [&'static str] =
        &["id", "name", "role", "location", "phone", "signed_up_at"];
    const PHONES: &'static [&'static str] = &["phone"];
    const WHOLE: &'static [&'static str] = &["name"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.role.clone(),
            self.location.clone(),
            self.phone.to_string(),
            self.signed_up_at.clone(),
        ]
    }
}

/// Pending members whose conversation is complete, in id order (for
/// `members approve --all-complete` and `mot doctor`).
pub fn complete_pending(conn: &Connection) -> Result<Vec<Complete>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.id, m.name, m.role, m.location, m.phone, s.first_message_at
             FROM signups s JOIN members m ON m.id = s.member_id
             WHERE s.step = 'complete' AND m.status = 'pending' ORDER BY s.member_id",
        )?
        .query_map([], |r| {
            Ok(Complete {
                id: MemberId(r.get(0)?),
                name: r.get(1)?,
                role: r.get(2)?,
                location: r.get(3)?,
                phone: E164::from_stored(r.get(4)?),
                signed_up_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Pending members whose conversation stopped short of the four details
/// (still waiting for an answer, whatever the window): for `mot doctor`.
pub fn incomplete(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM signups s JOIN members m ON m.id = s.member_id
         WHERE s.step NOT IN ('complete', 'stopped') AND m.status = 'pending'",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests;
