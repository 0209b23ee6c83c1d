//! Hospital numbers (MRNs): there is no national format, so a label gives
//! one away: `MRN`, `hosp no`, `PAS number`, `case note no`, "her hospital
//! number is …", a trust or hospital's name followed by "number", a trust's
//! ODS prefix glued to the digits (`RTX1234567`), `ward 5 bed 3` before one,
//! or a label in brackets after one (`1234567 (hosp no)`).

use super::{Finding, Kind, Severity, ends_word, starts_word, window_after, window_before};
use crate::screen::lexicon::{Sketch, Vocabulary};

/// Labels that introduce a hospital number, as lowercase words. Between
/// words any run of spaces, tabs or hyphens; after each word an optional
/// `.` ("Hosp. no."); the label must end a word.
const LABELS: &[&[&str]] = &[
    &["mrn"],
    &["m", "r", "n"],
    &["hospital", "no"],
    &["hospital", "number"],
    &["hospital", "num"],
    &["hosp", "no"],
    &["hosp", "number"],
    &["hosp", "num"],
    &["unit", "no"],
    &["unit", "number"],
    &["patient", "id"],
    &["patient", "no"],
    &["patient", "number"],
    &["pas", "no"],
    &["pas", "number"],
    &["pas", "id"],
    &["a&e", "no"],
    &["a&e", "number"],
    &["ae", "no"],
    &["ed", "no"],
    &["ed", "number"],
    &["attendance", "no"],
    &["attendance", "number"],
    &["ed", "attendance"],
    &["a&e", "attendance"],
    &["case", "note", "no"],
    &["case", "note", "number"],
    &["casenote", "no"],
    &["casenote", "number"],
    // "ED ref 2025/ED/448210", "hospital ref": a reference is a number too.
    &["hospital", "ref"],
    &["hosp", "ref"],
    &["patient", "ref"],
    &["a&e", "ref"],
    &["ae", "ref"],
    &["ed", "ref"],
    &["attendance", "ref"],
    &["a&e", "reference"],
    &["ed", "reference"],
    &["attendance", "reference"],
    &["hospital", "reference"],
    // Short labels that are also ordinary words ("PAS downtime"): these
    // need a number-like token after them.
    &["hosp"],
    &["pas"],
    &["case", "note"],
    &["casenote"],
    // A record's path: "…/patient/RR8-0472916/meds" reads "patient
    // RR8-0472916".
    &["patient"],
];

/// The first run of letters and digits of every label ("a&e" opens with
/// "a", "m.r.n" with "m"): a word whose own first run is not in this sketch
/// starts no label, and most words are turned away by it unread.
const OPENERS: Sketch = {
    let mut sketch = Sketch::of(&[]);
    let mut i = 0;
    while i < LABELS.len() {
        sketch = sketch.with_bytes(alphanumeric_run(LABELS[i][0].as_bytes()));
        i += 1;
    }
    sketch
};

/// The letters and digits that open `rest`.
const fn alphanumeric_run(rest: &[u8]) -> &[u8] {
    let mut n = 0;
    while n < rest.len() && rest[n].is_ascii_alphanumeric() {
        n += 1;
    }
    rest.split_at(n).0
}

/// Labels before this index are explicit: any token with a digit after one
/// is a hospital number. The rest need a [`number_like`] token.
const EXPLICIT: usize = LABELS.len() - 5;

/// Most punctuation allowed between a label and its number: `MRN: `,
/// `Hospital No.: `, `unit no # `.
const MAX_GAP: usize = 6;

