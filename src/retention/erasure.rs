//! Making erasure real at the byte level: after rows are deleted, clearing
//! the WAL (which still holds the old pages) and rebuilding a mostly-free
//! file; and scanning the database file and its WAL for any trace of a person.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{Connection, ErrorCode};
use serde::Serialize;

use crate::output::Row;
use crate::phone::E164;

mod matching;

pub use matching::{Matcher, Sought};

/// What [`settle`] did to the file.
#[derive(Debug, Clone, Serialize)]
pub struct Settled {
    /// The WAL was checkpointed and truncated to nothing. False while
    /// another program (a running `webhook serve`) still reads old pages.
    pub wal_cleared: bool,
    /// Free pages before, out of all pages, of this many bytes each.
    pub free_pages: i64,
    pub pages: i64,
    pub page_size: i64,
    /// The file was rebuilt with `VACUUM`.
    pub vacuumed: bool,
    /// How long the rebuild held the write lock (0 without one).
    pub vacuum_ms: u64,
    /// More than `vacuum_share` is free, but the file is too large to
    /// rebuild unasked (see [`REBUILD_UNASKED_MAX`]): `mot purge --vacuum` does.
    pub rebuild_deferred: bool,
}

/// The most data (bytes in use) a file may hold for [`settle`] to rebuild
/// it unasked. `VACUUM` copies every page in use while it holds the write
/// lock, and a running `webhook serve` waits for it: 241 MiB took 1.8 to
/// 3.2 s on the reference machine (BENCHMARKS.md), so 64 MiB keeps the wait
/// under about a second. Real teams' files are smaller than this; a larger
/// one is rebuilt only when asked.
pub const REBUILD_UNASKED_MAX: u64 = 64 * 1024 * 1024;

/// Whether the file is rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    /// When more than `vacuum_share` of it is free and it holds at most
    /// [`REBUILD_UNASKED_MAX`] bytes in use.
    Unasked,
    /// Whatever its size and however little is free (`mot purge --vacuum`).
    Asked,
}

/// Copies the WAL into the file and empties it, then rebuilds the file as
/// `rebuild` says. `secure_delete` already zeroes deleted content in the
/// file itself; the WAL is where old copies of changed pages remain until
/// this runs. The rebuild gives the free space back to the disk.
pub fn settle(conn: &Connection, vacuum_share: f64, rebuild: Rebuild) -> Result<Settled> {
    settle_within(conn, vacuum_share, rebuild, REBUILD_UNASKED_MAX)
}

fn settle_within(
    conn: &Connection,
    vacuum_share: f64,
    rebuild: Rebuild,
    unasked_max: u64,
) -> Result<Settled> {
    let mut wal_cleared = checkpoint(conn)?;
    let (free_pages, pages, page_size): (i64, i64, i64) = conn.query_row(
        "SELECT (SELECT freelist_count FROM pragma_freelist_count),
                (SELECT page_count FROM pragma_page_count),
                (SELECT page_size FROM pragma_page_size)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let worth_it = pages > 0 && free_pages as f64 / pages as f64 > vacuum_share;
    let in_use = u64::try_from((pages - free_pages) * page_size).unwrap_or(0);
    let rebuild_deferred = rebuild == Rebuild::Unasked && worth_it && in_use > unasked_max;
    let mut vacuumed = false;
    let mut vacuum_ms = 0;
    if rebuild == Rebuild::Asked || (worth_it && !rebuild_deferred) {
        let started = std::time::Instant::now();
        match conn.execute_batch("VACUUM") {
            Ok(()) => {
                vacuumed = true;
                vacuum_ms = started.elapsed().as_millis() as u64;
                wal_cleared = checkpoint(conn)?;
            }
            // Another writer holds the file: the purge stands, the rebuild waits
            // for the next run.
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) => {}
            Err(e) => return Err(e).context("cannot rebuild the database (VACUUM)"),
        }
    }
    Ok(Settled {
        wal_cleared,
        free_pages,
        pages,
        page_size,
        vacuumed,
        vacuum_ms,
        rebuild_deferred,
    })
}

