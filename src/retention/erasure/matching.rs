//! Finding a person in raw bytes (a database file, its WAL, a stored
//! payload): a number in any writing, and a name or phrase through case and
//! invisible characters. Streaming: bytes are fed in chunks of any size and
//! every decoder and matcher keeps its state between them, so a match split
//! across chunks counts exactly once and a large file is never held whole.
//!
//! The bytes are decoded as UTF-8 (invalid bytes break any match), with
//! JSON's `\uXXXX` escapes read as the characters they stand for (Meta
//! escapes non-ASCII text in its payloads). Each character then feeds two
//! folded streams, each searched with a streaming KMP automaton per needle:
//! - digits: ASCII (and full-width) digits kept, what people write between
//!   digits skipped (spaces, dashes, dots, brackets, slashes, the plus,
//!   invisible characters), anything else breaks the run. The national
//!   digits of a number are in every writing of it (`+44 (0)7700 900 123`,
//!   `0044 7700-900-123`, `07700.900.123`, `7700900123`).
//! - text: compatibility-decomposed, lower-cased (`ß` as `ss`), with white
//!   space and invisible characters dropped: `Ann<ZWSP>Example`,
//!   `Ann<NBSP>Example` and `ANN  EXAMPLE` all read `annexample`. (A
//!   word boundary is not required: finding too much is the safe side.)

use unicode_normalization::UnicodeNormalization;

use crate::output::is_invisible;

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sought {
    /// These digits, whatever people wrote between them.
    Digits(String),
    /// This text, folded as the text stream is.
    Text(String),
}

/// Counts every needle in bytes fed to it in chunks.
pub struct Matcher {
    digits: Vec<(usize, Kmp<u8>)>,
    texts: Vec<(usize, Kmp<char>)>,
    counts: Vec<usize>,
    /// The start of a UTF-8 sequence that the next chunk completes.
    partial: Vec<u8>,
    escape: Escape,
}

/// Where the JSON escape reader is.
#[derive(Clone, Copy)]
enum Escape {
    None,
    Backslash,
    /// `\u` and this many hex digits so far, making `value`.
    Unicode(u8, u32),
}

impl Matcher {
    pub fn new(sought: &[Sought]) -> Matcher {
        let mut digits = Vec::new();
        let mut texts = Vec::new();
        for (i, s) in sought.iter().enumerate() {
            match s {
                Sought::Digits(d) => {
                    let d: Vec<u8> = d.bytes().filter(u8::is_ascii_digit).collect();
                    if !d.is_empty() {
                        digits.push((i, Kmp::new(d)));
                    }
                }
                Sought::Text(t) => {
                    let folded = fold_text(t);
                    if !folded.is_empty() {
                        texts.push((i, Kmp::new(folded.chars().collect())));
                    }
                }
            }
        }
        Matcher {
            digits,
            texts,
            counts: vec![0; sought.len()],
            partial: Vec::new(),
            escape: Escape::None,
        }
    }

    /// Counts what the needles in `sought` are found in `bytes`, in order.
    pub fn count(sought: &[Sought], bytes: &[u8]) -> Vec<usize> {
        let mut m = Matcher::new(sought);
        m.feed(bytes);
        m.finish()
    }

