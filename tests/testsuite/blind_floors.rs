//! Floors the screen keeps on text written without its code in view: the
//! blind corpora (`tests/data/screen_corpus_blind*.txt`), each first
//! scored before anyone read it, with their floors in
//! `tests/data/screen_blind_floors.txt`. A corpus read and tuned against
//! gives a floor, not an estimate: the honest figures are those taken
//! unread (BENCHMARKS.md).

use std::path::Path;

use mot::screen::{Severity, screen, verdict};

use crate::screen_floors::read_corpus;
use Severity::Block;

#[test]
fn blind_corpora_keep_their_floor() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let floors = std::fs::read_to_string(data.join("screen_blind_floors.txt")).expect("floors");
    let mut checked = 0;
    for line in floors.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let name = fields.next().expect("a corpus");
        let floor: usize = fields.next().and_then(|f| f.parse().ok()).expect("a floor");
        let accepted_alarms: Vec<&str> = fields.collect();
        let path = data.join(format!("screen_corpus_{name}.txt"));
        let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let cases = read_corpus(&file);
        let mut caught = 0;
        let mut alarms = Vec::new();
        for case in &cases {
            let got = verdict(&screen(&case.text));
            if case.expected == Some(Block) {
                caught += usize::from(got == Some(Block));
            } else if got.is_some() && !accepted_alarms.contains(&case.class.as_str()) {
                alarms.push(format!("line {}: {:?} {:?}", case.line, got, case.text));
            }
        }
        assert!(
            caught >= floor,
            "{name}: {caught} blocks caught, floor {floor}"
        );
        // One Welsh word ("gael") is also a forename: a warning, never a block.
        let blocked = alarms.iter().filter(|a| a.contains("Some(Block)")).count();
        assert!(blocked == 0 && alarms.len() <= 1, "{name}: {alarms:#?}");
        checked += 1;
    }
    assert_eq!(checked, 65, "every blind corpus has its floor");
}
