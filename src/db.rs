//! The only way into the SQLite file: permissions, pragmas and the embedded,
//! numbered, append-only migrations (tracked in `PRAGMA user_version`).

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use crate::exit::{Exit, Failure, error_with_help};
use crate::platform;

pub mod backup;
pub mod location;
pub mod settings;
pub mod text_enum;

/// The migrations, one `.sql` file each in `src/db/migrations`: entry `i`
/// takes the schema to version `i + 1`, and all that are due run in one
/// transaction. Append only: never edit or reorder a migration that has
/// shipped (a database that ran it keeps what it did). Files 1-13 are, byte
/// for byte, the strings earlier versions embedded: their CREATE texts are
/// what older databases hold, hence their indentation. `db/snapshots/schema.snap` shows
/// the schema they build, so every change to it is seen in review.
const MIGRATIONS: &[&str] = &[
    include_str!("db/migrations/0001_members_and_audit.sql"),
    include_str!("db/migrations/0002_broadcasts_and_deliveries.sql"),
    include_str!("db/migrations/0003_statuses_inbound_and_webhook_events.sql"),
    include_str!("db/migrations/0004_opt_out_memory_and_flagged_messages.sql"),
    include_str!("db/migrations/0005_erasure_reaches_earlier_messages.sql"),
    include_str!("db/migrations/0006_relay_ids_identity_and_status_links.sql"),
    include_str!("db/migrations/0007_ledger_indexes_and_wider_erasure.sql"),
    include_str!("db/migrations/0008_requests.sql"),
    include_str!("db/migrations/0009_account_events_and_templates.sql"),
    include_str!("db/migrations/0010_delivery_totals.sql"),
    include_str!("db/migrations/0011_audit_ids_never_reused.sql"),
    include_str!("db/migrations/0012_erasure_markers_and_relay_erasures.sql"),
    include_str!("db/migrations/0013_unread_fields_counted_only.sql"),
    include_str!("db/migrations/0014_request_answers.sql"),
    include_str!("db/migrations/0015_held_expiry.sql"),
    include_str!("db/migrations/0016_members_ids_never_reused.sql"),
    include_str!("db/migrations/0017_signup_conversation.sql"),
    include_str!("db/migrations/0018_opt_out_words_and_answers_by_hand.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Whether `open` may create a missing database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    IfMissing,
    No,
}

/// Opens (or creates) the database at `path`, makes it private, applies the
/// pragmas and brings the schema up to date.
///
/// Nothing at `path` is changed until it is known to be a mot database (or
/// missing, where creating is allowed): a mistyped `--db` must never tighten
/// the permissions of, or write to, some other file. A database in a folder
/// other accounts can change, or beside a `-wal` or `-shm` another account
/// owns, is refused before SQLite opens anything (see [`location`]).
#[allow(clippy::disallowed_methods)]
pub fn open(path: &Path, create: Create) -> Result<Connection> {
    let shown = platform::display(path);
    let created = !check_file(path)?;
    if created && create == Create::No {
        return Err(error_with_help(
            format!("no database at {shown}"),
            "run `mot init` to create one, or check --db / MOT_DB / [database] path",
        ));
    }
    location::check_folders(path)?;
    if created {
        crate::platform::write_private_file(path, b"")?;
        let id =
            platform::identity_at(path).with_context(|| format!("cannot read database {shown}"))?;
        handed_to_sqlite().push((id.device, id.index));
    }

    location::check_companions(path)?;

    let conn = Connection::open(path).with_context(|| format!("cannot open database {shown}"))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    no_temporary_files(&conn).map_err(|e| explain(e, path))?;
    if !created {
        verify_schema(&conn, path)?;
    }
    prepare(&conn, path)?;
    // Only now that it is ours: the file and the WAL and shared-memory
    // files SQLite keeps beside it are for the owner alone.
    location::tighten(path)?;
    Ok(conn)
}

/// Keeps SQLite's temporary files (sorts too big for memory, temporary
/// tables and indexes, statement journals, the copy `VACUUM` builds) in
/// memory: on disk they would go to the system's temporary folder
/// (`%TEMP%`, `/tmp`), out of mot's private one. A database of mot's size
/// fits; pointing SQLite at another folder instead would take the
/// deprecated, process-wide `temp_store_directory`.
fn no_temporary_files(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "temp_store", "MEMORY")
}

