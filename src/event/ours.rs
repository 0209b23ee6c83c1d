//! Whose a webhook change is. One Meta app (one app secret, one webhook URL)
//! often serves several numbers and business accounts, so a correctly
//! signed change may belong to someone else: only ours are stored and applied.
//! The receiver's scrub and the one walk over a webhook body ([`super::parse`])
//! both ask [`Ours::change`], so the rule has one owner.

use serde_json::Value;

use crate::config::Whatsapp;

/// Our number and business account, as configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ours {
    phone_number_id: Option<String>,
    business_account: Option<String>,
}

/// What [`Ours::change`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Ours,
    /// A number's change (`messages`, or any value naming a number in its
    /// `metadata`) for another number, or with no number at all.
    OtherNumber,
    /// An account or template change for another business account, or
    /// while none is configured (failing closed: a PAUSED we cannot place
    /// must not block our sends, and cannot be trusted to unblock them).
    OtherAccount,
}

impl Ours {
    /// Blank ids count as unset: an empty value never matches everything.
    pub fn new(phone_number_id: Option<&str>, business_account: Option<&str>) -> Ours {
        let id = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ours {
            phone_number_id: id(phone_number_id),
            business_account: id(business_account),
        }
    }

    pub fn of(w: &Whatsapp) -> Ours {
        Ours::new(
            w.phone_number_id.as_deref(),
            w.business_account_id.as_deref(),
        )
    }

    /// Whose the change `field`/`value` inside `entry` is. A change that
    /// names a number (`value.metadata.phone_number_id`, which every
    /// `messages` change carries) belongs to that number; any other change
    /// belongs to the business account `entry[].id` names.
    pub fn change(&self, entry: &Value, field: &str, value: &Value) -> Whose {
        let metadata = value.get("metadata").filter(|m| m.is_object());
        if field == "messages" || metadata.is_some() {
            let named = metadata.and_then(|m| id(m.get("phone_number_id")));
            return match (&self.phone_number_id, named) {
                (Some(ours), Some(named)) if *ours == named => Whose::Ours,
                _ => Whose::OtherNumber,
            };
        }
        match (&self.business_account, id(entry.get("id"))) {
            (Some(ours), Some(named)) if *ours == named => Whose::Ours,
            _ => Whose::OtherAccount,
        }
    }

    /// Whether messages and statuses can be placed at all.
    pub fn knows_number(&self) -> bool {
        self.phone_number_id.is_some()
    }

    /// Whether account and template changes can be placed at all.
    pub fn knows_account(&self) -> bool {
        self.business_account.is_some()
    }
}

/// An id Meta writes as a string (a number is accepted: mocks send one).
fn id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ours() -> Ours {
        Ours::new(Some("1234567890"), Some("0000000000000001"))
    }

    fn number(id: Value) -> Value {
        json!({"metadata": {"display_phone_number": "447700900999", "phone_number_id": id}})
    }

    #[test]
    fn a_number_change_is_ours_only_for_our_phone_number_id() {
        let entry = json!({"id": "0000000000000001"});
        let o = ours();
        assert_eq!(
            o.change(&entry, "messages", &number(json!("1234567890"))),
            Whose::Ours
        );
        assert_eq!(
            o.change(&entry, "messages", &number(json!(1234567890))),
            Whose::Ours
        );
        assert_eq!(
            o.change(&entry, "messages", &number(json!("9876543210"))),
            Whose::OtherNumber
        );
        assert_eq!(o.change(&entry, "messages", &json!({})), Whose::OtherNumber);
        assert_eq!(
            o.change(&entry, "messages", &number(json!(""))),
            Whose::OtherNumber
        );
        // Any field naming a number in its metadata (calls, echoes…) is that number's.
        assert_eq!(
            o.change(&entry, "calls", &number(json!("9876543210"))),
            Whose::OtherNumber
        );
    }

    #[test]
    fn an_account_change_is_ours_only_for_our_business_account() {
        let value = json!({"event": "PAUSED"});
        let field = "message_template_status_update";
        let o = ours();
        assert_eq!(
            o.change(&json!({"id": "0000000000000001"}), field, &value),
            Whose::Ours
        );
        assert_eq!(
            o.change(&json!({"id": 1}), field, &value),
            Whose::OtherAccount
        );
        assert_eq!(o.change(&json!({}), field, &value), Whose::OtherAccount);
    }

    #[test]
    fn unset_or_blank_ids_match_nothing() {
        let entry = json!({"id": ""});
        for o in [Ours::default(), Ours::new(Some(" "), Some(""))] {
            assert!(!o.knows_account());
            assert_eq!(
                o.change(&entry, "messages", &number(json!(""))),
                Whose::OtherNumber
            );
            assert_eq!(
                o.change(&entry, "account_update", &json!({})),
                Whose::OtherAccount
            );
        }
    }
}
