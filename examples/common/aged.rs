//! A database with a history to purge: members, broadcasts (some older than
//! a year) and a delivery row per member per broadcast, written in bulk by
//! SQL so millions of rows take seconds. Shared by `bench_purge` and the
//! purge crash test.
#![allow(dead_code)] // each user takes a different part

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, params};

fn ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What [`fill`] wrote, to check a purge against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    pub deliveries: i64,
    /// Delivery rows of broadcasts older than 365 days.
    pub due: i64,
    pub old_broadcasts: i64,
}

/// Fills an empty mot database (schema already applied): `members` members
/// numbered 07700 900000 upwards, `broadcasts` broadcasts of which
/// `old` were sent 400 days before `now` and the rest 10 days before, and one
/// delivery per member per broadcast (1 in 20 failed).
pub fn fill(conn: &Connection, now: Timestamp, members: u32, broadcasts: u32, old: u32) -> History {
    let day = SignedDuration::from_hours(24);
    let recent = ts(now - day * 10);
    let long_ago = ts(now - day * 400);
    let tx = conn.unchecked_transaction().unwrap();
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
         INSERT INTO members (name, phone, role, location, status, consent_at, consent_source,
                              consent_by, created_at, updated_at)
         SELECT 'Member ' || i, '+447700' || (900000 + i), 'Community pharmacist',
                'Pharmacy ' || (i % 500) || ', Leeds', 'active', ?2, 'import', 'bench', ?2, ?2
         FROM n",
        params![members, long_ago],
    )
    .unwrap();
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
         INSERT INTO broadcasts (kind, body, template, language, params, audience, created_by,
                                 created_at, not_after, state)
         SELECT 'notice', 'Supply disruption notice ' || i || ': ' || ?4, 'mot_notice', 'en_GB',
                json_array('Supply disruption notice ' || i), '{}', 'bench',
                CASE WHEN i < ?2 THEN ?3 ELSE ?5 END, CASE WHEN i < ?2 THEN ?3 ELSE ?5 END,
                'finished'
         FROM n",
        params![
            broadcasts,
            old,
            long_ago,
            "Alternative brands are available; see the attached guidance before switching \
             patients, and contact the MOT for advice on individual cases.",
            recent
        ],
    )
    .unwrap();
    tx.execute_batch(
        "INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, attempts,
                                 error_code, error_class, error_message, sent_at, updated_at)
         SELECT b.id, m.id, m.phone,
                CASE WHEN m.id % 20 = 0 THEN 'failed' WHEN m.id % 3 = 0 THEN 'read' ELSE 'delivered' END,
                'wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgS' || b.id || 'x' || m.id, 1,
                CASE WHEN m.id % 20 = 0 THEN 131026 END,
                CASE WHEN m.id % 20 = 0 THEN 'member' END,
                CASE WHEN m.id % 20 = 0 THEN 'Message undeliverable' END,
                b.created_at, b.created_at
         FROM broadcasts b CROSS JOIN members m",
    )
    .unwrap();
    tx.commit().unwrap();
    History {
        deliveries: i64::from(members) * i64::from(broadcasts),
        due: i64::from(members) * i64::from(old),
        old_broadcasts: i64::from(old),
    }
}

/// Where a purge of a [`fill`]ed database stands: not begun, done, stopped
/// between two whole batches (every removed row counted in the totals), or
/// (never acceptable) something inconsistent.
#[derive(Debug, PartialEq, Eq)]
pub enum Stage {
    Old,
    New,
    Batches,
    Between(String),
}

pub fn stage(conn: &Connection, h: History) -> Stage {
    let (rows, totals, marked, audits): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM deliveries),
                    (SELECT coalesce(sum(n), 0) FROM delivery_totals),
                    (SELECT count(*) FROM broadcasts WHERE params = '[]'),
                    (SELECT count(*) FROM audit WHERE command = 'purge')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let got = (rows, totals, marked, audits);
    if got == (h.deliveries, 0, 0, 0) {
        Stage::Old
    } else if (rows, totals, marked) == (h.deliveries - h.due, h.due, h.old_broadcasts)
        && audits >= 1
    {
        Stage::New
    } else if rows + totals == h.deliveries && totals <= h.due && marked <= h.old_broadcasts {
        Stage::Batches
    } else {
        Stage::Between(format!(
            "rows {rows}, totals {totals}, texts removed {marked}, purge audits {audits}"
        ))
    }
}