/// Words that, capitalised before "number", name something other than a
/// hospital: "Order number", "PO number", "Meeting number".
static NOT_HOSPITALS: Vocabulary = Vocabulary::new(&[
    "a",
    "account",
    "an",
    "bed",
    "barcode",
    "batch",
    "branch",
    "budget",
    "card",
    "case",
    "charity",
    "claim",
    "code",
    // A registered company's: "Specialist Pharmacy Ltd, Company No 08123456".
    "company",
    "contact",
    "cost",
    "ean",
    "employee",
    "extension",
    "fax",
    "flat",
    "gmc",
    "gphc",
    "gtin",
    "her",
    "his",
    "house",
    "id",
    "invoice",
    "item",
    "job",
    "licence",
    "license",
    "line",
    "lot",
    "meeting",
    "membership",
    "mobile",
    "my",
    "nhs",
    "nmc",
    "order",
    "our",
    "page",
    "part",
    "parcel",
    "passcode",
    "phone",
    "prescription",
    "rx",
    "script",
    "issue",
    "volume",
    "alert",
    "group",
    "delivery",
    "pin",
    "pip",
    "po",
    "policy",
    "practice",
    "product",
    "reference",
    "ref",
    "reg",
    "registration",
    "requisition",
    "room",
    "serial",
    "site",
    "sort",
    "staff",
    "stock",
    "store",
    "tel",
    "telephone",
    "that",
    "the",
    "their",
    "this",
    "ticket",
    "tracking",
    "unit",
    "vat",
    "version",
    "ward",
    "your",
]);

/// Blocks what follows a hospital-number label, and the implicit forms.
pub(super) fn scan_hospital_numbers(text: &str, words: &[usize], out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let mut next = 0;
    for (w, &i) in words.iter().enumerate() {
        if i < next {
            continue;
        }
        // Every label starts with one of these letters: most words are
        // rejected by one comparison.
        let first = b[i].to_ascii_lowercase();
        let label = if matches!(first, b'm' | b'h' | b'u' | b'p' | b'c' | b'a' | b'e')
            && OPENERS.may_hold(alphanumeric_run(&b[i..]))
        {
            label_at(text, i)
        } else {
            None
        };
        if let Some((label, label_end)) = label {
            // "1234567 (hosp no)", "RBH-448213-K is the hosp no": the
            // label after the number.
            if let Some((s, e)) = id_before_label(text, i, label < EXPLICIT) {
                let why = format!("hospital number before \"{}\"", &text[i..label_end]);
                push(out, s, e, why);
            }
            let start = after_gap(text, label_end);
            let mut end = token_end(b, start);
            // "case note no. LGI 0734512": a hospital's code, then the number.
            let code = (2..=4).contains(&(end - start))
                && b[start..end].iter().all(u8::is_ascii_uppercase);
            if code && b.get(end) == Some(&b' ') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end = token_end(b, end + 1);
            }
            let token = &b[start..end];
            let enough = if label < EXPLICIT {
                token.iter().any(u8::is_ascii_digit)
            } else {
                let patient = label == LABELS.len() - 1;
                patient && record_id(token) || !patient && number_like(token)
            };
            if enough {
                push(
                    out,
                    start,
                    end,
                    format!("hospital number after \"{}\"", &text[i..label_end]),
                );
                next = end;
            }
            continue;
        }
        let implicit = match first {
            b'r' => trust_prefixed(text, i),
            b'n' => named_hospital_number(text, words, w),
            b'w' => after_ward_and_bed(text, i),
            _ => None,
        }
        .or_else(|| prison_number(text, i));
        if let Some((start, end, why)) = implicit {
            push(out, start, end, why);
            next = end;
        }
    }
}

/// Words that say a number is a prisoner's: "HMP Leeds", "prisoner no".
static PRISON_CUES: Vocabulary = Vocabulary::new(&[
    "hmp", "hmyoi", "inmate", "nomis", "prison", "prisoner", "yoi",
]);

/// `A1234BC` with a prison named near it: a prisoner's number (one
/// capital, four digits, two capitals), as a release or a transfer note
/// gives it ("prisoner A4582CK transferred from HMP Leeds").
fn prison_number(text: &str, i: usize) -> Option<(usize, usize, String)> {
    let b = text.as_bytes();
    let shaped = b.get(i..i + 7).is_some_and(|t| {
        t[0].is_ascii_uppercase()
            && t[1..5].iter().all(u8::is_ascii_digit)
            && t[5..].iter().all(u8::is_ascii_uppercase)
    });
    if !shaped || !ends_word(text, i + 7) {
        return None;
    }
    let cue = |near: &str| {
        near.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| PRISON_CUES.contains(w))
    };
    (cue(window_before(text, i, 40)) || cue(window_after(text, i + 7, 40))).then(|| {
        (
            i,
            i + 7,
            "a prisoner's number (a prison is named with it)".to_string(),
        )
    })
}

