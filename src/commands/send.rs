//! `mot send` and `mot broadcasts …`: plan, confirm, write the ledger, send,
//! and report honestly.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;

use super::Context;
use crate::account::limit::{self, Split};
use crate::broadcast::sender::{self as send, Ending, SendLock, Settings};
use crate::broadcast::{self, Audience, BroadcastId, DeliveryState, Kind, NewBroadcast, Selection};
use crate::cli::{BroadcastsCommand, SendArgs};
use crate::duration::parse as parse_duration;
use crate::exit::{Exit, Failure, error_with_help};
use crate::members::MemberStatus;
use crate::members::finding::{self, FilterCount};
use crate::output::{self, Format, SummaryFormat};
use crate::phone;
use crate::screen::{self, Finding, Severity};
use crate::whatsapp::{Client, Template};

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

pub(super) fn client(ctx: &Context) -> Result<Client> {
    let timeout = ctx.config.broadcast.request_timeout.unsigned_abs();
    Client::new(&ctx.config.whatsapp, timeout)
}

fn settings(ctx: &Context) -> Settings {
    let b = &ctx.config.broadcast;
    Settings {
        rate_per_second: b.rate_per_second,
        concurrency: b.concurrency,
        max_attempts: b.max_attempts,
        token_source: ctx
            .config
            .whatsapp
            .token
            .as_ref()
            .map_or_else(String::new, |t| t.source().to_string()),
    }
}

/// What `--dry-run` shows.
#[derive(Debug, Serialize)]
struct Plan {
    recipients: usize,
    excluded: std::collections::BTreeMap<MemberStatus, usize>,
    /// How many members each --role / --location value matches.
    by_filter: Vec<FilterCount>,
    not_after: String,
    template: String,
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
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "dry run: nothing was written or sent")?;
        writeln!(
            f,
            "would send to {} member(s), until {}",
            self.recipients, self.not_after
        )?;
        for c in &self.by_filter {
            writeln!(
                f,
                "--{} \"{}\" matches {} member(s), {} active",
                c.flag, c.value, c.members, c.active
            )?;
        }
        if self.excluded.is_empty() {
            writeln!(f, "excluded: none")?;
        } else {
            let parts: Vec<String> = self
                .excluded
                .iter()
                .map(|(s, n)| format!("{n} {s}"))
                .collect();
            writeln!(
                f,
                "excluded: {} (only active members are sent to)",
                parts.join(", ")
            )?;
        }
        writeln!(
            f,
            "template {:?}, body parameters as WhatsApp will show them:",
            self.template
        )?;
        for (i, p) in self.params.iter().enumerate() {
            writeln!(f, "  {{{{{}}}}} {p}", i + 1)?;
        }
        if !self.folded_lines.is_empty() {
            let lines: Vec<String> = self.folded_lines.iter().map(usize::to_string).collect();
            writeln!(
                f,
                "note: the line break after line(s) {} became a space: WhatsApp template \
                 parameters cannot hold line breaks (a blank line starts a new paragraph)",
                lines.join(", ")
            )?;
        }
        if let Some(text) = &self.rendered {
            writeln!(f, "as members will see it:")?;
            for line in text.lines() {
                writeln!(f, "  | {line}")?;
            }
        }
        if let Some(w) = &self.category_warning {
            writeln!(f, "warning: {w}")?;
        }
        if let Some(split) = &self.messaging_limit {
            writeln!(f, "{split}")?;
            writeln!(
                f,
                "  the rest stays queued; continue it with `mot broadcasts resume ID` after {}",
                split.resume_at
            )?;
        }
        writeln!(f, "request for the first recipient:")?;
        writeln!(
            f,
            "{}",
            serde_json::to_string_pretty(&self.request).map_err(|_| std::fmt::Error)?
        )
    }
}

