//! Roles as a message gives them to a name: after it ("Rhian Llewellyn,
//! our new pharmacist", "Femi Oladipo (discharge pharmacist, Royal
//! Oldham)"), as a signature sets them off ("Gareth Llewellyn | Discharge
//! Coordinator"), or opening the sentence that introduces the name ("Our
//! new locum starts Monday, Sam Okoro, so …").
//!
//! A role in brackets is a colleague's only while the sentence after it
//! says what they do at work or names no health: a hostile review found
//! patients behind every role ("Dave Bailey (PCN pharm, Armagh) has had a
//! stroke", "(practice nurse) dave.bailey@hotmail…").

use super::super::{clinical, email, window_after};
use super::{PERSON_NOUNS, RELATIVES, Word, one_of, working};
use crate::screen::lexicon::Vocabulary;

/// Role words after a name: "Rhian Llewellyn, our new pharmacist".
#[rustfmt::skip]
pub(super) static ROLES: Vocabulary = Vocabulary::new(&[
    "administrator", "chair", "consultant", "coordinator", "director", "dispenser", "doctor",
    "gp", "lead", "locum", "manager", "nurse", "pharmacist", "receptionist", "st1", "st2",
    "st3", "tech", "technician", "rep", "representative", "registrar", "physio",
    "physiotherapist", "dietitian", "podiatrist", "phlebotomist", "hca", "anp", "acp", "fy1",
    "fy2", "trainee",
    // A clinical nurse specialist: "Gemma Rowe, Macmillan CNS, now covering".
    "cns",
    // Registered nurses as a rota writes them ("Fiona Laidlaw RN"), and
    // roles held at a clinic or a service ("Gráinne Fox, discharge
    // co-ordinator", "Rev. Tunde Bakare (hospice chaplain)"). Not an
    // interpreter, whom a patient needs ("NGUYEN Thi Lan 15/07/1983 -
    // interpreter needed"): see the holders of roles.
    "rn", "rgn", "rmn", "co-ordinator", "vaccinator", "chaplain",
    // A community matron, a ward's or a home's ("I'm Claire Benson, new
    // Community Matron").
    "matron",
    // The responsible pharmacist: "signed off by RP Marta Nowicka".
    "rp",
    // A trainee pharmacist introducing themselves ("I'm Li Wen, pre-reg at
    // Ninewells"). Clinicians who are often a patient's third party
    // ("mum Blessing Okoro … midwife asking", "name Fraser. CPN not
    // answering") are not roles here: a role anywhere in a name's sentence
    // makes the name a colleague's.
    "pre-reg", "prereg",
]);

/// Roles written only in brackets after a name: "(PCN pharm, Armagh)", and
/// Welsh ones, a pharmacist, a nurse, a doctor, a technician ("Carys ap
/// Rhys (fferyllydd, Bangor)").
static BRACKETED_ROLES: Vocabulary =
    Vocabulary::new(&["pharm", "fferyllydd", "nyrs", "meddyg", "technegydd"]);

/// True for a role written in Welsh ("y fferyllydd ar alwad, Siân Evans,
/// ar 07700 …") or short in brackets: before a number, a colleague's.
pub(super) fn welsh_or_short_role(word: &str) -> bool {
    BRACKETED_ROLES.contains(word)
}

/// The departments behind a health body's staff, in brackets after a name:
/// "Sue Hayward (HR)", "Daniel Hughes (NEL CSU IT service desk)".
static DEPARTMENTS: Vocabulary = Vocabulary::new(&[
    "estates",
    "finance",
    "payroll",
    "comms",
    "procurement",
    "informatics",
]);

/// Departments written as capitals only, in brackets after a name: "(HR)",
/// "(IT service desk)" (not "(it was her third fall)").
const BRACKETED_DEPARTMENTS: [&str; 4] = ["HR", "IT", "ICT", "CSU"];

/// More jobs, named only between commas after a name ("Mark Eastwood, CD
/// Accountable Officer,"): before a name, "her partner John" is family.
#[rustfmt::skip]
pub(super) static JOBS: Vocabulary = Vocabulary::new(&[
    "officer", "head", "assistant", "adviser", "advisor", "specialist", "practitioner",
    "partner", "superintendent", "secretary", "analyst", "champion", "apprentice",
    "prescriber", "commissioner",
    // Who trains, teaches or supports colleagues ("Josh Kaur (EMIS
    // trainer)", "Ravi Sharma, SystmOne facilitator,"), and who inspects,
    // links or books for a service ("CQC inspector", "care navigator",
    // "ward clerk"): also before their holders ("Trainer: Ciarán Byrne").
    "facilitator", "trainer", "educator", "tutor", "mentor", "supervisor", "inspector",
    "liaison", "navigator", "clerk", "auditor",
    // "stays on as deputy" (not "worker": "Lucy Kerr, care worker at
    // Oakwood, needs a hep B booster").
    "deputy",
]);

