//! Broadcasts and their delivery ledger: one row per recipient, written
//! before anything is sent, moved through its states by the sender.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use crate::db::ts;
use crate::members::{self, MemberId, MemberStatus};
use crate::output::Row;
use crate::phone::E164;
use crate::whatsapp::Template;

pub mod history;
pub mod plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct BroadcastId(pub i64);

impl fmt::Display for BroadcastId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DeliveryId(pub i64);

/// A simple enum stored as text: `as_str` and parsing from the database.
macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn from_db(s: &str) -> rusqlite::Result<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(rusqlite::Error::InvalidColumnType(
                        0, other.to_string(), rusqlite::types::Type::Text)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(Kind { Notice => "notice", Request => "request" });
text_enum!(State { Sending => "sending", Paused => "paused", Finished => "finished" });
text_enum!(DeliveryState {
    Queued => "queued",
    Sending => "sending",
    Sent => "sent",
    Delivered => "delivered",
    Read => "read",
    Failed => "failed",
    Expired => "expired",
    Unknown => "unknown",
});

/// The separator used when paragraphs are folded into one template parameter.
const FOLD: &str = " — ";
/// Meta's limit on a rendered template body, in characters.
const MAX_BODY: usize = 1024;

/// Maps a message onto a template's body parameters. WhatsApp allows no line
/// break or tab in a parameter, nor more than four spaces in a row, so each
/// paragraph becomes one parameter with its white space folded to single
/// spaces; paragraphs beyond the template's slots are folded into the last one.
/// The lines (1-based) whose line break `template_params` folds into a
/// space: a line followed by another in the same paragraph. Shown by the dry
/// run, so nobody is surprised that a list became one line.
pub fn folded_line_breaks(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| !pair[0].trim().is_empty() && !pair[1].trim().is_empty())
        .map(|(i, _)| i + 1)
        .collect()
}

pub fn template_params(
    text: &str,
    slots: usize,
    fixed_chars: usize,
) -> Result<Vec<String>, String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    if paragraphs.is_empty() {
        return Err("the message is empty".to_string());
    }
    if paragraphs.len() < slots {
        return Err(format!(
            "the template has {slots} body parameters but the message has {} paragraph(s); \
             write at least {slots} paragraphs separated by blank lines, or use a template with fewer parameters",
            paragraphs.len()
        ));
    }
    let rest = paragraphs.split_off(slots - 1).join(FOLD);
    paragraphs.push(rest);
    let length = fixed_chars + paragraphs.iter().map(|p| p.chars().count()).sum::<usize>();
    if length > MAX_BODY {
        return Err(format!(
            "the message is {length} characters as WhatsApp would show it (template text included); \
             WhatsApp allows at most {MAX_BODY}: shorten it by {}",
            length - MAX_BODY
        ));
    }
    Ok(paragraphs)
}

/// Who a broadcast goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Active members, narrowed by role and location (empty = everyone).
    Members {
        roles: Vec<String>,
        locations: Vec<String>,
    },
    /// One number, member or not, for a test send.
    Test { phone: E164 },
}

