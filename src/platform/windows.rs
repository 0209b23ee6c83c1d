//! The Windows half of [`crate::platform`]: owner-only access lists, the
//! file index as identity, and Ctrl-C / Ctrl-Break / console close.
//!
//! The one module allowed `unsafe`: Windows' security API is C. We call it
//! through Microsoft's own `windows-sys` (already in the dependency tree
//! through tokio and others, and kept current with Windows) rather than the
//! small wrapper crates (`windows-acl` 0.3, `windows-permissions` 0.2),
//! which have not been maintained for years. Every call's result is checked
//! and every buffer Windows allocates is freed.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::AsRawHandle;
use std::path::Path;
use std::ptr;

use tokio::signal::windows::{CtrlBreak, CtrlC, CtrlClose, ctrl_break, ctrl_c, ctrl_close};
use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_SUCCESS, GENERIC_ALL, GENERIC_READ, HANDLE, LocalFree,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, EXPLICIT_ACCESS_W, GetNamedSecurityInfoW, NO_MULTIPLE_TRUSTEE,
    SE_FILE_OBJECT, SET_ACCESS, SetEntriesInAclW, SetNamedSecurityInfoW, TRUSTEE_IS_SID,
    TRUSTEE_IS_USER, TRUSTEE_IS_WELL_KNOWN_GROUP, TRUSTEE_TYPE, TRUSTEE_W,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_FLAGS, ACE_HEADER, ACL, CreateWellKnownSid, DACL_SECURITY_INFORMATION,
    EqualSid, GetAce, GetLengthSid, GetTokenInformation, INHERIT_ONLY_ACE, NO_INHERITANCE,
    PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SECURITY_MAX_SID_SIZE,
    SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY, TOKEN_USER, TokenUser, WELL_KNOWN_SID_TYPE,
    WinBuiltinAdministratorsSid, WinLocalSystemSid,
};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ALL_ACCESS, FILE_ATTRIBUTE_REPARSE_POINT,
    FILE_FLAG_OPEN_REPARSE_POINT, FILE_READ_DATA, GetFileInformationByHandle,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// `ACCESS_ALLOWED_ACE_TYPE`; the other ACE types deny or audit.
const ACCESS_ALLOWED: u8 = 0;
/// Any of these bits lets the holder read the file's contents.
const READ_BITS: u32 = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;

/// A SID in a buffer aligned as Windows requires (its sub-authorities are u32).
struct Sid(Vec<u32>);

impl Sid {
    fn ptr(&self) -> PSID {
        self.0.as_ptr() as PSID
    }

    fn copy_from(sid: PSID) -> Sid {
        // SAFETY: `sid` points to a valid SID (checked by the callers'
        // successful API calls); we copy exactly its length.
        unsafe {
            let len = GetLengthSid(sid) as usize;
            let mut buf = vec![0u32; len.div_ceil(4)];
            ptr::copy_nonoverlapping(sid as *const u8, buf.as_mut_ptr() as *mut u8, len);
            Sid(buf)
        }
    }

    fn well_known(kind: WELL_KNOWN_SID_TYPE) -> io::Result<Sid> {
        let mut buf = vec![0u32; (SECURITY_MAX_SID_SIZE as usize).div_ceil(4)];
        let mut len = SECURITY_MAX_SID_SIZE;
        // SAFETY: the buffer holds SECURITY_MAX_SID_SIZE bytes, as `len` says.
        let ok = unsafe {
            CreateWellKnownSid(kind, ptr::null_mut(), buf.as_mut_ptr() as PSID, &mut len)
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Sid(buf))
    }

