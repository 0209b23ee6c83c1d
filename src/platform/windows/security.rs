//! Windows security descriptors: the protected access list mot gives what it
//! creates (at creation, through `SECURITY_ATTRIBUTES`), and reading an open
//! file's owner and access list out as bytes, for [`super::super::acl`] to
//! judge. Everything here is a thin call into Windows: no decisions.
#![allow(unsafe_code)]

use std::ffi::{OsString, c_void};
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::{FromRawHandle, OwnedHandle, RawHandle};
use std::path::Path;
use std::ptr;

use windows_sys::Win32::Foundation::{
    ERROR_INSUFFICIENT_BUFFER, ERROR_SUCCESS, HANDLE, INVALID_HANDLE_VALUE, LocalFree,
};
use windows_sys::Win32::Security::Authorization::{
    EXPLICIT_ACCESS_W, GetSecurityInfo, NO_MULTIPLE_TRUSTEE, SE_FILE_OBJECT, SET_ACCESS,
    SetEntriesInAclW, SetSecurityInfo, TRUSTEE_IS_SID, TRUSTEE_IS_USER,
    TRUSTEE_IS_WELL_KNOWN_GROUP, TRUSTEE_TYPE, TRUSTEE_W,
};
use windows_sys::Win32::Security::{
    ACE_FLAGS, ACL, CreateWellKnownSid, DACL_SECURITY_INFORMATION, GetLengthSid,
    GetTokenInformation, InitializeSecurityDescriptor, IsValidSid, NO_INHERITANCE,
    OWNER_SECURITY_INFORMATION, PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID,
    SE_DACL_PROTECTED, SECURITY_ATTRIBUTES, SECURITY_DESCRIPTOR, SECURITY_MAX_SID_SIZE,
    SUB_CONTAINERS_AND_OBJECTS_INHERIT, SetSecurityDescriptorControl, SetSecurityDescriptorDacl,
    TOKEN_QUERY, TOKEN_USER, TokenUser, WELL_KNOWN_SID_TYPE, WinLocalSystemSid,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, FILE_ALL_ACCESS, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE, FILE_SHARE_READ,
    FILE_SHARE_WRITE, GetVolumeInformationByHandleW, OPEN_EXISTING,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::super::Reach;
use super::super::acl;

/// `FILE_PERSISTENT_ACLS` (winnt.h): the volume keeps access lists. NTFS and
/// ReFS do; FAT32 and exFAT do not. Defined here rather than enabling
/// windows-sys's `Win32_System_SystemServices` for one constant.
const FILE_PERSISTENT_ACLS: u32 = 0x0000_0008;
/// `SECURITY_DESCRIPTOR_REVISION` (winnt.h), likewise.
const SECURITY_DESCRIPTOR_REVISION: u32 = 1;

/// A SID copied into a buffer aligned as Windows requires (its
/// sub-authorities are u32), with its length in bytes.
pub struct Sid {
    buf: Vec<u32>,
    len: usize,
}

impl Sid {
    pub fn ptr(&self) -> PSID {
        self.buf.as_ptr() as PSID
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `buf` holds at least `len` initialised bytes.
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr() as *const u8, self.len) }
    }

    /// The SID as text (`S-1-5-21-…`).
    pub fn text(&self) -> io::Result<String> {
        acl::sid_text(self.bytes())
            .map(|(text, _)| text)
            .ok_or_else(|| io::Error::other("Windows gave a malformed SID"))
    }

    /// Copies a SID that Windows handed over.
    ///
    /// # Safety
    /// `sid` must point to a SID that Windows has just returned.
    unsafe fn copy_from(sid: PSID) -> io::Result<Sid> {
        // SAFETY: IsValidSid checks the structure before its length is trusted.
        unsafe {
            if sid.is_null() || IsValidSid(sid) == 0 {
                return Err(io::Error::other("Windows gave no valid SID"));
            }
            let len = GetLengthSid(sid) as usize;
            let mut buf = vec![0u32; len.div_ceil(4)];
            ptr::copy_nonoverlapping(sid as *const u8, buf.as_mut_ptr() as *mut u8, len);
            Ok(Sid { buf, len })
        }
    }

    pub fn well_known(kind: WELL_KNOWN_SID_TYPE) -> io::Result<Sid> {
        let mut buf = vec![0u32; (SECURITY_MAX_SID_SIZE as usize).div_ceil(4)];
        let mut len = SECURITY_MAX_SID_SIZE;
        // SAFETY: the buffer holds SECURITY_MAX_SID_SIZE bytes, as `len` says;
        // on success Windows sets `len` to the bytes it wrote.
        let ok = unsafe {
            CreateWellKnownSid(kind, ptr::null_mut(), buf.as_mut_ptr() as PSID, &mut len)
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Sid {
            buf,
            len: len as usize,
        })
    }

    /// The user this process runs as.
    pub fn current_user() -> io::Result<Sid> {
        // SAFETY: the token handle is owned (closed on every path); the
        // buffer is sized by the first call and u64-aligned for TOKEN_USER's
        // pointer, which points into that same buffer.
        unsafe {
            let mut token: HANDLE = ptr::null_mut();
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let _token = OwnedHandle::from_raw_handle(token as RawHandle);
            let mut len = 0u32;
            // Asking with no buffer must fail with "insufficient buffer" and
            // say how much is needed; anything else is a real failure.
            if GetTokenInformation(token, TokenUser, ptr::null_mut(), 0, &mut len) != 0 {
                return Err(io::Error::other("Windows sized the token user as empty"));
            }
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(ERROR_INSUFFICIENT_BUFFER as i32) || len == 0 {
                return Err(err);
            }
            let mut buf = vec![0u64; (len as usize).div_ceil(8)];
            let ok = GetTokenInformation(
                token,
                TokenUser,
                buf.as_mut_ptr() as *mut c_void,
                len,
                &mut len,
            );
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            let user = &*(buf.as_ptr() as *const TOKEN_USER);
            Sid::copy_from(user.User.Sid)
        }
    }
}

