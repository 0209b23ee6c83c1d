//! NHS, CHI and H&C numbers. Phone numbers (`phones.rs`) are groups of
//! digits too, and a phone number's digits must never be mistaken for one.
//!
//! About 1 in 11 random 10-digit strings pass Mod 11, and `+44 113 496 0018`
//! contains `113 496 0018`, which does. So phone numbers are found first and
//! an NHS candidate overlapping one is dropped; and a candidate is made of
//! whole digit groups (`1234 5678 9012 3456` holds no NHS number).

use super::{
    Context, FOR_NHS_NUMBERS, Finding, Kind, Severity, char_at, char_before, clinical, ends_word,
    is_word_char, nhs_number_valid, one_of, window_after, window_before,
};
use crate::screen::lexicon::Vocabulary;

/// A separator between two digit groups of one number: a space or hyphen, or
/// a form of either that word processors substitute (non-breaking space,
/// narrow no-break space, non-breaking hyphen, figure and en dashes).
pub(super) fn group_separator_len(text: &str, i: usize) -> Option<usize> {
    match *text.as_bytes().get(i)? {
        b' ' | b'-' => Some(1),
        b if b.is_ascii() => None,
        _ => {
            let c = char_at(text, i)?;
            matches!(
                c,
                '\u{a0}' | '\u{202f}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}'
            )
            .then(|| c.len_utf8())
        }
    }
}

pub(super) fn is_digit_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

// ---------------------------------------------------------------------------
// NHS numbers
// ---------------------------------------------------------------------------

/// Finds NHS numbers: 10 digits passing Mod 11, as a run of digit groups
/// or as consecutive whole groups of a longer run (a list of numbers
/// separated by spaces, or `999 000 0018 2 tabs`), but never a 10-digit
/// window that cuts a group (`1234 5678 9012 3456`).
///
/// Ten digits written as an NHS number is (3-3-4 or in one run) that fail
/// the check and have no label go to `mistyped`: a mistyped number is still
/// someone's when the message is about a person or their health, and an
/// order's or a claim's otherwise ([`super::decide`] judges which).
pub(super) fn scan_nhs_numbers(
    text: &str,
    context: &Context,
    phones: &[(usize, usize)],
    hidden: &[usize],
    out: &mut Vec<Finding>,
    mistyped: &mut Vec<(usize, usize)>,
) {
    let b = text.as_bytes();
    // The groups (start, end, joined to the previous group by a weak
    // separator) of the current run that could still end an NHS number:
    // together at most 10 digits, so at most 10 groups.
    let mut window: Vec<(usize, usize, bool)> = Vec::with_capacity(11);
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        window.clear();
        let mut weak_before = false;
        loop {
            let group_start = i;
            while is_digit_at(b, i) {
                i += 1;
            }
            window.push((group_start, i, weak_before));
            let mut digits: usize = window.iter().map(|(s, e, _)| e - s).sum();
            while digits > 10 {
                let (s, e, _) = window.remove(0);
                digits -= e - s;
            }
            if digits == 10 {
                let read = nhs_number_at(text, context, phones, hidden, &window);
                if read.is_some() {
                    window.clear();
                }
                match read {
                    Some(Read::Found(finding)) => out.push(finding),
                    Some(Read::Mistyped(start, end)) => mistyped.push((start, end)),
                    None => {}
                }
            }
            match nhs_separator(b, i) {
                Some((len, weak)) if is_digit_at(b, i + len) => {
                    i += len;
                    weak_before = weak;
                }
                _ => break,
            }
        }
    }
}

/// Most bytes between two digit groups of one NHS number: `" - "`,
/// `"  .  "`, `"\r\n"`.
const MAX_NHS_SEPARATOR: usize = 5;

/// A separator between two digit groups of an NHS number as people type
/// them (the text is folded: every Unicode space is `' '`, every dash `'-'`):
/// spaces, tabs and line breaks, with at most one `-`, `.` or `/` among them.
/// Returns its length and whether it is weak: a dot, slash, tab or line break
/// also separates dates, decimals and table cells, so such a grouping counts
/// only when written 3-3-4 or next to a label.
fn nhs_separator(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut len = 0;
    let mut mark = false;
    let mut weak = false;
    while let Some(&c) = b.get(i + len) {
        match c {
            b' ' => {}
            b'\t' | b'\r' | b'\n' => weak = true,
            b'-' | b'.' | b'/' if !mark => {
                mark = true;
                weak |= c != b'-';
            }
            _ => break,
        }
        len += 1;
        if len > MAX_NHS_SEPARATOR {
            return None;
        }
    }
    (len > 0).then_some((len, weak))
}

