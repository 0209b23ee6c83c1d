//! Secrets: a type that cannot be printed by accident, where each came
//! from, and reading one from a file only its owner can read.

use std::fmt;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::exit::error_with_help;
use crate::platform;

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

/// Who makes a secret: what to do about one that is too short differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Maker {
    /// Meta issues it (the access token, the app secret): copy it again.
    Meta,
    /// The team chooses it (the verify token, the relay token).
    Team,
}

/// Refuses a secret that is empty after trimming, or shorter than `min_len`.
/// The error names where it came from, never the value.
pub(super) fn check_secret(
    value: &Secret,
    source: &str,
    min_len: usize,
    maker: Maker,
) -> Result<()> {
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
            match maker {
                Maker::Meta => format!(
                    "Meta issues this value (the app secret is under App settings > Basic in the App Dashboard, 32 characters): copy it whole into {source}"
                ),
                Maker::Team => {
                    format!("use a long random value for {source} (and the same on the other side)")
                }
            },
        ));
    }
    Ok(())
}

/// Reads a secret from a file that only its owner may read.
pub(super) fn read_secret_file(path: &Path, key: &str) -> Result<Secret> {
    let shown = platform::display(path);
    // "Cannot tell" is a refusal, never "private".
    let exposure = platform::exposure(path).with_context(|| match path.exists() {
        false => format!("cannot read {key} {shown}"),
        true => format!("cannot tell whether other accounts can reach secret file {shown} ({key})"),
    })?;
    if let Some(how) = exposure {
        return Err(error_with_help(
            format!(
                "refusing to read secret file {shown} ({key}): other accounts can reach it ({how})"
            ),
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
