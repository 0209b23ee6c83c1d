//! Where a database may live: the rules from made-up reaches, and the real
//! thing on this platform's own folders.

#[cfg(unix)]
use std::fs;

use super::*;
use crate::db::{Create, open, open_read_only};

fn reach(read: &[&str], write: &[&str], new_files: &[&str], owner: Option<&str>) -> Reach {
    let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    Reach {
        owner: owner.map(str::to_string),
        read: list(read),
        write: list(write),
        new_files: list(new_files),
        ..Reach::default()
    }
}

#[test]
fn a_folder_others_can_change_is_open_and_one_they_can_list_is_readable() {
    assert_eq!(Folder::judge(Ok(Reach::default())), Folder::Private);
    let readable = Folder::judge(Ok(reach(&["Users (S-1-5-32-545)"], &[], &[], None)));
    assert!(matches!(readable, Folder::Readable(how) if how.contains("Users")));
    for open in [
        reach(&[], &["every other account"], &[], None),
        // Windows: what is created there (SQLite's -wal) is open to others.
        reach(&[], &[], &["Users (S-1-5-32-545)"], None),
        reach(&[], &[], &[], Some("user id 1001")),
        reach(&["its group"], &["its group"], &[], None),
    ] {
        assert!(
            matches!(Folder::judge(Ok(open.clone())), Folder::Open(_)),
            "{open:?}"
        );
    }
    let unknown = Folder::judge(Err(io::Error::other("access is denied")));
    assert_eq!(unknown, Folder::Unknown("access is denied".into()));
}

#[test]
fn a_companion_another_account_owns_is_refused_and_a_missing_one_is_fine() {
    let wal = Path::new("mot.db-wal");
    assert!(judge_companion(wal, Err(io::ErrorKind::NotFound.into())).is_ok());
    assert!(judge_companion(wal, Ok(Reach::default())).is_ok());
    // Readable by others but ours: tightened once SQLite has it, not refused.
    assert!(judge_companion(wal, Ok(reach(&["its group"], &[], &[], None))).is_ok());
    let theirs = judge_companion(wal, Ok(reach(&[], &[], &[], Some("user id 1001"))));
    let err = format!("{:#}", theirs.unwrap_err());
    assert!(
        err.contains("belongs to another account (user id 1001)"),
        "{err}"
    );
    // Cannot tell is a refusal, never "fine".
    let err = judge_companion(wal, Err(io::ErrorKind::PermissionDenied.into())).unwrap_err();
    assert!(
        format!("{err:#}").contains("cannot tell who owns"),
        "{err:#}"
    );
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_database_in_a_folder_others_can_write_is_refused_before_anything_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o777);
    let path = shared.join("mot.db");
    let err = format!("{:#}", open(&path, Create::IfMissing).unwrap_err());
    assert!(err.contains("is open to other accounts"), "{err}");
    assert!(
        err.contains("changeable by its group, every other account (mode 0777)"),
        "{err}"
    );
    assert!(
        fs::read_dir(&shared).unwrap().next().is_none(),
        "nothing created"
    );
    // An existing database whose folder was opened later: refused too, by
    // every command and by doctor's read-only open.
    chmod(&shared, 0o700);
    drop(open(&path, Create::IfMissing).unwrap());
    chmod(&shared, 0o1777);
    let err = format!("{:#}", open(&path, Create::No).unwrap_err());
    assert!(err.contains("is open to other accounts"), "{err}");
    assert!(
        matches!(folder(&path), Some((_, Folder::Open(_)))),
        "doctor sees it"
    );
    // The help names the fix for a folder.
    let refusal = open_folder(&shared, "x");
    let help = refusal
        .downcast_ref::<crate::exit::Failure>()
        .and_then(|f| f.help.clone())
        .unwrap();
    assert!(help.contains("chmod 700"), "{help}");
}

#[cfg(unix)]
#[test]
fn a_folder_others_can_only_list_is_used_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let listed = dir.path().join("listed");
    fs::create_dir(&listed).unwrap();
    chmod(&listed, 0o755);
    let path = listed.join("mot.db");
    drop(open(&path, Create::IfMissing).unwrap());
    assert_eq!(platform::exposure(&path).unwrap(), None);
    assert!(matches!(folder(&path), Some((_, Folder::Readable(_)))));
}

#[test]
fn sqlite_keeps_its_temporary_files_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mot.db");
    let conn = open(&path, Create::IfMissing).unwrap();
    let store: i64 = conn
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(store, 2, "MEMORY");
    drop(conn);
    let (conn, _) = open_read_only(&path).unwrap();
    let store: i64 = conn
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(store, 2, "MEMORY, read-only too");
}

/// The synced-folder warning is given once a day; a safe place never warns.
#[test]
fn the_location_warning_is_due_once_a_day() {
    let conn = crate::db::open_in_memory();
    let synced = Path::new("/home/asha/Dropbox/mot.db");
    let day = |d: i8| jiff::civil::date(2026, 12, d);
    assert!(location_warning_due(&conn, synced, day(1)).is_some());
    assert_eq!(location_warning_due(&conn, synced, day(1)), None);
    assert!(location_warning_due(&conn, synced, day(2)).is_some());
    let home = Path::new("/home/asha/.local/share/mot/mot.db");
    assert_eq!(location_warning_due(&conn, home, day(3)), None);
}
