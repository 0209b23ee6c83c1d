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

mod dates;
mod email;
mod explain;
mod hospital;
mod names;
mod normal;
mod numbers;
mod people;
mod postcodes;
mod rows;

pub use explain::{MAX_EXPLAINED, explain};

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
    Postcode,
    Email,
    PhoneNumber,
    PatientName,
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
            Kind::Postcode => "postcode",
            Kind::Email => "email",
            Kind::PhoneNumber => "phone_number",
            Kind::PatientName => "patient_name",
            Kind::PatientRecord => "patient_record",
        }
    }

    /// A noun phrase for sentences: "contained an NHS number".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::NhsNumber => "an NHS number",
            Kind::DateOfBirth => "a date of birth",
            Kind::HospitalNumber => "a hospital number",
            Kind::Postcode => "a postcode",
            Kind::Email => "an email address",
            Kind::PhoneNumber => "a phone number",
            Kind::PatientName => "a patient name",
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
    let normal = normal::Normalised::new(text);
    let mut findings = scan(normal.text(), normal.hidden());
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

/// Runs every scanner over folded text; `hidden` are the positions where
/// invisible characters were removed.
fn scan(text: &str, hidden: &[usize]) -> Vec<Finding> {
    // Most scanners start at words; find the starts once.
    let words: Vec<usize> = word_starts(text).collect();
    let links = links(text);
    let context = Context::find(text, &words, &links);
    let phones = numbers::phone_spans(text);
    let mut findings = Vec::new();
    numbers::scan_nhs_numbers(text, &context, &phones, hidden, &mut findings);
    dates::scan_dates_of_birth(text, &context, &mut findings);
    hospital::scan_hospital_numbers(text, &words, &mut findings);
    postcodes::scan_postcodes(text, &words, &context, &mut findings);
    email::scan_emails(text, &mut findings);
    numbers::report_phone_numbers(&phones, &mut findings);
    names::scan_patient_names(text, &words, &context, &mut findings);
    // A link's digits are its own (a survey id, a meeting token), not data
    // written about a patient.
    findings.retain(|f| f.kind == Kind::Email || !inside(&links, f.start, f.end));
    people::scan_people(text, &words, &mut findings);
    rows::scan_rows(text, &mut findings);
    findings
}

/// Spans of web links: `http://`, `https://` or `www.` up to the next space.
fn links(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
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
// Patient context
// ---------------------------------------------------------------------------

/// How close (in characters, either side) a context word must be to make a
/// finding stronger. 40 covers "Patient: Mrs Jane Smith, NHS no 999 000 0018"
/// while keeping the next sentence of an operational notice out of reach.
pub const CONTEXT_WINDOW: usize = 40;

/// Which findings a context word strengthens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Only NHS numbers. Bare "NHS" appears in nearly every operational
    /// message ("NHS England", "NHS Leeds ICB"), so letting it turn a
    /// pharmacy's postcode or "Mr Smith from NHS England" into a block would
    /// block legitimate notices.
    NhsNumbers,
    /// NHS numbers, postcodes and patient names.
    Patient,
    /// Everything `Patient` covers, and dates (which only a birth word makes
    /// into a date of birth).
    Birth,
}

/// The one list of patient context words, lowercase. A space matches any run
/// of spaces, tabs or hyphens ("date-of-birth"); each word must stand alone
/// (so "patients" and "newborn" are not context). At any position the
/// longest entry wins, so "NHS no" is `Patient` while "NHS" alone is not.
///
/// A 3-3-4 NHS number is deliberately not context for other findings: the
/// message is already blocked by the number itself, and a phone-like false
/// positive should not cascade into blocking a pharmacy's postcode too.
const CONTEXT_WORDS: &[(&str, Scope)] = &[
    ("patient", Scope::Patient),
    ("pt", Scope::Patient),
    ("nhs", Scope::NhsNumbers),
    ("nhs no", Scope::Patient),
    ("nhsno", Scope::Patient),
    ("nhs num", Scope::Patient),
    ("nhs number", Scope::Patient),
    ("h&c", Scope::Patient),
    ("hosp no", Scope::Patient),
    ("dob", Scope::Birth),
    ("d.o.b", Scope::Birth),
    ("date of birth", Scope::Birth),
    ("born", Scope::Birth),
    ("b.", Scope::Birth),
    ("resident", Scope::Patient),
    ("address", Scope::Patient),
    ("chi", Scope::Patient),
    ("mrn", Scope::Patient),
    ("hospital no", Scope::Patient),
];

