//! What the twentieth round's reading of blind corpora 62 to 66 found read
//! wrongly. Patients: a double-barrelled first name in title case, a
//! street listed between commas, a house number alone before "who". No
//! patients: a teaching case under its heading, an eligibility's "born
//! on/after", a clinical system's name, a code in a link, a company's
//! number, a unit's letter, a colleague holding a role for a place with
//! "&" in its name or for a locality, first names thanked in a list, a
//! street's name before a team, a service named for whom it serves, and
//! what someone registers as.

use super::*;

#[test]
fn names_and_streets_read_in_more_places_block() {
    for t in [
        "Lily-May in Year 2 at Highfield Primary has new diagnosis T1 diabetes",
        "elderly gent, 90s, Cranbrook Street, diabetic and registered blind, no family",
        "Temp 38.9°C Kowalski in bay 3 - sepsis six started, gent, blood cultures sent",
        "the lady at no. 9 who always comes in with the little white dog, getting diazepam",
        "the chap at number 14 who's on methadone hasn't been in since Tuesday",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn a_teaching_heading_only_as_a_heading_makes_a_case_made_up() {
    for t in [
        "Sorry missing learning case: on the ward with Mrs B, 84, fell overnight on apixaban",
        "Learning case, not made up sadly: Mrs W, 76, on warfarin, INR 9.8, admitted last night",
        "Mrs F, 86, on apixaban, fell.\nLearning from incidents: check falls risk",
        "Learning case: not anonymised, this is real - Mrs W, 76, on warfarin, INR 9.8",
        "Learning case: \"Doreen Barlow\", 83, from Ivy Court, on warfarin, INR 9.8",
        "Emis Okafor, 67, on warfarin, INR 6.8 - GP to ring him",
        "Our old CNS Pauline Hardy is now a patient at St Gemma's, on a syringe driver",
        "Anonymised case: Mrs G, 83, from Cherry Tree Avenue, Seacroft, on 4 sedatives",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn first_names_thanked_in_a_list_are_no_surname_first() {
    let t = "Thank you Sue, Karen and Mo at Hollybank for getting the flu jabs done";
    assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
}

#[test]
fn units_places_and_services_pass() {
    for t in [
        "Mounjaro pens keep out of the fridge up to 30 days below 30°C. Handy to know.",
        "NI Medicines Governance Team - new number 028 9649 6200, Linenhall St, Belfast BT99 9ZZ",
        "Discharge beds now accept pts on insulin. DN cover via Sherwood Rise team, 0115 496 0150.",
        "A CHI number won't work on EPS here - issue an FP10 and register as temporary resident.",
        "Child flu nasal spray catch-up, Saturday 9-12, Cranbrook Street, all welcome",
        "DOAC audit status Amber-Red as of 02/12/2026, actions with the practice",
        "Flu clinic queue tickets: the gent at no. 31 is next, then the lady at no. 32",
        "Learning from incidents: Mrs A, 78, on warfarin, started clarithromycin - INR 7.2",
        "Anonymised case: Mr B, 60s, T2DM, eGFR 28, still on metformin 1g bd. Stop or reduce?",
        "RSV: eligible if turned 75 on or after 1 Sept 2024 (born on/after 1 Sept 1949)",
        "Gemma Rowe, Macmillan CNS, now covering the north cluster on Tuesdays for referrals",
        "EMIS Web down across the ICB since 08:20 - use paper FP10s, EPS will queue",
        "Medicines conference tickets: https://events.example.com/ych2027?promo=MOT10",
        "Invoice from Specialist Pharmacy Ltd, Company No 08123456 - please pay via SBS",
        "The new district nursing team lead for Seacroft & Whinmoor is Karen Duffy, syringe drivers",
    ] {
        assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    }
}
