//! `mot webhook serve`, run as it runs on a server: the real binary on a temp
//! database, spoken to over HTTP, stopped with SIGTERM, then inspected.

mod conformance;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mot::webhook::verify::sign;
use serde_json::{Value, json};

use crate::aged;
use crate::common::Mot;
use crate::common::server::{RELAY_TOKEN, SECRET, Server, VERIFY_TOKEN, terminate};

/// Every fixture, in the order the fixture test posts them.
const FIXTURES: [&str; 16] = [
    "status_sent.json",
    "status_delivered.json",
    "status_read.json",
    "status_failed_131026.json",
    "text_message.json",
    "reply_with_context.json",
    "reaction.json",
    "unsupported.json",
    "text_stop.json",
    "button_quick_reply.json",
    "interactive_button_reply.json",
    "image.json",
    "system_changed_number.json",
    "username_user.json",
    "batch_mixed.json",
    "non_messages_field.json",
];

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir().join(name)).unwrap()
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// How mot stores times: UTC, RFC 3339, to the second.
fn rfc3339(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A text message modelled on `text_stop.json`, with another id, sender and body.
fn text_payload(id: &str, from: &str, name: &str, timestamp: i64, body: &str) -> Vec<u8> {
    let mut v = fixture_json("text_stop.json");
    let value = &mut v["entry"][0]["changes"][0]["value"];
    value["contacts"][0]["wa_id"] = json!(from);
    value["contacts"][0]["profile"]["name"] = json!(name);
    let m = &mut value["messages"][0];
    m["id"] = json!(id);
    m["from"] = json!(from);
    m["timestamp"] = json!(timestamp.to_string());
    m["text"]["body"] = json!(body);
    serde_json::to_vec(&v).unwrap()
}

/// A status modelled on `status_read.json`, for another message and status.
fn status_payload(wamid: &str, status: &str, timestamp: i64) -> Vec<u8> {
    let mut v = fixture_json("status_read.json");
    let s = &mut v["entry"][0]["changes"][0]["value"]["statuses"][0];
    s["id"] = json!(wamid);
    s["status"] = json!(status);
    s["timestamp"] = json!(timestamp.to_string());
    s.as_object_mut()
        .unwrap()
        .remove("biz_opaque_callback_data");
    serde_json::to_vec(&v).unwrap()
}

/// Three broadcasts and deliveries whose wamids the fixtures mention.
/// Delivery 1's send outcome was unknown (no wamid): the fixtures' statuses
/// find it by their callback data `mot:b=1:d=1`.
fn seed_broadcasts(mot: &Mot) {
    mot.sql()
        .execute_batch(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state)
             VALUES
               (1, 'notice', 'Amoxicillin 250mg capsules: supply disruption.', 'mot_notice',
                'en_GB', '[]', '{}', 'test-pharmacist', '2023-11-14T22:00:00Z',
                '2023-11-15T22:00:00Z', 'finished'),
               (2, 'notice', 'Inhaler guidance updated.', 'mot_notice', 'en_GB', '[]', '{}',
                'test-pharmacist', '2023-11-14T22:30:00Z', '2023-11-15T22:30:00Z', 'finished'),
               (3, 'request', 'Please confirm your bank holiday opening hours.', 'mot_notice',
                'en_GB', '[]', '{}', 'test-pharmacist', '2023-11-14T21:00:00Z',
                '2023-11-15T21:00:00Z', 'finished');
             INSERT INTO deliveries (id, broadcast_id, phone, state, wamid, updated_at) VALUES
               (1,  1, '+447700900001', 'unknown', NULL,                  '2023-11-14T22:00:00Z'),
               (2,  1, '+447700900002', 'sent',    'wamid.TESTFAIL0001',  '2023-11-14T22:00:00Z'),
               (3,  1, '+447700900008', 'sent',    'wamid.TESTORDER0001', '2023-11-14T22:00:00Z'),
               (11, 2, '+447700900011', 'sent',    'wamid.TESTBATCH0001', '2023-11-14T22:30:00Z'),
               (12, 2, '+447700900012', 'sent',    'wamid.TESTBATCH0002', '2023-11-14T22:30:00Z'),
               (15, 2, '+447700900015', 'sent',    'wamid.TESTBATCH0005', '2023-11-14T22:30:00Z'),
               (21, 3, '+447700900001', 'sent',    'wamid.TESTOURS0001',  '2023-11-14T21:00:00Z'),
               (22, 3, '+447700900003', 'sent',    'wamid.TESTOURS0002',  '2023-11-14T21:00:00Z'),
               (23, 3, '+447700900004', 'sent',    'wamid.TESTOURS0003',  '2023-11-14T21:00:00Z');",
        )
        .unwrap();
}

