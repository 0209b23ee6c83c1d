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
