//! Configuration: the TOML file, the `MOT_*` environment and flags, resolved
//! once (flag > environment > file > default), and the secrets.

use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::SignedDuration;
use serde::Deserialize;

use crate::exit::error_with_help;
use crate::platform;

/// No real config is near this; a bigger "config" is the wrong file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The commented example, also what `mot init` writes.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

/// The config file as written: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FileConfig {
    database: DatabaseSection,
    whatsapp: WhatsappSection,
    members: MembersSection,
    broadcast: BroadcastSection,
    status: StatusSection,
    webhook: WebhookSection,
    relay: RelaySection,
    inbound: InboundSection,
    lapsed: LapsedSection,
    request: RequestSection,
    /// Checked against `retention::KINDS`, so a new kind needs no field here.
    retention: std::collections::BTreeMap<String, toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct LapsedSection {
    broadcasts: Option<usize>,
    min_days: Option<i64>,
    outage_share: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RequestSection {
    template: Option<String>,
    language: Option<String>,
    body_params: Option<usize>,
    template_fixed_chars: Option<usize>,
    buttons: Option<Vec<String>>,
    survey_button: Option<String>,
    closes_in: Option<String>,
    reminder_template: Option<String>,
    remind_interval: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct StatusSection {
    window: Option<String>,
    rate_per_second: Option<f64>,
    concurrency: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WebhookSection {
    listen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RelaySection {
    url: Option<String>,
    token_file: Option<PathBuf>,
    keep_acked: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct InboundSection {
    welcome_reply: Option<String>,
    stop_reply: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct BroadcastSection {
    template: Option<String>,
    language: Option<String>,
    body_params: Option<usize>,
    template_fixed_chars: Option<usize>,
    rate_per_second: Option<f64>,
    concurrency: Option<usize>,
    not_after: Option<String>,
    duplicate_window: Option<String>,
    request_timeout: Option<String>,
    max_attempts: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DatabaseSection {
    path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WhatsappSection {
    api_base: Option<String>,
    api_version: Option<String>,
    phone_number_id: Option<String>,
    business_account_id: Option<String>,
    token_file: Option<PathBuf>,
    app_secret_file: Option<PathBuf>,
    verify_token_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct MembersSection {
    default_region: Option<String>,
}

/// Everything mot needs to know, resolved from flags, environment, file and defaults.
#[derive(Debug)]
pub struct Config {
    /// The config file that was read, or would be written by `mot init`.
    pub file: PathBuf,
    pub db_path: PathBuf,
    pub whatsapp: Whatsapp,
    pub default_region: phonenumber::country::Id,
    pub broadcast: Broadcast,
    pub status: Status,
    pub webhook_listen: String,
    pub relay: Relay,
    pub inbound: Inbound,
    /// When a member counts as lapsed (`[lapsed]`).
    pub lapsed: crate::lapsed::Rule,
    pub request: Request,
    pub retention: crate::retention::Policy,
}

/// Requests for information (`mot request`, `mot requests remind`).
#[derive(Debug, Clone)]
pub struct Request {
    /// The approved template requests are sent as; `[broadcast] template` if unset.
    pub template: Option<String>,
    pub language: String,
    pub body_params: usize,
    pub template_fixed_chars: usize,
    /// The template's quick-reply button labels, in order (empty: none).
    pub buttons: Vec<String>,
    /// The fixed start of the template's URL button link, whose `{{1}}`
    /// the rest of `--survey-url` fills (none: the link goes in the text).
    pub survey_button: Option<String>,
    /// How long a request takes answers on time.
    pub closes_in: SignedDuration,
    /// The template reminders are sent as; else the request's template with
    /// the question prefixed "Reminder:".
    pub reminder_template: Option<String>,
    /// The least time between two reminders for one request.
    pub remind_interval: SignedDuration,
}

/// `mot status pull`.
#[derive(Debug, Clone)]
pub struct Status {
    /// Deliveries older than this are no longer asked about.
    pub window: SignedDuration,
    pub rate_per_second: f64,
    pub concurrency: usize,
}

/// The relay between a `mot webhook serve` on a server and a laptop's database.
#[derive(Debug, Clone)]
pub struct Relay {
    /// Where the laptop fetches events from (`[relay] url`).
    pub url: Option<String>,
    /// Shared by both ends (`MOT_RELAY_TOKEN`).
    pub token: Option<Secret>,
    /// How long the server keeps events the laptop has acknowledged.
    pub keep_acked: SignedDuration,
}

/// Optional automatic replies, sent by `mot webhook serve` inside the 24-hour window.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    pub welcome_reply: Option<String>,
    pub stop_reply: Option<String>,
}

/// How broadcasts are built and paced.
#[derive(Debug, Clone)]
pub struct Broadcast {
    /// The approved template every broadcast is sent as; required to send.
    pub template: Option<String>,
    pub language: String,
    /// How many `{{n}}` body parameters the template has.
    pub body_params: usize,
    /// Whether `body_params` was set in the file (else a synced template's count is used).
    pub body_params_set: bool,
    /// Characters of fixed text in the template body (counts towards Meta's 1024).
    pub template_fixed_chars: usize,
    pub rate_per_second: f64,
    pub concurrency: usize,
    pub not_after: SignedDuration,
    pub duplicate_window: SignedDuration,
    pub request_timeout: SignedDuration,
    /// Tries for transient errors before a row is failed.
    pub max_attempts: u32,
}

/// The most messages a second mot will send: Meta's top throughput tier.
pub const MAX_RATE: f64 = 1000.0;

#[derive(Debug)]
pub struct Whatsapp {
    pub api_base: String,
    pub api_version: String,
    pub phone_number_id: Option<String>,
    pub business_account_id: Option<String>,
    pub token: Option<Secret>,
    pub app_secret: Option<Secret>,
    pub verify_token: Option<Secret>,
}

impl Whatsapp {
    /// What is missing to talk to the WhatsApp Cloud API, and how to set it.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.phone_number_id.is_none() {
            out.push((
                "the WhatsApp phone number id",
                "[whatsapp] phone_number_id in the config, or MOT_WHATSAPP_PHONE_NUMBER_ID",
            ));
        }
        if self.token.is_none() {
            out.push((
                "the WhatsApp access token",
                "MOT_WHATSAPP_TOKEN, or [whatsapp] token_file naming a file only you can read",
            ));
        }
        out
    }
}

/// A secret value. Its `Debug` is redacted and it has no `Display`, so it
/// cannot end up in output, errors or logs by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    value: String,
    /// Where it came from (`MOT_WHATSAPP_TOKEN`, `[whatsapp] token_file`),
    /// so that advice about it names the place the operator set it.
    source: String,
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret {
            value: value.into(),
            source: String::new(),
        }
    }

    /// The same secret, remembering where it was set.
    pub fn from_source(self, source: impl Into<String>) -> Self {
        Secret {
            source: source.into(),
            ..self
        }
    }

    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Where it was set: an environment variable or a config key; empty if unknown.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The fewest characters an app secret or relay token may have: each guards
/// an endpoint anyone on the internet can try (Meta's app secrets are 32).
pub const MIN_SHARED_SECRET: usize = 16;

/// Refuses a secret that is empty after trimming, or shorter than `min_len`.
/// The error names where it came from, never the value.
fn check_secret(value: &Secret, source: &str, min_len: usize) -> Result<()> {
    let len = value.expose().chars().count();
    if len == 0 {
        return Err(error_with_help(
            format!("{source} is empty (or only spaces)"),
            format!("set {source} to the real secret, or unset it"),
        ));
    }
    if len < min_len {
        return Err(error_with_help(
            format!("{source} is too short ({len} characters; at least {min_len} are needed)"),
            format!("use a long random value for {source} (and the same on the other side)"),
        ));
    }
    Ok(())
}

/// The environment, as a lookup function so tests can pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the process environment, treating empty values as unset.
pub fn process_env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

/// Where the config file lives when neither `--config` nor `MOT_CONFIG` says.
pub fn default_config_path() -> PathBuf {
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mot")
        .join("config.toml")
}

/// The database lives in the *local* (not roaming) data folder: on Windows
/// `%LOCALAPPDATA%`, since a roaming profile may sit on a network share,
/// where SQLite's WAL does not work.
fn default_db_path() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mot")
        .join("mot.db")
}

impl Config {
    /// Resolves the configuration. `config_flag` and `db_flag` come from the
    /// command line, where clap has already merged `MOT_CONFIG` and `MOT_DB`.
    pub fn load(config_flag: Option<&Path>, db_flag: Option<&Path>, env: Env) -> Result<Config> {
        let explicit = config_flag.is_some();
        let file = config_flag.map_or_else(default_config_path, Path::to_path_buf);
        let parsed = match read_config_text(&file) {
            Ok(text) => toml::from_str::<FileConfig>(&text).map_err(|e| {
                error_with_help(
                    format!(
                        "invalid config file {}: {}",
                        file.display(),
                        toml_error(&text, &e)
                    ),
                    "`mot init` writes a commented config with every key and its meaning",
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if explicit {
                    return Err(error_with_help(
                        format!("config file {} does not exist", file.display()),
                        "run `mot init` to create it, or check --config / MOT_CONFIG",
                    ));
                }
                FileConfig::default()
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read config file {}", file.display()));
            }
        };
        let base_dir = file.parent().unwrap_or(Path::new("."));
        let relative_to_file = |p: PathBuf| if p.is_relative() { base_dir.join(p) } else { p };

        let db_path = db_flag
            .map(Path::to_path_buf)
            .or_else(|| parsed.database.path.map(relative_to_file))
            .unwrap_or_else(default_db_path);

        let w = parsed.whatsapp;
        // A blank or short secret must never quietly switch a check off (an
        // empty HMAC key or bearer token matches anyone who sends nothing):
        // it is a configuration error naming where it came from.
        let secret = |env_key: &str,
                      file_key: &str,
                      path: Option<PathBuf>,
                      min_len: usize|
         -> Result<Option<Secret>> {
            let (value, source) = match env(env_key) {
                Some(value) => (Secret::new(value.trim()), env_key.to_string()),
                None => match path {
                    Some(p) => (
                        read_secret_file(&relative_to_file(p), file_key)?,
                        file_key.to_string(),
                    ),
                    None => return Ok(None),
                },
            };
            check_secret(&value, &source, min_len)?;
            Ok(Some(value.from_source(source)))
        };
        let whatsapp = Whatsapp {
            api_base: env("MOT_WHATSAPP_API_BASE")
                .or(w.api_base)
                .unwrap_or_else(|| "https://graph.facebook.com".to_string())
                .trim_end_matches('/')
                .to_string(),
            api_version: env("MOT_WHATSAPP_API_VERSION")
                .or(w.api_version)
                .unwrap_or_else(|| "v23.0".to_string()),
            phone_number_id: env("MOT_WHATSAPP_PHONE_NUMBER_ID").or(w.phone_number_id),
            business_account_id: env("MOT_WHATSAPP_BUSINESS_ACCOUNT_ID").or(w.business_account_id),
            token: secret(
                "MOT_WHATSAPP_TOKEN",
                "[whatsapp] token_file",
                w.token_file,
                1,
            )?,
            app_secret: secret(
                "MOT_WHATSAPP_APP_SECRET",
                "[whatsapp] app_secret_file",
                w.app_secret_file,
                MIN_SHARED_SECRET,
            )?,
            verify_token: secret(
                "MOT_WEBHOOK_VERIFY_TOKEN",
                "[whatsapp] verify_token_file",
                w.verify_token_file,
                1,
            )?,
        };

        let region = parsed
            .members
            .default_region
            .unwrap_or_else(|| "GB".to_string());
        let default_region = region.to_ascii_uppercase().parse().map_err(|_| {
            error_with_help(
                format!(
                    "invalid config file {}: [members] default_region {region:?} is not a country code",
                    file.display()
                ),
                "use a two-letter region such as \"GB\"",
            )
        })?;

        let broadcast = resolve_broadcast(parsed.broadcast, &file)?;
        let bad = |key: &str, why: String| {
            error_with_help(
                format!("invalid config file {}: {key}: {why}", file.display()),
                "`mot init` writes a commented config with every key and its meaning",
            )
        };
        let duration = |key: &str, value: Option<String>, default: &str| {
            parse_duration(value.as_deref().unwrap_or(default)).map_err(|why| bad(key, why))
        };
        let st = parsed.status;
        let status = Status {
            window: duration("[status] window", st.window, "14d")?,
            rate_per_second: st.rate_per_second.unwrap_or(20.0),
            concurrency: st.concurrency.unwrap_or(8),
        };
        if !(1.0..=MAX_RATE).contains(&status.rate_per_second) {
            return Err(bad(
                "[status] rate_per_second",
                format!("{} is not between 1 and {MAX_RATE}", status.rate_per_second),
            ));
        }
        if !(1..=256).contains(&status.concurrency) {
            return Err(bad(
                "[status] concurrency",
                format!("{} is not between 1 and 256", status.concurrency),
            ));
        }
        let r = parsed.relay;
        let relay = Relay {
            url: env("MOT_RELAY_URL")
                .or(r.url)
                .map(|u| u.trim_end_matches('/').to_string()),
            token: secret(
                "MOT_RELAY_TOKEN",
                "[relay] token_file",
                r.token_file,
                MIN_SHARED_SECRET,
            )?,
            keep_acked: duration("[relay] keep_acked", r.keep_acked, "7d")?,
        };
        let nonempty = |v: Option<String>| v.filter(|t| !t.trim().is_empty());
        let rq = parsed.request;
        let has_own_template = nonempty(rq.template.clone()).is_some();
        let request = Request {
            template: nonempty(rq.template).or_else(|| broadcast.template.clone()),
            // Without its own template a request borrows the notice's, and
            // with it the notice's language and parameters.
            language: rq
                .language
                .filter(|_| has_own_template)
                .unwrap_or_else(|| broadcast.language.clone()),
            body_params: match rq.body_params.filter(|_| has_own_template) {
                Some(n) if (1..=10).contains(&n) => n,
                Some(n) => {
                    return Err(bad(
                        "[request] body_params",
                        format!("{n} is not between 1 and 10"),
                    ));
                }
                None if has_own_template => 1,
                None => broadcast.body_params,
            },
            template_fixed_chars: if has_own_template {
                rq.template_fixed_chars.unwrap_or(0)
            } else {
                broadcast.template_fixed_chars
            },
            buttons: {
                let buttons: Vec<String> = rq
                    .buttons
                    .unwrap_or_default()
                    .iter()
                    .map(|b| b.trim().to_string())
                    .collect();
                if buttons
                    .iter()
                    .any(|b| b.is_empty() || b.chars().count() > 20)
                {
                    return Err(bad(
                        "[request] buttons",
                        "each label must be 1 to 20 characters, as WhatsApp allows".to_string(),
                    ));
                }
                if buttons.len() > 10 {
                    return Err(bad(
                        "[request] buttons",
                        "a template has at most 10 quick-reply buttons".to_string(),
                    ));
                }
                buttons
            },
            survey_button: match nonempty(rq.survey_button) {
                Some(base) if !base.trim().starts_with("https://") => {
                    return Err(bad(
                        "[request] survey_button",
                        format!("{base:?} is not an https:// address"),
                    ));
                }
                base => base.map(|b| b.trim().to_string()),
            },
            closes_in: duration("[request] closes_in", rq.closes_in, "48h")?,
            reminder_template: nonempty(rq.reminder_template),
            remind_interval: duration("[request] remind_interval", rq.remind_interval, "12h")?,
        };
        let inbound = Inbound {
            welcome_reply: nonempty(parsed.inbound.welcome_reply),
            stop_reply: nonempty(parsed.inbound.stop_reply),
        };
        let lapsed = resolve_lapsed(parsed.lapsed).map_err(|(key, why)| bad(key, why))?;
        let retention = crate::retention::Policy::from_table(&parsed.retention).map_err(|why| {
            error_with_help(
                format!("invalid config file {}: {why}", file.display()),
                "`mot init` writes a commented config with every key and its meaning",
            )
        })?;
        let webhook_listen = env("MOT_WEBHOOK_LISTEN")
            .or(parsed.webhook.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".to_string());
        Ok(Config {
            file,
            db_path,
            whatsapp,
            default_region,
            broadcast,
            status,
            webhook_listen,
            relay,
            inbound,
            lapsed,
            request,
            retention,
        })
    }
}

/// The `[lapsed]` settings over the defaults, checked by the rule itself.
fn resolve_lapsed(l: LapsedSection) -> Result<crate::lapsed::Rule, (&'static str, String)> {
    let default = crate::lapsed::Rule::default();
    crate::lapsed::Rule {
        broadcasts: l.broadcasts.unwrap_or(default.broadcasts),
        min_days: l.min_days.unwrap_or(default.min_days),
        outage_share: l.outage_share.unwrap_or(default.outage_share),
    }
    .checked()
}

/// Parses a duration such as `24h`, `90m` or `1d 12h`.
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let bad = || format!("{text:?} is not a duration (try 30s, 15m, 24h or 2d)");
    // Days count as 24 hours: these are retention and expiry periods, not calendar dates.
    let d = match text.trim().parse::<SignedDuration>() {
        Ok(d) => d,
        Err(_) => text
            .trim()
            .parse::<jiff::Span>()
            .and_then(|span| span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()))
            .map_err(|_| bad())?,
    };
    if d.is_negative() || d.is_zero() {
        return Err(format!("{text:?} must be longer than zero"));
    }
    Ok(d)
}

fn resolve_broadcast(b: BroadcastSection, file: &Path) -> Result<Broadcast> {
    let bad = |key: &str, why: String| {
        error_with_help(
            format!(
                "invalid config file {}: [broadcast] {key}: {why}",
                file.display()
            ),
            "`mot init` writes a commented config with every key and its meaning",
        )
    };
    let duration = |key: &str, value: Option<String>, default: &str| {
        parse_duration(value.as_deref().unwrap_or(default)).map_err(|why| bad(key, why))
    };
    let rate = b.rate_per_second.unwrap_or(20.0);
    if !(1.0..=MAX_RATE).contains(&rate) {
        return Err(bad(
            "rate_per_second",
            format!("{rate} is not between 1 and {MAX_RATE}"),
        ));
    }
    let concurrency = b.concurrency.unwrap_or(8);
    if !(1..=256).contains(&concurrency) {
        return Err(bad(
            "concurrency",
            format!("{concurrency} is not between 1 and 256"),
        ));
    }
    let body_params = b.body_params.unwrap_or(1);
    if !(1..=10).contains(&body_params) {
        return Err(bad(
            "body_params",
            format!("{body_params} is not between 1 and 10"),
        ));
    }
    let max_attempts = b.max_attempts.unwrap_or(5);
    if max_attempts == 0 {
        return Err(bad("max_attempts", "must be at least 1".to_string()));
    }
    Ok(Broadcast {
        template: b.template.filter(|t| !t.trim().is_empty()),
        language: b.language.unwrap_or_else(|| "en_GB".to_string()),
        body_params,
        body_params_set: b.body_params.is_some(),
        template_fixed_chars: b.template_fixed_chars.unwrap_or(0),
        rate_per_second: rate,
        concurrency,
        not_after: duration("not_after", b.not_after, "24h")?,
        duplicate_window: duration("duplicate_window", b.duplicate_window, "24h")?,
        request_timeout: duration("request_timeout", b.request_timeout, "30s")?,
        max_attempts,
    })
}

/// Reads a config file, refusing what cannot be one before reading it: a
/// FIFO would block cron forever and `/dev/zero` would never end.
fn read_config_text(path: &Path) -> std::io::Result<String> {
    let meta = fs::metadata(path)?;
    let refuse = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
    if !meta.is_file() {
        return Err(refuse("it is not a regular file".into()));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(refuse(format!(
            "it is {} bytes; a config file is at most {MAX_CONFIG_BYTES}",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(refuse(format!("it is over {MAX_CONFIG_BYTES} bytes")));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| refuse("it is not UTF-8 text (save it as UTF-8)".into()))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// What was wrong in a config file, and where, without ever quoting the
/// file: a secret pasted into it (or a file that is not a config at all,
/// such as `/etc/passwd`) must not reach a terminal or a log.
fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let at = err.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}: ")
    });
    let message = err.message();
    let expected = message
        .rsplit(", expected ")
        .next()
        .filter(|_| message.contains(", expected "));
    let said = if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let wanted = match expected.unwrap_or("something else") {
            "f64" | "f32" => "a number (without quotes)",
            "usize" | "u64" | "u32" | "u16" | "u8" | "i64" | "i32" => {
                "a whole number (without quotes)"
            }
            "a boolean" => "true or false",
            other => other,
        };
        format!("wrong value: expected {wanted}")
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        let looks_like_key = name.len() <= 40
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let hint = match name {
            "token" | "app_secret" | "verify_token" => {
                " (secrets never go in the config file: set the environment variable or a `*_file` key)"
                    .to_string()
            }
            _ => match (section_of(name), expected) {
                (Some(section), _) => format!(" here; did you mean `[{section}] {name}`?"),
                (None, Some(list)) => format!(", expected one of {list}"),
                (None, None) => String::new(),
            },
        };
        if looks_like_key {
            format!("unknown key `{name}`{hint}")
        } else {
            format!("an unknown key{hint}")
        }
    } else if message.contains('"') {
        "not valid TOML".to_string()
    } else {
        message.trim().to_string()
    };
    format!("{}{said}", at.unwrap_or_default())
}

/// The section a key belongs in, from the commented example config (which
/// documents every key), for "did you mean `[broadcast] template`?".
fn section_of(key: &str) -> Option<String> {
    let mut section = None;
    for line in EXAMPLE.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_string());
        } else if let Some(rest) = line.strip_prefix('#') {
            let first = rest.trim_start().split(['=', ' ']).next().unwrap_or("");
            if first == key && rest.contains('=') {
                return section;
            }
        }
    }
    None
}

/// Creates a new file (never replacing one) that only its owner can read, in
/// folders only they can enter: mot's config and database hold personal data.
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        platform::create_private_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", platform::display(dir)))?;
    }
    let mut f = platform::create_new_private(path)
        .with_context(|| format!("cannot create {}", platform::display(path)))?;
    f.write_all(contents)
        .with_context(|| format!("cannot write {}", platform::display(path)))
}

