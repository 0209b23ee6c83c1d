//! `mot doctor`: checks a set-up before the first real send, and a running
//! service before an urgent one. Each check is `ok`, `warn` or `fail`, with
//! one line of detail and what to do. No secret is ever part of a check.

mod remote;

use std::path::Path;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::account::state;
use crate::config::Config;
use crate::db::location::Folder;
use crate::exit::Failure;
use crate::output::Row;
use crate::output::printable;

pub use remote::{number, relay, templates};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "fail",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Level,
    pub detail: String,
    /// What to do about it; empty when there is nothing to do.
    pub help: String,
}

impl Check {
    pub fn ok(name: &str, detail: impl Into<String>) -> Check {
        Check::new(name, Level::Ok, detail, "")
    }

    pub fn warn(name: &str, detail: impl Into<String>, help: impl Into<String>) -> Check {
        Check::new(name, Level::Warn, detail, help)
    }

    pub fn fail(name: &str, detail: impl Into<String>, help: impl Into<String>) -> Check {
        Check::new(name, Level::Fail, detail, help)
    }

    fn new(name: &str, status: Level, detail: impl Into<String>, help: impl Into<String>) -> Check {
        Check {
            name: name.to_string(),
            status,
            detail: detail.into(),
            help: help.into(),
        }
    }
}

impl Row for Check {
    const HEADERS: &'static [&'static str] = &["name", "status", "detail", "help"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.status.as_str().to_string(),
            self.detail.clone(),
            self.help.clone(),
        ]
    }
}

/// The whole report, as `--format json` prints it: `{"checks": [...]}`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == Level::Fail)
    }
}

/// The config file: found, and valid (it parsed, or `Config::load` failed).
pub fn config(loaded: &Result<Config>, file: &Path) -> Check {
    match loaded {
        Err(e) => Check::fail(
            "config",
            printable(&format!("{e:#}"), 300),
            "fix the line named (`mot init` writes a config with every key described), or move the file aside and run `mot init`",
        ),
        Ok(c) if !c.file.exists() => Check::warn(
            "config",
            format!("no config file at {}; using defaults", file.display()),
            "run `mot init` to create one, then set [whatsapp] and [broadcast]",
        ),
        Ok(c) => Check::ok("config", format!("{} is valid", c.file.display())),
    }
}

/// The database: opens, is mot's, migrations current, `PRAGMA quick_check`,
/// private, in a folder other accounts cannot change. Read before `db::open`
/// migrates it, so an old schema is reported as found.
pub fn database(path: &Path) -> Check {
    const NAME: &str = "database";
    let refused = |e: anyhow::Error| match e.downcast_ref::<Failure>() {
        Some(f) => Check::fail(
            NAME,
            printable(&f.message, 300),
            f.help.clone().unwrap_or_default(),
        ),
        None => Check::fail(
            NAME,
            printable(&format!("{e:#}"), 300),
            "check the file and its permissions",
        ),
    };
    // The same rules as every command's: `db` owns what a mot database is,
    // and where one may be.
    let (conn, version) = match crate::db::open_read_only(path) {
        Ok(found) => found,
        Err(e) => return refused(e),
    };
    if let Err(e) = crate::db::location::check_folders(path) {
        return refused(e);
    }
    let current = crate::db::SCHEMA_VERSION;
    let quick: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    if quick != "ok" {
        return Check::fail(
            NAME,
            format!("PRAGMA quick_check: {}", printable(&quick, 200)),
            "restore the database from a backup",
        );
    }
    if version < current {
        return Check::warn(
            NAME,
            format!("schema {version}; this mot brings it to {current} on the next command"),
            "run any mot command (e.g. `mot members list`) to bring it up to date",
        );
    }
    match crate::platform::exposure(path) {
        Ok(None) => {}
        Ok(Some(how)) => {
            return Check::warn(
                NAME,
                format!("{} can be reached by others ({how})", path.display()),
                format!(
                    "any mot command makes it private again; or by hand: {}",
                    crate::platform::private_fix(path)
                ),
            );
        }
        // Never taken as private: commands refuse a database whose
        // permissions they cannot read, so this fails too.
        Err(e) => {
            return Check::fail(
                NAME,
                format!(
                    "cannot tell whether others can reach {} ({e})",
                    path.display()
                ),
                "commands refuse the database until its permissions can be read: check that your account can read them",
            );
        }
    }
    if let Some((dir, Folder::Readable(how))) = crate::db::location::folder(path) {
        return Check::warn(
            NAME,
            format!(
                "other accounts can look in the database's folder {} ({how}), though not read the database",
                dir.display()
            ),
            format!(
                "they see its files' names and sizes; to stop that: {}",
                crate::platform::private_fix(&dir)
            ),
        );
    }
    Check::ok(
        NAME,
        format!("{} (schema {version}, quick_check ok)", path.display()),
    )
}

