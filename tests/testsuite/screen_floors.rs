//! Floors the screen keeps on text written without its code in view: the
//! blind corpora (`tests/data/screen_corpus_blind*.txt`, each first scored
//! before anyone read it) and the probes hostile reviews wrote against its
//! exemptions (`tests/data/screen_hostile.txt`).

use mot::screen::{Severity, screen, verdict};

use Severity::{Block, Warn};

/// One case of the second-generation corpus (`tests/data/screen_corpus.txt`).
pub(crate) struct Case2 {
    pub(crate) line: usize,
    pub(crate) expected: Option<Severity>,
    pub(crate) class: String,
    pub(crate) text: String,
}

/// Undoes the corpus file's escapes: `\t`, `\n`, `\r`, `\\` and `\u{XXXX}`.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "bad escape in {raw:?}");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(code).expect("a char"));
            }
            other => panic!("bad escape \\{other:?} in {raw:?}"),
        }
    }
    out
}

/// The cases of a corpus file in the `VERDICT CLASS TEXT` form.
pub(crate) fn read_corpus(file: &str) -> Vec<Case2> {
    let mut cases = Vec::new();
    for (i, line) in file.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (verdict, class, text) = (parts.next(), parts.next(), parts.next());
        let expected = match verdict {
            Some("block") => Some(Block),
            Some("warn") => Some(Warn),
            Some("pass") => None,
            other => panic!("line {}: bad verdict {other:?}", i + 1),
        };
        cases.push(Case2 {
            line: i + 1,
            expected,
            class: class.expect("a class").to_string(),
            text: unescape(text.expect("a text")),
        });
    }
    cases
}

