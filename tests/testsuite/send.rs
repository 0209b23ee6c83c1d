//! `mot send` and `mot broadcasts …` against the local mock of the Graph API.

use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::platform::Portable;
use crate::common::{Mot, drama};
use crate::mock;

/// A mot installation wired to a mock Graph API running on its own runtime.
struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(opts: mock::Options, broadcast_config: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        let rate = if broadcast_config.contains("rate_per_second") {
            ""
        } else {
            "rate_per_second = 200"
        };
        mot.use_mock(
            &mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            &format!("{rate}\n{broadcast_config}"),
        );
        Rig { mot, mock, _rt: rt }
    }

    fn with_members(self, members: &[(u32, &str, &str)]) -> Rig {
        self.mot.import_drama(members.iter().copied());
        self
    }

    /// mot with the mock's token.
    fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd(args).output().unwrap();
        let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), value)
    }

    /// Sends received by the mock, by recipient digits.
    fn count(&self, n: u32) -> usize {
        self.mock
            .count_by_recipient()
            .get(&drama(n)[1..])
            .copied()
            .unwrap_or(0)
    }

    /// (phone, state, wamid) for every delivery of a broadcast.
    fn ledger(&self, broadcast: i64) -> Vec<(String, String, Option<String>)> {
        let conn = self.mot.sql();
        let mut stmt = conn
            .prepare(
                "SELECT phone, state, wamid FROM deliveries WHERE broadcast_id = ?1 ORDER BY id",
            )
            .unwrap();
        stmt.query_map([broadcast], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

fn with_fail(codes: &[(u32, u32)]) -> mock::Options {
    let mut opts = mock::Options::default();
    for (n, code) in codes {
        opts.fail.insert(drama(*n)[1..].to_string(), *code);
    }
    opts
}

const TEAM: &[(u32, &str, &str)] = &[
    (1, "Community pharmacist", "Leeds"),
    (2, "Community pharmacist", "York"),
    (3, "GP practice manager", "Leeds"),
    (4, "Pharmacy technician", "Leeds"),
    (5, "Community pharmacist", "Leeds"),
];

#[test]
fn one_request_per_active_member_with_the_right_body() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    let conn = rig.mot.sql();
    conn.execute("UPDATE members SET status = 'pending' WHERE id = 4", [])
        .unwrap();
    conn.execute("UPDATE members SET status = 'opted_out' WHERE id = 5", [])
        .unwrap();

    let (code, report) = rig.json(&[
        "send",
        "Amoxicillin 250mg capsules are short.\n\nUse the alternative.",
        "--yes",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["broadcast_id"], 1);
    assert_eq!(report["counts"]["sent"], 3);
    assert_eq!(report["recipients"], 3);

    let received = rig.mock.received();
    assert_eq!(received.len(), 3);
    for n in [1, 2, 3] {
        assert_eq!(rig.count(n), 1, "member {n}");
    }
    assert_eq!(
        rig.count(4) + rig.count(5),
        0,
        "pending and opted-out members get nothing"
    );

    let body = &received[0].body;
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(body["recipient_type"], "individual");
    assert_eq!(body["type"], "template");
    assert_eq!(body["template"]["name"], "mot_notice");
    assert_eq!(body["template"]["language"]["code"], "en_GB");
    assert_eq!(
        body["template"]["components"][0]["parameters"][0]["text"],
        "Amoxicillin 250mg capsules are short. — Use the alternative."
    );

    // The ledger holds each wamid, and the callback data names broadcast and delivery.
    let ledger = rig.ledger(1);
    for r in &received {
        let row = ledger
            .iter()
            .position(|(phone, _, _)| phone[1..] == r.to)
            .unwrap();
        assert_eq!(ledger[row].1, "sent");
        assert_eq!(ledger[row].2.as_deref(), Some(r.wamid.as_str()));
        assert_eq!(
            r.callback.as_deref(),
            Some(format!("mot:b=1:d={}", row + 1).as_str())
        );
    }
}

#[test]
fn role_and_location_filters_narrow_the_audience() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.cmd([
        "send",
        "Pharmacists in Leeds only",
        "--yes",
        "--role",
        "community PHARMACIST",
        "--location",
        "leeds",
    ])
    .assert()
    .success();
    assert_eq!([1, 2, 3, 4, 5].map(|n| rig.count(n)), [1, 0, 0, 0, 1]);
    rig.cmd([
        "send",
        "Two roles",
        "--yes",
        "--role",
        "GP practice manager",
        "--role",
        "pharmacy technician",
    ])
    .assert()
    .success();
    assert_eq!([1, 2, 3, 4, 5].map(|n| rig.count(n)), [1, 0, 1, 1, 1]);
}

/// The dry run is a short plan a pharmacist can read: who, when, the text
/// as it will arrive, warnings; the raw request only with --verbose.
#[test]
fn dry_run_writes_and_sends_nothing_and_shows_a_short_plan() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.mot
        .sql()
        .execute("UPDATE members SET status = 'lapsed' WHERE id = 2", [])
        .unwrap();
    let out = rig
        .cmd(["send", "Check stock\nof amoxicillin", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("who: would send to 4 member(s), every active member"),
        "{text}"
    );
    assert!(text.contains("excluded: 1 lapsed"), "{text}");
    assert!(
        text.contains("when: all 4 at once; none is sent after"),
        "{text}"
    );
    assert!(text.contains("as it will arrive"), "{text}");
    assert!(text.contains("  | Check stock of amoxicillin\n"), "{text}");
    assert!(
        text.contains("note: the line break after line(s) 1"),
        "{text}"
    );
    assert!(text.contains("add --verbose"), "{text}");
    assert!(!text.contains("biz_opaque_callback_data"), "{text}");
    assert!(!text.contains("447700900001"), "{text}");
    let filtered = rig
        .cmd(["send", "Check stock", "--dry-run", "--role", "pharmacist"])
        .output()
        .unwrap();
    let filtered = String::from_utf8(filtered.stdout).unwrap();
    assert!(
        filtered.contains("the active ones (role \"pharmacist\")"),
        "{filtered}"
    );

    let out = rig
        .cmd(["send", "Check stock", "--dry-run", "--verbose"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("{{1}} Check stock"), "{text}");
    assert!(text.contains("\"biz_opaque_callback_data\""), "{text}");
    assert!(text.contains("\"to\": \"447700900001\""), "{text}");

    let (code, plan) = rig.json(&["send", "Check stock", "--dry-run", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(plan["recipients"], 4);
    assert_eq!(plan["excluded"]["lapsed"], 1);
    assert_eq!(
        plan["request"]["template"]["components"][0]["parameters"][0]["text"],
        "Check stock"
    );

    assert_eq!(rig.mock.requests(), 0);
    let n: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM broadcasts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn without_a_terminal_send_needs_yes_and_writes_nothing() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.cmd(["send", "Hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    // What would have been asked names the filters.
    rig.cmd([
        "send",
        "Hello",
        "--role",
        "pharmacist",
        "--location",
        "Leeds",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "send this notice to 2 active member(s) (role \"pharmacist\"; location \"Leeds\")",
    ));
    assert_eq!(rig.mock.requests(), 0);
    let n: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn message_from_stdin_and_file_and_text_that_cannot_fit() {
    let rig = Rig::new(mock::Options::default(), "body_params = 2").with_members(&TEAM[..1]);
    rig.cmd(["send", "-", "--yes"])
        .write_stdin("First paragraph.\n\nSecond\nparagraph.\n\nThird.")
        .assert()
        .success();
    let params = rig.mock.received()[0].body["template"]["components"][0]["parameters"].clone();
    assert_eq!(params[0]["text"], "First paragraph.");
    assert_eq!(params[1]["text"], "Second paragraph. — Third.");

    let file = rig.mot.write("notice.txt", "Only one paragraph");
    rig.cmd(["send", "--yes", "--file"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 body parameters"));
    let long = format!("{}\n\n{}", "a".repeat(600), "b".repeat(600));
    rig.cmd(["send", "--yes", &long])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("at most 1024"));
    assert_eq!(rig.mock.requests(), 1);
}

/// Notepad's "UTF-8 with BOM" must not put the BOM in front of an urgent
/// notice; a file in another encoding is refused before anything is written.
#[test]
fn a_message_file_from_notepad_sends_without_its_bom() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..1]);
    let file = rig.mot.write(
        "notice.txt",
        b"\xEF\xBB\xBFSupply disruption: amoxicillin.\r\n",
    );
    rig.cmd(["send", "--yes", "--file"])
        .arg(&file)
        .assert()
        .success();
    let params = rig.mock.received()[0].body["template"]["components"][0]["parameters"].clone();
    assert_eq!(params[0]["text"], "Supply disruption: amoxicillin.");

    let ansi = rig.mot.write("ansi.txt", b"Caf\xE9 closed");
    rig.cmd(["send", "--yes", "--file"])
        .arg(&ansi)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not UTF-8 text"))
        .stderr(predicate::str::contains("Encoding: UTF-8"));
    assert_eq!(rig.mock.requests(), 1);
}

#[test]
fn member_errors_fail_only_that_row_and_exit_3() {
    let rig = Rig::new(with_fail(&[(2, 131026), (3, 131050)]), "").with_members(TEAM);
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["counts"]["sent"], 3);
    assert_eq!(report["counts"]["failed"], 2);
    assert_eq!(report["failed_by_reason"]["member (131026)"], 1);
    assert_eq!(report["failed_by_reason"]["opted_out (131050)"], 1);
    // 131050: the member stopped marketing messages, so they are opted out here too.
    let status: String = rig
        .mot
        .sql()
        .query_row("SELECT status FROM members WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "opted_out");
    // Audited like every opt-out WhatsApp tells us of.
    let detail: String = rig
        .mot
        .sql()
        .query_row(
            "SELECT detail FROM audit WHERE command = 'inbound opt_out'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, r#"{"member_id":3,"via":"131050"}"#);
}

#[test]
fn throttling_slows_the_run_and_every_member_gets_it_once() {
    let opts = mock::Options {
        rate_limit: Some(10.0),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, "rate_per_second = 100\nconcurrency = 16").with_members(
        &(1..=30)
            .map(|n| (n, "Pharmacist", "Leeds"))
            .collect::<Vec<_>>(),
    );
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert!(
        rig.mock.throttled() > 0,
        "the mock never throttled: the test proves nothing"
    );
    for n in 1..=30 {
        assert_eq!(rig.count(n), 1, "member {n}");
    }
}

#[test]
fn at_the_mocks_limit_nothing_is_throttled() {
    let opts = mock::Options {
        rate_limit: Some(20.0),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, "rate_per_second = 20").with_members(
        &(1..=40)
            .map(|n| (n, "Pharmacist", "Leeds"))
            .collect::<Vec<_>>(),
    );
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    assert_eq!(rig.mock.throttled(), 0);
    assert_eq!(rig.mock.received().len(), 40);
}

#[test]
fn server_errors_are_retried_until_sent() {
    let opts = mock::Options {
        server_error_every: Some(3),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, "").with_members(TEAM);
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    for n in 1..=5 {
        assert_eq!(rig.count(n), 1, "member {n}");
    }
    assert!(
        rig.mock.requests() > 5,
        "some requests must have failed and been retried"
    );
}

#[test]
fn transient_errors_give_up_after_max_attempts() {
    let rig = Rig::new(with_fail(&[(1, 131000)]), "max_attempts = 2").with_members(&TEAM[..2]);
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["failed_by_reason"]["transient (131000)"], 1);
    assert_eq!(
        rig.mock.requests(),
        3,
        "two tries for member 1, one for member 2"
    );

    // retry re-queues it; once the fault clears it goes through
    rig.mock.set_fail(&drama(1)[1..], None);
    rig.cmd(["broadcasts", "retry", "1", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.count(1), 1);
    assert_eq!(rig.count(2), 1);
}

#[test]
fn a_token_error_pauses_and_resume_completes_the_rest() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    let out = rig
        .mot
        .cmd(["send", "Hello", "--yes"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("paused") && stderr.contains("190"),
        "{stderr}"
    );
    assert!(stderr.contains("mot broadcasts resume 1"), "{stderr}");
    assert!(stderr.contains("set in MOT_WHATSAPP_TOKEN"), "{stderr}");
    assert!(
        !stderr.contains("expired-token"),
        "the token must never be shown"
    );
    assert!(rig.mock.received().is_empty());

    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["state"], "paused");
    assert_eq!(show["counts"]["queued"], 5, "a pause fails nobody: {show}");
    assert!(
        show["pause_reason"]
            .as_str()
            .unwrap()
            .contains("access token")
    );

    let (code, report) = rig.json(&["broadcasts", "resume", "1", "--yes", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["state"], "finished");
    for n in 1..=5 {
        assert_eq!(rig.count(n), 1, "member {n}");
    }
}

/// A line break inside a paragraph cannot be sent: the dry run says where
/// one was folded into a space, and why.
#[test]
fn the_dry_run_shows_where_line_breaks_were_folded() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..1]);
    let out = rig
        .cmd(["send", "-", "--dry-run"])
        .write_stdin("Amoxicillin:\nshort supply\n\nOrder early.")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("line break after line(s) 1 became a space"),
        "{stdout}"
    );
    assert!(stdout.contains("cannot hold line breaks"), "{stdout}");
    let (_, plan) = rig.json(&["send", "One\ntwo", "--dry-run", "--format", "json"]);
    assert_eq!(plan["folded_lines"], serde_json::json!([1]));
}

/// The pause names where the operator set the token, not a variable they
/// never used.
#[test]
fn a_token_error_names_the_token_file_it_came_from() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..1]);
    let token = rig.mot.write("token", "expired-token-from-a-file\n");
    mot::platform::make_private(&token).unwrap();
    let mut config = std::fs::read_to_string(rig.mot.config()).unwrap();
    config = config.replacen(
        "[whatsapp]\n",
        &format!(
            "[whatsapp]\ntoken_file = {:?}\n",
            token.display().to_string()
        ),
        1,
    );
    std::fs::write(rig.mot.config(), config).unwrap();
    let out = rig.mot.cmd(["send", "Hello", "--yes"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("set in [whatsapp] token_file"), "{stderr}");
    assert!(!stderr.contains("MOT_WHATSAPP_TOKEN"), "{stderr}");
    assert!(!stderr.contains("expired-token-from-a-file"), "{stderr}");
}

