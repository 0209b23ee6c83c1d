//! Free-form messages (`text` and `interactive`) as Meta checks them, and the
//! 24-hour customer-service window that allows them.
//!
//! A free-form message may only go to someone who wrote to the business in the
//! last 24 hours; outside that window Meta refuses it with code 131047
//! ("Re-engagement message"). The mock enforces the window only when asked to
//! (`Options::enforce_window`): a test opens it with `Mock::customer_wrote` (or
//! `POST /_mock/customer_wrote?from=DIGITS`) and closes it with
//! `Mock::close_window`.
//!
//! Interactive limits (Meta's "Interactive messages" reference): reply buttons
//! 1 to 3, each `reply.id` at most 256 characters and `reply.title` 1 to 20,
//! unique; a list's `action.button` 1 to 20 characters, 1 to 10 sections, at
//! most 10 rows in all, each row `id` at most 200 characters, `title` 1 to 24,
//! `description` at most 72; the body text at most 1024 characters.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// The code Meta answers a free-form message outside the window with.
pub const WINDOW_CLOSED: u32 = 131047;
/// How long a person's message keeps the window open.
pub const WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

const MAX_BODY_CHARS: usize = 1024;
const MAX_BUTTON_TITLE: usize = 20;
const MAX_BUTTON_ID: usize = 256;
const MAX_ROW_TITLE: usize = 24;
const MAX_ROW_ID: usize = 200;
const MAX_ROW_DESCRIPTION: usize = 72;
const MAX_ROWS: usize = 10;

/// When each person (by digits) last wrote to the business.
#[derive(Debug, Default)]
pub struct Windows {
    last_wrote: HashMap<String, SystemTime>,
}

impl Windows {
    pub fn wrote(&mut self, digits: &str, at: SystemTime) {
        self.last_wrote.insert(digits.to_string(), at);
    }

    pub fn close(&mut self, digits: &str) {
        self.last_wrote.remove(digits);
    }

    /// Whether a free-form message to `digits` is allowed at `now`.
    pub fn is_open(&self, digits: &str, now: SystemTime) -> bool {
        self.last_wrote
            .get(digits)
            .is_some_and(|at| now.duration_since(*at).unwrap_or_default() < WINDOW)
    }
}

fn invalid(details: impl Into<String>) -> (u32, String) {
    (100, details.into())
}

fn chars(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_str).map(|s| s.chars().count())
}

/// Checks an `interactive` body (`button` or `list`), as Meta does.
pub fn check_interactive(body: &Value) -> Result<(), (u32, String)> {
    let Some(interactive) = body.get("interactive").filter(|i| i.is_object()) else {
        return Err(invalid("The parameter interactive is required."));
    };
    match chars(interactive.pointer("/body/text")) {
        Some(n) if (1..=MAX_BODY_CHARS).contains(&n) => {}
        _ => {
            return Err(invalid(
                "Param interactive['body']['text'] must be 1 to 1024 characters.",
            ));
        }
    }
    let action = interactive.get("action").filter(|a| a.is_object());
    let Some(action) = action else {
        return Err(invalid("The parameter interactive['action'] is required."));
    };
    match interactive.get("type").and_then(Value::as_str) {
        Some("button") => check_buttons(action),
        Some("list") => check_list(action),
        _ => Err(invalid(
            "Param interactive['type'] must be \"button\" or \"list\" (the kinds the mock supports).",
        )),
    }
}

fn check_buttons(action: &Value) -> Result<(), (u32, String)> {
    let buttons = action
        .get("buttons")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("The parameter interactive['action']['buttons'] is required."))?;
    if !(1..=3).contains(&buttons.len()) {
        return Err(invalid(
            "Param interactive['action']['buttons'] must have 1 to 3 buttons.",
        ));
    }
    let (mut ids, mut titles) = (HashSet::new(), HashSet::new());
    for b in buttons {
        if b.get("type").and_then(Value::as_str) != Some("reply") {
            return Err(invalid("Param buttons[i]['type'] must be \"reply\"."));
        }
        let id = b.pointer("/reply/id").and_then(Value::as_str).unwrap_or("");
        let title = b
            .pointer("/reply/title")
            .and_then(Value::as_str)
            .unwrap_or("");
        if id.is_empty() || id.chars().count() > MAX_BUTTON_ID {
            return Err(invalid(
                "Param buttons[i]['reply']['id'] must be 1 to 256 characters.",
            ));
        }
        if title.is_empty() || title.chars().count() > MAX_BUTTON_TITLE {
            return Err(invalid(
                "Param buttons[i]['reply']['title'] must be 1 to 20 characters.",
            ));
        }
        if !ids.insert(id) || !titles.insert(title) {
            return Err(invalid("Buttons must have unique ids and titles."));
        }
    }
    Ok(())
}

