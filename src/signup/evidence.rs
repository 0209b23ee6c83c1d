//! A member as `mot members show` shows them: their details and, for a
//! sign-up by message, the consent evidence (the first message's id and
//! time, the terms version sent) and when each detail was answered.

use serde::Serialize;

use super::State;
use crate::members::Member;
use crate::output::Row;

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    #[serde(flatten)]
    pub member: Member,
    /// Absent for a member added by the team, imported, or signed up
    /// without the conversation.
    pub signup: Option<State>,
}

impl Row for Evidence {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "name",
        "phone",
        "role",
        "location",
        "status",
        "consent_at",
        "consent_source",
        "first_message",
        "first_message_at",
        "terms_version",
        "signup_step",
        "asked_at",
        "name_at",
        "role_at",
        "location_at",
    ];
    const PHONES: &'static [&'static str] = Member::PHONES;
    const WHOLE: &'static [&'static str] = Member::WHOLE;

    fn cells(&self) -> Vec<String> {
        let mut cells = self.member.cells();
        let s = self.signup.as_ref();
        let opt = |v: Option<&Option<String>>| v.and_then(Clone::clone).unwrap_or_default();
        cells.extend([
            s.map(|s| s.first_message_id.clone()).unwrap_or_default(),
            s.map(|s| s.first_message_at.clone()).unwrap_or_default(),
            s.map(|s| s.terms_version.clone()).unwrap_or_default(),
            s.map(|s| s.step.to_string()).unwrap_or_default(),
            opt(s.map(|s| &s.asked_at)),
            opt(s.map(|s| &s.name_at)),
            opt(s.map(|s| &s.role_at)),
            opt(s.map(|s| &s.location_at)),
        ]);
        cells
    }
}