/// What ten digits are.
enum Read {
    Found(Finding),
    /// Written as an NHS number is, failing the check, with no label.
    Mistyped(usize, usize),
}

/// Judges the 10 digits in `groups`. Written 3-3-4 or near a context word:
/// block. Otherwise (unseparated, or an odd grouping) a warning, since order
/// and reference numbers pass the check one time in eleven.
fn nhs_number_at(
    text: &str,
    context: &Context,
    phones: &[(usize, usize)],
    hidden: &[usize],
    groups: &[(usize, usize, bool)],
) -> Option<Read> {
    let (start, end) = (groups.first()?.0, groups.last()?.1);
    let weak = groups.iter().skip(1).any(|g| g.2);
    if !stands_alone(text, start, end) || overlaps(phones, start, end) {
        return None;
    }
    let mut digits = [0u8; 10];
    let ascii = groups
        .iter()
        .flat_map(|&(s, e, _)| text.as_bytes()[s..e].iter());
    for (slot, &d) in digits.iter_mut().zip(ascii) {
        *slot = d;
    }
    // "NHSno9990268592": the label glued on labels it as written apart does.
    let glued = glued_identifier_label(text, start);
    if !nhs_number_valid(std::str::from_utf8(&digits).expect("ASCII digits")) {
        return failing_the_check(text, context, groups, &digits, glued);
    }
    let layout = groups
        .iter()
        .map(|(s, e, _)| (e - s).to_string())
        .collect::<Vec<_>>()
        .join("-");
    let near = glued.or_else(|| context.near(start, end, FOR_NHS_NUMBERS));
    if weak && near.is_none() && layout != "3-3-4" {
        return None;
    }
    // "order no 4412093387" is an order's; written 3-3-4 it is still read
    // as an NHS number, as every such number is.
    if layout != "3-3-4" && labelled_other(text, start) {
        return None;
    }
    let first_hidden = hidden.partition_point(|&h| h <= start);
    let invisible = hidden.get(first_hidden).is_some_and(|&h| h < end);
    let (severity, reason) = match (layout.as_str(), near) {
        (_, None) if invisible => (
            Severity::Block,
            "NHS number (passes the Mod 11 check) with invisible characters between its digits"
                .to_string(),
        ),
        ("3-3-4", None) => (
            Severity::Block,
            "NHS number (passes the Mod 11 check) written 3-3-4".to_string(),
        ),
        ("3-3-4", Some(word)) => (
            Severity::Block,
            format!("NHS number (passes the Mod 11 check) written 3-3-4, near \"{word}\""),
        ),
        (_, Some(word)) => (
            Severity::Block,
            format!("NHS number (passes the Mod 11 check) near \"{word}\""),
        ),
        ("10", None) => (
            Severity::Warn,
            "10-digit number passes the NHS number Mod 11 check, with no patient \
             context nearby: check it is not an NHS number"
                .to_string(),
        ),
        (_, None) => (
            Severity::Warn,
            format!(
                "10-digit number written {layout} passes the NHS number Mod 11 check, \
                 with no patient context nearby: check it is not an NHS number"
            ),
        ),
    };
    Some(Read::Found(Finding {
        kind: Kind::NhsNumber,
        severity,
        start,
        end,
        reason,
    }))
}