/// Where the database lives: a cloud-synced folder or a network share can
/// corrupt it (the rule every command warns by, `platform::location_warning`).
pub fn database_location(path: &Path) -> Check {
    const NAME: &str = "database location";
    match crate::platform::location_warning(path) {
        Some(warning) => Check::warn(NAME, warning, crate::platform::LOCATION_HELP),
        None => Check::ok(NAME, "not in a cloud-synced folder or on a network share"),
    }
}

/// Account events received: how recent the newest is, and what they say.
pub fn account_events(conn: &Connection, config: &Config, now: Timestamp) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    let (count, unknown, newest): (i64, i64, Option<String>) = conn.query_row(
        "SELECT count(*), coalesce(sum(known = 0), 0), max(received_at) FROM account_events",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    // Any webhook at all proves statuses and sign-ups can arrive.
    let newest_any: Option<String> = conn.query_row(
        "SELECT max(t) FROM (
             SELECT max(received_at) AS t FROM account_events
             UNION ALL SELECT max(received_at) FROM status_events WHERE source != 'pull'
             UNION ALL SELECT max(received_at) FROM inbound)",
        [],
        |r| r.get(0),
    )?;
    let age = newest_any
        .as_deref()
        .and_then(|t| t.parse::<Timestamp>().ok())
        .map(|t| now.duration_since(t));
    let receiving = config.relay.url.is_some()
        || config.whatsapp.app_secret.is_some() && config.whatsapp.verify_token.is_some();
    let latest: Option<(String, Option<String>, String)> = conn
        .query_row(
            "SELECT field, event, at FROM account_events ORDER BY received_at DESC, id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let latest = latest
        .map(|(field, event, at)| {
            format!(
                ", the last {} {} ({at})",
                printable(&field, 60),
                printable(event.as_deref().unwrap_or(""), 60)
            )
        })
        .unwrap_or_default();
    let events = format!(
        "{count} account event(s) kept{latest}{}{}",
        if unknown > 0 {
            format!(" ({unknown} of fields mot does not read)")
        } else {
            String::new()
        },
        newest
            .map(|n| format!(", newest received {n}"))
            .unwrap_or_default()
    );
    let stale = age.is_none_or(|a| a > SignedDuration::from_hours(7 * 24));
    checks.push(if stale && !receiving {
        Check::warn(
            "webhooks",
            format!(
                "{events}; no webhook {}, and no relay or receiver is configured",
                match age {
                    Some(a) => format!("for {} days", a.as_hours() / 24),
                    None => "ever".to_string(),
                }
            ),
            "statuses, sign-ups and template or account warnings are not arriving: run `mot webhook serve` behind HTTPS, or set [relay] url",
        )
    } else if stale {
        Check::warn(
            "webhooks",
            format!("{events}; nothing has arrived for a week or more"),
            "check the receiver is running and subscribed in Meta's app dashboard (messages, message_template_status_update, phone_number_quality_update, account_update)",
        )
    } else {
        Check::ok("webhooks", events)
    });
    let problems = state::problems(conn, now)?;
    checks.push(if problems.is_empty() {
        Check::ok("account", "no restriction reported")
    } else {
        Check::fail(
            "account",
            problems.join("; "),
            if state::restriction(conn, now)?.is_some() {
                "see Account Quality in Meta Business Suite; sends are refused until it ends"
            } else {
                "see Account Quality in Meta Business Suite and act before the next send"
            },
        )
    });
    Ok(checks)
}

