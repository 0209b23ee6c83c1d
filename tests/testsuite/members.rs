//! The member commands, run as a user would: the real binary on a temp database.

use std::io::Read;
use std::process::Stdio;

use predicates::prelude::*;
use serde_json::Value;

use crate::common;
use crate::common::{Mot, drama};

const HEADER: &str = "name,phone,role,location\n";

#[test]
fn init_twice_creates_private_files_and_never_clobbers() {
    let mot = Mot::bare();
    mot.cmd(["init"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(created)").count(2));
    for private in [
        &mot.config(),
        &mot.db(),
        &mot.db().parent().unwrap().to_path_buf(),
    ] {
        let exposure = mot::platform::exposure(private).unwrap();
        assert_eq!(exposure, None, "{} is private", private.display());
    }

    std::fs::write(mot.config(), "# mine\n").unwrap();
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Pharmacist",
        "Riverside Pharmacy",
    );
    mot.cmd(["init"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already there").count(2));
    assert_eq!(std::fs::read_to_string(mot.config()).unwrap(), "# mine\n");
    assert_eq!(mot.members_json().len(), 1);
}

/// `mot init` says what to do next, and the config it writes marks what is
/// required and presents no example as a default.
#[test]
fn init_says_what_next_and_marks_required_keys() {
    let mot = Mot::bare();
    mot.cmd(["init"])
        .assert()
        .success()
        .stderr(predicate::str::contains("next steps:"))
        .stderr(predicate::str::contains("MOT_WHATSAPP_TOKEN"))
        .stderr(predicate::str::contains("[broadcast] template"))
        .stderr(predicate::str::contains("mot doctor"))
        .stderr(predicate::str::contains("--dry-run"));
    let config = std::fs::read_to_string(mot.config()).unwrap();
    assert!(
        !config.contains("# path = \"mot.db\""),
        "no made-up default path"
    );
    assert!(
        !config.contains("# template = \"mot_notice\""),
        "no made-up template"
    );
    for key in ["phone_number_id", "template ="] {
        let line = config.lines().position(|l| l.contains(key)).unwrap();
        let above = config.lines().take(line).collect::<Vec<_>>().join("\n");
        let said = &above[above.rfind("\n\n").unwrap_or(0)..];
        assert!(
            said.contains("REQUIRED"),
            "{key} is marked required: {said}"
        );
    }
    // Once set, a step is no longer suggested.
    let again = Mot::bare();
    std::fs::create_dir_all(again.config().parent().unwrap()).unwrap();
    std::fs::write(
        again.config(),
        "[whatsapp]\nphone_number_id = \"1\"\n[broadcast]\ntemplate = \"t\"\n",
    )
    .unwrap();
    again
        .cmd(["init"])
        .assert()
        .success()
        .stderr(predicate::str::contains("phone_number_id").not())
        .stderr(predicate::str::contains("[broadcast] template").not());
}

#[test]
fn commands_other_than_init_need_a_database() {
    let mot = Mot::bare();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("config file"))
        .stderr(predicate::str::contains("help: run `mot init`"));
    std::fs::create_dir_all(mot.config().parent().unwrap()).unwrap();
    std::fs::write(mot.config(), "").unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no database at"))
        .stderr(predicate::str::contains("help: run `mot init`"));
    assert!(
        !mot.db().exists(),
        "a typo in a path must not create an empty database"
    );
}

#[test]
fn add_list_show_edit_approve_remove() {
    let mot = Mot::new();
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    mot.add(
        "Ben Okafor",
        "+44 (0)7700 900002",
        "GP practice manager",
        "Hill Surgery",
    );

    // show by id and by phone, in any writing
    let show = |r: &str| -> Value {
        let out = mot
            .cmd(["members", "show", r, "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(show("2")["name"], "Ben Okafor");
    assert_eq!(show("07700-900-002")["id"], 2);
    mot.cmd(["members", "show", "9"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no member 9"));

    // the same phone twice names the member who has it
    mot.cmd([
        "members",
        "add",
        "--name",
        "X",
        "--phone",
        "0044 7700 900001",
        "--role",
        "R",
        "--location",
        "L",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "already on file as member 1 (Asha Patel)",
    ));

    // without a terminal, missing fields are a usage error, all named at once
    mot.cmd(["members", "add", "--name", "X", "--phone", "07700 900003"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing 2 settings: --role; --location",
        ));

    // a bad phone says why
    mot.cmd([
        "members",
        "add",
        "--name",
        "X",
        "--phone",
        "07700 9000ab",
        "--role",
        "R",
        "--location",
        "L",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("letters are not allowed"));

    mot.cmd([
        "members",
        "edit",
        "1",
        "--role",
        "Pharmacy technician",
        "--phone",
        "07700 900009",
    ])
    .assert()
    .success();
    let asha = show("1");
    assert_eq!(asha["role"], "Pharmacy technician");
    assert_eq!(asha["phone"], drama(9));
    mot.cmd(["members", "edit", "1", "--phone", "07700 900002"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("member 2 (Ben Okafor)"));
    mot.cmd(["members", "edit", "1"]).assert().code(2);

    // approve: only pending members
    mot.cmd(["members", "approve", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not pending"));
    mot.sql()
        .execute("UPDATE members SET status = 'pending' WHERE id = 2", [])
        .unwrap();
    mot.cmd(["members", "approve", "2"]).assert().success();
    assert_eq!(show("2")["status"], "active");

    // remove needs --yes without a terminal
    mot.cmd(["members", "remove", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(mot.members_json().len(), 2);
    mot.cmd(["members", "remove", "1", "--yes"])
        .assert()
        .success();
    let left = mot.members_json();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], 2);

    // erased: the number is nowhere in the database, the audit log has ids only
    let conn = mot.sql();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM members WHERE phone = ?1",
            [drama(9)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    let audit: Vec<(String, String)> = conn
        .prepare("SELECT command, detail FROM audit ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let commands: Vec<&str> = audit.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        commands,
        [
            "init",
            "members add",
            "members add",
            "members edit",
            "members approve",
            "members remove"
        ]
    );
    for (_, detail) in &audit {
        assert!(
            !detail.contains("7700") && !detail.contains("Asha"),
            "personal data in audit: {detail}"
        );
    }
}

#[test]
fn list_filters_and_json_shape() {
    let mot = Mot::new();
    mot.add(
        "Asha Patel",
        "07700 900001",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    mot.add(
        "Ben Okafor",
        "07700 900002",
        "GP practice manager",
        "Hill Surgery",
    );
    mot.add(
        "Cara Jones",
        "07700 900003",
        "Community Pharmacist",
        "Hill Surgery",
    );
    mot.sql()
        .execute("UPDATE members SET status = 'opted_out' WHERE id = 3", [])
        .unwrap();

    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["members", "list", "--format", "json"];
        all.extend_from_slice(args);
        let out = mot.cmd(all).output().unwrap();
        assert!(out.status.success());
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter().map(|m| m["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids(&[]), [1, 2, 3]);
    assert_eq!(ids(&["--role", "COMMUNITY PHARMACIST"]), [1, 3]);
    assert_eq!(ids(&["--location", "hill surgery"]), [2, 3]);
    assert_eq!(ids(&["--status", "opted_out"]), [3]);
    assert_eq!(
        ids(&["--role", "community pharmacist", "--status", "active"]),
        [1]
    );

    let first = &mot.members_json()[0];
    for key in [
        "id",
        "name",
        "phone",
        "role",
        "location",
        "status",
        "consent_at",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["phone"], drama(1));
    assert_eq!(first["status"], "active");
    assert_eq!(first["consent_source"], "manual");
    assert_eq!(first["consent_by"], "test-pharmacist");
}

#[test]
fn import_reports_every_bad_row_and_imports_nothing() {
    let mot = Mot::new();
    mot.add(
        "Already Here",
        "07700 900050",
        "Pharmacist",
        "Riverside Pharmacy",
    );
    let csv = format!(
        "{HEADER}\
         Asha Patel,07700 900001,Pharmacist,Riverside Pharmacy\n\
         Bad Phone,07700 900abc,Pharmacist,Riverside Pharmacy\n\
         ,07700 900003,Pharmacist,Riverside Pharmacy\n\
         Repeat,07700 900001,Pharmacist,Riverside Pharmacy\n\
         Landline,0113 496 0000,Pharmacist,Riverside Pharmacy\n\
         In DB,07700 900050,Pharmacist,Riverside Pharmacy\n"
    );
    let file = mot.write("members.csv", csv);
    let out = mot.cmd(["members", "import"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("line 3, column phone: \"07700 900abc\": letters are not allowed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 4, column name: name is empty"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 5, column phone: +447700900001 appears again (first on line 2)"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("line 6, column phone: \"0113 496 0000\": +441134960000 is not a UK mobile"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped: line 7: member 1 already a member"),
        "{stdout}"
    );
    assert!(
        stderr.contains("4 invalid row(s); nothing was imported"),
        "{stderr}"
    );
    assert!(stderr.contains("--skip-invalid"), "{stderr}");
    assert_eq!(
        mot.members_json().len(),
        1,
        "a failed import changes nothing"
    );

    // --skip-invalid imports the rest; JSON says what happened
    let out = mot
        .cmd(["members", "import", "--skip-invalid", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["imported"], true);
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(summary["skipped"][0]["member_id"], 1);
    let invalid = summary["invalid"].as_array().unwrap();
    let lines: Vec<i64> = invalid
        .iter()
        .map(|i| i["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    assert_eq!(invalid[0]["column"], "phone");
    assert_eq!(mot.members_json().len(), 2);
}

#[test]
fn import_missing_column_names_it() {
    let mot = Mot::new();
    let file = mot.write("m.csv", "Name,Mobile\nAsha,07700 900001\n");
    mot.cmd(["members", "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no column for role"))
        .stderr(predicate::str::contains("location"));
    assert!(mot.members_json().is_empty());
}

#[test]
fn import_bom_crlf_quoted_fields_and_stdin() {
    let mot = Mot::new();
    let csv = "\u{feff}Name,Mobile Number,Job Role,Working Location\r\n\
               \"Patel, Asha\",07700 900001,Pharmacist,\"Riverside Pharmacy\r\nLeeds\"\r\n\
               Ben Okafor,+447700900002,GP practice manager,Hill Surgery\r\n";
    mot.cmd(["members", "import", "-"])
        .write_stdin(csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 added"));
    let all = mot.members_json();
    assert_eq!(all[0]["name"], "Patel, Asha");
    assert_eq!(all[0]["location"], "Riverside Pharmacy Leeds");
    assert_eq!(all[1]["role"], "GP practice manager");
    assert_eq!(all[0]["consent_source"], "import:stdin");
}

#[test]
fn import_of_mixed_encodings_is_a_clear_error_and_imports_nothing() {
    // A file that is not UTF-8 is read as Windows-1252 (see excel.rs);
    // one that starts as UTF-8 and then is not mixes two encodings.
    let mot = Mot::new();
    let mut bytes = format!("{HEADER}Zoë,07700 900001,Pharmacist,Riverside\n").into_bytes();
    bytes.extend_from_slice(b"B\xe9n,07700 900002,Pharmacist,Riverside\n");
    let file = mot.write("mixed.csv", bytes);
    mot.cmd(["members", "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 3, column name: is not valid UTF-8",
        ))
        .stdout(predicate::str::contains("mixes two encodings"));
    assert!(mot.members_json().is_empty());
}

#[test]
fn import_update_changes_details_but_never_reactivates() {
    let mot = Mot::new();
    let file = mot.write(
        "a.csv",
        format!("{HEADER}Asha,07700 900001,Pharmacist,Riverside\n"),
    );
    mot.cmd(["members", "import"]).arg(&file).assert().success();
    mot.sql()
        .execute("UPDATE members SET status = 'opted_out'", [])
        .unwrap();

    let file = mot.write(
        "b.csv",
        format!("{HEADER}Asha Patel,07700 900001,Pharmacist,Hill\n"),
    );
    mot.cmd(["members", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("dry run"));
    mot.cmd(["members", "import", "--update"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 updated"));
    let m = &mot.members_json()[0];
    assert_eq!(m["name"], "Asha Patel");
    assert_eq!(m["location"], "Hill");
    assert_eq!(m["status"], "opted_out");
    assert_eq!(m["consent_source"], "import:a.csv");
}

#[test]
fn csv_output_round_trips_through_import() {
    let a = Mot::new();
    a.add(
        "Patel, Asha",
        "07700 900001",
        "Community pharmacist",
        "Riverside Pharmacy",
    );
    a.add(
        "Ben \"Benny\" Okafor",
        "07700 900002",
        "GP practice manager",
        "Hill Surgery",
    );
    // Consent given long ago, by a sign-up: the evidence must survive the trip.
    a.sql()
        .execute_batch(
            "UPDATE members SET consent_at = '2025-01-02T03:04:05Z', consent_source = 'wamid.HBgM1' WHERE id = 2",
        )
        .unwrap();
    let out = a
        .cmd(["members", "list", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());

    let b = Mot::new();
    let file = b.write("export.csv", &out.stdout);
    b.cmd(["members", "import"]).arg(&file).assert().success();
    let strip = |v: Vec<Value>| -> Vec<Vec<Value>> {
        v.into_iter()
            .map(|m| {
                [
                    "name",
                    "phone",
                    "role",
                    "location",
                    "consent_at",
                    "consent_source",
                ]
                .map(|k| m[k].clone())
                .to_vec()
            })
            .collect()
    };
    assert_eq!(strip(a.members_json()), strip(b.members_json()));

    // A consent time that cannot be read, or is yet to come, is refused.
    let c = Mot::new();
    let file = c.write(
        "bad.csv",
        "name,phone,role,location,consent_at\nA,07700 900003,R,L,yesterday\nB,07700 900004,R,L,2999-01-01T00:00:00Z\n",
    );
    c.cmd(["members", "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 2, column consent_at: \"yesterday\" is not a time",
        ))
        .stdout(predicate::str::contains(
            "line 3, column consent_at: \"2999-01-01T00:00:00Z\" is later than now",
        ));
}

#[test]
fn newer_schema_is_refused_and_left_unchanged() {
    let mot = Mot::new();
    mot.sql().pragma_update(None, "user_version", 999).unwrap();
    let before = std::fs::read(mot.db()).unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("written by a newer mot"));
    assert_eq!(std::fs::read(mot.db()).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_says_so() {
    let mot = Mot::new();
    std::fs::remove_file(mot.db()).unwrap();
    let _ = std::fs::remove_file(mot.db().with_extension("db-wal"));
    let _ = std::fs::remove_file(mot.db().with_extension("db-shm"));
    std::fs::write(
        mot.db(),
        "name,phone\nthis is a CSV, not SQLite\n".repeat(100),
    )
    .unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a mot database"));
}

#[test]
fn a_locked_database_exits_5() {
    let mot = Mot::new();
    let conn = mot.sql();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    mot.cmd([
        "members",
        "add",
        "--name",
        "A",
        "--phone",
        "07700 900001",
        "--role",
        "R",
        "--location",
        "L",
    ])
    .assert()
    .code(5)
    .stderr(predicate::str::contains("locked"));
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn secret_file_readable_by_others_is_refused() {
    let mot = Mot::new();
    let token = mot.write("token", "not-a-real-token-0123\n");
    common::platform::expose(&token);
    let config = format!(
        "[whatsapp]\ntoken_file = {:?}\n",
        token.display().to_string()
    );
    std::fs::write(mot.config(), config).unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("other accounts can reach it"))
        .stderr(predicate::str::contains(if cfg!(windows) {
            "icacls"
        } else {
            "chmod 600"
        }))
        .stderr(predicate::str::contains("not-a-real-token").not());
    mot::platform::make_private(&token).unwrap();
    mot.cmd(["members", "list"]).assert().success();
}

#[test]
fn secrets_never_appear_in_output() {
    let mot = Mot::new();
    let secrets = [
        ("MOT_WHATSAPP_TOKEN", "tok-zq81x"),
        ("MOT_WHATSAPP_APP_SECRET", "app-zq82x-long-enough"),
        ("MOT_WEBHOOK_VERIFY_TOKEN", "verify-zq83x"),
    ];
    let runs: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["members", "--help"],
        vec!["members", "list", "--format", "json"],
        vec!["members", "show", "1"],
        vec!["members", "bogus"],
        vec!["init"],
    ];
    for args in runs {
        let mut cmd = mot.cmd(&args);
        for (k, v) in secrets {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("zq8"), "secret leaked by {args:?}: {all}");
    }
}

#[test]
fn unknown_config_key_names_key_and_file() {
    let mot = Mot::new();
    std::fs::write(mot.config(), "[database]\npaht = \"x.db\"\n").unwrap();
    mot.cmd(["members", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("paht"))
        .stderr(predicate::str::contains(mot.config().display().to_string()));
}

#[test]
fn usage_errors_exit_2() {
    let mot = Mot::new();
    mot.cmd(["members", "list", "--format", "xml"])
        .assert()
        .code(2);
    mot.cmd(["nonsense"]).assert().code(2);
}

#[test]
fn a_closed_stdout_pipe_exits_quietly() {
    let mot = Mot::new();
    let mut csv = String::from(HEADER);
    for n in 0..1000 {
        csv.push_str(&format!(
            "Member {n},{},Pharmacist,Location {n}\n",
            drama(n)
        ));
    }
    let file = mot.write("many.csv", csv);
    mot.cmd(["members", "import"]).arg(&file).assert().success();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"))
        .args(["members", "list"])
        .env("MOT_CONFIG", mot.config())
        .env("MOT_DB", mot.db())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take()); // like `| head -c 16`
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_sign_up_needs_role_and_location_before_approval() {
    let mot = Mot::new();
    mot.sql()
        .execute(
            "INSERT INTO members (name, phone, role, location, status, consent_at, consent_source,
                                  consent_by, created_at, updated_at)
             VALUES ('Dev Sharma', ?1, '', '', 'pending', 'x', 'whatsapp:wamid.TEST1', 'whatsapp', 'x', 'x')",
            [drama(5)],
        )
        .unwrap();
    mot.cmd(["members", "list", "--status", "pending"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Dev Sharma"));
    mot.cmd(["members", "approve", "07700 900005"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no job role or working location"))
        .stderr(predicate::str::contains("mot members edit 1"));
    mot.cmd([
        "members",
        "edit",
        "1",
        "--role",
        "Pharmacist",
        "--location",
        "Leeds",
    ])
    .assert()
    .success();
    mot.cmd(["members", "approve", "1"]).assert().success();
    assert_eq!(mot.members_json()[0]["status"], "active");
}

/// `mot members list | head -1`: the reader goes away; mot says nothing and
/// exits 0, in every format (it used to print "Broken pipe" and exit 1).
#[test]
fn a_closed_pipe_is_quiet_and_succeeds_for_every_format() {
    let mot = Mot::new();
    let mut csv = String::from("name,phone,role,location\n");
    for n in 0..200 {
        csv.push_str(&format!("Member {n},{},Pharmacist,Leeds\n", drama(n)));
    }
    let file = mot.write("members.csv", csv);
    mot.cmd(["members", "import"]).arg(&file).assert().success();
    for format in ["csv", "json", "table"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"))
            .args(["members", "list", "--format", format])
            .env_clear()
            .envs(common::platform::kept_env())
            .env("MOT_CONFIG", mot.config())
            .env("MOT_DB", mot.db())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before mot writes
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

/// Cron and some services set no USER or LOGNAME: the audit log still names
/// the account that ran mot, not "unknown".
#[test]
fn the_operator_is_known_without_user_variables() {
    let mot = Mot::new();
    mot.cmd([
        "members",
        "add",
        "--name",
        "Asha Patel",
        "--phone",
        "07700 900001",
        "--role",
        "Pharmacist",
        "--location",
        "Leeds",
    ])
    .env_remove("USER")
    .env_remove("LOGNAME")
    .env_remove("USERNAME")
    .assert()
    .success();
    let who: String = mot
        .sql()
        .query_row(
            "SELECT os_user FROM audit WHERE command = 'members add'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!who.is_empty() && who != "unknown", "{who}");
    assert_ne!(who, "test-pharmacist");
}

/// A new user's missing settings are named together, not one per run.
#[test]
fn missing_settings_are_reported_together() {
    let mot = Mot::new();
    mot.add("Asha Patel", "07700 900001", "Pharmacist", "Leeds");
    mot.cmd(["send", "Hello", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing 3 settings"))
        .stderr(predicate::str::contains("a message template"))
        .stderr(predicate::str::contains("phone number id"))
        .stderr(predicate::str::contains("access token"));
    // A dry run needs only the template.
    mot.cmd(["send", "Hello", "--dry-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing: a message template"));
    mot.cmd(["webhook", "serve"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing 3 settings"))
        .stderr(predicate::str::contains("MOT_WHATSAPP_PHONE_NUMBER_ID"))
        .stderr(predicate::str::contains("MOT_WHATSAPP_APP_SECRET"))
        .stderr(predicate::str::contains("MOT_WEBHOOK_VERIFY_TOKEN"));
}

/// `--since` takes what people type: a duration, a date, a date and time.
#[test]
fn since_takes_a_date_a_date_time_or_a_duration() {
    let mot = Mot::new();
    for when in [
        "7d",
        "2026-11-01",
        "2026-11-01 09:30",
        "2026-11-01T09:30:00Z",
    ] {
        mot.cmd(["inbox", "--since", when]).assert().success();
        mot.cmd(["audit", "--since", when]).assert().success();
    }
    mot.cmd(["inbox", "--since", "last tuesday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("date and time"));
}

/// `mot members import` pointed at the wrong file (a token, a shadow line)
/// must not print that file's content: columns are named only when the
/// first line looks like a row of header words.
#[test]
fn import_of_a_file_that_is_not_a_member_csv_does_not_quote_it() {
    let mot = Mot::new();
    for secret in [
        "EAAGm0PX4ZCpsBAFakeTokenForTheTest0123456789",
        "root:$6$saltsalt$FakeHashForTheTest/xyz:19000:0:99999:7:::",
        "token=EAAGm0PX4ZCpsBAFake,Bearer FakeTokenForTheTest",
    ] {
        let file = mot.write("not-members.csv", format!("{secret}\nmore\n"));
        let out = mot.cmd(["members", "import"]).arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("does not look like a header"), "{stderr}");
        for part in ["EAAG", "FakeTokenForTheTest", "FakeHash", "root"] {
            assert!(
                !stderr.to_lowercase().contains(&part.to_lowercase()),
                "{part}: {stderr}"
            );
        }
    }
    // A real header that lacks a column still says what it found.
    let file = mot.write(
        "m.csv",
        "Name,Mobile,Email address\nAsha,07700 900001,a@x\n",
    );
    mot.cmd(["members", "import"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "found: name, mobile, email address",
        ));
    assert!(mot.members_json().is_empty());
}

/// Excel's "Unicode Text" and Notepad's "Unicode" are UTF-16: refused as
/// such, saying how to save the file as CSV UTF-8, never read as garbage.
#[test]
fn import_of_a_utf16_file_is_refused_saying_how_to_save_it() {
    let mot = Mot::new();
    let text = format!("{HEADER}Asha Patel,07700 900001,Pharmacist,Leeds\n").replace(',', "\t");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes) in [
        ("le-bom.txt", [&[0xFF, 0xFE][..], &le].concat()),
        ("be-bom.txt", [&[0xFE, 0xFF][..], &be].concat()),
        ("le.txt", le.clone()),
        ("be.txt", be.clone()),
    ] {
        let file = mot.write(name, bytes);
        let out = mot.cmd(["members", "import"]).arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("UTF-16"), "{name}: {stderr}");
        assert!(stderr.contains("CSV UTF-8"), "{name}: {stderr}");
    }
    assert!(mot.members_json().is_empty());
}

/// Answering "n" at a confirmation (at a real terminal, through `script`)
/// is not an error: exit 0, "nothing was changed", and nothing is.
#[cfg(target_os = "linux")]
#[test]
fn declining_a_confirmation_is_exit_0_and_changes_nothing() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    if Command::new("script").arg("--version").output().is_err() {
        return; // util-linux's `script` gives the terminal; without it, skip
    }
    let mot = Mot::new();
    mot.add("Asha Patel", "07700 900001", "Pharmacist", "Leeds");
    let bin = assert_cmd::cargo::cargo_bin("mot");
    // `timeout`: a prompt that never got its answer must not hang the suite.
    let mut child = Command::new("timeout")
        .args([
            "30",
            "script",
            "-qec",
            &format!("{} members remove 1", bin.display()),
            "/dev/null",
        ])
        .env("HOME", mot.dir.path())
        .env("MOT_CONFIG", mot.config())
        .env("MOT_DB", mot.db())
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // Kept open until mot has finished: an end of input could be read as an answer.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"n").unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    let mut shown = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut shown).unwrap();
    assert_eq!(status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("mot: cancelled; nothing was changed"),
        "{shown}"
    );
    assert!(!shown.contains("error"), "{shown}");
    assert_eq!(mot.members_json().len(), 1);
}

/// clap's own errors are said as mot's are, exit 2, and a status flag on
/// `members edit` points to the commands that change a status.
#[test]
fn command_line_errors_say_mot_error_and_point_to_the_right_command() {
    let mot = Mot::new();
    mot.cmd(["members", "edit", "1", "--status", "active"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "mot: error: unexpected argument '--status'",
        ))
        .stderr(predicate::str::contains(
            "help: `members edit` changes details only",
        ))
        .stderr(predicate::str::contains("mot members approve"))
        .stderr(predicate::str::contains("tip:").not());
    mot.cmd(["memebrs", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "mot: error: unrecognized subcommand 'memebrs'",
        ))
        .stderr(predicate::str::contains(
            "a similar subcommand exists: 'members'",
        ));
    mot.cmd(["members"]).assert().code(2);
    mot.cmd(["--version"]).assert().success();
}

/// Trial of issue 21: `members approve --all-complete` lists who it would
/// approve (escaped, like every table), asks on a terminal, needs `--yes`
/// without one (exit 2, nobody approved), and says "nobody to approve"
/// rather than printing an empty table.
#[test]
fn approve_all_complete_lists_then_needs_yes_and_says_when_nobody_is_waiting() {
    let mot = Mot::new();
    mot.cmd(["members", "approve", "--all-complete"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nobody to approve"))
        .stdout(predicate::str::contains("location").not());
    let out = mot
        .cmd(["members", "approve", "--all-complete", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let empty: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(empty, serde_json::json!([]));

    for (n, name) in [(5, "Dev Sharma"), (6, "Asha\u{1b}[2J Patel")] {
        let sql = mot.sql();
        sql.execute(
            "INSERT INTO members (name, phone, role, location, status, consent_at, consent_source,
                                  consent_by, created_at, updated_at)
             VALUES (?2, ?1, 'Pharmacist', 'Leeds', 'pending', 'x', 'whatsapp:wamid.T', 'whatsapp',
                     '2027-01-15T09:00:00Z', 'x')",
            [drama(n), name.to_string()],
        )
        .unwrap();
        sql.execute(
            "INSERT INTO signups (member_id, first_message_id, first_message_at, terms_version,
                                  step, updated_at)
             VALUES (last_insert_rowid(), 'wamid.T', '2027-01-15T09:00:00Z', 'v1', 'complete', 'x')",
            [],
        )
        .unwrap();
    }
    let out = mot
        .cmd(["members", "approve", "--all-complete"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "needs --yes off a terminal");
    let listed = String::from_utf8(out.stdout).unwrap();
    for shown in [
        "Dev Sharma",
        "Pharmacist",
        "Leeds",
        "07700 900006",
        "2027-01-15",
    ] {
        assert!(listed.contains(shown), "{shown} in {listed}");
    }
    assert!(!listed.contains('\u{1b}'), "escaped: {listed:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--yes"),
        "says what to do"
    );
    let statuses = |mot: &Mot| -> Vec<String> {
        mot.members_json()
            .iter()
            .map(|m| m["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(statuses(&mot), ["pending", "pending"], "nobody approved");

    mot.cmd(["members", "approve", "--all-complete", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("approved 2 member(s): 1, 2"));
    assert_eq!(statuses(&mot), ["active", "active"]);
    let audited: i64 = mot
        .sql()
        .query_row(
            "SELECT count(*) FROM audit WHERE command = 'members approve'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
    mot.cmd(["members", "approve", "--all-complete"])
        .assert()
        .success()
        .stdout(predicate::str::contains("nobody to approve"));
}