fn count(mot: &Mot, sql: &str) -> i64 {
    mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Waits until the writer has applied every stored event (a 200 means stored;
/// applying follows at once, but after the answer).
fn wait_applied(mot: &Mot, server: &Server) {
    let start = Instant::now();
    while count(
        mot,
        "SELECT count(*) FROM webhook_events WHERE applied_at IS NULL",
    ) > 0
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "events were stored but never applied: {:#?}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Row counts a refused POST must not change: raw events, inbound, statuses, members.
fn stored(mot: &Mot) -> (i64, i64, i64, i64) {
    (
        count(mot, "SELECT count(*) FROM webhook_events"),
        count(mot, "SELECT count(*) FROM inbound"),
        count(mot, "SELECT count(*) FROM status_events"),
        count(mot, "SELECT count(*) FROM members"),
    )
}

fn delivery(mot: &Mot, id: i64) -> (String, Option<String>, Option<i64>, Option<String>) {
    mot.sql()
        .query_row(
            "SELECT state, wamid, error_code, error_class FROM deliveries WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

/// One `inbound` row.
#[derive(Debug)]
struct Inbound {
    kind: String,
    text: Option<String>,
    action: String,
    broadcast_id: Option<i64>,
    member_id: Option<i64>,
    phone: Option<String>,
    user_id: Option<String>,
    at: String,
}

/// The `inbound` row for a WhatsApp message id.
fn inbound(mot: &Mot, wamid: &str) -> Inbound {
    mot.sql()
        .query_row(
            "SELECT type, text, action, broadcast_id, member_id, phone, user_id, at
             FROM inbound WHERE wa_message_id = ?1",
            [wamid],
            |r| {
                Ok(Inbound {
                    kind: r.get(0)?,
                    text: r.get(1)?,
                    action: r.get(2)?,
                    broadcast_id: r.get(3)?,
                    member_id: r.get(4)?,
                    phone: r.get(5)?,
                    user_id: r.get(6)?,
                    at: r.get(7)?,
                })
            },
        )
        .unwrap_or_else(|e| panic!("no inbound row for {wamid}: {e}"))
}

fn json_out(mot: &Mot, args: &[&str]) -> Value {
    let out = mot.cmd(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn member_by_phone(mot: &Mot, phone: &str) -> Option<Value> {
    mot.members_json().into_iter().find(|m| m["phone"] == phone)
}

#[test]
fn the_verification_handshake_echoes_the_challenge_only_for_our_token() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let challenge = "test-challenge-1158201444";
    for path in ["/", "/webhook"] {
        let (status, body) = server.get(
            path,
            &[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", VERIFY_TOKEN),
                ("hub.challenge", challenge),
            ],
            None,
        );
        assert_eq!((status, body.as_str()), (200, challenge), "{path}");
    }
    let refused: [&[(&str, &str)]; 5] = [
        &[
            ("hub.mode", "subscribe"),
            ("hub.verify_token", "not-our-token"),
            ("hub.challenge", challenge),
        ],
        &[
            ("hub.mode", "subscribe"),
            ("hub.verify_token", "test-verify-token-longer"),
            ("hub.challenge", challenge),
        ],
        &[
            ("hub.verify_token", VERIFY_TOKEN),
            ("hub.challenge", challenge),
        ],
        &[
            ("hub.mode", "unsubscribe"),
            ("hub.verify_token", VERIFY_TOKEN),
            ("hub.challenge", challenge),
        ],
        &[("hub.mode", "subscribe"), ("hub.challenge", challenge)],
    ];
    for query in refused {
        let (status, body) = server.get("/", query, None);
        assert_eq!(status, 403, "{query:?}");
        assert!(!body.contains(challenge), "{query:?} echoed the challenge");
    }
    let log = server.stop();
    assert!(
        !log.iter().any(|l| l.contains(VERIFY_TOKEN)),
        "the verify token reached the log: {log:#?}"
    );
}

#[test]
fn posts_without_a_valid_signature_are_refused_and_nothing_is_stored() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let body = fixture("text_message.json");
    let good = sign(SECRET.as_bytes(), &body);
    let digits = good.strip_prefix("sha256=").unwrap();
    let before = stored(&mot);
    assert_eq!(before, (0, 0, 0, 0));

    let cases: Vec<(&str, Option<String>, u16)> = vec![
        ("no header", None, 401),
        (
            "signed with another secret",
            Some(sign(b"not-the-app-secret", &body)),
            403,
        ),
        (
            "signature of another body",
            Some(sign(SECRET.as_bytes(), &fixture("text_stop.json"))),
            403,
        ),
        (
            "63 hex digits",
            Some(format!("sha256={}", &digits[..63])),
            403,
        ),
        ("65 hex digits", Some(format!("sha256={digits}0")), 403),
        ("sha1= prefix", Some(format!("sha1={digits}")), 403),
        ("no prefix", Some(digits.to_string()), 403),
        ("empty", Some(String::new()), 403),
        ("not hex", Some(format!("sha256={}", "z".repeat(64))), 403),
    ];
    for (what, header, want) in &cases {
        let (status, _) = server.post("/", body.clone(), header.as_deref());
        assert_eq!(status, *want, "{what}");
        assert_eq!(stored(&mot), before, "{what}: something was stored");
    }
    // The same on the /webhook path.
    let (status, _) = server.post("/webhook", body.clone(), Some(&format!("sha1={digits}")));
    assert_eq!(status, 403);
    assert_eq!(stored(&mot), before);

    // The very same body, properly signed, is taken: the refusals were about the signature.
    let (status, _) = server.post("/webhook", body.clone(), Some(&good));
    assert_eq!(status, 200);
    wait_applied(&mot, &server);
    let log = server.stop();
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 1);
    assert_eq!(mot.members_json().len(), 1);
    // A flood of bad signatures is one line and a count, not a line each.
    let refused: Vec<&String> = log.iter().filter(|l| l.contains("bad signature")).collect();
    assert_eq!(refused.len(), 2, "{log:#?}");
    assert!(
        refused[1].contains(&format!("{} more", cases.len())),
        "{log:#?}"
    );
    assert!(!log.iter().any(|l| l.contains(SECRET)), "{log:#?}");
}

#[test]
fn oversized_and_malformed_bodies_are_refused_and_the_server_carries_on() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);

    // Valid JSON, signed, just over the 1 MiB limit.
    let mut big = br#"{"object":"whatsapp_business_account","entry":[],"padding":""#.to_vec();
    big.resize(1_100_000 - 2, b'x');
    big.extend_from_slice(br#""}"#);
    assert_eq!(big.len(), 1_100_000);
    assert!(serde_json::from_slice::<Value>(&big).is_ok());
    // Refused from its declared length, before the body is read: the client
    // may still be writing it when the answer comes (and the connection
    // closes), so the headers alone are sent here.
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: {}\r\nContent-Length: {}\r\n\r\n",
        sign(SECRET.as_bytes(), &big),
        big.len()
    );
    std::io::Write::write_all(&mut s, head.as_bytes()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = [0u8; 12];
    std::io::Read::read_exact(&mut s, &mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");
    assert_eq!(stored(&mot), (0, 0, 0, 0));

    for bad in [
        &b"{\"object\": \"whatsapp_business_account\", \"entry\": ["[..],
        b"not json at all",
        b"",
    ] {
        let (status, text) = server.post("/", bad.to_vec(), Some(&sign(SECRET.as_bytes(), bad)));
        assert_eq!(status, 400, "{text}");
        assert_eq!(stored(&mot), (0, 0, 0, 0));
    }

    // Still serving, and what it takes is applied.
    server.deliver(&fixture("text_message.json"));
    wait_applied(&mot, &server);
    server.stop();
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 1);
    let asha = member_by_phone(&mot, "+447700900001").expect("the sign-up was applied");
    assert_eq!(asha["status"], "pending");
}

#[test]
fn statuses_move_a_delivery_forward_only() {
    let mot = Mot::new();
    seed_broadcasts(&mot);
    let mut server = Server::start(&mot);

    // Delivery 1 was "unknown": the callback data finds it, and it learns its wamid.
    server.deliver(&fixture("status_sent.json"));
    wait_applied(&mot, &server);
    assert_eq!(
        delivery(&mot, 1),
        ("sent".into(), Some("wamid.TESTSENT0001".into()), None, None)
    );
    server.deliver(&fixture("status_delivered.json"));
    wait_applied(&mot, &server);
    assert_eq!(delivery(&mot, 1).0, "delivered");
    server.deliver(&fixture("status_read.json"));
    wait_applied(&mot, &server);
    assert_eq!(delivery(&mot, 1).0, "read");

    server.deliver(&fixture("status_failed_131026.json"));
    wait_applied(&mot, &server);
    assert_eq!(
        delivery(&mot, 2),
        (
            "failed".into(),
            Some("wamid.TESTFAIL0001".into()),
            Some(131026),
            Some("member".into())
        )
    );

    // Out of order: read first, then delivered, then sent. It stays read.
    server.deliver(&status_payload(
        "wamid.TESTORDER0001",
        "read",
        1_700_000_300,
    ));
    wait_applied(&mot, &server);
    assert_eq!(delivery(&mot, 3).0, "read");
    server.deliver(&status_payload(
        "wamid.TESTORDER0001",
        "delivered",
        1_700_000_200,
    ));
    wait_applied(&mot, &server);
    assert_eq!(delivery(&mot, 3).0, "read");
    server.deliver(&status_payload(
        "wamid.TESTORDER0001",
        "sent",
        1_700_000_100,
    ));
    wait_applied(&mot, &server);
    assert_eq!(delivery(&mot, 3).0, "read");
    // A later "sent" for the failed one does not undo the failure either.
    server.deliver(&status_payload("wamid.TESTFAIL0001", "sent", 1_700_000_000));
    server.stop();

    assert_eq!(delivery(&mot, 2).0, "failed");
    assert_eq!(delivery(&mot, 2).2, Some(131026));
    // Every event is on record, once, however it arrived.
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM status_events WHERE wamid = 'wamid.TESTORDER0001'"
        ),
        3
    );
    assert_eq!(count(&mot, "SELECT count(*) FROM status_events"), 8);
    let show = json_out(&mot, &["broadcasts", "show", "1", "--format", "json"]);
    assert_eq!(show["counts"]["read"], 2, "{show}");
    assert_eq!(show["counts"]["failed"], 1, "{show}");
    assert_eq!(show["failed_by_reason"], json!({"member (131026)": 1}));
}

#[test]
fn every_fixture_has_its_effect() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let posted: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, posted, "a fixture is not covered by this test");

    let mot = Mot::new();
    let started = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    seed_broadcasts(&mot);
    mot.add(
        "Ben Okafor",
        "07700 900003",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    mot.add(
        "Chloe Evans",
        "07700 900004",
        "Practice pharmacist",
        "Hillside Surgery",
    );
    mot.add(
        "Dev Sharma",
        "07700 900005",
        "Pharmacy technician",
        "Canal Street Pharmacy",
    );
    mot.add(
        "Priya Shah",
        "07700 900006",
        "Community pharmacist",
        "Park Road Pharmacy",
    );
    mot.add(
        "George Lewis",
        "07700 900014",
        "Dispenser",
        "Market Pharmacy",
    );
    let mut server = Server::start(&mot);

    for name in FIXTURES {
        if name == "non_messages_field.json" {
            // Taken, applied, and it changed nothing.
            wait_applied(&mot, &server);
            let before = stored(&mot);
            assert_eq!(server.post_signed(&fixture(name)), 200);
            wait_applied(&mot, &server);
            assert_eq!(stored(&mot), before);
            continue;
        }
        assert_eq!(server.post_signed(&fixture(name)), 200, "{name}");
    }
    let log = server.stop();

    // No personal data in the log: no numbers, names or message text.
    for line in &log {
        for secret in ["4477009", "Asha", "Ben", "inhaler", "care homes", "GB.0123"] {
            assert!(!line.contains(secret), "{secret:?} in the log: {line}");
        }
    }
    assert_eq!(
        count(&mot, "SELECT count(*) FROM webhook_events"),
        0,
        "applied bodies are not kept without a relay"
    );

    // Statuses (status_*.json, and the batch's).
    assert_eq!(
        delivery(&mot, 1),
        ("read".into(), Some("wamid.TESTSENT0001".into()), None, None)
    );
    assert_eq!(
        delivery(&mot, 2),
        (
            "failed".into(),
            Some("wamid.TESTFAIL0001".into()),
            Some(131026),
            Some("member".into())
        )
    );
    assert_eq!(
        delivery(&mot, 11).0,
        "delivered",
        "a late sent moves nothing back"
    );
    assert_eq!(delivery(&mot, 12).0, "read");
    assert_eq!(
        delivery(&mot, 15),
        (
            "failed".into(),
            Some("wamid.TESTBATCH0005".into()),
            Some(131049),
            Some("platform".into())
        )
    );
    assert_eq!(count(&mot, "SELECT count(*) FROM status_events"), 8);
    let show = json_out(&mot, &["broadcasts", "show", "2", "--format", "json"]);
    assert_eq!(show["counts"]["delivered"], 1, "{show}");
    assert_eq!(show["counts"]["read"], 1, "{show}");
    assert_eq!(show["failed_by_reason"], json!({"platform (131049)": 1}));

    // text_message.json: a new number becomes a pending member, with consent evidence.
    let text = fixture_json("text_message.json");
    let message = &text["entry"][0]["changes"][0]["value"]["messages"][0];
    let sent_at: i64 = message["timestamp"].as_str().unwrap().parse().unwrap();
    let asha = member_by_phone(&mot, "+447700900001").expect("Asha signed up");
    assert_eq!(asha["status"], "pending");
    assert_eq!(asha["name"], "Asha Patel");
    assert_eq!(asha["role"], "");
    assert_eq!(asha["location"], "");
    assert_eq!(asha["consent_source"], "whatsapp:wamid.TESTTEXT0001");
    // Consent is given when mot received the message, not at the payload's time.
    let consent_at = asha["consent_at"].as_str().unwrap();
    assert!(consent_at >= started.as_str(), "{consent_at}");
    let signup = inbound(&mot, "wamid.TESTTEXT0001");
    assert_eq!(signup.kind, "text");
    assert_eq!(
        signup.text.as_deref(),
        Some("Thanks, is the new inhaler guidance out yet?")
    );
    assert_eq!(signup.action, "signup");
    assert_eq!(signup.broadcast_id, None);
    assert_eq!(signup.at, rfc3339(sent_at));

    // text_stop.json: Ben opted out at once.
    let ben = member_by_phone(&mot, "+447700900003").unwrap();
    assert_eq!(ben["status"], "opted_out");
    assert_eq!(inbound(&mot, "wamid.TESTSTOP0001").action, "opt_out");

    // reply_with_context.json: linked to broadcast 3 through our wamid.
    let reply = inbound(&mot, "wamid.TESTREPLY0001");
    assert_eq!(
        (reply.action.as_str(), reply.broadcast_id),
        ("reply", Some(3))
    );
    let inbox = json_out(&mot, &["inbox", "--format", "json"]);
    let inbox = inbox.as_array().unwrap();
    assert_eq!(inbox.len(), 13);
    let care_homes = inbox
        .iter()
        .find(|m| m["text"] == "Does this apply to care homes too?")
        .expect("the reply is in the inbox");
    assert_eq!(care_homes["broadcast_id"], 3);
    assert_eq!(care_homes["member_name"], "Asha Patel");
    let unlinked = json_out(&mot, &["inbox", "--unlinked", "--format", "json"]);
    let unlinked = unlinked.as_array().unwrap();
    assert!(
        !unlinked
            .iter()
            .any(|m| m["text"] == "Does this apply to care homes too?"),
        "{unlinked:#?}"
    );
    assert!(
        unlinked
            .iter()
            .any(|m| m["text"] == "Thanks, is the new inhaler guidance out yet?")
    );
    assert!(unlinked.iter().all(|m| m["broadcast_id"].is_null()));

    // button_quick_reply.json and interactive_button_reply.json: type and text, linked.
    let button = inbound(&mot, "wamid.TESTBUTTON0001");
    assert_eq!(
        (
            button.kind.as_str(),
            button.text.as_deref(),
            button.broadcast_id
        ),
        ("button", Some("Stop updates"), Some(3))
    );
    let interactive = inbound(&mot, "wamid.TESTINTERACTIVE0001");
    assert_eq!(
        (
            interactive.kind.as_str(),
            interactive.text.as_deref(),
            interactive.broadcast_id
        ),
        ("interactive", Some("Yes, keep me on"), Some(3))
    );

    // reaction.json: recorded with its emoji.
    let reaction = inbound(&mot, "wamid.TESTREACTION0001");
    assert_eq!(
        (reaction.kind.as_str(), reaction.text.as_deref()),
        ("reaction", Some("\u{1F44D}"))
    );

    // image.json: its type and the caption its sender wrote (screened like
    // any text; the picture itself is never downloaded); unsupported.json:
    // by type only.
    let image = inbound(&mot, "wamid.TESTIMAGE0001");
    assert_eq!(
        (image.kind.as_str(), image.text.as_deref()),
        ("image", Some("Photo of the shelf label"))
    );
    let unsupported = inbound(&mot, "wamid.TESTUNSUPPORTED0001");
    assert_eq!(
        (unsupported.kind.as_str(), unsupported.text.as_deref()),
        ("unsupported", None)
    );

    // system_changed_number.json: the same member, now on the new number.
    let priya = mot
        .members_json()
        .into_iter()
        .find(|m| m["name"] == "Priya Shah")
        .unwrap();
    assert_eq!(priya["phone"], "+447700900007");
    assert_eq!(priya["status"], "active");
    assert!(member_by_phone(&mot, "+447700900006").is_none());
    let change = inbound(&mot, "wamid.TESTSYSTEM0001");
    assert_eq!(
        (change.kind.as_str(), change.action.as_str()),
        ("system", "number_change")
    );

    // username_user.json: no number, so no member; the user id is kept.
    let username = inbound(&mot, "wamid.TESTUSERNAME0001");
    assert_eq!(username.user_id.as_deref(), Some("GB.0123456789ABCDEF"));
    assert_eq!((username.member_id, username.phone), (None, None));
    assert_eq!(
        username.text.as_deref(),
        Some("Hello, please add me to the list")
    );
    assert!(
        !mot.members_json()
            .iter()
            .any(|m| m["name"] == "Elena Rossi")
    );

    // batch_mixed.json: every message in every entry and change.
    let farah = member_by_phone(&mot, "+447700900013").expect("Farah signed up");
    assert_eq!(farah["status"], "pending");
    assert_eq!(farah["consent_source"], "whatsapp:wamid.TESTBATCH0003");
    assert!(farah["consent_at"].as_str().unwrap() >= started.as_str());
    let george = member_by_phone(&mot, "+447700900014").unwrap();
    assert_eq!(
        george["status"], "opted_out",
        "\"stop\" in any case opts out"
    );
    // Hannah's first message is a tap on "Stop updates": an opt-out, so no
    // sign-up is created for her.
    assert!(
        member_by_phone(&mot, "+447700900016").is_none(),
        "a stop button is no sign-up"
    );
    let hannah_button = inbound(&mot, "wamid.TESTBATCH0006");
    assert_eq!(
        (hannah_button.kind.as_str(), hannah_button.broadcast_id),
        ("button", Some(2))
    );

    // Everyone else is as they were; nobody else appeared.
    let members = mot.members_json();
    assert_eq!(members.len(), 7, "{members:#?}");
    for phone in ["+447700900004", "+447700900005"] {
        assert_eq!(member_by_phone(&mot, phone).unwrap()["status"], "active");
    }
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 13);
}

