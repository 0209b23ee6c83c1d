//! The README's first command: a throwaway mot with a few sample members,
//! run through the same code as the `mot` binary, printing each step.
//!
//! Run with `cargo run --example quickstart`. Everything lives in a temp
//! directory that is deleted at the end; the sample members use Ofcom's
//! drama numbers (07700 900xxx), which belong to nobody.

use std::io::{self, Write};

use clap::Parser;
use mot::cli::Cli;
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
    println!("\n$ mot {}", args.join(" "));
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
    let mut out = io::stdout().lock();
    let exit = mot::run(Cli::parse_from(argv), &mut out)?;
    out.flush()?;
    Ok(exit)
}

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("members.csv");
    std::fs::write(&csv, SAMPLE)?;
    println!(
        "mot quick start, in the throwaway folder {}",
        dir.path().display()
    );

    step(dir.path(), &["init"])?;
    step(dir.path(), &["members", "import", csv.to_str().unwrap()])?;
    step(
        dir.path(),
        &["members", "list", "--role", "community pharmacist"],
    )?;
    step(dir.path(), &["members", "show", "07700 900002"])?;
    println!("\nDone: the throwaway folder is removed.");
    Ok(())
}
