//! What a text says of who its colleagues are: the people at a meeting
//! ("Present: Sian Roberts (chair), Bev Evans") and the names of its work
//! mail addresses ("gareth.llewellyn@nhs.net").

use std::collections::HashSet;

use super::super::{clinical, email};
use super::Word;
use super::roles::clinical_beyond_roles;
use crate::screen::lexicon::{Bits256, Vocabulary};

/// What a list of people at a meeting starts with, lower case, before a
/// colon ("Present:") or, at the start of a line, a dash ("present –").
const ATTENDANCE: &[&str] = &[
    "present",
    "attendees",
    "attending",
    "apologies",
    "in attendance",
    "attended",
    "attendance",
];

/// The last letter of each of [`ATTENDANCE`].
const ATTENDANCE_ENDS: Bits256 = {
    let mut ends = Bits256::EMPTY;
    let mut i = 0;
    while i < ATTENDANCE.len() {
        let heading = ATTENDANCE[i].as_bytes();
        ends = ends.set(heading[heading.len() - 1] as usize);
        i += 1;
    }
    ends
};

/// What a text says of who its colleagues are, found once per text: where
/// its lists of people at a meeting start ("Present:", any case; asking of
/// every name whether its line so far holds one would read a long line
/// again for each name on it), and the names in its work mailboxes.
pub(super) struct Colleagues {
    /// The end of each heading, in order, with the end of its line.
    headings: Vec<(usize, usize)>,
    /// The end of each roster's heading, in order, with the end of its
    /// block (see [`rosters`]).
    rosters: Vec<(usize, usize)>,
    /// The names of the text's NHS mailboxes (the part before the `@`),
    /// lower case, without their dots, dashes and underscores:
    /// "gareth.llewellyn@nhs.net" gives "garethllewellyn".
    mailboxes: HashSet<String>,
    /// The first parts of those named in two parts: "gareth".
    first_names: HashSet<String>,
}

impl Colleagues {
    pub(super) fn find(text: &str) -> Self {
        let mut mailboxes = HashSet::new();
        let mut first_names = HashSet::new();
        let locals = email::addresses(text)
            .into_iter()
            .filter_map(|(start, end)| text[start..end].split_once('@'))
            .filter(|(_, domain)| email::nhs_domain(domain))
            .map(|(local, _)| local.to_ascii_lowercase());
        for local in locals {
            if let Some((first, rest)) = local.split_once(['.', '_'])
                && !rest.contains(['.', '_'])
            {
                first_names.insert(first.to_string());
            }
            mailboxes.insert(without_joiners(&local));
        }
        Colleagues {
            headings: Self::headings(text),
            rosters: rosters(text),
            mailboxes,
            first_names,
        }
    }

    /// True when a name is, word for word, an NHS mailbox's name in the
    /// text: "Gareth Llewellyn" or "Rhian Pugh-Evans" beside
    /// "gareth.llewellyn@nhs.net" or "rhian.pugh-evans@nhs.net" (not
    /// "helen.morris.jnr@…"); a lone first name matches the first of a
    /// mailbox's two parts.
    pub(super) fn has_mailbox(&self, name: &[Word]) -> bool {
        if self.mailboxes.is_empty() {
            return false;
        }
        match name {
            [w] => self.first_names.contains(&w.folded.to_ascii_lowercase()),
            _ => {
                let joined: String = name.iter().map(|w| w.folded).collect();
                self.mailboxes
                    .contains(&without_joiners(&joined.to_ascii_lowercase()))
            }
        }
    }

    fn headings(text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut headings: Vec<(usize, usize)> = Vec::new();
        let marks = b
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == b':' || c == b'-');
        for (mark, &c) in marks {
            let end = mark + 1;
            let before = text[..mark].trim_end_matches(' ');
            // Most marks follow no heading: its last letter says so.
            let last = before.as_bytes().last().map(u8::to_ascii_lowercase);
            if !last.is_some_and(|l| ATTENDANCE_ENDS.has(usize::from(l))) {
                continue;
            }
            let heading = ATTENDANCE.iter().find(|a| {
                before.len().checked_sub(a.len()).is_some_and(|from| {
                    b[from..before.len()].eq_ignore_ascii_case(a.as_bytes())
                        && (from == 0 || !b[from - 1].is_ascii_alphanumeric())
                })
            });
            // "ever-present - …" is no heading: a dash follows one only at
            // the start of a line.
            let line_start = |a: &&str| {
                let head = &before[..before.len() - a.len()];
                let head = head.trim_end_matches([' ', '\t']);
                head.is_empty() || head.ends_with('\n')
            };
            if !heading.is_some_and(|a| c == b':' || line_start(a)) {
                continue;
            }
            // Headings are in order, so the previous one's line end serves
            // until this heading passes it: each line is searched once.
            let line_end = match headings.last() {
                Some(&(_, line_end)) if line_end >= end => line_end,
                _ => text[end..].find('\n').map_or(text.len(), |n| end + n),
            };
            headings.push((end, line_end));
        }
        headings
    }

    /// True when the line holding `at` has a heading before `at`.
    pub(super) fn lists(&self, at: usize) -> bool {
        let before = self.headings.partition_point(|&(end, _)| end <= at);
        before > 0 && self.headings[before - 1].1 >= at
    }

    /// True when `at` is in a roster's list, after its heading.
    pub(super) fn rostered(&self, at: usize) -> bool {
        let before = self.rosters.partition_point(|&(end, _)| end <= at);
        before > 0 && self.rosters[before - 1].1 >= at
    }
}

