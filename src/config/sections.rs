//! The config file section by section: what each `[section]` may hold (as
//! written: every key optional, unknown keys refused) and how it resolves,
//! over the `MOT_*` environment and the defaults, into [`super::Config`]'s
//! parts. Every error names the file and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::SignedDuration;
use serde::Deserialize;

use super::file::{read_config_text, toml_error};
use super::secret::{Maker, check_secret, read_secret_file};
use super::{
    Broadcast, Env, Inbound, LapsedRule, MAX_RATE, MIN_SHARED_SECRET, OptOutPhrases, Relay,
    Request, RetentionPolicy, Secret, Status, Whatsapp,
};
use crate::exit::error_with_help;

/// What every config error suggests.
const HELP: &str = "`mot init` writes a commented config with every key and its meaning";

/// Reads and parses the file; a missing file is the defaults unless it was
/// named explicitly (`--config`, `MOT_CONFIG`).
pub(super) fn read(file: &Path, explicit: bool) -> Result<FileConfig> {
    match read_config_text(file) {
        Ok(text) => toml::from_str::<FileConfig>(&text).map_err(|e| {
            error_with_help(
                format!(
                    "invalid config file {}: {}",
                    file.display(),
                    toml_error(&text, &e)
                ),
                HELP,
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(FileConfig::default())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(error_with_help(
            format!("config file {} does not exist", file.display()),
            "run `mot init` to create it, or check --config / MOT_CONFIG",
        )),
        Err(e) => Err(e).with_context(|| format!("cannot read config file {}", file.display())),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct FileConfig {
    pub(super) database: DatabaseSection,
    pub(super) whatsapp: WhatsappSection,
    pub(super) members: MembersSection,
    pub(super) broadcast: BroadcastSection,
    pub(super) status: StatusSection,
    pub(super) webhook: WebhookSection,
    pub(super) relay: RelaySection,
    pub(super) inbound: InboundSection,
    pub(super) lapsed: LapsedSection,
    pub(super) request: RequestSection,
    pub(super) screen: ScreenSection,
    pub(super) signup: SignupSection,
    /// Checked against [`RETENTION_KEYS`], so a new kind needs no field here.
    pub(super) retention: std::collections::BTreeMap<String, toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct ScreenSection {
    pub(super) allow: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct LapsedSection {
    pub(super) broadcasts: Option<usize>,
    pub(super) min_days: Option<i64>,
    pub(super) outage_share: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RequestSection {
    pub(super) template: Option<String>,
    pub(super) language: Option<String>,
    pub(super) body_params: Option<usize>,
    pub(super) template_fixed_chars: Option<usize>,
    pub(super) buttons: Option<Vec<String>>,
    pub(super) survey_button: Option<String>,
    pub(super) closes_in: Option<String>,
    pub(super) reminder_template: Option<String>,
    pub(super) remind_interval: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct StatusSection {
    pub(super) window: Option<String>,
    pub(super) rate_per_second: Option<f64>,
    pub(super) concurrency: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct WebhookSection {
    pub(super) listen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RelaySection {
    pub(super) url: Option<String>,
    pub(super) token_file: Option<PathBuf>,
    pub(super) keep_acked: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct InboundSection {
    pub(super) welcome_reply: Option<String>,
    pub(super) stop_reply: Option<String>,
    pub(super) general_reply: Option<String>,
    pub(super) patient_data_reply: Option<String>,
    pub(super) opt_out_phrases: Option<String>,
}

/// `[signup]`: the guided sign-up conversation (resolved in `config::signup`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct SignupSection {
    pub(super) guided: Option<bool>,
    pub(super) auto_approve: Option<bool>,
    pub(super) terms_file: Option<PathBuf>,
    pub(super) roles: Option<Vec<String>>,
    pub(super) localities: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct BroadcastSection {
    pub(super) template: Option<String>,
    pub(super) language: Option<String>,
    pub(super) body_params: Option<usize>,
    pub(super) template_fixed_chars: Option<usize>,
    pub(super) rate_per_second: Option<f64>,
    pub(super) concurrency: Option<usize>,
    pub(super) not_after: Option<String>,
    pub(super) duplicate_window: Option<String>,
    pub(super) request_timeout: Option<String>,
    pub(super) max_attempts: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct DatabaseSection {
    pub(super) path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct WhatsappSection {
    pub(super) api_base: Option<String>,
    pub(super) api_version: Option<String>,
    pub(super) phone_number_id: Option<String>,
    pub(super) business_account_id: Option<String>,
    pub(super) token_file: Option<PathBuf>,
    pub(super) app_secret_file: Option<PathBuf>,
    pub(super) verify_token_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct MembersSection {
    pub(super) default_region: Option<String>,
}

/// A text setting, absent when blank.
fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|t| !t.trim().is_empty())
}

/// Resolves sections against one file and one environment.
pub(super) struct Loader<'a> {
    file: &'a Path,
    env: Env<'a>,
}

impl<'a> Loader<'a> {
    pub(super) fn new(file: &'a Path, env: Env<'a>) -> Loader<'a> {
        Loader { file, env }
    }

    /// A path in the file is relative to the file's folder.
    pub(super) fn relative_to_file(&self, p: PathBuf) -> PathBuf {
        match self.file.parent() {
            Some(dir) if p.is_relative() => dir.join(p),
            None if p.is_relative() => Path::new(".").join(p),
            _ => p,
        }
    }

    /// The error for a bad value of `key` (written `[section] key`).
    pub(super) fn bad(&self, key: &str, why: impl std::fmt::Display) -> anyhow::Error {
        error_with_help(
            format!("invalid config file {}: {key}: {why}", self.file.display()),
            HELP,
        )
    }

    fn duration(&self, key: &str, value: Option<String>, default: &str) -> Result<SignedDuration> {
        crate::duration::parse(value.as_deref().unwrap_or(default))
            .map_err(|why| self.bad(key, why))
    }

    /// A secret from the environment or a file. A blank or short secret must
    /// never quietly switch a check off (an empty HMAC key or bearer token
    /// matches anyone who sends nothing): it is a configuration error naming
    /// where it came from.
    fn secret(
        &self,
        env_key: &str,
        file_key: &str,
        path: Option<PathBuf>,
        (min_len, maker): (usize, Maker),
    ) -> Result<Option<Secret>> {
        let (value, source) = match (self.env)(env_key) {
            Some(value) => (Secret::new(value.trim()), env_key.to_string()),
            None => match path {
                Some(p) => (
                    read_secret_file(&self.relative_to_file(p), file_key)?,
                    file_key.to_string(),
                ),
                None => return Ok(None),
            },
        };
        check_secret(&value, &source, min_len, maker)?;
        Ok(Some(value.from_source(source)))
    }

    pub(super) fn whatsapp(&self, w: WhatsappSection) -> Result<Whatsapp> {
        Ok(Whatsapp {
            api_base: (self.env)("MOT_WHATSAPP_API_BASE")
                .or(w.api_base)
                .unwrap_or_else(|| "https://graph.facebook.com".to_string())
                .trim_end_matches('/')
                .to_string(),
            api_version: (self.env)("MOT_WHATSAPP_API_VERSION")
                .or(w.api_version)
                .unwrap_or_else(|| "v23.0".to_string()),
            phone_number_id: (self.env)("MOT_WHATSAPP_PHONE_NUMBER_ID").or(w.phone_number_id),
            business_account_id: (self.env)("MOT_WHATSAPP_BUSINESS_ACCOUNT_ID")
                .or(w.business_account_id),
            token: self.secret(
                "MOT_WHATSAPP_TOKEN",
                "[whatsapp] token_file",
                w.token_file,
                (1, Maker::Meta),
            )?,
            app_secret: self.secret(
                "MOT_WHATSAPP_APP_SECRET",
                "[whatsapp] app_secret_file",
                w.app_secret_file,
                (MIN_SHARED_SECRET, Maker::Meta),
            )?,
            verify_token: self.secret(
                "MOT_WEBHOOK_VERIFY_TOKEN",
                "[whatsapp] verify_token_file",
                w.verify_token_file,
                (1, Maker::Team),
            )?,
        })
    }

    pub(super) fn region(&self, m: MembersSection) -> Result<phonenumber::country::Id> {
        let region = m.default_region.unwrap_or_else(|| "GB".to_string());
        region.to_ascii_uppercase().parse().map_err(|_| {
            error_with_help(
                format!(
                    "invalid config file {}: [members] default_region {region:?} is not a country code",
                    self.file.display()
                ),
                "use a two-letter region such as \"GB\"",
            )
        })
    }

    pub(super) fn status(&self, st: StatusSection) -> Result<Status> {
        let status = Status {
            window: self.duration("[status] window", st.window, "14d")?,
            rate_per_second: st.rate_per_second.unwrap_or(20.0),
            concurrency: st.concurrency.unwrap_or(8),
        };
        if !(1.0..=MAX_RATE).contains(&status.rate_per_second) {
            return Err(self.bad(
                "[status] rate_per_second",
                format!("{} is not between 1 and {MAX_RATE}", status.rate_per_second),
            ));
        }
        if !(1..=256).contains(&status.concurrency) {
            return Err(self.bad(
                "[status] concurrency",
                format!("{} is not between 1 and 256", status.concurrency),
            ));
        }
        Ok(status)
    }

    pub(super) fn relay(&self, r: RelaySection) -> Result<Relay> {
        Ok(Relay {
            url: (self.env)("MOT_RELAY_URL")
                .or(r.url)
                .map(|u| u.trim_end_matches('/').to_string()),
            token: self.secret(
                "MOT_RELAY_TOKEN",
                "[relay] token_file",
                r.token_file,
                (MIN_SHARED_SECRET, Maker::Team),
            )?,
            keep_acked: self.duration("[relay] keep_acked", r.keep_acked, "7d")?,
        })
    }

    /// `[request]`: without a template of its own a request borrows the
    /// notice's, and with it the notice's language and parameters.
    pub(super) fn request(&self, rq: RequestSection, broadcast: &Broadcast) -> Result<Request> {
        let has_own_template = nonempty(rq.template.clone()).is_some();
        Ok(Request {
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
                    return Err(self.bad(
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
                    return Err(self.bad(
                        "[request] buttons",
                        "each label must be 1 to 20 characters, as WhatsApp allows".to_string(),
                    ));
                }
                if buttons.len() > 10 {
                    return Err(self.bad(
                        "[request] buttons",
                        "a template has at most 10 quick-reply buttons".to_string(),
                    ));
                }
                buttons
            },
            survey_button: match nonempty(rq.survey_button) {
                Some(base) if !base.trim().starts_with("https://") => {
                    return Err(self.bad(
                        "[request] survey_button",
                        format!("{base:?} is not an https:// address"),
                    ));
                }
                base => base.map(|b| b.trim().to_string()),
            },
            closes_in: self.duration("[request] closes_in", rq.closes_in, "48h")?,
            reminder_template: nonempty(rq.reminder_template),
            remind_interval: self.duration(
                "[request] remind_interval",
                rq.remind_interval,
                "12h",
            )?,
        })
    }

    pub(super) fn inbound(&self, i: InboundSection) -> Result<Inbound> {
        // Sent to members as written: no control or bidi characters.
        let reply = |key: &str, v: Option<String>| match nonempty(v) {
            Some(t) => match crate::output::find_unsendable(&t, true) {
                Some(c) => Err(self.bad(key, format!("it contains {c}"))),
                None => Ok(Some(t)),
            },
            None => Ok(None),
        };
        Ok(Inbound {
            welcome_reply: reply("[inbound] welcome_reply", i.welcome_reply)?,
            stop_reply: reply("[inbound] stop_reply", i.stop_reply)?,
            general_reply: reply("[inbound] general_reply", i.general_reply)?,
            patient_data_reply: reply("[inbound] patient_data_reply", i.patient_data_reply)?,
            opt_out_phrases: match i.opt_out_phrases.as_deref().map(str::trim) {
                None | Some("flag") => OptOutPhrases::Flag,
                Some("opt_out") => OptOutPhrases::OptOut,
                Some(other) => {
                    return Err(self.bad(
                        "[inbound] opt_out_phrases",
                        format!("{other:?} is not \"flag\" or \"opt_out\""),
                    ));
                }
            },
        })
    }

    /// `[screen] allow`: the team's own numbers, mail domains and postcodes.
    pub(super) fn screen(&self, s: ScreenSection) -> Result<crate::screen::Allow> {
        crate::screen::Allow::parse(&s.allow).map_err(|why| self.bad("[screen] allow", why))
    }

    /// `[lapsed]` over the defaults, checked by the rule itself.
    pub(super) fn lapsed(&self, l: LapsedSection) -> Result<LapsedRule> {
        let default = LapsedRule::default();
        LapsedRule {
            broadcasts: l.broadcasts.unwrap_or(default.broadcasts),
            min_days: l.min_days.unwrap_or(default.min_days),
            outage_share: l.outage_share.unwrap_or(default.outage_share),
        }
        .checked()
        .map_err(|(key, why)| self.bad(key, why))
    }

    pub(super) fn retention(
        &self,
        table: &BTreeMap<String, toml::Value>,
    ) -> Result<RetentionPolicy> {
        RetentionPolicy::from_table(table).map_err(|why| {
            error_with_help(
                format!("invalid config file {}: {why}", self.file.display()),
                HELP,
            )
        })
    }

    pub(super) fn broadcast(&self, b: BroadcastSection) -> Result<Broadcast> {
        let bad = |key: &str, why: String| self.bad(&format!("[broadcast] {key}"), why);
        let duration = |key: &str, value: Option<String>, default: &str| {
            self.duration(&format!("[broadcast] {key}"), value, default)
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
            template: (self.env)("MOT_BROADCAST_TEMPLATE")
                .or(b.template)
                .filter(|t| !t.trim().is_empty()),
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
}
