//! People: every way a message refers to one person, named or not.
//!
//! - **Named.** A title and a name ("Mrs O'Neill", "Pani Grażyna"), a
//!   forename and a surname in any case ("margaret hollis", "JOAN HEPWORTH",
//!   "Luisa de la Cruz"), a surname and a forename ("HOLLIS Margaret",
//!   "Pritchard, Glyn"), an initial and a surname ("J Smith"). Names come
//!   from the lexicon, so capitals are not needed; a name that is also an
//!   ordinary word ("Hope", "Frank", "Will") counts only where it stands as a
//!   name: with a title, or followed by a surname.
//! - **A forename alone** ("Kath", "Oluwaseun") is a person, but a weaker one.
//! - **Described.** "the old chap", "lady at no. 27", "her son", "the
//!   resident in room 31", "pt", "the 84 yo".
//!
//! Not people here: clinicians and staff ("Dr Nwosu", "pharmacist Sarah",
//! "Rhian Llewellyn, our new pharmacist", "thanks Bev"), and places named
//! after people ("Grace Darling House", "Rose Street").

use super::clinical::is_clinical_word;
use super::lexicon::{self, fold, is_common_word, is_forename, is_surname};
use super::tokens::Token;
use super::whereabouts::street_word;
use super::{ages, one_of, window_before};
use crate::screen::lexicon::Vocabulary;

/// How a person is referred to, from the strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reference {
    /// By a full name, or a title and a name.
    Named,
    /// By a forename only.
    Forename,
    /// By a description: "the old chap", "her son".
    Described,
    /// By an indefinite description, "a patient", "a lady": someone in
    /// particular only with a detail that singles them out.
    Someone,
    /// By a name a hospital, hospice or charity has ("Alder Hey", "Marie
    /// Curie nurses"): with clinical words alone it is the institution; a
    /// detail ("Florence Nightingale, 91") makes it someone.
    Institutional,
}

/// One reference to a person: its kind and its span in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Person {
    pub(super) reference: Reference,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Titles before a name, lower case. "MS" in capitals is multiple sclerosis.
#[rustfmt::skip]
static TITLES: Vocabulary = Vocabulary::new(&[
    "mr", "mrs", "ms", "miss", "mx", "mstr", "master", "pani", "pan", "sr", "sra", "mme",
    "mlle", "herr", "frau", "madam", "mister",
]);

/// Words that end a place's name rather than a person's: "Charles Darwin
/// Surgery", "Rose Street", "Grace Darling House".
#[rustfmt::skip]
pub(super) static PLACES: Vocabulary = Vocabulary::new(&[
    "academy", "arena", "arms", "auditorium", "avenue", "building", "care", "center", "centre",
    "church", "clinic", "close", "college", "court", "crescent", "drive", "foundation",
    "gardens", "group", "hall", "health", "healthcare", "high", "home", "hospital", "hotel", "house",
    "hub", "infirmary", "inn", "institute", "labs", "lane", "library", "lodge", "lounge", "ltd",
    "medical", "park", "pharma", "pharmaceuticals", "pharmacy", "place", "plc", "practice",
    "primary", "road", "room", "school", "square", "st", "stadium", "street", "suite",
    "surgery", "team", "terrace", "theatre", "trust", "unit", "ward", "way",
    // Health bodies named after people: "Aneurin Bevan UHB" (not "HB", a
    // haemoglobin after a patient's name, nor "Hospice", where a patient is
    // admitted).
    "uhb", "icb", "ccg", "pcn",
    // A health centre: "Moss Side HC".
    "hc",
]);

/// Words for one person, singular; a description is one of these.
#[rustfmt::skip]
static PERSON_NOUNS: Vocabulary = Vocabulary::new(&[
    "baby", "bloke", "boy", "chap", "child", "couple", "fella", "fellow", "gent", "gentleman", "girl",
    "infant", "kid", "lad", "lady", "lass", "man", "pensioner", "person", "pt", "pupil", "resident",
    "teenager", "toddler", "twins", "widow", "widower", "woman",
]);

