//! What the twenty-second round's reading of blind corpora 73 and 74
//! found read wrongly. Patients: a medicine cut short ("pregab"), a Welsh
//! street whose word comes first, a year after another language's "born",
//! a name in a script without capitals after a title. No patients:
//! places that open with a compass word, wards named as Welsh hospitals
//! name them or listed beside their like, a chain's branch in a town that
//! is a first name too, "Prof." with its full stop, a charity's nursing
//! team, a town in a row's cell, cohorts after another language's "born",
//! "Mr" and "Mrs" translated. Hostile review 45's patients named West,
//! Ward, Phoenix or King, or listed beside a ward, still block.

use super::*;

#[test]
fn medicines_cut_short_welsh_streets_and_other_scripts_block() {
    for t in [
        "Kevin Dunleavy in again for his pregab early, 3rd time this month",
        "kev from the flats (kevin dunleavy) in again for his pregab early",
        "the only house on Ffordd Las with the green door, old gentleman with dementia",
        "Pacjentka Zofia Lewandowska (ur. 1945) z Aberdeen - alergia na penicylinę",
        "Need an interpreter for Mrs نسرین بی بی, son says she is taking all her metformin",
        "Mr 王伟 needs his metformin",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn places_wards_and_depots_named_like_people_pass() {
    for t in [
        "East Kilbride and Kilwinning hubs have Mounjaro 2.5mg; West Kilbride none until Tues",
        "South West Acute and Altnagelvin accepting the new insulin passport from Feb",
        "Mulberry Ward and Beech Ward at the Jubilee Unit are piloting the insulin checklist",
        "Willow Ward / Hazel Ward: insulin pens to be restocked",
        "Meds fridge failure on Ward Dewi overnight - insulin quarantined. Ward Cadog unaffected",
        "King Edward VII hospital Midhurst now taking NHS ortho lists",
        "Sarah Jones transf to Leeds branch confirmed from Monday",
        "Flu jab leaflet (Polish): osoby ur. 1959 lub wcześniej - free",
        "Label template: Mr 先生 / Mrs 女士 boxes, then the dose line for metformin",
        "speakers Prof. Aled Williams (Cardiff Uni) on deprescribing in frailty",
        "Marie Curie nursing team Belfast: new referral line 028 9649 6150, Mon-Sun 8-8",
        "CPPE care homes medicines optimisation workshop, Leeds, 15 Jan 2027, 9.30-4, Park Plaza.",
        "Outbreak update: oseltamivir prophylaxis via Boots Hyde on the PGD.",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn people_named_like_wards_still_block() {
    for t in [
        "Edna Ward and Bob Ward both need their insulin delivered today",
        "Ward Jones, 84, needs his insulin",
        "Mrs Ward Dewi on warfarin, INR 6",
        "Mrs Edna Ward and Nightingale Ward staff: her insulin is due",
        "West, Sarah (Mrs) needs her insulin, BM 2.1",
        "North West Sarah Hughes needs her insulin",
        "Ward Jones needs his insulin",
        "Sarah Ward and Beech Ward need her insulin by 10pm",
        "Jane Smith and Baby Smith both need a review of the trimethoprim dose",
        "Phoenix Derby needs his inhaler, mum says he is wheezy",
        "Gary Hughes County Durham has run out of his methadone",
        "King Edward needs his insulin, he is hypo",
        "Rowlands Dilwyn has run out of his apixaban",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
