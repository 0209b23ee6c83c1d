//! The Unix half of [`crate::platform`]: file modes, inode identity, and
//! SIGINT/SIGTERM.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use tokio::signal::unix::{Signal, SignalKind, signal};

pub fn make_private(path: &Path, is_dir: bool) -> io::Result<()> {
    let mode = if is_dir { 0o700 } else { 0o600 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

pub fn open_private(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| {
            // ELOOP on Linux and macOS, EMLINK on FreeBSD: ask the file itself.
            match fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => super::link_refused(),
                _ => e,
            }
        })?;
    // Tightened through the open file, not the path, so that nothing
    // swapped in at the path since is chmodded.
    if file.metadata()?.permissions().mode() & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Opens for reading without waiting for a FIFO's writer.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

pub fn exposure(path: &Path) -> io::Result<Option<String>> {
    let mode = fs::metadata(path)?.permissions().mode() & 0o777;
    Ok((mode & 0o077 != 0).then(|| format!("mode {mode:04o}")))
}

pub fn private_fix(path: &str) -> String {
    format!("chmod 600 '{}'", path.replace('\'', "'\\''"))
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
