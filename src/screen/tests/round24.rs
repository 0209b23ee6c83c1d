//! What the twenty-fourth round's reading of blind corpora 77 and 78
//! found read wrongly. Patients: one said to be in hospital, a date printed
//! with nothing between ("02APR1938"), initials before a date written year
//! first, after a patient's word or before a school year, a name in Urdu
//! or Gujarati script with an honorific, a household named by its surname,
//! a forename and a street word that is a surname before an age ("Tom
//! Lane, 84"), a name thanked with an age right after it, a colleague who
//! "starts chemo", an EPS token for a named patient, a label's "KOWALSKI
//! J 14/05/61". No patients: a surgery named after its street ("Church
//! Lane Surgery"), a care home's count in a list, words of Urdu script that
//! read as names once folded to Latin letters ("کی", "ہے"), places listed
//! that are forenames too, a teaching case under "Paediatric case
//! (anonymised)", a role mailbox ("training@", not "Trai Ning"), a
//! device's model ("McKinley T34"). Hostile review 50's staff in hospital,
//! households thanked and names in other scripts beside a role pass, and
//! its patients behind "SPA" or a street-word surname still block. A
//! description that marks someone out ("the gent who comes in every
//! Tuesday") blocks with their health; hostile review 51's staff, advice
//! and teaching described the same way pass.

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
        "Elsie Whitehead 14Sept1938 parcel on the shelf, daughter collecting",
        "SPA callback needed: Tom Reid 07700 900345 re his warfarin",
        "Olumide Green Hospital appt on Monday, hold the methotrexate",
        "شبانہ کوثر کی دوائی کل تیار ہوگی",
        "सुनीता शर्मा की दवाई कल तैयार होगी",
        "ਸੁਰਜੀਤ ਕੌਰ ਦੀ ਦਵਾਈ ਤਿਆਰ ਹੈ",
        "রহিমা বেগম এর ওষুধ রেডি, কাল নিয়ে যাবেন",
        "Hi, 王伟 needs his metformin repeat, GP hasn't sent it",
        "بشیر احمد صاحب کی دوائی تیار ہے - Cheetham Hill branch",
        "રમેશભાઈ પટેલ ની દવા તૈયાર છે - Belgrave Rd branch",
        "Name: ગીતાબેન પટેલ, Wembley - given the wrong insulin pen type yesterday",
        "wrote the name as 陈美玲 on the form, she's the lady with the leg ulcers",
        "the Morrissey family's son on the Ritalin, mum says he's been awful",
        "Tom Lane, 84, lives alone and has run out of warfarin",
        "Thx Tom Green, 45, came back in - BP 190/110 on amlodipine",
        "Please keep Bronwen (our receptionist) in your thoughts, she starts chemo next week",
        "EPS token 6E4A1C-Z8A26B-11ACDG for Elsie Whitehead won't pull down",
        "[Photo] label reads: KOWALSKI J  14/05/61  Amlodipine 5mg tabs - whose is it?",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn street_named_surgeries_service_contacts_and_counts_pass() {
    for t in [
        "Brook Lane Surgery has a new pharmacy line for queries only: 0121 496 0233 (not for patients)",
        "Church Lane Practice has a new line for patients",
        "Dr Amir Shah is in hospital on Tuesdays for his diabetes clinic",
        "Gareth is going to hospital with the CD returns",
        "Priya our pharmacist has been in hospital since 8 doing the antibiotic audit",
        "SN in Year 8 (HPV) this morning, JT (Year 7) on epipen training",
        "thanks to the Patel family for donating a BP monitor to the clinic",
        "Pharmacist on duty today - Name: عمران خان - any دوائی questions to him",
        "آج کے فارماسسٹ کا نام عمران خان ہے، دوائی کے سوالات ان سے پوچھیں",
        "عمران صاحب ہمارے نئے فارماسسٹ ہیں، دوائی کے بارے میں سوالات ان سے پوچھیں",
        "डॉक्टर अनीता जी कल दवाई की क्लिनिक करेंगी",
        "Hamilton, Livingston and Kirkcaldy Health Centres have stock of Nyxoid",
        "Paediatric case (anonymised): 6yo with asthma using salbutamol 10x/day - what would you advise?",
        "Szkolenie: podawanie leków, czwartek 10:00. Zapisy: training@example.org",
        "District nurse syringe driver (McKinley T34) competency update Wed 10am",
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

#[test]
fn a_description_that_marks_someone_out_blocks_with_their_health() {
    for t in [
        "the gent who comes in every Tuesday on the red scooter - his pregabalin script is post-dated",
        "the tall young lad with the staffie who comes in for his supervised - not been in for 3 days",
        "the deaf gentleman who comes in with his guide dog on Tuesdays – his warfarin dose has changed",
        "The old chap, who comes in every Tuesday, has been taking double his bisoprolol",
        "The wee girl whose mum died at Christmas is on sertraline now, school nurse wants us to know",
        "That resident who shouts at night is back on the lorazepam, Rose Court want it in the blister pack",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
    for t in [
        "the lady who rang this morning about her warfarin, can someone call back",
        "the rep who comes in on Tuesdays has the new insulin pens",
        "the man who comes to fix the fridge says the insulin is fine",
        "Training scenario for Weds: the lady who lives alone and has run out of her warfarin - what do you do?",
        "Remember: the chap who uses his inhaler wrong won't get the benefit, check technique",
        "The rep who covers us is on the insulin training",
        "Community pharmacists - DMS referrals from Guy's & St Thomas' now come via PharmOutcomes",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}
