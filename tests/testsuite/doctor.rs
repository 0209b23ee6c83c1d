//! `mot doctor` against the mock Graph API: every check, both formats, and
//! never a secret in what it prints.

use serde_json::Value;

use crate::common::Mot;
use crate::common::receiver::Receiver;
use crate::common::server::{SECRET, VERIFY_TOKEN};
use crate::mock;
use crate::mock::account::{AccountOptions, MockTemplate, template_status_webhook};

struct Rig {
    mot: Mot,
    _mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    /// A mot wired to a mock whose account is `account`, with `[broadcast]` lines `broadcast`.
    fn new(account: AccountOptions, broadcast: &str) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let opts = mock::Options {
            account,
            ..mock::Options::default()
        };
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        std::fs::write(
            mot.config(),
            format!(
                "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\nbusiness_account_id = \"{}\"\n\
                 [broadcast]\ntemplate = \"mot_notice\"\n{broadcast}\n",
                mock.base_url(),
                mock::DEFAULT_PHONE_NUMBER_ID,
                mock::account::DEFAULT_BUSINESS_ACCOUNT_ID,
            ),
        )
        .unwrap();
        mot.import_drama((1..=3).map(|n| (n, "Pharmacist", "Leeds")));
        Rig {
            mot,
            _mock: mock,
            _rt: rt,
        }
    }

    /// `mot doctor --format json` with `token`: (exit code, checks by name, all output).
    fn doctor(&self, token: &str) -> (i32, Vec<Value>, String) {
        let out = self
            .mot
            .cmd(["doctor", "--format", "json"])
            .env("MOT_WHATSAPP_TOKEN", token)
            .env("MOT_WHATSAPP_APP_SECRET", SECRET)
            .env("MOT_WEBHOOK_VERIFY_TOKEN", VERIFY_TOKEN)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in [token, SECRET, VERIFY_TOKEN] {
            assert!(!all.contains(secret), "a secret was printed: {all}");
        }
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {all}"));
        let checks = report["checks"].as_array().unwrap().clone();
        (out.status.code().unwrap(), checks, all)
    }

    fn deliver(&self, bodies: &[Value]) {
        let server = Receiver::start(&self.mot, None);
        for body in bodies {
            server.deliver(&serde_json::to_vec(body).unwrap());
        }
        server.wait_applied(&self.mot);
    }
}

fn check<'a>(checks: &'a [Value], name: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {checks:#?}"))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn all_ok_and_the_json_shape() {
    let rig = Rig::new(AccountOptions::default(), "");
    rig.deliver(&[template_status_webhook(
        "mot_notice",
        "en_GB",
        "APPROVED",
        now(),
    )]);
    // Before the retention policy was ever applied, the doctor says so.
    let (_, checks, _) = rig.doctor(mock::DEFAULT_TOKEN);
    assert_eq!(check(&checks, "retention")["status"], "warn");
    rig.mot.cmd(["purge"]).assert().success();
    let (code, checks, all) = rig.doctor(mock::DEFAULT_TOKEN);
    for c in &checks {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["detail", "help", "name", "status"], "{c}");
        assert_eq!(c["status"], "ok", "{all}");
    }
    assert_eq!(code, 0);
    for name in [
        "config",
        "database",
        "token",
        "number quality",
        "messaging limit",
        "template notice",
        "webhooks",
        "account",
        "members pending",
        "members lapsed",
        "retention",
        "webhook secrets",
        "relay",
    ] {
        check(&checks, name);
    }
    assert!(
        check(&checks, "messaging limit")["detail"]
            .as_str()
            .unwrap()
            .contains("TIER_2K")
    );
    assert!(
        check(&checks, "webhooks")["detail"]
            .as_str()
            .unwrap()
            .contains("1 account event")
    );
    // The table says the same to a person.
    let out = rig
        .mot
        .cmd(["doctor"])
        .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
        .env("MOT_WHATSAPP_APP_SECRET", SECRET)
        .env("MOT_WEBHOOK_VERIFY_TOKEN", VERIFY_TOKEN)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("template notice"));
}

