//! Importing members from CSV: every row is checked before anything is
//! written, and an import with bad rows changes nothing unless asked to.

use std::collections::HashMap;
use std::fmt;

use anyhow::Result;
use phonenumber::country::Id;
use rusqlite::Connection;
use serde::Serialize;

use super::{Consent, Details, MemberId, MemberStatus, by_phone, clean_field, insert};
use crate::phone::{self, E164};

/// The four columns, each with the header names accepted for it.
const FIELDS: [(&str, &[&str]); 4] = [
    ("name", &["name", "contact name", "full name"]),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "mobile number",
            "phone number",
            "mobile phone",
        ],
    ),
    ("role", &["role", "job role", "job title"]),
    (
        "location",
        &["location", "working location", "work location"],
    ),
];

/// The optional column that carries a member's status (as `members list` writes it).
const STATUS: &str = "status";

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// A row that matched a member already on file and was left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub member_id: MemberId,
    pub reason: String,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub dry_run: bool,
    /// False when invalid rows stopped the import: then nothing was written.
    pub imported: bool,
    pub added: usize,
    pub updated: usize,
    pub skipped: Vec<Skipped>,
    pub invalid: Vec<Invalid>,
}

/// A valid row, with the line it started on.
#[derive(Debug)]
struct Candidate {
    line: u64,
    details: Details,
    status: MemberStatus,
}

/// The file checked: rows to import and rows that cannot be.
#[derive(Debug)]
struct Checked {
    rows: Vec<Candidate>,
    invalid: Vec<Invalid>,
}