#[test]
fn stop_opts_out_at_once_start_brings_back_and_stop_is_whole_message_only() {
    let mot = Mot::new();
    mot.add(
        "Ben Okafor",
        "07700 900003",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    let mut server = Server::start(&mot);
    let status = |mot: &Mot| member_by_phone(mot, "+447700900003").unwrap()["status"].clone();

    server.deliver(&text_payload(
        "wamid.TESTPHRASE0001",
        "447700900003",
        "Ben Okafor",
        1_700_000_150,
        "please stop sending the stock alerts to my old email",
    ));
    wait_applied(&mot, &server);
    assert_eq!(
        status(&mot),
        "active",
        "STOP inside a sentence is not an opt-out"
    );
    assert_eq!(inbound(&mot, "wamid.TESTPHRASE0001").action, "message");

    server.deliver(&fixture("text_stop.json"));
    wait_applied(&mot, &server);
    assert_eq!(
        status(&mot),
        "opted_out",
        "while the server is still running"
    );

    server.deliver(&text_payload(
        "wamid.TESTSTART0001",
        "447700900003",
        "Ben Okafor",
        1_700_000_900,
        "START",
    ));
    server.stop();
    assert_eq!(status(&mot), "active");
    let start = inbound(&mot, "wamid.TESTSTART0001");
    assert_eq!(
        (start.text.as_deref(), start.action.as_str()),
        (Some("START"), "opt_in")
    );
    let ben = member_by_phone(&mot, "+447700900003").unwrap();
    assert_eq!(ben["name"], "Ben Okafor");
    assert_eq!(ben["role"], "Community pharmacist");
}

#[test]
fn the_same_payload_twice_is_applied_once() {
    let mot = Mot::new();
    seed_broadcasts(&mot);
    let mut server = Server::start(&mot);
    let payloads = [
        fixture("text_message.json"),
        fixture("status_delivered.json"),
        fixture("batch_mixed.json"),
        fixture("status_failed_131026.json"),
    ];
    // One after the other, with the first copy already applied…
    for body in &payloads {
        server.deliver(body);
    }
    wait_applied(&mot, &server);
    for body in &payloads {
        server.deliver(body);
    }
    // …and two at once.
    let bodies: Vec<Vec<u8>> = payloads.iter().chain(payloads.iter()).cloned().collect();
    let statuses: Vec<u16> = server.rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for body in bodies {
            let req = server
                .http
                .post(server.url("/"))
                .header("x-hub-signature-256", sign(SECRET.as_bytes(), &body))
                .body(body);
            tasks.spawn(async move { req.send().await.unwrap().status().as_u16() });
        }
        tasks.join_all().await
    });
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    server.stop();

    // text 1 + batch 3 messages; statuses: delivered 1 + batch 4 + failed 1.
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 4);
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM inbound WHERE wa_message_id = 'wamid.TESTTEXT0001'"
        ),
        1
    );
    assert_eq!(count(&mot, "SELECT count(*) FROM status_events"), 6);
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM (SELECT 1 FROM status_events GROUP BY wamid, status)"
        ),
        6
    );
    // Asha and Farah signed up once each (George and Hannah only asked to stop).
    assert_eq!(mot.members_json().len(), 2);
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM audit WHERE command = 'inbound signup'"
        ),
        2
    );
    assert_eq!(delivery(&mot, 2).2, Some(131026));
}

