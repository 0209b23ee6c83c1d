//! Every body [`super`] builds, checked against Meta's published schemas
//! (`tests/data/whatsapp_message_schemas.json`: `TextMessage`,
//! `InteractiveMessage` and what they reference, copied unchanged from
//! facebook/openapi's `business-messaging-api_v23.0.yaml`; its `source`
//! names the commit).
//!
//! The checker below implements the keywords those schemas use (`$ref`,
//! `allOf`, `oneOf`, `type`, `required`, `properties`,
//! `additionalProperties: false`, `enum`, `items`, `minItems`, `maxItems`,
//! `maxLength`); `format`, `description` and `example` only describe. One
//! reading follows OpenAPI rather than strict JSON Schema: Meta writes each
//! message as `allOf: [BaseMessageProperties, {additionalProperties: false,
//! ...}]`, meaning "nothing beyond the properties of both", so a branch's
//! `additionalProperties: false` allows its siblings' properties too.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::*;

const SCHEMAS: &str = include_str!("../../../tests/data/whatsapp_message_schemas.json");

struct Checker {
    schemas: Value,
}

impl Checker {
    fn new() -> Checker {
        let file: Value = serde_json::from_str(SCHEMAS).unwrap();
        Checker {
            schemas: file["schemas"].clone(),
        }
    }

    /// Every error of `value` against the component schema `name`.
    fn check(&self, name: &str, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.walk(
            &self.schemas[name],
            value,
            "$",
            &HashSet::new(),
            &mut errors,
        );
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap();
                assert!(
                    self.schemas.get(name).is_some(),
                    "{r} is not in the stored copy"
                );
                self.resolve(&self.schemas[name])
            }
            None => schema,
        }
    }

    fn walk(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        siblings: &HashSet<String>,
        errors: &mut Vec<String>,
    ) {
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            let known: HashSet<String> = all
                .iter()
                .filter_map(|s| self.resolve(s).get("properties")?.as_object())
                .flat_map(|p| p.keys().cloned())
                .chain(siblings.iter().cloned())
                .collect();
            for s in all {
                self.walk(s, value, at, &known, errors);
            }
        }
        if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
            let matching = one
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    self.walk(s, value, at, siblings, &mut e);
                    e.is_empty()
                })
                .count();
            if matching != 1 {
                errors.push(format!(
                    "{at}: matches {matching} of oneOf, not exactly one"
                ));
            }
        }
        if let Some(t) = schema.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => value.is_object(),
                "string" => value.is_string(),
                "array" => value.is_array(),
                "boolean" => value.is_boolean(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                other => panic!("type {other} is not used by the stored schemas"),
            };
            if !ok {
                errors.push(format!("{at}: not a {t}"));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
        if let (Some(max), Some(s)) = (
            schema.get("maxLength").and_then(Value::as_u64),
            value.as_str(),
        ) && s.chars().count() as u64 > max
        {
            errors.push(format!("{at}: longer than {max} characters"));
        }
        if let Some(items) = value.as_array() {
            let n = items.len() as u64;
            if schema
                .get("minItems")
                .and_then(Value::as_u64)
                .is_some_and(|min| n < min)
                || schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| n > max)
            {
                errors.push(format!("{at}: {n} items is outside the allowed count"));
            }
            if let Some(item) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    self.walk(item, v, &format!("{at}[{i}]"), &HashSet::new(), errors);
                }
            }
        }
        if let Some(object) = value.as_object() {
            self.object(schema, object, at, siblings, errors);
        }
    }

    fn object(
        &self,
        schema: &Value,
        object: &serde_json::Map<String, Value>,
        at: &str,
        siblings: &HashSet<String>,
        errors: &mut Vec<String>,
    ) {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap();
            if !object.contains_key(key) {
                errors.push(format!("{at}: {key} is required"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => self.walk(s, v, &format!("{at}.{key}"), &HashSet::new(), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false))
                    && !siblings.contains(key) =>
                {
                    errors.push(format!("{at}: {key} is not allowed"));
                }
                None => {}
            }
        }
    }
}

fn to() -> E164 {
    E164::from_stored("+447700900123".into())
}

fn choices(titles: &[&str]) -> Vec<Choice> {
    titles
        .iter()
        .enumerate()
        .map(|(i, t)| Choice {
            id: format!("mot:role:{}", i + 1),
            title: t.to_string(),
        })
        .collect()
}

#[test]
fn every_body_built_here_is_valid_by_metas_schema() {
    let schemas = Checker::new();
    let terms = crate::config::TERMS_EXAMPLE;
    assert_eq!(
        schemas.check("TextMessage", &text(&to(), terms)),
        Vec::<String>::new()
    );
    let name = buttons(
        &to(),
        "Thank you. Is your name Asha Patel?",
        &[
            Choice {
                id: "mot:name:profile".into(),
                title: "Asha Patel".into(),
            },
            Choice {
                id: "mot:name:other".into(),
                title: "A different name".into(),
            },
        ],
    );
    assert_eq!(
        schemas.check("InteractiveMessage", &name),
        Vec::<String>::new()
    );
    // The longest list mot builds: nine roles of 24 characters and "Other".
    let long = "Twenty-four characters x";
    let mut rows = choices(&[long; 9]);
    rows.push(Choice {
        id: "mot:role:other".into(),
        title: "Other".into(),
    });
    let role = list(
        &to(),
        "What is your job role?",
        "Choose your role",
        "Job roles",
        &rows,
    );
    assert_eq!(
        schemas.check("InteractiveMessage", &role),
        Vec::<String>::new()
    );
}

/// The checker is no rubber stamp: what Meta's schema forbids is found.
#[test]
fn the_checker_finds_what_the_schema_forbids() {
    let schemas = Checker::new();
    let too_long = buttons(&to(), "Name?", &choices(&["A title longer than twenty"]));
    assert!(!schemas.check("InteractiveMessage", &too_long).is_empty());
    let four = buttons(&to(), "Name?", &choices(&["a", "b", "c", "d"]));
    assert!(!schemas.check("InteractiveMessage", &four).is_empty());
    let eleven = list(&to(), "Role?", "Choose", "Roles", &choices(&["r"; 11]));
    assert!(!schemas.check("InteractiveMessage", &eleven).is_empty());
    let mut stray = text(&to(), "hello");
    stray["text"]["colour"] = json!("red");
    assert!(!schemas.check("TextMessage", &stray).is_empty());
    let mut unknown = text(&to(), "hello");
    unknown["priority"] = json!("high");
    assert!(!schemas.check("TextMessage", &unknown).is_empty());
}
