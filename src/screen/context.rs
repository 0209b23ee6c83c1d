//! Patient context: the words ("patient", "NHS no", "DOB", "born") that make
//! a nearby number, date, postcode or name stronger, found once per text.

use super::{inside, match_phrase};
use crate::screen::lexicon::{Openings, Vocabulary};

/// How close (in characters, either side) a context word must be to make a
/// finding stronger. 40 covers "Patient: Mrs Jane Smith, NHS no 999 000 0018"
/// while keeping the next sentence of an operational notice out of reach.
pub const CONTEXT_WINDOW: usize = 40;

/// Which findings a context word strengthens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
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
    // The national systems a patient's NHS number is looked up on: "check
    // 99 96 87 17 11 on the spine", "his SCR", "PDS trace".
    ("spine", Scope::NhsNumbers),
    ("scr", Scope::NhsNumbers),
    ("pds", Scope::NhsNumbers),
    ("nhs no", Scope::Patient),
    ("nhsno", Scope::Patient),
    ("nhs num", Scope::Patient),
    ("nhs number", Scope::Patient),
    ("nhsnum", Scope::Patient),
    ("nhsnumber", Scope::Patient),
    ("chino", Scope::Patient),
    ("chinumber", Scope::Patient),
    ("hcno", Scope::Patient),
    ("h&c", Scope::Patient),
    ("hcn", Scope::Patient),
    ("hosp no", Scope::Patient),
    ("dob", Scope::Birth),
    ("d.o.b", Scope::Birth),
    ("date of birth", Scope::Birth),
    ("birth date", Scope::Birth),
    ("birthdate", Scope::Birth),
    ("born", Scope::Birth),
    ("b.", Scope::Birth),
    // Other languages' "born" and "date of birth", as patients' own
    // documents and relatives write them.
    ("ur.", Scope::Birth),
    ("urodzony", Scope::Birth),
    ("urodzona", Scope::Birth),
    ("data urodzenia", Scope::Birth),
    ("geb.", Scope::Birth),
    ("geboren", Scope::Birth),
    ("née", Scope::Birth),
    ("né", Scope::Birth),
    ("nascido", Scope::Birth),
    ("nascida", Scope::Birth),
    ("data de nascimento", Scope::Birth),
    ("născută", Scope::Birth),
    ("născut", Scope::Birth),
    ("nascuta", Scope::Birth),
    ("data nașterii", Scope::Birth),
    ("fecha de nacimiento", Scope::Birth),
    ("nacido", Scope::Birth),
    ("nacida", Scope::Birth),
    ("dyddiad geni", Scope::Birth),
    ("date de naissance", Scope::Birth),
    ("resident", Scope::Patient),
    ("address", Scope::Patient),
    ("chi", Scope::Patient),
    ("mrn", Scope::Patient),
    ("hospital no", Scope::Patient),
];

/// The first two bytes of every one of [`CONTEXT_WORDS`].
const OPENINGS: Openings = {
    let mut words = [""; CONTEXT_WORDS.len()];
    let mut i = 0;
    while i < CONTEXT_WORDS.len() {
        words[i] = CONTEXT_WORDS[i].0;
        i += 1;
    }
    Openings::of(&words)
};

/// Scopes each kind of finding listens to.
pub(super) const FOR_NHS_NUMBERS: &[Scope] = &[Scope::NhsNumbers, Scope::Patient, Scope::Birth];
pub(super) const FOR_PATIENT_DATA: &[Scope] = &[Scope::Patient, Scope::Birth];
pub(super) const FOR_DATES: &[Scope] = &[Scope::Birth];

/// Where the context words are in one text; found once per [`screen`].
pub(super) struct Context<'t> {
    pub(super) text: &'t str,
    /// Non-overlapping, in order.
    pub(super) hits: Vec<(usize, usize, Scope)>,
}

impl<'t> Context<'t> {
    pub(super) fn find(text: &'t str, words: &[usize], links: &[(usize, usize)]) -> Self {
        let mut hits = Vec::new();
        let mut next = 0;
        for &i in words {
            if i < next || inside(links, i, i + 1) {
                continue;
            }
            // Most words start with two letters no context word starts with.
            if !OPENINGS.may_open(&text.as_bytes()[i..]) {
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
    pub(super) fn near(&self, start: usize, end: usize, scopes: &[Scope]) -> Option<&'t str> {
        let (s, e) = self.near_span(start, end, scopes)?;
        Some(&self.text[s..e])
    }

    /// Where the word [`Context::near`] finds is.
    pub(super) fn near_span(
        &self,
        start: usize,
        end: usize,
        scopes: &[Scope],
    ) -> Option<(usize, usize)> {
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
        Some((s, e))
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
    "on/after",
    "on/before",
    "in",
    "from",
    "since",
    "during",
];

/// Subjects before "born" that make it eligibility or history: "people
/// born …", "babies born …", "the NHS was born …".
static GENERAL_SUBJECTS: Vocabulary = Vocabulary::new(&[
    "people", "persons", "children", "babies", "those", "anyone", "anybody", "everyone",
    "patients", "adults", "men", "women", "all", "nhs", "mot", "service", "pharmacy", "team",
]);

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
        .any(|w| GENERAL_SUBJECTS.contains(w));
    general_after || general_subject
}
