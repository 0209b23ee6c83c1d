//! Names and places the twentieth round's reading of blind corpora 62 to 64
//! found read wrongly: a double-barrelled first name in title case, a
//! street listed between commas, a house number alone after someone;
//! and a unit's letter, a colleague holding a role for a place with "&" in its name, first names
//! thanked in a list, a street's name before a team, a service named for
//! whom it serves and what someone registers as, which are no patients.

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
        "The new district nursing team lead for Seacroft & Whinmoor is Karen Duffy, syringe drivers",
    ] {
        assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    }
}