/// Reads a secret from a file that only its owner may read.
fn read_secret_file(path: &Path, key: &str) -> Result<Secret> {
    let shown = platform::display(path);
    let exposure =
        platform::exposure(path).with_context(|| format!("cannot read {key} {shown}"))?;
    if let Some(how) = exposure {
        return Err(error_with_help(
            format!("refusing to read secret file {shown} ({key}): others can read it ({how})"),
            format!("make it private with `{}`", platform::private_fix(path)),
        ));
    }
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {key} {shown}"))?;
    let value = text.trim_start_matches('\u{feff}').trim();
    if value.is_empty() {
        return Err(error_with_help(
            format!("secret file {shown} ({key}) is empty"),
            "put the secret on the file's first line",
        ));
    }
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn example_config_parses_with_every_key_known() {
        let parsed: FileConfig = toml::from_str(EXAMPLE).unwrap();
        assert!(
            parsed.database.path.is_none(),
            "the example leaves the path to the default"
        );
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, "[whatsapp]\napi_bsae = \"x\"\n").unwrap();
        let err = Config::load(Some(&file), None, &no_env).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("api_bsae"), "{text}");
        assert!(text.contains(&file.display().to_string()), "{text}");
    }

    #[test]
    fn precedence_flag_env_file_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(
            &file,
            "[database]\npath = \"from-file.db\"\n[whatsapp]\napi_base = \"http://file\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "MOT_WHATSAPP_API_BASE").then(|| "http://env/".to_string());
        let config = Config::load(Some(&file), None, &env).unwrap();
        assert_eq!(config.whatsapp.api_base, "http://env");
        assert_eq!(config.db_path, dir.path().join("from-file.db"));
        assert_eq!(config.whatsapp.api_version, "v23.0");

        let flag = dir.path().join("flag.db");
        let config = Config::load(Some(&file), Some(&flag), &no_env).unwrap();
        assert_eq!(config.db_path, flag);
        assert_eq!(config.whatsapp.api_base, "http://file");
    }

    #[test]
    fn durations_in_the_ways_people_write_them() {
        let h = |n| SignedDuration::from_hours(n);
        assert_eq!(parse_duration("24h"), Ok(h(24)));
        assert_eq!(parse_duration("14d"), Ok(h(14 * 24)));
        assert_eq!(parse_duration("1d 12h"), Ok(h(36)));
        assert_eq!(parse_duration("90m"), Ok(SignedDuration::from_mins(90)));
        assert!(
            parse_duration("soon")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(
            parse_duration("0s")
                .unwrap_err()
                .contains("longer than zero")
        );
    }

    #[test]
    fn blank_or_short_secrets_are_config_errors_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, "").unwrap();
        for (key, value, want) in [
            ("MOT_RELAY_TOKEN", " ", "MOT_RELAY_TOKEN is empty"),
            (
                "MOT_WHATSAPP_APP_SECRET",
                "\t \n",
                "MOT_WHATSAPP_APP_SECRET is empty",
            ),
            (
                "MOT_WEBHOOK_VERIFY_TOKEN",
                "  ",
                "MOT_WEBHOOK_VERIFY_TOKEN is empty",
            ),
            ("MOT_WHATSAPP_TOKEN", " ", "MOT_WHATSAPP_TOKEN is empty"),
            (
                "MOT_RELAY_TOKEN",
                "short-token-15c",
                "MOT_RELAY_TOKEN is too short",
            ),
            (
                "MOT_WHATSAPP_APP_SECRET",
                "  0123456789abcde ",
                "MOT_WHATSAPP_APP_SECRET is too short",
            ),
        ] {
            let env = |k: &str| (k == key).then(|| value.to_string());
            let err = format!("{:#}", Config::load(Some(&file), None, &env).unwrap_err());
            assert!(err.contains(want), "{key}={value:?}: {err}");
            assert!(
                !err.contains("short-token"),
                "the value is never shown: {err}"
            );
        }
        let env = |k: &str| (k == "MOT_RELAY_TOKEN").then(|| " 0123456789abcdef ".to_string());
        let config = Config::load(Some(&file), None, &env).unwrap();
        assert_eq!(config.relay.token.unwrap().expose(), "0123456789abcdef");

        // The same rules for a secret read from a file.
        let token = dir.path().join("relay-token");
        write_private_file(&token, b"tooshort\n").unwrap();
        fs::write(&file, "[relay]\ntoken_file = \"relay-token\"\n").unwrap();
        let err = format!(
            "{:#}",
            Config::load(Some(&file), None, &no_env).unwrap_err()
        );
        assert!(err.contains("[relay] token_file is too short"), "{err}");
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("EAAG-not-a-real-token");
        assert!(!format!("{s:?}").contains("EAAG"));
    }

    #[test]
    fn secret_file_must_be_private() {
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("token");
        // Notepad's "UTF-8 with BOM" must not put the BOM in the token.
        fs::write(&token, "\u{feff}abc\r\n").unwrap();
        platform::make_private(&token).unwrap();
        platform::expose(&token).unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, "[whatsapp]\ntoken_file = \"token\"\n").unwrap();
        let err = Config::load(Some(&file), None, &no_env).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("others can read it"), "{text}");

        platform::make_private(&token).unwrap();
        let config = Config::load(Some(&file), None, &no_env).unwrap();
        assert_eq!(config.whatsapp.token.unwrap().expose(), "abc");
    }

    fn load_error(text: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, text).unwrap();
        format!(
            "{:#}",
            Config::load(Some(&file), None, &no_env).unwrap_err()
        )
    }

    #[test]
    fn config_errors_never_quote_a_pasted_secret() {
        let pasted = "EAAGm0PX4ZCpsBAFakeTokenForTheTest";
        for text in [
            format!("[whatsapp]\ntoken = \"{pasted}\"\n"),
            format!("[whatsapp]\ntoken_file = \"{pasted}\n"),
            format!("[whatsapp]\nphone_number_id = [\"{pasted}\"]\n"),
            format!("{pasted} = 1\n"),
            format!("{pasted}\n"),
        ] {
            let err = load_error(text.as_bytes());
            assert!(!err.contains("EAAG"), "{err}");
            assert!(err.contains("line "), "the position is given: {err}");
        }
        let err = load_error(b"[whatsapp]\ntoken = \"x\"\n");
        assert!(
            err.contains("unknown key `token`") && err.contains("environment"),
            "{err}"
        );
    }

    #[test]
    fn a_file_that_is_not_toml_is_not_echoed() {
        let err = load_error(b"root:x:0:0:root:/root:/bin/bash\n");
        assert!(!err.contains("root:x"), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn a_key_in_the_wrong_place_says_where_it_goes() {
        let err = load_error(b"template = \"mot_notice\"\n");
        assert!(
            err.contains("did you mean `[broadcast] template`?"),
            "{err}"
        );
        let err = load_error(b"[whatsapp]\nrate_per_second = 5\n");
        assert!(err.contains("`[broadcast] rate_per_second`"), "{err}");
        let err = load_error(b"[broadcast]\ntempalte = \"x\"\n");
        assert!(
            err.contains("unknown key `tempalte`, expected one of"),
            "{err}"
        );
    }

    #[test]
    fn wrong_types_say_what_is_expected() {
        let err = load_error(b"[broadcast]\nrate_per_second = \"20\"\n");
        assert!(err.contains("expected a number"), "{err}");
        assert!(!err.contains("f64"), "{err}");
    }

    #[test]
    fn config_that_is_not_a_regular_file_or_too_big_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Config::load(Some(dir.path()), None, &no_env).unwrap_err();
        assert!(format!("{err:#}").contains("not a regular file"), "{err:#}");
        let big = dir.path().join("big.toml");
        let f = fs::File::create(&big).unwrap();
        f.set_len(MAX_CONFIG_BYTES + 1).unwrap();
        let err = Config::load(Some(&big), None, &no_env).unwrap_err();
        assert!(format!("{err:#}").contains("at most"), "{err:#}");
    }

    #[test]
    fn a_bom_from_notepad_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, "\u{feff}[whatsapp]\napi_version = \"v24.0\"\n").unwrap();
        let config = Config::load(Some(&file), None, &no_env).unwrap();
        assert_eq!(config.whatsapp.api_version, "v24.0");
    }
}
