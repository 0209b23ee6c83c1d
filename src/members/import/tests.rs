//! Importing members from CSV: headers, statuses, updates, duplicates,
//! invalid rows and what a dry run or `--skip-invalid` commits.

use super::*;
use crate::db::open_in_memory;
use crate::members::{Filter, list};
use jiff::Timestamp;

fn consent() -> Consent {
    Consent {
        at: Timestamp::from_second(1_800_000_000).unwrap(),
        source: "import:test.csv".into(),
        by: "tester".into(),
    }
}

fn run(conn: &mut Connection, csv: &str, opts: Options) -> Result<Summary> {
    import(
        conn,
        csv.as_bytes(),
        Id::GB,
        &consent(),
        opts,
        &Chosen::default(),
    )
}

#[test]
fn header_aliases_bom_crlf_and_quoted_newlines() {
    let mut conn = open_in_memory();
    let csv = "\u{feff}Name,Mobile Number,Job Role,Working Location\r\n\
               Asha Patel,07700 900001,Pharmacist,\"Riverside Pharmacy,\nLeeds\"\r\n\
               Ben Okafor,+44 7700 900002,GP practice manager,Hill Surgery\r\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert_eq!((s.added, s.invalid.len()), (2, 0));
    let all = list(&conn, &Filter::default()).unwrap();
    assert_eq!(all[0].location, "Riverside Pharmacy, Leeds");
    assert_eq!(all[1].phone.as_str(), "+447700900002");
    assert_eq!(all[0].consent_source, "import:test.csv");
}

