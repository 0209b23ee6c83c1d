//! The last known state of a template, the account and the number, read back
//! from stored account events: what a send checks before writing anything.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use super::detail_object;
use crate::exit::{Exit, Failure};
use crate::output::printable;

/// What a template status event means for a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The template can be sent (again): lifts an earlier block.
    Clear,
    /// Meta will not send it: a send using it would fail every row.
    Block,
    /// Still sendable, but the team should know why; lifts nothing.
    Warn,
}

/// Every `message_template_status_update` event Meta documents (webhook
/// reference, `<EVENT>` values), what mot does about it, and why. An event
/// not listed here warns and lifts nothing.
pub const TEMPLATE_EVENTS: [(&str, Effect, &str); 14] = [
    ("APPROVED", Effect::Clear, "approved: it can be sent"),
    (
        "REINSTATED",
        Effect::Clear,
        "no longer flagged or disabled: it can be sent again",
    ),
    ("UNARCHIVED", Effect::Clear, "restored from the archive"),
    (
        "PENDING",
        Effect::Block,
        "in review: Meta sends only approved templates",
    ),
    (
        "REJECTED",
        Effect::Block,
        "rejected in review: it cannot be sent until edited and approved",
    ),
    (
        "IN_APPEAL",
        Effect::Block,
        "a rejection is being appealed: it is not approved meanwhile",
    ),
    (
        "PAUSED",
        Effect::Block,
        "paused for low quality: Meta refuses it until unpaused",
    ),
    (
        "DISABLED",
        Effect::Block,
        "disabled after members' feedback: it cannot be sent",
    ),
    (
        "ARCHIVED",
        Effect::Block,
        "archived (unused; deleted after 28 days unless unarchived): it cannot be sent",
    ),
    (
        "PENDING_DELETION",
        Effect::Block,
        "deleted in WhatsApp Manager: it cannot be sent",
    ),
    ("DELETED", Effect::Block, "deleted: it no longer exists"),
    (
        "FLAGGED",
        Effect::Warn,
        "members' negative feedback: it will be disabled unless quality improves (still sendable)",
    ),
    (
        "LOCKED",
        Effect::Warn,
        "locked: it cannot be edited (still sendable)",
    ),
    (
        "LIMIT_EXCEEDED",
        Effect::Warn,
        "the business account is at its template limit: no new templates (this one still sends)",
    ),
];

/// What `event` means, and why.
pub fn template_effect(event: &str) -> (Effect, &'static str) {
    TEMPLATE_EVENTS.iter().find(|(e, ..)| *e == event).map_or(
        (
            Effect::Warn,
            "an event mot does not know: it neither blocks nor lifts a block",
        ),
        |(_, effect, why)| (*effect, *why),
    )
}

/// Who last reported a template's state.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Reporter {
    /// A `message_template_status_update` webhook (received or relayed).
    Webhook,
    /// Meta's API: `templates sync`, doctor's or a send's look-up.
    Api,
}

/// A template's state as Meta last reported it, by webhook or by
/// `templates sync` (doctor's and a send's look-up store through sync).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TemplateStatus {
    /// The newest event that blocks or clears (else the newest event).
    pub event: String,
    /// Who reported it.
    pub source: Reporter,
    /// Meta's reason: `other_info` title and description, `reason`, or the
    /// disable date, made printable.
    pub reason: Option<String>,
    pub at: String,
    /// Newer events that neither block nor clear, newest first, with why
    /// they matter.
    pub warnings: Vec<String>,
}

impl TemplateStatus {
    pub fn blocks(&self) -> bool {
        template_effect(&self.event).0 == Effect::Block
    }
}

