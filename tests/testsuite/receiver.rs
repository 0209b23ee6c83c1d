//! `mot webhook serve` against hostile and unlucky conditions: blank
//! secrets, slow and idle clients, a database locked by someone else, floods
//! of odd or forged requests, personal data in every field of a message.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use mot::webhook::verify::sign;
use serde_json::{Value, json};

use crate::common::Mot;
use crate::common::server::{PHONE_NUMBER_ID, RELAY_TOKEN, SECRET, Server};

fn count(mot: &Mot, sql: &str) -> i64 {
    mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A signed text message from drama number 07700 900`n`.
fn text(id: &str, n: u32, body: &str) -> Vec<u8> {
    let from = format!("447700900{n:03}");
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "447700900999", "phone_number_id": "1234567890"},
            "contacts": [{"profile": {"name": "Member"}, "wa_id": from}],
            "messages": [{"from": from, "id": id, "timestamp": "1800000000",
                          "type": "text", "text": {"body": body}}]
        }}]}]
    }))
    .unwrap()
}

/// One request on a connection of its own; the status code, or `None` if
/// no answer came within `wait`.
fn raw_post(addr: &str, body: &[u8], wait: Duration) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(wait)).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nX-Hub-Signature-256: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        sign(SECRET.as_bytes(), body),
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// A connection that has sent part of a request's headers and stops there.
fn slowloris(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: example\r\nContent-Type: application/json\r\n")
        .unwrap();
    s
}

/// Whether the server closed `s` within `wait` (reading everything it sent).
fn closed_within(s: &mut TcpStream, wait: Duration) -> bool {
    s.set_read_timeout(Some(wait)).unwrap();
    let mut sink = Vec::new();
    match s.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn blank_or_short_secrets_stop_the_receiver_from_starting() {
    let mot = Mot::new();
    let cases = [
        ("MOT_RELAY_TOKEN", " ", "MOT_RELAY_TOKEN is empty"),
        (
            "MOT_WHATSAPP_APP_SECRET",
            " ",
            "MOT_WHATSAPP_APP_SECRET is empty",
        ),
        (
            "MOT_WEBHOOK_VERIFY_TOKEN",
            " ",
            "MOT_WEBHOOK_VERIFY_TOKEN is empty",
        ),
        ("MOT_RELAY_TOKEN", "abc", "MOT_RELAY_TOKEN is too short"),
        (
            "MOT_WHATSAPP_APP_SECRET",
            "0123456789",
            "MOT_WHATSAPP_APP_SECRET is too short",
        ),
    ];
    for (key, value, said) in cases {
        let mut cmd = mot.cmd(["webhook", "serve", "--listen", "127.0.0.1:0"]);
        cmd.env("MOT_WHATSAPP_APP_SECRET", SECRET)
            .env("MOT_WEBHOOK_VERIFY_TOKEN", "test-verify-token")
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .env(key, value)
            .timeout(Duration::from_secs(20));
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{key}={value:?}: {stderr}");
        assert!(stderr.contains(said), "{key}={value:?}: {stderr}");
        assert!(!stderr.contains("listening"), "{stderr}");
    }
}

/// Setting a child's open-file limit needs `ulimit` (RLIMIT_NOFILE), which
/// only Unix has; Windows has no per-process limit on sockets to lower, so
/// it has no counterpart. The connection cap itself is tested on every
/// platform below.
#[cfg(unix)]
#[test]
fn a_signed_probe_is_served_while_300_slow_connections_are_open_at_256_files() {
    let mot = Mot::new();
    let bin = assert_cmd::cargo::cargo_bin("mot");
    let mut cmd = std::process::Command::new("sh");
    // A long header timeout: only the cap can keep the probes' way open.
    cmd.args([
        "-c",
        "ulimit -n 256 && exec \"$0\" webhook serve --listen 127.0.0.1:0 --header-timeout 120s",
    ])
    .arg(&bin);
    let mut server = Server::spawn(&mot, cmd, None);
    let slow: Vec<TcpStream> = (0..300).map(|_| slowloris(&server.addr)).collect();
    for i in 0..7 {
        let probe = text(&format!("wamid.PROBE{i}"), i, "Hello");
        assert_eq!(
            raw_post(&server.addr, &probe, Duration::from_secs(20)),
            Some(200),
            "probe {i} was not served: {:#?}",
            server.log()
        );
    }
    drop(slow);
    server.stop();
    assert_eq!(count(&mot, "SELECT count(*) FROM inbound"), 7);
}

#[test]
fn the_connection_cap_closes_the_oldest_unfinished_connection_for_a_newcomer() {
    let mot = Mot::new();
    let mut server = Server::start_args(
        &mot,
        &["--max-connections", "8", "--header-timeout", "120s"],
    );
    let mut slow: Vec<TcpStream> = Vec::new();
    for _ in 0..12 {
        slow.push(slowloris(&server.addr));
        // Accepted in this order, so "oldest" is well defined.
        std::thread::sleep(Duration::from_millis(50));
    }
    let probe = text("wamid.CAP1", 1, "Hello");
    assert_eq!(
        raw_post(&server.addr, &probe, Duration::from_secs(20)),
        Some(200),
        "{:#?}",
        server.log()
    );
    assert!(
        closed_within(&mut slow[0], Duration::from_secs(10)),
        "the oldest unfinished connection was closed to make room"
    );
    assert!(
        !closed_within(&mut slow[11], Duration::from_millis(500)),
        "the newest is left alone"
    );
    server.stop();
}

#[test]
fn idle_and_half_sent_connections_are_closed_after_their_time_limits() {
    let mot = Mot::new();
    let mut server = Server::start_args(&mot, &["--header-timeout", "1s", "--body-timeout", "1s"]);
    let addr = server.addr.clone();
    let mut idle = TcpStream::connect(&addr).unwrap();
    let mut half_head = slowloris(&addr);
    let mut half_body = TcpStream::connect(&addr).unwrap();
    half_body
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"entry\":")
        .unwrap();
    // A finished request on a kept-alive connection, then silence.
    let mut kept = TcpStream::connect(&addr).unwrap();
    kept.write_all(b"GET /?hub.mode=x HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    for (what, s) in [
        ("idle from the start", &mut idle),
        ("half-sent headers", &mut half_head),
        ("half-sent body", &mut half_body),
        ("idle after a request", &mut kept),
    ] {
        assert!(
            closed_within(s, Duration::from_secs(10)),
            "{what}: still open"
        );
    }
    // And a whole request is still served.
    assert_eq!(
        raw_post(&addr, &text("wamid.T1", 1, "Hi"), Duration::from_secs(20)),
        Some(200)
    );
    server.stop();
}

