//! The messaging limit: an audience larger than what the number's tier has
//! left today sends the first part and holds the rest with a resume time.

use serde_json::Value;

use crate::common::receiver::Receiver;
use crate::common::{Mot, drama};
use crate::mock;

struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(members: u32) -> Rig {
        Rig::with_config(members, "")
    }

    /// Like [`Rig::new`], with `extra` lines in `[broadcast]`.
    fn with_config(members: u32, extra: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt
            .block_on(mock::Mock::start(mock::Options::default()))
            .unwrap();
        let mot = Mot::new();
        mot.use_mock(
            &mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            &format!("rate_per_second = 1000\nconcurrency = 16\n{extra}"),
        );
        mot.import_drama((1..=members).map(|n| {
            let role = if n <= 20 { "Technician" } else { "Pharmacist" };
            (n, role, "Leeds")
        }));
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

    /// Meta reports the number's limit fell to 250 a day.
    fn tier_250(&self) {
        self.deliver(&tier_250_body());
    }

    /// Meta reports the number's limit is now `tier`.
    fn tier(&self, tier: &str) {
        let mut body: Value = serde_json::from_slice(&tier_250_body()).unwrap();
        body["entry"][0]["changes"][0]["value"]["current_limit"] = serde_json::json!(tier);
        self.deliver(&serde_json::to_vec(&body).unwrap());
    }

    fn deliver(&self, body: &[u8]) {
        let server = Receiver::start(&self.mot, None);
        server.deliver(body);
        server.wait_applied(&self.mot);
    }

    fn count(&self, sql: &str) -> i64 {
        self.mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

fn tier_250_body() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/webhooks/account/number_downgrade_250.json"),
    )
    .unwrap()
}

