//! How a typed reply names one of a request's options as people write it:
//! "Option 2", "No. 2", "#1", "3 - can get by Thursday", "two", "2️⃣", and
//! yes or no to a request whose two options are a yes and a no. A reply that
//! could name two options, or whose number is a quantity, a date or a time,
//! names none: a wrong answer in the tally is worse than a free-text one.
//! [`super::select`] is the one rule; this is how it reads the words.

/// A piece of a reply, as the rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Letters, lower case, apostrophes dropped ("it's" is "its").
    Word(String),
    /// A whole number standing on its own, or a number word ("two").
    Num(u64),
    /// Digits joined to more digits or to letters: 1.5, 25/12, 9-5, 1pm, 2nd.
    Quantity,
    /// Punctuation or an emoji: a break between a choice and what follows.
    Mark,
}

use Token::{Mark, Num, Quantity, Word};

/// Words before a choice that say nothing about which: greetings, apologies.
const FILLERS: &[&str] = &[
    "hi",
    "hello",
    "hiya",
    "hey",
    "morning",
    "afternoon",
    "evening",
    "good",
    "sorry",
    "ok",
    "okay",
    "oh",
    "um",
    "er",
];

/// Words that lead in to a number: "Option 2", "Answer: 3", "It's a 2".
const LEAD_INS: &[&str] = &[
    "option", "opt", "number", "num", "nr", "choice", "answer", "ans", "reply", "its", "it", "is",
    "a", "my", "our",
];

/// Words that may follow a bare number without making it a quantity
/// ("1 thanks", "2 x", "1 from us"); any other word ("3 boxes", "2 left")
/// makes it one, unless the words are the option's own ("1 in stock").
const AFTER: &[&str] = &[
    "thanks", "thank", "thankyou", "thx", "ty", "ta", "cheers", "please", "pls", "plz", "x", "xx",
    "xxx", "from", "here", "again", "ok", "okay",
];

/// Words that say yes or no, in English as people type it and in Welsh.
const YES: &[&str] = &[
    "yes", "y", "yeah", "yea", "yep", "yup", "ya", "aye", "ie", "ydw", "oes",
];
const NO: &[&str] = &["no", "n", "nope", "nah", "na", "nay", "nac", "nag"];

/// The second word of a Welsh "no" ("nac ydw", "nag oes"): part of the no.
const WELSH_NO_SECOND: &[&str] = &["ydw", "ydi", "ydyn", "ydym", "oes"];

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// The option (1-based) a reply names, read from its words; `None` when it
/// names none or could name more than one. The caller has already tried
/// the whole reply against each option's words.
pub(super) fn choice(text: &str, options: &[String]) -> Option<u32> {
    // A question about the options is never an answer to them.
    if text.contains('?') {
        return None;
    }
    let toks = tokens(text);
    let yes_no = yes_no(options);
    let n = options.len() as u64;
    let mut i = 0;
    while matches!(&toks.get(i), Some(Mark)) || word_in(toks.get(i), FILLERS) {
        i += 1;
    }
    let mut led = false;
    loop {
        match toks.get(i) {
            Some(Word(w)) if LEAD_INS.contains(&w.as_str()) => led = true,
            // "No. 2", unless "no" is itself an answer.
            Some(Word(w))
                if w == "no"
                    && yes_no.is_none()
                    && toks.get(i + 1) == Some(&Mark)
                    && matches!(toks.get(i + 2), Some(Num(_))) =>
            {
                led = true
            }
            Some(Mark) if led => {}
            _ => break,
        }
        i += 1;
    }
    let (chosen, end, by_number) = match toks.get(i)? {
        Num(k) if (1..=n).contains(k) => (*k as u32, i + 1, true),
        Word(w) => match yes_no.and_then(|yn| said(w, yn)) {
            Some(k) => {
                let second =
                    (w == "nac" || w == "nag") && word_in(toks.get(i + 1), WELSH_NO_SECOND);
                (k, i + 1 + usize::from(second), false)
            }
            None if !led => words_then_number(&toks, i, options)?,
            None => return None,
        },
        _ => return None,
    };
    let tail = &toks[end..];
    if by_number && !fits_after_number(tail, chosen, options) {
        return None;
    }
    if let Some(j) = named(tail, options)
        && j != chosen
    {
        return None;
    }
    agrees(tail, chosen, n, yes_no).then_some(chosen)
}