/// Opens the database at `path` read-only, without changing a byte (no
/// pragma that writes, no migrations, permissions left as they are), after
/// the checks `open` makes: a regular file with one name, SQLite's header,
/// no `-wal` or `-shm` of another account's, mot's schema, not from a newer
/// mot. For `mot doctor`, which reports what it finds before any command
/// would migrate it, and judges the folder itself. Returns its schema version.
#[allow(clippy::disallowed_methods)]
pub fn open_read_only(path: &Path) -> Result<(Connection, i64)> {
    if !check_file(path)? {
        return Err(error_with_help(
            format!("no database at {}", platform::display(path)),
            "run `mot init` to create it, or check --db / MOT_DB / [database] path",
        ));
    }
    location::check_companions(path)?;
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| explain(e, path))?;
    no_temporary_files(&conn).map_err(|e| explain(e, path))?;
    verify_schema(&conn, path)?;
    let version = known_version(&conn, path)?;
    Ok((conn, version))
}

/// Whether a database file exists at `path`, refusing anything there that
/// cannot be one, before touching it.
fn check_file(path: &Path) -> Result<bool> {
    let shown = platform::display(path);
    let not_ours = |why: &str| {
        error_with_help(
            format!("{shown} is not a mot database: {why}; it was not changed"),
            "check --db / MOT_DB / [database] path; `mot init` creates a new database",
        )
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot read database {shown}")),
    };
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(not_ours(&format!("it is {what}")));
    }
    if meta.len() == 0 {
        return Err(not_ours("it is an empty file"));
    }
    // Two names for one file would mean two WAL files and two send locks,
    // and so corruption and double sends.
    let id =
        platform::identity_at(path).with_context(|| format!("cannot read database {shown}"))?;
    if id.links > 1 {
        return Err(error_with_help(
            format!(
                "database {shown} has {} names (hard links); mot refuses it, since SQLite and the send lock each need one name per file",
                id.links
            ),
            "remove the extra links and always use one path",
        ));
    }
    // Once SQLite has the file, this process never opens it itself: closing
    // that descriptor would drop every POSIX lock SQLite holds on it, and the
    // next program to close the database (a DB browser, a backup script)
    // would then delete the WAL under us. Its header was read before that.
    let mut checked = handed_to_sqlite();
    if checked.contains(&(id.device, id.index)) {
        return Ok(true);
    }
    let mut file = fs::File::open(path).with_context(|| format!("cannot read database {shown}"))?;
    let mut header = [0u8; 16];
    if file.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
        return Err(not_ours("it is not an SQLite file"));
    }
    drop(file);
    checked.push((id.device, id.index));
    Ok(true)
}

/// Database files (device, index) this process has checked (or created)
/// and handed to SQLite: see `check_file`.
fn handed_to_sqlite() -> std::sync::MutexGuard<'static, Vec<(u64, u64)>> {
    static FILES: std::sync::Mutex<Vec<(u64, u64)>> = std::sync::Mutex::new(Vec::new());
    FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// A SQLite file that mot did not write (schema 0 but tables in it) is
/// someone else's: refuse it before the migrations would write to it.
fn verify_schema(conn: &Connection, path: &Path) -> Result<()> {
    let (version, tables): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_schema WHERE type = 'table')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| explain(e, path))?;
    let has_members: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'members'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| explain(e, path))?;
    if (version == 0 && tables > 0) || (version > 0 && !has_members) {
        return Err(error_with_help(
            format!(
                "{} is an SQLite database but not mot's; it was not changed",
                platform::display(path)
            ),
            "check --db / MOT_DB / [database] path",
        ));
    }
    Ok(())
}

