//! People described rather than named: "the old chap", "her son", "the
//! resident in room 31", a household at a street and a child of it.

use super::super::ages;
use super::super::clinical::is_clinical_abbreviation;
use super::super::lexicon::possessive_base;
// A school year names a pupil as a noun: "a Year 9", "the only Yr 10".
use super::super::whereabouts::YEARS;
use super::{DETERMINERS, OCCUPATIONS, PERSON_NOUNS, RELATIVES, Reference, Word, one_of};
use crate::screen::lexicon::Vocabulary;

/// The words [`described`] can read a person at: a person noun, a job, a
/// relative, "patient", or a household word. The lexicon marks them
/// (`lexicon::Entry::opens_description`), so that the probe every word
/// has answers this too.
pub(in crate::screen) fn openers() -> impl Iterator<Item = &'static str> {
    let lists: [&[&'static str]; 7] = [
        PERSON_NOUNS.words(),
        OCCUPATIONS.words(),
        RELATIVES.words(),
        &["patient"],
        &CHILD_IN_A_HOUSEHOLD,
        &HOUSEHOLDS,
        &YEARS,
    ];
    lists.into_iter().flatten().copied()
}

/// Jobs one person holds in a small place, which a description names them
/// by: "the ferryman on Lismore", "the coxswain of the New Quay lifeboat",
/// "the principal at Glenariff PS" (the jobs a description opens at
/// anywhere, "vicar", "landlord", are `OCCUPATIONS`). Most are ordinary words elsewhere
/// ("the keeper of the CD register"), so they stand for someone only
/// where a message says someone's health (see [`job_in_a_place`]).
#[rustfmt::skip]
static JOBS: Vocabulary = Vocabulary::new(&[
    "principal", "coxswain", "ferryman", "barman", "barmaid", "bartender", "keeper",
    "gamekeeper", "postmistress", "postmaster", "harbourmaster", "driver", "chef", "cook",
    "shepherd", "fisherman", "minister", "verger", "organist", "churchwarden", "grocer",
    "newsagent", "plumber", "electrician", "mechanic", "lifeguard", "ranger", "warden",
    "janitor", "barber", "hairdresser", "butcher", "baker", "florist", "greengrocer",
    "cleaner", "owner", "student", "lecturer", "coach", "captain", "skipper", "porter",
    "doorman", "bouncer", "fireman", "firefighter", "policeman", "nun", "monk", "pastor",
    "reverend", "deacon", "magistrate", "solicitor", "vet", "lollipop", "receptionist",
    "crofter", "ghillie", "stalker", "boatman", "lockkeeper", "signalman", "stationmaster",
    "user", "seller",
]);

/// The jobs [`job_in_a_place`] reads, for the lexicon's flag.
pub(in crate::screen) fn jobs() -> impl Iterator<Item = &'static str> {
    JOBS.words().iter().copied()
}

/// "the ferryman on Lismore", "the retired lighthouse keeper on Fair
/// Isle", "our barman at the Red Lion": "the" (or "our", "local") and at
/// most two words before a job, and where it is held right after. Read
/// only where the message says someone's health, and as one job's holder
/// ([`Reference::Held`]): with health said it blocks, with a medicine's
/// name alone it does not ("the driver from Phoenix has the insulin").
pub(super) fn job_in_a_place(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let w = &words[k];
    if !w.job {
        return None;
    }
    let determined = (1..=3).filter_map(|b| k.checked_sub(b)).any(|d| {
        one_of(words[d].folded, &HOLDERS)
            && !text[words[d].end..w.start].contains([',', '.', ';', ':', '\n', '(', ')'])
    });
    (determined && held_at(text, words, k, &["opposite", "near"])).then_some((Reference::Held, k))
}

/// Words before a job that make its holder one person: "the landlord",
/// "our postie", "local councillor".
const HOLDERS: [&str; 4] = ["the", "that", "our", "local"];

/// Where a job is held, said right after its word: "of the Red Lion", "at
/// Kirkhill primary", "on Lismore".
const HELD_AT: [&str; 7] = ["of", "at", "outside", "for", "in", "on", "from"];

/// True when where the job at word `k` is held follows it ([`HELD_AT`], or
/// one of `more`), and is one place (not "the vicar of a rural parish", "a
/// teacher at any school").
fn held_at(text: &str, words: &[Word], k: usize, more: &[&str]) -> bool {
    let indefinite = |at: usize| {
        words
            .get(at + 1)
            .is_some_and(|p| one_of(p.folded, &["a", "an", "any", "every", "each", "some"]))
    };
    words.get(k + 1).is_some_and(|n| {
        (one_of(n.folded, &HELD_AT) || one_of(n.folded, more))
            && text[words[k].end..n.start] == *" "
    }) && !indefinite(k + 1)
}

