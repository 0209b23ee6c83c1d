//! Reading an import file as a stream: its separator (a comma, or the
//! semicolon Excel writes in locales where the comma is the decimal mark) is
//! found from the header row, each row's physical line is kept (the csv
//! reader counts a CRLF row from the end of the row before), and a quote
//! that is never closed is noticed, because the csv reader silently reads
//! everything after it as one value.

use std::collections::VecDeque;
use std::io::{self, Chain, Cursor, Read};

/// The first non-blank line and the separator it uses; `None` for a file
/// with nothing but whitespace. The bytes read are handed back in front of
/// the rest, so nothing is read twice and lines keep their numbers.
#[allow(clippy::type_complexity)]
pub fn sniff<R: Read>(mut input: R) -> io::Result<(Chain<Cursor<Vec<u8>>, R>, Option<u8>)> {
    let mut head = Vec::new();
    let mut line_start = 0;
    let mut byte = [0u8];
    let separator = loop {
        let n = match input.read(&mut byte) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => other?,
        };
        let end = n == 0 || byte[0] == b'\n' || head.len() as u64 >= MAX_QUOTED;
        if n == 1 {
            head.push(byte[0]);
        }
        if end {
            let line = &head[line_start..];
            if !line.iter().all(u8::is_ascii_whitespace) || head.len() as u64 >= MAX_QUOTED {
                break Some(separator_of(line));
            }
            if n == 0 {
                break None;
            }
            line_start = head.len();
        }
    };
    Ok((Cursor::new(head).chain(input), separator))
}

/// A semicolon when the header row has more of them than commas, outside quotes.
fn separator_of(line: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// Where the parser is, for quotes only; the same rules as the csv crate's
/// defaults (`"` quotes, `""` inside quotes is a quote, the separator and
/// line ends separate).
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
    separator: u8,
    /// After a line end outside quotes: the next other byte starts a row.
    at_row_start: bool,
    /// Where rows the csv reader has not yet returned start.
    starts: VecDeque<Unclosed>,
}

impl<R: Read> QuoteWatch<R> {
    pub fn new(inner: R, separator: u8) -> Self {
        QuoteWatch {
            separator,
            at_row_start: true,
            starts: VecDeque::new(),
            inner,
            state: State::FieldStart,
            byte: 0,
            line: 1,
            opened: Unclosed { byte: 0, line: 1 },
            unclosed: None,
            row: Unclosed { byte: 0, line: 1 },
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Known once the input has been read to its end.
    pub fn unclosed(&self) -> Option<Unclosed> {
        self.unclosed
    }

    /// The physical line of the row the csv reader began reading at
    /// `byte`: the first row starting at or after it (the reader's position
    /// is the end of the row before, which for CRLF is before the `\n`, and
    /// before any blank lines). Asked in order, so earlier rows are dropped.
    pub fn line_of_row_at(&mut self, byte: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|s| s.byte < byte) {
            self.starts.pop_front();
        }
        self.starts.front().map(|s| s.line)
    }

    fn follow(&mut self, b: u8) {
        let separator = b == self.separator || matches!(b, b'\n' | b'\r');
        if self.at_row_start && !matches!(b, b'\n' | b'\r') {
            self.at_row_start = false;
            self.starts.push_back(Unclosed {
                byte: self.byte,
                line: self.line,
            });
        }
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
            self.at_row_start = true;
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
        let mut w = QuoteWatch::new(text, b',');
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
        let mut w = QuoteWatch::new(&csv[..], b',');
        let err = w.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("opened on line 3"), "{err}");

        let mut csv = b"name\r\nA\r\n".to_vec();
        csv.extend(std::iter::repeat_n(b'x', MAX_QUOTED as usize + 10));
        let mut w = QuoteWatch::new(&csv[..], b',');
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
}

#[cfg(test)]
mod sniff_tests {
    use super::*;

    fn separator(text: &[u8]) -> Option<u8> {
        let (mut rest, sep) = sniff(text).unwrap();
        let mut back = Vec::new();
        rest.read_to_end(&mut back).unwrap();
        assert_eq!(back, text, "every byte is handed back");
        sep
    }

    #[test]
    fn the_separator_comes_from_the_first_non_blank_line() {
        assert_eq!(
            separator(b"name;phone;role;location\r\nA;1,5;R;L"),
            Some(b';')
        );
        assert_eq!(separator(b"\r\n\nname;phone;role;location\n"), Some(b';'));
        assert_eq!(
            separator(b"name,phone,role,location\nA;B;C;D;E\n"),
            Some(b',')
        );
        assert_eq!(separator(b"\"a;b;c\",x,y\n"), Some(b','));
        assert_eq!(separator(b"name"), Some(b','));
    }

    #[test]
    fn only_whitespace_is_empty() {
        for text in [&b""[..], b" ", b"\r\n\r\n", b"\t \n  "] {
            assert_eq!(separator(text), None);
        }
    }

    #[test]
    fn rows_keep_their_physical_lines_for_lf_and_crlf() {
        for text in [
            &b"h\n\nA,\"x\ny\"\nB\n"[..],
            b"h\r\n\r\nA,\"x\r\ny\"\r\nB\r\n",
        ] {
            let mut rdr = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(QuoteWatch::new(text, b','));
            let mut lines = Vec::new();
            let mut record = csv::ByteRecord::new();
            while rdr.read_byte_record(&mut record).unwrap() {
                let at = record.position().unwrap().byte();
                lines.push(rdr.get_mut().line_of_row_at(at));
            }
            assert_eq!(
                lines,
                vec![Some(3), Some(5)],
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
