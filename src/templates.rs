//! The business account's message templates as last fetched (`mot templates
//! sync`, `mot doctor`): what `send --dry-run` renders, and where a change
//! of category from UTILITY to MARKETING is noticed.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::db::ts;
use crate::output::Row;
use crate::whatsapp::lookup::RemoteTemplate;

/// A stored template.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: String,
    /// Set when the category changed since an earlier sync (or a
    /// `template_category_update` webhook said so).
    pub previous_category: Option<String>,
    pub body: Option<String>,
    pub body_params: usize,
    pub buttons: Vec<String>,
    pub quality: Option<String>,
    pub synced_at: String,
}

impl Template {
    /// UTILITY → MARKETING changes what each message costs and brings
    /// members' per-user marketing limits (Meta may not deliver: 131049).
    pub fn became_marketing(&self) -> bool {
        self.category == "MARKETING" && self.previous_category.as_deref() == Some("UTILITY")
    }

    /// Characters of fixed text around the parameters (Meta caps the
    /// rendered body at 1024).
    pub fn fixed_chars(&self) -> usize {
        let Some(body) = &self.body else { return 0 };
        let mut text = body.clone();
        for i in 1..=self.body_params {
            text = text.replace(&format!("{{{{{i}}}}}"), "");
        }
        text.chars().count()
    }

    /// The body as a member will see it, parameters filled in; `None` when
    /// the body is unknown.
    pub fn render(&self, params: &[String]) -> Option<String> {
        let mut text = self.body.clone()?;
        for (i, p) in params.iter().enumerate() {
            text = text.replace(&format!("{{{{{}}}}}", i + 1), p);
        }
        Some(text)
    }
}

impl Row for Template {
    const HEADERS: &'static [&'static str] = &[
        "name", "language", "status", "category", "params", "buttons", "quality", "note",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            not_formula(&self.name),
            not_formula(&self.language),
            not_formula(&self.status),
            not_formula(&self.category),
            self.body_params.to_string(),
            not_formula(&self.buttons.join(" | ")),
            not_formula(self.quality.as_deref().unwrap_or_default()),
            if self.became_marketing() {
                "was UTILITY: now costs more, marketing limits apply".to_string()
            } else {
                String::new()
            },
        ]
    }
}

/// Text from Meta that a spreadsheet opening `--format csv` must not run as
/// a formula: a leading `=`, `+`, `-` or `@` gets an apostrophe.
fn not_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Stores fetched templates (replacing what was known of each), keeping
/// note of a category change. Returns how many changed category to MARKETING.
pub fn store(conn: &Connection, fetched: &[RemoteTemplate], now: Timestamp) -> Result<usize> {
    let mut became_marketing = 0;
    for t in fetched {
        let before: Option<(String, Option<String>)> = conn
            .prepare_cached(
                "SELECT category, previous_category FROM templates WHERE name = ?1 AND language = ?2",
            )?
            .query_row([&t.name, &t.language], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let previous = match before {
            Some((old, _)) if old != t.category => Some(old),
            Some((_, previous)) => previous,
            None => category_change_reported(conn, &t.name, &t.language, &t.category)?,
        };
        if t.category == "MARKETING" && previous.as_deref() == Some("UTILITY") {
            became_marketing += 1;
        }
        let buttons: Vec<&str> = t.buttons.iter().map(|(_, text)| text.as_str()).collect();
        conn.prepare_cached(
            "INSERT INTO templates (name, language, status, category, previous_category, body,
                                    body_params, buttons, quality, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (name, language) DO UPDATE SET status = excluded.status,
                 category = excluded.category, previous_category = excluded.previous_category,
                 body = excluded.body, body_params = excluded.body_params,
                 buttons = excluded.buttons, quality = excluded.quality,
                 synced_at = excluded.synced_at",
        )?
        .execute(params![
            t.name,
            t.language,
            t.status,
            t.category,
            previous,
            t.body,
            t.body_params as i64,
            serde_json::to_string(&buttons)?,
            t.quality,
            ts(now),
        ])?;
    }
    Ok(became_marketing)
}

/// The previous category a `template_category_update` webhook reported, if
/// it reported a change to `category`.
fn category_change_reported(
    conn: &Connection,
    name: &str,
    language: &str,
    category: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_extract(detail, '$.previous_category') FROM account_events
             WHERE field = 'template_category_update' AND template_name = ?1
               AND coalesce(template_language, ?2) = ?2 AND event = ?3
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![name, language, category], |r| r.get(0))
        .optional()?
        .flatten())
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Template> {
    let buttons: String = r.get(7)?;
    Ok(Template {
        name: r.get(0)?,
        language: r.get(1)?,
        status: r.get(2)?,
        category: r.get(3)?,
        previous_category: r.get(4)?,
        body: r.get(5)?,
        body_params: r.get::<_, i64>(6)? as usize,
        buttons: serde_json::from_str(&buttons).unwrap_or_default(),
        quality: r.get(8)?,
        synced_at: r.get(9)?,
    })
}

