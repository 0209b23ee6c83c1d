//! A request for information from start to finish: a throwaway mot asks
//! four sample members "who has stock?" with three options, through the
//! local mock of the WhatsApp Cloud API; three of them answer (by number,
//! by the option's words, and by quoting the message), and `mot replies`
//! shows every answer, the tally and who has not answered.
//!
//! Run with `cargo run --example request_demo`. No WhatsApp account and no
//! network: the mock listens on 127.0.0.1, the folder is deleted at the end,
//! and the members use Ofcom's drama numbers (07700 900xxx).
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;
#[path = "mock_graph/server.rs"]
mod mock;

use std::io::{self, Write};

use mot::exit::Exit;
use serde_json::json;

const SAMPLE: &str = "\
Name,Mobile Number,Job Role,Working Location
Asha Patel,07700 900001,Community pharmacist,\"Riverside Pharmacy, Leeds\"
Ben Okafor,07700 900002,Community pharmacist,Hill Street Pharmacy
Cara Jones,07700 900003,Pharmacy technician,\"Riverside Pharmacy, Leeds\"
Dev Shah,07700 900004,Community pharmacist,Northgate Pharmacy
";

/// Runs one mot command as `mot ARGS…` would, showing the command line first.
fn step(dir: &std::path::Path, args: &[&str]) -> anyhow::Result<Exit> {
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains([' ', '?']) {
                format!("'{a}'")
            } else {
                a.to_string()
            }
        })
        .collect();
    println!("\n$ mot {}", shown.join(" "));
    let mut out = io::stdout().lock();
    let exit = common::mot(dir, args, &mut out)?;
    out.flush()?;
    Ok(exit)
}

/// A WhatsApp text message from `digits`, as Meta's webhook carries it;
/// `context` is the id of our message it quotes, if any.
fn message(id: &str, digits: &str, body: &str, context: Option<&str>) -> Vec<u8> {
    let mut m = json!({
        "from": digits,
        "id": id,
        "timestamp": (jiff::Timestamp::now().as_second() + 5).to_string(),
        "type": "text",
        "text": { "body": body },
    });
    if let Some(wamid) = context {
        m["context"] = json!({ "from": "447700900999", "id": wamid });
    }
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "447700900999", "phone_number_id": mock::DEFAULT_PHONE_NUMBER_ID },
            "contacts": [{ "profile": { "name": "Member" }, "wa_id": digits }],
            "messages": [m],
        }}]}],
    }))
    .expect("JSON")
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let mock = rt.block_on(mock::Mock::start(mock::Options::default()))?;
    let dir = tempfile::tempdir()?;
    println!(
        "mot request demo, in the throwaway folder {}",
        dir.path().display()
    );
    let csv = dir.path().join("members.csv");
    std::fs::write(&csv, SAMPLE)?;
    common::use_mock(
        dir.path(),
        &mock.base_url(),
        mock::DEFAULT_PHONE_NUMBER_ID,
        mock::DEFAULT_TOKEN,
        "",
    );
    let sink = &mut io::sink();
    common::mot(dir.path(), &["init"], sink)?;
    common::mot(
        dir.path(),
        &["members", "import", csv.to_str().unwrap()],
        sink,
    )?;
    println!("four sample members imported");

    let ask = [
        "request",
        "Who has amoxicillin 250mg capsules?",
        "--option",
        "In stock",
        "--option",
        "Out of stock",
        "--option",
        "Can order in",
        "--closes-in",
        "24h",
    ];
    let mut dry = ask.to_vec();
    dry.push("--dry-run");
    step(dir.path(), &dry)?;
    let mut send = ask.to_vec();
    send.push("--yes");
    step(dir.path(), &send)?;

    // Three members answer, as WhatsApp's webhook would bring their messages
    // to `mot webhook serve` (here applied directly to the same database).
    let to_cara = mock
        .received()
        .into_iter()
        .find(|r| r.to == "447700900003")
        .expect("Cara was sent the request")
        .wamid;
    let answers = [
        (
            "wamid.DEMO1",
            "447700900001",
            "1",
            None,
            "Asha replies \"1\"",
        ),
        (
            "wamid.DEMO2",
            "447700900002",
            "out of stock!",
            None,
            "Ben replies \"out of stock!\"",
        ),
        (
            "wamid.DEMO3",
            "447700900003",
            "We can order in by Friday",
            Some(to_cara.as_str()),
            "Cara quotes the request: \"We can order in by Friday\"",
        ),
    ];
    let conn = mot::db::open(&dir.path().join("mot.db"), mot::db::Create::No)?;
    println!();
    for (id, from, body, context, said) in answers {
        println!("{said}");
        mot::webhook::apply_payload(
            &conn,
            &message(id, from, body, context),
            &mot::event::Ours::new(Some(mock::DEFAULT_PHONE_NUMBER_ID), Some("1")),
            mot::event::Source::Webhook,
            jiff::Timestamp::now(),
        )?;
    }
    drop(conn);

    step(dir.path(), &["replies", "1"])?;
    step(dir.path(), &["replies", "1", "--missing"])?;
    step(dir.path(), &["requests", "list"])?;
    println!("\nDone: the throwaway folder is removed.");
    Ok(())
}
