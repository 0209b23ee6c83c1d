//! The words the lexicon's files are corrected with: names that in a
//! message are almost never one, and the particles surnames join on
//! (other languages' ordinary words are `other_languages.txt`).

/// Words the name lists hold (someone was called Monday, or Christmas) that
/// in a message are almost never a name: days, months, festivals, and the
/// abbreviations of an operational message.
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
    "am", "apr", "april", "aug", "august", "christmas", "co", "dec", "december", "diwali",
    "dob", "easter", "eid", "england", "feb", "ireland", "scotland", "wales", "britain",
    "february", "fri", "friday", "gp", "jan", "january", "jul", "july", "jun", "june", "mar",
    "march", "may", "mob", "mon", "monday", "nhs", "no", "nov", "november", "oct", "october",
    "ok", "org", "pm", "ramadan", "ref", "reg", "rota", "sat", "saturday", "sep", "sept",
    "september", "sun", "sunday", "tel", "thu", "thur", "thurs", "thursday", "tue", "tues",
    "tuesday", "uk", "wed", "wednesday",
    // Makers of generic medicines ("Teva complaints", "Sandoz are out").
    "almus", "boehringer", "mylan", "sandoz", "teva",
    // Welsh words of every message ("ar gael nawr": available now).
    "bore", "croeso", "diolch", "gael", "gyda", "heddiw", "iawn", "mae", "nawr", "ond",
    // Greetings, thanks and Scots words of every message ("hiya", "Ta Marek", "aye nae bother",
    // "ta tae the DN teams").
    "aye", "hiya", "nae", "tae", "ta",
    // What a pharmacy owes a patient ("OK to honour owings").
    "owings",
    // English function words some register holds as a forename ("Any 65
    // year old patient can have …").
    "any", "his", "my", "you", "he", "or", "nor", "than", "so", "else", "even", "ever",
    "other", "per", "via", "among", "an", "us", "till", "on", "one",
];

/// Words that join the parts of a surname: "Luisa de la Cruz", "Ciarán Mac
/// Giolla Phádraig", "Siobhán Ní Dhomhnaill", "Filipa Rodrigues dos Santos".
#[rustfmt::skip]
pub(super) const PARTICLES: &[&str] = &[
    "ab", "al", "ap", "bin", "binti", "bint", "da", "das", "de", "del", "della", "der", "des",
    "di", "do", "dos", "du", "el", "la", "le", "mac", "mc", "mhic", "nic", "ni", "o", "st",
    "te", "ten", "ter", "uí", "ui", "van", "von", "y",
];
