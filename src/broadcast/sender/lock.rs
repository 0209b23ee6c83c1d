//! The send lock: one sender per database, by an OS file lock, with a note
//! beside it saying who holds it.

use std::fs::{File, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::broadcast::BroadcastId;
use crate::exit::{Exit, Failure};
use crate::platform;

/// The lock that makes one mot the only sender for a database. It is an OS
/// file lock, so it is released however the process ends. Who holds it is
/// written to a note beside it: Windows' locks are mandatory, so a refused
/// process could not read the locked file itself.
#[derive(Debug)]
pub struct SendLock {
    _file: File,
    note: PathBuf,
}

/// The lock file and its note for a database, named from its canonical
/// path (`db::open` refuses a database with a second name, a hard link).
pub fn lock_paths(db_path: &Path) -> Result<(PathBuf, PathBuf)> {
    let db_path = platform::canonical(db_path)
        .with_context(|| format!("cannot find database {}", platform::display(db_path)))?;
    let with = |suffix: &str| {
        let mut path = db_path.as_os_str().to_owned();
        path.push(suffix);
        PathBuf::from(path)
    };
    Ok((with(".send-lock"), with(".send-lock.note")))
}

impl SendLock {
    /// Takes the lock at once or says who holds it.
    pub fn acquire(db_path: &Path) -> Result<SendLock> {
        let (path, note) = lock_paths(db_path)?;
        let file = platform::open_private(&path)
            .with_context(|| format!("cannot open the send lock {}", platform::display(&path)))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // Read as it is written: never through a link planted there.
                let mut holder = String::new();
                if let Ok(f) = platform::open_private(&note) {
                    let _ = f.take(256).read_to_string(&mut holder);
                }
                return Err(Failure::new(Exit::Locked, refusal(&holder))
                .help("wait for it to finish (see `mot broadcasts list`); only one sender may run at a time")
                .into());
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", platform::display(&path)));
            }
        }
        Ok(SendLock { _file: file, note })
    }

    /// Records which broadcast is being sent, for anyone refused the lock.
    pub fn note(&mut self, id: BroadcastId) -> Result<()> {
        let text = format!("broadcast {id} (pid {})", std::process::id());
        platform::open_private(&self.note)
            .and_then(|mut f| {
                f.set_len(0)?;
                f.write_all(text.as_bytes())
            })
            .with_context(|| format!("cannot write {}", platform::display(&self.note)))
    }
}

/// What a refused sender is told, from the holder's note. The note is only
/// ever written by mot, but it is a file: show only what mot would write.
fn refusal(note: &str) -> String {
    let note = note.trim();
    let plausible = !note.is_empty()
        && note.len() <= 64
        && note
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ()".contains(c));
    let who = if plausible { note } else { "a broadcast" };
    format!("another mot is sending {who} from this database")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sender_is_told_who_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("mot.db");
        std::fs::write(&db, b"x").unwrap();
        let mut first = SendLock::acquire(&db).unwrap();
        first.note(BroadcastId(42)).unwrap();
        let err = SendLock::acquire(&db).unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert_eq!(failure.exit, Exit::Locked);
        let text = format!("{err:#}");
        assert!(text.contains("broadcast 42 (pid "), "{text}");
        // The note is its own file, readable while the lock is held.
        let (lock, note) = lock_paths(&db).unwrap();
        assert!(lock.exists() && note.exists());
        assert_eq!(platform::exposure(&note).unwrap(), None);
        drop(first);
        drop(SendLock::acquire(&db).unwrap());
    }

    /// Plants a symbolic link at `at` naming `target`; false where this
    /// account may not make one.
    #[cfg(unix)]
    fn plant_link(target: &Path, at: &Path) -> bool {
        std::os::unix::fs::symlink(target, at).unwrap();
        true
    }

    /// Plants a symbolic link (a reparse point) at `at` naming `target`;
    /// false where this account may not make one: that needs an
    /// administrator or Developer Mode.
    #[cfg(windows)]
    fn plant_link(target: &Path, at: &Path) -> bool {
        const ERROR_PRIVILEGE_NOT_HELD: i32 = 1314;
        match std::os::windows::fs::symlink_file(target, at) {
            Ok(()) => true,
            Err(e) if e.raw_os_error() == Some(ERROR_PRIVILEGE_NOT_HELD) => false,
            Err(e) => panic!("cannot make a symbolic link: {e}"),
        }
    }

    /// A link planted at the lock or its note (`ln -s ~/file
    /// "$DB.send-lock.note"`, `mklink` on Windows) must not make mot write
    /// to, truncate or make private (chmod, or an access list) the file it
    /// points to.
    #[test]
    fn links_at_the_send_lock_and_its_note_are_refused_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("mot.db");
        std::fs::write(&db, b"x").unwrap();
        let (lock, note) = lock_paths(&db).unwrap();
        let target = dir.path().join("precious");
        std::fs::write(&target, b"keep me").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let exposed = platform::exposure(&target).unwrap();
        let untouched = |what: &str| {
            assert_eq!(std::fs::read(&target).unwrap(), b"keep me", "{what}");
            assert_eq!(platform::exposure(&target).unwrap(), exposed, "{what}");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&target).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o644, "{what}");
            }
        };

        if !plant_link(&target, &note) {
            crate::log_line!("not checked: this account may not make symbolic links");
            return;
        }
        let mut held = SendLock::acquire(&db).unwrap();
        let err = format!("{:#}", held.note(BroadcastId(7)).unwrap_err());
        assert!(err.contains(&platform::display(&note)), "{err}");
        assert!(err.contains("link"), "{err}");
        untouched("note");
        // A refused second sender reads the note: not through the link either.
        let refused = format!("{:#}", SendLock::acquire(&db).unwrap_err());
        assert!(!refused.contains("keep me"), "{refused}");
        drop(held);
        untouched("note, after a refusal");

        std::fs::remove_file(&note).unwrap();
        std::fs::remove_file(&lock).unwrap();
        assert!(plant_link(&target, &lock));
        let err = format!("{:#}", SendLock::acquire(&db).unwrap_err());
        assert!(err.contains(&platform::display(&lock)), "{err}");
        assert!(err.contains("link"), "{err}");
        untouched("lock");
    }

    #[test]
    fn a_strange_note_is_not_repeated() {
        assert_eq!(
            refusal("broadcast 7 (pid 12)\n"),
            "another mot is sending broadcast 7 (pid 12) from this database"
        );
        for odd in ["", "\u{1b}[2Jpwned", &"9".repeat(100)] {
            assert_eq!(
                refusal(odd),
                "another mot is sending a broadcast from this database"
            );
        }
    }
}
