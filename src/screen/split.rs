//! NHS, CHI and H&C numbers split across words as people read them out:
//! "begins 999 and then 186 2528", "first bit 99950 second bit 75296",
//! "nine nine nine two one …".

use super::{Finding, Kind, Severity, nhs_number_valid, window_before};
use crate::screen::lexicon::{Sketch, Vocabulary};

/// Digits written as words, for numbers read out: "nine nine nine two …".
const DIGIT_WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Words that say a digit twice or three times: "double eight".
const REPEATS: [&str; 3] = ["double", "treble", "triple"];

/// Most words read out no digit and are turned away by this.
const SPOKEN_SKETCH: Sketch = Sketch::of(&DIGIT_WORDS)
    .with(&REPEATS)
    .with(&["oh", "nought"]);

/// The digit a word reads out: "nine", "oh" and "nought" for zero.
fn digit_word(word: &str) -> Option<usize> {
    DIGIT_WORDS
        .iter()
        .position(|w| word.eq_ignore_ascii_case(w))
        .or_else(|| {
            ["oh", "nought"]
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w))
                .then_some(0)
        })
}

/// Words that announce an identifier's digits: "NHS no", "his number
/// begins", "first bit".
static SPLIT_CUES: Vocabulary = Vocabulary::new(&[
    "nhs", "number", "no", "num", "chi", "begins", "starts", "first", "bit", "digits",
]);

/// Most bytes of words between two parts of one split number.
const MAX_SPLIT_GAP: usize = 30;

/// NHS, CHI and H&C numbers split across words as people read them out:
/// "begins 999 and then 186 2528", "999 760 ... hang on ... 1890", "first
/// bit 99950 second bit 75296", "nine nine nine two one …". Ten digits in
/// two or more parts, after a cue word, that pass Mod 11; reported as a
/// warning, which clinical words or a person turn into a block.
pub(super) fn scan_split_nhs_numbers(text: &str, out: &mut Vec<Finding>) {
    let parts = digit_parts(text);
    for first in 0..parts.len() {
        let (start, _, _) = parts[first];
        // Ten digits read out one word at a time ("nine nine nine, six …")
        // are a number being read out, cue or not.
        let read_out = text.as_bytes()[start].is_ascii_alphabetic();
        // The parts, close together, that make ten digits or more.
        let mut count = 0;
        let mut end = start;
        let mut taken = 0;
        for (n, &(s, e, ref d)) in parts[first..].iter().enumerate() {
            if n > 0 && s - end > MAX_SPLIT_GAP {
                break;
            }
            count += d.len;
            end = e;
            taken = n + 1;
            if count >= 10 {
                break;
            }
        }
        // Most runs of digits do not make ten: nothing more to read.
        if count != 10 {
            continue;
        }
        let taken = &parts[first..first + taken];
        let mut buffer = [0u8; 10];
        let mut at = 0;
        for (_, _, d) in taken {
            buffer[at..at + d.len].copy_from_slice(&d.digits[..d.len]);
            at += d.len;
        }
        let digits = std::str::from_utf8(&buffer).unwrap_or_default();
        // "999 4O2 7781": a letter typed for a digit.
        let lettered = taken
            .iter()
            .any(|(s, e, _)| text[*s..*e].bytes().any(|c| c.is_ascii_alphabetic()) && e - s > 1);
        // The cue is read last: most runs of digits are no such number.
        if digits.len() != 10
            || !(taken.len() >= 2 || lettered)
            || (!read_out && !cue_before(text, start))
        {
            continue;
        }
        let all_words = taken
            .iter()
            .all(|(s, _, _)| text.as_bytes()[*s].is_ascii_alphabetic());
        if read_out && !all_words && !cue_before(text, start) {
            continue;
        }
        // After "NHS" or "CHI" it is one, whatever surrounds it, and a
        // mistyped one (failing Mod 11) is still someone's.
        let labelled = window_before(text, start, 30)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case("nhs") || w.eq_ignore_ascii_case("chi"));
        let valid = nhs_number_valid(digits);
        // Failing Mod 11, only a number read out in words or typed with a
        // letter is taken as a mistyped one ("NHS 111 or 0113 496 0018" is not).
        let spoken = taken
            .iter()
            .any(|(s, _, _)| text.as_bytes()[*s].is_ascii_alphabetic());
        if valid || labelled && (spoken || lettered) {
            out.push(Finding {
                kind: Kind::NhsNumber,
                severity: if labelled {
                    Severity::Block
                } else {
                    Severity::Warn
                },
                start,
                end,
                reason: if valid {
                    "10 digits written in parts pass the NHS number Mod 11 check".to_string()
                } else {
                    "10 digits written in parts after \"NHS\" or \"CHI\" (they fail the Mod 11 \
                     check, but a mistyped number is still someone's)"
                        .to_string()
                },
            });
        }
    }
}

