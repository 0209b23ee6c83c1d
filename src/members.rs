//! Members: the four details the service may keep (name, mobile, job role,
//! working location), their status and consent evidence.

use std::fmt;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use jiff::Timestamp;
use phonenumber::country::Id;
use rusqlite::{Connection, OptionalExtension, Row as SqlRow, params};
use serde::Serialize;

use crate::db::text_enum::text_enum;
use crate::db::ts;
use crate::exit::error_with_help;
use crate::output::Row;
use crate::phone::{self, E164};

pub mod access;
pub mod finding;
pub mod import;
pub mod leaving;
pub mod standing;

pub use leaving::{OptOutVia, opt_out, rejoin};

text_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ValueEnum)]
    #[serde(rename_all = "snake_case")]
    pub enum MemberStatus {
        /// Signed up by message; waiting for the team to approve
        Pending = "pending",
        /// Receives broadcasts
        Active = "active",
        /// Asked to stop; never messaged again unless they rejoin
        #[value(name = "opted_out", alias = "opted-out")]
        OptedOut = "opted_out",
        /// Messages stopped reaching them
        Lapsed = "lapsed",
    }
}

impl MemberStatus {
    /// Whether a member in this status must have all four details: every
    /// status but pending (a sign-up arrives with a WhatsApp name and
    /// number only, and waits for the team to fill in the rest).
    pub fn needs_four_details(self) -> bool {
        self != MemberStatus::Pending
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct MemberId(pub i64);

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub phone: E164,
    pub role: String,
    pub location: String,
    pub status: MemberStatus,
    pub consent_at: String,
    pub consent_source: String,
    pub consent_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Row for Member {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "phone",
        "role",
        "location",
        "status",
        "consent_at",
        "consent_source",
    ];
    const DROP_FIRST: &'static [&'static str] = &["consent_source", "consent_at"];
    const WHOLE: &'static [&'static str] = &["name"];
    const PHONES: &'static [&'static str] = &["phone"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.phone.to_string(),
            self.role.clone(),
            self.location.clone(),
            self.status.to_string(),
            self.consent_at.clone(),
            self.consent_source.clone(),
        ]
    }
}

impl Member {
    /// Whether all four details are on file: name and mobile always are;
    /// job role and working location once the team has filled them in.
    pub fn has_four_details(&self) -> bool {
        !self.role.is_empty() && !self.location.is_empty()
    }
}

/// Refuses to move `m` to `to` when that status needs the four details
/// and `m` does not have them yet, saying how to fill them in.
pub fn check_four_details(m: &Member, to: MemberStatus) -> Result<()> {
    if to.needs_four_details() && !m.has_four_details() {
        return Err(error_with_help(
            format!("member {} has no job role or working location yet", m.id),
            format!(
                "fill them in first: mot members edit {} --role \"…\" --location \"…\"",
                m.id
            ),
        ));
    }
    Ok(())
}

/// The details of a member to be added, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub phone: E164,
    pub role: String,
    pub location: String,
}

/// How consent to hold a member's details was obtained.
#[derive(Debug, Clone)]
pub struct Consent {
    pub at: Timestamp,
    /// `manual`, `import:FILE`, or the id of the member's first WhatsApp message.
    pub source: String,
    /// The OS user who recorded it.
    pub by: String,
}

/// The longest name, role or location accepted, in characters.
const MAX_FIELD: usize = 200;

/// Cleans one text field: whitespace runs (newlines included) become one
/// space; bidi and zero-width characters are dropped (they show nothing, and
/// could reorder or disguise the name around them); other control characters
/// and empty values are refused.
pub fn clean_field(field: &str, value: &str) -> Result<String, String> {
    if let Some(c) = value.chars().find(|c| c.is_control() && !c.is_whitespace()) {
        return Err(format!(
            "{field} contains a control character ({})",
            crate::output::escape(&c.to_string())
        ));
    }
    let visible: String = value
        .chars()
        .filter(|&c| c.is_whitespace() || !crate::output::is_invisible(c))
        .collect();
    let cleaned = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if cleaned.chars().count() > MAX_FIELD {
        return Err(format!("{field} is longer than {MAX_FIELD} characters"));
    }
    Ok(cleaned)
}