/// Services named after whom they are for: "Child flu", "Resident
/// parking", "Pensioner lunch club".
#[rustfmt::skip]
static SERVICES_FOR: Vocabulary = Vocabulary::new(&[
    "flu", "parking", "club", "clubs", "clinic", "clinics", "service", "services",
    "vaccination", "vaccinations", "immunisation", "immunisations", "jabs", "lunch", "guides",
    "scouts", "forum", "panel", "survey", "health",
]);

/// Words for a household, and for one child of it ("her eldest").
const HOUSEHOLDS: [&str; 2] = ["family", "household"];
const CHILD_IN_A_HOUSEHOLD: [&str; 3] = ["youngest", "eldest", "oldest"];

/// "the old chap", "her son", "Resident", "the 84 yo": a determiner (or
/// none, for nouns that always mean one person) and at most three
/// describing words before a person noun.
pub(super) fn described(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let w = &words[k];
    let noun: &str = w.folded;
    // "the guy who sleeps outside Greggs": a casual word for someone (and
    // for a thing: "the guy from AAH") is a person only where a clause
    // marks them out.
    if noun == "one" {
        return the_one(text, words, k).then_some((Reference::Singled, k));
    }
    if CASUAL.contains(noun) {
        let the = (1..=3).filter_map(|b| k.checked_sub(b)).any(|d| {
            one_of(words[d].folded, &["the", "that"])
                && !text[words[d].end..w.start].contains(['.', ',', '\n', '!', '?'])
        });
        return (the && marked_out(text, words, k)).then_some((Reference::Singled, k));
    }
    if !w.opens_description {
        return None;
    }
    // "the only Polish family on Pen-y-Bryn Terrace", "their youngest":
    // a household, or one child of it.
    if let Some(reference) = household(text, words, k) {
        return Some((reference, k));
    }
    if one_of(noun, &YEARS) {
        return pupil(text, words, k);
    }
    let person_noun = PERSON_NOUNS.contains(noun) || OCCUPATIONS.contains(noun);
    if !(person_noun || RELATIVES.contains(noun) || noun == "patient") {
        return None;
    }
    // A relative, or "man", "woman", "child", "patient", needs someone's or "the".
    let needs_determiner = RELATIVES.contains(noun)
        || one_of(noun, &["man", "woman", "patient", "baby", "person"])
        || OCCUPATIONS.contains(noun);
    // "only dialysis patient in Llanddewi Brefi": "only" singles one out,
    // with or without "the" before it.
    let determiner = (1..=4).find_map(|back| {
        let d = words.get(k.checked_sub(back)?)?;
        // "local councillor for the east ward": one person, as "the" is
        // (not "local man jailed": anyone's news).
        let determines = DETERMINERS.contains(d.text)
            || d.folded == "only"
            || d.folded == "local" && OCCUPATIONS.contains(noun)
            || d.text.ends_with("'s")
            || d.text.ends_with("’s")
            // "vicars wife", "the landlords son": a job's, the apostrophe
            // left out.
            || back == 1 && RELATIVES.contains(noun) && jobs_s(d.folded);
        (determines && text[d.end..w.start].len() <= 30).then_some(d)
    });
    // "98-year-old man in …", "man, 98,": someone of an age, as "a 98-year-old
    // man" is (a training case's "82-year-old woman, two falls" too); "any
    // 65-year-old patient" is everyone of that age.
    let quantified = (1..=3).any(|back| {
        k.checked_sub(back)
            .is_some_and(|i| one_of(words[i].folded, &["any", "every", "each", "all", "no"]))
    });
    // "34yo pregnant woman": one word may describe them between.
    let aged_before = ages::age_right_before(text, w.start)
        || k > 0
            && text[words[k - 1].end..w.start] == *" "
            && ages::age_right_before(text, words[k - 1].start);
    let aged = !quantified && (aged_before || ages::age_right_after(text, w.end));
    let determined = determiner.is_some() || aged;
    // "Lorraine's little boy", "Mrs Hale's husband", "Dr Khan's mum",
    // "Sue's husband": someone known by a name, as the name itself is (a
    // name that is also a word, "khan", "sue", is one in this place).
    let possessive_name = |d: &Word| {
        possessive_base(d.text).is_some()
            && d.title_case
            && (d.forename() || d.surname())
            && !d.very_common
    };
    let reference = match determiner {
        Some(d) if one_of(d.text, &["a", "an"]) => Reference::Someone,
        Some(d) if possessive_name(d) => Reference::Named,
        None if aged && needs_determiner => Reference::Someone,
        _ => Reference::Described,
    };
    // "the daughter of", "mum of".
    let of_someone = text[w.end..].trim_start().starts_with("of ");
    // "patient at CF24 4HQ, 68": notes leave out "the" at a sentence's start.
    let note = noun == "patient"
        && starts_sentence(text, w.start)
        && (text[w.end..].starts_with(',')
            || words
                .get(k + 1)
                .is_some_and(|n| one_of(n.text, &["at", "in", "from", "on", "aged", "age"])));
    // "register as temporary resident", "treated as a new patient": what
    // someone is taken as, not who.
    let taken_as = (1..=3).any(|back| {
        k.checked_sub(back).is_some_and(|i| {
            words[i].folded == "as"
                && words[i + 1..k]
                    .iter()
                    .all(|m| one_of(m.folded, &["a", "an", "temporary", "new", "private", "nhs"]))
        })
    });
    if taken_as {
        return None;
    }
    // "Isle of Man".
    if noun == "man" && k >= 2 && words[k - 1].folded == "of" && words[k - 2].folded == "isle" {
        return None;
    }
    // "patient groups", "(no pt details)": a kind of thing, not a person.
    let plural_next = words.get(k + 1).is_some_and(|n| {
        one_of(
            n.text,
            &[
                "s",
                "group",
                "groups",
                "safety",
                "leaflet",
                "details",
                "info",
                "information",
                "data",
                "identifiable",
                "identifiers",
            ],
        )
    });
    // "Child flu nasal spray catch-up", "Resident parking bays", "Pensioner
    // lunch club": with no determiner, a noun before a service names whom
    // the service is for (not "the child flu jab was refused").
    let service_next = determiner.is_none()
        && words
            .get(k + 1)
            .is_some_and(|n| text[w.end..n.start] == *" " && SERVICES_FOR.contains(n.folded));
    let the = determiner.is_some_and(|d| one_of(d.folded, &["the", "that"]));
    // "the landlord of the Red Lion", "the head teacher at Kirkhill
    // primary", "our postie in Llanddewi Brefi": a job in one place is held
    // by one person.
    let one_s = determiner.is_some_and(|d| one_of(d.folded, &HOLDERS));
    let job_in_a_place = OCCUPATIONS.contains(noun) && held_at(text, words, k, &[]);
    let marked = the && marked_out(text, words, k) || one_s && job_in_a_place;
    let reference = if reference == Reference::Described && marked {
        Reference::Singled
    } else {
        reference
    };
    ((!needs_determiner || determined || of_someone || note) && !plural_next && !service_next)
        .then_some((reference, k))
}

