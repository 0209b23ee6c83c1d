//! The words the lexicon's files are corrected with: names that in a
//! message are almost never one, other languages' ordinary words, and the
//! particles surnames join on.

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
    // Greetings and Scots words of every message ("hiya", "aye nae bother",
    // "ta tae the DN teams").
    "aye", "hiya", "nae", "tae",
    // What a pharmacy owes a patient ("OK to honour owings").
    "owings",
];

/// Ordinary words of the other languages members write in (romanised Urdu,
/// Hindi and Punjabi; Polish) that the name lists also hold: like an
/// English word that is a name ("Hope", "Will"), they count as a name only
/// where they stand as one ("kisi ke paas stock hai?" names no one).
#[rustfmt::skip]
pub(super) const OTHER_LANGUAGES_WORDS: &[&str] = &[
    "aur", "bas", "bhai", "bhi", "chahiye", "haan", "hai", "hain", "hamara", "humara", "jee",
    "gaya", "gaye", "gayi", "ka", "karega", "karegi", "ke", "kehta", "kehte", "ki", "kisi",
    "kuch", "kya", "liye", "mein", "nahi", "nahin", "paas", "pehle", "sab", "se", "shuru",
    "tak", "tha", "wala", "woh", "yeh",
    "bardzo", "czy", "dla", "dobry", "jak", "jest", "mam", "na", "nie", "osob", "osoby",
    // "Thank you" in the languages members sign off in ("Dzięki, Marta",
    // "Mulțumesc, Ioana"), and the languages leaflets come in ("Polski,
    // Română, Português").
    "dzieki", "dziekuje", "multumesc", "obrigada", "obrigado", "tesekkurler", "tesekkur",
    "gracias", "merci", "danke", "grazie", "shukran", "spasibo", "dyakuyu", "polski", "romana",
    "portugues", "cymraeg", "soomaali", "turkce", "cestina", "slovencina",
];

/// Words that join the parts of a surname: "Luisa de la Cruz", "Ciarán Mac
/// Giolla Phádraig", "Siobhán Ní Dhomhnaill", "Filipa Rodrigues dos Santos".
#[rustfmt::skip]
pub(super) const PARTICLES: &[&str] = &[
    "ab", "al", "ap", "bin", "binti", "bint", "da", "das", "de", "del", "della", "der", "des",
    "di", "do", "dos", "du", "el", "la", "le", "mac", "mc", "mhic", "nic", "ni", "o", "st",
    "te", "ten", "ter", "uí", "ui", "van", "von", "y",
];
