//! The one decision: which combinations of what the recognisers found make
//! a message patient data.
//!
//! Recognisers find *parts*; no part decides on its own except an
//! identifier already labelled as a patient's ("NHS no 999…", "DOB …", a
//! hospital number after its label, a pasted record row). The rest combine,
//! as in k-anonymity: each part narrows down who is meant, and a message
//! blocks once the parts together single out a person.
//!
//! A message **blocks** when
//! 1. a person is referred to (named, by a first name, or described: "the
//!    old chap") together with any detail that narrows down who they are —
//!    an age or a date next to them, an address or street, a room, a school
//!    year, a postcode, a personal phone number or email address;
//! 2. a strong identifier (an NHS, CHI or H&C number that passes its check)
//!    occurs with a person, a detail or clinical words; so does ten digits
//!    written as an NHS number is (3-3-4, or one run) that fail the check
//!    and have no label ("999 611 4402, ranitidine still on it": a mistyped
//!    number is still someone's), which alone is no finding at all;
//! 3. a person's full name occurs with clinical words (medicines, doses,
//!    conditions, care), or a first name with clinical words said of
//!    someone ("her morphine patch", "she's started chemo"): that is a
//!    named patient's health. A full name at its own work ("Priya
//!    Raghunathan will deliver the valproate training") counts as a first
//!    name does here: the clinical words are the work's subject;
//! 4. two different details occur with clinical words (a phone number and
//!    an email address are one party's contact, so count as one), or one
//!    detail that on its own points at one household (a house address, a
//!    room) does;
//! 5. a person described ("the vicar", "the lady") occurs with a place name
//!    ("at St Cadoc's", "in Crickhowell") and clinical words;
//! 6. a first name and a person described occur with clinical words
//!    ("Craig, the lad with the neck tattoo … 80ml"): together they single
//!    someone out.
//!
//! A name a hospital, hospice or charity also has ("Marie Curie nurses",
//! "Florence Nightingale Hospice") is the institution under rules 1 and 3:
//! it is someone only with a detail of a person's own (an age, a house
//! address, a room, a phone …; not a postcode or a street, which the
//! institution has too) or with a strong identifier.
//!
//! A message **warns** (the operator must acknowledge it) when only a first
//! name occurs with clinical words said of no one, or a strong identifier
//! stands alone. A first name the message gives a colleague's, a place's or
//! a brand's part ("ring Bola at Peckham Pharmacy", "Barry, Newport and
//! Bridgend") blocks as any first name does, but is no warning on its own.
//! Anything else — the team's phone number, a surgery's postcode, a
//! pharmacist's name, a date — is no finding at all: a warning that fires on
//! ordinary messages teaches people to skip warnings.
//!
//! The explanation of each finding names the parts that combined.

use super::person::Reference;
use super::whereabouts::Place;
use super::{Finding, Kind, Severity, ages, clinical, email, person, tokens, whereabouts};

/// A detail that narrows down who someone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Detail {
    DateOfBirth,
    /// An age, or a date written right next to a person.
    Age,
    Place(PlaceKind),
    Postcode,
    Phone,
    Email,
}

/// [`Place`] with an order, so that details can be sorted and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PlaceKind {
    Address,
    Street,
    Room,
    School,
    Locality,
    /// A prison cell: where one person lives, but named every day in a
    /// prison's own rounds ("cell 22 to cell 40 first"), so it singles
    /// someone out only with a person or health said of someone.
    Cell,
}

impl From<Place> for PlaceKind {
    fn from(p: Place) -> Self {
        match p {
            Place::Address => PlaceKind::Address,
            Place::Street => PlaceKind::Street,
            Place::Room => PlaceKind::Room,
            Place::School => PlaceKind::School,
            Place::Locality => PlaceKind::Locality,
            Place::Cell => PlaceKind::Cell,
        }
    }
}

/// What one span of the text is, for the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Person(Reference),
    Detail(Detail),
    /// A valid NHS, CHI or H&C number, a hospital number, a record row.
    Strong,
    /// Ten digits written as an NHS number is, failing its check, with no
    /// label: a mistyped one with a person or clinical words, an order's
    /// number otherwise, so never a warning on its own.
    Mistyped,
    Clinical,
    /// Clinical words said of someone: "her morphine patch", "she's
    /// started chemo" (always also [`Part::Clinical`]).
    Health,
}