/// What is being broadcast: a notice, or a request with its own template,
/// buttons and record. Everything else (audience, screening, confirmation,
/// dry run, ledger, pacing) is the same path.
pub(super) struct What<'a> {
    pub kind: Kind,
    /// The text members read (for a request: question, choices, survey link).
    pub text: String,
    /// The approved template, its language, body parameters and fixed text.
    pub template: Option<String>,
    pub language: String,
    pub body_params: usize,
    /// Whether the config set `body_params` (else a synced template's count is used).
    pub body_params_set: bool,
    pub fixed_chars: usize,
    /// Which config key names the template, for the error when none does.
    pub template_key: &'static str,
    /// Quick-reply payloads for the broadcast with this id ("?" in a dry run).
    pub buttons: &'a dyn Fn(&str) -> Vec<crate::whatsapp::Button>,
    /// Written in the transaction that creates the broadcast.
    pub also: &'a dyn Fn(&rusqlite::Transaction, BroadcastId) -> Result<()>,
}

pub fn send(ctx: &mut Context, args: SendArgs, out: &mut dyn Write) -> Result<Exit> {
    let text = read_message(&args)?;
    let b = &ctx.config.broadcast;
    let what = What {
        kind: Kind::Notice,
        text,
        template: b.template.clone(),
        language: b.language.clone(),
        body_params: b.body_params,
        body_params_set: b.body_params_set,
        fixed_chars: b.template_fixed_chars,
        template_key: "[broadcast] template",
        buttons: &|_| Vec::new(),
        also: &|_, _| Ok(()),
    };
    broadcast_what(ctx, args, what, out)
}

/// Reads the text of a `send` or `request` (argument, `-` or --file).
pub(super) fn message_text(args: &SendArgs) -> Result<String> {
    read_message(args)
}

