//! Other ways a text refers to one person: by initials ("JT, 44,"), as a
//! patient whoever they are ("our dispenser Sharon is a pt"), and
//! placeholders in a text that says it is made up.

use super::super::clinical::is_clinical_abbreviation;
use super::{Reference, TITLES, Word, age_follows, not_a_person, one_of};
use crate::screen::lexicon::Vocabulary;

/// Initials standing for a person: two or three capitals, not a word or an
/// abbreviation the lexicon knows (not "MS", "AF", "GP"), directly followed
/// by an age ("JT, 44,"), a full date of birth from the last century ("JM
/// 04/02/1983"): a record's way of naming someone. With full stops, after
/// a patient's word too ("client D.W.").
pub(super) fn initials(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    if let Some(found) = dotted_initials(text, words, k).or_else(|| surname_first(text, words, k)) {
        return Some(found);
    }
    let w = &words[k];
    // "JT", "JMcG", "DO'S": two or three capitals, with a surname's "Mc" or
    // "O'" inside.
    let b = w.text.as_bytes();
    if !(2..=5).contains(&b.len()) {
        return None;
    }
    let inside = if b.len() > 3 {
        usize::from(b.windows(2).any(|p| p == b"Mc")) + usize::from(b.contains(&b'\''))
    } else {
        0
    };
    let shaped = (2..=3).contains(&(b.len() - inside))
        && b.iter().filter(|c| c.is_ascii_uppercase()).count() == b.len() - inside;
    // "PLEASE NOTE JM …": in a line of capitals, capitals are words.
    let shouted = k > 0 && words[k - 1].all_caps && words[k - 1].text.len() > 3;
    if !shaped
        || shouted
        || w.common_word && !w.abroad
        || is_clinical_abbreviation(w.text)
        || TITLES.contains(w.text)
        || not_a_person(w.text)
        // "DOB 02/09/1958 onwards": the label of the date after it.
        || one_of(w.folded, &["dob", "dod"])
    {
        return None;
    }
    let rest = &text[w.end..];
    // "EL(25)A/12": a code, not initials and an age.
    if !rest.starts_with([' ', ',']) {
        return None;
    }
    followed_by_a_birth_or_age(text, w.end).then_some((Reference::Named, k))
}

/// A surname in capitals and then an initial, as a label or a clinical
/// system prints a patient ("KOWALSKI J  14/05/61"), followed by a birth or
/// an age as [`initials`] are.
fn surname_first(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let (surname, initial) = (&words[k], words.get(k + 1)?);
    let gap = text[surname.end..initial.start].trim_start_matches(',');
    let shaped = surname.all_caps
        && surname.text.len() >= 3
        && surname.is_surname
        && initial.initial()
        && !gap.is_empty()
        && gap.bytes().all(|b| b == b' ');
    (shaped && followed_by_a_birth_or_age(text, initial.end)).then_some((Reference::Named, k + 1))
}

/// The words that label someone a patient, before their name or initials:
/// "pt Tom Baxter", "client D.W.".
const PATIENT_LABELS: [&str; 4] = ["pt", "patient", "client", "resident"];

/// True when a patient's word is right before the initials at word `k`:
/// "client D.W.", "Patient: A.B." (initials with full stops: capitals
/// alone after it are as often a form's "patient ID", "patient NHS no").
fn a_patient_s(text: &str, words: &[Word], k: usize) -> bool {
    k > 0
        && one_of(words[k - 1].folded, &PATIENT_LABELS)
        && matches!(&text[words[k - 1].end..words[k].start], " " | ": " | ":")
}

