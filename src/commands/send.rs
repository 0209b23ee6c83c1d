//! `mot send`: plan, confirm, write the ledger, send,
//! and report honestly.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;

use super::Context;
use crate::account::limit::Split;
use crate::broadcast::plan::{Draft, Flags, Message, Plan, Ready, TemplateSetting, To};
use crate::broadcast::sender::Ending;
use crate::broadcast::{self, Audience, BroadcastId, DeliveryState, Kind};
use crate::cli::SendArgs;
use crate::exit::{Exit, Failure};
use crate::output::{self, Format};
use crate::phone;
use crate::screen::Severity;
use preview::DryRun;
pub(super) use preview::confirm_plan;

mod preview;

fn read_message(args: &SendArgs) -> Result<String> {
    let text = match (&args.message, &args.file) {
        (Some(m), None) if m == "-" => super::read_message_input(None)?,
        (Some(m), None) => m.clone(),
        (None, Some(f)) => super::read_message_input(Some(f))?,
        _ => {
            return Err(Failure::new(
                Exit::Usage,
                "give the message as an argument, `-` for standard input, or --file",
            )
            .into());
        }
    };
    // Every member gets these characters as they are: a bell, an escape, or
    // a right-to-left override that makes one word read as another.
    if let Some(bad) = output::find_unsendable(&text, true) {
        return Err(
            Failure::new(Exit::Usage, format!("the message contains {bad}"))
                .help("remove it (it often comes with pasted text) and try again; nothing was written or sent")
                .into(),
        );
    }
    Ok(text)
}

pub fn send(ctx: &mut Context, args: SendArgs, out: &mut dyn Write) -> Result<Exit> {
    let text = read_message(&args)?;
    let b = &ctx.config.broadcast;
    let template = TemplateSetting {
        name: b.template.clone(),
        language: b.language.clone(),
        body_params: b.body_params,
        body_params_set: b.body_params_set,
        fixed_chars: b.template_fixed_chars,
        key: "[broadcast] template",
    };
    let now = crate::clock::now();
    let draft = draft(ctx, &args, Kind::Notice, text, template, now)?;
    send_draft(ctx, draft, &args, now, out)
}

/// Reads the text of a `send` or `request` (argument, `-` or --file).
pub(super) fn message_text(args: &SendArgs) -> Result<String> {
    read_message(args)
}

/// A new broadcast of `text`, from the flags `send` and `request` share.
pub(super) fn draft<'a>(
    ctx: &Context,
    args: &SendArgs,
    kind: Kind,
    text: String,
    template: TemplateSetting,
    now: Timestamp,
) -> Result<Draft<'a>> {
    let not_after = args.not_after.unwrap_or(ctx.config.broadcast.not_after);
    let audience = match &args.test {
        Some(p) => Audience::Test {
            phone: phone::parse(p, ctx.config.default_region)
                .map_err(|why| Failure::bad_flag("test", why))?,
        },
        None => Audience::Members {
            roles: args.roles.clone(),
            locations: args.locations.clone(),
        },
    };
    let format: Format = args.format.into();
    Ok(Draft {
        command: "send",
        kind,
        message: Message::Compose {
            text,
            override_screen: args.override_screen.clone(),
            template,
        },
        to: To::Audience(audience),
        not_after: now + not_after,
        // A deadline the operator gave binds every message (urgent by
        // nature); the configured one is measured, for a message the
        // messaging limit holds back, from when it may first be sent.
        held_expiry: args.not_after.is_none().then_some(not_after),
        flags: Flags {
            dry_run: args.dry_run,
            force_template_state: args.force_template_state,
            ignore_messaging_limit: args.ignore_messaging_limit,
            allow_duplicate: args.allow_duplicate,
            explain_screen: format != Format::Json,
        },
        buttons: Vec::new(),
        also: &|_, _| Ok(()),
        audit: json!({ "kind": kind, "test": args.test.is_some() }),
    })
}

/// Prepares a new broadcast; shows it (`--dry-run`) or asks, then writes
/// and sends it.
pub(super) fn send_draft(
    ctx: &mut Context,
    draft: Draft,
    args: &SendArgs,
    now: Timestamp,
    out: &mut dyn Write,
) -> Result<Exit> {
    let format: Format = args.format.into();
    let plan = Plan::prepare(&ctx.conn, &ctx.config, draft, now)?;
    if plan.flags.dry_run {
        output::summary(out, format, &DryRun::new(&plan, args.verbose))?;
        return Ok(Exit::Success);
    }
    let warned = plan.verdict() == Some(Severity::Warn);
    // A warning is about a person; it is accepted by someone who has read
    // it at the prompt, or by name with --accept-warnings, never by --yes.
    if warned && !args.accept_warnings && (args.yes || !ctx.interactive) {
        return Err(Failure::new(
            Exit::Usage,
            "refused: the screen warned about the text (see above), and --yes does not accept a warning; nothing was written or sent",
        )
        .help("check the text; to send it as it is, add --accept-warnings (recorded in the audit log)")
        .into());
    }
    if matches!(plan.audience, Audience::Test { .. }) {
        // One number, chosen by hand: nothing to confirm, unless the screen warned.
        if warned {
            ctx.confirm(
                "send this test despite the screen's warnings above",
                args.yes && args.accept_warnings,
            )?;
        }
    } else {
        let excluded_note = match plan.excluded.values().sum::<usize>() {
            0 => String::new(),
            n => format!(" ({n} not active, excluded)"),
        };
        let filters = match preview::filters(&plan.audience) {
            f if f.is_empty() => String::new(),
            f => format!(" ({f})"),
        };
        confirm_plan(
            ctx,
            &plan,
            &format!(
                "send this {} to {} active member(s){filters}{excluded_note}{}",
                plan.kind,
                plan.recipients.len(),
                if warned {
                    ", despite the screen's warnings above"
                } else {
                    ""
                }
            ),
            args.yes,
        )?;
    }
    let (recipients, kind) = (plan.recipients.len(), plan.kind);
    let ready =
        plan.lock(&ctx.conn, &ctx.config)?
            .commit(&mut ctx.conn, &ctx.user, crate::clock::now())?;
    let what = match kind {
        Kind::Request => "request",
        Kind::Notice => "broadcast",
    };
    crate::log_line!("{what} {}: sending to {recipients} recipient(s)", ready.id);
    run_and_report(ctx, ready, format, out)
}

