//! Finding members: the word match behind `--role`, `--location` and
//! `--name`, `members find`, references by name, and the closest existing
//! values when a filter matches nobody.

use anyhow::Result;
use phonenumber::country::Id;
use rusqlite::Connection;
use serde::Serialize;

use super::{Filter, Member, MemberStatus, list};
use crate::exit::{Exit, Failure};
use crate::phone;

/// The words of a text, lower-cased and without accents: runs of letters
/// and digits, with accented and special letters as their plain ones
/// ("Zoë" is `zoe`, "Łódź" is `lodz`, "Straße" is `strasse`), so people
/// find names as they type them. Punctuation and spaces only separate
/// words, so "Riverside Pharmacy, Leeds" is `riverside pharmacy leeds`.
fn words(text: &str) -> Vec<String> {
    let plain = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        deunicode::deunicode_with_tofu(text, " ").to_lowercase()
    };
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether every word of `wanted` appears in `field`, in the same order, as a
/// whole word, ignoring case: "leeds" matches "Riverside Pharmacy, Leeds" and
/// "pharmacist" matches "Community pharmacist", but "pharm" matches neither.
/// A value without any word matches nothing.
pub fn words_match(wanted: &str, field: &str) -> bool {
    let wanted = words(wanted);
    if wanted.is_empty() {
        return false;
    }
    let mut have = words(field).into_iter();
    wanted.iter().all(|w| have.any(|h| h == *w))
}

/// Whether `text` is this member's number, written any way `phone::parse`
/// reads, or (for digits only, at least 6 of them) part of it: "900001"
/// finds +447700900001.
fn phone_matches(text: &str, m: &Member, region: Id) -> bool {
    if let Ok(p) = phone::parse(text, region) {
        return p == m.phone;
    }
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !phone_like || digits.len() < 6 {
        return false;
    }
    m.phone.digits().contains(&digits) || m.phone.national().is_some_and(|n| n.contains(&digits))
}

/// Members whose name, role or location word-match `text`, or whose number
/// it is, in id order.
pub fn search(conn: &Connection, text: &str, region: Id) -> Result<Vec<Member>> {
    Ok(list(conn, &Filter::default())?
        .into_iter()
        .filter(|m| {
            words_match(text, &m.name)
                || words_match(text, &m.role)
                || words_match(text, &m.location)
                || phone_matches(text, m, region)
        })
        .collect())
}

/// Finds one member by id, number or name. A name must pick exactly one
/// member: several is a usage error (exit 2) listing them, so that the
/// caller can give an id instead.
pub fn resolve(conn: &Connection, reference: &str, region: Id) -> Result<Member> {
    let r = reference.trim();
    if !r.chars().any(char::is_alphabetic) {
        return super::find(conn, r, region);
    }
    let named: Vec<Member> = list(conn, &Filter::default())?
        .into_iter()
        .filter(|m| words_match(r, &m.name))
        .collect();
    match named.len() {
        1 => Ok(named.into_iter().next().expect("one")),
        // A mistyped number ("07700 9OOOO1"): say what is wrong with it.
        0 if r.chars().filter(char::is_ascii_digit).count() >= 6 => super::find(conn, r, region),
        0 => Err(
            Failure::new(Exit::Error, format!("no member is named {r:?}"))
                .help("see `mot members find TEXT` to search names, numbers, roles and locations")
                .into(),
        ),
        n => {
            let lines: Vec<String> = named
                .iter()
                .map(|m| format!("  {}  {} ({}, {})", m.id, m.name, m.role, m.location))
                .collect();
            Err(Failure::new(
                Exit::Usage,
                format!("{n} members are named {r:?}:\n{}", lines.join("\n")),
            )
            .help("give the member's id instead")
            .into())
        }
    }
}

/// How many members one filter value matches.
#[derive(Debug, Clone, Serialize)]
pub struct FilterCount {
    /// `role` or `location`.
    pub flag: &'static str,
    pub value: String,
    /// Members of any status whose field matches.
    pub members: usize,
    /// Of those, the active ones.
    pub active: usize,
}

