//! Personal names, built into the binary: tens of thousands of forenames and
//! surnames from the UK's communities, looked up case-insensitively and
//! without accents ("Siân", "SIAN" and "sian" are one name).
//!
//! Where the lists come from and under what licence is written in
//! `lexicon/SOURCES.md`; `scripts/lexicon/build_lexicon.py` rebuilds them.
//! Each list is one lower-case ASCII name a line, sorted.
//!
//! - `forenames.txt`: given names and their short forms ("kath", "gaz").
//! - `surnames.txt`: family names, the last word of a particle name
//!   ("van der Berg" is "berg").
//! - `common_words.txt`: names that are also ordinary English words ("hope",
//!   "mark", "will", "brown"): these count as a name only where they stand
//!   as one (see `person`).
//! - `very_common.txt`: the most frequent of those ("will", "may", "can"):
//!   a name only after a title.
//! - `places.txt`: the UK's towns, villages and suburbs ("barry", "moss
//!   side", "keswick"), from Ordnance Survey's Open Names (Open Government
//!   Licence) and a short hand-written list (Northern Ireland, counties,
//!   rivers): whether one that is also a name is a place or a person is
//!   decided where it stands (see `person::places`); one typed in lower
//!   case is still a place (see `whereabouts`).
//! - `english.txt`: ordinary English words that are no name ("city",
//!   "hospice", "chemist"), from SCOWL's British English list: a
//!   capitalised one after a forename does not continue a name ("Derry
//!   City", "Clarke's Chemist").

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// What the lists say of a word, one bit per list.
type Flags = u16;

const FORENAME: Flags = 1;
const SURNAME: Flags = 2;
const COMMON: Flags = 4;
const VERY_COMMON: Flags = 8;
/// A medicine, condition or care word (`clinical.txt` and `clinical`'s own
/// list): one probe answers both whether a word is a name and whether it is
/// clinical.
const CLINICAL: Flags = 16;
/// The first word of a clinical phrase the lists write with hyphens
/// ("eating-disorder", "end-of-life"): people write them with spaces
/// ("eating disorder"), which [`phrase_at`] joins. The later words are in
/// a set of their own, asked only after a first word.
const OPENS_PHRASE: Flags = 32;
/// A word a person described opens at ("lady", "son", "resident"; see
/// `person::description_openers`).
const OPENS_DESCRIPTION: Flags = 64;
/// A UK place of one word (`places.txt`): "barry", "clapham", "keswick".
const PLACE: Flags = 128;
/// An ordinary English word that is no name (`english.txt`): "city",
/// "hospice", "chemist".
const ENGLISH: Flags = 256;
/// An ordinary word of another language members write in
/// (`other_languages.txt`): "koi", "karo", "jak".
const ABROAD: Flags = 512;
/// A job someone in a community holds ("ferryman", "principal"; see
/// `person::community_jobs`).
const JOB: Flags = 1024;

/// FNV-1a: every word of every screened text is looked up, and these keys
/// are short; SipHash's protection against chosen keys buys nothing for a
/// table fixed at build time.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The lexicon's words with what each is, and the first bytes any of them
/// starts with: a word starting otherwise (a number: nearly half the words
/// of an operational message) is in no list, and is not hashed.
struct Table {
    words: HashMap<&'static str, Flags, BuildHasherDefault<Fnv>>,
    first_bytes: Bits256,
    /// The second and later words of the clinical phrases.
    in_phrases: WordSet,
    /// The places of more than one word, their words joined by one space.
    place_phrases: WordSet,
}

/// A set of fixed words with the fast hash, for the other word lists.
pub(super) type WordSet = std::collections::HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// Every listed word with what it is (forename, surname, common word …),
/// built once per process: one lookup answers every question about a word.
/// A 256-bit sketch of a fixed list of words: one bit for each word's
/// length and first and last letters (ASCII case ignored). A word whose bit
/// is clear is in no list the sketch was made of, and is turned away before
/// it is compared or hashed; made at compile time.
#[derive(Clone, Copy)]
pub(super) struct Sketch(Bits256);

impl Sketch {
    /// The sketch of `words`.
    pub(super) const fn of(words: &[&str]) -> Sketch {
        Sketch(Bits256::EMPTY).with(words)
    }