fn push(out: &mut Vec<Finding>, start: usize, end: usize, reason: String) {
    out.push(Finding {
        kind: Kind::HospitalNumber,
        severity: Severity::Block,
        start,
        end,
        reason,
    });
}

/// The longest label at `i`: its index in [`LABELS`] and its end.
fn label_at(text: &str, i: usize) -> Option<(usize, usize)> {
    let first = text.as_bytes()[i].to_ascii_lowercase();
    LABELS
        .iter()
        .enumerate()
        .filter(|(_, words)| words[0].as_bytes()[0] == first)
        .filter_map(|(n, words)| Some((n, words_at(text, i, words)?)))
        .max_by_key(|&(_, end)| end)
}

/// Matches lowercase `words` at `i` (see [`LABELS`]); returns the end.
fn words_at(text: &str, i: usize, words: &[&str]) -> Option<usize> {
    let b = text.as_bytes();
    let mut at = i;
    for (n, word) in words.iter().enumerate() {
        if n > 0 {
            let gap = b[at..]
                .iter()
                .take_while(|&&c| matches!(c, b' ' | b'\t' | b'-'))
                .count();
            // "m.r.n" needs no gap; words do.
            if gap == 0 && word.len() > 1 {
                return None;
            }
            at += gap;
        }
        let end = at + word.len();
        if !b.get(at..end)?.eq_ignore_ascii_case(word.as_bytes()) || !ends_word(text, end) {
            return None;
        }
        at = end + usize::from(b.get(end) == Some(&b'.'));
    }
    Some(at)
}

/// Skips `: `, `# `, `is `, `is: ` between a label and its number.
fn after_gap(text: &str, label_end: usize) -> usize {
    let b = text.as_bytes();
    let skip = |at: usize| {
        at + b[at..]
            .iter()
            .take(MAX_GAP + 1)
            .take_while(|&&c| matches!(c, b' ' | b'\t' | b':' | b'#' | b'.' | b'-'))
            .count()
    };
    let at = skip(label_end);
    if b.get(at..at + 2)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"is"))
        && ends_word(text, at + 2)
    {
        skip(at + 2)
    } else {
        at
    }
}

/// A token shaped like a hospital number: 6 to 10 characters, at least 6
/// digits, with up to two letters in front and one after (`A1234567`,
/// `1234567A`, `AB123456`).
/// A record's id after "patient": six digits or more among letters and
/// dashes, "RR8-0472916", "A12-345678", "1234567" (not "patient 2",
/// "patient 07700"; ten digits alone are an NHS number's, which its own
/// check reads, and one digit over and over is a placeholder).
fn record_id(token: &[u8]) -> bool {
    let digits: Vec<u8> = token.iter().copied().filter(u8::is_ascii_digit).collect();
    let plain = digits.len() == token.len();
    // "patient 2024-25 survey", "…/patient/2024-25-flu.pdf": a year's span.
    let year = token.len() >= 5
        && (token.starts_with(b"19") || token.starts_with(b"20"))
        && token[..4].iter().all(u8::is_ascii_digit)
        && token[4] == b'-';
    token.len() <= 14
        && digits.len() >= 6
        && !(plain && digits.len() >= 10)
        && !year
        && digits.iter().any(|&d| d != digits[0])
        && token
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
}

