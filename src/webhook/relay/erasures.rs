//! Erasures the relay is owed: when the laptop erases a person, the events
//! the relay stores from or naming them must go too. Each is remembered in
//! the erasing transaction (so no crash loses it), sent at once and at every
//! later contact (`mot status pull`), and forgotten once the relay confirms.
//! Until then the number stays in `relay_erasures`, and only there: it is
//! what the relay must be told, and `--verify` says it is not yet done.

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

use crate::config::Secret;
use crate::db::ts;
use crate::phone::E164;

/// Remembers that the relay must delete what it holds from or about `phone`.
pub fn owe(conn: &Connection, phone: &E164, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO relay_erasures (phone, owed_since) VALUES (?1, ?2)
         ON CONFLICT (phone) DO NOTHING",
    )?
    .execute([phone.as_str(), &ts(now)])?;
    Ok(())
}

/// Every number whose erasure the relay has not confirmed.
pub fn owed(conn: &Connection) -> Result<Vec<E164>> {
    let phones = conn
        .prepare_cached("SELECT phone FROM relay_erasures ORDER BY owed_since, phone")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(phones.into_iter().map(E164::from_stored).collect())
}

/// Whether the relay still owes the erasure of `phone`.
pub fn is_owed(conn: &Connection, phone: &E164) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM relay_erasures WHERE phone = ?1")?
        .query_row([phone.as_str()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// What telling the relay achieved.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Told {
    /// Erasures the relay confirmed (and so forgotten here).
    pub confirmed: usize,
    /// Stored events the relay deleted for them.
    pub events_erased: u64,
    /// Erasures still owed.
    pub owed: usize,
    /// Why the rest are still owed.
    pub failure: Option<String>,
}

/// Sends every owed erasure to the relay at `url`; each confirmed one is
/// forgotten, and the WAL copied over so the number leaves the file.
pub fn tell(conn: &Connection, url: &str, token: &Secret) -> Result<Told> {
    let phones = owed(conn)?;
    let mut told = Told {
        owed: phones.len(),
        ..Told::default()
    };
    if phones.is_empty() {
        return Ok(told);
    }
    let (runtime, http) = super::http()?;
    for phone in &phones {
        let answer = runtime.block_on(async {
            let res = http
                .post(format!("{url}/events/erase"))
                .bearer_auth(token.expose())
                .json(&serde_json::json!({ "phone": phone.as_str() }))
                .send()
                .await?
                .error_for_status()?;
            res.json::<Value>().await
        });
        let erased = answer
            .map_err(anyhow::Error::from)
            .and_then(|v| match v["erased"].as_u64() {
                Some(n) => Ok(n),
                None => {
                    bail!("the relay did not say what it erased (is it an older mot? upgrade it)")
                }
            })
            .with_context(|| format!("cannot reach the relay at {url}"));
        match erased {
            Ok(n) => {
                conn.prepare_cached("DELETE FROM relay_erasures WHERE phone = ?1")?
                    .execute([phone.as_str()])?;
                told.confirmed += 1;
                told.owed -= 1;
                told.events_erased += n;
            }
            Err(e) => {
                // The same relay will not answer the next one either.
                told.failure = Some(format!("{e:#}"));
                break;
            }
        }
    }
    if told.confirmed > 0 {
        // A reader holding old pages only delays this to the next checkpoint.
        crate::db::checkpoint(conn)?;
    }
    Ok(told)
}
