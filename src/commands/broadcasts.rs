//! `mot broadcasts …`: list, show (with the next step), resume and retry.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use super::send::{Report, run_and_report};
use crate::broadcast::plan::Reopened;
use crate::broadcast::sender as send;
use crate::broadcast::{self, BroadcastId, DeliveryState};
use crate::cli::BroadcastsCommand;
use crate::exit::{Exit, error_with_help};
use crate::output::{self, Format, SummaryFormat};

pub fn broadcasts(ctx: &mut Context, cmd: BroadcastsCommand, out: &mut dyn Write) -> Result<Exit> {
    match cmd {
        BroadcastsCommand::List { format } => {
            let all = broadcast::list(&ctx.conn)?;
            output::rows(out, format, &all)?;
            Ok(Exit::Success)
        }
        BroadcastsCommand::Show { id, format } => {
            let summary = broadcast::summary(&ctx.conn, BroadcastId(id))?;
            let retryable = broadcast::count_retryable(&ctx.conn, BroadcastId(id))?;
            let (held, until) = crate::account::limit::held(&ctx.conn, BroadcastId(id))?;
            let next_steps = summary.next_steps(retryable, (held, until.as_deref()));
            match format {
                SummaryFormat::Json => output::summary(
                    out,
                    Format::Json,
                    &Shown {
                        summary: &summary,
                        next_steps,
                    },
                )?,
                SummaryFormat::Table => {
                    let mut next = String::new();
                    for step in &next_steps {
                        next.push_str(&format!("next: {step}\n"));
                    }
                    output::summary(
                        out,
                        Format::Table,
                        &format!("{summary}{next}{}", summary.full_text()),
                    )?
                }
            }
            Ok(Exit::Success)
        }
        BroadcastsCommand::Resume {
            id,
            resend_unknown,
            yes,
            force_template_state,
            format,
        } => resume(
            ctx,
            BroadcastId(id),
            resend_unknown,
            yes,
            force_template_state,
            format.into(),
            out,
        ),
        BroadcastsCommand::Retry {
            id,
            yes,
            force_template_state,
            format,
        } => retry(
            ctx,
            BroadcastId(id),
            yes,
            force_template_state,
            format.into(),
            out,
        ),
    }
}

/// `mot broadcasts resume`: sends what is still queued (and, if asked,
/// what has an unknown outcome).
fn resume(
    ctx: &mut Context,
    id: BroadcastId,
    resend_unknown: bool,
    yes: bool,
    force_template_state: bool,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let command = "broadcasts resume";
    let now = crate::clock::now();
    let reopened = Reopened::prepare(
        &ctx.conn,
        &ctx.config,
        id,
        force_template_state,
        command,
        now,
    )?;
    let before = broadcast::summary(&ctx.conn, id)?;
    // Rows caught mid-request become unknown below: count them as such.
    let unknown = before.count(DeliveryState::Unknown) + before.count(DeliveryState::Sending);
    let to_send = before.count(DeliveryState::Queued) + if resend_unknown { unknown } else { 0 };
    if to_send > 0 {
        ctx.confirm(
            &format!("resume broadcast {id}: send {to_send} message(s)"),
            yes,
        )?;
    }
    let (interrupted, requeued) = send::prepare_resume(&ctx.conn, id, resend_unknown)?;
    if interrupted > 0 {
        crate::log_line!(
            "broadcast {id}: {interrupted} message(s) were mid-send when mot stopped; marked unknown (not re-sent)"
        );
    }
    if requeued > 0 {
        crate::log_line!(
            "broadcast {id}: re-sending {requeued} message(s) whose outcome was unknown"
        );
    }
    let summary = broadcast::summary(&ctx.conn, id)?;
    if reopened.broadcast.state == broadcast::State::Finished
        && summary.count(DeliveryState::Queued) == 0
    {
        output::summary(out, format, &Report::from(&summary))?;
        crate::log_line!("broadcast {id} is finished; nothing is left to send");
        let unknown = summary.count(DeliveryState::Unknown);
        if unknown > 0 {
            crate::log_line!(
                "{unknown} message(s) have an unknown outcome (mot stopped mid-request): `mot broadcasts resume {id} --resend-unknown` sends them again, and those members may get it twice"
            );
        }
        // The code a run that ended here gives: one state, one exit code.
        return Ok(summary.finished_exit());
    }
    let ready = reopened.ready(&ctx.conn, &ctx.user, crate::clock::now())?;
    run_and_report(ctx, ready, format, out)
}

/// `mot broadcasts retry`: re-sends the failed messages worth another try.
fn retry(
    ctx: &mut Context,
    id: BroadcastId,
    yes: bool,
    force_template_state: bool,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let command = "broadcasts retry";
    let now = crate::clock::now();
    let reopened = Reopened::prepare(
        &ctx.conn,
        &ctx.config,
        id,
        force_template_state,
        command,
        now,
    )?;
    // Retry sends failures only: queued rows (a send paused or stopped
    // by Ctrl-C) are resume's, and would otherwise go out unasked.
    let queued = broadcast::summary(&ctx.conn, id)?.count(DeliveryState::Queued);
    if queued > 0 {
        return Err(error_with_help(
            format!(
                "broadcast {id} still has {queued} message(s) queued, not yet sent; retry re-sends failed messages only"
            ),
            format!("send the queued ones with `mot broadcasts resume {id}`, then retry"),
        ));
    }
    send::prepare_resume(&ctx.conn, id, false)?;
    let retryable = broadcast::count_retryable(&ctx.conn, id)?;
    if retryable == 0 {
        let summary = broadcast::summary(&ctx.conn, id)?;
        output::summary(out, format, &Report::from(&summary))?;
        crate::log_line!(
            "broadcast {id}: no failed message is worth another try (only temporary errors, throttling and Meta declining to deliver are retried)"
        );
        // As after a run: some members were not reached.
        return Ok(summary.finished_exit());
    }
    ctx.confirm(
        &format!("retry broadcast {id}: re-send {retryable} failed message(s)"),
        yes,
    )?;
    let requeued = broadcast::requeue_retryable(&ctx.conn, id, crate::clock::now())?;
    crate::log_line!("broadcast {id}: {requeued} failed message(s) re-queued; only these are sent");
    let ready = reopened.ready(&ctx.conn, &ctx.user, crate::clock::now())?;
    run_and_report(ctx, ready, format, out)
}

/// `broadcasts show --format json`: the summary and what to do next.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    summary: &'a broadcast::Summary,
    /// Commands the team can run next, in words; empty when nothing is left.
    next_steps: Vec<String>,
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.summary)
    }
}