/// The current user's SID as text, for `icacls` lines and judging.
pub fn current_user_text() -> io::Result<String> {
    Sid::current_user()?.text()
}

/// Frees what Windows allocated with LocalAlloc, however we leave.
struct LocalBox(*mut c_void);

impl Drop for LocalBox {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a Windows call that says to LocalFree it.
            unsafe { LocalFree(self.0) };
        }
    }
}

fn check(rc: u32) -> io::Result<()> {
    if rc == ERROR_SUCCESS {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc as i32))
    }
}

fn check_bool(ok: i32) -> io::Result<()> {
    if ok != 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A path as Windows' own calls take it: absolute, in the `\\?\` form that
/// has no 260-character limit, NUL-terminated. A NUL inside the path would
/// silently cut it short, so it is refused.
pub fn wide(path: &Path) -> io::Result<Vec<u16>> {
    let absolute = std::path::absolute(path)?;
    // A name that is not valid Unicode keeps its plain (short-path) form.
    let name: OsString = match absolute.to_str() {
        Some(text) => OsString::from(acl::verbatim(text)),
        None => absolute.into_os_string(),
    };
    let mut units: Vec<u16> = name.encode_wide().collect();
    if units.contains(&0) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path contains a NUL character",
        ));
    }
    units.push(0);
    Ok(units)
}

/// Opens an existing file or folder (following links) for `access` only,
/// sharing everything: SQLite's own handles are never in the way.
pub fn open_handle(path: &Path, access: u32) -> io::Result<OwnedHandle> {
    let name = wide(path)?;
    // SAFETY: `name` is NUL-terminated and outlives the call; no security
    // attributes or template. BACKUP_SEMANTICS is what opens a folder.
    let handle = unsafe {
        CreateFileW(
            name.as_ptr(),
            access,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            ptr::null(),
            OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS,
            ptr::null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a valid handle we now own.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle as RawHandle) })
}