    /// This sketch and that of `words`.
    pub(super) const fn with(self, words: &[&str]) -> Sketch {
        let mut bits = self.0;
        let mut i = 0;
        while i < words.len() {
            let word = words[i].as_bytes();
            if !word.is_empty() {
                bits = bits.set(Sketch::bit(word));
            }
            i += 1;
        }
        Sketch(bits)
    }

    /// This sketch and `word`'s bytes.
    pub(super) const fn with_bytes(self, word: &[u8]) -> Sketch {
        if word.is_empty() {
            return self;
        }
        Sketch(self.0.set(Sketch::bit(word)))
    }

    /// False when `word` is in no list of this sketch; true when it may be.
    #[inline]
    pub(super) fn may_hold(&self, word: &[u8]) -> bool {
        word.is_empty() || self.0.has(Sketch::bit(word))
    }

    const fn bit(word: &[u8]) -> usize {
        let first = word[0].to_ascii_lowercase() as usize;
        let last = word[word.len() - 1].to_ascii_lowercase() as usize;
        first * 31 + last * 17 + word.len() * 7
    }
}

/// The first two letters of every word of a fixed list (ASCII case
/// ignored), as a 256-bit set: a word that opens otherwise is in no such
/// list, which is known before the word is read to its end.
#[derive(Clone, Copy)]
pub(super) struct Openings(Bits256);

impl Openings {
    /// The openings of `words`, each two bytes long or more.
    pub(super) const fn of(words: &[&str]) -> Openings {
        let mut bits = Bits256::EMPTY;
        let mut i = 0;
        while i < words.len() {
            let word = words[i].as_bytes();
            bits = bits.set(Openings::bit(word[0], word[1]));
            i += 1;
        }
        Openings(bits)
    }

    /// The openings of the words of all of `lists`.
    pub(super) const fn of_lists(lists: &[&[&str]]) -> Openings {
        let mut bits = Bits256::EMPTY;
        let mut l = 0;
        while l < lists.len() {
            bits = bits.or(Openings::of(lists[l]).0);
            l += 1;
        }
        Openings(bits)
    }

    /// False when the word at the start of `rest` (a space standing for a
    /// missing second byte) opens no word of the list.
    pub(super) fn may_open(&self, rest: &[u8]) -> bool {
        match rest {
            [] => false,
            [first] => self.0.has(Openings::bit(*first, b' ')),
            [first, second, ..] => self.0.has(Openings::bit(*first, *second)),
        }
    }

    const fn bit(first: u8, second: u8) -> usize {
        first.to_ascii_lowercase() as usize * 31 + second.to_ascii_lowercase() as usize * 7
    }
}

/// 256 bits, set at compile time: what a [`Sketch`] and [`Openings`] keep,
/// and the other quick tests that turn most words away (a medicine
/// ending's last two letters). A bit is any number, taken
/// modulo 256.
#[derive(Clone, Copy)]
pub(super) struct Bits256([u64; 4]);

impl Bits256 {
    pub(super) const EMPTY: Bits256 = Bits256([0; 4]);

    /// These bits and `bit`.
    pub(super) const fn set(self, bit: usize) -> Bits256 {
        let bit = bit % 256;
        let mut bits = self.0;
        bits[bit / 64] |= 1 << (bit % 64);
        Bits256(bits)
    }

    /// These bits and `other`'s.
    const fn or(self, other: Bits256) -> Bits256 {
        let mut bits = self.0;
        let mut i = 0;
        while i < 4 {
            bits[i] |= other.0[i];
            i += 1;
        }
        Bits256(bits)
    }

