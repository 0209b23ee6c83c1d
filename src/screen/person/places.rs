//! Names that are a place's or an organisation's, read from the words
//! around them: "Grace Darling House", "Mary Seacole ward", "Fraser
//! guidelines", "Ysgol Bryn Celyn", "Tŷ Dewi Sant", "Jones Chemist",
//! "Castle Pharmacy" (a chain's branch, "Boots Merthyr", is `chains`'s);
//! and UK places whose names are people's too ("Barry, Newport and
//! Bridgend", "Moss Side", "Trinity Hospice Clapham"), known from the
//! lexicon's gazetteer.

use super::super::whereabouts::street_word;
use super::super::{ages, clinical};
use super::{PLACES, TITLES, Word, one_of};
use crate::screen::lexicon::is_place_phrase;
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// True when the word after the name ending at word `last` says the name
/// is a place's: "Grace Darling House", "Lady Margaret House", "Rose
/// Street", "Mary Seacole ward" (but "Edna Jones ward 7" is where she lies).
pub(super) fn place_next(text: &str, words: &[Word], last: usize) -> bool {
    // "via Sherwood Rise team", "Ashley Green surgery": a street word
    // that is a surname too, then what is there.
    let then_a_place = |w: &Word| {
        words.get(last + 2).is_some_and(|p| {
            (PLACES.contains(p.folded) || workplace_word(p.text)) && text[w.end..p.start] == *" "
        })
    };
    // "Clifton House secure unit now stocks …": a building's name, then
    // its secure unit, of which nothing is said of anyone (not "Ken Hall
    // day centre on Weds, needs his meds", "Dennis Flynn respite unit").
    let kind_of = |w: &Word| {
        PLACES.contains(words[last].folded)
            && w.text == "secure"
            && !said_of_someone(text, words, last + 2)
            && words.get(last + 2).is_some_and(|p| {
                LOWER_CASE_PLACES.contains(p.text)
                    && text[w.end..p.start] == *" "
                    && ends_a_place(&text[p.end..])
            })
    };
    words.get(last + 1).is_some_and(|w| {
        let lower_case =
            LOWER_CASE_PLACES.contains(w.text) && ends_a_place(&text[w.end..]) || kind_of(w);
        // A street word no one is named ("Milton Rd", not "Dennis Green").
        let street = street_word(w.text) && (!w.is_surname && !w.is_forename || then_a_place(w));
        ((PLACES.contains(w.text) || street) && w.capital || lower_case)
            && text[words[last].end..w.start] == *" "
    })
}