    pub fn feed(&mut self, mut bytes: &[u8]) {
        // Complete a character split by the last chunk.
        while !self.partial.is_empty() && !bytes.is_empty() {
            self.partial.push(bytes[0]);
            bytes = &bytes[1..];
            match std::str::from_utf8(&self.partial) {
                Ok(s) => {
                    let c = s.chars().next().expect("one char");
                    self.partial.clear();
                    self.unescape(c);
                }
                Err(e) if e.error_len().is_some() => {
                    self.partial.clear();
                    self.broken();
                }
                Err(_) => {}
            }
        }
        while !bytes.is_empty() {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    s.chars().for_each(|c| self.unescape(c));
                    return;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    let good = std::str::from_utf8(good).expect("valid up to here");
                    good.chars().for_each(|c| self.unescape(c));
                    match e.error_len() {
                        Some(n) => {
                            self.broken();
                            bytes = &rest[n..];
                        }
                        None => {
                            // The rest is the start of a character.
                            self.partial.extend_from_slice(rest);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The counts, in the order of the needles given to [`Matcher::new`].
    pub fn finish(mut self) -> Vec<usize> {
        // Whatever was held back (a lone backslash, an unfinished escape) is what it was.
        self.flush_escape();
        self.counts
    }

    /// Reads JSON's escapes: `\u00a0` is a no-break space, `\n` a line break.
    fn unescape(&mut self, c: char) {
        match self.escape {
            Escape::None if c == '\\' => self.escape = Escape::Backslash,
            Escape::None => self.push(c),
            Escape::Backslash if c == 'u' => self.escape = Escape::Unicode(0, 0),
            Escape::Backslash => {
                self.escape = Escape::None;
                match c {
                    'n' | 'r' | 't' => self.push(' '),
                    '"' | '/' | '\\' => self.push(c),
                    _ => {
                        self.push('\\');
                        self.unescape(c);
                    }
                }
            }
            Escape::Unicode(n, value) => match c.to_digit(16) {
                Some(d) if n < 3 => self.escape = Escape::Unicode(n + 1, value << 4 | d),
                Some(d) => {
                    self.escape = Escape::None;
                    // A surrogate (half an emoji) is no letter or digit.
                    self.push(char::from_u32(value << 4 | d).unwrap_or('\u{fffd}'));
                }
                None => {
                    self.flush_escape();
                    self.unescape(c);
                }
            },
        }
    }

    fn flush_escape(&mut self) {
        match std::mem::replace(&mut self.escape, Escape::None) {
            Escape::None => {}
            Escape::Backslash => self.push('\\'),
            Escape::Unicode(..) => self.push('\u{fffd}'),
        }
    }

    /// Bytes that are not UTF-8: no match runs through them.
    fn broken(&mut self) {
        self.flush_escape();
        self.push('\u{fffd}');
    }

    fn push(&mut self, c: char) {
        match digit(c) {
            Some(d) => {
                for (i, kmp) in &mut self.digits {
                    if kmp.step(d) {
                        self.counts[*i] += 1;
                    }
                }
            }
            None if is_separator(c) => {}
            None => self.digits.iter_mut().for_each(|(_, kmp)| kmp.reset()),
        }
        if self.texts.is_empty() {
            return;
        }
        let (texts, counts) = (&mut self.texts, &mut self.counts);
        fold_char(c, &mut |f| {
            for (i, kmp) in texts.iter_mut() {
                if kmp.step(f) {
                    counts[*i] += 1;
                }
            }
        });
    }
}

/// The digit `c` stands for: ASCII, or a compatibility form (full-width).
fn digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8);
    }
    if c.is_ascii() || c.is_whitespace() {
        return None;
    }
    let mut k = std::iter::once(c).nfkd();
    match (k.next(), k.next()) {
        (Some(d), None) if d.is_ascii_digit() => Some(d as u8),
        _ => None,
    }
}

/// What people write between the digits of a phone number.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '(' | ')' | '/' | '+' | '\u{2010}'..='\u{2015}' | '\u{2212}'
    ) || c.is_whitespace()
        || is_invisible(c)
}

/// Feeds the folded form of `c` to `out`: see the module's text stream.
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_whitespace() || is_invisible(c) {
        return;
    }
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    for k in std::iter::once(c).nfkd() {
        for l in k.to_lowercase() {
            match l {
                'ß' => {
                    out('s');
                    out('s');
                }
                'ς' => out('σ'),
                l => out(l),
            }
        }
    }
}

/// `text` as the text stream reads it.
fn fold_text(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| folded.push(f));
    }
    folded
}

/// Knuth–Morris–Pratt over a stream: counts every (overlapping) occurrence.
struct Kmp<T> {
    needle: Vec<T>,
    /// `fail[i]`: the longest proper prefix of `needle[..=i]` that is also its suffix.
    fail: Vec<usize>,
    state: usize,
}

impl<T: Copy + PartialEq> Kmp<T> {
    fn new(needle: Vec<T>) -> Kmp<T> {
        let mut fail = vec![0; needle.len()];
        let mut k = 0;
        for i in 1..needle.len() {
            while k > 0 && needle[i] != needle[k] {
                k = fail[k - 1];
            }
            if needle[i] == needle[k] {
                k += 1;
            }
            fail[i] = k;
        }
        Kmp {
            needle,
            fail,
            state: 0,
        }
    }

