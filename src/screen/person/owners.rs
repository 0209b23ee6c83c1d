//! Whose a phone number or an email address is: a person's own mailbox
//! ("margaret.hollis@…"), a number said to be someone's ("her mobile"), or
//! a colleague's at work ("Lead pharmacist Joanne Ferguson 07700 …").

use super::super::clinical::is_clinical_word;
use super::super::lexicon::{self, fold};
use super::super::whereabouts::street_word;
use super::super::window_before;
use super::places::NAMED_PLACE_LEADS;
use super::{PLACES, RELATIVES, ROLES, is_plain_name_word, one_of};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// True when an email address's local part is a person's name:
/// "margaret.hollis", "john.smith" (a forename and a surname, even common
/// words), "johnsmith1960", or one word that is plainly a name.
pub(in crate::screen) fn names_a_person(local: &str) -> bool {
    let words: Vec<String> = local
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .map(|w| fold(w).into_owned())
        .collect();
    // "castlestreet.pharmacy": a place's words are not a name's.
    let other = |w: &str| is_clinical_word(w) || PLACES.contains(w) || street_word(w);
    let forename = |w: &str| lexicon::entry(w).forename && !other(w);
    let surname = |w: &str| lexicon::entry(w).surname && !other(w);
    let pair = words.windows(2).any(|p| forename(&p[0]) && surname(&p[1]));
    // "johnsmith": a forename and a surname run together (not a word of
    // its own, "training" read as "Trai" and "Ning").
    let joined = words.iter().any(|w| {
        let entry = lexicon::entry(w);
        !entry.common
            && !entry.english
            && (3..w.len().saturating_sub(2))
                .filter(|&i| w.is_char_boundary(i))
                .any(|i| forename(&w[..i]) && surname(&w[i..]))
    });
    // "fferyllfa.bont", "castlestreet.pharmacy": a place's mailbox (not
    // "sandra.ward72": a place word that is also a name is the name);
    // "oakwood.training", "pharmacy.bookings": a service's (not
    // "kevin.admin", "gary.stock": someone's, with a first name).
    let named = |w: &str| lexicon::is_forename(w) || lexicon::is_surname(w);
    let service = words.iter().any(|w| SERVICE_MAILBOXES.contains(w))
        && !words
            .iter()
            .any(|w| lexicon::is_forename(w) && !SERVICE_MAILBOXES.contains(w));
    if service
        || words
            .iter()
            .any(|w| (PLACES.contains(w) || NAMED_PLACE_LEADS.contains(w)) && !named(w))
    {
        return false;
    }
    let plain = words.iter().any(|w| w.len() >= 3 && is_plain_name_word(w));
    // "jbrennan1962": an initial and a surname, run together, that is no
    // word ("shall" is not "s hall": a surname that is a word is left out).
    let initialled = words.iter().any(|w| {
        w.len() >= 5 && w.is_char_boundary(1) && {
            let (whole, rest) = (lexicon::entry(w), lexicon::entry(&w[1..]));
            !whole.common && !whole.clinical && rest.surname && !rest.common && !other(&w[1..])
        }
    });
    pair || joined || plain || initialled
}

/// What a service's mailbox is for: "oakwood.training", "bookings".
#[rustfmt::skip]
static SERVICE_MAILBOXES: Vocabulary = Vocabulary::new(&[
    "training", "bookings", "booking", "admin", "info", "enquiries", "referrals", "orders",
    "education", "events", "reception", "office", "accounts", "rota", "queries", "stock",
]);

