//! Linking replies to requests, on an in-memory database.

use jiff::Timestamp;
use rusqlite::Connection;

use super::*;
use crate::db::open_in_memory;
use crate::event::{Content, InboundMessage};
use crate::inbound::{self, Action};

const T0: i64 = 1_800_000_000;

/// Members 1–3; request 10 (options Yes/No, closes at T0+3600) and notice
/// 20 sent to all three; request 11 sent to member 3 only.
fn seeded() -> Connection {
    let conn = open_in_memory();
    conn.execute_batch(
        "INSERT INTO members (id, name, phone, role, location, status, consent_at, consent_source,
                             consent_by, created_at, updated_at)
         VALUES (1, 'A', '+447700900001', 'r', 'l', 'active', 'x', 'x', 'x', 'x', 'x'),
                (2, 'B', '+447700900002', 'r', 'l', 'active', 'x', 'x', 'x', 'x', 'x'),
                (3, 'C', '+447700900003', 'r', 'l', 'active', 'x', 'x', 'x', 'x', 'x');
         INSERT INTO broadcasts (id, kind, body, template, language, params, audience, created_by,
                                 created_at, not_after, state)
         VALUES (10, 'request', 'q', 't', 'en_GB', '[]', '{}', 'me', '2027-01-15T08:00:00Z', 'x', 'finished'),
                (11, 'request', 'q2', 't', 'en_GB', '[]', '{}', 'me', '2027-01-15T08:00:00Z', 'x', 'finished'),
                (20, 'notice', 'n', 't', 'en_GB', '[]', '{}', 'me', '2027-01-15T08:00:00Z', 'x', 'finished');
         INSERT INTO requests (broadcast_id, question, options, closes_at)
         VALUES (10, 'Open?', '[\"Yes\",\"No\"]', '2027-01-15T09:00:00Z'),
                (11, 'Stock?', '[]', '2027-01-15T09:00:00Z');
         INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, sent_at, updated_at)
         VALUES (10, 1, '+447700900001', 'delivered', 'wamid.R10M1', '2027-01-15T08:00:00Z', 'x'),
                (10, 2, '+447700900002', 'sent', 'wamid.R10M2', '2027-01-15T08:00:00Z', 'x'),
                (10, 3, '+447700900003', 'read', 'wamid.R10M3', '2027-01-15T08:00:00Z', 'x'),
                (20, 1, '+447700900001', 'delivered', 'wamid.N20M1', '2027-01-15T08:00:00Z', 'x'),
                (11, 3, '+447700900003', 'delivered', 'wamid.R11M3', '2027-01-15T08:00:00Z', 'x');",
    )
    .unwrap();
    conn
}

fn msg(
    id: &str,
    member: u32,
    secs: i64,
    content: Content,
    context: Option<&str>,
) -> InboundMessage {
    InboundMessage {
        id: id.into(),
        from: Some(format!("44770090000{member}")),
        user_id: None,
        profile_name: None,
        timestamp: Some(T0 + secs),
        context_id: context.map(String::from),
        content,
    }
}

fn text(body: &str) -> Content {
    Content::Text { body: body.into() }
}

