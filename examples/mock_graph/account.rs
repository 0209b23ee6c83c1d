//! The mock's business number and templates: `GET /{version}/{phone_number_id}?fields=…`
//! and `GET /{version}/{business_account_id}/message_templates`, and the account
//! webhooks (template, number and account events) Meta would post.
//!
//! Configured by [`AccountOptions`]: the number's quality and messaging-limit tier, and
//! each template's status, language, body (its `{{n}}` placeholders are its parameters),
//! buttons, category and quality. Token checks are the messages endpoint's (401, code 190).

#![allow(dead_code)] // tests, benches and the example each use a different part

use serde_json::{Value, json};

/// Business account id the mock answers for unless told otherwise.
pub const DEFAULT_BUSINESS_ACCOUNT_ID: &str = "0000000000000001";

/// One template the mock's business account holds.
#[derive(Debug, Clone)]
pub struct MockTemplate {
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: String,
    pub body: String,
    /// Quick-reply button texts.
    pub buttons: Vec<String>,
    pub quality: String,
}

impl MockTemplate {
    /// An APPROVED UTILITY template in en_GB, GREEN, with this body and no buttons.
    pub fn approved(name: &str, body: &str) -> MockTemplate {
        MockTemplate {
            name: name.to_string(),
            language: "en_GB".to_string(),
            status: "APPROVED".to_string(),
            category: "UTILITY".to_string(),
            body: body.to_string(),
            buttons: Vec::new(),
            quality: "GREEN".to_string(),
        }
    }

    fn json(&self, index: usize) -> Value {
        let mut components = vec![json!({"type": "BODY", "text": self.body})];
        if !self.buttons.is_empty() {
            let buttons: Vec<Value> = self
                .buttons
                .iter()
                .map(|b| json!({"type": "QUICK_REPLY", "text": b}))
                .collect();
            components.push(json!({"type": "BUTTONS", "buttons": buttons}));
        }
        json!({
            "id": format!("{}", 1_000_000_000_000_000u64 + index as u64),
            "name": self.name,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "components": components,
            "quality_score": {"score": self.quality},
        })
    }
}

/// What the mock says about the number and the business account.
#[derive(Debug, Clone)]
pub struct AccountOptions {
    pub business_account_id: String,
    pub display_phone_number: String,
    pub verified_name: String,
    /// GREEN, YELLOW, RED or UNKNOWN.
    pub quality_rating: String,
    /// TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED…
    pub messaging_limit_tier: String,
    pub templates: Vec<MockTemplate>,
}

impl Default for AccountOptions {
    fn default() -> Self {
        AccountOptions {
            business_account_id: DEFAULT_BUSINESS_ACCOUNT_ID.to_string(),
            display_phone_number: "+44 7700 900999".to_string(),
            verified_name: "Medicines Optimisation Team".to_string(),
            quality_rating: "GREEN".to_string(),
            messaging_limit_tier: "TIER_2K".to_string(),
            templates: vec![MockTemplate::approved("mot_notice", "{{1}}")],
        }
    }
}

/// The phone-number object, with the fields asked for (all if none named).
pub fn number_json(a: &AccountOptions, id: &str, fields: Option<&str>) -> Value {
    let all = json!({
        "display_phone_number": a.display_phone_number,
        "verified_name": a.verified_name,
        "quality_rating": a.quality_rating,
        "messaging_limit_tier": a.messaging_limit_tier,
        "status": "CONNECTED",
    });
    let mut out = json!({"id": id});
    for (k, v) in all.as_object().unwrap() {
        if fields.is_none_or(|f| f.split(',').any(|x| x.trim() == k)) {
            out[k] = v.clone();
        }
    }
    out
}

/// One page of templates, filtered by `name`, paged by `limit`/`after` (an index).
pub fn templates_json(a: &AccountOptions, name: Option<&str>, limit: usize, after: usize) -> Value {
    let matching: Vec<(usize, &MockTemplate)> = a
        .templates
        .iter()
        .enumerate()
        .filter(|(_, t)| name.is_none_or(|n| n == t.name))
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(after)
        .take(limit.max(1))
        .map(|(i, t)| t.json(*i))
        .collect();
    let end = after + page.len();
    let mut body = json!({"data": page, "paging": {"cursors": {"before": after.to_string(), "after": end.to_string()}}});
    if end < matching.len() {
        body["paging"]["next"] = json!(format!("after={end}"));
    }
    body
}

/// An account webhook (any field other than `messages`) as Meta posts it
/// (unsigned: sign it with the app secret before posting).
pub fn account_webhook(field: &str, value: Value, time: u64) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": DEFAULT_BUSINESS_ACCOUNT_ID,
            "time": time,
            "changes": [{ "field": field, "value": value }],
        }],
    })
}

/// A `message_template_status_update` for one template.
pub fn template_status_webhook(name: &str, language: &str, event: &str, time: u64) -> Value {
    let mut value = json!({
        "event": event,
        "message_template_id": 1_000_000_000_000_000u64,
        "message_template_name": name,
        "message_template_language": language,
        "reason": "NONE",
    });
    if event == "PAUSED" {
        value["other_info"] = json!({
            "title": "FIRST_PAUSE",
            "description": "Your WhatsApp message template has been paused for 3 hours because it had issues."
        });
    }
    account_webhook("message_template_status_update", value, time)
}
