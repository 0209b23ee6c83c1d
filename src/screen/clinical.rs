//! Clinical context: words that say a message is about someone's health or
//! care — medicines (by name, by their family's ending, by a dose), medicine
//! words ("meds", "dosette", "script"), conditions ("diabetic", "seizures"),
//! care events ("discharged", "admitted") and patient words ("pt", "patient").
//!
//! On its own clinical context is the substance of nearly every message the
//! team sends (stock, recalls, guidance). It matters only in combination:
//! with a person's name, or with details that single someone out (see
//! `decide`).

use super::lexicon::{Bits256, Vocabulary, is_clinical_listed, possessive_base, with_folded};
use super::tokens::Token;

/// Medicine and care words, lower case, sorted; with the Welsh, Polish and
/// romanised Urdu words members' messages pass on ("meddyginiaeth",
/// "insulina", "cukrzyca", "dawai"; in Urdu script, see
/// [`in_another_script`]).
#[rustfmt::skip]
pub(super) const WORDS: &[&str] = &[
    "abpm", "adcal", "addiction", "adhd", "admission", "admitted", "allergic", "allergies", "allergy",
    "alzheimers", "amitriptyline", "amlodipine", "amoxicillin", "antenatal", "antibiotic",
    "antibiotics", "anticoag", "anticoagulant", "antidepressant", "antiretroviral",
    "antiretrovirals", "anxiety", "arthritis", "asthma", "asthmatic", "autism", "autistic",
    "bed-bound", "bedbound", "benzo", "benzos", "bimar", "bimari", "bipolar", "bisoprolol",
    "blister", "bloods", "booster", "bp", "bupe", "buprenorphine", "cancer", "capsules", "carbamazepine",
    "carer", "carers", "catheter", "cds", "chemo", "chemotherapy", "cholesterol", "clozapine",
    "co-codamol", "codeine", "confused", "contraception", "contraceptive", "copd", "covid", "cream",
    "creon", "cukrzyca", "cukrzyce", "cukrzycy", "dawaai", "dawai", "deceased", "dementia", "depression",
    "detox", "diabetes", "diabetic", "diagnosed", "diagnosis", "dialysis", "diazepam", "died", "digoxin",
    "discharge", "discharged", "dnacpr", "dosage", "dose", "doses", "dosette", "dressings", "drop",
    "drops", "dyslexia", "ecg", "eczema", "egfr", "eol", "epilepsy", "epileptic", "epipen",
    "espranor", "eye", "fentanyl", "flu", "fostair", "frail", "gabapentin", "gtn", "hb", "hba1c",
    "hepatitis", "hinswlin", "hiv", "hospice", "housebound", "hrt", "hypo", "incontinence",
    "inhaler", "inhalers", "injection", "injections", "inr", "insulin", "insulina", "insuline",
    "insuliny", "inswlin", "interpreter", "jab", "jic", "keppra", "kidneys", "leki", "lekow",
    "levothyroxine", "libre", "liquid", "lithium", "mar", "mds", "meddyginiaeth", "medication",
    "medications", "medicine", "medicines", "meds", "meter", "metformin", "methadone",
    "methotrexate", "midazolam", "migraine", "mirtazapine", "moddion", "morfina", "morning-after", "morphine",
    "mounjaro", "naloxone", "naproxen", "needles", "nms", "ointment", "operation", "opioid",
    "opioids", "oramorph", "overdose", "overdosed", "oxycodone", "oxygen", "ozempic", "pain",
    "painkillers", "palliative", "paracetamol", "parkinson", "parkinsons", "patch", "patches",
    "patient", "pens", "pessaries", "pill", "pills", "poorly", "pregabalin", "pregnant", "prep",
    "prescription", "prescriptions", "presgripsiwn", "psoriasis", "pt", "pump", "quetiapine",
    "radiotherapy", "rash", "reaction", "recepta", "recepte", "referral", "referred", "relapse",
    "repeat", "risperidone", "rx", "sachets", "safeguarding", "schizophrenia", "script", "scripts",
    "seizure", "seizures", "sertraline", "sharps", "shingles", "sickle", "spacer", "spray",
    "steroid", "steroids", "stoma", "strips", "stroke", "subutex", "sugar", "sugars", "supervised",
    "swallow", "syrup", "tabledi", "tabletki", "tablets", "tabs", "tb", "thrush", "tramadol",
    "transplant", "tray", "tto", "ttos", "ulcer", "ulcers", "vaccinated", "vaccination", "ventolin",
    "warfarin", "wegovy", "wheelchair", "wheezy", "wound", "x-ray",
];

