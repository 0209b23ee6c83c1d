//! Tests of the screen as a whole: worked examples, redaction, context,
//! linear time, and properties over arbitrary text.

use super::context::Scope;
use super::*;
use proptest::prelude::*;

fn context_of(text: &str) -> Context<'_> {
    let words = WordStarts::of(text).letters;
    Context::find(text, &words, &[])
}

fn finding(kind: Kind, severity: Severity) -> Finding {
    Finding {
        kind,
        severity,
        start: 0,
        end: 1,
        reason: String::new(),
    }
}

#[test]
fn nhs_numbers_from_the_worked_examples() {
    assert!(nhs_number_valid("9990000018")); // S = 245, R = 3, C = 8
    assert!(nhs_number_valid("9998765439"));
    assert!(nhs_number_valid("9992222220")); // C = 11 → 0
    assert!(!nhs_number_valid("9990000019")); // should end 8
    assert!(!nhs_number_valid("9991234560")); // C = 10 → invalid
}

#[test]
fn repdigits_and_malformed_input_are_not_nhs_numbers() {
    for d in b'0'..=b'9' {
        let repdigit = String::from_utf8(vec![d; 10]).unwrap();
        assert!(!nhs_number_valid(&repdigit), "{repdigit}");
    }
    for s in [
        "",
        "999000001",
        "99900000180",
        "999 000 0018",
        "999000001a",
        "９９９0000018",
    ] {
        assert!(!nhs_number_valid(s), "{s}");
    }
}

#[test]
fn redaction_marker_names_blocked_kinds_once_in_kind_order() {
    let findings = [
        finding(Kind::PatientName, Severity::Block),
        finding(Kind::DateOfBirth, Severity::Block),
        finding(Kind::NhsNumber, Severity::Block),
        finding(Kind::DateOfBirth, Severity::Block),
        finding(Kind::PhoneNumber, Severity::Warn),
    ];
    assert_eq!(
        redaction_marker(&findings),
        "[removed by mot: contained an NHS number, a date of birth, a person's name or description]"
    );
    assert!(redaction_marker(&findings).starts_with(REDACTION_PREFIX));
}

#[test]
fn redaction_marker_without_blocks_names_the_warnings() {
    let warn = [finding(Kind::Email, Severity::Warn)];
    assert_eq!(
        redaction_marker(&warn),
        "[removed by mot: contained an email address]"
    );
    assert_eq!(
        redaction_marker(&[]),
        "[removed by mot: contained possible personal information]"
    );
}

#[test]
fn verdict_is_the_worst_severity() {
    assert_eq!(verdict(&[]), None);
    let mixed = [
        finding(Kind::Email, Severity::Warn),
        finding(Kind::NhsNumber, Severity::Block),
    ];
    assert_eq!(verdict(&mixed), Some(Severity::Block));
    assert_eq!(verdict(&mixed[..1]), Some(Severity::Warn));
}

#[test]
fn same_span_keeps_the_most_severe_finding() {
    // "MRN" labels the number and is context for it: both scanners flag
    // the same digits; only one finding survives.
    let findings = screen("MRN 9990000018");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, Kind::NhsNumber);
    assert_eq!(findings[0].severity, Severity::Block);
}

#[test]
fn context_words_stand_alone_and_the_longest_wins() {
    let ctx = context_of("Patients; newborn; NHS England; NHS-no; D.O.B: x");
    let words: Vec<(&str, Scope)> = ctx
        .hits
        .iter()
        .map(|&(s, e, scope)| (&ctx.text[s..e], scope))
        .collect();
    assert_eq!(
        words,
        [
            ("NHS", Scope::NhsNumbers),
            ("NHS-no", Scope::Patient),
            ("D.O.B", Scope::Birth)
        ]
    );
}

#[test]
fn context_window_counts_characters() {
    // Two bytes each, and not word characters.
    let pad = "·".repeat(CONTEXT_WINDOW);
    let text = format!("patient{pad}9990000018");
    let digits = text.len() - 10;
    let ctx = context_of(&text);
    assert_eq!(
        ctx.near(digits, text.len(), FOR_NHS_NUMBERS),
        Some("patient")
    );
    let far = format!("patient{pad}·9990000018");
    let ctx = context_of(&far);
    assert_eq!(ctx.near(far.len() - 10, far.len(), FOR_NHS_NUMBERS), None);
}

#[test]
fn repeated_fragments_take_linear_time() {
    // Repetition is where a scanner that rescans the rest of the text
    // from each position goes quadratic (repeated "(0)" once did): 20 kB
    // of each must take milliseconds, not minutes.
    for unit in [
        "0",
        "0 ",
        "1-",
        "(0)",
        "(0",
        "+44 ",
        "a@",
        "@a.",
        "Mr A",
        "12/",
        "DOB 1",
        "nhs ",
        "LS1 ",
        "MRN 1 ",
        "12 March ",
        "9990000018 ",
    ] {
        let text = unit.repeat(20_000 / unit.len());
        let started = std::time::Instant::now();
        let findings = screen(&text);
        assert_well_formed(&text, &findings);
        let took = started.elapsed();
        assert!(took.as_secs() < 2, "{unit:?} took {took:?}");
    }
}

