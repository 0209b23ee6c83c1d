//! Screening outgoing and incoming text for patient-identifiable data before it is transmitted.
//!
//! The service's first rule is that patient and personal information is never
//! sent. [`screen`] looks for the identifiers listed in `docs/uk-data.md`, each
//! with its own scanner (one per [`Kind`], in the submodules), and reports every
//! span with a sentence the operator can act on. A finding is a [`Severity::Block`]
//! when the text is almost certainly about a patient, and a [`Severity::Warn`]
//! when it might be (a pharmacy's own postcode or phone number is normal).
//!
//! Reasons never quote the matched text: they may be written to the audit log,
//! which must hold no personal data. They quote only the context word that
//! made the finding stronger (`near "DOB"`).
//!
//! The scanners are hand-written over bytes: no dependency, linear time, and
//! every offset they return sits on an ASCII byte (or the end of the text), so
//! it is always a char boundary.

mod ages;
mod allow;
mod clinical;
mod context;
mod dates;
mod decide;
mod email;
mod explain;
mod hospital;
mod insurance;
mod lexicon;
mod links;
mod normal;
mod numbers;
mod person;
mod phones;
mod postcodes;
mod rows;
mod split;
mod tokens;
mod whereabouts;

pub use allow::Allow;
pub use context::CONTEXT_WINDOW;
pub use explain::{MAX_EXPLAINED, explain};

use context::{Context, FOR_DATES, FOR_NHS_NUMBERS, FOR_PATIENT_DATA};

use serde::Serialize;

/// How bad a finding is. Ordered so that `max` is the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Might be personal data; the operator should look before sending.
    Warn,
    /// Almost certainly patient data; the text must not be sent as it is.
    Block,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }
}

/// What a finding looks like. The order of the variants is the order used in
/// [`redaction_marker`] and to pick between two findings for the same span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    NhsNumber,
    DateOfBirth,
    HospitalNumber,
    NiNumber,
    Postcode,
    Email,
    PhoneNumber,
    PatientName,
    Address,
    Age,
    Room,
    School,
    /// A row of a spreadsheet or clinical system holding several identifiers.
    PatientRecord,
}

impl Kind {
    /// The name used in JSON output (the same as serde's).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NhsNumber => "nhs_number",
            Kind::DateOfBirth => "date_of_birth",
            Kind::HospitalNumber => "hospital_number",
            Kind::NiNumber => "ni_number",
            Kind::Postcode => "postcode",
            Kind::Email => "email",
            Kind::PhoneNumber => "phone_number",
            Kind::PatientName => "patient_name",
            Kind::Address => "address",
            Kind::Age => "age",
            Kind::Room => "room",
            Kind::School => "school",
            Kind::PatientRecord => "patient_record",
        }
    }

    /// A noun phrase for sentences: "contained an NHS number".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::NhsNumber => "an NHS number",
            Kind::DateOfBirth => "a date of birth",
            Kind::HospitalNumber => "a hospital number",
            Kind::NiNumber => "a National Insurance number",
            Kind::Postcode => "a postcode",
            Kind::Email => "an email address",
            Kind::PhoneNumber => "a phone number",
            Kind::PatientName => "a person's name or description",
            Kind::Address => "an address",
            Kind::Age => "an age or a date next to a person",
            Kind::Room => "a room or bed number",
            Kind::School => "a school year",
            Kind::PatientRecord => "a row of patient details",
        }
    }
}

/// One suspicious span of the screened text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// Byte offset of the span's start; always a char boundary, and `start < end`.
    pub start: usize,
    /// Byte offset just past the span; always a char boundary, at most the text's length.
    pub end: usize,
    /// A sentence for the operator, e.g. "NHS number (passes the Mod 11 check) written 3-3-4".
    pub reason: String,
}

/// What a redacted message is replaced with starts with this, so that anyone
/// reading the inbox or a relay can tell mot removed it.
pub const REDACTION_PREFIX: &str = "[removed by mot:";

/// Screens `text`. Findings are sorted by start (then end); when two scanners
/// flag exactly the same span only the most severe finding is kept.
///
/// The scanners read the text folded by [`normal`] (full-width digits,
/// invisible characters, Unicode spaces and dashes); every span is then
/// mapped back to the original, onto its char boundaries.
pub fn screen(text: &str) -> Vec<Finding> {
    screen_allowing(text, &Allow::default())
}

/// [`screen`], where the team's own numbers, mail domains and postcodes
/// (`[screen] allow`) are no part of any finding.
pub fn screen_allowing(text: &str, allow: &Allow) -> Vec<Finding> {
    let normal = normal::Normalised::new(text);
    let mut findings = scan(normal.text(), normal.hidden(), allow);
    for f in &mut findings {
        (f.start, f.end) = normal.span(f.start, f.end);
    }
    findings.retain(|f| f.start < f.end);
    findings.sort_by(|a, b| {
        (a.start, a.end, b.severity, a.kind as u8).cmp(&(b.start, b.end, a.severity, b.kind as u8))
    });
    findings.dedup_by(|later, kept| (later.start, later.end) == (kept.start, kept.end));
    findings
}