    pub(super) fn has(&self, bit: usize) -> bool {
        let bit = bit % 256;
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// A word with its ASCII letters lower-cased, on the stack.
struct Lowered {
    bytes: [u8; LONGEST],
    len: usize,
}

impl Lowered {
    /// `None` for a word longer than [`LONGEST`].
    fn of(word: &str) -> Option<Lowered> {
        let mut bytes = [0u8; LONGEST];
        bytes
            .get_mut(..word.len())?
            .copy_from_slice(word.as_bytes());
        bytes[..word.len()].make_ascii_lowercase();
        Some(Lowered {
            bytes,
            len: word.len(),
        })
    }

    fn as_str(&self) -> &str {
        // Lower-casing ASCII letters keeps UTF-8 valid.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// A fixed list of words, looked up ignoring ASCII case (a recogniser asks
/// of every word of the text whether it is a title, a street word or a role;
/// scanning a list each time cost a sixth of the screen's time). Most words
/// are turned away by the list's [`Sketch`]; the rest by a set built on
/// first use.
pub(super) struct Vocabulary {
    words: &'static [&'static str],
    sketch: Sketch,
    set: OnceLock<WordSet>,
}

/// Longer words than this are in no vocabulary (checked as it is built), so
/// a word is lower-cased on the stack.
const LONGEST: usize = 32;

impl Vocabulary {
    pub(super) const fn new(words: &'static [&'static str]) -> Self {
        Vocabulary {
            words,
            sketch: Sketch::of(words),
            set: OnceLock::new(),
        }
    }

    fn set(&self) -> &WordSet {
        self.set.get_or_init(|| {
            debug_assert!(
                self.words
                    .iter()
                    .all(|w| w.len() <= LONGEST && !w.bytes().any(|b| b.is_ascii_uppercase())),
                "a vocabulary is lower case, at most {LONGEST} bytes a word"
            );
            self.words.iter().copied().collect()
        })
    }

    /// True when `word` is one of the words, ignoring ASCII case.
    #[inline]
    pub(super) fn contains(&self, word: &str) -> bool {
        // The sketch, inlined at every call, turns most words away.
        self.sketch.may_hold(word.as_bytes()) && self.holds(word)
    }

    /// [`Vocabulary::contains`] of a word the sketch let through.
    #[inline(never)]
    fn holds(&self, word: &str) -> bool {
        let set = self.set();
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return set.contains(word);
        }
        Lowered::of(word).is_some_and(|w| set.contains(w.as_str()))
    }

    /// The words, in their written order.
    pub(super) fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, Flags, BuildHasherDefault<Fnv>> = HashMap::default();
        let mut in_phrases = WordSet::default();
        for (text, flag) in [
            (include_str!("lexicon/forenames.txt"), FORENAME),
            (include_str!("lexicon/surnames.txt"), SURNAME),
            (include_str!("lexicon/common_words.txt"), COMMON),
            (include_str!("lexicon/very_common.txt"), VERY_COMMON),
            (include_str!("lexicon/clinical.txt"), CLINICAL),
            (include_str!("lexicon/english.txt"), ENGLISH),
        ] {
            for line in text.lines().map(str::trim) {
                if !line.is_empty() && !line.starts_with('#') {
                    *table.entry(line).or_default() |= flag;
                    if flag == CLINICAL {
                        mark_phrase(&mut table, &mut in_phrases, line);
                    }
                }
            }
        }
        let mut place_phrases = WordSet::default();
        for place in include_str!("lexicon/places.txt").lines() {
            if place.contains(' ') {
                place_phrases.insert(place);
            } else if !place.is_empty() {
                *table.entry(place).or_default() |= PLACE;
            }
        }
        for &word in super::clinical::WORDS {
            *table.entry(word).or_default() |= CLINICAL;
        }
        for word in super::person::description_openers() {
            *table.entry(word).or_default() |= OPENS_DESCRIPTION;
        }
        for word in super::person::community_jobs() {
            *table.entry(word).or_default() |= JOB;
        }
        let other_languages = include_str!("lexicon/other_languages.txt").lines();
        for word in other_languages.filter(|l| !l.is_empty() && !l.starts_with('#')) {
            *table.entry(word).or_default() |= ABROAD;
        }
        for word in NOT_NAMES {
            if let Some(flags) = table.get_mut(word) {
                *flags &= !(FORENAME | SURNAME);
            }
        }
        let first_bytes = table
            .keys()
            .filter_map(|w| w.bytes().next())
            .fold(Bits256::EMPTY, |bits, b| bits.set(usize::from(b)));
        Table {
            words: table,
            first_bytes,
            in_phrases,
            place_phrases,
        }
    })
}

/// Marks the first word of a hyphenated clinical entry as opening a
/// phrase (a word of no list gets an entry of its own for it), and keeps
/// the later words in `in_phrases`.
fn mark_phrase(
    table: &mut HashMap<&'static str, Flags, BuildHasherDefault<Fnv>>,
    in_phrases: &mut WordSet,
    entry: &'static str,
) {
    let mut parts = entry.split('-').filter(|p| !p.is_empty());
    if let Some(first) = parts.next() {
        let mut rest = parts.peekable();
        if rest.peek().is_some() {
            *table.entry(first).or_default() |= OPENS_PHRASE;
            in_phrases.extend(rest);
        }
    }
}