/// True when the name at words `first..=last` (after a title when
/// `titled`) names a place, a rule named after someone or an organisation.
pub(super) fn names_a_place(
    text: &str,
    words: &[Word],
    first: usize,
    last: usize,
    titled: bool,
) -> bool {
    let next = words.get(last + 1);
    let place_next = place_next(text, words, last);
    // "Fraser guidelines", "Wells score", "the Green Book": a rule, a test or
    // a publication named after someone or something.
    let eponym = !titled
        && (next.is_some_and(|w| {
            clinical::EPONYM_HEADS.contains(w.text) && text[words[last].end..w.start] == *" "
        }) || (last > first && clinical::EPONYM_HEADS.contains(words[last].text)));
    // "Ysgol Bryn Celyn", "Scoil Mhuire": a place's name after the word
    // that says what it is (Welsh, Irish and Gaelic put it first); one
    // word, within two of it ("Ysbyty Glan Clwyd Dafydd Williams" names a
    // patient after the place).
    // "Tŷ Dewi Sant, Room 3": the lead read as the name's first word ("Tŷ"
    // folds to "ty", a forename).
    let led = last > first && NAMED_PLACE_LEADS.contains(words[first].text);
    // "Ty Mawr and Plas Newydd care homes", "Ty Hafan": a house's Welsh
    // name without the circumflex, by the word that follows "Ty".
    // Not "Ty Gwyn, 24, on methadone" or "Ty Gwyn collects his …": a
    // word that is a name too, or one with an age, is a person's.
    let welsh_house = last == first + 1
        && words[first].folded == "ty"
        && WELSH_HOUSE_WORDS.contains(words[last].folded)
        && !words[last].is_forename
        && !words[last].is_surname
        && !ages::age_or_birth_next(text, words[last].end);
    // "Ward Dewi", "Ward Cadog": a ward named as Welsh hospitals name
    // them, "Ward" and one word (not "Ward" in lower case before a
    // patient's name, nor with an age).
    let after_a_title = first > 0 && TITLES.contains(words[first - 1].text);
    // A saint's or a first name, no family's ("Ward Jones needs his
    // insulin" is someone), in a sentence that says nothing of anyone.
    let ward = !(titled || after_a_title)
        && last == first + 1
        && words[first].text == "Ward"
        && words[last].title_case
        && !words[last].is_surname
        && !said_of_someone(text, words, last);
    let named_place = led
        || ward
        || welsh_house
        || (1..=2).any(|n| {
            first == last
                && first >= n
                && NAMED_PLACE_LEADS.contains(words[first - n].text)
                && (first - n..first)
                    .all(|i| text[words[i].end..words[i + 1].start] == *" " && words[i + 1].capital)
        });
    // "Jones Chemist", "Neath Port Talbot Hospital", "Ash Tree Surgery's": a
    // name that ends in what an organisation is names the organisation;
    // one that opens with a first name must be said to be a place ("at
    // Queen Elizabeth Hospital") or be one's ("Surgery's"): "Joan Harris
    // Surgery went well" and "Mrs Patel Hospital admission" are patients'.
    let head = &words[last];
    let head_word = possessive_base(head.text);
    let business = BUSINESSES.contains(head_word.unwrap_or(head.text));
    let organisation = last > first
        && !titled
        && head.capital
        && (ORGANISATION_HEADS.contains(head_word.unwrap_or(head.text)) || business)
        && (!words[first].forename()
            || head_word.is_some()
            || place_said(text, words, first)
            || business && last == first + 1
            // "Barry Hospital": a town's (not "Olumide Green Hospital appt").
            || words[first].is_place
                && last == first + 1
                && !first.checked_sub(1).is_some_and(|p| words[p].capital)
            || street_s_name_before(text, words, first));
    // "Moss Chemist Bramley": a business's word inside the name, and only a
    // town after it (not "Moss Chemist Joan Whitaker").
    let inner_business = !titled
        && last >= first + 2
        && words[last - 1].capital
        && BUSINESSES.contains(words[last - 1].text)
        && words[last].is_place
        && !ages::age_or_birth_next(text, words[last].end);
    place_next
        || !titled && listed_with_its_like(text, words, first, last)
        || eponym
        || named_place
        || organisation
        || inner_business
        || !titled && place_like(words, first, last) && listed_before_places(text, words, last)
        || a_known_place(text, words, first, last)
}

/// True when the name opens with a street word that a capitalised word
/// right before, no one's first name, makes a street's name: "Church Lane
/// Surgery", "Mill Way Practice" (where "Lane Surgery" alone may be Lane's
/// operation).
fn street_s_name_before(text: &str, words: &[Word], first: usize) -> bool {
    first > 0
        && street_word(words[first].folded)
        && words[first - 1].capital
        && !TITLES.contains(words[first - 1].text)
        // "Olumide Green Hospital appt" is Olumide's ("Brook" is a word too).
        && (!words[first - 1].is_forename || words[first - 1].is_common)
        && text[words[first - 1].end..words[first].start] == *" "
}

