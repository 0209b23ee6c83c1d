//! Which column of an import file holds which of the four details, from the
//! names in its header row (spreadsheets name them many ways).

use std::io::Read;

use anyhow::Result;

use super::file_error;
use crate::output::unprotect_csv;

/// The four columns, each with the header names accepted for it.
pub(super) const FIELDS: [(&str, &[&str]); 4] = [
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

/// Which column holds each of the four fields, from the header row, and
/// which (if any) holds the member's status (as `members list` writes it).
pub(super) fn columns<R: Read>(reader: &mut csv::Reader<R>) -> Result<([usize; 4], Option<usize>)> {
    let headers = reader
        .byte_headers()
        .map_err(|e| file_error(format!("cannot read the CSV header row: {e}")))?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| std::str::from_utf8(h).map(|h| normalise_header(unprotect_csv(h))))
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
    if !missing.is_empty() {
        // The wrong file (a token, a password line) must not be repeated:
        // what was found is named only when it reads as column names.
        let found = if headers.iter().all(|h| looks_like_header(h)) {
            format!("found: {}", headers.join(", "))
        } else {
            "the first line does not look like a header".to_string()
        };
        return Err(file_error(format!(
            "the CSV has no column for {}; {found}",
            missing.join("; "),
        )));
    }
    let status = headers.iter().position(|h| h == super::STATUS);
    Ok((index, status))
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
