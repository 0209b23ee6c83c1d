//! Towns, villages and homes after "in", "at", "from": "in Ballymena",
//! "near hawes" (typed in lower case, read from the lexicon's gazetteer),
//! "on the Broadfield estate", "lives above the chippy".

use super::super::one_of;
use super::{FLATS, LOCALITY_LEADS, ROOMS, YEARS, a_chain_s, year_group};
use crate::screen::lexicon::Vocabulary;
/// "in Ballymena", "at St Cadoc's", "from Tregaron", "outside Parkside
/// Primary": up to three capitalised words after "in", "at", "from",
/// "near", "outside" or "opposite", not a day or month.
pub(super) fn locality(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (i, w) = words[k];
    if let Some(last) = a_home(text, words, k) {
        return Some(last);
    }
    if !one_of(w, &LOCALITY_LEADS) {
        return None;
    }
    let mut last = None;
    for (j, &(s, word)) in words.iter().enumerate().skip(k + 1).take(3) {
        let previous_end = if j == k + 1 {
            i + w.len()
        } else {
            words[j - 1].0 + words[j - 1].1.len()
        };
        let spaced = text[previous_end..s].chars().all(|c| c == ' ');
        let capitalised = place_case(word);
        // "in much wenlock", "near hawes": a town typed in lower case.
        if j == k + 1 && spaced && !capitalised {
            return town_in_lower_case(text, words, j);
        }
        // "in Reception at …", "in Year 2": a school year, not a place.
        let year = year_group(word) || one_of(word, &YEARS);
        // "in Rm 11": a room, read as one.
        let room = one_of(word, &ROOMS) || one_of(word, &FLATS);
        // "Fwd from Lucy (PCN pharmacist)": who a message is from, where a
        // first name is no place (not "the lad from Stanley", "the man
        // from India").
        let sender = j == k + 1 && w.eq_ignore_ascii_case("from") && k > 0 && {
            let entry = super::super::lexicon::entry(&super::super::lexicon::fold(word));
            one_of(words[k - 1].1, &MESSAGES) && entry.forename && !entry.place
        };
        // "Dave at Boots Harehills": a branch, where someone works (not
        // "the lad who sits outside Tesco", where he begs).
        let branch = j == k + 1
            && w.eq_ignore_ascii_case("at")
            && a_chain_s(word)
            && k > 0
            && super::super::person::is_plain_forename(words[k - 1].1);
        if !spaced
            || !capitalised
            || branch
            || year
            || room
            || sender
            || CALENDAR.contains(word)
            || LANGUAGES.contains(word)
        {
            break;
        }
        last = Some(j);
    }
    last
}

/// The last word of a town's name written in lower case from word `j` (a
/// gazetteer's place of one to three words: "much wenlock", "llanddewi
/// brefi", "keswick"). Some word of it is no ordinary word of any language
/// ("reading", "street", "the point", "high moor") nor a first name ("at
/// barry").
fn town_in_lower_case(text: &str, words: &[(usize, &str)], j: usize) -> Option<usize> {
    use super::super::lexicon::{entry, fold, is_place_phrase};
    let lower = |w: &str| w.chars().all(|c| c.is_lowercase() || c == '-' || c == '\'');
    // (Nor a chain's, "the lady at rowlands", nor a short word that is
    // mostly something else: "in ae" is A&E.)
    let proper = |w: &str| {
        let e = entry(&fold(w));
        let ordinary = e.common || e.very_common || e.english || e.abroad || e.clinical;
        !(ordinary || e.forename || a_chain_s(w)) && w.len() >= 4
    };
    if words[j].1 == "the" {
        return None;
    }
    let mut phrase = String::new();
    let mut longest = None;
    let mut named = false;
    for (n, &(s, w)) in words.iter().enumerate().skip(j).take(3) {
        if !lower(w) || n > j && text[words[n - 1].0 + words[n - 1].1.len()..s] != *" " {
            break;
        }
        if n > j {
            phrase.push(' ');
        }
        phrase.push_str(&fold(w));
        named |= proper(w);
        if n > j && named && is_place_phrase(&phrase) {
            longest = Some(n);
        }
    }
    if longest.is_some() {
        return longest;
    }
    (entry(&fold(words[j].1)).place && proper(words[j].1)).then_some(j)
}

/// What is passed on from someone: "Fwd from Lucy", "message from Dev".
#[rustfmt::skip]
const MESSAGES: [&str; 12] = [
    "fwd", "fw", "forwarded", "message", "msg", "email", "e-mail", "note", "text", "reply",
    "update", "notes",
];