impl Audience {
    /// A canonical form, so the same audience written differently compares equal.
    fn key(&self) -> String {
        match self {
            Audience::Members { roles, locations } => {
                let norm = |v: &[String]| {
                    let mut v: Vec<String> = v.iter().map(|s| s.trim().to_lowercase()).collect();
                    v.sort();
                    v.dedup();
                    v
                };
                json!({ "members": { "roles": norm(roles), "locations": norm(locations) } })
                    .to_string()
            }
            Audience::Test { phone } => json!({ "test": phone }).to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub member_id: Option<MemberId>,
    pub phone: E164,
}

/// The recipients of an audience, and who matched but is excluded, by status.
#[derive(Debug, Default, Serialize)]
pub struct Selection {
    #[serde(skip)]
    pub recipients: Vec<Recipient>,
    pub excluded: BTreeMap<MemberStatus, usize>,
}

pub fn select(conn: &Connection, audience: &Audience) -> Result<Selection> {
    match audience {
        Audience::Test { phone } => Ok(Selection {
            recipients: vec![Recipient {
                member_id: members::by_phone(conn, phone)?.map(|m| m.id),
                phone: phone.clone(),
            }],
            excluded: BTreeMap::new(),
        }),
        Audience::Members { roles, locations } => {
            let filter = members::Filter {
                roles: roles.clone(),
                locations: locations.clone(),
                ..members::Filter::default()
            };
            let mut selection = Selection::default();
            for m in members::list(conn, &filter)? {
                if m.status == MemberStatus::Active {
                    selection.recipients.push(Recipient {
                        member_id: Some(m.id),
                        phone: m.phone,
                    });
                } else {
                    *selection.excluded.entry(m.status).or_default() += 1;
                }
            }
            Ok(selection)
        }
    }
}

/// A broadcast about to be created.
#[derive(Debug)]
pub struct NewBroadcast<'a> {
    pub kind: Kind,
    pub body: &'a str,
    pub template: &'a Template,
    pub audience: &'a Audience,
    pub created_by: &'a str,
    pub created_at: Timestamp,
    pub not_after: Timestamp,
}

/// An earlier broadcast of the same text to the same audience since `since`.
/// "The same text" means the same template parameters: what members would
/// read, whatever white space the text was typed with.
pub fn find_duplicate(
    conn: &Connection,
    params: &[String],
    audience: &Audience,
    since: Timestamp,
) -> Result<Option<(BroadcastId, String)>> {
    if matches!(audience, Audience::Test { .. }) {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, audience FROM broadcasts
         WHERE params = ?1 AND is_test = 0 AND created_at >= ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![serde_json::to_string(params)?, ts(since)], |r| {
        Ok((
            BroadcastId(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let key = audience.key();
    for row in rows {
        let (id, at, stored) = row?;
        if serde_json::from_str::<Audience>(&stored).is_ok_and(|a| a.key() == key) {
            return Ok(Some((id, at)));
        }
    }
    Ok(None)
}

impl<'de> serde::Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Stored {
            Members {
                roles: Vec<String>,
                locations: Vec<String>,
            },
            Test {
                phone: String,
            },
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Members { roles, locations } => Audience::Members { roles, locations },
            Stored::Test { phone } => Audience::Test {
                phone: E164::from_stored(phone),
            },
        })
    }
}

/// Writes the broadcast and one `queued` delivery per recipient in one
/// transaction: after this returns, nothing about who should get it can be lost.
pub fn create(
    conn: &mut Connection,
    b: &NewBroadcast,
    recipients: &[Recipient],
) -> Result<BroadcastId> {
    create_with(conn, b, recipients, &|_, _| Ok(()))
}

/// Like [`create`], with `also` run in the same transaction once the id is
/// known: what another module records about the broadcast (a request's
/// options) is then written with it or not at all.
pub fn create_with(
    conn: &mut Connection,
    b: &NewBroadcast,
    recipients: &[Recipient],
    also: &dyn Fn(&rusqlite::Transaction, BroadcastId) -> Result<()>,
) -> Result<BroadcastId> {
    let tx = conn.transaction()?;
    let now = ts(b.created_at);
    tx.execute(
        "INSERT INTO broadcasts (kind, body, template, language, params, audience, is_test,
                                 created_by, created_at, not_after, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'sending')",
        params![
            b.kind.as_str(),
            b.body,
            b.template.name,
            b.template.language,
            serde_json::to_string(&b.template.params)?,
            serde_json::to_string(b.audience)?,
            matches!(b.audience, Audience::Test { .. }),
            b.created_by,
            now,
            ts(b.not_after),
        ],
    )?;
    let id = BroadcastId(tx.last_insert_rowid());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO deliveries (broadcast_id, member_id, phone, state, updated_at)
             VALUES (?1, ?2, ?3, 'queued', ?4)",
        )?;
        for r in recipients {
            insert.execute(params![
                id.0,
                r.member_id.map(|m| m.0),
                r.phone.as_str(),
                now
            ])?;
        }
    }
    also(&tx, id)?;
    tx.commit()?;
    Ok(id)
}