/// True when the mailbox `local` at `at` ("liam.duffy") is named in full in
/// the 300 bytes before it ("AAH rep … is now Liam Duffy, liam.duffy@…")
/// where no one was found (`people`, the sorted spans of the people found): the
/// name was read as a colleague's, so the address is their work one.
pub(in crate::screen) fn a_colleague_s_mailbox(
    text: &str,
    at: usize,
    local: &str,
    people: &[(usize, usize)],
) -> bool {
    let parts: Vec<&str> = local
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .collect();
    let [forename, surname] = parts[..] else {
        return false;
    };
    let before = window_before(text, at, 300);
    let offset = at - before.len();
    let (forename, surname) = (fold(forename), fold(surname));
    let words: Vec<(usize, &str)> = before
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w))
        .collect();
    words.windows(2).any(|pair| {
        let (start, end) = (offset + pair[0].0, offset + pair[1].0 + pair[1].1.len());
        fold(pair[0].1) == forename
            && fold(pair[1].1) == surname
            && text[offset + pair[0].0 + pair[0].1.len()..offset + pair[1].0] == *" "
            && !overlaps(people, start, end)
    })
}

/// True when one of `people` (spans sorted by their start, each a name
/// far shorter than 400 bytes) overlaps `start..end`: only those starting
/// in the 400 bytes before it are read, so many addresses do not each read
/// every person.
fn overlaps(people: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = people.partition_point(|&(s, _)| s < end);
    people[..i]
        .iter()
        .rev()
        .take_while(|&&(s, _)| s + 400 > start)
        .any(|&(_, e)| start < e)
}

/// Words before a phone number or email address that make it someone's.
#[rustfmt::skip]
static OWNERS: Vocabulary = Vocabulary::new(&[
    "her", "his", "their", "landline", "mobile", "mob", "personal", "own", "mum", "dad", "son",
    "daughter", "husband", "wife", "carer",
]);

/// True when a number at `at` follows a colleague's role ("Lead pharmacist
/// Joanne Ferguson 07700 900301", "ring the duty pharmacist on"), and no
/// word says whose it is otherwise ("her mobile").
pub(in crate::screen) fn staff_contact(text: &str, at: usize) -> bool {
    let words = words_before(text, at);
    // Not one who was ("Retired matron on the Armley round, 07700 …").
    // ("y fferyllydd ar alwad, Siân Evans, ar 07700 …": six words back.)
    let role = (words.len().saturating_sub(6)..words.len()).any(|i| {
        (ROLES.contains(words[i]) || super::roles::welsh_or_short_role(words[i]))
            && !i
                .checked_sub(1)
                .is_some_and(|p| one_of(words[p], &["retired", "ex", "former", "a"]))
    });
    (role || signature_cell(text, at)) && !owner_before(text, at)
}

/// True when the number at `at` is a cell of a signature's line, set off
/// by pipes, one of whose cells before it is a job title, capitalised and
/// ending in a role: "Beverley Sutcliffe | Medicines Optimisation
/// Technician | Bradford District & Craven | 01632 960118" (not "Doris
/// Pike | needs nurse visit | 07700 …").
fn signature_cell(text: &str, at: usize) -> bool {
    let line = text[..at].rsplit('\n').next().unwrap_or("");
    let title = |cell: &str| {
        let words: Vec<&str> = super::super::clinical::words(cell)
            .map(|(_, w)| w)
            .collect();
        words.last().is_some_and(|w| ROLES.contains(w))
            && words.iter().all(|w| w.starts_with(char::is_uppercase))
    };
    line.trim_end().ends_with('|') && line.split('|').any(title)
}

/// True for a word that says whose a phone number is: "mobile", "her",
/// "mum", "husband".
pub(in crate::screen) fn says_whose(word: &str) -> bool {
    OWNERS.contains(word) || RELATIVES.contains(word)
}

/// True for a word for one person or a relative: "lad", "lady", "son".
pub(in crate::screen) fn is_person_noun(word: &str) -> bool {
    super::PERSON_NOUNS.contains(word) || RELATIVES.contains(word)
}

/// True when one of the four words before `at` says a number or address
/// belongs to someone: "her mobile is", "at home on", "mum's email".
pub(in crate::screen) fn owner_before(text: &str, at: usize) -> bool {
    let words = words_before(text, at);
    let last = words.len().saturating_sub(4);
    // ("not personal phones" says whose it is not.)
    let denied = |i: usize| {
        i.checked_sub(1)
            .is_some_and(|p| one_of(words[p], &["not", "no", "never"]))
    };
    (last..words.len()).any(|i| {
        let w = fold(words[i]);
        OWNERS.contains(&w)
            && !denied(i)
            && !(DEVICES.contains(&w) && a_service_s(&words[..i]) && !of_a_patient(text))
    })
}