#[test]
fn a_template_error_pauses_the_broadcast() {
    let rig = Rig::new(with_fail(&[(1, 132001)]), "concurrency = 1").with_members(TEAM);
    rig.cmd(["send", "Hello", "--yes"])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("132001"))
        .stderr(predicate::str::contains("template"));
    assert_eq!(rig.mock.requests(), 1, "nothing more is tried once paused");
    rig.mock.set_fail(&drama(1)[1..], None);
    rig.cmd(["broadcasts", "resume", "1", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 5);
}

#[test]
fn a_timeout_after_sending_is_unknown_and_never_resent_automatically() {
    let mut opts = mock::Options::default();
    opts.hang.insert(drama(2)[1..].to_string());
    let rig = Rig::new(opts, "request_timeout = \"1s\"").with_members(&TEAM[..3]);
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["counts"]["unknown"], 1);
    assert_eq!(report["counts"]["sent"], 2);

    // The same state as the send left: the same exit code.
    rig.cmd(["broadcasts", "resume", "1", "--yes"])
        .assert()
        .code(3);
    assert_eq!(rig.count(2), 1, "resume does not re-send an unknown row");

    // Only when the operator asks explicitly.
    rig.cmd(["broadcasts", "resume", "1", "--yes", "--resend-unknown"])
        .assert()
        .code(3);
    assert_eq!(rig.count(2), 2);
}

