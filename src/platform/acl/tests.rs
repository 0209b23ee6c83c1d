//! The access-list judgement, from the bytes Windows would hand over, with a
//! case for every way in that issue 23 lists.

use super::*;

const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";
const OTHER_USER: &str = "S-1-5-21-1004336348-1177238915-682003330-1002";
const ENTRA_USER: &str = "S-1-12-1-1234567890-1234567890-1234567890-1234567890";
const EVERYONE: &str = "S-1-1-0";
const USERS: &str = "S-1-5-32-545";
const AUTHENTICATED: &str = "S-1-5-11";

// Masks as Windows writes them: icacls's F, M and RX.
const FULL: u32 = 0x001F_01FF;
const MODIFY: u32 = 0x0013_01BF;
const READ_EXECUTE: u32 = 0x0012_00A9;

// ACE flags: (OI), (CI), (IO), inherited.
const OI: u8 = 0x01;
const CI: u8 = 0x02;
const IO: u8 = 0x08;
const INHERITED: u8 = 0x10;

/// A SID's binary form, from its text.
fn sid(text: &str) -> Vec<u8> {
    let parts: Vec<u64> = text[2..].split('-').map(|p| p.parse().unwrap()).collect();
    let (authority, subs) = (parts[1], &parts[2..]);
    let mut out = vec![1, subs.len() as u8];
    out.extend_from_slice(&authority.to_be_bytes()[2..]);
    for s in subs {
        out.extend_from_slice(&(*s as u32).to_le_bytes());
    }
    out
}

/// An ACE: header, mask, then `body` (a SID, with anything before it).
fn ace_with(kind: u8, flags: u8, mask: u32, body: &[u8]) -> Vec<u8> {
    let mut out = vec![kind, flags, 0, 0];
    out.extend_from_slice(&mask.to_le_bytes());
    out.extend_from_slice(body);
    while out.len() % 4 != 0 {
        out.push(0);
    }
    let size = out.len() as u16;
    out[2..4].copy_from_slice(&size.to_le_bytes());
    out
}

fn ace(kind: u8, flags: u8, mask: u32, who: &str) -> Vec<u8> {
    ace_with(kind, flags, mask, &sid(who))
}

fn allow(flags: u8, mask: u32, who: &str) -> Vec<u8> {
    ace(ACCESS_ALLOWED, flags, mask, who)
}

