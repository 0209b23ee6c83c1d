//! `mot doctor` and `mot templates`: glue between the CLI, the checks and `output`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::TemplatesCommand;
use crate::config::{self, Config};
use crate::db::{self, Create};
use crate::doctor::{self, Check, Report};
use crate::exit::{Exit, error_with_help};
use crate::output::{self, Format};
use crate::templates;
use crate::whatsapp::lookup::Lookup;

/// Runs every check it can: a config that does not load still gets a report.
pub fn run(
    config_flag: Option<&Path>,
    db_flag: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let now = crate::clock::now();
    let file = config_flag.map_or_else(config::default_config_path, Path::to_path_buf);
    let loaded = Config::load(config_flag, db_flag, &config::process_env);
    let mut checks = vec![doctor::config(&loaded, &file)];
    if let Ok(config) = &loaded {
        let db_check = doctor::database(&config.db_path);
        let db_usable = db_check.status != doctor::Level::Fail;
        checks.push(db_check);
        checks.push(doctor::database_location(&config.db_path));
        let conn = if db_usable {
            Some(db::open(&config.db_path, Create::No)?)
        } else {
            None
        };
        let lookup = Lookup::new(&config.whatsapp)?;
        match &conn {
            Some(conn) => {
                checks.extend(doctor::number(lookup.as_ref(), config, conn, now)?);
                checks.extend(doctor::templates(lookup.as_ref(), config, conn, now)?);
                checks.extend(doctor::account_events(conn, config, now)?);
                checks.push(doctor::pending_members(conn)?);
                checks.push(doctor::likely_opt_outs(conn)?);
                checks.push(doctor::lapsed_members(conn, config, now)?);
                checks.push(doctor::held_messages(conn, now)?);
                checks.push(doctor::retention(conn, now)?);
            }
            None => checks.push(Check::warn(
                "whatsapp",
                "not checked: the database is needed first",
                "fix the database, then run `mot doctor` again",
            )),
        }
        checks.push(doctor::whose_events(config));
        checks.push(doctor::webhook_secrets(config));
        checks.push(doctor::relay(config));
    }
    let report = Report { checks };
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        _ => output::rows(out, format, &report.checks)?,
    }
    Ok(if report.failed() {
        Exit::Error
    } else {
        Exit::Success
    })
}

pub fn templates(
    ctx: &mut super::Context,
    cmd: TemplatesCommand,
    out: &mut dyn Write,
) -> Result<Exit> {
    match cmd {
        TemplatesCommand::List { format } => {
            output::rows(out, format, &templates::list(&ctx.conn)?)?;
        }
        TemplatesCommand::Sync { format, .. } => {
            let w = &ctx.config.whatsapp;
            let waba = w.business_account_id.clone().ok_or_else(|| {
                error_with_help(
                    "no WhatsApp Business Account id is configured",
                    "set [whatsapp] business_account_id, or MOT_WHATSAPP_BUSINESS_ACCOUNT_ID",
                )
            })?;
            let lookup = Lookup::new(w)?.ok_or_else(|| {
                error_with_help(
                    "no WhatsApp access token",
                    "set MOT_WHATSAPP_TOKEN, or [whatsapp] token_file naming a file only you can read",
                )
            })?;
            let fetched = lookup.templates(&waba, None).map_err(|e| {
                error_with_help(
                    format!("cannot fetch templates: {e}"),
                    "run `mot doctor` to see what is wrong",
                )
            })?;
            let now = crate::clock::now();
            let tx = ctx.conn.unchecked_transaction()?;
            let became_marketing = templates::store(&tx, &fetched, now)?;
            let forgotten = templates::forget_others(&tx, &fetched)?;
            tx.commit()?;
            ctx.audit(
                "templates sync",
                "ok",
                serde_json::json!({ "templates": fetched.len(), "became_marketing": became_marketing, "forgotten": forgotten }),
            )?;
            crate::log_line!(
                "templates: {} fetched and kept; {forgotten} the account no longer has forgotten",
                fetched.len()
            );
            if became_marketing > 0 {
                crate::log_line!(
                    "warning: {became_marketing} template(s) changed from UTILITY to MARKETING: each message costs more, and Meta may not deliver to members who had many marketing messages (131049)"
                );
            }
            output::rows(out, format, &templates::list(&ctx.conn)?)?;
        }
    }
    Ok(Exit::Success)
}
