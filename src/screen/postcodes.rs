//! Full UK postcodes, by the BS 7666 shape and its inward letter rules.
//!
//! A pharmacy's own postcode is normal in a notice, so one alone is a
//! warning; next to patient context it is somebody's address and a block.
//! Doses (`2MG`, `5 ML`) never match: they start with a digit, and inward
//! codes never use M.

use super::{Context, FOR_PATIENT_DATA, Finding, Kind, Severity, ends_word};

/// Outward code shapes: `a` first letter, `b` second letter, `c` the letter
/// of `A9A`, `d` the letter of `AA9A`, `9` a digit. Shapes of one length
/// differ in the class of some position, so with the inward code and the
/// word end after it, at most one reading of a token matches.
const OUTWARD: [&[u8]; 6] = [b"ab99", b"ab9d", b"ab9", b"a99", b"a9c", b"a9"];

/// The inward code: a digit and two letters.
const INWARD: &[u8] = b"9ee";

fn fits(class: u8, c: u8) -> bool {
    let c = c.to_ascii_uppercase();
    match class {
        b'9' => c.is_ascii_digit(),
        // Any letter first and second: the NHS's pseudo-postcodes (ZZ99)
        // and a mistyped or invented area code still point at a street.
        b'a' | b'b' => c.is_ascii_uppercase(),
        b'c' => b"ABCDEFGHJKPSTUW".contains(&c),
        b'd' => b"ABEHMNPRVWXY".contains(&c),
        b'e' => c.is_ascii_uppercase() && !b"CIKMOV".contains(&c),
        _ => false,
    }
}

fn fits_shape(b: &[u8], i: usize, shape: &[u8]) -> bool {
    b.get(i..i + shape.len())
        .is_some_and(|s| s.iter().zip(shape).all(|(&c, &class)| fits(class, c)))
}

/// The end of a whole-word postcode starting at `i` (a word start), if any.
/// Case-insensitive; the space between outward and inward is optional.
pub(super) fn postcode_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    // `GIR 0AA` (the old Girobank) is the one postcode outside the rules.
    if b.get(i..i + 3)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"GIR"))
    {
        return inward_end(text, i + 3, true);
    }
    // Every shape has a digit second or third: most words stop here.
    if !b
        .get(i + 1..i + 3)
        .is_some_and(|s| s.iter().any(u8::is_ascii_digit))
    {
        return None;
    }
    OUTWARD
        .iter()
        .filter(|shape| fits_shape(b, i, shape))
        .find_map(|shape| inward_end(text, i + shape.len(), false))
}

/// The end of the inward code after an outward code ending at `at`, with or
/// without one space between, if the postcode then ends a word.
fn inward_end(text: &str, at: usize, giro: bool) -> Option<usize> {
    let b = text.as_bytes();
    let fits = |j: usize| {
        if giro {
            b.get(j..j + 3)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"0AA"))
        } else {
            fits_shape(b, j, INWARD)
        }
    };
    let spaced = at + usize::from(b.get(at) == Some(&b' '));
    [spaced, at]
        .into_iter()
        .find(|&j| fits(j) && ends_word(text, j + INWARD.len()))
        .map(|j| j + INWARD.len())
}

/// Warns about every postcode; blocks one near patient context.
pub(super) fn scan_postcodes(
    text: &str,
    words: &[usize],
    context: &Context,
    out: &mut Vec<Finding>,
) {
    let mut next = 0;
    for &i in words {
        if i < next {
            continue;
        }
        let Some(end) = postcode_at(text, i) else {
            continue;
        };
        let (severity, reason) = match context.near(i, end, FOR_PATIENT_DATA) {
            Some(word) => (
                Severity::Block,
                format!("full UK postcode near \"{word}\": part of an address"),
            ),
            None => (
                Severity::Warn,
                "full UK postcode: fine if it is a pharmacy's or practice's own, \
                 not if it is a patient's"
                    .to_string(),
            ),
        };
        out.push(Finding {
            kind: Kind::Postcode,
            severity,
            start: i,
            end,
            reason,
        });
        next = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> bool {
        postcode_at(text, 0) == Some(text.len())
    }

    #[test]
    fn every_outward_shape() {
        for p in [
            "B9 9ZZ", "M99 9ZZ", "W1A 9ZZ", "LS9 9ZZ", "LS99 9ZZ", "SW1A 9ZZ", "GIR 0AA",
            "ls99 9zz", "LS999ZZ", "SW1A9ZZ", "gir0aa", "EC1A 1BB",
        ] {
            assert!(whole(p), "{p}");
        }
    }

    #[test]
    fn letter_rules() {
        // Any first and second letter: BS 7666 leaves out Q, V, X first and
        // I, J, Z second, but the NHS's ZZ99 and a typo still locate someone.
        for p in [
            "Q1 1AA", "V1 1AA", "X1 1AA", "AI1 1AA", "AZ1 1AA", "ZZ99 3AA",
        ] {
            assert!(whole(p), "{p}");
        }
        // A9A: the third letter only from ABCDEFGHJKPSTUW.
        for ok in b"ABCDEFGHJKPSTUW" {
            assert!(whole(&format!("W1{} 1AA", *ok as char)));
        }
        for bad in b"ILMNOQRVXYZ" {
            assert!(!whole(&format!("W1{} 1AA", *bad as char)));
        }
        // AA9A: the fourth letter only from ABEHMNPRVWXY.
        for ok in b"ABEHMNPRVWXY" {
            assert!(whole(&format!("EC1{} 1AA", *ok as char)));
        }
        for bad in b"CDFGIJKLOQSTUZ" {
            assert!(!whole(&format!("EC1{} 1AA", *bad as char)));
        }
        // Inward letters never C, I, K, M, O, V.
        for bad in b"CIKMOV" {
            assert!(!whole(&format!("LS1 1A{}", *bad as char)));
            assert!(!whole(&format!("LS1 1{}A", *bad as char)));
        }
        assert!(!whole("ZZ99 3VZ"));
        // Girobank's is the only GIR postcode.
        assert!(!whole("GIR 1AB"));
    }

    #[test]
    fn doses_and_part_words_are_not_postcodes() {
        for t in [
            "2MG", "5ML", "10 ML", "500mg", "2.5ml", "MG2 5ML", "AB1 2MG",
        ] {
            assert!(postcode_at(t, 0).is_none(), "{t}");
        }
        assert!(postcode_at("LS99 9ZZX", 0).is_none());
        assert!(postcode_at("LS99 9ZZ1", 0).is_none());
        assert!(postcode_at("LS99  9ZZ", 0).is_none());
    }
}
