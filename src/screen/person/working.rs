//! A person named in full while doing their work: "Priya Raghunathan will
//! deliver it at the Hub", "big thanks to Kwabena Asante who ran the
//! searches", "(1) Oisín Kearney to update DOAC guidance", "Catrìona Nic
//! Dhòmhnaill presenting on care home polypharmacy reviews".
//!
//! Clinical words in such a message are the work's subject, not the
//! person's health. So the name is [`Reference::NamedAtWork`]: it still
//! blocks with anything that narrows down a person (a date, an address, a
//! phone number, an identifier) or with health said of someone ("her
//! warfarin", "he's on methadone"), but clinical words alone no longer make
//! it a named patient's.
//!
//! The work must be the name's own: its verb right after it ("will
//! deliver", "is collating", "to update"), or thanks to it for work said
//! after ("for the refresher", "who ran the searches"). A work word
//! elsewhere in the sentence says nothing of the person: a hostile review
//! found audits, minutes and significant events listing patients in every
//! layout ("Audit: Jean Fosbury - apixaban", "Minutes: discussed Gordon
//! Ashworth (dementia)", "Event: Mrs Ogunleye methotrexate dispensed
//! daily"). Nothing in the sentence may tie care to the person either: a
//! possessive, a name asked about ("for", "re", "to"), a medicine right
//! before it, or a patient's verb ("Kelly Brown will run … she was given").
//!
//! [`Reference::NamedAtWork`]: super::Reference::NamedAtWork

use super::super::clinical::is_clinical_word;
use super::super::links::rest_of_message;
use super::{Word, at_work, forms, one_of};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// What someone named does at work, said right after their name: "Priya
/// Raghunathan will deliver it", "Eilidh MacLeod is collating returns",
/// "(1) Oisín Kearney to update DOAC guidance". Only the name's own verbs:
/// a work word elsewhere in the sentence ("Audit: Jean Fosbury -
/// apixaban") says nothing of the person.
#[rustfmt::skip]
static WORK_VERBS: Vocabulary = Vocabulary::new(&[
    "deliver", "delivering", "presenting", "co-present", "co-presenting", "speak",
    "speaking", "lead", "leads", "leading", "led", "chair", "chairs", "chairing", "chaired",
    "collate", "collates", "collating", "collated", "run", "runs", "running", "ran", "host",
    "hosts", "hosting", "hosted", "facilitate", "facilitating", "facilitated", "teach",
    "teaching", "taught", "organise", "organising", "organised", "organize", "organizing",
    "coordinate", "coordinating", "coordinated", "update", "updating", "circulate",
    "circulating", "cascade", "cascading", "draft", "drafting", "cover", "covering",
    "audit", "auditing", "train", "training", "share", "sharing",
    // A meeting's actions: "Marek Kowalczyk to check whether Fostair …".
    "check", "checking", "confirm", "confirming", "liaise", "liaising", "email", "emailing",
    "escalate", "investigate", "investigating",
    // Help offered: "has kindly offered to hold extra Jext stock".
    "offered", "offering", "volunteered",
]);

/// Businesses someone runs for a living, not work in health: "runs the
/// takeaway", "ran the chip shop".
#[rustfmt::skip]
static TRADES: Vocabulary = Vocabulary::new(&[
    "takeaway", "shop", "chippy", "pub", "cafe", "café", "restaurant", "barbers", "barber",
    "salon", "garage", "farm", "bakery", "butchers", "butcher", "market", "stall", "taxi",
    "taxis", "newsagents", "newsagent", "off-licence", "hotel", "b&b", "corner", "bar",
]);

/// Words between a name and its work verb: "will", "is", "who", "has
/// kindly agreed to".
#[rustfmt::skip]
static BEFORE_A_VERB: Vocabulary = Vocabulary::new(&[
    "will", "to", "is", "was", "who", "also", "kindly", "has", "agreed", "be", "now",
    "currently", "happy", "going", "'ll", "’ll",
]);

/// A word thanking someone right before their name ([`at_work::THANKS`],
/// as for a first name), or before "to" and the name: "well done to",
/// "shout out to". The work they are thanked for must follow ("for the
/// refresher", "who ran the searches").
fn thanks_word(word: &str) -> bool {
    at_work::THANKS.contains(word) || one_of(word, &["done", "out"])
}

/// What someone is thanked for: "for this morning's refresher", "for
/// leading the audit".
#[rustfmt::skip]
static WORK_DONE: Vocabulary = Vocabulary::new(&[
    "refresher", "training", "session", "sessions", "webinar", "talk", "presentation",
    "slides", "audit", "searches", "guidance", "leaflet", "leaflets", "translation",
    "translations", "leading", "organising", "organizing", "running", "hosting", "presenting",
    "teaching", "covering", "cover", "work", "help", "support", "event", "rota",
]);

