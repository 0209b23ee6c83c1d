//! Ages and birth dates written next to a name: "aged 88", "84 y/o",
//! "91yo", "(b. 1938)", "born 1947", "Mrs Lumley, 86,", "Edna Fairweather,
//! 02/03/1940". Without a name nearby an age is a group ("patients aged 65
//! and over") and no finding.

use super::people::NEAR;
use super::{dates, ends_word, starts_word};

/// An age or a date written next to a name: "aged 88", "84 y/o", "91yo",
/// "(b. 1938)", "born 1947", "Mrs Lumley, 86,", "Edna Fairweather, 02/03/1940".
pub(super) fn age_or_date_near(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    // Directly after the name: ", 86," or " (86)" or a full date.
    let at = end
        + b[end..]
            .iter()
            .take_while(|&&c| matches!(c, b' ' | b',' | b'(' | b'-'))
            .count();
    if at > end {
        let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (2..=3).contains(&digits) && matches!(b.get(at + digits), Some(b',' | b')')) {
            return true;
        }
        if dates::date_at(text, at).is_some() {
            return true;
        }
    }
    let mut from = start.saturating_sub(NEAR / 2);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + NEAR).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    (from..to).any(|i| text.is_char_boundary(i) && starts_word(text, i) && age_at(text, i))
}

/// An age or a birth year at `i`.
fn age_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let is = |word: &[u8]| {
        b.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let number_after = |label: usize, max: usize| {
        let at = i + label;
        let at = at
            + b[at.min(b.len())..]
                .iter()
                .take_while(|&&c| matches!(c, b' ' | b':' | b'.'))
                .count();
        let digits = b
            .get(at..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        (1..=max).contains(&digits) && ends_word(text, at + digits)
    };
    if is(b"aged") && ends_word(text, i + 4) {
        return number_after(4, 3);
    }
    if is(b"age") && ends_word(text, i + 3) {
        return number_after(3, 3);
    }
    if is(b"born") && ends_word(text, i + 4) {
        return number_after(4, 4);
    }
    if is(b"b.") {
        return number_after(2, 4);
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) {
        return false;
    }
    let at = i + digits;
    let at = at
        + b[at..]
            .iter()
            .take(1)
            .take_while(|&&c| matches!(c, b' ' | b'-'))
            .count();
    let rest: Vec<u8> = b[at..].iter().take(9).map(u8::to_ascii_lowercase).collect();
    ["y/o", "y.o", "yo", "yrs", "yr", "years", "year", "y"]
        .iter()
        .any(|unit| rest.starts_with(unit.as_bytes()) && ends_word(text, at + unit.len()))
}
