//! Colleagues named in full with a role bound to the name (before it,
//! after it, in brackets before a work verb, said to be held), thanked for
//! a deed or given an action, as the nineteenth round's reading of blind
//! corpus 60 found them; and the patients a hostile review (38) wrote in
//! the same shapes.

use super::*;

#[test]
fn a_role_bound_to_a_full_name_makes_a_colleague() {
    for t in [
        "Medicines Safety Officer Ifeoma Chukwu: please read the NatPSA on oxygen cylinders",
        "Vaccinators Sat: 08:30-12:30 Fiona Laidlaw RN, Eilidh Morrison RGN",
        "Siobhan McAllister (practice nurse lead) will run the Saturday RSV and flu session",
        "Ravinder Kaur (independent prescriber) running a COPD clinic at Beeston Pharmacy 10-2",
        "Hayley Brennan is the LPC contact for the contraception service",
        "Niamh Brolly has joined us as practice pharmacist, she'll be doing the DOAC reviews",
        "Thanks to Dr Faisal Mahmood and Hodan Farah for translating the diabetes leaflets",
        "Shout out to Kelechi Nwachukwu who gave 412 flu jabs at the Armley hub",
        "Action from last week: Marek Kowalczyk to check whether Fostair is on the formulary",
        "Welcome back to Nadia Rahman - she's back as Medicines Safety Officer from 7 Dec",
    ] {
        assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    }
}

#[test]
fn a_patient_behind_a_role_or_a_deed_still_blocks() {
    for t in [
        "Nyrs Elin Prydderch came in as a patient today, INR 6.2 on warfarin, GP informed",
        "Fiona Braithwaite RN was seen in A&E herself last night, started on enoxaparin 120mg",
        "Gareth Pritchard RGN - HIV positive, on Biktarvy, asked that the ward not be told",
        "Shona MacLeod RMN is under our crisis team now, olanzapine 10mg, sectioned under s2",
        "Eilidh Cameron to escalate to crisis team if suicidal thoughts return, on mirtazapine 30mg",
        "Karim Benali (pharmacy tech) covering today but he is also on our list - insulin started",
        "Imam Tariq Siddiqui collected his insulin glargine today, HbA1c 92",
        "John Smith (pharmacist) running a temperature, on antibiotics",
        "Lucy Kerr, care worker at Oakwood, needs a hep B booster after a needlestick, started PEP",
        "John Smith is a retired nurse on warfarin",
        "NGUYEN Thi Lan 15/07/1983 - interpreter needed (Vietnamese) for her new med review Weds",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
