//! Files as Excel writes them, imported through the real binary: Windows-1252
//! text, semicolons, numbers in scientific notation, CRLF line ends, empty
//! files; and CSV written so that Excel shows non-ASCII names correctly.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{Mot, drama};

fn import_json(mot: &Mot, path: &std::path::Path, extra: &[&str]) -> (bool, Value) {
    let mut args = vec![
        "members",
        "import",
        path.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = mot.cmd(args).output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), json)
}

fn names(mot: &Mot) -> Vec<String> {
    mot.members_json()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// Excel's "CSV (Comma delimited)": Windows-1252 and CRLF.
const EXCEL_1252: &[u8] = b"Name,Mobile,Role,Location\r\n\
    Zo\xEB Adebayo,07700 900101,Pharmacist,Leeds\r\n\
    Si\xE2n Hughes,07700 900102,Pharmacist,Caf\xE9 Quarter \x96 Wakefield\r\n";

#[test]
fn a_windows_1252_file_imports_with_its_names_intact_and_says_so() {
    let mot = Mot::new();
    let path = mot.write("excel.csv", EXCEL_1252);
    let (ok, json) = import_json(&mot, &path, &["--dry-run"]);
    assert!(ok, "{json}");
    assert_eq!(json["encoding"], "windows-1252");
    assert_eq!(json["invalid"], Value::Array(vec![]));

    mot.cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Windows-1252"))
        .stdout(predicate::str::contains("2 added"));
    assert_eq!(names(&mot), ["Zoë Adebayo", "Siân Hughes"]);
    assert_eq!(
        mot.members_json()[1]["location"],
        "Café Quarter – Wakefield"
    );
}

/// The first byte that is not UTF-8 may come long after the start (beyond
/// any first chunk), and on stdin, which cannot be read twice.
#[test]
fn a_late_windows_1252_byte_on_stdin_still_decodes_the_whole_file() {
    let mot = Mot::new();
    let mut csv = b"name,phone,role,location\r\n".to_vec();
    for n in 0..700 {
        csv.extend_from_slice(format!("Member {n},{},Pharmacist,Leeds\r\n", drama(n)).as_bytes());
    }
    csv.extend_from_slice(b"Zo\xEB Adebayo,07700 900700,Pharmacist,Leeds\r\n");
    assert!(csv.len() > 16_384);
    mot.cmd(["members", "import", "-", "--format", "json"])
        .write_stdin(csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"encoding\": \"windows-1252\""));
    let all = names(&mot);
    assert_eq!(all.len(), 701);
    assert!(all.contains(&"Zoë Adebayo".to_string()));
}