/// True when the name at `first..=last` is listed next to a name that
/// ends in the same word and opens with no first name: "Mulberry Ward and
/// Rowan Ward", "Nightingale Ward, Lister Ward", "Beech Lodge & Fern
/// Lodge" are a hospital's wards and a group's homes ("Edna Ward and Bob
/// Ward" are people).
fn listed_with_its_like(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let head = &words[last];
    let titled = first > 0 && TITLES.contains(words[first - 1].text);
    let a_place_s_word = PLACES.contains(head.folded) || HOMES_ENDS.contains(head.folded);
    // An ordinary word and no one's ("Mulberry", "Beech", "Holly"; not
    // "Baby", "Jonno", "Sarah").
    let ordinary = |w: &Word| {
        w.capital && (w.common_word || w.is_english) && !super::PERSON_NOUNS.contains(w.folded)
    };
    if last != first + 1
        || !head.capital
        || titled
        || !a_place_s_word
        || !ordinary(&words[first])
        || said_of_someone(text, words, last)
    {
        return false;
    }
    let gap = |a: usize, b: usize| &text[words[a].end..words[b].start];
    let joins = |a: usize, b: usize| matches!(gap(a, b), ", " | " & " | "/" | " / " | "; ");
    // The list's item whose last word is `end`: two words, the first an
    // ordinary one, one space apart.
    let its_like = |end: usize| {
        end.checked_sub(1).is_some_and(|i| {
            words[end].folded == head.folded
                && words[end].capital
                && ordinary(&words[i])
                && gap(i, end) == " "
        })
    };
    let and = |i: usize| words[i].folded == "and" || words[i].text == "&";
    let after = |n: usize| {
        let i = last + n;
        i + 1 < words.len()
            && (n == 1 && joins(last, i) || n == 2 && and(last + 1))
            && its_like(i + 1)
    };
    let before = |n: usize| {
        first > n
            && (n == 1 && joins(first - 1, first) || n == 2 && and(first - 1))
            && its_like(first - n)
    };
    after(1) || after(2) || before(1) || before(2)
}

/// True when every word of the name at `first..=last` is a place of the
/// gazetteer or no name ("Beeston, Morley", "Ballymena, Larne"), or it
/// ends in a place's word ("Holly Bank", "Grace Lodge"): not "Joan
/// Whitaker".
fn place_like(words: &[Word], first: usize, last: usize) -> bool {
    // A word the lexicon knows as no name stands for a place the
    // gazetteer lacks ("Ballymena").
    words[first..=last]
        .iter()
        .all(|w| w.is_place || !w.is_forename && !w.is_surname)
        || PLACES.contains(words[last].text)
        || street_word(words[last].text)
        || HOMES_ENDS.contains(words[last].text)
}

/// Words homes' and sites' names end with that no street or building
/// word covers: "Holly Bank", "Moor View", "Elm Grange".
#[rustfmt::skip]
static HOMES_ENDS: Vocabulary = Vocabulary::new(&[
    "bank", "view", "grange", "manor", "mews", "hill", "rise", "meadows", "grove", "green",
    "heights", "fold", "croft", "lea", "dene", "fields", "villa", "villas", "towers",
]);

/// Words between a list of places and what they are: "community
/// pharmacies", "care homes".
static PLACE_KINDS: Vocabulary = Vocabulary::new(&[
    "community",
    "care",
    "nursing",
    "residential",
    "gp",
    "local",
    "partner",
]);

/// True when the name ending at word `last` is in a list that ends in
/// what its items are ("Beeston, Morley, Heath and Ashby branches",
/// "Ballymena, Larne and Carrickfergus community pharmacies", "Holly Bank,
/// Rose Court and Grace Lodge care homes"): capitalised words, commas and
/// "and", then [`A_PLACE_S`] (in the plural, or after one of
/// [`PLACE_KINDS`]). At most twelve words on; never with an age.
fn listed_before_places(text: &str, words: &[Word], last: usize) -> bool {
    if ages::age_or_birth_next(text, words[last].end) {
        return false;
    }
    let mut i = last;
    for _ in 0..12 {
        let Some(next) = words.get(i + 1) else {
            return false;
        };
        let gap = &text[words[i].end..next.start];
        if !matches!(gap, " " | ", " | " & " | "/" | " / ") {
            return false;
        }
        if next.capital || next.folded == "and" {
            i += 1;
            continue;
        }
        let kind = PLACE_KINDS.contains(next.folded)
            && words
                .get(i + 2)
                .is_some_and(|p| A_PLACE_S.contains(p.folded) && text[next.end..p.start] == *" ");
        let plural = A_PLACE_S.contains(next.folded) && next.folded.ends_with('s') && gap == " ";
        return kind || plural;
    }
    false
}

