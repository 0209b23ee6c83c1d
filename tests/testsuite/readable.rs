//! Honest, readable output (issue 15), run as a user would: tables without
//! padding, broadcasts shown in full, summaries that say what they mean,
//! resume and retry that do only their own job, and every format a command
//! accepts honoured (or refused by the parser).

use assert_cmd::Command;
use serde_json::Value;

use crate::common::{Mot, drama};
use crate::mock;

/// A mot installation wired to a mock Graph API running on its own runtime.
struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(opts: mock::Options, members: &[u32]) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        mot.use_mock(
            &mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            "rate_per_second = 200",
        );
        mot.import_drama(
            members
                .iter()
                .map(|&n| (n, "Community pharmacist", "Leeds")),
        );
        Rig { mot, mock, _rt: rt }
    }

    fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        Output::of(self.cmd(args).output().unwrap())
    }

    fn sends(&self) -> usize {
        self.mock.received().len()
    }

    fn sql(&self, sql: &str) {
        self.mot.sql().execute_batch(sql).unwrap();
    }
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Output {
    fn of(out: std::process::Output) -> Output {
        Output {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }
}

const LONG: &str = "Amoxicillin 250mg capsules are short across the whole of the area this week.\n\nUse the alternative in the formulary until further notice.";

#[test]
fn tables_are_not_padded_with_trailing_spaces() {
    let mot = Mot::new();
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Community pharmacist",
        "Riverside Pharmacy, Leeds",
    );
    mot.add("Bo", "07700 900002", "GP", "Hill");
    let out = Output::of(mot.cmd(["members", "list"]).output().unwrap());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.lines().count() >= 4, "{}", out.stdout);
    for line in out.stdout.lines() {
        assert_eq!(line.trim_end(), line, "trailing spaces in {}", out.stdout);
    }
}

