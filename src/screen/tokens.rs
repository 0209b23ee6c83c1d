//! The words of a text, each folded and looked up once: the person, place
//! and clinical recognisers all read a text word by word, and looking every
//! word up once for all of them (one probe answers name and clinical word
//! alike) is most of what reading it costs.

use std::borrow::Cow;

use super::lexicon::{self, Entry, fold_lowered};
use super::{clinical, one_of, person};

/// One word of the text ([`clinical::words`]'s definition of a word).
pub(super) struct Token<'t> {
    pub(super) start: usize,
    pub(super) text: &'t str,
    /// As the lexicon holds words: see [`lexicon::fold`].
    pub(super) folded: Cow<'t, str>,
    /// What the lexicon says of it; nothing for a word that starts with a
    /// digit ("2024", "5mg"), which no name does.
    pub(super) entry: Entry,
    /// A medicine, condition, care word or dose ([`clinical::is_clinical_word`]).
    pub(super) clinical: bool,
}

/// A text with its ASCII letters lower-cased, made once: most words'
/// foldings are cut from it (a word in capitals would otherwise be copied).
pub(super) struct LowerCase(String);

impl LowerCase {
    pub(super) fn of(text: &str) -> LowerCase {
        LowerCase(text.to_ascii_lowercase())
    }
}

/// Every word of `text` (`lower` is [`LowerCase::of`] it), in order.
pub(super) fn tokens<'t>(text: &'t str, lower: &'t LowerCase) -> Vec<Token<'t>> {
    let lower = lower.0.as_str();
    debug_assert_eq!(text.len(), lower.len(), "the lower case of this text");
    // About one word in six bytes of a message: room for them all at once
    // rather than growing (and copying) the list as it fills.
    let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
    tokens.extend(clinical::words(text).map(|(start, word)| {
        let folded = fold_lowered(word, &lower[start..start + word.len()]);
        let no_name =
            word.starts_with(|c: char| c.is_ascii_digit()) || person::no_latin_reading(word);
        let entry = if no_name {
            Entry::of_number(&folded)
        } else {
            lexicon::entry(&folded)
        };
        // "his pregab": a word no list knows, cut from a medicine's name.
        let known = entry.forename || entry.surname || entry.common || entry.english || entry.place;
        let clinical = clinical::is_clinical_entry(&folded, entry.clinical)
            || !known && lexicon::shortens_a_clinical_word(&folded)
            || clinical::in_another_script(word);
        Token {
            start,
            text: word,
            folded,
            entry,
            clinical,
        }
    }));
    mark_phrases(text, &mut tokens);
    mark_eponyms(text, &mut tokens);
    for i in 0..tokens.len() {
        let next = tokens.get(i + 1).map(|n| n.text);
        if clinical::condition_in_capitals(tokens[i].text, next)
            || clinical::in_hospital(text, &tokens, i)
        {
            tokens[i].clinical = true;
        }
    }
    unmark_team_names(text, &mut tokens);
    tokens
}

/// Unmarks "medicines" in a medicines team's name ("Medicines Optimisation
/// Team", "medicines management"): the team's signature is no one's health.
fn unmark_team_names(text: &str, tokens: &mut [Token]) {
    for i in 1..tokens.len() {
        let (medicines, team) = (&tokens[i - 1], &tokens[i]);
        // Most words are not clinical: asked first, it turns them away.
        let named = medicines.clinical
            && one_of(&medicines.folded, &["medicines", "medicine", "meds"])
            && one_of(
                &team.folded,
                &["optimisation", "optimization", "management"],
            )
            && text[medicines.end()..team.start] == *" ";
        if named {
            tokens[i - 1].clinical = false;
        }
    }
}

/// Marks a condition named with its "'s" as clinical where it stands as
/// one: before a clinical word or what is said of a condition ("Addison's
/// steroid card", "Parkinson's UK"), not after a first name or before an
/// age ("margaret addison's apixaban", "Addison's, 7,").
fn mark_eponyms(text: &str, tokens: &mut [Token]) {
    for i in 0..tokens.len() {
        if !clinical::eponymous_condition(tokens[i].text) {
            continue;
        }
        let after_a_forename = i > 0 && tokens[i - 1].entry.forename;
        let condition_next = tokens.get(i + 1).is_some_and(|n| {
            text[tokens[i].end()..n.start] == *" "
                && (n.clinical || clinical::SAID_OF_A_CONDITION.contains(&n.folded))
        });
        if condition_next && !after_a_forename {
            tokens[i].clinical = true;
        }
    }
}