#[test]
fn a_declared_oversized_body_is_refused_before_it_is_sent() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
        .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = [0u8; 12];
    s.read_exact(&mut answer)
        .expect("answered without waiting for the body");
    assert_eq!(&answer, b"HTTP/1.1 413");
    server.stop();
}

#[test]
fn a_long_database_lock_is_answered_503_and_the_receiver_recovers() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    server.deliver(&text("wamid.L0", 1, "Before"));
    let locker = mot.sql();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let held = Instant::now();
    // Longer than SQLite's 5 s busy timeout, twice over.
    let mut during = Vec::new();
    for i in 1..=2 {
        during.push(server.post_signed(&text(&format!("wamid.L{i}"), i, "During")));
    }
    while held.elapsed() < Duration::from_secs(11) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(during, [503, 503], "{:#?}", server.log());
    locker.execute_batch("ROLLBACK").unwrap();
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the receiver exited: {:#?}",
        server.log()
    );
    // Meta sends them again; now they are taken.
    for i in 1..=2 {
        server.deliver(&text(&format!("wamid.L{i}"), i, "During"));
    }
    let start = Instant::now();
    while count(&mot, "SELECT count(*) FROM inbound") < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{:#?}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.stop();
    assert!(log.iter().any(|l| l.contains("writable again")), "{log:#?}");
}

