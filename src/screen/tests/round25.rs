//! What the twenty-fifth round's reading of blind corpora 79 and 80 found
//! read wrongly. Patients: an ordinary word as a name after an age ("7yo
//! Harry"), a named death, a guessed age ("the 30-odd year old", "about
//! 25" in a bracket), an age in another language set off after a name
//! ("77 ani"), a title in Romanian, a casual word for someone marked out
//! ("the guy who sleeps outside Greggs"), a sentence opened by an age
//! "on the Armley round", a record's id in a link's path. No patients: a
//! length of service ("20 yrs at Manor Park"), a service's mobile ("the old
//! mobile"), a community matron introducing herself, charities listed
//! ("Marie Curie and Sue Ryder nurses"), a hospice for children, a
//! building's secure unit, a chain's branch before its landline, a
//! chain's branch on its street, a schedule's number ("Sch 3 CD either
//! way"), a teaching case whose heading says it is made up, a Welsh word
//! that folds to a name ("tîm"), a district a service covers.

use super::*;

#[test]
fn ages_before_names_deaths_guessed_ages_and_marked_out_strangers_block() {
    for t in [
        "9yo Billy has tonsillitis again, mum asking for more penicillin",
        "84 y/o Rose fell at home, on apixaban",
        "Mrs Ada Birkett died last night, please cancel her blister packs",
        "OOH: Sunita (the 40-odd year old with lupus in Morley) needs her hydroxychloroquine",
        "Jade (red hair, pram, about 30) tried to get codeine twice today",
        "domnul Ion Rusu, 68 ani, din Harehills, are nevoie de insulina",
        "Pan Tomasz Wrona, 52 lat, z Leeds, insulin pens needed",
        "the guy who begs outside Tesco gets his methadone from us",
        "that bloke who always sits by the bus station is on subutex",
        "88 yo on the Chapeltown round keeps refusing her warfarin",
        "https://records.example.org/patient/RAE-7734129/allergies",
        "Kayleigh refused her dose again today",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn service_lengths_service_phones_roles_charities_units_and_branches_pass() {
    for t in [
        "Well done to Amy Price for 25 yrs at Oakwood Surgery",
        "Leaving do for Pat - 30 yrs nursing! Card in the office",
        "Please stop using the old mobile 07700 900 002 for the DN team",
        "Our team mobile is now 07700 900 003 for insulin queries",
        "I'm Joanne Pike, Community Matron for Rothwell, happy to help with polypharmacy reviews",
        "Marie Curie and Sue Ryder nurses can now order syringe drivers through the hub",
        "Martin House children's hospice is taking returns of midazolam on Fridays",
        "Clifton House secure unit has naloxone kits for release",
        "Stockists:\n• Boots Kirkstall Bridge - 0113 496 0456\n• Lloyds Armley Moor - 0113 496 0457",
        "Cohens on Harehills Lane have 4 packs of Espranor, ring 0113 496 0561",
        "Pregabalin is Sch 3 CD all the way through, so a 30 day limit applies",
        "Role play (fictional pt for training):\nMrs B, 81, on warfarin and started clarithromycin",
        "CPD case for Weds: Mr C, 70, on apixaban and amiodarone (made-up case, no real pt details)",
        "Neges gan y tîm: ar gau dydd Llun. Ffôn 029 2018 0457",
        "Bradford District & Craven, 01632 960118 for medicines queries",
        "Our 60-year-old building's lift is broken, use the side door for insulin collections",
        "Vacina da gripe gratuita para maiores de 65 anos, farmácia aberta sábado",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn a_service_s_word_before_a_mobile_keeps_its_owner_s() {
    // "his old mobile": an owner word before the service's word wins.
    for t in [
        "ring his old mobile 07700 900 004",
        "her new mobile is 07700 900 005",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
