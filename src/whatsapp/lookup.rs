//! Read-only look-ups of the business number and its templates, for
//! `mot doctor` and `mot templates sync`.

use std::time::Duration;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use super::describe;
use crate::config::{Secret, Whatsapp};
use crate::graph_error::GraphError;
use crate::output::printable;

/// What Meta says about the business number.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NumberInfo {
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
    pub quality_rating: Option<String>,
    pub messaging_limit_tier: Option<String>,
    pub status: Option<String>,
}

/// One template as the business account holds it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RemoteTemplate {
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: String,
    /// The BODY component's text, `{{1}}` placeholders included.
    pub body: Option<String>,
    /// Distinct placeholders in the body.
    pub body_params: usize,
    /// (type, text) of each button.
    pub buttons: Vec<(String, String)>,
    pub quality: Option<String>,
}

/// Why a look-up failed.
#[derive(Debug)]
pub enum LookupError {
    Graph(GraphError),
    Transport(String),
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::Graph(e) => e.fmt(f),
            LookupError::Transport(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for LookupError {}

/// A Graph API reader: base URL, version and token from the config.
pub struct Lookup {
    http: reqwest::Client,
    graph: String,
    token: Secret,
    runtime: tokio::runtime::Runtime,
}

impl Lookup {
    /// `None` when there is no token to ask with.
    pub fn new(w: &Whatsapp) -> Result<Option<Lookup>> {
        let Some(token) = w.token.clone() else {
            return Ok(None);
        };
        let http = crate::net::client(Duration::from_secs(30))?;
        let runtime = crate::net::runtime()?;
        Ok(Some(Lookup {
            http,
            graph: format!("{}/{}", w.api_base, w.api_version),
            token,
            runtime,
        }))
    }

    fn get(&self, url: &str, query: &[(&str, String)]) -> Result<Value, LookupError> {
        self.runtime.block_on(async {
            let response = self
                .http
                .get(url)
                .bearer_auth(self.token.expose())
                .query(query)
                .send()
                .await
                .map_err(|e| LookupError::Transport(describe(&e)))?;
            let status = response.status().as_u16();
            let text = response
                .text()
                .await
                .map_err(|e| LookupError::Transport(describe(&e)))?;
            if status != 200 {
                return Err(LookupError::Graph(GraphError::parse(status, &text)));
            }
            serde_json::from_str(&text)
                .map_err(|e| LookupError::Transport(format!("the answer is not JSON ({e})")))
        })
    }

    /// `GET /{phone_number_id}?fields=…`: also proves the token is accepted.
    pub fn number(&self, phone_number_id: &str) -> Result<NumberInfo, LookupError> {
        let v = self.get(
            &format!("{}/{phone_number_id}", self.graph),
            &[(
                "fields",
                "display_phone_number,verified_name,quality_rating,messaging_limit_tier,status"
                    .to_string(),
            )],
        )?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(|s| printable(s, 80));
        Ok(NumberInfo {
            display_phone_number: s("display_phone_number"),
            verified_name: s("verified_name"),
            quality_rating: s("quality_rating"),
            messaging_limit_tier: s("messaging_limit_tier"),
            status: s("status"),
        })
    }

    /// `GET /{business_account_id}/message_templates`, every page; only those
    /// named `name` if given.
    pub fn templates(
        &self,
        business_account_id: &str,
        name: Option<&str>,
    ) -> Result<Vec<RemoteTemplate>, LookupError> {
        let url = format!("{}/{business_account_id}/message_templates", self.graph);
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        // A business account holds at most a few hundred templates; the cap
        // stops a misbehaving cursor from looping forever.
        for _ in 0..50 {
            let mut query = vec![
                (
                    "fields",
                    "name,language,status,category,components,quality_score".to_string(),
                ),
                ("limit", "100".to_string()),
            ];
            if let Some(n) = name {
                query.push(("name", n.to_string()));
            }
            if let Some(a) = &after {
                query.push(("after", a.clone()));
            }
            let page = self.get(&url, &query)?;
            for t in page["data"].as_array().into_iter().flatten() {
                if let Some(t) = parse_template(t)
                    && name.is_none_or(|n| n == t.name)
                {
                    out.push(t);
                }
            }
            let next = page["paging"]["next"].as_str().is_some();
            after = page["paging"]["cursors"]["after"]
                .as_str()
                .map(str::to_owned);
            if !next || after.is_none() {
                break;
            }
        }
        Ok(out)
    }
}

fn parse_template(t: &Value) -> Option<RemoteTemplate> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(|s| printable(s, 80));
    let components = t["components"].as_array().cloned().unwrap_or_default();
    let kind = |c: &Value| c["type"].as_str().unwrap_or("").to_ascii_uppercase();
    let body = components
        .iter()
        .find(|c| kind(c) == "BODY")
        .and_then(|c| c["text"].as_str())
        .map(|b| printable_multiline(b, 1100));
    let buttons = components
        .iter()
        .filter(|c| kind(c) == "BUTTONS")
        .flat_map(|c| c["buttons"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                s(&b, "type").unwrap_or_default(),
                s(&b, "text").unwrap_or_default(),
            )
        })
        .collect();
    Some(RemoteTemplate {
        name: s(t, "name")?,
        language: s(t, "language").unwrap_or_default(),
        status: s(t, "status").unwrap_or_default(),
        category: s(t, "category").unwrap_or_default(),
        body_params: body.as_deref().map_or(0, placeholders),
        body,
        buttons,
        quality: t
            .get("quality_score")
            .and_then(|q| s(q, "score"))
            .or_else(|| s(t, "quality_score")),
    })
}

/// Text that keeps its line breaks but nothing else a terminal would act on.
fn printable_multiline(text: &str, max: usize) -> String {
    text.split('\n')
        .map(|line| printable(line, max))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Distinct `{{…}}` placeholders in a template body.
pub fn placeholders(body: &str) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !name.is_empty() && !name.contains('{') {
            seen.insert(name.to_string());
        }
        rest = &after[end + 2..];
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_counted_once_each() {
        assert_eq!(placeholders("Update: {{1}}"), 1);
        assert_eq!(placeholders("{{1}}\n\n{{2}} and {{1}} {{ 3 }}"), 3);
        assert_eq!(placeholders("no parameters"), 0);
        assert_eq!(placeholders("broken {{1"), 0);
    }

    #[test]
    fn a_template_is_read_from_meta_shape() {
        let t = serde_json::json!({
            "name": "mot_request", "language": "en_GB", "status": "APPROVED", "category": "UTILITY",
            "components": [
                {"type": "BODY", "text": "Please reply: {{1}}\u{1b}[2J"},
                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}, {"type": "QUICK_REPLY", "text": "No"}]}
            ],
            "quality_score": {"score": "GREEN"}
        });
        let t = parse_template(&t).unwrap();
        assert_eq!(t.body_params, 1);
        assert_eq!(t.buttons.len(), 2);
        assert!(!t.body.unwrap().contains('\u{1b}'));
        assert_eq!(t.quality.as_deref(), Some("GREEN"));
    }
}
