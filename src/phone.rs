//! Mobile numbers: parsing what people type into E.164, and deciding what is plausible.

use std::fmt;

use phonenumber::country::Id;
use phonenumber::{Mode, Type};
use serde::Serialize;

/// A validated mobile number in E.164 form, e.g. `+447700900123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without the `+`, as WhatsApp writes a `wa_id`.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// The national significant number: the digits after the country code
    /// (`7700900123`), which every way of writing the number contains in
    /// order (`+44…`, `0044…`, `07…`, `+44 (0)7…`, with any separators).
    pub fn national_digits(&self) -> &str {
        let code_len = if self.0.starts_with("+44") {
            2
        } else {
            phonenumber::parse(None, &self.0)
                .map(|n| n.code().value().to_string().len())
                .unwrap_or(0)
        };
        &self.digits()[code_len.min(self.digits().len())..]
    }

    /// How the number is written at home, for a UK number (`07700900123`);
    /// `None` for other countries, whose trunk prefixes differ.
    pub fn national(&self) -> Option<String> {
        self.0.strip_prefix("+44").map(|rest| format!("0{rest}"))
    }

    /// Wraps a value read back from the database, where only valid numbers are written.
    pub fn from_stored(s: String) -> Self {
        E164(s)
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stored E.164 number as people read it, for tables: a UK mobile in
/// national form (`07700 900123`), another UK number as libphonenumber
/// writes it at home, any other country's in international form (`+33 6 12
/// 34 56 78`). Text that is not a number comes back as it is. CSV and JSON
/// keep E.164.
pub fn shown(e164: &str) -> String {
    if is_uk_mobile_shape(e164) || is_drama_mobile(e164) {
        return format!("0{} {}", &e164[3..7], &e164[7..]);
    }
    let Ok(number) = phonenumber::parse(None, e164) else {
        return e164.to_string();
    };
    let mode = if e164.starts_with("+44") {
        Mode::National
    } else {
        Mode::International
    };
    number.format().mode(mode).to_string()
}

/// Ofcom's block of mobile numbers reserved for drama: never assigned to
/// anyone, so it is what tests and examples use. libphonenumber thinks it is
/// unallocated, so it is accepted here on purpose.
fn is_drama_mobile(e164: &str) -> bool {
    e164.len() == 13 && e164.starts_with("+447700900")
}

/// A UK mobile: `+44 7` then a non-zero digit and eight more (07… at home).
fn is_uk_mobile_shape(e164: &str) -> bool {
    let b = e164.as_bytes();
    e164.len() == 13 && e164.starts_with("+447") && (b'1'..=b'9').contains(&b[4])
}

/// True when a number as written in a message is a mobile's (UK when it
/// has no country code): a personal number, by the rules of [`parse`].
pub fn is_mobile(written: &str) -> bool {
    parse(written, Id::GB).is_ok()
}

/// Parses a mobile number as people write it (`07700 900123`,
/// `+44 (0)7700 900123`, `0044 7700 900123`…), with `region` assumed when
/// there is no country code. The error says why a number was refused.
pub fn parse(input: &str, region: Id) -> Result<E164, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("the number is empty".to_string());
    }
    // Each refusal quotes what was typed: the E.164 form alone may not look
    // like it ("12" is "+4412").
    parse_typed(text, region).map_err(|why| format!("{text:?}: {why}"))
}