/// Person nouns that are a job: someone in particular only with "the".
static OCCUPATIONS: Vocabulary = Vocabulary::new(&[
    "vicar",
    "priest",
    "imam",
    "rabbi",
    "councillor",
    "headteacher",
    "headmaster",
    "teacher",
    "postman",
    "farmer",
    "landlord",
    "landlady",
    "publican",
    "shopkeeper",
    "caretaker",
    "mayor",
]);

/// Family words: a person when someone's ("her son", "the daughter of").
#[rustfmt::skip]
static RELATIVES: Vocabulary = Vocabulary::new(&[
    "brother", "dad", "daughter", "father", "gran", "grandad", "granddaughter", "grandfather",
    "grandma", "grandmother", "grandson", "granny", "husband", "mother", "mum", "nan", "nephew",
    "niece", "partner", "sister", "son", "wife", "aunt", "uncle", "nana",
]);

/// Words that make the next noun someone in particular.
static DETERMINERS: Vocabulary = Vocabulary::new(&[
    "a", "an", "her", "his", "my", "our", "that", "the", "their", "this", "your",
]);

/// True when `word` (any case, any accents) is a forename.
pub(super) fn is_forename_word(word: &str) -> bool {
    is_forename(&fold(word))
}

/// True when `word` (any case, any accents) is a surname and not also an
/// ordinary word: a name on its own in a cell of a pasted row.
pub(super) fn is_surname_word(word: &str) -> bool {
    let folded = fold(word);
    is_surname(&folded) && !is_common_word(&folded) && !is_clinical_word(word)
}

/// True for a forename or surname that is not also an ordinary word.
pub(super) fn is_plain_name_word(word: &str) -> bool {
    let folded = fold(word);
    (is_forename(&folded) || is_surname(&folded))
        && !is_common_word(&folded)
        && !is_clinical_word(word)
}

/// True when an email address's local part is a person's name:
/// "margaret.hollis", "john.smith" (a forename and a surname, even common
/// words), "johnsmith1960", or one word that is plainly a name.
pub(super) fn names_a_person(local: &str) -> bool {
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
    // "johnsmith": a forename and a surname run together.
    let joined = words.iter().any(|w| {
        (3..w.len().saturating_sub(2))
            .filter(|&i| w.is_char_boundary(i))
            .any(|i| forename(&w[..i]) && surname(&w[i..]))
    });
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

/// True for a word that makes a row's cell a clinician's or a place's name
/// rather than a person's ("Dr Emily Stroud", "Charles Darwin Surgery").
pub(super) fn not_a_person(word: &str) -> bool {
    before_a_colleague(word) || PLACES.contains(word)
}

/// A word of the text with what the lexicon and its capitals say of it.
struct Word<'t> {
    start: usize,
    end: usize,
    text: &'t str,
    folded: &'t str,
    /// Starts with a capital.
    capital: bool,
    /// Two or more letters, all capitals.
    all_caps: bool,
    /// A capital and then small letters only ("Kath", not "RAs").
    title_case: bool,
    /// What the lexicon says, looked up once: every rule asks again.
    is_forename: bool,
    is_surname: bool,
    is_common: bool,
    /// What the lexicon says of the word, name or not: an ordinary word, or
    /// one of the most frequent ones.
    common_word: bool,
    very_common: bool,
    /// A word a description of someone opens at ([`described`]).
    opens_description: bool,
}

impl Word<'_> {
    fn forename(&self) -> bool {
        self.is_forename
    }
    fn surname(&self) -> bool {
        self.is_surname
    }
    /// A name that is not also an ordinary word.
    fn plainly_a_name(&self) -> bool {
        (self.is_forename || self.is_surname) && !self.is_common
    }
    fn initial(&self) -> bool {
        self.text.len() == 1 && self.capital
    }
    /// Title case, or a double-barrelled name of title-case parts
    /// ("Adeyemi-Williams", "Lloyd-Jones").
    fn name_case(&self) -> bool {
        self.title_case
            || (self.text.contains('-')
                && self.text.split('-').all(|part| {
                    part.starts_with(char::is_uppercase)
                        && part.chars().skip(1).all(|c| !c.is_uppercase())
                }))
    }
}

