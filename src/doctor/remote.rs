//! The checks that ask Meta (the number, the token, the templates) or the relay.

use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::Connection;

use super::{Check, active_members};
use crate::account::state;
use crate::config::Config;
use crate::graph_error::ErrorClass;
use crate::output::printable;
use crate::whatsapp::lookup::{Lookup, LookupError, RemoteTemplate};

/// Token, number quality and messaging limit, from one look-up of the number.
/// Remembers the tier, so a send can keep within it.
pub fn number(
    lookup: Option<&Lookup>,
    config: &Config,
    conn: &Connection,
    now: Timestamp,
) -> Result<Vec<Check>> {
    let Some(id) = config.whatsapp.phone_number_id.as_deref() else {
        return Ok(vec![Check::fail(
            "token",
            "no phone number id is configured",
            "set [whatsapp] phone_number_id (or MOT_WHATSAPP_PHONE_NUMBER_ID)",
        )]);
    };
    let Some(lookup) = lookup else {
        return Ok(vec![Check::fail(
            "token",
            "no access token",
            "set MOT_WHATSAPP_TOKEN, or [whatsapp] token_file naming a file only you can read",
        )]);
    };
    let info = match lookup.number(id) {
        Ok(info) => info,
        Err(e) => return Ok(vec![lookup_failed("token", &e)]),
    };
    let mut checks = vec![Check::ok(
        "token",
        format!(
            "accepted for {} ({})",
            info.display_phone_number.as_deref().unwrap_or("the number"),
            info.verified_name.as_deref().unwrap_or("no verified name")
        ),
    )];
    let quality = info.quality_rating.as_deref().unwrap_or("UNKNOWN");
    let status = info.status.as_deref().unwrap_or("unknown");
    checks.push(match quality {
        "GREEN" => Check::ok("number quality", format!("GREEN (status {status})")),
        "RED" => Check::fail(
            "number quality",
            format!("RED (status {status}): Meta may lower the messaging limit or restrict the number"),
            "send only what members asked for; see the number's quality in WhatsApp Manager, and which templates members block or report",
        ),
        other => Check::warn(
            "number quality",
            format!("{other} (status {status})"),
            "see the number's quality in WhatsApp Manager",
        ),
    });
    let active = active_members(conn)?;
    checks.push(match info.messaging_limit_tier.as_deref() {
        Some(tier) => {
            state::remember_tier(conn, tier, now)?;
            match state::tier_limit(tier) {
                Some(Some(limit)) if active as u64 > limit => Check::warn(
                    "messaging limit",
                    format!("{tier}: {limit} members a day, fewer than the {active} active members"),
                    format!(
                        "a broadcast to everyone sends {limit} now and holds the rest until places in the 24-hour window free (`mot send` says when); `mot broadcasts resume ID` then sends them, each within [broadcast] not_after of when it may go (a --not-after you give binds them all); Meta raises the limit as quality stays high"
                    ),
                ),
                Some(_) => Check::ok(
                    "messaging limit",
                    format!("{tier} ({active} active members)"),
                ),
                None => Check::warn(
                    "messaging limit",
                    format!("{tier}: not a limit mot knows; sends count the lowest, 250 members a day"),
                    "see the number's messaging limit in WhatsApp Manager",
                ),
            }
        }
        None => Check::warn(
            "messaging limit",
            "Meta did not say",
            "see the number's messaging limit in WhatsApp Manager",
        ),
    });
    Ok(checks)
}

/// Each configured template: exists, APPROVED, in the configured language,
/// with the body parameters mot sends; and what webhooks last said about it.
pub fn templates(
    lookup: Option<&Lookup>,
    config: &Config,
    conn: &Connection,
    now: Timestamp,
) -> Result<Vec<Check>> {
    let b = &config.broadcast;
    let Some(name) = b.template.as_deref() else {
        return Ok(vec![Check::fail(
            TEMPLATE_CHECK,
            "no message template is configured",
            "set [broadcast] template to the name of an approved WhatsApp template",
        )]);
    };
    let mut checks = template_checks(lookup, config, conn, name, now)?;
    for c in &mut checks {
        c.detail = format!("{}: {}", printable(name, 60), c.detail);
    }
    Ok(checks)
}

