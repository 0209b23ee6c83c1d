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
//! way"), a teaching case whose heading says in brackets it is made up, a
//! Welsh word that folds to a name ("tîm"), a signature's phone cell after
//! its job title. Hostile review 52's patients behind each exemption
//! block, and its staff, cohorts and counts beside each new rule pass.

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
        "Cheers, Bev\n\nBev Hollins | Medicines Optimisation Technician | Bradford District & Craven | 01632 960118",
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

#[test]
fn patients_behind_round_25_s_exemptions_block() {
    for t in [
        "Rose, 87 yrs of age, now on oramorph and confused",
        "Elsie (91 yrs in May) has stopped eating, on midazolam now",
        "Patient complaint re missed insulin delivery - the old mob 07700 900 617 no longer works",
        "Retired matron on the Armley round, 07700 900 336, wants a call back re her INR",
        "Anthony Nolan and Marie Curie nurses both visiting - he's on a syringe driver now",
        "Ken Hall day centre on Weds, needs his lunchtime meds in a separate pack",
        "Boots Goronwy Bevan: 029 2018 0459 - his insulin is ready",
        "Gent at 41 Kirkstall Road opposite Morrisons is diabetic and housebound",
        "Same day 22 Cross Lane, she's end of life, needs her midazolam urgently",
        "Sorry missing the training role play: the lady who comes in every Tuesday with her dog fell, she's on apixaban",
        "Gwen Platt District Nurses going in twice daily now, her insulin needs collecting",
        "Our 92-year-old regular's dosette needs changing, she's now on apixaban",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

/// (A first name with clinical words warns, which sends.)
#[test]
fn staff_cohorts_counts_and_things_beside_round_25_s_rules_send() {
    for t in [
        "Flu jabs done today: Priya (about 60), Tom (about 45), great effort all",
        "Our 30-odd year old fridge finally died overnight, insulin moved to the spare",
        "65 yo on 31 March 2026 - eligible for flu vaccine this season",
        "NMS fee is now £28 per patient 2024-25, claims by the 5th",
        "Patient leaflet: https://www.example.org/patient/2024-25-flu.pdf print a few",
        "Paracetamol dosing: 4-6 yo 10ml, 6 yo Max 4 doses in 24h",
        "Chris is on JIC bags this week, Sam's doing returns",
        "Kirsty's doing ABPM fittings on Tuesdays now",
        "Honestly Dave died when the CQC inspector asked for the CD register",
    ] {
        assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