const COLUMNS: &str = "name, language, status, category, previous_category, body, body_params, buttons, quality, synced_at";

/// After a full `templates sync`: forgets every stored template the account
/// no longer has (deleted in WhatsApp Manager), so the list shows what is
/// there. Returns how many were forgotten.
pub fn forget_others(conn: &Connection, fetched: &[RemoteTemplate]) -> Result<usize> {
    let kept: Vec<(String, String)> = list(conn)?
        .into_iter()
        .map(|t| (t.name, t.language))
        .collect();
    let mut forgotten = 0;
    for (name, language) in kept {
        if !fetched
            .iter()
            .any(|f| f.name == name && f.language == language)
        {
            forgotten += conn
                .prepare_cached("DELETE FROM templates WHERE name = ?1 AND language = ?2")?
                .execute([&name, &language])?;
        }
    }
    Ok(forgotten)
}

/// Every stored template, by name and language.
pub fn list(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM templates ORDER BY name, language"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One stored template.
pub fn get(conn: &Connection, name: &str, language: &str) -> Result<Option<Template>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM templates WHERE name = ?1 AND language = ?2"
        ))?
        .query_row([name, language], from_row)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    fn remote(category: &str) -> RemoteTemplate {
        RemoteTemplate {
            name: "mot_notice".into(),
            language: "en_GB".into(),
            status: "APPROVED".into(),
            category: category.into(),
            body: Some("Medicines update: {{1}}".into()),
            body_params: 1,
            buttons: vec![],
            quality: Some("GREEN".into()),
        }
    }

    #[test]
    fn cells_never_start_a_formula() {
        let t = Template {
            name: "=HYPERLINK(\"http://x\")".into(),
            buttons: vec!["@SUM(1)".into()],
            ..get_fixture()
        };
        let cells = t.cells();
        assert_eq!(cells[0], "'=HYPERLINK(\"http://x\")");
        assert_eq!(cells[5], "'@SUM(1)");
        assert_eq!(get_fixture().cells()[0], "mot_notice");
    }

    fn get_fixture() -> Template {
        Template {
            name: "mot_notice".into(),
            language: "en_GB".into(),
            status: "APPROVED".into(),
            category: "UTILITY".into(),
            previous_category: None,
            body: None,
            body_params: 1,
            buttons: vec![],
            quality: None,
            synced_at: "x".into(),
        }
    }

    #[test]
    fn utility_to_marketing_is_flagged_and_rendering_fills_parameters() {
        let conn = open_in_memory();
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        assert_eq!(store(&conn, &[remote("UTILITY")], now).unwrap(), 0);
        let t = get(&conn, "mot_notice", "en_GB").unwrap().unwrap();
        assert!(!t.became_marketing());
        assert_eq!(
            t.render(&["Amoxicillin back in stock".into()]).unwrap(),
            "Medicines update: Amoxicillin back in stock"
        );
        assert_eq!(store(&conn, &[remote("MARKETING")], now).unwrap(), 1);
        let t = get(&conn, "mot_notice", "en_GB").unwrap().unwrap();
        assert!(t.became_marketing());
        // A later sync keeps the flag: the change is still worth knowing.
        store(&conn, &[remote("MARKETING")], now).unwrap();
        assert!(list(&conn).unwrap()[0].became_marketing());
    }

    /// A full sync shows what the account has now: a template deleted in
    /// WhatsApp Manager since the last sync is no longer listed.
    #[test]
    fn a_full_sync_forgets_templates_the_account_no_longer_has() {
        let conn = open_in_memory();
        let mut gone = remote("UTILITY");
        gone.name = "old_notice".into();
        let now: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        store(&conn, &[remote("UTILITY"), gone], now).unwrap();
        assert_eq!(list(&conn).unwrap().len(), 2);
        let fetched = [remote("UTILITY")];
        store(&conn, &fetched, now).unwrap();
        assert_eq!(forget_others(&conn, &fetched).unwrap(), 1);
        let names: Vec<String> = list(&conn).unwrap().into_iter().map(|t| t.name).collect();
        assert_eq!(names, vec![remote("UTILITY").name]);
    }
}
