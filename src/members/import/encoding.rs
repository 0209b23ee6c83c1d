//! Which text encoding an import file is in, decided from its bytes as they
//! stream past. Excel's default "CSV (Comma delimited)" is Windows-1252, its
//! "CSV UTF-8" is UTF-8 with a byte-order mark: a file that starts with the
//! mark, or whose first non-ASCII text is valid UTF-8, is UTF-8; a file
//! whose first non-ASCII byte is not valid UTF-8 is Windows-1252. Up to that
//! byte both encodings read ASCII the same, so the switch needs no second
//! pass over the file (stdin included) and no buffering.
//!
//! A file can mix the two: a Windows-1252 file with a name pasted in as
//! UTF-8 would read "José" as "JosÃ©". Read as Windows-1252, a well-formed
//! UTF-8 sequence of two to four bytes ("Ã©") is next to never real text,
//! so each is noted as a [`Stray`] for the row that holds it to refuse.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

use encoding_rs::WINDOWS_1252;
use serde::{Serialize, Serializer};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding an import file was read as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Encoding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A well-formed UTF-8 sequence in a file read as Windows-1252.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    /// Where its decoded text starts in the decoded stream.
    pub at: u64,
    /// The character the bytes mean in UTF-8 ("é").
    pub meant: String,
    /// What they read as in Windows-1252 ("Ã©"), as the row holds them.
    pub read_as: String,
}

/// The input is UTF-16 (Excel's "Unicode Text", Notepad's "Unicode"),
/// which neither encoding above reads: refused as a whole, not guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf16;

impl fmt::Display for Utf16 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the file is UTF-16 text (Excel's \"Unicode Text\" or Notepad's \"Unicode\"), not a CSV file")
    }
}

impl std::error::Error for Utf16 {}

