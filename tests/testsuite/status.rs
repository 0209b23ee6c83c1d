//! `mot status pull` against the mock, the relay end to end, and `mot send`
//! racing `mot webhook serve` on one database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[cfg(unix)]
use crate::common::days_ago;
use crate::common::platform::Portable;
use crate::common::{Mot, drama};
use crate::{common, mock};

const APP_SECRET: &str = "test-app-secret-0001";
const RELAY_TOKEN: &str = "test-relay-token";

struct Rig {
    mot: Mot,
    mock: mock::Mock,
    rt: tokio::runtime::Runtime,
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
        let extra = format!("rate_per_second = 500\nconcurrency = 8\n{extra}");
        mot.use_mock(&mock.base_url(), mock::DEFAULT_PHONE_NUMBER_ID, &extra);
        mot.import_drama((1..=members).map(|n| (n, "Pharmacist", "Leeds")));
        Rig { mot, mock, rt }
    }

    fn cmd<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(
        &self,
        args: I,
    ) -> assert_cmd::Command {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd(args).output().unwrap();
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), v)
    }

    /// The delivery states of one broadcast, in row order.
    #[cfg(unix)]
    fn states_of(&self, broadcast: i64) -> Vec<String> {
        self.mot
            .sql()
            .prepare("SELECT state FROM deliveries WHERE broadcast_id = ?1 ORDER BY id")
            .unwrap()
            .query_map([broadcast], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// How many members (of any status) have this number.
    #[cfg(unix)]
    fn members_with(&self, phone: &str) -> i64 {
        self.mot
            .sql()
            .query_row(
                "SELECT count(*) FROM members WHERE phone = ?1",
                [phone],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn states(&self) -> Vec<String> {
        self.mot
            .sql()
            .prepare("SELECT state FROM deliveries ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Posts a payload to a receiver, signed with the app secret; returns the HTTP status.
    fn post(&self, addr: &str, body: &Value) -> u16 {
        let body = serde_json::to_vec(body).unwrap();
        let signature = mot::webhook::verify::sign(APP_SECRET.as_bytes(), &body);
        self.rt.block_on(async {
            reqwest::Client::new()
                .post(format!("http://{addr}/webhook"))
                .header("x-hub-signature-256", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    }
}

/// Starts `mot webhook serve` on a free port; returns the child and its address.
fn serve(mot: &Mot, relay: bool) -> (Child, String) {
    serve_with(mot, relay, &[])
}

fn serve_with(mot: &Mot, relay: bool, env: &[(&str, &str)]) -> (Child, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
    cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .portable()
        .envs(env.iter().copied())
        .env("MOT_CONFIG", mot.config())
        .env("MOT_DB", mot.db())
        .env("MOT_WHATSAPP_APP_SECRET", APP_SECRET)
        .env("MOT_WEBHOOK_VERIFY_TOKEN", "test-verify-token")
        .env(
            "MOT_WHATSAPP_PHONE_NUMBER_ID",
            mock::DEFAULT_PHONE_NUMBER_ID,
        )
        .env(
            "MOT_WHATSAPP_BUSINESS_ACCOUNT_ID",
            mock::account::DEFAULT_BUSINESS_ACCOUNT_ID,
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if relay {
        cmd.env("MOT_RELAY_TOKEN", RELAY_TOKEN);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Events left from an earlier run may be reported before "listening".
    let first = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.contains("listening on"))
        .expect("the server says where it listens");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn stop(mut child: Child) {
    common::platform::interrupt(child.id());
    let exit = child.wait().unwrap();
    assert_eq!(
        exit.code(),
        Some(0),
        "webhook serve must stop cleanly on SIGTERM"
    );
}

#[test]
fn status_pull_moves_deliveries_forward_and_twice_changes_nothing() {
    let mut opts = mock::Options::default();
    opts.history
        .insert(drama(2)[1..].to_string(), mock::Outcome::Read);
    opts.history
        .insert(drama(3)[1..].to_string(), mock::Outcome::Failed(131026));
    opts.history
        .insert(drama(4)[1..].to_string(), mock::Outcome::None);
    let rig = Rig::new(opts, 4, "");
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    assert_eq!(rig.states(), ["sent"; 4]);

    let (code, report) = rig.json(&["status", "pull", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["checked"], 4);
    assert_eq!(rig.states(), ["delivered", "read", "failed", "sent"]);
    let (code, class): (i64, String) = rig
        .mot
        .sql()
        .query_row(
            "SELECT error_code, error_class FROM deliveries WHERE id = 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((code, class.as_str()), (131026, "member"));

    let (_, again) = rig.json(&["status", "pull", "--format", "json"]);
    assert_eq!(again["new_events"], 0, "{again}");
    assert_eq!(again["moved"], serde_json::json!({}));
    // read and failed are final: only delivered and still-sent rows are asked about
    assert_eq!(again["checked"], 2);

    // the message turns up read later
    rig.mock.set_history(&drama(1)[1..], mock::Outcome::Read);
    rig.cmd(["status", "pull"]).assert().success();
    assert_eq!(rig.states()[0], "read");
    let (_, show) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["counts"]["read"], 2);
}

#[test]
fn status_pull_reports_failed_lookups_and_exits_1() {
    let rig = Rig::new(mock::Options::default(), 2, "");
    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    rig.mot
        .sql()
        .execute(
            "UPDATE deliveries SET wamid = 'wamid.NOTKNOWN' WHERE id = 2",
            [],
        )
        .unwrap();
    // an unknown message id is not an error: the history is simply empty
    rig.cmd(["status", "pull"]).assert().success();
    // a wrong token is, and stops the pull as it pauses a send
    rig.mot
        .cmd(["status", "pull"])
        .env("MOT_WHATSAPP_TOKEN", "expired-token")
        .assert()
        .code(6)
        .stderr(predicates::str::contains("status pull stopped"));
}

#[test]
fn the_relay_brings_webhook_events_to_the_laptop() {
    // The laptop sends; a server elsewhere receives the webhooks.
    let laptop = Rig::new(mock::Options::default(), 3, "");
    laptop.cmd(["send", "Hello", "--yes"]).assert().success();

    let server = Mot::new();
    let (child, addr) = serve(&server, true);
    for sent in laptop.mock.received() {
        assert_eq!(
            laptop.post(
                &addr,
                &mock::status_webhook(&sent, "delivered", 1_800_000_000)
            ),
            200
        );
    }
    let inbound =
        serde_json::from_str::<Value>(include_str!("../fixtures/webhooks/text_message.json"))
            .unwrap();
    assert_eq!(laptop.post(&addr, &inbound), 200);

    let mut config = std::fs::read_to_string(laptop.mot.config()).unwrap();
    config.push_str(&format!("[relay]\nurl = \"http://{addr}\"\n"));
    std::fs::write(laptop.mot.config(), config).unwrap();

    // Without the token the relay refuses; the error says what to set.
    laptop
        .cmd(["status", "pull"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("MOT_RELAY_TOKEN"));

    let (code, report) = {
        let out = laptop
            .cmd(["status", "pull", "--format", "json"])
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["relay"]["statuses"], 3);
    assert_eq!(report["relay"]["messages"], 1);
    assert_eq!(laptop.states(), ["delivered"; 3]);
    let (_, inbox) = laptop.json(&["inbox", "--format", "json"]);
    assert_eq!(
        inbox[0]["member_id"], 1,
        "the message is from member 1: {inbox}"
    );

    // Pulling again fetches nothing new: the cursor moved and the server knows it was acknowledged.
    let out = laptop
        .cmd(["status", "pull", "--format", "json"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .output()
        .unwrap();
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["relay"]["statuses"], 0);
    let unacked: i64 = server
        .sql()
        .query_row(
            "SELECT count(*) FROM webhook_events WHERE acked_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unacked, 0);
    stop(child);
}

#[test]
fn send_and_webhook_serve_share_one_database_without_losing_anything() {
    const MEMBERS: u32 = 150;
    let opts = mock::Options {
        latency: Duration::from_millis(20),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, MEMBERS, "");
    let (server, addr) = serve(&rig.mot, false);

    let mut send = Command::new(assert_cmd::cargo::cargo_bin("mot"))
        .args(["send", "Hello", "--yes"])
        .env_clear()
        .portable()
        .env("MOT_CONFIG", rig.mot.config())
        .env("MOT_DB", rig.mot.db())
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Statuses arrive while the send is still writing its ledger, often
    // before mot has recorded the answer to the send itself.
    let mut posted = 0;
    let start = Instant::now();
    loop {
        let received = rig.mock.received();
        for sent in &received[posted..] {
            for status in ["sent", "delivered"] {
                assert_eq!(
                    rig.post(&addr, &mock::status_webhook(sent, status, 1_800_000_000)),
                    200
                );
            }
        }
        posted = received.len();
        if send.try_wait().unwrap().is_some() && posted == rig.mock.received().len() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "send did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(send.wait().unwrap().code(), Some(0));
    stop(server);

    assert_eq!(posted, MEMBERS as usize);
    assert_eq!(
        rig.states(),
        vec!["delivered"; MEMBERS as usize],
        "every delivery saw its status"
    );
    let conn = rig.mot.sql();
    let events: i64 = conn
        .query_row("SELECT count(*) FROM status_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 2 * i64::from(MEMBERS));
    let with_wamid: i64 = conn
        .query_row(
            "SELECT count(*) FROM deliveries WHERE wamid IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(with_wamid, i64::from(MEMBERS));
}

#[test]
fn configured_replies_go_to_new_members_and_to_those_who_stop() {
    let rig = Rig::new(
        mock::Options::default(),
        0,
        "[signup]\nguided = false\n\
         [inbound]\nwelcome_reply = \"Welcome: reply with your role and location.\"\n\
         stop_reply = \"You will get no more messages. Send START to rejoin.\"",
    );
    let (child, addr) = serve_with(
        &rig.mot,
        false,
        &[("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)],
    );
    for fixture in [
        include_str!("../fixtures/webhooks/text_message.json"),
        include_str!("../fixtures/webhooks/text_stop.json"),
    ] {
        assert_eq!(
            rig.post(&addr, &serde_json::from_str(fixture).unwrap()),
            200
        );
    }
    let start = Instant::now();
    while rig.mock.received().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "replies never came: {:?}",
            rig.mock.received()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(child);
    let replies: Vec<(String, String)> = rig
        .mock
        .received()
        .iter()
        .map(|r| {
            (
                r.to.clone(),
                r.body["text"]["body"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert!(
        replies.iter().all(|(_, body)| !body.is_empty()),
        "{replies:?}"
    );
    assert!(
        replies.iter().any(|(_, b)| b.starts_with("Welcome")),
        "{replies:?}"
    );
    assert!(
        replies
            .iter()
            .any(|(_, b)| b.starts_with("You will get no more")),
        "{replies:?}"
    );
    assert!(rig.mock.received().iter().all(|r| r.body["type"] == "text"));
}

#[test]
fn inbound_patient_data_is_not_kept_anywhere() {
    let mut payload: Value =
        serde_json::from_str(include_str!("../fixtures/webhooks/text_message.json")).unwrap();
    let secret_text = "Can you check pt Mrs Khan NHS 999 876 5439 DOB 02/02/1950?";
    *payload
        .pointer_mut("/entry/0/changes/0/value/messages/0/text/body")
        .unwrap() = Value::String(secret_text.into());

    // A relay keeps raw payloads for the laptop: they must be clean.
    let relay = Mot::new();
    let (child, addr) = serve(&relay, true);
    let rig = Rig::new(mock::Options::default(), 1, "");
    assert_eq!(rig.post(&addr, &payload), 200);
    stop(child);
    let raw: Vec<u8> = relay
        .sql()
        .query_row("SELECT body FROM webhook_events", [], |r| r.get(0))
        .unwrap();
    let raw = String::from_utf8(raw).unwrap();
    assert!(raw.contains("[removed by mot:"), "{raw}");
    assert!(
        !raw.contains("999 876 5439") && !raw.contains("Khan"),
        "{raw}"
    );

    // A receiver that applies: the inbox keeps a marker and a flag, not the text.
    let (child, addr) = serve(&rig.mot, false);
    assert_eq!(rig.post(&addr, &payload), 200);
    stop(child);
    let (_, inbox) = rig.json(&["inbox", "--format", "json"]);
    let message = &inbox[0];
    assert_eq!(message["flagged"], "patient_data_removed", "{message}");
    let text = message["text"].as_str().unwrap();
    assert!(
        text.starts_with("[removed by mot:") && text.contains("NHS number"),
        "{text}"
    );
    let conn = rig.mot.sql();
    let anywhere: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM inbound WHERE text LIKE '%999 876%')
                  + (SELECT count(*) FROM webhook_events)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(anywhere, 0);
    let out = rig.cmd(["inbox"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed by mot"));
}

#[test]
fn the_relay_forgets_acknowledged_events_after_keep_acked() {
    let server = Mot::new();
    std::fs::write(server.config(), "[relay]\nkeep_acked = \"1s\"\n").unwrap();
    let (child, addr) = serve(&server, true);
    let rig = Rig::new(mock::Options::default(), 0, "");
    let fixture: Value =
        serde_json::from_str(include_str!("../fixtures/webhooks/status_read.json")).unwrap();
    assert_eq!(rig.post(&addr, &fixture), 200);
    let count = || -> i64 {
        server
            .sql()
            .query_row("SELECT count(*) FROM webhook_events", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(), 1);
    let acked = rig.rt.block_on(async {
        reqwest::Client::new()
            .post(format!("http://{addr}/events/ack"))
            .bearer_auth(RELAY_TOKEN)
            .json(&serde_json::json!({ "upto": 1 }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(acked, 200);
    assert_eq!(count(), 1, "kept for keep_acked after the acknowledgement");
    // Times are kept to the second: wait out a whole extra one.
    std::thread::sleep(Duration::from_millis(2100));
    // The next event the server handles prunes what was acknowledged long enough ago.
    assert_eq!(rig.post(&addr, &fixture), 200);
    stop(child);
    assert_eq!(count(), 1, "only the new, unacknowledged event is left");
}

/// A signed "STOP" from drama number 07700 900`n`.
fn stop_message(id: &str, n: u32) -> Value {
    text_message(id, n, "STOP")
}

/// A signed text message from drama number 07700 900`n`.
fn text_message(id: &str, n: u32, body: &str) -> Value {
    let from = format!("447700900{n:03}");
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "447700900999",
                         "phone_number_id": mock::DEFAULT_PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Member"}, "wa_id": from}],
            "messages": [{"from": from, "id": id, "timestamp": "1800000000",
                          "type": "text", "text": {"body": body}}]
        }}]}]
    })
}

#[test]
fn a_rebuilt_relay_is_read_from_its_beginning_so_no_stop_is_skipped() {
    let laptop = Rig::new(mock::Options::default(), 3, "");
    let pull = |addr: &str| {
        let config = std::fs::read_to_string(laptop.mot.config()).unwrap();
        let config = match config.find("[relay]") {
            Some(at) => config[..at].to_string(),
            None => config,
        };
        std::fs::write(
            laptop.mot.config(),
            format!("{config}[relay]\nurl = \"http://{addr}\"\n"),
        )
        .unwrap();
        laptop
            .cmd(["status", "pull", "--format", "json"])
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .assert()
            .success();
    };
    // The first relay: a few events move the laptop's cursor on.
    let first = Mot::new();
    let (child, addr) = serve(&first, true);
    let inbound =
        serde_json::from_str::<Value>(include_str!("../fixtures/webhooks/text_message.json"))
            .unwrap();
    for _ in 0..3 {
        assert_eq!(laptop.post(&addr, &inbound), 200);
    }
    pull(&addr);
    stop(child);

    // Rebuilt on a fresh database: its ids start again at 1, below the cursor.
    let rebuilt = Mot::new();
    let (child, addr) = serve(&rebuilt, true);
    assert_eq!(laptop.post(&addr, &stop_message("wamid.STOP2", 2)), 200);
    pull(&addr);
    stop(child);
    let status: String = laptop
        .mot
        .sql()
        .query_row(
            "SELECT status FROM members WHERE phone = ?1",
            [drama(2)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        status, "opted_out",
        "the rebuilt relay's first event was read"
    );
}

#[test]
fn a_status_without_callback_data_that_beats_the_send_record_is_not_lost() {
    const MEMBERS: u32 = 3;
    // Meta's answer to each send is slow; its status webhook is not.
    let opts = mock::Options {
        latency: Duration::from_millis(1500),
        ..mock::Options::default()
    };
    let rig = Rig::new(opts, MEMBERS, "");
    let (server, addr) = serve(&rig.mot, false);
    let mut send = Command::new(assert_cmd::cargo::cargo_bin("mot"))
        .args(["send", "Hello", "--yes"])
        .env_clear()
        .env("MOT_CONFIG", rig.mot.config())
        .env("MOT_DB", rig.mot.db())
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while rig.mock.received().len() < MEMBERS as usize {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "sends never arrived"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    for sent in rig.mock.received() {
        let mut webhook = mock::status_webhook(&sent, "delivered", 1_800_000_000);
        webhook["entry"][0]["changes"][0]["value"]["statuses"][0]
            .as_object_mut()
            .unwrap()
            .remove("biz_opaque_callback_data");
        assert_eq!(rig.post(&addr, &webhook), 200);
    }
    // Stored and applied while every row is still `sending` without a wamid.
    let waiting = Instant::now();
    while rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM status_events", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap()
        < i64::from(MEMBERS)
    {
        assert!(waiting.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(send.wait().unwrap().code(), Some(0));
    stop(server);
    assert_eq!(rig.states(), vec!["delivered"; MEMBERS as usize]);
}

/// Another program (a DB browser, a backup script, Python's `sqlite3`) opens
/// and closes the database over and over while the receiver, a send, the CLI,
/// a status pull and a purge all write to it: every write stays visible, is
/// still there after the receiver restarts, and the file stays sound. The
/// pull moves half the deliveries on, and the purge has something of every
/// kind it touches here: an old broadcast's rows and text, receipts, and a
/// sign-up never approved.
#[cfg(unix)]
#[test]
fn a_third_party_reader_never_makes_mot_lose_a_write() {
    const MEMBERS: u32 = 30;
    const PULLED: u32 = 15;
    let mut opts = mock::Options::default();
    // WhatsApp's history says the first PULLED messages were read.
    for n in 1..=PULLED {
        opts.history
            .insert(drama(n)[1..].to_string(), mock::Outcome::Read);
    }
    // Receipts are due at once, so the purge deletes every one seen so far.
    let rig = Rig::new(opts, MEMBERS, "[retention]\nstatus_events = \"0\"");
    // A notice sent and finished 400 days ago: its rows and text are due.
    rig.cmd(["send", "Old notice", "--yes"]).assert().success();
    let long_ago = days_ago(400);
    rig.mot
        .sql()
        .execute_batch(&format!(
            "UPDATE broadcasts SET created_at = '{long_ago}', not_after = '{long_ago}',
                    started_at = '{long_ago}', finished_at = '{long_ago}' WHERE id = 1;
             UPDATE deliveries SET state = 'delivered', sent_at = '{long_ago}',
                    updated_at = '{long_ago}' WHERE broadcast_id = 1;"
        ))
        .unwrap();

    let (server, addr) = serve(&rig.mot, false);
    // Opened and closed once while only the receiver has the file open, then
    // over and over while everything else runs.
    common::ThirdPartyReader::once(&rig.mot.db());
    let reader = common::ThirdPartyReader::start(rig.mot.db());

    rig.cmd(["send", "Hello", "--yes"]).assert().success();
    let sent = rig.mock.received()[MEMBERS as usize..].to_vec();
    assert_eq!(sent.len(), MEMBERS as usize);
    for (i, message) in sent.iter().enumerate() {
        assert_eq!(
            rig.post(
                &addr,
                &mock::status_webhook(message, "delivered", 1_800_000_000)
            ),
            200
        );
        if i == 10 {
            // The CLI writes while the receiver runs.
            rig.mot
                .add("Late Joiner", "07700 900500", "Pharmacist", "Leeds");
        }
    }
    // A stranger writes in: a sign-up, which then waits 40 days unapproved.
    let stranger = drama(600);
    assert_eq!(
        rig.post(&addr, &text_message("wamid.SIGNUP", 600, "Please add me")),
        200
    );
    // Every posted status is applied (read through fresh connections, as
    // the third party does).
    let start = Instant::now();
    while rig.states_of(2).iter().any(|s| s != "delivered") || rig.members_with(&stranger) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "statuses or a sign-up were acknowledged but not applied: {:?}",
            rig.states_of(2)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    rig.mot
        .sql()
        .execute(
            "UPDATE members SET created_at = ?1 WHERE phone = ?2",
            [days_ago(40), stranger.clone()],
        )
        .unwrap();

    // status pull writes what WhatsApp's history says.
    let (code, pulled) = rig.json(&["status", "pull", "--format", "json"]);
    assert_eq!(code, 0, "{pulled}");
    assert_eq!(pulled["moved"], serde_json::json!({ "read": PULLED }));
    let mut expected = vec!["read"; PULLED as usize];
    expected.resize(MEMBERS as usize, "delivered");
    assert_eq!(rig.states_of(2), expected);

    // purge deletes and rewrites something of every kind it touches here.
    let (code, purged) = rig.json(&["purge", "--format", "json"]);
    assert_eq!(code, 0, "{purged}");
    let records = |kind: &str| {
        purged["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == kind)
            .unwrap()["records"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(records("pending_signups"), 1, "{purged}");
    assert_eq!(records("broadcast_text"), 1, "{purged}");
    assert_eq!(records("deliveries"), i64::from(MEMBERS), "{purged}");
    assert!(records("status_events") >= i64::from(MEMBERS), "{purged}");
    let purge_stands = || {
        assert_eq!(rig.states_of(1), Vec::<String>::new(), "old rows came back");
        let (_, old) = rig.json(&["broadcasts", "show", "1", "--format", "json"]);
        assert_eq!(old["counts"]["delivered"], MEMBERS, "{old}");
        assert_eq!(
            old["text"], "[text removed: retention period over]",
            "{old}"
        );
        assert_eq!(
            rig.members_with(&stranger),
            0,
            "the purged sign-up came back"
        );
    };
    purge_stands();

    for message in &sent {
        assert_eq!(
            rig.post(&addr, &mock::status_webhook(message, "read", 1_800_000_100)),
            200
        );
    }
    let start = Instant::now();
    while rig.states_of(2).iter().any(|s| s != "read") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "read statuses were acknowledged but not applied: {:?}",
            rig.states_of(2)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(server);
    let opened = reader.stop();
    assert!(
        opened > 10,
        "the third party opened the file {opened} times"
    );

    // After the receiver restarts, nothing it, the CLI, the pull or the purge
    // wrote is gone.
    let (server, _) = serve(&rig.mot, false);
    stop(server);
    assert_eq!(rig.states_of(2), vec!["read"; MEMBERS as usize]);
    assert_eq!(
        rig.members_with("+447700900500"),
        1,
        "a member added from the CLI vanished"
    );
    purge_stands();
    assert_eq!(common::integrity(&rig.mot.db()), "ok");
}
