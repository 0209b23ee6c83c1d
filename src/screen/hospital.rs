//! Hospital numbers (MRNs): there is no national format, so only the label
//! in front of one gives it away.

use super::{Finding, Kind, Severity, match_phrase};

/// Labels that introduce a hospital number, lowercase (a space matches
/// spaces, tabs or hyphens; each label must end a word, so "hospital no"
/// never matches the start of "hospital number").
const LABELS: &[&str] = &[
    "mrn",
    "hospital no",
    "hospital number",
    "unit no",
    "unit number",
    "patient id",
    "patient no",
];

/// Most punctuation allowed between a label and its number: `MRN: `,
/// `Hospital No.: `, `unit no # `.
const MAX_GAP: usize = 6;

/// Blocks a token containing a digit right after a label: `MRN: RX1234567`,
/// `Hospital No. 12345678`, `patient ID #A-123`.
pub(super) fn scan_hospital_numbers(text: &str, words: &[usize], out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let mut next = 0;
    for &i in words {
        if i < next {
            continue;
        }
        let Some(label_end) = LABELS.iter().find_map(|label| match_phrase(text, i, label)) else {
            continue;
        };
        let gap = b[label_end..]
            .iter()
            .take(MAX_GAP + 1)
            .take_while(|&&c| matches!(c, b' ' | b'\t' | b':' | b'#' | b'.' | b'-'))
            .count();
        if gap > MAX_GAP {
            continue;
        }
        let start = label_end + gap;
        let end = token_end(b, start);
        if b[start..end].iter().any(u8::is_ascii_digit) {
            out.push(Finding {
                kind: Kind::HospitalNumber,
                severity: Severity::Block,
                start,
                end,
                reason: format!("hospital number after \"{}\"", &text[i..label_end]),
            });
            next = end;
        }
    }
}

/// The end of an identifier starting at `i`: letters, digits, `-` and `/`
/// (not at the end), and further digit groups after single spaces
/// (`1234 5678`). Starts with a letter or digit, or is empty.
fn token_end(b: &[u8], i: usize) -> usize {
    let mut end = i; // just past the last letter or digit
    let mut at = i;
    while let Some(&c) = b.get(at) {
        let digit_group_follows = c == b' '
            && at == end
            && at > i
            && b[at - 1].is_ascii_digit()
            && b.get(at + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_alphanumeric() {
            at += 1;
            end = at;
        } else if at > i && (matches!(c, b'-' | b'/') || digit_group_follows) {
            at += 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let words: Vec<usize> = crate::screen::word_starts(text).collect();
        scan_hospital_numbers(text, &words, &mut out);
        out.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn tokens_after_labels() {
        assert_eq!(numbers("MRN: RX1234567."), ["RX1234567"]);
        assert_eq!(numbers("Hospital No.: 1234 5678 today"), ["1234 5678"]);
        assert_eq!(numbers("hospital number 55-66/7-"), ["55-66/7"]);
        assert_eq!(numbers("Unit no #A12"), ["A12"]);
        assert_eq!(numbers("patient ID K9"), ["K9"]);
        assert_eq!(numbers("Patient-No 4"), ["4"]);
    }

    #[test]
    fn labels_without_a_number() {
        for t in [
            "the patient no longer needs it",
            "MRN pending",
            "MRNs 12",
            "hospital numbers",
            "unit noted 12",
            "MRN:          123",
        ] {
            assert!(numbers(t).is_empty(), "{t}");
        }
    }
}
