//! Dates of birth: a full date (day, month and year) near a birth word.
//!
//! Bare dates are normal in operational messages ("deliveries resume
//! 04/12/2026"), so a date on its own is not a finding at all; only `DOB`,
//! `D.O.B`, `date of birth` or `born` within the context window makes it one.

use super::lexicon::{Openings, Sketch};
use super::{Context, FOR_DATES, Finding, Kind, Severity, digits_at, ends_word};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Finds dates written `12/03/1985`, `12-03-85`, `12.03.1985`, `1985-03-12`,
/// `12 March 1985`, `12th Mar 85`, `12-Mar-1985`, `March 12, 1985`; blocks
/// each one near a birth word.
/// `starts` are where the text's words start (an ASCII letter or digit).
pub(super) fn scan_dates_of_birth(
    text: &str,
    starts: &[usize],
    context: &Context,
    out: &mut Vec<Finding>,
) {
    births::birthdays_without_year(text, starts, out);
    births::births_without_day(text, context, out);
    let dates = find_dates(text, starts);
    for (n, &(start, end)) in dates.iter().enumerate() {
        // "born 1 Sept 2014 to 31 Aug 2021" is a range: a group's births.
        let joined = |a: (usize, usize), b: (usize, usize)| range_between(&text[a.1..b.0]);
        let in_range = (n > 0 && joined(dates[n - 1], (start, end)))
            || dates
                .get(n + 1)
                .is_some_and(|&next| joined((start, end), next));
        if in_range || open_range_after(&text[end..]) {
            continue;
        }
        // "aged 2-3 on 31 Aug 2025 (born 1 Sept 2021 …", "65+ by 31 March
        // 2027, or aged 2-3 on 31 Aug 2026 (born 1 Sept 2022 …": a birth
        // word after this date belongs to a date that follows it closely.
        let Some((ws, we)) = context.near_span(start, end, FOR_DATES) else {
            continue;
        };
        let the_next_ones = ws >= end
            && dates[n + 1..]
                .iter()
                .any(|&(next, _)| next >= we && next - we <= CLAIM);
        let word = &text[ws..we];
        // "Aneurin Bevan, born 15 Nov 1897": history (a DOB label's
        // "12 Mar 1840" is a typo, and still someone's).
        let history = (word.eq_ignore_ascii_case("born") || word.eq_ignore_ascii_case("b."))
            && before_living_memory(&text[start..end]);
        // "born 1897 in Tredegar, launched the NHS on 5 July 1948": a birth
        // word with its own number right after it is said of that number.
        let its_own_number = we <= start && {
            let rest = text[we..start].trim_start_matches([' ', '.', ':']);
            rest.starts_with(|c: char| c.is_ascii_digit())
        };
        if !the_next_ones && !history && !its_own_number {
            out.push(Finding {
                kind: Kind::DateOfBirth,
                severity: Severity::Block,
                start,
                end,
                reason: format!("date of birth: a date near \"{word}\""),
            });
        }
    }
}

/// Most bytes between a birth word and the date after it that it is said
/// of: "(born 1 Sept", "born on the 3rd".
const CLAIM: usize = 12;

/// A day and a month in digits, and no year: "14/10" (after "born").
fn numeric_day_month(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (day, at) = digits_at(b, i, 2)?;
    if !is_day(day) || !matches!(b.get(at), Some(b'/' | b'.')) {
        return None;
    }
    let (month, end) = digits_at(b, at + 1, 2)?;
    let more = matches!(b.get(end), Some(b'/' | b'.' | b'-'))
        && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    (is_month(month) && !more && ends_word(text, end)).then_some(end)
}

/// A day and a month ending a word: "3rd Jan", "6th of March", "12 June".
fn day_month(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (day, at) = digits_at(b, i, 2)
        .map(|(d, at)| (d, skip_ordinal(b, at)))
        .or_else(|| ordinal_word(text, i))?;
    if !is_day(day) {
        return None;
    }
    let at = skip_date_separator(b, at)?;
    let at = match b.get(at..at + 3) {
        Some(of) if of.eq_ignore_ascii_case(b"of ") => at + 3,
        _ => at,
    };
    let end = month_at(b, at)?;
    ends_word(text, end).then_some(end)
}

