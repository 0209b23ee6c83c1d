//! Where a message itself says that a name is someone's at work: the
//! sender of a chat message copied from WhatsApp ("[09:14, 04/12/2026]
//! Julie Hartley (MOT): …"), a health body in brackets after a name
//! ("Agnieszka Nowicka (NHS Lothian)"), and first names in brackets after
//! a team or a pharmacy ("Raigmore pharmacy (Kirsty MacRae and Alasdair
//! Munro)").
//!
//! Each rule was narrowed by a hostile review: a patient's own message
//! pasted from the pharmacy's WhatsApp, a patient "(Moorside Surgery)"
//! where they are registered, and a patient "referred to the falls team
//! (Edna Marsh, lives alone …)" are all patients.

use super::super::{ages, clinical, one_of, window_before};
use super::{PERSON_NOUNS, RELATIVES};
use crate::screen::lexicon::Vocabulary;

/// True when the name at `start..end` is the author of a chat message
/// copied from WhatsApp: at the start of a line, after a bracketed time and
/// date ("[14:02, 02/12/2026] ") or after a date, a time and a dash
/// ("02/12/2026, 14:02 - "), before a colon, perhaps after a label in
/// brackets ("Julie Hartley (MOT):"); and not writing of health in the
/// first person ("ran out of my sertraline", "I've had no insulin": a
/// patient's own message).
pub(super) fn chat_sender(text: &str, start: usize, end: usize) -> bool {
    // A stamp is short: only the last 40 bytes are read for the line's start.
    let window = window_before(text, start, 40);
    let line = match window.rfind('\n') {
        Some(i) => &window[i + 1..],
        None if window.len() == start => window,
        None => return false,
    };
    let stamp = ages::chat_stamp;
    let bracketed = line
        .strip_prefix('[')
        .and_then(|l| l.trim_end_matches(' ').strip_suffix(']'))
        .is_some_and(stamp);
    let dashed = line.strip_suffix(" - ").is_some_and(stamp);
    if !(bracketed || dashed) {
        return false;
    }
    let rest = &text[end..];
    // A contact's label in brackets, unless it says a patient or a
    // relative sent it ("Gordon McAllister (patient):", "(Oakwood resident)").
    let label = |p: &str| {
        !clinical::words(p).any(|(_, w)| {
            PERSON_NOUNS.contains(w)
                || RELATIVES.contains(w)
                || one_of(w, &["patient", "pt", "resident", "client", "user", "carer"])
        })
    };
    let said = match rest.strip_prefix(" (") {
        Some(inside) => bracketed_phrase(inside)
            .filter(|p| label(p))
            .and_then(|p| inside[p.len()..].strip_prefix("):")),
        // "[14:03, 03/12/2026] Gemma - Wood Street Surgery: …".
        None => rest.strip_prefix(':').or_else(|| {
            let r = rest
                .strip_prefix(" - ")
                .or_else(|| rest.strip_prefix(" – "))?;
            let line = r.split('\n').next().unwrap_or("");
            let colon = line.find(':')?;
            (colon <= 40 && label(&line[..colon])).then(|| &r[colon + 1..])
        }),
    };
    said.is_some_and(|said| {
        let message = || clinical::words(said.split('\n').next().unwrap_or("")).take(60);
        let first_person = message().any(|(_, w)| {
            one_of(
                w,
                &[
                    "i", "i'm", "im", "i've", "ive", "i'd", "my", "me", "myself", "mine",
                ],
            )
        });
        !(first_person && message().any(|(_, w)| clinical::is_clinical_word(w)))
    })
}

/// Health bodies, written in brackets after a colleague's name: they
/// employ staff but hold no patient list, as a surgery, a pharmacy, a
/// hospital or a team does ("(Moorside Surgery)", "(known to MH team)").
#[rustfmt::skip]
static HEALTH_BODIES: Vocabulary = Vocabulary::new(&[
    "nhs", "icb", "ccg", "lpc", "lmc", "mot", "hscp", "hsc", "hse", "ics", "nhsggc", "sehsct",
    "nhsct", "whssc", "immunisation", "immunisations", "council", "phs", "ukhsa",
]);

