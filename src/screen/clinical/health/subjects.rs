//! Who a clinical word is said of, read from the words before it: a first
//! name set off before it ("Maureen (dementia, …)"), a name and where they
//! are from ("Mehmet from the barbers …"), someone described ("the landlord
//! of the Red Lion … is back on Antabuse"), or "who" ("the man who walks his
//! dog past … is …").

use super::super::super::one_of;
use super::super::super::tokens::Token;
use super::{a_service, condition_at};

/// True when the clinical word at token `i` is said of a first name before
/// it, set off by a comma, a bracket or a dash: "Maureen (dementia, …)",
/// "Mehmet from the barbers on Green Lanes, on warfarin", "Gethin from
/// Cwm-cou with the MS" (a condition after "with"). The name is one word
/// ("Ama Darko (Medicine)" is a ward's pharmacist) and capitalised.
pub(super) fn said_after_a_name(text: &str, tokens: &[Token], i: usize) -> bool {
    let condition = condition_at(text, tokens, i);
    // Where what is said opens: "on warfarin", "with the MS", or the word.
    // (A medicine or a role alone after a name is a list's or a job's:
    // "Yasmin, Lucette and Katya", "Hodan (interpreter)".)
    let mut at = i;
    if at > 0 && tokens[at - 1].folded == "on" {
        at -= 1;
    } else if !condition {
        return false;
    } else {
        if at > 0 && tokens[at - 1].folded == "the" {
            at -= 1;
        }
        if at > 0 && tokens[at - 1].folded == "with" {
            at -= 1;
        }
    }
    if at == 0 || a_service(tokens, i) {
        return false;
    }
    let gap = &text[tokens[at - 1].end()..tokens[at].start];
    // (A dash lists what a colleague leads: "Kate - diabetes, Tom - asthma".)
    let set_off = matches!(gap.trim(), "," | "(");
    let with = gap == " " && tokens[at].folded == "with";
    // The word ends what is said: "(dementia, …", "on warfarin, wants", not
    // "(MS nurse)", "with the GORD leaflets", "PKU formula order".
    let after = text[tokens[i].end()..].trim_start_matches(' ');
    let ends = after.is_empty()
        || after.starts_with([',', ';', ')', '.', '-', '–', '—', '\n', '!', '?'])
        || after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| one_of(w, &["and", "but", "so", "since"]));
    if !(set_off || with) || !ends {
        return false;
    }
    first_name_alone(text, tokens, at - 1) || placed_name_before(text, tokens, at - 1, 8)
}

/// True when the word at token `j` is a first name alone: capitalised, a
/// name and not a clinical word, not after another name.
pub(super) fn first_name_alone(text: &str, tokens: &[Token], j: usize) -> bool {
    let name = |t: &Token| (t.entry.forename || t.entry.surname) && !t.entry.very_common;
    let t = &tokens[j];
    name(t)
        && !t.clinical
        && t.text.starts_with(char::is_uppercase)
        && (j == 0 || !name(&tokens[j - 1]) || !same_clause(text, &tokens[j - 1], t))
}

/// True when a first name alone (not also a word), then where they are
/// from or who they are, opens the words before token `end` in its sentence, at most `reach`
/// words back: "Mehmet from the barbers on Green Lanes", "Lisa who works on
/// the tills at the Tesco in Penarth".
pub(super) fn placed_name_before(text: &str, tokens: &[Token], end: usize, reach: usize) -> bool {
    (end.saturating_sub(reach)..end)
        .rev()
        .take_while(|&j| {
            !text[tokens[j].end()..tokens[j + 1].start].contains(['.', '!', '?', '\n'])
        })
        .any(|j| {
            // (Not a word that is also a name: "Mary Seacole Ward at St
            // James's closed (norovirus)".)
            first_name_alone(text, tokens, j)
                && !tokens[j].entry.common
                && one_of(&tokens[j + 1].folded, &["from", "at", "in", "who"])
        })
}

/// True when someone described opens the words before token `end` in its
/// sentence, at most `reach` words back: "the landlord of the Red Lion in
/// Much Wenlock is back on Antabuse", "my nan is on warfarin", "vicars
/// wife at Holy Trinity is on warfarin" (not "the patient is on …", which
/// advice says of anyone, nor "a lady").
pub(super) fn described_before(text: &str, tokens: &[Token], end: usize, reach: usize) -> bool {
    (end.saturating_sub(reach)..end)
        .rev()
        .take_while(|&j| {
            !text[tokens[j].end()..tokens[j + 1].start].contains(['.', '!', '?', '\n', ';'])
        })
        .any(|j| {
            let t = &tokens[j];
            let anyone = one_of(
                &t.folded,
                &["patient", "pt", "person", "pupil", "child", "baby"],
            );
            // "the head teacher", "the big issue seller": words may come
            // between.
            let determined = (1..=3).filter_map(|b| j.checked_sub(b)).any(|d| {
                let d = &tokens[d].folded;
                one_of(d, &DESCRIBING) || d.ends_with("'s") || d.ends_with("’s")
            });
            (t.entry.opens_description || t.entry.job) && !anyone && determined
        })
}

/// What makes the person word after it someone in particular.
const DESCRIBING: [&str; 9] = [
    "the", "that", "our", "my", "his", "her", "their", "local", "only",
];

/// True when "who" or "whose" is among the words before token `end` in
/// its sentence, at most `reach` words back: "The wee girl whose mum died
/// at Christmas is …", "the man who walks his dog past at 8 is …" — the
/// subject of what is said next is a person.
pub(super) fn said_who_before(text: &str, tokens: &[Token], end: usize, reach: usize) -> bool {
    (end.saturating_sub(reach)..=end)
        .rev()
        .take_while(|&j| {
            j == end || !text[tokens[j].end()..tokens[j + 1].start].contains(['.', '!', '?', '\n'])
        })
        .any(|j| one_of(&tokens[j].folded, &["who", "whose"]))
}

/// True when no sentence ends, no line breaks and no comma, dash or bracket
/// comes between the neighbouring words `a` and `b` (a word's own hyphen,
/// as in "anti-sickness", joins it).
pub(super) fn same_clause(text: &str, a: &Token, b: &Token) -> bool {
    !text[a.end()..b.start].bytes().any(|c| {
        matches!(
            c,
            b'.' | b'!' | b'?' | b'\n' | b',' | b';' | b'(' | b')' | b'-'
        )
    })
}