/// UTF-16 from its first bytes: a UTF-16 byte-order mark, or the NUL that
/// every ASCII character of UTF-16 carries, in every other byte. A CSV file
/// has no NULs, so a header row that looks like this is never a false alarm.
fn is_utf16(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &head[..head.len().min(64) & !1];
    let zero_at = |parity: usize| head.iter().skip(parity).step_by(2).all(|&b| b == 0);
    !head.is_empty() && head.iter().any(|&b| b != 0) && (zero_at(0) || zero_at(1))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Only ASCII so far (after any byte-order mark's absence).
    Undecided,
    /// UTF-8: bytes pass through unchanged, and a row with bytes that are
    /// not UTF-8 is reported as such (a file mixing two encodings).
    Utf8,
    Windows1252,
}

/// Hands over the input as UTF-8, without its byte-order mark.
pub struct Decode<R> {
    inner: R,
    started: bool,
    mode: Mode,
    /// The start of a UTF-8 sequence split across two reads.
    pending: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    eof: bool,
    /// Where `out` starts in the decoded stream.
    base: u64,
    /// UTF-8 sequences found in a Windows-1252 file, not yet taken.
    strays: VecDeque<Stray>,
}

impl<R: Read> Decode<R> {
    pub fn new(inner: R) -> Self {
        Decode {
            inner,
            started: false,
            mode: Mode::Undecided,
            pending: Vec::new(),
            out: Vec::new(),
            at: 0,
            eof: false,
            base: 0,
            strays: VecDeque::new(),
        }
    }

    /// Whether the input is known to be UTF-8: a byte-order mark, or
    /// non-ASCII text that was valid UTF-8. An ASCII-only start is not.
    pub fn proven_utf8(&self) -> bool {
        self.mode == Mode::Utf8
    }

    /// The UTF-8 sequences found (in a Windows-1252 file) before `end` in
    /// the decoded stream; they are handed over once.
    pub fn take_strays(&mut self, end: u64) -> Vec<Stray> {
        let n = self.strays.iter().take_while(|s| s.at < end).count();
        self.strays.drain(..n).collect()
    }

    /// The encoding as decided so far (final once the input is read).
    pub fn encoding(&self) -> Encoding {
        if self.mode == Mode::Windows1252 {
            Encoding::Windows1252
        } else {
            Encoding::Utf8
        }
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }

    /// Reads the next chunk into `out`; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        self.base += self.out.len() as u64;
        self.out.clear();
        self.at = 0;
        let mut data = std::mem::take(&mut self.pending);
        let mut chunk = [0u8; 8192];
        let first = !self.started;
        if !self.started {
            // A pipe may hand over fewer than three bytes at a time: read
            // until the byte-order mark is known to be there or not.
            self.started = true;
            while data.len() < BOM.len() && BOM.starts_with(&data) {
                let n = self.read_raw(&mut chunk[..1])?;
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&chunk[..n]);
            }
            if data == BOM {
                data.clear();
                self.mode = Mode::Utf8;
            }
        }
        if !self.eof {
            let n = self.read_raw(&mut chunk)?;
            self.eof = n == 0;
            data.extend_from_slice(&chunk[..n]);
        }
        if first && self.mode == Mode::Undecided && is_utf16(&data) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Utf16));
        }
        if data.is_empty() {
            return Ok(!self.eof);
        }
        match self.mode {
            Mode::Utf8 => self.out = data,
            Mode::Windows1252 => self.decode_1252(&data),
            Mode::Undecided => self.decide(data),
        }
        Ok(true)
    }

    fn decide(&mut self, data: Vec<u8>) {
        let (valid, broken) = match std::str::from_utf8(&data) {
            Ok(_) => (data.len(), false),
            Err(e) => (e.valid_up_to(), e.error_len().is_some() || self.eof),
        };
        if !data[..valid].is_ascii() {
            self.mode = Mode::Utf8;
            self.out = data;
        } else if broken {
            // Everything before was ASCII, the same in both encodings.
            self.mode = Mode::Windows1252;
            self.out.extend_from_slice(&data[..valid]);
            self.decode_1252(&data[valid..]);
        } else {
            // A sequence split across reads: finish it with the next chunk.
            self.out.extend_from_slice(&data[..valid]);
            self.pending = data[valid..].to_vec();
        }
    }
}