/// Initials written with full stops, "A.K." or "K.L.M.", at word `k`,
/// followed by a date of birth or an age as [`initials`] are ("A.K.
/// 03/09/79 - on the clozapine list").
fn dotted_initials(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let letter = |i: usize| {
        words.get(i).is_some_and(|w| {
            w.text.len() == 1
                && w.text.as_bytes()[0].is_ascii_uppercase()
                && text[w.end..].starts_with('.')
        })
    };
    if !letter(k) || k > 0 && text[words[k - 1].end..words[k].start] == *"." {
        return None;
    }
    let mut last = k;
    while last < k + 2 && letter(last + 1) && words[last].end + 1 == words[last + 1].start {
        last += 1;
    }
    if last == k {
        return None;
    }
    let end = words[last].end + 1;
    let found = followed_by_a_birth_or_age(text, end) || a_patient_s(text, words, k);
    // "a Year 9 student at Bristol Free School, initials A.K.": someone,
    // whom a detail singles out (a colleague signs with initials too).
    let initialled = k > 0
        && words[k - 1].folded == "initials"
        && matches!(&text[words[k - 1].end..words[k].start], " " | ": " | ":");
    let reference = if found {
        Reference::Named
    } else {
        Reference::Someone
    };
    (text[end..].starts_with([' ', ',']) && (found || initialled)).then_some((reference, last))
}

/// True when a date of birth from the last century or an age follows the
/// initials ending at `end`.
fn followed_by_a_birth_or_age(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let at = end + (rest.len() - rest.trim_start_matches([' ', ',', '(']).len());
    // A year of the last century: "1961", or "61" after a day and month
    // (a two-digit year below 30 may be this century's, an event's date;
    // a hostile review found this century's years initialled on SOPs,
    // logs and labels: "signed off JM 01/04/2012").
    let birth_year = |date: &str| {
        let b = date.as_bytes();
        // The year ends the date, or opens it ("1958-06-19").
        let four = b.len() >= 4 && date[b.len() - 4..].starts_with("19")
            || b.len() > 4 && date.starts_with("19") && !b[4].is_ascii_digit();
        let two = b.len() >= 3
            && matches!(b[b.len() - 3], b'.' | b'/' | b'-')
            && date[b.len() - 2..].parse::<u8>().is_ok_and(|y| y >= 30);
        four || two
    };
    let birth_date = text.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
        && super::super::dates::date_at(text, at)
            .is_some_and(|end| birth_year(&text[at..end]) && text[at..end].len() <= 12);
    // "RT d.o.b 1962", "SM (d.o.b 03/85)": a birth's label and its
    // number (not "JM DOB check done").
    let labelled = ["dob", "d.o.b", "d/o/b", "date of birth"].iter().any(|l| {
        let after = at + l.len();
        text.as_bytes()
            .get(at..after)
            .is_some_and(|w| w.eq_ignore_ascii_case(l.as_bytes()))
            && super::super::ends_word(text, after)
            && text[after..]
                .trim_start_matches([' ', ':', '.', '-'])
                .starts_with(|c: char| c.is_ascii_digit())
    });
    // "EL (24)A/12": an age is a word of its own.
    let number = &text[at..];
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let glued = number[digits..]
        .trim_start_matches([')', ','])
        .starts_with(|c: char| c.is_alphanumeric() || c == '/');
    let age = age_follows(rest) && !(digits > 0 && glued);
    birth_date || labelled || age
}

