//! Windows access lists as plain data, judged without calling Windows. The
//! Windows half only copies a file's owner and access list out as bytes;
//! everything that decides who else can reach the file is here, in pure
//! functions compiled on every platform so that the tests run everywhere.
//!
//! Layouts follow Microsoft's [MS-DTYP] specification: a SID (2.4.2.2), an
//! ACL (2.4.5), an ACE header (2.4.4.1) and the ACE bodies (2.4.4.2-17).

use super::Reach;

/// LocalSystem, which runs Windows itself.
pub const SYSTEM: &str = "S-1-5-18";
/// The local Administrators group: like root, they can take any file anyway.
pub const ADMINISTRATORS: &str = "S-1-5-32-544";
/// Stands for the object's current owner, whoever that is.
const OWNER_RIGHTS: &str = "S-1-3-4";
/// Placeholders in inheritable entries: the creator of a new file, and the
/// creator's primary group. In an entry that is not inherited they match nobody.
const CREATOR_OWNER: &str = "S-1-3-0";
const CREATOR_GROUP: &str = "S-1-3-1";

// ACE flags.
const OBJECT_INHERIT: u8 = 0x01;
const INHERIT_ONLY: u8 = 0x08;

// ACE types that allow access; the others deny, audit, or label.
const ACCESS_ALLOWED: u8 = 0x00;
const ACCESS_DENIED: u8 = 0x01;
const ACCESS_ALLOWED_OBJECT: u8 = 0x05;
const ACCESS_DENIED_OBJECT: u8 = 0x06;
const ACCESS_ALLOWED_CALLBACK: u8 = 0x09;
const ACCESS_DENIED_CALLBACK: u8 = 0x0A;
const ACCESS_ALLOWED_CALLBACK_OBJECT: u8 = 0x0B;
const ACCESS_DENIED_CALLBACK_OBJECT: u8 = 0x0C;
/// The highest type Windows defines (SYSTEM_SCOPED_POLICY_ID_ACE_TYPE).
const LAST_KNOWN_TYPE: u8 = 0x13;

// Access rights that let the holder read the contents (of a folder: list it).
const FILE_READ_DATA: u32 = 0x0000_0001;
const GENERIC_READ: u32 = 0x8000_0000;
const GENERIC_ALL: u32 = 0x1000_0000;
const READ_BITS: u32 = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;
// Access rights that let the holder change the contents (of a folder: add
// or remove what is in it), delete it, or change who may open it.
const FILE_WRITE_DATA: u32 = 0x0000_0002;
const FILE_APPEND_DATA: u32 = 0x0000_0004;
const FILE_DELETE_CHILD: u32 = 0x0000_0040;
const DELETE: u32 = 0x0001_0000;
const WRITE_DAC: u32 = 0x0004_0000;
const WRITE_OWNER: u32 = 0x0008_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;
const WRITE_BITS: u32 = FILE_WRITE_DATA
    | FILE_APPEND_DATA
    | FILE_DELETE_CHILD
    | DELETE
    | WRITE_DAC
    | WRITE_OWNER
    | GENERIC_WRITE
    | GENERIC_ALL;

/// One access-control entry: its type, flags, access mask and SID
/// (`None` when the entry is too short or malformed to hold one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    pub kind: u8,
    pub flags: u8,
    pub mask: u32,
    pub sid: Option<String>,
}

/// A binary SID as text (`S-1-5-32-545`), and how many bytes it takes; `None`
/// when `bytes` does not start with a whole revision-1 SID.
pub fn sid_text(bytes: &[u8]) -> Option<(String, usize)> {
    let (&revision, &count) = (bytes.first()?, bytes.get(1)?);
    let len = 8 + 4 * usize::from(count);
    // Windows allows at most 15 sub-authorities (SID_MAX_SUB_AUTHORITIES).
    if revision != 1 || count > 15 || bytes.len() < len {
        return None;
    }
    let authority = bytes[2..8]
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    // MS-DTYP 2.4.2.1: an authority of 2^32 or more is written in hex.
    let mut text = if authority >= 1 << 32 {
        format!("S-1-0x{authority:012X}")
    } else {
        format!("S-1-{authority}")
    };
    for sub in bytes[8..len].chunks_exact(4) {
        let value = u32::from_le_bytes([sub[0], sub[1], sub[2], sub[3]]);
        text.push_str(&format!("-{value}"));
    }
    Some((text, len))
}

