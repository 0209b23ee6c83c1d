//! Full UK postcodes, by the BS 7666 shape and letter rules.
//!
//! A pharmacy's own postcode is normal in a notice, so one alone is a
//! warning; next to patient context it is somebody's address and a block.
//! Doses (`2MG`, `5 ML`) never match: they start with a digit, and inward
//! codes never use M.

use super::{Context, FOR_PATIENT_DATA, Finding, Kind, Severity, ends_word, word_starts};

/// Outward code shapes: `a` first letter, `b` second letter, `c` the letter
/// of `A9A`, `d` the letter of `AA9A`, `9` a digit. Longest first, so that
/// without a space `AB12 3CD` is tried before `AB1 23CD` (which cannot match).
const OUTWARD: [&[u8]; 6] = [b"ab99", b"ab9d", b"ab9", b"a99", b"a9c", b"a9"];

/// The inward code: a digit and two letters.
const INWARD: &[u8] = b"9ee";

fn fits(class: u8, c: u8) -> bool {
    let c = c.to_ascii_uppercase();
    match class {
        b'9' => c.is_ascii_digit(),
        b'a' => c.is_ascii_uppercase() && !b"QVX".contains(&c),
        b'b' => c.is_ascii_uppercase() && !b"IJZ".contains(&c),
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
    let giro = b
        .get(i..i + 3)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"GIR"));
    let outward_lens = OUTWARD
        .iter()
        .filter(|shape| fits_shape(b, i, shape))
        .map(|shape| shape.len())
        .chain(giro.then_some(3));
    for len in outward_lens {
        let at = i + len;
        for inward in [at + usize::from(b.get(at) == Some(&b' ')), at] {
            let is_giro_inward = giro
                && len == 3
                && b.get(inward..inward + 3)
                    .is_some_and(|s| s.eq_ignore_ascii_case(b"0AA"));
            let end = inward + INWARD.len();
            if (is_giro_inward || fits_shape(b, inward, INWARD)) && ends_word(text, end) {
                return Some(end);
            }
        }
    }
    None
}

/// Warns about every postcode; blocks one near patient context.
pub(super) fn scan_postcodes(text: &str, context: &Context, out: &mut Vec<Finding>) {
    let mut next = 0;
    for i in word_starts(text) {
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
        // First letter not Q, V, X.
        for p in ["Q1 1AA", "V1 1AA", "X1 1AA"] {
            assert!(!whole(p), "{p}");
        }
        // Second letter not I, J, Z (so the NHS pseudo-postcode ZZ99 fails).
        for p in ["AI1 1AA", "AJ1 1AA", "AZ1 1AA", "ZZ99 3AA"] {
            assert!(!whole(p), "{p}");
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