/// True when the words around the name at words `first..=last` say the
/// person is a patient: "Patient: Sian Jones", "pt Tom Baxter", or after
/// it "is a pt", "is also a patient", "is one of our patients".
pub(super) fn said_to_be_a_patient(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let labelled = first.checked_sub(1).is_some_and(|i| {
        // "Pt name: Sian Jones": the label's "name" between.
        let named =
            words[i].folded == "name" && i > 0 && text[words[i - 1].end..words[i].start] == *" ";
        let label = &words[if named { i - 1 } else { i }];
        one_of(label.folded, &PATIENT_LABELS)
            && matches!(
                &text[words[i].end..words[first].start],
                " " | ": " | ":" | " - "
            )
    });
    // "signed for by: Patel, Anjali (pt)": a bracket that says so (not
    // "(PT)", a physio, nor a rota's "(pt) 9-1", part-time).
    let after = text[words[last].end..].trim_start_matches(' ');
    // ("Chair Brian Moss (patient)" represents patients.)
    let bracketed = after.strip_prefix("(pt)").is_some_and(|rest| {
        !rest
            .trim_start_matches(' ')
            .starts_with(|c: char| c.is_ascii_digit())
    });
    // "Hi Tracey, your prescription is ready to collect": a patient told
    // of their own care.
    let greeted = first.checked_sub(1).is_some_and(|i| {
        one_of(words[i].folded, &["hi", "hello", "dear", "hiya"])
            && text[words[i].end..words[first].start].trim_start_matches(',') == " "
    }) && {
        let rest = text[words[last].end..].trim_start_matches([',', ' ', '!']);
        let mut after = super::super::clinical::words(rest).map(|(_, w)| w);
        let care = |w: &str| YOUR_CARE.contains(w) || super::super::clinical::is_clinical_word(w);
        // ("Hi Lisa, your repeat order for the home went in": the home's.)
        after.next().is_some_and(|w| one_of(w, &["your", "ur"]))
            && after.next().is_some_and(care)
            && !after
                .next()
                .is_some_and(|w| one_of(w, &["order", "orders", "stock", "list", "audit"]))
    };
    if labelled || bracketed || greeted {
        return true;
    }
    let mut next = words.iter().skip(last + 1).map(|w| w.text);
    if !next.next().is_some_and(|w| w.eq_ignore_ascii_case("is")) {
        return false;
    }
    next.take(4)
        .take_while(|w| {
            one_of(
                w,
                &[
                    "a",
                    "also",
                    "one",
                    "of",
                    "our",
                    "your",
                    "the",
                    "registered",
                    "now",
                    "as",
                ],
            ) || one_of(w, &["pt", "patient", "patients"])
        })
        .any(|w| one_of(w, &["pt", "patient", "patients"]))
}

/// What a patient is told is theirs: "Hi Tracey, your prescription is
/// ready" (not "your order", "your rota").
#[rustfmt::skip]
static YOUR_CARE: Vocabulary = Vocabulary::new(&[
    "prescription", "prescriptions", "medication", "medicines", "meds", "results",
    "appointment", "appt", "referral",
]);

/// Words after a name that say the person is cared for, whoever they are:
/// "Nyrs Elin Prydderch came in as a patient", "Fiona Braithwaite RN was
/// seen in A&E herself", "Shona MacLeod RMN … sectioned under s2".
#[rustfmt::skip]
static CARED_FOR_THEMSELVES: Vocabulary = Vocabulary::new(&[
    "herself", "himself", "themself", "sectioned", "suicidal", "overdose", "overdosed",
]);

/// Words after an untitled name that say the person is cared for (not
/// "patient": "Ruth Abernethy (practice pharmacist) wants to know … for a
/// paediatric patient" asks for someone else; "as a patient" is read
/// whole): a
/// clinician's title ("Dr Khan diagnosed shingles", "Sister Rees
/// discharged her") is turned away by [`CARED_FOR_THEMSELVES`] alone.
#[rustfmt::skip]
static UNDER_CARE: Vocabulary = Vocabulary::new(&[
    "diagnosed", "admitted", "discharged", "positive", "dx", "allergic", "started",
]);

/// True when the sentence after a name ending at `end` says its person is
/// cared for ([`CARED_FOR_THEMSELVES`], and [`UNDER_CARE`] when the name has
/// no clinician's title): a role or a work verb makes no patient a
/// colleague ("Gareth Pritchard RGN - HIV positive, on Biktarvy", "Karim
/// Benali (pharmacy tech) covering today but he is also on our list -
/// HbA1c 88, insulin started").
pub(super) fn cared_for_after(text: &str, end: usize, titled: bool) -> bool {
    let sentence = super::staff::sentence_after(text, end);
    let mut words = super::super::clinical::words(sentence).map(|(_, w)| w);
    words.any(|w| CARED_FOR_THEMSELVES.contains(w) || !titled && UNDER_CARE.contains(w))
        || SAID_A_PATIENT.iter().any(|p| sentence.contains(p))
        || off_for_health(sentence)
}