/// True when the name at words `first..=last` is a UK place the gazetteer
/// knows (`lexicon/places.txt`), where the words around it leave no room
/// for a person: after a compass word ("West Sussex", "SE London"), an
/// institution ("Trinity Hospice Clapham", "church hall Bradford") or a
/// royal name ("Queen Elizabeth Birmingham", "Royal Preston": hospitals);
/// or a place of several words after "in", "at", "across" … or before
/// what a place has ("Milton Keynes pharmacies"). Never with an age or a
/// date of birth next to it.
fn a_known_place(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    if last == first || ages::age_or_birth_next(text, words[last].end) {
        return false;
    }
    // "The Stanley branch": "The" read as the name's first word.
    if words[first].folded == "the" {
        return words[last].is_place && placed(text, words, first + 1, last)
            || a_known_place(text, words, first + 1, last);
    }
    // A compass word written out opens no one's name: "West Kilbride",
    // "South West Acute" are places whether or not the gazetteer has them
    // ("SE Jones" may be initials).
    // Not before a first name, nor with a comma ("West, Sarah" lists a
    // surname first; "North West Sarah Hughes" is someone).
    let lead = words[first].folded;
    let written_out = lead.len() > 2
        && words[first].title_case
        && (first..last).all(|i| text[words[i].end..words[i + 1].start] == *" ")
        && !words[first + 1..=last].iter().any(|w| w.is_forename);
    if COMPASS.contains(lead)
        && (written_out || place_from(text, words, first + 1, last) || words[last].is_place)
    {
        return true;
    }
    let institution = |w: &Word| PLACES.contains(w.folded) || w.folded == "hospice";
    let royal = ROYALS.contains(lead) && (last >= first + 2 || lead == "royal");
    if words[last].is_place && (royal || words[first..last].iter().any(institution)) {
        return true;
    }
    (placed(text, words, first, last) || listed_with_a_place(text, words, first, last))
        && place_from(text, words, first, last)
}

/// True when the words `from..=last`, one space apart, are a place of the
/// gazetteer.
fn place_from(text: &str, words: &[Word], from: usize, last: usize) -> bool {
    if from == last {
        return words[last].is_place;
    }
    let spaced = (from..last).all(|i| text[words[i].end..words[i + 1].start] == *" ");
    let joined = words[from..=last]
        .iter()
        .map(|w| w.folded)
        .collect::<Vec<_>>()
        .join(" ");
    spaced && is_place_phrase(&joined)
}

/// True when the first name alone at word `k` is a place of the gazetteer
/// standing as a place: "Barry, Newport and Bridgend", "Glasgow and Clyde",
/// "across Angus", "Angus primaries". A patient can be named so too
/// ("Shirley and Leslie at Rose Court"), so such a name is still a first
/// name for every rule that blocks (see [`super::Reference::AtWork`]).
pub(super) fn a_place_alone(text: &str, words: &[Word], k: usize) -> bool {
    // The place may go on past the name ("Tesco Talbot Green 10-4") or
    // start before it ("Newcastle Emlyn").
    // The words around are read first: they rarely say a place comes, and
    // a place of several words is looked up by joining them.
    let stands = |first: usize, last: usize| {
        let chain = first >= 1 && CHAINS.contains(words[first - 1].folded);
        (chain || placed(text, words, first, last) || listed_with_a_place(text, words, first, last))
            && place_from(text, words, first, last)
            && !ages::age_or_birth_next(text, words[last].end)
    };
    (k..(k + 3).min(words.len())).any(|last| stands(k, last))
        || (k.saturating_sub(2)..k).any(|first| stands(first, k))
}

