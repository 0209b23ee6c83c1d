//! The rule, one clause at a time, with the clock passed in.

use super::*;

/// Day `i` (2026-01-01 + i days).
fn day(i: i64) -> String {
    let t =
        "2026-01-01T09:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_hours(24 * i);
    crate::db::ts(t)
}

fn clock(d: i64) -> Timestamp {
    day(d).parse().unwrap()
}

/// Days between two broadcasts: three misses span 14 days, the default `min_days`.
const GAP: i64 = 7;

/// When broadcast `b` was created and sent: day `b × GAP`.
fn at(b: i64) -> String {
    day(b * GAP)
}

/// Broadcasts 1..=n a week apart; `excluded` ones count for nobody.
fn broadcasts(n: i64, excluded: &[i64]) -> HashMap<BroadcastId, (String, bool)> {
    (1..=n)
        .map(|i| (BroadcastId(i), (at(i), excluded.contains(&i))))
        .collect()
}

fn failed(b: i64, code: i64) -> LedgerRow {
    LedgerRow {
        broadcast_id: BroadcastId(b),
        state: DeliveryState::Failed,
        error_code: Some(code),
        sent_at: None,
    }
}

fn in_state(b: i64, state: DeliveryState) -> LedgerRow {
    LedgerRow {
        broadcast_id: BroadcastId(b),
        state,
        error_code: None,
        sent_at: (state != DeliveryState::Queued).then(|| at(b)),
    }
}

/// Runs the rule over rows given oldest first (as a person reads them).
fn verdict(
    rule: &LapsedRule,
    now: Timestamp,
    known: &HashMap<BroadcastId, (String, bool)>,
    rows_oldest_first: &[LedgerRow],
    last_message: Option<&str>,
) -> Option<Verdict> {
    let mut j = Judge::new(rule, now, known);
    for row in rows_oldest_first.iter().rev() {
        if !j.push(row) {
            break;
        }
    }
    j.finish(last_message)
}

/// The evidence, if the rule finds the member (lapsed or never reached).
fn judge(
    rule: &LapsedRule,
    now: Timestamp,
    known: &HashMap<BroadcastId, (String, bool)>,
    rows_oldest_first: &[LedgerRow],
    last_message: Option<&str>,
) -> Option<Vec<Evidence>> {
    verdict(rule, now, known, rows_oldest_first, last_message).map(|v| v.evidence)
}

#[test]
fn n_consecutive_member_failures_lapse_a_member() {
    let rule = LapsedRule::default();
    let known = broadcasts(4, &[]);
    for code in [131026, 131009, 131021, 131030] {
        let rows = [failed(1, code), failed(2, code), failed(3, code)];
        let evidence = judge(&rule, clock(60), &known, &rows, None)
            .unwrap_or_else(|| panic!("{code} is a member failure"));
        let ids: Vec<i64> = evidence.iter().map(|e| e.broadcast_id.0).collect();
        assert_eq!(ids, [3, 2, 1], "newest first");
        assert_eq!(evidence[2].at, at(1), "since = the first counted failure");
        assert_eq!(evidence[0].error_class, Some("member"));
        assert_eq!(evidence[0].error_code, Some(code));
    }
    // Only the last N matter: an older success does not save them.
    let rows = [
        in_state(1, DeliveryState::Delivered),
        failed(2, 131026),
        failed(3, 131026),
        failed(4, 131026),
    ];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_some());
}

