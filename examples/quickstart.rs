//! The README's first command: a throwaway mot with a few sample members
//! sends a broadcast to the local mock of the WhatsApp Cloud API, through the
//! same code as the `mot` binary, printing each step.
//!
//! Run with `cargo run --example quickstart`. No WhatsApp account and no
//! network: the mock listens on 127.0.0.1, everything lives in a temp
//! directory that is deleted at the end, and the sample members use Ofcom's
//! drama numbers (07700 900xxx), which belong to nobody.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod common;
#[path = "mock_graph/server.rs"]
mod mock;

use std::io::{self, Write};

use mot::exit::Exit;

const SAMPLE: &str = "\
Name,Mobile Number,Job Role,Working Location
Asha Patel,07700 900001,Community pharmacist,\"Riverside Pharmacy, Leeds\"
Ben Okafor,+44 7700 900002,GP practice manager,Hill Street Surgery
Cara Jones,0044 7700 900003,Pharmacy technician,\"Riverside Pharmacy, Leeds\"
Dev Shah,07700-900-004,Community pharmacist,Northgate Pharmacy
";

/// Runs one mot command as `mot ARGS…` would, showing the command line first.
fn step(dir: &std::path::Path, args: &[&str]) -> anyhow::Result<Exit> {
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains([' ', '\n']) {
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

fn main() -> anyhow::Result<()> {
    // The mock plays WhatsApp: member 07700 900004 is "not on WhatsApp" (131026).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let mut opts = mock::Options {
        latency: std::time::Duration::from_millis(40),
        ..mock::Options::default()
    };
    opts.fail.insert("447700900004".to_string(), 131026);
    // ...and Ben has already read the notice by the time we ask.
    opts.history
        .insert("447700900002".to_string(), mock::Outcome::Read);
    let mock = rt.block_on(mock::Mock::start(opts))?;

    let dir = tempfile::tempdir()?;
    println!(
        "mot quick start, in the throwaway folder {}",
        dir.path().display()
    );
    println!(
        "a mock of the WhatsApp Cloud API is listening on {}",
        mock.base_url()
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
    println!("config.toml names the mock, a token file (mode 0600) and the message template");

    step(dir.path(), &["init"])?;
    step(dir.path(), &["members", "import", csv.to_str().unwrap()])?;
    step(dir.path(), &["members", "list"])?;
    let notice = "Amoxicillin 250mg capsules: supply disruption until Friday.\n\n\
                  Use the 500mg strength where appropriate.";
    step(dir.path(), &["send", notice, "--dry-run"])?;
    let exit = step(dir.path(), &["send", notice, "--yes"])?;
    println!(
        "(exit code {}: 3 means it finished, but some recipients failed)",
        exit.code()
    );
    step(dir.path(), &["broadcasts", "list"])?;
    step(dir.path(), &["status", "pull"])?;
    step(dir.path(), &["report", "broadcast", "1"])?;
    println!(
        "\nThe mock received {} message(s): one per member it could reach.",
        mock.received().len()
    );
    println!("Done: the throwaway folder is removed.");
    Ok(())
}
