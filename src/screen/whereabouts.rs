//! Where someone lives or can be found: a house number and street ("3
//! Orchard Way", "no. 27 the Crescent", "number 30 station road", "flat
//! 4B"), a street named as someone's ("on Cherry Tree Lane"), a room or bed
//! ("room 31", "rm 14 at Cedar Lodge", "bed 3 on Heron ward") and a school
//! year ("Year 4 at St Mary's", "the Y6 girl", "P3 pupil").
//!
//! A business's address is not a person's: "Riverside Pharmacy, 12 High
//! Street" and "Unit 4, Parkway" are left alone, as are meeting and
//! consulting rooms.

use super::tokens::Token;
use super::{one_of, window_after, window_before};
use crate::screen::lexicon::{Openings, Vocabulary};

/// What a span says of someone's whereabouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A house number and street, a flat: singles out a household.
    Address,
    /// A street named without a number: narrows, does not single out.
    Street,
    /// A room or bed in a home or on a ward: singles out a resident.
    Room,
    /// A prison cell ("cell 22", "cell 3-14").
    Cell,
    /// A school year group.
    School,
    /// A town, village or named place: "in Ballymena", "at St Cadoc's".
    Locality,
}

/// Street words after a house number: "8 Church Lane", "3 The Crescent".
#[rustfmt::skip]
static STREETS: Vocabulary = Vocabulary::new(&[
    "avenue", "ave", "close", "court", "crescent", "croft", "drive", "end", "estate", "fold",
    "gardens", "gate", "green", "grove", "hill", "lane", "ln", "meadows", "mews", "parade",
    "park", "place", "rd", "rise", "road", "row", "square", "st", "street", "terrace", "vale",
    "view", "walk", "way", "wharf", "yard", "flats", "towers", "bungalows", "cottages",
    "apartments", "maisonettes", "heights", "ct", "cl", "cres", "gdns", "tce", "sq",
]);

/// Welsh street words, which come before the street's name: "Heol y Bryn".
static WELSH_STREETS: Vocabulary = Vocabulary::new(&[
    "heol", "ffordd", "stryd", "lon", "teras", "cilgant", "rhodfa", "cwrt", "llys", "maes", "clos",
    "parc",
]);

/// True for a street word of either language.
pub(super) fn street_word(word: &str) -> bool {
    STREETS.contains(word) || WELSH_STREETS.contains(word)
}

/// Words near an address that make it a business's (with a chain's name,
/// [`a_business_s`]).
#[rustfmt::skip]
static BUSINESSES: Vocabulary = Vocabulary::new(&[
    "us", "our", "we", "center", "centre", "chemist", "chemists", "church", "clinic",
    "health", "hospital", "hub", "icb", "limited", "ltd", "medical",
    "office", "pharmacy", "practice", "surgery", "unit", "venue", "branch", "store",
]);

/// The sender's words: before an address or a number they make it the
/// sender's business ("our new premises at 17 Brook Street"); after it
/// they say what the sender does there ("the gent at 17 Brook Street we
/// dress on Tuesdays", "BB2 9ZZ – moving from us to Boots").
const SENDER: [&str; 3] = ["our", "we", "us"];

/// True when `word`, before an address or a number (or `after` it), makes
/// it a business's.
fn a_business_s(word: &str, after: bool) -> bool {
    BUSINESSES.contains(word) && !(after && one_of(word, &SENDER))
}

/// True when `word` is a pharmacy chain's name: right before an address
/// ("Cohens on Harehills Lane") or anywhere before a phone number ("Boots
/// Headingley: ring their manager on …"); a chain further off, or after
/// an address, is a landmark ("41 Kirkstall Road opposite Morrisons").
fn a_chain_s(word: &str) -> bool {
    super::person::is_chain(word)
}

/// Words after a room number that make it a place of work: "room 31 of the
/// education centre".
#[rustfmt::skip]
static WORK_PLACES: Vocabulary = Vocabulary::new(&[
    "centre", "center", "clinic", "education", "floor", "library", "meeting", "office",
    "pharmacy", "surgery", "training", "fridge", "practice",
    // A Welsh centre: "(room 3), Canolfan Iechyd Llangefni".
    "canolfan",
]);

/// Year groups: "year 4", "yr 9", "Y6", "P3", "S2", "reception",
/// "nursery" (a school's own class for under-fives).
fn year_group(word: &str) -> bool {
    let b = word.as_bytes();
    let short = b.len() >= 2
        && b.len() <= 3
        && matches!(b[0], b'Y' | b'P' | b'S' | b'y')
        && b[1..].iter().all(u8::is_ascii_digit);
    short || one_of(word, &YEAR_WORDS)
}