impl<R> Decode<R> {
    /// Appends `data` decoded as Windows-1252 to `out`, noting each
    /// well-formed UTF-8 sequence in it. A sequence the read may have cut
    /// (a lead byte and continuation bytes at the very end) waits for the
    /// next read in `pending`.
    fn decode_1252(&mut self, data: &[u8]) {
        let mut from = 0;
        let mut i = 0;
        while i < data.len() {
            let len = match data[i] {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let end = i + len;
            if end > data.len() {
                let continues = data[i + 1..].iter().all(|b| (0x80..=0xBF).contains(b));
                if continues && !self.eof {
                    self.pending = data[i..].to_vec();
                    break;
                }
                i += 1;
                continue;
            }
            let Ok(meant) = std::str::from_utf8(&data[i..end]) else {
                i += 1;
                continue;
            };
            self.push_1252(&data[from..i]);
            let read_as = WINDOWS_1252.decode_without_bom_handling(&data[i..end]).0;
            self.strays.push_back(Stray {
                at: self.base + self.out.len() as u64,
                meant: meant.to_string(),
                read_as: read_as.clone().into_owned(),
            });
            self.out.extend_from_slice(read_as.as_bytes());
            i = end;
            from = end;
        }
        let upto = if self.pending.is_empty() {
            data.len()
        } else {
            i
        };
        self.push_1252(&data[from..upto]);
    }

    fn push_1252(&mut self, data: &[u8]) {
        let text = WINDOWS_1252.decode_without_bom_handling(data).0;
        self.out.extend_from_slice(text.as_bytes());
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands over one byte per read, as a slow pipe may.
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

    fn decode(input: impl Read) -> (String, Encoding) {
        let mut d = Decode::new(input);
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        (String::from_utf8_lossy(&out).into_owned(), d.encoding())
    }

    #[test]
    fn utf8_with_or_without_bom_is_unchanged() {
        for input in [&b"\xEF\xBB\xBFZo\xC3\xAB"[..], b"Zo\xC3\xAB"] {
            assert_eq!(decode(input), ("Zoë".into(), Encoding::Utf8));
            assert_eq!(decode(Trickle(input)), ("Zoë".into(), Encoding::Utf8));
        }
        assert_eq!(decode(&b"\xEFname"[..]).1, Encoding::Windows1252);
        assert_eq!(decode(&b""[..]), (String::new(), Encoding::Utf8));
    }

    #[test]
    fn windows_1252_is_decoded_even_after_a_long_ascii_start() {
        let mut data = vec![b'a'; 20_000];
        data.extend_from_slice(b"Zo\xEB Si\xE2n \x80");
        let (text, enc) = decode(&data[..]);
        assert_eq!(enc, Encoding::Windows1252);
        assert!(text.ends_with("aZoë Siân €"), "{}", &text[19_990..]);
        assert_eq!(decode(Trickle(&data)).0, text);
    }

    #[test]
    fn utf16_is_refused_with_or_without_its_byte_order_mark() {
        let text = "name\tphone\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for data in [
            [&[0xFF, 0xFE][..], &le].concat(),
            [&[0xFE, 0xFF][..], &be].concat(),
            le,
            be,
        ] {
            for mut input in [
                Box::new(&data[..]) as Box<dyn Read>,
                Box::new(Trickle(&data)),
            ] {
                let err = Decode::new(&mut input)
                    .read_to_end(&mut Vec::new())
                    .unwrap_err();
                assert!(err.get_ref().is_some_and(|e| e.is::<Utf16>()), "{err}");
            }
        }
        // Windows-1252 and UTF-8 that merely start with those bytes' cousins are not.
        assert_eq!(decode(&b"\xFFname"[..]).1, Encoding::Windows1252);
    }

    #[test]
    fn a_file_ending_mid_sequence_is_windows_1252() {
        assert_eq!(
            decode(&b"Zo\xC3"[..]),
            ("ZoÃ".into(), Encoding::Windows1252)
        );
    }

    /// A UTF-8 "é" in a Windows-1252 file is noted where its text starts
    /// in the decoded stream, even when a read cuts it in two.
    #[test]
    fn utf8_in_a_windows_1252_file_is_noted_where_it_lands() {
        let data = b"Zo\xEB\nJos\xC3\xA9\n\xC3";
        for input in [
            Box::new(&data[..]) as Box<dyn Read>,
            Box::new(Trickle(data)),
        ] {
            let mut d = Decode::new(input);
            let mut out = Vec::new();
            d.read_to_end(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), "Zoë\nJosÃ©\nÃ");
            let strays = d.take_strays(u64::MAX);
            let found: Vec<(u64, &str, &str)> = strays
                .iter()
                .map(|s| (s.at, s.meant.as_str(), s.read_as.as_str()))
                .collect();
            assert_eq!(found, [(8, "é", "Ã©")]);
            assert!(d.take_strays(u64::MAX).is_empty(), "handed over once");
        }
        // Windows-1252 letters side by side are not UTF-8.
        let mut d = Decode::new(&b"\xC9\xE9\xE0 \xD6zil"[..]);
        d.read_to_end(&mut Vec::new()).unwrap();
        assert!(d.take_strays(u64::MAX).is_empty());
    }

    #[test]
    fn once_utf8_bad_bytes_pass_through_for_the_row_to_report() {
        let (text, enc) = decode(&b"Zo\xC3\xAB\nSi\xE2n"[..]);
        assert_eq!(enc, Encoding::Utf8);
        assert_eq!(text, "Zoë\nSi\u{fffd}n");
    }
}
