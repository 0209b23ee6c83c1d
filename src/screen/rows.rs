//! Rows pasted from a spreadsheet or a clinical system: a line split by tabs,
//! pipes, semicolons or commas whose cells hold two or more kinds of
//! identifier (NHS number, date, postcode, name, phone number) is a patient
//! record, whatever the words around it.
//!
//! A cell counts only when it is the identifier, whole (`LS99 9ZZ`, not
//! "moves to LS99 9ZZ on Monday"), so a sentence with commas is not a row.
//! A postcode and a phone number alone are a business's contact line
//! ("Moorside Medical Centre, BD99 9ZZ, 0113 496 0500"): they need a third
//! kind.

use super::{Allow, Finding, Kind, Severity, dates, nhs_number_valid, person, phones, postcodes};
use crate::phone;

/// Kinds of cell, as bits.
const NHS: u8 = 1;
const DATE: u8 = 2;
const POSTCODE: u8 = 4;
const NAME: u8 = 8;
const PHONE: u8 = 16;

/// Cell separators, strongest first (a tab-separated row may hold commas).
const SEPARATORS: [char; 4] = ['\t', '|', ';', ','];

/// Most cells looked at in one line: a row from a clinical system has a
/// dozen; a line of thousands of commas is not a row, and stays linear.
const MAX_CELLS: usize = 64;

/// Adds a block for each line that reads as a row of patient identifiers.
pub(super) fn scan_rows(text: &str, allow: &Allow, out: &mut Vec<Finding>) {
    let mut line_start = 0;
    for line in text.split('\n') {
        if let Some(kinds) = row_kinds(line, allow) {
            let trimmed = line.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            out.push(Finding {
                kind: Kind::PatientRecord,
                severity: Severity::Block,
                start: line_start + lead,
                end: line_start + trimmed.len(),
                reason: format!("a row of patient details: {kinds} in separate cells"),
            });
        }
        line_start += line.len() + 1;
    }
}

/// The kinds in `line`'s cells, described, when they make a patient record.
fn row_kinds(line: &str, allow: &Allow) -> Option<String> {
    // Every kind but a name is written with digits, and a row takes two.
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let separator = SEPARATORS.into_iter().find(|&s| line.contains(s))?;
    let cells = || {
        line.split(separator)
            .take(MAX_CELLS)
            .map(|cell| cell.trim().trim_matches(['"', '\'']).trim())
    };
    // The kinds written with digits first: a row takes two kinds, and names
    // are one, so without one of these no name is worth reading.
    let mut written = [0u8; MAX_CELLS];
    for (kind, cell) in written.iter_mut().zip(cells()) {
        *kind = written_kind(cell, allow);
    }
    let mut kinds = written.iter().fold(0, |kinds, kind| kinds | kind);
    if kinds == 0 {
        return None;
    }
    if cells()
        .zip(written)
        .any(|(cell, kind)| kind == 0 && name_cell(cell))
    {
        kinds |= NAME;
    }
    let count = kinds.count_ones();
    let contact_line = kinds & !(POSTCODE | PHONE) == 0;
    if count < 2 || contact_line {
        return None;
    }
    // "Rhian Pugh-Evans | Senior Pharmacist | 029 2018 0442": a name and a
    // workplace's contact with a job's title is a signature, not a
    // patient's record (a mobile is the person's own: "Amy Collier,
    // Technician, 07700 900111" lists it).
    let signature = kinds & !(POSTCODE | PHONE | NAME) == 0
        && cells().any(|cell| split_title(cell).any(person::titles_a_role))
        && cells()
            .zip(written)
            .all(|(cell, kind)| kind != PHONE || !phone::is_mobile(cell));
    if signature {
        return None;
    }
    let names = [
        (NHS, "an NHS number"),
        (DATE, "a date"),
        (POSTCODE, "a postcode"),
        (NAME, "a name"),
        (PHONE, "a phone number"),
    ];
    let listed: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| kinds & bit != 0)
        .map(|&(_, name)| name)
        .collect();
    Some(listed.join(", "))
}