pub(super) fn broadcast_what(
    ctx: &mut Context,
    args: SendArgs,
    what: What,
    out: &mut dyn Write,
) -> Result<Exit> {
    let text = what.text.clone();
    // Before anything else: patient data must never leave, nor be written down.
    let findings =
        super::screen::outgoing(&text, args.override_screen.as_deref(), args.format.into())?;
    let verdict = screen::verdict(&findings);
    let b = &ctx.config.broadcast;
    // Everything a send needs from the config, said at once.
    let mut items: Vec<(&str, &str)> = Vec::new();
    let template_help = format!(
        "{} in the config: the name of an approved WhatsApp template",
        what.template_key
    );
    if what.template.is_none() {
        items.push(("a message template", &template_help));
    }
    let connection = ctx.config.whatsapp.missing();
    if !args.dry_run {
        items.extend(connection.iter().copied());
    }
    if let Some(err) = crate::exit::missing(Exit::Error, &items) {
        return Err(err);
    }
    let template_name = what.template.clone().expect("checked above");
    // A synced template says how many parameters it takes; the config overrides it.
    let synced = crate::templates::get(&ctx.conn, &template_name, &what.language)?;
    let (body_params, fixed_chars) = match &synced {
        Some(t) if !what.body_params_set && (1..=10).contains(&t.body_params) => {
            (t.body_params, what.fixed_chars.max(t.fixed_chars()))
        }
        _ => (what.body_params, what.fixed_chars),
    };
    if !args.dry_run && synced.as_ref().is_some_and(|t| t.became_marketing()) {
        crate::log_line!(
            "warning: template {template_name:?} changed from UTILITY to MARKETING: each message costs more, and Meta may not deliver to members over their marketing limit (131049)"
        );
    }
    let params =
        crate::broadcast::template_params(&text, body_params, fixed_chars).map_err(|why| {
            error_with_help(
                format!("cannot send this text: {why}"),
                "nothing was written or sent",
            )
        })?;
    let template = Template {
        name: template_name,
        language: what.language.clone(),
        params,
        buttons: (what.buttons)("?"),
    };
    // What Meta last said about the template and the account, before anything is written.
    let forced = refuse_bad_state(ctx, &template, args.force_template_state)?;
    let not_after_span = match &args.not_after {
        Some(d) => parse_duration(d).map_err(|why| Failure::bad_flag("not-after", why))?,
        None => b.not_after,
    };
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
    // A filter value that matches nobody is a typo until proven otherwise:
    // refused before anything is written, dry run included.
    let by_filter = match &audience {
        Audience::Members { roles, locations } => finding::check_filter(
            &ctx.conn,
            &crate::members::Filter {
                roles: roles.clone(),
                locations: locations.clone(),
                ..Default::default()
            },
        )?,
        Audience::Test { .. } => Vec::new(),
    };
    let Selection {
        recipients,
        excluded,
    } = broadcast::select(&ctx.conn, &audience)?;
    let now = Timestamp::now();
    let not_after = now + not_after_span;
    let split = if args.ignore_messaging_limit {
        None
    } else {
        let phones: Vec<String> = recipients
            .iter()
            .map(|r| r.phone.as_str().to_string())
            .collect();
        limit::preview(&ctx.conn, &phones, now)?
    };

    // Before the dry run, so a dry run that matches nobody fails exactly as the send would.
    if recipients.is_empty() {
        let excluded: usize = excluded.values().sum();
        return Err(error_with_help(
            format!("no active member matches (excluded: {excluded} not active)"),
            "see `mot members list` for roles, locations and statuses",
        ));
    }
    if args.dry_run {
        let plan = Plan {
            recipients: recipients.len(),
            excluded,
            by_filter,
            not_after: crate::db::ts(not_after),
            template: template.name.clone(),
            params: template.params.clone(),
            folded_lines: crate::broadcast::folded_line_breaks(&text),
            screen: findings.clone(),
            messaging_limit: split.clone(),
            rendered: synced.as_ref().and_then(|t| t.render(&template.params)),
            category_warning: synced
                .as_ref()
                .filter(|t| t.became_marketing())
                .map(|_| "the template changed from UTILITY to MARKETING: each message costs more, and Meta may not deliver to members over their marketing limit (131049)".to_string()),
            request: recipients
                .first()
                .map(|r| send::example_body(&r.phone, &template))
                .unwrap_or(serde_json::Value::Null),
        };
        output::summary(out, args.format.into(), &plan)?;
        return Ok(Exit::Success);
    }
    // Check the connection details before anything is written.
    let client = client(ctx)?;
    let since = now - ctx.config.broadcast.duplicate_window;
    if !args.allow_duplicate {
        refuse_duplicate(&ctx.conn, &template.params, &audience, since)?;
    }
    let warned = if verdict == Some(Severity::Warn) {
        ", despite the screen's warnings above"
    } else {
        ""
    };
    if matches!(audience, Audience::Test { .. }) {
        // One number, chosen by hand: nothing to confirm, unless the screen warned.
        if verdict == Some(Severity::Warn) {
            ctx.confirm(
                "send this test despite the screen's warnings above",
                args.yes,
            )?;
        }
    } else {
        let excluded_note = match excluded.values().sum::<usize>() {
            0 => String::new(),
            n => format!(" ({n} not active, excluded)"),
        };
        let limit_note = match &split {
            Some(s) => format!(
                " ({} now; {} held by the messaging limit until {})",
                s.send_now, s.held, s.resume_at
            ),
            None => String::new(),
        };
        ctx.confirm(
            &format!(
                "send this {} to {} member(s){excluded_note}{limit_note}{warned}",
                what.kind,
                recipients.len()
            ),
            args.yes,
        )?;
    }

    let mut lock = SendLock::acquire(&ctx.config.db_path)?;
    // Again, under the lock: another mot may have sent it while we asked.
    if !args.allow_duplicate {
        refuse_duplicate(&ctx.conn, &template.params, &audience, since)?;
    }
    let new = NewBroadcast {
        kind: what.kind,
        body: &text,
        template: &template,
        audience: &audience,
        created_by: &ctx.user,
        created_at: now,
        not_after,
    };
    let id = broadcast::create_with(&mut ctx.conn, &new, &recipients, what.also)?;
    lock.note(id)?;
    audit_forced(ctx, "send", id, forced)?;
    if !args.ignore_messaging_limit
        && let Some(s) = limit::apply(&ctx.conn, id, now)?
    {
        crate::log_line!("broadcast {id}: {s}");
    }
    if verdict == Some(Severity::Block) {
        // Only reachable with --override-screen: who overrode what, and why.
        ctx.audit(
            "send screen override",
            "overridden",
            json!({
                "broadcast_id": id,
                "kinds": super::screen::kinds(&findings),
                "reason": args.override_screen.as_deref().unwrap_or_default().trim(),
            }),
        )?;
    }
    ctx.audit(
        "send",
        "started",
        json!({
            "broadcast_id": id,
            "kind": what.kind,
            "recipients": recipients.len(),
            "test": args.test.is_some(),
            "screen": super::screen::kinds(&findings),
        }),
    )?;
    crate::log_line!(
        "broadcast {id}: sending to {} recipient(s)",
        recipients.len()
    );
    run_and_report(ctx, &client, id, "send", args.format.into(), out)
}

