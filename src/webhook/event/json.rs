//! Reading a webhook body as JSON: the one reader the receiver checks a body
//! with before answering 200 and every later reader (the scrub, the relay,
//! applying) sees the result of, so a body is never acknowledged and then
//! dropped at apply time.
//!
//! It is lenient where Meta's producers are known to be sloppy: WhatsApp
//! cuts long texts by UTF-16 code units, so a text can end in half an emoji,
//! a lone surrogate escape such as `\ud83d` that strict JSON parsers
//! (serde_json among them) refuse — which would sink every other event in the
//! same body, a STOP included. A lone surrogate becomes U+FFFD instead.
//! Nesting deeper than serde_json's recursion limit (128) is refused, since
//! no webhook Meta sends comes near it.

use std::borrow::Cow;

use serde_json::Value;

use super::ParseError;

/// The same escape, in the same number of bytes, for a character that is
/// not there.
const REPLACEMENT: &[u8; 6] = b"\\ufffd";

/// The body with every lone UTF-16 surrogate escape replaced by `\ufffd`;
/// borrowed (no copy) when there is none, which is nearly always.
pub fn repair(body: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while let Some(off) = body
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\\'))
    {
        let at = i + off;
        if body.get(at + 1) != Some(&b'u') {
            // Any other escape is two bytes; skipping both keeps `\\u…` (an
            // escaped backslash before a `u`) from being read as an escape.
            i = at + 2;
            continue;
        }
        i = at + 6;
        let lone = match hex4(body, at + 2) {
            Some(0xD800..=0xDBFF) => {
                let pair = body.get(at + 6..at + 8) == Some(b"\\u")
                    && matches!(hex4(body, at + 8), Some(0xDC00..=0xDFFF));
                if pair {
                    i = at + 12;
                }
                !pair
            }
            Some(0xDC00..=0xDFFF) => true,
            _ => false,
        };
        if lone {
            out.get_or_insert_with(|| body.to_vec())[at..at + 6].copy_from_slice(REPLACEMENT);
        }
    }
    match out {
        Some(repaired) => Cow::Owned(repaired),
        None => Cow::Borrowed(body),
    }
}

/// Four hex digits at `at`, as a number.
fn hex4(body: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(body.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

/// Parses a (repaired) body; too deep a body is an error like any other.
pub fn read(body: &[u8]) -> Result<Value, ParseError> {
    serde_json::from_slice(&repair(body))
        .map_err(|e| ParseError(format!("webhook body is not json: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str) -> String {
        let json = format!(r#"{{"t":"{body}"}}"#);
        let v: Value = serde_json::from_slice(&repair(json.as_bytes())).expect(body);
        v["t"].as_str().unwrap().to_owned()
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        assert_eq!(text(r"half \ud83d"), "half \u{fffd}");
        assert_eq!(text(r"\ude00 low first"), "\u{fffd} low first");
        assert_eq!(text(r"\ud83d\ud83d\ude00"), "\u{fffd}\u{1F600}");
        assert_eq!(text(r"whole \ud83d\ude00"), "whole \u{1F600}");
        assert_eq!(text(r"\uD83D"), "\u{fffd}");
        assert_eq!(text(r"not an escape \\ud83d"), r"not an escape \ud83d");
        assert_eq!(text(r"\\\ud83d"), "\\\u{fffd}");
        assert_eq!(text(r"\u00e9 \n"), "\u{e9} \n");
    }

    #[test]
    fn a_body_without_a_lone_surrogate_is_not_copied() {
        let body = br#"{"t":"\ud83d\ude00 \u00e9"}"#;
        assert!(matches!(repair(body), Cow::Borrowed(_)));
        // A cut-off escape at the very end is left for the parser to refuse.
        assert!(matches!(repair(br#"{"t":"\ud8"#), Cow::Borrowed(_)));
        assert!(read(br#"{"t":"\ud8"#).is_err());
    }

    #[test]
    fn too_deep_a_body_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(read(deep.as_bytes()).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(read(fine.as_bytes()).is_ok());
    }
}
