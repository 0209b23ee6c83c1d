//! Account events (template, number and account webhooks, marketing
//! preferences, value.errors) through the receiver and the relay: stored,
//! shown, and acted on.

use std::path::PathBuf;

use predicates::prelude::PredicateBooleanExt;
use serde_json::json;

use crate::common::Mot;
use crate::common::receiver::Receiver;
use crate::mock;

const RELAY_TOKEN: &str = "test-relay-token";

/// Every account fixture, built from Meta's documented shapes.
const FIXTURES: [&str; 16] = [
    "template_approved",
    "template_paused",
    "template_disabled",
    "template_flagged",
    "template_rejected",
    "template_reinstated",
    "template_quality_red",
    "template_category_marketing",
    "number_downgrade_250",
    "account_restricted",
    "account_violation",
    "account_disabled",
    "account_alert",
    "user_preferences_stop",
    "value_errors",
    "unknown_field",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/webhooks/account")
        .join(format!("{name}.json"));
    std::fs::read(path).unwrap()
}

fn count(mot: &Mot, sql: &str) -> i64 {
    mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// (field, event, known, source) of every stored account event, in id order.
fn stored(mot: &Mot) -> Vec<(String, String, bool, String)> {
    mot.sql()
        .prepare("SELECT field, coalesce(event, ''), known, source FROM account_events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_field_is_stored_once_through_the_receiver() {
    let mot = Mot::new();
    mot.add("Member 1", "+447700900001", "Pharmacist", "Leeds");
    let server = Receiver::start(&mot, None);
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    // Meta delivers at least once: the second round changes nothing.
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    server.wait_applied(&mot);
    let rows = stored(&mot);
    assert_eq!(rows.len(), FIXTURES.len(), "{rows:#?}");
    assert!(rows.iter().all(|r| r.3 == "webhook"));
    let fields: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for field in [
        "message_template_status_update",
        "message_template_quality_update",
        "template_category_update",
        "phone_number_quality_update",
        "account_update",
        "account_alerts",
        "user_preferences",
        "errors",
        "business_capability_update",
    ] {
        assert!(fields.contains(field), "{field} missing: {rows:#?}");
    }
    assert_eq!(
        rows.iter().filter(|r| !r.2).count(),
        1,
        "the unknown field is kept and marked"
    );
    // The marketing stop opted the member out, like a 131050 failure.
    let status: String = mot
        .sql()
        .query_row("SELECT status FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "opted_out");
    let log = server.log().join("\n");
    assert!(log.contains("business_capability_update"), "{log}");
}

#[test]
fn every_field_arrives_the_same_way_through_the_relay() {
    let server_side = Mot::new();
    let server = Receiver::start(&server_side, Some(RELAY_TOKEN));
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    let laptop = Mot::new();
    laptop.add("Member 1", "+447700900001", "Pharmacist", "Leeds");
    std::fs::write(
        laptop.config(),
        format!(
            "[whatsapp]\nphone_number_id = \"1234567890\"\nbusiness_account_id = \"0000000000000001\"\n[broadcast]\ntemplate = \"mot_notice\"\n\
             [relay]\nurl = \"{}\"\n",
            server.url()
        ),
    )
    .unwrap();
    for _ in 0..2 {
        laptop
            .cmd(["status", "pull"])
            .env("MOT_WHATSAPP_TOKEN", "test-token")
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .assert()
            .success();
    }
    let kept = stored(&laptop);
    assert_eq!(kept.len(), FIXTURES.len(), "{kept:#?}");
    assert!(kept.iter().all(|r| r.3 == "relay"), "{kept:#?}");
    assert_eq!(
        count(
            &laptop,
            "SELECT count(*) FROM members WHERE status = 'opted_out'"
        ),
        1
    );
    assert_eq!(
        count(&server_side, "SELECT count(*) FROM account_events"),
        0,
        "a relay only stores"
    );
    // Acted on: the newest template event (DISABLED) and the disabled account refuse a send.
    let before = rows(&laptop);
    laptop
        .cmd(["send", "Amoxicillin supply update", "--yes"])
        .env("MOT_WHATSAPP_TOKEN", "test-token")
        .assert()
        .code(6)
        .stderr(predicates::str::contains("is DISABLED"))
        .stderr(predicates::str::contains(
            "disabled the WhatsApp Business account",
        ));
    assert_eq!(rows(&laptop), before, "nothing written");
    // And shown by doctor.
    let out = laptop
        .cmd(["doctor", "--format", "json"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = report["checks"].as_array().unwrap();
    let account = checks.iter().find(|c| c["name"] == "account").unwrap();
    assert_eq!(account["status"], "fail");
    let relay = checks.iter().find(|c| c["name"] == "relay").unwrap();
    assert_eq!(relay["status"], "ok", "{relay}");
    let webhooks = checks.iter().find(|c| c["name"] == "webhooks").unwrap();
    assert!(
        webhooks["detail"]
            .as_str()
            .unwrap()
            .contains("16 account event(s)"),
        "{webhooks}"
    );
}

/// A mot wired to a running mock, with `members` drama members.
struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(opts: mock::Options, members: u32, extra: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        let extra = if extra.contains("rate_per_second") {
            extra.to_string()
        } else {
            format!("rate_per_second = 500\nconcurrency = 8\n{extra}")
        };
        mot.use_mock(&mock.base_url(), mock::DEFAULT_PHONE_NUMBER_ID, &extra);
        mot.import_drama((1..=members).map(|n| (n, "Pharmacist", "Leeds")));
        Rig { mot, mock, _rt: rt }
    }

    fn cmd<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(
        &self,
        args: I,
    ) -> assert_cmd::Command {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    /// Applies a webhook body the way the receiver does, through a receiver.
    fn deliver(&self, bodies: &[Vec<u8>]) {
        let server = Receiver::start(&self.mot, None);
        for body in bodies {
            server.deliver(body);
        }
        server.wait_applied(&self.mot);
    }

    fn broadcast_state(&self, id: i64) -> (String, Option<String>) {
        self.mot
            .sql()
            .query_row(
                "SELECT state, pause_reason FROM broadcasts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }
}

fn rows(mot: &Mot) -> (i64, i64, i64) {
    (
        count(mot, "SELECT count(*) FROM broadcasts"),
        count(mot, "SELECT count(*) FROM deliveries"),
        count(mot, "SELECT count(*) FROM audit"),
    )
}

#[test]
fn a_paused_template_refuses_a_send_until_reinstated() {
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.deliver(&[fixture("template_approved"), fixture("template_paused")]);
    let before = rows(&rig.mot);
    for args in [
        vec!["send", "Amoxicillin supply update", "--yes"],
        vec!["send", "Amoxicillin supply update", "--dry-run"],
    ] {
        rig.cmd(&args)
            .assert()
            .code(6)
            .stderr(predicates::str::contains("PAUSED"))
            .stderr(predicates::str::contains("FIRST_PAUSE"))
            .stderr(predicates::str::contains("nothing was written or sent"))
            .stderr(predicates::str::contains("help:"));
    }
    assert_eq!(rows(&rig.mot), before, "nothing written");
    assert_eq!(rig.mock.requests(), 0, "nothing sent");

    // Forcing it sends, and the override is audited.
    rig.cmd([
        "send",
        "Amoxicillin supply update",
        "--yes",
        "--force-template-state",
    ])
    .assert()
    .success();
    assert_eq!(
        count(
            &rig.mot,
            "SELECT count(*) FROM audit WHERE command = 'send template state override'"
        ),
        1
    );

    rig.deliver(&[fixture("template_reinstated")]);
    rig.cmd(["send", "Second notice", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 4);
}

/// `body` as Meta sends it for another business account on the same app.
fn for_another_account(body: Vec<u8>) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["entry"][0]["id"] = serde_json::json!("0000000000000002");
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn another_accounts_paused_template_does_not_block_our_send() {
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.deliver(&[
        fixture("template_approved"),
        for_another_account(fixture("template_paused")),
        for_another_account(fixture("account_disabled")),
    ]);
    rig.cmd(["send", "Amoxicillin supply update", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 2);
    assert_eq!(
        count(
            &rig.mot,
            "SELECT count(*) FROM account_events WHERE business_account <> '0000000000000001'"
        ),
        0,
        "another account's events are not kept"
    );
}

#[test]
fn a_restricted_account_refuses_a_resume() {
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    rig.mot
        .sql()
        .execute_batch(
            "UPDATE deliveries SET state = 'queued', wamid = NULL WHERE id = 2;
             UPDATE broadcasts SET state = 'paused';",
        )
        .unwrap();
    rig.deliver(&[fixture("account_restricted")]);
    let before = rows(&rig.mot);
    rig.cmd(["broadcasts", "resume", "1", "--yes"])
        .assert()
        .code(6)
        .stderr(predicates::str::contains(
            "RESTRICTED_BIZ_INITIATED_MESSAGING",
        ));
    assert_eq!(rows(&rig.mot), before);
    assert_eq!(rig.mock.received().len(), 2);
}

/// A reminder is a send like any other: a paused template refuses it
/// (exit 6, nothing written or sent) unless forced, which is audited.
#[test]
fn a_paused_template_refuses_a_reminder() {
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.cmd([
        "request",
        "Who has amoxicillin 250mg capsules?",
        "--option",
        "In stock",
        "--option",
        "Out of stock",
        "--yes",
    ])
    .assert()
    .success();
    // The mock reports both delivered: both can be reminded.
    rig.cmd(["status", "pull"]).assert().success();
    rig.deliver(&[fixture("template_approved"), fixture("template_paused")]);
    let before = rows(&rig.mot);
    rig.cmd(["requests", "remind", "1", "--yes"])
        .assert()
        .code(6)
        .stderr(predicates::str::contains("is PAUSED"))
        .stderr(predicates::str::contains("nothing was written or sent"));
    assert_eq!(rows(&rig.mot), before, "nothing written");
    assert_eq!(rig.mock.received().len(), 2, "nothing sent");

    rig.cmd(["requests", "remind", "1", "--yes", "--force-template-state"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 4);
    assert_eq!(
        count(
            &rig.mot,
            "SELECT count(*) FROM audit WHERE command = 'requests remind template state override'"
        ),
        1
    );
}

/// A failed status for `wamid` with a Graph error code, as Meta posts it late.
fn failed_status(wamid: &str, code: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "0000000000000001",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": { "display_phone_number": "447700900999", "phone_number_id": mock::DEFAULT_PHONE_NUMBER_ID },
                    "statuses": [{
                        "id": wamid,
                        "status": "failed",
                        "timestamp": "1700005000",
                        "recipient_id": "447700900001",
                        "errors": [{
                            "code": code,
                            "title": "Template is paused",
                            "message": "Template is paused",
                            "error_data": { "details": "The template has been paused due to low quality." }
                        }]
                    }]
                }
            }]
        }]
    }))
    .unwrap()
}

#[test]
fn a_late_132015_pauses_a_broadcast_with_rows_still_to_send() {
    let rig = Rig::new(mock::Options::default(), 3, "");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    // Two rows still queued (e.g. held back by the messaging limit).
    rig.mot
        .sql()
        .execute_batch("UPDATE deliveries SET state = 'queued', wamid = NULL WHERE id IN (2, 3);")
        .unwrap();
    let wamid: String = rig
        .mot
        .sql()
        .query_row("SELECT wamid FROM deliveries WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    rig.deliver(&[failed_status(&wamid, 132015)]);
    let (state, reason) = rig.broadcast_state(1);
    assert_eq!(state, "paused");
    assert!(reason.unwrap().contains("132015"));

    // A member-class failure (131026) does not pause anything.
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    rig.mot
        .sql()
        .execute_batch("UPDATE deliveries SET state = 'queued', wamid = NULL WHERE id = 2;")
        .unwrap();
    let wamid: String = rig
        .mot
        .sql()
        .query_row("SELECT wamid FROM deliveries WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    rig.deliver(&[failed_status(&wamid, 131026)]);
    assert_eq!(rig.broadcast_state(1).0, "finished");
}

#[test]
fn a_late_132015_found_by_status_pull_pauses_the_broadcast() {
    let mut opts = mock::Options::default();
    opts.history
        .insert("447700900001".into(), mock::Outcome::Failed(132015));
    let rig = Rig::new(opts, 2, "");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    rig.mot
        .sql()
        .execute_batch("UPDATE broadcasts SET state = 'sending';")
        .unwrap();
    rig.cmd(["status", "pull"]).assert().success();
    let (state, reason) = rig.broadcast_state(1);
    assert_eq!(state, "paused", "{reason:?}");
    assert!(reason.unwrap().contains("132015"));
}

#[test]
fn status_pull_stops_at_the_first_token_error() {
    let rig = Rig::new(mock::Options::default(), 30, "[status]\nconcurrency = 1\n");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    let before = rig.mock.history_requests();
    rig.mot
        .cmd(["status", "pull"])
        .env("MOT_WHATSAPP_TOKEN", "revoked-token")
        .assert()
        .code(6)
        .stderr(predicates::str::contains("status pull stopped"))
        .stderr(predicates::str::contains("MOT_WHATSAPP_TOKEN"))
        .stderr(predicates::str::contains("revoked-token").not());
    let asked = rig.mock.history_requests() - before;
    assert!(asked <= 2, "asked {asked} times with a revoked token");
}

#[test]
fn status_pull_stops_after_a_sustained_run_of_failures() {
    let rig = Rig::new(mock::Options::default(), 60, "[status]\nconcurrency = 4\n");
    rig.cmd(["send", "First notice", "--yes"])
        .assert()
        .success();
    // Point it at a port where nothing listens: every lookup fails.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = dead.local_addr().unwrap();
    drop(dead);
    let config = std::fs::read_to_string(rig.mot.config())
        .unwrap()
        .replace(&rig.mock.base_url(), &format!("http://{addr}"));
    std::fs::write(rig.mot.config(), config).unwrap();
    let out = rig
        .cmd(["status", "pull", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["stopped"].as_str().unwrap().contains("in a row"),
        "{report}"
    );
    assert!(report["not_asked"].as_u64().unwrap() > 0, "{report}");
}

#[test]
fn a_running_send_stops_when_a_late_failure_pauses_its_broadcast() {
    let opts = mock::Options {
        latency: std::time::Duration::from_millis(100),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, 40, "rate_per_second = 5\nconcurrency = 1\n");
    let mut send = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"));
    send.args(["send", "First notice", "--yes"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", rig.mot.dir.path())
        .env("USER", "test-pharmacist")
        .env("MOT_CONFIG", rig.mot.config())
        .env("MOT_DB", rig.mot.db())
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = send.spawn().unwrap();
    let start = std::time::Instant::now();
    // Meta reports a failure after it answered the send: wait for the answer.
    let wamid: String = loop {
        let recorded = rig
            .mot
            .sql()
            .query_row(
                "SELECT wamid FROM deliveries WHERE wamid IS NOT NULL LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(wamid) = recorded {
            break wamid;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    // The receiver applies Meta's late report while the send is running.
    rig.deliver(&[failed_status(&wamid, 132015)]);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("132015"));
    assert!(rig.mock.received().len() < 40, "it stopped sending");
    let (state, reason) = rig.broadcast_state(1);
    assert_eq!(state, "paused");
    assert!(reason.unwrap().contains("132015"));
}

/// `mot backup` while `mot webhook serve` runs and writes: the copy is a
/// whole mot database with what was received, made owner-only, audited;
/// an existing file is never replaced.
#[test]
fn a_backup_while_the_receiver_runs_is_whole() {
    let mot = Mot::new();
    mot.add("Member 1", "+447700900001", "Pharmacist", "Leeds");
    let server = Receiver::start(&mot, None);
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    server.wait_applied(&mot);
    let copy = mot.dir.path().join("data").join("backup.db");
    mot.cmd(["backup", copy.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains("quick_check ok"));
    assert_eq!(mot::platform::exposure(&copy).unwrap(), None);
    drop(server);
    let events: i64 = rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("SELECT count(*) FROM account_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events as usize, FIXTURES.len());
    let listed = mot
        .cmd(["members", "list", "--format", "csv"])
        .env("MOT_DB", &copy)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Member 1"));
    mot.cmd(["backup", copy.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already exists"));
    let audited = mot.cmd(["audit", "--format", "csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&audited.stdout).contains("backup"));
}