#[test]
fn sigterm_stops_gracefully_with_every_acknowledged_event_applied() {
    let mot = Mot::new();
    seed_broadcasts(&mot);
    let mut server = Server::start(&mot);
    let mut bodies: Vec<Vec<u8>> = (0..30)
        .map(|i| {
            text_payload(
                &format!("wamid.TESTSHUTDOWN{i:04}"),
                &format!("447700900{:03}", 100 + i),
                &format!("Test Member {i}"),
                1_700_003_000 + i64::from(i),
                "Please add me to the service",
            )
        })
        .collect();
    bodies.push(fixture("status_failed_131026.json"));
    bodies.push(fixture("batch_mixed.json"));
    let statuses: Vec<u16> = server.rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for body in bodies {
            let req = server
                .http
                .post(server.url("/webhook"))
                .header("x-hub-signature-256", sign(SECRET.as_bytes(), &body))
                .body(body);
            tasks.spawn(async move { req.send().await.unwrap().status().as_u16() });
        }
        tasks.join_all().await
    });
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    // At once: no waiting for the writer to catch up.
    let log = server.stop();
    assert!(
        log.iter().any(|l| l == "webhook: shutting down"),
        "{log:#?}"
    );
    assert_eq!(count(&mot, "SELECT count(*) FROM webhook_events"), 0);
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 30 + 3);
    assert_eq!(count(&mot, "SELECT count(*) FROM status_events"), 1 + 4);
    assert_eq!(delivery(&mot, 2).0, "failed");
    assert_eq!(delivery(&mot, 12).0, "read");
    let members = mot.members_json();
    assert_eq!(members.len(), 30 + 1, "{members:#?}");
    assert!(members.iter().all(|m| m["status"] == "pending"));
}