#[test]
fn blind_corpora_keep_their_floor() {
    const NONE: &[&str] = &[];
    for (name, file, floor, accepted_alarms) in [
        (
            "blind1",
            include_str!("../data/screen_corpus_blind1.txt"),
            269,
            NONE,
        ),
        (
            "blind2",
            include_str!("../data/screen_corpus_blind2.txt"),
            75,
            NONE,
        ),
        (
            "blind3",
            include_str!("../data/screen_corpus_blind3.txt"),
            74,
            NONE,
        ),
        (
            "blind4",
            include_str!("../data/screen_corpus_blind4.txt"),
            98,
            NONE,
        ),
        (
            "blind5",
            include_str!("../data/screen_corpus_blind5.txt"),
            72,
            NONE,
        ),
        (
            "blind6",
            include_str!("../data/screen_corpus_blind6.txt"),
            100,
            // "Bed 4 on ward 7 has been turned into the new drug storage
            // bay": a bed number with clinical words is read as a patient's.
            &["ward_bed_capacity"][..],
        ),
        (
            "blind7",
            include_str!("../data/screen_corpus_blind7.txt"),
            99,
            // Left on purpose (the corpus's header gives the reasons):
            // district names read as a name beside the round's phone; a
            // titled surname at a named pharmacy with a medicine; "Fraser?"
            // (the guidelines) and "it's Sunita at Kirkgate" warn.
            &[
                "delivery_round",
                "staff_title_surname",
                "hypothetical_query",
                "voice_note_op",
            ][..],
        ),
        (
            "blind8",
            include_str!("../data/screen_corpus_blind8.txt"),
            74,
            // Left on purpose: a titled surname at a named pharmacy lending
            // a medicine blocks; a site named like a forename ("Bryn 45") in
            // a list of sites' stock warns.
            &["staff_named_pharmacy", "vaccine_stock_counts"][..],
        ),
        (
            "blind9",
            include_str!("../data/screen_corpus_blind9.txt"),
            117,
            NONE,
        ),
        (
            "blind10",
            include_str!("../data/screen_corpus_blind10.txt"),
            97,
            // A pet's quoted name warns.
            &["pet_prescription"][..],
        ),
        (
            "blind11",
            include_str!("../data/screen_corpus_blind11.txt"),
            98,
            NONE,
        ),
        (
            "blind12",
            include_str!("../data/screen_corpus_blind12.txt"),
            98,
            // Left on purpose: the NHS's own birthday ("born 5 July 1948")
            // and a ward named after someone, in lower case, block.
            &["tricky_date", "tricky_place_name"][..],
        ),
        (
            "blind13",
            include_str!("../data/screen_corpus_blind13.txt"),
            99,
            // Left on purpose: a care home's room that became the clinical
            // room, and a colleague named with the practice's number, block.
            &["room_booking", "staff_name"][..],
        ),
        (
            "blind14",
            include_str!("../data/screen_corpus_blind14.txt"),
            93,
            // Left on purpose: a hypothetical girl of 16 who says she is 15
            // (ages said of someone with health); a template's placeholder
            // "Joe Bloggs, DOB 01/01/1900" (its writer allowed a block); a
            // colleague named with their branch in brackets (the same
            // brackets hold a patient's surgery) and one named after a
            // role's heading ("pharmacist this wknd: Tom Baxter": a hostile
            // review hid patients behind "Pharmacist: …"); a ward named
            // after someone, in lower case ("Lister ward"), warns.
            &[
                "question_hypothetical",
                "guidance",
                "staff_named",
                "rota",
                "names_as_places_words",
            ][..],
        ),
        (
            "blind15",
            include_str!("../data/screen_corpus_blind15.txt"),
            98,
            // Left on purpose: a colleague named with her direct line in a
            // service update blocks; a brand and a wholesaler's contact
            // that are also first names ("Yasmin", "Grace at Alliance") warn.
            &["service_update", "shortage"][..],
        ),
        (
            "blind16",
            include_str!("../data/screen_corpus_blind16.txt"),
            100,
            // One warning left: three new starters listed by first name
            // beside clinical words ("Priya, Tomasz, Eilidh").
            NONE,
        ),
        (
            "blind17",
            include_str!("../data/screen_corpus_blind17.txt"),
            98,
            NONE,
        ),
        (
            "blind19",
            include_str!("../data/screen_corpus_blind19.txt"),
            99,
            // Left on purpose: places named like people ("Alder Hey and
            // Royal Victoria Hospital", a new pharmacist named after a
            // hospice's name: a hostile review hid patients behind "a new
            // script from the GP, Edna Price.") block; a number after "NHS
            // number" that fails Mod 11 blocks even when said to be invalid
            // (a patient's mistyped number is called that too). One
            // warning: "Tesco Talbot Green", a forename in a town.
            &["place_name", "reference_number"][..],
        ),
        // blind20 to blind23 were each scored first at b8f0e0b (97/99,
        // 95/96, 97/99, 94/94 blocked/passed) and then tuned against.
        (
            "blind20",
            include_str!("../data/screen_corpus_blind20.txt"),
            100,
            // "Mr Patel's orthopaedic clinic": a consultant's clinic reads
            // as a patient's ("Mrs Hughes's clinic appointment" is one).
            &["tricky_staff_name"][..],
        ),
        (
            "blind21",
            include_str!("../data/screen_corpus_blind21.txt"),
            99,
            // One warning: "now Gareth's left", a colleague leaving.
            NONE,
        ),
        (
            "blind22",
            include_str!("../data/screen_corpus_blind22.txt"),
            98,
            NONE,
        ),
        (
            "blind23",
            include_str!("../data/screen_corpus_blind23.txt"),
            97,
            // Left: a team's returns address ("2nd Floor, Bevan House, 12
            // Park Row") reads as a house address with clinical words, and
            // "Mr Patel from Patel's Chemist" as a titled patient (a titled
            // name "from" a place may be a care home's resident). One
            // warning: "now Owen has moved to the ICB".
            &["org_address", "business_name_title"][..],
        ),
        // blind24 and blind25 were written on 2026-12-04 while the screen
        // was tuned on blind20-23 and first scored at df3446a, untuned: 95
        // of 100 blocked and 96 of 100 passed, each (b8f0e0b scored the
        // same). What they hold against the screen is left for the next
        // round, named here.
        (
            "blind24",
            include_str!("../data/screen_corpus_blind24.txt"),
            96,
            NONE,
        ),
        (
            "blind25",
            include_str!("../data/screen_corpus_blind25.txt"),
            96,
            // A vaccine room's number and a service's new address under a
            // lead's name block; reception's extension warns. One warning
            // besides: "ask for Dev at Hillside".
            &["facilities", "contact_details", "service_update"][..],
        ),
        // blind26 and blind27, written while blind24/25 were tuned against,
        // first scored at ee700d0 with no case read: 97/99 and 94/96
        // (b8f0e0b: 97/99 and 93/96).
        (
            "blind26",
            include_str!("../data/screen_corpus_blind26.txt"),
            97,
            // One warning: an EHC question about "a 15 year old".
            NONE,
        ),
        (
            "blind27",
            include_str!("../data/screen_corpus_blind27.txt"),
            94,
            // "John Radcliffe asked …" (a hospital by its founder's name,
            // which people have too, said without "the" or "hospital"), a
            // pharmacy's own address and postcode, and "Born on 5 July
            // 1948: the NHS" block. One warning: "Siobhán said the DOB
            // field …".
            &["tricky_place", "org_contact", "tricky_dates"][..],
        ),
        // blind28 and blind29, written on 2026-12-04 by helpers who had
        // read neither code nor corpus, first scored at ac7375d with no
        // case read: 100/98 and 94/93 blocked/passed (the session's start
        // scored the same); then tuned against.
        (
            "blind28",
            include_str!("../data/screen_corpus_blind28.txt"),
            100,
            NONE,
        ),
        (
            "blind29",
            include_str!("../data/screen_corpus_blind29.txt"),
            95,
            // Left on purpose: first names at a place that is a street's
            // name ("at Park View", "at Hazel Road"; a street is a detail),
            // a room said to be the vaccination room, a care-home manager's
            // "home landline", a fridge called "the old boy", and "The
            // Margaret Pryce Wing" ("The" opening a name is a hostile
            // probe's trick, "The Mary Stevens with the leg ulcer, 88"),
            // block.
            &[
                "described_role",
                "rota",
                "room_booking",
                "care_home_manager",
                "described_object",
                "building_named",
            ][..],
        ),
        // blind30 and blind31, written while blind28/29 were tuned against
        // and scored once, unread, at c872bf5 (the end of the round): 97/97
        // and 98/94 blocked/passed, as at c969811 (its start). Their false
        // alarms are listed by class only: no case has been read.
        (
            "blind30",
            include_str!("../data/screen_corpus_blind30.txt"),
            98,
            &["org_contact", "staff_named_role"][..],
        ),
        (
            "blind31",
            include_str!("../data/screen_corpus_blind31.txt"),
            98,
            &[
                "care_home_room_nonpatient",
                "care_home_statistics",
                "dob_format_example",
                "ooh_rota_named_staff",
                "polish_language_notice",
                "venue_sounds_like_person",
            ][..],
        ),
        // blind32 and blind33, written on 2026-12-04 by helpers who had
        // read neither code nor corpus, first scored unread at 7db8f60:
        // 91/94 and 91/83 blocked/passed; then tuned against (colleagues
        // named in chat lines, brackets and lists). Left: a care home's new
        // manager with her work contacts, an eligibility date near "DOB
        // cut-offs", colleagues thanked or listed without what says where
        // they work, towns that are forenames ("Barry", "Partick", "Fort
        // William"), a clinic's room, a training scenario's pupil.
        (
            "blind32",
            include_str!("../data/screen_corpus_blind32.txt"),
            92,
            &[
                "care_home_manager_contact",
                "eligibility_dob_cutoff",
                "wholesaler_rep_work_contact",
            ][..],
        ),
        (
            "blind33",
            include_str!("../data/screen_corpus_blind33.txt"),
            95,
            &[
                "care_homes_named",
                "charity_signposting",
                "clinic_room_move",
                "council_pilot",
                "discharge_team_shoutout",
                "school_training_scenario",
                "translated_leaflets",
                "ukrainian_resource",
                "voice_note_meeting",
            ][..],
        ),
        // blind34 and blind35, written during the round and scored unread
        // at its end (9ff9091): 94/92 and 90/91 blocked/passed, with 7
        // warnings each (colleagues' first names in a message with a
        // medicine in it); then their alarms were read.
        (
            "blind34",
            include_str!("../data/screen_corpus_blind34.txt"),
            95,
            &[
                "chinese_community_bp",
                "date_range_born",
                "gp_professional_lines",
                "romanian_community_event",
                "rsv_eligibility",
                "sick_day_cards",
                "somali_outreach",
                "training_venue_postcode",
            ][..],
        ),
        (
            "blind35",
            include_str!("../data/screen_corpus_blind35.txt"),
            95,
            &[
                "forwarded_chat_staff",
                "hv_training_feeding",
                "member_question_ehc_age",
                "sais_schedule",
                "signature_substance_misuse",
                "training_palliative_webinar",
            ][..],
        ),
        // blind36-39, written on 2026-12-04 (fourteenth round) by helpers
        // who had read neither code nor corpus (NHS numbers valid this
        // time), each scored once unread: blind36/37 at a5192ff, 94/93/2 and
        // 92/88/1 blocked/passed/warned; blind38/39 at the round's end,
        // 96/94/3 and 91/90/3. Then read, and tuned against a little.
        (
            "blind36",
            include_str!("../data/screen_corpus_blind36.txt"),
            94,
            &[
                "care_home_contact",
                "cd_audit_reminder",
                "consultation_room_number",
                "forwarded_chat_stock",
                "gphc_registration_staff",
                "meeting_minutes_attendees",
                "practice_manager_banter",
                "prescribing_stats_practices",
            ][..],
        ),
        (
            "blind37",
            include_str!("../data/screen_corpus_blind37.txt"),
            92,
            &[
                "batch_numbers",
                "care_home_generic",
                "clinic_times",
                "colleague_work_mobile",
                "forwarded_chat_timestamps",
                "meeting_minutes_names",
                "practice_nhsnet_email",
                "school_nurse_campaign",
                "staff_named_role",
                "training_event",
                "welcome_new_member",
            ][..],
        ),
        (
            "blind38",
            include_str!("../data/screen_corpus_blind38.txt"),
            96,
            &[
                "brand_names_like_names",
                "case_study_age_no_location",
                "colleague_named_leave",
                "forwarded_multi_staff",
                "pcn_pharmacist_intro",
                "polish_staff_name",
                "rota_pcn",
                "substance_misuse_staff_signoff",
                "substance_service_hours",
            ][..],
        ),
        (
            "blind39",
            include_str!("../data/screen_corpus_blind39.txt"),
            91,
            &[
                "chinese_pharmacist_stock",
                "discharge_pharmacist_bleep",
                // "Tom Rees (HCA) - insulin round only": a role in brackets
                // with health after it is the person's own ("Kevin Moss
                // (Pharmacy Tech) - off work after an overdose").
                "dn_rota_names",
                "hypothetical_case_study",
                "job_advert_contact",
                "journal_reference",
                "portuguese_stock_query",
                "romanian_pharmacist_stock",
                "stock_request_signoff",
                "ukrainian_leaflets",
            ][..],
        ),
        // blind40-43, written on 2026-12-04 (fifteenth round) by helpers who
        // had read neither code nor corpus, each scored once unread:
        // blind40/41 at the round's start (b7a55fd), 96/93/11 and 98/87/2
        // blocked/passed/warned; blind42/43 after the round's changes
        // (ecb21c8), 97/94/6 and 96/94/2 (the same as at its start). Then
        // read.
        (
            "blind40",
            include_str!("../data/screen_corpus_blind40.txt"),
            97,
            &[
                "brand_typo_lookalike",
                "care_home_visit_schedule",
                "gaelic_bilingual_notice",
                "hospice_stock_request",
                "lowercase_stock_request",
                "member_reply_quoted",
                "pharmacy_landline_reply",
                "pharmacy_service_chinese",
                "staff_thanks_cyrillic",
                "stock_offer_short_dated",
                "stock_reply_quantity",
                "stock_request_bilingual",
            ][..],
        ),
        (
            "blind41",
            include_str!("../data/screen_corpus_blind41.txt"),
            98,
            &[
                "brand_names_look_like_names",
                "business_card_signature_scotland",
                "dob_format_example",
                "forwarded_email_cc_list",
                "fraser_competence_generic",
                "meeting_action_log",
                "new_staff_irish_names",
                "pharmacy_first_monthly_stats",
                "staff_retirement",
                "storm_closure",
                "ward_pharmacist_named_contact",
            ][..],
        ),
        (
            "blind42",
            include_str!("../data/screen_corpus_blind42.txt"),
            97,
            &[
                "brand_names_look_like_names",
                "clozapine_clinic_ops",
                "forwarded_chat_timestamps",
                "link_order_tracking",
                "member_reply_driver_named",
                "signature_irish_superintendent",
                "staff_absence_names",
                "stock_swap_request",
                "survey_link",
                "template_letter_placeholders",
                "welsh_language_closure",
                "wholesaler_order_number",
            ][..],
        ),
        (
            "blind43",
            include_str!("../data/screen_corpus_blind43.txt"),
            96,
            &[
                "pharmacy_late_opening",
                "portuguese_vaccine_notice",
                "roleplay_script",
                "saints_place_names",
                "stock_spreadsheet_paste",
                "team_contact_landline",
                "urdu_ramadan_leaflet",
                "webinar_key_points",
            ][..],
        ),
        (
            "blind44",
            include_str!("../data/screen_corpus_blind44.txt"),
            93,
            &[
                "audit_lead_named",
                "clinical_lead_named",
                "cpd_event",
                "eligibility_dates",
                "oncall_rota",
            ][..],
        ),
        (
            "blind45",
            include_str!("../data/screen_corpus_blind45.txt"),
            94,
            &[
                "multilingual_notice",
                "org_contact_reply",
                "prison_healthcare_operational",
                "sexual_health_clinic_operational",
                "training_event",
            ][..],
        ),
        (
            "blind46",
            include_str!("../data/screen_corpus_blind46.txt"),
            96,
            &[
                "audit_lead_named",
                "cover_request_locum",
                "hypothetical_case_study",
                "job_advert",
                "leave_notice",
                "named_gp_for_home",
                "pgd_update",
                "practice_nurse_operational",
                "signature_block",
                "stock_offer_signed",
                "stock_request_signed",
                "thanks_colleague",
            ][..],
        ),
        (
            "blind47",
            include_str!("../data/screen_corpus_blind47.txt"),
            93,
            &[
                "colleague_name_place",
                "district_nurse_rota",
                "emis_maintenance",
                "gaelic_bilingual_notice",
                "job_advert",
                "signature_work_contacts",
            ][..],
        ),
        // blind48 and blind49, written on 2026-12-05 (seventeenth round) by
        // helpers who had read no code, test, corpus or note; scored
        // unread at the round's start (94/92/6 and 90/94/4), then read.
        (
            "blind48",
            include_str!("../data/screen_corpus_blind48.txt"),
            97,
            &[
                "attendance_first_names",
                "bank_holiday_rota",
                "care_home_contact",
                "lowercase_request",
                "staff_landline",
                "training_speaker",
                "training_speaker_case",
            ][..],
        ),
        (
            "blind49",
            include_str!("../data/screen_corpus_blind49.txt"),
            92,
            &[
                "bed_number_no_patient",
                "charity_name_like_person",
                "patient_leaflet_link",
                "place_like_name",
                "staff_name_clinical_topic",
                "staff_phone_extension",
            ][..],
        ),
        // blind50 and blind51, written on 2026-12-05 while the round's
        // first changes were made; scored unread with the round's first
        // and its committed code (96/90/5 and 94/93/7 at its start, 96/90/4
        // and 94/95/7 at 77639b7), then read.
        (
            "blind50",
            include_str!("../data/screen_corpus_blind50.txt"),
            97,
            &[
                "domiciliary_agency",
                "eligibility_dates",
                "hub_address",
                "hypothetical_care_home",
                "hypothetical_case_study",
                "org_named_after_person",
                "pharmacy_landline",
                "staff_named_phone",
                "staff_named_role",
                "staff_thanks",
                "substance_misuse_alert",
                "training_trainers",
            ][..],
        ),
        (
            "blind51",
            include_str!("../data/screen_corpus_blind51.txt"),
            97,
            &[
                "christmas_opening_rota",
                "conference_save_date",
                "multilingual_polish_notice",
                "multilingual_romanian_notice",
                "multilingual_ukrainian_notice",
                "multilingual_urdu_posters",
                "outreach_clinic",
                "policy_dates",
                "staff_leave_note",
                "statistics_prison",
                "work_mobile_oncall",
            ][..],
        ),
        // blind52 to blind55 were scored unread at 7b24eb4 (94/94, 90/92,
        // 93/92, 91/87 blocked/passed), then read in the eighteenth round.
        (
            "blind52",
            include_str!("../data/screen_corpus_blind52.txt"),
            96,
            &[
                "cover_request_first_name",
                "delivery_driver_named",
                "hospice_named_lead",
                "job_advert_named_contact",
                "pcn_pharmacist_cover",
                "pharmacy_address",
                "thanks_named_staff",
            ][..],
        ),
        (
            "blind53",
            include_str!("../data/screen_corpus_blind53.txt"),
            94,
            &[
                "community_leader_event",
                "hypothetical_pupil_scenario",
                "quiz_fictional_patient",
                "rota_dates_staff",
                "scots_reply_hours",
                "staff_name_new_role",
                "statistics_by_cluster",
                "street_names_branch_list",
            ][..],
        ),
        (
            "blind54",
            include_str!("../data/screen_corpus_blind54.txt"),
            96,
            &[
                "brand_name_person_like",
                "charity_person_name",
                "cornish_charity_name",
                "dn_weekend_cover",
                "forwarded_chat_stock",
                "hospice_service",
                "somali_staff_message",
                "thank_you_colleague",
                "trainer_named_penrith",
                "turkish_colleague_intro",
            ][..],
        ),
        (
            "blind55",
            include_str!("../data/screen_corpus_blind55.txt"),
            91,
            &[
                "audit_results",
                "caps_stock_request",
                "community_radio",
                "diwali_event",
                "forwarded_chain_stock",
                "glasgow_venue_vaccine",
                "gpwsi_advice",
                "hypothetical_dob_question",
                "interpreter_booking_ref",
                "interpreter_service",
                "meeting_minutes_attendees",
                "pcn_practice_list",
                "policy_question",
                "quiz_fictional_name",
                "roma_outreach_session",
                "staff_named_role",
                "system_names_lookalike",
                "typo_staff_thanks",
            ][..],
        ),
        // blind62 to blind64 were scored unread at 5d00ae6 (90/93, 86/95,
        // 100/80 blocked/passed), blind65 and blind66 there (93/82, 96/94)
        // and at 7b0a0a9 (94/82, 97/94); all were then read in the
        // twentieth round.
        (
            "blind62",
            include_str!("../data/screen_corpus_blind62.txt"),
            93,
            &[
                "aggregate_audit",
                "pharmacy_reply_signoff",
                "thanks_care_staff",
            ][..],
        ),
        (
            "blind63",
            include_str!("../data/screen_corpus_blind63.txt"),
            87,
            &[
                "anonymised_teaching_case",
                "care_home_count",
                "new_staff_start_date",
                "places_like_names",
                "regional_shortage",
                "staff_retirement",
            ][..],
        ),
        (
            "blind64",
            include_str!("../data/screen_corpus_blind64.txt"),
            100,
            &[
                "anonymised_case_thanks",
                "award_nomination_request",
                "brand_name_persons",
                "care_home_liaison_visits",
                "care_home_manager_intro",
                "datix_ref_no_patient",
                "discharge_team_staff",
                "email_thread_staff",
                "emis_staff_user_line",
                "mixed_staff_list_contacts",
                "out_of_office",
                "phone_tree_staff",
                "retirement_cake",
                "shoutout_pharmacy",
                "staff_in_media",
                "teaching_case_anon",
                "thanks_district_nurses",
                "trainee_placement",
                "training_certificates",
            ][..],
        ),
        (
            "blind65",
            include_str!("../data/screen_corpus_blind65.txt"),
            94,
            &[
                "brand_looks_like_name",
                "care_home_aggregate",
                "care_home_signature",
                "charity_names",
                "cpd_speaker",
                "forwarded_staff_chat",
                "icb_email_signature",
                "irish_language",
                "pharmacy_named_after_people",
                "place_names_look_like_names",
                "school_staff_training",
                "staff_described",
                "training_venue_room",
                "urdu_leaflet",
            ][..],
        ),
        (
            "blind66",
            include_str!("../data/screen_corpus_blind66.txt"),
            97,
            &["clinic_room_numbers", "ward_relocation"][..],
        ),
        // blind67 and blind68 were scored unread at daf02a2 (90/79, 82/87
        // blocked/passed), blind69 and blind70 there (92/95, 94/94) and at
        // 21e6fc4 (93/96, 95/94), blind71 and blind72 there (91/92, 96/93)
        // and at 8bfb86e (93/92, 96/95); all were then read in the
        // twenty-first round.
        (
            "blind67",
            include_str!("../data/screen_corpus_blind67.txt"),
            94,
            &[
                "agency_staff_rota",
                "award_congrats",
                "branch_business_mobile",
                "brand_names_ius",
                "charity_person_name",
                "competency_signoff_first_names",
                "dn_spa_contact",
                "duty_pharmacist_mobile",
                "otc_brands",
                "polish_staff_thanks",
                "scottish_towns_like_names",
                "signature_carehome_address",
                "thanks_staff_first_names",
                "town_stanley",
                "wards_named",
            ][..],
        ),
        (
            "blind68",
            include_str!("../data/screen_corpus_blind68.txt"),
            85,
            &[
                "brand_names_like_names",
                "mobile_imms_unit",
                "naloxone_training_ni",
                "ooh_bases_phone",
                "pgd_age_range",
                "school_imms_schedule",
                "school_nurse_dropin",
                "school_nurse_handover",
                "staff_leave_cover",
                "tab_stock_check",
            ][..],
        ),
        (
            "blind69",
            include_str!("../data/screen_corpus_blind69.txt"),
            93,
            &[
                "care_home_manager_mobile",
                "delivery_driver_mobile",
                "lorenzo_system",
                "polish_greeting",
                "staff_leave",
            ][..],
        ),
        (
            "blind70",
            include_str!("../data/screen_corpus_blind70.txt"),
            95,
            &[
                "anonymised_teaching_case",
                "anonymised_training_example",
                "bilingual_out_of_office",
                "staff_titles_surnames",
                "urdu_romanised_stock",
                "welsh_stock",
            ][..],
        ),
        (
            "blind71",
            include_str!("../data/screen_corpus_blind71.txt"),
            94,
            &[
                "anonymised_case_dn",
                "anonymised_teaching",
                "cqc_praise",
                "gp_practice_named",
                "leave_cover",
                "pharmacy_chains_like_names",
                "stock_reply",
                "welsh_staff_thanks",
            ][..],
        ),
        (
            "blind72",
            include_str!("../data/screen_corpus_blind72.txt"),
            96,
            &[
                "bin_location",
                "chain_pt_generic",
                "covid_eligibility",
                "pmr_reorder",
                "rota_export_tab",
                "shelf_label",
            ][..],
        ),
        // blind73-76 were scored unread at b5e5ef2 (98/86, 97/91, 89/89,
        // 81/87 blocked/passed); blind73 and blind74 were then read in the
        // twenty-second round, blind75 and blind76 kept unread.
        (
            "blind73",
            include_str!("../data/screen_corpus_blind73.txt"),
            100,
            &[
                "care_home_lady_name",
                "care_home_landlines",
                "care_home_manager_contact",
                "cqc_inspector_named",
                "forwarded_staff_chat",
                "pgd_signoff_list",
                "polish_training_notice",
                "staff_described_first_name",
                "staff_oncall_mobile",
                "staff_physical_description",
                "thanks_care_staff_first_names",
                "training_event",
                "vaccine_uptake_by_home",
                "ward_names_like_people",
                "ward_round_office_room",
                "wholesaler_phone_postcode",
                "wholesaler_staff",
            ][..],
        ),
        (
            "blind74",
            include_str!("../data/screen_corpus_blind74.txt"),
            99,
            &[
                "anon_teaching_child",
                "anonymised_age_only",
                "marie_curie",
                "ni_hospital_list",
                "ni_place_sion_mills",
                "staff_intro_wales",
            ][..],
        ),
    ] {
        let cases = read_corpus(file);
        let mut caught = 0;
        let mut alarms = Vec::new();
        for case in &cases {
            let got = verdict(&screen(&case.text));
            if case.expected == Some(Block) {
                caught += usize::from(got == Some(Block));
            } else if got.is_some() && !accepted_alarms.contains(&case.class.as_str()) {
                alarms.push(format!("line {}: {:?} {:?}", case.line, got, case.text));
            }
        }
        assert!(
            caught >= floor,
            "{name}: {caught} blocks caught, floor {floor}"
        );
        // One Welsh word ("gael") is also a forename: a warning, never a block.
        let blocked = alarms.iter().filter(|a| a.contains("Some(Block)")).count();
        assert!(blocked == 0 && alarms.len() <= 1, "{name}: {alarms:#?}");
    }
}