/// True when `sentence` says someone is away from work for their own
/// health: "is off for her breast chemo", "off having chemo", "off sick",
/// "off work with anxiety", "on sick leave", "off for 6 weeks after her hip
/// replacement". Being off must be said of them ("is off", "she's off",
/// "signed off with"), not a cut-off or a trip ("the cut off for flu
/// vaccs", "head off after the clinic"), and the health must be theirs
/// ("her chemo", "with anxiety"), not a course's ("off for an asthma
/// update course").
fn off_for_health(sentence: &str) -> bool {
    use super::super::clinical::{is_clinical_word, words};
    // Most sentences say neither, and are read no further.
    let has = |w: &[u8]| {
        sentence
            .as_bytes()
            .windows(w.len())
            .any(|b| b.eq_ignore_ascii_case(w))
    };
    if !has(b"off") && !has(b"sick") {
        return false;
    }
    if has(b"sick leave") || has(b"off sick") {
        return true;
    }
    let words: Vec<(usize, &str)> = words(sentence).collect();
    words.iter().enumerate().any(|(i, &(at, w))| {
        let said_of_them = i > 0
            && (one_of(
                words[i - 1].1,
                &[
                    "is",
                    "was",
                    "been",
                    "be",
                    "currently",
                    "still",
                    "now",
                    "signed",
                ],
            ) || words[i - 1].1.ends_with("'s")
                || words[i - 1].1.ends_with("’s"));
        if !w.eq_ignore_ascii_case("off") || !said_of_them {
            return false;
        }
        // The clause of being off: up to its sentence's end, six words.
        let rest = &words[i + 1..words.len().min(i + 9)];
        rest.iter().enumerate().any(|(j, &(_, r))| {
            let then_health = |n: usize| {
                rest[j + 1..]
                    .iter()
                    .take(n)
                    .any(|&(_, h)| is_clinical_word(h))
            };
            // "with anxiety", "with the flu." (not "with the vaccine bus").
            let health_ends_it = |n: usize| {
                rest.get(j + n).is_some_and(|&(h_at, h)| {
                    let after = sentence[h_at + h.len()..].trim_start_matches(' ');
                    is_clinical_word(h)
                        && (n == 1
                            || after.is_empty()
                            || after.starts_with([',', '.', ';', '!', '?', ')', '\n'])
                            || after.starts_with("and "))
                })
            };
            one_of(r, &["with", "having"]) && j <= 1 && (health_ends_it(1) || health_ends_it(2))
                || one_of(r, &["her", "his", "their"]) && then_health(2)
        }) || sentence[at..].starts_with("off (")
            && words.get(i + 1).is_some_and(|&(_, n)| is_clinical_word(n))
    })
}

/// Phrases after a name that make its holder a patient, whatever else the
/// sentence says of them ("came in as a patient", "is now a patient at St
/// Gemma's", "Pauline Hardy, CNS, patient at …").
const SAID_A_PATIENT: [&str; 4] = [
    "as a patient",
    "now a patient",
    ", patient at",
    ", a patient",
];

/// Words with which a text says its people are invented.
#[rustfmt::skip]
const MADE_UP: &[&str] = &[
    "made up", "fictional", "fictitious", "hypothetical", "not a real patient",
    "invented", "scenario", "case study", "role play", "role-play", "roleplay",
    // "Names and dates changed" (not "details changed for Mr B", news).
    "names changed", "names and dates changed", "names and details changed", "names altered",
];

/// Words in the heading a case told to teach opens with: "Learning from
/// incidents: Mrs A, 78, …", "Anonymised case for CPD: Mr B, 60s, …",
/// "Case for Thurs teaching: 68M, …". Only in the message's heading, its
/// first line up to a colon, and with no word on that line that says the
/// case is real: a hostile review found real patients after such words
/// anywhere else ("missing journal club today - on the ward with Mrs B",
/// "Learning case, not made up sadly: Mrs W", "Teaching case: (real
/// patient, not made up) Mrs P").
#[rustfmt::skip]
static TEACHING: Vocabulary = Vocabulary::new(&[
    "teaching", "learning", "anonymised", "anonymized", "cpd", "quiz", "training", "tutorial",
    "osce", "scenario",
]);

/// Words on a heading's line that say its case is someone real.
#[rustfmt::skip]
static SAID_REAL: Vocabulary = Vocabulary::new(&[
    "real", "live", "actual", "genuine", "today", "tonight", "yesterday", "morning", "night",
    "week", "weekend", "afternoon", "evening", "tomorrow", "currently",
]);

