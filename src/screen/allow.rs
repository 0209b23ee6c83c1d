//! The team's own contact details (`[screen] allow`): phone numbers, email
//! domains or addresses, and postcodes known to be organisational. An
//! allowed value is no part of any decision: it never warns, and it never
//! counts as a detail that narrows down who a patient is.

use super::{Kind, postcodes};

/// What `[screen] allow` lists, each kept in the form it is compared in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allow {
    /// UK numbers as dialled at home (`01134960123`), other numbers as digits.
    phones: Vec<String>,
    /// Lower case, without `@`: a domain allows itself and its subdomains.
    domains: Vec<String>,
    /// Whole addresses, lower case.
    addresses: Vec<String>,
    /// Upper case, without spaces.
    postcodes: Vec<String>,
}

impl Allow {
    /// Reads the entries of `[screen] allow`. The error names the entry that
    /// is none of a phone number, an email domain or address, or a postcode.
    pub fn parse(entries: &[String]) -> Result<Allow, String> {
        let mut allow = Allow::default();
        for entry in entries {
            let e = entry.trim();
            if let Some(p) = postcode(e) {
                allow.postcodes.push(p);
            } else if let Some(number) = phone(e) {
                allow.phones.push(number);
            } else if let Some((local, domain)) = e.rsplit_once('@') {
                if !is_domain(domain) || local.contains(char::is_whitespace) {
                    return Err(not_understood(entry));
                }
                let domain = domain.to_ascii_lowercase();
                match local {
                    "" => allow.domains.push(domain),
                    _ => allow
                        .addresses
                        .push(format!("{}@{domain}", local.to_lowercase())),
                }
            } else if is_domain(e) {
                allow.domains.push(e.to_ascii_lowercase());
            } else {
                return Err(not_understood(entry));
            }
        }
        Ok(allow)
    }

    /// True when `found`, a span the screen read as `kind`, is allowed.
    pub(super) fn allows(&self, kind: Kind, found: &str) -> bool {
        match kind {
            Kind::PhoneNumber => self.phones.contains(&dialled(found)),
            Kind::Postcode => postcode(found).is_some_and(|p| self.postcodes.contains(&p)),
            Kind::Email => {
                let address = found.to_lowercase();
                let domain = address.rsplit('@').next().unwrap_or("");
                self.addresses.contains(&address)
                    || self
                        .domains
                        .iter()
                        .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
            }
            _ => false,
        }
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self == &Allow::default()
    }
}

fn not_understood(entry: &str) -> String {
    format!(
        "{entry:?} is not a phone number, an email domain (\"nhs.net\", \"@example.org\"), an email address or a postcode"
    )
}

/// A whole postcode, upper case without spaces.
fn postcode(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    (postcodes::postcode_at(&upper, 0) == Some(upper.len()))
        .then(|| upper.split_whitespace().collect())
}

/// A phone number as written in `[screen] allow`: digits with the usual
/// separators, at least nine digits.
fn phone(text: &str) -> Option<String> {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.'));
    (plain && (9..=15).contains(&digits)).then(|| dialled(text))
}

/// A number's digits as dialled in the UK: `+44 (0)113 496 0123`,
/// `0044 113 496 0123` and `0113 496 0123` are all `01134960123`.
fn dialled(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let international = text.trim_start().starts_with('+');
    let rest = if let Some(rest) = digits.strip_prefix("0044") {
        rest
    } else if let Some(rest) = digits.strip_prefix("44").filter(|_| international) {
        rest
    } else {
        return digits;
    };
    match rest.strip_prefix('0') {
        Some(_) => rest.to_string(),
        None => format!("0{rest}"),
    }
}

/// `nhs.net`, `boots.co.uk`: labels of letters, digits and hyphens, at least two.
fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(entries: &[&str]) -> Allow {
        let entries: Vec<String> = entries.iter().map(|s| s.to_string()).collect();
        Allow::parse(&entries).unwrap()
    }

    #[test]
    fn numbers_match_however_they_are_written() {
        let a = allow(&["+44 (0)113 496 0123"]);
        for written in [
            "0113 496 0123",
            "01134960123",
            "+44 113 496 0123",
            "0044 113 4960123",
        ] {
            assert!(a.allows(Kind::PhoneNumber, written), "{written}");
        }
        assert!(!a.allows(Kind::PhoneNumber, "0113 496 0124"));
        assert!(!a.allows(Kind::Email, "0113 496 0123"));
    }

    #[test]
    fn a_domain_allows_itself_and_its_subdomains_only() {
        let a = allow(&["example.org", "@Example.com", "Team.Lead@example.net"]);
        assert!(a.allows(Kind::Email, "anyone@example.org"));
        assert!(a.allows(Kind::Email, "anyone@mail.EXAMPLE.org"));
        assert!(a.allows(Kind::Email, "x@example.com"));
        assert!(!a.allows(Kind::Email, "x@notexample.org"));
        assert!(a.allows(Kind::Email, "team.lead@example.net"));
        assert!(!a.allows(Kind::Email, "someone.else@example.net"));
    }

    #[test]
    fn postcodes_match_in_any_case_and_spacing() {
        let a = allow(&["ls1 4ap"]);
        assert!(a.allows(Kind::Postcode, "LS1 4AP"));
        assert!(a.allows(Kind::Postcode, "LS14AP"));
        assert!(!a.allows(Kind::Postcode, "LS1 4AQ"));
    }

    #[test]
    fn an_allowed_value_is_no_detail_of_a_person() {
        let a = allow(&["0113 496 0123", "LS1 4AP", "example.org"]);
        let none = Allow::default();
        for text in [
            "Ring Kwame Mensah on 0113 496 0123 after 2pm",
            "Margaret Hollis, LS1 4AP, asked about the rota",
            "Send Kwame Mensah's forms to k.mensah@example.org by Friday",
        ] {
            assert!(
                crate::screen::screen_allowing(text, &a).is_empty(),
                "{text}"
            );
            let without = crate::screen::verdict(&crate::screen::screen_allowing(text, &none));
            assert_eq!(without, Some(crate::screen::Severity::Block), "{text}");
        }
        // What is not allowed still combines.
        let other = "Ring Kwame Mensah on 0113 496 0124 after 2pm";
        assert!(!crate::screen::screen_allowing(other, &a).is_empty());
    }

    #[test]
    fn entries_that_are_none_of_the_three_are_refused_by_name() {
        for bad in [
            "",
            "Boots",
            "0113",
            "ring 0113 496 0123",
            "x@",
            "a b@example.org",
        ] {
            let err = Allow::parse(&[bad.to_string()]).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }
}
