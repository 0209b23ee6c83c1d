//! Benchmark: `mot purge` on a database with a large history, half of it due,
//! then `mot purge --vacuum` (the rebuild a file this large is not given unasked).
//!
//! Run with `cargo run --release --example bench_purge [-- MEMBERS BROADCASTS [KEEP_DIR]]`
//! (default 10,000 members × 200 broadcasts = 2,000,000 delivery rows, 100
//! broadcasts older than a year). Members are numbered from 07700 900000 as in
//! `common::generated_members`. With KEEP_DIR the generated database is left
//! there, unpurged, for timing the binary itself, e.g.
//! `/usr/bin/time -v target/release/mot --db KEEP_DIR/mot.db purge`.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::Path;
use std::time::Instant;

use common::{aged, peak_mib, reset_peak};

fn timed(dir: &Path, args: &[&str]) -> f64 {
    timed_output(dir, args).0
}

fn timed_output(dir: &Path, args: &[&str]) -> (f64, Vec<u8>) {
    let mut out = Vec::new();
    let start = Instant::now();
    common::mot(dir, args, &mut out).expect("mot failed");
    (start.elapsed().as_secs_f64(), out)
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let members: u32 = args.next().map_or(10_000, |s| s.parse().expect("MEMBERS"));
    let broadcasts: u32 = args.next().map_or(200, |s| s.parse().expect("BROADCASTS"));
    let keep = args.next();
    let temp = tempfile::tempdir().unwrap();
    let dir = keep.as_deref().map_or(temp.path(), Path::new);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("config.toml"), "").unwrap();
    timed(dir, &["init"]);
    let db = dir.join("mot.db");

    let start = Instant::now();
    let history = {
        let conn = mot::db::open(&db, mot::db::Create::No).unwrap();
        aged::fill(
            &conn,
            jiff::Timestamp::now(),
            members,
            broadcasts,
            broadcasts / 2,
        )
    };
    eprintln!(
        "generated {} delivery rows ({} due) in {:.1} s; file {:.0} MiB",
        history.deliveries,
        history.due,
        start.elapsed().as_secs_f64(),
        mib(&db)
    );
    if keep.is_some() {
        println!("left unpurged in {}", db.display());
        return;
    }

    println!(
        "| stage | delivery rows | due | seconds | longest batch (ms) | VACUUM (ms) | peak RSS (MiB) | file after (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (stage, args) in [
        (
            "purge --dry-run",
            &["purge", "--dry-run", "--format", "json"][..],
        ),
        ("purge", &["purge", "--format", "json"][..]),
        (
            "purge --vacuum (rebuild asked)",
            &["purge", "--vacuum", "--format", "json"][..],
        ),
        (
            "purge again (nothing due)",
            &["purge", "--format", "json"][..],
        ),
    ] {
        reset_peak();
        let (t, out) = timed_output(dir, args);
        let report: serde_json::Value = serde_json::from_slice(&out).expect("purge's JSON");
        println!(
            "| {stage} | {} | {} | {t:.2} | {} | {} | {:.1} | {:.0} |",
            history.deliveries,
            history.due,
            report["longest_batch_ms"],
            report["file"]["vacuum_ms"],
            peak_mib(),
            mib(&db)
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(aged::stage(&conn, history), aged::Stage::New);
}
