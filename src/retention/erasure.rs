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

/// What [`settle`] did to the file.
#[derive(Debug, Clone, Serialize)]
pub struct Settled {
    /// The WAL was checkpointed and truncated to nothing. False while
    /// another program (a running `webhook serve`) still reads old pages.
    pub wal_cleared: bool,
    /// Free pages before, out of all pages.
    pub free_pages: i64,
    pub pages: i64,
    /// The file was rebuilt with `VACUUM` (more than `vacuum_share` free).
    pub vacuumed: bool,
}

/// Copies the WAL into the file and empties it, then rebuilds the file when
/// more than `vacuum_share` of it is free. `secure_delete` already zeroes
/// deleted content in the file itself; the WAL is where old copies of
/// changed pages remain until this runs.
pub fn settle(conn: &Connection, vacuum_share: f64) -> Result<Settled> {
    let mut wal_cleared = checkpoint(conn)?;
    let (free_pages, pages): (i64, i64) = conn.query_row(
        "SELECT (SELECT freelist_count FROM pragma_freelist_count),
                (SELECT page_count FROM pragma_page_count)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut vacuumed = false;
    if pages > 0 && free_pages as f64 / pages as f64 > vacuum_share {
        match conn.execute_batch("VACUUM") {
            Ok(()) => {
                vacuumed = true;
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
        vacuumed,
    })
}

/// `wal_checkpoint(TRUNCATE)`: true when every frame was copied and the WAL emptied.
fn checkpoint(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .context("cannot checkpoint the database's WAL")?;
    Ok(busy == 0)
}

/// The forms a number takes in text: E.164, its digits (WhatsApp's `wa_id`),
/// and the national form with and without its usual spaces.
pub fn phone_forms(phone: &E164) -> Vec<(String, String)> {
    let mut forms = vec![
        ("phone (E.164)".to_string(), phone.as_str().to_string()),
        ("phone (digits)".to_string(), phone.digits().to_string()),
    ];
    if let Ok(n) = phonenumber::parse(None, phone.as_str()) {
        let national = phonenumber::format(&n)
            .mode(phonenumber::Mode::National)
            .to_string();
        let compact: String = national.chars().filter(char::is_ascii_digit).collect();
        forms.push(("phone (national)".to_string(), compact.clone()));
        if national != compact {
            forms.push(("phone (national, spaced)".to_string(), national));
        }
        let international = phonenumber::format(&n)
            .mode(phonenumber::Mode::International)
            .to_string();
        if international != phone.as_str() {
            forms.push(("phone (international, spaced)".to_string(), international));
        }
    }
    // Real WhatsApp message ids (`wamid.HBgM…`) carry the digits in base64,
    // at any of three alignments.
    for (i, form) in base64_forms(phone.digits().as_bytes())
        .into_iter()
        .enumerate()
    {
        forms.push((
            format!("phone (base64, as in WhatsApp ids, {})", i + 1),
            form,
        ));
    }
    forms
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

/// Counts each needle (ASCII case-insensitive) in the database file and in
/// its WAL, reading in chunks so a large file is not held in memory.
pub fn scan(db: &Path, needles: &[(String, String)]) -> Result<Vec<Trace>> {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let mut traces = Vec::new();
    for (file, path) in [("database", db.to_path_buf()), ("wal", wal.into())] {
        let counts = count_in_file(&path, needles)
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

fn count_in_file(path: &Path, needles: &[(String, String)]) -> std::io::Result<Vec<usize>> {
    let needles: Vec<Vec<u8>> = needles
        .iter()
        .map(|(_, n)| n.as_bytes().to_ascii_lowercase())
        .collect();
    let mut counts = vec![0; needles.len()];
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(counts),
        Err(e) => return Err(e),
    };
    let keep = needles.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1;
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut chunk)?;
        let end = n == 0;
        buf.extend(chunk[..n].iter().map(u8::to_ascii_lowercase));
        // A match starting in the last `keep` bytes may continue in the next
        // chunk: count it then, unless this is the end.
        let limit = if end {
            buf.len()
        } else {
            buf.len().saturating_sub(keep)
        };
        for (needle, count) in needles.iter().zip(counts.iter_mut()) {
            if needle.is_empty() {
                continue;
            }
            *count += buf
                .windows(needle.len())
                .enumerate()
                .filter(|(i, w)| *i < limit && w == needle)
                .count();
        }
        if end {
            return Ok(counts);
        }
        buf.drain(..limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_across_chunk_boundaries_are_counted_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut data = vec![b'x'; (1 << 20) - 5];
        data.extend_from_slice(b"07700900123 and Ann SMITH");
        data.extend(vec![b'y'; 1 << 20]);
        data.extend_from_slice(b"07700900123");
        std::fs::write(&path, &data).unwrap();
        let needles = [
            ("n".to_string(), "07700900123".to_string()),
            ("name".to_string(), "ann smith".to_string()),
            ("absent".to_string(), "07700900999".to_string()),
        ];
        assert_eq!(count_in_file(&path, &needles).unwrap(), vec![2, 1, 0]);
        let missing = dir.path().join("none");
        assert_eq!(count_in_file(&missing, &needles).unwrap(), vec![0, 0, 0]);
    }

    #[test]
    fn a_number_is_looked_for_in_every_form() {
        let phone = crate::phone::parse("07700 900123", phonenumber::country::Id::GB).unwrap();
        let forms: Vec<String> = phone_forms(&phone).into_iter().map(|(_, v)| v).collect();
        for want in [
            "+447700900123",
            "447700900123",
            "07700900123",
            "07700 900123",
        ] {
            assert!(forms.iter().any(|f| f == want), "{want} in {forms:?}");
        }
        let base64: Vec<String> = phone_forms(&phone)
            .into_iter()
            .filter(|(label, _)| label.contains("base64"))
            .map(|(_, v)| v)
            .collect();
        assert_eq!(base64.len(), 3);
        // Inside a real-shaped wamid (the digits after three framing bytes).
        let wamid = "HBgMNDQ3NzAwOTAwMTIzFQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=";
        assert!(base64.iter().any(|f| wamid.contains(f.as_str())));
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