/// Marks the words of clinical phrases written with spaces ("eating
/// disorder", "end of life care") as clinical: the lists write them with
/// hyphens, and neither word alone need be clinical.
fn mark_phrases(text: &str, tokens: &mut [Token]) {
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].entry.opens_phrase {
            i += 1;
            continue;
        }
        // The words that continue a phrase, one space apart, as many as a
        // phrase holds.
        let mut words = [""; lexicon::MAX_PHRASE_WORDS];
        words[0] = tokens[i].folded.as_ref();
        let mut len = 1;
        for next in &tokens[i + 1..] {
            let previous = &tokens[i + len - 1];
            if len == words.len()
                || !lexicon::continues_phrase(&next.folded)
                || text[previous.end()..next.start] != *" "
            {
                break;
            }
            words[len] = next.folded.as_ref();
            len += 1;
        }
        let n = lexicon::phrase_at(&words[..len]);
        for t in &mut tokens[i..i + n] {
            t.clinical = true;
        }
        i += n.max(1);
    }
}

impl Token<'_> {
    /// Where the word ends.
    pub(super) fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// How a word is written: what a name's capitals look like.
pub(super) struct Shape {
    /// Starts with a capital.
    pub(super) capital: bool,
    /// Two or more chars, every letter a capital.
    pub(super) all_caps: bool,
    /// A capital and then no capital letter ("Kath", not "RAs").
    pub(super) title_case: bool,
}

/// The [`Shape`] of `word`: read as bytes when it is ASCII (nearly every
/// word), else char by char.
pub(super) fn shape(word: &str) -> Shape {
    let b = word.as_bytes();
    // One pass: a small letter anywhere, a capital after the first byte.
    let (mut small, mut capital_after) = (false, false);
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii() {
            return shape_of_chars(word);
        }
        small |= c.is_ascii_lowercase();
        capital_after |= i > 0 && c.is_ascii_uppercase();
    }
    let capital = b.first().is_some_and(u8::is_ascii_uppercase);
    Shape {
        capital,
        all_caps: b.len() >= 2 && !small,
        title_case: capital && !capital_after,
    }
}

/// [`shape`] read char by char, for any word.
fn shape_of_chars(word: &str) -> Shape {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    let capital = word.starts_with(char::is_uppercase);
    Shape {
        capital,
        all_caps: word.chars().count() >= 2 && letters.clone().all(char::is_uppercase),
        title_case: capital && letters.skip(1).all(|c| !c.is_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_word_has_the_shape_its_chars_give(word in "[a-zA-Z0-9'é-]{0,8}") {
            let (fast, slow) = (shape(&word), shape_of_chars(&word));
            prop_assert_eq!(
                (fast.capital, fast.all_caps, fast.title_case),
                (slow.capital, slow.all_caps, slow.title_case)
            );
        }
    }

    #[test]
    fn a_clinical_phrase_written_with_spaces_is_clinical() {
        let clinical = |text: &str| {
            let lower = LowerCase::of(text);
            tokens(text, &lower)
                .iter()
                .filter(|t| t.clinical)
                .map(|t| t.text.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(clinical("Chloe - eating disorder"), ["eating", "disorder"]);
        assert_eq!(clinical("end of life plan"), ["end", "of", "life"]);
        assert_eq!(
            clinical("heart  failure"),
            Vec::<String>::new(),
            "one space apart"
        );
        assert_eq!(clinical("in the end of the day"), Vec::<String>::new());
        assert_eq!(
            clinical("Addison's steroid card, Crohn's disease, Parkinson's UK"),
            ["Addison's", "steroid", "Crohn's", "disease", "Parkinson's"]
        );
        assert_eq!(clinical("Addison's, 7, EpiPen"), ["EpiPen"]);
        assert_eq!(clinical("margaret addison's apixaban"), ["apixaban"]);
        assert_eq!(
            clinical("Medicines Optimisation Team, her medicines"),
            ["medicines"]
        );
    }

    #[test]
    fn an_ascii_word_has_the_shape_its_chars_give() {
        for word in [
            "Kath", "KATH", "kath", "McDonald", "O'Neill", "RAs", "A", "a", "AB", "Ab", "2024",
            "5mg", "5MG", "X-Ray", "NHS-no", "'", "-", "eDNA", "E",
        ] {
            let (fast, slow) = (shape(word), shape_of_chars(word));
            assert_eq!(
                (fast.capital, fast.all_caps, fast.title_case),
                (slow.capital, slow.all_caps, slow.title_case),
                "{word}"
            );
        }
    }
}
