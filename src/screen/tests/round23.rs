//! What the twenty-third round's reading of blind corpora 75 and 76, and
//! hostile review 49, found read wrongly. Patients: a colleague off work
//! for their own health ("off for her chemo", "on sick leave"), an age
//! after a board round's name and before a dash, an age set off after a
//! bracket, a first name in a shouted message about "she", a double
//! forename ("Alfie-Rose"), measles. No patients: staff whose job is a
//! trainer's, a facilitator's or a department's ("(HR)", "(IT service
//! desk)"), a house named after a lady, a hospital's wing or outpatients.
//! Hostile review 49's patients with a job outside health, or with a
//! department's name, who go on to say something of their own health,
//! still block.

use super::*;

#[test]
fn colleagues_off_sick_ages_by_a_dash_and_shouted_names_block() {
    for t in [
        "Sister Janet Morris on Ward 7 is off for her breast chemo and needs her Zoladex done",
        "Kirsty Boyle, our dispenser, is off work with anxiety and depression at the moment",
        "Kirsty Boyle, our dispenser, is on sick leave with breast cancer",
        "Board round:\nB1 Dorothy Page 89 - fall, ?#NOF, on apixaban",
        "Mx Robin Tregenza (they/them, prev. Rebecca), 16, at Truro College, wants the pill",
        "CHLOE IN YR 11 AT WADEBRIDGE SCHOOL ASKING FOR THE PILL, SHE SAID MUM CANT KNOW",
        "MY WIFE JEAN HAS HAD NO TABLETS SINCE TUESDAY PLEASE HELP SHE HAS EPILEPSY",
        "Alfie-Rose (3) on Rainforest ward discharged on oral morphine",
        "3 yr old in Ashwater with suspected measles - mum refusing to bring him in",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn trainers_departments_and_places_named_after_people_pass() {
    for t in [
        "Any pop-up errors to Ravi Sharma, SystmOne facilitator, ext 2250.",
        "Daniel Hughes (NEL CSU IT service desk) is on it, ticket INC0458213. Email TTOs.",
        "Discharge pharmacist interviews: panel Dr Caroline Webb and Sue Hayward (HR).",
        "Thanks to Josh Kaur (EMIS trainer) for the how-to on CD repeats.",
        "Lady Margaret House and Florence Court care homes now on proxy ordering.",
        "Anticoag clinic moves to Harris Outpatients from 4 Jan.",
        "Rainbow Nursery Downham Market closed Mon due to norovirus outbreak",
        "Dr Amir Shah says the cut off for flu vaccs is Friday",
        "Priya Shah, PCN pharmacist, is off with the vaccine bus at Tesco car park today",
        "CD returns collected today: Kirsty Boyle 18 - Usman Ali 22 - thanks both",
        "FLU CLINIC SAT 9-12 WITH KIRSTY AND GEMMA, BOOK AT THE COUNTER",
        "Bradford-On-Avon surgery moved the shingles clinic to Friday",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn jobs_and_departments_hide_no_ones_own_health() {
    for t in [
        "Mr Tariq Aziz, Ofsted inspector, collapsed during the visit, he is type 1 diabetic",
        "Helen Doyle, Tesco checkout supervisor, came in again asking for more codeine",
        "Mr Graham Pike, bank manager, found wandering on the high st again, dementia",
        "Mr Derek Shaw, retd tax inspector, found confused at home, possible UTI",
        "Sue Hayward (HR) says she took a double dose of sertraline last night by mistake",
        "Lisa Grant (HR) asks if we can deliver sertraline to her at home",
        "Dr. Margaret Price, retired GP, admitted with a fall on apixaban",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
