//! A name the message gives a role to hold: "discharge pharmacist today
//! is Priya Chauhan", "New manager at Sunnybank Care Home is Lorraine
//! Pike", "OOH pharmacist this wknd: Tom Baxter", "trainers Sian Bevan and
//! Rhodri Price", "Speakers: Dr Kofi Asante and Lucy Brennan", "covering
//! for Sinead Mulholland".
//!
//! The role comes first and the name is its holder: what lies between may
//! only say when or where the role is held ("for Thursday", "this week",
//! "at Sunnybank Care Home", "for the North West"), never someone else
//! ("the nurse's patient today is …"), and a list of holders is a list of
//! names only (a patient is titled: "Nurses: Jane Pike and Mrs Edna Hollis"
//! holds no exemption for Mrs Hollis). The caller also turns away a name
//! whose own health the sentence goes on to name.

use super::super::clinical;
use super::super::dates::is_month_word;
use super::roles::{JOBS, ROLES};
use super::staff::WEEKDAYS;
use super::staff::sentence_after;
use super::{PERSON_NOUNS, RELATIVES, TITLES, Word, one_of};
use crate::screen::lexicon::Vocabulary;

/// Roles named before their holders that are no job title after a name:
/// "Speaker: Rachel Osei", "Contact: Gareth Hughes", "RP Marta Nowicka".
#[rustfmt::skip]
pub(super) static HOLDERS: Vocabulary = Vocabulary::new(&[
    "speaker", "presenter", "host", "contact", "chair", "rp", "author", "organiser",
    "organizer", "aider", "interpreter",
    // Who takes a job's queries: "Informal chats - Carys Llewellyn",
    // "Enquiries: Morag Macdonald", "Questions to Sr Lorna McGhee".
    // Plural: "Query: John Smith" is a subject line about someone.
    "chat", "enquiries", "queries", "questions", "rsvp", "bookings",
]);

/// Words that say when or where a role is held, between the role and
/// "is" or a colon: "today", "this wknd", "for Thursday", "from Jan".
#[rustfmt::skip]
static WHEN_OR_WHERE: Vocabulary = Vocabulary::new(&[
    "today", "tonight", "tomorrow", "this", "next", "week", "wk", "weekend", "wknd", "wkend",
    "morning", "afternoon", "evening", "month", "for", "at", "from", "on", "in", "of", "the",
    "our", "your", "new", "w/c", "until", "till", "now", "currently",
    // Where: "contact for the Skye practices: …", "informal chats".
    "practice", "practices", "pharmacies", "homes", "area", "cluster", "branch", "branches",
    "site", "sites", "informal",
    // "technician for the South & East locality is …".
    "locality", "localities", "region", "patch", "borough", "county",
]);

/// True for a role's word, in the singular or the plural ("pharmacists").
fn a_role(word: &Word) -> bool {
    let is_role = |w: &str| ROLES.contains(w) || JOBS.contains(w) || HOLDERS.contains(w);
    is_role(word.folded) || word.folded.strip_suffix('s').is_some_and(is_role)
}

/// True for a plural role: "trainers", "pharmacists", "speakers".
fn plural_role(word: &Word) -> bool {
    word.folded
        .strip_suffix('s')
        .is_some_and(|w| ROLES.contains(w) || JOBS.contains(w) || HOLDERS.contains(w))
}

/// True for a word that makes a name someone other than a role's holder.
fn someone_else(word: &Word) -> bool {
    PERSON_NOUNS.contains(word.folded)
        || RELATIVES.contains(word.folded)
        || one_of(
            word.folded,
            &["patient", "patients", "pt", "client", "resident"],
        )
        || TITLES.contains(word.folded)
}