/// True for a job's word with its possessive "s" and no apostrophe:
/// "vicars", "landlords".
fn jobs_s(folded: &str) -> bool {
    folded
        .strip_suffix('s')
        .is_some_and(|job| OCCUPATIONS.contains(job))
}

/// Casual words for a person, which name things too: "the guy ropes".
static CASUAL: Vocabulary = Vocabulary::new(&["guy", "geezer", "dude", "wifie", "feller"]);

/// True for a word that stands for a person only where a clause marks them
/// out: a casual word for one ("guy", "wifie"), or "one" ("the one with
/// MS").
pub(super) fn casual(word: &str) -> bool {
    CASUAL.contains(word) || word == "one"
}

/// What "the … one" is said to be when it stands for a person: "the
/// pregnant one", "the deaf one".
#[rustfmt::skip]
static ONE_S: Vocabulary = Vocabulary::new(&[
    "pregnant", "deaf", "diabetic", "epileptic", "frail", "poorly", "housebound",
]);

/// What may follow "the pregnant one" when it stands for her: a clause
/// or a verb said of her ("the pregnant one from the salon", "the deaf one
/// rang"), not a thing ("the epileptic one card").
#[rustfmt::skip]
static AFTER_ONE: Vocabulary = Vocabulary::new(&[
    "who", "from", "at", "in", "on", "with", "has", "is", "was", "asked", "rang", "came", "wants",
    "needs", "called",
]);