/// A stored broadcast, with what the sender needs to continue it.
#[derive(Debug, Clone, Serialize)]
pub struct Broadcast {
    pub id: BroadcastId,
    pub kind: Kind,
    pub state: State,
    pub body: String,
    pub template: String,
    pub language: String,
    pub params: Vec<String>,
    pub is_test: bool,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub not_after: String,
    pub pause_reason: Option<String>,
}

impl Broadcast {
    /// Refuses to send anything more of a broadcast whose text the retention
    /// policy removed: its template would go out with no words in it.
    pub fn refuse_if_text_removed(&self) -> Result<()> {
        if self.body != crate::retention::REMOVED_TEXT {
            return Ok(());
        }
        Err(crate::exit::Failure::new(
            crate::exit::Exit::Paused,
            format!(
                "broadcast {}'s text was removed by the retention policy, so nothing more can be sent from it",
                self.id
            ),
        )
        .help("send the notice again as a new broadcast with `mot send`")
        .into())
    }

    pub fn template(&self) -> Template {
        Template {
            name: self.template.clone(),
            language: self.language.clone(),
            params: self.params.clone(),
            buttons: Vec::new(),
        }
    }

    pub fn not_after(&self) -> Result<Timestamp> {
        self.not_after
            .parse()
            .context("bad not_after in the database")
    }
}