/// Scopes each kind of finding listens to.
const FOR_NHS_NUMBERS: &[Scope] = &[Scope::NhsNumbers, Scope::Patient, Scope::Birth];
const FOR_PATIENT_DATA: &[Scope] = &[Scope::Patient, Scope::Birth];
const FOR_DATES: &[Scope] = &[Scope::Birth];

/// Where the context words are in one text; found once per [`screen`].
struct Context<'t> {
    text: &'t str,
    /// Non-overlapping, in order.
    hits: Vec<(usize, usize, Scope)>,
}

impl<'t> Context<'t> {
    fn find(text: &'t str, words: &[usize], links: &[(usize, usize)]) -> Self {
        let mut hits = Vec::new();
        let mut next = 0;
        for &i in words {
            if i < next || inside(links, i, i + 1) {
                continue;
            }
            let first = text.as_bytes()[i].to_ascii_lowercase();
            let best = CONTEXT_WORDS
                .iter()
                .filter(|(word, _)| word.as_bytes()[0] == first)
                .filter_map(|&(word, scope)| Some((match_phrase(text, i, word)?, scope)))
                .max_by_key(|&(end, _)| end);
            if let Some((end, scope)) = best {
                if !(scope == Scope::Birth && born_in_general(text, i, end)) {
                    hits.push((i, end, scope));
                }
                next = end;
            }
        }
        Context { text, hits }
    }

    /// A context word (as written) within [`CONTEXT_WINDOW`] of the span
    /// `start..end` whose scope is one of `scopes`: the nearest one before
    /// the span if any (labels come first: "DOB: …"), else the nearest after.
    fn near(&self, start: usize, end: usize, scopes: &[Scope]) -> Option<&'t str> {
        let within = |from: usize, to: usize| {
            // A char is at most 4 bytes; count chars only when that could matter.
            to <= from
                || to - from <= CONTEXT_WINDOW
                || (to - from <= 4 * CONTEXT_WINDOW
                    && self.text[from..to].chars().count() <= CONTEXT_WINDOW)
        };
        let split = self.hits.partition_point(|&(s, _, _)| s < end);
        let mut before = self.hits[..split]
            .iter()
            .rev()
            .take_while(|&&(_, e, _)| within(e, start));
        let mut after = self.hits[split..]
            .iter()
            .take_while(|&&(s, _, _)| within(end, s));
        let wanted = |&&(_, _, scope): &&(usize, usize, Scope)| scopes.contains(&scope);
        let &(s, e, _) = before.find(wanted).or_else(|| after.find(wanted))?;
        Some(&self.text[s..e])
    }
}

/// Words after "born" that make it a rule about a group, not one person's
/// birth: "born between … and …", "born on or after …", "born in 1948".
const GENERAL_AFTER_BORN: &[&str] = &[
    "between",
    "before",
    "after",
    "on or after",
    "on or before",
    "in",
    "from",
    "since",
    "during",
];

/// Subjects before "born" that make it eligibility or history: "people
/// born …", "babies born …", "the NHS was born …".
const GENERAL_SUBJECTS: &[&str] = &[
    "people", "persons", "children", "babies", "those", "anyone", "anybody", "everyone",
    "patients", "adults", "men", "women", "all", "nhs", "mot", "service", "pharmacy", "team",
];

/// True when the birth word at `i..end` is "born" used of a group or an
/// institution (see [`GENERAL_AFTER_BORN`], [`GENERAL_SUBJECTS`]).
fn born_in_general(text: &str, i: usize, end: usize) -> bool {
    if !text[i..end].eq_ignore_ascii_case("born") {
        return false;
    }
    let after = text[end..].trim_start_matches([' ', '\t']);
    let general_after = GENERAL_AFTER_BORN.iter().any(|w| {
        let at = text.len() - after.len();
        match_phrase(text, at, w).is_some()
    });
    // The three words before, lowercase.
    let mut from = i.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..i];
    let general_subject = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| GENERAL_SUBJECTS.iter().any(|s| w.eq_ignore_ascii_case(s)));
    general_after || general_subject
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
fn starts_word(text: &str, i: usize) -> bool {
    // Most text is ASCII: decode a char only when the byte before is not.
    match i.checked_sub(1).map(|j| text.as_bytes()[j]) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => !char_before(text, i).is_some_and(is_word_char),
    }
}

