//! Ages and birth dates written next to a name: "aged 88", "84 y/o",
//! "91yo", "(b. 1938)", "born 1947", "Mrs Lumley, 86,", "Edna Fairweather,
//! 02/03/1940". Without a name nearby an age is a group ("patients aged 65
//! and over") and no finding.

use super::{dates, ends_word, one_of, opens_a_sentence, starts_word, window_after, window_before};
use crate::screen::lexicon::{Openings, Vocabulary};

/// How far (bytes of folded text) from a name an age or a date counts.
pub(super) const NEAR: usize = 40;

/// An age or a date written next to a name: "aged 88", "84 y/o", "91yo",
/// "(b. 1938)", "born 1947", "Mrs Lumley, 86,", "Edna Fairweather, 02/03/1940".
/// `starts` are where the text's words start (an ASCII letter or digit,
/// as every age and date does).
pub(super) fn age_or_date_near(text: &str, starts: &[usize], start: usize, end: usize) -> bool {
    // After a bracket, an age set off by commas on both sides ("(they/them),
    // 16, at Truro College"; "(ANP), 12" ends a rota's line with a room).
    let bracketed = bracket_after(text, end).filter(|&e| {
        let rest = text[e..].trim_start_matches([',', ' ']);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        text[e..].starts_with(',') && rest[digits..].starts_with(',')
    });
    let set_off = [where_from(text, end), bracketed];
    if age_right_after(text, end)
        || age_in_bracket(text, end)
        || set_off
            .into_iter()
            .flatten()
            .any(|e| age_right_after(text, e))
    {
        return true;
    }
    // An age around the name, or a full date after it: "Mrs Li (李美玲) 08-09-46".
    let from = start - window_before(text, start, NEAR / 2).len();
    let to = end + window_after(text, end, NEAR).len();
    let near = &starts[starts.partition_point(|&i| i < from)..starts.partition_point(|&i| i < to)];
    near.iter().any(|&i| {
        age_at(text, i)
            || (i >= end && dates::date_at(text, i).is_some() && !in_a_chat_stamp(text, i))
    })
}

/// True for a chat message's stamp as WhatsApp copies it: "16:20,
/// 04/12/2026", "02/12/2026, 14:02", "4:05 pm".
pub(super) fn chat_stamp(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.contains(':')
        && s.bytes().all(|b| {
            b.is_ascii_digit()
                || matches!(b, b'/' | b'.' | b',' | b':' | b' ' | b'-')
                || matches!(b.to_ascii_lowercase(), b'a' | b'p' | b'm')
        })
}

/// True when the date at `at` is inside a chat stamp in square brackets
/// ("[16:21, 04/12/2026] Pete Coyle: …"): when a line was sent, not
/// anything of the person after it.
fn in_a_chat_stamp(text: &str, at: usize) -> bool {
    let before = window_before(text, at, 12);
    let after = window_after(text, at, 24);
    let (Some(open), Some(close)) = (before.rfind('['), after.find(']')) else {
        return false;
    };
    chat_stamp(&format!("{}{}", &before[open + 1..], &after[..close]))
}

/// The end of where someone is from, lives or lies, said right after
/// their name and before a comma: "Aoibheann from Ardboe, 16,", "Lee from
/// the flats at Grangetown, 34,", "the lady in bay 3, 88,".
fn where_from(text: &str, end: usize) -> Option<usize> {
    let rest = window_after(text, end, 60).strip_prefix(' ')?;
    let (lead, _) = rest.split_once(' ')?;
    if !one_of(lead, &["from", "in", "at", "of"]) {
        return None;
    }
    let comma = rest.find(',')?;
    let phrase = &rest[..comma];
    let words = phrase.split(' ').count();
    // ("the lady in bay 3 at the Royal Gwent, 88,": a bay's number too.)
    let plain = phrase
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’'));
    (words <= 8 && plain).then_some(end + 1 + comma)
}

/// The end of a short bracket right after a name, on its line: "Mx Robin
/// Tregenza (they/them, prev. Rebecca), 16,", where an age set off may
/// follow.
fn bracket_after(text: &str, end: usize) -> Option<usize> {
    let rest = window_after(text, end, 48);
    let inside = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('('))?;
    let close = inside.find(')')?;
    (!inside[..close].contains('\n')).then(|| end + (rest.len() - inside.len()) + close + 1)
}