/// Pieces that exercise every scanner's edge: digits and separators,
/// prefixes, keywords, multi-byte and combining characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,14}",
        "[0-9 ()+\\-./:@]{1,12}",
        "[A-Za-z]{1,6}",
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{2013}".to_string()),
        Just("e\u{301}".to_string()),
        Just("👩‍⚕️".to_string()),
        Just("🇬🇧".to_string()),
        Just("\u{202e}".to_string()),
        prop::sample::select(vec![
            "patient ",
            "DOB ",
            "born ",
            "NHS no ",
            "MRN: ",
            "hospital number ",
            "Mrs ",
            "Mr. ",
            "March ",
            "12th ",
            "+44 ",
            "(0)",
            "0044",
            "@nhs.net",
            "LS99 9ZZ",
            "GIR 0AA",
            "SW1A",
            "999 000 0018",
            "9990000018",
            "07700 900",
        ])
        .prop_map(str::to_string),
        "\\PC{0,8}",
    ]
}

fn assert_well_formed(text: &str, findings: &[Finding]) {
    for f in findings {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?} in {text:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(!f.reason.is_empty());
    }
    for pair in findings.windows(2) {
        assert!(pair[0].start <= pair[1].start, "unsorted: {findings:?}");
        assert!((pair[0].start, pair[0].end) != (pair[1].start, pair[1].end));
    }
}

mod forms;
mod health;
mod reading;
mod roles;
mod rosters;
mod round22;
mod round23;
mod round24;
mod round25;
mod round26;
mod round27;
mod round28;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_text(text in any::<String>()) {
        let findings = screen(&text);
        assert_well_formed(&text, &findings);
        let _ = explain(&text, &findings);
    }

    #[test]
    fn never_panics_on_tricky_text(parts in prop::collection::vec(fragment(), 0..40)) {
        let text = parts.concat();
        let findings = screen(&text);
        assert_well_formed(&text, &findings);
        let _ = explain(&text, &findings);
        let _ = redaction_marker(&findings);
    }

    #[test]
    fn word_starts_are_where_starts_word_says(text in "[a-zA-Z0-9 .éŁ’\u{1F600}ß-]{0,60}") {
        let starts = WordStarts::of(&text);
        let every: Vec<usize> = text
            .char_indices()
            .filter(|&(i, c)| c.is_ascii_alphanumeric() && starts_word(&text, i))
            .map(|(i, _)| i)
            .collect();
        let letters: Vec<usize> = every
            .iter()
            .copied()
            .filter(|&i| text.as_bytes()[i].is_ascii_alphabetic())
            .collect();
        prop_assert_eq!(starts.alphanumeric, every);
        prop_assert_eq!(starts.letters, letters);
    }

    #[test]
    fn long_digit_runs_stay_well_formed(run in "[0-9 \\-]{200,2000}") {
        let findings = screen(&run);
        assert_well_formed(&run, &findings);
    }

    #[test]
    fn explain_copes_with_foreign_findings(
        text in "\\PC{0,40}",
        start in 0usize..60,
        len in 0usize..60,
    ) {
        let f = Finding { start, end: start + len, ..finding(Kind::Email, Severity::Warn) };
        let _ = explain(&text, &[f]);
    }

    #[test]
    fn any_valid_nhs_number_written_3_3_4_between_words_is_blocked(
        body in 0u32..1_000_000,
        before in "[A-Za-z ,.]{0,30}",
        after in "[A-Za-z ,.]{0,30}",
    ) {
        let nine = format!("999{body:06}");
        let digits = (0..=9)
            .map(|c| format!("{nine}{c}"))
            .find(|d| nhs_number_valid(d));
        prop_assume!(digits.is_some());
        let d = digits.unwrap();
        let text = format!("{before} {} {} {} {after}", &d[..3], &d[3..6], &d[6..]);
        let findings = screen(&text);
        prop_assert!(
            findings.iter().any(|f| f.kind == Kind::NhsNumber && f.severity == Severity::Block),
            "{text:?}: {findings:?}"
        );
    }

    #[test]
    fn a_person_with_an_age_and_address_blocks_in_any_case_with_or_without_accents(
        name in prop::sample::select(vec![
            "Margaret Hollis", "Siân Pritchard", "Sian Pritchard", "Zoë O'Neill",
            "Zoe O'Neill", "Kwame Mensah", "Łucja Wiśniewska", "Lucja Wisniewska",
        ]),
        case in 0u8..3,
        age in 2u32..100,
        house in 1u32..200,
    ) {
        // No label: a person with an age and an address, as people write it.
        let text = format!("{name} aged {age} at {house} Mill Road needs her warfarin");
        let text = match case {
            0 => text,
            1 => text.to_uppercase(),
            _ => text.to_lowercase(),
        };
        let findings = screen(&text);
        prop_assert!(verdict(&findings) == Some(Severity::Block), "{text:?}: {findings:?}");
    }
}

#[test]
fn a_name_an_institution_has_is_someone_only_with_a_detail() {
    let v = |text: &str| verdict(&screen(text));
    for text in [
        "Marie Curie nurses now do the overnight palliative visits",
        "Alder Hey have a new paediatric morphine protocol",
        "Florence Nightingale Hospice takes referrals for palliative care",
    ] {
        assert_eq!(v(text), None, "{text}");
    }
    for text in [
        "Florence Nightingale, 91, admitted with urosepsis",
        "Florence  Nightingale , 91 , admitted with UTI",
        "Edith Cavell 79yo from bay 4, delirium",
        "Mary Seacole at 4 Sea View Road needs her insulin",
        "James Cook has run out of his apixaban",
    ] {
        assert_eq!(v(text), Some(Severity::Block), "{text}");
    }
    let found = screen("Florence Nightingale aged 90, new dx of dementia");
    let explained = explain("Florence Nightingale aged 90, new dx of dementia", &found);
    assert!(
        explained.contains("a name a hospital or charity also has"),
        "{explained}"
    );
}
