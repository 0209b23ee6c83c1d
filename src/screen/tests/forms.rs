//! The forms the blind corpora and hostile reviews found, each written
//! anew here as a test of the whole screen.

use super::*;

/// Forms found by blind corpus 5 (issue 20), each written anew here.
#[test]
fn labelled_numbers_typos_and_what_is_not_a_person() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        // A mistyped number after its label is still someone's.
        "NHS no: 999 1O3 4420 - her repeat went astray",
        "nhs# 999-222-1234 allergic to pen, please check",
        "CHI 0101459990 - TTO missing from the d/c letter",
        // Written as an NHS number is, right after "NHS" or "HCN".
        "pt nhs 999 610 2284 - lithium level 1.3 this morning",
        "Methadone FP10MDA rec'd for NHS 999 402 7713, prescriber pls reissue",
        "HCN 9993204477 - methadone 45mg, supervise from Mon",
        "his nhs number is nine nine nine one two three four five six seven, needs insulin",
        // A personal address or number that stands for a patient (the
        // hostile trial of issue 20's screen).
        "anne.jones@hotmail.co.uk asked about her warfarin",
        "peterbrown1975@gmail.com re sertraline",
        "call 07700 900777 about her insulin",
    ] {
        assert!(blocks(t), "{t}");
    }
    for t in [
        // Numbers labelled as something else; births as a range.
        "AAH order no 9990000018 - was the Mounjaro on it?",
        "Invoice #9990000018 for the flu vaccine delivery",
        "Out of hours: NHS 111 or 0113 496 0018 for urgent supplies",
        "Example of the format only: NHS 999 000 0019 (deliberately invalid)",
        "MMR catch-up: offered on 1 Sept 2025 to those born 1 Sept 2019 - 31 Aug 2020",
        // A town after a place; staff in an appositive; names in an
        // organisation's address; brands said to be in or out of supply.
        "Anticoagulation clinic moved to the Queen Elizabeth Hospital, Gateshead",
        "Controlled drugs queries to Priya Shah, Medicines Safety Officer, 0113 496 0401",
        "Warfarin queries: priya.shah@nhs.net or 0113 496 0401",
        "Evra, Zoely and Rigevidon 150/30 now back in stock",
        "Mirena and Jaydess remain on allocation until March",
        "Sertraline shortage: orders@example.org or 0113 496 0402",
        "New email castlestreet.pharmacy@example.org, 12 Castle St, for the flu clinic",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
}

