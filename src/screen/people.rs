//! People: a personal name together with a second identifier in the same
//! message is patient data, whatever the words around it.
//!
//! "Mr Ivor Example, 8 Church Lane, PE26 9ZZ – please redeliver his
//! inhalers" names nobody as a patient, yet it identifies one. A name is a
//! title and a surname ("Mrs Example") or a common forename and a capitalised
//! surname ("Margaret Thornfield", forenames from `forenames.txt`). The second
//! identifier is a street address, a full postcode, a phone number, an NHS or
//! hospital number or a date of birth anywhere in the message, or an age or a
//! date written right next to the name. Clinicians ("Dr …", "pharmacist …"),
//! staff roles, and names that are places ("Grace Darling House") are not
//! people here; a business's postcode, phone or address ("Riverside
//! Pharmacy, 12 High Street") is not a person's. A name with only clinical
//! words near it is a warning.

use std::sync::OnceLock;

use super::{Finding, Kind, Severity, ages, ends_word, names, starts_word};

/// How far (bytes of folded text) from a name an age or clinical word counts.
pub(super) const NEAR: usize = 40;

/// Words before a name that make it a clinician's, an honorific or a place.
const NOT_A_PATIENT_BEFORE: &[&str] = &[
    "dr",
    "doctor",
    "prof",
    "professor",
    "pharmacist",
    "nurse",
    "sister",
    "consultant",
    "technician",
    "gp",
    "matron",
    "midwife",
    "paramedic",
    "dentist",
    "optometrist",
    "rev",
    "revd",
    "sir",
    "dame",
    "lord",
    "lady",
    "st",
    "saint",
    "king",
    "queen",
    "prince",
    "princess",
    "colleague",
    "manager",
    "welcome",
];

/// Role words just after a name: "Daniel Whitcombe, our new technician".
const ROLES: &[&str] = &[
    "pharmacist",
    "technician",
    "nurse",
    "gp",
    "doctor",
    "manager",
    "lead",
    "dispenser",
    "coordinator",
    "administrator",
    "receptionist",
    "consultant",
    "director",
    "chair",
];

/// Words that end a place's name rather than a person's: "Charles Darwin
/// Surgery", "Florence Nightingale Ward", "Rose Gardens".
const PLACES: &[&str] = &[
    "building",
    "care",
    "centre",
    "center",
    "church",
    "clinic",
    "college",
    "court",
    "hall",
    "health",
    "home",
    "hospital",
    "house",
    "hub",
    "infirmary",
    "lodge",
    "medical",
    "pharmacy",
    "practice",
    "school",
    "surgery",
    "team",
    "trust",
    "unit",
    "ward",
];

/// Street words after a house number: "8 Church Lane", "3 The Crescent".
const STREETS: &[&str] = &[
    "road", "rd", "street", "st", "lane", "ln", "close", "way", "court", "avenue", "ave", "drive",
    "crescent", "gardens", "place", "terrace", "walk", "green", "row", "grove", "mews", "square",
    "hill", "park", "rise", "view", "vale", "gate", "parade", "yard", "wharf", "fold", "croft",
    "meadows", "end",
];

/// Words near a postcode, phone number or address that make it a
/// business's: "Riverside Pharmacy, 12 High Street".
const BUSINESSES: &[&str] = &[
    "pharmacy",
    "surgery",
    "centre",
    "center",
    "practice",
    "clinic",
    "hospital",
    "ltd",
    "limited",
    "hub",
    "chemist",
    "chemists",
    "boots",
    "lloyds",
    "superdrug",
    "medical",
    "health",
    "icb",
    "office",
    "unit",
    "church",
    "depot",
];

/// Clinical words that make a bare name worth a warning.
const CLINICAL: &[&str] = &[
    "admitted",
    "allergic",
    "allergy",
    "apixaban",
    "blister",
    "cancer",
    "deceased",
    "dementia",
    "diabetic",
    "diagnosis",
    "died",
    "discharged",
    "dosette",
    "dose",
    "fall",
    "fell",
    "hypo",
    "inhaler",
    "inhalers",
    "insulin",
    "inr",
    "mds",
    "medication",
    "meds",
    "methadone",
    "mounjaro",
    "ozempic",
    "palliative",
    "prescription",
    "rx",
    "script",
    "statin",
    "stoma",
    "tablets",
    "tto",
    "warfarin",
];

/// A lowercase ASCII word of at most 16 bytes packed into one number, so
/// that looking a word up compares integers, not strings.
fn pack(word: &[u8]) -> Option<u128> {
    if word.is_empty() || word.len() > 16 || !word.is_ascii() {
        return None;
    }
    Some(
        word.iter()
            .fold(0u128, |v, c| (v << 8) | u128::from(c.to_ascii_lowercase())),
    )
}

/// The forenames, packed and sorted, for a binary search.
fn forenames() -> &'static [u128] {
    static LIST: OnceLock<Vec<u128>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<u128> = include_str!("forenames.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| pack(l.as_bytes()))
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    })
}