pub fn get(conn: &Connection, id: BroadcastId) -> Result<Option<Broadcast>> {
    let row = conn
        .prepare_cached(
            "SELECT id, kind, state, body, template, language, params, is_test, created_by,
                    created_at, started_at, finished_at, not_after, pause_reason
             FROM broadcasts WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            Ok((
                Broadcast {
                    id: BroadcastId(r.get(0)?),
                    kind: Kind::from_db(&r.get::<_, String>(1)?)?,
                    state: State::from_db(&r.get::<_, String>(2)?)?,
                    body: r.get(3)?,
                    template: r.get(4)?,
                    language: r.get(5)?,
                    params: Vec::new(),
                    is_test: r.get(7)?,
                    created_by: r.get(8)?,
                    created_at: r.get(9)?,
                    started_at: r.get(10)?,
                    finished_at: r.get(11)?,
                    not_after: r.get(12)?,
                    pause_reason: r.get(13)?,
                },
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    row.map(|(mut b, params)| {
        b.params = serde_json::from_str(&params).context("bad params in the database")?;
        Ok(b)
    })
    .transpose()
}

/// Like [`get`], but a missing broadcast is an error that says what to do.
pub fn must_get(conn: &Connection, id: BroadcastId) -> Result<Broadcast> {
    get(conn, id)?.ok_or_else(|| {
        crate::exit::error_with_help(format!("no broadcast {id}"), "see `mot broadcasts list`")
    })
}

pub fn set_state(
    conn: &Connection,
    id: BroadcastId,
    state: State,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let now = ts(now);
    conn.prepare_cached(
        "UPDATE broadcasts SET state = ?2, pause_reason = ?3,
                started_at = coalesce(started_at, ?4),
                finished_at = CASE WHEN ?2 = 'finished' THEN ?4 ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![id.0, state.as_str(), reason, now])?;
    Ok(())
}

/// Pauses the broadcast a delivery belongs to, for an error reported late (a
/// `failed` status with a template, account or token code), if it still has
/// something to send: the same stop a synchronous error makes. A running
/// sender sees the state and stops claiming. True if it paused anything.
pub fn pause_for_late_failure(
    conn: &Connection,
    delivery: DeliveryId,
    reason: &str,
    now: Timestamp,
) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE broadcasts SET state = 'paused', pause_reason = ?2, finished_at = NULL,
                    started_at = coalesce(started_at, ?3)
             WHERE id = (SELECT broadcast_id FROM deliveries WHERE id = ?1)
               AND (state = 'sending' OR EXISTS (
                   SELECT 1 FROM deliveries d
                   WHERE d.broadcast_id = broadcasts.id AND d.state IN ('queued', 'sending')))",
        )?
        .execute(params![delivery.0, reason, ts(now)])?;
    Ok(changed > 0)
}

/// The state and pause reason stored for a broadcast, as another process
/// (a receiver applying a late failure) may have changed it.
pub fn stored_state(conn: &Connection, id: BroadcastId) -> Result<(State, Option<String>)> {
    let (state, reason): (String, Option<String>) = conn
        .prepare_cached("SELECT state, pause_reason FROM broadcasts WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((State::from_db(&state)?, reason))
}

/// A delivery waiting to be sent.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: DeliveryId,
    pub phone: E164,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
}

/// The deliveries still `queued`, in id order. Rows whose member was erased
/// meanwhile have no number left: they are failed as `removed` here.
pub fn pending(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<Vec<Pending>> {
    conn.prepare_cached(
        "UPDATE deliveries SET state = 'failed', error_class = 'removed',
                error_message = 'member removed before sending', updated_at = ?2
         WHERE broadcast_id = ?1 AND state = 'queued' AND phone IS NULL",
    )?
    .execute(params![id.0, ts(now)])?;
    // A member's number may have changed since the broadcast was written:
    // send to the number they have now.
    conn.prepare_cached(
        "UPDATE deliveries SET phone = (SELECT phone FROM members WHERE id = member_id)
         WHERE broadcast_id = ?1 AND state = 'queued' AND member_id IS NOT NULL",
    )?
    .execute([id.0])?;
    // Rows the messaging limit holds back wait for a resume, not for this run.
    let mut stmt = conn.prepare_cached(
        "SELECT id, phone, attempts, next_attempt_at FROM deliveries
         WHERE broadcast_id = ?1 AND state = 'queued'
           AND NOT (coalesce(error_class, '') = 'messaging_limit' AND next_attempt_at > ?2)
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![id.0, ts(now)], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, phone, attempts, next) = row?;
        out.push(Pending {
            id: DeliveryId(id),
            phone: E164::from_stored(phone),
            attempts,
            next_attempt_at: next
                .map(|t| t.parse())
                .transpose()
                .context("bad next_attempt_at")?,
        });
    }
    Ok(out)
}

/// Moves every delivery of `id` in state `from` to `to`; returns how many.
pub fn move_all(
    conn: &Connection,
    id: BroadcastId,
    from: DeliveryState,
    to: DeliveryState,
    now: Timestamp,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE deliveries SET state = ?3, next_attempt_at = NULL, updated_at = ?4
             WHERE broadcast_id = ?1 AND state = ?2",
        )?
        .execute(params![id.0, from.as_str(), to.as_str(), ts(now)])?)
}

/// Failed deliveries whose error class makes another try sensible.
const RETRYABLE: &str = "broadcast_id = ?1 AND state = 'failed'
    AND error_class IN ('transient', 'throttled', 'pair_limit', 'platform')
    AND phone IS NOT NULL
    -- never a message WhatsApp accepted and reported failed later:
    -- a late 'delivered' for it may still come
    AND wamid IS NULL AND sent_at IS NULL";

/// How many failed deliveries [`requeue_retryable`] would re-queue.
pub fn count_retryable(conn: &Connection, id: BroadcastId) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM deliveries WHERE {RETRYABLE}"
        ))?
        .query_row([id.0], |r| r.get(0))?)
}

