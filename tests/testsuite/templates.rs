//! `mot templates sync|list` against the mock, and what a synced template
//! changes in `mot send --dry-run`.

use serde_json::Value;

use crate::common::Mot;
use crate::mock;
use crate::mock::account::{AccountOptions, MockTemplate};

fn start(rt: &tokio::runtime::Runtime, category: &str) -> mock::Mock {
    let mut notice =
        MockTemplate::approved("mot_notice", "Medicines update\n\n{{1}}\n\nAction: {{2}}");
    notice.category = category.to_string();
    let mut request = MockTemplate::approved("mot_request", "Please reply: {{1}}");
    request.buttons = vec!["Yes".into(), "No".into()];
    let opts = mock::Options {
        account: AccountOptions {
            templates: vec![notice, request],
            ..AccountOptions::default()
        },
        ..mock::Options::default()
    };
    rt.block_on(mock::Mock::start(opts)).unwrap()
}

fn configure(mot: &Mot, mock: &mock::Mock) {
    std::fs::write(
        mot.config(),
        format!(
            "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\nbusiness_account_id = \"{}\"\n\
             [broadcast]\ntemplate = \"mot_notice\"\n",
            mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            mock::account::DEFAULT_BUSINESS_ACCOUNT_ID,
        ),
    )
    .unwrap();
}

fn sync(mot: &Mot) -> (Vec<Value>, String) {
    let out = mot
        .cmd(["templates", "sync", "--format", "json"])
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

#[test]
fn sync_keeps_templates_and_the_dry_run_shows_the_rendered_text() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = start(&rt, "UTILITY");
    let mot = Mot::new();
    configure(&mot, &mock);
    mot.import_drama([(1, "Pharmacist", "Leeds")]);

    let (list, _) = sync(&mot);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "mot_notice");
    assert_eq!(list[0]["body_params"], 2);
    assert_eq!(list[1]["buttons"], serde_json::json!(["Yes", "No"]));
    let listed = mot.cmd(["templates", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("mot_request"));

    // Two parameters come from the synced template: no body_params configured.
    let out = mot
        .cmd([
            "send",
            "Amoxicillin 250mg is back in stock.\n\nReorder as usual.",
            "--dry-run",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("  | Medicines update"), "{text}");
    assert!(
        text.contains("  | Amoxicillin 250mg is back in stock."),
        "{text}"
    );
    assert!(text.contains("  | Action: Reorder as usual."), "{text}");
    assert!(!text.contains("MARKETING"), "{text}");
}

#[test]
fn a_template_moved_from_utility_to_marketing_is_flagged() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mot = Mot::new();
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    let utility = start(&rt, "UTILITY");
    configure(&mot, &utility);
    sync(&mot);
    let marketing = start(&rt, "MARKETING");
    configure(&mot, &marketing);
    let (list, stderr) = sync(&mot);
    assert!(
        stderr.contains("changed from UTILITY to MARKETING"),
        "{stderr}"
    );
    assert_eq!(list[0]["previous_category"], "UTILITY");
    let table = mot.cmd(["templates", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("was UTILITY"));
    let dry = mot
        .cmd(["send", "Update\n\nNone", "--dry-run"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&dry.stdout).contains("UTILITY to MARKETING"));
}

#[test]
fn sync_needs_the_business_account_id() {
    let mot = Mot::new();
    mot.cmd(["templates", "sync"])
        .env("MOT_WHATSAPP_TOKEN", "x")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("business_account_id"));
}

/// A mock whose business account holds `mot_notice` (one parameter) in `status`.
fn start_with_status(rt: &tokio::runtime::Runtime, status: &str) -> mock::Mock {
    let mut notice = MockTemplate::approved("mot_notice", "{{1}}");
    notice.status = status.to_string();
    let opts = mock::Options {
        account: AccountOptions {
            templates: vec![notice],
            ..AccountOptions::default()
        },
        ..mock::Options::default()
    };
    rt.block_on(mock::Mock::start(opts)).unwrap()
}

fn send(mot: &Mot, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["send", "Amoxicillin 250mg is back in stock."];
    args.extend_from_slice(extra);
    mot.cmd(args)
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .output()
        .unwrap()
}

fn broadcasts(mot: &Mot) -> i64 {
    mot.sql()
        .query_row("SELECT count(*) FROM broadcasts", [], |r| r.get(0))
        .unwrap()
}

