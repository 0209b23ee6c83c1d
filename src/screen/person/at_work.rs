//! A first name alone that a message gives a colleague's part: the one who
//! signs it ("… can send some to Kirkstall if needed - Hamza"), who is
//! asked or thanked ("ring Bola at Peckham Pharmacy", "ask for Ade",
//! "thank you to Adaeze"), who reports or has moved on ("Grace at Alliance
//! says", "now Owen has moved to the ICB"), who is spoken to ("Tomasz
//! please put away"), or whose shift it is ("Bilal nights, Ayesha days").
//!
//! A patient is not given these parts in a message to the team, and a
//! first name alone is at most a warning; a name with its own health said
//! of it is never a colleague's (see `find_in`), and one followed by a
//! phone number stays a person, so that the number counts as theirs.

use super::{Word, one_of};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// True when the first name alone at word `k` (no title) has a
/// colleague's part in the message.
pub(super) fn first_name_at_work(text: &str, words: &[Word], k: usize) -> bool {
    let w = &words[k];
    let rest = &text[w.end..];
    signs_off(text, w.start, rest)
        || asked_or_thanked(text, words, k) && !number_next(rest)
        || reports(words, k)
        || spoken_to(text, words, k, rest)
        || on_shift(rest)
}

/// The message ends with the name, after a dash or a line break: "… if
/// needed - Hamza", "… 14 Ionawr. – Elin x 😊".
fn signs_off(text: &str, start: usize, rest: &str) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    let led = before.ends_with(['-', '–', '—', '~', '\n']);
    let after = rest.trim_start_matches([' ', '.', '!', ',']);
    let after = after
        .strip_prefix("xxx")
        .or_else(|| after.strip_prefix("xx"))
        .or_else(|| after.strip_prefix('x'))
        .filter(|a| !a.starts_with(char::is_alphanumeric))
        .unwrap_or(after);
    let ends = after.chars().all(|c| !c.is_alphanumeric());
    led && ends && before.trim_end_matches(['-', '–', '—', '~', '\n', ' ']).len() > 1
}

/// Words right before a name that ask the reader to contact a colleague
/// or thank one: "ring Bola", "text Neil", "Dzięki Kasia".
#[rustfmt::skip]
static CONTACT: Vocabulary = Vocabulary::new(&[
    "ring", "call", "phone", "text", "message", "whatsapp", "tell", "dzięki", "dziękuję",
    "dzieki", "dziekuje", "congratulations", "congrats", "ta",
]);

/// The second of two words before a name that do the same: "ask for Ade",
/// "queries to Huw", "thank you to Adaeze", "speak to Gemma".
#[rustfmt::skip]
static CONTACT_FIRST_OF_TWO: Vocabulary = Vocabulary::new(&[
    "ask", "speak", "talk", "queries", "questions", "query", "thanks", "out", "done", "chat",
]);

fn asked_or_thanked(text: &str, words: &[Word], k: usize) -> bool {
    let spaced = |a: &Word, b: &Word| text[a.end..b.start] == *" ";
    let one = k >= 1 && CONTACT.contains(words[k - 1].text) && spaced(&words[k - 1], &words[k]);
    let two = k >= 2 && {
        let (first, second) = (&words[k - 2], &words[k - 1]);
        one_of(second.folded, &["for", "to", "with"])
            && CONTACT_FIRST_OF_TWO.contains(first.folded)
            && spaced(first, second)
            && spaced(second, &words[k])
    };
    // "queries to Angharad or Huw": the second of two named so.
    let or_second = k >= 3 && {
        let between = &text[words[k - 1].end..words[k].start];
        one_of(words[k - 1].folded, &["or", "and"])
            && between == " "
            && asked_or_thanked(text, words, k - 2)
    };
    // "thank you to Adaeze".
    let three = k >= 3
        && words[k - 3].folded == "thank"
        && words[k - 2].folded == "you"
        && words[k - 1].folded == "to";
    one || two || three || or_second
}

/// True when a phone number follows the name: "ring Doreen on 07700 …" is
/// her number, whatever the verb.
fn number_next(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ',', '(', ':']);
    let rest = ["on ", "at ", "- ", "– "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '+')
}