/// Every full date in `text`, in order.
fn find_dates(text: &str, starts: &[usize]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut dates = Vec::new();
    // Dates do not overlap: none starts inside the last one found.
    let mut from = 0;
    for &i in starts {
        if i < from {
            continue;
        }
        let end = if b[i].is_ascii_digit() {
            numeric_date(text, i)
                .or_else(|| day_month_year(text, i))
                .or_else(|| joined_date(text, i))
                .or_else(|| compact_date(text, i))
                .or_else(|| compact_short_date(text, i))
        } else if MONTH_OPENINGS.may_open(&b[i..]) || ORDINAL_OPENINGS.may_open(&b[i..]) {
            // A date in words opens with its month or its day's ordinal.
            month_day_year(text, i).or_else(|| day_month_year(text, i))
        } else {
            None
        };
        if let Some(end) = end {
            dates.push((i, end));
            from = end;
        }
    }
    dates
}

/// True when `rest`, after a date, makes it one end of a range: "DOB
/// 02/09/1958 onwards", "born 1 Sept 2022 or later".
fn open_range_after(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ',', ')']).as_bytes();
    [
        "onwards",
        "or later",
        "or after",
        "and after",
        "or earlier",
        "or before",
        "and before",
    ]
    .iter()
    .any(|w| {
        rest.get(..w.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// True when the text between two dates makes them a range: "to", "-",
/// "until", "and" (after "between").
fn range_between(gap: &str) -> bool {
    let gap = gap.trim().to_ascii_lowercase();
    ["to", "-", "until", "till", "and", "through", "or"].contains(&gap.as_str())
}

fn is_day(d: u32) -> bool {
    (1..=31).contains(&d)
}

fn is_month(m: u32) -> bool {
    (1..=12).contains(&m)
}

/// `12/03/1985`, `12-03-85`, `12.03.1985` (day or month first: either
/// reading is enough), or `1985-03-12`. The same separator both times; a
/// space only between a day, a month and a year of four digits, as a
/// form's boxes are typed out (`01 04 1938`).
fn numeric_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (first, a_end) = digits_at(b, i, 4)?;
    let sep = *b.get(a_end)?;
    if !matches!(sep, b'/' | b'-' | b'.' | b' ') {
        return None;
    }
    if sep == b' ' {
        return spaced_date(text, i);
    }
    let (middle, m_end) = digits_at(b, a_end + 1, 2)?;
    if b.get(m_end) != Some(&sep) {
        return None;
    }
    let (last, end) = digits_at(b, m_end + 1, 4)?;
    let (first_len, last_len) = (a_end - i, end - m_end - 1);
    let valid = match first_len {
        4 => last_len <= 2 && is_month(middle) && is_day(last),
        1 | 2 => {
            matches!(last_len, 2 | 4)
                && ((is_day(first) && is_month(middle)) || (is_month(first) && is_day(middle)))
        }
        _ => false,
    };
    // `12.03.1985.2` or `1/2/2024/5` is some other number.
    let continues = b.get(end) == Some(&sep) && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    (valid && !continues && ends_word(text, end)).then_some(end)
}

/// `01 04 1938`: a day, a month and a year one space apart, as a form's
/// boxes are typed out. Rotas and leave are written so too ("on leave 01
/// 04 2026 to 14 04 2026"), so only a year from 1900 to 2020 is read: a
/// birth year, not a working one.
fn spaced_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (day, d_end) = digits_at(b, i, 2)?;
    let (month, m_end) = digits_at(b, (b.get(d_end) == Some(&b' ')).then_some(d_end + 1)?, 2)?;
    let (year, end) = digits_at(b, (b.get(m_end) == Some(&b' ')).then_some(m_end + 1)?, 4)?;
    let valid = m_end - d_end == 3
        && end - m_end == 5
        && is_day(day)
        && is_month(month)
        && (1900..=2020).contains(&year);
    (valid && ends_word(text, end)).then_some(end)
}

/// `12 March 1985`, `12th Mar 85`, `12-Mar-1985`, `1 Sept. 1985`.
/// Eight digits that read as a date, `19520704` or `04071952`, with a year
/// from 1900 to 2099. Only a birth word makes one a finding (a build or
/// report date is written the same way).
pub(super) fn compact_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (_, end) = digits_at(b, i, 8)?;
    if end - i != 8 || !ends_word(text, end) {
        return None;
    }
    let n = |from: usize, len: usize| {
        b[i + from..i + from + len]
            .iter()
            .fold(0, |v, &c| v * 10 + u32::from(c - b'0'))
    };
    let year = |y: u32| BIRTH_YEARS.contains(&y);
    let ymd = year(n(0, 4)) && is_month(n(4, 2)) && is_day(n(6, 2));
    let dmy = is_day(n(0, 2)) && is_month(n(2, 2)) && year(n(4, 4));
    (ymd || dmy).then_some(end)
}