/// School words after "at": "St Mary's", "Abbeyfield Primary", "Tŷ Gwyn High".
#[rustfmt::skip]
static SCHOOLS: Vocabulary = Vocabulary::new(&[
    "academy", "college", "high", "infants", "juniors", "nursery", "primary", "school", "ysgol",
    "scoil", "sgoil", "infant", "junior", "secondary", "grammar",
]);

/// Every place in `text` (whose words are `tokens`) that could single
/// someone out, in order.
pub(super) fn find(text: &str, tokens: &[Token]) -> Vec<(Place, usize, usize)> {
    let words: Vec<(usize, &str)> = tokens.iter().map(|t| (t.start, t.text)).collect();
    let mut found = Vec::new();
    let mut k = 0;
    while k < words.len() {
        // A street listed after a comma opens at any capitalised word:
        // only that rule is tried there, the others open at their leads.
        let hit = if may_open(text, &words, k) {
            house(text, &words, k)
                .or_else(|| houses::named_house(text, &words, k))
                .or_else(|| houses::key_safe(&words, k))
                .map(|last| (Place::Address, last))
                .or_else(|| {
                    room(text, &words, k).map(|last| {
                        let cell = words[k].1.eq_ignore_ascii_case("cell");
                        (if cell { Place::Cell } else { Place::Room }, last)
                    })
                })
                .or_else(|| school(tokens, &words, k).map(|last| (Place::School, last)))
                .or_else(|| street(&words, k).map(|last| (Place::Street, last)))
                .or_else(|| locality(text, &words, k).map(|last| (Place::Locality, last)))
        } else {
            None
        }
        .or_else(|| listed_street(text, &words, k).map(|last| (Place::Street, last)));
        match hit {
            Some((place, last)) => {
                let (start, end) = (words[k].0, words[last].0 + words[last].1.len());
                let business = if matches!(place, Place::Room | Place::Cell) {
                    // "room 4 at the surgery"; not "Rm 9 - Bill - pharmacy
                    // sent …", where a dash ends the room's words.
                    let mut at = end;
                    words
                        .iter()
                        .skip(last + 1)
                        .take(5)
                        .take_while(|&&(s, w)| {
                            let joined = !text[at..s].contains(['-', '–', ':', '\n']);
                            at = s + w.len();
                            joined
                        })
                        .any(|(_, w)| WORK_PLACES.contains(w))
                        || consulting(text, &words, k)
                } else {
                    // "the lady in Much Wenlock asked us": a pronoun after a
                    // town is the sender, not the place's business.
                    let after = if place == Place::Locality { 0 } else { 2 };
                    business_near(&words, k, last, after)
                };
                if !business {
                    found.push((place, start, end));
                }
                k = last + 1;
            }
            None => k += 1,
        }
    }
    found
}

/// The words that lead a place, as the recognisers below read them: a
/// house number ("no. 27", "number 30"), a flat, a room, a school year, a
/// street after a preposition, a town after one.
const HOUSE_NUMBER_LEADS: [&str; 3] = ["no", "number", "num"];
const FLATS: [&str; 4] = ["flat", "plot", "apartment", "apt"];
/// A prison cell is where its one occupant lives, as a care home's room is.
pub(super) const ROOMS: [&str; 4] = ["room", "rm", "bed", "cell"];
/// A school year, in English and Welsh ("Blwyddyn 8", mutated "ym
/// Mlwyddyn 6", "ei flwyddyn").
pub(super) const YEARS: [&str; 5] = ["year", "yr", "blwyddyn", "mlwyddyn", "flwyddyn"];
const YEAR_WORDS: [&str; 2] = ["reception", "nursery"];
const STREET_LEADS: [&str; 6] = ["on", "in", "at", "off", "from", "of"];
const LOCALITY_LEADS: [&str; 6] = ["in", "at", "from", "near", "outside", "opposite"];

/// The first two letters of every word that leads a place.
const LEAD_OPENINGS: Openings = Openings::of_lists(&[
    &HOUSE_NUMBER_LEADS,
    &FLATS,
    &ROOMS,
    &YEARS,
    &YEAR_WORDS,
    &STREET_LEADS,
    &LOCALITY_LEADS,
    &LIVES,
    &["keysafe", "key"],
]);

