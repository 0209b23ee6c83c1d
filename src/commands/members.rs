//! `mot members …`: add, import, list, show, edit, approve, remove,
//! reactivate, opt-out, lapse and prune.

use std::io::{Read, Write};

use anyhow::{Context as _, Result};
use serde_json::json;

use super::Context;
use crate::cli::{
    AddArgs, EditArgs, ImportArgs, ListArgs, MembersCommand, PruneArgs, ReactivateArgs, RemoveArgs,
    StatusArgs, VerifyErasedArgs,
};
use crate::db;
use crate::exit::{Exit, Failure};
use crate::lapsed;
use crate::members::{self, Changes, Consent, Details, MemberStatus, clean_field, import};
use crate::members::{finding, standing};
use crate::output::{self, Format};
use crate::phone;
use crate::retention::erasure;
use crate::signup;
use crate::webhook::relay::erasures;

mod approve;

pub fn run(ctx: &mut Context, cmd: MembersCommand, out: &mut dyn Write) -> Result<Exit> {
    let region = ctx.config.default_region;
    match cmd {
        MembersCommand::Add(args) => add(ctx, args, out),
        MembersCommand::Import(args) => import(ctx, args, out),
        MembersCommand::List(args) => list(ctx, args, out),
        MembersCommand::Show(args) => {
            let member = finding::resolve(&ctx.conn, &args.member.join(" "), region)?;
            let signup = signup::get(&ctx.conn, member.id)?;
            output::one(out, args.format, &signup::Evidence { member, signup })?;
            Ok(Exit::Success)
        }
        MembersCommand::Find(args) => {
            let found = finding::search(&ctx.conn, &args.text.join(" "), region)?;
            output::rows(out, args.format, &found)?;
            Ok(Exit::Success)
        }
        MembersCommand::Edit(args) => edit(ctx, args, out),
        MembersCommand::Approve(args) if args.all_complete => {
            approve::all_complete(ctx, args.format, args.yes, out)
        }
        MembersCommand::Approve(args) => {
            let m = members::find(&ctx.conn, &args.member.join(" "), region)?;
            let m = members::approve(&ctx.conn, m.id, crate::clock::now())?;
            ctx.audit("members approve", "ok", json!({ "member_id": m.id }))?;
            output::one(out, args.format, &m)?;
            Ok(Exit::Success)
        }
        MembersCommand::Remove(args) => remove(ctx, args, out),
        MembersCommand::Reactivate(args) => reactivate(ctx, args, out),
        MembersCommand::OptOut(args) => change(ctx, args, Change::OptOut, out),
        MembersCommand::Lapse(args) => change(ctx, args, Change::Lapse, out),
        MembersCommand::Prune(args) => prune(ctx, args, out),
        MembersCommand::VerifyErased(args) => verify_erased(ctx, args, out),
        MembersCommand::ExportData(args) => {
            let m = members::find(&ctx.conn, &args.member.join(" "), region)?;
            let data = members::access::export(&ctx.conn, m.id)?;
            ctx.audit("members export-data", "ok", json!({ "member_id": m.id }))?;
            output::sections(out, args.format.into(), &data)?;
            Ok(Exit::Success)
        }
    }
}

/// A field from its flag, or asked for on a terminal; without one, a usage error.
fn field(ctx: &Context, given: Option<String>, flag: &str, prompt: &str) -> Result<String> {
    if let Some(v) = given {
        return clean_field(flag, &v).map_err(|why| Failure::bad_flag(flag, why).into());
    }
    if !ctx.interactive {
        return Err(Failure::new(Exit::Usage, format!("--{flag} is required"))
            .help("give every detail as a flag when not on a terminal")
            .into());
    }
    let v: String = dialoguer::Input::new()
        .with_prompt(prompt)
        .validate_with(|s: &String| clean_field(flag, s).map(|_| ()))
        .interact_text()?;
    Ok(clean_field(flag, &v).expect("validated by the prompt"))
}

