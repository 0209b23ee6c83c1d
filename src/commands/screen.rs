//! `mot screen`, and the screen every outgoing text passes before anything
//! is written or sent.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cli::ScreenArgs;
use crate::exit::{Exit, Failure};
use crate::output::{self, Format};
use crate::screen::{self, Finding, Severity};

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
pub fn run(args: ScreenArgs, out: &mut dyn Write) -> Result<Exit> {
    let text = match args.text.as_deref() {
        Some(t) if t != "-" => t.to_string(),
        _ => super::read_message_input(None)?,
    };
    let findings = screen::screen(&text);
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

/// Screens an outgoing text. Blocking findings refuse it (exit 4) unless the
/// operator overrides with a reason; warnings are shown, and the caller's
/// confirmation (or `--yes`) accepts them. Returns the findings for the audit.
pub fn outgoing(text: &str, override_reason: Option<&str>, format: Format) -> Result<Vec<Finding>> {
    let findings = screen::screen(text);
    let verdict = screen::verdict(&findings);
    if verdict.is_some() && format != Format::Json {
        let explanation = screen::explain(text, &findings);
        crate::log_line!("{}", explanation.trim_end_matches('\n'));
    }
    if verdict == Some(Severity::Block) {
        match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(_) => {
                crate::log_line!(
                    "the screen's block is overridden; the reason goes to the audit log"
                )
            }
            None => {
                return Err(Failure::new(
                    Exit::Screened,
                    "refused: the text looks like it contains patient-identifiable data; nothing was written or sent",
                )
                .help("remove it and try again; if this is a false alarm, add --override-screen \"REASON\"")
                .into());
            }
        }
    }
    Ok(findings)
}

/// The kinds found, for the audit log: never the text itself.
pub fn kinds(findings: &[Finding]) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = findings.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}