/// True when a place can start at word `k`: every one starts at a number,
/// a year group, a what3words address or a word that leads one (most words
/// are turned away by their first two letters).
fn may_open(text: &str, words: &[(usize, &str)], k: usize) -> bool {
    let (i, w) = words[k];
    let b = w.as_bytes();
    b[0].is_ascii_digit()
        || LEAD_OPENINGS.may_open(b)
        || year_group(w)
        || text[..i].ends_with("///")
}

/// "Year 4 at St Mary's", "the Y6 girl", "P3 pupil", "year 9 lad at …",
/// "Gemma in yr 11 at St Aidan's": a year group said of one pupil (a person
/// word follows, or a first name and "in" come before and a named place
/// after) or of a school.
fn school(tokens: &[Token], words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (_, w) = words[k];
    let mut last = k;
    if one_of(w, &YEARS) {
        let (_, n) = *words.get(k + 1)?;
        if !(n.len() <= 2 && n.bytes().all(|c| c.is_ascii_digit())) {
            return None;
        }
        last = k + 1;
    } else if !year_group(w) {
        return None;
    }
    let pupil = words.get(last + 1).is_some_and(|(_, n)| {
        one_of(
            n,
            &[
                "boy", "girl", "child", "pupil", "lad", "lass", "student", "kid",
            ],
        )
    });
    // "… yr 7 at St Aidan's High", or the school's name first: "Ysgol Bro
    // Cennen yr 7", "St Mary's Primary Year 4".
    // In lower case too: "at hillcrest academy yr 9", "at st bedes yr 11".
    let before = &words[k.saturating_sub(4)..k];
    // (Not "Sandra at st lukes reception": a desk.)
    let school_before = before.iter().any(|(_, n)| SCHOOLS.contains(n))
        || !one_of(w, &YEAR_WORDS)
            && matches!(before, [.., (_, at), (_, saint), _] if *at == "at" && one_of(saint, &["st", "saint"]));
    let at_school = school_before
        || words
            .iter()
            .skip(last + 1)
            .take(5)
            .any(|(_, n)| SCHOOLS.contains(n));
    // "Gemma in yr 11 at St Aidan's" (not "Priya in year 4 of her MPharm",
    // "Ellie in Year 10 is doing work experience").
    let at_a_named_place = words.get(last + 1).is_some_and(|(_, w)| *w == "at")
        && words
            .get(last + 2)
            .is_some_and(|(_, w)| w.starts_with(char::is_uppercase));
    let named = k >= 2
        && words[k - 1].1 == "in"
        && tokens[k - 2].entry.forename
        && tokens[k - 2].text.starts_with(char::is_uppercase)
        && at_a_named_place;
    (pupil || at_school || named).then_some(last)
}

/// "on Cherry Tree Lane", "on Market St": a street after "on", "in" or
/// "at", capitalised words ending in a street word.
fn street(words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (_, w) = words[k];
    if !one_of(w, &STREET_LEADS) {
        return None;
    }
    // "at the end of Tullyhogue Road", "the top of Mill Lane": "of" leads a
    // street only after where on it.
    if w == "of"
        && !k
            .checked_sub(1)
            .is_some_and(|p| one_of(words[p].1, &["end", "top", "bottom", "corner", "side"]))
    {
        return None;
    }
    for j in k + 1..(k + 5).min(words.len()) {
        let (_, s) = words[j];
        // "on the Crescent"
        let article = j == k + 1 && s == "the";
        if j == k + 1 && s.starts_with(char::is_lowercase) && !article {
            return street_in_lower_case(words, j);
        }
        if !s.starts_with(char::is_uppercase) && !article {
            return None;
        }
        if article {
            continue;
        }
        // "on Ffordd Las", "at Heol y Bryn": a Welsh street word comes first.
        if j == k + 1 && WELSH_STREETS.contains(s) {
            let name = words[j + 1..(j + 3).min(words.len())]
                .iter()
                .position(|(_, n)| n.starts_with(char::is_uppercase));
            if let Some(n) = name.filter(|&n| n == 0 || one_of(words[j + 1].1, &["y", "yr"])) {
                return Some(j + 1 + n);
            }
        }
        let named = j > k + 1 && (j > k + 2 || words[k + 1].1 != "the");
        if street_word(s) && named {
            return Some(j);
        }
        // "on the Crescent", "at the Mews": a street word as the name.
        if words[k + 1].1 == "the" && j == k + 2 && street_word(s) {
            return Some(j);
        }
    }
    None
}