/// True when a short bracket right after a name gives an age among what
/// it says of them: "Danielle (blonde, neck tattoo, about 25)", "(approx
/// 40, NFA)", "(30ish)".
pub(super) fn age_in_bracket(text: &str, end: usize) -> bool {
    let Some(close) = bracket_after(text, end) else {
        return false;
    };
    let open = text[end..close].find('(').map_or(end, |o| end + o + 1);
    let inside = &text[open..close - 1];
    // Beside what else is said of them: "Priya (about 60)" in a list of
    // staff is a count.
    if !inside.contains([',', ';']) {
        return false;
    }
    inside.split([',', ';']).any(|part| {
        let words: Vec<&str> = part.split_whitespace().collect();
        let number = match words[..] {
            [n] => n,
            [hedge, n]
                if one_of(
                    hedge,
                    &[
                        "about", "approx", "around", "roughly", "aged", "age", "c.", "abt",
                    ],
                ) =>
            {
                n
            }
            _ => return false,
        };
        let digits = number.trim_end_matches("ish");
        (1..=3).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.parse::<u32>().is_ok_and(|n| (2..=110).contains(&n))
            && (words.len() == 2 || number.ends_with("ish"))
    })
}

/// An age set off right after a name or a person word: "Mrs Lumley, 86,",
/// "man (98)".
pub(super) fn age_right_after(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    let at = end
        + b[end..]
            .iter()
            .take_while(|&&c| matches!(c, b' ' | b',' | b'(' | b'-'))
            .count();
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    // "Leo, 18 months,", "Ava (3 wks)": a child's age in its unit, set off
    // as an age is (after a comma, "18 months" is no span of time; "(2 and
    // a half)" is as often a rota's days as a child's age).
    let unit = APPOSITE_UNITS
        .iter()
        .find(|u| {
            b.get(at + digits..at + digits + u.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(u.as_bytes()))
        })
        .map_or(0, |u| u.len());
    let after = at + digits + unit;
    // "Bethan Morgan-Jones, 19⏎": a comma before it, then the line's end.
    let line_ends = b[end..at].contains(&b',') && matches!(b.get(after), None | Some(b'\n'));
    // "Florence Nightingale , 91 ,": spaces before the closing comma too.
    let close = after + b[after..].iter().take_while(|&&c| c == b' ').count();
    // "B1 Dorothy Page 89 - fall ?#NOF": a list's entry, its age then a
    // dash (not a shift, "Sian Rees 9 - 5", nor a range, "10-12").
    let dashed = unit == 0
        && b[end..at] == *b" "
        && text[at..at + digits]
            .parse::<u32>()
            .is_ok_and(|n| (13..=110).contains(&n))
        && [" - ", " – ", " — "]
            .iter()
            .any(|d| text[after..].starts_with(d))
        && {
            // Then the condition, on the entry's line ("Kirsty Boyle 18 -
            // Usman Ali 22 - thanks both" counts returns).
            let entry = text[after..].split('\n').next().unwrap_or("");
            super::clinical::words(entry).any(|(_, w)| super::clinical::is_clinical_word(w))
        };
    at > end
        && (1..=3).contains(&digits)
        && (matches!(b.get(close), Some(b',' | b')')) || line_ends || dashed)
}

/// Units of an age set off after a name ("Leo, 18 months,"), longest
/// first; the space before each is part of it.
const APPOSITE_UNITS: [&str; 10] = [
    " months", " month", " weeks", " mths", " wks", " years", " yrs", " days", "m", "y",
];