impl Part {
    /// A noun phrase for explanations.
    fn describe(self) -> &'static str {
        match self {
            Part::Person(Reference::Named | Reference::NamedAtWork) => "a person's name",
            Part::Person(Reference::Forename | Reference::AtWork) => "a first name",
            Part::Person(Reference::Described | Reference::Singled | Reference::Held) => {
                "a person described"
            }
            Part::Person(Reference::Someone) => "someone described",
            Part::Person(Reference::Institutional) => "a name a hospital or charity also has",
            Part::Detail(Detail::DateOfBirth) => "a date of birth",
            Part::Detail(Detail::Age) => "an age or a date",
            Part::Detail(Detail::Place(PlaceKind::Address)) => "a house address",
            Part::Detail(Detail::Place(PlaceKind::Street)) => "a street",
            Part::Detail(Detail::Place(PlaceKind::Room)) => "a room or bed",
            Part::Detail(Detail::Place(PlaceKind::Cell)) => "a prison cell",
            Part::Detail(Detail::Place(PlaceKind::School)) => "a school year",
            Part::Detail(Detail::Place(PlaceKind::Locality)) => "a place",
            Part::Detail(Detail::Postcode) => "a postcode",
            Part::Detail(Detail::Phone) => "a phone number",
            Part::Detail(Detail::Email) => "an email address",
            Part::Strong => "an identifier",
            Part::Mistyped => "a number written as an NHS number",
            Part::Clinical => "clinical words",
            Part::Health => "health said of them",
        }
    }

    /// The finding's kind, for parts reported as findings.
    fn kind(self) -> Kind {
        match self {
            Part::Person(_) => Kind::PatientName,
            Part::Mistyped => Kind::NhsNumber,
            Part::Detail(Detail::DateOfBirth) => Kind::DateOfBirth,
            Part::Detail(Detail::Age) => Kind::Age,
            Part::Detail(Detail::Place(
                PlaceKind::Address | PlaceKind::Street | PlaceKind::Locality,
            )) => Kind::Address,
            Part::Detail(Detail::Place(PlaceKind::Room | PlaceKind::Cell)) => Kind::Room,
            Part::Detail(Detail::Place(PlaceKind::School)) => Kind::School,
            Part::Detail(Detail::Postcode) => Kind::Postcode,
            Part::Detail(Detail::Phone) => Kind::PhoneNumber,
            Part::Detail(Detail::Email) => Kind::Email,
            Part::Strong | Part::Clinical | Part::Health => Kind::PatientRecord,
        }
    }
}

/// One thing a recogniser found.
#[derive(Debug, Clone)]
pub(super) struct Evidence {
    pub(super) part: Part,
    /// The kind to report it as (the recogniser's, e.g. an NHS number).
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Set when the part blocks on its own, with the recogniser's reason.
    pub(super) decisive: Option<String>,
}

impl Evidence {
    pub(super) fn new(part: Part, start: usize, end: usize) -> Self {
        Evidence {
            part,
            kind: part.kind(),
            start,
            end,
            decisive: None,
        }
    }
}