/// "Medicine" in Urdu, Hindi, Punjabi, Gujarati and Bengali script, read as written
/// (the lexicon folds words to Latin letters, where these would be
/// consonants only).
const IN_OTHER_SCRIPTS: &[&str] = &[
    "دوا",
    "دوائی",
    "دواء",
    "दवा",
    "दवाई",
    "ਦਵਾਈ",
    "દવા",
    "ওষুধ",
    "ঔষধ",
];

/// True for a medicine word written in another script.
pub(super) fn in_another_script(word: &str) -> bool {
    !word.is_ascii() && IN_OTHER_SCRIPTS.contains(&word)
}

/// Endings of medicine families' international names: "atorvastatin",
/// "ramipril", "apixaban", "omeprazole".
#[rustfmt::skip]
const ENDINGS: &[&str] = &[
    "azepam", "azole", "cillin", "cycline", "dipine", "done", "floxacin", "formin", "gliflozin",
    "gliptin", "glutide", "lukast", "mab", "mycin", "olol", "oxetine", "parin", "prazole",
    "pril", "sartan", "semide", "statin", "terol", "thiazide", "tidine", "triptan", "tropium",
    "tyline", "xaban", "zolam",
];

/// The last two letters of every one of [`ENDINGS`], as bits of a 256-bit
/// sketch: most words end otherwise and are turned away at once.
const ENDING_TAILS: Bits256 = {
    let mut tails = Bits256::EMPTY;
    let mut i = 0;
    while i < ENDINGS.len() {
        tails = tails.set(tail_bit(ENDINGS[i].as_bytes()));
        i += 1;
    }
    tails
};

const fn tail_bit(word: &[u8]) -> usize {
    word[word.len() - 1] as usize * 31 + word[word.len() - 2] as usize * 7
}

/// True when `word` (folded, two letters or more) ends as one of [`ENDINGS`].
fn has_ending(word: &str) -> bool {
    ENDING_TAILS.has(tail_bit(word.as_bytes())) && ENDINGS.iter().any(|e| word.ends_with(e))
}

/// Units that make a number a dose: "5mg", "500 mcg", "2 puffs".
const DOSE_UNITS: &[&str] = &[
    "mg",
    "mcg",
    "microgram",
    "micrograms",
    "ml",
    "units",
    "puffs",
];

/// Conditions written as capitals that are also ordinary short words or
/// initials in lower case ("pe", "ra"), or something else in capitals too
/// ("CP", community pharmacy; "DM", a direct message; "PE" lessons): before
/// an age ("RA, 78,") they are a condition, not someone's initials.
#[rustfmt::skip]
const CONDITIONS_IN_CAPITALS: &[&str] = &[
    "ASD", "BPD", "CF", "CP", "DM", "DS", "HF", "LD", "MI", "OA", "PD", "PE", "RA", "TIA", "UC",
];

/// Conditions written as capitals that are nothing else in a message:
/// clinical words wherever they stand ("has MS", "new AF"), but for
/// Microsoft's "MS Teams". ("MI" is Medicines Information to a pharmacist,
/// "TIA" thanks in advance.)
#[rustfmt::skip]
const CONDITIONS_ONLY_IN_CAPITALS: &[&str] = &[
    "AF", "CHF", "GORD", "HTN", "IDDM", "IHD", "MND", "MS", "NIDDM", "PKU", "SLE",
];

/// True for a clinical word, or a condition written in capitals ("AF").
pub(super) fn is_clinical_abbreviation(word: &str) -> bool {
    CONDITIONS_IN_CAPITALS.contains(&word)
        || CONDITIONS_ONLY_IN_CAPITALS.contains(&word)
        || is_clinical_word(word)
}

