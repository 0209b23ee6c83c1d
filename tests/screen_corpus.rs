//! The screening corpus: messages an MOT really sends or receives, with the
//! verdict and kinds each must produce. Only reserved data: NHS numbers in
//! the 999 test range, Ofcom drama phone numbers, 9ZZ postcodes.

use mot::screen::{Finding, Kind, Severity, explain, screen, verdict};

use Kind::*;
use Severity::{Block, Warn};

type Case = (&'static str, Option<Severity>, &'static [Kind]);

const CASES: &[Case] = &[
    // NHS numbers: 3-3-4 always blocks; context makes any grouping block.
    (
        "NHS number 999 000 0018 needs a repeat",
        Some(Block),
        &[NhsNumber],
    ),
    ("999-000-0018", Some(Block), &[NhsNumber]),
    (
        "Please check 999 876 5439 before Friday",
        Some(Block),
        &[NhsNumber],
    ),
    ("999 000-0018 (mixed separators)", Some(Block), &[NhsNumber]),
    (
        "Ref 999\u{a0}000\u{a0}0018 from the ward",
        Some(Block),
        &[NhsNumber],
    ),
    ("Emoji 👍 999 222 2220 ✅", Some(Block), &[NhsNumber]),
    ("pt 9990000018 needs review", Some(Block), &[NhsNumber]),
    ("NHS: 9992222220", Some(Block), &[NhsNumber]),
    ("nhs no. 9998765439", Some(Block), &[NhsNumber]),
    ("PATIENT NHS NO 999-876-5439", Some(Block), &[NhsNumber]),
    (
        "Patient 999 222 2220, seen today",
        Some(Block),
        &[NhsNumber],
    ),
    ("CHI 9993456780 transferred", Some(Block), &[NhsNumber]),
    (
        "patient 99955 51233 (odd grouping)",
        Some(Block),
        &[NhsNumber],
    ),
    ("Hospital number 999 100 2006", Some(Block), &[NhsNumber]),
    ("MRN 9990000018", Some(Block), &[NhsNumber]),
    // Whole groups of a longer run: a list of numbers, or a number then a dose.
    (
        "NHS numbers: 9990000018 9998765439",
        Some(Block),
        &[NhsNumber],
    ),
    (
        "NHS no 999 000 0018 2 tabs daily",
        Some(Block),
        &[NhsNumber],
    ),
    // A 10-digit reference that passes Mod 11 with no context: a warning,
    // because one number in eleven passes by chance.
    (
        "Order 9998765439 delivered to the hub",
        Some(Warn),
        &[NhsNumber],
    ),
    ("ORD-9995551233 shipped", Some(Warn), &[NhsNumber]),
    ("9990000018", Some(Warn), &[NhsNumber]),
    // Numbers that fail the check, repdigits, longer runs.
    ("NHS number 999 000 0019", None, &[]),
    ("NHS no 999 123 4560", None, &[]),
    ("patient 0000000000 and 1111111111", None, &[]),
    ("card ending 1234 5678 9012 3456", None, &[]),
    ("ORD-2024-0001234567", None, &[]),
    ("Batch 99900000180 recalled", None, &[]),
    ("Ref 9990000018.5 and 1.9990000018", None, &[]),
    ("Code AB9990000018 is a product code", None, &[]),
    // Phone numbers warn and are never NHS numbers.
    ("Call 07700 900123 for stock", Some(Warn), &[PhoneNumber]),
    ("+44 7700 900019", Some(Warn), &[PhoneNumber]),
    ("Ring 0113 496 0018 option 2", Some(Warn), &[PhoneNumber]),
    ("+44 113 496 0018", Some(Warn), &[PhoneNumber]),
    ("(0113) 496 0018", Some(Warn), &[PhoneNumber]),
    ("0044 113 496 0018", Some(Warn), &[PhoneNumber]),
    ("+447700900123", Some(Warn), &[PhoneNumber]),
    ("07700-900-123", Some(Warn), &[PhoneNumber]),
    ("call 07700900019", Some(Warn), &[PhoneNumber]),
    ("020 7946 0999 is the hub line", Some(Warn), &[PhoneNumber]),
    ("+44 (0)7700 900456", Some(Warn), &[PhoneNumber]),
    (
        "NHS 111 or the pharmacy on 0113 496 0018",
        Some(Warn),
        &[PhoneNumber],
    ),
    ("patient can call 07700 900019", Some(Warn), &[PhoneNumber]),
    // Dates: only next to a birth word.
    ("DOB 12/03/1985", Some(Block), &[DateOfBirth]),
    ("D.O.B: 12-03-85", Some(Block), &[DateOfBirth]),
    ("date of birth 12.03.1985", Some(Block), &[DateOfBirth]),
    ("dob 1985-03-12", Some(Block), &[DateOfBirth]),
    ("born 12 March 1985", Some(Block), &[DateOfBirth]),
    ("Date of Birth: 12 Mar 85", Some(Block), &[DateOfBirth]),
    ("born on March 12, 1985", Some(Block), &[DateOfBirth]),
    ("Pt DOB 3rd June 1955", Some(Block), &[DateOfBirth]),
    ("clinic on 12/03", None, &[]),
    ("deliveries resume 04/12/2026", None, &[]),
    ("Patient seen on 12/03/2024 at the hub", None, &[]),
    // Hospital numbers: a token with a digit after a label.
    ("MRN: RX1234567", Some(Block), &[HospitalNumber]),
    ("hospital no 12345678", Some(Block), &[HospitalNumber]),
    ("Unit number: A12345", Some(Block), &[HospitalNumber]),
    ("patient ID #778899", Some(Block), &[HospitalNumber]),
    ("the patient no longer needs it", None, &[]),
    // Postcodes: alone a warning (a pharmacy's own), with context a block.
    (
        "Riverside Pharmacy, LS99 9ZZ, is open",
        Some(Warn),
        &[Postcode],
    ),
    ("Collect from GIR 0AA", Some(Warn), &[Postcode]),
    ("moving to ls999zz next week", Some(Warn), &[Postcode]),
    (
        "Patient address: 12 Main Street, LS99 9ZZ",
        Some(Block),
        &[Postcode],
    ),
    ("resident at SW1A 9ZZ", Some(Block), &[Postcode]),
    (
        "take 2MG at night, 5ML syrup, 10 ML, 500mg, 2.5ml",
        None,
        &[],
    ),
    // ZZ99 (the NHS "no fixed abode" pseudo-postcode) breaks the letter
    // rules twice (second letter Z, inward V): not a postcode.
    ("Temporary resident, ZZ99 3VZ", None, &[]),
    // Email addresses warn.
    (
        "Email mo.team@example.nhs.uk for stock",
        Some(Warn),
        &[Email],
    ),
    (
        "Email jo.bloggs@example.com with NHS number 999 000 0018",
        Some(Block),
        &[NhsNumber, Email],
    ),
    // Names: a title and surname only with patient context; never Dr.
    ("Patient Mr Jones", Some(Block), &[PatientName]),
    ("Pt: Miss K. O'Brien", Some(Block), &[PatientName]),
    (
        "Dr Patel asked about patient Mrs Jane Smith",
        Some(Block),
        &[PatientName],
    ),
    ("Mr Smith from the ICB will call", None, &[]),
    ("Dr Patel at Riverside surgery", None, &[]),
    ("Mrs Smith from NHS England will visit", None, &[]),
    ("mr jones, patient", None, &[]),
    ("patient referred to the MS Clinic", None, &[]),
    // Operational messages that must pass.
    (
        "Bank holiday opening: Monday 26 May 09:00-17.30, closed 25/12",
        None,
        &[],
    ),
    (
        "Who has stock of Ozempic 1mg? Need 3 pens by 17.30",
        None,
        &[],
    ),
    ("Clinic 09:30 to 12:00, room 2", None, &[]),
    (
        "Ozempic 0.25mg/0.5mg pens back in stock from 04/12/2026",
        None,
        &[],
    ),
    (
        "Stock check: 1,200 packs, lot 2024-11-05, expiry 11/2026",
        None,
        &[],
    ),
    ("MDS trays for 28 days: 10 x 2.5ml", None, &[]),
    (
        "Invoice 2024/123456 paid, version 1.2.3 of the formulary",
        None,
        &[],
    ),
    (
        "All patients: the NHS app now shows repeat prescriptions",
        None,
        &[],
    ),
    // Several at once.
    (
        "Hello all,\nPatient: Mrs A Smith\nDOB: 01/02/1960\nNHS no: 999 876 5439\nAddress: LS99 9ZZ",
        Some(Block),
        &[NhsNumber, DateOfBirth, Postcode, PatientName],
    ),
    (
        "Please call the hub on +44 20 7946 0123 or email hub@example.org",
        Some(Warn),
        &[Email, PhoneNumber],
    ),
    (
        "Practice B12345 moves to LS99 9ZZ on 04/12/2026; phone 0113 496 0500",
        Some(Warn),
        &[Postcode, PhoneNumber],
    ),
];

