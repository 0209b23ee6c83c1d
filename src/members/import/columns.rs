//! Which column of an import file holds which of the four details, from the
//! names in its header row (spreadsheets name them many ways).

use std::io::Read;

use anyhow::Result;

use super::file_error;
use crate::output::unprotect_csv;

/// The four columns, each with the header names accepted for it, in
/// tiers: when several columns match, the first tier that matches any
/// decides (a list with "Mobile" and "Telephone" takes the mobile), and two
/// matches in one tier are ambiguous. Names are compared by [`key`]: case,
/// punctuation and spacing do not matter ("Mobile No." is "mobile no").
/// The README lists them all (a test checks it).
pub(super) const FIELDS: [(&str, &[&[&str]]); 4] = [
    (
        "name",
        &[&[
            "name",
            "full name",
            "contact name",
            "member name",
            "staff name",
        ]],
    ),
    (
        "phone",
        &[
            &[
                "mobile",
                "mobile number",
                "mobile no",
                "mobile phone",
                "mobile phone number",
                "mobile tel",
                "mob",
                "mob no",
                "whatsapp",
                "whatsapp number",
                "cell",
                "cell phone",
            ],
            &[
                "phone",
                "phone number",
                "phone no",
                "telephone",
                "telephone number",
                "tel",
                "tel no",
                "contact number",
            ],
        ],
    ),
    (
        "role",
        &[
            &["role", "job role", "job title", "staff role"],
            &["position", "occupation", "profession", "designation", "job"],
        ],
    ),
    (
        "location",
        &[
            &[
                "location",
                "working location",
                "work location",
                "place of work",
                "workplace",
            ],
            &[
                "practice pharmacy",
                "practice or pharmacy",
                "pharmacy practice",
                "practice",
                "practice name",
                "gp practice",
                "surgery",
                "pharmacy",
                "pharmacy name",
            ],
            &["site", "site name", "branch", "base"],
            &[
                "organisation",
                "organization",
                "organisation name",
                "employer",
            ],
        ],
    ),
];

/// A header as it is compared with the names above and with `--column`:
/// lower case, every run of punctuation or spaces one space.
pub(super) fn key(h: &str) -> String {
    h.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The columns the user named with `--column FIELD=HEADER`, for headers
/// no name above covers.
#[derive(Debug, Clone, Default)]
pub struct Chosen(Vec<(String, String)>);

impl Chosen {
    /// Reads `FIELD=HEADER` items; the field must be one of the four or status.
    pub fn parse(items: &[String]) -> Result<Chosen, String> {
        let mut chosen = Vec::new();
        for item in items {
            let Some((field, header)) = item.split_once('=') else {
                return Err(format!(
                    "{item:?} is not FIELD=HEADER (for example phone=\"Mobile No.\")"
                ));
            };
            let field = field.trim().to_lowercase();
            if !FIELDS.iter().any(|(f, _)| *f == field) && field != super::STATUS {
                return Err(format!(
                    "{:?} is not a field: name, phone, role, location or status",
                    field
                ));
            }
            let header = header.trim().trim_matches('"').to_string();
            if chosen.iter().any(|(f, _): &(String, String)| *f == field) {
                return Err(format!("{field} is given twice"));
            }
            chosen.push((field, header));
        }
        Ok(Chosen(chosen))
    }

    fn header(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, h)| h.as_str())
    }
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a (normalised) header cell reads as a column name: short words
/// of letters, or short numbers ("address line 2"), with a little
/// punctuation between. A token or a password hash mixes letters and digits
/// in one long word, or has `:`, `$`, `=` or `/` in it.
fn looks_like_header(h: &str) -> bool {
    h.chars().count() <= 40
        && h.split(|c: char| c.is_whitespace() || "().&'#".contains(c))
            .all(|word| {
                let letters = word.chars().all(char::is_alphabetic) && word.chars().count() <= 16;
                let number = word.chars().all(|c| c.is_ascii_digit()) && word.len() <= 3;
                letters || number
            })
}