/// Runs every recogniser over folded text and decides (see [`decide`]);
/// `hidden` are the positions where invisible characters were removed.
///
/// A web link's own digits are not data written about a patient (a survey
/// id, a meeting token), but what it carries is: each link's path and query
/// values are decoded and read after the text, and whatever is found there
/// is reported at the link.
fn scan(text: &str, hidden: &[usize], allow: &Allow) -> Vec<Finding> {
    let raw_links = link_spans(text);
    let full = links::with_decoded(text, &raw_links);
    let all = full.text.as_str();
    // Most scanners start at words; find the starts once.
    let starts = WordStarts::of(all);
    let words = &starts.letters;
    let context = Context::find(all, words, &raw_links);
    let phones = phones::phone_spans(all);
    let mut findings = Vec::new();
    let mut mistyped = Vec::new();
    numbers::scan_nhs_numbers(all, &context, &phones, hidden, &mut findings, &mut mistyped);
    split::scan_split_nhs_numbers(all, &mut findings);
    dates::scan_dates_of_birth(all, &starts.alphanumeric, &context, &mut findings);
    hospital::scan_hospital_numbers(all, words, &mut findings);
    insurance::scan_ni_numbers(all, words, &mut findings);
    postcodes::scan_postcodes(all, words, &context, &mut findings);
    email::scan_emails(all, &mut findings);
    phones::report_phone_numbers(&phones, &mut findings);
    findings.retain(|f| f.kind == Kind::Email || !inside(&raw_links, f.start, f.end));
    // The team's own number, domain or postcode is no part of anything.
    findings.retain(|f| !allow.allows(f.kind, &all[f.start..f.end]));
    rows::scan_rows(all, allow, &mut findings);
    // A link's digits are its own (a meeting's id), decoded or not: what
    // is labelled in it was found above.
    mistyped.retain(|&(s, e)| !inside(&raw_links, s, e) && !full.is_decoded(s));
    let evidence = decide::gather(all, &starts.alphanumeric, findings, &mistyped);
    let mut findings = decide::decide(evidence);
    // A lone number in a link is the link's own id; only what combines counts.
    findings.retain(|f| f.severity == Severity::Block || !full.is_decoded(f.start));
    for f in &mut findings {
        (f.start, f.end) = full.original(f.start, f.end);
    }
    findings
}

/// Spans of web links: `http://`, `https://` or `www.` up to the next space.
fn link_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !matches!(b[i], b'h' | b'H' | b'w' | b'W') {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let starts = [&b"http://"[..], b"https://", b"www."]
            .iter()
            .any(|p| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p));
        if starts && starts_word(text, i) {
            let end = b[i..]
                .iter()
                .position(|c| c.is_ascii_whitespace())
                .map_or(b.len(), |n| i + n);
            spans.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    spans
}

/// True when `start..end` lies within one of `spans` (sorted, disjoint).
fn inside(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(_, e)| e < end);
    spans.get(i).is_some_and(|&(s, e)| s <= start && end <= e)
}

/// The worst severity among `findings`, or `None` when there are none.
pub fn verdict(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// True for 10 ASCII digits that pass the NHS number Modulus 11 check
/// (also used by CHI and H&C numbers) and are not all the same digit.
///
/// Weights 10 down to 2 on the first nine digits; the check digit is
/// 11 − (sum mod 11), where 11 means 0 and 10 means no valid number.
pub fn nhs_number_valid(digits: &str) -> bool {
    let d = digits.as_bytes();
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // Every repdigit passes the check, but none is ever issued.
    if d.iter().all(|&b| b == d[0]) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(&b, weight)| u32::from(b - b'0') * weight)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    u32::from(d[9] - b'0') == check
}

/// The text that replaces a blocked message, naming what it contained (the
/// kinds of the `Block` findings, each once, in [`Kind`] order) but never the
/// data itself: `[removed by mot: contained an NHS number, a date of birth]`.
pub fn redaction_marker(findings: &[Finding]) -> String {
    let blocked: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .collect();
    // Redacting on warnings alone is the caller's choice; name them then.
    let chosen = if blocked.is_empty() {
        findings.iter().collect()
    } else {
        blocked
    };
    let mut kinds: Vec<Kind> = chosen.iter().map(|f| f.kind).collect();
    kinds.sort_by_key(|&k| k as u8);
    kinds.dedup();
    if kinds.is_empty() {
        return format!("{REDACTION_PREFIX} contained possible personal information]");
    }
    let list: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
    format!("{REDACTION_PREFIX} contained {}]", list.join(", "))
}