#[test]
fn queued_rows_past_not_after_expire_and_are_never_sent_late() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.mot
        // 3 s, not 1 s: on a loaded machine the send itself can take a second
        // to reach the API, and its rows then expire before the token fails.
        .cmd(["send", "Urgent", "--yes", "--not-after", "3s"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .assert()
        .code(6);
    std::thread::sleep(Duration::from_millis(3500));
    let (code, report) = rig.json(&["broadcasts", "resume", "1", "--yes", "--format", "json"]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["counts"]["expired"], 5);
    assert!(rig.mock.received().is_empty());
}

#[test]
fn the_same_text_to_the_same_audience_needs_allow_duplicate() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.cmd([
        "send",
        "Bank holiday hours",
        "--yes",
        "--role",
        "GP practice manager",
    ])
    .assert()
    .success();
    rig.cmd([
        "send",
        "Bank holiday hours",
        "--yes",
        "--role",
        "gp practice MANAGER",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("broadcast 1 sent the same text"))
    .stderr(predicate::str::contains("--allow-duplicate"));
    // another audience, or another text, is not a duplicate
    rig.cmd(["send", "Bank holiday hours", "--yes"])
        .assert()
        .success();
    rig.cmd([
        "send",
        "Bank holiday hours!",
        "--yes",
        "--role",
        "GP practice manager",
    ])
    .assert()
    .success();
    rig.cmd([
        "send",
        "Bank holiday hours",
        "--yes",
        "--role",
        "GP practice manager",
        "--allow-duplicate",
    ])
    .assert()
    .success();
    assert_eq!(rig.count(3), 4);
}

#[test]
fn a_test_send_goes_to_one_number_only() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    rig.cmd(["send", "Does this read well?", "--test", "07700 900777"])
        .assert()
        .success();
    let received = rig.mock.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, "447700900777");
    let out = rig.cmd(["broadcasts", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("notice (test)"));
}

