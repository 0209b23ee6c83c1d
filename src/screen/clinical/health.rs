//! Health said of someone: "her morphine patch", "she's started chemo",
//! "has MS", "I've got shingles", "Maureen (dementia, …)", "Lisa who works
//! on the tills … is on clozapine". A first name with health said of them is
//! that person's health, not a message about a medicine; what staff do with
//! medicines ("her flu clinic", "has been trained on the pump") is said of
//! no one.

use super::super::lexicon::{Vocabulary, possessive_base};
use super::super::one_of;
use super::super::tokens::Token;
use super::EPONYM_HEADS;
use subjects::{
    described_before, placed_name_before, said_after_a_name, said_who_before, same_clause,
};

mod subjects;

/// Whose a medicine is, before it: "her morphine patch", "his insulin".
const OWNERS: [&str; 3] = ["her", "his", "their"];

/// What a medicine or a condition names when it is a service or a duty,
/// not someone's health: "her flu clinic", "his methadone stock".
#[rustfmt::skip]
static SERVICES: Vocabulary = Vocabulary::new(&[
    "clinic", "clinics", "stock", "training", "session", "sessions", "list", "lead", "round",
    "rounds", "service", "services", "team", "order", "orders", "fridge", "cupboard", "audit",
    "course", "rota", "pump", "reviews", "supervision", "shift", "shifts", "bags", "boxes",
    "fittings",
    // What a clinician does or qualifies in: "her independent prescribing".
    "prescribing", "prescriber",
    // "her asthma inhaler webinar", "her CD cupboard key".
    "webinar", "key", "keys",
    // "is on the covid vaccine steering group".
    "steering", "group", "groups", "committee", "board", "forum", "network", "panel",
    "meeting", "champion", "champions", "delivery", "deliveries", "befriending",
]);

/// True for a word that makes the clinical word before it a service or a
/// duty ([`SERVICES`]): "flu vaccine stock", "insulin pen training".
pub(in crate::screen) fn a_service_word(word: &str) -> bool {
    SERVICES.contains(word)
}

/// What is said of a person's health between "she's" (or "has been") and a
/// clinical word, or is the clinical word: "started chemo", "been
/// diagnosed", "pregnant", "is now on insulin".
#[rustfmt::skip]
static HEALTH_VERBS: Vocabulary = Vocabulary::new(&[
    "started", "starting", "starts", "start", "having", "diagnosed", "suffering", "struggling", "addicted",
    "recovering", "undergoing", "got", "caught", "admitted", "sectioned", "hospitalised",
    "hospitalized", "discharged", "prescribed", "referred", "pregnant", "on",
    // What happened to the person, not what staff did: "Kayleigh missed her
    // third bupe dose", "refused dose", "he died".
    "missed", "refused", "died",
]);

/// What someone is, said right after "is" or "she's" as "pregnant" is: "the
/// fella who runs the chippy is diabetic" (not "is hosting a diabetic eye
/// screening drop-in").
#[rustfmt::skip]
static STATES: Vocabulary = Vocabulary::new(&[
    "diabetic", "epileptic", "asthmatic", "anaemic", "suicidal", "psychotic", "palliative",
    "coeliac",
]);

/// What comes right before "on" where it says what a talk or a job is
/// about, not what someone takes: "is keen on asthmatic pupils", "is
/// working on the insulin audit", "is leading on valproate".
#[rustfmt::skip]
static NOT_BEFORE_ON: Vocabulary = Vocabulary::new(&[
    "keen", "working", "focus", "focusing", "focused", "talk", "talking", "training", "advice",
    "based", "depends", "leading", "lead", "presenting", "speaking", "session", "webinar",
    "update", "guidance", "leaflet", "leaflets", "poster", "posters", "course", "article",
    "teaching", "audit", "research", "expert", "views", "thoughts", "feedback", "slides",
    "notes", "info", "information", "comment", "comments", "advising", "reporting",
]);

/// What "on" says after "is" that is no medicine: "is on board with flu
/// jabs", "is on leave", "is on call for the insulin round".
#[rustfmt::skip]
static ON_DUTY: Vocabulary = Vocabulary::new(&[
    "board", "leave", "holiday", "call", "duty", "shift", "site", "track", "hand", "top",
    "time", "annual", "maternity", "paternity", "nights", "days", "lates", "earlies",
]);