// ---------------------------------------------------------------------------
// Text helpers shared by the scanners
// ---------------------------------------------------------------------------

/// Letters and digits of any script make a word; everything else separates.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The char just before byte `i` (a char boundary).
fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The char starting at byte `i` (a char boundary).
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// No letter or digit just before `i` (a char boundary).
#[inline]
fn starts_word(text: &str, i: usize) -> bool {
    // Most text is ASCII: decode a char only when the byte before is not.
    match i.checked_sub(1).map(|j| text.as_bytes()[j]) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => !word_char_before(text, i),
    }
}

/// No letter or digit at `i` (a char boundary).
#[inline]
fn ends_word(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => !word_char_at(text, i),
    }
}

/// A letter or digit of any script just before `i`: the rare case of
/// [`starts_word`], kept out of line.
#[cold]
fn word_char_before(text: &str, i: usize) -> bool {
    char_before(text, i).is_some_and(is_word_char)
}

/// A letter or digit of any script at `i`: the rare case of [`ends_word`].
#[cold]
fn word_char_at(text: &str, i: usize) -> bool {
    char_at(text, i).is_some_and(is_word_char)
}

/// Where a text's words start, found in one pass: the scanners that read
/// from a word's first byte visit these instead of every byte of the text.
struct WordStarts {
    /// Byte offsets of every word that starts with an ASCII letter.
    letters: Vec<usize>,
    /// Byte offsets of every word that starts with an ASCII letter or digit.
    alphanumeric: Vec<usize>,
}

impl WordStarts {
    fn of(text: &str) -> WordStarts {
        // About one word in six bytes: room for them all at once.
        let mut starts = WordStarts {
            letters: Vec::with_capacity(text.len() / 8),
            alphanumeric: Vec::with_capacity(text.len() / 6),
        };
        // Whether the char before the current byte is a letter or digit
        // ([`starts_word`] read once per char rather than once per byte).
        let mut after_word = false;
        for (i, b) in text.bytes().enumerate() {
            if b.is_ascii_alphanumeric() {
                if !after_word {
                    starts.alphanumeric.push(i);
                    if b.is_ascii_alphabetic() {
                        starts.letters.push(i);
                    }
                }
                after_word = true;
            } else if b.is_ascii() {
                after_word = false;
            } else if text.is_char_boundary(i) {
                after_word = char_at(text, i).is_some_and(is_word_char);
            }
        }
        starts
    }
}

/// At most `n` bytes of `text` just before `at` (a char boundary), cut on
/// a char boundary: the window a recogniser reads for nearby words.
fn window_before(text: &str, at: usize, n: usize) -> &str {
    let mut from = at.saturating_sub(n);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

/// At most `n` bytes of `text` just after `at` (a char boundary).
fn window_after(text: &str, at: usize, n: usize) -> &str {
    let mut to = (at + n).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    &text[at..to]
}

/// True when the word at `start` opens the text, a line or a sentence
/// (after a colon too: "Query from Dr Khan: 58yo M"). "aled - epileptic
/// …": a writer who does not capitalise a sentence does not capitalise a
/// name either.
fn opens_a_sentence(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '\n'])
}

/// True when `word` is one of `list` (lowercase), ignoring ASCII case. For
/// a handful of words written at the call; a longer list is a
/// [`lexicon::Vocabulary`]. Inlined, the list's lengths are constants.
#[inline]
fn one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Matches the lowercase `phrase` at `i`, ignoring ASCII case; a space in the
/// phrase matches one or more spaces, tabs or hyphens. The match must end a
/// word. Returns the end of the match.
fn match_phrase(text: &str, i: usize, phrase: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut at = i;
    for &p in phrase.as_bytes() {
        if p == b' ' {
            let gap = b[at..]
                .iter()
                .take_while(|&&c| matches!(c, b' ' | b'\t' | b'-'))
                .count();
            if gap == 0 {
                return None;
            }
            at += gap;
        } else if b.get(at).is_some_and(|c| c.eq_ignore_ascii_case(&p)) {
            at += 1;
        } else {
            return None;
        }
    }
    // A phrase ending in a full stop may run into a number: "(b.1954)".
    let abbreviation = phrase.ends_with('.') && b.get(at).is_some_and(u8::is_ascii_digit);
    (ends_word(text, at) || abbreviation).then_some(at)
}

/// Reads 1..=`max` ASCII digits at `i` as a number; `None` when there are
/// none or more than `max` (a longer run is a different number). Returns the
/// value and the end.
fn digits_at(b: &[u8], i: usize, max: usize) -> Option<(u32, usize)> {
    let len = b
        .get(i..)?
        .iter()
        .take(max + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || len > max {
        return None;
    }
    let value = b[i..i + len]
        .iter()
        .fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
    Some((value, i + len))
}

#[cfg(test)]
mod tests;
