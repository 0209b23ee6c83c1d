//! Lapsed members through the real binary and the mock Graph API: the
//! report, prune (dry run, confirmation, erasure), the team's hand on each
//! status, and statuses surviving a list → import round trip.

use std::collections::HashMap;

use serde_json::Value;

use crate::common::{Mot, drama};
use crate::mock;

struct Rig {
    mot: Mot,
    mock: mock::Mock,
    _rt: tokio::runtime::Runtime,
}

impl Rig {
    fn new(opts: mock::Options, members: u32) -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
        let mot = Mot::new();
        mot.use_mock(
            &mock.base_url(),
            mock::DEFAULT_PHONE_NUMBER_ID,
            "rate_per_second = 200",
        );
        mot.import_drama((1..=members).map(|n| (n, "Pharmacist", "Leeds")));
        Rig { mot, mock, _rt: rt }
    }

    fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.mot.cmd(args);
        cmd.env("MOT_WHATSAPP_TOKEN", mock::DEFAULT_TOKEN);
        cmd
    }

    fn json(&self, args: &[&str]) -> (i32, Value, String) {
        let out = self.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let v = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{stderr}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code().unwrap(), v, stderr)
    }

    /// Sends one broadcast with these members' sends failing with these codes.
    fn broadcast(&self, text: &str, failing: &[(u32, u32)]) {
        self.broadcast_at(None, text, failing);
    }

    /// The same, with mot's clock at `at` (`MOT_NOW`).
    fn broadcast_at(&self, at: Option<&str>, text: &str, failing: &[(u32, u32)]) {
        for n in 1..=9 {
            self.mock.set_fail(&drama(n)[1..], None);
        }
        for (n, code) in failing {
            self.mock.set_fail(&drama(*n)[1..], Some(*code));
        }
        let mut cmd = self.cmd(["send", text, "--yes"]);
        if let Some(at) = at {
            cmd.env("MOT_NOW", at);
        }
        let out = cmd.output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Each broadcast's recipients and counts by state.
    fn counts(&self) -> Vec<(Value, Value)> {
        let (_, list, _) = self.json(&["broadcasts", "list", "--format", "json"]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|b| (b["recipients"].clone(), b["counts"].clone()))
            .collect()
    }
}

/// Week `w` of a trial that starts a day from now (mot's clock, `MOT_NOW`).
fn week(w: i64) -> String {
    let start = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    (start + jiff::SignedDuration::from_hours(24 * 7 * w)).to_string()
}

