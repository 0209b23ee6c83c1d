//! Making text from outside safe to show: which characters are invisible
//! or reorder text, escaping them for a terminal, and finding those that
//! must not be sent to members.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Characters that show nothing yet change how text around them looks: bidi
/// embeddings, overrides, isolates and marks (which can make `gpj.exe` read
/// `exe.jpg`), the soft hyphen, zero-width spaces and joiners, the line and
/// paragraph separators, word joiner and invisible operators, the
/// byte-order mark and the interlinear annotation marks (which hide the
/// text between them). The one set: output escapes them, members' details
/// never keep them, the screen reads through them, erasure looks past them.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00ad}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200d}'
                | '\u{2028}'..='\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206a}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// The bidi controls: embeddings and overrides (U+202A–202E), isolates
/// (U+2066–2069) and the marks (U+200E, U+200F, U+061C). They reorder the
/// text around them, so that one word or option can be made to read as another.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Text from Meta made safe for a terminal and a table cell: control and
/// invisible characters (see [`is_invisible`]) replaced, and at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| {
            if c.is_control() || is_invisible(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// A character that must not be sent to members, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsendable {
    pub ch: char,
    /// Line and column (both from 1, columns in characters); a one-line
    /// value is shown as "character N".
    pub line: usize,
    pub column: usize,
    multiline: bool,
}

impl fmt::Display for Unsendable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if is_bidi_control(self.ch) {
            "a bidi control, which reorders the text around it"
        } else {
            "a control character"
        };
        write!(f, "U+{:04X} ({what}) at ", self.ch as u32)?;
        if self.multiline {
            write!(f, "line {}, column {}", self.line, self.column)
        } else {
            write!(f, "character {}", self.column)
        }
    }
}

/// The first character of `text` that must not go to members: a control
/// character (C0, DEL, C1) or a bidi control. Line breaks (with the CR of
/// Windows line ends) and tabs are allowed: they are paragraphs, or are
/// folded into spaces. `multiline` text (a notice, a question) gives the
/// place as line and column; a one-line value (an option) as a character.
pub fn find_unsendable(text: &str, multiline: bool) -> Option<Unsendable> {
    let (mut line, mut column) = (1, 0);
    for ch in text.chars() {
        column += 1;
        let allowed = matches!(ch, '\n' | '\r' | '\t');
        if (ch.is_control() && !allowed) || is_bidi_control(ch) {
            return Some(Unsendable {
                ch,
                line,
                column,
                multiline,
            });
        }
        if ch == '\n' {
            line += 1;
            column = 0;
        }
    }
    None
}

/// Writes `c` so that it is seen rather than obeyed: control characters in
/// Rust's `\u{1b}` style, invisible ones as `<U+202E>`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

fn escape_where(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && !(keep_newlines && c == '\n')) || is_invisible(c);
    let Some(first) = s.find(bad) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if bad(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value (a table cell, a field) as it may be shown on a terminal:
/// control, bidi and zero-width characters (newlines too) are escaped.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, false)
}

/// Text of several lines (a summary, a log line, an error): as [`escape`],
/// but its line breaks stay line breaks.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_where(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_meta_is_made_printable() {
        assert_eq!(
            printable("a\u{1b}[31mb\u{202e}c", 50),
            "a\u{fffd}[31mb\u{fffd}c"
        );
        assert_eq!(printable("abcdef", 3), "abc…");
    }

    #[test]
    fn unsendable_characters_are_found_with_their_place() {
        assert_eq!(find_unsendable("Line one\r\n\tTwo\n", true), None);
        assert_eq!(
            find_unsendable("Zoë 👩‍⚕️ café", false),
            None,
            "a ZWJ emoji is fine"
        );
        let at = |t: &str, m| find_unsendable(t, m).unwrap().to_string();
        assert_eq!(
            at("ab\ncd\u{202e}", true),
            "U+202E (a bidi control, which reorders the text around it) at line 2, column 3"
        );
        assert_eq!(
            at("Yes\u{7}", false),
            "U+0007 (a control character) at character 4"
        );
        for c in [
            '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{61c}', '\u{200e}', '\u{2069}',
        ] {
            assert_eq!(find_unsendable(&format!("x{c}"), false).unwrap().ch, c);
        }
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "Asha Patel, Riverside Pharmacy — Leeds 💊 أحمد";
        assert!(matches!(escape(s), Cow::Borrowed(x) if x == s));
    }
}
