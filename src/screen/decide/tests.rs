use super::*;

fn parts(parts: &[Part]) -> Vec<(Kind, Severity, String)> {
    let evidence = parts
        .iter()
        .enumerate()
        .map(|(i, &p)| Evidence::new(p, i * 10, i * 10 + 5))
        .collect();
    decide(evidence)
        .into_iter()
        .map(|f| (f.kind, f.severity, f.reason))
        .collect()
}

const NAMED: Part = Part::Person(Reference::Named);
const FIRST: Part = Part::Person(Reference::Forename);
const DESCRIBED: Part = Part::Person(Reference::Described);
const ROOM: Part = Part::Detail(Detail::Place(PlaceKind::Room));
const AGE: Part = Part::Detail(Detail::Age);
const PHONE: Part = Part::Detail(Detail::Phone);

#[test]
fn a_person_with_a_detail_blocks_and_says_what_combined() {
    let found = parts(&[DESCRIBED, ROOM, Part::Clinical]);
    assert_eq!(
        found,
        [
            (
                Kind::PatientName,
                Severity::Block,
                "a person described with a room or bed and clinical words".to_string()
            ),
            (
                Kind::Room,
                Severity::Block,
                "a room or bed with a person described and clinical words".to_string()
            ),
        ]
    );
}

#[test]
fn a_full_name_with_clinical_words_blocks_a_first_name_warns() {
    assert_eq!(parts(&[NAMED, Part::Clinical])[0].1, Severity::Block);
    assert_eq!(parts(&[FIRST, Part::Clinical])[0].1, Severity::Warn);
    let said_of_her = parts(&[FIRST, Part::Clinical, Part::Health]);
    assert_eq!(said_of_her[0].1, Severity::Block);
    assert_eq!(
        said_of_her[0].2,
        "a first name with clinical words and health said of them"
    );
    assert!(parts(&[NAMED]).is_empty());
}

#[test]
fn a_first_name_at_work_blocks_as_a_first_name_but_never_warns() {
    const AT_WORK: Part = Part::Person(Reference::AtWork);
    assert!(parts(&[AT_WORK, Part::Clinical]).is_empty());
    assert_eq!(parts(&[AT_WORK, ROOM])[0].1, Severity::Block);
    assert_eq!(
        parts(&[AT_WORK, Part::Clinical, Part::Health])[0].1,
        Severity::Block
    );
}

#[test]
fn a_first_name_and_a_description_block_with_clinical_words() {
    let found = parts(&[FIRST, DESCRIBED, Part::Clinical]);
    assert_eq!(found[0].1, Severity::Block);
    assert_eq!(
        found[0].2,
        "a first name with a person described and clinical words"
    );
    // Without clinical words a description narrows down nothing.
    assert!(parts(&[FIRST, DESCRIBED]).is_empty());
}

#[test]
fn a_strong_identifier_needs_company_to_block() {
    assert_eq!(parts(&[Part::Strong])[0].1, Severity::Warn);
    assert_eq!(parts(&[Part::Strong, Part::Clinical])[0].1, Severity::Block);
}

#[test]
fn details_block_together_with_clinical_words() {
    assert!(parts(&[PHONE]).is_empty());
    assert!(parts(&[AGE, Part::Clinical]).is_empty());
    assert_eq!(parts(&[AGE, PHONE, Part::Clinical])[0].1, Severity::Block);
    assert_eq!(parts(&[ROOM, Part::Clinical])[0].1, Severity::Block);
}