/// What happened to someone, said right after their name: "Edna died",
/// "Gethin diagnosed with MS" (with "her" or "his" after it, also
/// "missed" and "refused": "Kayleigh missed her dose").
static HAPPENED: Vocabulary = Vocabulary::new(&[
    "diagnosed",
    "died",
    "sectioned",
    "hospitalised",
    "hospitalized",
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
    // What happens to someone rather than what they live with: "Ellie had
    // anaphylaxis last night", "she's had a miscarriage", "had a seizure".
    "anaphylaxis", "miscarriage", "overdose", "seizure", "heart-attack", "meningitis",
    "measles", "chickenpox", "mumps", "norovirus", "appendicitis", "hernia", "gallstones",
    "sciatica", "delirium", "self-harm", "ptsd", "ocd",
    "mrsa", "cdiff", "syphilis", "chlamydia", "gonorrhoea", "herpes", "sti", "stis", "aki",
    "ckd", "dka", "hypo", "hypos", "bedsores", "concussion",
]);

/// Words that take a patient to hospital: "taken to hospital", "admitted
/// to hospital".
#[rustfmt::skip]
static TAKEN: Vocabulary = Vocabulary::new(&[
    "taken", "rushed", "admitted", "sent", "transferred", "blue-lighted", "blue-lit",
    "ambulanced", "readmitted",
]);

/// Words that may follow "in hospital" said of a patient: "in hospital
/// since Friday", "in hospital with a chest infection", "in hospital." —
/// where "in hospital pharmacy" or "in hospital settings" is a workplace.
#[rustfmt::skip]
static AFTER_IN_HOSPITAL: Vocabulary = Vocabulary::new(&[
    "since", "with", "after", "and", "again", "now", "until", "till", "this", "today",
    "tonight", "yesterday", "so", "but", "still", "atm", "currently", "following", "because",
    "then", "last", "overnight", "getting", "having", "being", "waiting", "x", "xx", "dont",
    "don't", "don’t", "pls", "please",
]);

/// Words before "in hospital", in its clause, that make it where someone
/// works: "works in hospital", "our pharmacist has been in hospital since
/// 8 doing the audit" (not a GP's or a doctor's, who say where a patient
/// is: "her GP says she's in hospital").
#[rustfmt::skip]
static WORKS: Vocabulary = Vocabulary::new(&[
    "work", "works", "worked", "working", "based", "employed", "job", "jobs", "placement",
    "placements", "rotation", "rotations", "pharmacists", "pharmacist", "roles", "role",
    "training", "experience", "tech", "technician", "locum", "shift", "shifts",
]);

/// The words for a hospital that [`in_hospital`] reads.
const HOSPITAL: [&str; 2] = ["hospital", "hosp"];

/// True when the word at token `i` is "hospital" said of where a patient
/// is: "is in hospital", "went into hospital", "taken to hospital" — being
/// there is their health, as "admitted" is.
pub(in crate::screen) fn in_hospital(text: &str, tokens: &[Token], i: usize) -> bool {
    let spaced = |a: usize| text[tokens[a].end()..tokens[a + 1].start] == *" ";
    if !one_of(&tokens[i].folded, &HOSPITAL) || i == 0 || !spaced(i - 1) {
        return false;
    }
    let into = &tokens[i - 1].folded;
    let before = |n: usize| i.checked_sub(n).map(|j| &tokens[j]);
    let taken =
        into == "to" && before(2).is_some_and(|t| spaced(i - 2) && TAKEN.contains(&t.folded));
    // The clause before, up to eight words back.
    let at_work = (2..=9)
        .map_while(|n| before(n).filter(|_| same_clause(text, &tokens[i - n], &tokens[i - n + 1])))
        .any(|t| WORKS.contains(&t.folded));
    let ends = tokens
        .get(i + 1)
        .is_none_or(|n| !spaced(i) || AFTER_IN_HOSPITAL.contains(&n.folded));
    (one_of(into, &["in", "into"]) && !at_work || taken) && ends
}

/// True when what is said of someone ends at token `i`: the clause ends,
/// or when or where it happened follows ("had a hypo on the bus", "had
/// anaphylaxis last night"), not a noun the word describes ("has a hypo
/// box", "had a measles query", "an overdose of Teams calls").
fn ends_a_state(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_none_or(|n| {
        !same_clause(text, &tokens[i], n)
            || AFTER_IN_HOSPITAL.contains(&n.folded)
            || one_of(
                &n.folded,
                &["on", "at", "in", "twice", "during", "while", "when"],
            )
    })
}

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
pub(super) fn owned(text: &str, tokens: &[Token], i: usize) -> bool {
    let possessive = |j: usize| one_of(tokens[j].text, &OWNERS) || forenames(tokens, j);
    !a_service(tokens, i)
        && ((1..=2)
            .filter_map(|back| i.checked_sub(back))
            .take_while(|&j| same_clause(text, &tokens[j], &tokens[j + 1]))
            .any(possessive)
            || taken_after(text, tokens, i)
            || taken_by_who(text, tokens, i))
}

