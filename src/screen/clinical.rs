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
use super::one_of;
use super::tokens::Token;

/// Medicine and care words, lower case, sorted; with the Welsh, Polish and
/// romanised Urdu words members' messages pass on ("meddyginiaeth",
/// "insulina", "cukrzyca", "dawai").
#[rustfmt::skip]
pub(super) const WORDS: &[&str] = &[
    "adcal", "addiction", "adhd", "admission", "admitted", "allergic", "allergies", "allergy",
    "alzheimers", "amitriptyline", "amlodipine", "amoxicillin", "antenatal", "antibiotic",
    "antibiotics", "anticoag", "anticoagulant", "antidepressant", "antiretroviral",
    "antiretrovirals", "anxiety", "arthritis", "asthma", "asthmatic", "autism", "autistic",
    "bed-bound", "bedbound", "benzo", "benzos", "bimar", "bimari", "bipolar", "bisoprolol",
    "blister", "bloods", "booster", "bp", "buprenorphine", "cancer", "capsules", "carbamazepine",
    "carer", "carers", "catheter", "cds", "chemo", "chemotherapy", "cholesterol", "clozapine",
    "co-codamol", "codeine", "confused", "contraception", "contraceptive", "copd", "covid", "cream",
    "creon", "cukrzyca", "cukrzyce", "cukrzycy", "dawaai", "dawai", "dementia", "depression",
    "detox", "diabetes", "diabetic", "diagnosed", "diagnosis", "dialysis", "diazepam", "digoxin",
    "discharge", "discharged", "dnacpr", "dosage", "dose", "doses", "dosette", "dressings", "drop",
    "drops", "dyslexia", "ecg", "eczema", "egfr", "eol", "epilepsy", "epileptic", "epipen",
    "espranor", "eye", "fentanyl", "flu", "fostair", "frail", "gabapentin", "gtn", "hb", "hba1c",
    "hepatitis", "hinswlin", "hiv", "hospice", "housebound", "hrt", "hypo", "incontinence",
    "inhaler", "inhalers", "injection", "injections", "inr", "insulin", "insulina", "insuline",
    "insuliny", "inswlin", "interpreter", "jab", "keppra", "kidneys", "leki", "lekow",
    "levothyroxine", "libre", "liquid", "lithium", "mar", "mds", "meddyginiaeth", "medication",
    "medications", "medicine", "medicines", "meds", "meter", "metformin", "methadone",
    "methotrexate", "midazolam", "migraine", "mirtazapine", "moddion", "morning-after", "morphine",
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
        let subject = subject_before(text, tokens, i);
        if subject {
            clinical.of_subjects.push(span.0);
        }
        if subject || owned(text, tokens, i) {
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

/// What a medicine or a condition names when it is a service or a duty,
/// not someone's health: "her flu clinic", "his methadone stock".
#[rustfmt::skip]
static SERVICES: Vocabulary = Vocabulary::new(&[
    "clinic", "clinics", "stock", "training", "session", "sessions", "list", "lead", "round",
    "rounds", "service", "services", "team", "order", "orders", "fridge", "cupboard", "audit",
    "course", "rota", "pump", "reviews", "supervision", "shift", "shifts",
]);

/// What is said of a person's health between "she's" (or "has been") and a
/// clinical word, or is the clinical word: "started chemo", "been
/// diagnosed", "pregnant", "is now on insulin".
#[rustfmt::skip]
static HEALTH_VERBS: Vocabulary = Vocabulary::new(&[
    "started", "starting", "having", "diagnosed", "suffering", "struggling", "addicted",
    "recovering", "undergoing", "got", "caught", "admitted", "sectioned", "hospitalised",
    "hospitalized", "discharged", "prescribed", "referred", "pregnant", "on",
]);

/// Conditions, and what is done to a patient rather than dispensed: said
/// with "has", "had", "got" or "with" ("has MS", "she's got shingles",
/// "Gethin with the MS"), they are someone's health, where a medicine
/// after "has" is stock ("Ionela has 6 boxes of Lixiana").
#[rustfmt::skip]
static CONDITIONS: Vocabulary = Vocabulary::new(&[
    "addiction", "adhd", "af", "agony", "alcoholism", "allergy", "alzheimers", "anaemia",
    "angina", "anorexia", "anxiety", "arthritis", "asthma", "autism", "bipolar", "bleed",
    "blood-clot", "bronchitis", "bulimia", "cancer", "cataracts", "cellulitis", "chemo",
    "chemotherapy", "chf", "cirrhosis", "clot", "colitis", "copd", "covid", "crohns",
    "cystic-fibrosis", "dementia", "depression", "diabetes", "dialysis", "diverticulitis",
    "dvt", "dysphagia", "eczema", "emphysema", "endometriosis", "epilepsy", "fibromyalgia",
    "fracture", "gangrene", "glaucoma", "gord", "gout", "haemophilia", "heart-failure",
    "hepatitis", "hiv", "htn", "hypertension", "ihd", "incontinence", "infection",
    "leukaemia", "lupus", "lymphoedema", "lymphoma", "migraine", "migraines", "mnd",
    "ms", "osteoporosis", "parkinsons", "pku", "pneumonia", "pregnant", "psoriasis", "psychosis",
    "radiotherapy", "rash", "scabies", "schizophrenia", "seizures", "sepsis", "shingles",
    "sickle", "sle", "stroke", "tb", "thrush", "tonsillitis", "transplant", "tumour",
    "ulcer", "ulcers", "uti",
]);

/// True when the word at token `i` is one of [`CONDITIONS`] and not a
/// product's or a service's name ("shingles vaccine", "asthma clinic").
fn condition_at(text: &str, tokens: &[Token], i: usize) -> bool {
    let product = tokens.get(i + 1).is_some_and(|n| {
        text[tokens[i].end()..n.start] == *" " && (n.clinical || SERVICES.contains(&n.folded))
    });
    CONDITIONS.contains(&tokens[i].folded) && !product
}

/// True when the word at token `i` is someone's ("her morphine patch",
/// "Edna's methadone", "her anti-sickness meds": the owner one or two
/// words before) and not a service ("her flu clinic").
fn owned(text: &str, tokens: &[Token], i: usize) -> bool {
    let possessive =
        |j: usize| one_of(tokens[j].text, &["his", "her", "their"]) || forenames(tokens, j);
    !a_service(tokens, i)
        && (1..=2)
            .filter_map(|back| i.checked_sub(back))
            .take_while(|&j| same_clause(text, &tokens[j], &tokens[j + 1]))
            .any(possessive)
}

/// True when the clinical word at token `i`, or the word after it, names
/// a service or a duty: "flu clinic", "methadone stock", "insulin training".
fn a_service(tokens: &[Token], i: usize) -> bool {
    [i, i + 1]
        .iter()
        .any(|&k| tokens.get(k).is_some_and(|t| SERVICES.contains(&t.folded)))
}

/// A first name with "'s", capitalised: "Edna's", "Kelly's been" (not
/// "He's", which the name lists also hold, nor "Addison's disease").
fn forenames(tokens: &[Token], j: usize) -> bool {
    let t = &tokens[j];
    let eponym = tokens
        .get(j + 1)
        .is_some_and(|n| EPONYM_HEADS.contains(&n.folded));
    possessive_base(t.text).is_some_and(|b| {
        b.starts_with(|c: char| c.is_uppercase())
            && !one_of(
                b,
                &["he", "she", "it", "that", "there", "what", "who", "here"],
            )
    }) && t.entry.forename
        && !eponym
}

/// Most words between "she's" and what is said of her: "she's just been
/// diagnosed".
const SUBJECT_REACH: usize = 4;

/// True when "he" or "she" (or "has been", or "Kelly's") is among the few
/// words before the word at token `i`, in the same clause, and what is
/// said between is of health: "she's started chemo", "has just been
/// diagnosed with MS" (one person, where "have been" is everyone).
fn subject_before(text: &str, tokens: &[Token], i: usize) -> bool {
    // "Lisa Tranter is off having chemo": a name, then "is".
    // "Lisa who works on the tills at the Tesco in Penarth is on clozapine":
    // a name, who or where they are, then "is".
    let named_is = |j: usize| {
        one_of(tokens[j].text, &["is", "was"])
            && j.checked_sub(1).is_some_and(|n| {
                let name = &tokens[n];
                name.text.starts_with(|c: char| c.is_uppercase())
                    && (name.entry.forename || name.entry.surname)
                    || placed_name_before(text, tokens, n, 12)
            })
    };
    // "has MS", "I've got shingles", "with the MS": a condition had.
    let condition = condition_at(text, tokens, i);
    let subject = |j: usize| {
        let word = tokens[j].text;
        one_of(
            word,
            &["he", "she", "he's", "she's", "hes", "shes", "he’s", "she’s"],
        ) || forenames(tokens, j)
            // The writer's own: "I'm 14 wks pregnant", "I've got shingles"
            // (not "I've got Creon 10000": stock).
            || condition && one_of(word, &["i", "i'm", "im", "i've", "ive", "i’m", "i’ve"])
            || named_is(j)
            || word.eq_ignore_ascii_case("been")
                && (1..=2)
                    .filter_map(|back| j.checked_sub(back))
                    .any(|h| tokens[h].text.eq_ignore_ascii_case("has"))
    };
    let of_health = |j: usize| {
        tokens[j + 1..=i].iter().any(|t| {
            HEALTH_VERBS.contains(&t.folded)
                || condition && one_of(&t.folded, &["has", "had", "with"])
        })
    };
    !a_service(tokens, i)
        && (1..=SUBJECT_REACH)
            .filter_map(|back| i.checked_sub(back))
            .take_while(|&j| same_clause(text, &tokens[j], &tokens[j + 1]))
            .any(|j| subject(j) && of_health(j))
        || said_after_a_name(text, tokens, i)
}

/// True when the clinical word at token `i` is said of a first name before
/// it, set off by a comma, a bracket or a dash: "Maureen (dementia, …)",
/// "Mehmet from the barbers on Green Lanes, on warfarin", "Gethin from
/// Cwm-cou with the MS" (a condition after "with"). The name is one word
/// ("Ama Darko (Medicine)" is a ward's pharmacist) and capitalised.
fn said_after_a_name(text: &str, tokens: &[Token], i: usize) -> bool {
    let condition = condition_at(text, tokens, i);
    // Where what is said opens: "on warfarin", "with the MS", or the word.
    // (A medicine or a role alone after a name is a list's or a job's:
    // "Yasmin, Lucette and Katya", "Hodan (interpreter)".)
    let mut at = i;
    if at > 0 && tokens[at - 1].folded == "on" {
        at -= 1;
    } else if !condition {
        return false;
    } else {
        if at > 0 && tokens[at - 1].folded == "the" {
            at -= 1;
        }
        if at > 0 && tokens[at - 1].folded == "with" {
            at -= 1;
        }
    }
    if at == 0 || a_service(tokens, i) {
        return false;
    }
    let gap = &text[tokens[at - 1].end()..tokens[at].start];
    // (A dash lists what a colleague leads: "Kate - diabetes, Tom - asthma".)
    let set_off = matches!(gap.trim(), "," | "(");
    let with = gap == " " && tokens[at].folded == "with";
    // The word ends what is said: "(dementia, …", "on warfarin, wants", not
    // "(MS nurse)", "with the GORD leaflets", "PKU formula order".
    let after = text[tokens[i].end()..].trim_start_matches(' ');
    let ends = after.is_empty()
        || after.starts_with([',', ';', ')', '.', '-', '–', '—', '\n', '!', '?'])
        || after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| one_of(w, &["and", "but", "so", "since"]));
    if !(set_off || with) || !ends {
        return false;
    }
    first_name_alone(text, tokens, at - 1) || placed_name_before(text, tokens, at - 1, 8)
}

/// True when the word at token `j` is a first name alone: capitalised, a
/// name and not a clinical word, not after another name.
fn first_name_alone(text: &str, tokens: &[Token], j: usize) -> bool {
    let name = |t: &Token| (t.entry.forename || t.entry.surname) && !t.entry.very_common;
    let t = &tokens[j];
    name(t)
        && !t.clinical
        && t.text.starts_with(char::is_uppercase)
        && (j == 0 || !name(&tokens[j - 1]) || !same_clause(text, &tokens[j - 1], t))
}

/// True when a first name alone, then where they are from or who they are,
/// opens the words before token `end` in its sentence, at most `reach`
/// words back: "Mehmet from the barbers on Green Lanes", "Lisa who works on
/// the tills at the Tesco in Penarth".
fn placed_name_before(text: &str, tokens: &[Token], end: usize, reach: usize) -> bool {
    (end.saturating_sub(reach)..end)
        .rev()
        .take_while(|&j| {
            !text[tokens[j].end()..tokens[j + 1].start].contains(['.', '!', '?', '\n'])
        })
        .any(|j| {
            first_name_alone(text, tokens, j)
                && one_of(&tokens[j + 1].folded, &["from", "at", "in", "who"])
        })
}

/// True when no sentence ends, no line breaks and no comma, dash or bracket
/// comes between the neighbouring words `a` and `b` (a word's own hyphen,
/// as in "anti-sickness", joins it).
fn same_clause(text: &str, a: &Token, b: &Token) -> bool {
    !text[a.end()..b.start].bytes().any(|c| {
        matches!(
            c,
            b'.' | b'!' | b'?' | b'\n' | b',' | b';' | b'(' | b')' | b'-'
        )
    })
}

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
        (c.is_alphanumeric() || c == '’').then_some(c.len_utf8())
    }
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

    fn said_of(text: &str) -> Vec<&str> {
        let lower = crate::screen::tokens::LowerCase::of(text);
        read(text, &crate::screen::tokens::tokens(text, &lower))
            .health
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn health_said_of_someone() {
        assert_eq!(said_of("needs her morphine patch"), ["morphine", "patch"]);
        assert_eq!(
            said_of("keep her anti-sickness meds aside"),
            ["anti-sickness", "meds"]
        );
        assert_eq!(said_of("Edna's warfarin dose"), ["warfarin", "dose"]);
        assert_eq!(said_of("Kelly’s methadone"), ["methadone"]);
        assert_eq!(said_of("she's started chemo"), ["chemo"]);
        assert_eq!(said_of("she is now on insulin"), ["insulin"]);
        assert_eq!(
            said_of("has just been diagnosed with MS"),
            ["diagnosed", "MS"]
        );
        assert_eq!(said_of("Kelly's been diagnosed"), ["diagnosed"]);
    }

    #[test]
    fn conditions_had_and_said_after_a_first_name() {
        // A condition had, by someone or by the writer.
        assert_eq!(said_of("she has early dementia"), ["dementia"]);
        assert_eq!(said_of("I've got shingles so can't come in"), ["shingles"]);
        assert_eq!(said_of("I'm 14 wks pregnant"), ["pregnant"]);
        // Set off after a first name alone, or after where they are from.
        assert_eq!(
            said_of("Maureen (dementia, stage 3 dysphagia) needs it"),
            ["dementia"]
        );
        assert_eq!(
            said_of("Mehmet from the barbers on Green Lanes, on warfarin, asked"),
            ["warfarin"]
        );
        assert_eq!(said_of("Gethin from Cwm-cou with the MS"), ["MS"]);
        // Stock, products, roles, ward names and lists are no one's health.
        for text in [
            "I've got Creon 10000 if anyone needs it",
            "I've got shingles vaccine in stock",
            "we have an asthma clinic on Monday",
            "Hodan (interpreter) and Yusuf (pharmacist) will be there",
            "Yasmin, Lucette and Katya all back in stock",
            "ward pharmacists Ama Darko (Medicine), Ruairi Daly (Surgery)",
            "Sarah - flu vaccine meeting moved",
            "join on MS Teams at 2",
        ] {
            assert!(said_of(text).is_empty(), "{text}: {:?}", said_of(text));
        }
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
    fn what_staff_do_with_medicines_is_no_ones_health() {
        for text in [
            "Dave says he's dropped off the methadone",
            "Megan says she put the insulin in the fridge",
            "Sam will run his diabetes clinic",
            "asked to check her methotrexate stock",
            "has just been trained on the methadone pump",
            "Kelly has been booked onto the naloxone training",
            "Lucy has been on the insulin training course",
            "Sam is in; he's doing methadone",
            "her, insulin",
            "her. insulin",
            "she\nstarted chemo",
        ] {
            assert!(said_of(text).is_empty(), "{text}: {:?}", said_of(text));
        }
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
