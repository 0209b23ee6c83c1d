//! What the twenty-second round's reading of blind corpora 73 and 74
//! found read wrongly. Patients: a medicine cut short ("pregab"), a Welsh
//! street whose word comes first, a year after another language's "born",
//! a name in a script without capitals after a title. No patients:
//! places that open with a compass word, wards named as Welsh hospitals
//! name them or listed beside their like, a wholesaler's depot, a
//! hospital named after its county.

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
        "Mulberry Ward and Rowan Ward at the Jubilee Unit are piloting the insulin checklist",
        "QMC: Nightingale Ward and Lister Ward merging into Ward C7 from Mon, insulin stock moving",
        "Meds fridge failure on Ward Dewi overnight - insulin quarantined. Ward Cadog unaffected",
        "Phoenix Leeds depot moved: Unit 7, Ring Road, tel 0113 496 0110. Insulin orders as usual",
        "Tyrone County accepting the new insulin passport from Monday",
        "King Edward VII hospital Midhurst now taking NHS ortho lists",
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
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