/// True when "one" at word `k` stands for someone marked out: "the one
/// with MS", "the one with the colostomy", "the pregnant one", "the one
/// who comes in on a scooter" (not "the one with the most stock", "the
/// new one").
fn the_one(text: &str, words: &[Word], k: usize) -> bool {
    let before = |n: usize| k.checked_sub(n).map(|i| words[i].folded);
    let the = |n: usize| before(n).is_some_and(|d| one_of(d, &["the", "that"]));
    let spaced = |i: usize| text[words[i].end..words[i + 1].start] == *" ";
    let then = words
        .get(k + 1)
        .filter(|n| text[words[k].end..n.start] == *" ");
    let ends = then.is_none_or(|n| AFTER_ONE.contains(n.folded));
    if the(2) && before(1).is_some_and(|a| ONE_S.contains(a)) && spaced(k - 1) && ends {
        return true;
    }
    if !the(1) {
        return false;
    }
    let with_health = words.get(k + 1).is_some_and(|n| n.folded == "with")
        && words[k + 1..]
            .iter()
            .skip(1)
            .take(3)
            // "the one with MS", "with COPD": a condition's capitals too.
            .any(|w| is_clinical_abbreviation(w.text));
    with_health || marked_out(text, words, k)
}

/// What marks someone out, said after "who" of their habits or their
/// looks: "who comes in every Tuesday", "who brings his dog in", "who
/// works at the Asda depot", "whose dad died" (not "who rang this
/// morning", which any caller did, nor "who uses his inhaler wrong",
/// which is advice about anyone).
#[rustfmt::skip]
static MARKS: Vocabulary = Vocabulary::new(&[
    "comes", "walks", "brings", "works", "lives", "collects", "wears", "drives", "rides",
    "sits", "stays", "always", "usually", "never", "does", "has", "had", "sleeps", "begs",
    "shouts", "swears", "smells", "limps", "plays", "cycles", "busks", "bides", "gets",
    // What they do in the community: "the fella who runs the chippy", "the
    // woman who owns the florist", "the lady who cleans at the surgery".
    "runs", "owns", "cleans", "keeps", "sells", "teaches", "volunteers", "minds",
]);

/// What happened to someone or what they do, said right after the word
/// for them: "the guy released from HMP Cardiff", "the lady sleeping in
/// the bus shelter".
#[rustfmt::skip]
static PARTICIPLES: Vocabulary = Vocabulary::new(&[
    "released", "discharged", "sleeping", "begging", "staying", "living", "sofa-surfing",
]);

/// What someone is seen with, which marks them out in a description: "the
/// lady who was sick in our waiting room (blue coat, walking frame)", "the
/// guy with the grey beard".
#[rustfmt::skip]
static LOOKS: Vocabulary = Vocabulary::new(&[
    "beard", "tattoo", "tattoos", "tattooed", "coat", "jacket", "hoodie", "cap", "hat", "scarf",
    "glasses", "hair", "bald", "ginger", "limp", "shirt", "tracksuit", "beanie", "moustache",
    "piercing", "piercings", "dreadlocks",
    // What they get about with: "the guy in the wheelchair", "the lady
    // with the rollator".
    "wheelchair", "crutches", "zimmer", "rollator",
]);

/// True when a clause after the person noun at word `k`, within a few
/// words of it in its sentence, says what marks them out: "the tall young
/// lad with the staffie who comes in", "the little boy at Holt primary
/// whose dad died".
fn marked_out(text: &str, words: &[Word], k: usize) -> bool {
    let marks = |i: usize| words.get(i).is_some_and(|v| MARKS.contains(v.folded));
    // "the guy released from HMP Cardiff on Tuesday", "the lad sleeping
    // in the doorway": what happened to them, said right after.
    let participle = words
        .get(k + 1)
        .is_some_and(|n| PARTICIPLES.contains(n.folded) && text[words[k].end..n.start] == *" ");
    if participle || seen_with(text, words, k) {
        return true;
    }
    for i in k..k + 6 {
        let Some(next) = words.get(i + 1) else {
            return false;
        };
        // "The old chap, who comes in …": a comma only before the clause.
        let gap = &text[words[i].end..next.start];
        let relative = one_of(next.folded, &["who", "whose", "that"]);
        if gap.contains(['.', '!', '?', '\n', ';']) || gap.contains(',') && !relative {
            return false;
        }
        if next.folded == "whose" {
            return true;
        }
        if relative {
            // "who comes in", "that bides above the chippy", "who is always".
            return marks(i + 2)
                || words.get(i + 2).is_some_and(|v| v.folded == "is") && marks(i + 3);
        }
    }
    false
}

