//! What people see, kept under review: the help of every command and the
//! main tables at 80 columns. A change to any of them shows up as a snapshot
//! diff (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test testsuite snapshots::`).

use clap::CommandFactory;

use crate::common::{Mot, drama};

/// Every command's long help, one snapshot each, named by its path.
#[test]
fn help_of_every_command() {
    fn walk(cmd: &mut clap::Command, path: &str) {
        let path = if path.is_empty() {
            cmd.get_name().to_string()
        } else {
            format!("{path} {}", cmd.get_name())
        };
        let help = cmd.render_long_help().to_string();
        insta::assert_snapshot!(format!("help_{}", path.replace(' ', "_")), help);
        for sub in cmd.get_subcommands_mut() {
            if sub.get_name() != "help" {
                walk(sub, &path);
            }
        }
    }
    let mut cli = mot::cli::Cli::command().term_width(80);
    cli.build();
    walk(&mut cli, "");
}

/// The member list, at 80 columns and piped (whole rows, no trailing spaces).
#[test]
fn members_table_at_80_columns() {
    let mot = Mot::new();
    let csv = format!(
        "name,phone,role,location\n\
         Asha Patel,{},Community pharmacist,\"Riverside Pharmacy, Leeds\"\n\
         Dev Shah,{},Practice pharmacist,Northgate Medical Practice\n\
         Zoë Example,{},Pharmacy technician,Hillside Pharmacy\n",
        drama(1),
        drama(2),
        drama(3)
    );
    let file = mot.write("members.csv", csv);
    mot.cmd(["members", "import"]).arg(&file).assert().success();
    // Fixed times, so that what the table shows does not change by the second.
    mot.sql()
        .execute_batch(
            "UPDATE members SET consent_at = '2026-11-30T09:00:00Z',
                created_at = '2026-11-30T09:00:00Z', updated_at = '2026-11-30T09:00:00Z'",
        )
        .unwrap();
    for (name, columns) in [
        ("members_list_80_columns", Some("80")),
        ("members_list_piped", None),
    ] {
        let mut cmd = mot.cmd(["members", "list"]);
        // Tables show times in the computer's zone: a fixed one for the snapshot.
        cmd.env("TZ", "Europe/London");
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.lines().all(|l| !l.ends_with(' ')), "{text}");
        if columns.is_some() {
            assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        }
        insta::assert_snapshot!(name, text);
    }
    // British Summer Time: an hour ahead in the table, as stored with --utc
    // and in CSV.
    mot.sql()
        .execute_batch("UPDATE members SET consent_at = '2026-07-01T09:30:00Z'")
        .unwrap();
    let table = |args: &[&str]| {
        let out = mot.cmd(args).env("TZ", "Europe/London").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(table(&["members", "list"]).contains("2026-07-01 10:30 "));
    assert!(table(&["members", "list", "--utc"]).contains("2026-07-01T09:30:00Z"));
    assert!(table(&["members", "list", "--format", "csv"]).contains("2026-07-01T09:30:00Z"));
}

/// The inbox at 80 columns: whole national-format numbers and names, local
/// times, the least useful columns left out first.
#[test]
fn inbox_table_at_80_columns() {
    let mot = Mot::new();
    mot.add("Zoë Adebayo-Williams", &drama(1), "Pharmacist", "Leeds");
    mot.sql()
        .execute_batch(
            "INSERT INTO inbound (wa_message_id, member_id, phone, type, text, action, at, received_at)
             VALUES ('wamid.SNAP1', 1, '+447700900001', 'text',
                     'We have 40 packs of the alternative in stock if anyone is short this week',
                     'message', '2026-07-01T09:30:00Z', '2026-07-01T09:30:01Z'),
                    ('wamid.SNAP2', NULL, '+447700900002', 'text', 'Hello, how do I join?',
                     'message', '2026-07-01T10:00:00Z', '2026-07-01T10:00:01Z');",
        )
        .unwrap();
    let out = mot
        .cmd(["inbox"])
        .env("COLUMNS", "80")
        .env("TZ", "Europe/London")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(
        text.contains("07700 900002") && text.contains("2026-07-01 10:30"),
        "{text}"
    );
    insta::assert_snapshot!("inbox_80_columns", text);
}
