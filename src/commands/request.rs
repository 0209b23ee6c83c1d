//! `mot request`, `mot replies` and `mot requests …`: ask through the same
//! sender as `mot send`, show every answer in one place, chase the rest.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::Context;
use super::send::{draft, message_text, send_draft};
use crate::broadcast::plan::TemplateSetting;
use crate::broadcast::{BroadcastId, Kind};
use crate::cli::{RepliesArgs, RequestArgs, RequestsCommand};
use crate::db::ts;
use crate::exit::{Exit, Failure};
use crate::output::{self, Format};
use crate::request::{self, NewRequest, answer, replies};

mod remind;

/// The options to ask with, and for a template with quick-reply buttons,
/// which option each button selects (in the template's button order).
fn options_and_buttons(
    given: &[String],
    labels: &[String],
) -> Result<(Vec<String>, Option<Vec<u32>>)> {
    if labels.is_empty() {
        let options = answer::validate(given).map_err(|why| Failure::bad_flag("option", why))?;
        return Ok((options, None));
    }
    // The labels are fixed in the approved template: options can only be them.
    let list = labels.join(", ");
    let options = if given.is_empty() {
        labels.to_vec()
    } else {
        answer::validate(given).map_err(|why| Failure::bad_flag("option", why))?
    };
    let key = |s: &String| answer::normalise(s);
    if let Some(extra) = options
        .iter()
        .find(|o| !labels.iter().any(|l| key(l) == key(o)))
    {
        return Err(Failure::new(
            Exit::Usage,
            format!("--option {extra:?} is not one of the request template's buttons ({list})"),
        )
        .help("WhatsApp fixes button labels in the approved template: use those labels")
        .into());
    }
    let mut buttons = Vec::with_capacity(labels.len());
    for label in labels {
        match options.iter().position(|o| key(o) == key(label)) {
            Some(i) => buttons.push(i as u32 + 1),
            None => {
                return Err(Failure::new(
                    Exit::Usage,
                    format!("the request template's buttons are {list}; --option must give each of them"),
                )
                .help("give every label as an --option (or none, to use them all), or change [request] buttons")
                .into());
            }
        }
    }
    // Written as the template writes them, in the order given.
    let options = options
        .iter()
        .map(|o| {
            labels
                .iter()
                .find(|l| key(l) == key(o))
                .cloned()
                .unwrap_or_else(|| o.clone())
        })
        .collect();
    Ok((options, Some(buttons)))
}

/// The end of the survey link for a template whose URL button starts with
/// `base`; none when the link goes in the message text.
fn survey_suffix(url: Option<&str>, base: Option<&str>) -> Result<Option<String>> {
    let Some(base) = base else {
        return Ok(None);
    };
    match url.and_then(|u| u.strip_prefix(base)) {
        Some(rest) if !rest.is_empty() => Ok(Some(rest.to_string())),
        _ => Err(Failure::new(
            Exit::Usage,
            format!("--survey-url must be {base} followed by the form's own part"),
        )
        .help("the request template's survey button links there ([request] survey_button)")
        .into()),
    }
}

pub fn request(ctx: &mut Context, args: RequestArgs, out: &mut dyn Write) -> Result<Exit> {
    let question = message_text(&args.send)?;
    let cfg = ctx.config.request.clone();
    let (options, buttons) = options_and_buttons(&args.options, &cfg.buttons)?;
    let closes_in = args.closes_in.unwrap_or(cfg.closes_in);
    let survey_url = args
        .survey_url
        .as_deref()
        .map(answer::validate_url)
        .transpose()
        .map_err(|why| Failure::bad_flag("survey-url", why))?;
    let survey_button = survey_suffix(survey_url.as_deref(), cfg.survey_button.as_deref())?;
    let question = question.trim().to_string();
    let in_text = survey_url.as_deref().filter(|_| survey_button.is_none());
    let text = answer::compose(&question, &options, buttons.is_some(), in_text);
    let closes_at = crate::clock::now() + closes_in;
    let new = NewRequest {
        question: &question,
        options: &options,
        buttons: buttons.clone(),
        survey_url: survey_url.as_deref(),
        survey_button: survey_button.as_deref(),
        closes_at,
    };
    let template = TemplateSetting {
        name: cfg.template.clone(),
        language: cfg.language.clone(),
        body_params: cfg.body_params,
        // The [request] (or [broadcast]) setting always applies to requests.
        body_params_set: true,
        fixed_chars: cfg.template_fixed_chars,
        key: "[request] template (or [broadcast] template)",
    };
    let now = crate::clock::now();
    let also = |tx: &rusqlite::Transaction, id| request::insert(tx, id, &new);
    let mut draft = draft(ctx, &args.send, Kind::Request, text, template, now)?;
    // A request's deadline binds every message: held past it, one is noise.
    draft.held_expiry = None;
    // The dry run shows where each button's payload would name the request.
    draft.buttons = request::template_buttons(
        "?",
        buttons.as_deref().unwrap_or_default(),
        survey_button.as_deref(),
    );
    draft.also = &also;
    crate::log_line!(
        "request: answers count as on time until {}",
        output::shown_time(&ts(closes_at))
    );
    send_draft(ctx, draft, &args.send, now, out)
}

