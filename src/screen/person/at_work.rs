//! A first name alone that the message gives a colleague's part, a
//! place's or a medicine's: the one who signs it ("… can send some to
//! Kirkstall if needed - Hamza"), who is asked or thanked ("ring Bola at
//! Peckham Pharmacy", "ask for Ade", "thank you to Adaeze"), who reports
//! or has moved on ("Grace at Alliance says the Movicol …", "now Owen has
//! moved to the ICB"), who is spoken to ("Tomasz please put away"), whose
//! shift it is ("Bilal nights"); a town ("Barry, Newport and Bridgend"); a
//! brand ("Yasmin seems fine"). The finder also gives a first name this
//! part when it does its own work, read as a full name's is
//! ([`super::working`]: "Eilidh is running the COPD clinic"), or when the
//! message is a rota.
//!
//! Such a name is [`Reference::AtWork`]: no warning on its own, but still a
//! first name for every rule that blocks, since a hostile review found
//! patients in each of these parts ("Kev at reception, wants to know why
//! his dose was cut", "Hana in Year 8 at Oakfield", "Shirley and Leslie at
//! Rose Court - both on lithium"). The cues are also read narrowly: a
//! patient speaks of themselves ("Kyle asked if we could give him
//! another"), is rung at home ("ring Doreen at home first"), moves to a
//! care home, is told ("bring your insulin pen") or texts the pharmacy
//! about their own medicine ("ran out of my inhalers\nDoreen").

use super::super::links::rest_of_message;
use super::super::{clinical, window_after, window_before};
use super::staff::sentence_after;
use super::{Reference, Word, chains, one_of, places, products};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// The reference for the first name alone at word `k` (no title): a
/// first name, or one the message gives a colleague's, a place's or a
/// brand's part.
/// `end` is where the message's own text ends ([`message_end`]).
///
/// [`message_end`]: super::super::links::message_end
pub(super) fn first_name(text: &str, end: usize, words: &[Word], k: usize) -> Reference {
    let w = &words[k];
    // To the message's own end: the decoded parts of its links come after.
    let rest = rest_of_message(text, end, w.end);
    let at_work = signs_off(text, w.start, rest)
        || signs_after_a_sentence(text, w.start, rest)
        || signs_with_a_workplace(text, w.start, rest)
        || thanks_at_the_end(text, rest, words, k)
        || asked_or_thanked(text, end, words, k) && !number_next(rest)
        || reports(text, words, k)
        || spoken_to(text, words, k)
        || on_shift(rest)
        || places::a_place_alone(text, words, k)
        || products::a_named_brand(text, words, k);
    if at_work {
        Reference::AtWork
    } else {
        Reference::Forename
    }
}

/// True when one of `these` (lower case) is a word of `phrase`.
fn has_word(phrase: &str, these: &[&str]) -> bool {
    phrase
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .any(|w| one_of(w, these))
}

/// Words of someone writing for a pharmacy or a team, in English and
/// Welsh: "we've got 4", "our branch", "mae gennym ni", "here".
const WE: &[&str] = &[
    "we", "we've", "we're", "we'll", "weve", "our", "us", "here", "ni", "gennym", "ein",
];

/// Words of someone writing of themselves or their family: a patient's
/// text signed with their name ("I've run out of insulin … Thanks, Doreen",
/// "Mum has had no warfarin … Cheers, Kelly").
const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "im", "ive", "my", "me", "myself", "mine", "mum", "dad",
    "mam",
    // The same in the languages members' patients write: Polish, Portuguese,
    // Romanian, Turkish ("Nu mai am insulină … Mulțumesc, Ioana").
    "mój", "moja", "moje", "mnie", "meu", "minha", "meus", "minhas", "eu", "mea", "ben", "benim",
];

/// The message ends with the name, after a dash or on a line of its own:
/// "… if needed - Hamza", "… 14 Ionawr. – Elin x". Not a text pasted from
/// a patient, who writes of themselves ([`FIRST_PERSON`]), nor a name after a colon ("please
/// chase:\nKyle").
fn signs_off(text: &str, start: usize, rest: &str) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    let led = before.ends_with(['-', '–', '—', '~'])
        || before.ends_with('\n') && !before.trim_end().ends_with(':');
    let after = rest.trim_start_matches([' ', '.', '!', ',']);
    let after = after
        .strip_prefix("xxx")
        .or_else(|| after.strip_prefix("xx"))
        .or_else(|| after.strip_prefix('x'))
        .filter(|a| !a.starts_with(char::is_alphanumeric))
        .unwrap_or(after);
    let ends = after.chars().all(|c| !c.is_alphanumeric());
    let said = before.trim_end_matches(['-', '–', '—', '~', '\n', ' ']);
    led && ends && said.len() > 1 && !has_word(said, FIRST_PERSON)
}