/// True when `word` (any case) is one of the common forenames. This runs
/// for every capitalised word, so it neither allocates nor compares strings.
pub(super) fn is_forename(word: &str) -> bool {
    pack(word.as_bytes()).is_some_and(|w| forenames().binary_search(&w).is_ok())
}

/// True for a word that makes a row's cell a clinician's or a place's name
/// rather than a person's ("Dr Emily Stroud", "Charles Darwin Surgery").
pub(super) fn not_a_person(word: &str) -> bool {
    one_of(word, NOT_A_PATIENT_BEFORE) || one_of(word, PLACES) || one_of(word, ROLES)
}

fn one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The ASCII word (letters, `'`, `-`) at `i`, without a possessive `'s`.
fn word_at(text: &str, i: usize) -> &str {
    let b = text.as_bytes();
    let len = b[i..]
        .iter()
        .take_while(|&&c| c.is_ascii_alphabetic() || c == b'\'' || c == b'-')
        .count();
    let w = &text[i..i + len];
    w.strip_suffix("'s")
        .unwrap_or(w)
        .trim_end_matches(['\'', '-'])
}

/// The words (lowercase-comparable) just before `i`, nearest first.
fn words_before(text: &str, i: usize, n: usize) -> impl Iterator<Item = &str> {
    let mut from = i.saturating_sub(NEAR);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text[from..i]
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .rev()
        .take(n)
}

fn words_after(text: &str, i: usize, n: usize) -> impl Iterator<Item = &str> {
    let mut to = (i + NEAR).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text[i..to]
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .take(n)
}

/// A name found in the text: its span, and whether it is someone's at work.
struct Name {
    start: usize,
    end: usize,
}

/// Title names and forename-surname names, not clinicians' or places.
fn find_names(text: &str, words: &[usize]) -> Vec<Name> {
    let mut found = Vec::new();
    let mut next = 0;
    for &i in words {
        if i < next {
            continue;
        }
        let end = names::title_end(text, i)
            .and_then(|t| names::name_end(text, t))
            .or_else(|| forename_surname(text, i));
        let Some(end) = end else { continue };
        next = end;
        let clinician = words_before(text, i, 1).any(|w| one_of(w, NOT_A_PATIENT_BEFORE));
        let role = words_after(text, end, 3).any(|w| one_of(w, ROLES));
        if !clinician && !role {
            found.push(Name { start: i, end });
        }
    }
    found
}

/// "Margaret Thornfield": a capitalised common forename, spaces, and a
/// capitalised surname that does not start or end a place's name.
fn forename_surname(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let forename = word_at(text, i);
    let at = i + forename.len();
    if !b[i].is_ascii_uppercase() || b.get(at) != Some(&b' ') || !is_forename(forename) {
        return None;
    }
    let s = at + b[at..].iter().take_while(|&&c| c == b' ').count();
    let surname = word_at(text, s);
    let shaped = surname.len() >= 2
        && b[s].is_ascii_uppercase()
        && (b[s + 1].is_ascii_lowercase() || forename.bytes().all(|c| c.is_ascii_uppercase()));
    if !shaped || one_of(surname, PLACES) || one_of(surname, STREETS) {
        return None;
    }
    let mut end = s + surname.len();
    if text[end..].starts_with("'s") {
        end += 2;
    }
    // "Grace Darling House": the next word, after one space, ends a place.
    let next = &text[end..];
    if let Some(rest) = next.strip_prefix(' ')
        && rest.starts_with(|c: char| c.is_ascii_uppercase())
    {
        let w = word_at(text, end + 1);
        if one_of(w, PLACES) || one_of(w, STREETS) {
            return None;
        }
    }
    ends_word(text, end).then_some(end)
}

/// "12a Priory Road", "3 The Crescent", "Flat 6": the spans of street
/// addresses that are not a business's.
fn street_addresses(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphanumeric() && starts_word(text, i)) {
            i += 1;
            continue;
        }
        if let Some(end) = house_and_street(text, i).or_else(|| flat(text, i)) {
            if !business_near(text, i, end) {
                spans.push((i, end));
            }
            i = end;
        } else {
            // Past this word: no address starts inside one.
            i += b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
        }
    }
    spans
}

fn house_and_street(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=4).contains(&digits) {
        return None;
    }
    let mut at = i + digits;
    if b.get(at).is_some_and(u8::is_ascii_alphabetic) {
        at += 1; // "12a"
    }
    if !ends_word(text, at) {
        return None;
    }
    let mut street_end = None;
    for _ in 0..4 {
        let spaces = b[at..].iter().take_while(|&&c| c == b' ').count();
        if spaces == 0 || !b.get(at + spaces).is_some_and(u8::is_ascii_uppercase) {
            break;
        }
        let w = word_at(text, at + spaces);
        at += spaces + w.len();
        if one_of(w, STREETS) {
            street_end = Some(at);
        }
    }
    street_end
}

fn flat(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !b.get(i..i + 4)?.eq_ignore_ascii_case(b"flat") {
        return None;
    }
    let at = i + 4 + b[i + 4..].iter().take_while(|&&c| c == b' ').count();
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    (at > i + 4 && (1..=4).contains(&digits)).then_some(at + digits)
}