/// What one person is said to take, after "who": "the tall lad with the
/// tattoo who picks up daily supervised methadone", "the lady who gets
/// her Creon from us".
#[rustfmt::skip]
static TAKES: Vocabulary = Vocabulary::new(&[
    "takes", "took", "gets", "collects", "collected", "picks", "picked", "buys", "bought",
    "uses", "used",
]);

/// Who "who" may not stand for when it is one person: many, or anyone
/// ("patients who take valproate", "anyone who collects methadone").
#[rustfmt::skip]
static MANY: Vocabulary = Vocabulary::new(&[
    "anyone", "anybody", "someone", "somebody", "everyone", "everybody", "those", "people",
    "all", "others", "many", "few", "some", "any", "each", "every", "ones", "whoever",
    "patients", "pts", "clients", "residents", "customers", "members", "users", "parents",
    "carers", "children", "kids", "women", "men", "adults", "families", "mums", "dads",
    "staff", "colleagues", "students", "pupils", "pharmacies", "practices", "teams", "homes",
]);

/// True when the clinical word at token `i` is what one person is said to
/// take, in a clause opened by "who" at most four words before it: "who
/// picks up daily supervised methadone", "who is on clozapine" (not "pts
/// who take valproate", "anyone who collects methadone", "who took the
/// warfarin call").
fn taken_by_who(text: &str, tokens: &[Token], i: usize) -> bool {
    (1..=5)
        .filter_map(|back| i.checked_sub(back))
        .take_while(|&j| same_clause(text, &tokens[j], &tokens[j + 1]))
        .any(|j| {
            let who = tokens[j].folded == "who";
            let takes = tokens.get(j + 1).is_some_and(|v| {
                TAKES.contains(&v.folded)
                    || one_of(&v.folded, &["is", "was"])
                        && tokens.get(j + 2).is_some_and(|o| o.folded == "on")
            });
            // One person before "who": not many ("pts", "patients") nor
            // anyone.
            let one = j
                .checked_sub(1)
                .is_some_and(|b| !MANY.contains(&tokens[b].folded));
            // What they take, not what staff handle: "who gets the
            // methadone from Alliance", "who uses the clozapine portal".
            let theirs = tokens[j + 1..i].iter().all(|t| {
                !one_of(
                    &t.folded,
                    &["the", "our", "your", "a", "an", "this", "that"],
                )
            });
            who && takes && one && theirs
        })
}

/// True when the words after the clinical word at token `i` say someone
/// takes it: "what meds she's on", "the patches he is on", "the tablets
/// she takes" (not "the spacer she uses for demos").
fn taken_after(text: &str, tokens: &[Token], i: usize) -> bool {
    let word = |n: usize| {
        tokens
            .get(i + n)
            .filter(|t| same_clause(text, &tokens[i + n - 1], t))
            .map(|t| t.text)
    };
    let is = |n: usize, these: &[&str]| word(n).is_some_and(|w| one_of(w, these));
    let one = ["she", "he"];
    is(1, &["she's", "he's", "she’s", "he’s"]) && is(2, &["on"])
        || is(1, &one) && (is(2, &["is", "was"]) && is(3, &["on"]) || is(2, &["takes"]))
}