#[test]
fn utf8_with_or_without_a_bom_stays_utf8() {
    for bom in [&b""[..], b"\xEF\xBB\xBF"] {
        let mot = Mot::new();
        let mut csv = bom.to_vec();
        csv.extend_from_slice(
            "name,phone,role,location\r\nZoë Adebayo,07700 900101,R,L\r\n".as_bytes(),
        );
        let path = mot.write("utf8.csv", csv);
        let (ok, json) = import_json(&mot, &path, &[]);
        assert!(ok, "{json}");
        assert_eq!(json["encoding"], "utf-8");
        assert_eq!(names(&mot), ["Zoë Adebayo"]);
        mot.cmd(["members", "import", path.to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicate::str::contains("Windows-1252").not());
    }
}

#[test]
fn a_semicolon_separated_file_is_read() {
    let mot = Mot::new();
    let path = mot.write(
        "excel-fr.csv",
        b"Name;Mobile;Role;Location\r\n\
          Zo\xEB Adebayo;07700 900101;Pharmacist;\"Riverside Pharmacy; Leeds\"\r\n\
          Asha Patel;07700 900102;GP practice manager;Hill Surgery, Leeds\r\n",
    );
    let (ok, json) = import_json(&mot, &path, &[]);
    assert!(ok, "{json}");
    assert_eq!(json["separator"], ";");
    let members = mot.members_json();
    assert_eq!(members[0]["name"], "Zoë Adebayo");
    assert_eq!(members[0]["location"], "Riverside Pharmacy; Leeds");
    assert_eq!(members[1]["location"], "Hill Surgery, Leeds");
    assert_eq!(members[1]["phone"], drama(102));
}

#[test]
fn a_phone_in_scientific_notation_names_excels_number_formatting() {
    let mot = Mot::new();
    let path = mot.write(
        "numbers.csv",
        "name,phone,role,location\r\nAsha Patel,4.47701E+11,Pharmacist,Leeds\r\n",
    );
    mot.cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .failure()
        .stdout(predicate::str::contains("line 2, column phone"))
        .stdout(predicate::str::contains("scientific notation"))
        .stdout(predicate::str::contains("Excel"))
        .stdout(predicate::str::contains("as Text"))
        .stdout(predicate::str::contains("letters").not());
    assert!(names(&mot).is_empty());
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let mot = Mot::new();
    for (i, contents) in [&b""[..], b"\xEF\xBB\xBF", b"\r\n  \r\n\t"]
        .iter()
        .enumerate()
    {
        let path = mot.write(&format!("empty{i}.csv"), contents);
        mot.cmd(["members", "import", path.to_str().unwrap()])
            .assert()
            .failure()
            .stderr(predicate::str::contains("the file is empty"));
    }
    mot.cmd(["members", "import", "-"])
        .write_stdin("")
        .assert()
        .failure()
        .stderr(predicate::str::contains("the file is empty"));
}

/// A bad row on the file's third line is line 3, whatever the line ends,
/// in text and JSON; the first data row is line 2.
#[test]
fn line_numbers_are_the_files_lines_for_lf_and_crlf() {
    for end in ["\n", "\r\n"] {
        let mot = Mot::new();
        let rows = [
            "name,phone,role,location",
            "Asha Patel,07700 900101,Pharmacist,Leeds",
            "Ben Okafor,07700 9001x2,Pharmacist,Leeds",
            "",
            "\"Cara",
            "Jones\",07700 900103,Pharmacist,Leeds",
            "Dev Shah,07700 900101,Pharmacist,Leeds",
        ];
        let path = mot.write("lines.csv", rows.join(end) + end);
        let what = format!("{end:?}");
        mot.cmd(["members", "import", path.to_str().unwrap()])
            .assert()
            .failure()
            .stdout(predicate::str::contains("invalid: line 3, column phone"))
            .stdout(predicate::str::contains("invalid: line 7, column phone"))
            .stdout(predicate::str::contains("first on line 2"));
        let (_, json) = import_json(&mot, &path, &[]);
        let lines: Vec<u64> = json["invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 7], "{what}: {json}");

        // Imported, then again: the skipped rows carry their lines too.
        let (ok, _) = import_json(&mot, &path, &["--skip-invalid"]);
        assert!(ok, "{what}");
        let (_, json) = import_json(&mot, &path, &["--skip-invalid"]);
        let skipped: Vec<u64> = json["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["line"].as_u64().unwrap())
            .collect();
        assert_eq!(skipped, [2, 5], "{what}: {json}");
    }
}

#[test]
fn bom_starts_csv_output_so_excel_reads_it_as_utf8() {
    let mot = Mot::new();
    mot.add("Zoë Adebayo", "07700 900101", "Pharmacist", "Leeds");
    let list = |args: &[&str]| mot.cmd(args).assert().success().get_output().stdout.clone();

    let with = list(&["members", "list", "--format", "csv", "--bom"]);
    assert!(
        with.starts_with(b"\xEF\xBB\xBFid,"),
        "{}",
        String::from_utf8_lossy(&with)
    );
    assert!(String::from_utf8(with).unwrap().contains("Zoë Adebayo"));
    let without = list(&["members", "list", "--format", "csv"]);
    assert!(without.starts_with(b"id,"));
    // A global flag: before the command too, and for other commands' CSV.
    let inbox = list(&["--bom", "inbox", "--format", "csv"]);
    assert!(inbox.starts_with(b"\xEF\xBB\xBF"));
    let report = list(&["report", "summary", "--format", "csv", "--bom"]);
    assert!(report.starts_with(b"\xEF\xBB\xBF"));
    // Or set once in the environment (a scheduled export).
    let env = |value: &str| {
        let out = mot
            .cmd(["members", "list", "--format", "csv"])
            .env("MOT_CSV_BOM", value)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout.starts_with(b"\xEF\xBB\xBF")
    };
    assert!(env("1") && env("true"));
    assert!(!env("0") && !env("false"));
    // Only CSV: a table or JSON never starts with a byte-order mark.
    for format in ["table", "json"] {
        let out = list(&["members", "list", "--format", format, "--bom"]);
        assert!(!out.starts_with(b"\xEF\xBB\xBF"), "{format}");
    }
    // An exported file with a BOM imports again as it was.
    let fresh = Mot::new();
    let path = fresh.write(
        "export.csv",
        list(&["members", "list", "--format", "csv", "--bom"]),
    );
    fresh
        .cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(names(&fresh), ["Zoë Adebayo"]);
}

/// A Windows-1252 file with one name pasted in as UTF-8 is refused with the
/// line, not imported as "JosÃ©"; a `?` Excel wrote for a letter is warned
/// about with its line.
#[test]
fn mixed_encodings_are_refused_and_lost_letters_warned_about() {
    let mot = Mot::new();
    let path = mot.write(
        "mixed.csv",
        b"Name,Mobile,Role,Location\r\nZo\xEB Adebayo,07700 900101,Pharmacist,Leeds\r\n\
          Jos\xC3\xA9 Silva,07700 900102,Pharmacist,Leeds\r\n",
    );
    mot.cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "invalid: line 3, column name: \"José Silva\"",
        ))
        .stdout(predicate::str::contains("CSV UTF-8"));
    assert!(names(&mot).is_empty());

    let path = mot.write(
        "lost.csv",
        b"Name,Mobile,Role,Location\r\nZo\xEB Adebayo,07700 900101,Pharmacist,Leeds\r\n\
          Wojciech Ma?ecki,07700 900102,Pharmacist,Leeds\r\n",
    );
    mot.cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: line 3, column name: \"Wojciech Ma?ecki\" has a ? where a letter should be",
        ));
}

/// A practice list's own headers import as they are, and `--column` names
/// one mot does not know.
#[test]
fn practice_list_headers_and_a_chosen_column_import() {
    let mot = Mot::new();
    let path = mot.write(
        "practice.csv",
        "Name,Mobile No.,Job Title,Practice / Pharmacy,Organisation,Site\r\n\
         Asha Patel,07700 900101,Pharmacist,Riverside Pharmacy,Leeds ICB,Leeds\r\n",
    );
    let (ok, json) = import_json(&mot, &path, &[]);
    assert!(ok, "{json}");
    assert_eq!(mot.members_json()[0]["location"], "Riverside Pharmacy");

    let path = mot.write(
        "own.csv",
        "Name,Contact Mob,Role,Location\r\nBen Okafor,07700 900102,GP,Hill Surgery\r\n",
    );
    mot.cmd(["members", "import", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--column phone=\"Mobile No.\""));
    let (ok, json) = import_json(&mot, &path, &["--column", "phone=Contact Mob"]);
    assert!(ok, "{json}");
    mot.cmd([
        "members",
        "import",
        path.to_str().unwrap(),
        "--column",
        "mobile=x",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "--column: \"mobile\" is not a field",
    ));
}