/// Every part in `text`: the identifier scanners' `findings` (an NHS number,
/// a date of birth, a postcode …) as parts, and what the person, place, age
/// and clinical recognisers find.
pub(super) fn gather(
    text: &str,
    starts: &[usize],
    findings: Vec<Finding>,
    mistyped: &[(usize, usize)],
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = findings
        .into_iter()
        .filter_map(|f| from_finding(text, f))
        .collect();
    for &(start, end) in mistyped {
        evidence.push(Evidence::new(Part::Mistyped, start, end));
    }
    // The words, folded and looked up once for the three that read them.
    let lower = tokens::LowerCase::of(text);
    let tokens = tokens::tokens(text, &lower);
    let clinical = clinical::read(text, &tokens);
    let places = whereabouts::find(text, &tokens);
    // "Case for Thurs teaching: 68M, T2DM, …": under a teaching case's
    // heading, in a text that says nowhere where anyone is, "Mrs A" and an
    // age are anyone's.
    let taught = places
        .is_empty()
        .then(|| person::teaching_heading(text))
        .flatten();
    for p in person::find_in(text, &tokens, &clinical, taught) {
        // "Training scenario: the lady who lives alone …" is anyone.
        let in_the_case = taught.is_some_and(|(at, end)| at <= p.start && p.start < end);
        let reference = match p.reference {
            Reference::Singled | Reference::Held if in_the_case => Reference::Described,
            r => r,
        };
        let part = Part::Person(reference);
        evidence.push(Evidence::new(part, p.start, p.end));
        if ages::age_or_date_near(text, starts, p.start, p.end)
            || ages::birth_year_in_brackets(text, p.end)
        {
            evidence.push(Evidence::new(Part::Detail(Detail::Age), p.start, p.end));
        }
    }
    for &(place, start, end) in &places {
        let part = Part::Detail(Detail::Place(place.into()));
        evidence.push(Evidence::new(part, start, end));
    }
    for (start, end, described) in ages::individual(text, starts) {
        evidence.push(Evidence::new(Part::Detail(Detail::Age), start, end));
        if described {
            // "a 14yo" is anyone of that age; "the 84 yo" someone known.
            let anyone = taught.is_some_and(|(at, case_end)| at <= start && start < case_end);
            let reference = if anyone || ages::indefinite_before(text, start) {
                Reference::Someone
            } else {
                Reference::Described
            };
            evidence.push(Evidence::new(Part::Person(reference), start, end));
        }
    }
    // "her mobile is …", "call her at home on …", "mum's email …": a
    // number or address said to be someone's stands for them.
    // The people found, sorted, read only for a mailbox with a name.
    let mut people: Option<Vec<(usize, usize)>> = None;
    let mut someones = Vec::new();
    for e in &evidence {
        let personal = matches!(e.part, Part::Detail(Detail::Phone | Detail::Email))
            && (person::owner_before(text, e.start) || person::public_owner_before(text, e.start));
        let mailbox = e.part == Part::Detail(Detail::Email)
            && person::names_a_person(local_part(text, e))
            && (email::webmail(&text[e.start..e.end]) || {
                let people = people.get_or_insert_with(|| people_in(&evidence));
                !person::a_colleague_s_mailbox(text, e.start, local_part(text, e), people)
            });
        if mailbox {
            someones.push(Evidence::new(
                Part::Person(Reference::Named),
                e.start,
                e.end,
            ));
        } else if personal {
            someones.push(Evidence::new(
                Part::Person(Reference::Described),
                e.start,
                e.end,
            ));
        }
    }
    evidence.extend(someones);
    for &(start, end) in &clinical.words {
        evidence.push(Evidence::new(Part::Clinical, start, end));
    }
    for &(start, end) in &clinical.health {
        evidence.push(Evidence::new(Part::Health, start, end));
    }
    // "ring 07700 900123 re his sertraline": a personal number or address
    // in a message about someone's own health stands for them.
    if !clinical.health.is_empty() {
        let contacts: Vec<Evidence> = evidence
            .iter()
            .filter(|e| matches!(e.part, Part::Detail(Detail::Phone | Detail::Email)))
            .map(|e| Evidence::new(Part::Person(Reference::Described), e.start, e.end))
            .collect();
        evidence.extend(contacts);
    }
    evidence
}

/// An identifier scanner's finding as a part: labelled identifiers decide
/// on their own; an organisation's phone, postcode or email is no part.
fn from_finding(text: &str, f: Finding) -> Option<Evidence> {
    let part = match f.kind {
        Kind::NhsNumber | Kind::HospitalNumber | Kind::NiNumber | Kind::PatientRecord => {
            Part::Strong
        }
        Kind::DateOfBirth => Part::Detail(Detail::DateOfBirth),
        Kind::Postcode if !whereabouts::organisation_near(text, f.start, f.end) => {
            Part::Detail(Detail::Postcode)
        }
        Kind::PhoneNumber
            if person::public_owner_before(text, f.start)
                || !whereabouts::organisation_near(text, f.start, f.end)
                    && !person::staff_contact(text, f.start) =>
        {
            Part::Detail(Detail::Phone)
        }
        Kind::Email if !email::organisational(&text[f.start..f.end]) => Part::Detail(Detail::Email),
        _ => return None,
    };
    let decisive = (f.severity == Severity::Block && part != Part::Detail(Detail::Postcode))
        .then_some(f.reason);
    Some(Evidence {
        part,
        kind: f.kind,
        start: f.start,
        end: f.end,
        decisive,
    })
}