/// The last known status of template `name` in `language`: one answer, the
/// newest of what webhooks said (events that name no language count for
/// every language) and what Meta's API said at the last `templates sync`.
/// Only reports that block or clear decide it: a warning, an unknown word
/// or an event with none never lifts a block.
pub fn template_status(
    conn: &Connection,
    name: &str,
    language: &str,
) -> Result<Option<TemplateStatus>> {
    let mut rows: Vec<(String, String, String, Reporter)> = conn
        .prepare_cached(
            "SELECT event, detail, at FROM account_events
             WHERE field = 'message_template_status_update' AND template_name = ?1
               AND (template_language IS NULL OR template_language = ?2) AND event IS NOT NULL
             ORDER BY at DESC, id DESC",
        )?
        .query_map(params![name, language], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, Reporter::Webhook))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(t) = crate::templates::get(conn, name, language)?
        && !t.status.trim().is_empty()
    {
        rows.push((t.status, "{}".into(), t.synced_at, Reporter::Api));
        // Newest first; at the same second the webhook's word, which carries
        // Meta's reason, comes first.
        rows.sort_by(|a, b| b.2.cmp(&a.2));
    }
    let mut warnings = Vec::new();
    let mut decided = None;
    for row @ (event, _, at, _) in &rows {
        match template_effect(event) {
            (Effect::Warn, why) => {
                warnings.push(format!("{} ({why}; Meta, {at})", printable(event, 40)));
            }
            _ => {
                decided = Some(row);
                break;
            }
        }
    }
    // Only warnings: the newest stands for the state, which blocks nothing.
    Ok(decided.or(rows.first()).map(|(event, _, at, source)| {
        // The API gives no reason; an earlier webhook of the same word does.
        let reason = rows
            .iter()
            .filter(|(e, ..)| e == event)
            .find_map(|(_, d, ..)| meta_reason(&detail_object(d)));
        TemplateStatus {
            event: printable(event, 40),
            source: *source,
            reason,
            at: at.clone(),
            warnings,
        }
    }))
}

/// When mot last heard anything of template `name` in `language`: the
/// newest webhook about it, by when it arrived (a relayed event pulled now
/// is news now, whatever Meta's time), or Meta's API, by when it was asked.
pub fn template_last_heard(
    conn: &Connection,
    name: &str,
    language: &str,
) -> Result<Option<Timestamp>> {
    let webhook: Option<String> = conn
        .prepare_cached(
            "SELECT max(received_at) FROM account_events
             WHERE field = 'message_template_status_update' AND template_name = ?1
               AND (template_language IS NULL OR template_language = ?2)",
        )?
        .query_row(params![name, language], |r| r.get(0))?;
    let api = crate::templates::get(conn, name, language)?.map(|t| t.synced_at);
    Ok([webhook, api]
        .into_iter()
        .flatten()
        .filter_map(|at| at.parse::<Timestamp>().ok())
        .max())
}