/// The entries of a binary ACL. Every size is checked against the bytes
/// given: an entry that runs past its list, or a list whose count runs past
/// its size, is an error, never read.
pub fn parse_acl(bytes: &[u8]) -> Result<Vec<Ace>, String> {
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let (Some(size), Some(count)) = (u16_at(2), u16_at(4)) else {
        return Err("the access list is shorter than its header".into());
    };
    let size = usize::from(size);
    if size < 8 || size > bytes.len() {
        return Err(format!(
            "the access list says it is {size} bytes long, but {} were read",
            bytes.len()
        ));
    }
    let list = &bytes[..size];
    let mut aces = Vec::with_capacity(usize::from(count));
    let mut at = 8;
    for i in 0..count {
        let header = list
            .get(at..at + 4)
            .ok_or_else(|| format!("entry {i} lies past the end of the access list"))?;
        let ace_size = usize::from(u16::from_le_bytes([header[2], header[3]]));
        // An entry is at least its header and mask, and a multiple of 4 bytes.
        if ace_size < 8 || ace_size % 4 != 0 || at + ace_size > size {
            return Err(format!(
                "entry {i} has an impossible size ({ace_size} bytes)"
            ));
        }
        aces.push(parse_ace(&list[at..at + ace_size]));
        at += ace_size;
    }
    Ok(aces)
}

/// One entry, already known to be at least 8 bytes and within its list.
fn parse_ace(ace: &[u8]) -> Ace {
    let (kind, flags) = (ace[0], ace[1]);
    let mask = u32::from_le_bytes([ace[4], ace[5], ace[6], ace[7]]);
    let sid_at = match kind {
        // The object types carry a flags word, then up to two GUIDs.
        ACCESS_ALLOWED_OBJECT
        | ACCESS_DENIED_OBJECT
        | 0x07
        | 0x08
        | ACCESS_ALLOWED_CALLBACK_OBJECT
        | ACCESS_DENIED_CALLBACK_OBJECT
        | 0x0F
        | 0x10 => ace.get(8..12).map(|f| {
            let present = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
            12 + 16 * (present & 1) as usize + 16 * ((present >> 1) & 1) as usize
        }),
        // ACCESS_ALLOWED_COMPOUND_ACE (4) is reserved and laid out otherwise;
        // a type Windows does not define cannot be read at all.
        0x04 => None,
        k if k > LAST_KNOWN_TYPE => None,
        _ => Some(8),
    };
    let sid = sid_at
        .and_then(|at| ace.get(at..))
        .and_then(sid_text)
        .map(|(text, _)| text);
    Ace {
        kind,
        flags,
        mask,
        sid,
    }
}

/// A SID as people can look it up, with the groups that matter named.
pub fn sid_name(sid: &str) -> String {
    let known = match sid {
        "S-1-1-0" => "Everyone",
        "S-1-5-11" => "Authenticated Users",
        "S-1-5-32-545" => "Users",
        "S-1-5-32-546" => "Guests",
        "S-1-5-7" => "Anonymous Logon",
        "S-1-5-4" => "Interactive",
        "S-1-5-2" => "Network",
        CREATOR_GROUP => "the group of whoever creates a file there",
        _ => return sid.to_string(),
    };
    format!("{known} ({sid})")
}