/// The template checks, in order: Meta's answer, the state Meta last
/// reported, the configured language version, its parameters and a summary.
fn template_checks(
    lookup: Option<&Lookup>,
    config: &Config,
    conn: &Connection,
    name: &str,
    now: Timestamp,
) -> Result<Vec<Check>> {
    let b = &config.broadcast;
    let mut checks = Vec::new();
    // Meta's API is asked first and its answer stored, so that the state
    // below is one answer: the newest of that and of any webhook.
    let found = look_up_template(lookup, config, conn, name, now, &mut checks)?;
    let status = state::template_status(conn, name, &b.language)?;
    for warning in status.iter().flat_map(|s| &s.warnings) {
        checks.push(Check::warn(
            TEMPLATE_CHECK,
            format!("Meta reported {warning}"),
            "see the template in WhatsApp Manager",
        ));
    }
    if let Some(s) = status
        && s.blocks()
    {
        checks.push(blocked(&s));
        return Ok(checks);
    }
    let Some(found) = found else {
        return Ok(checks);
    };
    checks.push(match configured_version(&found, b) {
        Ok(t) => summary(t),
        Err(failed) => failed,
    });
    Ok(checks)
}

/// The name every template check is reported under.
const TEMPLATE_CHECK: &str = "template notice";

/// Asks Meta for the template's versions and stores them; `None`, with a
/// check saying why, when it cannot be asked or the look-up fails.
fn look_up_template(
    lookup: Option<&Lookup>,
    config: &Config,
    conn: &Connection,
    name: &str,
    now: Timestamp,
    checks: &mut Vec<Check>,
) -> Result<Option<Vec<RemoteTemplate>>> {
    Ok(
        match (lookup, config.whatsapp.business_account_id.as_deref()) {
            (Some(lookup), Some(waba)) => match lookup.templates(waba, Some(name)) {
                Ok(found) => {
                    crate::templates::store(conn, &found, now)?;
                    Some(found)
                }
                Err(e) => {
                    checks.push(lookup_failed(TEMPLATE_CHECK, &e));
                    None
                }
            },
            _ => {
                checks.push(Check::warn(
                    TEMPLATE_CHECK,
                    "not looked up: needs a token and [whatsapp] business_account_id",
                    "set [whatsapp] business_account_id (or MOT_WHATSAPP_BUSINESS_ACCOUNT_ID) so mot can check the template",
                ));
                None
            }
        },
    )
}

/// The failed check for a template Meta reported paused, disabled or
/// otherwise blocked.
fn blocked(s: &state::TemplateStatus) -> Check {
    Check::fail(
        TEMPLATE_CHECK,
        format!(
            "Meta reported it {} at {}{}",
            s.event,
            s.at,
            s.reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
        "sends are refused until Meta reports it APPROVED or REINSTATED; or set [broadcast] template to another approved template",
    )
}

/// The version in the configured language, if it exists and takes the
/// configured number of body parameters; else the failed check saying which.
fn configured_version<'a>(
    found: &'a [RemoteTemplate],
    b: &crate::config::Broadcast,
) -> std::result::Result<&'a RemoteTemplate, Check> {
    let Some(t) = found.iter().find(|t| t.language == b.language) else {
        let languages: Vec<&str> = found.iter().map(|t| t.language.as_str()).collect();
        return Err(if found.is_empty() {
            Check::fail(
                TEMPLATE_CHECK,
                "the business account has no template of this name",
                "create and submit it in WhatsApp Manager, or set [broadcast] template to an existing one (`mot templates list`)",
            )
        } else {
            Check::fail(
                TEMPLATE_CHECK,
                format!(
                    "no {} version; it exists in {}",
                    b.language,
                    languages.join(", ")
                ),
                "set [broadcast] language to one of those, or add the language in WhatsApp Manager",
            )
        });
    };
    if t.body_params != b.body_params {
        return Err(Check::fail(
            TEMPLATE_CHECK,
            format!(
                "its body has {} parameter(s); mot is configured to send {}",
                t.body_params, b.body_params
            ),
            format!(
                "set [broadcast] body_params = {} (Meta refuses a send whose parameters do not match)",
                t.body_params
            ),
        ));
    }
    Ok(t)
}