fn phone_field(ctx: &Context, given: Option<String>) -> Result<phone::E164> {
    let region = ctx.config.default_region;
    let text = match given {
        Some(v) => v,
        None if ctx.interactive => dialoguer::Input::new()
            .with_prompt("Mobile number")
            .validate_with(|s: &String| phone::parse(s, region).map(|_| ()))
            .interact_text()?,
        None => {
            return Err(Failure::new(Exit::Usage, "--phone is required")
                .help("give every detail as a flag when not on a terminal")
                .into());
        }
    };
    phone::parse(&text, region).map_err(|why| Failure::bad_flag("phone", why).into())
}

fn add(ctx: &Context, args: AddArgs, out: &mut dyn Write) -> Result<Exit> {
    if !ctx.interactive {
        // No terminal to ask on: every missing detail is named at once.
        let given = [
            ("--name", args.name.is_some()),
            ("--phone", args.phone.is_some()),
            ("--role", args.role.is_some()),
            ("--location", args.location.is_some()),
        ];
        let items: Vec<(&str, &str)> = given
            .iter()
            .filter(|(_, is)| !is)
            .map(|(flag, _)| (*flag, "give every detail as a flag when not on a terminal"))
            .collect();
        if let Some(err) = crate::exit::missing(Exit::Usage, &items) {
            return Err(err);
        }
    }
    let details = Details {
        name: field(ctx, args.name, "name", "Name")?,
        phone: phone_field(ctx, args.phone)?,
        role: field(ctx, args.role, "role", "Job role")?,
        location: field(ctx, args.location, "location", "Working location")?,
    };
    let consent = Consent {
        at: crate::clock::now(),
        source: "manual".to_string(),
        by: ctx.user.clone(),
    };
    let m = members::add(&ctx.conn, &details, MemberStatus::Active, &consent)?;
    ctx.audit("members add", "ok", json!({ "member_id": m.id }))?;
    output::one(out, args.format, &m)?;
    Ok(Exit::Success)
}

fn import(ctx: &mut Context, args: ImportArgs, out: &mut dyn Write) -> Result<Exit> {
    // Read as a stream: a large file is never held in memory whole.
    let (input, source): (Box<dyn Read>, String) = if args.file.as_os_str() == "-" {
        (
            Box::new(std::io::stdin().lock()),
            "import:stdin".to_string(),
        )
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        let name = args.file.file_name().unwrap_or_default().to_string_lossy();
        (Box::new(file), format!("import:{name}"))
    };
    let consent = Consent {
        at: crate::clock::now(),
        source,
        by: ctx.user.clone(),
    };
    let opts = import::Options {
        skip_invalid: args.skip_invalid,
        update: args.update,
        dry_run: args.dry_run,
    };
    let chosen =
        import::Chosen::parse(&args.columns).map_err(|why| Failure::bad_flag("column", why))?;
    let summary = import::import(
        &mut ctx.conn,
        input,
        ctx.config.default_region,
        &consent,
        opts,
        &chosen,
    )?;
    output::summary(out, args.format.into(), &summary)?;
    if !args.dry_run {
        let outcome = if summary.imported {
            "ok"
        } else {
            "refused: invalid rows"
        };
        ctx.audit(
            "members import",
            outcome,
            json!({
                "added": summary.added,
                "updated": summary.updated,
                "skipped": summary.skipped.len(),
                "invalid": summary.invalid.len(),
            }),
        )?;
    }
    if !summary.invalid.is_empty() && !args.skip_invalid {
        return Err(Failure::new(
            Exit::Error,
            format!(
                "{} invalid row(s); nothing was imported",
                summary.invalid.len()
            ),
        )
        .help("fix the rows listed above, or add --skip-invalid to import the rest")
        .into());
    }
    Ok(Exit::Success)
}