const COLUMNS: &str = "id, name, phone, role, location, status, consent_at, consent_source, consent_by, created_at, updated_at";

fn from_row(r: &SqlRow) -> rusqlite::Result<Member> {
    Ok(Member {
        id: MemberId(r.get(0)?),
        name: r.get(1)?,
        phone: E164::from_stored(r.get(2)?),
        role: r.get(3)?,
        location: r.get(4)?,
        status: r.get(5)?,
        consent_at: r.get(6)?,
        consent_source: r.get(7)?,
        consent_by: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

pub fn get(conn: &Connection, id: MemberId) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM members WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?)
}

pub fn by_phone(conn: &Connection, phone: &E164) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM members WHERE phone = ?1"))?
        .query_row([phone.as_str()], from_row)
        .optional()?)
}

/// Finds a member by id (a short number without a leading 0) or by mobile number.
pub fn find(conn: &Connection, reference: &str, region: Id) -> Result<Member> {
    let r = reference.trim();
    let looks_like_id = !r.is_empty()
        && r.len() <= 9
        && !r.starts_with('0')
        && r.bytes().all(|b| b.is_ascii_digit());
    let found = if looks_like_id {
        get(conn, MemberId(r.parse()?))?
    } else {
        let phone = phone::parse(r, region).map_err(|why| {
            error_with_help(
                format!("{r:?} is neither a member id nor a usable phone number: {why}"),
                "give the member's id (see `mot members list`) or their mobile number",
            )
        })?;
        by_phone(conn, &phone)?
    };
    found.ok_or_else(|| {
        error_with_help(
            format!("no member {r}"),
            "see `mot members list` for ids and numbers",
        )
    })
}

/// What `list` shows. Several values of one kind are alternatives; kinds
/// combine. Text values match as [`finding::words_match`]: whole words, in
/// order, ignoring case.
#[derive(Debug, Default)]
pub struct Filter {
    pub roles: Vec<String>,
    pub locations: Vec<String>,
    pub statuses: Vec<MemberStatus>,
    pub name: Option<String>,
}

impl Filter {
    fn matches(&self, m: &Member) -> bool {
        let any = |wanted: &[String], have: &str| {
            wanted.is_empty() || wanted.iter().any(|w| finding::words_match(w, have))
        };
        any(&self.roles, &m.role)
            && any(&self.locations, &m.location)
            && (self.statuses.is_empty() || self.statuses.contains(&m.status))
            && self
                .name
                .as_ref()
                .is_none_or(|n| finding::words_match(n, &m.name))
    }
}

/// Members matching `filter`, in id order.
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Member>> {
    // Filtering in Rust gives Unicode case-insensitivity (SQLite's NOCASE is
    // ASCII only) and word matching.
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM members ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    let mut out = Vec::new();
    for m in rows {
        let m = m?;
        if filter.matches(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

fn phone_taken(existing: &Member) -> anyhow::Error {
    error_with_help(
        format!(
            "{} is already on file as member {} ({})",
            existing.phone, existing.id, existing.name
        ),
        format!("see `mot members show {}`", existing.id),
    )
}

/// Adds a member with the given status. A number already on file is an error
/// naming the member who has it.
pub fn add(
    conn: &Connection,
    d: &Details,
    status: MemberStatus,
    consent: &Consent,
) -> Result<Member> {
    if let Some(existing) = by_phone(conn, &d.phone)? {
        return Err(phone_taken(&existing));
    }
    let id = insert(conn, d, status, consent)?;
    get(conn, id)?.context("member vanished after insert")
}

/// Inserts without checks; callers have checked the number is free.
pub(crate) fn insert(
    conn: &Connection,
    d: &Details,
    status: MemberStatus,
    consent: &Consent,
) -> Result<MemberId> {
    let at = ts(consent.at);
    conn.prepare_cached(
        "INSERT INTO members (name, phone, role, location, status, consent_at, consent_source,
                              consent_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6, ?6)",
    )?
    .execute(params![
        d.name,
        d.phone.as_str(),
        d.role,
        d.location,
        status.as_str(),
        at,
        consent.source,
        consent.by
    ])?;
    Ok(MemberId(conn.last_insert_rowid()))
}

/// Changes to a member's details; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub name: Option<String>,
    pub phone: Option<E164>,
    pub role: Option<String>,
    pub location: Option<String>,
}

/// Applies `changes`; returns the member as it now is. Status never changes here.
pub fn edit(conn: &Connection, id: MemberId, changes: &Changes, now: Timestamp) -> Result<Member> {
    let current = get(conn, id)?.with_context(|| format!("no member {id}"))?;
    if let Some(phone) = &changes.phone
        && let Some(other) = by_phone(conn, phone)?.filter(|o| o.id != id)
    {
        return Err(phone_taken(&other));
    }
    conn.prepare_cached(
        "UPDATE members SET name = ?2, phone = ?3, role = ?4, location = ?5, updated_at = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        changes.name.as_ref().unwrap_or(&current.name),
        changes.phone.as_ref().unwrap_or(&current.phone).as_str(),
        changes.role.as_ref().unwrap_or(&current.role),
        changes.location.as_ref().unwrap_or(&current.location),
        ts(now),
    ])?;
    get(conn, id)?.context("member vanished after update")
}

