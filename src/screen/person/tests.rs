use super::*;
use crate::screen::lexicon;

pub(super) fn people(text: &str) -> Vec<(Reference, &str)> {
    find(text)
        .into_iter()
        .map(|p| (p.reference, &text[p.start..p.end]))
        .collect()
}

#[test]
fn names_in_any_case_and_form() {
    use Reference::Named;
    for (text, name) in [
        (
            "Margaret Thornfield, 22 Station Road",
            "Margaret Thornfield",
        ),
        ("Mr Ivor Example, PE26 9ZZ", "Mr Ivor Example"),
        ("JOAN HEPWORTH 11 MANOR ROAD", "JOAN HEPWORTH"),
        ("Mrs O'Neill at the bungalows", "Mrs O'Neill"),
        ("Mr. J. O'Brien-Jones is", "Mr. J. O'Brien-Jones"),
        ("Mx Öztürk", "Mx Öztürk"),
        ("HOLLIS Margaret 1951-06-02", "HOLLIS Margaret"),
        ("Name: Pritchard, Glyn |", "Pritchard, Glyn"),
        ("PATIENT: O'SULLIVAN, DECLAN MR", "O'SULLIVAN, DECLAN"),
        ("SMITH, JOHN (MR)", "SMITH, JOHN"),
        ("born '49, surname Bhattacharya, she needs", "Bhattacharya"),
        ("Surname:  Bhattacharya, on lithium", "Bhattacharya"),
        ("First name: Oyelaran", "Oyelaran"),
        (
            "111 passed on:\nBethan Morgan-Jones, 19\nasthma",
            "Bethan Morgan-Jones",
        ),
        (
            "Outreach: Jimmy 'Scouse' Kelly, sleeping rough",
            "Jimmy 'Scouse' Kelly",
        ),
        (
            "S:\\Homes\\MAR_Rm12_Jean_Paterson_warfarin.pdf",
            "Jean_Paterson",
        ),
        // A forename that is also a month, before a surname no word has.
        ("jan kowalski 11/11/59 mst 30", "jan kowalski"),
        ("May Evans needs her warfarin", "May Evans"),
    ] {
        assert_eq!(people(text).first(), Some(&(Named, name)), "{text}");
    }
}

#[test]
fn a_common_word_is_a_name_only_where_it_stands_as_one() {
    assert!(people("Will do, thanks Mark").is_empty());
    assert!(people("clinic on 3 Jan, may be moved").is_empty());
    assert!(people("Please mark the CD register as checked").is_empty());
    assert!(people("Hope you're all well! Frank discussion at the PCN").is_empty());
    assert_eq!(people("Mrs Hope needs it")[0].0, Reference::Named);
    // Two ordinary words in capitals are a name when an age or a birth
    // year follows them, and only then.
    for (text, name) in [
        ("Hope Baker born 1950 - flu jab not on NIMS", "Hope Baker"),
        ("Will Cook aged 82 needs his warfarin", "Will Cook"),
        ("Faith Brown, 91, on the ward", "Faith Brown"),
        // A first name and an initial before a birth year in brackets.
        ("Rm1 Edna P (1932), flu jab", "Edna P"),
        ("Walter G (1929, declined last yr)", "Walter G"),
        ("Hope Baker (1950) rang about her delivery", "Hope Baker"),
    ] {
        assert_eq!(people(text), [(Reference::Named, name)], "{text}");
    }
    assert!(people("Hope Baker is our new dispenser").is_empty());
    assert!(people("Will Cook the rota tomorrow?").is_empty());
    // A year of this century in brackets is a citation's, a count a tally's.
    assert!(people("Will Cook (2024) is the new NICE reference").is_empty());
    let tally = people("Flu jabs given: Sian P (42), Bev J (38)");
    assert!(!tally.contains(&(Reference::Named, "Sian P")), "{tally:?}");
    // Makers of generic medicines are not names.
    assert!(people("Teva complaints seem to have died down").is_empty());
    assert!(people("Sandoz are out of stock").is_empty());
}