fn list(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<Exit> {
    let filter = members::Filter {
        roles: args.roles,
        locations: args.locations,
        statuses: args.statuses,
        name: args.name,
    };
    let found = members::list(&ctx.conn, &filter)?;
    output::rows(out, args.format, &found)?;
    Ok(Exit::Success)
}

fn edit(ctx: &Context, args: EditArgs, out: &mut dyn Write) -> Result<Exit> {
    let m = members::find(&ctx.conn, &args.member.join(" "), ctx.config.default_region)?;
    let clean = |flag: &str, v: Option<String>| -> Result<Option<String>> {
        v.map(|v| clean_field(flag, &v).map_err(|why| Failure::bad_flag(flag, why).into()))
            .transpose()
    };
    let changes = Changes {
        name: clean("name", args.name)?,
        phone: args
            .phone
            .map(|p| {
                phone::parse(&p, ctx.config.default_region)
                    .map_err(|why| anyhow::Error::from(Failure::bad_flag("phone", why)))
            })
            .transpose()?,
        role: clean("role", args.role)?,
        location: clean("location", args.location)?,
    };
    if changes.name.is_none()
        && changes.phone.is_none()
        && changes.role.is_none()
        && changes.location.is_none()
    {
        return Err(Failure::new(Exit::Usage, "nothing to change")
            .help("give at least one of --name, --phone, --role, --location")
            .into());
    }
    let m = members::edit(&ctx.conn, m.id, &changes, crate::clock::now())?;
    let fields: Vec<&str> = [
        ("name", changes.name.is_some()),
        ("phone", changes.phone.is_some()),
        ("role", changes.role.is_some()),
        ("location", changes.location.is_some()),
    ]
    .into_iter()
    .filter_map(|(f, changed)| changed.then_some(f))
    .collect();
    ctx.audit(
        "members edit",
        "ok",
        json!({ "member_id": m.id, "fields": fields }),
    )?;
    output::one(out, args.format, &m)?;
    Ok(Exit::Success)
}

fn remove(ctx: &mut Context, args: RemoveArgs, out: &mut dyn Write) -> Result<Exit> {
    let m = members::find(&ctx.conn, &args.member.join(" "), ctx.config.default_region)?;
    ctx.confirm(
        &format!(
            "remove member {} ({}) and erase their details",
            m.id, m.name
        ),
        args.yes,
    )?;
    let now = crate::clock::now();
    let tx = ctx
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    members::erase(&tx, m.id)?;
    if ctx.config.relay.url.is_some() {
        erasures::owe(&tx, &m.phone, now)?;
    }
    crate::audit::record(
        &tx,
        now,
        &ctx.user,
        "members remove",
        "ok",
        json!({ "member_id": m.id }),
    )?;
    tx.commit()?;
    let relay = ctx.tell_relay()?;
    // The WAL still holds the pages as they were before the erasure.
    let settled = erasure::settle(
        &ctx.conn,
        ctx.config.retention.vacuum_share,
        erasure::Rebuild::Unasked,
    )?;
    writeln!(out, "removed member {}; their details are erased", m.id)?;
    if !settled.wal_cleared {
        crate::log_line!(
            "mot: warning: another program is reading the database, so its WAL still holds \
             old pages; run `mot purge` when it is idle"
        );
    }
    if !args.verify {
        return Ok(Exit::Success);
    }
    if relay.is_some_and(|told| told.owed > 0) {
        return Err(relay_not_confirmed());
    }
    let mut needles = erasure::phone_forms(&m.phone);
    needles.push(("name".to_string(), erasure::Sought::Text(m.name.clone())));
    report_traces(ctx, &needles, Format::Table, out)
}

fn relay_not_confirmed() -> anyhow::Error {
    Failure::new(
        Exit::Error,
        "the relay has not confirmed the erasure; the number is kept on this computer only to tell it",
    )
    .help("run `mot status pull` once the relay can be reached, then `mot members verify-erased`")
    .into()
}

fn verify_erased(ctx: &mut Context, args: VerifyErasedArgs, out: &mut dyn Write) -> Result<Exit> {
    let phone = phone::parse(&args.phone, ctx.config.default_region)
        .map_err(|why| Failure::bad_flag("phone", why))?;
    if ctx.config.relay.url.is_some() && erasures::is_owed(&ctx.conn, &phone)? {
        return Err(relay_not_confirmed());
    }
    let mut needles = erasure::phone_forms(&phone);
    for (label, values) in [("name", &args.names), ("phrase", &args.phrases)] {
        for (i, v) in values.iter().enumerate() {
            if v.trim().is_empty() {
                return Err(Failure::bad_flag(label, "is empty").into());
            }
            needles.push((
                format!("{label} {}", i + 1),
                erasure::Sought::Text(v.clone()),
            ));
        }
    }
    report_traces(ctx, &needles, args.format, out)
}

/// Prints what the scan found (labels and counts, never the values) and
/// fails when any trace remains.
fn report_traces(
    ctx: &mut Context,
    needles: &[(String, erasure::Sought)],
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let traces = ctx.without_db(|config| erasure::scan(&config.db_path, needles))??;
    output::rows(out, format, &traces)?;
    let found: usize = traces.iter().map(|t| t.found).sum();
    if found > 0 {
        return Err(Failure::new(
            Exit::Error,
            format!("{found} trace(s) remain in the database file or its WAL"),
        )
        .help("if they are still a member, remove them first; then run `mot purge`")
        .into());
    }
    crate::log_line!("no trace found in the database file or its WAL");
    Ok(Exit::Success)
}

fn reactivate(ctx: &Context, args: ReactivateArgs, out: &mut dyn Write) -> Result<Exit> {
    let reason = args
        .reason
        .map(|r| clean_field("reason", &r).map_err(|why| Failure::bad_flag("reason", why)))
        .transpose()?;
    let m = members::find(&ctx.conn, &args.member.join(" "), ctx.config.default_region)?;
    ctx.confirm(
        &format!("make member {} ({}) active again", m.id, m.name),
        args.yes,
    )?;
    let (from, m) = standing::reactivate(&ctx.conn, m.id, reason.as_deref(), crate::clock::now())?;
    ctx.audit(
        "members reactivate",
        "ok",
        json!({ "member_id": m.id, "from": from, "to": m.status, "reason": reason }),
    )?;
    output::one(out, args.format, &m)?;
    Ok(Exit::Success)
}

#[derive(Clone, Copy)]
enum Change {
    OptOut,
    Lapse,
}

fn change(ctx: &Context, args: StatusArgs, change: Change, out: &mut dyn Write) -> Result<Exit> {
    let m = members::find(&ctx.conn, &args.member.join(" "), ctx.config.default_region)?;
    let (what, command) = match change {
        Change::OptOut => ("out: they will get no more messages", "members opt-out"),
        Change::Lapse => ("lapsed: they will get no more messages", "members lapse"),
    };
    let verb = match change {
        Change::OptOut => "opt",
        Change::Lapse => "mark",
    };
    ctx.confirm(
        &format!("{verb} member {} ({}) {what}", m.id, m.name),
        args.yes,
    )?;
    let now = crate::clock::now();
    let (from, m) = match change {
        Change::OptOut => standing::opt_out(&ctx.conn, m.id, now)?,
        Change::Lapse => standing::lapse(&ctx.conn, m.id, now)?,
    };
    ctx.audit(
        command,
        "ok",
        json!({ "member_id": m.id, "from": from, "to": m.status }),
    )?;
    output::one(out, args.format, &m)?;
    Ok(Exit::Success)
}

/// What `members prune` did.
#[derive(Debug, serde::Serialize)]
struct Pruned {
    /// `erased`, or `marked_lapsed` with --keep-lapsed.
    action: &'static str,
    members: usize,
    /// Never-reached members left alone (no --include-never-reached).
    never_reached_kept: usize,
    rule: crate::config::LapsedRule,
}

impl std::fmt::Display for Pruned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.action {
            "erased" => writeln!(
                f,
                "pruned {} lapsed member(s); their details are erased",
                self.members
            ),
            _ => writeln!(
                f,
                "marked {} member(s) lapsed; they stay on file and get no messages",
                self.members
            ),
        }
    }
}

