//! What the operator sees of a send before it goes: the dry run's plan (a
//! short one for people, the raw request body behind `--verbose`, all of
//! it in JSON) and the confirmation, which names the filters and shows the
//! first lines of the text.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::super::Context;
use super::limit_note;
use crate::account::limit::Split;
use crate::broadcast::plan::{Plan, TemplateState};
use crate::broadcast::sender as send;
use crate::broadcast::{Audience, Kind};
use crate::members::MemberStatus;
use crate::members::finding::FilterCount;
use crate::output::{self, shown_time};
use crate::screen::Finding;

/// How many lines of the text the confirmation shows, and how many
/// characters of each.
const FIRST_LINES: usize = 3;
const LINE_CHARS: usize = 100;

/// What `--dry-run` shows.
#[derive(Debug, Serialize)]
pub(super) struct DryRun {
    kind: Kind,
    recipients: usize,
    /// The test number, for `--test`.
    #[serde(skip)]
    test: Option<String>,
    /// The filters, in words ("role pharmacist; location Leeds").
    #[serde(skip)]
    filters: String,
    excluded: BTreeMap<MemberStatus, usize>,
    /// How many members each --role / --location value matches.
    by_filter: Vec<FilterCount>,
    not_after: String,
    template: String,
    /// What Meta last said about the template, and where that came from.
    template_state: TemplateState,
    params: Vec<String>,
    /// The exact request the first recipient would be sent.
    request: serde_json::Value,
    /// What the patient-data screen found (also shown on stderr).
    screen: Vec<Finding>,
    /// How the number's messaging limit splits the audience, if it does.
    messaging_limit: Option<Split>,
    /// The body as members will see it, if the template was synced.
    rendered: Option<String>,
    /// Set when the template's category changed from UTILITY to MARKETING.
    category_warning: Option<String>,
    /// Lines whose line break was folded into a space (inside a paragraph).
    folded_lines: Vec<usize>,
    /// Whether people see the parameters and the raw request (`--verbose`).
    #[serde(skip)]
    verbose: bool,
}

impl DryRun {
    pub(super) fn new(plan: &Plan, verbose: bool) -> DryRun {
        let synced = plan.synced.as_ref();
        DryRun {
            kind: plan.kind,
            recipients: plan.recipients.len(),
            test: match &plan.audience {
                Audience::Test { phone } => Some(crate::phone::shown(phone.as_str())),
                Audience::Members { .. } => None,
            },
            filters: filters(&plan.audience),
            excluded: plan.excluded.clone(),
            by_filter: plan.by_filter.clone(),
            not_after: crate::db::ts(plan.not_after),
            template: plan.template.name.clone(),
            template_state: plan.state.clone(),
            params: plan.template.params.clone(),
            folded_lines: crate::broadcast::folded_line_breaks(&plan.body),
            screen: plan.findings.clone(),
            messaging_limit: plan.split.clone(),
            rendered: synced.and_then(|t| t.render(&plan.template.params)),
            category_warning: synced
                .filter(|t| t.became_marketing())
                .map(|_| "the template changed from UTILITY to MARKETING: each message costs more, and Meta may not deliver to members over their marketing limit (131049)".to_string()),
            request: plan
                .recipients
                .first()
                .map(|r| send::example_body(&r.phone, &plan.template))
                .unwrap_or(serde_json::Value::Null),
            verbose,
        }
    }

    /// Who: how many, chosen how, and who is left out.
    fn who(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(phone) = &self.test {
            return writeln!(f, "who: the test number {phone} only");
        }
        let chosen = if self.filters.is_empty() {
            "every active member".to_string()
        } else {
            format!("the active ones ({})", self.filters)
        };
        writeln!(
            f,
            "who: would send to {} member(s), {chosen}",
            self.recipients
        )?;
        for c in &self.by_filter {
            writeln!(
                f,
                "  --{} \"{}\" matches {} member(s), {} active",
                c.flag, c.value, c.members, c.active
            )?;
        }
        if !self.excluded.is_empty() {
            let parts: Vec<String> = self
                .excluded
                .iter()
                .map(|(s, n)| format!("{n} {s}"))
                .collect();
            writeln!(
                f,
                "  excluded: {} (only active members are sent to)",
                parts.join(", ")
            )?;
        }
        Ok(())
    }

    /// When: all now, or what the messaging limit holds back and until when.
    fn when(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.messaging_limit {
            None => writeln!(
                f,
                "when: all {} at once; none is sent after {}",
                self.recipients,
                shown_time(&self.not_after)
            ),
            Some(split) => {
                writeln!(f, "when: {split}")?;
                writeln!(
                    f,
                    "  the rest stays queued; continue it with `mot broadcasts resume ID` from {}",
                    shown_time(&split.resume_at)
                )
            }
        }
    }