/// Where people live that names no town: "on the Broadfield estate", "at
/// the Bethany hostel" (not "our Mill Lane site": a workplace).
const HOMES: [&str; 5] = ["estate", "hostel", "farm", "flats", "camp"];

/// The last word of a home named after a preposition and "the", with one or
/// two capitalised words before what it is.
fn a_home(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    if let Some(last) = lives_there(text, words, k) {
        return Some(last);
    }
    let lead = one_of(words[k].1, &LOCALITY_LEADS) || one_of(words[k].1, &["on"]);
    if !lead
        || !words
            .get(k + 1)
            .is_some_and(|w| w.1.eq_ignore_ascii_case("the"))
    {
        return None;
    }
    (k + 3..=k + 4).find(|&end| {
        words.get(end).is_some_and(|w| one_of(w.1, &HOMES))
            && (k..end).all(|j| {
                let gap = &text[words[j].0 + words[j].1.len()..words[j + 1].0];
                gap == " " && (j + 1 == end || j + 1 == k + 1 || place_case(words[j + 1].1))
            })
    })
}

/// Where one person is said to live or sleep: "lives above the post office
/// in Kirkby Malzeard", "sleeps in the doorway by the old Woolworths" (not
/// "live": who lives somewhere is one person, who live there are many).
pub(super) const LIVES: [&str; 7] = [
    "lives", "sleeps", "sleeping", "stays", "lodges", "resides", "squats",
];
const WHERE: [&str; 9] = [
    "at", "in", "on", "above", "below", "behind", "opposite", "near", "by",
];

/// "lives above", "sleeps in": where one person lives, said (the verb is
/// the place's span); the words after are read as places of their own
/// ("lives at 12 Mill Lane" is a house address too, "lives on the Hollins
/// estate" a home).
fn lives_there(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    let next = words.get(k + 1)?;
    let joined = text[words[k].0 + words[k].1.len()..next.0] == *" ";
    (one_of(words[k].1, &LIVES) && one_of(next.1, &WHERE) && joined).then_some(k)
}

/// A place name's case: "Tregaron", "Betws-y-Coed", "Stratford-upon-Avon",
/// "Llanfihangel-y-Creuddyn"; not "NHS" or "McDonalds".
fn place_case(word: &str) -> bool {
    // "Q4", "B12": a quarter or a vitamin, not a place.
    let title = |part: &str| {
        part.starts_with(char::is_uppercase)
            && !part
                .chars()
                .skip(1)
                .any(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let particle = |part: &str| {
        one_of(
            part,
            &[
                "y", "yr", "on", "upon", "under", "le", "en", "by", "the", "de", "sur", "in",
                "cum", "la",
            ],
        )
    };
    // "Walk-In", "Drop-In" are services, not places.
    let service = word.ends_with("-In") || word.ends_with("-in");
    // "Pen-y-cae", "Bryn-y-maen": after "y", Welsh writes the last part in
    // small letters too (not "Nurse-in-charge", "Drop-in-centre").
    let small = |part: &str| part.len() > 1 && part.chars().all(|c| c.is_lowercase());
    let parts: Vec<&str> = word.split('-').collect();
    !service
        && title(parts[0])
        && parts.windows(2).all(|pair| {
            let [before, part] = pair else { return false };
            title(part) || particle(part) || one_of(before, &["y", "yr"]) && small(part)
        })
}

/// Capitalised words after "in" or "at" that are times, not places.
#[rustfmt::skip]
static CALENDAR: Vocabulary = Vocabulary::new(&[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christmas", "easter", "the", "a", "an", "our", "your",
]);

/// Capitalised words after "in" that are a language or a format, not a
/// place: "leaflets now in Polish, Romanian, Urdu", "in Easy Read".
#[rustfmt::skip]
static LANGUAGES: Vocabulary = Vocabulary::new(&[
    "albanian", "amharic", "arabic", "bengali", "bsl", "braille", "bulgarian", "cantonese",
    "chinese", "czech", "dari", "easy", "english", "farsi", "french", "german", "greek",
    "gujarati", "hindi", "hungarian", "italian", "kurdish", "latvian", "lithuanian",
    "malayalam", "mandarin", "nepali", "pashto", "persian", "polish", "portuguese", "punjabi",
    "romanian", "russian", "slovak", "somali", "spanish", "swahili", "tamil", "tigrinya",
    "turkish", "twi", "ukrainian", "urdu", "vietnamese", "welsh", "yoruba", "gaelic", "irish",
    "large",
]);