/// Verbs a colleague does at work, right after the name: "Grace at
/// Alliance says", "Siobhán said the DOB field …", "Owen has moved to the
/// ICB", "Gareth's left".
#[rustfmt::skip]
static REPORTS: Vocabulary = Vocabulary::new(&[
    "says", "said", "asked", "asking", "mentioned", "confirmed", "confirms", "reports",
    "reported", "reckons", "suggested", "suggests", "emailed", "forwarded", "circulated",
    "retired", "retiring", "organised", "arranged",
]);

/// What follows "has" or "is" when a colleague moves on: "has left", "is
/// leaving", "has moved to the ICB".
#[rustfmt::skip]
static MOVES: Vocabulary = Vocabulary::new(&[
    "left", "leaving", "moved", "moving", "retired", "retiring", "gone", "joined", "joining",
]);

/// What follows "off" when a colleague is away: "off sick", "off today".
#[rustfmt::skip]
static ABSENT: Vocabulary = Vocabulary::new(&[
    "sick", "today", "tomorrow", "till", "until", "this", "next", "work", "shift", "rota",
]);

fn reports(words: &[Word], k: usize) -> bool {
    // "Grace at Alliance says": the name, perhaps where they work, then
    // the verb, within four words.
    let next = |n: usize| words.get(k + n).map(|w| w.folded);
    let moves = |n: usize| next(n).is_some_and(|w| MOVES.contains(w));
    // Not what they say of themselves: "Kev says he's moving", "Doreen
    // said she …" (a patient speaks of their own life).
    let of_self = |w: &str| {
        one_of(
            w,
            &["he", "she", "they", "i", "he's", "she's", "they're", "i'm", "her", "his", "my"],
        )
    };
    let said = (1..=4).any(|n| {
        next(n).is_some_and(|w| REPORTS.contains(w))
            && (n == 1 || next(1).is_some_and(|w| one_of(w, &["at", "from", "in"])))
            && !next(n + 1).is_some_and(of_self)
            && !next(n + 2).is_some_and(|w| w == "she" || w == "he")
    });
    let moved = one_of(next(1).unwrap_or(""), &["has", "is", "was"]) && moves(2);
    // "Gareth's left", "Jo's leaving": the name's "'s" is "has" or "is".
    let contracted = possessive_base(words[k].text).is_some();
    let left = (moved || contracted && moves(1)) && !next(2).is_some_and(|w| w == "her" || w == "his");
    // "Jo's off sick today", "Kirsty is off till Monday": away from work.
    let off = (contracted && next(1) == Some("off")
        || one_of(next(1).unwrap_or(""), &["is", "was"]) && next(2) == Some("off"))
        && (1..=3).any(|n| next(n).is_some_and(|w| ABSENT.contains(w)));
    said || left || off
}

/// The message speaks to the named colleague: "Tomasz please put away",
/// "Kasia, can you …" ("for Doreen, can you check …" asks the reader; "its
/// Wiktor, cant get my meds" is a patient saying who writes).
fn spoken_to(text: &str, words: &[Word], k: usize, rest: &str) -> bool {
    let before = text[..words[k].start].trim_end_matches([' ', '\t']);
    let previous = |n: usize| k.checked_sub(n).map_or("", |i| words[i].folded);
    let opens = before.is_empty()
        || before.ends_with('\n')
        || one_of(previous(1), &["hi", "hiya", "hello", "morning", "hey"]);
    let starts = |rest: &str, phrases: &[&str]| {
        phrases.iter().any(|p| {
            rest.get(..p.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(p))
        })
    };
    let direct = starts(rest, &[" please ", " pls ", " plz "]);
    let request = starts(
        rest.trim_start_matches([' ', ',', '-', '–']),
        &["please ", "pls ", "can you", "could you", "would you", "are you"],
    );
    direct || opens && request
}

/// Shift words straight after a name in a rota: "Bilal nights, Ayesha days".
#[rustfmt::skip]
static SHIFTS: Vocabulary = Vocabulary::new(&[
    "nights", "days", "lates", "earlies", "al", "twilights", "weekend", "weekends",
]);

fn on_shift(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let after = rest[word.len()..].trim_start_matches(' ');
    SHIFTS.contains(word) && (after.is_empty() || after.starts_with([',', ';', '.', '\n', '/']))
}
