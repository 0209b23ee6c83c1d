//! `mot status pull`, `mot webhook serve`, `mot inbox` and `mot report`:
//! what came back from WhatsApp.

use std::io::Write;

use anyhow::Result;
use jiff::Timestamp;
use serde_json::json;

use super::Context;
use crate::broadcast::{self, BroadcastId};
use crate::cli::{InboxArgs, ReportCommand, StatusCommand, WebhookCommand};
use crate::config::parse_duration;
use crate::exit::{Exit, Failure, error_with_help};
use crate::inbound;
use crate::members;
use crate::output;
use crate::status;
use crate::webhook::server;
use crate::whatsapp::Client;

pub fn status(ctx: &mut Context, cmd: StatusCommand, out: &mut dyn Write) -> Result<Exit> {
    let StatusCommand::Pull { format } = cmd;
    let timeout = ctx.config.broadcast.request_timeout.unsigned_abs();
    let client = Client::new(&ctx.config.whatsapp, timeout)?;
    let mut report = status::pull(&mut ctx.conn, &client, &ctx.config.status)?;
    if let Some(url) = ctx.config.relay.url.clone() {
        let token = ctx.config.relay.token.clone().ok_or_else(|| {
            error_with_help(
                "[relay] url is set but there is no relay token",
                "set MOT_RELAY_TOKEN (the same value as on the server), or [relay] token_file",
            )
        })?;
        report.relay = Some(status::pull_relay(&mut ctx.conn, &url, &token)?);
    }
    ctx.audit(
        "status pull",
        "ok",
        json!({ "checked": report.checked, "new_events": report.new_events, "failed_lookups": report.failed_lookups }),
    )?;
    output::summary(out, format, &report)?;
    if report.failed_lookups > 0 {
        return Err(Failure::new(
            Exit::Error,
            format!(
                "{} of {} lookups failed",
                report.failed_lookups, report.checked
            ),
        )
        .help("they are asked again on the next `mot status pull`")
        .into());
    }
    Ok(Exit::Success)
}

pub fn webhook(ctx: &mut Context, cmd: WebhookCommand) -> Result<Exit> {
    let WebhookCommand::Serve { listen } = cmd;
    let w = &ctx.config.whatsapp;
    let app_secret = w.app_secret.clone().ok_or_else(|| {
        error_with_help(
            "no app secret to check webhook signatures with",
            "set MOT_WHATSAPP_APP_SECRET, or [whatsapp] app_secret_file",
        )
    })?;
    let verify_token = w.verify_token.clone().ok_or_else(|| {
        error_with_help(
            "no webhook verify token",
            "set MOT_WEBHOOK_VERIFY_TOKEN (the value you give Meta when subscribing), or [whatsapp] verify_token_file",
        )
    })?;
    let replies = ctx.config.inbound.clone();
    let client = if replies.welcome_reply.is_some() || replies.stop_reply.is_some() {
        Some(Client::new(
            w,
            ctx.config.broadcast.request_timeout.unsigned_abs(),
        )?)
    } else {
        None
    };
    let opts = server::Options {
        listen: listen.unwrap_or_else(|| ctx.config.webhook_listen.clone()),
        app_secret,
        verify_token,
        relay_token: ctx.config.relay.token.clone(),
        keep_acked: ctx.config.relay.keep_acked.unsigned_abs(),
        replies,
        client,
    };
    ctx.audit("webhook serve", "started", json!({}))?;
    let relay = opts.relay_token.is_some();
    server::serve(&ctx.config.db_path, opts, |addr| {
        eprintln!(
            "webhook: listening on http://{addr} (POST / or /webhook; relay {})",
            if relay { "on" } else { "off" }
        );
    })?;
    Ok(Exit::Success)
}

pub fn inbox(ctx: &mut Context, args: InboxArgs, out: &mut dyn Write) -> Result<Exit> {
    let since = args
        .since
        .map(|d| parse_duration(&d).map(|d| Timestamp::now() - d))
        .transpose()
        .map_err(|why| Failure::bad_flag("since", why))?;
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
    Ok(Exit::Success)
}

pub fn report(ctx: &mut Context, cmd: ReportCommand, out: &mut dyn Write) -> Result<Exit> {
    let ReportCommand::Broadcast { id, format } = cmd;
    let rows = broadcast::deliveries(&ctx.conn, BroadcastId(id))?;
    output::rows(out, format, &rows)?;
    let purged = broadcast::purged_deliveries(&ctx.conn, BroadcastId(id))?;
    if purged > 0 {
        eprintln!(
            "mot: {purged} per-member row(s) of broadcast {id} were purged ([retention] deliveries); \
             `mot broadcasts show {id}` still counts them"
        );
    }
    Ok(Exit::Success)
}
