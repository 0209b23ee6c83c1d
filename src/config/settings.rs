//! The settings of `[lapsed]` and `[retention]`: their defaults and what
//! values make sense. The config owns them; the domain modules that apply
//! them ([`crate::lapsed`], [`crate::retention`]) read them from here, so the
//! config never reaches up into the domain.

use std::collections::BTreeMap;
use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// The lapsed rule's settings (`[lapsed]`); [`crate::lapsed`] applies them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LapsedRule {
    /// How many consecutive counted broadcasts must have missed a member.
    pub broadcasts: usize,
    /// A message accepted but not delivered after this many days counts as missed.
    pub min_days: i64,
    /// A broadcast where more than this share of recipients failed with one
    /// code was a platform problem: it counts for nobody.
    pub outage_share: f64,
}

impl Default for LapsedRule {
    fn default() -> Self {
        LapsedRule {
            broadcasts: 3,
            min_days: 14,
            outage_share: 0.5,
        }
    }
}

impl LapsedRule {
    /// The rule, if its settings are sensible: one that could prune people
    /// after a single failure, or never count anything, is a mistake. The
    /// error names the `[lapsed]` key.
    pub fn checked(self) -> Result<LapsedRule, (&'static str, String)> {
        if !(2..=100).contains(&self.broadcasts) {
            let why = format!("{} is not between 2 and 100", self.broadcasts);
            return Err(("[lapsed] broadcasts", why));
        }
        if !(1..=365).contains(&self.min_days) {
            let why = format!("{} is not between 1 and 365", self.min_days);
            return Err(("[lapsed] min_days", why));
        }
        if !(self.outage_share > 0.0 && self.outage_share < 1.0) {
            let why = format!(
                "{} is not a fraction between 0 and 1 (e.g. 0.5)",
                self.outage_share
            );
            return Err(("[lapsed] outage_share", why));
        }
        Ok(self)
    }
}

/// The share of free pages above which purge rebuilds the file (`VACUUM`).
pub const DEFAULT_VACUUM_SHARE: f64 = 0.25;

/// How long one kind is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Never,
    After(SignedDuration),
}

impl Period {
    /// `never`, `0` (at the next purge), or a duration such as `90d` or `12h`.
    pub fn parse(text: &str) -> Result<Period, String> {
        match text.trim() {
            "never" => Ok(Period::Never),
            "0" | "0s" | "0m" | "0h" | "0d" => Ok(Period::After(SignedDuration::ZERO)),
            other => crate::duration::parse(other)
                .map(Period::After)
                .map_err(|why| format!("{why}, \"0\" or \"never\"")),
        }
    }

    /// Records from before this instant are due; `None` when none ever are.
    pub fn cutoff(self, now: Timestamp) -> Option<Timestamp> {
        match self {
            Period::Never => None,
            Period::After(d) => Some(now.checked_sub(d).unwrap_or(Timestamp::MIN)),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Period::After(d) = self else {
            return f.write_str("never");
        };
        let s = d.as_secs();
        match s {
            0 => f.write_str("0"),
            _ if s % 86_400 == 0 => write!(f, "{}d", s / 86_400),
            _ if s % 3_600 == 0 => write!(f, "{}h", s / 3_600),
            _ if s % 60 == 0 => write!(f, "{}m", s / 60),
            _ => write!(f, "{s}s"),
        }
    }
}

/// One `[retention]` key: its default and, for records that must outlive
/// any single year's questions, the shortest period the config may set.
#[derive(Debug)]
pub struct RetentionKey {
    pub key: &'static str,
    pub default: &'static str,
    pub floor: Option<SignedDuration>,
}

/// The `[retention]` keys, in the order purge applies them (the order of
/// [`crate::retention::KINDS`], which owns what each one removes).
pub const RETENTION_KEYS: &[RetentionKey] = &[
    RetentionKey {
        key: "pending_signups",
        default: "30d",
        floor: None,
    },
    RetentionKey {
        key: "flagged_inbound",
        default: "0",
        floor: None,
    },
    RetentionKey {
        key: "inbound",
        default: "90d",
        floor: None,
    },
    RetentionKey {
        key: "signup_messages",
        default: "90d",
        floor: None,
    },
    RetentionKey {
        key: "broadcast_text",
        default: "365d",
        floor: None,
    },
    RetentionKey {
        key: "deliveries",
        default: "365d",
        floor: None,
    },
    RetentionKey {
        key: "status_events",
        default: "30d",
        floor: None,
    },
    RetentionKey {
        key: "webhook_events",
        default: "30d",
        floor: None,
    },
    RetentionKey {
        key: "account_events",
        default: "365d",
        floor: None,
    },
    // Who did what must outlive any single year's questions about it.
    RetentionKey {
        key: "audit",
        default: "2192d",
        floor: Some(SignedDuration::from_hours(365 * 24)),
    },
];

/// The resolved `[retention]` section: a period per key, in [`RETENTION_KEYS`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionPolicy {
    pub periods: Vec<Period>,
    pub vacuum_share: f64,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            periods: RETENTION_KEYS
                .iter()
                .map(|k| Period::parse(k.default).expect("defaults parse"))
                .collect(),
            vacuum_share: DEFAULT_VACUUM_SHARE,
        }
    }
}

impl RetentionPolicy {
    /// Reads `[retention]` as written; an unknown key or bad value names the key.
    pub fn from_table(table: &BTreeMap<String, toml::Value>) -> Result<RetentionPolicy, String> {
        let mut policy = RetentionPolicy::default();
        for (key, value) in table {
            if key == "vacuum_share" {
                let share = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|i| i as f64))
                    .ok_or_else(|| format!("[retention] {key}: expected a number from 0 to 1"))?;
                if !(0.0..=1.0).contains(&share) {
                    return Err(format!("[retention] {key}: {share} is not from 0 to 1"));
                }
                policy.vacuum_share = share;
                continue;
            }
            let Some(i) = RETENTION_KEYS.iter().position(|k| k.key == *key) else {
                let known: Vec<&str> = RETENTION_KEYS.iter().map(|k| k.key).collect();
                return Err(format!(
                    "[retention] {key}: unknown key (known: {}, vacuum_share)",
                    known.join(", ")
                ));
            };
            let text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(0) => "0".to_string(),
                _ => {
                    return Err(format!(
                        "[retention] {key}: expected a duration in quotes such as \"90d\", or \"never\""
                    ));
                }
            };
            let period = Period::parse(&text).map_err(|why| format!("[retention] {key}: {why}"))?;
            if let (Some(floor), Period::After(d)) = (RETENTION_KEYS[i].floor, period)
                && d < floor
            {
                return Err(format!(
                    "[retention] {key}: {text:?} is shorter than the {} days this record must be kept; use a longer period or \"never\"",
                    floor.as_hours() / 24
                ));
            }
            policy.periods[i] = period;
        }
        Ok(policy)
    }

    #[cfg(test)]
    pub fn period(&self, key: &str) -> Period {
        let i = RETENTION_KEYS
            .iter()
            .position(|k| k.key == key)
            .expect("a known kind");
        self.periods[i]
    }
}
