//! Health said of one person (a condition had, a medicine set off after a
//! first name, the writer's own) and colleagues who sign or report, as the
//! eighteenth round's reading of blind corpora 52 and 53 found them.

use super::*;

#[test]
fn a_condition_had_or_set_off_after_a_first_name_blocks() {
    for t in [
        "For the Glenview home in Omagh – Maureen (dementia, stage 3 dysphagia) is the one who needs it",
        "Mehmet from the barbers on Green Lanes, on warfarin, wants to know if he's being switched?",
        "It's Gethin from Cwm-cou with the MS - his Fampyra hasn't arrived again",
        "Bríd Mhic Aoidh from Kilkeel has MS and can't get her fampridine anywhere",
        // The writer's own health, signed: a colleague is a patient too.
        "Can I swap my lates to earlies from Jan, I'm 14 wks pregnant and knackered. Beth, Lowther St Pharmacy",
        "This is Natalia, I'm the tech at Kingsway - I've got shingles so can't come in Monday",
        // Who they are, then what they are on; a label's fields.
        "Just so everyone knows, Lisa who works on the tills at the Tesco in Penarth is on clozapine now",
        "Label: APPLY ONE EVERY 72 HOURS / Mr Shamsul Islam / 23/12/26 / Brick Lane Pharmacy",
        // A trade of one's own is no work in health; a house's name, a key
        // safe's code are a home's.
        "Mehmet Yildiz who runs the takeaway on Westgate in Grantham - INR 6.2 and he's not answering",
        "Driver note: couldn't deliver to Mrs Hocking at Rose Cottage, Trebetherick, she's on the CD round",
        "Seán Ó Dochartaigh out at Garrison - DN couldn't get in, keysafe code changed to 4471",
        // A condition in capitals is clinical wherever it stands.
        "we've a 6 yr old with PKU in Stornoway, anyone able to get the low-protein foods?",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn stock_roles_and_lists_after_a_first_name_are_not_health() {
    for t in [
        "Somali outreach session at the Powerhouse, Moss Side, Thurs 2-5. Hodan (interpreter) and Yusuf (pharmacist) will be there.",
        "Yasmin, Lucette and Katya 30/75 all back in stock at AAH, Cerelle still patchy",
        "I've got shingles vaccine in stock if anyone is short. Sioned",
        "Team meeting on MS Teams at 2, agenda: AF detection audit",
        "Kate (diabetes nurse) is in on Weds for the insulin starts",
        "Leads: Kate - diabetes, Tom - asthma, Sue - COPD",
        "Keira, PKU formula order came in, 4 tins on the shelf",
        "Priya, TIA for covering Saturday. Rang MI about the lithium",
    ] {
        assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn colleagues_who_sign_report_or_offer_stock_are_no_warning() {
    for t in [
        "Diolch – mae gennym ni 4 pecyn o Lixiana 60 yn Fferyllfa'r Bont, Pwllheli. Ffoniwch os oes angen. Sioned",
        "Re DOAC switch – main issue here is patients bringing both packs in. Maybe a leaflet in Welsh too? Gethin, Lampeter",
        "Ayşe at Dalston Junction Pharmacy says they have Xarelto 15 and 20 if needed",
        "Ionela from the Spalding branch has 6 boxes of Lixiana 30 she can transfer – message her direct",
        "Sorry all, Jo at Leigh Rd surgery is off this week so script queries will be slower",
    ] {
        assert!(screen(t).is_empty(), "{t}: {:?}", screen(t));
    }
    // A patient who writes of themselves, is reported or signs a carer's
    // note still warns (the hostile review of this round's first version).
    for t in [
        "I've run out of my inhalers and the surgery is shut. Doreen",
        "Kev at Rose Court says his methadone was short",
        "Refused evening meds again, GP aware. Doreen, Oak Lodge",
        "Missed 2 doses of clozapine this week, mental health team informed. Callum",
        "Can we get the insulin pens delivered before 10? Arthur, Willow Suite",
        "Kev at reception says they never got the methadone script",
        "Arthur at Beech House Nursing Home asked for stronger painkillers again",
        "Kev at reception has 3 days of methadone left, can we give him more",
    ] {
        assert!(!screen(t).is_empty(), "{t}");
    }
}