/// The digits of one part: at most ten (a longer run is no part of one).
#[derive(Clone, Copy)]
struct Digits {
    len: usize,
    digits: [u8; 10],
}

impl Digits {
    /// `digit` (0 to 9) said `times` times.
    fn repeated(digit: usize, times: usize) -> Digits {
        let mut digits = [0; 10];
        digits[..times].fill(b'0' + digit as u8);
        Digits { len: times, digits }
    }
}

/// Runs of digits and digit words, each with its digits.
fn digit_parts(text: &str) -> Vec<(usize, usize, Digits)> {
    let b = text.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            // A letter O or l between two digits is a typed 0 or 1: "4O2".
            let mut len = 0;
            let mut digits = Digits {
                len: 0,
                digits: [0; 10],
            };
            let mut count = 0;
            while let Some(&c) = b.get(i + len) {
                let between = b.get(i + len + 1).is_some_and(u8::is_ascii_digit);
                let digit = match c {
                    b'0'..=b'9' => c,
                    b'O' | b'o' if between => b'0',
                    b'l' | b'I' if between => b'1',
                    _ => break,
                };
                if count < 10 {
                    digits.digits[count] = digit;
                    digits.len = count + 1;
                }
                count += 1;
                len += 1;
            }
            // "exp 06/2027", "30/500", "batch 2M4567": a date's, a
            // strength's or a code's digits are no part of a number read out.
            let code = i > 1 && b[i - 1].is_ascii_alphabetic() && b[i - 2].is_ascii_digit();
            let glued = i > 0 && b[i - 1] == b'/' || code || b.get(i + len) == Some(&b'/');
            if count <= 10 && !glued {
                parts.push((i, i + len, digits));
            }
            i += len;
        } else if b[i].is_ascii_alphabetic() && super::starts_word(text, i) {
            let len = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let word = &text[i..i + len];
            if !SPOKEN_SKETCH.may_hold(word.as_bytes()) {
                i += len;
                continue;
            }
            if let Some(d) = digit_word(word) {
                parts.push((i, i + len, Digits::repeated(d, 1)));
            } else if let Some(times) = REPEATS.iter().position(|w| word.eq_ignore_ascii_case(w)) {
                // "double eight", "treble two": one digit said two or three times.
                let next = i + len + 1;
                let said = b.get(i + len) == Some(&b' ')
                    && b.get(next).is_some_and(u8::is_ascii_alphabetic);
                let next_len = b[next.min(b.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                if let Some(d) = said
                    .then(|| digit_word(&text[next..next + next_len]))
                    .flatten()
                {
                    let digits = Digits::repeated(d, if times == 0 { 2 } else { 3 });
                    parts.push((i, next + next_len, digits));
                    i = next + next_len;
                    continue;
                }
            }
            i += len;
        } else {
            i += 1;
        }
    }
    parts
}

/// A cue word among the three words before `at`.
fn cue_before(text: &str, at: usize) -> bool {
    window_before(text, at, 30)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| SPLIT_CUES.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<(Severity, &str)> {
        let mut out = Vec::new();
        scan_split_nhs_numbers(text, &mut out);
        out.iter()
            .map(|f| (f.severity, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn a_number_read_out_in_words_needs_no_cue_word() {
        // 999 698 8368 passes Mod 11; "nhs" is too far back to be a cue.
        let text =
            "her nhs no out over the phone: nine nine nine, six nine eight, eight three six eight";
        let found = numbers(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Severity::Block);
        let unlabelled = "read out: nine nine nine six nine double eight three six eight";
        assert_eq!(
            numbers(unlabelled),
            [(
                Severity::Warn,
                "nine nine nine six nine double eight three six eight"
            )]
        );
        let zero = "it's nine nine nine oh oh oh oh oh one eight";
        assert_eq!(numbers(zero).len(), 1, "{zero}");
    }

    #[test]
    fn a_date_s_a_strength_s_or_a_code_s_digits_are_no_part() {
        assert!(numbers("Co-codamol 30/500 batch no. 2M4567 exp 06/2027").is_empty());
    }

    #[test]
    fn digits_and_words_mixed_still_need_a_cue() {
        assert!(numbers("nine 999 698 8368 tablets").is_empty());
    }
}