/// A first name with health said of them is a patient's health (a
/// colleague's own diagnosis included); a first name beside what staff do
/// with medicines is not (the hostile review of this rule, re-written).
#[test]
fn a_first_name_with_health_said_of_them_blocks() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "Edna needs her morphine patch changed today",
        "Edna's morphine patch is ready for collection",
        "Kelly has just been diagnosed with MS, please be gentle",
        "Our dispenser Kasia won't be in, she's started chemo for breast cancer",
        "Edna phoned: she is now on insulin",
        "Kelly's been diagnosed with MS",
    ] {
        assert!(blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "Dave the driver says he's dropped off the methadone at Elm House",
        "Megan says she put the insulin in the fridge",
        "Priya will run her asthma clinic on Thursday morning",
        "Zoe has been asked to check her methotrexate stock",
        "Ahmed has just been trained on the methadone pump",
        "Reminder: Jo and Sam are on tomorrow; he's doing methadone, she's doing flu jabs",
        "Sam is leaving, his last methadone supervision shift is Friday",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
}

/// A label glued to the digits labels them as one written apart does:
/// "NHSno…" blocks on its own, clinical words or not, and a mistyped one
/// is still someone's. Letters that are no label keep the digits a code.
#[test]
fn a_label_glued_to_the_digits_labels_them() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "NHSno9994635638 for the weekly delivery",
        "nhs9990268592 please",
        "pt NHSNUM 999 463 5638 collected",
        "NhsNumber9994635638",
        "CHIno9994635638 at the door",
        "NHSno9994635639 (typed from the label)",
        "ptNHS9994635638",
        "NHSno9994635638Edna",
        "NHSnumber: 9994635638",
        "CHIno:9994635638",
        "NHS number: 9994635638/9990268592",
        "NHS nos 9994635638,9990268592 both on the list",
        "hc3750044198 metformin mr 1g x2 pls",
        "HCno3750044198",
    ] {
        assert!(blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "PIP code AB9994635638 back in stock",
        "tracking x9994635638 for the tote",
        "Order ref NHSE9994635638 confirmed",
        "ratio 1.9994635638/2",
        "batch THC3750044198 received",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
}

/// Forms found by blind corpus 6 (issue 20), each written anew here.
#[test]
fn readings_out_site_codes_initials_and_what_is_not_a_patient() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "Pt rang, nhs no is, she said, nine nine nine, five five two, double one eight oh, re her inhaler",
        "hosp no: QEH 5512347 please chase her TTO",
        "D4412378 is his hospital number, he's on the stroke unit",
        "AB, 67, from Nether Wallop, new AF on apixaban",
        "KP 12/10/1957 - warfarin INR 4.2 today",
        "Zainab is in Reception at Moorside Primary and needs her inhaler in school",
        "I'm Gareth Pughe and I need my methotrexate sorting",
        "a 90yo in room 12 has a chest infection",
    ] {
        assert!(blocks(t), "{t}");
    }
    for t in [
        // A business's own new number; anyone of an age; an invented case.
        "Headingley branch is moving - new landline 0113 496 0456 from Monday",
        "can a 15 year old buy ibuprofen over the counter?",
        "Made-up case for Weds teaching:\nMrs B, 81, on digoxin with a new cough",
        // Colleagues named after a role; a brand that is also a name.
        "The Pfizer rep, Tom Hall, is in on Friday about the Paxlovid pathway",
        "anyone got Lyrica 150 in for a colleague at Park Lane?",
        "Sunya is back in stock, Katya still out",
    ] {
        assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    }
}

/// Forms found by blind corpus 7 (issue 20), each written anew here.
#[test]
fn an_age_and_sex_shorthand_stands_for_a_person() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    assert!(blocks("67M ZZ99 3XA, new AF, started edoxaban"));
    assert!(blocks(
        "91f, lives alone on Mill Lane, ran out of her sertraline"
    ));
    // A catheter's gauge is a size, not an age.
    assert!(screen("Any 16F Foley catheters spare? Ours are out till Tues").is_empty());
}

/// Forms found by blind corpus 8, each written anew here.
#[test]
fn someone_of_an_age_in_a_named_place_with_health_blocks() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    assert!(blocks(
        "87-year-old woman in Betws-y-Coed with the new gastrostomy, can you order feeds"
    ));
    assert!(blocks("woman, 87, in Betws-y-Coed, new stoma"));
    // Without a place, an age and a person word are a training case's.
    assert_eq!(
        verdict(&screen(
            "Case study for Thursday: 82-year-old woman, 14 regular meds, two falls"
        )),
        None
    );
}

#[test]
fn a_word_name_with_a_nickname_or_from_a_block_of_flats_is_a_person() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    assert!(blocks(
        "Wee Bill from the flats on Marsh Lane is back on his methadone"
    ));
    assert!(blocks(
        "Frank from the estate on Marsh Lane, his insulin pens"
    ));
    assert!(blocks(
        "Hope from Flat 3 Orchard Ct called - her fluoxetine still not in"
    ));
}

#[test]
fn a_person_described_in_a_town_who_asked_us_is_still_in_the_town() {
    let t = "the lady who runs the wool shop in Much Wenlock asked us not to tell her husband about her antidepressants";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block));
}

#[test]
fn a_record_name_in_capitals_surname_first_is_a_name() {
    let text = "PATIENT: O'HARA, SIOBHAN MS\nTTO: prednisolone 40mg od";
    assert_eq!(verdict(&screen(text)), Some(Severity::Block));
}

#[test]
fn a_what3words_address_is_a_house() {
    let t = "drop it at ///pink.table.sheep please, the old boy there is on end of life meds";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
}

#[test]
fn a_dash_after_a_number_ends_the_house_number() {
    let t = "Flu: offer it from age 50 – see the green book and the PGD";
    assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
}