#[test]
fn described_people() {
    for (text, who) in [
        ("the old chap at 3 Orchard Way", "chap"),
        ("her son who lives at 14 Beech Grove", "son"),
        ("Gentleman in Room 6", "Gentleman"),
        ("the resident in room 31", "resident"),
    ] {
        assert_eq!(people(text), [(Reference::Described, who)], "{text}");
    }
    assert!(people("care home residents and men aged 75").is_empty());
    assert!(people("any 65-year-old patient can book").is_empty());
    for text in ["Lorraine's little boy was admitted", "Mrs Hale's husband"] {
        assert!(
            people(text).iter().any(|(r, _)| *r == Reference::Named),
            "{text}: {:?}",
            people(text)
        );
    }
    for text in [
        "a 70 year old man asked",
        "98-year-old man in Llanfihangel-y-Creuddyn with a stoma",
        "84 yo woman from the flats",
        "man, 98, in Tregaron",
    ] {
        assert_eq!(people(text)[0].0, Reference::Someone, "{text}");
    }
}

#[test]
fn clinicians_colleagues_and_places_are_not_people() {
    for text in [
        "Dr Emily Stroud, 12 Park Drive",
        "Pharmacist Jane Hargreaves, 07700 900345",
        "Daniel Whitcombe, our new technician, 07700 900111",
        "Grace Darling House, 12 Station Road",
        "Charles Darwin Surgery, 7 Mill Road",
        "St Mary's Church, 4 Church Lane",
        "Thanks Amy for covering",
        "Aneurin Bevan UHB formulary now lists Fostair",
        "Sister Jones (district nurse lead) will run the training",
        "If anyone is unwell call 111, first aider is Gemma on reception",
        "Bryn on lates this week",
        "Actions: Sian to circulate SOP on hypertension case-finding",
        "Fraser guidelines apply to the 15 year old, asking generally",
        "see the Green Book ch.28a for shingles",
        "immunosuppressed from 50. Green Book ch.28a",
        "Wells score for the DVT pathway",
        "Please send returned CDs to:\nCivic Centre\nStation Road\nBristol BS1 6XN",
        "Margaret from the ICB, 0113 496 0100",
        "Speak to Gareth (lead pharmacist) about the PGD",
    ] {
        let found: Vec<_> = people(text)
            .into_iter()
            .filter(|(r, _)| *r != Reference::Described)
            .collect();
        assert!(found.is_empty(), "{text}: {found:?}");
    }
    assert!(!people("my Sister Jane has run out of her warfarin").is_empty());
    assert!(people("Anyone got Katya 30/75 or Millinette?").is_empty());
    // Not staff: a titled name's test or card, a patient "to book" or "on
    // leave", a first name before a date.
    for text in [
        "Mrs Hughes test results show INR 6.2",
        "Mr Patel to book his flu jab",
        "Darren Hughes on leave from the ward, needs his clozapine",
        "Kelly 12/09 missed her methadone again",
        "Please call Mei LI about her methotrexate bloods",
    ] {
        assert!(!people(text).is_empty(), "{text}");
    }
    assert!(people("forename Missing on three methadone scripts").is_empty());
    assert!(
        !people("Phoenix PO 20250318-0047 confirmed")
            .iter()
            .any(|(r, _)| *r == Reference::Named)
    );
}

#[test]
fn a_contraction_is_not_a_name() {
    // "I'm" is not the surname "Im": the name after it is the speaker's.
    assert_eq!(
        people("Hi I'm Siobhan Kelly, I was in"),
        [(Reference::Named, "Siobhan Kelly")]
    );
    assert!(!people("we'll see").iter().any(|(_, w)| w.contains("we'll")));
    assert_eq!(people("Mrs O'Neill")[0], (Reference::Named, "Mrs O'Neill"));
}