/// A business word in the words just before `start` or just after `end`.
fn business_near(text: &str, start: usize, end: usize) -> bool {
    words_before(text, start, 4).any(|w| one_of(w, BUSINESSES))
        || words_after(text, end, 1).any(|w| one_of(w, BUSINESSES))
}

/// What makes a name identifying: the first second identifier found.
fn second_identifier(
    findings: &[Finding],
    text: &str,
    addresses: &[(usize, usize)],
) -> Option<&'static str> {
    for f in findings {
        let what = match f.kind {
            Kind::NhsNumber if f.severity == Severity::Block => "an NHS number",
            Kind::HospitalNumber => "a hospital number",
            Kind::DateOfBirth => "a date of birth",
            Kind::Postcode if !business_near(text, f.start, f.end) => "a postcode",
            Kind::PhoneNumber if !business_near(text, f.start, f.end) => "a phone number",
            _ => continue,
        };
        return Some(what);
    }
    (!addresses.is_empty()).then_some("a street address")
}

/// Adds a finding for each personal name: a block with a second identifier,
/// a warning with clinical words near it.
pub(super) fn scan_people(text: &str, words: &[usize], out: &mut Vec<Finding>) {
    let names = find_names(text, words);
    if names.is_empty() {
        return;
    }
    let addresses = street_addresses(text);
    let in_message = second_identifier(out, text, &addresses);
    let mut found = Vec::new();
    for n in &names {
        let (severity, reason) = if let Some(what) = in_message {
            (
                Severity::Block,
                format!("a person's name with {what} in the same message"),
            )
        } else if ages::age_or_date_near(text, n.start, n.end) {
            (
                Severity::Block,
                "a person's name with an age or a date next to it".to_string(),
            )
        } else if words_before(text, n.start, 6)
            .chain(words_after(text, n.end, 6))
            .any(|w| one_of(w, CLINICAL))
        {
            (
                Severity::Warn,
                "a person's name next to clinical words: check it is not a patient".to_string(),
            )
        } else {
            continue;
        };
        found.push(Finding {
            kind: Kind::PatientName,
            severity,
            start: n.start,
            end: n.end,
            reason,
        });
    }
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<(&str, Severity)> {
        crate::screen::screen(text)
            .into_iter()
            .filter(|f| f.kind == Kind::PatientName)
            .map(|f| (&text[f.start..f.end], f.severity))
            .collect()
    }

    #[test]
    fn a_name_with_a_second_identifier_blocks() {
        use Severity::Block;
        for (text, name) in [
            (
                "Margaret Thornfield, 22 Station Road",
                "Margaret Thornfield",
            ),
            ("Mr Ivor Example, PE26 9ZZ", "Mr Ivor Example"),
            ("George Ambleside 07700 900733", "George Ambleside"),
            ("Mrs Hollis, Flat 3", "Mrs Hollis"),
            ("JOAN HEPWORTH 11 MANOR ROAD", "JOAN HEPWORTH"),
            ("Mrs Oakes aged 90", "Mrs Oakes"),
            ("Mr Okafor 67 y.o.", "Mr Okafor"),
            ("Dorothy Pennington 91yo", "Dorothy Pennington"),
            ("Harold Winterbourne (b. 1938)", "Harold Winterbourne"),
            ("Mrs Lumley, 86, confused", "Mrs Lumley"),
            ("Mrs Edna Fairweather, 02/03/1940", "Mrs Edna Fairweather"),
        ] {
            assert_eq!(people(text), [(name, Block)], "{text}");
        }
    }

    #[test]
    fn clinicians_places_and_businesses_are_not_patients() {
        for text in [
            "Dr Emily Stroud, 12 Park Drive",
            "Pharmacist Jane Hargreaves, 07700 900345",
            "Consultant Mr Jonathan Reeve, 0113 496 0100",
            "Daniel Whitcombe, our new technician, 07700 900111",
            "Grace Darling House, 12 Station Road",
            "Charles Darwin Surgery, 7 Mill Road",
            "St Mary's Church, 4 Church Lane",
            "Thanks Amy Collier for covering Riverside Pharmacy, 12 High Street",
            "Amy Collier is at Riverside Pharmacy, LS99 9ZZ",
            "Margaret from the ICB, 0113 496 0100",
        ] {
            assert!(
                people(text).iter().all(|&(_, s)| s != Severity::Block),
                "{text}: {:?}",
                people(text)
            );
        }
    }

    #[test]
    fn a_name_with_only_clinical_words_warns() {
        assert_eq!(
            people("Mrs Thornfield needs her warfarin reviewed"),
            [("Mrs Thornfield", Severity::Warn)]
        );
        assert!(people("Thanks to Amy Collier for the stock list").is_empty());
    }

    #[test]
    fn ages_without_a_name_are_groups() {
        for text in [
            "patients aged 65 and over",
            "Men aged 50 to 70",
            "3 patients aged 80+",
        ] {
            assert!(crate::screen::screen(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_forename_list_is_loaded() {
        assert!(forenames().len() >= 300);
        assert!(is_forename("Margaret") && is_forename("MOHAMMED"));
        assert!(!is_forename("Riverside") && !is_forename("# Common"));
    }
}