/// A connection to nothing (an empty in-memory database): what a command
/// holds while its real connection is closed (see `Context::without_db`).
#[allow(clippy::disallowed_methods)]
pub fn nothing() -> Result<Connection> {
    Ok(Connection::open_in_memory()?)
}

/// An in-memory database with the full schema, for unit tests.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
pub fn open_in_memory() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    prepare(&conn, Path::new(":memory:")).unwrap();
    conn
}

/// The schema version of the database, refusing one written by a newer mot.
/// It changes nothing, and it is where a file that is not SQLite shows itself.
fn known_version(conn: &Connection, path: &Path) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| explain(e, path))?;
    if version > SCHEMA_VERSION {
        return Err(error_with_help(
            format!(
                "database {} was written by a newer mot (schema {version}; this mot knows up to {SCHEMA_VERSION}); it was not changed",
                path.display()
            ),
            "upgrade mot to use this database",
        ));
    }
    Ok(version)
}

fn prepare(conn: &Connection, path: &Path) -> Result<()> {
    let version = known_version(conn, path)?;
    let setup = || -> rusqlite::Result<()> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        migrate(conn, version)
    };
    setup().map_err(|e| explain(e, path))
}

/// Runs the migrations that are due, in one transaction, with foreign keys
/// off (SQLite's own way to rebuild a table: with them on, dropping a table
/// others refer to would run their `ON DELETE` actions). Foreign keys are
/// checked before committing, and are on again afterwards whatever happened.
fn migrate(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrate_unchecked(conn);
    let on = conn.pragma_update(None, "foreign_keys", "ON");
    migrated.and(on)
}

fn migrate_unchecked(conn: &Connection) -> rusqlite::Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Another mot may have migrated while we waited for the write lock.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let broken_links = |tx: &rusqlite::Transaction| -> rusqlite::Result<i64> {
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
    };
    let broken_before = broken_links(&tx)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    if broken_links(&tx)? > broken_before {
        // Dropping the transaction rolls every migration back.
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some("a migration broke links between tables; nothing was changed".into()),
        ));
    }
    tx.commit()
}

/// Turns what SQLite says about a bad file into a sentence a pharmacist can act on.
fn explain(err: rusqlite::Error, path: &Path) -> anyhow::Error {
    let shown = path.display();
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => error_with_help(
            format!(
                "{shown} is not a mot database: SQLite says it is not a database or is corrupt"
            ),
            "check --db / MOT_DB points at the right file; restore it from a backup if it is damaged",
        ),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Failure::new(
            Exit::Locked,
            format!("database {shown} is locked by another program"),
        )
        .help("wait for the other mot to finish, then try again")
        .into(),
        _ => anyhow::Error::new(err).context(format!("cannot open database {shown}")),
    }
}