#[test]
fn another_accounts_tier_does_not_hold_our_broadcast() {
    let rig = Rig::new(270);
    let mut other: Value = serde_json::from_slice(&tier_250_body()).unwrap();
    other["entry"][0]["id"] = serde_json::json!("0000000000000002");
    other["entry"][0]["changes"][0]["value"]["display_phone_number"] =
        serde_json::json!("447700900998");
    rig.deliver(&serde_json::to_vec(&other).unwrap());
    rig.cmd(["send", "Amoxicillin supply update", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 270, "nothing held back");
}

#[test]
fn an_audience_over_the_limit_sends_the_first_part_and_holds_the_rest() {
    let rig = Rig::new(270);
    // 20 members reached earlier today cost nothing more.
    rig.cmd(["send", "Earlier notice", "--role", "Technician", "--yes"])
        .assert()
        .success();
    rig.tier_250();

    let dry = rig
        .cmd(["send", "Amoxicillin supply update", "--dry-run"])
        .output()
        .unwrap();
    assert!(dry.status.success());
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("messaging limit TIER_250"), "{text}");
    assert!(text.contains("20 reached in the last 24 h"), "{text}");
    assert!(text.contains("250 now, 20 held until"), "{text}");
    let json = rig
        .cmd([
            "send",
            "Amoxicillin supply update",
            "--dry-run",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(plan["messaging_limit"]["held"], 20);
    assert_eq!(plan["messaging_limit"]["send_now"], 250);

    let before = rig.mock.received().len();
    let out = rig
        .cmd(["send", "Amoxicillin supply update", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("held back by the messaging limit until"),
        "{stderr}"
    );
    assert!(stderr.contains("mot broadcasts resume 2"), "{stderr}");
    assert_eq!(rig.mock.received().len() - before, 250);
    assert_eq!(
        rig.count(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = 2 AND state = 'queued'
             AND error_class = 'messaging_limit' AND next_attempt_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+23 hours')"
        ),
        20
    );

    // Resuming before the window rolls sends nothing more.
    rig.cmd(["broadcasts", "resume", "2", "--yes"])
        .assert()
        .code(6);
    assert_eq!(rig.mock.received().len() - before, 250);

    // A day later (the earlier sends moved back 25 h), resume sends the rest.
    rig.mot
        .sql()
        .execute_batch(
            "UPDATE deliveries SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-25 hours')
                 WHERE wamid IS NOT NULL;
             UPDATE deliveries SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hours')
                 WHERE error_class = 'messaging_limit';",
        )
        .unwrap();
    rig.cmd(["broadcasts", "resume", "2", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len() - before, 270);
}

/// A new number (250 members a day) and 304 members: 250 go on day one,
/// the other 54 may go a day later, and a resume then sends them all. A
/// held message's expiry runs from when it may first be sent, not from the
/// broadcast's start; a deadline given with `--not-after` binds them all.
#[test]
fn a_notice_over_the_limit_is_delivered_in_full_over_two_days() {
    let rig = Rig::new(304);
    rig.tier_250();
    let day1 = "2030-03-04T09:00:00Z";
    let dry = rig
        .cmd(["send", "Amoxicillin supply update", "--dry-run"])
        .env("MOT_NOW", day1)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("250 now, 54 held until 2030-03-05 09:00"),
        "{text}"
    );
    assert!(
        text.contains("each may still be sent for 24h once it may go"),
        "{text}"
    );
    // The summary shows times as the tables do: in this computer's zone
    // (British Summer Time here), or as stored with --utc.
    let summer = "2030-07-01T09:00:00Z";
    let shown = |utc: bool| {
        let mut cmd = rig.cmd(["send", "Amoxicillin supply update", "--dry-run"]);
        if utc {
            cmd.arg("--utc");
        }
        let out = cmd
            .env("MOT_NOW", summer)
            .env("TZ", "Europe/London")
            .output();
        String::from_utf8_lossy(&out.unwrap().stdout).into_owned()
    };
    let local = shown(false);
    assert!(local.contains("held until 2030-07-02 10:00"), "{local}");
    assert!(
        local.contains("resume ID` from 2030-07-02 10:00"),
        "{local}"
    );
    let utc = shown(true);
    assert!(utc.contains("held until 2030-07-02T09:00:00Z"), "{utc}");
    // An urgent notice: a deadline for everyone, and the dry run says the
    // held ones will never go.
    let urgent = rig
        .cmd([
            "send",
            "Amoxicillin supply update",
            "--dry-run",
            "--not-after",
            "4h",
        ])
        .env("MOT_NOW", day1)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&urgent.stdout);
    assert!(
        text.contains("54 of them cannot go before then and will never be sent"),
        "{text}"
    );

    let out = rig
        .cmd(["send", "Amoxicillin supply update", "--yes"])
        .env("MOT_NOW", day1)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert_eq!(rig.mock.received().len(), 250);
    // Doctor says what is held, when it may go and what to run then.
    let doctor = rig
        .cmd(["doctor", "--format", "json"])
        .env("MOT_NOW", "2030-03-04T12:00:00Z")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let held = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "held messages")
        .expect("a held-messages check");
    let detail = held["detail"].as_str().unwrap();
    assert!(
        detail.contains("broadcast 1: 54 held, the first may go at 2030-03-05T09:00"),
        "{detail}"
    );
    assert!(
        detail.contains("expiring from 2030-03-06T09:00"),
        "{detail}"
    );
    assert!(
        held["help"]
            .as_str()
            .unwrap()
            .contains("mot broadcasts resume 1")
    );

    // Day two, just after the window rolled (the broadcast's own 24 hours
    // have passed): the held 54 go, and every member has it.
    let out = rig
        .cmd(["broadcasts", "resume", "1", "--yes"])
        .env("MOT_NOW", "2030-03-05T09:05:00Z")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(rig.mock.received().len(), 304);
    assert_eq!(
        rig.count("SELECT count(*) FROM deliveries WHERE state = 'expired'"),
        0
    );
}

#[test]
fn an_audience_within_the_limit_is_sent_whole() {
    let rig = Rig::new(30);
    rig.tier_250();
    let dry = rig.cmd(["send", "Update", "--dry-run"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&dry.stdout).contains("messaging limit"));
    rig.cmd(["send", "Update", "--yes"]).assert().success();
    assert_eq!(rig.mock.received().len(), 30);
}

/// A reminder is a send like any other: members not reached in the last
/// 24 hours count against the limit, and those over it wait, queued.
#[test]
fn a_reminder_keeps_within_the_messaging_limit() {
    let rig = Rig::new(60);
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
    // The mock reports every message delivered: all 60 can be reminded.
    rig.cmd(["status", "pull"]).assert().success();
    // A day later, nobody counts as reached in the last 24 hours.
    rig.mot
        .sql()
        .execute(
            "UPDATE deliveries SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-25 hours')",
            [],
        )
        .unwrap();
    rig.tier("TIER_50");
    let before = rig.mock.received().len();
    let out = rig
        .cmd(["requests", "remind", "1", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("held back by the messaging limit until"),
        "{stderr}"
    );
    assert_eq!(rig.mock.received().len() - before, 50);
    assert_eq!(
        rig.count(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = 2 AND state = 'queued'
             AND error_class = 'messaging_limit'"
        ),
        10
    );
}

/// Members whose first message failed were never reached: a retry counts
/// them against the limit like any send.
#[test]
fn a_retry_keeps_within_the_messaging_limit() {
    let rig = Rig::with_config(60, "max_attempts = 1\n");
    for n in 1..=20 {
        rig.mock.set_fail(&drama(n)[1..], Some(131000));
    }
    rig.cmd(["send", "Amoxicillin supply update", "--yes"])
        .assert()
        .code(3);
    assert_eq!(rig.mock.received().len(), 40);
    // 40 reached today; the limit falls to 50, so 10 more may go.
    rig.tier("TIER_50");
    for n in 1..=20 {
        rig.mock.set_fail(&drama(n)[1..], None);
    }
    let out = rig
        .cmd(["broadcasts", "retry", "1", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("held back by the messaging limit until"),
        "{stderr}"
    );
    assert_eq!(rig.mock.received().len(), 50);
}
