//! The last known state of a template, the account and the number, read back
//! from stored account events: what a send checks before writing anything.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use super::{detail_object, printable};
use crate::exit::{Exit, Failure};

/// Template states Meta will not send: a send using one would fail every row.
pub const BLOCKING_TEMPLATE_STATES: [&str; 4] =
    ["PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION"];

/// The newest `message_template_status_update` for one template.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TemplateStatus {
    pub event: String,
    /// Meta's reason: `other_info` title and description, `reason`, or the
    /// disable date, made printable.
    pub reason: Option<String>,
    pub at: String,
}

impl TemplateStatus {
    pub fn blocks(&self) -> bool {
        BLOCKING_TEMPLATE_STATES.contains(&self.event.as_str())
    }
}

/// The last known status of template `name` in `language` (events that name
/// no language count for every language).
pub fn template_status(
    conn: &Connection,
    name: &str,
    language: &str,
) -> Result<Option<TemplateStatus>> {
    let row: Option<(Option<String>, String, String)> = conn
        .prepare_cached(
            "SELECT event, detail, at FROM account_events
             WHERE field = 'message_template_status_update' AND template_name = ?1
               AND (template_language IS NULL OR template_language = ?2)
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![name, language], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(row.map(|(event, detail, at)| {
        let d = detail_object(&detail);
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
        let reason = other_text
            .or(rejection)
            .or_else(|| {
                text(d.get("reason"))
                    .filter(|r| *r != "NONE")
                    .map(str::to_owned)
            })
            .or(disabled)
            .map(|r| printable(&r, 300));
        TemplateStatus {
            event: event.map_or_else(|| "UNKNOWN".into(), |e| printable(&e, 40)),
            reason,
            at,
        }
    }))
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Why the account cannot start business-initiated messages, if it cannot:
/// a live RESTRICTED_BIZ_INITIATED_MESSAGING restriction, or a disabled account.
pub fn restriction(conn: &Connection, now: Timestamp) -> Result<Option<String>> {
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
    if let Some((detail, at)) = latest("DISABLED_UPDATE")? {
        let d = detail_object(&detail);
        let ban = d.get("ban_info");
        let state = ban
            .and_then(|b| b.get("waba_ban_state"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if state == "DISABLE" {
            return Ok(Some(format!(
                "Meta disabled the WhatsApp Business account (reported {at})"
            )));
        }
    }
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
    let from_lookup: Option<(String, String)> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'messaging_limit_tier'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
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
        Some(_) => "TIER_UNLIMITED".into(),
        None => printable(&v.to_string(), 30),
    }
}

/// Records the tier a look-up reported, so a send can use it.
pub fn remember_tier(conn: &Connection, tier: &str, now: Timestamp) -> Result<()> {
    let value = serde_json::json!({ "tier": tier, "at": crate::db::ts(now) }).to_string();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('messaging_limit_tier', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [value],
    )?;
    Ok(())
}
