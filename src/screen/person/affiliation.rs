//! Where a message itself says that a name is someone's at work: the
//! sender of a chat message copied from WhatsApp ("[09:14, 04/12/2026]
//! Julie Hartley (MOT): …"), an organisation in brackets after a name
//! ("Agnieszka Nowicka (NHS Lothian)"), and names in brackets after a
//! team or a pharmacy ("Raigmore pharmacy (Kirsty MacRae and Alasdair
//! Munro)").

use super::super::{clinical, one_of, window_before};
use super::staff::ORGANISATIONS;
use crate::screen::lexicon::Vocabulary;

/// True when the name at `start..end` is the author of a chat message
/// copied from WhatsApp: at the start of a line, after a bracketed time and
/// date ("[14:02, 02/12/2026] ") or after a date, a time and a dash
/// ("02/12/2026, 14:02 - "), and before a colon, perhaps after something
/// in brackets ("Julie Hartley (MOT):").
pub(super) fn chat_sender(text: &str, start: usize, end: usize) -> bool {
    // A stamp is short: only the last 40 bytes are read for the line's start.
    let window = window_before(text, start, 40);
    let line = match window.rfind('\n') {
        Some(i) => &window[i + 1..],
        None if window.len() == start => window,
        None => return false,
    };
    let stamp = |s: &str| {
        s.bytes().any(|b| b.is_ascii_digit())
            && s.contains(':')
            && s.bytes().all(|b| {
                b.is_ascii_digit()
                    || matches!(b, b'/' | b'.' | b',' | b':' | b' ' | b'-')
                    || matches!(b.to_ascii_lowercase(), b'a' | b'p' | b'm')
            })
    };
    let bracketed = line
        .strip_prefix('[')
        .and_then(|l| l.trim_end_matches(' ').strip_suffix(']'))
        .is_some_and(stamp);
    let dashed = line.strip_suffix(" - ").is_some_and(stamp);
    if !(bracketed || dashed) {
        return false;
    }
    let rest = &text[end..];
    match rest.strip_prefix(" (") {
        Some(inside) => {
            bracketed_phrase(inside).is_some_and(|p| inside[p.len()..].starts_with("):"))
        }
        None => rest.starts_with(':'),
    }
}

/// Words that name an organisation in brackets after a name, besides
/// [`ORGANISATIONS`]: Scotland's, Wales's and Northern Ireland's health
/// bodies and the team's own initials.
#[rustfmt::skip]
static AFFILIATIONS: Vocabulary = Vocabulary::new(&[
    "hb", "hc", "hscp", "hsc", "hse", "ics", "mot", "nhsggc", "immunisation", "immunisations",
    "sehsct", "nhsct", "belfast", "whssc", "scotland", "wales",
]);

/// True when an organisation is named in brackets right after `end`:
/// "Agnieszka Nowicka (NHS Lothian)", "Joanne Hutton (Lisburn HC)". What
/// the brackets hold is short and has no digit: "(Ward 12)", "(DOB …)"
/// say where or who a patient is; and no label follows, as in a record's
/// line ("Kevin Doyle (ICB) - continuing healthcare").
pub(super) fn organisation_in_brackets(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let Some(inside) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('(')) else {
        return false;
    };
    // An organisation's name, capitalised: "(NHS Lothian)", not what a
    // patient is known to ("(known to MH team)", "(DN team visit)").
    bracketed_phrase(inside).is_some_and(|phrase| {
        let after = inside[phrase.len() + 1..].trim_start_matches(' ');
        if after.starts_with(['-', ':', '–', '—']) {
            return false;
        }
        let words = || clinical::words(phrase).map(|(_, w)| w);
        words()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()) || one_of(w, &["of", "and", "the"]))
            && words().any(|w| ORGANISATIONS.contains(w) || AFFILIATIONS.contains(w))
    })
}

/// True when the brackets that the name at `start` stands in open right
/// after a team's or a pharmacy's word: "Raigmore pharmacy (esp Kirsty
/// MacRae", "the discharge team (Jen Ritchie, Alan …": its staff, listed.
pub(super) fn listed_after_a_team(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 100);
    let Some(open) = before.rfind('(') else {
        return false;
    };
    // The name is inside these brackets: none closes before it, and only
    // names and joining words lie between (at most 60 bytes of them).
    let between = &before[open + 1..];
    if between.len() > 60
        || between.contains([')', '\n'])
        || between.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    let team = clinical::words(&before[..open]).last().map(|(_, w)| w);
    team.is_some_and(|w| STAFFED.contains(w))
}

/// The words a list of staff in brackets follows: "pharmacy (…)", "team (…)".
/// Not "ward" or "surgery": "Ward 5 (John Smith)" is a patient on it.
static STAFFED: Vocabulary =
    Vocabulary::new(&["hub", "office", "pharmacy", "team", "teams", "dispensary"]);

/// The text of a bracket that opens just before `inside` and closes within
/// 40 bytes on the same line, with no digit in it.
fn bracketed_phrase(inside: &str) -> Option<&str> {
    let close = inside.find(')')?;
    let phrase = &inside[..close];
    let plain =
        close <= 40 && !phrase.contains('\n') && !phrase.bytes().any(|b| b.is_ascii_digit());
    plain.then_some(phrase)
}