#[test]
fn a_payload_of_100000_empty_entries_is_logged_as_a_summary() {
    let mot = Mot::new();
    let mut server = Server::start(&mot);
    let entries: Vec<Value> = (0..100_000).map(|_| json!({})).collect();
    let body =
        serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": entries}))
            .unwrap();
    server.deliver(&body);
    let start = Instant::now();
    while !server.log().iter().any(|l| l.contains("applied 1 event")) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{:#?}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.stop();
    assert!(log.len() < 20, "{} lines", log.len());
    assert!(log.iter().any(|l| l.contains("99997 more")), "{log:#?}");
}

#[test]
fn the_relay_keeps_no_file_name_contact_card_location_or_free_text_with_patient_data() {
    let mot = Mot::new();
    let mut server = Server::start_with(&mot, Some(RELAY_TOKEN));
    let patient = "Mrs Smith NHS 999 123 4519 DOB 01-02-1950";
    let message = |id: &str, kind: &str, content: Value| {
        let mut m =
            json!({"from": "447700900001", "id": id, "timestamp": "1800000000", "type": kind});
        m[kind] = content;
        m
    };
    let messages = vec![
        message(
            "wamid.D1",
            "document",
            json!({"filename": format!("Discharge letter {patient}.pdf"), "caption": patient,
                   "mime_type": "application/pdf", "id": "m1"}),
        ),
        message(
            "wamid.C1",
            "contacts",
            json!([{"name": {"formatted_name": "Jane Doe", "first_name": "Jane"},
                    "phones": [{"phone": "+44 7700 900123"}],
                    "addresses": [{"street": "1 High Street", "city": "Leeds"}],
                    "birthday": "1950-02-01"}]),
        ),
        message(
            "wamid.P1",
            "location",
            json!({"name": "Jane's house", "address": "1 High Street, Leeds LS1 1AA",
                   "latitude": 53.8, "longitude": -1.5}),
        ),
        message(
            "wamid.O1",
            "order",
            json!({"catalog_id": "1", "text": patient, "product_items": []}),
        ),
        json!({"from": "447700900001", "id": "wamid.R1", "timestamp": "1800000000", "type": "text",
               "text": {"body": "hello"},
               "referral": {"headline": patient, "body": patient, "source_type": "ad"}}),
        message(
            "wamid.I1",
            "interactive",
            json!({"type": "list_reply", "list_reply": {"id": "x", "title": patient,
                                                         "description": patient}}),
        ),
    ];
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "0", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "447700900999", "phone_number_id": "1234567890"},
            "contacts": [{"profile": {"name": "Member"}, "wa_id": "447700900001"}],
            "messages": messages}}]}]
    }))
    .unwrap();
    server.deliver(&body);
    let (status, page) = server.get("/events", &[], Some(RELAY_TOKEN));
    assert_eq!(status, 200);
    for kept in [
        "999 123 4519",
        "Smith",
        "Jane",
        "High Street",
        "900123",
        "1950",
        "53.8",
    ] {
        assert!(!page.contains(kept), "{kept:?} kept: {page}");
    }
    let page: Value = serde_json::from_str(&page).unwrap();
    let stored = &page["events"][0]["body"]["entry"][0]["changes"][0]["value"]["messages"];
    let kinds: Vec<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "document",
            "contacts",
            "location",
            "order",
            "text",
            "interactive"
        ],
        "the types are kept"
    );
    server.stop();
}

#[test]
fn a_relay_cursor_that_is_not_a_non_negative_integer_is_a_400() {
    let mot = Mot::new();
    let mut server = Server::start_with(&mot, Some(RELAY_TOKEN));
    for bad in ["-1", "abc", "1.5", "", "99999999999999999999"] {
        let (status, _) = server.get("/events", &[("after", bad)], Some(RELAY_TOKEN));
        assert_eq!(status, 400, "after={bad:?}");
    }
    assert_eq!(
        server
            .get("/events", &[("after", "0")], Some(RELAY_TOKEN))
            .0,
        200
    );
    let (status, _) = server.post_json(
        "/events/ack",
        &json!({"upto": 1, "relay": "another-relay"}),
        Some(RELAY_TOKEN),
    );
    assert_eq!(status, 409, "an acknowledgement for another relay");
    server.stop();
}

/// `--listen 8081` is a port on this computer only, as people write it.
#[test]
fn a_bare_port_listens_on_127_0_0_1() {
    let mot = Mot::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"));
    cmd.args(["webhook", "serve", "--listen", &port.to_string()]);
    let mut server = Server::spawn(&mot, cmd, None);
    assert_eq!(
        server.addr,
        format!("127.0.0.1:{port}"),
        "{}",
        server.banner
    );
    server.stop();
}

/// A laptop whose `[relay] url` is `url`, with the WhatsApp settings `status
/// pull` needs (no delivery is open, so Graph is never asked).
fn laptop_with_relay(url: &str) -> Mot {
    let laptop = Mot::new();
    std::fs::write(
        laptop.config(),
        format!("[whatsapp]\nphone_number_id = \"1\"\n[relay]\nurl = \"{url}\"\n"),
    )
    .unwrap();
    laptop.add("Zed Quayle", "07700 900456", "Pharmacist", "Leeds");
    laptop
}

