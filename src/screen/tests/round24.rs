//! What the twenty-fourth round's reading of blind corpora 77 and 78
//! found read wrongly. Patients: one said to be in hospital, a date printed
//! with nothing between ("02APR1938"), initials before a date written year
//! first, after a patient's word or before a school year, a name in Urdu
//! or Gujarati script with an honorific, a household named by its surname,
//! a forename and a street word that is a surname before an age ("Tom
//! Lane, 84"), a name thanked with an age right after it, a colleague who
//! "starts chemo", an EPS token for a named patient. No patients: a
//! surgery named after its street ("Church Lane Surgery"), a team reached
//! through its single point of contact, a care home's count in a list,
//! and words of Urdu script that read as names once folded to Latin
//! letters ("کی", "ہے").

use super::*;

#[test]
fn hospital_stays_joined_dates_initials_scripts_and_households_block() {
    for t in [
        "Bag on shelf C labelled 'MRS J WOOD - FRIDGE ITEM' since 14th Nov, surgery say she's in hospital",
        "Mrs J Wood is in hospital",
        "Mr Okafor was taken to hospital last night",
        "DOB 02APR1938 - Clive, wants to know if his dossett changes",
        "SR query: J.K. 1958-06-19 — sertraline 100mg not on repeat template",
        "SM client D.W. (the one who collects at 12) turned up under the influence, held dose.",
        "KT in Y9 at Cathays High needs her EpiPen replaced",
        "بشیر احمد صاحب کی دوائی تیار ہے - Cheetham Hill branch",
        "રમેશભાઈ પટેલ ની દવા તૈયાર છે - Belgrave Rd branch",
        "Name: ગીતાબેન પટેલ, Wembley - given the wrong insulin pen type yesterday",
        "wrote the name as 陈美玲 on the form, she's the lady with the leg ulcers",
        "the Morrissey family's son on the Ritalin, mum says he's been awful",
        "Tom Lane, 84, lives alone and has run out of warfarin",
        "Thx Tom Green, 45, came back in - BP 190/110 on amlodipine",
        "Please keep Bronwen (our receptionist) in your thoughts, she starts chemo next week",
        "EPS token 6E4A1C-Z8A26B-11ACDG for Elsie Whitehead won't pull down",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn street_named_surgeries_service_contacts_and_counts_pass() {
    for t in [
        "Brook Lane Surgery has a new pharmacy line for queries only: 0121 496 0233 (not for patients)",
        "Church Lane Practice has a new line for patients",
        "DN rota: Rhian Pugh on leave 22-29 Dec; Catrin Lloyd covering. Contact via SPOC 01632 960111.",
        "Flu jabs given this week:\nRose Court, 42\nGrace Lodge, 37\nVictoria House, 51",
        "Deliveries today:\nVictoria Court, 12\nAlexandra House, 8",
        "انسولین کی کمی ہے، insulin تیار ہے",
        "Pharmacists working in hospital pharmacy: apply by Friday",
        "Thanks Sarah Jones, 12 boxes arrived",
        "the Lloyds family of pharmacies has insulin in stock",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}
