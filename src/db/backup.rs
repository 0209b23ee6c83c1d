//! `mot backup`: a copy of the database made with SQLite's online backup
//! API, page by page, so it is whole and consistent even while `mot webhook
//! serve` or a send writes to the file (copying the file itself then could
//! catch it half-written, or leave out what is still in its `-wal`).

use std::fs;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;
use rusqlite::backup::Backup;
use serde::Serialize;

use crate::exit::error_with_help;
use crate::platform;

/// What a backup wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Copied {
    pub pages: i64,
    pub bytes: u64,
}

/// Copies the database open on `conn` into a new file at `dest`: never
/// replacing a file, owner-only from its first byte (it holds members'
/// numbers), one self-contained file (no `-wal` beside it), checked with
/// `PRAGMA quick_check`. A copy that fails part-way is removed.
#[allow(clippy::disallowed_methods)]
pub fn backup(conn: &Connection, dest: &Path) -> Result<Copied> {
    let shown = platform::display(dest);
    let file = platform::create_new_private(dest).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            error_with_help(
                format!("{shown} already exists; nothing was written"),
                "a backup never replaces a file: give a new name (e.g. with today's date)",
            )
        } else {
            anyhow::Error::new(e).context(format!("cannot create {shown}"))
        }
    })?;
    drop(file);
    let copy = || -> Result<Copied> {
        let mut to = Connection::open(dest)?;
        super::no_temporary_files(&to)?;
        Backup::new(conn, &mut to)?.run_to_completion(1024, Duration::from_millis(5), None)?;
        to.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = to.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            bail!("the copy failed its check (PRAGMA quick_check: {check})");
        }
        let pages = to.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        to.close().map_err(|(_, e)| e)?;
        Ok(Copied {
            pages,
            bytes: fs::metadata(dest)?.len(),
        })
    };
    copy().or_else(|e| {
        for leftover in ["", "-journal", "-wal", "-shm"] {
            let mut path = dest.as_os_str().to_owned();
            path.push(leftover);
            let _ = fs::remove_file(path);
        }
        Err(e).with_context(|| format!("cannot back up to {shown}; nothing was kept"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Create, open};

    /// The copy is a mot database with the same rows, private, and a file
    /// already there is never replaced.
    #[test]
    fn a_backup_is_a_whole_private_database_and_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("mot.db"), Create::IfMissing).unwrap();
        crate::db::settings::set(&conn, "k", "kept").unwrap();
        let dest = dir.path().join("copy.db");
        let copied = backup(&conn, &dest).unwrap();
        assert!(copied.pages > 1 && copied.bytes > 0, "{copied:?}");
        assert_eq!(platform::exposure(&dest).unwrap(), None);
        assert!(!dir.path().join("copy.db-wal").exists());
        let again = open(&dest, Create::No).unwrap();
        assert_eq!(
            crate::db::settings::get(&again, "k").unwrap().as_deref(),
            Some("kept")
        );
        let err = format!("{:#}", backup(&conn, &dest).unwrap_err());
        assert!(err.contains("already exists"), "{err}");
    }
}
