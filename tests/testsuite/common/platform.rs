//! What tests (and benchmarks) do differently on Windows and Unix: stopping a
//! child mot as a user or service manager would, the environment a cleared
//! child still needs, and making a file readable by others.
#![allow(dead_code)] // bench_receive includes this file too and uses only part of it

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// A child command made ready for any platform, right after `env_clear()`.
pub trait Portable {
    /// Keeps what the platform needs of the environment ([`kept_env`]) and
    /// makes the child stoppable by [`interrupt`]: on Windows it gets its own
    /// process group, so that a Ctrl-Break reaches it and nothing else.
    fn portable(&mut self) -> &mut Self;
}

impl Portable for Command {
    fn portable(&mut self) -> &mut Self {
        self.envs(kept_env());
        #[cfg(windows)]
        {
            use std::os::windows::process::CommandExt;
            const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
            self.creation_flags(CREATE_NEW_PROCESS_GROUP);
        }
        self
    }
}

/// Asks process `pid` to stop gracefully: SIGTERM on Unix (a service
/// manager's or cron's stop); Ctrl-Break to its process group on Windows
/// (the child must have been made [`Portable`]).
pub fn interrupt(pid: u32) {
    #[cfg(unix)]
    {
        let pid = pid.to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success(), "kill -TERM {pid} failed");
    }
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, GenerateConsoleCtrlEvent};
        // SAFETY: a plain Win32 call with no pointers.
        let ok = unsafe { GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid) };
        assert!(ok != 0, "Ctrl-Break to {pid} failed");
    }
}

/// The variables a child with a cleared environment still needs: Windows'
/// networking and crypto fail without `SystemRoot`.
pub fn kept_env() -> Vec<(&'static str, OsString)> {
    ["SystemRoot", "SYSTEMROOT", "windir"]
        .into_iter()
        .filter_map(|k| std::env::var_os(k).map(|v| (k, v)))
        .collect()
}

/// Lets every local user read `path`, as a careless copy would.
pub fn expose(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    #[cfg(windows)]
    {
        let ok = Command::new("icacls")
            .arg(path)
            .args(["/grant", "*S-1-5-32-545:R"])
            .status()
            .unwrap();
        assert!(ok.success(), "icacls could not expose {}", path.display());
    }
}
