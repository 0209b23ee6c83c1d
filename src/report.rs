//! Reports over the whole service: the summary (members, recent broadcasts,
//! lapsed members), and the rows `report lapsed` and `members prune` show.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;
use serde::Serialize;

use crate::broadcast::history::{self, Outcome};
use crate::config::LapsedRule as Rule;
use crate::db::ts;
use crate::lapsed::{self, Lapsed, Outage};
use crate::members::{self, Census, MemberStatus};
use crate::output::Row;

/// `mot report summary`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub days: i64,
    /// The start of the window: broadcasts created at or after it are shown.
    pub since: String,
    pub members: Census,
    pub broadcasts: Vec<Outcome>,
    /// Failed rows of those broadcasts, by error class.
    pub failed_by_class: BTreeMap<String, i64>,
    /// Members whose status is `lapsed` now.
    pub marked_lapsed: i64,
    /// Members the lapsed rule finds now: what `members prune` would act on.
    pub would_be_pruned: usize,
    /// Members the rule finds who were never reached at all (kept by prune
    /// unless `--include-never-reached`).
    pub never_reached: usize,
    pub outages: usize,
    pub rule: Rule,
}

pub fn summary(conn: &Connection, rule: &Rule, days: i64, now: Timestamp) -> Result<Summary> {
    let since = now - SignedDuration::from_hours(24 * days);
    let members = members::census(conn)?;
    let broadcasts = history::outcomes_since(conn, since)?;
    let mut failed_by_class = BTreeMap::new();
    for b in &broadcasts {
        for (class, n) in &b.failed_by_class {
            *failed_by_class.entry(class.clone()).or_default() += n;
        }
    }
    let found = lapsed::find(conn, rule, now)?;
    Ok(Summary {
        days,
        since: ts(since),
        marked_lapsed: members
            .by_status
            .get(&MemberStatus::Lapsed)
            .copied()
            .unwrap_or(0),
        members,
        broadcasts,
        failed_by_class,
        would_be_pruned: found.lapsed.len(),
        never_reached: found.never_reached.len(),
        outages: found.outages.len(),
        rule: *rule,
    })
}

impl Summary {
    /// The summary as (section, name, value) rows, for CSV.
    pub fn lines(&self) -> Vec<[String; 3]> {
        let mut out = Vec::new();
        let mut put = |section: &str, name: String, value: String| {
            out.push([section.to_string(), name, value]);
        };
        for (s, n) in &self.members.by_status {
            put("members_by_status", s.to_string(), n.to_string());
        }
        for (r, n) in &self.members.by_role {
            put("members_by_role", r.clone(), n.to_string());
        }
        for (l, n) in &self.members.by_location {
            put("members_by_location", l.clone(), n.to_string());
        }
        for b in &self.broadcasts {
            let section = format!("broadcast {}", b.broadcast_id);
            put(&section, "at".into(), b.at.clone());
            put(&section, "recipients".into(), b.recipients.to_string());
            put(&section, "delivered_rate".into(), rate(b.delivered_rate));
            put(&section, "read_rate".into(), rate(b.read_rate));
            for (class, n) in &b.failed_by_class {
                put(&section, format!("failed_{class}"), n.to_string());
            }
        }
        for (class, n) in &self.failed_by_class {
            put("failed_by_class", class.clone(), n.to_string());
        }
        put(
            "lapsed",
            "marked_lapsed".into(),
            self.marked_lapsed.to_string(),
        );
        put(
            "lapsed",
            "would_be_pruned".into(),
            self.would_be_pruned.to_string(),
        );
        put(
            "lapsed",
            "never_reached".into(),
            self.never_reached.to_string(),
        );
        put(
            "lapsed",
            "outage_broadcasts".into(),
            self.outages.to_string(),
        );
        out
    }
}

