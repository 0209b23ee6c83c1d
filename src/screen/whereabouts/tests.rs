use super::*;

fn places(text: &str) -> Vec<(Place, &str)> {
    let lower = crate::screen::tokens::LowerCase::of(text);
    find(text, &crate::screen::tokens::tokens(text, &lower))
        .into_iter()
        .map(|(p, s, e)| (p, &text[s..e]))
        .collect()
}

#[test]
fn a_year_group_after_in_is_a_school_year_not_a_place() {
    for (text, year) in [
        ("Fatima in Reception at Oakwood Infants has", "Reception"),
        ("Ali in Year 2 at Oakwood Juniors", "Year 2"),
        ("Mia in Nursery at Hillside Primary", "Nursery"),
        // A first name and "in" before it: that pupil's year.
        ("Gemma in yr 11 at St Aidan's is pregnant", "yr 11"),
    ] {
        assert_eq!(places(text).first(), Some(&(Place::School, year)), "{text}");
    }
    // Without a first name before it and a named place after, a year
    // alone is no school's.
    for text in [
        "Staff in Year 9 need consent forms",
        "Priya in year 4 of her MPharm is shadowing us",
        "Ellie in Year 10 is doing work experience with us",
    ] {
        assert!(places(text).is_empty(), "{text}");
    }
}

#[test]
fn a_place_outside_or_opposite_which_someone_is() {
    assert_eq!(
        places("the lollipop lady outside Parkside Primary had a seizure"),
        [(Place::Locality, "outside Parkside Primary")]
    );
    assert_eq!(
        places("the man opposite Greggs asked for methadone"),
        [(Place::Locality, "opposite Greggs")]
    );
}

#[test]
fn houses_in_every_writing() {
    use Place::Address;
    for (text, span) in [
        ("the old chap at 3 Orchard Way says", "3 Orchard Way"),
        ("lady at no. 27 the Crescent is", "no. 27 the Crescent"),
        (
            "knock at number 30 station road, he's deaf",
            "number 30 station road",
        ),
        ("flat 4B, Kestrel House", "flat 4B"),
        ("112 Bryn Road, Penarth", "112 Bryn Road"),
        (
            "delivery to 7 Pen-y-Bryn Terrace failed",
            "7 Pen-y-Bryn Terrace",
        ),
    ] {
        assert_eq!(places(text), [(Address, span)], "{text}");
    }
}

#[test]
fn rooms_schools_streets_and_places() {
    let without_places = |text| {
        places(text)
            .into_iter()
            .filter(|(p, _)| *p != Place::Locality)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without_places("the resident in room 31 has"),
        [(Place::Room, "room 31")]
    );
    assert_eq!(
        without_places("Hannah, Pantycelyn halls room B14, wheezing"),
        [(Place::Room, "room B14")]
    );
    assert_eq!(
        without_places("Cerys, Blwyddyn 8 yn Ysgol Gyfun Cwm Rhondda"),
        [(Place::School, "Blwyddyn 8")]
    );
    assert_eq!(
        without_places("the Y6 girl at Abbeyfield Primary"),
        [(Place::School, "Y6")]
    );
    assert_eq!(
        without_places("Year 4 at St Mary's school"),
        [(Place::School, "Year 4")]
    );
    assert_eq!(
        places("the gentleman on Cherry Tree Lane in Holmfirth"),
        [
            (Place::Street, "on Cherry Tree Lane"),
            (Place::Locality, "in Holmfirth")
        ]
    );
    assert!(places("Room 10:30 then lunch").is_empty());
    assert_eq!(
        places("erm, Eileen in room nine has got a chest again"),
        [(Place::Room, "room nine")]
    );
    assert_eq!(
        places("Big Mo at Oakwood Flats, his depot"),
        [(Place::Street, "at Oakwood Flats")]
    );
    assert_eq!(
        places("the man in Llanfihangel-y-Creuddyn with"),
        [(Place::Locality, "in Llanfihangel-y-Creuddyn")]
    );
}

#[test]
fn businesses_and_working_rooms_are_not_whereabouts() {
    for text in [
        "Riverside Pharmacy, 12 High Street has stock",
        "Consulting room 1 out of use today",
        "Meeting in room 31 of the education centre",
        "Practice nurse room 3 free Thurs 14:00-16:00 for the spirometry session",
        "Room 2 is available for the flu clinic",
        "Returns depot address: Unit 4, Parkway",
        "pack of 28 tablets, 2 boxes",
        "Reception and Year 1 flu consent forms",
    ] {
        assert!(places(text).is_empty(), "{text}: {:?}", places(text));
    }
}

#[test]
fn a_language_after_in_is_no_place() {
    assert_eq!(
        places("pt leaflets for Mounjaro now in Polish, Romanian, Urdu & Cantonese"),
        []
    );
    assert_eq!(places("leaflets in Easy Read and in Welsh"), []);
    assert_eq!(
        places("the lady in Crickhowell"),
        [(Place::Locality, "in Crickhowell")]
    );
}

#[test]
fn a_pronoun_after_an_address_is_the_sender_not_a_business() {
    assert_eq!(
        places("The gent at 17 Brook Street we dress on Tuesdays"),
        [(Place::Address, "17 Brook Street")]
    );
    // Before it, "our" makes it the business's own.
    assert!(places("our new premises at 17 Brook Street open Monday").is_empty());
    assert!(places("at 17 Brook Street Pharmacy").is_empty());
}

#[test]
fn a_room_near_a_clinic_or_outpatients_is_still_a_room() {
    // A hostile review: "the resident in room 9 … outpatient letter".
    assert_eq!(
        places("Warfarin clinic letter for the lady in room 14"),
        [(Place::Room, "room 14")]
    );
    assert_eq!(
        places("Mrs Hale in room 12 at Oak Court").first(),
        Some(&(Place::Room, "room 12"))
    );
}

#[test]
fn a_house_s_own_name_and_a_key_safe_s_code_are_a_home_s() {
    assert_eq!(
        places("Mrs Hocking at Rose Cottage, Trebetherick"),
        [(Place::Address, "at Rose Cottage")]
    );
    assert_eq!(
        places("DN couldn't get in, keysafe code changed to 4471"),
        [(Place::Address, "keysafe code changed to 4471")]
    );
    assert_eq!(
        places("key safe 0909 by the back door"),
        [(Place::Address, "key safe 0909")]
    );
    // A branch on a street is a business's; a key without a code is no one's.
    assert!(places("witness at the Bradford Rd branch on Thursday").is_empty());
    assert!(places("the key to the CD cupboard is in the safe").is_empty());
}