/// Counts the members each `--role` and `--location` value matches. A value
/// that matches no member at all is a usage error (exit 2) naming it and the
/// closest existing values: a typo must never silently shrink an audience.
pub fn check_filter(conn: &Connection, filter: &Filter) -> Result<Vec<FilterCount>> {
    let all = list(conn, &Filter::default())?;
    let mut counts = Vec::new();
    let mut unmatched = Vec::new();
    for (flag, values, field) in [
        (
            "role",
            &filter.roles,
            (|m: &Member| &m.role) as fn(&Member) -> &String,
        ),
        ("location", &filter.locations, |m: &Member| &m.location),
    ] {
        for value in values {
            let hits: Vec<&Member> = all
                .iter()
                .filter(|m| words_match(value, field(m)))
                .collect();
            if hits.is_empty() {
                let mut existing: Vec<&str> = all.iter().map(|m| field(m).as_str()).collect();
                existing.sort_unstable();
                existing.dedup();
                let near = closest(value, &existing);
                let near = if near.is_empty() {
                    "no existing value is close".to_string()
                } else {
                    let quoted: Vec<String> = near.iter().map(|v| format!("{v:?}")).collect();
                    format!("closest: {}", quoted.join(", "))
                };
                unmatched.push(format!("--{flag} {value:?} matches no member ({near})"));
            }
            counts.push(FilterCount {
                flag,
                value: value.clone(),
                members: hits.len(),
                active: hits
                    .iter()
                    .filter(|m| m.status == MemberStatus::Active)
                    .count(),
            });
        }
    }
    if !unmatched.is_empty() {
        return Err(Failure::new(Exit::Usage, unmatched.join("\n"))
            .help(
                "filters match whole words, in order, ignoring case; nothing was written or \
                 sent; see `mot members list` or `mot report summary` for the values on file",
            )
            .into());
    }
    Ok(counts)
}

/// Up to three existing values closest to `value`: those sharing a word with
/// it, or with a word a small edit away (a typo), nearest first.
pub fn closest(value: &str, existing: &[&str]) -> Vec<String> {
    let wanted = words(value);
    let whole = value.trim().to_lowercase();
    let mut scored: Vec<(usize, &str)> = existing
        .iter()
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let mut best = edit_distance(&whole, &e.to_lowercase());
            for w in &wanted {
                for h in words(e) {
                    let d = edit_distance(w, &h);
                    // A word counts as close when at most a third of it is wrong.
                    if d <= (w.chars().count() / 3).max(1) {
                        best = best.min(d);
                    }
                }
            }
            (best <= (whole.chars().count() / 3).max(2)).then_some((best, *e))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, e)| e.to_string())
        .collect()
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_whole_words_in_order_ignoring_case() {
        assert!(words_match("leeds", "Riverside Pharmacy, Leeds"));
        assert!(words_match("pharmacist", "Community pharmacist"));
        assert!(words_match("COMMUNITY pharmacist", "Community pharmacist"));
        assert!(words_match("riverside leeds", "Riverside Pharmacy, Leeds"));
        assert!(words_match("Zoë", "zoë Smith"));
        // Accents and special letters do not matter, either way round.
        assert!(words_match("zoe", "Zoë Adebayo"));
        assert!(words_match("ZOË", "Zoe Adebayo"));
        assert!(words_match("sian", "Siân Hughes"));
        assert!(words_match("lodz", "Łódź clinic"));
        assert!(words_match("lange strasse", "Lange Straße"));
        assert!(words_match("cafe quarter", "Café Quarter – Wakefield"));
        assert!(!words_match("zo", "Zoë"));
        assert!(!words_match("leeds riverside", "Riverside Pharmacy, Leeds"));
        assert!(!words_match("pharm", "Community pharmacist"));
        assert!(!words_match("leeds", "Leedsville"));
        assert!(!words_match(" , ", "Leeds"));
    }

    #[test]
    fn closest_values_share_a_word_or_are_a_typo_away() {
        let existing = ["Leeds", "Riverside Pharmacy, Leeds", "York"];
        assert_eq!(closest("Leds", &existing)[0], "Leeds");
        assert!(closest("Leds", &existing).contains(&"Riverside Pharmacy, Leeds".to_string()));
        assert!(closest("Manchester", &existing).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
