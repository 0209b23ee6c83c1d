//! One row of an import file: its four details (and status) checked, with
//! the column and reason for the first that is wrong.

use jiff::Timestamp;
use phonenumber::country::Id;

use super::STATUS;
use super::columns::{FIELDS, Optional};
use super::encoding::Stray;
use crate::members::{Consent, Details, MemberStatus, clean_field};
use crate::output::unprotect_csv;
use crate::phone;

pub(super) fn check_row(
    record: &csv::ByteRecord,
    index: &[usize; 4],
    status_column: Option<usize>,
    region: Id,
    strays: &[Stray],
) -> Result<(Details, MemberStatus), (&'static str, String)> {
    let text = |i: usize, field: &'static str| {
        // Only a file that began as UTF-8 gets here with other bytes later.
        let value = std::str::from_utf8(record.get(i).unwrap_or_default()).map_err(|_| {
            (
                field,
                format!("is not valid UTF-8 text, though the lines before it are: {MIXED}"),
            )
        })?;
        // And only a Windows-1252 file with UTF-8 later has strays.
        match strays.iter().find(|s| value.contains(&s.read_as)) {
            Some(s) => Err((
                field,
                format!(
                    "{:?} has {:?} written as UTF-8, though the lines before it are Windows-1252 (it would read {value:?}): {MIXED}",
                    value.replace(&s.read_as, &s.meant),
                    s.meant,
                ),
            )),
            None => Ok(value),
        }
    };
    let status = match status_column {
        Some(i) => parse_status(unprotect_csv(text(i, STATUS)?)).map_err(|why| (STATUS, why))?,
        None => MemberStatus::Active,
    };
    let mut values = [""; 4];
    for (slot, (field, _)) in FIELDS.iter().enumerate() {
        // `mot members list --format csv` put an apostrophe before cells a
        // spreadsheet would run (an E.164 number starts with `+`): drop it.
        values[slot] = unprotect_csv(text(index[slot], field)?);
    }
    let [name, phone, role, location] = values;
    if let Some(why) = excel_number(phone) {
        return Err(("phone", why));
    }
    let phone = phone::parse(phone, region).map_err(|why| ("phone", why))?;
    // A sign-up waiting for approval may not have a role or location yet.
    let optional = |field: &'static str, value: &str| {
        if !status.needs_four_details() && value.trim().is_empty() {
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

/// The consent evidence for a new member from this row: its `consent_at`
/// and `consent_source` where the file has them (an export of `members
/// list` does), otherwise the import's own. A time that cannot be read, or
/// is later than now, makes the row invalid.
pub(super) fn kept_consent(
    record: &csv::ByteRecord,
    optional: &Optional,
    import: &Consent,
) -> Result<Consent, (&'static str, String)> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(|v| unprotect_csv(v).trim())
            .filter(|v| !v.is_empty())
    };
    let at = match cell(optional.consent_at) {
        None => import.at,
        Some(v) => match v.parse::<Timestamp>() {
            Ok(at) if at <= import.at => at,
            Ok(_) => return Err(("consent_at", format!("{v:?} is later than now"))),
            Err(_) => {
                return Err((
                    "consent_at",
                    format!("{v:?} is not a time such as 2026-11-30T09:00:00Z"),
                ));
            }
        },
    };
    let source = match cell(optional.consent_source) {
        None => import.source.clone(),
        Some(v) => clean_field("consent_source", v).map_err(|e| ("consent_source", e))?,
    };
    Ok(Consent {
        at,
        source,
        by: import.by.clone(),
    })
}

/// What to do about a file that mixes two encodings.
const MIXED: &str =
    "the file mixes two encodings; save it again from Excel as \"CSV UTF-8 (Comma delimited)\"";

/// The name, role or location in which a `?` stands next to a letter: how
/// Excel's "CSV (Comma delimited)" (Windows-1252) writes the letters it
/// has no byte for (Ł, ś, ğ, …), losing them. The row is still imported.
pub(super) fn replaced_letters(d: &Details) -> impl Iterator<Item = (&'static str, String)> {
    let replaced = |value: &str| {
        let chars: Vec<char> = value.chars().collect();
        chars.iter().enumerate().any(|(i, &c)| {
            let letter = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.is_alphabetic())
            };
            c == '?' && (letter(i.checked_sub(1)) || letter(Some(i + 1)))
        })
    };
    [("name", &d.name), ("role", &d.role), ("location", &d.location)]
        .into_iter()
        .filter(move |(_, value)| replaced(value))
        .map(|(field, value)| {
            (
                field,
                format!(
                    "{value:?} has a ? where a letter should be: Excel's \"CSV (Comma delimited)\" writes ? for letters such as Ł, ś or ğ; save the file as \"CSV UTF-8 (Comma delimited)\" and import it again with --update"
                ),
            )
        })
}

/// A phone number Excel turned into a number and wrote in scientific
/// notation (`4.47701E+11`, or `4,47701E+11` where the comma is the decimal
/// mark): its last digits are gone, so the only fix is at the source.
fn excel_number(text: &str) -> Option<String> {
    let t = text.trim();
    let (mantissa, exponent) = t.split_once(['E', 'e'])?;
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(fraction) && digits(exponent)).then(|| {
        format!(
            "{t:?} is a number in scientific notation: Excel stored the phone numbers as numbers and dropped their last digits (and the leading 0); format the column as Text in Excel and type or paste the numbers again (or export them again from where they came from), then save as CSV"
        )
    })
}

/// A status as `members list` writes it; empty means active.
fn parse_status(text: &str) -> Result<MemberStatus, String> {
    let word = text.trim().to_lowercase().replace(['-', ' '], "_");
    if word.is_empty() {
        return Ok(MemberStatus::Active);
    }
    word.parse().map_err(|_| {
        format!(
            "{:?} is not a status (active, pending, opted_out or lapsed)",
            text.trim()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_scientific_notation_is_named_and_real_numbers_are_not() {
        for t in [
            "4.47701E+11",
            " 4,47701E+11 ",
            "7.7009E11",
            "4E+11",
            "4.47701e+011",
        ] {
            let why = excel_number(t).unwrap_or_else(|| panic!("{t}"));
            assert!(why.contains("Excel") && why.contains("Text"), "{why}");
        }
        for t in [
            "07700 900001",
            "+447700900001",
            "E11",
            "4.4E",
            "4.4E+x",
            "Eve",
        ] {
            assert_eq!(excel_number(t), None, "{t}");
        }
    }
}
