//! Medicines as a busy pharmacist shortens them: "pregab", "sertra",
//! "lansop", "clarithro". A word no list knows that opens a long clinical
//! word is that word cut short.

use std::sync::OnceLock;

/// The single words of `clinical.txt` long enough to be cut short and no
/// ordinary English ("pregabalin", not "transfusion": "transf" is a
/// staff transfer, "contr" a contract), in the file's (byte) order.
fn long_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("clinical.txt")
            .lines()
            .map(str::trim)
            .filter(|w| w.len() >= SHORTEST + 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
            .filter(|w| {
                let entry = super::entry(w);
                !entry.english && !entry.common
            })
            .collect()
    })
}

/// The fewest letters a shortened word keeps: "pregab", "sertra", not
/// "amox" or "insta" (Instagram before it is Instanyl).
const SHORTEST: usize = 6;

/// True when `folded` (lower case, a word of no list) is the start of a
/// clinical word at least two letters longer.
pub(in crate::screen) fn shortens_a_clinical_word(folded: &str) -> bool {
    if folded.len() < SHORTEST || !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let words = long_words();
    // Past the word itself, which may be listed ("clarithro").
    let at = words.partition_point(|w| *w <= folded);
    words
        .get(at)
        .is_some_and(|w| w.starts_with(folded) && w.len() >= folded.len() + 2)
}

#[cfg(test)]
mod tests {
    use super::shortens_a_clinical_word;

    #[test]
    fn a_medicine_cut_short_is_read_but_not_a_short_stem() {
        for w in ["pregab", "sertra", "clarithro", "mirtaz"] {
            assert!(shortens_a_clinical_word(w), "{w}");
        }
        for w in [
            "pro",
            "amox",
            "insta",
            "transf",
            "pregabalin",
            "zzzzzz",
            "Pregab",
        ] {
            assert!(!shortens_a_clinical_word(w), "{w}");
        }
    }

    #[test]
    fn the_clinical_list_is_in_byte_order_for_the_search() {
        let text = include_str!("clinical.txt");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(lines.windows(2).all(|p| p[0] <= p[1]));
    }
}