fn parse_typed(text: &str, region: Id) -> Result<E164, String> {
    if let Some(c) = text.chars().find(|c| c.is_alphabetic()) {
        return Err(format!(
            "letters are not allowed in a phone number (found {c:?})"
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.')))
    {
        return Err(format!("unexpected character {c:?} in a phone number"));
    }
    if let Some(e164) = uk_mobile_fast_path(text, region) {
        return Ok(E164(e164));
    }
    let number = phonenumber::parse(Some(region), text)
        .map_err(|_| "this is not a phone number".to_string())?;
    let e164 = number.format().mode(Mode::E164).to_string();

    if e164.starts_with("+44") {
        // Shape, not libphonenumber's allocation tables: those go stale, and
        // they reject the drama block that tests use.
        if is_drama_mobile(&e164) || is_uk_mobile_shape(&e164) {
            return Ok(E164(e164));
        }
        return Err(format!(
            "{e164} is not a UK mobile number (UK mobiles start 07 and have 11 digits)"
        ));
    }
    if !number.is_valid() {
        return Err(format!("{e164} is not a valid number for its country"));
    }
    match number.number_type(&phonenumber::metadata::DATABASE) {
        Type::Mobile | Type::FixedLineOrMobile => Ok(E164(e164)),
        other => Err(format!(
            "{e164} is not a mobile number (it looks like {})",
            describe(other)
        )),
    }
}

/// A WhatsApp id (`wa_id`, a message's `from`: country code and number as
/// bare digits) as a mobile number, by the same rules as a number typed into
/// `members add` or an import. Anything else (spaces, `+`, a leading 0,
/// letters) is refused rather than guessed at; the error says why.
pub fn from_wa_id(wa_id: &str) -> Result<E164, String> {
    if wa_id.is_empty() || !wa_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err("it is not digits only".into());
    }
    if wa_id.starts_with('0') {
        return Err("it has no country code".into());
    }
    // With the country code given, the region is never used.
    parse(&format!("+{wa_id}"), Id::GB).map_err(|why| format!("it is not valid ({why})"))
}

/// The common UK writings (`07…`, `+447…`, `00447…`, with spaces, dashes or
/// dots), normalised without libphonenumber, which is slow enough to dominate
/// a large import. Anything else goes the long way.
fn uk_mobile_fast_path(text: &str, region: Id) -> Option<String> {
    let mut digits = String::with_capacity(16);
    for (i, c) in text.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => digits.push(c),
            ' ' | '-' | '.' => {}
            _ => return None,
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("+44") {
        rest
    } else if let Some(rest) = digits.strip_prefix("0044") {
        rest
    } else if region == Id::GB && digits.len() == 11 {
        digits.strip_prefix('0')?
    } else {
        return None;
    };
    let e164 = format!("+44{national}");
    is_uk_mobile_shape(&e164).then_some(e164)
}

fn describe(t: Type) -> &'static str {
    match t {
        Type::FixedLine => "a landline",
        Type::TollFree => "a freephone number",
        Type::PremiumRate => "a premium-rate number",
        Type::Voip => "a VoIP number",
        Type::Pager => "a pager",
        _ => "a service number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables show numbers as people read them; E.164 stays for CSV and JSON.
    #[test]
    fn numbers_are_shown_as_people_read_them() {
        assert_eq!(shown("+447700900123"), "07700 900123");
        assert_eq!(shown("+447911123456"), "07911 123456");
        assert_eq!(shown("+33612345678"), "+33 6 12 34 56 78");
        assert_eq!(shown("(removed)"), "(removed)");
        assert_eq!(shown(""), "");
    }

    fn gb(s: &str) -> Result<String, String> {
        parse(s, Id::GB).map(|e| e.0)
    }

    #[test]
    fn the_ways_people_write_a_uk_mobile() {
        for s in [
            "07700 900123",
            "07700-900-123",
            "+44 7700 900123",
            "0044 7700 900123",
            "+44 (0)7700 900123",
            "  07700900123 ",
            "+447700900123",
        ] {
            assert_eq!(gb(s).as_deref(), Ok("+447700900123"), "{s}");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert!(gb("07700 900a12").unwrap_err().contains("letters"));
        assert!(gb("").unwrap_err().contains("empty"));
        assert!(gb("0113 496 0000").unwrap_err().contains("not a UK mobile"));
        // What was typed is quoted, not only its E.164 form.
        assert_eq!(
            gb("12").unwrap_err(),
            "\"12\": +4412 is not a UK mobile number (UK mobiles start 07 and have 11 digits)"
        );
        assert!(
            gb("07700 9000x1")
                .unwrap_err()
                .starts_with("\"07700 9000x1\": letters")
        );
        assert!(gb("07700 9001").unwrap_err().contains("not a UK mobile"));
        assert!(
            gb("07700 900123 4")
                .unwrap_err()
                .contains("not a UK mobile")
        );
        assert!(
            gb("07700_900123")
                .unwrap_err()
                .contains("unexpected character")
        );
    }

    #[test]
    fn fast_path_agrees_with_libphonenumber() {
        for s in [
            "07700 900123",
            "+44 7700-900-123",
            "0044.7700.900.123",
            "07123456789",
            "+447987654321",
        ] {
            let fast = uk_mobile_fast_path(s, Id::GB).expect(s);
            let slow = phonenumber::parse(Some(Id::GB), s)
                .unwrap()
                .format()
                .mode(Mode::E164)
                .to_string();
            assert_eq!(fast, slow, "{s}");
        }
        for s in [
            "+44 (0)7700 900123",
            "0113 496 0000",
            "447700900123",
            "+1 202 555 0100",
        ] {
            assert_eq!(uk_mobile_fast_path(s, Id::GB), None, "{s}");
        }
        assert_eq!(uk_mobile_fast_path("07700 900123", Id::IE), None);
    }

    #[test]
    fn national_digits_follow_the_country_code() {
        assert_eq!(
            parse("07700 900123", Id::GB).unwrap().national_digits(),
            "7700900123"
        );
        assert_eq!(
            E164::from_stored("+12025550100".into()).national_digits(),
            "2025550100"
        );
    }

    #[test]
    fn a_wa_id_is_a_number_only_when_an_import_would_take_it() {
        assert_eq!(
            from_wa_id("447700900123").unwrap().as_str(),
            "+447700900123"
        );
        for (wa_id, why) in [
            ("1111111111111", "not valid"),
            ("409552778964973", "not valid"),
            ("441134960000", "not a UK mobile"),
            ("+447700900123", "digits only"),
            ("07700900123", "country code"),
            ("", "digits only"),
        ] {
            let err = from_wa_id(wa_id).unwrap_err();
            assert!(err.contains(why), "{wa_id}: {err}");
        }
    }

    #[test]
    fn the_national_form_is_the_uk_one() {
        let uk = parse("+44 7700 900123", Id::GB).unwrap();
        assert_eq!(uk.national().as_deref(), Some("07700900123"));
        assert_eq!(parse("+1 202 555 0100", Id::GB).unwrap().national(), None);
    }

    #[test]
    fn wa_id_digits() {
        assert_eq!(
            parse("07700 900123", Id::GB).unwrap().digits(),
            "447700900123"
        );
    }
}