/// (request, option, how, late) recorded for a message.
fn linked(conn: &Connection, wamid: &str) -> Vec<(i64, Option<u32>, String, bool)> {
    conn.prepare(
        "SELECT rr.request_id, rr.option, rr.how, rr.late FROM request_replies rr
         JOIN inbound i ON i.id = rr.inbound_id WHERE i.wa_message_id = ?1 ORDER BY 1",
    )
    .unwrap()
    .query_map([wamid], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn apply(conn: &Connection, m: &InboundMessage) -> Action {
    // Received as soon as it was sent (a message's time is never later
    // than its receipt).
    let received = m.timestamp.unwrap_or(T0).max(T0);
    inbound::apply(conn, m, Timestamp::from_second(received).unwrap())
        .unwrap()
        .0
}

// T0 is 2027-01-15T08:00:00Z: the requests were sent then and close an hour later.
#[test]
fn the_seed_times_line_up() {
    assert_eq!(
        ts(Timestamp::from_second(T0).unwrap()),
        "2027-01-15T08:00:00Z"
    );
}

#[test]
fn a_plain_reply_goes_to_the_only_open_request_and_is_a_reply() {
    let conn = seeded();
    assert_eq!(
        apply(&conn, &msg("w1", 1, 60, text("no"), None)),
        Action::Reply
    );
    assert_eq!(
        linked(&conn, "w1"),
        [(10, Some(2), "only_open".into(), false)]
    );
    let broadcast: Option<i64> = conn
        .query_row(
            "SELECT broadcast_id FROM inbound WHERE wa_message_id = 'w1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(broadcast, Some(10), "not left unlinked in the inbox");
}

#[test]
fn two_open_requests_without_context_are_ambiguous_and_stay_unlinked() {
    let conn = seeded();
    assert_eq!(
        apply(&conn, &msg("w1", 3, 60, text("Yes"), None)),
        Action::Message
    );
    assert_eq!(
        linked(&conn, "w1"),
        [
            (10, None, "ambiguous".into(), false),
            (11, None, "ambiguous".into(), false)
        ]
    );
    // Quoting one of them settles it.
    apply(&conn, &msg("w2", 3, 60, text("Yes"), Some("wamid.R10M3")));
    assert_eq!(
        linked(&conn, "w2"),
        [(10, Some(1), "context".into(), false)]
    );
}

#[test]
fn a_reply_quoting_a_notice_or_a_reaction_is_not_an_answer() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), Some("wamid.N20M1")));
    assert!(linked(&conn, "w1").is_empty());
    let reaction = Content::Reaction {
        message_id: Some("wamid.R10M1".into()),
        emoji: Some("👍".into()),
    };
    apply(&conn, &msg("w2", 1, 60, reaction, None));
    assert!(linked(&conn, "w2").is_empty());
}

#[test]
fn stop_and_start_are_never_answers() {
    let conn = seeded();
    assert_eq!(
        apply(&conn, &msg("w1", 1, 60, text("START"), None)),
        Action::Message
    );
    assert!(linked(&conn, "w1").is_empty());
    assert_eq!(
        apply(&conn, &msg("w2", 1, 60, text("stop"), None)),
        Action::OptOut
    );
    assert!(linked(&conn, "w2").is_empty());
}

#[test]
fn payloads_name_request_and_option_and_unknown_ones_fall_through() {
    let conn = seeded();
    let tap = |payload: &str| Content::Button {
        payload: Some(payload.into()),
        text: Some("No".into()),
    };
    apply(&conn, &msg("w1", 3, 60, tap("mot:req=10:opt=2"), None));
    assert_eq!(linked(&conn, "w1"), [(10, Some(2), "button".into(), false)]);
    // A payload naming no request: the label and context decide.
    apply(
        &conn,
        &msg("w2", 3, 60, tap("mot:req=99:opt=1"), Some("wamid.R10M3")),
    );
    assert_eq!(
        linked(&conn, "w2"),
        [(10, Some(2), "context".into(), false)]
    );
}

#[test]
fn after_closing_time_a_plain_reply_links_late_only_within_the_late_window() {
    let conn = seeded();
    // Request 10 was open for an hour, so its late window is the hour after.
    apply(&conn, &msg("w1", 1, 7200, text("Yes"), None));
    assert!(
        linked(&conn, "w1").is_empty(),
        "past the late window: no request is in reach any more"
    );
    apply(&conn, &msg("w2", 1, 7200, text("Yes"), Some("wamid.R10M1")));
    assert_eq!(linked(&conn, "w2"), [(10, Some(1), "context".into(), true)]);
    // Within it, a plain reply answers the member's only recent request, late.
    apply(&conn, &msg("w4", 1, 5400, text("No"), None));
    assert_eq!(
        linked(&conn, "w4"),
        [(10, Some(2), "only_open".into(), true)]
    );
    // Member 3 had two requests in reach: which one is not guessed.
    apply(&conn, &msg("w5", 3, 5400, text("Yes"), None));
    assert_eq!(
        linked(&conn, "w5"),
        [
            (10, None, "ambiguous".into(), false),
            (11, None, "ambiguous".into(), false)
        ]
    );
    // Closed early: the same holds from the close.
    close(
        &conn,
        BroadcastId(11),
        "me",
        Timestamp::from_second(T0 + 60).unwrap(),
    )
    .unwrap();
    apply(&conn, &msg("w3", 3, 120, text("Yes"), None));
    assert_eq!(
        linked(&conn, "w3"),
        [(10, Some(1), "only_open".into(), false)]
    );
    // Request 11 was open for a minute: a minute after, only 10 is in reach.
    apply(&conn, &msg("w6", 3, 3700, text("No"), None));
    assert_eq!(
        linked(&conn, "w6"),
        [(10, Some(2), "only_open".into(), true)]
    );
}