/// Words that open a region's name: "West Sussex", "SE London", "Mid Ulster".
#[rustfmt::skip]
static COMPASS: Vocabulary = Vocabulary::new(&[
    "north", "south", "east", "west", "ne", "nw", "se", "sw", "mid", "central", "greater",
    "inner", "outer", "upper", "lower",
]);

/// Royal names hospitals take before their town: "Queen Elizabeth
/// Birmingham", "Princess Royal Telford", "Royal Preston".
static ROYALS: Vocabulary = Vocabulary::new(&["queen", "king", "prince", "princess", "royal"]);

/// Words that say a place comes next: "in Barry", "across Angus".
#[rustfmt::skip]
static BEFORE_A_PLACE: Vocabulary = Vocabulary::new(&[
    "in", "at", "across", "around", "near", "throughout", "covering", "serving", "outside",
    "within", "towards", "via",
]);

/// What a place has, after its name: "Angus primaries", "Kingston area".
#[rustfmt::skip]
static A_PLACE_S: Vocabulary = Vocabulary::new(&[
    "pharmacies", "practices", "surgeries", "primaries", "schools", "branches", "branch",
    "pharmacy", "surgery", "practice", "dispensary",
    "area", "areas", "locality", "cluster", "hscp", "pcn", "homes", "district", "council",
    "town", "city", "county", "borough", "region", "locality's", "patch",
]);

/// True for what a place has after its name ([`A_PLACE_S`]): "City",
/// "area", "pharmacies".
pub(super) fn a_place_s(word: &str) -> bool {
    A_PLACE_S.contains(word)
}

/// True when the name at `first..=last` stands where only a place goes:
/// after [`BEFORE_A_PLACE`] or before [`A_PLACE_S`].
fn placed(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let spaced = |a: &Word, b: &Word| text[a.end..b.start] == *" ";
    let before = first.checked_sub(1).map(|i| &words[i]);
    let after = words.get(last + 1);
    before.is_some_and(|b| BEFORE_A_PLACE.contains(b.text) && spaced(b, &words[first]))
        || after.is_some_and(|a| A_PLACE_S.contains(a.text) && spaced(&words[last], a))
}

/// True when the name at `first..=last` is listed with another place
/// ("Barry, Newport and Bridgend", "Glasgow and Clyde", "Holmes Chapel and
/// Sandbach"): a place of the gazetteer no one has as a first name, a
/// saint's ("St George's"), or a capitalised word that is neither a name
/// nor a medicine ("Shirley, Espranor 8mg; Leslie" lists patients, and
/// "Frank Hill, Rose Green and Dennis" people named like villages).
fn listed_with_a_place(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    let a_place = |i: usize| {
        let w = &words[i];
        let saint = i > 0 && one_of(words[i - 1].folded, &["st", "saint"]);
        let no_name = !w.is_forename && !w.is_surname && !clinical::is_clinical_word(w.text);
        w.capital && (w.is_place && !w.is_forename || saint || no_name)
    };
    // The list's item next to the name, past ", ", " & ", "/" or "and".
    let gap = |a: usize, b: usize| &text[words[a].end..words[b].start];
    let separated = |a: usize, b: usize| matches!(gap(a, b), ", " | " & " | "/" | " / ");
    let and_between = |a: usize, m: usize, b: usize| {
        words[m].folded == "and" && gap(a, m) == " " && gap(m, b) == " "
    };
    // The item after word `i` in the list.
    let next_item = |i: usize| {
        if i + 1 < words.len() && separated(i, i + 1) {
            Some(i + 1)
        } else {
            (i + 2 < words.len() && and_between(i, i + 1, i + 2)).then_some(i + 2)
        }
    };
    // "Hamilton, Livingston and Kirkcaldy": a place that is a forename
    // too, listed before one that is no name.
    let a_listed_place = |i: usize| {
        a_place(i) || words[i].is_place && words[i].capital && next_item(i).is_some_and(a_place)
    };
    let (k, l) = (first, last);
    let listed_before = k >= 1 && separated(k - 1, k) && a_place(k - 1)
        || k >= 2 && and_between(k - 2, k - 1, k) && a_place(k - 2);
    let listed_after = next_item(l).is_some_and(a_listed_place);
    listed_before || listed_after
}

