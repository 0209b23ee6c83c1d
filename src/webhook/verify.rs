//! Verifying `X-Hub-Signature-256`: the HMAC-SHA256 Meta sends with every webhook POST.
//!
//! Verification runs on the raw body before any parsing, so a forged or
//! truncated payload never reaches the JSON parser or the database.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header's scheme prefix; Meta sends it lowercase, but header values are
/// not case-sensitive by any rule we can rely on, so compare without case.
const PREFIX: &str = "sha256=";

/// A SHA-256 digest is 32 bytes, so exactly 64 hex digits.
const HEX_LEN: usize = 64;

/// Why a webhook signature was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No `X-Hub-Signature-256` header at all.
    Missing,
    /// A header that is not `sha256=` followed by 64 hex digits.
    Malformed,
    /// A well-formed signature that was not made with our app secret over this body.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureError::Missing => "missing x-hub-signature-256 header",
            SignatureError::Malformed => "malformed x-hub-signature-256 header",
            SignatureError::Mismatch => "webhook signature does not match the app secret",
        })
    }
}

impl std::error::Error for SignatureError {}

/// Checks `X-Hub-Signature-256: sha256=<64 hex>` over the raw body with the
/// app secret, in constant time.
pub fn verify(app_secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    // HTTP strips optional whitespace around header values; a hand-rolled
    // proxy might not, and a stray space is not a forgery.
    let header = header.trim_matches(|c: char| c == ' ' || c == '\t');
    let hex_digits = match header.get(..PREFIX.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(PREFIX) => &header[PREFIX.len()..],
        _ => return Err(SignatureError::Malformed),
    };
    if hex_digits.len() != HEX_LEN {
        return Err(SignatureError::Malformed);
    }
    let mut expected = [0u8; HEX_LEN / 2];
    hex::decode_to_slice(hex_digits, &mut expected).map_err(|_| SignatureError::Malformed)?;
    // `verify_slice` compares in constant time, so response timing reveals
    // nothing about how many leading bytes of a guess were right.
    mac(app_secret, body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The header value for a body, for tests, fixtures and the mock that posts webhooks.
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let digest = mac(app_secret, body).finalize().into_bytes();
    format!("{PREFIX}{}", hex::encode(digest))
}

fn mac(app_secret: &[u8], body: &[u8]) -> HmacSha256 {
    // HMAC hashes over-long keys and pads short ones, so every key length is valid.
    let mut mac = HmacSha256::new_from_slice(app_secret).expect("hmac accepts keys of any length");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-app-secret-not-real";
    const BODY: &[u8] = br#"{"object":"whatsapp_business_account","entry":[]}"#;

    fn signed() -> String {
        sign(SECRET, BODY)
    }

    #[test]
    fn sign_has_the_documented_shape() {
        let header = signed();
        let digits = header.strip_prefix("sha256=").unwrap();
        assert_eq!(digits.len(), 64);
        assert!(
            digits
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
    }

    #[test]
    fn sign_matches_a_known_hmac_sha256_vector() {
        // RFC 4231 test case 2.
        let header = sign(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            header,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn good_signature_is_accepted() {
        assert_eq!(verify(SECRET, BODY, Some(&signed())), Ok(()));
    }

    #[test]
    fn fixture_signed_at_run_time_is_accepted() {
        let body = include_bytes!("../../tests/fixtures/webhooks/status_delivered.json");
        assert_eq!(verify(SECRET, body, Some(&sign(SECRET, body))), Ok(()));
    }

    #[test]
    fn one_flipped_byte_in_the_body_is_a_mismatch() {
        let mut body = BODY.to_vec();
        body[10] ^= 0x01;
        assert_eq!(
            verify(SECRET, &body, Some(&signed())),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn wrong_secret_is_a_mismatch() {
        let header = sign(b"some-other-secret", BODY);
        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn flipped_digit_in_the_signature_is_a_mismatch() {
        let mut header = signed().into_bytes();
        let last = header.len() - 1;
        header[last] = if header[last] == b'0' { b'1' } else { b'0' };
        let header = String::from_utf8(header).unwrap();
        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn uppercase_hex_and_prefix_are_accepted() {
        let header = signed().to_ascii_uppercase();
        assert!(header.starts_with("SHA256="));
        assert_eq!(verify(SECRET, BODY, Some(&header)), Ok(()));
    }

    #[test]
    fn surrounding_whitespace_is_tolerated() {
        let header = format!(" {} ", signed());
        assert_eq!(verify(SECRET, BODY, Some(&header)), Ok(()));
    }

    #[test]
    fn missing_header() {
        assert_eq!(verify(SECRET, BODY, None), Err(SignatureError::Missing));
    }

    #[test]
    fn empty_header_is_malformed() {
        assert_eq!(
            verify(SECRET, BODY, Some("")),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(SECRET, BODY, Some("sha256=")),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn wrong_length_is_malformed() {
        let header = signed();
        let short = &header[..header.len() - 1];
        let long = format!("{header}0");
        assert_eq!(
            verify(SECRET, BODY, Some(short)),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(SECRET, BODY, Some(&long)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn non_hex_digits_are_malformed() {
        let header = format!("sha256={}", "g".repeat(64));
        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn sha1_prefix_is_malformed() {
        let header = signed().replacen("sha256=", "sha1=", 1);
        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Malformed)
        );
        // A 40-digit SHA-1 value, as the older X-Hub-Signature header carries.
        let sha1 = format!("sha1={}", "a".repeat(40));
        assert_eq!(
            verify(SECRET, BODY, Some(&sha1)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn garbage_is_malformed() {
        for header in [
            "garbage",
            "sha256",
            "=",
            "sha256:abc",
            "ş",
            "sha256=\u{e9}",
            "Bearer abc",
        ] {
            assert_eq!(
                verify(SECRET, BODY, Some(header)),
                Err(SignatureError::Malformed),
                "{header:?}"
            );
        }
        // Multi-byte characters where the prefix would end must not panic on slicing.
        let header = format!("sha25\u{e9}{}", "a".repeat(64));
        assert_eq!(
            verify(SECRET, BODY, Some(&header)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn display_is_lowercase() {
        for e in [
            SignatureError::Missing,
            SignatureError::Malformed,
            SignatureError::Mismatch,
        ] {
            let text = e.to_string();
            assert_eq!(text, text.to_lowercase());
        }
    }
}
