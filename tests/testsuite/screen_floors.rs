//! Floors the screen keeps on the probes hostile reviews wrote against its
//! exemptions (`tests/data/screen_hostile.txt`), and the reading of corpus
//! files in the `VERDICT CLASS TEXT` form that every corpus test shares
//! (the blind corpora's floors are in `blind_floors`).

use mot::screen::{Severity, screen, verdict};

use Severity::{Block, Warn};

/// One case of the second-generation corpus (`tests/data/screen_corpus.txt`).
pub(crate) struct Case2 {
    pub(crate) line: usize,
    pub(crate) expected: Option<Severity>,
    pub(crate) class: String,
    pub(crate) text: String,
}

/// Undoes the corpus file's escapes: `\t`, `\n`, `\r`, `\\` and `\u{XXXX}`.
pub(crate) fn unescape(raw: &str) -> String {
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

/// The cases of a corpus file in the `VERDICT CLASS TEXT` form.
pub(crate) fn read_corpus(file: &str) -> Vec<Case2> {
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

/// The probes hostile reviews wrote to make the screen's exemptions hide a
/// patient (`tests/data/screen_hostile.txt`): an exemption widened later
/// must not re-open a hole one of them found. Floors, not accuracy: the
/// probes were written against the rules. A patient probe that warns still
/// asks the operator; one that passes silently does not, so the probes
/// flagged (blocked or warned) have a floor too.
#[test]
fn hostile_probes_stay_blocked() {
    let cases = read_corpus(include_str!("../data/screen_hostile.txt"));
    let (mut caught, mut flagged, mut patients, mut stopped) = (0, 0, 0, 0);
    for case in &cases {
        let findings = screen(&case.text);
        let blocked = verdict(&findings) == Some(Block);
        if case.expected == Some(Block) {
            patients += 1;
            caught += usize::from(blocked);
            flagged += usize::from(!findings.is_empty());
        } else {
            stopped += usize::from(blocked);
        }
    }
    assert_eq!((cases.len(), patients), (3083, 1996));
    assert!(
        caught >= 1560,
        "{caught} of {patients} hostile probes blocked, floor 1560"
    );
    assert!(
        flagged >= 1689,
        "{flagged} of {patients} hostile probes blocked or warned, floor 1689"
    );
    assert!(
        stopped <= 153,
        "{stopped} ordinary probes blocked, ceiling 153"
    );
}
