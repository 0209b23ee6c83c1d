//! Requests for information end to end: `mot request` through the mock,
//! answers arriving as signed webhooks at `mot webhook serve` and through
//! the relay with `mot status pull`, then `mot replies` and reminders.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::PredicateBooleanExt;
use serde_json::{Value, json};

use crate::common::platform::Portable;
use crate::common::{Mot, drama};
use crate::{common, mock};

const APP_SECRET: &str = common::server::SECRET;
const RELAY_TOKEN: &str = "test-relay-token";

struct Rig {
    mot: Mot,
    mock: mock::Mock,
    rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(members: u32, extra: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt
            .block_on(mock::Mock::start(mock::Options::default()))
            .unwrap();
        let mot = Mot::new();
        let extra = format!("rate_per_second = 500\n{extra}");
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

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Posts a payload to a receiver, signed with the app secret.
    fn post(&self, addr: &str, body: &Value) {
        let body = serde_json::to_vec(body).unwrap();
        let signature = mot::webhook::verify::sign(APP_SECRET.as_bytes(), &body);
        let status = self.rt.block_on(async {
            reqwest::Client::new()
                .post(format!("http://{addr}/webhook"))
                .header("x-hub-signature-256", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        assert_eq!(status, 200);
    }

    /// The wamid the mock gave the `nth` (0-based) send to member `n`.
    fn wamid(&self, n: u32, nth: usize) -> String {
        self.mock
            .received()
            .into_iter()
            .filter(|r| r.to == drama(n)[1..])
            .nth(nth)
            .unwrap_or_else(|| panic!("no send {nth} to member {n}"))
            .wamid
    }

    fn sends_to(&self, n: u32) -> usize {
        self.mock
            .received()
            .iter()
            .filter(|r| r.to == drama(n)[1..])
            .count()
    }
}

/// A running `mot webhook serve` on a free port, killed when dropped (no
/// signal needed: every answered event is already stored).
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(mot: &Mot, relay: bool) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
        cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"])
            .env_clear()
            .portable()
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
        let first = lines
            .by_ref()
            .map(Result::unwrap)
            .find(|l| l.contains("listening on"))
            .expect("the server says where it listens");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_string();
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the receiver has applied everything it acknowledged.
fn wait_applied(mot: &Mot) {
    let start = Instant::now();
    loop {
        let pending: i64 = mot
            .sql()
            .query_row(
                "SELECT count(*) FROM webhook_events WHERE applied_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if pending == 0 {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "never applied");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn envelope(value: Value) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "0000000000000001", "changes": [{ "field": "messages", "value": value }] }],
    })
}

/// A message from member `n`: `content` holds `type` and its object.
fn message(id: &str, n: u32, at: i64, mut content: Value, context: Option<&str>) -> Value {
    let from = drama(n)[1..].to_string();
    content["id"] = json!(id);
    content["from"] = json!(from);
    content["timestamp"] = json!(at.to_string());
    if let Some(wamid) = context {
        content["context"] = json!({ "from": "447700900999", "id": wamid });
    }
    envelope(json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "447700900999", "phone_number_id": mock::DEFAULT_PHONE_NUMBER_ID },
        "contacts": [{ "profile": { "name": format!("Member {n}") }, "wa_id": from }],
        "messages": [content],
    }))
}

fn text(id: &str, n: u32, at: i64, body: &str) -> Value {
    message(
        id,
        n,
        at,
        json!({ "type": "text", "text": { "body": body } }),
        None,
    )
}

fn quoting(id: &str, n: u32, at: i64, body: &str, wamid: &str) -> Value {
    message(
        id,
        n,
        at,
        json!({ "type": "text", "text": { "body": body } }),
        Some(wamid),
    )
}

fn tap(id: &str, n: u32, at: i64, label: &str, payload: &str, wamid: &str) -> Value {
    message(
        id,
        n,
        at,
        json!({ "type": "button", "button": { "text": label, "payload": payload } }),
        Some(wamid),
    )
}

/// Reports every send so far to member `n` as delivered.
fn delivered(rig: &Rig, addr: &str, members: &[u32]) {
    for sent in rig.mock.received() {
        if members.iter().any(|n| sent.to == drama(*n)[1..]) {
            rig.post(
                addr,
                &mock::status_webhook(&sent, "delivered", now() as u64),
            );
        }
    }
}

fn answer_of(replies: &Value, member: i64) -> Option<&Value> {
    replies["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["member_id"] == member)
}

fn tally(replies: &Value) -> Vec<(Value, i64)> {
    replies["tally"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["option"].clone(), t["count"].as_i64().unwrap()))
        .collect()
}

#[test]
fn answers_by_number_words_context_stop_patient_data_late_and_replacement() {
    let rig = Rig::new(7, "");
    let out = rig
        .cmd([
            "request",
            "Who has amoxicillin 250mg capsules?",
            "--option",
            "In stock",
            "--option",
            "Out of stock",
            "--option",
            "Can order in",
            "--closes-in",
            "1h",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sent = rig.mock.received();
    assert_eq!(sent.len(), 7);
    let body = sent[0].body.to_string();
    assert!(
        body.contains("Reply 1 In stock · 2 Out of stock · 3 Can order in"),
        "{body}"
    );

    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    // Everyone but member 6 reports delivered.
    delivered(&rig, addr, &[1, 2, 3, 4, 5, 7]);
    let t = now() + 5;
    rig.post(addr, &text("wamid.R1", 1, t, "1"));
    rig.post(addr, &text("wamid.R2", 2, t, "out of stock!"));
    rig.post(
        addr,
        &quoting("wamid.R3", 3, t, "Can order in", &rig.wamid(3, 0)),
    );
    rig.post(addr, &text("wamid.R4", 4, t, "STOP"));
    rig.post(
        addr,
        &text(
            "wamid.R5",
            5,
            t,
            "In stock, is it for pt Mrs Khan NHS 999 876 5439 DOB 02/02/1950?",
        ),
    );
    // Member 1 changes their mind on time; member 2 answers again too late.
    rig.post(addr, &text("wamid.R6", 1, t + 60, "2 Out of stock"));
    wait_applied(&rig.mot);
    // A message is never dated later than mot received it, so "too late"
    // is a request whose closing time has passed: moved back for R7 only.
    let closes: String = rig
        .mot
        .sql()
        .query_row("SELECT closes_at FROM requests", [], |r| r.get(0))
        .unwrap();
    let set_closes = |at: &str| {
        rig.mot
            .sql()
            .execute("UPDATE requests SET closes_at = ?1", [at])
            .unwrap();
    };
    set_closes("2000-01-01T00:00:00Z");
    rig.post(
        addr,
        &quoting("wamid.R7", 2, t + 7200, "1", &rig.wamid(2, 0)),
    );
    wait_applied(&rig.mot);
    set_closes(&closes);

    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(replies["request"]["options"][2], "Can order in");
    let a1 = answer_of(&replies, 1).unwrap();
    assert_eq!(
        (a1["option"].clone(), a1["late"].clone()),
        (json!(2), json!(false)),
        "{a1}"
    );
    assert_eq!(a1["answer"], "Out of stock");
    let a2 = answer_of(&replies, 2).unwrap();
    assert_eq!(
        a2["option"], 2,
        "a late answer does not replace an on-time one: {a2}"
    );
    assert_eq!(answer_of(&replies, 3).unwrap()["option"], 3);
    assert!(answer_of(&replies, 4).is_none(), "STOP is never an answer");
    let a5 = answer_of(&replies, 5).unwrap();
    assert_eq!(a5["answer"], "removed: patient data");
    assert_eq!(a5["option"], Value::Null);
    assert_eq!(
        tally(&replies),
        [
            (json!(1), 0),
            (json!(2), 2),
            (json!(3), 1),
            (Value::Null, 0),
            (Value::Null, 1)
        ]
    );
    assert_eq!(replies["missing"], json!([4, 6, 7]));
    let stored: i64 = rig
        .mot
        .sql()
        .query_row(
            "SELECT count(*) FROM inbound WHERE text LIKE '%999 876%' OR text LIKE '%Khan%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0, "the patient's details are not kept");

    // Every message is listed; only the latest on-time one counts.
    let all = rig.json(&["replies", "1", "--all", "--format", "json"]);
    let messages = all["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 6, "{messages:#?}");
    let late = messages.iter().find(|m| m["late"] == true).unwrap();
    assert_eq!(
        (late["member_id"].clone(), late["counted"].clone()),
        (json!(2), json!(false))
    );
    let table = rig.stdout(&["replies", "1", "--all"]);
    assert!(
        table.contains("only_open") && table.contains("context"),
        "{table}"
    );

    // --missing tells "not delivered" from "did not answer".
    let missing = rig.stdout(&["replies", "1", "--missing", "--format", "csv"]);
    let lines: Vec<&str> = missing.lines().collect();
    assert_eq!(lines.len(), 4, "{missing}");
    assert!(
        lines[2].starts_with("6,") && lines[2].contains("not yet reported delivered"),
        "{missing}"
    );
    assert!(
        lines[3].starts_with("7,") && lines[3].contains("delivered, no answer"),
        "{missing}"
    );
    let table = rig.stdout(&["replies", "1"]);
    assert!(table.contains("4 of 7 recipient(s) answered"), "{table}");
    // One row per recipient, those without an answer included.
    let csv = rig.stdout(&["replies", "1", "--format", "csv"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 7, "{csv}");
    assert!(
        rows[0].starts_with("1,") && rows[0].contains("2 Out of stock"),
        "{csv}"
    );
    assert!(
        rows[3].starts_with("4,") && rows[3].contains("(no answer yet)"),
        "{csv}"
    );
    assert!(rows[4].contains("removed: patient data"), "{csv}");

    // A reminder reaches only delivered, active non-responders (7: not 4,
    // who stopped, nor 6, never delivered), and never twice.
    let before: Vec<usize> = (1..=7).map(|n| rig.sends_to(n)).collect();
    let out = rig
        .cmd(["requests", "remind", "1", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after: Vec<usize> = (1..=7).map(|n| rig.sends_to(n)).collect();
    let expected: Vec<usize> = before
        .iter()
        .enumerate()
        .map(|(i, b)| b + usize::from(i == 6))
        .collect();
    assert_eq!(after, expected);
    let reminder = rig.mock.received().last().unwrap().body.to_string();
    assert!(
        reminder.contains("Reminder: Who has amoxicillin"),
        "{reminder}"
    );
    let out = rig
        .cmd(["requests", "remind", "1", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("no reminder sent") && said.contains("next is allowed"),
        "{said}"
    );
    assert_eq!(
        (1..=7).map(|n| rig.sends_to(n)).collect::<Vec<_>>(),
        expected
    );

    // An answer quoting the reminder counts for the request.
    rig.post(
        addr,
        &quoting("wamid.R8", 7, now() + 10, "in stock", &rig.wamid(7, 1)),
    );
    wait_applied(&rig.mot);
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&replies, 7).unwrap()["option"], 1);
    assert_eq!(replies["missing"], json!([4, 6]));
    let list = rig.json(&["requests", "list", "--format", "json"]);
    assert_eq!(list[0]["answered"], 5);
    assert_eq!(list[0]["reminders"], 1);

    // Closed early: later answers are kept, marked late.
    rig.cmd(["requests", "close", "1"]).assert().success();
    rig.post(
        addr,
        &quoting("wamid.R9", 6, now() + 20, "3", &rig.wamid(6, 0)),
    );
    wait_applied(&rig.mot);
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    let a6 = answer_of(&replies, 6).unwrap();
    assert_eq!(
        (a6["option"].clone(), a6["late"].clone()),
        (json!(3), json!(true))
    );
    assert_eq!(replies["request"]["open"], false);
    // A closed request is a normal day for a cron line: nobody is reminded.
    rig.cmd(["requests", "remind", "1", "--yes"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("closed"));
}

/// `mot request` names the request and the command that shows its answers;
/// `requests remind --all-open` chases every open request from cron, where
/// nobody to remind, a recent reminder and a closed request exit 0.
#[test]
fn requests_are_named_and_every_open_one_is_reminded_from_cron() {
    let rig = Rig::new(3, "");
    let ask = |question: &str, format: &str| {
        rig.stdout(&[
            "request", question, "--option", "Yes", "--option", "No", "--yes", "--format", format,
        ])
    };
    let first = ask("Who has amoxicillin 250mg capsules?", "table");
    assert!(
        first.contains("request 1: see the answers with `mot replies 1`"),
        "{first}"
    );
    let second: Value = serde_json::from_str(&ask("Who has salbutamol inhalers?", "json")).unwrap();
    assert_eq!(second["broadcast_id"], 2);
    assert_eq!(second["request_id"], 2);
    assert_eq!(second["replies_command"], "mot replies 2");
    ask("Who is open on Sunday?", "table");
    rig.cmd(["requests", "close", "3"]).assert().success();
    rig.cmd(["status", "pull"]).assert().success();
    let sent = rig.mock.received().len();
    assert_eq!(sent, 9);

    // Without a terminal a reminder to send needs --yes; nothing goes.
    rig.cmd(["requests", "remind", "--all-open"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--yes"));
    assert_eq!(rig.mock.received().len(), sent);

    let all = rig.json(&[
        "requests",
        "remind",
        "--all-open",
        "--yes",
        "--format",
        "json",
    ]);
    let outcomes: Vec<(Value, Value)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["request_id"].clone(), l["outcome"].clone()))
        .collect();
    assert_eq!(
        outcomes,
        [(json!(1), json!("sent")), (json!(2), json!("sent"))],
        "the closed request 3 is left out: {all}"
    );
    assert_eq!(all[1]["reminder"]["request_id"], 2);
    assert_eq!(all[1]["reminder"]["replies_command"], "mot replies 2");
    assert_eq!(rig.mock.received().len(), sent + 6);

    // Run again by cron: reminded recently, nothing sent, exit 0.
    let again = rig.json(&["requests", "remind", "--all-open", "--format", "json"]);
    assert_eq!(again[0]["outcome"], "reminded_recently", "{again}");
    assert_eq!(rig.mock.received().len(), sent + 6);
    // A closed request named by id: exit 0, said on stderr.
    rig.cmd(["requests", "remind", "3"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("request 3 closed at"));
    rig.cmd(["requests", "close", "1"]).assert().success();
    rig.cmd(["requests", "close", "2"]).assert().success();
    rig.cmd(["requests", "remind", "--all-open"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("no request is open"));
    // An id that is no request is still an error.
    rig.cmd(["requests", "remind", "9", "--yes"])
        .assert()
        .code(1);
}

#[test]
fn buttons_carry_payloads_and_two_open_requests_leave_plain_replies_unlinked() {
    let rig = Rig::new(4, "[request]\nbuttons = [\"Yes\", \"No\"]\n");
    // Options must be the template's labels.
    rig.cmd(["request", "Open on Monday?", "--option", "Maybe", "--yes"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("Yes, No"));
    rig.cmd(["request", "Open on Monday?", "--yes"])
        .assert()
        .success();
    let body = &rig.mock.received()[0].body;
    let components = &body["template"]["components"];
    assert_eq!(components[1]["sub_type"], "quick_reply");
    assert_eq!(components[1]["parameters"][0]["payload"], "mot:req=1:opt=1");
    assert_eq!(components[2]["index"], "1");
    assert_eq!(components[2]["parameters"][0]["payload"], "mot:req=1:opt=2");
    assert!(
        !body.to_string().contains("Reply 1"),
        "buttons show the choices"
    );
    rig.cmd([
        "request",
        "Open on Tuesday?",
        "--option",
        "no",
        "--option",
        "yes",
        "--yes",
    ])
    .assert()
    .success();
    let second = &rig.mock.received()[4].body["template"]["components"];
    assert_eq!(
        second[1]["parameters"][0]["payload"], "mot:req=2:opt=2",
        "button 0 is Yes, option 2"
    );

    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    let t = now() + 5;
    // Taps are unambiguous even with two requests open.
    rig.post(
        addr,
        &tap("wamid.B1", 1, t, "No", "mot:req=1:opt=2", &rig.wamid(1, 0)),
    );
    rig.post(
        addr,
        &tap("wamid.B2", 2, t, "Yes", "mot:req=2:opt=2", &rig.wamid(2, 1)),
    );
    // A plain reply with two open requests and no context links to neither.
    rig.post(addr, &text("wamid.B3", 3, t, "Yes"));
    // Quoting picks the request.
    rig.post(addr, &quoting("wamid.B4", 4, t, "no", &rig.wamid(4, 1)));
    wait_applied(&rig.mot);

    let one = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&one, 1).unwrap()["option"], 2);
    assert!(answer_of(&one, 3).is_none() && answer_of(&one, 4).is_none());
    assert_eq!(one["ambiguous"], 1);
    let two = rig.json(&["replies", "2", "--format", "json"]);
    assert_eq!(answer_of(&two, 2).unwrap()["answer"], "Yes");
    assert_eq!(answer_of(&two, 4).unwrap()["option"], 1);
    assert_eq!(two["ambiguous"], 1);
    let table = rig.stdout(&["replies", "2"]);
    assert!(
        table.contains("1 message(s) may answer this request"),
        "{table}"
    );
    let unlinked = rig.json(&["inbox", "--unlinked", "--format", "json"]);
    assert_eq!(unlinked.as_array().unwrap().len(), 1);
    assert_eq!(unlinked[0]["text"], "Yes");

    // Once request 1 is closed, a plain reply has one open request.
    rig.cmd(["requests", "close", "1"]).assert().success();
    rig.post(addr, &text("wamid.B5", 3, now() + 10, "YES"));
    wait_applied(&rig.mot);
    let two = rig.json(&["replies", "2", "--format", "json"]);
    assert_eq!(answer_of(&two, 3).unwrap()["option"], 2);
}

#[test]
fn answers_arrive_through_the_relay_and_status_pull() {
    let laptop = Rig::new(3, "");
    laptop
        .cmd([
            "request",
            "Bank holiday hours confirmed?",
            "--option",
            "Yes",
            "--option",
            "Changed",
            "--survey-url",
            "https://forms.example.nhs.uk/hours",
            "--yes",
        ])
        .assert()
        .success();
    assert!(
        laptop.mock.received()[0]
            .body
            .to_string()
            .contains("Or answer online: https://forms.example.nhs.uk/hours")
    );
    let relay = Mot::new();
    let server = Server::start(&relay, true);
    let addr = server.addr.as_str();
    for sent in laptop.mock.received() {
        laptop.post(
            addr,
            &mock::status_webhook(&sent, "delivered", now() as u64),
        );
    }
    let t = now() + 5;
    laptop.post(addr, &text("wamid.P1", 1, t, "2"));
    laptop.post(addr, &text("wamid.P2", 2, t, "  yes. "));
    laptop.post(addr, &text("wamid.P3", 2, t + 30, "changed"));
    let mut config = std::fs::read_to_string(laptop.mot.config()).unwrap();
    config.push_str(&format!("[relay]\nurl = \"http://{addr}\"\n"));
    std::fs::write(laptop.mot.config(), config).unwrap();
    laptop
        .cmd(["status", "pull"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .success();

    let replies = laptop.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&replies, 1).unwrap()["option"], 2);
    assert_eq!(
        answer_of(&replies, 2).unwrap()["option"],
        2,
        "replaced by the later answer"
    );
    assert_eq!(
        tally(&replies)[..2],
        [(json!(1), 0), (json!(2), 2)],
        "{replies}"
    );
    assert_eq!(replies["missing"], json!([3]));
    assert_eq!(replies["tally"][1]["percent"], 100.0);
    let csv = laptop.stdout(&["replies", "1", "--format", "csv"]);
    assert!(
        csv.starts_with("member,name,role,location,answer,answered_at,late\n"),
        "{csv}"
    );
}

#[test]
fn the_dry_run_shows_the_choices_as_members_will_see_them() {
    let rig = Rig::new(2, "");
    let out = rig.stdout(&[
        "request",
        "Who can lend salbutamol inhalers?",
        "--option",
        "Can lend",
        "--option",
        "Cannot",
        "--dry-run",
    ]);
    assert!(out.contains("Reply 1 Can lend · 2 Cannot"), "{out}");
    assert!(rig.mock.received().is_empty());
    let count: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
    // Patient data in a question is refused like any broadcast.
    rig.cmd([
        "request",
        "Who has stock for Mrs Khan NHS 999 876 5439?",
        "--option",
        "Yes",
        "--yes",
    ])
    .assert()
    .code(4);
}

#[test]
fn a_survey_button_gets_the_end_of_the_link_and_the_text_does_not() {
    let rig = Rig::new(
        1,
        "[request]\nbuttons = [\"Yes\", \"No\"]\nsurvey_button = \"https://forms.example.nhs.uk/\"\n",
    );
    rig.cmd([
        "request",
        "Bank holiday hours?",
        "--survey-url",
        "https://elsewhere.example.com/form",
        "--yes",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("https://forms.example.nhs.uk/"));
    rig.cmd([
        "request",
        "Bank holiday hours?",
        "--survey-url",
        "https://forms.example.nhs.uk/hours-2027",
        "--yes",
    ])
    .assert()
    .success();
    let body = &rig.mock.received()[0].body;
    let components = &body["template"]["components"];
    assert_eq!(components[3]["sub_type"], "url");
    assert_eq!(components[3]["index"], "2");
    assert_eq!(components[3]["parameters"][0]["text"], "hours-2027");
    assert!(!body.to_string().contains("Or answer online"), "{body}");
}

/// Options, the question and the survey link go to every member: a bell or
/// a bidi override (`--option $'Yes\u202e'` reading as another option) is
/// refused, naming the character and where it is, before anything is sent.
#[test]
fn control_and_bidi_characters_in_a_request_are_refused_with_where() {
    let mot = Mot::new();
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["Stock?", "--option", "Yes\u{7}", "--option", "No"],
            "U+0007",
            "character 4",
        ),
        (
            &["Stock?", "--option", "Yes", "--option", "\u{202e}seY"],
            "U+202E",
            "character 1",
        ),
        (
            &["Stock?", "--option", "In\u{1b}stock", "--option", "No"],
            "U+001B",
            "character 3",
        ),
        (
            &["Who has \u{2067}stock?", "--option", "Yes"],
            "U+2067",
            "line 1, column 9",
        ),
        (
            &["Form?", "--survey-url", "https://forms.example/\u{202e}x"],
            "U+202E",
            "character 23",
        ),
    ];
    for (args, char, at) in cases {
        let out = mot
            .cmd(["request", "--dry-run"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(char), "{args:?}: {stderr}");
        assert!(stderr.contains(at), "{args:?}: {stderr}");
    }
}

#[test]
fn a_plain_answer_after_the_close_is_kept_late_and_replies_counts_the_unlinked() {
    let rig = Rig::new(3, "");
    rig.cmd([
        "request",
        "Can you take part in the audit?",
        "--option",
        "Yes",
        "--option",
        "No",
        "--closes-in",
        "1d",
        "--yes",
    ])
    .assert()
    .success();
    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    delivered(&rig, addr, &[1, 2, 3]);
    rig.post(addr, &text("wamid.L1", 1, now() + 1, "1"));
    wait_applied(&rig.mot);
    rig.cmd(["requests", "close", "1"]).assert().success();
    // Member 2 answers after the close without quoting the request: it is
    // their only request within a day of closing, so the answer is kept, late.
    rig.post(addr, &text("wamid.L2", 2, now() + 2, "2"));
    wait_applied(&rig.mot);
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    let a2 = answer_of(&replies, 2).expect("the late answer is linked");
    assert_eq!(
        (a2["option"].clone(), a2["late"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(tally(&replies)[..2], [(json!(1), 1), (json!(2), 1)]);
    let table = rig.stdout(&["replies", "1"]);
    assert!(
        table.contains("2 of 3 recipient(s) answered (1 late)"),
        "{table}"
    );

    // Long past its late window, a plain message links to nothing, and
    // `mot replies` says it arrived.
    let conn = rig.mot.sql();
    conn.execute_batch(
        "UPDATE broadcasts SET created_at = '2026-01-01T09:00:00Z' WHERE id = 1;
         UPDATE requests SET closes_at = '2026-01-02T09:00:00Z',
                             closed_at = '2026-01-02T09:00:00Z';",
    )
    .unwrap();
    drop(conn);
    rig.post(addr, &text("wamid.L3", 3, now() + 3, "Yes please"));
    wait_applied(&rig.mot);
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert!(answer_of(&replies, 3).is_none());
    assert_eq!(replies["unlinked_since_sent"], 1);
    let table = rig.stdout(&["replies", "1"]);
    assert!(
        table.contains(
            "1 message(s) from its recipients since it was sent are linked to no request"
        ),
        "{table}"
    );
}

/// `members export-data` of one of two members who answered the same
/// request holds every kind of record about them (details, consent, the
/// messages received as stored, deliveries and their statuses, request
/// answers, audit rows) and no other member's name, number or id.
#[test]
fn export_data_holds_everything_about_one_member_and_nothing_about_another() {
    let rig = Rig::new(2, "");
    rig.cmd(["members", "edit", "1", "--location", "Leeds LS1"])
        .assert()
        .success();
    rig.cmd([
        "request",
        "Open on Monday?",
        "--option",
        "yes",
        "--option",
        "no",
        "--yes",
    ])
    .assert()
    .success();
    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    let t = now() + 5;
    rig.post(addr, &text("wamid.X1", 1, t, "1"));
    rig.post(addr, &text("wamid.X2", 2, t, "2"));
    for sent in rig.mock.received() {
        rig.post(addr, &mock::status_webhook(&sent, "delivered", t as u64));
    }
    wait_applied(&rig.mot);
    drop(server);

    let data = rig.json(&["members", "export-data", "07700900001", "--format", "json"]);
    for part in [
        "details",
        "consent",
        "messages_received",
        "deliveries",
        "delivery_statuses",
        "request_answers",
        "audit",
    ] {
        assert!(
            !data[part].as_array().unwrap().is_empty(),
            "{part} is empty: {data:#}"
        );
    }
    assert_eq!(data["details"][0]["id"], 1);
    assert_eq!(data["details"][0]["location"], "Leeds LS1");
    assert_eq!(data["messages_received"][0]["wa_message_id"], "wamid.X1");
    assert_eq!(data["request_answers"][0]["option"], 1);
    let text = data.to_string();
    for other in [
        "Member 2",
        "447700900002",
        "7700900002",
        "wamid.X2",
        "\"member_id\":2",
    ] {
        assert!(!text.contains(other), "{other} in {text}");
    }
    // The table is for people; the export is audited.
    let table = rig.stdout(&["members", "export-data", "1"]);
    assert!(table.contains("request_answers (1):"), "{table}");
    let audited: i64 = rig
        .mot
        .sql()
        .query_row(
            "SELECT count(*) FROM audit WHERE command = 'members export-data'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
}

/// Issue 21: "Option 2" is an answer; a free-text answer can be filed by
/// hand (`mot replies ID --assign MESSAGE OPTION`, audited, shown "by
/// hand"), never as an option the request lacks or for someone it did not
/// go to; a plain request to leave is flagged in the inbox with the
/// commands that settle it.
#[test]
fn answers_are_read_as_written_filed_by_hand_and_requests_to_leave_flagged() {
    let rig = Rig::new(3, "");
    rig.cmd([
        "request",
        "Do you have amoxicillin 250mg?",
        "--option",
        "In stock",
        "--option",
        "Out of stock",
        "--option",
        "Can order in",
        "--yes",
    ])
    .assert()
    .success();
    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    delivered(&rig, addr, &[1, 2, 3]);
    rig.post(addr, &text("wamid.H1", 1, now() + 1, "we've got loads"));
    rig.post(addr, &text("wamid.H2", 2, now() + 2, "Option 2"));
    rig.post(addr, &text("wamid.H3", 50, now() + 3, "Hello"));
    rig.post(
        addr,
        &text("wamid.H4", 3, now() + 4, "please remove me from this list"),
    );
    wait_applied(&rig.mot);
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&replies, 2).unwrap()["option"], 2);
    assert_eq!(answer_of(&replies, 1).unwrap()["option"], Value::Null);

    let inbox = rig.json(&["inbox", "--format", "json"]);
    let id_of = |text: &str| {
        inbox
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["text"] == text)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (free, stranger, leave) = (
        id_of("we've got loads"),
        id_of("Hello"),
        id_of("please remove me from this list"),
    );
    rig.cmd(["replies", "1", "--assign", &free, "4"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("options 1 to 3, not 4"));
    rig.cmd(["replies", "1", "--assign", &stranger, "1"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "is not from a recipient of request 1",
        ));
    rig.cmd(["replies", "1", "--assign", &free, "1"])
        .assert()
        .success();
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    let a1 = answer_of(&replies, 1).unwrap();
    assert_eq!(
        (a1["option"].clone(), a1["by_hand"].clone()),
        (json!(1), json!(true))
    );
    assert!(
        rig.stdout(&["replies", "1"])
            .contains("1 In stock (by hand)")
    );
    let audited: i64 = rig
        .mot
        .sql()
        .query_row(
            "SELECT count(*) FROM audit WHERE command = 'replies assign'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);

    // The request to leave: flagged, named with its two ways out.
    let leaving = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"] == "please remove me from this list")
        .unwrap();
    assert_eq!(leaving["flagged"], "likely_opt_out");
    rig.cmd(["inbox"]).assert().success().stderr(predicates::str::contains(format!(
        "`mot members opt-out 3` lets the member go, or `mot inbox --dismiss {leave}` keeps them"
    )));
    rig.cmd(["inbox", "--dismiss", &leave]).assert().success();
    rig.cmd(["inbox"])
        .assert()
        .success()
        .stderr(predicates::str::contains("likely_opt_out").not());
    rig.cmd(["inbox", "--dismiss", &leave])
        .assert()
        .failure()
        .stderr(predicates::str::contains("not flagged as a likely opt-out"));
    rig.cmd(["inbox", "--dismiss", "9999"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("no message 9999"));
}

/// Several requests to leave: the inbox's hint lists each message with its
/// member, after the table (which is flushed first).
#[test]
fn the_inbox_lists_every_request_to_leave_under_the_table() {
    let rig = Rig::new(3, "");
    rig.mot
        .sql()
        .execute_batch(
            "INSERT INTO inbound (wa_message_id, member_id, phone, type, text, action, at,
                 received_at, opt_out)
             SELECT 'wamid.L' || id, id, phone, 'text', 'please take me off this', 'message',
                 '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z', 'likely'
             FROM members WHERE id IN (1, 3);",
        )
        .unwrap();
    let out = rig.cmd(["inbox"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 messages read like a request to leave"),
        "{stderr}"
    );
    assert!(stderr.contains("  message 1 from member 1"), "{stderr}");
    assert!(stderr.contains("  message 2 from member 3"), "{stderr}");
}

/// Trial of issue 21: filing by hand refuses a message received before the
/// request was sent and one already tied to another request (naming it),
/// says what it replaces when a member's answer changes (and audits it),
/// and takes the filed message out of `mot inbox --unlinked`.
#[test]
fn filing_by_hand_refuses_earlier_and_other_requests_messages_and_says_what_it_replaces() {
    let rig = Rig::new(3, "");
    for (question, options) in [
        (
            "Do you have amoxicillin 250mg?",
            ["In stock", "Out of stock"],
        ),
        ("Can you cover Saturday?", ["Yes", "No"]),
    ] {
        rig.cmd([
            "request", question, "--option", options[0], "--option", options[1], "--yes",
        ])
        .assert()
        .success();
    }
    let server = Server::start(&rig.mot, false);
    let addr = server.addr.as_str();
    delivered(&rig, addr, &[1, 2, 3]);
    // Written before either request existed: it cannot answer one.
    rig.post(addr, &text("wamid.E1", 1, now() - 19, "too many messages"));
    // Quotes request 1: its answer, option 2.
    let quoted = rig.wamid(2, 0);
    rig.post(addr, &quoting("wamid.E2", 2, now() + 1, "2", &quoted));
    // Plain, with two requests open: left unlinked.
    rig.post(addr, &text("wamid.E3", 2, now() + 2, "we have loads now"));
    wait_applied(&rig.mot);
    let inbox = rig.json(&["inbox", "--format", "json"]);
    let id_of = |text: &str| {
        inbox
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["text"] == text)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (early, answer, plain) = (
        id_of("too many messages"),
        id_of("2"),
        id_of("we have loads now"),
    );
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&replies, 2).unwrap()["option"], 2);

    rig.cmd(["replies", "1", "--assign", &early, "1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "message {early} was received at"
        )))
        .stderr(predicates::str::contains("before request 1 was sent at"));
    rig.cmd(["replies", "2", "--assign", &answer, "1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "message {answer} already belongs to request 1, not request 2"
        )))
        .stderr(predicates::str::contains("mot replies 1 --all"));
    let replies = rig.json(&["replies", "2", "--format", "json"]);
    assert!(answer_of(&replies, 1).is_none(), "{replies}");
    assert!(answer_of(&replies, 2).is_none(), "{replies}");
    let filed: i64 = rig
        .mot
        .sql()
        .query_row(
            "SELECT count(*) FROM request_replies WHERE how = 'hand'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(filed, 0, "nothing filed by a refusal");

    let unlinked = rig.stdout(&["inbox", "--unlinked", "--format", "json"]);
    assert!(unlinked.contains("we have loads now"), "{unlinked}");
    rig.cmd(["replies", "1", "--assign", &plain, "1"])
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "member 2's answer was 2 Out of stock (from message {answer}); \
             it is now 1 In stock (by hand)"
        )));
    let replies = rig.json(&["replies", "1", "--format", "json"]);
    assert_eq!(answer_of(&replies, 2).unwrap()["option"], 1);
    let unlinked = rig.stdout(&["inbox", "--unlinked", "--format", "json"]);
    assert!(!unlinked.contains("we have loads now"), "{unlinked}");
    let replaced: String = rig
        .mot
        .sql()
        .query_row(
            "SELECT json_extract(detail, '$.replaced') FROM audit WHERE command = 'replies assign'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let replaced: Value = serde_json::from_str(&replaced).unwrap();
    assert_eq!(
        replaced,
        json!({ "message_id": answer.parse::<i64>().unwrap(), "option": 2, "how": "context" })
    );
    // Filing the same again changes nothing, and says nothing of a change.
    rig.cmd(["replies", "1", "--assign", &plain, "1"])
        .assert()
        .success()
        .stderr(predicates::str::contains("answer was").not());
}