/// Whose webhook events are applied: one Meta app can serve several numbers
/// and business accounts, so without our ids their events are ignored.
pub fn whose_events(config: &Config) -> Check {
    let w = &config.whatsapp;
    let ours = crate::event::Ours::of(w);
    let number = if ours.knows_number() {
        ""
    } else {
        "messages and statuses are ignored until [whatsapp] phone_number_id is set; "
    };
    if ours.knows_account() {
        if number.is_empty() {
            return Check::ok(
                "whose events",
                "only events for our phone number id and business account are applied",
            );
        }
        return Check::warn(
            "whose events",
            number.trim_end_matches("; "),
            "set [whatsapp] phone_number_id (or MOT_WHATSAPP_PHONE_NUMBER_ID)",
        );
    }
    Check::warn(
        "whose events",
        format!(
            "{number}account and template events are ignored until [whatsapp] business_account_id is set (a paused template or a restricted account would go unnoticed)"
        ),
        "set [whatsapp] business_account_id (or MOT_WHATSAPP_BUSINESS_ACCOUNT_ID) to the WhatsApp Business Account id in Meta's dashboard",
    )
}

/// Webhook secrets: both or neither (then the receiver is not used).
pub fn webhook_secrets(config: &Config) -> Check {
    let w = &config.whatsapp;
    match (w.app_secret.is_some(), w.verify_token.is_some()) {
        (true, true) => Check::ok("webhook secrets", "app secret and verify token are set"),
        (false, false) => Check::ok(
            "webhook secrets",
            "not set (only needed where `mot webhook serve` runs)",
        ),
        (has_secret, _) => Check::fail(
            "webhook secrets",
            format!(
                "{} is set but {} is not",
                if has_secret {
                    "the app secret"
                } else {
                    "the verify token"
                },
                if has_secret {
                    "the verify token"
                } else {
                    "the app secret"
                }
            ),
            "set both MOT_WHATSAPP_APP_SECRET and MOT_WEBHOOK_VERIFY_TOKEN (or their _file keys)",
        ),
    }
}

/// Members waiting for approval.
pub fn pending_members(conn: &Connection) -> Result<Check> {
    let pending: i64 = conn.query_row(
        "SELECT count(*) FROM members WHERE status = 'pending'",
        [],
        |r| r.get(0),
    )?;
    let complete = crate::signup::complete_pending(conn)?.len();
    let incomplete = crate::signup::incomplete(conn)?;
    let conversation = if complete > 0 || incomplete > 0 {
        // The rest were added by hand, signed up with the conversation off,
        // or stopped it: say so, so that the parts add up to the whole.
        let other = pending - complete as i64 - incomplete;
        let other = if other > 0 {
            format!(", {other} with no sign-up conversation under way")
        } else {
            String::new()
        };
        format!(
            "; {complete} gave all four details in the sign-up conversation, {incomplete} sign-up(s) incomplete{other}"
        )
    } else {
        String::new()
    };
    Ok(if pending > 0 {
        Check::warn(
            "members pending",
            format!(
                "{pending} member(s) waiting for approval (they get no broadcasts){conversation}"
            ),
            "`mot members list --status pending`, then `mot members approve ID` (or `--all-complete`)",
        )
    } else {
        Check::ok("members pending", "none waiting for approval")
    })
}