#[test]
fn sigterm_in_the_middle_of_traffic_loses_no_acknowledged_event() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let pid = server.child.id();
    // 200 posts of 10 messages each, so that applying lags behind acknowledging.
    let posts: Vec<(Vec<String>, Vec<u8>)> = (0..200)
        .map(|i| {
            let ids: Vec<String> = (0..10)
                .map(|k| format!("wamid.TESTBUSY{i:04}{k:02}"))
                .collect();
            let mut v: Value = serde_json::from_slice(&text_payload(
                &ids[0],
                &format!("447700900{:03}", 300 + i),
                &format!("Test Member {i}"),
                1_700_004_000 + i64::from(i),
                "Please add me",
            ))
            .unwrap();
            let value = &mut v["entry"][0]["changes"][0]["value"];
            let first = value["messages"][0].clone();
            value["messages"] = ids
                .iter()
                .map(|id| {
                    let mut m = first.clone();
                    m["id"] = json!(id);
                    m
                })
                .collect();
            (ids, serde_json::to_vec(&v).unwrap())
        })
        .collect();
    // Eight at a time; SIGTERM as soon as 40 were acknowledged, with more in flight.
    let answers: Vec<(Vec<String>, Option<u16>)> = server.rt.block_on(async {
        let slots = Arc::new(tokio::sync::Semaphore::new(8));
        let acknowledged = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for (ids, body) in posts {
            let slot = slots.clone().acquire_owned().await.unwrap();
            let req = server
                .http
                .post(server.url("/"))
                .header("x-hub-signature-256", sign(SECRET.as_bytes(), &body))
                .body(body);
            let acknowledged = acknowledged.clone();
            tasks.spawn(async move {
                let _slot = slot;
                let status = req.send().await.ok().map(|r| r.status().as_u16());
                if status == Some(200)
                    && acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == 40
                {
                    terminate(pid);
                }
                (ids, status)
            });
        }
        tasks.join_all().await
    });
    let log = server.wait_stopped();
    let acked: Vec<&String> = answers
        .iter()
        .filter(|(_, status)| *status == Some(200))
        .flat_map(|(ids, _)| ids)
        .collect();
    assert!(acked.len() >= 400, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(_, status)| matches!(status, None | Some(200) | Some(503))),
        "{answers:?}"
    );
    let applied: BTreeSet<String> = mot
        .sql()
        .prepare("SELECT wa_message_id FROM inbound")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for id in &acked {
        assert!(
            applied.contains(*id),
            "{id} was acknowledged but not applied: {log:#?}"
        );
    }
    assert_eq!(
        count(&mot, "SELECT count(*) FROM webhook_events"),
        0,
        "stored but not applied"
    );
    assert_eq!(mot.members_json().len() * 10, applied.len());
}

#[test]
fn sigterm_at_once_after_startup_is_still_graceful() {
    let mot = Mot::new();
    // The window this guards against (ready announced, no handler yet) is narrow.
    for _ in 0..20 {
        let mut server = Server::start(&mot);
        server.stop();
    }
}

#[test]
fn events_stored_before_a_restart_are_applied_at_start() {
    let mot = Mot::new();
    // As if the last run stored this event and stopped before applying it.
    mot.sql()
        .execute(
            "INSERT INTO webhook_events (body, received_at) VALUES (?1, '2023-11-14T22:15:01Z')",
            [fixture("text_message.json")],
        )
        .unwrap();
    let mut server = Server::start(&mot);
    wait_applied(&mot, &server);
    server.stop();
    assert_eq!(inbound(&mot, "wamid.TESTTEXT0001").action, "signup");
    assert_eq!(count(&mot, "SELECT count(*) FROM webhook_events"), 0);
}

#[test]
fn the_relay_serves_stored_events_to_a_token_holder_until_acknowledged() {
    let mot = Mot::new();
    seed_broadcasts(&mot);
    let mut server = Server::start_with(&mot, Some(RELAY_TOKEN));
    assert!(server.banner.ends_with("relay on)"), "{}", server.banner);

    let (status, body) = server.get("/events", &[], Some(RELAY_TOKEN));
    let first: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(status, 200);
    assert_eq!(first["events"], json!([]));
    assert_eq!(first["last_id"], json!(0));
    assert_eq!(first["relay"].as_str().unwrap().len(), 32, "{first}");

    let posted = [
        "status_failed_131026.json",
        "text_message.json",
        "text_stop.json",
    ];
    for name in posted {
        server.deliver(&fixture(name));
    }
    // Stored (a 200 means committed) but not applied: a relay only stores and
    // forwards; the laptop that pulls applies, so the server builds no member
    // data of its own and sends no replies.
    assert_ne!(delivery(&mot, 2).0, "failed");
    assert!(member_by_phone(&mot, "+447700900001").is_none());
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM webhook_events WHERE applied_at IS NULL AND acked_at IS NULL"
        ),
        3
    );

    for bearer in [None, Some("not-the-relay-token"), Some("")] {
        let (status, body) = server.get("/events", &[], bearer);
        assert_eq!(status, 401, "{bearer:?}");
        assert!(!body.contains("TESTTEXT"), "{bearer:?}");
    }
    let (status, _) = server.post_json("/events/ack", &json!({"upto": 99}), None);
    assert_eq!(status, 401);
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM webhook_events WHERE acked_at IS NOT NULL"
        ),
        0
    );

    let (status, body) = server.get("/events", &[], Some(RELAY_TOKEN));
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{page}");
    let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for (event, name) in events.iter().zip(posted) {
        assert_eq!(event["body"], fixture_json(name), "{name}");
    }

    // A cursor: only what came after it.
    let after = ids[0].to_string();
    let (_, body) = server.get("/events", &[("after", &after)], Some(RELAY_TOKEN));
    let later: Value = serde_json::from_str(&body).unwrap();
    let later_ids: Vec<i64> = later["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(later_ids, ids[1..]);

    let (status, body) =
        server.post_json("/events/ack", &json!({"upto": ids[1]}), Some(RELAY_TOKEN));
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"acknowledged": 2})
    );
    let (status, _) = server.post_json("/events/ack", &json!({"up_to": 1}), Some(RELAY_TOKEN));
    assert_eq!(status, 400);
    server.stop();

    let acked: Vec<(i64, bool)> = mot
        .sql()
        .prepare("SELECT id, acked_at IS NOT NULL FROM webhook_events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        acked,
        vec![(ids[0], true), (ids[1], true), (ids[2], false)],
        "rows up to {} are acknowledged, the rest are not",
        ids[1]
    );
}

