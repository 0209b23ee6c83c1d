//! Benchmark: webhook ingest (signed status events per second, each stored
//! durably before its 200) and `mot status pull` for 10,000 deliveries
//! against the local mock.
//!
//! Run with `cargo run --release --example bench_receive [-- EVENTS DELIVERIES]`.
//! Numbers are generated in 07700 900000–999999 (see bench_members.rs);
//! everything stays on the loopback interface.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;
#[path = "mock_graph/server.rs"]
mod mock;
#[path = "../tests/testsuite/common/platform.rs"]
mod platform;

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mot::config::{Inbound, Secret};

const SECRET: &str = "bench-app-secret-0001";

/// A mot installation with `members` generated members, pointed at the mock.
fn setup(mock: &mock::Mock, members: u32, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!("rate_per_second = 1000\nconcurrency = 64\n{extra}");
    common::with_members(
        dir.path(),
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        mock::DEFAULT_TOKEN,
        &extra,
        members,
    );
    dir
}

fn mot(dir: &Path, args: &[&str]) {
    common::mot(dir, args, &mut io::sink()).expect("mot failed");
}

fn ingest(rt: &tokio::runtime::Runtime, mock: &mock::Mock, events: usize, clients: usize) {
    let members = (events / 2) as u32;
    let dir = setup(mock, members, "");
    mot(dir.path(), &["send", "Benchmark notice", "--yes"]);
    let sent = mock.received();

    let (tx, rx) = std::sync::mpsc::channel();
    let db = dir.path().join("mot.db");
    let server = std::thread::spawn(move || {
        let opts = mot::webhook::server::Options {
            listen: "127.0.0.1:0".into(),
            app_secret: Secret::new(SECRET),
            verify_token: Secret::new("bench-verify-token"),
            relay_token: None,
            keep_acked: Duration::from_secs(3600),
            ours: mot::event::Ours::new(Some(mock::DEFAULT_PHONE_NUMBER_ID), None),
            replies: Inbound::default(),
            conv: mot::signup::Conversation::default(),
            client: None,
            limits: mot::webhook::server::Limits::default(),
        };
        mot::webhook::server::serve(&db, opts, |addr| tx.send(addr).unwrap()).unwrap();
    });
    let addr = rx.recv().unwrap();

    // Every accepted message gets "sent" then "delivered", each its own signed POST.
    let bodies: Vec<(Vec<u8>, String)> = sent
        .iter()
        .flat_map(|s| ["sent", "delivered"].map(|st| mock::status_webhook(s, st, 1_800_000_000)))
        .map(|v| {
            let body = serde_json::to_vec(&v).unwrap();
            let sig = mot::webhook::verify::sign(SECRET.as_bytes(), &body);
            (body, sig)
        })
        .collect();
    let bodies = Arc::new(bodies);
    let start = Instant::now();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (http, bodies, next) = (http.clone(), bodies.clone(), next.clone());
            let url = format!("http://{addr}/webhook");
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((body, sig)) = bodies.get(i) else {
                        break;
                    };
                    let r = http
                        .post(&url)
                        .header("x-hub-signature-256", sig)
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let acked = start.elapsed().as_secs_f64();
    // Stop the receiver (SIGTERM to ourselves: its handler catches it) and let it finish applying.
    // (On Windows this Ctrl-Break needs the benchmark to lead its own process group.)
    platform::interrupt(std::process::id());
    server.join().unwrap();
    let applied = start.elapsed().as_secs_f64();

    let conn = rusqlite::Connection::open(dir.path().join("mot.db")).unwrap();
    let delivered: i64 = conn
        .query_row(
            "SELECT count(*) FROM deliveries WHERE state = 'delivered'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!(
        "| webhook ingest | {} signed events, {clients} concurrent clients | {acked:.2} s to acknowledge all ({:.0} events/s), {applied:.2} s until all applied | {delivered} of {} deliveries delivered |",
        bodies.len(),
        bodies.len() as f64 / acked,
        sent.len()
    );
}

fn pull(rt: &tokio::runtime::Runtime, deliveries: u32) {
    let opts = mock::Options {
        latency: Duration::from_millis(20),
        ..mock::Options::default()
    };
    let mock = rt.block_on(mock::Mock::start(opts)).unwrap();
    let dir = setup(
        &mock,
        deliveries,
        "[status]\nrate_per_second = 1000\nconcurrency = 64",
    );
    mot(dir.path(), &["send", "Benchmark notice", "--yes"]);
    let start = Instant::now();
    mot(dir.path(), &["status", "pull"]);
    let first = start.elapsed().as_secs_f64();
    let start = Instant::now();
    mot(dir.path(), &["status", "pull"]);
    let second = start.elapsed().as_secs_f64();
    println!(
        "| status pull | {deliveries} deliveries, mock latency 20 ms, 1000/s, 64 in flight | {first:.2} s ({:.0} lookups/s); again (all delivered, still asked): {second:.2} s | {} history requests |",
        f64::from(deliveries) / first,
        mock.history_requests()
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().map_or(20_000, |s| s.parse().expect("EVENTS"));
    let deliveries: u32 = args
        .next()
        .map_or(10_000, |s| s.parse().expect("DELIVERIES"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("| benchmark | load | result | check |");
    println!("|---|---|---|---|");
    let mock = rt
        .block_on(mock::Mock::start(mock::Options::default()))
        .unwrap();
    ingest(&rt, &mock, events, 16);
    pull(&rt, deliveries);
}
