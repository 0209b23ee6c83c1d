//! Phone numbers: a pharmacy's own number is normal in a notice, a personal
//! one must not be broadcast.

use super::numbers::{group_separator_len, is_digit_at};
use super::{Finding, Kind, Severity, char_before, ends_word, is_word_char};

/// Most digits any phone number can have as written: `00` + 15 (E.164).
const MAX_PHONE_DIGITS: usize = 17;

/// Spans of phone numbers, in order and non-overlapping:
/// - international: `+` then a country code (`+44 113 496 0018`,
///   `+44 (0)7700 900123`, `+447700900123`), or the same after `00`
///   (`0044 113 496 0018`);
/// - UK national: `0`, a non-zero digit, 11 digits in all (`07700 900019`,
///   `0113 496 0018`, `(0113) 496 0018`).
pub(super) fn phone_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let found = if opens_phone(b[i]) && starts_phone(text, i) {
            phone_at(text, i)
        } else {
            None
        };
        match found {
            Some(end) => {
                spans.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// A phone number's first byte: `+`, `(` or `0`.
pub(super) fn opens_phone(b: u8) -> bool {
    matches!(b, b'+' | b'(' | b'0')
}

/// A phone number can begin here: no letter, digit or `+` just before.
fn starts_phone(text: &str, i: usize) -> bool {
    !char_before(text, i).is_some_and(|c| is_word_char(c) || c == '+')
}

/// The end of the phone number starting at `i` (a `+`, `(` or `0`), if any.
fn phone_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let plus = b[i] == b'+';
    // A national or `00` number starts with a group of two digits or more
    // ("0113", "020"): checking first keeps "0 0 0 0" cheap.
    let cheap_reject = match b[i] {
        b'0' => !is_digit_at(b, i + 1),
        b'(' => b.get(i + 1) != Some(&b'0'),
        _ => false,
    };
    if cheap_reject {
        return None;
    }
    let first = if plus {
        i + 1 + usize::from(b.get(i + 1) == Some(&b' '))
    } else {
        i
    };
    let (ends, digits) = phone_groups(text, first);
    let d = digits.as_bytes();
    // How many digits may follow `+` or `00`: a UK number is 44 and 9 or
    // 10 digits; E.164 allows 15 in all.
    let international = |cc: &[u8]| {
        if cc.starts_with(b"44") {
            11..=12
        } else {
            8..=15
        }
    };
    // `00` and a country code is at most five digits before the first
    // space: "004047 966690" is a grouped barcode, not a call to Romania.
    if !plus && d.starts_with(b"00") && ends.len() > 1 && ends[0].1 > 5 {
        return None;
    }
    let (skip, allowed) = match (plus, d) {
        (true, [b'1'..=b'9', ..]) => (0, international(d)),
        (false, [b'0', b'0', b'1'..=b'9', ..]) => (2, international(&d[2..])),
        (false, [b'0', b'1'..=b'9', ..]) => (0, 11..=11),
        _ => return None,
    };
    let &(end, _) = ends
        .iter()
        .rev()
        .find(|&&(_, n)| n >= skip && allowed.contains(&(n - skip)))?;
    ends_word(text, end).then_some(end)
}

/// Digit groups from `i`: digits, or digits in brackets (`(0113)`, `(0)`),
/// joined by one separator, or by nothing next to a bracket (`(0)7700`).
/// Returns each group's end with the count of digits so far, and the digits;
/// a `(0)` trunk prefix inside an international number is left out of both.
/// Stops before a group that would pass [`MAX_PHONE_DIGITS`] or that runs
/// into more digits, so every end returned is a real end.
fn phone_groups(text: &str, mut i: usize) -> (Vec<(usize, usize)>, String) {
    let b = text.as_bytes();
    let mut ends = Vec::new();
    let mut digits = String::new();
    let mut seen_trunk = false;
    loop {
        let bracketed = b.get(i) == Some(&b'(');
        let from = (i + usize::from(bracketed)).min(b.len());
        let len = b[from..]
            .iter()
            .take(MAX_PHONE_DIGITS + 1 - digits.len())
            .take_while(|c| c.is_ascii_digit())
            .count();
        let mut end = from + len;
        if len == 0 || digits.len() + len > MAX_PHONE_DIGITS || is_digit_at(b, end) {
            break;
        }
        if bracketed {
            if b.get(end) != Some(&b')') {
                break;
            }
            end += 1;
        }
        // One `(0)` after the country code; any more count as digits, so
        // that the digit limit still ends the scan.
        let trunk =
            bracketed && &text[from..from + len] == "0" && !digits.is_empty() && !seen_trunk;
        seen_trunk |= trunk;
        if !trunk {
            digits.push_str(&text[from..from + len]);
        }
        ends.push((end, digits.len()));
        i = end;
        match group_separator_len(text, i) {
            Some(sep) if is_digit_at(b, i + sep) || b.get(i + sep) == Some(&b'(') => i += sep,
            _ if bracketed && is_digit_at(b, i) => {}
            _ if b.get(i) == Some(&b'(') => {}
            _ => break,
        }
    }
    (ends, digits)
}

/// Every phone number is a warning: a pharmacy's own number is normal in a
/// notice, but a personal one must not be broadcast.
pub(super) fn report_phone_numbers(phones: &[(usize, usize)], out: &mut Vec<Finding>) {
    out.extend(phones.iter().map(|&(start, end)| Finding {
        kind: Kind::PhoneNumber,
        severity: Severity::Warn,
        start,
        end,
        reason: "phone number: check it is not a personal number".to_string(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> Vec<&str> {
        phone_spans(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn a_grouped_barcode_is_no_international_number() {
        assert!(phones("Scan 5 004047 966690 at goods-in").is_empty());
        assert_eq!(phones("0044 113 496 0018"), ["0044 113 496 0018"]);
    }

    #[test]
    fn phone_numbers_as_people_write_them() {
        for n in [
            "07700 900123",
            "07700-900-123",
            "07700900123",
            "+44 7700 900123",
            "+447700900123",
            "0044 7700 900123",
            "+44 (0)7700 900123",
            "+44 113 496 0018",
            "0113 496 0018",
            "(0113) 496 0018",
            "020 7946 0018",
            "0044 113 496 0018",
            "+44\u{a0}113\u{a0}496\u{a0}0018",
        ] {
            let text = format!("Call {n}, thanks");
            assert_eq!(phones(&text), [n], "{text}");
        }
    }

    #[test]
    fn not_phone_numbers() {
        for text in [
            "ORD-2024-0001234567",
            "1234 5678 9012 3456",
            "9990000018",
            "0123456789012345",
            "07700 9001234",
            "A07700900123",
            "12/03/1985",
        ] {
            assert!(phones(text).is_empty(), "{text}: {:?}", phones(text));
        }
    }

    #[test]
    fn a_phone_number_ends_at_its_last_group() {
        assert_eq!(phones("ring 07700 900123 2 boxes"), ["07700 900123"]);
        assert_eq!(phones("+44 7700 900123 2 boxes"), ["+44 7700 900123"]);
    }

    #[test]
    fn every_drama_number_is_a_phone_never_an_nhs_number() {
        for n in 0..1000 {
            for text in [
                format!("+44 113 496 {n:04}"),
                format!("0113 496 {n:04}"),
                format!("(0113) 496 {n:04}"),
                format!("0044 113 496 {n:04}"),
                format!("+44 (0) 113 496 {n:04}"),
                format!("020 7946 {n:04}"),
                format!("+44 20 7946 {n:04}"),
                format!("07700 900{n:03}"),
                format!("+44 7700 900{n:03}"),
                format!("+44 (0)7700 900{n:03}"),
            ] {
                assert_eq!(phones(&text), [text.as_str()]);
                // Said to be someone's, it is a phone number, never an NHS number.
                let findings = crate::screen::screen(&format!("Mrs Ann Example {text}"));
                let kinds: Vec<Kind> = findings.iter().map(|f| f.kind).collect();
                assert_eq!(kinds, [Kind::PatientName, Kind::PhoneNumber], "{text}");
            }
        }
    }
}