/// True when the name at words `first..=last` holds a role named before it.
pub(super) fn holds_a_role(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let Some(prev) = first.checked_sub(1) else {
        return false;
    };
    let gap = |a: usize, b: usize| &text[words[a].end..words[b].start];
    // "covering for Sinead Mulholland", "deputising for Dr Ahmed".
    let covering = prev >= 1
        && words[prev].folded == "for"
        && one_of(
            words[prev - 1].folded,
            &["covering", "deputising", "deputizing"],
        )
        && gap(prev - 1, prev) == " "
        && gap(prev, first) == " ";
    let nothing_clinical_after = || !clinical_after(sentence_after(text, words[last].end));
    if covering {
        return nothing_clinical_after();
    }
    // "… pharmacist today is Priya", "… this wknd: Tom Baxter", "rep for
    // North Staffs is now Liam Duffy", "Informal chats - Carys Llewellyn":
    // the role, then when or where, then "is" (or "is now"), a colon or a
    // dash.
    let colon = matches!(gap(prev, first).trim_end(), ":" | " -" | " –");
    let now = prev >= 1 && one_of(words[prev].folded, &["now", "currently"]);
    let verb = if now { prev - 1 } else { prev };
    let is = words[verb].folded == "is"
        && text[words[verb].end..words[first].start]
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ')
        && verb >= 1
        && gap(verb - 1, verb) == " ";
    // "Questions to Sr Lorna McGhee": who takes them.
    let to = words[prev].folded == "to"
        && gap(prev, first) == " "
        && prev >= 1
        && HOLDERS.contains(words[prev - 1].folded);
    if to {
        return nothing_clinical_after();
    }
    if colon || is {
        let from = if is { verb.checked_sub(1) } else { Some(prev) };
        // A list after a colon is where patients are listed too ("Nurses:
        // Edna Hollis - insulin 10 units"): nothing clinical may follow.
        return from.is_some_and(|from| role_before(text, words, from, 6))
            && (is || nothing_clinical_after());
    }
    // "trainers Sian Bevan and Rhodri Price (HEIW)", "ward pharmacists Ama
    // Darko (Medicine), Kirsty Lamont (Care of the Elderly)": a plural
    // role, then a list of names.
    listed_after_a_plural_role(text, words, first, last)
}

/// True when word `from`, or one of the `most` words before it (all saying
/// when or where, or capitalised: a place's name), is a role, in the same
/// sentence.
fn role_before(text: &str, words: &[Word], from: usize, most: usize) -> bool {
    for i in (from.saturating_sub(most)..=from).rev() {
        let w = &words[i];
        // Only spaces between: "For the GP at Hillside Practice, is Liam
        // Broadbent still …" asks about someone.
        // "lead for Seacroft & Whinmoor is …": "&" inside a place's name.
        let gap = &text[w.end..words[i + 1].start];
        let ampersand = gap == " & " && w.capital && words[i + 1].capital;
        if i < from && gap != " " && !ampersand {
            return false;
        }
        if a_role(w) {
            return subject(text, words, i);
        }
        let between = WHEN_OR_WHERE.contains(w.folded)
            || WEEKDAYS.contains(w.folded)
            || is_month_word(w.folded)
            || w.capital;
        if someone_else(w) || !between {
            return false;
        }
    }
    false
}

/// True when the name at words `first..=last` is one of a list of two or more names
/// right after a plural role ("trainers Sian Bevan and Rhodri Price"),
/// their places in brackets between, and nothing clinical follows the list
/// ("Heads up pharmacists Arthur Bell 78 started on clozapine" speaks to
/// the readers of one patient).
fn listed_after_a_plural_role(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let mut joined = false;
    for i in (first.saturating_sub(16)..first).rev() {
        let w = &words[i];
        let gap = &text[w.end..words[i + 1].start];
        if gap.contains(['.', '!', '?', '\n', ';']) {
            return false;
        }
        if plural_role(w) {
            // Right before the list: "trainers Sian", "Speakers: Dr".
            let rest = sentence_after(text, words[last].end);
            let another = rest.trim_start().starts_with([',', '&', '('])
                || rest.trim_start().starts_with("and ");
            return matches!(gap.trim_end(), "" | ":")
                && (joined || another)
                && !clinical_after(rest);
        }
        joined |= one_of(w.folded, &["and"]) || gap.contains([',', '&']);
        let listed = w.capital || one_of(w.folded, &["and", "of", "the", "for"]);
        if !listed || someone_else(w) {
            return false;
        }
    }
    false
}

/// True when `sentence` names something clinical, in brackets or not
/// ("GPs Harold Pike (COPD) and …").
fn clinical_after(sentence: &str) -> bool {
    clinical::words(sentence).any(|(_, w)| clinical::is_clinical_word(w))
}

/// Words before a role that make it the one a patient is seen by or
/// booked for, not a role held: "Seen by nurse today: …", "Next for the
/// pharmacist is …", "Patient for the GP …".
#[rustfmt::skip]
static FOR_A_PATIENT: Vocabulary = Vocabulary::new(&[
    "by", "for", "to", "with", "patient", "patients", "pt", "next", "first", "seen", "reviewed",
    "visited", "referred", "booked", "see", "review", "visit", "refer", "book", "up", "ask",
]);

/// True when the role at word `role` is its sentence's subject: no word of
/// [`FOR_A_PATIENT`] among the four before it in the sentence.
fn subject(text: &str, words: &[Word], role: usize) -> bool {
    for i in (role.saturating_sub(4)..role).rev() {
        if text[words[i].end..words[i + 1].start].contains(['.', '!', '?', '\n', ':']) {
            return true;
        }
        // "Patient safety specialist for the ICB is …" is a job's title.
        let safety = words[i + 1].folded == "safety";
        if FOR_A_PATIENT.contains(words[i].folded) && !safety {
            return false;
        }
    }
    true
}