fn acl(aces: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = aces.concat();
    let mut out = vec![2, 0];
    out.extend_from_slice(&(8 + body.len() as u16).to_le_bytes());
    out.extend_from_slice(&(aces.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&body);
    out
}

/// What mot writes: the user and SYSTEM, full control, passed on by a folder.
fn mots_own(flags: u8) -> Vec<Vec<u8>> {
    vec![allow(flags, FULL, ME), allow(flags, FULL, SYSTEM)]
}

fn judged(owner: &str, aces: &[Vec<u8>], folder: bool) -> Reach {
    let parsed = parse_acl(&acl(aces)).unwrap();
    judge(owner, Some(&parsed), ME, folder)
}

fn with(extra: Vec<u8>) -> Vec<Vec<u8>> {
    let mut aces = mots_own(0);
    aces.push(extra);
    aces
}

#[test]
fn sids_read_as_text_and_malformed_ones_are_refused() {
    for text in [
        ME,
        SYSTEM,
        EVERYONE,
        USERS,
        ENTRA_USER,
        "S-1-5-32-544",
        "S-1-3-4",
    ] {
        let bytes = sid(text);
        assert_eq!(sid_text(&bytes), Some((text.to_string(), bytes.len())));
    }
    // An authority of 2^32 or more is written in hex.
    let mut big = sid("S-1-5-18");
    big[2] = 1;
    assert_eq!(sid_text(&big).unwrap().0, "S-1-0x010000000005-18");
    let good = sid(USERS);
    assert_eq!(sid_text(&good[..good.len() - 1]), None, "cut short");
    let mut revision = good.clone();
    revision[0] = 2;
    assert_eq!(sid_text(&revision), None, "unknown revision");
    let mut many = good.clone();
    many[1] = 16;
    many.extend_from_slice(&[0; 64]);
    assert_eq!(
        sid_text(&many),
        None,
        "more sub-authorities than Windows allows"
    );
    assert_eq!(sid_text(&[]), None);
}

#[test]
fn entries_are_read_only_within_their_sizes() {
    let good = acl(&mots_own(0));
    assert_eq!(parse_acl(&good).unwrap().len(), 2);
    // The list's size is more than was read.
    assert!(parse_acl(&good[..good.len() - 4]).is_err());
    // A count past the list's end.
    let mut count = good.clone();
    count[4] = 3;
    assert!(parse_acl(&count).unwrap_err().contains("entry 2"));
    // An entry whose size runs past the list, is too small, or is not a
    // multiple of 4.
    for bad_size in [200u16, 4, 0, 22] {
        let mut entry = good.clone();
        entry[8 + 2..8 + 4].copy_from_slice(&bad_size.to_le_bytes());
        let err = parse_acl(&entry).unwrap_err();
        assert!(err.contains("impossible size"), "{bad_size}: {err}");
    }
    assert!(parse_acl(&[2, 0]).is_err());
    // An entry too short for its SID is kept, with no SID, and judged as the
    // worst it could be.
    let mut short = allow(0, FULL, USERS);
    short.truncate(12);
    short[2..4].copy_from_slice(&12u16.to_le_bytes());
    let parsed = parse_acl(&acl(&[short])).unwrap();
    assert_eq!(parsed[0].sid, None);
    let r = judge(ME, Some(&parsed), ME, false);
    assert_eq!(r.read, ["an entry mot cannot read (type 0)"]);
    assert_eq!(r.write, r.read);
}

#[test]
fn mots_own_lists_are_private() {
    assert!(judged(ME, &mots_own(0), false).is_private());
    assert!(judged(ME, &mots_own(OI | CI), true).is_private());
    // Administrators (and files an elevated mot created, which they own).
    let mut admins = mots_own(0);
    admins.push(allow(0, FULL, ADMINISTRATORS));
    assert!(judged(ADMINISTRATORS, &admins, false).is_private());
    // An empty list lets nobody in (the owner can still change it).
    assert!(judged(ME, &[], false).is_private());
    // An Entra ID account is just another SID.
    let entra = [allow(0, FULL, ENTRA_USER)];
    let parsed = parse_acl(&acl(&entra)).unwrap();
    assert!(judge(ENTRA_USER, Some(&parsed), ENTRA_USER, false).is_private());
}

#[test]
fn everyone_users_and_authenticated_users_are_others() {
    let r = judged(ME, &with(allow(0, READ_EXECUTE, EVERYONE)), false);
    assert_eq!(r.read, ["Everyone (S-1-1-0)"]);
    assert!(r.write.is_empty());
    let r = judged(ME, &with(allow(INHERITED, READ_EXECUTE, USERS)), false);
    assert_eq!(r.read, ["Users (S-1-5-32-545)"]);
    let r = judged(ME, &with(allow(INHERITED, MODIFY, AUTHENTICATED)), false);
    assert_eq!(r.read, ["Authenticated Users (S-1-5-11)"]);
    assert_eq!(r.write, r.read, "modify is both");
    assert_eq!(r.sids, [AUTHENTICATED]);
    // Another person's account, and generic rights as written by some tools.
    let r = judged(ME, &with(allow(0, 0x8000_0000, OTHER_USER)), false);
    assert_eq!(r.read, [OTHER_USER]);
    let r = judged(ME, &with(allow(0, 0x1000_0000, OTHER_USER)), false);
    assert_eq!((r.read.len(), r.write.len()), (1, 1), "GENERIC_ALL");
}

#[test]
fn write_alone_counts_as_a_way_in() {
    for mask in [0x2, 0x4, 0x0001_0000, 0x4000_0000] {
        let r = judged(ME, &with(allow(0, mask, USERS)), false);
        assert!(r.read.is_empty(), "{mask:#x}");
        assert_eq!(r.write, ["Users (S-1-5-32-545)"], "{mask:#x}");
    }
}

#[test]
fn changing_the_permissions_or_the_owner_is_a_way_in() {
    for (what, mask) in [("WRITE_DAC", 0x0004_0000), ("WRITE_OWNER", 0x0008_0000)] {
        let r = judged(ME, &with(allow(0, mask, USERS)), false);
        assert_eq!(r.write, ["Users (S-1-5-32-545)"], "{what}");
        assert!(!r.is_private(), "{what}");
    }
}

#[test]
fn another_owner_is_a_way_in_even_with_a_private_list() {
    let r = judged(OTHER_USER, &mots_own(0), false);
    assert_eq!(r.owner.as_deref(), Some(OTHER_USER));
    assert!(r.read.is_empty() && r.write.is_empty());
    assert!(r.describe().unwrap().contains("owned by"));
    assert_eq!(r.sids, [OTHER_USER]);
    // SYSTEM and the Administrators may own it.
    assert!(judged(SYSTEM, &mots_own(0), false).is_private());
}

#[test]
fn owner_rights_stand_for_the_owner() {
    // OWNER RIGHTS with mot's user as owner is the user: private.
    let r = judged(ME, &with(allow(0, FULL, OWNER_RIGHTS)), false);
    assert!(r.is_private(), "{r:?}");
    // With another owner it is that owner, already named as such.
    let r = judged(OTHER_USER, &with(allow(0, FULL, OWNER_RIGHTS)), false);
    assert_eq!(r.owner.as_deref(), Some(OTHER_USER));
    assert!(r.read.is_empty());
}

#[test]
fn conditional_and_object_entries_are_judged_like_plain_ones() {
    // A conditional (callback) allow entry: its condition may hold, so it counts.
    let mut body = sid(USERS);
    body.extend_from_slice(b"artx\x01\x02\x03\x04");
    let conditional = ace_with(ACCESS_ALLOWED_CALLBACK, 0, READ_EXECUTE, &body);
    let r = judged(ME, &with(conditional), false);
    assert_eq!(r.read, ["Users (S-1-5-32-545)"]);
    // Object entries, with none, one or both GUIDs before the SID.
    for (present, guids) in [(0u32, 0usize), (1, 1), (2, 1), (3, 2)] {
        for kind in [ACCESS_ALLOWED_OBJECT, ACCESS_ALLOWED_CALLBACK_OBJECT] {
            let mut body = present.to_le_bytes().to_vec();
            body.extend(std::iter::repeat_n(0xAB, 16 * guids));
            body.extend(sid(EVERYONE));
            let r = judged(ME, &with(ace_with(kind, 0, READ_EXECUTE, &body)), false);
            assert_eq!(
                r.read,
                ["Everyone (S-1-1-0)"],
                "type {kind}, flags {present}"
            );
        }
    }
    // The reserved compound type and a type Windows does not define cannot be
    // read: assumed to let someone in.
    for kind in [0x04, 0x7F] {
        let r = judged(ME, &with(ace(kind, 0, FULL, USERS)), false);
        assert_eq!(
            r.read,
            [format!("an entry mot cannot read (type {kind})")],
            "type {kind}"
        );
    }
}

#[test]
fn deny_audit_and_label_entries_grant_nothing() {
    for kind in [
        ACCESS_DENIED,
        ACCESS_DENIED_CALLBACK,
        ACCESS_DENIED_OBJECT,
        0x02,
        0x11,
    ] {
        let entry = if kind == ACCESS_DENIED_OBJECT {
            let mut body = 0u32.to_le_bytes().to_vec();
            body.extend(sid(EVERYONE));
            ace_with(kind, 0, FULL, &body)
        } else {
            ace(kind, 0, FULL, EVERYONE)
        };
        assert!(judged(ME, &with(entry), false).is_private(), "type {kind}");
    }
}

#[test]
fn inherit_only_entries_reach_new_files_not_the_object() {
    // On a file, an inherit-only entry does nothing.
    let r = judged(ME, &with(allow(OI | CI | IO, FULL, USERS)), false);
    assert!(r.is_private(), "{r:?}");
    // On a folder it reaches every file created in it (SQLite's -wal, -shm).
    let r = judged(ME, &with(allow(OI | IO, READ_EXECUTE, USERS)), true);
    assert!(r.read.is_empty() && r.write.is_empty());
    assert_eq!(r.new_files, ["Users (S-1-5-32-545)"]);
    assert!(
        r.describe()
            .unwrap()
            .contains("files created in it are open to")
    );
    // Passed on to subfolders only (CI without OI): not to new files here.
    let r = judged(ME, &with(allow(CI | IO, FULL, USERS)), true);
    assert!(r.is_private(), "{r:?}");
}

#[test]
fn creator_owner_is_the_creator_and_creator_group_is_a_group() {
    // An effective CREATOR OWNER entry matches nobody; inherited, it is the
    // creator, who is mot's user for the files mot creates.
    assert!(judged(ME, &with(allow(0, FULL, CREATOR_OWNER)), false).is_private());
    assert!(judged(ME, &with(allow(OI | CI | IO, FULL, CREATOR_OWNER)), true).is_private());
    // CREATOR GROUP passes access to the creator's primary group.
    let r = judged(ME, &with(allow(OI | CI | IO, FULL, CREATOR_GROUP)), true);
    assert_eq!(r.new_files.len(), 1);
    assert!(r.new_files[0].contains("S-1-3-1"));
    assert!(judged(ME, &with(allow(0, FULL, CREATOR_GROUP)), false).is_private());
}

#[test]
fn no_access_list_lets_everyone_in() {
    let r = judge(ME, None, ME, false);
    assert_eq!(r.read, ["everyone (it has no access list)"]);
    assert_eq!(r.write, r.read);
    assert!(r.new_files.is_empty());
    assert_eq!(judge(ME, None, ME, true).new_files.len(), 1);
}

#[test]
fn a_folder_made_in_explorer_under_the_system_drive() {
    // What `icacls C:\mot` shows for a folder made there: inherited from C:\.
    let aces = [
        allow(INHERITED, FULL, ADMINISTRATORS),
        allow(INHERITED | OI | CI | IO, FULL, ADMINISTRATORS),
        allow(INHERITED, FULL, SYSTEM),
        allow(INHERITED | OI | CI | IO, FULL, SYSTEM),
        allow(INHERITED | OI | CI, READ_EXECUTE, USERS),
        allow(INHERITED, MODIFY, AUTHENTICATED),
        allow(INHERITED | OI | CI | IO, 0xE001_0000, AUTHENTICATED),
        allow(INHERITED | OI | CI | IO, FULL, CREATOR_OWNER),
    ];
    let r = judged(ADMINISTRATORS, &aces, true);
    assert_eq!(r.owner, None);
    assert_eq!(
        r.read,
        ["Users (S-1-5-32-545)", "Authenticated Users (S-1-5-11)"]
    );
    assert_eq!(r.write, ["Authenticated Users (S-1-5-11)"]);
    assert_eq!(
        r.new_files,
        ["Users (S-1-5-32-545)", "Authenticated Users (S-1-5-11)"]
    );
    assert_eq!(r.sids, [USERS, AUTHENTICATED]);
    // The user's own profile folder: the user, SYSTEM and Administrators.
    let profile = [
        allow(INHERITED | OI | CI, FULL, SYSTEM),
        allow(INHERITED | OI | CI, FULL, ADMINISTRATORS),
        allow(INHERITED | OI | CI, FULL, ME),
    ];
    assert!(judged(ME, &profile, true).is_private());
}

#[test]
fn the_icacls_fix_uses_sids_not_names() {
    let file = icacls_fix(r"C:\Users\asha\mot\token.txt", ME, false, &Reach::default());
    assert_eq!(
        file,
        format!(
            r#"icacls "C:\Users\asha\mot\token.txt" /inheritance:r /grant:r "*{ME}:F" "*S-1-5-18:F""#
        )
    );
    assert!(!file.contains("USERNAME") && !file.contains("SYSTEM:"));
    // A folder passes it on; others found are removed; another owner replaced.
    let reach = judged(
        OTHER_USER,
        &with(allow(OI | CI, MODIFY, AUTHENTICATED)),
        true,
    );
    let folder = icacls_fix(r"D:\mot", ME, true, &reach);
    assert_eq!(
        folder,
        format!(
            r#"icacls "D:\mot" /inheritance:r /grant:r "*{ME}:(OI)(CI)F" "*S-1-5-18:(OI)(CI)F" /remove:g "*{OTHER_USER}" "*S-1-5-11", then as an administrator: icacls "D:\mot" /setowner "*{ME}""#
        )
    );
}

#[test]
fn long_paths_take_the_verbatim_form() {
    assert_eq!(
        verbatim(r"C:\Users\asha\mot.db"),
        r"\\?\C:\Users\asha\mot.db"
    );
    assert_eq!(
        verbatim("C:/Users/asha/mot.db"),
        r"\\?\C:\Users\asha\mot.db"
    );
    assert_eq!(
        verbatim(r"\\server\share\mot.db"),
        r"\\?\UNC\server\share\mot.db"
    );
    assert_eq!(verbatim(r"\\?\C:\already"), r"\\?\C:\already");
    assert_eq!(verbatim(r"\\?\UNC\s\x"), r"\\?\UNC\s\x");
    assert_eq!(verbatim(r"\\.\pipe\x"), r"\\.\pipe\x");
    let long = format!(r"C:\{}\mot.db", "a".repeat(300));
    assert_eq!(verbatim(&long), format!(r"\\?\{long}"));
}