#[test]
fn a_second_sender_is_refused_at_once_naming_the_running_broadcast() {
    let opts = mock::Options {
        latency: Duration::from_millis(1500),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, "concurrency = 1").with_members(&TEAM[..2]);
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"))
        .args(["send", "First", "--yes"])
        .env_clear()
        .portable()
        .env("MOT_CONFIG", rig.mot.config())
        .env("MOT_DB", rig.mot.db())
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while rig.mock.requests() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the first send never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let began = Instant::now();
    rig.cmd(["send", "Second", "--yes"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("broadcast 1"));
    assert!(
        began.elapsed() < Duration::from_secs(1),
        "refused at once, not after waiting"
    );
    rig.cmd(["broadcasts", "resume", "1", "--yes"])
        .assert()
        .code(5);
    assert!(first.wait().unwrap().success());
    assert_eq!(rig.mock.received().len(), 2);
}

#[test]
fn broadcasts_list_and_show() {
    let rig = Rig::new(with_fail(&[(1, 131026)]), "").with_members(TEAM);
    rig.cmd(["send", "Hello", "--yes"]).assert().code(3);
    let (_, list) = rig.json(&["broadcasts", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["id"], 1);
    assert_eq!(show["kind"], "notice");
    assert_eq!(show["state"], "finished");
    assert_eq!(show["counts"]["sent"], 4);
    assert_eq!(show["counts"]["failed"], 1);
    rig.cmd(["broadcasts", "show", "9"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no broadcast 9"));
}

#[test]
fn removing_a_member_erases_their_number_from_the_ledger_and_inbox() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..2]);
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    rig.mot
        .sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, member_id, phone, type, text, action, at, received_at)
             VALUES ('wamid.TESTIN1', 1, ?1, 'text', 'Thanks', 'message', 'x', 'x')",
            [drama(1)],
        )
        .unwrap();
    rig.cmd(["members", "remove", "1", "--yes"])
        .assert()
        .success();
    let conn = rig.mot.sql();
    let left: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM deliveries WHERE phone = ?1)
                  + (SELECT count(*) FROM inbound WHERE phone = ?1 OR text IS NOT NULL AND member_id IS NULL)",
            [drama(1)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the removed member's number and messages are gone");
    // The anonymous count survives: the broadcast still had two recipients.
    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["recipients"], 2);
}

