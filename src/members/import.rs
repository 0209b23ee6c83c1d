//! Importing members from CSV, as a stream: each row is read, checked and
//! written inside one transaction, which is committed only if every row was
//! valid (or `--skip-invalid`), so a huge file needs no more memory than a
//! small one and a bad row still changes nothing.

use std::fmt;
use std::io::{Chain, Cursor, Read};

use anyhow::Result;
use phonenumber::country::Id;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Serialize, Serializer};

use super::{Consent, Details, MemberId, MemberStatus, by_phone, insert};

mod columns;
mod encoding;
mod reader;
mod row;

pub use columns::Chosen;
use columns::columns;
pub use encoding::Encoding;
use reader::{QuoteWatch, sniff};
use row::{check_row, kept_consent, replaced_letters};

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
    pub reason: SkipReason,
}

/// Why a row was skipped; kept small (a re-import of a large file skips
/// every row) and written out as a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkipReason {
    pub status: MemberStatus,
    /// The file has the same details as the database.
    pub unchanged: bool,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unchanged {
            write!(f, "already a member ({}), details unchanged", self.status)
        } else {
            write!(
                f,
                "already a member ({}); use --update to change details",
                self.status
            )
        }
    }
}

impl Serialize for SkipReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub dry_run: bool,
    /// How the file's bytes were read: "utf-8", or "windows-1252" (what
    /// Excel's "CSV (Comma delimited)" writes) for a file that is not UTF-8.
    pub encoding: Encoding,
    /// The character between values: "," or ";" (Excel in some locales).
    pub separator: char,
    /// False when invalid rows stopped the import: then nothing was written.
    pub imported: bool,
    pub added: usize,
    pub updated: usize,
    pub skipped: Vec<Skipped>,
    pub invalid: Vec<Invalid>,
    /// Rows imported as they are, with something to check (as `invalid`).
    pub warnings: Vec<Invalid>,
}

/// An error in the file as a whole (its header, or unreadable bytes).
pub(super) fn file_error(msg: String) -> anyhow::Error {
    crate::exit::error_with_help(
        msg,
        "the first row must name the columns: name, phone (or mobile), role, location",
    )
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub skip_invalid: bool,
    pub update: bool,
    pub dry_run: bool,
}

/// Numbers already seen in this file, kept in a temporary table (which
/// SQLite pages to disk) rather than in memory. Returns the line a number was
/// first seen on, or records it.
fn first_seen(tx: &Transaction, phone: &str, line: u64) -> Result<Option<u64>> {
    let earlier = tx
        .prepare_cached("SELECT line FROM temp.import_seen WHERE phone = ?1")?
        .query_row([phone], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|l| l as u64);
    if earlier.is_none() {
        tx.prepare_cached("INSERT INTO temp.import_seen (phone, line) VALUES (?1, ?2)")?
            .execute(params![phone, line as i64])?;
    }
    Ok(earlier)
}

/// Writes one valid row: adds a new member (with the row's consent
/// evidence, `kept`), or updates or skips one on file.
fn apply(
    tx: &Transaction,
    line: u64,
    (d, status, kept): (&Details, MemberStatus, &Consent),
    consent: &Consent,
    opts: Options,
    summary: &mut Summary,
) -> Result<()> {
    match by_phone(tx, &d.phone)? {
        None => {
            // The file's status is honoured for a new member: someone who
            // opted out elsewhere stays opted out here.
            insert(tx, d, status, kept)?;
            summary.added += 1;
        }
        Some(m) => {
            let unchanged = m.name == d.name && m.role == d.role && m.location == d.location;
            if opts.update && !unchanged {
                // Details only: an import never changes a status, so an
                // opted-out member stays opted out.
                tx.prepare_cached(
                    "UPDATE members SET name = ?2, role = ?3, location = ?4, updated_at = ?5 WHERE id = ?1",
                )?
                .execute(params![m.id.0, d.name, d.role, d.location, crate::db::ts(consent.at)])?;
                summary.updated += 1;
            } else {
                summary.skipped.push(Skipped {
                    line,
                    member_id: m.id,
                    reason: SkipReason {
                        status: m.status,
                        unchanged,
                    },
                });
            }
        }
    }
    Ok(())
}