/// Street words that say a street in lower case too, where most street
/// words are ordinary ones ("on the way", "at the park", "kew gardens",
/// "civvy street", "ring road"): the short ones.
static SHORT_STREETS: Vocabulary =
    Vocabulary::new(&["rd", "st", "ln", "ave", "cres", "tce", "gdns"]);

/// The street word ending a street typed in lower case from word `j`:
/// one or two words of its name and a street word ("on windermere rd",
/// "bridge st"), not a determiner's ("on our road", "in this street").
fn street_in_lower_case(words: &[(usize, &str)], j: usize) -> Option<usize> {
    use super::lexicon::{fold, is_place_phrase};
    // (Not "pt on sertraline wants St John's Wort": a medicine, a verb
    // and a saint; not "boots st helens": a chain in a town named after
    // one.)
    let name = |w: &str| {
        w.starts_with(char::is_lowercase)
            && !DETERMINING.contains(w)
            && !SHORT_STREETS.contains(w)
            && !super::clinical::is_clinical_word(w)
            && !a_chain_s(w)
    };
    let saint = |n: usize| {
        words[n].1 == "st"
            && words
                .get(n + 1)
                .is_some_and(|(_, next)| is_place_phrase(&format!("st {}", fold(next))))
    };
    (j + 1..=j + 2)
        .take_while(|&n| n < words.len() && (j..n).all(|i| name(words[i].1)))
        .find(|&n| {
            let w = words[n].1;
            SHORT_STREETS.contains(w) && !saint(n) && w.starts_with(char::is_lowercase)
        })
}

/// Words that make a street anyone's ("the road", "every street") or the
/// writer's ("our road").
#[rustfmt::skip]
static DETERMINING: Vocabulary = Vocabulary::new(&[
    "the", "a", "an", "our", "my", "his", "her", "their", "your", "this", "that", "every",
    "each", "any", "same", "main", "high", "one", "no", "which", "what",
]);

/// "elderly gent, 90s, Cranbrook Street, diabetic": a street listed
/// between commas, as notes list where someone lives: one to three
/// capitalised words and a street word, closing its part of the list.
fn listed_street(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    if !text[..words[k].0].ends_with(", ") {
        return None;
    }
    for j in k..(k + 4).min(words.len()) {
        let (at, s) = words[j];
        if !s.starts_with(char::is_uppercase) || j > k && text[..at].ends_with(", ") {
            return None;
        }
        if j > k && street_word(s) {
            let rest = &text[at + s.len()..];
            let closes = rest.is_empty() || rest.starts_with([',', '.', ';', '\n', ' ']);
            let next_part = rest.trim_start_matches(' ');
            // Not "Cranbrook Street surgery", nor "Medicines Governance
            // Team - new number …, Linenhall St": an organisation's.
            let ends_part = next_part.is_empty()
                || next_part.starts_with([',', '.', ';', '\n', '-', '–'])
                || number_after_street(next_part);
            let organisation = organisation_near(text, words[k].0, at + s.len());
            return (closes && ends_part && !organisation).then_some(j);
        }
    }
    None
}

/// True when `rest` (after a street's word) opens with its house number
/// as much of Europe writes it: "Carlton Rd nr. 9,", "Strada Mare no 12".
fn number_after_street(rest: &str) -> bool {
    let Some(lead) = ["nr.", "nr", "no.", "no"].iter().find(|l| {
        rest.get(..l.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(l))
    }) else {
        return false;
    };
    let number = rest[lead.len()..].trim_start_matches(' ');
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    (1..=4).contains(&digits)
        && number[digits..]
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ',' | '.' | ';' | ' ' | '\n'))
}

/// True when a clinician is named in the four words before the room at
/// word `k`, on its line: "Dr Okonjo is in Room 3 on Tuesdays".
fn consulting(text: &str, words: &[(usize, &str)], k: usize) -> bool {
    // Only the words' own gaps are read for the line's end: a long line is
    // not read again for every room on it.
    words[k.saturating_sub(4)..k].iter().any(|&(s, w)| {
        !text[s..words[k].0].contains('\n')
            && one_of(w, &["dr", "doctor", "nurse", "pharmacist", "gp", "physio"])
    })
}