/// Words between a name and a role after it: "Rhian, our new pharmacist".
pub(super) static ROLE_WORDS: Vocabulary = Vocabulary::new(&[
    "a",
    "our",
    "the",
    "new",
    "lead",
    "senior",
    "locum",
    "practice",
    "pcn",
    "clinical",
    "pharmacy",
    "duty",
    "is",
    "as",
    "community",
    "prescribing",
    "hub",
    "team",
    "district",
    "deputy",
    "acting",
    "head",
    "chief",
    "student",
    "specialist",
    // "Lowri, branch manager", "Dev, area manager".
    "branch",
    "store",
    "area",
    "regional",
    "site",
    "office",
    "shop",
    // "Medicines Safety Officer", "Medicines Optimisation Pharmacist".
    "medicines",
    "safety",
    "optimisation",
]);

/// True when a role sits in brackets right after the name ending at
/// `end`, before any comma: "(discharge pharmacist, Royal Oldham)", "(PCN
/// pharm, Armagh)"; not "(retired nurse)".
pub(super) fn bracketed_role(text: &str, end: usize) -> bool {
    let after = window_after(text, end, 80);
    let Some(inside) = after.trim_start_matches(' ').strip_prefix('(') else {
        return false;
    };
    let Some(close) = inside.find(')') else {
        return false;
    };
    let phrase = &inside[..inside.find(',').unwrap_or(close).min(close)];
    let phrase_words = || clinical::words(phrase).map(|(_, w)| w);
    let role = phrase_words()
        .any(|w| ROLES.contains(w) || JOBS.contains(w) || BRACKETED_ROLES.contains(w));
    // A department's staff hold no health: any after the bracket is their
    // own ("Lisa Grant (HR) asks if we can deliver sertraline to her").
    let department = || {
        phrase_words().any(|w| DEPARTMENTS.contains(w) || BRACKETED_DEPARTMENTS.contains(&w))
            && !clinical_beyond_roles(super::staff::sentence_after(
                text,
                end + (after.len() - inside.len()) + close + 1,
            ))
    };
    phrase_words().count() <= 5
        && (role || department())
        && !phrase_words().any(|w| {
            one_of(
                w,
                &["retired", "former", "ex", "patient", "her", "his", "their"],
            )
        })
}

/// True when the sentence after the bracket that follows the name ending
/// at `end` says what a colleague does, or names no health and no free
/// mail address. The sentence runs on past a line's end: a name and its
/// role alone on a line ("Emyr Roberts (meddyg, Bangor)⏎New dx: …").
pub(super) fn nothing_after_the_bracket(text: &str, end: usize) -> bool {
    let rest = window_after(text, end, 200);
    let rest = &rest[..rest.find(['.', '!', '?']).unwrap_or(rest.len())];
    let after = rest.find(')').map_or("", |close| &rest[close + 1..]);
    let webmail = after
        .split_whitespace()
        .any(|w| w.contains('@') && email::webmail(w.trim_end_matches([',', ';'])));
    !webmail && nothing_of_their_own_health(after)
}

/// True when `after`, the rest of a name's sentence after the role said
/// of it, says what a colleague does at work or names no health; not what
/// they say of their own health ("(HR) says she took a double dose of
/// sertraline", "(IT) confirms he's been taking 8 co-codamol a day"; an
/// object's "her" is someone they serve: "send the CD orders to her").
pub(super) fn nothing_of_their_own_health(after: &str) -> bool {
    let own = || {
        clinical::words(after).any(|(_, w)| {
            one_of(
                w,
                &[
                    "she", "he", "she's", "he's", "she’s", "he’s", "i", "i'm", "i've", "my",
                ],
            )
        })
    };
    // The lexicon's reading of every word last: most colleagues' sentences
    // say what they do.
    at_work_after(after) && !own() || !clinical_beyond_roles(after)
}

/// What a colleague does right after their name and role in brackets:
/// "(practice manager) asks all CHs …", "has agreed to do a talk", "will
/// chair the Q&A", "for the leaflets" (not "was admitted", "is off with
/// shingles", "- off work").
#[rustfmt::skip]
static AT_WORK_AFTER: Vocabulary = Vocabulary::new(&[
    "asks", "says", "wants", "reports", "confirms", "writes", "and", "for",
]);