#[test]
fn a_wrong_token_fails_and_is_never_printed() {
    let rig = Rig::new(AccountOptions::default(), "");
    let (code, checks, _) = rig.doctor("an-expired-token-value");
    assert_eq!(code, 1);
    let token = check(&checks, "token");
    assert_eq!(token["status"], "fail");
    assert!(token["detail"].as_str().unwrap().contains("190"), "{token}");
    assert!(
        token["help"]
            .as_str()
            .unwrap()
            .contains("MOT_WHATSAPP_TOKEN")
    );
}

fn template_check(account: AccountOptions, broadcast: &str) -> Value {
    let rig = Rig::new(account, broadcast);
    let (code, checks, _) = rig.doctor(mock::DEFAULT_TOKEN);
    let c = check(&checks, "template notice").clone();
    assert_eq!(code, if c["status"] == "fail" { 1 } else { code });
    c
}

#[test]
fn template_problems_fail_with_what_to_do() {
    let missing = template_check(
        AccountOptions {
            templates: vec![MockTemplate::approved("other_template", "{{1}}")],
            ..AccountOptions::default()
        },
        "",
    );
    assert_eq!(missing["status"], "fail");
    assert!(
        missing["detail"]
            .as_str()
            .unwrap()
            .contains("no template of this name")
    );

    let mut paused = MockTemplate::approved("mot_notice", "{{1}}");
    paused.status = "PAUSED".into();
    let c = template_check(
        AccountOptions {
            templates: vec![paused],
            ..AccountOptions::default()
        },
        "",
    );
    assert_eq!(c["status"], "fail");
    assert!(c["detail"].as_str().unwrap().contains("PAUSED"), "{c}");

    let mut welsh = MockTemplate::approved("mot_notice", "{{1}}");
    welsh.language = "cy_GB".into();
    let c = template_check(
        AccountOptions {
            templates: vec![welsh],
            ..AccountOptions::default()
        },
        "",
    );
    assert_eq!(c["status"], "fail");
    assert!(c["detail"].as_str().unwrap().contains("cy_GB"), "{c}");
    assert!(c["help"].as_str().unwrap().contains("language"), "{c}");

    // Configured for three paragraphs; the template has one parameter.
    let c = template_check(AccountOptions::default(), "body_params = 3");
    assert_eq!(c["status"], "fail");
    assert!(c["detail"].as_str().unwrap().contains("1 parameter"), "{c}");
    assert!(
        c["help"].as_str().unwrap().contains("body_params = 1"),
        "{c}"
    );

    let mut marketing = MockTemplate::approved("mot_notice", "{{1}}");
    marketing.category = "MARKETING".into();
    let c = template_check(
        AccountOptions {
            templates: vec![marketing],
            ..AccountOptions::default()
        },
        "",
    );
    assert_eq!(c["status"], "warn", "{c}");
}

#[test]
fn a_paused_webhook_and_a_red_number_fail() {
    // Meta's API agrees with the webhook (the newest report is one answer).
    let mut paused = MockTemplate::approved("mot_notice", "{{1}}");
    paused.status = "PAUSED".into();
    let rig = Rig::new(
        AccountOptions {
            quality_rating: "RED".into(),
            messaging_limit_tier: "TIER_250".into(),
            templates: vec![paused],
            ..AccountOptions::default()
        },
        "",
    );
    rig.deliver(&[template_status_webhook(
        "mot_notice",
        "en_GB",
        "PAUSED",
        now(),
    )]);
    let (code, checks, _) = rig.doctor(mock::DEFAULT_TOKEN);
    assert_eq!(code, 1);
    assert_eq!(check(&checks, "number quality")["status"], "fail");
    let paused: Vec<&Value> = checks
        .iter()
        .filter(|c| c["name"] == "template notice" && c["status"] == "fail")
        .collect();
    assert_eq!(paused.len(), 1, "{checks:#?}");
    assert!(
        paused[0]["detail"]
            .as_str()
            .unwrap()
            .contains("FIRST_PAUSE")
    );
}