/// True when a phrase in brackets names a health body: capitalised words,
/// one of them [`HEALTH_BODIES`] ("NHS Lothian", "SEHSCT Immunisation").
fn health_body(phrase: &str) -> bool {
    let words = || clinical::words(phrase).map(|(_, w)| w);
    words().all(|w| w.starts_with(|c: char| c.is_uppercase()) || one_of(w, &["of", "and", "the"]))
        && words().any(|w| HEALTH_BODIES.contains(w))
}

/// True when a health body is named in brackets right after `end`:
/// "Agnieszka Nowicka (NHS Lothian)". What the brackets hold is short and
/// has no digit; and neither a label ("Kevin Doyle (ICB) - continuing
/// healthcare", a record's line) nor an age follows.
pub(super) fn organisation_in_brackets(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let Some(inside) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('(')) else {
        return false;
    };
    bracketed_phrase(inside).is_some_and(|phrase| {
        let close = text.len() - inside.len() + phrase.len() + 1;
        let after = text[close..].trim_start_matches(' ');
        !after.starts_with(['-', ':', '–', '—'])
            && !ages::age_right_after(text, close)
            && health_body(phrase)
    })
}

/// True when the name at `start..end` stands in brackets of names only
/// that open right after a team's or a pharmacy's word, in thanks: "Huge
/// thanks to Raigmore pharmacy (esp Kirsty MacRae and Alasdair Munro)":
/// its staff, listed (not "referred to the falls team (Edna Marsh, lives
/// alone …)", a patient).
pub(super) fn listed_after_a_team(text: &str, start: usize, end: usize) -> bool {
    let before = window_before(text, start, 100);
    let Some(open) = before.rfind('(') else {
        return false;
    };
    // Read at most 60 bytes on, as every rule after a name is bounded.
    let ahead = &text.as_bytes()[end..(end + 61).min(text.len())];
    let Some(close) = ahead.iter().position(|&b| b == b')').map(|c| end + c) else {
        return false;
    };
    let inside = &text[start - (before.len() - open - 1)..close];
    let names_only = inside.len() <= 80
        && !inside.contains(['(', '\n'])
        && !inside.bytes().any(|b| b.is_ascii_digit())
        && clinical::words(inside).all(|(_, w)| {
            w.starts_with(|c: char| c.is_uppercase()) || one_of(w, &["and", "esp", "especially"])
        });
    // Staff are listed so to be thanked; patients so to be referred.
    let preceding = || clinical::words(&before[..open]).map(|(_, w)| w);
    let thanked = preceding().any(|w| THANKS.contains(w));
    let team = preceding().last();
    names_only && thanked && team.is_some_and(|w| STAFFED.contains(w))
}

/// Words that thank or praise staff: "Huge thanks to …", "Shout out to …".
static THANKS: Vocabulary = Vocabulary::new(&[
    "thanks",
    "thank",
    "thx",
    "shout",
    "kudos",
    "congrats",
    "congratulations",
    "cheers",
]);

/// The words a list of staff in brackets follows: "pharmacy (…)", "team (…)".
/// Not "ward" or "surgery": "Ward 5 (John Smith)" is a patient on it.
static STAFFED: Vocabulary =
    Vocabulary::new(&["hub", "office", "pharmacy", "team", "teams", "dispensary"]);

/// The text of a bracket that opens just before `inside` and closes within
/// 40 bytes on the same line, with no digit in it (only those 40 bytes are
/// read: a long text with no closing bracket is not read again per name).
fn bracketed_phrase(inside: &str) -> Option<&str> {
    let close = inside.bytes().take(41).position(|b| b == b')')?;
    let phrase = &inside[..close];
    let plain =
        close <= 40 && !phrase.contains('\n') && !phrase.bytes().any(|b| b.is_ascii_digit());
    plain.then_some(phrase)
}