/// The parts of a cell a title may fill: "Senior Pharmacist, Medicines
/// Optimisation" holds "Senior Pharmacist".
fn split_title(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', '-', '/']).map(str::trim)
}

/// What a whole cell is, if it is an identifier written with digits (the
/// team's own postcode or number is none).
fn written_kind(cell: &str, allow: &Allow) -> u8 {
    if cell.is_empty() || cell.len() > 40 {
        return 0;
    }
    let only_digits_and_gaps = cell
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'-'));
    if only_digits_and_gaps {
        let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
        if nhs_number_valid(&digits) {
            return NHS;
        }
    }
    if dates::date_at(cell, 0) == Some(cell.len()) {
        return DATE;
    }
    if postcodes::postcode_at(cell, 0) == Some(cell.len()) {
        return if allow.allows(Kind::Postcode, cell) {
            0
        } else {
            POSTCODE
        };
    }
    let phone_like = cell.bytes().next().is_some_and(phones::opens_phone);
    if phone_like && phones::phone_spans(cell).first() == Some(&(0, cell.len())) {
        return if allow.allows(Kind::PhoneNumber, cell) {
            0
        } else {
            PHONE
        };
    }
    0
}

/// True when a whole cell is a person's name, as the person recogniser
/// reads one ("JONES", "Eira" alone are names only next to other
/// identifiers).
fn name_cell(cell: &str) -> bool {
    if cell.is_empty() || cell.len() > 40 {
        return false;
    }
    let words = cell.split_whitespace().count();
    if !(1..=3).contains(&words) {
        return false;
    }
    let lone_name = words == 1 && person::is_forename_word(cell) || person::is_surname_word(cell);
    // A name the recogniser finds starts with a letter: only then is it read.
    let named = || {
        cell.starts_with(char::is_alphabetic)
            && person::find(cell).iter().any(|p| {
                p.start == 0 && p.end == cell.len() && p.reference < person::Reference::Described
            })
    };
    (lone_name || named()) && !cell.split_whitespace().any(person::not_a_person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_two_kinds_of_identifier() {
        for (line, kinds) in [
            (
                "Thornfield\tMargaret\t999 526 0182",
                "an NHS number, a name",
            ),
            ("Crane | Penelope | 1939-02-11 | Warfarin", "a date, a name"),
            (
                "castlemaine;henry;19441112;M99 9ZZ",
                "a date, a postcode, a name",
            ),
            (
                "\"Bellweather\",\"Arthur\",\"LS99 9ZZ\"",
                "a postcode, a name",
            ),
            ("1936-08-30;LS99 9ZZ;Edoxaban", "a date, a postcode"),
        ] {
            assert_eq!(
                row_kinds(line, &Allow::default()).as_deref(),
                Some(kinds),
                "{line}"
            );
        }
    }

    #[test]
    fn not_patient_rows() {
        for line in [
            "Moorside Medical Centre, BD99 9ZZ, 0113 496 0500",
            "Riverside, 12, 04/12/2026",
            "Dr Emily Stroud, GP, BD99 9ZZ",
            "Charles Darwin Surgery, CB99 9ZZ",
            "Practice B82001 moves to LS99 9ZZ on 04/12/2026; phone 0113 496 0500",
            "Staff rota: Amy (Mon), Ben (Tue), Chloe (Wed)",
            "no separators at all 01/02/1960 LS99 9ZZ",
        ] {
            assert_eq!(row_kinds(line, &Allow::default()), None, "{line}");
        }
    }

    #[test]
    fn a_row_finding_spans_its_line() {
        let text = "Name,DOB\n  Ivy Tallentire, 02.02.1933  \nend";
        let mut out = Vec::new();
        scan_rows(text, &Allow::default(), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            &text[out[0].start..out[0].end],
            "Ivy Tallentire, 02.02.1933"
        );
        assert_eq!(out[0].kind, Kind::PatientRecord);
    }
}
