//! Email addresses: personal contact details that a notice should not carry.

use super::{Finding, Kind, Severity};

fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn is_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// Warns about every `local@domain.tld`. A team's shared mailbox is normal in
/// a notice, so this never blocks.
pub(super) fn scan_emails(text: &str, out: &mut Vec<Finding>) {
    for (start, end) in addresses(text) {
        out.push(Finding {
            kind: Kind::Email,
            severity: Severity::Warn,
            start,
            end,
            reason: "email address: check it is not a personal one".to_string(),
        });
    }
    for (start, end) in handles(text) {
        out.push(Finding {
            kind: Kind::Email,
            severity: Severity::Warn,
            start,
            end,
            reason: "social media handle: check it is not a personal one".to_string(),
        });
    }
}

/// Words before a handle that say it is one: "her insta @kayleigh.b.x",
/// "DM her on TikTok @…".
const SOCIAL: &[&str] = &[
    "insta",
    "instagram",
    "ig",
    "twitter",
    "tiktok",
    "snapchat",
    "snap",
    "facebook",
    "fb",
    "dm",
    "handle",
    "threads",
    "x",
];

/// Parts of a professional's handle: "drsarahjones_gp", "amir_prereg".
const PROFESSIONAL: &[&str] = &[
    "gp",
    "prereg",
    "pharmacist",
    "pharmacy",
    "pharm",
    "nurse",
    "rx",
    "nhs",
    "doc",
    "mot",
    "team",
    "clinic",
    "surgery",
    "official",
];

/// The spans of the social media handles in `text` ("@lindsey_m_1985"),
/// in order: an `@` opening a word, not an email address's, two to thirty
/// letters, digits, dots or underscores, with a social network's name or
/// "DM" among the four words before it. A handle is a contact as an email
/// address is, and is read as one.
pub(super) fn handles(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        if at > 0 && !matches!(b[at - 1], b' ' | b'(' | b'\n' | b'\t' | b':') {
            continue;
        }
        let len = b[at + 1..]
            .iter()
            .take(31)
            .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
            .count();
        let name = text[at + 1..at + 1 + len].trim_end_matches('.');
        if !(2..=30).contains(&name.len()) || !name.bytes().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let before = super::window_before(text, at, 40);
        let last: Vec<&str> = super::clinical::words(before).map(|(_, w)| w).collect();
        let last = &last[last.len().saturating_sub(4)..];
        let said = |of: &[&str]| {
            last.iter()
                .any(|w| of.iter().any(|s| w.eq_ignore_ascii_case(s)))
        };
        // "follow her on X @drsarahjones_gp", "@amir_prereg": a public
        // account to follow, a professional's.
        let professional = name
            .split(['_', '.'])
            .any(|part| PROFESSIONAL.iter().any(|p| part.eq_ignore_ascii_case(p)));
        if said(SOCIAL) && !said(&["follow", "following"]) && !professional {
            spans.push((at, at + 1 + name.len()));
        }
    }
    spans
}

/// The spans of the email addresses in `text`, in order.
pub(super) fn addresses(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut next = 0;
    for (at, _) in text.match_indices('@') {
        if at < next {
            continue;
        }
        // The local part stops at the previous `@`, so the scan is linear.
        let start = at - b[..at].iter().rev().take_while(|&&c| is_local(c)).count();
        let start = start + b[start..at].iter().take_while(|&&c| c == b'.').count();
        let domain_len = b[at + 1..].iter().take_while(|&&c| is_domain(c)).count();
        let domain = text[at + 1..at + 1 + domain_len].trim_end_matches(['.', '-']);
        let end = at + 1 + domain.len();
        let tld = domain.rsplit('.').next().unwrap_or("");
        let plausible = start < at
            && domain.contains('.')
            && !domain.split('.').any(str::is_empty)
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic());
        if plausible {
            spans.push((start, end));
            next = end;
        }
    }
    spans
}

/// Mail domains of the NHS, and of government and universities: a
/// colleague's address, not a patient's.
const NHS_DOMAINS: &[&str] = &["nhs.net", "nhs.uk", "nhs.scot", "hscni.net"];
const PUBLIC_DOMAINS: &[&str] = &["gov.uk", "gov.scot", "gov.wales", "ac.uk"];

/// Words in a mail domain that make it a business's: "lloydspharmacy.co.uk".
#[rustfmt::skip]
const ORGANISATION_DOMAIN_WORDS: &[&str] = &[
    "pharmacy", "chemist", "boots", "lloyds", "surgery", "practice", "medical", "health",
    "care", "council", "clinic", "hospital", "nhs",
];

/// Free mail providers: an address there is someone's own, whoever the
/// message says they are.
#[rustfmt::skip]
const WEBMAIL_DOMAINS: &[&str] = &[
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "yahoo.com", "yahoo.co.uk",
    "outlook.com", "live.com", "live.co.uk", "icloud.com", "me.com", "aol.com", "aol.co.uk",
    "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "protonmail.com",
    "proton.me", "msn.com",
];

/// True for an address at a free mail provider: "dave.bailey@gmail.com".
pub(super) fn webmail(address: &str) -> bool {
    at_one_of(address.rsplit('@').next().unwrap_or(""), WEBMAIL_DOMAINS)
}

/// True for an NHS mail domain: "nhs.net", "wales.nhs.uk".
pub(super) fn nhs_domain(domain: &str) -> bool {
    at_one_of(domain, NHS_DOMAINS)
}

/// True when `domain` is one of `domains` or under one ("wales.nhs.uk").
fn at_one_of(domain: &str, domains: &[&str]) -> bool {
    let domain = domain.to_ascii_lowercase();
    domains
        .iter()
        .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
}

/// True for an address at an NHS, government or business domain: a
/// colleague's or an organisation's, not a patient's.
pub(super) fn organisational(address: &str) -> bool {
    let domain = address
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    at_one_of(&domain, NHS_DOMAINS)
        || at_one_of(&domain, PUBLIC_DOMAINS)
        || ORGANISATION_DOMAIN_WORDS.iter().any(|w| domain.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        scan_emails(text, &mut out);
        out.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn addresses() {
        assert_eq!(
            emails("Write to mo.team@example.nhs.uk. Or j.o'neil+x@mail.example.com!"),
            ["mo.team@example.nhs.uk", "j.o'neil+x@mail.example.com"]
        );
        assert_eq!(emails("(a@b.co)"), ["a@b.co"]);
    }

    #[test]
    fn not_addresses() {
        for t in [
            "@everyone",
            "me@home",
            "a@b.c",
            "a@.com",
            "a@b..com",
            "x@1.23",
            "@@@",
        ] {
            assert!(emails(t).is_empty(), "{t}");
        }
    }
}
