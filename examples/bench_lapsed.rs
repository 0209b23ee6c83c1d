//! Benchmark: `report lapsed`, `report summary` and `members prune` on a
//! generated database of 10,000 members and 200 broadcasts (2,000,000
//! delivery rows), each with its wall time and peak memory.
//!
//! Run with `cargo run --release --example bench_lapsed [-- MEMBERS BROADCASTS]`.
//! The database is built by `common::ledger::big_ledger` (kept for other
//! benchmarks); nothing touches the network.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::Path;
use std::time::Instant;

use common::ledger::big_ledger;
use common::{peak_mib, reset_peak};
use jiff::Timestamp;

/// CPU time this thread has run so far, in seconds (Linux; NaN elsewhere).
/// The commands measured are synchronous and run on this thread, so on a
/// shared machine this is their cost without the time spent waiting for a core.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// Runs one stage; returns its wall and CPU time and what it wrote on stdout.
fn timed(dir: &Path, args: &[&str]) -> (f64, f64, Vec<u8>) {
    let mut out = Vec::new();
    let cpu = cpu_seconds();
    let start = Instant::now();
    common::mot(dir, args, &mut out).expect("mot failed");
    (start.elapsed().as_secs_f64(), cpu_seconds() - cpu, out)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let members: u32 = args.next().map_or(10_000, |s| s.parse().expect("MEMBERS"));
    let broadcasts: u32 = args.next().map_or(200, |s| s.parse().expect("BROADCASTS"));
    let dir = tempfile::tempdir().unwrap();

    let start = Instant::now();
    let built = big_ledger(dir.path(), members, broadcasts, Timestamp::now());
    let size = std::fs::metadata(dir.path().join("mot.db")).unwrap().len();
    eprintln!(
        "built {} members, {} broadcasts, {} deliveries ({:.0} MiB) in {:.1} s",
        built.members,
        built.broadcasts,
        built.deliveries,
        size as f64 / 1048576.0,
        start.elapsed().as_secs_f64()
    );

    println!("| stage | members | deliveries | wall s | CPU s | peak RSS (MiB) | result |");
    println!("|---|---|---|---|---|---|---|");
    let row = |stage: &str, (t, cpu): (f64, f64), result: String| {
        println!(
            "| {stage} | {} | {} | {t:.3} | {cpu:.3} | {:.1} | {result} |",
            built.members,
            built.deliveries,
            peak_mib()
        );
    };

    reset_peak();
    let (t, cpu, out) = timed(dir.path(), &["report", "lapsed", "--format", "json"]);
    let found: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let n = found.as_array().unwrap().len();
    assert_eq!(
        n as u32, built.lapsed,
        "the report finds the members built lapsed"
    );
    row(
        "report lapsed --format json",
        (t, cpu),
        format!("{n} lapsed"),
    );

    reset_peak();
    let (t, cpu, out) = timed(dir.path(), &["report", "summary", "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(summary["would_be_pruned"], n);
    assert_eq!(summary["outages"], built.outages);
    row(
        "report summary --format json",
        (t, cpu),
        format!(
            "{} broadcasts in 30 days",
            summary["broadcasts"].as_array().unwrap().len()
        ),
    );

    reset_peak();
    let (t, cpu, out) = timed(
        dir.path(),
        &["members", "prune", "--dry-run", "--format", "json"],
    );
    let dry: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(
        dry == found,
        "the dry run lists exactly what the report lists"
    );
    row(
        "members prune --dry-run",
        (t, cpu),
        format!("{n} would be erased"),
    );

    reset_peak();
    let (t, cpu, _) = timed(
        dir.path(),
        &["members", "prune", "--yes", "--format", "json"],
    );
    row("members prune --yes", (t, cpu), format!("{n} erased"));

    reset_peak();
    let (t, cpu, out) = timed(dir.path(), &["report", "lapsed", "--format", "json"]);
    assert!(out == b"[]\n", "nobody is lapsed after the prune");
    row(
        "report lapsed (after prune)",
        (t, cpu),
        "0 lapsed".to_string(),
    );
}