/// Owner words that name a kind of phone, someone's or a service's.
static DEVICES: Vocabulary = Vocabulary::new(&["mobile", "mob", "landline"]);

/// Words before a kind of phone that make it a service's: "the old mobile",
/// "the on-call mob", "our team landline" (not "her mobile", "his old
/// mobile": an owner word is read first).
#[rustfmt::skip]
static SERVICE_S: Vocabulary = Vocabulary::new(&[
    "the", "our", "team", "duty", "on-call", "old", "new", "work", "office", "shared", "service",
    "pharmacy", "practice", "surgery", "unit", "ward", "hub",
]);

/// True when `text` speaks of a patient ("Patient complaint re … the old
/// mob 07700 …"): a phone there may be theirs, whatever its words.
fn of_a_patient(text: &str) -> bool {
    super::super::clinical::words(text).any(|(_, w)| PUBLIC.contains(w))
}

/// True when the words before a kind of phone make it a service's.
fn a_service_s(before: &[&str]) -> bool {
    let last = before.len().saturating_sub(2);
    before[last..].iter().any(|w| SERVICE_S.contains(w))
        && !before.iter().any(|w| OWNERS.contains(&fold(w)))
}

/// Words for a member of the public, before their own number: "ring the
/// patient back on", "patients wife contactable on" (one of them: "patients
/// can ring the practice on …" is everyone).
#[rustfmt::skip]
static PUBLIC: Vocabulary = Vocabulary::new(&[
    "patient", "patient's", "pt", "pt's", "client", "client's", "resident", "resident's",
]);

/// Relatives whose number a message gives as theirs: "ring mum's mobile",
/// "his wife on", "the son … on" (not "partner", "sister", "mother": a GP
/// partner, a ward sister, a Mother & Baby Unit).
#[rustfmt::skip]
static NEAREST: Vocabulary = Vocabulary::new(&[
    "mum", "dad", "son", "daughter", "wife", "husband", "nan", "gran", "grandson",
    "granddaughter", "niece", "nephew", "stepdad", "stepmum",
]);

/// Words after "patient" or "client" that make it a service's name:
/// "Patient transport 0113 …", "the patient safety team", "Client services".
#[rustfmt::skip]
static SERVICES: Vocabulary = Vocabulary::new(&[
    "enquiries", "transport", "safety", "advice", "services", "service", "liaison", "experience",
    "line", "team", "helpline", "group", "groups", "forum", "participation", "records", "access",
    "information", "queries", "support", "relations", "care",
]);

/// True when one of the four words before `at` is one patient or, in
/// lower case, a relative ("ring the patient back on 07700 …", "his wife on
/// 07700 …"): the number is theirs, whatever business the message names.
pub(in crate::screen) fn public_owner_before(text: &str, at: usize) -> bool {
    let words = words_before(text, at);
    let from = words.len().saturating_sub(4);
    (from..words.len()).any(|i| {
        let w = fold(words[i]);
        let previous = i.checked_sub(1).map(|p| words[p]);
        let after =
            |of: &[&str]| previous.is_some_and(|p| of.iter().any(|d| p.eq_ignore_ascii_case(d)));
        // "the patient back on", not "any patient can ring", "Patient
        // transport" or "the patient safety team".
        let one = after(&["the", "this", "that", "our", "my", "your", "his", "her"]);
        let service = words.get(i + 1).is_some_and(|n| SERVICES.contains(n));
        let lower = !words[i].starts_with(|c: char| c.is_uppercase());
        PUBLIC.contains(&w) && one && !service
            || lower && NEAREST.contains(possessive_base(&w).unwrap_or(&w))
    })
}

/// The words in the 40 bytes before `at`, where a number's owner is said.
fn words_before(text: &str, at: usize) -> Vec<&str> {
    super::super::clinical::words(window_before(text, at, 40))
        .map(|(_, w)| w)
        .collect()
}