fn check_list(action: &Value) -> Result<(), (u32, String)> {
    match chars(action.get("button")) {
        Some(n) if (1..=MAX_BUTTON_TITLE).contains(&n) => {}
        _ => {
            return Err(invalid(
                "Param interactive['action']['button'] must be 1 to 20 characters.",
            ));
        }
    }
    let sections = action
        .get("sections")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("The parameter interactive['action']['sections'] is required."))?;
    if !(1..=10).contains(&sections.len()) {
        return Err(invalid("Param sections must have 1 to 10 sections."));
    }
    let mut ids = HashSet::new();
    for section in sections {
        if sections.len() > 1 && chars(section.get("title")).is_none_or(|n| n == 0) {
            return Err(invalid(
                "Each section needs a title when there are several.",
            ));
        }
        if chars(section.get("title")).is_some_and(|n| n > MAX_ROW_TITLE) {
            return Err(invalid(
                "Param sections[i]['title'] must be at most 24 characters.",
            ));
        }
        let rows = section
            .get("rows")
            .and_then(Value::as_array)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| invalid("Param sections[i]['rows'] must have at least one row."))?;
        for row in rows {
            let id = row.get("id").and_then(Value::as_str).unwrap_or("");
            if id.is_empty() || id.chars().count() > MAX_ROW_ID || !ids.insert(id.to_string()) {
                return Err(invalid("Row ids must be unique, 1 to 200 characters."));
            }
            match chars(row.get("title")) {
                Some(n) if (1..=MAX_ROW_TITLE).contains(&n) => {}
                _ => {
                    return Err(invalid(
                        "Param rows[i]['title'] must be 1 to 24 characters.",
                    ));
                }
            }
            if chars(row.get("description")).is_some_and(|n| n > MAX_ROW_DESCRIPTION) {
                return Err(invalid(
                    "Param rows[i]['description'] must be at most 72 characters.",
                ));
            }
        }
    }
    if ids.len() > MAX_ROWS {
        return Err(invalid("A list may have at most 10 rows in all."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn buttons(titles: &[&str]) -> Value {
        let buttons: Vec<Value> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"type": "reply", "reply": {"id": format!("b{i}"), "title": t}}))
            .collect();
        json!({"interactive": {"type": "button", "body": {"text": "Is this your name?"},
               "action": {"buttons": buttons}}})
    }

    #[test]
    fn buttons_and_lists_are_checked_as_meta_does() {
        assert!(check_interactive(&buttons(&["Asha Patel", "A different name"])).is_ok());
        assert!(check_interactive(&buttons(&["A title far longer than twenty"])).is_err());
        assert!(check_interactive(&buttons(&["a", "b", "c", "d"])).is_err());
        assert!(check_interactive(&buttons(&["same", "same"])).is_err());
        let list = |rows: usize| {
            let rows: Vec<Value> = (0..rows)
                .map(|i| json!({"id": format!("r{i}"), "title": format!("Role {i}")}))
                .collect();
            json!({"interactive": {"type": "list", "body": {"text": "Your role?"},
                   "action": {"button": "Choose", "sections": [{"title": "Roles", "rows": rows}]}}})
        };
        assert!(check_interactive(&list(10)).is_ok());
        assert!(check_interactive(&list(11)).is_err());
        assert!(check_interactive(&list(0)).is_err());
    }

    #[test]
    fn the_window_is_open_for_a_day_after_the_person_wrote() {
        let mut w = Windows::default();
        let now = SystemTime::now();
        assert!(!w.is_open("447700900001", now));
        w.wrote("447700900001", now - Duration::from_secs(23 * 3600));
        assert!(w.is_open("447700900001", now));
        assert!(!w.is_open("447700900001", now + Duration::from_secs(3600)));
        w.close("447700900001");
        assert!(!w.is_open("447700900001", now));
    }
}
