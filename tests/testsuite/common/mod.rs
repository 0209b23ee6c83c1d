//! Shared set-up for the integration tests: a private temp home for mot and
//! a way to run the real binary inside it.

pub mod platform;
pub mod receiver;
pub mod server;

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

/// A throwaway mot installation: config, database and home in one temp dir.
pub struct Mot {
    pub dir: TempDir,
}

impl Mot {
    /// A fresh directory, without running `mot init`.
    pub fn bare() -> Mot {
        Mot {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A fresh directory with `mot init` already run.
    pub fn new() -> Mot {
        let mot = Mot::bare();
        mot.cmd(["init"]).assert().success();
        mot
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config").join("config.toml")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("mot.db")
    }

    /// The real binary, pointed at this installation, with no secrets and no
    /// terminal (assert_cmd gives it no stdin unless a test writes some).
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("mot").unwrap();
        cmd.env_clear()
            .envs(platform::kept_env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("USER", "test-pharmacist")
            // Sentences and tables show times in the computer's zone: one
            // zone for every test machine (a test may set another).
            .env("TZ", "UTC")
            .env("MOT_CONFIG", self.config())
            .env("MOT_DB", self.db())
            .args(args);
        cmd
    }

    /// Opens the database directly, for checks the CLI does not expose.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Adds a member through the CLI.
    pub fn add(&self, name: &str, phone: &str, role: &str, location: &str) {
        self.cmd([
            "members",
            "add",
            "--name",
            name,
            "--phone",
            phone,
            "--role",
            role,
            "--location",
            location,
        ])
        .assert()
        .success();
    }

    /// Points this mot at a mock Graph API, with the template set; `extra`
    /// lines land in `[broadcast]` unless they open a section.
    pub fn use_mock(&self, base_url: &str, phone_number_id: &str, extra: &str) {
        let config = format!(
            "[whatsapp]\napi_base = \"{base_url}\"\nphone_number_id = \"{phone_number_id}\"\n\
             [broadcast]\ntemplate = \"mot_notice\"\n{extra}\n"
        );
        std::fs::write(self.config(), config).unwrap();
    }

    /// Imports members with drama numbers: (number 0–999, role, location).
    pub fn import_drama<'a>(&self, members: impl IntoIterator<Item = (u32, &'a str, &'a str)>) {
        let mut csv = String::from("name,phone,role,location\n");
        for (n, role, location) in members {
            csv.push_str(&format!("Member {n},{},{role},{location}\n", drama(n)));
        }
        self.cmd(["members", "import", "-"])
            .write_stdin(csv)
            .assert()
            .success();
    }

    /// `members list --format json`, parsed.
    pub fn members_json(&self) -> Vec<serde_json::Value> {
        let out = self
            .cmd(["members", "list", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// The time `days` days ago, as mot stores times.
pub fn days_ago(days: i64) -> String {
    let t = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Ofcom drama mobile number `07700 900NNN` (NNN < 1000), in E.164.
pub fn drama(n: u32) -> String {
    assert!(n < 1000, "only 07700 900000–900999 are reserved for drama");
    format!("+447700900{n:03}")
}

/// Another program using the database the way a DB browser, a backup script
/// or the `sqlite3` shell does: Python's `sqlite3` (the system's SQLite, not
/// mot's) opens the file, reads and closes it, over and over, until stopped.
/// When it closes and believes it was the last user, SQLite checkpoints and
/// deletes the WAL; a mot that dropped its own locks then writes into a
/// deleted file and loses everything. (Recent SQLite versions check the
/// shared-memory lock too and would hide the fault, so the reader must be
/// another program's SQLite.) POSIX-only: Windows locks belong to a handle.
#[cfg(unix)]
pub struct ThirdPartyReader {
    child: std::process::Child,
    stop: PathBuf,
}

#[cfg(unix)]
impl ThirdPartyReader {
    const SCRIPT: &str = "
import os, sqlite3, sys, time
db, stop, once = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
n = 0
while True:
    c = sqlite3.connect(db, timeout=5)
    c.execute('SELECT count(*) FROM members').fetchall()
    c.close()
    n += 1
    if once or os.path.exists(stop):
        break
    time.sleep(0.003)
print(n)
";

    fn python(db: &std::path::Path, stop: &std::path::Path, once: bool) -> std::process::Command {
        let mut cmd = std::process::Command::new("python3");
        cmd.arg("-c")
            .arg(Self::SCRIPT)
            .arg(db)
            .arg(stop)
            .arg(if once { "1" } else { "0" })
            .stdout(std::process::Stdio::piped());
        cmd
    }

    pub fn start(db: PathBuf) -> ThirdPartyReader {
        let stop = db.with_extension("third-party-stop");
        let child = Self::python(&db, &stop, false)
            .spawn()
            .expect("this test needs python3 (another program's SQLite)");
        ThirdPartyReader { child, stop }
    }

    /// Opens the file, reads from it and closes it, once.
    pub fn once(db: &std::path::Path) {
        let out = Self::python(db, std::path::Path::new("unused"), true)
            .output()
            .expect("this test needs python3 (another program's SQLite)");
        assert!(
            out.status.success(),
            "python3's sqlite3 could not read the database"
        );
    }

    /// Stops it; how many times it opened and closed the file.
    pub fn stop(mut self) -> u64 {
        std::fs::write(&self.stop, b"").unwrap();
        let out = std::mem::replace(
            &mut self.child,
            std::process::Command::new("true").spawn().unwrap(),
        )
        .wait_with_output()
        .unwrap();
        assert!(out.status.success(), "the third-party reader failed");
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }
}

#[cfg(unix)]
impl Drop for ThirdPartyReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `PRAGMA integrity_check` from a fresh connection: `ok`, or what is wrong.
/// Only the POSIX-only [`ThirdPartyReader`] test needs it so far.
#[cfg(unix)]
pub fn integrity(db: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.join("; ")
}