/// Who besides `me`, SYSTEM and the Administrators can reach an object with
/// this owner and access list (`None`: no list at all, which lets everyone
/// in). Deny entries are ignored: they can only take access away, and
/// judging without them can only err on the side of refusing.
pub fn judge(owner: &str, dacl: Option<&[Ace]>, me: &str, folder: bool) -> Reach {
    let trusted = |sid: &str| sid == me || sid == SYSTEM || sid == ADMINISTRATORS;
    let mut reach = Reach::default();
    if !trusted(owner) {
        reach.owner = Some(sid_name(owner));
        reach.sids.push(owner.to_string());
    }
    let Some(dacl) = dacl else {
        let everyone = "everyone (it has no access list)".to_string();
        reach.read.push(everyone.clone());
        reach.write.push(everyone.clone());
        if folder {
            reach.new_files.push(everyone);
        }
        return reach;
    };
    for ace in dacl {
        if !allows(ace.kind) {
            continue;
        }
        let Some(sid) = ace.sid.as_deref() else {
            // An entry that lets someone in but cannot be read: assume the worst.
            let unknown = format!("an entry mot cannot read (type {})", ace.kind);
            add(&mut reach.read, &unknown);
            add(&mut reach.write, &unknown);
            continue;
        };
        let effective = ace.flags & INHERIT_ONLY == 0;
        let to_new_files = folder && ace.flags & OBJECT_INHERIT != 0;
        // What the entry means here: OWNER RIGHTS is the owner (judged above);
        // CREATOR OWNER and CREATOR GROUP match nobody until inherited, when
        // they become the creator (mot's user, for the files mot creates) and
        // the creator's primary group (often every user of the domain).
        let (now, inherited) = match sid {
            OWNER_RIGHTS => (None, None),
            CREATOR_OWNER => (None, None),
            CREATOR_GROUP => (None, Some(sid)),
            s if trusted(s) => (None, None),
            s => (Some(s), Some(s)),
        };
        if effective
            && let Some(s) = now
            && ace.mask & (READ_BITS | WRITE_BITS) != 0
        {
            if ace.mask & READ_BITS != 0 {
                add(&mut reach.read, &sid_name(s));
            }
            if ace.mask & WRITE_BITS != 0 {
                add(&mut reach.write, &sid_name(s));
            }
            add(&mut reach.sids, s);
        }
        if to_new_files
            && let Some(s) = inherited
            && ace.mask & (READ_BITS | WRITE_BITS) != 0
        {
            add(&mut reach.new_files, &sid_name(s));
            add(&mut reach.sids, s);
        }
    }
    reach
}

fn allows(kind: u8) -> bool {
    match kind {
        ACCESS_ALLOWED | ACCESS_ALLOWED_OBJECT | ACCESS_ALLOWED_CALLBACK => true,
        ACCESS_ALLOWED_CALLBACK_OBJECT | 0x04 => true,
        ACCESS_DENIED | ACCESS_DENIED_OBJECT | ACCESS_DENIED_CALLBACK => false,
        ACCESS_DENIED_CALLBACK_OBJECT => false,
        // Audit, alarm, label, resource attribute, scoped policy: they never
        // grant access.
        k if k <= LAST_KNOWN_TYPE => false,
        // A type this code does not know might: assume it does.
        _ => true,
    }
}

fn add(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// The `icacls` command that leaves `path` to `me` and SYSTEM alone. SIDs,
/// not names: `%USERNAME%` lacks the domain an Entra ID-joined laptop needs,
/// and "SYSTEM" is spelled otherwise on a non-English Windows. The other
/// accounts found (`reach.sids`) are removed too, since `/grant:r` replaces
/// only the entries of the accounts it names; another owner is replaced,
/// which takes an administrator.
pub fn icacls_fix(path: &str, me: &str, folder: bool, reach: &Reach) -> String {
    // A folder passes the same access on to what is created in it.
    let rights = if folder { "(OI)(CI)F" } else { "F" };
    let mut command = format!(
        "icacls \"{path}\" /inheritance:r /grant:r \"*{me}:{rights}\" \"*{SYSTEM}:{rights}\""
    );
    let removed: Vec<&String> = reach
        .sids
        .iter()
        .filter(|s| *s != me && *s != SYSTEM && *s != ADMINISTRATORS)
        .collect();
    if !removed.is_empty() {
        command.push_str(" /remove:g");
        for sid in removed {
            command.push_str(&format!(" \"*{sid}\""));
        }
    }
    if reach.owner.is_some() {
        command.push_str(&format!(
            ", then as an administrator: icacls \"{path}\" /setowner \"*{me}\""
        ));
    }
    command
}

/// The `\\?\` form of an absolute path, which Windows' own calls accept at
/// any length (plain paths stop at 260 characters). A path already in that
/// form, or a device path (`\\.\`), is left as it is; forward slashes
/// become backslashes, since the `\\?\` form passes the rest on unparsed.
pub fn verbatim(absolute: &str) -> String {
    if absolute.starts_with(r"\\?\") || absolute.starts_with(r"\\.\") {
        return absolute.to_string();
    }
    let path = absolute.replace('/', "\\");
    match path.strip_prefix(r"\\") {
        Some(share) => format!(r"\\?\UNC\{share}"),
        None => format!(r"\\?\{path}"),
    }
}

#[cfg(test)]
mod tests;
