//! What the twenty-sixth round's reading of blind corpora 81 and 82 found
//! read wrongly. Patients: "(pt)" after a name, a patient greeted about
//! their own prescription, a European house number after its street
//! ("Carlton Rd nr. 9"), a Welsh school year mutated ("ym Mlwyddyn 6"), a
//! pupil known by "initials A.K." at a school, "the one with MS", "the
//! pregnant one", someone described by their looks ("blue coat, walking
//! frame"), "what meds she's on", an ordinary word as a first name before
//! what is said of her own medicine ("Jade needs her lamotrigine"). No
//! patients: a hospital named by its
//! town ("Barry Hospital"), a chain's branch ("our Seaton Carew branch",
//! "Day Lewis"), a hospice after another ("… Hospice and Sue Ryder
//! Wheatfields"), brands listed ("Yasmin, Katya"), a town in brackets
//! after a workplace ("Hospital pharmacy (Elgin)"), a teaching case "not
//! a real patient" or whose "names and dates changed", a medicine's short
//! word after a name in capitals ("SABA Rx"), a service's mailbox
//! ("oakwood.training@"), a room booked for training, a region of a town
//! ("DN South Bristol"), a colleague "from the pharmacy on …" who "has
//! kindly offered", one congratulated "on passing her independent
//! prescribing". Hostile reviews 53 and 54's patients behind each
//! exemption block, and their staff and things beside each new rule pass.

use super::*;

#[test]
fn labelled_greeted_described_and_schooled_patients_block() {
    for t in [
        "Methadone 60ml supervised, witnessed by: Kowalski, Marta (pt)",
        "Text sent: 'Hi Jordan, your prescription is ready. Sertraline 50mg x28.'",
        "Domnul Florin Popa, Ashgrove Rd nr. 14, wants his insulin delivered",
        "Nyrs ysgol: bachgen ym Mlwyddyn 4 yn Ysgol Pen y Bryn, Ifan, angen EpiPen newydd",
        "Referral for a Year 8 pupil at Heolddu Comprehensive, initials J.R., self-harm, please don't sell him paracetamol",
        "Flat 3 resident, the one with COPD, needs her inhalers delivered",
        "the pregnant one from the salon asked again if her sumatriptan is safe",
        "The man who collapsed by our door this morning (grey hoodie, crutches) - A&E want to know what meds he's on",
        "Jade needs her lamotrigine before the weekend",
        "Ruby missed her insulin again this morning",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn towns_homes_branches_hospices_brands_and_teaching_cases_pass() {
    for t in [
        "Barry Hospital pharmacy has spare Emerade 300 today",
        "Scripts from Market St now go to our Seaton Carew branch.",
        "Day Lewis and Rowlands branches in Hull are doing blood pressure checks",
        "St Gemma's Hospice and Sue Ryder Wheatfields have new palliative stock lists",
        "Stock: Yasmin, Katya and Zoely all back in at AAH",
        "Dr Gray's Hospital pharmacy (Elgin) has spare Jext, call 0131 496 0218",
        "Case for discussion: 15yo, asthma, 4 SABA Rx in 3 months, no ICS (not a real patient)",
        "OOH learning: 'Mrs D' case (missed sepsis) is on the portal. Names and dates changed.",
        "Which pack is the one with the most tablets in it?",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn patients_behind_round_26_s_exemptions_block() {
    for t in [
        "NB details changed for Mr B at Bramley House, his insulin now shows as stopped",
        "Jean Hall care home placement from Monday, 88, dementia, on donepezil and warfarin",
        "New resident at the home (Shirley) keeps refusing her donepezil",
        "discharged from the hospice and James Cook is now on oramorph at home, 77",
        "Hello Kieran, ur sertraline is in, collect by Fri",
        "The one with MS from Elm Court rang again about her baclofen",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

/// (A first name with clinical words warns, which sends.)
#[test]
fn rotas_reps_demonstrations_and_things_beside_round_26_s_rules_send() {
    for t in [
        "Hi Lisa, your repeat order for the home went in this morning",
        "PPG meeting Tues: Chair Brian Moss (patient) and Dr Okafor, agenda attached",
        "Debbie will show the spacer she uses for demos at the asthma session",
        "Can someone fix the blind one in consult room 2",
        "Barry Hospital pharmacy have Creon 25000 in stock if anyone is short",
        "OK to honour owings with 2 x Estradot 25 patches if the GP amends the Rx",
        "Szanowni Państwo, szczepienia dla osób 65+ w aptece. Proszę dzwonić: 020 7946 0733.",
        "Braw work the day folks! Ta tae the DN teams",
        "Pearl started her insulin pen training today with the diabetes nurse",
        "Jade collected her flu vaccine stock from the cold chain fridge",
    ] {
        assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn mailboxes_venues_regions_and_colleagues_at_work_pass() {
    for t in [
        "Insulin pump training 9 Dec, Holly Lodge. Book via holly.training@example.org",
        "Syringe driver training for new starters Mon 14 Dec, Moor Park Health Centre, room 3.",
        "DN South Bristol: referrals to the team inbox please, ph 0117 496 0782",
        "Mrs Begum from the pharmacy on Roundhay Rd has kindly offered to hold spare Emerade",
        "Congratulations to Seren Hughes on passing her independent prescribing!",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn patients_beside_the_colleague_rules_block() {
    for t in [
        "Mrs Kaur from the flats on Hyde Park Rd has kindly offered to return her insulin",
        "Congratulations to Edna Platt on finishing her chemo, 84 and still going",
        "Room 3 resident Mr Dobson, 88, missed his morning meds",
        "Lower Beverley's warfarin to 3mg from tonight",
        "Castle Surgery (Stanley) missed his B12 again",
        "Send the repeat reminder to kevin.admin@example.com, he never answers his phone",
        "Can't make the training today, room 5 has had a fall and is on apixaban",
        "Congratulations to Dean Platt on passing his kidney stone, tamsulosin stopped",
        "Mr Ali from the pharmacy on Whitechapel Rd has kindly offered to bring back his wife's oxycodone",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
