//! `mot requests remind`: chase the members who were delivered a request
//! and have not answered, for one request or, from cron, for every open one.

use std::io::Write;

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;

use super::super::Context;
use super::super::send::{Report, confirm_plan, report_exit, run_ready};
use crate::broadcast::plan::{Draft, Flags, Message, Plan, To};
use crate::broadcast::sender::Ending;
use crate::broadcast::{self, BroadcastId, Kind, Summary};
use crate::db::ts;
use crate::exit::Exit;
use crate::output::{self, Format};
use crate::request;
use crate::whatsapp::Template;

/// What the operator said on the command line, besides which requests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Asked {
    pub yes: bool,
    pub again: bool,
    pub force_template_state: bool,
}

/// What became of one request: only `Sent` sent anything; every other
/// outcome is a normal day for a scheduled job, and exits 0.
#[derive(Debug)]
enum Outcome {
    /// The request had closed: answers are no longer chased.
    Closed,
    /// A reminder went within `[request] remind_interval` (or while the
    /// operator was being asked).
    Recently,
    /// Every active member reported delivered has answered.
    NobodyToRemind,
    Sent {
        ending: Ending,
        summary: Box<Summary>,
    },
}

impl Outcome {
    fn word(&self) -> &'static str {
        match self {
            Outcome::Closed => "closed",
            Outcome::Recently => "reminded_recently",
            Outcome::NobodyToRemind => "nobody_to_remind",
            Outcome::Sent { .. } => "sent",
        }
    }
}

/// `mot requests remind ID`. A request that has closed reminds nobody and
/// exits 0: a cron line written for a request outlives it, and that is no
/// failure. (An id that is no request at all is still an error.)
pub(super) fn one(
    ctx: &mut Context,
    id: BroadcastId,
    asked: Asked,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    match remind(ctx, id, asked)? {
        Outcome::Sent { ending, summary } => {
            output::summary(out, format, &Report::new(&summary, Some(id)))?;
            report_exit(summary.id, ending, &summary)
        }
        _ => Ok(Exit::Success),
    }
}

/// One line of `requests remind --all-open --format json`.
#[derive(Serialize)]
struct Line<'a> {
    request_id: BroadcastId,
    /// `sent`, `nobody_to_remind`, `reminded_recently` or `closed`.
    outcome: &'static str,
    /// The reminder broadcast's summary, when one was sent.
    reminder: Option<Report<'a>>,
}

