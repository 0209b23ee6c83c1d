//! Everything that differs between Windows and Unix, behind one interface:
//! owner-only files and folders, a file's identity, how a path is shown, and
//! the signals that mean "stop". The rest of mot never says `cfg(unix)`.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

#[cfg(any(windows, test))]
mod acl;
mod reach;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub use imp::Interrupts;
#[cfg(test)]
pub use imp::expose;
pub use reach::Reach;

/// Creates `dir` and any missing parents; each folder mot creates is private
/// from the moment it exists (0700 on Unix; on Windows a protected access
/// list of the owner and SYSTEM, passed on to what is created in it), and is
/// checked afterwards: on a drive that keeps no permissions it is removed
/// again and the error says why.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    let mut created = Vec::new();
    let result = missing.iter().rev().try_for_each(|d| {
        // Another process may make it first: then it is theirs, as it was.
        if imp::create_private_dir(d)? {
            created.push(d);
            still_private(reach(d)?)?;
        }
        Ok(())
    });
    if result.is_err() {
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
    result
}

/// Creates a new file (never replacing one) that only its owner can open.
/// The file is private from the moment it exists, and checked afterwards: a
/// file that is not (on a drive that keeps no permissions) is removed again.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    let file = imp::create_new_private(path)?;
    if let Err(e) = imp::reach_of(&file).and_then(still_private) {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(e);
    }
    Ok(file)
}

/// Opens (creating if missing) a read-write file that only its owner can
/// open, such as the send lock and its note. A link there (a symbolic link,
/// or on Windows any reparse point) is refused, never followed: whoever
/// planted it would have mot truncate, write and chmod the file it names.
/// A new file is private from the start (and removed again if it turns out
/// not to be); an existing one is tightened through the open file, so that
/// nothing swapped in at the path since is changed.
pub fn open_private(path: &Path) -> io::Result<File> {
    let (file, created) = imp::open_private(path)?;
    let checked = imp::reach_of(&file).and_then(|found| {
        if created || found.is_private() {
            return still_private(found);
        }
        imp::tighten(&file)?;
        imp::reach_of(&file).and_then(still_private)
    });
    if let Err(e) = checked {
        drop(file);
        if created {
            let _ = fs::remove_file(path);
        }
        return Err(e);
    }
    Ok(file)
}

/// What a file or folder that should be private and is not fails with.
fn still_private(found: Reach) -> io::Result<()> {
    match found.describe() {
        None => Ok(()),
        Some(how) => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("it could not be made private: it is {how}"),
        )),
    }
}

/// Creates a new file (never replacing one) that only its owner can read, in
/// folders only they can enter: mot's config and database hold personal data.
pub fn write_private_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", display(dir)))?;
    }
    let mut f =
        create_new_private(path).with_context(|| format!("cannot create {}", display(path)))?;
    f.write_all(contents)
        .with_context(|| format!("cannot write {}", display(path)))
}

/// The operating-system user running mot, for the audit log and consent
/// evidence. Cron, systemd and Task Scheduler may set none of the usual
/// variables, so the account of the process's own user id comes next.
#[allow(clippy::disallowed_methods)]
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(|| whoami::account().ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// `COLUMNS` when set to a number: the width a table must fit whatever
/// stdout is (as for `ls`).
#[allow(clippy::disallowed_methods)]
pub fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
}

/// What a link where mot keeps a file of its own is refused with.
fn link_refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "it is a link (symbolic link or junction), and mot never follows a link there: remove it",
    )
}

/// Opens an existing file for reading only if it is a regular file: a FIFO
/// would block a cron job until something writes to it, and a device such as
/// `/dev/zero` never ends. The check is made on the opened file (opened
/// without waiting for a writer), so nothing can be swapped in between.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let not_regular = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is not a regular file ({what})"),
        )
    };
    // Windows will not open a folder as a file at all: say why it failed.
    let file = imp::open_nonblocking(path).map_err(|e| match fs::metadata(path) {
        Ok(m) if m.is_dir() => not_regular("a folder"),
        _ => e,
    })?;
    let meta = file.metadata()?;
    match meta {
        m if m.is_file() => Ok(file),
        m if m.is_dir() => Err(not_regular("a folder")),
        _ => Err(not_regular("a pipe or a device")),
    }
}