/// Copies the write-ahead log into the database file and empties it, so
/// that erased bytes live on in neither. Best effort: another connection
/// reading at the time can keep it from finishing (it finishes next time).
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// How timestamps are stored: UTC, to the second, so text order is time order.
pub fn ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    /// Every table, index, view and trigger, by type and name, as SQLite
    /// holds it (an index SQLite made for a UNIQUE or PRIMARY KEY has no SQL).
    fn schema(conn: &Connection) -> String {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let mut out = format!("-- user_version {version}\n");
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (kind, name, sql) = row.unwrap();
            let sql = sql.unwrap_or_else(|| "(made by SQLite)".into());
            out.push_str(&format!("\n-- {kind} {name}\n{sql};\n"));
        }
        out
    }

    /// The schema a new database gets: any change to a migration shows in
    /// review as a change to this snapshot.
    #[test]
    fn the_schema_is_the_snapshot() {
        insta::with_settings!({ snapshot_path => "db/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("schema", schema(&open_in_memory()));
        });
    }

    /// A database that earlier versions built (migrations 1-13, as their
    /// Rust strings shipped) and this version migrates ends with the schema
    /// of a new one.
    #[test]
    fn an_old_database_migrated_has_the_schema_of_a_new_one() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("db/testdata/schema_13.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 13).unwrap();
        prepare(&conn, Path::new(":memory:")).unwrap();
        assert_eq!(schema(&conn), schema(&open_in_memory()));
    }

    /// Migration 16 rebuilds `members` for AUTOINCREMENT: every id, and
    /// every other table's link to one, survives; the erase trigger still
    /// runs; and an erased id is not given again.
    #[test]
    fn rebuilding_members_keeps_ids_and_links() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("db/testdata/schema_13.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 13).unwrap();
        conn.execute_batch(
            "INSERT INTO members (id, name, phone, role, location, status, consent_at,
                                  consent_source, consent_by, created_at, updated_at)
                 VALUES (3, 'A', '+447700900003', 'r', 'l', 'active', 't', 's', 'b', 't', 't'),
                        (7, 'B', '+447700900007', 'r', 'l', 'active', 't', 's', 'b', 't', 't');
             INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state)
                 VALUES (1, 'notice', 'b', 't', 'en', '[]', '{}', 'b', 't', 't', 'finished');
             INSERT INTO deliveries (broadcast_id, member_id, phone, state, updated_at)
                 VALUES (1, 3, '+447700900003', 'sent', 't'), (1, 7, '+447700900007', 'sent', 't');",
        )
        .unwrap();
        prepare(&conn, Path::new(":memory:")).unwrap();
        let links = |conn: &Connection| -> String {
            let sql =
                "SELECT group_concat(coalesce(member_id, '-') || ' ' || coalesce(phone, '-'), ', ')
                       FROM (SELECT * FROM deliveries ORDER BY id)";
            conn.query_row(sql, [], |r| r.get(0)).unwrap()
        };
        assert_eq!(links(&conn), "3 +447700900003, 7 +447700900007");
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are on again after migrating");
        conn.execute("DELETE FROM members WHERE id = 7", [])
            .unwrap();
        assert_eq!(links(&conn), "3 +447700900003, - -");
        conn.execute(
            "INSERT INTO members (name, phone, role, location, status, consent_at,
                                  consent_source, consent_by, created_at, updated_at)
                 VALUES ('C', '+447700900009', 'r', 'l', 'active', 't', 's', 'b', 't', 't')",
            [],
        )
        .unwrap();
        assert_eq!(
            conn.last_insert_rowid(),
            8,
            "7 was erased and is not given again"
        );
    }

    #[test]
    fn migrations_reach_the_current_version() {
        let conn = open_in_memory();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    /// Markers written before migration 12 become BLOBs; a real message
    /// whose id merely looks like one (it still has a sender) stays TEXT.
    #[test]
    fn old_erasure_markers_leave_the_message_id_space() {
        let conn = Connection::open_in_memory().unwrap();
        let marker = MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE relay_erasures"))
            .unwrap();
        for sql in &MIGRATIONS[..marker] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", marker as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO inbound (wa_message_id, type, action, at, received_at)
                 VALUES ('erased:1', 'text', 'reply', 't', 't'), ('purged:2', 'text', 'reply', 't', 't');
             INSERT INTO inbound (wa_message_id, phone, user_id, type, action, at, received_at)
                 VALUES ('erased:9', '+447700900001', '447700900001', 'text', 'reply', 't', 't');",
        )
        .unwrap();
        prepare(&conn, Path::new(":memory:")).unwrap();
        let kinds: Vec<String> = conn
            .prepare("SELECT typeof(wa_message_id) FROM inbound ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(kinds, ["blob", "blob", "text"]);
    }

    #[test]
    fn reopening_is_a_no_op_and_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("mot.db");
        drop(open(&path, Create::IfMissing).unwrap());
        assert_eq!(platform::exposure(path.parent().unwrap()).unwrap(), None);
        platform::expose(&path).unwrap();
        drop(open(&path, Create::No).unwrap());
        assert_eq!(platform::exposure(&path).unwrap(), None, "tightened");
    }

    #[test]
    fn wal_and_shm_files_are_tightened_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mot.db");
        let conn = open(&path, Create::IfMissing).unwrap();
        let wal = dir.path().join("mot.db-wal");
        assert!(wal.exists());
        platform::expose(&wal).unwrap();
        let again = open(&path, Create::No).unwrap();
        assert_eq!(platform::exposure(&wal).unwrap(), None);
        drop((conn, again));
    }

    /// What is at `--db` is left exactly as it was, permissions included,
    /// unless it is a mot database.
    #[test]
    fn a_path_that_is_not_a_mot_database_is_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "important\n").unwrap();
        platform::expose(&victim).unwrap();
        let before = platform::exposure(&victim).unwrap();
        assert!(before.is_some());
        for create in [Create::No, Create::IfMissing] {
            let err = format!("{:#}", open(&victim, create).unwrap_err());
            assert!(err.contains("not a mot database"), "{err}");
        }
        assert_eq!(fs::read(&victim).unwrap(), b"important\n");
        assert_eq!(platform::exposure(&victim).unwrap(), before);

        // A folder, an empty file, another program's SQLite database.
        let err = format!("{:#}", open(dir.path(), Create::IfMissing).unwrap_err());
        assert!(err.contains("a folder"), "{err}");
        let empty = dir.path().join("empty.db");
        fs::write(&empty, b"").unwrap();
        let err = format!("{:#}", open(&empty, Create::IfMissing).unwrap_err());
        assert!(err.contains("empty file"), "{err}");
        assert_eq!(fs::metadata(&empty).unwrap().len(), 0);
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE notes (x)")
            .unwrap();
        let size = fs::metadata(&other).unwrap().len();
        let err = format!("{:#}", open(&other, Create::No).unwrap_err());
        assert!(err.contains("not mot's"), "{err}");
        let still: i64 = Connection::open(&other)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!((still, fs::metadata(&other).unwrap().len()), (0, size));
    }

    #[test]
    fn a_database_with_two_names_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mot.db");
        drop(open(&path, Create::IfMissing).unwrap());
        let link = dir.path().join("link.db");
        fs::hard_link(&path, &link).unwrap();
        for p in [&path, &link] {
            let err = format!("{:#}", open(p, Create::No).unwrap_err());
            assert!(err.contains("hard links"), "{err}");
        }
    }

    #[test]
    fn missing_database_is_not_created_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mot.db");
        let err = open(&path, Create::No).unwrap_err();
        assert!(format!("{err:#}").contains("no database"));
        assert!(!path.exists());
    }

    #[test]
    fn webhook_event_ids_are_never_reused_after_pruning() {
        let conn = open_in_memory();
        let insert = || {
            conn.execute(
                "INSERT INTO webhook_events (body, received_at) VALUES (x'7b7d', 'x')",
                [],
            )
            .unwrap();
            conn.last_insert_rowid()
        };
        assert_eq!((insert(), insert()), (1, 2));
        // The relay prunes every acknowledged event: the table is empty again.
        conn.execute("DELETE FROM webhook_events", []).unwrap();
        assert_eq!(insert(), 3, "a laptop's cursor at 2 would skip a reused 1");
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = ts(Timestamp::from_second(1_700_000_000).unwrap());
        let b = ts(Timestamp::from_second(1_700_000_001).unwrap());
        assert_eq!(a, "2023-11-14T22:13:20Z");
        assert!(a < b);
    }
}