/// The check summing up a usable template, a warning if its category or
/// quality needs attention.
fn summary(t: &RemoteTemplate) -> Check {
    let mut notes = Vec::new();
    if t.category == "MARKETING" {
        notes.push("category MARKETING: costs more and members' per-user marketing limits apply");
    }
    if t.quality.as_deref() == Some("RED") {
        notes.push("quality RED: Meta may pause it");
    }
    let summary = format!(
        "{}, {}, {} body parameter(s), {} button(s), category {}, quality {}",
        printable(&t.status, 40),
        t.language,
        t.body_params,
        t.buttons.len(),
        t.category,
        t.quality.as_deref().unwrap_or("unknown")
    );
    if notes.is_empty() {
        Check::ok(TEMPLATE_CHECK, summary)
    } else {
        Check::warn(
            TEMPLATE_CHECK,
            format!("{summary}; {}", notes.join("; ")),
            "see the template in WhatsApp Manager",
        )
    }
}

/// The relay, if configured: reachable, and it accepts our token.
pub fn relay(config: &Config) -> Check {
    let Some(url) = config.relay.url.as_deref() else {
        return Check::ok("relay", "not configured");
    };
    let Some(token) = config.relay.token.as_ref() else {
        return Check::fail(
            "relay",
            "[relay] url is set but there is no relay token",
            "set MOT_RELAY_TOKEN (the same value as on the server), or [relay] token_file",
        );
    };
    let answer = (|| -> Result<u16> {
        let runtime = crate::net::runtime()?;
        let http = crate::net::client(Duration::from_secs(15))?;
        // Asking past any event id fetches nothing: it only proves access.
        Ok(runtime.block_on(async {
            http.get(format!("{url}/events"))
                .bearer_auth(token.expose())
                .query(&[("after", i64::MAX)])
                .send()
                .await
                .map(|r| r.status().as_u16())
        })?)
    })();
    match answer {
        Ok(200) => Check::ok(
            "relay",
            format!("{} answers and accepts the token", printable(url, 100)),
        ),
        Ok(401 | 403) => Check::fail(
            "relay",
            format!("{} refused the relay token", printable(url, 100)),
            "set MOT_RELAY_TOKEN to the value the server uses",
        ),
        Ok(status) => Check::fail(
            "relay",
            format!("{} answered HTTP {status}", printable(url, 100)),
            "check [relay] url points at `mot webhook serve` with MOT_RELAY_TOKEN set",
        ),
        Err(e) => Check::fail(
            "relay",
            format!(
                "cannot reach {}: {}",
                printable(url, 100),
                printable(&format!("{e:#}"), 200)
            ),
            "check the server is running and [relay] url is right",
        ),
    }
}

/// A failed look-up, with what to do for its class of error.
fn lookup_failed(name: &str, e: &LookupError) -> Check {
    let detail = printable(&e.to_string(), 300);
    match e {
        LookupError::Graph(g) if g.class == ErrorClass::Token => Check::fail(
            name,
            format!("WhatsApp refused the token: {detail}"),
            ErrorClass::Token.pause_help(""),
        ),
        LookupError::Graph(g) if g.code == 100 => Check::fail(
            name,
            format!("WhatsApp does not know this id: {detail}"),
            "check [whatsapp] phone_number_id and business_account_id",
        ),
        LookupError::Graph(g) if g.class.pauses() => Check::fail(
            name,
            format!("WhatsApp refused: {detail}"),
            g.class.pause_help(""),
        ),
        _ => Check::fail(
            name,
            format!("the look-up failed: {detail}"),
            "check the network and [whatsapp] api_base, then run `mot doctor` again",
        ),
    }
}
