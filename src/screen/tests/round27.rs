//! What the twenty-seventh round's reading of blind corpora 83 and 84
//! found read wrongly. Patients: someone described at length before
//! "who" ("the guy in the wheelchair with the Leeds Rhinos blanket who
//! gets his clozapine"), what one person is said to take after "who"
//! ("who picks up daily supervised methadone"), a condition a first name
//! had ("Kev had a hypo", "she's had a miscarriage", "Ellie from
//! Heslington had anaphylaxis"), a Welsh place with its last part in
//! small letters ("Pen-y-cae"). No patients: the first name alone of a
//! colleague the message names in full ("Dr Ruth Ogunleye … Ruth will run
//! the clinics"), who a message is forwarded from ("Fwd from Lucy"),
//! other languages' ordinary words ("Koi urgent ho toh … call karo"),
//! "Ta" for thanks, and a ward named after a person closed for a
//! condition. Hostile review 56's patients behind each exemption block,
//! and its staff and things beside each new rule pass.

use super::*;

#[test]
fn described_taken_and_had_patients_block() {
    for t in [
        "The guy in the wheelchair with the Leeds Rhinos blanket who gets his clozapine from the Beeston pharmacy - he missed his bloods",
        "the tall lad with the swallow tattoo on his neck who picks up daily supervised methadone from our Shields Rd shop was in yesterday",
        "FYI Siân from reception is off – she's had a miscarriage, pls don't ask her about it",
        "Kev had a hypo on the bus this morning",
        "Ellie from Heslington had anaphylaxis last night, both pens used",
        "93 yr old man in Pen-y-cae, lives alone, HIV+",
        "Dr Ruth Ogunleye saw Ruth at Kirkstall Lane, she's started on insulin",
        "Jack, 6, needs his EpiPen script before Monday\nThanks, Jack Turner, GP receptionist",
        "re AKO (12/11/1958) on warfarin",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn colleagues_senders_and_other_languages_pass() {
    for t in [
        "Congrats to Dr Ruth Ogunleye on passing her Independent Prescriber course. Ruth will be running the hypertension clinics at Kirkstall Lane from Jan.",
        "Fwd from Lucy (PCN pharmacist, Orchard Park):\n> re the patient we discussed at the huddle - I've moved everything to NHSmail",
        "bhai kal pharmacy 1 baje tak band hogi, staff training hai. Koi urgent ho toh 020 7946 0722 pe call karo. Shukriya",
        "Alliance invoice 4471928305 - credit note CN7720013 issued for the Jext recall returns. Ta Marek.",
        "Mary Seacole Ward at St James's closed to admissions (norovirus). Discharges continue",
        "Reminder: patients who take valproate need a PPP. Thanks Sarah",
        "Ellie from the practice has anaphylaxis training today",
    ] {
        assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn patients_behind_round_27_s_exemptions_block() {
    // Hostile review 56: a child's name the other-language words also
    // hold, a colleague's first name on a patient whose health the message
    // says, a country after "from", a plural looks word before "who".
    for t in [
        "Can someone ring Keela back, her methadone script hasn't come through",
        "Nakita is pregnant and still on valproate, PPP not signed",
        "Jack (aged 6) needs his EpiPen script before Monday\nThanks, Jack Turner, GP receptionist",
        "Can we get a dosette sorted for Margaret please. She keeps doubling up her warfarin, daughter rang.\nThanks, Margaret Ellis, practice nurse",
        "the elderly man from India who is on clozapine missed his bloods",
        "Kerry, the one who picks up methadone, was in yesterday",
        "the tall lad with the neck tattoos who picks up daily supervised methadone from our Shields Rd shop was in",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn things_staff_handle_and_hyphenated_roles_pass() {
    // Hostile review 56: a condition that names a thing, what staff handle
    // after "who", a role written with hyphens.
    for t in [
        "Lewis has a hypo box on every ward now",
        "Gemma had a measles query from a parent this morning",
        "Ring Dave who uses the clozapine portal, he has the login",
        "Sorry, the locum who took the warfarin call yesterday - can you ring me back",
        "Note from Nurse-in-charge: the new lady on nights has done her syringe driver training",
    ] {
        assert_ne!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