/// An age or a birth year as the next words after `end`: "Hope Baker
/// born 1950", "Will Cook aged 82", "Grace Hill, 91,", "Hope Baker (1950)".
pub(super) fn age_or_birth_next(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', ',', '(']);
    let at = text.len() - rest.len();
    birth_year_in_brackets(text, end)
        || age_right_after(text, end)
        || (at > end && age_at(text, at))
}

/// A year of the last century in brackets right after `end`, as a care
/// home's list gives a resident's birth: "Edna P (1932)", "(1929,
/// declined …)". A year of this century there is more often a citation's
/// ("Cook (2024)") or a count's.
pub(super) fn birth_year_in_brackets(text: &str, end: usize) -> bool {
    text[end..]
        .trim_start_matches(' ')
        .strip_prefix('(')
        .is_some_and(|r| {
            let b = r.as_bytes();
            b.len() >= 5
                && r.starts_with("19")
                && b[..4].iter().all(u8::is_ascii_digit)
                && matches!(b[4], b')' | b',')
        })
}

/// An age with its unit ending right before `at`: "98-year-old man", "84
/// yo lady".
pub(super) fn age_right_before(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(' ');
    let end = before.len();
    (end.saturating_sub(16)..end)
        .filter(|&i| text.is_char_boundary(i) && starts_word(text, i))
        .any(|i| age_with_unit(text, i).is_some_and(|(_, e)| e == end))
}

/// Words after an age that make it a group's: "aged 65 and over", "75+",
/// "2 and 3 year olds".
const GROUP_AFTER: &[&str] = &[
    "and over",
    "and above",
    "and under",
    "or over",
    "or under",
    "or older",
    "or more",
    "plus",
    "to",
    "and older",
    "years and over",
];

/// Words before "aged" that make it a group's: "patients aged 80".
#[rustfmt::skip]
static GROUPS: Vocabulary = Vocabulary::new(&[
    "adults", "anyone", "children", "everyone", "those", "men", "patients", "people", "pupils",
    "residents", "women", "all", "kids", "babies", "between", "over", "under",
]);

/// Ages of one person, wherever they are: "84 yo", "a 9 year old",
/// "97-year-old", "19 y/o", "aged 91", "he's 6", "she'll be 80". Ages of
/// groups ("aged 65 and over", "2 and 3 year olds", "over 75s") are left out.
///
/// Each comes with whether it also stands for the person ("the 84 yo", "a
/// 9 year old": a determiner before an age with its unit).
pub(super) fn individual(text: &str, starts: &[usize]) -> Vec<(usize, usize, bool)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    // Ages do not overlap: none starts inside the last one found.
    let mut from = 0;
    for &i in starts {
        if i < from {
            continue;
        }
        // Every age here opens with a digit, a label or a pronoun: most
        // words are turned away by their first two bytes.
        let rest = &b[i..];
        // An age written in digits has one to three ("2024", "9990268592" are none).
        let short_number = || {
            rest.iter()
                .take(4)
                .take_while(|c| c.is_ascii_digit())
                .count()
                <= 3
        };
        let may_open = if b[i].is_ascii_digit() {
            short_number()
        } else {
            LABEL_OPENINGS.may_open(rest) || SAID_OPENINGS.may_open(rest)
        };
        let found = may_open
            .then(|| {
                age_with_unit(text, i)
                    .or_else(|| age_and_sex(text, i))
                    .or_else(|| labelled_age(text, i))
                    .or_else(|| said_age(text, i))
            })
            .flatten();
        if let Some((start, end)) = found
            && !group_after(text, end)
        {
            // "the 84 yo", "she's 88": the age stands for someone.
            let unit = age_with_unit(text, start).is_some();
            // "14 yr old in Cwmann with T1": opening a sentence, too, and
            // followed by where or who they are or their sex, not a noun
            // ("82 yr old lady": the lady is the person, the age her detail).
            let opens = opens_a_sentence(text, start)
                && (text[end..].starts_with(',')
                    || text[end..]
                        .strip_prefix(' ')
                        .and_then(|r| r.split(' ').next())
                        .map(|w| w.trim_end_matches([',', '.']))
                        .is_some_and(|w| {
                            one_of(w, &["in", "at", "from", "with", "who", "m", "f"])
                                || w == "on" && on_the_round(&text[end..])
                        }));
            let someone = (unit && (determiner_before(text, start) || opens))
                || said_age(text, start).is_some()
                || age_and_sex(text, start).is_some();
            spans.push((start, end, someone));
            from = end;
        }
    }
    spans
}

/// True when `rest` (after an age) is "on the" and no date: someone "on
/// the Armley round" (not a cohort's birthday, "75 yo on 1 Sept", nor a
/// teaching case's medicine, "82yo on apixaban").
fn on_the_round(rest: &str) -> bool {
    let after = rest.trim_start().get(2..).unwrap_or("").trim_start();
    let the = after
        .get(..4)
        .is_some_and(|t| t.eq_ignore_ascii_case("the "));
    the && !after[4..].starts_with(|c: char| c.is_ascii_digit())
        && !after[4..]
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .is_some_and(dates::is_month_word)
}

/// "84 yo", "9 year old", "97-year-old", "19 y/o", "15 yrs old".
fn age_with_unit(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let mut at = i + digits;
    // "the 30-odd year old", "40ish yo": a guess at the age is one.
    let mut hedged = false;
    for hedge in ["-odd ", " odd ", "ish ", "ish-"] {
        if b.len() >= at + hedge.len()
            && b[at..at + hedge.len()].eq_ignore_ascii_case(hedge.as_bytes())
        {
            at += hedge.len() - 1;
            hedged = true;
            break;
        }
    }
    at += b[at..]
        .iter()
        .take(1)
        .take_while(|&&c| matches!(c, b' ' | b'-'))
        .count();
    // Every unit starts with y, m or w.
    if !b
        .get(at)
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'y' | b'm' | b'w'))
    {
        return None;
    }
    let rest =
        |s: &str| b.len() >= at + s.len() && b[at..at + s.len()].eq_ignore_ascii_case(s.as_bytes());
    for unit in [
        "y/o",
        "y.o.",
        "y.o",
        "yo",
        "yr old",
        "yr-old",
        "yrs old",
        "year old",
        "year-old",
        "years old",
        "month old",
        "month-old",
        "months old",
        "week old",
        "week-old",
    ] {
        if rest(unit) && ends_word(text, at + unit.len()) {
            // "year olds" is a group; a guessed age is a thing's before
            // anything but who or where they are ("our 30-odd year old
            // fridge", not "the 30-odd year old with Addison's").
            let end = at + unit.len();
            let group = b.get(end) == Some(&b's');
            return (!group && (!hedged || someone_next(&text[end..]))).then_some((i, end));
        }
    }
    None
}