/// True when the capitalised words that end at word `first` follow a
/// word that says a place comes ("at Neath Port Talbot …", "the Queen …",
/// "(Jones …").
fn place_said(text: &str, words: &[Word], first: usize) -> bool {
    let mut i = first;
    for _ in 0..3 {
        if text[..words[i].start].ends_with('(') {
            return true;
        }
        let Some(p) = i.checked_sub(1) else {
            return false;
        };
        if one_of(words[p].folded, &["at", "from", "to", "the", "of", "in"]) {
            return true;
        }
        if !words[p].capital || text[words[p].end..words[i].start] != *" " {
            return false;
        }
        i = p;
    }
    false
}

/// The last word of an organisation's name, and of no one's ("Jones
/// Chemist", "Talbot Hospital"); "Hall", "Lane", "Ward" and "Way" are
/// surnames as well as places, so are not here. With [`BUSINESSES`].
#[rustfmt::skip]
static ORGANISATION_HEADS: Vocabulary = Vocabulary::new(&[
    "academy", "center", "centre", "clinic", "college", "hospital", "hotel", "infirmary",
    "institute", "practice", "school", "surgery",
    // A hospital's parts, and a nursery: "Jubilee Wing", "Harris
    // Outpatients", "Rainbow Nursery".
    "wing", "outpatients", "nursery", "pavilion", "annexe", "campus",
]);

/// The last word of a business's or an NHS body's name, which nothing that
/// happens to a person is called: after one word, even a first name, it
/// names the business ("Castle Pharmacy"; "Edna Surgery" may be Edna's).
#[rustfmt::skip]
static BUSINESSES: Vocabulary = Vocabulary::new(&[
    "ccg", "chemist", "chemists", "dispensary", "healthcare", "icb", "ltd", "pcn", "pharma",
    "pharmaceuticals", "pharmacy", "plc", "uhb",
]);

/// Words that open a place's name in Welsh, Irish and Scots Gaelic, where
/// what the place is comes first: a school, a hospital, a centre, a
/// surgery, a pharmacy (not a home, whose residents are patients), and a
/// building read as the name's own first word ("Tŷ Dewi Sant").
#[rustfmt::skip]
pub(super) static NAMED_PLACE_LEADS: Vocabulary = Vocabulary::new(&[
    "ysgol", "ysbyty", "canolfan", "meddygfa", "fferyllfa", "scoil", "sgoil", "ospideal",
    // A valley ("Cwm Rhondda").
    "cwm",
    // "Tŷ" (a house, an office) with its circumflex: "Ty" alone is a forename.
    "tŷ",
]);

/// Welsh words a house's or a home's name goes on with after "Ty" (a
/// house): "Ty Mawr" (big), "Ty Hafan" (haven), "Ty Gwyn" (white).
#[rustfmt::skip]
static WELSH_HOUSE_WORDS: Vocabulary = Vocabulary::new(&[
    "mawr", "bach", "newydd", "hafan", "gwyn", "wen", "coch", "goch", "du", "ddu", "glas",
    "las", "isaf", "uchaf", "hen", "gobaith", "derw", "celyn", "onnen", "helyg", "afon", "nant",
    "coed", "glan", "pen", "melin", "eglwys", "capel", "maes", "cae", "fron", "rhos", "tawel",
    "heulog", "hyfryd", "teg", "clyd", "tirion", "enfys", "glyn", "cerrig", "llwyd", "mynydd",
    "ysgol", "canol", "hir", "cornel", "crwn", "cymraeg", "dewi", "elfed",
]);

/// Places' words that follow a name in lower case: a part of a hospital or
/// a building named after someone ("Mary Seacole ward", "the Nye Bevan
/// unit"), or a town's area or homes ("the Bolton area", "Elgin homes").
static LOWER_CASE_PLACES: Vocabulary = Vocabulary::new(&[
    "area", "building", "center", "centre", "homes", "lounge", "suite", "unit", "ward", "wing",
    // A chain's shop in a town: "our Seaton Carew branch".
    "branch", "branches",
]);