#[test]
fn without_a_relay_no_raw_body_is_kept_and_events_are_not_served() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    assert!(server.banner.ends_with("relay off)"), "{}", server.banner);
    server.deliver(&fixture("text_message.json"));
    server.deliver(&fixture("username_user.json"));
    wait_applied(&mot, &server);
    assert_eq!(count(&mot, "SELECT count(*) FROM webhook_events"), 0);
    for bearer in [None, Some(RELAY_TOKEN), Some("")] {
        assert_eq!(server.get("/events", &[], bearer).0, 401, "{bearer:?}");
    }
    let (status, _) = server.post_json("/events/ack", &json!({"upto": 1}), Some(RELAY_TOKEN));
    assert_eq!(status, 401);
    server.stop();
    // Applied all the same.
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 2);
    assert_eq!(count(&mot, "SELECT count(*) FROM webhook_events"), 0);
}

/// What an attacker who can message the team's number sends to take over
/// the pharmacist's terminal: clear it, paint "ALL CLEAR", retitle the window.
const TERMINAL_ATTACK: &str = "\u{1b}[2J\u{1b}[1;1H\u{1b}[32mALL CLEAR\u{1b}]0;pwned\u{7}";

/// Any byte a terminal would obey, or that hides or reorders text.
fn hidden(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    })
}

#[test]
fn hostile_inbound_text_type_and_log_lines_reach_the_terminal_escaped() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    server.deliver(&text_payload(
        "wamid.TESTESCAPE0001",
        "447700900005",
        "Eve \u{202e}reversed\u{202c}",
        1_700_000_100,
        TERMINAL_ATTACK,
    ));
    // A message type nobody has heard of, carrying the same sequences.
    let mut v: Value = serde_json::from_slice(&text_payload(
        "wamid.TESTESCAPE0002",
        "447700900005",
        "Eve",
        1_700_000_101,
        "x",
    ))
    .unwrap();
    v["entry"][0]["changes"][0]["value"]["messages"][0]["type"] =
        json!(format!("odd{TERMINAL_ATTACK}"));
    server.deliver(&serde_json::to_vec(&v).unwrap());
    // A status the parser refuses: its reason is logged on stderr.
    server.deliver(&status_payload(
        "wamid.TESTESCAPE0003",
        &format!("bad{TERMINAL_ATTACK}"),
        1_700_000_102,
    ));
    wait_applied(&mot, &server);
    let log = server.stop();
    for line in &log {
        assert_eq!(hidden(line), None, "log line {line:?}");
    }
    assert!(
        log.iter().any(|l| l.contains("bad\\u{1b}[2J")),
        "the refused status is still logged, escaped: {log:#?}"
    );

    for format in ["table", "csv"] {
        let out = mot.cmd(["inbox", "--format", format]).output().unwrap();
        assert!(out.status.success());
        let out = String::from_utf8(out.stdout).unwrap();
        assert_eq!(hidden(&out), None, "inbox --format {format}: {out:?}");
        assert!(out.contains("\\u{1b}[32mALL CLEAR"), "{out}");
    }
    // JSON is for programs: the data stays exact (serde escapes it).
    let inbox = json_out(&mot, &["inbox", "--format", "json"]);
    let texts: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(texts.contains(&TERMINAL_ATTACK), "{inbox:#}");
    // The sign-up's WhatsApp name lost its bidi override on the way in.
    let eve = member_by_phone(&mot, "+447700900005").unwrap();
    assert_eq!(eve["name"], "Eve reversed");
}

/// `mot purge` (as from cron) while the receiver runs: the purge finishes,
/// every event Meta posted meanwhile is acknowledged and applied, and what
/// was due is gone.
#[test]
fn purge_while_serving_loses_no_event() {
    let mot = Mot::new();
    seed_broadcasts(&mot);
    {
        // A history big enough for the purge to take a while.
        let conn = mot.sql();
        aged::fill(&conn, jiff::Timestamp::now(), 1000, 40, 20);
    }
    let server = Server::start(&mot);
    let purge = {
        let mut cmd = mot.cmd(["purge", "--format", "json"]);
        std::thread::spawn(move || cmd.output().unwrap())
    };
    let now = jiff::Timestamp::now().as_second();
    let mut sent = 0;
    while !purge.is_finished() || sent < 20 {
        let body = text_payload(
            &format!("wamid.CONC{sent:04}"),
            "447700900777",
            "Concurrent Sender",
            now,
            &format!("message {sent}"),
        );
        server.deliver(&body);
        sent += 1;
    }
    let out = purge.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let deliveries = report["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "deliveries")
        .unwrap()["records"]
        .clone();
    // The 20 old broadcasts and the 3 seeded (2023), each to 1,000 members,
    // and the 9 seeded rows.
    assert_eq!(deliveries, 23_000 + 9, "{report}");
    wait_applied(&mot, &server);
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM inbound WHERE wa_message_id LIKE 'wamid.CONC%'"
        ),
        sent
    );
    assert_eq!(count(&mot, "SELECT count(*) FROM deliveries"), 20_000);
    let mut server = server;
    server.stop();
}