    /// True when `x` completes an occurrence.
    fn step(&mut self, x: T) -> bool {
        while self.state > 0 && self.needle[self.state] != x {
            self.state = self.fail[self.state - 1];
        }
        if self.needle[self.state] == x {
            self.state += 1;
        }
        if self.state == self.needle.len() {
            self.state = self.fail[self.state - 1];
            return true;
        }
        false
    }

    fn reset(&mut self) {
        self.state = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(d: &str) -> Sought {
        Sought::Digits(d.into())
    }

    fn text(t: &str) -> Sought {
        Sought::Text(t.into())
    }

    #[test]
    fn a_number_is_found_in_every_writing() {
        let sought = [digits("7700900123")];
        for written in [
            "+447700900123",
            "447700900123",
            "07700900123",
            "7700900123",
            "07700 900123",
            "07700 900 123",
            "07700-900-123",
            "07700.900.123",
            "(07700) 900123",
            "+44 (0)7700 900123",
            "+44 (0) 7700 900 123",
            "0044 7700 900 123",
            "0044-7700-900-123",
            "07700\u{a0}900\u{200b}123",
            "07700\u{2013}900\u{2013}123",
            "\u{ff10}\u{ff17}\u{ff17}\u{ff10}\u{ff10} 900123",
            "{\"t\":\"07700\\u00a0900123\"}",
            "call 07700 900123 or 07700-900-123",
        ] {
            let found = Matcher::count(&sought, written.as_bytes())[0];
            let want = if written.contains(" or ") { 2 } else { 1 };
            assert_eq!(found, want, "{written:?}");
        }
        for other in ["07700 900124", "07700a900123", "7700 90012"] {
            assert_eq!(Matcher::count(&sought, other.as_bytes()), [0], "{other:?}");
        }
        // Bytes that are not UTF-8 break a run of digits.
        assert_eq!(Matcher::count(&sought, b"07700\xff900123"), [0]);
    }

    #[test]
    fn a_name_is_found_through_case_and_invisible_characters() {
        let sought = [text("Ann Example"), text("Åsa Öberg"), text("Weiß")];
        let cases: [(&str, [usize; 3]); 11] = [
            ("Ann\u{200b}Example", [1, 0, 0]),
            ("Ann Example", [1, 0, 0]),
            ("ANN EXAMPLE", [1, 0, 0]),
            ("ann\u{a0}example", [1, 0, 0]),
            ("Ann\u{200b} Example", [1, 0, 0]),
            ("A\u{200d}nn  \u{2009}Exam\u{ad}ple", [1, 0, 0]),
            ("\u{ff21}nn Example", [1, 0, 0]),
            ("ÅSA ÖBERG", [0, 1, 0]),
            // Decomposed: A + ring above.
            ("A\u{30a}sa O\u{308}berg", [0, 1, 0]),
            ("WEISS and weiß", [0, 0, 2]),
            ("{\"name\":\"\\u00c5sa\\u00a0\\u00d6berg\"}", [0, 1, 0]),
        ];
        for (written, want) in cases {
            assert_eq!(
                Matcher::count(&sought, written.as_bytes()),
                want,
                "{written:?}"
            );
        }
        assert_eq!(Matcher::count(&sought, "Ann Exampl".as_bytes()), [0, 0, 0]);
    }

    #[test]
    fn a_match_split_anywhere_between_chunks_counts_once() {
        let sought = [digits("7700900123"), text("Åsa Öberg")];
        let data = "x +44 (0)7700\u{a0}900-123 y \\u00c5sa\u{200b} ÖBERG z".as_bytes();
        for cut in 0..=data.len() {
            let mut m = Matcher::new(&sought);
            m.feed(&data[..cut]);
            m.feed(&data[cut..]);
            assert_eq!(m.finish(), [1, 1], "cut at {cut}");
        }
        // One byte at a time.
        let mut m = Matcher::new(&sought);
        for b in data {
            m.feed(std::slice::from_ref(b));
        }
        assert_eq!(m.finish(), [1, 1]);
    }
}