/// An error in the file as a whole (its header, or unreadable bytes).
fn file_error(msg: String) -> anyhow::Error {
    crate::exit::error_with_help(
        msg,
        "the first row must name the columns: name, phone (or mobile), role, location",
    )
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn check(data: &[u8], region: Id) -> Result<Checked> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let headers = reader
        .byte_headers()
        .map_err(|e| file_error(format!("cannot read the CSV header row: {e}")))?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| std::str::from_utf8(h).map(normalise_header))
        .collect::<Result<_, _>>()
        .map_err(|_| file_error("the CSV header row is not valid UTF-8".to_string()))?;

    let mut index = [0usize; 4];
    let mut missing = Vec::new();
    for (slot, (field, names)) in FIELDS.iter().enumerate() {
        let found: Vec<usize> = (0..headers.len())
            .filter(|&i| names.contains(&headers[i].as_str()))
            .collect();
        match found.as_slice() {
            [i] => index[slot] = *i,
            [] => missing.push(format!("{field} (one of: {})", names.join(", "))),
            _ => {
                return Err(file_error(format!(
                    "more than one column could be the {field}: {}",
                    found
                        .iter()
                        .map(|&i| headers[i].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    let status_column = headers.iter().position(|h| h == STATUS);
    if !missing.is_empty() {
        return Err(file_error(format!(
            "the CSV has no column for {}; found: {}",
            missing.join("; "),
            headers.join(", ")
        )));
    }

    let mut rows = Vec::new();
    let mut invalid = Vec::new();
    let mut seen: HashMap<E164, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The csv reader cannot continue after a read error.
                invalid.push(Invalid {
                    line,
                    column: String::new(),
                    reason: format!("unreadable CSV: {e}"),
                });
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank row carries nothing
        }
        match check_row(&record, &index, status_column, region) {
            Ok((details, status)) => {
                if let Some(first) = seen.get(&details.phone) {
                    invalid.push(Invalid {
                        line,
                        column: "phone".into(),
                        reason: format!("{} appears again (first on line {first})", details.phone),
                    });
                } else {
                    seen.insert(details.phone.clone(), line);
                    rows.push(Candidate {
                        line,
                        details,
                        status,
                    });
                }
            }
            Err((column, reason)) => invalid.push(Invalid {
                line,
                column: column.to_string(),
                reason,
            }),
        }
    }
    Ok(Checked { rows, invalid })
}

fn check_row(
    record: &csv::ByteRecord,
    index: &[usize; 4],
    status_column: Option<usize>,
    region: Id,
) -> Result<(Details, MemberStatus), (&'static str, String)> {
    let text = |i: usize, field: &'static str| {
        std::str::from_utf8(record.get(i).unwrap_or_default())
            .map_err(|_| (field, "is not valid UTF-8 text".to_string()))
    };
    let status = match status_column {
        Some(i) => parse_status(text(i, STATUS)?).map_err(|why| (STATUS, why))?,
        None => MemberStatus::Active,
    };
    let mut values = [""; 4];
    for (slot, (field, _)) in FIELDS.iter().enumerate() {
        values[slot] = text(index[slot], field)?;
    }
    let [name, phone, role, location] = values;
    let phone = phone::parse(phone, region).map_err(|why| ("phone", why))?;
    // A sign-up waiting for approval may not have a role or location yet.
    let optional = |field: &'static str, value: &str| {
        if status == MemberStatus::Pending && value.trim().is_empty() {
            Ok(String::new())
        } else {
            clean_field(field, value).map_err(|e| (field, e))
        }
    };
    let details = Details {
        name: clean_field("name", name).map_err(|e| ("name", e))?,
        phone,
        role: optional("role", role)?,
        location: optional("location", location)?,
    };
    Ok((details, status))
}

/// A status as `members list` writes it; empty means active.
fn parse_status(text: &str) -> Result<MemberStatus, String> {
    let word = text.trim().to_lowercase().replace(['-', ' '], "_");
    if word.is_empty() {
        return Ok(MemberStatus::Active);
    }
    MemberStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == word)
        .ok_or_else(|| {
            format!(
                "{:?} is not a status (active, pending, opted_out or lapsed)",
                text.trim()
            )
        })
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub skip_invalid: bool,
    pub update: bool,
    pub dry_run: bool,
}

/// Checks `data` and, unless it has invalid rows (and `skip_invalid` is off)
/// or this is a dry run, writes it in one transaction.
pub fn import(
    conn: &mut Connection,
    data: &[u8],
    region: Id,
    consent: &Consent,
    opts: Options,
) -> Result<Summary> {
    let checked = check(data, region)?;
    let mut summary = Summary {
        dry_run: opts.dry_run,
        invalid: checked.invalid,
        ..Summary::default()
    };
    let tx = conn.transaction()?;
    for row in &checked.rows {
        match by_phone(&tx, &row.details.phone)? {
            None => {
                // The file's status is honoured for a new member: someone who
                // opted out elsewhere stays opted out here.
                insert(&tx, &row.details, row.status, consent)?;
                summary.added += 1;
            }
            Some(m) => {
                let d = &row.details;
                let same = m.name == d.name && m.role == d.role && m.location == d.location;
                if opts.update && !same {
                    // Details only: an import never changes a status, so an
                    // opted-out member stays opted out whatever the file says.
                    tx.prepare_cached(
                        "UPDATE members SET name = ?2, role = ?3, location = ?4, updated_at = ?5 WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![m.id.0, d.name, d.role, d.location, crate::db::ts(consent.at)])?;
                    summary.updated += 1;
                } else {
                    let reason = if same {
                        format!("already a member ({}), details unchanged", m.status)
                    } else {
                        format!(
                            "already a member ({}); use --update to change details",
                            m.status
                        )
                    };
                    summary.skipped.push(Skipped {
                        line: row.line,
                        member_id: m.id,
                        reason,
                    });
                }
            }
        }
    }
    summary.imported = !opts.dry_run && (summary.invalid.is_empty() || opts.skip_invalid);
    if summary.imported {
        tx.commit()?;
    } else {
        drop(tx); // rolls back: the counts say what would have happened
    }
    Ok(summary)
}

/// How many skipped rows the human summary lists before it only counts.
const SHOWN_SKIPS: usize = 20;

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for bad in &self.invalid {
            if bad.column.is_empty() {
                writeln!(f, "invalid: line {}: {}", bad.line, bad.reason)?;
            } else {
                writeln!(
                    f,
                    "invalid: line {}, column {}: {}",
                    bad.line, bad.column, bad.reason
                )?;
            }
        }
        for s in self.skipped.iter().take(SHOWN_SKIPS) {
            writeln!(
                f,
                "skipped: line {}: member {} {}",
                s.line, s.member_id, s.reason
            )?;
        }
        if self.skipped.len() > SHOWN_SKIPS {
            writeln!(
                f,
                "skipped: … and {} more (--format json lists them all)",
                self.skipped.len() - SHOWN_SKIPS
            )?;
        }
        let verb = if self.imported {
            "imported"
        } else if self.dry_run {
            "dry run, nothing written; would import"
        } else {
            "NOT imported, nothing written; would import"
        };
        writeln!(
            f,
            "{verb}: {} added, {} updated, {} skipped, {} invalid",
            self.added,
            self.updated,
            self.skipped.len(),
            self.invalid.len()
        )
    }
}