/// True for a second or later word of a clinical phrase ("disorder").
pub(super) fn continues_phrase(folded: &str) -> bool {
    table().in_phrases.contains(folded)
}

/// How many words from the first of `folded` (each a word as [`fold`]
/// gives it, written one space apart) make a clinical phrase of the lists
/// ("eating disorder", "end of life"), the longest first; 0 for none.
/// The first word must open a phrase and the others continue one
/// ([`Entry::opens_phrase`], [`continues_phrase`]): most are turned away
/// before any is joined.
pub(super) fn phrase_at(folded: &[&str]) -> usize {
    (2..=folded.len().min(MAX_PHRASE_WORDS))
        .rev()
        .find(|&n| flags(&folded[..n].join("-")) & CLINICAL != 0)
        .unwrap_or(0)
}

/// The most words of any clinical phrase of the lists ("hand-foot-and-mouth").
pub(super) const MAX_PHRASE_WORDS: usize = 4;

fn flags(folded: &str) -> Flags {
    let table = table();
    match folded.bytes().next() {
        Some(b) if table.first_bytes.has(usize::from(b)) => {
            table.words.get(folded).copied().unwrap_or(0)
        }
        _ => 0,
    }
}

/// A word as the lists hold it: lower case, accents and special letters
/// folded to ASCII ("Çelik" → "celik", "Wiśniewska" → "wisniewska"), curly
/// apostrophes straight, a possessive "'s" removed.
pub(super) fn fold(word: &str) -> Cow<'_, str> {
    let word = without_possessive(word);
    if folded_already(word) {
        return Cow::Borrowed(word);
    }
    let ascii = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        deunicode::deunicode(&word.replace('’', "'")).to_ascii_lowercase()
    };
    Cow::Owned(ascii)
}

/// [`fold`] of `word`, given the same word with its ASCII letters
/// lower-cased (`lower`, cut from a lower-cased copy of the whole text): an
/// ASCII word's folding is then borrowed from it, not allocated.
pub(super) fn fold_lowered<'a>(word: &'a str, lower: &'a str) -> Cow<'a, str> {
    let short = without_possessive(word);
    if short.is_ascii() {
        Cow::Borrowed(&lower[..short.len()])
    } else {
        fold(word)
    }
}

/// [`fold`], handed to `read`, without allocating for a short ASCII word
/// (the common case, looked up once per word of the text).
pub(super) fn with_folded<R>(word: &str, read: impl FnOnce(&str) -> R) -> R {
    let short = without_possessive(word);
    if folded_already(short) {
        return read(short);
    }
    if short.is_ascii()
        && let Some(lower) = Lowered::of(short)
    {
        return read(lower.as_str());
    }
    read(&fold(word))
}

fn without_possessive(word: &str) -> &str {
    possessive_base(word).unwrap_or(word)
}

/// The word before a possessive "'s" (straight or curly apostrophe), or
/// `None` when there is none: "Edna's" → "Edna".
pub(super) fn possessive_base(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"))
}

/// Lower-case ASCII letters, digits (which have no case: "2024", "5mg"),
/// apostrophes and hyphens only.
fn folded_already(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'' || b == b'-')
}

/// Looks `folded` up as a name (`flag`) as written, then without
/// apostrophes ("o'neill" and "oneill") and, for a double-barrelled name,
/// by its parts.
fn lookup(flag: Flags, folded: &str) -> bool {
    lookup_flagged(flag, folded, flags(folded))
}

/// [`lookup`], given `folded`'s own flags (`found`) already looked up.
fn lookup_flagged(flag: Flags, folded: &str, found: Flags) -> bool {
    if folded.len() < 2 {
        return false;
    }
    if found & flag != 0 {
        return true;
    }
    if folded.contains('\'') && flags(&folded.replace('\'', "")) & flag != 0 {
        return true;
    }
    folded.contains('-')
        && folded
            .split('-')
            .filter(|p| !p.is_empty())
            .all(|p| lookup(flag, p))
}