/// The words of `tokens` that can be part of a name: those starting with
/// a letter, outside email addresses.
fn tokenise<'t>(text: &str, tokens: &'t [Token<'t>]) -> Vec<Word<'t>> {
    // The words of an email address are the address's, judged as one.
    let mut addresses: Vec<(usize, usize)> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if addresses.last().is_some_and(|&(_, to)| at < to) {
            continue;
        }
        let from = text[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let to = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| at + i);
        addresses.push((from, to));
    }
    // Words come in order: the first address not yet passed is enough.
    let mut next_address = 0;
    let mut in_address = |at: usize| {
        while addresses.get(next_address).is_some_and(|&(_, to)| to <= at) {
            next_address += 1;
        }
        addresses
            .get(next_address)
            .is_some_and(|&(from, _)| from <= at)
    };
    tokens
        .iter()
        .filter(|t| t.text.starts_with(char::is_alphabetic))
        .filter(|t| !in_address(t.start))
        .map(|t| {
            let (start, w, entry) = (t.start, t.text, &t.entry);
            let shape = super::tokens::shape(w);
            // Medicines named after people ("Creon", "Teva") are medicines;
            // "I'm", "we'll", "you've" are a pronoun and a verb, whatever
            // the lexicon says of "im" or "well".
            let (is_forename, is_surname) = match (entry.forename, entry.surname) {
                (false, false) => (false, false),
                _ if contraction(w) || t.clinical => (false, false),
                found => found,
            };
            Word {
                is_forename,
                is_surname,
                is_common: (is_forename || is_surname) && entry.common,
                common_word: entry.common,
                very_common: entry.very_common,
                opens_description: entry.opens_description,
                folded: &t.folded,
                start,
                end: start + w.len(),
                text: w,
                capital: shape.capital,
                all_caps: shape.all_caps,
                title_case: shape.title_case,
            }
        })
        .collect()
}

/// True for a pronoun or verb with a short verb glued on: "I'm", "we'll",
/// "they've", "you'd", "we're", "isn't" (not "O'Neill", "D'Arcy").
fn contraction(word: &str) -> bool {
    let Some(at) = word.rfind(['\'', '’']) else {
        return false;
    };
    let (head, tail) = (&word[..at], &word[at..].trim_start_matches(['\'', '’']));
    one_of(tail, &["m", "ll", "ve", "re", "d"])
        || (one_of(tail, &["t"]) && head.ends_with(['n', 'N']))
}

/// Only spaces (and at most one comma or full stop) between two words, or
/// the one underscore of a file name ("IMG_Kaur_Rajinder_rash.jpg").
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.end..b.start];
    gap == "_" || gap.len() <= 3 && gap.chars().all(|c| matches!(c, ' ' | ',' | '.'))
}

/// Every reference to a person in `text`, in order, not overlapping.
pub(super) fn find(text: &str) -> Vec<Person> {
    let lower = super::tokens::LowerCase::of(text);
    let tokens = super::tokens::tokens(text, &lower);
    let clinical = super::clinical::read(text, &tokens);
    find_in(text, &tokens, &clinical.of_subjects)
}