fn kinds(findings: &[Finding]) -> Vec<&'static str> {
    let mut kinds: Vec<&str> = findings.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

#[test]
fn corpus() {
    assert!(CASES.len() >= 60, "the corpus shrank to {}", CASES.len());
    let mut failures = Vec::new();
    for &(text, expected_verdict, expected_kinds) in CASES {
        let findings = screen(text);
        let mut expected: Vec<&str> = expected_kinds.iter().map(|k| k.as_str()).collect();
        expected.sort_unstable();
        if verdict(&findings) != expected_verdict || kinds(&findings) != expected {
            failures.push(format!(
                "text: {text:?}\n  expected {expected_verdict:?} {expected:?}\n  got {:?} {findings:#?}\n{}",
                verdict(&findings),
                explain(text, &findings)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn findings_name_a_span_and_a_reason_without_the_data() {
    let text = "Patient: Mrs A Smith\nDOB: 01/02/1960\nNHS no: 999 876 5439";
    let findings = screen(text);
    assert_eq!(findings.len(), 3, "{findings:#?}");
    for f in &findings {
        let span = &text[f.start..f.end];
        assert!(!f.reason.contains(span), "{f:?} quotes {span:?}");
    }
    assert_eq!(&text[findings[0].start..findings[0].end], "Mrs A Smith");
    assert_eq!(&text[findings[1].start..findings[1].end], "01/02/1960");
    assert_eq!(&text[findings[2].start..findings[2].end], "999 876 5439");
}

/// One case of the second-generation corpus (`tests/data/screen_corpus.txt`).
struct Case2 {
    line: usize,
    expected: Option<Severity>,
    class: String,
    text: String,
}

/// Undoes the corpus file's escapes: `\t`, `\n`, `\r`, `\\` and `\u{XXXX}`.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "bad escape in {raw:?}");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(code).expect("a char"));
            }
            other => panic!("bad escape \\{other:?} in {raw:?}"),
        }
    }
    out
}

fn corpus2() -> Vec<Case2> {
    let file = include_str!("data/screen_corpus.txt");
    let mut cases = Vec::new();
    for (i, line) in file.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (verdict, class, text) = (parts.next(), parts.next(), parts.next());
        let expected = match verdict {
            Some("block") => Some(Block),
            Some("warn") => Some(Warn),
            Some("pass") => None,
            other => panic!("line {}: bad verdict {other:?}", i + 1),
        };
        cases.push(Case2 {
            line: i + 1,
            expected,
            class: class.expect("a class").to_string(),
            text: unescape(text.expect("a text")),
        });
    }
    cases
}

