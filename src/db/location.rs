//! Where a database may live: in a folder no other account can change (nor,
//! on Windows, pass its access on to the `-wal` and `-shm` that SQLite
//! creates there each session), with no `-wal` or `-shm` beside it that
//! another account owns, and private once SQLite has it.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::Connection;

use crate::exit::error_with_help;
use crate::platform::{self, Reach};

/// The `settings` key holding the day the location warning was last given.
const LOCATION_WARNED_ON: &str = "location_warned_on";

/// [`platform::location_warning`] for the database at `path` when it is
/// due: once a day (`today`), so a person sees it each day they use mot
/// and a job run every few minutes does not fill its log with it. When the
/// day cannot be read or written, the warning is given.
pub fn location_warning_due(
    conn: &Connection,
    path: &Path,
    today: jiff::civil::Date,
) -> Option<String> {
    let warning = platform::location_warning(path)?;
    let today = today.to_string();
    match super::settings::get(conn, LOCATION_WARNED_ON) {
        Ok(Some(day)) if day == today => None,
        _ => {
            // A database that cannot be written to now warns again next time.
            let _ = super::settings::set(conn, LOCATION_WARNED_ON, &today);
            Some(warning)
        }
    }
}

/// SQLite's files beside a database: its write-ahead log and shared memory.
const COMPANIONS: [&str; 2] = ["-wal", "-shm"];

/// What other accounts can do in the folder that holds a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    Private,
    /// Others can look in (list it, or enter it by name), but neither add
    /// to it nor reach the files SQLite creates there: doctor says so.
    Readable(String),
    /// Others can add or replace files there, or (Windows) are given access
    /// to every file created there: every command refuses it.
    Open(String),
    /// Its permissions could not be read: a refusal for commands, a warning
    /// in doctor.
    Unknown(String),
}

impl Folder {
    /// What a folder's [`Reach`] (or the failure to read it) means for a
    /// database kept in it.
    pub fn judge(found: io::Result<Reach>) -> Folder {
        let reach = match found {
            Ok(reach) => reach,
            Err(e) => return Folder::Unknown(e.to_string()),
        };
        let how = || reach.describe().unwrap_or_default();
        if reach.owner.is_some() || !reach.write.is_empty() || !reach.new_files.is_empty() {
            Folder::Open(how())
        } else if !reach.read.is_empty() {
            Folder::Readable(how())
        } else {
            Folder::Private
        }
    }
}

/// The folders SQLite keeps `path`'s companions in: beside the path as
/// given (Windows) and beside the file a link names (Unix); those that
/// exist, since a missing one is created private.
fn folders(path: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let named = std::path::absolute(path).ok();
    let real = platform::canonical(path).ok();
    for file in [named, real].into_iter().flatten() {
        if let Some(dir) = file.parent().filter(|d| d.is_dir())
            && !found.iter().any(|f| f == dir)
        {
            found.push(dir.to_path_buf());
        }
    }
    found
}

/// The verdict on the folders of the database at `path`, the worst first:
/// for doctor, which reports rather than refuses.
pub fn folder(path: &Path) -> Option<(PathBuf, Folder)> {
    let mut verdicts: Vec<(PathBuf, Folder)> = folders(path)
        .into_iter()
        .map(|dir| {
            let verdict = Folder::judge(platform::reach(&dir));
            (dir, verdict)
        })
        .collect();
    let rank = |f: &Folder| match f {
        Folder::Open(_) => 0,
        Folder::Unknown(_) => 1,
        Folder::Readable(_) => 2,
        Folder::Private => 3,
    };
    verdicts.sort_by_key(|(_, f)| rank(f));
    verdicts.into_iter().next()
}

/// Refuses a database whose folder other accounts can change, or whose
/// permissions cannot be read. Changes nothing.
pub fn check_folders(path: &Path) -> Result<()> {
    for dir in folders(path) {
        let shown = platform::display(&dir);
        match Folder::judge(platform::reach(&dir)) {
            Folder::Private | Folder::Readable(_) => {}
            Folder::Open(how) => return Err(open_folder(&dir, &how)),
            Folder::Unknown(why) => {
                return Err(error_with_help(
                    format!(
                        "cannot tell whether other accounts can reach the database's folder {shown} ({why}), so mot does not use it"
                    ),
                    "check that the folder exists and that your account can read its permissions, or keep the database in the default place",
                ));
            }
        }
    }
    Ok(())
}

/// The refusal of a folder others can change, with the way out.
pub fn open_folder(dir: &Path, how: &str) -> anyhow::Error {
    error_with_help(
        format!(
            "the database's folder {} is open to other accounts ({how}): they could read or replace the files SQLite keeps beside the database, so mot does not use it",
            platform::display(dir)
        ),
        format!(
            "keep the database in a folder only you can use (the default place is one), or make this one private: {}",
            platform::private_fix(dir)
        ),
    )
}

/// Refuses a `-wal` or `-shm` beside the database that another account
/// owns: SQLite would read the log into the database, and the owner could
/// change it at will. Checked before SQLite opens anything; changes nothing.
pub fn check_companions(path: &Path) -> Result<()> {
    for file in companions(path) {
        judge_companion(&file, platform::reach(&file))?;
    }
    Ok(())
}

/// What a companion's [`Reach`] (or the failure to read it) means: a
/// missing one is fine, another account's or one that cannot be read is not.
fn judge_companion(file: &Path, found: io::Result<Reach>) -> Result<()> {
    let shown = platform::display(file);
    let reach = match found {
        Ok(reach) => reach,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(error_with_help(
                format!("cannot tell who owns {shown} ({e}), so mot does not use it"),
                "check that your account can read the file's permissions",
            ));
        }
    };
    match reach.owner {
        None => Ok(()),
        Some(owner) => Err(error_with_help(
            format!(
                "{shown} belongs to another account ({owner}): SQLite would read it into the database, so mot does not use it"
            ),
            "mot's own is made by your account: unless you know why it is there, remove it (and tell whoever looks after this computer), then try again",
        )),
    }
}

/// Makes the database and its companions private if they are not (called
/// once the file is known to be a mot database). A file whose permissions
/// cannot be read is refused, never taken as private.
pub fn tighten(path: &Path) -> Result<()> {
    let files = std::iter::once(path.to_path_buf()).chain(companions(path));
    for file in files {
        let shown = platform::display(&file);
        match platform::reach(&file) {
            Ok(reach) if reach.is_private() => {}
            Ok(_) => platform::make_private(&file)
                .with_context(|| format!("cannot make {shown} private"))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound && file != path => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot tell whether other accounts can read {shown}")
                });
            }
        }
    }
    Ok(())
}

/// `path`'s `-wal` and `-shm`, beside the path as given and beside the file
/// a link names (SQLite on Unix follows the link).
fn companions(path: &Path) -> Vec<PathBuf> {
    let mut bases = vec![path.to_path_buf()];
    if let Ok(real) = platform::canonical(path)
        && std::path::absolute(path).ok().as_ref() != Some(&real)
    {
        bases.push(real);
    }
    let mut files = Vec::new();
    for base in bases {
        for suffix in COMPANIONS {
            let mut name = base.as_os_str().to_owned();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
    }
    files
}

#[cfg(test)]
mod tests;
