//! A team's first week, on the mock Graph API with mot's clock moved by
//! `MOT_NOW` (issue 21): a messy Excel import on Monday morning, a notice to
//! 304 pharmacies on the lowest messaging tier that is delivered in full
//! over two days, a request with on-time, free-text and late answers, a
//! purge every night, and on Friday a prune that erases a lapsed member and
//! spares one never reached.

use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::server::{PHONE_NUMBER_ID, Server};
use crate::common::{Mot, drama};
use crate::mock;
use crate::mock::account::AccountOptions;

/// Pharmacies on the list.
const PHARMACIES: u32 = 304;
/// GP practice managers: 403's WhatsApp is not set up (never reached); 405
/// is reached on Wednesday, then their number stops working.
const GP: [u32; 5] = [401, 402, 403, 404, 405];

struct Week {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Week {
    fn new() -> Week {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let opts = mock::Options {
            account: AccountOptions {
                messaging_limit_tier: "TIER_250".into(),
                ..AccountOptions::default()
            },
            ..mock::Options::default()
        };
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        std::fs::write(
            mot.config(),
            format!(
                "[whatsapp]\napi_base = \"{}\"\nphone_number_id = \"{}\"\nbusiness_account_id = \"{}\"\n\
                 [broadcast]\ntemplate = \"mot_notice\"\nrate_per_second = 1000\nconcurrency = 16\n\
                 [status]\nrate_per_second = 1000\nconcurrency = 16\n\
                 [lapsed]\nmin_days = 1\n\
                 [retention]\nwebhook_events = \"1d\"\nstatus_events = \"1d\"\n",
                mock.base_url(),
                mock::DEFAULT_PHONE_NUMBER_ID,
                mock::account::DEFAULT_BUSINESS_ACCOUNT_ID,
            ),
        )
        .unwrap();
        Week { mot, mock, _rt: rt }
    }

    /// Runs mot at `when` (this week of March 2030).
    fn at(&self, when: &str, args: &[&str]) -> Output {
        self.mot
            .cmd(args)
            .env("MOT_NOW", when)
            .env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN)
            .output()
            .unwrap()
    }

    /// Like [`Week::at`], insisting on exit `code`; returns stdout as JSON
    /// when it is JSON, else as a string.
    fn expect(&self, when: &str, args: &[&str], code: i32) -> Value {
        let out = self.at(when, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?} at {when}: {stderr}"
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&out.stdout).into()))
    }

    /// The nightly cron job: `mot purge` at 02:00.
    fn purge(&self, night: &str) -> Value {
        self.expect(night, &["purge", "--format", "json"], 0)
    }

    /// Member `n` writes `body` at `when`, through a receiver running then.
    fn writes(&self, when: &str, id: &str, n: u32, body: &str) {
        let server = Server::start_env(&self.mot, &[("MOT_NOW", when)]);
        let at = when.parse::<jiff::Timestamp>().unwrap().as_second();
        server.deliver(&serde_json::to_vec(&text(id, n, at, body)).unwrap());
        let start = Instant::now();
        while self.count("SELECT count(*) FROM webhook_events WHERE applied_at IS NULL") > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{:?}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn count(&self, sql: &str) -> i64 {
        self.mot.sql().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// A text message from member `n`, as Meta posts it.
fn text(id: &str, n: u32, at: i64, body: &str) -> Value {
    let from = drama(n)[1..].to_string();
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": mock::account::DEFAULT_BUSINESS_ACCOUNT_ID, "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "447700900999", "phone_number_id": PHONE_NUMBER_ID },
            "contacts": [{ "profile": { "name": format!("Member {n}") }, "wa_id": from }],
            "messages": [{ "id": id, "from": from, "timestamp": at.to_string(), "type": "text",
                           "text": { "body": body } }],
        } }] }],
    })
}

