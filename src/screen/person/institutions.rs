//! Hospitals, hospices, health boards and charities named after people
//! ("John Radcliffe", "Marie Curie nurses", "Betsi Cadwaladr", "Sue Ryder
//! hospice"): in a message between NHS teams such a name is the
//! institution, written as often without its "Hospital" as with it.
//!
//! The lists are written for this project from general knowledge of the
//! UK's NHS and care sector (no list was copied). Only names that read as a
//! person's are here: a forename and a surname, or a royal title and a
//! name; "Addenbrooke's" or "Ninewells" are no one's name anyway. A name
//! people have too ("James Cook") is the hospital only where the text says
//! so. Such a name is a person only with a detail that singles them out
//! (see [`super::Reference::Institutional`]), or with a title.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::super::lexicon::possessive_base;
use super::{Word, one_of};
use crate::screen::lexicon::Vocabulary;

/// Folded (lower-case ASCII), words one space apart: names no one in the
/// UK plausibly has.
#[rustfmt::skip]
const INSTITUTIONS: &[&str] = &[
    // Hospitals, hospices and buildings named after people.
    "florence nightingale", "mary seacole", "edith cavell", "jenny lind",
    "elizabeth garrett anderson", "royal marsden", "alder hey", "noah's ark", "evelina london",
    "walton centre", "simpson centre", "jessop wing", "helen and douglas",
    "cicely saunders", "princess alice", "sobell house", "julian hospital",
    // Royal names of hospitals.
    "queen elizabeth", "queen elizabeth the queen mother", "queen alexandra", "queen mary's",
    "queen margaret", "queen victoria", "queen's medical centre", "princess royal",
    "princess alexandra", "princess of wales", "diana princess of wales", "prince charles",
    "prince philip", "king george", "king edward vii", "royal alexandra",
    "royal victoria", "victoria infirmary", "royal albert edward", "alexandra hospital",
    // Welsh health boards, hospitals and offices.
    // ("Ysbyty …" is a place by its first word: see `staff`.)
    "betsi cadwaladr", "aneurin bevan", "hywel dda", "nye bevan", "glan clwyd", "ty glas",
    // Charities.
    "terrence higgins", "marie stopes", "st john ambulance", "simon community",
    // Pharmacy chains.
    "day lewis",
];

/// Institutions' names that people have too ("James Cook", "Sue Ryder"):
/// the institution only where the text says so, by what follows the name
/// ("James Cook hospital", "Sue Ryder nurses") or by "the" or "at" before
/// it ("at the John Radcliffe").
#[rustfmt::skip]
const SHARED_WITH_PEOPLE: &[&str] = &[
    "john radcliffe", "william harvey", "george eliot", "james paget", "james cook",
    "nevill hall", "russells hall", "grace darling", "martin house", "francis house",
    "katharine house", "dorothy house", "mary stevens", "douglas macmillan", "thomas linacre",
    "helen ley", "clare house", "lindsey lodge", "ellen badger", "marie curie", "sue ryder",
    "anthony nolan", "ronald mcdonald",
    // ("Edward King" listed surname first.)
    "king edward",
];

/// What follows an institution's name, one space after it: "James Cook
/// hospital", "Marie Curie nurses", "Sue Ryder hospice" (not what happens
/// to a patient there: "Douglas Macmillan ED attender", "maternity notes").
#[rustfmt::skip]
static INSTITUTION_WORDS: Vocabulary = Vocabulary::new(&[
    "hospital", "hospice", "pharmacy", "ward", "wards", "team", "nurse", "nurses", "trust",
    "centre", "unit", "site", "children", "childrens", "shop", "shops", "charity",
]);