/// Who besides the user running mot can reach `path` (following links).
/// An error means "cannot tell", never "private".
pub fn reach(path: &Path) -> io::Result<Reach> {
    imp::reach(path)
}

/// Whether anyone but the owner (and the system) may read or change
/// `path`: `None` when private, otherwise a description such as "readable
/// by its group, every other account (mode 0644)". An error means "cannot
/// tell": a warning where mot only reports, a refusal where it must be sure.
pub fn exposure(path: &Path) -> io::Result<Option<String>> {
    Ok(reach(path)?.describe())
}

/// Makes an existing file private, replacing whatever access it had, and
/// reads the result back: on a drive that keeps no permissions (FAT32 or
/// exFAT on Windows) the change does nothing, and this fails saying so.
pub fn make_private(path: &Path) -> io::Result<()> {
    imp::make_private(path)?;
    still_private(reach(path)?)
}

/// The command that makes `path` (a file or a folder) private by hand, for
/// a `help:` line.
pub fn private_fix(path: &Path) -> String {
    let folder = fs::metadata(path).is_ok_and(|m| m.is_dir());
    let found = reach(path).unwrap_or_default();
    imp::private_fix(&display(path), folder, &found)
}

/// What identifies a file whatever the path to it, and how many names it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub device: u64,
    pub index: u64,
    pub links: u64,
}

/// The identity of an open file (device and inode; volume and file index).
pub fn identity(file: &File) -> io::Result<FileIdentity> {
    imp::identity(file)
}

/// The identity of the file at `path` (following links). On Unix this reads
/// the metadata without opening the file: closing any descriptor of a file
/// drops every POSIX lock the process holds on it, and SQLite's locks on the
/// database must never be dropped behind its back. (Windows locks belong to
/// the handle that took them, so opening a handle there is harmless.)
pub fn identity_at(path: &Path) -> io::Result<FileIdentity> {
    imp::identity_at(path)
}

/// A path as people write it: on Windows without the `\\?\` prefix that
/// canonicalising adds (`\\?\C:\x` → `C:\x`, `\\?\UNC\s\x` → `\\s\x`).
pub fn display(path: &Path) -> String {
    simplify(&path.to_string_lossy()).into_owned()
}

/// Canonicalises a path, then drops the verbatim prefix (see [`display`]).
pub fn canonical(path: &Path) -> io::Result<PathBuf> {
    let full = fs::canonicalize(path)?;
    Ok(PathBuf::from(display(&full)))
}

fn simplify(text: &str) -> std::borrow::Cow<'_, str> {
    if let Some(rest) = text.strip_prefix(r"\\?\UNC\") {
        return format!(r"\\{rest}").into();
    }
    match text.strip_prefix(r"\\?\") {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.into(),
        _ => text.into(),
    }
}

/// What to do about a [`location_warning`].
pub const LOCATION_HELP: &str =
    "keep the database on this computer's own disk (the default place is best)";

