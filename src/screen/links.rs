//! What a web link carries: its path and query values, decoded, so that
//! `https://x/?nhs=…&dob=…&name=John+Smith` is read like the text "nhs …
//! dob … name John Smith". A survey's or a form's id decodes to a word of
//! letters and digits, which nothing recognises, so such links still pass.

/// The text followed by each link's decoded parts, each on its own line,
/// with the way back from a span of the decoded parts to its link.
pub(super) struct WithLinks {
    pub(super) text: String,
    /// Where the original text ends in `text`.
    original_len: usize,
    /// (start of a link's decoded part in `text`, the link's span).
    decoded: Vec<(usize, (usize, usize))>,
}

impl WithLinks {
    /// True when `at` lies in a link's decoded part, not the original text.
    pub(super) fn is_decoded(&self, at: usize) -> bool {
        at >= self.original_len
    }

    /// The span in the original text: a span of a decoded part is its link's.
    pub(super) fn original(&self, start: usize, end: usize) -> (usize, usize) {
        if start < self.original_len {
            return (start, end.min(self.original_len));
        }
        let i = self.decoded.partition_point(|&(s, _)| s <= start);
        // `start` lies past the original text, so some part starts before it.
        self.decoded[i.saturating_sub(1)].1
    }
}

/// What opens each decoded part, after a line break: an invisible
/// separator, which normalised text never holds, so that a rule about the
/// end of the message ("… Thanks - Moira") can stop there
/// ([`before_decoded`]).
const DECODED: char = '\u{2063}';

/// `rest` up to the first decoded part of a link appended after the text:
/// what the message itself says from there to its end.
fn before_decoded(rest: &str) -> &str {
    let mut mark = [0u8; 4];
    let mark: &str = DECODED.encode_utf8(&mut mark);
    rest.find(mark)
        .map_or(rest, |i| rest[..i].trim_end_matches('\n'))
}

/// Where the message itself ends in `text`, before the decoded parts of
/// its links: found once per text, for [`rest_of_message`].
pub(super) fn message_end(text: &str) -> usize {
    before_decoded(text).len()
}

/// What the message says from `from` to its end (`end`, from
/// [`message_end`]), or, from inside a decoded part, to that part's end.
/// Asked for every name, so it is not searched for again each time: a
/// long message is not read to its end once per name.
pub(super) fn rest_of_message(text: &str, end: usize, from: usize) -> &str {
    if from <= end {
        &text[from..end]
    } else {
        before_decoded(&text[from..])
    }
}

/// `text` with the decoded parts of `links` (sorted spans) after it.
pub(super) fn with_decoded(text: &str, links: &[(usize, usize)]) -> WithLinks {
    let mut all = text.to_string();
    let mut decoded = Vec::new();
    for &(start, end) in links {
        let part = decode(&text[start..end]);
        if part.trim().is_empty() {
            continue;
        }
        all.push('\n');
        all.push(DECODED);
        decoded.push((all.len(), (start, end)));
        all.push_str(&part);
    }
    WithLinks {
        text: all,
        original_len: text.len(),
        decoded,
    }
}

/// The path, query and fragment of a link as words: separators become
/// spaces, `%XX` and `+` are decoded, and a word's letters are parted from
/// the digits after them ("dob05041947" reads "dob 05041947"), unless they
/// are a code's capitals before a short number ("promo=MOT10", "QIV3").
fn decode(link: &str) -> String {
    let after_scheme = link.find("://").map_or(link, |i| &link[i + 3..]);
    let Some(path) = after_scheme.find('/').map(|i| &after_scheme[i..]) else {
        return String::new();
    };
    let mut out = String::new();
    for piece in path.split(['/', '?', '&', '=', '#', ';']) {
        let piece = percent_decode(piece);
        let letters = piece.chars().take_while(|c| c.is_alphabetic()).count();
        let digits = piece
            .chars()
            .skip(letters)
            .take_while(char::is_ascii_digit)
            .count();
        let code = letters >= 2
            && (1..=3).contains(&digits)
            && piece.chars().take(letters).all(|c| c.is_uppercase());
        let mut previous: Option<char> = None;
        for (i, c) in piece.char_indices() {
            let next = piece[i + c.len_utf8()..].chars().next();
            let joins_digits = c == '-' || c == '.';
            let c = match c {
                '+' | '_' => ' ',
                // "1951-06-02" keeps its dashes; "eileen-brackenbury" does not.
                _ if joins_digits
                    && !(previous.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit())) =>
                {
                    ' '
                }
                _ => c,
            };
            if c.is_ascii_digit() && previous.is_some_and(char::is_alphabetic) && !code {
                out.push(' ');
            }
            out.push(if c.is_control() { ' ' } else { c });
            previous = Some(c);
        }
        out.push(' ');
    }
    out
}

/// `%XX` escapes decoded as UTF-8 (invalid sequences become U+FFFD).
fn percent_decode(piece: &str) -> String {
    let b = piece.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            bytes.push((h * 16 + l) as u8);
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_and_paths_read_as_words() {
        assert_eq!(
            decode("https://example.org/form?nhs=9990000018&dob=1951-06-02&name=John+Smith").trim(),
            "form nhs 9990000018 dob 1951-06-02 name John Smith"
        );
        assert_eq!(
            decode("https://e.com/r?patient=Margaret%20Hollis&dob=02%2F06%2F1951").trim(),
            "r patient Margaret Hollis dob 02/06/1951"
        );
        assert_eq!(
            decode("https://e.org/p/eileen-brackenbury-1943/x").trim(),
            "p eileen brackenbury 1943 x"
        );
        assert_eq!(
            decode("http://e.com/u?f=scan_jones_dob05041947.pdf").trim(),
            "u f scan jones dob 05041947 pdf"
        );
        assert_eq!(
            decode("https://events.example.com/ych2027?promo=MOT10").trim(),
            "ych 2027 promo MOT10"
        );
        assert_eq!(decode("https://example.org"), "");
    }

    #[test]
    fn a_span_in_a_decoded_part_maps_to_its_link() {
        let text = "see https://e.org/a?n=1 and https://e.org/b?n=2";
        let links = [(4, 23), (28, text.len())];
        let w = with_decoded(text, &links);
        let second = w.text.rfind("n 2").unwrap();
        assert_eq!(w.original(second, second + 3), (28, text.len()));
        assert_eq!(w.original(0, 3), (0, 3));
    }

    #[test]
    fn bad_escapes_do_not_panic() {
        for link in [
            "https://e.org/%",
            "https://e.org/%zz",
            "https://e.org/%ff%fe",
            "https://e.org/é%C3",
        ] {
            let _ = decode(link);
        }
    }
}