/// Re-queues failed deliveries whose error class makes another try sensible.
pub fn requeue_retryable(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<usize> {
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE deliveries SET state = 'queued', attempts = 0, next_attempt_at = NULL,
                    error_code = NULL, error_class = NULL, error_message = NULL, updated_at = ?2
             WHERE {RETRYABLE}"
        ))?
        .execute(params![id.0, ts(now)])?)
}

/// Marks deliveries `sending`: committed before their requests go out.
/// A row whose member has meanwhile opted out, lapsed or been removed is not
/// claimed but failed, so nobody is messaged after leaving. Returns the ids
/// claimed, which are the only ones that may be sent.
pub fn claim(conn: &Connection, ids: &[DeliveryId], now: Timestamp) -> Result<Vec<DeliveryId>> {
    let mut claim = conn.prepare_cached(
        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?2
         WHERE id = ?1 AND state = 'queued' AND phone IS NOT NULL
           AND (member_id IS NULL
                OR (SELECT status FROM members WHERE id = member_id) = 'active'
                OR (SELECT is_test FROM broadcasts WHERE id = broadcast_id) = 1)",
    )?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        if claim.execute(params![id.0, ts(now)])? == 1 {
            claimed.push(*id);
        } else {
            conn.prepare_cached(
                "UPDATE deliveries SET state = 'failed', error_class = 'not_active', error_code = NULL,
                        next_attempt_at = NULL,
                        error_message = 'the member opted out, lapsed or was removed before sending',
                        updated_at = ?2
                 WHERE id = ?1 AND state = 'queued'",
            )?
            .execute(params![id.0, ts(now)])?;
        }
    }
    Ok(claimed)
}

/// Where a send left one delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Disposition {
    Sent {
        wamid: String,
    },
    /// Back in the queue, to be tried again at `at`. Only temporary errors
    /// use up one of the row's tries (`counts`); throttling, pair limits and
    /// pauses are nobody's fault and do not.
    Retry {
        at: Timestamp,
        code: Option<i64>,
        class: &'static str,
        message: String,
        counts: bool,
    },
    /// Still queued when the broadcast's `not_after` passed: never sent late.
    Expired,
    Failed {
        code: Option<i64>,
        class: &'static str,
        message: String,
    },
    Unknown {
        message: String,
    },
}

/// Records what became of a claimed delivery. Returns false when the row
/// was no longer `sending` (a status event already moved it on), in which
/// case nothing changed and the caller must not queue it again.
pub fn record(
    conn: &Connection,
    id: DeliveryId,
    result: &Disposition,
    now: Timestamp,
) -> Result<bool> {
    let now = ts(now);
    let none = || (None, None, None);
    let (state, wamid, next, (code, class, message), refund) = match result {
        Disposition::Sent { wamid } => (
            DeliveryState::Sent,
            Some(wamid.as_str()),
            None,
            none(),
            false,
        ),
        Disposition::Retry {
            at,
            code,
            class,
            message,
            counts,
        } => (
            DeliveryState::Queued,
            None,
            Some(ts(*at)),
            (*code, Some(*class), Some(message.as_str())),
            !counts,
        ),
        Disposition::Failed {
            code,
            class,
            message,
        } => (
            DeliveryState::Failed,
            None,
            None,
            (*code, Some(*class), Some(message.as_str())),
            false,
        ),
        Disposition::Unknown { message } => (
            DeliveryState::Unknown,
            None,
            None,
            (None, Some("unknown"), Some(message.as_str())),
            false,
        ),
        Disposition::Expired => (DeliveryState::Expired, None, None, none(), false),
    };
    let changed = conn
        .prepare_cached(
            "UPDATE deliveries SET state = ?2, wamid = coalesce(?3, wamid), next_attempt_at = ?4,
                    error_code = ?5, error_class = ?6, error_message = ?7,
                    sent_at = CASE WHEN ?2 = 'sent' THEN ?8 ELSE sent_at END, updated_at = ?8,
                    attempts = attempts - ?9
             WHERE id = ?1 AND state = 'sending'",
        )?
        .execute(params![
            id.0,
            state.as_str(),
            wamid,
            next,
            code,
            class,
            message,
            now,
            refund as i64
        ])?;
    Ok(changed == 1)
}