    /// The user this process runs as.
    fn current_user() -> io::Result<Sid> {
        // SAFETY: the token handle is closed on every path; the buffer is
        // sized by the first call and u64-aligned for TOKEN_USER's pointer.
        unsafe {
            let mut token: HANDLE = ptr::null_mut();
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut len = 0u32;
            GetTokenInformation(token, TokenUser, ptr::null_mut(), 0, &mut len);
            let mut buf = vec![0u64; (len as usize).div_ceil(8)];
            let ok = GetTokenInformation(
                token,
                TokenUser,
                buf.as_mut_ptr() as *mut c_void,
                len,
                &mut len,
            );
            let err = io::Error::last_os_error();
            CloseHandle(token);
            if ok == 0 {
                return Err(err);
            }
            let user = &*(buf.as_ptr() as *const TOKEN_USER);
            Ok(Sid::copy_from(user.User.Sid))
        }
    }
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

fn wide(path: &Path) -> Vec<u16> {
    path.as_os_str().encode_wide().chain([0]).collect()
}

fn check(rc: u32) -> io::Result<()> {
    if rc == ERROR_SUCCESS {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc as i32))
    }
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

/// Replaces the access list with a protected (non-inherited) one that lets
/// only the current user and SYSTEM in; a folder passes it on to what it holds.
pub fn make_private(path: &Path, is_dir: bool) -> io::Result<()> {
    let user = Sid::current_user()?;
    let system = Sid::well_known(WinLocalSystemSid)?;
    let inherit = if is_dir {
        SUB_CONTAINERS_AND_OBJECTS_INHERIT
    } else {
        NO_INHERITANCE
    };
    let entries = [
        entry(&user, TRUSTEE_IS_USER, inherit),
        entry(&system, TRUSTEE_IS_WELL_KNOWN_GROUP, inherit),
    ];
    let mut acl: *mut ACL = ptr::null_mut();
    // SAFETY: `entries` and the SIDs they point to outlive both calls; the
    // new ACL is freed by LocalBox.
    unsafe {
        check(SetEntriesInAclW(
            entries.len() as u32,
            entries.as_ptr(),
            ptr::null(),
            &mut acl,
        ))?;
        let _acl = LocalBox(acl as *mut c_void);
        check(SetNamedSecurityInfoW(
            wide(path).as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            acl,
            ptr::null(),
        ))
    }
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    if let Err(e) = make_private(path, false) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(file)
}

pub fn open_private(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
    let existed = std::fs::symlink_metadata(path).is_ok();
    // FILE_FLAG_OPEN_REPARSE_POINT opens a symbolic link or junction itself
    // rather than what it names, so that it can be seen and refused.
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)?;
    if file.metadata()?.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        return Err(super::link_refused());
    }
    if !existed || exposure(path)?.is_some() {
        make_private(path, false)?;
    }
    Ok(file)
}

/// Opens for reading; a named pipe's open does not wait on Windows.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Who besides the current user, SYSTEM and the Administrators group (who
/// can take any file anyway, like root) may read `path`.
pub fn exposure(path: &Path) -> io::Result<Option<String>> {
    let trusted = [
        Sid::current_user()?,
        Sid::well_known(WinLocalSystemSid)?,
        Sid::well_known(WinBuiltinAdministratorsSid)?,
    ];
    let mut dacl: *mut ACL = ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    let mut others = Vec::new();
    // SAFETY: GetNamedSecurityInfoW allocates the descriptor (freed by
    // LocalBox) that `dacl` points into; each ACE is read within the ACL's
    // count, and its SID starts at SidStart as the ACE layout defines.
    unsafe {
        check(GetNamedSecurityInfoW(
            wide(path).as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut dacl,
            ptr::null_mut(),
            &mut descriptor,
        ))?;
        let _descriptor = LocalBox(descriptor);
        if dacl.is_null() {
            return Ok(Some(
                "it has no access list, so everyone can open it".into(),
            ));
        }
        for i in 0..u32::from((*dacl).AceCount) {
            let mut ace: *mut c_void = ptr::null_mut();
            if GetAce(dacl, i, &mut ace) == 0 {
                return Err(io::Error::last_os_error());
            }
            let header = &*(ace as *const ACE_HEADER);
            if header.AceType != ACCESS_ALLOWED
                || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0
            {
                continue;
            }
            let allowed = &*(ace as *const ACCESS_ALLOWED_ACE);
            if allowed.Mask & READ_BITS == 0 {
                continue;
            }
            let sid = &allowed.SidStart as *const u32 as PSID;
            if trusted.iter().any(|t| EqualSid(t.ptr(), sid) != 0) {
                continue;
            }
            others.push(sid_name(sid));
        }
    }
    Ok((!others.is_empty()).then(|| format!("readable by {}", others.join(", "))))
}