/// What a colleague is congratulated on: "on passing her independent
/// prescribing", "on qualifying".
#[rustfmt::skip]
static QUALIFYING: Vocabulary = Vocabulary::new(&[
    "passing", "qualifying", "graduating", "registering", "gaining", "achieving", "winning",
]);

/// What a colleague qualifies in: "her independent prescribing", "his
/// NVQ" (not "passing his kidney stone", "passing 12 months clean").
#[rustfmt::skip]
static QUALIFICATIONS: Vocabulary = Vocabulary::new(&[
    "prescribing", "prescriber", "exam", "exams", "nvq", "qualification", "registration",
    "degree", "mpharm", "assessment", "diploma", "technician", "pharmacist", "osce",
    "accreditation", "apprenticeship", "course", "training", "ip",
]);

/// What a colleague is thanked for doing, or for having done: "for
/// translating", "for checking the translations", "who found 2 boxes",
/// "who gave 412 flu jabs" (not a patient's "for coming in", "who
/// collected").
#[rustfmt::skip]
static DEEDS: Vocabulary = Vocabulary::new(&[
    "translating", "translated", "checking", "checked", "staying", "stayed", "turning",
    "turned", "sorting", "sorted", "finding", "found", "giving", "gave", "doing", "did",
    "helping", "helped", "stepping", "stepped", "picking", "picked", "pulling", "pulled",
    "working", "worked", "arranging", "arranged", "lending", "lent", "reviewing", "reviewed",
    "answering", "answered", "supporting", "supported", "compiling", "compiled", "writing",
    "wrote", "producing", "produced", "preparing", "prepared", "clearing", "cleared",
    "delivering", "delivered", "vaccinating", "vaccinated", "jabbing", "jabbed", "sharing",
    "shared", "updating", "updated", "organising", "organised", "organizing", "organized",
]);

/// A patient's own verbs: what is done to or by someone cared for.
#[rustfmt::skip]
static CARED_FOR: Vocabulary = Vocabulary::new(&[
    "patient", "pt", "needs", "need", "needed", "started", "starting", "discharged",
    "admitted", "collect", "collected", "collecting", "collects", "allergic", "allergy",
    "taking", "takes", "took", "prescribed", "given", "missed", "wants", "wanted", "complained",
    "died", "diagnosed", "booked", "refusing", "refused", "pregnant", "overdue", "uncollected",
    "had", "struggling", "confused", "dizzy", "unwell", "admission", "overdose",
    "recovery", "recovering", "story", "experience", "living",
]);

/// Words right before a name that ask about the person: "script for",
/// "re", "query about", "chase".
static ASKED_ABOUT: Vocabulary = Vocabulary::new(&[
    "re",
    "about",
    "regarding",
    "query",
    "chase",
    "labelled",
    "of",
    "on",
    "pt",
    "patient",
]);

/// True when the name at words `first..=last` is someone named at their
/// work, with nothing tying clinical words to them; or who signs the
/// message with the pharmacy they work at ("… Free to good home. - Lowri
/// Mathias, Boots Llanelli"), as a first name does
/// ([`at_work::signs_with_a_workplace`]). `end` is where the message's own
/// text ends ([`links::message_end`]).
///
/// [`links::message_end`]: super::super::links::message_end
pub(super) fn named_at_work(
    text: &str,
    end: usize,
    words: &[Word],
    first: usize,
    last: usize,
) -> bool {
    let rest = rest_of_message(text, end, words[last].end);
    at_work::signs_with_a_workplace(text, words[first].start, rest)
        || at_own_work(text, words, first, last)
}

/// True when the name at words `first..=last` does its own work or is
/// thanked for it, and nothing in its sentence ties care to it (see the
/// module's doc): a first name alone is read so too ("Eilidh is running
/// the COPD review clinic").
pub(super) fn at_own_work(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    // The work verb or the thanks are next to the name: most names have
    // neither, and their sentence is not read.
    let thanked =
        first >= 2 && thanks_word(words[first - 2].folded) || thanked_before(words, first);
    let place_end = affiliated(words, last, words.len()).unwrap_or(last);
    let verb_near =
        (last + 1..words.len().min(place_end + 6)).any(|j| WORK_VERBS.contains(words[j].folded));
    if !(thanked || verb_near) {
        return false;
    }
    let (from, to) = sentence_of(text, words, first, last);
    (does_work(text, words, last, to) || thanked_for_work(text, words, first, last, to))
        && !tied(text, words, first, last, from, to)
}

