//! Finding people and audiences, through the binary: word-matching filters,
//! a filter that matches nobody refused for a send, `members find`, names and
//! numbers split over several arguments as member references.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::{Mot, drama};
use crate::mock;

/// A mot installation wired to a mock Graph API running on its own runtime.
struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new() -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt
            .block_on(mock::Mock::start(mock::Options::default()))
            .unwrap();
        let mot = Mot::new();
        mot.use_mock(
            &mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            "rate_per_second = 200",
        );
        add_team(&mot);
        Rig { mot, mock, _rt: rt }
    }

    fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    fn count(&self, n: u32) -> usize {
        self.mock
            .count_by_recipient()
            .get(&drama(n)[1..])
            .copied()
            .unwrap_or(0)
    }
}

/// Fictional people with drama numbers 07700 900001–900004.
fn add_team(mot: &Mot) {
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Community pharmacist",
        "Riverside Pharmacy, Leeds",
    );
    mot.add(
        "Tom Barker",
        "07700 900002",
        "Pharmacy technician",
        "Hilltop Surgery, York",
    );
    mot.add(
        "Asha Begum",
        "07700 900003",
        "GP practice manager",
        "Leeds General Practice",
    );
    mot.add(
        "Zoë Ellis",
        "07700 900004",
        "Clinical pharmacist",
        "St Mary's Hospital, Bradford",
    );
}

fn ids(out: &[u8]) -> Vec<i64> {
    let v: Vec<Value> = serde_json::from_slice(out).unwrap();
    v.iter().map(|m| m["id"].as_i64().unwrap()).collect()
}

fn list_ids(mot: &Mot, args: &[&str]) -> Vec<i64> {
    let mut all = vec!["members", "list", "--format", "json"];
    all.extend_from_slice(args);
    let out = mot.cmd(all).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ids(&out.stdout)
}

#[test]
fn role_and_location_filters_match_words_in_order_ignoring_case() {
    let mot = Mot::new();
    add_team(&mot);
    assert_eq!(list_ids(&mot, &["--location", "leeds"]), [1, 3]);
    assert_eq!(list_ids(&mot, &["--role", "pharmacist"]), [1, 4]);
    assert_eq!(list_ids(&mot, &["--role", "COMMUNITY pharmacist"]), [1]);
    assert_eq!(list_ids(&mot, &["--location", "riverside leeds"]), [1]);
    assert_eq!(list_ids(&mot, &["--location", "st mary's"]), [4]);
    // Whole words only, in order.
    assert!(list_ids(&mot, &["--role", "pharm"]).is_empty());
    assert!(list_ids(&mot, &["--location", "leeds riverside"]).is_empty());
    // Several values of one flag are alternatives; flags combine.
    assert_eq!(
        list_ids(&mot, &["--location", "york", "--location", "bradford"]),
        [2, 4]
    );
    assert_eq!(
        list_ids(&mot, &["--location", "leeds", "--role", "pharmacist"]),
        [1]
    );
}

#[test]
fn members_list_with_a_filter_matching_nobody_is_an_empty_list() {
    let mot = Mot::new();
    add_team(&mot);
    assert!(list_ids(&mot, &["--location", "Leds"]).is_empty());
}

#[test]
fn send_counts_each_filter_in_the_dry_run_and_sends_by_words() {
    let rig = Rig::new();
    let out = rig
        .cmd(["send", "Check stock", "--dry-run", "--location", "leeds"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("would send to 2 member(s)"), "{text}");
    assert!(
        text.contains("--location \"leeds\" matches 2 member(s), 2 active"),
        "{text}"
    );
    let out = rig
        .cmd([
            "send",
            "Check stock",
            "--dry-run",
            "--format",
            "json",
            "--role",
            "pharmacist",
        ])
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["recipients"], 2);
    assert_eq!(plan["by_filter"][0]["flag"], "role");
    assert_eq!(plan["by_filter"][0]["value"], "pharmacist");
    assert_eq!(plan["by_filter"][0]["members"], 2);
    assert_eq!(rig.mock.requests(), 0);

    rig.cmd(["send", "Leeds only", "--yes", "--location", "leeds"])
        .assert()
        .success();
    assert_eq!([1, 2, 3, 4].map(|n| rig.count(n)), [1, 0, 1, 0]);
}