/// Leaves the never reached out of what prune acts on unless asked to
/// include them (they join the lapsed); returns how many were spared.
fn spare_never_reached(found: &mut lapsed::Report, include: bool) -> usize {
    let never = std::mem::take(&mut found.never_reached);
    if include {
        found.lapsed.extend(never);
        return 0;
    }
    never.len()
}

fn prune(ctx: &mut Context, args: PruneArgs, out: &mut dyn Write) -> Result<Exit> {
    let rule = ctx.config.lapsed;
    let mut found = lapsed::find(&ctx.conn, &rule, crate::clock::now())?;
    let spared = spare_never_reached(&mut found, args.include_never_reached);
    if spared > 0 {
        crate::log_line!(
            "mot: {spared} never-reached member(s) kept: nothing was ever delivered to them \
             (their WhatsApp may not be set up yet); add --include-never-reached to prune them too"
        );
    }
    let action = if args.keep_lapsed {
        "marked_lapsed"
    } else {
        "erased"
    };
    if args.dry_run {
        super::report::show_lapsed(out, args.format, &found)?;
        let verb = if args.keep_lapsed {
            "marked lapsed"
        } else {
            "erased"
        };
        crate::log_line!(
            "dry run: {} member(s) would be {verb}; nothing was changed",
            found.lapsed.len()
        );
        return Ok(Exit::Success);
    }
    let ids: Vec<_> = found.lapsed.iter().map(|l| l.member_id).collect();
    if !ids.is_empty() {
        let what = if args.keep_lapsed {
            format!(
                "mark {} member(s) lapsed (see `mot report lapsed`)",
                ids.len()
            )
        } else {
            format!(
                "erase the details of {} lapsed member(s) (see `mot report lapsed`)",
                ids.len()
            )
        };
        ctx.confirm(&what, args.yes)?;
    }
    let now = crate::clock::now();
    let tx = ctx
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Decide again under the write lock: act on exactly what was confirmed.
    let mut again = lapsed::find(&tx, &rule, now)?;
    spare_never_reached(&mut again, args.include_never_reached);
    let again: Vec<_> = again.lapsed.iter().map(|l| l.member_id).collect();
    if again != ids {
        return Err(Failure::new(
            Exit::Error,
            "the lapsed members changed while you were confirming; nothing was changed",
        )
        .help("run `mot report lapsed` and prune again")
        .into());
    }
    for (id, l) in ids.iter().zip(&found.lapsed) {
        if !args.keep_lapsed {
            if let Some(m) = members::get(&tx, *id)?
                && ctx.config.relay.url.is_some()
            {
                erasures::owe(&tx, &m.phone, now)?;
            }
            members::erase(&tx, *id)?;
        } else if l.status != MemberStatus::Lapsed {
            members::set_status(&tx, *id, MemberStatus::Lapsed, now)?;
        }
    }
    // Counts and the rule only: never who.
    crate::audit::record(
        &tx,
        now,
        &ctx.user,
        "members prune",
        "ok",
        json!({ "action": action, "members": ids.len(), "rule": rule }),
    )?;
    tx.commit()?;
    if !args.keep_lapsed && !ids.is_empty() {
        ctx.tell_relay()?;
        db::checkpoint(&ctx.conn)?;
    }
    let done = Pruned {
        action,
        members: ids.len(),
        never_reached_kept: spared,
        rule,
    };
    match args.format {
        // The dry run's list is CSV: the outcome is too, not text in its place.
        Format::Csv => output::csv_records(
            out,
            &["action", "members"],
            [[done.action.to_string(), done.members.to_string()]],
        )?,
        format => output::summary(out, format, &done)?,
    }
    Ok(Exit::Success)
}
