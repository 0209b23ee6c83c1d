//! Tests of the rules that read a name as a colleague's, an
//! organisation's or a chain's branch rather than a patient's.

use super::tests::people;
use super::*;

#[test]
fn people_at_a_meeting_are_staff_until_the_line_ends() {
    let minutes = "Minutes / PRESENT: Sian Roberts (chair), Bev Evans, Kath Doherty";
    assert!(people(minutes).is_empty(), "{:?}", people(minutes));
    let next_line = "Present: Sian Roberts\nMargaret Thornfield on warfarin";
    assert_eq!(
        people(next_line),
        [(Reference::Named, "Margaret Thornfield")]
    );
    // A name before the heading on its line is not in the list.
    let before = "Margaret Thornfield on warfarin; apologies: Bev Evans";
    assert_eq!(people(before), [(Reference::Named, "Margaret Thornfield")]);
    // A long list on one line (the heading is found once per text).
    let long = format!("Attendees: {}", "Sian Roberts, ".repeat(2_000));
    assert!(people(&long).is_empty());
}

#[test]
fn roles_before_a_name_make_it_staff() {
    for text in [
        "Rep from Teva visiting Weds, Amelia Hart, re the generic inhaler switch",
        "Ashgrove Care Home has a new manager (Helen) – MAR chart queries go to her now",
        "Our new locum starts Monday, Sam Okoro, so the warfarin clinic runs",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // Someone else named in the sentence: the name may be theirs.
    assert!(!people("Locum saw the lady yesterday, Amelia Hart, with chest pain").is_empty());
}

#[test]
fn a_list_of_people_present_after_a_dash_is_attendance() {
    let text =
        "Minutes 03/12\npresent - Priya S, Tom W, Dr Ahmed, Grace H\nActions: Tom to circulate";
    assert!(people(text).is_empty(), "{:?}", people(text));
    assert!(!people("ever-present - Priya Sharma").is_empty());
}

#[test]
fn a_chain_before_its_town_in_opening_hours_is_no_patient() {
    for text in [
        "Boots Merthyr 10-4, Lloyds Pontypridd 10-12",
        "Boxing Day: Tesco Aberdare 9.30 to 4pm, Boots Merthyr closed",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // What hostile reviews found broader versions hid: a chain's name as a
    // surname, or leading a longer name; a role before a name ("a new
    // script from the GP, Edna Price."); a clause after a name that is no
    // role ("Edna Price, new to the GP practice").
    for (text, name) in [
        ("Rowlands E. on methotrexate 10mg weekly", "Rowlands E"),
        ("Rowlands Gwen, 82, insulin", "Rowlands Gwen"),
        (
            "Rowlands Pugh, E. still waiting for her lithium level",
            "Rowlands Pugh",
        ),
        (
            "Sent to Boots Goronwy Bevan will collect there",
            "Boots Goronwy Bevan",
        ),
        (
            "there is a new script from the GP, Edna Price.",
            "Edna Price",
        ),
        (
            "Edna Price, new to the GP practice and needs MDS",
            "Edna Price",
        ),
        ("GP has stopped the ramipril, Edna Price.", "Edna Price"),
        ("Ada Kerr, who can't get out of her chair now", "Ada Kerr"),
        // A role after the name is the doctor's when the sentence goes on
        // to name the patient's medicine.
        (
            "Edna Price, our GP has doubled her methotrexate dose",
            "Edna Price",
        ),
        (
            "Edna Price, our district nurse, says her new insulin pens are due",
            "Edna Price",
        ),
    ] {
        assert_eq!(people(text).first().map(|p| p.1), Some(name), "{text}");
    }
}

#[test]
fn colleagues_and_organisations_written_as_names_are_not_people() {
    for text in [
        "Thanks, Gareth\nGareth Lloyd | Medicines Optimisation Pharmacist | Cardiff and Vale UHB",
        "The Hope Street pharmacy (Jones Chemist) is doing the flu clinic",
        "training at Neath Port Talbot Hospital seminar room 2",
        "Ash Tree Surgery's prescriptions line is now 0113 496 0291",
        "Welcome Chidi Okeke who joins the discharge team as a pharmacy tech",
        "School nurses Ailsa and Morven leading the HPV catch-up",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // Not staff: a surname that is also a place's word, a colleague's
    // first name with health said of it, one joined to no colleague.
    for (text, name) in [
        ("Jenny Hall is on warfarin", "Jenny Hall"),
        (
            "Gareth's started chemo. Gareth Lloyd | Pharmacist",
            "Gareth's",
        ),
        ("Edna and Bert both on warfarin", "Bert"),
    ] {
        assert!(
            people(text).iter().any(|(_, found)| *found == name),
            "{text}: {:?}",
            people(text)
        );
    }
}

/// A name as a record lists it, surname first, before a birth; a place's
/// name ends at its comma.
#[test]
fn organisations_roles_and_names_are_not_people() {
    for text in [
        "Patient safety specialist for the ICB is Tomasz Nowak, work mobile 07700 900146",
        "Dr Chinwe Eze (GP partner, Moss Side HC) asks that DMS referrals go to the practice",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    let returns = "returns to: Medicines Management, Ty Glas, Cardiff";
    assert!(
        !people(returns)
            .iter()
            .any(|(_, p)| p.starts_with("Management"))
    );
    // A surname first after a comma is still one.
    assert_eq!(
        people("Hollis, Margaret - dementia"),
        [(Reference::Named, "Hollis, Margaret")]
    );
    // Not a role of the organisation: the patient the GP referred.
    assert!(!people("the patient the GP referred is Edna Jones").is_empty());
}

#[test]
fn the_sender_of_a_copied_chat_message_is_a_colleague() {
    for text in [
        "[14:02, 02/12/2026] Owen Price: Flu PGD v4 is out, old one invalid from Monday",
        "[09:14, 04/12/2026] Julie Hartley (MOT): Creon 25000 back in stock",
        "[03/12/2026, 09:14] Joanne Hutton (Lisburn HC): Is the MMR clinic still on?",
        "Forwarded:\n02/12/2026, 14:02 - Gareth Pugh: Creon 25000 back in",
    ] {
        assert!(people(text).is_empty(), "{text}");
    }
    // Not at a line's start after a stamp, not before a colon, a patient or
    // a relative by their label, or a patient's own message about their
    // health (a hostile review's probes).
    for text in [
        "[14:02] re Owen Price: needs his warfarin",
        "[14:02, 02/12/2026] Owen Price needs his warfarin",
        "[14:02, 02/12/2026] Owen Price (patient): can I get my warfarin early",
        "[14:02, 02/12/2026] Owen Price: can I get my warfarin early, INR was 4.2",
        "[08:05, 04/12/2026] Owen Price: I've had no insulin since Tuesday",
    ] {
        assert_eq!(people(text), [(Reference::Named, "Owen Price")], "{text}");
    }
}

#[test]
fn a_health_body_in_brackets_after_a_name_is_where_they_work() {
    for text in [
        "thanks to Agnieszka Nowicka (NHS Lothian) for the leaflets",
        "Stephen Irwin (SEHSCT Immunisation) asked about the MMR clinic",
        "Huge thanks to Raigmore pharmacy (esp Kirsty MacRae and Alasdair Munro)",
    ] {
        assert!(people(text).is_empty(), "{text}");
    }
    // Where a patient is registered or known, a ward, a title, a label, an
    // age, their medicine; patients referred to a team (a hostile review's
    // probes).
    for (text, name) in [
        ("John Hughes (known to MH team) self harm", "John Hughes"),
        (
            "Kevin Doyle (ICB) - continuing healthcare, MND",
            "Kevin Doyle",
        ),
        ("Ward 5 (John Smith) discharge meds", "John Smith"),
        (
            "Mrs Jones (Riverside Surgery) needs her warfarin",
            "Mrs Jones",
        ),
        (
            "Margaret Hollis (Moorside Surgery) has run out of her insulin",
            "Margaret Hollis",
        ),
        (
            "Margaret Hollis (NHS Highland), 84, on warfarin",
            "Margaret Hollis",
        ),
        (
            "Agnes Munro (NHS Highland) is moving, needs her clozapine",
            "Agnes Munro",
        ),
        (
            "Referred to the falls team (Edna Marsh, lives alone) on alendronic acid",
            "Edna Marsh",
        ),
    ] {
        let found = people(text);
        assert!(found.iter().any(|(_, n)| *n == name), "{text}: {found:?}");
    }
}

#[test]
fn a_chain_before_a_place_is_a_branch_before_a_name_a_patient() {
    for text in [
        "Boots Victoria Sq 028 9649 6503 open late",
        "thanks to Boots Inverness Eastgate and the Inverness West team",
    ] {
        assert!(people(text).is_empty(), "{text}");
    }
    for (text, name) in [
        (
            "Sent to Boots Goronwy Bevan will collect",
            "Boots Goronwy Bevan",
        ),
        ("Rowlands E. on methotrexate 10mg weekly", "Rowlands E"),
        (
            "Boots Derek Ashworth 10am to 2pm collecting his sertraline",
            "Derek Ashworth",
        ),
        (
            "Rowlands Pugh, Glenys: lithium level overdue",
            "Rowlands Pugh",
        ),
    ] {
        let found = people(text);
        assert!(
            found.iter().any(|(_, n)| n.contains(name)),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn greetings_storms_and_a_sentence_end_are_no_names() {
    // Signed off in Welsh as in English: a first name alone, no surname.
    assert_eq!(people("Diolch, Aled\n"), people("Thanks, Aled\n"));
    for text in [
        "aye nae bother, sharps bins the morn",
        "hiya all, estradiol gel back Thursday",
        "Storm Bronagh: Kinlochbervie branch shut, scripts diverted",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // A child called Storm (a hostile review's probe).
    assert_eq!(
        people("Storm Fairclough (age 7) needs her EpiPen in school"),
        [(Reference::Named, "Storm Fairclough")]
    );
    let found = people("eMAR at Abbeyfield Fort William. Alison MacDonald has the dates");
    assert!(found.iter().all(|(_, n)| !n.contains('.')), "{found:?}");
}

#[test]
fn a_mailbox_with_a_place_word_is_the_place_s() {
    assert!(!names_a_person("fferyllfa.bont"));
    assert!(!names_a_person("castlestreet.pharmacy"));
    assert!(names_a_person("gareth.llewellyn"));
    // A place word that is a surname too is the surname.
    assert!(names_a_person("sandra.ward72"));
}

#[test]
fn names_listed_with_a_colleague_are_colleagues() {
    for text in [
        "Staffing: Catrìona, Donnie and Màiri from the practice",
        "Meeting with Dr Elspeth Morton and Iain Sinclair from Mental Health Pharmacy",
        "I just came out the meeting with Gráinne and Oisín from the Southern Trust",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // Not a patient listed with a place, one with an age, one with a title,
    // nor a patient before a clinician named by title.
    for (text, name) in [
        (
            "Dylan ap Rhys, Tŷ Newydd farm nr Tregaron, hasn't collected his insulin",
            "Dylan ap Rhys",
        ),
        ("Sister Rees and Edna Jones, 84, with new AF", "Edna Jones"),
        ("Dr Patel and Mrs Hale from the surgery", "Mrs Hale"),
        ("Edna and Sister Rees from the practice", "Edna"),
        // A full name before or after a colleague's (a hostile review's probes).
        (
            "Margaret Hollis and Sharon from the practice both confirmed her dose",
            "Margaret Hollis",
        ),
        (
            "Spoke to Dr Anita Patel and Margaret Hollis this morning. Stopping the warfarin",
            "Margaret Hollis",
        ),
    ] {
        let found = people(text);
        assert!(found.iter().any(|(_, n)| *n == name), "{text}: {found:?}");
    }
}

#[test]
fn a_charity_after_a_comma_is_no_forename() {
    let text = "Signposting: Age NI, Macmillan, Marie Curie and Cruse";
    assert!(
        people(text).iter().all(|(_, n)| !n.contains("Macmillan")),
        "{:?}",
        people(text)
    );
}

/// True when every person `text` names is a first name in a colleague's,
/// a place's or a brand's part (or there is none).
fn at_work_only(text: &str) -> bool {
    people(text).iter().all(|(r, _)| *r == Reference::AtWork)
}

#[test]
fn a_titled_name_from_an_nhs_body_is_a_colleague() {
    let text = "Mrs Hina Patel from the ICB medicines team will go through antimicrobials";
    assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    // Not where people live or are registered, nor with health of their
    // own; nor anyone with a role in brackets and clinical words after it
    // (the second hostile review of the round).
    for (text, name) in [
        (
            "Paul Kendrick (MOT) - dementia, found wandering",
            "Paul Kendrick",
        ),
        (
            "Tariq Mahmood (Cluster Pharmacist) needs insulin urgently",
            "Tariq Mahmood",
        ),
        (
            "Mrs Hina Patel from the surgery needs her insulin",
            "Mrs Hina Patel",
        ),
        (
            "Mrs Doreen Walsh from the council flats has run out of insulin",
            "Mrs Doreen Walsh",
        ),
        (
            "Mrs Joan Fisher from the ICB - her warfarin was doubled",
            "Mrs Joan Fisher",
        ),
    ] {
        assert!(
            people(text).iter().any(|(_, n)| *n == name),
            "{text}: {:?}",
            people(text)
        );
    }
}

#[test]
fn places_that_are_names_stand_as_places() {
    for text in [
        "Somali outreach session at the Powerhouse, Moss Side, Thurs 2-5, flu jabs",
        "next-day delivery of insulin now covers most of West Sussex",
        "Queen Elizabeth Birmingham is using the new TTO template",
        "Royal Preston pharmacy asking if anyone has Creon 10000",
        "Trinity Hospice Clapham holding JIC morphine over Christmas",
        "flu jabs at St John's church hall Bradford",
        "Milton Keynes pharmacies still short of Creon",
        "The Stanley branch has spare insulin pen needles",
    ] {
        assert!(people(text).is_empty(), "{text}: {:?}", people(text));
    }
    // A town named like a person, alone, where a place goes: a first name
    // that blocks with a detail but does not warn.
    for text in [
        "Barry, Newport and Bridgend pharmacies please confirm your flu stock",
        "Medicines Optimisation, NHS Greater Glasgow and Clyde - insulin guidance",
        "St Helier, St George's and Kingston all report Creon in stock",
        "P1-P7 flu vax sessions at all Angus primaries w/c 6 Oct",
        "Boxing Day: Tesco Talbot Green 10-4",
    ] {
        assert!(at_work_only(text), "{text}: {:?}", people(text));
    }
    // People named like places: with an age, listed with people or with
    // medicines, or a village after a chain ("Rowlands Dilwyn" has his own
    // apixaban).
    for (text, name) in [
        ("Barry, 84, Newport - missed his insulin", "Barry"),
        (
            "Rowlands Dilwyn has run out of his apixaban",
            "Rowlands Dilwyn",
        ),
        (
            "Bloods due for Shirley and Leslie at Rose Court - both on lithium",
            "Shirley",
        ),
        (
            "Supervised today: Shirley, Espranor 8mg; Leslie, Methadone 60ml",
            "Shirley",
        ),
        (
            "Flu jabs due at home visits: Rose Green and Dennis Green, housebound",
            "Dennis",
        ),
    ] {
        let found = people(text);
        assert!(
            found
                .iter()
                .any(|(r, n)| n.starts_with(name) && *r != Reference::AtWork),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_first_name_in_a_colleague_s_part_does_not_warn() {
    for text in [
        "we've got 40 Fluenz left at Allerton, can send some to Kirkstall if needed - Hamza",
        "Ring Bola at Peckham Pharmacy if you need Physeptone, she's got 2.5L",
        "we've 3 x Espranor 8mg spare, Sydenham Rd branch, ask for Ade",
        "Big thank you to Adaeze and Kofi in the Hub for turning round 300 MARs",
        "fyi Grace at Alliance says the Movicol paediatric is on allocation",
        "who's the lead for the DMS now Owen has moved to the ICB? metformin queries",
        "Leki order arrived, Tomasz please put away the insulin",
        "Shift change: Bilal nights, dawai round 8pm",
        "Jo's off sick today so the Tues warfarin clinic is cancelled",
        "Yasmin OOS at Phoenix, Lucette is the equivalent",
        "Czy ktoś ma Ozempic 0.5mg? Dzięki, Marta - Boots Peterborough",
        "Anyone got Creon 25000? Thanks - Gethin, Fferyllfa'r Bont, 029 2018 0456",
    ] {
        assert!(at_work_only(text), "{text}: {:?}", people(text));
    }
    // A patient in those parts: speaking of themselves, writing in, rung at
    // home, told of their own medicine, moving into a home.
    for text in [
        "the lad on methadone - Kev - says he's moving to Rhyl next wk",
        "its Wiktor, cant get my epilepsy meds lamotrigine",
        "can someone ring Doreen at home first re her INR, she's deaf",
        "Naloxone kit - Kyle asked if we could give him another one",
        "ran out of my inhalers and cant get a GP appt till Monday\nDoreen",
        "Not collected their methadone for 3 days, please chase:\nKyle",
        "Doreen please bring your insulin pen to Tuesday's clinic",
        "ran out of my insulin, can you help? Thanks, Doreen",
        "I've run out of insulin and the GP won't answer. Thanks, Doreen",
        "Mum has had no warfarin since Tuesday. Cheers, Kelly",
        "Dosettes: cancel deliveries. Doreen has moved to Rose Court care home",
    ] {
        let found = people(text);
        assert!(
            found.iter().any(|(r, _)| *r == Reference::Forename),
            "{text}: {found:?}"
        );
    }
}