fn relay_events(relay: &Mot) -> Vec<String> {
    relay
        .sql()
        .prepare("SELECT CAST(body AS TEXT) FROM webhook_events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Erasing on the laptop reaches the relay's copy: every stored event from
/// the number or naming it (in any writing) is deleted there, and
/// `--verify` says the relay confirmed.
#[test]
fn members_remove_tells_the_relay_to_delete_every_event_naming_the_number() {
    let relay = Mot::new();
    let mut server = Server::start_with(&relay, Some(RELAY_TOKEN));
    server.deliver(&text("wamid.A", 456, "hello from me"));
    server.deliver(&text("wamid.B", 457, "ask Zed on 07700 900 456"));
    server.deliver(&text("wamid.C", 458, "nothing to see here"));
    // Without the relay token the relay deletes nothing.
    let (status, _) = server.post_json(
        "/events/erase",
        &json!({"phone": "+447700900456"}),
        Some("wrong-token"),
    );
    assert_eq!(status, 401);
    assert_eq!(relay_events(&relay).len(), 3);

    let laptop = laptop_with_relay(&format!("http://{}", server.addr));
    laptop
        .cmd(["members", "remove", "07700 900456", "--yes", "--verify"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .success()
        .stderr(predicates::str::contains("relay: confirmed"));
    let left = relay_events(&relay);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(left[0].contains("nothing to see here"), "{left:#?}");
    server.stop();
}

/// A relay that cannot be reached: the erasure stands on the laptop, is
/// remembered as owed, `--verify` says it is not confirmed, and the next
/// `status pull` delivers it before fetching events (so the person's
/// waiting message cannot bring them back as a sign-up).
#[test]
fn an_erasure_the_relay_did_not_confirm_is_owed_and_sent_at_the_next_status_pull() {
    let relay = Mot::new();
    let mut server = Server::start_with(&relay, Some(RELAY_TOKEN));
    server.deliver(&text("wamid.A", 456, "hello from me"));
    server.deliver(&text("wamid.C", 458, "nothing to see here"));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let laptop = laptop_with_relay(&nowhere);
    laptop
        .cmd(["members", "remove", "07700 900456", "--yes", "--verify"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("relay: not confirmed"));
    assert_eq!(laptop.members_json().len(), 0, "the erasure stands");

    std::fs::write(
        laptop.config(),
        format!(
            "[whatsapp]\nphone_number_id = \"1\"\n[relay]\nurl = \"http://{}\"\n",
            server.addr
        ),
    )
    .unwrap();
    laptop
        .cmd(["status", "pull"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .env("MOT_WHATSAPP_TOKEN", "test-token")
        .assert()
        .success();
    let left = relay_events(&relay);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(left[0].contains("nothing to see here"), "{left:#?}");
    // The person did not come back as a sign-up; only 07700 900458 did.
    let members = laptop.members_json();
    assert!(
        members.iter().all(|m| m["phone"] != "+447700900456"),
        "{members:#?}"
    );
    // Nothing is owed any more: the number is gone from the laptop too.
    laptop
        .cmd(["members", "verify-erased", "07700 900456"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .success();
    server.stop();
}

/// The laptop's config for a relay at `url`, for the number [`text`]'s
/// messages are sent to (no member is added).
fn relay_config(laptop: &Mot, url: &str) {
    std::fs::write(
        laptop.config(),
        format!("[whatsapp]\nphone_number_id = \"{PHONE_NUMBER_ID}\"\n[relay]\nurl = \"{url}\"\n"),
    )
    .unwrap();
}

/// A sign-up never approved is erased by `purge` as `members remove` erases
/// a member: the relay is owed the erasure of everything from or naming the
/// number, told at once, and (not confirmed here: no token) told again at
/// the next contact, here the next purge; until then `verify-erased` says
/// it is not done.
#[test]
fn purge_of_a_sign_up_never_approved_tells_the_relay_to_erase_it() {
    let relay = Mot::new();
    let mut server = Server::start_with(&relay, Some(RELAY_TOKEN));
    server.deliver(&text("wamid.A", 456, "hello, please add me"));
    server.deliver(&text("wamid.C", 458, "nothing to see here"));
    let laptop = Mot::new();
    relay_config(&laptop, &format!("http://{}", server.addr));
    let pull = || {
        laptop
            .cmd(["status", "pull"])
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .env("MOT_WHATSAPP_TOKEN", "test-token")
            .assert()
            .success();
    };
    // Both writers become sign-ups on the laptop; one has waited 40 days.
    pull();
    let pending = |phone: &str| {
        count(
            &laptop,
            &format!("SELECT count(*) FROM members WHERE status = 'pending' AND phone = '{phone}'"),
        )
    };
    assert_eq!((pending("+447700900456"), pending("+447700900458")), (1, 1));
    laptop
        .sql()
        .execute(
            "UPDATE members SET created_at = ?1 WHERE phone = '+447700900456'",
            [crate::common::days_ago(40)],
        )
        .unwrap();

    // Without the relay token the relay cannot be told: the erasure is owed.
    laptop
        .cmd(["purge"])
        .assert()
        .success()
        .stderr(predicates::str::contains("relay: not confirmed"));
    assert_eq!((pending("+447700900456"), pending("+447700900458")), (0, 1));
    assert_eq!(relay_events(&relay).len(), 2);
    laptop
        .cmd(["members", "verify-erased", "07700 900456"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the relay has not confirmed the erasure",
        ));

    // The next purge delivers it, though nothing is due; the other
    // sign-up's message stays.
    laptop
        .cmd(["purge"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .success()
        .stderr(predicates::str::contains("relay: confirmed"));
    let left = relay_events(&relay);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(left[0].contains("nothing to see here"), "{left:#?}");
    assert_eq!(count(&laptop, "SELECT count(*) FROM relay_erasures"), 0);
    assert_eq!(pending("+447700900456"), 0, "the sign-up did not come back");
    laptop
        .cmd(["members", "verify-erased", "07700 900456"])
        .assert()
        .success();
    server.stop();
}

/// `members prune` erases lapsed members as `members remove` does, the
/// relay's copy of their messages included.
#[test]
fn members_prune_tells_the_relay_to_erase_the_lapsed() {
    let relay = Mot::new();
    let mut server = Server::start_with(&relay, Some(RELAY_TOKEN));
    server.deliver(&text("wamid.A", 456, "hello from me"));
    server.deliver(&text("wamid.C", 458, "nothing to see here"));
    let laptop = Mot::new();
    relay_config(&laptop, &format!("http://{}", server.addr));
    for n in [456, 457, 458] {
        laptop.add(
            &format!("Member {n}"),
            &format!("07700 900{n}"),
            "Pharmacist",
            "Leeds",
        );
    }
    // A welcome 40 days ago reached everyone; three finished broadcasts 30,
    // 20 and 10 days ago: 07700 900456 was unreachable each time, the others
    // were reached.
    let conn = laptop.sql();
    for (b, days) in [(1, 40), (2, 30), (3, 20), (4, 10)] {
        let at = crate::common::days_ago(days);
        conn.execute(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state)
             VALUES (?1, 'notice', 'Notice', 'mot_notice', 'en_GB', '[\"Notice\"]', '{}',
                     'tester', ?2, ?2, 'finished')",
            rusqlite::params![b, at],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, attempts,
                                     error_code, error_class, error_message, sent_at, updated_at)
             SELECT ?1, id, phone,
                    CASE WHEN phone = '+447700900456' AND ?1 > 1 THEN 'failed' ELSE 'delivered' END,
                    'wamid.B' || ?1 || 'M' || id, 1,
                    CASE WHEN phone = '+447700900456' AND ?1 > 1 THEN 131026 END,
                    CASE WHEN phone = '+447700900456' AND ?1 > 1 THEN 'member' END,
                    CASE WHEN phone = '+447700900456' AND ?1 > 1 THEN 'Message undeliverable' END,
                    ?2, ?2
             FROM members",
            rusqlite::params![b, at],
        )
        .unwrap();
    }
    drop(conn);

    laptop
        .cmd(["members", "prune", "--yes"])
        .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
        .assert()
        .success()
        .stderr(predicates::str::contains("relay: confirmed"));
    let phones: Vec<Value> = laptop
        .members_json()
        .iter()
        .map(|m| m["phone"].clone())
        .collect();
    assert_eq!(phones, [json!("+447700900457"), json!("+447700900458")]);
    let left = relay_events(&relay);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(left[0].contains("nothing to see here"), "{left:#?}");
    assert_eq!(count(&laptop, "SELECT count(*) FROM relay_erasures"), 0);
    server.stop();
}