#[test]
fn a_preposition_after_a_number_is_no_street() {
    for t in [
        "Grace period for NMS claims is 2 weeks after month end",
        "Claims for the 3 months until year end on the portal",
    ] {
        assert!(
            verdict(&screen(t)) != Some(Severity::Block),
            "{t}: {:?}",
            screen(t)
        );
    }
    let t = "new address 2 Month End Close, on warfarin";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
}

#[test]
fn a_birth_date_is_a_date_of_birth() {
    for t in [
        "Birth date 4th Dec 87 — Ms Niamh Doherty",
        "birthdate: 04/12/1987, collecting today",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn a_double_barrelled_surname_after_a_word_forename() {
    let t = "Hope Okafor-Lewis, 79, had her shingles jab today";
    let t2 = "Will Lloyd-Jones, 71, is asking about his statin";
    for t in [t, t2] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn a_phone_said_to_be_the_shops_is_a_business_number() {
    let t = "Jo Bloggs covering Saturday, any problems ring the shop on 0161 496 0321";
    assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    // A service named by its initials.
    let t = "Concern about a child? Call the MASH on 0117 496 0312, no details here";
    assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    // A medicine or a word in capitals, or a name, is no service.
    let t = "Pls call his MUM on 07700 900123 re his methadone";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block));
    let t = "pt wants a call back about her HRT on 07700 900877, her own phone";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block));
    let t = "ring Mr KOWALSKI on 07700 900461 about his warfarin";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block));
}

#[test]
fn a_quoted_name_in_a_made_up_case_is_a_placeholder() {
    let t = "Role-play (fictional): \"Sarah Jenkins\", 58, asks for more co-codamol";
    assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    // Without the text saying it is invented, the name is a patient's.
    let t = "\"Sarah Jenkins\", 58, asks for more co-codamol";
    assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
}

#[test]
fn colleagues_places_and_placeholders_pass_but_patients_beside_them_block() {
    // Each exemption of this round (issue 20) beside the patient it must
    // not hide, as a hostile review wrote them.
    let passes = [
        "Thanks\nGareth\n--\nGareth Llewellyn | Discharge Coordinator | Arrowe Park Hospital\n0151 496 0382 | gareth.llewellyn@nhs.net",
        "Sharps bins delayed this week, store safely.\nDougie Armstrong\nCH Pharmacy Team, North Cumbria",
        "CD destruction Tues 10am: Paul Kendrick (MOT). Home manager Sandra to attend",
        "Oluwaseun Adeyemi (Discharge Team Lead) is running the huddle at 9am",
        "Mary Seacole ward at the Whittington is taking step-down pts now",
        "HPV catch-up for year 9 at Ysgol Bryn Celyn moved to 14 Jan",
        "use the dummy NHS no 999 000 0019 in the training system, it fails the check",
        "Salaam sab, kisi ke paas Ozempic 1mg stock hai? Shukriya",
        "Rhian Pugh-Evans | Senior Pharmacist | rhian.pugh-evans@nhs.net | 029 2018 0442",
    ];
    for text in passes {
        let findings = screen(text);
        assert_ne!(
            verdict(&findings),
            Some(Severity::Block),
            "{text:?}: {findings:?}"
        );
    }
    let blocks = [
        "Re: Tom Baxter - insulin dose error, hypo overnight. CC tom.baxter@nhs.net",
        "Helen Morris\nhas dementia and missed her insulin - daughter is helen.morris.jnr@nhs.net",
        "Joan Price (retired nurse) admitted with stroke, dysphagia, NBM",
        "Paul Kendrick (MOT) - dementia, found wandering",
        "Joan Price\nOxygen team referral - COPD, sats 85% on air",
        "Saw Joan Davies ward round this morning - new diagnosis of bowel cancer",
        "Mary Smith ward 7 needs her warfarin",
        "Ysbyty Glan Clwyd Dafydd Williams stroke",
        "Cartref Gwen Thomas has COVID, isolating in room",
        "Emrys, Gwen - dementia, fall overnight",
        "Covid test NHS no 999 000 0003 positive, isolate in side room",
        "Ysgol Bro Cennen yr 7 - Elin - anaphylaxis plan needs new adrenaline pens",
        "the gentleman from 22 Cwrt y Coed who collects his methadone has been admitted",
        "Dosette for 'Big Mick' McAllister in Maryhill - furosemide up to 80mg",
        "rough sleeper known as 'Scouse Steve', leg ulcers + methadone",
        "Sue's husband is on clopidogrel",
        "Pan Tomasz - cukrzyca typu 1, skonczyla mu sie insulina",
    ];
    for text in blocks {
        let findings = screen(text);
        assert_eq!(
            verdict(&findings),
            Some(Severity::Block),
            "{text:?}: {findings:?}"
        );
    }
}