#[test]
fn patient_data_is_an_answer_without_its_text() {
    let conn = seeded();
    apply(
        &conn,
        &msg("w1", 1, 60, text("Yes for Mrs Khan NHS 999 876 5439"), None),
    );
    assert_eq!(linked(&conn, "w1"), [(10, None, "only_open".into(), false)]);
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, Timestamp::from_second(T0).unwrap()).unwrap();
    assert_eq!(report.answers[0].answer, replies::REMOVED);
    assert!(report.answers[0].removed);
    assert_eq!(report.missing, [2, 3]);
}

#[test]
fn reminders_go_to_delivered_non_responders_only() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), None));
    let who: Vec<i64> = reminder_recipients(&conn, BroadcastId(10))
        .unwrap()
        .iter()
        .map(|r| r.member_id.unwrap().0)
        .collect();
    // 1 answered; 2 was only "sent", never reported delivered.
    assert_eq!(who, [3]);
}

#[test]
fn an_erased_member_leaves_an_anonymous_answer_and_nothing_they_wrote() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), None));
    crate::members::erase(&conn, MemberId(1)).unwrap();
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, Timestamp::from_second(T0).unwrap()).unwrap();
    let answers: Vec<_> = report
        .answers
        .iter()
        .map(|a| (a.member_id, a.name.clone(), a.option))
        .collect();
    assert_eq!(answers, [(None, None, Some(1))]);
    assert_eq!(report.missing, [2, 3]);
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM inbound WHERE text IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0);
}

#[test]
fn only_recipients_answer_a_request_a_pending_members_tap_is_not_counted() {
    let conn = seeded();
    conn.execute_batch(
        "INSERT INTO members (id, name, phone, role, location, status, consent_at, consent_source,
                             consent_by, created_at, updated_at)
         VALUES (4, 'D', '+447700900004', '', '', 'pending', 'x', 'x', 'x', 'x', 'x');",
    )
    .unwrap();
    let tap = Content::Button {
        payload: Some("mot:req=10:opt=1".into()),
        text: Some("Yes".into()),
    };
    apply(&conn, &msg("w1", 1, 60, tap.clone(), None));
    apply(&conn, &msg("w2", 4, 60, tap, None));
    // Quoting someone else's copy of the request does not make one a recipient either.
    apply(&conn, &msg("w3", 4, 90, text("No"), Some("wamid.R10M2")));
    assert!(linked(&conn, "w2").is_empty(), "{:?}", linked(&conn, "w2"));
    assert!(linked(&conn, "w3").is_empty());
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, Timestamp::from_second(T0).unwrap()).unwrap();
    let who: Vec<Option<i64>> = report.answers.iter().map(|a| a.member_id).collect();
    assert_eq!(who, [Some(1)]);
    assert_eq!(report.tally[0].count, 1);
    assert_eq!(report.missing, [2, 3]);
}