/// A full date at `i` in any of the writings this module knows.
/// Six digits that read as a day, a month and a two-digit year (`020651`):
/// a date only where a birth word says so, which is the only place dates
/// are reported.
fn compact_short_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (_, end) = digits_at(b, i, 6)?;
    if end - i != 6 || !ends_word(text, end) {
        return None;
    }
    let n = |from: usize| u32::from(b[i + from] - b'0') * 10 + u32::from(b[i + from + 1] - b'0');
    (is_day(n(0)) && is_month(n(2))).then_some(end)
}

/// A full date at `i` that can be a living person's (see
/// [`before_living_memory`]): a date written next to a name.
pub(super) fn date_at(text: &str, i: usize) -> Option<usize> {
    numeric_date(text, i)
        .or_else(|| day_month_year(text, i))
        .or_else(|| month_day_year(text, i))
        .or_else(|| joined_date(text, i))
        .or_else(|| compact_date(text, i))
        .filter(|&end| !before_living_memory(&text[i..end]))
}

fn day_month_year(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (day, at) = digits_at(b, i, 2)
        .map(|(d, at)| (d, skip_ordinal(b, at)))
        .or_else(|| ordinal_word(text, i))?;
    if !is_day(day) {
        return None;
    }
    let at = skip_date_separator(b, at)?;
    // "2nd of june 51"
    let at = match b.get(at..at + 3) {
        Some(of) if of.eq_ignore_ascii_case(b"of ") => at + 3,
        _ => at,
    };
    let at = month_at(b, at)?;
    let at = skip_date_separator(b, at)?;
    year_at(text, at)
}

/// `02APR1938`, `2Apr38`, `14Sept1938`: a day, a month's three letters and a year with
/// nothing between, as clinical systems and labels print a date.
fn joined_date(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (day, at) = digits_at(b, i, 2)?;
    // Three letters, or "Sept".
    let month_end = month_at(b, at).filter(|&e| (e == at + 3 || e == at + 4) && is_day(day))?;
    let (_, end) = digits_at(b, month_end, 4)?;
    (matches!(end - month_end, 2 | 4) && ends_word(text, end)).then_some(end)
}

/// `March 12, 1985`, `Mar 12th 1985`, `March 12 85`.
fn month_day_year(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let at = month_at(b, i)?;
    let at = skip_date_separator(b, at)?;
    let (day, at) = digits_at(b, at, 2)?;
    if !is_day(day) {
        return None;
    }
    let at = skip_ordinal(b, at);
    let at = at + usize::from(b.get(at) == Some(&b','));
    let at = skip_date_separator(b, at)?;
    year_at(text, at)
}

/// A 2- or 4-digit year that ends the date.
/// Days written as ordinal words: "fourth July 1960", "twenty-first of …".
const ORDINALS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

/// Most words are no ordinal and no month, and are turned away by these.
const ORDINAL_SKETCH: Sketch = Sketch::of(&ORDINALS);
const MONTH_SKETCH: Sketch = Sketch::of(&MONTHS).with(&[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]);

/// How ordinals and months open: most words open otherwise, and are
/// turned away before they are read.
const ORDINAL_OPENINGS: Openings = Openings::of(&ORDINALS);
const MONTH_OPENINGS: Openings = Openings::of(&MONTHS);

/// An ordinal word at `i`, as a day and its end.
fn ordinal_word(text: &str, i: usize) -> Option<(u32, usize)> {
    let b = text.as_bytes();
    if !ORDINAL_OPENINGS.may_open(&b[i..]) {
        return None;
    }
    let len = b[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic() || **c == b'-')
        .count();
    let word = &text[i..i + len];
    if !ORDINAL_SKETCH.may_hold(word.as_bytes()) {
        return None;
    }
    let day = ORDINALS.iter().position(|o| word.eq_ignore_ascii_case(o))?;
    Some((day as u32 + 1, i + len))
}

fn year_at(text: &str, i: usize) -> Option<usize> {
    // "'56"
    let i = i + usize::from(matches!(text.as_bytes().get(i), Some(b'\'')));
    let (_, end) = digits_at(text.as_bytes(), i, 4)?;
    (matches!(end - i, 2 | 4) && ends_word(text, end)).then_some(end)
}

