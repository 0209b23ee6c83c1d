//! Reading an import file as a stream: the byte-order mark Excel writes is
//! dropped, and a quote that is never closed is noticed, because the csv
//! reader silently reads everything after it as one value.

use std::io::{self, Chain, Cursor, Read};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `input` without a leading UTF-8 byte-order mark.
pub fn without_bom<R: Read>(mut input: R) -> io::Result<Chain<Cursor<Vec<u8>>, R>> {
    // A pipe may hand over fewer than three bytes at a time: read until sure.
    let mut head = Vec::with_capacity(BOM.len());
    while head.len() < BOM.len() {
        let mut byte = [0u8];
        match input.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => head.push(byte[0]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if !BOM.starts_with(&head) {
            break;
        }
    }
    if head == BOM {
        head.clear();
    }
    Ok(Cursor::new(head).chain(input))
}

/// Where the parser is, for quotes only; the same rules as the csv crate's
/// defaults (`"` quotes, `""` inside quotes is a quote, `,` and line ends
/// separate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A quote opened and never closed: where it opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed {
    /// Offset of the quote in the stream (after any byte-order mark).
    pub byte: u64,
    /// Its line, counting from 1 as the csv reader does.
    pub line: u64,
}

/// Passes bytes through unchanged while following the quoting, so that at
/// the end of the input it can say whether (and where) a quote was left open.
pub struct QuoteWatch<R> {
    inner: R,
    state: State,
    byte: u64,
    line: u64,
    opened: Unclosed,
    unclosed: Option<Unclosed>,
    /// Where the current row began (its first byte and line).
    row: Unclosed,
}

impl<R: Read> QuoteWatch<R> {
    pub fn new(inner: R) -> Self {
        QuoteWatch {
            inner,
            state: State::FieldStart,
            byte: 0,
            line: 1,
            opened: Unclosed { byte: 0, line: 1 },
            unclosed: None,
            row: Unclosed { byte: 0, line: 1 },
        }
    }

    /// Known once the input has been read to its end.
    pub fn unclosed(&self) -> Option<Unclosed> {
        self.unclosed
    }

    fn follow(&mut self, b: u8) {
        let separator = matches!(b, b',' | b'\n' | b'\r');
        self.state = match (self.state, b) {
            (State::FieldStart, b'"') => {
                self.opened = Unclosed {
                    byte: self.byte,
                    line: self.line,
                };
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, _) if separator => State::FieldStart,
            _ => State::Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
        self.byte += 1;
        if matches!(b, b'\n' | b'\r') && self.state == State::FieldStart {
            self.row = Unclosed {
                byte: self.byte,
                line: self.line,
            };
        }
    }
}

/// The longest quoted value read before the quote is taken to be one that
/// is never closed, and the longest row. No detail is anywhere near this long, and without a
/// limit the csv reader would gather the rest of a 1 GB file into memory as
/// one value before the end of the file showed the quote was never closed.
pub const MAX_QUOTED: u64 = 1 << 20;

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.state == State::Quoted {
            self.unclosed = Some(self.opened);
        }
        for &b in &buf[..n] {
            self.follow(b);
        }
        if self.state == State::Quoted && self.byte - self.opened.byte > MAX_QUOTED {
            return Err(io::Error::other(format!(
                "a quote (\") opened on line {} is still open 1 MiB later: it is probably never closed; close it, or remove it",
                self.opened.line
            )));
        }
        if self.byte - self.row.byte > MAX_QUOTED {
            return Err(io::Error::other(format!(
                "the row starting on line {} is longer than 1 MiB: this is not a members file",
                self.row.line
            )));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(text: &[u8]) -> Option<Unclosed> {
        let mut w = QuoteWatch::new(without_bom(text).unwrap());
        let mut sink = Vec::new();
        w.read_to_end(&mut sink).unwrap();
        w.unclosed()
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_line() {
        let csv = b"name,phone\r\nA,\"07700 900001\r\nB,07700 900002\r\n";
        assert_eq!(unclosed(csv), Some(Unclosed { byte: 14, line: 2 }));
        assert_eq!(
            unclosed(b"a\n\"b\"\"c\nd"),
            Some(Unclosed { byte: 2, line: 2 })
        );
    }

    #[test]
    fn a_quote_open_for_more_than_a_mebibyte_stops_the_read() {
        let mut csv = b"name\nA\n\"B".to_vec();
        csv.extend(std::iter::repeat_n(b'x', MAX_QUOTED as usize + 10));
        let mut w = QuoteWatch::new(&csv[..]);
        let err = w.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("opened on line 3"), "{err}");

        let mut csv = b"name\r\nA\r\n".to_vec();
        csv.extend(std::iter::repeat_n(b'x', MAX_QUOTED as usize + 10));
        let mut w = QuoteWatch::new(&csv[..]);
        let err = w.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("row starting on line 3"), "{err}");
    }

    #[test]
    fn closed_escaped_and_literal_quotes_are_fine() {
        for csv in [
            &b"name\n\"Riverside,\nLeeds\"\n"[..],
            b"\"say \"\"hi\"\"\",x\n",
            b"O\"Brien,x\n",
            b"\"a\"b,\"c\"",
            b"",
        ] {
            assert_eq!(unclosed(csv), None, "{}", String::from_utf8_lossy(csv));
        }
    }

    #[test]
    fn the_bom_is_dropped_even_one_byte_at_a_time() {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((&b, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = b;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut out = Vec::new();
        without_bom(Trickle(b"\xEF\xBB\xBFname"))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"name");
        let mut out = Vec::new();
        without_bom(&b"\xEFname"[..])
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"\xEFname");
    }
}