/// Reads `input` row by row, checking each and writing it in one
/// transaction; commits only if no row was invalid (or `skip_invalid`) and
/// this is not a dry run. Otherwise everything is rolled back and the
/// counts say what would have happened. Columns `chosen` by `--column`
/// take precedence over the names the header row is searched for.
pub fn import(
    conn: &mut Connection,
    input: impl Read,
    region: Id,
    consent: &Consent,
    opts: Options,
    chosen: &Chosen,
) -> Result<Summary> {
    let (mut reader, separator) = open(input)?;
    let (index, optional) = columns(&mut reader, chosen)?;
    let mut summary = Summary {
        dry_run: opts.dry_run,
        separator: char::from(separator),
        ..Summary::default()
    };
    // The bundled SQLite keeps temporary tables in memory; on disk (paged
    // through a small cache) the numbers seen need no memory per row.
    conn.pragma_update(None, "temp_store", "FILE")?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS import_seen (phone TEXT PRIMARY KEY, line INTEGER NOT NULL);
         DELETE FROM temp.import_seen;",
    )?;
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Reading stopped part-way (with flexible byte records only
                // I/O fails): even --skip-invalid must not commit half a
                // file, so the transaction is dropped, rolled back.
                return Err(file_error(format!(
                    "cannot read the CSV after line {line}: {e}; nothing was imported"
                )));
            }
        }
        let line = record
            .position()
            .and_then(|p| reader.get_mut().line_of_row_at(p.byte()))
            .unwrap_or(line);
        // A quote left open swallows the rest of the file into this row:
        // say so, rather than complain about whichever field came out empty.
        if let Some(invalid) = unclosed_quote(&reader) {
            summary.invalid.push(invalid);
            break;
        }
        let end = reader.position().byte();
        let strays = reader.get_mut().get_mut().get_mut().1.take_strays(end);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank row carries nothing
        }
        let strays = match record.position() {
            Some(start) => strays
                .into_iter()
                .filter(|s| s.at >= start.byte())
                .collect(),
            None => strays,
        };
        let checked = check_row(&record, &index, optional.status, region, &strays)
            .and_then(|(d, status)| Ok((d, status, kept_consent(&record, &optional, consent)?)));
        match checked {
            Ok((details, status, kept)) => match first_seen(&tx, details.phone.as_str(), line)? {
                Some(first) => summary.invalid.push(Invalid {
                    line,
                    column: "phone".into(),
                    reason: format!("{} appears again (first on line {first})", details.phone),
                }),
                None => {
                    if !reader.get_ref().get_ref().get_ref().1.proven_utf8() {
                        summary.warnings.extend(replaced_letters(&details).map(
                            |(column, reason)| Invalid {
                                line,
                                column: column.into(),
                                reason,
                            },
                        ));
                    }
                    let row = (&details, status, &kept);
                    apply(&tx, line, row, consent, opts, &mut summary)?
                }
            },
            Err((column, reason)) => summary.invalid.push(Invalid {
                line,
                column: column.to_string(),
                reason,
            }),
        }
    }
    // Known only now: a Windows-1252 byte may come on the last line.
    summary.encoding = reader.get_ref().get_ref().get_ref().1.encoding();
    finish(tx, &mut summary, opts)?;
    Ok(summary)
}

/// The input after sniffing: the bytes read to find the separator, then
/// the rest, both decoded to UTF-8.
type Sniffed<R> = Chain<Cursor<Vec<u8>>, encoding::Decode<R>>;

/// Finds the file's separator and opens a csv reader over it; fails on a
/// UTF-16 or empty file.
fn open<R: Read>(input: R) -> Result<(csv::Reader<QuoteWatch<Sniffed<R>>>, u8)> {
    let (input, separator) = sniff(encoding::Decode::new(input)).map_err(|e| {
        if e.get_ref().is_some_and(|inner| inner.is::<encoding::Utf16>()) {
            return crate::exit::error_with_help(
                e.to_string(),
                "save it as CSV UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; then import that file",
            );
        }
        file_error(format!("cannot read the CSV: {e}"))
    })?;
    let Some(separator) = separator else {
        return Err(file_error(
            "the file is empty: there is no header row and no member in it; nothing was imported"
                .to_string(),
        ));
    };
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(separator)
        .from_reader(QuoteWatch::new(input, separator));
    Ok((reader, separator))
}

/// The invalid-row entry for a quote left open, which swallows the rest of
/// the file into the row just read; `None` if every quote so far closed.
fn unclosed_quote<R: Read>(reader: &csv::Reader<QuoteWatch<R>>) -> Option<Invalid> {
    let open = reader.get_ref().unclosed()?;
    (open.byte < reader.position().byte()).then(|| Invalid {
        line: open.line,
        column: String::new(),
        reason: format!(
            "a quote (\") opened on line {} is never closed, so everything after it was read as one value; close it, or remove it",
            open.line
        ),
    })
}

/// Empties the table of numbers seen, then commits the import only if every
/// row was valid (or `skip_invalid`) and this is not a dry run.
fn finish(tx: Transaction, summary: &mut Summary, opts: Options) -> Result<()> {
    tx.execute_batch("DELETE FROM temp.import_seen")?;
    summary.imported = !opts.dry_run && (summary.invalid.is_empty() || opts.skip_invalid);
    if summary.imported {
        tx.commit()?;
    } else {
        drop(tx); // rolls back: the counts say what would have happened
    }
    Ok(())
}

/// How many skipped rows the human summary lists before it only counts.
const SHOWN_SKIPS: usize = 20;

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.encoding == Encoding::Windows1252 {
            writeln!(
                f,
                "encoding: the file is not UTF-8; read it as Windows-1252 (what Excel's \"CSV (Comma delimited)\" writes)"
            )?;
        }
        if self.separator == ';' {
            writeln!(f, "separator: semicolons (;)")?;
        }
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
        for w in &self.warnings {
            writeln!(
                f,
                "warning: line {}, column {}: {}",
                w.line, w.column, w.reason
            )?;
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
mod tests;