/// The years someone living was born in: a birth before 1900 is history
/// ("Aneurin Bevan, born 15 Nov 1897"), no patient's (after a DOB label
/// it is a typo, and still someone's).
const BIRTH_YEARS: std::ops::RangeInclusive<u32> = 1900..=2099;

/// True when the full date `date` has a four-digit year before 1900.
fn before_living_memory(date: &str) -> bool {
    // The year opens or ends the date, set off from the rest ("1897-11-15",
    // "15 Nov 1897"); a compact date ("070841") has none so written.
    let b = date.as_bytes();
    let n = b.len();
    let four = |from: usize| b[from..from + 4].iter().all(u8::is_ascii_digit);
    let year = if n > 5 && four(0) && !b[4].is_ascii_digit() {
        Some(0)
    } else if n > 5 && four(n - 4) && !b[n - 5].is_ascii_digit() {
        Some(n - 4)
    } else {
        None
    };
    year.map(|at| {
        b[at..at + 4]
            .iter()
            .fold(0, |v, &c| v * 10 + u32::from(c - b'0'))
    })
    .is_some_and(|y| y < *BIRTH_YEARS.start())
}

/// True when the birth said after `at` ("born 15 Nov 1897", "b. 1850") is
/// a year before anyone living was born: the year itself, or a day and a
/// month's name before it. A year must end its word, not start with 0 and
/// not be a time ("b. 0415 today", "b. 1115 this morning", "1850g").
pub(super) fn historical_year_after(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let rest = text[at..].trim_start_matches([' ', '.', ':']);
    let i = text.len() - rest.len();
    // "b. 1115 this morning", "born 0930 today": a time of day.
    let a_time_after = |e: usize| {
        let next = text[e..].trim_start_matches([' ', ',']);
        let word = next
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        [
            "today",
            "this",
            "hrs",
            "hours",
            "am",
            "pm",
            "yesterday",
            "last",
            "tonight",
            "h",
        ]
        .iter()
        .any(|t| word.eq_ignore_ascii_case(t))
    };
    let year_at = |j: usize| {
        digits_at(b, j, 4)
            .filter(|&(_, e)| e - j == 4 && b[j] != b'0' && ends_word(text, e) && !a_time_after(e))
            .map(|(y, _)| y)
    };
    let year = year_at(i).or_else(|| {
        // "15 Nov 1897", "15th November 1897".
        let (day, e) = digits_at(b, i, 2)?;
        let at = skip_date_separator(b, skip_ordinal(b, e)).filter(|_| is_day(day))?;
        let at = skip_date_separator(b, month_at(b, at)?)?;
        year_at(at)
    });
    year.is_some_and(|y| y < *BIRTH_YEARS.start())
}

/// One hyphen, or one or more spaces.
fn skip_date_separator(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) == Some(&b'-') {
        return Some(i + 1);
    }
    let spaces = b.get(i..)?.iter().take_while(|&&c| c == b' ').count();
    (spaces > 0).then_some(i + spaces)
}

fn skip_ordinal(b: &[u8], i: usize) -> usize {
    let ordinal = b.get(i..i + 2).is_some_and(|s| {
        [b"st", b"nd", b"rd", b"th"]
            .iter()
            .any(|o| s.eq_ignore_ascii_case(*o))
    });
    if ordinal { i + 2 } else { i }
}

/// True for a month's name or its abbreviation, any case: "Jan", "sept".
pub(super) fn is_month_word(word: &str) -> bool {
    month_at(word.as_bytes(), 0) == Some(word.len())
}

/// A month's name or its first three letters (or `Sept`), any case, an
/// abbreviation optionally followed by `.`. Returns the end.
fn month_at(b: &[u8], i: usize) -> Option<usize> {
    if !MONTH_OPENINGS.may_open(b.get(i..)?) {
        return None;
    }
    let len = b
        .get(i..)?
        .iter()
        .take(10)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if !(3..=9).contains(&len) {
        return None;
    }
    let word = &b[i..i + len];
    if !MONTH_SKETCH.may_hold(word) {
        return None;
    }
    let full = MONTHS
        .iter()
        .any(|m| word.eq_ignore_ascii_case(m.as_bytes()));
    let short = len == 3
        && MONTHS
            .iter()
            .any(|m| word.eq_ignore_ascii_case(&m.as_bytes()[..3]))
        || word.eq_ignore_ascii_case(b"sept");
    if full {
        Some(i + len)
    } else if short {
        Some(i + len + usize::from(b.get(i + len) == Some(&b'.')))
    } else {
        None
    }
}

mod births;
#[cfg(test)]
mod tests;
