//! What the twenty-second round's reading of blind corpora 73 and 74
//! found read wrongly. Patients: a medicine cut short ("pregab"), a Welsh
//! street whose word comes first, a year after another language's "born",
//! a name in a script without capitals after a title or standing alone
//! among Latin words with a word that says someone is meant (Chinese,
//! Cyrillic, Arabic, Devanagari). No patients:
//! places that open with a compass word, wards named as Welsh hospitals
//! name them or listed beside their like, a chain's branch in a town that
//! is a first name too after "via" or "at", "Prof." with its full stop
//! after a word in lower case, cohorts after another language's "born",
//! "Mr" and "Mrs" translated, greetings and leaflets' words in other
//! scripts. Hostile reviews 45 to 47's patients named
//! West, Ward, Phoenix or King, listed beside a ward, behind "Dr." or a
//! chain's name, or after a translated title, still block.

use super::*;

#[test]
fn medicines_cut_short_welsh_streets_and_other_scripts_block() {
    for t in [
        "Kevin Dunleavy in again for his pregab early, 3rd time this month",
        "kev from the flats (kevin dunleavy) in again for his pregab early",
        "the only house on Ffordd Las with the green door, old gentleman with dementia",
        "Pacjentka Zofia Lewandowska (ur. 1945) z Aberdeen - alergia na penicylinę",
        "Need an interpreter for Mrs نسرین بی بی, son says she is taking all her metformin",
        "Mr 王伟 needs his metformin",
        "المريض محمد الحسن needs his insulin today, who has Lantus pens?",
        "रमेश पटेल ji ka BP tablet out of stock hai, kisi ke paas amlodipine 10 hai?",
        "有冇人有 pregabalin 75mg? 陳美玲 嘅 script 我哋 fill 唔到",
        "New arrival at the hotel, Олена Коваленко, needs her insulin continued",
        "Can someone deliver insulin to 陈美玲 today? She has run out",
        "Patient محمد اقبال needs his insulin",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}

#[test]
fn places_wards_and_depots_named_like_people_pass() {
    for t in [
        "East Kilbride and Kilwinning hubs have Mounjaro 2.5mg; West Kilbride none until Tues",
        "South West Acute and Altnagelvin accepting the new insulin passport from Feb",
        "Mulberry Ward and Beech Ward at the Jubilee Unit are piloting the insulin checklist",
        "Willow Ward / Hazel Ward: insulin pens to be restocked",
        "Meds fridge failure on Ward Dewi overnight - insulin quarantined. Ward Cadog unaffected",
        "King Edward VII hospital Midhurst now taking NHS ortho lists",
        "Sarah Jones transf to Leeds branch confirmed from Monday",
        "Flu jab leaflet (Polish): osoby ur. 1959 lub wcześniej - free",
        "Label template: Mr 先生 / Mrs 女士 boxes, then the dose line for metformin",
        "speakers Prof. Aled Williams (Cardiff Uni) on deprescribing in frailty",
        "Outbreak update: oseltamivir prophylaxis via Boots Hyde on the PGD.",
        "رمضان میں انسولین - Ramadan & insulin leaflets now available in Urdu",
        "有人有 Buccolam 10mg 吗？ - Kevin Lau, Sunshine Pharmacy, Swansea. Thanks all",
        "Дякую! все ок - thanks, all fine, the insulin arrived",
        "Sign for the sharps bin: 黄色 lid = insulin needles only",
        "高血压 leaflet for patients on amlodipine now in stock",
        "Доброго Ранку all, insulin delivery is late today",
        "صباح الخير everyone, the insulin pens are back in",
        "Leaflets in اردو, বাংলা, ગુજરાતી for the insulin service",
    ] {
        assert_eq!(verdict(&screen(t)), None, "{t}");
    }
}

#[test]
fn people_named_like_wards_still_block() {
    for t in [
        "Edna Ward and Bob Ward both need their insulin delivered today",
        "Ward Jones, 84, needs his insulin",
        "Mrs Ward Dewi on warfarin, INR 6",
        "Mrs Edna Ward and Nightingale Ward staff: her insulin is due",
        "West, Sarah (Mrs) needs her insulin, BM 2.1",
        "North West Sarah Hughes needs her insulin",
        "Ward Jones needs his insulin",
        "Sarah Ward and Beech Ward need her insulin by 10pm",
        "Jane Smith and Baby Smith both need a review of the trimethoprim dose",
        "Phoenix Derby needs his inhaler, mum says he is wheezy",
        "Gary Hughes County Durham has run out of his methadone",
        "King Edward needs his insulin, he is hypo",
        "Rowlands Dilwyn has run out of his apixaban",
        "Moved to 3 Elm Dr. Sarah Hughes needs her insulin",
        "Dr. Aled Williams admitted with chest pain, on warfarin",
        "Boots Hyde needs insulin tonight",
        "Outbreak: oseltamivir via Boots Hyde tonight. She is hypo.",
        "Sue Ryder nursing assessment: refused her insulin twice",
        "Whitby,1936-08-30,apixaban",
        "resident b. 1945 i.e. 81 now, lives alone, on warfarin",
        "Resident geb. 1938 und lebt allein, Insulin",
        "Mr 先生 王伟 needs his insulin",
    ] {
        assert_eq!(verdict(&screen(t)), Some(Severity::Block), "{t}");
    }
}