#[test]
fn the_pair_limit_delays_only_that_member() {
    let rig = Rig::new(with_fail(&[(1, 131056)]), "").with_members(&TEAM[..3]);
    // WhatsApp relents after a second; mot's first retry for that member comes after ~6 s.
    let mock = rig.mock.clone();
    let clear = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        mock.set_fail(&drama(1)[1..], None);
    });
    let (code, report) = rig.json(&["send", "Hello", "--yes", "--format", "json"]);
    clear.join().unwrap();
    assert_eq!(code, 0, "{report}");
    let received = rig.mock.received();
    let at = |n: u32| received.iter().find(|r| r.to == drama(n)[1..]).unwrap().at;
    let held = at(1).duration_since(at(2).max(at(3))).unwrap_or_default();
    assert!(
        held >= Duration::from_secs(4),
        "member 1 was held back only {held:?}"
    );
    assert_eq!([1, 2, 3].map(|n| rig.count(n)), [1, 1, 1]);
}

#[test]
fn connection_refused_is_retried_then_failed_as_transient() {
    let rig = Rig::new(mock::Options::default(), "max_attempts = 2").with_members(&TEAM[..1]);
    // Nothing listens on the discard port of the loopback interface.
    let out = rig
        .cmd(["send", "Hello", "--yes", "--format", "json"])
        .env("MOT_WHATSAPP_API_BASE", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["counts"]["failed"], 1, "{report}");
    let reason = report["failed_by_reason"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    assert!(reason.starts_with("transient"), "{reason}");
    let (attempts, message): (i64, String) = rig
        .mot
        .sql()
        .query_row("SELECT attempts, error_message FROM deliveries", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(attempts, 2);
    assert!(message.contains("could not connect"), "{message}");
}

const PATIENT_TEXT: &str = "Please review patient NHS no 999 000 0018 before Friday.";

#[test]
fn patient_data_is_refused_with_exit_4_and_nothing_written() {
    let rig = Rig::new(mock::Options::default(), "").with_members(TEAM);
    for extra in [&["--yes"][..], &["--dry-run"], &["--test", "07700 900777"]] {
        let mut args = vec!["send", PATIENT_TEXT];
        args.extend_from_slice(extra);
        rig.cmd(&args)
            .assert()
            .code(4)
            .stderr(predicate::str::contains("NHS number"))
            .stderr(predicate::str::contains("^^^^^^^^^^^^"))
            .stderr(predicate::str::contains("--override-screen"));
    }
    assert_eq!(rig.mock.requests(), 0);
    let n: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM broadcasts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "a refused text is not even written down");
}

#[test]
fn an_override_sends_and_audits_the_reason_but_not_the_text() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..2]);
    rig.cmd([
        "send",
        PATIENT_TEXT,
        "--yes",
        "--override-screen",
        "test number from the NHS test range, agreed with IG",
    ])
    .assert()
    .success();
    assert_eq!(rig.mock.received().len(), 2);
    let (command, detail): (String, String) = rig
        .mot
        .sql()
        .query_row(
            "SELECT command, detail FROM audit WHERE command = 'send screen override'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(command, "send screen override");
    assert!(
        detail.contains("agreed with IG") && detail.contains("nhs_number"),
        "{detail}"
    );
    assert!(
        !detail.contains("999"),
        "the audit log holds no patient data: {detail}"
    );
}