/// Ten digits written as an NHS number is, failing its check, with no
/// label: someone's mistyped number with clinical words or a person, an
/// order's or a claim's number otherwise, and never a warning alone.
#[test]
fn a_mistyped_number_with_no_label_is_someones_in_a_clinical_message() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "can someone check the repeat for 999 611 4402, ranitidine still on it",
        "999-123-4560 - please chase the dermatology letter, pt very upset",
        "4417390125 | 78 F | Apixaban 5mg BD | CrCl 24 - dose query",
        "Sarah Pike 447 300 1196 needs her inhalers",
        "Pt ref 999 123 4567 - INR 5.8 this morning, warfarin held",
    ] {
        assert!(blocks(t), "{t}");
    }
    for t in [
        "order ref 452 118 3390 from Alliance hasn't arrived, insulin pens missing",
        "Lost FP10 pad, serials 2047518833 to 2047518862 - don't dispense",
        "Datix ref 2024118732 closed: double-check strengths in MDS trays",
        "Phoenix credit note 4471920381 issued for the broken Oramorph bottles",
        "MYS claim 512 330 1419 rejected for the flu vaccines",
        "PO 4500123987 raised for the new MDS trays",
        "Minutes: https://future.example.org/view?objectId=4508201027 re the DOAC audit",
        // The hostile review of this rule (h32): labels a few words before.
        "Anticoagulation webinar Thurs 1pm on Zoom, Meeting ID 812 345 6789, passcode DOAC24",
        "Datix ref no 2024118732 raised for the insulin fridge failure",
        "PO number is 2047518833 for the flu vaccine delivery, 40 packs",
        "Logger serial is 2047518833 or 2047518862 - whichever is in the vaccine fridge",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
    // Alone, it is an order's number as likely as anyone's.
    assert!(screen("Tote 447 300 1196 left the warehouse at 6").is_empty());
}

/// A name the message gives a role to hold is a colleague's; a name after
/// a role in a question, a vocative or a list with clinical words after it
/// is not (the hostile probes h26 and h29 guard the same).
#[test]
fn a_role_named_before_its_holder() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "Derriford discharge pharmacist today is Priya Chauhan, bleep via switch for TTO queries",
        "Locum for Thursday is Anil Parmar, he's done the Pharmacy First training so UTIs fine",
        "New manager at Sunnybank Care Home is Lorraine Pike, MAR queries to her",
        "OOH on-call pharmacist this wknd: Tom Baxter. Urgent CH medicines queries only",
        "trainers Sian Bevan and Rhodri Price (HEIW). PGD refresher for UTI and sore throat",
        "Ward 11 pharmacist this week is Olena Bondarenko, covering for Sinead Mulholland. TTO queries",
        "Speakers: Dr Kofi Asante and Lucy Brennan. Travel vaccines update",
        "CD register balance checked, signed off by RP Marta Nowicka",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "For the GP at Hillside Practice, is Liam Broadbent picking up methadone daily?",
        "Heads up pharmacists Arthur Bell 78 started on clozapine, needs FBC weekly",
        "pharmacists Arthur Bell and Edna Jones both started on clozapine",
        "The nurse's patient today is Margaret Hollis, insulin due at 9",
        "Nurses: Jane Pike and Mrs Edna Hollis, warfarin",
        // The hostile review of this rule (h32).
        "Antibiotic cover for Arthur Bell - dental extraction Thursday, on warfarin",
        "Covering for Doris Whitlock this afternoon while her daughter is away, dementia",
        "Seen by nurse today: Arthur Bell - leg ulcer redressed, on apixaban",
        "Patient for the GP this morning is Doris Whitlock, chest pain overnight",
        "Next for the pharmacist today is Arthur Bell - MDS review, on warfarin",
        "Nurses: Edna Hollis - insulin 10 units BD, please check BMs",
        "GPs Harold Pike (COPD) and Doris Whitlock (AF) are due their annual reviews",
    ] {
        assert!(blocks(t), "{t}");
    }
}

