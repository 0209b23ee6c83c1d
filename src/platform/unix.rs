//! The Unix half of [`crate::platform`]: file modes, inode identity, and
//! SIGINT/SIGTERM.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use tokio::signal::unix::{Signal, SignalKind, signal};

use super::Reach;
use super::reach::judge_mode;

/// Sets 0600 by path (a chmod opens nothing: see `platform::identity_at`).
pub fn make_private(path: &Path) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

/// Creates one folder, 0700 from the start (the umask can only take bits
/// away); `false` when a folder is already there.
pub fn create_private_dir(dir: &Path) -> io::Result<bool> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// The open file, and whether this call created it.
pub fn open_private(path: &Path) -> io::Result<(File, bool)> {
    let open = |create_new: bool| {
        let mut options = OpenOptions::new();
        options.read(true).write(true).mode(0o600);
        if create_new {
            options.create_new(true);
        }
        options.custom_flags(libc::O_NOFOLLOW).open(path)
    };
    // Two tries tell a file made here from one found: another process may
    // create it between them, and then it is found.
    let opened = match open(true) {
        Ok(file) => Ok((file, true)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => open(false).map(|f| (f, false)),
        Err(e) => Err(e),
    };
    opened.map_err(|e| {
        // ELOOP on Linux and macOS, EMLINK on FreeBSD: ask the file itself.
        match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => super::link_refused(),
            _ => e,
        }
    })
}

/// Sets 0600 through the open file, not the path.
pub fn tighten(file: &File) -> io::Result<()> {
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

/// Opens for reading without waiting for a FIFO's writer.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Read from the metadata, without opening the file (see `platform::identity_at`).
pub fn reach(path: &Path) -> io::Result<Reach> {
    Ok(reach_in(&fs::metadata(path)?))
}

pub fn reach_of(file: &File) -> io::Result<Reach> {
    Ok(reach_in(&file.metadata()?))
}

fn reach_in(meta: &fs::Metadata) -> Reach {
    judge_mode(meta.mode(), meta.uid(), effective_uid())
}

/// The user id the process acts as, which owns what it creates. The one
/// `unsafe` outside `platform::windows`: std has no safe way to ask.
#[allow(unsafe_code)]
fn effective_uid() -> u32 {
    // SAFETY: geteuid takes no arguments, touches no memory and always
    // succeeds (POSIX: "shall always be successful").
    unsafe { libc::geteuid() }
}

pub fn private_fix(path: &str, folder: bool, _found: &Reach) -> String {
    let mode = if folder { 700 } else { 600 };
    format!("chmod {mode} '{}'", path.replace('\'', "'\\''"))
}

pub fn identity(file: &File) -> io::Result<super::FileIdentity> {
    Ok(identity_of(&file.metadata()?))
}

pub fn identity_at(path: &Path) -> io::Result<super::FileIdentity> {
    Ok(identity_of(&fs::metadata(path)?))
}

fn identity_of(meta: &fs::Metadata) -> super::FileIdentity {
    super::FileIdentity {
        device: meta.dev(),
        index: meta.ino(),
        links: meta.nlink(),
    }
}

/// Lets others read `path`, as a careless copy would: for tests of refusal
/// and tightening.
#[cfg(test)]
pub fn expose(path: &Path) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

/// Ctrl-C (SIGINT) and a service manager's or cron's SIGTERM. Created
/// inside a tokio runtime; the handlers are in place from then on.
pub struct Interrupts {
    int: Signal,
    term: Signal,
}

impl Interrupts {
    pub fn install() -> io::Result<Interrupts> {
        Ok(Interrupts {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
        })
    }

    /// Resolves at the next interruption.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}