/// True when `word`, with `next` the word after it, is a condition in
/// capitals ([`CONDITIONS_ONLY_IN_CAPITALS`]): "MS", not "MS Teams" nor
/// the title in "MS JONES".
pub(super) fn condition_in_capitals(word: &str, next: Option<&str>) -> bool {
    // Most words are not two to five capitals: turned away at once.
    if !(2..=5).contains(&word.len()) || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let microsoft = next.is_some_and(|n| {
        MICROSOFT.contains(n) || n.len() > 1 && n.bytes().all(|b| b.is_ascii_uppercase())
    });
    CONDITIONS_ONLY_IN_CAPITALS.contains(&word) && !(word == "MS" && microsoft)
}

/// Microsoft's products, after "MS".
#[rustfmt::skip]
static MICROSOFT: Vocabulary = Vocabulary::new(&[
    "teams", "forms", "word", "excel", "office", "outlook", "365", "sharepoint", "planner",
    "edge", "onenote", "bookings", "access", "project", "paint", "windows",
]);

/// True when the word (any case) is clinical.
pub(super) fn is_clinical_word(word: &str) -> bool {
    with_folded(word, is_clinical_folded)
}

/// [`is_clinical_word`] of a word folded already.
fn is_clinical_folded(w: &str) -> bool {
    is_clinical_entry(w, is_clinical_listed(w))
}

/// [`is_clinical_word`] of a folded word whose lexicon entry says whether
/// it is `listed`: [`WORDS`] and `lexicon/clinical.txt` (the wider
/// vocabulary: medicines, generic and UK brand names, drug classes and
/// forms, conditions and symptoms formal and lay, care events and settings;
/// see `lexicon/SOURCES.md`), which the lexicon holds.
pub(super) fn is_clinical_entry(w: &str, listed: bool) -> bool {
    let singular = w.strip_suffix('s').unwrap_or(w);
    listed
        || (singular.len() < w.len() && is_clinical_listed(singular))
        || (w.len() >= 6 && has_ending(singular))
        // "co-codamol", "co-amilofruse", "co-amoxiclav"
        || (w.len() >= 8 && w.starts_with("co-"))
        || w.starts_with(|c: char| c.is_ascii_digit())
            && DOSE_UNITS.contains(&w.trim_start_matches(|c: char| c.is_ascii_digit()))
}

/// Conditions named after the doctor who described them, written with
/// their "'s" ("Addison's", "Crohn's"): a condition, not someone's name
/// ("Bell's", "Wilson's" and "Paget's" are too often a person's).
static EPONYMOUS_CONDITIONS: Vocabulary = Vocabulary::new(&[
    "addison",
    "alzheimer",
    "asperger",
    "crohn",
    "cushing",
    "hodgkin",
    "huntington",
    "meniere",
    "parkinson",
    "raynaud",
    "tourette",
]);

/// Words said of a condition after its name ("Parkinson's UK", "Crohn's
/// disease", "Addison's card"): with them a name's "'s" is the condition's.
#[rustfmt::skip]
pub(super) static SAID_OF_A_CONDITION: Vocabulary = Vocabulary::new(&[
    "association", "awareness", "card", "clinic", "disease", "flare", "nurse", "nurses",
    "patients", "service", "services", "society", "syndrome", "team", "uk", "group", "groups",
    "leaflet", "leaflets", "support", "self-help", "charity", "week",
]);

/// True for a condition named after someone, with its "'s": "Addison's".
pub(super) fn eponymous_condition(word: &str) -> bool {
    possessive_base(word).is_some_and(|base| EPONYMOUS_CONDITIONS.contains(base))
}