/// Refuses (exit 6) while the template is paused, disabled or rejected or the
/// account is restricted; with `force`, returns what was overridden.
fn refuse_bad_state(ctx: &Context, t: &Template, force: bool) -> Result<Option<String>> {
    crate::account::state::check_can_send(&ctx.conn, &t.name, &t.language, force, Timestamp::now())
}

/// Who sent despite Meta's reported state, and what that state was.
fn audit_forced(
    ctx: &Context,
    command: &str,
    id: BroadcastId,
    forced: Option<String>,
) -> Result<()> {
    if let Some(state) = forced {
        crate::log_line!("warning: sending despite: {state}");
        ctx.audit(
            &format!("{command} template state override"),
            "overridden",
            json!({ "broadcast_id": id, "state": state }),
        )?;
    }
    Ok(())
}

/// The duplicate guard: the same text to the same audience recently needs
/// `--allow-duplicate`.
fn refuse_duplicate(
    conn: &rusqlite::Connection,
    params: &[String],
    audience: &Audience,
    since: Timestamp,
) -> Result<()> {
    match broadcast::find_duplicate(conn, params, audience, since)? {
        Some((id, at)) => Err(Failure::new(
            Exit::Usage,
            format!("broadcast {id} sent the same text to the same audience at {at}"),
        )
        .help("if it really should go again, add --allow-duplicate")
        .into()),
        None => Ok(()),
    }
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

/// Runs the sender on a broadcast, then prints its summary and picks the exit code.
pub(super) fn run_and_report(
    ctx: &mut Context,
    client: &Client,
    id: BroadcastId,
    command: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let b = broadcast::must_get(&ctx.conn, id)?;
    let queued = broadcast::summary(&ctx.conn, id)?.count(DeliveryState::Queued);
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
    let settings = settings(ctx);
    let mut ending = send::run(&mut ctx.conn, client, &b, &settings, &progress)?;
    progress.finish_and_clear();
    let (held, until) = limit::held(&ctx.conn, id)?;
    if ending == Ending::Finished && held > 0 {
        // Not finished: the rest waits for the messaging limit's window to roll.
        let reason = format!(
            "{held} message(s) held back by the messaging limit until {}",
            until.unwrap_or_default()
        );
        broadcast::set_state(
            &ctx.conn,
            id,
            broadcast::State::Paused,
            Some(&reason),
            Timestamp::now(),
        )?;
        ending = Ending::Paused(reason);
    }
    let summary = broadcast::summary(&ctx.conn, id)?;
    ctx.audit(
        command,
        match ending {
            Ending::Finished => "finished",
            Ending::Paused(_) => "paused",
        },
        json!({ "broadcast_id": id, "counts": summary.counts }),
    )?;
    output::summary(out, format, &Report::from(&summary))?;
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
        Ending::Finished if summary.reached() == summary.recipients => Exit::Success,
        Ending::Finished => Exit::SomeFailed,
    })
}

/// The summary of a run, with the id under the name scripts look for.
#[derive(Debug, Serialize)]
struct Report<'a> {
    broadcast_id: BroadcastId,
    #[serde(flatten)]
    summary: &'a broadcast::Summary,
}