/// The state mot stored for `mot_notice` (en_GB) from Meta's API.
fn stored_status(mot: &Mot) -> Option<String> {
    mot.sql()
        .query_row(
            "SELECT status FROM templates WHERE name = 'mot_notice' AND language = 'en_GB'",
            [],
            |r| r.get(0),
        )
        .ok()
}

/// A laptop without a receiver learns of a pause only through Meta's API:
/// a template `templates sync` reports PAUSED refuses a send (exit 6) and
/// its dry run, and a forced dry run shows the state it would send despite.
#[test]
fn a_template_sync_reports_paused_refuses_a_send_and_the_dry_run_shows_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = start_with_status(&rt, "PAUSED");
    let mot = Mot::new();
    configure(&mot, &mock);
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    sync(&mot);
    for extra in [&["--yes"][..], &["--dry-run"][..]] {
        let out = send(&mot, extra);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(6), "{extra:?}: {stderr}");
        assert!(stderr.contains("is PAUSED"), "{stderr}");
        assert!(stderr.contains("nothing was written or sent"), "{stderr}");
    }
    assert_eq!(broadcasts(&mot), 0);
    assert_eq!(mock.requests(), 0, "nothing sent");

    let out = send(&mot, &["--dry-run", "--force-template-state"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("template mot_notice (en_GB): PAUSED, from Meta's API"),
        "{text}"
    );
}

/// The dry run says what Meta last said about the template, and when.
#[test]
fn the_dry_run_shows_the_template_state_and_where_it_came_from() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = start_with_status(&rt, "APPROVED");
    let mot = Mot::new();
    configure(&mot, &mock);
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    sync(&mot);
    let out = send(&mot, &["--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("template mot_notice (en_GB): APPROVED, from Meta's API"),
        "{text}"
    );
    let json = send(&mot, &["--dry-run", "--format", "json"]);
    let plan: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(plan["template_state"]["event"], "APPROVED", "{plan}");
    assert_eq!(plan["template_state"]["source"], "api", "{plan}");
}

/// With the business account id configured and nothing heard of the
/// template for hours, a send asks Meta first and stores the answer: a
/// PAUSED refuses it, an APPROVED lets it go. A state heard recently is
/// trusted without asking.
#[test]
fn a_send_looks_the_template_up_when_its_state_is_not_recent() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let paused = start_with_status(&rt, "PAUSED");
    let mot = Mot::new();
    configure(&mot, &paused);
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    let out = send(&mot, &["--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("is PAUSED"), "{stderr}");
    assert_eq!(stored_status(&mot).as_deref(), Some("PAUSED"), "stored");
    assert_eq!(broadcasts(&mot), 0);

    // Unpaused at Meta, but mot heard PAUSED a moment ago: trusted, refused.
    let approved = start_with_status(&rt, "APPROVED");
    configure(&mot, &approved);
    assert_eq!(send(&mot, &["--yes"]).status.code(), Some(6));
    assert_eq!(approved.requests(), 0);

    // Hours later it is asked again, and the APPROVED is stored and sent.
    mot.sql()
        .execute(
            "UPDATE templates SET synced_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-4 hours')",
            [],
        )
        .unwrap();
    let out = send(&mot, &["--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(approved.received().len(), 1);
    assert_eq!(stored_status(&mot).as_deref(), Some("APPROVED"));

    // Never heard of at all: asked, APPROVED, sent.
    let fresh = Mot::new();
    configure(&fresh, &approved);
    fresh.import_drama([(2, "Pharmacist", "Leeds")]);
    let out = send(&fresh, &["--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stored_status(&fresh).as_deref(), Some("APPROVED"));
}

/// A look-up that fails does not stop an urgent send on its own: it says
/// so and decides on what was last known.
#[test]
fn a_failed_template_look_up_warns_and_decides_on_the_last_known_state() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = start_with_status(&rt, "APPROVED");
    let mot = Mot::new();
    std::fs::write(
        mot.config(),
        format!(
            "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\nbusiness_account_id = \"0000000000000009\"\n\
             [broadcast]\ntemplate = \"mot_notice\"\n",
            mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
        ),
    )
    .unwrap();
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    let out = send(&mot, &["--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: cannot look up template \"mot_notice\""),
        "{stderr}"
    );
    assert_eq!(mock.received().len(), 1);
}