/// The message ends with the name, alone or with where they are, after a
/// sentence of its own: "… Ffoniwch os oes angen. Sioned", "… a leaflet
/// in Welsh too? Gethin, Lampeter". Not a text pasted from a patient, who
/// writes of themselves ([`FIRST_PERSON`]).
fn signs_after_a_sentence(text: &str, start: usize, rest: &str) -> bool {
    // Only the message's last words: a long rest is read no further (and
    // the text before is read for one name, not for every name).
    let before = text[..start].trim_end_matches(' ');
    let rest = rest.trim_end_matches(['.', '!', ' ', '\n']);
    if rest.len() > 80 || !before.ends_with(['.', '!', '?']) || before.len() <= 1 {
        return false;
    }
    let place = without_landline(rest.strip_prefix(", ").unwrap_or(rest));
    let words: Vec<&str> = clinical::words(place).map(|(_, w)| w).collect();
    let where_they_are = rest.is_empty()
        || rest.starts_with(", ")
            && (1..=4).contains(&words.len())
            && !place.contains(|c: char| c.is_ascii_digit() || c == '\n')
            && words
                .iter()
                .all(|w| w.starts_with(char::is_uppercase) || one_of(w, &["&", "and", "of", "y"]));
    // Not a care home's room or ward ("Doreen, Oak Lodge").
    let homes = [
        "lodge", "court", "house", "suite", "ward", "home", "hostel", "room",
    ];
    if !where_they_are || has_word(rest, &homes) {
        return false;
    }
    // Someone writing for a pharmacy or a team ("we've 31 residents on
    // DOACs", "mae gennym ni", "main issue here"), or replying ("Re switch
    // problems: …"), of no one in particular: not a carer's or a patient's
    // note about one person ("Refused evening meds again. Doreen").
    let opening = text.trim_start().get(..3).unwrap_or("");
    let reply = opening.eq_ignore_ascii_case("re ") || opening.eq_ignore_ascii_case("re:");
    (reply || has_word(before, WE)) && !of_someone(before, false) && !has_word(before, FIRST_PERSON)
}

/// The message ends with the name and the pharmacy they work at, in a
/// sentence of its own after an offer or a question: "Anyone got
/// Estradot? … Stephen at Murray's Chemist Larne", "… anyone else? Tim,
/// Hollowell Pharmacy", "anyone got dianette ?? - laura @ superdrug
/// swansea". A hostile review found patients in every looser form:
/// "Methadone script for Kevin at Boots Harehills", "… missed twice. Kevin
/// at Boots Harehills has been told", "Kevin at Boots Harehills, 07700 …",
/// and hospitals, schools and surgeries are where patients are.
pub(super) fn signs_with_a_workplace(text: &str, start: usize, rest: &str) -> bool {
    let Some(place) = [" at ", " @ ", ", ", " - ", " – ", " from "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
    else {
        return false;
    };
    // A pharmacy's name and landline are short: a long rest is no
    // signature, and is not read again for every name before it.
    if place.len() > 120 {
        return false;
    }
    let place = without_landline(place.trim_end_matches(['.', '!', ' ']));
    let words: Vec<&str> = clinical::words(place).map(|(_, w)| w).collect();
    // Only the pharmacy's name: capitalised, or a message all in lower case.
    let lower_case = !text.contains(char::is_uppercase);
    let a_name = (1..=5).contains(&words.len())
        && !place.contains(|c: char| c.is_ascii_digit() || c == '\n')
        && words
            .iter()
            .all(|w| lower_case || w.starts_with(char::is_uppercase) || w.len() <= 3);
    let before = text[..start].trim_end_matches(' ');
    let own_sentence = before.ends_with(['.', '?', '!', '\n', '-', '–', '—']);
    a_name
        && own_sentence
        && chains::names_a_pharmacy(place)
        && offers_or_asks(before)
        && !has_word(before, FIRST_PERSON)
}

/// `place` without a landline at its end ("Greenhill Pharmacy, Bangor 028
/// 9649 6677"): the pharmacy's (a mobile may be anyone's, and stays).
fn without_landline(place: &str) -> &str {
    let Some(at) = place.find(|c: char| c.is_ascii_digit() || c == '+') else {
        return place;
    };
    let number = &place[at..];
    let national = number
        .strip_prefix("+44")
        .map_or(number, |n| n.trim_start());
    let national = national.strip_prefix('0').unwrap_or(national);
    let landline = national.starts_with(['1', '2', '3'])
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')'));
    if landline {
        place[..at].trim_end_matches([' ', ','])
    } else {
        place
    }
}

