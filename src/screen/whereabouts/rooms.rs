//! Rooms: "room 31", "rm 14", "bed 3", "cell 22" where one person lives
//! (a care home's resident, a ward's patient, a prison's inmate), not the
//! rooms where staff work, meet, keep a fridge or hold a clinic.

use super::super::{ends_word, one_of};
use super::ROOMS;
use crate::screen::lexicon::Vocabulary;

/// Words before "room" that make it a room for work: "consulting room 1".
static WORK_ROOMS: Vocabulary = Vocabulary::new(&[
    "clinic",
    "consultation",
    "consulting",
    "meeting",
    "staff",
    "training",
    "treatment",
    "waiting",
    "store",
    "fridge",
    "nurse",
    "nurses",
    "doctor",
    "doctors",
    "gp",
    "hca",
    "pharmacist",
    "vaccination",
    "immunisation",
    "phlebotomy",
    "counselling",
    "interview",
]);

/// "room 31", "rm 14", "Room 6", "bed 3": not a working room.
pub(super) fn room(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (_, w) = words[k];
    if !one_of(w, &ROOMS) {
        return None;
    }
    let (n_start, n) = *words.get(k + 1)?;
    // "Room 10:30" is a time.
    let time = text[n_start + n.len()..].starts_with([':', '.'])
        && text
            .as_bytes()
            .get(n_start + n.len() + 1)
            .is_some_and(u8::is_ascii_digit);
    // "room 31", "room B14", "room nine" (read out, or typed by voice).
    let lettered = n.len() >= 2
        && n.as_bytes()[0].is_ascii_alphabetic()
        && n.bytes().skip(1).all(|c| c.is_ascii_digit());
    let numbered = ((n.bytes().next().is_some_and(|c| c.is_ascii_digit()) || lettered)
        && n.len() <= 4
        && ends_word(text, n_start + n.len())
        && !time)
        || NUMBER_WORDS.contains(n);
    let working = k > 0 && WORK_ROOMS.contains(words[k - 1].1);
    // "sickle cell 2", "cell B4 of the spreadsheet": no one's cell.
    let no_ones_cell = w.eq_ignore_ascii_case("cell")
        && (lettered
            || k > 0
                && one_of(
                    words[k - 1].1,
                    &["sickle", "stem", "blood", "red", "white", "fuel"],
                )
            || words[k.saturating_sub(8)..(k + 10).min(words.len())]
                .iter()
                .any(|(_, w)| {
                    one_of(
                        w,
                        &["spreadsheet", "excel", "column", "row", "sheet", "formula"],
                    )
                }));
    // "training in Room 4", "the vaccine fridge in room 2", "syringe
    // driver training for new starters Mon 14 Dec, Truro Health Park, room
    // 3": a room where staff meet or equipment stands, not where someone
    // lives (unless someone is said to be in it).
    let in_use = (words[k.saturating_sub(8)..(k + 10).min(words.len())]
        .iter()
        .any(|(_, w)| ROOM_IN_USE.contains(w))
        || used_before(text, words, k))
        && !occupied(text, words, k);
    // "Clozapine clinic Thursdays in room 3", "catch-up clinic
    // Kirkintilloch HC rm 4": a clinic held in the room, said before it
    // ("the lady in room 4 missed clinic", "clinic letter for the lady in
    // room 14", "Memory clinic wrote re Edna in room 12" are residents).
    let before = &words[k.saturating_sub(8)..k];
    let someone = |w: &str| {
        super::super::person::is_person_noun(w)
            || w.starts_with(|c: char| c.is_uppercase())
                && super::super::person::is_forename_word(w)
    };
    let clinic_in_it = before.iter().enumerate().any(|(i, (_, w))| {
        CLINIC_ROOMS.contains(w) && !before[i..].iter().any(|(_, p)| someone(p))
    });
    // "room 3 free Thurs 2-4", "room 2 is booked": a room to book.
    let bookable = words[k + 2..]
        .iter()
        .take(2)
        .any(|(_, w)| one_of(w, &["free", "available", "vacant", "bookable", "booked"]));
    (numbered && !working && !in_use && !clinic_in_it && !bookable && !no_ones_cell)
        .then_some(k + 1)
}

/// Words about a room that say someone is in it: "room 5 has had a
/// fall", "room 4 resident", "room 10 can't keep her meds down".
#[rustfmt::skip]
static OCCUPIED: Vocabulary = Vocabulary::new(&[
    "had", "needs", "resident", "she", "he", "her", "his", "him", "they",
    "their", "pt", "patient", "mr", "mrs", "ms", "miss", "fell", "refused", "missed", "can't",
    "cannot", "won't", "keeps",
]);

/// True when the room at word `k` holds someone: [`OCCUPIED`] in the
/// eight words after it, in its sentence, or the room stands for them
/// ("induction done for room 2", "teaching done with room 6").
fn occupied(text: &str, words: &[(usize, &str)], k: usize) -> bool {
    let mut at = words[k].0;
    let said = words.iter().skip(k + 1).take(8).any(|&(s, w)| {
        let ended = text[at..s].contains(['.', '!', '?', '\n']);
        at = s + w.len();
        !ended && OCCUPIED.contains(w)
    });
    said || k
        .checked_sub(1)
        .is_some_and(|p| one_of(words[p].1, &["for", "with"]))
}

/// True when the sentence before the room at word `k`, within sixteen
/// words and with no one in it, says what the room is used for
/// ([`ROOM_IN_USE`]).
fn used_before(text: &str, words: &[(usize, &str)], k: usize) -> bool {
    let mut end = words[k].0;
    for &(s, w) in words[k.saturating_sub(16)..k].iter().rev() {
        if text[s + w.len()..end].contains(['.', '!', '?', '\n']) || OCCUPIED.contains(w) {
            return false;
        }
        if ROOM_IN_USE.contains(w) {
            return true;
        }
        end = s;
    }
    false
}

/// Numbers in words, as a room's: "room nine", "bed twelve".
#[rustfmt::skip]
static NUMBER_WORDS: Vocabulary = Vocabulary::new(&[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty",
]);

/// Words near a room number that make it a room in use by staff.
#[rustfmt::skip]
static ROOM_IN_USE: Vocabulary = Vocabulary::new(&[
    "agenda", "booked", "engineer", "fridge", "fridges", "huddle", "lunch", "meeting", "meetings",
    "session", "sessions", "topic", "training", "webinar", "workshop", "course", "teaching",
    "cpd", "induction", "seminar", "lecture",
]);

/// Words before a room number that hold a clinic there: a clinic, a
/// health centre ("Kirkintilloch HC rm 4"; not "CH", a care home as often
/// as a community hospital), a Welsh meeting ("Cyfarfod … Ystafell 3").
#[rustfmt::skip]
static CLINIC_ROOMS: Vocabulary = Vocabulary::new(&[
    "clinic", "clinics", "drop-in", "hc", "cyfarfod", "hyfforddiant", "canolfan",
]);