/// Ten digits failing Mod 11: someone's mistyped number when labelled as
/// an NHS, CHI or H&C number; [`Read::Mistyped`] when written as one is
/// (3-3-4 or in one run) with no label at all.
fn failing_the_check(
    text: &str,
    context: &Context,
    groups: &[(usize, usize, bool)],
    digits: &[u8; 10],
    glued: Option<&str>,
) -> Option<Read> {
    let (start, end) = (groups.first()?.0, groups.last()?.1);
    // "the dummy NHS no 999 000 0019 – it fails the check": a number
    // said to be made up, and failing Mod 11, is nobody's.
    let label_start = glued.map_or(start, |l| start - l.len());
    if placeholder_before(text, label_start) || said_invalid_after(text, end) {
        return None;
    }
    // A mistyped number after its label is still someone's.
    let mistyped = |how: &str, label: &str| {
        Read::Found(Finding {
            kind: Kind::NhsNumber,
            severity: Severity::Block,
            start,
            end,
            reason: format!(
                "a 10-digit number {how} \"{label}\" (it fails the Mod 11 check, but a mistyped number is still someone's)"
            ),
        })
    };
    if let Some(label) = glued {
        return Some(mistyped("glued to", label));
    }
    // Not "NHS 111 222 3333" (the 111 service), a run of noughts, nor the
    // digits in order ("NHS 123 456 7890" shows how to write one).
    let service = text[start..].starts_with("111")
        || text[start..].starts_with('0')
        || digits == b"1234567890";
    let as_written = !service
        && matches!(
            groups.iter().map(|(s, e, _)| e - s).collect::<Vec<_>>()[..],
            [3, 3, 4] | [10]
        );
    // Ten digits right after "NHS no" are someone's number, typo or not.
    // Only the last context word before the number can be its label.
    let before = context.hits.partition_point(|&(_, e, _)| e <= start);
    if let Some(&(s, e, _)) = context.hits[..before].last()
        && start - e <= MAX_LABEL_GAP
    {
        if placeholder_before(text, s) {
            return None;
        }
        let label = &text[s..e];
        let nhs = label
            .get(..3)
            .is_some_and(|l| l.eq_ignore_ascii_case("nhs"));
        // "NHS no", "nhs#", "NHS: …", "CHI", "H&C", "HCN"; not "NHS" in a
        // name. "NHS 999 402 7713", "pt nhs 9996102284": ten digits written
        // as an NHS number is, right after "NHS" ("NHS 111 or 0113 496
        // 0018" is a phone number).
        let marked = text[e..start].contains(['#', ':']);
        let labelled = nhs && (label.len() > 3 || marked || as_written && start - e <= 1)
            || one_of(label, &["chi", "h&c", "hcn"]);
        if labelled {
            return Some(mistyped("after", label));
        }
    }
    // "999 611 4402, ranitidine still on it": written as an NHS number is,
    // with no label, and not an order's, a claim's or a range's second end
    // ("serials 2047518833 to 2047518862").
    let weak = groups.iter().skip(1).any(|g| g.2);
    let another = labelled_other(text, start)
        || labelled_as_a_record(text, start)
        || second_of_two(text, start);
    (as_written && !weak && !another).then_some(Read::Mistyped(start, end))
}

/// True when one of the three words before `start` labels the number as
/// a record's or an order's: "Meeting ID 812 345 6789", "Datix ref no …",
/// "customer no …", "PO number is …"; unless a patient's word is among
/// them ("Pt ref 999 123 4567").
fn labelled_as_a_record(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 40);
    let line = before.rsplit('\n').next().unwrap_or(before);
    let last: Vec<&str> = clinical::words(line).map(|(_, w)| w).collect();
    let last = &last[last.len().saturating_sub(3)..];
    let patients = last.iter().any(|w| {
        one_of(
            w,
            &[
                "pt", "patient", "patients", "nhs", "chi", "hcn", "her", "his", "your",
            ],
        )
    });
    !patients
        && last
            .iter()
            .any(|w| RECORD_LABELS.contains(w) || OTHER_NUMBERS.contains(w))
}

/// Words that label a number as a record's, a meeting's or an order's.
#[rustfmt::skip]
static RECORD_LABELS: Vocabulary = Vocabulary::new(&[
    "ref", "refs", "reference", "id", "meeting", "conference", "customer", "case", "task",
    "complaint", "note", "authorisation", "authorization", "code", "parcel", "statement",
    "licence", "license", "booking", "call", "logged", "incident", "number", "no", "supplier",
    "product", "return", "delivery", "claim", "passcode", "pin", "webinar", "zoom", "teams",
]);

/// True when another number ends right before `start`, joined by "to", "and",
/// a dash or a comma: the second of a range or a list.
fn second_of_two(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 20).trim_end_matches(' ');
    let joined = ["to", "and", "or", "-", ",", "&"]
        .iter()
        .find_map(|j| before.strip_suffix(j));
    // Another long number: "84 - 999 555 0123" is an age, then a number.
    joined.is_some_and(|b| {
        let b = b.trim_end_matches(' ');
        b.bytes().rev().take_while(u8::is_ascii_digit).count() >= 4
    })
}