/// `wal_checkpoint(TRUNCATE)`: true when every frame was copied and the WAL emptied.
fn checkpoint(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .context("cannot checkpoint the database's WAL")?;
    Ok(busy == 0)
}

/// What shows a number is still held: the number in any writing (its
/// national digits, with whatever people put between them) and the base64
/// that WhatsApp message ids carry it in.
pub fn phone_forms(phone: &E164) -> Vec<(String, Sought)> {
    let mut forms = vec![(
        "phone (any writing)".to_string(),
        Sought::Digits(phone.national_digits().to_string()),
    )];
    // Real WhatsApp message ids (`wamid.HBgM…`) carry the digits in base64,
    // at any of three alignments.
    for (i, form) in base64_forms(phone.digits().as_bytes())
        .into_iter()
        .enumerate()
    {
        forms.push((
            format!("phone (base64, as in WhatsApp ids, {})", i + 1),
            Sought::Text(form),
        ));
    }
    forms
}

/// Whether `bytes` (a stored payload) are from or name `phone`.
pub fn names_number(bytes: &[u8], phone: &E164) -> bool {
    let forms: Vec<Sought> = phone_forms(phone).into_iter().map(|(_, s)| s).collect();
    Matcher::count(&forms, bytes).iter().any(|&n| n > 0)
}

/// The base64 text that `bytes` always produce, wherever they fall in an
/// encoded message: for each alignment, only the characters that depend on
/// `bytes` alone.
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..3)
        .map(|pad: usize| {
            let mut data = vec![0u8; pad];
            data.extend_from_slice(bytes);
            let mut text = Vec::new();
            for group in data.chunks_exact(3) {
                let n = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
                text.extend((0..4).map(|i| ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            }
            // Characters mixing in the padding bytes depend on what precedes.
            let skip = [0, 2, 3][pad];
            String::from_utf8(text[skip..].to_vec()).expect("ASCII")
        })
        .collect()
}

/// One searched-for form in one file.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// `database` or `wal`.
    pub file: &'static str,
    /// What was looked for (the label, never the value: this is output).
    pub what: String,
    pub found: usize,
}

impl Row for Trace {
    const HEADERS: &'static [&'static str] = &["file", "looked_for", "found"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.file.to_string(),
            self.what.clone(),
            self.found.to_string(),
        ]
    }
}

/// Counts each needle in the database file and in its WAL, reading in
/// chunks so a large file is not held in memory. A symlinked `db` is
/// followed first: SQLite keeps the WAL beside the real file.
///
/// The caller must have closed every SQLite connection to `db` in this
/// process: on Unix, closing any descriptor of the file (as this does)
/// drops every POSIX lock the process holds on it, and another program
/// could then delete the WAL under a connection still open.
pub fn scan(db: &Path, needles: &[(String, Sought)]) -> Result<Vec<Trace>> {
    let db = std::fs::canonicalize(db)
        .with_context(|| format!("cannot read {}", crate::platform::display(db)))?;
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let sought: Vec<Sought> = needles.iter().map(|(_, s)| s.clone()).collect();
    let mut traces = Vec::new();
    for (file, path) in [("database", db.clone()), ("wal", wal.into())] {
        let counts = count_in_file(&path, &sought)
            .with_context(|| format!("cannot read {}", crate::platform::display(&path)))?;
        for ((what, _), found) in needles.iter().zip(counts) {
            traces.push(Trace {
                file,
                what: what.clone(),
                found,
            });
        }
    }
    Ok(traces)
}

