//! What the twenty-first round's reading of blind corpora 67 and 68 found
//! read wrongly, and what hostile review 42 found of the fixes. No
//! patients: staff listed under a roster's heading, a teaching case under
//! any teaching heading, a clinic's room, a named care home's address, a
//! Welsh house, a health board's phone. Patients: a patient's or a
//! relative's number near a business word, a birth's month and year after
//! its label, a social media handle said to be someone's.

use super::*;

fn blocks(t: &str) {
    assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
}

fn passes(t: &str) {
    assert_eq!(verdict(&screen(t)), None, "{t}");
}

#[test]
fn staff_listed_under_a_roster_pass() {
    for t in [
        "Long service awards 2026\n10 yrs: Denise Clough, Harpreet Sandhu\n20 yrs: Malcolm Reid\nPresentations at the staff Xmas do 18/12.",
        "MOT on-call rota over Xmas:\n24/12 Hannah Whitfield 07700 900412\n27/12 Imran Siddiqui 07700 900413\nWork mobiles only.",
        "Certificates from the care home medicines admin training on 19/11 are attached for:\nSandra Mbeki\nTom Hollis\nAgnieszka Nowak",
        "Care Home Support Team contacts:\nNurse lead – Jackie Morrow 07700 900821\nAdmin – Lorraine 0114 496 0150",
    ] {
        passes(t);
    }
}

#[test]
fn patients_listed_under_a_heading_block() {
    for t in [
        "Hi team\nDoris Pike rang. Needs insulin pens asap",
        "Driver rota today:\nDoris Pike, insulin pens x2",
        "Delivery rota:\nDoris Pike 14 Elm Road insulin",
        "Please can the Frailty team see:\nKevin Doyle\nFrailty team: falls x3, dementia, on warfarin",
        "Nurses to chase over the weekend:\nDerek Lowe; INR 6.1 on warfarin\nBrenda Ackroyd; missed clozapine x3",
        "Weekend on-call contacts - EOL:\nMargaret Ellison 07700 900412\nJoan Whitaker 07700 900413\nBoth on syringe drivers",
        "Locums - please be aware, tried to get extra pregabalin at 3 branches:\nKayleigh Booth 07700 900555\nJason Pike 07700 900556",
    ] {
        blocks(t);
    }
}

#[test]
fn a_teaching_case_under_any_teaching_heading_passes() {
    for t in [
        "Learning from an incident: Mrs A, 82, care home resident, got apixaban twice after discharge. Please check TTOs.",
        "Case for Thurs teaching: 68M, T2DM, eGFR 28, on metformin 1g BD. What would you change?",
        "Anonymised case for CPD: \"Mr B, 60s, homeless, on twice-daily insulin, no fridge\" - how would you support him?",
        "Learning case: Mrs A, 78, on warfarin, started clarithromycin, INR not checked for 2 weeks - what went wrong?",
        "Case for discussion: Mrs C, 70, on lithium, started ramipril - level rose to 1.6",
    ] {
        passes(t);
    }
}

#[test]
fn a_real_case_under_a_teaching_heading_blocks() {
    for t in [
        "Learning from today: Mrs A, 82, fell at home",
        "Training point: Mrs K, 84, came in this morning with her husband, INR 9.8",
        "Lessons from last night: Mrs W, 76, INR 9.8, admitted, family furious",
        "Quiz night Fri: bring snacks\n\nAlso 74M, Dennis, collects on Thursdays, INR 9.1 - GP says stop warfarin",
        "Quiz: 68M, T2DM, lives at 4 Oak Road, on metformin",
    ] {
        blocks(t);
    }
}

#[test]
fn a_clinic_s_room_and_a_named_home_s_address_pass() {
    for t in [
        "CMHT Wrexham duty line changed to 01632 960550. Clozapine clinic Thursdays 9-12 in room 3.",
        "Bore da bawb! Cyfarfod MOT dydd Iau 10/12 am 2pm, Ystafell 3 (room 3), Canolfan Iechyd Llangefni.",
        "Delivery address for the flu vaccine top-up: Elm Tree Court Care Home, 48 Station Road, Ilkley LS29 9ZZ.",
        "Ty Mawr and Plas Newydd care homes are low on yellow sharps bins – order via DN stores ext 5521.",
        "Diolch,\nCatrin Morgan\nTechnegydd Fferylliaeth / Pharmacy Technician\nBwrdd Iechyd Prifysgol Betsi Cadwaladr\n01632 960877",
    ] {
        passes(t);
    }
}

#[test]
fn a_resident_s_room_or_home_and_ty_as_a_name_block() {
    for t in [
        "Warfarin clinic letter for the lady in room 14: INR 5.2, omit tonight's dose",
        "Memory clinic wrote re Edna in room 12 - start donepezil 5mg, DoLS in place",
        "The lady who wont go in a nursing home, 9 Park Lane, keeps missing her insulin",
        "Ty Coch, 31, on clozapine 400mg, stopped taking it, CPN aware",
        "Ty Gwyn collects his methadone daily, missed 3 days, mum worried",
    ] {
        blocks(t);
    }
}

#[test]
fn a_patient_s_or_relative_s_number_blocks_near_a_business() {
    for t in [
        "patients wife contactable on 07700 900402 if the practice needs to talk about his dementia meds",
        "Can the pharmacy ring the patient back on 07700 900884 re the inhaler swap pls, she's confused",
        "Board round - Gareth on apixaban, 07700 900345, ring before discharge",
    ] {
        blocks(t);
    }
    for t in [
        "Any patient can ring 0113 496 0123 for flu jabs",
        "Patient transport booking line 0113 496 0222 - they need 48 hrs notice for clinic appointments",
        "For the patient safety team ring 0113 496 0678 about the insulin incident",
        "Night cover: ring the ward sister's mobile 07700 900274, hospital switchboard is very slow",
        "Dr Shah, our new GP partner, 07700 900710 - surgery mobile for care home queries",
        "Mum & Baby clinic 07700 900190 - Thursday drop-in at the health centre",
    ] {
        passes(t);
    }
}