/// True when `text` offers stock or asks for it: "Anyone got …?", "spare",
/// "in stock".
fn offers_or_asks(text: &str) -> bool {
    text.contains('?')
        || has_word(
            &text.to_lowercase(),
            &[
                "anyone",
                "anybody",
                "spare",
                "stock",
                "available",
                "have",
                "got",
                "need",
                "needs",
                "short",
            ],
        )
}

/// The message ends with thanks and the name, perhaps where they work:
/// "Dzięki, Marta - Boots Peterborough", "Thanks - Gethin, Fferyllfa'r
/// Bont, 029 2018 0456", "Obrigada, Inês". Nothing clinical follows, and
/// the writer does not write of themselves ([`FIRST_PERSON`]).
fn thanks_at_the_end(text: &str, rest: &str, words: &[Word], k: usize) -> bool {
    let w = &words[k];
    let before = text[..w.start].trim_end_matches([' ', ',', '-', '–', '—']);
    let thanked =
        k >= 1 && words[k - 1].end == before.len() && THANKS.contains(words[k - 1].folded);
    let short = rest.len() <= 100 && !rest.contains('\n');
    thanked
        && short
        && !clinical::words(rest).any(|(_, w)| clinical::is_clinical_word(w))
        && !has_word(before, FIRST_PERSON)
}

/// Words right before a name that thank a colleague or sign off, in the
/// languages members write, folded: "Dzięki Kasia", "Mulțumesc, Ioana".
#[rustfmt::skip]
pub(super) static THANKS: Vocabulary = Vocabulary::new(&[
    "dzieki", "dziekuje", "congratulations", "congrats", "ta", "thanks", "thank", "thankyou", "thx",
    "cheers", "regards", "diolch", "cofion", "multumesc", "obrigada", "obrigado", "tesekkurler",
    "gracias", "merci", "danke", "grazie", "shukran", "spasibo",
]);

/// Words right before a name that ask the reader to ring or text someone:
/// a colleague when where they work follows ("ring Bola at Peckham
/// Pharmacy", "text Neil on the shop mobile"), not a patient at home.
#[rustfmt::skip]
static PHONE_VERBS: Vocabulary = Vocabulary::new(&[
    "ring", "call", "phone", "text", "message", "whatsapp",
]);

/// The second of two words before a name that ask for a colleague or
/// thank one: "ask for Ade", "queries to Huw", "speak to Gemma".
#[rustfmt::skip]
static ASKED_FOR: Vocabulary = Vocabulary::new(&[
    "ask", "speak", "talk", "queries", "questions", "query", "thanks", "out", "done", "chat",
]);

fn asked_or_thanked(text: &str, end: usize, words: &[Word], k: usize) -> bool {
    let spaced = |a: &Word, b: &Word| text[a.end..b.start] == *" ";
    let before = |n: usize| k.checked_sub(n).map(|i| &words[i]);
    let thanked = before(1).is_some_and(|b| THANKS.contains(b.folded) && spaced(b, &words[k]));
    // "ring Bola at Peckham Pharmacy", "Ozturk Pharmacy have 4, call
    // Deniz": where they work follows, or the sentence named it before
    // and the name ends the message.
    let rest = rest_of_message(text, end, words[k].end);
    let named_before = || {
        if !rest.trim_end_matches(['.', '!', ' ']).is_empty() {
            return false;
        }
        // The sentence before, at most 300 bytes of it: not the whole text
        // again for every name ("ring Kasia ring Kasia …").
        let sentence = window_before(text, words[k].start, 300)
            .rsplit(['.', '!', '?', '\n'])
            .next()
            .unwrap_or("");
        chains::names_a_pharmacy_in(sentence)
            && offers_or_asks(sentence)
            && !of_someone(&sentence.to_lowercase(), true)
    };
    let rung = before(1).is_some_and(|b| PHONE_VERBS.contains(b.text) && spaced(b, &words[k]))
        && (at_a_workplace(rest) || named_before());
    let asked = k >= 2 && {
        let (first, second) = (&words[k - 2], &words[k - 1]);
        one_of(second.folded, &["for", "to", "with"])
            && ASKED_FOR.contains(first.folded)
            && spaced(first, second)
            && spaced(second, &words[k])
    };
    // "thank you to Adaeze".
    let thank_you = k >= 3
        && words[k - 3].folded == "thank"
        && words[k - 2].folded == "you"
        && words[k - 1].folded == "to";
    // "queries to Angharad or Huw": the second of two named so.
    let or_second = k >= 3
        && one_of(words[k - 1].folded, &["or", "and"])
        && text[words[k - 1].end..words[k].start] == *" "
        && asked_or_thanked(text, end, words, k - 2);
    thanked || rung || asked || thank_you || or_second
}

