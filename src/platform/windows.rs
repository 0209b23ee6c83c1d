//! The Windows half of [`crate::platform`]: files and folders created with
//! an owner-only access list from their first byte, who else can reach a
//! file (read from its access list, judged in `platform::acl`), the file
//! index as identity, and Ctrl-C / Ctrl-Break / console close.
//!
//! The one module allowed `unsafe`: Windows' security API is C. We call it
//! through Microsoft's own `windows-sys` (already in the dependency tree
//! through tokio and others, and kept current with Windows) rather than the
//! small wrapper crates (`windows-acl` 0.3, `windows-permissions` 0.2),
//! which have not been maintained for years. Every call's result is checked
//! and every buffer Windows allocates is freed. Calls by name take the
//! `\\?\` form, so paths of 260 characters and more work too.
#![allow(unsafe_code)]

mod security;

use std::fs::File;
use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, RawHandle};
use std::path::Path;
use std::ptr;

use tokio::signal::windows::{CtrlBreak, CtrlC, CtrlClose, ctrl_break, ctrl_c, ctrl_close};
use windows_sys::Win32::Foundation::{
    ERROR_ALREADY_EXISTS, GENERIC_READ, GENERIC_WRITE, GetLastError, HANDLE, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, CREATE_NEW, CreateDirectoryW, CreateFileW,
    FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL, FILE_ATTRIBUTE_REPARSE_POINT,
    FILE_CREATION_DISPOSITION, FILE_FLAG_OPEN_REPARSE_POINT, FILE_READ_ATTRIBUTES,
    FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE, GetFileInformationByHandle, OPEN_ALWAYS,
    READ_CONTROL, WRITE_DAC,
};

use super::Reach;
use super::acl;
use security::Private;

/// Creates one folder with the private access list from the start (passed
/// on to what is created in it); `false` when a folder is already there.
pub fn create_private_dir(dir: &Path) -> io::Result<bool> {
    let private = Private::new(true)?;
    let attributes = private.attributes();
    let name = security::wide(dir)?;
    // SAFETY: `name` is NUL-terminated; `attributes` points into `private`,
    // which outlives the call.
    if unsafe { CreateDirectoryW(name.as_ptr(), &attributes) } != 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() == Some(ERROR_ALREADY_EXISTS as i32) && dir.is_dir() {
        return Ok(false);
    }
    Err(err)
}

/// Creates (or with OPEN_ALWAYS opens) a file through `CreateFileW`, with
/// the private access list applied if it is created, never following a
/// link; std's `File` takes the handle from there. Returns whether it was
/// created.
fn create_file(path: &Path, disposition: FILE_CREATION_DISPOSITION) -> io::Result<(File, bool)> {
    let private = Private::new(false)?;
    let attributes = private.attributes();
    let name = security::wide(path)?;
    // SAFETY: `name` is NUL-terminated; `attributes` points into `private`,
    // which outlives the call. The last error is read at once, as
    // OPEN_ALWAYS reports there whether the file existed.
    let (handle, last) = unsafe {
        let handle = CreateFileW(
            name.as_ptr(),
            GENERIC_READ | GENERIC_WRITE | READ_CONTROL | WRITE_DAC,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            &attributes,
            disposition,
            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT,
            ptr::null_mut(),
        );
        (handle, GetLastError())
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::from_raw_os_error(last as i32));
    }
    // SAFETY: a valid file handle, owned by the File from here on.
    let file = unsafe { File::from_raw_handle(handle as RawHandle) };
    let created = disposition == CREATE_NEW || last != ERROR_ALREADY_EXISTS;
    Ok((file, created))
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    create_file(path, CREATE_NEW).map(|(file, _)| file)
}

/// The open file, and whether this call created it. FILE_FLAG_OPEN_REPARSE_POINT
/// opens a symbolic link or junction itself rather than what it names, so
/// that it can be seen and refused.
pub fn open_private(path: &Path) -> io::Result<(File, bool)> {
    use std::os::windows::fs::MetadataExt;
    let (file, created) = create_file(path, OPEN_ALWAYS)?;
    if file.metadata()?.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        return Err(super::link_refused());
    }
    Ok((file, created))
}

/// Replaces the access list of an open file (opened with WRITE_DAC).
pub fn tighten(file: &File) -> io::Result<()> {
    Private::new(false)?.apply(file.as_raw_handle() as HANDLE)
}

/// Replaces the access list of the file at `path` with the private one.
pub fn make_private(path: &Path) -> io::Result<()> {
    let owned = security::open_handle(path, READ_CONTROL | WRITE_DAC)?;
    Private::new(false)?.apply(owned.as_raw_handle() as HANDLE)
}

/// Opens for reading; a named pipe's open does not wait on Windows.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Who else can reach `path`, through a handle opened for nothing but
/// reading its attributes and access list: SQLite's handles are never in
/// its way, and on Windows a handle's close drops no lock of another's.
pub fn reach(path: &Path) -> io::Result<Reach> {
    let owned = security::open_handle(path, READ_CONTROL | FILE_READ_ATTRIBUTES)?;
    let handle = owned.as_raw_handle() as HANDLE;
    let folder = information(handle)?.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY != 0;
    security::reach(handle, folder)
}

/// Who else can reach an open file that mot created or opened (with READ_CONTROL).
pub fn reach_of(file: &File) -> io::Result<Reach> {
    security::reach(file.as_raw_handle() as HANDLE, false)
}

/// The `icacls` line, with the current user's SID (or where to find it);
/// on a drive that keeps no permissions, where to keep the file instead.
pub fn private_fix(path: &str, folder: bool, found: &Reach) -> String {
    if found.no_permissions {
        return format!(
            "move \"{path}\" to a drive that keeps permissions (NTFS, such as this computer's own C: drive)"
        );
    }
    let me =
        security::current_user_text().unwrap_or_else(|_| "<your SID, from `whoami /user`>".into());
    acl::icacls_fix(path, &me, folder, found)
}

fn information(handle: HANDLE) -> io::Result<BY_HANDLE_FILE_INFORMATION> {
    let mut info = BY_HANDLE_FILE_INFORMATION::default();
    // SAFETY: a valid handle; `info` is a plain C struct.
    if unsafe { GetFileInformationByHandle(handle, &mut info) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(info)
}

pub fn identity(file: &File) -> io::Result<super::FileIdentity> {
    let info = information(file.as_raw_handle() as HANDLE)?;
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
    use windows_sys::Win32::Storage::FileSystem::FILE_GENERIC_READ;
    security::grant_users(path, FILE_GENERIC_READ)
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