#[test]
fn warnings_need_confirmation_or_yes() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..2]);
    // A first name with clinical words: a colleague, or a patient?
    let text = "Questions about the insulin pens? Bethany has the answers.";
    rig.cmd(["send", text, "--test", "07700 900777"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a first name with clinical words"));
    rig.cmd(["send", text]).assert().code(2);
    // --yes alone does not accept a warning: it names a person.
    rig.cmd(["send", text, "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--accept-warnings"));
    assert_eq!(rig.mock.requests(), 0);
    rig.cmd(["send", text, "--yes", "--accept-warnings"])
        .assert()
        .success();
    assert_eq!(rig.mock.received().len(), 2);
    let accepted: String = rig
        .mot
        .sql()
        .query_row(
            "SELECT detail FROM audit WHERE command = 'send' AND outcome = 'started'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(accepted.contains("screen_warnings_accepted"), "{accepted}");
    // The dry run shows the warning as data too.
    let (_, plan) = rig.json(&[
        "send",
        text,
        "--dry-run",
        "--allow-duplicate",
        "--format",
        "json",
    ]);
    assert_eq!(plan["screen"][0]["kind"], "patient_name");
    assert_eq!(plan["screen"][0]["severity"], "warn");
}

/// `[screen] allow`: the team's own number is no detail of a person, in
/// `mot screen` and in a send alike; any other number still is.
#[test]
fn the_teams_own_contact_details_are_never_findings() {
    let allow = "[screen]\nallow = [\"+44 113 496 0123\", \"example.org\"]";
    let rig = Rig::new(mock::Options::default(), allow).with_members(&TEAM[..2]);
    let ours = "Ring Kwame Mensah on 0113 496 0123 after 2pm";
    let theirs = "Ring Kwame Mensah on 0113 496 0124 after 2pm";
    rig.cmd(["screen", ours]).assert().success();
    rig.cmd(["screen", theirs]).assert().code(4);
    rig.cmd(["send", theirs, "--yes"]).assert().code(4);
    rig.cmd(["send", ours, "--yes"]).assert().success();
    assert_eq!(rig.mock.received().len(), 2);
    // Without the setting, the same text is a name with a phone number.
    let bare = Mot::bare();
    bare.cmd(["screen", ours]).assert().code(4);
    // An entry that is none of the kinds is refused, naming it.
    let bad = bare.write("bad.toml", "[screen]\nallow = [\"Boots\"]\n");
    bare.cmd(["--config", bad.to_str().unwrap(), "screen", "hello"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("[screen] allow: \"Boots\""));
}

#[test]
fn mot_screen_checks_text_without_a_database() {
    let mot = Mot::bare();
    mot.cmd(["screen", PATIENT_TEXT])
        .assert()
        .code(4)
        .stdout(predicate::str::contains("NHS number"));
    mot.cmd(["screen", "-"])
        .write_stdin("Amoxicillin 500mg back in stock at Riverside Pharmacy")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "no patient or personal data found",
        ));
    let out = mot
        .cmd([
            "screen",
            "--format",
            "json",
            "Kath has the new insulin pens",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a first name only warns");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "warn");
    assert_eq!(v["findings"][0]["kind"], "patient_name");
    // The team's own postcode alone is no finding at all.
    let out = mot
        .cmd(["screen", "--format", "json", "Open 9am-5pm, LS1 4AP"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], Value::Null);
    assert!(!mot.db().exists());
}

#[test]
fn answers_after_the_deadline_are_never_retried_late() {
    // WhatsApp throttles almost everything; the notice may only go out for 2 s.
    let opts = mock::Options {
        rate_limit: Some(1.0),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, "rate_per_second = 50\nconcurrency = 8").with_members(
        &(1..=12)
            .map(|n| (n, "Pharmacist", "Leeds"))
            .collect::<Vec<_>>(),
    );
    let start = std::time::SystemTime::now();
    let (code, report) = rig.json(&[
        "send",
        "Urgent",
        "--yes",
        "--not-after",
        "2s",
        "--format",
        "json",
    ]);
    assert_eq!(code, 3, "{report}");
    assert!(rig.mock.throttled() > 0);
    let deadline = start + Duration::from_secs(2);
    for r in rig.mock.received() {
        // A request claimed just before the deadline may arrive just after it.
        assert!(
            r.at <= deadline + Duration::from_millis(500),
            "sent late: {r:?}"
        );
    }
    let sent = report["counts"]["sent"].as_i64().unwrap();
    assert_eq!(sent as usize, rig.mock.received().len());
    assert_eq!(
        sent + report["counts"]["expired"].as_i64().unwrap(),
        12,
        "{report}"
    );
}

#[test]
fn nobody_who_left_during_a_pause_is_sent_to_on_resume() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..3]);
    rig.mot
        .cmd(["send", "Hello", "--yes"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .assert()
        .code(6);
    rig.mot
        .sql()
        .execute("UPDATE members SET status = 'opted_out' WHERE id = 2", [])
        .unwrap();
    rig.cmd(["members", "edit", "3", "--phone", "07700 900333"])
        .assert()
        .success();
    let (code, report) = rig.json(&["broadcasts", "resume", "1", "--yes", "--format", "json"]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["failed_by_reason"]["not_active"], 1, "{report}");
    assert_eq!(
        [rig.count(1), rig.count(2), rig.count(3), rig.count(333)],
        [1, 0, 0, 1],
        "the new number, not the old"
    );
}

#[test]
fn the_duplicate_guard_compares_what_members_would_read() {
    let rig = Rig::new(mock::Options::default(), "").with_members(&TEAM[..1]);
    rig.cmd(["send", "Hello   world", "--yes"])
        .assert()
        .success();
    rig.cmd(["send", "-", "--yes"])
        .write_stdin("Hello world\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broadcast 1"));
}

#[test]
fn retry_never_resends_what_whatsapp_accepted() {
    let mut opts = mock::Options::default();
    opts.history
        .insert(drama(1)[1..].to_string(), mock::Outcome::Failed(131049));
    let rig = Rig::new(opts, "").with_members(&TEAM[..2]);
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    rig.cmd(["status", "pull"]).assert().success();
    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["failed_by_reason"]["platform (131049)"], 1, "{show}");
    rig.cmd(["broadcasts", "retry", "1", "--yes"])
        .assert()
        .code(3);
    assert_eq!(
        rig.count(1),
        1,
        "a late 'delivered' may still come for the first message"
    );
}

