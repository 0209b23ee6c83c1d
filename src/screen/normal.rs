//! The text the scanners read: the message with Unicode's look-alikes folded
//! to the ASCII people meant, and a map back to the bytes of the original.
//!
//! People (and their phones) write NHS numbers with full-width digits,
//! non-breaking or thin spaces, en dashes, and invisible characters between
//! the groups. Rather than teach every scanner every variant, the screen
//! folds them once: NFKC per character (full-width digits and letters, `º`),
//! format characters removed (zero-width spaces and joiners, soft hyphens,
//! bidi controls, the BOM), every Unicode space to `' '`, every line or
//! paragraph separator to `'\n'`, every dash to `'-'`. Findings are then mapped
//! back to the original text, so their spans still lie on its char boundaries.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// The folded text and, for each of its bytes, where the original char that
/// produced it starts. Empty map when nothing changed (all-ASCII text).
pub(super) struct Normalised<'t> {
    original: &'t str,
    folded: Cow<'t, str>,
    /// `origin[i]` is the start, in `original`, of the char that produced
    /// byte `i` of `folded`.
    origin: Vec<u32>,
    /// Positions in `folded` where invisible characters were removed, in
    /// order: an NHS number with one inside was written to dodge a filter.
    hidden: Vec<usize>,
}

impl<'t> Normalised<'t> {
    pub(super) fn new(original: &'t str) -> Self {
        // ASCII is already folded (and most messages are ASCII): no copy.
        if original.is_ascii() {
            return Normalised {
                original,
                folded: Cow::Borrowed(original),
                origin: Vec::new(),
                hidden: Vec::new(),
            };
        }
        let mut folded = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut hidden = Vec::new();
        let mut rest = original;
        while !rest.is_empty() {
            let at = original.len() - rest.len();
            // Copy a run of ASCII at once: it folds to itself.
            let ascii = rest.bytes().take_while(u8::is_ascii).count();
            if ascii > 0 {
                folded.push_str(&rest[..ascii]);
                origin.extend((at..at + ascii).map(offset));
                rest = &rest[ascii..];
                continue;
            }
            let c = rest.chars().next().expect("not empty");
            let before = folded.len();
            if dropped(c) && hidden.last() != Some(&before) {
                hidden.push(before);
            }
            fold(c, &mut folded);
            origin.extend(std::iter::repeat_n(offset(at), folded.len() - before));
            rest = &rest[c.len_utf8()..];
        }
        Normalised {
            original,
            folded: Cow::Owned(folded),
            origin,
            hidden,
        }
    }

    /// The text to scan.
    pub(super) fn text(&self) -> &str {
        &self.folded
    }

    /// Where invisible characters were removed (positions in [`Self::text`]).
    pub(super) fn hidden(&self) -> &[usize] {
        &self.hidden
    }

    /// Maps a span of the folded text to the original: from the start of
    /// the char that produced `start` to the end of the one that produced
    /// the byte before `end`.
    pub(super) fn span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.origin.is_empty() {
            return (start, end);
        }
        let len = self.original.len();
        let from = |i: usize| self.origin.get(i).map_or(len, |&o| (o as usize).min(len));
        let s = from(start);
        let e = if end == 0 {
            s
        } else {
            let last = from(end - 1);
            let width = self.original.get(last..).and_then(|r| r.chars().next());
            last + width.map_or(0, char::len_utf8)
        };
        (s, e.max(s))
    }
}

/// A byte offset as stored in the map. Messages are far below 4 GiB; a
/// longer text would only make its later spans start too early, never panic
/// (spans are clamped to char boundaries when mapped back).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Appends what `c` means to a scanner.
fn fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
    } else if dropped(c) {
        // Invisible: dropped, so "999\u{200b}000" reads "999000".
    } else if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
        out.push('\n');
    } else if c.is_whitespace() {
        out.push(' ');
    } else if matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}'
    ) {
        out.push('-');
    } else {
        out.extend(std::iter::once(c).nfkc().map(|k| {
            // NFKC can yield a Unicode space (U+3000 stays one): fold it too.
            if k.is_whitespace() && !k.is_ascii() {
                ' '
            } else {
                k
            }
        }));
    }
}

/// Whether the scanners read straight through `c`: an invisible character
/// ([`crate::output::is_invisible`], the one set), except the line and
/// paragraph separators, which end a line.
fn dropped(c: char) -> bool {
    !matches!(c, '\u{2028}' | '\u{2029}') && crate::output::is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_people_paste() {
        let cases = [
            ("\u{ff19}\u{ff19}\u{ff19}", "999"),
            ("9\u{200b}9\u{feff}9\u{ad}", "999"),
            ("999\u{a0}000\u{202f}1\u{2009}2", "999 000 1 2"),
            ("999\u{2013}000\u{2014}1", "999-000-1"),
            ("a\u{2028}b", "a\nb"),
            ("N\u{ba}", "No"),
            ("\u{ff2e}\u{ff28}\u{ff33}\u{ff1a}", "NHS:"),
            ("ascii stays", "ascii stays"),
        ];
        for (text, want) in cases {
            assert_eq!(Normalised::new(text).text(), want, "{text:?}");
        }
    }

    #[test]
    fn spans_map_back_to_whole_original_chars() {
        let text = "x \u{ff19}\u{200b}\u{ff19}\u{ff19} y";
        let n = Normalised::new(text);
        assert_eq!(n.text(), "x 999 y");
        let (s, e) = n.span(2, 5);
        assert_eq!(&text[s..e], "\u{ff19}\u{200b}\u{ff19}\u{ff19}");
        assert_eq!(n.span(6, 7), (text.len() - 1, text.len()));
        assert_eq!(n.span(7, 7), (text.len(), text.len()));
    }
}