#[test]
fn a_birth_s_month_and_year_after_its_label_blocks_alone() {
    for t in [
        "wrong methadone dose given to SM (d.o.b 03/85) at Wellgate",
        "DOB 03/1985",
        "Doris (b. 1954) needs her warfarin",
    ] {
        blocks(t);
    }
    for t in [
        "Script audit results: name 40/40, DOB 12/40, address 39/40 - please check DOB on every FP10",
        "Missing d.o.b: 10/12 scripts today from Oakwood, please ring the surgery",
        "Quiz Q3: gentamicin levels how often? a. 6/24 b. 12/24 c. 24/24",
        "Shingles: anyone with DOB 09/1949 or earlier is eligible, run the Emis search",
        "RSV catch-up: DOB 09/1944 to 08/1949 cohort, search on EMIS",
    ] {
        passes(t);
    }
}

#[test]
fn a_social_media_handle_said_to_be_someone_s_blocks() {
    for t in [
        "pt's instagram is @lindsey_m_1985, she's posting her prescription meds for sale",
        "she said to DM her on insta @kayleigh.b.x about collecting the nicotine patches",
    ] {
        blocks(t);
    }
    for t in [
        "Follow us on insta @LeedsMOT for flu clinic updates",
        "Great talk from Dr Sarah Jones on insulin safety - follow her on X @drsarahjones_gp",
    ] {
        passes(t);
    }
}

#[test]
fn places_listed_before_what_they_are_pass() {
    for t in [
        "Heads up: Beeston, Morley, Heath and Ashby branches all short on Fostair 100/6.",
        "Holly Bank, Rose Court and Grace Lodge care homes all move to the new eMAR system on 12 Jan.",
        "Ballymena, Larne and Carrickfergus community pharmacies – MO team visiting re the care home MAR audit. Any qs 028 9649 6123.",
        "Moss Chemist Bramley and Hamilton's Pharmacy Ossett both have Ventolin in stock.",
        "Side rooms free: Florence Ward, 2\nVictoria Ward, 1\nAlbert Ward, 0",
    ] {
        passes(t);
    }
}

#[test]
fn people_listed_before_a_place_word_block() {
    for t in [
        "Please visit Joan Whitaker and Peter Sumner homes today, both on syringe drivers with midazolam",
        "Missed doses yesterday: Joan Whitaker, Peter Sumner and Derek Lowe care homes - all on warfarin",
        "Jason Pike Beeston Morley Headingley branches today for extra pregabalin, on methadone",
        "Ashby Dispensary Joan Whitaker, 84, missed her apixaban all week",
        "Bramley Chemist Doreen Barlow, 83, fell again, on apixaban and now confused",
        "Mrs Edna Ward on 11 meds, keeps missing her warfarin",
        "Mrs Edna Hall, 81, on 11 meds",
    ] {
        blocks(t);
    }
}

#[test]
fn dotted_initials_with_a_birth_date_block() {
    for t in [
        "A.K. 03/09/79 - on the clozapine clinic list, bloods not done this month",
        "K.L. 12.11.58 – insulin dose changed to 24 units, please update MAR",
    ] {
        blocks(t);
    }
}

#[test]
fn a_heading_that_only_sounds_like_teaching_is_no_teaching_case() {
    for t in [
        "Re the discussion at huddle: Mr T, 67, on lithium, level 1.9, his son rang us very upset",
        "Re learning disability reviews: Mr D, 34, epilepsy, on valproate, seizures weekly",
        "Learning disability reviews: Mr D, 34, epilepsy, on valproate, seizures weekly",
        "Re the discussion: the 84 yo on warfarin at her own home with INR 9",
    ] {
        blocks(t);
    }
}

#[test]
fn a_patient_with_a_bracketed_leader_or_doing_something_blocks() {
    for t in [
        "Ron Gibbs (scout leader) says he's been without warfarin for 3 days, INR clinic missed",
        "Tony Walsh (HCA at Beech House) is doing a course of clarithromycin and is still on simvastatin 80, ok?",
        "Doris Pike (church leader) needs her insulin",
    ] {
        blocks(t);
    }
}

#[test]
fn initials_before_a_birth_label_and_its_number_block() {
    blocks("RT d.o.b 1962 on the supervised methadone 60ml – missed 3 days");
    for t in [
        "JM 04/12/2026 visit done, MAR updated",
        "Warfarin SOP v4 - original signed off JM 01/04/2012, please bin the old copies",
        "Fridge temp log for the flu vaccine: entries initialled AK 03/02/14 onwards",
        "Care home MAR chart: staff sign \"AK dob verified\" when giving the first dose of antibiotics",
        "Shingles: DOB 1953 cohort now eligible, EMIS search in the shared folder",
        "Flu: DOB 1960+ do not invite till October, stock low",
        "DOB 1960 or earlier eligible for shingles",
        "Shingrix for DOB 1944-1949, run the search",
    ] {
        passes(t);
    }
}

#[test]
fn a_birth_abbreviation_may_run_into_its_year() {
    blocks("AB (b.1954) at Beechwood needs her warfarin dose by 4pm pls");
    passes("Vitamin b.12 levels low in 3 residents, check the B12 protocol");
}
