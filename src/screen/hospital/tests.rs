use super::*;

fn numbers(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let words = crate::screen::WordStarts::of(text).letters;
    scan_hospital_numbers(text, &words, &mut out);
    out.iter().map(|f| &text[f.start..f.end]).collect()
}

#[test]
fn a_prisoners_number_needs_a_prison_named_with_it() {
    assert_eq!(
        numbers("prisoner A4582CK transferred from Leeds"),
        ["A4582CK"]
    );
    assert_eq!(numbers("A1234BC released from HMP Leeds tues"), ["A1234BC"]);
    assert!(numbers("order code A1234BC for the clinic").is_empty());
    assert!(numbers("prisoner AB1234C released").is_empty());
}

#[test]
fn tokens_after_labels() {
    assert_eq!(numbers("MRN: RX1234567."), ["RX1234567"]);
    assert_eq!(numbers("Hospital No.: 1234 5678 today"), ["1234 5678"]);
    assert_eq!(numbers("hospital number 55-66/7-"), ["55-66/7"]);
    assert_eq!(numbers("Unit no #A12"), ["A12"]);
    assert_eq!(numbers("patient ID K9"), ["K9"]);
    assert_eq!(numbers("Patient-No 4"), ["4"]);
}

#[test]
fn local_labels_and_implicit_forms() {
    for (text, number) in [
        ("hosp no 7654321", "7654321"),
        ("Hosp. no. 223344556", "223344556"),
        ("Hosp#9988776", "9988776"),
        ("PAS number: 3019284", "3019284"),
        ("Case-note no. 12345678", "12345678"),
        ("casenote 445566778", "445566778"),
        ("her hospital number is 8765432", "8765432"),
        ("M.R.N. 9988123", "9988123"),
        ("Unit No 1234567B", "1234567B"),
        ("St James's number 4512367", "4512367"),
        ("Royal Infirmary no. 5566778", "5566778"),
        ("RTX1234567 please", "RTX1234567"),
        ("RWA 1234567", "RWA 1234567"),
        ("ward 5 bed 3 - D234567", "D234567"),
        ("ward 22 bed 4 patient 1122334", "1122334"),
        ("CNN 5544332 (case note number)", "5544332"),
        ("case note no. LGI 0734512 - chase", "LGI 0734512"),
        ("MRN: RBH 448213 today", "RBH 448213"),
        ("RBH-448213-K is the hosp no for her", "RBH-448213-K"),
        ("K4412345 is her hospital number", "K4412345"),
    ] {
        assert_eq!(numbers(text), [number], "{text}");
    }
}

#[test]
fn numbers_under_other_names() {
    for t in [
        "Order number 1234567",
        "PO number 4500123456",
        "PAS downtime 18:00-20:00",
        "Case notes audit: 45 notes",
        "RTX01 site code",
        "Ward 12 has 24 beds",
        "Batch AB12345C expires",
        "Prescription number 1234567",
        "the unit number is on the fridge",
        "0113 496 0123 is the hospital number",
        "01134960123 is the hospital number",
        "PO 4500123 is the order no",
    ] {
        assert!(numbers(t).is_empty(), "{t}: {:?}", numbers(t));
    }
}

#[test]
fn labels_without_a_number() {
    for t in [
        "the patient no longer needs it",
        "MRN pending",
        "MRNs 12",
        "hospital numbers",
        "unit noted 12",
        "MRN:          123",
    ] {
        assert!(numbers(t).is_empty(), "{t}");
    }
}