/// Sets a member's status; an opt-out goes through [`opt_out`], which
/// remembers what it interrupted. Any other change forgets that.
pub fn set_status(
    conn: &Connection,
    id: MemberId,
    status: MemberStatus,
    now: Timestamp,
) -> Result<()> {
    anyhow::ensure!(
        status != MemberStatus::OptedOut,
        "an opt-out is written by members::opt_out"
    );
    conn.prepare_cached(
        "UPDATE members SET status_before_opt_out = NULL, status = ?2, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id.0, status.as_str(), ts(now)])?;
    Ok(())
}

/// pending → active. Any other status is an error that says what it is.
pub fn approve(conn: &Connection, id: MemberId, now: Timestamp) -> Result<Member> {
    let m = get(conn, id)?.with_context(|| format!("no member {id}"))?;
    if m.status != MemberStatus::Pending {
        bail!(
            "member {id} is {}, not pending; only pending members can be approved",
            m.status
        );
    }
    check_four_details(&m, MemberStatus::Active)?;
    set_status(conn, id, MemberStatus::Active, now)?;
    get(conn, id)?.context("member vanished after update")
}

/// How many members there are by status, by job role and by working location.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Census {
    pub by_status: std::collections::BTreeMap<MemberStatus, i64>,
    pub by_role: std::collections::BTreeMap<String, i64>,
    pub by_location: std::collections::BTreeMap<String, i64>,
}

pub fn census(conn: &Connection) -> Result<Census> {
    let mut c = Census {
        by_status: MemberStatus::ALL.iter().map(|s| (*s, 0)).collect(),
        ..Census::default()
    };
    let mut stmt = conn.prepare_cached("SELECT status, count(*) FROM members GROUP BY status")?;
    for row in stmt.query_map([], |r| {
        Ok((r.get::<_, MemberStatus>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (status, n) = row?;
        c.by_status.insert(status, n);
    }
    // A sign-up has no role or location until the team fills them in.
    let none = |s: String| {
        if s.is_empty() {
            "(none yet)".to_string()
        } else {
            s
        }
    };
    for (column, into) in [("role", &mut c.by_role), ("location", &mut c.by_location)] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {column}, count(*) FROM members GROUP BY {column}"
        ))?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (value, n) = row?;
            *into.entry(none(value)).or_default() += n;
        }
    }
    Ok(c)
}