/// The name's own verb, after at most four words that lead to it, is
/// work: "will deliver", "is collating", "who ran the searches".
fn does_work(text: &str, words: &[Word], last: usize, to: usize) -> bool {
    // "Mr Ali from the pharmacy on Whitechapel Rd has kindly offered":
    // where they work may come first.
    // (Not one bringing back "his late wife's oxycodone": their own.)
    let workplace = affiliated(words, last, to);
    let own = |w: &Word| one_of(w.folded, &["his", "her", "their", "him"]);
    if workplace.is_some() && words[last + 1..to].iter().any(own) {
        return false;
    }
    let mut j = workplace.unwrap_or(last) + 1;
    let from = j;
    while j < to && j <= from + 3 && BEFORE_A_VERB.contains(words[j].folded) {
        j += 1;
    }
    if j >= to {
        return false;
    }
    // Only spaces up to the verb ("Jean Fosbury - audit" lists, it does not
    // say), or a comma before "who".
    let spaced = (workplace.unwrap_or(last)..j).all(|i| {
        let gap = &text[words[i].end..words[i + 1].start];
        gap == " " || gap == ", " && words[i + 1].folded == "who"
    });
    let word = |i: usize| words.get(i).filter(|_| i < to).map_or("", |w| w.folded);
    if !work_verb(words[j].folded, word(j + 1), word(j + 2)) {
        return false;
    }
    let ran = one_of(words[j].folded, &["run", "runs", "running", "ran"]);
    // "who runs the takeaway on Westgate": a trade of their own, not work
    // in health.
    let object = words.iter().take(to).skip(j + 1).take(3).find(|w| {
        !one_of(
            w.folded,
            &["the", "a", "that", "his", "her", "their", "local"],
        )
    });
    let trade = ran && object.is_some_and(|w| TRADES.contains(w.folded));
    spaced && !trade
}

/// The last word of where someone works, said right after their name
/// ending at word `last`: "from the pharmacy on Whitechapel Rd", "at
/// Castle Surgery" (a workplace's word among at most eight words of the
/// place, capitalised or "the", "on", "in").
fn affiliated(words: &[Word], last: usize, to: usize) -> Option<usize> {
    let lead = words.get(last + 1).filter(|_| last + 1 < to)?;
    if !one_of(lead.folded, &["from", "at"]) {
        return None;
    }
    let mut end = None;
    let mut j = last + 2;
    while j < to && j <= last + 9 {
        let w = &words[j];
        if super::places::workplace_word(w.text) || super::places::pharmacy_word(w.text) {
            end = Some(j);
        } else if !(w.capital || one_of(w.folded, &["the", "on", "in"])) {
            break;
        }
        j += 1;
    }
    // The place runs on to its last capitalised word ("… on Whitechapel Rd").
    end.map(|e| (e..j).last().unwrap_or(e))
}

/// True when `verb`, followed by the word `next` (lower case, or ""), is
/// work someone does: not "ran out", "running low", "running a
/// temperature", "presenting with chest pain", "training his carer", what
/// a patient does or has.
pub(super) fn work_verb(verb: &str, next: &str, then: &str) -> bool {
    let ran = one_of(verb, &["run", "runs", "running", "ran"]);
    // "running a COPD clinic" is work; "running a temperature", "running
    // a bit low" are not.
    let unwell = ran
        && next == "a"
        && one_of(
            then,
            &[
                "temperature",
                "temp",
                "fever",
                "high",
                "slight",
                "mild",
                "raised",
                "bit",
                "little",
                "lot",
            ],
        );
    let patients = one_of(next, &["out", "low", "short", "with", "his", "her", "him"]) || unwell;
    WORK_VERBS.contains(verb) && !patients
}

/// True when the name starting at word `first` is thanked: "thanks
/// Gwilym", "well done to Tom", or listed after someone thanked ("thanks
/// to Dr Faisal Mahmood and Hodan Farah").
fn thanked_before(words: &[Word], first: usize) -> bool {
    let right_before = |at: usize| {
        at >= 1
            && (thanks_word(words[at - 1].folded)
                || at >= 2 && words[at - 1].folded == "to" && thanks_word(words[at - 2].folded))
    };
    if right_before(first) {
        return true;
    }
    // Back over "and", then the name before it (capitalised, at most
    // four words, a title among them).
    if first < 2 || !one_of(words[first - 1].folded, &["and", "&"]) {
        return false;
    }
    let mut at = first - 1;
    while at > 0 && first - 1 - at < 4 && words[at - 1].capital {
        at -= 1;
        if right_before(at) {
            return true;
        }
    }
    false
}

