//! What the twenty-eighth round's reading of blind corpora 87-89 and
//! hostile review 57 found. Patients: a town or a street typed in lower
//! case ("in much wenlock", "on windermere rd"), a job one person holds in
//! a place ("the ferryman on Lismore", "the landlord of the Red Lion"),
//! someone marked out by what they run or own ("the fella who runs the
//! chippy"), what someone is ("is diabetic"), a misspelt surname after a
//! title in lower case ("mr jhonson"), a first name after a relative in
//! lower case ("my son kai (14)"), a school year after a school in lower
//! case, a delivery to a first name at a house number, an age before a
//! described person ("34yo pregnant woman"). No patients: a chain's name or
//! a short word in lower case ("at rowlands", "in ae"), ordinary streets
//! ("ring road", "coronation street"), a lower-case word after "miss" or
//! "mr" that is a typo or a medicine, a desk at "st lukes reception", a
//! chain's branch address, a job at any place ("the vicar of a rural
//! parish"), "keen on", "on board", a service's committee, and English
//! function words the name registers hold ("Any 65 year old patient").

use super::*;

#[test]
fn lower_case_places_jobs_and_states_single_out_a_patient() {
    for t in [
        "the chap who lives above the bakery in much wenlock has run out of his warfarin",
        "the old lady near keswick with the leg ulcer needs her dressings changed",
        "can u check on my nan doreen on ashgrove rd, shes been double dosed",
        "the ferryman on Lismore is on warfarin and had a nosebleed for 2 hours",
        "the coxswain of the Porthdinllaen lifeboat is on insulin now, can he still go out?",
        "the landlord of the Black Bull in Hawes is back on Antabuse",
        "the fella who runs the chippy on Mill St is diabetic, wants a glucose meter",
        "the woman who owns the florist in Hexham has just been diagnosed with breast cancer",
        "mr tkaczyk form no 14 beech rd needs his catheter bags",
        "my son alfie (13) at oakfield academy has adhd and his meds ran out",
        "hiya my daughter is 15 at st cuthberts yr 10 and shes been put on sertraline",
        "can someone deliver to Doreen at no 7 Chapel Row, shes got no one",
        "29yo pregnant woman in Lerwick on valproate, has anyone done the PPP form?",
        "the big issue seller outside Tesco on Bridge St has a nasty leg ulcer, can a DN see him",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn chains_streets_titles_and_jobs_anywhere_pass() {
    for t in [
        "the lady at rowlands says they have sertraline 50mg back in stock",
        "the man in ae says they can't get Buscopan either",
        "Our driver is stuck on ring road, insulin deliveries will be late",
        "storyline on coronation street this week mentions an overdose, expect questions",
        "Dont miss tommorows valproate webinar",
        "mr nifedipene 30mg must be prescribed by brand",
        "Sandra at st lukes reception will sign for the CD returns",
        "Boots at 23 Gladstone Street will close at 2pm. Flu jabs as usual.",
        "Lloyds at 4 Nelson Square closes at 2pm on Christmas Eve, insulin orders by noon",
        "CPPE scenario: the vicar of a rural parish is on warfarin and wants to start turmeric",
        "Any 65 year old patient can have the flu jab",
        "Pass this to Rhiannon re the insulin shortage",
        "The lady who runs the carers group is on board with flu jabs this year",
        "Our local councillor is on the covid vaccine steering group now",
        "Local man jailed for selling fake weight-loss jabs in leeds",
        "MHRA alert: the seller on facebook marketplace in leeds offering Ozempic pens is not a registered pharmacy",
        // A Welsh role six words before a colleague's number.
        "Cysylltwch â'r nyrs ar alwad, Megan Pryce, ar 07700 900512. Diolch",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn a_chain_s_name_as_a_surname_is_still_someone_s() {
    for t in [
        "Mrs Rowlands at 23 Gladstone Street is not answering her door, her insulin is on the step",
        "the lad who sits outside Tesco begging came in with an abscess, he's injecting again",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