fn entry(sid: &Sid, kind: TRUSTEE_TYPE, inherit: ACE_FLAGS) -> EXPLICIT_ACCESS_W {
    EXPLICIT_ACCESS_W {
        grfAccessPermissions: FILE_ALL_ACCESS,
        grfAccessMode: SET_ACCESS,
        grfInheritance: inherit,
        Trustee: TRUSTEE_W {
            pMultipleTrustee: ptr::null_mut(),
            MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
            TrusteeForm: TRUSTEE_IS_SID,
            TrusteeType: kind,
            ptstrName: sid.ptr() as *mut u16,
        },
    }
}

/// The protected access list of a private file or folder (the current user
/// and SYSTEM, full control; a folder passes it on to what it holds), in a
/// security descriptor ready for `SECURITY_ATTRIBUTES`. Protected, so that
/// none of the parent's inheritable entries are merged in at creation.
pub struct Private {
    acl: *mut ACL,
    _acl: LocalBox,
    /// Boxed: `SECURITY_ATTRIBUTES` points at it, so it must not move.
    descriptor: Box<SECURITY_DESCRIPTOR>,
}

impl Private {
    pub fn new(folder: bool) -> io::Result<Private> {
        let user = Sid::current_user()?;
        let system = Sid::well_known(WinLocalSystemSid)?;
        let inherit = if folder {
            SUB_CONTAINERS_AND_OBJECTS_INHERIT
        } else {
            NO_INHERITANCE
        };
        let entries = [
            entry(&user, TRUSTEE_IS_USER, inherit),
            entry(&system, TRUSTEE_IS_WELL_KNOWN_GROUP, inherit),
        ];
        let mut acl: *mut ACL = ptr::null_mut();
        // SAFETY: `entries` and the SIDs they point to outlive the call; the
        // new ACL is owned by a LocalBox from here on.
        check(unsafe {
            SetEntriesInAclW(
                entries.len() as u32,
                entries.as_ptr(),
                ptr::null(),
                &mut acl,
            )
        })?;
        let owned = LocalBox(acl as *mut c_void);
        let mut descriptor = Box::new(SECURITY_DESCRIPTOR::default());
        let sd = &mut *descriptor as *mut SECURITY_DESCRIPTOR as PSECURITY_DESCRIPTOR;
        // SAFETY: `sd` is a writable SECURITY_DESCRIPTOR (absolute format);
        // the ACL it points to lives as long as `Private` does.
        unsafe {
            check_bool(InitializeSecurityDescriptor(
                sd,
                SECURITY_DESCRIPTOR_REVISION,
            ))?;
            check_bool(SetSecurityDescriptorDacl(sd, 1, acl, 0))?;
            check_bool(SetSecurityDescriptorControl(
                sd,
                SE_DACL_PROTECTED,
                SE_DACL_PROTECTED,
            ))?;
        }
        Ok(Private {
            acl,
            _acl: owned,
            descriptor,
        })
    }

    /// For `CreateFileW` / `CreateDirectoryW`; valid while `self` is.
    pub fn attributes(&self) -> SECURITY_ATTRIBUTES {
        SECURITY_ATTRIBUTES {
            nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
            lpSecurityDescriptor: &*self.descriptor as *const SECURITY_DESCRIPTOR as *mut c_void,
            bInheritHandle: 0,
        }
    }

    /// Replaces the access list of an open file (opened with WRITE_DAC)
    /// with this one, protected from the parent's.
    pub fn apply(&self, handle: HANDLE) -> io::Result<()> {
        // SAFETY: a valid handle and an ACL that lives as long as `self`.
        check(unsafe {
            SetSecurityInfo(
                handle,
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                ptr::null_mut(),
                ptr::null_mut(),
                self.acl,
                ptr::null(),
            )
        })
    }
}

