//! Account events (template, number and account webhooks, marketing
//! preferences, value.errors) through the receiver and the relay: stored,
//! shown, and acted on.

mod common;

use std::path::PathBuf;

use common::Mot;
use common::receiver::Receiver;

const RELAY_TOKEN: &str = "test-relay-token";

/// Every account fixture, built from Meta's documented shapes.
const FIXTURES: [&str; 16] = [
    "template_approved",
    "template_paused",
    "template_disabled",
    "template_flagged",
    "template_rejected",
    "template_reinstated",
    "template_quality_red",
    "template_category_marketing",
    "number_downgrade_250",
    "account_restricted",
    "account_violation",
    "account_disabled",
    "account_alert",
    "user_preferences_stop",
    "value_errors",
    "unknown_field",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/webhooks/account")
        .join(format!("{name}.json"));
    std::fs::read(path).unwrap()
}

fn count(mot: &Mot, sql: &str) -> i64 {
    mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// (field, event, known, source) of every stored account event, in id order.
fn stored(mot: &Mot) -> Vec<(String, String, bool, String)> {
    mot.sql()
        .prepare("SELECT field, coalesce(event, ''), known, source FROM account_events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_field_is_stored_once_through_the_receiver() {
    let mot = Mot::new();
    mot.add("Member 1", "+447700900001", "Pharmacist", "Leeds");
    let server = Receiver::start(&mot, None);
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    // Meta delivers at least once: the second round changes nothing.
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    server.wait_applied(&mot);
    let rows = stored(&mot);
    assert_eq!(rows.len(), FIXTURES.len(), "{rows:#?}");
    assert!(rows.iter().all(|r| r.3 == "webhook"));
    let fields: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for field in [
        "message_template_status_update",
        "message_template_quality_update",
        "template_category_update",
        "phone_number_quality_update",
        "account_update",
        "account_alerts",
        "user_preferences",
        "errors",
        "business_capability_update",
    ] {
        assert!(fields.contains(field), "{field} missing: {rows:#?}");
    }
    assert_eq!(
        rows.iter().filter(|r| !r.2).count(),
        1,
        "the unknown field is kept and marked"
    );
    // The marketing stop opted the member out, like a 131050 failure.
    let status: String = mot
        .sql()
        .query_row("SELECT status FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "opted_out");
    let log = server.log().join("\n");
    assert!(log.contains("business_capability_update"), "{log}");
}

#[test]
fn every_field_arrives_the_same_way_through_the_relay() {
    let server_side = Mot::new();
    let server = Receiver::start(&server_side, Some(RELAY_TOKEN));
    for name in FIXTURES {
        server.deliver(&fixture(name));
    }
    let laptop = Mot::new();
    laptop.add("Member 1", "+447700900001", "Pharmacist", "Leeds");
    std::fs::write(
        laptop.config(),
        format!(
            "[whatsapp]\nphone_number_id = \"100000000000001\"\n[relay]\nurl = \"{}\"\n",
            server.url()
        ),
    )
    .unwrap();
    for _ in 0..2 {
        laptop
            .cmd(["status", "pull"])
            .env("MOT_WHATSAPP_TOKEN", "test-token")
            .env("MOT_RELAY_TOKEN", RELAY_TOKEN)
            .assert()
            .success();
    }
    let rows = stored(&laptop);
    assert_eq!(rows.len(), FIXTURES.len(), "{rows:#?}");
    assert!(rows.iter().all(|r| r.3 == "relay"), "{rows:#?}");
    assert_eq!(
        count(
            &laptop,
            "SELECT count(*) FROM members WHERE status = 'opted_out'"
        ),
        1
    );
    assert_eq!(
        count(&server_side, "SELECT count(*) FROM account_events"),
        0,
        "a relay only stores"
    );
}