/// Runs the mot binary with a clean environment and `stdin`.
/// The probes hostile reviews wrote to make the screen's exemptions hide a
/// patient (`tests/data/screen_hostile.txt`): an exemption widened later
/// must not re-open a hole one of them found. Floors, not accuracy: the
/// probes were written against the rules. A patient probe that warns still
/// asks the operator; one that passes silently does not, so the probes
/// flagged (blocked or warned) have a floor too.
#[test]
fn hostile_probes_stay_blocked() {
    let cases = read_corpus(include_str!("../data/screen_hostile.txt"));
    let (mut caught, mut flagged, mut patients, mut stopped) = (0, 0, 0, 0);
    for case in &cases {
        let findings = screen(&case.text);
        let blocked = verdict(&findings) == Some(Block);
        if case.expected == Some(Block) {
            patients += 1;
            caught += usize::from(blocked);
            flagged += usize::from(!findings.is_empty());
        } else {
            stopped += usize::from(blocked);
        }
    }
    assert_eq!((cases.len(), patients), (2650, 1751));
    assert!(
        caught >= 1385,
        "{caught} of {patients} hostile probes blocked, floor 1385"
    );
    assert!(
        flagged >= 1512,
        "{flagged} of {patients} hostile probes blocked or warned, floor 1512"
    );
    assert!(
        stopped <= 126,
        "{stopped} ordinary probes blocked, ceiling 126"
    );
}
