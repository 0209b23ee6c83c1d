//! What a send knows of its template's state: the one answer of
//! [`state::template_status`], asked of Meta first when it is not recent.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;
use serde::Serialize;

use crate::account::state::{self, Reporter, TemplateStatus};
use crate::config::Config;
use crate::output::printable;
use crate::whatsapp::lookup::Lookup;

/// How long what Meta last said about a template is trusted. After that a
/// send with a business account id asks Meta again before deciding: a
/// laptop without a receiver hears of a pause no other way.
pub const STATE_TRUSTED_FOR: SignedDuration = SignedDuration::from_hours(3);

/// A template's state as a send decided on it, and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateState {
    pub name: String,
    pub language: String,
    /// What Meta last said; none when it never said anything.
    #[serde(flatten)]
    pub status: Option<TemplateStatus>,
    /// Whether this send asked Meta's API just now.
    pub looked_up: bool,
    #[serde(skip)]
    now: Timestamp,
}

impl TemplateState {
    /// What Meta last said about template `name` in `language`. With a
    /// business account id and a token, when mot heard nothing of it for
    /// [`STATE_TRUSTED_FOR`], Meta's API is asked first and the answer
    /// stored as `templates sync` stores it. A look-up that fails decides
    /// nothing on its own: it is said on stderr and the last known state
    /// stands, so an urgent send is not stopped by a network fault.
    pub fn refresh(
        conn: &Connection,
        config: &Config,
        name: &str,
        language: &str,
        now: Timestamp,
    ) -> Result<TemplateState> {
        let looked_up = match config.whatsapp.business_account_id.as_deref() {
            Some(waba) if !heard_recently(conn, name, language, now)? => {
                look_up(conn, config, waba, name, language, now)?
            }
            _ => false,
        };
        Ok(TemplateState {
            name: name.to_string(),
            language: language.to_string(),
            status: state::template_status(conn, name, language)?,
            looked_up,
            now,
        })
    }
}

/// Whether mot heard anything of the template (a webhook, or Meta's API)
/// within [`STATE_TRUSTED_FOR`] of `now`.
fn heard_recently(conn: &Connection, name: &str, language: &str, now: Timestamp) -> Result<bool> {
    Ok(state::template_last_heard(conn, name, language)?
        .is_some_and(|at| now.duration_since(at) < STATE_TRUSTED_FOR))
}

/// Asks Meta's API for the template and stores what it says; whether it
/// answered. Without a token (a dry run needs none) nothing is asked.
fn look_up(
    conn: &Connection,
    config: &Config,
    waba: &str,
    name: &str,
    language: &str,
    now: Timestamp,
) -> Result<bool> {
    let Some(lookup) = Lookup::new(&config.whatsapp)? else {
        return Ok(false);
    };
    match lookup.templates(waba, Some(name)) {
        Ok(found) => {
            crate::templates::store(conn, &found, now)?;
            if !found.iter().any(|t| t.language == language) {
                crate::log_line!(
                    "warning: Meta's API has no template {:?} in {language} for this business account: Meta will refuse every message (see `mot doctor`)",
                    printable(name, 60)
                );
            }
            Ok(true)
        }
        Err(e) => {
            crate::log_line!(
                "warning: cannot look up template {:?} at Meta ({}); deciding on what Meta last said",
                printable(name, 60),
                printable(&e.to_string(), 200)
            );
            Ok(false)
        }
    }
}

/// How long ago `at` was, as a person says it.
fn ago(at: &str, now: Timestamp) -> String {
    let Ok(then) = at.parse::<Timestamp>() else {
        return format!("at {at}");
    };
    let minutes = now.duration_since(then).as_mins();
    match minutes {
        ..1 => "just now".to_string(),
        1..60 => format!("{minutes} min ago"),
        60..2_880 => format!("{} h ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1_440),
    }
}

impl std::fmt::Display for TemplateState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "template {} ({}): ",
            printable(&self.name, 60),
            self.language
        )?;
        let Some(s) = &self.status else {
            return write!(
                f,
                "Meta has not reported its state (no webhook, `mot templates sync` or look-up yet)"
            );
        };
        let source = match s.source {
            Reporter::Webhook => "a webhook",
            Reporter::Api => "Meta's API",
        };
        write!(f, "{}, from {source} {}", s.event, ago(&s.at, self.now))?;
        if self.looked_up && s.source == Reporter::Api {
            write!(f, " (looked up for this send)")?;
        }
        if let Some(reason) = &s.reason {
            write!(f, ": {reason}")?;
        }
        for warning in &s.warnings {
            write!(f, "; Meta also reported {warning}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_a_person_says_them() {
        let now: Timestamp = "2026-06-03T12:00:00Z".parse().unwrap();
        assert_eq!(ago("2026-06-03T11:59:30Z", now), "just now");
        assert_eq!(ago("2026-06-03T11:20:00Z", now), "40 min ago");
        assert_eq!(ago("2026-06-03T10:00:00Z", now), "2 h ago");
        assert_eq!(ago("2026-05-30T12:00:00Z", now), "4 days ago");
        assert_eq!(ago("soon", now), "at soon");
    }
}
