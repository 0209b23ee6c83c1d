//! Names that are not a patient's: a clinician's or a colleague's ("Dr
//! Nwosu", "Gareth (lead pharmacist)", "Sian (Mon-Wed)"), a company's or a
//! place's ("Day Lewis Sydenham have", "Nightingale Ward"), a product's
//! ("Gina 10mcg"), the people present at a meeting.

use super::super::{ages, clinical, postcodes, window_after};
use super::colleagues::Colleagues;
use super::products::{PACKS, stocked, strength};
use super::roles::{
    self, JOBS, ROLE_WORDS, ROLES, TEAMS, clinical_beyond_roles, introduced_by_role,
    signed_with_role,
};
use super::{PERSON_NOUNS, PLACES, RELATIVES, TITLES, Word, affiliation, one_of};
use crate::screen::lexicon::{Vocabulary, possessive_base};

/// Words before a name that make it a clinician's, a colleague's, an
/// honorific or a place: "Dr", "pharmacist", "thanks", "St".
#[rustfmt::skip]
static NOT_A_PATIENT_BEFORE: Vocabulary = Vocabulary::new(&[
    "cc", "cheers", "colleague", "consultant", "dame", "dear", "doctor", "gp", "hello", "hi",
    "king", "locum", "lord", "manager", "nurse", "pharmacist", "prince", "princess", "queen",
    "rev", "revd", "saint", "sir", "st", "technician", "thank", "thanks", "thx", "welcome",
    "witness", "regards",
    // An officer's ("Medicines Safety Officer Ifeoma Chukwu"), and Welsh
    // clinicians' ("Nyrs Elin Haf Jones").
    "officer", "nyrs", "meddyg", "fferyllydd",
    // Welsh thanks and regards ("Diolch, Aled"), and a named storm ("Storm Bronagh").
    "diolch", "cofion", "storm",
]);

/// True when the sentence after `at` says what someone does at work: a
/// role or a job ("as a pharmacy tech"), a team, or joining one; and no
/// health of theirs.
fn works_here(text: &str, at: usize) -> bool {
    let sentence = sentence_after(text, at);
    let mut words = clinical::words(sentence).map(|(_, w)| w);
    words.any(|w| {
        ROLES.contains(w)
            || JOBS.contains(w)
            || TEAMS.contains(w)
            || one_of(w, &["joins", "joining"])
    }) && !health_owned_after(text, at)
}

/// Words said to or by a colleague right before their name: a greeting
/// ("Welcome Chidi Okeke who joins …") or a sign-off ("Thanks, Gareth").
pub(super) const GREETINGS: [&str; 12] = [
    "welcome", "thanks", "thx", "cheers", "cc", "regards", "ta", "best", "wishes", "from",
    "diolch", "cofion",
];

/// Clinicians' titles, before a name or read as its first word ("Sister
/// Jones", "Prof Adeyemi"). Not a faith's: a hostile review found
/// patients behind them ("Imam Tariq Siddiqui collected his insulin").
#[rustfmt::skip]
static CLINICAL_TITLES: Vocabulary = Vocabulary::new(&[
    "dentist", "dr", "matron", "midwife", "optometrist", "paramedic", "prof", "professor",
    "sister",
]);

/// True for a word that, before a name, makes it a clinician's, a
/// colleague's, an honorific or a place: "Dr", "pharmacist", "thanks", "St".
pub(super) fn before_a_colleague(word: &str) -> bool {
    NOT_A_PATIENT_BEFORE.contains(word) || CLINICAL_TITLES.contains(word) || ROLES.contains(word)
}

/// What a meeting's actions give someone to do: "Sian to circulate SOP".
#[rustfmt::skip]
static ACTIONS: Vocabulary = Vocabulary::new(&[
    "circulate", "email", "chase", "update", "share", "liaise", "draft", "organise", "organize",
    "escalate", "investigate", "audit", "present", "cascade", "lead",
]);

/// What staff are "on": "Gemma on reception", "Bryn on lates".
#[rustfmt::skip]
static ON_DUTY: Vocabulary = Vocabulary::new(&[
    "reception", "duty", "shift", "counter", "till", "phones", "desk", "lates", "earlies",
    "rota", "dispensary", "dispensing",
]);

/// Words before a name that make it a colleague's: "contact Sarah Jones".
static CONTACT_BEFORE: Vocabulary = Vocabulary::new(&[
    "contact", "ask", "email", "from", "cc", "regards", "by", "with",
]);

