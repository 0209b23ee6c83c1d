//! Benchmark: screen about 1 MB of mixed operational text for patient data.
//!
//! Run with `cargo run --release --example bench_screen [-- MEGABYTES]`.
//!
//! The text is notices of the kind an MOT broadcasts (stock, clinics, bank
//! holidays, doses, order numbers, many digits), with some carrying NHS
//! numbers in the 999 test range, Ofcom drama phone numbers, 9ZZ postcodes,
//! dates of birth and email addresses, names with addresses, rows pasted from
//! a spreadsheet, and Unicode look-alikes (full-width digits, invisible and
//! non-breaking spaces) that make the screen fold the text first. It is
//! generated deterministically, so the finding count is the same on every run.
//!
//! A second table times one long line of patient words (the input that once
//! made the explanation quadratic): the screen and the explanation. A third
//! times one long line of colleagues' names with no full stop (the input
//! that once made the search for each name's sentence end quadratic).
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use mot::screen::{explain, nhs_number_valid, screen};

/// A small deterministic generator (an LCG): the same text on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// The first valid NHS test number (999 range) at or after `seed`.
fn nhs_number(seed: u64) -> String {
    (seed..)
        .map(|n| format!("999{:07}", n % 10_000_000))
        .find(|d| nhs_number_valid(d))
        .expect("one in eleven passes")
}

fn notice(rng: &mut Lcg) -> String {
    let n = rng.next(1000);
    let d = nhs_number(rng.next(10_000_000));
    match rng.next(18) {
        0 => format!(
            "Stock update {n}: Ozempic 0.25mg and 1mg pens back in from 04/12/2026; \
             Mounjaro 2.5mg, 5mg, 7.5mg limited. Order ref ORD-2024-{:07}.\n",
            rng.next(10_000_000)
        ),
        1 => format!(
            "Bank holiday opening: Monday 26 May 09:00-17.30, Riverside Pharmacy \
             LS99 9ZZ. Call 0113 496 {:04} for out of hours.\n",
            rng.next(1000)
        ),
        2 => format!(
            "Patient: Mrs A Smith, DOB 0{}/03/1958, NHS no {} {} {}. Address LS99 9ZZ.\n",
            1 + rng.next(9),
            &d[..3],
            &d[3..6],
            &d[6..]
        ),
        3 => format!(
            "Who has stock of Ozempic 1mg? Need {n} pens by 17.30, ring 07700 900{:03} \
             or email stock.team@example.nhs.uk\n",
            rng.next(1000)
        ),
        4 => format!(
            "Clinic list {n}: room 2 at 09:30, room 3 at 12:00, room 4 at 14:15; \
             batch 1234 5678 9012 3456, lot {}-{}-{}\n",
            2020 + rng.next(6),
            rng.next(100),
            rng.next(10_000)
        ),
        5 => format!(
            "MDS trays for 28 days: 10 x 2.5ml, 5ML syrup, 2MG tablets, {n} packs, \
             invoice 2024/{:06}, version 1.{}.{}\n",
            rng.next(1_000_000),
            rng.next(10),
            rng.next(10)
        ),
        6 => format!(
            "Order {d} delivered to the hub; +44 113 496 {:04} for queries.\n",
            rng.next(1000)
        ),
        7 => format!(
            "MRN: RX{:07} seen by Dr Patel at Riverside surgery; Mr Smith from the ICB \
             will call.\n",
            rng.next(10_000_000)
        ),
        8 => "Reminder: the formulary meeting moved to Thursday. Agenda: antimicrobial \
              stewardship, DOAC switching, inhaler carbon footprint, and the new \
              shared care protocol for ADHD medicines.\n"
            .to_string(),
        9 => format!(
            "Please redeliver to Margaret Thornfield, {} Church Lane, PE26 9ZZ; she is \
             aged {} and on warfarin.\n",
            1 + rng.next(200),
            60 + rng.next(40)
        ),
        10 => format!(
            "Thornfield\tMargaret\t{} {} {}\t0{}/07/1944\tLS99 9ZZ\tApixaban 5mg\n",
            &d[..3],
            &d[3..6],
            &d[6..],
            1 + rng.next(9)
        ),
        11 => format!(
            "Stock\u{a0}update {n} \u{2013} caf\u{e9} order \u{ff19}\u{ff19}\u{ff19}\u{200b}{}\u{200b}{} \
             \u{1f44d} ready for collection\n",
            &d[3..6],
            &d[6..]
        ),
        12 => "People born between 1 April 1949 and 31 March 1959 are eligible for the \
               autumn booster; patients over 65 can book at Riverside Pharmacy.\n"
            .to_string(),
        _ => format!(
            "Notice {n}: figures {} {} {} {} {} and {}.{} per cent; totals {}, {}, {}.\n",
            rng.next(100_000),
            rng.next(1_000_000),
            rng.next(10_000),
            rng.next(1000),
            rng.next(100),
            rng.next(100),
            rng.next(100),
            rng.next(10_000_000_000),
            rng.next(100_000_000_000),
            rng.next(1_000_000_000_000)
        ),
    }
}

fn main() {
    let megabytes: f64 = std::env::args()
        .nth(1)
        .map_or(1.0, |s| s.parse().expect("MEGABYTES"));
    let target = (megabytes * 1_000_000.0) as usize;
    let mut rng = Lcg(2026);
    let mut text = String::with_capacity(target + 512);
    while text.len() < target {
        text.push_str(&notice(&mut rng));
    }

    let mut millis = Vec::new();
    let mut findings = 0;
    for _ in 0..5 {
        let start = Instant::now();
        findings = std::hint::black_box(screen(std::hint::black_box(&text))).len();
        millis.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);

    println!("| MB | findings | best ms | median ms |");
    println!("|---|---|---|---|");
    println!(
        "| {:.2} | {findings} | {:.1} | {:.1} |",
        text.len() as f64 / 1_000_000.0,
        millis[0],
        millis[millis.len() / 2]
    );

    // One long line of patient words: linear screen, bounded explanation.
    let line = "Patient Mrs Smith NHS no 999 000 0018 DOB 01/02/1960 ".repeat(6_000);
    let start = Instant::now();
    let found = screen(&line);
    let screened = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let explained = explain(&line, &found);
    let explaining = start.elapsed().as_secs_f64() * 1000.0;
    println!();
    println!("| one line, KB | findings | screen ms | explain ms | explanation bytes |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {} | {screened:.1} | {explaining:.2} | {} |",
        line.len() / 1000,
        found.len(),
        explained.len()
    );

    // One long line of colleagues' names, no full stop: every name asks
    // where its sentence ends (it once read on to the end each time).
    let colleagues = "Kasia from the ICB says hi, ".repeat(20_000);
    let start = Instant::now();
    let found = screen(&colleagues);
    let screened = start.elapsed().as_secs_f64() * 1000.0;
    println!();
    println!("| one line of colleagues, KB | findings | screen ms |");
    println!("|---|---|---|");
    println!(
        "| {} | {} | {screened:.1} |",
        colleagues.len() / 1000,
        found.len()
    );
}
