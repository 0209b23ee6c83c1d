//! Names that are a medicine's: a brand before its strength ("Gina
//! 10mcg"), its packs ("Evra patches") or what is said of its supply
//! ("Yasmin, Lucette and Katya 30/75 all back in stock").

use super::super::ages;
use super::{Word, one_of};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// Medicines whose brand is also a first name ("Yasmin", "Katya", "Gina"):
/// named alone, without a title, a surname or an age, the medicine.
#[rustfmt::skip]
static NAMED_BRANDS: Vocabulary = Vocabulary::new(&[
    "yasmin", "katya", "gina", "evra", "hana", "lucette", "sunya", "mirena", "sapphira",
    "eloine", "zoely",
]);

/// True when the first name alone at word `k` is a medicine's brand
/// ([`NAMED_BRANDS`]): not someone's ("Yasmin's inhaler"), nor with an age.
pub(super) fn a_named_brand(text: &str, words: &[Word], k: usize) -> bool {
    let w = &words[k];
    NAMED_BRANDS.contains(w.folded)
        && possessive_base(w.text).is_none()
        && !ages::age_or_birth_next(text, w.end)
}

/// A medicine's forms, in the plural: the packs a brand comes in.
#[rustfmt::skip]
pub(super) static PACKS: Vocabulary = Vocabulary::new(&[
    "patches", "tablets", "tabs", "pills", "capsules", "caps", "pens", "inhalers", "sachets",
    "injections", "implants", "pessaries", "vials", "ampoules",
]);

/// What is said of a medicine's supply: "out of stock", "on allocation".
#[rustfmt::skip]
const SUPPLY: &[&str] = &[
    "out of stock", "in stock", "discontinued", "unavailable", "available", "shortage",
    "on allocation", "in short supply", "on back order", "restocked", "being discontinued",
];

/// Words that may stand between a name in a list and what is said of the
/// list's supply: "Yasmin, Lucette and Katya 30/75 all back in stock".
#[rustfmt::skip]
static LIST_FILLER: Vocabulary = Vocabulary::new(&[
    "and", "or", "&", "all", "still", "now", "again", "back", "currently", "are", "is",
    "also", "both", "finally", "temporarily",
]);

/// True when `rest`, the text after a name, says (after the rest of a list
/// of names and strengths) how it is supplied: the name is a brand's.
pub(super) fn stocked(rest: &str) -> bool {
    let mut at = rest;
    for _ in 0..8 {
        at = at.trim_start_matches([' ', ',']);
        let said = SUPPLY
            .iter()
            .any(|p| at.get(..p.len()).is_some_and(|r| r.eq_ignore_ascii_case(p)));
        // "…, Yasmin still out": "out" ending a clause of a stock list.
        let out = at.get(..3).is_some_and(|r| r.eq_ignore_ascii_case("out"))
            && at[3..]
                .trim_start_matches(' ')
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ',' | '.' | ';' | '\n' | '!'));
        if said || out {
            return true;
        }
        let token = at.split([' ', ',']).next().unwrap_or("");
        let listed = LIST_FILLER.contains(token)
            || token.starts_with(char::is_uppercase)
            || token.starts_with(|c: char| c.is_ascii_digit()) && strength(token)
            // "30/75", "150/30": a combined pill's two strengths.
            || token.split('/').count() == 2
                && token.split('/').all(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
        if token.is_empty() || !listed {
            return false;
        }
        at = &at[token.len()..];
    }
    false
}

/// True when `rest` (starting with a digit) is a strength: "10mcg",
/// "25 mg", "5%".
pub(super) fn strength(rest: &str) -> bool {
    let mut tokens = rest.split_whitespace();
    let number = tokens.next().unwrap_or("");
    // "Katya 30/75", "Fostair 100/6": a combination's two strengths.
    let mut parts = number.trim_end_matches([',', '?', '.']).split('/');
    let digits = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let (a, b) = (parts.next(), parts.next());
    // "12/09" is a day and a month.
    let date_like = a.zip(b).is_some_and(|(a, b)| {
        a.parse::<u32>().is_ok_and(|d| d <= 31) && b.parse::<u32>().is_ok_and(|m| m <= 12)
    });
    if digits(a) && digits(b) && parts.next().is_none() && !date_like {
        return true;
    }
    let unit = number.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '/');
    let unit = if unit.is_empty() {
        tokens.next().unwrap_or("")
    } else {
        unit
    };
    let unit = unit.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
    one_of(
        unit,
        &[
            "mg",
            "mcg",
            "microgram",
            "micrograms",
            "ml",
            "g",
            "%",
            "units",
            "iu",
        ],
    )
}
