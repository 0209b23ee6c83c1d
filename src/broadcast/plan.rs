//! The send policy as one operation. Every command that sends — `send`,
//! `request`, `requests remind`, `broadcasts resume` and `broadcasts retry`
//! — passes through here, so each check is written once and runs in one
//! order: patient-data screen → template and its state (asked of Meta when
//! not recent) → audience → messaging limit → (a dry run stops here) →
//! duplicate guard → send lock → ledger rows → audit. The sender engine
//! then runs what is [`Ready`].
//!
//! A new broadcast goes [`Draft`] → [`Plan::prepare`] → [`Plan::lock`] →
//! [`Locked::commit`] → [`Ready::run`]; more of an existing one (resume,
//! retry) goes [`Reopened::prepare`] → [`Reopened::ready`] → [`Ready::run`].
//! Asking the operator, and printing, stay with the commands.

mod checks;
mod template;

use std::collections::BTreeMap;

use anyhow::Result;
use indicatif::ProgressBar;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, Transaction};
use serde_json::{Value, json};

pub use template::TemplateState;

use checks::{audience, client, kinds, parameters, require, screen_message, settings};

use crate::account::limit::{self, Split};
use crate::account::state;
use crate::broadcast::sender::{self as send, Ending, SendLock};
use crate::broadcast::{
    self, Audience, Broadcast, BroadcastId, Kind, NewBroadcast, Recipient, Selection, Summary,
};
use crate::config::Config;
use crate::exit::{Exit, Failure, error_with_help};
use crate::members::MemberStatus;
use crate::members::finding::FilterCount;
use crate::screen::{self, Finding, Severity};
use crate::whatsapp::{Button, Client, Template};

/// What is to be sent, before any check.
pub struct Draft<'a> {
    /// Names the audit entries (`send`, `requests remind`).
    pub command: &'static str,
    pub kind: Kind,
    pub message: Message,
    pub to: To,
    pub not_after: Timestamp,
    /// How long a message the messaging limit holds back may wait once it
    /// may be sent; `None`: `not_after` binds every message (a deadline the
    /// operator gave, a request, a reminder).
    pub held_expiry: Option<SignedDuration>,
    pub flags: Flags,
    /// Quick-reply payloads as the dry run shows them (the real ones name
    /// the broadcast, which has no id yet).
    pub buttons: Vec<Button>,
    /// Written in the transaction that creates the broadcast.
    pub also: &'a dyn Fn(&Transaction, BroadcastId) -> Result<()>,
    /// Ids and counts for the audit entry, besides the broadcast's id, its
    /// recipients and what the screen found.
    pub audit: Value,
}

/// The words sent.
pub enum Message {
    /// New text from the operator: screened, then split into the
    /// parameters of the configured template.
    Compose {
        text: String,
        /// Why a screen block is overridden (`--override-screen`), audited.
        override_screen: Option<String>,
        template: TemplateSetting,
    },
    /// Words already screened and sent once (a reminder): sent as `template`
    /// with its parameters as they are, and stored as `body`.
    Again { body: String, template: Template },
}

/// The configured template new text is sent as.
pub struct TemplateSetting {
    pub name: Option<String>,
    pub language: String,
    pub body_params: usize,
    /// Whether the config set `body_params` (else a synced template's count is used).
    pub body_params_set: bool,
    pub fixed_chars: usize,
    /// Which config key names the template, for the error when none does.
    pub key: &'static str,
}

/// Who it goes to.
pub enum To {
    /// Active members matching the audience, or one test number.
    Audience(Audience),
    /// Recipients the command chose (a reminder's non-responders), recorded
    /// under the audience they were first chosen from.
    Chosen {
        audience: Audience,
        recipients: Vec<Recipient>,
    },
}

/// What the operator asked for on the command line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Flags {
    pub dry_run: bool,
    /// Send despite a blocking template or account state (audited).
    pub force_template_state: bool,
    pub ignore_messaging_limit: bool,
    pub allow_duplicate: bool,
    /// Explain the screen's findings on stderr (not when printing JSON).
    pub explain_screen: bool,
}

