//! A birth written without its full date: a birthday with no year after
//! "born" ("born 3rd Jan"), a month and a year after a birth label ("d.o.b
//! 03/85"), a year alone after "b." ("(b. 1954)").

use super::super::{Context, FOR_DATES, Finding, Kind, Severity, digits_at, ends_word, one_of};
use super::{BIRTH_YEARS, day_month, is_month, numeric_day_month, range_between, year_at};

/// "born 3rd Jan", "born on the 6th of March": a birthday without its year
/// after "born" (a baby's, or a year written elsewhere). A day and month
/// that begin a range ("born 1 Sept to 31 Aug") are a group's births.
pub(super) fn birthdays_without_year(text: &str, starts: &[usize], out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let said = |at: usize, word: &str| {
        b.get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    let borns = starts
        .iter()
        .filter(|&&at| matches!(b[at], b'b' | b'B') && said(at, "born "));
    for &at in borns {
        let mut i = at + "born ".len();
        for skip in ["at home ", "in hospital ", "on ", "the "] {
            if said(i, skip) {
                i += skip.len();
            }
        }
        let Some(end) = day_month(text, i).or_else(|| numeric_day_month(text, i)) else {
            continue;
        };
        let next = end + (text[end..].len() - text[end..].trim_start().len());
        let ranged = ["to ", "- ", "until ", "till ", "and ", "through "]
            .iter()
            .any(|r| said(next, r));
        let dated = year_at(text, end + 1).is_some() || b.get(end) == Some(&b'-');
        if !ranged && !dated {
            out.push(Finding {
                kind: Kind::DateOfBirth,
                // Without a year it is a detail to combine, never enough alone.
                severity: Severity::Warn,
                start: i,
                end,
                reason: "date of birth: a day and month after \"born\"".to_string(),
            });
        }
    }
}

/// "d.o.b 03/85", "DOB: 3/1985", "(b.1954)": a birth label right before a
/// month and year, or "b." before a year alone. A label's month and year
/// single someone out, so block; "b." and a year (not before living
/// memory) is a detail to combine. "born 1954" is left alone: "born 1954
/// or earlier" is a group.
pub(super) fn births_without_day(text: &str, context: &Context, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for &(s, e, _) in context.hits.iter().filter(|h| FOR_DATES.contains(&h.2)) {
        let word = &text[s..e];
        if word.eq_ignore_ascii_case("born") {
            continue;
        }
        let mut i = e;
        while i < b.len() && i < e + 3 && matches!(b[i], b' ' | b':' | b'.' | b'-' | b'(') {
            i += 1;
        }
        let Some((first, first_end)) = digits_at(b, i, 4) else {
            continue;
        };
        // A full date ("03/12/85") is [`super::find_dates`]' to find.
        let lone = |end: usize| {
            !matches!(b.get(end), Some(b'/' | b'.' | b'-'))
                || !b.get(end + 1).is_some_and(u8::is_ascii_digit)
        };
        let separated = matches!(b.get(first_end), Some(b'/' | b'.' | b'-'));
        let year = separated
            .then(|| digits_at(b, first_end + 1, 4))
            .flatten()
            .filter(|&(_, end)| matches!(end - first_end - 1, 2 | 4));
        let (end, severity) = match year {
            // "d.o.b 03/85": a month and a year, alone (not "DOB 09/1949 or
            // earlier", a cohort; "DOB 12/40, address 39/40", an audit's
            // score; "b. 12/24", a quiz's answer).
            Some((_, end))
                if first_end - i <= 2
                    && is_month(first)
                    && lone(end)
                    && !born_before_a_year(word)
                    && said_alone(text, end) =>
            {
                (end, Severity::Block)
            }
            // "(b.1954)", "(ur. 1945)": a year alone after "born" shortened
            // or in another language (not after "DOB": a hostile review
            // found cohorts in every writing, "DOB 1953 cohort", "DOB
            // 1960+", "d.o.b 1944 thru 1949").
            None if first_end - i == 4
                && born_before_a_year(word)
                && BIRTH_YEARS.contains(&first)
                && lone(first_end)
                && !range_after(text, first_end) =>
            {
                (first_end, Severity::Warn)
            }
            _ => continue,
        };
        if !ends_word(text, end) {
            continue;
        }
        out.push(Finding {
            kind: Kind::DateOfBirth,
            severity,
            start: i,
            end,
            reason: format!("date of birth: a month and year after \"{word}\""),
        });
    }
}

/// True for "born" as a label shortens it ("b.", Polish "ur.", German
/// "geb.") or another language writes it before a year: the person's
/// own, where English "born 1954" may open a cohort.
fn born_before_a_year(word: &str) -> bool {
    one_of(
        word,
        &[
            "b.",
            "ur.",
            "geb.",
            "urodzony",
            "urodzona",
            "geboren",
            "nascido",
            "nascida",
            "născut",
            "născută",
            "nascuta",
        ],
    )
}

/// True when a range or a cohort follows a birth at `end`: "to 08/1949",
/// "or earlier", "- 1960", "onwards".
fn range_after(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ');
    if rest.starts_with(['-', '–']) {
        return true;
    }
    let next = rest
        .trim_start_matches([')', ',', ';', '.', ' '])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    // The words that join two dates into a range ("to", "until", "or"),
    // or leave one open ("onwards", "earlier").
    range_between(next)
        || ["onwards", "earlier", "before", "after"]
            .iter()
            .any(|r| next.eq_ignore_ascii_case(r))
        || COHORTS_ABROAD
            .iter()
            .any(|c| super::super::match_phrase(rest, 0, c).is_some())
}

/// Other languages' words that make a year of birth a cohort: Polish "ur.
/// 1959 lub wcześniej" (or earlier), "i starszych" (and older), German
/// "oder früher", "und älter", Portuguese "ou antes", Spanish "o antes",
/// Romanian "sau mai devreme" (not "und lebt allein": and lives alone).
const COHORTS_ABROAD: [&str; 11] = [
    "lub wcześniej",
    "lub wczesniej",
    "i starsi",
    "i starszych",
    "oder früher",
    "und älter",
    "oder älter",
    "ou antes",
    "o antes",
    "sau mai devreme",
    "și mai devreme",
];

/// True when what follows a birth's month and year at `end` closes it: the
/// text's or a line's end, a bracket or a comma, with no range after it
/// ("to 08/1949", "or earlier") and no other fraction close by (an
/// audit's "DOB 12/40, address 39/40"; "10/12 scripts").
fn said_alone(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ');
    let closed = rest.is_empty() || rest.starts_with([')', ',', ';', '\n', '.']);
    let range = range_after(text, end);
    let near = super::super::window_after(text, end, 40).as_bytes();
    let fraction = near
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit());
    // "(d.o.b 03/85) at Wellgate on 02/12": brackets hold it alone.
    let bracketed = rest.starts_with(')');
    closed && !range && (bracketed || !fraction)
}