#[test]
fn send_and_request_refuse_a_filter_value_that_matches_no_member() {
    let rig = Rig::new();
    for command in ["send", "request"] {
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec![command, "Urgent recall", "--yes"];
            args.extend_from_slice(extra);
            args.extend_from_slice(&["--location", "Leds", "--role", "pharmacist"]);
            rig.cmd(&args)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "--location \"Leds\" matches no member",
                ))
                .stderr(predicate::str::contains("\"Leeds General Practice\""))
                .stderr(predicate::str::contains("\"Riverside Pharmacy, Leeds\""))
                .stderr(predicate::str::contains("--role").not());
        }
    }
    // A typo in a role is named too, with the closest roles.
    rig.cmd(["send", "Urgent recall", "--yes", "--role", "pharmacsit"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--role \"pharmacsit\" matches no member",
        ))
        .stderr(predicate::str::contains("\"Community pharmacist\""));
    assert_eq!(rig.mock.requests(), 0);
    let broadcasts: i64 = rig
        .mot
        .sql()
        .query_row("SELECT count(*) FROM broadcasts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(broadcasts, 0, "nothing was written");
}

#[test]
fn list_by_name_and_find_by_name_phone_role_or_location() {
    let mot = Mot::new();
    add_team(&mot);
    assert_eq!(list_ids(&mot, &["--name", "asha"]), [1, 3]);
    assert_eq!(list_ids(&mot, &["--name", "zoë"]), [4]);
    assert_eq!(
        list_ids(&mot, &["--name", "asha", "--location", "leeds general"]),
        [3]
    );
    let find = |args: &[&str]| {
        let mut all = vec!["members", "find", "--format", "json"];
        all.extend_from_slice(args);
        let out = mot.cmd(all).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ids(&out.stdout)
    };
    assert_eq!(find(&["Patel"]), [1]);
    assert_eq!(find(&["+44 7700 900002"]), [2]);
    assert_eq!(find(&["447700900002"]), [2]);
    assert_eq!(find(&["07700", "900003"]), [3]);
    assert_eq!(find(&["900004"]), [4]);
    assert_eq!(find(&["technician"]), [2]);
    assert_eq!(find(&["leeds"]), [1, 3]);
    assert!(find(&["nobody"]).is_empty());
    // As people type: no accent, any case.
    assert_eq!(find(&["zoe"]), [4]);
    assert_eq!(find(&["ZOE", "ELLIS"]), [4]);
    assert_eq!(list_ids(&mot, &["--name", "Zoe"]), [4]);
}

#[test]
fn show_takes_a_unique_name_and_lists_the_candidates_otherwise() {
    let mot = Mot::new();
    add_team(&mot);
    mot.cmd(["members", "show", "Tom", "Barker"])
        .assert()
        .success()
        .stdout(predicate::str::contains("07700 900002"));
    mot.cmd(["members", "show", "asha"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2 members are named \"asha\""))
        .stderr(predicate::str::contains("Asha Patel"))
        .stderr(predicate::str::contains("Asha Begum"))
        .stderr(predicate::str::contains("give the member's id"));
    mot.cmd(["members", "show", "Nobody", "Here"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no member is named"));
    // A number with a letter O for a zero is explained as a number.
    mot.cmd(["members", "show", "07700", "9OOOO1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("letters are not allowed"));
}

#[test]
fn a_phone_split_over_several_arguments_is_one_member_reference() {
    let mot = Mot::new();
    add_team(&mot);
    mot.cmd(["members", "show", "07700", "900001", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Asha Patel"));
    mot.cmd([
        "members",
        "edit",
        "07700",
        "900002",
        "--location",
        "Hilltop Surgery, Harrogate",
    ])
    .assert()
    .success();
    assert_eq!(list_ids(&mot, &["--location", "harrogate"]), [2]);
    mot.cmd(["members", "opt-out", "+44", "7700", "900003", "--yes"])
        .assert()
        .success();
    mot.cmd(["members", "lapse", "07700", "900004", "--yes"])
        .assert()
        .success();
    mot.cmd(["members", "reactivate", "07700", "900004", "--yes"])
        .assert()
        .success();
    assert_eq!(list_ids(&mot, &["--status", "opted_out"]), [3]);
    assert_eq!(list_ids(&mot, &["--status", "active"]), [1, 2, 4]);
    mot.sql()
        .execute("UPDATE members SET status = 'pending' WHERE id = 1", [])
        .unwrap();
    mot.cmd(["members", "approve", "07700", "900", "001"])
        .assert()
        .success();
    assert_eq!(list_ids(&mot, &["--status", "active"]), [1, 2, 4]);
    mot.cmd(["members", "remove", "07700", "900002", "--yes"])
        .assert()
        .success();
    assert_eq!(list_ids(&mot, &[]), [1, 3, 4]);
}
