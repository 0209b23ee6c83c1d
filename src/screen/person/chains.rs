//! Pharmacies by their chain's name and branch ("Boots Merthyr 10-4",
//! "Lloyds Pontypridd closed"), and the words that say a phrase names a
//! pharmacy or a workplace.

use super::super::clinical;
use super::super::whereabouts::street_word;
use super::places::{CHAINS, pharmacy_word, said_of_someone};
use super::{Word, one_of};
use crate::screen::lexicon::is_place_phrase;

/// True when the name at words `first..=last` is a chain's branch, named by
/// its place: "Boots Merthyr 10-4", "Lloyds Pontypridd closed", "Boots
/// Victoria Sq 028 …", "Boots Inverness Eastgate". After the chain comes a
/// place: opening hours, or no name of the lexicon unless a street word
/// follows ("Victoria Sq"); a hostile review hid patients behind "Rowlands
/// Pugh, E.", "Boots Dilwyn Morgan" and "Boots Goronwy Bevan".
pub(super) fn a_chain_s_branch(
    text: &str,
    words: &[Word],
    first: usize,
    last: usize,
    titled: bool,
) -> bool {
    let chain = !titled
        && last > first
        && words[first].title_case
        && CHAINS.contains(words[first].folded)
        && text[words[first].end..words[first + 1].start] == *" ";
    let place = || {
        let rest = &words[first + 1..=last];
        let after = words.get(last + 1);
        let street_next =
            after.is_some_and(|w| street_word(w.text) && w.start == words[last].end + 1);
        let folded: Vec<&str> = rest.iter().map(|w| w.folded).collect();
        // A town that is a first name too is the branch's only after a word
        // that says a place comes, with nothing said of anyone after it
        // ("via Boots Hyde on the PGD"; "Rowlands Dilwyn has run out of his
        // apixaban", "Boots Hyde needs insulin tonight" are patients).
        let led = first
            .checked_sub(1)
            .is_some_and(|p| one_of(words[p].folded, &["via", "at", "from", "to", "in"]));
        let branch = || led && !said_of_someone(text, words, last);
        let known = match rest {
            [one] => one.is_place && (!one.is_forename || branch()),
            _ => is_place_phrase(&folded.join(" ")),
        };
        rest.iter().all(|w| w.title_case && !w.initial())
            && (street_next || known || !rest.iter().any(|w| w.is_forename || w.is_surname))
    };
    chain
        && (last == first + 1 && opening_hours(&text[words[last].end..])
            || place()
            || landline_next(&text[words[last].end..])
                && !words[first + 1..=last].iter().any(|w| w.is_forename))
}

/// True when `rest` opens with a landline, set off by a dash or a colon:
/// a stockist list's "Boots Kirkstall Bridge - 0113 496 0456" (a mobile
/// may be anyone's).
fn landline_next(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '-', '–', ':']);
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();
    digits.len() >= 10 && (digits.starts_with("01") || digits.starts_with("02"))
}

/// True when the first few words of `phrase` name a pharmacy: "Murray's
/// Chemist Larne", "Fferyllfa Pentre", "Lloydspharmacy Ripon", a chain
/// ("Rowlands Pwllheli", "superdrug swansea"). Not a hospital, a school
/// or a surgery, where patients are too.
pub(super) fn names_a_pharmacy(phrase: &str) -> bool {
    clinical::words(phrase)
        .take(5)
        .any(|(_, w)| pharmacy_word(w))
}

/// True when a capitalised word of `sentence` names a pharmacy
/// ([`names_a_pharmacy`]): "Ozturk Pharmacy Green Lanes have 4 …".
pub(super) fn names_a_pharmacy_in(sentence: &str) -> bool {
    clinical::words(sentence).any(|(_, w)| w.starts_with(char::is_uppercase) && pharmacy_word(w))
}

/// True when `rest` opens with opening hours: "10-4", "9.30–5", "10am to
/// 2pm", "closed", "open".
fn opening_hours(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ':']);
    let word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    if one_of(word, &["closed", "open", "shut"]) {
        return true;
    }
    let time = |t: &str| {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let mut at = digits;
        if t[at..].starts_with([':', '.']) {
            at += 1 + t[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
        }
        let at = at
            + t[at..]
                .get(..2)
                .filter(|m| one_of(m, &["am", "pm"]))
                .map_or(0, str::len);
        (1..=2).contains(&digits).then_some(at)
    };
    let Some(end) = time(rest) else {
        return false;
    };
    let between = rest[end..].trim_start_matches(' ');
    let after = ["-", "–", "to "]
        .iter()
        .find_map(|d| between.strip_prefix(d))
        .map(|a| a.trim_start_matches(' '));
    after.is_some_and(|a| time(a).is_some())
}