/// True when `rest`, after an age, goes on with who or where someone is, or
/// ends the clause: "with Addison's", "in Pudsey", "lady", ")".
fn someone_next(rest: &str) -> bool {
    let Some(word) = rest.strip_prefix(' ') else {
        return true;
    };
    let word = word
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    one_of(
        word,
        &[
            "with", "in", "at", "from", "who", "on", "male", "female", "m", "f",
        ],
    ) || crate::screen::lexicon::entry(&word.to_ascii_lowercase()).opens_description
}

/// The clinical shorthand of an age and a sex, which stands for the
/// person: "78F", "82M", "64f". A size in French gauge ("16F catheter",
/// "size 12F") is not an age; one digit ("4M") is more often an amount.
fn age_and_sex(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = i + digits + 1;
    let sex = matches!(b.get(i + digits), Some(b'F' | b'M' | b'f'));
    if !(2..=3).contains(&digits) || !sex || !ends_word(text, end) {
        return None;
    }
    let before = text[..i]
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty());
    let after = text[end..]
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty());
    let size =
        before.is_some_and(|w| GAUGED.contains(w)) || after.is_some_and(|w| GAUGED.contains(w));
    (!size).then_some((i, end))
}

/// Words around "16F" that make it a size: a catheter's or a tube's gauge.
#[rustfmt::skip]
static GAUGED: Vocabulary = Vocabulary::new(&[
    "size", "catheter", "catheters", "cath", "foley", "tube", "ng", "suction", "gauge", "fr",
    "ch", "temp", "temperature",
]);

/// What comes before an age given as such.
const LABELS: [&str; 2] = ["aged", "age"];

/// Most words open otherwise than [`LABELS`].
const LABEL_OPENINGS: Openings = Openings::of(&LABELS);

/// "aged 91", "age 6": unless a group word comes just before.
fn labelled_age(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let label = LABELS.into_iter().find(|l| {
        b.len() >= i + l.len()
            && b[i..i + l.len()].eq_ignore_ascii_case(l.as_bytes())
            && ends_word(text, i + l.len())
    })?;
    let at = i + label.len();
    let at = at
        + b[at..]
            .iter()
            .take_while(|&&c| matches!(c, b' ' | b':'))
            .count();
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) || !ends_word(text, at + digits) {
        return None;
    }
    let before = text[..i]
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty());
    if before.is_some_and(|w| GROUPS.contains(w)) {
        return None;
    }
    Some((i, at + digits))
}

/// What comes before an age said of someone.
const SAID: [&str; 8] = [
    "he's ",
    "she's ",
    "he is ",
    "she is ",
    "he'll be ",
    "she'll be ",
    "he’s ",
    "she’s ",
];

/// Most words open otherwise than [`SAID`], and are turned away unread.
const SAID_OPENINGS: Openings = Openings::of(&SAID);

/// "he's 6", "she is 91", "she'll be 80": an age said of someone.
fn said_age(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    if !SAID_OPENINGS.may_open(&b[i..]) {
        return None;
    }
    let lead = SAID
        .into_iter()
        .find(|l| b.len() >= i + l.len() && b[i..i + l.len()].eq_ignore_ascii_case(l.as_bytes()))?;
    let at = i + lead.len();
    let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = at + digits;
    // "she's 4 with the cystic fibrosis", not "she's 10 minutes away".
    let next = text[end..]
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let amount = TIME_AND_MEASURE.contains(next)
        || text[end..].starts_with(['%', ':', '/'])
        || (text[end..].starts_with('.') && is_digit(b.get(end + 1)));
    let stands = !amount && ends_word(text, end);
    ((1..=3).contains(&digits) && stands).then_some((i, end))
}

fn determiner_before(text: &str, start: usize) -> bool {
    one_before(
        text,
        start,
        &["the", "a", "an", "this", "that", "our", "my", "her", "his"],
    )
}