/// An ordinary English word that is no name ends a name opened by a
/// forename, unless an organisation's word follows to be read with it.
#[test]
fn an_ordinary_word_ends_a_name() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "Strabane: 32% of over-75s still to get COVID. Derry City 24%, Limavady 29%.",
        "Palliative care study day 21/01/2027, Marie Curie Hospice Belfast, 09:00-16:00",
        "James Paget University Hospital pharmacy asking us to check LMWH on discharge TTOs",
        "Hughes Chemist, Bethesda: Mounjaro 5mg x 4 pens in",
        "Ash Tree Surgery's prescriptions line is now 0113 496 0291",
        // A medicine or a condition before a comma is no surname.
        "Key points from Dr Farah Siddiqui (GPwSI Diabetes, Bradford): SGLT2 sick day rules",
        "Shortage update: Lucette, Yasmin and Eloine fine via Alliance",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "Margaret Hollis needs her insulin pens delivered",
        "Derry Pickles, 82, on warfarin - INR 5",
        "Joan Marsh in Derry City hospital with a fall, on apixaban",
    ] {
        assert!(blocks(t), "{t}");
    }
}

/// The end of a message is its own end, not its links' decoded parts;
/// colleagues sign off with a pharmacy's landline, head a chat line with
/// where they work, and cover a clinic.
#[test]
fn colleagues_at_a_message_s_end_and_in_a_chat() {
    let warns = |t: &str| !screen(t).is_empty();
    for t in [
        "Survey on the Pharmacy First PGDs: https://forms.example.nhs.uk/s/pgd?src=wa closes 18/12. Thanks - Moira",
        "Anyone got Phenergan elixir? Need 1 bottle. Barry @ Greenhill Pharmacy, Bangor 028 9649 6677",
        "[14:03, 03/12/2026] Gemma - Wood Street Surgery: are Pharmacy First referrals still via the portal?",
        "Sandra is off sick so the B12 clinic is cancelled. Emma covering smears Weds.",
    ] {
        assert!(!warns(t), "{t}: {:?}", screen(t));
    }
    // A mobile after the pharmacy may be anyone's; a patient's own chat line
    // is still theirs.
    for t in [
        "Anyone got Phenergan elixir? Need 1 bottle. Barry @ Greenhill Pharmacy 07700 900677",
        "[14:03, 03/12/2026] Gemma - patient: I've run out of my insulin pens",
    ] {
        assert!(warns(t), "{t}");
    }
}

/// A person named in full at their work (blind corpus 44): the clinical
/// words are the work's subject. The name's own verb or thanks for work
/// said after it makes it so, never a work word elsewhere in the sentence:
/// audits, minutes and significant events list patients in every layout
/// (the hostile review of this rule, re-written).
#[test]
fn a_name_at_work_is_no_patient_but_a_list_at_work_still_is() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "Valproate PPP training now rescheduled - Priya Raghunathan will deliver it at the Hub, 2pm",
        "Valproate audit - Eilidh MacLeod is collating returns for the Highland practices, deadline 19 Dec",
        "Lithium audit results back. Big thanks to Kwabena Asante who ran the searches",
        "Actions from APC: (1) Oisin Kearney to update DOAC guidance (2) next meeting 13 Jan",
        "NES event 28/01 - Catriona Nic Dhomhnaill presenting on care home polypharmacy reviews",
        "Thanks to Gwilym Pritchard-Evans for this morning's anticoagulation refresher",
        "Action log: 1. Nasreen Akhtar to share antimicrobial audit (212 scripts, 91% compliant)",
        "Thanks to Ciara McAllister (PCN pharm, Armagh) for the audit searches on gabapentinoids",
        "Have 5x Estradot 50 patches surplus, short dated 02/27. Free to good home. - Lowri Mathias, Boots Llanelli",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "Audit: Jean Fosbury - apixaban 5mg, dose too high",
        "Lithium audit findings: Kelly Brownlow. No level done since she was started",
        "Minutes: discussed Gordon Ashworth (dementia, covert meds) at the meeting",
        "Significant event: Mrs Ogunleye received methotrexate daily instead of weekly",
        "Audit: Gordon Ashworth present at review, lithium toxic",
        "Deliver the morphine to Doreen Gallows",
        "Manager asked for MAR chart update re oramorph, Albert Finch.",
        "Thanks, explained to Ruth Kemp about the new dose of levothyroxine",
        "Kelly Brownlow will run out of salbutamol on Friday",
        "Jamie Kettering presenting with chest pain, on methadone",
        "Thanks to Jamie Kettering for sharing his recovery story, off methadone now",
        "thanks to Jean Fosbury for coming in, apixaban dose sorted",
        "Methadone script ready for collection. Kevin Dobbs, Boots Harehills",
        "Thanks to Gordon Ashworth (Parkinson's, very brittle) for letting us use his case in the training",
    ] {
        assert!(blocks(t), "{t}: {:?}", screen(t));
    }
}