fn statuses(mot: &Mot) -> HashMap<String, String> {
    mot.members_json()
        .iter()
        .map(|m| {
            (
                m["phone"].as_str().unwrap().to_string(),
                m["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn report_prune_dry_run_then_erase_keeps_counts() {
    let rig = Rig::new(mock::Options::default(), 8);
    // Everyone but 6 is reached once; then, a week apart, 1 and 2 are
    // unreachable (131026) every time; 3 fails twice then is delivered; 5
    // only meets Meta's marketing limit (never counted); 6 never gets one.
    rig.broadcast_at(Some(&week(0)), "Welcome", &[(6, 131026)]);
    rig.cmd(["status", "pull"]).assert().success();
    rig.broadcast_at(
        Some(&week(1)),
        "First notice",
        &[
            (1, 131026),
            (2, 131026),
            (3, 131026),
            (5, 131049),
            (6, 131026),
        ],
    );
    rig.broadcast_at(
        Some(&week(2)),
        "Second notice",
        &[
            (1, 131009),
            (2, 131026),
            (3, 131026),
            (5, 131049),
            (6, 131026),
        ],
    );
    rig.broadcast_at(
        Some(&week(3)),
        "Third notice",
        &[(1, 131026), (2, 131026), (5, 131049), (6, 131026)],
    );
    // An outage: 7 of 8 fail with one code; it counts for nobody.
    rig.broadcast_at(
        Some(&week(4)),
        "Fourth notice",
        &[1, 2, 3, 4, 5, 6, 7].map(|n| (n, 131026)),
    );
    rig.cmd(["status", "pull"])
        .env("MOT_NOW", week(5))
        .assert()
        .success();

    let (code, everyone, stderr) = rig.json(&["report", "lapsed", "--format", "json"]);
    assert_eq!(code, 0);
    let rows = everyone.as_array().unwrap();
    let phones: Vec<&str> = rows.iter().map(|r| r["phone"].as_str().unwrap()).collect();
    assert_eq!(phones, [drama(1), drama(2), drama(6)]);
    let never: Vec<bool> = rows
        .iter()
        .map(|r| r["never_reached"].as_bool().unwrap())
        .collect();
    assert_eq!(
        never,
        [false, false, true],
        "6 was never reached, not lapsed"
    );
    let report = serde_json::json!(rows[..2]);
    for r in &rows[..] {
        assert_eq!(r["status"], "active");
        assert_eq!(r["role"], "Pharmacist");
        let evidence = r["evidence"].as_array().unwrap();
        let ids: Vec<i64> = evidence
            .iter()
            .map(|e| e["broadcast_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [4, 3, 2], "the outage broadcast 5 is not evidence");
        assert!(evidence.iter().all(|e| e["error_class"] == "member"
            && e["state"] == "failed"
            && e["at"].is_string()));
        assert_eq!(r["since"], evidence[2]["at"]);
    }
    assert_eq!(rows[0]["evidence"][1]["error_code"], 131009);
    assert!(
        stderr.contains("broadcast 5") && stderr.contains("7 of 8"),
        "{stderr}"
    );

    // A dry run lists the same members and changes nothing.
    let before = statuses(&rig.mot);
    let counts = rig.counts();
    let (code, dry, stderr) = rig.json(&["members", "prune", "--dry-run", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(dry, report, "the never reached are not pruned");
    assert!(stderr.contains("2 member(s) would be erased"), "{stderr}");
    assert!(
        stderr.contains("1 never-reached member(s) kept"),
        "{stderr}"
    );
    assert_eq!(statuses(&rig.mot), before);

    // Without a terminal, pruning needs --yes.
    let out = rig.cmd(["members", "prune"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(statuses(&rig.mot), before);

    // --keep-lapsed marks them, and the report still shows them.
    rig.cmd(["members", "prune", "--keep-lapsed", "--yes"])
        .assert()
        .success();
    let now = statuses(&rig.mot);
    assert_eq!(now[&drama(1)], "lapsed");
    assert_eq!(now[&drama(3)], "active");
    let (_, lapsed, _) = rig.json(&["members", "list", "--status", "lapsed", "--format", "json"]);
    assert_eq!(lapsed.as_array().unwrap().len(), 2);
    assert_eq!(now[&drama(6)], "active", "never reached: left alone");
    let (_, report, _) = rig.json(&["report", "lapsed", "--format", "json"]);
    assert_eq!(report[1]["status"], "lapsed");

    let (code, done, _) = rig.json(&["members", "prune", "--yes", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        (done["action"].as_str(), done["members"].as_i64()),
        (Some("erased"), Some(2))
    );
    assert_eq!(done["never_reached_kept"], 1);
    let left = statuses(&rig.mot);
    assert_eq!(left.len(), 6);
    assert!(!left.contains_key(&drama(1)) && !left.contains_key(&drama(2)));
    assert_eq!(rig.counts(), counts, "a broadcast's totals do not change");
    let (_, report, _) = rig.json(&["report", "lapsed", "--format", "json"]);
    let phones: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["phone"].as_str().unwrap())
        .collect();
    assert_eq!(phones, [drama(6)], "only the never reached are left");

    // The audit says how many and under which rule, never who.
    let conn = rig.mot.sql();
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit WHERE command = 'members prune' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["members"], 2);
    assert_eq!(detail["rule"]["broadcasts"], 3);
    assert_eq!(detail["rule"]["min_days"], 14);
    assert!(!detail.to_string().contains("7700900"));

    // Not a byte of them is left in the file.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(rig.mot.db()).unwrap();
    if let Ok(wal) = std::fs::read(rig.mot.db().with_extension("db-wal")) {
        bytes.extend(wal);
    }
    let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    for gone in [
        "7700900001",
        "7700900002",
        "07700 900001",
        "Member 1",
        "Member 2",
    ] {
        assert!(!found(gone), "{gone:?} is still in the database file");
    }
    // The check can see a member who is still there.
    assert!(found("7700900003") && found("Member 3"));

    // Asked for, they go too.
    let (code, done, _) = rig.json(&[
        "members",
        "prune",
        "--include-never-reached",
        "--yes",
        "--format",
        "json",
    ]);
    assert_eq!((code, done["members"].as_i64()), (0, Some(1)));
    assert!(!statuses(&rig.mot).contains_key(&drama(6)));
}

#[test]
fn three_failures_in_one_morning_lapse_nobody() {
    let rig = Rig::new(mock::Options::default(), 3);
    rig.broadcast("Welcome", &[]);
    rig.cmd(["status", "pull"]).assert().success();
    // Member 1's next three messages fail for a member reason, minutes apart.
    for text in ["Notice one", "Notice two", "Notice three"] {
        rig.broadcast(text, &[(1, 131026)]);
    }
    let (code, report, _) = rig.json(&["report", "lapsed", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        report,
        serde_json::json!([]),
        "a bad morning is not a lost member"
    );
    let (code, done, _) = rig.json(&["members", "prune", "--yes", "--format", "json"]);
    assert_eq!((code, done["members"].as_i64()), (0, Some(0)));
    assert_eq!(statuses(&rig.mot).len(), 3);
    // Three weeks on, the same three failures, a week apart, do lapse them.
    for (w, text) in ["Week one", "Week two", "Week three"].iter().enumerate() {
        rig.broadcast_at(Some(&week(w as i64 + 1)), text, &[(1, 131026)]);
    }
    let (_, report, _) = rig.json(&["report", "lapsed", "--format", "json"]);
    assert_eq!(report[0]["phone"], drama(1));
    assert_eq!(report[0]["never_reached"], false);
}

#[test]
fn the_team_can_set_every_status_and_each_change_is_audited() {
    let mot = Mot::new();
    mot.import_drama([(1, "Pharmacist", "Leeds")]);
    let status = || statuses(&mot)[&drama(1)].clone();

    let out = mot.cmd(["members", "lapse", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "needs --yes without a terminal");
    assert_eq!(status(), "active");
    mot.cmd(["members", "lapse", "1", "--yes"])
        .assert()
        .success();
    assert_eq!(status(), "lapsed");
    mot.cmd(["members", "reactivate", "07700 900001", "--yes"])
        .assert()
        .success();
    assert_eq!(status(), "active");
    mot.cmd(["members", "opt-out", "1", "--yes"])
        .assert()
        .success();
    assert_eq!(status(), "opted_out");
    let out = mot
        .cmd(["members", "reactivate", "1", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reason"));
    assert_eq!(status(), "opted_out");
    mot.cmd([
        "members",
        "reactivate",
        "1",
        "--yes",
        "--reason",
        "asked by email to rejoin",
    ])
    .assert()
    .success();
    assert_eq!(status(), "active");

    let conn = mot.sql();
    let rows: Vec<(String, String)> = conn
        .prepare(
            "SELECT command, detail FROM audit WHERE command IN
             ('members lapse', 'members reactivate', 'members opt-out') ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let commands: Vec<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        commands,
        [
            "members lapse",
            "members reactivate",
            "members opt-out",
            "members reactivate"
        ]
    );
    let last: Value = serde_json::from_str(&rows[3].1).unwrap();
    assert_eq!(last["from"], "opted_out");
    assert_eq!(last["reason"], "asked by email to rejoin");
    let first: Value = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(
        (first["from"].as_str(), first["to"].as_str()),
        (Some("active"), Some("lapsed"))
    );
}

#[test]
fn every_status_survives_a_list_import_round_trip() {
    let mot = Mot::new();
    let csv = format!(
        "name,phone,role,location,status\n\
         Asha,{},Pharmacist,Leeds,active\n\
         Ben,{},Pharmacist,York,opted_out\n\
         Cara,{},GP practice manager,\"Hill Surgery, Leeds\",lapsed\n\
         (WhatsApp user),{},,,pending\n",
        drama(1),
        drama(2),
        drama(3),
        drama(4)
    );
    mot.cmd(["members", "import", "-"])
        .write_stdin(csv)
        .assert()
        .success();
    let listed = mot
        .cmd(["members", "list", "--format", "csv"])
        .output()
        .unwrap()
        .stdout;

    let fresh = Mot::new();
    let file = fresh.write("members.csv", &listed);
    fresh
        .cmd(["members", "import", file.to_str().unwrap()])
        .assert()
        .success();
    let keep = |m: &Value| {
        ["name", "phone", "role", "location", "status"].map(|k| m[k].as_str().unwrap().to_string())
    };
    let a: Vec<_> = mot.members_json().iter().map(keep).collect();
    let b: Vec<_> = fresh.members_json().iter().map(keep).collect();
    assert_eq!(a, b);
    assert_eq!(b[1][4], "opted_out");
    assert_eq!(b[3][4], "pending");

    // An unknown status word is refused with its line, and nothing is imported.
    let bad = fresh.write(
        "bad.csv",
        format!(
            "name,phone,role,location,status\nDee,{},R,L,retired\n",
            drama(5)
        ),
    );
    let out = fresh
        .cmd(["members", "import", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("line 2, column status"), "{stdout}");
    assert_eq!(fresh.members_json().len(), 4);
}
