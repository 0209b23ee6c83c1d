//! Who besides the user running mot can reach a file or folder, in the same
//! terms on every platform: each half turns its own permissions (Unix modes,
//! Windows access lists) into a [`Reach`], and the rest of mot decides from
//! that alone.

/// Who besides the user running mot, the system and the administrators
/// (root on Unix; SYSTEM and Administrators on Windows, who can take any
/// file anyway) can reach a file or folder. Empty when it is private.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reach {
    /// Another account that owns it, and so can always change who may open it.
    pub owner: Option<String>,
    /// Who else can read it (a folder: list or enter it).
    pub read: Vec<String>,
    /// Who else can change or delete it, or change who may open it (a
    /// folder: add or remove what is in it).
    pub write: Vec<String>,
    /// A Windows folder only: who else is given access to every file created
    /// in it from now on, such as SQLite's `-wal` and `-shm`. (On Unix a new
    /// file's mode comes from its creator, and SQLite gives its `-wal` and
    /// `-shm` the database's own.)
    pub new_files: Vec<String>,
    /// What the platform says about it, such as "mode 0644".
    pub note: Option<String>,
    /// Its file system keeps no permissions (FAT32, exFAT): none can be set.
    pub no_permissions: bool,
    /// The Windows SIDs of everyone above, for the command that removes them.
    pub sids: Vec<String>,
}

impl Reach {
    pub fn is_private(&self) -> bool {
        self.owner.is_none()
            && self.read.is_empty()
            && self.write.is_empty()
            && self.new_files.is_empty()
    }

    /// One line for people, `None` when private: "readable by Users
    /// (S-1-5-32-545); changeable by Everyone (S-1-1-0)".
    pub fn describe(&self) -> Option<String> {
        if self.is_private() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(owner) = &self.owner {
            parts.push(format!(
                "owned by {owner}, who can always change who may open it"
            ));
        }
        for (what, who) in [
            ("readable by", &self.read),
            ("changeable by", &self.write),
            ("files created in it are open to", &self.new_files),
        ] {
            if !who.is_empty() {
                parts.push(format!("{what} {}", who.join(", ")));
            }
        }
        let mut text = parts.join("; ");
        if let Some(note) = &self.note {
            text.push_str(&format!(" ({note})"));
        }
        Some(text)
    }
}

/// The reach of a Unix file or folder with permission bits `mode`, owned by
/// user id `owner`, as seen by user id `me`. Group and other bits count
/// whatever they allow (a folder's execute bit lets others in by name); an
/// owner other than `me` or root can change the mode at will. Root itself
/// (sudo, a system cron job) is given the files of the account it acts for,
/// so when `me` is root no owner counts as another.
#[cfg(any(unix, test))]
pub fn judge_mode(mode: u32, owner: u32, me: u32) -> Reach {
    let mode = mode & 0o7777;
    let mut reach = Reach::default();
    if owner != me && owner != 0 && me != 0 {
        reach.owner = Some(format!("user id {owner}"));
    }
    for (who, shift) in [("its group", 3), ("every other account", 0)] {
        let bits = (mode >> shift) & 0o7;
        if bits & 0o5 != 0 {
            reach.read.push(who.to_string());
        }
        if bits & 0o2 != 0 {
            reach.write.push(who.to_string());
        }
    }
    if !reach.is_private() {
        reach.note = Some(format!("mode {:04o}", mode & 0o777));
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_modes_name_who_else_can_read_and_change() {
        assert!(judge_mode(0o600, 1000, 1000).is_private());
        assert!(judge_mode(0o700, 1000, 1000).is_private());
        // Root's own files, and root looking at anyone's, are not "another owner".
        assert!(judge_mode(0o600, 0, 1000).is_private());
        assert!(judge_mode(0o600, 1000, 0).is_private());
        let r = judge_mode(0o644, 1000, 1000);
        assert_eq!(r.read, ["its group", "every other account"]);
        assert!(r.write.is_empty());
        assert_eq!(
            r.describe().unwrap(),
            "readable by its group, every other account (mode 0644)"
        );
        // A folder anyone can enter (0711) is reachable; /tmp (1777) is
        // changeable by everyone, sticky bit or not.
        assert_eq!(judge_mode(0o711, 1000, 1000).read.len(), 2);
        let tmp = judge_mode(0o41777, 1000, 1000);
        assert_eq!(tmp.write, ["its group", "every other account"]);
        assert_eq!(tmp.note.as_deref(), Some("mode 0777"));
        // Group-writable only.
        let g = judge_mode(0o620, 1000, 1000);
        assert_eq!(
            (g.read.len(), g.write.as_slice()),
            (0, &["its group".to_string()][..])
        );
    }

    #[test]
    fn a_file_another_account_owns_is_not_private_whatever_its_mode() {
        let r = judge_mode(0o600, 1001, 1000);
        assert_eq!(r.owner.as_deref(), Some("user id 1001"));
        assert!(!r.is_private());
        assert_eq!(
            r.describe().unwrap(),
            "owned by user id 1001, who can always change who may open it (mode 0600)"
        );
    }
}
