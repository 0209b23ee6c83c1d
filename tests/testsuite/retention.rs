//! `mot purge`, `mot audit` and `members verify-erased` through the real
//! binary: a dry run leaves the file byte for byte as it was, and after
//! `members remove` or `purge` no byte of the person is left in the file or its WAL.

use rusqlite::params;
use sha2::{Digest, Sha256};

use crate::common::{Mot, days_ago};

const NAME: &str = "Zed Quayle";
const PHONE: &str = "+447700900456";
const PHRASE: &str = "purple giraffe lozenge query";
const WAMID: &str = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=";

/// Everything that can hold a person: their messages (before and after
/// joining), a broadcast and a test send to them, a raw applied payload.
fn seed_person(mot: &Mot, member_id: Option<i64>, age_days: i64) {
    let conn = mot.sql();
    let at = days_ago(age_days);
    let digits = &PHONE[1..];
    for (i, member) in [(1, member_id), (2, None)] {
        conn.execute(
            "INSERT INTO inbound (wa_message_id, member_id, phone, user_id, type, text, action, at,
                 received_at)
             VALUES (?1, ?2, ?3, ?4, 'text', ?5, 'reply', ?6, ?6)",
            params![
                format!("wamid.seed{i}"),
                member,
                PHONE,
                digits,
                format!("{NAME} here: {PHRASE} #{i}"),
                at
            ],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO broadcasts (kind, body, template, language, params, audience, is_test,
             created_by, created_at, not_after, state)
         VALUES ('notice', 'Stock update', 't', 'en_GB', '[]', json_object('test', json_object('phone', ?1)),
             1, 'tester', ?2, ?2, 'finished')",
        params![PHONE, at],
    )
    .unwrap();
    let b = conn.last_insert_rowid();
    // A real wamid carries the number in base64 (here 447700900456).
    conn.execute(
        "INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, updated_at)
         VALUES (?1, ?2, ?3, 'delivered', ?5, ?4)",
        params![b, member_id, PHONE, at, WAMID],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO status_events (wamid, status, at, source, received_at)
         VALUES (?1, 'delivered', ?2, 'webhook', ?2)",
        params![WAMID, at],
    )
    .unwrap();
    let body = format!(
        r#"{{"entry":[{{"changes":[{{"value":{{"contacts":[{{"profile":{{"name":"{NAME}"}},"wa_id":"{digits}"}}],"messages":[{{"from":"{digits}","text":{{"body":"{PHRASE}"}}}}]}}}}]}}]}}"#
    );
    conn.execute(
        "INSERT INTO webhook_events (body, received_at, applied_at) VALUES (?1, ?2, ?2)",
        params![body.as_bytes(), at],
    )
    .unwrap();
}

/// Every form of the person the files must not hold, as the test itself
/// writes them (not the product's list).
fn forms() -> Vec<String> {
    vec![
        PHONE.into(),
        PHONE[1..].into(),
        "07700900456".into(),
        "07700 900456".into(),
        NAME.to_lowercase(),
        PHRASE.into(),
        WAMID.into(),
    ]
}

/// The forms found in the database file or its WAL, by reading the bytes.
fn traces(mot: &Mot) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal"] {
        let mut path = mot.db().into_os_string();
        path.push(suffix);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let bytes = bytes.to_ascii_lowercase();
        for form in forms() {
            let form = form.to_lowercase().into_bytes();
            if bytes.windows(form.len()).any(|w| w == form) {
                found.push(format!("{} in db{suffix}", String::from_utf8_lossy(&form)));
            }
        }
    }
    found
}

fn verify_cmd(mot: &Mot) -> assert_cmd::Command {
    mot.cmd([
        "members",
        "verify-erased",
        "07700 900456",
        "--name",
        NAME,
        "--phrase",
        PHRASE,
    ])
}