/// [`find`], over the text's words read already; `health` are the starts
/// of the clinical words said of a subject ([`super::clinical::Clinical`]).
pub(super) fn find_in(text: &str, tokens: &[Token], health: &[usize]) -> Vec<Person> {
    let words = tokenise(text, tokens);
    let colleagues = Colleagues::find(text);
    let mut found = Vec::new();
    let mut sentence_ends = SentenceEnds::default();
    // Where the text says it is made up, asked once, when needed.
    let mut made_up: Option<Option<usize>> = None;
    // The forenames of colleagues named in full, and the first names
    // found alone (at their place in `found`), for the last rule below.
    let mut colleagues_forenames: Vec<&str> = Vec::new();
    let mut forenames_alone: Vec<(usize, &str)> = Vec::new();
    let mut previous_colleague: Option<usize> = None;
    let mut k = 0;
    while k < words.len() {
        let read = |k| {
            named(text, &words, k)
                .or_else(|| initials(text, &words, k))
                .or_else(|| forename_alone(text, &words, k))
                .or_else(|| described(text, &words, k))
        };
        let hit = if may_open(&words, k) { read(k) } else { None };
        debug_assert!(
            hit.is_some() || read(k).is_none(),
            "a reference at {:?} that may_open turns away",
            words[k].text
        );
        match hit {
            Some((reference, last)) => {
                // "CASE STUDY (made up for training)\nMr A, 68, …": in a
                // text that says it is invented, a title and one initial is
                // a placeholder, as "Mr X" always is, and so is a name in
                // quotation marks ("John Smith", 45, asks for …).
                let (start, end) = (words[k].start, words[last].end);
                let quoted = text[..start].ends_with(['"', '“', '\''])
                    && text[end..].starts_with(['"', '”', '\'']);
                let initial =
                    last == k + 1 && words[last].initial() && TITLES.contains(words[k].text);
                let placeholder = (initial || quoted)
                    && made_up
                        .get_or_insert_with(|| says_made_up(text))
                        .is_some_and(|at| at < start);
                // "our dispenser Sharon is a pt here too": whoever they
                // are, a name said to be a patient's is a patient's.
                let patient = said_to_be_a_patient(text, &words, k, last);
                let reference = if patient {
                    Reference::Named
                } else if institutions::named_at(text, &words, k, last) {
                    Reference::Institutional
                } else {
                    reference
                };
                // "Our dispenser Kasia …, she's started chemo": a colleague's
                // own health, said in the same sentence, is a patient's.
                let mut own_health = || {
                    let end = words[last].end;
                    let i = health.partition_point(|&h| h < end);
                    health
                        .get(i)
                        .is_some_and(|&h| !sentence_ends.ends_between(text, end, h))
                };
                // "School nurses Ailsa and Morven": a first name joined to a
                // colleague's is another colleague's (not one with an age:
                // "Sister Rees & Edna, 84").
                let joined = last == k
                    && !ages::age_right_after(text, words[k].end)
                    && previous_colleague.is_some_and(|p: usize| {
                        p + 2 == k && matches!(&text[words[p].end..words[k].start], " and " | " & ")
                    });
                let colleague = !patient
                    && !placeholder
                    && (joined || staff_or_place(text, &words, &colleagues, k, last))
                    && !own_health();
                if colleague {
                    previous_colleague = Some(last);
                }
                if colleague && last > k && words[k].is_forename {
                    colleagues_forenames.push(words[k].folded);
                }
                if patient || !placeholder && !colleague {
                    if reference == Reference::Forename
                        && last == k
                        && signing_off(text, &words, k)
                        && !own_health()
                    {
                        forenames_alone.push((found.len(), words[k].folded));
                    }
                    found.push(Person {
                        reference,
                        start: words[k].start,
                        end: words[last].end,
                    });
                }
                k = last + 1;
            }
            None => k += 1,
        }
    }
    // "Thanks, Gareth\nGareth Lloyd | Medicines Optimisation Pharmacist": a
    // first name signing off that a colleague named in full in the message
    // has is that colleague's.
    let mut dropped = forenames_alone
        .iter()
        .filter(|(_, forename)| colleagues_forenames.contains(forename))
        .map(|&(i, _)| i)
        .peekable();
    let mut i = 0;
    found.retain(|_| {
        let keep = dropped.next_if_eq(&i).is_none();
        i += 1;
        keep
    });
    found
}