/// No letter or digit at `i` (a char boundary).
fn ends_word(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => !char_at(text, i).is_some_and(is_word_char),
    }
}

/// Byte offsets of every word that starts with an ASCII letter.
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(move |&(i, b)| b.is_ascii_alphabetic() && starts_word(text, i))
        .map(|(i, _)| i)
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
    ends_word(text, at).then_some(at)
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn context_of(text: &str) -> Context<'_> {
        let words: Vec<usize> = word_starts(text).collect();
        Context::find(text, &words, &[])
    }

    fn finding(kind: Kind, severity: Severity) -> Finding {
        Finding {
            kind,
            severity,
            start: 0,
            end: 1,
            reason: String::new(),
        }
    }

    #[test]
    fn nhs_numbers_from_the_worked_examples() {
        assert!(nhs_number_valid("9990000018")); // S = 245, R = 3, C = 8
        assert!(nhs_number_valid("9998765439"));
        assert!(nhs_number_valid("9992222220")); // C = 11 → 0
        assert!(!nhs_number_valid("9990000019")); // should end 8
        assert!(!nhs_number_valid("9991234560")); // C = 10 → invalid
    }

    #[test]
    fn repdigits_and_malformed_input_are_not_nhs_numbers() {
        for d in b'0'..=b'9' {
            let repdigit = String::from_utf8(vec![d; 10]).unwrap();
            assert!(!nhs_number_valid(&repdigit), "{repdigit}");
        }
        for s in [
            "",
            "999000001",
            "99900000180",
            "999 000 0018",
            "999000001a",
            "９９９0000018",
        ] {
            assert!(!nhs_number_valid(s), "{s}");
        }
    }

    #[test]
    fn redaction_marker_names_blocked_kinds_once_in_kind_order() {
        let findings = [
            finding(Kind::PatientName, Severity::Block),
            finding(Kind::DateOfBirth, Severity::Block),
            finding(Kind::NhsNumber, Severity::Block),
            finding(Kind::DateOfBirth, Severity::Block),
            finding(Kind::PhoneNumber, Severity::Warn),
        ];
        assert_eq!(
            redaction_marker(&findings),
            "[removed by mot: contained an NHS number, a date of birth, a patient name]"
        );
        assert!(redaction_marker(&findings).starts_with(REDACTION_PREFIX));
    }

    #[test]
    fn redaction_marker_without_blocks_names_the_warnings() {
        let warn = [finding(Kind::Email, Severity::Warn)];
        assert_eq!(
            redaction_marker(&warn),
            "[removed by mot: contained an email address]"
        );
        assert_eq!(
            redaction_marker(&[]),
            "[removed by mot: contained possible personal information]"
        );
    }

    #[test]
    fn verdict_is_the_worst_severity() {
        assert_eq!(verdict(&[]), None);
        let mixed = [
            finding(Kind::Email, Severity::Warn),
            finding(Kind::NhsNumber, Severity::Block),
        ];
        assert_eq!(verdict(&mixed), Some(Severity::Block));
        assert_eq!(verdict(&mixed[..1]), Some(Severity::Warn));
    }

    #[test]
    fn same_span_keeps_the_most_severe_finding() {
        // "MRN" labels the number and is context for it: both scanners flag
        // the same digits; only one finding survives.
        let findings = screen("MRN 9990000018");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].kind, Kind::NhsNumber);
        assert_eq!(findings[0].severity, Severity::Block);
    }

    #[test]
    fn context_words_stand_alone_and_the_longest_wins() {
        let ctx = context_of("Patients; newborn; NHS England; NHS-no; D.O.B: x");
        let words: Vec<(&str, Scope)> = ctx
            .hits
            .iter()
            .map(|&(s, e, scope)| (&ctx.text[s..e], scope))
            .collect();
        assert_eq!(
            words,
            [
                ("NHS", Scope::NhsNumbers),
                ("NHS-no", Scope::Patient),
                ("D.O.B", Scope::Birth)
            ]
        );
    }

    #[test]
    fn context_window_counts_characters() {
        // Two bytes each, and not word characters.
        let pad = "·".repeat(CONTEXT_WINDOW);
        let text = format!("patient{pad}9990000018");
        let digits = text.len() - 10;
        let ctx = context_of(&text);
        assert_eq!(
            ctx.near(digits, text.len(), FOR_NHS_NUMBERS),
            Some("patient")
        );
        let far = format!("patient{pad}·9990000018");
        let ctx = context_of(&far);
        assert_eq!(ctx.near(far.len() - 10, far.len(), FOR_NHS_NUMBERS), None);
    }

    #[test]
    fn repeated_fragments_take_linear_time() {
        // Repetition is where a scanner that rescans the rest of the text
        // from each position goes quadratic (repeated "(0)" once did): 20 kB
        // of each must take milliseconds, not minutes.
        for unit in [
            "0",
            "0 ",
            "1-",
            "(0)",
            "(0",
            "+44 ",
            "a@",
            "@a.",
            "Mr A",
            "12/",
            "DOB 1",
            "nhs ",
            "LS1 ",
            "MRN 1 ",
            "12 March ",
            "9990000018 ",
        ] {
            let text = unit.repeat(20_000 / unit.len());
            let started = std::time::Instant::now();
            let findings = screen(&text);
            assert_well_formed(&text, &findings);
            let took = started.elapsed();
            assert!(took.as_secs() < 2, "{unit:?} took {took:?}");
        }
    }

    /// Pieces that exercise every scanner's edge: digits and separators,
    /// prefixes, keywords, multi-byte and combining characters.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,14}",
            "[0-9 ()+\\-./:@]{1,12}",
            "[A-Za-z]{1,6}",
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\u{a0}".to_string()),
            Just("\u{2013}".to_string()),
            Just("e\u{301}".to_string()),
            Just("👩‍⚕️".to_string()),
            Just("🇬🇧".to_string()),
            Just("\u{202e}".to_string()),
            prop::sample::select(vec![
                "patient ",
                "DOB ",
                "born ",
                "NHS no ",
                "MRN: ",
                "hospital number ",
                "Mrs ",
                "Mr. ",
                "March ",
                "12th ",
                "+44 ",
                "(0)",
                "0044",
                "@nhs.net",
                "LS99 9ZZ",
                "GIR 0AA",
                "SW1A",
                "999 000 0018",
                "9990000018",
                "07700 900",
            ])
            .prop_map(str::to_string),
            "\\PC{0,8}",
        ]
    }

    fn assert_well_formed(text: &str, findings: &[Finding]) {
        for f in findings {
            assert!(f.start < f.end && f.end <= text.len(), "{f:?} in {text:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert!(!f.reason.is_empty());
        }
        for pair in findings.windows(2) {
            assert!(pair[0].start <= pair[1].start, "unsorted: {findings:?}");
            assert!((pair[0].start, pair[0].end) != (pair[1].start, pair[1].end));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_any_text(text in any::<String>()) {
            let findings = screen(&text);
            assert_well_formed(&text, &findings);
            let _ = explain(&text, &findings);
        }

        #[test]
        fn never_panics_on_tricky_text(parts in prop::collection::vec(fragment(), 0..40)) {
            let text = parts.concat();
            let findings = screen(&text);
            assert_well_formed(&text, &findings);
            let _ = explain(&text, &findings);
            let _ = redaction_marker(&findings);
        }

        #[test]
        fn long_digit_runs_stay_well_formed(run in "[0-9 \\-]{200,2000}") {
            let findings = screen(&run);
            assert_well_formed(&run, &findings);
        }

        #[test]
        fn explain_copes_with_foreign_findings(
            text in "\\PC{0,40}",
            start in 0usize..60,
            len in 0usize..60,
        ) {
            let f = Finding { start, end: start + len, ..finding(Kind::Email, Severity::Warn) };
            let _ = explain(&text, &[f]);
        }

        #[test]
        fn any_valid_nhs_number_written_3_3_4_between_words_is_blocked(
            body in 0u32..1_000_000,
            before in "[A-Za-z ,.]{0,30}",
            after in "[A-Za-z ,.]{0,30}",
        ) {
            let nine = format!("999{body:06}");
            let digits = (0..=9)
                .map(|c| format!("{nine}{c}"))
                .find(|d| nhs_number_valid(d));
            prop_assume!(digits.is_some());
            let d = digits.unwrap();
            let text = format!("{before} {} {} {} {after}", &d[..3], &d[3..6], &d[6..]);
            let findings = screen(&text);
            prop_assert!(
                findings.iter().any(|f| f.kind == Kind::NhsNumber && f.severity == Severity::Block),
                "{text:?}: {findings:?}"
            );
        }
    }
}