/// Words in a heading that make what it lists staff: a rota, awards,
/// certificates, a team's contacts, the nurses on a shift (not "team" or
/// "staff" alone: "Please can the Frailty team see:\nKevin Doyle").
#[rustfmt::skip]
static ROSTER_WORDS: Vocabulary = Vocabulary::new(&[
    "rota", "rotas", "on-call", "oncall", "award", "awards", "certificate", "certificates",
    "contacts", "speakers", "trainers", "facilitators", "nominees", "winners", "starters",
    "leavers", "volunteers", "locums", "champions", "nurses", "pharmacists",
    "technicians", "drivers", "dispensers", "presenters", "panel", "shortlist", "shortlisted",
]);

/// Words in a heading that make what it lists patients, or staff's own
/// health: "Delivery rota", "Team caseload", "Staff flu jabs done".
#[rustfmt::skip]
static NOT_A_ROSTER: Vocabulary = Vocabulary::new(&[
    "patient", "patients", "pt", "pts", "resident", "residents", "client", "clients", "user",
    "users", "child", "children", "pupil", "pupils", "baby", "babies", "caseload", "referral",
    "referrals", "discharge", "discharges", "deaths", "died", "admissions", "admitted", "visit",
    "visits", "delivery", "deliveries", "collection", "collections", "due", "needing", "need",
    "needs", "bloods", "jab", "jabs", "vaccinated", "vaccination", "vaccinations", "sick",
    "sickness", "absence", "absent", "off", "shielding", "pregnant", "dossett", "blister",
    "reviews", "review", "waiting", "list", "missed", "see", "seen", "refer", "referred",
    "chase", "chasing", "aware", "beware", "concern", "concerns", "flag", "flagged", "alert",
    "redo", "handover", "eol", "watch", "tried", "banned",
]);

/// Words in a heading that make it one of training, whose medicines are
/// the course's: "Certificates from the … medicines admin training".
#[rustfmt::skip]
static TRAINED: Vocabulary = Vocabulary::new(&[
    "training", "course", "certificate", "certificates", "award", "awards",
]);

/// The heading of each roster in `text` and where its list ends: a line of
/// at most twelve words that says it lists staff ([`ROSTER_WORDS`]) and
/// nothing that makes them patients ([`NOT_A_ROSTER`]), no medicine or
/// condition in the list nor, unless it is of training, in the heading; up
/// to its colon
/// ("MOT on-call rota over Xmas:", "Agency nurses booked for Glenholme:
/// Sat – Chidi Eze") or the whole line ("Long service awards 2026"). Its
/// list runs from the colon, or the next line, to the next blank line.
/// Each pair is the heading's end and the list's end, in order.
fn rosters(text: &str) -> Vec<(usize, usize)> {
    // Each line's start, and where its block ends (a blank line or the
    // text's end), found from the last line back: each line is read once.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, start + line.trim_end().len()));
        start += line.len();
    }
    let mut block_ends = vec![text.len(); lines.len()];
    let mut block_end = text.len();
    for (i, &(start, end)) in lines.iter().enumerate().rev() {
        if start == end {
            block_end = start;
        }
        block_ends[i] = block_end;
    }
    // Whether the lines after each one, to its block's end, name medicines
    // or conditions: found only for a heading's list, each line read at
    // most once however many headings share its block.
    let mut clinical_after: Vec<Option<bool>> = vec![None; lines.len()];
    let mut found = Vec::new();
    for (i, &(start, end)) in lines.iter().enumerate() {
        let line = &text[start..end];
        let head = line.split(':').next().unwrap_or(line);
        let words = clinical::words(head).map(|(_, w)| w).take(17);
        let (mut staff, mut patients, mut count) = (false, false, 0);
        for w in words {
            staff |= ROSTER_WORDS.contains(w);
            patients |= NOT_A_ROSTER.contains(w);
            count += 1;
        }
        if !staff || patients || count > 16 {
            continue;
        }
        // A heading of training ("Certificates from the care home medicines
        // admin training …:") may name medicines; another names them of
        // its list ("Locums - tried to get extra pregabalin:").
        let trained = clinical::words(head).any(|(_, w)| TRAINED.contains(w));
        if !trained && clinical_beyond_roles(head) {
            continue;
        }
        let heading_end = if head.len() < line.len() {
            start + head.len() + 1
        } else {
            end
        };
        if heading_end >= block_ends[i] {
            continue;
        }
        // A list that names medicines or conditions is of patients
        // ("Margaret Ellison 07700 900412\nBoth on syringe drivers").
        let listed = clinical_beyond_roles(&text[heading_end..end])
            || after_line(text, &lines, &block_ends, &mut clinical_after, i);
        if !listed {
            found.push((heading_end, block_ends[i]));
        }
    }
    found
}

/// True when a line after line `i`, to its block's end, names a medicine
/// or a condition; `known` keeps each line's answer, so that every line is
/// read at most once.
fn after_line(
    text: &str,
    lines: &[(usize, usize)],
    block_ends: &[usize],
    known: &mut [Option<bool>],
    i: usize,
) -> bool {
    // Walk on to the block's end or to a line already known, then fill in
    // the answers back to `i`.
    let mut j = i;
    while known[j].is_none() && j + 1 < lines.len() && lines[j + 1].0 < block_ends[i] {
        j += 1;
    }
    // Unknown there, `j` is its block's last line: nothing after it.
    let mut answer = *known[j].get_or_insert(false);
    for k in (i..j).rev() {
        let (start, end) = lines[k + 1];
        answer = answer || clinical_beyond_roles(&text[start..end]);
        known[k] = Some(answer);
    }
    answer
}

/// `name` without the dots, dashes and underscores that join a mailbox's
/// parts.
fn without_joiners(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '.' | '_' | '-'))
        .collect()
}