/// How a broadcast stands: its deliveries counted by state, and failures by reason.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: BroadcastId,
    pub kind: Kind,
    pub state: State,
    pub is_test: bool,
    pub created_at: String,
    pub created_by: String,
    pub not_after: String,
    pub pause_reason: Option<String>,
    pub recipients: i64,
    pub counts: BTreeMap<DeliveryState, i64>,
    /// Sent, delivered or read: WhatsApp took the message, whether or not a
    /// delivery report has come back yet (the table's column of that name).
    pub accepted_by_whatsapp: i64,
    /// Delivered or read.
    pub delivered: i64,
    pub read: i64,
    pub failed_by_reason: BTreeMap<String, i64>,
    /// The start of the text, for lists, ending "…" when cut.
    pub preview: String,
    /// The whole text, and the template parameters it was sent as.
    pub text: String,
    pub parameters: Vec<String>,
    /// Failed rows by (error code, count), for their meaning in the summary.
    #[serde(skip)]
    failures: Vec<(Option<i64>, String, i64)>,
    /// Failed rows by error class (`unknown` where none was recorded).
    #[serde(skip)]
    pub failed_by_class: BTreeMap<String, i64>,
}

/// Characters of a broadcast's text a list shows.
const PREVIEW_CHARS: usize = 40;

/// The start of `body` on one line, with "…" when there is more.
fn preview(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= PREVIEW_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(PREVIEW_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

pub fn summary(conn: &Connection, id: BroadcastId) -> Result<Summary> {
    let b = must_get(conn, id)?;
    let mut counts: BTreeMap<DeliveryState, i64> =
        DeliveryState::ALL.iter().map(|s| (*s, 0)).collect();
    let mut stmt = conn.prepare_cached(
        // Rows `mot purge` deleted live on as totals: count both.
        "SELECT state, sum(n) FROM (
             SELECT state, count(*) AS n FROM deliveries WHERE broadcast_id = ?1 GROUP BY state
             UNION ALL
             SELECT state, n FROM delivery_totals WHERE broadcast_id = ?1
         ) GROUP BY state",
    )?;
    for row in stmt.query_map([id.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (state, n) = row?;
        counts.insert(DeliveryState::from_db(&state)?, n);
    }
    let mut failed_by_reason = BTreeMap::new();
    let mut failed_by_class = BTreeMap::new();
    let mut failures = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(error_class, '?'), error_code, sum(n) FROM (
             SELECT error_class, error_code, count(*) AS n FROM deliveries
             WHERE broadcast_id = ?1 AND state = 'failed' GROUP BY 1, 2
             UNION ALL
             SELECT error_class, error_code, n FROM delivery_totals
             WHERE broadcast_id = ?1 AND state = 'failed'
         ) GROUP BY 1, 2",
    )?;
    for row in stmt.query_map([id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (class, code, n) = row?;
        let named = if class == "?" { "unknown" } else { &class };
        *failed_by_class.entry(named.to_string()).or_default() += n;
        let reason = match code {
            Some(code) => format!("{class} ({code})"),
            None => class,
        };
        failed_by_reason.insert(reason.clone(), n);
        failures.push((code, reason, n));
    }
    let count = |s: DeliveryState| counts.get(&s).copied().unwrap_or(0);
    let read = count(DeliveryState::Read);
    let delivered = count(DeliveryState::Delivered) + read;
    let accepted_by_whatsapp = count(DeliveryState::Sent) + delivered;
    Ok(Summary {
        id,
        kind: b.kind,
        state: b.state,
        is_test: b.is_test,
        preview: preview(&b.body),
        text: b.body,
        parameters: b.params,
        created_at: b.created_at,
        created_by: b.created_by,
        not_after: b.not_after,
        pause_reason: b.pause_reason,
        recipients: counts.values().sum(),
        counts,
        accepted_by_whatsapp,
        delivered,
        read,
        failed_by_reason,
        failures,
        failed_by_class,
    })
}

/// Every broadcast, newest first.
pub fn list(conn: &Connection) -> Result<Vec<Summary>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM broadcasts ORDER BY id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| summary(conn, BroadcastId(id)))
        .collect()
}

