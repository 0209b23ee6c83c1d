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
    /// Checked against `retention::KINDS`, so a new kind needs no field here.
    retention: std::collections::BTreeMap<String, toml::Value>,
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
    pub retention: crate::retention::Policy,
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

/// A secret value. Its `Debug` is redacted and it has no `Display`, so it
/// cannot end up in output, errors or logs by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
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
        let secret =
            |env_key: &str, file_key: &str, path: Option<PathBuf>| -> Result<Option<Secret>> {
                if let Some(value) = env(env_key) {
                    return Ok(Some(Secret::new(value.trim())));
                }
                path.map(|p| read_secret_file(&relative_to_file(p), file_key))
                    .transpose()
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
            token: secret("MOT_WHATSAPP_TOKEN", "[whatsapp] token_file", w.token_file)?,
            app_secret: secret(
                "MOT_WHATSAPP_APP_SECRET",
                "[whatsapp] app_secret_file",
                w.app_secret_file,
            )?,
            verify_token: secret(
                "MOT_WEBHOOK_VERIFY_TOKEN",
                "[whatsapp] verify_token_file",
                w.verify_token_file,
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
            token: secret("MOT_RELAY_TOKEN", "[relay] token_file", r.token_file)?,
            keep_acked: duration("[relay] keep_acked", r.keep_acked, "7d")?,
        };
        let nonempty = |v: Option<String>| v.filter(|t| !t.trim().is_empty());
        let inbound = Inbound {
            welcome_reply: nonempty(parsed.inbound.welcome_reply),
            stop_reply: nonempty(parsed.inbound.stop_reply),
        };
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
            retention,
        })
    }
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
            _ => match expected {
                Some(list) => format!(", expected one of {list}"),
                None => String::new(),
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