fn rate(r: f64) -> String {
    format!("{:.1}%", 100.0 * r)
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: i64 = self.members.by_status.values().sum();
        writeln!(f, "members: {total}")?;
        let statuses: Vec<String> = self
            .members
            .by_status
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        writeln!(f, "  by status: {}", statuses.join(", "))?;
        for (title, map) in [
            ("by role", &self.members.by_role),
            ("by location", &self.members.by_location),
        ] {
            writeln!(f, "  {title}:")?;
            for (k, n) in map {
                writeln!(f, "    {n:>6}  {k}")?;
            }
        }
        writeln!(
            f,
            "broadcasts in the last {} days (since {}): {}",
            self.days,
            self.since,
            self.broadcasts.len()
        )?;
        for b in &self.broadcasts {
            write!(
                f,
                "  {:>5}  {}  {} recipient(s), delivered {}, read {}",
                b.broadcast_id,
                b.at,
                b.recipients,
                rate(b.delivered_rate),
                rate(b.read_rate)
            )?;
            if b.failed > 0 {
                let classes: Vec<String> = b
                    .failed_by_class
                    .iter()
                    .map(|(c, n)| format!("{c} {n}"))
                    .collect();
                write!(f, ", failed {} ({})", b.failed, classes.join(", "))?;
            }
            writeln!(f)?;
        }
        if !self.failed_by_class.is_empty() {
            let classes: Vec<String> = self
                .failed_by_class
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            writeln!(f, "  failures by class: {}", classes.join(", "))?;
        }
        writeln!(
            f,
            "lapsed: {} marked lapsed; {} lapsed by the rule now (would be pruned); {} never reached \
             (kept); {} outage broadcast(s) excluded",
            self.marked_lapsed, self.would_be_pruned, self.never_reached, self.outages
        )
    }
}

/// A lapsed member as one line of a table or CSV (JSON keeps the evidence as an array).
impl Row for Lapsed {
    const HEADERS: &'static [&'static str] = &[
        "member_id",
        "name",
        "phone",
        "role",
        "location",
        "status",
        "since",
        "never_reached",
        "evidence",
    ];
    const DROP_FIRST: &'static [&'static str] = &["since"];
    const WHOLE: &'static [&'static str] = &["name"];
    const PHONES: &'static [&'static str] = &["phone"];

    fn cells(&self) -> Vec<String> {
        let evidence: Vec<String> = self
            .evidence
            .iter()
            .map(|e| {
                let what = match e.error_code {
                    Some(code) => format!("failed {code}"),
                    None => format!("{} not delivered", e.state),
                };
                format!("#{} {} {what}", e.broadcast_id, &e.at[..10.min(e.at.len())])
            })
            .collect();
        vec![
            self.member_id.to_string(),
            self.name.clone(),
            self.phone.clone(),
            self.role.clone(),
            self.location.clone(),
            self.status.to_string(),
            self.since.clone(),
            self.never_reached.to_string(),
            evidence.join("; "),
        ]
    }
}