#[test]
fn an_edited_answer_is_the_answer_and_a_deleted_one_still_counts() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), None));
    let edit = Content::Edit {
        original_id: "w1".into(),
        message: Box::new(text("2")),
    };
    apply(&conn, &msg("w2", 1, 90, edit, None));
    assert_eq!(
        linked(&conn, "w1"),
        [(10, Some(2), "only_open".into(), false)]
    );
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, Timestamp::from_second(T0).unwrap()).unwrap();
    assert_eq!(report.answers.len(), 1, "the edit is not a second answer");
    assert_eq!(report.answers[0].option, Some(2));
    assert_eq!(report.tally[1].count, 1);

    let revoke = Content::Revoke {
        original_id: "w1".into(),
    };
    apply(&conn, &msg("w3", 1, 120, revoke, None));
    let report = replies::report(&conn, &req, Timestamp::from_second(T0).unwrap()).unwrap();
    assert_eq!(report.answers.len(), 1);
    assert_eq!(report.answers[0].option, Some(2));
    let kept: Option<String> = conn
        .query_row(
            "SELECT text FROM inbound WHERE wa_message_id = 'w1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, None);
}

#[test]
fn a_message_whose_revoke_came_first_is_kept_without_its_text() {
    let conn = seeded();
    let revoke = Content::Revoke {
        original_id: "w1".into(),
    };
    apply(&conn, &msg("w2", 1, 90, revoke, None));
    // Someone else's revoke of the same id changes nothing for them.
    apply(&conn, &msg("w3", 2, 60, text("Yes"), None));
    apply(&conn, &msg("w1", 1, 60, text("Yes, for Mr Example"), None));
    let kept: Option<String> = conn
        .query_row(
            "SELECT text FROM inbound WHERE wa_message_id = 'w1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, None);
    let other: Option<String> = conn
        .query_row(
            "SELECT text FROM inbound WHERE wa_message_id = 'w3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(other.as_deref(), Some("Yes"));
}

/// A stranger's delete-for-everyone or edit keeps no number mot would not
/// take from a person (as with any inbound item).
#[test]
fn a_revoke_from_a_number_no_import_would_take_keeps_no_number() {
    let conn = seeded();
    for (id, from) in [("w8", "1111111111111"), ("w9", "441134960000")] {
        let mut m = msg(
            id,
            1,
            60,
            Content::Revoke {
                original_id: "w0".into(),
            },
            None,
        );
        m.from = Some(from.into());
        apply(&conn, &m);
        let phone: Option<String> = conn
            .query_row(
                "SELECT phone FROM inbound WHERE wa_message_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(phone, None, "{from}");
    }
}

/// A member who edits their message to STOP has opted out, as if they had
/// sent STOP.
#[test]
fn a_message_edited_to_stop_opts_the_member_out() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), None));
    let edit = Content::Edit {
        original_id: "w1".into(),
        message: Box::new(text("STOP")),
    };
    assert_eq!(apply(&conn, &msg("w2", 1, 90, edit, None)), Action::OptOut);
    let status: String = conn
        .query_row(
            "SELECT status FROM members WHERE phone = '+447700900001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "opted_out");
}

/// A reply the screen blocked is an answer; `mot purge` takes what is left
/// of the message (its marker, sender and ids) at once, but the answer
/// still counts and the member is never chased for it.
#[test]
fn a_blocked_answer_still_counts_after_purge() {
    let mut conn = seeded();
    apply(
        &conn,
        &msg("w1", 1, 60, text("Yes for Mrs Khan NHS 999 876 5439"), None),
    );
    let now = Timestamp::from_second(T0 + 120).unwrap();
    let purged = crate::retention::purge(
        &mut conn,
        &crate::config::RetentionPolicy::default(),
        now,
        false,
        "tester",
        &mut |_, _| Ok(()),
    )
    .unwrap();
    assert_eq!(purged.total(), 1);
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, now).unwrap();
    assert_eq!(report.answers.len(), 1);
    assert!(report.answers[0].removed);
    let removed = report.tally.last().unwrap();
    assert_eq!(
        (removed.text.as_str(), removed.count),
        ("answered, removed: patient data", 1)
    );
    assert_eq!(report.missing, [2, 3]);
    let chased: Vec<i64> = reminder_recipients(&conn, BroadcastId(10))
        .unwrap()
        .iter()
        .map(|r| r.member_id.unwrap().0)
        .collect();
    assert_eq!(chased, [3]);
    let left: (Option<String>, Option<String>, Option<String>, Option<i64>) = conn
        .query_row(
            "SELECT text, phone, user_id, member_id FROM inbound",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(left, (None, None, None, None));
    // A second purge finds nothing more to take.
    let again = crate::retention::purge(
        &mut conn,
        &crate::config::RetentionPolicy::default(),
        now,
        false,
        "tester",
        &mut |_, _| Ok(()),
    )
    .unwrap();
    assert_eq!(again.total(), 0);

    // A year on, the per-member delivery rows go too: the totals still add up.
    let later = Timestamp::from_second(T0 + 400 * 86_400).unwrap();
    let policy = crate::config::RetentionPolicy::default();
    crate::retention::purge(&mut conn, &policy, later, false, "tester", &mut |_, _| {
        Ok(())
    })
    .unwrap();
    let report = replies::report(&conn, &req, later).unwrap();
    assert_eq!(
        (report.recipients, report.answers.len(), report.not_yet),
        (3, 1, 2)
    );
    assert_eq!(report.tally.last().unwrap().count, 1);
}