/// A draft that passed every check made before writing: who gets what.
pub struct Plan<'a> {
    pub command: &'static str,
    pub kind: Kind,
    /// The text stored with the broadcast.
    pub body: String,
    /// The template, its parameters and (for the dry run) its buttons.
    pub template: Template,
    /// The template as Meta's API last described it, if it did.
    pub synced: Option<crate::templates::Template>,
    pub state: TemplateState,
    /// What the screen found (warnings only, unless overridden).
    pub findings: Vec<Finding>,
    pub audience: Audience,
    pub recipients: Vec<Recipient>,
    pub excluded: BTreeMap<MemberStatus, usize>,
    /// How many members each --role / --location value matches.
    pub by_filter: Vec<FilterCount>,
    /// How the number's messaging limit splits the recipients, if it does.
    pub split: Option<Split>,
    pub not_after: Timestamp,
    pub held_expiry: Option<SignedDuration>,
    pub flags: Flags,
    /// Whether the words are new, and so were screened.
    screened: bool,
    override_screen: Option<String>,
    /// The blocking state `--force-template-state` sends despite.
    forced: Option<String>,
    /// Checked before anything is written; none in a dry run.
    client: Option<Client>,
    also: &'a dyn Fn(&Transaction, BroadcastId) -> Result<()>,
    audit: Value,
    now: Timestamp,
}

impl<'a> Plan<'a> {
    /// Runs every check a send makes before writing, in order, and says who
    /// would get what; refuses with the exit code of the first that fails.
    pub fn prepare(
        conn: &Connection,
        config: &Config,
        draft: Draft<'a>,
        now: Timestamp,
    ) -> Result<Plan<'a>> {
        let Draft {
            command,
            kind,
            message,
            to,
            not_after,
            held_expiry,
            flags,
            buttons,
            also,
            audit,
        } = draft;
        // Before anything else: patient data must never leave, nor be written down.
        let screened = matches!(message, Message::Compose { .. });
        let (findings, override_screen) =
            screen_message(&message, &config.screen_allow, flags.explain_screen)?;
        require(config, &message, flags.dry_run)?;
        let (body, template, synced, state) =
            words(conn, config, message, buttons, flags.dry_run, now)?;
        let forced = state::check_can_send(
            conn,
            &template.name,
            &template.language,
            flags.force_template_state,
            now,
        )?;
        let (audience, by_filter, selection) = audience(conn, to)?;
        let Selection {
            recipients,
            excluded,
        } = selection;
        let split = if flags.ignore_messaging_limit {
            None
        } else {
            let expiry = match held_expiry {
                Some(d) => limit::Expiry::AfterHold(d),
                None => limit::Expiry::Fixed(not_after),
            };
            limit::preview(conn, &phones(&recipients), now, expiry)?
        };
        // Before the dry run, so a dry run that matches nobody fails exactly as the send would.
        if recipients.is_empty() {
            let excluded: usize = excluded.values().sum();
            return Err(error_with_help(
                format!("no active member matches (excluded: {excluded} not active)"),
                "see `mot members list` for roles, locations and statuses",
            ));
        }
        let plan = Plan {
            command,
            kind,
            body,
            template,
            synced,
            state,
            findings,
            audience,
            recipients,
            excluded,
            by_filter,
            split,
            not_after,
            held_expiry,
            flags,
            screened,
            override_screen,
            forced,
            // Check the connection details before anything is written.
            client: if flags.dry_run {
                None
            } else {
                Some(client(config)?)
            },
            also,
            audit,
            now,
        };
        if !flags.dry_run {
            plan.refuse_duplicate(conn, config)?;
        }
        Ok(plan)
    }

    /// The screen's verdict: `Warn` needs the operator's confirmation.
    pub fn verdict(&self) -> Option<Severity> {
        screen::verdict(&self.findings)
    }

    /// Takes the send lock, then runs the duplicate guard again under it:
    /// another mot may have sent the same text while the operator was asked.
    pub fn lock(self, conn: &Connection, config: &Config) -> Result<Locked<'a>> {
        assert!(!self.flags.dry_run, "a dry run is never locked or written");
        let lock = SendLock::acquire(&config.db_path)?;
        self.refuse_duplicate(conn, config)?;
        Ok(Locked { plan: self, lock })
    }

    /// The duplicate guard: the same words to the same audience within
    /// `[broadcast] duplicate_window` need `--allow-duplicate`.
    fn refuse_duplicate(&self, conn: &Connection, config: &Config) -> Result<()> {
        if self.flags.allow_duplicate {
            return Ok(());
        }
        let since = self.now - config.broadcast.duplicate_window;
        match broadcast::find_duplicate(conn, &self.template.params, &self.audience, since)? {
            Some((id, at)) => Err(Failure::new(
                Exit::Usage,
                format!("broadcast {id} sent the same text to the same audience at {at}"),
            )
            .help("if it really should go again, add --allow-duplicate")
            .into()),
            None => Ok(()),
        }
    }
}