/// True when the first name at word `k` signs a message off: after
/// "thanks" or "regards" (a comma between or not), or alone on its line,
/// with nothing after it ("Thanks, Gareth⏎", not "Margaret, 84, …").
fn signing_off(text: &str, words: &[Word], k: usize) -> bool {
    let w = &words[k];
    let before = text[..w.start].trim_end_matches([' ', ',']);
    let after = text[w.end..].trim_start_matches([' ', '!', '.', ',']);
    let line_ends = after.is_empty() || after.starts_with(['\n', '\r']);
    let valediction = k > 0 && {
        let b = &words[k - 1];
        b.end == before.len() && one_of(b.folded, &staff::GREETINGS)
    };
    line_ends && (valediction || before.is_empty() || before.ends_with('\n'))
}

/// What ends a sentence, for the rules that read a name's sentence.
const SENTENCE_ENDS: [char; 4] = ['.', '!', '?', '\n'];

/// Where a text's sentences end ([`SENTENCE_ENDS`]), found
/// once, when first asked: asking each name's sentence for its end by
/// reading on would read a long line once per name on it.
#[derive(Default)]
struct SentenceEnds(Option<Vec<usize>>);

impl SentenceEnds {
    /// True when a sentence ends between `from` and `to`.
    fn ends_between(&mut self, text: &str, from: usize, to: usize) -> bool {
        let ends = self
            .0
            .get_or_insert_with(|| text.match_indices(SENTENCE_ENDS).map(|(i, _)| i).collect());
        let i = ends.partition_point(|&e| e < from);
        ends.get(i).is_some_and(|&e| e < to)
    }
}

/// True when a reference can start at word `k`: every rule of [`named`],
/// [`initials`], [`forename_alone`] and [`described`] opens at a capitalised
/// word, a forename the lexicon knows, a title, a word for a person or a
/// household, or a surname after its label ("surname baker"; a surname in
/// lower case otherwise follows the forename that opens the name, and many
/// ordinary words, "to", "from", "new", are surnames too). Most words of a
/// message are none of these and are passed over unread (a debug build
/// reads them all and checks that none opens).
fn may_open(words: &[Word], k: usize) -> bool {
    let w = &words[k];
    w.capital
        || w.all_caps
        || w.is_forename
        || (w.is_surname
            && k.checked_sub(1).is_some_and(|i| {
                one_of(
                    words[i].folded,
                    &["surname", "forename", "forenames", "name"],
                )
            }))
        || TITLES.contains(w.text)
        || w.opens_description
}

/// A forename on its own that is plainly a name: "Kath", "oluwaseun".
fn forename_alone(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let w = &words[k];
    let place_lead = |i: usize| {
        one_of(
            words[i].text,
            &[
                "in",
                "at",
                "from",
                "to",
                "near",
                "on",
                "the",
                "across",
                "around",
                "throughout",
            ],
        )
    };
    // "at Holme", "at Tŷ Elli", "across Bradford": a place's name (which a
    // comma ends: "in Paisley, Callum, 6,").
    let second_word = |i: usize| words[i].title_case && text[words[i].end..w.start] == *" ";
    if (k > 0 && place_lead(k - 1)) || (k > 1 && second_word(k - 1) && place_lead(k - 2)) {
        return None;
    }
    // "William Harvey Hospital, Ashford", "Dr Gray's Hospital Elgin": the
    // town a place is in.
    let town = k > 0 && {
        let p = &words[k - 1];
        p.capital && PLACES.contains(p.text) && matches!(&text[p.end..w.start], " " | ", ")
    };
    if town {
        return None;
    }
    // "Kath", and "kerry-ann" in lower case (rare words, so rarely an accident).
    let shaped = w.title_case || (w.text.len() >= 4 && !w.capital);
    if w.forename() && !w.common_word && shaped && w.text.len() >= 3 {
        return Some((Reference::Forename, k));
    }
    // "Grace aged 93", "Hope, 7,": an ordinary word as a name, before an age.
    if w.forename() && w.title_case && age_follows(&text[w.end..]) {
        return Some((Reference::Forename, k));
    }
    // "Frank from Elm Road", "Tam from the flats": an ordinary word as a
    // name, before where they live.
    let from_somewhere = words.get(k + 1).is_some_and(|n| {
        let home = |i: usize| {
            words.get(i).is_some_and(|p| p.title_case)
                || (words.get(i).is_some_and(|p| p.folded == "the")
                    && words.get(i + 1).is_some_and(|p| street_word(p.folded)))
        };
        one_of(n.text, &["from", "at", "in"]) && home(k + 2) && text[w.end..n.start] == *" "
    });
    // "Big Tam", "Wee Shug", "Young Mo": a nickname's usual first word.
    let nicknamed = k > 0
        && one_of(
            words[k - 1].text,
            &["Big", "Wee", "Little", "Young", "Auld", "Old"],
        )
        && text[words[k - 1].end..w.start] == *" ";
    // "Hope from Flat 3 Orchard Ct": before a home's number, even a very
    // common word is a name.
    let from_a_home = words
        .get(k + 1)
        .is_some_and(|n| one_of(n.text, &["from", "at"]))
        && words.get(k + 2).is_some_and(|p| {
            one_of(p.folded, &["flat", "no", "number"])
                && text[p.end..]
                    .trim_start_matches([' ', '.'])
                    .starts_with(|c: char| c.is_ascii_digit())
        });
    // "Sue's husband", "Grace's son": whose relative someone is, even an
    // ordinary word is a name.
    let kin = lexicon::possessive_base(w.text).is_some()
        && words
            .get(k + 1)
            .is_some_and(|n| RELATIVES.contains(n.text) && text[w.end..n.start] == *" ");
    let placed = (!w.very_common && (from_somewhere || nicknamed)) || from_a_home || kin;
    (w.forename() && w.title_case && placed).then_some((Reference::Forename, k))
}