/// True for a place's word that follows a name in lower case: "branch",
/// "ward", "area" ([`LOWER_CASE_PLACES`]).
pub(super) fn a_place_in_lower_case(word: &str) -> bool {
    LOWER_CASE_PLACES.contains(word)
}

/// What may follow a place's word in lower case: "Mary Seacole ward is
/// taking …", "Lister ward at the Infirmary", "Elgin homes pls send".
#[rustfmt::skip]
static AFTER_A_PLACE: Vocabulary = Vocabulary::new(&[
    "and", "are", "at", "closed", "closes", "has", "have", "in", "is", "moving", "need", "needs",
    "now", "of", "on", "opens", "please", "pls", "reopens", "taking", "to", "was", "were",
    "will",
]);

/// True when `rest` (what follows a place's word in lower case) ends the
/// place, as punctuation or a notice's verb does; "ward 7", "ward round",
/// "unit referral", "lounge floor" are where a patient is or what they had.
fn ends_a_place(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    match clinical::words(rest).next() {
        None => true,
        Some((0, w)) => AFTER_A_PLACE.contains(w),
        Some((at, _)) => !rest[..at].trim().is_empty(),
    }
}

/// True when the words after the name ending at word `last` (200 bytes of
/// them, past the sentence: "… tonight. She is hypo.") say it is someone's
/// (a pronoun, "pt", "mum": "has run out of his apixaban", "re: your
/// methotrexate"), or an age or a birth follows it.
pub(super) fn said_of_someone(text: &str, words: &[Word], last: usize) -> bool {
    let after = super::super::window_after(text, words[last].end, 200);
    let someone = [
        "he",
        "his",
        "him",
        "she",
        "her",
        "hers",
        "they",
        "their",
        "you",
        "your",
        "pt",
        "patient",
        "mum",
        "dad",
        "son",
        "daughter",
        "wife",
        "husband",
        "nok",
        "he's",
        "she's",
        "he’s",
        "she’s",
        "they're",
        "they’re",
    ];
    clinical::words(after).any(|(_, w)| one_of(w, &someone))
        || ages::age_or_birth_next(text, words[last].end)
}

/// Chains of pharmacies and of shops with a pharmacy whose names are also
/// people's: before a town they are a branch.
#[rustfmt::skip]
pub(super) static CHAINS: Vocabulary = Vocabulary::new(&[
    "boots", "lloyds", "rowlands", "cohens", "jhoots", "weldricks", "whitworths", "morrisons",
    "sainsburys", "sainsbury's", "tesco", "asda", "superdrug", "allcures", "paydens", "numark",
    "avicenna", "bestway",
]);

/// True for a pharmacy chain's name: "Boots", "Cohens", "Paydens".
pub(in crate::screen) fn is_chain(word: &str) -> bool {
    CHAINS.contains(word)
}

/// True for a word that says what an organisation is: a place's word
/// ([`PLACES`]: "House", "Court", "Centre") or a workplace's.
pub(super) fn organisation_word(w: &str) -> bool {
    PLACES.contains(w) || workplace_word(w)
}

/// True for a word that names a workplace: "Pharmacy", "Chemist's",
/// "Hospital", "Surgery", a chain, "Fferyllfa".
pub(super) fn workplace_word(w: &str) -> bool {
    let w = possessive_base(w).unwrap_or(w);
    BUSINESSES.contains(w)
        || ORGANISATION_HEADS.contains(w)
        || NAMED_PLACE_LEADS.contains(w)
        || pharmacy_word(w)
}

pub(super) fn pharmacy_word(w: &str) -> bool {
    let w = possessive_base(w).unwrap_or(w);
    let lower = w.to_ascii_lowercase();
    one_of(
        &lower,
        &["chemist", "chemists", "pharmacy", "fferyllfa", "dispensary"],
    ) || CHAINS.contains(w)
        || lower.ends_with("pharmacy")
}