/// One body, two members: a text whose emoji was cut in half (a lone UTF-16
/// surrogate escape, which strict JSON parsers refuse) and a STOP. The
/// half emoji costs nothing but the half emoji: the STOP is applied and the
/// text is kept with a replacement character. A value nested deeper than the
/// parser reads costs that value only, not the STOP beside it.
#[test]
fn neither_a_half_emoji_nor_a_too_deep_value_sinks_a_stop_in_the_same_body() {
    let mot = Mot::new();
    mot.add(
        "Ben Okafor",
        "07700 900003",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Community pharmacist",
        "Hillside Pharmacy",
    );
    let mut server = Server::start(&mot);

    let mut v = fixture_json("text_stop.json");
    let value = &mut v["entry"][0]["changes"][0]["value"];
    let stop = value["messages"][0].clone();
    let mut half = stop.clone();
    half["id"] = json!("wamid.TESTHALFEMOJI0001");
    half["from"] = json!("447700900001");
    half["text"]["body"] = json!("HALF_EMOJI_HERE");
    value["messages"] = json!([half, stop]);
    let body = serde_json::to_string(&v)
        .unwrap()
        .replace("HALF_EMOJI_HERE", "Thanks \\ud83d see you");
    assert!(
        serde_json::from_str::<Value>(&body).is_err(),
        "serde_json refuses it"
    );
    let (status, text) = server.post(
        "/",
        body.clone().into_bytes(),
        Some(&sign(SECRET.as_bytes(), body.as_bytes())),
    );
    assert_eq!(status, 200, "{text}");
    wait_applied(&mot, &server);
    assert_eq!(
        member_by_phone(&mot, "+447700900003").unwrap()["status"],
        "opted_out",
        "the STOP in the same body is applied"
    );
    assert_eq!(
        inbound(&mot, "wamid.TESTHALFEMOJI0001").text.as_deref(),
        Some("Thanks \u{fffd} see you")
    );

    // A change nested far deeper than any webhook, before Asha's STOP in
    // the same entry: the deep value is dropped, the STOP is applied.
    let mut v = fixture_json("text_stop.json");
    let value = &mut v["entry"][0]["changes"][0]["value"];
    value["contacts"][0]["wa_id"] = json!("447700900001");
    value["messages"][0]["from"] = json!("447700900001");
    value["messages"][0]["id"] = json!("wamid.TESTDEEPSTOP0001");
    let stop_change = v["entry"][0]["changes"][0].clone();
    v["entry"][0]["changes"] =
        json!([{"field": "x_future_field", "value": "DEEP_HERE"}, stop_change]);
    let deep = serde_json::to_string(&v).unwrap().replace(
        "\"DEEP_HERE\"",
        &format!("{}{}", "[".repeat(300), "]".repeat(300)),
    );
    let (status, text) = server.post(
        "/",
        deep.clone().into_bytes(),
        Some(&sign(SECRET.as_bytes(), deep.as_bytes())),
    );
    assert_eq!(status, 200, "{text}");
    wait_applied(&mot, &server);
    assert_eq!(
        member_by_phone(&mot, "+447700900001").unwrap()["status"],
        "opted_out",
        "the STOP beside a too-deep value is applied"
    );
    server.stop();
}

/// A member's delete-for-everyone removes the text mot kept of that message
/// (the message still counts); an edit replaces it, screened like any text.
/// Only the sender can do either.
#[test]
fn a_revoke_removes_the_kept_text_and_an_edit_replaces_it() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let edit = fixture("amend/edit.json");
    server.deliver(&fixture("text_message.json"));
    // Someone else cannot edit Asha's message.
    let stranger = String::from_utf8(edit.clone())
        .unwrap()
        .replace("\"447700900001\"", "\"447700900002\"")
        .replace("wamid.TESTEDIT0001", "wamid.TESTEDIT0002");
    server.deliver(stranger.as_bytes());
    wait_applied(&mot, &server);
    let original = || inbound(&mot, "wamid.TESTTEXT0001");
    assert_eq!(
        original().text.as_deref(),
        Some("Thanks, is the new inhaler guidance out yet?")
    );
    server.deliver(&edit);
    wait_applied(&mot, &server);
    assert_eq!(
        original().text.as_deref(),
        Some("Sorry, I meant: has the new inhaler guidance been sent?")
    );
    // An edit that adds patient data keeps none of it.
    let patient = String::from_utf8(edit.clone())
        .unwrap()
        .replace("wamid.TESTEDIT0001", "wamid.TESTEDIT0003")
        .replace(
            "Sorry, I meant: has the new inhaler guidance been sent?",
            "Mrs Khan NHS 999 876 5439 needs it",
        );
    server.deliver(patient.as_bytes());
    wait_applied(&mot, &server);
    let text = original().text.unwrap_or_default();
    assert!(
        !text.contains("876 5439") && !text.contains("Khan"),
        "{text}"
    );
    server.deliver(&fixture("amend/revoke.json"));
    wait_applied(&mot, &server);
    server.stop();
    assert_eq!(original().text, None, "the deleted message's text is gone");
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM inbound WHERE wa_message_id = 'wamid.TESTTEXT0001'"
        ),
        1,
        "the message itself still counts"
    );
    assert_eq!(
        count(
            &mot,
            "SELECT count(*) FROM inbound WHERE text LIKE '%inhaler%' AND phone = '+447700900001'"
        ),
        0,
        "no copy of the text anywhere"
    );
}

/// The number and business account of another business on the same Meta app.
const OTHER_NUMBER_ID: &str = "9876543210";

/// `body` as Meta sends it for another number of the same app: same
/// envelope, same signature key, another `phone_number_id`.
fn to_other_number(body: Vec<u8>) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(&body).unwrap();
    v["entry"][0]["id"] = json!("0000000000000002");
    let metadata = &mut v["entry"][0]["changes"][0]["value"]["metadata"];
    metadata["phone_number_id"] = json!(OTHER_NUMBER_ID);
    metadata["display_phone_number"] = json!("447700900998");
    serde_json::to_vec(&v).unwrap()
}

/// A `messages` change for our number carrying one message item from `from`.
fn message_payload(from: &str, name: &str, message: Value) -> Vec<u8> {
    let mut message = message;
    message["from"] = json!(from);
    message["timestamp"] = json!("1700000000");
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0000000000000001", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "447700900999", "phone_number_id": "1234567890"},
            "contacts": [{"profile": {"name": name}, "wa_id": from}],
            "messages": [message]
        }}]}]
    }))
    .unwrap()
}

