//! `[signup]`: the guided sign-up conversation's settings, resolved and
//! checked against what Meta accepts in a list message.

use std::path::PathBuf;

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::sections::{Loader, SignupSection};

/// The terms `mot init` writes beside the config, and the terms sent when
/// `[signup] terms_file` is not set.
pub const TERMS_EXAMPLE: &str = include_str!("../../terms.example.txt");

/// Roles offered when `[signup] roles` is not set.
const DEFAULT_ROLES: [&str; 6] = [
    "Community pharmacist",
    "GP practice pharmacist",
    "Pharmacy technician",
    "GP",
    "Practice nurse",
    "ICB staff",
];

/// A list message holds at most 10 rows; one is "Other".
pub const MAX_CHOICES: usize = 9;
/// Meta's limit on a list row's title, in characters.
pub const MAX_CHOICE_CHARS: usize = 24;
/// Meta's limit on a text message, in characters.
const MAX_TERMS_CHARS: usize = 4096;

/// The guided sign-up conversation.
#[derive(Debug, Clone)]
pub struct Signup {
    /// Ask a first-time sender for the four details (else today's pending
    /// member and `[inbound] welcome_reply`).
    pub guided: bool,
    /// A sign-up with all four details becomes active at once.
    pub auto_approve: bool,
    /// The service's terms, sent first.
    pub terms: String,
    /// The first 12 hex digits of the terms' SHA-256: which terms a member was sent.
    pub terms_version: String,
    /// The job roles offered in a list (with "Other").
    pub roles: Vec<String>,
    /// The working locations offered in a list (none: typed).
    pub localities: Vec<String>,
}

impl Default for Signup {
    fn default() -> Self {
        Signup {
            guided: true,
            auto_approve: false,
            terms: TERMS_EXAMPLE.trim().to_string(),
            terms_version: version(TERMS_EXAMPLE.trim()),
            roles: DEFAULT_ROLES.iter().map(|r| r.to_string()).collect(),
            localities: Vec::new(),
        }
    }
}

/// Which terms a text is: its hash, short enough to show.
fn version(terms: &str) -> String {
    hex::encode(Sha256::digest(terms.as_bytes()))[..12].to_string()
}

pub(super) fn resolve(at: &Loader, s: SignupSection) -> Result<Signup> {
    let default = Signup::default();
    let terms = match s.terms_file {
        Some(p) => read_terms(at, at.relative_to_file(p))?,
        None => default.terms,
    };
    Ok(Signup {
        guided: s.guided.unwrap_or(default.guided),
        auto_approve: s.auto_approve.unwrap_or(default.auto_approve),
        terms_version: version(&terms),
        terms,
        roles: match s.roles {
            Some(r) => choices(at, "[signup] roles", r)?,
            None => default.roles,
        },
        localities: choices(at, "[signup] localities", s.localities.unwrap_or_default())?,
    })
}

fn read_terms(at: &Loader, path: PathBuf) -> Result<String> {
    let key = "[signup] terms_file";
    let text = std::fs::read_to_string(&path)
        .map_err(|e| at.bad(key, format!("cannot read {}: {e}", path.display())))?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(at.bad(key, format!("{} is empty", path.display())));
    }
    if text.chars().count() > MAX_TERMS_CHARS {
        return Err(at.bad(key, "the terms are longer than WhatsApp's 4096 characters"));
    }
    if let Some(c) = crate::output::find_unsendable(&text, true) {
        return Err(at.bad(key, format!("the terms contain {c}")));
    }
    Ok(text)
}

/// The entries of a list question: at most 9 (one row is "Other"), each 1 to
/// 24 characters, no two alike.
fn choices(at: &Loader, key: &str, list: Vec<String>) -> Result<Vec<String>> {
    let list: Vec<String> = list.into_iter().map(|c| c.trim().to_string()).collect();
    if list.len() > MAX_CHOICES {
        return Err(at.bad(
            key,
            format!("at most {MAX_CHOICES} entries fit a WhatsApp list"),
        ));
    }
    for (i, c) in list.iter().enumerate() {
        let n = c.chars().count();
        if n == 0 || n > MAX_CHOICE_CHARS {
            return Err(at.bad(
                key,
                format!("{c:?} must be 1 to {MAX_CHOICE_CHARS} characters"),
            ));
        }
        if c.eq_ignore_ascii_case("other") || list[..i].iter().any(|p| p.eq_ignore_ascii_case(c)) {
            return Err(at.bad(
                key,
                format!("{c:?} is listed twice (\"Other\" is always added)"),
            ));
        }
    }
    Ok(list)
}