/// Where colleagues come from: "Kasia from the ICB", "Sarah at the hub".
#[rustfmt::skip]
static ORGANISATIONS: Vocabulary = Vocabulary::new(&[
    "ccg", "council", "hub", "icb", "lmc", "lpc", "nhs", "office", "pcn", "pharmacy",
    "practice", "surgery", "team", "trust", "meds", "medicines", "hospital", "ward", "lab",
]);

/// NHS bodies staff come from and patients do not: "Mrs Patel from the ICB".
#[rustfmt::skip]
static NHS_BODIES: Vocabulary = Vocabulary::new(&["ccg", "icb", "lmc", "lpc", "pcn"]);

/// The rest of the sentence after `at`, at most 200 bytes of it: what a
/// rule reads after a name is bounded, so a long line is not read again
/// for every name on it.
pub(super) fn sentence_after(text: &str, at: usize) -> &str {
    let rest = window_after(text, at, 200);
    &rest[..rest.find(super::SENTENCE_ENDS).unwrap_or(rest.len())]
}

/// True when the sentence after `at` names a medicine or a condition as
/// someone's: "her methotrexate", "his new insulin pens".
fn health_owned_after(text: &str, at: usize) -> bool {
    let words: Vec<&str> = clinical::words(sentence_after(text, at))
        .map(|(_, w)| w)
        .collect();
    let clinical_at = |i: usize| words.get(i).is_some_and(|w| clinical::is_clinical_word(w));
    // "her new insulin", "his usual morphine": one word may come between.
    let modifier = |i: usize| {
        words.get(i).is_some_and(|w| {
            one_of(
                w,
                &[
                    "new", "usual", "regular", "repeat", "own", "daily", "weekly", "morning",
                    "night",
                ],
            )
        })
    };
    words.iter().enumerate().any(|(i, w)| {
        one_of(w, &["her", "his"]) && (clinical_at(i + 1) || modifier(i + 1) && clinical_at(i + 2))
    })
}

