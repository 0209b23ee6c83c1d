//! Houses: a number and a street ("12a Church Lane", "no. 4 the Mews",
//! "14 Heol y Bryn"), a flat or a plot, a what3words address, or a house's
//! own name after someone "at no." ("the lady at no. 9 Nant-y-Ffin").

use super::super::{one_of, starts_word};
use super::{FLATS, HOUSE_NUMBER_LEADS, WELSH_STREETS, street_word};
use crate::screen::lexicon::{self, Vocabulary};

/// What a house's own name ends in: "Rose Cottage", "Blaen-y-cwm Croft".
const DWELLINGS: [&str; 6] = [
    "cottage",
    "cottages",
    "croft",
    "barn",
    "bungalow",
    "farmhouse",
];

/// A house's own name after "at" or "from", up to three capitalised words
/// ending in what it is: "at Rose Cottage", "from Tŷ Gwyn Farmhouse".
pub(super) fn named_house(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    if !one_of(words[k].1, &["at", "from"]) {
        return None;
    }
    (k + 2..=k + 4).find(|&end| {
        words.get(end).is_some_and(|w| one_of(w.1, &DWELLINGS))
            && (k..end).all(|j| {
                let (at, word) = words[j + 1];
                text[words[j].0 + words[j].1.len()..at] == *" "
                    && word.starts_with(char::is_uppercase)
            })
    })
}

/// Words before a number that rank or count it, so it is no house number.
#[rustfmt::skip]
static RANKS: Vocabulary = Vocabulary::new(&[
    "sch", "schedule", "class", "step", "stage", "grade", "level", "type", "tier", "phase",
    "category", "wave", "cohort", "section", "chapter", "page", "version",
]);

/// A key safe's code, which opens one home's door: "keysafe 4471", "key
/// safe code is 1234", "key code 0909".
pub(super) fn key_safe(words: &[(usize, &str)], k: usize) -> Option<usize> {
    let mut at = k + 1;
    match words[k].1.to_ascii_lowercase().as_str() {
        "keysafe" | "keysafes" => {}
        "key"
            if words
                .get(at)
                .is_some_and(|w| one_of(w.1, &["safe", "code"])) =>
        {
            at += 1
        }
        _ => return None,
    }
    while words
        .get(at)
        .is_some_and(|w| one_of(w.1, &["code", "number", "no", "is", "now", "changed", "to"]))
        && at <= k + 5
    {
        at += 1;
    }
    let (_, code) = *words.get(at)?;
    ((3..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())).then_some(at)
}

/// A house number at word `k` ("12a", "no. 27", "number 30", "flat 4B",
/// "plot 12") followed by up to four words, the last a street word; or a
/// flat or plot number alone.
pub(super) fn house(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (i, w) = words[k];
    if let Some(last) = what3words(text, words, k) {
        return Some(last);
    }
    let mut at = k;
    if one_of(w, &HOUSE_NUMBER_LEADS) {
        at += 1;
    }
    let (_, number) = *words.get(at)?;
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let numbered =
        (1..=4).contains(&digits) && number.len() <= digits + 1 && starts_word(text, words[at].0);
    if one_of(w, &FLATS) {
        let (_, n) = *words.get(k + 1)?;
        let ok = n.bytes().next().is_some_and(|c| c.is_ascii_digit()) && n.len() <= 4;
        return ok.then_some(k + 1);
    }
    if !numbered || (at == k && !starts_word(text, i)) {
        return None;
    }
    // "Sch 3 CD either way", "step 2 of the way", "band 5 on the way": a
    // number that a word before it ranks is no house's.
    if at == k && k > 0 && RANKS.contains(words[k - 1].1) {
        return None;
    }
    // Welsh streets name the street first: "14 Heol y Bryn", "3 Ffordd Las".
    if let Some(&(_, first)) = words.get(at + 1)
        && WELSH_STREETS.contains(first)
    {
        let more = words.iter().skip(at + 2).take(2).take_while(|(_, w)| {
            w.starts_with(char::is_uppercase) || one_of(w, &["y", "yr", "'r"])
        });
        return Some(at + 1 + more.count());
    }
    // "when they turn 65 – check the green book": a dash ends the number's
    // clause, so no street follows it.
    let end = words[at].0 + number.len();
    if words
        .get(at + 1)
        .is_some_and(|&(next, _)| !text[end..next].bytes().all(|c| c == b' '))
    {
        return None;
    }
    // The street: up to four words, capitalised or not, ending in a street word.
    let mut last = None;
    for (j, &(s_start, s)) in words.iter().enumerate().take(at + 6).skip(at + 1) {
        if street_word(s) && j > at + 1 {
            last = Some(j);
        }
        // "Year 8 HPV at St Mary's", "2 weeks after month end": a street's
        // name has no preposition.
        let is_word = s.starts_with(char::is_alphabetic)
            && !one_of(
                s,
                &[
                    "at", "in", "on", "for", "to", "from", "by", "with", "and", "after", "before",
                    "until", "till", "per", "of", "into", "over", "about", "every", "each",
                ],
            );
        if !is_word || ends_sentence(text, s_start + s.len()) {
            break;
        }
    }
    last.or_else(|| {
        // "no. 27 the Crescent", "no. 4 the Mews": a named house after "no."
        (at > k
            && words
                .get(at + 1)
                .is_some_and(|(_, s)| s.eq_ignore_ascii_case("the")))
        .then_some(at + 2)
        .filter(|&j| j < words.len())
    })
    .or_else(|| named_after_number(text, words, k, at))
}

