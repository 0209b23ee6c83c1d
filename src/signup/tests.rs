//! The sign-up conversation and the channel replies, applied to a database
//! through `inbound::apply_with` (what the receiver and the relay call).

use jiff::Timestamp;
use rusqlite::Connection;

use super::outbox::{self, Outcome};
use super::*;
use crate::db::open_in_memory;
use crate::event::{Content, InboundMessage};
use crate::inbound::{self, Action};
use crate::members::{self, MemberStatus};
use crate::phone::E164;

const FROM: &str = "447700900123";
const T0: i64 = 1_800_000_000;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap()
}

fn message(id: &str, second: i64, content: Content) -> InboundMessage {
    InboundMessage {
        id: id.into(),
        from: Some(FROM.into()),
        user_id: None,
        profile_name: Some("Asha Patel".into()),
        timestamp: Some(second),
        context_id: None,
        content,
    }
}

fn text(id: &str, second: i64, body: &str) -> InboundMessage {
    message(id, second, Content::Text { body: body.into() })
}

fn tap(id: &str, second: i64, reply_id: &str, title: &str) -> InboundMessage {
    message(
        id,
        second,
        Content::Interactive {
            reply_id: Some(reply_id.into()),
            title: Some(title.into()),
        },
    )
}

fn apply(conn: &Connection, m: &InboundMessage, conv: &Conversation) -> Action {
    let second = m.timestamp.unwrap();
    inbound::apply_with(conn, m, conv, at(second)).unwrap().0
}

fn member(conn: &Connection) -> members::Member {
    members::by_phone(conn, &E164::from_stored(format!("+{FROM}")))
        .unwrap()
        .unwrap()
}

/// What was queued for the member, in order, with what became of it.
fn queued(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT kind, coalesce(outcome, '-') FROM member_messages ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{}:{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The sender's part: everything queued is sent now.
fn deliver(conn: &Connection, second: i64) {
    let conv = Conversation::default();
    for o in outbox::claim(conn, &conv, at(second)).unwrap() {
        let sent = Outcome::Sent {
            wamid: format!("wamid.OUT{}", o.id),
        };
        outbox::record(conn, o.id, &sent, at(second)).unwrap();
    }
}

fn kinds(conn: &Connection) -> Vec<String> {
    queued(conn)
        .into_iter()
        .map(|k| k.split(':').next().unwrap().to_string())
        .collect()
}

#[test]
fn hi_then_button_list_and_text_leave_a_pending_member_with_four_details() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    assert_eq!(apply(&conn, &text("w1", T0, "hi"), &conv), Action::Signup);
    assert_eq!(kinds(&conn), ["terms", "ask_name"]);
    let state = get(&conn, member(&conn).id).unwrap().unwrap();
    assert_eq!(state.step, Step::Name);
    assert_eq!(state.first_message_id, "w1");
    assert_eq!(state.terms_version, conv.signup.terms_version);

    let step = apply(
        &conn,
        &tap("w2", T0 + 10, "mot:name:profile", "Asha Patel"),
        &conv,
    );
    assert_eq!(step, Action::SignupStep);
    assert_eq!(kinds(&conn), ["terms", "ask_name", "ask_role"]);
    apply(
        &conn,
        &tap("w3", T0 + 20, "mot:role:2", "GP practice pharmacist"),
        &conv,
    );
    assert_eq!(member(&conn).role, "GP practice pharmacist");
    assert_eq!(kinds(&conn)[3], "ask_location");
    apply(
        &conn,
        &text("w4", T0 + 30, "Riverside Pharmacy, Leeds"),
        &conv,
    );

    let m = member(&conn);
    assert_eq!(
        (m.name.as_str(), m.location.as_str(), m.status),
        (
            "Asha Patel",
            "Riverside Pharmacy, Leeds",
            MemberStatus::Pending
        )
    );
    assert!(m.has_four_details());
    let state = get(&conn, m.id).unwrap().unwrap();
    assert_eq!(state.step, Step::Complete);
    assert!(state.name_at.is_some() && state.role_at.is_some() && state.location_at.is_some());
    assert_eq!(kinds(&conn).last().unwrap(), "thanks");
    let complete: Vec<_> = complete_pending(&conn)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(complete, [m.id]);
    assert_eq!(incomplete(&conn).unwrap(), 0);
    // A message after the conversation is an ordinary one.
    assert_eq!(
        apply(&conn, &text("w5", T0 + 40, "thanks"), &conv),
        Action::Message
    );
}

#[test]
fn a_different_name_and_other_are_typed_and_auto_approve_makes_the_member_active() {
    let conn = open_in_memory();
    let mut conv = Conversation::default();
    conv.signup.auto_approve = true;
    conv.signup.localities = vec!["Leeds".into(), "Bradford".into()];
    apply(&conn, &text("w1", T0, "hello"), &conv);
    apply(
        &conn,
        &tap("w2", T0 + 1, "mot:name:other", "A different name"),
        &conv,
    );
    assert_eq!(
        get(&conn, member(&conn).id).unwrap().unwrap().step,
        Step::NameText
    );
    apply(&conn, &text("w3", T0 + 2, "Dr Asha Patel-Jones"), &conv);
    assert_eq!(member(&conn).name, "Dr Asha Patel-Jones");
    apply(&conn, &tap("w4", T0 + 3, "mot:role:other", "Other"), &conv);
    apply(
        &conn,
        &text("w5", T0 + 4, "Medicines optimisation technician"),
        &conv,
    );
    apply(
        &conn,
        &tap("w6", T0 + 5, "mot:location:2", "Bradford"),
        &conv,
    );
    let m = member(&conn);
    assert_eq!(
        (m.role.as_str(), m.location.as_str(), m.status),
        (
            "Medicines optimisation technician",
            "Bradford",
            MemberStatus::Active
        )
    );
    assert_eq!(
        kinds(&conn),
        [
            "terms",
            "ask_name",
            "ask_name_text",
            "ask_role",
            "ask_role_text",
            "ask_location",
            "thanks"
        ]
    );
}

#[test]
fn answers_out_of_order_are_kept_and_the_waiting_question_stays_waiting() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    // The role list was never sent, but a role tap is a role all the same.
    apply(
        &conn,
        &tap("w2", T0 + 1, "mot:role:1", "Community pharmacist"),
        &conv,
    );
    assert_eq!(member(&conn).role, "Community pharmacist");
    assert_eq!(kinds(&conn), ["terms", "ask_name"], "no new question");
    apply(
        &conn,
        &tap("w3", T0 + 2, "mot:name:profile", "Asha Patel"),
        &conv,
    );
    assert_eq!(
        kinds(&conn),
        ["terms", "ask_name", "ask_location"],
        "the role is known"
    );
}