/// Deletes the member's row, and with it every personal detail held about them.
pub fn erase(conn: &Connection, id: MemberId) -> Result<()> {
    let n = conn
        .prepare_cached("DELETE FROM members WHERE id = ?1")?
        .execute([id.0])?;
    if n == 0 {
        bail!("no member {id}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    fn details(name: &str, phone: &str) -> Details {
        Details {
            name: name.into(),
            phone: phone::parse(phone, Id::GB).unwrap(),
            role: "Community pharmacist".into(),
            location: "Riverside Pharmacy".into(),
        }
    }

    fn consent() -> Consent {
        Consent {
            at: Timestamp::from_second(1_800_000_000).unwrap(),
            source: "manual".into(),
            by: "tester".into(),
        }
    }

    #[test]
    fn add_find_edit_approve_erase() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_800_000_100).unwrap();
        let a = add(
            &conn,
            &details("Asha Patel", "07700 900001"),
            MemberStatus::Pending,
            &consent(),
        )
        .unwrap();
        assert_eq!(find(&conn, "1", Id::GB).unwrap().id, a.id);
        assert_eq!(find(&conn, "+44 7700 900001", Id::GB).unwrap().id, a.id);
        assert!(find(&conn, "07700 900002", Id::GB).is_err());

        let err = add(
            &conn,
            &details("Other", "07700900001"),
            MemberStatus::Active,
            &consent(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("member 1 (Asha Patel)"), "{err}");

        let changes = Changes {
            role: Some("Pharmacy technician".into()),
            ..Changes::default()
        };
        let edited = edit(&conn, a.id, &changes, now).unwrap();
        assert_eq!(edited.role, "Pharmacy technician");
        assert_eq!(edited.name, "Asha Patel");
        assert_eq!(edited.updated_at, "2027-01-15T08:01:40Z");

        assert_eq!(
            approve(&conn, a.id, now).unwrap().status,
            MemberStatus::Active
        );
        assert!(
            approve(&conn, a.id, now)
                .unwrap_err()
                .to_string()
                .contains("not pending")
        );

        erase(&conn, a.id).unwrap();
        assert!(get(&conn, a.id).unwrap().is_none());
    }

    /// An erased member's id never goes to the next member: audit rows and
    /// saved commands that name it must not come to mean someone else.
    #[test]
    fn an_erased_members_id_is_not_given_again() {
        let conn = open_in_memory();
        let add_one = |name: &str, phone: &str| {
            add(
                &conn,
                &details(name, phone),
                MemberStatus::Active,
                &consent(),
            )
            .unwrap()
            .id
        };
        let first = add_one("Asha Patel", "07700 900001");
        erase(&conn, first).unwrap();
        let second = add_one("Ben Okafor", "07700 900002");
        assert_ne!(first, second);
    }

    #[test]
    fn filters_are_case_insensitive() {
        let conn = open_in_memory();
        add(
            &conn,
            &details("A", "07700 900001"),
            MemberStatus::Active,
            &consent(),
        )
        .unwrap();
        let mut d = details("B", "07700 900002");
        d.role = "GP practice manager".into();
        add(&conn, &d, MemberStatus::Pending, &consent()).unwrap();
        let f = Filter {
            roles: vec!["community PHARMACIST".into()],
            ..Filter::default()
        };
        assert_eq!(list(&conn, &f).unwrap().len(), 1);
        let f = Filter {
            statuses: vec![MemberStatus::Pending],
            ..Filter::default()
        };
        assert_eq!(list(&conn, &f).unwrap()[0].name, "B");
    }

    #[test]
    fn fields_are_cleaned() {
        assert_eq!(
            clean_field("name", "  Asha \n Patel ").unwrap(),
            "Asha Patel"
        );
        assert!(clean_field("name", " \t ").unwrap_err().contains("empty"));
        assert!(
            clean_field("name", "A\u{7}B")
                .unwrap_err()
                .contains("control")
        );
    }

    #[test]
    fn names_lose_bidi_and_zero_width_characters() {
        assert_eq!(
            clean_field("name", "Asha\u{202e}ahsA \u{2066}Patel\u{2069}\u{200b}").unwrap(),
            "AshaahsA Patel"
        );
        assert_eq!(clean_field("name", "a\u{2028}b").unwrap(), "a b");
        assert_eq!(
            clean_field("name", "\u{feff}\u{200d}").unwrap_err(),
            "name is empty"
        );
    }
}
