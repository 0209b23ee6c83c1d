//! `mot status pull`, `mot webhook serve` and `mot inbox`:
//! what came back from WhatsApp.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use serde_json::json;

use super::Context;
use crate::cli::{InboxArgs, StatusCommand, WebhookCommand};
use crate::event::Ours;
use crate::exit::{Exit, Failure, error_with_help};
use crate::inbound;
use crate::members;
use crate::output;
use crate::signup::{self, Conversation};
use crate::status;
use crate::webhook::{relay, server};
use crate::whatsapp::Client;

pub fn status(ctx: &mut Context, cmd: StatusCommand, out: &mut dyn Write) -> Result<Exit> {
    let StatusCommand::Pull { format, .. } = cmd;
    let format = format.into();
    let timeout = ctx.config.broadcast.request_timeout.unsigned_abs();
    let client = Client::new(&ctx.config.whatsapp, timeout)?;
    // Progress on a terminal only: cron's mail and piped output stay clean.
    let progress = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} lookups, eta {eta}")
                .expect("valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let lookups = status::pull::pull(&mut ctx.conn, &client, &ctx.config.status, &progress)?;
    progress.finish_and_clear();
    if let Some(why) = lookups.stopped.clone() {
        ctx.audit(
            "status pull",
            "stopped",
            json!({ "checked": lookups.checked, "failed_lookups": lookups.failed_lookups, "not_asked": lookups.not_asked }),
        )?;
        output::summary(out, format, &lookups)?;
        let exit = if lookups.stopped_by_pause_class {
            Exit::Paused
        } else {
            Exit::Error
        };
        return Err(Failure::new(exit, format!("status pull stopped: {why}"))
            .help("fix the cause, then run `mot status pull` again; deliveries not asked about are asked next time")
            .into());
    }
    let mut report = relay::Pulled {
        lookups,
        relay: None,
    };
    if let Some(url) = ctx.config.relay.url.clone() {
        let token = ctx.config.relay.token.clone().ok_or_else(|| {
            error_with_help(
                "[relay] url is set but there is no relay token",
                "set MOT_RELAY_TOKEN (the same value as on the server), or [relay] token_file",
            )
        })?;
        let ours = Ours::of(&ctx.config.whatsapp);
        let conv = conversation(ctx);
        report.relay = Some(relay::pull(&mut ctx.conn, &url, &token, &ours, &conv)?);
        // The relay's server only stores: the conversation is sent from here.
        let (sent, closed) =
            signup::outbox::send_all(&ctx.conn, &client, &conv, crate::clock::now())?;
        if sent + closed > 0 {
            crate::log_line!(
                "status pull: {sent} sign-up or reply message(s) sent, {closed} not sent (the 24-hour window had closed)"
            );
        }
    }
    ctx.audit(
        "status pull",
        "ok",
        json!({ "checked": report.lookups.checked, "new_events": report.lookups.new_events, "failed_lookups": report.lookups.failed_lookups }),
    )?;
    output::summary(out, format, &report)?;
    if report.lookups.failed_lookups > 0 {
        return Err(Failure::new(
            Exit::Error,
            format!(
                "{} of {} lookups failed",
                report.lookups.failed_lookups, report.lookups.checked
            ),
        )
        .help("they are asked again on the next `mot status pull`")
        .into());
    }
    Ok(Exit::Success)
}

/// The sign-up conversation and channel replies, as configured.
fn conversation(ctx: &Context) -> Conversation {
    Conversation {
        signup: ctx.config.signup.clone(),
        replies: ctx.config.inbound.clone(),
    }
}

/// Whether anything is configured that mot sends on its own inside the window.
fn sends_on_its_own(conv: &Conversation) -> bool {
    conv.signup.guided
        || conv.replies.general_reply.is_some()
        || conv.replies.patient_data_reply.is_some()
}