#[test]
fn an_unusable_answer_gets_its_question_once_more_then_silence() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    apply(
        &conn,
        &tap("w2", T0 + 1, "mot:name:profile", "Asha Patel"),
        &conv,
    );
    apply(
        &conn,
        &tap("w3", T0 + 2, "mot:role:1", "Community pharmacist"),
        &conv,
    );
    let patient = "Mrs Khan NHS 999 876 5439 DOB 02/02/1950 needs her inhaler";
    // Before the location question has gone out, nothing is repeated.
    apply(&conn, &text("w3b", T0 + 2, patient), &conv);
    deliver(&conn, T0 + 2);
    apply(&conn, &text("w4", T0 + 3, patient), &conv);
    apply(&conn, &text("w5", T0 + 4, patient), &conv);
    assert_eq!(
        kinds(&conn),
        [
            "terms",
            "ask_name",
            "ask_role",
            "ask_location",
            "ask_location"
        ]
    );
    let m = member(&conn);
    assert_eq!(m.location, "", "patient data is never a detail");
    assert_eq!(incomplete(&conn).unwrap(), 1);
}

#[test]
fn to_the_name_buttons_a_typed_yes_or_no_answers_and_a_second_greeting_does_not() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    deliver(&conn, T0);
    apply(&conn, &text("w2", T0 + 1, "hello?"), &conv);
    assert_eq!(member(&conn).name, "Asha Patel", "a greeting is not a name");
    assert_eq!(
        kinds(&conn),
        ["terms", "ask_name", "ask_name"],
        "asked once more"
    );
    apply(&conn, &text("w3", T0 + 2, "Yes!"), &conv);
    assert_eq!(kinds(&conn).last().unwrap(), "ask_role");
    assert!(
        get(&conn, member(&conn).id)
            .unwrap()
            .unwrap()
            .name_at
            .is_some()
    );
}

#[test]
fn stop_at_any_step_opts_out_and_cancels_what_was_not_sent() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    apply(
        &conn,
        &tap("w2", T0 + 1, "mot:name:profile", "Asha Patel"),
        &conv,
    );
    assert_eq!(
        apply(&conn, &text("w3", T0 + 2, "STOP"), &conv),
        Action::OptOut
    );
    assert_eq!(member(&conn).status, MemberStatus::OptedOut);
    assert_eq!(
        get(&conn, member(&conn).id).unwrap().unwrap().step,
        Step::Stopped
    );
    assert!(
        queued(&conn).iter().all(|q| q.ends_with(":cancelled")),
        "{:?}",
        queued(&conn)
    );
    assert!(outbox::claim(&conn, &conv, at(T0 + 3)).unwrap().is_empty());

    // START again: the conversation asks for the first detail missing (the
    // role, since the name was given), not nothing for ever.
    assert_eq!(
        apply(&conn, &text("w4", T0 + 4, "START"), &conv),
        Action::OptIn
    );
    assert_eq!(
        get(&conn, member(&conn).id).unwrap().unwrap().step,
        Step::Role
    );
    assert!(
        queued(&conn).iter().any(|q| q.starts_with("ask_role")),
        "{:?}",
        queued(&conn)
    );
}

