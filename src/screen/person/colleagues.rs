//! What a text says of who its colleagues are: the people at a meeting
//! ("Present: Sian Roberts (chair), Bev Evans") and the names of its work
//! mail addresses ("gareth.llewellyn@nhs.net").

use super::super::email;
use super::Word;
use crate::screen::lexicon::Bits256;

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
    /// The names of the text's NHS mailboxes (the part before the `@`),
    /// lower case: "gareth.llewellyn@nhs.net" gives "gareth.llewellyn".
    mailbox_names: Vec<String>,
}

impl Colleagues {
    pub(super) fn find(text: &str) -> Self {
        Colleagues {
            headings: Self::headings(text),
            mailbox_names: email::addresses(text)
                .into_iter()
                .map(|(start, end)| &text[start..end])
                .filter_map(|address| address.split_once('@'))
                .filter(|(_, domain)| email::nhs_domain(domain))
                .map(|(local, _)| local.to_ascii_lowercase())
                .collect(),
        }
    }

    /// True when a name is, word for word, an NHS mailbox's name in the
    /// text: "Gareth Llewellyn" beside "gareth.llewellyn@nhs.net" (not
    /// "helen.morris.jnr@…"); a lone first name matches the first of a
    /// mailbox's two parts.
    pub(super) fn has_mailbox(&self, name: &[Word]) -> bool {
        let joined = |parts: &mut dyn Iterator<Item = &str>| -> String {
            parts
                .flat_map(str::chars)
                .filter(|c| !matches!(c, '.' | '_' | '-'))
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let name_joined = joined(&mut name.iter().map(|w| w.folded));
        self.mailbox_names.iter().any(|mailbox| {
            if let [w] = name {
                let mut parts = mailbox.split(['.', '_']);
                let first = parts.next().unwrap_or("");
                parts.count() == 1 && first.eq_ignore_ascii_case(w.folded)
            } else {
                joined(&mut std::iter::once(mailbox.as_str())) == name_joined
            }
        })
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
}
