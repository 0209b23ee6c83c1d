//! A first name on its own: plainly a name ("Kath", "oluwaseun",
//! "Alfie-Rose", "CHLOE" in a shouted message about her), or an ordinary
//! word standing as one ("Grace aged 93", "Frank from Elm Road").

use super::super::clinical::{a_service_word, is_clinical_word};
use super::super::whereabouts::street_word;
use super::super::{ages, lexicon};
use super::{PLACES, RELATIVES, Reference, Word, one_of};

/// True when word `i` ends a workplace's name: a capitalised place's word
/// ("Castle Surgery"), or one in lower case after one ("Dr Gray's Hospital
/// pharmacy"); not "the home", "the surgery", where a patient is.
fn named_workplace(text: &str, words: &[Word], i: usize) -> bool {
    let kind = |w: &Word| super::places::organisation_word(w.text);
    kind(&words[i])
        && (words[i].capital
            || i.checked_sub(1).is_some_and(|p| {
                words[p].capital && kind(&words[p]) && text[words[p].end..words[i].start] == *" "
            }))
}

/// A forename on its own that is plainly a name: "Kath", "oluwaseun".
pub(super) fn forename_alone(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let w = &words[k];
    let place_lead = |i: usize| {
        one_of(
            words[i].text,
            &[
                "in",
                "at",
                "from",
                "to",
                "near",
                "on",
                "the",
                "across",
                "around",
                "throughout",
            ],
        )
    };
    // "at Holme", "at Tŷ Elli", "across Bradford": a place's name (which a
    // comma ends: "in Paisley, Callum, 6,").
    let second_word = |i: usize| words[i].title_case && text[words[i].end..w.start] == *" ";
    // "deliver to Doreen at no 9", "to Stan in room 4": after "to", a
    // name no town has, before where they live, is whom something goes to
    // (the lexicon holds the UK's towns; "send it to Gareth" is a colleague).
    let home_next = words.get(k + 1).is_some_and(|n| {
        // (The person's words hold no numbers: a house number is read
        // from the text.)
        let numbered = text[n.end..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
        one_of(n.folded, &["at", "in"])
            && (numbered
                || words
                    .get(k + 2)
                    .is_some_and(|h| one_of(h.folded, &["no", "number", "flat", "room", "rm"])))
    });
    let to_someone = k > 0 && words[k - 1].text == "to" && !w.is_place && home_next;
    if !to_someone && (k > 0 && place_lead(k - 1))
        || (k > 1 && second_word(k - 1) && place_lead(k - 2))
    {
        return None;
    }
    // "William Harvey Hospital, Ashford", "Dr Gray's Hospital Elgin",
    // "Dr Gray's Hospital pharmacy (Elgin)": the town a place is in.
    let town = k > 0 && {
        let p = &words[k - 1];
        let gap = &text[p.end..w.start];
        p.capital && PLACES.contains(p.text) && matches!(gap, " " | ", ")
            || w.is_place
                && gap == " ("
                && text[w.end..].starts_with(')')
                && named_workplace(text, words, k - 1)
                && !super::places::said_of_someone(text, words, k)
    };
    // "(GPwSI Diabetes, Bradford)": a town that is also a forename, last
    // in a bracket after a comma, is where someone works.
    let bracketed_town =
        w.is_place && text[..w.start].ends_with(", ") && text[w.end..].starts_with(')');
    // "DN South Bristol": a region of a town that is a forename too.
    // (Not "Lower Beverley's warfarin": an instruction, and a name's.)
    let region = w.is_place
        && k > 0
        && words[k - 1].capital
        && one_of(words[k - 1].folded, &["north", "south", "east", "west"])
        && text[words[k - 1].end..w.start] == *" "
        && lexicon::possessive_base(w.text).is_none();
    if town || bracketed_town || region {
        return None;
    }
    // "Kath", and "kerry-ann" in lower case (rare words, so rarely an
    // accident); not "re-read" or "co-sign", whose prefix is no name's part.
    let prefixed = w.text.split_once('-').is_some_and(|(prefix, _)| {
        one_of(
            prefix,
            &[
                "re", "co", "pre", "non", "ex", "de", "sub", "anti", "self", "post", "mid", "semi",
            ],
        )
    });
    let hyphen_parts = !prefixed;
    // "Lily-May", "Mary-Jane": title case in each part, of a name listed
    // whole ("Amber-Red" is a status read from its parts).
    // "Alfie-Rose (3)": two forenames, the first no ordinary word (not
    // "Amber-Red", a status).
    // One hyphen, and no town's ("Bradford-On-Avon").
    let first_part_a_name = !w.is_place
        && w.folded.split_once('-').is_some_and(|(first, second)| {
            !second.contains('-')
                && second.len() >= 3
                && lexicon::is_forename(first)
                && !lexicon::is_common_word(first)
                && lexicon::is_forename(second)
        });
    // Letters, not bytes: "tîm" (Welsh, a team) is three.
    let letters = w.text.chars().count();
    let double = w.name_case() && (lexicon::is_forename_as_written(w.folded) || first_part_a_name);
    // "CHLOE IN YR 11", "MY WIFE JEAN HAS": in a shouted sentence a name
    // has the shape every word has (not a capital's acronym among words
    // in lower case, "2 SABA in 12m", nor a surname, "HUGHES D 13/12").
    let shouted = |i: usize| {
        words
            .get(i)
            .is_some_and(|n| n.all_caps && n.text.len() >= 2)
    };
    let (before, after) = (k > 0 && shouted(k - 1), shouted(k + 1));
    // Only near a "she" or "he": a staff rota shouted ("FLU CLINIC SAT
    // WITH KIRSTY AND GEMMA") says of no one.
    let someone_said = || {
        let near = |s: &str| {
            s.split(|c: char| !c.is_ascii_alphabetic())
                .any(|p| one_of(p, &["she", "he", "her", "his", "him"]))
        };
        near(super::super::window_before(text, w.start, 80))
            || near(super::super::window_after(text, w.end, 120))
    };
    let shouting =
        w.all_caps && (before && after || !w.surname() && (before || after)) && someone_said();
    // "my son kai (14)", "her husband dev": a name after whose relative
    // they are, in any case.
    let kin_named =
        k > 0 && RELATIVES.contains(words[k - 1].folded) && text[words[k - 1].end..w.start] == *" ";
    let shaped = w.title_case
        || double
        || kin_named
        || shouting && letters >= 4
        || (letters >= 4 && !w.capital && hyphen_parts);
    if w.forename() && !w.common_word && shaped && letters >= 3 {
        return Some((Reference::Forename, k));
    }
    // "Grace aged 93", "Hope, 7,": an ordinary word as a name, before an age.
    if w.forename()
        && w.title_case
        && (age_follows(&text[w.end..]) || ages::age_in_bracket(text, w.end))
    {
        return Some((Reference::Forename, k));
    }
    // "7yo Harry", "84 y/o Rose": an ordinary word as a name, after an age
    // (not a dose's "6 yo Max 4 doses").
    let amount_next = text[w.end..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit());
    if w.forename() && w.title_case && !amount_next && ages::age_right_before(text, w.start) {
        return Some((Reference::Forename, k));
    }
    // "Frank from Elm Road", "Tam from the flats": an ordinary word as a
    // name, before where they live.
    let from_somewhere = words.get(k + 1).is_some_and(|n| {
        let home = |i: usize| {
            words.get(i).is_some_and(|p| p.title_case)
                || (words.get(i).is_some_and(|p| p.folded == "the")
                    && words.get(i + 1).is_some_and(|p| street_word(p.folded)))
        };
        one_of(n.text, &["from", "at", "in"]) && home(k + 2) && text[w.end..n.start] == *" "
    });
    // "Big Tam", "Wee Shug", "Young Mo": a nickname's usual first word.
    let nicknamed = k > 0
        && one_of(
            words[k - 1].text,
            &["Big", "Wee", "Little", "Young", "Auld", "Old"],
        )
        && text[words[k - 1].end..w.start] == *" ";
    // "Hope from Flat 3 Orchard Ct": before a home's number, even a very
    // common word is a name.
    let from_a_home = words
        .get(k + 1)
        .is_some_and(|n| one_of(n.text, &["from", "at"]))
        && words.get(k + 2).is_some_and(|p| {
            one_of(p.folded, &["flat", "no", "number"])
                && text[p.end..]
                    .trim_start_matches([' ', '.'])
                    .starts_with(|c: char| c.is_ascii_digit())
        });
    // "Sue's husband", "Grace's son": whose relative someone is, even an
    // ordinary word is a name.
    let kin = lexicon::possessive_base(w.text).is_some()
        && words
            .get(k + 1)
            .is_some_and(|n| RELATIVES.contains(n.text) && text[w.end..n.start] == *" ");
    // "Jade needs her lamotrigine", "Ruby missed her insulin": a verb,
    // "her" or "his", then a clinical word, said of the name.
    let next = |n: usize| words.get(k + n).map_or("", |w| w.folded);
    // (Not "Pearl started her insulin pen training": a duty's.)
    let cared_for = one_of(next(1), &CARED_FOR_VERBS)
        && one_of(next(2), &["her", "his"])
        && (3..=4).any(|n| words.get(k + n).is_some_and(|w| is_clinical_word(w.text)))
        && !(3..=6).any(|n| a_service_word(next(n)));
    // (Not "Boots at 23 Gladstone Street": a chain's branch.)
    let from_somewhere = from_somewhere && !super::places::is_chain(w.folded);
    let placed =
        (!w.very_common && (from_somewhere || nicknamed || cared_for)) || from_a_home || kin;
    (w.forename() && w.title_case && placed).then_some((Reference::Forename, k))
}

/// What is said of someone's own medicine right after their name: "Jade
/// needs her lamotrigine".
const CARED_FOR_VERBS: [&str; 7] = [
    "needs",
    "missed",
    "refused",
    "stopped",
    "started",
    "collected",
    "forgot",
];

/// True when an age follows a name directly: "Grace aged 93", "Grace, 93,",
/// "Grace (93)".
pub(super) fn age_follows(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', ',', '(']);
    let labelled = ["aged ", "age "].iter().find_map(|a| {
        rest.get(..a.len())
            .filter(|r| r.eq_ignore_ascii_case(a))
            .map(|_| &rest[a.len()..])
    });
    let number = labelled.unwrap_or(rest);
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let tail = number[digits..].trim_start();
    let delimited = tail.is_empty()
        || tail.starts_with([',', ')', ';', '\n'])
        || ["yo", "y/o", "y.o", "yr", "year"]
            .iter()
            .any(|y| starts_with_ignoring_case(tail, y));
    (1..=3).contains(&digits)
        && number[..digits].parse::<u32>().is_ok_and(|n| n <= 110)
        && (labelled.is_some() && !tail.starts_with(|c: char| c.is_ascii_digit()) || delimited)
}

/// True when `text` starts with the lowercase `prefix`, ignoring ASCII
/// case (without lowercasing the rest of the text).
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}