/// Why a database at `path` may misbehave, if it may: SQLite's WAL needs
/// shared memory that network shares do not give, and sync clients copy a
/// file mid-write. A pure function of the path, so it is the same everywhere.
pub fn location_warning(path: &Path) -> Option<String> {
    let text = simplify(&path.to_string_lossy()).into_owned();
    if text.starts_with(r"\\") || text.starts_with("//") {
        return Some(format!(
            "the database {text} is on a network share: SQLite cannot lock it safely there"
        ));
    }
    const SYNCED: &[&str] = &[
        "onedrive",
        "dropbox",
        "google drive",
        "googledrive",
        "icloud drive",
        "iclouddrive",
        "mobile documents",
        "box sync",
        "nextcloud",
        "owncloud",
    ];
    let synced = path.components().find_map(|c| {
        let name = c.as_os_str().to_string_lossy().to_lowercase();
        SYNCED
            .iter()
            .find(|s| name == **s || name.starts_with(&format!("{s} -")))
            .map(|_| c.as_os_str().to_string_lossy().into_owned())
    });
    synced.map(|folder| {
        format!(
            "the database {text} is in a cloud-synced folder ({folder}): syncing can copy it half-written and corrupt it"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_prefixes_are_dropped_for_display() {
        assert_eq!(
            simplify(r"\\?\C:\Users\asha\mot.db"),
            r"C:\Users\asha\mot.db"
        );
        assert_eq!(
            simplify(r"\\?\UNC\server\share\mot.db"),
            r"\\server\share\mot.db"
        );
        assert_eq!(simplify("/home/asha/mot.db"), "/home/asha/mot.db");
        // A verbatim path that is not a drive path is left as it is.
        assert_eq!(simplify(r"\\?\Volume{x}\mot.db"), r"\\?\Volume{x}\mot.db");
    }

    #[test]
    fn network_shares_and_synced_folders_are_warned_about() {
        let share = location_warning(Path::new(r"\\fileserver\pharmacy\mot.db")).unwrap();
        assert!(share.contains("network share"), "{share}");
        let unc = location_warning(Path::new(r"\\?\UNC\fileserver\pharmacy\mot.db")).unwrap();
        assert!(unc.contains(r"\\fileserver\pharmacy"), "{unc}");
        let one = PathBuf::from("C:")
            .join("Users")
            .join("asha")
            .join("OneDrive - NHS")
            .join("mot.db");
        assert!(location_warning(&one).unwrap().contains("cloud-synced"));
        let icloud = Path::new("/Users/asha/Library/Mobile Documents/mot/mot.db");
        assert!(location_warning(icloud).is_some());
        for fine in [
            "/home/asha/.local/share/mot/mot.db",
            r"C:\Users\asha\AppData\Local\mot\mot.db",
        ] {
            assert_eq!(location_warning(Path::new(fine)), None, "{fine}");
        }
        // A folder that merely mentions a sync product is not one.
        assert_eq!(
            location_warning(Path::new("/home/asha/onedrive-notes/mot.db")),
            None
        );
    }

    #[test]
    fn created_files_and_folders_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a").join("b");
        create_private_dir_all(&sub).unwrap();
        assert_eq!(exposure(&sub).unwrap(), None);
        assert_eq!(exposure(&dir.path().join("a")).unwrap(), None);
        let file = sub.join("f");
        drop(create_new_private(&file).unwrap());
        assert_eq!(exposure(&file).unwrap(), None);
        assert!(create_new_private(&file).is_err(), "never replaces a file");
    }

    #[test]
    fn an_existing_file_is_tightened_through_its_handle_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("mot.db.send-lock");
        fs::write(&lock, b"kept").unwrap();
        expose(&lock).unwrap();
        assert!(exposure(&lock).unwrap().is_some());
        drop(open_private(&lock).unwrap());
        assert_eq!(exposure(&lock).unwrap(), None);
        assert_eq!(fs::read(&lock).unwrap(), b"kept", "never truncated");
        let new = dir.path().join("new");
        drop(open_private(&new).unwrap());
        assert_eq!(exposure(&new).unwrap(), None);
    }

    /// Windows' own calls take the `\\?\` form, so a path of 260 characters
    /// and more works as a short one does; a NUL would cut a path short, so
    /// it is refused.
    #[test]
    fn long_paths_work_and_a_nul_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir
            .path()
            .join("a".repeat(100))
            .join("b".repeat(100))
            .join("c".repeat(100));
        create_private_dir_all(&deep).unwrap();
        let file = deep.join("mot.db");
        assert!(file.to_string_lossy().len() > 300);
        drop(create_new_private(&file).unwrap());
        assert_eq!(exposure(&file).unwrap(), None);
        expose(&file).unwrap();
        make_private(&file).unwrap();
        assert_eq!(exposure(&file).unwrap(), None);
        assert!(reach(Path::new("mot\0.db")).is_err());
    }

    #[test]
    fn the_fix_for_a_folder_is_not_the_fix_for_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        let (for_dir, for_file) = (private_fix(dir.path()), private_fix(&file));
        assert_ne!(for_dir, for_file);
        #[cfg(unix)]
        assert!(for_dir.starts_with("chmod 700") && for_file.starts_with("chmod 600"));
        #[cfg(windows)]
        assert!(for_dir.contains("(OI)(CI)F") && for_file.contains(":F\""));
    }

    #[test]
    fn identity_sees_through_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        fs::write(&a, b"x").unwrap();
        let one = identity(&File::open(&a).unwrap()).unwrap();
        assert_eq!(one.links, 1);
        let b = dir.path().join("b");
        fs::hard_link(&a, &b).unwrap();
        let via_b = identity(&File::open(&b).unwrap()).unwrap();
        assert_eq!((via_b.device, via_b.index), (one.device, one.index));
        assert_eq!(via_b.links, 2);
    }
}