/// True when `rest`, after a name, says where they work: "at Peckham
/// Pharmacy", "from the Hub", "(MOT technician)", "on the shop mobile".
fn at_a_workplace(rest: &str) -> bool {
    if rest.starts_with(" (") {
        return true;
    }
    let lead = ["at ", "from ", "in "]
        .iter()
        .find_map(|p| rest.strip_prefix(' ').and_then(|r| r.strip_prefix(p)));
    let named_place = lead.is_some_and(|r| {
        let r = r.strip_prefix("the ").unwrap_or(r);
        r.starts_with(char::is_uppercase)
    });
    let work_phone = rest.strip_prefix(" on the ").is_some_and(|r| {
        has_word(
            window_after(r, 0, 12),
            &[
                "shop", "work", "office", "pharmacy", "practice", "team", "main",
            ],
        )
    });
    named_place || work_phone
}

/// True when a phone number follows the name: "ring Doreen on 07700 …" is
/// her number, whatever the verb.
fn number_next(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ',', '(', ':']);
    let rest = ["on ", "at ", "- ", "– "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '+')
}

/// Verbs a colleague reports with, right after the name or after where
/// they work: "Grace at Alliance says", "Siobhán said the DOB field …".
#[rustfmt::skip]
static REPORTS: Vocabulary = Vocabulary::new(&[
    "says", "said", "asked", "asking", "mentioned", "confirmed", "confirms", "reports",
    "reported", "reckons", "suggested", "suggests", "emailed", "forwarded", "circulated",
    "organised", "arranged",
]);

/// Words of someone speaking of themselves, or being spoken of: what a
/// patient reports ("Kev says somebody took it from his bag").
const SOMEONE: &[&str] = &[
    "he", "she", "him", "her", "his", "hers", "himself", "herself", "he's", "she's", "i", "i'm",
    "my", "me",
];

/// True when `phrase` speaks of someone ([`SOMEONE`]), or of "they" too
/// when `they` (after a pharmacy's name, "they" is the pharmacy).
fn of_someone(phrase: &str, they: bool) -> bool {
    has_word(phrase, SOMEONE) || they && has_word(phrase, &["they", "their", "them"])
}

/// What follows "has moved to" or "has left for" when a colleague moves
/// on: "Owen has moved to the ICB".
#[rustfmt::skip]
static WORKPLACES: Vocabulary = Vocabulary::new(&[
    "icb", "ccg", "trust", "hub", "pcn", "lpc", "lmc", "council", "office", "nhs", "board",
    "mot", "commissioning", "locality", "hb", "uhb", "cso", "team", "job", "role", "post",
]);

/// Workplaces after a name, one of which a colleague's workplace must
/// name: "Jo at Leigh Rd surgery", "Aisha at Dalston Junction Pharmacy"
/// (not "Kev at reception", "Arthur at Beech House Nursing Home", where
/// patients are).
#[rustfmt::skip]
static SITES: Vocabulary = Vocabulary::new(&[
    "surgery", "pharmacy", "chemist", "chemists", "practice", "branch", "dispensary", "store",
    "hub", "office",
]);

/// What follows "off" when a colleague is away: "off sick", "off today".
#[rustfmt::skip]
static ABSENT: Vocabulary = Vocabulary::new(&[
    "sick", "today", "tomorrow", "till", "until", "this", "next", "work", "shift", "rota",
]);