#[test]
fn initials_before_an_age_or_a_birth_date_are_a_person() {
    for (text, who) in [
        ("JT, 44, from Little Haversham, MS relapse", "JT"),
        ("JM 04/02/1983 – fluoxetine 20mg", "JM"),
        ("re AKO (12/11/1958) on warfarin", "AKO"),
        ("JMcG 12.09.61 – ramipril up to 10mg", "JMcG"),
    ] {
        assert_eq!(
            people(text).first(),
            Some(&(Reference::Named, who)),
            "{text}"
        );
    }
    for text in [
        "MS, 44, relapse",
        "GP 04/02/1983",
        "JM 04/12/2026 meeting",
        "JM 04/12/26 meeting",
        "AF, 78, on warfarin",
        "PCN 12 practices",
        "PLEASE NOTE JM 04/02/1983",
        "Drug alert EL(25)A/12 – levothyroxine",
        "MHRA alert EL (24)A/12 class 2 recall",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
}

#[test]
fn a_household_or_a_child_of_it_is_someone_described() {
    for (text, who) in [
        ("the only Polish family on Pen-y-Bryn Terrace", "family"),
        ("their youngest has just started", "youngest"),
        ("that family in the end cottage", "family"),
    ] {
        assert_eq!(
            people(text).first(),
            Some(&(Reference::Described, who)),
            "{text}"
        );
    }
    for text in [
        "the family planning clinic on Park Road",
        "our oldest pharmacy on the High Street",
        "family history of diabetes",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
}

#[test]
fn a_colleague_said_to_be_a_patient_is_a_patient() {
    assert_eq!(
        people("our own dispenser Sharon is a pt here too")[0],
        (Reference::Named, "Sharon")
    );
    assert!(people("our dispenser Sharon is off today").is_empty());
}

#[test]
fn a_name_before_a_plural_pack_is_a_brand() {
    for text in [
        "Any Yasmin tablets left? Need 3 packs",
        "Have you got Evra patches in?",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // A patient's tablets are hers.
    assert_eq!(people("Mary's tablets ran out")[0].1, "Mary's");
}

#[test]
fn only_singles_a_person_out() {
    assert_eq!(
        people("only transplant patient in Tregaron, his tacrolimus is late"),
        [(Reference::Described, "patient")]
    );
}

#[test]
fn a_name_in_a_file_name_is_a_name() {
    // Surname first, joined by underscores, as photos and charts are named.
    for (text, name) in [
        (
            "sent the pic IMG_Okafor_Chidinma_eczema.jpg",
            "Okafor_Chidinma",
        ),
        ("Attached: MAR_Nowak_Agnieszka_Rm4.xlsx", "Nowak_Agnieszka"),
    ] {
        assert_eq!(
            people(text).first(),
            Some(&(Reference::Named, name)),
            "{text}"
        );
    }
    // One underscore only: a template's or a setting's name is no person.
    assert!(people("use mot_request_reminder and stock_check__weekly").is_empty());
}

#[test]
fn a_forename_the_lexicon_lacks_in_foreign_letters_leads_a_known_surname() {
    assert_eq!(
        people("Južytė Kazlauskienė 07700 900890 - on valproate"),
        [(Reference::Named, "Južytė Kazlauskienė")]
    );
    // Not a Gaelic place word before a forename, nor an ASCII unknown word.
    assert!(
        people("Sgoil Mhòr Morag")
            .iter()
            .all(|p| p.1 != "Mhòr Morag")
    );
    assert!(people("Zorbex Kazlauskiene").is_empty());
}

#[test]
fn the_writer_introducing_themselves_with_their_own_mailbox_is_no_patient() {
    let intro = "Hi all, I'm Bethan Rees, new MOT pharmacist for the north cluster. \
                 bethan.rees@nhs.net / 029 2018 0391";
    assert!(people(intro).is_empty(), "{:?}", people(intro));
    // Their own health in the same sentence, or no mailbox of theirs, is
    // not an introduction.
    for text in [
        "I'm Bethan Rees and I've just started chemo, bethan.rees@nhs.net",
        "Hi all, I'm Bethan Rees. bethan.rees@gmail.com",
    ] {
        assert_eq!(
            people(text).first().map(|p| p.1),
            Some("Bethan Rees"),
            "{text}"
        );
    }
}

#[test]
fn a_school_year_said_of_one_pupil_is_someone_described() {
    assert_eq!(
        people("the only Year 10 at Bishop Vaughan with a stoma"),
        [(Reference::Described, "Year")]
    );
    assert_eq!(
        people("a Yr 9 who has a peanut allergy"),
        [(Reference::Someone, "Yr")]
    );
    for text in [
        "Year 10 has PE on Tuesday",
        "the Year 10s get their HPV jab",
        "for the Year 10 cohort",
        "the year 2025 plan",
        "Flu jabs done this year 85, up on last year",
        "HPV catch-up for the Year 9 at Bishop Vaughan on Monday",
        "Nasal flu spray is for only Year 1, 2 and 3 this term",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
}

/// Staff and organisations written as a name is: a signature's first name
/// alone, a business or hospital whose name ends in what it is, a greeting
/// read as a name's first word, colleagues listed after their role.
#[test]
fn a_surname_first_before_a_birth_and_a_name_after_a_place() {
    for (text, name) in [
        (
            "Kowalski M b.1950 Ward 12 - co-careldopa missed x2",
            "Kowalski M",
        ),
        ("Kowalski Maria b.1950 on co-careldopa", "Kowalski Maria"),
        ("Kowalski M 04/02/1950", "Kowalski M"),
        ("in Paisley, Callum, 6, has epilepsy", "Callum"),
    ] {
        assert!(
            people(text).contains(&(Reference::Named, name))
                || people(text).contains(&(Reference::Forename, name)),
            "{text}: {:?}",
            people(text)
        );
    }
    // A tally in brackets is no birth: "Sian P (42)".
    assert!(!people("Flu jabs: Sian P (42), Bev J (38)").contains(&(Reference::Named, "Sian P")));
    assert!(people("Vitamin D 1000 units, Hepatitis B 3 doses").is_empty());
}

/// A child's age set off in its unit is an age; a placeholder in a
/// training scenario is no one; a prisoner's number is someone's.
#[test]
fn ages_in_months_scenarios_and_prisoners() {
    use crate::screen::{Severity, screen, verdict};
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    assert!(blocks(
        "Leo, 18 months, at Little Acorns nursery - new anaphylaxis to cashew"
    ));
    assert!(blocks("Ava (3 wks) has oral thrush"));
    assert!(!blocks(
        "Priya (2 and a half) covers dispensary flu jabs this week"
    ));
    assert!(!blocks("For 18 months, the team has run the flu clinic"));
    assert!(!blocks(
        "training scenario for tonight: 'Mrs A', 82, on warfarin, wants ibuprofen"
    ));
    assert!(blocks("Mrs Adams, 82, on warfarin, wants ibuprofen"));
    assert!(blocks(
        "prisoner A4582CK transferred from HMP Leeds, needs his clozapine continued"
    ));
}

/// Health said of a name by "is" ("Lisa Tranter is off having chemo"),
/// and a mailbox of an initial and a surname, are a person's.
#[test]
fn health_after_a_name_and_an_initialled_mailbox() {
    use crate::screen::{Severity, screen, verdict};
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    assert!(blocks(
        "our receptionist Lisa Tranter is off having chemo from next week"
    ));
    assert!(blocks(
        "can we email his med list to him? jbrennan1962@example.com - 14 items"
    ));
    assert!(names_a_person("jbrennan1962") && !names_a_person("stock.team"));
    assert!(!names_a_person("shall") && !names_a_person("orders"));
    assert!(!blocks("Boots is having flu jabs delivered Tuesday"));
    // A named person's relative is known by the name.
    assert!(blocks(
        "Dr Khan's mum is on Ward 4 at the Royal after a stroke"
    ));
    assert!(blocks("Sue's husband has had a stent, now on clopidogrel"));
}

/// An organisation's role and its holder, a health centre, and the last
/// word of an organisation's name before a comma are no patient's.
#[test]
fn the_lexicon_marks_every_word_a_description_opens_at_and_no_other() {
    for word in description_openers() {
        assert!(lexicon::entry(word).opens_description, "{word}");
    }
    for word in [
        "the",
        "old",
        "margaret",
        "pharmacist",
        "rooms",
        "sons",
        "ladyship",
    ] {
        assert!(!lexicon::entry(word).opens_description, "{word}");
    }
    assert_eq!(
        people("her son has run out"),
        [(Reference::Described, "son")]
    );
}

#[test]
fn names_of_the_generations_before_the_baby_name_lists_are_names() {
    // Elderly patients carry Welsh and Gaelic names that no list of babies
    // born since 1996 holds.
    for (text, name) in [
        ("Goronwy Bevan has run out of his apixaban", "Goronwy Bevan"),
        ("dilwyn rowlands on warfarin, INR 4.8", "dilwyn rowlands"),
        ("Mrs Gwladys Pugh fell at home", "Mrs Gwladys Pugh"),
        ("ISLWYN PARRY - blister pack", "ISLWYN PARRY"),
        ("Oighrig MacLeod, 91, on digoxin", "Oighrig MacLeod"),
    ] {
        assert_eq!(people(text), [(Reference::Named, name)], "{text}");
    }
}

#[test]
fn hospitals_and_charities_named_after_people_are_institutions() {
    for text in [
        "Alder Hey and the Royal Manchester Children's are short of oral morphine",
        "Marie Curie nurses now do the overnight palliative visits",
        "Betsi Cadwaladr has changed the DOAC guidance",
        "Florence Nightingale Hospice takes referrals for palliative care",
        "transferred to the John Radcliffe for chemo",
        "James Cook hospital are out of oral vancomycin",
        "The team has moved to 3rd floor Ty Glas",
    ] {
        let found = people(text);
        assert!(
            found.iter().all(|(r, _)| *r == Reference::Institutional),
            "{text}: {found:?}"
        );
    }
    // A name people have too is a person's unless the text says otherwise,
    // and so is any with a title or read on into a surname.
    for (text, name) in [
        ("James Cook has run out of his apixaban", "James Cook"),
        ("Sue Ryder collected her methadone", "Sue Ryder"),
        ("Mary Stevens has run out of her insulin", "Mary Stevens"),
        (
            "Mrs Florence Nightingale fell at home",
            "Mrs Florence Nightingale",
        ),
        (
            "Mary Seacole-Brown 58 sickle cell crisis",
            "Mary Seacole-Brown",
        ),
        ("Patient name: Florence Nightingale", "Florence Nightingale"),
    ] {
        assert_eq!(people(text), [(Reference::Named, name)], "{text}");
    }
}

#[test]
fn a_welsh_building_is_no_one() {
    assert_eq!(
        people("Meeting moved to 12/03 at 2pm, Tŷ Dewi Sant, Room 3"),
        []
    );
    // Without its circumflex "Ty" is a forename.
    assert_eq!(
        people("Ty Williams has run out of his inhaler"),
        [(Reference::Named, "Ty Williams")]
    );
}

#[test]
fn a_couple_and_a_lower_case_initial_are_people() {
    assert_eq!(
        people("mrs d kowalczyk KY99 9ZZ has her blister pack"),
        [(Reference::Named, "mrs d kowalczyk")]
    );
    assert_eq!(
        people("Mr & Mrs Hodgson from Manchester, he's lost his insulin"),
        [(Reference::Named, "Mrs Hodgson")]
    );
    assert_eq!(
        people("Oleksandra Kovalenko needs her levetiracetam"),
        [(Reference::Named, "Oleksandra Kovalenko")]
    );
    // A title and a letter with no surname after it is no name.
    assert!(people("mrs a said the order is in").is_empty());
}
