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
use super::lexicon::{fold, is_common_word, is_forename, is_surname};
use super::tokens::Token;
use super::{ages, one_of};
use crate::screen::lexicon::Vocabulary;

/// How a person is referred to, from the strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reference {
    /// By a full name, or a title and a name.
    Named,
    /// By a full name, at their work ("Priya Raghunathan will deliver the
    /// training"): a name for every rule that blocks with a detail, an
    /// identifier or health said of someone, but clinical words alone are
    /// the work's ([`working`]).
    NamedAtWork,
    /// By a forename only.
    Forename,
    /// By a forename only, in a colleague's part or a place's ("ring Bola
    /// at Peckham Pharmacy", "Barry, Newport and Bridgend"): a first name
    /// for every rule that blocks, but no warning on its own.
    AtWork,
    /// By a description: "the old chap", "her son".
    Described,
    /// By a description that says what marks them out, after "the": "the
    /// gent who comes in every Tuesday on the red scooter", "the little
    /// boy at Holt primary whose dad died". A description for every rule,
    /// and with health said of them it is as a first name is.
    Singled,
    /// By a community job one person holds in a place, from the list read
    /// only where a message says someone's health: "the ferryman on
    /// Lismore", "the big issue seller outside Tesco". With health said of
    /// them, or a detail, as a first name is; with clinical words alone it
    /// is their work. (The jobs a description opens at anywhere, "the
    /// landlord of the Red Lion", are [`Reference::Singled`].)
    Held,
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
    // Romanian, Portuguese, Spanish and Italian: "doamna Elena Popescu".
    "doamna", "doamnei", "domnul", "domnului", "senhora", "senhor", "señora", "señor",
    "signora",
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
    // A hospital's parts and a nursery ("Jubilee Wing", "Harris
    // Outpatients", "Rainbow Nursery").
    "wing", "outpatients", "nursery", "pavilion", "annexe", "campus",
    // Health bodies named after people: "Aneurin Bevan UHB" (not "HB", a
    // haemoglobin after a patient's name, nor "Hospice", where a patient is
    // admitted).
    "uhb", "icb", "ccg", "pcn",
    // A war memorial hospital ("Arran War Memorial").
    "memorial",
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
    "postie",
    "postwoman",
    "milkman",
    "headmistress",
]);

