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
use super::staff::sentence_after;
use super::staff::{JOBS, ROLES, WEEKDAYS};
use super::{PERSON_NOUNS, RELATIVES, TITLES, Word, one_of};
use crate::screen::lexicon::Vocabulary;

/// Roles named before their holders that are no job title after a name:
/// "Speaker: Rachel Osei", "Contact: Gareth Hughes", "RP Marta Nowicka".
#[rustfmt::skip]
static HOLDERS: Vocabulary = Vocabulary::new(&[
    "speaker", "trainer", "presenter", "facilitator", "host", "contact", "chair", "rp",
    "author", "organiser", "organizer", "mentor", "supervisor", "tutor", "educator",
    "aider",
]);

/// Words that say when or where a role is held, between the role and
/// "is" or a colon: "today", "this wknd", "for Thursday", "from Jan".
#[rustfmt::skip]
static WHEN_OR_WHERE: Vocabulary = Vocabulary::new(&[
    "today", "tonight", "tomorrow", "this", "next", "week", "wk", "weekend", "wknd", "wkend",
    "morning", "afternoon", "evening", "month", "for", "at", "from", "on", "in", "of", "the",
    "our", "your", "new", "w/c", "until", "till", "now", "currently",
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
            &["covering", "cover", "deputising", "deputizing"],
        )
        && gap(prev - 1, prev) == " "
        && gap(prev, first) == " ";
    if covering {
        return true;
    }
    // "… pharmacist today is Priya", "… this wknd: Tom Baxter": the role,
    // then when or where, then "is" or a colon.
    let colon = gap(prev, first).trim_end() == ":";
    let is = words[prev].folded == "is"
        && gap(prev, first) == " "
        && prev >= 1
        && gap(prev - 1, prev) == " ";
    if colon || is {
        let from = if is { prev.checked_sub(1) } else { Some(prev) };
        return from.is_some_and(|from| role_before(text, words, from, 6));
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
        if i < from && text[w.end..words[i + 1].start] != *" " {
            return false;
        }
        if a_role(w) {
            return true;
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
                && !clinical_outside_brackets(rest);
        }
        joined |= one_of(w.folded, &["and"]) || gap.contains([',', '&']);
        let listed = w.capital || one_of(w.folded, &["and", "of", "the", "for"]);
        if !listed || someone_else(w) {
            return false;
        }
    }
    false
}

/// True when `sentence` names something clinical outside its brackets:
/// "(Care of the Elderly)" is a ward, "started on clozapine" care.
fn clinical_outside_brackets(sentence: &str) -> bool {
    let mut depth = 0usize;
    let mut outside = String::new();
    for c in sentence.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    clinical::words(&outside).any(|(_, w)| clinical::is_clinical_word(w))
}