/// The optional columns `members list --format csv` writes besides the four.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Optional {
    /// The member's status.
    pub status: Option<usize>,
    /// The consent evidence, kept for a new member (a CSV round trip keeps it).
    pub consent_at: Option<usize>,
    pub consent_source: Option<usize>,
}

/// Which column holds each of the four fields, from the header row (or
/// `chosen`), and which hold the optional ones.
pub(super) fn columns<R: Read>(
    reader: &mut csv::Reader<R>,
    chosen: &Chosen,
) -> Result<([usize; 4], Optional)> {
    let headers = reader
        .byte_headers()
        .map_err(|e| file_error(format!("cannot read the CSV header row: {e}")))?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| std::str::from_utf8(h).map(|h| normalise_header(unprotect_csv(h))))
        .collect::<Result<_, _>>()
        .map_err(|_| file_error("the CSV header row is not valid UTF-8".to_string()))?;
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    // The wrong file (a token, a password line) must not be repeated:
    // what was found is named only when it reads as column names.
    let found = || {
        if headers.iter().all(|h| looks_like_header(h)) {
            format!("found: {}", headers.join(", "))
        } else {
            "the first line does not look like a header".to_string()
        }
    };
    let named = |field: &str| -> Result<Option<usize>> {
        let Some(header) = chosen.header(field) else {
            return Ok(None);
        };
        match keys.iter().position(|k| *k == key(header)) {
            Some(i) => Ok(Some(i)),
            None => Err(file_error(format!(
                "--column {field}={header:?}: the CSV has no such column; {}",
                found()
            ))),
        }
    };

    let mut index = [0usize; 4];
    let mut missing = Vec::new();
    for (slot, (field, tiers)) in FIELDS.iter().enumerate() {
        if let Some(i) = named(field)? {
            index[slot] = i;
            continue;
        }
        let matches = |names: &[&str]| -> Vec<usize> {
            (0..keys.len())
                .filter(|&i| names.contains(&keys[i].as_str()))
                .collect()
        };
        let found_here = tiers
            .iter()
            .map(|names| matches(names))
            .find(|m| !m.is_empty())
            .unwrap_or_default();
        match found_here.as_slice() {
            [i] => index[slot] = *i,
            [] => missing.push(format!("{field} (one of: {})", tiers.concat().join(", "))),
            _ => {
                return Err(crate::exit::error_with_help(
                    format!(
                        "more than one column could be the {field}: {}",
                        found_here
                            .iter()
                            .map(|&i| headers[i].as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("say which with --column {field}=\"HEADER\""),
                ));
            }
        }
    }
    if !missing.is_empty() {
        return Err(crate::exit::error_with_help(
            format!(
                "the CSV has no column for {}; {}",
                missing.join("; "),
                found()
            ),
            "name the columns in the first row, or say which is which with --column, e.g. --column phone=\"Mobile No.\"",
        ));
    }
    let status = match named(super::STATUS)? {
        Some(i) => Some(i),
        None => keys.iter().position(|k| k == super::STATUS),
    };
    let header = |name: &str| keys.iter().position(|k| *k == key(name));
    let optional = Optional {
        status,
        consent_at: header("consent_at"),
        consent_source: header("consent_source"),
    };
    Ok((index, optional))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_header_words_look_like_a_header() {
        for h in [
            "name",
            "mobile number",
            "e mail",
            "address line 2",
            "name (full)",
            "",
            "köln",
        ] {
            assert!(looks_like_header(&normalise_header(h)), "{h}");
        }
        for h in [
            "eaagm0px4zcpsbafaketoken",
            "root:$6$salt$hash:19000:0:99999:7:::",
            "token=abc",
            "bearer faketokenforthetestsuite",
            "https://example.invalid/x",
            "123456",
        ] {
            assert!(!looks_like_header(&normalise_header(h)), "{h}");
        }
    }
}