/// Words in a heading (before its colon) that say its case is real:
/// "Learning case, not made up sadly: Mrs W, 76, …" (after the colon they
/// are the case's: "INR not checked", "sadly had a GI bleed").
#[rustfmt::skip]
static HEADED_REAL: Vocabulary = Vocabulary::new(&["not", "sadly", "unfortunately"]);

/// Where the teaching heading that opens `text` ends (its colon), and
/// where its case ends (a blank line, or the text's end: "Quiz night Fri:
/// bring snacks\n\nAlso 74M, Dennis, …" is another matter), or `None`: at
/// most eight words before the first colon of the first line, opening
/// with a teaching word or "case".
pub(in crate::screen) fn teaching_heading(text: &str) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    let line = text[start..].split('\n').next().unwrap_or("");
    let (head, rest) = line.split_once(':')?;
    // The heading opens with what it is ("Learning from …", "Case for
    // Thurs teaching", "Shared learning"; not "Sorry missing learning
    // case: on the ward with Mrs B").
    // ("Re the discussion at huddle: Mr T, 67" is a real one, and so is
    // "Learning disability reviews: Mr D, 34").
    let mut words = super::super::clinical::words(head).map(|(_, w)| w);
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    // "Paediatric case (anonymised)": a kind of case first.
    let case = one_of(first, &["case", "cases", "shared"])
        || one_of(second, &["case", "cases"]) && first.starts_with(char::is_uppercase);
    // "SBAR practice (fictional pt for training)": a heading that says in
    // brackets its case is made up opens one, whatever its first word (not
    // "Sorry missing the training role play: the lady who …").
    let bracketed = head
        .find('(')
        .is_some_and(|o| says_made_up(&head[o..]).is_some());
    let opens = case
        || TEACHING.contains(first) && !second.to_ascii_lowercase().starts_with("disab")
        || bracketed;
    let mut count = 0;
    let mut teaching = false;
    for w in super::super::clinical::words(head).map(|(_, w)| w).take(9) {
        teaching |= TEACHING.contains(w) || case && one_of(w, &["discussion", "study", "studies"]);
        count += 1;
    }
    let teaching = teaching && opens;
    // ("no real pt details pls", "not a real patient" say the case is no
    // one.)
    let said_real = |words: Vec<&str>| {
        (0..words.len()).any(|i| {
            let denied = |p: usize| one_of(words[p], &["no", "not", "non"]);
            SAID_REAL.contains(words[i])
                && !i.checked_sub(1).is_some_and(denied)
                && !(i >= 2 && words[i - 1] == "a" && denied(i - 2))
        })
    };
    let words_of = |s| super::super::clinical::words(s).map(|(_, w)| w).collect();
    let real = said_real(words_of(head))
        || said_real(words_of(rest))
        || super::super::clinical::words(head).any(|(_, w)| HEADED_REAL.contains(w));
    let end = start + head.len() + 1;
    let case_end = text[end..].find("\n\n").map_or(text.len(), |n| end + n);
    (teaching && count <= 8 && !real).then_some((end, case_end))
}

/// Where `text` first says that it is made up (a training case), or
/// `None`: not where it is denied ("not a scenario") or a manner of
/// speaking ("worst case scenario").
pub(super) fn says_made_up(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i].is_ascii_alphabetic() && super::super::starts_word(text, i))
        .find(|&i| {
            MADE_UP
                .iter()
                .any(|m| super::super::match_phrase(text, i, m).is_some())
                && !said_otherwise(text, i)
        })
}

/// True when the words before `i` deny what follows or make it a manner
/// of speaking: "not a scenario", "worst case scenario".
fn said_otherwise(text: &str, i: usize) -> bool {
    let before = super::super::window_before(text, i, 16);
    let mut words = before
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .rev();
    let denies = |w: &str| one_of(w, &["not", "no", "never", "isn't"]);
    match words.next() {
        Some("a" | "A") => words.next().is_some_and(denies),
        Some(w) => denies(w) || w.eq_ignore_ascii_case("case"),
        None => false,
    }
}