/// Messages that read like a request to leave, from members still on the
/// list, that nobody has acted on (`[inbound] opt_out_phrases`).
pub fn likely_opt_outs(conn: &Connection) -> Result<Check> {
    let flagged = crate::inbound::unhandled_opt_outs(conn)?;
    Ok(match flagged.first() {
        Some(first) => Check::warn(
            "likely opt-outs",
            format!(
                "{} message(s) from members still on the list read like a request to leave",
                flagged.len()
            ),
            format!(
                "read them in `mot inbox` (flagged likely_opt_out); then `mot members opt-out {}` \
                 or `mot inbox --dismiss {}`",
                first.member, first.message
            ),
        ),
        None => Check::ok(
            "likely opt-outs",
            "no request to leave waiting for the team",
        ),
    })
}

/// Members the lapsed rule finds, waiting for `mot members prune`.
pub fn lapsed_members(conn: &Connection, config: &Config, now: Timestamp) -> Result<Check> {
    let found = crate::lapsed::find(conn, &config.lapsed, now)?;
    let never = found.never_reached.len();
    Ok(match found.lapsed.len() {
        0 if never > 0 => Check::warn(
            "members lapsed",
            format!(
                "none lapsed; {never} member(s) never reached (nothing was ever delivered to them)"
            ),
            "check their numbers and that they have WhatsApp (`mot report lapsed`)",
        ),
        0 => Check::ok("members lapsed", "none waiting to be pruned"),
        n => Check::warn(
            "members lapsed",
            format!("{n} member(s) no longer receive messages (see `mot report lapsed`)"),
            "review `mot report lapsed`, then `mot members prune`",
        ),
    })
}

/// Messages the messaging limit holds back: when they may go, what to run
/// then, and when they expire.
pub fn held_messages(conn: &Connection, now: Timestamp) -> Result<Check> {
    let held = crate::account::limit::held_everywhere(conn)?;
    if held.is_empty() {
        return Ok(Check::ok(
            "held messages",
            "none held back by the messaging limit",
        ));
    }
    let now = crate::db::ts(now);
    let parts: Vec<String> = held
        .iter()
        .map(|h| {
            let when = if h.first_at <= now {
                "may go now".to_string()
            } else {
                format!("the first may go at {}", h.first_at)
            };
            format!(
                "broadcast {}: {} held, {when}, expiring from {}",
                h.broadcast, h.messages, h.expires_at
            )
        })
        .collect();
    let ids: Vec<String> = held.iter().map(|h| h.broadcast.to_string()).collect();
    Ok(Check::warn(
        "held messages",
        parts.join("; "),
        format!(
            "nothing sends them by itself: run `mot broadcasts resume {}` once they may go, \
             before they expire",
            ids.join("` / `mot broadcasts resume ")
        ),
    ))
}

/// When the retention policy was last applied (`mot purge`, from the audit log).
pub fn retention(conn: &Connection, now: Timestamp) -> Result<Check> {
    let last: Option<String> = conn
        .query_row(
            "SELECT max(at) FROM audit WHERE command = 'purge' AND outcome = 'ok'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let help = "run `mot purge` from cron or Task Scheduler (daily is usual); `mot purge --dry-run` shows what would go";
    Ok(match last.as_deref().map(str::parse::<Timestamp>) {
        None => Check::warn(
            "retention",
            "the retention policy has never been applied",
            help,
        ),
        Some(Ok(at)) if now.duration_since(at) > jiff::SignedDuration::from_hours(8 * 24) => {
            Check::warn(
                "retention",
                format!("last applied {at}, over a week ago"),
                help,
            )
        }
        Some(Ok(at)) => Check::ok("retention", format!("last applied {at}")),
        Some(Err(_)) => Check::warn("retention", "the last purge's time is unreadable", help),
    })
}

/// Active members, for comparing with the messaging limit.
pub fn active_members(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT count(*) FROM members WHERE status = 'active'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests;
