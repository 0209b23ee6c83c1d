//! Benchmark: import a generated 100,000-member CSV, then list it in every format.
//!
//! Run with `cargo run --release --example bench_members [-- COUNT]`.
//!
//! The numbers are generated in 07700 900000–999999. Only 900000–900999 is
//! Ofcom's drama range (there are not 100,000 reserved mobiles); the rest of
//! the block is unallocated in libphonenumber's tables. Nothing is sent
//! anywhere: this import and list never touch the network.

use std::io::{self, Write};
use std::time::Instant;

use clap::Parser;
use mot::cli::Cli;

/// The process's peak resident memory since the last reset, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets the peak so each stage reports its own (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mot(dir: &std::path::Path, args: &[&str], out: &mut dyn Write) -> f64 {
    let config = dir.join("config.toml");
    let db = dir.join("mot.db");
    let mut argv = vec![
        "mot",
        "--config",
        config.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    argv.extend_from_slice(args);
    let start = Instant::now();
    mot::run(Cli::parse_from(argv), out).expect("mot failed");
    start.elapsed().as_secs_f64()
}

fn main() {
    let count: u32 = std::env::args()
        .nth(1)
        .map_or(100_000, |s| s.parse().expect("COUNT"));
    assert!(
        count <= 100_000,
        "07700 900000–999999 holds 100,000 numbers"
    );
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("members.csv");
    let mut csv = String::from("Name,Mobile Number,Job Role,Working Location\n");
    let roles = [
        "Community pharmacist",
        "Pharmacy technician",
        "GP practice manager",
        "Practice nurse",
    ];
    for i in 0..count {
        csv.push_str(&format!(
            "Member {i},07700 {:06},{},\"Pharmacy {}, Leeds\"\n",
            900_000 + i,
            roles[i as usize % roles.len()],
            i % 500
        ));
    }
    std::fs::write(&csv_path, &csv).unwrap();
    drop(csv);

    mot(dir.path(), &["init"], &mut io::sink());
    println!("| stage | members | seconds | peak RSS (MiB) |");
    println!("|---|---|---|---|");

    reset_peak();
    let t = mot(
        dir.path(),
        &["members", "import", csv_path.to_str().unwrap()],
        &mut io::sink(),
    );
    println!("| import CSV | {count} | {t:.3} | {:.1} |", peak_mib());

    for format in ["csv", "json", "table"] {
        reset_peak();
        let t = mot(
            dir.path(),
            &["members", "list", "--format", format],
            &mut io::sink(),
        );
        println!(
            "| list --format {format} | {count} | {t:.3} | {:.1} |",
            peak_mib()
        );
    }

    reset_peak();
    let t = mot(
        dir.path(),
        &["members", "import", csv_path.to_str().unwrap()],
        &mut io::sink(),
    );
    println!(
        "| re-import (all skipped) | {count} | {t:.3} | {:.1} |",
        peak_mib()
    );
}
