//! The checks a new broadcast passes before anything is written, each
//! once: the config, the patient-data screen, the template's parameters
//! and the audience; and what the sender is given from the config.

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::Connection;

use super::{Message, TemplateSetting, To};
use crate::broadcast::sender::Settings;
use crate::broadcast::{self, Audience, Selection};
use crate::config::Config;
use crate::exit::{Exit, Failure, error_with_help};
use crate::members::finding::{self, FilterCount};
use crate::screen::{self, Allow, Finding, Severity};
use crate::whatsapp::Client;

/// Everything a send needs from the config, said at once; the connection
/// details are not needed for a dry run.
pub(super) fn require(config: &Config, message: &Message, dry_run: bool) -> Result<()> {
    let mut items: Vec<(&str, &str)> = Vec::new();
    let help;
    if let Message::Compose { template, .. } = message
        && template.name.is_none()
    {
        help = format!(
            "{} in the config: the name of an approved WhatsApp template",
            template.key
        );
        items.push(("a message template", &help));
    }
    let connection = config.whatsapp.missing();
    if !dry_run {
        items.extend(connection.iter().copied());
    }
    match crate::exit::missing(Exit::Error, &items) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// The text as the template's body parameters. A synced template says how
/// many it takes, unless the config says.
pub(super) fn parameters(
    text: &str,
    setting: &TemplateSetting,
    synced: Option<&crate::templates::Template>,
    dry_run: bool,
) -> Result<Vec<String>> {
    let (body_params, fixed_chars) = match synced {
        Some(t) if !setting.body_params_set && (1..=10).contains(&t.body_params) => {
            (t.body_params, setting.fixed_chars.max(t.fixed_chars()))
        }
        _ => (setting.body_params, setting.fixed_chars),
    };
    if !dry_run && let Some(t) = synced.filter(|t| t.became_marketing()) {
        crate::log_line!(
            "warning: template {:?} changed from UTILITY to MARKETING: each message costs more, and Meta may not deliver to members over their marketing limit (131049)",
            t.name
        );
    }
    broadcast::template_params(text, body_params, fixed_chars).map_err(|why| {
        error_with_help(
            format!("cannot send this text: {why}"),
            "nothing was written or sent",
        )
    })
}

/// The recipients, who was excluded, and how many each filter value
/// matches. A filter value that matches nobody is a typo until proven
/// otherwise: refused before anything is written, dry run included.
pub(super) fn audience(
    conn: &Connection,
    to: To,
) -> Result<(Audience, Vec<FilterCount>, Selection)> {
    match to {
        To::Audience(audience) => {
            let by_filter = match &audience {
                Audience::Members { roles, locations } => finding::check_filter(
                    conn,
                    &crate::members::Filter {
                        roles: roles.clone(),
                        locations: locations.clone(),
                        ..Default::default()
                    },
                )?,
                Audience::Test { .. } => Vec::new(),
            };
            let selection = broadcast::select(conn, &audience)?;
            Ok((audience, by_filter, selection))
        }
        To::Chosen {
            audience,
            recipients,
        } => Ok((
            audience,
            Vec::new(),
            Selection {
                recipients,
                excluded: BTreeMap::new(),
            },
        )),
    }
}

/// What the screen found in new words, and why a block is overridden;
/// words sent before (a reminder) were screened then.
pub(super) fn screen_message(
    message: &Message,
    allow: &Allow,
    explain: bool,
) -> Result<(Vec<Finding>, Option<String>)> {
    match message {
        Message::Compose {
            text,
            override_screen,
            ..
        } => Ok((
            screen_outgoing(text, allow, override_screen.as_deref(), explain)?,
            override_screen.clone(),
        )),
        Message::Again { .. } => Ok((Vec::new(), None)),
    }
}

/// Screens an outgoing text. Blocking findings refuse it (exit 4) unless
/// the operator overrides with a reason; warnings are shown, and the
/// operator's confirmation (or `--yes`) accepts them.
fn screen_outgoing(
    text: &str,
    allow: &Allow,
    override_reason: Option<&str>,
    explain: bool,
) -> Result<Vec<Finding>> {
    let findings = screen::screen_allowing(text, allow);
    let verdict = screen::verdict(&findings);
    if verdict.is_some() && explain {
        let explanation = screen::explain(text, &findings);
        crate::log_line!("{}", explanation.trim_end_matches('\n'));
    }
    if verdict == Some(Severity::Block) {
        match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(_) => {
                crate::log_line!(
                    "the screen's block is overridden; the reason goes to the audit log"
                )
            }
            None => {
                return Err(Failure::new(
                    Exit::Screened,
                    "refused: the text looks like it contains patient-identifiable data; nothing was written or sent",
                )
                .help("remove it and try again; if this is a false alarm, add --override-screen \"REASON\"")
                .into());
            }
        }
    }
    Ok(findings)
}

/// The kinds the screen found, for the audit log: never the text itself.
pub(super) fn kinds(findings: &[Finding]) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = findings.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// The Graph API client, from the config: fails before anything is
/// written when the connection details are missing.
pub(super) fn client(config: &Config) -> Result<Client> {
    let timeout = config.broadcast.request_timeout.unsigned_abs();
    Client::new(&config.whatsapp, timeout)
}

/// How fast and how hard the sender sends, from the config.
pub(super) fn settings(config: &Config) -> Settings {
    let b = &config.broadcast;
    Settings {
        rate_per_second: b.rate_per_second,
        concurrency: b.concurrency,
        max_attempts: b.max_attempts,
        token_source: config
            .whatsapp
            .token
            .as_ref()
            .map_or_else(String::new, |t| t.source().to_string()),
    }
}