/// What follows "has" or "is" when a colleague is at work.
#[rustfmt::skip]
static AT_WORK_AFTER_VERB: Vocabulary = Vocabulary::new(&[
    "asked", "agreed", "kindly", "confirmed", "offered", "running", "leading", "chairing",
    "presenting", "covering", "happy", "organising", "sent", "shared", "written", "updated",
    "done", "completed", "finished",
]);

/// True when `after`, the rest of a name's sentence after its role in
/// brackets, opens with what a colleague does at work.
fn at_work_after(after: &str) -> bool {
    let mut words = clinical::words(after.trim_start());
    let Some((0, first)) = words.next() else {
        return false;
    };
    let second = words.next().map_or("", |(_, w)| w);
    let third = words.next().map_or("", |(_, w)| w);
    let fourth = words.next().map_or("", |(_, w)| w);
    // "will drop the returns bag", "will run the Saturday clinic": what
    // someone will do, unless it is a patient's ("will need insulin", "will
    // be admitted", "will run out").
    // "will be running the clinic", "will be covering Thursday".
    if one_of(first, &["will", "would"]) && second == "be" {
        return AT_WORK_AFTER_VERB.contains(third)
            && (third != "running" || working::work_verb(third, fourth, ""));
    }
    if one_of(first, &["will", "would"]) {
        return !second.is_empty()
            && !one_of(
                second,
                &["need", "be", "have", "start", "get", "require", "not"],
            )
            && (!one_of(second, &["run"]) || working::work_verb(second, third, fourth));
    }
    if one_of(first, &["has", "is"]) {
        return AT_WORK_AFTER_VERB.contains(second)
            && (second != "running" || working::work_verb(second, third, fourth));
    }
    // "(independent prescriber) running a COPD review clinic", "(pharmacy
    // tech) covering the discharge hub".
    AT_WORK_AFTER.contains(first) || working::work_verb(first, second, third)
}

/// Words that lead from a name to the role it is said to hold: "is the
/// LPC contact", "has joined us as practice pharmacist", "stays on as
/// deputy", "who starts with us next week as Interface Pharmacist".
#[rustfmt::skip]
static TO_A_ROLE: Vocabulary = Vocabulary::new(&[
    "who", "who's", "who’s", "has", "have", "joined", "joins", "joining", "starts", "started",
    "starting", "stays", "continues", "returns", "back", "now", "also", "will", "be", "on",
    "with", "us", "the", "team", "next", "week", "month", "today",
]);

/// True when the sentence after a name ending at `end` says the role the
/// name holds, in words joined by spaces alone: "Hayley Brennan is the LPC
/// contact", "Niamh Brolly has joined us as practice pharmacist", "Ciaran
/// Doherty stays on as deputy". The role ends its phrase: "is the nurse's
/// patient", "is a retired nurse" and "is on the ward, nurse aware" hold
/// none.
pub(super) fn role_said_after(text: &str, end: usize) -> bool {
    let rest = window_after(text, end, 120);
    let rest = &rest[..rest.find(super::SENTENCE_ENDS).unwrap_or(rest.len())];
    let words: Vec<(usize, &str)> = clinical::words(rest).take(12).collect();
    let spaced = |i: usize| {
        let (at, w) = words[i];
        words
            .get(i + 1)
            .is_none_or(|&(next, _)| rest[at + w.len()..next].trim_matches(' ').is_empty())
    };
    if words
        .first()
        .is_none_or(|&(at, _)| !rest[..at].trim().is_empty())
    {
        return false;
    }
    // The verb that gives the role: "is", "was", "as", after at most six
    // words that lead to it.
    let Some(verb) = words
        .iter()
        .take(7)
        .position(|(_, w)| one_of(w, &["is", "was", "as"]))
    else {
        return false;
    };
    if !words[..verb]
        .iter()
        .all(|(_, w)| TO_A_ROLE.contains(w) || w.chars().all(|c| c.is_ascii_digit()))
        || !(0..verb).all(spaced)
    {
        return false;
    }
    // Then at most three words describing the role, and the role itself,
    // ending the phrase.
    for i in verb + 1..words.len().min(verb + 5) {
        let w = words[i].1;
        if one_of(
            w,
            &[
                "retired", "former", "ex", "patient", "her", "his", "their", "not",
            ],
        ) || !spaced(i - 1)
        {
            return false;
        }
        if ROLES.contains(w) || JOBS.contains(w) || super::holders::HOLDERS.contains(w) {
            let next = words.get(i + 1).map_or("", |&(_, n)| n);
            return !spaced(i)
                || next.is_empty()
                || one_of(
                    next,
                    &[
                        "for", "at", "from", "in", "on", "with", "and", "to", "until", "till",
                        "this", "today", "over", "covering",
                    ],
                );
        }
    }
    false
}