#[test]
fn account_events_are_shown() {
    let rig = Rig::new(AccountOptions::default(), "");
    let restricted = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/webhooks/account/account_restricted.json"),
    )
    .unwrap();
    let unknown = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/webhooks/account/unknown_field.json"),
    )
    .unwrap();
    rig.deliver(&[
        serde_json::from_slice(&restricted).unwrap(),
        serde_json::from_slice(&unknown).unwrap(),
    ]);
    let (code, checks, _) = rig.doctor(mock::DEFAULT_TOKEN);
    assert_eq!(code, 1);
    let account = check(&checks, "account");
    assert_eq!(account["status"], "fail");
    assert!(
        account["detail"]
            .as_str()
            .unwrap()
            .contains("RESTRICTED_BIZ_INITIATED_MESSAGING")
    );
    let webhooks = check(&checks, "webhooks")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(webhooks.contains("2 account event(s)"), "{webhooks}");
    assert!(
        webhooks.contains("1 of fields mot does not read"),
        "{webhooks}"
    );
    assert!(
        webhooks.contains("the last business_capability_update"),
        "{webhooks}"
    );
}

#[test]
fn without_the_business_account_id_doctor_says_account_events_are_ignored() {
    let mot = Mot::new();
    std::fs::write(
        mot.config(),
        "[whatsapp]\nphone_number_id = \"1234567890\"\n",
    )
    .unwrap();
    let out = mot.cmd(["doctor", "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warned: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["status"] == "warn"
                && c["detail"]
                    .as_str()
                    .unwrap()
                    .contains("account and template events are ignored")
        })
        .collect();
    assert_eq!(warned.len(), 1, "{report:#}");
    assert!(
        warned[0].to_string().contains("business_account_id"),
        "{}",
        warned[0]
    );
}

#[test]
fn a_broken_config_is_reported_not_fatal() {
    let mot = Mot::new();
    std::fs::write(mot.config(), "[broadcast]\nno_such_key = 1\n").unwrap();
    let out = mot.cmd(["doctor", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &report["checks"][0];
    assert_eq!(c["name"], "config");
    assert_eq!(c["status"], "fail");
    assert!(c["detail"].as_str().unwrap().contains("no_such_key"), "{c}");
}

/// A database in a cloud-synced folder: `init` and doctor warn, and every
/// other command warns once a day, not at every run.
#[test]
fn a_database_in_a_synced_folder_is_warned_about_by_doctor_and_once_a_day() {
    let mot = Mot::bare();
    let db = mot.dir.path().join("Dropbox").join("mot.db");
    let run = |args: &[&str]| {
        let out = mot.cmd(args).env("MOT_DB", &db).output().unwrap();
        assert!(out.status.success() || args[0] == "doctor", "{out:?}");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let warned = |stderr: &str| stderr.contains("cloud-synced folder (Dropbox)");
    assert!(warned(&run(&["init"]).1));
    assert!(!warned(&run(&["members", "list"]).1), "warned once today");

    let (stdout, _) = run(&["doctor", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let checks = report["checks"].as_array().unwrap();
    let location = check(checks, "database location");
    assert_eq!(location["status"], "warn", "{location}");
    assert!(warned(location["detail"].as_str().unwrap()), "{location}");

    // The next day, the first command warns again, and the second does not.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE settings SET value = '2000-01-01' WHERE key = 'location_warned_on'",
            [],
        )
        .unwrap();
    assert!(warned(&run(&["members", "list"]).1));
    assert!(!warned(&run(&["members", "list"]).1));
}
