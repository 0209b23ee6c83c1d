//! Full names: a title and a surname, a forename and a surname in any
//! case and form, a labelled surname, and a record's surname first.

use super::super::clinical::is_clinical_word;
use super::super::lexicon::is_particle;
use super::super::whereabouts::street_word;
use super::super::{ages, dates};
use super::{
    PLACES, ROLES, Reference, TITLES, WEEKDAYS, Word, adjacent, before_a_colleague, institutions,
    one_of, places, products,
};

/// A full name starting at word `k`; returns the index of its last word.
/// Forenames that are also months, which the lexicon drops as names.
pub(super) const MONTH_FORENAMES: [&str; 5] = ["jan", "june", "april", "august", "may"];

pub(super) fn named(text: &str, words: &[Word], k: usize) -> Option<(Reference, usize)> {
    let w = &words[k];
    // "陳美玲", "Олена Коваленко", "محمد اقبال": a name in another script.
    if let Some(last) = super::scripts::name_at(text, words, k) {
        return Some((Reference::Named, last));
    }
    // "surname Bhattacharya", "Forename: JAN", "first name - Ade": a name
    // after its label is a name, known to the lexicon or not.
    let labelled = k > 0 && {
        let label = &words[k - 1];
        let gap = &text[label.end..w.start];
        let named_label = one_of(label.folded, &["surname", "forename", "forenames"])
            || (label.folded == "name"
                && k > 1
                && one_of(words[k - 2].folded, &["first", "last", "given", "family"]));
        let gap_ok = gap.len() <= 4 && gap.chars().all(|c| matches!(c, ' ' | ':' | '-'));
        named_label && gap_ok
    };
    // The label vouches for the word's place, the lexicon for its being a
    // name ("forename Missing on three scripts" names no one).
    if labelled && (w.forename() || w.surname()) && !w.very_common {
        return Some((
            Reference::Named,
            name_words(text, words, k, false).unwrap_or(k),
        ));
    }
    // "'Big Mick' McAllister", "\"Tam\" Hollis": a nickname in quotes
    // before a surname.
    if let Some(last) = quoted_nickname(text, words, k) {
        return Some((Reference::Named, last));
    }
    // "known as 'Scouse Steve'", "goes by \"Tam\"": a nickname said to be
    // someone's singles them out as a name does.
    if let Some(last) = nickname_said(text, words, k) {
        return Some((Reference::Named, last));
    }
    // "Mrs O'Neill", "Mr. J. Bowen", "mrs kerr".
    if TITLES.contains(w.text) && w.text != "MS" {
        // "our Mr T. (regular, 60s)": a title and an initial is someone
        // the reader knows ("Mr X" is a textbook's placeholder).
        let initial_only = words.get(k + 1).is_some_and(|n| {
            n.initial() && !one_of(n.text, &["x", "y", "z"]) && adjacent(text, w, n)
        });
        // "Mrs نسرین بی بی", "Mr 王伟": a name in a script without capitals,
        // which no list of names holds, after a title is a name.
        // Not "Mr 先生 / Mrs 女士" on a form, the title itself translated;
        // but "Mr 先生 王伟" names him after it.
        let honorific = |i: usize| HONORIFICS_ABROAD.contains(&words[i].text);
        let caseless = |i: usize| {
            words.get(i).is_some_and(|n| {
                n.text.starts_with(|c: char| {
                    c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()
                }) && adjacent(text, &words[i - 1], n)
            })
        };
        let uncased = (k + 1..words.len())
            .take_while(|&i| caseless(i))
            .last()
            .filter(|&last| (k + 1..=last).any(|i| !honorific(i)));
        return match name_words(text, words, k, true) {
            Some(last) => Some((Reference::Named, last)),
            None if initial_only => Some((Reference::Named, k + 1)),
            None => uncased.map(|last| (Reference::Named, last)),
        };
    }
    // "at Tŷ Elli", "the Royal Victoria", "at Tŷ Gwyn High": after these,
    // names are places.
    let joined = |i: usize| text[words[i].end..words[i + 1].start] == *" ";
    // "passed on:⏎Bethan …" is no place: the word must lead into the name.
    let place_lead =
        |i: usize| one_of(words[i].text, &["at", "in", "near", "on", "the"]) && joined(i);
    if (k > 0 && place_lead(k - 1))
        || (k > 1 && words[k - 1].title_case && joined(k - 1) && place_lead(k - 2))
    {
        return None;
    }

    // "J Smith": an initial and a surname the lexicon knows ("Pritchard H,
    // Owusu K" cites two people; "below 30°C. Handy to know" is a unit
    // ending a sentence, "38.9°C Kowalski in bay 3" no unit's end).
    if w.initial()
        && !(text[..w.start].ends_with(|c: char| c.is_alphanumeric() || c == '°')
            && text[w.end..].starts_with(". "))
        && let Some(next) = words.get(k + 1)
        && adjacent(text, w, next)
        && !text[w.end..next.start].contains(',')
        && (next.capital || next.all_caps)
        && next.surname()
        && !next.very_common
        // "A CHI number won't work": an article before a word in capitals.
        && !(one_of(w.text, &["A", "I"]) && next.all_caps && next.common_word)
    {
        return Some((Reference::Named, k + 1));
    }
    // "Margaret Hollis", "margaret hollis", "Frank Heseltine", "tom fairclough".
    if w.forename() {
        let next = words.get(k + 1);
        let surname_next = next.is_some_and(Word::plainly_a_name);
        // "Will Harrow", "Hope Wainwright": a very common word leads a name
        // only in capitals, before a capitalised surname; before one that is
        // also a word ("Hope Baker"), only with an age or a birth year next
        // ("Hope Baker born 1950", "Will Cook, 82,").
        let lead = if w.very_common {
            w.title_case
                && next.is_some_and(|n| {
                    n.name_case()
                        && (n.plainly_a_name()
                            || (n.surname() && ages::age_or_birth_next(text, n.end)))
                })
        } else {
            w.capital || w.all_caps || !w.common_word || surname_next
        };
        if lead && let Some(last) = name_words(text, words, k, false) {
            return Some((Reference::Named, last));
        }
        // "Sue B.": a capitalised forename and an initial; "Edna P (1932)":
        // the same before a birth year in brackets (not "Sian P (42)", a
        // count of flu jabs).
        let initial_ends =
            |n: &Word| text[n.end..].starts_with('.') || ages::birth_year_in_brackets(text, n.end);
        if lead
            && w.title_case
            && next.is_some_and(|n| n.initial() && initial_ends(n))
            && text[w.end..].starts_with(' ')
        {
            return Some((Reference::Named, k + 1));
        }
    }
    // "jan kowalski", "May Evans": a forename that is also a month (the
    // lexicon drops it as a name) before a surname that is no word.
    if let Some(next) = words.get(k + 1)
        && one_of(w.folded, &MONTH_FORENAMES)
        && next.is_surname
        && !next.common_word
        && text[w.end..next.start] == *" "
        && w.title_case == next.title_case
        && w.all_caps == next.all_caps
    {
        return Some((Reference::Named, k + 1));
    }
    // "Del Fenwick", "Tez Hollis": two capitalised names from the lexicon.
    if let Some(next) = words.get(k + 1)
        && w.title_case
        && next.title_case
        && w.plainly_a_name()
        && next.plainly_a_name()
        && text[w.end..next.start] == *" "
        && !PLACES.contains(next.text)
    {
        return Some((Reference::Named, k + 1));
    }
    // "Južytė Kazlauskienė", "Dovilė Petrauskaitė": a forename the
    // lexicon lacks, written with letters beyond Latin-1 (which English
    // borrows in "café", "señor"), before a surname it knows.
    if let Some(next) = words.get(k + 1)
        && w.title_case
        && w.text.chars().any(|c| c > 'ÿ' && c.is_alphabetic())
        && !(w.is_forename || w.is_surname || w.common_word)
        && w.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && next.name_case()
        && next.is_surname
        && !next.is_common
        && text[w.end..next.start] == *" "
        && !PLACES.contains(next.text)
    {
        return Some((Reference::Named, k + 1));
    }
    // "HOLLIS Margaret", "Pritchard, Glyn", "Kowalska Anna".
    let next = words.get(k + 1)?;
    // "Brackenbury E.": a surname and an initial; "Kowalski M b.1950",
    // "Kowalski M 04/02/1950": one before a birth, as a record lists them
    // (in capitals, "OKAFOR T 12/12/25" is a rota's locum and date).
    // "Pritchard H, Owusu K.": a paper's authors, listed.
    let cited = text[..w.start].strip_suffix(", ").is_some_and(|b| {
        b.ends_with(|c: char| c.is_ascii_uppercase()) && b[..b.len() - 1].ends_with(' ')
    });
    if w.title_case
        && w.plainly_a_name()
        && next.initial()
        && (text[next.end..].starts_with('.') || birth_next(text, next.end))
        && text[w.end..next.start] == *" "
        && !cited
    {
        return Some((Reference::Named, k + 1));
    }
    // "Chowdhury, Rezaul (Mr)": a title in brackets after.
    let after = text[next.end..].trim_start();
    let title_after = after.starts_with('(')
        && TITLES.words().iter().any(|t| {
            after.as_bytes()[1..]
                .get(..t.len())
                .is_some_and(|a| a.eq_ignore_ascii_case(t.as_bytes()))
                && after[1 + t.len()..].starts_with(')')
        });
    if w.capital && next.capital && title_after && adjacent(text, w, next) {
        return Some((Reference::Named, k + 1));
    }
    // "O'SULLIVAN, DECLAN MR": a record's name, in capitals, surname first.
    let capitals_record = w.all_caps
        && next.all_caps
        && w.surname()
        && !w.very_common
        && next.forename()
        && !next.very_common
        && text[w.end..next.start] == *", ";
    if capitals_record {
        return Some((Reference::Named, k + 1));
    }
    // Before a comma, not a greeting ("Thanks, Oluwaseun"), nor the first
    // of a list of first names ("Priya, Tomasz, Eilidh"; "Emrys, Gwen -
    // dementia" is a surname first).
    let comma = text[w.end..next.start].starts_with(',');
    let listed = || {
        let listing = |a: &Word, b: &Word| {
            a.forename() && a.capital && matches!(&text[a.end..b.start], ", " | " and " | " & ")
        };
        w.forename()
            && (words
                .get(k + 2)
                .is_some_and(|third| listing(next, third) && third.forename())
                || k.checked_sub(1).is_some_and(|i| listing(&words[i], w)))
    };
    // "Thank you Sue, Karen and Mo", "thanks Bev, Kath": first names thanked.
    let thanked = || {
        k.checked_sub(1).is_some_and(|i| {
            let b = words[i].folded;
            super::at_work::THANKS.contains(b)
                || b == "you" && i > 0 && super::at_work::THANKS.contains(words[i - 1].folded)
        })
    };
    // "Medicines Management, Ty Glas": the last word of an organisation's
    // name (after a medicine or a place's word) is no surname.
    let organisation_before = || {
        k.checked_sub(1).is_some_and(|i| {
            let b = &words[i];
            b.capital
                && text[b.end..w.start] == *" "
                && (is_clinical_word(b.text) || PLACES.contains(b.text))
        })
    };
    let surname_first = (w.all_caps || w.capital)
        && if comma {
            // "Dzięki, Marta", "Morning, Sian": a word, not a surname
            // ("May, Sophie" is one the lexicon drops as a month).
            // Nor a medicine or a condition ("GPwSI Diabetes, Bradford").
            !before_a_colleague(w.text)
                && (!w.common_word || w.is_surname || one_of(w.folded, &MONTH_FORENAMES))
                // "Pritchard H, Owusu K": an initial; "(PM, Ty Elli)",
                // "STAR-PU, Bryn Hyfryd": capitals that are no surname
                // ("SMITH, John" is one); "17 Dec, Tŷ Coch": a month.
                && !w.initial()
                && (!w.all_caps || w.surname() && !text[..w.start].ends_with('-'))
                && (!dates::is_month_word(w.text) || one_of(w.folded, &MONTH_FORENAMES))
                && !is_clinical_word(w.text)
                && !listed()
                && !thanked()
                && !organisation_before()
                && !institutions::opens_at(text, words, k + 1)
                // "Yasmin, Katya and Lucette all back in": brands listed.
                && !(products::a_named_brand(text, words, k)
                    && products::a_named_brand(text, words, k + 1))
                // "Hamilton, Livingston and Kirkcaldy": places listed.
                && !(w.is_place
                    && next.is_place
                    && [", ", " and ", " & "]
                        .iter()
                        .any(|j| text[next.end..].starts_with(j)))
        } else {
            (w.all_caps && w.surname()) || w.plainly_a_name()
        }
        && !PLACES.contains(w.text)
        // "visiting Weds, Amelia Hart": a day, not a surname.
        && (w.all_caps || !WEEKDAYS.contains(w.text))
        && adjacent(text, w, next)
        && next.title_case
        && next.forename()
        // "Kowalski Maria b.1950": a forename that is also a word ("maria",
        // "john") is one before a birth.
        && (!next.common_word || !next.very_common && birth_next(text, next.end));
    surname_first.then_some((Reference::Named, k + 1))
}

