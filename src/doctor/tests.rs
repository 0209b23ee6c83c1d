// Tests make databases that are not mot's, to see them refused.
#![allow(clippy::disallowed_methods)]

use super::*;
use crate::db::{Create, open};

/// A member's plain request to leave is counted until the team acts.
#[test]
fn likely_opt_outs_are_counted_until_someone_acts() {
    let conn = crate::db::open_in_memory();
    let now = crate::clock::now();
    assert_eq!(likely_opt_outs(&conn).unwrap().status, Level::Ok);
    let message = |id: &str, body: &str| crate::event::InboundMessage {
        id: id.into(),
        from: Some("447700900001".into()),
        user_id: None,
        profile_name: None,
        timestamp: None,
        context_id: None,
        content: crate::event::Content::Text { body: body.into() },
    };
    let off = crate::signup::Conversation::off();
    crate::inbound::apply_with(&conn, &message("w1", "Hi"), &off, now).unwrap();
    crate::inbound::apply_with(&conn, &message("w2", "Stop please"), &off, now).unwrap();
    let check = likely_opt_outs(&conn).unwrap();
    assert_eq!(check.status, Level::Warn);
    assert!(check.detail.starts_with("1 message(s)"), "{}", check.detail);
    assert!(
        check.help.contains("mot members opt-out 1"),
        "{}",
        check.help
    );
}

/// The parts of the pending count add up to it: complete, incomplete, and
/// the rest (added by hand, or with no conversation under way).
#[test]
fn pending_members_are_counted_so_that_the_parts_add_up() {
    let conn = crate::db::open_in_memory();
    conn.execute_batch(
        "INSERT INTO members (name, phone, role, location, status, consent_at, consent_source,
             consent_by, created_at, updated_at)
         SELECT 'Pending', '+44770090000' || n, '', '', 'pending', '2026-12-01T09:00:00Z',
             'whatsapp', 'webhook', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z'
         FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3);
         INSERT INTO signups (member_id, first_message_id, first_message_at, terms_version, step, updated_at)
         VALUES (1, 'w1', '2026-12-01T09:00:00Z', '1', 'role', '2026-12-01T09:00:00Z');",
    )
    .unwrap();
    let check = pending_members(&conn).unwrap();
    assert_eq!(check.status, Level::Warn);
    assert!(
        check.detail.ends_with(
            "0 gave all four details in the sign-up conversation, 1 sign-up(s) incomplete, \
             2 with no sign-up conversation under way"
        ),
        "{}",
        check.detail
    );
}

/// The doctor says of a file what every command would: it uses `db`'s
/// rule, not one of its own.
#[test]
fn the_database_check_follows_the_commands_rule() {
    let top = tempfile::tempdir().unwrap();
    // A folder mot makes, so private (a temporary folder may not be).
    let dir = top.path().join("data");
    let path = dir.join("mot.db");
    drop(open(&path, Create::IfMissing).unwrap());
    let check = database(&path);
    assert_eq!(check.status, Level::Ok, "{check:?}");

    // Two names for one file: every command refuses it, so must the doctor.
    let link = dir.join("link.db");
    std::fs::hard_link(&path, &link).unwrap();
    let check = database(&path);
    assert_eq!(check.status, Level::Fail, "{check:?}");
    assert!(check.detail.contains("hard links"), "{check:?}");
    std::fs::remove_file(&link).unwrap();

    // An SQLite file with nothing in it yet: a command would take it
    // and migrate it, so it is no failure.
    let blank = dir.join("blank.db");
    Connection::open(&blank)
        .unwrap()
        .execute_batch("VACUUM")
        .unwrap();
    let check = database(&blank);
    assert_eq!(check.status, Level::Warn, "{check:?}");
    drop(open(&blank, Create::No).unwrap());

    // Another program's SQLite database is refused by both.
    let other = dir.join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x)")
        .unwrap();
    assert_eq!(database(&other).status, Level::Fail);
    assert!(open(&other, Create::No).is_err());
}

/// A folder others can list is a warning; one they can change fails, as
/// every command refuses it.
#[cfg(unix)]
#[test]
fn the_database_folder_is_judged_as_commands_judge_it() {
    use std::os::unix::fs::PermissionsExt;
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("data");
    let path = dir.join("mot.db");
    drop(open(&path, Create::IfMissing).unwrap());
    let chmod =
        |mode| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
    chmod(0o755);
    let check = database(&path);
    assert_eq!(check.status, Level::Warn, "{check:?}");
    assert!(
        check.detail.contains("can look in the database's folder"),
        "{check:?}"
    );
    assert!(check.help.contains("chmod 700"), "{check:?}");
    chmod(0o777);
    let check = database(&path);
    assert_eq!(check.status, Level::Fail, "{check:?}");
    assert!(check.detail.contains("open to other accounts"), "{check:?}");
    assert!(open(&path, Create::No).is_err());
}
