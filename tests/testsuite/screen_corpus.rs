//! The screening corpus: messages an MOT really sends or receives, with the
//! verdict and kinds each must produce. Only reserved data: NHS numbers in
//! the 999 test range, Ofcom drama phone numbers, 9ZZ postcodes.

use mot::screen::{Finding, Kind, MAX_EXPLAINED, Severity, explain, screen, verdict};

use crate::screen_floors::{Case2, read_corpus, unescape};
use proptest::prelude::*;

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
        "Ref 9998765439 delivered to the hub",
        Some(Warn),
        &[NhsNumber],
    ),
    // Labelled as an order's (not written 3-3-4): no NHS number at all.
    ("Order 9998765439 delivered to the hub", None, &[]),
    ("ORD-9995551233 shipped", Some(Warn), &[NhsNumber]),
    ("9990000018", Some(Warn), &[NhsNumber]),
    // Numbers that fail the check, repdigits, longer runs.
    ("NHS number 999 000 0019", Some(Block), &[NhsNumber]),
    ("NHS no 999 123 4560", Some(Block), &[NhsNumber]),
    ("patient 0000000000 and 1111111111", None, &[]),
    ("card ending 1234 5678 9012 3456", None, &[]),
    ("ORD-2024-0001234567", None, &[]),
    ("Batch 99900000180 recalled", None, &[]),
    ("Ref 9990000018.5 and 1.9990000018", None, &[]),
    ("Code AB9990000018 is a product code", None, &[]),
    // Phone numbers warn and are never NHS numbers.
    ("Call 07700 900123 for stock", None, &[]),
    ("+44 7700 900019", None, &[]),
    ("Ring 0113 496 0018 option 2", None, &[]),
    ("+44 113 496 0018", None, &[]),
    ("(0113) 496 0018", None, &[]),
    ("0044 113 496 0018", None, &[]),
    ("+447700900123", None, &[]),
    ("07700-900-123", None, &[]),
    ("call 07700900019", None, &[]),
    ("020 7946 0999 is the hub line", None, &[]),
    ("+44 (0)7700 900456", None, &[]),
    ("NHS 111 or the pharmacy on 0113 496 0018", None, &[]),
    ("patient can call 07700 900019", None, &[]),
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
    ("Riverside Pharmacy, LS99 9ZZ, is open", None, &[]),
    ("Collect from GIR 0AA", None, &[]),
    ("moving to ls999zz next week", None, &[]),
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
    ("Email mo.team@example.nhs.uk for stock", None, &[]),
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
    ("mr jones, patient", Some(Block), &[PatientName]),
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
        None,
        &[],
    ),
    (
        "Practice B12345 moves to LS99 9ZZ on 04/12/2026; phone 0113 496 0500",
        None,
        &[],
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
        // The kinds named must be found; a combination may name more parts.
        let found = kinds(&findings);
        let named = expected.iter().all(|k| found.contains(k));
        if verdict(&findings) != expected_verdict
            || !named
            || (expected.is_empty() && !found.is_empty())
        {
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

fn corpus2() -> Vec<Case2> {
    read_corpus(include_str!("../data/screen_corpus.txt"))
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

/// The blind corpora (issue 20), written by people who had not read the
/// screen: each keeps at least the blocks it catches today and every
/// ordinary message passes, except the classes named as accepted alarms
/// (blocks or warnings, each with its reason in the corpus's header). Figures on a corpus the
/// screen was tuned against are a floor, not an estimate (the files'
/// headers give the unseen first-run figures).
fn mot_screen(args: &[&str], stdin: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("mot")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("MOT_CONFIG", dir.path().join("config.toml"))
        .env("MOT_DB", dir.path().join("mot.db"))
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap()
}

#[test]
fn one_long_line_of_patient_words_gives_linear_output() {
    // Issue 9, item 12: a 300 KB line aborted asking for 4.9 GB; 30 KB
    // printed 29 MB. The table shows at most MAX_EXPLAINED windows; JSON
    // lists every finding and no explanation.
    let line = "Patient Mrs Smith NHS no 999 000 0018 DOB 01/02/1960 ".repeat(6_000);
    assert!(line.len() > 300_000);
    let table = mot_screen(&["screen", "-"], &line);
    assert_eq!(table.status.code(), Some(4));
    let shown = String::from_utf8(table.stdout).unwrap();
    assert!(shown.len() < 300 * MAX_EXPLAINED, "{} bytes", shown.len());
    assert!(shown.contains("more finding(s) not shown"), "{shown:.400}");

    let json = mot_screen(&["screen", "--format", "json", "-"], &line);
    assert_eq!(json.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap().len();
    assert!(findings >= 3 * 6_000, "{findings} findings");
    assert!(
        json.stdout.len() < 300 * findings,
        "{} bytes of JSON for {findings} findings",
        json.stdout.len()
    );
    assert!(!String::from_utf8_lossy(&json.stdout).contains("line 1:"));
}

/// Adversarial units: each repeated makes one finding (or a near miss) per
/// few bytes, where a scanner that looks back or ahead from every position
/// goes quadratic.
const ADVERSARIAL: &[&str] = &[
    "Mrs Smith 8 Mill Road ",
    "Margaret Thornfield, ",
    "a, 01/02/1960, LS99 9ZZ\t",
    "999 . 000 . 0018 ",
    "9\u{200b}",
    "\u{ff19}",
    "hosp no 1234567 ",
    "ward 1 bed 2 ",
    "born between ",
    "aged 88 ",
    "https://x.example/?a=9990000018 ",
    "St James's number ",
    "Mr ",
];

#[test]
fn findings_and_explanation_grow_linearly_with_adversarial_input() {
    for unit in ADVERSARIAL {
        let unit = unescape(unit);
        let small = unit.repeat(1_000);
        let large = unit.repeat(4_000);
        let (fs, fl) = (screen(&small), screen(&large));
        // Four times the text: at most about four times the findings (one
        // unit more at a boundary), and the explanation stays capped.
        assert!(
            fl.len() <= 4 * fs.len() + 4,
            "{unit:?}: {} then {} findings",
            fs.len(),
            fl.len()
        );
        let (es, el) = (explain(&small, &fs), explain(&large, &fl));
        assert!(
            el.len() <= es.len().max(1) * 2 + 400 && el.len() < 300 * MAX_EXPLAINED,
            "{unit:?}: explanation {} then {} bytes",
            es.len(),
            el.len()
        );
        for f in &fl {
            assert!(large.is_char_boundary(f.start) && large.is_char_boundary(f.end));
        }
    }
}

/// The block cases of the corpus, for the property tests.
fn block_texts() -> Vec<String> {
    corpus2()
        .into_iter()
        .filter(|c| c.expected == Some(Block))
        .map(|c| c.text)
        .collect()
}

/// `text` with a zero-width character inserted before each char whose
/// index is in `at` (cycling through several invisible characters).
fn with_invisibles(text: &str, at: &[usize]) -> String {
    const INVISIBLE: [char; 5] = ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if at.contains(&n) {
            out.push(INVISIBLE[n % INVISIBLE.len()]);
        }
        out.push(c);
    }
    out
}

/// `text` with some ASCII digits (those whose index is in `at`, or all when
/// `all`) written full width.
fn with_full_width_digits(text: &str, at: &[usize], all: bool) -> String {
    text.chars()
        .enumerate()
        .map(|(n, c)| match c.to_digit(10) {
            Some(d) if c.is_ascii() && (all || at.contains(&n)) => {
                char::from_u32(0xff10 + d).unwrap()
            }
            _ => c,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn invisible_characters_never_turn_a_block_into_a_pass(
        case in 0usize..1000,
        at in prop::collection::vec(0usize..120, 1..12),
    ) {
        let texts = block_texts();
        let text = &texts[case % texts.len()];
        let hidden = with_invisibles(text, &at);
        let findings = screen(&hidden);
        prop_assert_eq!(verdict(&findings), Some(Block), "{:?}", hidden);
        for f in &findings {
            prop_assert!(hidden.is_char_boundary(f.start) && hidden.is_char_boundary(f.end));
        }
    }

    #[test]
    fn full_width_digits_never_turn_a_block_into_a_pass(
        case in 0usize..1000,
        at in prop::collection::vec(0usize..120, 0..20),
        all in any::<bool>(),
    ) {
        let texts = block_texts();
        let text = &texts[case % texts.len()];
        let wide = with_full_width_digits(text, &at, all);
        let findings = screen(&wide);
        prop_assert_eq!(verdict(&findings), Some(Block), "{:?}", wide);
        for f in &findings {
            prop_assert!(wide.is_char_boundary(f.start) && wide.is_char_boundary(f.end));
        }
    }

    #[test]
    fn never_panics_and_spans_lie_on_char_boundaries(text in any::<String>()) {
        let findings = screen(&text);
        for f in &findings {
            prop_assert!(f.start < f.end && f.end <= text.len(), "{:?}", f);
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        let _ = explain(&text, &findings);
    }
}
