//! National Insurance numbers: two letters, six digits and a letter A to D
//! (`QQ 12 34 56 C`, `QQ123456C`). A person's, never an organisation's: after
//! its label ("NI number", "national insurance", "NINO") it blocks on its
//! own; elsewhere it is an identifier that blocks with a person or clinical
//! words (see `decide`).

use super::{Finding, Kind, Severity, ends_word, match_phrase, starts_word, window_before};

/// Labels, lower case; a space matches any run of spaces, tabs or hyphens.
const LABELS: &[&str] = &["ni", "ni no", "ni number", "nino", "national insurance"];

/// Finds National Insurance numbers in `text`.
/// `words` are where the text's words that start with a letter start.
pub(super) fn scan_ni_numbers(text: &str, words: &[usize], out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for &i in words {
        let Some(end) = ni_number_at(b, i).filter(|&e| ends_word(text, e)) else {
            continue;
        };
        let labelled = label_before(text, i);
        out.push(Finding {
            kind: Kind::NiNumber,
            severity: if labelled {
                Severity::Block
            } else {
                Severity::Warn
            },
            start: i,
            end,
            reason: if labelled {
                "National Insurance number after its label".to_string()
            } else {
                "National Insurance number".to_string()
            },
        });
    }
}

/// The end of `AB 12 34 56 C` (spaces optional) starting at `i`.
fn ni_number_at(b: &[u8], i: usize) -> Option<usize> {
    let letters = b.get(i..i + 2)?;
    if !letters.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    let mut at = i + 2;
    for _ in 0..3 {
        at += usize::from(b.get(at) == Some(&b' '));
        let pair = b.get(at..at + 2)?;
        if !pair.iter().all(u8::is_ascii_digit) {
            return None;
        }
        at += 2;
    }
    at += usize::from(b.get(at) == Some(&b' '));
    matches!(b.get(at)?.to_ascii_uppercase(), b'A'..=b'D').then_some(at + 1)
}

/// A label among the five words before `i`.
fn label_before(text: &str, i: usize) -> bool {
    let from = i - window_before(text, i, 30).len();
    (from..i).any(|j| {
        text.is_char_boundary(j)
            && starts_word(text, j)
            && LABELS.iter().any(|l| match_phrase(text, j, l).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Severity)> {
        let mut out = Vec::new();
        let words = crate::screen::WordStarts::of(text).letters;
        scan_ni_numbers(text, &words, &mut out);
        out.iter()
            .map(|f| (&text[f.start..f.end], f.severity))
            .collect()
    }

    #[test]
    fn written_with_and_without_spaces() {
        assert_eq!(
            found("NI number QQ 12 34 56 C"),
            [("QQ 12 34 56 C", Severity::Block)]
        );
        assert_eq!(
            found("national insurance QQ123456B"),
            [("QQ123456B", Severity::Block)]
        );
        assert_eq!(
            found("ref QQ 65 43 21 A thanks"),
            [("QQ 65 43 21 A", Severity::Warn)]
        );
    }

    #[test]
    fn codes_that_are_not_ni_numbers() {
        for text in [
            "QQ 12 34 56 E",
            "Q 12 34 56 C",
            "QQ 12 34 5 C",
            "QQ 12 34 56 CD",
            "qq 12 34 56 c",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