/// Places that single someone out (blind corpora 44 and 45): a prison
/// cell with health said of its occupant, a house's own name after its
/// number, where on a street, a date typed in a form's boxes. A prison's
/// rounds, a rota's dates and a spreadsheet's cells single out no one (the
/// hostile review of these rules, re-written), nor does a town in a
/// clinician's bracket or a word with a prefix.
#[test]
fn places_that_single_someone_out() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "healthcare - man in Houseblock 2 landing 3 cell 22 refusing his clozapine for 3 days",
        "Rm 9 - Bill - pharmacy sent 28 of his Oramorph not 14, rest returned?",
        "the lady at no. 9 Nant-y-Ffin, Llanfair Caereinion - her COPD inhalers are on the step",
        "the man at the end of Tullyhogue Road is on fentanyl patches",
        "mrs jean kerr 01 04 1938 asked to change nominated pharmacy",
    ] {
        assert!(blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "Healthcare team: in-cell medication checks on B wing today, cell 22 to cell 40, bring the methadone log",
        "Cell 22 door faulty, meds round via hatch on C wing",
        "flu clinic in room 4 at the surgery, bring the insulin pens",
        "sickle cell 2 new referrals this month, hydroxycarbamide stock ok",
        "see cell 4 of the spreadsheet for the insulin figures",
        "Sian on leave 01 04 2026 to 14 04 2026, insulin orders to Gethin",
        "Line no. 4 Amoxicillin 500mg, 21 caps",
        "Key points from Dr Farah Siddiqui (GPwSI Diabetes, Bradford): SGLT2 sick day rules",
        "please re-read the guidance on otitis media, from Q4",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
}

/// Colleagues named by what the message says of their work (blind corpora
/// 48 and 49): a role in brackets, who takes the queries, who to ask for,
/// who is retiring, a first name doing the work, a rota. Health after the
/// role, a free mail address, or an age keeps the name someone's (the
/// hostile review of these rules, re-written).
#[test]
fn colleagues_by_their_work_and_patients_behind_the_same_words() {
    let verdict_of = |t: &str| verdict(&screen(t));
    for t in [
        "Welcome Adaeze Okonkwo (frailty pharmacist, Bolton) who joins us for the warfarin clinics",
        "Thanks to Gethin ap Dafydd (fferyllydd, Caernarfon) for the Welsh MAR chart leaflets",
        "Mrs Hughes (practice manager, Rhyl) asks all homes to send their eMAR audits by Fri",
        "Methotrexate shared care queries to Lorraine Buckley please",
        "Band 5 nurse post, Ards, closes 9 Jan. Informal chats - Moira Kennedy 028 9649 6321",
        "Area rep for Cheshire is now Tariq Mahmood, tariq.mahmood@example.com, 07700 900318",
        "Any spare MDS trays? Ask for Gemma Lord, 0113 496 0764",
        "Congratulations to Rhian Price who retires after 28 years as a practice nurse in Bala",
        "Siobhan is running the asthma review clinic at Portree on Thurs",
        "Weekend rota: Sat Usman & Dionne, Sun Keeley. Insulin pens to Usman please",
        "[09:12, 03/12/2026] Lowri Bevan: hi all, new care home tech for Conwy",
        "Shingles cohort: DOB 02/09/1958 onwards are eligible for Shingrix",
        "Good paper: Pritchard H, Owusu K. Anticholinergic burden in care homes. 2025",
    ] {
        assert_eq!(verdict_of(t), None, "{t}: {:?}", screen(t));
    }
    // In lower case among capitals, a first name alone is another
    // language's word; one that opens the message is a writer's who
    // capitalises nothing.
    let notice = "Szczepienia sa bezplatne dla os\u{f3}b 65+, free flu jabs at any pharmacy in Middlesbrough";
    assert_eq!(verdict_of(notice), None, "{:?}", screen(notice));
    let lower = "aled - epileptic, getting keppra from 2 pharmacies in Bala";
    assert_eq!(
        verdict_of(lower),
        Some(Severity::Warn),
        "{:?}",
        screen(lower)
    );
    // A switchboard's extension is no one's own number (a first name with
    // clinical words still warns).
    let ext = "Ruth in medicines information is on ext 4471 or 0113 496 0471 for lithium questions";
    assert_ne!(verdict_of(ext), Some(Severity::Block), "{:?}", screen(ext));
    for t in [
        "Dave Bailey (PCN pharm, Armagh) has had a stroke and is on apixaban now",
        "Mair Thomas (Fferyllydd, Caernarfon) has Crohn's disease and started adalimumab",
        "Patient update\nEmyr Roberts (meddyg, Bangor)\nNew dx: bowel cancer, starting capecitabine",
        "Sam Dyer (dispenser, York) sam.dyer@gmail.com - starting radiotherapy",
        "Ask for Jean Parry, 0113 496 0123, she has dementia and lives alone",
        "Farewell to Jean Parry who leaves after 20 years as practice nurse, now on palliative care",
        "Enquiries: Dave Bailey dave.bailey@gmail.com",
        "Helen Ross (Practice Manager) is off with shingles, started aciclovir yesterday",
        "May, Sophie - anorexia, BMI 14, admitted",
    ] {
        assert_eq!(verdict_of(t), Some(Severity::Block), "{t}: {:?}", screen(t));
    }
}

/// Where someone lives when no street says it, a relative by marriage, an
/// age that opens a sentence or follows where someone is from, and a room
/// after "in" stand for a person (blind corpora 48 to 51); an age before
/// the noun it describes stays that person's detail, and a clinician's
/// room is a workplace.
#[test]
fn homes_in_laws_and_ages_that_open_a_sentence() {
    let blocks = |t: &str| verdict(&screen(t)) == Some(Severity::Block);
    for t in [
        "the young lad on the Gipton estate with the HIV meds, his mum collects",
        "my mother-in-law, the retired teacher in Tregaron, 84, on apixaban",
        "16 yr old in Aberaeron with T1 diabetes, mum says they have no Fiasp",
        "77 yr old lady in Llangrannog with a PEG, home from Glangwili yesterday",
        "the grandmother (about 80) at the farm in Barrow-in-Furness is diabetic and out of insulin",
        "Fellow who lives behind the chippy in Reeth, epileptic, on lamotrigine",
        "Siobhan from Cushendall, 17, pregnant, asked us not to tell her mum",
        "Covert meds form for Doris in Rm 4 at Elmfield expired last week",
    ] {
        assert!(blocks(t), "{t}: {:?}", screen(t));
    }
    for t in [
        "Residents at the Wharf hostel on methadone can collect from Boots",
        "Teaching scenario (made up): 78 yo on 11 meds, eGFR 28 - what would you stop?",
        "Flu clinic at Ashford-in-the-Water village hall on Sat",
        "Dr Achebe is in Room 3 on Thursdays for anticoagulation queries",
        "PO 4471209 for the Buccolam has gone to Alliance, ETA Tues.",
    ] {
        assert!(!blocks(t), "{t}: {:?}", screen(t));
    }
}