/// True when an age follows a name directly: "Grace aged 93", "Grace, 93,",
/// "Grace (93)".
fn age_follows(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', ',', '(']);
    let labelled = ["aged ", "age "].iter().find_map(|a| {
        rest.get(..a.len())
            .filter(|r| r.eq_ignore_ascii_case(a))
            .map(|_| &rest[a.len()..])
    });
    let number = labelled.unwrap_or(rest);
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let tail = number[digits..].trim_start();
    let delimited = tail.is_empty()
        || tail.starts_with([',', ')', ';', '\n'])
        || ["yo", "y/o", "y.o", "yr", "year"]
            .iter()
            .any(|y| starts_with_ignoring_case(tail, y));
    (1..=3).contains(&digits)
        && number[..digits].parse::<u32>().is_ok_and(|n| n <= 110)
        && (labelled.is_some() && !tail.starts_with(|c: char| c.is_ascii_digit()) || delimited)
}

/// True when `text` starts with the lowercase `prefix`, ignoring ASCII
/// case (without lowercasing the rest of the text).
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
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
pub(super) fn staff_contact(text: &str, at: usize) -> bool {
    let words: Vec<&str> = super::clinical::words(window_before(text, at, 40))
        .map(|(_, w)| w)
        .collect();
    let role = words.iter().rev().take(5).any(|w| ROLES.contains(w));
    role && !owner_before(text, at)
}

/// True for a word that says whose a phone number is: "mobile", "her",
/// "mum", "husband".
pub(super) fn says_whose(word: &str) -> bool {
    OWNERS.contains(word) || RELATIVES.contains(word)
}

/// True when one of the four words before `at` says a number or address
/// belongs to someone: "her mobile is", "at home on", "mum's email".
pub(super) fn owner_before(text: &str, at: usize) -> bool {
    let words: Vec<&str> = super::clinical::words(window_before(text, at, 40))
        .map(|(_, w)| w)
        .collect();
    words
        .iter()
        .rev()
        .take(4)
        .any(|w| OWNERS.contains(&fold(w)))
}

mod colleagues;
mod described;
mod forms;
mod institutions;
mod names;
mod places;
mod products;
mod staff;

use described::described;
pub(super) use described::openers as description_openers;
use forms::{initials, said_to_be_a_patient, says_made_up};
use names::named;

use colleagues::Colleagues;
pub(super) use staff::titles_a_role;
use staff::{ROLES, WEEKDAYS, before_a_colleague, staff_or_place};

#[cfg(test)]
mod tests;