pub fn webhook(ctx: &mut Context, cmd: WebhookCommand) -> Result<Exit> {
    let WebhookCommand::Serve {
        listen,
        max_connections,
        header_timeout,
        body_timeout,
        ..
    } = cmd;
    let limits = server::Limits {
        max_connections: usize::from(max_connections),
        header_timeout,
        body_timeout,
    };
    let w = &ctx.config.whatsapp;
    let ours = Ours::of(w);
    let (Some(app_secret), Some(verify_token), true) = (
        w.app_secret.clone(),
        w.verify_token.clone(),
        ours.knows_number(),
    ) else {
        let mut items = Vec::new();
        if !ours.knows_number() {
            items.push((
                "the phone number id whose events are ours (one Meta app can serve several numbers)",
                "[whatsapp] phone_number_id in the config, or MOT_WHATSAPP_PHONE_NUMBER_ID",
            ));
        }
        if w.app_secret.is_none() {
            items.push((
                "the app secret to check webhook signatures with",
                "MOT_WHATSAPP_APP_SECRET, or [whatsapp] app_secret_file",
            ));
        }
        if w.verify_token.is_none() {
            items.push((
                "the webhook verify token",
                "MOT_WEBHOOK_VERIFY_TOKEN (the value you give Meta when subscribing), or [whatsapp] verify_token_file",
            ));
        }
        return Err(crate::exit::missing(Exit::Error, &items).expect("something is missing"));
    };
    let replies = ctx.config.inbound.clone();
    let conv = conversation(ctx);
    let timeout = ctx.config.broadcast.request_timeout.unsigned_abs();
    // A configured welcome or stop reply needs the token; the conversation
    // and channel replies are only queued without one (a relay sends none).
    let needs_client = replies.welcome_reply.is_some() || replies.stop_reply.is_some();
    let client = if needs_client || (w.token.is_some() && sends_on_its_own(&conv)) {
        Some(Client::new(w, timeout)?)
    } else {
        if sends_on_its_own(&conv) && ctx.config.relay.token.is_none() {
            crate::log_line!(
                "webhook: no WhatsApp token: the sign-up conversation and channel replies are queued, not sent"
            );
        }
        None
    };
    let opts = server::Options {
        listen: server::listen_address(
            &listen.unwrap_or_else(|| ctx.config.webhook_listen.clone()),
        ),
        app_secret,
        verify_token,
        relay_token: ctx.config.relay.token.clone(),
        keep_acked: ctx.config.relay.keep_acked.unsigned_abs(),
        ours,
        replies,
        conv,
        client,
        limits,
    };
    if !opts.ours.knows_account() {
        crate::log_line!(
            "webhook: no [whatsapp] business_account_id (or MOT_WHATSAPP_BUSINESS_ACCOUNT_ID): template and account events are counted but ignored until it is set"
        );
    }
    ctx.audit("webhook serve", "started", json!({}))?;
    let relay = opts.relay_token.is_some();
    server::serve(&ctx.config.db_path, opts, |addr| {
        crate::log_line!(
            "webhook: listening on http://{addr} (POST / or /webhook; relay {})",
            if relay { "on" } else { "off" }
        );
    })?;
    Ok(Exit::Success)
}

/// Flagged messages the inbox's hint lists one by one; the rest are counted.
const SHOWN_OPT_OUTS: usize = 20;

pub fn inbox(ctx: &mut Context, args: InboxArgs, out: &mut dyn Write) -> Result<Exit> {
    if let Some(id) = args.dismiss {
        let member = match inbound::dismiss(&ctx.conn, id)? {
            inbound::Dismissal::Kept(member) => member,
            inbound::Dismissal::NotFlagged => {
                return Err(error_with_help(
                    format!("message {id} is not flagged as a likely opt-out"),
                    "`mot inbox` shows likely_opt_out in the flagged column",
                ));
            }
            inbound::Dismissal::NoSuchMessage => {
                return Err(error_with_help(
                    format!("no message {id}"),
                    "message ids are the first column of `mot inbox`",
                ));
            }
        };
        ctx.audit(
            "inbox dismiss",
            "ok",
            json!({ "message_id": id, "member_id": member }),
        )?;
        crate::log_line!("message {id}: member {member} stays on the list; the flag is gone");
        return Ok(Exit::Success);
    }
    let since = args.since;
    let member = args
        .member
        .map(|m| members::find(&ctx.conn, &m, ctx.config.default_region).map(|m| m.id))
        .transpose()?;
    let filter = inbound::Filter {
        since,
        member,
        unlinked: args.unlinked,
    };
    output::rows(out, args.format, &inbound::list(&ctx.conn, &filter)?)?;
    let flagged = inbound::unhandled_opt_outs(&ctx.conn)?;
    // The table first, whole, then the hint under it (with 2>&1 the two
    // streams share one screen or file).
    out.flush()?;
    if !flagged.is_empty() {
        crate::log_line!("");
    }
    match flagged.as_slice() {
        [] => {}
        [one] => crate::log_line!(
            "1 message reads like a request to leave (flagged likely_opt_out): \
             `mot members opt-out {}` lets the member go, or `mot inbox --dismiss {}` keeps them",
            one.member,
            one.message
        ),
        many => {
            crate::log_line!(
                "{} messages read like a request to leave (flagged likely_opt_out); for each, \
                 `mot members opt-out MEMBER` lets the member go, or `mot inbox --dismiss MESSAGE` \
                 keeps them:",
                many.len()
            );
            for f in many.iter().take(SHOWN_OPT_OUTS) {
                crate::log_line!("  message {} from member {}", f.message, f.member);
            }
            if many.len() > SHOWN_OPT_OUTS {
                crate::log_line!("  … and {} more", many.len() - SHOWN_OPT_OUTS);
            }
        }
    }
    Ok(Exit::Success)
}