/// `mot requests remind --all-open`: every open request, oldest first, as
/// `remind ID` would. Test requests (`--test`) are left out. A reminder
/// that pauses (the messaging limit, a token or template error) stops the
/// run there with exit 6, as a send does; the requests after it wait for
/// the next run. Otherwise exit 3 if some reminder reached not everyone,
/// else 0, nobody to remind included.
pub(super) fn all_open(
    ctx: &mut Context,
    asked: Asked,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let now = crate::clock::now();
    let mut open: Vec<BroadcastId> = request::list(&ctx.conn, now)?
        .into_iter()
        .filter(|r| r.open && !r.request.is_test)
        .map(|r| r.request.id)
        .collect();
    open.reverse();
    if open.is_empty() {
        crate::log_line!("no request is open; nobody is reminded");
    }
    let mut done = Vec::with_capacity(open.len());
    let mut paused = None;
    for (i, &id) in open.iter().enumerate() {
        let reminded = remind(ctx, id, asked)?;
        if let Outcome::Sent {
            ending: Ending::Paused(_),
            summary,
        } = &reminded
        {
            let rest: Vec<String> = open[i + 1..].iter().map(|r| r.to_string()).collect();
            if !rest.is_empty() {
                crate::log_line!(
                    "reminder broadcast {} paused; request(s) {} are not reminded this time",
                    summary.id,
                    rest.join(", ")
                );
            }
            paused = Some(i);
        }
        if format == Format::Table
            && let Outcome::Sent { summary, .. } = &reminded
        {
            output::summary(out, format, &Report::new(summary, Some(id)))?;
        }
        done.push((id, reminded));
        if paused.is_some() {
            break;
        }
    }
    if format == Format::Json {
        let lines: Vec<Line> = done
            .iter()
            .map(|(id, r)| Line {
                request_id: *id,
                outcome: r.word(),
                reminder: match r {
                    Outcome::Sent { summary, .. } => Some(Report::new(summary, Some(*id))),
                    _ => None,
                },
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &lines)?;
        writeln!(out)?;
    }
    let mut exit = Exit::Success;
    for (_, reminded) in done {
        if let Outcome::Sent { ending, summary } = reminded {
            match report_exit(summary.id, ending, &summary)? {
                Exit::Success => {}
                other => exit = other,
            }
        }
    }
    Ok(exit)
}

/// Reminds request `id`'s delivered non-answerers once, unless it closed,
/// was reminded within `[request] remind_interval`, or nobody is left.
fn remind(ctx: &mut Context, id: BroadcastId, asked: Asked) -> Result<Outcome> {
    let req = request::must_get(&ctx.conn, id)?;
    let now = crate::clock::now();
    if !req.is_open(now) {
        crate::log_line!(
            "request {id} closed at {}; nobody is reminded (send a new request with \
             `mot request` if the answers are still needed)",
            crate::output::shown_time(req.ends_at())
        );
        return Ok(Outcome::Closed);
    }
    let interval = ctx.config.request.remind_interval;
    if reminded_recently(ctx, id, now, asked.again)? {
        return Ok(Outcome::Recently);
    }
    let recipients = request::reminder_recipients(&ctx.conn, id)?;
    if recipients.is_empty() {
        crate::log_line!(
            "request {id}: nobody to remind: every active member reported delivered has answered; \
             messages not (yet) reported delivered are not chased (see `mot status pull` and \
             `mot replies {id} --missing`)"
        );
        return Ok(Outcome::NobodyToRemind);
    }
    let original = broadcast::must_get(&ctx.conn, id)?;
    let template = reminder_template(&ctx.config, &original);
    let ends: Timestamp = req.ends_at().parse()?;
    let also = |tx: &rusqlite::Transaction, r| request::insert_reminder(tx, r, id, now);
    let draft = Draft {
        command: "requests remind",
        kind: Kind::Request,
        message: Message::Again {
            body: format!("Reminder: {}", original.body),
            template,
        },
        to: To::Chosen {
            audience: request::stored_audience(&ctx.conn, id)?,
            recipients,
        },
        // A reminder that can only arrive after the request closed is noise.
        not_after: (now + ctx.config.broadcast.not_after).min(ends),
        held_expiry: None,
        flags: Flags {
            force_template_state: asked.force_template_state,
            // A reminder repeats its request's words by design; remind_interval
            // is its guard against going twice.
            allow_duplicate: true,
            ..Flags::default()
        },
        buttons: Vec::new(),
        also: &also,
        audit: json!({ "request_id": id, "again": asked.again }),
    };
    let plan = Plan::prepare(&ctx.conn, &ctx.config, draft, now)?;
    confirm_plan(
        ctx,
        &plan,
        &format!(
            "send a reminder for request {id} to {} member(s) who were delivered it and have not answered",
            plan.recipients.len(),
        ),
        asked.yes,
    )?;
    let recipients = plan.recipients.len();
    let locked = plan.lock(&ctx.conn, &ctx.config)?;
    // Again under the lock: another mot may have reminded while we asked.
    if !asked.again
        && let Some(last) = request::last_reminder(&ctx.conn, id)?
        && now < last + interval
    {
        crate::log_line!(
            "request {id}: another reminder was sent at {} meanwhile; no reminder sent",
            ts(last)
        );
        return Ok(Outcome::Recently);
    }
    let ready = locked.commit(&mut ctx.conn, &ctx.user, crate::clock::now())?;
    crate::log_line!(
        "request {id}: reminder broadcast {} to {recipients} member(s)",
        ready.id
    );
    let (ending, summary) = run_ready(ctx, ready)?;
    Ok(Outcome::Sent {
        ending,
        summary: Box::new(summary),
    })
}

/// Whether the last reminder was within [request] remind_interval, so none
/// is sent now; `--again` sends one anyway, and says so.
fn reminded_recently(ctx: &Context, id: BroadcastId, now: Timestamp, again: bool) -> Result<bool> {
    let interval = ctx.config.request.remind_interval;
    let Some(last) = request::last_reminder(&ctx.conn, id)?.filter(|l| now < *l + interval) else {
        return Ok(false);
    };
    if again {
        crate::log_line!(
            "request {id}: reminding again within remind_interval of the reminder at {} (--again)",
            ts(last)
        );
        return Ok(false);
    }
    crate::log_line!(
        "request {id}: the last reminder was at {}; no reminder sent. The next is allowed from {} \
         ([request] remind_interval), or now with --again",
        ts(last),
        ts(last + interval)
    );
    Ok(true)
}

/// The template a reminder is sent as: [request] reminder_template with the
/// request's parameters, or the request's own with "Reminder: " before them.
fn reminder_template(config: &crate::config::Config, original: &broadcast::Broadcast) -> Template {
    let mut params = original.params.clone();
    match &config.request.reminder_template {
        Some(name) => Template {
            name: name.clone(),
            language: config.request.language.clone(),
            params,
            buttons: Vec::new(),
        },
        None => {
            if let Some(first) = params.first_mut() {
                first.insert_str(0, "Reminder: ");
            }
            Template {
                name: original.template.clone(),
                language: original.language.clone(),
                params,
                buttons: Vec::new(),
            }
        }
    }
}
