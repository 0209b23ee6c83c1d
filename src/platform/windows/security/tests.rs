//! What mot creates, checked by an oracle that shares no code with
//! `platform::acl`: Windows' own `GetEffectiveRightsFromAclW`, asked what the
//! Users, Authenticated Users and Everyone groups may do. Runs wherever the
//! tests run on Windows (never on Linux, where only `acl`'s tests run).

use std::os::windows::io::AsRawHandle;
use std::path::Path;

use windows_sys::Win32::Security::Authorization::{
    BuildTrusteeWithSidW, GetEffectiveRightsFromAclW,
};
use windows_sys::Win32::Security::{
    GetSecurityDescriptorControl, WinAuthenticatedUserSid, WinBuiltinUsersSid, WinWorldSid,
};
use windows_sys::Win32::Storage::FileSystem::{
    DELETE, FILE_APPEND_DATA, FILE_READ_DATA, FILE_WRITE_DATA, READ_CONTROL, WRITE_OWNER,
};

use super::*;

/// The rights that would let a group read, change, delete or take the file.
const ANY_WAY_IN: u32 = FILE_READ_DATA
    | FILE_WRITE_DATA
    | FILE_APPEND_DATA
    | DELETE
    | windows_sys::Win32::Storage::FileSystem::WRITE_DAC
    | WRITE_OWNER;

/// For each of the three groups, the rights its access list gives them; and
/// whether the list is protected from the parent's.
fn oracle(path: &Path) -> (Vec<(&'static str, u32)>, bool) {
    let owned = open_handle(path, READ_CONTROL).unwrap();
    let handle = owned.as_raw_handle() as HANDLE;
    let mut dacl: *mut ACL = ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    // SAFETY: as in `reach`; the descriptor is freed by LocalBox.
    unsafe {
        check(GetSecurityInfo(
            handle,
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut dacl,
            ptr::null_mut(),
            &mut descriptor,
        ))
        .unwrap();
        let _descriptor = LocalBox(descriptor);
        assert!(!dacl.is_null(), "{} has no access list", path.display());
        let (mut control, mut revision) = (0u16, 0u32);
        check_bool(GetSecurityDescriptorControl(
            descriptor,
            &mut control,
            &mut revision,
        ))
        .unwrap();
        let mut rights = Vec::new();
        for (name, kind) in [
            ("Users", WinBuiltinUsersSid),
            ("Authenticated Users", WinAuthenticatedUserSid),
            ("Everyone", WinWorldSid),
        ] {
            let sid = Sid::well_known(kind).unwrap();
            let mut trustee: TRUSTEE_W = std::mem::zeroed();
            BuildTrusteeWithSidW(&mut trustee, sid.ptr());
            let mut mask = 0u32;
            check(GetEffectiveRightsFromAclW(dacl, &trustee, &mut mask)).unwrap();
            rights.push((name, mask));
        }
        (rights, control & SE_DACL_PROTECTED != 0)
    }
}

#[test]
fn created_files_and_folders_let_no_group_in_by_windows_own_reckoning() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("private");
    crate::platform::create_private_dir_all(&folder).unwrap();
    let new = folder.join("config.toml");
    drop(crate::platform::create_new_private(&new).unwrap());
    let lock = folder.join("mot.db.send-lock");
    drop(crate::platform::open_private(&lock).unwrap());
    // What SQLite creates in a folder mot made inherits from it.
    let inherited = folder.join("mot.db-wal");
    std::fs::write(&inherited, b"").unwrap();
    for path in [&folder, &new, &lock, &inherited] {
        let (rights, protected) = oracle(path);
        for (group, mask) in rights {
            assert_eq!(
                mask & ANY_WAY_IN,
                0,
                "{group} may {mask:#x} on {}",
                path.display()
            );
        }
        if path != &inherited {
            assert!(protected, "{} inherits from its parent", path.display());
        }
        assert_eq!(crate::platform::exposure(path).unwrap(), None);
    }
    // And the oracle does see a way in when there is one.
    crate::platform::expose(&new).unwrap();
    let (rights, _) = oracle(&new);
    assert_ne!(
        rights[0].1 & FILE_READ_DATA,
        0,
        "Users can read after expose"
    );
    assert!(
        crate::platform::exposure(&new)
            .unwrap()
            .unwrap()
            .contains("S-1-5-32-545")
    );
}

#[test]
fn a_write_grant_to_users_is_seen_and_tightened() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    drop(crate::platform::create_new_private(&file).unwrap());
    grant_users(&file, FILE_WRITE_DATA).unwrap();
    let how = crate::platform::exposure(&file).unwrap().unwrap();
    assert!(how.contains("changeable by Users"), "{how}");
    crate::platform::make_private(&file).unwrap();
    assert_eq!(crate::platform::exposure(&file).unwrap(), None);
}

#[test]
fn paths_with_a_nul_are_refused_and_long_paths_take_the_verbatim_form() {
    assert_eq!(
        wide(Path::new("C:\\a\0b")).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    let long = wide(Path::new(&format!("C:\\{}", "a".repeat(300)))).unwrap();
    assert!(long.starts_with(&"\\\\?\\".encode_utf16().collect::<Vec<_>>()));
}