/// What the confirmation says of the messaging limit, if it splits the send.
pub(super) fn limit_note(split: Option<&Split>) -> String {
    let Some(s) = split else {
        return String::new();
    };
    let mut note = format!(
        " ({} now; {} held by the messaging limit until {}",
        s.send_now, s.held, s.resume_at
    );
    if s.all_by != s.resume_at {
        note.push_str(&format!(", the last of them from {}", s.all_by));
    }
    note.push_str(&format!("; {}", s.expiry));
    if s.will_expire > 0 {
        note.push_str(&format!("; {} will never be sent", s.will_expire));
    }
    note.push(')');
    note
}

/// Messages a second, as a person reads it: whole numbers, one decimal
/// below ten (indicatif's own `{per_sec}` shows `19.6536/s`).
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "0/s".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{per_sec:.0}/s")
    }
}

/// Runs the sender on a ready broadcast, then prints its summary and
/// picks the exit code.
pub(super) fn run_and_report(
    ctx: &mut Context,
    ready: Ready,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let id = ready.id;
    let (ending, summary) = run_ready(ctx, ready)?;
    let report = Report::new(&summary, crate::request::of_broadcast(&ctx.conn, id)?);
    output::summary(out, format, &report)?;
    report_exit(id, ending, &summary)
}

/// Runs the sender on a ready broadcast, with a progress bar on a terminal.
pub(super) fn run_ready(ctx: &mut Context, ready: Ready) -> Result<(Ending, broadcast::Summary)> {
    let queued = broadcast::summary(&ctx.conn, ready.id)?.count(DeliveryState::Queued);
    let progress = if ctx.interactive {
        let bar = ProgressBar::new(queued as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} sent or settled, {rate}, eta {eta}")
                .expect("valid template")
                .with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate(state.per_sec()));
                    },
                ),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let result = ready.run(&mut ctx.conn, &ctx.config, &ctx.user, &progress);
    progress.finish_and_clear();
    result
}

/// The exit code of a run that ended as `ending`: paused is an error that
/// names the way on.
pub(super) fn report_exit(
    id: BroadcastId,
    ending: Ending,
    summary: &broadcast::Summary,
) -> Result<Exit> {
    Ok(match ending {
        Ending::Paused(reason) => {
            return Err(
                Failure::new(Exit::Paused, format!("broadcast {id} is paused: {reason}"))
                    .help(format!(
                        "once the cause is dealt with, continue with `mot broadcasts resume {id}`"
                    ))
                    .into(),
            );
        }
        Ending::Finished => summary.finished_exit(),
    })
}

/// The summary of a run, with the id under the name scripts look for, and
/// for a request or one of its reminders, the request and how to see its
/// answers.
#[derive(Debug, Serialize)]
pub(super) struct Report<'a> {
    broadcast_id: BroadcastId,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<BroadcastId>,
    /// The command that shows the request's answers (`mot replies N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    replies_command: Option<String>,
    #[serde(flatten)]
    summary: &'a broadcast::Summary,
}

impl<'a> Report<'a> {
    pub(super) fn new(summary: &'a broadcast::Summary, request: Option<BroadcastId>) -> Self {
        Report {
            broadcast_id: summary.id,
            request_id: request,
            replies_command: request.map(|r| format!("mot replies {r}")),
            summary,
        }
    }
}

impl<'a> From<&'a broadcast::Summary> for Report<'a> {
    fn from(summary: &'a broadcast::Summary) -> Self {
        Report::new(summary, None)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let (Some(request), Some(replies)) = (self.request_id, &self.replies_command) {
            let what = if request == self.broadcast_id {
                format!("request {request}")
            } else {
                format!("reminder for request {request}")
            };
            writeln!(f, "{what}: see the answers with `{replies}`")?;
        }
        self.summary.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn the_send_rate_is_rounded() {
        assert_eq!(rate(19.6536), "20/s");
        assert_eq!(rate(80.4), "80/s");
        assert_eq!(rate(2.345), "2.3/s");
        assert_eq!(rate(0.0), "0/s");
        assert_eq!(rate(f64::INFINITY), "0/s");
    }
}