/// True when the clinical word at token `i`, or the word after it, names
/// a service or a duty: "flu clinic", "methadone stock", "insulin training".
fn a_service(tokens: &[Token], i: usize) -> bool {
    // "covid vaccine steering group", "palliative care befriending group":
    // the service's word may come after more clinical words (not "her
    // lansoprazole till GP reviews").
    for k in i..=i + 3 {
        let Some(t) = tokens.get(k) else {
            return false;
        };
        if SERVICES.contains(&t.folded) {
            return true;
        }
        if k > i && !t.clinical {
            return false;
        }
    }
    false
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

/// A capitalised first name that is no very common word: "Kayleigh",
/// "Kev" (not "Will").
fn a_first_name(t: &Token) -> bool {
    t.text.starts_with(char::is_uppercase) && t.entry.forename && !t.entry.very_common
}

/// Most words between "she's" and what is said of her: "she's just been
/// diagnosed".
const SUBJECT_REACH: usize = 4;

/// True when "he" or "she" (or "has been", or "Kelly's") is among the few
/// words before the word at token `i`, in the same clause, and what is
/// said between is of health: "she's started chemo", "has just been
/// diagnosed with MS" (one person, where "have been" is everyone).
pub(super) fn subject_before(text: &str, tokens: &[Token], i: usize) -> bool {
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
                    || said_who_before(text, tokens, n, 12)
                    || described_before(text, tokens, n, 12)
            })
    };
    // "Kayleigh missed her dose", "Gordon refused his insulin", "Edna died":
    // a name, then what happened to them (not what staff do: "Dan started
    // the methadone scripts", "Jo refused the delivery", "Sarah on
    // reception").
    let named_did = |j: usize| {
        let name = &tokens[j];
        let verb = tokens.get(j + 1).filter(|v| name.end() + 1 == v.start);
        let theirs = tokens.get(j + 2).is_some_and(|p| one_of(p.text, &OWNERS));
        // (The verb is not the clinical word: "Dave died when the CQC
        // inspector asked" is a manner of speaking.)
        a_first_name(name)
            && j + 1 < i
            && verb.is_some_and(|v| {
                HAPPENED.contains(&v.folded) || theirs && one_of(&v.folded, &["missed", "refused"])
            })
    };
    // "has MS", "I've got shingles", "with the MS": a condition had.
    let condition = condition_at(text, tokens, i);
    // "Kev had a hypo on the bus", "Ellie from Heslington had anaphylaxis":
    // a name (or where they are from), then a condition had, with nothing
    // but an article between (not a medicine: "Ionela has 6 boxes of
    // Lixiana"; not a thing: "Sarah has the norovirus update").
    let named_had = |j: usize| {
        let name = &tokens[j];
        condition
            && j + 1 < i
            && one_of(&tokens[j + 1].folded, &["has", "had"])
            && name.end() + 1 == tokens[j + 1].start
            && (tokens[j + 2..i]
                .iter()
                .all(|t| one_of(&t.folded, &["a", "an", "had", "been", "just", "another"]))
                // "has a nasty leg ulcer": an article, then what it is like.
                || tokens.get(j + 2).is_some_and(|t| one_of(&t.folded, &["a", "an"]))
                    && i <= j + 5
                    && ends_a_state(text, tokens, i))
            && (a_first_name(name)
                || placed_name_before(text, tokens, j + 1, 12)
                || described_before(text, tokens, j + 1, 12))
            && ends_a_state(text, tokens, i)
    };
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
            || named_did(j)
            || named_had(j)
            || word.eq_ignore_ascii_case("been")
                && (1..=2)
                    .filter_map(|back| j.checked_sub(back))
                    .any(|h| tokens[h].text.eq_ignore_ascii_case("has"))
    };
    let of_health = |j: usize| {
        let state = STATES.contains(&tokens[i].folded)
            && tokens[j + 1..i]
                .iter()
                .all(|t| one_of(&t.folded, &["now", "also", "still", "very"]));
        state
            || tokens[j + 1..=i].iter().enumerate().any(|(n, t)| {
                // Not "keen on asthmatic pupils", "is on board with flu jabs".
                let on_duty = t.folded == "on"
                    && (tokens
                        .get(j + 2 + n)
                        .is_some_and(|a| ON_DUTY.contains(&a.folded))
                        || n > 0 && NOT_BEFORE_ON.contains(&tokens[j + n].folded));
                HEALTH_VERBS.contains(&t.folded) && !on_duty
                || condition && one_of(&t.folded, &["has", "had", "with"])
                // "she's in hospital": where she is, marked clinical.
                || t.clinical && one_of(&t.folded, &HOSPITAL)
            })
    };
    // "Kayleigh missed her 3rd consecutive bupe dose": what is said of her
    // reaches further through "her" and the words describing the medicine.
    let theirs = (1..=3)
        .filter_map(|back| i.checked_sub(back))
        .any(|h| one_of(tokens[h].text, &OWNERS));
    // ("… has a nasty leg ulcer": a condition had, described.)
    let reach = if theirs || condition {
        SUBJECT_REACH + 2
    } else {
        SUBJECT_REACH
    };
    !a_service(tokens, i)
        && (1..=reach)
            .filter_map(|back| i.checked_sub(back))
            .take_while(|&j| same_clause(text, &tokens[j], &tokens[j + 1]))
            .any(|j| subject(j) && of_health(j))
        || said_after_a_name(text, tokens, i)
}

#[cfg(test)]
mod tests {
    use super::super::read;

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
}