#[test]
fn one_bad_row_imports_nothing_and_names_line_and_column() {
    let mut conn = open_in_memory();
    let csv = "name,phone,role,location\n\
               A,07700 900001,R,L\n\
               \"B\nstill B\",07700 9000x2,R,L\n\
               ,07700 900003,R,L\n\
               D,07700 900001,R,L\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert!(!s.imported);
    let got: Vec<(u64, &str)> = s
        .invalid
        .iter()
        .map(|i| (i.line, i.column.as_str()))
        .collect();
    assert_eq!(got, vec![(3, "phone"), (5, "name"), (6, "phone")]);
    assert!(s.invalid[2].reason.contains("first on line 2"));
    assert!(list(&conn, &Filter::default()).unwrap().is_empty());

    let s = run(
        &mut conn,
        csv,
        Options {
            skip_invalid: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(s.imported);
    assert_eq!(s.added, 1);
    assert_eq!(list(&conn, &Filter::default()).unwrap().len(), 1);
}

#[test]
fn existing_members_are_skipped_or_updated_but_never_reactivated() {
    let mut conn = open_in_memory();
    run(
        &mut conn,
        "name,phone,role,location\nA,07700 900001,R,L\n",
        Options::default(),
    )
    .unwrap();
    let id = list(&conn, &Filter::default()).unwrap()[0].id;
    crate::members::opt_out(
        &conn,
        Some(id),
        crate::members::OptOutVia::Team,
        Timestamp::UNIX_EPOCH,
    )
    .unwrap();

    let csv = "name,phone,role,location\nA2,07700 900001,R2,L\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert_eq!((s.added, s.updated, s.skipped.len()), (0, 0, 1));
    assert!(s.skipped[0].reason.to_string().contains("--update"));

    let s = run(
        &mut conn,
        csv,
        Options {
            update: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(s.updated, 1);
    let m = crate::members::get(&conn, id).unwrap().unwrap();
    assert_eq!(
        (m.name.as_str(), m.role.as_str(), m.status),
        ("A2", "R2", MemberStatus::OptedOut)
    );
}

#[test]
fn dry_run_writes_nothing() {
    let mut conn = open_in_memory();
    let s = run(
        &mut conn,
        "name,phone,role,location\nA,07700 900001,R,L\n",
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!((s.added, s.imported), (1, false));
    assert!(list(&conn, &Filter::default()).unwrap().is_empty());
}

#[test]
fn missing_columns_and_bad_encoding_are_named() {
    let mut conn = open_in_memory();
    let err = run(
        &mut conn,
        "name,phone\nA,07700 900001\n",
        Options::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("role") && text.contains("location"), "{text}");

    // UTF-8 first, then a byte that is not: the file mixes encodings.
    let data = b"name,phone,role,location\nZo\xc3\xab,07700 900001,R,L\nA\xff,07700 900002,R,L\n";
    let s = import(
        &mut conn,
        &data[..],
        Id::GB,
        &consent(),
        Options::default(),
        &Chosen::default(),
    )
    .unwrap();
    assert_eq!(s.encoding, Encoding::Utf8);
    assert_eq!(s.invalid[0].line, 3);
    assert_eq!(s.invalid[0].column, "name");
    assert!(s.invalid[0].reason.contains("mixes two encodings"));
}

/// Windows-1252 first, then a name in UTF-8: refused, naming the line, the
/// column and the name as it was meant; a line that is fine still is.
#[test]
fn utf8_after_windows_1252_is_refused_with_its_line() {
    let mut conn = open_in_memory();
    let data = b"name,phone,role,location\r\nZo\xeb,07700 900001,R,L\r\n\
                 Jos\xc3\xa9,07700 900002,R,L\r\nSi\xe2n,07700 900003,R,Caf\xc3\xa9\r\n";
    let s = import(
        &mut conn,
        &data[..],
        Id::GB,
        &consent(),
        Options::default(),
        &Chosen::default(),
    )
    .unwrap();
    assert_eq!(s.encoding, Encoding::Windows1252);
    let got: Vec<(u64, &str)> = s
        .invalid
        .iter()
        .map(|i| (i.line, i.column.as_str()))
        .collect();
    assert_eq!(got, [(3, "name"), (4, "location")]);
    let reason = &s.invalid[0].reason;
    assert!(
        reason.contains("\"José\"") && reason.contains("JosÃ©"),
        "{reason}"
    );
    assert!(reason.contains("CSV UTF-8"), "{reason}");
    assert!(!s.imported);
}

/// Excel's "CSV (Comma delimited)" writes `?` for a letter it has no byte
/// for: the row is imported, with a warning naming its line.
#[test]
fn a_question_mark_for_a_letter_is_warned_about() {
    let mut conn = open_in_memory();
    let data = b"name,phone,role,location\nWojciech Ma?ecki,07700 900001,R,Leeds\n\
                 Asha Patel,07700 900002,R,?\xf3d?\n";
    let s = import(
        &mut conn,
        &data[..],
        Id::GB,
        &consent(),
        Options::default(),
        &Chosen::default(),
    )
    .unwrap();
    assert!(s.imported);
    let got: Vec<(u64, &str)> = s
        .warnings
        .iter()
        .map(|w| (w.line, w.column.as_str()))
        .collect();
    assert_eq!(got, [(2, "name"), (3, "location")]);
    assert!(
        s.warnings[0].reason.contains("CSV UTF-8"),
        "{:?}",
        s.warnings
    );
    assert!(
        s.to_string().contains("warning: line 2, column name:"),
        "{s}"
    );

    // A file proven UTF-8 did not come from that Excel format.
    let data = "name,phone,role,location\nZoë,07700 900003,R,Ma?ecki\n";
    let s = run(&mut conn, data, Options::default()).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn an_unterminated_quote_is_reported_with_its_line() {
    let mut conn = open_in_memory();
    let csv = "name,phone,role,location\n\
               A,07700 900001,R,L\n\
               \"B,07700 900002,R,L\n\
               C,07700 900003,R,L\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert!(!s.imported);
    assert_eq!(s.invalid.len(), 1, "{:?}", s.invalid);
    assert_eq!(s.invalid[0].line, 3);
    let reason = &s.invalid[0].reason;
    assert!(
        reason.contains("quote") && reason.contains("never closed"),
        "{reason}"
    );
    assert!(!reason.contains("empty"), "{reason}");
    // The row before it was fine, and is counted as such.
    assert_eq!(s.added, 1);
    assert!(list(&conn, &Filter::default()).unwrap().is_empty());
}

#[test]
fn the_apostrophe_that_export_adds_is_removed_on_import() {
    let mut conn = open_in_memory();
    let csv = "name,phone,role,location\n\
               '=HYPERLINK(\"x\"),'+447700900001,'@SUM(1+1),'-1\n\
               O'Brien,'+447700900002,''=1+1,'Quoted'\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert_eq!((s.added, s.invalid.len()), (2, 0), "{:?}", s.invalid);
    let all = list(&conn, &Filter::default()).unwrap();
    let got: Vec<[&str; 4]> = all
        .iter()
        .map(|m| [&*m.name, m.phone.as_str(), &*m.role, &*m.location])
        .collect();
    assert_eq!(
        got,
        vec![
            ["=HYPERLINK(\"x\")", "+447700900001", "@SUM(1+1)", "-1"],
            ["O'Brien", "+447700900002", "'=1+1", "'Quoted'"],
        ]
    );
}

#[test]
fn a_number_repeated_far_apart_is_still_caught_while_streaming() {
    let mut conn = open_in_memory();
    let mut csv = String::from("name,phone,role,location\n");
    for i in 0..500 {
        csv.push_str(&format!("M{i},07700 900{i:03},R,L\n"));
    }
    csv.push_str("Again,07700 900007,R,L\n");
    let s = run(&mut conn, &csv, Options::default()).unwrap();
    assert_eq!(s.invalid.len(), 1);
    assert_eq!(s.invalid[0].line, 502);
    assert!(s.invalid[0].reason.contains("first on line 9"));
    assert!(list(&conn, &Filter::default()).unwrap().is_empty());
    // A second import on the same connection starts with a clean slate.
    let s = run(
        &mut conn,
        "name,phone,role,location\nA,07700 900007,R,L\n",
        Options::default(),
    )
    .unwrap();
    assert_eq!((s.added, s.invalid.len()), (1, 0));
}

#[test]
fn a_read_failure_part_way_imports_nothing_even_with_skip_invalid() {
    /// Gives the first `ok` bytes of `data`, then fails.
    struct Failing<'a> {
        data: &'a [u8],
        ok: usize,
    }
    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.ok == 0 {
                return Err(std::io::Error::other("the USB stick was pulled out"));
            }
            let n = buf.len().min(self.ok).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            self.ok -= n;
            Ok(n)
        }
    }
    let mut conn = open_in_memory();
    let csv = b"name,phone,role,location\nA,07700 900001,R,L\nB,07700 900002,R,L\n";
    let input = Failing { data: csv, ok: 45 };
    let opts = Options {
        skip_invalid: true,
        ..Options::default()
    };
    let err = import(
        &mut conn,
        input,
        Id::GB,
        &consent(),
        opts,
        &Chosen::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("USB stick"), "{err}");
    assert!(list(&conn, &Filter::default()).unwrap().is_empty());
}

/// A real practice list's headers; the mobile beats a landline column, and
/// the practice beats the organisation and the site.
#[test]
fn a_practice_lists_headers_are_understood() {
    let mut conn = open_in_memory();
    let csv = "Name,Telephone,Mobile No.,Job Title,Practice / Pharmacy,Organisation,Site\n\
               Asha Patel,0113 496 0000,07700 900001,Pharmacist,Riverside Pharmacy,Leeds ICB,Leeds\n";
    let s = run(&mut conn, csv, Options::default()).unwrap();
    assert_eq!((s.added, s.invalid.len()), (1, 0), "{s}");
    let m = &list(&conn, &Filter::default()).unwrap()[0];
    assert_eq!(m.phone.as_str(), "+447700900001");
    assert_eq!(
        (m.role.as_str(), m.location.as_str()),
        ("Pharmacist", "Riverside Pharmacy")
    );
}

/// `--column` names a header no alias covers, and settles a tie.
#[test]
fn a_column_can_be_chosen_by_its_header() {
    let mut conn = open_in_memory();
    let csv = "Name,Contact Mob,Role,Practice,Pharmacy\nAsha Patel,07700 900001,R,Hill Surgery,-\n";
    let err = run(&mut conn, csv, Options::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("could be the location: practice, pharmacy"),
        "{err}"
    );
    let chosen =
        Chosen::parse(&["phone=Contact MOB".into(), "location=\"Practice\"".into()]).unwrap();
    let s = import(
        &mut conn,
        csv.as_bytes(),
        Id::GB,
        &consent(),
        Options::default(),
        &chosen,
    )
    .unwrap();
    assert_eq!(s.added, 1, "{s}");
    assert_eq!(
        list(&conn, &Filter::default()).unwrap()[0].location,
        "Hill Surgery"
    );

    let chosen = Chosen::parse(&["phone=Mobile No.".into()]).unwrap();
    let err = import(
        &mut conn,
        csv.as_bytes(),
        Id::GB,
        &consent(),
        Options::default(),
        &chosen,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("--column phone=\"Mobile No.\": the CSV has no such column"),
        "{err}"
    );
    assert!(
        Chosen::parse(&["mobile=x".into()])
            .unwrap_err()
            .contains("not a field")
    );
    assert!(
        Chosen::parse(&["phone".into()])
            .unwrap_err()
            .contains("FIELD=HEADER")
    );
}

/// Every header name mot accepts is in the README's list.
#[test]
fn the_readme_lists_every_header_name() {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("<!-- import headers -->")
        .expect("the README's list");
    let list = &readme[start..start + readme[start..].find("\n\n").unwrap()];
    for (field, tiers) in columns::FIELDS {
        for name in tiers.concat() {
            assert!(list.contains(&format!("`{name}`")), "{field}: {name}");
        }
    }
}