/// True when the name at words `first..=last` is a clinician's, a
/// colleague's or a place's.
pub(super) fn staff_or_place(
    text: &str,
    words: &[Word],
    colleagues: &Colleagues,
    first: usize,
    last: usize,
) -> bool {
    let before_index = first.checked_sub(1);
    let before = before_index.map(|i| &words[i]);
    let after = |n: usize| words.iter().skip(last + 1).take(n);
    let titled = TITLES.contains(words[first].text);
    let noun: &str = words[first].folded;
    // "Sister Jones (district nurse lead)", "Matron Evans": a nursing or
    // clinical title read as a forename; "her sister Jane" is family.
    let family_before = before.is_some_and(|b| {
        one_of(b.folded, &["her", "his", "my", "their", "your", "our"])
            || b.text.ends_with("'s")
            || b.text.ends_with("’s")
    });
    let clinical_title = ROLES.contains(noun) || CLINICAL_TITLES.contains(noun);
    if words[first].title_case && clinical_title && !family_before {
        return true;
    }
    // "Storm Bronagh": storms are named with one forename ("Storm" is one
    // too: "Storm Fairclough (age 7)" is a child).
    let storm = words[first].title_case
        && noun == "storm"
        && last == first + 1
        && words[last].forename()
        && !words[last].is_surname
        && !ages::age_or_birth_next(text, words[last].end);
    if storm {
        return true;
    }
    // "Welcome Chidi Okeke who joins the discharge team as a pharmacy
    // tech": a greeting read as the name's first word, in a sentence that
    // says what the colleague does ("Welcome Doris Pike, 91, who moved into
    // Elm House" is a resident; "Hi John Smith, your …" or "Dear …" may
    // open a patient's letter).
    let greeted = last > first && words[first].capital && one_of(noun, &GREETINGS) && !titled;
    if greeted
        && !ages::age_or_birth_next(text, words[last].end)
        && works_here(text, words[last].end)
    {
        return true;
    }
    let described = PERSON_NOUNS.contains(noun) || RELATIVES.contains(noun) || noun == "patient";
    // "Lady Margaret House", "Lady Elizabeth Court": a house named after a
    // lady is a place.
    if described {
        return words[first].title_case && super::places::place_next(text, words, last);
    }
    // "Dr Nwosu", "pharmacist Sarah", "thanks Bev", "our dispenser Mrs
    // Hughes", "a new manager (Helen)".
    // "speakers Prof. Aled Williams": an abbreviated title's full stop
    // after a word in lower case is no sentence's end; but "3 Elm Dr.
    // Sarah …" is a street's, and an age after the name is a patient's
    // ("Prof. Aled Williams, 84, admitted"), and so, as a hostile review
    // found, may be one opening the message ("Dr. Aled Williams admitted").
    let dotted_title = |b: &Word| {
        let previous = before_index
            .and_then(|i| i.checked_sub(1))
            .map(|i| &words[i]);
        b.title_case
            && one_of(b.folded, &["dr", "prof", "rev", "revd"])
            && previous.is_some_and(|p| !p.capital)
            && !ages::age_or_birth_next(text, words[last].end)
    };
    let next_to = |b: &Word| {
        let gap = &text[b.end..words[first].start];
        let gap = match gap.strip_prefix('.') {
            Some(rest) if dotted_title(b) => rest,
            _ => gap,
        };
        gap.chars().all(|c| c == ' ' || c == ':' || c == '(')
    };
    // "Thanks Tom, 45, came back in …": greeted, but an age right after
    // says the name is whom the message is about.
    let greeted_aged = |b: &Word| {
        (one_of(b.folded, &GREETINGS) || one_of(b.folded, &["hi", "hello", "dear", "thank"]))
            && ages::age_or_birth_next(text, words[last].end)
    };
    if before.is_some_and(|b| before_a_colleague(b.text) && next_to(b) && !greeted_aged(b)) {
        return true;
    }
    // "School nurses Ailsa and Morven leading": a role in the plural before
    // first names listed ("GPs Edna Jones, 84" names one patient).
    let plural_role = |b: &Word| {
        b.folded
            .strip_suffix('s')
            .is_some_and(|r| ROLES.contains(r))
    };
    let listing = ["and ", "& ", ", "].iter().any(|j| {
        text[words[last].end..]
            .trim_start_matches(' ')
            .starts_with(j)
    });
    if first == last && !titled && listing && before.is_some_and(|b| plural_role(b) && next_to(b)) {
        return true;
    }
    if super::chains::a_chain_s_branch(text, words, first, last, titled) {
        return true;
    }
    // "Johnson & Johnson", "Thornton & Ross", "Gillick/Fraser": companies
    // and eponyms, not people.
    let start = words[first].start;
    let end = words[last].end;
    // Both sides capitalised: "first=Gwen&last=…" in a link is no company.
    // A slash joins without spaces ("Gillick/Fraser"): " / " separates a
    // label's fields ("72 HOURS / Mr Shamsul Islam / 23/12/26"). A title
    // names a person, never a company.
    let tight = |gap: &str| gap.trim_matches(' ') == "&" || gap == "/";
    let (head, tail) = (&text[..start], &text[end..]);
    let gap_before = &head[head.trim_end_matches([' ', '&', '/']).len()..];
    let gap_after = &tail[..tail.len() - tail.trim_start_matches([' ', '&', '/']).len()];
    let joined_before = !titled
        && tight(gap_before)
        && text[..start]
            .trim_end_matches(' ')
            .strip_suffix(['&', '/'])
            .and_then(|b| {
                b.trim_end_matches(' ')
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
            })
            // "Mr & Mrs Hodgson" is a couple, not a company.
            .is_some_and(|w| w.starts_with(char::is_uppercase) && !TITLES.contains(w));
    let joined_after = !titled
        && tight(gap_after)
        && text[end..]
            .trim_start_matches(' ')
            .strip_prefix(['&', '/'])
            .is_some_and(|a| a.trim_start_matches(' ').starts_with(char::is_uppercase));
    if joined_before || joined_after {
        return true;
    }
    if super::places::names_a_place(text, words, first, last, titled) {
        return true;
    }
    // "Rhian Llewellyn, our new pharmacist"; "Gareth (lead pharmacist)";
    // but "Nesta Prydderch's GP" is her doctor, not her job.
    let possessive = possessive_base(words[last].text).is_some();
    let role_next = after(4)
        .take_while(|w| ROLE_WORDS.contains(w.text) || ROLES.contains(w.text))
        .any(|w| ROLES.contains(w.text));
    // "Mark Eastwood, CD Accountable Officer, 0115 …": a role between commas.
    // A job outside health ([`JOBS`]), or any job after a title ("Mr",
    // "Mrs": the public more often than staff), is a colleague's only if
    // the rest of the sentence says nothing of their own health, as after
    // a role in brackets: a hostile review found patients behind every job
    // ("Mr Tariq Aziz, Ofsted inspector, collapsed …, he is type 1
    // diabetic", "Helen Doyle, Tesco checkout supervisor, came in again
    // asking for more codeine", "Mr Graham Pike, bank manager, …
    // dementia").
    let appositive = text[words[last].end..]
        .strip_prefix(", ")
        .is_some_and(|rest| {
            let phrase = rest.split([',', '.', ';', '(', '\n']).next().unwrap_or("");
            let phrase_words = || clinical::words(phrase).map(|(_, w)| w);
            // The role held, not one the phrase only names ("new from
            // another GP", "seen by the nurse").
            let held = || {
                phrase_words().take_while(|w| {
                    !one_of(w, &["from", "another", "by", "with", "to", "via", "under"])
                })
            };
            let health_role = held().any(|w| ROLES.contains(w));
            phrase_words().count() <= 6
                && (health_role || held().any(|w| JOBS.contains(w)))
                // "Tom Boyd, retired clerk, …", "formerly a ward clerk",
                // "semi-retired", "retd": described, not at work.
                && !phrase_words().any(|w| {
                    let w = w.to_ascii_lowercase();
                    w.contains("retired") || one_of(&w, &["former", "formerly", "ex", "retd"])
                })
                && (health_role && !titled
                    || roles::nothing_of_their_own_health(sentence_after(
                        text,
                        words[last].end + 2 + phrase.len(),
                    )))
        });
    // A role in brackets, and what follows it (see [`roles`]).
    let end_of_name = words[last].end;
    let bracketed = text[end_of_name..].trim_start_matches(' ').starts_with('(');
    // "Edna Price, our GP has doubled her methotrexate dose": the role is
    // the doctor's, the name the patient's whose medicine the sentence goes
    // on to name ("her …", "his …").
    let role_after = if bracketed {
        (role_next || roles::bracketed_role(text, end_of_name))
            && roles::nothing_after_the_bracket(text, end_of_name)
    } else {
        role_next || appositive || roles::role_said_after(text, end_of_name)
    } && !health_owned_after(text, words[last].end);
    if (role_after
        || signed_with_role(text, words, first, last)
        || introduced_by_role(text, words, first, last))
        && !possessive
    {
        return true;
    }
    // "first aider is Gemma", "duty pharmacist today is Sam", "Speakers:
    // Dr Kofi Asante and Lucy Brennan": a role's holder.
    let holder = super::holders::holds_a_role(text, words, first, last)
        && !ages::age_or_birth_next(text, words[last].end)
        && !health_owned_after(text, words[last].end);
    // A colleague at work is named by first name: "Gemma on reception",
    // "Bryn on lates" (a patient is "at reception") (a patient "on leave from the ward" is not one).
    let first_name_only = first == last && !titled;
    let on_duty = first_name_only
        && text[words[last].end..]
            .strip_prefix(" on ")
            .and_then(|rest| clinical::words(rest).next())
            .is_some_and(|(at, w)| at == 0 && ON_DUTY.contains(w));
    // "Actions: Sian to circulate SOP": a meeting's action, given to staff
    // (a patient "to book his flu jab" is not one).
    let action = first_name_only
        && text[words[last].end..]
            .strip_prefix(" to ")
            .and_then(|rest| clinical::words(rest).next())
            .is_some_and(|(at, w)| at == 0 && ACTIONS.contains(w));
    if holder || on_duty || action {
        return true;
    }
    // "contact Sarah Jones", "ask Gareth", "ask for Kirsty Boyle": a
    // colleague, unless titled.
    let asked_for = first >= 2
        && words[first - 1].folded == "for"
        && words[first - 2].folded == "ask"
        && text[words[first - 2].end..words[first].start] == *" for ";
    let contact_before = before.is_some_and(|b| CONTACT_BEFORE.contains(b.text) && next_to(b));
    if !titled && (contact_before || asked_for && !clinical_beyond_roles(sentence_after(text, end)))
    {
        return true;
    }
    // "Congratulations to Bronwen Lewis who retires after 31 years as a
    // district nurse": wished well, in a sentence that says what the
    // colleague does at work.
    let wished = (1..=2).any(|n| {
        first >= n
            && one_of(
                words[first - n].folded,
                &[
                    "congratulations",
                    "congrats",
                    "farewell",
                    "luck",
                    "goodbye",
                    "welcome",
                    "fáilte",
                    "croeso",
                    "back",
                ],
            )
            && (n == 1 && words[first - 1].folded != "back" || words[first - 1].folded == "to")
    });
    if wished
        && !ages::age_or_birth_next(text, end)
        && works_here(text, end)
        && !clinical_beyond_roles(sentence_after(text, end))
    {
        return true;
    }
    // "Kasia from the ICB", "Sarah at the hub": colleagues, unless titled.
    let end = words[last].end;
    let rest = text[end..].trim_start_matches([' ', ',']);
    let lead_in = ["from the ", "at the ", "from our ", "at our ", "from "]
        .iter()
        .find(|p| {
            rest.as_bytes()
                .get(..p.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(p.as_bytes()))
        });
    let org_next = |of: &Vocabulary| {
        lead_in.is_some_and(|p| {
            clinical::words(&rest[p.len()..])
                .take(3)
                .any(|(_, w)| of.contains(w))
        })
    };
    // "Mrs Hina Patel from the ICB": titled too, right before a body no
    // patient comes from ("Mrs Jones from the surgery" may be registered
    // there; "from the council flats", "the post office" are where people
    // live), and with no health of theirs.
    let from_a_body = rest
        .get(..9)
        .is_some_and(|r| r.eq_ignore_ascii_case("from the "))
        && clinical::words(&rest[9..])
            .next()
            .is_some_and(|(at, w)| at == 0 && NHS_BODIES.contains(w))
        && !health_owned_after(text, end);
    if !titled && org_next(&ORGANISATIONS) || titled && from_a_body {
        return true;
    }
    // "[09:14, 04/12/2026] Julie Hartley (MOT): …", "Agnieszka Nowicka
    // (NHS Lothian)", "Raigmore pharmacy (Kirsty MacRae, …)": the message
    // says where they work.
    // Not when the sentence goes on to someone's medicine ("Agnes Munro (NHS
    // Highland) … needs her clozapine").
    let affiliated = affiliation::chat_sender(text, start, end)
        || !titled
            && (affiliation::organisation_in_brackets(text, end)
                || affiliation::listed_after_a_team(text, start, end));
    if affiliated && !health_owned_after(text, end) {
        return true;
    }
    let rest = text[end..].trim_start_matches(' ');
    // "Day Lewis Sydenham have spare", "Alder Hey are": in British English
    // an organisation takes a plural verb, one person does not ("Kath and
    // Bev have" is two people, joined by "and").
    let plural_verb = after(1).next().is_some_and(|w| {
        one_of(
            w.text,
            &["have", "are", "were", "haven't", "aren't", "weren't"],
        ) && text[end..w.start] == *" "
    });
    let joined = before.is_some_and(|b| one_of(b.text, &["and", "or", "nor"]))
        || text[..start].trim_end_matches(' ').ends_with([',', '&']);
    if !titled && plural_verb && !joined {
        return true;
    }
    // "Gina 10mcg", "Zomorph 10 mg": a name with a strength is a product.
    let lone = first == last && !titled;
    if lone && rest.starts_with(|c: char| c.is_ascii_digit()) && strength(rest) {
        return true;
    }
    // "Any Evra patches spare?", "Yasmin tablets are back": a capitalised
    // name right before a product's form, in the plural, is the product's
    // (a patient's would be "Mary's tablets").
    let packs = after(1).next().is_some_and(|w| {
        PACKS.contains(w.text)
            && text[end..w.start] == *" "
            && !text[..end].ends_with("'s")
            && !text[..end].ends_with("’s")
    });
    if !titled && words[last].title_case && packs {
        return true;
    }
    // "Hana POP limited": one capitalised word before the pill's kind is
    // its brand ("Jade Wilson POP review" is a patient's).
    let pill = after(1)
        .next()
        .is_some_and(|w| one_of(w.folded, &["pop", "coc"]) && text[end..w.start] == *" ");
    if lone && words[last].title_case && pill {
        return true;
    }
    // "Bristol BS1 6XN": a word before a postcode is its town.
    let postcode_at = end + (text[end..].len() - text[end..].trim_start_matches([' ', ',']).len());
    if lone && postcodes::postcode_at(text, postcode_at).is_some() {
        return true;
    }
    // "Nightingale Ward", "Ward 7": a place's word is the place's name.
    let name = &words[first];
    let place_head = PLACES.contains(name.text)
        && (before.is_some_and(|b| b.title_case && text[b.end..name.start] == *" ")
            || rest.starts_with(|c: char| c.is_ascii_digit()));
    if lone && place_head {
        return true;
    }
    // "Sian (Mon–Wed)", "Bev (Thu)": a rota names staff.
    let rota = rest.strip_prefix('(').is_some_and(|r| {
        clinical::words(r)
            .next()
            .is_some_and(|(_, w)| WEEKDAYS.contains(w))
    });
    // "Present: Sian Roberts (chair), Bev Evans": the people at a meeting;
    // "Long service awards\n10 yrs: Denise Clough, Harpreet Sandhu": a
    // roster's entries (untitled, with no age and no health of theirs).
    let attending = colleagues.lists(start)
        || !titled
            && colleagues.rostered(start)
            && listed_entry(text, start, end)
            && !ages::age_or_birth_next(text, end)
            && !health_owned_after(text, end);
    // "Gareth Llewellyn | Discharge Coordinator | gareth.llewellyn@nhs.net":
    // a name set out as a signature (alone on its line, or before a bar)
    // whose NHS address the message carries signs it.
    let set_out = || {
        // Read only the blanks beside the name: a long line is read once.
        let before = text[..start].trim_end_matches([' ', '\t']);
        let after = text[end..].trim_start_matches([' ', '\t', '\r']);
        (before.is_empty() || before.ends_with('\n'))
            && (after.is_empty() || after.starts_with(['\n', '|']))
    };
    // "Hi all, I'm Bethan Rees, new MOT pharmacist … bethan.rees@nhs.net":
    // the writer saying who they are, with their own NHS mailbox.
    let introduced = || {
        let said = |n: usize, phrase: &[&str]| {
            first >= n
                && phrase
                    .iter()
                    .zip(&words[first - n..first])
                    .all(|(p, w)| w.folded == *p)
        };
        let said_so = said(1, &["i'm"])
            || said(1, &["im"])
            || said(2, &["i", "am"])
            || said(2, &["name", "is"]);
        // Not "I'm Bethan Rees and I've just started chemo": their own health.
        said_so
            && !clinical::words(sentence_after(text, end))
                .any(|(_, w)| clinical::is_clinical_word(w))
    };
    let signed = colleagues.has_mailbox(&words[first..=last]) && (set_out() || introduced());
    // "Zoely and Evra", "Hana and Cerelle", "Teva out of stock": named
    // with medicines, or stocked, a name is a brand.
    let clinical_word = |w: Option<&Word>| w.is_some_and(|w| clinical::is_clinical_word(w.text));
    let coordinated = (before.is_some_and(|b| one_of(b.text, &["and", "or"]))
        && clinical_word(first.checked_sub(2).map(|i| &words[i])))
        || (after(1)
            .next()
            .is_some_and(|w| one_of(w.text, &["and", "or"]))
            && clinical_word(words.get(last + 2)));
    rota || attending || signed || (lone && coordinated) || (!titled && stocked(rest))
}

