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

pub mod settings;
pub mod text_enum;

/// SQL: `text` with what people write between a number's digits removed
/// (spaces, no-break and thin spaces, dashes, dots, brackets, slashes, the
/// plus, zero-width spaces and joiners), so `instr` finds `+44 (0)7700
/// 900-123` by its national digits. The byte scan's full rule is
/// `retention::erasure`'s; a trigger cannot call Rust.
macro_rules! joined_digits {
    ($text:literal) => {
        concat!(
            "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(",
            "replace(replace(replace(",
            $text,
            ", ' ', ''), char(160), ''), char(8201), ''), char(8239), ''), '-', ''), char(8211), ''),",
            " '.', ''), '(', ''), ')', ''), '/', ''), '+', ''), char(8203), ''), char(8205), '')"
        )
    };
}

/// SQL: the national significant number of the member being deleted (what
/// every writing of a UK number contains: `+44…`, `0044…`, `07…`, `(0)`);
/// other countries' numbers are matched by all their digits. `phone` owns
/// the rule in Rust (`E164::national_digits`).
macro_rules! old_national {
    () => {
        "(CASE WHEN OLD.phone LIKE '+44%' THEN substr(OLD.phone, 4) ELSE substr(OLD.phone, 2) END)"
    };
}

/// Each entry is one migration; entry `i` takes the schema to version `i + 1`.
/// Append only: never edit or reorder a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: members and the audit log.
    "CREATE TABLE members (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL,
        phone          TEXT NOT NULL UNIQUE,
        role           TEXT NOT NULL,
        location       TEXT NOT NULL,
        status         TEXT NOT NULL
                       CHECK (status IN ('pending', 'active', 'opted_out', 'lapsed')),
        consent_at     TEXT NOT NULL,
        consent_source TEXT NOT NULL,
        consent_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    );
    CREATE INDEX members_status ON members (status);
    CREATE TABLE audit (
        id       INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        os_user  TEXT NOT NULL,
        command  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );",
    // 2: broadcasts and the delivery ledger.
    "CREATE TABLE broadcasts (
        id            INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('notice', 'request')),
        body          TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        params        TEXT NOT NULL,
        audience      TEXT NOT NULL,
        is_test       INTEGER NOT NULL DEFAULT 0,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        not_after     TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('sending', 'paused', 'finished')),
        pause_reason  TEXT
    );
    CREATE INDEX broadcasts_created ON broadcasts (created_at);
    CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY,
        broadcast_id    INTEGER NOT NULL REFERENCES broadcasts (id),
        member_id       INTEGER REFERENCES members (id) ON DELETE SET NULL,
        phone           TEXT,
        state           TEXT NOT NULL CHECK (state IN
                        ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'expired', 'unknown')),
        wamid           TEXT UNIQUE,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        error_code      INTEGER,
        error_class     TEXT,
        error_message   TEXT,
        sent_at         TEXT,
        updated_at      TEXT NOT NULL,
        UNIQUE (broadcast_id, member_id)
    );
    CREATE INDEX deliveries_state ON deliveries (broadcast_id, state);
    CREATE INDEX deliveries_member ON deliveries (member_id);
    -- Erasing a member erases the number their messages went to.
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id;
    END;",
    // 3: delivery statuses, inbound messages, and the webhook receiver's raw store.
    "CREATE TABLE status_events (
        id            INTEGER PRIMARY KEY,
        wamid         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
        at            TEXT NOT NULL,
        error_code    INTEGER,
        error_title   TEXT,
        source        TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        UNIQUE (wamid, status)
    );
    CREATE TABLE inbound (
        id             INTEGER PRIMARY KEY,
        wa_message_id  TEXT NOT NULL UNIQUE,
        member_id      INTEGER REFERENCES members (id) ON DELETE SET NULL,
        phone          TEXT,
        user_id        TEXT,
        type           TEXT NOT NULL,
        text           TEXT,
        context_wamid  TEXT,
        broadcast_id   INTEGER REFERENCES broadcasts (id),
        action         TEXT NOT NULL,
        at             TEXT NOT NULL,
        received_at    TEXT NOT NULL
    );
    CREATE INDEX inbound_member ON inbound (member_id);
    CREATE INDEX inbound_at ON inbound (at);
    CREATE TABLE webhook_events (
        id           INTEGER PRIMARY KEY,
        body         BLOB NOT NULL,
        received_at  TEXT NOT NULL,
        applied_at   TEXT,
        acked_at     TEXT
    );
    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL WHERE member_id = OLD.id;
    END;",
    // 4: what an opt-out interrupted (so START cannot skip approval), and
    // inbound messages whose text the patient-data screen removed.
    "ALTER TABLE members ADD COLUMN status_before_opt_out TEXT;
    ALTER TABLE inbound ADD COLUMN flagged TEXT;",
    // 5: erasure also reaches messages from the number before it was a
    // member, and test sends addressed to it.
    "DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        UPDATE deliveries SET phone = NULL WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
    END;",
    // 6: relay event ids are never reused (AUTOINCREMENT: pruning acknowledged
    // rows no longer lets ids restart below a laptop's cursor); every
    // database gets a random identity, so a laptop notices a rebuilt relay;
    // statuses remember the delivery they moved, so one that came too early
    // can be applied later.
    "CREATE TABLE webhook_events_v6 (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        body         BLOB NOT NULL,
        received_at  TEXT NOT NULL,
        applied_at   TEXT,
        acked_at     TEXT
    );
    INSERT INTO webhook_events_v6 (id, body, received_at, applied_at, acked_at)
        SELECT id, body, received_at, applied_at, acked_at FROM webhook_events ORDER BY id;
    DROP TABLE webhook_events;
    ALTER TABLE webhook_events_v6 RENAME TO webhook_events;
    INSERT INTO settings (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
    -- A status is linked to the delivery it moved; one that arrived before its
    -- send was recorded stays unlinked and is applied once its wamid is known.
    ALTER TABLE status_events ADD COLUMN delivery_id INTEGER;
    UPDATE status_events
        SET delivery_id = (SELECT d.id FROM deliveries d WHERE d.wamid = status_events.wamid);
    CREATE INDEX status_events_waiting ON status_events (received_at) WHERE delivery_id IS NULL;",
    // 7: the lapsed rule reads each member's deliveries newest broadcast
    // first; erasure also finds rows by number without scanning the ledger,
    // and now clears what else can name the member: Graph error texts (they
    // quote the recipient's number), message ids (they encode it) and the
    // raw status events filed under them.
    "CREATE INDEX deliveries_member_broadcast ON deliveries (member_id, broadcast_id);
    DROP INDEX deliveries_member;
    CREATE INDEX deliveries_phone ON deliveries (phone);
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = 'erased:' || id
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
    END;",
    // 8: requests for information: a request is a broadcast of kind
    // 'request' with options and a closing time; reminders are broadcasts
    // linked to it; each inbound message linked to a request (or, when it
    // could be an answer to several, to every candidate) is one reply row.
    "CREATE TABLE requests (
        broadcast_id  INTEGER PRIMARY KEY REFERENCES broadcasts (id),
        question      TEXT NOT NULL,
        options       TEXT NOT NULL,
        buttons       TEXT,
        survey_url    TEXT,
        -- the end of the survey link when the template has a URL button for it
        survey_button TEXT,
        closes_at     TEXT NOT NULL,
        closed_at     TEXT,
        closed_by     TEXT
    );
    CREATE TABLE request_reminders (
        broadcast_id  INTEGER PRIMARY KEY REFERENCES broadcasts (id),
        request_id    INTEGER NOT NULL REFERENCES requests (broadcast_id),
        created_at    TEXT NOT NULL
    );
    CREATE INDEX request_reminders_request ON request_reminders (request_id, created_at);
    CREATE TABLE request_replies (
        inbound_id    INTEGER NOT NULL REFERENCES inbound (id) ON DELETE CASCADE,
        request_id    INTEGER NOT NULL REFERENCES requests (broadcast_id),
        member_id     INTEGER REFERENCES members (id) ON DELETE SET NULL,
        option        INTEGER,
        how           TEXT NOT NULL CHECK (how IN ('button', 'context', 'only_open', 'ambiguous')),
        late          INTEGER NOT NULL,
        PRIMARY KEY (inbound_id, request_id)
    );
    CREATE INDEX request_replies_request ON request_replies (request_id, member_id);",
    // 9: account events (webhook fields other than statuses and messages:
    // template status, quality and category, number quality and messaging
    // limit, account updates and alerts, marketing preferences, value.errors,
    // and fields mot does not know), append-only, deduplicated by digest.
    // `detail` is the change's value as Meta sent it, minus the member's
    // number for user_preferences (the member is linked instead). And the
    // business account's templates as `mot templates sync` last saw them.
    "CREATE TABLE account_events (
        id                INTEGER PRIMARY KEY,
        field             TEXT NOT NULL,
        event             TEXT,
        known             INTEGER NOT NULL,
        business_account  TEXT,
        template_name     TEXT,
        template_language TEXT,
        member_id         INTEGER REFERENCES members (id) ON DELETE SET NULL,
        detail            TEXT NOT NULL,
        at                TEXT NOT NULL,
        source            TEXT NOT NULL,
        received_at       TEXT NOT NULL,
        digest            TEXT NOT NULL UNIQUE
    );
    CREATE INDEX account_events_field ON account_events (field, at);
    CREATE INDEX account_events_template ON account_events (template_name, at);
    CREATE TABLE templates (
        name              TEXT NOT NULL,
        language          TEXT NOT NULL,
        status            TEXT NOT NULL,
        category          TEXT NOT NULL,
        previous_category TEXT,
        body              TEXT,
        body_params       INTEGER NOT NULL,
        buttons           TEXT NOT NULL,
        quality           TEXT,
        synced_at         TEXT NOT NULL,
        PRIMARY KEY (name, language)
    );",
    // 10: per-broadcast delivery counts (by state and failure reason) kept
    // when `mot purge` deletes the per-member rows, so reports stay right.
    "CREATE TABLE delivery_totals (
        broadcast_id  INTEGER NOT NULL REFERENCES broadcasts (id),
        state         TEXT NOT NULL,
        error_class   TEXT,
        error_code    INTEGER,
        n             INTEGER NOT NULL
    );
    CREATE INDEX delivery_totals_broadcast ON delivery_totals (broadcast_id);
    -- Erasure also reaches raw webhook payloads already applied or relayed
    -- (they carry the number, profile name and text; one not yet applied
    -- stays, since other members' statuses may be in it). Everything the
    -- trigger of migration 7 erased, it still erases.
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = 'erased:' || id
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
        DELETE FROM webhook_events
            WHERE (applied_at IS NOT NULL OR acked_at IS NOT NULL)
              AND instr(CAST(body AS TEXT), substr(OLD.phone, 2)) > 0;
    END;",
    // 11: audit ids are never reused, even after `mot purge` removed the
    // newest rows (an id in a note or a report must keep naming one entry).
    "CREATE TABLE audit_v11 (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        os_user  TEXT NOT NULL,
        command  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
    INSERT INTO audit_v11 (id, at, os_user, command, outcome, detail)
        SELECT id, at, os_user, command, outcome, detail FROM audit;
    DROP TABLE audit;
    ALTER TABLE audit_v11 RENAME TO audit;",
    // 12: erasure markers leave the message-id space, erasure reaches
    // account events, and erasures the relay has not confirmed are owed.
    // An erased or purged inbound row's id becomes a BLOB (`erased:<row>`,
    // `purged:<row>` as bytes): message ids are always stored as TEXT, and
    // SQLite never finds a BLOB equal to TEXT, so no real id (`erased:1`
    // from a peer's test suite) can collide with a marker or be taken for
    // one, while UNIQUE still deduplicates the real ids. Existing markers
    // are converted (a real row with such an id still has its sender).
    // The trigger erases everything migration 10's did (markers now BLOBs,
    // raw payloads also found by the number in any writing) and every
    // account event linked to the member or naming their number.
    concat!(
        "UPDATE inbound SET wa_message_id = CAST(wa_message_id AS BLOB)
        WHERE (wa_message_id LIKE 'erased:%' OR wa_message_id LIKE 'purged:%')
          AND phone IS NULL AND user_id IS NULL;
    -- A number whose erasure the relay has not confirmed: kept only to tell
    -- it, deleted once it has.
    CREATE TABLE relay_erasures (
        phone       TEXT PRIMARY KEY,
        owed_since  TEXT NOT NULL
    );
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = CAST('erased:' || id AS BLOB)
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
        DELETE FROM webhook_events
            WHERE (applied_at IS NOT NULL OR acked_at IS NOT NULL)
              AND (instr(CAST(body AS TEXT), substr(OLD.phone, 2)) > 0
                   OR instr(",
        joined_digits!("CAST(body AS TEXT)"),
        ", ",
        old_national!(),
        ") > 0);
        DELETE FROM account_events
            WHERE member_id = OLD.id OR instr(",
        joined_digits!("detail"),
        ", ",
        old_national!(),
        ") > 0;
    END;"
    ),
    // 13: of a webhook field mot does not read (calls, history, message
    // echoes…) only the name, the time and a count are kept from now on;
    // what earlier versions stored of such a field (numbers, names, text,
    // places) is emptied to a count of one.
    "UPDATE account_events
        SET detail = json_object('count', 1), event = NULL, template_name = NULL,
            template_language = NULL, member_id = NULL
        WHERE known = 0;",
    // 14: a member's answer to a request is one rule, read by `mot replies`,
    // `requests list`, reminders and erasure: their latest on-time reply, or
    // if they only replied late, their latest late one. Erasing a member
    // keeps their answers (anonymous: the link to the member goes) and drops
    // their other replies' links, so each erased member's answer is still
    // one row and counts once. The trigger erases everything migration 12's
    // did.
    concat!(
        "CREATE VIEW request_answers AS
        SELECT rr.inbound_id, rr.request_id, rr.member_id, rr.option, rr.how, rr.late
        FROM request_replies rr JOIN inbound i ON i.id = rr.inbound_id
        WHERE rr.how != 'ambiguous'
          AND NOT EXISTS (SELECT 1 FROM request_replies o JOIN inbound n ON n.id = o.inbound_id
                          WHERE o.request_id = rr.request_id AND o.member_id = rr.member_id
                            AND o.how != 'ambiguous'
                            AND (o.late < rr.late
                                 OR (o.late = rr.late AND (n.at, n.id) > (i.at, i.id))));
    DROP TRIGGER members_erase;
    CREATE TRIGGER members_erase BEFORE DELETE ON members BEGIN
        DELETE FROM request_replies
            WHERE member_id = OLD.id AND how != 'ambiguous'
              AND inbound_id NOT IN (SELECT a.inbound_id FROM request_answers a
                                     WHERE a.member_id = OLD.id
                                       AND a.request_id = request_replies.request_id);
        DELETE FROM status_events WHERE wamid IN (SELECT wamid FROM deliveries
            WHERE (member_id = OLD.id OR phone = OLD.phone) AND wamid IS NOT NULL);
        UPDATE deliveries SET phone = NULL, wamid = NULL, error_message = NULL
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE inbound SET phone = NULL, user_id = NULL, text = NULL, context_wamid = NULL,
                           wa_message_id = CAST('erased:' || id AS BLOB)
            WHERE member_id = OLD.id OR phone = OLD.phone;
        UPDATE broadcasts SET audience = json_object('test', json_object('phone', 'erased'))
            WHERE is_test = 1 AND json_extract(audience, '$.test.phone') = OLD.phone;
        DELETE FROM webhook_events
            WHERE (applied_at IS NOT NULL OR acked_at IS NOT NULL)
              AND (instr(CAST(body AS TEXT), substr(OLD.phone, 2)) > 0
                   OR instr(",
        joined_digits!("CAST(body AS TEXT)"),
        ", ",
        old_national!(),
        ") > 0);
        DELETE FROM account_events
            WHERE member_id = OLD.id OR instr(",
        joined_digits!("detail"),
        ", ",
        old_national!(),
        ") > 0;
    END;"
    ),
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
/// the permissions of, or write to, some other file.
#[allow(clippy::disallowed_methods)]
pub fn open(path: &Path, create: Create) -> Result<Connection> {
    let shown = platform::display(path);
    let created = match check_file(path)? {
        true => false,
        false if create == Create::No => {
            return Err(error_with_help(
                format!("no database at {shown}"),
                "run `mot init` to create one, or check --db / MOT_DB / [database] path",
            ));
        }
        false => {
            crate::platform::write_private_file(path, b"")?;
            let id = platform::identity_at(path)
                .with_context(|| format!("cannot read database {shown}"))?;
            handed_to_sqlite().push((id.device, id.index));
            true
        }
    };

    let conn = Connection::open(path).with_context(|| format!("cannot open database {shown}"))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    if !created {
        verify_schema(&conn, path)?;
    }
    prepare(&conn, path)?;
    // Only now that it is ours: the file and the WAL and shared-memory
    // files SQLite keeps beside it are for the owner alone.
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        if matches!(platform::exposure(file), Ok(Some(_))) {
            platform::make_private(file)
                .with_context(|| format!("cannot make {} private", platform::display(file)))?;
        }
    }
    Ok(conn)
}

/// Opens the database at `path` read-only, without changing a byte (no
/// pragmas, no migrations, permissions left as they are), after the checks
/// `open` makes: a regular file with one name, SQLite's header, mot's
/// schema, not from a newer mot. For `mot doctor`, which reports what it
/// finds before any command would migrate it. Returns its schema version.
#[allow(clippy::disallowed_methods)]
pub fn open_read_only(path: &Path) -> Result<(Connection, i64)> {
    if !check_file(path)? {
        return Err(error_with_help(
            format!("no database at {}", platform::display(path)),
            "run `mot init` to create it, or check --db / MOT_DB / [database] path",
        ));
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| explain(e, path))?;
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

fn migrate(conn: &Connection, mut version: i64) -> rusqlite::Result<()> {
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Another mot may have migrated while we waited for the write lock.
    version = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
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