/// The spans of the people among `evidence`, sorted.
fn people_in(evidence: &[Evidence]) -> Vec<(usize, usize)> {
    let mut people: Vec<(usize, usize)> = evidence
        .iter()
        .filter(|e| matches!(e.part, Part::Person(_)))
        .map(|e| (e.start, e.end))
        .collect();
    people.sort_unstable();
    people
}

/// The part before `@` of the address `e` spans, which holds a personal
/// name in "lisa.mottram83@…".
fn local_part<'t>(text: &'t str, e: &Evidence) -> &'t str {
    let address = &text[e.start..e.end];
    address.split('@').next().unwrap_or(address)
}

/// Decides the whole message from its parts: the findings to report, each
/// with a reason naming what combined.
pub(super) fn decide(mut evidence: Vec<Evidence>) -> Vec<Finding> {
    // "she's 30 today", "the 84 yo": a person described by an age alone is
    // one part, not a person with a detail, unless health is written with
    // it. "can a 14yo buy Nurofen?" is anyone of that age, health or not:
    // the age narrows down no one unless a place does too.
    let clinical = evidence.iter().any(|e| e.part == Part::Clinical);
    let health = evidence.iter().any(|e| e.part == Part::Health);
    let aged_someone = |e: &Evidence| e.part == Part::Person(Reference::Someone);
    let described: std::collections::HashSet<(usize, usize)> = evidence
        .iter()
        .filter(|e| aged_someone(e) || !clinical && is_described(e.part))
        .map(|e| (e.start, e.end))
        .collect();
    // "98-year-old man", "a 70 yo lady": an age right next to someone is
    // how they are described, not a second detail.
    let mut someones: Vec<(usize, usize)> = evidence
        .iter()
        .filter(|e| aged_someone(e))
        .map(|e| (e.start, e.end))
        .collect();
    someones.sort_unstable();
    let describes_someone = |e: &Evidence| {
        let i = someones.partition_point(|s| s.0 < e.end);
        let after = someones.get(i).is_some_and(|s| s.0 - e.end <= 2);
        let before = i
            .checked_sub(1)
            .map(|i| someones[i])
            .is_some_and(|s| s.1 <= e.start && e.start - s.1 <= 2);
        after || before
    };
    let ages_before = evidence.len();
    evidence.retain(|e| {
        e.part != Part::Detail(Detail::Age)
            || !(described.contains(&(e.start, e.end)) || describes_someone(e))
    });
    // Someone of an age (whose age was their description) in a named place
    // with health written about them is described enough to count.
    let someone_aged = evidence.len() < ages_before && evidence.iter().any(aged_someone);
    let is = |f: &dyn Fn(Part) -> bool| evidence.iter().any(|e| f(e.part));
    let person = is(&|p| matches!(p, Part::Person(_)));
    let strong = is(&|p| matches!(p, Part::Strong | Part::Mistyped));
    let described = is(&is_described) || someone_aged;
    // A place name narrows down only a person described ("the vicar at St
    // Cadoc's", "the lady in Crickhowell") who has clinical words with them.
    let locality = Detail::Place(PlaceKind::Locality);
    let described_somewhere = described && clinical && is(&|p| p == Part::Detail(locality));
    // A first name and a description ("Craig, the lad with the neck tattoo
    // who does supervised", "older chap called Stanley") together narrow
    // down one person, who has clinical words with them.
    let forename = is(&|p| matches!(p, Part::Person(Reference::Forename | Reference::AtWork)));
    let named_and_described = forename && clinical && is(&is_described);
    let mut details: Vec<Detail> = evidence
        .iter()
        .filter_map(|e| match e.part {
            Part::Detail(d) if d != locality => Some(d),
            _ => None,
        })
        .collect();
    details.sort_unstable();
    details.dedup();
    // A phone number and an email address are one party's contact ("orders@…
    // or 0113 …"), not two details that narrow down who is meant.
    let narrowing = details.len()
        - usize::from(details.contains(&Detail::Phone) && details.contains(&Detail::Email));
    let household = details.iter().any(|d| {
        matches!(
            d,
            Detail::Place(PlaceKind::Address | PlaceKind::Room) | Detail::DateOfBirth
        ) || *d == Detail::Place(PlaceKind::Cell) && health
    });
    let detail = !details.is_empty();
    // An institution has a postcode and a street as well ("Ty Glas,
    // Llanishen, Cardiff CF14 5DU"): a name one has too is someone only
    // with a detail of a person's own.
    let own_detail = details.iter().any(|d| !institutions_have(*d));
    let someone = is(&|p| matches!(p, Part::Person(r) if r != Reference::Institutional));

    // Which parts took part in a block, by rule (see the module's doc).
    let blocking = |p: Part| match p {
        Part::Person(Reference::Institutional) => own_detail || strong,
        Part::Person(r) => {
            (detail || strong)
                || (r == Reference::Named && clinical)
                || (matches!(
                    r,
                    Reference::Forename | Reference::AtWork | Reference::NamedAtWork
                ) && health)
                || (matches!(r, Reference::Singled | Reference::Held) && health)
                || ((is_described(p) || r == Reference::Someone && someone_aged)
                    && described_somewhere)
                || ((matches!(r, Reference::Forename | Reference::AtWork) || is_described(p))
                    && named_and_described)
        }
        Part::Detail(d) if d == locality => described_somewhere,
        Part::Detail(d) => {
            // An institution's name owns no postcode or street of a person's.
            let owner = if institutions_have(d) {
                someone
            } else {
                person
            };
            owner || strong || (clinical && (narrowing >= 2 || household))
        }
        Part::Strong | Part::Mistyped => person || detail || clinical,
        Part::Clinical | Part::Health => false,
    };
    let warning = |p: Part| match p {
        Part::Person(Reference::Forename) => clinical,
        Part::Strong => true,
        _ => false,
    };
    // The kinds of part that combined, each once: a long text has
    // thousands of parts but only a few kinds, and each reason names them.
    let mut blocked: Vec<Part> = Vec::new();
    let parts = evidence
        .iter()
        .filter(|e| blocking(e.part) || e.decisive.is_some());
    for part in parts
        .map(|e| e.part)
        .chain(clinical.then_some(Part::Clinical))
        .chain(health.then_some(Part::Health))
    {
        if !blocked.contains(&part) {
            blocked.push(part);
        }
    }

    let mut findings = Vec::new();
    // Each kind of part's sentence, written once: a long text has thousands.
    let mut sentences: Vec<(Part, String)> = Vec::new();
    for e in &evidence {
        if matches!(e.part, Part::Clinical | Part::Health) {
            continue;
        }
        let (severity, reason) = if let Some(reason) = &e.decisive {
            (Severity::Block, reason.clone())
        } else if blocking(e.part) {
            let written = sentences.iter().find(|(p, _)| *p == e.part);
            let sentence = match written {
                Some((_, sentence)) => sentence.clone(),
                None => {
                    let sentence = combined(e.part, &blocked);
                    sentences.push((e.part, sentence.clone()));
                    sentence
                }
            };
            (Severity::Block, sentence)
        } else if warning(e.part) {
            let with = if clinical { &[Part::Clinical][..] } else { &[] };
            (Severity::Warn, warned(e.part, with))
        } else {
            continue;
        };
        findings.push(Finding {
            kind: e.kind,
            severity,
            start: e.start,
            end: e.end,
            reason,
        });
    }
    findings
}

/// True for a person described, whether or not the description singles
/// them out.
fn is_described(p: Part) -> bool {
    matches!(p, Part::Person(Reference::Described | Reference::Singled))
}

/// True for a detail an institution has too: its postcode, its street.
fn institutions_have(d: Detail) -> bool {
    matches!(d, Detail::Postcode | Detail::Place(PlaceKind::Street))
}

/// "a person's name with a house address and clinical words".
fn combined(own: Part, parts: &[Part]) -> String {
    let mut others: Vec<&str> = parts
        .iter()
        .filter(|&&p| p != own)
        .map(|p| p.describe())
        .filter(|d| *d != own.describe())
        .collect();
    others.sort_unstable();
    others.dedup();
    format!("{} with {}", own.describe(), join(&others))
}

fn warned(own: Part, with: &[Part]) -> String {
    match with {
        [] => format!("{} on its own: check it is not a patient's", own.describe()),
        _ => format!(
            "{} with {}: check it is not a patient",
            own.describe(),
            join(&with.iter().map(|p| p.describe()).collect::<Vec<_>>())
        ),
    }
}

/// "a, b and c".
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
