//! Configuration: the TOML file, the `MOT_*` environment and flags, resolved
//! once (flag > environment > file > default), and the secrets.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::SignedDuration;
use serde::Deserialize;

use crate::exit::error_with_help;

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
    /// Checked against [`RETENTION_KEYS`], so a new kind needs no field here.
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
    pub lapsed: LapsedRule,
    pub request: Request,
    pub retention: RetentionPolicy,
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

/// The environment, as a lookup function so tests can pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the process environment, treating empty values as unset.
#[allow(clippy::disallowed_methods)]
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
            crate::duration::parse(value.as_deref().unwrap_or(default)).map_err(|why| bad(key, why))
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
        // Sent to members as written: no control or bidi characters.
        let reply = |key: &str, v: Option<String>| match nonempty(v) {
            Some(t) => match crate::output::find_unsendable(&t, true) {
                Some(c) => Err(bad(key, format!("it contains {c}"))),
                None => Ok(Some(t)),
            },
            None => Ok(None),
        };
        let inbound = Inbound {
            welcome_reply: reply("[inbound] welcome_reply", parsed.inbound.welcome_reply)?,
            stop_reply: reply("[inbound] stop_reply", parsed.inbound.stop_reply)?,
        };
        let lapsed = resolve_lapsed(parsed.lapsed).map_err(|(key, why)| bad(key, why))?;
        let retention = RetentionPolicy::from_table(&parsed.retention).map_err(|why| {
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
fn resolve_lapsed(l: LapsedSection) -> Result<LapsedRule, (&'static str, String)> {
    let default = LapsedRule::default();
    LapsedRule {
        broadcasts: l.broadcasts.unwrap_or(default.broadcasts),
        min_days: l.min_days.unwrap_or(default.min_days),
        outage_share: l.outage_share.unwrap_or(default.outage_share),
    }
    .checked()
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
        crate::duration::parse(value.as_deref().unwrap_or(default)).map_err(|why| bad(key, why))
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

mod file;
mod secret;
mod settings;

use file::{read_config_text, toml_error};
pub use secret::{MIN_SHARED_SECRET, Secret};
use secret::{check_secret, read_secret_file};
pub use settings::{
    DEFAULT_VACUUM_SHARE, LapsedRule, Period, RETENTION_KEYS, RetentionKey, RetentionPolicy,
};

#[cfg(test)]
mod tests;
