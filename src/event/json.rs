//! Reading a webhook body as JSON: the one reader the receiver checks a body
//! with before answering 200 and every later reader (the scrub, the relay,
//! applying) sees the result of, so a body is never acknowledged and then
//! dropped at apply time.
//!
//! It is lenient where Meta's producers are known to be sloppy and where a
//! hostile body could sink its neighbours:
//! - WhatsApp cuts long texts by UTF-16 code units, so a text can end in half
//!   an emoji, a lone surrogate escape such as `\ud83d` that strict JSON
//!   parsers (serde_json among them) refuse — which would sink every other
//!   event in the same body, a STOP included. A lone surrogate becomes U+FFFD.
//! - A value nested deeper than any webhook Meta sends (past [`MAX_DEPTH`])
//!   would trip serde_json's recursion limit and sink the body the same way:
//!   it becomes `null`, so only the item that carried it is lost.

use std::borrow::Cow;

use serde_json::Value;

use super::ParseError;

/// The same escape, in the same number of bytes, for a character that is
/// not there.
const REPLACEMENT: &[u8; 6] = b"\\ufffd";

/// The deepest nesting kept: Meta's webhooks stay within about ten levels,
/// and serde_json refuses past 128.
pub const MAX_DEPTH: usize = 64;

/// The body with every lone UTF-16 surrogate escape replaced by `\ufffd` and
/// every array or object nested past [`MAX_DEPTH`] replaced by `null`;
/// borrowed (no copy) when there is neither, which is nearly always. A body
/// that is not JSON stays not JSON (the parser says why).
pub fn repair(body: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    // Bytes of `body` already copied to `out` (once there is one).
    let mut copied = 0;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_string {
            match b {
                b'"' => in_string = false,
                b'\\' if body.get(i + 1) == Some(&b'u') => {
                    if let Some((len, lone)) = unicode_escape(body, i) {
                        if lone {
                            let o = out.get_or_insert_with(Vec::new);
                            o.extend_from_slice(&body[copied..i]);
                            o.extend_from_slice(REPLACEMENT);
                            copied = i + 6;
                        }
                        i += len;
                        continue;
                    }
                    i += 2;
                    continue;
                }
                b'\\' => {
                    i += 2;
                    continue;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' if depth == MAX_DEPTH => {
                let end = skip_value(body, i);
                let o = out.get_or_insert_with(Vec::new);
                o.extend_from_slice(&body[copied..i]);
                o.extend_from_slice(b"null");
                copied = end;
                i = end;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    match out {
        Some(mut repaired) => {
            repaired.extend_from_slice(&body[copied.min(body.len())..]);
            Cow::Owned(repaired)
        }
        None => Cow::Borrowed(body),
    }
}

/// A `\\uXXXX` escape at `at`: its length (6, or 12 for a surrogate pair)
/// and whether it is a lone surrogate. `None` if it is cut short.
fn unicode_escape(body: &[u8], at: usize) -> Option<(usize, bool)> {
    Some(match hex4(body, at + 2)? {
        0xD800..=0xDBFF => {
            let pair = body.get(at + 6..at + 8) == Some(b"\\u")
                && matches!(hex4(body, at + 8), Some(0xDC00..=0xDFFF));
            if pair { (12, false) } else { (6, true) }
        }
        0xDC00..=0xDFFF => (6, true),
        _ => (6, false),
    })
}

/// The end (exclusive) of the array or object opening at `at`, strings
/// respected; the end of the body if it never closes.
fn skip_value(body: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = at;
    while i < body.len() {
        match (in_string, body[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => depth += 1,
            (false, b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    body.len()
}

/// Four hex digits at `at`, as a number.
fn hex4(body: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(body.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

/// Parses a body, repaired first.
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
    fn too_deep_a_value_becomes_null_and_its_neighbours_stay() {
        // Brackets inside a string do not count.
        let deep = format!(
            r#"{{"a":{}"x]}}"{},"b":"STOP","c":[[1]]}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let v = read(deep.as_bytes()).expect("readable");
        assert_eq!(v["b"], "STOP");
        assert_eq!(v["c"], serde_json::json!([[1]]));
        let mut a = &v["a"];
        let mut levels = 0;
        while let Some(inner) = a.get(0) {
            a = inner;
            levels += 1;
        }
        assert_eq!((levels, a), (MAX_DEPTH - 1, &Value::Null));
        assert!(!deep.contains("null") && !v.to_string().contains("x]}"));
        let fine = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(matches!(repair(fine.as_bytes()), Cow::Borrowed(_)));
        // Unbalanced stays unreadable.
        assert!(read(b"[[[").is_err());
        assert!(read("[".repeat(100).as_bytes()).is_err());
    }
}