/// True when `sentence` names something clinical other than a role ("as a
/// district nurse" is a job; "has early dementia" is health).
pub(super) fn clinical_beyond_roles(sentence: &str) -> bool {
    clinical::words(sentence).any(|(_, w)| {
        clinical::is_clinical_word(w)
            && !(ROLES.contains(w) || JOBS.contains(w) || ROLE_WORDS.contains(w))
    })
}

/// Teams a colleague signs with: "Paul Kendrick (MOT)", "Dougie Armstrong
/// / CH Pharmacy Team".
pub(super) static TEAMS: Vocabulary = Vocabulary::new(&["team", "mot"]);

/// A name set off from a role or a team as a signature sets it off: "Gareth
/// Llewellyn | Discharge Coordinator", "Oluwaseun Adeyemi (Discharge Team
/// Lead)", "Paul Kendrick (MOT)", or a name alone on its line with the role
/// on the next ("Dougie Armstrong\nCH Pharmacy Team"). The role phrase is
/// short and holds a role, a job or a team ("Edna (ward 7)" is no colleague).
pub(super) fn signed_with_role(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    // What follows is read in a window, so a long line is read once.
    let rest = window_after(text, words[last].end, 200).trim_start_matches([' ', '\t']);
    let bracketed = rest.starts_with('(');
    let phrase = if let Some(r) = rest.strip_prefix(['|', '(']) {
        r
    } else if let Some(r) = rest.strip_prefix(['\n', '\r']) {
        let before = text[..words[first].start].trim_end_matches([' ', '\t']);
        if !(before.is_empty() || before.ends_with('\n')) {
            return false;
        }
        r.trim_start_matches(['\n', '\r'])
    } else {
        return false;
    };
    let (phrase, after) = phrase
        .split_once(['|', ')', '\n', ','])
        .unwrap_or((phrase, ""));
    // "Paul Kendrick (MOT) - dementia, found wandering": whatever the
    // title in brackets, health said next is the person's own (a
    // signature's other parts name the team: "| Medicines Optimisation";
    // a hostile review found patients behind "(CMHT Coordinator)", "(Oakwood
    // GP)" and "(Cluster Pharmacist) needs insulin urgently").
    let sentence = after.split(['.', '\n']).next().unwrap_or("");
    if bracketed && clinical::words(sentence).any(|(_, w)| clinical::is_clinical_word(w)) {
        return false;
    }
    titles_a_role(phrase)
}

/// True when `phrase` is a job's title as a signature writes it:
/// capitalised, short, and ending in the role or the team ("Senior
/// Pharmacist", "Discharge Team Lead", "CH Pharmacy Team", "MOT"). "Joan
/// Price (retired nurse)", "(DN team visit)", "\nOxygen team referral" are
/// a patient's job or care.
pub(in crate::screen) fn titles_a_role(phrase: &str) -> bool {
    // Six words at most: a long phrase is turned away unread.
    if phrase.len() > 80 {
        return false;
    }
    let phrase_words = || clinical::words(phrase).map(|(_, w)| w);
    // The head first: most phrases end in no role, and are read no further.
    let head = phrase
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty());
    head.is_some_and(|w| ROLES.contains(w) || JOBS.contains(w) || TEAMS.contains(w))
        && (1..=6).contains(&phrase_words().count())
        && phrase_words().all(|w| w.starts_with(|c: char| c.is_uppercase()))
        && !phrase_words().any(|w| one_of(w, &["Retired", "Former", "Ex"]))
}

/// "Rep from Teva visiting Weds, Amelia Hart, re …", "Our new locum starts
/// Monday, Sam Okoro, so …": a name set off by commas in a sentence that
/// starts with a role (within its first three words) and names no one
/// else, is the role's holder.
pub(super) fn introduced_by_role(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let set_off = text[..words[first].start].ends_with(", ")
        && text[words[last].end..].starts_with([',', ')', ' ']);
    if !set_off {
        return false;
    }
    // The sentence so far, back to a full stop, a colon or a line break,
    // at most twelve words.
    let sentence: Vec<&Word> = words[..first]
        .iter()
        .rev()
        .take(12)
        .take_while(|w| !text[w.end..].starts_with(['.', '!', '?', '\n', ':']))
        .collect();
    let opening = sentence.iter().rev().take(3);
    let someone = |w: &&&Word| {
        PERSON_NOUNS.contains(w.folded) || RELATIVES.contains(w.folded) || w.folded == "patient"
    };
    opening.clone().any(|w| ROLES.contains(w.text)) && !sentence.iter().any(|w| someone(&w))
}
