//! The guided sign-up conversation end to end (issue 22): the real `mot
//! webhook serve` (or a relay and the laptop's `mot status pull`), the mock
//! Graph API enforcing the 24-hour window, and Meta's own payload shapes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Mot;
use crate::common::platform::Portable;
use crate::common::server::{RELAY_TOKEN, SECRET};
use crate::mock;
use crate::mock::inbound::Message;

/// The member-to-be (an Ofcom drama number).
const FROM: &str = "447700900123";
const ROLES: &str = "[signup]\nroles = [\"Community pharmacist\", \"GP practice pharmacist\"]\n";

struct Rig {
    mot: Mot,
    mock: mock::Mock,
    rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(extra: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let opts = mock::Options {
            enforce_window: true,
            ..mock::Options::default()
        };
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        mot.use_mock(&mock.base_url(), mock::DEFAULT_PHONE_NUMBER_ID, extra);
        Rig { mot, mock, rt }
    }

    fn cmd<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(
        &self,
        args: I,
    ) -> assert_cmd::Command {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN);
        cmd
    }

    /// The person writes: Meta opens their window (the mock is told) and
    /// posts the message to `addr`.
    fn say(&self, addr: &str, m: &Message) {
        self.mock.customer_wrote(&m.from);
        self.post(addr, m);
    }

    fn post(&self, addr: &str, m: &Message) {
        let body = serde_json::to_vec(&m.payload()).unwrap();
        let signature = mot::webhook::verify::sign(SECRET.as_bytes(), &body);
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

    /// Waits until the mock accepted `n` messages; returns them.
    fn sent(&self, n: usize) -> Vec<mock::Received> {
        let start = Instant::now();
        loop {
            let received = self.mock.received();
            if received.len() >= n {
                return received;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{n} message(s) never came: {:#?}",
                received.iter().map(|r| &r.body).collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn show(&self) -> Value {
        let out = self
            .cmd(["members", "show", "07700900123", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// What became of each message mot sent on its own, in order.
    fn outcomes(&self) -> Vec<String> {
        self.mot
            .sql()
            .prepare(
                "SELECT kind || ':' || coalesce(outcome, '-') FROM member_messages ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

/// `mot webhook serve` on `mot`'s database, with the mock's token (or only
/// storing, for a laptop, with `relay`). Returns the child and its address.
fn serve(mot: &Mot, relay: bool) -> (Child, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
    cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .portable()
        .env("MOT_CONFIG", mot.config())
        .env("MOT_DB", mot.db())
        .env("MOT_WHATSAPP_APP_SECRET", SECRET)
        .env("MOT_WEBHOOK_VERIFY_TOKEN", "test-verify-token")
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .env(
            "MOT_WHATSAPP_PHONE_NUMBER_ID",
            mock::DEFAULT_PHONE_NUMBER_ID,
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
    (child, addr)
}

fn stop(mut child: Child) {
    crate::common::platform::interrupt(child.id());
    assert!(child.wait().unwrap().success());
}

/// Where the conversation goes: straight to a receiver, or through a relay
/// the laptop pulls from.
enum Path {
    Direct {
        child: Child,
        addr: String,
    },
    Relay {
        _relay: Mot,
        child: Child,
        addr: String,
    },
}

impl Path {
    fn addr(&self) -> &str {
        match self {
            Path::Direct { addr, .. } | Path::Relay { addr, .. } => addr,
        }
    }

    /// After a message: the laptop pulls (and so sends what is owed).
    fn settle(&self, rig: &Rig) {
        if let Path::Relay { .. } = self {
            rig.cmd(["status", "pull"]).assert().success();
        }
    }

    fn stop(self) {
        match self {
            Path::Direct { child, .. } | Path::Relay { child, .. } => stop(child),
        }
    }
}

fn start(rig: &Rig, relay: bool) -> Path {
    if relay {
        let server = Mot::new();
        let (child, addr) = serve(&server, true);
        let config = std::fs::read_to_string(rig.mot.config()).unwrap();
        std::fs::write(
            rig.mot.config(),
            format!("{config}[relay]\nurl = \"http://{addr}\"\n"),
        )
        .unwrap();
        Path::Relay {
            _relay: server,
            child,
            addr,
        }
    } else {
        let (child, addr) = serve(&rig.mot, false);
        Path::Direct { child, addr }
    }
}

/// hi → the terms and the name question → button → role list → list reply
/// → location text → pending with all four details → approve → the next
/// broadcast reaches them.
fn the_whole_conversation(relay: bool) {
    let rig = Rig::new(ROLES);
    let path = start(&rig, relay);
    let say = |m: Message| {
        rig.say(path.addr(), &m);
        path.settle(&rig);
    };

    say(Message::text(FROM, "hi").named("Asha Patel"));
    let sent = rig.sent(2);
    assert_eq!(sent[0].body["type"], "text", "the terms first");
    assert!(
        sent[0].body["text"]["body"]
            .as_str()
            .unwrap()
            .contains("four details")
    );
    let name = &sent[1].body["interactive"];
    assert_eq!(name["type"], "button");
    assert_eq!(name["action"]["buttons"][0]["reply"]["title"], "Asha Patel");

    say(Message::button_reply(
        FROM,
        "mot:name:profile",
        "Asha Patel",
    ));
    let sent = rig.sent(3);
    let list = &sent[2].body["interactive"];
    assert_eq!(list["type"], "list");
    let rows: Vec<&str> = list["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        rows,
        ["Community pharmacist", "GP practice pharmacist", "Other"]
    );

    say(Message::list_reply(
        FROM,
        "mot:role:1",
        "Community pharmacist",
    ));
    let sent = rig.sent(4);
    assert!(
        sent[3].body["text"]["body"]
            .as_str()
            .unwrap()
            .contains("Where do you work")
    );
    say(Message::text(FROM, "Riverside Pharmacy, Leeds"));
    rig.sent(5);
    path.stop();

    let shown = rig.show();
    assert_eq!(shown["status"], "pending");
    assert_eq!(shown["name"], "Asha Patel");
    assert_eq!(shown["phone"], "+447700900123");
    assert_eq!(shown["role"], "Community pharmacist");
    assert_eq!(shown["location"], "Riverside Pharmacy, Leeds");
    let signup = &shown["signup"];
    assert_eq!(signup["step"], "complete");
    assert!(
        signup["first_message_id"]
            .as_str()
            .unwrap()
            .starts_with("wamid.IN")
    );
    assert_eq!(signup["terms_version"].as_str().unwrap().len(), 12);
    for at in [
        "first_message_at",
        "asked_at",
        "name_at",
        "role_at",
        "location_at",
    ] {
        assert!(signup[at].is_string(), "{at}: {signup}");
    }
    rig.cmd(["members", "approve", "--all-complete", "--yes"])
        .assert()
        .success();
    assert_eq!(rig.show()["status"], "active");

    let before = rig.mock.received().len();
    rig.cmd(["send", "Inhaler guidance is out", "--yes"])
        .assert()
        .success();
    let sent = rig.sent(before + 1);
    assert_eq!(sent[before].to, FROM);
    assert_eq!(sent[before].body["type"], "template");
}

#[test]
fn a_first_hi_becomes_a_pending_member_with_four_details_then_gets_broadcasts() {
    the_whole_conversation(false);
}

#[test]
fn the_conversation_works_through_the_relay() {
    the_whole_conversation(true);
}

#[test]
fn stop_at_the_second_step_opts_out_and_nothing_more_is_sent() {
    let rig = Rig::new(ROLES);
    let (child, addr) = serve(&rig.mot, false);
    rig.say(&addr, &Message::text(FROM, "hi").named("Asha Patel"));
    rig.sent(2);
    rig.say(&addr, &Message::text(FROM, "STOP"));
    rig.say(
        &addr,
        &Message::button_reply(FROM, "mot:name:profile", "Asha Patel"),
    );
    std::thread::sleep(Duration::from_millis(500));
    stop(child);
    assert_eq!(rig.mock.received().len(), 2, "nothing after STOP");
    let shown = rig.show();
    assert_eq!(shown["status"], "opted_out");
    assert_eq!(shown["signup"]["step"], "stopped");
}

/// The role list went out; the member answers it after their window has
/// closed (Meta refuses the location question with 131047): they stay
/// pending with what they gave, nothing is sent after, nothing failed, and
/// doctor counts the incomplete sign-up.
#[test]
fn when_the_window_closes_at_the_third_step_nothing_more_is_sent() {
    let rig = Rig::new(ROLES);
    let (child, addr) = serve(&rig.mot, false);
    rig.say(&addr, &Message::text(FROM, "hi").named("Asha Patel"));
    rig.say(
        &addr,
        &Message::button_reply(FROM, "mot:name:profile", "Asha Patel"),
    );
    rig.sent(3);
    rig.mock.close_window(FROM);
    rig.post(
        &addr,
        &Message::list_reply(FROM, "mot:role:2", "GP practice pharmacist"),
    );
    let start = Instant::now();
    while !rig.outcomes().last().unwrap().ends_with("window_closed") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            rig.outcomes()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(child);
    assert_eq!(rig.mock.received().len(), 3);
    assert_eq!(
        rig.outcomes(),
        [
            "terms:sent",
            "ask_name:sent",
            "ask_role:sent",
            "ask_location:window_closed"
        ]
    );
    let shown = rig.show();
    assert_eq!(shown["status"], "pending");
    assert_eq!(shown["role"], "GP practice pharmacist");
    assert_eq!(shown["location"], "");
    let doctor = rig.cmd(["doctor", "--format", "json"]).output().unwrap();
    let text = String::from_utf8_lossy(&doctor.stdout);
    assert!(text.contains("1 sign-up(s) incomplete"), "{text}");
    // Not a delivery: nothing here can count towards lapsing.
    let deliveries: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(deliveries, 0);
}

/// `[inbound] general_reply` and `patient_data_reply`: each at most once a
/// day per member, never to someone who is not a member (or left), never
/// outside the window.
#[test]
fn channel_replies_go_once_a_day_to_members_only_inside_the_window() {
    let rig = Rig::new(
        "[inbound]\n\
         general_reply = \"This service cannot take general messages; please email mot@example.nhs.uk.\"\n\
         patient_data_reply = \"Your message contained patient information and was deleted; please do not send patient details here.\"\n",
    );
    rig.mot.add("Ben Okafor", "07700 900124", "GP", "Leeds");
    rig.mot.add("Cara Dunn", "07700 900125", "GP", "Leeds");
    rig.mot.add("Dev Shah", "07700 900126", "GP", "Leeds");
    rig.cmd(["members", "opt-out", "07700900125", "--yes"])
        .assert()
        .success();
    let (child, addr) = serve(&rig.mot, false);
    let patient = "Can you check Mrs Khan NHS 999 876 5439 DOB 02/02/1950?";
    for body in ["is the new guidance out?", "hello?", patient, patient] {
        rig.say(&addr, &Message::text("447700900124", body));
    }
    rig.say(&addr, &Message::text("447700900125", "hello?"));
    // Written more than a day ago (delivered late): the window is closed.
    rig.post(
        &addr,
        &Message::text("447700900126", "hello?").ago(25 * 3600),
    );
    let start = Instant::now();
    while rig.outcomes().iter().any(|o| o.ends_with(":-")) || rig.outcomes().len() < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            rig.outcomes()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop(child);
    assert_eq!(
        rig.outcomes(),
        [
            "general_reply:sent",
            "patient_data_reply:sent",
            "general_reply:window_closed"
        ]
    );
    let sent: Vec<(String, String)> = rig
        .mock
        .received()
        .iter()
        .map(|r| {
            (
                r.to.clone(),
                r.body["text"]["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().all(|(to, _)| to == "447700900124"));
    assert!(
        sent[0]
            .1
            .starts_with("This service cannot take general messages")
    );
    assert!(
        sent[1]
            .1
            .starts_with("Your message contained patient information")
    );
    // The stored marker stays as it was.
    let kept: String = rig
        .mot
        .sql()
        .query_row(
            "SELECT text FROM inbound WHERE flagged = 'patient_data_removed' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kept.starts_with("[removed by mot:"), "{kept}");
}

/// `mot init` writes example terms beside the config, which names them;
/// what the team writes there is what is sent (an empty file is refused).
#[test]
fn init_writes_example_terms_that_the_config_names() {
    let mot = Mot::new();
    let terms = mot.config().with_file_name("terms.txt");
    let text = std::fs::read_to_string(&terms).unwrap();
    assert!(
        text.contains("four details") && text.contains("STOP"),
        "{text}"
    );
    let config = std::fs::read_to_string(mot.config()).unwrap();
    assert!(config.contains("\nterms_file = \"terms.txt\""), "{config}");
    std::fs::write(&terms, "\n").unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("[signup] terms_file"));
}

/// The conversation is in the database: a receiver restarted between two
/// answers carries on where the last one stopped.
#[test]
fn the_conversation_survives_a_restart() {
    let rig = Rig::new(ROLES);
    let (child, addr) = serve(&rig.mot, false);
    rig.say(&addr, &Message::text(FROM, "hi").named("Asha Patel"));
    rig.sent(2);
    stop(child);
    let (child, addr) = serve(&rig.mot, false);
    rig.say(
        &addr,
        &Message::button_reply(FROM, "mot:name:profile", "Asha Patel"),
    );
    let sent = rig.sent(3);
    stop(child);
    assert_eq!(sent[2].body["interactive"]["type"], "list");
    assert_eq!(rig.show()["signup"]["step"], "role");
    assert_eq!(rig.mock.received().len(), 3, "nothing sent twice");
}