#[test]
fn a_late_131050_opts_the_member_out() {
    let mut opts = mock::Options::default();
    opts.history
        .insert(drama(2)[1..].to_string(), mock::Outcome::Failed(131050));
    let rig = Rig::new(opts, "").with_members(&TEAM[..2]);
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    rig.cmd(["status", "pull"]).assert().success();
    let status: String = rig
        .mot
        .sql()
        .query_row("SELECT status FROM members WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "opted_out");
    let detail: String = rig
        .mot
        .sql()
        .query_row(
            "SELECT detail FROM audit WHERE command = 'inbound opt_out'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, r#"{"member_id":2,"via":"131050"}"#);
}

/// Retention never empties a broadcast that is still being sent; and a
/// broadcast whose text is gone (a database purged by an older mot) is
/// refused by resume and retry, never sent as an empty template.
#[test]
fn a_paused_send_survives_purge_and_a_removed_text_is_never_sent() {
    let rig = Rig::new(
        mock::Options::default(),
        "[retention]\ndeliveries = \"0\"\nbroadcast_text = \"0\"",
    )
    .with_members(TEAM);
    let out = rig
        .mot
        .cmd(["send", "Hello", "--yes"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "the send pauses");
    rig.cmd(["purge"]).assert().success();
    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(
        show["counts"]["queued"], 5,
        "purge kept the queued rows: {show}"
    );
    let (code, report) = rig.json(&["broadcasts", "resume", "1", "--yes", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    for sent in rig.mock.received() {
        assert_eq!(
            sent.body["template"]["components"][0]["parameters"][0]["text"],
            "Hello"
        );
    }
    assert_eq!(rig.mock.received().len(), 5);

    // As an older mot's purge left it: paused, with its text removed.
    rig.cmd(["send", "Second notice", "--yes"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .assert()
        .code(6);
    rig.mot
        .sql()
        .execute(
            "UPDATE broadcasts SET body = '[text removed: retention period over]', params = '[]'
             WHERE id = 2",
            [],
        )
        .unwrap();
    for command in ["resume", "retry"] {
        let out = rig
            .cmd(["broadcasts", command, "2", "--yes"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("text was removed"), "{stderr}");
    }
    assert_eq!(rig.mock.received().len(), 5, "nothing more was sent");
}

/// Runs `cmd` with `stdin`, killing it (and failing the test) if it has not
/// ended within `limit`: a test of "does not hang" must not hang itself.
#[cfg(unix)]
fn run_within(
    cmd: &assert_cmd::Command,
    stdin: std::process::Stdio,
    limit: Duration,
) -> std::process::Output {
    use std::process::Stdio;
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args()).env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            std_cmd.env(k, v);
        }
    }
    let mut child = std_cmd
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `--file` names a message, not a stream: a FIFO would hang a cron job
/// until something wrote to it, `/dev/zero` would fill the memory, and a
/// folder is a mistake. Each is refused at once, naming the file.
#[cfg(unix)]
#[test]
fn a_message_file_that_is_not_a_regular_file_is_refused_at_once() {
    let mot = Mot::new();
    let fifo = mot.dir.path().join("notice.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let dir = mot.dir.path().join("folder");
    std::fs::create_dir(&dir).unwrap();
    let cases: [(&[&str], &std::path::Path, &str); 4] = [
        (
            &["send", "--dry-run", "--file"],
            std::path::Path::new("/dev/zero"),
            "not a regular file",
        ),
        (
            &["send", "--dry-run", "--file"],
            &fifo,
            "not a regular file",
        ),
        (
            &["request", "--dry-run", "--file"],
            &fifo,
            "not a regular file",
        ),
        (&["send", "--dry-run", "--file"], &dir, "a folder"),
    ];
    for (args, path, why) in cases {
        let mut cmd = mot.cmd(args);
        cmd.arg(path);
        let out = run_within(&cmd, std::process::Stdio::null(), Duration::from_secs(20));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{path:?}: {stderr}");
        assert!(stderr.contains(why), "{path:?}: {stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    }
}

/// What is read from standard input is capped: `mot send - < /dev/zero` and
/// `mot screen - < /dev/zero` stop at the limit and say what it is.
#[cfg(unix)]
#[test]
fn message_text_from_standard_input_is_capped() {
    let mot = Mot::new();
    for args in [
        &["send", "-", "--dry-run"][..],
        &["request", "-", "--dry-run"],
        &["screen", "-"],
    ] {
        let zero = std::fs::File::open("/dev/zero").unwrap();
        let out = run_within(&mot.cmd(args), zero.into(), Duration::from_secs(20));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("standard input"), "{stderr}");
        assert!(stderr.contains("at most 1 MiB"), "{stderr}");
    }
}

/// A regular file over the cap is refused from its size, before it is read.
#[test]
fn a_message_file_over_the_cap_is_refused() {
    let mot = Mot::new();
    let big = mot.write("big.txt", "a".repeat(1024 * 1024 + 1));
    mot.cmd(["send", "--dry-run", "--file"])
        .arg(&big)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 1 MiB"))
        .stderr(predicate::str::contains("big.txt"));
}

/// A control character (a bell, an escape) or a bidi control (a
/// right-to-left override that makes one word read as another) would go to
/// every member as it is: refused, naming the character and where it is.
#[test]
fn control_and_bidi_characters_in_a_notice_are_refused_with_where() {
    let mot = Mot::new();
    for (text, char, at) in [
        ("Stock \u{202e}kcots", "U+202E", "line 1, column 7"),
        ("Clinic open\u{7}", "U+0007", "line 1, column 12"),
        (
            "First line\nsecond \u{2066}line",
            "U+2066",
            "line 2, column 8",
        ),
        ("Esc \u{1b}[2J here", "U+001B", "line 1, column 5"),
        ("NEL\u{85}", "U+0085", "line 1, column 4"),
        ("del\u{7f}", "U+007F", "line 1, column 4"),
        ("mark\u{200f}", "U+200F", "line 1, column 5"),
        ("arabic mark\u{61c}", "U+061C", "line 1, column 12"),
    ] {
        let out = mot.cmd(["send", "--dry-run", text]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text:?}: {stderr}");
        assert!(stderr.contains(char), "{text:?}: {stderr}");
        assert!(stderr.contains(at), "{text:?}: {stderr}");
    }
    // The same from a file, where lines, tabs and Windows line ends are fine.
    let file = mot.write(
        "notice.txt",
        "Amoxicillin:\r\n\tback in stock \u{202d}today\r\n",
    );
    mot.cmd(["send", "--dry-run", "--file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("U+202D"))
        .stderr(predicate::str::contains("line 2, column 16"));
}