#[test]
fn nothing_is_claimed_outside_the_window_and_131047_is_the_window() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    let claimed = outbox::claim(&conn, &conv, at(T0 + 5)).unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].body["type"], "text");
    assert_eq!(claimed[1].body["interactive"]["type"], "button");
    outbox::record(
        &conn,
        claimed[0].id,
        &Outcome::Sent {
            wamid: "wamid.A".into(),
        },
        at(T0 + 6),
    )
    .unwrap();
    outbox::record(&conn, claimed[1].id, &Outcome::WindowClosed, at(T0 + 6)).unwrap();
    assert_eq!(queued(&conn), ["terms:sent", "ask_name:window_closed"]);
    // The name, a day and more later: the role question is not sent.
    apply(
        &conn,
        &tap("w2", T0 + 10, "mot:name:profile", "Asha Patel"),
        &conv,
    );
    let late = at(T0 + 10 + 24 * 3600 + 1);
    assert!(outbox::claim(&conn, &conv, late).unwrap().is_empty());
    assert_eq!(queued(&conn).last().unwrap(), "ask_role:window_closed");
    assert_eq!(member(&conn).status, MemberStatus::Pending);
    assert_eq!(incomplete(&conn).unwrap(), 1);
}

#[test]
fn channel_replies_go_to_members_once_a_day() {
    let conn = open_in_memory();
    let mut conv = Conversation::off();
    conv.replies.general_reply = Some("Please email the team.".into());
    conv.replies.patient_data_reply = Some("Your message was deleted.".into());
    // A sign-up (the conversation off) is pending: no general reply yet.
    apply(&conn, &text("w1", T0, "hi"), &conv);
    apply(&conn, &text("w2", T0 + 1, "is the guidance out?"), &conv);
    assert!(kinds(&conn).is_empty());
    let id = member(&conn).id;
    let details = members::Changes {
        role: Some("GP".into()),
        location: Some("Leeds".into()),
        ..members::Changes::default()
    };
    members::edit(&conn, id, &details, at(T0)).unwrap();
    members::approve(&conn, id, at(T0)).unwrap();
    apply(&conn, &text("w3", T0 + 2, "is the guidance out?"), &conv);
    apply(&conn, &text("w4", T0 + 3, "hello?"), &conv);
    assert_eq!(kinds(&conn), ["general_reply"], "once a day");
    apply(
        &conn,
        &text("w5", T0 + 4, "Mrs Khan NHS 999 876 5439 DOB 02/02/1950"),
        &conv,
    );
    apply(
        &conn,
        &text("w6", T0 + 5, "Mrs Khan NHS 999 876 5439 DOB 02/02/1950"),
        &conv,
    );
    assert_eq!(kinds(&conn), ["general_reply", "patient_data_reply"]);
    apply(
        &conn,
        &text("w7", T0 + 24 * 3600 + 10, "hello again"),
        &conv,
    );
    assert_eq!(kinds(&conn).last().unwrap(), "general_reply", "a day later");
    // A STOP is never answered with a general reply.
    apply(&conn, &text("w8", T0 + 2 * 24 * 3600 + 10, "STOP"), &conv);
    assert_eq!(kinds(&conn).len(), 3);
}

/// Meta may accept a free-form message and report 131047 later, in a
/// status: that too is "window closed", and no delivery is touched.
#[test]
fn a_later_131047_status_is_the_window_too() {
    let conn = open_in_memory();
    let conv = Conversation::default();
    apply(&conn, &text("w1", T0, "hi"), &conv);
    deliver(&conn, T0 + 1);
    let status = |wamid: &str, code: i64| crate::event::StatusEvent {
        wamid: wamid.into(),
        status: crate::event::StatusKind::Failed,
        timestamp: T0 + 2,
        recipient_id: Some(FROM.into()),
        callback: None,
        error: Some(crate::event::StatusError {
            code,
            title: "Re-engagement message".into(),
            message: None,
            details: None,
        }),
    };
    let applied = |wamid: &str, code: i64| {
        crate::status::apply(
            &conn,
            &status(wamid, code),
            crate::event::Source::Webhook,
            at(T0 + 3),
        )
        .unwrap()
    };
    assert_eq!(
        applied("wamid.OUT2", 131047),
        crate::status::Applied::Recorded
    );
    assert_eq!(
        applied("wamid.OUT1", 131026),
        crate::status::Applied::Recorded
    );
    assert_eq!(
        applied("wamid.ELSEWHERE", 131047),
        crate::status::Applied::NotOurs
    );
    assert_eq!(queued(&conn), ["terms:failed", "ask_name:window_closed"]);
}
