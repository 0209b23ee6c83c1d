//! Patient names: a title and a capitalised surname near patient context.
//!
//! Staff are named in notices all the time ("Mr Smith from the ICB will
//! call"), so a titled name alone is no finding; and `Dr` is never a
//! patient's title here.

use super::{Context, FOR_PATIENT_DATA, Finding, Kind, Severity, match_phrase};

/// Titles that may introduce a patient, lowercase.
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx"];

/// At most this many capitalised words after a title: "Mrs Jane A Smith".
const MAX_NAME_WORDS: usize = 3;

/// Blocks a title and capitalised name near patient context.
pub(super) fn scan_patient_names(
    text: &str,
    words: &[usize],
    context: &Context,
    out: &mut Vec<Finding>,
) {
    let mut next = 0;
    for &i in words {
        if i < next {
            continue;
        }
        let Some(title_end) = title_end(text, i) else {
            continue;
        };
        let Some(end) = name_end(text, title_end) else {
            continue;
        };
        next = end;
        if let Some(word) = context.near(i, end, FOR_PATIENT_DATA) {
            out.push(Finding {
                kind: Kind::PatientName,
                severity: Severity::Block,
                start: i,
                end,
                reason: format!(
                    "patient name: \"{}\" and a surname near \"{word}\"",
                    &text[i..title_end]
                ),
            });
        }
    }
}

/// The end of a title at `i`, in any case, except that "MS" in capitals is
/// multiple sclerosis far more often than a title ("patient at the MS Clinic").
pub(super) fn title_end(text: &str, i: usize) -> Option<usize> {
    let end = TITLES.iter().find_map(|t| match_phrase(text, i, t))?;
    (&text[i..end] != "MS").then_some(end)
}

/// After a title (and an optional `.`), one space, then 1..=3 capitalised
/// words (`Smith`, `O'Brien`, `Smith-Jones`, `J.`) joined by single spaces.
/// Returns the end of the last word.
pub(super) fn name_end(text: &str, title_end: usize) -> Option<usize> {
    let mut at = title_end + usize::from(text.as_bytes().get(title_end) == Some(&b'.'));
    let mut end = None;
    for _ in 0..MAX_NAME_WORDS {
        if !text[at..].starts_with(' ') {
            break;
        }
        let word_start = at + 1;
        let mut chars = text[word_start..].char_indices();
        if !chars.next().is_some_and(|(_, c)| c.is_uppercase()) {
            break;
        }
        let len = chars
            .find(|&(_, c)| !(c.is_alphabetic() || c == '\'' || c == '-'))
            .map_or(text.len() - word_start, |(j, _)| j);
        let mut word_end = word_start + len;
        if text[word_end..].starts_with('.') && len == 1 {
            word_end += 1; // an initial: "J."
        }
        end = Some(word_end);
        at = word_end;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<&str> {
        let title = TITLES
            .iter()
            .filter_map(|t| match_phrase(text, 0, t))
            .max()?;
        name_end(text, title).map(|end| &text[..end])
    }

    #[test]
    fn titled_names() {
        assert_eq!(name("Mrs Smith, please"), Some("Mrs Smith"));
        assert_eq!(
            name("Mr. J. O'Brien-Jones is"),
            Some("Mr. J. O'Brien-Jones")
        );
        assert_eq!(
            name("MISS Jane Ann Smith Jones"),
            Some("MISS Jane Ann Smith")
        );
        assert_eq!(name("Mx Öztürk"), Some("Mx Öztürk"));
    }

    #[test]
    fn not_titled_names() {
        for t in [
            "Mr smith",
            "Mrs  Smith",
            "Dr Patel",
            "Mrsmith",
            "Missed Call",
            "Mr",
        ] {
            assert_eq!(name(t), None, "{t}");
        }
    }
}
