use super::births::birthdays_without_year;
use super::*;

fn date(text: &str) -> Option<&str> {
    let end = numeric_date(text, 0)
        .or_else(|| day_month_year(text, 0))
        .or_else(|| month_day_year(text, 0))?;
    Some(&text[..end])
}

#[test]
fn every_documented_writing_is_a_date() {
    for d in [
        "12/03/1985",
        "12-03-85",
        "12.03.1985",
        "1985-03-12",
        "12 March 1985",
        "12 Mar 85",
        "March 12, 1985",
        "12th March 1985",
        "1 Sept. 1985",
        "12-mar-1985",
        "MARCH 12TH 1985",
        "03/31/1985",
        "01 04 1938",
    ] {
        assert_eq!(date(&format!("{d} x")), Some(d));
    }
}

#[test]
fn dates_printed_with_nothing_between() {
    for d in ["02APR1938", "2Apr38", "14sep2001"] {
        assert_eq!(joined_date(&format!("{d} x"), 0), Some(d.len()), "{d}");
    }
    for d in [
        "02APRIL1938",
        "32APR1938",
        "02APR193",
        "2Apr38a",
        "10mg",
        "12MAR",
    ] {
        assert_eq!(joined_date(d, 0), None, "{d}");
    }
}

#[test]
fn eight_digit_dates() {
    for d in ["19520704", "04071952", "20260312"] {
        assert_eq!(compact_date(d, 0), Some(8), "{d}");
    }
    for d in ["19521304", "32071952", "1952070", "195207041", "12345678"] {
        assert_eq!(compact_date(d, 0), None, "{d}");
    }
}

#[test]
fn births_of_groups_are_not_dates_of_birth() {
    let blocks = |t: &str| {
        crate::screen::screen(t)
            .iter()
            .any(|f| f.kind == Kind::DateOfBirth)
    };
    assert!(blocks("DOB 19520704"));
    assert!(blocks("she was born on 4 July 1952"));
    assert!(!blocks("Report dated 20260312"));
    assert!(!blocks(
        "People born between 1 April 1949 and 31 March 1959"
    ));
    assert!(!blocks("Babies born on or after 1 July 2024"));
    assert!(!blocks("The NHS was born on 5 July 1948"));
    assert!(!blocks("Patients born in 1948 or earlier"));
    assert!(
        crate::screen::verdict(&crate::screen::screen(
            "the twins born 3rd Jan at the Ulster"
        ))
        .is_some()
    );
    assert!(blocks(
        "the baby born on the 6th of March, mum asking about vit D"
    ));
    assert!(!blocks("The NHS was born on 5 July: happy birthday, NHS"));
    assert!(!blocks("children born 1 Sept to 31 Aug are eligible"));
    // The birth word of a range after two dates is the range's.
    assert!(!blocks(
        "eligible if 65+ by 31 March 2027, or aged 2-3 on 31 Aug 2026 (born 1 Sept \
         2022 to 31 Aug 2024)"
    ));
}

#[test]
fn a_birthday_in_digits_after_born() {
    fn birthday(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let starts = crate::screen::WordStarts::of(t).alphanumeric;
        birthdays_without_year(t, &starts, &mut out);
        out.iter().map(|f| &t[f.start..f.end]).collect()
    }
    assert_eq!(
        birthday("baby Zainab, born at home 14/10 in Leeds"),
        ["14/10"]
    );
    assert_eq!(birthday("born 3/4"), ["3/4"]);
    assert!(
        birthday("born 14/10/2025").is_empty(),
        "a full date is read as one"
    );
    assert!(birthday("born 14/13").is_empty());
}

#[test]
fn a_birth_before_1900_is_history() {
    let screened = |t: &str| crate::screen::verdict(&crate::screen::screen(t));
    assert_eq!(
        screened("newsletter: Aneurin Bevan, born 15 Nov 1897 in Tredegar, launched the NHS"),
        None
    );
    assert_eq!(screened("b. 1850, Florence Nightingale"), None);
    assert_eq!(
        screened("Aneurin Bevan, born 1897 in Tredegar, launched the NHS on 5 July 1948"),
        None,
        "a birth word with its own year is not said of a later date"
    );
    assert!(date_at("15/11/1897", 0).is_none() && date_at("1897-11-15", 0).is_none());
    assert_eq!(date_at("15/11/1907", 0), Some(10));
    assert_eq!(
        date_at("070841", 0),
        None,
        "no year set off: not history, not a date"
    );
    assert!(historical_year_after("b. 1897", 2) && historical_year_after("born 15 Nov 1897", 4));
    assert!(!historical_year_after("b. 1115 this morning", 2));
    assert!(!historical_year_after("born 34 wks 1850g", 4));
    assert!(screened("Edna Jones born 15 Nov 1937 on warfarin").is_some());
    // After a DOB label an early year is a typo, and still someone's.
    assert!(screened("Edna DOB 12 Mar 1840 INR 9 warfarin").is_some());
}

#[test]
fn not_full_dates() {
    for t in [
        "12/03",
        "09:30",
        "17.30",
        "13/13/1985",
        "32/01/1985",
        "12.03.1985.2",
        "1.2.3",
        "12 Marchx 1985",
        "12 March",
        "12345/01/2020",
        "12/03-1985",
        // Spaces part a date only as day, month and a birth year.
        "0113 496 0123",
        "10 12 3000",
        "01 04 2026",
        "10  12 1985",
        "1 2 3",
        "13 13 1985",
    ] {
        assert_eq!(date(t), None, "{t}");
    }
}