/// True when "a" or "an" is the word before `start`: "can a 14yo buy …" is
/// anyone of that age, not someone in particular.
pub(super) fn indefinite_before(text: &str, start: usize) -> bool {
    one_before(text, start, &["a", "an"])
}

/// True when the word before `start` is one of `words` (lower case).
fn one_before(text: &str, start: usize, words: &[&str]) -> bool {
    let before = text[..start].trim_end_matches([' ', '-']);
    words.iter().any(|d| {
        before.len() >= d.len()
            && before.as_bytes()[before.len() - d.len()..].eq_ignore_ascii_case(d.as_bytes())
            && starts_word(before, before.len() - d.len())
    })
}

/// Words after a number that make it an amount, not an age.
#[rustfmt::skip]
static TIME_AND_MEASURE: Vocabulary = Vocabulary::new(&[
    "minutes", "minute", "mins", "min", "hours", "hour", "hrs", "days", "day", "weeks", "week",
    "miles", "mile", "mg", "ml", "am", "pm", "of", "out", "x", "times", "percent", "quid",
    "pounds",
]);

fn is_digit(b: Option<&u8>) -> bool {
    b.is_some_and(u8::is_ascii_digit)
}

fn group_after(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', ',']);
    // "aged 2 or 3", "aged 5-11", "2 to 4 year olds"
    let range = ["or ", "and ", "to ", "-"].iter().any(|r| {
        rest.as_bytes()
            .get(..r.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(r.as_bytes()))
            && rest[r.len()..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
    });
    range
        || rest.starts_with('+')
        || GROUP_AFTER.iter().any(|g| {
            rest.as_bytes()
                .get(..g.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(g.as_bytes()))
                && ends_word(rest, g.len())
        })
}

/// An age or a birth year at `i`.
pub(super) fn age_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let is = |word: &[u8]| {
        b.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let number_after = |label: usize, max: usize| {
        let at = i + label;
        let at = at
            + b[at.min(b.len())..]
                .iter()
                .take_while(|&&c| matches!(c, b' ' | b':' | b'.'))
                .count();
        let digits = b
            .get(at..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        (1..=max).contains(&digits) && ends_word(text, at + digits)
    };
    if is(b"aged") && ends_word(text, i + 4) {
        return number_after(4, 3);
    }
    if is(b"age") && ends_word(text, i + 3) {
        return number_after(3, 3);
    }
    if is(b"born") && ends_word(text, i + 4) {
        return number_after(4, 4) && !dates::historical_year_after(text, i + 4);
    }
    if is(b"b.") {
        return number_after(2, 4) && !dates::historical_year_after(text, i + 2);
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) {
        return false;
    }
    let at = i + digits;
    let at = at
        + b[at..]
            .iter()
            .take(1)
            .take_while(|&&c| matches!(c, b' ' | b'-'))
            .count();
    let rest = &b[at..];
    // "years" alone is a span of time ("after 32 years"), not an age.
    age_with_unit(text, i).is_some()
        // Years in Romanian, Polish, French, Spanish, Portuguese, German,
        // set off as a name's age is: "Elena Popescu, 77 ani, din …" (not
        // a group's: "de 2 și 3 ani", "maiores de 65 anos").
        || ["ani", "lat", "ans", "anos", "años", "jahre"].iter().any(|unit| {
            rest.get(..unit.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(unit.as_bytes()))
                && at > i + digits
                && text[..i].trim_end_matches(' ').ends_with([',', '('])
                && text[at + unit.len()..].starts_with([',', ')'])
        })
        || ["y/o", "y.o", "yo", "yrs", "yr", "y"].iter().any(|unit| {
            rest.get(..unit.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(unit.as_bytes()))
                && ends_word(text, at + unit.len())
                && !(unit.starts_with("yr") && span_of_time(text, i, at + unit.len()))
        })
}

/// True when "N yrs" at `start..end` is a span of time, not an age: "for
/// 20 yrs at Manor Park", "38 yrs nursing", "2 yrs ago".
fn span_of_time(text: &str, start: usize, end: usize) -> bool {
    let next = text[end..]
        .strip_prefix(' ')
        .and_then(|r| r.split(|c: char| !c.is_alphanumeric()).next())
        .unwrap_or("");
    one_before(text, start, &["for", "after"]) || SPAN_AFTER.contains(next)
}

/// Words right after "N yrs" that make it a span of time or of service.
#[rustfmt::skip]
static SPAN_AFTER: Vocabulary = Vocabulary::new(&[
    "ago", "nursing", "service", "served", "qualified", "experience", "working", "as", "since",
]);