/// The reply cut into [`Token`]s. A keycap emoji (2️⃣) is its digit.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let digits_from = |mut i: usize| {
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '\u{FE0F}' || c == '\u{20E3}' {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            i = digits_from(i);
            let mut joined = false;
            loop {
                let sep = chars.get(i).is_some_and(|c| ".,/:-".contains(*c));
                if sep && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    joined = true;
                    i = digits_from(i + 1);
                } else if chars.get(i).is_some_and(|c| c.is_alphabetic()) {
                    joined = true;
                    while chars.get(i).is_some_and(|c| c.is_alphanumeric()) {
                        i += 1;
                    }
                } else {
                    break;
                }
            }
            let number: String = chars[start..i].iter().collect();
            out.push(match number.parse() {
                Ok(k) if !joined => Num(k),
                _ => Quantity,
            });
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.get(i) {
                if c.is_alphabetic() {
                    word.extend(c.to_lowercase());
                } else if !matches!(c, '\'' | '’') {
                    break;
                }
                i += 1;
            }
            out.push(match NUMBER_WORDS.iter().position(|w| *w == word) {
                Some(k) => Num(k as u64 + 1),
                None => Word(word),
            });
        } else {
            out.push(Mark);
            i += 1;
        }
    }
    out
}

fn word_in(t: Option<&Token>, words: &[&str]) -> bool {
    matches!(t, Some(Word(w)) if words.contains(&w.as_str()))
}

/// For a request of two options, one a yes and one a no ("Yes", "No, out
/// of stock"): (the yes option, the no option), 1-based.
fn yes_no(options: &[String]) -> Option<(u32, u32)> {
    let [a, b] = options else {
        return None;
    };
    let first = |o: &str| -> Option<String> {
        match tokens(o).first() {
            Some(Word(w)) => Some(w.clone()),
            _ => None,
        }
    };
    let is = |o: &str, set: &[&str]| first(o).is_some_and(|w| set.contains(&w.as_str()));
    match (is(a, YES), is(a, NO), is(b, YES), is(b, NO)) {
        (true, false, false, true) => Some((1, 2)),
        (false, true, true, false) => Some((2, 1)),
        _ => None,
    }
}

/// The option a yes or no word says, in a yes/no request.
fn said(word: &str, (yes, no): (u32, u32)) -> Option<u32> {
    if YES.contains(&word) {
        Some(yes)
    } else if NO.contains(&word) {
        Some(no)
    } else {
        None
    }
}

/// The longest option whose words the first run of words in `toks` starts
/// with ("Tuesday" names "Tue", "out of stock unfortunately" names "Out of
/// stock").
fn named(toks: &[Token], options: &[String]) -> Option<u32> {
    let run: String = toks
        .iter()
        .skip_while(|t| **t == Mark)
        .map_while(|t| match t {
            Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    if run.is_empty() {
        return None;
    }
    options
        .iter()
        .enumerate()
        .map(|(i, o)| (i, super::normalise(o)))
        .filter(|(_, o)| !o.is_empty() && run.starts_with(o.as_str()))
        .max_by_key(|(_, o)| o.len())
        .map(|(i, _)| i as u32 + 1)
}

/// "Tuesday - 2": an option's words, then its own number. Returns the
/// option and where the reply goes on; `None` unless both name the same.
fn words_then_number(toks: &[Token], i: usize, options: &[String]) -> Option<(u32, usize, bool)> {
    let by_words = named(&toks[i..], options)?;
    let mut j = i;
    while matches!(toks.get(j), Some(Word(_))) {
        j += 1;
    }
    while toks.get(j) == Some(&Mark) {
        j += 1;
    }
    match toks.get(j) {
        Some(Num(k)) if *k == u64::from(by_words) => Some((by_words, j + 1, false)),
        _ => None,
    }
}

/// What directly follows a number keeps it a choice: nothing, a break, a
/// word like "thanks", or the chosen option's own words.
fn fits_after_number(tail: &[Token], chosen: u32, options: &[String]) -> bool {
    match tail.first() {
        None | Some(Mark) => true,
        Some(Word(w)) if AFTER.contains(&w.as_str()) => true,
        Some(Word(_)) => named(tail, options) == Some(chosen),
        Some(Num(_) | Quantity) => false,
    }
}

/// Nothing later in the reply names another option: no other number
/// standing on its own ("1, 3", "2 - or 3"; "2 packs" is a quantity) and,
/// in a yes/no request, no word of the other answer ("yes and no").
fn agrees(tail: &[Token], chosen: u32, n: u64, yes_no: Option<(u32, u32)>) -> bool {
    tail.iter().enumerate().all(|(t, tok)| match tok {
        Num(m) if (1..=n).contains(m) && *m != u64::from(chosen) => {
            let next = tail.get(t + 1);
            let alone = matches!(next, None | Some(Mark | Num(_)))
                || word_in(next, &["or", "and"])
                || (t > 0 && word_in(tail.get(t - 1), &["or", "and"]));
            !alone
        }
        Word(w) => yes_no
            .and_then(|yn| said(w, yn))
            .is_none_or(|k| k == chosen),
        _ => true,
    })
}