/// Who besides the current user, SYSTEM and Administrators can reach the
/// open file or folder `handle` (opened with READ_CONTROL): its volume's
/// support for access lists, its owner and its access list, read here and
/// judged by [`acl::judge`].
pub fn reach(handle: HANDLE, folder: bool) -> io::Result<Reach> {
    let mut flags = 0u32;
    // SAFETY: a valid handle; every buffer but the flags is left out (NULL, 0).
    check_bool(unsafe {
        GetVolumeInformationByHandleW(
            handle,
            ptr::null_mut(),
            0,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut flags,
            ptr::null_mut(),
            0,
        )
    })?;
    if flags & FILE_PERSISTENT_ACLS == 0 {
        return Ok(no_access_lists(folder));
    }
    let me = current_user_text()?;
    let mut owner: PSID = ptr::null_mut();
    let mut dacl: *mut ACL = ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    // SAFETY: GetSecurityInfo allocates the descriptor (freed by LocalBox)
    // that `owner` and `dacl` point into. The owner is copied out after
    // IsValidSid; the ACL is copied out by its own AclSize, and every entry
    // in it is then read only within that size (acl::parse_acl).
    unsafe {
        check(GetSecurityInfo(
            handle,
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut owner,
            ptr::null_mut(),
            &mut dacl,
            ptr::null_mut(),
            &mut descriptor,
        ))?;
        let _descriptor = LocalBox(descriptor);
        let owner = Sid::copy_from(owner)?.text()?;
        let aces = if dacl.is_null() {
            None
        } else {
            let size = usize::from((*dacl).AclSize);
            let bytes = std::slice::from_raw_parts(dacl as *const u8, size);
            Some(acl::parse_acl(bytes).map_err(io::Error::other)?)
        };
        Ok(acl::judge(&owner, aces.as_deref(), &me, folder))
    }
}

/// A file or folder on a volume that keeps no access lists: open to all.
fn no_access_lists(folder: bool) -> Reach {
    let everyone = "everyone".to_string();
    Reach {
        read: vec![everyone.clone()],
        write: vec![everyone.clone()],
        new_files: if folder { vec![everyone] } else { Vec::new() },
        note: Some("its drive keeps no permissions: FAT32 or exFAT, as on most USB sticks".into()),
        no_permissions: true,
        ..Reach::default()
    }
}

/// Adds a grant of `access` for the Users group to the access list of
/// `path`, as a careless copy would: for tests of refusal and tightening.
#[cfg(test)]
pub fn grant_users(path: &Path, access: u32) -> io::Result<()> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Security::Authorization::GRANT_ACCESS;
    use windows_sys::Win32::Security::WinBuiltinUsersSid;
    use windows_sys::Win32::Storage::FileSystem::{READ_CONTROL, WRITE_DAC};
    let users = Sid::well_known(WinBuiltinUsersSid)?;
    let mut grant = entry(&users, TRUSTEE_IS_WELL_KNOWN_GROUP, NO_INHERITANCE);
    grant.grfAccessMode = GRANT_ACCESS;
    grant.grfAccessPermissions = access;
    let file = open_handle(path, READ_CONTROL | WRITE_DAC)?;
    let handle = file.as_raw_handle() as HANDLE;
    let mut old: *mut ACL = ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    let mut acl: *mut ACL = ptr::null_mut();
    // SAFETY: as in `reach` and `Private::apply`.
    unsafe {
        check(GetSecurityInfo(
            handle,
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut old,
            ptr::null_mut(),
            &mut descriptor,
        ))?;
        let _descriptor = LocalBox(descriptor);
        check(SetEntriesInAclW(1, &grant, old, &mut acl))?;
        let _acl = LocalBox(acl as *mut c_void);
        check(SetSecurityInfo(
            handle,
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            acl,
            ptr::null(),
        ))
    }
}

#[cfg(test)]
mod tests;