    /// The text as a member's phone shows it: the synced template with the
    /// text in place, else the text as it fills the template's parameters.
    fn text(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rendered {
            Some(text) => {
                writeln!(f, "as it will arrive on a phone:")?;
                for line in text.lines() {
                    writeln!(f, "  | {line}")?;
                }
            }
            None => {
                writeln!(
                    f,
                    "as it will arrive, in template {:?} (`mot templates sync` adds its own words here):",
                    self.template
                )?;
                for (i, p) in self.params.iter().enumerate() {
                    if i > 0 {
                        writeln!(f, "  |")?;
                    }
                    writeln!(f, "  | {p}")?;
                }
            }
        }
        Ok(())
    }

    /// Everything that deserves a second look before sending.
    fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(w) = &self.category_warning {
            out.push(format!("warning: {w}"));
        }
        if !self.screen.is_empty() {
            out.push(format!(
                "warning: the patient-data screen found {} thing(s) to check (listed above, on standard error)",
                self.screen.len()
            ));
        }
        if !self.folded_lines.is_empty() {
            let lines: Vec<String> = self.folded_lines.iter().map(usize::to_string).collect();
            out.push(format!(
                "note: the line break after line(s) {} became a space: WhatsApp template \
                 parameters cannot hold line breaks (a blank line starts a new paragraph)",
                lines.join(", ")
            ));
        }
        out
    }
}

impl std::fmt::Display for DryRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "dry run: nothing was written or sent")?;
        self.who(f)?;
        self.when(f)?;
        writeln!(f, "{}", self.template_state)?;
        self.text(f)?;
        for w in self.warnings() {
            writeln!(f, "{w}")?;
        }
        if !self.verbose {
            return writeln!(
                f,
                "(the template's parameters and the exact request: add --verbose; everything: --format json)"
            );
        }
        writeln!(
            f,
            "template {:?}, body parameters as WhatsApp will show them:",
            self.template
        )?;
        for (i, p) in self.params.iter().enumerate() {
            writeln!(f, "  {{{{{}}}}} {p}", i + 1)?;
        }
        writeln!(f, "request for the first recipient:")?;
        writeln!(
            f,
            "{}",
            serde_json::to_string_pretty(&self.request).map_err(|_| std::fmt::Error)?
        )
    }
}

/// The --role and --location filters in words: "role pharmacist or
/// technician; location Leeds". Empty for everyone, and for a test.
pub(super) fn filters(audience: &Audience) -> String {
    let Audience::Members { roles, locations } = audience else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (name, values) in [("role", roles), ("location", locations)] {
        if !values.is_empty() {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{}\"", v.trim())).collect();
            parts.push(format!("{name} {}", quoted.join(" or ")));
        }
    }
    parts.join("; ")
}

/// The first lines of `text` with words in them, each escaped for the
/// terminal and shortened; "…" on a line of its own when more follows.
pub(super) fn first_lines(text: &str) -> Vec<String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let mut out: Vec<String> = lines
        .by_ref()
        .take(FIRST_LINES)
        .map(|l| {
            let mut line: String = l.trim_end().chars().take(LINE_CHARS).collect();
            if l.trim_end().chars().count() > LINE_CHARS {
                line.push('…');
            }
            output::escape(&line).into_owned()
        })
        .collect();
    if lines.next().is_some() {
        out.push("…".to_string());
    }
    out
}

/// Asks the operator to confirm `what` (plus what the messaging limit
/// does to it), showing the first lines of the text first. Without a
/// terminal `yes` is required, as for every confirmation.
pub(in crate::commands) fn confirm_plan(
    ctx: &Context,
    plan: &Plan,
    what: &str,
    yes: bool,
) -> Result<()> {
    let what = format!("{what}{}", limit_note(plan.split.as_ref()));
    if !yes && ctx.interactive {
        crate::log_line!("the text begins:");
        for line in first_lines(&plan.body) {
            crate::log_line!("  | {line}");
        }
    }
    ctx.confirm(&what, yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_are_named_in_words() {
        let audience = |roles: &[&str], locations: &[&str]| Audience::Members {
            roles: roles.iter().map(|s| s.to_string()).collect(),
            locations: locations.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(filters(&audience(&[], &[])), "");
        assert_eq!(
            filters(&audience(&["pharmacist"], &["Leeds"])),
            "role \"pharmacist\"; location \"Leeds\""
        );
        assert_eq!(
            filters(&audience(&["pharmacist", "technician "], &[])),
            "role \"pharmacist\" or \"technician\""
        );
    }

    #[test]
    fn the_confirmation_shows_the_first_lines_escaped() {
        let text = "Amoxicillin 250mg:\u{1b}[2J short supply\n\nOrder early.\nCall the team.\nFourth line.";
        assert_eq!(
            first_lines(text),
            [
                "Amoxicillin 250mg:\\u{1b}[2J short supply",
                "Order early.",
                "Call the team.",
                "…"
            ]
        );
        let long = "x".repeat(LINE_CHARS + 5);
        assert_eq!(first_lines(&long), [format!("{}…", "x".repeat(LINE_CHARS))]);
        assert_eq!(first_lines("Bidi \u{202e}cba"), ["Bidi <U+202E>cba"]);
    }
}