#[test]
fn fewer_than_n_counted_broadcasts_never_lapse() {
    let rule = LapsedRule::default();
    let known = broadcasts(3, &[]);
    let rows = [failed(1, 131026), failed(2, 131026)];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    assert!(judge(&rule, clock(60), &known, &[], None).is_none());
    let four = LapsedRule {
        broadcasts: 4,
        ..LapsedRule::default()
    };
    let rows = [failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    assert!(judge(&four, clock(60), &known, &rows, None).is_none());
}

#[test]
fn a_delivery_read_or_reply_after_the_failures_clears_it() {
    let rule = LapsedRule::default();
    let known = broadcasts(4, &[]);
    let misses = [failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    for state in [DeliveryState::Delivered, DeliveryState::Read] {
        let mut rows = misses.to_vec();
        rows.push(in_state(4, state));
        assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
        // One in the middle breaks the run as well.
        let rows = [
            failed(1, 131026),
            failed(2, 131026),
            in_state(3, state),
            failed(4, 131026),
        ];
        assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    }
    // A message from the member at or after the first counted failure clears it…
    assert!(judge(&rule, clock(60), &known, &misses, Some(&at(1))).is_none());
    assert!(judge(&rule, clock(60), &known, &misses, Some(&at(5))).is_none());
    // …one from before does not.
    assert!(judge(&rule, clock(60), &known, &misses, Some(&at(0))).is_some());
    // A delivered test send or outage broadcast after the failures also shows the number works.
    let known = broadcasts(4, &[4]);
    let mut rows = misses.to_vec();
    rows.push(in_state(4, DeliveryState::Delivered));
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
}

#[test]
fn sent_but_not_delivered_counts_only_after_min_days() {
    let rule = LapsedRule::default(); // 14 days
    let known = broadcasts(3, &[]);
    let rows = [
        in_state(1, DeliveryState::Sent),
        in_state(2, DeliveryState::Sent),
        failed(3, 131026),
    ];
    // Day 28: broadcast 2 (day 14) was sent 14 days ago exactly, not more: too soon.
    assert!(judge(&rule, clock(28), &known, &rows, None).is_none());
    // Day 29: both are more than 14 days old.
    let evidence = judge(&rule, clock(29), &known, &rows, None).unwrap();
    assert_eq!(evidence[2].state, DeliveryState::Sent);
    assert_eq!(evidence[2].error_class, None);
    assert!(evidence[2].meaning.contains("not delivered after 14 days"));
    // A shorter min_days counts them sooner.
    let week = LapsedRule {
        min_days: 7,
        ..LapsedRule::default()
    };
    assert!(judge(&week, clock(22), &known, &rows, None).is_some());
    // A recent `sent` is skipped, not a success: older misses still decide.
    let known = broadcasts(4, &[]);
    let mut rows = vec![failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    rows.push(in_state(4, DeliveryState::Sent));
    let evidence = judge(&rule, clock(30), &known, &rows, None).unwrap();
    assert_eq!(evidence[0].broadcast_id, BroadcastId(3));
}

#[test]
fn failures_must_span_min_days_however_many_there_are() {
    let rule = LapsedRule::default(); // 3 broadcasts, 14 days
    // Five broadcasts an hour apart one morning, each failing: a bad morning.
    let hour = |i: i64| {
        let t = clock(1) + SignedDuration::from_hours(i);
        crate::db::ts(t)
    };
    let known: HashMap<_, _> = (1..=5)
        .map(|i| (BroadcastId(i), (hour(i), false)))
        .collect();
    let rows: Vec<_> = (1..=5).map(|i| failed(i, 131026)).collect();
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    // The same failures a week apart: three span 14 days, and the run counts.
    let known = broadcasts(5, &[]);
    let evidence = judge(&rule, clock(60), &known, &rows, None).unwrap();
    let ids: Vec<i64> = evidence.iter().map(|e| e.broadcast_id.0).collect();
    assert_eq!(ids, [5, 4, 3], "the run stops growing once it qualifies");
    // Three misses spanning 13 days are not enough; a fourth a day later is.
    let mut known = broadcasts(3, &[]);
    known.insert(BroadcastId(3), (day(2 * GAP + 13), false));
    known.insert(BroadcastId(1), (day(2 * GAP), false));
    known.insert(BroadcastId(2), (day(2 * GAP + 6), false));
    let rows = [failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    known.insert(BroadcastId(4), (day(2 * GAP + 14), false));
    let rows = [
        rows[0].clone(),
        rows[1].clone(),
        rows[2].clone(),
        failed(4, 131026),
    ];
    let evidence = judge(&rule, clock(60), &known, &rows, None).unwrap();
    assert_eq!(evidence.len(), 4);
}

#[test]
fn a_member_never_reached_is_told_apart_from_a_lapsed_one() {
    let rule = LapsedRule::default();
    let known = broadcasts(5, &[]);
    let misses = [failed(2, 131026), failed(3, 131026), failed(4, 131026)];
    // Nothing ever delivered: never reached, with the same evidence.
    let v = verdict(&rule, clock(60), &known, &misses, None).unwrap();
    assert!(v.never_reached);
    assert_eq!(v.evidence.len(), 3);
    // A delivery before the run, even long before: lapsed.
    let mut rows = vec![in_state(1, DeliveryState::Read)];
    rows.extend(misses.iter().cloned());
    let v = verdict(&rule, clock(60), &known, &rows, None).unwrap();
    assert!(!v.never_reached);
    // A further miss between the delivery and the run does not hide it.
    let rows = [
        in_state(1, DeliveryState::Delivered),
        failed(2, 131026),
        failed(3, 131026),
        failed(4, 131026),
        failed(5, 131026),
    ];
    assert!(
        !verdict(&rule, clock(60), &known, &rows, None)
            .unwrap()
            .never_reached
    );
    // Someone who once wrote to the team was reached, whatever the ledger says.
    let v = verdict(&rule, clock(60), &known, &misses, Some(&day(1))).unwrap();
    assert!(!v.never_reached);
}

#[test]
fn never_counted_codes_and_states() {
    let rule = LapsedRule::default();
    let known = broadcasts(6, &[]);
    let never_codes = [
        130429, // throttled
        4, 80007,  // call rate limits
        131056, // pair limit
        131000, 131016, 131057, 1, 2,      // transient
        131047, // outside the window
        131049, // marketing limit
        131048, 368, 131031, 131042, // account
        190, 10, // token
        132000, 132001, // template
        100, 131008, 131051, // invalid request
        131050, // opted out of marketing: an opt-out, never lapsed
    ];
    for code in never_codes {
        // Three member failures with the never-counted one newest: still only
        // the three count, so this is lapsed with evidence 1–3…
        let rows = [
            failed(1, 131026),
            failed(2, 131026),
            failed(3, 131026),
            failed(4, code),
        ];
        let evidence = judge(&rule, clock(60), &known, &rows, None).unwrap();
        assert!(
            evidence.iter().all(|e| e.broadcast_id.0 <= 3),
            "{code} must not be evidence"
        );
        // …and with only two member failures it is not lapsed.
        let rows = [failed(1, 131026), failed(2, code), failed(3, 131026)];
        assert!(
            judge(&rule, clock(60), &known, &rows, None).is_none(),
            "{code} counted"
        );
        let rows = [failed(1, code), failed(2, code), failed(3, code)];
        assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    }
    let not_active = LedgerRow {
        broadcast_id: BroadcastId(2),
        state: DeliveryState::Failed,
        error_code: None,
        sent_at: None,
    };
    for row in [
        not_active,
        in_state(2, DeliveryState::Expired),
        in_state(2, DeliveryState::Queued),
        in_state(2, DeliveryState::Sending),
        in_state(2, DeliveryState::Unknown),
    ] {
        let rows = [failed(1, 131026), row.clone(), failed(3, 131026)];
        assert!(
            judge(&rule, clock(60), &known, &rows, None).is_none(),
            "{row:?} counted"
        );
    }
}

#[test]
fn test_sends_never_count() {
    let rule = LapsedRule::default();
    let known = broadcasts(3, &[2]); // broadcast 2 is a test send
    let rows = [failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
}

fn facts(id: i64, recipients: i64, failures: &[(i64, i64)]) -> BroadcastFacts {
    BroadcastFacts {
        id: BroadcastId(id),
        at: at(id),
        is_test: false,
        recipients,
        failures: failures.to_vec(),
    }
}

#[test]
fn an_outage_counts_for_nobody_and_one_just_under_the_share_counts() {
    let rule = LapsedRule::default();
    let all = [
        facts(1, 10, &[(131026, 6)]),              // 60% with one code: outage
        facts(2, 10, &[(131026, 5)]),              // exactly half: not more than half
        facts(3, 10, &[(131026, 3), (131049, 3)]), // 60% failed, but no one code above half
        facts(4, 1, &[(131026, 1)]),
        BroadcastFacts {
            is_test: true,
            ..facts(5, 1, &[(131026, 1)])
        },
    ];
    let found = outages(&rule, &all);
    let ids: Vec<i64> = found.iter().map(|o| o.broadcast_id.0).collect();
    assert_eq!(ids, [1, 4], "test sends are not listed");
    assert_eq!((found[0].error_code, found[0].failed), (131026, 6));
    assert!(found[0].why.contains("6 of 10"), "{}", found[0].why);
    let lower = LapsedRule {
        outage_share: 0.4,
        ..LapsedRule::default()
    };
    assert_eq!(outages(&lower, &all).len(), 3);

    // Broadcast 1 is excluded: three failures including it are only two counted.
    let known = broadcasts(4, &[1]);
    let rows = [failed(1, 131026), failed(2, 131026), failed(3, 131026)];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
    let rows = [
        failed(1, 131026),
        failed(2, 131026),
        failed(3, 131026),
        failed(4, 131026),
    ];
    let evidence = judge(&rule, clock(60), &known, &rows, None).unwrap();
    let ids: Vec<i64> = evidence.iter().map(|e| e.broadcast_id.0).collect();
    assert_eq!(ids, [4, 3, 2]);
}

#[test]
fn rows_of_unknown_broadcasts_are_ignored() {
    let rule = LapsedRule::default();
    let known = broadcasts(2, &[]);
    let rows = [failed(1, 131026), failed(2, 131026), failed(9, 131026)];
    assert!(judge(&rule, clock(60), &known, &rows, None).is_none());
}

#[test]
fn lapsed_settings_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "").unwrap();
    let config = crate::config::Config::load(Some(&file), None, &|_: &str| None).unwrap();
    assert_eq!(config.lapsed, LapsedRule::default());
    std::fs::write(
        &file,
        "[lapsed]\nbroadcasts = 4\nmin_days = 21\noutage_share = 0.4\n",
    )
    .unwrap();
    let config = crate::config::Config::load(Some(&file), None, &|_: &str| None).unwrap();
    assert_eq!(
        (
            config.lapsed.broadcasts,
            config.lapsed.min_days,
            config.lapsed.outage_share
        ),
        (4, 21, 0.4)
    );
    for (bad, key) in [
        ("broadcasts = 1", "[lapsed] broadcasts"),
        ("min_days = 0", "[lapsed] min_days"),
        ("outage_share = 1.0", "[lapsed] outage_share"),
        ("outage_share = 0.0", "[lapsed] outage_share"),
    ] {
        std::fs::write(&file, format!("[lapsed]\n{bad}\n")).unwrap();
        let err = crate::config::Config::load(Some(&file), None, &|_: &str| None).unwrap_err();
        assert!(format!("{err:#}").contains(key), "{bad}: {err:#}");
    }
}