impl Summary {
    pub fn count(&self, s: DeliveryState) -> i64 {
        self.counts.get(&s).copied().unwrap_or(0)
    }

    /// Accepted by WhatsApp, whether or not a delivery report has come back yet.
    pub fn reached(&self) -> i64 {
        self.accepted_by_whatsapp
    }
}

impl Row for Summary {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "kind",
        "state",
        "created_at",
        "recipients",
        "accepted_by_whatsapp",
        "delivered",
        "read",
        "failed",
        "expired",
        "unknown",
        "queued",
        "text",
    ];

    fn cells(&self) -> Vec<String> {
        let kind = if self.is_test {
            format!("{} (test)", self.kind)
        } else {
            self.kind.to_string()
        };
        vec![
            self.id.to_string(),
            kind,
            self.state.to_string(),
            self.created_at.clone(),
            self.recipients.to_string(),
            self.accepted_by_whatsapp.to_string(),
            self.delivered.to_string(),
            self.read.to_string(),
            self.count(DeliveryState::Failed).to_string(),
            self.count(DeliveryState::Expired).to_string(),
            self.count(DeliveryState::Unknown).to_string(),
            (self.count(DeliveryState::Queued) + self.count(DeliveryState::Sending)).to_string(),
            self.preview.clone(),
        ]
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let test = if self.is_test { " (test)" } else { "" };
        writeln!(
            f,
            "broadcast {}{test}: {}, {} recipient(s)",
            self.id, self.state, self.recipients
        )?;
        if let Some(reason) = &self.pause_reason {
            writeln!(f, "  paused: {reason}")?;
        }
        writeln!(
            f,
            "  accepted by WhatsApp {} (delivered {}, read {}), failed {}, expired {}, unknown {}, not yet sent {}",
            self.accepted_by_whatsapp,
            self.delivered,
            self.read,
            self.count(DeliveryState::Failed),
            self.count(DeliveryState::Expired),
            self.count(DeliveryState::Unknown),
            self.count(DeliveryState::Queued) + self.count(DeliveryState::Sending),
        )?;
        for (code, reason, n) in &self.failures {
            match code {
                Some(code) => writeln!(
                    f,
                    "  failed: {n} × {reason}: {}",
                    crate::lapsed::meaning(*code)
                )?,
                None => writeln!(f, "  failed: {n} × {reason}")?,
            }
        }
        if !self.failures.is_empty() {
            writeln!(f, "  who: mot report broadcast {}", self.id)?;
        }
        Ok(())
    }
}

impl Summary {
    /// The whole text and the parameters it was sent as, after the counts:
    /// what `broadcasts show` adds to the send summary.
    pub fn full_text(&self) -> String {
        let mut s = format!("text:\n{}\n", self.text);
        if !self.parameters.is_empty() {
            s.push_str("parameters sent:\n");
            for (i, p) in self.parameters.iter().enumerate() {
                s.push_str(&format!("  {}: {p}\n", i + 1));
            }
        }
        s
    }
}

/// One recipient's line in a broadcast's delivery report.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub delivery_id: i64,
    pub member_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub state: DeliveryState,
    pub sent_at: Option<String>,
    pub updated_at: String,
    pub attempts: i64,
    pub error_code: Option<i64>,
    pub error_class: Option<String>,
    pub error_message: Option<String>,
}