/// Thanked by name for work said after it: "thanks to Gwilym for this
/// morning's refresher", "big thanks to Kwabena Asante who ran the
/// searches", "well done to Tom for leading the audit".
fn thanked_for_work(text: &str, words: &[Word], first: usize, last: usize, to: usize) -> bool {
    if !thanked_before(words, first) {
        return false;
    }
    // "thanks to Ciara McAllister (PCN pharm, Armagh) for …": where they
    // work, in brackets, may come between; not their health ("(Parkinson's,
    // very brittle)").
    let mut next = last + 1;
    if text[words[last].end..].starts_with(" (") {
        while next < to && !text[words[next - 1].end..words[next].start].contains(')') {
            if is_clinical_word(words[next].text) {
                return false;
            }
            next += 1;
        }
    }
    let after = &words[next.min(to)..to.min(next + 6)];
    match after.first().map(|w| w.folded) {
        // "for this morning's refresher"; not any deed ("for coming in,
        // apixaban dose sorted" thanks a patient).
        Some("for") => {
            after[1..].iter().any(|w| WORK_DONE.contains(w.folded))
                || after.get(1).is_some_and(|w| DEEDS.contains(w.folded))
        }
        // "on passing her independent prescribing": a qualification (not
        // "on finishing her chemo").
        Some("on") => {
            after.get(1).is_some_and(|w| QUALIFYING.contains(w.folded))
                && after[1..].iter().any(|w| QUALIFICATIONS.contains(w.folded))
        }
        // "who ran the searches", "who found 2 boxes of Creon for us".
        Some("who") => {
            does_work(text, words, next - 1, to)
                || after.get(1).is_some_and(|w| DEEDS.contains(w.folded))
        }
        _ => false,
    }
}

/// How many words each side of a name its sentence is read to: a long
/// line with no full stop is not read again for every name on it.
const SENTENCE_WORDS: usize = 40;

/// The words `from..to` of the sentence the name at `first..=last` is in,
/// at most [`SENTENCE_WORDS`] each side of it.
fn sentence_of(text: &str, words: &[Word], first: usize, last: usize) -> (usize, usize) {
    let ends = |a: &Word, b: &Word| text[a.end..b.start].contains(['.', '!', '?', '\n', ';']);
    let mut from = first;
    while from > first.saturating_sub(SENTENCE_WORDS) && !ends(&words[from - 1], &words[from]) {
        from -= 1;
    }
    let mut to = last + 1;
    let most = words.len().min(last + 1 + SENTENCE_WORDS);
    while to < most && !ends(&words[to - 1], &words[to]) {
        to += 1;
    }
    (from, to)
}

/// True when the sentence ties care to the person: "Asante's lithium",
/// "script for Kieran Doyle", "re Frank Wiśniewski", "deliver the morphine
/// to Doreen Gallows", "MAR chart update re oramorph, Albert Finch", or a
/// patient's verb anywhere in it ("was given", "missed", "recovery").
fn tied(text: &str, words: &[Word], first: usize, last: usize, from: usize, to: usize) -> bool {
    // "Ffion's doing the HRT update" is "Ffion is".
    let is = words
        .get(last + 1)
        .is_some_and(|w| w.folded.ends_with("ing") && WORK_VERBS.contains(w.folded));
    let possessive = !is
        && (possessive_base(words[last].text).is_some()
            || text[words[last].end..].starts_with(['\'', '’']));
    let asked_about = first.checked_sub(1).is_some_and(|p| {
        let before = p.checked_sub(1).map_or("", |q| words[q].folded);
        match words[p].folded {
            // Not "covering for Sinead", "thanks to Gwilym".
            "for" => !one_of(before, &["covering", "deputising", "deputizing"]),
            "to" => !(thanks_word(before) || one_of(before, &["you", "welcome"])),
            w => ASKED_ABOUT.contains(w),
        }
    });
    let record_before = first.checked_sub(1).is_some_and(|p| {
        is_clinical_word(words[p].text)
            && matches!(
                text[words[p].end..words[first].start].trim(),
                "," | "-" | "–" | ":"
            )
    });
    // "… to escalate to crisis team if suicidal thoughts return".
    let cared_for = words[from..to].iter().any(|w| CARED_FOR.contains(w.folded))
        || forms::cared_for_after(text, words[last].end, true);
    possessive || asked_about || record_before || cared_for
}