/// True when the name at words `first..=last` is part of an institution's
/// name: one of [`INSTITUTIONS`] starts at the name or up to two words
/// before it and ends at the end of one of its words, past which it reads
/// on only to words that are no name ("Florence Nightingale Hospice"; not
/// "Mary Seacole-Brown"). A title before the name ("Mrs Florence
/// Nightingale") makes it a person's; so does a detail, in the decision.
pub(super) fn named_at(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let span = &words[first..=last];
    let covers = |e: usize| {
        span.iter().any(|w| w.end == e)
            && span
                .iter()
                .all(|w| w.end <= e || !(w.is_forename || w.is_surname))
    };
    // "the John Radcliffe", "at James Cook", "James Cook hospital"; not
    // "at Mary Stevens' bloods", a person's.
    let possessive =
        words[last].text.ends_with(['\'', '’']) || possessive_base(words[last].text).is_some();
    let said = |i: usize, e: usize| {
        if possessive {
            return false;
        }
        // "St Gemma's Hospice and Sue Ryder Wheatfields": after another,
        // the name of one of its places (not "the hospice and James Cook
        // is now on oramorph").
        let named_on = |e: usize| {
            words
                .iter()
                .find(|w| w.start > e)
                .is_some_and(|w| w.title_case && text[e..w.start] == *" ")
        };
        let before = i
            .checked_sub(1)
            .is_some_and(|b| one_of(words[b].folded, &["the", "at"]))
            || i >= 2
                && one_of(words[i - 1].folded, &["and", "&"])
                && words[i - 2].capital
                && INSTITUTION_WORDS.contains(words[i - 2].folded)
                && named_on(e);
        let at = words.iter().position(|w| w.start > e);
        let next = at.filter(|&n| text[e..words[n].start] == *" ");
        // "Marie Curie and Sue Ryder nurses": one of a list of them.
        // Not a patient who shares the name: "Anthony Nolan and Marie Curie
        // nurses both visiting - he's now on a syringe driver".
        let listed = |n: usize| {
            words[n].folded == "and"
                && words.get(n + 1).is_some()
                && opens_at(text, words, n + 1)
                && !super::places::said_of_someone(text, words, last)
        };
        before || next.is_some_and(|n| INSTITUTION_WORDS.contains(words[n].folded) || listed(n))
    };
    (first.saturating_sub(2)..=first).any(|i| {
        by_first_word().get(words[i].folded).is_some_and(|names| {
            names.iter().any(|&(name, shared)| {
                read_at(text, words, i, name).is_some_and(|e| covers(e) && (!shared || said(i, e)))
            })
        })
    })
}

/// True when an institution's name opens at word `i`: "Macmillan, Marie
/// Curie and Cruse" lists charities, not a surname and a forename.
pub(super) fn opens_at(text: &str, words: &[Word], i: usize) -> bool {
    by_first_word().get(words[i].folded).is_some_and(|names| {
        names
            .iter()
            .any(|&(name, _)| read_at(text, words, i, name).is_some())
    })
}

/// Where `name` ends when its words are the words from `i` on, as the
/// text's words are folded ("Noah’s Ark" is "noah ark"), one or more
/// spaces apart.
fn read_at(text: &str, words: &[Word], i: usize, name: &str) -> Option<usize> {
    let mut end = None;
    for (n, part) in name.split(' ').enumerate() {
        let w = words.get(i + n)?;
        if n > 0 {
            let gap = &text[words[i + n - 1].end..w.start];
            if gap.is_empty() || gap.bytes().any(|b| b != b' ') {
                return None;
            }
        }
        if w.folded != possessive_base(part).unwrap_or(part) {
            return None;
        }
        end = Some(w.end);
    }
    end
}

/// [`INSTITUTIONS`] and [`SHARED_WITH_PEOPLE`] (marked `true`) by their
/// first word as the words of a text are folded ("noah's" is "noah"): most
/// names are no institution's, and are turned away by one lookup.
fn by_first_word() -> &'static HashMap<&'static str, Vec<(&'static str, bool)>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<(&'static str, bool)>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<(&'static str, bool)>> = HashMap::new();
        let names = INSTITUTIONS.iter().map(|&n| (n, false));
        for (name, shared) in names.chain(SHARED_WITH_PEOPLE.iter().map(|&n| (n, true))) {
            let first = name.split(' ').next().unwrap_or(name);
            let first = possessive_base(first).unwrap_or(first);
            map.entry(first).or_default().push((name, shared));
        }
        map
    })
}
