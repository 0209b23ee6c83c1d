//! The conformance corpus (`tests/fixtures/webhooks/conformance`): webhook
//! bodies in the shapes other projects' test suites and Meta's reference
//! show, written blind (without reading mot's code), each with what must and
//! must not be kept once the real receiver has applied it. Every body is
//! applied to a copy of one small world: our number and business account,
//! three active members, one notice delivered to them as `wamid.SEED1..3`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::server::Server;
use crate::common::{Mot, drama};
use crate::mock;

const OUR_WABA: &str = "0000000000000001";

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks/conformance")
}

/// The world every body is applied to; its database is copied for each.
struct World {
    mot: Mot,
    mock: mock::Mock,
    /// Runs the mock.
    _rt: tokio::runtime::Runtime,
}

impl World {
    fn new() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt
            .block_on(mock::Mock::start(mock::Options::default()))
            .unwrap();
        let mot = Mot::new();
        // Seeded before the business account id is set, so that the seeding
        // send does not ask Meta's API about the template: the payloads
        // alone decide whether it can be sent (an APPROVED from the API,
        // newer than their fixed times, would outweigh them).
        std::fs::write(
            mot.config(),
            format!(
                "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\n\
                 [broadcast]\ntemplate = \"mot_notice\"\n",
                mock.base_url(),
                mock::DEFAULT_PHONE_NUMBER_ID
            ),
        )
        .unwrap();
        for (n, name) in [(1, "Ann Example"), (2, "Bob Example"), (3, "Cara Example")] {
            mot.add(name, &drama(n), "Pharmacist", "Leeds");
        }
        send(&mot, "Conformance world notice");
        let conn = mot.sql();
        for n in 1..=3 {
            let changed = conn
                .execute(
                    "UPDATE deliveries SET wamid = ?1, state = 'sent' WHERE phone = ?2",
                    (format!("wamid.SEED{n}"), drama(n)),
                )
                .unwrap();
            assert_eq!(changed, 1);
        }
        conn.close().unwrap();
        configure(&mot, &mock);
        World { mot, mock, _rt: rt }
    }

    /// A copy of the world (config and database) in a directory of its own.
    fn copy(&self) -> Mot {
        let copy = Mot::bare();
        std::fs::create_dir_all(copy.db().parent().unwrap()).unwrap();
        std::fs::create_dir_all(copy.config().parent().unwrap()).unwrap();
        std::fs::copy(self.mot.db(), copy.db()).unwrap();
        configure(&copy, &self.mock);
        copy
    }
}

fn configure(mot: &Mot, mock: &mock::Mock) {
    let config = format!(
        "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\n\
         business_account_id = \"{OUR_WABA}\"\n\
         [broadcast]\ntemplate = \"mot_notice\"\nlanguage = \"en_GB\"\n",
        mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID
    );
    std::fs::write(mot.config(), config).unwrap();
}

/// `mot send TEXT --yes` through the mock; its exit code.
fn send(mot: &Mot, text: &str) -> i32 {
    let out = mot
        .cmd(["send", text, "--yes"])
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .output()
        .unwrap();
    out.status.code().unwrap()
}

/// Every byte of the database file and its WAL (nothing may hold them open).
fn file_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(PathBuf::from(wal)).unwrap_or_default());
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// What one body did against what its expectation says: one line per miss.
fn check(world: &World, name: &str, expect: &Value) -> Vec<String> {
    let mot = world.copy();
    let body = std::fs::read(corpus().join(name)).unwrap();
    let mut server = Server::start(&mot);
    let (status, answer) = server.post(
        "/",
        body.clone(),
        Some(&mot::webhook::verify::sign(
            crate::common::server::SECRET.as_bytes(),
            &body,
        )),
    );
    server.stop();
    let mut misses = Vec::new();
    if status != 200 {
        misses.push(format!("answered {status} {answer:?}"));
    }
    let conn = mot.sql();
    if let Some(members) = expect["members"].as_object() {
        for (phone, want) in members {
            let got: String = conn
                .query_row(
                    "SELECT status FROM members WHERE phone = ?1",
                    [phone],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| "absent".to_string());
            if got != want.as_str().unwrap() {
                misses.push(format!("member {phone}: {got}, expected {want}"));
            }
        }
    }
    if let Some(deliveries) = expect["deliveries"].as_object() {
        for (wamid, want) in deliveries {
            let got: String = conn
                .query_row(
                    "SELECT state FROM deliveries WHERE wamid = ?1",
                    [wamid],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| "absent".to_string());
            if got != want.as_str().unwrap() {
                misses.push(format!("delivery {wamid}: {got}, expected {want}"));
            }
        }
    }
    for text in expect["inbox_texts"].as_array().into_iter().flatten() {
        let text = text.as_str().unwrap();
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM inbound WHERE instr(text, ?1) > 0",
                [text],
                |r| r.get(0),
            )
            .unwrap();
        if kept == 0 {
            misses.push(format!("inbox text {text:?} was not kept"));
        }
    }
    conn.close().unwrap();
    let bytes = file_bytes(&mot.db());
    for text in expect["not_stored"].as_array().into_iter().flatten() {
        let text = text.as_str().unwrap();
        if contains(&bytes, text) {
            misses.push(format!("{text:?} is stored"));
        }
    }
    if let Some(usable) = expect["template_usable"].as_bool() {
        let code = send(&mot, "Conformance check");
        let got = match code {
            0 => true,
            6 => false,
            other => {
                misses.push(format!("the check send exited {other}"));
                usable
            }
        };
        if got != usable {
            misses.push(format!(
                "template usable: {got}, expected {usable} (send exit {code})"
            ));
        }
    }
    misses
}

#[test]
fn every_conformance_payload_is_stored_and_applied_as_its_expectation_says() {
    let expect: Value =
        serde_json::from_slice(&std::fs::read(corpus().join("expect.json")).unwrap()).unwrap();
    let expect = expect.as_object().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "expect.json")
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        expect.len(),
        "every payload has an expectation"
    );
    assert!(names.len() >= 40, "the corpus has {} payloads", names.len());

    let world = World::new();
    let mut failed = Vec::new();
    for name in &names {
        let misses = check(&world, name, &expect[name]);
        if !misses.is_empty() {
            failed.push(format!("{name}: {}", misses.join("; ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} payloads were not handled as expected:\n{}",
        failed.len(),
        names.len(),
        failed.join("\n")
    );
}