fn count_in_file(path: &Path, sought: &[Sought]) -> std::io::Result<Vec<usize>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(vec![0; sought.len()]),
        Err(e) => return Err(e),
    };
    let mut matcher = Matcher::new(sought);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut chunk)?;
        if n == 0 {
            return Ok(matcher.finish());
        }
        matcher.feed(&chunk[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with half its pages free and 1 MiB or so in use.
    fn half_free(dir: &Path) -> Connection {
        let conn = crate::db::open(&dir.join("mot.db"), crate::db::Create::IfMissing).unwrap();
        conn.execute_batch(
            "CREATE TABLE scratch (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 399)
             INSERT INTO scratch SELECT zeroblob(4000) FROM n;
             DELETE FROM scratch WHERE rowid <= 200;",
        )
        .unwrap();
        conn
    }

    /// Unasked, a file too large to copy in about a second is left as it
    /// is and says so; asked, it is rebuilt whatever its size.
    #[test]
    fn a_file_too_large_to_rebuild_unasked_is_rebuilt_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let conn = half_free(dir.path());
        let left = settle_within(&conn, 0.25, Rebuild::Unasked, 64 * 1024).unwrap();
        assert!(left.free_pages * 3 > left.pages, "{left:?}");
        assert!(!left.vacuumed && left.rebuild_deferred, "{left:?}");
        assert_eq!(left.vacuum_ms, 0);

        let rebuilt = settle_within(&conn, 0.25, Rebuild::Asked, 64 * 1024).unwrap();
        assert!(rebuilt.vacuumed && !rebuilt.rebuild_deferred, "{rebuilt:?}");
        let free: i64 = conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap();
        assert_eq!(free, 0);
    }

    /// A file within the bound is rebuilt unasked when enough is free, and
    /// not when too little is.
    #[test]
    fn a_small_file_is_rebuilt_unasked_when_enough_of_it_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let conn = half_free(dir.path());
        let kept = settle_within(&conn, 0.9, Rebuild::Unasked, REBUILD_UNASKED_MAX).unwrap();
        assert!(!kept.vacuumed && !kept.rebuild_deferred, "{kept:?}");
        let rebuilt = settle(&conn, 0.25, Rebuild::Unasked).unwrap();
        assert!(rebuilt.vacuumed && !rebuilt.rebuild_deferred, "{rebuilt:?}");
    }

    #[test]
    fn files_are_read_in_chunks_and_a_missing_one_holds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut data = vec![b'x'; (1 << 20) - 5];
        data.extend_from_slice(b"07700 900123 and Ann SMITH");
        data.extend(vec![b'y'; 1 << 20]);
        data.extend_from_slice(b"+447700900123");
        std::fs::write(&path, &data).unwrap();
        let sought = [
            Sought::Digits("7700900123".into()),
            Sought::Text("ann smith".into()),
            Sought::Digits("7700900999".into()),
        ];
        assert_eq!(count_in_file(&path, &sought).unwrap(), vec![2, 1, 0]);
        let missing = dir.path().join("none");
        assert_eq!(count_in_file(&missing, &sought).unwrap(), vec![0, 0, 0]);
    }

    #[test]
    fn a_number_is_looked_for_in_every_form() {
        let phone = crate::phone::parse("07700 900123", phonenumber::country::Id::GB).unwrap();
        let forms = phone_forms(&phone);
        assert_eq!(forms[0].1, Sought::Digits("7700900123".into()));
        for written in ["+447700900123", "+44 (0)7700 900-123", "0044 7700 900123"] {
            assert!(names_number(written.as_bytes(), &phone), "{written}");
        }
        assert!(!names_number(b"07700 900124", &phone));
        let base64: Vec<String> = forms
            .into_iter()
            .filter_map(|(label, s)| match s {
                Sought::Text(t) if label.contains("base64") => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(base64.len(), 3);
        // Inside a real-shaped wamid (the digits after three framing bytes).
        let wamid = "HBgMNDQ3NzAwOTAwMTIzFQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=";
        assert!(base64.iter().any(|f| wamid.contains(f.as_str())));
        assert!(names_number(wamid.as_bytes(), &phone));
        // Wherever the digits fall, one of the forms is in the encoding.
        for before in 0..6 {
            let mut data = vec![b'x'; before];
            data.extend_from_slice(b"447700900123yyy");
            let encoded = &base64_forms(&data)[0];
            assert!(
                base64.iter().any(|f| encoded.contains(f.as_str())),
                "{before} bytes before"
            );
        }
    }
}