/// Family words: a person when someone's ("her son", "the daughter of").
#[rustfmt::skip]
static RELATIVES: Vocabulary = Vocabulary::new(&[
    "brother", "dad", "daughter", "father", "gran", "grandad", "granddaughter", "grandfather",
    "grandma", "grandmother", "grandson", "granny", "husband", "mother", "mum", "nan", "nephew",
    "niece", "partner", "sister", "son", "wife", "aunt", "uncle", "nana",
    "father-in-law", "mother-in-law", "son-in-law", "daughter-in-law", "brother-in-law",
    "sister-in-law", "stepdad", "stepmum", "stepson", "stepdaughter", "cousin",
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

/// True for a capitalised forename that is not also an ordinary word:
/// "Dave" ("Dave at Boots Harehills"), not "The man at Asda".
pub(in crate::screen) fn is_plain_forename(word: &str) -> bool {
    let folded = fold(word);
    word.starts_with(char::is_uppercase) && is_forename(&folded) && !is_common_word(&folded)
}

/// True for a title before a name: "Mrs", "mr", "Pani".
pub(in crate::screen) fn is_title(word: &str) -> bool {
    TITLES.contains(word)
}

/// True for a forename or surname that is not also an ordinary word.
pub(super) fn is_plain_name_word(word: &str) -> bool {
    let folded = fold(word);
    (is_forename(&folded) || is_surname(&folded))
        && !is_common_word(&folded)
        && !is_clinical_word(word)
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
    /// Common only as another language's word (the lexicon's `abroad`).
    abroad: bool,
    very_common: bool,
    /// A word a description of someone opens at ([`described`]).
    opens_description: bool,
    /// A job in a community ([`community_jobs`]).
    job: bool,
    /// A UK place of one word ("Barry", "Clapham", "Keswick").
    is_place: bool,
    /// An ordinary English word that is no name ("City", "Hospice").
    is_english: bool,
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
            // the lexicon says of "im" or "well"; "TIA" in capitals is
            // thanks in advance ("Anyone got Estradot 50? TIA Gemma"), and
            // "EMIS" a clinical system ("EMIS Web down"; "Emis Okafor" is
            // someone).
            let (is_forename, is_surname) = match (entry.forename, entry.surname) {
                (false, false) => (false, false),
                _ if contraction(w) || t.clinical || w == "TIA" || w == "EMIS" => (false, false),
                found => found,
            };
            Word {
                is_forename,
                is_surname,
                is_common: (is_forename || is_surname) && entry.common,
                common_word: entry.common,
                abroad: entry.abroad,
                very_common: entry.very_common,
                opens_description: entry.opens_description,
                job: entry.job,
                is_place: entry.place,
                is_english: entry.english,
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
    // A full stop closes an initial or a title ("J. Bowen", "Mr. Bowen");
    // after any other word it ends a sentence ("Fort William. Alison").
    let stopped = gap.contains('.') && !(a.initial() || TITLES.contains(a.text));
    gap == "_" || gap.len() <= 3 && !stopped && gap.chars().all(|c| matches!(c, ' ' | ',' | '.'))
}

/// Every reference to a person in `text`, in order, not overlapping.
pub(super) fn find(text: &str) -> Vec<Person> {
    let lower = super::tokens::LowerCase::of(text);
    let tokens = super::tokens::tokens(text, &lower);
    let clinical = super::clinical::read(text, &tokens);
    let taught = forms::teaching_heading(text)
        .filter(|_| super::whereabouts::find(text, &tokens).is_empty());
    find_in(text, &tokens, &clinical, taught)
}

/// [`find`], over the text's words and clinical words read already;
/// `taught` is where a teaching case's heading ends and its case ends, in
/// a text that names nowhere anyone is ([`teaching_heading`]).
pub(super) fn find_in(
    text: &str,
    tokens: &[Token],
    clinical: &super::clinical::Clinical,
    taught: Option<(usize, usize)>,
) -> Vec<Person> {
    // The starts of the clinical words said of a subject ("she's started
    // chemo"), and whether the message says anyone's health at all.
    let health = &clinical.of_subjects;
    let anyones_health = !clinical.health.is_empty();
    let words = tokenise(text, tokens);
    let colleagues = Colleagues::find(text);
    let message_end = super::links::message_end(text);
    // "Reception rota Thurs: 8-1 Kirsty & Usman": a rota lists staff.
    let rota = words.iter().any(|w| one_of(w.folded, &["rota", "rotas"]));
    // A writer who capitalises words inside a sentence writes names so too:
    // a first name alone in lower case is then another language's word
    // ("bezpłatne dla osób 65+", "Vaccinul … este gratuit") or slang ("this
    // arvo"), no warning on its own.
    let capitalises = words
        .iter()
        .any(|w| w.capital && !super::opens_a_sentence(text, w.start));
    let mut found: Vec<Person> = Vec::new();
    let mut sentence_ends = SentenceEnds::default();
    // Where the text says it is made up, asked once, when needed.
    let mut made_up: Option<Option<usize>> = None;
    // The forenames of colleagues named in full, and the first names
    // found alone (at their place in `found`), for the last rule below.
    let mut colleagues_forenames: Vec<&str> = Vec::new();
    let mut forenames_alone: Vec<(usize, &str)> = Vec::new();
    let mut previous_colleague: Option<usize> = None;
    // Names listed right before a colleague (at their place in `found`).
    let mut listed_colleagues: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let read = |k| {
            named(text, &words, k)
                .or_else(|| initials(text, &words, k))
                .or_else(|| forename_alone(text, &words, k))
                .or_else(|| described(text, &words, k))
                .or_else(|| {
                    // With health said of someone: "the ferryman on Lismore
                    // is on warfarin".
                    anyones_health
                        .then(|| described::job_in_a_place(text, &words, k))
                        .flatten()
                })
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
                // Under a teaching case's heading, only the title and initial,
                // in a text that says nowhere where anyone is ("Anonymised
                // case: Mrs G, 83, from Cherry Tree Avenue" is someone).
                // ("'Mr B' case … Names and dates changed": both, said
                // anywhere.)
                let placeholder = (initial || quoted)
                    && made_up
                        .get_or_insert_with(|| says_made_up(text))
                        .is_some_and(|at| at < start || initial && quoted)
                    || initial
                        && taught.is_some_and(|(at, case_end)| at < start && start < case_end);
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
                // "Sister Rees & Edna, 84"; not a full name: "Dr Anita Patel
                // and Margaret Hollis").
                let untitled = !TITLES.contains(words[k].text);
                // "Dr Khan", "Sister Rees", "pharmacist Sarah Jones".
                let clinician = before_a_colleague(words[k].folded)
                    || k > 0 && before_a_colleague(words[k - 1].folded);
                let joined = last == k
                    && untitled
                    && !ages::age_right_after(text, words[last].end)
                    && previous_colleague.is_some_and(|p: usize| {
                        let between = &text[words[p].end..words[k].start];
                        matches!(between, " and " | " & ")
                    });
                let colleague = !patient
                    && !placeholder
                    && (joined || staff_or_place(text, &words, &colleagues, k, last))
                    && !own_health()
                    && !forms::cared_for_after(text, words[last].end, clinician);
                if colleague {
                    previous_colleague = Some(last);
                }
                // "Catrìona, Donnie and Màiri from the practice": the first
                // names listed right before a colleague's first name known
                // by what follows (not by a title: "Edna and Sister Rees";
                // and "and" before the last, as people are listed: "Dylan ap
                // Rhys, Tŷ Newydd" is a patient and his farm) are colleagues
                // too.
                let first_name = last == k && untitled;
                if colleague && first_name && !staff::before_a_colleague(words[k].folded) {
                    let mut at = words[k].start;
                    for (i, p) in found.iter().enumerate().rev() {
                        let joiner = &text[p.end..at];
                        let last_joined = at == words[k].start;
                        let listed =
                            matches!(joiner, " and " | " & ") || !last_joined && joiner == ", ";
                        // First names only ("Catrìona, Donnie", read as a
                        // surname and a forename, is two of them), untitled.
                        let from = words.partition_point(|w| w.start < p.start);
                        let mut own = words[from..].iter().take_while(|w| w.end <= p.end);
                        let first_names =
                            matches!(p.reference, Reference::Forename | Reference::AtWork)
                                || p.reference == Reference::Named
                                    && text[p.start..p.end].contains(',')
                                    && own
                                        .clone()
                                        .all(|w| w.is_forename && !TITLES.contains(w.text));
                        let titled = own.next().is_some_and(|w| TITLES.contains(w.text));
                        if !listed || titled || !first_names {
                            break;
                        }
                        listed_colleagues.push(i);
                        at = p.start;
                    }
                }
                if colleague && last > k && words[k].is_forename {
                    colleagues_forenames.push(words[k].folded);
                }
                if patient || !placeholder && !colleague {
                    // (Signing off, or in a message that says no one's
                    // health.)
                    if reference == Reference::Forename
                        && last == k
                        && untitled
                        && !ages::age_right_after(text, words[last].end)
                        && !ages::age_in_bracket(text, words[last].end)
                        && (signing_off(text, &words, k) || !anyones_health)
                        && !own_health()
                    {
                        forenames_alone.push((found.len(), words[k].folded));
                    }
                    // "ring Bola at Peckham Pharmacy", "Barry, Newport and
                    // Bridgend": a first name in a colleague's or a place's part.
                    let reference = if reference == Reference::Forename && last == k && untitled {
                        match at_work::first_name(text, message_end, &words, k) {
                            // "Eilidh is running the COPD review clinic", named
                            // in a rota, or in lower case among capitals.
                            Reference::Forename
                                if rota
                                    || capitalises
                                        && !words[k].capital
                                        && !super::opens_a_sentence(text, words[k].start)
                                    || working::at_own_work(text, &words, k, k) =>
                            {
                                Reference::AtWork
                            }
                            reference => reference,
                        }
                    } else if reference == Reference::Named
                        && !patient
                        && working::named_at_work(text, message_end, &words, k, last)
                    {
                        // "Priya Raghunathan will deliver it at the Hub".
                        Reference::NamedAtWork
                    } else {
                        reference
                    };
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
    // "Thanks, Gareth\nGareth Lloyd | Medicines Optimisation Pharmacist",
    // "Welcome Dr Ruth Ogunleye! Ruth will run the clinics": a first name
    // alone that a colleague named in full in the message has is that
    // colleague's: signing off, or anywhere in a message that says no one's
    // health (not one with an age: "Jack, 6, needs his EpiPen … Thanks,
    // Jack Turner"; nor one with health said of them in its sentence).
    let mut dropped: Vec<usize> = forenames_alone
        .iter()
        .filter(|(_, forename)| colleagues_forenames.contains(forename))
        .map(|&(i, _)| i)
        .chain(listed_colleagues)
        .collect();
    dropped.sort_unstable();
    let mut dropped = dropped.into_iter().peekable();
    let mut i = 0;
    found.retain(|_| {
        let mut keep = true;
        while dropped.next_if_eq(&i).is_some() {
            keep = false;
        }
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
/// word, a forename the lexicon knows (or one it drops as a month), a
/// title, a word for a person or a household, or a surname after its label ("surname baker"; a surname in
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
        || w.job
        || described::casual(w.folded)
        || one_of(w.folded, &names::MONTH_FORENAMES)
        || scripts::in_another_script(w.text)
}

mod affiliation;
mod at_work;
mod chains;
mod colleagues;
mod described;
mod first_names;
mod forms;
mod holders;
mod institutions;
mod names;
mod owners;
mod places;
mod products;
mod roles;
mod scripts;
pub(super) use scripts::no_latin_reading;
mod staff;
mod working;

use described::described;
pub(super) use described::jobs as community_jobs;
pub(super) use described::openers as description_openers;
use first_names::{age_follows, forename_alone};
pub(super) use forms::teaching_heading;
use forms::{initials, said_to_be_a_patient, says_made_up};
use names::named;
pub(super) use owners::{
    a_colleague_s_mailbox, is_person_noun, names_a_person, owner_before, public_owner_before,
    says_whose, staff_contact,
};

use colleagues::Colleagues;
pub(super) use places::is_chain;
use roles::ROLES;
pub(super) use roles::titles_a_role;
use staff::{WEEKDAYS, before_a_colleague, staff_or_place};

#[cfg(test)]
mod staff_tests;
#[cfg(test)]
mod tests;
