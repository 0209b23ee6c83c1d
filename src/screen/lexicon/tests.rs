//! Tests of the lexicon: its files' form, lookups in any case, places.

use super::*;

fn sorted_unique(text: &str) -> bool {
    let names: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    names.windows(2).all(|w| w[0] < w[1])
        && names.iter().all(|n| {
            n.len() >= 2
                && n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'\'' || b == b'-')
        })
}

#[test]
fn every_list_is_sorted_lower_case_ascii() {
    for (name, list) in [
        ("forenames", include_str!("forenames.txt")),
        ("surnames", include_str!("surnames.txt")),
        ("common words", include_str!("common_words.txt")),
        ("very common words", include_str!("very_common.txt")),
    ] {
        assert!(sorted_unique(list), "{name}");
    }
    // Places of several words join them with one space.
    let places = include_str!("places.txt");
    let letters = |b: u8| b.is_ascii_lowercase() || b" '-".contains(&b);
    assert!(places.lines().all(|p| p.bytes().all(letters)), "places");
    let lines: Vec<&str> = places.lines().collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "places sorted");
}

#[test]
fn places_are_found_by_one_word_or_several() {
    let is_place = |w: &str| entry(w).place;
    assert!(is_place("barry") && is_place("clapham") && is_place("derry"));
    assert!(is_place_phrase("moss side") && is_place_phrase("talbot green"));
    assert!(!is_place("margaret") && !is_place_phrase("margaret hollis"));
}

#[test]
fn names_are_found_whatever_their_case_and_accents() {
    for word in [
        "Margaret",
        "MARGARET",
        "margaret",
        "Siân",
        "Zoë",
        "Margaret's",
    ] {
        assert!(is_forename(&fold(word)), "{word}");
    }
    assert_eq!(fold("Çelik"), "celik");
    assert_eq!(fold("Wiśniewska"), "wisniewska");
    assert_eq!(fold("O’Neill"), "o'neill");
}

#[test]
fn a_vocabulary_ignores_ascii_case_only() {
    static WORDS: Vocabulary = Vocabulary::new(&["mrs", "tŷ", "o'neill"]);
    for word in ["mrs", "MRS", "Mrs", "tŷ", "TŶ", "Tŷ", "O'Neill"] {
        // "TŶ" has a capital beyond ASCII: as `eq_ignore_ascii_case`, no.
        assert_eq!(WORDS.contains(word), word != "TŶ", "{word}");
    }
    assert!(!WORDS.contains("mr") && !WORDS.contains(&"M".repeat(40)));
}

#[test]
fn particles_join_surnames() {
    assert!(is_particle("de") && is_particle("van") && is_particle("mac"));
    assert!(!is_particle("the"));
}