impl Row for DeliveryRow {
    const HEADERS: &'static [&'static str] = &[
        "member",
        "name",
        "phone",
        "state",
        "sent_at",
        "updated_at",
        "error",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.member_id
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".into()),
            self.name
                .clone()
                .unwrap_or_else(|| "(removed or not a member)".into()),
            self.phone.clone().unwrap_or_default(),
            self.state.to_string(),
            self.sent_at.clone().unwrap_or_default(),
            self.updated_at.clone(),
            self.error_message.clone().unwrap_or_default(),
        ]
    }
}

/// How many of a broadcast's per-member rows `mot purge` has replaced by totals.
pub fn purged_deliveries(conn: &Connection, id: BroadcastId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(sum(n), 0) FROM delivery_totals WHERE broadcast_id = ?1")?
        .query_row([id.0], |r| r.get(0))?)
}

/// Every delivery of a broadcast, with the member it went to, in ledger order.
pub fn deliveries(conn: &Connection, id: BroadcastId) -> Result<Vec<DeliveryRow>> {
    must_get(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.member_id, m.name, d.phone, d.state, d.sent_at, d.updated_at, d.attempts,
                d.error_code, d.error_class, d.error_message
         FROM deliveries d LEFT JOIN members m ON m.id = d.member_id
         WHERE d.broadcast_id = ?1 ORDER BY d.id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok(DeliveryRow {
            delivery_id: r.get(0)?,
            member_id: r.get(1)?,
            name: r.get(2)?,
            phone: r.get(3)?,
            state: DeliveryState::from_db(&r.get::<_, String>(4)?)?,
            sent_at: r.get(5)?,
            updated_at: r.get(6)?,
            attempts: r.get(7)?,
            error_code: r.get(8)?,
            error_class: r.get(9)?,
            error_message: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_line_breaks_are_those_inside_a_paragraph() {
        assert_eq!(
            folded_line_breaks("One\ntwo\n\nThree\nfour\nfive"),
            [1, 4, 5]
        );
        assert!(folded_line_breaks("One\n\nTwo\n").is_empty());
        assert!(folded_line_breaks("Just one line").is_empty());
    }

    #[test]
    fn paragraphs_fill_slots_and_fold_into_the_last() {
        let text = "Shortage of amoxicillin\n250mg   capsules.\n\n\tUse the alternative.\r\n\n\nCall 0113 496 0000.";
        assert_eq!(
            template_params(text, 1, 0).unwrap(),
            [
                "Shortage of amoxicillin 250mg capsules. — Use the alternative. — Call 0113 496 0000."
            ]
        );
        assert_eq!(
            template_params(text, 2, 0).unwrap(),
            [
                "Shortage of amoxicillin 250mg capsules.",
                "Use the alternative. — Call 0113 496 0000."
            ]
        );
        for p in template_params(text, 3, 0).unwrap() {
            assert!(
                !p.contains('\n') && !p.contains('\t') && !p.contains("  "),
                "{p:?}"
            );
        }
    }

    #[test]
    fn text_that_cannot_fit_is_refused_with_the_reason() {
        assert!(
            template_params(" \n\t ", 1, 0)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            template_params("one paragraph", 2, 0)
                .unwrap_err()
                .contains("2 body parameters")
        );
        let long = "x".repeat(1000);
        assert!(template_params(&long, 1, 0).is_ok());
        let err = template_params(&long, 1, 30).unwrap_err();
        assert!(
            err.contains("1030 characters") && err.contains("shorten it by 6"),
            "{err}"
        );
    }

    #[test]
    fn audience_keys_ignore_case_order_and_repeats() {
        let a = Audience::Members {
            roles: vec!["Pharmacist".into(), "GP".into()],
            locations: vec![],
        };
        let b = Audience::Members {
            roles: vec!["gp".into(), "pharmacist ".into(), "GP".into()],
            locations: vec![],
        };
        assert_eq!(a.key(), b.key());
        let stored = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Audience>(&stored).unwrap(), a);
    }
}