fn reports(text: &str, words: &[Word], k: usize) -> bool {
    let next = |n: usize| words.get(k + n).map(|w| w.folded);
    let is = |n: usize, these: &[&str]| next(n).is_some_and(|w| one_of(w, these));
    // Where they work, said between the name and the verb: "Aisha at
    // Dalston Junction Pharmacy says", "Jo at Leigh Rd surgery is off".
    let workplace = if is(1, &["at", "from", "in"]) {
        1 + (2..=6)
            .take_while(|&n| {
                words.get(k + n).is_some_and(|w| {
                    w.capital || SITES.contains(w.folded) || n == 2 && w.folded == "the"
                })
            })
            .count()
    } else {
        0
    };
    // A pharmacy, a branch: "they" after it is the pharmacy. Without one
    // the place is no workplace.
    let site = (2..=workplace).any(|n| SITES.contains(words[k + n].folded));
    let workplace = if site { workplace } else { 0 };
    // "Grace at Alliance says the …": the name, perhaps where they work,
    // then the verb, within four words (or after a pharmacy's name); and
    // nothing of their own after it.
    let said = (1..=4.max(workplace + 1)).find(|&n| {
        next(n).is_some_and(|w| REPORTS.contains(w)) && (n == 1 || is(1, &["at", "from", "in"]))
    });
    let reported = said.is_some_and(|n| !of_someone(sentence_after(text, words[k + n].end), !site));
    // "Ionela from the Spalding branch has 6 boxes", "… can transfer":
    // a branch's stock offered, not one's own ("some of her old
    // sertraline").
    let clause = sentence_after(text, words[k].end);
    let clause = &clause[..clause.find([',', '-', '–', ';']).unwrap_or(clause.len())];
    let offers = site
        && is(workplace + 1, &["has", "have", "can", "will"])
        && !has_word(clause, &["his", "her", "him", "my", "me"])
        && words.get(k + workplace + 1).is_some_and(|verb| {
            // (Numbers are no words here: read from the text.)
            text[verb.end..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
                || next(workplace + 2).is_some_and(|w| {
                    one_of(
                        w,
                        &["some", "spare", "stock", "transfer", "send", "lend", "drop"],
                    )
                })
        });
    // "now Owen has moved to the ICB", "Gareth's left?": moving on, to a
    // workplace or with nothing more said ("Doreen has moved to Rose Court
    // care home" is where a patient now lives).
    let contracted = possessive_base(words[k].text).is_some();
    let verb = if contracted { 1 } else { 2 };
    let moving = (contracted || is(1, &["has", "is", "was"]))
        && is(
            verb,
            &[
                "left", "leaving", "moved", "moving", "retired", "retiring", "gone",
            ],
        );
    let moved_on = moving && {
        let after = sentence_after(text, words[k + verb].end);
        let place = after.trim_start_matches(' ');
        let place = ["to the ", "to ", "for the ", "for "]
            .iter()
            .find_map(|p| place.strip_prefix(p));
        after.trim().is_empty()
            || place.is_some_and(|p| {
                p.split(|c: char| !c.is_alphanumeric())
                    .take(3)
                    .any(|w| WORKPLACES.contains(w))
            })
    };
    // "Jo's off sick today", "Kirsty is off till Monday": away from work.
    let w = workplace;
    let off = (contracted && is(1, &["off"]) || is(w + 1, &["is", "was"]) && is(w + 2, &["off"]))
        && (w + 1..=w + 3).any(|n| next(n).is_some_and(|w| ABSENT.contains(w)));
    // "Emma covering smears Weds", "Tom is covering the hub".
    let covering = is(w + 1, &["covering", "covers"])
        || is(w + 1, &["is", "will"]) && is(w + 2, &["covering", "cover"]);
    reported || offers || moved_on || off || covering
}

/// The message speaks to the named colleague: "Tomasz please put away",
/// "Kasia, can you …" ("for Doreen, can you check …" asks the reader, and
/// "Doreen please bring your insulin pen" a patient).
fn spoken_to(text: &str, words: &[Word], k: usize) -> bool {
    let w = &words[k];
    let rest = &text[w.end..];
    let before = text[..w.start].trim_end_matches([' ', '\t']);
    let opens = before.is_empty()
        || before.ends_with('\n')
        || k >= 1
            && one_of(
                words[k - 1].folded,
                &["hi", "hiya", "hello", "morning", "hey"],
            );
    let starts = |rest: &str, phrases: &[&str]| {
        phrases.iter().any(|p| {
            rest.get(..p.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(p))
        })
    };
    let direct = starts(rest, &[" please ", " pls ", " plz "]);
    let request = starts(
        rest.trim_start_matches([' ', ',', '-', '–']),
        &[
            "please ",
            "pls ",
            "can you",
            "could you",
            "would you",
            "are you",
        ],
    );
    let yours = has_word(
        sentence_after(text, w.end),
        &["your", "yours", "you're", "ur"],
    );
    (direct || opens && request) && !yours
}

/// Shift words straight after a name in a rota: "Bilal nights".
static SHIFTS: Vocabulary = Vocabulary::new(&["nights", "lates", "earlies", "twilights", "al"]);

fn on_shift(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let after = rest[word.len()..].trim_start_matches(' ');
    SHIFTS.contains(word) && (after.is_empty() || after.starts_with([',', ';', '.', '\n', '/']))
}