/// What a text's words say of health, read in one pass: its clinical
/// words, and those said of someone.
pub(super) struct Clinical {
    /// The spans of the clinical words, in order.
    pub(super) words: Vec<(usize, usize)>,
    /// Clinical words said of someone: "her morphine patch", "Edna's
    /// methadone", "she's started chemo", "he's just been diagnosed HIV+".
    /// A first name with health said of them is that person's health, not
    /// a message about a medicine. What staff do with medicines ("he's
    /// dropped off the methadone", "her flu clinic", "has been trained on
    /// the pump") is said of no one.
    pub(super) health: Vec<(usize, usize)>,
    /// The starts of those said of a subject ("she's started chemo", "has
    /// just been diagnosed"), not of an owner ("her warfarin", whose owner
    /// may be anyone the message names).
    pub(super) of_subjects: Vec<usize>,
}

/// Reads the clinical words among a text's `tokens` (see [`Clinical`]).
pub(super) fn read(text: &str, tokens: &[Token]) -> Clinical {
    let mut clinical = Clinical {
        words: Vec::new(),
        health: Vec::new(),
        of_subjects: Vec::new(),
    };
    for i in clinical_tokens(tokens) {
        let span = (tokens[i].start, tokens[i].end());
        clinical.words.push(span);
        let subject = health::subject_before(text, tokens, i);
        if subject {
            clinical.of_subjects.push(span.0);
        }
        if subject || health::owned(text, tokens, i) {
            clinical.health.push(span);
        }
    }
    clinical
}

/// The indices of the clinical words among `tokens`: listed words, and a
/// dose's unit after its number ("20 mg").
fn clinical_tokens<'a>(tokens: &'a [Token]) -> impl Iterator<Item = usize> + 'a {
    tokens.iter().enumerate().filter_map(|(i, t)| {
        let after_number = i
            .checked_sub(1)
            .is_some_and(|p| tokens[p].text.bytes().all(|b| b.is_ascii_digit()));
        let unit_after_number = after_number && DOSE_UNITS.contains(&t.folded.as_ref());
        (unit_after_number || t.clinical).then_some(i)
    })
}

/// Words after a name that make it a rule's, a test's or a book's.
#[rustfmt::skip]
pub(super) static EPONYM_HEADS: Vocabulary = Vocabulary::new(&[
    "guidelines", "guideline", "guidance", "criteria", "competence", "competency", "rules",
    "score", "scale", "syndrome", "disease", "book", "guide", "protocol", "questionnaire",
    "classification", "formula", "equation",
]);