impl Row for Outage {
    const HEADERS: &'static [&'static str] = &["broadcast_id", "at", "error_code", "why"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.broadcast_id.to_string(),
            self.at.clone(),
            self.error_code.to_string(),
            self.why.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn summary_counts_members_and_recent_broadcasts() {
        let conn = open_in_memory();
        conn.execute_batch(
            "INSERT INTO members (id, name, phone, role, location, status, consent_at,
                                  consent_source, consent_by, created_at, updated_at)
             VALUES (1, 'A', '+447700900001', 'Pharmacist', 'Leeds', 'active', 'x', 'x', 'x', 'x', 'x'),
                    (2, 'B', '+447700900002', 'Pharmacist', 'York', 'lapsed', 'x', 'x', 'x', 'x', 'x'),
                    (3, 'C', '+447700900003', '', '', 'pending', 'x', 'x', 'x', 'x', 'x');
             INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state)
             VALUES (1, 'notice', 'old', 't', 'en', '[]', '{}', 'u', '2026-01-01T00:00:00Z', 'x', 'finished'),
                    (2, 'notice', 'new', 't', 'en', '[]', '{}', 'u', '2026-03-01T00:00:00Z', 'x', 'finished');
             INSERT INTO deliveries (broadcast_id, member_id, state, error_code, error_class, updated_at)
             VALUES (1, 1, 'read', NULL, NULL, 'x'),
                    (2, 1, 'read', NULL, NULL, 'x'),
                    (2, 2, 'failed', 131026, 'member', 'x'),
                    (2, NULL, 'delivered', NULL, NULL, 'x'),
                    (2, NULL, 'failed', 130429, 'throttled', 'x');",
        )
        .unwrap();
        let now: Timestamp = "2026-03-10T00:00:00Z".parse().unwrap();
        let s = summary(&conn, &Rule::default(), 30, now).unwrap();
        assert_eq!(s.members.by_status[&MemberStatus::Active], 1);
        assert_eq!(s.members.by_status[&MemberStatus::OptedOut], 0);
        assert_eq!(s.members.by_role["Pharmacist"], 2);
        assert_eq!(s.members.by_location["(none yet)"], 1);
        assert_eq!(s.broadcasts.len(), 1, "broadcast 1 is older than 30 days");
        let b = &s.broadcasts[0];
        assert_eq!((b.recipients, b.delivered, b.read, b.failed), (4, 2, 1, 2));
        assert_eq!(b.delivered_rate, 0.5);
        assert_eq!(s.failed_by_class["member"], 1);
        assert_eq!(s.failed_by_class["throttled"], 1);
        assert_eq!(s.marked_lapsed, 1);
        assert_eq!(s.would_be_pruned, 0, "one failure is not three");
        let csv = s.lines();
        assert!(
            csv.iter()
                .any(|l| l[0] == "lapsed" && l[1] == "marked_lapsed" && l[2] == "1")
        );
        let text = s.to_string();
        assert!(text.contains("delivered 50.0%"), "{text}");
    }

    /// A broadcast whose delivery rows `mot purge` removed is still counted
    /// from the totals kept in their place, as `broadcasts show` counts it.
    #[test]
    fn summary_counts_a_broadcast_whose_rows_were_purged() {
        let mut conn = open_in_memory();
        conn.execute_batch(
            "INSERT INTO broadcasts (id, kind, body, template, language, params, audience,
                                     created_by, created_at, not_after, state)
             VALUES (1, 'notice', 'n', 't', 'en', '[]', '{}', 'u', '2026-03-01T00:00:00Z', 'x', 'finished');
             INSERT INTO deliveries (broadcast_id, state, error_code, error_class, updated_at)
             VALUES (1, 'read', NULL, NULL, 'x'), (1, 'delivered', NULL, NULL, 'x'),
                    (1, 'failed', 131026, 'member', 'x');",
        )
        .unwrap();
        let now: Timestamp = "2026-03-10T00:00:00Z".parse().unwrap();
        let before = summary(&conn, &Rule::default(), 30, now).unwrap();
        let mut policy = crate::config::RetentionPolicy::default();
        let i = crate::retention::KINDS
            .iter()
            .position(|k| k.key == "deliveries")
            .unwrap();
        policy.periods[i] = crate::config::Period::parse("0").unwrap();
        crate::retention::purge(&mut conn, &policy, now, false, "tester", &mut |_, _| Ok(()))
            .unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0, "the rows were purged");
        let after = summary(&conn, &Rule::default(), 30, now).unwrap();
        let (b, a) = (&before.broadcasts[0], &after.broadcasts[0]);
        assert_eq!((a.recipients, a.delivered, a.read, a.failed), (3, 2, 1, 1));
        assert_eq!(
            (b.recipients, b.delivered, b.read, b.failed),
            (a.recipients, a.delivered, a.read, a.failed)
        );
        assert_eq!(after.failed_by_class, before.failed_by_class);
        // The lapsed rule's outage check reads the same counts.
        let facts = crate::broadcast::history::broadcast_facts(&conn).unwrap();
        assert_eq!(
            (facts[0].recipients, &facts[0].failures[..]),
            (3, &[(131026, 1)][..])
        );
    }
}