/// The words as sent: the stored text, the template with its parameters,
/// the template as Meta's API last described it, and its state. Meta is
/// asked about the template (if not recently) before its parameters are
/// counted or its state decides anything.
fn words(
    conn: &Connection,
    config: &Config,
    message: Message,
    buttons: Vec<Button>,
    dry_run: bool,
    now: Timestamp,
) -> Result<(
    String,
    Template,
    Option<crate::templates::Template>,
    TemplateState,
)> {
    let (name, language) = match &message {
        Message::Compose { template, .. } => (
            template.name.clone().expect("checked by `require`"),
            template.language.clone(),
        ),
        Message::Again { template, .. } => (template.name.clone(), template.language.clone()),
    };
    let state = TemplateState::refresh(conn, config, &name, &language, now)?;
    let synced = crate::templates::get(conn, &name, &language)?;
    let (body, template) = match message {
        Message::Compose { text, template, .. } => {
            let params = parameters(&text, &template, synced.as_ref(), dry_run)?;
            let t = Template {
                name,
                language,
                params,
                buttons,
            };
            (text, t)
        }
        Message::Again { body, template } => (body, template),
    };
    Ok((body, template, synced, state))
}

/// The recipients' numbers, in send order.
fn phones(recipients: &[Recipient]) -> Vec<String> {
    recipients
        .iter()
        .map(|r| r.phone.as_str().to_string())
        .collect()
}

/// A plan holding the send lock, confirmed: nothing is written yet.
pub struct Locked<'a> {
    plan: Plan<'a>,
    lock: SendLock,
}

impl Locked<'_> {
    /// Writes the broadcast and a queued delivery per recipient, holds back
    /// what the messaging limit does not allow now, and audits it all.
    pub fn commit(self, conn: &mut Connection, user: &str, now: Timestamp) -> Result<Ready> {
        let Locked { plan: p, mut lock } = self;
        let new = NewBroadcast {
            kind: p.kind,
            body: &p.body,
            template: &p.template,
            audience: &p.audience,
            created_by: user,
            created_at: p.now,
            not_after: p.not_after,
            held_expiry: p.held_expiry,
        };
        let id = broadcast::create_with(conn, &new, &p.recipients, p.also)?;
        lock.note(id)?;
        audit_forced(conn, user, p.command, id, p.forced, now)?;
        if !p.flags.ignore_messaging_limit {
            hold_over_limit(conn, id, now)?;
        }
        if screen::verdict(&p.findings) == Some(Severity::Block) {
            // Only reachable with --override-screen: who overrode what, and why.
            crate::audit::record(
                conn,
                now,
                user,
                &format!("{} screen override", p.command),
                "overridden",
                json!({
                    "broadcast_id": id,
                    "kinds": kinds(&p.findings),
                    "reason": p.override_screen.as_deref().unwrap_or_default().trim(),
                }),
            )?;
        }
        let mut detail = json!({ "broadcast_id": id, "recipients": p.recipients.len() });
        if p.screened {
            detail["screen"] = json!(kinds(&p.findings));
        }
        if screen::verdict(&p.findings) == Some(Severity::Warn) {
            detail["screen_warnings_accepted"] = json!(true);
        }
        for (key, value) in p.audit.as_object().into_iter().flatten() {
            detail[key] = value.clone();
        }
        crate::audit::record(conn, now, user, p.command, "started", detail)?;
        Ok(Ready {
            id,
            client: p.client.expect("only a dry run has no client"),
            _lock: lock,
            command: p.command,
        })
    }
}

