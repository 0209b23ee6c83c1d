//! How a member leaves and comes back: the one writer of the opted-out
//! state, and the rejoin that undoes it.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::{MemberId, MemberStatus, get, set_status};
use crate::audit;
use crate::db::ts;

/// Where an opt-out came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptOutVia {
    /// STOP (or another stop word) typed, or a stop button tapped.
    Stop,
    /// A message the member edited to STOP.
    Edit,
    /// A plain request to leave ("please remove me from this list"), with
    /// `[inbound] opt_out_phrases = "opt_out"`.
    Words,
    /// A marketing-preference stop (the webhook's `user_preferences`).
    MarketingPreferences,
    /// WhatsApp refused or failed a message with 131050: the member
    /// stopped marketing messages (the same signal as a preference stop).
    Refused131050,
    /// The team's `mot members opt-out` (its command audits it).
    Team,
}

impl OptOutVia {
    fn as_str(self) -> &'static str {
        match self {
            OptOutVia::Stop => "stop",
            OptOutVia::Edit => "edit",
            OptOutVia::Words => "words",
            OptOutVia::MarketingPreferences => "marketing_preferences",
            OptOutVia::Refused131050 => "131050",
            OptOutVia::Team => "team",
        }
    }
}

/// The one way a member is opted out, whoever asked: the status changes at
/// once and remembers what it interrupted, so that START restores exactly
/// that (a pending member who leaves and rejoins is still pending). What
/// WhatsApp tells us (every `via` but `Team`) is audited here, whether or
/// not the number is a member's; the team's command audits its own.
/// Returns the status the member moved from; `None` when there was no such
/// member or they had already opted out.
pub fn opt_out(
    conn: &Connection,
    member: Option<MemberId>,
    via: OptOutVia,
    now: Timestamp,
) -> Result<Option<MemberStatus>> {
    let from = match member {
        Some(id) => match get(conn, id)? {
            Some(m) if m.status != MemberStatus::OptedOut => {
                conn.prepare_cached(
                    "UPDATE members SET status_before_opt_out = status, status = 'opted_out',
                                        updated_at = ?2
                     WHERE id = ?1",
                )?
                .execute(params![id.0, ts(now)])?;
                Some(m.status)
            }
            _ => None,
        },
        None => None,
    };
    if via != OptOutVia::Team {
        audit::record(
            conn,
            now,
            "whatsapp",
            "inbound opt_out",
            "ok",
            serde_json::json!({ "member_id": member, "via": via.as_str() }),
        )?;
    }
    Ok(from)
}

/// Brings an opted-out member back to the status their opt-out interrupted.
pub fn rejoin(conn: &Connection, id: MemberId, now: Timestamp) -> Result<MemberStatus> {
    let before: Option<MemberStatus> = conn
        .prepare_cached("SELECT status_before_opt_out FROM members WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))?;
    let status = match before {
        Some(s @ (MemberStatus::Pending | MemberStatus::Lapsed)) => s,
        _ => MemberStatus::Active,
    };
    set_status(conn, id, status, now)?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::members::{Consent, Details, add};
    use phonenumber::country::Id;

    fn member(conn: &Connection, n: u32, status: MemberStatus) -> MemberId {
        let d = Details {
            name: format!("M{n}"),
            phone: crate::phone::parse(&format!("07700 900{n:03}"), Id::GB).unwrap(),
            role: "Pharmacist".into(),
            location: "Leeds".into(),
        };
        let consent = Consent {
            at: Timestamp::UNIX_EPOCH,
            source: "manual".into(),
            by: "t".into(),
        };
        add(conn, &d, status, &consent).unwrap().id
    }

    fn audited(conn: &Connection) -> i64 {
        conn.query_row(
            "SELECT count(*) FROM audit WHERE command = 'inbound opt_out'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn an_opt_out_remembers_what_it_interrupted_and_rejoin_restores_it() {
        let conn = open_in_memory();
        let now = Timestamp::UNIX_EPOCH;
        for (n, status) in [
            (1, MemberStatus::Active),
            (2, MemberStatus::Pending),
            (3, MemberStatus::Lapsed),
        ] {
            let id = member(&conn, n, status);
            assert_eq!(
                opt_out(&conn, Some(id), OptOutVia::Stop, now).unwrap(),
                Some(status)
            );
            assert_eq!(
                opt_out(&conn, Some(id), OptOutVia::Refused131050, now).unwrap(),
                None,
                "already opted out: what it interrupted is kept"
            );
            assert_eq!(rejoin(&conn, id, now).unwrap(), status);
        }
    }

    #[test]
    fn what_whatsapp_says_is_audited_and_the_teams_opt_out_is_left_to_its_command() {
        let conn = open_in_memory();
        let now = Timestamp::UNIX_EPOCH;
        let a = member(&conn, 1, MemberStatus::Active);
        opt_out(&conn, None, OptOutVia::Stop, now).unwrap();
        assert_eq!(audited(&conn), 1, "a stranger's STOP is evidence too");
        opt_out(&conn, Some(a), OptOutVia::Team, now).unwrap();
        assert_eq!(audited(&conn), 1);
        let status = get(&conn, a).unwrap().unwrap().status;
        assert_eq!(status, MemberStatus::OptedOut);
    }
}