/// Why Meta says a template is in its state, from the event's detail.
fn meta_reason(d: &serde_json::Map<String, Value>) -> Option<String> {
    let other = d.get("other_info");
    let other_text = match (
        text(other.and_then(|o| o.get("title"))),
        text(other.and_then(|o| o.get("description"))),
    ) {
        (Some(t), Some(desc)) => Some(format!("{t}: {desc}")),
        (t, desc) => t.or(desc).map(str::to_owned),
    };
    let rejection = d
        .get("rejection_info")
        .and_then(|r| text(r.get("reason")))
        .map(str::to_owned);
    let disabled = d
        .get("disable_info")
        .and_then(|i| i.get("disable_date"))
        .and_then(|v| match v {
            Value::Number(n) => n
                .as_i64()
                .and_then(|s| Timestamp::from_second(s).ok())
                .map(crate::db::ts),
            Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .map(|d| format!("disabled on {d}"));
    other_text
        .or(rejection)
        .or_else(|| {
            text(d.get("reason"))
                .filter(|r| *r != "NONE")
                .map(str::to_owned)
        })
        .or(disabled)
        .map(|r| printable(&r, 300))
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// What an `account_update` event means for the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Nothing can be sent: sends are refused (exit 6) and doctor fails.
    Refuse,
    /// Sends still go, but doctor fails: the team must act soon.
    Fail,
    /// Undoes the earlier events of its group.
    Clear,
}

/// Every `account_update` event that says whether the account can send
/// (Meta's account_update webhook reference), in groups of what undoes what:
/// the newest event of a group decides it. (event, `ban_info.waba_ban_state`,
/// group, standing, why). A DISABLED_UPDATE with another ban state fails
/// doctor: mot cannot tell what it means.
const ACCOUNT_EVENTS: [(&str, Option<&str>, &str, Standing, &str); 9] = [
    (
        "ACCOUNT_DELETED",
        None,
        "deleted",
        Standing::Refuse,
        "Meta deleted the WhatsApp Business account: nothing can be sent from it",
    ),
    (
        "ACCOUNT_OFFBOARDED",
        None,
        "connection",
        Standing::Refuse,
        "the account was offboarded from the Cloud API (its number was re-registered or moved to a device): nothing can be sent until it reconnects",
    ),
    (
        "ACCOUNT_RECONNECTED",
        None,
        "connection",
        Standing::Clear,
        "reconnected",
    ),
    (
        "PARTNER_REMOVED",
        None,
        "partner",
        Standing::Fail,
        "the account was unshared from a solution partner: if mot's token comes through that partner, every send will fail",
    ),
    (
        "PARTNER_ADDED",
        None,
        "partner",
        Standing::Clear,
        "shared with a partner again",
    ),
    (
        "DISABLED_UPDATE",
        Some("DISABLE"),
        "ban",
        Standing::Refuse,
        "Meta disabled the WhatsApp Business account",
    ),
    (
        "DISABLED_UPDATE",
        Some("SCHEDULE_FOR_DISABLE"),
        "ban",
        Standing::Fail,
        "Meta scheduled the WhatsApp Business account to be disabled (sends still go until then): appeal in Business Support Home",
    ),
    (
        "DISABLED_UPDATE",
        Some("REINSTATE"),
        "ban",
        Standing::Clear,
        "reinstated",
    ),
    (
        "ACCOUNT_VIOLATION",
        None,
        "violation",
        Standing::Fail,
        "Meta reports a policy violation: a restriction or a ban may follow; see Account Quality",
    ),
];

/// How long doctor shows a violation after it was reported (nothing in
/// Meta's events ever closes one).
const VIOLATION_SHOWN: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// What the account events say, newest first: (refuses a send, why).
fn account_standing(conn: &Connection, now: Timestamp) -> Result<Vec<(bool, String)>> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = conn
        .prepare_cached(
            "SELECT event, json_extract(detail, '$.ban_info.waba_ban_state'),
                    json_extract(detail, '$.violation_info.violation_type'), at
             FROM account_events
             WHERE field = 'account_update' AND event IS NOT NULL
             ORDER BY at DESC, id DESC",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut decided = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (event, ban, violation, at) in rows {
        let rule = ACCOUNT_EVENTS
            .iter()
            .find(|(e, state, ..)| *e == event && state.is_none_or(|s| ban.as_deref() == Some(s)));
        let (group, standing, why) = match rule {
            Some((_, _, group, standing, why)) => (*group, *standing, (*why).to_string()),
            None if event == "DISABLED_UPDATE" => (
                "ban",
                Standing::Fail,
                format!(
                    "Meta changed the account's ban state to {}, which mot does not know",
                    printable(ban.as_deref().unwrap_or("nothing"), 40)
                ),
            ),
            None => continue,
        };
        if !decided.insert(group) || standing == Standing::Clear {
            continue;
        }
        if group == "violation"
            && at
                .parse::<Timestamp>()
                .is_ok_and(|t| t + VIOLATION_SHOWN < now)
        {
            continue;
        }
        let kind = violation
            .map(|v| format!(" ({})", printable(&v, 40)))
            .unwrap_or_default();
        out.push((
            standing == Standing::Refuse,
            format!("{why}{kind} (reported {at})"),
        ));
    }
    Ok(out)
}

/// Everything doctor's account check fails on: what refuses a send, and
/// what the team must act on while sends still go.
pub fn problems(conn: &Connection, now: Timestamp) -> Result<Vec<String>> {
    let mut out: Vec<String> = account_standing(conn, now)?
        .into_iter()
        .map(|(_, why)| why)
        .collect();
    out.extend(restricted(conn, now)?);
    Ok(out)
}

/// Why the account cannot send, if it cannot: deleted, offboarded,
/// disabled (see [`ACCOUNT_EVENTS`]), or a live
/// RESTRICTED_BIZ_INITIATED_MESSAGING restriction.
pub fn restriction(conn: &Connection, now: Timestamp) -> Result<Option<String>> {
    let mut refused: Vec<String> = account_standing(conn, now)?
        .into_iter()
        .filter_map(|(refuses, why)| refuses.then_some(why))
        .collect();
    refused.extend(restricted(conn, now)?);
    Ok((!refused.is_empty()).then(|| refused.join("; ")))
}

/// A live RESTRICTED_BIZ_INITIATED_MESSAGING restriction, if there is one.
fn restricted(conn: &Connection, now: Timestamp) -> Result<Option<String>> {
    let latest = |event: &str| -> Result<Option<(String, String)>> {
        Ok(conn
            .prepare_cached(
                "SELECT detail, at FROM account_events
                 WHERE field = 'account_update' AND event = ?1
                 ORDER BY at DESC, id DESC LIMIT 1",
            )?
            .query_row([event], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    };
    if let Some((detail, at)) = latest("ACCOUNT_RESTRICTION")? {
        let d = detail_object(&detail);
        let items = d
            .get("restriction_info")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for item in items {
            let kind = item.get("restriction_type").and_then(Value::as_str);
            if kind != Some("RESTRICTED_BIZ_INITIATED_MESSAGING") {
                continue;
            }
            let expires = item.get("expiration").and_then(|v| match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            });
            let live = expires.is_none_or(|e| e > now.as_second());
            if live {
                let until = expires
                    .and_then(|e| Timestamp::from_second(e).ok())
                    .map_or_else(
                        || "until Meta lifts it".to_string(),
                        |t| format!("until {}", crate::db::ts(t)),
                    );
                return Ok(Some(format!(
                    "Meta restricted the account from starting conversations (RESTRICTED_BIZ_INITIATED_MESSAGING, reported {at}, {until})"
                )));
            }
        }
    }
    Ok(None)
}

/// Refuses to start a send (exit 6, before anything is written) while the
/// template it would use is paused, disabled or rejected, or the account is
/// restricted. `Ok(Some(..))` names what `--force-template-state` overrode.
pub fn check_can_send(
    conn: &Connection,
    template: &str,
    language: &str,
    force: bool,
    now: Timestamp,
) -> Result<Option<String>> {
    let mut problems = Vec::new();
    let mut help = Vec::new();
    if let Some(s) = template_status(conn, template, language)?
        && s.blocks()
    {
        problems.push(format!(
            "template {:?} ({language}) is {} (Meta, {}){}",
            printable(template, 60),
            s.event,
            s.at,
            s.reason.map(|r| format!(": {r}")).unwrap_or_default()
        ));
        help.push(match s.event.as_str() {
            "PAUSED" => "Meta paused it for low quality: wait for it to be unpaused (a REINSTATED event), or edit it in WhatsApp Manager, or set [broadcast] template to another approved template",
            "REJECTED" => "fix the template in WhatsApp Manager and submit it again, or set [broadcast] template to an approved one",
            _ => "set [broadcast] template to another approved template (see `mot templates list`)",
        });
    }
    if let Some(why) = restriction(conn, now)? {
        problems.push(why);
        help.push(
            "see Account Quality in Meta Business Suite; sending resumes when the restriction ends",
        );
    }
    if problems.is_empty() {
        return Ok(None);
    }
    let what = problems.join("; ");
    if force {
        return Ok(Some(what));
    }
    Err(Failure::new(Exit::Paused, format!("{what}; nothing was written or sent"))
        .help(format!(
            "{}; `mot doctor` shows the account's state; --force-template-state sends anyway (audited)",
            help.join("; ")
        ))
        .into())
}

/// A messaging-limit tier: unique members reached outside a window per rolling 24 h.
pub fn tier_limit(tier: &str) -> Option<Option<u64>> {
    Some(match tier {
        "TIER_50" => Some(50),
        "TIER_250" => Some(250),
        "TIER_1K" => Some(1_000),
        "TIER_2K" => Some(2_000),
        "TIER_10K" => Some(10_000),
        "TIER_100K" => Some(100_000),
        "TIER_UNLIMITED" => None,
        // A limit reported as a number of members (the newer field).
        n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Some(n.parse().ok()?),
        _ => return None,
    })
}

/// The number's messaging limit as last reported, and when: by a
/// `phone_number_quality_update` webhook or a look-up (`mot doctor`,
/// `mot templates sync`), whichever is newer. `None` when never reported.
pub fn messaging_tier(conn: &Connection) -> Result<Option<(String, String)>> {
    let from_event: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT coalesce(json_extract(detail, '$.current_limit'),
                             json_extract(detail, '$.max_daily_conversations_per_business')), at
             FROM account_events
             WHERE field = 'phone_number_quality_update'
               AND coalesce(json_extract(detail, '$.current_limit'),
                            json_extract(detail, '$.max_daily_conversations_per_business')) IS NOT NULL
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok((r.get::<_, rusqlite::types::Value>(0)?, r.get(1)?))
        })
        .optional()?
        .map(|(v, at): (rusqlite::types::Value, String)| {
            let v = match v {
                rusqlite::types::Value::Integer(n) => Value::from(n),
                rusqlite::types::Value::Text(s) => Value::from(s),
                _ => Value::Null,
            };
            (tier_name(&v), at)
        });
    let from_lookup: Option<(String, String)> = crate::db::settings::get(conn, TIER_KEY)?
        .and_then(|v| serde_json::from_str::<Value>(&v).ok())
        .and_then(|v| Some((v["tier"].as_str()?.to_owned(), v["at"].as_str()?.to_owned())));
    Ok(match (from_event, from_lookup) {
        (Some(e), Some(l)) => Some(if l.1 > e.1 { l } else { e }),
        (e, l) => e.or(l),
    })
}

/// `TIER_2K`, or a number of conversations (the newer field) as a tier name.
fn tier_name(v: &Value) -> String {
    let n = match v {
        Value::String(s) if s.starts_with("TIER_") => return s.clone(),
        Value::String(s) => s.parse::<u64>().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    };
    match n {
        Some(50) => "TIER_50".into(),
        Some(250) => "TIER_250".into(),
        Some(1000) => "TIER_1K".into(),
        Some(2000) => "TIER_2K".into(),
        Some(10_000) => "TIER_10K".into(),
        Some(100_000) => "TIER_100K".into(),
        // Any other number is that many members (0 included: it fails
        // closed when read), never "unlimited".
        Some(n) => n.to_string(),
        None => printable(&v.to_string(), 30),
    }
}

/// The settings key of the tier a look-up last reported.
const TIER_KEY: &str = "messaging_limit_tier";

/// Records the tier a look-up reported, so a send can use it.
pub fn remember_tier(conn: &Connection, tier: &str, now: Timestamp) -> Result<()> {
    let value = serde_json::json!({ "tier": tier, "at": crate::db::ts(now) }).to_string();
    crate::db::settings::set(conn, TIER_KEY, &value)
}

#[cfg(test)]
mod tests;