/// An erased member's answer still counts, without saying who gave it or
/// what they wrote; an erased member who never answered has no answer.
/// Either way the totals add up to the recipients.
#[test]
fn an_erased_members_answer_counts_anonymously_and_totals_add_up() {
    let conn = seeded();
    apply(&conn, &msg("w1", 1, 60, text("Yes"), None));
    // A change of mind: still one answer, the later one.
    apply(&conn, &msg("w2", 1, 70, text("No"), None));
    apply(&conn, &msg("w3", 2, 80, text("Yes"), None));
    crate::members::erase(&conn, MemberId(1)).unwrap();
    crate::members::erase(&conn, MemberId(3)).unwrap();
    let now = Timestamp::from_second(T0 + 120).unwrap();
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    let report = replies::report(&conn, &req, now).unwrap();
    assert_eq!(report.recipients, 3);
    assert_eq!(report.answers.len(), 2);
    assert_eq!(
        (report.tally[0].count, report.tally[1].count),
        (1, 1),
        "Yes from 2, No from the erased member"
    );
    assert!(report.missing.is_empty(), "no one left to chase");
    assert_eq!(report.answers.len() + report.not_yet, report.recipients);
    let listed = list(&conn, now).unwrap();
    let listed = listed.iter().find(|l| l.request.id.0 == 10).unwrap();
    assert_eq!((listed.recipients, listed.answered), (3, 2));
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM inbound WHERE text IS NOT NULL AND member_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0, "nothing the erased member wrote is kept");
}

/// Whether a request is open is one rule (`ends_at!`): the earlier of its
/// closing time and an early close, even when a close was recorded later
/// than the closing time (a clock set wrong elsewhere). Linking, lateness
/// and retention all agree with `is_open`.
#[test]
fn a_request_is_open_by_one_rule_everywhere() {
    let mut conn = seeded();
    conn.execute(
        "UPDATE requests SET closed_at = '2027-01-15T10:00:00Z' WHERE broadcast_id = 10",
        [],
    )
    .unwrap();
    let after_closing = T0 + 5_000;
    let req = must_get(&conn, BroadcastId(10)).unwrap();
    assert!(!req.is_open(Timestamp::from_second(after_closing).unwrap()));
    assert_eq!(req.ends_at(), "2027-01-15T09:00:00Z");
    apply(&conn, &msg("w1", 1, 5_000, text("Yes"), None));
    assert_eq!(
        linked(&conn, "w1"),
        [(10, Some(1), "only_open".into(), true)],
        "closed by the same rule, so linked late"
    );

    // Retention counts the request as closed from the same moment.
    let table: std::collections::BTreeMap<String, toml::Value> =
        [("deliveries".to_string(), toml::Value::from("1h"))].into();
    let policy = crate::config::RetentionPolicy::from_table(&table).unwrap();
    let now = Timestamp::from_second(after_closing + 3_600).unwrap();
    crate::retention::purge(&mut conn, &policy, now, false, "tester", &mut |_, _| Ok(())).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = 10",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}