/// An existing broadcast to send more of (`broadcasts resume`, `retry`),
/// checked as a new one is and holding the send lock.
pub struct Reopened {
    pub broadcast: Broadcast,
    command: &'static str,
    forced: Option<String>,
    client: Client,
    lock: SendLock,
}

impl Reopened {
    /// Refuses a broadcast whose text was removed, or whose template or
    /// account Meta reports unable to send (unless forced); checks the
    /// connection details; takes the send lock.
    pub fn prepare(
        conn: &Connection,
        config: &Config,
        id: BroadcastId,
        force_template_state: bool,
        command: &'static str,
        now: Timestamp,
    ) -> Result<Reopened> {
        let b = broadcast::must_get(conn, id)?;
        b.refuse_if_text_removed()?;
        TemplateState::refresh(conn, config, &b.template, &b.language, now)?;
        let forced =
            state::check_can_send(conn, &b.template, &b.language, force_template_state, now)?;
        let client = client(config)?;
        let mut lock = SendLock::acquire(&config.db_path)?;
        lock.note(id)?;
        Ok(Reopened {
            broadcast: b,
            command,
            forced,
            client,
            lock,
        })
    }

    /// Once the command has queued what it sends: holds back what the
    /// messaging limit does not allow now, and audits a forced state.
    pub fn ready(self, conn: &Connection, user: &str, now: Timestamp) -> Result<Ready> {
        let id = self.broadcast.id;
        hold_over_limit(conn, id, now)?;
        audit_forced(conn, user, self.command, id, self.forced, now)?;
        Ok(Ready {
            id,
            client: self.client,
            _lock: self.lock,
            command: self.command,
        })
    }
}

/// A broadcast whose queued rows may go now, with the send lock held.
pub struct Ready {
    pub id: BroadcastId,
    client: Client,
    _lock: SendLock,
    command: &'static str,
}

impl Ready {
    /// Runs the sender. A run that leaves rows held by the messaging limit
    /// is paused until the window rolls, not finished. Audited.
    pub fn run(
        self,
        conn: &mut Connection,
        config: &Config,
        user: &str,
        progress: &ProgressBar,
    ) -> Result<(Ending, Summary)> {
        let id = self.id;
        let b = broadcast::must_get(conn, id)?;
        let mut ending = send::run(conn, &self.client, &b, &settings(config), progress)?;
        let (held, until) = limit::held(conn, id)?;
        if ending == Ending::Finished && held > 0 {
            let reason = format!(
                "{held} message(s) held back by the messaging limit until {}",
                until.unwrap_or_default()
            );
            broadcast::set_state(
                conn,
                id,
                broadcast::State::Paused,
                Some(&reason),
                crate::clock::now(),
            )?;
            ending = Ending::Paused(reason);
        }
        let summary = broadcast::summary(conn, id)?;
        crate::audit::record(
            conn,
            crate::clock::now(),
            user,
            self.command,
            match ending {
                Ending::Finished => "finished",
                Ending::Paused(_) => "paused",
            },
            json!({ "broadcast_id": id, "counts": summary.counts }),
        )?;
        Ok((ending, summary))
    }
}

/// Holds back the queued rows the messaging limit does not allow now.
fn hold_over_limit(conn: &Connection, id: BroadcastId, now: Timestamp) -> Result<()> {
    if let Some(s) = limit::apply(conn, id, now)? {
        crate::log_line!("broadcast {id}: {s}");
    }
    Ok(())
}

/// Who sent despite Meta's reported state, and what that state was.
fn audit_forced(
    conn: &Connection,
    user: &str,
    command: &str,
    id: BroadcastId,
    forced: Option<String>,
    now: Timestamp,
) -> Result<()> {
    if let Some(state) = forced {
        crate::log_line!("warning: sending despite: {state}");
        crate::audit::record(
            conn,
            now,
            user,
            &format!("{command} template state override"),
            "overridden",
            json!({ "broadcast_id": id, "state": state }),
        )?;
    }
    Ok(())
}