/// The practice list as Excel saves it: Windows-1252, semicolons, CRLF,
/// numbers written three ways, stray spaces, a blank line at the end.
fn practice_list() -> Vec<u8> {
    let mut csv = b"Name;Mobile;Role;Location\r\n".to_vec();
    let accented: [&[u8]; 3] = [b"Zo\xEB Adebayo", b"Si\xE2n Hughes", b"Jos\xE9 Garc\xEDa"];
    for n in 1..=PHARMACIES {
        let name: Vec<u8> = match n {
            1..=3 => accented[n as usize - 1].to_vec(),
            _ => format!(" Pharmacist {n} ").into_bytes(),
        };
        let phone = match n % 3 {
            0 => format!("07700 900{n:03}"),
            1 => format!("+447700900{n:03}"),
            _ => format!("07700900{n:03}"),
        };
        csv.extend(name);
        csv.extend(format!(";{phone};Community pharmacist;Pharmacy {n}, Leeds\r\n").bytes());
    }
    for n in GP {
        let line =
            format!("Practice manager {n};07700 900{n};GP practice manager;Hill Surgery\r\n");
        csv.extend(line.bytes());
    }
    csv.extend(b"\r\n");
    csv
}

#[test]
fn a_first_week_on_the_lowest_tier() {
    let week = Week::new();

    // Monday 08:50: the practice list, straight from Excel.
    let list = week.mot.write("practices.csv", practice_list());
    let import = week.expect(
        "2030-03-04T08:50:00Z",
        &[
            "members",
            "import",
            list.to_str().unwrap(),
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(import["encoding"], "windows-1252", "{import}");
    let members = week.mot.members_json();
    assert_eq!(members.len(), 309);
    let names: Vec<&str> = members[..4]
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Zoë Adebayo", "Siân Hughes", "José García", "Pharmacist 4"]
    );
    // Doctor learns the number's tier (250 members a day) from Meta.
    week.at("2030-03-04T08:55:00Z", &["doctor"]);

    // Monday 09:00: a notice to every pharmacy. 250 go now; 54 wait a day.
    let pharmacies = ["--role", "Community pharmacist"];
    let notice = "Amoxicillin 250mg capsules: supply disruption until Friday; use 500mg.";
    let dry = week.expect(
        "2030-03-04T09:00:00Z",
        &["send", notice, pharmacies[0], pharmacies[1], "--dry-run"],
        0,
    );
    let dry = dry.as_str().unwrap();
    assert!(
        dry.contains("250 now, 54 held until 2030-03-05 09:00"),
        "{dry}"
    );
    let mut args = vec!["send", notice, "--yes"];
    args.extend(pharmacies);
    week.expect("2030-03-04T09:00:00Z", &args, 6);
    assert_eq!(week.mock.received().len(), 250);
    week.expect("2030-03-04T09:30:00Z", &["status", "pull"], 0);
    week.purge("2030-03-05T02:00:00Z");

    // Tuesday 09:05: the window has rolled; the rest go, and all 304 arrive.
    week.expect(
        "2030-03-05T09:05:00Z",
        &["broadcasts", "resume", "1", "--yes"],
        0,
    );
    week.expect("2030-03-05T09:30:00Z", &["status", "pull"], 0);
    let shown = week.expect(
        "2030-03-05T09:31:00Z",
        &["broadcasts", "show", "1", "--format", "json"],
        0,
    );
    assert_eq!(
        (shown["recipients"].as_i64(), shown["delivered"].as_i64()),
        (Some(304), Some(304))
    );
    assert_eq!(shown["next_steps"], json!([]));
    week.purge("2030-03-06T02:00:00Z");

    // Wednesday 10:00: a request to the GP practices, open for a day.
    week.mock.set_fail(&drama(403)[1..], Some(131026));
    week.expect(
        "2030-03-06T10:00:00Z",
        &[
            "request",
            "Can your practice take part in the antibiotics audit?",
            "--option",
            "Yes",
            "--option",
            "No",
            "--closes-in",
            "1d",
            "--role",
            "GP practice manager",
            "--yes",
        ],
        3,
    );
    week.expect("2030-03-06T10:05:00Z", &["status", "pull"], 0);
    week.writes("2030-03-06T10:30:00Z", "wamid.W1", 401, "Option 1 👍");
    week.writes(
        "2030-03-06T11:00:00Z",
        "wamid.W2",
        402,
        "We can, but only after Easter",
    );
    // The free-text answer is filed by hand, from the inbox's id.
    let inbox = week.expect("2030-03-06T11:30:00Z", &["inbox", "--format", "json"], 0);
    let free = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"] == "We can, but only after Easter")
        .unwrap()["id"]
        .to_string();
    week.expect(
        "2030-03-06T11:35:00Z",
        &["replies", "2", "--assign", &free, "1", "--format", "json"],
        0,
    );
    week.purge("2030-03-07T02:00:00Z");

    // Thursday, after the request closed at 10:00: a plain "2" is kept, late.
    week.mock.set_fail(&drama(405)[1..], Some(131026));
    let gp = ["--role", "GP practice manager", "--yes"];
    let mut args = vec!["send", "Audit forms are in the post."];
    args.extend(gp);
    week.expect("2030-03-07T09:00:00Z", &args, 3);
    week.writes("2030-03-07T15:00:00Z", "wamid.W3", 404, "2");
    let replies = week.expect(
        "2030-03-07T15:05:00Z",
        &["replies", "2", "--format", "json"],
        0,
    );
    let answers: Vec<(i64, Value, bool, bool)> = replies["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["member_id"].as_i64().unwrap(),
                a["answer"].clone(),
                a["late"] == true,
                a["by_hand"] == true,
            )
        })
        .collect();
    let id = |n: u32| {
        members.iter().find(|m| m["phone"] == drama(n)).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        answers,
        [
            (id(401), json!("Yes"), false, false),
            (id(402), json!("Yes"), false, true),
            (id(404), json!("No"), true, false),
        ]
    );
    // A pharmacist writes about a patient: the screen keeps no text, and
    // that night's purge removes the message whole ([retention] flagged_inbound).
    week.writes(
        "2030-03-07T16:00:00Z",
        "wamid.W4",
        5,
        "Mrs Khan NHS 999 876 5439 needs her amoxicillin",
    );
    let purged = week.purge("2030-03-08T02:00:00Z");
    assert_eq!(removed(&purged, "flagged_inbound"), 1, "{purged}");

    // Friday: two more notices; 405's number still fails.
    for (when, words) in [
        ("2030-03-08T09:00:00Z", "Audit deadline moved to the 20th."),
        ("2030-03-08T15:00:00Z", "Thank you for taking part."),
    ] {
        let mut args = vec!["send", words];
        args.extend(gp);
        week.expect(when, &args, 3);
    }
    let lapsed = week.expect(
        "2030-03-08T17:00:00Z",
        &["report", "lapsed", "--format", "json"],
        0,
    );
    let found: Vec<(&str, bool)> = lapsed
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["phone"].as_str().unwrap(), l["never_reached"] == true))
        .collect();
    assert_eq!(
        found,
        [(drama(405).as_str(), false), (drama(403).as_str(), true)]
    );
    let pruned = week.expect(
        "2030-03-08T17:05:00Z",
        &["members", "prune", "--yes", "--format", "json"],
        0,
    );
    assert_eq!(
        (
            pruned["members"].as_i64(),
            pruned["never_reached_kept"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let phones: Vec<String> = week
        .mot
        .members_json()
        .iter()
        .map(|m| m["phone"].as_str().unwrap().to_string())
        .collect();
    assert!(phones.contains(&drama(403)), "the never reached are spared");
    assert!(!phones.contains(&drama(405)), "the lapsed are erased");

    // Saturday night: nothing more is due; no message of the week expired.
    let purged = week.purge("2030-03-09T02:00:00Z");
    assert_eq!(removed(&purged, "flagged_inbound"), 0);
    assert_eq!(
        week.count("SELECT count(*) FROM deliveries WHERE state = 'expired'"),
        0
    );
    assert_eq!(
        week.count("SELECT count(*) FROM inbound WHERE flagged IS NOT NULL"),
        0
    );
}

/// How many records of `kind` a purge report says it removed.
fn removed(purged: &Value, kind: &str) -> i64 {
    purged["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap()["records"]
        .as_i64()
        .unwrap()
}