/// What the lexicon says of one word (`folded` as from [`fold`]), from one
/// lookup where one will do: the answers of [`is_forename`],
/// [`is_surname`] and [`is_common_word`], and whether it is one of the most
/// frequent English words ("will", "may", "stock": never a name without a
/// title).
pub(super) struct Entry {
    pub(super) forename: bool,
    pub(super) surname: bool,
    pub(super) common: bool,
    pub(super) very_common: bool,
    /// In the clinical word lists, as written (see `clinical` for plurals,
    /// endings and doses).
    pub(super) clinical: bool,
    /// The first word of a clinical phrase ([`phrase_at`]).
    pub(super) opens_phrase: bool,
    /// A word a person described opens at ("lady", "her son").
    pub(super) opens_description: bool,
    /// A job one person holds in a place ("the ferryman on Lismore").
    pub(super) job: bool,
    /// A UK place of one word ("barry", "keswick").
    pub(super) place: bool,
    /// An ordinary English word that is no name ("city", "hospice").
    pub(super) english: bool,
    /// Common only as another language's word ("koi", "ako"), not as an
    /// English one: in capitals it may still be initials ("AKO, 67").
    pub(super) abroad: bool,
}

impl Entry {
    /// A word that is no name ("2024", "5mg", "کی"): only what the clinical
    /// lists say of it.
    pub(super) fn of_number(folded: &str) -> Entry {
        let found = flags(folded);
        Entry {
            forename: false,
            surname: false,
            common: false,
            very_common: false,
            clinical: found & CLINICAL != 0,
            opens_phrase: found & OPENS_PHRASE != 0,
            opens_description: false,
            job: false,
            place: false,
            english: false,
            abroad: false,
        }
    }
}

#[inline]
pub(super) fn entry(folded: &str) -> Entry {
    let found = flags(folded);
    // A word without apostrophes or hyphens (nearly all) has no other
    // writing to look up: its own flags answer.
    let plain = !folded.bytes().any(|b| b == b'\'' || b == b'-');
    let name = |flag: Flags| {
        if plain {
            folded.len() >= 2 && found & flag != 0
        } else {
            lookup_flagged(flag, folded, found)
        }
    };
    Entry {
        forename: name(FORENAME),
        surname: name(SURNAME),
        common: found & (COMMON | VERY_COMMON | ABROAD) != 0,
        very_common: found & VERY_COMMON != 0,
        abroad: found & ABROAD != 0 && found & (COMMON | VERY_COMMON) == 0,
        clinical: found & CLINICAL != 0,
        opens_phrase: found & OPENS_PHRASE != 0,
        opens_description: found & OPENS_DESCRIPTION != 0,
        job: found & JOB != 0,
        place: found & PLACE != 0,
        english: found & ENGLISH != 0,
    }
}

/// True when `folded` is in the clinical word lists, as written.
pub(super) fn is_clinical_listed(folded: &str) -> bool {
    flags(folded) & CLINICAL != 0
}

/// True for a UK place of several words, folded and joined by one space,
/// whose words are name words ("moss side", "talbot green").
pub(super) fn is_place_phrase(folded: &str) -> bool {
    table().place_phrases.contains(folded)
}

/// True for a given name or its short form (`folded` as from [`fold`]).
pub(super) fn is_forename(folded: &str) -> bool {
    lookup(FORENAME, folded)
}

/// True for a forename listed whole, hyphen and all ("lily-may"), not one
/// read from its parts ("amber-red", a status).
pub(super) fn is_forename_as_written(folded: &str) -> bool {
    flags(folded) & FORENAME != 0
}

/// True for a family name (`folded` as from [`fold`]).
pub(super) fn is_surname(folded: &str) -> bool {
    lookup(SURNAME, folded)
}

/// True for a name that is also an ordinary word ("hope", "mark", "brown").
pub(super) fn is_common_word(folded: &str) -> bool {
    flags(folded) & (COMMON | VERY_COMMON | ABROAD) != 0
}

/// True for a word that joins a surname's parts ("de", "van", "Mac").
pub(super) fn is_particle(folded: &str) -> bool {
    PARTICLES.contains(&folded)
}

mod shortened;
#[cfg(test)]
mod tests;
mod words;

pub(super) use shortened::shortens_a_clinical_word;
use words::{NOT_NAMES, PARTICLES};