fn number_like(token: &[u8]) -> bool {
    let lead = token.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = token[lead..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let tail = token.len() - lead - digits;
    (6..=10).contains(&token.len())
        && lead <= 2
        && digits >= 5
        && lead + digits >= 6
        && tail <= 1
        && token[lead + digits..].iter().all(u8::is_ascii_alphabetic)
}

/// `RTX1234567`, `RWA 1234567`: a trust's ODS code (R and two capitals or
/// digits) then 6 to 8 digits.
fn trust_prefixed(text: &str, i: usize) -> Option<(usize, usize, String)> {
    let b = text.as_bytes();
    let code = b.get(i..i + 3)?;
    let upper = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    if code[0] != b'R'
        || !code[1..].iter().all(upper)
        || code[1].is_ascii_digit() && code[2].is_ascii_digit()
    {
        return None;
    }
    if code.eq_ignore_ascii_case(b"REF") {
        return None;
    }
    let at = i + 3 + usize::from(b.get(i + 3) == Some(&b' '));
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = at + digits;
    ((6..=8).contains(&digits) && ends_word(text, end)).then(|| {
        (
            i,
            end,
            "hospital number with a trust's code in front".to_string(),
        )
    })
}

/// "St James's number 4512367", "Royal Infirmary no. 5566778": a
/// capitalised name (not [`NOT_HOSPITALS`]), then "number", "no" or "num",
/// then a number-like token. `w` indexes the word "number".
fn named_hospital_number(text: &str, words: &[usize], w: usize) -> Option<(usize, usize, String)> {
    let i = words[w];
    let label_end = ["number", "no", "num"]
        .iter()
        .find_map(|word| words_at(text, i, &[word]))?;
    let previous = text[..i].trim_end_matches([' ', '\t']);
    if w == 0 {
        return None;
    }
    // The whole previous word, possessive included ("James's").
    let name = previous
        .rsplit([' ', '\t', '\n'])
        .next()
        .unwrap_or(previous);
    let name = name.trim_end_matches("'s").trim_end_matches('\'');
    let capitalised = name.chars().next().is_some_and(char::is_uppercase);
    if !capitalised
        || name.len() < 2
        || !name.chars().all(char::is_alphabetic)
        || NOT_HOSPITALS.contains(name)
    {
        return None;
    }
    let start = after_gap(text, label_end);
    let end = token_end(text.as_bytes(), start);
    number_like(&text.as_bytes()[start..end]).then(|| {
        (
            start,
            end,
            format!("hospital number after \"{name} number\""),
        )
    })
}

/// "ward 5 bed 3 - D234567", "ward 22 bed 4 patient 1122334".
fn after_ward_and_bed(text: &str, i: usize) -> Option<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut at = words_at(text, i, &["ward"])?;
    for word in ["", "bed", ""] {
        at += b[at..].iter().take_while(|&&c| c == b' ').count();
        if word.is_empty() {
            let n = b[at..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if n == 0 || n > 4 {
                return None;
            }
            at += n;
        } else {
            at = words_at(text, at, &[word])?;
        }
    }
    at += b[at..]
        .iter()
        .take(MAX_GAP)
        .take_while(|&&c| matches!(c, b' ' | b',' | b'-' | b':'))
        .count();
    if let Some(end) = words_at(text, at, &["patient"]).or_else(|| words_at(text, at, &["pt"])) {
        at = end + b[end..].iter().take_while(|&&c| c == b' ').count();
    }
    if !starts_word(text, at) {
        return None;
    }
    let end = token_end(b, at);
    number_like(&b[at..end]).then(|| (at, end, "hospital number after a ward and bed".to_string()))
}

/// The identifier written just before a label at `i`, joined to it by a
/// bracket ("1234567 (hosp no)") or, for an explicit label, by "is" and
/// perhaps a determiner ("RBH-448213-K is the hosp no", "K4412345 is her
/// hospital number"). A phone number is not one ("0113 496 0123 is the
/// hospital number" is the hospital's phone).
fn id_before_label(text: &str, i: usize, explicit: bool) -> Option<(usize, usize)> {
    let mut before = text[..i].trim_end_matches(' ');
    if let Some(rest) = before.strip_suffix('(') {
        before = rest.trim_end_matches(' ');
    } else if explicit {
        let last_word = |t: &str| t.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
        if matches!(
            last_word(before).as_str(),
            "the" | "her" | "his" | "their" | "my" | "your"
        ) {
            before = before[..before.len() - last_word(before).len()].trim_end_matches(' ');
        }
        if !last_word(before).eq("is") {
            return None;
        }
        before = before[..before.len() - 2].trim_end_matches(' ');
    } else {
        return None;
    }
    let b = before.as_bytes();
    let end = b.len();
    let start = end
        - b.iter()
            .rev()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'/')
            .count();
    let token = before[start..].trim_start_matches(['-', '/']).as_bytes();
    let start = end - token.len();
    let digits = token.iter().filter(|c| c.is_ascii_digit()).count();
    let phone = token.first() == Some(&b'0') && digits >= 10;
    let shaped = token.last().is_some_and(u8::is_ascii_alphanumeric)
        && token.len() <= 16
        && (digits >= 5 && (token.len() > digits || number_like(token)));
    (shaped && !phone && starts_word(text, start)).then_some((start, end))
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
mod tests;
