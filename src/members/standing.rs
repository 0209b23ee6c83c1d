//! The team's hand on a member's status: reactivate, opt out, lapse. Each
//! says what it changed from, so the command can audit it.

use anyhow::{Context, Result};
use jiff::Timestamp;
use rusqlite::Connection;

use super::{Member, MemberId, MemberStatus, OptOutVia, get, set_status};
use crate::exit::{Exit, Failure, error_with_help};

/// The status a change moved a member from, and the member as they now are.
pub type Changed = (MemberStatus, Member);

fn current(conn: &Connection, id: MemberId) -> Result<Member> {
    get(conn, id)?.with_context(|| format!("no member {id}"))
}

/// opted_out or lapsed → active. An opted-out member once said STOP, so a
/// reason is required (the caller audits it).
pub fn reactivate(
    conn: &Connection,
    id: MemberId,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<Changed> {
    let m = current(conn, id)?;
    match m.status {
        MemberStatus::Lapsed => {}
        MemberStatus::OptedOut if reason.is_none() => {
            return Err(Failure::new(
                Exit::Usage,
                format!("member {id} opted out; bringing them back needs a reason"),
            )
            .help("add --reason \"…\" saying how they asked to rejoin (it is audited)")
            .into());
        }
        MemberStatus::OptedOut => {}
        MemberStatus::Active => {
            return Err(error_with_help(
                format!("member {id} is already active"),
                "nothing to do",
            ));
        }
        MemberStatus::Pending => {
            return Err(error_with_help(
                format!("member {id} is pending, not opted out or lapsed"),
                format!("approve a sign-up with `mot members approve {id}`"),
            ));
        }
    }
    super::check_four_details(&m, MemberStatus::Active)?;
    set_status(conn, id, MemberStatus::Active, now)?;
    Ok((m.status, current(conn, id)?))
}

/// Any status → opted_out: the member asked to leave some other way than
/// STOP (the caller audits it).
pub fn opt_out(conn: &Connection, id: MemberId, now: Timestamp) -> Result<Changed> {
    current(conn, id)?;
    let Some(from) = super::opt_out(conn, Some(id), OptOutVia::Team, now)? else {
        return Err(error_with_help(
            format!("member {id} has already opted out"),
            "nothing to do",
        ));
    };
    Ok((from, current(conn, id)?))
}

/// active → lapsed: kept on file, never sent to.
pub fn lapse(conn: &Connection, id: MemberId, now: Timestamp) -> Result<Changed> {
    let m = current(conn, id)?;
    if m.status != MemberStatus::Active {
        return Err(error_with_help(
            format!(
                "member {id} is {}; only an active member can be marked lapsed",
                m.status
            ),
            "see `mot members show` for their status",
        ));
    }
    set_status(conn, id, MemberStatus::Lapsed, now)?;
    Ok((m.status, current(conn, id)?))
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

    #[test]
    fn each_change_from_each_status() {
        let conn = open_in_memory();
        let now = Timestamp::UNIX_EPOCH;
        let a = member(&conn, 1, MemberStatus::Active);
        let (from, m) = lapse(&conn, a, now).unwrap();
        assert_eq!(
            (from, m.status),
            (MemberStatus::Active, MemberStatus::Lapsed)
        );
        assert!(lapse(&conn, a, now).is_err(), "already lapsed");
        let (from, m) = reactivate(&conn, a, None, now).unwrap();
        assert_eq!(
            (from, m.status),
            (MemberStatus::Lapsed, MemberStatus::Active)
        );
        assert!(reactivate(&conn, a, None, now).is_err(), "already active");

        let (from, m) = opt_out(&conn, a, now).unwrap();
        assert_eq!(
            (from, m.status),
            (MemberStatus::Active, MemberStatus::OptedOut)
        );
        assert!(opt_out(&conn, a, now).is_err());
        assert!(lapse(&conn, a, now).is_err(), "an opt-out is stronger");
        let err = reactivate(&conn, a, None, now).unwrap_err();
        assert_eq!(
            err.downcast_ref::<Failure>().map(|f| f.exit),
            Some(Exit::Usage)
        );
        let (from, m) = reactivate(&conn, a, Some("asked by email"), now).unwrap();
        assert_eq!(
            (from, m.status),
            (MemberStatus::OptedOut, MemberStatus::Active)
        );

        let p = member(&conn, 2, MemberStatus::Pending);
        assert!(reactivate(&conn, p, Some("x"), now).is_err());
        assert!(lapse(&conn, p, now).is_err());
        assert_eq!(opt_out(&conn, p, now).unwrap().0, MemberStatus::Pending);
    }
}