/// "the lady at no. 9 Nant-y-Ffin", "lives at number 4 Bryn Celyn": after
/// someone "at no." a house's or a street's own name with no street word,
/// one or more capitalised words that are no ordinary English word. Not a
/// venue ("Team meeting at no. 9 Nant-y-Ffin"): someone lives there.
fn named_after_number(text: &str, words: &[(usize, &str)], k: usize, at: usize) -> Option<usize> {
    let someone = |p: usize| {
        let (_, w) = words[p];
        super::super::person::is_person_noun(w) || one_of(w, &["lives", "living", "live"])
    };
    let led = at > k
        && k.checked_sub(2).is_some_and(|p| {
            one_of(words[p + 1].1, &["at", "in", "from"]) && someone(p)
                || one_of(words[p + 1].1, &["lives", "living"])
        });
    let proper = |w: &str| {
        let e = lexicon::entry(&lexicon::fold(w));
        w.starts_with(char::is_uppercase) && !e.english && !e.common && !e.clinical
    };
    if !led {
        return None;
    }
    // "the lady at no. 9 who always comes in": the number alone, on a
    // street the reader knows, before what singles its resident out (a
    // hostile review found queue tickets, seats and car-park bays "at no.
    // 31 is next", "at number 3 with the red hair").
    let resident = words[k - 1].1 == "at"
        && words.get(at + 1).is_some_and(|&(s, w)| {
            one_of(w, &["who", "whose", "who's", "who’s"])
                && text[words[at].0 + words[at].1.len()..s] == *" "
        });
    if resident {
        return Some(at);
    }
    if !words.get(at + 1).is_some_and(|&(_, w)| proper(w)) {
        return None;
    }
    // "Nant-y-Ffin", "Bryn Celyn": the name's words, joined by hyphens or
    // spaces, with the Welsh article.
    let mut last = at + 1;
    while let Some(&(s, w)) = words.get(last + 1) {
        let gap = &text[words[last].0 + words[last].1.len()..s];
        let joined = matches!(gap, "-" | " ");
        if !joined || !(proper(w) || one_of(w, &["y", "yr", "'r"])) || last >= at + 4 {
            break;
        }
        last += 1;
    }
    Some(last)
}

/// A what3words address ("///lamp.orbit.cloud"): three words naming a
/// three-metre square, a house as surely as its number and street.
fn what3words(text: &str, words: &[(usize, &str)], k: usize) -> Option<usize> {
    let (i, _) = words[k];
    if !text[..i].ends_with("///") || k + 2 >= words.len() {
        return None;
    }
    let dotted = (k..k + 2).all(|j| {
        let end = words[j].0 + words[j].1.len();
        &text[end..words[j + 1].0] == "."
    });
    dotted.then_some(k + 2)
}

fn ends_sentence(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n' | '(' | ')'))
}