fn member_id(mot: &Mot) -> i64 {
    mot.sql()
        .query_row("SELECT id FROM members WHERE phone = ?1", [PHONE], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn members_remove_leaves_no_byte_of_the_person() {
    let mot = Mot::new();
    mot.add(NAME, "07700 900456", "Pharmacist", "Leeds");
    mot.add("Other Member", "07700 900457", "Technician", "York");
    seed_person(&mot, Some(member_id(&mot)), 1);
    assert!(!traces(&mot).is_empty(), "the seed is there to be found");
    verify_cmd(&mot)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("trace(s) remain"));

    mot.cmd(["members", "remove", "07700 900456", "--yes", "--verify"])
        .assert()
        .success();
    assert_eq!(traces(&mot), Vec::<String>::new());
    verify_cmd(&mot)
        .assert()
        .success()
        .stderr(predicates::str::contains("no trace found"));
    // The other member is untouched.
    assert_eq!(mot.members_json().len(), 1);
}

#[test]
fn purge_of_a_pending_signup_and_old_messages_leaves_no_byte() {
    let mot = Mot::new();
    // The file is rebuilt whenever any page is free, to test that path too.
    std::fs::write(mot.config(), "[retention]\nvacuum_share = 0\n").unwrap();
    {
        let conn = mot.sql();
        conn.execute(
            "INSERT INTO members (name, phone, role, location, status, consent_at,
                 consent_source, consent_by, created_at, updated_at)
             VALUES (?1, ?2, '', '', 'pending', ?3, 'whatsapp', 'webhook', ?3, ?3)",
            params![NAME, PHONE, days_ago(40)],
        )
        .unwrap();
    }
    seed_person(&mot, Some(member_id(&mot)), 40);
    // Someone who never joined wrote 100 days ago: `inbound` takes their text.
    mot.sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, phone, user_id, type, text, action, at, received_at)
             VALUES ('wamid.stranger', '+447700900999', '447700900999', 'text',
                     ?2, 'unrecognised', ?1, ?1)",
            // Long enough to span overflow pages, which the purge frees.
            params![days_ago(100), "tangerine walrus dosage ".repeat(2000)],
        )
        .unwrap();
    assert!(!traces(&mot).is_empty());

    let out = mot.cmd(["purge", "--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = |kind: &str| {
        report["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == kind)
            .unwrap()["records"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(records("pending_signups"), 1);
    assert_eq!(records("inbound"), 1, "the stranger's message");
    assert_eq!(report["file"]["wal_cleared"], true);
    assert_eq!(report["file"]["vacuumed"], true);

    assert_eq!(traces(&mot), Vec::<String>::new());
    verify_cmd(&mot).assert().success();
    mot.cmd([
        "members",
        "verify-erased",
        "07700 900999",
        "--phrase",
        "tangerine walrus",
    ])
    .assert()
    .success();
}

/// `purge --vacuum` rebuilds the file whatever its size and however little
/// is free, and says how long it held the database; a purge without it
/// leaves a file with nothing free as it is. A dry run cannot rebuild.
#[test]
fn purge_vacuum_rebuilds_the_file_when_asked() {
    let mot = Mot::new();
    let file = |args: &[&str]| {
        let out = mot.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["file"].clone()
    };
    let asked = file(&["purge", "--vacuum", "--format", "json"]);
    assert_eq!(asked["vacuumed"], true, "{asked}");
    assert!(asked["vacuum_ms"].is_u64(), "{asked}");
    assert_eq!(asked["rebuild_deferred"], false, "{asked}");
    let unasked = file(&["purge", "--format", "json"]);
    assert_eq!(unasked["free_pages"], 0, "{unasked}");
    assert_eq!(unasked["vacuumed"], false, "{unasked}");
    mot.cmd(["purge", "--vacuum", "--dry-run"]).assert().code(2);
}

fn sha256(path: &std::path::Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_dry_run_changes_no_byte_and_a_real_run_is_idempotent() {
    let mot = Mot::new();
    seed_person(&mot, None, 400);
    {
        let conn = mot.sql();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let before = sha256(&mot.db());
    let out = mot
        .cmd(["purge", "--dry-run", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("kind,keep,cutoff,records,oldest_kept\n"),
        "{csv}"
    );
    assert!(csv.contains("\ndeliveries,365d,"), "{csv}");
    assert_eq!(sha256(&mot.db()), before, "the dry run wrote to the file");
    let mut wal = mot.db().into_os_string();
    wal.push("-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_len, 0, "the dry run wrote to the WAL");

    mot.cmd(["purge"]).assert().success();
    assert_ne!(sha256(&mot.db()), before);
    let second = mot.cmd(["purge", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    let total: i64 = report["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["records"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 0, "{report}");

    // Both real runs are in the audit trail, newest last, with their counts.
    let out = mot
        .cmd([
            "audit",
            "--command",
            "purge",
            "--format",
            "json",
            "--since",
            "1h",
        ])
        .output()
        .unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["detail"]["deliveries"], 1);
    assert_eq!(entries[1]["detail"]["deliveries"], 0);
    for key in ["id", "at", "user", "command", "outcome", "detail"] {
        assert!(entries[0].get(key).is_some(), "{key}");
    }
    assert_eq!(entries[0]["user"], "test-pharmacist");
    assert!(entries[0]["id"].as_i64() < entries[1]["id"].as_i64());
}

#[test]
fn broadcasts_show_counts_rows_that_were_purged() {
    let mot = Mot::new();
    seed_person(&mot, None, 400);
    let show = |mot: &Mot| {
        let out = mot
            .cmd(["broadcasts", "show", "1", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["recipients"].clone(), v["counts"].clone())
    };
    let before = show(&mot);
    assert_eq!(before.0, 1);
    mot.cmd(["purge"]).assert().success();
    assert_eq!(show(&mot), before);
    mot.cmd(["report", "broadcast", "1"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "1 per-member row(s) of broadcast 1 were purged",
        ));
}

#[test]
fn a_reader_holding_old_pages_is_reported_not_fatal() {
    let mot = Mot::new();
    seed_person(&mot, None, 400);
    let reader = mot.sql();
    let tx = reader.unchecked_transaction().unwrap();
    let n: i64 = tx
        .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    mot.cmd(["purge"])
        .assert()
        .success()
        .stderr(predicates::str::contains("WAL still"));
    drop(tx);
    drop(reader);
    // Once the reader is gone, the next purge clears the WAL.
    mot.cmd(["purge"])
        .assert()
        .success()
        .stderr(predicates::str::contains("WAL still").not());
}

#[test]
fn purge_applies_the_account_events_period_and_keeps_what_is_still_in_force() {
    let mot = Mot::new();
    let conn = mot.sql();
    let insert = |field: &str, event: Option<&str>, known: bool, age_days: i64, digest: &str| {
        let at = days_ago(age_days);
        conn.execute(
            "INSERT INTO account_events (field, event, known, business_account, template_name,
                 template_language, detail, at, source, received_at, digest)
             VALUES (?1, ?2, ?3, '0000000000000001', CASE WHEN ?3 THEN 'mot_notice' END,
                 CASE WHEN ?3 THEN 'en_GB' END, '{}', ?4, 'webhook', ?4, ?5)",
            params![field, event, known, at, digest],
        )
        .unwrap();
    };
    insert("calls", None, false, 200, "old-unknown");
    insert("calls", None, false, 10, "young-unknown");
    insert(
        "message_template_status_update",
        Some("PAUSED"),
        true,
        300,
        "old-paused",
    );
    insert(
        "message_template_status_update",
        Some("PAUSED"),
        true,
        200,
        "newest-paused",
    );
    drop(conn);
    std::fs::write(mot.config(), "[retention]\naccount_events = \"90d\"\n").unwrap();
    mot.cmd(["purge"]).assert().success();
    let kept: Vec<String> = mot
        .sql()
        .prepare("SELECT digest FROM account_events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The newest report of a template's state stays however old: it is still its state.
    assert_eq!(kept, ["young-unknown", "newest-paused"]);
}

#[test]
fn bad_retention_config_names_the_key() {
    let mot = Mot::new();
    std::fs::write(mot.config(), "[retention]\ninbound = \"forever\"\n").unwrap();
    mot.cmd(["purge", "--dry-run"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("[retention] inbound"));
}

/// A message from someone who is not the person, inserted raw.
fn stranger_message(mot: &Mot, wa_message_id: &str, from: &str, text: &str, at: &str) {
    mot.sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, phone, user_id, type, text, action, at, received_at)
             VALUES (?1, ?2, ?3, 'text', ?4, 'unrecognised', ?5, ?5)",
            params![wa_message_id, from, &from[1..], text, at],
        )
        .unwrap();
}

/// Meta's ids are Meta's: one shaped like mot's own marker for an erased or
/// purged row (`erased:1`, `purged:4`) must not make either fail.
#[test]
fn message_ids_shaped_like_erasure_markers_do_not_break_remove_or_purge() {
    let mot = Mot::new();
    mot.add(NAME, "07700 900456", "Pharmacist", "Leeds");
    let id = member_id(&mot);
    mot.sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, member_id, phone, user_id, type, text, action,
                 at, received_at)
             VALUES ('wamid.first', ?1, ?2, ?3, 'text', 'hello', 'reply', ?4, ?4)",
            params![id, PHONE, &PHONE[1..], days_ago(1)],
        )
        .unwrap();
    // Rows 2 and 3 carry the markers rows 1 and 4 would get.
    stranger_message(&mot, "erased:1", "+447700900998", "first", &days_ago(1));
    stranger_message(&mot, "purged:4", "+447700900997", "second", &days_ago(1));
    stranger_message(&mot, "wamid.old", "+447700900996", "old", &days_ago(200));

    mot.cmd(["members", "remove", "07700 900456", "--yes"])
        .assert()
        .success();
    mot.cmd(["purge"]).assert().success();
    let kept: i64 = mot
        .sql()
        .query_row(
            "SELECT count(*) FROM inbound
             WHERE wa_message_id IN ('erased:1', 'purged:4') AND text IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 2, "the strangers' recent messages are untouched");
    // Running both again changes nothing and fails nothing.
    mot.cmd(["purge"]).assert().success();
}

/// People write a number many ways, and a name with invisible characters
/// or in capitals: each is a trace the scan must report.
#[test]
fn verify_erased_finds_the_number_in_any_writing_and_the_name_however_folded() {
    let numbers = [
        "call +44 (0)7700 900456 now",
        "ring 07700-900-456",
        "07700 900 456",
        "0044 7700 900 456",
        "just 7700900456",
        "07700.900.456",
        "(07700) 900456",
        "07700\u{a0}900\u{200b}456",
    ];
    let names = [
        "from Zed\u{a0}Quayle",
        "from Zed\u{200b}Quayle",
        "from ZED QUAYLE",
        "from Zed\u{200d} Quayle",
    ];
    for (text, phrase) in numbers
        .iter()
        .map(|t| (*t, None))
        .chain(names.iter().map(|t| (*t, Some(NAME))))
    {
        let mot = Mot::new();
        stranger_message(&mot, "wamid.x", "+447700900998", text, &days_ago(1));
        let mut args = vec!["members", "verify-erased", "07700 900456"];
        if let Some(name) = phrase {
            args.extend(["--name", name]);
        }
        let out = mot.cmd(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{text:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("trace(s) remain"));
    }
    // A name with non-ASCII capitals.
    let mot = Mot::new();
    stranger_message(&mot, "wamid.x", "+447700900998", "ÅSA ÖBERG", &days_ago(1));
    mot.cmd([
        "members",
        "verify-erased",
        "07700 900456",
        "--name",
        "Åsa Öberg",
    ])
    .assert()
    .code(1);
    // And nothing is found where nothing is.
    let mot = Mot::new();
    stranger_message(
        &mot,
        "wamid.x",
        "+447700900998",
        "07700 900 457, Zed Quayles",
        &days_ago(1),
    );
    mot.cmd([
        "members",
        "verify-erased",
        "07700 900456",
        "--name",
        "Zed Quayl",
    ])
    .assert()
    .code(1);
    mot.cmd([
        "members",
        "verify-erased",
        "07700 900456",
        "--name",
        "Zed Quayle Jr",
    ])
    .assert()
    .success();
}

/// `--db` a symlink: SQLite keeps the WAL beside the real file, so that is
/// the WAL to read.
#[cfg(unix)]
#[test]
fn verify_erased_reads_the_real_files_wal_when_the_database_is_a_symlink() {
    let mot = Mot::new();
    let link = mot.dir.path().join("link.db");
    std::os::unix::fs::symlink(mot.db(), &link).unwrap();
    // An open connection keeps the row in the WAL (no checkpoint on close).
    let holder = mot.sql();
    holder
        .execute(
            "INSERT INTO inbound (wa_message_id, phone, user_id, type, text, action, at, received_at)
             VALUES ('wamid.x', '+447700900998', '447700900998', 'text', ?1, 'unrecognised', ?2, ?2)",
            params![format!("my number is {PHONE}"), days_ago(1)],
        )
        .unwrap();
    mot.cmd(["members", "verify-erased", "07700 900456"])
        .env("MOT_DB", &link)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("trace(s) remain"));
    drop(holder);
}

use predicates::prelude::PredicateBooleanExt;