#[test]
fn broadcasts_list_cuts_the_table_with_an_ellipsis_and_csv_and_show_give_the_whole_text() {
    let rig = Rig::new(mock::Options::default(), &[1, 2]);
    let sent = rig.run(&["send", LONG, "--yes"]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    rig.sql("UPDATE deliveries SET state = 'read' WHERE id = 1;");

    let list = rig.run(&["broadcasts", "list", "--format", "csv"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let mut reader = csv::Reader::from_reader(list.stdout.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].clone();
    // CSV has the whole text, line breaks and all; the table cuts it.
    assert_eq!(cell("text"), LONG, "{}", list.stdout);
    let table = rig.run(&["broadcasts", "list"]).stdout;
    assert!(
        table.contains("Amoxicillin 250mg") && table.contains('…'),
        "{table}"
    );
    assert!(!table.contains("further notice"), "{table}");
    assert_eq!(cell("accepted_by_whatsapp"), "2");
    assert_eq!(cell("delivered"), "1");
    assert_eq!(cell("read"), "1");
    assert!(!headers.contains(&"sent".to_string()), "{headers:?}");

    // JSON names the same total the same way.
    let json: Vec<Value> =
        serde_json::from_str(&rig.run(&["broadcasts", "list", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[0]["accepted_by_whatsapp"], 2);
    assert_eq!(json[0]["delivered"], 1);
    assert_eq!(json[0]["read"], 1);

    let show = rig.run(&["broadcasts", "show", "1"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains(LONG), "{}", show.stdout);
    assert!(show.stdout.contains("parameters sent:"), "{}", show.stdout);
    assert!(
        show.stdout
            .contains("accepted by WhatsApp 2 (delivered 1, read 1)"),
        "{}",
        show.stdout
    );
    let show: Value = serde_json::from_str(
        &rig.run(&["broadcasts", "show", "1", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(show["text"], LONG);
    assert_eq!(show["parameters"].as_array().unwrap().len(), 1);
}

#[test]
fn the_send_summary_says_what_a_failure_means_and_where_to_see_who() {
    let mut opts = mock::Options::default();
    opts.fail.insert(drama(2)[1..].to_string(), 131026);
    let rig = Rig::new(opts, &[1, 2]);
    let out = rig.run(&["send", "Stock alert", "--yes"]);
    assert!(
        out.stdout
            .contains("failed: 1 × member (131026): not on WhatsApp or unreachable"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("mot report broadcast 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_dry_run_that_matches_nobody_fails_as_the_send_would() {
    let rig = Rig::new(mock::Options::default(), &[1]);
    let args = ["send", "Stock alert", "--location", "Nowhere", "--yes"];
    let real = rig.run(&args);
    let dry = rig.run(&[&args[..], &["--dry-run"]].concat());
    assert_ne!(real.code, 0);
    assert_eq!(dry.code, real.code, "{}", dry.stdout);
    assert_eq!(dry.stderr, real.stderr);
    assert!(!dry.stdout.contains("null"), "{}", dry.stdout);
    // A request is a broadcast: the same holds.
    let args = ["request", "Any stock?", "--location", "Nowhere", "--yes"];
    let real = rig.run(&args);
    let dry = rig.run(&[&args[..], &["--dry-run"]].concat());
    assert_ne!(real.code, 0);
    assert_eq!(dry.code, real.code, "{}", dry.stdout);
    // The two runs may straddle a second, so the deadline is not compared.
    assert_eq!(
        without_deadline(&dry.stderr),
        without_deadline(&real.stderr)
    );
    assert_eq!(rig.sends(), 0);
}

/// Stderr with the request deadline's timestamp cut off.
fn without_deadline(stderr: &str) -> String {
    let cut = |l: &str| match l.find("on time until ") {
        Some(at) => l[..at].to_string(),
        None => l.to_string(),
    };
    stderr.lines().map(cut).collect::<Vec<_>>().join("\n")
}

#[test]
fn resume_of_a_finished_broadcast_mentions_resend_unknown_and_accepts_yes() {
    let rig = Rig::new(mock::Options::default(), &[1, 2]);
    assert_eq!(rig.run(&["send", "Stock alert", "--yes"]).code, 0);
    rig.sql("UPDATE deliveries SET state = 'unknown' WHERE id = 2;");
    let out = rig.run(&["broadcasts", "resume", "1", "--yes"]);
    // One member's outcome is unknown: 3, as the run that left it so gives.
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("nothing is left to send"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("mot broadcasts resume 1 --resend-unknown"),
        "{}",
        out.stderr
    );
    assert_eq!(rig.sends(), 2);
}

#[test]
fn resume_with_rows_to_send_needs_yes_off_a_terminal() {
    let rig = Rig::new(mock::Options::default(), &[1, 2]);
    assert_eq!(rig.run(&["send", "Stock alert", "--yes"]).code, 0);
    rig.sql(
        "UPDATE deliveries SET state = 'queued', wamid = NULL, sent_at = NULL WHERE id = 2;
         UPDATE broadcasts SET state = 'paused', pause_reason = 'interrupted' WHERE id = 1;",
    );
    let out = rig.run(&["broadcasts", "resume", "1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(rig.sends(), 2);
    assert_eq!(rig.run(&["broadcasts", "resume", "1", "--yes"]).code, 0);
    assert_eq!(rig.sends(), 3);
}

#[test]
fn retry_re_sends_failures_only_and_leaves_queued_rows_to_resume() {
    let rig = Rig::new(mock::Options::default(), &[1, 2, 3]);
    assert_eq!(rig.run(&["send", "Stock alert", "--yes"]).code, 0);
    // Row 2 failed for a temporary reason; row 3 was still queued when Ctrl-C paused it.
    rig.sql(
        "UPDATE deliveries SET state = 'failed', error_class = 'transient', error_code = 131000,
                wamid = NULL, sent_at = NULL WHERE id = 2;
         UPDATE deliveries SET state = 'queued', wamid = NULL, sent_at = NULL WHERE id = 3;
         UPDATE broadcasts SET state = 'paused', pause_reason = 'interrupted' WHERE id = 1;",
    );
    let out = rig.run(&["broadcasts", "retry", "1", "--yes"]);
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stderr.contains("mot broadcasts resume 1"),
        "{}",
        out.stderr
    );
    assert_eq!(rig.sends(), 3, "retry sent nothing");

    assert_eq!(rig.run(&["broadcasts", "resume", "1", "--yes"]).code, 3);
    assert_eq!(rig.sends(), 4, "resume sent the queued row only");

    // Without --yes and no terminal, retry asks for it and sends nothing.
    let out = rig.run(&["broadcasts", "retry", "1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(rig.sends(), 4);

    let out = rig.run(&["broadcasts", "retry", "1", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("1 failed message(s) re-queued; only these are sent"),
        "{}",
        out.stderr
    );
    assert_eq!(rig.sends(), 5);
}

#[test]
fn csv_is_refused_by_commands_that_cannot_write_it() {
    let mot = Mot::new();
    for args in [
        &["broadcasts", "show", "1"][..],
        &["broadcasts", "resume", "1"],
        &["broadcasts", "retry", "1"],
        &["status", "pull"],
        &["send", "hello"],
        &["request", "hello"],
        &["requests", "remind", "1"],
        &["members", "import", "-"],
        &["screen", "hello"],
    ] {
        let out = Output::of(
            mot.cmd([args, &["--format", "csv"]].concat())
                .output()
                .unwrap(),
        );
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("invalid value 'csv'"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
}

#[test]
fn webhook_serve_on_a_port_in_use_prints_only_the_real_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mot = Mot::new();
    let out = Output::of(
        mot.cmd(["webhook", "serve", "--listen", &addr])
            .env("MOT_WHATSAPP_APP_SECRET", "test-app-secret-0123456789")
            .env("MOT_WEBHOOK_VERIFY_TOKEN", "test-verify-token-0123456789")
            .env("MOT_WHATSAPP_PHONE_NUMBER_ID", "1234567890")
            .output()
            .unwrap(),
    );
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("cannot listen on"), "{}", out.stderr);
    assert!(!out.stderr.contains("stopped"), "{}", out.stderr);
    assert!(!out.stderr.contains("acknowledged"), "{}", out.stderr);
}

#[test]
fn inbox_csv_puts_member_id_and_name_in_their_own_columns() {
    let mot = Mot::new();
    mot.add("Asha Patel", "07700 900001", "Pharmacist", "Riverside");
    mot.sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, member_id, phone, type, text, action, at, received_at)
             VALUES ('wamid.TESTCSV0001', 1, '+447700900001', 'text', 'Thanks', 'message',
                     '2026-11-01T10:00:00Z', '2026-11-01T10:00:01Z')",
            [],
        )
        .unwrap();
    let out = Output::of(mot.cmd(["inbox", "--format", "csv"]).output().unwrap());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(cell("member_id"), "1");
    assert_eq!(cell("member_name"), "Asha Patel");
}

#[test]
fn prune_writes_its_outcome_as_csv_when_asked() {
    let mot = Mot::new();
    let out = Output::of(
        mot.cmd(["members", "prune", "--yes", "--format", "csv"])
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "action,members\nerased,0\n");
}

/// A broadcast's per-member table at 80 columns: whole national-format
/// numbers and names, the times left out before anything wraps.
#[test]
fn report_broadcast_table_at_80_columns() {
    let mut opts = mock::Options::default();
    opts.fail.insert(drama(2)[1..].to_string(), 131026);
    let rig = Rig::new(opts, &[1, 2, 3]);
    assert_eq!(rig.run(&["send", LONG, "--yes"]).code, 3);
    rig.sql(
        "UPDATE deliveries SET sent_at = '2026-11-30T09:00:00Z', updated_at = '2026-11-30T09:00:01Z';
         UPDATE members SET name = 'Zoë Adebayo-Williams' WHERE id = 3;",
    );
    let out = rig
        .cmd(["report", "broadcast", "1"])
        .env("COLUMNS", "80")
        .env("TZ", "Europe/London")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(text.contains("07700 900003"), "{text}");
    insta::assert_snapshot!("report_broadcast_80_columns", text);
}
