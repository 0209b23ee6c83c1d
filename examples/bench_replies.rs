//! Benchmark: `mot replies` on a request sent to 10,000 members who sent
//! 30,000 messages about it (three each: a number, the option's words, and
//! a free-text reply quoting the request), in every format.
//!
//! Run with `cargo run --release --example bench_replies [-- MEMBERS MESSAGES_EACH]`.
//! Numbers are generated in 07700 900000–999999 (see bench_members.rs);
//! everything stays on the loopback interface.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;
#[path = "mock_graph/server.rs"]
mod mock;

use std::io;
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

fn mot(dir: &Path, args: &[&str]) {
    common::mot(dir, args, &mut io::sink()).expect("mot failed");
}

/// One webhook envelope carrying `messages` (each already has its `from`).
fn envelope(messages: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "447700900999", "phone_number_id": mock::DEFAULT_PHONE_NUMBER_ID },
            "messages": messages,
        }}]}],
    }))
    .unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let members: u32 = args.next().map_or(10_000, |s| s.parse().expect("MEMBERS"));
    let each: u32 = args.next().map_or(3, |s| s.parse().expect("MESSAGES_EACH"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mock = rt
        .block_on(mock::Mock::start(mock::Options::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::with_members(
        dir.path(),
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        mock::DEFAULT_TOKEN,
        "rate_per_second = 1000\nconcurrency = 64",
        members,
    );
    let start = Instant::now();
    mot(
        dir.path(),
        &[
            "request",
            "Who has amoxicillin 250mg capsules?",
            "--option",
            "In stock",
            "--option",
            "Out of stock",
            "--option",
            "Can order in",
            "--yes",
        ],
    );
    let sent = mock.received();
    let send_s = start.elapsed().as_secs_f64();

    // The members answer: applied through the receiver's code, in batches of
    // 100 messages per webhook, one transaction per 10 webhooks.
    let wamid_of: std::collections::HashMap<String, String> = sent
        .iter()
        .map(|r| (r.to.clone(), r.wamid.clone()))
        .collect();
    let t0 = jiff::Timestamp::now().as_second() + 10;
    let words = ["In stock", "Out of stock", "Can order in"];
    let mut all = Vec::new();
    for round in 0..each {
        for i in 0..members {
            let from = format!("447700{:06}", 900_000 + i);
            let id = format!("wamid.BENCH{round}x{i}");
            let at = (t0 + i64::from(round) * 60).to_string();
            let m = match round % 3 {
                0 => json!({ "from": from, "id": id, "timestamp": at, "type": "text",
                             "text": { "body": format!("{}", i % 3 + 1) } }),
                1 => json!({ "from": from, "id": id, "timestamp": at, "type": "text",
                             "text": { "body": words[(i as usize + 1) % 3].to_lowercase() } }),
                _ => json!({ "from": from, "id": id, "timestamp": at, "type": "text",
                             "text": { "body": "We have 3 packs, more on Friday" },
                             "context": { "from": "447700900999", "id": wamid_of[&from] } }),
            };
            all.push(m);
        }
    }
    let total = all.len();
    let conn = mot::db::open(&dir.path().join("mot.db"), mot::db::Create::No).unwrap();
    let start = Instant::now();
    for batch in all.chunks(1000) {
        conn.execute_batch("BEGIN").unwrap();
        for messages in batch.chunks(100) {
            mot::webhook::apply_payload(
                &conn,
                &envelope(messages.to_vec()),
                &mot::event::Ours::new(Some(mock::DEFAULT_PHONE_NUMBER_ID), Some("1")),
                mot::event::Source::Webhook,
                jiff::Timestamp::now(),
            )
            .unwrap();
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    let apply_s = start.elapsed().as_secs_f64();
    let linked: i64 = conn
        .query_row("SELECT count(*) FROM request_replies", [], |r| r.get(0))
        .unwrap();
    drop(conn);

    println!(
        "setup: request sent to {} members in {send_s:.2} s; {total} messages applied in {apply_s:.2} s \
         ({:.0}/s, linking included), {linked} linked",
        sent.len(),
        total as f64 / apply_s
    );
    println!();
    println!("| command | best of 5 (s) | median (s) | output bytes |");
    println!("|---|---|---|---|");
    for args in [
        &["replies", "1"][..],
        &["replies", "1", "--format", "csv"],
        &["replies", "1", "--format", "json"],
        &["replies", "1", "--missing"],
        &["replies", "1", "--all"],
        &["requests", "list"],
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..5 {
            let mut out = Vec::new();
            let start = Instant::now();
            common::mot(dir.path(), args, &mut out).expect("mot failed");
            times.push(start.elapsed().as_secs_f64());
            bytes = out.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| `mot {}` | {:.3} | {:.3} | {bytes} |",
            args.join(" "),
            times[0],
            times[2]
        );
    }
}