/// True when the name at `start..end` stands as an entry of a list: it
/// opens its line or follows a separator ("Sat – Chidi Eze; Sun – …",
/// "10 yrs: Denise Clough, Harpreet Sandhu"), and only another separator,
/// a bracket or a phone number follows it ("Jackie Morrow 07700 900821");
/// not "Doris Pike rang" or "Doris Pike 14 Elm Road", a sentence or an
/// address.
fn listed_entry(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    let line_start = before.is_empty() || before.ends_with('\n');
    let separated = before.ends_with([',', ';', ':', '–', '—', '-', '•', '*', '|', '&'])
        || before.ends_with(" and")
        // "24/12 Hannah Whitfield": a date or a time opening the entry.
        || before
            .rsplit(['\n', ' '])
            .next()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    // Read at most 200 bytes on: a long list is not read again for each
    // name on it.
    let after = window_after(text, end, 200).trim_start_matches([' ', '\t', '\r']);
    let phone = after.starts_with('+')
        || after.starts_with('0') && after[1..].starts_with(|c: char| c.is_ascii_digit());
    // A full stop ends an entry only after a separator ("Sun – Alina
    // Popescu. All done …"): at a line's start it may end a sentence.
    let closes = after.is_empty()
        || after.starts_with(['\n', ',', ';', '(', '&', '|', '/', '–', '—', '-'])
        || after.starts_with('.') && separated
        || after.starts_with("and ")
        || phone;
    // "Doris Pike, insulin pens x2": what the entry goes on to say is no
    // one's medicine.
    let entry = after.split(['\n', ';', '.']).next().unwrap_or("");
    (line_start || separated) && closes && !roles::clinical_beyond_roles(entry)
}

/// Days as a rota writes them.
#[rustfmt::skip]
pub(super) static WEEKDAYS: Vocabulary = Vocabulary::new(&[
    "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur",
    "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday", "am", "pm",
]);
