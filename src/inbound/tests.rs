//! Inbound messages applied to a database: sign-ups, STOP, replies, edits.

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

/// "Opt-outs in plain words" (issue 21): by default a request to leave is
/// flagged for the team, never acted on; with `opt_out_phrases = "opt_out"`
/// a clear one opts out as STOP does (same writer, audited), a likely one
/// is still only flagged.
#[test]
fn plain_words_are_flagged_by_default_and_opt_out_when_configured() {
    let conn = open_in_memory();
    let now = Timestamp::from_second(1_800_000_100).unwrap();
    apply(&conn, &text("w1", "447700900001", "Hi"), now).unwrap();
    let (action, member) = apply(&conn, &text("w2", "447700900001", "Stop please"), now).unwrap();
    assert_eq!(action, Action::Message);
    assert_eq!(status(&conn), MemberStatus::Pending);
    let flagged = unhandled_opt_outs(&conn).unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(Some(flagged[0].member), member);
    let listed = list(&conn, &Filter::default()).unwrap();
    assert_eq!(listed[1].flagged.as_deref(), Some("likely_opt_out"));
    assert_eq!(listed[0].flagged, None);
    // Kept: the flag goes, and a second dismissal finds nothing.
    let kept = member.map(Dismissal::Kept).unwrap();
    assert_eq!(dismiss(&conn, flagged[0].message).unwrap(), kept);
    assert_eq!(
        dismiss(&conn, flagged[0].message).unwrap(),
        Dismissal::NotFlagged
    );
    assert_eq!(dismiss(&conn, 9999).unwrap(), Dismissal::NoSuchMessage);
    assert!(unhandled_opt_outs(&conn).unwrap().is_empty());

    let mut conv = Conversation::off();
    conv.replies.opt_out_phrases = crate::config::OptOutPhrases::OptOut;
    let likely = text("w3", "447700900001", "I'm retiring at the end of the month");
    assert_eq!(
        apply_with(&conn, &likely, &conv, now).unwrap().0,
        Action::Message
    );
    assert_eq!(status(&conn), MemberStatus::Pending);
    let clear = text("w4", "447700900001", "please remove me from this list");
    assert_eq!(
        apply_with(&conn, &clear, &conv, now).unwrap().0,
        Action::OptOut
    );
    assert_eq!(status(&conn), MemberStatus::OptedOut);
    let via: String = conn
        .query_row(
            "SELECT json_extract(detail, '$.via') FROM audit WHERE command = 'inbound opt_out'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(via, "words");
    // Once the member has left, the likely one is no longer waiting.
    assert!(unhandled_opt_outs(&conn).unwrap().is_empty());
}
