//! `mot screen`: checks a draft for patient data without sending it (the
//! same screen every send passes first, in `broadcast::plan`).

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cli::ScreenArgs;
use crate::exit::Exit;
use crate::output;
use crate::screen::{self, Allow, Finding, Severity};

/// What `mot screen` reports. The explanation is built only when the report
/// is rendered for a person (`Display`): JSON carries the findings alone.
#[derive(Debug, Serialize)]
struct Report<'a> {
    verdict: Option<Severity>,
    findings: &'a [Finding],
    #[serde(skip)]
    text: &'a str,
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.verdict {
            None => writeln!(f, "no patient or personal data found"),
            Some(_) => {
                write!(f, "{}", screen::explain(self.text, self.findings))?;
                let blocks = self
                    .findings
                    .iter()
                    .filter(|x| x.severity == Severity::Block)
                    .count();
                writeln!(
                    f,
                    "{} finding(s): {blocks} would block sending, {} warning(s)",
                    self.findings.len(),
                    self.findings.len() - blocks
                )
            }
        }
    }
}

/// `mot screen [TEXT | -]`: checks text without sending; exit 4 if anything blocks.
pub fn run(args: ScreenArgs, allow: &Allow, out: &mut dyn Write) -> Result<Exit> {
    let text = match args.text.as_deref() {
        Some(t) if t != "-" => t.to_string(),
        _ => super::read_message_input(None)?,
    };
    let findings = screen::screen_allowing(&text, allow);
    let report = Report {
        verdict: screen::verdict(&findings),
        findings: &findings,
        text: &text,
    };
    output::summary(out, args.format.into(), &report)?;
    Ok(match report.verdict {
        Some(Severity::Block) => Exit::Screened,
        _ => Exit::Success,
    })
}