impl<'a> From<&'a broadcast::Summary> for Report<'a> {
    fn from(summary: &'a broadcast::Summary) -> Self {
        Report {
            broadcast_id: summary.id,
            summary,
        }
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.summary.fmt(f)
    }
}

pub fn broadcasts(ctx: &mut Context, cmd: BroadcastsCommand, out: &mut dyn Write) -> Result<Exit> {
    match cmd {
        BroadcastsCommand::List { format } => {
            let all = broadcast::list(&ctx.conn)?;
            output::rows(out, format, &all)?;
            Ok(Exit::Success)
        }
        BroadcastsCommand::Show { id, format } => {
            let summary = broadcast::summary(&ctx.conn, BroadcastId(id))?;
            match format {
                SummaryFormat::Json => output::summary(out, Format::Json, &summary)?,
                SummaryFormat::Table => output::summary(
                    out,
                    Format::Table,
                    &format!("{summary}{}", summary.full_text()),
                )?,
            }
            Ok(Exit::Success)
        }
        BroadcastsCommand::Resume {
            id,
            resend_unknown,
            yes,
            force_template_state,
            format,
        } => {
            let format = format.into();
            let id = BroadcastId(id);
            let b = broadcast::must_get(&ctx.conn, id)?;
            b.refuse_if_text_removed()?;
            let forced = refuse_bad_state(ctx, &b.template(), force_template_state)?;
            let client = client(ctx)?;
            let mut lock = SendLock::acquire(&ctx.config.db_path)?;
            lock.note(id)?;
            let before = broadcast::summary(&ctx.conn, id)?;
            // Rows caught mid-request become unknown below: count them as such.
            let unknown =
                before.count(DeliveryState::Unknown) + before.count(DeliveryState::Sending);
            let to_send =
                before.count(DeliveryState::Queued) + if resend_unknown { unknown } else { 0 };
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
            if let Some(s) = limit::apply(&ctx.conn, id, Timestamp::now())? {
                crate::log_line!("broadcast {id}: {s}");
            }
            let summary = broadcast::summary(&ctx.conn, id)?;
            if b.state == broadcast::State::Finished && summary.count(DeliveryState::Queued) == 0 {
                output::summary(out, format, &Report::from(&summary))?;
                crate::log_line!("broadcast {id} is finished; nothing is left to send");
                let unknown = summary.count(DeliveryState::Unknown);
                if unknown > 0 {
                    crate::log_line!(
                        "{unknown} message(s) have an unknown outcome (mot stopped mid-request): `mot broadcasts resume {id} --resend-unknown` sends them again, and those members may get it twice"
                    );
                }
                return Ok(Exit::Success);
            }
            audit_forced(ctx, "broadcasts resume", id, forced)?;
            run_and_report(ctx, &client, id, "broadcasts resume", format, out)
        }
        BroadcastsCommand::Retry {
            id,
            yes,
            force_template_state,
            format,
        } => {
            let format = format.into();
            let id = BroadcastId(id);
            let b = broadcast::must_get(&ctx.conn, id)?;
            b.refuse_if_text_removed()?;
            let forced = refuse_bad_state(ctx, &b.template(), force_template_state)?;
            let client = client(ctx)?;
            let mut lock = SendLock::acquire(&ctx.config.db_path)?;
            lock.note(id)?;
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
                return Ok(if summary.reached() == summary.recipients {
                    Exit::Success
                } else {
                    Exit::SomeFailed
                });
            }
            ctx.confirm(
                &format!("retry broadcast {id}: re-send {retryable} failed message(s)"),
                yes,
            )?;
            let requeued = broadcast::requeue_retryable(&ctx.conn, id, Timestamp::now())?;
            crate::log_line!(
                "broadcast {id}: {requeued} failed message(s) re-queued; only these are sent"
            );
            audit_forced(ctx, "broadcasts retry", id, forced)?;
            run_and_report(ctx, &client, id, "broadcasts retry", format, out)
        }
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
