//! The `settings` table: small named values the database keeps about
//! itself (its identity, the relay cursor, the last looked-up messaging
//! limit). Every read and write of it is here.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};

/// The value stored under `key`, if any.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Stores `value` under `key`, replacing what was there.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// This database's random identity, written by migration 6 (a laptop
/// notices a rebuilt relay by it).
pub fn instance_id(conn: &Connection) -> Result<String> {
    get(conn, "instance_id")?.context("the database has no identity (was it migrated?)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn a_value_is_replaced_and_a_missing_one_is_none() {
        let conn = open_in_memory();
        assert_eq!(get(&conn, "k").unwrap(), None);
        set(&conn, "k", "1").unwrap();
        set(&conn, "k", "2").unwrap();
        assert_eq!(get(&conn, "k").unwrap().as_deref(), Some("2"));
    }

    #[test]
    fn each_database_has_its_own_random_identity() {
        let (a, b) = (
            instance_id(&open_in_memory()).unwrap(),
            instance_id(&open_in_memory()).unwrap(),
        );
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