#[cfg(test)]
mod tests {
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
        import(conn, csv.as_bytes(), Id::GB, &consent(), opts)
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
        crate::members::set_status(&conn, id, MemberStatus::OptedOut, Timestamp::UNIX_EPOCH)
            .unwrap();

        let csv = "name,phone,role,location\nA2,07700 900001,R2,L\n";
        let s = run(&mut conn, csv, Options::default()).unwrap();
        assert_eq!((s.added, s.updated, s.skipped.len()), (0, 0, 1));
        assert!(s.skipped[0].reason.contains("--update"));

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

        let data = b"name,phone,role,location\nA\xff,07700 900001,R,L\n";
        let s = import(&mut conn, data, Id::GB, &consent(), Options::default()).unwrap();
        assert_eq!(s.invalid[0].line, 2);
        assert_eq!(s.invalid[0].column, "name");
        assert!(s.invalid[0].reason.contains("UTF-8"));
    }

    #[test]
    fn a_status_column_is_honoured_for_new_members_only() {
        let mut conn = open_in_memory();
        let csv = "id,name,phone,role,location,status\n\
                   1,A,07700 900001,R,L,active\n\
                   2,B,07700 900002,R,L,opted_out\n\
                   3,C,07700 900003,R,L,Lapsed\n\
                   4,(WhatsApp user),07700 900004,,,pending\n\
                   5,E,07700 900005,R,L,\n";
        let s = run(&mut conn, csv, Options::default()).unwrap();
        assert_eq!((s.added, s.invalid.len()), (5, 0), "{:?}", s.invalid);
        let statuses: Vec<MemberStatus> = list(&conn, &Filter::default())
            .unwrap()
            .iter()
            .map(|m| m.status)
            .collect();
        use MemberStatus::*;
        assert_eq!(statuses, [Active, OptedOut, Lapsed, Pending, Active]);

        // An existing opted-out member is never reactivated by a file saying active.
        let again = "name,phone,role,location,status\nB,07700 900002,R2,L,active\n";
        let opts = Options {
            update: true,
            ..Options::default()
        };
        run(&mut conn, again, opts).unwrap();
        let b = crate::members::by_phone(&conn, &phone::parse("07700 900002", Id::GB).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!((b.role.as_str(), b.status), ("R2", OptedOut));

        // Only a pending row may lack role and location; unknown words are refused by line.
        let bad = "name,phone,role,location,status\n\
                   F,07700 900006,,,active\n\
                   G,07700 900007,R,L,gone\n";
        let s = run(&mut conn, bad, Options::default()).unwrap();
        let got: Vec<(u64, &str)> = s
            .invalid
            .iter()
            .map(|i| (i.line, i.column.as_str()))
            .collect();
        assert_eq!(got, [(2, "role"), (3, "status")]);
        assert!(s.invalid[1].reason.contains("\"gone\" is not a status"));
    }
}