/// Runs the corpus and returns (blocks caught, block cases, traps exact,
/// traps not blocked, traps, per-class lines, failures).
fn score() -> (usize, usize, usize, usize, usize, Vec<String>, Vec<String>) {
    let cases = corpus2();
    let mut classes: Vec<(String, usize, usize)> = Vec::new();
    let (mut caught, mut blocks, mut exact, mut unblocked, mut traps) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let findings = screen(&case.text);
        let got = verdict(&findings);
        let ok = got == case.expected;
        if case.expected == Some(Block) {
            blocks += 1;
            caught += usize::from(ok);
        } else {
            traps += 1;
            exact += usize::from(ok);
            unblocked += usize::from(got != Some(Block));
        }
        match classes.iter_mut().find(|c| c.0 == case.class) {
            Some(c) => {
                c.1 += usize::from(ok);
                c.2 += 1;
            }
            None => classes.push((case.class.clone(), usize::from(ok), 1)),
        }
        if !ok {
            failures.push(format!(
                "line {} [{}] {:?}: expected {:?}, got {:?}\n{}",
                case.line,
                case.class,
                case.text,
                case.expected,
                got,
                explain(&case.text, &findings)
            ));
        }
    }
    let lines = classes
        .iter()
        .map(|(name, ok, n)| format!("{name:>10}: {ok}/{n}"))
        .collect();
    (caught, blocks, exact, unblocked, traps, lines, failures)
}

#[test]
fn second_generation_corpus() {
    let (caught, blocks, exact, unblocked, traps, classes, failures) = score();
    assert!(
        blocks + traps >= 300,
        "the corpus shrank to {}",
        blocks + traps
    );
    assert!(
        traps >= blocks,
        "fewer traps ({traps}) than blocks ({blocks})"
    );
    println!(
        "blocks caught {caught}/{blocks}; traps not blocked {unblocked}/{traps}, exact verdict {exact}/{traps}\n{}",
        classes.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        blocks + traps,
        failures.join("\n")
    );
}
