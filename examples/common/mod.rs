//! What the examples share: running mot in process on a throwaway folder,
//! wiring it to the mock, generating members, and reading memory use.
#![allow(dead_code)] // each example uses a different part

use std::io::Write;
use std::path::Path;

use clap::Parser;
use mot::cli::Cli;
use mot::exit::Exit;

pub mod ledger;

/// Runs `mot ARGS…` in this process (the same code as the binary) with the
/// folder's `config.toml` and `mot.db`.
pub fn mot(dir: &Path, args: &[&str], out: &mut dyn Write) -> anyhow::Result<Exit> {
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
    mot::run(Cli::parse_from(argv), out)
}

/// Writes a file only its owner can read, as mot requires of secrets.
pub fn private_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    mot::platform::make_private(path).unwrap();
}

/// Points the folder's mot at a mock Graph API: its address, a token file
/// holding `token`, the template name, and any `extra` config lines.
pub fn use_mock(dir: &Path, base_url: &str, phone_number_id: &str, token: &str, extra: &str) {
    private_file(&dir.join("token"), token);
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[whatsapp]\napi_base = \"{base_url}\"\nphone_number_id = \"{phone_number_id}\"\ntoken_file = \"token\"\n\n\
             [broadcast]\ntemplate = \"mot_notice\"\n{extra}\n"
        ),
    )
    .unwrap();
}

/// A members CSV of `count` generated members, numbered 07700 900000 upwards.
///
/// Only 07700 900000–900999 is Ofcom's drama range; there are not 100,000
/// reserved mobiles, so larger runs go on into the rest of the 07700 9xxxxx
/// block, which libphonenumber's tables list as unallocated. Nothing made
/// here ever leaves the loopback interface.
pub fn generated_members(count: u32) -> String {
    assert!(
        count <= 100_000,
        "07700 900000–999999 holds 100,000 numbers"
    );
    let roles = [
        "Community pharmacist",
        "Pharmacy technician",
        "GP practice manager",
        "Practice nurse",
    ];
    let mut csv = String::from("Name,Mobile Number,Job Role,Working Location\n");
    for i in 0..count {
        csv.push_str(&format!(
            "Member {i},07700 {:06},{},\"Pharmacy {}, Leeds\"\n",
            900_000 + i,
            roles[i as usize % roles.len()],
            i % 500
        ));
    }
    csv
}

/// Writes a members CSV of up to 1,000,000 generated members to `path`, row
/// by row: the first 100,000 as [`generated_members`], then on round the
/// 07700 block (07700 000000 upwards). Each row is padded with a note
/// column (ignored by the import) to `row_bytes`, so a file of a given size
/// can be made; 0 adds none.
pub fn write_generated_members(path: &Path, count: u32, row_bytes: usize) {
    use std::io::BufWriter;
    assert!(
        count <= 1_000_000,
        "the 07700 block holds 1,000,000 numbers"
    );
    let roles = [
        "Community pharmacist",
        "Pharmacy technician",
        "GP practice manager",
        "Practice nurse",
    ];
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"Name,Mobile Number,Job Role,Working Location,Note\n")
        .unwrap();
    let mut row = String::new();
    for i in 0..count {
        row.clear();
        row.push_str(&format!(
            "Member {i},07700 {:06},{},\"Pharmacy {}, Leeds\",",
            (900_000 + i) % 1_000_000,
            roles[i as usize % roles.len()],
            i % 500
        ));
        let pad = row_bytes.saturating_sub(row.len() + 1);
        row.extend(std::iter::repeat_n('x', pad));
        row.push('\n');
        out.write_all(row.as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// The process's peak resident memory since the last reset, in MiB (Linux).
pub fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets the peak so each stage reports its own (Linux ≥ 4.0).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A ready mot in `dir`: wired to the mock (see [`use_mock`]; `extra` lines
/// land in `[broadcast]` unless they open a section), with `members`
/// generated members imported.
pub fn with_members(
    dir: &Path,
    base_url: &str,
    phone_number_id: &str,
    token: &str,
    extra: &str,
    members: u32,
) {
    use_mock(dir, base_url, phone_number_id, token, extra);
    let csv = dir.join("members.csv");
    std::fs::write(&csv, generated_members(members)).unwrap();
    let sink = &mut std::io::sink();
    mot(dir, &["init"], sink).expect("mot init");
    mot(dir, &["members", "import", csv.to_str().unwrap()], sink).expect("mot members import");
}
pub mod aged;