pub fn replies(ctx: &mut Context, args: RepliesArgs, out: &mut dyn Write) -> Result<Exit> {
    let req = request::must_get(&ctx.conn, BroadcastId(args.id))?;
    if let Some([message, option]) = args.assign.as_deref() {
        return assign(ctx, &req, (*message, *option));
    }
    let report = replies::report(&ctx.conn, &req, crate::clock::now())?;
    if args.format == Format::Json {
        output::summary(out, Format::Json, &JsonOnly(&report))?;
        return Ok(Exit::Success);
    }
    if args.missing {
        output::rows(out, args.format, &report.missing_recipients)?;
    } else if args.all {
        output::rows(out, args.format, &report.messages)?;
    } else {
        output::rows(out, args.format, &report.rows())?;
        if args.format == Format::Table {
            writeln!(out)?;
            output::rows(out, args.format, &report.tally)?;
        }
    }
    if args.format == Format::Table {
        let late = report.answers.iter().filter(|a| a.late).count();
        writeln!(
            out,
            "request {}: {} of {} recipient(s) answered ({late} late); {} not yet; {}",
            req.id,
            report.answers.len(),
            report.recipients,
            report.not_yet,
            if report.request.open {
                format!(
                    "open until {}",
                    output::shown_time(&report.request.closes_at)
                )
            } else {
                format!(
                    "closed at {}",
                    output::shown_time(&report.request.closes_at)
                )
            }
        )?;
        if report.ambiguous > 0 {
            writeln!(
                out,
                "{} message(s) may answer this request but came from members with another request open; \
                 they are unlinked in `mot inbox --unlinked`",
                report.ambiguous
            )?;
        }
        if report.unlinked_since_sent > 0 {
            writeln!(
                out,
                "{} message(s) from its recipients since it was sent are linked to no request \
                 (late, or about something else): see `mot inbox --unlinked --since {}`",
                report.unlinked_since_sent, req.created_at
            )?;
        }
    }
    Ok(Exit::Success)
}

/// `mot replies ID --assign MESSAGE OPTION`: files the message by hand,
/// audited; says so when it replaces the member's answer.
fn assign(
    ctx: &mut Context,
    req: &request::Request,
    (message, option): (i64, i64),
) -> Result<Exit> {
    let option = u32::try_from(option).unwrap_or(0);
    let tx = ctx.conn.unchecked_transaction()?;
    let filed = request::assign(&tx, req, (message, option), &ctx.user, crate::clock::now())?;
    crate::inbound::filed_as_reply(&tx, message, req.id)?;
    let replaced = filed
        .replaced
        .as_ref()
        .map(|p| json!({ "message_id": p.message, "option": p.option, "how": p.how }));
    ctx.audit(
        "replies assign",
        "ok",
        json!({ "request_id": req.id, "message_id": message, "member_id": filed.member,
                "option": option, "late": filed.late, "replaced": replaced }),
    )?;
    tx.commit()?;
    let now_text = format!("{option} {}", req.options[option as usize - 1]);
    crate::log_line!(
        "message {message} filed as member {}'s answer to request {}: {now_text}{}",
        filed.member,
        req.id,
        if filed.late { " (late)" } else { "" }
    );
    if let Some(before) = &filed.replaced {
        crate::log_line!(
            "member {}'s answer was {}; it is now {now_text} (by hand)",
            filed.member,
            before.describe(req)
        );
    }
    Ok(Exit::Success)
}

/// The report as JSON; `summary` needs a `Display`, never used for JSON.
struct JsonOnly<'a>(&'a replies::Replies);

impl serde::Serialize for JsonOnly<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::fmt::Display for JsonOnly<'_> {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

pub fn requests(ctx: &mut Context, cmd: RequestsCommand, out: &mut dyn Write) -> Result<Exit> {
    match cmd {
        RequestsCommand::List { format } => {
            let all = request::list(&ctx.conn, crate::clock::now())?;
            output::rows(out, format, &all)?;
            Ok(Exit::Success)
        }
        RequestsCommand::Close { id, .. } => {
            let id = BroadcastId(id);
            let now = crate::clock::now();
            if request::close(&ctx.conn, id, &ctx.user, now)? {
                ctx.audit("requests close", "closed", json!({ "request_id": id }))?;
                writeln!(
                    out,
                    "request {id} closed at {}; later answers are kept, marked late",
                    output::shown_time(&ts(now))
                )?;
            } else {
                let req = request::must_get(&ctx.conn, id)?;
                writeln!(
                    out,
                    "request {id} had already closed at {}",
                    output::shown_time(req.ends_at())
                )?;
            }
            Ok(Exit::Success)
        }
        RequestsCommand::Remind {
            id,
            all_open,
            yes,
            again,
            force_template_state,
            format,
        } => {
            let asked = remind::Asked {
                yes,
                again,
                force_template_state,
            };
            match id {
                Some(id) if !all_open => {
                    remind::one(ctx, BroadcastId(id), asked, format.into(), out)
                }
                _ => remind::all_open(ctx, asked, format.into(), out),
            }
        }
    }
}
