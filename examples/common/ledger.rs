//! A big, realistic ledger for benchmarks: generated members, broadcasts one
//! day apart, and one delivery row per member per broadcast, written straight
//! into a database that `mot init` created (so the schema is mot's own).

use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use rusqlite::params;

use super::{generated_members, mot};

/// What [`big_ledger`] built, for checking a report against.
#[derive(Debug, Clone, Copy)]
pub struct BigLedger {
    pub members: u32,
    pub broadcasts: u32,
    pub deliveries: u64,
    /// Members built to be lapsed by the default rule (3 broadcasts, 14 days).
    pub lapsed: u32,
    /// Broadcasts built as outages (60% failed with 131026).
    pub outages: u32,
}

/// What happens to member `m` (0-based) in broadcast `b` (0-based, oldest first).
enum Fate {
    Read,
    Delivered,
    Sent,
    Failed(i64, &'static str),
}

/// Broadcasts `b` with `b % 75 == 74` are outages: most members fail with 131026.
fn is_outage(b: u32) -> bool {
    b % 75 == 74
}

fn fate(m: u32, b: u32, broadcasts: u32) -> Fate {
    let recent = b + 5 >= broadcasts;
    let h = m.wrapping_mul(2_654_435_761) ^ b.wrapping_mul(40_503);
    if m % 50 == 7 && recent {
        // Unreachable lately: the last five broadcasts failed for a member reason.
        Fate::Failed(131026, "member")
    } else if m % 97 == 3 {
        // Accepted but never delivered (a phone long switched off).
        Fate::Sent
    } else if is_outage(b) && h % 10 < 6 {
        Fate::Failed(131026, "member")
    } else if h % 100 < 2 {
        Fate::Failed(131049, "platform")
    } else if h % 100 < 3 {
        Fate::Failed(130429, "throttled")
    } else if h % 10 < 7 {
        Fate::Read
    } else {
        Fate::Delivered
    }
}

/// Builds `members` members and `broadcasts` broadcasts (the last one day
/// before `now`), one delivery per member per broadcast, in `dir/mot.db`
/// with `dir/config.toml`. Numbers come from [`generated_members`].
pub fn big_ledger(dir: &Path, members: u32, broadcasts: u32, now: Timestamp) -> BigLedger {
    let sink = &mut std::io::sink();
    if !dir.join("config.toml").exists() {
        std::fs::write(dir.join("config.toml"), "").unwrap();
    }
    mot(dir, &["init"], sink).expect("mot init");
    let csv = dir.join("members.csv");
    std::fs::write(&csv, generated_members(members)).unwrap();
    mot(dir, &["members", "import", csv.to_str().unwrap()], sink).expect("members import");

    let mut conn = rusqlite::Connection::open(dir.join("mot.db")).unwrap();
    let tx = conn.transaction().unwrap();
    let ts = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut deliveries = 0u64;
    {
        let mut broadcast = tx
            .prepare(
                "INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                     created_by, created_at, started_at, finished_at, not_after, state)
                 VALUES (?1, 'notice', ?2, 'mot_notice', 'en_GB', ?3,
                     '{\"members\":{\"roles\":[],\"locations\":[]}}', 'bench', ?4, ?4, ?4, ?4, 'finished')",
            )
            .unwrap();
        let mut delivery = tx
            .prepare(
                "INSERT INTO deliveries (broadcast_id, member_id, phone, state, wamid, attempts,
                     error_code, error_class, error_message, sent_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9, ?9)",
            )
            .unwrap();
        for b in 0..broadcasts {
            let at = now - SignedDuration::from_hours(24 * i64::from(broadcasts - b));
            let at = ts(at);
            let body = format!("Notice {b}: stock update for the week.");
            broadcast
                .execute(params![b + 1, body, format!("[{body:?}]"), at])
                .unwrap();
            for m in 0..members {
                let phone = format!("+4477009{:05}", m);
                let (state, code, class, message) = match fate(m, b, broadcasts) {
                    Fate::Read => ("read", None, None, None),
                    Fate::Delivered => ("delivered", None, None, None),
                    Fate::Sent => ("sent", None, None, None),
                    Fate::Failed(code, class) => (
                        "failed",
                        Some(code),
                        Some(class),
                        Some(format!("generated failure (code {code})")),
                    ),
                };
                let wamid = (state != "failed").then(|| format!("wamid.bench.{b}.{m}"));
                delivery
                    .execute(params![
                        b + 1,
                        m + 1,
                        phone,
                        state,
                        wamid,
                        code,
                        class,
                        message,
                        at
                    ])
                    .unwrap();
                deliveries += 1;
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    // Lapsed by the default rule: the unreachable, and the never-delivered
    // (whose older broadcasts are more than 14 days old) unless also unreachable.
    let lapsed = (0..members).filter(|m| m % 50 == 7 || m % 97 == 3).count() as u32;
    BigLedger {
        members,
        broadcasts,
        deliveries,
        lapsed,
        outages: (0..broadcasts).filter(|b| is_outage(*b)).count() as u32,
    }
}
