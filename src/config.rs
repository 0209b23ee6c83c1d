//! Configuration: the TOML file, the `MOT_*` environment and flags, resolved
//! once (flag > environment > file > default), and the secrets.

use std::path::{Path, PathBuf};

use anyhow::Result;
use jiff::SignedDuration;

/// No real config is near this; a bigger "config" is the wrong file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The commented example, also what `mot init` writes.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

/// The config file as written: every key optional, unknown keys refused.
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
    /// `[screen] allow`: what the screen never counts (the team's own contact details).
    pub screen_allow: crate::screen::Allow,
    /// The guided sign-up conversation (`[signup]`).
    pub signup: Signup,
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
    /// To an active member's message that is no answer, opt-out or sign-up step.
    pub general_reply: Option<String>,
    /// To a member whose message the screen found patient data in.
    pub patient_data_reply: Option<String>,
    /// What a member's request to leave in plain words does.
    pub opt_out_phrases: OptOutPhrases,
}

/// `[inbound] opt_out_phrases`: what a message that asks to leave in plain
/// words ("please remove me from this list") does. Whole-message STOP
/// always opts out at once; a likely opt-out ("I'm retiring") is always
/// only flagged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OptOutPhrases {
    /// Flag it in `mot inbox` and `mot doctor`: a person decides.
    #[default]
    Flag,
    /// A clear request opts the member out at once, as STOP does.
    OptOut,
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

/// Every `MOT_*` variable mot reads, with what it sets: the manual page's
/// ENVIRONMENT section (a test checks the code reads no other).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("MOT_CONFIG", "the config file, as --config"),
    (
        "MOT_DB",
        "the database file, as --db (overrides [database] path)",
    ),
    (
        "MOT_CSV_BOM",
        "start every CSV written with a UTF-8 byte-order mark, as --bom",
    ),
    (
        "MOT_WHATSAPP_TOKEN",
        "the system-user access token (a secret)",
    ),
    (
        "MOT_WHATSAPP_APP_SECRET",
        "the app secret that signs webhooks (a secret)",
    ),
    (
        "MOT_WEBHOOK_VERIFY_TOKEN",
        "the webhook verify token (a secret)",
    ),
    (
        "MOT_RELAY_TOKEN",
        "the relay token, the same at both ends (a secret)",
    ),
    ("MOT_BROADCAST_TEMPLATE", "[broadcast] template"),
    ("MOT_WHATSAPP_API_BASE", "[whatsapp] api_base"),
    ("MOT_WHATSAPP_API_VERSION", "[whatsapp] api_version"),
    ("MOT_WHATSAPP_PHONE_NUMBER_ID", "[whatsapp] phone_number_id"),
    (
        "MOT_WHATSAPP_BUSINESS_ACCOUNT_ID",
        "[whatsapp] business_account_id",
    ),
    ("MOT_WEBHOOK_LISTEN", "[webhook] listen"),
    ("MOT_RELAY_URL", "[relay] url"),
    (
        "MOT_NOW",
        "start the clock at this RFC 3339 time (tests and demos only; never set it for a team)",
    ),
];

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
        let parsed = sections::read(&file, explicit)?;
        let at = sections::Loader::new(&file, env);
        // Sections in the order they always were, so that of two mistakes
        // the same one is reported first.
        let db_path = db_flag
            .map(Path::to_path_buf)
            .or_else(|| parsed.database.path.map(|p| at.relative_to_file(p)))
            .unwrap_or_else(default_db_path);
        let whatsapp = at.whatsapp(parsed.whatsapp)?;
        let default_region = at.region(parsed.members)?;
        let broadcast = at.broadcast(parsed.broadcast)?;
        let status = at.status(parsed.status)?;
        let relay = at.relay(parsed.relay)?;
        let request = at.request(parsed.request, &broadcast)?;
        let inbound = at.inbound(parsed.inbound)?;
        let lapsed = at.lapsed(parsed.lapsed)?;
        let retention = at.retention(&parsed.retention)?;
        let screen_allow = at.screen(parsed.screen)?;
        let signup = signup::resolve(&at, parsed.signup)?;
        Ok(Config {
            webhook_listen: env("MOT_WEBHOOK_LISTEN")
                .or(parsed.webhook.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".to_string()),
            file,
            db_path,
            whatsapp,
            default_region,
            broadcast,
            status,
            relay,
            inbound,
            lapsed,
            request,
            retention,
            screen_allow,
            signup,
        })
    }
}

mod file;
mod secret;
mod sections;
mod settings;
mod signup;

pub use secret::{MIN_SHARED_SECRET, Secret};
pub use settings::{
    DEFAULT_VACUUM_SHARE, LapsedRule, Period, RETENTION_KEYS, RetentionKey, RetentionPolicy,
};
pub use signup::{Signup, TERMS_EXAMPLE};

#[cfg(test)]
mod tests;