/// Words of letters and digits, with their starts; an apostrophe or a
/// hyphen inside a word is part of it ("O'Brien-Jones", "co-codamol").
pub(super) fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`]. Every recogniser reads the text's words, so
/// it reads bytes and decodes a char only where one is not ASCII.
pub(super) struct Words<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Words<'t> {
    /// The length of the char at `i` when it belongs in a word (a letter, a
    /// digit or a joiner), or `None` when it separates words.
    fn word_char(&self, i: usize) -> Option<usize> {
        let b = self.text.as_bytes()[i];
        if b.is_ascii() {
            return ascii_word_byte(b).then_some(1);
        }
        let c = self.text[i..].chars().next()?;
        (c.is_alphanumeric() || c == '’' || joins_letters(c)).then_some(c.len_utf8())
    }
}

/// Marks inside words of the Indian scripts that are no letters (the
/// virama that joins consonants, the nukta), and the zero-width joiners
/// Urdu and the Indian scripts type: "शर्मा" is one word, not "शर" and "मा".
fn joins_letters(c: char) -> bool {
    matches!(
        c as u32,
        0x093C | 0x094D | 0x09BC | 0x09CD | 0x0A3C | 0x0A4D | 0x0ABC | 0x0ACD | 0x200C | 0x200D
    )
}

/// An ASCII letter, digit, apostrophe or hyphen.
const fn ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\'' || b == b'-'
}

impl<'t> Iterator for Words<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        while self.at < len {
            // Skip what separates words, then take the run of word chars;
            // ASCII is decided by a table, other chars decoded.
            while self.at < len {
                match ASCII_CLASS[bytes[self.at] as usize] {
                    SEPARATOR => self.at += 1,
                    WORD => break,
                    _ if self.word_char(self.at).is_some() => break,
                    _ => self.at += utf8_len(bytes[self.at]),
                }
            }
            let start = self.at;
            while self.at < len {
                match ASCII_CLASS[bytes[self.at] as usize] {
                    WORD => self.at += 1,
                    SEPARATOR => break,
                    _ => match self.word_char(self.at) {
                        Some(n) => self.at += n,
                        None => break,
                    },
                }
            }
            // Joiners join: at a word's ends they are quotes and dashes.
            let (from, to) = without_joiners(bytes, start, self.at);
            if from < to {
                return Some((from, &self.text[from..to]));
            }
        }
        None
    }
}

/// What a byte is to [`Words`]: an ASCII byte of a word, an ASCII byte
/// between words, or the first (or a later) byte of a char to decode.
const SEPARATOR: u8 = 0;
const WORD: u8 = 1;
const DECODE: u8 = 2;

/// [`SEPARATOR`], [`WORD`] or [`DECODE`] for every byte: one load per byte
/// of a message, not a chain of comparisons.
static ASCII_CLASS: [u8; 256] = {
    let mut class = [DECODE; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = if ascii_word_byte(b as u8) {
            WORD
        } else {
            SEPARATOR
        };
        b += 1;
    }
    class
};

/// The run `from..to` of word chars without the joiners that open or close
/// it: an apostrophe, a hyphen or a curly apostrophe (`’`), which join
/// the parts of one word ("O'Brien-Jones") but at its ends are quotes and
/// dashes. Read as bytes: the run is nearly always ASCII.
fn without_joiners(b: &[u8], mut from: usize, mut to: usize) -> (usize, usize) {
    const CURLY: &[u8] = "’".as_bytes();
    while from < to {
        if matches!(b[from], b'\'' | b'-') {
            from += 1;
        } else if b[from..to].starts_with(CURLY) {
            from += CURLY.len();
        } else {
            break;
        }
    }
    while from < to {
        if matches!(b[to - 1], b'\'' | b'-') {
            to -= 1;
        } else if b[from..to].ends_with(CURLY) {
            to -= CURLY.len();
        } else {
            break;
        }
    }
    (from, to)
}

/// The length of the UTF-8 char whose first byte is `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clinical(text: &str) -> Vec<&str> {
        let lower = crate::screen::tokens::LowerCase::of(text);
        read(text, &crate::screen::tokens::tokens(text, &lower))
            .words
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn the_word_list_is_sorted_for_its_search() {
        assert!(WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn medicines_doses_conditions_and_care() {
        assert_eq!(clinical("on Atorvastatin 20mg"), ["Atorvastatin", "20mg"]);
        assert_eq!(clinical("2 puffs of the Ventolin"), ["puffs", "Ventolin"]);
        assert_eq!(
            clinical("she's DIABETIC, pt's meds"),
            ["DIABETIC", "pt's", "meds"]
        );
        assert_eq!(clinical("apixaban and ramipril"), ["apixaban", "ramipril"]);
    }

    #[test]
    fn conditions_in_capitals_are_clinical_but_not_microsoft_or_a_title() {
        assert_eq!(clinical("the one who had the MND"), ["MND"]);
        // Medicines Information; thanks in advance.
        assert!(clinical("Rang MI, they will call back. TIA Gemma").is_empty());
        assert_eq!(clinical("3 yo with PKU"), ["PKU"]);
        assert!(clinical("join on MS Teams").is_empty());
        assert!(clinical("MS JONES rang").is_empty());
        assert!(clinical("ms jones and mi casa").is_empty());
    }

    #[test]
    fn words_keep_inner_joiners_and_any_script() {
        let text = "--O’Brien-Jones's 'co-codamol' Zoë\u{a0}\u{1f44d}Siân 5mg-";
        let found: Vec<(usize, &str)> = words(text).collect();
        assert_eq!(
            found,
            [
                (2, "O’Brien-Jones's"),
                (21, "co-codamol"),
                (33, "Zoë"),
                (43, "Siân"),
                (49, "5mg"),
            ]
        );
    }

    #[test]
    fn ordinary_words_are_not_clinical() {
        assert!(clinical("Summer opening hours start 1 July at the station").is_empty());
        assert!(clinical("a mobile phone and a done deal").is_empty());
    }
}

mod health;
pub(super) use health::{a_service_word, in_hospital};