/// A business word among the four words before or the `after` after
/// ([`a_business_s`]).
fn business_near(words: &[(usize, &str)], first: usize, last: usize, after: usize) -> bool {
    let before = &words[first.saturating_sub(4)..first];
    let mut after = words.iter().skip(last + 1).take(after);
    // "our young lad on Fernhill Road": "our" is the person's, not a
    // business's, when someone is named between.
    let someone = before.iter().any(|(_, w)| super::person::is_person_noun(w));
    // "Elm Tree Court Care Home, 48 Station Road": a home's own address
    // right after its name.
    // Named, so in capitals ("he left the residential home, 22 Station
    // Road" is where he lives now).
    let a_home_s = first >= 2
        && words[first - 1].1 == "Home"
        && ["Care", "Nursing", "Residential"].contains(&words[first - 2].1);
    // "Cohens 41 Kirkstall Road", "Lloyds at 4 Nelson Square".
    // (Not "Mrs Rowlands at 23 Gladstone Street": her surname.)
    let chain_before = match before {
        [.., (_, title), (_, _), (_, _)] if super::person::is_title(title) => false,
        [.., (_, chain), (_, at)] if one_of(at, &["at", "on", "in"]) => a_chain_s(chain),
        [.., (_, chain)] => a_chain_s(chain),
        [] => false,
    };
    a_home_s
        || chain_before
        || before
            .iter()
            .any(|(_, w)| a_business_s(w, false) && !(someone && one_of(w, &SENDER)))
        || after.any(|(_, w)| a_business_s(w, true))
}

/// "call the MASH on 0117 …", "SPA on 0161 …": a service named by its
/// initials right before "on" and a number (not a name or a word in
/// capitals, "his MUM on", unless after "the", nor a label such as "MOB").
fn service_before(text: &str, start: usize) -> bool {
    // The last three words before the number, without collecting them.
    let mut last = [""; 3];
    for (_, w) in super::clinical::words(window_before(text, start, 16)) {
        last = [last[1], last[2], w];
    }
    let [the, acronym, on] = last;
    let article = the.eq_ignore_ascii_case("the");
    if on != "on" {
        return false;
    }
    // "the MASH" is a service; "Mr KOWALSKI" a name.
    let name = || {
        let entry = super::lexicon::entry(&super::lexicon::fold(acronym));
        entry.forename || entry.surname
    };
    (3..=6).contains(&acronym.len())
        && acronym.bytes().all(|b| b.is_ascii_uppercase())
        && (article || !name())
        // "his MUM on …", "call NAN on …", "MOB on …": whose number it is.
        && !super::person::says_whose(acronym)
        // "about her HRT on 07700 …" is her medicine, not a service.
        && !super::clinical::is_clinical_abbreviation(acronym)
        && !one_of(acronym, &["HOME", "PHONE", "TEL"])
}

/// Words near a phone number or postcode that make it an organisation's:
/// "the surgery postcode is …", "Dr Okafor's work mobile …".
#[rustfmt::skip]
static ORGANISATION: Vocabulary = Vocabulary::new(&[
    "bleep", "desk", "helpline", "hotline", "line", "office", "pcn", "reception", "switchboard",
    "team", "work", "ods", "sat", "nav", "navs", "drivers", "venue", "depot", "claim", "duty",
    "on-call", "oncall", "mot", "rota", "queries", "branch", "branches", "store", "premises",
    "shop",
    // "ext 4471 or 0113 …": a switchboard's extension; "her secretary is on".
    "ext", "extension", "secretary",
    // A Welsh health board ("Bwrdd Iechyd …"; not "board": "Board round
    // - Gareth on apixaban, 07700 …").
    "bwrdd", "iechyd",
]);

/// True when a business or organisation word is within a few words of
/// `start..end`: a pharmacy's phone, a surgery's postcode.
pub(super) fn organisation_near(text: &str, start: usize, end: usize) -> bool {
    if service_before(text, start) {
        return true;
    }
    let before: Vec<&str> = super::clinical::words(window_before(text, start, 50))
        .map(|(_, w)| w)
        .collect();
    let mut after = super::clinical::words(window_after(text, end, 30)).map(|(_, w)| w);
    // A chain's name before a phone number is the branch's ("Boots
    // Headingley: ring their manager on …").
    before
        .iter()
        .any(|w| a_business_s(w, false) || ORGANISATION.contains(w) || a_chain_s(w))
        || after.any(|w| a_business_s(w, true) || ORGANISATION.contains(w))
}

mod houses;
mod rooms;
#[cfg(test)]
mod tests;
mod towns;

use houses::house;
use rooms::room;
use towns::{LIVES, locality};