/// A SID as people can look it up, with the common groups named.
fn sid_name(sid: PSID) -> String {
    let mut text: *mut u16 = ptr::null_mut();
    // SAFETY: on success Windows allocates a NUL-terminated string, freed by LocalBox.
    let s = unsafe {
        if ConvertSidToStringSidW(sid, &mut text) == 0 {
            return "another account".into();
        }
        let _text = LocalBox(text as *mut c_void);
        let len = (0..).take_while(|&i| *text.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(text, len))
    };
    let known = match s.as_str() {
        "S-1-1-0" => "Everyone",
        "S-1-5-11" => "Authenticated Users",
        "S-1-5-32-545" => "Users",
        _ => return s,
    };
    format!("{known} ({s})")
}

#[allow(clippy::disallowed_methods)]
pub fn private_fix(path: &str) -> String {
    let user = std::env::var("USERNAME").unwrap_or_else(|_| "%USERNAME%".into());
    format!(
        "icacls \"{path}\" /inheritance:r /grant:r \"{user}:F\" \"SYSTEM:F\" (and /remove any other account it lists)"
    )
}

pub fn identity(file: &File) -> io::Result<super::FileIdentity> {
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the handle is the open file's; `info` is a plain C struct.
    let ok = unsafe { GetFileInformationByHandle(file.as_raw_handle() as HANDLE, &mut info) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(super::FileIdentity {
        device: u64::from(info.dwVolumeSerialNumber),
        index: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
        links: u64::from(info.nNumberOfLinks),
    })
}

pub fn identity_at(path: &Path) -> io::Result<super::FileIdentity> {
    identity(&File::open(path)?)
}

/// Lets the Users group read `path`, as a careless copy would: for tests of
/// refusal and tightening.
#[cfg(test)]
pub fn expose(path: &Path) -> io::Result<()> {
    use windows_sys::Win32::Security::Authorization::GRANT_ACCESS;
    use windows_sys::Win32::Security::WinBuiltinUsersSid;
    use windows_sys::Win32::Storage::FileSystem::FILE_GENERIC_READ;
    let users = Sid::well_known(WinBuiltinUsersSid)?;
    let mut grant = entry(&users, TRUSTEE_IS_WELL_KNOWN_GROUP, NO_INHERITANCE);
    grant.grfAccessMode = GRANT_ACCESS;
    grant.grfAccessPermissions = FILE_GENERIC_READ;
    let mut old: *mut ACL = ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    let mut acl: *mut ACL = ptr::null_mut();
    // SAFETY: as in `make_private` and `exposure`.
    unsafe {
        check(GetNamedSecurityInfoW(
            wide(path).as_ptr(),
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
        check(SetNamedSecurityInfoW(
            wide(path).as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            acl,
            ptr::null(),
        ))
    }
}

/// Ctrl-C, Ctrl-Break (what a service manager or a test sends to a process
/// group) and closing the console window. Created inside a tokio runtime.
pub struct Interrupts {
    c: CtrlC,
    brk: CtrlBreak,
    close: CtrlClose,
}

impl Interrupts {
    pub fn install() -> io::Result<Interrupts> {
        Ok(Interrupts {
            c: ctrl_c()?,
            brk: ctrl_break()?,
            close: ctrl_close()?,
        })
    }

    /// Resolves at the next interruption.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.c.recv() => {}
            _ = self.brk.recv() => {}
            _ = self.close.recv() => {}
        }
    }
}
