//! The crash test: `mot send` is killed (SIGKILL) at several points of a run
//! and resumed each time. From the mock's own record, nobody may get the
//! broadcast twice, and everyone not marked `unknown` gets it exactly once.

use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::Mot;
use crate::common::platform::Portable;
use crate::{common, mock};

const MEMBERS: u32 = 300;

fn spawn(mot: &Mot, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"))
        .args(args)
        .env_clear()
        .portable()
        .env("MOT_CONFIG", mot.config())
        .env("MOT_DB", mot.db())
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Kills `child` once the mock has seen `sends` more requests, or it exits.
fn kill_after(child: &mut Child, mock: &mock::Mock, sends: u64) {
    let target = mock.requests() + sends;
    let start = Instant::now();
    while mock.requests() < target {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the sender stalled"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no chance to tidy up
    child.wait().unwrap();
}

#[test]
fn killed_mid_broadcast_then_resumed_never_sends_twice() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Latency keeps several requests in flight at each kill.
    let opts = mock::Options {
        latency: Duration::from_millis(30),
        ..mock::Options::default()
    };
    let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
    let mot = Mot::new();
    mot.use_mock(
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        "rate_per_second = 300\nconcurrency = 8",
    );
    mot.import_drama((0..MEMBERS).map(|n| (n, "Pharmacist", "Leeds")));

    // Kill at the very start, early, in the middle and late in the run.
    let mut child = spawn(&mot, &["send", "Crash test notice", "--yes"]);
    kill_after(&mut child, &mock, 1);
    for sends in [40, 90, 60] {
        let mut child = spawn(&mot, &["broadcasts", "resume", "1", "--yes"]);
        kill_after(&mut child, &mock, sends);
    }
    let status = spawn(&mot, &["broadcasts", "resume", "1", "--yes"])
        .wait()
        .unwrap();
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "final resume: {status:?}"
    );

    let received = mock.count_by_recipient();
    let conn = mot.sql();
    let mut stmt = conn
        .prepare("SELECT phone, state, wamid FROM deliveries WHERE broadcast_id = 1")
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), MEMBERS as usize);
    let wamids: HashMap<String, String> = mock
        .received()
        .into_iter()
        .map(|r| (r.wamid, r.to))
        .collect();

    let mut unknown = 0;
    for (phone, state, wamid) in &rows {
        let got = received.get(&phone[1..]).copied().unwrap_or(0);
        assert!(got <= 1, "{phone} received the broadcast {got} times");
        match state.as_str() {
            "sent" => {
                assert_eq!(
                    got, 1,
                    "{phone} is marked sent but the mock never received it"
                );
                let wamid = wamid.as_ref().expect("a sent row keeps its wamid");
                assert_eq!(wamids.get(wamid).map(String::as_str), Some(&phone[1..]));
            }
            "unknown" => unknown += 1,
            other => panic!("{phone} ended {other}"),
        }
    }
    assert!(
        unknown > 0,
        "no kill caught a request in flight: the test proved nothing"
    );
    // Every kill left at most the in-flight requests as unknown.
    assert!(
        unknown <= 4 * 8,
        "{unknown} unknown rows for 4 kills of 8 in flight"
    );
    let total: usize = received.values().sum();
    assert!(total >= rows.len() - unknown);
    eprintln!(
        "crash test: {} sent, {unknown} unknown after 4 kills",
        rows.len() - unknown
    );
}

#[test]
fn sigterm_mid_broadcast_pauses_cleanly_and_resume_finishes() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let opts = mock::Options {
        latency: Duration::from_millis(30),
        ..mock::Options::default()
    };
    let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
    let mot = Mot::new();
    mot.use_mock(
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        "rate_per_second = 100\nconcurrency = 8",
    );
    mot.import_drama((0..100).map(|n| (n, "Pharmacist", "Leeds")));

    let mut child = spawn(&mot, &["send", "Polite stop", "--yes"]);
    let start = Instant::now();
    while mock.requests() < 20 {
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(2));
    }
    common::platform::interrupt(child.id());
    assert_eq!(
        child.wait().unwrap().code(),
        Some(6),
        "an interrupted send is paused"
    );

    let (paused, unknown): (String, i64) = mot
        .sql()
        .query_row(
            "SELECT b.state, (SELECT count(*) FROM deliveries WHERE state IN ('unknown', 'sending'))
             FROM broadcasts b WHERE b.id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(paused, "paused");
    assert_eq!(
        unknown, 0,
        "requests in flight were waited for and recorded"
    );

    let status = spawn(&mot, &["broadcasts", "resume", "1", "--yes"])
        .wait()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let counts = mock.count_by_recipient();
    assert_eq!(counts.len(), 100);
    assert!(counts.values().all(|n| *n == 1), "everyone exactly once");
}

/// After a crash left one message mid-request, `broadcasts resume` gives
/// the same exit code every time it finds that state (3: someone was not
/// reached), and `broadcasts show` names the next step, `--resend-unknown`.
#[test]
fn resume_after_a_crash_gives_one_exit_code_and_show_names_the_next_step() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mock = rt
        .block_on(mock::Mock::start(mock::Options::default()))
        .unwrap();
    let mot = Mot::new();
    mot.use_mock(&mock.base_url(), mock::DEFAULT_PHONE_NUMBER_ID, "");
    mot.import_drama((1..=3).map(|n| (n, "Pharmacist", "Leeds")));
    let cmd = |args: &[&str]| {
        let mut cmd = mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    };
    cmd(&["send", "Crash notice", "--yes"]).assert().code(0);
    // As a SIGKILL mid-request leaves it: the broadcast still sending, one
    // row claimed but never answered.
    mot.sql()
        .execute_batch(
            "UPDATE broadcasts SET state = 'sending', finished_at = NULL WHERE id = 1;
             UPDATE deliveries SET state = 'sending', wamid = NULL, sent_at = NULL
             WHERE id = (SELECT max(id) FROM deliveries);",
        )
        .unwrap();
    let show = |format: &str| {
        let out = cmd(&["broadcasts", "show", "1", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let table = show("table");
    assert!(
        table.contains("next: `mot broadcasts resume 1 --resend-unknown`"),
        "{table}"
    );
    let mut codes = Vec::new();
    for _ in 0..3 {
        let out = cmd(&["broadcasts", "resume", "1", "--yes"])
            .output()
            .unwrap();
        codes.push(out.status.code());
    }
    assert_eq!(
        codes,
        [Some(3), Some(3), Some(3)],
        "one state, one exit code"
    );
    let json: serde_json::Value = serde_json::from_str(&show("json")).unwrap();
    let steps = json["next_steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert!(steps[0].as_str().unwrap().contains("--resend-unknown"));
    assert_eq!(mock.received().len(), 3, "nothing was sent twice");

    // Asked to, it sends the unknown one again; then nothing is left to do.
    cmd(&["broadcasts", "resume", "1", "--resend-unknown", "--yes"])
        .assert()
        .code(0);
    assert_eq!(mock.received().len(), 4);
    cmd(&["broadcasts", "resume", "1", "--yes"])
        .assert()
        .code(0);
    assert!(!show("table").contains("next:"));
}