/// Labels of numbers that are not a person's: "order no 4412093387",
/// "PO: 4412093387", "invoice #…", "batch …", "tracking ref …".
#[rustfmt::skip]
static OTHER_NUMBERS: Vocabulary = Vocabulary::new(&[
    "account", "acct", "batch", "consignment", "invoice", "lot", "order", "po", "tracking",
    "ticket", "job", "serial", "barcode", "gtin", "ean", "pip",
    // "credit note CN 3318860472", "claim ref …", "INV-4004688197".
    "credit", "cn", "claim", "contract", "datix", "inv", "serials", "orders", "logger",
]);

/// True when the number at `start` is labelled as one of [`OTHER_NUMBERS`],
/// perhaps with "no", "number", "ref" or "#" between.
fn labelled_other(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 40);
    let mut words = before
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty());
    let Some(mut word) = words.next() else {
        return false;
    };
    for filler in ["no", "num", "number", "ref", "reference", "id", "note"] {
        if word.eq_ignore_ascii_case(filler) {
            word = words.next().unwrap_or("");
            break;
        }
    }
    OTHER_NUMBERS.contains(word)
}

/// Most bytes between "NHS no" and the number it labels: `": "`, `" is "`.
const MAX_LABEL_GAP: usize = 5;

/// The digits are a number of their own: not glued to letters (`AB9990000018` is a
/// code), not after `+` (a phone number), and not one part of a decimal,
/// time or slashed number (`1.9990000018`, `9990000018/2`).
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let joins = |c: u8| matches!(c, b'.' | b',' | b'/' | b':');
    // "9994635638/9990268592": ten digits beside ten more are two numbers
    // in a list, not one part of a decimal or a fraction.
    let ten_before = |at: usize| {
        let run = b[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        run == 10 && (at == 10 || !b[at - 11].is_ascii_alphanumeric())
    };
    let ten_after = |at: usize| {
        let run = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        run == 10 && b.get(at + 10).is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    let glued = glued_label(text, start);
    let glued_before = match char_before(text, start) {
        None => false,
        Some('+') => true,
        // "NHS9990268592", "CHI9990268592": the label glued on.
        Some(c) if is_word_char(c) => glued.is_none(),
        Some(c) => {
            c.is_ascii()
                && joins(c as u8)
                && start >= 2
                && b[start - 2].is_ascii_digit()
                && !ten_before(start - 1)
        }
    };
    // One letter glued after ("9992792445A", a typo or a system's suffix)
    // is still the number; more is a code.
    let one_letter = b.get(end).is_some_and(u8::is_ascii_alphabetic) && ends_word(text, end + 1);
    // "NHSno9994635638Edna": after a label glued on, whatever follows.
    let labelled = glued.is_some_and(names_an_identifier);
    let glued_after = (!ends_word(text, end) && !one_letter && !labelled)
        || (b.get(end).is_some_and(|&c| joins(c))
            && is_digit_at(b, end + 1)
            && !ten_after(end + 1));
    !glued_before && !glued_after
}

/// Identifiers' labels as they are glued to the digits: "NHS9990268592",
/// "CHI9990268592", "HCN…", "hc3750044198" (an H&C number).
const GLUED_LABELS: [&str; 4] = ["nhs", "chi", "hcn", "hc"];

/// Words for "number" glued to a label or on their own: "NHSno999…",
/// "nhsnum999…", "no999…".
const GLUED_NUMBER_WORDS: [&str; 8] = ["no", "num", "numb", "number", "nbr", "nr", "n", "id"];

/// The identifier's label glued before `start`, if the letters there are
/// one: an identifier's label, perhaps with a word for "number" after it
/// and whatever glued before it ("NHSno9990268592", "ptNHS9990268592"),
/// or a word for "number" on its own ("no9990268592").
fn glued_label(text: &str, start: usize) -> Option<&str> {
    let letters = text.as_bytes()[..start]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if letters == 0 {
        return None;
    }
    let run = text[start - letters..start].to_ascii_lowercase();
    let numbered = |rest: &str| rest.is_empty() || GLUED_NUMBER_WORDS.contains(&rest);
    // The label's own length: where in the run of letters it starts.
    let label = GLUED_LABELS
        .iter()
        .filter_map(|l| {
            let at = run.rfind(l)?;
            // Two letters ("hc") are a label only on their own: "THC…" is not.
            let own = l.len() > 2 || at == 0;
            (own && numbered(&run[at + l.len()..])).then_some(letters - at)
        })
        .max()
        .or_else(|| {
            let alone = GLUED_NUMBER_WORDS.contains(&run.as_str())
                && super::starts_word(text, start - letters);
            alone.then_some(letters)
        })?;
    Some(&text[start - label..start])
}

/// Words that say a number is made up: "dummy", "test", "example".
#[rustfmt::skip]
/// ("test", "sample" and "training" are not: "Covid test NHS no …" is a
/// patient's result.)
static PLACEHOLDERS: Vocabulary = Vocabulary::new(&[
    "dummy", "example", "fake", "placeholder", "fictional", "fictitious", "invented", "pretend",
]);

/// True when the word right before `at` says what follows is made up: "the
/// dummy NHS no …", "an example CHI …".
fn placeholder_before(text: &str, at: usize) -> bool {
    let before = window_before(text, at, 20);
    clinical::words(before)
        .last()
        .is_some_and(|(s, w)| PLACEHOLDERS.contains(w) && before[s + w.len()..].trim().is_empty())
}

/// True when the words right after a number failing Mod 11 say it is so on
/// purpose: "NHS 999 000 0019 (deliberately invalid)".
fn said_invalid_after(text: &str, end: usize) -> bool {
    clinical::words(window_after(text, end, 24))
        .take(3)
        .any(|(_, w)| PLACEHOLDERS.contains(w) || one_of(w, &["invalid", "deliberately"]))
        || window_after(text, end, 24)
            .to_ascii_lowercase()
            .contains("not a real")
}

/// [`glued_label`] when it names an NHS, CHI or H&C number (not only "no").
fn glued_identifier_label(text: &str, start: usize) -> Option<&str> {
    glued_label(text, start).filter(|l| names_an_identifier(l))
}

/// True when a glued label starts with an NHS, CHI or H&C number's label.
fn names_an_identifier(label: &str) -> bool {
    GLUED_LABELS.iter().any(|g| {
        label
            .get(..g.len())
            .is_some_and(|l| l.eq_ignore_ascii_case(g))
    })
}

fn overlaps(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(_, e)| e <= start);
    spans.get(i).is_some_and(|&(s, _)| s < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nhs(text: &str) -> Vec<(&str, Severity)> {
        crate::screen::screen(text)
            .into_iter()
            .filter(|f| f.kind == Kind::NhsNumber)
            .map(|f| (&text[f.start..f.end], f.severity))
            .collect()
    }

    #[test]
    fn nhs_numbers_in_any_grouping() {
        for (text, span) in [
            ("999.526.0182", "999.526.0182"),
            ("999 - 390 - 9963", "999 - 390 - 9963"),
            ("999/366/7129", "999/366/7129"),
            ("999  253  8880", "999  253  8880"),
            ("999 030\n8241", "999 030\n8241"),
            ("999 841\r\n4857", "999 841\r\n4857"),
            ("NHS 99 921 22 331", "99 921 22 331"),
            ("NHS no. 9 9 9 3 9 5 4 8 6 1", "9 9 9 3 9 5 4 8 6 1"),
            ("NHSno:9997574915", "9997574915"),
            ("999\u{200b}821\u{200b}9930", "999\u{200b}821\u{200b}9930"),
            (
                "NHS \u{ff19}\u{ff19}\u{ff19}1373535",
                "\u{ff19}\u{ff19}\u{ff19}1373535",
            ),
        ] {
            assert_eq!(nhs(text), [(span, Severity::Block)], "{text:?}");
        }
    }

    #[test]
    fn a_number_looked_up_on_the_national_systems_is_an_nhs_number() {
        for (text, span) in [
            ("checked 99 98 41 48 57 on the Spine", "99 98 41 48 57"),
            ("his SCR under 9998414857 shows no allergies", "9998414857"),
            ("PDS trace 99984 14857 came back", "99984 14857"),
        ] {
            assert_eq!(nhs(text), [(span, Severity::Block)], "{text:?}");
        }
    }

    #[test]
    fn weak_separators_need_the_nhs_layout_or_a_label() {
        // 4-3-3 by dots and tabs: a table of numbers, not a number.
        assert!(nhs("9995.260.182").is_empty());
        assert!(nhs("9995\t260\t182").is_empty());
        // The same digits with a label: an NHS number.
        assert_eq!(nhs("NHS 9995.260.182"), [("9995.260.182", Severity::Block)]);
        // Spaces alone are ordinary grouping: a warning without context.
        assert_eq!(nhs("9995 260 182"), [("9995 260 182", Severity::Warn)]);
    }
}
