//! Reading the config file itself, and saying what is wrong with it without
//! ever quoting it (a secret may have been pasted there).

use std::io::Read;
use std::path::Path;

use super::{EXAMPLE, MAX_CONFIG_BYTES};

/// Reads a config file, refusing what cannot be one before reading it: a
/// FIFO would block cron forever and `/dev/zero` would never end.
pub(super) fn read_config_text(path: &Path) -> std::io::Result<String> {
    let file = crate::platform::open_regular(path)?;
    let meta = file.metadata()?;
    let refuse = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(refuse(format!(
            "it is {} bytes; a config file is at most {MAX_CONFIG_BYTES}",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
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
pub(super) fn toml_error(text: &str, err: &toml::de::Error) -> String {
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
                (None, Some(list)) => format!(", expected {list}"),
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