/// True when the sentence after the person noun at word `k`, within
/// twelve words, says what they were seen wearing or looking like
/// ([`LOOKS`]; not "the man from Alliance", a firm's).
fn seen_with(text: &str, words: &[Word], k: usize) -> bool {
    if words.get(k + 1).is_some_and(|n| n.folded == "from") {
        return false;
    }
    for i in k..k + 12 {
        let Some(next) = words.get(i + 1) else {
            return false;
        };
        if text[words[i].end..next.start].contains(['.', '!', '?', '\n', ';']) {
            return false;
        }
        if LOOKS.contains(next.folded) {
            return true;
        }
    }
    false
}

/// "the family on Elm Row", "the only Polish family in the village", "the
/// Morrissey family", "her eldest", "their youngest has …": a household
/// said to be somewhere (a preposition or a comma after "family", not
/// "family planning") or named by its surname, or a child named by their
/// place in it after "her", "his", "their".
fn household(text: &str, words: &[Word], k: usize) -> Option<Reference> {
    let w = &words[k];
    let before = |n: usize| k.checked_sub(n).map(|i| &words[i]);
    if one_of(w.folded, &CHILD_IN_A_HOUSEHOLD) {
        let theirs = before(1).is_some_and(|d| one_of(d.text, &["her", "his", "their", "my"]));
        // "their youngest has", "her eldest, …": the word stands for the child.
        let alone = words
            .get(k + 1)
            .is_none_or(|n| one_of(n.text, &["has", "is", "was", "had", "needs", "who"]))
            || text[w.end..].starts_with([',', '.', ';']);
        return (theirs && alone).then_some(Reference::Described);
    }
    if !one_of(w.folded, &HOUSEHOLDS) {
        return None;
    }
    let determined =
        (1..=3).any(|n| before(n).is_some_and(|d| one_of(d.text, &["the", "that", "this"])));
    let placed = text[w.end..].starts_with(',')
        || words.get(k + 1).is_some_and(|n| {
            one_of(n.text, &["on", "at", "in", "from", "near", "who", "next"])
                && text[w.end..n.start] == *" "
        });
    // "the Morrissey family's son": a household named by its surname (not
    // "the Lloyds family of pharmacies": a business's).
    let named = before(1)
        .is_some_and(|n| n.title_case && n.is_surname && !n.very_common && !n.is_english)
        && before(2).is_some_and(|d| one_of(d.text, &["the", "The"]))
        && words.get(k + 1).is_none_or(|n| {
            n.text != "of" || text[n.end..].trim_start().starts_with(char::is_uppercase)
        });
    if named {
        // As a first name is: with health said of them, a patient; with
        // clinical words alone ("thanks to the Patel family for donating a
        // BP monitor"), a warning.
        return Some(Reference::Forename);
    }
    (determined && placed).then_some(Reference::Described)
}

/// "the only Year 10 at Bishop Vaughan", "a Yr 9 who has …": a school
/// year, capitalised, used as a noun for one pupil: after "only", or after
/// "a" or "an", or before "who" or a verb said of one ("the Year 9 at St
/// Mary's", "Year 10 has PE", "this year 85", "the Year 10s" name a year's
/// pupils, or a time).
fn pupil(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    // The person's words hold no numbers: the year's is read from the text.
    let w = &words[k];
    if !w.title_case {
        return None;
    }
    let rest = text[w.end..].strip_prefix(' ')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let before = k.checked_sub(1).map(|i| &words[i])?;
    let only = before.folded == "only";
    let indefinite = one_of(before.text, &["a", "an"]);
    let after = &rest[digits..];
    let next_word = after.strip_prefix(' ').map(|a| {
        let end = a.find(|c: char| !c.is_alphabetic()).unwrap_or(a.len());
        &a[..end]
    });
    let said_of_one =
        next_word.is_some_and(|n| one_of(n, &["who", "has", "had", "was", "is", "needs"]));
    let ends = after.is_empty() || after.starts_with([' ', ',', '.', ';', '!', '?', '\n', ')']);
    // "only Year 1, 2 and 3", "Years 7-9": a list of years is no pupil.
    let joined = after.trim_start_matches([',', ' ', '&', '/', '-', '–']);
    let listed = joined
        .strip_prefix("and ")
        .or_else(|| joined.strip_prefix("or "))
        .unwrap_or(joined)
        .starts_with(|c: char| c.is_ascii_digit());
    let reference = if indefinite {
        Reference::Someone
    } else {
        Reference::Described
    };
    ((1..=2).contains(&digits)
        && ends
        && !listed
        && (only || said_of_one && (indefinite || before.folded == "the")))
        .then_some((reference, k))
}

/// True when `at` starts a message, a line or a sentence.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', '-', '–', '/'])
}
