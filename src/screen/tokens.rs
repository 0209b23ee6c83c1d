//! The words of a text, each folded and looked up once: the person, place
//! and clinical recognisers all read a text word by word, and looking every
//! word up once for all of them (one probe answers name and clinical word
//! alike) is most of what reading it costs.

use std::borrow::Cow;

use super::clinical;
use super::lexicon::{self, Entry, fold};

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

/// Every word of `text`, in order.
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    // About one word in six bytes of a message: room for them all at once
    // rather than growing (and copying) the list as it fills.
    let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
    tokens.extend(clinical::words(text).map(|(start, word)| {
        let folded = fold(word);
        let entry = if word.starts_with(|c: char| c.is_ascii_digit()) {
            Entry::none(lexicon::is_clinical_listed(&folded))
        } else {
            lexicon::entry(&folded)
        };
        let clinical = clinical::is_clinical_entry(&folded, entry.clinical);
        Token {
            start,
            text: word,
            folded,
            entry,
            clinical,
        }
    }));
    tokens
}