/// Every byte of the database file and whatever WAL is left beside it, read
/// only once no mot process has it open.
fn file_bytes(mot: &Mot) -> String {
    let mut all = Vec::new();
    for suffix in ["", "-wal"] {
        let mut name = mot.db().into_os_string();
        name.push(suffix);
        if let Ok(bytes) = std::fs::read(&name) {
            all.extend(bytes);
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn a_stop_sent_to_another_number_leaves_our_member_active() {
    let mot = Mot::new();
    mot.add("Ben Okafor", "07700 900003", "Pharmacist", "Riverside");
    let server = Server::start(&mot);
    let stop = text_payload(
        "wamid.TESTOTHER0001",
        "447700900003",
        "Ben Okafor",
        1_700_000_000,
        "STOP",
    );
    assert_eq!(server.post_signed(&to_other_number(stop)), 200);
    wait_applied(&mot, &server);
    let ben = member_by_phone(&mot, "+447700900003").unwrap();
    assert_eq!(ben["status"], "active", "another number's STOP is not ours");
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 0);
}

#[test]
fn a_stranger_writing_to_another_number_is_kept_nowhere() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let hello = text_payload(
        "wamid.TESTOTHER0002",
        "447700900123",
        "Zelda Quennell",
        1_700_000_000,
        "Quokka depot question",
    );
    assert_eq!(server.post_signed(&to_other_number(hello)), 200);
    wait_applied(&mot, &server);
    let log = server.stop();
    assert_eq!(count(&mot, "SELECT count(*) FROM members"), 0);
    let bytes = file_bytes(&mot);
    for secret in ["447700900123", "Zelda", "Quokka", "TESTOTHER0002"] {
        assert!(
            !bytes.contains(secret),
            "{secret:?} is in the database file"
        );
        for line in &log {
            assert!(!line.contains(secret), "{secret:?} in the log: {line}");
        }
    }
    assert!(
        log.iter()
            .any(|l| l.contains("another number or business account")),
        "the ignored change is counted in the log: {log:#?}"
    );
}

#[test]
fn only_a_message_a_person_wrote_from_a_mobile_signs_them_up() {
    let mot = Mot::new();
    let server = Server::start(&mot);
    let not_consent = [
        (
            "447700900201",
            json!({"id": "wamid.TESTNC01", "type": "reaction",
            "reaction": {"message_id": "wamid.TESTOURS0001", "emoji": "\u{1F44D}"}}),
        ),
        (
            "447700900202",
            json!({"id": "wamid.TESTNC02", "type": "sticker",
            "sticker": {"id": "1", "mime_type": "image/webp", "animated": false}}),
        ),
        (
            "447700900203",
            json!({"id": "wamid.TESTNC03", "type": "unsupported",
            "errors": [{"code": 131051, "title": "Message type unknown"}]}),
        ),
        (
            "447700900204",
            json!({"id": "wamid.TESTNC04", "type": "system",
            "system": {"body": "User A's security code changed", "type": "customer_identity_changed",
                       "identity": "abc", "customer": "447700900204"}}),
        ),
        (
            "447700900205",
            json!({"id": "wamid.TESTNC05", "type": "interactive",
            "interactive": {"type": "call_permission_reply",
                            "call_permission_reply": {"response": "accept", "is_permanent": false,
                                                      "expiration_timestamp": 1700086400,
                                                      "response_source": "user_action"}}}),
        ),
        // Numbers `members add` refuses: not a real number, too long, a UK landline.
        (
            "1111111111111",
            json!({"id": "wamid.TESTNC06", "type": "text", "text": {"body": "Hello"}}),
        ),
        (
            "409552778964973",
            json!({"id": "wamid.TESTNC07", "type": "text", "text": {"body": "Hello"}}),
        ),
        (
            "441134960000",
            json!({"id": "wamid.TESTNC08", "type": "text", "text": {"body": "Hello"}}),
        ),
    ];
    for (from, message) in &not_consent {
        server.deliver(&message_payload(from, "Stranger", message.clone()));
    }
    // A picture a person sent is a message they wrote, caption or not.
    server.deliver(&message_payload(
        "447700900206",
        "Imogen Hale",
        json!({"id": "wamid.TESTNC09", "type": "image",
               "image": {"id": "2", "mime_type": "image/jpeg", "sha256": "x"}}),
    ));
    wait_applied(&mot, &server);
    let members = mot.members_json();
    assert_eq!(members.len(), 1, "{members:#?}");
    assert_eq!(members[0]["phone"], "+447700900206");
    for (i, _) in not_consent.iter().enumerate() {
        let row = inbound(&mot, &format!("wamid.TESTNC0{}", i + 1));
        assert_eq!(row.member_id, None, "{row:?}");
        assert_eq!(row.action, "message", "{row:?}");
    }
    assert_eq!(
        inbound(&mot, "wamid.TESTNC06").phone,
        None,
        "not a number mot accepts"
    );
}

#[test]
fn consent_is_when_mot_received_the_first_message_not_its_timestamp() {
    let mot = Mot::new();
    let server = Server::start(&mot);
    let before = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    // 2009-01-01: a payload's clock says nothing about when mot was told.
    server.deliver(&text_payload(
        "wamid.TESTOLD0001",
        "447700900301",
        "Owen Marsh",
        1_230_768_000,
        "Hello",
    ));
    wait_applied(&mot, &server);
    let owen = member_by_phone(&mot, "+447700900301").expect("signed up");
    let consent_at = owen["consent_at"].as_str().unwrap();
    assert!(
        consent_at >= before.as_str(),
        "{consent_at} is before {before}"
    );
    let created: String = mot
        .sql()
        .query_row("SELECT created_at FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(created, consent_at);
}

#[test]
fn fields_mot_does_not_read_leave_no_name_number_or_text() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let metadata = json!({"display_phone_number": "447700900999", "phone_number_id": "1234567890"});
    let changes = [
        (
            "calls",
            json!({"messaging_product": "whatsapp", "metadata": metadata.clone(),
            "contacts": [{"profile": {"name": "Yusuf Varga"}, "wa_id": "447700900456"}],
            "calls": [{"id": "wacid.TESTCALL0001", "to": "447700900999", "from": "447700900456",
                       "event": "connect", "timestamp": "1700000000", "direction": "USER_INITIATED"}]}),
        ),
        (
            "history",
            json!({"messaging_product": "whatsapp", "metadata": metadata.clone(),
            "history": [{"metadata": {"phase": 0, "chunk_order": 1, "progress": 100},
                "threads": [{"id": "447700900456", "messages": [{"from": "447700900456",
                    "id": "wamid.TESTHIST0001", "timestamp": "1700000000", "type": "text",
                    "text": {"body": "Otter clinic at 14 Harbour Lane"},
                    "history_context": {"status": "READ"}}]}]}]}),
        ),
        (
            "smb_message_echoes",
            json!({"messaging_product": "whatsapp", "metadata": metadata.clone(),
            "message_echoes": [{"from": "447700900999", "to": "447700900456", "id": "wamid.TESTECHO0001",
                "timestamp": "1700000000", "type": "text",
                "text": {"body": "Otter clinic at 14 Harbour Lane, Yusuf Varga"}}]}),
        ),
    ];
    for (field, value) in &changes {
        server.deliver(
            &serde_json::to_vec(&json!({
                "object": "whatsapp_business_account",
                "entry": [{"id": "0000000000000001", "time": 1_700_000_000,
                           "changes": [{"field": field, "value": value}]}]
            }))
            .unwrap(),
        );
    }
    wait_applied(&mot, &server);
    server.stop();
    let fields: Vec<(String, i64)> = mot
        .sql()
        .prepare(
            "SELECT field, json_extract(detail, '$.count') FROM account_events WHERE known = 0 ORDER BY field",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        fields,
        [
            ("calls".to_string(), 1),
            ("history".to_string(), 1),
            ("smb_message_echoes".to_string(), 1)
        ]
    );
    let bytes = file_bytes(&mot);
    for secret in [
        "447700900456",
        "7700 900456",
        "Yusuf",
        "Varga",
        "Otter",
        "Harbour",
        "wacid.",
        "TESTHIST",
        "TESTECHO",
    ] {
        assert!(
            !bytes.contains(secret),
            "{secret:?} is in the database file"
        );
    }
}
