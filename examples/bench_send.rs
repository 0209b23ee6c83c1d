//! Benchmark: broadcast to 10,000 members against the local mock with 50 ms
//! latency at 1000 messages/s, then 1,600 members at 80/s against a mock that
//! throttles above 80/s.
//!
//! Run with `cargo run --release --example bench_send [-- MEMBERS]`.
//!
//! mot runs in this process (the same code as the binary), the mock on its own
//! runtime whose threads are named `mock-worker`; mot's CPU time is the
//! process's minus theirs. Numbers are generated in 07700 900000–999999 (see
//! bench_members.rs); nothing leaves the loopback interface.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;
#[path = "mock_graph/server.rs"]
mod mock;

use std::io;
use std::time::{Duration, Instant, SystemTime};

/// CPU seconds (user + system) from a /proc stat line.
fn cpu_of(stat: &str) -> f64 {
    // Fields after the ")" that ends the command name: utime is 14th, stime 15th overall.
    let rest = &stat[stat.rfind(')').map_or(0, |i| i + 2)..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap_or(0.0) + f[12].parse::<f64>().unwrap_or(0.0);
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// (whole process CPU, CPU of the mock's threads).
fn cpu() -> (f64, f64) {
    let total = cpu_of(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default());
    let mut mock = 0.0;
    for task in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() == "mock-worker" {
            mock += cpu_of(&std::fs::read_to_string(task.path().join("stat")).unwrap_or_default());
        }
    }
    (total, mock)
}

/// The most sends the mock received in any one-second window.
fn max_per_second(mut times: Vec<SystemTime>) -> usize {
    times.sort();
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi].duration_since(times[lo]).unwrap_or_default() >= Duration::from_secs(1) {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

fn run(
    rt: &tokio::runtime::Runtime,
    members: u32,
    rate: u32,
    concurrency: u32,
    latency_ms: u64,
    mock_limit: Option<f64>,
) {
    let opts = mock::Options {
        latency: Duration::from_millis(latency_ms),
        rate_limit: mock_limit,
        ..mock::Options::default()
    };
    let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::with_members(
        dir.path(),
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        mock::DEFAULT_TOKEN,
        &format!("rate_per_second = {rate}\nconcurrency = {concurrency}"),
        members,
    );

    let (cpu0, mock0) = cpu();
    let start = Instant::now();
    common::mot(
        dir.path(),
        &["send", "Benchmark notice", "--yes"],
        &mut io::sink(),
    )
    .unwrap();
    let wall = start.elapsed().as_secs_f64();
    let (cpu1, mock1) = cpu();
    let mot_cpu = (cpu1 - cpu0) - (mock1 - mock0);

    let received = mock.received();
    let times: Vec<SystemTime> = received.iter().map(|r| r.at).collect();
    let first = times.iter().min().copied().unwrap();
    let last = times.iter().max().copied().unwrap();
    let span = last.duration_since(first).unwrap().as_secs_f64();
    let achieved = (received.len() - 1) as f64 / span;
    let dups = mock
        .count_by_recipient()
        .values()
        .filter(|n| **n > 1)
        .count();
    println!(
        "| {members} | {latency_ms} ms | {rate}/s | {concurrency} | {} | {achieved:.0}/s | {:.2} | {} | {wall:.2} s | {:.0} µs | {} | {dups} |",
        mock_limit.map_or("none".to_string(), |l| format!("{l}/s")),
        achieved / f64::from(rate),
        max_per_second(times),
        mot_cpu / f64::from(members) * 1e6,
        mock.throttled(),
    );
}

fn main() {
    let members: u32 = std::env::args()
        .nth(1)
        .map_or(10_000, |s| s.parse().expect("MEMBERS"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("mock-worker")
        .enable_all()
        .build()
        .unwrap();
    println!(
        "| members | mock latency | rate | concurrency | mock limit | achieved | of rate | max in any 1 s | wall | mot CPU/msg | throttled | sent twice |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    run(&rt, members, 1000, 64, 50, None);
    run(&rt, members.min(1_600), 80, 8, 50, Some(80.0));
    println!(
        "\npeak RSS of the whole benchmark process (mot + mock + records): {:.0} MiB",
        common::peak_mib()
    );
}
