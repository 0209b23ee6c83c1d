//! The [retention] config section: its keys, their defaults and the
//! example config, against the kinds purge applies.

use std::collections::BTreeMap;

use jiff::SignedDuration;

use super::*;
use crate::config::{Period, RETENTION_KEYS};

#[test]
fn the_config_section_is_checked_key_by_key() {
    let table = |text: &str| -> BTreeMap<String, toml::Value> { toml::from_str(text).unwrap() };
    let p = RetentionPolicy::from_table(&table(
        "inbound = \"12h\"\naudit = \"never\"\nflagged_inbound = 0\nvacuum_share = 0.5",
    ))
    .unwrap();
    assert_eq!(
        p.period("inbound"),
        Period::After(SignedDuration::from_hours(12))
    );
    assert_eq!(p.period("audit"), Period::Never);
    assert_eq!(
        p.period("flagged_inbound"),
        Period::After(SignedDuration::ZERO)
    );
    assert_eq!(
        p.period("deliveries"),
        Period::After(SignedDuration::from_hours(365 * 24))
    );
    assert_eq!(p.vacuum_share, 0.5);
    for (text, said) in [
        ("inbnd = \"1d\"", "unknown key"),
        ("inbound = \"soon\"", "[retention] inbound"),
        ("inbound = 90", "in quotes"),
        ("vacuum_share = 2.0", "not from 0 to 1"),
    ] {
        let err = RetentionPolicy::from_table(&table(text)).unwrap_err();
        assert!(err.contains(said), "{text}: {err}");
    }
    for kind in RETENTION_KEYS {
        let period = Period::parse(kind.default).unwrap();
        assert_eq!(Period::parse(&period.to_string()).unwrap(), period);
    }
}

/// The example config names every kind, with the default the code uses.
#[test]
fn the_example_config_documents_every_kind_and_its_default() {
    let section = crate::config::EXAMPLE
        .split("[retention]")
        .nth(1)
        .expect("a [retention] section");
    let uncommented: String = section
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            l.split_once(" = ")
                .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let table: BTreeMap<String, toml::Value> = toml::from_str(&uncommented).unwrap();
    for kind in KINDS {
        assert!(table.contains_key(kind.key), "{} missing", kind.key);
    }
    assert_eq!(
        RetentionPolicy::from_table(&table).unwrap(),
        RetentionPolicy::default()
    );
}

/// The config's keys and the kinds purge applies are one list in two halves:
/// the same keys, in the same order.
#[test]
fn every_retention_key_has_its_kind_in_the_same_order() {
    let keys: Vec<&str> = RETENTION_KEYS.iter().map(|k| k.key).collect();
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.key).collect();
    assert_eq!(keys, kinds);
}