/// True when a birth or an age with its word follows `end`: "b.1950",
/// "(1950)", "aged 82", " 04/02/1950" (not a bare number: "Sian P (42)"
/// is a tally).
fn birth_next(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', ',', '(']);
    let at = text.len() - rest.len();
    ages::birth_year_in_brackets(text, end)
        || at > end && ages::age_at(text, at)
        || rest.starts_with(|c: char| c.is_ascii_digit()) && dates::date_at(text, at).is_some()
}

/// True when `rest`, after a name, is a number alone on the rest of its
/// line: a list's count ("Rose Court, 42\n"), no age.
fn ends_with_a_count(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or(rest);
    let line = line.trim_matches(|c: char| matches!(c, ' ' | ',' | '(' | ')' | '.'));
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

/// The surname part of a name whose first word is `k` (a title or a
/// forename): further forenames, initials and particles, then a surname.
/// After a title any capitalised word will do; after a forename the
/// surname must be capitalised or plainly a name.
fn name_words(text: &str, words: &[Word], k: usize, titled: bool) -> Option<usize> {
    let mut last = None;
    let mut at = k;
    let mut nickname = false;
    for _ in 0..4 {
        let Some(next) = words.get(at + 1) else {
            break;
        };
        let gap = &text[words[at].end..next.start];
        let closing_quote = |c: char| nickname && matches!(c, '\'' | '"' | '’' | '”');
        let spaced = gap == "_"
            || !gap.is_empty()
                && gap.len() <= 4
                && gap
                    .chars()
                    .all(|c| matches!(c, ' ' | '.') || closing_quote(c));
        // "Jimmy 'Scouse' Kelly": a nickname in quotation marks inside a name.
        let quoted = gap.len() <= 4
            && gap.ends_with(OPENING_QUOTES)
            && text[next.end..].starts_with(CLOSING_QUOTES);
        if quoted && at == k {
            nickname = true;
            at += 1;
            continue;
        }
        // "ETA Tues", "Bryn Mon-Fri": a day is no surname; nor a model's
        // number ("McKinley T34").
        let letters = next
            .text
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let model = letters == 1 && next.text[letters..].starts_with(|c: char| c.is_ascii_digit());
        // "3 SABA Rx in 2 months": nor is a medicine's word ("Rx").
        let clinical = !titled && next.text.len() <= 3 && is_clinical_word(next.text) && !next.is_surname
            // "our Seaton Carew branch", "the Bolton area".
            || !next.capital && places::a_place_in_lower_case(next.text);
        if WEEKDAYS.contains(next.text) || model || clinical {
            break;
        }
        // "Mary Ward from the site" is a name; "Florence Nightingale Ward" a place.
        let street = street_word(next.text);
        let place_word = PLACES.contains(next.text) || street;
        let then_lower = words.get(at + 2).is_some_and(|w| !w.capital);
        // "Mrs Edna Ward on 11 meds": a surname that is a place's word,
        // after a title (not before a number alone: "Victoria Ward, 2" in a
        // list of beds free).
        let surname_after_all = next.title_case
            && !street
            && then_lower
            && (at == k && !titled || titled && next.is_surname);
        // "Tom Lane, 84", "Sue Way (1941)": a street word that is a
        // surname, with an age or a birth right after it (a street has none).
        // Not a care home's count in a list ("Victoria Court, 12\n").
        let aged_surname = street
            && at == k
            && next.is_surname
            && next.title_case
            && next.folded != "court"
            && ages::age_or_birth_next(text, next.end)
            && !ends_with_a_count(&text[next.end..]);
        if !spaced || (place_word && !surname_after_all && !aged_surname) {
            break;
        }
        // "Derry City", "Clarke's Chemist Dungiven", "Marie Curie Hospice":
        // an ordinary word that is no name ends a name that opened with a
        // forename (after a title any capitalised word may be the surname).
        // One that is, or comes before, what an organisation is ("Jones
        // Chemist", "James Paget University Hospital") goes on, for the
        // organisation to be read whole.
        let organisation_at = |i: usize| {
            words
                .get(i)
                .is_some_and(|w| places::organisation_word(w.text))
        };
        let organisation = (at + 1..=at + 3).any(organisation_at);
        // Only where the name cannot be a forename and a rare surname
        // ("Doreen Gallows", "Pat Onions"): after the second word, after a
        // place ("Derry City"), or before a role ("Ward Pharmacist").
        let cut = at > k
            || words[k].is_place && places::a_place_s(next.text)
            || ROLES.contains(next.text);
        if !titled && next.is_english && cut && !is_particle(next.folded) && !organisation {
            break;
        }
        // In capitals ("MR ALAN CRABTREE IS ASKING") only names continue one.
        // In capitals after an ordinary word, a two-letter word ("Phoenix
        // PO") is an abbreviation, not a surname ("Mei LI" is one).
        if next.all_caps && next.text.len() < 3 && !words[k].all_caps && words[k].common_word {
            break;
        }
        // "Bethan Morgan-Jones".
        let shaped = next.name_case()
            || (next.capital && !next.all_caps)
            || (next.all_caps && (next.forename() || next.surname()) && !next.very_common);
        // "Valid til 28/02", "Phoenix. Mounjaro": an ordinary word opening a
        // sentence is followed by a small letter, and a full stop after a
        // word (not an initial or a title) ends it.
        let sentence_word = words[k].common_word && words[k].capital && !next.capital;
        let stop = gap.contains('.') && !words[at].initial() && !TITLES.contains(words[at].text);
        if !titled && (sentence_word || stop) {
            break;
        }
        // "mr jhonson", "mrs tkaczyk": after a title, a word no list of
        // any language knows, typed in lower case, is a surname misspelt or
        // rare.
        // (Not "miss tommorows webinar", "ms sharepoint", "master rota",
        // nor "mr nifedipene 30mg": modified release.)
        let unknown = one_of(words[k].text, &["mr", "mrs"])
            && next.text.len() >= 3
            && next.text.chars().all(|c| c.is_lowercase() || c == '\'')
            && !text[next.end..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
            && !(next.is_common || next.is_english || next.abroad || next.is_place)
            && !is_clinical_word(next.text);
        let surname = if titled {
            shaped || next.plainly_a_name() || unknown
        } else {
            (shaped && (words[k].capital || words[k].all_caps || next.plainly_a_name()))
                || next.plainly_a_name()
                // "ailsa mackintosh": a plain forename, then any surname.
                || (words[k].plainly_a_name()
                    && next.surname()
                    && !next.very_common)
        };
        if is_particle(next.folded) && words.get(at + 2).is_some() {
            at += 1;
            continue;
        }
        // "mrs d kowalczyk": in lower case, a letter alone after a title
        // is an initial when a surname follows.
        let initial = next.initial()
            || titled
                && !words[k].capital
                && next.text.len() == 1
                && next.text.bytes().all(|b| b.is_ascii_lowercase())
                && words
                    .get(at + 2)
                    .is_some_and(|n| n.surname() && !n.very_common);
        if !surname && !initial {
            break;
        }
        if !initial {
            last = Some(at + 1);
        }
        at += 1;
    }
    last
}

/// Quotation marks that open and close a nickname or a quoted name,
/// straight or curly.
const OPENING_QUOTES: [char; 4] = ['\'', '"', '‘', '“'];
const CLOSING_QUOTES: [char; 4] = ['\'', '"', '’', '”'];

/// The surname's word when words `k..` are a nickname of one to three
/// capitalised words in quotes and a surname right after: "'Big Mick'
/// McAllister".
fn quoted_nickname(text: &str, words: &[Word], k: usize) -> Option<usize> {
    let opened = text[..words[k].start].ends_with(OPENING_QUOTES);
    if !opened || !words[k].capital {
        return None;
    }
    let end =
        (k..words.len().min(k + 3)).find(|&j| text[words[j].end..].starts_with(CLOSING_QUOTES))?;
    let surname = words.get(end + 1)?;
    let gap = &text[words[end].end..surname.start];
    let closed = gap.len() <= 4 && gap.trim_start_matches(CLOSING_QUOTES) == " ";
    (closed
        && (words[k..=end].iter().all(|w| w.capital))
        && surname.capital
        && surname.surname()
        && !surname.very_common)
        .then_some(end + 1)
}

/// The nickname's last word when words `k..` are one to three capitalised
/// words in quotes after "known as", "goes by" or "called".
fn nickname_said(text: &str, words: &[Word], k: usize) -> Option<usize> {
    let before = text[..words[k].start].strip_suffix(OPENING_QUOTES)?;
    let said = ["known as ", "goes by ", "called "].iter().any(|p| {
        before
            .len()
            .checked_sub(p.len())
            .is_some_and(|at| before.as_bytes()[at..].eq_ignore_ascii_case(p.as_bytes()))
    });
    if !said || !words[k].capital {
        return None;
    }
    // One of its words a name ("known as 'Wegovy' in the US" is a brand).
    let last = (k..words.len().min(k + 3))
        .take_while(|&j| words[j].capital)
        .find(|&j| text[words[j].end..].starts_with(CLOSING_QUOTES))?;
    words[k..=last]
        .iter()
        .any(|w| w.forename() || w.surname())
        .then_some(last)
}

/// "Mr" and "Mrs" in scripts without capitals, as forms and leaflets
/// print them beside the English: Urdu, Arabic, Chinese, Hindi, Bengali.
const HONORIFICS_ABROAD: [&str; 12] = [
    "جناب",
    "محترم",
    "محترمہ",
    "السيد",
    "السيدة",
    "先生",
    "女士",
    "小姐",
    "太太",
    "श्री",
    "श्रीमती",
    "জনাব",
];
